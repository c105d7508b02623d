"""Usage logs of hosted generative AI → normalised usage rows (service × model × period, or request).

A usage log says how much a service asked of a provider's model: ``service, provider, model,
requests, input_tokens, output_tokens, period, location``. Headers in French or English, the
spellings of G4IT's templates (``serviceName;provider;model;outputTokens;location`` and the AI
parameters of a digital service: ``modelName;nbParameters;…;totalGeneratedTokens``) and the
providers' exports (:mod:`greenit.parsing.formats.providers`) are read. Counts may carry a multiplier:
``1,2 M jetons``, ``3,5 k``, ``18 420``. Formulas live in :mod:`greenit.ai.hosted.estimate`.

What people type in usage logs is read here too, once per distinct value: counts with
multipliers, model sizes (``8b``), quantisation (``q4``), periods (``T1 2025``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from greenit.ai.hosted.given import GIVEN_ALIASES, read_given_impacts
from greenit.ai.hosted.plausible import check_per_request
from greenit.ai.runs.columns import AI_ALIASES
from greenit.ai.runs.places import place_resolver
from greenit.factors import FactorSet
from greenit.flags import Flags
from greenit.i18n import msg
from greenit.parsing.frames import as_categorical
from greenit.parsing.headers import map_headers
from greenit.parsing.numerals import file_mark
from greenit.parsing.periods import period_span
from greenit.parsing.readers import data_headers, read_flags
from greenit.parsing.text import fold
from greenit.parsing.totals import totals_rows
from greenit.parsing.units import ParsedColumn, parse_quantity_column

#: The largest count a usage row may give (tokens or requests): a thousand trillion, a thousand
#: times the tokens a large provider serves in a day — above, a typing or overflow accident.
MAX_COUNT = 1e15
_QUANTIZATION_BITS = {
    "none": 16.0,
    "fp16": 16.0,
    "bf16": 16.0,
    "float16": 16.0,
    "fp32": 32.0,
    "int8": 8.0,
    "fp8": 8.0,
    "int4": 4.0,
    "awq": 4.0,
    "gptq": 4.0,
}


def parse_count(value: object, header_unit: str | None = None) -> float:
    """A count as people write it → a float; NaN when empty; raises ValueError when unreadable.

    ``header_unit`` is a multiplier read in the header (``Jetons (M)``), applied to a cell that
    says none: a cell's own (``0,2 M``) wins, applied once. One cell alone cannot say its
    decimal mark: a column is read by :func:`read_counts`.

    >>> parse_count("1,2 M jetons"), parse_count("18 420"), parse_count("3,5k"), parse_count(12)
    (1200000.0, 18420.0, 3500.0, 12.0)
    >>> parse_count("0,2 M", "M"), parse_count("-5")
    (200000.0, -5.0)
    """
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    parsed = parse_quantity_column(
        pd.Series([value], dtype=object),
        "dimensionless",
        header_unit=header_unit,
        allow_negative=True,
        counts=True,
    )
    if parsed.bad[0]:
        raise ValueError(str(value))
    return float(parsed.values[0])


def read_counts(
    cells: pd.Series, header_unit: str | None, name: str, *, file_mark: str | None = None
) -> ParsedColumn:
    """A column of counts (tokens, requests): the unit grammar's multipliers, the column's
    decimal mark (``200.000`` jetons in a French column: 200,000), a sign kept and flagged.
    """
    return parse_quantity_column(
        cells,
        "dimensionless",
        header_unit=header_unit,
        name=name,
        bounds=(0, MAX_COUNT),
        counts=True,
        file_mark=file_mark,
    )


def _count_error(error: object, header: str) -> object:
    """A cell that is no number at all says how a count is written (``18 420``, ``1,2 M``)."""
    params = dict(getattr(error, "params", ()))
    if getattr(params.get("error"), "key", "") == "parsing.cell.not_a_number":
        return msg("hosted.flag.not_a_count", column=header, value=params.get("value", ""))
    return error


def parameters_billion(value: object) -> float:
    """A model size → billions of parameters: ``8b`` → 8, ``70 Md`` → 70, ``123`` → 123 (bare: billions).

    >>> parameters_billion("8b"), parameters_billion("175B"), parameters_billion(7_000_000_000)
    (8.0, 175.0, 7.0)
    """
    try:
        count = parse_count(value)
    except ValueError:
        return np.nan
    return count / 1e9 if count >= 1e5 else count


def quantization_bits(value: object) -> float:
    """``q4`` → 4, ``int8`` → 8, ``none``/``fp16`` → 16 bits per weight; NaN when not understood."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    folded = fold(value).replace(" ", "")
    if folded in _QUANTIZATION_BITS:
        return _QUANTIZATION_BITS[folded]
    match = re.fullmatch(r"(?:q|int|fp)?(\d{1,2})(?:bits?|b|k\w*)?", folded)
    return float(match.group(1)) if match and 1 <= int(match.group(1)) <= 32 else np.nan


