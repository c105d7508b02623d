"""AI decisions: ``ai plan``, ``ai statement``, ``ai questionnaire`` (thin: the work is in
:mod:`greenit.decide` and :mod:`greenit.reporting`).
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from greenit.cli.common import AI_OPTIONS, HELP_LANGUAGE, ai_app, with_options
from greenit.i18n import text

if TYPE_CHECKING:
    from greenit.options import Options  # not imported for --help


def hd(key: str) -> str:
    """A help text of the AI-decisions catalogue (``aiplan.help.KEY``), in this invocation's language."""
    return text(f"aiplan.help.{key}", HELP_LANGUAGE)


@ai_app.command("plan", help=hd("cmd_plan"))
@with_options("factors", "lang")
def ai_plan(
    plan: Annotated[Path | None, typer.Argument(help=hd("plan_file"), metavar="PLAN.toml")] = None,
    *,
    options: "Options",
    json_output: Annotated[bool, typer.Option("--json", help=hd("json"))] = False,
    out: Annotated[Path | None, typer.Option("--out", help=hd("out"))] = None,
    electricity_price: Annotated[
        str | None, typer.Option("--electricity-price", help=hd("electricity_price"))
    ] = None,
    population: Annotated[int | None, typer.Option("--population", help=hd("population"))] = None,
    template: Annotated[Path | None, typer.Option("--template", "--modele", help=hd("template"))] = None,
    logs_out: Annotated[Path | None, typer.Option("--logs-out", help=hd("logs_out"))] = None,
) -> None:
    from greenit.errors import GreenitError

    if template is not None:
        from greenit.reporting.plan import write_template

        typer.echo(text("aiplan.cli.template_written", path=write_template(template)))
        if plan is None:
            return
    if plan is None:
        raise GreenitError.of("aiplan.error.no_plan")
    from greenit.decide import plan_ai

    result = plan_ai(plan, options, electricity_price=electricity_price, population=population)
    summary = result.to_json(options.lang)
    if logs_out is not None:
        from greenit.reporting.plan import write_equivalent_logs

        for path in write_equivalent_logs(result.plan, logs_out, inputs=[plan]):
            typer.echo(text("aiplan.cli.written", path=path), err=json_output)
    if out is not None:
        from greenit.reporting.plan import write_plan_outputs

        for path in write_plan_outputs(summary, out, result.sources(), inputs=[plan]):
            typer.echo(text("aiplan.cli.written", path=path), err=json_output)
    if json_output:
        from greenit.results import dumps

        typer.echo(dumps(summary))
    else:
        from greenit.reporting.plan import print_plan

        print_plan(summary)
    if summary["options_estimated"] == 0:
        raise GreenitError.of("aiplan.error.nothing_estimated", source=str(plan))


def hg(key: str) -> str:
    """A help text of the AI-governance catalogue (``aigov.help.KEY``)."""
    return text(f"aigov.help.{key}", HELP_LANGUAGE)


@ai_app.command("statement", help=hg("cmd_statement"))
@with_options(*AI_OPTIONS)
def ai_statement(
    logs: Annotated[list[Path], typer.Argument(help=hg("statement_logs"), metavar="LOG...")],
    options: "Options",
    project: Annotated[str, typer.Option("--project", help=hg("project"))],
    out: Annotated[Path, typer.Option("--out", help=hg("statement_out"))],
    json_output: Annotated[bool, typer.Option("--json", help=hg("json"))] = False,
) -> None:
    from greenit.decide import ai_statement as statement_of
    from greenit.decide import source_rows
    from greenit.reporting.statement import write_statement

    result = statement_of(logs, project, options)
    for path in write_statement(result, out, source_rows(result["sources"], options.factors), inputs=logs):
        typer.echo(text("aiplan.cli.written", path=path), err=json_output)
    if json_output:
        from greenit.results import dumps

        typer.echo(dumps(result))


@ai_app.command("questionnaire", help=hg("cmd_questionnaire"))
@with_options("country", "factors", "lang")
def ai_questionnaire(
    out: Annotated[Path, typer.Option("--out", help=hg("questionnaire_out"))],
    inputs: Annotated[
        list[Path] | None, typer.Argument(help=hg("questionnaire_inputs"), metavar="[PLAN|LOG...]")
    ] = None,
    *,
    options: "Options",
) -> None:
    from greenit.decide import ai_questionnaire as questionnaire_of
    from greenit.reporting.questionnaire import write_questionnaire

    given = list(inputs or [])
    result = questionnaire_of(given, options)
    typer.echo(text("aigov.questionnaire.written", path=write_questionnaire(result, out, inputs=given)))
