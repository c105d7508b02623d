"""A log's « Total » line is no missed run: flagged (never counted), out of the coverage.

A run log of six runs ending with « Total;;;; » said « 14 % des exécutions n'ont pas pu être
estimées… le total est sous-estimé », as an inventory's totals rows no longer do.
"""

from __future__ import annotations

import json

import pytest

from conftest import write

HEADER = "Projet;Début;Durée;Accélérateur;Nombre\n"
RUNS = "".join(f"Tri;0{d}-03-2025;2;A100;1\n" for d in range(1, 7))


@pytest.mark.parametrize(
    ("extra", "coverage"),
    [("Total;;;;\n", 1.0), ("Total;;12;;\n", 1.0), ("Tri;07-03-2025;-3;A100;1\nTotal;;;;\n", 6 / 7)],
)
def test_a_totals_line_is_flagged_and_no_missed_run(tmp_path, run_main, extra, coverage):
    log = write(tmp_path / "journal.csv", HEADER + RUNS + extra)
    done = run_main("ai", "estimate", log, "--year", "2025", "--json")
    result = json.loads(done.stdout)
    assert result["coverage"]["runs"] == pytest.approx(coverage)
    assert result["coverage"]["warning"] is (coverage < 0.9)
    assert any(f["reason"].startswith("ligne de total, pas une exécution") for f in result["flagged"])
    assert result["runs_estimated"] == 6


def test_a_usage_logs_totals_line_is_no_missed_usage(tmp_path, run_main):
    rows = "".join(f"A;mistral-small-2503;{m} 2025;1000;400000\n" for m in ("janvier", "février"))
    usage = write(
        tmp_path / "usage.csv", "Service;Modèle;Mois;Requêtes;Jetons de sortie\n" + rows + "Total;;;2000;\n"
    )
    result = json.loads(run_main("ai", "estimate", usage, "--year", "2025", "--json").stdout)
    assert result["coverage"] == {"runs": 1.0, "warning": False}
