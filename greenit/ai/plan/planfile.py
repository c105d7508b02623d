"""A plan file (TOML) → a :class:`Plan`: the service a town plans and the ways it could run it.

A plan has one ``[service]`` table and one ``[[option]]`` table per way of running it::

    [service]
    name = "Assistant citoyen"
    requests_per_year = 150000          # or users = 4000 and requests_per_user_per_month = 3
    input_tokens_per_request = 1650
    output_tokens_per_request = 260
    country = "FRA"
    population = 45000                  # optional: figures per inhabitant

    [[option]]                          # a hosted model: provider and model
    name = "Petit modèle hébergé"
    provider = "Mistral AI"
    model = "mistral-small-latest"

    [[option]]                          # self-hosted hardware
    name = "Serveur GPU en mairie"
    accelerator = "H100"
    accelerator_count = 1
    hours_per_year = 8760
    utilisation = 0.3
    pue = 1.5

    [[option]]                          # a way without AI, with the town's own figures
    name = "Accueil téléphonique"
    energy_kwh_per_year = 1200
    eur_per_year = 42000

Keys are the contract's English names (DESIGN.md, « AI decisions »); their French spellings
are read too (``nom``, ``requetes_par_an``, ``modele``, ``accelerateur``…). Numbers may be
written as people type them (``"150 000"``, ``"1,5 M"``, ``"35 %"``, ``"0,21 €/kWh"``). What is
wrong — not TOML (a CSV given instead), a syntax error, a missing or negative figure, an
unknown key, model, accelerator or place — is a :class:`~greenit.errors.GreenitError` of one
French line naming the file, the option and the key: the command exits 2 before anything is
estimated.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from greenit.errors import GreenitError, InputFileError
from greenit.factors import FactorSet
from greenit.parsing.text import fold

#: canonical key → the spellings read (folded: lower case, no accents, ``_`` between words)
SERVICE_KEYS: dict[str, tuple[str, ...]] = {
    "name": ("nom", "service"),
    "requests_per_year": ("requetes_par_an", "requests"),
    "users": ("utilisateurs", "usagers"),
    "requests_per_user_per_year": ("requetes_par_utilisateur_par_an",),
    "requests_per_user_per_month": ("requetes_par_utilisateur_par_mois",),
    "input_tokens_per_request": ("jetons_entree_par_requete", "jetons_d_entree_par_requete"),
    "output_tokens_per_request": ("jetons_sortie_par_requete", "jetons_de_sortie_par_requete"),
    "country": ("pays",),
    "population": ("habitants",),
    "electricity_price": ("prix_electricite", "prix_de_l_electricite"),
}
OPTION_KEYS: dict[str, tuple[str, ...]] = {
    "name": ("nom",),
    "provider": ("fournisseur",),
    "model": ("modele",),
    "location": ("localisation", "lieu"),
    "accelerator": ("accelerateur",),
    "accelerator_count": ("nombre_accelerateurs", "nombre_d_accelerateurs"),
    "hours_per_year": ("heures_par_an",),
    "utilisation": ("utilization", "taux_utilisation", "taux_d_utilisation"),
    "pue": (),
    "server_embodied_kgco2e": ("fabrication_serveur_kgco2e",),
    "price_eur": ("prix_eur", "prix_materiel_eur"),
    "amortisation_years": ("duree_amortissement_ans", "amortissement_ans"),
    "energy_kwh_per_year": ("energie_kwh_par_an",),
    "kgco2e_per_year": ("kgco2e_par_an",),
    "kgco2e_low_per_year": ("kgco2e_bas_par_an",),
    "kgco2e_high_per_year": ("kgco2e_haut_par_an",),
    "eur_per_year": ("eur_par_an",),
}
_HOSTED = ("provider", "model")
_SELF_HOSTED = ("accelerator", "accelerator_count", "hours_per_year", "utilisation", "pue")
_BASELINE = ("energy_kwh_per_year", "kgco2e_per_year", "kgco2e_low_per_year", "kgco2e_high_per_year")
#: the keys each kind of option takes (a key of another kind is an error, never ignored)
APPLIES = {
    "hosted": {"name", *_HOSTED, "location", "eur_per_year"},
    "self_hosted": {
        "name",
        *_SELF_HOSTED,
        "location",
        "server_embodied_kgco2e",
        "price_eur",
        "amortisation_years",
        "eur_per_year",
    },
    "baseline": {"name", *_BASELINE, "eur_per_year"},
}
_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
_PRICE_UNIT = re.compile(r"\s*(€|eur|euros?)\s*(/|par)\s*kwh\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Service:
    """The planned service: a year of its usage."""

    name: str
    requests_per_year: float
    input_tokens_per_request: float
    output_tokens_per_request: float
    country: str  # ISO-3
    population: float | None = None
    electricity_price_eur_per_kwh: float | None = None


@dataclass(frozen=True)
class PlanOption:
    """One way to run the service: ``hosted`` (a provider's model), ``self_hosted`` (the town's
    hardware) or ``baseline`` (a way without AI, with the town's own figures).
    """

    name: str
    kind: str
    values: dict[str, Any] = field(default_factory=dict)  # canonical key → value as read

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


@dataclass(frozen=True)
class Plan:
    service: Service
    options: tuple[PlanOption, ...]
    source: str  # the file, or "plan" for a mapping given to the API


def _error(entry: str, /, **values: object) -> GreenitError:
    return GreenitError.of(f"aiplan.error.{entry}", **values)


def read_plan_file(path: str | Path) -> dict:
    """The TOML document of a plan file; a French one-line error when it is not one."""
    path = Path(path)
    if not path.exists():
        raise InputFileError.of("aiplan.error.missing_file", path=str(path))
    if path.is_dir():
        raise InputFileError.of("aiplan.error.a_folder", path=str(path))
    data = path.read_bytes()
    if path.suffix.lower() in (".csv", ".tsv", ".txt", ".xlsx", ".ods", ".json") or b"\x00" in data[:4096]:
        raise InputFileError.of("aiplan.error.not_toml", path=str(path), suffix=path.suffix or "?")
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputFileError.of("aiplan.error.not_toml", path=str(path), suffix=path.suffix or "?") from None
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_LINE.search(str(exc))
        line = where.group(1) if where else "?"
        reason = _TOML_LINE.sub("", str(exc)).strip()
        raise InputFileError.of(
            "aiplan.error.toml_syntax", path=str(path), line=line, reason=reason
        ) from None


def _canonical(table: dict, keys: dict[str, tuple[str, ...]], where: str, source: str) -> dict:
    """A table's keys → canonical names; an unknown key is an error naming the closest ones."""
    spellings = {name: name for name in keys}
    spellings |= {alias: name for name, aliases in keys.items() for alias in aliases}
    out: dict[str, Any] = {}
    for key, value in table.items():
        folded = fold(key).replace(" ", "_")
        if folded not in spellings:
            from greenit.parsing.text import closest

            close = closest(folded, list(spellings), cutoff=0.6)  # a key, as a column: from 0.6
            raise _error("unknown_key", source=source, where=where, key=key, close=", ".join(close) or "—")
        out[spellings[folded]] = value
    return out


def _number(value: Any, key: str, where: str, source: str, *, percent: bool = False) -> float:
    """A figure of the plan: a TOML number or a string as people type it; finite and ≥ 0."""
    from greenit.ai.hosted.usage import parse_count
    from greenit.parsing.units import parse_number

    number = math.nan
    if isinstance(value, bool):
        number = math.nan
    elif isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        is_percent = text.endswith("%")
        text = _PRICE_UNIT.sub("", text.rstrip("%").strip())
        try:
            number = parse_count(text)
        except ValueError:
            try:
                number = parse_number(text)
            except ValueError:
                number = math.nan
        if is_percent and percent:
            number /= 100
    if not math.isfinite(number):
        raise _error("not_a_number", source=source, where=where, key=key, value=str(value))
    if number < 0:
        raise _error("negative", source=source, where=where, key=key, value=str(value))
    return number


def _text(value: Any, key: str, where: str, source: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _error("not_a_text", source=source, where=where, key=key, value=str(value))
    return value.strip()


def parse_service(table: Any, source: str, factors: FactorSet) -> Service:
    """The ``[service]`` table, checked: a name, a yearly count of requests, tokens, a country."""
    if not isinstance(table, dict):
        raise _error("no_service", source=source)
    where = "[service]"
    values = _canonical(table, SERVICE_KEYS, where, source)
    name = _text(values.get("name", "service"), "name", where, source)

    def figure(key: str, **kwargs) -> float | None:
        return _number(values[key], key, where, source, **kwargs) if key in values else None

    requests = figure("requests_per_year")
    users = figure("users")
    per_user = figure("requests_per_user_per_year")
    per_month = figure("requests_per_user_per_month")
    if requests is None and users is not None and (per_user is not None or per_month is not None):
        requests = users * (per_user if per_user is not None else 12 * (per_month or 0.0))
    if requests is None:
        raise _error("no_requests", source=source)
    if requests == 0:
        raise _error("zero_requests", source=source)
    tokens = {}
    for key in ("input_tokens_per_request", "output_tokens_per_request"):
        if key not in values:
            raise _error("missing_key", source=source, where=where, key=key)
        tokens[key] = _number(values[key], key, where, source)
        _check_tokens(key, tokens[key], values[key], source, factors)
    country = _country(values.get("country", "FRA"), where, source, factors)
    population = _population(values, where, source)
    price = figure("electricity_price")
    return Service(
        name=name,
        requests_per_year=requests,
        input_tokens_per_request=tokens["input_tokens_per_request"],
        output_tokens_per_request=tokens["output_tokens_per_request"],
        country=country,
        population=population,
        electricity_price_eur_per_kwh=price,
    )


def _population(values: dict, where: str, source: str) -> float | None:
    """The plan's inhabitants, by the rule of --population (a whole number from 1 to 100 million):
    0 is not « no population » and 520 000 000 is a slip, never figures per inhabitant.
    """
    from greenit.yardsticks import check_population

    if "population" not in values:
        return None
    number = _number(values["population"], "population", where, source)
    try:
        return float(check_population(number))  # type: ignore[arg-type]
    except GreenitError:
        raise _error("population", source=source, where=where, value=str(values["population"])) from None


def _check_tokens(key: str, number: float, typed: Any, source: str, factors: FactorSet) -> None:
    """Tokens per request within what one request holds (plausibility.csv, as ai estimate checks
    a usage log's rows): 16 500 000 for 16 500 is one French line, not two options left blank.
    """
    import numpy as np

    from greenit.factors.plausible import bounds, outside

    span = bounds(factors, key, n=1)
    if outside(np.array([number]), span)[0]:
        low, high = float(np.nan_to_num(span.low[0])), float(span.high[0])  # no lower bound: 0
        entry = "implausible_tokens" if number > high else "implausible_tokens_low"
        raise _error(entry, source=source, key=key, value=str(typed), low=low, high=high)


def _country(value: Any, where: str, source: str, factors: FactorSet) -> str:
    from greenit.parsing.countries import country_code

    code = country_code(value, set(factors.electricity.index))
    if code is None:
        raise _error("unknown_country", source=source, where=where, value=str(value))
    return code


def _kind(values: dict, where: str, source: str) -> str:
    hosted = any(k in values for k in _HOSTED)
    self_hosted = any(k in values for k in _SELF_HOSTED)
    baseline = any(k in values for k in _BASELINE)
    if hosted + self_hosted + baseline != 1:
        raise _error("option_kind", source=source, where=where)
    return "hosted" if hosted else "self_hosted" if self_hosted else "baseline"


def parse_option(table: Any, number: int, source: str, factors: FactorSet) -> PlanOption:
    """One ``[[option]]`` table, checked against the factor tables (model, accelerator, place)."""
    if not isinstance(table, dict):
        raise _error("option_not_table", source=source, number=number)
    values = _canonical(table, OPTION_KEYS, f"[[option]] n° {number}", source)
    name = _text(values.get("name", f"option {number}"), "name", f"[[option]] n° {number}", source)
    where = f"« {name} »"
    kind = _kind(values, where, source)
    checked: dict[str, Any] = {}
    for key, value in values.items():
        if key in ("name", "provider", "model", "location", "accelerator"):
            checked[key] = _text(value, key, where, source)
        else:
            checked[key] = _number(value, key, where, source, percent=key == "utilisation")
    extra = sorted(set(checked) - APPLIES[kind])
    if extra:
        from greenit.i18n import msg

        kind_text = msg(f"aiplan.kind.{kind}")
        raise _error("key_not_for_kind", source=source, where=where, keys=", ".join(extra), kind=kind_text)
    check = {"hosted": _check_hosted, "self_hosted": _check_self_hosted, "baseline": _check_baseline}[kind]
    check(checked, where, source, factors)
    return PlanOption(name, kind, checked)


def _check_hosted(values: dict, where: str, source: str, factors: FactorSet) -> None:
    from greenit.ai.hosted.estimate import catalogue_of

    if "model" not in values:
        raise _error("missing_key", source=source, where=where, key="model")
    catalogue = catalogue_of(factors)
    spec, _ = catalogue.find(values["model"], values.get("provider"))
    if spec is None:
        close = catalogue.suggestions(values["model"])
        raise _error(
            "unknown_model", source=source, where=where, model=values["model"], close=", ".join(close) or "—"
        )
    _check_place(values, where, source, factors)


def _check_self_hosted(values: dict, where: str, source: str, factors: FactorSet) -> None:
    from greenit.ai.runs.accelerators import accelerator_resolver

    for key in ("accelerator", "accelerator_count", "hours_per_year"):
        if key not in values:
            raise _error("missing_key", source=source, where=where, key=key)
    if accelerator_resolver(factors)(values["accelerator"]) is None:
        known = ", ".join(factors.table("accelerators").index)
        raise _error(
            "unknown_accelerator", source=source, where=where, model=values["accelerator"], known=known
        )
    if values["hours_per_year"] > 8784:
        raise _error("too_many_hours", source=source, where=where, value=values["hours_per_year"])
    if values.get("utilisation", 0.0) > 1:
        raise _error("utilisation_range", source=source, where=where, value=values["utilisation"])
    if "pue" in values and not 1 <= values["pue"] <= 5:
        raise _error("pue_range", source=source, where=where, value=values["pue"])
    if values.get("amortisation_years") == 0:
        raise _error("zero_amortisation", source=source, where=where)
    _check_place(values, where, source, factors)


def _check_baseline(values: dict, where: str, source: str, factors: FactorSet) -> None:
    if "energy_kwh_per_year" not in values and "kgco2e_per_year" not in values:
        raise _error("baseline_figures", source=source, where=where)
    low = values.get("kgco2e_low_per_year", values.get("kgco2e_per_year"))
    high = values.get("kgco2e_high_per_year", values.get("kgco2e_per_year"))
    central = values.get("kgco2e_per_year")
    if central is not None and low is not None and high is not None and not low <= central <= high:
        raise _error("baseline_range", source=source, where=where)


def _check_place(values: dict, where: str, source: str, factors: FactorSet) -> None:
    if "location" not in values:
        return
    from greenit.ai.runs.places import place_resolver

    if place_resolver(factors)(values["location"]) is None:
        raise _error("unknown_location", source=source, where=where, value=values["location"])


def parse_plan(document: dict, factors: FactorSet, source: str = "plan") -> Plan:
    """A plan's TOML document (or the same mapping built in Python) → a checked :class:`Plan`."""
    if not isinstance(document, dict):
        raise _error("no_service", source=source)
    top = {fold(k).replace(" ", "_"): v for k, v in document.items()}
    unknown = set(top) - {"service", "option", "options"}
    if unknown:
        raise _error("unknown_table", source=source, tables=", ".join(sorted(unknown)))
    service = parse_service(top.get("service"), source, factors)
    tables = top.get("option", top.get("options"))
    if isinstance(tables, dict):
        tables = [tables]
    if not isinstance(tables, list) or not tables:
        raise _error("no_option", source=source)
    options = tuple(parse_option(t, i, source, factors) for i, t in enumerate(tables, start=1))
    names = [o.name for o in options]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise _error("option_twice", source=source, names=", ".join(twice))
    return Plan(service, options, source)


def load_plan(plan: str | Path | dict, factors: FactorSet) -> Plan:
    """A plan file's path, or its mapping (a notebook), → a checked :class:`Plan`."""
    if isinstance(plan, dict):
        return parse_plan(plan, factors)
    return parse_plan(read_plan_file(plan), factors, source=str(plan))
