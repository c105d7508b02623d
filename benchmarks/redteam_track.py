"""``greenit track``: hostile options and project names, odd logs (FIFO, /dev/full, a folder),
commands that do not exist, signals greenit does not handle, concurrent runs.

A run's row must be in the log, readable by ``greenit ai estimate``; the exit code is the
command's; a refused option or log is exit 2 before the command runs (it leaves no mark).
"""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import time
from pathlib import Path

from redteam_kit import PYTHON, case, env_for, greenit, json_result, user_error, verdict, write


def track(tmp: Path, *args: str, command: list[str] | None = None, **kwargs):
    return greenit("track", "--log", *args, "--", *(command or ["true"]), env=env_for(stub=True), **kwargs)


def log_rows(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8-sig")
    first = text.split("\n", 1)[0]
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";" if ";" in first else ","))


def readable(log: Path) -> str | None:
    r = greenit("ai", "estimate", log, "--json")
    return json_result(r, rows="runs")[1]


def _refused(name: str, args: list[str]) -> None:
    @case("track", name, "exit 2 before the command runs")
    def check(tmp: Path) -> tuple[bool, str]:
        mark = tmp / "ran"
        r = track(tmp, str(tmp / "runs.csv"), *args, command=["touch", str(mark)])
        problem = user_error(r) or ("the command ran" if mark.exists() else None)
        return verdict(problem, r.brief())


for value in ["0", "-1", "nan", "inf", "1e-300", "1e308", "abc", "0.5"]:
    _refused(f"--interval {value}", ["--interval", value])
for value in ["0", "0.5", "nan", "inf", "-1", "1e308", "abc"]:
    _refused(f"--pue {value}", ["--pue", value])
for value in ["XXX", "", "fr"]:
    _refused(f"--country {value!r}", ["--country", value])
_refused("--factors missing", ["--factors", "/nonexistent"])
_refused("--lang de", ["--lang", "de"])


@case("track", "--phase nonsense", "exit 2, or the row says other")
def phase_nonsense(tmp: Path) -> tuple[bool, str]:
    r = track(tmp, str(tmp / "runs.csv"), "--phase", "n'importe quoi")
    if r.code == 2:
        return verdict(user_error(r), r.brief())
    return verdict(readable(tmp / "runs.csv") if r.code == 0 else r.brief(), r.brief())


for name, project in {
    "newline": "a\nb",
    "CR": "a\rb",
    "semicolon and quote": 'a;b"c',
    "100 kB": "p" * 100_000,
    "formula": "=HYPERLINK(1)",
    "only spaces": "   ",
    "tab": "a\tb",
    "RTL override": "\u202eevil",
    "emoji": "chatbot 🤖",
}.items():

    @case("track", f"--project {name}", "one row, read back by ai estimate")
    def project_name(tmp: Path, project: str = project) -> tuple[bool, str]:
        log = tmp / "runs.csv"
        r = track(tmp, str(log), "--project", project)
        if r.code != 0:
            return False, r.brief()
        data_problem = readable(log)
        rows = [row for row in log_rows(log) if row.get("status") != "running"]
        if len(rows) != 1:
            return False, f"{len(rows)} final rows"
        return verdict(data_problem, r.brief())


def _odd_log(name: str, setup, expect: str = "refused") -> None:
    @case("track", f"log: {name}", "exit 2 before the command runs" if expect == "refused" else "row written")
    def check(tmp: Path) -> tuple[bool, str]:
        mark = tmp / "ran"
        log = setup(tmp)
        r = track(tmp, str(log), command=["touch", str(mark)], timeout=30)
        if expect == "refused":
            problem = user_error(r) or ("the command ran" if mark.exists() else None)
        else:
            problem = None if r.code == 0 and mark.exists() else r.brief()
        return verdict(problem, r.brief())


def _fifo(tmp: Path) -> Path:
    os.mkfifo(tmp / "runs.csv")
    return tmp / "runs.csv"


