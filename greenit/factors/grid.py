"""A country's grid factor read without pandas or pint, for ``greenit track``'s start-up.

``greenit track`` needs one number before the user's command starts: the carbon intensity of
electricity in the run's country. The full factor loader (:func:`greenit.factors.load_factors`)
reads, converts (pint) and validates every table — about 0.3 s of CPU plus pandas; this reads
the packaged ``electricity.csv`` alone with the csv module (about 1 ms). It answers only when
it can give exactly what the full loader gives: the intensity column in the canonical unit
(``carbon_intensity [kgCO2e/kWh]``), the country present once with a finite, non-negative
number (a test compares every country). Otherwise — and whenever a user's tables are laid
over the packaged ones (``--factors``) — it returns None and the caller uses the full loader,
which also gives the proper error for an unknown country.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from greenit.errors import GreenitError

#: The intensity column when its unit needs no conversion.
CANONICAL_COLUMN = "carbon_intensity [kgCO2e/kWh]"


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


def packaged_factors_dir() -> Path | None:
    """Where the packaged tables are (as :func:`greenit.factors.tables.default_factors_dir`), or None."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "emission_factors", here.parent.parent / "emission_factors"):
        if (candidate / "sources.csv").exists():
            return candidate
    return None


def packaged_grid_factor(country: str) -> float | None:
    """Carbon intensity of electricity [kgCO2e/kWh] of ``country`` (ISO 3166 alpha-3) in the
    packaged ``electricity.csv``, or None when only the full loader can say.

    >>> packaged_grid_factor("FRA")
    0.0461
    >>> packaged_grid_factor("ZZZ") is None
    True
    """
    folder = packaged_factors_dir()
    if folder is None:
        return None
    try:
        with (folder / "electricity.csv").open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if CANONICAL_COLUMN not in (reader.fieldnames or []):
                return None
            cells = [row.get(CANONICAL_COLUMN) for row in reader if row.get("country") == country]
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    if len(cells) != 1 or not cells[0]:
        return None
    try:
        value = float(cells[0].replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None
