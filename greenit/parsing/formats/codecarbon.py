"""CodeCarbon ``emissions.csv`` files, of every version → the canonical AI log columns.

CodeCarbon's tracker writes one row per run (and, from 2.x, one more at each ``flush()``, each
holding the run so far) with the fields of its ``EmissionsData`` dataclass, in declaration
order. The set changed with the versions (:data:`VERSIONS`, read per git tag in
mlco2/codecarbon: ``codecarbon/output.py`` up to 2.6.0, ``output_methods/emissions_data.py``
from 2.7.0); what greenit reads is in all of them:

- ``duration`` [s], wall time since the tracker started; ``timestamp`` (``%Y-%m-%dT%H:%M:%S``,
  the machine's local time) when the row was written, so the run *started* ``duration``
  seconds before it;
- ``energy_consumed`` [kWh], measured (CPU + GPU + RAM; CodeCarbon's PUE, 1.0 by default,
  included); ``emissions`` [kgCO2e] with CodeCarbon's own intensity (greenit recomputes them with
  its grid factor unless ``--keep-log-intensity``);
- the run: ``run_id`` (2.x and later), else 1.x's ``experiment_id`` — a fresh ``uuid4()`` per
  row in 1.x, so a row id there; ``project_name``;
- where: ``cloud_region`` on a cloud (``europe-west9``), else ``country_iso_code`` (``FRA``).
  ``region`` is the country's region as CodeCarbon's geography lowercases it
  (``île-de-france``): no grid of its own in greenit's tables, never a reason to flag;
- the hardware: ``gpu_count`` and ``gpu_model`` (2.x: ``2 x NVIDIA A100-SXM4-80GB``; two kinds
  of GPU are written one after the other, ``1 x NVIDIA L41 x Tesla T4``).

References
----------
mlco2/codecarbon, tags v0.0.9 to v3.3.2: ``EmissionsData``, ``FileOutput.out``,
``emissions_tracker.py``, ``external/geography.py``.
"""

from __future__ import annotations

import re

import pandas as pd

from greenit.i18n import msg
from greenit.parsing.checkpoints import keep_last_cumulative_rows
from greenit.parsing.formats import Format

_V1 = (
    "timestamp,experiment_id,project_name,duration,emissions,energy_consumed,country_name,"
    "country_iso_code,region,on_cloud,cloud_provider,cloud_region"
)
_V2 = (
    "timestamp,project_name,run_id,duration,emissions,emissions_rate,cpu_power,gpu_power,ram_power,"
    "cpu_energy,gpu_energy,ram_energy,energy_consumed,country_name,country_iso_code,region,"
    "cloud_provider,cloud_region,os,python_version,cpu_count,cpu_model,gpu_count,gpu_model,longitude,"
    "latitude,ram_total_size,tracking_mode,on_cloud"
)
_V22 = _V2.replace("python_version,", "python_version,codecarbon_version,")
_V223 = _V22 + ",pue"
_V27 = _V223.replace("run_id,", "run_id,experiment_id,")
_V308 = _V27.replace("energy_consumed,", "energy_consumed,water_consumed,") + ",wue"
_V32 = _V308.replace(
    "tracking_mode,on_cloud",
    "tracking_mode,cpu_utilization_percent,gpu_utilization_percent,ram_utilization_percent,ram_used_gb,on_cloud",
)

#: The columns of ``emissions.csv``, in file order, by the CodeCarbon versions that write them.
VERSIONS: dict[str, tuple[str, ...]] = {
    "0.0.9–0.1.0": tuple(
        "experiment_id,timestamp,project_name,duration,emissions,energy_consumed,country_name,"
        "country_iso_code,region,on_cloud,cloud_provider,cloud_region".split(",")
    ),
    "1.0.0–1.2.0": tuple(_V1.split(",")),
    "2.0.0–2.1.4": tuple(_V2.split(",")),
    "2.2.0–2.2.2": tuple(_V22.split(",")),
    "2.2.3–2.6.0": tuple(_V223.split(",")),
    "2.7.0–3.0.7": tuple(_V27.split(",")),
    "3.0.8–3.1.2": tuple(_V308.split(",")),
    "3.2.1–3.3.x": tuple(_V32.split(",")),
}
#: Columns every version writes, and one of which names the run.
REQUIRED = frozenset({"timestamp", "project_name", "duration", "emissions", "energy_consumed"})
_GPU_MODELS = re.compile(r"^\d+ x \S")


