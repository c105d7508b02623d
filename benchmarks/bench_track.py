"""Benchmark: the overhead of `greenit track` against the bare command and bare CodeCarbon.

Not a test: it measures and prints. Fixed cost: wall time and CPU time (user + system, the
process and its children) of a command that does nothing (`true`), untracked, under bare
CodeCarbon (offline tracker started and stopped around it in one Python process), under
`greenit track`, and under `greenit track --factors emission_factors` (the user-table path).
The cases are interleaved, one of each per repetition, so that a machine's load drifting
during the run weighs on all of them alike; medians are printed. Steady state: iterations per
second of a CPU-bound loop of fixed length, untracked and tracked.

    .venv/bin/python benchmarks/bench_track.py [repetitions] [fixed]

``fixed`` skips the steady-state part. On a shared machine, run the fixed-cost part with a
real-time priority so that other processes' load does not drown a 0.1 s difference:
``chrt -r 10 .venv/bin/python benchmarks/bench_track.py 15 fixed``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
GREENIT = str(Path(PYTHON).parent / "greenit")
BARE_CODECARBON = """
import logging, subprocess, sys
logging.getLogger("codecarbon").setLevel(logging.ERROR)
from codecarbon import OfflineEmissionsTracker
t = OfflineEmissionsTracker(country_iso_code="FRA", log_level="error", output_methods=[])
t.start()
code = subprocess.run(sys.argv[1:]).returncode
t.stop()
sys.exit(code)
"""
LOOP = """
import sys, time
end = time.perf_counter() + float(sys.argv[1])
n = 0
while time.perf_counter() < end:
    n += 1
print(n)
"""


def wall_and_cpu(command: list[str]) -> tuple[float, float]:
    """Wall time [s] and CPU time [s] (user + system of the command and its children)."""
    before = os.times()
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return elapsed, cpu


def iterations(command: list[str]) -> int:
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return int(out.strip().splitlines()[-1])


def main() -> None:
    repetitions = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    log = Path(tempfile.mkdtemp()) / "runs.csv"
    true = ["true"]
    factors = str(Path(__file__).resolve().parent.parent / "emission_factors")
    cases = {
        "untracked": true,
        "bare CodeCarbon": [PYTHON, "-c", BARE_CODECARBON, *true],
        "greenit track": [GREENIT, "track", "--log", str(log), "--", *true],
        "track --factors": [GREENIT, "track", "--log", str(log), "--factors", factors, "--", *true],
    }
    walls: dict[str, list[float]] = {name: [] for name in cases}
    cpus: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repetitions):
        for name, command in cases.items():
            elapsed, cpu = wall_and_cpu(command)
            walls[name].append(elapsed)
            cpus[name].append(cpu)
    for name in cases:
        times = walls[name]
        print(
            f"fixed cost, {name:<16} median {statistics.median(times):.3f} s "
            f"(min {min(times):.3f}, max {max(times):.3f}, n={repetitions}), "
            f"CPU {statistics.median(cpus[name]):.3f} s"
        )
    bare = statistics.median(walls["bare CodeCarbon"])
    for name in ("greenit track", "track --factors"):
        print(
            f"{name} − bare CodeCarbon: {statistics.median(walls[name]) - bare:+.3f} s wall, "
            f"{statistics.median(cpus[name]) - statistics.median(cpus['bare CodeCarbon']):+.3f} s CPU"
        )

    if sys.argv[2:] == ["fixed"]:
        return
    seconds = 10
    loop = [PYTHON, "-c", LOOP, str(seconds)]
    plain = [iterations(loop) / seconds for _ in range(3)]
    tracked = [
        iterations([GREENIT, "track", "--log", str(log), "--interval", "5", "--", *loop]) / seconds
        for _ in range(3)
    ]
    change = statistics.median(tracked) / statistics.median(plain) - 1
    print(
        f"steady state, {seconds} s CPU loop: untracked {statistics.median(plain):,.0f} it/s, "
        f"tracked {statistics.median(tracked):,.0f} it/s ({change:+.1%}); "
        f"spread untracked {min(plain):,.0f}–{max(plain):,.0f}"
    )


if __name__ == "__main__":
    main()
