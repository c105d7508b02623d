"""Read → normalise → estimate over several files, the way the CLI and notebooks use it.

A file that cannot be read is reported and skipped: it never stops the other files. A file
that does not exist is an error before anything is read (``on_missing="raise"``, the API's
default), or reported like a bad one (``on_missing="report"``, the CLI's per-file report).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pandas as pd

from greenit.analysis import DEFAULT_SCENARIOS, check_headcount, footprint_result
from greenit.errors import GreenitError
from greenit.factors import FactorSet, load_factors
from greenit.i18n import check_language
from greenit.inventory.columns import INVENTORY_ALIASES
from greenit.inventory.estimate import estimate_inventory
from greenit.inventory.files import read_inventories
from greenit.levers.specs import parse_levers
from greenit.parsing.files import as_paths, read_each, require_files
from greenit.parsing.headers import parse_column_specs
from greenit.reporting.exports import write_estimate_outputs  # noqa: F401  (re-exported: the CLI calls it here)
from greenit.results.estimates import InventoryEstimate, WorkloadEstimate


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


def estimate_files(
    paths: str | Path | Iterable[str | Path],
    *,
    year: int | None = None,
    method: str = "amortised",
    country: str = "FRA",
    grid_factor_kg_per_kwh: float | None = None,
    factors: FactorSet | str | Path | None = None,
    on_error: Callable[[GreenitError], None] | None = None,
    columns: dict[str, str] | list[str] | None = None,
    default_category: str | None = None,
    sheet: str | int | None = None,
    on_missing: str = "raise",
    keep_rows: bool = True,
    rows_sink=None,
) -> InventoryEstimate:
    """Estimate the yearly footprint of inventory files (CSV, XLSX; GLPI, G4IT or free layout).

    Parameters
    ----------
    paths : one file or a list of files to read; a bad one is reported in ``file_errors`` and
        skipped; a missing one raises, unless ``on_missing="report"`` (then it is reported like a
        bad one).
    year : reference year, four digits, no later than next year [default: the last complete
        calendar year].
    method : ``amortised`` (BEGES, default) or ``flux``.
    country : ISO-3 code for rows without one [default FRA].
    grid_factor_kg_per_kwh : carbon intensity [kgCO2e/kWh] for every row, overriding countries.
    factors : a FactorSet, or a folder/CSV laid over the packaged tables.
    columns : header → canonical column for headers greenit cannot guess, as a mapping or as
        ``"HEADER=canonical"`` strings (``--column``); an unknown canonical name is an error.
    default_category : category of the rows whose type nothing determines (e.g. a GLPI
        Monitors export: ``"monitor"``, ``"écran"``), in French or English.
    sheet : the XLSX sheet holding the table, by name or 1-based number.
    keep_rows : keep every estimated row (``rows``, ``normalised``: scenarios, reports,
        notebooks) [default]. With False, large CSV files are read and estimated in batches in
        bounded memory and only the summary is kept (the same figures); ``rows_sink`` (e.g.
        :class:`greenit.reporting.rowsink.CsvRowsSink`) receives each batch's rows.

    Raises GreenitError when no file could be read.
    """
    year = check_year(year)
    paths = as_paths(paths)
    require_files(paths, on_missing)
    from greenit.inventory.resolve import check_category_name

    if not isinstance(factors, FactorSet):
        factors = load_factors(factors)
    if country not in factors.electricity.index:
        factors.grid_factor(country)  # raises with the list of known codes
    columns = parse_column_specs(columns, INVENTORY_ALIASES)
    if default_category is not None:
        default_category = check_category_name(default_category, factors, option="--default-category")
    if not keep_rows:
        from greenit.results.batches import Options, estimate_in_batches

        options = Options(year, method, country, grid_factor_kg_per_kwh, columns, default_category, sheet)
        summary, errors = estimate_in_batches(paths, factors, options, sink=rows_sink, on_error=on_error)
        return InventoryEstimate(rows=None, factors=factors, file_errors=errors, _summary=summary)
    inventory, errors = read_inventories(
        paths,
        factors,
        country=country,
        columns=columns,
        default_category=default_category,
        sheet=sheet,
        on_error=on_error,
    )
    rows = estimate_inventory(
        inventory,
        factors,
        year=year,
        method=method,
        grid_factor_kg_per_kwh=grid_factor_kg_per_kwh,
    )
    rows.attrs["columns"] = inventory.attrs.get("columns")
    return InventoryEstimate(rows=rows, factors=factors, file_errors=errors, normalised=inventory)


def read_ai_logs(
    paths: Iterable[str | Path],
    factors: FactorSet,
    *,
    country: str = "FRA",
    on_error: Callable[[GreenitError], None] | None = None,
    accelerator: str | None = None,
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[dict], list[dict]]:
    """Read AI logs of every kind, each file's kind detected from its content.

    Returns (normalised runs or None, normalised hosted usage or None, the files read as
    ``{"file", "kind", "rows", "runs", "step_rows"}`` (lines read; rows of runs they make; Slurm
    step lines among them, counted in their job) with kind ``run_log`` | ``codecarbon`` | ``slurm`` |
    ``usage_log``, the files that failed).
    """
    from greenit.ai.hosted.usage import log_kind, normalise_usage
    from greenit.ai.runs.normalise import normalise_workloads
    from greenit.parsing.formats.providers import read_ai_file

    runs, usage, files = [], [], []

    def normalise(path: str | Path) -> pd.DataFrame:
        raw = read_ai_file(path)
        kind = log_kind(raw)
        if kind == "usage_log":
            usage.append(normalise_usage(raw, factors, default_country=country))
        else:
            runs.append(normalise_workloads(raw, factors, default_country=country, accelerator=accelerator))
        read = usage[-1] if kind == "usage_log" else runs[-1]
        steps = int(read["step_rows"].sum()) if "step_rows" in read else 0
        files.append(
            {"file": str(path), "kind": kind, "rows": int(len(raw)), "runs": len(read), "step_rows": steps}
        )
        return pd.DataFrame()  # read_each keeps the error policy; the frames are kept here

    _, errors = read_each(paths, normalise, on_error)

    def joined(frames: list[pd.DataFrame]) -> pd.DataFrame | None:
        return None if not frames else frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)

    return joined(runs), joined(usage), files, errors


def estimate_ai_files(
    paths: str | Path | Iterable[str | Path],
    *,
    country: str = "FRA",
    carbon_intensity_kg_per_kwh: float | None = None,
    factors: FactorSet | str | Path | None = None,
    accelerator: str | None = None,
    keep_log_intensity: bool = False,
    on_missing: str = "raise",
) -> WorkloadEstimate:
    """Energy and carbon of the runs in AI logs and of hosted generative-AI usage.

    Parameters
    ----------
    paths : one file or a list: run logs (CSV, XLSX, JSON Lines), CodeCarbon CSV, Slurm
        exports, and usage logs of hosted models (CSV/XLSX, providers' JSON usage exports);
        each file's kind is detected.
        A bad file is reported in ``file_errors`` and skipped; a missing one raises, unless
        ``on_missing="report"``.
    country : ISO-3 code for runs whose log gives no location, and for hosted requests whose
        log and provider give none [default FRA].
    carbon_intensity_kg_per_kwh : one intensity [kgCO2e/kWh] for every run and request.
    factors : a FactorSet, or a folder/CSV laid over the packaged tables.
    accelerator : model of the accelerators of runs that do not name one (a Slurm export).
    keep_log_intensity : keep the emissions CodeCarbon computed with its own intensity instead
        of recomputing them with greenit's grid factor (the inventory's).
    """
    from greenit.ai.hosted.estimate import estimate_hosted
    from greenit.ai.runs.accelerators import check_accelerator
    from greenit.ai.runs.estimate import estimate_workloads

    paths = as_paths(paths)
    require_files(paths, on_missing)
    if not isinstance(factors, FactorSet):
        factors = load_factors(factors)
    factors.grid_factor(country)
    if accelerator is not None:
        check_accelerator(factors, accelerator)  # a wrong model stops before any file is read
    runs, usage, files, errors = read_ai_logs(paths, factors, country=country, accelerator=accelerator)
    intensity = carbon_intensity_kg_per_kwh
    parts = []
    if runs is not None:
        parts.append(
            estimate_workloads(
                runs, factors, carbon_intensity_kg_per_kwh=intensity, keep_log_intensity=keep_log_intensity
            )
        )
    if usage is not None:
        parts.append(
            estimate_hosted(usage, factors, default_country=country, carbon_intensity_kg_per_kwh=intensity)
        )
    estimated = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    estimated.attrs["factors_version"] = factors.version
    return WorkloadEstimate(
        runs=estimated,
        factors=factors,
        file_errors=errors,
        normalised=runs,
        usage=usage,
        files=files,
        country=country,
    )


def build_footprint(
    inventory_paths: str | Path | Sequence[str | Path],
    *,
    ai_paths: str | Path | Sequence[str | Path] = (),
    year: int | None = None,
    headcount: int | None = None,
    scenarios: list[str] | None = None,
    title: str | None = None,
    country: str = "FRA",
    method: str = "amortised",
    grid_factor_kg_per_kwh: float | None = None,
    factors=None,
    on_missing: str = "raise",
    **reading,
):
    """Estimate the inventory and the AI runs, compare the levers: the one result a report renders
    (:func:`greenit.analysis.footprint_result` of the two estimates).

    ``reading`` takes :func:`estimate_files`' ``columns``, ``default_category`` and ``sheet``.
    Returns ``(FootprintResult, InventoryEstimate)``; the estimate is kept for the per-row file.
    """
    inventory_paths, ai_paths = as_paths(inventory_paths), as_paths(ai_paths)
    check_headcount(headcount)
    factors = factors if isinstance(factors, FactorSet) else load_factors(factors)
    levers = parse_levers(scenarios if scenarios is not None else DEFAULT_SCENARIOS, factors)
    require_files([*inventory_paths, *ai_paths], on_missing)  # before the inventory is estimated
    inventory = estimate_files(
        inventory_paths,
        year=year,
        method=method,
        country=country,
        grid_factor_kg_per_kwh=grid_factor_kg_per_kwh,
        factors=factors,
        on_missing=on_missing,
        **reading,
    )
    workloads = None
    if ai_paths:
        workloads = estimate_ai_files(ai_paths, country=country, factors=factors, on_missing=on_missing)
    result = footprint_result(
        inventory,
        workloads,
        levers=levers,
        headcount=headcount,
        title=title,
        inputs=[str(p) for p in inventory_paths],
        ai_inputs=[str(p) for p in ai_paths],
    )
    return result, inventory


def build_report(
    inventory_paths: str | Path | Sequence[str | Path],
    out_dir: str | Path,
    *,
    ai_paths: str | Path | Sequence[str | Path] = (),
    year: int | None = None,
    lang: str = "fr",
    headcount: int | None = None,
    scenarios: list[str] | None = None,
    title: str | None = None,
    country: str = "FRA",
    method: str = "amortised",
    grid_factor_kg_per_kwh: float | None = None,
    factors=None,
    on_missing: str = "raise",
    history: str | Path | None = None,
    organisation: str | None = None,
    **reading,
):
    """Estimate, compare levers, and write ``out_dir``: ``report.html``, ``summary.json`` (the
    result the report is rendered from), the charts as PNG and SVG, and the rows as CSV.

    Parameters mirror ``greenit estimate`` and ``greenit scenario``; ``scenarios`` are lever
    specs such as ``"lifespan+2"`` (default: lifespan +2 years, 30 % refurbished, 50 % reuse);
    ``reading`` takes :func:`estimate_files`' ``columns``, ``default_category`` and ``sheet``.
    ``history`` (a file of ``greenit history``) adds the « Évolution » section: the recorded
    years of ``organisation`` (default: the only one, or all together) on one method, the
    target and the gap.
    """
    from greenit.reporting.output import check_outputs
    from greenit.reporting.report import write_report

    inventory_paths, ai_paths = as_paths(inventory_paths), as_paths(ai_paths)
    check_language(lang)
    if history is not None:
        from greenit.history.store import HistoryStore

        HistoryStore(history).check(write=False)  # not there, not greenit's: said before estimating
    paths = [*inventory_paths, *ai_paths]
    check_outputs([Path(out_dir) / name for name in ("report.html", "summary.json")], paths, folder=out_dir)
    result, inventory = build_footprint(
        inventory_paths,
        ai_paths=ai_paths,
        year=year,
        headcount=headcount,
        scenarios=scenarios,
        title=title,
        country=country,
        method=method,
        grid_factor_kg_per_kwh=grid_factor_kg_per_kwh,
        factors=factors,
        on_missing=on_missing,
        **reading,
    )
    section = None
    if history is not None:
        from greenit.history.evolution import read_evolution, with_current

        today = result.factors if factors is not None else None  # else each year's own --factors again
        section = with_current(read_evolution(history, organisation, today), result.to_json(lang))
    rows = inventory.rows_out(lang)
    return write_report(out_dir, result, lang=lang, rows=rows, inputs=paths, history=section)
