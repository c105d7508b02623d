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
import unicodedata

import numpy as np
import pandas as pd

from greenit.ai.hosted.given import GIVEN_ALIASES, read_given_impacts
from greenit.ai.runs.columns import AI_ALIASES
from greenit.ai.runs.places import place_resolver
from greenit.factors import FactorSet
from greenit.flags import Flags
from greenit.parsing.dates import parse_date
from greenit.parsing.frames import as_categorical
from greenit.parsing.headers import map_headers
from greenit.parsing.readers import data_headers
from greenit.parsing.text import fold
from greenit.parsing.units import parse_number

#: Multipliers people write after a count: ``1,2 M jetons``, ``3 k``, ``2 Md``.
_MULTIPLIERS = {
    "": 1.0,
    "k": 1e3,
    "ko": 1e3,
    "mille": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "mio": 1e6,
    "md": 1e9,
    "mds": 1e9,
    "milliard": 1e9,
    "milliards": 1e9,
    "g": 1e9,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "billions": 1e9,
}
_COUNT_WORDS = re.compile(r"\b(jetons?|tokens?|tok|requetes?|requests?|appels?|calls?|de)\b")
_COUNT = re.compile(r"^([-+]?\d[\d\s.,']*)\s*([a-z]*)\s*$")
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
_MONTHS = {name: i + 1 for i, names in enumerate([
    ("janvier", "january", "jan", "janv"), ("fevrier", "february", "feb", "fev", "fevr"),
    ("mars", "march", "mar"),
    ("avril", "april", "apr", "avr"), ("mai", "may"), ("juin", "june", "jun"),
    ("juillet", "july", "jul", "juil"), ("aout", "august", "aug"), ("septembre", "september", "sep", "sept"),
    ("octobre", "october", "oct"), ("novembre", "november", "nov"), ("decembre", "december", "dec"),
]) for name in names}  # fmt: skip
_QUARTER = re.compile(r"^(?:t|q)([1-4]) (\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]+) (\d{4})$")


def parse_count(value: object, header_unit: str | None = None) -> float:
    """A count as people write it → a float; NaN when empty; raises ValueError when unreadable.

    ``header_unit`` is a multiplier read in the header (``Jetons (M)``).

    >>> parse_count("1,2 M jetons"), parse_count("18 420"), parse_count("3,5k"), parse_count(12)
    (1200000.0, 18420.0, 3500.0, 12.0)
    """
    header = _MULTIPLIERS.get(fold(header_unit), 1.0) if header_unit else 1.0
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value) * header
    plain = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii").lower()
    plain = _COUNT_WORDS.sub(" ", re.sub(r"[^a-z0-9.,'\s]", " ", plain)).strip()
    if not plain:
        return np.nan
    match = _COUNT.match(plain)
    if not match or match.group(2) not in _MULTIPLIERS:
        raise ValueError(str(value))
    return parse_number(match.group(1)) * _MULTIPLIERS[match.group(2)] * header


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
    """The first day of a period: ``2025-03``, ``mars 2025``, ``T1 2025``, ``01/03/2025-31/03/2025``.

    >>> str(period_start("mars 2025").date()), str(period_start("T2 2025").date())
    ('2025-03-01', '2025-04-01')
    """
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    first = re.split(r"\s+(?:-|–|au|to)\s+|(?<=\d)\s*[–/]\s*(?=\d{1,2}[-/.]\d{1,2}[-/.]\d{4})", text)[0]
    first = re.sub(r"^(\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{4})-.*$", r"\1", first)
    date, understood = parse_date(re.sub(r"^(\d{4})-(\d{1,2})$", r"\1-\2-01", first))
    if date is not None and understood:
        return date
    folded = fold(first)
    quarter = _QUARTER.match(folded)
    if quarter:
        return pd.Timestamp(int(quarter.group(2)), 3 * int(quarter.group(1)) - 2, 1)
    month = _MONTH_YEAR.match(folded)
    if month and month.group(1) in _MONTHS:
        return pd.Timestamp(int(month.group(2)), _MONTHS[month.group(1)], 1)
    return None


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
    "users": ["numberuseryear", "number user year", "utilisateurs par an", "users per year"],
    "requests_per_user": [
        "averagenumberrequest",
        "average number request",
        "requetes par utilisateur",
        "requests per user",
    ],
}


def usage_headers(raw: pd.DataFrame) -> dict:
    """Canonical usage column → the header that gives it (the provider's own impacts included)."""
    return map_headers(data_headers(raw), USAGE_ALIASES | GIVEN_ALIASES)


def is_usage_log(raw: pd.DataFrame) -> bool:
    """A usage log names a model and counts tokens or requests, and has no run-log quantity
    (a duration, accelerator-hours; an energy only where it counts no tokens).
    """
    if raw.attrs.get("usage_export"):
        return True
    headers = usage_headers(raw)
    quantities = {k: AI_ALIASES[k] for k in ("duration", "accelerator_hours", "energy")}
    runs = set(map_headers(data_headers(raw), quantities))
    if {"output_tokens", "input_tokens"} & set(headers):
        runs -= {"energy"}  # the provider's energy beside token counts: a usage log's
    return "model" in headers and bool({"output_tokens", "requests"} & set(headers)) and not runs


def _counts(raw: pd.DataFrame, headers: dict, column: str, flags: Flags) -> np.ndarray:
    """A count column (tokens, requests) as floats, once per distinct cell; bad cells flagged."""
    match = headers.get(column)
    if match is None:
        return np.full(len(raw), np.nan)
    codes, uniques = pd.factorize(raw[match.header], use_na_sentinel=True)
    values, bad = [], []
    for cell in uniques:
        try:
            values.append(parse_count(cell, match.unit))
            bad.append(False)
        except ValueError:
            values.append(np.nan)
            bad.append(True)
    positions = np.where(codes >= 0, codes, len(uniques))
    parsed = np.array([*values, np.nan])[positions]
    bad_rows = np.array([*bad, False])[positions] | (parsed < 0)
    flags.add_each(bad_rows, raw[match.header], "hosted.flag.not_a_count", column=match.header)
    return np.where(bad_rows, np.nan, parsed)


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
    flags = Flags(n)
    out = pd.DataFrame(
        {"file": as_categorical(raw["file"]), "row": raw["row"].to_numpy(), "line": raw["line"].to_numpy()},
        index=raw.index,
    )
    out["service"] = _text(raw, headers, "service")
    out["provider_label"] = _text(raw, headers, "provider")
    out["model_label"] = _text(raw, headers, "model")
    for column in ("requests", "input_tokens", "output_tokens"):
        out[column] = _counts(raw, headers, column, flags)
    if "requests" not in headers and {"users", "requests_per_user"} <= set(headers):
        # G4IT's AI parameters: requests per user and per year × users per year
        out["requests"] = _counts(raw, headers, "users", flags) * _counts(
            raw, headers, "requests_per_user", flags
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
    for column, values in read_given_impacts(raw, headers, flags).items():
        out[column] = values
    out["period"] = _text(raw, headers, "period")
    out["period_start"] = _period_starts(out["period"])
    _locations(raw, headers, factors, default_country, out, flags)
    out["reason"] = flags.reasons
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
