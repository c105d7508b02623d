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
from greenit.parsing.numerals import NUMBER_RE, ColumnMark, decimal_mark, is_ambiguous, parse_number
from greenit.parsing.unit_grammar import read_unit

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
_NUMBER_RE = NUMBER_RE
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
    # antimony equivalent of abiotic depletion (ADPe): its own dimension, so no mass converts to it
    ureg.define("gSbeq = [antimony_equivalent] = gSbe")
    ureg.define("EUR = [currency] = euro")  # prices: ``€/kWh``, ``k€`` (``€`` is spelt EUR first)
    return ureg


def normalise_unit_text(text: str) -> str:
    """Rewrite French and carbon spellings into something pint understands.

    ``"5 ans"`` → ``"year"``; ``"kgCO2e"`` → ``"kg"``; ``"g/kWh"`` stays.
    """
    text = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    text = _CO2_RE.sub("", text)
    for pattern, replacement in _FRENCH_RES:
        text = pattern.sub(replacement, text)
    text = text.replace("²", "**2").replace("·", "*").replace("€", "EUR")
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

    ``unit_text`` is read by the unit grammar first (:func:`greenit.parsing.unit_grammar.read_unit`):
    a multiplier (``milliers``, ``M``, ``kTok``) scales a count or a unit (``milliers de kWh``),
    *en* and *par an* are words around a unit. Raises UnitError when the unit is unknown or
    has the wrong dimension.

    >>> conversion_factor("en milliers", "dimensionless"), conversion_factor("en MWh", "kWh")
    (1000.0, 1000.0)
    """
    if len(unit_text) > MAX_UNIT_CHARS:
        raise UnitError(msg("parsing.unit.unknown", unit=unit_text[:MAX_UNIT_CHARS] + "…"))
    if not unit_text.strip():
        return 1.0
    spelling = read_unit(unit_text)
    if spelling.is_count:
        if target == "dimensionless":
            return spelling.scale
        raise UnitError(msg("parsing.unit.wrong_kind", unit=unit_text, expected=_describe(target)))
    try:
        return spelling.scale * _unit_factor(spelling.unit, target)
    except UnitError as exc:
        if spelling.unit == unit_text:
            raise
        raise UnitError(_renamed(exc.message, spelling.unit, unit_text)) from exc


def _renamed(message, inner: str, written: str):
    """The error about ``inner`` said of the unit as written (``en kg`` rather than ``kg``)."""
    if isinstance(message, Message):
        params = tuple((k, written if v == inner else v) for k, v in message.params)
        return Message(message.key, params)
    return message


@lru_cache(maxsize=4096)
def _unit_factor(unit_text: str, target: str) -> float:
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


@dataclass(frozen=True)
class ParsedColumn:
    """A column converted to floats in its canonical unit.

    ``values`` holds NaN where the cell was empty or bad; ``errors`` holds, for bad cells
    only, a message naming the column and the value (None elsewhere); ``bad`` marks them.
    ``notes`` holds, where a cell was read in a way worth saying (``12.000`` read 12,000 as
    the column writes its numbers; a cell's unit other than its header's), a message (None
    elsewhere); ``mark`` is the column's decimal mark and why (:mod:`greenit.parsing.numerals`).
    """

    values: np.ndarray
    errors: np.ndarray  # object array of Message; None where fine
    bad: np.ndarray  # bool
    notes: np.ndarray | None = None  # object array of Message; None where nothing to say
    mark: ColumnMark | None = None


@dataclass(frozen=True)
class _Column:
    """What every cell of one column is read with: its header's unit, the target, the mark."""

    label: str
    header_unit: str | None
    header_factor: float | Message
    target: str
    mark: ColumnMark


def _parse_cell(text: str, column: _Column) -> tuple[float, Message | None, Message | None]:
    if len(text) > MAX_QUANTITY_CHARS:
        return (
            np.nan,
            msg("parsing.cell.too_long_for_number", length=len(text), limit=MAX_QUANTITY_CHARS),
            None,
        )
    match = _NUMBER_RE.match(text)
    if not match:
        return np.nan, msg("parsing.cell.not_a_number"), None
    unit_text = text[match.end() :].strip()
    ambiguous = is_ambiguous(match.group())
    decimal = column.mark.decimal_of(match.group())
    if ambiguous and decimal is None:
        return np.nan, _undecided(match.group()), None
    try:
        number = parse_number(match.group(), decimal)
    except ValueError:
        return np.nan, msg("parsing.cell.not_a_number"), None
    note = _read_as(column, text, number) if ambiguous else None
    unit = unit_text or column.header_unit or ""
    if not unit:
        return number, None, note
    try:
        factor = column_factor(unit, column.target) if unit_text else column.header_factor
    except UnitError as exc:
        return np.nan, exc.message, None
    if isinstance(factor, Message):
        return np.nan, factor, None
    if unit_text and column.header_unit and factor != column.header_factor:
        note = msg(
            "units.cell_unit_wins", column=column.label, value=_shown(text), header_unit=column.header_unit
        )
    return number * factor, None, note


