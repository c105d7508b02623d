"""Loading the factor set a computation uses: assembled, validated, cached."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from greenit.errors import FactorTableError
from greenit.factors.tables import FactorSet
from greenit.i18n import Message


def _validated(extra: str | None) -> FactorSet:
    from greenit.factors.read import assemble  # neither is imported when the stored set is read
    from greenit.factors.validate import validate

    factors = assemble(extra)
    problems = validate(factors)
    if problems:
        key = "factors.invalid" if len(problems) > 1 else "factors.invalid_one"
        raise FactorTableError.of(key, "factors.invalid_hint", first=problems[0], more=len(problems) - 1)
    return factors


@lru_cache(maxsize=8)
def _load_cached(extra: str | None) -> FactorSet:
    """The set in this process; the packaged one also kept on disk for the next (:mod:`.stored`)."""
    if extra is not None:
        return _validated(extra)
    from greenit.factors.stored import stored_factors
    from greenit.factors.tables import default_factors_dir

    return stored_factors(default_factors_dir(), lambda: _validated(None))


def load_factors(extra: str | Path | None = None) -> FactorSet:
    """The packaged factor tables, with a user's folder or CSV file laid over them.

    A user table replaces the packaged rows with the same key and adds new ones; its rows
    must point to sources in its own ``sources.csv`` or the packaged one. Tables that do not
    pass :func:`greenit.factors.validate.validate` are refused (:class:`FactorTableError`).
    """
    return _load_cached(str(extra) if extra else None)


def load_factors_unvalidated(extra: str | Path | None = None) -> tuple[FactorSet, list[Message]]:
    """Like :func:`load_factors`, but returns the problems (catalogue messages) instead of raising."""
    from greenit.factors.read import assemble
    from greenit.factors.validate import validate

    factors = assemble(str(extra) if extra else None)
    return factors, validate(factors)
