"""Raw columns → typed columns: categoricals of distinct values, quantities in canonical units."""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.flags import Flags
from greenit.parsing.units import parse_quantity_column


def parse_quantities(
    raw: pd.DataFrame, headers: dict, targets: dict[str, str], out: pd.DataFrame, flags: Flags
) -> None:
    """Each canonical quantity column into ``out`` as floats in its unit; bad cells flagged.

    A column the file lacks becomes NaN (the factor tables fill it later).
    """
    for column, target in targets.items():
        match = headers.get(column)
        if match is None:
            out[column] = np.nan
            continue
        parsed = parse_quantity_column(raw[match.header], target, header_unit=match.unit, name=match.header)
        out[column] = parsed.values
        flags.add(parsed.bad, parsed.errors)


def as_categorical(values: pd.Series | np.ndarray, function=None) -> pd.Series:
    """A text column as a Categorical, ``function`` applied to each distinct value only.

    Big inventories repeat a few hundred labels over a million rows: working on the distinct
    values and keeping integer codes is what keeps normalising fast and lean. ``function``
    maps a value to a string or None (None becomes a missing value).
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if function is None:
        mapped = [None if str(u).strip() == "" else str(u).strip() for u in uniques]
    else:
        mapped = [function(u) for u in uniques]
    categories = pd.unique(pd.Series([m for m in mapped if m is not None], dtype=object))
    lookup = {c: i for i, c in enumerate(categories)}
    recode = np.array([lookup[m] if m is not None else -1 for m in mapped] + [-1], dtype=np.int64)
    new_codes = recode[np.where(codes >= 0, codes, len(uniques))]
    index = values.index if isinstance(values, pd.Series) else None
    return pd.Series(
        pd.Categorical.from_codes(new_codes, categories=pd.Index(categories, dtype=object)), index=index
    )


def text_column(raw: pd.DataFrame, header: str | None) -> pd.Series:
    """A text column, stripped, empty cells missing, as a Categorical."""
    if header is None:
        return pd.Series(
            pd.Categorical([None] * len(raw), categories=pd.Index([], dtype=object)), index=raw.index
        )
    return as_categorical(raw[header])


def text_values(column: pd.Series, mask: np.ndarray) -> np.ndarray:
    """The cells of ``column`` where ``mask`` holds, as plain strings ('' for missing)."""
    return np.asarray(column[mask].astype(object).where(column[mask].notna(), ""), dtype=object)
