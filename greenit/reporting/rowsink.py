"""``--rows-out`` written as the batches come: one CSV, replaced whole at the end or not at all.

:class:`CsvRowsSink` receives estimated batches (:func:`greenit.results.batches.estimate_in_batches`),
writes their rows in the ``--rows-out`` contract (UTF-8 with BOM, ``;``, text cells
neutralised) to a hidden temporary file beside the target, and renames it into place when the
run ends well (:meth:`close`); on failure nothing replaces the target. ``mark``/``rollback``
take back the rows of a file that is started again. A special file (``/dev/stdout``, a FIFO)
is written directly, as :func:`greenit.reporting.output.write_atomic` does.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

import pandas as pd

from greenit.reporting.output import (
    _clean_stale,
    _error,
    _mode_for,
    _prepare_folder,
    _tmp_prefix,
    neutralise_frame,
    write_csv_rows,
)
from greenit.results.rows import rows_out_frame


class CsvRowsSink:
    """The ``--rows-out`` CSV, written batch by batch (use as a context manager)."""

    def __init__(self, path: str | Path, lang: str | None = None) -> None:
        self.path, self.lang = Path(path), lang
        target = Path(os.path.realpath(self.path))
        self._target, self._tmp = target, None
        try:
            kind = target.stat().st_mode if target.exists() else None
            if kind is not None and stat.S_ISDIR(kind):
                raise _error("is_a_folder", self.path)
            if kind is not None and not stat.S_ISREG(kind):  # device or FIFO: written directly
                self._file = target.open("wb")
            else:
                _prepare_folder(target.parent)
                _clean_stale(target.parent, target.name)
                suffix = f"{os.getpid()}-{secrets.token_hex(4)}.tmp"
                self._tmp = target.parent / f"{_tmp_prefix(target.name)}{suffix}"
                self._file = self._tmp.open("xb")
            self._file.write("\ufeff".encode())
            self._header, self._mark = True, (self._file.tell() if self._tmp else 0, True)
        except OSError as exc:
            self.abort()
            raise _error("cannot_write", self.path, exc) from exc

    def write(self, estimated: pd.DataFrame) -> None:
        rows = neutralise_frame(rows_out_frame(estimated, self.lang))
        try:
            write_csv_rows(rows, self._file, header=self._header)
        except OSError as exc:
            raise _error("cannot_write", self.path, exc) from exc
        self._header = False

    def mark(self) -> None:
        """Remember where the rows of the next file start."""
        if self._tmp is not None:
            self._file.flush()
            self._mark = (self._file.tell(), self._header)

    def rollback(self) -> None:
        """Take back the rows written since :meth:`mark` (a file started again)."""
        if self._tmp is not None:
            position, self._header = self._mark
            self._file.seek(position)
            self._file.truncate()

    def close(self) -> None:
        """Put the file in place (the whole run went well)."""
        try:
            self._file.close()
            if self._tmp is not None:
                os.chmod(self._tmp, _mode_for(self._target))
                os.replace(self._tmp, self._target)
        except OSError as exc:
            self.abort()
            raise _error("cannot_write", self.path, exc) from exc

    def abort(self) -> None:
        """Leave the target as it was."""
        file = getattr(self, "_file", None)
        if file is not None and not file.closed:
            try:
                file.close()
            except OSError:
                pass  # a full device: nothing more to keep
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> CsvRowsSink:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
