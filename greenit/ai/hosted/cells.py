"""What people type in usage logs: counts with multipliers, model sizes, quantisation, periods.

Each function reads one cell; :mod:`greenit.ai.hosted.usage` calls them once per distinct value.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from greenit.parsing.dates import parse_date
from greenit.parsing.text import fold
from greenit.parsing.units import parse_number

#: Multipliers people write after a count: ``1,2 M jetons``, ``3 k``, ``2 Md``.
_MULTIPLIERS = {
    "": 1.0,
    "k": 1e3,
    "ko": 1e3,
    "mille": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "mio": 1e6,
    "md": 1e9,
    "mds": 1e9,
    "milliard": 1e9,
    "milliards": 1e9,
    "g": 1e9,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "billions": 1e9,
}
_COUNT_WORDS = re.compile(r"\b(jetons?|tokens?|tok|requetes?|requests?|appels?|calls?|de)\b")
_COUNT = re.compile(r"^([-+]?\d[\d\s.,']*)\s*([a-z]*)\s*$")
_QUANTIZATION_BITS = {
    "none": 16.0,
    "fp16": 16.0,
    "bf16": 16.0,
    "float16": 16.0,
    "fp32": 32.0,
    "int8": 8.0,
    "fp8": 8.0,
    "int4": 4.0,
    "awq": 4.0,
    "gptq": 4.0,
}
_MONTHS = {name: i + 1 for i, names in enumerate([
    ("janvier", "january", "jan", "janv"), ("fevrier", "february", "feb", "fev", "fevr"),
    ("mars", "march", "mar"),
    ("avril", "april", "apr", "avr"), ("mai", "may"), ("juin", "june", "jun"),
    ("juillet", "july", "jul", "juil"), ("aout", "august", "aug"), ("septembre", "september", "sep", "sept"),
    ("octobre", "october", "oct"), ("novembre", "november", "nov"), ("decembre", "december", "dec"),
]) for name in names}  # fmt: skip
_QUARTER = re.compile(r"^(?:t|q)([1-4]) (\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]+) (\d{4})$")


def parse_count(value: object, header_unit: str | None = None) -> float:
    """A count as people write it → a float; NaN when empty; raises ValueError when unreadable.

    ``header_unit`` is a multiplier read in the header (``Jetons (M)``).

    >>> parse_count("1,2 M jetons"), parse_count("18 420"), parse_count("3,5k"), parse_count(12)
    (1200000.0, 18420.0, 3500.0, 12.0)
    """
    header = _MULTIPLIERS.get(fold(header_unit), 1.0) if header_unit else 1.0
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value) * header
    plain = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii").lower()
    plain = _COUNT_WORDS.sub(" ", re.sub(r"[^a-z0-9.,'\s]", " ", plain)).strip()
    if not plain:
        return np.nan
    match = _COUNT.match(plain)
    if not match or match.group(2) not in _MULTIPLIERS:
        raise ValueError(str(value))
    return parse_number(match.group(1)) * _MULTIPLIERS[match.group(2)] * header


def parameters_billion(value: object) -> float:
    """A model size → billions of parameters: ``8b`` → 8, ``70 Md`` → 70, ``123`` → 123 (bare: billions).

    >>> parameters_billion("8b"), parameters_billion("175B"), parameters_billion(7_000_000_000)
    (8.0, 175.0, 7.0)
    """
    try:
        count = parse_count(value)
    except ValueError:
        return np.nan
    return count / 1e9 if count >= 1e5 else count


def quantization_bits(value: object) -> float:
    """``q4`` → 4, ``int8`` → 8, ``none``/``fp16`` → 16 bits per weight; NaN when not understood."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    folded = fold(value).replace(" ", "")
    if folded in _QUANTIZATION_BITS:
        return _QUANTIZATION_BITS[folded]
    match = re.fullmatch(r"(?:q|int|fp)?(\d{1,2})(?:bits?|b|k\w*)?", folded)
    return float(match.group(1)) if match and 1 <= int(match.group(1)) <= 32 else np.nan


def period_start(value: object) -> pd.Timestamp | None:
    """The first day of a period: ``2025-03``, ``mars 2025``, ``T1 2025``, ``01/03/2025-31/03/2025``.

    >>> str(period_start("mars 2025").date()), str(period_start("T2 2025").date())
    ('2025-03-01', '2025-04-01')
    """
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    first = re.split(r"\s+(?:-|–|au|to)\s+|(?<=\d)\s*[–/]\s*(?=\d{1,2}[-/.]\d{1,2}[-/.]\d{4})", text)[0]
    first = re.sub(r"^(\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{4})-.*$", r"\1", first)
    date, understood = parse_date(re.sub(r"^(\d{4})-(\d{1,2})$", r"\1-\2-01", first))
    if date is not None and understood:
        return date
    folded = fold(first)
    quarter = _QUARTER.match(folded)
    if quarter:
        return pd.Timestamp(int(quarter.group(2)), 3 * int(quarter.group(1)) - 2, 1)
    month = _MONTH_YEAR.match(folded)
    if month and month.group(1) in _MONTHS:
        return pd.Timestamp(int(month.group(2)), _MONTHS[month.group(1)], 1)
    return None
