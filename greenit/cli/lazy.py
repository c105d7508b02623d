"""Commands built when they run: ``greenit --help`` lists every command and builds none.

typer turns each command's function signature into click parameters (``inspect.signature``,
``typing.get_type_hints``, one click option per parameter: about a millisecond a command) for
every command of the app, each time the app is called. ``greenit --help`` lists twenty
commands, ``greenit estimate`` runs one: building them all was half of what ``--help`` spent
after ``import typer``. :func:`install` makes typer build an :class:`Outline` of each command
instead, which its group's ``--help`` lists as it is (name, help, short help, hidden,
deprecated), and which builds the command with typer's own code the first time it is run or
asked its own ``--help``: click reaches a subcommand through its ``make_context``, and a
one-command app through its ``main``.
"""

from __future__ import annotations

import inspect
from typing import Any

import typer.main
from typer._click import Command, Context
from typer.core import TyperCommand
from typer.models import CommandInfo

#: typer's own builder of a command: what an outline calls when it is first run
build_command = typer.main.get_command_from_info


class Outline(TyperCommand):
    """A command as its group lists it; the command itself built on first use, then kept."""

    def __init__(self, command_info: CommandInfo, *, pretty_exceptions_short: bool, rich_markup_mode: Any):
        callback = command_info.callback
        assert callback is not None, "A command must have a callback function"
        given = command_info.help  # as typer reads it: the help given, else the docstring
        super().__init__(
            name=command_info.name or typer.main.get_command_name(callback.__name__),
            help=inspect.getdoc(callback) if given is None else inspect.cleandoc(given),
            short_help=command_info.short_help,
            hidden=command_info.hidden,
            deprecated=command_info.deprecated,
        )
        self.command_info = command_info
        self.how = {"pretty_exceptions_short": pretty_exceptions_short, "rich_markup_mode": rich_markup_mode}
        self._built: Command | None = None

    def built(self) -> Command:
        """The command typer builds from the function, built once."""
        if self._built is None:
            self._built = build_command(self.command_info, **self.how)
        return self._built

    def make_context(
        self, info_name: str | None, args: list[str], parent: Context | None = None, **extra: Any
    ) -> Context:
        """The context of the command itself: its options parsed, its help, its usage errors."""
        return self.built().make_context(info_name, args, parent, **extra)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """An app of one command runs the command itself."""
        return self.built().main(*args, **kwargs)


def install() -> None:
    """typer builds outlines of commands, each built when it runs (idempotent)."""
    typer.main.get_command_from_info = Outline
