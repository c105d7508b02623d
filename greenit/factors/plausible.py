"""Plausible ranges of the values files give, per quantity and per category, and the check.

A global bound lets a laptop at 48,000 kWh a year through. ``plausibility.csv`` holds, per
quantity, a *rule*: a range that is a multiple of the row's own factor row — a laptop's power
between 1/30 of its category's low power and 30 times its high power, since W, kW and mW are a
thousand apart — or absolute (a run lasts at most a year), each with its reasoning in French and
English and its source (``greenit_plausibility``: docs/methodology). :func:`bounds` applies a
rule to whole columns of keys; :func:`implausible` says which values lie outside and why
(:mod:`greenit.parsing.slips`: « des watts ? »), as catalogue messages.

The ranges come from greenit's *packaged* rows even where a user's ``--factors`` table replaces
them: a table in tonnes by mistake must not move the bounds it is checked against.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from greenit.factors.labels import Bilingual, row_labels
from greenit.factors.lookup import positions_in, take
from greenit.factors.tables import FactorSet
from greenit.i18n import Joined, Message, Verbatim, msg
from greenit.parsing.slips import likely_slip

#: basis → (table, its key column's rows → (low, high) columns in the rule's unit)
Basis = Callable[[pd.DataFrame, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _power(devices: pd.DataFrame, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    hours = take(devices, positions, "use_hours_per_year")
    with np.errstate(divide="ignore", invalid="ignore"):
        return (
            take(devices, positions, "annual_low_kwh") * 1000 / hours,
            take(devices, positions, "annual_high_kwh") * 1000 / hours,
        )


def _pair(low: str, high: str, central: str) -> Basis:
    def basis(table: pd.DataFrame, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        middle = take(table, positions, central)
        lows = take(table, positions, low) if low in table.columns else middle
        highs = take(table, positions, high) if high in table.columns else middle
        return np.where(np.isnan(lows), middle, lows), np.where(np.isnan(highs), middle, highs)

    return basis


#: basis name → (factor table, function giving the basis's low and high for rows of it)
BASES: dict[str, tuple[str, Basis]] = {
    "category_power": ("devices", _power),
    "category_annual_energy": ("devices", _pair("annual_low_kwh", "annual_high_kwh", "annual_kwh")),
    "category_lifespan": ("devices", _pair("lifespan_years", "lifespan_years", "lifespan_years")),
    "category_use_hours": (
        "devices",
        _pair("use_hours_per_year", "use_hours_per_year", "use_hours_per_year"),
    ),
    "category_manufacture": (
        "devices",
        _pair("manufacture_low_kgco2e", "manufacture_high_kgco2e", "manufacture_kgco2e"),
    ),
    "accelerator_power": ("accelerators", _pair("power_low_w", "power_high_w", "power_w")),
}


@dataclass(frozen=True)
class Range:
    """The plausible range of each row's value (NaN: no bound on that side), in ``unit``."""

    quantity: str
    low: np.ndarray
    high: np.ndarray
    unit: str


def reference_table(factors: FactorSet, name: str) -> pd.DataFrame:
    """A factor table with greenit's packaged rows in place of those a user's table replaced."""
    table = factors.table(name)
    packaged = getattr(factors, "replaced", {}).get(name)
    if packaged is None or packaged.empty:
        return table
    return pd.concat([packaged, table[~table.index.isin(packaged.index)]])


def rule(factors: FactorSet, quantity: str) -> pd.Series | None:
    """The row of ``plausibility.csv`` for ``quantity`` (None when the tables have none)."""
    table = factors.tables.get("plausibility")
    if table is None or quantity not in table.index:
        return None
    return table.loc[quantity]


def bounds(
    factors: FactorSet, quantity: str, keys: pd.Series | np.ndarray | None = None, n: int = 0
) -> Range:
    """The range of ``quantity`` for each row, whose category (or accelerator) is ``keys``.

    An absolute rule needs no keys (``n`` rows). A relative one multiplies its basis — the low
    and high of the row's own factor row — by the rule's ``min`` and ``max``; a row whose key
    has no factor row, or whose basis is 0, has no bound there.
    """
    size = len(keys) if keys is not None else n
    found = rule(factors, quantity)
    if found is None:
        return Range(quantity, np.full(size, np.nan), np.full(size, np.nan), "")
    unit = found["unit"] if isinstance(found.get("unit"), str) else ""
    lowest, highest = float(found["min"]), float(found["max"])
    if found["basis"] == "absolute" or keys is None:
        low, high = np.full(size, lowest), np.full(size, highest)
        return Range(
            quantity, _cap(low, found.get("lowest"), np.fmax), _cap(high, found.get("highest"), np.fmin), unit
        )
    name, basis = BASES[found["basis"]]
    table = reference_table(factors, name)
    series = keys if isinstance(keys, pd.Series) else pd.Series(np.asarray(keys, dtype=object))
    low, high = basis(table, positions_in(table, series.reset_index(drop=True)))
    if found["basis"] == "category_power":
        low, high = _rated(factors, series.reset_index(drop=True), low, high)
    low = np.where(low > 0, low * lowest, np.nan)
    high = np.where(high > 0, high * highest, np.nan)
    return Range(
        quantity, _cap(low, found.get("lowest"), np.fmax), _cap(high, found.get("highest"), np.fmin), unit
    )


