"""Quantities with units, as users type them, turned into floats in one canonical unit.

One pint registry for the whole package, built lazily on first use. Each *distinct* unit
string is parsed once; whole columns are converted with numpy, never one pint Quantity per
row. French spellings (``ans``, ``mois``, ``h/j``, ``kWh/an``), decimal commas (``0,065 kW``)
and non-breaking spaces are accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from greenit.errors import UnitError
from greenit.i18n import Message, msg

#: Canonical unit of each kind of quantity used inside the package.
CANONICAL_UNITS: dict[str, str] = {
    "mass": "kg",
    "carbon": "kg",  # kgCO2e
    "power": "W",
    "energy": "kWh",
    "annual_energy": "kWh/year",
    "duration": "hour",
    "hours_per_year": "hour/year",
    "lifespan": "year",
    "carbon_intensity": "kg/kWh",
    "memory": "GB",
    "dimensionless": "dimensionless",
}

_FRENCH_WORDS = [
    (r"\bh\s*/\s*j\b", "hour/day"),
    (r"\bh\s*/\s*an\b", "hour/year"),
    (r"\bans?\b", "year"),
    (r"\bannées?\b", "year"),
    (r"\bannees?\b", "year"),
    (r"\bmois\b", "month"),
    (r"\bsemaines?\b", "week"),
    (r"\bjours?\b", "day"),
    (r"\bj\b", "day"),
    (r"\bheures?\b", "hour"),
    (r"\bminutes?\b", "minute"),
    (r"\bsecondes?\b", "second"),
    (r"\bgo\b", "GB"),
    (r"\bGo\b", "GB"),
    (r"\bTo\b", "TB"),
    (r"%", "percent"),
]
_FRENCH_RES = [
    (re.compile(p, re.IGNORECASE if p not in (r"\bGo\b", r"\bTo\b") else 0), r) for p, r in _FRENCH_WORDS
]
_CO2_RE = re.compile(r"(?<=[gkt])\s*CO2\s*(?:e|eq|-?eq\.?|e\.)?(?![a-z])", re.IGNORECASE)
#: A number at the start of a cell; possessive quantifiers keep it linear in the cell's length.
_NUMBER_RE = re.compile(r"[-+]?\d[\d\s\u00a0\u202f'.,]*+(?:[eE][-+]?\d++)?")
#: Longest quantity cell read (``1 234 567,89 kWh/an`` is 19): longer ones are typing accidents.
MAX_QUANTITY_CHARS = 64
#: Longest unit text given to pint (its parser is slow on long strings).
MAX_UNIT_CHARS = 40


@lru_cache(maxsize=1)
def registry():
    """The package's pint registry (built once, on first use)."""
    import pint

    ureg = pint.UnitRegistry(cache_folder=None)
    if "percent" not in ureg:
        ureg.define("percent = 0.01 = pct")
    return ureg


def normalise_unit_text(text: str) -> str:
    """Rewrite French and carbon spellings into something pint understands.

    ``"5 ans"`` → ``"year"``; ``"kgCO2e"`` → ``"kg"``; ``"g/kWh"`` stays.
    """
    text = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    text = _CO2_RE.sub("", text)
    for pattern, replacement in _FRENCH_RES:
        text = pattern.sub(replacement, text)
    text = text.replace("²", "**2").replace("·", "*")
    return text


#: Conversions that are only an SI prefix (or hour/minute) away from the canonical unit: exact
#: factors that spare building pint's registry for the units files and tables write most.
_SIMPLE_FACTORS: dict[tuple[str, str], float] = {
    ("Wh", "kWh"): 1e-3,
    ("MWh", "kWh"): 1e3,
    ("GWh", "kWh"): 1e6,
    ("kW", "W"): 1e3,
    ("mW", "W"): 1e-3,
    ("g", "kg"): 1e-3,
    ("t", "kg"): 1e3,
    ("mL", "L"): 1e-3,
    ("g/kWh", "kg/kWh"): 1e-3,
    ("kg/MWh", "kg/kWh"): 1e-3,
    ("minute", "hour"): 1 / 60,
    ("second", "hour"): 1 / 3600,
    ("day", "hour"): 24.0,
    ("TB", "GB"): 1e3,
    ("MB", "GB"): 1e-3,
}


