"""Normalised runs → energy, usage and embodied emissions per run, in four small stages.

1. :func:`resolve_inputs` — each input of the model with where it came from: the log's value
   when it gives one, else the factor tables' (with their low–high ranges);
2. :func:`check_runs` — the runs that cannot be estimated, with their reason, and
   :func:`run_notes` — how the others were;
3. the pure model (:mod:`greenit.ai.runs.model`, whose docstring states the method), written once
   on :class:`~greenit.bounds.Bounds` so central, low and high come out of the same formula;
4. :func:`assemble` — the result columns of the frame contract (stage ``runs_estimated`` of
   :mod:`greenit.schema`).

A Slurm job is one run, on the row that carries it; its steps' rows (``part_of`` the job,
:mod:`greenit.parsing.formats.slurm`) are counted there: they add 0, and share their job's status
(:func:`follow_jobs`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.ai.runs.criteria import run_criteria
from greenit.ai.runs.inputs import RunInputs, resolve_inputs
from greenit.ai.runs.model import (
    accelerator_energy_kwh,
    amortised_embodied_kgco2e,
    facility_energy_kwh,
    host_energy_kwh,
    job_energy_kwh,
    server_hours,
    usage_kgco2e,
)
from greenit.bounds import Bounds
from greenit.factors import FactorSet
from greenit.factors.grid import check_grid_factor
from greenit.flags import Flags
from greenit.i18n import msg
from greenit.parsing.formats.slurm import job_rows

__all__ = [
    "RunInputs",
    "assemble",
    "check_runs",
    "estimate_workloads",
    "follow_jobs",
    "resolve_inputs",
    "run_notes",
]


def _column(runs: pd.DataFrame, name: str) -> np.ndarray:
    return runs[name].to_numpy(dtype=float)


def check_runs(runs: pd.DataFrame, inputs: RunInputs) -> Flags:
    """The reasons of the reading stage, plus what a run lacks before it can be estimated."""
    flags = Flags(len(runs))
    flags.add_column(runs["reason"])
    # job steps (counted in their job) and runs that never ran need nothing; a run with a bad
    # cell is already flagged
    ran = ~inputs.in_job & ~(inputs.hours == 0)
    own = ran & runs["reason"].isna().to_numpy()
    modelled = own & (inputs.method == "accelerator model")
    no_time = np.isnan(inputs.accelerator_hours) & np.isnan(inputs.hours)
    flags.add(modelled & no_time & inputs.has_accelerator, msg("ai.flag.no_duration"))
    flags.add(
        own & (inputs.method == "job power") & np.isnan(inputs.hours), msg("ai.flag.power_needs_duration")
    )
    unknown = ran & (inputs.method == "accelerator model") & inputs.has_accelerator
    unknown &= np.isnan(inputs.device_power_w.central)
    flags.add_each(unknown, runs["accelerator_label"], "ai.flag.unknown_accelerator")
    counted = np.nan_to_num(_column(runs, "accelerator_count")) > 0
    no_model = modelled & ~inputs.has_accelerator & counted
    flags.add(no_model, msg("ai.flag.no_accelerator_model"))
    no_source = modelled & ~inputs.has_accelerator & ~counted & np.isnan(_column(runs, "cpu_power_w"))
    flags.add(no_source, msg("ai.flag.no_energy_source"))
    located = runs["country"].notna().to_numpy() | runs["region"].notna().to_numpy()
    no_intensity = own & located & np.isnan(inputs.grid_factor_kg_per_kwh) & ~inputs.keeps_emissions
    flags.add(no_intensity, msg("ai.flag.no_intensity"))
    return flags


def run_notes(runs: pd.DataFrame, inputs: RunInputs, flagged: np.ndarray | None = None) -> Flags:
    """How each run was estimated: the defaults it took and what was left out; a job step
    (not ``flagged``) is counted in its job.
    """
    notes = Flags(len(runs))
    if "notes" in runs.columns:  # what reading the log noted (a Slurm job's GPU model…)
        notes.add_column(runs["notes"])
    own = ~inputs.in_job & ~(inputs.hours == 0)
    modelled = own & (inputs.method == "accelerator model")
    measured = own & (inputs.method == "measured")

    def note(mask: np.ndarray, key: str, **values: object) -> None:
        notes.add(mask, msg(key, **values))

    note(modelled & inputs.has_accelerator & np.isnan(_column(runs, "utilisation")), "ai.note.no_utilisation")
    cores = ~np.isnan(_column(runs, "cpu_cores")) & np.isnan(_column(runs, "cpu_power_w"))
    note(modelled & cores, "ai.note.cores_without_power")
    note(own & ~measured & (inputs.pue_origin != "log"), "ai.note.default_pue")
    note(measured & (inputs.pue_origin != "log"), "ai.note.measured_pue")
    note(
        own & ~runs["location_given"].to_numpy(dtype=bool) & (inputs.intensity_origin == "country"),
        "ai.note.default_location",
    )
    recomputed = own & ~np.isnan(_column(runs, "emissions_kgco2e")) & ~inputs.keeps_emissions
    note(recomputed, "ai.note.intensity_recomputed")
    no_embodied = own & inputs.has_accelerator & np.isnan(inputs.device_manufacture_kgco2e.central)
    note(no_embodied & (np.nan_to_num(inputs.accelerator_hours) > 0), "ai.note.no_accelerator_embodied")
    note(own & ~inputs.has_accelerator, "ai.note.no_accelerator")
    note(
        own & (runs["state"].astype("string").str.upper() == "RUNNING").fillna(False).to_numpy(),
        "ai.note.still_running",
    )
    notes.add(~inputs.in_job & (inputs.hours == 0), msg("ai.note.did_not_run"))
    counted = inputs.in_job & (~flagged if flagged is not None else True)
    notes.add_each(counted, runs["part_of"], "ai.note.job_step")
    return notes


def follow_jobs(runs: pd.DataFrame, inputs: RunInputs, flags: Flags) -> None:
    """A job step whose job is flagged is flagged too, with its job's reason (a step alone is
    never asked for anything: :func:`check_runs`).
    """
    carrier = job_rows(runs)
    followed = inputs.in_job & (carrier >= 0)
    flagged = flags.flagged
    followed &= flagged[np.where(carrier >= 0, carrier, 0)]
    if followed.any():
        reasons = pd.Series(flags.column())
        job = runs["part_of"].astype(object).to_numpy()
        messages = [
            msg("ai.flag.job_step", job=job[i], reason=reasons.iloc[carrier[i]])
            for i in np.flatnonzero(followed)
        ]
        flags.add(followed, messages, masked=True)


def _bound(runs: pd.DataFrame, column: str, central: np.ndarray) -> np.ndarray:
    """A measured energy's bound the log's format gives, else the measurement itself."""
    if column not in runs.columns:
        return central
    bound = runs[column].to_numpy(dtype=float)
    return np.where(np.isnan(bound), central, bound)


def energy_kwh(runs: pd.DataFrame, inputs: RunInputs, memory_w_per_gb: float) -> Bounds:
    """Energy of each run [kWh]: measured, else job power, else the accelerator model (× PUE)."""
    energy = _column(runs, "energy_kwh")
    measured = Bounds(
        energy,
        _bound(runs, "measured_energy_low_kwh", energy),
        _bound(runs, "measured_energy_high_kwh", energy),
    )
    measured = measured * inputs.pue  # a measurement's range: where its format gives one (nvidia-smi)
    job = facility_energy_kwh(job_energy_kwh(inputs.hours, _column(runs, "power_w")), inputs.pue)
    hardware = accelerator_energy_kwh(
        np.nan_to_num(inputs.accelerator_hours), inputs.device_power_w.map(np.nan_to_num), inputs.utilisation
    )
    host = host_energy_kwh(
        inputs.hours, _column(runs, "cpu_power_w"), _column(runs, "memory_gb"), memory_w_per_gb
    )
    modelled = facility_energy_kwh(hardware + host, inputs.pue)
    return measured.where(inputs.method == "measured", job.where(inputs.method == "job power", modelled))


def embodied_kgco2e(inputs: RunInputs) -> tuple[Bounds, Bounds]:
    """(accelerators, host servers) share of manufacture of each run [kgCO2e]; 0 without accelerator."""
    hours = np.where(inputs.has_accelerator, np.nan_to_num(inputs.accelerator_hours), 0.0)
    devices = amortised_embodied_kgco2e(
        hours,
        inputs.device_manufacture_kgco2e.map(np.nan_to_num),
        inputs.lifetime_years,
        inputs.fleet_utilisation,
    )
    servers = amortised_embodied_kgco2e(
        server_hours(hours, inputs.accelerators_per_server),
        inputs.server_manufacture_kgco2e,
        inputs.lifetime_years,
        inputs.fleet_utilisation,
    )
    return devices, servers


def assemble(
    runs: pd.DataFrame,
    inputs: RunInputs,
    flags: Flags,
    energy: Bounds,
    usage: Bounds,
    devices: Bounds,
    servers: Bounds,
) -> pd.DataFrame:
    """The result columns: NaN on flagged runs, 0 on job steps counted in their job."""
    out = runs.copy(deep=False)
    embodied = devices + servers
    results = {"energy": energy, "usage": usage, "embodied": embodied, "total": usage + embodied}
    not_finite = ~np.isfinite(results["total"].high) & ~flags.flagged & ~inputs.in_job
    flags.add(not_finite, msg("ai.flag.not_finite"))
    follow_jobs(runs, inputs, flags)
    ok = ~flags.flagged
    own = ok & ~inputs.in_job

    def kept(values: np.ndarray) -> np.ndarray:
        return np.where(own, np.nan_to_num(values, nan=0.0), np.where(ok, 0.0, np.nan))

    def used(values: np.ndarray) -> np.ndarray:
        return np.where(own, values, np.nan)

    out["hours"] = inputs.hours
    out["accelerator_count"] = np.where(
        ok, inputs.accelerator_count, runs["accelerator_count"].to_numpy(float)
    )
    out["accelerator_hours"] = used(inputs.accelerator_hours)
    out["accelerator_power_used_w"] = used(
        np.where(inputs.has_accelerator, inputs.device_power_w.central, np.nan)
    )
    out["pue_used"] = used(np.where(inputs.pue_origin == "measured", np.nan, inputs.pue.central))
    out["pue_origin"] = np.where(own, inputs.pue_origin, "")
    out["carbon_intensity_used_kg_per_kwh"] = used(inputs.grid_factor_kg_per_kwh)
    out["carbon_intensity_origin"] = np.where(own, inputs.intensity_origin, "")
    out["energy_method"] = np.where(own, inputs.method, "")
    unit = {"energy": "kwh"}
    for name, value in results.items():
        suffix = unit.get(name, "kgco2e")
        out[f"{name}_{suffix}"] = kept(value.central)
        out[f"{name}_low_{suffix}"] = kept(value.low)
        out[f"{name}_high_{suffix}"] = kept(value.high)
    out["embodied_accelerators_kgco2e"] = kept(devices.central)
    out["embodied_servers_kgco2e"] = kept(servers.central)
    requests = _column(runs, "requests")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["energy_per_request_wh"] = np.where(requests > 0, out["energy_kwh"] * 1000 / requests, np.nan)
        out["total_per_request_gco2e"] = np.where(requests > 0, out["total_kgco2e"] * 1000 / requests, np.nan)
    out["estimate_status"] = pd.Categorical.from_codes(
        (~ok).astype(np.int64), categories=pd.Index(["estimated", "flagged"], dtype=object)
    )
    out["reason"] = flags.column()
    return out


def estimate_workloads(
    runs: pd.DataFrame,
    factors: FactorSet,
    *,
    grid_factor_kg_per_kwh: float | None = None,
    keep_log_intensity: bool = False,
    carbon_intensity_kg_per_kwh: float | None = None,
) -> pd.DataFrame:
    """Energy [kWh], usage and embodied emissions [kgCO2e] of each normalised run, with ranges.

    Parameters
    ----------
    runs : DataFrame
        From :func:`greenit.ai.runs.normalise.normalise_workloads` (stage ``runs``).
    factors : FactorSet
        Accelerator, PUE, region, electricity and AI parameter tables.
    grid_factor_kg_per_kwh : float, optional
        One grid factor [kgCO2e/kWh] for every run (``--grid-factor``); also taken as
        ``carbon_intensity_kg_per_kwh``, its former name.
    keep_log_intensity : bool
        Keep the emissions CodeCarbon computed with its own intensity instead of recomputing
        them with greenit's grid factor.

    Returns
    -------
    DataFrame
        Stage ``runs_estimated`` of :mod:`greenit.schema`.
    """
    inputs = resolve_inputs(
        runs,
        factors,
        grid_factor_kg_per_kwh=check_grid_factor(
            _one_grid_factor(grid_factor_kg_per_kwh, carbon_intensity_kg_per_kwh), "grid_factor_kg_per_kwh"
        ),
        keep_log_intensity=keep_log_intensity,
    )
    flags = check_runs(runs, inputs)
    _, memory_w_per_gb, _ = factors.parameter("memory_power_w_per_gb")
    energy = energy_kwh(runs, inputs, memory_w_per_gb)
    usage = usage_kgco2e(energy, inputs.grid_factor_kg_per_kwh).where(
        ~inputs.keeps_emissions, Bounds.exact(_column(runs, "emissions_kgco2e")) * inputs.pue
    )
    devices, servers = embodied_kgco2e(inputs)
    out = assemble(runs, inputs, flags, energy, usage, devices, servers)
    flagged = (out["estimate_status"] == "flagged").to_numpy()
    criteria = run_criteria(runs, factors, energy, ~flagged, inputs.in_job)
    out[list(criteria.columns)] = criteria
    out["notes"] = run_notes(runs, inputs, flagged).column()
    return out


def _one_grid_factor(given: float | None, former: float | None) -> float | None:
    """The grid factor given under its name or its former one (``carbon_intensity_kg_per_kwh``)."""
    return former if given is None else given
