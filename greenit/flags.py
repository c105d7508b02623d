"""Per-row reasons and notes, collected column by column with numpy masks.

Most rows of a real inventory are fine, so reasons are kept sparse (row position → messages)
and built for the flagged rows only. A reason is a catalogue :class:`~greenit.i18n.Message`,
rendered in the user's language only when shown; a row's reasons are joined into one
:class:`~greenit.i18n.Joined`.

The resulting column is a Categorical whose categories are those ``Joined`` values, missing
(NaN) where a row has none — so ``reason.isna()`` means "nothing to say".

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


class Flags:
    """Reasons why rows cannot be estimated (or notes about how they were); several per row."""

    def __init__(self, n: int) -> None:
        self._n = n
        self._reasons: dict[int, tuple[Any, ...]] = {}

    def __len__(self) -> int:
        return len(self._reasons)

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
            texts: Sequence[Any] = [reason] * len(positions)
        elif masked:
            texts = list(reason)
        else:
            texts = list(np.asarray(reason, dtype=object)[positions])
        for position, text in zip(positions.tolist(), texts, strict=True):
            if text is None or (isinstance(text, float) and np.isnan(text)):
                continue
            parts = text.parts if isinstance(text, Joined) else (text,)
            self._reasons[position] = self._reasons.get(position, ()) + tuple(parts)

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
            categories = list(reasons.cat.categories)
            for position in np.flatnonzero(codes >= 0).tolist():
                self.add_at(position, categories[codes[position]])
        else:
            for position, value in enumerate(reasons.tolist()):
                if value is not None and not (isinstance(value, float) and np.isnan(value)):
                    self.add_at(position, value)

    def add_at(self, position: int, reason: Any) -> None:
        parts = reason.parts if isinstance(reason, Joined) else (reason,)
        if parts:
            self._reasons[position] = self._reasons.get(position, ()) + tuple(parts)

    @property
    def flagged(self) -> np.ndarray:
        mask = np.zeros(self._n, dtype=bool)
        if self._reasons:
            mask[np.fromiter(self._reasons, dtype=np.int64)] = True
        return mask

    def column(self) -> pd.Categorical:
        """The reasons as a Categorical of :class:`Joined` (missing where a row has none)."""
        joined = {position: Joined(parts) for position, parts in self._reasons.items()}
        categories = list(dict.fromkeys(joined.values()))
        lookup = {c: i for i, c in enumerate(categories)}
        codes = np.full(self._n, -1, dtype=np.int64)
        for position, value in joined.items():
            codes[position] = lookup[value]
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


def code_column(column: pd.Series | pd.Categorical) -> pd.Series:
    """The codes of a column of reasons (:func:`code_of`), worked out once per category."""
    series = pd.Series(column)
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = np.asarray([*(code_of(c) for c in series.cat.categories), None], dtype=object)
        positions = series.cat.codes.to_numpy()
        return pd.Series(codes[np.where(positions >= 0, positions, len(codes) - 1)], index=series.index)
    return series.map(code_of).astype(object)
