"""The processes a tracked command left running when it ended (a daemon, a server started in the
background, a ``nohup … &``).

greenit measures the command until *it* ends, and never waits for what it left behind (a
daemon may run for months). It says what it left: the processes still in the command's
process group, and those that left the group (``setsid``, as daemons do) but carry the run's
mark in their environment (:data:`MARK`, set for the command and inherited by everything it
starts, unless a program clears its environment). Read from ``/proc`` (Linux); elsewhere only
the group is probed, through ``ps``. Bounded: one look, and a second one 0.1 s later when
something was found (an intermediate process of a double fork may be exiting).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from pathlib import Path

#: The environment variable carrying the run id to the command and everything it starts.
MARK = "GREENIT_TRACK_RUN_ID"

#: Seconds between the two looks when the first one finds something.
SETTLE_S = 0.1


def boot_clock() -> float:
    """Seconds since boot, the clock of ``/proc/PID/stat``'s start times (0 where there is none)."""
    clock = getattr(time, "CLOCK_BOOTTIME", None)
    return time.clock_gettime(clock) if clock is not None else 0.0


def leftover_processes(group: int, run_id: str, since: float = 0.0) -> list[int]:
    """Pids of the processes still running from a command whose process group was ``group``.

    ``run_id``: the value of :data:`MARK` in the command's environment; ``since``: when the
    command started, by :func:`boot_clock` [s] (only processes started since then can carry
    the mark: the others' environment is not read). greenit's own process is never counted,
    nor a zombie (ended, waiting for its parent).
    """
    found = _look(group, run_id, since)
    if not found:
        return []
    time.sleep(SETTLE_S)
    return sorted(set(found) & set(_look(group, run_id, since)))


def _look(group: int, run_id: str, since: float) -> list[int]:
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return _group_by_ps(group)
    mark = f"{MARK}={run_id}".encode()
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        state, pgid, started = _stat(entry)
        if state is None or state in "ZX":
            continue
        if pgid == group or (started / ticks >= since - 1 and _has_mark(entry, mark)):
            found.append(int(entry.name))
    return found


def _stat(entry: Path) -> tuple[str | None, int, int]:
    """A process's state letter, process group and start time [clock ticks since boot] from
    ``/proc/PID/stat`` (state None when it is gone).
    """
    try:
        fields = entry.joinpath("stat").read_text().rsplit(")", 1)[1].split()
        return fields[0], int(fields[2]), int(fields[19])
    except (OSError, IndexError, ValueError):
        return None, 0, 0


def _has_mark(entry: Path, mark: bytes) -> bool:
    try:
        environment = entry.joinpath("environ").read_bytes()
    except OSError:  # another user's process, or gone
        return False
    return mark in environment.split(b"\0")


def _group_by_ps(group: int) -> list[int]:
    """The processes of ``group`` as ``ps`` lists them (macOS, BSD): no environment read."""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        listing = subprocess.run(
            ["ps", "-A", "-o", "pid=,pgid=,stat="], capture_output=True, text=True, timeout=5, check=False
        ).stdout
        return [
            int(pid)
            for pid, pgid, state in (
                line.split()[:3] for line in listing.splitlines() if len(line.split()) >= 3
            )
            if pgid == str(group) and not state.startswith("Z") and int(pid) != os.getpid()
        ]
    return []
