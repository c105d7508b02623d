"""AI commands: ``ai estimate`` and ``track``."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from greenit.cli.common import (
    AI_OPTIONS,
    CountryOption,
    FactorsOption,
    Lang,
    LangOption,
    ai_app,
    app,
    h,
    mv,
    report_failures,
    use_language,
    with_options,
)

if TYPE_CHECKING:
    from greenit.options import Options  # not imported for --help


def _tell(line: object) -> None:
    """A line on stderr; a closed or broken stderr loses the line, never the command's exit code."""
    try:
        typer.echo(str(line), err=True)
    except OSError:
        pass


@ai_app.command("estimate", help=h("cmd.ai_estimate"))
@with_options(*AI_OPTIONS)
def ai_estimate(
    logs: Annotated[list[Path], typer.Argument(help=h("ai_logs"), metavar=mv("logs"))],
    options: "Options",
    json_output: Annotated[bool, typer.Option("--json", help=h("json"))] = False,
    rows_out: Annotated[Path | None, typer.Option(help=h("ai_rows_out"))] = None,
) -> None:
    """Energy and carbon of training and inference runs, with the hardware's embodied share.

    Example: greenit ai estimate journal_ia.csv emissions.csv --json
    """
    from greenit.api import estimate_ai_files

    result = estimate_ai_files(logs, options)
    summary = result.result()
    if rows_out:
        from greenit.reporting.exports import write_runs

        write_runs(result, rows_out, inputs=logs)
    if json_output:
        from greenit.results import dumps

        typer.echo(dumps(summary))
    else:
        from greenit.reporting.console import print_flagged, print_workloads
        from greenit.results.workloads import counted_by_job

        if summary["jobs_estimated"]:  # a Slurm job and its steps count as one run
            print_workloads(counted_by_job(summary), str(options.lang))
        else:  # a table of zeros would read as a result: the reasons, then the error below
            print_flagged(summary["flagged"], str(options.lang))
        _print_file_kinds(summary["files"])
    report_failures(summary["files_failed"])
    result.require_estimates()  # no run estimated: exit 2 with the most frequent reasons
    if summary["files_failed"]:
        raise typer.Exit(2)


def _print_file_kinds(files: list[dict]) -> None:
    """One line per file read: what it was recognised as (run log, CodeCarbon, Slurm, usage log)."""
    from greenit.i18n import text

    for read in files:
        kind = _kind_words(read["kind"])
        if read.get("step_rows"):  # a Slurm export: its step lines are counted in their jobs
            line = text(
                "hosted.file_jobs_line",
                file=read["file"],
                kind=kind,
                rows=read["rows"],
                jobs=read["runs"] - read["step_rows"],
                steps=read["step_rows"],
            )
        else:
            line = text("hosted.file_kind_line", file=read["file"], kind=kind, rows=read["rows"])
        typer.echo("  " + line)
        for note in read.get("notes", []):  # what reading it said (a format's reading, cut fields…)
            typer.echo("    " + str(note))


def _kind_words(kind: str) -> str:
    """What a kind of AI file is called: the catalogue's words, else its format's name."""
    from greenit.i18n import text

    try:
        return text(f"hosted.kind.{kind}")
    except KeyError:
        return text(f"formats.kind.{kind}")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True}, help=h("cmd.track"))
def track(
    command: Annotated[list[str], typer.Argument(help=h("track_command"), metavar=mv("command"))],
    log: Annotated[Path, typer.Option("--log", help=h("track_log"))],
    project: Annotated[str, typer.Option(help=h("track_project"))] = "",
    phase: Annotated[str, typer.Option(help=h("track_phase"))] = "other",
    country: CountryOption = "FRA",
    pue: Annotated[float, typer.Option(help=h("track_pue"))] = 1.0,
    interval: Annotated[float, typer.Option(help=h("track_interval"))] = 60.0,
    factors: FactorsOption = None,
    verbose: Annotated[bool, typer.Option(help=h("track_verbose"))] = False,
    boamps_out: Annotated[Path | None, typer.Option("--boamps-out", help=h("track_boamps_out"))] = None,
    lang: LangOption = Lang.fr,
) -> None:
    """Run COMMAND, measure its energy with CodeCarbon (offline), append its row to the log.

    The exit code is COMMAND's. SIGINT/SIGTERM are passed to COMMAND's process group and the
    row is still written. Example: greenit track --log runs.csv --project ocr -- python ocr.py lot1/
    """
    use_language(lang)
    import gc

    from greenit.tracking.supervisor import run_command

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
        report=_tell,
        boamps_out=boamps_out,
    )
    gc.freeze()  # the row is written: spare the exit a full collection (about 0.15 s)
    raise typer.Exit(code)
