"""What every command shares: the typer apps, the language of --help, the options, small helpers.

Help texts come from the catalogue (``cli.help.*``) in the language of this invocation:
``--lang en`` on the command line, else ``GREENIT_LANG``, else French.
"""

import functools
import inspect
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import typer

from greenit.cli import lazy, values
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
lazy.install()  # each command built when it runs, not all of them for every call
values.install()  # plain values read without importing pydantic


def h(key: str) -> str:
    """A help text of the catalogue (``cli.help.KEY``), in the language of this invocation."""
    return text(f"cli.help.{key}", HELP_LANGUAGE)


def mv(key: str) -> str:
    """An argument's name in ``--help`` and usage lines (``cli.metavar.KEY``: FICHIERS, FILES)."""
    return text(f"cli.metavar.{key}", HELP_LANGUAGE)


app = typer.Typer(
    name="greenit",
    help=h("app"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
    subcommand_metavar=mv("subcommand"),
)
factors_app = typer.Typer(help=h("factors_app"), no_args_is_help=True, subcommand_metavar=mv("subcommand"))
ai_app = typer.Typer(help=h("ai_app"), no_args_is_help=True, subcommand_metavar=mv("subcommand"))
app.add_typer(factors_app, name="factors")
app.add_typer(ai_app, name="ai")


class Method(str, Enum):
    amortised = "amortised"
    flux = "flux"
    amortie = "amortie"  # the French name of amortised: option values in French and English

    @property
    def canonical(self) -> str:
        """The method's name in code and in summary.json (``amortie`` → ``amortised``)."""
        return Method.amortised.value if self is Method.amortie else self.value


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


YearOption = Annotated[int | None, typer.Option("--year", help=h("year"))]
MethodOption = Annotated[Method, typer.Option("--method", help=h("method_short"))]
AcceleratorOption = Annotated[str | None, typer.Option("--accelerator", help=h("accelerator"))]
KeepLogIntensityOption = Annotated[bool, typer.Option("--keep-log-intensity", help=h("keep_log_intensity"))]
# the scope of a town's footprint (issue 22): its texts in the ``scope`` catalogue
PueOption = Annotated[str | None, typer.Option("--pue", help=text("scope.help.pue", HELP_LANGUAGE))]
LifespanRuleOption = Annotated[
    str, typer.Option("--lifespan-rule", help=text("scope.help.lifespan_rule", HELP_LANGUAGE))
]
ServicesOption = Annotated[
    Path | None, typer.Option("--services", help=text("scope.help.services", HELP_LANGUAGE))
]
ElectricityPriceOption = Annotated[
    str | None, typer.Option("--electricity-price", help=text("money.help.electricity_price", HELP_LANGUAGE))
]
PricesOption = Annotated[str | None, typer.Option("--prices", help=text("money.help.prices", HELP_LANGUAGE))]


class SharedOption(NamedTuple):
    """A command-line option that becomes a field of :class:`greenit.options.Options`."""

    annotation: Any  # Annotated[type, typer.Option(...)]: its name and help
    default: Any
    fields: Callable[[Any], dict[str, Any]]  # its value → Options fields


#: Every option the inventory and AI commands share, declared once. A new option of
#: :class:`greenit.options.Options` is one entry here (and its name in a command's group).
SHARED_OPTIONS: dict[str, SharedOption] = {
    "country": SharedOption(CountryOption, "FRA", lambda v: {"country": v.upper()}),
    "year": SharedOption(YearOption, None, lambda v: {"year": v}),
    "method": SharedOption(MethodOption, Method.amortised, lambda v: {"method": v.canonical}),
    "grid_factor": SharedOption(GridOption, None, lambda v: {"grid_factor_kg_per_kwh": parse_grid_option(v)}),
    "factors": SharedOption(FactorsOption, None, lambda v: {"factors": v}),
    "column": SharedOption(ColumnOption, None, lambda v: {"columns": v}),
    "sheet": SharedOption(SheetOption, None, lambda v: {"sheet": v}),
    "default_category": SharedOption(DefaultCategoryOption, None, lambda v: {"default_category": v}),
    "accelerator": SharedOption(AcceleratorOption, None, lambda v: {"accelerator": v}),
    "keep_log_intensity": SharedOption(KeepLogIntensityOption, False, lambda v: {"keep_log_intensity": v}),
    "electricity_price": SharedOption(ElectricityPriceOption, None, lambda v: {"electricity_price": v}),
    "prices": SharedOption(PricesOption, None, lambda v: {"price_basis": v}),
    "lang": SharedOption(LangOption, Lang.fr, lambda v: {"lang": v.value}),
    "pue": SharedOption(PueOption, None, lambda v: {"pue": v}),
    "lifespan_rule": SharedOption(LifespanRuleOption, "technique", lambda v: {"lifespan_rule": v}),
    "services": SharedOption(ServicesOption, None, lambda v: {"services": v}),
}
#: The options of the commands that read inventories, and of those that read AI logs.
INVENTORY_OPTIONS = (
    "country",
    "year",
    "method",
    "grid_factor",
    "factors",
    "column",
    "sheet",
    "default_category",
    "pue",
    "lifespan_rule",
    "electricity_price",
    "prices",
    "lang",
)
AI_OPTIONS = (
    "year",
    "country",
    "grid_factor",
    "factors",
    "accelerator",
    "keep_log_intensity",
    "electricity_price",
    "lang",
)


def with_options(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A command taking the shared options ``names`` and receiving them as one ``options``.

    The command declares ``options: Options`` (and may declare one of ``names`` itself, to give
    it another help or make it required: its declaration wins); the other options of ``names``
    are added to its command line from :data:`SHARED_OPTIONS`. When it runs, the language is set
    first (``--lang``), then the values become one :class:`~greenit.options.Options`, ``on_missing``
    = ``report`` (each missing file in the per-file report, the others read).
    """

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        # not evaluated: ``options: "Options"`` names a class --help does not import; the CLI
        # modules do not postpone annotations, so every other one is typer's object already
        signature = inspect.signature(command)
        own = [p for p in signature.parameters.values() if p.name != "options"]
        postponed = [p.name for p in own if isinstance(p.annotation, str)]
        if postponed:
            raise TypeError(f"{command.__name__}: annotations written as text: {postponed}")
        given = {p.name for p in own}
        added = [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=SHARED_OPTIONS[name].default,
                annotation=SHARED_OPTIONS[name].annotation,
            )
            for name in names
            if name not in given
        ]
        parameters = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own] + added

        @functools.wraps(command)
        def run(**values: Any) -> Any:
            from greenit.options import Options

            if "lang" in names:
                use_language(values["lang"])
            shared: dict[str, Any] = {"on_missing": "report"}
            for name in names:
                shared |= SHARED_OPTIONS[name].fields(values.pop(name))
            return command(**values, options=Options(**shared))

        run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in parameters}
        return run

    return decorate


def use_language(lang: Lang) -> None:
    """Everything this command prints or writes is rendered in ``lang``."""
    from greenit.i18n import set_language

    set_language(lang.value)


def parse_grid_option(text: str | None) -> float | None:
    """``--grid-factor``: '57 g/kWh', '0,057 kg/kWh' or '57' (gCO2e/kWh) → kgCO2e/kWh."""
    if text is None:
        return None
    from greenit.errors import GreenitError
    from greenit.parsing.units import UnitError, parse_carbon_intensity

    try:
        return parse_carbon_intensity(text, "--grid-factor")
    except UnitError as exc:
        raise GreenitError(exc.message) from None


def report_failures(failures: list[dict]) -> None:
    """Each file that could not be read, on stderr, with what to do when greenit knows it."""
    for failure in failures:
        typer.echo(f"{text('cli.error_prefix')} {failure['error']}", err=True)
        if failure.get("hint"):
            typer.echo(f"  → {failure['hint']}", err=True)


LeverOption = Annotated[
    list[str] | None,
    typer.Option(
        "--scenario",
        "-s",
        help=h("scenario_option"),
    ),
]
AiOption = Annotated[list[Path] | None, typer.Option("--ai", help=h("ai_option"))]
PopulationOption = Annotated[int | None, typer.Option("--population", help=h("population"))]
HeadcountOption = Annotated[int | None, typer.Option("--headcount", help=h("headcount"))]