def recognises(headers: list[str]) -> bool:
    """A CodeCarbon ``emissions.csv`` of any version: its timestamp, project, duration,
    emissions and energy columns, and a run id (``run_id``, or 1.x's ``experiment_id``).
    """
    names = {str(h).strip() for h in headers}
    return REQUIRED <= names and bool(names & {"run_id", "experiment_id"})


def version_of(headers: list[str]) -> str | None:
    """The CodeCarbon versions whose column set the file has exactly, None when none does.

    >>> version_of(list(VERSIONS["1.0.0–1.2.0"])), version_of(["timestamp", "duration"])
    ('1.0.0–1.2.0', None)
    """
    names = tuple(str(h).strip() for h in headers)
    return next((versions for versions, columns in VERSIONS.items() if columns == names), None)


def is_codecarbon(raw: pd.DataFrame) -> bool:
    """A CodeCarbon ``emissions.csv``, recognised by its header."""
    from greenit.parsing.readers import data_headers

    return recognises(data_headers(raw))


def gpu_models(label: object, total: object = None) -> list[tuple[int, str]]:
    """CodeCarbon's ``gpu_model`` → [(count, model)…].

    CodeCarbon 2.x joins ``f"{count} x {name}"`` without a separator, so the digits before an
    inner `` x `` are the end of one name and the next count (``L41 x`` is L4, then 1 GPU):
    the split whose counts add up to ``total`` (``gpu_count``) is taken, else the shortest
    counts.

    >>> gpu_models("2 x NVIDIA A100-SXM4-80GB"), gpu_models("1 x NVIDIA L41 x Tesla T4", 2)
    ([(2, 'NVIDIA A100-SXM4-80GB')], [(1, 'NVIDIA L4'), (1, 'Tesla T4')])
    >>> gpu_models("4 x H1004 x A100", 8), gpu_models("4 x H10012 x A100", 16)
    ([(4, 'H100'), (4, 'A100')], [(4, 'H100'), (12, 'A100')])
    """
    if not isinstance(label, str) or not _GPU_MODELS.match(label.strip()):
        return []
    first, *rest = label.strip().split(" x ")
    choices: list[list[int]] = [[]]  # every reading of the digits ending each inner piece
    for piece in rest[:-1]:
        digits = len(piece) - len(piece.rstrip("0123456789"))
        choices = [c + [k] for c in choices for k in range(1, digits + 1)] if digits else []
    readings = [r for r in (_reading(first, rest, cut) for cut in choices) if r]
    try:
        wanted = float(total) if total is not None else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        wanted = None
    matching = [r for r in readings if wanted is not None and sum(n for n, _ in r) == wanted]
    return (matching or readings or [[]])[0]


def _reading(first: str, rest: list[str], cut: list[int]) -> list[tuple[int, str]] | None:
    """The (count, model) pairs when each inner piece ends with ``cut[i]`` digits of count."""
    if not first.strip().isdigit():
        return None
    counts, models = [int(first)], []
    for piece, digits in zip(rest[:-1], cut, strict=True):
        models.append(piece[:-digits].strip())
        counts.append(int(piece[-digits:]))
    models.append(rest[-1].strip())
    if not all(models):
        return None
    return list(zip(counts, models, strict=True))


def _started_at(frame: pd.DataFrame) -> pd.Series:
    """The run's start: the row's timestamp (written at its end) less its duration; the cell as
    written where either cannot be read (flagged by the log reader).
    """
    written = frame["timestamp"].astype("string")
    end = pd.to_datetime(written.str.replace("T", " ", regex=False), errors="coerce", format="mixed")
    seconds = pd.to_numeric(frame["duration"], errors="coerce")
    start = end - pd.to_timedelta(seconds, unit="s")
    text = start.dt.strftime("%Y-%m-%d %H:%M:%S").astype("string")
    return text.where(start.notna(), written)


