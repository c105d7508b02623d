"""User-facing errors: what was wrong, where, and what to do next.

The CLI prints these in one or two lines and exits with status 2. Anything else that
escapes is a bug.
"""

from __future__ import annotations


class GreenitError(Exception):
    """A mistake in what the user gave greenit (file, column, unit, option)."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  → {self.hint}"


class InputFileError(GreenitError):
    """An input file that cannot be read or whose layout is not recognised."""


class FactorTableError(GreenitError):
    """An emission-factor table that is missing, malformed or points to no source."""


class UnitError(GreenitError):
    """A quantity whose unit cannot be understood or has the wrong dimension."""
