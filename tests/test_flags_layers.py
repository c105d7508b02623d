"""Flags kept as layers of distinct combinations give the column a dict of rows gave.

:class:`greenit.flags.Flags` merges each ``add`` per distinct (old combination, new parts) pair
instead of row by row. These tests hold it to the plain model it replaced — a dict from row
position to the tuple of its parts, filled add by add — on a hand-computed case and on
generated sequences of adds (hypothesis): same rows flagged, same parts in the same order, same
categories in the same order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from greenit.flags import Flags, code_column, render_column
from greenit.i18n import Joined, Verbatim, msg

A, B, C = Verbatim("a"), Verbatim("b"), Verbatim("c")


class DictFlags:
    """The reference: row position → parts, in the order the adds came (the former Flags)."""

    def __init__(self, n: int) -> None:
        self.n, self.rows = n, {}

    def append(self, position: int, value: Any, *, skip_empty: bool, skip_missing: bool = True) -> None:
        if skip_missing and (value is None or (isinstance(value, float) and np.isnan(value))):
            return
        parts = value.parts if isinstance(value, Joined) else (value,)
        if parts or not skip_empty:
            self.rows[position] = self.rows.get(position, ()) + tuple(parts)

    def column(self) -> tuple[list[int], list[Joined]]:
        joined = {p: Joined(parts) for p, parts in self.rows.items()}
        categories = list(dict.fromkeys(joined.values()))
        codes = [categories.index(joined[p]) if p in joined else -1 for p in range(self.n)]
        return codes, categories


def test_a_row_keeps_its_parts_in_the_order_added_and_categories_follow_the_first_flagged():
    flags = Flags(5)
    flags.add(np.array([False, False, True, False, True]), A)  # rows 2, 4
    flags.add(np.array([False, True, True, False, False]), [None, B, C, None, None])  # rows 1, 2
    flags.add_at(0, Joined((C, A)))
    column = flags.column()
    # first flagged: row 2 (a, c), row 4 (a), then row 1 (b), then row 0 (c, a)
    assert list(column.categories) == [Joined((A, C)), Joined((A,)), Joined((B,)), Joined((C, A))]
    assert column.codes.tolist() == [3, 2, 0, -1, 1]
    assert flags.flagged.tolist() == [True, True, True, False, True]
    assert len(flags) == 4
    assert render_column(column, "en").tolist() == ["c; a", "b", "a; c", "", "a"]


def test_the_same_note_on_every_row_makes_one_category():
    flags = Flags(100_000)
    flags.add(np.ones(100_000, dtype=bool), msg("scope.note.consumables"))
    flags.add(np.arange(100_000) % 2 == 0, msg("inventory.totals_row"))
    column = flags.column()
    assert [c.parts for c in column.categories] == [
        (msg("scope.note.consumables"), msg("inventory.totals_row")),
        (msg("scope.note.consumables"),),
    ]
    assert column.codes[:4].tolist() == [0, 1, 0, 1]
    assert code_column(column).iloc[:2].tolist() == [
        "scope.note.consumables;inventory.totals_row",
        "scope.note.consumables",
    ]


def test_carried_reasons_skip_empty_joins_but_an_added_empty_join_flags_its_row():
    flags = Flags(3)
    flags.add_column(pd.Series(pd.Categorical([Joined(()), Joined((A, B)), None])))
    flags.add(np.array([False, False, True]), Joined(()))
    assert flags.flagged.tolist() == [False, True, True]
    assert list(flags.column().categories) == [Joined((A, B)), Joined(())]


def test_masked_messages_must_match_the_masked_rows():
    flags = Flags(3)
    try:
        flags.add(np.array([True, True, False]), [A], masked=True)
    except ValueError:
        return
    raise AssertionError("one message for two masked rows was accepted")


VALUES = st.sampled_from([A, B, C, None, float("nan"), Joined((A, B)), Joined(()), Joined((C,))])


@st.composite
def operations(draw, n: int):
    kind = draw(st.sampled_from(["one", "per_row", "masked", "column_cat", "column_obj", "at"]))
    mask = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    if kind == "one":
        return kind, mask, draw(st.sampled_from([A, B, Joined((A, C)), Joined(())]))
    if kind == "at":
        return kind, draw(st.integers(0, n - 1)), draw(VALUES)
    size = sum(mask) if kind == "masked" else n
    return kind, mask, draw(st.lists(VALUES, min_size=size, max_size=size))


def apply(flags: Flags, reference: DictFlags, operation) -> None:
    kind, mask, value = operation
    if kind == "at":
        flags.add_at(mask, value)
        reference.append(mask, value, skip_empty=True, skip_missing=False)  # as given: None a part
        return
    positions = np.flatnonzero(mask).tolist()
    if kind.startswith("column"):
        cells = [v if isinstance(v, Joined) else None for v in value]
        series = pd.Series(pd.Categorical(cells) if kind == "column_cat" else pd.array(cells, dtype=object))
        flags.add_column(series)
        for position, cell in enumerate(cells):
            reference.append(position, cell, skip_empty=True)
        return
    flags.add(np.array(mask, dtype=bool), value, masked=kind == "masked")
    per_row = [value] * len(positions) if kind == "one" else value
    if kind == "per_row":
        per_row = [value[p] for p in positions]
    for position, text in zip(positions, per_row, strict=True):
        reference.append(position, text, skip_empty=False)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 12).flatmap(lambda n: st.tuples(st.just(n), st.lists(operations(n), max_size=6))))
def test_layers_give_the_column_a_dict_of_rows_gives(case):
    n, ops = case
    flags, reference = Flags(n), DictFlags(n)
    for operation in ops:
        apply(flags, reference, operation)
    codes, categories = reference.column()
    column = flags.column()
    assert list(column.categories) == categories
    assert column.codes.tolist() == codes
    assert flags.flagged.tolist() == [p in reference.rows for p in range(n)]
    assert len(flags) == len(reference.rows)
