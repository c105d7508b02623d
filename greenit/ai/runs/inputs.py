"""What each run is taken to be before the model runs: every input with where it came from.

The log's own value when it gives one; else the factor tables' central value with its low and
high (``power_low [W]``/``power_high [W]`` and ``manufacture_low``/``manufacture_high`` of
``accelerators.csv``, ``low``/``high`` of ``pue.csv`` and ``ai_parameters.csv``) — the central
value alone where a table has no range. A value the log gives is exact: its range is itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from greenit.bounds import Bounds
from greenit.factors import FactorSet
from greenit.factors.lookup import positions_in, take

#: sources whose emissions a tool computed with its own intensity (recomputed unless kept).
#: A ``greenit track`` log is not one: it records greenit's own grid factor (that of the
#: run's ``--factors``), and is used as the log's intensity.
TOOL_SOURCES = ("codecarbon",)


@dataclass(frozen=True)
class RunInputs:
    """The inputs of the model for each run, and where the defaulted ones came from."""

    hours: np.ndarray  # duration [h]
    accelerator_count: np.ndarray  # [devices]; 1 where the log names a model without a count
    accelerator_hours: np.ndarray  # [h]
    has_accelerator: np.ndarray  # the log names an accelerator (known or not) and a count ≠ 0
    in_job: np.ndarray  # a Slurm line part_of a job: counted in its job's row, adds nothing
    method: np.ndarray  # "measured" | "job power" | "accelerator model"
    device_power_w: Bounds  # per accelerator [W]
    utilisation: Bounds  # [0–1]
    pue: Bounds  # [≥ 1]; 1 for measured energy without a PUE in the log
    pue_origin: np.ndarray  # "log" | "provider" | "default" | "measured"
    grid_factor_kg_per_kwh: np.ndarray  # [kgCO2e/kWh], the factor each run is counted with
    intensity_origin: np.ndarray  # "option" | "log" | "region" | "country" | "log emissions"
    keeps_emissions: np.ndarray  # the log's own emissions are kept (--keep-log-intensity)
    device_manufacture_kgco2e: Bounds  # per accelerator [kgCO2e]
    server_manufacture_kgco2e: Bounds  # per server [kgCO2e]
    lifetime_years: Bounds  # [years]
    fleet_utilisation: Bounds  # [0–1]
    accelerators_per_server: Bounds  # [devices]


def table_bounds(table: pd.DataFrame, positions: np.ndarray, column: str, low: str, high: str) -> Bounds:
    """``column`` of ``table`` at ``positions`` with its range; the central value where a
    bound is missing (or the table has no such column).
    """
    central = take(table, positions, column)
    lows = take(table, positions, low) if low in table.columns else central
    highs = take(table, positions, high) if high in table.columns else central
    return Bounds(central, np.where(np.isnan(lows), central, lows), np.where(np.isnan(highs), central, highs))


def _times(runs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(hours, count, accelerator-hours, has an accelerator): each derived from the others."""
    hours = runs["hours"].to_numpy(dtype=float)
    count = runs["accelerator_count"].to_numpy(dtype=float)
    has_accelerator = runs["accelerator_label"].notna().to_numpy() & ~(count == 0)
    count = np.where(np.isnan(count), np.where(has_accelerator, 1.0, 0.0), count)
    accelerator_hours = runs["accelerator_hours"].to_numpy(dtype=float)
    accelerator_hours = np.where(np.isnan(accelerator_hours), hours * count, accelerator_hours)
    with np.errstate(invalid="ignore", divide="ignore"):
        from_devices = accelerator_hours / count
    hours = np.where(np.isnan(hours) & (count > 0), from_devices, hours)
    return hours, count, accelerator_hours, has_accelerator


def _method(runs: pd.DataFrame) -> np.ndarray:
    measured = runs["energy_kwh"].notna().to_numpy()
    job = runs["power_w"].notna().to_numpy()
    return np.where(measured, "measured", np.where(job, "job power", "accelerator model"))


def _pue(runs: pd.DataFrame, factors: FactorSet, method: np.ndarray) -> tuple[Bounds, np.ndarray]:
    """The log's PUE, else the region's provider's, else the industry average ('unknown')."""
    table = factors.table("pue")
    regions = factors.table("cloud_regions")
    providers = take_text(regions, positions_in(regions, runs["region"]), "provider")
    provider_rows = positions_in(table, pd.Series(providers, dtype=object))
    unknown = np.full(len(runs), table.index.get_loc("unknown"))
    rows = np.where(provider_rows >= 0, provider_rows, unknown)
    defaults = table_bounds(table, rows, "pue", "low", "high")
    given = runs["pue"].to_numpy(dtype=float)
    measured = method == "measured"
    pue = defaults.where(~measured, Bounds.exact(1.0)).fill(given)
    origin = np.where(
        ~np.isnan(given),
        "log",
        np.where(measured, "measured", np.where(provider_rows >= 0, "provider", "default")),
    )
    return pue, origin


