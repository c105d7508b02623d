"""AI levers: the normalised runs as they would be under a lever.

A lever's value is checked before anything is computed: a PUE is a finite number from 1 to 5
(:mod:`greenit.ai.runs.limits`, the bound ``greenit track --pue`` uses too), a change of energy per
request runs from −100 % to +1,000 %.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from greenit.ai.runs.limits import PLAUSIBLE, REQUEST_ENERGY_CHANGE
from greenit.errors import GreenitError
from greenit.levers.specs import Lever


def _spec(lever: Lever) -> str:
    return f"{lever.kind}={lever.value:g}"


def check_lever(lever: Lever) -> None:
    """Refuse an AI lever whose value no data centre or service could have."""
    if lever.kind == "pue" and not PLAUSIBLE["pue"].holds(lever.value):
        raise GreenitError.of("ai.lever.pue_range", spec=_spec(lever))
    if lever.kind == "request_energy" and not (
        math.isfinite(lever.value) and REQUEST_ENERGY_CHANGE.holds(lever.value)
    ):
        raise GreenitError.of("ai.lever.request_energy_range", spec=_spec(lever))


def check_levers(levers: list[Lever]) -> None:
    """:func:`check_lever` for each AI lever of ``levers``, before anything is computed."""
    for lever in levers:
        check_lever(lever)


def _move_to_region(out: pd.DataFrame, region: str, regions: pd.DataFrame | None) -> None:
    if regions is not None and region not in regions.index:
        raise GreenitError.of(
            "ai.lever.unknown_region", "ai.lever.known_regions", region=region, known=list(regions.index)
        )
    country = regions.at[region, "country"] if regions is not None else None
    n = len(out)
    out["region"] = pd.Categorical([region] * n)
    out["country"] = pd.Categorical([country if isinstance(country, str) else None] * n)
    out["carbon_intensity_kg_per_kwh"] = np.nan
    out["emissions_kgco2e"] = np.nan
    out["pue"] = np.where(out["energy_kwh"].notna(), out["pue"], np.nan)


def apply_runs_lever(runs: pd.DataFrame, lever: Lever, regions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The normalised AI runs as they would be under ``lever`` (``regions``: cloud_regions.csv)."""
    check_lever(lever)
    out = runs.copy()
    if lever.kind == "pue":
        measured = out["energy_kwh"].notna().to_numpy()
        out["pue"] = np.where(measured, out["pue"], lever.value)
    elif lever.kind == "region":
        _move_to_region(out, lever.text, regions)
    elif lever.kind == "request_energy":
        inference = (out["phase"] == "inference").to_numpy()
        factor = 1 + lever.value
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
