"""LibreOffice Calc's OpenDocument spreadsheets (``.ods``), read with odfpy.

French public bodies keep many inventories in LibreOffice. An ODS file is a zip whose
``content.xml`` holds each sheet as a ``table:table`` (ODF 1.2, part 1, § 9.1):

- a sheet is hidden when its table style says ``table:display="false"`` (§ 17.15 and 20.383);
- a cell keeps its typed value apart from the text shown: ``office:value-type="float"``,
  ``currency``, ``percentage`` with ``office:value`` (« 1 049,00 € » is 1049.0), ``date`` with
  ``office:date-value`` (ISO 8601), ``boolean`` with ``office:boolean-value``; text cells hold
  paragraphs (``text:p``);
- a merged range is its first cell with ``table:number-rows-spanned`` /
  ``number-columns-spanned`` and ``table:covered-table-cell`` in the others;
- LibreOffice writes the formatted-but-empty rest of a sheet as repeated cells and rows
  (``table:number-rows-repeated="1048568"``): counted, never expanded.

Which sheet, which rows and how merges are filled is :mod:`greenit.parsing.sheets`' (as for
XLSX). A password-protected file (``manifest:encryption-data`` in its manifest) is said so.

References
----------
OASIS, *Open Document Format for Office Applications (OpenDocument) v1.2*, Part 1, 2011.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from greenit.errors import InputFileError
from greenit.parsing.layout import HEADER_SCAN_ROWS
from greenit.parsing.reasons import read_error_reason
from greenit.parsing.sheets import (
    MAX_CELL_CHARS,
    MAX_SCAN_COLUMNS,
    CutText,
    MergedRange,
    Sheet,
    choose_sheet,
    is_empty,
    read_sheet,
)

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
SPREADSHEET_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
#: A sheet holds at most this many lines (LibreOffice's and Excel's limit): repeats beyond are cut.
MAX_LINES = 1_048_576
_NUMBER_TYPES = ("float", "currency", "percentage")
_GROUPS = ("table-header-rows", "table-row-group", "table-rows")


def _zip(source: Path | bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)


def is_opendocument_spreadsheet(source: Path | bytes) -> bool:
    """Whether a zip file is an ODS (its ``mimetype`` member), whatever its name."""
    try:
        with _zip(source) as archive:
            return archive.read("mimetype").strip() == SPREADSHEET_MIMETYPE
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def _is_encrypted(archive: zipfile.ZipFile) -> bool:
    try:
        return b"encryption-data" in archive.read("META-INF/manifest.xml")
    except KeyError:
        return False


def read_opendocument(
    source: Path | bytes, label: str, *, sheet: str | int | None = None, known=None
) -> Sheet:
    """The table of one sheet of an ODS file (``source`` a path or the file's bytes)."""
    from odf.opendocument import load

    try:
        with _zip(source) as archive:
            if _is_encrypted(archive):
                raise InputFileError.of("formats.file.encrypted", "formats.file.encrypted_hint", path=label)
            if "content.xml" not in archive.namelist():
                raise InputFileError.of("formats.file.not_ods", "formats.file.not_ods_hint", path=label)
        document = load(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    except InputFileError:
        raise
    except zipfile.BadZipFile as exc:
        raise InputFileError.of("formats.file.not_ods", "formats.file.not_ods_hint", path=label) from exc
    except Exception as exc:  # odfpy and its XML parser raise many kinds on a damaged file
        raise InputFileError.of(
            "parsing.file.bad_workbook",
            "parsing.file.bad_workbook_hint",
            path=label,
            error=read_error_reason(exc),
        ) from exc
    hidden_styles = _hidden_table_styles(document)
    sources = [OdsSheet(t, hidden_styles) for t in _tables(document)]
    chosen, head, header_index = choose_sheet(sources, sheet, known, label)
    result = read_sheet(chosen, head, header_index, label)
    result.others = [s.name for s in sources if s.visible and s is not chosen]
    result.hidden = [s.name for s in sources if not s.visible and s is not chosen]
    return result


def _local(element) -> str:
    return element.qname[1] if getattr(element, "qname", None) else ""


def _tables(document) -> list:
    return [e for e in document.spreadsheet.childNodes if _local(e) == "table"]


def _hidden_table_styles(document) -> set[str]:
    """Names of the table styles that hide their sheet (``table:display="false"``)."""
    hidden = set()
    for container in (document.automaticstyles, document.styles):
        for style in getattr(container, "childNodes", []):
            for properties in style.childNodes:
                if _local(properties) == "table-properties":
                    if properties.attributes.get((TABLE, "display")) == "false":
                        hidden.add(style.attributes.get((STYLE, "name")))
    return hidden


class OdsSheet:
    """One ``table:table`` as a :class:`~greenit.parsing.sheets.SheetSource`."""

    def __init__(self, table, hidden_styles: set[str]) -> None:
        self.table = table
        self.name = str(table.attributes.get((TABLE, "name"), ""))
        self.visible = table.attributes.get((TABLE, "style-name")) not in hidden_styles
        self._merged: list[MergedRange] = []

    def head(self) -> list[tuple]:
        out: list[tuple] = []
        for line, values in self._all_lines(MAX_SCAN_COLUMNS, keep_empty=True):
            out += [()] * (line - len(out) - 1)  # empty lines between (repeated rows)
            out.append(values)
            if len(out) >= HEADER_SCAN_ROWS:
                break
        return out[:HEADER_SCAN_ROWS]

    def lines(self, first_line: int, width: int) -> Iterator[tuple[int, tuple]]:
        self._merged = []
        for line, values in self._all_lines(width, keep_empty=False, merged=self._merged):
            if line >= first_line:
                yield line, values

    def merged(self) -> list[MergedRange]:
        return self._merged

    def _all_lines(
        self, width: int, *, keep_empty: bool, merged: list | None = None
    ) -> Iterator[tuple[int, tuple]]:
        """(line, values) of every line (the empty ones only if ``keep_empty``), repeats expanded."""
        line = 0
        for row in _rows(self.table):
            repeat = min(int(row.attributes.get((TABLE, "number-rows-repeated"), 1) or 1), MAX_LINES - line)
            if repeat <= 0:
                return
            values = _row_values(row, width, line + 1, merged)
            if all(is_empty(v) for v in values):
                if keep_empty:
                    for offset in range(min(repeat, HEADER_SCAN_ROWS)):
                        yield line + 1 + offset, ()
                line += repeat
                continue
            for offset in range(repeat):
                yield line + 1 + offset, values
            line += repeat


def _rows(element) -> Iterator:
    """The ``table:table-row`` elements of a table, in order, row groups and header rows opened."""
    for child in element.childNodes:
        name = _local(child)
        if name == "table-row":
            yield child
        elif name in _GROUPS:
            yield from _rows(child)


def _row_values(row, width: int, line: int, merged: list | None) -> tuple:
    values: list = []
    for cell in row.childNodes:
        name = _local(cell)
        if name not in ("table-cell", "covered-table-cell"):
            continue
        repeat = int(cell.attributes.get((TABLE, "number-columns-repeated"), 1) or 1)
        value = _cell_value(cell) if name == "table-cell" else None
        if merged is not None and name == "table-cell":
            rows = int(cell.attributes.get((TABLE, "number-rows-spanned"), 1) or 1)
            columns = int(cell.attributes.get((TABLE, "number-columns-spanned"), 1) or 1)
            if rows > 1 or columns > 1:
                column = len(values) + 1
                merged.append((line, column, line + rows - 1, column + columns - 1))
        values.extend([value] * min(repeat, width - len(values)))
        if len(values) >= width:
            break
    return tuple(values)


def _cell_value(cell) -> object:
    """A cell's typed value: a float, a datetime, a bool, or its text (paragraphs on lines)."""
    attributes = cell.attributes
    kind = attributes.get((OFFICE, "value-type"))
    try:
        if kind in _NUMBER_TYPES:
            number = float(attributes[(OFFICE, "value")])
            return int(number) if number.is_integer() and abs(number) < 2**53 else number
        if kind == "date":
            return datetime.fromisoformat(attributes[(OFFICE, "date-value")])
        if kind == "boolean":
            return attributes.get((OFFICE, "boolean-value")) == "true"
    except (KeyError, ValueError):
        pass  # a value LibreOffice did not write: the text shown says it
    return _text(cell)


def _text(cell) -> str | None:
    from odf import teletype

    paragraphs = [teletype.extractText(p) for p in cell.childNodes if _local(p) in ("p", "h")]
    text = "\n".join(paragraphs)
    if not text:
        return None
    return CutText(text, len(text)) if len(text) > MAX_CELL_CHARS else text