_odd_log("a FIFO nobody reads", _fifo)
_odd_log("/dev/full", lambda tmp: Path("/dev/full"))
_odd_log("/dev/null", lambda tmp: Path("/dev/null"))
_odd_log("a folder", lambda tmp: tmp)
_odd_log(
    "a symlink loop",
    lambda tmp: (tmp / "a").symlink_to(tmp / "b") or (tmp / "b").symlink_to(tmp / "a") or tmp / "a",
)
_odd_log("an XLSX file", lambda tmp: write(tmp / "runs.xlsx", b"PK\x03\x04" + b"\x00" * 100))
_odd_log("an inventory CSV", lambda tmp: write(tmp / "runs.csv", "Type;Quantité\nportable;3\n"))
_odd_log("a UTF-16 log", lambda tmp: write(tmp / "runs.csv", "run_id;project\n".encode("utf-16")))
_odd_log("a path under a file", lambda tmp: write(tmp / "f", "x") / "runs.csv")
_odd_log("a 1 GB sparse log", lambda tmp: _sparse(tmp / "runs.csv"), expect="refused")


def _sparse(path: Path) -> Path:
    with path.open("wb") as handle:
        handle.truncate(2**30)
    return path


@case("track", "a command that does not exist", "exit 127 (as a shell), a row, one clear line")
def no_such_command(tmp: Path) -> tuple[bool, str]:
    log = tmp / "runs.csv"
    r = track(tmp, str(log), command=["/nonexistent/cmd"])
    problem = None if r.code in (2, 127) else f"exit {r.code}"
    if "Traceback" in r.err:
        problem = "traceback"
    return verdict(problem, r.brief())


@case("track", "a command that is not executable", "exit 126 (as a shell) or 2, no traceback")
def not_executable(tmp: Path) -> tuple[bool, str]:
    script = write(tmp / "script.sh", "#!/bin/sh\necho hi\n")
    r = track(tmp, str(tmp / "runs.csv"), command=[str(script)])
    problem = None if r.code in (2, 126) else f"exit {r.code}"
    if "Traceback" in r.err:
        problem = "traceback"
    return verdict(problem, r.brief())


@case("track", "no command after --", "exit 2, 1-2 lines")
def empty_command(tmp: Path) -> tuple[bool, str]:
    r = greenit("track", "--log", tmp / "runs.csv", "--", env=env_for(stub=True))
    return verdict(user_error(r), r.brief())


@case("track", "the command's exit code 3 and 255 are kept", "exit 3, then 255")
def exit_codes(tmp: Path) -> tuple[bool, str]:
    a = track(tmp, str(tmp / "runs.csv"), command=["sh", "-c", "exit 3"])
    b = track(tmp, str(tmp / "runs.csv"), command=["sh", "-c", "exit 255"])
    return verdict(None if (a.code, b.code) == (3, 255) else f"{a.code}, {b.code}")


@case("track", "a command killed by SIGSEGV", "exit 139, a row")
def segv(tmp: Path) -> tuple[bool, str]:
    log = tmp / "runs.csv"
    r = track(tmp, str(log), command=["sh", "-c", "kill -SEGV $$"])
    rows = [row for row in log_rows(log) if row.get("status") != "running"] if log.exists() else []
    return verdict(
        None if r.code == 139 and len(rows) == 1 else f"exit {r.code}, {len(rows)} rows", r.brief()
    )


