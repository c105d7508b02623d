"""Per-row reasons and notes, collected column by column with numpy masks.

A reason is a catalogue :class:`~greenit.i18n.Message`, rendered in the user's language only
when shown; a row's reasons are joined into one :class:`~greenit.i18n.Joined`.

A million-row inventory repeats a few dozen reasons, so the work is done per distinct value,
never per row: each row holds the id of its *combination* of parts (an entry of a small table
of tuples), and each ``add`` is a layer — the rows it touches and, for each, the parts it
appends — merged with numpy: the new combination of a row depends only on the pair (its old
combination, the layer's parts), so the tuples are concatenated once per distinct pair.

The resulting column is a Categorical whose categories are those ``Joined`` values, missing
(NaN) where a row has none — so ``reason.isna()`` means "nothing to say". Its categories come
in the order the rows were first flagged (the first ``add`` that touched them, then the row's
position): the order a dict of rows filled add by add would give.

Each reason has a stable code beside its French and English text: its catalogue key
(``inventory.category.unknown``); a row with several reasons has their codes joined by ``;``
(:func:`code_of`, :func:`code_column`). The texts may be reworded; the codes do not change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from greenit.i18n import Joined, Message, Verbatim, msg

#: A look-up table of (old combination, layer parts) pairs is used up to this many cells;
#: beyond, the pairs are sorted (np.unique) instead.
_PAIR_TABLE_CELLS = 1 << 20


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _parts(reason: Any) -> tuple[Any, ...]:
    """The messages a reason appends to a row: a Joined's parts, else the reason itself."""
    return tuple(reason.parts) if isinstance(reason, Joined) else (reason,)


def _distinct(values: Sequence[Any] | np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """Each value's index into the list of distinct values (compared by identity first: a
    column of messages holds the same few objects many times, and an id is cheaper to compare
    than a message).
    """
    ids = np.fromiter(map(id, values), dtype=np.uintp, count=len(values))
    _, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    return inverse.reshape(-1), [values[i] for i in first.tolist()]


class Flags:
    """Reasons why rows cannot be estimated (or notes about how they were); several per row."""

    def __init__(self, n: int) -> None:
        self._n = n
        self._combos: list[tuple[Any, ...]] = [()]  # combination id → the row's parts, in order
        self._combo_ids: dict[tuple[Any, ...], int] = {(): 0}
        self._combo: np.ndarray | None = None  # per row: combination id (allocated on first add)
        self._rank: np.ndarray | None = None  # per row: order of first touch, -1 untouched
        self._touched = 0

    def __len__(self) -> int:
        return self._touched

    def add(self, mask: np.ndarray, reason: Any, *, masked: bool = False) -> None:
        """Add ``reason`` to the rows where ``mask`` is true.

        ``reason`` is one message, one message per row (None where nothing), or
        (``masked=True``) one message per masked row only: build messages for the few bad rows,
        not for a million good ones.
        """
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(positions):
            return
        if isinstance(reason, (Message, Joined, Verbatim)):
            self._layer(positions, np.zeros(len(positions), dtype=np.int64), [_parts(reason)])
            return
        texts = list(reason) if masked else np.asarray(reason, dtype=object)[positions]
        if len(texts) != len(positions):
            raise ValueError(f"{len(texts)} messages for {len(positions)} masked rows")
        self._add_values(positions, texts, skip_empty=False)

    def add_each(self, mask: np.ndarray, cells: pd.Series, key: str, **params: Any) -> None:
        """Add ``msg(key, value=cell, **params)`` to each masked row, naming that row's own value."""
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            values = ["" if pd.isna(cell) else str(cell) for cell in cells[mask]]
            cache: dict[str, Message] = {}
            messages = [cache.setdefault(v, msg(key, value=v, **params)) for v in values]
            self.add(mask, messages, masked=True)

    def add_column(self, reasons: pd.Series) -> None:
        """Carry over the reasons of an earlier stage (a column of :class:`Joined`, NaN when fine)."""
        if isinstance(reasons.dtype, pd.CategoricalDtype):
            codes = reasons.cat.codes.to_numpy()
            positions = np.flatnonzero(codes >= 0)
            if len(positions):
                parts = [_parts(c) for c in reasons.cat.categories]
                said = np.array([bool(p) for p in parts], dtype=bool)[codes[positions]]
                self._layer(positions[said], codes[positions[said]].astype(np.int64), parts)
        else:
            self._add_values(np.arange(len(reasons)), reasons.to_numpy(dtype=object), skip_empty=True)

    def add_at(self, position: int, reason: Any) -> None:
        parts = _parts(reason)
        if parts:
            self._layer(np.array([position], dtype=np.int64), np.zeros(1, dtype=np.int64), [parts])

    def _add_values(
        self, positions: np.ndarray, values: Sequence[Any] | np.ndarray, *, skip_empty: bool
    ) -> None:
        """One value per position; None/NaN add nothing (nor does an empty Joined, if asked)."""
        if not len(positions):
            return
        inverse, distinct = _distinct(values)
        parts_ids: dict[tuple[Any, ...], int] = {}
        code = np.full(len(distinct), -1, dtype=np.int64)
        for i, value in enumerate(distinct):
            parts = () if _missing(value) else _parts(value)
            if not _missing(value) and (parts or not skip_empty):
                code[i] = parts_ids.setdefault(parts, len(parts_ids))
        layer = code[inverse]
        said = layer >= 0
        self._layer(positions[said], layer[said], list(parts_ids))

    def _layer(self, positions: np.ndarray, layer: np.ndarray, parts: list[tuple[Any, ...]]) -> None:
        """Append ``parts[layer[i]]`` to the parts of row ``positions[i]`` (positions distinct,
        increasing), merging once per distinct (old combination, appended parts) pair.
        """
        if not len(positions):
            return
        if self._combo is None or self._rank is None:
            self._combo = np.zeros(self._n, dtype=np.int64)
            self._rank = np.full(self._n, -1, dtype=np.int64)
        fresh = positions[self._rank[positions] < 0]
        self._rank[fresh] = np.arange(self._touched, self._touched + len(fresh))
        self._touched += len(fresh)
        pairs = self._combo[positions] * len(parts) + layer
        cells = len(self._combos) * len(parts)
        if cells <= max(_PAIR_TABLE_CELLS, len(pairs)):
            present = np.flatnonzero(np.bincount(pairs, minlength=cells))
            new = np.zeros(cells, dtype=np.int64)
            new[present] = self._intern(present, parts)
            self._combo[positions] = new[pairs]
        else:
            present, inverse = np.unique(pairs, return_inverse=True)
            self._combo[positions] = self._intern(present, parts)[inverse.reshape(-1)]

    def _intern(self, pairs: np.ndarray, parts: list[tuple[Any, ...]]) -> np.ndarray:
        """The combination id of each (old combination, appended parts) pair, created if new."""
        ids = []
        for pair in pairs.tolist():
            old, appended = divmod(pair, len(parts))
            combo = self._combos[old] + parts[appended]
            found = self._combo_ids.get(combo)
            if found is None:
                found = self._combo_ids[combo] = len(self._combos)
                self._combos.append(combo)
            ids.append(found)
        return np.asarray(ids, dtype=np.int64)

    @property
    def flagged(self) -> np.ndarray:
        if self._rank is None:
            return np.zeros(self._n, dtype=bool)
        return self._rank >= 0

    def column(self) -> pd.Categorical:
        """The reasons as a Categorical of :class:`Joined` (missing where a row has none), its
        categories in the order of the rows first flagged (see the module docstring).
        """
        codes = np.full(self._n, -1, dtype=np.int64)
        if self._combo is None or self._rank is None or not self._touched:
            return pd.Categorical.from_codes(codes, categories=pd.Index([], dtype=object))
        touched = self._rank >= 0
        combos, ranks = self._combo[touched], self._rank[touched]
        first = np.full(len(self._combos), self._touched, dtype=np.int64)
        np.minimum.at(first, combos, ranks)
        used = np.flatnonzero(first < self._touched)
        order = used[np.argsort(first[used])]
        category_of = np.full(len(self._combos), -1, dtype=np.int64)
        category_of[order] = np.arange(len(order))
        codes[touched] = category_of[combos]
        categories = [Joined(self._combos[c]) for c in order.tolist()]
        return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object))

    @property
    def reasons(self) -> pd.Categorical:
        return self.column()


