"""The budget model: what the fleet costs a year to renew and to power, in euros excluding VAT.

Small, pure, vectorised formulas (numbers, numpy arrays), then :func:`add_budget_columns`,
which puts them on the estimated rows. Units are in the names: ``_eur`` (euros excluding VAT),
``_eur_per_year``, ``_eur_per_kwh``.

- **Renewal at steady state** ``= quantity × unit price / lifespan``: a fleet of ``q`` devices
  kept ``L`` years buys ``q / L`` of them a year. The lifespan is the one the carbon model
  amortises manufacture over (the file's, else ``devices.csv``'s), and a lifespan lever scales
  it by the same renewal factor ``L / (L + N)``. Devices out of the fleet (retired, given to
  reuse) are not renewed: they count 0.
- **Electricity** ``= use kWh × price``: the row's yearly electricity from the carbon model
  (devices in service during the year), at the town's price (``--electricity-price``) or the
  sourced default (``parameters.csv`` ``electricity_price``, with its range).
- **The unit price**: the file's (:mod:`greenit.inventory.prices`), else the category's sourced
  default (``prices.csv``, with its range), else unknown: the row counts in no euro total and
  the result says how much of the fleet was priced (``priced_share``, by quantity).
- **Refurbished**: a device bought refurbished costs ``new price × (1 − discount)``, the
  discount of its category (``prices.csv``, with its range; unknown: no discount).

Low and high: the low budget takes every price and the electricity price at their low, the
discount at its high; the high budget the reverse. A price the file gives is exact.

References
----------
M14/M57 instructions (amortisation of fixed assets, linear over the period the assembly
votes): the steady-state renewal is the yearly amortisation of the fleet at its purchase value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from greenit.bounds import Bounds
from greenit.factors import FactorSet
from greenit.factors.lookup import positions_in, take
from greenit.parsing.frozen import frozen

#: Statuses of devices that left the fleet: never renewed.
OUT_OF_FLEET = ("retired", "reused")
#: ``price_origin`` codes.
ORIGINS = ("file", "default", "unknown")


def yearly_renewal_eur(quantity, unit_price_eur, lifespan_years, renewal_factor=1.0):
    """Yearly renewal budget at steady state [€/year] = quantity × unit price [€] × renewal
    factor [0–1] / lifespan [years].

    >>> float(yearly_renewal_eur(10, 1049.0, 5.0))
    2098.0
    >>> float(yearly_renewal_eur(10, 1049.0, 5.0, renewal_factor=5 / 7))  # kept 7 years instead of 5
    1498.5714285714287
    """
    return np.asarray(quantity) * unit_price_eur * renewal_factor / lifespan_years


def yearly_electricity_eur(use_kwh, price_eur_per_kwh):
    """Yearly electricity bill [€/year] = electricity [kWh/year] × price [€/kWh].

    >>> yearly_electricity_eur(48.0, 0.172)
    8.256
    """
    return use_kwh * price_eur_per_kwh


def price_paid_eur(new_price_eur, discount, refurbished_share):
    """Price of a device bought refurbished for a share of the row [€] = new price × (1 − d × s),
    where ``d`` [0–1] is the refurbished discount of its category and ``s`` [0–1] the share.

    >>> float(price_paid_eur(1000.0, 0.5, 0.3))
    850.0
    """
    return new_price_eur * (1.0 - np.nan_to_num(discount) * refurbished_share)


def new_device_price_eur(paid_eur, discount, refurbished_share):
    """The new price of a device from the price paid for a row bought partly refurbished [€]
    = paid / (1 − d × s): the inverse of :func:`price_paid_eur` (the price itself when ``d``
    is unknown or the row was bought new).

    >>> float(new_device_price_eur(500.0, 0.5, 1.0)), float(new_device_price_eur(500.0, float("nan"), 1.0))
    (1000.0, 500.0)
    """
    return paid_eur / (1.0 - np.nan_to_num(discount) * refurbished_share)


def priced_share(quantity, priced) -> float | None:
    """Share [0–1] of ``quantity`` (devices) where ``priced`` holds; None for no device.

    >>> priced_share(np.array([3.0, 1.0]), np.array([True, False])), priced_share(np.array([]), np.array([]))
    (0.75, None)
    """
    total = float(np.sum(quantity))
    return float(np.sum(np.where(priced, quantity, 0.0))) / total if total > 0 else None


def eur_per_tco2e_avoided(change_eur: float | None, change_kgco2e: float) -> float | None:
    """Euros per tonne of CO2e avoided [€/tCO2e] = change in € / tonnes avoided; negative when
    the lever saves money as it avoids carbon. None when no carbon is avoided or the € is unknown.

    >>> eur_per_tco2e_avoided(-2000.0, -4000.0), eur_per_tco2e_avoided(300.0, 0.0)
    (-500.0, None)
    """
    if change_eur is None or not np.isfinite(change_eur) or not change_kgco2e < 0:
        return None
    return float(change_eur / (-change_kgco2e / 1000.0))


def worlds(central, low_budget, high_budget) -> Bounds:
    """A value in the three worlds of the budget's range: central, the low budget, the high."""
    return Bounds(central, low_budget, high_budget)


