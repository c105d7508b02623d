"""Dates as users write them (ISO, DD-MM-YYYY, DD/MM/YYYY, MM/YYYY, YYYY-MM, « mars 2021 », YYYY),
parsed once per distinct value.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from greenit.i18n import msg
from greenit.parsing.frames import distinct

_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T].*)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T].*)?$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})[-/.](\d{4})$"), ("m", "y")),
    (re.compile(r"^(\d{4})[-/.](\d{1,2})$"), ("y", "m")),  # ISO's month: 2021-03
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),  # G4IT accepts 20200708
    (re.compile(r"^(\d{4})(?:\.0+)?$"), ("y",)),  # a year, also as Excel writes a number: 2023.0
]
#: month names (folded: no accents), French and English, full and short → month number
MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("janvier", "january", "jan", "janv"),
            ("fevrier", "february", "feb", "fev", "fevr"),
            ("mars", "march", "mar"),
            ("avril", "april", "apr", "avr"),
            ("mai", "may"),
            ("juin", "june", "jun"),
            ("juillet", "july", "jul", "juil"),
            ("aout", "august", "aug"),
            ("septembre", "september", "sep", "sept"),
            ("octobre", "october", "oct"),
            ("novembre", "november", "nov"),
            ("decembre", "december", "dec"),
        ]
    )
    for name in names
}
_NAMED_MONTH = re.compile(r"^(?:(\d{1,2}) )?([a-z]+)\.? (\d{4})$")
#: Excel's day numbers of 1954–2119 (day 1 is 1900-01-01): a date cell formatted as a number
EXCEL_SERIALS = (20000, 80000)
#: pandas' nanosecond timestamps span these years; a date outside is a typing mistake.
FIRST_YEAR, LAST_YEAR = 1678, 2261
#: NaT as the integer count of nanoseconds numpy keeps it as.
_NAT = np.datetime64("NaT", "ns").view(np.int64)
#: Longest date cell read (``2021-03-15T10:30:00+01:00`` is 25 characters).
MAX_DATE_CHARS = 40


def parse_date(value: object) -> tuple[pd.Timestamp | None, bool]:
    """One date as users write it → (timestamp, understood).

    ISO, DD-MM-YYYY, DD/MM/YYYY, MM/YYYY, YYYY, a year typed as a number (``2023``,
    ``2023.0``) or a date cell of a workbook. A date outside 1678–2261 is not understood
    (:func:`date_problem` says why) rather than wrapped around.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None, True
    if hasattr(value, "year") and not isinstance(value, str):
        return _timestamp(value.year, getattr(value, "month", 1), getattr(value, "day", 1), value)
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and 1000 <= number <= 9999:
            return _timestamp(int(number), 1, 1)
        return None, False
    text = str(value).strip().replace("\u00a0", " ")
    if not text:
        return None, True
    if len(text) > MAX_DATE_CHARS:
        return None, False
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            return _timestamp(parts["y"], parts.get("m", 1), parts.get("d", 1))
    return _named_month(text)


def _named_month(text: str) -> tuple[pd.Timestamp | None, bool]:
    """« mars 2021 », « 15 mars 2021 », « March 2021 », « janv. 2021 » → that day (the 1st)."""
    from greenit.parsing.text import fold

    match = _NAMED_MONTH.match(fold(text.replace("1er", "1")))
    if match is None or match.group(2) not in MONTHS:
        return None, False
    return _timestamp(int(match.group(3)), MONTHS[match.group(2)], int(match.group(1) or 1))


@lru_cache(maxsize=1 << 16)
def _parse_text(text: str) -> tuple[pd.Timestamp | None, bool]:
    """:func:`parse_date` of a text cell, remembered: batches of one file repeat their dates."""
    return parse_date(text)


def _timestamp(year: int, month: int, day: int, original: object = None) -> tuple[pd.Timestamp | None, bool]:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None, False
    try:
        if original is not None and not isinstance(original, np.datetime64):
            return pd.Timestamp(original), True
        return pd.Timestamp(year, month, day), True
    except (ValueError, OverflowError):
        return None, False


def date_problem(value: object, column: str):
    """The reason a cell is not a date: out of the years greenit can count, or not a date at all."""
    timestamp_year = getattr(value, "year", None)
    text = str(value).strip()
    match = re.search(r"\d{4}", text[:MAX_DATE_CHARS]) if timestamp_year is None else None
    year = timestamp_year if timestamp_year is not None else (int(match.group()) if match else None)
    shown = text if len(text) <= 60 else text[:60] + "…"
    serial = excel_serial(value)
    if serial is not None:  # 44256: a date cell shown as its number; never guessed, said
        return msg("parsing.date.excel_serial", column=column, value=shown, date=serial.strftime("%d/%m/%Y"))
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        return msg("parsing.date.out_of_range", column=column, value=shown, first=FIRST_YEAR, last=LAST_YEAR)
    return msg("parsing.date.invalid", column=column, value=shown)


def excel_serial(value: object) -> pd.Timestamp | None:
    """The date an Excel day number stands for (``44256`` → 2021-03-01), or None.

    >>> str(excel_serial("44256").date()), excel_serial("2021"), excel_serial("4425")
    ('2021-03-01', None, None)
    """
    text = str(value).strip().removesuffix(".0")
    if not text.isdigit() or not EXCEL_SERIALS[0] <= int(text) <= EXCEL_SERIALS[1]:
        return None
    return pd.Timestamp("1899-12-30") + pd.Timedelta(days=int(text))


def parse_date_column(column: pd.Series, name: str) -> tuple[np.ndarray, np.ndarray]:
    """A column of dates (any of :func:`parse_date`'s forms) → (datetime64[ns], error messages).

    The messages are None where a cell is a date or empty; ``pd.notna(errors)`` marks the bad ones.
    """
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return column.to_numpy(dtype="datetime64[ns]"), np.full(len(column), None, dtype=object)
    codes, uniques, to_unique = distinct(column)
    parsed = [_parse_text(value) if isinstance(value, str) else parse_date(value) for value in uniques]
    nanoseconds = np.fromiter(
        (p[0].value if p[0] is not None else _NAT for p in parsed), dtype=np.int64, count=len(parsed)
    )
    unique_dates = np.append(nanoseconds, _NAT).view("datetime64[ns]")
    unique_errors = np.array(
        [None if ok else date_problem(value, name) for value, (_, ok) in zip(uniques, parsed, strict=True)]
        + [None],
        dtype=object,
    )
    positions = to_unique[codes]  # -1 (a missing cell): the last, NaT and no error
    return unique_dates[positions], unique_errors[positions]
