"""A plan's option → the log a year of it would be: one model, not two.

A hosted option is the usage log of a year of the service on that model (``service, provider,
model, requests, input_tokens, output_tokens, period``, and ``location`` when the option says
where the provider runs it); a self-hosted option is the run log of a year of its hardware
(``run_id, project, phase, duration [h], accelerator, accelerator_count, utilisation, pue,
location, requests``). The plan estimates these rows with the very functions ``greenit ai
estimate`` applies to a file (normalise, then estimate): writing them as CSV
(:func:`equivalent_logs`, ``greenit ai plan --logs-out``) and running ``greenit ai
estimate`` on them gives the same figures (a test holds it).
"""

from __future__ import annotations

import pandas as pd

from greenit.ai.plan.planfile import Plan, PlanOption

USAGE_COLUMNS = ("service", "provider", "model", "requests", "input_tokens", "output_tokens", "period")
RUN_COLUMNS = (
    "run_id",
    "project",
    "phase",
    "duration [h]",
    "accelerator",
    "accelerator_count",
    "utilisation",
    "pue",
    "location",
    "requests",
)


def _cell(value: object) -> str:
    """A figure as a log's cell: ``247500000``, ``0.3`` — the shortest text that reads back as the
    same float (``.17g`` wrote 0.3 as 0.29999999999999999 in the logs a town opens).
    """
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return "" if value is None else str(value)


def _frame(row: dict, source: str) -> pd.DataFrame:
    """One row as :func:`greenit.parsing.readers.read_table` gives it: text cells, then the
    position columns (``file``, ``row`` 1, ``line`` 2 below the header).
    """
    frame = pd.DataFrame({k: [_cell(v)] for k, v in row.items()}, dtype="str")
    frame["file"] = pd.Series([source], dtype="str")
    frame["row"] = pd.Series([1], dtype="int64")
    frame["line"] = pd.Series([2], dtype="int64")
    return frame


def usage_row(plan: Plan, option: PlanOption) -> dict:
    """The usage-log row of a year of the service on a hosted option's model."""
    service = plan.service
    row = {
        "service": service.name,
        "provider": option.get("provider", ""),
        "model": option.get("model"),
        "requests": service.requests_per_year,
        "input_tokens": service.requests_per_year * service.input_tokens_per_request,
        "output_tokens": service.requests_per_year * service.output_tokens_per_request,
        "period": "1 an",
    }
    if option.get("location"):
        row["location"] = option.get("location")
    return row


def run_row(plan: Plan, option: PlanOption) -> dict:
    """The run-log row of a year of a self-hosted option's hardware serving the service."""
    row = {
        "run_id": option.name,
        "project": plan.service.name,
        "phase": "inference",
        "duration [h]": option.get("hours_per_year"),
        "accelerator": option.get("accelerator"),
        "accelerator_count": option.get("accelerator_count"),
        "utilisation": option.get("utilisation"),
        "pue": option.get("pue"),
        "location": option.get("location") or plan.service.country,
        "requests": plan.service.requests_per_year,
    }
    return {k: v for k, v in row.items() if v is not None}


def equivalent_frame(plan: Plan, option: PlanOption) -> pd.DataFrame:
    """The raw frame (as a file's reader gives it) of an option's equivalent log."""
    source = f"{plan.source}#{option.name}"
    if option.kind == "hosted":
        return _frame(usage_row(plan, option), source)
    if option.kind == "self_hosted":
        return _frame(run_row(plan, option), source)
    raise ValueError(f"a {option.kind} option has no log: its figures are the plan's own")


def equivalent_logs(plan: Plan) -> dict[str, str]:
    """For each AI option, its equivalent log as CSV text, by file name: ``usage_<n>.csv`` for a
    hosted option, ``runs_<n>.csv`` for a self-hosted one (``n``: its place in the plan).
    """
    logs = {}
    for number, option in enumerate(plan.options, start=1):
        if option.kind == "baseline":
            continue
        row = usage_row(plan, option) if option.kind == "hosted" else run_row(plan, option)
        name = f"{'usage' if option.kind == 'hosted' else 'runs'}_{number}.csv"
        logs[name] = pd.DataFrame({k: [_cell(v)] for k, v in row.items()}).to_csv(index=False)
    return logs
