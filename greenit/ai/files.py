"""Which kind of AI file is this, and read it: run logs, CodeCarbon, Slurm, hosted-AI usage.

Every AI file goes through here, whatever it holds: a provider's JSON usage export or saved
responses (:mod:`greenit.parsing.formats.providers`), or a table (CSV, XLSX, JSON Lines) whose
headers say what it is — a CodeCarbon ``emissions.csv``, a Slurm ``sacct`` export, a usage log
of hosted models, else a run log. Runs go to :mod:`greenit.ai.runs`, usage rows to
:mod:`greenit.ai.hosted`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from greenit.ai.duplicates import flag_repeated_runs, flag_repeated_usage
from greenit.ai.hosted.grouping import group_usage
from greenit.ai.hosted.usage import is_usage_log, normalise_usage
from greenit.ai.periods import add_periods, place_in_year
from greenit.ai.runs.normalise import normalise_workloads
from greenit.errors import GreenitError
from greenit.factors import FactorSet
from greenit.parsing import formats
from greenit.parsing.files import read_each
from greenit.parsing.formats.providers import saved_responses
from greenit.parsing.readers import data_headers, read_table


def read_ai_file(path: str | Path) -> pd.DataFrame:
    """Any AI log: a file a format of :mod:`greenit.parsing.formats` reads itself (a provider's
    JSON usage export), else a table (CSV, XLSX, JSON Lines) read by
    :func:`greenit.parsing.readers.read_table` — saved chat responses in JSON Lines flattened
    into usage rows.
    """
    path = Path(path)
    for fmt in formats.registered():
        if fmt.reads is not None and fmt.read is not None and fmt.reads(path):
            return fmt.read(path)
    raw = read_table(path, keep_nested=True)  # saved responses nest their token counts
    responses = saved_responses(raw, path)
    return raw if responses is None else responses


def log_kind(raw: pd.DataFrame) -> str:
    """What a raw AI file is: the key of the AI run log format that converts it (``codecarbon``,
    ``slurm``…), ``usage_log`` (hosted generative AI), else ``run_log``.

    Each kind has its words in the catalogue (``hosted.kind.<kind>``).
    """
    headers = data_headers(raw)
    for fmt in formats.of_kind("ai_runs"):
        if fmt.to_log is not None and fmt.recognises is not None and fmt.recognises(headers):
            return fmt.key
    if is_usage_log(raw):
        return "usage_log"
    return "run_log"


def read_ai_logs(
    paths: Iterable[str | Path],
    factors: FactorSet,
    *,
    country: str = "FRA",
    on_error: Callable[[GreenitError], None] | None = None,
    accelerator: str | None = None,
    year: int | None = None,
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[dict], list[dict]]:
    """Read AI logs of every kind, each file's kind detected from its content.

    Every row gets its period (``period_start``, ``period_end``: :mod:`greenit.ai.periods`);
    with a reference ``year``, the rows wholly outside it are flagged « hors de l'année » and
    marked ``outside_year`` — kept out of that year's totals, listed apart.

    Returns (normalised runs or None, normalised hosted usage or None, the files read as
    ``{"file", "kind", "rows", "runs", "step_rows"}`` (lines read; rows of runs they make; Slurm
    step lines among them, counted in their job) with kind ``run_log`` | ``codecarbon`` | ``slurm`` |
    ``usage_log``, the files that failed).
    """
    runs, usage, files = [], [], []

    def normalise(path: str | Path) -> pd.DataFrame:
        raw = read_ai_file(path)
        kind = log_kind(raw)
        if kind == "usage_log":
            usage.append(normalise_usage(raw, factors, default_country=country))
        else:
            runs.append(normalise_workloads(raw, factors, default_country=country, accelerator=accelerator))
        read = usage[-1] if kind == "usage_log" else runs[-1]
        add_periods(read)
        place_in_year(read, year)
        if kind == "usage_log":  # a large log: identical rows summed as read (bounded memory)
            usage[-1] = read = group_usage(read)
        steps = int(read["step_rows"].sum()) if "step_rows" in read else 0
        entry = {
            "file": str(path),
            "kind": kind,
            "rows": int(len(raw)),
            "runs": len(read),
            "step_rows": steps,
        }
        said = [*(raw.attrs.get("file_notes") or []), *(read.attrs.get("file_notes") or [])]
        if said:  # what reading the file said of it (its sheet, a format's reading, a cut field…)
            entry["notes"] = list(dict.fromkeys(said))
        files.append(entry)
        return pd.DataFrame()  # read_each keeps the error policy; the frames are kept here

    _, errors = read_each(paths, normalise, on_error)

    def joined(frames: list[pd.DataFrame]) -> pd.DataFrame | None:
        return None if not frames else frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)

    all_runs, all_usage = joined(runs), joined(usage)
    if all_runs is not None:
        flag_repeated_runs(all_runs)  # the same run in two logs: counted once
    if all_usage is not None:
        flag_repeated_usage(all_usage)  # a response saved twice, a bucket in two exports
    return all_runs, all_usage, files, errors
