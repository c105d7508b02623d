"""The ``greenit track`` run log: its columns, its checks, whole-row appends and how it is read.

A track log is a CSV file that many processes append to. Every append is one whole line
(header included when the file is new) written under an exclusive lock, checked to the last
byte, and undone (the file truncated back to its previous size) if the disk refuses part of
it, so two rows are never glued together. Before a run starts, the whole log is checked: a
location that cannot be written, a full disk, a file in another format or a damaged line
is refused up front, naming the line, before the user's command runs.

A tracked run writes a ``running`` checkpoint row when it starts and then at each interval,
then its final row. Only those rows are ever merged on read
(:func:`greenit.parsing.checkpoints.drop_superseded_checkpoints`): a run's last row supersedes its
earlier checkpoints.

This module imports neither pandas nor pint: :mod:`greenit.tracking.supervisor` imports it while the
user's command waits to start.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
import re
import stat
import sys
import uuid
from pathlib import Path
from typing import Any

from greenit.cells import neutralise_text
from greenit.errors import GreenitError, os_reason
from greenit.i18n import msg
from greenit.parsing.formats.tracklog import LOG_COLUMNS, LOG_LAYOUTS, NUMBER_COLUMNS

#: Below this much free space where the log lives, a run is refused before it starts [bytes].
MIN_FREE_BYTES = 1 << 20

#: Logs up to this size are checked line by line before anything else; larger ones while
#: CodeCarbon starts [bytes] (about 3,000 rows).
SCAN_AT_ONCE_BYTES = 1 << 20

#: A text cell longer than this is cut (Excel's limit for one cell is 32,767 characters).
MAX_CELL_CHARS = 32_000

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


# ---------------------------------------------------------------------------------------------
# Writing


def text_cell(value: object) -> str:
    r"""A text cell safe for the log and for a spreadsheet: no formula, no line break, valid UTF-8.

    >>> text_cell("=HYPERLINK(\"http://x\")")
    '\'=HYPERLINK("http://x")'
    >>> text_cell("a\r\nb\x00c")
    'a b c'
    """
    if value is None:
        return ""
    text = str(value).encode("utf-8", "replace").decode("utf-8")  # lone surrogates from argv
    text = _CONTROL.sub(" ", text)[:MAX_CELL_CHARS]
    return str(neutralise_text(text))


def number_cell(value: object, digits: int = 9) -> str:
    """A number as the log writes it: ``digits`` significant digits, empty when missing or not finite.

    >>> number_cell(0.1 + 0.2), number_cell(float("nan")), number_cell(None), number_cell(3)
    ('0.3', '', '', '3')
    """
    if value is None or isinstance(value, bool):
        return ""
    try:
        number = float(value)  # type: ignore[arg-type]  # anything float() takes; else empty
    except (TypeError, ValueError):
        return ""
    if not math.isfinite(number):
        return ""
    if isinstance(value, int):
        return str(value)
    return f"{number:.{digits}g}"


def encode_row(row: dict[str, Any], columns: list[str] = LOG_COLUMNS) -> bytes:
    """One log line (with its newline) for ``row`` in the layout ``columns``; columns missing
    from ``row`` are left empty, keys of ``row`` not in ``columns`` are not written.
    """
    cells = []
    for column in columns:
        value = row.get(column)
        if column in NUMBER_COLUMNS:
            cells.append(value if isinstance(value, str) and _is_number_text(value) else number_cell(value))
        else:
            cells.append(text_cell(value))
    return _csv_line(cells)


def _csv_line(cells: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue().encode("utf-8")


def _is_number_text(text: str) -> bool:
    if text == "":
        return True
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


class TrackLog:
    """A CSV run log shared by concurrent runs: checked before a run, appended one whole line at a time."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._scan_pending = False

    def check(self) -> None:
        """Refuse, before the command runs, a log that this run could not append its rows to.

        Raises :class:`GreenitError` when the folder is missing, the location cannot be written,
        the disk is (nearly) full, the file is not a regular file, its header is not the track
        log's, or one of its lines is damaged (the error names the line). A log larger than
        :data:`SCAN_AT_ONCE_BYTES` has its header and its end checked here and its lines by
        :meth:`scan`, which a run calls while CodeCarbon starts (100,000 rows take about 0.5 s).
        """
        folder = self.path.parent
        if self.path.is_dir():
            raise GreenitError.of("tracking.log.is_folder", "tracking.log.other_hint", path=str(self.path))
        if not folder.is_dir():
            raise GreenitError.of("tracking.log.no_folder", "tracking.log.no_folder_hint", folder=str(folder))
        exists = self.path.exists()
        if exists and not stat.S_ISREG(self.path.stat().st_mode):
            raise GreenitError.of("tracking.log.not_a_file", "tracking.log.other_hint", path=str(self.path))
        self._check_writable(exists)
        self._check_space()
        self._scan_pending = exists and self.path.stat().st_size > SCAN_AT_ONCE_BYTES
        if self._scan_pending:
            check_log_ends(self.path)
        elif exists:
            check_log_text(self.path.read_bytes(), self.path)

    def scan(self) -> None:
        """Check every line of a large log that :meth:`check` left for later (else nothing)."""
        if self._scan_pending:
            check_log_text(self.path.read_bytes(), self.path)
            self._scan_pending = False

    def _check_writable(self, exists: bool) -> None:
        probe = self.path if exists else self.path.parent / f".greenit-probe-{uuid.uuid4().hex}"
        flags = os.O_RDWR | (os.O_APPEND if exists else os.O_CREAT | os.O_EXCL)
        try:
            fd = os.open(probe, flags, 0o644)
        except OSError as error:
            raise GreenitError.of(
                "tracking.log.read_only",
                "tracking.log.other_hint",
                path=str(self.path),
                error=os_reason(error),
            ) from error
        os.close(fd)
        if not exists:
            with contextlib.suppress(OSError):
                os.unlink(probe)

    def _check_space(self) -> None:
        try:
            usage = os.statvfs(self.path.parent)
        except (OSError, AttributeError):  # no statvfs (Windows): the write itself is checked
            return
        free = usage.f_bavail * usage.f_frsize
        if free < MIN_FREE_BYTES:
            raise GreenitError.of(
                "tracking.log.disk_full", "tracking.log.other_hint", path=str(self.path), free=free
            )

    def append(self, row: dict[str, Any]) -> None:
        """Append ``row`` (and the header if the file is new) as whole lines, under an exclusive lock.

        The bytes written are checked; on any failure the file is cut back to its size before
        this append and :class:`GreenitError` is raised, so a partial line never stays behind.
        """
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as error:
            raise self._write_error(error) from error
        try:
            _lock(fd)
            try:
                _append_locked(fd, row)
            finally:
                _unlock(fd)
        except OSError as error:
            raise self._write_error(error) from error
        finally:
            os.close(fd)

    def _write_error(self, error: OSError) -> GreenitError:
        return GreenitError.of(
            "tracking.log.write_failed",
            "tracking.log.write_failed_hint",
            path=str(self.path),
            error=os_reason(error),
        )


