"""Large CSV files read by pyarrow: in batches (bounded memory) or whole (every core parsing).

:func:`iter_csv_batches` yields the raw frames :func:`greenit.parsing.readers.read_table` would
give for a delimited file, cut into batches of about ``batch_bytes`` of text: same header names,
same ``file``/``row``/``line`` numbering, same ``attrs["headers"]``. Text columns (and
``file``) come dictionary-encoded (Categoricals): a million rows repeat a few hundred labels, and the
normaliser works on distinct values anyway. :func:`read_csv_whole` gives the same frame in one
piece, parsed by one multi-threaded ``pyarrow.csv.read_csv`` call, for a file that fits in memory.

pyarrow's incremental CSV reader parses while the model computes the previous batch (it
releases the GIL, and a read-ahead thread keeps one batch ready). Both readers share the layout
(:func:`_layout`) and pyarrow's options (:func:`_pyarrow_options`). pyarrow reads a UTF-8 file
(the usual export) by its path, with its own threads; any other file through :class:`Utf8Stream`,
which passes valid UTF-8 chunks through untouched and repairs the rare line that is not (a row
pasted from a cp1252 file), noting its row, as the whole-file reader does.

A file these readers cannot take as it is (ragged rows, unusual quoting) raises
:class:`NotStreamable` before the first batch or during reading; the caller then reads it
whole (see ``greenit.inventory.files``).

References
----------
Apache Arrow, *pyarrow.csv.open_csv* — incremental CSV reader; *pyarrow.csv.read_csv* —
multi-threaded reader; ``ConvertOptions.check_utf8`` (arrow.apache.org/docs/python).
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from greenit.i18n import msg
from greenit.parsing.delimited import (
    _HEAD_BYTES,
    _drop_trailing_unnamed,
    damaged_bom,
    header_names,
    unclosed_quote,
)
from greenit.parsing.encodings import detect_encoding, repair_mixed_lines
from greenit.parsing.layout import csv_header_row, detect_delimiter

#: Text per batch: about 200,000 GLPI rows, a few hundred MB once normalised and estimated (each
#: batch costs the normaliser, the estimate and the summary a fixed ~0.1 s: fewer, larger batches).
BATCH_BYTES = 32 << 20
#: Below this size a file is read whole: streaming would only add set-up time.
STREAM_FROM_BYTES = 64 << 20
#: pyarrow's blocks in a whole read, each parsed by one thread: a few per core and MB of text.
WHOLE_BLOCK_BYTES = 4 << 20


class NotStreamable(Exception):
    """This file must be read whole (by :func:`greenit.parsing.readers.read_table`)."""


class Utf8Stream(io.RawIOBase):
    """A file's bytes as clean UTF-8: valid chunks untouched, other lines read as cp1252.

    ``repaired`` lists the 0-based physical lines that were not UTF-8 (counted from the start
    of the file), for the reader to note on their rows.
    """

    def __init__(self, path: Path, encoding: str, chunk: int = 4 << 20) -> None:
        self._path, self._file = path, path.open("rb")
        self._cp1252 = encoding == "cp1252"
        self._chunk, self._carry = chunk, b""
        self._pending, self._offset = memoryview(b""), 0
        self._start = 0  # where the next chunk starts in the file [bytes]
        self.repaired: list[int] = []

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        """Fill ``buffer`` as far as the file goes (pyarrow makes one block of each read)."""
        filled, wanted = 0, len(buffer)
        while filled < wanted:
            if self._offset >= len(self._pending):
                chunk = self._next_chunk()
                if chunk is None:
                    break
                self._pending, self._offset = chunk, 0
                continue
            size = min(wanted - filled, len(self._pending) - self._offset)
            buffer[filled : filled + size] = self._pending[self._offset : self._offset + size]
            self._offset += size
            filled += size
        return filled

    def _next_chunk(self) -> memoryview | None:
        """The next whole lines of the file, clean; None at its end.

        Read into one buffer after the previous chunk's incomplete last line, and passed on as
        a view of it: valid UTF-8 (the usual case) is never copied nor decoded here.
        """
        carried = len(self._carry)
        buffer = bytearray(carried + self._chunk)
        buffer[:carried] = self._carry
        size = carried + self._file.readinto(memoryview(buffer)[carried:])
        if size == carried:  # the end of the file: what is carried is its last line
            if not carried:
                return None
            cut = size
        else:  # keep an incomplete last line for the next chunk
            cut = buffer.rfind(b"\n", 0, size) + 1
        self._carry = bytes(buffer[cut:size])
        start, self._start = self._start, self._start + cut
        data = memoryview(buffer)[:cut]
        if start == 0 and buffer.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        if self._cp1252:
            return memoryview(bytes(data).decode("cp1252", errors="replace").encode("utf-8"))
        if _is_utf8(data):
            return data  # the usual case: passed through untouched
        fixed, lines = repair_mixed_lines(bytes(data))
        before = _lines_before(self._path, start)  # counted only here: a repair is rare
        self.repaired += [before + line for line in lines]
        return memoryview(fixed)

    def close(self) -> None:
        self._file.close()
        super().close()


def _is_utf8(data: memoryview) -> bool:
    """Whether ``data`` is valid UTF-8, checked by Arrow (vectorised, without Python's lock):
    decoding to a Python string only to check it cost a quarter of a second per million rows.
    """
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    text = pa.LargeStringArray.from_buffers(1, offsets, pa.py_buffer(data))
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _lines_before(path: Path, end: int) -> int:
    """How many physical lines the file holds before byte ``end``."""
    count = 0
    with path.open("rb") as handle:
        while end > 0:
            block = handle.read(min(end, 16 << 20))
            if not block:
                break
            count, end = count + block.count(b"\n"), end - len(block)
    return count


def streamable(path: Path) -> bool:
    """Whether ``path`` is a large regular delimited-text file worth reading in batches."""
    if not path.is_file() or path.suffix.lower() in (".xlsx", ".xlsm", ".jsonl", ".ndjson", ".xls", ".ods"):
        return False
    with path.open("rb") as handle:
        if handle.read(4) == b"PK\x03\x04":
            return False
    return path.stat().st_size >= STREAM_FROM_BYTES


class _Layout(NamedTuple):
    """How a delimited file is laid out, found as the whole-file reader finds it."""

    encoding: str
    delimiter: str
    header_index: int  # 0-based line of the header row
    names: list[str]  # every header as written (pyarrow's column names)
    headers: list[str]  # the headers a raw frame reports (trailing unnamed ones left out)


def _layout(path: Path, known: Callable[[str], bool] | None) -> _Layout:
    """Encoding, delimiter, header line and header names, found as the whole-file reader finds them."""
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if not head.strip() or b"\x00" in head[:4096] or damaged_bom(head):
        raise NotStreamable  # empty, binary, a damaged BOM: the whole-file reader says so properly
    encoding = detect_encoding(head)
    sample = head.decode(encoding, errors="replace")
    delimiter = detect_delimiter(sample)
    header_index = csv_header_row(sample, delimiter, known)
    names = header_names(sample, delimiter, header_index)
    if any("\ufffd" in str(name) for name in names):
        raise NotStreamable  # a header that is not text: the whole-file reader says so
    return _Layout(encoding, delimiter, header_index, names, _drop_trailing_unnamed(names))


def _open(path: Path, encoding: str) -> tuple[str | Utf8Stream, Utf8Stream | None]:
    """What pyarrow reads: the path itself when the whole file is UTF-8, else a :class:`Utf8Stream`.

    By path, pyarrow reads the file with its own threads, without Python copying each chunk;
    the file is checked first (before any row is read, so that no batch is read twice), as a
    cp1252 row deep in a UTF-8 export must be repaired and noted like any other. The check
    covers every column, also those pyarrow does not convert, as the stream's does.
    """
    if encoding != "cp1252" and _file_is_utf8(path):
        return str(path), None
    stream = Utf8Stream(path, encoding)
    return stream, stream


def _file_is_utf8(path: Path, block: int = 4 << 20) -> bool:
    """Whether every byte of ``path`` is UTF-8 (a BOM included), checked by Arrow a block at a time.

    A character cut by the end of a block (it has at most 4 bytes) is carried into the next one.
    About 0.07 s of CPU for 168 MB (half of it the copy), what pyarrow's own check costs (then off).
    """
    buffer, carried = bytearray(block + 4), 0
    with path.open("rb") as handle:
        while size := handle.readinto(memoryview(buffer)[carried : carried + block]):
            size += carried
            cut = _last_whole_character(buffer, size)
            if not _is_utf8(memoryview(buffer)[:cut]):
                return False
            carried = size - cut
            buffer[:carried] = buffer[cut:size]
    return _is_utf8(memoryview(buffer)[:carried])


def _last_whole_character(data: bytearray, size: int) -> int:
    """Where ``data[:size]`` can be cut without cutting a UTF-8 character (before its first byte)."""
    for back in range(1, min(4, size) + 1):
        byte = data[size - back]
        if byte < 0x80:
            return size  # ASCII: every character ends here
        if byte >= 0xC0:
            return size - back  # the first byte of a character that may go on in the next block
    return size  # no first byte within 4 bytes: invalid, which the check will say


def _pyarrow_options(
    layout: _Layout,
    usecols: Callable[[str], bool] | None,
    categorical: Callable[[str], bool] | None,
    block_size: int,
    check_utf8: bool,
) -> dict:
    """The keyword arguments of ``pyarrow.csv.open_csv`` and ``read_csv``: one set for both readers."""
    import pyarrow.csv as pacsv

    headers = layout.headers
    wanted = [n for n in headers if usecols is None or usecols(str(n).strip())] or headers
    return {
        "read_options": pacsv.ReadOptions(
            block_size=block_size,
            skip_rows=layout.header_index + 1,
            column_names=layout.names,
            use_threads=True,
        ),
        "parse_options": pacsv.ParseOptions(delimiter=layout.delimiter, newlines_in_values=True),
        "convert_options": pacsv.ConvertOptions(
            # plain strings for the columns of one value per row (names, serial numbers:
            # their dictionary would cost more than it saves), dictionaries for the others
            column_types={name: _arrow_type(name, categorical) for name in layout.names},
            include_columns=wanted,
            null_values=[""],
            strings_can_be_null=True,
            check_utf8=check_utf8,  # off when the whole file was checked before
        ),
    }


def _arrow_type(header: str, categorical: Callable[[str], bool] | None):
    import pyarrow as pa

    if categorical is not None and categorical(str(header).strip()):
        return pa.dictionary(pa.int32(), pa.string())
    return pa.string()


def _raw_frame(frame: pd.DataFrame, layout: _Layout, label: str, repaired: list[int], rows_before: int):
    """A frame parsed by pyarrow as ``read_table`` gives it: headers, positions, repaired rows noted."""
    from greenit.parsing.readers import with_positions

    frame.attrs.update(headers=layout.headers, header_line=layout.header_index + 1)
    if repaired:
        frame.attrs["row_notes"] = _notes_for(repaired, layout.header_index, rows_before, len(frame))
    return with_positions(frame, label, first_row=rows_before + 1, label_once=True)


def iter_csv_batches(
    path: Path,
    label: str,
    usecols: Callable[[str], bool] | None = None,
    known: Callable[[str], bool] | None = None,
    batch_bytes: int = BATCH_BYTES,
    categorical: Callable[[str], bool] | None = None,
) -> Iterator[pd.DataFrame]:
    """Raw frames of ``path`` a batch at a time, numbered and positioned as ``read_table`` does.

    Headers for which ``categorical`` holds come as Categoricals of their distinct values,
    dictionary-encoded by pyarrow as it parses (in its own thread, the GIL released): the
    normaliser works on distinct values, and hashing a million strings is done there once.
    Raises :class:`NotStreamable` when pyarrow cannot take the file as it is.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    layout = _layout(path, known or usecols)
    source, stream = _open(path, layout.encoding)
    try:
        options = _pyarrow_options(layout, usecols, categorical, batch_bytes, check_utf8=stream is not None)
        reader = pacsv.open_csv(source, **options)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError) as exc:
        if stream is not None:
            stream.close()
        raise NotStreamable from exc
    last: pd.DataFrame | None = None
    for batch in _batches(reader, stream, label, layout):
        last = batch.iloc[-1:]  # a row, not the batch: the caller may let the batch go
        yield batch
    if last is not None and unclosed_quote(last, path):  # the file's rest read as one cell
        raise NotStreamable  # the whole-file reader says where the quote opened


