"""Finding a factor table and a row in it as a person names them: key, any case, closest names."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from greenit.errors import FactorTableError
from greenit.factors.tables import FactorSet
from greenit.parsing.text import closest, fold


def factor_table(factors: FactorSet, name: str) -> pd.DataFrame:
    """The table ``name`` of ``factors`` (``sources`` included); a user error naming every table."""
    if name == "sources":
        return factors.sources
    if name not in factors.tables:
        names = ", ".join(["sources", *factors.tables])
        raise FactorTableError.of("factors.no_table", "factors.no_table_hint", name=name, names=names)
    return factors.tables[name]


def find_row(
    frame: pd.DataFrame,
    key: str,
    *,
    table: str,
    by_name: Callable[[str], str | None] | None = None,
    suggest: Callable[[str], list] | None = None,
) -> str:
    """The key of the row of ``frame`` (the factor table ``table``) that ``key`` names.

    Its key as written; else ``by_name(key)`` when it is a row (devices: a category named as
    ``--scenario`` takes it, « portables »); else its key in any case and accents. Otherwise a
    user error with the closest rows (``suggest(key)``, default: the closest keys) and every key.
    """
    if key in frame.index:
        return key
    if by_name is not None:
        named = by_name(key)
        if named in frame.index:
            return str(named)
    folded = {fold(str(k)): str(k) for k in frame.index}
    if fold(key) in folded:
        return folded[fold(key)]
    keys = [str(k) for k in frame.index]
    near = suggest(key) if suggest is not None else closest(key, keys, cutoff=0.6)
    entry = "factors.no_row_closest" if near else "factors.no_row"
    raise FactorTableError.of(
        entry, "factors.no_row_hint", key=key, table=table, closest=near, known=", ".join(keys)
    )
