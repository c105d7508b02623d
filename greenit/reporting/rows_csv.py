"""The report's ``inventaire_lignes.csv``, for a spreadsheet in the report's language.

``--rows-out`` keeps greenit's column names and ``.`` decimals (a contract scripts read); the
report's copy is for a person: headers and categories in words (the XLSX rows sheet's), ``;``
between cells, UTF-8 with BOM, and in French decimal commas — what a French Excel reads as
numbers. Text cells are neutralised before the figures are written, so a negative figure never
gets the apostrophe a formula-like text gets.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from greenit.reporting.text import Words


def rows_for_people(rows: pd.DataFrame, summary: dict, lang: str) -> pd.DataFrame:
    """``rows`` (``--rows-out``'s frame) with the XLSX rows sheet's headers and categories."""
    from greenit.reporting.xlsx import rows_sheet

    labels = {g["category"]: g["label"] for g in summary["inventory"]["by_category"] if g.get("category")}
    return rows_sheet(rows, labels, Words(lang))


def decimal_text(values: pd.Series, lang: str) -> np.ndarray:
    """Figures at six significant digits, with a decimal comma in French; empty when missing.

    >>> decimal_text(pd.Series([2.2128, 1234567.0, np.nan]), "fr").tolist()
    ['2,2128', '1,23457E+06', '']
    """
    mark = "," if lang == "fr" else "."
    floats = np.ascontiguousarray(values.to_numpy(dtype=float))
    # each distinct figure written once (a column repeats its factors over thousands of rows),
    # told apart by its bits: -0.0 stays « -0 », as it was written
    bits, where = np.unique(floats.view(np.int64), return_inverse=True)
    written = ["" if np.isnan(v) else f"{v:.6G}".replace(".", mark) for v in bits.view(np.float64).tolist()]
    return np.array(written, dtype=object)[where.reshape(-1)]


def write_rows_csv(path: str | Path, rows: pd.DataFrame, summary: dict, lang: str) -> Path:
    """``path`` with :func:`rows_for_people`, written atomically."""
    from greenit.reporting.output import neutralise_frame, write_atomic, write_csv_rows

    frame = neutralise_frame(rows_for_people(rows, summary, lang))
    for column in frame.columns:
        if pd.api.types.is_float_dtype(frame[column].dtype):
            frame[column] = decimal_text(frame[column], lang)

    def write(file: Path) -> None:
        with file.open("wb") as handle:
            handle.write("\ufeff".encode())
            write_csv_rows(frame, handle, header=True)

    return write_atomic(path, write)
