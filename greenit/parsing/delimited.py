"""CSV/TSV and JSON Lines → raw frames (see :mod:`greenit.parsing.readers`)."""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from greenit.errors import InputFileError
from greenit.i18n import msg
from greenit.parsing.encodings import data_rows_of_lines, detect_encoding, repair_mixed_lines
from greenit.parsing.layout import csv_header_row, detect_delimiter
from greenit.parsing.reasons import read_error_reason

_HEAD_BYTES = 64 * 1024
#: Files people send instead of a table: PDF, old Office (.xls/.doc), images, archives.
BINARY_SIGNATURES = (
    b"%PDF-",
    b"\xd0\xcf\x11\xe0",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"{\\rtf",
    b"7z\xbc\xaf",
    b"Rar!",
)


def _head(source: Path | bytes) -> bytes:
    if isinstance(source, bytes):
        return source[:_HEAD_BYTES]
    with source.open("rb") as handle:
        return handle.read(_HEAD_BYTES)


def _all_bytes(source: Path | bytes) -> bytes:
    return source if isinstance(source, bytes) else source.read_bytes()


#: UTF-32 before UTF-16: the UTF-32 LE mark starts with the UTF-16 LE one.
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _as_utf8(data: bytes, label: str) -> bytes:
    """A UTF-16 or UTF-32 file (known by its byte-order mark) as UTF-8 bytes."""
    codec = "utf-32" if data.startswith(_WIDE_BOMS[:2]) else "utf-16"
    try:
        return data.decode(codec).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError.of("parsing.file.binary", "parsing.file.binary_hint", path=label) from exc


def read_csv(
    source: Path | bytes,
    label: str,
    usecols: Callable[[str], bool] | None,
    known: Callable[[str], bool] | None,
) -> pd.DataFrame:
    """A delimited text file: encoding, delimiter and header row found from its first 64 KB."""
    head = _head(source)
    if head.startswith(_WIDE_BOMS):  # Excel's "Unicode text": UTF-16 with its BOM, tab-separated
        source = _as_utf8(_all_bytes(source), label)
        head = _head(source)
    if not head.removeprefix(codecs.BOM_UTF8).strip():
        raise InputFileError.of("parsing.file.empty", "parsing.file.empty_hint", path=label)
    if b"\x00" in head[:4096] or head.startswith(BINARY_SIGNATURES):
        raise InputFileError.of("parsing.file.binary", "parsing.file.binary_hint", path=label)
    damaged = damaged_bom(head)
    damaged_bytes = " ".join(f"{byte:02X}" for byte in head[:damaged])
    if damaged:
        source, head = _all_bytes(source)[damaged:], head[damaged:]
    encoding = detect_encoding(head)
    sample = head.decode(encoding, errors="replace")
    delimiter = detect_delimiter(sample)
    header_index = csv_header_row(sample, delimiter, known)
    notes: dict[int, list] = {}
    if encoding.startswith("utf-8") and _has_invalid_utf8(head):
        source, notes = _repaired(_all_bytes(source), header_index)  # stray cp1252 lines near the top
        encoding = "utf-8-sig"
    if header_index:
        data = _all_bytes(source)
        source = data[_line_offset(data, header_index) :]
    options = dict(sep=delimiter, dtype=str, keep_default_na=False, na_values=[""])
    headers = header_names(sample, delimiter, header_index)
    if any("\ufffd" in str(h) for h in headers):  # bytes that are text in no encoding read
        raise InputFileError.of(
            "formats.file.garbled_header",
            "formats.file.garbled_header_hint",
            path=label,
            line=header_index + 1,
        )
    if usecols is not None:
        wanted = [h for h in headers if usecols(str(h).strip())]
        if wanted:
            options["usecols"] = wanted
    try:
        frame, late_notes = _parse(source, encoding, options)
    except pd.errors.ParserError as exc:  # the line a person finds, title rows counted
        raise InputFileError.of(
            "parsing.file.unreadable",
            "parsing.file.unreadable_hint",
            path=label,
            error=read_error_reason(exc, first_line=header_index + 1),
        ) from exc
    frame.attrs.update(
        headers=_drop_trailing_unnamed(headers), header_line=header_index + 1, row_notes=notes or late_notes
    )
    if damaged:
        frame.attrs["file_notes"] = [msg("formats.file.damaged_bom", n=damaged, bytes=damaged_bytes)]
    return frame


