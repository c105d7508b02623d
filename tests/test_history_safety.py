"""The history file stays sound: killed in the middle of a write, on a full disk, locked, read-only,
written by two commands at once, older or newer than this greenit, or not greenit's at all.

Each refusal is one French line, exit 2, and leaves the file byte for byte as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from contextlib import closing
from pathlib import Path

import pytest
from test_history import YEARS, plain

from conftest import ROOT

GREENIT = [sys.executable, "-m", "greenit"]


def greenit_run(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*GREENIT, *map(str, args)], capture_output=True, text=True, cwd=ROOT, **kwargs)


def connected(path: Path):
    """A connection closed at the end of the block (sqlite3's own ``with`` only commits)."""
    return closing(sqlite3.connect(path, isolation_level=None))


def years_in(path: Path) -> list[int]:
    with connected(path) as connection:
        return [row[0] for row in connection.execute("SELECT year FROM years ORDER BY year")]


def sound(path: Path) -> bool:
    with connected(path) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def snapshot(path: Path) -> dict[str, bytes]:
    """What the file holds: its bytes and its write-ahead log's (empty where there is none). The
    ``-shm`` index is no data: every reader marks it.
    """
    wal = Path(f"{path}-wal")
    return {"file": path.read_bytes(), "wal": wal.read_bytes() if wal.exists() else b""}


@pytest.fixture(scope="module")
def one_year(tmp_path_factory):
    """A history holding 2023 only."""
    import greenit

    path = tmp_path_factory.mktemp("un_an") / "greenit-historique.sqlite"
    greenit.History(path).add(YEARS[2023], year=2023)
    return path


@pytest.fixture
def db(one_year, tmp_path):
    target = tmp_path / "greenit-historique.sqlite"
    shutil.copy(one_year, target)
    return target


def test_a_new_history_is_greenits_versioned_and_in_wal(db):
    from greenit.history.migrations import APPLICATION_ID, current_version

    with connected(db) as connection:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID == 0x47724974
        assert connection.execute("PRAGMA user_version").fetchone()[0] == current_version() == 1
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# --- killed, full, locked ----------------------------------------------------------------------------

KILLED_MID_WRITE = textwrap.dedent(
    """
    import sys, time
    import greenit.history.store as store
    import greenit.history.years as years
    from greenit.cli import main

    written, connect = years.write_frames, store.HistoryStore._connect

    def small_cache(self, mode):         # pages spill to the log before the commit, as a large
        connection = connect(self, mode)   # inventory's would: the kill finds them half-written
        connection.execute("PRAGMA cache_size = 5")
        return connection

    def write_then_wait(*args, **kwargs):
        written(*args, **kwargs)          # the rows are in the log, the transaction not committed
        print("WRITING", flush=True)
        time.sleep(120)

    years.write_frames = write_then_wait
    store.HistoryStore._connect = small_cache
    sys.argv = ["greenit", *sys.argv[1:]]
    main()
    """
)


@pytest.mark.slow
def test_a_kill_9_in_the_middle_of_add_leaves_the_recorded_years_intact(db, tmp_path):
    script = tmp_path / "killed.py"
    script.write_text(KILLED_MID_WRITE, encoding="utf-8")
    args = ["history", "add", str(YEARS[2024]), "--year", "2024", "--db", str(db)]
    process = subprocess.Popen(
        [sys.executable, str(script), *args], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert process.stdout.readline().strip() == "WRITING"
    assert Path(f"{db}-wal").stat().st_size > 30_000  # 2024's rows reached the write-ahead log
    process.kill()  # SIGKILL: no handler, no rollback, no close
    process.wait(10)
    assert sound(db)
    assert years_in(db) == [2023]
    proc = greenit_run("history", "add", YEARS[2024], "--year", 2024, "--db", db)  # and the file goes on
    assert proc.returncode == 0, proc.stderr
    assert years_in(db) == [2023, 2024] and sound(db)


@pytest.mark.slow
def test_kills_at_any_moment_leave_a_year_whole_or_absent(db):
    import greenit

    expected = greenit.estimate_files([YEARS[2024]], year=2024).result()["totals"]["total_kgco2e"]
    for delay in (0.4, 1.2, 1.8, 2.4):  # reading, estimating, writing: wherever the kill lands
        process = subprocess.Popen(
            [*GREENIT, "history", "add", str(YEARS[2024]), "--year", "2024", "--replace", "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
        )
        time.sleep(delay)
        process.kill()
        process.wait(10)
        assert sound(db)
        assert years_in(db) in ([2023], [2023, 2024])
        if years_in(db) == [2023, 2024]:  # landed: whole, its rows read back and estimate again
            restated = greenit.History(db).restate(2024)
            assert restated["inventory"]["totals"]["total_kgco2e"] == pytest.approx(expected, rel=1e-8)


def test_a_full_disk_during_add_records_nothing_and_keeps_the_years(db, monkeypatch, run_cli):
    from greenit.history import store

    connect = store.HistoryStore._connect

    def nearly_full(self, mode):
        connection = connect(self, mode)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages + 3}")  # a few pages left on the "disk"
        return connection

    monkeypatch.setattr(store.HistoryStore, "_connect", nearly_full)
    code, _, err = run_cli("history", "add", YEARS[2024], "--year", "2024", "--db", db)
    assert code == 2
    assert (
        "le disque est plein ; rien n'a été enregistré, les années déjà enregistrées sont intactes"
        in plain(err)
    )
    monkeypatch.undo()
    assert years_in(db) == [2023] and sound(db)


def test_a_history_locked_by_another_program_is_refused_after_waiting(db, monkeypatch, run_cli):
    from greenit.history import store

    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.3)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program writing, and not letting go
    try:
        started = time.monotonic()
        code, _, err = run_cli("history", "add", YEARS[2024], "--year", "2024", "--db", db)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 2
    assert "fichier verrouillé par un autre programme depuis trop longtemps ; rien n'a été écrit" in plain(
        err
    )
    assert waited >= 0.3
    assert years_in(db) == [2023] and sound(db)


@pytest.mark.slow
@pytest.mark.parametrize("start", ["existing", "new"])
def test_two_adds_at_once_both_land(db, tmp_path, start):
    path = db if start == "existing" else tmp_path / "nouveau.sqlite"
    processes = [
        subprocess.Popen(
            [*GREENIT, "history", "add", str(YEARS[year]), "--year", str(year), "--db", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for year in (2024, 2025)
    ]
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    assert years_in(path) == ([2023] if start == "existing" else []) + [2024, 2025]
    assert sound(path)


# --- not greenit's, newer, read-only --------------------------------------------------------------------


def _other_database(path: Path) -> Path:
    with connected(path) as connection:
        connection.execute("CREATE TABLE contacts (name TEXT)")
        connection.execute("INSERT INTO contacts VALUES ('Mairie')")
    return path


def _other_application(path: Path) -> Path:
    with connected(path) as connection:
        connection.execute("PRAGMA application_id = 1234")
        connection.execute("CREATE TABLE years (year INTEGER)")
    return path


def _not_sqlite(path: Path) -> Path:
    path.write_bytes(YEARS[2023].read_bytes()[:5000])  # an inventory given as --db by mistake
    return path


@pytest.mark.parametrize("make", [_other_database, _other_application, _not_sqlite])
@pytest.mark.parametrize(
    "command", [["add", str(YEARS[2024]), "--year", "2024"], ["list"], ["compare", "2023", "2024"]]
)
def test_a_file_that_is_not_a_greenit_history_is_never_written(make, command, tmp_path, run_cli):
    path = make(tmp_path / "autre.sqlite")
    before = snapshot(path)
    code, _, err = run_cli("history", *command, "--db", path)
    assert code == 2
    assert f"« {path} » n'est pas un historique greenit" in plain(err)
    assert len(err.strip().splitlines()) <= 2
    assert snapshot(path) == before


def test_a_history_written_by_a_newer_greenit_is_never_written(db, run_cli):
    with connected(db) as connection:
        connection.execute("PRAGMA user_version = 7")
    before = snapshot(db)
    for command in (
        ["add", YEARS[2024], "--year", "2024"],
        ["list"],
        ["target", "--baseline", "2023", "--reduction", "10%", "--by", "2030"],
    ):
        code, _, err = run_cli("history", *command, "--db", db)
        assert code == 2
        assert "écrit par un greenit plus récent (schéma 7, celui-ci connaît jusqu'au schéma 1)" in plain(err)
        assert snapshot(db) == before


def _as_nobody() -> dict:
    """Run a subprocess as an unprivileged user when the tests run as root (root writes anywhere)."""
    return {"user": 65534, "group": 65534, "env": {**os.environ, "HOME": "/tmp"}} if os.geteuid() == 0 else {}


@pytest.mark.slow
def test_a_read_only_history_is_read_but_never_written(one_year):
    folder = Path(tempfile.mkdtemp(prefix="greenit-lecture-seule-"))
    try:
        path = folder / "greenit-historique.sqlite"
        shutil.copy(one_year, path)
        path.chmod(0o444)
        folder.chmod(0o555)
        before = snapshot(path)
        proc = greenit_run("history", "add", YEARS[2024], "--year", 2024, "--db", path, **_as_nobody())
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        assert (
            "fichier ou dossier en lecture seule, impossible d'y enregistrer ; rien n'a été écrit"
            in plain(proc.stderr)
        )
        proc = greenit_run("history", "list", "--json", "--db", path, **_as_nobody())
        assert proc.returncode == 0, proc.stderr  # reading a read-only history works
        assert '"year": 2023' in proc.stdout
        assert snapshot(path) == before
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


# --- migrations ------------------------------------------------------------------------------------------


def _notes_column(connection: sqlite3.Connection) -> None:
    """A made-up version 2: a ``notes`` column on years, filled for the years already there."""
    connection.execute("ALTER TABLE years ADD COLUMN notes TEXT")
    connection.execute("UPDATE years SET notes = 'version 1'")


def _broken_step(connection: sqlite3.Connection) -> None:
    connection.execute("ALTER TABLE years ADD COLUMN notes TEXT")
    connection.execute("UPDATE no_such_table SET x = 1")  # fails half-way


@pytest.mark.parametrize("version", range(0, 1))  # every version before the current one
def test_a_history_of_every_earlier_version_is_brought_up_to_date(version, tmp_path):
    import greenit
    from greenit.history.migrations import MIGRATIONS, current_version
    from greenit.history.store import HistoryStore

    path = tmp_path / "ancien.sqlite"
    sqlite3.connect(path).close()  # version 0: an empty SQLite file
    if version:
        with HistoryStore(path, steps=MIGRATIONS[:version]).writing():
            pass
    greenit.History(path).add(YEARS[2023], year=2023)
    with connected(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == current_version()
    assert years_in(path) == [2023]


def test_a_migration_keeps_the_years_and_an_interrupted_one_changes_nothing(db):
    import greenit
    from greenit.history.migrations import MIGRATIONS, Step
    from greenit.history.store import HistoryStore

    history = greenit.History(db)
    before = snapshot(db)
    history.store = HistoryStore(db, steps=(*MIGRATIONS, Step(2, _broken_step)))
    with pytest.raises(greenit.GreenitError, match="no such table"):
        history.list()
    assert snapshot(db)["file"] == before["file"]
    with connected(db) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "notes" not in [c[1] for c in connection.execute("PRAGMA table_info(years)")]
    history.store = HistoryStore(db, steps=(*MIGRATIONS, Step(2, _notes_column)))
    assert [e["year"] for e in history.list()] == [2023]  # a reading command upgrades the file first
    with connected(db) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
        assert connection.execute("SELECT notes FROM years").fetchall() == [("version 1",)]
    assert history.restate(2023)["inventory"]["totals"]["total_kgco2e"] > 0  # rows still read back


@pytest.mark.parametrize(
    ("place", "said"),
    [
        (lambda tmp: tmp / "pas" / "de" / "dossier.sqlite", "n'existe pas ; rien n'a été écrit"),
        (lambda tmp: tmp, "c'est un dossier, pas un fichier"),
    ],
)
@pytest.mark.parametrize("command", [["add", str(YEARS[2023]), "--year", "2023"], ["list"]])
def test_a_history_in_a_wrong_place_is_one_clear_line(place, said, command, tmp_path, run_cli):
    path = place(tmp_path)
    code, _, err = run_cli("history", *command, "--db", path)
    assert code == 2
    assert said in plain(err) or (command == ["list"] and "aucun fichier à cet endroit" in plain(err))
    assert len(err.strip().splitlines()) <= 2
    assert not (tmp_path / "pas").exists()


def test_a_failed_first_write_never_removes_what_another_command_recorded(tmp_path, monkeypatch):
    """Two first ``add`` at once on a new file: the one that fails must not delete the file the
    other one has just filled (it created the file, but no longer owns what is in it).
    """
    import greenit
    from greenit.history.store import HistoryStore

    path = tmp_path / "nouveau.sqlite"
    connect = HistoryStore._connect
    other = {"done": False}

    def connect_while_another_records(self, mode):
        connection = connect(self, mode)
        if mode == "rwc" and not other["done"]:
            other["done"] = True
            greenit.History(path).add(YEARS[2024], year=2024)  # lands between our open and our write
        return connection

    monkeypatch.setattr(HistoryStore, "_connect", connect_while_another_records)
    with pytest.raises(greenit.GreenitError, match="l'année 2024 est déjà enregistrée"):
        greenit.History(path).add(YEARS[2024], year=2024)
    monkeypatch.undo()
    assert years_in(path) == [2024] and sound(path)


def test_a_failed_first_write_on_a_new_file_leaves_no_file(tmp_path, monkeypatch, run_cli):
    from greenit.history import years

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(years, "write_frames", broken)
    path = tmp_path / "nouveau.sqlite"
    code, _, err = run_cli("history", "add", YEARS[2023], "--year", "2023", "--db", path)
    assert code == 2 and "disk I/O error" in err
    assert list(tmp_path.iterdir()) == []  # nothing written, not even an empty file
