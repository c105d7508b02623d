"""Energy and carbon of AI runs: small, pure, vectorised formulas (per run).

References
----------
- Lannelongue, Grealey & Inouye (2021), Green Algorithms, Adv. Sci.: energy = time × PUE ×
  (cores × power per core × usage + accelerators × power × usage + memory × 0.3725 W/GB).
- Patterson et al. (2021), Carbon Emissions and Large Neural Network Training, §2.5:
  kWh = hours × processors × average power × PUE / 1000; tCO2e = kWh × kgCO2e/kWh / 1000.
- Luccioni, Viguier & Ligozat (2022), Estimating the Carbon Footprint of BLOOM: embodied
  emissions amortised per GPU-hour and server-hour.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.ai.model import (
    accelerator_energy_kwh,
    amortised_embodied_kgco2e,
    facility_energy_kwh,
    host_energy_kwh,
)
from greenit.factors import FactorSet
from greenit.factors.lookup import positions_in, take
from greenit.i18n import msg
from greenit.parsing.flags import Flags


def estimate_workloads(
    runs: pd.DataFrame,
    factors: FactorSet,
    *,
    carbon_intensity_kg_per_kwh: float | None = None,
) -> pd.DataFrame:
    """Energy [kWh], usage and embodied emissions [kgCO2e] of each normalised run.

    Energy comes, in order of precedence, from the measured ``energy_kwh`` (× the log's PUE
    when it gives one), from the job's total ``power_w`` × hours × PUE, or from the
    accelerator model (Green Algorithms). Host CPU and memory count only when the log gives
    them. PUE: the log's, else its provider's (cloud region), else the 'unknown' default.
    Carbon intensity: the log's, else the region's, else the country's.
    """
    out = runs.copy(deep=False)
    n = len(out)
    flags = Flags(n)
    flags.add_column(out["reason"])
    accelerators = factors.table("accelerators")
    pue_table = factors.table("pue")
    regions = factors.table("cloud_regions")
    notes = Flags(n)

    def note(mask: np.ndarray, key: str) -> None:
        notes.add(mask, msg(key))

    hours = out["hours"].to_numpy(dtype=float)
    count_given = out["accelerator_count"].to_numpy(dtype=float)
    accelerator_hours = out["accelerator_hours"].to_numpy(dtype=float)
    # a run names an accelerator when the log says one, known to the table or not
    has_accelerator = out["accelerator_label"].notna().to_numpy()
    count = np.where(np.isnan(count_given), np.where(has_accelerator, 1.0, 0.0), count_given)
    accelerator_hours = np.where(np.isnan(accelerator_hours), hours * count, accelerator_hours)
    hours = np.where(np.isnan(hours) & (count > 0), accelerator_hours / np.maximum(count, 1), hours)

    positions = positions_in(accelerators, out["accelerator"])
    device_power = np.where(
        np.isnan(out["accelerator_power_w"].to_numpy(dtype=float)),
        take(accelerators, positions, "power_w"),
        out["accelerator_power_w"].to_numpy(dtype=float),
    )
    _, utilisation_default, _ = factors.parameter("default_utilisation")
    utilisation = out["utilisation"].to_numpy(dtype=float)
    no_utilisation = np.isnan(utilisation) & has_accelerator
    utilisation = np.where(np.isnan(utilisation), utilisation_default, utilisation)

    # PUE: the log's, else the region's provider, else "unknown"
    pue_given = out["pue"].to_numpy(dtype=float)
    providers = (
        out["region"]
        .astype(object)
        .map(lambda r: regions.at[r, "provider"] if isinstance(r, str) else "unknown")
    )
    provider_pue = take(pue_table, positions_in(pue_table, providers.fillna("unknown")), "pue")
    unknown_pue = float(pue_table.at["unknown", "pue"])
    pue = np.where(
        np.isnan(pue_given), np.where(np.isnan(provider_pue), unknown_pue, provider_pue), pue_given
    )

    measured = out["energy_kwh"].to_numpy(dtype=float)
    total_power = out["power_w"].to_numpy(dtype=float)
    _, memory_w_per_gb, _ = factors.parameter("memory_power_w_per_gb")
    modelled_it = accelerator_energy_kwh(accelerator_hours, device_power, utilisation) + host_energy_kwh(
        hours,
        out["cpu_power_w"].to_numpy(dtype=float),
        out["memory_gb"].to_numpy(dtype=float),
        memory_w_per_gb,
    )
    from_power = np.nan_to_num(hours) * total_power / 1000.0
    energy = np.where(
        ~np.isnan(measured),
        np.where(np.isnan(pue_given), measured, measured * pue_given),
        np.where(
            ~np.isnan(total_power),
            facility_energy_kwh(from_power, pue),
            facility_energy_kwh(modelled_it, pue),
        ),
    )
    method = np.where(
        ~np.isnan(measured), "measured", np.where(~np.isnan(total_power), "job power", "accelerator model")
    )

    # what a run needs before its energy can be computed
    modelled = np.isnan(measured) & np.isnan(total_power)
    no_time = np.isnan(accelerator_hours) & np.isnan(hours)
    flags.add(
        modelled & no_time & has_accelerator,
        msg("ai.flag.no_duration"),
    )
    flags.add(
        (~modelled) & np.isnan(hours) & ~np.isnan(total_power) & np.isnan(measured),
        msg("ai.flag.power_needs_duration"),
    )
    unknown_device = modelled & has_accelerator & np.isnan(device_power)
    flags.add_each(
        unknown_device,
        out["accelerator_label"],
        "ai.flag.unknown_accelerator",
    )
    flags.add(
        modelled
        & ~has_accelerator
        & np.isnan(out["cpu_power_w"].to_numpy(dtype=float))
        & np.isnan(out["memory_gb"].to_numpy(dtype=float)),
        msg("ai.flag.no_energy_source"),
    )
    note(no_utilisation & modelled, "ai.note.no_utilisation")
    note(
        modelled
        & ~np.isnan(out["cpu_cores"].to_numpy(dtype=float))
        & np.isnan(out["cpu_power_w"].to_numpy(dtype=float)),
        "ai.note.cores_without_power",
    )
    note(np.isnan(pue_given) & np.isnan(measured), "ai.note.default_pue")

    # carbon intensity: log, else region, else country
    given_intensity = out["carbon_intensity_kg_per_kwh"].to_numpy(dtype=float)
    region_intensity = take(regions, positions_in(regions, out["region"]), "carbon_intensity_kg_per_kwh")
    country_intensity = take(
        factors.electricity, positions_in(factors.electricity, out["country"]), "carbon_intensity_kg_per_kwh"
    )
    if carbon_intensity_kg_per_kwh is not None:
        intensity = np.full(n, float(carbon_intensity_kg_per_kwh))
    else:
        intensity = np.where(
            ~np.isnan(given_intensity),
            given_intensity,
            np.where(~np.isnan(region_intensity), region_intensity, country_intensity),
        )
    measured_emissions = out["emissions_kgco2e"].to_numpy(dtype=float)
    usage = energy * intensity
    # CodeCarbon's own emissions are kept when the log gives no other intensity
    use_measured = (
        ~np.isnan(measured_emissions)
        & np.isnan(given_intensity)
        & (carbon_intensity_kg_per_kwh is None)
        & np.isnan(pue_given)
    )
    usage = np.where(use_measured, measured_emissions, usage)
    intensity = np.where(
        use_measured & (energy > 0), measured_emissions / np.where(energy > 0, energy, 1), intensity
    )
    located = out["country"].notna().to_numpy() | out["region"].notna().to_numpy()
    flags.add(
        np.isnan(intensity) & ~use_measured & located,
        msg("ai.flag.no_intensity"),
    )
    note(
        ~out["location_given"].to_numpy(dtype=bool) & np.isnan(given_intensity) & ~use_measured,
        "ai.note.default_location",
    )

    # embodied: accelerators and their host servers, over their lifetime and fleet use
    lifetime, _, _ = factors.parameter("accelerator_lifetime_years")
    fleet, _, _ = factors.parameter("fleet_utilisation")
    server_manufacture, _, _ = factors.parameter("server_manufacture_kgco2e")
    per_server, _, _ = factors.parameter("accelerators_per_server")
    device_manufacture = take(accelerators, positions, "manufacture_kgco2e")
    acc_hours = np.nan_to_num(accelerator_hours)
    embodied_devices = amortised_embodied_kgco2e(
        acc_hours, np.nan_to_num(device_manufacture), lifetime, fleet
    )
    embodied_servers = amortised_embodied_kgco2e(acc_hours / per_server, server_manufacture, lifetime, fleet)
    embodied_servers = np.where(has_accelerator, embodied_servers, 0.0)
    note(
        has_accelerator & np.isnan(device_manufacture) & (acc_hours > 0),
        "ai.note.no_accelerator_embodied",
    )
    note(~has_accelerator, "ai.note.no_accelerator")

    flagged = flags.flagged
    ok = ~flagged

    def kept(values: np.ndarray) -> np.ndarray:
        return np.where(ok, np.nan_to_num(values, nan=0.0), np.nan)

    requests = out["requests"].to_numpy(dtype=float)
    out["accelerator_hours"] = np.where(ok, accelerator_hours, np.nan)
    out["hours"] = hours
    out["accelerator_power_used_w"] = np.where(ok, device_power, np.nan)
    out["pue_used"] = np.where(
        ok, np.where(method == "measured", np.where(np.isnan(pue_given), np.nan, pue_given), pue), np.nan
    )
    out["carbon_intensity_used_kg_per_kwh"] = np.where(ok, intensity, np.nan)
    out["energy_method"] = np.where(ok, method, "")
    out["energy_kwh"] = kept(energy)
    out["usage_kgco2e"] = kept(usage)
    out["embodied_accelerators_kgco2e"] = kept(embodied_devices)
    out["embodied_servers_kgco2e"] = kept(embodied_servers)
    out["embodied_kgco2e"] = out["embodied_accelerators_kgco2e"] + out["embodied_servers_kgco2e"]
    out["total_kgco2e"] = out["usage_kgco2e"] + out["embodied_kgco2e"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["energy_per_request_wh"] = np.where(requests > 0, out["energy_kwh"] * 1000 / requests, np.nan)
        out["total_per_request_gco2e"] = np.where(requests > 0, out["total_kgco2e"] * 1000 / requests, np.nan)
    out["estimate_status"] = np.where(flagged, "flagged", "estimated")
    reasons = flags.column()
    out["reason"] = reasons
    out["notes"] = notes.column()
    return out
