"""A CSV read whole by pyarrow gives the frame its batches give, and a clean file is read by path."""

from __future__ import annotations

import csv
import io
import threading

import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from greenit.i18n import msg
from greenit.parsing import streaming
from greenit.parsing.streaming import NotStreamable, iter_csv_batches, read_csv_whole

HEADER = "Nom;Type;Modèle;Lieu\n"
NOT_UTF8 = [msg("parsing.row.not_utf8")]


def grouped(header: str) -> bool:
    """Read as distinct values: every column but the names (as the inventory reader asks)."""
    return header != "Nom"


def rows(count: int) -> str:
    """``count`` GLPI-like rows, their labels repeating in an order that is not alphabetical."""
    types, places = ["Portable", "Écran", "Unité centrale"], ["RDC", "Étage 1"]
    return "".join(f"PC-{i};{types[i * 7 // 5 % 3]};Latitude {i % 4};{places[i % 2]}\n" for i in range(count))


def concatenated(batches: list[pd.DataFrame]) -> pd.DataFrame:
    """The batches end to end, each Categorical on the categories of all of them, their attrs merged."""
    columns = batches[0].columns
    for column in columns:
        if isinstance(batches[0][column].dtype, pd.CategoricalDtype):
            union = pd.Index(sorted({c for b in batches for c in b[column].cat.categories}))
            for batch in batches:
                batch[column] = batch[column].cat.set_categories(union)
    frame = pd.concat(batches, ignore_index=True)
    frame.attrs = {
        "headers": batches[0].attrs["headers"],
        "header_line": batches[0].attrs["header_line"],
        "row_notes": {k: v for b in batches for k, v in (b.attrs.get("row_notes") or {}).items()},
        "blank_rows": sum(b.attrs.get("blank_rows", 0) for b in batches),
    }
    return frame


def assert_same_frame(whole: pd.DataFrame, batches: list[pd.DataFrame]) -> None:
    """Same columns, dtypes, values and numbering; same headers, header line, noted rows, blank rows."""
    expected, whole = concatenated([b.copy() for b in batches]), whole.copy()
    for column in whole.columns:
        if isinstance(whole[column].dtype, pd.CategoricalDtype):
            whole[column] = whole[column].cat.set_categories(expected[column].cat.categories)
    pd.testing.assert_frame_equal(whole, expected, check_dtype=True)
    for key in ("headers", "header_line"):
        assert whole.attrs[key] == expected.attrs[key]
    assert (whole.attrs.get("row_notes") or {}) == expected.attrs["row_notes"]
    assert whole.attrs.get("blank_rows", 0) == expected.attrs["blank_rows"]


def both(path, batch_bytes: int = 256, **options) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    whole = read_csv_whole(path, "parc.csv", categorical=grouped, **options)
    batches = list(
        iter_csv_batches(path, "parc.csv", batch_bytes=batch_bytes, categorical=grouped, **options)
    )
    assert len(batches) > 1  # the comparison means something only across several batches
    return whole, batches


def test_a_clean_utf8_file_read_whole_is_its_batches_end_to_end(tmp_path):
    path = tmp_path / "parc.csv"
    path.write_text(HEADER + rows(40), encoding="utf-8")
    whole, batches = both(path)
    assert_same_frame(whole, batches)
    assert len(whole) == 40
    assert whole.loc[1].to_dict() == {
        "Nom": "PC-1",
        "Type": "Écran",  # 1 * 7 // 5 % 3 = 1: the second type
        "Modèle": "Latitude 1",
        "Lieu": "Étage 1",
        "file": "parc.csv",
        "row": 2,
        "line": 3,  # the header is line 1
    }
    assert whole.attrs["headers"] == ["Nom", "Type", "Modèle", "Lieu"]
    assert whole.attrs["header_line"] == 1
    assert "row_notes" not in whole.attrs


def test_a_bom_is_left_out_of_the_first_header(tmp_path):
    path = tmp_path / "parc.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + rows(30)).encode())
    whole, batches = both(path)
    assert_same_frame(whole, batches)
    assert list(whole.columns[:4]) == ["Nom", "Type", "Modèle", "Lieu"]
    assert whole["Nom"].iloc[0] == "PC-0"


def test_a_cp1252_file_is_read_as_cp1252(tmp_path):
    path = tmp_path / "parc.csv"
    path.write_bytes((HEADER + rows(30)).encode("cp1252"))
    whole, batches = both(path)
    assert_same_frame(whole, batches)
    assert list(whole["Type"].cat.categories) == ["Portable", "Écran", "Unité centrale"]
    assert whole.columns[2] == "Modèle"
    assert "row_notes" not in whole.attrs  # a cp1252 file is no mistake: nothing to note


