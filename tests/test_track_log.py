"""The track log: refused up front when it could not take the run, whole-line writes, read back.

A refused log never runs the command (a marker file it would create stays absent) and is
left byte for byte as it was. Runs are never merged on read, except a run's own checkpoints.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

import pytest
from track_support import ai_estimate, install_stub, rows, whole_lines

from greenit.errors import GreenitError
from greenit.tracking import tracklog
from greenit.tracking.supervisor import LOG_COLUMNS, run_command
from greenit.tracking.tracklog import TrackLog, check_log_text

HEADER = ",".join(LOG_COLUMNS) + "\n"


@pytest.fixture
def stub(monkeypatch, tmp_path):
    return install_stub(monkeypatch, tmp_path)


def a_row(**cells: str) -> str:
    values = {c: "" for c in LOG_COLUMNS}
    values.update(
        {"run_id": "r1", "status": "completed", "exit_code": "0", "duration [h]": "0.5", "energy [kWh]": "2"}
    )
    values.update(cells)
    return ",".join(values[c] for c in LOG_COLUMNS) + "\n"


def refused(log: Path, tmp_path: Path) -> str:
    """Run a command that would leave a marker; assert it never ran; the error's text."""
    marker = tmp_path / "the-command-ran"
    with pytest.raises(GreenitError) as caught:
        run_command(["touch", str(marker)], log=log)
    assert not marker.exists()
    return caught.value.render("fr")


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        (HEADER + a_row() + a_row()[:-40], 3, "ligne inachevée"),
        (HEADER + a_row() + a_row()[:-1], 3, "ligne inachevée"),
        (
            HEADER + a_row() + a_row().replace(",", ",,", 1) + a_row(),
            3,
            f"{len(LOG_COLUMNS) + 1} cellules au lieu de {len(LOG_COLUMNS)}",
        ),
        (
            HEADER + a_row() + a_row() + a_row(**{"energy [kWh]": "beaucoup"}),
            4,
            "energy [kWh] : « beaucoup »",
        ),
        (HEADER + a_row(**{"emissions [kgCO2e]": "nan"}), 2, "n'est pas un nombre fini"),
        (HEADER + a_row() + a_row(project="caf\xe9"), 3, "UTF-8"),
        (HEADER + a_row(project="a\x00b"), 2, "NUL"),
        # two rows glued by a write that was cut short, as a full disk used to leave them
        (
            HEADER + a_row()[:-1] + a_row(),
            2,
            f"{2 * len(LOG_COLUMNS) - 1} cellules au lieu de {len(LOG_COLUMNS)}",
        ),
    ],
)
def test_a_log_with_a_damaged_line_is_refused_naming_the_line(stub, tmp_path, content, line, problem):
    log = tmp_path / "runs.csv"
    data = content.encode("utf-8").replace(b"caf\xc3\xa9", b"caf\xe9")
    log.write_bytes(data)
    text = refused(log, tmp_path)
    assert f"la ligne {line} est abîmée" in text and problem in text
    assert "la commande n'a pas été lancée" in text
    assert log.read_bytes() == data


def test_the_cli_refuses_a_damaged_log_with_exit_2_and_the_line(run_cli, stub, tmp_path):
    log, marker = tmp_path / "runs.csv", tmp_path / "ran"
    log.write_text(HEADER + a_row() + "r2,oops\n")
    code, _, err = run_cli("track", "--log", log, "--", "touch", marker)
    assert code == 2 and not marker.exists()
    assert f"la ligne 3 est abîmée (2 cellules au lieu de {len(LOG_COLUMNS)})" in err
    assert "→ corrigez ou supprimez cette ligne" in err


def test_a_log_in_another_format_is_refused(stub, tmp_path):
    log = tmp_path / "other.csv"
    log.write_text("a,b\n1,2\n")
    assert "n'est pas un journal greenit track (son en-tête diffère)" in refused(log, tmp_path)
    assert log.read_text() == "a,b\n1,2\n"


def test_a_missing_folder_a_folder_or_a_device_is_refused(stub, tmp_path):
    assert "le dossier" in refused(tmp_path / "absent" / "runs.csv", tmp_path)
    assert "c'est un dossier" in refused(tmp_path, tmp_path)
    assert "pas un fichier ordinaire" in refused(Path("/dev/full"), tmp_path)


