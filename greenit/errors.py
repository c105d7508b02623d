"""User-facing errors: what was wrong, where, and what to do next.

The CLI prints these in one or two lines and exits with status 2. Anything else that
escapes is a bug. The message and the hint are catalogue messages (:mod:`greenit.i18n`),
shown in the user's language.
"""

from __future__ import annotations

from typing import Any

from greenit.i18n import Verbatim, msg


def _message(value: Any) -> Any:
    return Verbatim(value) if isinstance(value, str) else value


class GreenitError(Exception):
    """A mistake in what the user gave greenit (file, column, unit, option)."""

    exit_code = 2

    def __init__(self, message: Any, hint: Any = None) -> None:
        self.message = _message(message)
        self.hint = _message(hint)
        super().__init__(str(self.message))

    @classmethod
    def of(cls, key: str, hint: str | None = None, /, **params: Any) -> GreenitError:
        """The error of catalogue entry ``key``, with the hint entry ``hint`` (same values)."""
        return cls(msg(key, **params), msg(hint, **params) if hint else None)

    def render(self, lang: str | None = None) -> str:
        text = self.message.render(lang)
        return text if self.hint is None else f"{text}\n  → {self.hint.render(lang)}"

    def __str__(self) -> str:
        return self.render()


class InputFileError(GreenitError):
    """An input file that cannot be read or whose layout is not recognised."""


class FactorTableError(GreenitError):
    """An emission-factor table that is missing, malformed or points to no source."""


class UnitError(GreenitError):
    """A quantity whose unit cannot be understood or has the wrong dimension."""