def test_the_cp1252_rows_of_a_utf8_file_are_repaired_and_noted_on_their_rows(tmp_path):
    lines = (HEADER + rows(30)).splitlines(keepends=True)
    lines[3] = "PC-2;Écran;Latitude 2;Étage 1\n"  # data row 3 (0-based 2), pasted from a cp1252 file
    lines[25] = "PC-24;Unité centrale;Latitude 0;RDC\n"
    data = b"".join(line.encode("cp1252" if i in (3, 25) else "utf-8") for i, line in enumerate(lines))
    path = tmp_path / "parc.csv"
    path.write_bytes(data)
    whole, batches = both(path)
    assert_same_frame(whole, batches)
    assert whole.attrs["row_notes"] == {2: NOT_UTF8, 24: NOT_UTF8}
    assert whole.loc[2, "Type"] == "Écran"
    assert whole.loc[24, "Type"] == "Unité centrale"


def test_quoted_newlines_stay_in_their_cell(tmp_path):
    body = "".join(f'PC-{i};"Portable";"Latitude\n{i % 3}";"RDC"\n' for i in range(30))
    path = tmp_path / "parc.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    whole, batches = both(path)
    assert_same_frame(whole, batches)
    assert list(whole["Modèle"].cat.categories) == ["Latitude\n0", "Latitude\n1", "Latitude\n2"]
    assert whole["row"].tolist() == list(range(1, 31))


def test_a_ragged_row_is_not_streamable_in_both_readers(tmp_path):
    lines = (HEADER + rows(30)).splitlines(keepends=True)
    lines[20] = lines[20].rstrip("\n") + ";une cellule de trop\n"
    path = tmp_path / "parc.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(NotStreamable):
        list(iter_csv_batches(path, "parc.csv", batch_bytes=256))
    with pytest.raises(NotStreamable):
        read_csv_whole(path, "parc.csv")


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x01binary\n", b"\xef\xbb" + HEADER.encode() + b"PC-1;Portable;X;RDC\n", HEADER.encode()],
    ids=["empty", "binary", "damaged BOM", "header only"],
)
def test_files_the_whole_file_reader_must_explain_are_not_streamable(tmp_path, data):
    path = tmp_path / "parc.csv"
    path.write_bytes(data)
    with pytest.raises(NotStreamable):
        read_csv_whole(path, "parc.csv")


def test_only_the_columns_asked_for_are_read_but_every_header_is_reported(tmp_path):
    path = tmp_path / "parc.csv"
    path.write_text(HEADER + rows(30), encoding="utf-8")
    whole, batches = both(path, usecols=lambda header: header in ("Type", "Lieu"))
    assert_same_frame(whole, batches)
    assert list(whole.columns) == ["Type", "Lieu", "file", "row", "line"]
    assert whole.attrs["headers"] == ["Nom", "Type", "Modèle", "Lieu"]


def test_a_cp1252_row_in_a_column_not_read_is_still_noted(tmp_path):
    """pyarrow checks only the columns it converts: the file is checked whole, as the stream did."""
    path = tmp_path / "parc.csv"
    path.write_bytes(
        (HEADER + rows(10)).encode() + "PC-10;Portable;Latitude 2;Hôtel de ville\n".encode("cp1252")
    )
    whole = read_csv_whole(path, "parc.csv", usecols=lambda header: header == "Type")
    assert list(whole.columns) == ["Type", "file", "row", "line"]
    assert whole.attrs["row_notes"] == {10: NOT_UTF8}  # the eleventh data row


