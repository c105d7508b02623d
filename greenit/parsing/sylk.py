"""SYLK (``.slk``): the symbolic-link spreadsheet text GLPI 9 exports by default (« Exporter » → SYLK).

A SYLK file is a list of records, one per line, fields separated by ``;``: ``ID`` first, ``P``
(formats), ``F`` (a cell's format, and where the cursor goes: ``X`` column, ``Y`` row), ``C`` (a
cell: its position, ``K`` its value: ``K"text"`` or ``K123``), ``B`` (the sheet's size), ``E``
(end). As GLPI writes it (glpi-project/glpi 9.x ``inc/search.class.php`` and 10's
``SYLKSearchOutput.php``; ``tests/fixtures/real/README.md``):

- **the C records carry no position**: the preceding F record sets it, and **Y is written only
  on a line's first column** — a reader keeps a cursor;
- every value is a text (``K"…"``), numbers and dates included, as the CSV export shows them;
- a ``"`` inside a value is written ``''`` (two apostrophes), a line break a space — and **a
  ``;`` is not doubled** as SYLK wants: ``K"PC-ACCUEIL; RDC"``. So a value runs from ``K"`` to the
  line's last ``"``; a doubled ``;;`` (SYLK's own escape, as Excel writes it) is read as one.

The sheet is then read like a spreadsheet's (:mod:`greenit.parsing.sheets`): header below
title lines, empty lines skipped, cells cut at 32,767 characters.

References
----------
Microsoft, *SYLK file format* (the symbolic link format of Multiplan and Excel).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from greenit.errors import InputFileError
from greenit.parsing.encodings import detect_encoding
from greenit.parsing.layout import HEADER_SCAN_ROWS
from greenit.parsing.sheets import MergedRange, Sheet, choose_sheet, is_empty, read_sheet

SIGNATURE = b"ID;"


def is_sylk(head: bytes) -> bool:
    """Whether a file's first bytes are a SYLK file's (``ID;P…``)."""
    return head.lstrip(b"\xef\xbb\xbf").startswith(SIGNATURE)


def cells(text: str) -> dict[tuple[int, int], object]:
    r"""The cells of a SYLK text: (row, column) → value (text, or a number written bare).

    >>> cells('ID;PGLPI\nF;P3;Y2;X1\nC;N;K"PC; RDC"\nF;X2\nC;N;K"Poste \'\'guichet\'\'"\nC;X3;K12.5\nE')
    {(2, 1): 'PC; RDC', (2, 2): "Poste ''guichet''", (2, 3): 12.5}
    """
    found: dict[tuple[int, int], object] = {}
    row = column = 1
    for line in text.splitlines():
        kind, _, rest = line.partition(";")
        if kind not in ("C", "F"):
            continue
        value, fields = _value(rest)
        for field in fields:
            if field[:1] == "X" and field[1:].isdigit():
                column = int(field[1:])
            elif field[:1] == "Y" and field[1:].isdigit():
                row = int(field[1:])
        if kind == "C" and value is not None:
            found[(row, column)] = value
    return found


def _value(rest: str) -> tuple[object | None, list[str]]:
    """A record's value (after ``K``) and its other fields; ``K"…"`` runs to the line's last ``"``."""
    start = rest.find('K"')
    if start >= 0 and (start == 0 or rest[start - 1] == ";"):
        end = rest.rfind('"')
        text = rest[start + 2 : end] if end > start + 1 else rest[start + 2 :]
        return text.replace(";;", ";").replace('""', '"'), rest[:start].split(";")
    fields = rest.split(";")
    for field in fields:
        if field[:1] == "K":
            return _number(field[1:]), fields
    return None, fields


def _number(text: str) -> object:
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


class SylkSheet:
    """A SYLK file's one sheet as a :class:`~greenit.parsing.sheets.SheetSource`."""

    def __init__(self, found: dict[tuple[int, int], object], name: str) -> None:
        self.name, self.visible = name, True
        self._rows: dict[int, dict[int, object]] = {}
        for (row, column), value in found.items():
            self._rows.setdefault(row, {})[column] = value

    def _line(self, row: int, width: int) -> tuple:
        cells = self._rows.get(row, {})
        return tuple(cells.get(column) for column in range(1, width + 1))

    def head(self) -> list[tuple]:
        width = max((max(c) for c in self._rows.values() if c), default=0)
        return [self._line(row, width) for row in range(1, HEADER_SCAN_ROWS + 1)]

    def lines(self, first_line: int, width: int) -> Iterator[tuple[int, tuple]]:
        for row in sorted(r for r in self._rows if r >= first_line):
            values = self._line(row, width)
            if not all(is_empty(v) for v in values):
                yield row, values

    def merged(self) -> list[MergedRange]:
        return []


def read_sylk(source: Path | bytes, label: str, *, known=None) -> Sheet:
    """The table of a SYLK file (``source`` a path or the file's bytes)."""
    data = source if isinstance(source, bytes) else source.read_bytes()
    text = data.decode(detect_encoding(data[: 64 * 1024]), errors="replace").removeprefix("\ufeff")
    found = cells(text)
    if not found:
        raise InputFileError.of("parsing.file.no_data", "parsing.file.no_data_hint", path=label)
    sheet = SylkSheet(found, Path(label).stem)
    chosen, head, header_index = choose_sheet([sheet], None, known, label)
    return read_sheet(chosen, head, header_index, label)
