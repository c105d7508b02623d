"""Instants as tools write them: Unix epochs in seconds or milliseconds, ISO 8601 with ``Z`` or an
offset, and the local times of a log without one.

Tools write the same instant many ways: the OpenAI usage API in Unix seconds, MLflow's REST
API and its ``MlflowClient`` in Unix **milliseconds** (13 digits: read as seconds they are
years past 50,000), W&B in ISO 8601 UTC with ``Z``, pandas' ``to_csv`` with ``+00:00`` (with
or without microseconds in the same column). :func:`instant` reads each as a UTC instant, or
says why it cannot; what is read is given back as naive UTC (greenit's dates carry no zone).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

#: Unix seconds beyond this are milliseconds (1e11 s is the year 5138; 1e11 ms is 1973).
MILLISECONDS_FROM = 1e11
#: Instants greenit accepts (pandas' nanosecond range, as dates elsewhere).
FIRST_YEAR, LAST_YEAR = 1678, 2261


def epoch_seconds(value: float) -> tuple[float, str]:
    """(Unix seconds, ``s`` or ``ms``): 13-digit epochs are milliseconds.

    >>> epoch_seconds(1740989692123), epoch_seconds(1740989692)
    ((1740989692.123, 'ms'), (1740989692, 's'))
    """
    if abs(value) >= MILLISECONDS_FROM:
        return value / 1000, "ms"
    return value, "s"


def instant(value: object) -> tuple[datetime | None, str | None]:
    """(the instant as naive UTC, how it was written: ``s`` | ``ms`` | ``iso``), or (None, None)
    when it is not one (empty, not finite, outside 1678–2261, not a date).

    >>> instant(1740989692123)[0], instant("2025-03-03 08:14:52.123000+00:00")[0]
    (datetime.datetime(2025, 3, 3, 8, 14, 52, 123000), datetime.datetime(2025, 3, 3, 8, 14, 52, 123000))
    >>> instant("2025-11-13T09:48:11.000Z")[0], instant(10**30), instant("hier")
    (datetime.datetime(2025, 11, 13, 9, 48, 11), (None, None), (None, None))
    """
    if value is None or isinstance(value, bool):
        return None, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value) if not isinstance(value, int) or abs(value) < 10**18 else math.inf
        if not math.isfinite(number):
            return None, None
        seconds, unit = epoch_seconds(number)
        moment = _checked(_from_epoch(seconds))
        return (moment, unit) if moment else (None, None)
    text = str(value).strip()
    if not text:
        return None, None
    if text.lstrip("-").replace(".", "", 1).isdigit():
        return instant(float(text) if "." in text else int(text))
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("/", "-"))
    except ValueError:
        return None, None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    checked = _checked(parsed)
    return checked, "iso" if checked else None


def _from_epoch(seconds: float) -> datetime | None:
    try:
        return datetime.fromtimestamp(seconds, tz=UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


def _checked(moment: datetime | None) -> datetime | None:
    return moment if moment is not None and FIRST_YEAR <= moment.year <= LAST_YEAR else None
