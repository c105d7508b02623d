"""``greenit --help`` builds no command, and lists each one as the built command would.

typer turns every command's signature into click parameters when the app is called;
:mod:`greenit.cli.lazy` gives typer an outline of each command instead, built when it runs.
These tests hold the outlines to typer's own commands and show which ones a call builds.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from greenit.cli import app, lazy
from greenit.cli.common import with_options


def commands_of(group) -> dict[str, object]:
    """Every command under ``group`` by its path (``factors show``), groups left out."""
    found = {}
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found |= {f"{name} {sub}": c for sub, c in commands_of(command).items()}
        else:
            found[name] = command
    return found


def run(group, *args: str, capsys) -> str:
    """``greenit ARGS`` on an already built group (so that its outlines can be looked at after)."""
    with pytest.raises(SystemExit) as done:
        group.main(list(args), prog_name="greenit")
    assert done.value.code == 0
    return capsys.readouterr().out


def test_every_command_is_an_outline_that_lists_as_typers_own_command():
    outlines = commands_of(typer.main.get_command(app))
    some = {"estimate", "scenario", "report", "track", "factors show", "ai plan", "history add"}
    assert some <= set(outlines)
    for path, outline in outlines.items():
        assert isinstance(outline, lazy.Outline), path
        built = lazy.build_command(outline.command_info, **outline.how)  # typer's own command
        assert not isinstance(built, lazy.Outline)
        listed = ("name", "help", "short_help", "hidden", "deprecated")
        assert [getattr(outline, a) for a in listed] == [getattr(built, a) for a in listed], path
        for limit in (20, 45, 94):  # the listing's width decides where the short help is cut
            assert outline.get_short_help_str(limit) == built.get_short_help_str(limit), path


def test_the_list_of_commands_builds_none_and_a_command_builds_itself_only(capsys):
    group = typer.main.get_command(app)
    outlines = commands_of(group)
    listed = run(group, "--help", capsys=capsys)
    assert "estimate" in listed and "factors" in listed
    assert [path for path, outline in outlines.items() if outline._built is not None] == []

    own = run(group, "factors", "show", "--help", capsys=capsys)
    assert "--factors" in own  # its options, read from its signature when it was built
    assert [path for path, outline in outlines.items() if outline._built is not None] == ["factors show"]
    built = outlines["factors show"].built()
    assert outlines["factors show"].built() is built  # built once
    assert [p.name for p in built.params if p.name == "factors"] == ["factors"]


def test_an_app_of_one_command_runs_it_with_its_options():
    one = typer.Typer()

    @one.command()
    def greet(name: str, times: int = 2) -> None:
        typer.echo(" ".join([f"bonjour {name}"] * times))

    command = typer.main.get_command(one)
    assert isinstance(command, lazy.Outline)  # typer's single-command app, outlined too
    result = CliRunner().invoke(one, ["Anne", "--times", "3"])
    assert result.exit_code == 0
    assert result.output == "bonjour Anne bonjour Anne bonjour Anne\n"
    assert "--times" in CliRunner().invoke(one, ["--help"]).output


def test_a_usage_error_is_still_shown_the_greenit_way_through_an_outline(run_main):
    done = run_main("factors", "show", "--bogus")
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == "greenit : erreur : option inconnue : --bogus"
    assert "factors show [OPTIONS] {TABLE} [CLÉ]" in done.stderr.splitlines()[1]  # the built command's usage


def test_shared_options_refuse_annotations_written_as_text():
    def command(files: list[str], options: object) -> None: ...  # postponed: this module's __future__

    with pytest.raises(TypeError, match=r"command: annotations written as text: \['files'\]"):
        with_options("year")(command)


def test_help_imports_neither_the_options_nor_the_heavy_libraries():
    code = (
        "import sys; from greenit.cli import main; sys.argv = ['greenit', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('greenit.options', 'pandas', 'numpy', 'pint', 'babel', 'jinja2', 'matplotlib')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip() == "[]"
    assert "estimate" in done.stdout