def _undecided(number_text: str) -> Message:
    """« 1.500 » in a column that never says its decimal mark: both readings, neither taken."""
    return msg(
        "units.number.ambiguous",
        as_decimal=parse_number(number_text, "." if "." in number_text else ","),
        as_thousands=parse_number(number_text, "," if "." in number_text else "."),
    )


def _read_as(column: _Column, text: str, number: float) -> Message:
    mark = "comma" if column.mark.decimal == "," else "point"
    why = "counts" if column.mark.why == "counts" else f"{column.mark.why}_{mark}"
    return msg(
        "units.number.read_as",
        column=column.label,
        value=_shown(text),
        number=number,
        why=msg(f"units.number.why.{why}"),
    )


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
    counts: bool = False,
    file_mark: str | None = None,
) -> ParsedColumn:
    """Convert a column of quantities (numbers, or text with units) to floats in ``target``.

    Each distinct cell is parsed once. Text that is no number (``inf``, ``nan``), cells longer
    than :data:`MAX_QUANTITY_CHARS`, negative values (unless ``allow_negative``) and values
    outside ``bounds`` (an overflow such as ``1e309`` among them) are flagged, never used. A
    unit in the cell wins over the header's, applied once (``0,2 M`` under ``(M)`` is 200,000);
    one that differs from the header's is said in ``notes``.

    Parameters
    ----------
    column : Series
        Numbers, or strings such as ``"65 W"``, ``"0,065 kW"``, ``"5 ans"``.
    target : str
        Canonical pint unit, e.g. ``"W"`` or ``"kWh/year"``.
    header_unit : str, optional
        Unit read from the header (``Puissance (W)``, ``Jetons (en milliers)``), used for cells
        without their own.
    name : str
        Column name, used in error reasons.
    bounds : (low, high), optional
        Physically sensible range in ``target`` units; a value outside is flagged.
    counts : bool
        The column holds whole numbers (devices, tokens, requests): ``12.000`` whose column
        never says its decimal mark is twelve thousand (:func:`greenit.parsing.numerals.decimal_mark`).
    file_mark : str, optional
        The decimal mark the file's other columns show (``","`` or ``"."``).

    Examples
    --------
    >>> parse_quantity_column(pd.Series(["65 W", "0,1 kW", None]), "W").values
    array([ 65., 100.,  nan])
    >>> parse_quantity_column(pd.Series(["12.000", "1.500"]), "dimensionless", counts=True).values
    array([12000.,  1500.])
    """
    label = name or str(column.name)
    if pd.api.types.is_bool_dtype(column.dtype):
        column = column.astype(float)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    texts = [u for u in uniques if isinstance(u, str)]
    mark = decimal_mark(texts, counts=counts, file_mark=file_mark) if texts else ColumnMark(None, "unsaid")
    spec = _Column(label, header_unit, _header_factor(header_unit, target), target, mark)
    unique_values = np.full(len(uniques) + 1, np.nan)  # the last one: missing cells
    unique_errors = np.full(len(uniques) + 1, None, dtype=object)
    unique_notes = np.full(len(uniques) + 1, None, dtype=object)
    for i, cell in enumerate(uniques):
        value, error, unique_notes[i] = _parse_unique(cell, spec)
        if error is not None:
            unique_errors[i] = msg("parsing.cell.error", column=label, value=_shown(cell), error=error)
        elif not np.isnan(value):
            unique_errors[i] = _out_of_bounds(value, allow_negative, bounds, label, _shown(cell), target)
            unique_values[i] = value if unique_errors[i] is None else np.nan
    positions = np.where(codes >= 0, codes, len(uniques))
    bad = np.array([e is not None for e in unique_errors], dtype=bool)[positions]
    has_notes = any(n is not None for n in unique_notes)
    return ParsedColumn(
        values=unique_values[positions],
        errors=unique_errors[positions],
        bad=bad,
        notes=np.where(bad, np.array(None, dtype=object), unique_notes[positions]) if has_notes else None,
        mark=mark,
    )


def _header_factor(header_unit: str | None, target: str) -> float | Message:
    if not header_unit:
        return 1.0
    try:
        return column_factor(header_unit, target)
    except UnitError as exc:
        return exc.message


def _parse_unique(cell: object, column: _Column) -> tuple[float, Message | None, Message | None]:
    if isinstance(cell, (int, float, np.integer, np.floating)) and not isinstance(cell, bool):
        if isinstance(column.header_factor, Message):
            return np.nan, column.header_factor, None
        value = float(cell)
        if np.isnan(value):
            return np.nan, msg("parsing.cell.not_finite"), None
        return value * column.header_factor, None, None  # ±inf: caught by the bounds of the column
    text = str(cell).strip()
    return (np.nan, None, None) if text == "" else _parse_cell(text, column)


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
