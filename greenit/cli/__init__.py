"""The ``greenit`` command line: one thin function per command, imports done lazily.

Nothing here computes: every command calls the same public functions a notebook would.
Commands live by subject (``inventory``, ``ai``, ``factors``); ``common`` holds the apps and
the options they share.
"""

import sys

import typer

from greenit.cli import ai, decide, factors, history, inventory  # noqa: F401  (register the commands)
from greenit.cli.common import app

__all__ = ["app", "main"]


#: what numpy and pandas say of an empty, infinite or missing value in the middle of a column:
#: computation noise (each such value is already flagged or NaN by design), never for the user
NUMERIC_NOISE = (
    r"(invalid value|divide by zero|overflow|underflow) encountered"
    r"|Mean of empty slice|All-NaN (slice|axis) encountered|Degrees of freedom <= 0"
)


def main() -> None:
    """Console entry point: user errors in one or two lines and exit status 2."""
    import warnings

    from greenit.errors import GreenitError

    warnings.filterwarnings("ignore", message=NUMERIC_NOISE, category=RuntimeWarning)
    try:
        app()
    except GreenitError as error:
        from greenit.i18n import text

        typer.echo(f"{text('cli.error_prefix')} {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        from greenit.i18n import text

        typer.echo(text("cli.interrupted"), err=True)
        sys.exit(130)
