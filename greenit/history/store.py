"""The history file: whose it is, which version, one transaction per command, errors in French.

Every command opens the file, checks that it is greenit's (``PRAGMA application_id``) and that
its layout is one this greenit knows (``PRAGMA user_version``) before anything is written, then
does all of its writing in one ``BEGIN IMMEDIATE`` … ``COMMIT``: a ``kill -9``, a full disk or
a power cut leaves the file as it was before the command (SQLite's write-ahead log, WAL). Two
commands at once wait for each other (busy timeout) instead of failing or corrupting the file;
readers never wait for a writer. What SQLite refuses becomes one French line (exit 2).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from greenit.errors import GreenitError
from greenit.history.migrations import APPLICATION_ID, MIGRATIONS, Step, current_version, migrate

#: The history file when ``--db`` is not given, in the current folder.
DEFAULT_PATH = "greenit-historique.sqlite"
#: Seconds a command waits for another one writing the same file before giving up.
BUSY_TIMEOUT_S = 30.0

#: SQLite's error name → catalogue entry of what it means for the user.
_ERRORS = {
    "SQLITE_BUSY": "history.locked",
    "SQLITE_LOCKED": "history.locked",
    "SQLITE_FULL": "history.disk_full",
    "SQLITE_NOTADB": "history.not_greenit",
    "SQLITE_CORRUPT": "history.damaged",
    "SQLITE_CANTOPEN": "history.cannot_open",
    "SQLITE_PERM": "history.read_only",
    "SQLITE_AUTH": "history.read_only",
}


def sqlite_error(error: sqlite3.Error, path: Path) -> GreenitError:
    """What SQLite refused, as the user's error (path named, SQLite's words kept for the rest)."""
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_READONLY"):
        return GreenitError.of("history.read_only", "history.read_only_hint", path=path)
    key = _ERRORS.get("_".join(name.split("_")[:2]))  # SQLITE_CANTOPEN_ISDIR → SQLITE_CANTOPEN
    if key is None:
        return GreenitError.of("history.sqlite_error", None, path=path, error=str(error))
    return GreenitError.of(key, f"{key}_hint", path=path, error=str(error))


class HistoryStore:
    """One history file; :meth:`reading` and :meth:`writing` give a checked connection."""

    def __init__(self, path: str | Path = DEFAULT_PATH, *, timeout: float | None = None, steps=None):
        self.path = Path(path)
        self.timeout = BUSY_TIMEOUT_S if timeout is None else timeout
        self.steps: Sequence[Step] = steps if steps is not None else MIGRATIONS

    def _connect(self, mode: str) -> sqlite3.Connection:
        uri = f"file:{quote(str(self.path.absolute()))}?mode={mode}"
        if mode == "ro" and self._read_only_place():
            uri += "&immutable=1"  # SQLite could not even keep its read marks beside the file
        connection = sqlite3.connect(uri, uri=True, timeout=self.timeout, isolation_level=None)
        connection.execute("PRAGMA foreign_keys = ON")
        return connection

    def _writable(self) -> bool:
        folder = self.path.absolute().parent  # the write-ahead log is created beside the file
        return os.access(self.path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)

    def _read_only_place(self) -> bool:
        """A file (or folder) no one can write to, whose log holds nothing: read as it is."""
        wal = Path(f"{self.path}-wal")
        return not self._writable() and (not wal.exists() or wal.stat().st_size == 0)

    def _version(self, connection: sqlite3.Connection) -> int:
        """The file's layout version (0: empty); an error when it is not greenit's or too new."""
        application = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if application != APPLICATION_ID:
            tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if application != 0 or version != 0 or tables:
                raise GreenitError.of("history.not_greenit", "history.not_greenit_hint", path=self.path)
            return 0
        known = current_version(self.steps)
        if version > known:
            raise GreenitError.of(
                "history.newer", "history.newer_hint", path=self.path, found=version, known=known
            )
        return version

    def _check_place(self, write: bool) -> None:
        if self.path.is_dir():
            raise GreenitError.of("history.is_folder", "history.is_folder_hint", path=self.path)
        if not self.path.exists():
            if not write:
                raise GreenitError.of("history.missing", "history.missing_hint", path=self.path)
            folder = self.path.absolute().parent
            if not folder.is_dir():
                raise GreenitError.of("history.no_folder", None, path=self.path, folder=folder)
        if write and not (
            self._writable()
            if self.path.exists()
            else os.access(self.path.absolute().parent, os.W_OK | os.X_OK)
        ):
            raise GreenitError.of("history.read_only", "history.read_only_hint", path=self.path)

    def check(self, *, write: bool) -> int:
        """Check the file before a command spends time estimating (nothing written); its version."""
        self._check_place(write)
        if not self.path.exists():
            return 0
        try:
            connection = self._connect("ro")
            try:
                return self._version(connection)
            finally:
                connection.close()
        except sqlite3.Error as error:
            raise sqlite_error(error, self.path) from None

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A connection for reading (an older layout is brought up to date first)."""
        if self.check(write=False) < current_version(self.steps):
            with self.writing():
                pass
        try:  # read-write where allowed, though it only reads: the last to close tidies the log away
            connection = self._connect("ro" if self._read_only_place() or not self._writable() else "rw")
        except sqlite3.Error as error:
            raise sqlite_error(error, self.path) from None
        try:
            connection.execute("BEGIN")
            yield connection
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            raise sqlite_error(error, self.path) from None
        finally:
            connection.close()

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One transaction: everything written in it lands, or nothing does."""
        self.check(write=True)
        created = not self.path.exists()
        connection = None
        try:
            connection = self._connect("rwc")
            if self._version(connection) == 0:
                connection.execute("PRAGMA journal_mode = WAL")  # kept by the file; not inside a transaction
            connection.execute("BEGIN IMMEDIATE")
            found = self._version(connection)  # again: another command may have written meanwhile
            if found < current_version(self.steps):
                migrate(connection, found, self.steps)
            yield connection
            connection.execute("COMMIT")
        except BaseException as error:
            if connection is not None and connection.in_transaction:
                connection.execute("ROLLBACK")
            if created:
                self._remove_created(connection)
                connection = None
            if isinstance(error, sqlite3.Error):
                raise sqlite_error(error, self.path) from None
            raise
        finally:
            if connection is not None:
                connection.close()

    def _remove_created(self, connection: sqlite3.Connection | None) -> None:
        """A file this command created and could not fill is removed: nothing written. Unless
        another command filled it meanwhile (two first ``add`` at once): that one's year stays.
        """
        if connection is not None:
            try:
                empty = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
            except sqlite3.Error:
                empty = False
            connection.close()
            if not empty:
                return
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
