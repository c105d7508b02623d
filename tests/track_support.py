"""What the tracking tests share: a stub CodeCarbon, log readers, process probes.

Most tracking tests measure with the stub in ``tests/stub_codecarbon`` (instant, or as slow
as asked, with marks a test can wait for), in-process through ``run_command`` — the function
``greenit track`` calls — so that they take well under a second each. A few run the real
``greenit`` command in a subprocess (with ``stub_env()``), and one uses the real CodeCarbon.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from greenit.tracking.tracklog import LOG_COLUMNS

STUB = Path(__file__).resolve().parent / "stub_codecarbon"
GREENIT = [sys.executable, "-m", "greenit"]


def stub_env(**settings: object) -> dict[str, str]:
    """The environment of a ``greenit`` subprocess that measures with the stub CodeCarbon."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(STUB), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update({f"STUB_CODECARBON_{k.upper()}": str(v) for k, v in settings.items()})
    return env


class StubTracker:
    """The stub CodeCarbon installed in this process; ``set(start_s=1)`` changes its behaviour."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, marks: Path) -> None:
        self.monkeypatch, self.marks = monkeypatch, marks
        marks.mkdir()
        monkeypatch.setenv("STUB_CODECARBON_MARKS", str(marks))

    def set(self, **settings: object) -> None:
        for key, value in settings.items():
            self.monkeypatch.setenv(f"STUB_CODECARBON_{key.upper()}", str(value))

    def wait_for(self, mark: str, timeout: float = 10) -> None:
        wait_until(lambda: (self.marks / mark).exists(), timeout, f"the stub never reached {mark}")

    def signal_at(self, mark: str, signum: int) -> threading.Thread:
        """Send ``signum`` to this process as soon as the stub reaches ``mark`` (in a thread)."""

        def send() -> None:
            self.wait_for(mark)
            time.sleep(0.05)
            os.kill(os.getpid(), signum)

        thread = threading.Thread(target=send, daemon=True)
        thread.start()
        return thread


def install_stub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> StubTracker:
    """greenit measures with the stub CodeCarbon in this test's process (for a ``stub`` fixture)."""
    for name, relative in (
        ("codecarbon", "codecarbon/__init__.py"),
        ("codecarbon.output_methods", "codecarbon/output_methods/__init__.py"),
        ("codecarbon.output_methods.base_output", "codecarbon/output_methods/base_output.py"),
    ):
        spec = importlib.util.spec_from_file_location(name, STUB / relative)
        module = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, name, module)
        spec.loader.exec_module(module)
    return StubTracker(monkeypatch, tmp_path / "marks")


def rows(log: Path) -> list[dict[str, str]]:
    with log.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def whole_lines(log: Path) -> list[list[str]]:
    """Every physical line of ``log`` as CSV cells, checking that each one is a whole row."""
    lines = log.read_bytes().decode("utf-8").split("\n")
    assert lines[-1] == "", "the log must end with a line end"
    parsed = [next(csv.reader([line])) for line in lines[:-1]]
    assert parsed[0] == LOG_COLUMNS
    assert all(len(cells) == len(LOG_COLUMNS) for cells in parsed)
    return parsed[1:]


def ai_estimate(log: Path) -> dict:
    """What ``greenit ai estimate LOG --json`` says of ``log`` (in-process)."""
    from greenit.api import estimate_ai_files

    estimate = estimate_ai_files([log])
    assert not estimate.file_errors, estimate.file_errors
    return estimate.result()


def wait_until(condition, timeout: float = 10, message: str = "timed out") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.02)


def is_gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie waiting for a reaper counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def read_pid(path: Path, timeout: float = 10) -> int:
    wait_until(lambda: path.exists() and path.read_text().strip(), timeout, f"{path} never written")
    return int(path.read_text().strip())


def kill_quietly(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
