"""Signals and processes: a tracked run leaves its row whenever and however it is stopped.

In-process tests send the signal to this very process (as a user's ``kill`` would reach
``greenit track``) at the moment the stub CodeCarbon marks; subprocess tests cover what only
a separate process shows: no traceback on SIGINT, SIGKILL of greenit, a terminal, 8 runs at once.

A signal meant for a moment (CodeCarbon starting, the last measurement) is sent while that
moment is *held* until the signal has gone: a sleep in the stub is not enough, since on a
loaded machine the sending thread can wake after the moment has passed (CI once saw the
command run and exit 0 although the signal was meant for CodeCarbon's start).
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import subprocess
import sys
import termios
import threading
import time

import pytest
from track_support import (
    GREENIT,
    ai_estimate,
    install_stub,
    is_gone,
    kill_quietly,
    read_pid,
    rows,
    stub_env,
    wait_until,
    whole_lines,
)

from greenit.tracking.child import Child
from greenit.tracking.context import track
from greenit.tracking.supervisor import run_command

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals and process groups")


@pytest.fixture
def stub(monkeypatch, tmp_path):
    return install_stub(monkeypatch, tmp_path)


@pytest.fixture(autouse=True)
def signals_as_in_a_terminal():
    """SIGINT and SIGQUIT not ignored, even when the suite runs with them ignored (started with
    ``&`` from a script, which ignores both): greenit rightly keeps an inherited ignore, as under
    ``nohup``, and so would its command, in this process and in the subprocesses that inherit it.
    """
    ignored = [s for s in (signal.SIGINT, signal.SIGQUIT) if signal.getsignal(s) is signal.SIG_IGN]
    for signum in ignored:
        signal.signal(signum, signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL)
    try:
        yield
    finally:
        for signum in ignored:
            signal.signal(signum, signal.SIG_IGN)


def signal_during(stub, monkeypatch, step: str, signum: int) -> None:
    """Send ``signum`` to this process from another thread while the stub's ``step`` runs
    (``"start"`` or ``"stop"``), the step not returning before the signal has been sent.

    Once ``os.kill`` has returned, the signal has reached this process: Python runs greenit's
    handler in the main thread before the step returns to greenit, however late the sending
    thread got the CPU.
    """
    sender = stub.signal_at(f"{step}-begun", signum)
    tracker = sys.modules["codecarbon"].OfflineEmissionsTracker
    stub_step = getattr(tracker, step)

    def held(self) -> None:
        stub_step(self)
        sender.join(30)
        assert not sender.is_alive(), f"the signal was never sent during {step}"

    monkeypatch.setattr(tracker, step, held)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_while_codecarbon_starts_writes_the_row_and_never_runs_the_command(
    stub, tmp_path, monkeypatch, signum
):
    log, marker = tmp_path / "runs.csv", tmp_path / "ran"
    stub.set(start_s=0.4)
    signal_during(stub, monkeypatch, "start", signum)
    started = time.monotonic()
    code = run_command(["touch", str(marker)], log=log)
    assert code == 128 + signum
    assert time.monotonic() - started < 5
    assert not marker.exists()
    assert [r["status"] for r in rows(log)] == ["running", "interrupted"]
    assert rows(log)[-1]["exit_code"] == str(128 + signum)
    assert ai_estimate(log)["runs_in"] == 1


def _signal_once_ended(child: Child) -> None:
    """SIGTERM to this process once ``child`` has exited, before greenit reaps it (a zombie)."""
    pid = child.process.pid
    wait_until(lambda: os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None)
    os.kill(os.getpid(), signal.SIGTERM)


@pytest.mark.parametrize("moment", ["before greenit watches it", "while greenit reaps it"])
def test_a_signal_just_after_a_fast_command_ended_is_not_lost_on_its_dead_process(
    stub, tmp_path, monkeypatch, moment
):
    """The command has exited, greenit has not reaped it yet (a fast command on a loaded
    machine): the signal is greenit's own, 128 + N and an ``interrupted`` row. It used to be
    sent to the dead process group and lost: exit 0 under an ``interrupted`` row.
    """
    log, marker = tmp_path / "runs.csv", tmp_path / "ran"
    if moment == "before greenit watches it":
        start = Child.start

        def started_then_signalled(self: Child) -> None:
            start(self)
            _signal_once_ended(self)

        monkeypatch.setattr(Child, "start", started_then_signalled)
    else:
        wait = Child.wait

        def signalled_then_reaped(self: Child) -> int:
            _signal_once_ended(self)
            return wait(self)

        monkeypatch.setattr(Child, "wait", signalled_then_reaped)
    code = run_command(["touch", str(marker)], log=log)
    assert marker.exists()  # the command ran, and ended on its own
    assert code == 128 + signal.SIGTERM
    final = rows(log)[-1]
    assert final["status"] == "interrupted" and final["exit_code"] == "143"


def test_sigterm_reaches_the_whole_process_group_and_the_row_is_written(stub, tmp_path):
    log, pid_file = tmp_path / "runs.csv", tmp_path / "grandchild.pid"
    script = f"sleep 60 & echo $! > {pid_file}; wait"

    def send_when_running():
        read_pid(pid_file)
        os.kill(os.getpid(), signal.SIGTERM)

    sender = threading.Thread(target=send_when_running, daemon=True)
    sender.start()
    code = run_command(["sh", "-c", script], log=log)
    grandchild = read_pid(pid_file)
    try:
        assert code == 128 + signal.SIGTERM
        wait_until(lambda: is_gone(grandchild), 5, "the grandchild survived SIGTERM")
        final = rows(log)[-1]
        assert final["status"] == "interrupted" and final["exit_code"] == "143"
    finally:
        kill_quietly(grandchild)


@pytest.mark.parametrize("name", ["SIGUSR1", "SIGQUIT", "SIGALRM"])
def test_other_ending_signals_reach_the_command_and_the_row_is_written(stub, tmp_path, name):
    """Their default action would end greenit alone, the command running on unmeasured (red team)."""
    signum = getattr(signal, name)
    log, pid_file = tmp_path / "runs.csv", tmp_path / "command.pid"

    def send_when_running():
        read_pid(pid_file)
        os.kill(os.getpid(), signum)

    sender = threading.Thread(target=send_when_running, daemon=True)
    sender.start()
    code = run_command(["sh", "-c", f"echo $$ > {pid_file}; sleep 60"], log=log)
    assert code == 128 + signum
    final = rows(log)[-1]
    assert final["status"] == "interrupted" and final["exit_code"] == str(128 + signum)


def test_a_second_signal_kills_a_command_that_ignores_the_first(stub, tmp_path):
    log, ready = tmp_path / "runs.csv", tmp_path / "ready"

    def twice():
        wait_until(ready.exists)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.2)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=twice, daemon=True).start()
    code = run_command(["sh", "-c", f"trap '' TERM; touch {ready}; sleep 30"], log=log)
    assert code == 128 + signal.SIGKILL
    assert rows(log)[-1]["status"] == "interrupted"


def test_a_signal_while_the_last_measurement_is_taken_still_gives_the_row_and_128_plus_n(
    stub, tmp_path, monkeypatch
):
    log = tmp_path / "runs.csv"
    stub.set(stop_s=0.4)
    signal_during(stub, monkeypatch, "stop", signal.SIGTERM)
    code = run_command(["true"], log=log)
    assert code == 128 + signal.SIGTERM
    final = rows(log)[-1]
    assert final["status"] == "interrupted" and final["exit_code"] == "143"


def test_the_python_api_writes_its_rows_and_turns_sigterm_into_system_exit(stub, tmp_path):
    log = tmp_path / "api.csv"
    with track(project="ctx", log=log, phase="training"):
        sum(range(1000))

    @track(project="deco", log=log)
    def work():
        raise ValueError("boom")

    with pytest.raises(ValueError):
        work()
    with pytest.raises(SystemExit) as stopped, track(project="term", log=log):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
    assert stopped.value.code == 143
    finals = [(r["project"], r["status"]) for r in rows(log) if r["status"] != "running"]
    assert finals == [("ctx", "completed"), ("deco", "failed"), ("term", "interrupted")]
    assert ai_estimate(log)["runs_in"] == 3


# --- subprocesses -----------------------------------------------------------------------------


#: ``python -m greenit`` whose stub CodeCarbon starts until the file ``released`` appears
#: in its marks folder: the test sends its signal, then releases it.
HELD_START_GREENIT = [
    sys.executable,
    "-c",
    """if True:
    import os, runpy, sys, time
    from pathlib import Path
    import codecarbon
    stub_start = codecarbon.OfflineEmissionsTracker.start
    def held_start(self):
        stub_start(self)
        released, deadline = Path(os.environ["STUB_CODECARBON_MARKS"]) / "released", time.monotonic() + 30
        while not released.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    codecarbon.OfflineEmissionsTracker.start = held_start
    runpy.run_module("greenit", run_name="__main__", alter_sys=True)
    """,
]


def test_sigint_while_starting_gives_exit_130_a_row_and_no_traceback(tmp_path):
    log, marks = tmp_path / "runs.csv", tmp_path / "marks"
    marks.mkdir()
    proc = subprocess.Popen(
        [*HELD_START_GREENIT, "track", "--log", str(log), "--", "true"],
        stderr=subprocess.PIPE,
        text=True,
        env=stub_env(marks=marks),
    )
    wait_until(lambda: (marks / "start-begun").exists())
    proc.send_signal(signal.SIGINT)  # queued to greenit before it can see "released"
    (marks / "released").touch()
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.startswith("greenit : interrompu en ")
    assert rows(log)[-1]["status"] == "interrupted"


def test_sigkill_of_greenit_leaves_the_run_in_the_log_and_takes_the_command_down(tmp_path):
    log, pid_file = tmp_path / "runs.csv", tmp_path / "child.pid"
    proc = subprocess.Popen(
        [*GREENIT, "track", "--log", str(log), "--", "sh", "-c", f"echo $$ > {pid_file}; exec sleep 60"],
        stderr=subprocess.DEVNULL,
        env=stub_env(),
    )
    child = read_pid(pid_file)
    try:
        proc.kill()
        proc.wait(timeout=10)
        wait_until(lambda: is_gone(child), 5, "the command outlived greenit")
    finally:
        kill_quietly(child)
    [start] = rows(log)
    assert start["status"] == "running"
    assert ai_estimate(log)["runs_in"] == 1


def test_eight_concurrent_runs_write_eight_whole_runs(tmp_path):
    log = tmp_path / "shared.csv"
    processes = [
        subprocess.Popen(
            [*GREENIT, "track", "--log", str(log), "--project", f"p{i}", "--interval", "1"]
            + ["--", sys.executable, "-c", "import time; time.sleep(1.2)"],
            stderr=subprocess.DEVNULL,
            env=stub_env(),
        )
        for i in range(8)
    ]
    assert [p.wait(timeout=60) for p in processes] == [0] * 8
    written = whole_lines(log)  # header once, every line a whole row
    finals = [r for r in rows(log) if r["status"] == "completed"]
    assert sorted(r["project"] for r in finals) == [f"p{i}" for i in range(8)]
    assert len({r["run_id"] for r in finals}) == 8 and len(written) >= 16
    result = ai_estimate(log)
    assert result["runs_in"] == result["runs_estimated"] == 8


def test_in_a_terminal_the_command_reads_the_keyboard_and_ctrl_c_reaches_it(tmp_path):
    """The command's process group gets the terminal, as a shell gives it to a job."""
    log = tmp_path / "runs.csv"
    master, slave = os.openpty()

    def controlling_terminal() -> None:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    # Short sleeps: a SIGINT that lands between the print and a long sleep would only be
    # noticed by Python when that sleep ends (CPython checks its signals before the next line,
    # not before the sleep's system call) — seen under load: greenit ended 30 s later.
    code = (
        "import time; name = input('nom ? '); print('bonjour', name, flush=True)\n"
        "for _ in range(300): time.sleep(0.1)"
    )
    proc = subprocess.Popen(
        [*GREENIT, "track", "--log", str(log), "--", sys.executable, "-c", code],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        preexec_fn=controlling_terminal,
        env=stub_env(),
    )
    os.close(slave)
    output = b""
    try:
        deadline = time.monotonic() + 20
        while b"nom ?" not in output and time.monotonic() < deadline:
            output += _read_some(master)
        os.write(master, b"Camille\n")
        while b"bonjour Camille" not in output and time.monotonic() < deadline:
            output += _read_some(master)
        os.write(master, b"\x03")  # Ctrl-C
        while proc.poll() is None and time.monotonic() < deadline:
            output += _read_some(master)
        assert proc.poll() == 130, output
    finally:
        kill_quietly(proc.pid)
        os.close(master)
    assert b"greenit : interrompu en " in output
    assert rows(log)[-1]["status"] == "interrupted"


def _read_some(fd: int) -> bytes:
    ready, _, _ = select.select([fd], [], [], 0.1)
    if not ready:
        return b""
    try:
        return os.read(fd, 4096)
    except OSError:  # the terminal's other side closed
        return b""


def test_a_broken_stderr_loses_the_summary_line_not_the_commands_exit_code(tmp_path):
    """Red team: stderr a pipe nobody reads (its reader gone): the row was written but greenit
    exited 1 on the summary line instead of the command's 4.
    """
    log = tmp_path / "runs.csv"
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [*GREENIT, "track", "--log", str(log), "--", "sh", "-c", "exit 4"],
            stdout=subprocess.DEVNULL,
            stderr=write_end,
            env=stub_env(),
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 4
    assert rows(log)[-1]["status"] == "failed" and rows(log)[-1]["exit_code"] == "4"
