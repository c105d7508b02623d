"""History commands: ``greenit history add | list | show | remove | compare | target``.

Each calls :class:`greenit.history.book.History`, the same verbs a notebook uses; every output
names the history file (``--db``, default ``greenit-historique.sqlite`` in the current folder).
"""

from pathlib import Path
from typing import Annotated

import typer

from greenit.cli.common import (
    HELP_LANGUAGE,
    AiOption,
    ColumnOption,
    CountryOption,
    DefaultCategoryOption,
    ElectricityPriceOption,
    FactorsOption,
    GridOption,
    Lang,
    LangOption,
    LifespanRuleOption,
    Method,
    PricesOption,
    PueOption,
    ServicesOption,
    SheetOption,
    app,
    mv,
    parse_grid_option,
    use_language,
)
from greenit.i18n import text

#: The history file when --db is not given (greenit.history.store.DEFAULT_PATH, not imported:
#: ``greenit --help`` stays fast).
DEFAULT_DB = Path("greenit-historique.sqlite")


def hh(key: str) -> str:
    """A help text of the history commands (``history.help.KEY``), in this invocation's language."""
    return text(f"history.help.{key}", HELP_LANGUAGE)


history_app = typer.Typer(help=hh("app"), no_args_is_help=True, subcommand_metavar=mv("subcommand"))
app.add_typer(history_app, name="history")

DbOption = Annotated[Path, typer.Option("--db", help=hh("db"), show_default=False)]
OrganisationOption = Annotated[str | None, typer.Option("--organisation", help=hh("organisation"))]
JsonOption = Annotated[bool, typer.Option("--json", help=hh("json"))]
YearArgument = Annotated[
    int, typer.Argument(help=hh("year_argument"), metavar=text("history.help.year_metavar", HELP_LANGUAGE))
]


def _echo_json(value: object) -> None:
    from greenit.results import dumps

    typer.echo(dumps(value))


@history_app.command("add", help=hh("cmd.add"))
def add(
    files: Annotated[list[Path], typer.Argument(help=hh("inventory_files"), metavar=mv("files"))],
    year: Annotated[int, typer.Option("--year", help=hh("year"))],
    ai: AiOption = None,
    organisation: OrganisationOption = None,
    replace: Annotated[bool, typer.Option("--replace", help=hh("replace"))] = False,
    db: DbOption = DEFAULT_DB,
    factors: FactorsOption = None,
    country: CountryOption = "FRA",
    method: Annotated[Method, typer.Option(help=hh("method"))] = Method.amortised,
    grid_factor: GridOption = None,
    column: ColumnOption = None,
    sheet: SheetOption = None,
    default_category: DefaultCategoryOption = None,
    electricity_price: ElectricityPriceOption = None,
    prices: PricesOption = None,
    json_output: JsonOption = False,
    lang: LangOption = Lang.fr,
    services: ServicesOption = None,
    pue: PueOption = None,
    lifespan_rule: LifespanRuleOption = "technique",
) -> None:
    """Record one year of an organisation: its inventory (and AI logs), estimated and kept.

    Example: greenit history add inventaire_2025.csv --year 2025 --ai journal_ia.csv
    """
    use_language(lang)
    from greenit.history.book import History

    history = History(db)
    entry = history.add(
        files,
        year=year,
        ai=list(ai or []),
        organisation=organisation,
        replace=replace,
        factors=factors,
        method=method.canonical,
        country=country.upper(),
        grid_factor_kg_per_kwh=parse_grid_option(grid_factor),
        columns=column,
        sheet=sheet,
        default_category=default_category,
        services=services,
        pue=pue,
        lifespan_rule=lifespan_rule,
        electricity_price=electricity_price,
        price_basis=prices,
    )
    if json_output:
        _echo_json({**entry, "history_file": str(db)})
        return
    from greenit.reporting.history_console import print_added

    print_added(entry, db, lang.value, replaced=replace)


