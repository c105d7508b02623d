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

HOURS_PER_YEAR = 8760.0


def accelerator_energy_kwh(
    accelerator_hours: np.ndarray, power_w: np.ndarray, utilisation: np.ndarray
) -> np.ndarray:
    """Accelerator energy [kWh] = accelerator-hours [h] × power per device [W] × utilisation / 1000."""
    return accelerator_hours * power_w * utilisation / 1000.0


def host_energy_kwh(
    hours: np.ndarray, cpu_power_w: np.ndarray, memory_gb: np.ndarray, memory_w_per_gb: float
) -> np.ndarray:
    """Host energy [kWh] = hours × (CPU power [W] + memory [GB] × W/GB) / 1000; 0 where not given."""
    cpu = np.nan_to_num(cpu_power_w, nan=0.0)
    memory = np.nan_to_num(memory_gb, nan=0.0) * memory_w_per_gb
    return np.nan_to_num(hours, nan=0.0) * (cpu + memory) / 1000.0


def facility_energy_kwh(it_energy_kwh: np.ndarray, pue: np.ndarray) -> np.ndarray:
    """Energy drawn by the data centre [kWh] = IT energy × PUE."""
    return it_energy_kwh * pue


def amortised_embodied_kgco2e(
    device_hours: np.ndarray,
    manufacture_kgco2e: np.ndarray,
    lifetime_years: float,
    fleet_utilisation: float,
) -> np.ndarray:
    """A run's share of a device's manufacture [kgCO2e].

    ``device_hours × manufacture / (lifetime × 8,760 h × utilisation)``: the device's
    manufacture spread over the hours it actually runs jobs in its life (BLOOM, §4).

    >>> round(float(amortised_embodied_kgco2e(1.0, 2500.0, 6, 0.85)), 4)
    0.056
    """
    return device_hours * manufacture_kgco2e / (lifetime_years * HOURS_PER_YEAR * fleet_utilisation)
