"""The look of the sheets greenit writes: a header that stays in view, filters, readable widths,
numbers shown with separators and a sensible number of decimals.

Only the presentation: the values in the cells are the computed ones, at full precision, so a
user who sums or re-computes in Excel gets greenit's figures. Formats are Excel's own codes
(``#,##0.0``), which Excel shows with the reader's separators (``12 345,6`` in French).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: widths in characters: room for a header word, never a column wider than a screen's half
MIN_WIDTH, MAX_WIDTH = 8, 60
#: rows looked at for a column's width (the first ones: headers and typical values)
WIDTH_SAMPLE = 500
#: above this many rows, number formats are left to Excel (a format per cell costs seconds)
FORMAT_ROWS_LIMIT = 100_000


def _percent_units() -> set[str]:
    """The unit written beside a share (0–1) in a key-figures sheet (« en % »): shown as 99.9 %."""
    from greenit.i18n import LANGS, text

    return {text("reporting.xlsx.unit_percent", lang) for lang in LANGS}


def number_format(value: float) -> str:
    """Excel's format for a magnitude: no decimal for thousands, three for small shares.

    >>> number_format(5721.3), number_format(12.34), number_format(0.0461)
    ('#,##0', '#,##0.0', '0.000')
    """
    size = abs(value)
    if size >= 1000:
        return "#,##0"
    if size >= 1 or size == 0:
        return "#,##0.0"
    return "0.000"


def lay_out(worksheet, frame: pd.DataFrame) -> None:
    """Freeze the header row, filter every column, fit widths and format numbers."""
    from openpyxl.utils import get_column_letter

    worksheet.freeze_panes = "A2"
    data_rows = len(frame) - (1 if frame.attrs.get("total_row") else 0)
    if len(frame.columns):
        worksheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{data_rows + 1}"
    if data_rows < len(frame):
        from openpyxl.styles import Font

        for cell in worksheet[len(frame) + 1]:
            cell.font = Font(bold=True)
    shared = _shared_mass_format(frame)
    sample = frame.head(WIDTH_SAMPLE)
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        worksheet.column_dimensions[letter].width = _width(str(column), sample[column])
        if len(frame) <= FORMAT_ROWS_LIMIT:
            _format_numbers(worksheet, index, frame[column], shared if "kgCO2e" in str(column) else None)


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


def _format_numbers(worksheet, index: int, values: pd.Series, code: str | None = None) -> None:
    """A float column: one format from its largest value (or ``code``); a mixed column (key
    figures): per cell.
    """
    if pd.api.types.is_float_dtype(values.dtype):
        finite = values.to_numpy(dtype=float)
        finite = finite[np.isfinite(finite)]
        if not len(finite):
            return
        whole = bool(np.all(finite == np.round(finite)))  # quantities, counts: no decimal
        code = code or ("#,##0" if whole else number_format(float(np.abs(finite).max())))
        for (cell,) in worksheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = code
    elif values.dtype == object:
        percent = _percent_units()
        for (cell,) in worksheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, float):
                share = worksheet.cell(cell.row, index + 1).value in percent
                cell.number_format = "0.0%" if share else number_format(cell.value)
