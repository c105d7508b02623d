"""Criteria beyond carbon: which ones greenit reports, their units, and their factors per row.

greenit reports, beside climate change (``gwp``, kgCO2e), three criteria of the ADEME
methodology for digital services, each from a sourced table and never from a default:

- ``adpe`` — abiotic depletion of minerals and metals [kg Sb eq] (« épuisement des ressources
  naturelles (minérales et métaux) »);
- ``pe`` — non-renewable primary energy [MJ]: the ADPf indicator of ADEME's Base Empreinte
  (fossil resources and uranium), the only primary-energy figure the sources give on the same
  basis for devices and for electricity; renewable primary energy is not counted;
- ``water`` — water consumed to generate electricity [m3] (WRI off-site method, via EcoLogits):
  the use phase only, as no source gives a reliable device manufacture figure.

``device_criteria.csv`` gives each device's manufacture (extraction, manufacture, transport and
end of life, as the NegaOctet rows count them); ``electricity_criteria.csv`` each country's
figures per kWh. An empty cell is « non renseigné »: the row's criterion is unknown, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from greenit.bounds import Bounds
from greenit.factors.lookup import positions_in, take
from greenit.factors.tables import FactorSet


@dataclass(frozen=True)
class Criterion:
    """One criterion: its key, the unit suffix of its columns and JSON keys, its phases."""

    name: str  # adpe, pe, water
    unit: str  # column suffix: kgsbeq, mj, m3
    per_kwh: str  # column of electricity_criteria (canonical unit per kWh)
    per_kwh_scale: float  # per-kWh column's unit → the criterion's unit (L → m3: 0.001)
    manufacture: bool  # whether device_criteria gives the manufacture phase

    def column(self, phase: str, bound: str = "") -> str:
        """``adpe_manufacture_low_kgsbeq``: <criterion>_<phase>[_<low|high>]_<unit>."""
        return f"{self.name}_{phase}{bound}_{self.unit}"

    @property
    def key(self) -> str:
        """The JSON key of the criterion: ``adpe_kgsbeq``."""
        return f"{self.name}_{self.unit}"


CRITERIA = (
    Criterion("adpe", "kgsbeq", "adpe_kgsbeq_per_kwh", 1.0, True),
    Criterion("pe", "mj", "pe_mj_per_kwh", 1.0, True),
    Criterion("water", "m3", "water_l_per_kwh", 0.001, False),
)
PHASES = ("manufacture", "use")
BOUNDS = ("", "_low", "_high")


def criteria_columns() -> list[str]:
    """Every per-row criteria column of the ``estimated`` stage, in order."""
    return [
        c.column(phase, bound)
        for c in CRITERIA
        for phase in PHASES
        if phase == "use" or c.manufacture
        for bound in BOUNDS
    ]


def device_manufacture(factors: FactorSet, categories: pd.Series, criterion: Criterion) -> Bounds:
    """Manufacture of one device of each row's category [criterion's unit]; NaN: non renseigné."""
    table = factors.tables.get("device_criteria")
    if table is None or not criterion.manufacture:
        nan = np.full(len(categories), np.nan)
        return Bounds(nan, nan, nan)
    positions = positions_in(table, categories)
    central, low, high = (take(table, positions, criterion.column("manufacture", bound)) for bound in BOUNDS)
    return Bounds(central, np.where(np.isnan(low), central, low), np.where(np.isnan(high), central, high))


def per_kwh(factors: FactorSet, countries: pd.Series, criterion: Criterion) -> np.ndarray:
    """The criterion per kWh of each row's country [criterion's unit/kWh]; NaN: non renseigné."""
    table = factors.tables.get("electricity_criteria")
    if table is None or criterion.per_kwh not in table.columns:
        return np.full(len(countries), np.nan)
    return take(table, positions_in(table, countries), criterion.per_kwh) * criterion.per_kwh_scale


def country_mix(factors: FactorSet, country: str) -> tuple[float, float, float]:
    """ADPe [kg Sb eq/kWh], primary energy [MJ/kWh] and water [L/kWh] of a country's grid, as
    EcoLogits takes them; NaN where not given (an unknown country: all three).
    """
    table = factors.tables.get("electricity_criteria")
    if table is None or country not in table.index:
        return (np.nan, np.nan, np.nan)
    row = table.loc[country]
    return tuple(float(row.get(c.per_kwh, np.nan)) for c in CRITERIA)  # type: ignore[return-value]
