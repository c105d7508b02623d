"""Look-ups of factor-table rows for whole columns: one index search per distinct key."""

from __future__ import annotations

import numpy as np
import pandas as pd


def positions_in(table: pd.DataFrame, keys: pd.Series) -> np.ndarray:
    """Row position in ``table`` of each key (-1 when missing or unknown).

    For a Categorical, the look-up runs once per category, not once per row.
    """
    if isinstance(keys.dtype, pd.CategoricalDtype):
        if len(keys.cat.categories) == 0:
            return np.full(len(keys), -1, dtype=np.int64)
        per_category = table.index.get_indexer(keys.cat.categories)
        codes = keys.cat.codes.to_numpy()
        return np.where(codes >= 0, per_category[np.maximum(codes, 0)], -1)
    return table.index.get_indexer(keys.astype(object).where(keys.notna(), ""))


def take(table: pd.DataFrame, positions: np.ndarray, column: str) -> np.ndarray:
    """``table[column]`` at each position, NaN where the position is -1."""
    values = table[column].to_numpy(dtype=float)
    return np.where(positions >= 0, values[np.maximum(positions, 0)], np.nan)
