"""The ``greenit`` command line: one thin function per command, imports done lazily.

Nothing here computes: every command calls the same public functions a notebook would.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="greenit",
    help="Carbon footprint of the digital services of public bodies: IT inventories (GLPI, "
    "spreadsheets), AI workloads, scenarios and reports.\n\n"
    "Example: greenit estimate inventaire.csv --year 2025",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
factors_app = typer.Typer(help="List, show and validate emission-factor tables.", no_args_is_help=True)
ai_app = typer.Typer(help="AI workloads: training and inference runs from their logs.", no_args_is_help=True)
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
    typer.Option("--factors", help="Your own factor table (CSV) or folder, laid over greenit's."),
]
CountryOption = Annotated[
    str, typer.Option("--country", help="ISO 3166 alpha-3 code for rows without a country.")
]
GridOption = Annotated[
    str | None,
    typer.Option(
        "--grid-factor",
        help="Carbon intensity for every row, e.g. '57 g/kWh' or '0.057 kg/kWh' "
        "(a bare number is gCO2e/kWh).",
    ),
]
LangOption = Annotated[Lang, typer.Option("--lang", help="Language of the console output.")]


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


@app.command()
def estimate(
    files: Annotated[
        list[Path], typer.Argument(help="Inventory files: CSV (GLPI, G4IT, spreadsheet) or XLSX.")
    ],
    country: CountryOption = "FRA",
    year: Annotated[int | None, typer.Option(help="Reference year [default: this year].")] = None,
    method: Annotated[
        Method,
        typer.Option(
            help="amortised: manufacture spread over the lifespan (BEGES); flux: all in the purchase year."
        ),
    ] = Method.amortised,
    grid_factor: GridOption = None,
    factors: FactorsOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    rows_out: Annotated[
        Path | None, typer.Option(help="Write every row with its result to this CSV.")
    ] = None,
    xlsx_out: Annotated[
        Path | None, typer.Option(help="Write totals, groups and rows to this XLSX workbook.")
    ] = None,
    lang: LangOption = Lang.fr,
) -> None:
    """Yearly carbon footprint of an equipment inventory, manufacture and use apart.

    Example: greenit estimate glpi.csv --year 2025 --rows-out lignes.csv
    """
    _use_language(lang)
    from greenit.api import estimate_files

    result = estimate_files(
        files,
        year=year,
        method=method.value,
        country=country.upper(),
        grid_factor_kg_per_kwh=_grid_factor(grid_factor),
        factors=factors,
    )
    summary = result.result()
    _write_outputs(result, rows_out, xlsx_out)
    if json_output:
        import json

        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        for failure in summary["files_failed"]:
            typer.echo(f"greenit: {failure['error']}", err=True)
    else:
        from greenit.reporting.console import print_inventory

        print_inventory(summary, result.factors.devices, lang.value)
    if summary["files_failed"]:
        raise typer.Exit(2)


def _write_outputs(result, rows_out: Path | None, xlsx_out: Path | None) -> None:
    from greenit.reporting.output import write_csv, write_xlsx

    if rows_out:
        write_csv(rows_out, result.rows_out())
    if xlsx_out:
        import pandas as pd

        from greenit.results import group_totals, totals

        write_xlsx(
            xlsx_out,
            {
                "totals": pd.DataFrame([totals(result.rows)]),
                "by_category": group_totals(result.rows, "category"),
                "by_entity": group_totals(result.rows, "entity"),
                "rows": result.rows_out(),
            },
        )


@factors_app.command("list")
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


@factors_app.command("show")
def factors_show(
    table: Annotated[
        str,
        typer.Argument(help="devices, electricity, sources, parameters, accelerators, pue, cloud_regions…"),
    ],
    key: Annotated[str | None, typer.Argument(help="One row, e.g. laptop or FRA.")] = None,
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


@factors_app.command("validate")
def factors_validate(
    path: Annotated[
        Path | None, typer.Argument(help="Your table or folder [default: greenit's own].")
    ] = None,
) -> None:
    """Check that every row has numbers, units and a source; exit 2 if not."""
    from greenit.factors import load_factors_unvalidated

    loaded, problems = load_factors_unvalidated(path)
    for problem in problems:
        typer.echo(f"  ✗ {problem}")
    if problems:
        typer.echo(f"{len(problems)} problem(s) in the factor tables", err=True)
        raise typer.Exit(2)
    rows = sum(len(t) for t in loaded.tables.values())
    typer.echo(
        f"✓ factor tables valid: version {loaded.version}, {len(loaded.tables)} tables, "
        f"{rows} rows, {len(loaded.sources)} sources"
    )


@ai_app.command("estimate")
def ai_estimate(
    logs: Annotated[
        list[Path],
        typer.Argument(help="AI run logs: CSV, XLSX, JSON Lines, or CodeCarbon emissions.csv files."),
    ],
    country: CountryOption = "FRA",
    grid_factor: GridOption = None,
    factors: FactorsOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    rows_out: Annotated[
        Path | None, typer.Option(help="Write every run with its result to this CSV.")
    ] = None,
    lang: LangOption = Lang.fr,
) -> None:
    """Energy and carbon of training and inference runs, with the hardware's embodied share.

    Example: greenit ai estimate journal_ia.csv emissions.csv --json
    """
    _use_language(lang)
    from greenit.api import estimate_ai_files

    result = estimate_ai_files(
        logs, country=country.upper(), factors=factors, carbon_intensity_kg_per_kwh=_grid_factor(grid_factor)
    )
    summary = result.result()
    if rows_out:
        from greenit.reporting.output import write_csv

        write_csv(rows_out, result.runs.drop(columns=["location_given"], errors="ignore"))
    if json_output:
        import json

        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        from greenit.reporting.console import print_workloads

        print_workloads(summary, lang.value)
    for failure in summary["files_failed"]:
        typer.echo(f"greenit: {failure['error']}", err=True)
    if summary["files_failed"]:
        raise typer.Exit(2)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def track(
    command: Annotated[list[str], typer.Argument(help="The command to run, after --.")],
    log: Annotated[Path, typer.Option("--log", help="Run log (CSV) to append the row to.")],
    project: Annotated[str, typer.Option(help="Project name, e.g. 'chatbot-mairie'.")] = "",
    phase: Annotated[
        str, typer.Option(help="training, fine-tuning, inference, evaluation or other.")
    ] = "other",
    country: CountryOption = "FRA",
    pue: Annotated[float, typer.Option(help="PUE of the machine room (1 for a desktop).")] = 1.0,
    interval: Annotated[
        float, typer.Option(help="Seconds between checkpoint rows: a SIGKILL loses at most this much.")
    ] = 60.0,
    verbose: Annotated[bool, typer.Option(help="Show CodeCarbon's own log lines.")] = False,
) -> None:
    """Run COMMAND, measure its energy with CodeCarbon (offline), append one row to the log.

    The exit code is COMMAND's. SIGINT/SIGTERM are passed to COMMAND and the row is still
    written. Example: greenit track --log runs.csv --project ocr -- python ocr.py lot1/
    """
    from greenit.ai.tracking import run_command

    code = run_command(
        list(command),
        log=log,
        project=project,
        phase=phase,
        country=country.upper(),
        pue=pue,
        interval=interval,
        verbose=verbose,
        report=lambda line: typer.echo(line, err=True),
    )
    raise typer.Exit(code)


ScenarioOption = Annotated[
    list[str] | None,
    typer.Option(
        "--scenario",
        "-s",
        help="A lever, repeatable: lifespan+2, lifespan+1:laptop,desktop, "
        "refurbished=30%, reuse=50%, grid=57 g/kWh, pue=1.2, "
        "region=europe-west9, request-energy=-30%.",
    ),
]
AiOption = Annotated[list[Path] | None, typer.Option("--ai", help="AI run logs to include.")]


@app.command()
def scenario(
    files: Annotated[list[Path], typer.Argument(help="Inventory files.")],
    scenarios: ScenarioOption = None,
    ai: AiOption = None,
    cumulative: Annotated[bool, typer.Option(help="Apply each lever on top of the previous ones.")] = False,
    country: CountryOption = "FRA",
    year: Annotated[int | None, typer.Option(help="Reference year [default: this year].")] = None,
    method: Annotated[Method, typer.Option(help="amortised or flux.")] = Method.amortised,
    grid_factor: GridOption = None,
    factors: FactorsOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    lang: LangOption = Lang.fr,
) -> None:
    """Compare levers with the baseline: longer lifespans, refurbished purchases, reuse…

    Example: greenit scenario glpi.csv -s lifespan+2 -s refurbished=30% -s reuse=50%
    """
    _use_language(lang)
    from greenit.api import estimate_ai_files, estimate_files
    from greenit.errors import GreenitError
    from greenit.parsing.lever_specs import parse_scenario
    from greenit.scenarios import compare_scenarios

    if not scenarios:
        raise GreenitError("no lever given", "add e.g. --scenario lifespan+2 --scenario reuse=50%")
    levers = [parse_scenario(s) for s in scenarios]
    grid = _grid_factor(grid_factor)
    inventory = estimate_files(
        files,
        year=year,
        method=method.value,
        country=country.upper(),
        grid_factor_kg_per_kwh=grid,
        factors=factors,
    )
    runs = estimate_ai_files(ai, country=country.upper(), factors=inventory.factors) if ai else None
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
    )
    if json_output:
        import json

        typer.echo(
            json.dumps(
                {
                    "year": inventory.rows.attrs["year"],
                    "cumulative": cumulative,
                    "scenarios": table.to_dict("records"),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    from greenit.reporting.console import print_scenarios

    print_scenarios(table, lang.value)


@app.command()
def report(
    files: Annotated[list[Path], typer.Argument(help="Inventory files (CSV, XLSX).")],
    out: Annotated[Path, typer.Option("--out", help="Folder for report.html and the charts.")],
    ai: AiOption = None,
    lang: LangOption = Lang.fr,
    headcount: Annotated[
        int | None, typer.Option(help="Number of agents, for the footprint per agent.")
    ] = None,
    scenarios: ScenarioOption = None,
    title: Annotated[str | None, typer.Option(help="Title, e.g. the town's name.")] = None,
    country: CountryOption = "FRA",
    year: Annotated[int | None, typer.Option(help="Reference year [default: this year].")] = None,
    method: Annotated[Method, typer.Option(help="amortised or flux.")] = Method.amortised,
    grid_factor: GridOption = None,
    factors: FactorsOption = None,
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
    )
    typer.echo(f"{built.html_path}")
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
