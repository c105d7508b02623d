"""Red-team pass over greenit's promises: a hostile or careless user, case by case.

Every case runs the real ``greenit`` command in a subprocess (or the Python API in one) and
checks one promise of the README or of DESIGN.md: a user mistake is one or two lines and exit 2,
never a traceback; a bad row is flagged, never dropped (``rows_in = rows_estimated +
rows_flagged``); outputs are atomic and carry no spreadsheet formula; HTML runs no script
(headless Chromium); JSON is strict; time and memory stay bounded; French and English never mix.
It prints a table ``case → expected → got`` and exits 1 when a case broke.

    .venv/bin/python benchmarks/redteam.py              # every case (a few minutes)
    .venv/bin/python benchmarks/redteam.py track html   # only the cases whose area or name match
    .venv/bin/python benchmarks/redteam.py --list       # the cases, not run

The cases live in ``benchmarks/redteam_*.py``, one file per area; ``redteam_kit`` holds the
subprocess runner and the checks they share. ``greenit track`` uses the stub CodeCarbon of
``tests/stub_codecarbon`` unless ``GREENIT_REDTEAM_REAL_CODECARBON=1``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import redteam_api  # noqa: E402,F401  (each module registers its cases)
import redteam_i18n  # noqa: E402,F401
import redteam_inputs  # noqa: E402,F401
import redteam_options  # noqa: E402,F401
import redteam_outputs  # noqa: E402,F401
import redteam_track  # noqa: E402,F401
import redteam_trust  # noqa: E402,F401
from redteam_kit import CASES, run_case  # noqa: E402


def main(argv: list[str]) -> int:
    words = [a for a in argv if not a.startswith("--")]
    chosen = [c for c in CASES if not words or any(w in f"{c.area} {c.name}" for w in words)]
    if "--list" in argv:
        for case in chosen:
            print(f"{case.area:8} {case.name:55} {case.expected}")
        return 0
    broken, start = [], time.perf_counter()
    print(f"{'area':8} {'case':55} {'expected':45} got")
    for case in chosen:
        ok, got, seconds = run_case(case)
        mark = "ok  " if ok else "BROKEN"
        print(f"{case.area:8} {case.name:55} {case.expected:45} {mark} {got} ({seconds:.1f} s)", flush=True)
        if not ok:
            broken.append(case)
    print(f"\n{len(chosen)} cases in {time.perf_counter() - start:.0f} s; {len(broken)} broken")
    for case in broken:
        print(f"  BROKEN {case.area}/{case.name}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
