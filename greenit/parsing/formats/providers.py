"""Providers' usage exports → flat usage rows: one row per model and day, or per request.

What the providers give, read as they write it (field names checked against their exports):

- OpenAI Usage API, ``/v1/organization/usage/completions`` (JSON page of daily *buckets*, each
  with ``results``: ``model``, ``num_model_requests``, ``input_tokens``, ``output_tokens``,
  ``project_id``…; ``start_time`` in Unix seconds);
- Anthropic Usage & Cost API, ``/v1/organizations/usage_report/messages`` (buckets with
  ``starting_at`` and ``results``: ``model``, ``uncached_input_tokens``, ``cache_creation``,
  ``cache_read_input_tokens``, ``output_tokens``, ``workspace_id``; no request count);
- per-request lists: Albert (DINUM) ``/v1/usage`` (``datetime``, ``model``, ``prompt_tokens``,
  ``completion_tokens``, and the impacts Albert computed: ``kwh_min``… ``kgco2eq_max``; its newer
  records nest them in ``usage.carbon``) and chat-completion responses saved as JSON or JSON Lines (Mistral,
  OpenAI: ``created``, ``model``, ``usage.prompt_tokens``, ``usage.completion_tokens``).

The rows come out with greenit's own column names (``service, provider, model, requests,
input_tokens, output_tokens, period``), read by :mod:`greenit.ai.hosted.usage` like a
spreadsheet. Prompts and answers are never kept: only counts leave this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from greenit.errors import InputFileError
from greenit.i18n import msg
from greenit.parsing.formats import Format
from greenit.parsing.reasons import read_error_reason

USAGE_COLUMNS = ("service", "provider", "model", "requests", "input_tokens", "output_tokens", "period")
#: the provider's own impacts of a request, when its export gives them (Albert: EcoLogits' min–max)
IMPACT_COLUMNS = ("energy_kwh_min", "energy_kwh_max", "emissions_kgco2e_min", "emissions_kgco2e_max")


def read_usage_json(path: Path) -> pd.DataFrame:
    """A provider's JSON export → the usage rows, with ``file``, ``row`` and ``line``.

    What the rows cannot say is said in ``attrs["file_notes"]``: items that are not objects
    (left out, counted), and an API page that is not the last (``has_more: true``: the export
    is incomplete, its totals cover this page only).
    """
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, OSError, RecursionError) as exc:
        raise InputFileError.of(
            "parsing.file.unreadable",
            "parsing.file.unreadable_hint",
            path=str(path),
            error=read_error_reason(exc),
        ) from exc
    items = document.get("data") if isinstance(document, dict) else document
    if isinstance(document, dict) and "usage" in document and "model" in document:
        items = [document]  # one saved response
    if not isinstance(items, list):
        raise InputFileError.of(
            "hosted.file.not_usage_json", "hosted.file.not_usage_json_hint", path=str(path)
        )
    rows: list[dict] = []
    skipped = Skipped()
    for item in items:
        if not isinstance(item, dict):
            skipped.items += 1
        elif "results" in item:
            rows.extend(_bucket_rows(item, skipped))
        elif "usage" in item:
            rows.append(response_row(item, skipped))
        elif "model" in item and ("completion_tokens" in item or "prompt_tokens" in item):
            rows.append(_request_row(item, skipped))
        else:
            skipped.items += 1
    if not rows and not any(isinstance(i, dict) and isinstance(i.get("results"), list) for i in items):
        raise InputFileError.of(
            "hosted.file.not_usage_json", "hosted.file.not_usage_json_hint", path=str(path)
        )
    frame = usage_rows(rows, path)
    frame.attrs["file_notes"] = _export_notes(document, skipped)
    return frame


@dataclass
class Skipped:
    """What a JSON export held that is no usage: items and results that are not objects (or
    without a single usage field), dates that are no dates; Unix dates read in milliseconds.
    """

    items: int = 0
    results: int = 0
    dates: int = 0
    milliseconds: int = 0


def _export_notes(document: object, skipped: Skipped) -> list:
    """The file's notes: what was left out, and a page that is not the API's last."""
    notes = []
    if isinstance(document, dict) and document.get("has_more") is True:
        page = document.get("next_page")
        notes.append(msg("formats.providers.has_more", page=str(page)[:80] if page else "?"))
    if skipped.items or skipped.results:
        notes.append(msg("formats.providers.not_objects", n=skipped.items + skipped.results))
    if skipped.dates:
        notes.append(msg("formats.providers.bad_dates", n=skipped.dates))
    if skipped.milliseconds:
        notes.append(msg("formats.providers.milliseconds", n=skipped.milliseconds))
    return notes


def usage_rows(rows: list[dict], path: Path) -> pd.DataFrame:
    """Rows → a raw frame like :func:`read_table`'s (``row`` = 1-based position in the export)."""
    given = [c for c in (*IMPACT_COLUMNS, "response_id") if any(row.get(c) is not None for row in rows)]
    frame = pd.DataFrame(rows, columns=[*USAGE_COLUMNS, *given])
    frame["file"] = str(path)
    frame["row"] = pd.RangeIndex(1, len(frame) + 1)
    frame["line"] = frame["row"]
    frame.attrs["usage_export"] = True
    return frame


