"""A seeded fuzz of every reader: mutated files give a result or a clear error, never a traceback.

The cases are deterministic (tests/fuzzing.py); ``benchmarks/fuzz.py`` runs many more.
"""

from __future__ import annotations

import json
import time

import pytest
from fuzzing import cases, command_for, run_greenit, xlsx_from

CASES = cases(count_per_seed=12)
LIMIT_SECONDS = 5.0


@pytest.mark.parametrize("name, number, data", CASES, ids=[f"{n}-{i}" for n, i, _ in CASES])
def test_a_mutated_file_gives_a_result_or_a_clear_error(tmp_path, name, number, data):
    path = tmp_path / name
    path.write_bytes(data)
    start = time.perf_counter()
    code, out, err, unexpected = run_greenit(command_for(name, path, tmp_path))
    elapsed = time.perf_counter() - start
    assert unexpected is None, f"traceback on {name} case {number}: {unexpected!r}"
    assert code in (0, 2), (code, err)
    assert elapsed < LIMIT_SECONDS
    if code == 0:
        result = json.loads(out)  # strict JSON: json.loads refuses nothing, so check by re-dumping
        json.dumps(result, allow_nan=False)
    else:
        assert "Traceback" not in err and err.strip()


XLSX_CASES = [c for c in CASES if c[0] == "inventory.csv"][:6]


@pytest.mark.parametrize("name, number, data", XLSX_CASES, ids=[f"xlsx-{i}" for _, i, _ in XLSX_CASES])
def test_a_mutated_workbook_gives_a_result_or_a_clear_error(tmp_path, name, number, data):
    path = tmp_path / "inventaire.xlsx"
    xlsx_from(data, path)
    code, out, err, unexpected = run_greenit(["estimate", str(path), "--json", "--year", "2025"])
    assert unexpected is None, f"traceback on workbook case {number}: {unexpected!r}"
    assert code in (0, 2), (code, err)