def test_the_categories_of_a_whole_read_are_unified_across_pyarrow_blocks(tmp_path, monkeypatch):
    import pyarrow.csv as pacsv

    monkeypatch.setattr(streaming, "WHOLE_BLOCK_BYTES", 256)  # about six rows a block
    tables = []

    def read_csv(*args, **kwargs):
        tables.append(pacsv.read_csv.__wrapped__(*args, **kwargs))
        return tables[-1]

    read_csv.__wrapped__ = pacsv.read_csv  # type: ignore[attr-defined]
    monkeypatch.setattr(pacsv, "read_csv", read_csv)
    path = tmp_path / "parc.csv"
    path.write_text(HEADER + rows(60), encoding="utf-8")
    whole = read_csv_whole(path, "parc.csv", categorical=grouped)
    assert tables[0].column("Type").num_chunks > 5
    assert isinstance(whole["Type"].dtype, pd.CategoricalDtype)
    # i * 7 // 5 % 3 for i = 0, 1, 2: 0, 1, 2 — the types in the order of their first row
    assert list(whole["Type"].cat.categories) == ["Portable", "Écran", "Unité centrale"]
    assert list(whole["Lieu"].cat.categories) == ["RDC", "Étage 1"]
    assert whole["Type"].tolist() == [
        ["Portable", "Écran", "Unité centrale"][i * 7 // 5 % 3] for i in range(60)
    ]


def test_a_caller_that_stops_early_leaves_no_reading_thread_behind(tmp_path):
    """The read-ahead thread ends with the batches, and with it pyarrow's hold on the file."""
    path = tmp_path / "parc.csv"
    path.write_text(HEADER + rows(200), encoding="utf-8")
    batches = iter_csv_batches(path, "parc.csv", batch_bytes=256)
    first = next(batches)
    assert first["row"].tolist()[:2] == [1, 2]
    assert [t for t in threading.enumerate() if t.name == "greenit-read"]  # reading ahead
    batches.close()  # as when the model fails on a batch
    assert not [t for t in threading.enumerate() if t.name == "greenit-read"]


@pytest.mark.parametrize(
    ("data", "read_by_path"),
    [
        ((HEADER + rows(3)).encode(), True),
        (b"\xef\xbb\xbf" + (HEADER + rows(3)).encode(), True),
        ((HEADER + rows(3)).encode("cp1252"), False),
        ((HEADER + rows(3)).encode() + "PC-9;Écran;X;RDC\n".encode("cp1252"), False),
    ],
    ids=["utf-8", "BOM", "cp1252", "mixed"],
)
def test_pyarrow_reads_the_path_of_a_utf8_file_and_a_repairing_stream_otherwise(tmp_path, data, read_by_path):
    path = tmp_path / "parc.csv"
    path.write_bytes(data)
    source, stream = streaming._open(path, streaming._layout(path, None).encoding)
    assert (source == str(path)) is read_by_path
    assert (stream is None) is read_by_path
    if stream is not None:
        stream.close()


@pytest.mark.parametrize(
    ("data", "cut"),
    [
        (b"abc", 3),
        ("aé".encode(), 1),  # é = C3 A9: it may go on, cut before its first byte
        ("a€".encode(), 1),  # € = E2 82 AC
        ("a€".encode()[:3], 1),  # a character cut by the end of the block
        (b"a\x80\x80\x80\x80", 5),  # no first byte within four: invalid, left to the check
        (b"", 0),
    ],
)
def test_a_block_is_cut_before_a_character_that_may_go_on(data, cut):
    assert streaming._last_whole_character(bytearray(data), len(data)) == cut


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(st.text(max_size=5), st.binary(max_size=3), st.just("€".encode()[:2])),
        max_size=12,
    ),
    st.integers(min_value=4, max_value=9),
)
def test_the_file_check_agrees_with_python_decoding_utf8(tmp_path_factory, parts, block):
    data = b"".join(p.encode() if isinstance(p, str) else p for p in parts)
    path = tmp_path_factory.mktemp("utf8") / "data.csv"
    path.write_bytes(data)
    try:
        data.decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        valid = False
    assert streaming._file_is_utf8(path, block=block) is valid


CELLS = st.one_of(
    st.sampled_from(
        ["", "Portable", "Écran", "Unité centrale", "RDC", " a ", "x;y", 'dit "oui"', "deux\nlignes"]
    ),
    st.text(alphabet='abé€;" \n', max_size=6),
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.lists(CELLS, min_size=4, max_size=4), st.booleans()), max_size=30),
    st.booleans(),
    st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
)
def test_any_small_csv_gives_the_same_frame_read_whole_or_in_batches(tmp_path_factory, records, bom, quoting):
    """Either both readers refuse the file, or the whole read is the batches end to end."""
    lines = [(HEADER, False)]
    for cells, old in records:
        out = io.StringIO()
        csv.writer(out, delimiter=";", quoting=quoting, lineterminator="\n").writerow(cells)
        lines.append((out.getvalue(), old))
    encoded = [text.encode("cp1252" if old else "utf-8", errors="replace") for text, old in lines]
    path = tmp_path_factory.mktemp("whole") / "parc.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + b"".join(encoded))
    batch_bytes = 2 * max(map(len, encoded))  # several batches, each record within one of pyarrow's blocks
    try:
        batches = list(iter_csv_batches(path, "parc.csv", batch_bytes=batch_bytes, categorical=grouped))
    except NotStreamable:
        batches = []
    if not batches:
        with pytest.raises(NotStreamable):
            read_csv_whole(path, "parc.csv", categorical=grouped)
        event("not streamable")
        return
    assert_same_frame(read_csv_whole(path, "parc.csv", categorical=grouped), batches)
    event("compared one batch" if len(batches) == 1 else "compared several batches")