def period_start(value: object) -> pd.Timestamp | None:
    """The first day of a period: ``2025-03``, ``mars 2025``, ``T1 2025``, ``01/03/2025-31/03/2025``
    (:func:`greenit.parsing.periods.period_span`).

    >>> str(period_start("mars 2025").date()), str(period_start("T2 2025").date())
    ('2025-03-01', '2025-04-01')
    """
    return period_span(value)[0]


USAGE_ALIASES: dict[str, list[str]] = {
    "service": [
        "service",
        "servicename",
        "service name",
        "nom du service",
        "application",
        "cas d usage",
        "use case",
        "projet",
        "project",
        "project name",
        "project id",
        "workspace",
        "workspace id",
        "api key name",
        "api key id",
    ],
    "provider": [
        "provider",
        "fournisseur",
        "prestataire",
        "editeur",
        "vendor",
        "hebergeur",
        "api provider",
        "plateforme",
        "platform",
    ],
    "model": [
        "model",
        "modele",
        "modelname",
        "model name",
        "model id",
        "nom du modele",
        "llm",
        "deployment",
        "request model",
    ],
    "requests": [
        "requests",
        "requetes",
        "nombre de requetes",
        "nb requetes",
        "num model requests",
        "number of requests",
        "request count",
        "n requests",
        "appels",
        "nombre d appels",
        "calls",
        "api calls",
        "prompts",
        "queries",
    ],
    "input_tokens": [
        "input tokens",
        "jetons entree",
        "jetons d entree",
        "tokens entree",
        "prompt tokens",
        "context tokens",
        "n context tokens total",
        "tokens in",
        "uncached input tokens",
    ],
    "output_tokens": [
        "output tokens",
        "outputtokens",
        "jetons sortie",
        "jetons de sortie",
        "tokens sortie",
        "jetons generes",
        "tokens generes",
        "jetons produits",
        "completion tokens",
        "generated tokens",
        "total generated tokens",
        "totalgeneratedtokens",
        "n generated tokens total",
        "tokens out",
    ],
    "period": [
        "period",
        "periode",
        "mois",
        "month",
        "date",
        "jour",
        "day",
        "semaine",
        "week",
        "annee",
        "year",
        "start time",
        "starting at",
        "timestamp",
        "datetime",
        "created",
    ],
    "location": [
        "location",
        "localisation",
        "lieu",
        "region",
        "country",
        "pays",
        "datacenter",
        "centre de donnees",
        "zone",
    ],
    "parameters": [
        "nbparameters",
        "nb parameters",
        "parameters",
        "parametres",
        "nombre de parametres",
        "taille du modele",
        "model size",
    ],
    "quantization": ["quantization", "quantisation", "quantification"],
    # one response's own id (saved chat responses): the same id twice is one response
    "response_id": ["response id", "response_id", "completion id", "id de reponse", "request id"],
    "users": ["numberuseryear", "number user year", "utilisateurs par an", "users per year"],
    "requests_per_user": [
        "averagenumberrequest",
        "average number request",
        "requetes par utilisateur",
        "requests per user",
    ],
}


_COUNT_COLUMNS = ("requests", "input_tokens", "output_tokens", "users", "requests_per_user")


#: The aliases :func:`usage_headers` reads: one table, built once (header look-ups are kept per table).
_USAGE_AND_GIVEN = USAGE_ALIASES | GIVEN_ALIASES
#: The run-log quantities that make a log no usage log (:func:`is_usage_log`).
_RUN_QUANTITIES = {k: AI_ALIASES[k] for k in ("duration", "accelerator_hours", "energy")}


def usage_headers(raw: pd.DataFrame) -> dict:
    """Canonical usage column → the header that gives it (the provider's own impacts included)."""
    return map_headers(data_headers(raw), _USAGE_AND_GIVEN)


def is_usage_log(raw: pd.DataFrame) -> bool:
    """A usage log names a model and counts tokens or requests, and has no run-log quantity
    (a duration, accelerator-hours; an energy only where it counts no tokens).
    """
    if raw.attrs.get("usage_export"):
        return True
    headers = usage_headers(raw)
    runs = set(map_headers(data_headers(raw), _RUN_QUANTITIES))
    if {"output_tokens", "input_tokens"} & set(headers):
        runs -= {"energy"}  # the provider's energy beside token counts: a usage log's
    return "model" in headers and bool({"output_tokens", "requests"} & set(headers)) and not runs


def _counts(
    raw: pd.DataFrame,
    headers: dict,
    column: str,
    flags: Flags,
    notes: Flags | None = None,
    mark: str | None = None,
) -> np.ndarray:
    """A count column (tokens, requests) as floats, once per distinct cell; bad cells flagged."""
    match = headers.get(column)
    if match is None:
        return np.full(len(raw), np.nan)
    parsed = read_counts(raw[match.header], match.unit, match.header, file_mark=mark)
    flags.add(parsed.bad, [_count_error(e, match.header) for e in parsed.errors])
    if notes is not None and parsed.notes is not None:
        notes.add(~parsed.bad, parsed.notes)
    return np.where(parsed.bad, np.nan, parsed.values)


def _text(raw: pd.DataFrame, headers: dict, column: str, function=None) -> pd.Series:
    match = headers.get(column)
    if match is None:
        return pd.Series(
            pd.Categorical([None] * len(raw), categories=pd.Index([], dtype=object)), index=raw.index
        )
    return as_categorical(raw[match.header], function)


