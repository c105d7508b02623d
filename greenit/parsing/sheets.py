"""Spreadsheet tables as people keep them, whatever the file: XLSX (:mod:`greenit.parsing.workbooks`)
or LibreOffice's ODS (:mod:`greenit.parsing.opendocument`).

A workbook is read one sheet at a time through a :class:`SheetSource` (its name, whether it is
shown, its first lines, its non-empty lines with their spreadsheet line numbers, its merged
ranges); this module decides, the same way for both formats:

- **which sheet**: the one chosen (``--sheet NAME|N``), else the *visible* sheet whose header
  names the most known columns. A hidden sheet (an old draft, a lookup list) is never read
  unless ``--sheet`` names it; it is named in the file's notes;
- **where the table starts**: the header row below title rows (:mod:`greenit.parsing.layout`);
- **which rows**: empty lines are skipped as they come (a sheet formatted down to line
  1,048,576 costs nothing), each kept row keeps its own line number, so every message points
  at the line a person sees;
- **merged cells**: a range merged over several lines or columns (« Service » spanning the
  lines of its devices) holds its value in its first cell only; the value is copied into
  every cell of the range, and the file's notes say which ranges were filled;
- **cell size**: a cell longer than Excel's own limit (32,767 characters) is cut and its row
  flagged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from greenit.errors import InputFileError
from greenit.i18n import Message, msg
from greenit.parsing.layout import find_header_row
from greenit.parsing.text import fold

#: Columns looked at to find the header; a table is never wider in practice.
MAX_SCAN_COLUMNS = 512
#: Longest text kept from one cell (Excel's own limit); longer cells are cut and the row flagged.
MAX_CELL_CHARS = 32_767

#: A merged range: (first line, first column, last line, last column), 1-based, inclusive.
MergedRange = tuple[int, int, int, int]


class SheetSource(Protocol):
    """One sheet of a workbook, as a format reader gives it."""

    name: str
    visible: bool

    def head(self) -> list[tuple]:
        """Its first :data:`HEADER_SCAN_ROWS` lines (empty ones included), at most
        :data:`MAX_SCAN_COLUMNS` wide.
        """
        ...

    def lines(self, first_line: int, width: int) -> Iterator[tuple[int, tuple]]:
        """(line, values) of its non-empty lines from ``first_line`` on, ``width`` cells each."""
        ...

    def merged(self) -> list[MergedRange]:
        """Its merged ranges (complete once :meth:`lines` has been read to the end)."""
        ...


class CutText(str):
    """A cell's text cut to :data:`MAX_CELL_CHARS`, knowing how long it was."""

    full_length: int

    def __new__(cls, text: str, full_length: int) -> CutText:
        cut = super().__new__(cls, text[:MAX_CELL_CHARS])
        cut.full_length = full_length
        return cut


@dataclass
class Sheet:
    """The table of one sheet, with what reading it had to say."""

    name: str
    headers: list[str]
    rows: list[tuple]
    lines: list[int]  # the spreadsheet line of each row
    header_line: int  # 1-based spreadsheet line of the header
    others: list[str] = field(default_factory=list)  # the visible sheets not read
    hidden: list[str] = field(default_factory=list)  # the hidden sheets (not read)
    row_reasons: dict[int, list[Message]] = field(default_factory=dict)  # data row - 1 → reasons
    blank_rows: int = 0  # empty lines between the header and the last row
    filled: list[str] = field(default_factory=list)  # merged ranges filled (A1 notation)


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def choose_sheet(
    sources: Sequence[SheetSource], sheet: str | int | None, known: Callable[[str], bool] | None, label: str
) -> tuple[SheetSource, list[tuple], int]:
    """(the sheet to read, its first lines, the 0-based index of its header among them).

    ``sheet`` (``--sheet``) names one by name (case and accents ignored) or 1-based number, hidden
    or not; otherwise the visible sheet whose header names the most known columns (then the one
    with the most table-like lines) wins. No visible sheet with a table is an error that names
    the hidden ones.
    """
    names = [s.name for s in sources]
    if sheet is not None and str(sheet).strip() != "":
        chosen = sources[names.index(_sheet_name(names, sheet, label))]
        head = chosen.head()
        return chosen, head, find_header_row(head, known)
    best = None
    for source in sources:
        if not source.visible:
            continue
        head = source.head()
        index = find_header_row(head, known)
        score = _sheet_score(head, index, known)
        if best is None or score > best[0]:
            best = (score, source, head, index)
    if best is None or best[0][1] == 0:
        hidden = [s.name for s in sources if not s.visible]
        if hidden:
            raise InputFileError.of(
                "formats.sheet.only_hidden", "formats.sheet.only_hidden_hint", path=label, hidden=hidden
            )
        raise InputFileError.of("parsing.file.no_data", "parsing.file.no_data_hint", path=label)
    return best[1], best[2], best[3]


def _sheet_score(head: list[tuple], index: int, known) -> tuple[int, int]:
    """(known headers in the header row, rows with two cells or more): the table's sheet wins."""
    cells = [str(c).strip() for c in (head[index] if head else ()) if not is_empty(c)]
    known_count = sum(1 for c in cells if len(c) <= 200 and known(c)) if known else 0
    table_rows = sum(1 for row in head if sum(1 for c in row if not is_empty(c)) >= 2)
    return known_count, table_rows