def damaged_bom(head: bytes) -> int:
    r"""How many leading bytes of a file are a damaged UTF-8 byte-order mark (0 when none).

    A BOM cut short (``EF BB``) or with one byte changed (``EF FA BF``), followed by text:
    bytes no encoding reads as the start of a table, to be left out (and said).

    >>> damaged_bom(b'\xef\xfa\xbf"Nom"'), damaged_bom(b'\xef\xbb"Nom"'), damaged_bom(b"\xef\xbb\xbfNom")
    (3, 2, 0)
    >>> damaged_bom("Écran".encode("cp1252")), damaged_bom("Écran".encode()), damaged_bom("＂Nom".encode())
    (0, 0, 0)
    """
    bom = codecs.BOM_UTF8
    if head.startswith(bom) or head[:1] != bom[:1]:
        return 0
    if head[:2] == bom[:2] and head[2:3].isascii():
        return 2
    one_byte_off = sum(1 for a, b in zip(head[:3], bom, strict=False) if a != b) == 1
    if one_byte_off and len(head) >= 3 and min(head[:3]) >= 0x80 and head[3:4].isascii():
        return 3
    return 0


def header_names(sample: str, delimiter: str, header_index: int) -> list[str]:
    """The header's column names as pandas names them (``Unnamed: N``, ``Nom.1``…), from the
    decoded sample: parsing the file itself for them would stumble on a bad line further down.
    """
    lines = sample.splitlines(keepends=True)
    header = "".join(lines[header_index : header_index + 1])
    return list(pd.read_csv(io.StringIO(header), sep=delimiter, nrows=0, dtype=str).columns)


def _has_invalid_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
        return False
    except UnicodeDecodeError as exc:
        return exc.start < len(head) - 3  # a character cut at the end of the sample is fine


def _line_offset(data: bytes, line: int) -> int:
    offset = 0
    for _ in range(line):
        offset = data.index(b"\n", offset) + 1
    return offset


def _drop_trailing_unnamed(headers: list[str]) -> list[str]:
    """GLPI ends every line with ``;``: the empty last column it makes is no column."""
    if headers and str(headers[-1]).startswith("Unnamed: "):
        return headers[:-1]
    return headers


def _read(source: Path | bytes, encoding: str, options: dict, engine: str) -> pd.DataFrame:
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    frame = pd.read_csv(handle, encoding=encoding, engine=engine, **options)
    if not isinstance(frame.index, pd.RangeIndex):  # the C parser's implicit index: see below
        raise pd.errors.ParserError(
            f"Expected {len(frame.columns)} fields in line 2, saw {len(frame.columns) + frame.index.nlevels}"
        )
    if engine == "pyarrow" and unclosed_quote(frame, source):
        return _read(source, encoding, options, engine="c")  # which says where the quote opened
    return frame


# Two ways a file's own mistake would otherwise be read as data, without a word:
# - a first data row with more cells than the header (« 1 200,50 » in a comma-separated file):
#   the C parser takes the extra cells as the row's index and shifts every value one column left
#   (a later row with too many cells is already an error: « ligne 3 : 4 cellules pour 3 colonnes »);
# - a quote opened in the last column and never closed: pyarrow reads to the end of the file as
#   that one cell, and the devices of every following line vanish into a name.


def long_rows(source: Path | bytes, encoding: str, delimiter: str) -> tuple[int, dict[int, int]]:
    """The header's number of cells, and ``{data row: cells}`` of the rows with more (their extra
    cells not all empty: GLPI's trailing ``;`` is no cell). ``source`` starts at the header line.
    """
    import csv

    data = _all_bytes(source).decode(encoding, errors="replace")
    reader = csv.reader(io.StringIO(data, newline=""), delimiter=delimiter)
    header = next(reader, [])
    found, row_number = {}, 0
    for row in reader:
        if not row:  # a blank line: pandas skips it too
            continue
        while len(row) > len(header) and row[-1].strip() == "":
            row.pop()
        if len(row) > len(header):
            found[row_number] = len(row)
        row_number += 1
    return len(header), found


def _read_ragged(source: Path | bytes, encoding: str, options: dict) -> pd.DataFrame:
    """The C parser on rows of uneven length: a short row's missing cells are empty; a row with
    more cells than the header is kept, flagged, never estimated — its cells cannot be placed.
    """
    import warnings

    width, extra = long_rows(source, encoding, options["sep"])
    if not extra:
        return _read(source, encoding, options | {"index_col": False}, engine="c")
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    header = list(pd.read_csv(handle, encoding=encoding, sep=options["sep"], nrows=0, dtype=str).columns)
    spare = [f"\x00extra {n}" for n in range(max(extra.values()) - len(header))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.ParserWarning)  # said row by row below
        frame = _read(source, encoding, options | {"names": header + spare, "header": 0}, engine="c")
    frame = frame.drop(columns=[name for name in spare if name in frame.columns])
    frame.attrs["row_reasons"] = {
        row: [msg("parsing.row.extra_cells", saw=saw, expected=width)] for row, saw in extra.items()
    }
    return frame


