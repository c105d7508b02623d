"""Per-row flag reasons, collected column by column with numpy masks."""

from __future__ import annotations

import numpy as np


class Flags:
    """Reasons why rows cannot be estimated; a row may collect several, joined by '; '."""

    def __init__(self, n: int) -> None:
        self._reasons = np.full(n, "", dtype=object)

    def add(self, mask: np.ndarray, reason: str | np.ndarray) -> None:
        """Add ``reason`` (one string, or one per row) to the rows where ``mask`` is true."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        new = reason[mask] if isinstance(reason, np.ndarray) else reason
        current = self._reasons[mask]
        self._reasons[mask] = np.where(current == "", new, current + "; " + new)

    @property
    def reasons(self) -> np.ndarray:
        return self._reasons

    @property
    def flagged(self) -> np.ndarray:
        return self._reasons != ""
