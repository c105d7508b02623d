"""Dates as users write them (ISO, DD-MM-YYYY, DD/MM/YYYY, MM/YYYY, YYYY), parsed once per distinct value."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from greenit.i18n import msg

_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T].*)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T].*)?$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})[-/.](\d{4})$"), ("m", "y")),
    (re.compile(r"^(\d{4})$"), ("y",)),
]


def parse_date(value: object) -> tuple[pd.Timestamp | None, bool]:
    """One date as users write it (ISO, DD-MM-YYYY, DD/MM/YYYY, YYYY) → (timestamp, understood)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None, True
    if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "year"):
        return pd.Timestamp(value), True
    text = str(value).strip().replace("\u00a0", " ")
    if not text:
        return None, True
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return pd.Timestamp(parts["y"], parts.get("m", 1), parts.get("d", 1)), True
            except ValueError:
                break
    return None, False


def parse_date_column(column: pd.Series, name: str) -> tuple[np.ndarray, np.ndarray]:
    """A column of dates (any of :func:`parse_date`'s forms) → (datetime64[ns], error messages).

    The messages are None where a cell is a date or empty; ``pd.notna(errors)`` marks the bad ones.
    """
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return column.to_numpy(dtype="datetime64[ns]"), np.full(len(column), None, dtype=object)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    parsed = [parse_date(value) for value in uniques]
    unique_dates = np.array(
        [p[0] if p[0] is not None else np.datetime64("NaT") for p in parsed] + [np.datetime64("NaT")],
        dtype="datetime64[ns]",
    )
    unique_errors = np.array(
        [
            None if ok else msg("parsing.date.invalid", column=name, value=str(value).strip())
            for value, (_, ok) in zip(uniques, parsed, strict=True)
        ]
        + [None],
        dtype=object,
    )
    positions = np.where(codes >= 0, codes, len(uniques))
    return unique_dates[positions], unique_errors[positions]
