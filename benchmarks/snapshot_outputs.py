"""Write every CLI output of the sample town into a folder, to compare two versions byte for byte.

Not a test: a refactoring tool. Run it before and after a change that must not change any
output, then ``diff -r`` the two folders::

    .venv/bin/python benchmarks/snapshot_outputs.py /tmp/before
    # ... change the code ...
    .venv/bin/python benchmarks/snapshot_outputs.py /tmp/after
    diff -r /tmp/before /tmp/after && echo identical

The report's generation date and the XLSX container's timestamps are the only parts that may
differ between two days; the XLSX is compared cell by cell (as openpyxl reads it).

Deliberate output changes, each in its own commit after the moves it checked (issue 18; take a
new "before" snapshot from the commit before the next refactoring):

- levers state what they act on: ``scenario --json`` entries and ``summary.json`` scenarios
  gain ``scope`` (and ``lever``, the spec as typed, in ``scenario --json``); the grid lever
  reads « Électricité des équipements à … » / "Equipment electricity at …".
- one closest-name matcher: tied suggestions keep the catalogue's order (model names).
- bounds named ``<quantity>_<low|high>_<unit>``: ``annual_low_kwh``/``annual_high_kwh`` (factors
  show devices, summary.json factors_used.devices), ``ecologits_low_gco2e``/``_high_`` (the
  hosted references of ai estimate --json and summary.json), ``use_low_kwh``/``use_high_kwh``
  (the estimated frame).
- reason codes: ``reason_code`` beside each ``reason`` in the JSON ``flagged`` entries (estimate,
  ai estimate, summary.json) and a ``reason_code`` column in ``--rows-out`` (both commands) and
  in the workbook's rows sheet.
- euros (issue 20): the sample town's GLPI export gains « Informations financières et
  administratives - Valeur » (no other cell changes); every output gains its euros — the
  ``budget`` of ``estimate --json`` and ``summary.json``, the € keys of ``scenario --json`` and of
  ``summary.json`` scenarios, the budget lines on the console, the Budget sheet and the rows'
  price columns, the report's « Budget du parc » section (after the levers) and its
  € columns. Checked with a before/after snapshot: once the € keys, the Valeur header and the
  € columns are set aside, every figure is identical.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOWN = ROOT / "examples" / "ville-exemple"
INVENTORY = str(TOWN / "inventaire_glpi.csv")
AI_LOG = str(TOWN / "journal_ia.csv")
HOSTED = str(TOWN / "usage_ia_generative.csv")
REAL = ROOT / "tests" / "fixtures" / "real"
#: Every real-format fixture, read by the command its kind goes to (inventories: estimate; logs: ai).
INVENTORIES = sorted(
    p.name for p in REAL.iterdir() if p.name.startswith(("glpi", "g4it_physical", "numecoeval", "inventaire"))
)
AI_LOGS = [
    "ai_runs_hand_typed.csv",
    "albert_usage.json",
    "anthropic_usage_report_messages.json",
    "emissions_codecarbon.csv",
    "g4it_ai_parameters.csv",
    "mistral_chat_responses.jsonl",
    "openai_usage_completions.json",
    "sacct_parsable2.txt",
    "town_ai_services.csv",
]

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
    "scenario_hosted.json": [
        "scenario",
        INVENTORY,
        "--year",
        "2025",
        "--ai",
        HOSTED,
        "--ai",
        AI_LOG,
        "-s",
        "model=mistral-small-latest:Assistant des agents",
        "-s",
        "requests=-20%",
        "-s",
        "grid=32g/kWh",
        "-s",
        "lifespan+1:portables",
        "--json",
    ],
    "scenario_hosted_en.txt": [
        *("scenario", INVENTORY, "--year", "2025", "--ai", HOSTED, "--lang", "en"),
        *("-s", "model=mistral-small-latest:Assistant des agents", "-s", "requests=-20%", "--cumulative"),
    ],
    "scenario_no_lever.txt": ["scenario", INVENTORY],
    "scenario_bad_lever.txt": ["scenario", INVENTORY, "-s", "lifespan+x"],
    "estimate_missing.txt": ["estimate", "nowhere.csv", INVENTORY, "--year", "2025"],
    "estimate_grid.json": ["estimate", INVENTORY, "--year", "2025", "--grid-factor", "57 g/kWh", "--json"],
    "ai_hosted.txt": ["ai", "estimate", HOSTED, AI_LOG],
    "ai_hosted.json": ["ai", "estimate", HOSTED, "--json", "--grid-factor", "50"],
    "factors_list.txt": ["factors", "list"],
    "factors_show_portables.txt": ["factors", "show", "devices", "portables"],
    "factors_show_closest.txt": ["factors", "show", "devices", "laptopp"],
    "factors_validate.txt": ["factors", "validate"],
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
    greenit("estimate", INVENTORY, "--year", "2025", "--rows-out", str(target / "rows_streamed.csv"))
    for name in INVENTORIES:
        args = [
            "estimate",
            str(REAL / name),
            "--year",
            "2025",
            "--rows-out",
            str(target / f"{name}.rows.csv"),
        ]
        proc = greenit(*args, "--json")
        (target / f"{name}.json").write_text(
            f"exit {proc.returncode}\n{proc.stdout}\n--- stderr\n{proc.stderr}"
        )
    for name in AI_LOGS:
        extra = ["--accelerator", "H100"] if name.startswith("sacct") else []
        for suffix, flags in ((".txt", []), (".json", ["--json"])):
            rows = ["--rows-out", str(target / f"ai_{name}.rows.csv")] if suffix == ".json" else []
            proc = greenit("ai", "estimate", str(REAL / name), *extra, *flags, *rows)
            text = f"exit {proc.returncode}\n{proc.stdout}\n--- stderr\n{proc.stderr}"
            (target / f"ai_{name}{suffix}").write_text(text)
    report = target / "report"
    greenit(
        "report", INVENTORY, "--ai", AI_LOG, "--year", "2025", "--headcount", "1000", "--out", str(report)
    )
    demo = target / "report_demo"
    greenit(
        *("report", INVENTORY, "--ai", AI_LOG, "--ai", HOSTED, "--year", "2025", "--headcount", "1000"),
        *("-s", "lifespan+2", "-s", "refurbished=30%", "-s", "reuse=50%", "--lang", "en"),
        *("-s", "model=mistral-small-latest:Assistant des agents", "--out", str(demo)),
    )
    for png in [*report.glob("*.png"), *demo.glob("*.png")]:
        png.unlink()  # PNG bytes depend on the matplotlib build; the SVG beside it carries the same chart
    print(f"outputs written to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "snapshot"))
