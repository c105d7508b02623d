"""Slurm ``sacct`` exports → the canonical AI log columns, each job counted once.

``sacct -P`` (``--parsable2``) writes ``|``-separated lines: one per job allocation and one per
job step (``123.batch``, ``123.extern``, ``123.0``); a heterogeneous job has one line per
component (``123+0``, ``123+1``), each with its own steps (``123+0.0``). The allocation line
holds what the job was given and for how long, e.g. ``Elapsed = 1-02:30:00``,
``AllocTRES = billing=32,cpu=32,gres/gpu=2,mem=128G,node=1``; its steps ran *inside* that
allocation. So a job is one run: its values are the job line's, and its steps' only where the
job line lacks one. Every line stays a row: a step's line is ``part_of`` its job, listed in
the job's ``steps``, and adds nothing of its own.

Read here: the GPU count (``gres/gpu=N``, or the sum of typed ``gres/gpu:TYPE=N``), CPU count
(``cpu=N``, else ``AllocCPUS``/``NCPUS``), memory (``mem=``; Slurm's K/M/G/T are binary
multiples, converted to GB of 10⁹ bytes), the elapsed time (``ElapsedRaw`` seconds, else
``Elapsed`` as ``[D-]HH:MM:SS``), the start, the account (the project) and the job name
(which also hints at the phase). sacct does not print the GPU model. It is taken, first
found, from a typed GRES (``gres/gpu:a100``), the partition table ``slurm_partitions.csv``
(a user extends it with ``--factors``), or a partition whose name names one known model
(``gpu_a100``); ``--accelerator`` only names the model of jobs whose partition says nothing.

Each job counted once (:func:`rows_by_job`), by sacct's meaning:

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
``part_of`` it, counted in it and adding nothing themselves.

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
from greenit.parsing.formats import Format, RunLogContext, sacct
from greenit.parsing.readers import data_headers
from greenit.parsing.text import fold

_SUMMED = ("accelerator_count", "cpu_cores", "memory (GB)")  # over a het job's components
_TEXT = (
    "account",
    "name",
    "accelerator",
    "accelerator_origin",
    "partition",
    "state",
    "file",
    "tres_cut",
    "tres_printed",
)


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
    """Per job, from its allocation lines: a het job's components, each maybe in several records.

    A job requeued and shown with ``sacct -D`` has one record per run of it, with the same
    JobID: its records ran one after the other, so their durations and GPU-hours add up (the
    allocation is the largest). A heterogeneous job's components (``12+0``, ``12+1``) ran side
    by side: their GPUs, CPUs and memory add up, its duration is the longest, its GPU-hours the
    sum of theirs.
    """
    numbers = _numbers(lines)
    ids = lines["run_id"].astype(object).to_numpy()
    records = numbers.groupby([key.to_numpy(), ids], sort=False, dropna=False)
    components = records[list(_SUMMED)].max()
    components["hours"] = records["hours"].sum(min_count=1)
    components["accelerator_hours"] = records["accelerator_hours"].sum(min_count=1)
    components["records"] = records.size()
    grouped = components.groupby(level=0, sort=False, dropna=False)
    out = grouped[list(_SUMMED)].sum(min_count=1)
    out["hours"] = grouped["hours"].max()
    several = (grouped.size() > 1) | (grouped["records"].max() > 1)
    out["accelerator_hours"] = grouped["accelerator_hours"].sum(min_count=1).where(several)
    out["records"] = grouped["records"].max()
    out["requeued_hours"] = grouped["hours"].max().where(grouped["records"].max() > 1)
    text = lines[[*_TEXT, "started_at", "run_id", "row", "line", "duration (h)"]]
    by_job = text.groupby(key.to_numpy(), sort=False, dropna=False)
    firsts = by_job.first()
    firsts["state"] = by_job["state"].last()  # a requeued job's state is its last record's
    out["started_at"] = lines["started_at"].groupby(key.to_numpy(), sort=False, dropna=False).min()
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
    >>> for column in ("account", "name", "accelerator_origin", "partition", "state", "started_at",
    ...                "tres_cut", "tres_printed"):
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
    out["records"] = out["records"].fillna(1)
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


_TRES_ITEM = re.compile(r"([^=,]+)=([^,]*)")
_MEMORY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGTP]?)\s*$", re.IGNORECASE)
_BINARY = {"": 2**20, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40, "P": 2**50}  # bare: MiB
_MISSING = {"", "unknown", "none", "none assigned", "invalid"}


def _columns(raw: pd.DataFrame) -> dict[str, str]:
    """sacct field (folded, no spaces) → header as in the file."""
    return {fold(h).replace(" ", ""): h for h in data_headers(raw)}


def recognises(headers: list[str]) -> bool:
    """A Slurm accounting export: its ``JobID`` and ``Elapsed``/``AllocTRES`` fields."""
    fields = {fold(h).replace(" ", "") for h in headers}
    return bool(fields & {"jobid", "jobidraw"}) and bool(fields & {"elapsed", "elapsedraw", "alloctres"})


def is_sacct(raw: pd.DataFrame) -> bool:
    """A Slurm accounting export, recognised by its ``JobID`` and ``Elapsed``/``AllocTRES`` fields."""
    return recognises(data_headers(raw))


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


def gpus_shown(text: object) -> tuple[float, str | None, str | None]:
    """(GPU count, GPU type, what a cut hid) of an AllocTRES as printed, maybe cut by sacct.

    A fixed-width sacct cuts a long AllocTRES and marks it with ``+``
    (``billing=32,cpu=32,gres/gpu=2,mem=128G,n+``). Its items are sorted by name, so what was
    cut is known: a cut after the plain ``gres/gpu=N`` or after an item past it (``mem``,
    ``node``) hid no GPU; a cut after typed ``gres/gpu:a100=8`` items but before the plain total
    may have hidden other types (``typed``: the types shown are counted, and said); a cut before
    any of them hid the count (``unknown``: NaN, never 0).

    >>> gpus_shown("billing=32,cpu=32,gres/gpu=2,mem=128G,n+"), gpus_shown("cpu=32,mem=64G,n+")
    ((2.0, None, None), (0.0, None, None))
    >>> gpus_shown("billing=128,cpu=128,gres/gpu:a100=8,gre+"), gpus_shown("billing=128,cpu=1+")
    ((8.0, 'a100', 'typed'), (nan, None, 'unknown'))
    """
    if not isinstance(text, str) or not text.endswith("+"):
        count, kind = gpus(parse_tres(text))
        return count, kind, None
    shown, _, cut = text[:-1].rpartition(",")
    items = parse_tres(shown)
    count, kind = gpus(items)
    if "gres/gpu" in items:
        return count, kind, None
    past = any(key > "gres/gpu" and not key.startswith("gres/gpu") for key in items) or (
        cut > "gres/gpu=" and not "gres/gpu=".startswith(cut) and not cut.startswith("gres/gpu")
    )
    if any(key.startswith("gres/gpu:") for key in items):
        return count, kind, None if past else "typed"
    return (0.0, None, None) if past else (np.nan, None, "unknown")


def _shown(cell: object) -> object:
    """An AllocTRES without the item sacct cut (``…,mem=5+`` is not 5 MB)."""
    if isinstance(cell, str) and cell.endswith("+"):
        return cell[:-1].rpartition(",")[0]
    return cell


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
    printed = _text(raw, fields, "alloctres").astype(object)
    tres = [parse_tres(_shown(cell)) for cell in printed]
    counted = [gpus_shown(cell) for cell in printed]
    cpus = np.array([_float(t.get("cpu")) if t else np.nan for t in tres], dtype=float)
    cpus = np.where(np.isnan(cpus), _text(raw, fields, "alloccpus", "ncpus").map(_float), cpus)
    partition = _text(raw, fields, "partition")
    typed = pd.Series([kind for _, kind, _ in counted], index=raw.index, dtype="string")
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
            "accelerator_count": np.array([c for c, _, _ in counted], dtype=float),
            "tres_cut": pd.Series([cut for _, _, cut in counted], index=raw.index, dtype="string"),
            "tres_printed": printed,
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
    rows.attrs["row_reasons"], rows.attrs["row_notes"] = _cut_and_requeued(rows)
    return rows


def _cut_and_requeued(rows: pd.DataFrame) -> tuple[dict[int, list], dict[int, list]]:
    """What a job's row must say: a JobID or an AllocTRES cut by a fixed-width sacct (the GPU
    count unknown: flagged; counted from the types shown: noted), its records when requeued.
    """
    reasons: dict[int, list] = {}
    notes: dict[int, list] = {}
    carriers = rows["part_of"].isna().to_numpy()
    for i in np.flatnonzero(carriers):
        row = int(rows["row"].iloc[i]) - 1
        job, printed = rows["run_id"].iloc[i], rows["tres_printed"].iloc[i]
        cut = rows["tres_cut"].iloc[i] if isinstance(rows["tres_cut"].iloc[i], str) else None
        if isinstance(job, str) and job.endswith("+") and "." not in job:
            reasons.setdefault(row, []).append(msg("formats.sacct.jobid_cut", job=job))
        if cut == "unknown":
            reasons.setdefault(row, []).append(msg("formats.sacct.tres_cut_unknown_gpus", tres=printed))
        elif cut == "typed":
            gpus = rows["accelerator_count"].iloc[i]
            notes.setdefault(row, []).append(msg("formats.sacct.tres_cut_typed", tres=printed, gpus=gpus))
        records = rows["records"].iloc[i] if "records" in rows else 1
        if records == records and records > 1:
            hours = round(float(rows["requeued_hours"].iloc[i]), 2)
            notes.setdefault(row, []).append(
                msg("formats.sacct.requeued", n=int(records) - 1, records=int(records), hours=hours)
            )
    return reasons, notes


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


def _to_log(raw: pd.DataFrame, context: RunLogContext) -> pd.DataFrame:
    partitions = context.factors.tables.get("slurm_partitions")  # type: ignore[attr-defined]
    return sacct_to_log(raw, partitions, context.resolve_accelerator)


FORMATS = (
    Format(
        key="slurm",
        name="Slurm sacct exports",
        kind="ai_runs",
        files="`sacct -P` / `-p` text (a `|` in a job name read back), sacct's fixed-width table "
        "(widths from its dashes line, `+` cuts said), CSV",
        recognised_by="`JobID` (or `JobIDRaw`) with `Elapsed`, `ElapsedRaw` or `AllocTRES`",
        headers={
            "JobID": "run_id",
            "Account": "project",
            "JobName": "phase",
            "Start": "started_at",
            "Elapsed": "duration",
            "ElapsedRaw": "duration [s]",
            "AllocTRES": "accelerator_count, cpu_cores, memory",
            "Partition": "accelerator (slurm_partitions.csv)",
            "State": "a pending or cancelled job: flagged",
        },
        fixtures=("sacct_parsable2.txt", "sacct_requeue_alloctres_fixed.txt", "sacct_pipe_in_jobname.txt"),
        recognises=recognises,
        to_log=_to_log,
        reads=sacct.reads,
        read=sacct.read,
    ),
)
