"""AI levers: the normalised runs as they would be under a scenario."""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.errors import GreenitError
from greenit.parsing.lever_specs import Scenario


def apply_workload_scenario(
    runs: pd.DataFrame, scenario: Scenario, regions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The normalised AI runs as they would be under ``scenario`` (``regions``: cloud_regions.csv)."""
    out = runs.copy()
    if scenario.kind == "pue":
        measured = out["energy_kwh"].notna().to_numpy()
        out["pue"] = np.where(measured, out["pue"], scenario.value)
    elif scenario.kind == "region":
        if regions is not None and scenario.text not in regions.index:
            raise GreenitError.of(
                "ai.lever.unknown_region",
                "ai.lever.known_regions",
                region=scenario.text,
                known=list(regions.index),
            )
        out["region"] = pd.Categorical([scenario.text] * len(out))
        # the region's country, as on reading a log: a region without its own factor uses it
        country = regions.at[scenario.text, "country"] if regions is not None else None
        out["country"] = pd.Categorical([country] * len(out))
        out["carbon_intensity_kg_per_kwh"] = np.nan
        out["emissions_kgco2e"] = np.nan
        out["pue"] = np.where(out["energy_kwh"].notna(), out["pue"], np.nan)
    elif scenario.kind == "request_energy":
        inference = (out["phase"] == "inference").to_numpy()
        factor = 1 + scenario.value
        for column in ("energy_kwh", "power_w", "accelerator_power_w", "emissions_kgco2e"):
            out[column] = np.where(inference, out[column] * factor, out[column])
        # runs modelled from the accelerator table: scale utilisation instead
        modelled = (
            inference
            & np.isnan(out["accelerator_power_w"].to_numpy(dtype=float))
            & np.isnan(out["energy_kwh"].to_numpy(dtype=float))
            & np.isnan(out["power_w"].to_numpy(dtype=float))
        )
        utilisation = out["utilisation"].fillna(1.0).to_numpy(dtype=float)
        out["utilisation"] = np.where(modelled, utilisation * factor, out["utilisation"])
    return out
