"""BoAmps (Boavizta's open format for reporting AI energy measurements): read as runs, written
from a tracked run.

A BoAmps report is one JSON document per task (schema 1.1.0, JSON Schema draft-04, published
under CC BY 4.0 in ``Boavizta/BoAmps/model``): ``header`` (``reportId``, ``reportDatetime``,
``publisher.projectName``…), ``task`` (``taskStage``: training, finetuning, inference…;
``taskFamily``, ``algorithms``, ``dataset``, ``nbRequest``), ``measures`` (each with its
``measurementMethod``, ``powerConsumption`` — an **energy in kWh**, despite its name —,
``measurementDuration`` in seconds, ``measurementDateTime`` ``YYYY-MM-DD HH:MM:SS``),
``infrastructure`` (``infraType``, ``components``: ``componentType`` gpu/cpu/ram…,
``nbComponent``, ``share``), ``environment`` (``country`` as free text, ``location``,
``powerSourceCarbonIntensity`` in gCO2e/kWh).

Read as one run per report: run id ← ``reportId``; project ← ``publisher.projectName``; phase
← ``taskStage``; start ← the first measure's ``measurementDateTime`` (CodeCarbon's BoAmps
writer puts the *end* of the run there: a report it wrote starts that much early, up to its
duration); duration ← ``measurementDuration``; energy (measured) ← ``powerConsumption``; the
accelerators ← the ``gpu`` components (``nbComponent`` × ``share``); place ← ``environment.country``;
carbon intensity ← ``powerSourceCarbonIntensity``, the report's own (a run log's
``carbon_intensity``: it replaces the place's); requests ← ``nbRequest``. Several measures of one
task are parts of it when they share a method (summed); measures by different methods are
alternatives: the first method listed is read, its name kept in ``measurementMethod``.

Written (:func:`report_of_run`) from a row of the ``greenit track`` log, valid against the
published schema (a test validates it offline): what the run does not say is never invented —
``taskFamily`` is the user's or « other », ``dataset`` « other », ``infraType`` « other ».

No pandas at import: ``greenit track`` writes a report while the user waits.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from greenit.parsing.formats import Format

FORMAT_VERSION = "1.1.0"
SPECIFICATION = "https://github.com/Boavizta/BoAmps/tree/main/model"
#: the columns :func:`read_reports` gives, as BoAmps names the fields they come from
COLUMNS = (
    "reportId",
    "projectName",
    "taskStage",
    "measurementMethod",
    "measurementDateTime",
    "measurementDuration",
    "powerConsumption",
    "gpu",
    "gpuCount",
    "country",
    "powerSourceCarbonIntensity",
    "nbRequest",
)
_COUNT_PREFIX = re.compile(r"^\s*\d+\s*[x×]\s*", re.IGNORECASE)
#: greenit phase → BoAmps taskStage (its examples' spellings)
TASK_STAGES = {
    "training": "training",
    "fine-tuning": "finetuning",
    "inference": "inference",
    "evaluation": "evaluation",
    "other": "other",
}


def _document(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):  # 100,000 [
        return None


def is_report(document: object) -> bool:
    """A BoAmps report: an object with a list of ``measures`` and an ``infrastructure`` or a ``task``."""
    return (
        isinstance(document, dict)
        and isinstance(document.get("measures"), list)
        and ("infrastructure" in document or "task" in document)
    )


def reads(path: Path) -> bool:
    """A ``.json`` file holding one BoAmps report or a list of them."""
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    document = _document(path)
    reports = document if isinstance(document, list) else [document]
    return bool(reports) and all(is_report(r) for r in reports)


def _object(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _measures(report: dict) -> tuple[str | None, list[dict]]:
    """The measures read: those of the first method listed (parts of the task, summed)."""
    measures = [m for m in report.get("measures", []) if isinstance(m, dict)]
    if not measures:
        return None, []
    method = measures[0].get("measurementMethod")
    return method, [m for m in measures if m.get("measurementMethod") == method]


def _sum(values: list) -> object:
    """The sum of numbers; the value as written when it is one cell that is not a number."""
    if len(values) == 1:
        return values[0]
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return sum(numbers) if len(numbers) == len(values) else values[0]


def _gpus(report: dict) -> tuple[object, object]:
    """(name without its count, count × share) of the report's GPUs; (None, None) without."""
    components = _object(report.get("infrastructure")).get("components") or []
    gpus = [c for c in components if isinstance(c, dict) and str(c.get("componentType", "")).lower() == "gpu"]
    if not gpus:
        return None, None
    gpu = gpus[0]
    name = gpu.get("componentName") or " ".join(str(gpu[k]) for k in ("family", "series") if gpu.get(k))
    count = gpu.get("nbComponent")
    share = gpu.get("share")
    if isinstance(count, (int, float)) and isinstance(share, (int, float)) and not isinstance(share, bool):
        count = count * share
    return (_COUNT_PREFIX.sub("", str(name)) if name else None), count


