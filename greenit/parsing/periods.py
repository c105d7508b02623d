"""Periods as people write them in usage logs → the span of time they cover.

``2025-03``, ``mars 2025``, ``T1 2025``, ``2025-Q1``, ``S1 2025``, ``2025``, ``2025-W12``, a day
(``04/03/2025``, ``2025-03-04T10:00:00Z``) or a range (``01/03/2025-31/03/2025``, ``du 1er mars
au 31 mars 2025``, ``2025-03-01/2025-03-31``) → (first instant, first instant after). An AI
row's period says which year's footprint it belongs to (:mod:`greenit.ai.periods`) and how much
of the year a log covers — a usage log of January is one month, never a year.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from greenit.parsing.dates import MONTHS as _MONTHS
from greenit.parsing.dates import parse_date
from greenit.parsing.text import fold

_QUARTER = re.compile(
    r"^(?:(?:t|q)([1-4]) (\d{4})|(\d{4}) (?:t|q)([1-4])|([1-4])(?:er|e|eme|st|nd|rd|th)? trimestre (\d{4}))$"
)
_HALF = re.compile(r"^(?:(?:s|h)([12]) (\d{4})|(\d{4}) (?:s|h)([12]))$")
_WEEK = re.compile(r"^(\d{4}) w(\d{1,2})$|^(?:semaine|week|sem) (\d{1,2}) (\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]+) (\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$|^(\d{1,2})[-/.](\d{4})$")
_RANGE = re.compile(
    r"\s*(?:\s[-–]\s|–|\bau\b|\bto\b|\bjusqu'?au\b|(?<=\d{4}-\d{2}-\d{2})/(?=\d{4}-)|(?<=\d)-(?=\d{1,2}[/.]\d{1,2}[/.]\d{4}))\s*"
)

Span = tuple[pd.Timestamp | None, pd.Timestamp | None]


def period_span(value: object) -> Span:
    """The period ``value`` covers: (first instant, first instant after); (None, None) when
    it is empty or not understood.

    >>> [str(t.date()) for t in period_span("mars 2025")], [str(t.date()) for t in period_span("T4 2025")]
    (['2025-03-01', '2025-04-01'], ['2025-10-01', '2026-01-01'])
    >>> [str(t.date()) for t in period_span("01/03/2025-31/03/2025")]
    ['2025-03-01', '2025-04-01']
    """
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None, None
    if hasattr(value, "year") and not isinstance(value, str):
        start = pd.Timestamp(value)
        return start.normalize(), start.normalize() + pd.Timedelta(days=1)
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and 1900 <= number <= 2200:
            return _year(int(number))
        return None, None
    return _text_span(str(value).strip()[:80])


@lru_cache(maxsize=4096)
def _text_span(text: str) -> Span:
    if not text:
        return None, None
    text = re.sub(r"^(?:du|from)\s+", "", text, flags=re.IGNORECASE)
    parts = [p for p in _RANGE.split(text) if p.strip()]
    if len(parts) == 2:
        first, last = _one(parts[0]), _one(parts[1])
        if first[0] is not None and last[1] is not None and first[0] < last[1]:
            return first[0], last[1]
    return _one(text)


def _one(text: str) -> Span:
    """One period written alone: a day, a week, a month, a quarter, a half-year or a year."""
    folded = fold(text.replace("1er", "1"))
    month = _YEAR_MONTH.match(text.strip())
    if month:
        year, number = (
            (month.group(1), month.group(2)) if month.group(1) else (month.group(4), month.group(3))
        )
        return _months(int(year), int(number), 1)
    for pattern, size in ((_QUARTER, 3), (_HALF, 6)):
        found = pattern.match(folded)
        if found:
            numbers = [int(g) for g in found.groups() if g is not None]
            year, index = (numbers[0], numbers[1]) if numbers[0] > 12 else (numbers[1], numbers[0])
            return _months(year, size * (index - 1) + 1, size)
    week = _WEEK.match(folded)
    if week:
        year, number = (week.group(1), week.group(2)) if week.group(1) else (week.group(4), week.group(3))
        return _week(int(year), int(number))
    named = _MONTH_YEAR.match(folded)
    if named and named.group(1) in _MONTHS:
        return _months(int(named.group(2)), _MONTHS[named.group(1)], 1)
    if re.fullmatch(r"\d{4}", folded):
        return _year(int(folded))
    date, understood = parse_date(text)
    if date is not None and understood:
        day = pd.Timestamp(date).normalize()
        return day, day + pd.Timedelta(days=1)
    return None, None


def _months(year: int, month: int, count: int) -> Span:
    if not (1678 <= year <= 2261 and 1 <= month <= 12):
        return None, None
    start = pd.Timestamp(year, month, 1)
    return start, start + pd.DateOffset(months=count)


def _year(year: int) -> Span:
    return _months(year, 1, 12)


def _week(year: int, week: int) -> Span:
    try:
        start = pd.Timestamp.fromisocalendar(year, week, 1)
    except ValueError:
        return None, None
    return start, start + pd.Timedelta(days=7)


def period_spans(periods: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each row's period as (start, end) datetime64 arrays, parsed once per distinct value."""
    codes, uniques = pd.factorize(periods, use_na_sentinel=True)
    spans = [period_span(u) for u in uniques] + [(None, None)]
    starts = np.array(
        [s if s is not None else np.datetime64("NaT") for s, _ in spans], dtype="datetime64[ns]"
    )
    ends = np.array([e if e is not None else np.datetime64("NaT") for _, e in spans], dtype="datetime64[ns]")
    positions = np.where(codes >= 0, codes, len(uniques))
    return starts[positions], ends[positions]
