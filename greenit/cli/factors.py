"""Factor-table commands: ``factors list``, ``factors show``, ``factors validate``."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from greenit.cli.common import (
    FactorsOption,
    Lang,
    LangOption,
    factors_app,
    h,
    mv,
    use_language,
)

if TYPE_CHECKING:
    import pandas as pd


#: Keys shown per table by ``factors list``.
LISTED_KEYS = 8
#: How an empty cell is shown.
EMPTY = "–"


@factors_app.command("list", help=h("cmd.factors_list"))
def factors_list(factors: FactorsOption = None, lang: LangOption = Lang.fr) -> None:
    """The factor tables, their rows and the version."""
    from greenit.factors import load_factors
    from greenit.i18n import text

    use_language(lang)
    loaded = load_factors(factors)
    typer.echo(text("factors.list.version", version=loaded.version))
    typer.echo(text("factors.list.packaged", path=loaded.origins[0]))
    for origin in loaded.origins[1:]:
        typer.echo(text("factors.list.overlay", path=origin))
    width = max(len(name) for name in [*loaded.tables, "sources"])
    for name, table in loaded.tables.items():
        keys = ", ".join(map(str, table.index[:LISTED_KEYS])) + ("…" if len(table) > LISTED_KEYS else "")
        rows = text("factors.list.rows", count=f"{len(table):>4}")
        typer.echo(f"  {name:<{width}} {rows}  " + text("factors.list.keys", keys=keys))
    typer.echo(f"  {'sources':<{width}} " + text("factors.list.rows", count=f"{len(loaded.sources):>4}"))


@factors_app.command("show", help=h("cmd.factors_show"))
def factors_show(
    table: Annotated[
        str,
        typer.Argument(help=h("factors_table"), metavar=mv("table")),
    ],
    key: Annotated[str | None, typer.Argument(help=h("factors_key_name"), metavar=mv("key"))] = None,
    factors: FactorsOption = None,
    lang: LangOption = Lang.fr,
) -> None:
    """Show a factor table, or one row with its sources (greenit's notes on them in ``lang``).

    A device row is found by its key or its name as ``--scenario`` takes it (``portables``,
    « Ordinateur portable »). Empty cells show « – »; of a column given in French and in
    English (``label_fr``, ``label_en``), only the one in ``lang``.

    Example: greenit factors show devices laptop
    """
    from greenit.api import factor_row
    from greenit.factors import load_factors
    from greenit.factors.find import factor_table

    use_language(lang)
    loaded = load_factors(factors)
    frame = _for_reader(factor_table(loaded, table), lang.value)
    if key is None:
        _echo_table(frame)
        return
    row = frame.loc[factor_row(loaded, table, key, frame)]
    width = max(28, *(len(str(column)) + 1 for column in row.index))
    for column, value in row.items():
        typer.echo(f"{column:<{width}} {_cell(value)}")
    ids: set[str] = set()
    for column, value in row.items():
        if column.endswith(("_source", "source_id", "range_sources")) and isinstance(value, str):
            ids.update(s.strip() for s in value.split(";"))
    for source_id, source in loaded.source_rows(ids).iterrows():
        typer.echo(f"\n{_source_line(str(source_id), source, lang.value)}")


def _for_reader(frame: "pd.DataFrame", lang: str) -> "pd.DataFrame":
    """``frame`` without the other language's column where one exists in ``lang``."""
    other = "en" if lang == "fr" else "fr"
    dropped = [
        column
        for column in frame.columns
        if str(column).endswith(f"_{other}") and f"{str(column)[: -len(other)]}{lang}" in frame.columns
    ]
    return frame.drop(columns=dropped)


def _cell(value: object) -> str:
    """A cell as ``factors show`` prints it: « – » when empty, a whole number without ``.0``."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return EMPTY
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _echo_table(frame: "pd.DataFrame") -> None:
    import pandas as pd

    options = ("display.max_rows", 500, "display.width", 200, "display.max_columns", 12)
    with pd.option_context(*options, "display.max_colwidth", 40):
        typer.echo(frame.astype(object).where(frame.notna(), EMPTY).to_string())


def _source_line(source_id: str, source, lang: str) -> str:
    """``[id] publisher (year). title — description. url``, then greenit's notes, in ``lang``."""
    from greenit.factors.tables import publisher_text, source_text

    description, notes = source_text(source, "description", lang), source_text(source, "notes", lang)
    publisher = publisher_text(source["publisher"], lang) or ""
    line = f"[{source_id}] {publisher} ({source['year']}). {source['title']}"
    line += f" — {description}. {source['url']}" if description else f". {source['url']}"
    return line + (f"\n    {notes}" if notes else "")


@factors_app.command("validate", help=h("cmd.factors_validate"))
def factors_validate(
    path: Annotated[Path | None, typer.Argument(help=h("factors_path"), metavar=mv("path"))] = None,
    lang: LangOption = Lang.fr,
) -> None:
    """Check that every row has numbers, units and a source; exit 2 if not."""
    from greenit.factors import load_factors_unvalidated
    from greenit.i18n import text

    use_language(lang)
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
