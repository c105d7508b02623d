"""The console's inventory table adds up: a printer's toner (BEGES 4.1) has its column.

« Copieur │ 1,34 │ 0,166 │ 0,0433 │ 4,27 »: the 2.72 t of toner were in the total and in no column.
"""

from __future__ import annotations

import json

import pytest

from conftest import SAMPLE_INVENTORY, write


def cells(out: str, label: str) -> list[float]:
    line = next(line for line in out.splitlines() if line.strip("│ ").startswith(label))
    parts = [p.strip() for p in line.strip("│").split("│")]
    return [float(p.replace("\u202f", "").replace(" ", "").replace(",", ".")) for p in parts[2:-1]]


def test_each_category_row_adds_up_with_its_toner(run_main):
    out = run_main("estimate", SAMPLE_INVENTORY, "--year", "2025").stdout
    assert "Consommables" in out
    for label in ("Copieur", "Imprimante", "Ordinateur portable", "Total équipements"):
        *parts, total = cells(out, label)
        assert sum(parts) == pytest.approx(total, rel=0.01, abs=0.01), label
    result = json.loads(run_main("estimate", SAMPLE_INVENTORY, "--year", "2025", "--json").stdout)
    copier = next(g for g in result["by_category"] if g["category"] == "multifunction_printer")
    assert copier["consumables_kgco2e"] > 0  # the column is the JSON's own figure (t: /1000)
    assert cells(out, "Copieur")[3] == pytest.approx(copier["consumables_kgco2e"] / 1000, rel=0.01)


def test_no_toner_no_column(tmp_path, run_main):
    out = run_main("estimate", write(tmp_path / "i.csv", "Type;Quantité\nÉcran;3\n"), "--year", "2025").stdout
    assert "Consommables" not in out
