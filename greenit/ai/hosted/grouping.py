"""A large usage log aggregated as it is read: identical rows become one, their counts summed.

A request-level log of a year (a million lines) repeats a few thousand combinations of service,
model, day and place. Estimating each line apart costs gigabytes and gives the same figure:
EcoLogits' energy of a request is linear in the tokens it generates, so a group's requests and
tokens summed give the group's impacts exactly. So, from :data:`GROUP_FROM_ROWS` lines on, the
rows that agree on everything but their counts are summed into one (its first line's number kept,
the count of lines noted), before anything is estimated:

- rows with a reason stay apart from the others, grouped only with rows of the very same reason
  (so that every line is still estimated or flagged with its reason, counted);
- rows that carry their own id (a saved response) or the provider's own impacts are never
  grouped: the duplicate check and the comparison with the provider need them one by one;
- a count missing on a row keeps it apart from rows where it is given (never summed as 0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.flags import Flags
from greenit.i18n import msg

#: From this many rows in one usage log, identical rows are summed as read.
GROUP_FROM_ROWS = 50_000
_COUNTS = ("requests", "input_tokens", "output_tokens")
_LINE = ("row", "line")
#: A request's time is grouped by its day: a log stamped to the second repeats no timestamp.
_PERIOD = ("period", "period_start", "period_end")


def group_usage(usage: pd.DataFrame) -> pd.DataFrame:
    """``usage`` (a normalised usage frame with its periods) with identical rows summed; the
    frame itself when it is small or nothing repeats. ``attrs["grouped"]`` = lines summed away.
    """
    if len(usage) < GROUP_FROM_ROWS:
        return usage
    alone = _kept_alone(usage)
    codes = _key_codes(usage)
    codes[alone] = -1 - np.flatnonzero(alone)  # a group of its own each
    group = pd.factorize(codes)[0]
    if group.max() + 1 == len(usage):
        return usage
    first = pd.Series(np.arange(len(usage))).groupby(group, sort=False).first().to_numpy()
    out = usage.iloc[first].reset_index(drop=True)
    grouped = pd.Series(group)
    for column in _COUNTS:
        if column in usage.columns:
            out[column] = usage[column].groupby(group, sort=False).sum(min_count=1).to_numpy()
    sizes = grouped.groupby(group, sort=False).size().to_numpy()
    out["lines"] = sizes  # each row stands for this many lines (coverage is counted in lines)
    notes = Flags(len(out))
    if "notes" in out.columns:
        notes.add_column(out["notes"])
    for position in np.flatnonzero(sizes > 1).tolist():
        notes.add_at(position, msg("formats.usage.grouped_rows", n=int(sizes[position])))
    out["notes"] = notes.column()
    out.attrs = dict(usage.attrs)
    out.attrs["file_notes"] = [
        *(usage.attrs.get("file_notes") or []),
        msg("formats.usage.grouped", rows=len(usage), groups=len(out)),
    ]
    return out


def _kept_alone(usage: pd.DataFrame) -> np.ndarray:
    """Rows never summed with others: a response id, or the provider's own impacts."""
    alone = np.zeros(len(usage), dtype=bool)
    if "response_id" in usage.columns:
        alone |= usage["response_id"].notna().to_numpy()
    for column in usage.columns:
        if column.startswith("given_"):
            alone |= usage[column].notna().to_numpy()
    return alone


def _day_parts(usage: pd.DataFrame) -> list[np.ndarray]:
    """The first and last day of each row's period (a timestamp, a day, a month…), as codes;
    the period's text itself when no period was read from it.
    """
    if "period_start" not in usage.columns or "period_end" not in usage.columns:
        return [pd.factorize(usage["period"])[0].astype(np.int64)] if "period" in usage.columns else []
    start = pd.to_datetime(usage["period_start"]).dt.floor("D")
    last = (pd.to_datetime(usage["period_end"]) - pd.Timedelta(1, "ns")).dt.floor("D")
    last = last.where(last >= start, start)  # an instant: its own day
    parts = [pd.factorize(start)[0].astype(np.int64), pd.factorize(last)[0].astype(np.int64)]
    undated = usage["period_start"].isna().to_numpy()
    if undated.any() and "period" in usage.columns:  # a text no period was read from: kept apart
        parts.append(np.where(undated, pd.factorize(usage["period"])[0], -1).astype(np.int64))
    return parts


def _key_codes(usage: pd.DataFrame) -> np.ndarray:
    """One integer per distinct combination of every column but the counts and the line."""
    parts = _day_parts(usage)
    for column in usage.columns:
        if column in _COUNTS or column in _LINE or column in _PERIOD:
            continue
        values = usage[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            parts.append(values.cat.codes.to_numpy().astype(np.int64))
        else:
            parts.append(pd.factorize(values, use_na_sentinel=True)[0].astype(np.int64))
    for column in _COUNTS:  # a missing count is no zero: such rows apart
        if column in usage.columns:
            parts.append(usage[column].isna().to_numpy().astype(np.int64))
    key = np.zeros(len(usage), dtype=np.int64)
    for part in parts:  # combined one column at a time, renumbered: never overflows
        combined = key * (int(part.max(initial=0)) + 2) + (part + 1)
        key = pd.factorize(combined)[0].astype(np.int64)
    return key
