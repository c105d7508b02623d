"""XLSX workbooks, read with openpyxl in read-only mode, in bounded memory and time.

What the sheet, the header, empty lines and merged ranges become is :mod:`greenit.parsing.sheets`'
(the same for ODS); this module gives openpyxl's reading of an XLSX its bounds:

- **shared strings** are read by a streaming parser that keeps at most 32,767 characters of
  each (:func:`read_shared_strings`): a 1.5 MB file holding one 50 MB string costs 32 KB, not
  gigabytes, and the cell says how long it was;
- **empty lines** are taken out of the sheet's XML before openpyxl parses it
  (:class:`SheetXml`): a sheet whose lines are formatted down to 1,048,576 is read as fast as
  its few lines of data, and the merged ranges (``<mergeCell ref="A2:A4"/>``) are picked up on
  the way;
- the recorded dimension is ignored and no row is read wider than the header (a stray cell at
  column XFD costs nothing);
- formulas saved without a computed value flag their row (a tool that does not compute);
- a password-protected workbook (an encrypted OLE container, not a zip) is said so.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.parsers import expat

from greenit.errors import InputFileError
from greenit.i18n import msg
from greenit.parsing.reasons import read_error_reason
from greenit.parsing.sheets import (
    MAX_CELL_CHARS,
    MAX_SCAN_COLUMNS,
    CutText,
    MergedRange,
    Sheet,
    choose_sheet,
    column_number,
    is_empty,
    read_sheet,
)

#: The first bytes of an OLE compound file: an encrypted OOXML workbook, or an old .xls.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The stream an encrypted OOXML package is stored in (its name in the OLE directory, UTF-16).
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def is_encrypted_ooxml(source: Path | bytes) -> bool:
    """Whether the file is an OOXML workbook (XLSX, DOCX…) protected by a password: an OLE
    container holding an ``EncryptedPackage`` stream ([MS-OFFCRYPTO] 2.3.4).
    """
    data = source if isinstance(source, bytes) else None
    if data is None:
        with source.open("rb") as handle:  # type: ignore[union-attr]
            if handle.read(8) != OLE_SIGNATURE:
                return False
            data = OLE_SIGNATURE + handle.read(64 << 20)
    return data.startswith(OLE_SIGNATURE) and _ENCRYPTED_STREAM in data


def read_workbook(source: Path | bytes, label: str, *, sheet: str | int | None = None, known=None) -> Sheet:
    """The table of one sheet of an XLSX workbook (``source`` a path or the file's bytes)."""
    if is_encrypted_ooxml(source):
        raise InputFileError.of("formats.file.encrypted", "formats.file.encrypted_hint", path=label)
    handle = io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")
    try:
        workbook = _open_workbook(handle, label, data_only=True)
        try:
            return _read(workbook, source, label, sheet, known)
        except (IndexError, KeyError, ValueError, TypeError, zipfile.BadZipFile, expat.ExpatError) as exc:
            raise _bad_workbook(label, exc) from exc
        finally:
            workbook.close()
    finally:
        handle.close()


def _read(workbook, source: Path | bytes, label: str, sheet, known) -> Sheet:
    sources = [XlsxSheet(workbook, worksheet) for worksheet in workbook.worksheets]
    chosen, head, header_index = choose_sheet(sources, sheet, known, label)
    result = read_sheet(chosen, head, header_index, label)
    result.others = [s.name for s in sources if s.visible and s is not chosen]
    result.hidden = [s.name for s in sources if not s.visible and s is not chosen]
    if chosen.formulas:  # type: ignore[attr-defined]
        _flag_formulas_without_values(source, label, result)
    return result


def _bad_workbook(label: str, exc: BaseException) -> Exception:
    return InputFileError.of(
        "parsing.file.bad_workbook",
        "parsing.file.bad_workbook_hint",
        path=label,
        error=read_error_reason(exc),
    )


def _open_workbook(handle, label: str, *, data_only: bool):
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS

    class BoundedReader(ExcelReader):
        def read_strings(self) -> None:  # openpyxl's reads each string whole
            part = self.package.find(SHARED_STRINGS)
            if part is not None:
                with self.archive.open(part.PartName[1:]) as stream:
                    self.shared_strings = read_shared_strings(stream)

    try:
        reader = BoundedReader(handle, read_only=True, data_only=data_only)
        reader.read()
    except zipfile.BadZipFile as exc:  # text or another format behind an .xlsx name
        raise InputFileError.of("parsing.file.not_xlsx", "parsing.file.not_xlsx_hint", path=label) from exc
    except Exception as exc:  # openpyxl raises many kinds on a corrupt file
        raise _bad_workbook(label, exc) from exc
    return reader.wb


def read_shared_strings(stream, chunk: int = 1 << 20) -> list[str]:
    """The shared strings of a workbook (``xl/sharedStrings.xml``), each cut to 32,767 characters.

    The text of an ``<si>`` is its ``<t>`` and its rich-text runs' ``<t>``, phonetic guides
    (``<rPh>``) left out, as openpyxl reads it; a cut string is a
    :class:`~greenit.parsing.sheets.CutText` that knows its length. Memory: one chunk of the
    file and the strings kept.
    """
    table = _SharedStrings()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler = table.start, table.end
    parser.CharacterDataHandler = table.text
    while block := stream.read(chunk):
        parser.Parse(block, False)
    parser.Parse(b"", True)
    return table.strings


class _SharedStrings:
    """The expat handlers of :func:`read_shared_strings`."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self.parts: list[str] = []
        self.in_text, self.phonetic, self.length = False, 0, 0

    def start(self, name: str, _attributes) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "si":
            self.parts, self.length = [], 0
        elif local == "rPh":
            self.phonetic += 1
        elif local == "t":
            self.in_text = True

    def end(self, name: str) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "si":
            text = "".join(self.parts).replace("x005F_", "")
            self.strings.append(CutText(text, self.length) if self.length > MAX_CELL_CHARS else text)
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "t":
            self.in_text = False

    def text(self, data: str) -> None:
        if self.in_text and not self.phonetic:
            room = MAX_CELL_CHARS + 1 - self.length
            if room > 0:
                self.parts.append(data[:room])
            self.length += len(data)


#: The markers of a cell's value, inline text or formula (elements prefixed ``{}``): a stretch
#: of a sheet's XML without any holds empty lines only.
_CONTENT = (b"<{}v>", b"<{}is>", b"<{}f>", b"<{}f ")


def _empty_row_pattern(prefix: bytes) -> re.Pattern[bytes]:
    """An empty line of a sheet (elements prefixed ``prefix``): numbered, its cells without value."""
    p = re.escape(prefix)
    return re.compile(
        rb"<"
        + p
        + rb'row r="\d+"[^>]*(?:/>|>(?:\s*<'
        + p
        + rb"c [^>]*/>|\s*<"
        + p
        + rb"c [^>]*>\s*</"
        + p
        + rb"c>)*\s*</"
        + p
        + rb"row>)"
    )


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]+)(\d+)(?::([A-Za-z]+)(\d+))?\"")
_ROW_START = re.compile(rb"<(?:\w+:)?row\b")


def _merged_range(match: re.Match[bytes]) -> MergedRange:
    """``<mergeCell ref="A2:B4"/>`` → (2, 1, 4, 2); a one-cell ref is its own range."""
    first_col, first_line = match.group(1).decode(), int(match.group(2))
    last_col = (match.group(3) or match.group(1)).decode()
    last_line = int(match.group(4) or match.group(2))
    return first_line, column_number(first_col), last_line, column_number(last_col)


def _last_row_start(data: bytes) -> int:
    """Where the last ``<row`` element of ``data`` starts (-1 when none)."""
    end = len(data)
    while (found := data.rfind(b"row", 0, end)) > 0:
        start = data.rfind(b"<", 0, found)
        if start >= 0 and (match := _ROW_START.match(data, start)) and match.end() == found + 3:
            return start
        end = found
    return -1


class SheetXml(io.RawIOBase):
    """A sheet's XML as openpyxl reads it, without its empty lines; its merged ranges noted.

    Only whole ``<row>`` elements are ever taken out, and only numbered ones (``r="…"``), so
    openpyxl numbers every line it keeps as the file does.
    """

    def __init__(self, raw, chunk: int = 4 << 20) -> None:
        self._raw, self._chunk = raw, chunk
        self._carry, self._pending, self._offset = b"", b"", 0
        self._empty_row: re.Pattern[bytes] | None = None
        self._markers: tuple[bytes, ...] = ()
        self.merged: list[MergedRange] = []
        self.formulas = False  # whether a formula (``<f>``) was seen

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._offset >= len(self._pending):
            block = self._raw.read(self._chunk)
            if not block and not self._carry:
                return 0
            self._pending, self._offset = self._filter(block), 0
        size = min(len(buffer), len(self._pending) - self._offset)
        buffer[:size] = self._pending[self._offset : self._offset + size]
        self._offset += size
        return size

    def _filter(self, block: bytes) -> bytes:
        data = self._carry + block
        cut = _last_row_start(data) if block else len(data)  # the last line may not be whole yet
        done, self._carry = data[: max(cut, 0)], data[max(cut, 0) :]
        self.merged += [_merged_range(match) for match in _MERGE.finditer(done)]
        return self._drop_empty_rows(done)

    def _drop_empty_rows(self, done: bytes) -> bytes:
        if self._empty_row is None:
            found = re.search(rb"<(\w+:)?sheetData\b", done)
            if found is None:
                return done
            prefix = found.group(1) or b""
            self._empty_row = _empty_row_pattern(prefix)
            self._markers = tuple(marker.replace(b"{}", prefix) for marker in _CONTENT)
        first = self._empty_row.search(done)
        if first is None:
            self.formulas = self.formulas or any(m in done for m in self._markers[2:])
            return done
        if not any(marker in done for marker in self._markers):
            end = done.find(b"sheetData>", first.start())  # the end of the lines, if it is here
            end = len(done) if end < 0 else done.rfind(b"<", 0, end)
            return done[: first.start()] + done[end:]  # empty lines only: the usual tail of a sheet
        self.formulas = self.formulas or any(m in done for m in self._markers[2:])
        return self._empty_row.sub(b"", done)

    def close(self) -> None:
        self._raw.close()
        super().close()


class XlsxSheet:
    """One worksheet of an XLSX workbook as a :class:`~greenit.parsing.sheets.SheetSource`.

    Its XML is parsed by openpyxl's own sheet parser (``WorkSheetParser``: typed values, dates
    from the cell styles, shared strings), fed by :class:`SheetXml`; lines come with their own
    numbers, gaps cost nothing, and no line is read wider than asked.
    """

    def __init__(self, workbook, worksheet) -> None:
        self.workbook, self.worksheet = workbook, worksheet
        self.name = worksheet.title
        self.visible = getattr(worksheet, "sheet_state", "visible") == "visible"
        self.formulas = False  # whether the lines read held a formula
        self._merged: list[MergedRange] = []

    def _parsed(self, stream, first_line: int, width: int) -> Iterator[tuple[int, tuple]]:
        from openpyxl.worksheet._reader import WorkSheetParser

        workbook = self.workbook
        parser = WorkSheetParser(
            stream,
            self.worksheet._shared_strings,
            data_only=workbook.data_only,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for line, cells in parser.parse():
            if line < first_line or not cells:
                continue
            values = [None] * width
            for cell in cells:
                if cell["column"] <= width:
                    values[cell["column"] - 1] = cell["value"]
            yield line, tuple(values)

    def _open(self):
        return self.workbook._archive.open(self.worksheet._worksheet_path)

    def head(self) -> list[tuple]:
        from greenit.parsing.layout import HEADER_SCAN_ROWS

        out: list[tuple] = []
        with self._open() as stream:  # the first lines as they are; parsing stops after them
            for line, values in self._parsed(stream, 1, MAX_SCAN_COLUMNS):
                if line > HEADER_SCAN_ROWS:
                    break
                out += [()] * (line - len(out) - 1)
                out.append(values)
        return out

    def lines(self, first_line: int, width: int) -> Iterator[tuple[int, tuple]]:
        with SheetXml(self._open()) as stream:
            for line, values in self._parsed(stream, first_line, width):
                if not all(is_empty(v) for v in values):
                    yield line, values
            self._merged, self.formulas = stream.merged, stream.formulas

    def merged(self) -> list[MergedRange]:
        return self._merged


def _flag_formulas_without_values(source: Path | bytes, label: str, sheet: Sheet) -> None:
    """Flag the rows whose formulas have no computed value (saved by a tool that does not compute);
    a row holding nothing else is kept, flagged.
    """
    handle = io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")
    workbook = _open_workbook(handle, label, data_only=False)
    try:
        worksheet = XlsxSheet(workbook, workbook[sheet.name])
        position = {line: i for i, line in enumerate(sheet.lines)}
        for line, formulas in worksheet.lines(sheet.header_line + 1, len(sheet.headers)):
            if line not in position:  # formulas only, no value at all: a row to flag
                index = _insert_empty_row(sheet, line)
                position = {ln: i for i, ln in enumerate(sheet.lines)}
            index = position[line]
            values = sheet.rows[index]
            for header, formula, value in zip(sheet.headers, formulas, values, strict=False):
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    reason = msg("parsing.cell.formula_without_value", column=header, formula=formula[:80])
                    sheet.row_reasons.setdefault(line - sheet.header_line - 1, []).append(reason)
    finally:
        workbook.close()
        handle.close()


def _insert_empty_row(sheet: Sheet, line: int) -> int:
    import bisect

    index = bisect.bisect(sheet.lines, line)
    sheet.lines.insert(index, line)
    sheet.rows.insert(index, (None,) * len(sheet.headers))
    return index