@history_app.command("list", help=hh("cmd.list"))
def list_years(
    organisation: OrganisationOption = None,
    db: DbOption = DEFAULT_DB,
    json_output: JsonOption = False,
    lang: LangOption = Lang.fr,
) -> None:
    """The recorded years, with their totals, factors and targets.

    Example: greenit history list --json
    """
    use_language(lang)
    from greenit.history.book import History

    entries = History(db).list(organisation)
    if json_output:
        _echo_json({"history_file": str(db), "entries": entries})
        return
    from greenit.reporting.history_console import print_entries

    print_entries(entries, db, lang.value)


@history_app.command("show", help=hh("cmd.show"))
def show(
    year: YearArgument,
    organisation: OrganisationOption = None,
    db: DbOption = DEFAULT_DB,
    json_output: JsonOption = False,
    lang: LangOption = Lang.fr,
) -> None:
    """One recorded year: totals, how it was estimated, inputs and their SHA-256.

    Example: greenit history show 2024
    """
    use_language(lang)
    from greenit.history.book import History

    shown = History(db).show(year, organisation)
    if json_output:
        _echo_json({**shown, "history_file": str(db)})
        return
    from greenit.reporting.history_console import print_year

    print_year(shown, db, lang.value)


@history_app.command("remove", help=hh("cmd.remove"))
def remove(
    year: YearArgument,
    organisation: OrganisationOption = None,
    db: DbOption = DEFAULT_DB,
    lang: LangOption = Lang.fr,
) -> None:
    """Remove a recorded year.

    Example: greenit history remove 2023
    """
    use_language(lang)
    from greenit.history.book import History
    from greenit.reporting.history_console import print_removed

    print_removed(History(db).remove(year, organisation), db, lang.value)


@history_app.command("compare", help=hh("cmd.compare"))
def compare(
    year_a: YearArgument,
    year_b: YearArgument,
    restate: Annotated[bool, typer.Option("--restate", help=hh("restate"))] = False,
    organisation: OrganisationOption = None,
    factors: FactorsOption = None,
    db: DbOption = DEFAULT_DB,
    json_output: JsonOption = False,
    lang: LangOption = Lang.fr,
) -> None:
    """Two years side by side: the change by phase, category and department, and what moved it.

    Example: greenit history compare 2023 2025 --restate
    """
    use_language(lang)
    from greenit.history.book import History

    comparison = History(db).compare(
        year_a, year_b, restate=restate, organisation=organisation, factors=factors, lang=lang.value
    )
    from greenit.reporting.evolution import change_sentence
    from greenit.reporting.history_console import comparison_change, print_comparison
    from greenit.reporting.text import Words

    if json_output:
        words = Words.for_total(lang.value, comparison["from"]["total_kgco2e"])
        sentence = change_sentence(
            comparison_change(comparison), words, comparison["from"].get("organisation")
        )
        _echo_json({**comparison, "sentence": sentence, "history_file": str(db)})
        return
    print_comparison(comparison, db, lang.value)


@history_app.command("target", help=hh("cmd.target"))
def target(
    baseline: Annotated[int | None, typer.Option("--baseline", help=hh("baseline"))] = None,
    reduction: Annotated[str | None, typer.Option("--reduction", help=hh("reduction"))] = None,
    by: Annotated[int | None, typer.Option("--by", help=hh("by"))] = None,
    organisation: OrganisationOption = None,
    factors: FactorsOption = None,
    db: DbOption = DEFAULT_DB,
    json_output: JsonOption = False,
    lang: LangOption = Lang.fr,
) -> None:
    """Set a reduction target and see each year against its trajectory (and the reuse target).

    Example: greenit history target --baseline 2023 --reduction 30% --by 2030
    """
    use_language(lang)
    from greenit.history.book import History

    section = History(db).target(baseline, reduction, by, organisation=organisation, factors=factors)
    if json_output:
        _echo_json({**section, "history_file": str(db)})
        return
    from greenit.reporting.history_console import print_target

    print_target(section, db, lang.value)
