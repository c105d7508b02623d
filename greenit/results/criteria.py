"""Sums of the criteria beyond carbon, that add up across batches, and their JSON.

For each criterion and phase: the sum of the central, low and high columns over the estimated
rows, and the devices whose figure is given (the coverage); the categories whose figure is not
given are kept with their devices, so the outputs can say « non renseigné » and for what.
A criterion's total is the sum of its given phases; its coverage says what it leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from greenit.factors.criteria import BOUNDS, CRITERIA, PHASES, criteria_columns
from greenit.results.groups import Keys, compensated_sums, weighted, without_attrs
from greenit.results.jsonsafe import significant

_GWP_PHASES = {"manufacture": "manufacture", "use": "use", "end_of_life": "end_of_life"}


def _phase_columns() -> list[tuple[str, str, str]]:
    """(criterion key, phase, central column) of every phase a table can give."""
    return [
        (c.key, phase, c.column(phase))
        for c in CRITERIA
        for phase in PHASES
        if phase == "use" or c.manufacture
    ]


@dataclass
class CriteriaSums:
    """Sums of the criteria columns of estimated rows, devices covered and not covered."""

    sums: dict[str, float] = field(default_factory=lambda: dict.fromkeys(criteria_columns(), 0.0))
    covered: dict[str, float] = field(default_factory=dict)  # central column → devices given
    quantity: float = 0.0  # devices estimated
    #: central column → {category: devices} whose figure is not given
    missing: dict[str, dict[str, float]] = field(default_factory=dict)
    categories: frozenset[str] = frozenset()  # categories estimated

    @classmethod
    def from_rows(
        cls, estimated: pd.DataFrame, mask: np.ndarray, *, weights: np.ndarray | None = None
    ) -> CriteriaSums:
        """The sums of the estimated rows (``mask``) of a frame of stage ``estimated``.

        ``weights`` (one per row): how many input rows each row stands for
        (:meth:`greenit.results.InventorySummary.from_rows`); devices and figures are summed
        times the weights.
        """
        if not set(criteria_columns()) <= set(estimated.columns):
            return cls()
        rows = without_attrs(estimated)
        kept = None if weights is None else weights[mask]
        quantity = weighted(rows["quantity"].to_numpy(dtype=float)[mask], kept)
        sums = {c: _nansum(weighted(rows[c].to_numpy(dtype=float)[mask], kept)) for c in criteria_columns()}
        category = Keys.of(rows["category"]).where(mask)
        given = {column: rows[column].notna().to_numpy()[mask] for _, _, column in _phase_columns()}
        covered = {column: float(quantity[known].sum()) for column, known in given.items()}
        missing = {
            column: _devices_per_category(category.where(~known), quantity[~known])
            for column, known in given.items()
        }
        categories = frozenset(str(c) for c in category.seen())
        return cls(sums, covered, float(quantity.sum()), missing, categories)

    def merge(self, other: CriteriaSums) -> CriteriaSums:
        missing = {k: dict(v) for k, v in self.missing.items()}
        for column, categories in other.missing.items():
            for category, devices in categories.items():
                missing.setdefault(column, {})[category] = (
                    missing.get(column, {}).get(category, 0.0) + devices
                )
        return CriteriaSums(
            sums={k: self.sums.get(k, 0.0) + other.sums.get(k, 0.0) for k in criteria_columns()},
            covered={
                k: self.covered.get(k, 0.0) + other.covered.get(k, 0.0)
                for k in {*self.covered, *other.covered}
            },
            quantity=self.quantity + other.quantity,
            missing=missing,
            categories=self.categories | other.categories,
        )

    def to_json(self, totals: dict[str, float]) -> dict:
        """The ``criteria`` object of ``estimate --json`` (DESIGN.md, Wave 3 contracts)."""
        out = {"gwp_kgco2e": _gwp(totals)}
        for criterion in CRITERIA:
            phases: dict[str, dict | None] = {}
            coverage: dict[str, float] = {}
            not_given: dict[str, list[str]] = {}
            for phase in PHASES:
                column = criterion.column(phase)
                if phase == "manufacture" and not criterion.manufacture:
                    phases[phase], coverage[phase] = None, 0.0
                    not_given[phase] = sorted(self.categories)
                    continue
                values = [self.sums[criterion.column(phase, bound)] for bound in BOUNDS]
                phases[phase] = _bounded(*values)
                coverage[phase] = self.covered.get(column, 0.0) / self.quantity if self.quantity else 1.0
                not_given[phase] = sorted(self.missing.get(column, {}))
            given = [p for p in phases.values() if p is not None]
            total = {k: significant(sum(p[k] for p in given)) for k in ("total", "low", "high")}
            manufacture = phases["manufacture"]
            out[criterion.key] = {
                **total,
                "by_phase": phases,
                "manufacture_share": _share(manufacture["total"], total["total"]) if manufacture else None,
                "coverage": coverage,
                "not_given": not_given,
            }
        return out


def _nansum(values: np.ndarray) -> float:
    """``np.nansum`` of an array the caller owns (a masked copy), its NaN zeroed in place: the
    same zeros and the same pairwise sum, without the copy ``nansum`` makes.
    """
    values[np.isnan(values)] = 0.0
    return float(values.sum())


def _devices_per_category(category: Keys, quantity: np.ndarray) -> dict[str, float]:
    """Devices per category present (in the categories' order), as a grouped sum gives them."""
    if not len(quantity):
        return {}
    devices = compensated_sums(category, {"quantity": quantity}, "category")["quantity"]
    order = {label: i for i, label in enumerate(category.labels)}
    return {str(k): float(devices[k]) for k in sorted(devices.index, key=order.__getitem__)}


def _bounded(total: float, low: float, high: float) -> dict:
    return {"total": significant(total), "low": significant(low), "high": significant(high)}


def _share(part: float | None, whole: float | None) -> float | None:
    return round(part / whole, 4) if part is not None and whole else None


def _gwp(totals: dict[str, float]) -> dict:
    """Climate change from the carbon totals, split by phase: the figure of ``totals``."""
    phases = {
        "manufacture": _bounded(
            totals["manufacture_kgco2e"], totals["manufacture_low_kgco2e"], totals["manufacture_high_kgco2e"]
        ),
        "use": _bounded(totals["use_kgco2e"], totals["use_low_kgco2e"], totals["use_high_kgco2e"]),
        "end_of_life": _bounded(*[totals["end_of_life_kgco2e"]] * 3),
    }
    for extra in ("consumables", "services"):  # toner and ink, services bought: in the total
        if f"{extra}_kgco2e" in totals:
            bounds = [
                totals.get(f"{extra}{b}_kgco2e", totals[f"{extra}_kgco2e"]) for b in ("", "_low", "_high")
            ]
            phases[extra] = _bounded(*bounds)
    return {
        "total": significant(totals["total_kgco2e"]),
        "low": significant(totals["total_low_kgco2e"]),
        "high": significant(totals["total_high_kgco2e"]),
        "by_phase": phases,
        "manufacture_share": _share(
            totals["manufacture_kgco2e"] + totals["end_of_life_kgco2e"], totals["total_kgco2e"]
        ),
        "coverage": {"manufacture": 1.0, "use": 1.0},
        "not_given": {"manufacture": [], "use": []},
    }


def ai_criteria_json(runs: pd.DataFrame, totals: dict[str, float]) -> dict:
    """The ``criteria`` object of ``ai estimate --json``: usage and embodied per criterion.

    ``runs`` are the estimated runs (a Slurm job's steps left out: they add 0). A phase's
    coverage is the share of runs whose figure is given; ``runs_not_given`` counts the others.
    """
    out = {"gwp_kgco2e": _ai_gwp(runs, totals)}
    for criterion in CRITERIA:
        phases: dict[str, dict | None] = {}
        coverage: dict[str, float] = {}
        missing: dict[str, int] = {}
        for phase in ("usage", "embodied"):
            if phase == "embodied" and not criterion.manufacture:
                phases[phase], coverage[phase], missing[phase] = None, 0.0, len(runs)
                continue
            column = criterion.column(phase)
            values = runs[column].to_numpy(dtype=float) if column in runs else np.full(len(runs), np.nan)
            given = ~np.isnan(values)
            sums = [_column_sum(runs, criterion.column(phase, bound)) for bound in BOUNDS]
            phases[phase] = _bounded(*sums) if given.any() else None
            coverage[phase] = float(given.mean()) if len(runs) else 1.0
            missing[phase] = int((~given).sum())
        given_phases = [p for p in phases.values() if p is not None]
        total = {k: significant(sum(p[k] for p in given_phases)) for k in ("total", "low", "high")}
        out[criterion.key] = {
            **(total if given_phases else {"total": None, "low": None, "high": None}),
            "by_phase": phases,
            "coverage": coverage,
            "runs_not_given": missing,
        }
    return out


def _column_sum(runs: pd.DataFrame, column: str) -> float:
    return float(np.nansum(runs[column].to_numpy(dtype=float))) if column in runs else 0.0


def _ai_gwp(runs: pd.DataFrame, totals: dict[str, float]) -> dict:
    """Climate change of AI runs: the figure of ``totals``, split into usage and embodied."""
    phases = {
        phase: _bounded(*(_column_sum(runs, f"{phase}{bound}_kgco2e") for bound in BOUNDS))
        for phase in ("usage", "embodied")
    }
    total = totals["total_kgco2e"]
    return {
        "total": significant(total),
        "low": significant(totals.get("total_low_kgco2e", total)),
        "high": significant(totals.get("total_high_kgco2e", total)),
        "by_phase": phases,
        "coverage": {"usage": 1.0, "embodied": 1.0},
        "runs_not_given": {"usage": 0, "embodied": 0},
    }