def report_row(report: dict) -> dict:
    """One report → one row of :data:`COLUMNS` (values as written, converted by the log reader)."""
    header, task = _object(report.get("header")), _object(report.get("task"))
    environment = _object(report.get("environment"))
    method, measures = _measures(report)
    gpu, count = _gpus(report)
    requests = task.get("nbRequest")
    return {
        "reportId": header.get("reportId"),
        "projectName": _object(header.get("publisher")).get("projectName"),
        "taskStage": task.get("taskStage"),
        "measurementMethod": method,
        "measurementDateTime": measures[0].get("measurementDateTime") if measures else None,
        "measurementDuration": _sum([m.get("measurementDuration") for m in measures]) if measures else None,
        "powerConsumption": _sum([m.get("powerConsumption") for m in measures]) if measures else None,
        "gpu": gpu,
        "gpuCount": count,
        "country": environment.get("country"),
        "powerSourceCarbonIntensity": environment.get("powerSourceCarbonIntensity"),
        "nbRequest": requests if requests not in (0, "0") else None,
    }


def read_reports(path: Path):
    """A BoAmps file → a raw frame, one row per report, with ``file``, ``row`` and ``line``."""
    import pandas as pd

    from greenit.errors import InputFileError

    document = _document(path)
    reports = document if isinstance(document, list) else [document]
    if not reports or not all(is_report(r) for r in reports):
        raise InputFileError.of("boamps.not_a_report", path=str(path))
    frame = pd.DataFrame([report_row(_object(r)) for r in reports], columns=list(COLUMNS)).astype(object)
    frame = frame.where(frame.notna(), None).map(lambda v: None if v is None else str(v)).astype("str")
    frame["file"] = str(path)
    frame["row"] = range(1, len(frame) + 1)
    frame["line"] = frame["row"]
    return frame


def recognises(headers: list[str]) -> bool:
    """The rows :func:`read_reports` gives: BoAmps' ``powerConsumption`` and ``measurementMethod``."""
    return {"powerConsumption", "measurementMethod", "reportId"} <= set(headers)


#: BoAmps field → the canonical run-log header (units in brackets)
HEADERS = {
    "reportId": "run_id",
    "projectName": "project",
    "taskStage": "phase",
    "measurementDateTime": "started_at",
    "measurementDuration": "duration [s]",
    "powerConsumption": "energy [kWh]",
    "gpu": "accelerator",
    "gpuCount": "accelerator_count",
    "country": "location",
    "powerSourceCarbonIntensity": "carbon_intensity [g/kWh]",
    "nbRequest": "requests",
}


def to_log(raw, context=None):
    """BoAmps rows → the canonical log columns (cells as written: a bad one is flagged later)."""
    log = raw.rename(columns=HEADERS)
    return log[[*HEADERS.values(), "file", "row", "line"]]


