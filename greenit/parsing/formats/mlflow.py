"""MLflow runs: ``mlflow.search_runs(…).to_csv()`` and the UI's « Download CSV » → the canonical AI log.

Two layouts, read in MLflow's own code (``tests/fixtures/real/README.md`` gives the commits):

- **``search_runs``** (also ``mlflow experiments csv``): ``run_id, experiment_id, status,
  artifact_uri, start_time, end_time``, then ``metrics.<key>``, ``params.<key>``, ``tags.<key>``
  in an order that changes between calls (read by name). ``start_time``/``end_time`` are UTC,
  written by pandas as ``2025-03-03 08:14:52.123000+00:00`` (pandas 2; a whole second has no
  fraction, in the same column) or ``…52.123+00:00`` (pandas 3); a file of MLflow's REST or
  client values holds **Unix milliseconds** (``1740989692123``). ``end_time`` is empty while a
  run is ``RUNNING``;
- **the UI's CSV**: ``Start Time, Duration, Run ID, Name, Source Type, Source Name, User,
  Status`` then the bare param, metric and tag keys; ``Start Time`` in the browser's time
  zone without offset; ``Duration`` rounded to one decimal of its unit (``420ms``, ``45.3s``,
  ``31.0min``, ``15.0h``, ``2.1d``: said in the run's notes); a cell starting with ``-``, ``+``,
  ``=`` or ``@`` is prefixed with ``'`` (``'-0.0315``), which is taken off.

Read: the run id, the experiment (project), the run name (phase), start and duration, the GPU
count from ``params.num_gpus`` (or ``num_gpus``, ``gpu_count``…; empty is unknown, never 0) and
the GPU model from ``params.accelerator`` (or ``gpu``, ``gpu_type``…), and a request count
from ``params.requests``; the key each came from is said.

References
----------
mlflow/mlflow ``mlflow/experiments.py`` (``generate_csv_with_runs``), ``server/js/src/
experiment-tracking/utils/CsvUtils.ts`` and ``common/utils/Utils.tsx`` (``formatDuration``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from greenit.i18n import msg
from greenit.parsing.formats import Format
from greenit.parsing.instants import instant
from greenit.parsing.text import fold

SEARCH_RUNS = frozenset({"run_id", "experiment_id", "status", "start_time", "end_time"})
UI = frozenset({"start time", "duration", "run id", "source type", "status"})
GPU_COUNT_KEYS = ("num_gpus", "n_gpus", "gpu_count", "num_gpu", "gpus", "n_gpu")
GPU_MODEL_KEYS = ("accelerator", "gpu_type", "gpu_model", "gpu", "device")
REQUEST_KEYS = ("requests", "num_requests", "n_requests")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)\s*$")
_DURATION_HOURS = {"ms": 1 / 3_600_000, "s": 1 / 3600, "min": 1 / 60, "h": 1.0, "d": 24.0}


def recognises(headers: list[str]) -> bool:
    """An MLflow runs export: ``search_runs``' columns, or the UI's ``Start Time``, ``Duration``,
    ``Run ID``, ``Source Type`` and ``Status``.
    """
    names = {str(h).strip() for h in headers}
    return SEARCH_RUNS <= names or UI <= {fold(h) for h in names}


def unquote(cells: pd.Series) -> pd.Series:
    """The UI's formula guard taken off: ``'-0.0315`` → ``-0.0315``.

    >>> unquote(pd.Series(["'-0.0315", "'=x", "it's"])).tolist()
    ['-0.0315', '=x', "it's"]
    """
    text = cells.astype("string")
    guarded = text.str.match(r"^'[-+=@\t\r]").fillna(False)
    return text.where(~guarded, text.str[1:])


def duration_hours(text: object) -> tuple[float, float]:
    """The UI's rounded duration → (hours, half the rounding step [h]); (NaN, NaN) when empty.

    >>> duration_hours("15.0h"), round(duration_hours("31.0min")[0] * 60, 9)
    ((15.0, 0.05), 31.0)
    >>> duration_hours("420ms")[0] * 3600
    0.42
    """
    match = _DURATION.match(str(text)) if isinstance(text, str) else None
    if not match:
        return np.nan, np.nan
    value, unit = match.groups()
    decimals = len(value.split(".", 1)[1]) if "." in value else 0
    per = _DURATION_HOURS[unit]
    return float(value) * per, 0.5 * 10.0**-decimals * per if unit not in ("ms",) else 0.0


def _first(raw: pd.DataFrame, prefix: str, keys: tuple[str, ...]) -> tuple[str | None, pd.Series]:
    for key in keys:
        for header in (f"{prefix}{key}", key):
            if header in raw.columns:
                return header, unquote(raw[header])
    return None, pd.Series(pd.NA, index=raw.index, dtype="string")


def _utc_text(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(the instant as ``YYYY-MM-DD HH:MM:SS[.ffffff]`` UTC text, as datetimes) of each cell."""
    moments = [instant(v)[0] if isinstance(v, (str, int, float)) else None for v in cells.astype(object)]
    stamps = pd.Series(pd.to_datetime(pd.Series(moments, dtype=object)), index=cells.index)
    text = stamps.dt.strftime("%Y-%m-%d %H:%M:%S").astype("string")
    return text.where(stamps.notna(), cells.astype("string")), stamps


