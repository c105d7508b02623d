"""sacct lines → one row per job: the job line's values, its steps' only where it lacks one.

sacct prints a job allocation line (``812345``) and one line per step run inside it
(``812345.batch``, ``812345.extern``, ``812345.0``); a heterogeneous job prints one line per
component (``812400+0``, ``812400+1``), each an allocation of its own. sacct's meaning:

- the allocation line holds what the job was given (``AllocTRES``) and for how long
  (``Elapsed``, from the allocation's start to its end), and the job's ``State``; a step's
  ``Elapsed`` is only the time that step ran, its ``AllocTRES`` the part of the allocation it
  used (``.batch`` runs on the first node only). So a job's values are its line's; a value
  that line lacks is taken from its steps (the largest: ``.extern`` spans the whole
  allocation), the earliest start;
- a heterogeneous job's components ran side by side: their GPUs, CPUs and memory add up,
  its duration is the longest, its GPU-hours the sum of each component's. Components on
  different GPU models stay one run each (a run has one model);
- steps whose job line is not in the file (a filtered export) make one run of that job,
  from their values, noted.

Every line is accounted for: a job's lines other than its own (steps, further components)
are listed in its ``steps`` column and counted in ``step_rows``.

References
----------
SchedMD, *sacct* manual page (Slurm 23.11): ``Elapsed``, ``AllocTRES``, ``State``; job steps.
SchedMD, *Heterogeneous Job Support* (``<het_job_id>+<offset>``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_SUMMED = ("accelerator_count", "cpu_cores", "memory (GB)")  # over a het job's components
_TEXT = ("account", "name", "accelerator", "accelerator_origin", "partition", "state", "file")


def job_keys(ids: pd.Series, models: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """(the run each line belongs to, whether the line is a step).

    A step (``12.batch``, ``12+1.0``) belongs to its job; a heterogeneous component
    (``12+1``) to its job ``12`` unless the components name different GPU models.

    >>> keys, steps = job_keys(pd.Series(["12", "12.batch", "13+0", "13+1", "13+1.0", "14_2.0"]),
    ...                        pd.Series([None] * 6))
    >>> keys.tolist(), steps.tolist()
    (['12', '12', '13', '13', '13', '14_2'], [False, True, False, False, True, True])
    """
    ids = ids.astype("string").str.strip()
    component = ids.str.split(".", n=1).str[0]
    job = component.str.split("+", n=1).str[0]
    step = ids.str.contains(".", regex=False).fillna(False).to_numpy(dtype=bool)
    het = (~step & component.str.contains("+", regex=False).fillna(False)).to_numpy(dtype=bool)
    distinct = models[het].groupby(job[het].to_numpy()).nunique()
    split = job.isin(distinct.index[distinct > 1]).to_numpy(dtype=bool)
    key = pd.Series(np.where(split, component, job), index=ids.index, dtype="string")
    return key.fillna(ids), step


def _numbers(lines: pd.DataFrame) -> pd.DataFrame:
    numbers = lines[list(_SUMMED)].astype(float)
    numbers["hours"] = pd.to_numeric(lines["duration (h)"], errors="coerce")
    numbers["accelerator_hours"] = numbers["hours"] * numbers["accelerator_count"]
    return numbers


def _allocations(lines: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    """Per job, from its allocation lines (one, or a het job's components)."""
    numbers = _numbers(lines)
    grouped = numbers.groupby(key.to_numpy(), sort=False)
    out = grouped[list(_SUMMED)].sum(min_count=1)
    out["hours"] = grouped["hours"].max()
    several = grouped.size() > 1
    out["accelerator_hours"] = grouped["accelerator_hours"].sum(min_count=1).where(several)
    text = lines[[*_TEXT, "started_at", "run_id", "row", "line", "duration (h)"]]
    firsts = text.groupby(key.to_numpy(), sort=False).first()
    out["started_at"] = lines["started_at"].groupby(key.to_numpy(), sort=False).min()
    return out.join(firsts.drop(columns="started_at"))


def _from_steps(lines: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    """Per job, from its steps: the largest quantities, the earliest start, the first texts."""
    numbers = _numbers(lines).drop(columns="accelerator_hours")
    grouped = numbers.groupby(key.to_numpy(), sort=False)
    out = grouped.max()
    texts = lines[[*_TEXT, "row", "line"]].groupby(key.to_numpy(), sort=False).first()
    out["started_at"] = lines["started_at"].groupby(key.to_numpy(), sort=False).min()
    return out.join(texts)


def _merged_lines(lines: pd.DataFrame, key: pd.Series, step: np.ndarray) -> pd.DataFrame:
    """Per job, the JobIDs of its lines other than its own (first allocation) line, and how many."""
    heads = pd.Series(key[~step].to_numpy(), index=lines.index[~step])
    other = ~lines.index.isin(heads[~heads.duplicated()].index)
    grouped = lines["run_id"][other].groupby(key[other].to_numpy(), sort=False)
    return pd.DataFrame({"steps": grouped.agg(", ".join), "step_rows": grouped.size()})


def one_row_per_job(lines: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`greenit.ai.slurm.sacct_lines` merged into one per job, in file order.

    Adds ``steps`` (the other lines' JobIDs), ``step_rows`` (how many) and ``job_line`` (False
    where the job's own line is not in the file and its steps stand for it).
    """
    key, step = job_keys(lines["run_id"], lines["accelerator"])
    order = pd.unique(key.to_numpy())
    heads = _allocations(lines[~step], key[~step]).reindex(order)
    steps = _from_steps(lines[step], key[step]).reindex(order)
    out = heads.drop(columns=["duration (h)"]).combine_first(steps)
    out = out.reindex(columns=[c for c in heads.columns if c != "duration (h)"])
    given = heads["duration (h)"].where(heads["hours"].isna())  # a bad cell: kept, to be flagged
    out["duration (h)"] = heads["hours"].astype(object).where(heads["hours"].notna(), given)
    out["duration (h)"] = out["duration (h)"].where(out["duration (h)"].notna(), steps["hours"])
    out["run_id"] = pd.Series(order, index=order, dtype="string")
    merged = _merged_lines(lines, key, step).reindex(order)
    out["steps"] = merged["steps"].astype("string")
    out["step_rows"] = merged["step_rows"].fillna(0).astype(np.int64)
    out["job_line"] = heads["row"].notna().to_numpy()
    out.loc[~out["job_line"], ["row", "line", "file"]] = steps.loc[~out["job_line"], ["row", "line", "file"]]
    out[["row", "line"]] = out[["row", "line"]].astype(np.int64)
    return out.drop(columns="hours").reset_index(drop=True)
