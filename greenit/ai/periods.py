"""Which year each AI row belongs to, and how much of the year a set of logs covers.

Every AI row gets its period: a run from its start to its end (``ended_at``, else its start plus
its duration), a hosted usage row from its ``period`` (``mars 2025``, ``T1 2025``, a range…:
:mod:`greenit.parsing.periods`). With a reference year, a row whose period lies wholly outside
it is kept out of that year's totals — flagged « hors de 2025 », listed apart, never dropped;
a row whose period straddles the year is counted whole and says so. A row without a date
cannot be placed: it is counted, and the outputs say how many. :func:`coverage` says which
months of the year the counted rows cover, so one month of usage is never read as a year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from greenit.flags import Flags
from greenit.i18n import Verbatim, msg
from greenit.parsing.periods import period_spans


def run_periods(runs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(start, end) of each run: its start, and its end or its start plus its duration."""
    start = pd.to_datetime(runs["started_at"]).to_numpy(dtype="datetime64[ns]")
    if "ended_at" in runs.columns:
        end = pd.to_datetime(runs["ended_at"]).to_numpy(dtype="datetime64[ns]")
    else:
        end = np.full(len(runs), np.datetime64("NaT"), dtype="datetime64[ns]")
    hours = runs["hours"].to_numpy(dtype=float) if "hours" in runs.columns else np.full(len(runs), np.nan)
    lasted = start + pd.to_timedelta(np.where(np.isfinite(hours), hours, np.nan), unit="h").to_numpy()
    end = np.where(np.isnat(end), lasted, end)
    end = np.where(np.isnat(end), start, end)  # a start alone: the run is placed at its start
    return start, end


def add_periods(frame: pd.DataFrame) -> None:
    """``period_start`` and ``period_end`` of every row of a normalised runs or usage frame."""
    if "period" in frame.columns and "started_at" not in frame.columns:
        start, end = period_spans(frame["period"])
    else:
        start, end = run_periods(frame)
    frame["period_start"] = start
    frame["period_end"] = end


def place_in_year(frame: pd.DataFrame, year: int | None) -> None:
    """Flag the rows whose period lies wholly outside ``year``; note those that straddle it.

    Sets ``outside_year`` (bool) on every row; nothing is flagged when ``year`` is None.
    """
    n = len(frame)
    if year is None:
        frame["outside_year"] = np.zeros(n, dtype=bool)
        return
    first, after = np.datetime64(f"{year}-01-01", "ns"), np.datetime64(f"{year + 1}-01-01", "ns")
    start, end = frame["period_start"].to_numpy(), frame["period_end"].to_numpy()
    dated = ~np.isnat(start)
    instant = dated & (end <= start)
    before = dated & np.where(instant, start < first, end <= first)
    later = dated & (start >= after)
    outside = before | later
    straddles = dated & ~outside & ((start < first) | (end > after))
    flags = Flags(n)
    flags.add_column(frame["reason"])
    cache: dict[str, object] = {}
    for position in np.flatnonzero(outside).tolist():
        text = period_text(start[position], end[position])
        flags.add_at(
            position, cache.setdefault(text, msg("periods.outside_year", year=year, period=Verbatim(text)))
        )
    frame["reason"] = flags.column()
    frame["outside_year"] = outside
    if straddles.any():
        notes = Flags(n)
        if "notes" in frame.columns:
            notes.add_column(frame["notes"])
        notes.add(straddles, msg("periods.straddles_year", year=year))
        frame["notes"] = notes.column()


def period_text(start: np.datetime64, end: np.datetime64) -> str:
    """``2019-03-04`` (one day or instant), ``2025-03-01 → 2025-03-31`` (a span, last day included)."""
    first = pd.Timestamp(start)
    last = pd.Timestamp(end) - pd.Timedelta(days=1) if not np.isnat(end) else first
    if np.isnat(end) or last <= first or (pd.Timestamp(end) - first) <= pd.Timedelta(days=1):
        return f"{first:%Y-%m-%d}"
    return f"{first:%Y-%m-%d} → {last:%Y-%m-%d}"


@dataclass(frozen=True)
class Coverage:
    """What the counted AI rows of a year cover: the months touched, the undated rows."""

    year: int | None
    first: str | None  # first day covered (ISO), None when no row is dated
    last: str | None  # last day covered (ISO)
    months: tuple[int, ...]  # months of ``year`` (1–12) some counted row covers
    undated: int  # counted rows without a date
    outside: int  # rows kept out of the year
    outside_years: dict[int, int]  # year → rows kept out, by the year their period starts in

    @property
    def partial(self) -> bool:
        """A year is partly covered: the dated rows touch fewer than its twelve months."""
        return self.year is not None and 0 < len(self.months) < 12

    def to_json(self) -> dict:
        return {
            "year": self.year,
            "first": self.first,
            "last": self.last,
            "months_covered": len(self.months) if self.year is not None else None,
            "months": [f"{self.year}-{m:02d}" for m in self.months] if self.year is not None else [],
            "partial": self.partial,
            "undated": self.undated,
            "outside_year": self.outside,
            "outside_years": {str(k): v for k, v in sorted(self.outside_years.items())},
        }


def coverage(counted: pd.DataFrame, kept_out: pd.DataFrame, year: int | None) -> Coverage:
    """The months of ``year`` the ``counted`` rows cover, and the rows ``kept_out`` by year."""
    start = _dates(counted, "period_start")
    end = _dates(counted, "period_end")
    dated = ~np.isnat(start)
    months: set[int] = set()
    if year is not None and dated.any():
        first, after = pd.Timestamp(year, 1, 1), pd.Timestamp(year + 1, 1, 1)
        for begin, stop in set(zip(start[dated].tolist(), end[dated].tolist(), strict=True)):
            months |= _months_touched(pd.Timestamp(begin), pd.Timestamp(stop), first, after)
    outside_start = _dates(kept_out, "period_start")
    years = pd.Series(outside_start[~np.isnat(outside_start)]).dt.year.value_counts()
    return Coverage(
        year=year,
        first=f"{pd.Timestamp(start[dated].min()):%Y-%m-%d}" if dated.any() else None,
        last=f"{pd.Timestamp(_last_instant(start, end)[dated].max()):%Y-%m-%d}" if dated.any() else None,
        months=tuple(sorted(months)),
        undated=int((~dated).sum()),
        outside=len(kept_out),
        outside_years={int(k): int(v) for k, v in years.items()},
    )


def _last_instant(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The last instant each period [start, end) holds: « décembre 2025 » ends on 2026-01-01
    exclusive, so its last day is 2025-12-31 — never a data year of 2026. An instant is itself.
    """
    return np.where(end > start, end - np.timedelta64(1, "ns"), start)


def _dates(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[ns]")
    return pd.to_datetime(frame[column]).to_numpy(dtype="datetime64[ns]")


def _months_touched(
    begin: pd.Timestamp, stop: pd.Timestamp, first: pd.Timestamp, after: pd.Timestamp
) -> set[int]:
    """The months of [first, after) that [begin, stop) touches (an instant touches its month)."""
    low, high = max(begin, first), min(max(stop, begin + pd.Timedelta(microseconds=1)), after)
    if low >= high:
        return set()
    last = high - pd.Timedelta(microseconds=1)
    return set(range(low.month, last.month + 1)) if low.year == last.year else set()
