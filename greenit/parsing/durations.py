"""Durations as teams write them in run logs: ``3h30``, ``1 j 2 h``, ``01:30:00``, ``1-02:30:00``.

Single quantities (``6 h``, ``2 jours``, ``40 min``, a bare number with the unit in the header)
are left to the unit layer (:mod:`greenit.parsing.units`); this module reads the spellings it
cannot: compound durations, clock times, Slurm's ``[D-]HH:MM:SS`` and ISO 8601 ``PT1H30M``.
Every function returns hours, or None when the text is not one of these spellings.
"""

from __future__ import annotations

import re

#: unit word → hours
_UNIT_HOURS = {
    **dict.fromkeys(("d", "j", "jr", "jrs", "jour", "jours", "day", "days"), 24.0),
    **dict.fromkeys(("h", "hr", "hrs", "heure", "heures", "hour", "hours"), 1.0),
    **dict.fromkeys(("m", "mn", "min", "mins", "minute", "minutes"), 1 / 60),
    **dict.fromkeys(("s", "sec", "secs", "seconde", "secondes", "second", "seconds"), 1 / 3600),
}
_NUMBER = r"\d+(?:[.,]\d+)?"
_PART = re.compile(rf"({_NUMBER})\s*([a-z]*)\s*")
_COMPOUND = re.compile(rf"(?:{_NUMBER}\s*[a-z]*\s*)+")
_FILLER = re.compile(r"\b(?:et|and)\b|,(?!\d)")
_CLOCK = re.compile(r"(?:(\d+)-)?(\d+):([0-5]?\d)(?::([0-5]?\d(?:[.,]\d+)?))?")
_DAYS_HOURS = re.compile(r"(\d+)-(\d{1,2})")
_ISO = re.compile(
    rf"p(?:({_NUMBER})d)?(?:t(?:({_NUMBER})h)?(?:({_NUMBER})m)?(?:({_NUMBER})s)?)?", re.IGNORECASE
)


def _number(text: str | None) -> float:
    return float(text.replace(",", ".")) if text else 0.0


def compound_hours(text: str) -> float | None:
    """``3h30`` → 3.5, ``1 j 2 h`` → 26, ``1h 30min 15s``, ``2 h et 15 min`` [h]; else None.

    A bare number may end the text only after hours (minutes: ``3h30``) or minutes (seconds).

    >>> compound_hours("3h30"), compound_hours("1 j 2 h"), compound_hours("90 min")
    (3.5, 26.0, 1.5)
    >>> compound_hours("2 160 h") is None  # thousands separator: a single quantity
    True
    """
    text = _FILLER.sub(" ", text.strip().lower())
    if not _COMPOUND.fullmatch(text):
        return None
    parts = _PART.findall(text)
    total, previous = 0.0, -1.0  # -1: no unit yet
    for position, (number, unit) in enumerate(parts):
        if not unit:
            last = position == len(parts) - 1
            follows = {1.0: 1 / 60, 1 / 60: 1 / 3600}.get(previous) if last else None  # 1 h 30, 2 min 10
            if follows is None:
                return None
            total += _number(number) * follows
            continue
        if unit not in _UNIT_HOURS:
            return None
        previous = _UNIT_HOURS[unit]
        total += _number(number) * previous
    return total


def clock_hours(text: str, *, minutes_seconds: bool = False) -> float | None:
    """``01:30:00`` → 1.5, ``1-02:30:00`` (Slurm: days-hours:minutes:seconds) → 26.5 [h].

    Two fields (``1:30``) are hours:minutes in a hand-written log, minutes:seconds in a
    Slurm export (``minutes_seconds=True``, sacct's ``[DD-[HH:]]MM:SS``). ``1-02`` is
    Slurm's days-hours.

    >>> clock_hours("1-02:30:00"), clock_hours("01:30:00")
    (26.5, 1.5)
    >>> round(clock_hours("45:12", minutes_seconds=True), 3)
    0.753
    """
    text = text.strip()
    match = _CLOCK.fullmatch(text)
    if match:
        days, first, second, third = match.groups()
        if third is None and minutes_seconds and days is None:
            hours, minutes, seconds = 0.0, _number(first), _number(second)
        elif third is None:
            hours, minutes, seconds = _number(first), _number(second), 0.0
        else:
            hours, minutes, seconds = _number(first), _number(second), _number(third)
        return _number(days) * 24 + hours + minutes / 60 + seconds / 3600
    match = _DAYS_HOURS.fullmatch(text)
    if match:
        return _number(match.group(1)) * 24 + _number(match.group(2))
    return None


def iso_hours(text: str) -> float | None:
    """ISO 8601 durations: ``PT1H30M`` → 1.5, ``P1DT2H`` → 26 [h].

    >>> iso_hours("PT1H30M"), iso_hours("P1DT2H")
    (1.5, 26.0)
    """
    text = text.strip()
    match = _ISO.fullmatch(text)
    if not match or not any(match.groups()) or text.lower().endswith("t"):
        return None
    days, hours, minutes, seconds = (_number(g) for g in match.groups())
    return days * 24 + hours + minutes / 60 + seconds / 3600


def duration_hours(text: str, *, minutes_seconds: bool = False) -> float | None:
    """Any of the spellings above, in hours; None when the text is none of them."""
    for reader in (compound_hours, iso_hours):
        hours = reader(text)
        if hours is not None:
            return hours
    return clock_hours(text, minutes_seconds=minutes_seconds)
