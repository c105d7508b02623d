"""Writing results safely: atomically, through symlinks, never over an input, cells neutralised.

- A regular file is written to a hidden temporary file beside its target, then renamed into
  place (``os.replace``), keeping the target's permissions; a symlink is followed and its
  target replaced, so the link stays a link.
- A special file (``/dev/stdout``, ``/dev/null``, a FIFO) is written directly: a rename would
  swap it for a regular file.
- A temporary file left by a killed run (``kill -9``) is hidden (``.NAME.greenit-PID-….tmp``)
  and removed by the next run that writes the same file.
- Every text cell of a CSV or XLSX goes through :func:`greenit.cells.neutralise_text`
  (formulas, line breaks), categorical columns and headers included; XLSX cells also lose the
  control characters the format forbids.
- Any failure is a :class:`~greenit.errors.GreenitError` naming the file, never a traceback.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from greenit.cells import neutralise_text
from greenit.errors import GreenitError, os_reason

XLSX_MAX_ROWS = 1_048_575  # a sheet holds 1,048,576 rows, the header included
XLSX_MAX_CELL_CHARS = 32_767
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _error(key: str, path: Path | str, exc: OSError | None = None) -> GreenitError:
    reason = os_reason(exc)
    return GreenitError.of(
        f"reporting.output.{key}", f"reporting.output.{key}_hint", path=str(path), reason=reason
    )


def check_outputs(outputs: Iterable[str | Path], inputs: Iterable[str | Path], folder=None) -> None:
    """Refuse, before any work, an output that is an input file (however its path is spelt:
    ``x/../in.csv``, a symlink, a hard link), two outputs on one file, or a folder that is a file.
    """
    if folder is not None and Path(folder).exists() and not Path(folder).is_dir():
        raise _error("not_a_folder", folder)
    existing_inputs = [Path(p) for p in inputs if _exists(Path(p))]
    seen: dict[str, Path] = {}
    for output in outputs:
        output = Path(output)
        target = Path(os.path.realpath(output))  # where write_atomic will write
        if str(target) in seen:
            raise _error("same_output_twice", output)
        seen[str(target)] = output
        if not _exists(target):
            continue
        for source in existing_inputs:
            try:
                same = os.path.samefile(target, source)
            except OSError:
                same = False
            if same:
                raise _error("is_an_input", output)


def _exists(path: Path) -> bool:
    """Whether ``path`` exists; a path the system cannot even look up (too long…) does not."""
    try:
        return path.exists()
    except OSError:
        return False


#: bytes a file name may have (NAME_MAX on Linux, macOS and Windows)
_NAME_MAX = 255


def _tmp_prefix(name: str) -> str:
    """The hidden prefix of ``name``'s temporary files: ``.NAME.greenit-``, the name cut so that
    ``PREFIX + PID-HEX.tmp`` still fits in a file name.
    """
    room = _NAME_MAX - len(".") - len(".greenit-") - len("4194304-0123abcd.tmp")
    encoded = name.encode("utf-8", "surrogateescape")
    if len(encoded) > room:
        name = encoded[:room].decode("utf-8", "ignore")
    return f".{name}.greenit-"


def _clean_stale(directory: Path, name: str) -> None:
    """Remove temporary files of ``name`` left by greenit runs that no longer exist (kill -9)."""
    try:
        candidates = list(directory.glob(f"{glob_escape(_tmp_prefix(name))}*.tmp"))
    except OSError:
        return
    for candidate in candidates:
        match = re.search(r"\.greenit-(\d+)-[0-9a-f]+\.tmp$", candidate.name)
        if match and not _alive(int(match.group(1))):
            candidate.unlink(missing_ok=True)


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _mode_for(target: Path) -> int:
    """The target's permissions when it exists, else what the umask gives a new file."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _prepare_folder(directory: Path) -> None:
    if directory.is_dir():
        return
    if directory.exists():
        raise _error("not_a_folder", directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _error("cannot_create_folder", directory, exc) from exc


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(file)`` so that ``path`` is replaced whole or not at all (see module doc)."""
    path = Path(path)
    target = Path(os.path.realpath(path))
    try:
        kind = target.stat().st_mode if target.exists() else None
    except OSError as exc:  # a name too long, a folder that cannot be searched
        raise _error("cannot_write", path, exc) from exc
    if kind is not None and stat.S_ISDIR(kind):
        raise _error("is_a_folder", path)
    if kind is not None and not stat.S_ISREG(kind):  # device, FIFO, socket: no rename
        try:
            write(target)
        except OSError as exc:
            raise _error("cannot_write", path, exc) from exc
        return path
    _prepare_folder(target.parent)
    _clean_stale(target.parent, target.name)
    tmp = target.parent / f"{_tmp_prefix(target.name)}{os.getpid()}-{secrets.token_hex(4)}.tmp"
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        write(tmp)
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise _error("cannot_write", path, exc) from exc
    except BaseException:
        _remove(tmp)
        raise
    return path


def _discard(_: object) -> None:
    """Writers return the count written; :func:`write_atomic` wants nothing back."""


def _remove(tmp: Path) -> None:
    """Remove a temporary file, if it was ever made (its name may be what failed)."""
    try:
        tmp.unlink(missing_ok=True)
    except OSError:
        pass


def write_text(path: str | Path, text: str) -> Path:
    return write_atomic(path, lambda file: _discard(file.write_text(text, encoding="utf-8")))


def write_bytes(path: str | Path, data: bytes) -> Path:
    return write_atomic(path, lambda file: _discard(file.write_bytes(data)))


def write_json(path: str | Path, value: object, lang: str | None = None) -> Path:
    """Strict JSON (no NaN or Infinity) in UTF-8."""
    from greenit.results.jsonsafe import dumps

    return write_text(path, dumps(value, lang) + "\n")


def _neutralise_values(values: Iterable, clean: Callable[[object], object]) -> list:
    return [clean(v) for v in values]


#: A text cell can only need cleaning when it does not start with a letter or a digit, holds a
#: line break or a control character, or is longer than a workbook cell: only those few go
#: through the exact check (:func:`greenit.cells.neutralise_text`, or the XLSX one).
_CANDIDATE = r"^[^\p{L}\p{N}_]|[\x00-\x1f\x{85}\x{2028}\x{2029}]"  # RE2, run by pyarrow


def neutralise_strings(values: pd.Series, clean: Callable[[object], object] = neutralise_text) -> pd.Series:
    """Text values with every cell that needs it cleaned — found in one vectorised pass."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow = values.astype("string[pyarrow]")  # one RE2 pass, not a Python call per cell
    # pyarrow's RE2 itself: pandas 3.0's str.contains compiled the pattern with Python's re
    # first, which has no \p{L} (re.error)
    found = pc.match_substring_regex(pa.array(arrow.array), _CANDIDATE)
    pattern = pc.fill_null(found, False).to_numpy(zero_copy_only=False).astype(bool)
    long = (arrow.str.len() > XLSX_MAX_CELL_CHARS).to_numpy(dtype=bool, na_value=False)
    candidates = pattern | long
    if not candidates.any():
        return values
    out = values.astype(object).copy()
    out[candidates] = [clean(v) for v in out[candidates]]
    return out


def neutralise_frame(
    frame: pd.DataFrame, clean: Callable[[object], object] = neutralise_text
) -> pd.DataFrame:
    """A copy of ``frame`` where every text cell and header went through ``clean``.

    Categorical columns are cleaned once per category, text columns in one vectorised pass;
    messages (reasons, notes) are rendered first, in the current language.
    """
    out = {}
    for column in frame.columns:
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = _neutralise_categorical(series, clean)
        elif pd.api.types.is_string_dtype(series.dtype) and not pd.api.types.is_object_dtype(series.dtype):
            series = neutralise_strings(series, clean)
        elif series.dtype == object:
            series = _neutralise_objects(series, clean)
        out[clean(str(column))] = series
    return pd.DataFrame(out, index=frame.index)


def _neutralise_categorical(series: pd.Series, clean: Callable[[object], object]) -> pd.Series:
    index = series.cat.categories
    if pd.api.types.infer_dtype(index, skipna=True) == "string":
        categories, texts = pd.Series(index, dtype=object), True  # plain text: no message to render
    else:
        categories = pd.Series([_as_text(c) for c in index], dtype=object)
        texts = categories.map(lambda v: isinstance(v, str)).all()
    cleaned = neutralise_strings(categories, clean) if texts and len(categories) else None
    if cleaned is not None and cleaned.nunique() == len(cleaned):
        return series.cat.rename_categories(list(cleaned))  # stays dictionary-encoded
    values = _neutralise_values(categories, clean)
    codes = series.cat.codes.to_numpy()
    lookup = pd.array([*values, None], dtype=object)
    return pd.Series(lookup[codes], index=series.index, dtype=object)


def _neutralise_objects(series: pd.Series, clean: Callable[[object], object]) -> pd.Series:
    try:  # a column repeats its values: each distinct one cleaned once
        codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists from JSON): one by one
        return series.astype(object).map(lambda v: clean(_as_text(v)))
    cleaned = pd.array([*(clean(_as_text(v)) for v in uniques), None], dtype=object)
    return pd.Series(cleaned[codes], index=series.index, dtype=object)


