"""Normalising works on distinct values: the fast paths give what the row-by-row reading gives.

The streamed reader hands the normaliser Categoricals (pyarrow dictionary-encodes the text
columns); each helper here reads their codes instead of hashing the cells again. Every test puts
the fast path beside a plain reading of the same cells — a reference written out in the test, or
the same column as plain strings — and, where the two could drift apart, lets hypothesis look
for a column where they differ.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from greenit.parsing.dates import parse_date_column
from greenit.parsing.encodings import repair_mixed_lines
from greenit.parsing.frames import FrameBuilder, as_categorical, distinct, label_mask
from greenit.parsing.readers import with_positions
from greenit.parsing.streaming import Utf8Stream
from greenit.parsing.text import REMEMBERED_CHARS, fold, fold_words

LABELS = ["Portable", " Écran ", "", "Unité centrale", "PORTABLE", "Imprimante", "Total"]


def factorize_reference(values: list) -> tuple[list[int], list]:
    """What pandas.factorize gives, written out: distinct values in the order of their first row."""
    uniques: list = []
    codes = []
    for value in values:
        if value is None:
            codes.append(-1)
            continue
        if value not in uniques:
            uniques.append(value)
        codes.append(uniques.index(value))
    return codes, uniques


def as_categorical_reference(values: list, function=None) -> tuple[list, list]:
    """(categories, one value per row) of ``as_categorical``, cell by cell."""
    _, uniques = factorize_reference(values)

    def mapped(value):
        if function is not None:
            return function(value)
        return str(value).strip() or None

    categories = list(dict.fromkeys(m for m in map(mapped, uniques) if m is not None))
    return categories, [None if v is None else mapped(v) for v in values]


def categorical(values: list, extra: list) -> pd.Series:
    """``values`` as a Categorical with its categories in another order, some used by no row."""
    categories = list(dict.fromkeys([*extra, *(v for v in values if v is not None)]))
    return pd.Series(pd.Categorical(values, categories=categories[::-1]))


cells = st.lists(st.one_of(st.none(), st.sampled_from(LABELS)), max_size=40)


def test_distinct_values_of_a_categorical_come_in_the_order_of_their_first_row():
    column = pd.Series(pd.Categorical(["b", None, "a", "b", "c"], categories=["c", "b", "a", "z"]))
    codes, uniques, to_unique = distinct(column)
    assert uniques == ["b", "a", "c"]  # first rows 0, 2, 4; « z » used by no row
    assert to_unique[codes].tolist() == [0, -1, 1, 0, 2]


@settings(max_examples=200, deadline=None)
@given(cells, st.lists(st.sampled_from(["Autre", "Serveur"]), max_size=2))
def test_a_categorical_column_gives_the_categories_and_codes_of_its_cells_as_text(values, extra):
    for function in (None, fold, lambda v: None if "total" in fold(v) else fold_words(v)):
        expected_categories, expected = as_categorical_reference(values, function)
        for column in (pd.Series(values, dtype=object), categorical(values, extra)):
            result = as_categorical(column, function)
            assert list(result.cat.categories) == expected_categories
            assert [None if pd.isna(v) else v for v in result.astype(object)] == expected


def test_as_categorical_strips_cells_and_reads_blank_ones_as_missing():
    result = as_categorical(pd.Series(pd.Categorical([" Écran ", "", "Écran", None])))
    assert list(result.cat.categories) == ["Écran"]
    assert result.cat.codes.tolist() == [0, -1, 0, -1]


@settings(max_examples=200, deadline=None)
@given(cells, st.lists(st.sampled_from(["Autre", "Serveur"]), max_size=2))
def test_label_mask_asks_each_value_once_and_never_holds_for_a_missing_cell(values, extra):
    def portable(value: object) -> bool:
        return fold(value) == "portable"

    expected = [v is not None and portable(v) for v in values]
    for column in (pd.Series(values, dtype=object), categorical(values, extra)):
        assert label_mask(column, portable).tolist() == expected


def test_dates_of_a_categorical_column_are_those_of_its_cells_as_text():
    cells = ["29-01-2016", None, "2019", "31-02-2019", "29-01-2016", "2021-03-15T10:30:00", "1492"]
    expected = ["2016-01-29", "NaT", "2019-01-01", "NaT", "2016-01-29", "2021-03-15", "NaT"]
    for column in (pd.Series(cells, dtype=object), pd.Series(pd.Categorical(cells))):
        dates, errors = parse_date_column(column, "Date d'achat")
        assert dates.dtype == np.dtype("datetime64[ns]")
        assert [str(d)[:10] if not np.isnat(d) else "NaT" for d in dates] == expected
        bad = [str(e) if e is not None else None for e in errors]
        assert [b is not None for b in bad] == [False, False, False, True, False, False, True]
        assert "31-02-2019" in bad[3] and "1492" in bad[6]


def test_a_frame_built_column_by_column_is_the_frame_pandas_builds():
    index = pd.RangeIndex(3)
    built, frame = FrameBuilder(index), pd.DataFrame(index=index)
    for out in (built, frame):
        out["quantity"] = np.nan
        out["category"] = pd.Categorical(["laptop", None, "monitor"])
        out["name"] = pd.Series(["PC-1", "PC-2", None], index=index, dtype="string")
        out["quantity"] = np.array([1.0, 2.0, 3.0])  # set again: keeps its place
        out["hours"] = out.pop("quantity") * 2
    assert built.columns == ["category", "name", "hours"]
    assert built["hours"].tolist() == [2.0, 4.0, 6.0]
    pd.testing.assert_frame_equal(built.frame(), frame)


def test_positions_leave_the_reader_frame_as_it_was_and_can_keep_the_file_label_once():
    raw = pd.DataFrame({" Type ": ["Écran", None, "Portable"], "Unnamed: 1": [None, None, None]})
    raw.attrs["headers"] = [" Type ", "Unnamed: 1"]
    plain = with_positions(raw, "parc.csv", first_row=11)
    once = with_positions(raw, "parc.csv", first_row=11, label_once=True)
    assert list(raw.columns) == [" Type ", "Unnamed: 1"]  # untouched
    for frame in (plain, once):
        assert list(frame.columns) == ["Type", "file", "row", "line"]  # « #2 »: no header, no data
        assert frame["row"].tolist() == [11, 13] and frame["line"].tolist() == [12, 14]
        assert frame.attrs == {"headers": ["Type"], "blank_rows": 1}
        assert frame["file"].astype(str).tolist() == ["parc.csv", "parc.csv"]
    assert isinstance(once["file"].dtype, pd.CategoricalDtype)


def test_a_long_cell_is_folded_as_a_short_one_is():
    long = "Écran " * (REMEMBERED_CHARS // 3)
    assert fold(long) == " ".join(["ecran"] * (REMEMBERED_CHARS // 3))
    assert fold_words("Écrans " * 100) == " ".join(["ecran"] * 100)


lines = st.lists(
    st.tuples(st.sampled_from(["PC;Écran;Réformé", "Unité;centrale", "", "a;b"]), st.booleans()),
    min_size=1,
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(lines, st.booleans(), st.booleans(), st.integers(min_value=1, max_value=64))
def test_the_stream_gives_the_repaired_file_and_its_repaired_lines_whatever_its_chunks(
    tmp_path_factory, rows, bom, last_newline, chunk
):
    """Valid UTF-8 passed on as it is, cp1252 lines repaired, numbered from the file's start."""
    encoded = [text.encode("cp1252" if old else "utf-8") for text, old in rows]
    data = b"\n".join(encoded) + (b"\n" if last_newline else b"")
    path = tmp_path_factory.mktemp("stream") / "parc.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    stream = Utf8Stream(path, "utf-8", chunk=chunk)
    buffer = bytearray(7)  # pyarrow asks for blocks: here small ones, across chunks
    got = b""
    while size := stream.readinto(buffer):
        got += bytes(buffer[:size])
    stream.close()
    expected, repaired = repair_mixed_lines(data)
    assert got == expected
    assert stream.repaired == repaired
