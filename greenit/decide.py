"""The public functions for deciding on AI, as a notebook calls them — and the CLI calls the same.

- :func:`plan_ai` — a planned service's options compared over a year (``greenit ai plan``);
- :func:`ai_statement` — the statement of a model the town trains or fine-tunes
  (``greenit ai statement``);
- :func:`read_ai_register` — the town's register of AI systems, with each system's footprint
  (``greenit report --ai-register``);
- :func:`ai_questionnaire` — what to ask an AI supplier, with greenit's estimate beside it
  (``greenit ai questionnaire``).

They check what they are given and call :mod:`greenit.ai` in order; the rendering is
:mod:`greenit.reporting`'s.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from greenit.errors import GreenitError
from greenit.factors import FactorSet, load_factors
from greenit.options import Options


def _factor_set(factors) -> FactorSet:
    return factors if isinstance(factors, FactorSet) else load_factors(factors)


def check_population(population: object) -> float | None:
    """``population`` when it is a positive whole number (or None), else a GreenitError."""
    if population is None:
        return None
    if isinstance(population, bool) or not isinstance(population, (int, float)) or population <= 0:
        raise GreenitError.of("aiplan.error.population", value=str(population))
    if float(population) != int(population):
        raise GreenitError.of("aiplan.error.population", value=str(population))
    return float(population)


def plan_ai(
    plan: str | Path | dict,
    options: Options | None = None,
    *,
    electricity_price: float | str | None = None,
    population: int | None = None,
    **values,
):
    """A planned AI service's options compared over a year.

    Parameters
    ----------
    plan : a plan file (TOML, see ``greenit ai plan --template``) or the same mapping built in
        Python (``{"service": {...}, "option": [{...}, ...]}``).
    electricity_price : price of electricity [€/kWh excl. VAT] for self-hosted options
        (``0.21`` or ``"0,21 €/kWh"``); overrides the plan's ``electricity_price``.
    population : inhabitants, for the figures per inhabitant; overrides the plan's.
    options : an :class:`~greenit.options.Options`, or its fields as keywords: ``factors`` (a
        FactorSet, or a folder/CSV laid over the packaged tables).

    Returns a :class:`greenit.ai.plan.result.PlanResult`: ``.to_json()`` is what ``greenit ai
    plan --json`` prints (``options`` in the plan's order, each with ``option, energy_kwh,
    total_kgco2e, total_low_kgco2e, total_high_kgco2e, eur_per_year, per_request_gco2e`` and
    more), ``.frame()`` the same options as a DataFrame.
    """
    from greenit.ai.plan.estimate import estimate_plan
    from greenit.ai.plan.planfile import load_plan, parse_electricity_price
    from greenit.ai.plan.result import PlanResult

    factors = _factor_set(Options.of(options, **values).factors)
    price = parse_electricity_price(electricity_price) if electricity_price is not None else None
    inhabitants = check_population(population)
    parsed = load_plan(plan, factors)
    if inhabitants is not None:
        parsed = replace(parsed, service=replace(parsed.service, population=inhabitants))
    origin = (
        "option" if price is not None else "plan" if parsed.service.electricity_price_eur_per_kwh else None
    )
    price = price if price is not None else parsed.service.electricity_price_eur_per_kwh
    estimates = estimate_plan(parsed, factors, price)
    return PlanResult(parsed, estimates, factors, price, origin)


def ai_statement(logs, project: str, options: Options | None = None, **values) -> dict:
    """The statement of one project's model (training, fine-tuning, evaluation runs), from AI logs.

    Parameters
    ----------
    logs : run logs as ``greenit ai estimate`` reads them (CSV, XLSX, CodeCarbon, Slurm, BoAmps…).
    project : the project's name as the logs write it (accents and case aside).
    options : an :class:`~greenit.options.Options`, or its fields as keywords, as for
        :func:`greenit.api.estimate_ai_files` (``country``, ``factors``, ``lang``…).

    Returns ``statement.json``'s object: ``project, energy_kwh, total_kgco2e, total_low_kgco2e,
    total_high_kgco2e, hardware, location, method`` (energy measured or estimated, per method)
    and the period, hours, accelerator-hours, each run, the runs that could not be estimated and
    the ``sources``. Its energy is the sum of the project's runs in :func:`greenit.api.estimate_ai_files`.
    """
    from greenit.ai.statement import statement, statement_sources
    from greenit.api import estimate_ai_files
    from greenit.i18n import check_language, render_value

    options = Options.of(options, **values)
    lang = check_language(options.lang)
    factors = _factor_set(options.factors)
    estimate = estimate_ai_files(logs, options, factors=factors)
    if estimate.file_errors:  # a statement leaves no run out: a file that could not be read stops it
        failed = estimate.file_errors[0]
        raise GreenitError.of(
            "aigov.statement.file_failed", file=str(failed.get("file")), error=failed.get("error")
        )
    result = statement(estimate.runs, project, factors)
    result["runs_flagged"] = [
        {**r, "reason": render_value(r["reason"], lang)} for r in result["runs_flagged"]
    ]
    result["sources"] = statement_sources(result, factors)
    result["files_failed"] = (
        [str(e.get("file")) for e in estimate.file_errors] if estimate.file_errors else []
    )
    result["lang"] = lang
    return result


def source_rows(ids: list[str], factors: FactorSet | str | Path | None = None) -> list[dict]:
    """The ``sources.csv`` rows of ``ids`` (id, publisher, title, year, url), for a page's list."""
    rows = _factor_set(factors).sources
    return [
        {"id": i, **{c: rows.at[i, c] for c in ("publisher", "title", "year", "url")}}
        for i in ids
        if i in rows.index
    ]
