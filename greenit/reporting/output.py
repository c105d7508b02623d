"""Writing results: atomically (temporary file, then rename), with spreadsheet-safe cells."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from greenit.errors import GreenitError

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``frame`` where every text cell starting with = + - @ is neutralised."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            series = out[column]
            mask = series.astype("string").str.match(r"^[=+\-@\t\r]").fillna(False).to_numpy(bool)
            if mask.any():
                out[column] = series.astype(object)
                out.loc[mask, column] = "'" + series[mask].astype(str)
    return out


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise GreenitError(f"{path.parent}: cannot create the folder ({exc.strerror})") from exc
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a result file is shared like any other
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise GreenitError(f"{path}: cannot be written ({exc.strerror})") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text(path: str | Path, text: str) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_bytes(path: str | Path, data: bytes) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))


def write_csv(path: str | Path, frame: pd.DataFrame) -> Path:
    """CSV in UTF-8 with BOM and ``;`` (opens right in a French Excel), cells neutralised."""
    safe = neutralise_frame(frame)
    return write_atomic(
        path,
        lambda tmp: safe.to_csv(tmp, index=False, sep=";", encoding="utf-8-sig", float_format="%.6g"),
    )


def write_xlsx(path: str | Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """An XLSX workbook, one sheet per frame, cells neutralised."""

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in sheets.items():
                neutralise_frame(frame).to_excel(writer, sheet_name=name[:31], index=False)

    return write_atomic(path, write)
