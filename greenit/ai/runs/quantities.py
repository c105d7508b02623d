"""The numbers of an AI log → floats in canonical units; each bad or implausible cell flagged.

What the log gives is used or flagged, never silently replaced: a cell that is not a number
(``abc``, ``nan``), a negative one, or one outside the plausible range of
:mod:`greenit.ai.runs.limits` (``1e309``, a PUE of 0.5) flags its run with the reason, and the run
is not estimated. Only explicit "not available" markers (``n/a``, ``NC``, ``-``) count as empty.

Conventions of the field kept here: a bare utilisation above 1 is a percentage (``85`` →
0.85); a bare carbon intensity above 1 is in gCO2e/kWh (``57`` → 0.057 kgCO2e/kWh), below in
kg. A unit in the cell or the header is always taken as written.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from greenit.ai.runs.columns import RUN_QUANTITIES
from greenit.ai.runs.limits import PLAUSIBLE
from greenit.flags import Flags
from greenit.i18n import msg
from greenit.i18n.formats import Number
from greenit.parsing.durations import duration_hours
from greenit.parsing.headers import HeaderMatch
from greenit.parsing.numerals import file_mark
from greenit.parsing.slips import likely_slip
from greenit.parsing.text import fold
from greenit.parsing.units import ParsedColumn, parse_quantity_column

#: cells that say "no value" in so many words (folded)
MISSING_MARKERS = frozenset(
    {"", "n a", "na", "n c", "nc", "n d", "nd", "non communique", "non renseigne", "inconnu", "unknown"}
    | {"none", "null", "sans objet", "s o"}
)
_BARE_NUMBER = re.compile(r"^\s*[-+]?\d[\d\s\u00a0\u202f'.,]*(?:[eE][-+]?\d+)?\s*$")


def blank_missing(cells: pd.Series) -> pd.Series:
    """The column with ``n/a``-style markers (and blank text) turned into missing values."""
    if pd.api.types.is_numeric_dtype(cells.dtype):
        return cells
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    missing = np.array(
        [isinstance(u, str) and fold(u) in MISSING_MARKERS for u in uniques] + [True], dtype=bool
    )
    return cells.where(~missing[np.where(codes >= 0, codes, len(uniques))])


def _bare_numbers(cells: pd.Series) -> np.ndarray:
    """Which cells are a number without a unit."""
    if pd.api.types.is_numeric_dtype(cells.dtype):
        return cells.notna().to_numpy()
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    bare = [not isinstance(u, str) or bool(_BARE_NUMBER.match(u)) for u in uniques]
    return np.array(bare + [False], dtype=bool)[np.where(codes >= 0, codes, len(uniques))]


def _durations(cells: pd.Series, parsed: ParsedColumn, *, minutes_seconds: bool) -> ParsedColumn:
    """``3h30``, ``01:30:00``, ``1-02:30:00``… where the unit layer saw no single quantity."""
    if pd.api.types.is_numeric_dtype(cells.dtype):
        return parsed
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    hours = np.array(
        [duration_hours(u, minutes_seconds=minutes_seconds) if isinstance(u, str) else None for u in uniques]
        + [None],
        dtype=float,
    )[np.where(codes >= 0, codes, len(uniques))]
    read = ~np.isnan(hours)
    errors = np.where(read, np.full(len(read), None, dtype=object), parsed.errors)
    return ParsedColumn(np.where(read, hours, parsed.values), errors, parsed.bad & ~read)


#: the quantities that count whole things: a cell that reads two ways (``1.000``) is thousands
COUNTED = frozenset({"accelerator_count", "cpu_cores", "requests"})


def read_quantity(
    raw: pd.DataFrame,
    match: HeaderMatch,
    canonical: str,
    flags: Flags,
    *,
    slurm_clock: bool = False,
    notes: Flags | None = None,
    mark: str | None = None,
) -> np.ndarray:
    """One canonical quantity of the log in its run unit; bad and implausible cells flagged, NaN."""
    column, target = RUN_QUANTITIES[canonical]
    cells = blank_missing(raw[match.header])
    parsed = parse_quantity_column(
        cells, target, header_unit=match.unit, name=match.header, counts=canonical in COUNTED, file_mark=mark
    )
    if notes is not None and parsed.notes is not None:
        notes.add(~parsed.bad, parsed.notes)
    if canonical == "duration":
        parsed = _durations(cells, parsed, minutes_seconds=slurm_clock)
    values = parsed.values
    bare_above_1 = _bare_numbers(cells) & (values > 1) if match.unit is None else np.zeros(len(values), bool)
    if canonical == "duration" and match.unit is None and notes is not None:
        # a bare number is hours, the column's unit: said, seconds and minutes look alike
        bare = _bare_numbers(cells) & ~parsed.bad
        notes.add(bare, msg("units.bare_hours", column=match.header))
    if canonical == "utilisation":  # "85" is 85 %; "150 %" stays 1.5, and is flagged
        values = np.where(bare_above_1, values / 100, values)
    elif canonical == "carbon_intensity":  # "57" is 57 gCO2e/kWh
        values = np.where(bare_above_1, values / 1000, values)
    flags.add(parsed.bad, parsed.errors)
    implausible = _implausible(values, column) & ~parsed.bad
    slips = None if stated_duration(match) else SLIP_QUANTITIES.get(column)
    _flag_implausible(flags, implausible, values, cells, column, match.header, slips)
    return np.where(parsed.bad | implausible, np.nan, values)


def stated_duration(match: HeaderMatch) -> bool:
    """A duration whose header gives its unit (W&B's Runtime in seconds, « Durée (min) »): it was
    read in that unit, so « des secondes ? » would convert it a second time.
    """
    return match.column == "duration" and match.unit is not None


#: run column → the quantity whose unit slips explain a value beyond the hard limits
SLIP_QUANTITIES = {
    "hours": "run_duration",
    "accelerator_power_w": "accelerator_power",
    "power_w": "accelerator_power",
    "cpu_power_w": "accelerator_power",
    "energy_kwh": "annual_energy",
    "pue": "pue",
}


def _implausible(values: np.ndarray, column: str) -> np.ndarray:
    bounds = PLAUSIBLE[column]
    with np.errstate(invalid="ignore"):
        inside = (values >= bounds.low) & (values <= bounds.high)
        if bounds.zero_ok:
            inside |= values == 0
    return ~np.isnan(values) & ~inside


def _flag_implausible(
    flags: Flags,
    mask: np.ndarray,
    values: np.ndarray,
    cells: pd.Series,
    column: str,
    header: str,
    slips: str | None,
) -> None:
    if not mask.any():
        return
    bounds = PLAUSIBLE[column]
    if column == "pue":
        below = mask & (values < 1)
        flags.add(below, msg("ai.flag.pue_below_1", column=header))
        mask = mask & ~below
    if column == "utilisation":
        flags.add(mask, msg("ai.flag.utilisation_above_100", column=header))
        return
    params = dict(
        column=header,
        low=_bound(bounds.low),
        high=_bound(bounds.high),
        unit=f" {bounds.unit}" if bounds.unit else "",
    )
    cache: dict[tuple, object] = {}
    messages = []
    for value, cell in zip(values[mask], cells.reset_index(drop=True)[mask].tolist(), strict=True):
        key = (value, str(cell))
        if key not in cache:
            slip = likely_slip(slips, value, bounds.low, bounds.high) if slips else None
            shown = "" if pd.isna(cell) else str(cell)
            cache[key] = (
                msg(
                    "plausibility.hard_limit",
                    value=shown,
                    cause=msg(f"plausibility.cause.{slip[0]}", corrected=slip[1], unit=params["unit"]),
                    **params,
                )
                if slip
                else msg("ai.flag.implausible", value=shown, **params)
            )
        messages.append(cache[key])
    flags.add(mask, messages, masked=True)


def _bound(value: float) -> Number:
    """A range end as people write it: ``1``, ``0.1``, ``100,000`` (no trailing zeros)."""
    return Number(value, decimals=0 if value == int(value) else None, significant=1)


def read_quantities(
    raw: pd.DataFrame,
    headers: dict[str, HeaderMatch],
    flags: Flags,
    *,
    slurm_clock: bool = False,
    notes: Flags | None = None,
) -> dict[str, np.ndarray]:
    """Every quantity column of the runs frame (NaN where the log does not give it), each read
    with one decimal mark: its own cells', else the log's other quantity columns'.
    """
    present = {c: headers[c] for c in RUN_QUANTITIES if c in headers}
    mark = file_mark(
        [u for u in pd.unique(raw[m.header]) if isinstance(u, str)]
        for m in present.values()
        if not pd.api.types.is_numeric_dtype(raw[m.header].dtype)
    )
    out = {}
    for canonical, (column, _) in RUN_QUANTITIES.items():
        match = present.get(canonical)
        out[column] = (
            np.full(len(raw), np.nan)
            if match is None
            else read_quantity(raw, match, canonical, flags, slurm_clock=slurm_clock, notes=notes, mark=mark)
        )
    return out
