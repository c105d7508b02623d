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
from pathlib import Path

import pandas as pd

from greenit.errors import InputFileError
from greenit.parsing.formats import Format
from greenit.parsing.reasons import read_error_reason

USAGE_COLUMNS = ("service", "provider", "model", "requests", "input_tokens", "output_tokens", "period")
#: the provider's own impacts of a request, when its export gives them (Albert: EcoLogits' min–max)
IMPACT_COLUMNS = ("energy_kwh_min", "energy_kwh_max", "emissions_kgco2e_min", "emissions_kgco2e_max")


def read_usage_json(path: Path) -> pd.DataFrame:
    """A provider's JSON export → the usage rows, with ``file``, ``row`` and ``line``."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, OSError) as exc:
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
    for item in items:
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("results"), list):
            rows.extend(_bucket_rows(item))
        elif "usage" in item:
            rows.append(response_row(item))
        elif "model" in item and ("completion_tokens" in item or "prompt_tokens" in item):
            rows.append(_request_row(item))
    if not rows and not any(isinstance(i, dict) and isinstance(i.get("results"), list) for i in items):
        raise InputFileError.of(
            "hosted.file.not_usage_json", "hosted.file.not_usage_json_hint", path=str(path)
        )
    return usage_rows(rows, path)


def usage_rows(rows: list[dict], path: Path) -> pd.DataFrame:
    """Rows → a raw frame like :func:`read_table`'s (``row`` = 1-based position in the export)."""
    given = [c for c in (*IMPACT_COLUMNS, "response_id") if any(row.get(c) is not None for row in rows)]
    frame = pd.DataFrame(rows, columns=[*USAGE_COLUMNS, *given])
    frame["file"] = str(path)
    frame["row"] = pd.RangeIndex(1, len(frame) + 1)
    frame["line"] = frame["row"]
    frame.attrs["usage_export"] = True
    return frame


def _day(value: object) -> str | None:
    """Unix seconds or an ISO timestamp → ``YYYY-MM-DD`` (UTC)."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (int, float)):
        return pd.Timestamp(int(value), unit="s", tz="UTC").strftime("%Y-%m-%d")
    return str(value)[:10]


def _first(*values: object) -> object:
    return next((v for v in values if v not in (None, "")), None)


def _bucket_rows(bucket: dict) -> list[dict]:
    """One daily bucket of the OpenAI or Anthropic usage API → one row per result."""
    period = _day(_first(bucket.get("start_time"), bucket.get("starting_at")))
    rows = []
    for result in bucket["results"]:
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


def response_row(item: dict) -> dict:
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
        "period": _day(item.get("created")),
        "response_id": item.get("id") if isinstance(item.get("id"), str) else None,  # the same twice: once
    }


def _request_row(item: dict) -> dict:
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
        "period": _day(item.get("datetime")),
    }


def saved_responses(raw: pd.DataFrame, path: Path) -> pd.DataFrame | None:
    """Chat-completion responses saved as JSON Lines (a table whose ``usage`` cells nest the
    token counts) → usage rows; None when ``raw`` holds none.
    """
    if "usage" not in raw.columns or not raw["usage"].map(lambda v: isinstance(v, dict)).any():
        return None
    records = raw.drop(columns=["file", "row", "line"]).to_dict("records")
    return usage_rows([response_row(record) for record in records], path)


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
