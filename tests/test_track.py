"""Live tracking with real subprocesses: normal, failing, SIGTERM, SIGKILL, concurrency."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from greenit.ai.tracking import LOG_COLUMNS

pytestmark = pytest.mark.slow
GREENIT = [sys.executable, "-m", "greenit"]


def track(log: Path, *command: str, options=()) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*GREENIT, "track", "--log", str(log), *options, "--", *command],
        capture_output=True,
        text=True,
        timeout=120,
    )


def rows(log: Path) -> list[dict[str, str]]:
    with log.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def ai_estimate(log: Path) -> dict:
    proc = subprocess.run(
        [*GREENIT, "ai", "estimate", str(log), "--json"], capture_output=True, text=True, check=True
    )
    return json.loads(proc.stdout)


def sleeper(seconds: float) -> list[str]:
    return [sys.executable, "-c", f"import time; time.sleep({seconds})"]


def wait_for_child(parent: subprocess.Popen, timeout: float = 30) -> None:
    """Wait until greenit has started its command (the tracker's set-up takes seconds)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        children = Path(f"/proc/{parent.pid}/task/{parent.pid}/children")
        if children.exists() and children.read_text().strip():
            return
        time.sleep(0.05)
    raise AssertionError("greenit never started the command")


def test_a_normal_run_appends_one_complete_row(tmp_path):
    log = tmp_path / "runs.csv"
    proc = track(log, *sleeper(1.5), options=["--project", "ocr", "--phase", "inférence"])
    assert proc.returncode == 0, proc.stderr
    [row] = rows(log)
    assert list(row) == LOG_COLUMNS
    assert row["status"] == "completed" and row["exit_code"] == "0"
    assert row["project"] == "ocr" and row["location"] == "FRA"
    assert row["carbon_intensity [kgCO2e/kWh]"] == "0.0461"
    assert float(row["energy [kWh]"]) > 0
    assert float(row["emissions [kgCO2e]"]) == pytest.approx(float(row["energy [kWh]"]) * 0.0461)
    assert row["cpu_measurement"] and row["ram_measurement"]
    assert row["codecarbon_version"]
    assert proc.stderr.strip().splitlines()[-1].startswith("greenit: completed in ")
    assert "codecarbon" not in proc.stderr.lower()  # quiet by default
    result = ai_estimate(log)
    assert result["runs_estimated"] == 1
    assert result["runs"][0]["phase"] == "inference"
    assert result["runs"][0]["energy_kwh"] == pytest.approx(float(row["energy [kWh]"]))


def test_a_failing_command_keeps_its_exit_code_and_its_row(tmp_path):
    log = tmp_path / "runs.csv"
    proc = track(log, sys.executable, "-c", "import sys; sys.exit(3)")
    assert proc.returncode == 3
    [row] = rows(log)
    assert row["status"] == "failed" and row["exit_code"] == "3"
    missing = track(log, "no-such-command-here")
    assert missing.returncode == 127
    assert rows(log)[-1]["status"] == "failed"
    assert "cannot run 'no-such-command-here'" in missing.stderr
    assert ai_estimate(log)["runs_in"] == 2


def test_sigterm_is_forwarded_and_the_row_is_still_written(tmp_path):
    log = tmp_path / "runs.csv"
    parent = subprocess.Popen(
        [*GREENIT, "track", "--log", str(log), "--", *sleeper(60)], stderr=subprocess.PIPE, text=True
    )
    wait_for_child(parent)
    started = time.time()
    time.sleep(3)
    parent.send_signal(signal.SIGTERM)
    parent.wait(timeout=60)
    elapsed = time.time() - started
    assert parent.returncode == 128 + signal.SIGTERM
    [row] = rows(log)
    assert row["status"] == "interrupted" and row["exit_code"] == "143"
    assert float(row["duration [h]"]) * 3600 == pytest.approx(elapsed, abs=1.5)
    assert ai_estimate(log)["runs_estimated"] == 1


def test_checkpoints_bound_what_a_sigkill_loses(tmp_path):
    log = tmp_path / "runs.csv"
    parent = subprocess.Popen(
        [*GREENIT, "track", "--log", str(log), "--interval", "1", "--", *sleeper(60)],
        stderr=subprocess.DEVNULL,
    )
    wait_for_child(parent)
    time.sleep(3.5)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(timeout=30)
    written = rows(log)
    assert len(written) >= 2
    assert {r["status"] for r in written} == {"running"}
    assert len({r["run_id"] for r in written}) == 1
    assert float(written[-1]["duration [h]"]) * 3600 >= 2.0
    result = ai_estimate(log)  # cumulative checkpoints count once
    assert result["runs_in"] == 1
    assert result["runs"][0]["energy_kwh"] == pytest.approx(float(written[-1]["energy [kWh]"]))


def test_eight_concurrent_runs_write_eight_whole_rows(tmp_path):
    log = tmp_path / "shared.csv"
    processes = [
        subprocess.Popen(
            [*GREENIT, "track", "--log", str(log), "--project", f"p{i}", "--", *sleeper(1)],
            stderr=subprocess.DEVNULL,
        )
        for i in range(8)
    ]
    assert [p.wait(timeout=120) for p in processes] == [0] * 8
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(LOG_COLUMNS)
    assert len(lines) == 9
    written = rows(log)
    assert sorted(r["project"] for r in written) == [f"p{i}" for i in range(8)]
    assert all(len(r) == len(LOG_COLUMNS) and r["status"] == "completed" for r in written)
    assert len({r["run_id"] for r in written}) == 8
    assert ai_estimate(log)["runs_estimated"] == 8


def test_a_log_in_another_format_is_refused_before_running(tmp_path):
    log = tmp_path / "other.csv"
    log.write_text("a,b\n1,2\n")
    proc = track(log, *sleeper(0))
    assert proc.returncode == 2
    assert "is not a greenit track log" in proc.stderr


def test_python_context_manager_and_decorator(tmp_path):
    code = f"""
import greenit
log = {str(tmp_path / "api.csv")!r}
with greenit.track(project="ctx", log=log, phase="training"):
    sum(range(10**6))

@greenit.track(project="deco", log=log)
def work():
    raise ValueError("boom")

try:
    work()
except ValueError:
    pass
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
    written = rows(tmp_path / "api.csv")
    assert [(r["project"], r["status"]) for r in written] == [("ctx", "completed"), ("deco", "failed")]
