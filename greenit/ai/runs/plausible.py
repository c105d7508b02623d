"""Each value of an AI run log checked against its plausible range (``plausibility.csv``).

A step of :func:`greenit.ai.runs.normalise.normalise_workloads`, once the accelerators are
known: a run's duration (at most a year: « 54 000 h : des secondes ? »), its accelerator count,
each accelerator's power against its model's own board power, and the average power a measured
energy implies per accelerator (energy in Wh read as kWh, a duration in minutes read as hours).
A value outside flags its run with the likely slip and is never used
(:mod:`greenit.factors.plausible`); the hard limits of :mod:`greenit.ai.runs.limits` came first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.ai.runs.quantities import stated_duration
from greenit.factors import FactorSet
from greenit.factors.plausible import Range, bounds, implausible, outside, slip_cause, unit_word
from greenit.flags import Flags
from greenit.i18n import msg
from greenit.parsing.headers import HeaderMatch

#: run column → (canonical log column its cells come from, quantity of plausibility.csv)
CHECKED = {
    "hours": ("duration", "run_duration"),
    "accelerator_count": ("accelerator_count", "accelerator_count"),
    "pue": ("pue", "pue"),
}


def check_plausible(
    raw: pd.DataFrame, headers: dict[str, HeaderMatch], out: pd.DataFrame, factors: FactorSet, flags: Flags
) -> None:
    """Flag the runs whose log-given values no run could have (a step's line is its job's)."""
    own = out["part_of"].isna().to_numpy() if "part_of" in out.columns else np.ones(len(out), bool)
    for column, (canonical, quantity) in CHECKED.items():
        match = headers.get(canonical)
        if match is None:
            continue
        values = np.where(own, out[column].to_numpy(dtype=float), np.nan)
        span = bounds(factors, quantity, n=len(out))
        slips = not stated_duration(match)  # W&B's Runtime was read in seconds: no « des secondes ? »
        mask, messages = implausible(values, span, column=match.header, cells=raw[match.header], slips=slips)
        flags.add(mask, messages, masked=True)
    match = headers.get("accelerator_power")
    if match is not None:
        values = np.where(own, out["accelerator_power_w"].to_numpy(dtype=float), np.nan)
        span = bounds(factors, "accelerator_power", out["accelerator"])
        names = {key: key for key in factors.table("accelerators").index}
        mask, messages = implausible(
            values, span, column=match.header, cells=raw[match.header], keys=out["accelerator"], names=names
        )
        flags.add(mask, messages, masked=True)
    _run_power(raw, headers, out, factors, flags, own)


def _run_power(raw, headers, out: pd.DataFrame, factors: FactorSet, flags: Flags, own: np.ndarray) -> None:
    """A measured energy over the run's duration, per accelerator: kilowatts a board cannot draw."""
    match = headers.get("energy")
    if match is None or "duration" not in headers:
        return
    count = out["accelerator_count"].to_numpy(dtype=float)
    hours = out["hours"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        watts = out["energy_kwh"].to_numpy(dtype=float) * 1000 / hours / count
    watts = np.where(own & (count > 0) & (hours > 0), watts, np.nan)
    span = bounds(factors, "run_power", n=len(out))
    mask = outside(watts, span)
    if not mask.any():
        return
    cells = raw[match.header].reset_index(drop=True)[mask].tolist()
    messages = [
        _power_message(span, match.header, cell, energy, h, n, w)
        for cell, energy, h, n, w in zip(
            cells, out["energy_kwh"].to_numpy()[mask], hours[mask], count[mask], watts[mask], strict=True
        )
    ]
    flags.add(mask, messages, masked=True)


def _power_message(span: Range, column: str, cell, energy: float, hours: float, count: float, watts: float):
    high = float(span.high[0])
    cause = slip_cause("run_power", watts, np.nan, high, unit_word("W"))
    return msg(
        "plausibility.run_power",
        column=column,
        value=str(cell)[:60],
        energy=energy,
        hours=hours,
        count=count,
        power=watts,
        high=high,
        cause=cause,
    )
