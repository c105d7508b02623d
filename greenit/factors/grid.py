"""The grid factor a user or a notebook gives: checked once, for every pipeline.

``--grid-factor`` and ``grid_factor_kg_per_kwh=`` take the same range (:func:`check_grid_factor`).
The factor of a country is the factor tables' (:meth:`greenit.factors.FactorSet.grid_factor`):
``electricity.csv`` has one reader, the factor loader — ``greenit track`` too reads it there,
in a thread while CodeCarbon starts.
"""

from __future__ import annotations

import math

from greenit.errors import GreenitError


def check_grid_factor(value: object, where: str = "grid_factor_kg_per_kwh") -> float | None:
    """``value`` [kgCO2e/kWh] when a grid can have it, None for None; else a GreenitError.

    The range is the one ``--grid-factor`` takes (:func:`greenit.parsing.units.is_grid_factor`),
    so that the API refuses what the command line refuses: 57 is grams given as kilograms. 0 is
    taken: "count no use emissions" (a what-if).

    >>> check_grid_factor(0.057), check_grid_factor(None), check_grid_factor(0)
    (0.057, None, 0.0)
    >>> check_grid_factor(57.0)  # grams given as kilograms  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    greenit.errors.GreenitError: grid_factor_kg_per_kwh : « 57...gCO2e/kWh » n'est pas l'intensité carbone...
    """
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    from greenit.parsing.units import MAX_GRID_FACTOR_KG_PER_KWH as high
    from greenit.parsing.units import MIN_GRID_FACTOR_KG_PER_KWH as low
    from greenit.parsing.units import is_grid_factor

    if is_grid_factor(number):
        return number
    shown = _grams(number) if math.isfinite(number) else str(value)
    raise GreenitError.of(
        "factors.grid_factor_range",
        "factors.grid_factor_range_hint",
        where=where,
        value=shown,
        low=_grams(low),
        high=_grams(high),
    )


def _grams(kg_per_kwh: float) -> str:
    from greenit.i18n import get_language
    from greenit.i18n.formats import format_number

    return f"{format_number(kg_per_kwh * 1000, get_language())} gCO2e/kWh"