def _append_locked(fd: int, row: dict[str, Any]) -> None:
    """Write ``row`` at the end of the locked file ``fd`` in the file's layout, all of it or nothing."""
    size = os.fstat(fd).st_size
    if size == 0:
        line = _csv_line(LOG_COLUMNS) + encode_row(row)
    else:
        line = encode_row(row, _layout_of(fd))
    if size and _last_byte(fd, size) != b"\n":
        line = b"\n" + line  # a damaged last line stays its own line, never glued to this row
    try:
        _write_all(fd, line)
        os.fsync(fd)
    except OSError:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, size)
        raise


def _layout_of(fd: int) -> list[str]:
    """The columns of the log open as ``fd`` (one of :data:`LOG_LAYOUTS`; the current one when
    its header is none of them: :meth:`TrackLog.check` refused such a log before the run).
    """
    if hasattr(os, "pread"):
        head = os.pread(fd, 1 << 16, 0)
    else:  # Windows: appends still go to the end
        os.lseek(fd, 0, os.SEEK_SET)
        head = os.read(fd, 1 << 16)
    text = head.split(b"\n", 1)[0].decode("utf-8-sig", "replace").rstrip("\r")
    for layout in LOG_LAYOUTS:
        if text == ",".join(layout):
            return layout
    return LOG_COLUMNS


