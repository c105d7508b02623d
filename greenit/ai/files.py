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

from greenit.ai.hosted.usage import is_usage_log, normalise_usage
from greenit.ai.runs.normalise import normalise_workloads
from greenit.errors import GreenitError
from greenit.factors import FactorSet
from greenit.parsing.files import read_each
from greenit.parsing.formats.codecarbon import is_codecarbon
from greenit.parsing.formats.providers import read_usage_json, response_row, usage_rows
from greenit.parsing.readers import data_headers, read_table
from greenit.parsing.text import fold


def read_ai_file(path: str | Path) -> pd.DataFrame:
    """Any AI log: a provider's JSON usage export, JSON Lines of responses, or a table.

    Tables (CSV, XLSX) and JSON Lines go through :func:`greenit.parsing.readers.read_table`;
    the nested ``usage`` of saved chat responses is flattened into token columns.
    """
    path = Path(path)
    if path.suffix.lower() == ".json" and path.is_file():
        return read_usage_json(path)
    raw = read_table(path, keep_nested=True)  # saved responses nest their token counts
    if "usage" in raw.columns and raw["usage"].map(lambda v: isinstance(v, dict)).any():
        rows = [
            response_row(record) for record in raw.drop(columns=["file", "row", "line"]).to_dict("records")
        ]
        return usage_rows(rows, path)
    return raw


def log_kind(raw: pd.DataFrame) -> str:
    """``codecarbon`` | ``usage_log`` | ``slurm`` | ``run_log``: what a raw AI file is."""
    folded = {fold(h) for h in data_headers(raw)}
    if is_codecarbon(raw):
        return "codecarbon"
    if is_usage_log(raw):
        return "usage_log"
    if "jobid" in folded and folded & {"elapsed", "elapsedraw"}:
        return "slurm"
    return "run_log"


def read_ai_logs(
    paths: Iterable[str | Path],
    factors: FactorSet,
    *,
    country: str = "FRA",
    on_error: Callable[[GreenitError], None] | None = None,
    accelerator: str | None = None,
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[dict], list[dict]]:
    """Read AI logs of every kind, each file's kind detected from its content.

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
        steps = int(read["step_rows"].sum()) if "step_rows" in read else 0
        files.append(
            {"file": str(path), "kind": kind, "rows": int(len(raw)), "runs": len(read), "step_rows": steps}
        )
        return pd.DataFrame()  # read_each keeps the error policy; the frames are kept here

    _, errors = read_each(paths, normalise, on_error)

    def joined(frames: list[pd.DataFrame]) -> pd.DataFrame | None:
        return None if not frames else frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)

    return joined(runs), joined(usage), files, errors