#: Unix times as exports write them, by magnitude: seconds until 5138, then ms, µs, ns.
_UNIX_STEPS = ((1e11, 1.0), (1e14, 1e3), (1e17, 1e6), (1e20, 1e9))


def _day(value: object, skipped: Skipped | None = None) -> str | None:
    """Unix seconds (or milliseconds, micro-, nanoseconds: by magnitude) or an ISO timestamp →
    ``YYYY-MM-DD`` (UTC); None, counted in ``skipped``, for a number that is no date.

    >>> _day(1740960000), _day(1740960000000), _day("2025-03-03T10:00:00Z"), _day(1e300), _day(True)
    ('2025-03-03', '2025-03-03', '2025-03-03', None, None)
    """
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return value[:10]
    step = None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        step = next((per for limit, per in _UNIX_STEPS if value < limit), None)
    if step is None:  # a negative or outsized number, a list, a boolean: no date
        if skipped is not None:
            skipped.dates += 1
        return None
    if step != 1.0 and skipped is not None:
        skipped.milliseconds += 1
    return pd.Timestamp(round(float(value) / step), unit="s", tz="UTC").strftime("%Y-%m-%d")  # type: ignore[arg-type]


def _first(*values: object) -> object:
    return next((v for v in values if v not in (None, "")), None)


def _bucket_rows(bucket: dict, skipped: Skipped) -> list[dict]:
    """One daily bucket of the OpenAI or Anthropic usage API → one row per result (a result
    that is not an object, or ``results`` that is not a list, counted in ``skipped``).
    """
    period = _day(_first(bucket.get("start_time"), bucket.get("starting_at")), skipped)
    given = bucket["results"]
    results = given if isinstance(given, list) else [given]
    rows = []
    for result in results:
        if not isinstance(result, dict):
            skipped.results += 1
            continue
        if "uncached_input_tokens" in result:  # Anthropic: input is split by cache use
            cache = result.get("cache_creation") or {}
            input_tokens = (
                (result.get("uncached_input_tokens") or 0)
                + sum(v or 0 for v in cache.values() if isinstance(v, (int, float)))
                + (result.get("cache_read_input_tokens") or 0)
            )
            provider, requests = "Anthropic", None
        else:
            input_tokens = result.get("input_tokens")
            provider, requests = "OpenAI", result.get("num_model_requests")
        rows.append(
            {
                "service": _first(
                    result.get("project_id"), result.get("workspace_id"), result.get("api_key_id")
                ),
                "provider": provider,
                "model": result.get("model"),
                "requests": requests,
                "input_tokens": input_tokens,
                "output_tokens": result.get("output_tokens"),
                "period": period,
            }
        )
    return rows


def _albert_impacts(carbon: dict) -> dict:
    """Albert's ``carbon`` of a usage record (``{"kWh": {"min", "max"}, "kgCO2eq": {…}}``)."""
    energy = carbon.get("kWh") or carbon.get("kwh") or {}
    emissions = carbon.get("kgCO2eq") or {}
    return {
        "energy_kwh_min": energy.get("min"),
        "energy_kwh_max": energy.get("max"),
        "emissions_kgco2e_min": emissions.get("min"),
        "emissions_kgco2e_max": emissions.get("max"),
    }