def _as_text(value: object) -> object:
    return value.render() if hasattr(value, "render") else value


def _xlsx_text(value: object) -> object:
    """A text cell an XLSX can hold: neutralised, no forbidden control character, ≤ 32,767 chars."""
    value = neutralise_text(value)
    if not isinstance(value, str):
        return value
    value = _XLSX_ILLEGAL.sub("\ufffd", value)
    return value if len(value) <= XLSX_MAX_CELL_CHARS else value[: XLSX_MAX_CELL_CHARS - 1] + "…"


def write_csv(path: str | Path, frame: pd.DataFrame) -> Path:
    """CSV in UTF-8 with BOM and ``;`` (opens right in a French Excel), text cells neutralised."""
    safe = neutralise_frame(frame)

    def write(file: Path) -> None:
        with file.open("wb") as handle:
            handle.write("\ufeff".encode())
            write_csv_rows(safe, handle, header=True)

    return write_atomic(path, write)


def round_significant(values: np.ndarray, digits: int = 6) -> np.ndarray:
    """Floats rounded to ``digits`` significant digits, all at once (what ``%.6g`` keeps).

    >>> round_significant(np.array([36.4612345, 1234567.0, 0.0])).tolist()
    [36.4612, 1234570.0, 0.0]
    """
    values = np.asarray(values, dtype=float)
    with np.errstate(all="ignore"):
        scale = 10.0 ** (digits - 1 - np.floor(np.log10(np.abs(values))))
        rounded = np.round(values * scale) / scale
    return np.where(np.isfinite(rounded) & (values != 0), rounded, values)


