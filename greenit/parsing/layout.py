"""Where a table starts: its delimiter and its header row, below any title rows.

People keep inventories with a title or two above the table (« Inventaire du parc — 2024 »),
a blank line, then the header. The header is the row of the first lines that names the most
known columns; failing that, the first row that looks like one (several text cells as wide as
the table).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Sequence

#: Rows looked at to find the header (title blocks are a few lines).
HEADER_SCAN_ROWS = 30
_DELIMITERS = ";,\t|"


def _widths(lines: list[str], delimiter: str) -> list[int]:
    try:
        return [len(row) for row in csv.reader(lines, delimiter=delimiter) if any(c.strip() for c in row)]
    except csv.Error:
        return []


def detect_delimiter(sample: str) -> str:
    r"""The delimiter that splits the first lines into the most consistent number of cells.

    Title rows (one cell) do not count; quoted cells are respected (a comma inside quotes does
    not make a comma-separated file).

    >>> detect_delimiter('"Nom";"Type"\n"PC, fixe";"Desktop"\n')
    ';'
    """
    lines = sample.splitlines()[: HEADER_SCAN_ROWS * 2]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may cut the last line
    best, best_score = ",", (0, 0, 0)
    for delimiter in _DELIMITERS:
        widths = [w for w in _widths(lines, delimiter) if w > 1]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        score = (count, width, -_DELIMITERS.index(delimiter))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ".").replace(" ", ""))
        return True
    except ValueError:
        return False


def find_header_row(rows: Sequence[Sequence[object]], known: Callable[[str], bool] | None = None) -> int:
    """0-based index of the header among the first rows of a table.

    ``known`` says whether a cell is a header greenit recognises; the row with the most of them
    wins — on a tie the one with the most filled cells (a row of group titles over the header,
    « Équipement ;; Achat ;; Prix », leaves cells empty), then the first. Without any, the first
    row with at least two text cells and at least half as many cells as the widest row.
    """
    rows = [list(r) for r in rows[:HEADER_SCAN_ROWS]]
    texts = [[str(c).strip() for c in r if c is not None and str(c).strip()] for r in rows]
    if known is not None:
        counts = [sum(1 for c in cells if len(c) <= 200 and known(c)) for cells in texts]
        if counts and max(counts) > 0:
            best = max(counts)
            return max(
                (i for i, count in enumerate(counts) if count == best), key=lambda i: (len(texts[i]), -i)
            )
    widest = max((len(cells) for cells in texts), default=0)
    for index, cells in enumerate(texts):
        words = [c for c in cells if not _is_number(c)]
        if len(words) >= 2 and len(cells) * 2 >= widest:
            return index
    return 0


def csv_header_row(sample: str, delimiter: str, known: Callable[[str], bool] | None) -> int:
    """The header's 0-based physical line in a CSV sample (title lines above it skipped)."""
    lines = sample.splitlines()[:HEADER_SCAN_ROWS]
    try:
        rows = [next(csv.reader([line], delimiter=delimiter), []) for line in lines]
    except csv.Error:
        return 0
    return find_header_row(rows, known)