def take_text(table: pd.DataFrame, positions: np.ndarray, column: str) -> np.ndarray:
    """``table[column]`` (text) at each position, None where the position is -1."""
    values = table[column].to_numpy(dtype=object)
    missing = np.full(len(positions), None, dtype=object)
    return np.where(positions >= 0, values[np.maximum(positions, 0)], missing)


def _intensity(
    runs: pd.DataFrame, factors: FactorSet, override: float | None, keep: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(intensity [kgCO2e/kWh], its origin, whether the log's own emissions are kept)."""
    n = len(runs)
    from_tool = runs["source"].astype(str).isin(TOOL_SOURCES).to_numpy()
    counts = ~from_tool | keep  # a hand log's intensity is the user's; a tool's is recomputed
    given = np.where(counts, runs["carbon_intensity_kg_per_kwh"].to_numpy(dtype=float), np.nan)
    regions = factors.table("cloud_regions")
    region = take(regions, positions_in(regions, runs["region"]), "carbon_intensity_kg_per_kwh")
    electricity = factors.electricity
    country = take(electricity, positions_in(electricity, runs["country"]), "carbon_intensity_kg_per_kwh")
    emissions = runs["emissions_kgco2e"].to_numpy(dtype=float)
    keeps = (
        keep
        & (override is None)
        & np.isnan(given)
        & ~np.isnan(emissions)
        & runs["energy_kwh"].notna().to_numpy()
    )
    if override is not None:
        return np.full(n, float(override)), np.full(n, "option", dtype=object), keeps
    intensity = np.where(~np.isnan(given), given, np.where(~np.isnan(region), region, country))
    origin = np.where(~np.isnan(given), "log", np.where(~np.isnan(region), "region", "country"))
    with np.errstate(invalid="ignore", divide="ignore"):
        derived = emissions / runs["energy_kwh"].to_numpy(dtype=float)
    intensity = np.where(keeps, derived, intensity)
    return intensity, np.where(keeps, "log emissions", origin).astype(object), keeps


def _parameter(factors: FactorSet, name: str) -> Bounds:
    return Bounds(*factors.parameter(name))


def resolve_inputs(
    runs: pd.DataFrame,
    factors: FactorSet,
    *,
    grid_factor_kg_per_kwh: float | None = None,
    keep_log_intensity: bool = False,
) -> RunInputs:
    """Per-run inputs: the log's value where given, else the factor tables' (with range)."""
    accelerators = factors.table("accelerators")
    positions = positions_in(accelerators, runs["accelerator"])
    hours, count, accelerator_hours, has_accelerator = _times(runs)
    method = _method(runs)
    pue, pue_origin = _pue(runs, factors, method)
    intensity, intensity_origin, keeps = _intensity(runs, factors, grid_factor_kg_per_kwh, keep_log_intensity)
    power = table_bounds(accelerators, positions, "power_w", "power_low_w", "power_high_w")
    return RunInputs(
        hours=hours,
        accelerator_count=count,
        accelerator_hours=accelerator_hours,
        has_accelerator=has_accelerator,
        in_job=runs["part_of"].notna().to_numpy(dtype=bool),
        method=method,
        device_power_w=power.fill(runs["accelerator_power_w"].to_numpy(dtype=float)),
        utilisation=_parameter(factors, "default_utilisation").fill(
            runs["utilisation"].to_numpy(dtype=float)
        ),
        pue=pue,
        pue_origin=pue_origin,
        grid_factor_kg_per_kwh=intensity,
        intensity_origin=intensity_origin,
        keeps_emissions=keeps,
        device_manufacture_kgco2e=table_bounds(
            accelerators, positions, "manufacture_kgco2e", "manufacture_low_kgco2e", "manufacture_high_kgco2e"
        ),
        server_manufacture_kgco2e=_parameter(factors, "server_manufacture_kgco2e"),
        lifetime_years=_parameter(factors, "accelerator_lifetime_years"),
        fleet_utilisation=_parameter(factors, "fleet_utilisation"),
        accelerators_per_server=_parameter(factors, "accelerators_per_server"),
    )
