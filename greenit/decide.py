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

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from greenit.errors import GreenitError
from greenit.factors import FactorSet, load_factors
from greenit.options import Options

if TYPE_CHECKING:
    import pandas as pd

    from greenit.results.estimates import WorkloadEstimate


def _factor_set(factors) -> FactorSet:
    return factors if isinstance(factors, FactorSet) else load_factors(factors)


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
    from greenit.ai.plan.planfile import load_plan
    from greenit.ai.plan.result import PlanResult
    from greenit.inventory.prices import checked_electricity_price

    factors = _factor_set(Options.of(options, **values).factors)
    # the one grammar of --electricity-price (€/kWh or €/MWh, TTC converted), as every command
    price = checked_electricity_price(electricity_price, factors)
    from greenit.yardsticks import check_population

    inhabitants = check_population(population)  # the one rule of --population, as report and estimate
    parsed = load_plan(plan, factors)
    if inhabitants is not None:
        parsed = replace(parsed, service=replace(parsed.service, population=float(inhabitants)))
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


def _log_footprint(path: Path, name: str | None, system: str, logs: _Logs) -> dict:
    """A system's footprint from a run or usage log: its project's (or service's) runs, summed."""
    from greenit.ai.statement import SUMMED, project_runs

    runs, error = logs.runs(path)
    if runs is None:
        return {"error": "unreadable", "file": path.name, "detail": error}
    try:
        mine = project_runs(runs, name) if name else project_runs(runs, system)
    except GreenitError:
        if name:
            return {"error": "none_in_log", "file": path.name, "name": name}
        mine = runs  # the whole log measures the system
    mine = mine[mine["estimate_status"] == "estimated"]
    usage = bool(len(mine)) and bool((mine["source"] == "hosted").all())  # a usage log has requests, not runs
    return {
        "kind": "usage" if usage else "log",
        "file": path.name,
        "runs": len(mine),
        "requests": float(mine["requests"].fillna(0).sum()),
        **{k: float(mine[k].sum()) for k in SUMMED},
    }


#: the options that change what an AI log's estimate is (the rest: how files are reported, the language)
AI_ESTIMATE_FIELDS = (
    "country",
    "accelerator",
    "year",
    "grid_factor_kg_per_kwh",
    "keep_log_intensity",
    "electricity_price",
)


def same_ai_estimate(one: Options, other: Options) -> bool:
    """Whether AI logs estimated with ``one`` and with ``other`` give the same rows: the same
    factor tables (the same object) and the same values of :data:`AI_ESTIMATE_FIELDS`.
    """
    if not (isinstance(one.factors, FactorSet) and one.factors is other.factors):
        return False
    return all(getattr(one, f) == getattr(other, f) for f in AI_ESTIMATE_FIELDS)


class _Logs:
    """The logs a register names, each estimated once per register read.

    ``known`` is AI logs already estimated and the options they were read with (the report's
    :func:`greenit.api.estimate_ai_files`): a file it read is taken from there (its rows) instead
    of being estimated again — only when the options that change an estimate are the same
    (:func:`same_ai_estimate`) and no other file of its kind was read with it (runs found in two
    logs are counted once: its rows could then differ from the file read alone). Otherwise, or
    for another file, the file is estimated alone, as the register always did.
    """

    def __init__(self, options: Options, known: tuple[Options, WorkloadEstimate] | None = None) -> None:
        self.options = options
        self.known = known[1] if known is not None and same_ai_estimate(known[0], options) else None
        self._read: dict[str, tuple] = {}

    def runs(self, path: Path) -> tuple[pd.DataFrame | None, str | None]:
        """The estimated rows of the log ``path`` (None and why when it could not be read)."""
        key = os.path.realpath(path)
        if key not in self._read:
            known = self._known_rows(path)
            self._read[key] = (known, None) if known is not None else self._estimate(path)
        return self._read[key]

    def _estimate(self, path: Path) -> tuple[pd.DataFrame | None, str | None]:
        from greenit.api import estimate_ai_files

        estimate = estimate_ai_files([path], self.options)
        if estimate.file_errors:
            return None, estimate.file_errors[0].get("error")
        return estimate.runs, None

    def _known_rows(self, path: Path) -> pd.DataFrame | None:
        if self.known is None:
            return None
        files = self.known.files
        mine = [f for f in files if _same_file(f["file"], path)]
        if len(mine) != 1:
            return None
        usage = mine[0]["kind"] == "usage_log"
        if sum((f["kind"] == "usage_log") == usage for f in files) != 1:
            return None  # another log of its kind read with it: duplicates across them counted once
        runs = self.known.runs
        return runs[(runs["file"] == mine[0]["file"]).to_numpy(dtype=bool)]


