"""The inventory footprint model: small, pure, vectorised formulas (per row, per year).

Every function takes numbers or numpy arrays and returns the same shape, so a whole column
or a single device goes through the same code. Units are in the names and docstrings.

References
----------
- ADEME, Bilan GES méthode v5: IT equipment is scope 3, poste 4.2 (immobilisations), with
  manufacture spread over the depreciation period; use-phase electricity is category 2.
- Boavizta API, ``Impact.allocate`` and ``simple_impact_use`` (boaviztapi 2.5.0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.errors import GreenitError
from greenit.factors import FactorSet
from greenit.factors.lookup import positions_in, take
from greenit.i18n import msg
from greenit.inventory.model import (
    amortised_manufacture,
    annual_energy_kwh,
    decimal_year,
    flux_manufacture,
    use_emissions,
    year_overlap,
)
from greenit.parsing.flags import Flags

METHODS = ("amortised", "flux")


def estimate_inventory(
    inventory: pd.DataFrame,
    factors: FactorSet,
    *,
    year: int,
    method: str = "amortised",
    grid_factor_kg_per_kwh: float | None = None,
) -> pd.DataFrame:
    """Yearly footprint of every row of a normalised inventory.

    Parameters
    ----------
    inventory : DataFrame
        From :func:`greenit.inventory.normalise_inventory`.
    factors : FactorSet
        Device, electricity and parameter tables.
    year : int
        Reference year of the footprint.
    method : {"amortised", "flux"}
        ``amortised`` spreads manufacture over the lifespan (BEGES poste 4.2); ``flux`` puts
        it whole in the purchase year.
    grid_factor_kg_per_kwh : float, optional
        Carbon intensity [kgCO2e/kWh] used for every row instead of the country's.

    Returns
    -------
    DataFrame
        The inventory with ``estimate_status`` (estimated | flagged), ``reason`` and per-year
        columns for the row's whole quantity: ``manufacture_kgco2e``, ``use_kwh``,
        ``use_kgco2e``, ``end_of_life_kgco2e``, ``total_kgco2e`` and their ``_low``/``_high``.
        The device-level inputs actually used sit in ``device_*`` columns.
    """
    if method not in METHODS:
        raise GreenitError.of(
            "inventory.method_unknown", "inventory.method_known", method=method, known=METHODS
        )
    devices = factors.devices
    out = inventory.copy(deep=False)
    flags = Flags(len(out))
    flags.add_column(out["reason"])
    positions = positions_in(devices, out["category"])
    no_row = out["category"].notna().to_numpy() & (positions < 0)
    flags.add_each(no_row, out["category"], "inventory.category.no_factor_row")

    def factor(column: str) -> np.ndarray:
        return take(devices, positions, column)

    given_manufacture = out["manufacture_kgco2e"].to_numpy(dtype=float)
    manufacture = np.where(np.isnan(given_manufacture), factor("manufacture_kgco2e"), given_manufacture)
    manufacture_low = np.where(
        np.isnan(given_manufacture), factor("manufacture_low_kgco2e"), given_manufacture
    )
    manufacture_high = np.where(
        np.isnan(given_manufacture), factor("manufacture_high_kgco2e"), given_manufacture
    )
    share, share_low, share_high = factors.parameter("refurbished_manufacture_share")
    # a row may be partly refurbished (a scenario's share of purchases): 0 = new, 1 = refurbished
    refurbished = out["refurbished"].to_numpy(dtype=float)
    manufacture = manufacture * (1 - refurbished + refurbished * share)
    manufacture_low = manufacture_low * (1 - refurbished + refurbished * share_low)
    manufacture_high = manufacture_high * (1 - refurbished + refurbished * share_high)

    given_lifespan = out["lifespan_years"].to_numpy(dtype=float)
    lifespan = np.where(
        np.isnan(given_lifespan) | (given_lifespan <= 0), factor("lifespan_years"), given_lifespan
    )
    end_of_life = np.nan_to_num(factor("end_of_life_kgco2e"), nan=0.0)
    # scenarios that keep devices longer renew fewer of them: manufacture and end of life scale
    if "renewal_factor" in out.columns:
        renewal = out["renewal_factor"].fillna(1.0).to_numpy(dtype=float)
        manufacture, manufacture_low, manufacture_high, end_of_life = (
            manufacture * renewal,
            manufacture_low * renewal,
            manufacture_high * renewal,
            end_of_life * renewal,
        )

    start = decimal_year(out["purchase_date"])
    retired_at = decimal_year(out["retirement_date"])
    quantity = out["quantity"].to_numpy(dtype=float)
    if method == "amortised":
        life_share = year_overlap(start, start + lifespan, year)
        manufacture_year = amortised_manufacture(manufacture, quantity, lifespan, life_share)
        manufacture_year_low = amortised_manufacture(manufacture_low, quantity, lifespan, life_share)
        manufacture_year_high = amortised_manufacture(manufacture_high, quantity, lifespan, life_share)
        end_of_life_year = amortised_manufacture(end_of_life, quantity, lifespan, life_share)
    else:
        unknown_date = np.isnan(start)
        flags.add(unknown_date, msg("inventory.flux_needs_date"))
        bought = np.floor(start) == year
        manufacture_year = flux_manufacture(manufacture, quantity, bought)
        manufacture_year_low = flux_manufacture(manufacture_low, quantity, bought)
        manufacture_year_high = flux_manufacture(manufacture_high, quantity, bought)
        end_of_life_year = flux_manufacture(end_of_life, quantity, bought)

    # use: only equipment in service consumes, from its purchase until its retirement
    given_hours = out["use_hours_per_year"].to_numpy(dtype=float)
    given_kwh = annual_energy_kwh(
        out["annual_kwh"].to_numpy(dtype=float),
        out["power_w"].to_numpy(dtype=float),
        np.where(np.isnan(given_hours), factor("use_hours_per_year"), given_hours),
    )
    device_kwh = np.where(np.isnan(given_kwh), factor("annual_kwh"), given_kwh)
    device_kwh_low = np.where(np.isnan(given_kwh), factor("annual_kwh_low"), given_kwh)
    device_kwh_high = np.where(np.isnan(given_kwh), factor("annual_kwh_high"), given_kwh)
    consuming = out["status_kind"].isin(["in_service", "unknown"]).to_numpy()
    in_use = year_overlap(start, retired_at, year) * consuming
    use_kwh = device_kwh * quantity * in_use
    use_kwh_low = device_kwh_low * quantity * in_use
    use_kwh_high = device_kwh_high * quantity * in_use
    if grid_factor_kg_per_kwh is not None:
        grid = np.full(len(out), float(grid_factor_kg_per_kwh))
    else:
        grid = take(
            factors.electricity,
            positions_in(factors.electricity, out["country"]),
            "carbon_intensity_kg_per_kwh",
        )
        no_grid = np.isnan(grid) & out["country"].notna().to_numpy()
        flags.add_each(no_grid, out["country"], "inventory.country_no_grid")

    notes = Flags(len(out))
    notes.add(np.floor(start) > year, msg("inventory.note.purchased_after", year=year))

    flagged = flags.flagged
    ok = ~flagged

    def kept(values: np.ndarray) -> np.ndarray:
        return np.where(ok, np.nan_to_num(values, nan=0.0), np.nan)

    out["given_manufacture_kgco2e"] = given_manufacture
    out["device_manufacture_kgco2e"] = np.where(ok, manufacture, np.nan)
    out["device_lifespan_years"] = np.where(ok, lifespan, np.nan)
    out["device_annual_kwh"] = np.where(ok, device_kwh, np.nan)
    out["grid_factor_kg_per_kwh"] = np.where(ok, grid, np.nan)
    out["manufacture_kgco2e"] = kept(manufacture_year)
    out["manufacture_low_kgco2e"] = kept(manufacture_year_low)
    out["manufacture_high_kgco2e"] = kept(manufacture_year_high)
    out["use_kwh"] = kept(use_kwh)
    out["use_kwh_low"] = kept(use_kwh_low)
    out["use_kwh_high"] = kept(use_kwh_high)
    out["use_kgco2e"] = kept(use_emissions(use_kwh, grid))
    out["use_low_kgco2e"] = kept(use_emissions(use_kwh_low, grid))
    out["use_high_kgco2e"] = kept(use_emissions(use_kwh_high, grid))
    out["end_of_life_kgco2e"] = kept(end_of_life_year)
    out["total_kgco2e"] = out["manufacture_kgco2e"] + out["use_kgco2e"] + out["end_of_life_kgco2e"]
    out["total_low_kgco2e"] = (
        out["manufacture_low_kgco2e"] + out["use_low_kgco2e"] + out["end_of_life_kgco2e"]
    )
    out["total_high_kgco2e"] = (
        out["manufacture_high_kgco2e"] + out["use_high_kgco2e"] + out["end_of_life_kgco2e"]
    )
    out["estimate_status"] = pd.Categorical.from_codes(
        flagged.astype(np.int64), categories=pd.Index(["estimated", "flagged"], dtype=object)
    )
    out["reason"] = flags.column()
    out["notes"] = notes.column()
    out.attrs.update(
        year=year,
        method=method,
        factors_version=factors.version,
        grid_factor_override=grid_factor_kg_per_kwh,
    )
    return out
