"""sacct lines → each job counted once: the job line's values, its steps' only where it lacks one.

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

Every line stays a row (``runs_in`` counts every data row read): the line that carries a job
holds the whole job's values; the job's other lines (steps, further components) are rows
``part_of`` it, counted in it and adding nothing themselves (:func:`rows_by_job`).

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


def _carriers(key: pd.Series, step: np.ndarray) -> pd.Series:
    """Per job, the position of the line that carries it: its first allocation line, else
    (the job line is not in the file) its first step's.
    """
    positions = pd.Series(np.arange(len(key)), index=key.index)
    first = positions.groupby(key.to_numpy(), sort=False).first()
    allocation = positions[~step].groupby(key[~step].to_numpy(), sort=False).first()
    return allocation.reindex(first.index).fillna(first).astype(np.int64)


def rows_by_job(lines: pd.DataFrame) -> pd.DataFrame:
    """Every line of :func:`greenit.parsing.formats.slurm.sacct_lines`, in file order, each job counted once.

    The line that carries a job (see :func:`_carriers`) holds the whole job's values
    (:func:`one_row_per_job`), its own ``run_id`` kept, and lists the job's other lines in
    ``steps`` (their JobIDs) and ``step_rows`` (how many). Every other line keeps its own
    quantities and is ``part_of`` its job (the job's id), whose account, name, partition and
    GPU model it takes: it ran inside that allocation. ``slurm_job`` is every line's job id,
    ``job_line`` False on a carrier whose job line is not in the file.

    >>> lines = pd.DataFrame({"run_id": ["5", "5.batch", "6.batch", "6.extern"],
    ...     "accelerator": [None] * 4, "duration (h)": [2.0, 2.0, 1.0, 1.5]})
    >>> for column in ("account", "name", "accelerator_origin", "partition", "state", "started_at"):
    ...     lines[column] = None
    >>> lines[["accelerator_count", "cpu_cores", "memory (GB)"]] = 1.0
    >>> lines["file"], lines["row"], lines["line"] = "s.txt", [1, 2, 3, 4], [2, 3, 4, 5]
    >>> rows = rows_by_job(lines)
    >>> for row in rows[["run_id", "part_of", "steps", "step_rows", "duration (h)"]].values.tolist():
    ...     print(row)
    ['5', <NA>, '5.batch', 1, 2.0]
    ['5.batch', '5', <NA>, 0, 2.0]
    ['6.batch', <NA>, '6.extern', 1, 1.5]
    ['6.extern', '6', <NA>, 0, 1.5]
    """
    lines = lines.reset_index(drop=True)
    key, step = job_keys(lines["run_id"], lines["accelerator"])
    carrier = _carriers(key, step)
    jobs = one_row_per_job(lines).set_axis(carrier.index)
    is_carrier = np.zeros(len(lines), dtype=bool)
    is_carrier[carrier.to_numpy()] = True
    heads = jobs.drop(columns=["run_id", "file", "row", "line"]).set_axis(carrier.to_numpy())
    heads = lines[["run_id", "file", "row", "line"]].iloc[carrier.to_numpy()].join(heads)
    others = lines[~is_carrier].copy()
    of = key[~is_carrier]
    for column in ("account", "name", "partition", "accelerator"):
        others[column] = jobs[column].reindex(of.to_numpy()).to_numpy()
    others["accelerator_origin"] = pd.NA  # the job's line says where its model came from
    others["part_of"] = of.astype("string")
    grouped = others["run_id"].groupby(of.to_numpy(), sort=False)
    heads["steps"] = grouped.agg(", ".join).reindex(key[carrier.to_numpy()].to_numpy()).to_numpy()
    heads["step_rows"] = grouped.size().reindex(key[carrier.to_numpy()].to_numpy()).fillna(0).to_numpy()
    heads["part_of"] = pd.NA
    out = pd.concat([heads, others]).sort_index()
    out["slurm_job"] = key.astype("string")
    out["job_line"] = out["job_line"].fillna(True).astype(bool)
    out["step_rows"] = out["step_rows"].fillna(0).astype(np.int64)
    for column in ("part_of", "steps"):
        out[column] = out[column].astype("string")
    return out.reset_index(drop=True)


def one_row_per_job(lines: pd.DataFrame) -> pd.DataFrame:
    """Each job's values from its lines, one row per job in file order (``run_id`` the job's
    id), with ``job_line`` (False where the job's own line is not in the file and its steps
    stand for it).
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
    out["job_line"] = heads["row"].notna().to_numpy()
    out.loc[~out["job_line"], ["row", "line", "file"]] = steps.loc[~out["job_line"], ["row", "line", "file"]]
    out[["row", "line"]] = out[["row", "line"]].astype(np.int64)
    return out.drop(columns="hours").reset_index(drop=True)


def job_rows(runs: pd.DataFrame) -> np.ndarray:
    """For each row ``part_of`` a job, the position of the row that carries that job (the row
    whose ``steps`` lists it, in the same file); -1 on every other row.

    >>> runs = pd.DataFrame({"file": ["a"] * 3, "run_id": ["5", "5.batch", "5.0"],
    ...                      "steps": ["5.batch, 5.0", None, None], "part_of": [None, "5", "5"]})
    >>> job_rows(runs).tolist()
    [-1, 0, 0]
    """
    out = np.full(len(runs), -1, dtype=np.int64)
    if "part_of" not in runs.columns or "steps" not in runs.columns:
        return out
    files, ids = runs["file"].astype(object).to_numpy(), runs["run_id"].astype(object).to_numpy()
    carried = {
        (files[i], step): i
        for i, listed in enumerate(runs["steps"].astype(object).to_numpy())
        if isinstance(listed, str)
        for step in listed.split(", ")
    }
    for i in np.flatnonzero(runs["part_of"].notna().to_numpy()):
        out[i] = carried.get((files[i], ids[i]), -1)
    return out
