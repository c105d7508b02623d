"""Slurm ``sacct`` exports → the canonical AI log columns.

``sacct -P`` (``--parsable2``) writes ``|``-separated lines: one per job allocation and one per
job step (``123.batch``, ``123.extern``, ``123.0``). The allocation line holds what the job was
given, e.g. ``AllocTRES = billing=32,cpu=32,gres/gpu=2,mem=128G,node=1``; its steps ran inside
that allocation. Every line stays a row (a run of the output), but a step whose job line is in
the same file is marked ``part_of`` that job and counted there, never twice; a step without
its job line is counted itself.

Read here: the GPU count (``gres/gpu=N``, or the sum of typed ``gres/gpu:TYPE=N``), CPU count
(``cpu=N``, else ``AllocCPUS``/``NCPUS``), memory (``mem=``; Slurm's K/M/G/T are binary
multiples, converted to GB of 10⁹ bytes), the elapsed time (``ElapsedRaw`` seconds, else
``Elapsed`` as ``[D-]HH:MM:SS``), the start, the account (the project) and the job name
(which also hints at the phase). sacct does not print the GPU model: it comes from a typed
GRES, else the partition table ``slurm_partitions.csv`` (a user extends it with ``--factors``),
else ``--accelerator``.

References
----------
SchedMD, *sacct* manual page (Slurm 23.11): fields ``JobID``, ``Elapsed``, ``ElapsedRaw``,
``AllocTRES``, ``AllocCPUS``, ``Partition``, ``State``; option ``-P, --parsable2``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from greenit.ai.durations import clock_hours
from greenit.parsing.readers import data_headers
from greenit.parsing.text import fold

_TRES_ITEM = re.compile(r"([^=,]+)=([^,]*)")
_MEMORY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGTP]?)\s*$", re.IGNORECASE)
_BINARY = {"": 2**20, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40, "P": 2**50}  # bare: MiB
_MISSING = {"", "unknown", "none", "none assigned", "invalid"}


def _columns(raw: pd.DataFrame) -> dict[str, str]:
    """sacct field (folded, no spaces) → header as in the file."""
    return {fold(h).replace(" ", ""): h for h in data_headers(raw)}


def is_sacct(raw: pd.DataFrame) -> bool:
    """A Slurm accounting export, recognised by its ``JobID`` and ``Elapsed``/``AllocTRES`` fields."""
    fields = set(_columns(raw))
    return bool(fields & {"jobid", "jobidraw"}) and bool(fields & {"elapsed", "elapsedraw", "alloctres"})


def parse_tres(text: object) -> dict[str, str]:
    """``"cpu=32,gres/gpu=2,mem=128G"`` → ``{"cpu": "32", "gres/gpu": "2", "mem": "128G"}``."""
    if not isinstance(text, str):  # missing (pd.NA) in a pending job's line
        return {}
    return {key.strip().lower(): value.strip() for key, value in _TRES_ITEM.findall(text)}


def gpus(tres: dict[str, str]) -> tuple[float, str | None]:
    """(GPU count, GPU type when the GRES names one) of an AllocTRES.

    >>> gpus(parse_tres("cpu=8,gres/gpu:a100=4,gres/gpu=4,node=1"))
    (4.0, 'a100')
    """
    typed = {key.split(":", 1)[1]: value for key, value in tres.items() if key.startswith("gres/gpu:")}
    kind = next(iter(typed)) if len(typed) == 1 else None
    if "gres/gpu" in tres:
        return _float(tres["gres/gpu"]), kind
    if typed:
        return float(sum(_float(v) for v in typed.values())), kind
    return (0.0 if tres else np.nan), None


def memory_gb(text: object) -> float:
    """Slurm memory (``128G``, ``60000M``; binary multiples) → GB of 10⁹ bytes.

    >>> round(memory_gb("128G"), 1), round(memory_gb("60000M"), 1)
    (137.4, 62.9)
    """
    match = _MEMORY.match(str(text)) if text is not None else None
    if not match:
        return np.nan
    return float(match.group(1)) * _BINARY[match.group(2).upper()] / 1e9


def _float(text: object) -> float:
    try:
        return float(str(text))
    except ValueError:
        return np.nan


def _text(raw: pd.DataFrame, fields: dict[str, str], *names: str) -> pd.Series:
    """The first of ``names`` the export has, as text with sacct's "Unknown"/"None" missing."""
    for name in names:
        if name in fields:
            cells = raw[fields[name]].astype("string").str.strip()
            return cells.where(~cells.str.lower().isin(_MISSING))
    return pd.Series(pd.NA, index=raw.index, dtype="string")


