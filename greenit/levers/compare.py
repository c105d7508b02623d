"""Levers compared: each transforms the normalised frames, then the footprint is estimated again.

Inventory levers (on the frame of :func:`greenit.inventory.normalise_inventory`):

- ``lifespan+N[:cat,cat]`` — keep equipment N more years (all, or some categories);
- ``refurbished=X%[:cat,…]`` — X % of the fleet bought refurbished (default: terminals);
- ``reuse=X%`` — X % of retired equipment under 10 years old put back in service instead of
  buying new: the reused devices consume, the avoided new ones are no longer manufactured;
- ``grid=57 g/kWh`` — another electricity factor.

AI levers (on the frame of :func:`greenit.ai.runs.normalise.normalise_workloads`):

- ``pue=1.2``, ``region=europe-west9``, ``request-energy=-30%`` (energy per request of
  inference runs);
- hosted generative AI (on the usage rows of :func:`greenit.ai.hosted.usage.normalise_usage`):
  ``model=mistral-small-latest[:service]`` (a smaller model), ``requests=-20%[:service]``.

Each lever acts on one thing only (:attr:`greenit.levers.specs.Lever.scope`): ``grid=`` is the
equipment's electricity, and AI runs keep the factor of the place they ran. Levers are compared
with the baseline, one by one, and cumulatively (each lever on top of the previous ones) for the
waterfall.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from greenit.factors import FactorSet
from greenit.factors.labels import row_labels
from greenit.i18n import text
from greenit.inventory.budget import electricity_price
from greenit.inventory.estimate import ScopeSettings
from greenit.levers.hosted import apply_usage_lever
from greenit.levers.inventory import (
    LeveredInventory,
    apply_inventory_lever,
    lever_estimates,
    levered_criteria,
    levered_total,
)
from greenit.levers.money import (
    ZERO,
    Budget,
    add_money_columns,
    ai_electricity_budget,
    changed_usage_rows,
    hosted_eur,
    state_budget,
)
from greenit.levers.runs import apply_runs_lever, check_levers
from greenit.levers.specs import Lever

#: the criteria beyond carbon a scenario reports for the equipment (greenit.factors.criteria)
CRITERIA_KEYS = ("adpe_kgsbeq", "pe_mj", "water_m3")


@dataclass(frozen=True)
class _Levered:
    """The normalised frames and the grid factor as levers left them."""

    inventory: LeveredInventory | None
    runs: pd.DataFrame | None
    usage: pd.DataFrame | None
    grid_factor_kg_per_kwh: float | None
    electricity_price_eur_per_kwh: float | None = None  # € excl. VAT; None: the default's range
    unpriced: bool = False  # a lever moved a part of the budget no price covers (a cloud bill…)
    hosted_levered: bool = False  # a lever on hosted AI applied: its € needs the models' prices


def _apply(state: _Levered, lever: Lever, factors: FactorSet, year: int) -> _Levered:
    """``state`` under ``lever``, on what the lever acts on (:attr:`Lever.scope`) only."""
    from greenit.ai.hosted.estimate import catalogue_of

    if lever.scope == "hosted":
        usage = state.usage
        return replace(
            state,
            usage=None if usage is None else apply_usage_lever(usage, lever, catalogue_of(factors)),
            hosted_levered=True,
        )
    if lever.scope == "ai_runs":
        runs = state.runs
        regions = factors.table("cloud_regions")
        moved = state.unpriced or (lever.kind == "region" and runs is not None and not runs.empty)
        return replace(
            state, runs=None if runs is None else apply_runs_lever(runs, lever, regions), unpriced=moved
        )
    if lever.kind == "grid":
        price = (
            lever.price_eur_per_kwh
            if lever.price_eur_per_kwh is not None
            else state.electricity_price_eur_per_kwh
        )
        return replace(state, grid_factor_kg_per_kwh=lever.value, electricity_price_eur_per_kwh=price)
    if state.inventory is None:
        return state
    return replace(state, inventory=apply_inventory_lever(state.inventory, factors, lever, year=year))


def compare_normalised(
    inventory: pd.DataFrame | None,
    factors: FactorSet,
    levers: list[Lever],
    *,
    year: int,
    method: str = "amortised",
    grid_factor_kg_per_kwh: float | None = None,
    scope: ScopeSettings | None = None,
    runs: pd.DataFrame | None = None,
    cumulative: bool = False,
    lang: str = "fr",
    usage: pd.DataFrame | None = None,
    electricity_price_eur_per_kwh: float | None = None,
    memo: StepsMemo | None = None,
) -> pd.DataFrame:
    """The baseline, then each lever: totals [kgCO2e/year] and change against the baseline,
    and what each changes in the yearly budget [€ excl. VAT/year] (:mod:`greenit.levers.money`).

    ``inventory``, ``runs`` and ``usage`` are normalised frames (inventory, self-hosted AI runs,
    hosted usage rows), any of them None; ``scope`` is the inventory's (room PUE, lifespan
    rule, consumables), the same for the baseline and every lever. With ``cumulative=True``
    each lever applies on top of the previous ones (a waterfall); otherwise each applies alone to
    the baseline.

    Returns one row per step: ``scenario`` (its label in ``lang``), ``inventory_kgco2e`` (with
    ``_low``/``_high``), ``ai_kgco2e``, ``total_kgco2e``, ``change_kgco2e``, ``change_share``,
    ``step_kgco2e``, ``lever`` (the spec as typed) and ``scope`` (what it acts on: ``inventory``,
    ``ai_runs`` or ``hosted``; both None on the baseline); then ``budget_eur_per_year`` (with
    ``_low``/``_high``), ``change_eur_per_year`` (negative = saving; None when unknown) with
    ``change_low_eur_per_year``/``change_high_eur_per_year``, ``change_priced_share`` (of the
    devices the lever changes, those with a price), ``eur_per_tco2e_avoided`` (None when no
    carbon is avoided or the € is unknown) and ``step_eur_per_year``.
    ``electricity_price_eur_per_kwh``: the town's price of a kWh [€ excl. VAT] (default: the
    sourced default's range). ``memo`` (a :class:`StepsMemo`) shares the states already
    estimated with other comparisons of the same frames.
    """
    check_levers(levers)  # a lever no data centre could have is refused, AI runs or not
    context = (inventory, runs, usage, factors, year, method, scope)
    steps = memo.steps(context) if memo is not None else Steps(context)
    scopes = row_labels(factors.devices)  # a lever's categories by their labels, in ``lang``
    baseline = steps.baseline(grid_factor_kg_per_kwh, electricity_price_eur_per_kwh)
    values, budget = steps.totals(baseline)
    rows, budgets = [[text("results.scenario.baseline", lang), *values]], [budget]
    state = baseline
    for lever in levers:
        state = steps.apply(state if cumulative else baseline, lever)
        values, budget = steps.totals(state)
        rows.append([lever.message(scopes).render(lang), *values])
        budgets.append(budget)
    return add_money_columns(_comparison(rows, levers, cumulative), budgets)


class Steps:
    """The states a comparison goes through and their totals, each computed once.

    ``context`` is what every state is estimated against: the baseline frames (inventory, AI
    runs, hosted usage), the factors, the year, the method, the inventory's scope. States are
    known by identity (``is``): a lever applied twice to the same state (the first lever, alone
    and first of the waterfall) gives the same state, whose totals are computed once; a state's
    AI part is estimated once per pair of AI frames — a lever that does not act on AI
    (lifespan, refurbished, reuse, grid) keeps the baseline's frames, so its AI totals are the
    baseline's, not estimated again; an AI lever makes new frames, estimated anew. Every state
    and frame is kept alive here, so no identity is reused while the memo lives.
    """

    def __init__(self, context: tuple) -> None:
        self.context = context
        self._baselines: dict[tuple[float | None, float | None], _Levered] = {}
        self._applied: list[tuple[_Levered, Lever, _Levered]] = []
        self._totals: list[tuple[_Levered, tuple[list[float], Budget]]] = []
        self._ai: list[tuple[pd.DataFrame | None, pd.DataFrame | None, tuple]] = []
        self._eur: list[tuple[pd.DataFrame | None, np.ndarray | None]] = []

    def baseline(self, grid: float | None, price: float | None) -> _Levered:
        """The state before any lever, at the grid factor and price of electricity given."""
        if (grid, price) not in self._baselines:
            inventory, runs, usage = self.context[:3]
            levered = LeveredInventory.baseline(inventory) if inventory is not None else None
            self._baselines[grid, price] = _Levered(levered, runs, usage, grid, price)
        return self._baselines[grid, price]

    def apply(self, state: _Levered, lever: Lever) -> _Levered:
        """``state`` under ``lever`` (:func:`_apply`), the same object for the same two."""
        for before, applied, after in self._applied:
            if before is state and applied is lever:
                return after
        factors, year = self.context[3], self.context[4]
        after = _apply(state, lever, factors, year)
        self._applied.append((state, lever, after))
        return after

    def totals(self, state: _Levered) -> tuple[list[float], Budget]:
        """The state's totals (equipment with its range, AI, the equipment's criteria) and budget."""
        for known, result in self._totals:
            if known is state:
                return result
        result = self._estimate(state)
        self._totals.append((state, result))
        return result

    def _estimate(self, state: _Levered) -> tuple[list[float], Budget]:
        inventory, _, usage, factors, year, method, scope = self.context
        equipment, budget = (0.0, 0.0, 0.0), Budget()
        criteria = dict.fromkeys(CRITERIA_KEYS, 0.0)
        price = state.electricity_price_eur_per_kwh
        if state.inventory is not None and not state.inventory.inventory.empty:
            grid = state.grid_factor_kg_per_kwh
            estimated, avoided = lever_estimates(
                state.inventory, factors, year=year, method=method, grid_factor_kg_per_kwh=grid, scope=scope
            )
            equipment = tuple(levered_total(estimated, avoided))
            criteria = levered_criteria(estimated, avoided)
            budget = state_budget(state.inventory, inventory, estimated, avoided, factors, price)
        ai = self.ai(state.runs, state.usage)
        ai_eur = (
            ai_electricity_budget(ai.runs, electricity_price(factors, price)) if ai.runs is not None else ZERO
        )
        budget = replace(
            budget,
            ai_electricity=ai_eur,
            hosted=ai.hosted_eur,
            unknown=state.unpriced,
            hosted_changed=state.hosted_levered,
            hosted_rows=changed_usage_rows(usage, state.usage) if state.hosted_levered else None,
        )
        return [*equipment, ai.total, *criteria.values()], budget

    def ai(self, runs: pd.DataFrame | None, usage: pd.DataFrame | None) -> _AiPart:
        """The AI runs and the hosted usage estimated, each once per frame: a lever on hosted
        models does not estimate the runs again, nor a lever on runs the usage.
        """
        runs_total, runs_estimated, _ = self._estimated(runs, None)
        usage_total, _, usage_estimated = self._estimated(None, usage)
        return _AiPart(
            runs_total + usage_total, runs_estimated, usage_estimated, self._hosted_eur(usage_estimated)
        )

    def _estimated(self, runs: pd.DataFrame | None, usage: pd.DataFrame | None) -> tuple:
        for known_runs, known_usage, estimated in self._ai:
            if known_runs is runs and known_usage is usage:
                return estimated
        estimated = _ai_total(runs, usage, self.context[3])
        self._ai.append((runs, usage, estimated))
        return estimated

    def _hosted_eur(self, usage_estimated: pd.DataFrame | None) -> np.ndarray | None:
        for known, eur in self._eur:
            if known is usage_estimated:
                return eur
        eur = hosted_eur(usage_estimated, self.context[3])
        self._eur.append((usage_estimated, eur))
        return eur


@dataclass(frozen=True)
class _AiPart:
    """A state's AI: its total [kgCO2e], the runs and usage rows estimated, each usage row's €."""

    total: float
    runs: pd.DataFrame | None
    usage: pd.DataFrame | None
    hosted_eur: np.ndarray | None


class StepsMemo:
    """One :class:`Steps` shared by the comparisons of one result (alone and cumulative): the
    baseline and the first lever's state are estimated once for both. A comparison with another
    context (other frames, factors, year, method or scope) starts its own.
    """

    def __init__(self) -> None:
        self._steps: list[Steps] = []

    def steps(self, context: tuple) -> Steps:
        for steps in self._steps:
            if len(steps.context) == len(context) and all(
                a is b or (_plain(a) and _plain(b) and a == b)
                for a, b in zip(steps.context, context, strict=True)
            ):
                return steps
        self._steps.append(Steps(context))
        return self._steps[-1]


def _plain(value: object) -> bool:
    """A value compared by equality in a context (a year, a method, a scope), not a frame."""
    return value is None or isinstance(value, (int, float, str, ScopeSettings))


def _comparison(rows: list[list], levers: list[Lever], cumulative: bool) -> pd.DataFrame:
    """The steps' totals as a table, with their changes against the baseline and each other."""
    columns = ["scenario", "inventory_kgco2e", "inventory_low_kgco2e", "inventory_high_kgco2e", "ai_kgco2e"]
    frame = pd.DataFrame(rows, columns=[*columns, *CRITERIA_KEYS])  # criteria: the equipment's
    frame["total_kgco2e"] = frame["inventory_kgco2e"] + frame["ai_kgco2e"]
    base = frame["total_kgco2e"].iloc[0]
    frame["change_kgco2e"] = frame["total_kgco2e"] - base
    frame["change_share"] = np.where(base > 0, frame["change_kgco2e"] / base, np.nan)
    frame["step_kgco2e"] = frame["total_kgco2e"].diff().fillna(0.0)
    for key in CRITERIA_KEYS:  # adpe_change_kgsbeq…: the lever's effect on the equipment's criteria
        name, unit = key.split("_", 1)
        frame[f"{name}_change_{unit}"] = frame[key] - frame[key].iloc[0]
    frame["lever"] = [None, *(lever.spec or None for lever in levers)]  # as typed
    frame["scope"] = [None, *(lever.scope for lever in levers)]  # what it acts on
    frame.attrs["cumulative"] = cumulative
    return frame


def _ai_total(
    runs: pd.DataFrame | None, usage: pd.DataFrame | None, factors: FactorSet
) -> tuple[float, pd.DataFrame | None, pd.DataFrame | None]:
    """Emissions [kgCO2e] of the estimated AI runs plus the estimated hosted usage rows, and the
    runs and the usage rows estimated (None without them).
    """
    from greenit.ai.hosted.estimate import estimate_hosted
    from greenit.ai.runs.estimate import estimate_workloads

    parts = []
    runs_estimated = usage_estimated = None
    if runs is not None and not runs.empty:
        runs_estimated = estimate_workloads(runs, factors)
        parts.append(runs_estimated)
    if usage is not None and not usage.empty:
        country = usage.attrs.get("default_country", "FRA")
        usage_estimated = estimate_hosted(usage, factors, default_country=country)
        parts.append(usage_estimated)
    total = sum(float(p.loc[p["estimate_status"] == "estimated", "total_kgco2e"].sum()) for p in parts)
    return total, runs_estimated, usage_estimated


#: The former name of :func:`compare_normalised`, kept for notebooks that use it.
compare_scenarios = compare_normalised
