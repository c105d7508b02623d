"""Raw columns → typed columns: categoricals of distinct values, quantities in canonical units."""

from __future__ import annotations

from collections.abc import Callable, Sequence

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
    maps a value to a string or None (None becomes a missing value). The categories come in
    the order their rows first appear, as :func:`pandas.factorize` finds them.
    """
    codes, uniques, to_unique = distinct(values)
    if function is None:
        mapped = [_stripped(u) for u in uniques]
    else:
        mapped = [function(u) for u in uniques]
    categories = list(dict.fromkeys(m for m in mapped if m is not None))
    lookup = {c: i for i, c in enumerate(categories)}
    recode: np.ndarray = np.array(
        [lookup[m] if m is not None else -1 for m in mapped] + [-1], dtype=code_dtype(len(categories))
    )
    index = values.index if isinstance(values, pd.Series) else None
    categorical = pd.Categorical.from_codes(
        recode[to_unique][codes], categories=pd.Index(categories, dtype=object), validate=False
    )
    return pd.Series(categorical, index=index, copy=False)


def distinct(values: pd.Series | np.ndarray) -> tuple[np.ndarray, Sequence, np.ndarray]:
    """``(codes, uniques, to_unique)``: the distinct non-missing values of a column, in the order
    of their first row, and for each row ``to_unique[codes]``, the position of its value in
    ``uniques`` (-1 where missing) — what :func:`pandas.factorize` gives.

    A column read as a Categorical (the streamed reader dictionary-encodes its text columns)
    is not hashed again: its integer codes say which of its categories are used, and in which
    order they first appear.
    """
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        values = values.array
    if isinstance(values, pd.Categorical):
        codes = values.codes
        present = pd.unique(codes)
        present = present[present >= 0]
        to_unique = np.full(len(values.categories) + 1, -1, dtype=np.intp)  # code -1: the last
        to_unique[present] = np.arange(len(present))
        return codes, values.categories.take(present).tolist(), to_unique
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if not isinstance(uniques, np.ndarray):  # an Index: as a list at once, not a value at a time
        uniques = uniques.tolist()
    return codes, uniques, np.append(np.arange(len(uniques), dtype=np.intp), -1)


def code_dtype(categories: int) -> type:
    """The integer type pandas keeps a Categorical's codes in, for this many categories."""
    for dtype in (np.int8, np.int16, np.int32):
        if categories < np.iinfo(dtype).max:
            return dtype
    return np.int64


def _stripped(value: object) -> str | None:
    text = str(value).strip()
    return text or None


def text_column(raw: pd.DataFrame, header: str | None) -> pd.Series:
    """A text column, stripped, empty cells missing, as a Categorical."""
    if header is None:
        empty = pd.Categorical.from_codes(
            np.full(len(raw), -1, dtype=np.int8), categories=pd.Index([], dtype=object), validate=False
        )
        return pd.Series(empty, index=raw.index, copy=False)
    return as_categorical(raw[header])


def label_mask(column: pd.Series, predicate: Callable[[object], object]) -> np.ndarray:
    """The rows whose value ``predicate`` holds for (never a missing one), asked once per value.

    A Categorical column is asked about each of its categories (a few hundred), even one no
    row uses: ``predicate`` must be a pure function of the value. Other columns are asked
    about their distinct values.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, values = column.cat.codes.to_numpy(), column.cat.categories.tolist()
    else:
        codes, values, to_unique = distinct(column)
        codes = to_unique[codes]
    holds = np.array([bool(predicate(value)) for value in values] + [False], dtype=bool)
    return holds[codes]  # code -1 (missing): the last, False


def text_values(column: pd.Series, mask: np.ndarray) -> np.ndarray:
    """The cells of ``column`` where ``mask`` holds, as plain strings ('' for missing)."""
    return np.asarray(column[mask].astype(object).where(column[mask].notna(), ""), dtype=object)


class FrameBuilder:
    """A frame built a column at a time, made a :class:`~pandas.DataFrame` once at the end.

    Inserting a column into a DataFrame costs about a millisecond whatever its length (pandas
    rebuilds its column index and checks it), more than the work on a 100,000-row batch of
    most columns: the normaliser's ~40 columns are kept here instead, each as given (an array,
    a Series, a Categorical or one value for every row), and read back as Series.
    """

    def __init__(self, index: pd.Index) -> None:
        self.index = index
        self._columns: dict[str, object] = {}

    def __setitem__(self, column: str, values: object) -> None:
        self._columns[column] = values

    def __getitem__(self, column: str) -> pd.Series:
        values = self._columns[column]
        if isinstance(values, pd.Series):
            return values
        return pd.Series(values, index=self.index, name=column, copy=False)

    def __len__(self) -> int:
        return len(self.index)

    @property
    def columns(self) -> list[str]:
        return list(self._columns)

    def pop(self, column: str) -> pd.Series:
        values = self[column]
        del self._columns[column]
        return values

    def frame(self) -> pd.DataFrame:
        """The columns in the order they were first set, as one DataFrame."""
        return pd.DataFrame(self._columns, index=self.index, copy=False)
