"""A usage log that gives its own impacts (Albert's EcoLogits figures, energy/emissions columns)
is estimated from them: no default silently replaces a value the log gave. The providers'
published figures are set beside EcoLogits only where EcoLogits estimated something.
"""

from __future__ import annotations

import csv
import json

import pytest
from test_hosted import offline  # noqa: F401  (every test here runs with the network disabled)
from test_report import visible_text

from conftest import ROOT, SMALL_INVENTORY, write
from greenit.api import estimate_ai_files

REAL = ROOT / "tests" / "fixtures" / "real"
ALBERT = REAL / "albert_usage.json"


def _albert_records() -> list[dict]:
    return json.loads(ALBERT.read_text(encoding="utf-8"))["data"]


def france_kg_per_kwh() -> float:
    with (ROOT / "emission_factors" / "electricity.csv").open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["country"] == "FRA")
    header = next(h for h in row if h.startswith("carbon_intensity"))
    return float(row[header]) / (1000 if "g/kWh" in header and "kg" not in header else 1)


def test_albert_export_is_estimated_from_the_impacts_albert_computed(english):
    estimate = estimate_ai_files([ALBERT])
    result = estimate.result()
    given = [r for r in _albert_records() if r["kgco2eq_min"] is not None]
    midpoint = sum((r["kgco2eq_min"] + r["kgco2eq_max"]) / 2 for r in given)
    assert midpoint == pytest.approx(3.97e-5, rel=1e-12)  # the fixtures README's figure (not total_co2)
    # was 0 estimated, 4 flagged (« albert-large » unknown to EcoLogits)
    assert (result["runs_estimated"], result["runs_flagged"]) == (2, 2)
    totals = result["totals"]
    assert totals["total_kgco2e"] == pytest.approx(midpoint, rel=1e-9)
    assert totals["total_low_kgco2e"] == pytest.approx(sum(r["kgco2eq_min"] for r in given), rel=1e-9)
    assert totals["total_high_kgco2e"] == pytest.approx(sum(r["kgco2eq_max"] for r in given), rel=1e-9)
    assert totals["energy_kwh"] == pytest.approx(sum((r["kwh_min"] + r["kwh_max"]) / 2 for r in given))
    runs = estimate.runs.set_index("run_id")
    first = runs.loc["albert_usage.json#1"]
    assert (first["energy_method"], first["model"]) == ("provider", "albert-large")
    assert first["notes"].render("fr").startswith("impacts donnés par le fournisseur (Albert)")
    # no impacts given (embeddings, transcription): EcoLogits, which cannot estimate them
    assert "no token generated" in str(runs.loc["albert_usage.json#3", "reason"])


def test_newer_albert_records_nest_their_impacts_in_usage_carbon(tmp_path):
    record = {
        "created": 1741083667,
        "endpoint": "/v1/chat/completions",
        "model": "albert-large",
        "key": "ma-clé",
        "usage": {
            "prompt_tokens": 1504,
            "completion_tokens": 412,
            "total_tokens": 1916,
            "cost": 0.0,
            "carbon": {"kWh": {"min": 0.0004, "max": 0.0009}, "kgCO2eq": {"min": 2e-05, "max": 5e-05}},
        },
    }
    path = write(tmp_path / "usage.json", json.dumps({"object": "list", "data": [record]}))
    runs = estimate_ai_files([path]).runs
    assert runs["estimate_status"].tolist() == ["estimated"]
    assert runs[["total_kgco2e", "total_low_kgco2e", "total_high_kgco2e"]].iloc[0].tolist() == pytest.approx(
        [3.5e-05, 2e-05, 5e-05]
    )
    assert runs["energy_kwh"].iloc[0] == pytest.approx(0.00065)


def test_usage_spreadsheet_with_energy_and_emissions_columns_keeps_them(tmp_path, english):
    text = (
        "service;fournisseur;modèle;requêtes;jetons de sortie;période;lieu;energy_kwh;emissions_kgco2e\n"
        "Chatbot;Mistral AI;mistral-small-latest;1000;400000;2025-03;FRA;0,5;0,02\n"
        "Chatbot;Mistral AI;mistral-small-latest;1000;400000;2025-04;FRA;0,5;\n"
        "Chatbot;Mistral AI;mistral-small-latest;1000;400000;2025-05;FRA;;\n"
    )
    estimate = estimate_ai_files([write(tmp_path / "usage.csv", text)])
    assert estimate.result()["files"][0]["kind"] == "usage_log"  # an energy column beside tokens
    runs = estimate.runs
    assert runs["energy_method"].tolist() == ["provider", "provider", "ecologits"]
    assert runs["energy_kwh"].tolist()[:2] == [0.5, 0.5]
    assert runs["total_kgco2e"].iloc[0] == 0.02 and runs["embodied_kgco2e"].iloc[0] == 0
    assert runs["usage_kgco2e"].iloc[1] == pytest.approx(0.5 * france_kg_per_kwh())
    assert "the energy given × the place's grid factor" in runs["notes"].iloc[1].render("en")
    assert runs["notes"].iloc[0].render("en").startswith("impacts given by the provider (Mistral AI)")
    assert runs["total_kgco2e"].iloc[2] > 0  # the row that gives none: EcoLogits


def test_provider_figures_shown_only_beside_an_ecologits_estimate(run_cli, tmp_path):
    code, out, err = run_cli("ai", "estimate", ALBERT)
    assert code == 0, err
    assert "Chiffres publiés par les fournisseurs" not in out  # Albert's own figures: no EcoLogits
    code, out, _ = run_cli("ai", "estimate", ALBERT, "--json")
    hosted = json.loads(out)["hosted"]
    assert hosted["references"] == [] and hosted["references_spread"]["lowest_ratio"] is None
    code, out, _ = run_cli("ai", "estimate", REAL / "mistral_chat_responses.jsonl")
    assert "Chiffres publiés par les fournisseurs pour une même requête" in out
    out_dir = tmp_path / "r"
    inventory = write(tmp_path / "parc.csv", SMALL_INVENTORY)
    code, _, err = run_cli("report", inventory, "--ai", ALBERT, "--year", "2025", "--out", out_dir)
    assert code == 0, err
    html = visible_text((out_dir / "report.html").read_text(encoding="utf-8"))
    assert "Ce que publient les fournisseurs" not in html
    assert "albert-large" in html
