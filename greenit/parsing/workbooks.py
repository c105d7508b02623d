"""XLSX workbooks as people keep them: a notice sheet, title rows, blank rows, formulas.

Read with openpyxl in read-only mode, row by row, never wider than the header: a stray cell
at column XFD or a sheet whose recorded dimension is absurd costs nothing. The sheet read is
the one chosen (``--sheet NAME|N``) or the one whose header names the most known columns;
the others are named in the file's notes, never ignored in silence.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from greenit.errors import InputFileError
from greenit.i18n import Message, msg
from greenit.parsing.layout import HEADER_SCAN_ROWS, find_header_row
from greenit.parsing.reasons import read_error_reason
from greenit.parsing.text import fold

#: Columns looked at to find the header; a table is never wider in practice.
MAX_SCAN_COLUMNS = 512
#: Longest text kept from one cell (Excel's own limit); longer cells are cut and the row flagged.
MAX_CELL_CHARS = 32_767


@dataclass
class Sheet:
    """A sheet read into rows, with what reading it had to say."""

    name: str
    headers: list[str]
    rows: list[tuple]
    header_line: int  # 1-based spreadsheet line of the header
    others: list[str] = field(default_factory=list)  # the sheets not read
    row_reasons: dict[int, list[Message]] = field(default_factory=dict)  # data row position → reasons


def read_workbook(
    source: Path | bytes,
    label: str,
    *,
    sheet: str | int | None = None,
    known: Callable[[str], bool] | None = None,
) -> Sheet:
    """The table of one sheet of an XLSX workbook (``source`` a path or the file's bytes)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(_open(source), read_only=True, data_only=True)
    except zipfile.BadZipFile as exc:  # text or another format behind an .xlsx name
        raise InputFileError.of("parsing.file.not_xlsx", "parsing.file.not_xlsx_hint", path=label) from exc
    except Exception as exc:  # openpyxl raises many kinds on a corrupt file
        raise InputFileError.of(
            "parsing.file.bad_workbook",
            "parsing.file.bad_workbook_hint",
            path=label,
            error=read_error_reason(exc),
        ) from exc
    try:
        worksheet, head, header_index = _choose_sheet(workbook, sheet, known, label)
        result = _read_sheet(worksheet, head, header_index)
        result.others = [n for n in workbook.sheetnames if n != worksheet.title]
        if _has_formulas(workbook, worksheet):
            _flag_formulas_without_values(source, result)
    finally:
        workbook.close()
    return result


def _open(source: Path | bytes):
    return io.BytesIO(source) if isinstance(source, bytes) else source


def _head(worksheet) -> list[tuple]:
    worksheet.reset_dimensions()  # a recorded dimension may be absurd (A1:XFD1048576)
    return list(
        worksheet.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, max_col=MAX_SCAN_COLUMNS, values_only=True)
    )


def _choose_sheet(workbook, sheet, known, label: str):
    names = workbook.sheetnames
    if sheet is not None and str(sheet).strip() != "":
        worksheet = workbook[_sheet_name(names, sheet, label)]
        head = _head(worksheet)
        return worksheet, head, find_header_row(head, known)
    best = None
    for name in names:
        worksheet = workbook[name]
        if getattr(worksheet, "sheet_state", "visible") != "visible" and best is not None:
            continue
        head = _head(worksheet)
        index = find_header_row(head, known)
        score = _sheet_score(head, index, known)
        if best is None or score > best[0]:
            best = (score, worksheet, head, index)
    if best is None or best[0][1] == 0:
        raise InputFileError.of("parsing.file.no_data", "parsing.file.no_data_hint", path=label)
    return best[1], best[2], best[3]


def _sheet_score(head: list[tuple], index: int, known) -> tuple[int, int]:
    """(known headers in the header row, rows with two cells or more): the table's sheet wins."""
    cells = [str(c).strip() for c in (head[index] if head else ()) if c is not None and str(c).strip()]
    known_count = sum(1 for c in cells if len(c) <= 200 and known(c)) if known else 0
    table_rows = sum(1 for row in head if sum(1 for c in row if c is not None and str(c).strip()) >= 2)
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


def _read_sheet(worksheet, head: list[tuple], header_index: int) -> Sheet:
    header_cells = list(head[header_index]) if head else []
    while header_cells and (header_cells[-1] is None or str(header_cells[-1]).strip() == ""):
        header_cells.pop()
    width = len(header_cells)
    if width == 0:
        raise InputFileError.of("parsing.file.no_header", "parsing.file.no_header_hint", path=worksheet.title)
    headers = [
        str(c).strip() if c is not None and str(c).strip() else f"#{i + 1}"
        for i, c in enumerate(header_cells)
    ]
    result = Sheet(worksheet.title, headers, [], header_index + 1)
    for values in worksheet.iter_rows(min_row=header_index + 2, max_col=width, values_only=True):
        values = tuple(values) + (None,) * (width - len(values))
        if any(isinstance(v, str) and len(v) > MAX_CELL_CHARS for v in values):
            values = _cut_long_cells(values, headers, result, len(result.rows))
        result.rows.append(values)
    return result


def _cut_long_cells(values: tuple, headers: list[str], sheet: Sheet, position: int) -> tuple:
    cut = []
    for header, value in zip(headers, values, strict=True):
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            reason = msg("parsing.cell.too_long", column=header, length=len(value), limit=MAX_CELL_CHARS)
            sheet.row_reasons.setdefault(position, []).append(reason)
            value = value[:MAX_CELL_CHARS]
        cut.append(value)
    return tuple(cut)


def _has_formulas(workbook, worksheet) -> bool:
    """Whether the sheet's XML holds a formula (``<f>`` element), read as a stream."""
    path = getattr(worksheet, "_worksheet_path", None)
    archive = getattr(workbook, "_archive", None)
    if path is None or archive is None:
        return False
    tail = b""
    with archive.open(path) as stream:
        while chunk := stream.read(1 << 20):
            if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                return True
            tail = chunk[-3:]
    return False


def _flag_formulas_without_values(source: Path | bytes, sheet: Sheet) -> None:
    """Flag the rows whose formulas have no computed value (saved by a tool that does not compute)."""
    from openpyxl import load_workbook

    workbook = load_workbook(_open(source), read_only=True, data_only=False)
    try:
        worksheet = workbook[sheet.name]
        worksheet.reset_dimensions()
        width = len(sheet.headers)
        start = sheet.header_line + 1
        for position, formulas in enumerate(
            worksheet.iter_rows(min_row=start, max_col=width, values_only=True)
        ):
            if position >= len(sheet.rows):
                break
            for header, formula, value in zip(sheet.headers, formulas, sheet.rows[position], strict=False):
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    reason = msg("parsing.cell.formula_without_value", column=header, formula=formula[:80])
                    sheet.row_reasons.setdefault(position, []).append(reason)
    finally:
        workbook.close()


def sheet_frame(sheet: Sheet) -> pd.DataFrame:
    """The sheet's rows as a raw frame (cells as read: text, numbers, dates)."""
    headers = _unique(sheet.headers)
    return (
        pd.DataFrame.from_records(sheet.rows, columns=headers)
        if sheet.rows
        else pd.DataFrame(columns=headers)
    )


def _unique(headers: list[str]) -> list[str]:
    """Headers made unique the way pandas does for CSV (``Nom``, ``Nom.1``)."""
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        count = seen.get(header, 0)
        out.append(header if count == 0 else f"{header}.{count}")
        seen[header] = count + 1
    return out
