"""Inventory levers: what the normalised inventory would be under a lever, effects explicit.

A lever returns an :class:`LeveredInventory`: the inventory as it would be, the share of
purchases still made per row (``renewal_factor``, a lifespan lever) and the purchases avoided
(a reuse lever). Nothing is hidden in the frame: :func:`lever_total` estimates the inventory
with its renewal factor and subtracts the avoided purchases, estimated as new devices.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from greenit.bounds import Bounds
from greenit.factors import FactorSet
from greenit.factors.criteria import CRITERIA, PHASES
from greenit.factors.lookup import positions_in, take
from greenit.inventory.estimate import ScopeSettings, estimate_inventory
from greenit.inventory.model import age_at_end_of_year
from greenit.levers.specs import Lever

#: Per-device values a file may give; a new device bought instead of a reused one has none.
GIVEN_PER_DEVICE = (
    "lifespan_years",
    "power_w",
    "annual_kwh",
    "use_hours_per_year",
    "given_manufacture_kgco2e",
)
TERMINALS = ("laptop", "desktop", "all_in_one", "thin_client", "monitor", "smartphone", "tablet")


@dataclass(frozen=True)
class LeveredInventory:
    """An inventory under a lever: its rows, the purchases still made, the purchases avoided."""

    inventory: pd.DataFrame
    renewal_factor: np.ndarray | float = 1.0
    avoided: pd.DataFrame | None = None  # normalised rows of new devices no longer bought
    #: € (greenit.levers.money): the refurbished share each row's file price was paid at (None:
    #: the row's own), and the rows a reuse lever put back in service (bought by nobody)
    paid_share: np.ndarray | None = None
    reused: np.ndarray | None = None

    @classmethod
    def baseline(cls, inventory: pd.DataFrame) -> LeveredInventory:
        return cls(inventory)


def _selected(inventory: pd.DataFrame, categories: tuple[str, ...]) -> np.ndarray:
    if not categories:
        return np.ones(len(inventory), dtype=bool)
    return inventory["category"].isin(categories).to_numpy()


def apply_inventory_lever(
    state: LeveredInventory | pd.DataFrame, factors: FactorSet, lever: Lever, *, year: int
) -> LeveredInventory:
    """``state`` as it would be under ``lever`` (grid levers excepted)."""
    if isinstance(state, pd.DataFrame):
        state = LeveredInventory.baseline(state)
    if lever.kind == "lifespan":
        return replace(state, renewal_factor=_longer_lifespan(state, factors, lever))
    if lever.kind == "refurbished":
        inventory = state.inventory.copy()
        selected = _selected(inventory, lever.categories or TERMINALS)
        current = inventory["refurbished_share"].to_numpy(dtype=float)
        inventory["refurbished_share"] = np.where(selected, np.maximum(current, lever.value), current)
        paid = current if state.paid_share is None else state.paid_share
        return replace(state, inventory=inventory, paid_share=paid)
    if lever.kind == "reuse":
        threshold, _, _ = factors.parameter("recycling_age_threshold")
        return _reuse(state, lever.value, year=year, age_threshold_years=threshold)
    return state


def _longer_lifespan(state: LeveredInventory, factors: FactorSet, lever: Lever) -> np.ndarray:
    """Share of purchases still made when devices are kept N years longer [0–1].

    Steady state: a fleet kept L + N years instead of L renews L / (L + N) as many devices a
    year, so its yearly manufacture and end of life scale by that ratio. The dates stay as
    they are: the lever changes purchases, not the past.
    """
    inventory = state.inventory
    table_lifespan = take(
        factors.devices, positions_in(factors.devices, inventory["category"]), "lifespan_years"
    )
    lifespan = np.where(inventory["lifespan_years"].isna(), table_lifespan, inventory["lifespan_years"])
    ratio = lifespan / np.maximum(lifespan + lever.value, 0.5)
    current = np.broadcast_to(np.asarray(state.renewal_factor, dtype=float), (len(inventory),))
    return np.where(_selected(inventory, lever.categories), current * ratio, current)


def _reuse(
    state: LeveredInventory, rate: float, *, year: int, age_threshold_years: float
) -> LeveredInventory:
    """Put ``rate`` of retired equipment under the recycling age back in service, buying that much less.

    The reused devices consume electricity again; as many new devices of their category are
    neither bought nor manufactured: they are the lever's ``avoided`` purchases.
    """
    inventory = state.inventory
    age = age_at_end_of_year(inventory["purchase_date"], year)
    eligible = (
        (inventory["status_kind"] == "retired").to_numpy()
        & ~(age >= age_threshold_years)
        & inventory["reason"].isna().to_numpy()
    )
    if not eligible.any() or rate <= 0:
        return state
    renewal = np.broadcast_to(np.asarray(state.renewal_factor, dtype=float), (len(inventory),))
    reused = inventory[eligible].copy()
    reused["quantity"] = reused["quantity"] * rate
    reused["status_kind"] = pd.Categorical(["in_service"] * len(reused))
    kept = inventory.copy()
    kept.loc[eligible, "quantity"] = kept.loc[eligible, "quantity"] * (1 - rate)
    combined = pd.concat([kept, reused], ignore_index=True)
    avoided = _new_devices(reused, inventory)
    if state.avoided is not None:
        avoided = pd.concat([state.avoided, avoided], ignore_index=True)
    paid = (
        inventory["refurbished_share"].to_numpy(dtype=float) if state.paid_share is None else state.paid_share
    )
    was_reused = np.zeros(len(inventory), dtype=bool) if state.reused is None else state.reused
    return LeveredInventory(
        inventory=_restore_categoricals(combined, inventory),
        renewal_factor=np.concatenate([renewal, renewal[eligible]]),
        avoided=avoided,
        paid_share=np.concatenate([paid, paid[eligible]]),
        reused=np.concatenate([was_reused, np.ones(int(eligible.sum()), dtype=bool)]),
    )


def _new_devices(reused: pd.DataFrame, inventory: pd.DataFrame) -> pd.DataFrame:
    """New devices, one row per category, in the quantity reused: the purchases reuse avoids."""
    counts = reused.groupby("category", observed=True, as_index=False)["quantity"].sum()
    template = inventory.iloc[:0].copy()
    rows = pd.DataFrame({column: [None] * len(counts) for column in template.columns})
    rows["category"] = counts["category"].astype(object).to_numpy()
    rows["quantity"] = counts["quantity"].to_numpy(dtype=float)
    rows["status_kind"] = "in_service"
    rows["refurbished_share"] = 0.0
    rows["country"] = inventory["country"].mode().iloc[0]
    for column in (
        "lifespan_years",
        "power_w",
        "annual_kwh",
        "use_hours_per_year",
        "given_manufacture_kgco2e",
    ):
        rows[column] = np.nan
    for column in ("purchase_date", "retirement_date"):
        rows[column] = pd.Series(pd.NaT, index=rows.index, dtype="datetime64[ns]")
    rows["reason"] = None
    if "unit_price_eur" in inventory.columns:  # the town's own price for a new device of the kind
        rows["unit_price_eur"] = _own_new_prices(inventory, rows["category"])
        rows["price_reason"] = None
    return _restore_categoricals(rows, inventory)


def _own_new_prices(inventory: pd.DataFrame, categories: pd.Series) -> np.ndarray:
    """Mean price [€ excl. VAT] the file gives for a new device of each category (NaN: none)."""
    new = inventory["refurbished_share"].to_numpy(dtype=float) == 0
    priced = inventory[new & inventory["unit_price_eur"].notna().to_numpy()]
    weights = priced["quantity"] * priced["unit_price_eur"]
    means = (
        weights.groupby(priced["category"].astype(object)).sum()
        / priced.groupby(priced["category"].astype(object))["quantity"].sum()
    )
    return categories.astype(object).map(means).to_numpy(dtype=float)


def _restore_categoricals(frame: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    categorical = [c for c in like.columns if isinstance(like[c].dtype, pd.CategoricalDtype) and c in frame]
    return frame.astype({c: "category" for c in categorical})


def lever_estimates(
    state: LeveredInventory,
    factors: FactorSet,
    *,
    year: int,
    method: str,
    grid_factor_kg_per_kwh: float | None,
    scope: ScopeSettings | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """An inventory under a lever estimated, and its avoided purchases estimated (None: none)."""
    estimated = estimate_inventory(
        state.inventory,
        factors,
        year=year,
        method=method,
        grid_factor_kg_per_kwh=grid_factor_kg_per_kwh,
        renewal_factor=state.renewal_factor,
        scope=scope,
    )
    avoided = None
    if state.avoided is not None and len(state.avoided):
        avoided = estimate_inventory(
            state.avoided,
            factors,
            year=year,
            method=method,
            grid_factor_kg_per_kwh=grid_factor_kg_per_kwh,
            scope=scope,
        )
    return estimated, avoided


def levered_total(estimated: pd.DataFrame, avoided: pd.DataFrame | None) -> Bounds:
    """Yearly total of an inventory under a lever [kgCO2e]: its rows minus the purchases avoided."""
    total = _estimated_total(estimated)
    if avoided is not None:
        # the avoided purchases live in the same world as the fleet (low factors with low
        # factors): subtract bound by bound, not as independent intervals
        saved = _estimated_total(avoided)
        total = Bounds(total.central - saved.central, total.low - saved.low, total.high - saved.high)
    return total


def lever_total(
    state: LeveredInventory,
    factors: FactorSet,
    *,
    year: int,
    method: str,
    grid_factor_kg_per_kwh: float | None,
    scope: ScopeSettings | None = None,
) -> Bounds:
    """Yearly total of an inventory under a lever [kgCO2e]: its rows minus the purchases avoided."""
    estimated, avoided = lever_estimates(
        state, factors, year=year, method=method, grid_factor_kg_per_kwh=grid_factor_kg_per_kwh, scope=scope
    )
    return levered_total(estimated, avoided)


def lever_totals(
    state: LeveredInventory,
    factors: FactorSet,
    *,
    year: int,
    method: str,
    grid_factor_kg_per_kwh: float | None,
    scope: ScopeSettings | None = None,
) -> tuple[Bounds, dict[str, float]]:
    """:func:`lever_total` [kgCO2e] and the other criteria's central totals under the lever
    (``adpe_kgsbeq``, ``pe_mj``, ``water_m3``: the phases given, :mod:`greenit.factors.criteria`).
    """
    estimated, avoided = lever_estimates(
        state, factors, year=year, method=method, grid_factor_kg_per_kwh=grid_factor_kg_per_kwh, scope=scope
    )
    return levered_total(estimated, avoided), levered_criteria(estimated, avoided)


def levered_criteria(estimated: pd.DataFrame, avoided: pd.DataFrame | None) -> dict[str, float]:
    """The other criteria's central totals of an inventory under a lever, the purchases avoided
    taken off (:func:`levered_total` for carbon).
    """
    criteria = _criteria_totals(estimated)
    if avoided is not None:
        saved = _criteria_totals(avoided)
        criteria = {k: v - saved[k] for k, v in criteria.items()}
    return criteria


def _criteria_totals(estimated: pd.DataFrame) -> dict[str, float]:
    """Central totals of the other criteria over the estimated rows (phases not given add nothing)."""
    kept = estimated[(estimated["estimate_status"] == "estimated").to_numpy()]
    return {
        c.key: float(
            sum(
                np.nansum(kept[c.column(phase)].to_numpy(dtype=float))
                for phase in PHASES
                if c.column(phase) in kept
            )
        )
        for c in CRITERIA
    }


def _estimated_total(estimated: pd.DataFrame) -> Bounds:
    kept = estimated[(estimated["estimate_status"] == "estimated").to_numpy()]
    return Bounds(
        float(kept["total_kgco2e"].sum()),
        float(kept["total_low_kgco2e"].sum()),
        float(kept["total_high_kgco2e"].sum()),
    )
