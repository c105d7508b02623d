"""Impacts a usage log already gives: the provider's own energy and emissions, row by row.

Albert (DINUM) computes each request's impacts with EcoLogits and returns them with its usage
(``kwh_min``, ``kwh_max``, ``kgco2eq_min``, ``kgco2eq_max``); a town's spreadsheet may carry
``energy_kwh`` and ``emissions_kgco2e`` columns. No default silently replaces a value the log
gave: a row that gives its energy or emissions is estimated from them (central value = the one
given, else the middle of the min–max; range = the min–max given, else the value itself), and
EcoLogits only estimates the rows that give neither.

- emissions given: counted whole as the row's usage emissions, with no separate manufacture
  share (EcoLogits' ``gwp``, which Albert returns, already includes it);
- energy given without emissions: × the grid factor of the row's place (the same electricity
  method as every other figure of greenit); manufacture not estimated.

References
----------
etalab-ia/albert-api, ``app/utils/carbon.py`` (``impacts.energy`` and ``impacts.gwp`` min–max of
EcoLogits' ``compute_llm_impacts``) and ``app/schemas/accounts.py`` (``kwh_min``…).
EcoLogits, https://ecologits.ai/latest/ — ``gwp`` = usage + embodied.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.ai.runs.quantities import read_quantity
from greenit.bounds import Bounds
from greenit.flags import Flags
from greenit.i18n import msg

GIVEN_ALIASES: dict[str, list[str]] = {
    "energy": [
        "energy kwh",
        "energy",
        "energie",
        "energie kwh",
        "energy consumed",
        "consommation electrique",
    ],
    "energy_low": ["energy kwh min", "kwh min", "energy min", "energie min"],
    "energy_high": ["energy kwh max", "kwh max", "energy max", "energie max"],
    "emissions": [
        "emissions kgco2e",
        "emissions",
        "kgco2e",
        "kgco2eq",
        "co2e",
        "gwp",
        "gwp kgco2eq",
        "empreinte carbone",
    ],
    "emissions_low": ["emissions kgco2e min", "kgco2eq min", "emissions min", "gwp kgco2eq min", "gwp min"],
    "emissions_high": ["emissions kgco2e max", "kgco2eq max", "emissions max", "gwp kgco2eq max", "gwp max"],
}
#: column of the ``usage`` stage → (alias group, quantity of :data:`greenit.ai.runs.columns.RUN_QUANTITIES`)
GIVEN_COLUMNS = {
    "given_energy_kwh": "energy",
    "given_energy_low_kwh": "energy",
    "given_energy_high_kwh": "energy",
    "given_emissions_kgco2e": "emissions",
    "given_emissions_low_kgco2e": "emissions",
    "given_emissions_high_kgco2e": "emissions",
}


def read_given_impacts(raw: pd.DataFrame, headers: dict, flags: Flags) -> dict[str, np.ndarray]:
    """The ``given_*`` columns: each row's energy [kWh] and emissions [kgCO2e] as the log gives
    them, with their range. NaN where the log gives none; a bad cell flagged (never guessed).
    """
    n, out = len(raw), {}
    for quantity, unit in (("energy", "kwh"), ("emissions", "kgco2e")):
        cells = {
            part: read_quantity(raw, headers[key], quantity, flags) if key in headers else np.full(n, np.nan)
            for part, key in (("", quantity), ("low", f"{quantity}_low"), ("high", f"{quantity}_high"))
        }
        with np.errstate(invalid="ignore"):
            middle = np.where(np.isnan(cells["low"]), cells["high"], (cells["low"] + cells["high"]) / 2)
        middle = np.where(np.isnan(cells["high"]), cells["low"], middle)
        central = np.where(np.isnan(cells[""]), middle, cells[""])
        out[f"given_{quantity}_{unit}"] = central
        out[f"given_{quantity}_low_{unit}"] = np.where(np.isnan(cells["low"]), central, cells["low"])
        out[f"given_{quantity}_high_{unit}"] = np.where(np.isnan(cells["high"]), central, cells["high"])
    return out


def _given(usage: pd.DataFrame, name: str) -> np.ndarray:
    if name in usage.columns:
        return usage[name].to_numpy(dtype=float)
    return np.full(len(usage), np.nan)


def given_mask(usage: pd.DataFrame) -> np.ndarray:
    """Rows whose log gives their energy or their emissions."""
    return ~np.isnan(_given(usage, "given_energy_kwh")) | ~np.isnan(_given(usage, "given_emissions_kgco2e"))


def given_bounds(usage: pd.DataFrame, quantity: str, unit: str) -> Bounds:
    return Bounds(*(_given(usage, f"given_{quantity}{bound}_{unit}") for bound in ("", "_low", "_high")))


def given_totals(usage: pd.DataFrame, intensity_kg_per_kwh: np.ndarray) -> dict[str, Bounds]:
    """Energy [kWh], usage and embodied emissions [kgCO2e] of the rows that give them (NaN elsewhere)."""
    energy = given_bounds(usage, "energy", "kwh")
    emissions = given_bounds(usage, "emissions", "kgco2e")
    from_energy = energy * intensity_kg_per_kwh
    has_emissions = ~np.isnan(emissions.central)
    usage_kgco2e = emissions.where(has_emissions, from_energy)
    return {"energy_kwh": energy, "usage_kgco2e": usage_kgco2e, "embodied_kgco2e": usage_kgco2e * 0.0}


def given_notes(
    usage: pd.DataFrame, given: np.ndarray, intensity: np.ndarray, flags: Flags, notes: Flags
) -> None:
    """Say whose figures a row's are; an energy-only row needs its place's grid factor."""
    provider = usage["provider_label"].astype(object).to_numpy()
    named = given & ~pd.isna(provider)
    notes.add_each(named, usage["provider_label"], "hosted.note.given_by_provider")
    notes.add(given & pd.isna(provider), msg("hosted.note.given_by_log"))
    energy_only = given & np.isnan(_given(usage, "given_emissions_kgco2e"))
    notes.add(energy_only, msg("hosted.note.given_energy_only"))
    flags.add(energy_only & np.isnan(intensity), msg("ai.flag.no_intensity"))
