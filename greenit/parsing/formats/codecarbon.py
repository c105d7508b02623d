"""CodeCarbon ``emissions.csv`` files → the canonical AI log columns.

CodeCarbon's tracker appends one row per flush to ``emissions.csv`` (``timestamp, project_name,
run_id, duration`` [s], ``emissions`` [kgCO2e], ``energy_consumed`` [kWh, its PUE included],
``country_iso_code``, ``gpu_model``, ``gpu_count``, ``codecarbon_version``…), each row holding
the run so far.
"""

from __future__ import annotations

import pandas as pd

from greenit.parsing.checkpoints import keep_last_cumulative_rows
from greenit.parsing.formats import Format

CODECARBON_MARKERS = {"emissions", "energy_consumed", "codecarbon_version"}


def recognises(headers: list[str]) -> bool:
    """A CodeCarbon ``emissions.csv``: its ``emissions``, ``energy_consumed`` and
    ``codecarbon_version`` columns.
    """
    return CODECARBON_MARKERS <= set(headers)


def is_codecarbon(raw: pd.DataFrame) -> bool:
    """A CodeCarbon ``emissions.csv``, recognised by its header."""
    return recognises(list(raw.columns))


def codecarbon_to_log(raw: pd.DataFrame) -> pd.DataFrame:
    """CodeCarbon's columns → the canonical log columns, one row per run_id.

    CodeCarbon appends a cumulative row at each flush: the last row of a run (the longest
    duration) holds the whole run, so earlier rows of the same run id are dropped; rows
    without a run id are never merged (:func:`~greenit.parsing.checkpoints.keep_last_cumulative_rows`).
    Its ``energy_consumed`` already includes its PUE. Its ``emissions`` (computed with
    CodeCarbon's own intensity) are recomputed with greenit's grid factor unless
    ``--keep-log-intensity``. Cells are passed on as written, so that a bad one is flagged by
    the log reader, never read as empty.
    """
    frame = raw.copy()
    frame["_duration"] = pd.to_numeric(frame["duration"], errors="coerce")
    frame = keep_last_cumulative_rows(frame, frame["_duration"])
    log = pd.DataFrame(
        {
            "run_id": frame.get("run_id"),
            "project": frame.get("project_name"),
            "started_at": frame.get("timestamp"),
            "duration (s)": frame["duration"],
            "accelerator": frame.get("gpu_model"),
            "accelerator_count": frame.get("gpu_count"),
            "location": frame.get("country_iso_code"),
            "energy (kWh)": frame["energy_consumed"],
            "emissions (kgCO2e)": frame["emissions"],
            "file": frame["file"],
            "row": frame["row"],
            "line": frame["line"],
        }
    )
    log.attrs["codecarbon"] = True
    return log


FORMATS = (
    Format(
        key="codecarbon",
        name="CodeCarbon emissions.csv",
        kind="ai_runs",
        files="CSV (`,`)",
        recognised_by="`emissions`, `energy_consumed` and `codecarbon_version` columns",
        headers={
            "run_id": "run_id",
            "project_name": "project",
            "timestamp": "started_at",
            "duration": "duration [s]",
            "gpu_model": "accelerator",
            "gpu_count": "accelerator_count",
            "country_iso_code": "location",
            "energy_consumed": "energy [kWh]",
            "emissions": "emissions [kgCO2e]",
        },
        fixtures=("emissions_codecarbon.csv",),
        recognises=recognises,
        to_log=lambda raw, context: codecarbon_to_log(raw),
    ),
)
