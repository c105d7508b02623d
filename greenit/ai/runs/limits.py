"""Plausible ranges of what an AI log or an option gives: outside them a value is a typo.

A log cell of ``1e309`` GPUs, a PUE of ``-3`` or an intensity of ``1e-9`` kgCO2e/kWh is not a
measurement anyone made: the run is flagged with its reason rather than estimated from it.
The ranges are deliberately wide — they catch slips (a unit forgotten, a sign, an exponent),
not unusual but real runs. No pandas here: ``greenit track`` checks its ``--pue`` with the same
bounds before the command starts.

References
----------
- PUE ≥ 1 by definition (The Green Grid, *PUE: a comprehensive examination of the metric*,
  White Paper 49, 2012); the industry average is 1.56 (Uptime Institute 2024): above 5, four
  fifths of the energy would go to cooling and losses — a typo far more often than a fact.
- Grid carbon intensity: life-cycle medians run from about 12 gCO2e/kWh (nuclear, wind) to
  820 g (coal) (IPCC AR5 WG3, Annex III, table A.III.2); a grid mix lies between, so 1 g and
  2,000 g bound it with room to spare.
- Accelerator power: the largest boards draw about 1 kW (NVIDIA B200), edge accelerators a
  few watts; 0.1–3,000 W bounds one device.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from greenit.errors import GreenitError


@dataclass(frozen=True)
class Plausible:
    """The range [low, high] a value must lie in (0 also accepted when ``zero_ok``)."""

    low: float
    high: float
    unit: str
    zero_ok: bool = False

    def holds(self, value: float) -> bool:
        """Whether ``value`` is finite and in range (a missing value is not checked here).

        >>> PLAUSIBLE["pue"].holds(1.2), PLAUSIBLE["pue"].holds(float("nan")), PLAUSIBLE["pue"].holds(0.9)
        (True, False, False)
        """
        if not math.isfinite(value):
            return False
        return (self.zero_ok and value == 0) or self.low <= value <= self.high


#: canonical run column → its plausible range, in the column's unit
PLAUSIBLE: dict[str, Plausible] = {
    "hours": Plausible(0.0, 100_000.0, "h"),
    "accelerator_hours": Plausible(0.0, 1e9, "h"),
    "accelerator_count": Plausible(0.01, 1e6, "", zero_ok=True),  # a MIG slice is 1/7 of a GPU
    "accelerator_power_w": Plausible(0.1, 3_000.0, "W", zero_ok=True),  # 0: no GPU (track logs)
    "utilisation": Plausible(0.0, 1.0, ""),
    "cpu_cores": Plausible(0.0, 1e7, ""),
    "cpu_power_w": Plausible(0.0, 1e6, "W"),
    "memory_gb": Plausible(0.0, 1e7, "GB"),
    "power_w": Plausible(0.1, 1e9, "W", zero_ok=True),
    "pue": Plausible(1.0, 5.0, ""),
    "energy_kwh": Plausible(0.0, 1e10, "kWh"),
    "emissions_kgco2e": Plausible(0.0, 1e10, "kgCO2e"),
    "carbon_intensity_kg_per_kwh": Plausible(0.001, 2.0, "kgCO2e/kWh"),
    "requests": Plausible(0.0, 1e15, ""),
}

#: a scenario may change the energy per request by −100 % (none left) up to +1,000 %
REQUEST_ENERGY_CHANGE = Plausible(-1.0, 10.0, "")


def check_pue(value: float, where: str) -> float:
    """``value`` when it is a PUE a data centre can have, else a GreenitError naming ``where``.

    >>> check_pue(1.2, "--pue")
    1.2
    """
    bounds = PLAUSIBLE["pue"]
    if not bounds.holds(value):
        raise GreenitError.of("ai.option.pue_range", "ai.option.pue_hint", where=where, value=str(value))
    return value
