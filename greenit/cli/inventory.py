"""Inventory commands: ``estimate``, ``scenario``, ``report``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from greenit.cli.common import (
    AiOption,
    ColumnOption,
    CountryOption,
    DefaultCategoryOption,
    FactorsOption,
    GridOption,
    Lang,
    LangOption,
    LeverOption,
    Method,
    SheetOption,
    app,
    h,
    mv,
    parse_grid_option,
    report_failures,
    use_language,
)


@app.command(help=h("cmd.estimate"))
def estimate(
    files: Annotated[list[Path], typer.Argument(help=h("inventory_files"), metavar=mv("files"))],
    country: CountryOption = "FRA",
    year: Annotated[int | None, typer.Option(help=h("year"))] = None,
    method: Annotated[
        Method,
        typer.Option(help=h("method")),
    ] = Method.amortised,
    grid_factor: GridOption = None,
    factors: FactorsOption = None,
    json_output: Annotated[bool, typer.Option("--json", help=h("json"))] = False,
    rows_out: Annotated[Path | None, typer.Option(help=h("rows_out"))] = None,
    xlsx_out: Annotated[Path | None, typer.Option(help=h("xlsx_out"))] = None,
    column: ColumnOption = None,
    sheet: SheetOption = None,
    default_category: DefaultCategoryOption = None,
    lang: LangOption = Lang.fr,
) -> None:
    """Yearly carbon footprint of an equipment inventory, manufacture and use apart.

    Example: greenit estimate glpi.csv --year 2025 --rows-out lignes.csv
    """
    use_language(lang)
    from greenit.api import estimate_files, write_estimate_outputs

    options: dict[str, Any] = dict(
        year=year,
        method=method.value,
        country=country.upper(),
        grid_factor_kg_per_kwh=parse_grid_option(grid_factor),
        factors=factors,
        columns=column,
        sheet=sheet,
        default_category=default_category,
        on_missing="report",  # each missing file in the per-file report, the others estimated
    )
    if xlsx_out is None:  # no workbook of every row: read large files in batches, bounded memory
        result = _estimate_streamed(files, options, rows_out, lang.value)
    else:
        result = estimate_files(files, **options)
        write_estimate_outputs(result, rows_out=rows_out, xlsx_out=xlsx_out, lang=lang.value, inputs=files)
    summary = result.result()
    if json_output:
        from greenit.results import dumps

        typer.echo(dumps(summary))
    else:
        from greenit.reporting.console import print_columns, print_flagged, print_inventory, print_written

        if summary["rows_estimated"]:
            print_inventory(summary, lang.value)
        else:  # a table of zeros would read as a result: the reasons, then the error below
            print_flagged(summary["flagged"], lang.value)
        print_columns(summary, lang.value)
        print_written([p for p in (rows_out, xlsx_out) if p], lang.value)
    report_failures(summary["files_failed"])
    result.require_estimates()  # no row estimated: exit 2 with the most frequent reasons
    if summary["files_failed"]:
        raise typer.Exit(2)


def _estimate_streamed(files: list[Path], options: dict, rows_out: Path | None, lang: str):
    """Estimate in batches; ``--rows-out`` written as they come, put in place only if all went well."""
    from greenit.api import estimate_files

    if rows_out is None:
        return estimate_files(files, keep_rows=False, **options)
    from greenit.reporting.output import check_outputs
    from greenit.reporting.rowsink import CsvRowsSink

    check_outputs([rows_out], files)
    with CsvRowsSink(rows_out, lang) as sink:
        return estimate_files(files, keep_rows=False, rows_sink=sink, **options)


@app.command(help=h("cmd.scenario"))
def scenario(
    files: Annotated[list[Path], typer.Argument(help=h("scenario_files"), metavar=mv("files"))],
    levers: LeverOption = None,
    ai: AiOption = None,
    cumulative: Annotated[bool, typer.Option(help=h("cumulative"))] = False,
    country: CountryOption = "FRA",
    year: Annotated[int | None, typer.Option(help=h("year"))] = None,
    method: Annotated[Method, typer.Option(help=h("method_short"))] = Method.amortised,
    grid_factor: GridOption = None,
    factors: FactorsOption = None,
    json_output: Annotated[bool, typer.Option("--json", help=h("json"))] = False,
    column: ColumnOption = None,
    sheet: SheetOption = None,
    default_category: DefaultCategoryOption = None,
    lang: LangOption = Lang.fr,
) -> None:
    """Compare levers with the baseline: longer lifespans, refurbished purchases, reuse…

    Example: greenit scenario glpi.csv -s lifespan+2 -s refurbished=30% -s reuse=50%
    """
    use_language(lang)
    from greenit.api import compare_levers, estimate_ai_files, estimate_files, parse_levers
    from greenit.errors import GreenitError
    from greenit.factors import load_factors

    if not levers:
        raise GreenitError("no lever given", "add e.g. --scenario lifespan+2 --scenario reuse=50%")
    loaded = load_factors(factors)
    parsed = parse_levers(levers, loaded)  # a lever mistyped stops before any file is read
    inventory = estimate_files(
        files,
        year=year,
        method=method.value,
        country=country.upper(),
        grid_factor_kg_per_kwh=parse_grid_option(grid_factor),
        factors=loaded,
        columns=column,
        sheet=sheet,
        default_category=default_category,
        on_missing="report",
    )
    runs = None
    if ai:
        runs = estimate_ai_files(ai, country=country.upper(), factors=inventory.factors, on_missing="report")
    year = inventory.summary().year
    table = compare_levers(inventory, parsed, workloads=runs, cumulative=cumulative, lang=lang.value)
    records = table.to_dict("records")
    if json_output:
        from greenit.results import dumps

        typer.echo(dumps({"year": year, "cumulative": cumulative, "scenarios": records}))
    else:
        from greenit.reporting.console import print_levers

        print_levers(records, lang.value, cumulative=cumulative, year=year)
    failed = [*inventory.file_errors, *(runs.file_errors if runs is not None else [])]
    report_failures(failed)  # a file that could not be read is said, as estimate says it
    if failed:
        raise typer.Exit(2)


@app.command(help=h("cmd.report"))
def report(
    files: Annotated[list[Path], typer.Argument(help=h("report_files"), metavar=mv("files"))],
    out: Annotated[Path, typer.Option("--out", help=h("report_out"))],
    ai: AiOption = None,
    lang: LangOption = Lang.fr,
    headcount: Annotated[int | None, typer.Option(help=h("headcount"))] = None,
    levers: LeverOption = None,
    title: Annotated[str | None, typer.Option(help=h("title"))] = None,
    country: CountryOption = "FRA",
    year: Annotated[int | None, typer.Option(help=h("year"))] = None,
    method: Annotated[Method, typer.Option(help=h("method_short"))] = Method.amortised,
    grid_factor: GridOption = None,
    factors: FactorsOption = None,
    column: ColumnOption = None,
    sheet: SheetOption = None,
    default_category: DefaultCategoryOption = None,
    history: Annotated[Path | None, typer.Option("--history", help=h("report_history"))] = None,
    organisation: Annotated[str | None, typer.Option("--organisation", help=h("report_organisation"))] = None,
) -> None:
    """Write OUT/report.html (self-contained, printable) and its charts as PNG and SVG.

    Example: greenit report glpi.csv --ai journal_ia.csv --headcount 1000 --out rapport/
    """
    use_language(lang)
    from greenit.api import build_report

    built = build_report(
        files,
        out,
        ai_paths=list(ai or []),
        year=year,
        lang=lang.value,
        headcount=headcount,
        scenarios=levers,
        title=title,
        country=country.upper(),
        method=method.value,
        grid_factor_kg_per_kwh=parse_grid_option(grid_factor),
        factors=factors,
        columns=column,
        sheet=sheet,
        default_category=default_category,
        on_missing="report",
        history=history,
        organisation=organisation,
    )
    from greenit.reporting.console import print_report_written

    charts = [path for paths in built.chart_paths.values() for path in (paths["png"], paths["svg"])]
    print_report_written(built.summary, [*built.files, *charts], out, lang.value)
