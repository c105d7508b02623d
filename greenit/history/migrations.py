"""The history file's schema, its version (``PRAGMA user_version``) and the steps between versions.

A greenit history is an SQLite file whose ``PRAGMA application_id`` is :data:`APPLICATION_ID`
(the bytes ``GrIt``): a file without it is not greenit's and is never written to. Its
``PRAGMA user_version`` is the version of its layout. Each step of :data:`MIGRATIONS` brings a
file from one version to the next; :func:`migrate` runs the steps a file lacks inside the
command's own transaction, so an interrupted upgrade leaves the file as it was.

Version 1 (greenit 0.x, 2026):

- ``years`` — one row per organisation and year: the options and the result JSON (every key
  the result has, kept as written), its totals for listing, the factor set and the user's
  factor tables it was estimated with;
- ``frames`` — the normalised rows of a year (``inventory``, ``runs``, ``usage``) as Parquet;
- ``inputs`` — the files read, with their SHA-256;
- ``factor_sets`` — the factor tables a year was estimated with, stored once per content;
- ``overlays`` — the user's ``--factors`` files as given, stored once per content;
- ``targets`` — reduction targets: baseline, reduction, target year, the baseline restated;
- ``meta`` — which greenit created the file, and when.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: ``PRAGMA application_id`` of a greenit history: the bytes "GrIt".
APPLICATION_ID = int.from_bytes(b"GrIt", "big")

_VERSION_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE factor_sets (
    sha256 TEXT PRIMARY KEY,
    version TEXT NOT NULL,
    tables BLOB NOT NULL
);
CREATE TABLE overlays (
    sha256 TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('file', 'folder')),
    files BLOB NOT NULL
);
CREATE TABLE years (
    id INTEGER PRIMARY KEY,
    organisation TEXT NOT NULL DEFAULT '',
    year INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    greenit_version TEXT NOT NULL,
    factors_version TEXT NOT NULL,
    factor_set TEXT NOT NULL REFERENCES factor_sets(sha256),
    overlay TEXT REFERENCES overlays(sha256),
    options TEXT NOT NULL,
    result TEXT NOT NULL,
    total_kgco2e REAL NOT NULL,
    total_low_kgco2e REAL NOT NULL,
    total_high_kgco2e REAL NOT NULL,
    UNIQUE (organisation, year)
);
CREATE TABLE inputs (
    year_id INTEGER NOT NULL REFERENCES years(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('inventory', 'ai')),
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (year_id, position)
);
CREATE TABLE frames (
    year_id INTEGER NOT NULL REFERENCES years(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('inventory', 'runs', 'usage')),
    rows INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (year_id, kind)
);
CREATE TABLE targets (
    organisation TEXT NOT NULL,
    together INTEGER NOT NULL CHECK (together IN (0, 1)),
    baseline_year INTEGER NOT NULL,
    reduction REAL NOT NULL,
    target_year INTEGER NOT NULL,
    baseline_kgco2e REAL NOT NULL,
    factors_version TEXT NOT NULL,
    factors_sha256 TEXT NOT NULL,
    set_at TEXT NOT NULL,
    PRIMARY KEY (organisation, together)
);
"""


@dataclass(frozen=True)
class Step:
    """What brings a file from version ``version - 1`` to ``version``."""

    version: int
    apply: Callable[[sqlite3.Connection], None]


def _create_version_1(connection: sqlite3.Connection) -> None:
    for statement in _VERSION_1.split(";"):
        if statement.strip():
            connection.execute(statement)


#: Every step, in order; the last one's version is the version this greenit writes.
MIGRATIONS: tuple[Step, ...] = (Step(1, _create_version_1),)


def current_version(steps: Sequence[Step] = MIGRATIONS) -> int:
    """The layout version this greenit writes."""
    return steps[-1].version


def migrate(connection: sqlite3.Connection, found: int, steps: Sequence[Step] = MIGRATIONS) -> int:
    """Run the steps after version ``found`` on ``connection`` (inside the caller's transaction);
    the version reached.
    """
    for step in steps:
        if step.version > found:
            step.apply(connection)
            connection.execute(f"PRAGMA user_version = {int(step.version)}")
            found = step.version
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    return found
