"""The run log ``greenit track`` writes: its columns, its checkpoint rows, how it is recognised.

One CSV row per run (a ``running`` checkpoint row when it starts and at each interval, then
its final row), in the canonical AI log layout, so that :mod:`greenit.ai.runs` reads it like
any run log. Written by :mod:`greenit.tracking.tracklog`; only a run's own checkpoint rows are
ever merged on read (:func:`greenit.parsing.checkpoints.drop_superseded_checkpoints`).

No pandas here: ``greenit track`` imports these columns while the user's command waits.
"""

from __future__ import annotations

from greenit.parsing.formats import Format

LOG_COLUMNS = [
    "run_id",
    "project",
    "phase",
    "status",
    "exit_code",
    "started_at",
    "ended_at",
    "duration [h]",
    "energy [kWh]",
    "cpu_energy [kWh]",
    "gpu_energy [kWh]",
    "ram_energy [kWh]",
    "cpu_power [W]",
    "gpu_power [W]",
    "ram_power [W]",
    "pue_applied",
    "location",
    "carbon_intensity [kgCO2e/kWh]",
    "emissions [kgCO2e]",
    "accelerator",
    "accelerator_count",
    "cpu_model",
    "cpu_count",
    "cpu_measurement",
    "gpu_measurement",
    "ram_measurement",
    "host",
    "command",
    "greenit_version",
    "codecarbon_version",
]

#: Columns holding numbers: written finite or empty, checked as numbers before a run appends.
NUMBER_COLUMNS = frozenset(
    [
        "exit_code",
        "duration [h]",
        "energy [kWh]",
        "cpu_energy [kWh]",
        "gpu_energy [kWh]",
        "ram_energy [kWh]",
        "cpu_power [W]",
        "gpu_power [W]",
        "ram_power [W]",
        "pue_applied",
        "carbon_intensity [kgCO2e/kWh]",
        "emissions [kgCO2e]",
        "accelerator_count",
        "cpu_count",
    ]
)

#: ``status`` of a checkpoint row: superseded by any later row of the same run.
CHECKPOINT_STATUSES = frozenset({"running", "checkpoint"})


def recognises(headers: list[str]) -> bool:
    """A ``greenit track`` log: its ``run_id``, ``status`` and ``greenit_version`` columns."""
    return {"run_id", "status", "greenit_version"} <= set(headers)


def is_track_log(raw) -> bool:
    """Whether the frame ``raw`` was read from a ``greenit track`` log (by its columns)."""
    return recognises(list(raw.columns))


FORMATS = (
    Format(
        key="track",
        name="greenit track run log",
        kind="ai_runs",
        files="CSV (`,`, UTF-8), appended a whole line at a time",
        recognised_by="`run_id`, `status` and `greenit_version` columns; already in the canonical layout",
        headers={column: column for column in LOG_COLUMNS[:9]},
        recognises=recognises,
    ),
)
