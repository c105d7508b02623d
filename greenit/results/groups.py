"""Sums per group of rows, computed on the integer codes of the key column.

A million-row inventory repeats a few dozen categories, departments and sites: the key of each
row is turned into an integer code once (a Categorical's codes, as the normalised frame holds
them), and every column is summed per code in one pass with numpy or pandas' grouped kernels —
no per-row Python object, no copy of the frame per mask.

Two summations, kept apart because the figures must not move in the last bit when the code
changes: :func:`bincount_sums` adds each group's values in row order (``np.bincount``, as the
totals per category, department and site always were); :func:`compensated_sums` gives what
``frame.groupby(key).sum()`` gives on the labels (pandas adds with Kahan compensation, skips
NaN) in the same label order, from the codes.

A summary of distinct rows (each standing for several input rows alike in every column summed)
passes its values already multiplied by the rows' weights (:func:`weighted`) and, for the
``rows`` of each group, the weights themselves.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd


def without_attrs(frame: pd.DataFrame) -> pd.DataFrame:
    """The same columns (not copied) without ``attrs``: pandas deep-copies a frame's ``attrs``
    into every column it hands out, and a summary reads dozens of columns per batch.
    """
    view = frame.copy(deep=False)
    view.attrs = {}
    return view


def weighted(values: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    """``values`` × ``weights`` (how many input rows each row stands for), or ``values`` themselves
    without weights: a summary of distinct rows sums what the repeated rows would sum.
    """
    return values if weights is None else values * weights


def counted(mask: np.ndarray, weights: np.ndarray | None) -> int:
    """The rows of ``mask``, each counted ``weights`` times when given."""
    return int(mask.sum()) if weights is None else int(weights[mask].sum())


#: Whole numbers below this are held exactly by a float, and so is every sum of them below it.
_EXACT = 2.0**53


class Keys(NamedTuple):
    """The key of each row as ``codes`` (int64, -1 where missing) into ``labels`` (object array)."""

    codes: np.ndarray
    labels: np.ndarray

    @classmethod
    def of(cls, keys: pd.Series) -> Keys:
        """The codes of a column: a Categorical's own, else those of its values sorted.

        >>> Keys.of(pd.Series(["b", None, "a", "b"]))
        Keys(codes=array([ 1, -1,  0,  1]), labels=array(['a', 'b'], dtype=object))
        """
        if not isinstance(keys.dtype, pd.CategoricalDtype):
            keys = keys.astype("category")
        labels = np.asarray(keys.cat.categories.astype(object), dtype=object)
        return cls(keys.cat.codes.to_numpy().astype(np.int64), labels)

    def where(self, mask: np.ndarray) -> Keys:
        """The keys of the rows of ``mask`` only (labels unchanged)."""
        return Keys(self.codes[mask], self.labels)

    def seen(self) -> list:
        """The labels some row has, in the order they first appear (as ``pd.unique`` gives them).

        >>> Keys.of(pd.Series(["b", None, "a", "b"])).seen()
        ['b', 'a']
        """
        first = pd.unique(self.codes)
        return list(self.labels[first[first >= 0]])


def bincount_sums(
    keys: Keys, columns: dict[str, np.ndarray], name: str, weights: np.ndarray | None = None
) -> pd.DataFrame:
    """Sums per key in row order, and the ``rows`` of each; missing keys in one last group (NaN).

    Groups appear in the labels' order; a label no row has is left out. ``weights`` (whole
    numbers ≥ 1, one per key): how many input rows each row stands for — its group's ``rows``
    count that many (the ``columns`` come already multiplied by them, see
    :meth:`greenit.results.InventorySummary.from_rows`).

    >>> bincount_sums(Keys.of(pd.Series(["b", None, "a", "b"])), {"x": np.array([1.0, 2, 3, 4])}, "k")
           x  rows
    k
    a    3.0     1
    b    5.0     2
    NaN  2.0     1
    >>> bincount_sums(Keys.of(pd.Series(["b", "a"])), {"x": np.array([3.0, 2])}, "k", np.array([3, 1]))
           x  rows
    k
    a    2.0     1
    b    3.0     3
    """
    size = len(keys.labels)
    codes = np.where(keys.codes < 0, size, keys.codes)  # the missing key last
    rows = np.bincount(codes, minlength=size + 1)
    if weights is not None:  # whole numbers: their float sums are exact below 2**53
        rows = np.bincount(codes, weights=weights, minlength=size + 1).astype(np.int64)
    present = rows > 0
    sums = {
        column: np.bincount(codes, weights=values, minlength=size + 1)[present]
        for column, values in columns.items()
    }
    labels = np.asarray([*keys.labels, np.nan], dtype=object)[present]
    return pd.DataFrame({**sums, "rows": rows[present]}, index=pd.Index(labels, dtype=object, name=name))


def compensated_sums(keys: Keys, columns: dict[str, np.ndarray], name: str) -> pd.DataFrame:
    """``pd.DataFrame({name: labels, **columns}).groupby(name).sum()``, from the codes.

    Rows without a key are left out, NaN values are skipped (a group of NaN only sums to 0),
    groups are sorted by label: the same figures and order as grouping the labels themselves,
    since pandas' grouped sum adds each group's values in row order whatever its key's type.

    >>> compensated_sums(Keys.of(pd.Series(["b", None, "a", "b"])), {"x": np.array([1.0, 2, np.nan, 4])}, "k")
         x
    k
    a  0.0
    b  5.0
    """
    known = keys.codes >= 0
    # codes renumbered in the labels' sorted order, as grouping the labels numbers them: pandas'
    # grouped sum can round differently when the groups come in another order (a Categorical's)
    order = np.argsort(np.asarray(keys.labels, dtype=object), kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes, size, labels = (
        rank[keys.codes[known]],
        len(keys.labels),
        np.asarray(keys.labels, dtype=object)[order],
    )
    present = np.bincount(codes, minlength=size) > 0
    sums = {column: _group_sum(codes, values[known], size)[present] for column, values in columns.items()}
    # the labels' type inferred, as grouping the labels would (pandas 3: ``str``)
    return pd.DataFrame(sums, index=pd.Index(list(labels[present]), name=name))


def _group_sum(codes: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Each code's sum as pandas' compensated grouped sum gives it (NaN skipped).

    Whole numbers whose magnitudes add up to less than 2**53 (devices counted) have every
    partial sum exact, in any order and with or without compensation: one ``bincount`` gives
    the same bits. Other values go through pandas' grouped sum itself.
    """
    if not np.isnan(values).any() and np.abs(values).sum() < _EXACT and (values == np.round(values)).all():
        return np.bincount(codes, weights=values, minlength=size).astype(float)  # (int when empty)
    return pd.Series(values).groupby(codes).sum().reindex(range(size), fill_value=0.0).to_numpy()
