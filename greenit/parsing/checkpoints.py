"""Reading run logs: the only rows ever merged are a run's own cumulative checkpoints.

Every data row of an AI log is a run, counted in ``runs_in``, with two exceptions, both
cumulative snapshots of one measured run that a later row of that run holds whole:

- the ``running`` checkpoint rows of a ``greenit track`` log (:func:`drop_superseded_checkpoints`);
- the rows CodeCarbon appends at each flush of the same run (:func:`keep_last_cumulative_rows`).

Rows that share a run id without being checkpoints, or that lack one, are never merged. (A
Slurm job's step lines stay rows too, ``part_of`` their job, counted in it at 0:
:mod:`greenit.parsing.formats.slurm`.)
The functions take a DataFrame of the cells as read and use only its methods (no import of
pandas here); the index and the other columns (``file``, ``row``…) are kept.
"""

from __future__ import annotations

import math

from greenit.parsing.formats.tracklog import CHECKPOINT_STATUSES


def drop_superseded_checkpoints(raw):
    """Rows of ``raw`` without the checkpoint rows that a later row of the same run supersedes.

    A tracked run appends a ``running`` checkpoint when it starts and at each interval, each
    holding the run so far, then its final row. A row is dropped only when its ``status`` is
    a checkpoint status (``running``, ``checkpoint``) *and* a later row has the same non-empty
    ``run_id``: the run's last row holds it whole. Nothing else is ever merged — rows that share
    or lack a run id, or final rows repeated in a copied log, all stay, each counted as a run.
    A run whose last row is a checkpoint (greenit was killed) keeps that row.

    ``raw`` is a frame of text cells as read (a ``run_id`` and a ``status`` column, else it is
    returned unchanged); its index and other columns are kept.

    >>> import pandas as pd
    >>> raw = pd.DataFrame({"run_id": ["a", "a", "b", "b", None, None],
    ...                     "status": ["running", "completed"] + ["completed"] * 2 + ["running"] * 2})
    >>> drop_superseded_checkpoints(raw).index.tolist()
    [1, 2, 3, 4, 5]
    """
    if "run_id" not in raw.columns or "status" not in raw.columns:
        return raw
    checkpoint = raw["status"].astype("string").str.strip().str.lower().isin(CHECKPOINT_STATUSES)
    return raw[~(checkpoint & _has_later_row(raw["run_id"])).to_numpy(dtype=bool)]


def keep_last_cumulative_rows(raw, progress):
    """Rows of ``raw`` where each run id keeps only its most advanced cumulative row.

    For logs whose every row is a cumulative snapshot of its run (CodeCarbon appends one at
    each flush, each holding the whole run so far): among rows with the same non-empty
    ``run_id``, the one with the largest ``progress`` (a numeric Series on ``raw``'s index,
    e.g. the duration; then the last in the file) is kept. Rows without a run id are never
    merged. ``raw``'s order is kept.
    """
    if "run_id" not in raw.columns:
        return raw
    order = progress.astype(float).fillna(-math.inf).sort_values(kind="stable").index
    superseded = _has_later_row(raw["run_id"].loc[order])
    return raw.drop(index=order[superseded.to_numpy(dtype=bool)])


def _has_later_row(run_ids):
    """True where a later row (in frame order) has the same non-empty run id."""
    text = run_ids.astype("string").str.strip()
    given = text.notna() & (text != "")
    return given & text.duplicated(keep="last")
