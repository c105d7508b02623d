"""Files → raw frames. Encodings, dialects, XLSX, JSON Lines. No formulas here.

A raw frame keeps every cell as read (strings or numbers) plus three columns, ``file``,
``row`` (the 1-based data row in its file) and ``line`` (the line a spreadsheet shows), so
every later message can point at the cell. What reading had to say travels in ``attrs``:

- ``headers``: every header of the file, also those not read (``usecols``), so the columns
  greenit ignores can be listed;
- ``header_line``, ``sheet`` and ``other_sheets``: where the table was found;
- ``row_reasons`` / ``row_notes``: data row position → messages (a formula without a value,
  a row not in UTF-8…), picked up by :func:`read_flags`.

A FIFO, ``/dev/stdin`` or ``<(…)`` is read once, into memory: nothing is opened twice.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from greenit.errors import InputFileError, os_reason
from greenit.parsing import delimited
from greenit.parsing.encodings import detect_encoding  # noqa: F401  (public: tests and tools)
from greenit.parsing.layout import detect_delimiter  # noqa: F401
from greenit.parsing.reasons import read_error_reason
from greenit.parsing.sheets import sheet_frame

#: Columns greenit adds to every raw frame: the file, the 1-based data row, the spreadsheet
#: line (the header's line + the row: what a person sees in Excel or LibreOffice).
POSITION_COLUMNS = ("file", "row", "line")
_WORKBOOK = (".xlsx", ".xlsm")
_OPENDOCUMENT = (".ods", ".fods")
_JSONL = (".jsonl", ".ndjson")


def read_table(
    path: str | Path,
    usecols: Callable[[str], bool] | None = None,
    *,
    sheet: str | int | None = None,
    known: Callable[[str], bool] | None = None,
    keep_nested: bool = False,
) -> pd.DataFrame:
    """Read a CSV, TSV, XLSX or JSON Lines file into a raw frame with ``file``, ``row``, ``line``.

    Parameters
    ----------
    path : the file (a FIFO or ``/dev/stdin`` is read once into memory).
    usecols : which headers to keep (a big export has columns nobody needs, such as serial
        numbers; skipping them halves the reading time). Every header is still listed in
        ``attrs["headers"]``.
    sheet : the XLSX sheet to read, by name or 1-based number [default: the one holding the
        table].
    known : whether a header is one greenit recognises, to find the header row below title
        rows [default: ``usecols``].
    keep_nested : JSON Lines only: keep nested objects in their cells (for a reader that
        flattens them); by default they are left out and their row flagged.

    Raises InputFileError with what to do when the file is missing, empty or unreadable.
    """
    path = Path(path)
    label = str(path)
    source = _source(path)
    known = known or usecols
    try:
        kind = _kind(path, source)
        if kind in ("xlsx", "ods", "sylk"):
            frame = _from_workbook(kind, source, label, sheet, known)
        elif kind == "jsonl":
            frame = delimited.read_jsonl(source, label, keep_nested)
        else:
            frame = delimited.read_csv(source, label, usecols, known)
    except InputFileError:
        raise
    except (
        pd.errors.ParserError,
        ValueError,
        OSError,
        UnicodeDecodeError,
        MemoryError,
        RecursionError,
    ) as exc:
        raise InputFileError.of(
            "parsing.file.unreadable",
            "parsing.file.unreadable_hint",
            path=label,
            error=read_error_reason(exc),
        ) from exc
    if frame.shape[1] == 0:
        raise InputFileError.of("parsing.file.no_header", "parsing.file.no_header_hint", path=label)
    return with_positions(frame, label)


def _source(path: Path) -> Path | bytes:
    """The file itself when it is a regular file, else its bytes read once (FIFO, stdin, <(…))."""
    try:
        if path.is_dir():
            raise InputFileError.of("parsing.file.is_folder", "parsing.file.is_folder_hint", path=str(path))
        if path.is_file():
            return path
        if not path.exists():
            raise InputFileError.of("parsing.file.missing", "parsing.file.missing_hint", path=str(path))
        with path.open("rb") as handle:
            return handle.read()
    except PermissionError as exc:
        raise InputFileError.of(
            "parsing.file.unreadable", "parsing.file.unreadable_hint", path=str(path), error=os_reason(exc)
        ) from exc


def _kind(path: Path, source: Path | bytes) -> str:
    from greenit.parsing.workbooks import is_encrypted_ooxml

    suffix = path.suffix.lower()
    if is_encrypted_ooxml(source):
        raise InputFileError.of("formats.file.encrypted", "formats.file.encrypted_hint", path=str(path))
    if suffix == ".xls":
        raise InputFileError.of(
            "parsing.file.old_format", "parsing.file.old_format_hint", path=str(path), suffix=suffix
        )
    if suffix in _WORKBOOK:
        return "xlsx"
    if suffix in _OPENDOCUMENT:
        return "ods"
    if suffix in _JSONL:
        return "jsonl"
    head = source[:8] if isinstance(source, bytes) else _peek(source, 8)
    if suffix in (".slk", ".sylk") or head.lstrip(b"\xef\xbb\xbf").startswith(b"ID;"):
        return "sylk"  # GLPI 9's default export
    if head[:4] == b"PK\x03\x04":
        from greenit.parsing.opendocument import is_opendocument_spreadsheet

        return "ods" if is_opendocument_spreadsheet(source) else "xlsx"
    return "csv"


def is_workbook(path: str | Path) -> bool:
    """Whether ``path`` is a workbook (XLSX, ODS, SYLK: what ``--sheet`` chooses in), by its
    name or its first bytes; True when it cannot be told without reading a stream.
    """
    path = Path(path)
    if not path.is_file():
        return True  # a stream is read once, by its reader; missing files are said there
    try:
        return _kind(path, path) in ("xlsx", "ods", "sylk")
    except InputFileError:
        return True  # its reader says what is wrong with it


def _peek(path: Path, size: int) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def _from_workbook(kind: str, source, label: str, sheet, known) -> pd.DataFrame:
    if kind == "ods":
        from greenit.parsing.opendocument import read_opendocument

        read = read_opendocument(source, label, sheet=sheet, known=known)
    elif kind == "sylk":
        from greenit.parsing.sylk import read_sylk

        read = read_sylk(source, label, known=known)
    else:
        from greenit.parsing.workbooks import read_workbook

        read = read_workbook(source, label, sheet=sheet, known=known)
    return sheet_frame(read)


def with_positions(
    frame: pd.DataFrame, label: str, first_row: int = 1, *, label_once: bool = False
) -> pd.DataFrame:
    """Stripped headers, blank rows left out (numbering kept), then ``file``, ``row``, ``line``.

    ``first_row`` numbers a batch of a file read in batches (the row of its first line);
    ``label_once`` makes ``file`` a Categorical (its one label kept once, not once per row).
    """
    attrs = dict(frame.attrs)
    renamed = {c: _header_name(c, i) for i, c in enumerate(frame.columns)}
    empty = [c for c, name in renamed.items() if name.startswith("#") and frame[c].isna().all()]
    if empty:  # a column without header nor data is no column
        frame = frame.drop(columns=empty)
    if any(c != name for c, name in renamed.items()):
        frame = frame.rename(columns=renamed)
    else:
        frame = frame.copy(deep=False)  # the caller's frame stays as it was
    frame.attrs = {}  # set again at the end: pandas deep-copies them into every column taken
    empty = [renamed[c] for c in empty]
    headers = [_header_name(h, i) for i, h in enumerate(attrs.get("headers", list(renamed.values())))]
    attrs["headers"] = [h for h in headers if h not in empty]
    header_line = int(attrs.get("header_line", 1))  # readers that skip title rows say where
    frame["file"] = _file_column(label, len(frame)) if label_once else label
    numbers = attrs.pop("row_numbers", None)  # a spreadsheet's rows: empty lines already skipped
    if numbers is not None:
        frame["row"] = np.asarray(numbers, dtype=np.int64)
    else:
        frame["row"] = np.arange(first_row, first_row + len(frame), dtype=np.int64)
    frame["line"] = frame["row"].to_numpy() + header_line
    data = [c for c in frame.columns if c not in POSITION_COLUMNS]
    blank_rows = int(attrs.pop("skipped_blank_rows", 0))
    if data and len(frame):
        blank = np.ones(len(frame), dtype=bool)
        for column in data:
            blank &= frame[column].isna().to_numpy()
        said = np.fromiter(attrs.get("row_reasons") or {}, dtype=np.int64)
        blank &= ~np.isin(frame["row"].to_numpy() - 1, said)  # a row with something to say is kept
        if blank.any():
            frame = frame[~blank].reset_index(drop=True)
            blank_rows += int(blank.sum())
    if blank_rows:
        attrs["blank_rows"] = blank_rows
    frame.attrs = attrs
    return frame


def _file_column(label: str, rows: int) -> pd.Categorical:
    codes = np.zeros(rows, dtype=np.int8)
    return pd.Categorical.from_codes(codes, categories=pd.Index([label], dtype=object), validate=False)


def _header_name(header: object, index: int) -> str:
    """A header as a string; pandas' ``Unnamed: N`` (no header) becomes ``#N+1``."""
    text = str(header).strip()
    if text.startswith("Unnamed: ") and text[9:].isdigit():
        return f"#{int(text[9:]) + 1}"
    return text or f"#{index + 1}"


def data_headers(raw: pd.DataFrame) -> list[str]:
    """The file's own headers of a raw frame, without greenit's position columns."""
    return [str(c) for c in raw.columns if c not in POSITION_COLUMNS]


def all_headers(raw: pd.DataFrame) -> list[str]:
    """Every header of the file, also those :func:`read_table` did not read (``usecols``)."""
    return [h for h in raw.attrs.get("headers", data_headers(raw)) if h not in POSITION_COLUMNS]


def read_flags(raw: pd.DataFrame) -> tuple[dict[int, list], dict[int, list]]:
    """What reading found about rows: (position → reasons, position → notes), positions in ``raw``.

    Positions are those of the frame as returned (blank rows left out): the reader's own
    row numbers are mapped through ``raw["row"]``.
    """
    reasons, notes = raw.attrs.get("row_reasons") or {}, raw.attrs.get("row_notes") or {}
    if not reasons and not notes:
        return {}, {}
    position_of = {int(r) - 1: i for i, r in enumerate(raw["row"].to_numpy())}

    def remap(found: dict[int, list]) -> dict[int, list]:
        return {position_of[p]: v for p, v in found.items() if p in position_of}

    return remap(reasons), remap(notes)