#: categories whose power column is the rating of the load they carry, not their own draw: a
#: UPS's energy is its losses, a share of that load (greenit.inventory.room); their power basis
#: is the rated power of ``parameters.csv`` (FEMP's 300 W test unit), not their losses' watts
RATED_POWER = {"ups": "ups_rated_power"}


def _rated(factors: FactorSet, keys: pd.Series, low: np.ndarray, high: np.ndarray):
    """``low`` and ``high`` with the rated power in place for the categories of RATED_POWER."""
    parameters = reference_table(factors, "parameters")
    for category, name in RATED_POWER.items():
        if name in parameters.index:
            where = (keys == category).to_numpy()
            low = np.where(where, float(parameters.loc[name, "low"]), low)
            high = np.where(where, float(parameters.loc[name, "high"]), high)
    return low, high


def _cap(values: np.ndarray, limit: object, combine) -> np.ndarray:
    """``values`` held by an absolute limit of the rule (NaN: none); a missing value takes it."""
    if not isinstance(limit, (int, float)) or pd.isna(limit):
        return values
    return combine(values, float(limit))


def outside(values: np.ndarray, span: Range) -> np.ndarray:
    """Where a value (not NaN) lies outside its range."""
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        below = values < span.low
        above = values > span.high
    return ~np.isnan(values) & (below | above)


def implausible(
    values: np.ndarray,
    span: Range,
    *,
    column: str,
    cells: pd.Series,
    keys: pd.Series | None = None,
    names: dict | None = None,
    slips: bool = True,
) -> tuple[np.ndarray, list[Message]]:
    """The rows outside their range, and for each a message: the cell as written, what it was
    read as, the range (with the row's category or accelerator, ``names[key]``, when given) and
    the likely slip (none sought when ``slips`` is false: a unit the header states was taken).

    Messages are built once per distinct (cell, range, name) of the flagged rows only.
    """
    mask = outside(values, span)
    if not mask.any():
        return mask, []
    values = np.asarray(values, dtype=float)[mask]
    shown = pd.Series(cells).reset_index(drop=True)[mask].tolist()
    if keys is not None and names is not None:
        row_keys = pd.Series(keys).reset_index(drop=True)[mask].astype(object).tolist()
        labels = [names.get(k) if isinstance(k, str) else None for k in row_keys]
    else:
        labels = [None] * len(values)
    cache: dict[tuple, Message] = {}
    messages = []
    for value, cell, low, high, label in zip(
        values, shown, span.low[mask], span.high[mask], labels, strict=True
    ):
        key = (value, str(cell), low, high, label)
        if key not in cache:
            cache[key] = _message(span, column, cell, value, low, high, label, slips)
        messages.append(cache[key])
    return mask, messages


#: the units of plausibility.csv as people read them (a catalogue entry, or the symbol itself)
UNIT_WORDS = {
    "kWh/year": "plausibility.unit.kwh_year",
    "year": "plausibility.unit.years",
    "hour": "plausibility.unit.hours",
    "hour/year": "plausibility.unit.hours_year",
    "tokens": "plausibility.unit.tokens",
    "devices": "plausibility.unit.devices",
    "accelerators": "plausibility.unit.accelerators",
}


def unit_word(unit: str) -> Joined | str:
    """A unit of ``plausibility.csv`` in the reader's language, after a no-break space
    (`` kWh/an``, `` ans``), as messages put it after a figure; "" for a count.
    """
    if not unit:
        return ""
    return Joined((Verbatim(""), msg(UNIT_WORDS[unit]) if unit in UNIT_WORDS else Verbatim(unit)), "\u00a0")


