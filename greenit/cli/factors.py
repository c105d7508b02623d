"""Factor-table commands: ``factors list``, ``factors show``, ``factors validate``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
        typer.Argument(help=h("factors_table"), metavar=mv("table")),
    ],
    key: Annotated[str | None, typer.Argument(help=h("factors_key"), metavar=mv("key"))] = None,
    factors: FactorsOption = None,
    lang: LangOption = Lang.fr,
) -> None:
    """Show a factor table, or one row with its sources (greenit's notes on them in ``lang``).

    Example: greenit factors show devices laptop
    """
    from greenit.errors import GreenitError
    from greenit.factors import load_factors

    use_language(lang)

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
    ids: set[str] = set()
    for column, value in row.items():
        if column.endswith(("_source", "source_id", "range_sources")) and isinstance(value, str):
            ids.update(s.strip() for s in value.split(";"))
    for source_id, source in loaded.source_rows(ids).iterrows():
        typer.echo(f"\n{_source_line(str(source_id), source, lang.value)}")


def _source_line(source_id: str, source, lang: str) -> str:
    """``[id] publisher (year). title — description. url``, then greenit's notes, in ``lang``."""
    from greenit.factors.tables import source_text

    description, notes = source_text(source, "description", lang), source_text(source, "notes", lang)
    line = f"[{source_id}] {source['publisher']} ({source['year']}). {source['title']}"
    line += f" — {description}. {source['url']}" if description else f". {source['url']}"
    return line + (f"\n    {notes}" if notes else "")


@factors_app.command("validate", help=h("cmd.factors_validate"))
def factors_validate(
    path: Annotated[Path | None, typer.Argument(help=h("factors_path"), metavar=mv("path"))] = None,
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