@dataclass(frozen=True)
class Prices:
    """Each row's new-device price [€ excl. VAT] in the three worlds, its discount and origin."""

    new_price_eur: Bounds  # NaN where unknown
    discount: Bounds  # reversed: the low-budget world takes the high discount; NaN unknown
    origin: np.ndarray  # codes into ORIGINS


def resolve_prices(
    inventory: pd.DataFrame, factors: FactorSet, paid_share: np.ndarray | None = None
) -> Prices:
    """The file's price where it gives one (exact), else the category's default (with range).

    A file's price is what was paid for the row at its refurbished share (``paid_share``,
    default the row's ``refurbished_share``): the new-device price is derived from it.
    """
    table = factors.tables.get("prices")
    n = len(inventory)
    if table is None:
        table = pd.DataFrame(index=pd.Index([], name="category"))
    positions = positions_in(table, inventory["category"])

    def column(name: str, fallback: np.ndarray | None = None) -> np.ndarray:
        values = take(table, positions, name) if name in table.columns else np.full(n, np.nan)
        return values if fallback is None else np.where(np.isnan(values), fallback, values)

    default = column("unit_price_eur")
    default_bounds = Bounds(
        default, column("unit_price_low_eur", default), column("unit_price_high_eur", default)
    )
    d = column("refurbished_discount")
    discount = Bounds(d, column("refurbished_discount_high", d), column("refurbished_discount_low", d))
    share = inventory["refurbished_share"].to_numpy(dtype=float) if paid_share is None else paid_share
    given = (
        inventory["unit_price_eur"].to_numpy(dtype=float)
        if "unit_price_eur" in inventory
        else np.full(n, np.nan)
    )
    from_file = ~np.isnan(given)
    new_from_file = Bounds(*(new_device_price_eur(given, w, share) for w in discount))
    new_price = new_from_file.where(from_file, default_bounds)
    origin = np.where(from_file, 0, np.where(np.isnan(default), 2, 1))
    return Prices(new_price, discount, origin)


def electricity_price(factors: FactorSet, given_eur_per_kwh: float | None) -> Bounds:
    """The price of a kWh [€ excl. VAT]: the one given (exact), else the sourced default's range."""
    if given_eur_per_kwh is not None:
        return Bounds.exact(float(given_eur_per_kwh))
    return Bounds(*factors.parameter("electricity_price"))


def renewal_eur(
    inventory: pd.DataFrame,
    prices: Prices,
    lifespan_years: np.ndarray,
    renewal_factor: np.ndarray | float = 1.0,
    refurbished_share: np.ndarray | None = None,
) -> Bounds:
    """Each row's yearly renewal [€/year] in the three worlds; 0 out of the fleet, NaN unpriced.

    ``refurbished_share``: the share bought refurbished from now on (a lever's), default the row's.
    """
    share = (
        inventory["refurbished_share"].to_numpy(dtype=float)
        if refurbished_share is None
        else refurbished_share
    )
    quantity = inventory["quantity"].to_numpy(dtype=float)
    in_fleet = ~inventory["status_kind"].isin(OUT_OF_FLEET).to_numpy()
    values = []
    for new_price, discount in zip(prices.new_price_eur, prices.discount, strict=True):
        paid = price_paid_eur(new_price, discount, share)
        yearly = yearly_renewal_eur(quantity, paid, lifespan_years, renewal_factor)
        values.append(np.where(in_fleet, yearly, 0.0))
    return Bounds(*values)


def budget_columns(
    inventory: pd.DataFrame,
    factors: FactorSet,
    *,
    lifespan_years: np.ndarray,
    use_kwh: Bounds,
    estimated: np.ndarray,
    renewal_factor: np.ndarray | float = 1.0,
    electricity_price_eur_per_kwh: float | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The budget columns of the ``estimated`` stage (:mod:`greenit.schema`), NaN on flagged rows,
    by name in the frame's order, and the electricity price used (the frame's ``attrs``).

    ``use_kwh`` is the rows' yearly electricity as the carbon model computed it, ``lifespan_years``
    the lifespan it used, ``renewal_factor`` a lifespan lever's.
    """
    prices = resolve_prices(inventory, factors)
    renewal = renewal_eur(inventory, prices, lifespan_years, renewal_factor)
    kwh_price = electricity_price(factors, electricity_price_eur_per_kwh)
    electricity = Bounds(*(yearly_electricity_eur(kwh, p) for kwh, p in zip(use_kwh, kwh_price, strict=True)))
    origin = np.where(estimated, prices.origin, -1)
    out: dict[str, Any] = {
        "device_unit_price_eur": np.where(estimated, prices.new_price_eur.central, np.nan),
        "price_origin": pd.Categorical.from_codes(origin, categories=pd.Index(ORIGINS, dtype=object)),
    }
    for part, value in (("renewal", renewal), ("electricity", electricity)):
        for bound, values in zip(("", "_low", "_high"), value, strict=True):
            out[f"{part}{bound}_eur_per_year"] = np.where(estimated, values, np.nan)
    attrs = {
        "electricity_price_eur_per_kwh": frozen(tuple(float(v) for v in kwh_price)),  # never copied
        "electricity_price_given": electricity_price_eur_per_kwh is not None,
    }
    return out, attrs
