"""The run log ``greenit track`` writes: its columns, its checkpoint rows, how it is recognised.

One CSV row per run (a ``running`` checkpoint row when it starts and at each interval, then
its final row), in the canonical AI log layout, so that :mod:`greenit.ai.runs` reads it like
any run log. Written by :mod:`greenit.tracking.tracklog`; only a run's own checkpoint rows are
ever merged on read (:func:`greenit.parsing.checkpoints.drop_superseded_checkpoints`).

No pandas here: ``greenit track`` imports these columns while the user's command waits.
"""

from __future__ import annotations

from greenit.parsing.formats import Format

#: The columns of the first track logs, before a run said how it shared the machine: a log in
#: this layout is still appended to in it (a log is never rewritten).
FIRST_LOG_COLUMNS = [
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

#: The columns written today: the first ones, then how the run shared the machine with other
#: measurements of its process (``shared_with``: the most others it shared a moment with, in
#: equal parts; ``parent_run_id``: the run it was nested in), the processes its command left
#: running when it ended (``leftover_pids``, space-separated), and ``notes`` saying all that in
#: the language of the run.
LOG_COLUMNS = [*FIRST_LOG_COLUMNS, "shared_with", "parent_run_id", "leftover_pids", "notes"]

#: Every layout a track log may have, the current one first: a run appends in its log's layout.
LOG_LAYOUTS = (LOG_COLUMNS, FIRST_LOG_COLUMNS)

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
        "shared_with",
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


def track_notes(raw, notes) -> None:
    """Notes from the columns of a ``greenit track`` log, in the language of the reader: how each
    run shared the machine (``shared_with``, ``parent_run_id``), what its command left running
    (``leftover_pids``) and the PUE its energy already holds (``pue_applied`` above 1).
    ``raw``: the log's rows (checkpoints dropped); ``notes``: their
    :class:`~greenit.flags.Flags`, by position. A log of the first layout has none of these.
    """
    from greenit.i18n import msg

    def cells(column: str) -> list[str]:
        if column not in raw.columns:
            return [""] * len(raw)
        return [
            "" if value != value or value is None else str(value).strip() for value in raw[column].tolist()
        ]

    for position, (shared, parent, pids, pue) in enumerate(
        zip(
            cells("shared_with"),
            cells("parent_run_id"),
            cells("leftover_pids"),
            cells("pue_applied"),
            strict=True,
        )
    ):
        if _above_one(pue):  # the meter's energy is already × --pue: said, never applied twice
            notes.add_at(position, msg("tracking.note.pue_applied", pue=float(pue)))
        if _count(shared):
            notes.add_at(position, msg("tracking.note.shared", n=_count(shared)))
        if parent:
            notes.add_at(position, msg("tracking.note.nested_in", run_id=parent))
        if pids:
            notes.add_at(position, msg("tracking.note.leftovers", n=len(pids.split()), pids=pids))


def _above_one(text: str) -> bool:
    try:
        return float(text) > 1.0
    except ValueError:
        return False


def _count(text: str) -> int:
    try:
        return max(0, int(float(text)))
    except ValueError:
        return 0
