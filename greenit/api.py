"""The public functions a notebook calls — and the CLI calls the same ones.

Read → normalise → estimate over several files (:func:`estimate_files`,
:func:`estimate_ai_files`), the report and its result (:func:`build_report`,
:func:`footprint_result`), and what an analyst does with estimates already made: levers
(:func:`compare_levers`), two estimates compared, the factor rows and sources behind the figures,
the charts. The work is done in the packages below; these functions check what they are given
and call them in order.

A file that cannot be read is reported and skipped: it never stops the other files. A file
that does not exist is an error before anything is read (``on_missing="raise"``, the API's
default), or reported like a bad one (``on_missing="report"``, the CLI's per-file report).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd

from greenit.errors import GreenitError
from greenit.factors import FactorSet, load_factors
from greenit.i18n import check_language
from greenit.inventory.columns import INVENTORY_ALIASES
from greenit.inventory.prices import checked_electricity_price, checked_price_basis
from greenit.levers import DEFAULT_LEVERS
from greenit.options import Options
from greenit.parsing.files import as_paths, require_files
from greenit.parsing.headers import parse_column_specs
from greenit.reporting.exports import write_estimate_outputs  # noqa: F401  (re-exported: the CLI calls it here)
from greenit.results.estimates import InventoryEstimate, WorkloadEstimate
from greenit.results.rows import compare_groups

if TYPE_CHECKING:  # read only by the functions that compare levers and draw reports (not `estimate`)
    from greenit.levers.specs import Lever
    from greenit.results.footprint import FootprintResult


class RegisterToRead(Protocol):
    """A register of AI systems whose footprints are measured once the report's AI logs are
    estimated (:class:`greenit.decide.AiRegister`).
    """

    def read(self, known: tuple[Options, WorkloadEstimate] | None = None) -> dict: ...


def default_year(today: _dt.date | None = None) -> int:
    """The last complete calendar year: the reference year when none is given."""
    return (today or _dt.date.today()).year - 1


def check_year(year: int | None) -> int:
    """``year`` if it is a four-digit year no later than next year, else a GreenitError; the
    default (:func:`default_year`) when None.
    """
    if year is None:
        return default_year()
    latest = _dt.date.today().year + 1
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= latest:
        raise GreenitError.of("results.year.invalid", "results.year.hint", year=str(year), latest=latest)
    return year


def _factor_set(factors) -> FactorSet:
    return factors if isinstance(factors, FactorSet) else load_factors(factors)


def _inventory_options(options: Options, paths: list[str | Path]) -> Options:
    """``options`` checked for reading inventories, before any file is read: the year, the
    files (missing ones, as ``on_missing`` says), the factor tables loaded, the country, the
    ``--column`` mappings parsed, the default category resolved.
    """
    from greenit.inventory.lifespans import check_lifespan_rule
    from greenit.inventory.resolve import check_category_name
    from greenit.inventory.room import check_pue

    year = check_year(options.year)
    pue, rule = check_pue(options.pue), check_lifespan_rule(options.lifespan_rule)
    require_files([*paths, *as_paths(options.services)], options.on_missing)
    factors = _factor_set(options.factors)
    country = checked_country(options.country, factors)
    _check_sheet(options.sheet, paths)
    default_category = options.default_category
    if default_category is not None:
        default_category = check_category_name(default_category, factors, option="--default-category")
    return replace(
        options,
        year=year,
        factors=factors,
        country=country,
        columns=parse_column_specs(options.columns, INVENTORY_ALIASES),
        default_category=default_category,
        pue=pue,
        lifespan_rule=rule,
        electricity_price=checked_electricity_price(options.electricity_price, factors),
        price_basis=checked_price_basis(options.price_basis),
    )


def estimate_services_file(path: str | Path, factors=None, *, sheet: str | int | None = None):
    """The services a town buys (one line per service: ``service, nature`` and its yearly spend
    in € excl. VAT, users, lines, GB or the supplier's footprint), each estimated or flagged with
    its file and line — a :class:`~greenit.results.services.ServicesSummary`.
    """
    from greenit.results.services import ServicesSummary
    from greenit.services.estimate import estimate_services
    from greenit.services.read import read_services

    lines = read_services(path, sheet=sheet)
    estimated = estimate_services(lines, _factor_set(factors))
    return ServicesSummary(estimated, files=[str(path)], columns=lines.attrs.get("columns", {}), read=lines)


def _ai_options(options: Options, paths: list[str | Path]) -> Options:
    """``options`` checked for reading AI logs: the files, the factor tables, the country, the
    accelerator model (a wrong one stops before any file is read).
    """
    from greenit.ai.runs.accelerators import check_accelerator

    require_files(paths, options.on_missing)
    factors = _factor_set(options.factors)
    country = checked_country(options.country, factors)
    if options.accelerator is not None:
        check_accelerator(factors, options.accelerator)
    year = check_year(options.year) if options.year is not None else None  # None: every row counted
    price = checked_electricity_price(options.electricity_price, factors)
    return replace(options, factors=factors, country=country, year=year, electricity_price=price)


def _check_sheet(sheet: str | int | None, paths: list[str | Path]) -> None:
    """A GreenitError when ``--sheet`` is given and no file has sheets: an option that would
    change nothing is a mistake said, never ignored.
    """
    from greenit.parsing.readers import is_workbook

    if sheet is not None and paths and not any(is_workbook(p) for p in paths):
        raise GreenitError.of(
            "parsing.file.sheet_without_workbook",
            "parsing.file.sheet_without_workbook_hint",
            sheet=str(sheet),
        )


def checked_country(country: str, factors: FactorSet) -> str:
    """``--country`` as people write it — « France », « fr », « FRA » — as its ISO-3 code, the
    way a file's country column is read; a GreenitError with the known codes otherwise.
    """
    from greenit.parsing.countries import country_code

    code = country_code(country, set(factors.electricity.index)) or str(country)
    factors.grid_factor(code)  # raises with the list of known codes
    return code


def estimate_files(
    paths: str | Path | Iterable[str | Path],
    options: Options | None = None,
    *,
    on_error: Callable[[GreenitError], None] | None = None,
    keep_rows: bool = True,
    rows_sink=None,
    **values,
) -> InventoryEstimate:
    """Estimate the yearly footprint of inventory files (CSV, XLSX; GLPI, G4IT or free layout).

    Parameters
    ----------
    paths : one file or a list of files to read; a bad one is reported in ``file_errors`` and
        skipped; a missing one raises, unless ``on_missing="report"`` (then it is reported like a
        bad one).
    options : an :class:`~greenit.options.Options`; its fields may also be given as keywords
        (``year=2025, method="flux", country=…, grid_factor_kg_per_kwh=…, factors=…,
        columns=…, sheet=…, default_category=…, on_missing=…, electricity_price="0,21 €/kWh",
        price_basis="ht"``), which replace its values. The result's ``budget`` (renewal and
        electricity in € excl. VAT, the priced share, AGEC by spend) comes with the tonnes.
    keep_rows : keep every estimated row (``rows``, ``normalised``: levers, reports, notebooks)
        [default]. With False, large CSV files are read and estimated in batches in bounded
        memory and only the summary is kept (the same figures); ``rows_sink`` (e.g.
        :class:`greenit.reporting.rowsink.CsvRowsSink`) receives each batch's rows.

    Raises GreenitError when no file could be read.
    """
    from greenit.inventory.estimate import ScopeSettings
    from greenit.results.batches import estimate_files_read

    paths = as_paths(paths)
    options = _inventory_options(Options.of(options, **values), paths)
    services = None if options.services is None else estimate_services_file(options.services, options.factors)
    scope = ScopeSettings(
        pue=options.pue if isinstance(options.pue, float) else None,  # checked: a float or None
        lifespan_rule=str(options.lifespan_rule),
        consumables_purchased=services is not None and services.consumables_purchased,
    )
    read = estimate_files_read(
        paths, options.factors, options, keep_rows=keep_rows, sink=rows_sink, on_error=on_error, scope=scope
    )
    return InventoryEstimate(
        rows=read.rows,
        factors=options.factors,
        file_errors=read.errors,
        normalised=read.normalised,
        _summary=read.summary,
        services=services,
        lang=options.lang,
    )


def estimate_to_files(
    paths: str | Path | Iterable[str | Path],
    options: Options | None = None,
    *,
    rows_out: str | Path | None = None,
    xlsx_out: str | Path | None = None,
    **values,
) -> InventoryEstimate:
    """:func:`estimate_files`, writing ``rows_out`` (CSV, every row) and ``xlsx_out`` (a workbook
    in ``options.lang``) — ``greenit estimate``.

    The rows are kept only when the workbook needs them all; otherwise large files are read in
    batches in bounded memory and ``rows_out`` is written as they come, put in place only when
    every file went through. An output path that is one of the inputs is refused first.
    """
    from greenit.i18n import get_language

    options = Options.of(options, **values)
    lang = options.lang or get_language()
    paths = as_paths(paths)
    if xlsx_out is not None:
        estimate = estimate_files(paths, options)
        write_estimate_outputs(estimate, rows_out=rows_out, xlsx_out=xlsx_out, lang=lang, inputs=paths)
        return estimate
    if rows_out is None:
        return estimate_files(paths, options, keep_rows=False)
    from greenit.reporting.output import check_outputs
    from greenit.reporting.rowsink import CsvRowsSink

    check_outputs([rows_out], paths)
    with CsvRowsSink(rows_out, lang) as sink:
        return estimate_files(paths, options, keep_rows=False, rows_sink=sink)


def estimate_ai_files(
    paths: str | Path | Iterable[str | Path], options: Options | None = None, **values
) -> WorkloadEstimate:
    """Energy and carbon of the runs in AI logs and of hosted generative-AI usage.

    Parameters
    ----------
    paths : one file or a list: run logs (CSV, XLSX, JSON Lines), CodeCarbon CSV, Slurm
        exports, and usage logs of hosted models (CSV/XLSX, providers' JSON usage exports);
        each file's kind is detected.
        A bad file is reported in ``file_errors`` and skipped; a missing one raises, unless
        ``on_missing="report"``.
    options : an :class:`~greenit.options.Options`, or its fields as keywords: ``country`` (of
        runs whose log gives no location, and of hosted requests whose log and provider give
        none), ``grid_factor_kg_per_kwh`` (one intensity [kgCO2e/kWh] for every run and request;
        also taken as ``carbon_intensity_kg_per_kwh``), ``factors``, ``accelerator`` (of runs
        that do not name one: a Slurm export), ``keep_log_intensity`` (keep the emissions
        CodeCarbon computed with its own intensity), ``on_missing``.
    """
    from greenit.ai.files import read_ai_logs
    from greenit.ai.hosted.estimate import estimate_hosted
    from greenit.ai.runs.estimate import estimate_workloads

    paths = as_paths(paths)
    options = _ai_options(Options.of(options, **values), paths)
    factors, country = options.factors, options.country
    runs, usage, files, errors = read_ai_logs(
        paths, factors, country=country, accelerator=options.accelerator, year=options.year
    )
    intensity = options.grid_factor_kg_per_kwh
    parts = []
    if runs is not None:
        keep = options.keep_log_intensity
        parts.append(
            estimate_workloads(runs, factors, grid_factor_kg_per_kwh=intensity, keep_log_intensity=keep)
        )
    if usage is not None:
        parts.append(
            estimate_hosted(usage, factors, default_country=country, grid_factor_kg_per_kwh=intensity)
        )
    estimated = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    estimated.attrs["factors_version"] = factors.version
    from greenit.inventory.budget import electricity_price
    from greenit.parsing.frozen import frozen

    price = electricity_price(factors, options.electricity_price)  # type: ignore[arg-type]
    # frozen: pandas copies a frame's attrs into every frame an operation returns
    estimated.attrs["electricity_price_eur_per_kwh"] = frozen(tuple(float(p) for p in price))
    estimated.attrs["electricity_price_given"] = options.electricity_price is not None
    from greenit.levers.money import hosted_eur

    rows = hosted_eur(parts[-1] if usage is not None else None, factors)  # at per-token prices
    estimated.attrs["hosted_eur"] = None if rows is None else float(np.nansum(rows))
    estimated.attrs["hosted_priced_share"] = None if rows is None else float((~np.isnan(rows)).mean())
    return WorkloadEstimate(
        runs=estimated,
        factors=factors,
        file_errors=errors,
        normalised=runs,
        usage=usage,
        files=files,
        country=country,
        year=options.year,
        lang=options.lang,
    )


def ai_options_of(options: Options) -> Options:
    """The options the AI logs of a report or a lever comparison are read with: the inventory's,
    but ``--grid-factor`` is the equipment's electricity — AI runs keep the factor of the place
    they ran (as the ``grid=`` lever), the AI-only options at their defaults.
    """
    return replace(
        options,
        year=check_year(options.year),  # the report's year: AI rows of other years are kept out
        grid_factor_kg_per_kwh=None,
        accelerator=None,
        keep_log_intensity=False,
    )


def build_footprint(
    inventory_paths: str | Path | Sequence[str | Path],
    options: Options | None = None,
    *,
    ai_paths: str | Path | Sequence[str | Path] = (),
    headcount: int | None = None,
    levers: Iterable[str | Lever] | None = None,
    title: str | None = None,
    scenarios: Iterable[str | Lever] | None = None,
    population: int | None = None,
    **values,
):
    """Estimate the inventory and the AI runs, compare the levers: the one result a report renders
    (:func:`footprint_result` of the two estimates).

    ``options`` (or its fields as keywords) as for :func:`estimate_files`; ``levers`` (also taken
    as ``scenarios``, their former name) default to lifespan +2 years, 30 % refurbished, 50 %
    reuse. Returns ``(FootprintResult, InventoryEstimate)``; the estimate is kept for the per-row
    file.
    """
    specs = levers if levers is not None else scenarios
    options = Options.of(options, **values)
    result, inventory, _ = _build_footprint(
        inventory_paths, options, ai_paths, headcount, specs, title, population
    )
    return result, inventory


def _build_footprint(inventory_paths, options: Options, ai_paths, headcount, specs, title, population):
    """:func:`build_footprint`, and the AI logs' estimate with the options it was made with
    (``(options, WorkloadEstimate)``, None without AI logs): a register reuses it.
    """
    from greenit.yardsticks import check_headcount, check_population

    inventory_paths, ai_paths = as_paths(inventory_paths), as_paths(ai_paths)
    check_headcount(headcount)
    check_population(population)
    options = replace(options, factors=_factor_set(options.factors))
    from greenit.levers.specs import parse_levers

    parsed = parse_levers(specs if specs is not None else DEFAULT_LEVERS, options.factors)
    require_files([*inventory_paths, *ai_paths], options.on_missing)  # before the inventory is estimated
    inventory = estimate_files(inventory_paths, options)
    workloads = known = None
    if ai_paths:
        ai_options = ai_options_of(options)
        workloads = estimate_ai_files(ai_paths, ai_options)
        known = (ai_options, workloads)
    result = footprint_result(
        inventory,
        workloads,
        levers=parsed,
        headcount=headcount,
        population=population,
        title=title,
        inputs=[str(p) for p in inventory_paths],
        ai_inputs=[str(p) for p in ai_paths],
    )
    return result, inventory, known


def build_report(
    inventory_paths: str | Path | Sequence[str | Path],
    out_dir: str | Path,
    options: Options | None = None,
    *,
    ai_paths: str | Path | Sequence[str | Path] = (),
    headcount: int | None = None,
    levers: Iterable[str | Lever] | None = None,
    title: str | None = None,
    history: str | Path | None = None,
    organisation: str | None = None,
    scenarios: Iterable[str | Lever] | None = None,
    ai_register: dict | RegisterToRead | None = None,
    population: int | None = None,
    beges_out: str | Path | None = None,
    xlsx_out: str | Path | None = None,
    pdf: bool = False,
    **values,
):
    """Estimate, compare levers, and write ``out_dir``: ``report.html``, ``summary.json`` (the
    result the report is rendered from), the charts as PNG and SVG, and the rows as CSV.

    ``options`` (or its fields as keywords: ``year``, ``lang`` [default ``fr``], ``method``,
    ``country``, ``grid_factor_kg_per_kwh``, ``factors``, ``columns``, ``sheet``,
    ``default_category``, ``on_missing``) mirror ``greenit report``; ``levers`` (also taken as
    ``scenarios``) are lever specs such as ``"lifespan+2"`` (default: lifespan +2 years, 30 %
    refurbished, 50 % reuse). ``history`` (a file of ``greenit history``) adds the « Évolution »
    section: the recorded years of ``organisation`` (default: the only one, or all together) on
    one method, the target and the gap. ``ai_register`` (the town's register of AI systems as
    :func:`greenit.decide.read_ai_register` reads it, or a :class:`greenit.decide.AiRegister`,
    measured here: the logs it names that the report estimated with the same options are not
    estimated again) makes the AI section a governance box.
    ``headcount`` and ``population`` give the figures per agent and per inhabitant; ``beges_out``
    (.csv or .xlsx) writes the BEGES postes there too, ``xlsx_out`` every table of the report,
    ``pdf`` ``report.pdf`` (a headless Chromium).
    """
    from greenit.reporting.output import check_outputs
    from greenit.reporting.report import write_report

    options = Options.of(options, **values)
    lang = options.lang or "fr"
    inventory_paths, ai_paths = as_paths(inventory_paths), as_paths(ai_paths)
    check_language(lang)
    if history is not None:
        from greenit.history.store import HistoryStore

        HistoryStore(history).check(write=False)  # not there, not greenit's: said before estimating
    paths = [*inventory_paths, *ai_paths, *as_paths(options.services)]  # never overwritten by an output
    check_outputs([Path(out_dir) / name for name in ("report.html", "summary.json")], paths, folder=out_dir)
    given_factors = options.factors
    specs = levers if levers is not None else scenarios
    result, inventory, known = _build_footprint(
        inventory_paths, options, ai_paths, headcount, specs, title, population
    )
    refuse_failed_files(result)  # a report for elected officials never leaves a file out unsaid
    register = (
        ai_register if ai_register is None or isinstance(ai_register, dict) else ai_register.read(known)
    )
    section = None
    if history is not None:
        from greenit.history.evolution import read_evolution, with_current

        today = result.factors if given_factors is not None else None  # else each year's own --factors again
        section = with_current(read_evolution(history, organisation, today), result.to_json(lang))
    rows = inventory.rows_out(lang)
    return write_report(
        out_dir,
        result,
        lang=lang,
        rows=rows,
        inputs=paths,
        history=section,
        beges_out=beges_out,
        xlsx_out=xlsx_out,
        pdf=pdf,
        register=register,
    )


def refuse_failed_files(result) -> None:
    """An InputFileError naming the first input file that could not be read, and how many did not.

    ``greenit estimate`` prints what it read and exits 2; a report is handed on as it is, so it is
    written from every file given or not at all (as ``greenit history add`` records a year whole).
    """
    from greenit.errors import InputFileError

    workloads = result.workloads
    failed = [*result.inventory.file_errors, *(workloads.file_errors if workloads is not None else [])]
    if failed:
        first = failed[0]
        raise InputFileError.of(
            "reporting.input_failed",
            "reporting.input_failed_hint",
            file=first["file"],
            error=first["error"],
            others=len(failed) - 1,
        )


def factor_row(factors: FactorSet, table: str, key: str, frame: pd.DataFrame | None = None) -> str:
    """The key of the row ``key`` names in the factor table ``table`` (``greenit factors show``).

    Its key in any case; for ``devices``, a category named as ``--scenario`` takes it, in French
    or English (« portables »). Otherwise a GreenitError with the closest rows and every key.
    ``frame`` is the table as shown (default: ``factors``' own).
    """
    from greenit.factors.find import factor_table, find_row

    frame = factor_table(factors, table) if frame is None else frame
    if table != "devices":
        return find_row(frame, key, table=table)
    from greenit.factors.labels import row_labels
    from greenit.inventory.categories import closest_names
    from greenit.inventory.resolve import category_from_name

    return find_row(
        frame,
        key,
        table=table,
        by_name=lambda name: category_from_name(name, factors),
        suggest=lambda name: closest_names(name, row_labels(frame)),
    )


# ---------------------------------------------------------------------------------------------
# What an analyst does with estimates already made: levers, the report's result and charts, two
# estimates compared, the factor rows and sources behind the figures. Each takes what
# estimate_files and estimate_ai_files return, or an estimate an analyst filtered or built.


def _inventory(value, name: str = "inventory", optional: bool = False):
    """``value`` when it is an inventory estimate (rows, factors, summary), else a clear error."""
    if value is None and optional:
        return None
    if not all(hasattr(value, a) for a in ("rows", "factors", "normalised", "summary")):
        raise GreenitError.of(
            "analysis.not_an_inventory",
            "analysis.not_an_inventory_hint",
            name=name,
            kind=type(value).__name__,
        )
    return value


def _workloads(value, name: str = "workloads"):
    """``value`` when it is None or an AI estimate (runs, factors), else a clear error."""
    if value is not None and not all(hasattr(value, a) for a in ("runs", "factors", "normalised", "usage")):
        raise GreenitError.of(
            "analysis.not_workloads", "analysis.not_workloads_hint", name=name, kind=type(value).__name__
        )
    return value


def compare_levers(
    inventory=None,
    levers: Iterable[str | Lever] = DEFAULT_LEVERS,
    *,
    workloads=None,
    cumulative: bool = False,
    lang: str | None = None,
) -> pd.DataFrame:
    """The baseline, then each lever: yearly totals [kgCO2e/year] and change against the baseline.

    Parameters
    ----------
    inventory : an InventoryEstimate (None: AI levers only).
    levers : specs such as ``"lifespan+2"``, ``"refurbished=30%:laptop"``, ``"reuse=50%"``,
        ``"grid=32 g/kWh"``, ``"pue=1.2"``, ``"model=mistral-small-latest"``, ``"requests=-20%"``.
    workloads : a WorkloadEstimate, whose runs and hosted usage the AI levers transform.
    cumulative : each lever on top of the previous ones (the waterfall), instead of each alone.

    Returns one row per step: ``scenario`` (its label, in ``lang``), ``inventory_kgco2e`` (with
    ``_low``/``_high``), ``ai_kgco2e``, ``total_kgco2e``, ``change_kgco2e``, ``change_share``,
    ``step_kgco2e``, ``lever`` (as typed) and ``scope`` (what the lever acts on: ``inventory``,
    ``ai_runs`` or ``hosted`` — ``grid=`` is the equipment's electricity, AI runs keep the factor
    of the place they ran); the year, method and grid factor are the inventory's.
    """
    from greenit.levers.specs import parse_levers

    inventory, workloads = _inventory(inventory, optional=True), _workloads(workloads)
    if inventory is None and workloads is None:
        raise GreenitError.of("analysis.nothing_to_compare")
    lang = check_language(lang)
    parsed = parse_levers(levers, (inventory or workloads).factors)
    return _compare(inventory, parsed, workloads, cumulative, lang)


def _compare(
    inventory, parsed: list[Lever], workloads, cumulative: bool, lang: str, memo=None
) -> pd.DataFrame:
    """:func:`compare_levers` of estimates already checked and levers parsed; ``memo`` (a
    :class:`greenit.levers.compare.StepsMemo`) shares the states estimated between comparisons.
    """
    from greenit.levers.compare import compare_normalised

    factors = (inventory or workloads).factors
    if inventory is not None:
        inventory.check_rows_for_levers()
    attrs = inventory.rows.attrs if inventory is not None else {}
    price = attrs.get("electricity_price_eur_per_kwh") if attrs.get("electricity_price_given") else None
    if inventory is None and workloads is not None:
        price = workloads.runs.attrs.get("electricity_price_eur_per_kwh")
    return compare_normalised(
        inventory.normalised if inventory is not None else None,
        factors,
        parsed,
        year=int(attrs["year"]) if attrs.get("year") is not None else 0,
        method=attrs.get("method", "amortised"),
        grid_factor_kg_per_kwh=attrs.get("grid_factor_override"),
        scope=attrs.get("scope"),
        runs=workloads.normalised if workloads is not None else None,
        usage=workloads.usage if workloads is not None else None,
        cumulative=cumulative,
        lang=lang,
        electricity_price_eur_per_kwh=price[0] if isinstance(price, tuple) else price,
        memo=memo,
    )


def footprint_result(
    inventory,
    workloads=None,
    *,
    levers: Iterable[str | Lever] | None = DEFAULT_LEVERS,
    headcount: int | None = None,
    title: str | None = None,
    inputs: list[str] | None = None,
    ai_inputs: list[str] | None = None,
    population: int | None = None,
) -> FootprintResult:
    """The one result a report renders (``summary.json``), from estimates already made.

    Parameters
    ----------
    inventory : an InventoryEstimate — e.g. one department, ``estimate.subset(mask)``: its rows
        and the normalised frame the levers start from are filtered together.
    workloads : a WorkloadEstimate of AI runs and hosted usage, or None.
    levers : lever specs compared, alone and cumulative (``None`` or ``()``: none).
    headcount : agents, for the footprint per agent.
    population : inhabitants, for the footprint per inhabitant.
    inputs, ai_inputs : the files named in the result [default: the files the rows come from].
    """
    from greenit.levers.specs import parse_levers
    from greenit.results.footprint import FootprintResult
    from greenit.yardsticks import check_headcount, check_population

    inventory, workloads = _inventory(inventory), _workloads(workloads)
    check_headcount(headcount)
    check_population(population)
    parsed = parse_levers(levers or (), inventory.factors)
    from greenit.levers.compare import StepsMemo

    memo, lang = StepsMemo(), check_language(None)  # the two comparisons share their states
    compared = {
        cumulative: _compare(inventory, parsed, workloads, cumulative, lang, memo)
        for cumulative in ((True, False) if parsed else ())
    }
    return FootprintResult(
        inventory=inventory.summary(),
        workloads=workloads.summary() if workloads is not None else None,
        factors=inventory.factors,
        headcount=headcount,
        population=population,
        title=title,
        inputs=inputs if inputs is not None else _files(inventory.rows),
        ai_inputs=ai_inputs if ai_inputs is not None else _files(getattr(workloads, "runs", None)),
        levers=parsed,
        cumulative=compared.get(True),
        alone=compared.get(False),
    )


def _files(frame: pd.DataFrame | None) -> list[str]:
    if frame is None or "file" not in frame.columns:
        return []
    return [str(f) for f in pd.unique(frame["file"].dropna().astype(str))]


def footprint_charts(result: FootprintResult, lang: str | None = None) -> dict:
    """The report's charts of ``result``: name → matplotlib Figure (shown as an image in
    Jupyter; :func:`greenit.save_figure` writes PNG and SVG). Names: ``empreinte_par_categorie``,
    ``empreinte_par_direction``, ``age_des_equipements``, ``ia_par_projet``, ``leviers``, when
    the result has what they draw.
    """
    from greenit.reporting.report import draw_charts
    from greenit.reporting.text import Words

    summary = result.to_json(check_language(lang))
    return draw_charts(summary, Words.for_total(summary["lang"], summary["headline"]["total_kgco2e"]))


def compare_estimates(before, after, by: str = "category") -> pd.DataFrame:
    """Two inventory estimates (two years, or before and after a change) side by side per ``by``.

    Returns per value of ``by`` (``category``, ``entity``, ``site``, ``manufacturer``…):
    ``quantity_before``, ``quantity_after``, ``total_before_kgco2e``, ``total_after_kgco2e``,
    ``change_kgco2e`` (after − before) and ``change_share`` (of before; NaN when before is 0),
    largest change first. A value missing from one estimate counts 0 there.
    """
    before, after = _inventory(before, "before"), _inventory(after, "after")
    return compare_groups(before.rows, after.rows, by)


def factor_sources(inventory, workloads=None, lang: str | None = None) -> dict[str, pd.DataFrame]:
    """Where the figures come from: the factor rows an estimate used and their sources.

    Returns ``devices`` (per category: manufacture, lifespan, yearly energy with their ranges
    and the ids of their sources), ``electricity`` (per country: carbon intensity [kg/kWh],
    year, source id) and ``sources`` (id, publisher, title as published, year, URL, licence, and
    greenit's ``description`` and ``notes`` of the source in ``lang``, default the current
    language) — the report's appendix, as tables. With ``workloads``, the AI rows its estimated
    runs used, with their values: ``ai_accelerators``, ``ai_pue``, ``ai_regions``,
    ``ai_parameters``, ``ai_hosted_models``.
    """
    from greenit.results.sources import factor_tables

    inventory, workloads = _inventory(inventory), _workloads(workloads)
    runs = workloads.runs if workloads is not None else None
    return factor_tables(inventory.summary(), inventory.factors, runs, check_language(lang))
