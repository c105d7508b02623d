"""Levers as scenarios: each transforms the normalised frame, then the footprint is estimated again.

Inventory levers (on the frame of :func:`greenit.inventory.normalise_inventory`):

- ``lifespan+N[:cat,cat]`` — keep equipment N more years (all, or some categories);
- ``refurbished=X%[:cat,…]`` — X % of the fleet bought refurbished (default: terminals);
- ``reuse=X%`` — X % of retired equipment under 10 years old put back in service instead of
  buying new: the reused devices consume, the avoided new ones are no longer manufactured;
- ``grid=57 g/kWh`` — another electricity factor.

AI levers (on the frame of :func:`greenit.workloads.normalise_workloads`):

- ``pue=1.2``, ``region=europe-west9``, ``request-energy=-30%`` (energy per request of
  inference runs);
- hosted generative AI (on the usage rows of :func:`greenit.ai.hosted.usage.normalise_usage`):
  ``model=mistral-small-latest[:service]`` (a smaller model), ``requests=-20%[:service]``.

Scenarios are compared with the baseline, one by one, and cumulatively (each lever on top of
the previous ones) for the waterfall.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from greenit.factors import FactorSet
from greenit.factors.labels import row_labels
from greenit.i18n import text
from greenit.levers.hosted import HOSTED_KINDS, apply_usage_scenario
from greenit.levers.inventory import InventoryScenario, apply_inventory_scenario, scenario_total
from greenit.levers.runs import apply_workload_scenario, check_scenarios
from greenit.levers.specs import Scenario

#: The levers of ``greenit report`` when none are given.
DEFAULT_LEVERS = ("lifespan+2", "refurbished=30%", "reuse=50%")


@dataclass
class ScenarioResult:
    scenario: Scenario | None  # None: the baseline
    label: str
    inventory_kgco2e: float
    inventory_low_kgco2e: float
    inventory_high_kgco2e: float
    ai_kgco2e: float

    @property
    def total_kgco2e(self) -> float:
        return self.inventory_kgco2e + self.ai_kgco2e


def compare_scenarios(
    inventory: pd.DataFrame | None,
    factors: FactorSet,
    scenarios: list[Scenario],
    *,
    year: int,
    method: str = "amortised",
    grid_factor_kg_per_kwh: float | None = None,
    runs: pd.DataFrame | None = None,
    cumulative: bool = False,
    lang: str = "fr",
    usage: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Baseline, then each scenario: totals [kgCO2e/year] and change against the baseline.

    With ``cumulative=True`` each lever applies on top of the previous ones (a waterfall);
    otherwise each applies alone to the baseline.
    """
    from greenit.ai.hosted.estimate import catalogue_of

    check_scenarios(scenarios)  # a lever no data centre could have is refused, AI runs or not

    def inventory_total(state, grid) -> tuple[float, float, float]:
        if state is None or state.inventory.empty:
            return 0.0, 0.0, 0.0
        return tuple(scenario_total(state, factors, year=year, method=method, grid_factor_kg_per_kwh=grid))

    def ai_total(frame, hosted) -> float:
        return _ai_total(frame, hosted, factors)

    base_label = text("results.scenario.baseline", lang)
    scopes = row_labels(factors.devices)  # a lever's categories by their labels, in ``lang``
    baseline_state = InventoryScenario.baseline(inventory) if inventory is not None else None
    rows = [
        ScenarioResult(
            None, base_label, *inventory_total(baseline_state, grid_factor_kg_per_kwh), ai_total(runs, usage)
        )
    ]
    current_inventory, current_runs, current_grid = baseline_state, runs, grid_factor_kg_per_kwh
    current_usage = usage
    for scenario in scenarios:
        if not cumulative:
            current_inventory, current_runs, current_grid = baseline_state, runs, grid_factor_kg_per_kwh
            current_usage = usage
        if scenario.kind in HOSTED_KINDS:
            if current_usage is not None:
                current_usage = apply_usage_scenario(current_usage, scenario, catalogue_of(factors))
        elif scenario.on_ai:
            if current_runs is not None:
                current_runs = apply_workload_scenario(current_runs, scenario, factors.table("cloud_regions"))
        elif scenario.kind == "grid":
            current_grid = scenario.value
        elif current_inventory is not None:
            current_inventory = apply_inventory_scenario(current_inventory, factors, scenario, year=year)
        rows.append(
            ScenarioResult(
                scenario,
                scenario.message(scopes).render(lang),
                *inventory_total(current_inventory, current_grid),
                ai_total(current_runs, current_usage),
            )
        )
    baseline = rows[0].total_kgco2e
    frame = pd.DataFrame(
        {
            "scenario": [r.label for r in rows],
            "inventory_kgco2e": [r.inventory_kgco2e for r in rows],
            "inventory_low_kgco2e": [r.inventory_low_kgco2e for r in rows],
            "inventory_high_kgco2e": [r.inventory_high_kgco2e for r in rows],
            "ai_kgco2e": [r.ai_kgco2e for r in rows],
            "total_kgco2e": [r.total_kgco2e for r in rows],
        }
    )
    frame["change_kgco2e"] = frame["total_kgco2e"] - baseline
    frame["change_share"] = np.where(baseline > 0, frame["change_kgco2e"] / baseline, np.nan)
    frame["step_kgco2e"] = frame["total_kgco2e"].diff().fillna(0.0)
    frame.attrs["cumulative"] = cumulative
    return frame


def _ai_total(runs: pd.DataFrame | None, usage: pd.DataFrame | None, factors: FactorSet) -> float:
    """Emissions [kgCO2e] of the estimated AI runs plus the estimated hosted usage rows."""
    from greenit.ai.hosted.estimate import estimate_hosted
    from greenit.ai.runs.estimate import estimate_workloads

    parts = []
    if runs is not None and not runs.empty:
        parts.append(estimate_workloads(runs, factors))
    if usage is not None and not usage.empty:
        country = usage.attrs.get("default_country", "FRA")
        parts.append(estimate_hosted(usage, factors, default_country=country))
    return sum(float(p.loc[p["estimate_status"] == "estimated", "total_kgco2e"].sum()) for p in parts)
