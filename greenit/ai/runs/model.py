"""The AI-run model: small, pure, vectorised formulas (per run), on low/central/high bounds.

Every function takes numbers, numpy arrays or :class:`~greenit.bounds.Bounds` and returns
:class:`~greenit.bounds.Bounds`, so one run or a whole log goes through the same code and the
low–high range comes out of the same formula as the central value (the mechanism of the
inventory model, :mod:`greenit.inventory.model`). Units are in the names.

The method, as greenit applies it to each run:

- **energy** [kWh], in order of precedence: the energy the log measured (× the log's PUE when
  it gives one; CodeCarbon's ``energy_consumed`` already includes CodeCarbon's own PUE); else
  the job's average total power × duration × PUE; else the Green Algorithms model,
  ``(accelerator-hours × power per accelerator × utilisation + hours × (CPU power + memory ×
  0.3725 W/GB)) × PUE`` — the host CPU and memory terms only when the log gives them (a CPU
  count without a CPU power is not turned into watts). Power per accelerator: the log's, else
  the accelerator table's (board power, with its range); utilisation: the log's, else 1 (an
  upper bound). PUE: the log's, else the provider's of the cloud or HPC region, else the
  industry average (``pue.csv``, with their ranges).
- **usage** [kgCO2e] = energy × the grid factor greenit uses for the inventory: the
  electricity table's factor of the run's country (or the region's own, where the region
  table gives one). A carbon intensity written in a log is the log's statement and is used
  (``greenit track`` writes greenit's own factor); the emissions CodeCarbon computed with its
  own intensity are recomputed with greenit's factor, unless ``--keep-log-intensity``.
  ``--grid-factor`` replaces every intensity.
- **embodied** [kgCO2e] = the run's share of its hardware's manufacture: accelerator-hours ×
  manufacture per accelerator, plus server-hours (accelerator-hours ÷ accelerators per
  server) × manufacture per server, each ÷ (lifetime × 8,760 h × fleet utilisation).

References
----------
- Lannelongue, Grealey & Inouye (2021), *Green Algorithms: Quantifying the Carbon Footprint of
  Computation*, Advanced Science 8(12), 2100707: energy = time × PUE × (cores × power per core
  × usage + accelerators × power × usage + memory × 0.3725 W/GB).
- Patterson et al. (2021), *Carbon Emissions and Large Neural Network Training*,
  arXiv:2104.10350, §2.5: kWh = hours × processors × average power × PUE / 1000;
  tCO2e = kWh × kgCO2e/kWh / 1000.
- Luccioni, Viguier & Ligozat (2023), *Estimating the Carbon Footprint of BLOOM, a 176B
  Parameter Language Model*, JMLR 24(253), §4 and Table 3: embodied emissions amortised per
  GPU-hour and server-hour (6 years, 85 % use).
"""

from __future__ import annotations

import numpy as np

from greenit.bounds import Bounds

#: hours in a (non-leap) year, the convention of the amortisation above [h/year]
HOURS_PER_YEAR = 8760.0


def accelerator_energy_kwh(
    accelerator_hours: np.ndarray, power_w: Bounds | np.ndarray, utilisation: Bounds | np.ndarray
) -> Bounds:
    """Energy drawn by the accelerators [kWh].

    ``accelerator_hours [h] × power per device [W] × utilisation [0–1] / 1000``.

    References: Lannelongue et al. (2021); Patterson et al. (2021), §2.5.

    >>> float(accelerator_energy_kwh(1_082_990.0, 400.0, 1.0).central)  # BLOOM, Table 1
    433196.0
    """
    return Bounds.of(power_w) * utilisation * (np.asarray(accelerator_hours, dtype=float) / 1000.0)