def write_csv_rows(frame: pd.DataFrame, handle, header: bool) -> None:
    """``frame`` (already neutralised) as ``;``-separated UTF-8 rows on a binary ``handle``.

    Written by pyarrow's CSV writer — a million rows in about a second, where pandas'
    ``to_csv`` with a float format takes tens — with floats at 6 significant digits.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    columns = {}
    for name in frame.columns:
        series = frame[name]
        if pd.api.types.is_float_dtype(series.dtype):
            columns[name] = pa.array(round_significant(series.to_numpy(dtype=float)), from_pandas=True)
        elif pd.api.types.is_integer_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
            columns[name] = pa.array(series.to_numpy(), from_pandas=True)
        elif isinstance(series.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(series.dtype):
            columns[name] = _arrow_text(series)
        else:
            columns[name] = _text_array(series)
    options = pacsv.WriteOptions(include_header=header, delimiter=";", quoting_style="needed")
    pacsv.write_csv(pa.table(columns), handle, options)


def _arrow_text(series: pd.Series):
    """A categorical or text column as an arrow string array, without a Python call per cell."""
    import pyarrow as pa

    try:
        return pa.array(series, from_pandas=True).cast(pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return _text_array(series)


def _text_array(series: pd.Series):
    import pyarrow as pa

    values = series.astype(object).to_numpy()
    try:
        return pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # numbers among texts (a workbook cell)
        return pa.array([None if pd.isna(v) else str(v) for v in values], type=pa.string())


def write_xlsx(path: str | Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """An XLSX workbook, one sheet per frame, text cells neutralised; too many rows is an error."""
    for name, frame in sheets.items():
        if len(frame) > XLSX_MAX_ROWS:
            raise GreenitError.of(
                "reporting.output.xlsx_too_many_rows",
                "reporting.output.xlsx_too_many_rows_hint",
                path=str(path),
                sheet=name,
                rows=len(frame),
                limit=XLSX_MAX_ROWS,
            )
    safe = {name: neutralise_frame(frame, _xlsx_text) for name, frame in sheets.items()}
    for name, frame in sheets.items():
        safe[name].attrs = dict(frame.attrs)  # the layout reads them (a total row)

    def write(file: Path) -> None:
        from greenit.reporting.xlsx_layout import write_workbook

        write_workbook(file, {_sheet_name(name): frame for name, frame in safe.items()})

    return write_atomic(path, write)


def _sheet_name(name: str) -> str:
    r"""A sheet name Excel accepts: no ``[]:*?/\``, at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Feuille"