def render_column(column: pd.Series | pd.Categorical, lang: str | None = None) -> pd.Series:
    """A column of messages as plain text in ``lang`` ('' where missing), rendered once per category."""
    series = pd.Series(column)
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = [str(c) if lang is None else c.render(lang) for c in series.cat.categories]
        codes = series.cat.codes.to_numpy()
        texts = np.asarray([*categories, ""], dtype=object)
        return pd.Series(texts[np.where(codes >= 0, codes, len(categories))], index=series.index)
    return series.map(
        lambda v: (
            ""
            if v is None or (isinstance(v, float) and np.isnan(v))
            else (v.render(lang) if hasattr(v, "render") else str(v))
        )
    )


def rows_with(reasons: pd.Series, key: str) -> np.ndarray:
    """Rows whose reasons include the catalogue entry ``key`` (looked up once per category)."""
    series = pd.Series(reasons)

    def has(value: object) -> bool:
        return any(getattr(part, "key", None) == key for part in getattr(value, "parts", ()))

    if not isinstance(series.dtype, pd.CategoricalDtype):
        return np.array([has(v) for v in series], dtype=bool)
    hits = np.array([has(c) for c in series.cat.categories] + [False], dtype=bool)
    codes = series.cat.codes.to_numpy()
    return hits[np.where(codes >= 0, codes, len(hits) - 1)]


def code_of(value: object) -> str | None:
    """The stable code of a reason (or a row's reasons): its catalogue keys, joined by ``;``;
    None when there is no reason.

    >>> empty = msg("inventory.category.empty", model="", item_type="")
    >>> code_of(Joined((msg("inventory.totals_row"), empty)))
    'inventory.totals_row;inventory.category.empty'
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    parts = value.parts if isinstance(value, Joined) else (value,)
    codes = [getattr(part, "key", None) or "text" for part in parts]
    return ";".join(dict.fromkeys(codes)) or None


def code_column(column: pd.Series | pd.Categorical, code=code_of) -> pd.Series:
    """The codes of a column of reasons (``code``: :func:`code_of` or a stage's own, such as
    :func:`greenit.inventory.prices.price_code`), worked out once per category.
    """
    series = pd.Series(column)
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = np.asarray([*(code(c) for c in series.cat.categories), None], dtype=object)
        positions = series.cat.codes.to_numpy()
        return pd.Series(codes[np.where(positions >= 0, positions, len(codes) - 1)], index=series.index)
    return series.map(code).astype(object)
