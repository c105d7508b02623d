"""The ``greenit`` command line: one thin function per command, imports done lazily.

Nothing here computes: every command calls the same public functions a notebook would.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from greenit.i18n import LANGS, text
from greenit.i18n.clickwords import install as install_click_words


def _help_language(argv: list[str]) -> str:
    """The language of --help: ``--lang en`` on the command line, else GREENIT_LANG, else French."""
    import os

    for flag, value in zip(argv, argv[1:], strict=False):
        if flag == "--lang" and value in LANGS:
            return value
    for arg in argv:
        if arg.startswith("--lang=") and arg[7:] in LANGS:
            return arg[7:]
    env = os.environ.get("GREENIT_LANG", "fr")
    return env if env in LANGS else "fr"


HELP_LANGUAGE = _help_language(sys.argv)
install_click_words(lambda: HELP_LANGUAGE)  # click's own words (Usage:, Options:, errors) too


def h(key: str) -> str:
    """A help text of the catalogue (``cli.help.KEY``), in the language of this invocation."""
    return text(f"cli.help.{key}", HELP_LANGUAGE)


app = typer.Typer(
    name="greenit",
    help=h("app"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
factors_app = typer.Typer(help=h("factors_app"), no_args_is_help=True)
ai_app = typer.Typer(help=h("ai_app"), no_args_is_help=True)
app.add_typer(factors_app, name="factors")
app.add_typer(ai_app, name="ai")


class Method(str, Enum):
    amortised = "amortised"
    flux = "flux"


class Lang(str, Enum):
    fr = "fr"
    en = "en"


FactorsOption = Annotated[
    Path | None,
    typer.Option("--factors", help=h("factors")),
]
CountryOption = Annotated[str, typer.Option("--country", help=h("country"))]
GridOption = Annotated[
    str | None,
    typer.Option(
        "--grid-factor",
        help=h("grid_factor"),
    ),
]
LangOption = Annotated[Lang, typer.Option("--lang", help=h("lang"))]
ColumnOption = Annotated[list[str] | None, typer.Option("--column", help=h("column"))]
SheetOption = Annotated[str | None, typer.Option("--sheet", help=h("sheet"))]
DefaultCategoryOption = Annotated[str | None, typer.Option("--default-category", help=h("default_category"))]


def _use_language(lang: Lang) -> None:
    """Everything this command prints or writes is rendered in ``lang``."""
    from greenit.i18n import set_language

    set_language(lang.value)


def _grid_factor(text: str | None) -> float | None:
    """'57 g/kWh', '0,057 kg/kWh' or '57' (gCO2e/kWh) → kgCO2e/kWh."""
    if text is None:
        return None
    from greenit.errors import GreenitError
    from greenit.parsing.units import UnitError, conversion_factor, parse_number

    text = text.strip()
    try:
        return parse_number(text) / 1000.0
    except ValueError:
        pass
    import re

    match = re.match(r"^\s*([-+]?[\d\s.,]+)\s*(.+)$", text)
    if not match:
        raise GreenitError(f"--grid-factor: '{text}' is not a number", "e.g. --grid-factor '57 g/kWh'")
    try:
        value = parse_number(match.group(1)) * conversion_factor(match.group(2), "kg/kWh")
    except (UnitError, ValueError) as exc:
        raise GreenitError(f"--grid-factor: {exc}", "e.g. --grid-factor '57 g/kWh'") from exc
    if value < 0:
        raise GreenitError("--grid-factor: must not be negative")
    return value


@app.command(help=h("cmd.estimate"))
def estimate(
    files: Annotated[list[Path], typer.Argument(help=h("inventory_files"))],
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
    _use_language(lang)
    from greenit.api import estimate_files, write_estimate_outputs

    options = dict(
        year=year,
        method=method.value,
        country=country.upper(),
        grid_factor_kg_per_kwh=_grid_factor(grid_factor),
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
        for failure in summary["files_failed"]:
            typer.echo(f"greenit: {failure['error']}", err=True)
    else:
        from greenit.reporting.console import print_columns, print_inventory

        print_inventory(summary, lang.value)
        print_columns(summary, lang.value)
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


@factors_app.command("list", help=h("cmd.factors_list"))
def factors_list(factors: FactorsOption = None) -> None:
    """The factor tables, their rows and the version."""
    from greenit.factors import load_factors

    loaded = load_factors(factors)
    typer.echo(f"version {loaded.version}  ({', '.join(loaded.origins)})")
    for name, table in loaded.tables.items():
        typer.echo(
            f"  {name:<14} {len(table):>4} rows  keys: {', '.join(map(str, table.index[:8]))}"
            + ("…" if len(table) > 8 else "")
        )
    typer.echo(f"  {'sources':<14} {len(loaded.sources):>4} rows")


@factors_app.command("show", help=h("cmd.factors_show"))
def factors_show(
    table: Annotated[
        str,
        typer.Argument(help=h("factors_table")),
    ],
    key: Annotated[str | None, typer.Argument(help=h("factors_key"))] = None,
    factors: FactorsOption = None,
) -> None:
    """Show a factor table, or one row with its sources.

    Example: greenit factors show devices laptop
    """
    from greenit.errors import GreenitError
    from greenit.factors import load_factors

    loaded = load_factors(factors)
    frame = loaded.sources if table == "sources" else loaded.table(table)
    if key is None:
        import pandas as pd

        with pd.option_context(
            "display.max_rows",
            500,
            "display.width",
            200,
            "display.max_columns",
            12,
            "display.max_colwidth",
            40,
        ):
            typer.echo(frame.to_string())
        return
    if key not in frame.index:
        raise GreenitError(
            f"no row '{key}' in the {table} table", f"rows: {', '.join(map(str, frame.index[:30]))}"
        )
    row = frame.loc[key]
    for column, value in row.items():
        typer.echo(f"{column:<28} {value}")
    ids = set()
    for column, value in row.items():
        if column.endswith(("_source", "source_id", "range_sources")) and isinstance(value, str):
            ids.update(s.strip() for s in value.split(";"))
    for source_id, source in loaded.source_rows(ids).iterrows():
        typer.echo(
            f"\n[{source_id}] {source['publisher']} ({source['year']}). {source['title']}. {source['url']}"
        )


@factors_app.command("validate", help=h("cmd.factors_validate"))
def factors_validate(
    path: Annotated[Path | None, typer.Argument(help=h("factors_path"))] = None,
) -> None:
    """Check that every row has numbers, units and a source; exit 2 if not."""
    from greenit.factors import load_factors_unvalidated
    from greenit.i18n import text

    loaded, problems = load_factors_unvalidated(path)
    for problem in problems:
        typer.echo(f"  ✗ {problem}")
    if problems:
        typer.echo(text("factors.problems_count", count=len(problems)), err=True)
        raise typer.Exit(2)
    rows = sum(len(t) for t in loaded.tables.values())
    typer.echo(
        text(
            "factors.valid",
            version=loaded.version,
            tables=len(loaded.tables),
            rows=rows,
            sources=len(loaded.sources),
        )
    )


@ai_app.command("estimate", help=h("cmd.ai_estimate"))
def ai_estimate(
    logs: Annotated[
        list[Path],
        typer.Argument(help=h("ai_logs")),
    ],
    country: CountryOption = "FRA",
    grid_factor: GridOption = None,
    factors: FactorsOption = None,
    json_output: Annotated[bool, typer.Option("--json", help=h("json"))] = False,
    rows_out: Annotated[Path | None, typer.Option(help=h("ai_rows_out"))] = None,
    accelerator: Annotated[str | None, typer.Option("--accelerator", help=h("accelerator"))] = None,
    keep_log_intensity: Annotated[bool, typer.Option(help=h("keep_log_intensity"))] = False,
    lang: LangOption = Lang.fr,
) -> None:
    """Energy and carbon of training and inference runs, with the hardware's embodied share.

    Example: greenit ai estimate journal_ia.csv emissions.csv --json
    """
    _use_language(lang)
    from greenit.api import estimate_ai_files

    result = estimate_ai_files(
        logs,
        country=country.upper(),
        factors=factors,
        carbon_intensity_kg_per_kwh=_grid_factor(grid_factor),
        accelerator=accelerator,
        keep_log_intensity=keep_log_intensity,
        on_missing="report",
    )
    summary = result.result()
    if rows_out:
        result.write_runs(rows_out, inputs=logs)
    if json_output:
        from greenit.results import dumps

        typer.echo(dumps(summary))
    else:
        from greenit.reporting.console import print_workloads

        print_workloads(summary, lang.value)
        _print_file_kinds(summary["files"])
    for failure in summary["files_failed"]:
        typer.echo(f"greenit: {failure['error']}", err=True)
    if summary["files_failed"]:
        raise typer.Exit(2)


def _print_file_kinds(files: list[dict]) -> None:
    """One line per file read: what it was recognised as (run log, CodeCarbon, Slurm, usage log)."""
    from greenit.i18n import text

    for read in files:
        kind = text(f"hosted.kind.{read['kind']}")
        typer.echo("  " + text("hosted.file_kind_line", file=read["file"], kind=kind, rows=read["rows"]))


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True}, help=h("cmd.track"))
def track(
    command: Annotated[list[str], typer.Argument(help=h("track_command"))],
    log: Annotated[Path, typer.Option("--log", help=h("track_log"))],
    project: Annotated[str, typer.Option(help=h("track_project"))] = "",
    phase: Annotated[str, typer.Option(help=h("track_phase"))] = "other",
    country: CountryOption = "FRA",
    pue: Annotated[float, typer.Option(help=h("track_pue"))] = 1.0,
    interval: Annotated[float, typer.Option(help=h("track_interval"))] = 60.0,
    factors: FactorsOption = None,
    verbose: Annotated[bool, typer.Option(help=h("track_verbose"))] = False,
    lang: LangOption = Lang.fr,
) -> None:
    """Run COMMAND, measure its energy with CodeCarbon (offline), append its row to the log.

    The exit code is COMMAND's. SIGINT/SIGTERM are passed to COMMAND's process group and the
    row is still written. Example: greenit track --log runs.csv --project ocr -- python ocr.py lot1/
    """
    _use_language(lang)
    import gc

    from greenit.ai.tracking import run_command

    gc.freeze()  # what is loaded so far lives until exit: later collections need not scan it
    code = run_command(
        list(command),
        log=log,
        project=project,
        phase=phase,
        country=country,
        pue=pue,
        interval=interval,
        verbose=verbose,
        factors=factors,
        report=lambda line: typer.echo(str(line), err=True),
    )
    gc.freeze()  # the row is written: spare the exit a full collection (about 0.15 s)
    raise typer.Exit(code)


ScenarioOption = Annotated[
    list[str] | None,
    typer.Option(
        "--scenario",
        "-s",
        help=h("scenario_option"),
    ),
]
AiOption = Annotated[list[Path] | None, typer.Option("--ai", help=h("ai_option"))]


@app.command(help=h("cmd.scenario"))
def scenario(
    files: Annotated[list[Path], typer.Argument(help=h("scenario_files"))],
    scenarios: ScenarioOption = None,
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
    _use_language(lang)
    from greenit.api import estimate_ai_files, estimate_files, parse_levers
    from greenit.errors import GreenitError
    from greenit.factors import load_factors
    from greenit.scenarios import compare_scenarios

    if not scenarios:
        raise GreenitError("no lever given", "add e.g. --scenario lifespan+2 --scenario reuse=50%")
    loaded = load_factors(factors)
    levers = parse_levers(scenarios, loaded)
    grid = _grid_factor(grid_factor)
    inventory = estimate_files(
        files,
        year=year,
        method=method.value,
        country=country.upper(),
        grid_factor_kg_per_kwh=grid,
        factors=loaded,
        columns=column,
        sheet=sheet,
        default_category=default_category,
        on_missing="report",
    )
    runs = None
    if ai:
        runs = estimate_ai_files(ai, country=country.upper(), factors=inventory.factors, on_missing="report")
    table = compare_scenarios(
        inventory.normalised,
        inventory.factors,
        levers,
        year=inventory.rows.attrs["year"],
        method=method.value,
        grid_factor_kg_per_kwh=grid,
        cumulative=cumulative,
        lang=lang.value,
        runs=runs.normalised if runs else None,
        usage=runs.usage if runs else None,
    )
    records = table.to_dict("records")
    if json_output:
        from greenit.results import dumps

        year = inventory.rows.attrs["year"]
        typer.echo(dumps({"year": year, "cumulative": cumulative, "scenarios": records}))
        return
    from greenit.reporting.console import print_scenarios

    print_scenarios(records, lang.value, cumulative=cumulative, year=inventory.rows.attrs["year"])


@app.command(help=h("cmd.report"))
def report(
    files: Annotated[list[Path], typer.Argument(help=h("report_files"))],
    out: Annotated[Path, typer.Option("--out", help=h("report_out"))],
    ai: AiOption = None,
    lang: LangOption = Lang.fr,
    headcount: Annotated[int | None, typer.Option(help=h("headcount"))] = None,
    scenarios: ScenarioOption = None,
    title: Annotated[str | None, typer.Option(help=h("title"))] = None,
    country: CountryOption = "FRA",
    year: Annotated[int | None, typer.Option(help=h("year"))] = None,
    method: Annotated[Method, typer.Option(help=h("method_short"))] = Method.amortised,
    grid_factor: GridOption = None,
    factors: FactorsOption = None,
    column: ColumnOption = None,
    sheet: SheetOption = None,
    default_category: DefaultCategoryOption = None,
) -> None:
    """Write OUT/report.html (self-contained, printable) and its charts as PNG and SVG.

    Example: greenit report glpi.csv --ai journal_ia.csv --headcount 1000 --out rapport/
    """
    _use_language(lang)
    from greenit.api import build_report

    built = build_report(
        files,
        out,
        ai_paths=list(ai or []),
        year=year,
        lang=lang.value,
        headcount=headcount,
        scenarios=scenarios,
        title=title,
        country=country.upper(),
        method=method.value,
        grid_factor_kg_per_kwh=_grid_factor(grid_factor),
        factors=factors,
        columns=column,
        sheet=sheet,
        default_category=default_category,
        on_missing="report",
    )
    typer.echo(f"{built.html_path}")
    typer.echo(f"{built.summary_path}")
    for paths in built.chart_paths.values():
        typer.echo(f"{paths['png']}  {paths['svg']}")


def main() -> None:
    """Console entry point: user errors in one or two lines and exit status 2."""
    from greenit.errors import GreenitError

    try:
        app()
    except GreenitError as error:
        from greenit.i18n import text

        typer.echo(f"{text('cli.error_prefix')} {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        from greenit.i18n import text

        typer.echo(text("cli.interrupted"), err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
