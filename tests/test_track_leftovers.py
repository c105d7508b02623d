"""A tracked command that daemonises: what it left running is said, and nothing waits for it.

``greenit track -- COMMAND`` measures COMMAND until it ends. A command that starts a server in
the background, or forks a daemon and exits, leaves processes behind: greenit names them (how
many, their pids) in its summary line and the row's notes, in French and English, and returns
at once with the command's exit code. Before, it said nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from track_support import GREENIT, ai_estimate, install_stub, is_gone, kill_quietly, read_pid, rows, stub_env

from greenit.tracking.leftovers import MARK, leftover_processes
from greenit.tracking.supervisor import run_command

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and process groups")


@pytest.fixture
def stub(monkeypatch, tmp_path):
    return install_stub(monkeypatch, tmp_path)


#: A classic daemon: fork, setsid (out of greenit's process group), fork again, parent exits —
#: once the daemon said it is up (as daemons that report readiness do): without that, a loaded
#: machine could end the command before the second fork, leaving no daemon to find yet.
DAEMON = """if True:
    import os, sys, time
    ready, up = os.pipe()
    if os.fork():
        os.close(up)
        os.read(ready, 1)
        sys.exit(0)
    os.close(ready)
    os.setsid()
    if os.fork():
        os._exit(0)
    with open(sys.argv[1], "w") as out:
        out.write(str(os.getpid()))
    os.write(up, b"1")
    os.close(up)
    time.sleep(60)
"""


def background_and_daemon(tmp_path: Path) -> list[str]:
    """A shell that starts one process in the background (same group) and one daemon, then exits 0."""
    return [
        "sh",
        "-c",
        f"sleep 60 & echo $! > {tmp_path / 'background.pid'}; "
        f"\"{sys.executable}\" -c '{DAEMON}' {tmp_path / 'daemon.pid'}",
    ]


def test_processes_left_by_the_command_are_said_and_never_waited_for(stub, tmp_path):
    log = tmp_path / "runs.csv"
    said = []
    try:
        code = run_command(background_and_daemon(tmp_path), log=log, report=said.append)
        # both still alive once run_command returned: it never waited for them (a wait would have
        # outlived them: ``sleep 60``), which proves it without a clock
        background, daemon = read_pid(tmp_path / "background.pid"), read_pid(tmp_path / "daemon.pid")
        assert not is_gone(background) and not is_gone(daemon)  # left running, not killed
    finally:
        for name in ("background.pid", "daemon.pid"):
            if (tmp_path / name).exists():
                kill_quietly(int((tmp_path / name).read_text()))
    assert code == 0  # the command's code
    final = rows(log)[-1]
    assert final["status"] == "completed"
    assert final["leftover_pids"] == " ".join(str(pid) for pid in sorted([background, daemon]))
    pids = final["leftover_pids"]
    assert (
        f"la commande a laissé 2 processus en marche à sa fin (pid {pids}), non mesurés au-delà"
        in final["notes"]
    )
    assert str(said[-1]).endswith(
        f"; la commande a laissé 2 processus en marche à sa fin (pid {pids}), non mesurés au-delà"
    )
    assert (
        said[-1]
        .render("en")
        .endswith(f"; the command left 2 processes running when it ended (pid {pids}), not measured beyond")
    )
    [run] = ai_estimate(log)["runs"]
    assert f"(pid {pids})" in run["notes"]


def test_the_cli_says_it_in_english_and_returns_the_commands_code(tmp_path):
    log = tmp_path / "runs.csv"
    command = ["sh", "-c", f"sleep 60 & echo $! > {tmp_path / 'left.pid'}; exit 3"]
    # a file, not a pipe: the background process inherits greenit's stderr and would hold a
    # pipe open for a minute (the shell's doing, not greenit's waiting)
    err = tmp_path / "stderr.txt"
    try:
        with err.open("w") as stderr:
            proc = subprocess.Popen(
                [*GREENIT, "track", "--log", str(log), "--lang", "en", "--", *command],
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                env=stub_env(),
            )
            code = proc.wait(timeout=30)
        left = read_pid(tmp_path / "left.pid")
        assert not is_gone(left)
    finally:
        if (tmp_path / "left.pid").exists():
            kill_quietly(int((tmp_path / "left.pid").read_text()))
    said = err.read_text()
    assert code == 3
    assert said.startswith("greenit: failed in ")
    assert said.rstrip().endswith(
        f"; the command left 1 process running when it ended (pid {left}), not measured beyond"
    )
    final = rows(log)[-1]
    assert final["leftover_pids"] == str(left) and "the command left 1 process running" in final["notes"]


def test_a_command_that_leaves_nothing_says_nothing(stub, tmp_path):
    log = tmp_path / "runs.csv"
    said = []
    assert run_command(["sh", "-c", "sleep 0.1 & wait"], log=log, report=said.append) == 0
    final = rows(log)[-1]
    assert final["leftover_pids"] == "" and final["notes"] == ""
    assert "laissé" not in str(said[-1])


def test_the_mark_finds_a_process_that_left_the_group_and_a_zombie_is_not_counted(tmp_path):
    marked = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"],
        env={**os.environ, MARK: "run-42"},
        start_new_session=True,  # its own group and session, as a daemon's
    )
    ended = subprocess.Popen(["true"], env={**os.environ, MARK: "run-42"}, start_new_session=True)
    try:
        time.sleep(0.3)  # `ended` has exited and is not reaped yet: a zombie
        assert leftover_processes(group=-1, run_id="run-42") == [marked.pid]
        assert leftover_processes(group=-1, run_id="run-43") == []
        assert leftover_processes(group=marked.pid, run_id="other") == [marked.pid]
    finally:
        marked.kill()
        marked.wait()
        ended.wait()