def _number(value: object) -> float | None:
    try:
        number = float(str(value))
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _date(value: object) -> str | None:
    """``2025-03-03T09:14:52+00:00`` → ``2025-03-03 09:14:52`` (BoAmps: no T, no time zone)."""
    text = str(value or "").strip()
    match = re.match(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})", text)
    return f"{match.group(1)} {match.group(2)}" if match else None


def _components(row: dict) -> list[dict]:
    components = []
    count = _number(row.get("accelerator_count"))
    if row.get("accelerator") and count:
        components.append(
            {"componentName": str(row["accelerator"]), "componentType": "gpu", "nbComponent": int(count)}
        )
    cpus = _number(row.get("cpu_count"))
    if row.get("cpu_model"):
        component = {"componentName": str(row["cpu_model"]), "componentType": "cpu", "nbComponent": 1}
        components.append(component)
    if cpus is not None and not components:
        components.append({"componentType": "cpu", "nbComponent": 1})
    return components or [{"componentType": "other", "nbComponent": 1}]


def report_of_run(
    row: dict,
    *,
    task_family: str = "other",
    publisher_name: str | None = None,
    confidentiality: str = "internal",
    now: str | None = None,
) -> dict:
    """A row of the ``greenit track`` log → a BoAmps report (a dict ready for ``json.dump``).

    ``task_family`` (BoAmps' required ``taskFamily``: « text classification »…) and
    ``publisher_name`` (the organisation) are the user's; what the run does not say is « other ».
    """
    import datetime as _dt

    energy = _number(row.get("energy [kWh]"))
    hours = _number(row.get("duration [h]"))
    measure: dict = {"measurementMethod": "greenit track (CodeCarbon)", "powerConsumption": energy or 0.0}
    if row.get("codecarbon_version"):
        measure["version"] = str(row["codecarbon_version"])
    if hours is not None:
        measure["measurementDuration"] = hours * 3600
    started = _date(row.get("started_at"))
    if started:
        measure["measurementDateTime"] = started
    publisher: dict[str, str] = {"confidentialityLevel": confidentiality}
    if publisher_name:
        publisher["name"] = publisher_name
    if row.get("project"):
        publisher["projectName"] = str(row["project"])
    header = {
        "formatVersion": FORMAT_VERSION,
        "formatVersionSpecificationUri": SPECIFICATION,
        "reportId": str(row.get("run_id") or ""),
        "reportDatetime": now or _dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
        "reportStatus": "final" if row.get("status") == "completed" else "draft",
        "publisher": publisher,
    }
    report: dict = {
        "header": header,
        "task": {
            "taskStage": TASK_STAGES.get(str(row.get("phase") or "other"), "other"),
            "taskFamily": task_family,
            "algorithms": [{"algorithmType": "other"}],
            "dataset": [{"dataUsage": "input", "dataType": "other"}],
        },
        "measures": [measure],
        "infrastructure": {"infraType": "other", "components": _components(row)},
    }
    intensity = _number(row.get("carbon_intensity [kgCO2e/kWh]"))
    if row.get("location"):
        report["environment"] = {"country": str(row["location"])}
        if intensity is not None:
            report["environment"]["powerSourceCarbonIntensity"] = intensity * 1000
    return report


def write_report(path: str | Path, report: dict) -> Path:
    """Write ``report`` as JSON to ``path``, atomically (a temporary file in the same folder, renamed)."""
    import os
    import tempfile

    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path("."))
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(report, stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


FORMATS = (
    Format(
        key="boamps",
        name="BoAmps energy report (Boavizta)",
        kind="ai_runs",
        files="JSON (one report, or a list of reports)",
        recognised_by="a `.json` object with `measures` and `infrastructure` or `task`",
        headers={
            f"{'measures.' if k.startswith('measure') or k == 'powerConsumption' else ''}{k}": v
            for k, v in HEADERS.items()
        },
        fixtures=("boamps_report_training_tri_courriers.json",),
        recognises=recognises,
        to_log=to_log,
        reads=reads,
        read=read_reports,
    ),
)
