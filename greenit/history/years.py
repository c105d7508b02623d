"""What a recorded year holds, and the SQL that writes, lists, reads and removes it.

Every function takes a connection inside the command's one transaction
(:meth:`greenit.history.store.HistoryStore.writing` or ``reading``). The organisation is ``None``
for a history that does not name one; the file keeps it as ``''``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

import pandas as pd

from greenit.errors import GreenitError
from greenit.factors import FactorSet
from greenit.history.frames import frame_from_parquet, frame_to_parquet
from greenit.history.snapshots import Overlay, Packed, pack_factor_set, unpack_factor_set
from greenit.results.jsonsafe import json_ready

#: The keys of an entry of ``history list --json`` (DESIGN.md, Wave 3 contracts), in order.
ENTRY_KEYS = (
    "organisation",
    "year",
    "total_kgco2e",
    "total_low_kgco2e",
    "total_high_kgco2e",
    "factors_version",
    "target_kgco2e",
)


@dataclass
class YearRecord:
    """One organisation's year: its result, and what is needed to estimate it again."""

    year: int
    organisation: str | None
    result: dict  # summary.json's object (without levers), every key kept as computed
    options: dict  # how it was estimated: method, country, grid factor, reading options, AI options
    inputs: list[dict]  # {"kind": "inventory" | "ai", "name", "sha256", "size"}
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)  # inventory, runs, usage
    factors: FactorSet | None = None  # the factor set it was estimated with
    overlay: Overlay | None = None  # the user's --factors as given
    factors_version: str = ""
    recorded_at: str = ""
    greenit_version: str = ""
    factor_set_sha256: str = ""

    @property
    def totals(self) -> dict[str, float]:
        headline = self.result["headline"]
        return {k: float(headline[k]) for k in ("total_kgco2e", "total_low_kgco2e", "total_high_kgco2e")}


def _key(organisation: str | None) -> str:
    return organisation or ""


def year_exists(connection: sqlite3.Connection, year: int, organisation: str | None) -> bool:
    found = connection.execute(
        "SELECT 1 FROM years WHERE organisation = ? AND year = ?", (_key(organisation), year)
    ).fetchone()
    return found is not None


def _store_blobs(connection: sqlite3.Connection, record: YearRecord) -> tuple[str, str | None]:
    """The factor set and the overlay, each stored once per content: their keys."""
    assert record.factors is not None
    packed: Packed = pack_factor_set(record.factors)
    connection.execute(
        "INSERT OR IGNORE INTO factor_sets (sha256, version, tables) VALUES (?, ?, ?)",
        (packed.sha256, record.factors.version, packed.data),
    )
    if record.overlay is None:
        return packed.sha256, None
    overlay = record.overlay.pack()
    connection.execute(
        "INSERT OR IGNORE INTO overlays (sha256, name, kind, files) VALUES (?, ?, ?, ?)",
        (overlay.sha256, record.overlay.name, record.overlay.kind, overlay.data),
    )
    return packed.sha256, overlay.sha256


def insert_year(connection: sqlite3.Connection, record: YearRecord, *, replace: bool) -> None:
    """Write ``record``; an existing year is an error unless ``replace``."""
    if year_exists(connection, record.year, record.organisation):
        if not replace:
            raise year_exists_error(record.year, record.organisation)
        delete_year(connection, record.year, record.organisation)
    factor_set, overlay = _store_blobs(connection, record)
    totals = record.totals
    cursor = connection.execute(
        "INSERT INTO years (organisation, year, recorded_at, greenit_version, factors_version, factor_set,"
        " overlay, options, result, total_kgco2e, total_low_kgco2e, total_high_kgco2e)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            _key(record.organisation),
            record.year,
            record.recorded_at,
            record.greenit_version,
            record.factors_version,
            factor_set,
            overlay,
            json.dumps(json_ready(record.options), ensure_ascii=False),
            json.dumps(json_ready(record.result), ensure_ascii=False),
            totals["total_kgco2e"],
            totals["total_low_kgco2e"],
            totals["total_high_kgco2e"],
        ),
    )
    year_id = int(cursor.lastrowid or 0)
    connection.executemany(
        "INSERT INTO inputs (year_id, position, kind, name, sha256, size) VALUES (?, ?, ?, ?, ?, ?)",
        [(year_id, i, f["kind"], f["name"], f["sha256"], f["size"]) for i, f in enumerate(record.inputs)],
    )
    write_frames(connection, year_id, record.frames)