def normalise_usage(raw: pd.DataFrame, factors: FactorSet, *, default_country: str = "FRA") -> pd.DataFrame:
    """Map a usage log's headers and counts; resolve its locations. One row per input row.

    Returns the ``usage`` stage: ``service, provider_label, model_label`` (text as written),
    ``requests`` (NaN when the log has no count), ``input_tokens``, ``output_tokens``,
    ``parameters_billion`` and ``quantization_bits`` (when the file gives them), the provider's own
    impacts ``given_energy_kwh``/``given_emissions_kgco2e`` with their ``_low``/``_high`` (NaN
    when the log gives none: :mod:`greenit.ai.hosted.given`), ``period`` and
    ``period_start``, ``country``/``region``/``location_given`` and ``reason``.
    """
    headers = usage_headers(raw)
    n = len(raw)
    flags, notes = Flags(n), Flags(n)
    for found, into in zip(read_flags(raw), (flags, notes), strict=True):  # what reading said of rows
        for position, messages in found.items():
            for message in messages:
                into.add_at(position, message)
    counted = [headers[c].header for c in _COUNT_COLUMNS if c in headers]
    mark = file_mark([u for u in pd.unique(raw[h]) if isinstance(u, str)] for h in counted)
    out = pd.DataFrame(
        {"file": as_categorical(raw["file"]), "row": raw["row"].to_numpy(), "line": raw["line"].to_numpy()},
        index=raw.index,
    )
    out["service"] = _text(raw, headers, "service")
    out["provider_label"] = _text(raw, headers, "provider")
    out["model_label"] = _text(raw, headers, "model")
    if "response_id" in headers:
        out["response_id"] = raw[headers["response_id"].header].astype("string")
    for column in ("requests", "input_tokens", "output_tokens"):
        out[column] = _counts(raw, headers, column, flags, notes, mark)
    if "requests" not in headers and {"users", "requests_per_user"} <= set(headers):
        # G4IT's AI parameters: requests per user and per year × users per year
        out["requests"] = _counts(raw, headers, "users", flags, notes, mark) * _counts(
            raw, headers, "requests_per_user", flags, notes, mark
        )
    out["parameters_billion"] = (
        _text(raw, headers, "parameters", parameters_billion).astype(float)
        if "parameters" in headers
        else np.nan
    )
    out["quantization_bits"] = (
        _text(raw, headers, "quantization", quantization_bits).astype(float)
        if "quantization" in headers
        else np.nan
    )
    check_per_request(raw, headers, out, factors, flags)
    labels = [headers[c].header for c in ("service", "model", "period") if c in headers]
    flags.add(totals_rows(raw, labels), msg("rows.totals_usage"))  # « Total Chatbot citoyen »
    for column, values in read_given_impacts(raw, headers, flags).items():
        out[column] = values
    out["period"] = _text(raw, headers, "period")
    out["period_start"] = _period_starts(out["period"])
    _locations(raw, headers, factors, default_country, out, flags)
    out["reason"] = flags.reasons
    out["notes"] = notes.column()
    return out.reset_index(drop=True)


def _period_starts(periods: pd.Series) -> np.ndarray:
    """The first day of each row's period, parsed once per distinct period (NaT when not read)."""
    categories = periods.cat.categories
    starts = pd.to_datetime(pd.Series([period_start(c) for c in categories] + [None], dtype=object))
    codes = periods.cat.codes.to_numpy()
    return starts.to_numpy()[np.where(codes >= 0, codes, len(categories))]


def _locations(raw, headers, factors, default_country, out, flags) -> None:
    """``country``/``region`` of each row (the log's place, else missing); unknown places flagged."""
    match = headers.get("location")
    n = len(raw)
    if match is None:
        resolved = pd.Series([None] * n, index=raw.index, dtype=object)
        given = np.zeros(n, dtype=bool)
    else:
        text = as_categorical(raw[match.header])
        resolve = place_resolver(factors)  # "region:KEY" or "country:ISO3", None when unknown
        resolved = as_categorical(
            text,
            lambda v: (
                None
                if (p := resolve(v)) is None
                else f"region:{p.region}"
                if p.region
                else f"country:{p.country}"
            ),
        ).astype(object)
        given = text.notna().to_numpy()
        flags.add_each(
            given & resolved.isna().to_numpy(), text, "ai.flag.unknown_location", column=match.header
        )
    kind = resolved.map(lambda r: r.split(":", 1)[0] if isinstance(r, str) else None)
    value = resolved.map(lambda r: r.split(":", 1)[1] if isinstance(r, str) else None)
    regions = factors.table("cloud_regions")
    out["region"] = as_categorical(value.where(kind == "region"))
    region_country = (
        out["region"].astype(object).map(lambda r: regions.at[r, "country"] if isinstance(r, str) else None)
    )
    out["country"] = as_categorical(value.where(kind == "country", region_country))
    out["location_given"] = given & resolved.notna().to_numpy()
    out.attrs["default_country"] = default_country
