"""Totals rows of a spreadsheet: « Total », « Sous-total écoles », « TOTAL général »…

A table typed by hand often ends with a row that adds the others up. Read as one more device,
one more run or one more usage row, it doubles what it sums. A row whose label starts with one
of :data:`TOTAL_WORDS` is such a row: flagged, never counted (inventories and AI logs alike).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.parsing.frames import as_categorical
from greenit.parsing.text import fold

#: Words that start a totals row of a spreadsheet (« Sous-total écoles », « TOTAL général »).
TOTAL_WORDS = ("total", "sous total", "subtotal", "grand total", "totaux", "somme", "sum")


def is_total_label(value: object) -> str | None:
    """``"total"`` when ``value`` is a totals row's label (« Total Chatbot citoyen »), else None."""
    if not isinstance(value, str) or len(value) > 200:
        return None
    folded = fold(value)
    return "total" if any(folded == w or folded.startswith(w + " ") for w in TOTAL_WORDS) else None


def total_labels(values: pd.Series) -> np.ndarray:
    """Which cells of a text column are totals labels, looked at once per distinct value."""
    return as_categorical(values, is_total_label).notna().to_numpy()


def totals_rows(raw: pd.DataFrame, headers: list[str]) -> np.ndarray:
    """Rows whose label in one of ``headers``, or in the file's first column, is a totals label."""
    from greenit.parsing.readers import data_headers

    first = next(iter(data_headers(raw)), None)
    mask = np.zeros(len(raw), dtype=bool)
    for header in dict.fromkeys([*headers, first]):
        if (
            header is not None
            and header in raw.columns
            and not pd.api.types.is_numeric_dtype(raw[header].dtype)
        ):
            mask |= total_labels(raw[header])
    return mask