def _last_byte(fd: int, size: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, 1, size - 1)
    os.lseek(fd, size - 1, os.SEEK_SET)  # Windows: appends still go to the end
    return os.read(fd, 1)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(28, os.strerror(28))  # ENOSPC: the disk took nothing
        view = view[written:]


def _lock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


# ---------------------------------------------------------------------------------------------
# Checking a log before appending to it


def check_log_text(data: bytes, path: Path) -> None:
    """Raise :class:`GreenitError` naming the first damaged line of the track log ``data``.

    Line 1 is the header. Damage: bytes that are not UTF-8, a NUL character, a header that
    is not the track log's, a row with the wrong number of cells, a number cell that is not
    a finite number, a last line with no end (a write cut short).
    """
    if not data:
        return
    text = _decode(data, path)
    if "\x00" in text:
        raise _damaged(path, text.count("\n", 0, text.index("\x00")) + 1, msg("tracking.log.problem.nul"))
    unfinished = None if text.endswith("\n") else text.count("\n") + 1  # the line a cut write left
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        if header not in LOG_LAYOUTS:
            raise GreenitError.of("tracking.log.other_format", "tracking.log.other_hint", path=str(path))
        positions = [(i, c) for i, c in enumerate(header) if c in NUMBER_COLUMNS]
        for cells in reader:
            problem = _row_problem(cells, len(header), positions)
            if problem is not None and reader.line_num == unfinished:
                problem = msg("tracking.log.problem.unfinished")
            if problem is not None:
                raise _damaged(path, reader.line_num, problem)
    except csv.Error as error:
        raise _damaged(path, reader.line_num, msg("tracking.log.problem.csv", error=str(error))) from None
    if unfinished is not None:
        raise _damaged(path, unfinished, msg("tracking.log.problem.unfinished"))


def check_log_ends(path: Path) -> None:
    """The quick check of a large log: its header, and a last line that is finished."""
    with path.open("rb") as handle:
        head = handle.readline(1 << 16)
        handle.seek(-1, os.SEEK_END)
        last = handle.read(1)
    if head.decode("utf-8-sig", "replace").rstrip("\r\n") not in {",".join(layout) for layout in LOG_LAYOUTS}:
        raise GreenitError.of("tracking.log.other_format", "tracking.log.other_hint", path=str(path))
    if last != b"\n":
        with path.open("rb") as handle:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
        raise _damaged(path, lines + 1, msg("tracking.log.problem.unfinished"))


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise _damaged(path, line, msg("tracking.log.problem.encoding")) from None


def _row_problem(cells: list[str], width: int, positions: list[tuple[int, str]]):
    """Why a data row of a ``width``-column log is damaged (a catalogue message), or None when whole."""
    if len(cells) != width:
        return msg("tracking.log.problem.cells", found=len(cells), expected=width)
    for index, column in positions:
        if not _is_number_text(cells[index]):
            return msg("tracking.log.problem.number", column=column, value=cells[index][:40])
    return None


def _damaged(path: Path, line: int, problem) -> GreenitError:
    return GreenitError.of(
        "tracking.log.damaged", "tracking.log.damaged_hint", path=str(path), line=line, problem=problem
    )
