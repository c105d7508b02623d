"""Benchmark: `greenit estimate` end to end (start-up included) on 10k, 100k and 1M rows.

Not a test: it measures and prints. Files are GLPI-style exports built from the sample town
(seeded), written once under benchmarks/data/.

    .venv/bin/python benchmarks/bench_estimate.py [10000 100000 1000000]
"""

from __future__ import annotations

import csv
import random
import resource
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
    """Wall seconds and peak resident memory [MiB] of one child process."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, peak


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000]
    greenit = str(Path(sys.executable).parent / "greenit")
    python = sys.executable
    help_runs = [run([greenit, "--help"])[0] for _ in range(5)]
    typer_runs = [run([python, "-c", "import typer"])[0] for _ in range(5)]
    print(
        f"greenit --help: {min(help_runs):.3f} s (best of 5); "
        f"python -c 'import typer': {min(typer_runs):.3f} s; "
        f"ratio {min(help_runs) / min(typer_runs):.2f}"
    )
    pandas_read = {}
    for size in sizes:
        path = build(size)
        result = subprocess.run(
            [
                python,
                "-c",
                f"""
import resource, subprocess, sys, time
t = time.perf_counter()
subprocess.run([{greenit!r}, 'estimate', {str(path)!r}, '--year', '2025', '--json'],
               check=True, stdout=subprocess.DEVNULL)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
""",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        seconds, peak_mib = map(float, result.stdout.split())
        t = time.perf_counter()
        subprocess.run(
            [python, "-c", f"import pandas as pd; pd.read_csv({str(path)!r}, sep=';')"], check=True
        )
        pandas_read[size] = time.perf_counter() - t
        print(
            f"{size:>9,} rows: {seconds:6.2f} s end to end, peak {peak_mib:6.0f} MiB, "
            f"{size / seconds:>9,.0f} rows/s  (pandas alone, read_csv in a fresh process: "
            f"{pandas_read[size]:.2f} s)"
        )


if __name__ == "__main__":
    main()