for signame in ["SIGUSR1", "SIGUSR2", "SIGALRM", "SIGQUIT", "SIGPIPE"]:

    @case("track", f"greenit receives {signame} while the command runs", "a final row, the command stopped")
    def other_signal(tmp: Path, signame: str = signame) -> tuple[bool, str]:
        log = tmp / "runs.csv"
        pidfile = tmp / "child.pid"
        process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "greenit",
                "track",
                "--log",
                str(log),
                "--",
                "sh",
                "-c",
                f"echo $$ > {pidfile}; sleep 30",
            ],
            env=env_for(stub=True),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.time() + 20
        while not pidfile.exists() and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        process.send_signal(getattr(signal, signame))
        try:
            process.wait(timeout=20)  # the command holds the pipes: wait for greenit only
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            return False, "greenit did not stop"
        time.sleep(0.5)
        child = int(pidfile.read_text().strip()) if pidfile.exists() else None
        alive = False
        if child:
            try:
                os.kill(child, 0)
                alive = True
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass
        rows = log_rows(log) if log.exists() else []
        final = [row for row in rows if row.get("status") not in ("running", None, "")]
        problems = []
        if alive:
            problems.append("the command still runs")
        if not final:
            problems.append(f"no final row ({len(rows)} rows, statuses {[r.get('status') for r in rows]})")
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        err = process.stderr.read()
        if b"Traceback" in err:
            problems.append("traceback")
        return verdict("; ".join(problems) or None, f"exit {process.returncode}")


@case("track", "16 concurrent runs on one log", "16 final rows, the log read back")
def concurrent(tmp: Path) -> tuple[bool, str]:
    log = tmp / "runs.csv"
    processes = [
        subprocess.Popen(
            [
                PYTHON,
                "-m",
                "greenit",
                "track",
                "--log",
                str(log),
                "--project",
                f"p{i}",
                "--",
                "sh",
                "-c",
                "sleep 0.5",
            ],
            env=env_for(stub=True),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for i in range(16)
    ]
    codes = [p.wait(timeout=120) for p in processes]
    rows = [row for row in log_rows(log) if row.get("status") != "running"]
    problem = None if codes == [0] * 16 and len(rows) == 16 else f"codes {set(codes)}, {len(rows)} rows"
    return verdict(problem or readable(log))


@case("track", "stdout of greenit closed (| head -0) while the command prints", "the row still written")
def track_closed_stdout(tmp: Path) -> tuple[bool, str]:
    log = tmp / "runs.csv"
    read_end, write_end = os.pipe()
    os.close(read_end)
    done = subprocess.run(
        [PYTHON, "-m", "greenit", "track", "--log", str(log), "--", "sh", "-c", "echo hi; echo ho"],
        stdout=write_end,
        stderr=subprocess.PIPE,
        env=env_for(stub=True),
        timeout=60,
    )
    os.close(write_end)
    rows = [row for row in log_rows(log) if row.get("status") != "running"] if log.exists() else []
    problem = (
        None
        if len(rows) == 1 and b"Traceback" not in done.stderr
        else f"{len(rows)} rows, exit {done.returncode}"
    )
    return verdict(problem, f"exit {done.returncode}")


@case("track", "stderr closed while tracking", "the row still written, the command's exit code")
def track_closed_stderr(tmp: Path) -> tuple[bool, str]:
    log = tmp / "runs.csv"
    read_end, write_end = os.pipe()
    os.close(read_end)
    done = subprocess.run(
        [PYTHON, "-m", "greenit", "track", "--log", str(log), "--", "sh", "-c", "exit 4"],
        stdout=subprocess.DEVNULL,
        stderr=write_end,
        env=env_for(stub=True),
        timeout=60,
    )
    os.close(write_end)
    rows = [row for row in log_rows(log) if row.get("status") != "running"] if log.exists() else []
    problem = None if len(rows) == 1 and done.returncode == 4 else f"{len(rows)} rows, exit {done.returncode}"
    return verdict(problem, f"exit {done.returncode}")


@case("track", "the real CodeCarbon, offline, 1 s run", "one row, read back")
def real_codecarbon(tmp: Path) -> tuple[bool, str]:
    log = tmp / "runs.csv"
    env = env_for()
    r = greenit("track", "--log", log, "--project", "réel", "--", "sleep", "1", env=env, timeout=120)
    if r.code != 0:
        return False, r.brief()
    return verdict(readable(log), r.brief())
