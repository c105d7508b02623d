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
from greenit.flags import Flags

METHODS = ("amortised", "flux")


def decimal_year(dates: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """Dates → decimal years (2024-07-01 → 2024.497); NaT → NaN."""
    index = pd.DatetimeIndex(dates)
    year = index.year.to_numpy(dtype=float)
    days = np.where(index.is_leap_year, 366.0, 365.0)
    return year + (index.day_of_year.to_numpy(dtype=float) - 1.0) / days


def year_overlap(start: np.ndarray, end: np.ndarray, year: int) -> np.ndarray:
    """Fraction [0–1] of calendar ``year`` covered by [start, end) in decimal years.

    A NaN start means "unknown": the device is taken as present the whole year.

    >>> year_overlap(np.array([2020.0]), np.array([2025.0]), 2024)
    array([1.])
    >>> year_overlap(np.array([2024.5]), np.array([2029.5]), 2024)
    array([0.5])
    """
    start = np.where(np.isnan(start), -np.inf, start)
    end = np.where(np.isnan(end), np.inf, end)
    return np.clip(np.minimum(end, year + 1.0) - np.maximum(start, float(year)), 0.0, 1.0)


def amortised_manufacture(
    manufacture_kgco2e: np.ndarray,
    quantity: np.ndarray,
    lifespan_years: np.ndarray,
    share_of_year_within_lifespan: np.ndarray,
) -> np.ndarray:
    """Manufacture spread evenly over the lifespan [kgCO2e/year].

    ``manufacture × quantity / lifespan × share``, where ``share`` [0–1] is the part of the
    reference year the device spends within its lifespan (1 for a whole year).
    """
    return manufacture_kgco2e * quantity / lifespan_years * share_of_year_within_lifespan


def flux_manufacture(
    manufacture_kgco2e: np.ndarray, quantity: np.ndarray, bought_in_year: np.ndarray
) -> np.ndarray:
    """Whole manufacture in the purchase year, nothing after [kgCO2e/year]."""
    return manufacture_kgco2e * quantity * bought_in_year


def annual_energy_kwh(
    annual_kwh: np.ndarray, power_w: np.ndarray, use_hours_per_year: np.ndarray
) -> np.ndarray:
    """Yearly electricity of one device [kWh/year]: ``annual_kwh``, else ``power × hours / 1000``."""
    return np.where(np.isnan(annual_kwh), power_w * use_hours_per_year / 1000.0, annual_kwh)


def use_emissions(use_kwh: np.ndarray, grid_factor_kg_per_kwh: np.ndarray) -> np.ndarray:
    """Use-phase emissions [kgCO2e] = energy [kWh] × grid factor [kgCO2e/kWh]."""
    return use_kwh * grid_factor_kg_per_kwh


def positions_in(table: pd.DataFrame, keys: pd.Series) -> np.ndarray:
    """Row position in ``table`` of each key (-1 when missing or unknown).

    For a Categorical, the look-up runs once per category, not once per row.
    """
    if isinstance(keys.dtype, pd.CategoricalDtype):
        if len(keys.cat.categories) == 0:
            return np.full(len(keys), -1, dtype=np.int64)
        per_category = table.index.get_indexer(keys.cat.categories)
        codes = keys.cat.codes.to_numpy()
        return np.where(codes >= 0, per_category[np.maximum(codes, 0)], -1)
    return table.index.get_indexer(keys.astype(object).where(keys.notna(), ""))


def take(table: pd.DataFrame, positions: np.ndarray, column: str) -> np.ndarray:
    """``table[column]`` at each position, NaN where the position is -1."""
    values = table[column].to_numpy(dtype=float)
    return np.where(positions >= 0, values[np.maximum(positions, 0)], np.nan)


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
        raise GreenitError(f"unknown method '{method}'", f"use one of: {', '.join(METHODS)}")
    devices = factors.devices
    out = inventory.copy(deep=False)
    flags = Flags(len(out))
    flags.add_column(out["reason"])
    positions = positions_in(devices, out["category"])
    no_row = out["category"].notna().to_numpy() & (positions < 0)
    flags.add_each(no_row, out["category"], "category: '{}' has no row in the device factor table")

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
        flags.add(unknown_date, "purchase date: the flux method needs it")
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
        flags.add_each(no_grid, out["country"], "country: '{}' has no electricity factor; give --grid-factor")

    not_bought_yet = np.floor(start) > year
    note = pd.Categorical.from_codes(
        not_bought_yet.astype(np.int64),
        categories=pd.Index(["", f"purchased after {year}: counts 0 this year"], dtype=object),
    )

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
    out["reason"] = flags.column(default=note)
    out.attrs.update(
        year=year,
        method=method,
        factors_version=factors.version,
        grid_factor_override=grid_factor_kg_per_kwh,
    )
    return out