@lru_cache(maxsize=4096)
def conversion_factor(unit_text: str, target: str) -> float:
    """Multiplier from ``unit_text`` to ``target`` (both pint-readable after normalising).

    Raises UnitError when the unit is unknown or has the wrong dimension.
    """
    if len(unit_text) > MAX_UNIT_CHARS:
        raise UnitError(msg("parsing.unit.unknown", unit=unit_text[:MAX_UNIT_CHARS] + "…"))
    normalised = normalise_unit_text(unit_text)
    if normalised in ("", "1") or normalised.replace(" ", "") == target.replace(" ", ""):
        return 1.0  # already canonical: no need to build the registry (it takes ~0.3 s)
    simple = _SIMPLE_FACTORS.get((normalised.replace(" ", ""), target.replace(" ", "")))
    if simple is not None:
        return simple  # an SI prefix away: exact, and still no registry
    import pint

    ureg = registry()
    try:
        quantity = ureg.Quantity(1.0, normalised)
        return float(quantity.to(target).magnitude)
    except pint.DimensionalityError as exc:
        raise UnitError(msg("parsing.unit.wrong_kind", unit=unit_text, expected=_describe(target))) from exc
    except (pint.UndefinedUnitError, AttributeError, TypeError, ValueError, SyntaxError) as exc:
        raise UnitError(msg("parsing.unit.unknown", unit=unit_text)) from exc
    except Exception as exc:  # pint raises assorted parser errors on free text
        raise UnitError(msg("parsing.unit.unknown", unit=unit_text)) from exc


_KINDS = {
    "W": "power",
    "kWh": "energy",
    "kWh/year": "annual_energy",
    "hour": "duration",
    "hour/year": "hours_per_year",
    "year": "years",
    "kg": "carbon",
    "kg/kWh": "carbon_intensity",
    "GB": "memory",
}


def _describe(target: str) -> Message | str:
    """What a unit of ``target``'s kind looks like, as a catalogue message."""
    kind = _KINDS.get(target)
    return msg(f"parsing.unit.kind.{kind}") if kind else target


def parse_number(text: str) -> float:
    """Parse one number as users write it: ``1 234,5``, ``1,234.5``, ``0,065``, ``12'000``."""
    cleaned = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace("'", "")
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    elif cleaned.count(",") > 1:
        cleaned = cleaned.replace(",", "")
    elif cleaned.count(".") > 1:
        cleaned = cleaned.replace(".", "")
    return float(cleaned)


@dataclass(frozen=True)
class ParsedColumn:
    """A column converted to floats in its canonical unit.

    ``values`` holds NaN where the cell was empty or bad; ``errors`` holds, for bad cells
    only, a message naming the column and the value (None elsewhere); ``bad`` marks them.
    """

    values: np.ndarray
    errors: np.ndarray  # object array of Message; None where fine
    bad: np.ndarray  # bool


def _parse_cell(text: str, header_unit: str | None, target: str) -> tuple[float, Message | None]:
    if len(text) > MAX_QUANTITY_CHARS:
        return np.nan, msg("parsing.cell.too_long_for_number", length=len(text), limit=MAX_QUANTITY_CHARS)
    match = _NUMBER_RE.match(text)
    if not match:
        return np.nan, msg("parsing.cell.not_a_number")
    unit_text = text[match.end() :].strip()
    try:
        number = parse_number(match.group())
    except ValueError:
        return np.nan, msg("parsing.cell.not_a_number")
    unit = unit_text or header_unit or ""
    if not unit:
        return number, None
    try:
        return number * column_factor(unit, target), None
    except UnitError as exc:
        return np.nan, exc.message


def column_factor(unit: str, target: str) -> float:
    """:func:`conversion_factor` for a column whose canonical unit is a yearly amount: there a
    bare amount is per year (« Consommation annuelle (kWh) », « Heures (h) » in an hours-per-year
    column), as people write it. Any other mismatch is a UnitError.

    >>> column_factor("kWh", "kWh/year"), column_factor("MWh", "kWh/year")
    (1.0, 1000.0)
    """
    try:
        return conversion_factor(unit, target)
    except UnitError:
        if not target.endswith("/year"):
            raise
        try:
            return conversion_factor(unit, target.removesuffix("/year"))
        except UnitError:
            pass
        raise


def parse_quantity_column(
    column: pd.Series,
    target: str,
    *,
    header_unit: str | None = None,
    name: str = "",
    allow_negative: bool = False,
    bounds: tuple[float, float] | None = None,
) -> ParsedColumn:
    """Convert a column of quantities (numbers, or text with units) to floats in ``target``.

    Each distinct cell is parsed once. Text that is no number (``inf``, ``nan``), cells longer
    than :data:`MAX_QUANTITY_CHARS`, negative values (unless ``allow_negative``) and values
    outside ``bounds`` (an overflow such as ``1e309`` among them) are flagged, never used.

    Parameters
    ----------
    column : Series
        Numbers, or strings such as ``"65 W"``, ``"0,065 kW"``, ``"5 ans"``.
    target : str
        Canonical pint unit, e.g. ``"W"`` or ``"kWh/year"``.
    header_unit : str, optional
        Unit read from the header (``Puissance (W)``), used for cells without their own.
    name : str
        Column name, used in error reasons.
    bounds : (low, high), optional
        Physically sensible range in ``target`` units; a value outside is flagged.

    Examples
    --------
    >>> parse_quantity_column(pd.Series(["65 W", "0,1 kW", None]), "W").values
    array([ 65., 100.,  nan])
    """
    label = name or str(column.name)
    if pd.api.types.is_bool_dtype(column.dtype):
        column = column.astype(float)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    unique_values = np.full(len(uniques) + 1, np.nan)  # the last one: missing cells
    unique_errors = np.full(len(uniques) + 1, None, dtype=object)
    header_factor = _header_factor(header_unit, target)
    for i, cell in enumerate(uniques):
        value, error = _parse_unique(cell, header_unit, header_factor, target)
        if error is not None:
            unique_errors[i] = msg("parsing.cell.error", column=label, value=_shown(cell), error=error)
        elif not np.isnan(value):
            unique_errors[i] = _out_of_bounds(value, allow_negative, bounds, label, _shown(cell), target)
            unique_values[i] = value if unique_errors[i] is None else np.nan
    positions = np.where(codes >= 0, codes, len(uniques))
    errors = unique_errors[positions]
    bad = np.array([e is not None for e in unique_errors], dtype=bool)[positions]
    return ParsedColumn(values=unique_values[positions], errors=errors, bad=bad)