def test_a_location_that_cannot_be_written_is_refused(stub, tmp_path):
    if sys.platform != "linux":
        pytest.skip("uses sysfs, read-only even for root")
    assert "impossible d'y écrire" in refused(Path("/sys/greenit-runs.csv"), tmp_path)
    assert "impossible d'y écrire" in refused(Path("/sys/kernel/address_bits"), tmp_path)


def test_a_read_only_log_file_is_refused(stub, tmp_path):
    log = tmp_path / "runs.csv"
    log.write_text(HEADER + a_row())
    log.chmod(stat.S_IRUSR)
    if os.access(log, os.W_OK):
        pytest.skip("running as root: permissions do not stop writes (see the sysfs test)")
    assert "impossible d'y écrire" in refused(log, tmp_path)


def test_a_full_disk_is_refused_before_the_command_runs(stub, tmp_path, monkeypatch):
    real = os.statvfs

    def nearly_full(path):
        usage = real(path)
        return os.statvfs_result((*usage[:4], 10, *usage[5:]))  # 10 blocks free

    monkeypatch.setattr(tracklog.os, "statvfs", nearly_full)
    assert "le disque est plein" in refused(tmp_path / "runs.csv", tmp_path)
    assert not (tmp_path / "runs.csv").exists()


def test_a_write_cut_short_is_undone_and_never_glues_rows(tmp_path, monkeypatch):
    log = TrackLog(tmp_path / "runs.csv")
    log.append({"run_id": "r1", "status": "completed"})
    before = log.path.read_bytes()
    real_write = os.write

    def half_then_full(fd, data):
        if len(data) > 20:
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(tracklog.os, "write", half_then_full)
    with pytest.raises(GreenitError, match="le fichier est resté comme avant"):
        log.append({"run_id": "r2", "status": "completed"})
    assert log.path.read_bytes() == before
    monkeypatch.setattr(tracklog.os, "write", lambda fd, data: 0)  # a disk that takes nothing
    with pytest.raises(GreenitError):
        log.append({"run_id": "r3", "status": "completed"})
    assert log.path.read_bytes() == before
    monkeypatch.undo()
    log.append({"run_id": "r4", "status": "completed"})
    assert [r["run_id"] for r in rows(log.path)] == ["r1", "r4"]
    check_log_text(log.path.read_bytes(), log.path)


def test_a_row_never_glues_to_a_line_left_unfinished(tmp_path):
    log = TrackLog(tmp_path / "runs.csv")
    log.append({"run_id": "r1", "status": "completed"})
    with log.path.open("a") as handle:
        handle.write("r-fragment,proj")  # e.g. a power cut in another writer
    log.append({"run_id": "r2", "status": "completed"})
    lines = log.path.read_text().splitlines()
    assert lines[2] == "r-fragment,proj" and lines[3].startswith("r2,")


def test_a_final_row_that_cannot_be_written_keeps_the_exit_code_and_says_so(stub, tmp_path, monkeypatch):
    log = tmp_path / "runs.csv"
    real_append = TrackLog.append

    def only_the_first(self, row):
        if row["status"] != "running":
            raise GreenitError.of("tracking.log.write_failed", path=str(log), error="No space left on device")
        real_append(self, row)

    monkeypatch.setattr(TrackLog, "append", only_the_first)
    said = []
    assert run_command([sys.executable, "-c", "import sys; sys.exit(4)"], log=log, report=said.append) == 4
    assert "la ligne finale du run n'a pas été écrite" in str(said[-1])
    assert [r["status"] for r in rows(log)] == ["running"]  # the start checkpoint keeps the run


def test_concurrent_appends_from_many_writers_stay_whole_rows(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    log = TrackLog(tmp_path / "runs.csv")
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: log.append({"run_id": f"r{i}", "project": "x" * 5000}), range(64)))
    assert sorted(r[0] for r in whole_lines(log.path)) == sorted(f"r{i}" for i in range(64))


# --- reading: rows are never merged except a tracked run's own checkpoints -------------------


def test_rows_that_share_or_lack_a_run_id_are_never_merged(tmp_path):
    log = tmp_path / "journal.csv"
    log.write_text("run_id;energy\na;1 kWh\na;2 kWh\n;3 kWh\n;4 kWh\nb;5 kWh\n")
    result = ai_estimate(log)
    assert result["runs_in"] == 5
    assert result["totals"]["energy_kwh"] == pytest.approx(15)


