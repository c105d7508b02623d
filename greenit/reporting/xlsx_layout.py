"""XLSX sheets as greenit writes them: streamed to disk, a header that stays in view, filters,
readable widths, numbers shown with separators and a sensible number of decimals.

Only the presentation: the values in the cells are the computed ones, at full precision, so a
user who sums or re-computes in Excel gets greenit's figures. Formats are Excel's own codes
(``#,##0.0``), which Excel shows with the reader's separators (``12 345,6`` in French).

The workbook is written in openpyxl's write-only mode: rows go to disk as they come instead of
a cell object per value held in memory (100,000 rows: 46 s and 1.2 GB before, see
:func:`write_workbook`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

#: widths in characters: room for a header word, never a column wider than a screen's half
MIN_WIDTH, MAX_WIDTH = 8, 60
#: rows looked at for a column's width (the first ones: headers and typical values)
WIDTH_SAMPLE = 500
#: above this many rows, number formats are left to Excel (a format per cell costs seconds)
FORMAT_ROWS_LIMIT = 100_000


def number_format(value: float) -> str:
    """Excel's format for a magnitude: no decimal for thousands, three for small shares.

    >>> number_format(5721.3), number_format(12.34), number_format(0.0461), number_format(0.0741)
    ('#,##0', '#,##0.0', '0.000', '0.000')
    >>> number_format(7.41e-3), number_format(2.6e-05)
    ('0.00E+00', '0.00E+00')
    """
    size = abs(value)
    if 0 < size < 0.01:  # an ADPe in kg Sb eq, a request's kWh: 2.6E-05, not 0.000
        return "0.00E+00"
    if size >= 1000:
        return "#,##0"
    if size >= 1 or size == 0:
        return "#,##0.0"
    return "0.000"


@dataclass(frozen=True)
class SheetLayout:
    """How one frame is shown: widths, a format per float column, which columns are mixed."""

    widths: list[float]
    formats: list[str | None]  # a float column's format; None: as Excel shows it
    mixed: list[bool]  # an object column whose float cells get a format each (key figures)
    data_rows: int  # rows inside the filter (a total row stays out of it, in bold)
    percent_units: frozenset[str]

    @classmethod
    def of(cls, frame: pd.DataFrame) -> SheetLayout:
        sample = frame.head(WIDTH_SAMPLE)
        formatted = len(frame) <= FORMAT_ROWS_LIMIT
        shared = _shared_mass_format(frame)
        formats = [
            _column_format(frame[c], shared if "kgCO2e" in str(c) else None) if formatted else None
            for c in frame.columns
        ]
        return cls(
            widths=[_width(str(c), sample[c]) for c in frame.columns],
            formats=formats,
            mixed=[formatted and frame[c].dtype == object for c in frame.columns],
            data_rows=len(frame) - (1 if frame.attrs.get("total_row") else 0),
            percent_units=_percent_units(),
        )


def write_workbook(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    """One sheet per frame (names already valid), written row by row in write-only mode."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name, frame in sheets.items():
        _write_sheet(workbook.create_sheet(name), frame, SheetLayout.of(frame))
    workbook.save(path)


def _write_sheet(sheet, frame: pd.DataFrame, layout: SheetLayout) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(layout.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    if len(frame.columns):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{layout.data_rows + 1}"

    def cell(value, code: str | None = None, strong: bool = False):
        if code is None and not strong:
            return value
        made = WriteOnlyCell(sheet, value=value)
        if code is not None:
            made.number_format = code
        if strong:
            made.font = bold
        return made

    sheet.append([cell(str(c), strong=True) for c in frame.columns])
    columns = [_python_values(frame[c]) for c in frame.columns]
    for number, row in enumerate(zip(*columns, strict=True)):
        strong = number >= layout.data_rows
        sheet.append([cell(value, _code(layout, i, value, row), strong) for i, value in enumerate(row)])


def _code(layout: SheetLayout, index: int, value: object, row: tuple) -> str | None:
    """The number format of one cell: its column's, or, in a key-figures column, its own."""
    if not isinstance(value, float):
        return None
    if layout.mixed[index]:
        unit = row[index + 1] if index + 1 < len(row) else None
        return "0.0%" if unit in layout.percent_units else number_format(value)
    return layout.formats[index]


def _python_values(values: pd.Series) -> list:
    """A column as Python values openpyxl writes: missing → empty cell, numpy → int/float."""
    if pd.api.types.is_float_dtype(values.dtype):
        array = values.to_numpy(dtype=float)
        return [None if not np.isfinite(v) else v for v in array.tolist()]
    if pd.api.types.is_integer_dtype(values.dtype):  # a Categorical is never an integer dtype
        return values.astype(object).where(values.notna(), None).tolist()
    objects = values.astype(object)
    return [None if _missing(v) else _plain(v) for v in objects.tolist()]


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _percent_units() -> frozenset[str]:
    """The unit written beside a share (0–1) in a key-figures sheet (« en % »): shown as 99.9 %."""
    from greenit.i18n import LANGS, text

    return frozenset(text("reporting.xlsx.unit_percent", lang) for lang in LANGS)


def _width(header: str, values: pd.Series) -> float:
    texts = values.dropna().astype(str)
    longest = max([len(header), *(len(t) for t in texts)], default=len(header))
    return float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH))


def _shared_mass_format(frame: pd.DataFrame) -> str | None:
    """One format for every kgCO2e column of a sheet: low, central and high read alike."""
    masses = [c for c in frame.columns if "kgCO2e" in str(c) and pd.api.types.is_float_dtype(frame[c].dtype)]
    values = frame[masses].to_numpy(dtype=float) if masses else np.empty(0)
    values = values[np.isfinite(values)]
    if not len(values):
        return None
    return "#,##0.0" if float(np.abs(values).max()) >= 1 else "0.000"  # kilograms to one decimal


def _column_format(values: pd.Series, shared: str | None) -> str | None:
    """A float column's format: ``shared`` for masses, none for whole numbers' decimals."""
    if not pd.api.types.is_float_dtype(values.dtype):
        return None
    finite = values.to_numpy(dtype=float)
    finite = finite[np.isfinite(finite)]
    if not len(finite):
        return None
    whole = bool(np.all(finite == np.round(finite)))  # quantities, counts: no decimal
    return shared or ("#,##0" if whole else number_format(float(np.abs(finite).max())))