def elapsed_hours(raw: pd.DataFrame, fields: dict[str, str]) -> pd.Series:
    """Elapsed time [h]: ``ElapsedRaw`` seconds, else ``Elapsed`` (``[D-]HH:MM:SS``); the
    cell as written where it is neither, so that the log reader flags it.
    """
    if "elapsedraw" in fields:
        return raw[fields["elapsedraw"]].astype("string").rename("duration (s)")
    cells = _text(raw, fields, "elapsed")
    hours = cells.map(lambda c: clock_hours(c, minutes_seconds=True) if isinstance(c, str) else None)
    return hours.astype(object).where(hours.notna(), cells).rename("duration (h)")


def job_steps(job_ids: pd.Series) -> pd.Series:
    """For each row, the job it is a step of when that job's line is in the file, else missing.

    >>> job_steps(pd.Series(["12", "12.batch", "12.0", "13.batch", "14_2", "14_2.extern"])).tolist()
    [<NA>, '12', '12', <NA>, <NA>, '14_2']
    """
    ids = job_ids.astype("string").str.strip()
    parent = ids.str.split(".", n=1).str[0]
    is_step = ids.str.contains(".", regex=False).fillna(False)
    return parent.where(is_step & parent.isin(set(ids[~is_step].dropna()))).astype("string")


def sacct_to_log(raw: pd.DataFrame, partitions: pd.DataFrame | None = None) -> pd.DataFrame:
    """A sacct export → the canonical log columns (one row per line, steps ``part_of`` jobs)."""
    fields = _columns(raw)
    tres = [parse_tres(cell) for cell in _text(raw, fields, "alloctres").astype(object)]
    counted = [gpus(t) for t in tres]
    count = np.array([c for c, _ in counted], dtype=float)
    cpus = np.array([_float(t.get("cpu")) if t else np.nan for t in tres], dtype=float)
    cpus = np.where(np.isnan(cpus), _text(raw, fields, "alloccpus", "ncpus").map(_float), cpus)
    memory = np.array([memory_gb(t.get("mem")) if t else np.nan for t in tres], dtype=float)
    partition = _text(raw, fields, "partition")
    job_ids = _text(raw, fields, "jobid", "jobidraw")
    steps = job_steps(job_ids)
    model = pd.Series([kind for _, kind in counted], index=raw.index, dtype="string")
    if partitions is not None and len(partitions):
        by_partition = partition.map(
            partitions["accelerator"].to_dict() if "accelerator" in partitions else {}
        )
        model = model.fillna(by_partition.astype("string"))
    name = _text(raw, fields, "jobname")
    elapsed = elapsed_hours(raw, fields)
    return pd.DataFrame(
        {
            "run_id": job_ids,
            "project": _text(raw, fields, "account").fillna(name),
            "phase": name.where(steps.isna()),
            "started_at": _text(raw, fields, "start"),
            elapsed.name: elapsed,
            "accelerator": model.where(count > 0),
            "accelerator_count": count,
            "cpu_cores": cpus,
            "memory (GB)": memory,
            "partition": partition,
            "state": _text(raw, fields, "state"),
            "part_of": steps,
            "file": raw["file"],
            "row": raw["row"],
            "line": raw["line"],
        },
        index=raw.index,
    )