def write_frames(connection: sqlite3.Connection, year_id: int, frames: dict[str, pd.DataFrame]) -> None:
    """The normalised rows of a year, as Parquet (the last and largest write of ``add``)."""
    connection.executemany(
        "INSERT INTO frames (year_id, kind, rows, data) VALUES (?, ?, ?, ?)",
        [(year_id, kind, len(frame), frame_to_parquet(frame)) for kind, frame in frames.items()],
    )


def year_exists_error(year: int, organisation: str | None) -> GreenitError:
    if organisation:
        return GreenitError.of(
            "history.year_exists_of", "history.year_exists_hint", year=year, organisation=organisation
        )
    return GreenitError.of("history.year_exists", "history.year_exists_hint", year=year)


def delete_year(connection: sqlite3.Connection, year: int, organisation: str | None) -> bool:
    """Remove a year (its rows and inputs with it; tables no year uses any more too)."""
    cursor = connection.execute(
        "DELETE FROM years WHERE organisation = ? AND year = ?", (_key(organisation), year)
    )
    connection.execute("DELETE FROM factor_sets WHERE sha256 NOT IN (SELECT factor_set FROM years)")
    connection.execute(
        "DELETE FROM overlays WHERE sha256 NOT IN (SELECT overlay FROM years WHERE overlay IS NOT NULL)"
    )
    return cursor.rowcount > 0


def list_years(
    connection: sqlite3.Connection, organisation: str | None = None, every: bool = True
) -> list[dict]:
    """Recorded years, oldest first: organisation, year, totals, factors and greenit versions."""
    query = (
        "SELECT organisation, year, total_kgco2e, total_low_kgco2e, total_high_kgco2e, factors_version,"
        " recorded_at, greenit_version FROM years"
    )
    arguments: tuple = ()
    if not every:
        query += " WHERE organisation = ?"
        arguments = (_key(organisation),)
    rows = connection.execute(query + " ORDER BY year, organisation", arguments).fetchall()
    names = ("organisation", "year", *ENTRY_KEYS[2:6], "recorded_at", "greenit_version")
    return [dict(zip(names, (row[0] or None, *row[1:]), strict=True)) for row in rows]


def organisations(connection: sqlite3.Connection) -> list[str | None]:
    rows = connection.execute("SELECT DISTINCT organisation FROM years ORDER BY organisation").fetchall()
    return [row[0] or None for row in rows]


def load_year(
    connection: sqlite3.Connection, year: int, organisation: str | None, *, frames: bool = True
) -> YearRecord:
    """A recorded year (with its rows and factor tables when ``frames``); an error when absent."""
    row = connection.execute(
        "SELECT id, recorded_at, greenit_version, factors_version, factor_set, overlay, options, result"
        " FROM years WHERE organisation = ? AND year = ?",
        (_key(organisation), year),
    ).fetchone()
    if row is None:
        raise year_missing_error(connection, year, organisation)
    year_id, recorded_at, version, factors_version, factor_set, overlay, options, result = row
    inputs = connection.execute(
        "SELECT kind, name, sha256, size FROM inputs WHERE year_id = ? ORDER BY position", (year_id,)
    ).fetchall()
    record = YearRecord(
        year=year,
        organisation=organisation or None,
        result=json.loads(result),
        options=json.loads(options),
        inputs=[dict(zip(("kind", "name", "sha256", "size"), i, strict=True)) for i in inputs],
        factors_version=factors_version,
        recorded_at=recorded_at,
        greenit_version=version,
        factor_set_sha256=factor_set,
    )
    if frames:
        _load_blobs(connection, record, year_id, factor_set, overlay)
    return record


def _load_blobs(connection, record: YearRecord, year_id: int, factor_set: str, overlay: str | None) -> None:
    for kind, data in connection.execute("SELECT kind, data FROM frames WHERE year_id = ?", (year_id,)):
        record.frames[kind] = frame_from_parquet(data)
    (tables,) = connection.execute(
        "SELECT tables FROM factor_sets WHERE sha256 = ?", (factor_set,)
    ).fetchone()
    record.factors = unpack_factor_set(tables)
    if overlay is not None:
        (files,) = connection.execute("SELECT files FROM overlays WHERE sha256 = ?", (overlay,)).fetchone()
        record.overlay = Overlay.unpack(files)


def year_missing_error(connection: sqlite3.Connection, year: int, organisation: str | None) -> GreenitError:
    known = [str(r["year"]) for r in list_years(connection, organisation, every=organisation is None)]
    return GreenitError.of(
        "history.year_missing", "history.year_missing_hint", year=year, known=", ".join(known) or "—"
    )