def unclosed_quote(frame: pd.DataFrame, source: Path | bytes) -> bool:
    """A quote opened and never closed: the last row holds a line break in a cell, and the file
    an odd number of quote characters (a closed field has two; a quote inside one is doubled).
    """
    if not len(frame):
        return False
    last = frame.iloc[-1]
    cells = [cell for cell in last.tolist() if isinstance(cell, str)]
    if not any("\n" in cell or "\r" in cell for cell in cells):
        return False
    return quote_count(source) % 2 == 1


def quote_count(source: Path | bytes) -> int:
    """How many ``"`` a file holds, read in 16 MiB blocks."""
    if isinstance(source, bytes):
        return source.count(b'"')
    total = 0
    with Path(source).open("rb") as handle:
        while block := handle.read(16 * 1024 * 1024):
            total += block.count(b'"')
    return total


def _parse(source: Path | bytes, encoding: str, options: dict) -> tuple[pd.DataFrame, dict]:
    """The rows, and the notes of rows repaired from cp1252 (found past the first 64 KB)."""
    try:
        # pyarrow's parser: about 2.5× faster and 3× leaner than the C one on big exports
        return _read(source, encoding, options, engine="pyarrow"), {}
    except KeyError:  # pyarrow's ArrowKeyError (a column it does not see): the C parser says why
        pass
    except (ValueError, TypeError, ImportError, pd.errors.ParserError) as exc:
        if "utf8" in str(exc).lower().replace("-", ""):
            fixed, notes = _repaired(_all_bytes(source))
            return _read_any(fixed, options), notes
    # unusual files (ragged rows, odd quoting): the C parser says more precisely why
    try:
        return _read_ragged(source, encoding, options), {}
    except UnicodeDecodeError:
        fixed, notes = _repaired(_all_bytes(source))
        return _read_any(fixed, options), notes


def _read_any(data: bytes, options: dict) -> pd.DataFrame:
    try:
        return _read(data, "utf-8-sig", options, engine="pyarrow")
    except (ValueError, TypeError, pd.errors.ParserError):
        return _read(data, "utf-8-sig", options, engine="c")


def _repaired(data: bytes, header_line: int = 0) -> tuple[bytes, dict[int, list]]:
    """UTF-8 bytes with each cp1252 line read as such, and a note for the data rows it holds.

    ``header_line`` is the header's 0-based physical line in ``data``.
    """
    fixed, lines = repair_mixed_lines(data)
    if not lines:
        return data, {}
    text = fixed[: _line_offset(fixed, max(lines)) + 1].decode("utf-8", errors="replace")
    note = msg("parsing.row.not_utf8")
    return fixed, {row: [note] for row in data_rows_of_lines(text, lines, header_line=header_line)}


def read_jsonl(source: Path | bytes, label: str, keep_nested: bool = False) -> pd.DataFrame:
    """JSON Lines: one object per line; a line that is not one is flagged.

    A nested value (an object or a list in a cell) is flagged and left out, unless
    ``keep_nested`` (a reader that flattens them itself, such as saved chat responses).
    """
    text = _all_bytes(source).decode("utf-8-sig", errors="replace")
    if not text.strip():
        raise InputFileError.of("parsing.file.empty", "parsing.file.empty_hint", path=label)
    records: list[dict] = []
    reasons: dict[int, list] = {}
    for number, line in enumerate(line for line in text.splitlines() if line.strip()):
        record, reason = _json_record(line, keep_nested)
        records.append(record)
        if reason:
            reasons[number] = reason
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    frame = frame.astype(object).where(frame.notna(), None) if len(frame) else frame
    frame.attrs.update(headers=list(frame.columns), row_reasons=reasons)
    return frame


def _json_record(line: str, keep_nested: bool = False) -> tuple[dict, list]:
    try:
        value = json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        return {}, [msg("parsing.row.not_json")]
    if not isinstance(value, dict):
        return {}, [msg("parsing.row.not_json_object")]
    record, reasons = {}, []
    for key, cell in value.items():
        if isinstance(cell, (dict, list)) and not keep_nested:
            reasons.append(msg("parsing.cell.nested", column=str(key)[:80]))
            cell = None
        record[str(key)] = cell
    return record, reasons
