#!/usr/bin/env python3
"""The Quick start commands (demo, test) and the maintainers' ones, with nothing but Python 3.11+.

    python3 tasks.py demo          # set up .venv, build the demo report of the sample town
    python3 tasks.py test          # set up .venv, lint, type-check and run the whole test suite
    python3 tasks.py minversions   # the declared version floors, in .venv-min: a smoke test
    python3 tasks.py docs          # regenerate docs/api.md from the public API's docstrings

demo, test and docs create ``.venv`` beside this file on first use and install greenit into it
(editable, with the ``dev`` extras); later runs reuse it and reinstall only when pyproject.toml
changed. minversions builds its own ``.venv-min`` afresh each time.
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


def run(*command: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(c) for c in command), flush=True)
    result = subprocess.run([str(c) for c in command], cwd=ROOT, env=env)
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
        *("--population", "52000", "--title", "Ville de Belleval"),  # the sample town's name and size
        "--out",
        "demo-report",
    )
    town = "examples/ville-exemple"
    # the citizens' assistant planned three ways, and the statement of the fine-tuned mail sorter
    run(BIN / "greenit", "ai", "plan", f"{town}/plan_assistant.toml", "--out", "demo-report/plan")
    run(
        BIN / "greenit",
        "ai",
        "statement",
        f"{town}/journal_ia.csv",
        "--project",
        "Tri du courrier entrant",
        "--out",
        "demo-report/declaration",
    )
    print(f"\nopen {ROOT / 'demo-report' / 'report.html'}")


#: What ruff lints and formats: every Python file of the project.
LINTED = ("greenit", "tests", "examples", "benchmarks", "tasks.py")


def test() -> None:
    setup()
    run(BIN / "python", "-m", "ruff", "check", *LINTED)
    run(BIN / "python", "-m", "ruff", "format", "--check", *LINTED)  # formatting enforced, not advised
    run(BIN / "python", "-m", "mypy")  # the package, as configured in pyproject.toml
    run(BIN / "python", "-m", "pytest", "-q", "-n", "auto", *sys.argv[2:], env=bytecode_in_venv())


def bytecode_in_venv() -> dict[str, str]:
    """The environment for pytest, with compiled modules kept in ``.venv/pycache``.

    Under PYTHONDONTWRITEBYTECODE every test process (each xdist worker, each ``python -m
    greenit`` a test starts) compiled greenit and rewrote the tests' asserts afresh: 10 s of CPU
    per worker to collect instead of 4. Python's bytecode goes in the virtual environment, not
    beside the sources; greenit's own caches (the parsed catalogues) go in their git-ignored
    ``__pycache__`` folders, as on any machine without that variable.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("PYTHONPYCACHEPREFIX", str(VENV / "pycache"))
    return env


#: What the floors are checked on: reading every format (CSV, XLSX, ODS, Parquet), estimating,
#: levers, the report (Jinja2, matplotlib), the history store, the CLI's words in both languages
#: (click as typer vendors it), tracking, the property tests, the fast paths — not the slow or
#: browser tests.
SMOKE = (
    "tests/test_cli_estimate.py",
    "tests/test_real_exports.py",
    "tests/test_spreadsheets.py",
    "tests/test_ai.py",
    "tests/test_hosted.py",
    "tests/test_scenarios.py",
    "tests/test_i18n.py",
    "tests/test_units.py",
    "tests/test_outputs.py",
    "tests/test_report_console.py",
    "tests/test_report_tables.py",
    "tests/test_history.py",
    "tests/test_track.py",
    "tests/test_options.py",
    "tests/test_properties.py",
    # the fast paths on distinct values, beside their references (Arrow's UTF-8 check at pyarrow's
    # floor, pandas' grouped sums, the layered flags, the stored factor set)
    "tests/test_distinct_values.py",
    "tests/test_streaming.py",
    "tests/test_summary_sums.py",
    "tests/test_flags_layers.py",
    "tests/test_factor_store.py",
    "tests/test_estimate_distinct.py",
    # rows that repeat estimated once, summed with weights; the whole read by pyarrow's threads
    "tests/test_distinct_rows.py",
    "tests/test_summary_weights.py",
    "tests/test_streaming_whole.py",
)
#: The test libraries of the ``dev`` extras whose floors the smoke tests exercise (the linters,
#: the build backend and pytest-xdist are not run there; the notebooks' kernel is a slow test).
DEV_FLOORS = ("pytest", "hypothesis")
MIN_VENV = ROOT / ".venv-min"


def floors() -> list[str]:
    """``name==floor`` for every runtime dependency of pyproject.toml and the test libraries."""
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    dev = [r for r in project["optional-dependencies"]["dev"] if re.split(r"[<>=\s]", r)[0] in DEV_FLOORS]
    pins = []
    for requirement in [*project["dependencies"], *dev]:
        match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*>=\s*([^,;\s]+)", requirement)
        if match is None:
            sys.exit(f"pyproject.toml: {requirement!r} declares no floor (name>=version)")
        pins.append(f"{match[1]}=={match[2]}")
    return pins


def minversions() -> None:
    """Install greenit with every dependency at its declared floor, run the smoke tests.

    A floor that is not true (an API greenit uses appears later) fails here, as pvlib's
    minimum-versions job does. Needs the package index (CI has it); .venv-min is rebuilt each time.
    """
    import shutil

    if sys.version_info < (3, 11):
        sys.exit(f"greenit needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    shutil.rmtree(MIN_VENV, ignore_errors=True)
    venv.create(MIN_VENV, with_pip=True)
    python = MIN_VENV / ("Scripts" if os.name == "nt" else "bin") / "python"
    pins = floors()
    print("floors:", ", ".join(pins), flush=True)
    pip = (python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check")
    run(*pip, "-e", ".", *pins)  # the pins as requirements: pip fails if they cannot hold together
    run(python, "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check")
    run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow", *SMOKE, *sys.argv[2:])


def docs() -> None:
    """Regenerate docs/api.md from the docstrings (tests/test_api_reference.py checks it)."""
    setup()
    run(BIN / "python", "-m", "greenit.apireference", ROOT / "docs" / "api.md")


if __name__ == "__main__":
    task = sys.argv[1] if len(sys.argv) > 1 else ""
    tasks = {"demo": demo, "test": test, "minversions": minversions, "docs": docs}
    if task not in tasks:
        sys.exit("usage: python3 tasks.py demo | test [pytest options] | minversions | docs")
    tasks[task]()
