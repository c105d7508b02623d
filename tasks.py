#!/usr/bin/env python3
"""The two Quick start commands, with nothing but Python 3.11+ on the machine.

    python3 tasks.py demo   # set up .venv, build the demo report of the sample town
    python3 tasks.py test   # set up .venv, lint, type-check and run the whole test suite

Both create ``.venv`` beside this file on first use and install greenit into it (editable,
with the ``dev`` extras); later runs reuse it and reinstall only when pyproject.toml changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".greenit-installed"


def run(*command: str | Path) -> None:
    print("+", " ".join(str(c) for c in command), flush=True)
    result = subprocess.run([str(c) for c in command], cwd=ROOT)
    if result.returncode != 0:
        sys.exit(result.returncode)


def setup() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"greenit needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print(f"creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        run(
            BIN / "python",
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-e",
            ".[dev]",
        )
        STAMP.write_text(wanted)


def demo() -> None:
    setup()
    run(
        BIN / "greenit",
        "report",
        "examples/ville-exemple/inventaire_glpi.csv",
        "--ai",
        "examples/ville-exemple/journal_ia.csv",
        "--ai",
        "examples/ville-exemple/usage_ia_generative.csv",  # hosted generative AI (chatbot, assistant…)
        "--ai-register",
        "examples/ville-exemple/registre_ia.csv",  # the town's AI systems: role, risk class, duties
        "--services",
        "examples/ville-exemple/services.csv",  # cloud, SaaS, hosting, telecoms bought (issue 22)
        *("-s", "lifespan+2", "-s", "refurbished=30%", "-s", "reuse=50%"),
        *("-s", "model=mistral-small-latest:Assistant des agents"),
        "--year",
        "2025",
        "--headcount",
        "1000",
        "--out",
        "demo-report",
    )
    print(f"\nopen {ROOT / 'demo-report' / 'report.html'}")


#: What ruff lints and formats: every Python file of the project.
LINTED = ("greenit", "tests", "examples", "benchmarks", "tasks.py")


def test() -> None:
    setup()
    run(BIN / "python", "-m", "ruff", "check", *LINTED)
    run(BIN / "python", "-m", "ruff", "format", "--check", *LINTED)  # formatting enforced, not advised
    run(BIN / "python", "-m", "mypy")  # the package, as configured in pyproject.toml
    run(BIN / "python", "-m", "pytest", "-q", "-n", "auto", *sys.argv[2:])


if __name__ == "__main__":
    task = sys.argv[1] if len(sys.argv) > 1 else ""
    if task not in ("demo", "test"):
        sys.exit("usage: python3 tasks.py demo | test [pytest options]")
    {"demo": demo, "test": test}[task]()