def _search_runs(raw: pd.DataFrame) -> pd.DataFrame:
    started, start = _utc_text(raw["start_time"])
    _, end = _utc_text(raw["end_time"])
    seconds = (end - start).dt.total_seconds()
    return pd.DataFrame(
        {
            "run_id": raw["run_id"],
            "project": raw.get("tags.mlflow.experimentName", raw["experiment_id"]),
            "phase": raw.get("tags.mlflow.runName"),
            "started_at": started,
            "duration (s)": seconds,
            "state": raw["status"].astype("string").str.upper(),
        },
        index=raw.index,
    )


def _ui(raw: pd.DataFrame, notes: dict[int, list]) -> pd.DataFrame:
    by_fold = {fold(h): h for h in raw.columns}
    read = [duration_hours(v) for v in raw[by_fold["duration"]].astype(object)]
    hours = np.array([h for h, _ in read], dtype=float)
    for row, (value, (_, step)) in zip(
        raw["row"], zip(raw[by_fold["duration"]], read, strict=True), strict=True
    ):
        if step and step > 0:
            notes.setdefault(int(row) - 1, []).append(msg("formats.mlflow.rounded_duration", duration=value))
    return pd.DataFrame(
        {
            "run_id": raw[by_fold["run id"]],
            "project": raw[by_fold["experiment"]] if "experiment" in by_fold else None,
            "phase": raw[by_fold["name"]] if "name" in by_fold else None,
            "started_at": raw[by_fold["start time"]],
            "duration (h)": hours,
            "state": raw[by_fold["status"]].astype("string").str.upper(),
        },
        index=raw.index,
    )


def mlflow_to_log(raw: pd.DataFrame) -> pd.DataFrame:
    """Either layout → the canonical log columns, one run per row."""
    notes: dict[int, list] = {}
    search = SEARCH_RUNS <= set(raw.columns)
    log = _search_runs(raw) if search else _ui(raw, notes)
    count_key, counts = _first(raw, "params.", GPU_COUNT_KEYS)
    model_key, models = _first(raw, "params.", GPU_MODEL_KEYS)
    request_key, requests = _first(raw, "params.", REQUEST_KEYS)
    log["accelerator_count"] = counts
    log["accelerator"] = models
    log["requests"] = requests
    for column in ("file", "row", "line"):
        log[column] = raw[column]
    keys = [k for k in (count_key, model_key, request_key) if k]
    file_notes = [msg("formats.mlflow.layout_search" if search else "formats.mlflow.layout_ui")]
    if keys:
        file_notes.append(msg("formats.mlflow.keys", keys=", ".join(keys)))
    log.attrs["file_notes"] = file_notes
    log.attrs["row_notes"] = notes
    return log


FORMATS = (
    Format(
        key="mlflow",
        name="MLflow runs (search_runs CSV, UI « Download CSV »)",
        kind="ai_runs",
        files="CSV (`,`)",
        recognised_by="`run_id`, `experiment_id`, `status`, `start_time`, `end_time`; or the UI's "
        "`Start Time`, `Duration`, `Run ID`, `Source Type`, `Status`",
        headers={
            "run_id, Run ID": "run_id",
            "tags.mlflow.experimentName, else experiment_id": "project",
            "tags.mlflow.runName, Name": "phase",
            "start_time (UTC, or Unix ms), Start Time": "started_at",
            "end_time − start_time, Duration (`15.0h`)": "duration",
            "params.num_gpus, num_gpus…": "accelerator_count",
            "params.accelerator, gpu_type…": "accelerator",
            "params.requests": "requests",
        },
        fixtures=("mlflow_search_runs_pandas2.csv", "mlflow_search_runs_pandas3.csv", "mlflow_ui_runs.csv"),
        recognises=recognises,
        to_log=lambda raw, context: mlflow_to_log(raw),
    ),
)