def _sheet_name(names: list[str], sheet: str | int, label: str) -> str:
    text = str(sheet).strip()
    if text.isdigit() and 1 <= int(text) <= len(names) and text not in names:
        return names[int(text) - 1]
    for name in names:
        if name == text or fold(name) == fold(text):
            return name
    raise InputFileError.of(
        "parsing.sheet.unknown", "parsing.sheet.unknown_hint", path=label, sheet=text, sheets=", ".join(names)
    )


def read_sheet(source: SheetSource, head: list[tuple], header_index: int, label: str) -> Sheet:
    """The table of ``source`` below its header: non-empty lines, long cells cut, merges filled."""
    header_cells = list(head[header_index]) if head else []
    while header_cells and is_empty(header_cells[-1]):
        header_cells.pop()
    width = len(header_cells)
    if width == 0:
        raise InputFileError.of("parsing.file.no_header", "parsing.file.no_header_hint", path=label)
    headers = [
        f"#{i + 1}" if is_empty(c) else str(c).strip()[:MAX_CELL_CHARS] for i, c in enumerate(header_cells)
    ]
    header_line = header_index + 1
    result = Sheet(source.name, headers, [], [], header_line)
    previous = header_line
    for line, values in source.lines(header_line + 1, width):
        values = tuple(values[:width]) + (None,) * (width - len(values))
        if any(isinstance(v, str) and len(v) >= MAX_CELL_CHARS for v in values):
            values = _cut_long_cells(values, headers, result, line - header_line - 1)
        result.rows.append(values)
        result.lines.append(line)
        result.blank_rows += line - previous - 1
        previous = line
    fill_merged(result, source.merged())
    return result


def _cut_long_cells(values: tuple, headers: list[str], sheet: Sheet, key: int) -> tuple:
    cut = []
    for header, value in zip(headers, values, strict=True):
        length = getattr(value, "full_length", len(value)) if isinstance(value, str) else 0
        if length > MAX_CELL_CHARS:
            reason = msg("parsing.cell.too_long", column=header, length=length, limit=MAX_CELL_CHARS)
            sheet.row_reasons.setdefault(key, []).append(reason)
            value = str.__str__(value)[:MAX_CELL_CHARS]
        cut.append(value)
    return tuple(cut)


def fill_merged(sheet: Sheet, ranges: list[MergedRange]) -> None:
    """Copy each merged range's first cell into the range's other cells of the table's rows.

    Ranges that start on or above the header (a title spanning columns) are left alone.
    """
    if not ranges:
        return
    position = {line: i for i, line in enumerate(sheet.lines)}
    width = len(sheet.headers)
    for first_line, first_col, last_line, last_col in sorted(ranges):
        if first_line <= sheet.header_line or first_col > width or first_line not in position:
            continue
        value = sheet.rows[position[first_line]][first_col - 1]
        if is_empty(value):
            continue
        for line in range(first_line, last_line + 1):
            if line not in position:  # an otherwise empty line under the merge
                continue
            row = list(sheet.rows[position[line]])
            for column in range(first_col, min(last_col, width) + 1):
                if is_empty(row[column - 1]):
                    row[column - 1] = value
            sheet.rows[position[line]] = tuple(row)
        sheet.filled.append(a1_range(first_line, first_col, last_line, last_col))


def a1_range(first_line: int, first_col: int, last_line: int, last_col: int) -> str:
    """``(2, 1, 4, 1)`` → ``"A2:A4"``.

    >>> a1_range(2, 1, 4, 28)
    'A2:AB4'
    """
    return f"{column_letters(first_col)}{first_line}:{column_letters(last_col)}{last_line}"


def column_letters(column: int) -> str:
    """1 → ``A``, 27 → ``AA``."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """``A`` → 1, ``AA`` → 27.

    >>> column_number("XFD")
    16384
    """
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def sheet_frame(sheet: Sheet) -> pd.DataFrame:
    """The sheet's rows as a raw frame (cells as read: text, numbers, dates), with what reading
    found in ``attrs``: every header, the header line, each row's own number (empty lines
    skipped keep their place), the sheets not read, the rows flagged, the merged ranges filled.
    """
    headers = _unique(sheet.headers)
    frame = (
        pd.DataFrame.from_records(sheet.rows, columns=headers)
        if sheet.rows
        else pd.DataFrame(columns=headers)
    )
    notes: list[Message] = []
    if sheet.others:
        notes.append(msg("parsing.sheet.read", sheet=sheet.name, others=", ".join(sheet.others)))
    if sheet.hidden:
        notes.append(msg("formats.sheet.hidden_not_read", hidden=sheet.hidden, n=len(sheet.hidden)))
    if sheet.filled:
        notes.append(msg("formats.sheet.merged_filled", ranges=", ".join(sheet.filled[:10])))
    frame.attrs.update(
        headers=list(frame.columns),
        header_line=sheet.header_line,
        sheet=sheet.name,
        other_sheets=sheet.others,
        hidden_sheets=sheet.hidden,
        row_reasons=sheet.row_reasons,
        row_numbers=[line - sheet.header_line for line in sheet.lines],
        skipped_blank_rows=sheet.blank_rows,
    )
    if notes:
        frame.attrs["file_notes"] = notes
    return frame


def _unique(headers: list[str]) -> list[str]:
    """Headers made unique the way pandas does for CSV (``Nom``, ``Nom.1``)."""
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        count = seen.get(header, 0)
        out.append(header if count == 0 else f"{header}.{count}")
        seen[header] = count + 1
    return out
