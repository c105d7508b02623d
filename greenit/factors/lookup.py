"""Look-ups of factor-table rows for whole columns: one index search per distinct key."""

from __future__ import annotations

import numpy as np
import pandas as pd


def positions_in(table: pd.DataFrame, keys: pd.Series) -> np.ndarray:
    """Row position in ``table`` of each key (-1 when missing or unknown).

    For a Categorical, the look-up runs once per category, not once per row.
    """
    if isinstance(keys.dtype, pd.CategoricalDtype):
        per_category = np.append(table.index.get_indexer(keys.cat.categories), -1)
        return per_category[keys.cat.codes.to_numpy()]  # code -1 (missing) takes the trailing -1
    return table.index.get_indexer(keys.astype(object).where(keys.notna(), ""))


def take(table: pd.DataFrame, positions: np.ndarray, column: str) -> np.ndarray:
    """``table[column]`` at each position, NaN where the position is -1."""
    values = np.append(table[column].to_numpy(dtype=float), np.nan)
    return values[positions]  # position -1 takes the trailing NaN: one pass over the rows