def response_row(item: dict, skipped: Skipped | None = None) -> dict:
    """One saved chat response (Mistral, OpenAI ``chat.completion``; Anthropic ``message``), or
    one record of Albert's newer ``/v1/me/usage`` (``usage.carbon`` holds its impacts).
    """
    given = item.get("usage")
    usage: dict = given if isinstance(given, dict) else {}
    carbon = usage.get("carbon") if isinstance(usage.get("carbon"), dict) else None
    return {
        **(_albert_impacts(carbon) if carbon is not None else {}),
        "service": None,
        "provider": "Albert" if carbon is not None else None,
        "model": item.get("model"),
        "requests": 1,
        "input_tokens": _first((usage or {}).get("prompt_tokens"), (usage or {}).get("input_tokens")),
        "output_tokens": _first((usage or {}).get("completion_tokens"), (usage or {}).get("output_tokens")),
        "period": _day(item.get("created"), skipped),
        "response_id": item.get("id") if isinstance(item.get("id"), str) else None,  # the same twice: once
    }


def _request_row(item: dict, skipped: Skipped) -> dict:
    """One request of a per-request usage list (Albert ``/v1/usage``, with its own impacts:
    ``kwh_min``, ``kwh_max``, ``kgco2eq_min``, ``kgco2eq_max`` from EcoLogits).
    """
    albert = any(key in item for key in ("kwh_min", "kgco2eq_min", "request_model"))
    return {
        "energy_kwh_min": item.get("kwh_min"),
        "energy_kwh_max": item.get("kwh_max"),
        "emissions_kgco2e_min": item.get("kgco2eq_min"),
        "emissions_kgco2e_max": item.get("kgco2eq_max"),
        "service": None,
        "provider": "Albert" if albert else None,
        "model": _first(item.get("model"), item.get("request_model")),
        "requests": 1,
        "input_tokens": item.get("prompt_tokens"),
        "output_tokens": item.get("completion_tokens"),
        "period": _day(item.get("datetime"), skipped),
    }


def saved_responses(raw: pd.DataFrame, path: Path) -> pd.DataFrame | None:
    """Chat-completion responses saved as JSON Lines (a table whose ``usage`` cells nest the
    token counts) → usage rows; None when ``raw`` holds none.
    """
    if "usage" not in raw.columns or not raw["usage"].map(lambda v: isinstance(v, dict)).any():
        return None
    records = raw.drop(columns=["file", "row", "line"]).to_dict("records")
    skipped = Skipped()
    frame = usage_rows([response_row(record, skipped) for record in records], path)
    frame.attrs["file_notes"] = [*(raw.attrs.get("file_notes") or []), *_export_notes(None, skipped)]
    frame.attrs["row_reasons"] = raw.attrs.get("row_reasons") or {}  # a line that is no object
    return frame


def reads(path: Path) -> bool:
    """A provider's JSON export (or one saved response): a ``.json`` file."""
    return path.suffix.lower() == ".json" and path.is_file()


FORMATS = (
    Format(
        key="providers",
        name="Providers' usage exports: OpenAI Usage API, Anthropic Usage & Cost API, Albert /v1/usage, "
        "saved chat-completion responses (Mistral, OpenAI)",
        kind="hosted_usage",
        files="JSON, JSON Lines",
        recognised_by="a `.json` file of usage buckets or requests; JSON Lines whose records nest a `usage`",
        headers={
            "model": "model",
            "num_model_requests": "requests",
            "input_tokens, prompt_tokens, uncached_input_tokens…": "input_tokens",
            "output_tokens, completion_tokens": "output_tokens",
            "start_time, starting_at, datetime, created": "period",
            "project_id, workspace_id": "service",
            "kwh_min … kgco2eq_max, usage.carbon": "the provider's own impacts",
        },
        fixtures=(
            "albert_usage.json",
            "anthropic_usage_report_messages.json",
            "mistral_chat_responses.jsonl",
            "openai_usage_completions.json",
        ),
        reads=reads,
        read=read_usage_json,
    ),
)