def test_only_a_tracked_runs_own_checkpoints_are_superseded(tmp_path):
    log = tmp_path / "runs.csv"
    log.write_text(
        HEADER
        + a_row(run_id="a", status="running", **{"energy [kWh]": "1"})
        + a_row(run_id="b", status="running", **{"energy [kWh]": "10"})
        + a_row(run_id="a", status="running", **{"energy [kWh]": "2"})
        + a_row(run_id="a", status="completed", **{"energy [kWh]": "3"})
        + a_row(run_id="c", status="completed", **{"energy [kWh]": "100"})
        + a_row(run_id="c", status="completed", **{"energy [kWh]": "100"})  # a log copied twice
        + a_row(run_id="", status="running", **{"energy [kWh]": "1000"})
        + a_row(run_id="", status="running", **{"energy [kWh]": "1000"})
    )
    result = ai_estimate(log)
    energies = sorted(run["energy_kwh"] for run in result["runs"])
    # a: its final row (3); b: killed, its last checkpoint (10); c once (its copy flagged, issue 19);
    # two rows without id
    assert energies == [3, 10, 100, 1000, 1000]
    assert result["runs_in"] == 6
    [copy] = result["flagged"]
    assert copy["run_id"] == "c" and "comptée une seule fois" in copy["reason"]


def test_codecarbon_rows_without_a_run_id_are_never_merged(tmp_path):
    log = tmp_path / "emissions.csv"
    header = "timestamp,project_name,run_id,duration,emissions,energy_consumed,codecarbon_version\n"
    log.write_text(
        header
        + "2025-01-01T10:00:00,p,u1,10,0.001,0.01,2.8\n"
        + "2025-01-01T10:01:00,p,u1,20,0.002,0.02,2.8\n"  # the same run, later flush
        + "2025-01-01T11:00:00,p,,30,0.003,0.03,2.8\n"
        + "2025-01-01T12:00:00,p,,40,0.004,0.04,2.8\n"
    )
    result = ai_estimate(log)
    assert result["runs_in"] == 3
    assert sorted(run["energy_kwh"] for run in result["runs"]) == pytest.approx([0.02, 0.03, 0.04])


def test_a_large_log_is_checked_line_by_line_while_codecarbon_starts(stub, tmp_path):
    log = tmp_path / "runs.csv"
    rows_text = a_row(command="python train.py --config " + "x" * 300) * 4000
    log.write_text(HEADER + rows_text + a_row(**{"energy [kWh]": "abc"}) + a_row())
    assert log.stat().st_size > tracklog.SCAN_AT_ONCE_BYTES
    assert "la ligne 4002 est abîmée" in refused(log, tmp_path)
    log.write_text(HEADER + rows_text + a_row()[:-1])
    assert "la ligne 4002 est abîmée (ligne inachevée" in refused(log, tmp_path)
    log.write_text(HEADER + rows_text)
    assert run_command(["true"], log=log) == 0
    assert len(rows(log)) == 4002


def test_a_pue_greenit_track_applied_is_said_and_never_applied_again(tmp_path):
    """``greenit track --pue 1.5`` writes energy already × 1.5: ai estimate keeps it as measured
    (2 kWh, not 3) and says the PUE it holds; it said « aucun PUE ajouté (le journal n'en donne
    pas) » though the log gives pue_applied.
    """
    log = tmp_path / "runs.csv"
    log.write_text(
        HEADER
        + a_row(run_id="a", location="FRA", pue_applied="1.5")
        + a_row(run_id="b", location="FRA", pue_applied="1.0")
    )
    result = ai_estimate(log)
    runs = {run["run_id"]: run for run in result["runs"]}
    assert runs["a"]["energy_kwh"] == pytest.approx(2) and runs["b"]["energy_kwh"] == pytest.approx(2)
    assert "déjà multipliée par le PUE 1,5 de greenit track" in runs["a"]["notes"]
    assert "PUE 1" not in runs["b"]["notes"]
    for run in runs.values():
        assert "le journal n'en donne pas" not in run["notes"] or "colonne pue" in run["notes"]
