"""Click's own words in the user's language: ``--help`` headings and usage errors.

Typer vendors click (``typer._click``) with its English written in the code, not through
gettext, so no translation file can reach it. :func:`install` gives those words from the
catalogue (``messages/click.toml``) at the few places they are written:

- ``typer.core`` calls ``gettext`` for its headings and brackets (Arguments, Options,
  Commands, ``default: …``, ``required``, Missing command): its module-level ``_`` is the hook;
- the usage prefix (``Usage:``) and the ``--help`` option's own help text;
- a usage error is printed the greenit way, in two lines — what was wrong, then the usage and
  where to find help — with click's English messages (missing argument, unknown option,
  invalid value…) rendered from their parts.

Nothing else of click is changed. :func:`install` is idempotent; ``language`` is called each
time words are shown, so one process may show French then English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from greenit.i18n import template, text

#: typer's gettext message ids → catalogue entries.
GETTEXT = {
    "Arguments": "click.arguments",
    "Options": "click.options",
    "Commands": "click.commands",
    "default: {default}": "click.default",
    "required": "click.required",
    "env var: {var}": "click.env_var",
    "(dynamic)": "click.dynamic",
    "Aborted!": "click.aborted",
    "Missing command.": "click.missing_command",
    "No such command {name!r}.": "click.no_such_command",
}
#: click's and pydantic's English value messages → catalogue entries (groups become values);
#: patterns compiled (and cached by :mod:`re`) at the first usage error, not for every --help
VALUE_MESSAGES = [
    (r"(?s)^(?P<message>.*?)\.? Did you mean (?P<closest>.+)\?$", "click.did_you_mean"),
    (r"Input should be a valid integer", "click.not_an_integer"),
    (r"Input should be a valid number", "click.not_a_number"),
    (r"Input should be (?P<expected>.+)", "click.expected"),
    (r"Option '(?P<option>[^']+)' requires (?:an argument|\d+ arguments)\.", "click.needs_value"),
    (r"Got unexpected extra arguments? \((?P<extra>.*)\)", "click.extra_arguments"),
    (r"(?:File|Path|Directory) '(?P<path>.+)' does not exist\.", "click.no_such_path"),
    (r"'(?P<value>.*)' is not one of (?P<expected>.+)\.", "click.not_one_of"),
]
#: typer's value types as ``--help`` writes them (``<int>``) → catalogue entries.
TYPE_LABELS = {
    "str": "click.type.text",
    "int": "click.type.integer",
    "float": "click.type.number",
    "path": "click.type.path",
    "list[Path]": "click.type.paths",
    "list[str]": "click.type.texts",
}
_installed: dict[str, Any] = {}  # "language": the callable giving it; "done": patched already


def _lang() -> str:
    return _installed["language"]()


def translate(message: str) -> str:
    """typer's gettext: a known message id in the current language, else as it is."""
    key = GETTEXT.get(message)
    return template(key, _lang()) if key else message  # typer fills the {placeholders} itself


def type_label(label: str) -> str:
    """typer's ``<int>`` in the current language (``<entier>``); a choice (``<fr|en>``) as it is."""
    key = TYPE_LABELS.get(label[1:-1]) if label.startswith("<") and label.endswith(">") else None
    return f"<{text(key, _lang())}>" if key else label


def _value_message(message: str, lang: str) -> str:
    for pattern, key in VALUE_MESSAGES:
        match = re.search(pattern, message)
        if match:
            values = {k: (v or "").replace("' or '", "', '") for k, v in match.groupdict().items()}
            return text(key, lang, **values)
    return message


def _name(hint) -> str:
    """An option or argument as click hints it (``'--year'``, ``'-s' / '--scenario'``), unquoted."""
    if not isinstance(hint, str):
        hint = " / ".join(map(str, hint))
    return hint.replace("'", "")


def describe(error) -> str:
    """A click usage error as one sentence in the current language."""
    from typer._click import exceptions as ex

    lang = _lang()
    if isinstance(error, ex.MissingParameter):
        param = error.param
        kind = getattr(param, "param_type_name", "parameter")
        hint = _name(error.param_hint or (param.get_error_hint() if param is not None else ""))
        return text(
            f"click.missing_{kind if kind in ('argument', 'option') else 'parameter'}", lang, name=hint
        )
    if isinstance(error, ex.NoSuchOption):
        known = ", ".join(sorted(error.possibilities or ()))
        key = "click.no_such_option_closest" if known else "click.no_such_option"
        return text(key, lang, option=error.option_name, closest=known)
    if isinstance(error, ex.BadParameter):
        hint = _name(error.param_hint or (error.param.get_error_hint() if error.param is not None else ""))
        return text("click.invalid_value", lang, name=hint, reason=_value_message(error.message, lang))
    return _value_message(error.format_message(), lang)


def _show(error, file=None) -> None:
    """Print a usage error the greenit way: the error, then the usage and the help to read."""
    from typer._click import echo

    lang = _lang()
    lines = [f"{text('cli.error_prefix', lang)} {describe(error)}"]
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        usage = ctx.get_usage().strip()
        help_option = ctx.help_option_names[0] if ctx.help_option_names else "--help"
        lines.append(
            "  → " + text("click.usage_hint", lang, usage=usage, command=ctx.command_path, option=help_option)
        )
    echo("\n".join(lines), file=file, err=file is None)


def install(language: Callable[[], str]) -> None:
    """Route click's words through the catalogue; ``language()`` says which language, when shown."""
    _installed["language"] = language
    if _installed.get("done"):
        return
    import typer.core
    from typer._click import core, exceptions, formatting

    typer.core._ = translate
    write_usage = formatting.HelpFormatter.write_usage

    def french_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, text("click.usage", _lang()) + " " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = french_usage  # type: ignore[method-assign]
    get_help_option = core.Command.get_help_option

    def help_option(self, ctx):
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = text("click.help_option", _lang())
        return option

    core.Command.get_help_option = help_option  # type: ignore[method-assign]
    display_type = typer.core._TyperParameter.display_type

    def translated_type(self, ctx):
        return type_label(display_type(self, ctx))

    typer.core._TyperParameter.display_type = translated_type  # type: ignore[method-assign]
    exceptions.UsageError.show = _show  # type: ignore[method-assign,assignment]
    _installed["done"] = True
