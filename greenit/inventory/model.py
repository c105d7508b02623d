"""The inventory footprint model: small, pure, vectorised formulas (per row, per year).

Every function takes numbers, numpy arrays or :class:`~greenit.bounds.Bounds` and returns the
same shape, so a whole column or a single device goes through the same code, and the low–high
range comes out of the same formula as the central value. Units are in the names.

References
----------
- ADEME, *Bilan GES — méthode pour la réalisation des bilans d'émissions de gaz à effet de
  serre*, v5 (2022): IT equipment is scope 3, poste 4.2 (immobilisations), manufacture spread
  over the depreciation period; use-phase electricity is category 2.
- Boavizta API 2.5, ``Impact.allocate`` and ``simple_impact_use``: manufacture pro rata of the
  duration over the lifetime; use = power × hours × electricity factor.
- ADEME (2022), *Évaluation de l'impact environnemental d'un ensemble de produits
  reconditionnés*: the share of a new device's manufacture carried by a refurbished one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.bounds import Bounds


def decimal_year(dates: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """Dates → decimal years [years] (2024-07-01 → 2024.497); NaT → NaN.

    Worked out once per distinct calendar day (the time of day does not count): a million-row
    inventory holds a few thousand purchase dates.

    >>> decimal_year(pd.to_datetime(["2024-07-01", None])).round(3)
    array([2024.497,      nan])
    """
    index = pd.DatetimeIndex(dates)
    if index.tz is not None:
        index = index.tz_localize(None)  # the local calendar day, as the date's own year reads it
    codes, distinct = pd.factorize(index.to_numpy().astype("datetime64[D]"))
    days = pd.DatetimeIndex(distinct)
    year = days.year.to_numpy(dtype=float)
    in_year = np.where(days.is_leap_year, 366.0, 365.0)
    per_day = year + (days.day_of_year.to_numpy(dtype=float) - 1.0) / in_year
    return np.append(per_day, np.nan)[codes]  # code -1 (NaT) takes the trailing NaN


def age_at_end_of_year(purchase_dates: pd.Series, year: int) -> np.ndarray:
    """Age of each device on 31 December of ``year`` [years, calendar-exact]; NaN when undated.

    >>> age_at_end_of_year(pd.Series(pd.to_datetime(["2016-01-01", "2025-07-02"])), 2025).round(2)
    array([10. ,  0.5])
    """
    return (year + 1.0) - decimal_year(purchase_dates)


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


def refurbished_manufacture_kgco2e(
    manufacture_kgco2e: Bounds, refurbished_share: np.ndarray, carried_share: Bounds
) -> Bounds:
    """Manufacture of a device bought partly refurbished [kgCO2e].

    ``manufacture × (1 − r + r × s)``, where ``r`` [0–1] is the refurbished share of the row
    (1 for a refurbished device, a scenario's share of purchases) and ``s`` the share of a new
    device's manufacture a refurbished one carries (ADEME 2022: 0.13 for a smartphone).

    >>> [round(float(v), 1) for v in refurbished_manufacture_kgco2e(
    ...     Bounds.exact(100.0), np.array(0.5), Bounds(0.13, 0.01, 0.64))]
    [56.5, 50.5, 82.0]
    """
    return manufacture_kgco2e * refurbished_factor(refurbished_share, carried_share)


def refurbished_factor(refurbished_share: np.ndarray, carried_share: Bounds) -> Bounds:
    """Share [0–1] of a new device's manufacture that a row bought partly refurbished carries:
    ``1 − r + r × s`` (see :func:`refurbished_manufacture_kgco2e`); the same for every criterion,
    so it is worked out once per row.

    >>> [round(float(v), 3) for v in refurbished_factor(np.array(0.5), Bounds(0.13, 0.01, 0.64))]
    [0.565, 0.505, 0.82]
    """
    return carried_share * refurbished_share + (1.0 - refurbished_share)


def amortised_manufacture(
    manufacture_kgco2e: Bounds | np.ndarray | float,
    quantity: np.ndarray,
    lifespan_years: np.ndarray,
    share_of_year_within_lifespan: np.ndarray,
) -> Bounds | np.ndarray:
    """Manufacture spread evenly over the lifespan [kgCO2e/year].

    ``manufacture × quantity / lifespan × share``, where ``share`` [0–1] is the part of the
    reference year the device spends within its lifespan (1 for a whole year).

    >>> float(amortised_manufacture(182.3, 2, 5.0, 0.5))
    36.46
    """
    return manufacture_kgco2e * (quantity / lifespan_years * share_of_year_within_lifespan)


def flux_manufacture(
    manufacture_kgco2e: Bounds | np.ndarray | float, quantity: np.ndarray, bought_in_year: np.ndarray
) -> Bounds | np.ndarray:
    """Whole manufacture in the purchase year, nothing after [kgCO2e/year]."""
    return manufacture_kgco2e * (quantity * bought_in_year)


def yearly_share(
    quantity: np.ndarray, lifespan_years: np.ndarray, start_year: np.ndarray, *, year: int, method: str
) -> np.ndarray:
    """How many devices' manufacture a row charges to ``year`` [devices/year]: the manufacture
    of a device weighing 1 in :func:`amortised_manufacture` or :func:`flux_manufacture`.

    ``amortised``: spread over the lifespan from the purchase date (a device of unknown date
    counts a whole year: a fleet in steady state); ``flux``: all in the purchase year. Carbon,
    end of life and every other criterion multiply their per-device figure by this one share.

    >>> yearly_share(np.array([2.0, 2.0]), np.array([5.0, 5.0]), np.array([2024.5, np.nan]),
    ...              year=2024, method="amortised").tolist()
    [0.2, 0.4]
    """
    if method == "flux":
        bought = (np.floor(start_year) == year).astype(float)
        return np.asarray(flux_manufacture(1.0, quantity, bought))
    life_share = year_overlap(start_year, start_year + lifespan_years, year)
    return np.asarray(amortised_manufacture(1.0, quantity, lifespan_years, life_share))


def yearly_manufacture_kgco2e(
    manufacture_kgco2e: Bounds,
    end_of_life_kgco2e: np.ndarray,
    quantity: np.ndarray,
    lifespan_years: np.ndarray,
    start_year: np.ndarray,
    *,
    year: int,
    method: str,
) -> tuple[Bounds, np.ndarray]:
    """Manufacture and end of life charged to ``year`` [kgCO2e/year], amortised or flux: the
    per-device figures × :func:`yearly_share`.
    """
    share = yearly_share(quantity, lifespan_years, start_year, year=year, method=method)
    return Bounds.of(manufacture_kgco2e * share), np.asarray(end_of_life_kgco2e * share)


def annual_energy_kwh(
    annual_kwh: np.ndarray, power_w: np.ndarray, use_hours_per_year: np.ndarray
) -> np.ndarray:
    """Yearly electricity of one device [kWh/year]: ``annual_kwh``, else ``power × hours / 1000``.

    >>> float(annual_energy_kwh(np.nan, 65.0, 2628.0))
    170.82
    """
    return np.where(np.isnan(annual_kwh), power_w * use_hours_per_year / 1000.0, annual_kwh)


def consuming_share_of_year(
    start_year: np.ndarray, end_year: np.ndarray, consuming: np.ndarray, *, year: int
) -> np.ndarray:
    """Part of ``year`` [0–1] a device draws electricity: in service, between purchase and retirement."""
    return year_overlap(start_year, end_year, year) * consuming


def use_emissions(use_kwh: np.ndarray, grid_factor_kg_per_kwh: np.ndarray) -> np.ndarray:
    """Use-phase emissions [kgCO2e] = energy [kWh] × grid factor [kgCO2e/kWh]."""
    return use_kwh * grid_factor_kg_per_kwh