def _accelerators(frame: pd.DataFrame, notes: dict[int, list]) -> tuple[pd.Series, pd.Series]:
    """(accelerator label, count) of each row; two kinds of GPU: the first named, noted."""
    labels = frame["gpu_model"] if "gpu_model" in frame else pd.Series(None, index=frame.index)
    counts = frame["gpu_count"] if "gpu_count" in frame else pd.Series(None, index=frame.index)
    out_labels = labels.astype(object).copy()
    for position, (index, label) in enumerate(labels.items()):
        models = gpu_models(label, counts.iloc[position])
        if len(models) == 1:
            out_labels[index] = models[0][1]
        elif len(models) > 1:
            out_labels[index] = models[0][1]
            row = int(frame["row"].iloc[position]) - 1
            notes.setdefault(row, []).append(
                msg("formats.codecarbon.several_gpu_models", label=label, model=models[0][1])
            )
    return out_labels, counts


def codecarbon_to_log(raw: pd.DataFrame) -> pd.DataFrame:
    """CodeCarbon's columns → the canonical log columns, one row per run.

    A run's ``flush()`` rows (2.x and later, same ``run_id``) are cumulative: its last row (the
    longest duration) holds the whole run, earlier ones are dropped
    (:func:`~greenit.parsing.checkpoints.keep_last_cumulative_rows`); 1.x's per-row
    ``experiment_id`` never merges two rows. Cells are passed on as written, so that a bad one
    is flagged by the log reader, never read as empty.
    """
    frame = raw.copy()
    if "run_id" not in frame.columns:  # 1.x: a fresh uuid per row, so one run per row
        frame["run_id"] = frame["experiment_id"]
    frame["_duration"] = pd.to_numeric(frame["duration"], errors="coerce")
    frame = keep_last_cumulative_rows(frame, frame["_duration"])
    notes: dict[int, list] = {}
    accelerators, counts = _accelerators(frame, notes)
    cloud = (
        frame["cloud_region"].astype("string").str.strip().replace("", pd.NA)
        if "cloud_region" in frame
        else None
    )
    country = frame.get("country_iso_code")
    location = (
        country if cloud is None else cloud.fillna(country.astype("string") if country is not None else pd.NA)
    )
    log = pd.DataFrame(
        {
            "run_id": frame["run_id"],
            "project": frame.get("project_name"),
            "started_at": _started_at(frame),
            "duration (s)": frame["duration"],
            "accelerator": accelerators,
            "accelerator_count": counts,
            "location": location,
            "energy (kWh)": frame["energy_consumed"],
            "emissions (kgCO2e)": frame["emissions"],
            "file": frame["file"],
            "row": frame["row"],
            "line": frame["line"],
        }
    )
    log.attrs["codecarbon"] = True
    version = version_of([c for c in raw.columns if c not in ("file", "row", "line")])
    log.attrs["row_notes"] = notes
    log.attrs["file_notes"] = [
        msg("formats.codecarbon.version", versions=version)
        if version
        else msg("formats.codecarbon.version_unknown")
    ]
    return log


FORMATS = (
    Format(
        key="codecarbon",
        name="CodeCarbon emissions.csv (0.0.9 to 3.3)",
        kind="ai_runs",
        files="CSV (`,`; 1.x CRLF, 2.x and later LF)",
        recognised_by="`timestamp`, `project_name`, `duration`, `emissions`, `energy_consumed` and a run "
        "id (`run_id`, or 1.x's per-row `experiment_id`); the version told by the exact column set",
        headers={
            "run_id (1.x: experiment_id)": "run_id",
            "project_name": "project",
            "timestamp − duration": "started_at",
            "duration": "duration [s]",
            "gpu_model (`2 x NVIDIA A100…`)": "accelerator",
            "gpu_count": "accelerator_count",
            "cloud_region, else country_iso_code": "location",
            "energy_consumed": "energy [kWh]",
            "emissions": "emissions [kgCO2e]",
        },
        fixtures=(
            "emissions_codecarbon.csv",
            "codecarbon_v1_2_emissions.csv",
            "codecarbon_v2_3_emissions.csv",
        ),
        recognises=recognises,
        to_log=lambda raw, context: codecarbon_to_log(raw),
    ),
)
