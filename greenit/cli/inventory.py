"""Inventory commands: ``estimate``, ``scenario``, ``report``."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from greenit.cli.common import (
    HELP_LANGUAGE,
    INVENTORY_OPTIONS,
    AiOption,
    HeadcountOption,
    LeverOption,
    Method,
    PopulationOption,
    app,
    h,
    mv,
    report_failures,
    with_options,
)
from greenit.i18n import text

if TYPE_CHECKING:
    from greenit.options import Options  # not imported for --help


@app.command(help=h("cmd.estimate"))
@with_options(*INVENTORY_OPTIONS, "services")
def estimate(
    files: Annotated[list[Path], typer.Argument(help=h("inventory_files"), metavar=mv("files"))],
    options: "Options",
    method: Annotated[Method, typer.Option(help=h("method"))] = Method.amortised,
    json_output: Annotated[bool, typer.Option("--json", help=h("json"))] = False,
    rows_out: Annotated[Path | None, typer.Option(help=h("rows_out"))] = None,
    xlsx_out: Annotated[Path | None, typer.Option(help=h("xlsx_out"))] = None,
    headcount: HeadcountOption = None,
    population: PopulationOption = None,
) -> None:
    """Yearly carbon footprint of an equipment inventory, manufacture and use apart.

    Example: greenit estimate glpi.csv --year 2025 --rows-out lignes.csv
    """
    from greenit.api import estimate_to_files
    from greenit.yardsticks import check_headcount, check_population

    check_headcount(headcount)
    check_population(population)
    result = estimate_to_files(files, options, rows_out=rows_out, xlsx_out=xlsx_out)
    summary = result.result()
    lang = str(options.lang)
    summary |= per_person(summary["totals"]["total_kgco2e"], headcount, population)
    if json_output:
        from greenit.results import dumps

        typer.echo(dumps(summary))
    else:
        from greenit.reporting.console import (
            print_columns,
            print_flagged,
            print_inventory,
            print_per_person,
            print_written,
        )

        if summary["rows_estimated"]:
            print_inventory(summary, lang)
            print_per_person(summary, lang)
        else:  # a table of zeros would read as a result: the reasons, then the error below
            print_flagged(summary["flagged"], lang)
        print_columns(summary, lang)
        print_written([p for p in (rows_out, xlsx_out) if p], lang)
    report_failures(summary["files_failed"])
    result.require_estimates()  # no row estimated: exit 2 with the most frequent reasons
    if summary["files_failed"]:
        raise typer.Exit(2)


@app.command(help=h("cmd.scenario"))
@with_options(*INVENTORY_OPTIONS)
def scenario(
    files: Annotated[list[Path], typer.Argument(help=h("scenario_files"), metavar=mv("files"))],
    options: "Options",
    levers: LeverOption = None,
    ai: AiOption = None,
    cumulative: Annotated[bool, typer.Option(help=h("cumulative"))] = False,
    json_output: Annotated[bool, typer.Option("--json", help=h("json"))] = False,
    xlsx_out: Annotated[Path | None, typer.Option(help=text("money.help.levers_xlsx", HELP_LANGUAGE))] = None,
) -> None:
    """Compare levers with the baseline: longer lifespans, refurbished purchases, reuse…

    Example: greenit scenario glpi.csv -s lifespan+2 -s refurbished=30% -s reuse=50%
    """
    from dataclasses import replace

    from greenit.api import ai_options_of, compare_levers, estimate_ai_files, estimate_files
    from greenit.errors import GreenitError
    from greenit.factors import load_factors
    from greenit.levers.money import lever_ranking
    from greenit.levers.specs import parse_levers

    if not levers:
        raise GreenitError.of("cli.no_lever", "cli.no_lever_hint")
    options = replace(options, factors=load_factors(options.factors))
    parsed = parse_levers(levers, options.factors)  # a lever mistyped stops before any file is read
    inventory = estimate_files(files, options)
    runs = estimate_ai_files(ai, ai_options_of(options)) if ai else None
    year = inventory.summary().year
    lang = str(options.lang)
    table = compare_levers(inventory, parsed, workloads=runs, cumulative=cumulative, lang=lang)
    records = table.to_dict("records")
    ranked = [] if cumulative else lever_ranking(table)
    if xlsx_out is not None:
        from greenit.reporting.euro_sheets import write_levers_workbook

        write_levers_workbook(xlsx_out, records, ranked, lang, inputs=files)
    if json_output:
        from greenit.results import dumps

        typer.echo(dumps({"year": year, "cumulative": cumulative, "scenarios": records, "ranking": ranked}))
    else:
        from greenit.reporting.console import print_levers

        print_levers(records, lang, cumulative=cumulative, year=year)
        if runs is None:  # the report's total has the uses of AI: say why the two may differ
            typer.echo(text("council.console.scenario_without_ai", lang))
    failed = [*inventory.file_errors, *(runs.file_errors if runs is not None else [])]
    report_failures(failed)  # a file that could not be read is said, as estimate says it
    if failed:
        raise typer.Exit(2)


@app.command(help=h("cmd.report"))
@with_options(*INVENTORY_OPTIONS, "services")
def report(
    files: Annotated[list[Path], typer.Argument(help=h("report_files"), metavar=mv("files"))],
    options: "Options",
    out: Annotated[Path, typer.Option("--out", help=h("report_out"))],
    ai: AiOption = None,
    headcount: HeadcountOption = None,
    levers: LeverOption = None,
    title: Annotated[str | None, typer.Option(help=h("title"))] = None,
    history: Annotated[Path | None, typer.Option("--history", help=h("report_history"))] = None,
    organisation: Annotated[str | None, typer.Option("--organisation", help=h("report_organisation"))] = None,
    ai_register: Annotated[Path | None, typer.Option("--ai-register", help=h("report_ai_register"))] = None,
    population: PopulationOption = None,
    beges_out: Annotated[Path | None, typer.Option("--beges-out", help=h("beges_out"))] = None,
    xlsx_out: Annotated[Path | None, typer.Option("--xlsx-out", help=h("report_xlsx_out"))] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help=h("pdf"))] = False,
) -> None:
    """Write OUT/report.html (self-contained, printable) and its charts as PNG and SVG.

    Example: greenit report glpi.csv --ai journal_ia.csv --headcount 1000 --out rapport/
    """
    from greenit.api import build_report

    register = None
    if ai_register is not None:
        from greenit.decide import AiRegister

        register = AiRegister(ai_register, options)  # read now, measured once the AI logs are estimated
    built = build_report(
        files,
        out,
        options,
        ai_paths=list(ai or []),
        headcount=headcount,
        levers=levers,
        title=title,
        history=history,
        organisation=organisation,
        ai_register=register,
        population=population,
        beges_out=beges_out,
        xlsx_out=xlsx_out,
        pdf=pdf,
    )
    from greenit.reporting.console import print_report_written

    charts = [path for paths in built.chart_paths.values() for path in (paths["png"], paths["svg"])]
    print_report_written(built.summary, [*built.files, *charts], out, str(options.lang))


def per_person(total_kgco2e: float, headcount: int | None, population: int | None) -> dict:
    """The equipment's total per agent and per inhabitant [kgCO2e/year], for those given."""
    out: dict = {}
    if headcount:
        out |= {"headcount": headcount, "per_agent_kgco2e": total_kgco2e / headcount}
    if population:
        out |= {"population": population, "per_inhabitant_kgco2e": total_kgco2e / population}
    return out