def slip_cause(quantity: str, value: float, low: float, high: float, unit: object) -> Message:
    """What most likely put ``value`` outside [low, high] (:func:`greenit.parsing.slips.likely_slip`)
    with the value it would then be, in ``unit``; « vérifiez la valeur et son unité » when no slip
    of ``quantity`` explains it.
    """
    slip = likely_slip(quantity, value, low, high)
    if slip is None:
        return msg("plausibility.cause.unknown")
    return msg(f"plausibility.cause.{slip[0]}", corrected=slip[1], unit=unit)


def _message(
    span: Range, column: str, cell, value: float, low: float, high: float, label, slips: bool = True
) -> Message:
    unit = unit_word(span.unit)
    cause = slip_cause(span.quantity, value, low, high, unit) if slips else msg("plausibility.cause.unknown")
    where = msg("plausibility.range.between", low=low, high=high, unit=unit)
    if np.isnan(low):
        where = msg("plausibility.range.at_most", high=high, unit=unit)
    elif np.isnan(high):
        where = msg("plausibility.range.at_least", low=low, unit=unit)
    text = "" if cell is None or (isinstance(cell, float) and np.isnan(cell)) else str(cell)[:60]
    params = dict(column=column, value=text, reading=value, unit=unit, range=where, cause=cause)
    if label is not None:
        return msg("plausibility.outside_for", category=label, **params)
    return msg("plausibility.outside", **params)


def category_names(factors: FactorSet) -> dict[str, Bilingual]:
    """Each category's :class:`Bilingual` label, as messages name it."""
    return row_labels(factors.devices)


#: the quantities of the inventory ranges, as the methodology lists them per category
CATEGORY_QUANTITIES = ("power", "annual_energy", "lifespan", "use_hours", "manufacture")


def category_ranges(factors: FactorSet) -> pd.DataFrame:
    """Each category's plausible range of every inventory quantity (``<quantity>_min``/``_max``)."""
    categories = pd.Series(factors.devices.index, dtype=object)
    columns: dict[str, np.ndarray] = {}
    for quantity in CATEGORY_QUANTITIES:
        span = bounds(factors, quantity, categories)
        columns[f"{quantity}_min"], columns[f"{quantity}_max"] = span.low, span.high
    return pd.DataFrame(columns, index=factors.devices.index)


#: the figures of a user's device rows checked against greenit's range for the same category:
#: column → quantity of plausibility.csv (low and high columns checked with their central one)
OVERLAY_CHECKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "manufacture": (
        "manufacture",
        ("manufacture_kgco2e", "manufacture_low_kgco2e", "manufacture_high_kgco2e"),
    ),
    "annual_energy": ("annual_energy", ("annual_kwh", "annual_low_kwh", "annual_high_kwh")),
    "lifespan": ("lifespan", ("lifespan_years",)),
    "use_hours": ("use_hours", ("use_hours_per_year",)),
}


def overlay_problems(factors: FactorSet) -> list[Message]:
    """A user's rows that no device of their category could have (a laptop made for 0.18
    kgCO2e: tonnes typed as kilograms), checked against greenit's own rows for that category;
    and generative-AI models whose active parameters exceed their total.
    """
    problems: list[Message] = []
    replaced = factors.replaced.get("devices")
    if replaced is not None and not replaced.empty and "devices" in factors.tables:
        user = factors.devices.loc[factors.devices.index.isin(replaced.index)]
        keys = pd.Series(user.index, dtype=object)
        for quantity, columns in OVERLAY_CHECKS.values():
            span = bounds(factors, quantity, keys)
            for column in columns:
                if column in user.columns:
                    problems += _overlay_outside(user, column, span)
    models = factors.tables.get("genai_models")
    if models is not None and {"total_parameters_billion", "active_parameters_billion"} <= set(
        models.columns
    ):
        above = models["active_parameters_billion"] > models["total_parameters_billion"]
        for key in models.index[above.fillna(False).to_numpy(dtype=bool)]:
            problems.append(
                msg(
                    "plausibility.overlay.active_above_total",
                    key=key,
                    active=float(models.at[key, "active_parameters_billion"]),
                    total=float(models.at[key, "total_parameters_billion"]),
                )
            )
    return problems


def _overlay_outside(user: pd.DataFrame, column: str, span: Range) -> list[Message]:
    values = user[column].to_numpy(dtype=float)
    problems = []
    for position in np.flatnonzero(outside(values, span)):
        value, low, high = values[position], span.low[position], span.high[position]
        unit = unit_word(span.unit)
        cause = slip_cause(span.quantity, value, low, high, unit)
        problems.append(
            msg(
                "plausibility.overlay.outside",
                key=user.index[position],
                column=column,
                value=value,
                low=low,
                high=high,
                unit=unit,
                cause=cause,
            )
        )
    return problems
