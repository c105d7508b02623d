"""Benchmark: `greenit estimate` end to end (start-up included) on 10k, 100k and 1M rows.

Not a test: it measures and prints. Files are GLPI-style exports built from the sample town
(seeded), written once under benchmarks/data/.

    .venv/bin/python benchmarks/bench_estimate.py [10000 100000 1000000 10x]

``10x`` is 10,000,000 rows: the 1M-row file ten times over (1.7 GB), estimated in batches.
"""

from __future__ import annotations

import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "examples"))

import make_sample_town  # noqa: E402


def build(rows: int) -> Path:
    path = HERE / "data" / f"glpi_{rows}.csv"
    if path.exists():
        return path
    path.parent.mkdir(exist_ok=True)
    base = make_sample_town.build_rows()
    rng = random.Random(rows)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=list(base[0]), delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n"
        )
        writer.writeheader()
        for i in range(rows):
            row = dict(base[i % len(base)])
            row["Nom"] = f"EQ-{i:07d}"
            row["Numéro de série"] = f"{rng.randrange(16**8):08X}"
            writer.writerow(row)
    return path


def run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def ten_copies(one_million: Path) -> Path:
    """10,000,000 rows: the 1M-row file's body ten times, so its totals are ten times the 1M ones."""
    path = HERE / "data" / "glpi_10x1000000.csv"
    if not path.exists():
        with one_million.open("rb") as source, path.open("wb") as target:
            header = source.readline()
            body = source.read()
            target.write(header)
            for _ in range(10):
                target.write(body)
    return path


def timed(command: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + system, threads included), peak resident memory [MiB]
    and stdout of one child process (run from a fresh process, so the peak is its own).
    """
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        f"p = subprocess.run({command!r}, check=True, capture_output=True, text=True)\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss / 1024)\n"
        "print(p.stdout, end='')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=ENV
    ).stdout
    first, _, rest = out.partition("\n")
    seconds, cpu, peak = map(float, first.split())
    return seconds, cpu, peak, rest


def load() -> str:
    """The machine's load average (1, 5, 15 min) and core count: a shared machine's figures vary."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} cores"


#: The children run as on a user's machine: Python keeps the bytecode (and greenit its parsed
#: catalogues) between runs, even where this shell says PYTHONDONTWRITEBYTECODE.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def main() -> None:
    args = sys.argv[1:] or ["10000", "100000", "1000000"]
    greenit = str(Path(sys.executable).parent / "greenit")
    python = sys.executable
    print(load())
    run([greenit, "--help"])  # a first run writes the bytecode, as a user's install has it
    # interleaved, so that a change of load hits both alike; medians of 11
    pairs = [(run([greenit, "--help"]), run([python, "-c", "import typer"])) for _ in range(11)]
    help_wall, typer_wall = (statistics.median(p[i][0] for p in pairs) for i in (0, 1))
    help_cpu, typer_cpu = (statistics.median(p[i][1] for p in pairs) for i in (0, 1))
    print(
        f"greenit --help: {help_wall:.3f} s wall, {help_cpu:.3f} s CPU (medians of 11); "
        f"python -c 'import typer': {typer_wall:.3f} s wall, {typer_cpu:.3f} s CPU; "
        f"ratio {help_wall / typer_wall:.2f} wall, {help_cpu / typer_cpu:.2f} CPU"
    )
    for arg in args:
        path = ten_copies(build(1_000_000)) if arg == "10x" else build(int(arg))
        bare, bare_cpu, bare_peak, _ = timed(
            [
                python,
                "-c",
                f"import pandas as pd; pd.read_csv({str(path)!r}, sep=';', engine='pyarrow', dtype=str)",
            ]
        )
        seconds, cpu, peak, out = timed([greenit, "estimate", str(path), "--year", "2025", "--json"])
        rows_out = HERE / "data" / "rows-out.csv"
        with_rows, _, rows_peak, _ = timed(
            [greenit, "estimate", str(path), "--year", "2025", "--json", "--rows-out", str(rows_out)]
        )
        rows_out.unlink(missing_ok=True)
        total = json.loads(out)["totals"]["total_kgco2e"]
        print(
            f"{json.loads(out)['rows_in']:>11,} rows: {seconds:6.2f} s, {cpu:6.2f} s CPU, "
            f"peak {peak:5.0f} MiB "
            f"({seconds / bare:.1f}× wall, {cpu / bare_cpu:.1f}× CPU of a bare pandas+pyarrow read: "
            f"{bare:.2f} s, {bare_cpu:.2f} s CPU, {bare_peak:.0f} MiB); "
            f"with --rows-out {with_rows:6.2f} s, peak {rows_peak:5.0f} MiB; "
            f"total {total:,.0f} kgCO2e; {load()}"
        )


if __name__ == "__main__":
    main()
