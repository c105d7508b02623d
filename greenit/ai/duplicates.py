"""The same run or response read twice in AI logs: counted once, the repeat flagged with a note.

An OpenAI export passed twice is refused as a copy (:func:`greenit.parsing.duplicates.file_copies`);
what is left is the same thing under one id in two places: a run logged in two files (its id
and its start), a chat response saved twice (its response id), a usage bucket of one service,
model and period in two overlapping exports. The first is counted; each repeat is flagged
« même exécution que journal.csv ligne 4 (identifiant r-12) : comptée une seule fois » — kept
in every output, counted in no total. Ids greenit made up (``journal.csv#4``) say nothing, a
Slurm job's steps are their job's, and rows already flagged are left as they are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.flags import Flags
from greenit.i18n import Verbatim, msg

#: usage columns whose values together name one bucket of an export (no id of its own)
BUCKET_KEY = (
    "service",
    "provider_label",
    "model_label",
    "period",
    "requests",
    "input_tokens",
    "output_tokens",
)


#: what a run is: two rows of one id that agree on all of it are the same run logged twice; rows of
#: one id that differ in any are different runs (DESIGN: rows are never merged on read)
RUN_KEY = (
    "run_id",
    "project",
    "started_at",
    "ended_at",
    "hours",
    "accelerator_hours",
    "accelerator_label",
    "accelerator_count",
    "energy_kwh",
    "power_w",
    "emissions_kgco2e",
    "requests",
)


def flag_repeated_runs(runs: pd.DataFrame) -> None:
    """Flag the runs that repeat an earlier one — same id, same start, duration and figures (in place)."""
    ids = runs["run_id"].astype("string")
    auto = runs["file"].astype(str).str.rsplit("/", n=1).str[-1] + "#" + runs["row"].astype(str)
    made_up = (ids == auto.astype("string")).fillna(True).to_numpy(dtype=bool)
    steps = runs["part_of"].notna().to_numpy() if "part_of" in runs.columns else np.zeros(len(runs), bool)
    open_rows = runs["reason"].isna().to_numpy() & ~made_up & ~steps
    key = runs[[c for c in RUN_KEY if c in runs.columns]].astype("string").fillna("\0")
    _flag(runs, key, open_rows, "run", ids)


def flag_repeated_usage(usage: pd.DataFrame) -> None:
    """Flag the usage rows that repeat an earlier response (its id) or, across files, an earlier
    bucket (same service, model, period and counts) — in place.
    """
    open_rows = usage["reason"].isna().to_numpy()
    ids = usage["response_id"].astype("string") if "response_id" in usage.columns else None
    if ids is not None and ids.notna().any():
        with_id = ids.notna().to_numpy()
        _flag(usage, pd.DataFrame({"id": ids}), open_rows & with_id, "response", ids)
        open_rows = usage["reason"].isna().to_numpy() & ~with_id
    columns = [c for c in BUCKET_KEY if c in usage.columns]
    if usage["file"].nunique() < 2 or not columns:
        return  # one file: identical rows may be requests alike, not a copy
    key = usage[columns].astype("string").fillna("\0")
    names = usage["run_id"].astype("string") if "run_id" in usage.columns else usage["row"].astype("string")
    _flag(usage, key, open_rows, "usage", names, across_files=True)


def _flag(frame, key: pd.DataFrame, rows: np.ndarray, what: str, ids: pd.Series, across_files=False) -> None:
    """Flag the rows among ``rows`` whose key an earlier one of them had (in another file only,
    with ``across_files``), naming where it was first.
    """
    positions = np.flatnonzero(rows)
    if len(positions) < 2:
        return
    subset = key.iloc[positions].reset_index(drop=True)
    groups = subset.groupby(list(subset.columns), sort=False, dropna=False).ngroup().to_numpy()
    first_of_group = pd.Series(positions).groupby(groups).transform("first").to_numpy()
    repeated = first_of_group != positions
    files, lines = frame["file"].astype(str).to_numpy(), frame["line"].to_numpy()
    if across_files:
        repeated &= files[first_of_group] != files[positions]
    if not repeated.any():
        return
    flags = Flags(len(frame))
    flags.add_column(frame["reason"])
    for repeat, origin in zip(positions[repeated].tolist(), first_of_group[repeated].tolist(), strict=True):
        flags.add_at(
            repeat,
            msg(
                "duplicates.run",
                what=msg(f"duplicates.what.{what}"),
                file=Verbatim(files[origin].rsplit("/", 1)[-1]),
                line=int(lines[origin]),
                id=Verbatim(str(ids.iloc[repeat])),
            ),
        )
    frame["reason"] = flags.column()
