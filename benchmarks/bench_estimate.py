"""Benchmark: `greenit estimate` end to end (start-up included) on 10k, 100k and 1M rows.

Not a test: it measures and prints. Files are GLPI-style exports built from the sample town
(seeded), written once under benchmarks/data/.

    .venv/bin/python benchmarks/bench_estimate.py [10000 100000 1000000 10x]

``10x`` is 10,000,000 rows: the 1M-row file ten times over (1.7 GB), estimated in batches.
"""

from __future__ import annotations

import csv
import json
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


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak resident memory [MiB] and stdout of one child process."""
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        f"p = subprocess.run({command!r}, check=True, capture_output=True, text=True)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
        "print(p.stdout, end='')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    first, _, rest = out.partition("\n")
    seconds, peak = map(float, first.split())
    return seconds, peak, rest


def main() -> None:
    args = sys.argv[1:] or ["10000", "100000", "1000000"]
    greenit = str(Path(sys.executable).parent / "greenit")
    python = sys.executable
    help_runs = [run([greenit, "--help"])[0] for _ in range(5)]
    typer_runs = [run([python, "-c", "import typer"])[0] for _ in range(5)]
    print(
        f"greenit --help: {min(help_runs):.3f} s (best of 5); "
        f"python -c 'import typer': {min(typer_runs):.3f} s; "
        f"ratio {min(help_runs) / min(typer_runs):.2f}"
    )
    for arg in args:
        path = ten_copies(build(1_000_000)) if arg == "10x" else build(int(arg))
        bare, bare_peak, _ = timed(
            [
                python,
                "-c",
                f"import pandas as pd; pd.read_csv({str(path)!r}, sep=';', engine='pyarrow', dtype=str)",
            ]
        )
        seconds, peak, out = timed([greenit, "estimate", str(path), "--year", "2025", "--json"])
        rows_out = HERE / "data" / "rows-out.csv"
        with_rows, rows_peak, _ = timed(
            [greenit, "estimate", str(path), "--year", "2025", "--json", "--rows-out", str(rows_out)]
        )
        rows_out.unlink(missing_ok=True)
        total = json.loads(out)["totals"]["total_kgco2e"]
        print(
            f"{json.loads(out)['rows_in']:>11,} rows: {seconds:6.2f} s, peak {peak:5.0f} MiB "
            f"({seconds / bare:.1f}× a bare pandas+pyarrow read: {bare:.2f} s, {bare_peak:.0f} MiB); "
            f"with --rows-out {with_rows:6.2f} s, peak {rows_peak:5.0f} MiB; total {total:,.0f} kgCO2e"
        )


if __name__ == "__main__":
    main()
