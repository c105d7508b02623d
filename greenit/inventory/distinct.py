"""Rows that repeat, normalised once: a big inventory is a few hundred distinct rows.

A million-row export lists each laptop model bought for each department in each building
and year again and again; apart from its name and serial number, a row is one of a few hundred
(the 1M-row benchmark: 2,058). :func:`distinct_rows` keeps one row of each group of identical
rows — its first, with its own row and line numbers — and how many input rows it stands for
(its *weight*); the normaliser and the estimate then do their work once per group, and
:meth:`greenit.results.InventorySummary.from_rows` sums with the weights. The figures are those
of the rows one by one (a sum of ``weight × value`` instead of ``value`` added ``weight``
times: the same up to the last bit of a float).

Names and serial numbers are left out of the comparison, since they tell devices apart but not
how they are estimated — except where the normaliser reads them: the Type of a row that says
none, a total row, a category the row does not determine (a name may say « Machine à café »), a row
flagged for any reason (its message names it). The rows of such groups are normalised one by
one, as are the rows the reader said something about (a line that was not UTF-8, a formula) and
the rows of a format that prepares its own frame (Intune's re-enrolments compare serials).
Each row of the input is then estimated, or flagged with its own reason and listed with its own
number, as when every row is normalised.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import NamedTuple

import numpy as np
import pandas as pd

from greenit.parsing.readers import POSITION_COLUMNS, all_headers

#: Below this share of distinct rows, grouping pays: above it, rows are normalised one by one.
WORTH_GROUPING = 0.5
#: Keys above this are renumbered before another column is folded in (int64 stays exact).
_KEY_ROOM = 2**62


class Distinct(NamedTuple):
    """The rows kept (``positions`` in the input, increasing), how many rows each stands for,
    and the group of each input row (an index into ``positions``).
    """

    positions: np.ndarray
    weights: np.ndarray
    groups: np.ndarray


def row_groups(raw: pd.DataFrame, own: Collection[str]) -> np.ndarray:
    """The group of each row (codes from 0, in order of first appearance) over every column but
    ``own``: rows with the same group have the same cell in each of those columns.

    >>> raw = pd.DataFrame({"Type": ["PC", "Écran", "PC"], "Nom": ["a", "b", "c"]})
    >>> row_groups(raw, {"Nom"})
    array([0, 1, 0])
    """
    key = np.zeros(len(raw), dtype=np.int64)
    size = 1
    for column in raw.columns:
        if column in own:
            continue
        codes, count = _column_codes(raw[column])
        if size * (count + 1) >= _KEY_ROOM:
            key, uniques = pd.factorize(key)
            size = len(uniques)
        key = key * (count + 1) + codes
        size *= count + 1
    return pd.factorize(key)[0].astype(np.int64)


def _column_codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """Codes from 0 (0: missing) of a column's cells, and how many distinct values it has."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy().astype(np.int64) + 1, len(values.cat.categories)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64) + 1, len(uniques)


def distinct_rows(codes: np.ndarray, alone: np.ndarray | None = None) -> Distinct:
    """The first row of each group of ``codes`` (:func:`row_groups`), and the size of its group.

    Rows of ``alone`` (a boolean mask) each make a group of their own.

    >>> distinct_rows(np.array([0, 1, 0, 0, 1]))
    Distinct(positions=array([0, 1]), weights=array([3, 2]), groups=array([0, 1, 0, 0, 1]))
    >>> distinct_rows(np.array([0, 1, 0, 0, 1]), alone=np.array([0, 0, 1, 0, 0], dtype=bool))
    Distinct(positions=array([0, 1, 2]), weights=array([2, 2, 1]), groups=array([0, 1, 2, 0, 1]))
    """
    if alone is not None and alone.any():
        codes = pd.factorize(np.where(alone, -1 - np.arange(len(codes)), codes))[0].astype(np.int64)
    if not len(codes):
        empty = np.zeros(0, dtype=np.int64)
        return Distinct(empty, empty, empty)
    seen = np.maximum.accumulate(codes)  # codes come in order of first appearance
    first = np.flatnonzero(np.diff(seen, prepend=-1) > 0)
    return Distinct(first, np.bincount(codes, minlength=len(first)).astype(np.int64), codes)


