"""Reduction targets: a baseline year, a reduction by a year, the straight line between them.

The REEN law asks a town's *stratégie numérique responsable* for reduction objectives and a
yearly review; the GHG Protocol asks that the base year be restated when the method changes.
So the trajectory starts from the baseline **restated with today's factors** — the same
method every year it is set against — and falls linearly to ``baseline × (1 − reduction)`` in
the target year, then stays there::

    target(y) = B × (1 − r × (y − y0) / (Y − y0))      for y0 ≤ y ≤ Y

The reuse target of décret 2023-266 (25 % in 2023, 35 % in 2024, 50 % from 2025 of the retired
equipment sent to reuse) is read from the factor tables (``parameters.csv``) with each year's
recorded reuse rate.
"""

from __future__ import annotations

import datetime as _dt
import re
import sqlite3
from dataclasses import dataclass

from greenit.errors import GreenitError
from greenit.parsing.units import parse_number

_PERCENT = re.compile(r"^\s*([+-]?[\d\s\u00a0\u202f.,]+)\s*(%|pour\s*cent|percent)?\s*$", re.IGNORECASE)


def parse_reduction(value: str | float) -> float:
    """A reduction as a share (0–1]: ``"30%"``, ``"30 %"``, ``"12,5 %"``, ``0.3``; else an error.

    >>> parse_reduction("30%"), parse_reduction("12,5 %"), parse_reduction(0.3)
    (0.3, 0.125, 0.3)
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        share = float(value)
    else:
        match = _PERCENT.match(str(value))
        try:
            number = parse_number(match[1].strip()) if match else float("nan")
        except ValueError:
            number = float("nan")
        share = number / 100 if match and match[2] else number
    if not 0 < share <= 1:
        raise GreenitError.of("history.reduction_invalid", "history.reduction_hint", value=str(value))
    return share


@dataclass(frozen=True)
class Target:
    """A reduction target of one organisation (or of all of them together)."""

    organisation: str | None
    together: bool
    baseline_year: int
    reduction: float  # share (0–1] of the baseline to cut by ``target_year``
    target_year: int
    baseline_kgco2e: float  # the baseline restated with the factors of ``set_at`` [kgCO2e/year]
    factors_version: str
    factors_sha256: str
    set_at: str

    def value(self, year: int, baseline_kgco2e: float | None = None) -> float | None:
        """The trajectory in ``year`` [kgCO2e/year] (None before the baseline), from
        ``baseline_kgco2e`` [default: the baseline as restated when the target was set].
        """
        return trajectory(
            self.baseline_kgco2e if baseline_kgco2e is None else baseline_kgco2e,
            self.baseline_year,
            self.reduction,
            self.target_year,
            year,
        )


def trajectory(baseline_kgco2e: float, baseline_year: int, reduction: float, target_year: int, year: int):
    """Linear trajectory value in ``year`` [kgCO2e/year]; None before ``baseline_year``.

    >>> trajectory(100.0, 2023, 0.3, 2030, 2023), trajectory(100.0, 2023, 0.3, 2030, 2030)
    (100.0, 70.0)
    >>> round(trajectory(100.0, 2023, 0.3, 2030, 2025), 6), trajectory(100.0, 2023, 0.3, 2030, 2032)
    (91.428571, 70.0)
    """
    if year < baseline_year:
        return None
    progress = min(1.0, (year - baseline_year) / (target_year - baseline_year))
    return baseline_kgco2e * (1 - reduction * progress)


def check_target_years(baseline_year: int, target_year: int) -> None:
    if target_year <= baseline_year:
        raise GreenitError.of(
            "history.target_year_invalid", "history.target_year_hint", baseline=baseline_year, by=target_year
        )


def save_target(connection: sqlite3.Connection, target: Target) -> None:
    """Store ``target`` (the one of the same organisation is replaced)."""
    connection.execute(
        "INSERT OR REPLACE INTO targets (organisation, together, baseline_year, reduction, target_year,"
        " baseline_kgco2e, factors_version, factors_sha256, set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            target.organisation or "",
            int(target.together),
            target.baseline_year,
            target.reduction,
            target.target_year,
            target.baseline_kgco2e,
            target.factors_version,
            target.factors_sha256,
            target.set_at or _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        ),
    )


def load_target(connection: sqlite3.Connection, organisation: str | None, together: bool) -> Target | None:
    row = connection.execute(
        "SELECT baseline_year, reduction, target_year, baseline_kgco2e, factors_version, factors_sha256,"
        " set_at"
        " FROM targets WHERE organisation = ? AND together = ?",
        (organisation or "", int(together)),
    ).fetchone()
    if row is None:
        return None
    return Target(organisation or None, together, *row)
