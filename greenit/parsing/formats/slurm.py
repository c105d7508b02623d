"""Slurm ``sacct`` exports → the canonical AI log columns, each job counted once.

``sacct -P`` (``--parsable2``) writes ``|``-separated lines: one per job allocation and one per
job step (``123.batch``, ``123.extern``, ``123.0``); a heterogeneous job has one line per
component (``123+0``, ``123+1``), each with its own steps (``123+0.0``). The allocation line
holds what the job was given and for how long, e.g. ``Elapsed = 1-02:30:00``,
``AllocTRES = billing=32,cpu=32,gres/gpu=2,mem=128G,node=1``; its steps ran *inside* that
allocation. So a job is one run: its values are the job line's, and its steps' only where the
job line lacks one (:mod:`greenit.parsing.formats.slurm_jobs`). Every line stays a row: a step's line is
``part_of`` its job, listed in the job's ``steps``, and adds nothing of its own.

Read here: the GPU count (``gres/gpu=N``, or the sum of typed ``gres/gpu:TYPE=N``), CPU count
(``cpu=N``, else ``AllocCPUS``/``NCPUS``), memory (``mem=``; Slurm's K/M/G/T are binary
multiples, converted to GB of 10⁹ bytes), the elapsed time (``ElapsedRaw`` seconds, else
``Elapsed`` as ``[D-]HH:MM:SS``), the start, the account (the project) and the job name
(which also hints at the phase). sacct does not print the GPU model. It is taken, first
found, from a typed GRES (``gres/gpu:a100``), the partition table ``slurm_partitions.csv``
(a user extends it with ``--factors``), or a partition whose name names one known model
(``gpu_a100``); ``--accelerator`` only names the model of jobs whose partition says nothing.

References
----------
SchedMD, *sacct* manual page (Slurm 23.11): fields ``JobID``, ``Elapsed``, ``ElapsedRaw``,
``AllocTRES``, ``AllocCPUS``, ``Partition``, ``State``; option ``-P, --parsable2``.
SchedMD, *Heterogeneous Job Support*: components shown as ``<het_job_id>+<offset>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from greenit.flags import Flags
from greenit.i18n import msg
from greenit.parsing.durations import clock_hours
from greenit.parsing.formats.slurm_jobs import rows_by_job
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
        cells = _text(raw, fields, "elapsedraw")
        hours = pd.to_numeric(cells, errors="coerce") / 3600
    else:
        cells = _text(raw, fields, "elapsed")
        hours = cells.map(lambda c: clock_hours(c, minutes_seconds=True) if isinstance(c, str) else None)
    return hours.astype(object).where(hours.notna(), cells).rename("duration (h)")


def partition_models(
    partition: pd.Series, table: pd.DataFrame | None, resolve: Callable[[object], str | None]
) -> pd.Series:
    """The GPU model each partition stands for: the partition table's, else the one known
    model its name names (``gpu_a100`` → ``a100``, ``h100-sxm`` → ``h100``), else missing.

    >>> known = {"a100": "a100_sxm_80gb", "h100": "h100_sxm"}.get
    >>> partition_models(pd.Series(["gpu_a100", "gpu", "a100_h100", None]), None, known).tolist()
    ['A100', <NA>, <NA>, <NA>]
    """
    listed = table["accelerator"].to_dict() if table is not None and "accelerator" in table else {}

    def model(name: object) -> str | None:
        if not isinstance(name, str):
            return None
        if name in listed:
            return listed[name]
        words = [w for w in re.split(r"[^0-9A-Za-z]+", name) if any(c.isdigit() for c in w) and resolve(w)]
        return words[0].upper() if len({resolve(w) for w in words}) == 1 else None

    names = partition.astype(object)
    distinct = {name: model(name) for name in names.dropna().unique()}
    return pd.Series([distinct.get(n) for n in names], index=partition.index, dtype="string")


def sacct_lines(raw: pd.DataFrame, partitions: pd.DataFrame | None, resolve) -> pd.DataFrame:
    """One row per sacct line: the quantities read, and where its GPU model came from
    (``accelerator_origin``: ``gres`` | ``partition`` (the table) | ``partition name``).
    """
    fields = _columns(raw)
    tres = [parse_tres(cell) for cell in _text(raw, fields, "alloctres").astype(object)]
    counted = [gpus(t) for t in tres]
    cpus = np.array([_float(t.get("cpu")) if t else np.nan for t in tres], dtype=float)
    cpus = np.where(np.isnan(cpus), _text(raw, fields, "alloccpus", "ncpus").map(_float), cpus)
    partition = _text(raw, fields, "partition")
    typed = pd.Series([kind for _, kind in counted], index=raw.index, dtype="string")
    listed = partition_models(partition, partitions, lambda _label: None)
    by_partition = listed.fillna(partition_models(partition, None, resolve))
    origin = pd.Series(pd.NA, index=raw.index, dtype="string")
    origin = origin.mask(by_partition.notna(), "partition name").mask(listed.notna(), "partition")
    origin = origin.mask(typed.notna(), "gres")
    return pd.DataFrame(
        {
            "run_id": _text(raw, fields, "jobid", "jobidraw"),
            "account": _text(raw, fields, "account"),
            "name": _text(raw, fields, "jobname"),
            "started_at": _text(raw, fields, "start"),
            "duration (h)": elapsed_hours(raw, fields),
            "accelerator": typed.fillna(by_partition),
            "accelerator_origin": origin,
            "accelerator_count": np.array([c for c, _ in counted], dtype=float),
            "cpu_cores": cpus,
            "memory (GB)": np.array([memory_gb(t.get("mem")) if t else np.nan for t in tres], dtype=float),
            "partition": partition,
            "state": _text(raw, fields, "state"),
            "file": raw["file"],
            "row": raw["row"],
            "line": raw["line"],
        },
        index=raw.index,
    )


def sacct_to_log(raw: pd.DataFrame, partitions: pd.DataFrame | None = None, resolve=None) -> pd.DataFrame:
    """A sacct export → the canonical log columns: every line a row, the line that carries a job
    with the whole job's values, the job's other lines ``part_of`` it (:func:`rows_by_job`).

    ``resolve`` (accelerator label → table key, :func:`greenit.ai.runs.accelerators.accelerator_resolver`)
    lets a partition's name give the model; without it only the partition table does.
    """
    lines = sacct_lines(raw, partitions, resolve or (lambda _label: None))
    rows = rows_by_job(lines)
    rows["project"] = rows.pop("account").fillna(rows["name"])
    rows["phase"] = rows.pop("name")
    rows["accelerator"] = rows["accelerator"].where(rows["accelerator_count"].to_numpy() > 0)
    return rows


def _objects(column: pd.Series) -> np.ndarray:
    """A column as Python objects, None where missing."""
    values = column.astype(object).to_numpy()
    return np.asarray(np.where(pd.isna(values), None, values), dtype=object)


def slurm_notes(jobs: pd.DataFrame, out: pd.DataFrame, notes: Flags, option: str | None, option_key) -> None:
    """Notes on how each job was read, on the row that carries it: a GPU model read from its
    partition's name, the ``--accelerator`` (``option``, table key ``option_key``) set aside
    where the file names another model, and a job told from its steps alone. A step's row says
    nothing here (it is noted where its job is estimated).
    """
    origin, partition, model = (_objects(jobs[c]) for c in ("accelerator_origin", "partition", "accelerator"))
    carries = jobs["part_of"].isna().to_numpy()
    has_model = carries & out["accelerator"].notna().to_numpy()
    has_model &= np.nan_to_num(out["accelerator_count"]) > 0

    def add(mask: np.ndarray, key: str, **columns: np.ndarray) -> None:
        rows = np.flatnonzero(mask)
        notes.add(mask, [msg(key, **{k: v[i] for k, v in columns.items()}) for i in rows], masked=True)

    add(
        has_model & (origin == "partition name"),
        "ai.note.model_from_partition_name",
        partition=partition,
        model=model,
    )
    if option is not None:
        where = np.array(
            [
                f"GRES gpu:{m}" if o == "gres" else f"partition {p}"
                for o, p, m in zip(origin, partition, model, strict=True)
            ],
            dtype=object,
        )
        other = has_model & (origin != None) & (_objects(out["accelerator"]) != option_key)  # noqa: E711
        add(
            other,
            "ai.note.accelerator_option_not_applied",
            where=where,
            model=model,
            option=np.full(len(out), option),
        )
    alone = carries & ~jobs["job_line"].to_numpy(dtype=bool)
    ids, steps = _objects(jobs["run_id"]), _objects(jobs["steps"])
    lines = np.array([", ".join(str(p) for p in (i, s) if p) for i, s in zip(ids, steps, strict=True)])
    add(alone, "ai.note.job_line_missing", job=_objects(jobs["slurm_job"]), steps=lines.astype(object))
