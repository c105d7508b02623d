"""Command-line values read as typer reads them, without pydantic for the plain ones.

typer 0.29 checks every value of every parameter — unset options included — through a pydantic
``TypeAdapter`` built the first time the parameter is read. For ``greenit estimate FILE --year
2025`` that meant importing pydantic and building twenty adapters before any file was opened:
about a tenth of a second of CPU, paid again by every command.

:func:`install` has each value read here first when typer's own result is certain without
pydantic: nothing given (typer answers ``None`` or ``()`` before any adapter), a value already of
the parameter's type, text for a text option, a number written in plain digits, a choice or a
path through typer's own choice and path functions (the ones its adapters call). Any other value
— a sign, a space, an exponent, a choice that matches none, a path Python would rewrite — goes to
typer's adapter as before, so its results, its messages and its edge cases stay typer's.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Any, get_args

import typer.core
from typer._click import Context
from typer._param_types import coerce_cli_choice, coerce_cli_path, lenient_issubclass

#: typer's own reader of a parameter's values (its pydantic adapter), built on first need
typer_reader = typer.core._TyperParameter.get_runtime_param

#: what :func:`plain_value` returns for a value it leaves to typer's adapter
NOT_PLAIN: Any = object()
#: numbers as pydantic reads them without doubt: digits, no sign, no space, no leading zero
_WHOLE = re.compile(r"0|[1-9][0-9]{0,17}")
_DECIMAL = re.compile(r"(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?")


class PlainFirst:
    """A parameter's reader: the plain values here, every other one through typer's adapter."""

    def coerce(self, value: Any, param: Any, ctx: Context) -> Any:
        many = param.multiple or param.nargs == -1
        if value is None:  # what typer's RuntimeParam.coerce answers before using its adapter
            return () if many else None
        descriptor = param.type_descriptor
        if descriptor.file_annotation is None:
            if many and descriptor.is_list and isinstance(value, (list, tuple)):
                (item_type,) = get_args(descriptor.annotation)
                items = [plain_value(item, item_type, param, ctx) for item in value]
                if not any(item is NOT_PLAIN for item in items):
                    return items  # typer's list adapter returns a list
            elif not many:
                result = plain_value(value, descriptor.annotation, param, ctx)
                if result is not NOT_PLAIN:
                    return result
        return typer_reader(param).coerce(value, param=param, ctx=ctx)


def plain_value(value: Any, annotation: Any, param: Any, ctx: Context) -> Any:
    """``value`` as typer's adapter for ``annotation`` returns it, or NOT_PLAIN when in doubt."""
    info = param.type_descriptor.parameter_info
    if info.parser is not None or info.min is not None or info.max is not None:
        return NOT_PLAIN
    if isinstance(value, str) and not _plain_text(value):
        return NOT_PLAIN
    if annotation in (str, int, float) and type(value) is annotation:
        return value
    if annotation is int and isinstance(value, str) and _WHOLE.fullmatch(value):
        return int(value)
    if annotation is float and isinstance(value, str) and _DECIMAL.fullmatch(value):
        return float(value)
    if lenient_issubclass(annotation, Enum) and isinstance(value, (str, annotation)):
        try:
            choices = tuple(annotation)
            return coerce_cli_choice(value, choices=choices, case_sensitive=info.case_sensitive, ctx=ctx)
        except ValueError:  # matches no choice: typer's adapter says so in its words
            return NOT_PLAIN
    if lenient_issubclass(annotation, Path) and info.path_type is None and not info.allow_dash:
        if isinstance(value, str) and value and str(annotation(value)) == value:
            value = annotation(value)  # what pydantic's Path makes of it, written the same
        if isinstance(value, annotation):
            return coerce_cli_path(value, info, path_type=annotation, param=param, ctx=ctx)
    return NOT_PLAIN


def _plain_text(value: str) -> bool:
    """Text pydantic takes as it is: no NUL byte, and UTF-8 (no lone surrogate from argv)."""
    if "\0" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def install() -> None:
    """typer reads each parameter's values through :class:`PlainFirst` (idempotent)."""
    reader = PlainFirst()
    typer.core._TyperParameter.get_runtime_param = lambda self: reader  # type: ignore[method-assign,assignment,return-value]