def _same_file(one: str | Path, other: str | Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def _plan_footprint(path: Path, name: str | None, options: Options) -> dict:
    """A system's footprint as planned: the plan's option ``name`` (default: its first)."""
    result = plan_ai(path, options).to_json(options.lang)
    chosen = [o for o in result["options"] if name is None or o["option"] == name]
    if not chosen:
        return {"error": "no_option", "file": path.name, "name": name}
    o = chosen[0]
    keys = ("energy_kwh", "total_kgco2e", "total_low_kgco2e", "total_high_kgco2e", "eur_per_year")
    return {"kind": "plan", "file": path.name, "option": o["option"], **{k: o[k] for k in keys}}


def system_footprint(
    reference: str | None, register: Path, system: str, options: Options, logs: _Logs | None = None
) -> dict | None:
    """The footprint of one register line's ``measured_by`` (a log or a plan), or None when none.

    ``logs``: the logs already estimated for this register (default: none yet).
    """
    from greenit.ai.register import measure_reference

    path, name = measure_reference(reference, register)
    if path is None:
        return None
    if not path.is_file():
        return {"error": "unreadable", "file": path.name, "detail": "fichier introuvable / file not found"}
    try:
        if path.suffix.lower() == ".toml":
            return _plan_footprint(path, name, options)
        return _log_footprint(path, name, system, logs if logs is not None else _Logs(options))
    except GreenitError as error:
        return {"error": "unreadable", "file": path.name, "detail": error.message}


def read_ai_register(
    path: str | Path,
    options: Options | None = None,
    *,
    known: tuple[Options, WorkloadEstimate] | None = None,
    **values,
) -> dict:
    """The town's AI register, each system with its role, risk class, duties to check and footprint.

    Parameters
    ----------
    path : the register (CSV, XLSX…): one line per AI system — name, purpose, supplier, the
        town's role (deployer or provider), the risk class it declares, the log or plan that
        measures it (relative to the register; ``file#name`` picks a project or an option).
    options : an :class:`~greenit.options.Options` (or its fields), for reading the logs.
    known : AI logs already estimated (``(options, estimate)`` of
        :func:`greenit.api.estimate_ai_files`, a report's): a log the register names that was
        read there with the same options is not estimated again. Each log is estimated once.

    Returns ``summary.json``'s ``ai_register``: ``file`` and ``systems`` [{``name, purpose,
    supplier, role, risk_class, chatbot, obligations`` [{``key, text``}], ``measured_by``,
    ``footprint`` (``kind`` log | usage | plan, ``energy_kwh``, ``total_kgco2e`` with its range; or
    ``error``), ``reason``}], texts in the options' language.
    """
    return AiRegister(path, Options.of(options, **values)).read(known)


class AiRegister:
    """A register of AI systems read (its lines checked), whose footprints are measured when
    :meth:`read` is called — ``greenit report`` reads the file first (a bad register stops before
    anything is estimated) and measures once its AI logs are estimated, to reuse them.
    """

    def __init__(self, path: str | Path, options: Options) -> None:
        from greenit.ai.register import read_register
        from greenit.i18n import check_language

        self.path = path
        self.lang = check_language(options.lang)
        self.options = replace(options, factors=_factor_set(options.factors), on_missing="report")
        self.lines = read_register(path)

    def read(self, known: tuple[Options, WorkloadEstimate] | None = None) -> dict:
        """:func:`read_ai_register`'s result; ``known`` as there."""
        systems, logs = [], _Logs(self.options, known)
        for row in self.lines.itertuples(index=False):
            footprint = system_footprint(row.measured_by, Path(self.path), row.name or "", self.options, logs)
            systems.append(_system(row, footprint, self.lang))
        return {"file": str(self.path), "systems": systems}


def _system(row, footprint: dict | None, lang: str) -> dict:
    """One line of the register as ``summary.json`` writes it, with its footprint."""
    from greenit.ai.register import is_chatbot, obligations
    from greenit.i18n import render_value, text

    chatbot = is_chatbot(row.name, row.purpose)
    keys = obligations(row.role_key, row.risk_key, chatbot)
    return {
        "name": row.name,
        "purpose": row.purpose,
        "supplier": row.supplier,
        "role": row.role_key,
        "risk_class": row.risk_key,
        "role_text": text(f"aigov.register.role.{row.role_key}", lang)
        if row.role_key
        else row.role or text("aigov.register.not_declared", lang),
        "risk_text": text(f"aigov.register.risk.{row.risk_key}", lang)
        if row.risk_key
        else row.risk_class or text("aigov.register.not_declared", lang),
        "chatbot": chatbot,
        "obligations": [{"key": k, "text": text(f"aigov.obligation.{k}", lang)} for k in keys],
        "measured_by": row.measured_by,
        "footprint": _footprint_text(footprint, lang),
        "reason": render_value(row.reason, lang) if row.reason is not None else None,
        "line": int(row.line),
    }


def _footprint_text(footprint: dict | None, lang: str) -> dict | None:
    """The footprint with the sentence that says where it comes from (or why it is missing)."""
    from greenit.i18n import render_value, text
    from greenit.reporting.plan import energy
    from greenit.reporting.text import Words

    if footprint is None:
        return None
    if "error" in footprint:
        values = {k: render_value(v, lang) for k, v in footprint.items() if k != "error"}
        key = f"aigov.register.footprint.{footprint['error']}"
        return {
            **footprint,
            "total_kgco2e": None,
            "text": text(key, lang, error=values.get("detail", ""), **values),
        }
    w = Words(lang)
    if footprint["kind"] == "plan":
        said = text("aigov.register.footprint.plan", lang, option=footprint["option"], file=footprint["file"])
    else:
        said = text(
            f"aigov.register.footprint.{footprint['kind']}",
            lang,
            energy=energy(w, footprint["energy_kwh"]),
            file=footprint["file"],
            runs=w.count(footprint["runs"]),
            requests=w.count(footprint["requests"]),
        )
    return {**footprint, "text": said}


#: what a town asks an AI supplier, in order (catalogue ``aigov.questionnaire.item.KEY``)
QUESTIONNAIRE_ITEMS = (
    "energy_per_request",
    "emissions_per_request",
    "hardware",
    "model_size",
    "location",
    "pue",
    "electricity",
    "water",
    "embodied",
    "training",
    "method",
)


def _plan_estimates(path: Path, options: Options) -> list[dict]:
    result = plan_ai(path, options).to_json(options.lang)
    out = []
    for o in result["options"]:
        if o["kind"] == "baseline" or o["status"] != "estimated":
            continue
        requests = result["service"]["requests_per_year"]
        out.append(
            {
                "subject": o["option"],
                "source": Path(path).name,
                "model": o["model"],
                "provider": o["provider"],
                "accelerator": o["accelerator"],
                "accelerator_count": o["accelerator_count"],
                "energy_per_request_wh": o["per_request_wh"],
                "energy_per_request_low_wh": (o["energy_low_kwh"] or 0) * 1000 / requests,
                "energy_per_request_high_wh": (o["energy_high_kwh"] or 0) * 1000 / requests,
                "gco2e_per_request": o["per_request_gco2e"],
                "embodied_per_request_gco2e": (o["embodied_kgco2e"] or 0) * 1000 / requests,
                "pue": o["pue"],
                "country": o["country"],
                "grid_gco2e_per_kwh": (o["carbon_intensity_kg_per_kwh"] or 0) * 1000 or None,
                "method": o["energy_method"],
            }
        )
    return out


def _first(values) -> str | None:
    """The first text of a column, or None."""
    texts = [str(v).strip() for v in values if isinstance(v, str) and str(v).strip()]
    return texts[0] if texts else None


def _log_estimates(paths: list[Path], options: Options) -> list[dict]:
    """Per service × model (hosted usage) and per project (runs): the figures per request."""
    from greenit.api import estimate_ai_files

    runs = estimate_ai_files(paths, options).runs
    runs = runs[(runs["estimate_status"] == "estimated") & (runs["requests"].fillna(0) > 0)]
    out = []
    keys = ["project", "model" if "model" in runs.columns else "project", "accelerator"]
    frame = runs.assign(**{k: runs[k].astype(object).where(runs[k].notna(), "") for k in keys if k in runs})
    for (project, model, accelerator), group in frame.groupby(keys, sort=False):
        requests = float(group["requests"].sum())
        out.append(
            {
                "subject": str(project),
                "source": ", ".join(sorted({Path(str(f)).name for f in group["file"]})),
                "model": model or None,
                "provider": str(group["provider_label"].iloc[0])
                if "provider_label" in group and model
                else None,
                # the accelerator as the log names it (« NVIDIA L4 »), not greenit's key (« l4 »)
                "accelerator": _first(group["accelerator_label"]) or accelerator or None,
                "accelerator_count": float(group["accelerator_count"].max()) if accelerator else None,
                "energy_per_request_wh": float(group["energy_kwh"].sum()) * 1000 / requests,
                "energy_per_request_low_wh": float(group["energy_low_kwh"].sum()) * 1000 / requests,
                "energy_per_request_high_wh": float(group["energy_high_kwh"].sum()) * 1000 / requests,
                "gco2e_per_request": float(group["total_kgco2e"].sum()) * 1000 / requests,
                "embodied_per_request_gco2e": float(group["embodied_kgco2e"].sum()) * 1000 / requests,
                "pue": float(group["pue_used"].mean()) if group["pue_used"].notna().any() else None,
                "country": str(group["country"].iloc[0]),
                "grid_gco2e_per_kwh": float(group["carbon_intensity_used_kg_per_kwh"].mean()) * 1000,
                "method": str(group["energy_method"].iloc[0]),
            }
        )
    return out


def ai_questionnaire(inputs=(), options: Options | None = None, **values) -> dict:
    """What a town should ask an AI supplier, with greenit's estimate beside each question.

    ``inputs``: nothing (the questions alone), a plan (TOML: each AI option) or usage and run
    logs (per service and model, per project: figures per request). Returns the document's
    object: ``items`` (the questions' keys, in order), ``estimates`` (one per option, service or
    project: energy and emissions per request with their range, the embodied share, PUE, place,
    grid factor, method), ``lang``.
    """
    from greenit.i18n import check_language

    options = Options.of(options, **values)
    options = replace(options, factors=_factor_set(options.factors), lang=check_language(options.lang))
    paths = [Path(p) for p in ([inputs] if isinstance(inputs, (str, Path)) else list(inputs))]
    plans = [p for p in paths if p.suffix.lower() == ".toml"]
    logs = [p for p in paths if p.suffix.lower() != ".toml"]
    estimates = [e for plan in plans for e in _plan_estimates(plan, options)]
    if logs:
        estimates += _log_estimates(logs, options)
    return {
        "items": list(QUESTIONNAIRE_ITEMS),
        "estimates": estimates,
        "inputs": [str(p) for p in paths],
        "lang": options.lang,
    }
