"""A longer fuzz of every reader than the test suite runs: N mutated files per seed, any seed.

Not a test: it reports what broke. Each case must end with a result (exit 0) or a user-facing
error (exit 2), within a few seconds, and print strict JSON.

    .venv/bin/python benchmarks/fuzz.py [CASES_PER_SEED] [SEED]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fuzzing import cases, command_for, run_greenit  # noqa: E402


def main() -> None:
    per_seed = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    failures, slowest = [], (0.0, "")
    start = time.perf_counter()
    all_cases = cases(per_seed, seed)
    for name, number, data in all_cases:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            path.write_bytes(data)
            t = time.perf_counter()
            code, out, err, unexpected = run_greenit(command_for(name, path, Path(tmp)))
            elapsed = time.perf_counter() - t
            slowest = max(slowest, (elapsed, f"{name}#{number}"))
            problem = None
            if unexpected is not None:
                problem = f"traceback: {unexpected!r}"
            elif code not in (0, 2):
                problem = f"exit {code}"
            elif code == 0:
                try:
                    json.dumps(json.loads(out), allow_nan=False)
                except ValueError as error:
                    problem = f"not strict JSON: {error}"
            if problem:
                failures.append((name, number, problem))
                (ROOT / "benchmarks" / "data").mkdir(exist_ok=True)
                (ROOT / "benchmarks" / "data" / f"fuzz-{seed}-{name}-{number}").write_bytes(data)
    total = time.perf_counter() - start
    print(
        f"{len(all_cases)} cases in {total:.1f} s; slowest {slowest[0]:.2f} s ({slowest[1]}); "
        f"{len(failures)} failed"
    )
    for name, number, problem in failures[:50]:
        print(f"  {name} #{number}: {problem}  (file kept in benchmarks/data/)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