def read_csv_whole(
    path: Path,
    label: str,
    usecols: Callable[[str], bool] | None = None,
    known: Callable[[str], bool] | None = None,
    categorical: Callable[[str], bool] | None = None,
) -> pd.DataFrame:
    """The raw frame of ``path`` in one piece: what :func:`iter_csv_batches` yields, concatenated.

    Parsed by one multi-threaded ``pyarrow.csv.read_csv`` call (every core parses its blocks),
    for a file that fits in memory. Categoricals hold the distinct values of the whole file
    (pyarrow unifies its blocks' dictionaries). Raises :class:`NotStreamable` where the batches
    would, and for a file with a header and no row (the whole-file reader says so).
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    layout = _layout(path, known or usecols)
    source, stream = _open(path, layout.encoding)
    try:
        options = _pyarrow_options(
            layout, usecols, categorical, WHOLE_BLOCK_BYTES, check_utf8=stream is not None
        )
        table = pacsv.read_csv(source, **options)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError) as exc:
        raise NotStreamable from exc
    finally:
        if stream is not None:
            stream.close()
    if not table.num_rows:
        raise NotStreamable
    repaired = stream.repaired if stream is not None else []
    frame = _raw_frame(table.to_pandas(), layout, label, repaired, rows_before=0)
    if unclosed_quote(frame.iloc[-1:], path):  # the file's rest read as one cell
        raise NotStreamable  # the whole-file reader says where the quote opened
    return frame


def _batches(reader, stream: Utf8Stream | None, label: str, layout: _Layout):
    import pyarrow as pa

    ahead: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()
    thread = threading.Thread(
        target=_read_ahead, args=(reader, ahead, stop), daemon=True, name="greenit-read"
    )
    thread.start()
    rows_before = 0
    try:
        while True:
            item = ahead.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                if isinstance(item, pa.ArrowInvalid | pa.ArrowNotImplementedError):
                    raise NotStreamable from item
                raise item
            # the stream may have read ahead: _raw_frame gives each batch its own repaired rows
            repaired = stream.repaired if stream is not None else []
            batch = _raw_frame(item, layout, label, repaired, rows_before)
            rows_before += len(item)
            yield batch
    finally:  # also when the caller stops early: the reading thread ends, and the file is closed
        stop.set()
        try:
            ahead.get_nowait()  # a thread waiting to hand over a batch hands it, then sees stop
        except queue.Empty:
            pass
        thread.join()
        if stream is not None:
            stream.close()


def _read_ahead(reader, ahead: queue.Queue, stop: threading.Event) -> None:
    """Parse the next batch, as a pandas frame, while the previous one is estimated.

    pyarrow releases the GIL while it parses and converts, so this overlaps the model's work.
    Each batch is one ``put``: after ``stop``, the consumer's one ``get`` lets the last one end.
    """
    try:
        while not stop.is_set():
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                ahead.put(None)
                return
            ahead.put(batch.to_pandas())
    except BaseException as exc:  # handed to the consuming thread, which raises it there
        ahead.put(exc)


def _notes_for(lines: list[int], header_index: int, rows_before: int, rows: int) -> dict[int, list]:
    """Data rows of this batch (0-based in the file) holding repaired physical lines.

    The whole-file reader follows quoted cells across lines; here a repaired line is placed on
    the row of the same number, which holds for the one-line records of inventory exports.
    """
    note = msg("parsing.row.not_utf8")
    found: dict[int, list] = {}
    for line in lines:
        row = line - header_index - 1
        if rows_before <= row < rows_before + rows:
            found[row] = [note]
    return found
