"""Levers in euros: what each lever changes in the yearly budget, beside its change in tCO2e.

The budget of a state (the baseline, or the frames as levers left them) is the model of
:mod:`greenit.inventory.budget` applied with the lever's explicit effects:

- ``lifespan+N``: renewal at the longer lifespan (the renewal factor ``L / (L + N)`` the carbon
  model uses) — a saving;
- ``refurbished=X%``: the discounted price on that share of renewals (``prices.csv``
  ``refurbished_discount``; a file's price is the price paid at the row's own share) — a saving
  where a discount is sourced, unknown elsewhere;
- ``reuse=X%``: the devices reused are not bought (their category's price: the town's own mean
  price for new devices of that category in the file, else the sourced default) but draw
  electricity again — a saving and a cost;
- ``grid=…`` changes no euro, unless a price is given with it (``grid=32 g/kWh @ 0,19 €/kWh``:
  a green-electricity contract that costs more shows its cost);
- ``pue=``, ``request-energy=``: the electricity of the AI runs the town powers itself (runs
  without a cloud region) at the electricity price; a run in a cloud region is paid through a
  provider's bill, not counted; ``region=`` moves runs to a provider: € unknown;
- hosted AI (``model=``, ``requests=``): tokens at the models' public per-token prices
  (:func:`hosted_eur`, through :func:`greenit.ai.prices.hosted_eur`), over the rows the lever
  changes with a price before and after (none: the lever's € is unknown). AI €, like AI tCO2e,
  cover the logs' period.

A lever's € is known over the devices it changes that have a price; ``change_priced_share`` says
how many of them (by quantity). When none has one, the lever's € is unknown (None), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from greenit.bounds import Bounds
from greenit.factors import FactorSet
from greenit.inventory.budget import (
    OUT_OF_FLEET,
    electricity_price,
    eur_per_tco2e_avoided,
    renewal_eur,
    resolve_prices,
    yearly_electricity_eur,
)
from greenit.levers.inventory import LeveredInventory

ZERO = Bounds(0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Budget:
    """A state's yearly budget [€/year excl. VAT] in the three worlds, and the devices it changes.

    ``changed`` / ``changed_priced``: devices [quantity] whose renewal the state changes against
    the baseline, and those of them with a price; ``unknown``: a part of the budget the lever
    moves cannot be priced at all (a cloud bill, hosted AI without prices).
    """

    renewal: Bounds = ZERO
    electricity: Bounds = ZERO
    ai_electricity: Bounds = ZERO
    hosted: np.ndarray | None = None  # € of each hosted usage row (NaN: no price); None: no usage
    changed: float = 0.0
    changed_priced: float = 0.0
    unknown: bool = False
    hosted_changed: bool = False  # a lever on hosted AI applied (its € needs hosted prices)
    hosted_rows: np.ndarray | None = None  # the usage rows it changed (None: take them all)

    @property
    def hosted_total(self) -> float:
        return 0.0 if self.hosted is None else float(np.nansum(self.hosted))

    @property
    def total(self) -> Bounds:
        return self.renewal + self.electricity + self.ai_electricity + self.hosted_total


def _sum(values: Bounds, mask: np.ndarray | None = None) -> Bounds:
    def total(v: np.ndarray) -> float:
        v = np.asarray(v, dtype=float)
        return float(np.nansum(v if mask is None else v[mask]))

    return Bounds(*(total(v) for v in values))


@dataclass(frozen=True)
class RowsBudget:
    """An estimated frame's renewal and electricity [€/year], each row's renewal (central,
    NaN where unpriced) and whether its refurbished discount is known.
    """

    renewal: Bounds
    electricity: Bounds
    row_renewal: np.ndarray
    discount_known: np.ndarray


def inventory_budget(
    estimated: pd.DataFrame,
    factors: FactorSet,
    *,
    renewal_factor: np.ndarray | float = 1.0,
    paid_share: np.ndarray | None = None,
    not_bought: np.ndarray | None = None,
    electricity_price_eur_per_kwh: float | None = None,
) -> RowsBudget:
    """The budget of an estimated frame under a lever's explicit effects.

    ``paid_share``: the refurbished share each row's file price was paid at (default: the row's
    share now); ``not_bought``: rows renewed by nobody (devices a reuse lever put back in service).
    """
    ok = (estimated["estimate_status"] == "estimated").to_numpy()
    prices = resolve_prices(estimated, factors, paid_share=paid_share)
    lifespan = estimated["device_lifespan_years"].to_numpy(dtype=float)
    renewal = renewal_eur(estimated, prices, lifespan, renewal_factor)
    if not_bought is not None:
        renewal = Bounds(*(np.where(not_bought, 0.0, v) for v in renewal))
    price = electricity_price(factors, electricity_price_eur_per_kwh)
    kwh = Bounds(*(estimated[c].to_numpy(dtype=float) for c in ("use_kwh", "use_low_kwh", "use_high_kwh")))
    electricity = Bounds(*(yearly_electricity_eur(k, p) for k, p in zip(kwh, price, strict=True)))
    return RowsBudget(
        _sum(renewal, ok),
        _sum(electricity, ok),
        np.where(ok, renewal.central, np.nan),
        ~np.isnan(np.asarray(prices.discount.central, dtype=float)),
    )


def state_budget(
    state: LeveredInventory,
    baseline: pd.DataFrame,
    estimated: pd.DataFrame,
    avoided: pd.DataFrame | None,
    factors: FactorSet,
    electricity_price_eur_per_kwh: float | None,
) -> Budget:
    """The equipment's budget under levers, and the devices whose renewal they change
    (against the ``baseline`` normalised inventory), priced or not.
    """
    rows = inventory_budget(
        estimated,
        factors,
        renewal_factor=state.renewal_factor,
        paid_share=state.paid_share,
        not_bought=state.reused,
        electricity_price_eur_per_kwh=electricity_price_eur_per_kwh,
    )
    renewal, electricity = rows.renewal, rows.electricity
    n = len(baseline)
    quantity = estimated["quantity"].to_numpy(dtype=float)[:n]
    factor = np.broadcast_to(np.asarray(state.renewal_factor, dtype=float), (len(estimated),))[:n]
    now = estimated["refurbished_share"].to_numpy(dtype=float)[:n]
    before = baseline["refurbished_share"].to_numpy(dtype=float)
    in_fleet = ~np.isin(estimated["status_kind"].astype(object).to_numpy()[:n], OUT_OF_FLEET)
    in_fleet &= (estimated["estimate_status"] == "estimated").to_numpy()[:n]
    share_changed = now != before
    changed = in_fleet & ((factor != 1.0) | share_changed)
    priced = ~np.isnan(rows.row_renewal[:n]) & (~share_changed | rows.discount_known[:n])
    devices, devices_priced = float(quantity[changed].sum()), float(quantity[changed & priced].sum())
    if avoided is not None:
        saved = inventory_budget(
            avoided, factors, electricity_price_eur_per_kwh=electricity_price_eur_per_kwh
        )
        renewal = Bounds(*(a - b for a, b in zip(renewal, saved.renewal, strict=True)))
        electricity = Bounds(*(a - b for a, b in zip(electricity, saved.electricity, strict=True)))
        avoided_quantity = avoided["quantity"].to_numpy(dtype=float)
        devices += float(avoided_quantity.sum())
        devices_priced += float(avoided_quantity[~np.isnan(saved.row_renewal)].sum())
    return Budget(renewal, electricity, changed=devices, changed_priced=devices_priced)


def ai_electricity_budget(runs_estimated: pd.DataFrame | None, price: Bounds) -> Bounds:
    """Electricity [€/year] of the AI runs the town powers itself: estimated runs that are not
    hosted usage and name no cloud region (a cloud run is paid through the provider's bill).
    """
    if runs_estimated is None or runs_estimated.empty:
        return ZERO
    own = own_runs(runs_estimated)
    kwh = [
        runs_estimated[c].to_numpy(dtype=float)[own]
        for c in ("energy_kwh", "energy_low_kwh", "energy_high_kwh")
    ]
    return Bounds(*(float(np.nansum(k * p)) for k, p in zip(kwh, price, strict=True)))


def own_runs(runs_estimated: pd.DataFrame) -> np.ndarray:
    """Estimated runs the town powers itself: not hosted usage, no provider region."""
    return (
        (runs_estimated["estimate_status"] == "estimated").to_numpy()
        & runs_estimated["region"].isna().to_numpy()
        & (runs_estimated["source"].astype(object) != "hosted").to_numpy()
    )


def hosted_eur(usage_estimated: pd.DataFrame | None, factors: FactorSet) -> np.ndarray | None:
    """What each estimated hosted generative-AI usage row costs [€ excl. VAT, over the logs'
    period] at its model's public per-token price (``genai_prices.csv``,
    :func:`greenit.ai.prices.hosted_eur`): NaN where the model has no price or the row no token
    counts; None without usage.
    """
    if usage_estimated is None or usage_estimated.empty:
        return None
    from greenit.ai.prices import hosted_eur as row_eur

    estimated = (usage_estimated["estimate_status"] == "estimated").to_numpy()
    values = row_eur(usage_estimated, factors).to_numpy(dtype=float)
    return np.where(estimated, values, 0.0)


def lever_change(base: Budget, lever: Budget) -> dict[str, float | None]:
    """The € columns of a lever's row: its budget, its change against the baseline (negative =
    saving) with its range, and the share of the devices it changes that have a price.

    >>> row = lever_change(Budget(renewal=Bounds(1000.0, 800.0, 1200.0)),
    ...                    Budget(renewal=Bounds(700.0, 560.0, 840.0), changed=10, changed_priced=10))
    >>> row["change_eur_per_year"], row["change_low_eur_per_year"], row["change_high_eur_per_year"]
    (-300.0, -360.0, -240.0)
    """
    hosted_known, hosted_share, hosted_change = _hosted_change(base, lever)
    worlds = [
        (after - lever.hosted_total) - (before - base.hosted_total) + hosted_change
        for after, before in zip(lever.total, base.total, strict=True)
    ]
    known = not lever.unknown and hosted_known and (lever.changed == 0 or lever.changed_priced > 0)
    share = lever.changed_priced / lever.changed if lever.changed else hosted_share
    return {
        "budget_eur_per_year": float(lever.total.central),
        "budget_low_eur_per_year": float(lever.total.low),
        "budget_high_eur_per_year": float(lever.total.high),
        "change_eur_per_year": worlds[0] if known else None,
        "change_low_eur_per_year": min(worlds) if known else None,
        "change_high_eur_per_year": max(worlds) if known else None,
        "change_priced_share": share,
    }


def _hosted_change(base: Budget, lever: Budget) -> tuple[bool, float | None, float]:
    """A lever's change of hosted AI € [€]: over the rows it changes that have a price before and
    after (like devices, a lever is priced over what it changes that has a price), whether it is
    known — one such row at least: a model swapped for one without a price is no saving — and
    the share of the rows it changes so priced (None when it does not act on hosted AI).

    >>> base = Budget(hosted=np.array([10.0, np.nan, 4.0]))
    >>> _hosted_change(base, Budget(hosted=np.array([2.0, 1.0, 4.0]), hosted_changed=True,
    ...                             hosted_rows=np.array([True, True, False])))
    (True, 0.5, -8.0)
    """
    if not lever.hosted_changed or lever.hosted is None:
        return True, None, lever.hosted_total - base.hosted_total
    if base.hosted is None or len(base.hosted) != len(lever.hosted):
        return False, None, 0.0
    changed = np.ones(len(lever.hosted), dtype=bool) if lever.hosted_rows is None else lever.hosted_rows
    both = changed & ~np.isnan(base.hosted) & ~np.isnan(lever.hosted)
    share = float(both.sum() / changed.sum()) if changed.any() else None
    change = float(lever.hosted[both].sum() - base.hosted[both].sum())
    return bool(both.any() or not changed.any()), share, change


def changed_usage_rows(before: pd.DataFrame | None, after: pd.DataFrame | None) -> np.ndarray | None:
    """The hosted usage rows a lever changed (another model, other counts); None when the frames
    do not line up.
    """
    if before is None or after is None or len(before) != len(after):
        return None
    changed = np.zeros(len(before), dtype=bool)
    for column in ("model_label", "requests", "input_tokens", "output_tokens"):
        if column in before.columns and column in after.columns:
            was, now = before[column].astype(object).to_numpy(), after[column].astype(object).to_numpy()
            changed |= ~((was == now) | (pd.isna(was) & pd.isna(now)))
    return changed


def add_money_columns(frame: pd.DataFrame, budgets: list[Budget]) -> pd.DataFrame:
    """The comparison table of :func:`greenit.levers.compare.compare_normalised` with its €
    columns: one budget per row, the first the baseline.
    """
    rows = [
        {
            **lever_change(budgets[0], budget),
            **(
                {"change_eur_per_year": 0.0, "change_low_eur_per_year": 0.0, "change_high_eur_per_year": 0.0}
                if i == 0
                else {}
            ),
        }
        for i, budget in enumerate(budgets)
    ]
    money = pd.DataFrame(rows, index=frame.index)
    for column in money.columns:
        frame[column] = money[column].astype(object).where(money[column].notna(), None)
    per_tonne = [
        None if i == 0 else eur_per_tco2e_avoided(change, carbon)
        for i, (change, carbon) in enumerate(
            zip(frame["change_eur_per_year"], frame["change_kgco2e"], strict=True)
        )
    ]
    frame["eur_per_tco2e_avoided"] = pd.Series(per_tonne, index=frame.index, dtype=object)
    changes = list(frame["change_eur_per_year"])
    steps = [
        None if i == 0 or now is None or before is None else now - before
        for i, (now, before) in enumerate(zip(changes, [None, *changes[:-1]], strict=True))
    ]
    frame["step_eur_per_year"] = pd.Series(steps, index=frame.index, dtype=object)
    return frame


def ranking(frame: pd.DataFrame) -> list[dict]:
    """Levers from the cheapest tonne avoided (most negative € per tCO2e: it saves money) to
    the dearest; those that avoid no carbon or whose € is unknown last, in their order.
    """
    rows = frame.iloc[1:].to_dict("records")
    ranked = sorted(
        (r for r in rows if r.get("eur_per_tco2e_avoided") is not None),
        key=lambda r: r["eur_per_tco2e_avoided"],
    )
    return ranked + [r for r in rows if r.get("eur_per_tco2e_avoided") is None]


def lever_ranking(frame: pd.DataFrame) -> list[dict]:
    """:func:`ranking` as ``scenario --json`` gives it: each lever (as typed), its label, its
    changes in tCO2e and € and its € per tCO2e avoided, cheapest tonne first.
    """
    keys = ("lever", "scenario", "change_kgco2e", "change_eur_per_year", "eur_per_tco2e_avoided")
    return [{key: row.get(key) for key in keys} for row in ranking(frame)]