def said_rows(raw: pd.DataFrame) -> np.ndarray:
    """Rows the reader or the format said something about (``row_reasons``, ``row_notes``,
    ``totals_rows`` in ``attrs``, by row number): each is normalised on its own.
    """
    attrs = raw.attrs
    numbers = {int(p) + 1 for key in ("row_reasons", "row_notes") for p in (attrs.get(key) or {})}
    numbers |= {int(r) for r in attrs.get("totals_rows") or ()}
    if not numbers:
        return np.zeros(len(raw), dtype=bool)
    return np.isin(raw["row"].to_numpy(), np.fromiter(numbers, dtype=np.int64))


class Estimated(NamedTuple):
    """The distinct rows normalised and estimated, and how many input rows each stands for."""

    normalised: pd.DataFrame
    estimated: pd.DataFrame
    weights: np.ndarray


def estimated_distinct(
    raw: pd.DataFrame,
    own: Collection[str],
    normalise: Callable[[pd.DataFrame], pd.DataFrame],
    estimate: Callable[[pd.DataFrame], pd.DataFrame],
) -> Estimated | None:
    """The distinct rows of ``raw`` normalised and estimated, with the weight of each row.

    ``own``: the headers whose cells are each row's own (names, serial numbers), left out of the
    comparison. None when grouping would not pay (most rows distinct), when a format prepares
    the frame itself, or when the normaliser reads one of ``own`` as something else than a name
    or a serial number: the caller then normalises every row. Whether a group's rows must be
    read one by one is known only once it is estimated (the estimate flags rows too: a category
    without a factor row, ``--method flux`` without a purchase date, a country without a grid
    factor), so each group is estimated before it is kept whole.
    """
    from greenit.parsing.formats import prepares_inventory

    if len(raw) < 2 or prepares_inventory(all_headers(raw)):
        return None
    codes = row_groups(raw, {*own, *POSITION_COLUMNS})
    alone = said_rows(raw)
    groups = distinct_rows(codes, alone)
    if len(groups.positions) > WORTH_GROUPING * len(raw):
        return None
    normalised = normalise(raw.take(groups.positions))
    used = (normalised.attrs.get("columns") or {}).get("used", {})
    if any(used.get(header, "name") not in ("name", "serial") for header in own):
        return None
    estimated = estimate(normalised)
    looked_at = _rows_read_one_by_one(estimated)
    if not looked_at.any():
        return Estimated(normalised, estimated, groups.weights)
    normalised, weights = _with_rows_one_by_one(raw, groups, looked_at, normalise)
    return Estimated(normalised, estimate(normalised), weights)


def listed_one_by_one(estimated: pd.DataFrame) -> np.ndarray:
    """Rows the outputs list one by one with their own row numbers: flagged (by the normaliser or
    the estimate), or their price not used (``budget.prices_flagged``). Such a row stands for
    itself only: :meth:`greenit.results.InventorySummary.from_rows` refuses another weight.
    """
    listed = (estimated["estimate_status"] != "estimated").to_numpy()
    if "price_reason" in estimated.columns:
        listed = listed | estimated["price_reason"].notna().to_numpy()
    return listed


def _rows_read_one_by_one(estimated: pd.DataFrame) -> np.ndarray:
    """Groups whose rows are listed one by one (:func:`listed_one_by_one`) or that the
    normaliser may read differently by their names (no Type; the default category: a name may
    say the row is no IT equipment).
    """
    no_type = estimated["category_label"].isna().to_numpy()
    defaulted = (estimated["category_source"].astype(object) == "default").to_numpy()
    return listed_one_by_one(estimated) | no_type | defaulted


def _with_rows_one_by_one(raw: pd.DataFrame, groups: Distinct, looked_at: np.ndarray, normalise):
    """Normalised again: the groups of ``looked_at`` row by row, the others once each."""
    keep = looked_at[groups.groups]
    keep[groups.positions] = True
    positions = np.flatnonzero(keep)
    weights = np.ones(len(raw), dtype=np.int64)
    weights[groups.positions] = np.where(looked_at, 1, groups.weights)
    return normalise(raw.take(positions)), weights[positions]