def host_energy_kwh(
    hours: np.ndarray, cpu_power_w: np.ndarray, memory_gb: np.ndarray, memory_w_per_gb: float
) -> np.ndarray:
    """Energy of the host's CPU and memory [kWh]; each term 0 where the log does not give it.

    ``hours [h] × (CPU power [W] + memory [GB] × memory power [W/GB]) / 1000``.

    References: Lannelongue et al. (2021) — 0.3725 W/GB of memory.

    >>> round(float(host_energy_kwh(10.0, 100.0, 64.0, 0.3725)), 4)
    1.2384
    """
    cpu = np.nan_to_num(np.asarray(cpu_power_w, dtype=float), nan=0.0)
    memory = np.nan_to_num(np.asarray(memory_gb, dtype=float), nan=0.0) * memory_w_per_gb
    return np.nan_to_num(np.asarray(hours, dtype=float), nan=0.0) * (cpu + memory) / 1000.0


def job_energy_kwh(hours: np.ndarray, power_w: np.ndarray) -> np.ndarray:
    """Energy of a job from its average total power [kWh] = hours [h] × power [W] / 1000.

    >>> float(job_energy_kwh(2.0, 5000.0))
    10.0
    """
    return np.asarray(hours, dtype=float) * np.asarray(power_w, dtype=float) / 1000.0


def facility_energy_kwh(it_energy_kwh: Bounds | np.ndarray, pue: Bounds | np.ndarray) -> Bounds:
    """Energy the data centre draws for the run [kWh] = IT energy [kWh] × PUE [≥ 1].

    References: The Green Grid (2012), White Paper 49 — PUE = facility energy / IT energy.

    >>> [round(float(v), 2) for v in facility_energy_kwh(10.0, Bounds(1.56, 1.15, 1.63))]
    [15.6, 11.5, 16.3]
    """
    return Bounds.of(it_energy_kwh) * pue


def usage_kgco2e(energy_kwh: Bounds | np.ndarray, grid_factor_kg_per_kwh: np.ndarray) -> Bounds:
    """Emissions of the electricity used [kgCO2e] = energy [kWh] × grid factor [kgCO2e/kWh].

    >>> round(usage_kgco2e(433_196.0, 0.057).central / 1000, 2)  # BLOOM: 24.69 t
    24.69
    """
    return Bounds.of(energy_kwh) * grid_factor_kg_per_kwh


def server_hours(accelerator_hours: np.ndarray, accelerators_per_server: Bounds | float) -> Bounds:
    """Hours of host servers [h] = accelerator-hours [h] / accelerators per server.

    >>> round(float(server_hours(1_082_990.0, 8.0).central))  # BLOOM: 135,374 server-hours
    135374
    """
    return Bounds.exact(np.asarray(accelerator_hours, dtype=float)) / accelerators_per_server


def amortised_embodied_kgco2e(
    device_hours: Bounds | np.ndarray,
    manufacture_kgco2e: Bounds | np.ndarray,
    lifetime_years: Bounds | float,
    fleet_utilisation: Bounds | float,
) -> Bounds:
    """A run's share of a device's manufacture [kgCO2e].

    ``device_hours [h] × manufacture [kgCO2e] / (lifetime [years] × 8,760 h × fleet
    utilisation [0–1])``: the manufacture spread over the hours the device runs jobs in its
    life. A shorter lifetime gives a larger share: the high bound uses the low lifetime.

    References: Luccioni et al. (2023), §4 — 2,500 kgCO2e per 8-GPU server over 6 years at
    85 % use is 0.056 kgCO2e per server-hour.

    >>> round(float(amortised_embodied_kgco2e(1.0, 2500.0, 6.0, 0.85).central), 4)
    0.056
    >>> server = Bounds(2500.0, 2500.0, 5700.0)
    >>> [round(float(v), 3) for v in amortised_embodied_kgco2e(1.0, server, Bounds(6.0, 3.0, 6.0), 0.85)]
    [0.056, 0.056, 0.255]
    """
    hours_in_use = Bounds.of(lifetime_years) * HOURS_PER_YEAR * fleet_utilisation
    return Bounds.of(manufacture_kgco2e) * device_hours / hours_in_use
