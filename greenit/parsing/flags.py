"""Per-row flag reasons, collected column by column with numpy masks.

Most rows of a real inventory are fine, so reasons are kept sparse (row position → text) and
messages are built for the flagged rows only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


class Flags:
    """Reasons why rows cannot be estimated; a row may collect several, joined by '; '."""

    def __init__(self, n: int) -> None:
        self._n = n
        self._reasons: dict[int, str] = {}

    def add(self, mask: np.ndarray, reason: str | np.ndarray | list[str], *, masked: bool = False) -> None:
        """Add ``reason`` to the rows where ``mask`` is true.

        ``reason`` is one string, one string per row, or (``masked=True``) one string per
        masked row only: build messages for the few bad rows, not for a million good ones.
        """
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(positions):
            return
        if isinstance(reason, str):
            texts = [reason] * len(positions)
        elif masked:
            texts = list(reason)
        else:
            texts = list(np.asarray(reason, dtype=object)[positions])
        for position, text in zip(positions.tolist(), texts, strict=True):
            if not text:
                continue
            current = self._reasons.get(position)
            self._reasons[position] = text if current is None else f"{current}; {text}"

    def add_each(self, mask: np.ndarray, cells: pd.Series, template: str) -> None:
        """Add ``template.format(cell)`` to each masked row, naming that row's own value."""
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            texts = ["" if pd.isna(cell) else str(cell) for cell in cells[mask]]
            self.add(mask, [template.format(text) for text in texts], masked=True)

    def add_column(self, reasons: pd.Series) -> None:
        """Carry over the reasons of an earlier stage (a column of text, '' when fine)."""
        values = reasons.astype(object).where(reasons.notna(), "").to_numpy()
        if isinstance(reasons.dtype, pd.CategoricalDtype):
            codes = reasons.cat.codes.to_numpy()
            good = [i for i, c in enumerate(reasons.cat.categories) if c == ""]
            mask = (codes >= 0) & ~np.isin(codes, good)
        else:
            mask = values != ""
        self.add(mask, values)

    @property
    def flagged(self) -> np.ndarray:
        mask = np.zeros(self._n, dtype=bool)
        if self._reasons:
            mask[np.fromiter(self._reasons, dtype=np.int64)] = True
        return mask

    def column(self, default: str | np.ndarray = "") -> pd.Categorical:
        """The reasons as a Categorical ('' or ``default`` where a row is fine)."""
        texts = list(dict.fromkeys(self._reasons.values()))
        if isinstance(default, str):
            categories = [default, *[t for t in texts if t != default]]
            codes = np.zeros(self._n, dtype=np.int64)
        else:
            base = pd.Categorical(default)
            categories = [*base.categories, *[t for t in texts if t not in set(base.categories)]]
            codes = base.codes.astype(np.int64).copy()
        lookup = {c: i for i, c in enumerate(categories)}
        for position, text in self._reasons.items():
            codes[position] = lookup[text]
        return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object))

    @property
    def reasons(self) -> pd.Categorical:
        return self.column()
