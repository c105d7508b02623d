"""The unit slips that put a value outside its plausible range, and the one that explains it.

A laptop at 65,000 W is not a laptop: it is 65 W written under a ``(kW)`` header. A smartphone
kept 36 years is 36 months; a run of 54,000 h is 54,000 seconds. For a value outside its range
(:mod:`greenit.factors.plausible`), :func:`likely_slip` tries the slips people make with that
quantity — a factor of 1,000 between W and kW or Wh, kWh and MWh, 12 between months and years,
3,600 between seconds and hours… — and names the first that brings the value inside, with the
value it would then be. The value is flagged all the same, never corrected: the file says
what it says, the person who wrote it decides.
"""

from __future__ import annotations

import math

#: quantity → the slips tried, in order: (factor that undoes the slip, cause key in the
#: ``plausibility.cause`` catalogue entries)
SLIPS: dict[str, tuple[tuple[float, str], ...]] = {
    "power": ((1e-3, "thousand_too_many"), (1e3, "thousand_too_few")),
    "annual_energy": ((1e-3, "wh"), (1e3, "mwh")),
    "lifespan": ((1 / 12, "months"), (1 / 52, "weeks"), (1 / 365, "days"), (12, "years_as_months")),
    "use_hours": ((365, "hours_per_day"), (52, "hours_per_week"), (12, "hours_per_month")),
    "manufacture": ((1e3, "tonnes"), (1e-3, "grams")),
    "quantity": ((1e3, "thousands_separator"),),
    "run_duration": ((1 / 3600, "seconds"), (1 / 60, "minutes"), (1 / 3.6e6, "milliseconds")),
    "accelerator_count": (),
    "accelerator_power": ((1e-3, "thousand_too_many"), (1e3, "thousand_too_few")),
    "run_power": ((1e-3, "energy_wh"), (1 / 60, "duration_minutes")),
    "output_tokens_per_request": ((1e3, "tokens_in_thousands"), (1e-3, "requests_in_thousands")),
    "input_tokens_per_request": ((1e-3, "requests_in_thousands"), (1e-6, "requests_in_millions")),
    "unit_price": ((1e-2, "cents"), (1e3, "thousands_of_euros")),
    "pue": ((0.1, "decimal_mark_lost"), (0.01, "decimal_mark_lost")),
    "electricity_price": ((1e3, "per_kwh"), (1e-2, "cents"), (1e-3, "per_mwh")),
}


def likely_slip(quantity: str, value: float, low: float, high: float) -> tuple[str, float] | None:
    """The slip that brings ``value`` into [low, high] (a NaN end is open), and the value then.

    >>> likely_slip("power", 65_000.0, 0.37, 2250.0)
    ('thousand_too_many', 65.0)
    >>> likely_slip("lifespan", 36.0, 0.5, 7.5)
    ('months', 3.0)
    >>> likely_slip("run_duration", 54_000.0, math.nan, 8784.0)
    ('seconds', 15.0)
    >>> likely_slip("power", 1e9, 0.37, 2250.0) is None
    True
    """
    if not math.isfinite(value):
        return None
    for factor, cause in SLIPS.get(quantity, ()):
        corrected = value * factor
        if (math.isnan(low) or corrected >= low) and (math.isnan(high) or corrected <= high):
            return cause, corrected
    return None


def is_whole(value: float) -> bool:
    """Whether a count is a whole number (1.5 laptops is a thousands separator read as a point)."""
    return math.isfinite(value) and float(value).is_integer()
