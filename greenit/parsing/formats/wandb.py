"""Weights & Biases runs table, « Export as CSV » → the canonical AI log columns.

The W&B web app exports the project's runs table as it shows it: the visible columns in their
on-screen order — typically ``Name, State, Notes, User, Tags, Created, Runtime, Sweep`` — then
the runs' config keys, then their summary metrics (no ``config.``/``summary.`` prefix); every
field quoted, UTF-8. Read in two real exports embedded in public code and W&B's documentation
(``tests/fixtures/real/README.md``):

- **``Runtime`` is in seconds** (an integer: ``54012`` for a 15-hour fine-tuning) — never hours:
  read as hours it would make a run 3,600 times longer;
- ``Created`` is the run's start in UTC (``2025-03-03T08:14:52.000Z``);
- ``State``: ``finished``, ``failed``, ``crashed``, ``killed`` (they used energy until they
  stopped), ``running`` (the runtime so far: said);
- ``Name`` is the run's display name, not unique (W&B's run id is in the URL, not exported);
- the table has no GPU column: teams log them in their config. Only config keys that name a
  GPU count (``num_gpus``, ``gpu_count``, ``n_gpus``…) or a GPU model (``gpu_type``,
  ``gpu_model``, ``accelerator``…) are read, and the run says which key it took.

References
----------
W&B documentation, *Customize the runs table* and *System metrics* (docs.wandb.ai).
"""

from __future__ import annotations

import pandas as pd

from greenit.i18n import msg
from greenit.parsing.formats import Format
from greenit.parsing.text import fold

#: The runs table's own columns (folded), all four always there unless hidden by the user.
SIGNATURE = frozenset({"name", "state", "created", "runtime"})
#: Config keys a team names a GPU count with (folded), and a GPU model with.
GPU_COUNT_KEYS = ("num gpus", "n gpus", "gpu count", "num gpu", "n gpu", "gpus", "nb gpu", "nb gpus")
GPU_MODEL_KEYS = ("gpu type", "gpu model", "gpu name", "accelerator", "gpu", "device name")


def recognises(headers: list[str]) -> bool:
    """A W&B runs-table export: its ``Name``, ``State``, ``Created`` and ``Runtime`` columns
    (``Notes``, ``User``, ``Tags``, ``Sweep`` may be hidden: not required).
    """
    return SIGNATURE <= {fold(h) for h in headers}


def _column(raw: pd.DataFrame, *names: str) -> tuple[str | None, pd.Series]:
    """The first column whose folded header is one of ``names`` (its header, its cells)."""
    by_fold = {fold(h): h for h in raw.columns if h not in ("file", "row", "line")}
    for name in names:
        if name in by_fold:
            return by_fold[name], raw[by_fold[name]]
    return None, pd.Series(None, index=raw.index, dtype=object)


def _run_ids(names: pd.Series, created: pd.Series) -> pd.Series:
    """The run's name, made unique with its start when two runs share it."""
    text = names.astype("string").str.strip()
    shared = text.duplicated(keep=False) & text.notna()
    return text.where(~shared, text + " (" + created.astype("string") + ")")


def _started_at(created: pd.Series) -> pd.Series:
    """``2025-03-03T08:14:52.000Z`` → ``2025-03-03 08:14:52`` (UTC); the cell as written otherwise."""
    moments = pd.to_datetime(created, errors="coerce", utc=True, format="ISO8601")
    text = moments.dt.tz_convert(None).dt.strftime("%Y-%m-%d %H:%M:%S").astype("string")
    return text.where(moments.notna(), created.astype("string"))


def wandb_to_log(raw: pd.DataFrame) -> pd.DataFrame:
    """The runs table → the canonical log columns, one run per row, ``Runtime`` in seconds."""
    _, names = _column(raw, "name")
    _, state = _column(raw, "state")
    _, created = _column(raw, "created")
    _, runtime = _column(raw, "runtime")
    _, tags = _column(raw, "tags")
    count_key, counts = _column(raw, *GPU_COUNT_KEYS)
    model_key, models = _column(raw, *GPU_MODEL_KEYS)
    phase = names.astype("string").fillna("") + " " + tags.astype("string").fillna("")
    log = pd.DataFrame(
        {
            "run_id": _run_ids(names, created),
            "phase": phase.str.strip(),
            "started_at": _started_at(created),
            "duration (s)": runtime,
            "accelerator": models,
            "accelerator_count": counts,
            "state": state.astype("string").str.upper(),
            "file": raw["file"],
            "row": raw["row"],
            "line": raw["line"],
        }
    )
    notes = [msg("formats.wandb.runtime_seconds")]
    if count_key or model_key:
        keys = ", ".join(k for k in (count_key, model_key) if k)
        notes.append(msg("formats.wandb.gpu_keys", keys=keys))
    else:
        notes.append(msg("formats.wandb.no_gpu_keys", keys=", ".join(GPU_COUNT_KEYS[:3])))
    log.attrs["file_notes"] = notes
    return log


FORMATS = (
    Format(
        key="wandb",
        name="Weights & Biases runs table export",
        kind="ai_runs",
        files="CSV (`,`, every field quoted, UTF-8)",
        recognised_by="`Name`, `State`, `Created` and `Runtime` (the runs table's own columns)",
        headers={
            "Name": "run_id (made unique with Created when two runs share it)",
            "Name, Tags": "phase",
            "Created": "started_at (UTC)",
            "Runtime": "duration [s]",
            "State": "state (running: the runtime so far)",
            "num_gpus, gpu_count, n_gpus… (config)": "accelerator_count",
            "gpu_type, gpu_model, accelerator… (config)": "accelerator",
        },
        fixtures=("wandb_runs_table_export.csv",),
        recognises=recognises,
        to_log=lambda raw, context: wandb_to_log(raw),
    ),
)