def _header_factor(header_unit: str | None, target: str) -> float | Message:
    if not header_unit:
        return 1.0
    try:
        return column_factor(header_unit, target)
    except UnitError as exc:
        return exc.message


def _parse_unique(cell: object, header_unit, header_factor, target: str) -> tuple[float, Message | None]:
    if isinstance(cell, (int, float, np.integer, np.floating)) and not isinstance(cell, bool):
        if isinstance(header_factor, Message):
            return np.nan, header_factor
        value = float(cell)
        if np.isnan(value):
            return np.nan, msg("parsing.cell.not_finite")
        return value * header_factor, None  # ±inf: caught by the bounds of the column
    text = str(cell).strip()
    return (np.nan, None) if text == "" else _parse_cell(text, header_unit, target)


def _out_of_bounds(value: float, allow_negative: bool, bounds, label: str, shown: str, target: str):
    if value < 0 and not allow_negative:
        return msg("parsing.cell.negative", column=label)
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        unit = _unit_label(target)
        error = msg("parsing.cell.out_of_range", low=bounds[0], high=bounds[1], unit=unit)
        return msg("parsing.cell.error", column=label, value=shown, error=error)
    return None


def _unit_label(target: str) -> str:
    return {"dimensionless": "", "year": "ans", "kg": "kgCO2e", "hour/year": "h/an", "day/year": "j/an"}.get(
        target, target
    )


def _shown(cell: object) -> str:
    """A cell as shown in a reason: long ones cut (a reason quotes, it does not copy)."""
    text = str(cell)
    return text if len(text) <= 60 else text[:60] + "…"


#: Highest grid carbon intensity a place has [kgCO2e/kWh]: coal-only grids stay near 1.1; above
#: 2, a value is a unit mistake (g typed as kg).
MAX_GRID_FACTOR_KG_PER_KWH = 2.0
#: Lowest non-zero one: life-cycle medians start near 0.012 (nuclear, wind; IPCC AR5 WG3, Annex
#: III, table A.III.2), so a mix under 0.001 is a slip (kilograms typed as tonnes). 0 is taken:
#: "count no use emissions", a what-if.
MIN_GRID_FACTOR_KG_PER_KWH = 0.001


def is_grid_factor(kg_per_kwh: float) -> bool:
    """Whether an electricity grid can have this carbon intensity [kgCO2e/kWh] (or 0, a what-if)."""
    import math

    return math.isfinite(kg_per_kwh) and (
        kg_per_kwh == 0 or MIN_GRID_FACTOR_KG_PER_KWH <= kg_per_kwh <= MAX_GRID_FACTOR_KG_PER_KWH
    )


def parse_carbon_intensity(text: str, option: str) -> float:
    """``'57 g/kWh'``, ``'0,057 kg/kWh'`` or ``'57'`` (a bare number is gCO2e/kWh) → kgCO2e/kWh.

    ``option`` names where it was typed (``--grid-factor``, ``grid=``) in the error, which a
    non-finite, negative or implausible value gets.

    >>> parse_carbon_intensity("57 g/kWh", "--grid-factor"), parse_carbon_intensity("0,1 kg/kWh", "grid=")
    (0.057, 0.1)
    """
    import re

    text = str(text).strip()
    match = re.match(r"^([-+]?[\d\s.,'\u00a0\u202f]*\d(?:[eE][-+]?\d+)?)\s*(.*)$", text[:MAX_UNIT_CHARS])
    if not match:
        raise UnitError(msg("parsing.intensity.not_a_number", option=option, value=text[:80]))
    number_text, unit = match.groups()
    try:
        number = parse_number(number_text)
    except ValueError as exc:
        raise UnitError(msg("parsing.intensity.not_a_number", option=option, value=text[:80])) from exc
    factor = conversion_factor(unit, "kg/kWh") if unit else 0.001
    value = number * factor
    if not is_grid_factor(value):
        raise UnitError(msg("parsing.intensity.out_of_range", option=option, value=text[:80]))
    return value
