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
