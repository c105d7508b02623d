"""Write every CLI output of the sample town into a folder, to compare two versions byte for byte.

Not a test: a refactoring tool. Run it before and after a change that must not change any
output, then ``diff -r`` the two folders::

    .venv/bin/python benchmarks/snapshot_outputs.py /tmp/before
    # ... change the code ...
    .venv/bin/python benchmarks/snapshot_outputs.py /tmp/after
    diff -r /tmp/before /tmp/after && echo identical

The report's generation date and the XLSX container's timestamps are the only parts that may
differ between two days; the XLSX is compared cell by cell (as openpyxl reads it).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOWN = ROOT / "examples" / "ville-exemple"
INVENTORY = str(TOWN / "inventaire_glpi.csv")
AI_LOG = str(TOWN / "journal_ia.csv")

COMMANDS: dict[str, list[str]] = {
    "estimate.txt": ["estimate", INVENTORY, "--year", "2025"],
    "estimate_en.txt": ["estimate", INVENTORY, "--year", "2025", "--lang", "en"],
    "estimate.json": ["estimate", INVENTORY, "--year", "2025", "--json"],
    "estimate_flux.json": ["estimate", INVENTORY, "--year", "2025", "--json", "--method", "flux"],
    "ai.txt": ["ai", "estimate", AI_LOG],
    "ai.json": ["ai", "estimate", AI_LOG, "--json"],
    "scenario.txt": ["scenario", INVENTORY, "--year", "2025", "-s", "lifespan+2", "-s", "reuse=50%"],
    "scenario.json": [
        "scenario",
        INVENTORY,
        "--year",
        "2025",
        "-s",
        "lifespan+2",
        "-s",
        "refurbished=30%",
        "--cumulative",
        "--ai",
        AI_LOG,
        "-s",
        "pue=1.1",
        "--json",
    ],
    "factors_list.txt": ["factors", "list"],
    "factors_show.txt": ["factors", "show", "devices", "laptop"],
}


def greenit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "greenit", *args], capture_output=True, text=True, cwd=ROOT)


def xlsx_cells(path: Path) -> str:
    from openpyxl import load_workbook

    lines = []
    for sheet in load_workbook(path, read_only=True).worksheets:
        lines.append(f"== {sheet.title}")
        lines += [
            "\t".join("" if c is None else repr(c) for c in row) for row in sheet.iter_rows(values_only=True)
        ]
    return "\n".join(lines) + "\n"


def main(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, args in COMMANDS.items():
        proc = greenit(*args)
        (target / name).write_text(f"exit {proc.returncode}\n{proc.stdout}\n--- stderr\n{proc.stderr}")
    rows, xlsx = target / "rows.csv", target / "results.xlsx"
    greenit("estimate", INVENTORY, "--year", "2025", "--rows-out", str(rows), "--xlsx-out", str(xlsx))
    (target / "results.xlsx.txt").write_text(xlsx_cells(xlsx))
    xlsx.unlink()
    report = target / "report"
    greenit(
        "report", INVENTORY, "--ai", AI_LOG, "--year", "2025", "--headcount", "1000", "--out", str(report)
    )
    for png in report.glob("*.png"):
        png.unlink()  # PNG bytes depend on the matplotlib build; the SVG beside it carries the same chart
    print(f"outputs written to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "snapshot"))
