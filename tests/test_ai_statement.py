"""greenit ai statement: a model's compute, time, energy, emissions, place, method — one page."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from conftest import FRANCE_GRID, SAMPLE_AI_LOG, write

PROJECT = "Tri du courrier entrant"


def test_statement_energy_is_the_sum_of_the_projects_runs_in_ai_estimate(run_cli, tmp_path):
    code, out, err = run_cli("ai", "estimate", SAMPLE_AI_LOG, "--json")
    assert code == 0, err
    runs = [r for r in json.loads(out)["runs"] if r["project"] == PROJECT]
    code, _, err = run_cli("ai", "statement", SAMPLE_AI_LOG, "--project", PROJECT, "--out", tmp_path / "s")
    assert code == 0, err
    statement = json.loads((tmp_path / "s" / "statement.json").read_text(encoding="utf-8"))
    for key in (
        "project",
        "energy_kwh",
        "total_kgco2e",
        "total_low_kgco2e",
        "total_high_kgco2e",
        "hardware",
        "location",
        "method",
    ):
        assert key in statement
    assert statement["energy_kwh"] == pytest.approx(sum(r["energy_kwh"] for r in runs), rel=1e-8)
    assert statement["total_high_kgco2e"] == pytest.approx(
        sum(r["total_high_kgco2e"] for r in runs), rel=1e-8
    )


def test_mail_sorting_figures_by_hand(run_cli, tmp_path):
    code, _, err = run_cli("ai", "statement", SAMPLE_AI_LOG, "--project", PROJECT, "--out", tmp_path / "s")
    assert code == 0, err
    statement = json.loads((tmp_path / "s" / "statement.json").read_text(encoding="utf-8"))
    # journal_ia.csv: A100 SXM 80GB at 400 W, PUE 1.2 —
    # 6 h × 0.85 + 9.5 h × 0.80 + 40 min × 0.60 + 2 days × 4 GPUs × 0.90
    energy = 0.4 * 1.2 * (6 * 0.85 + 9.5 * 0.80 + (40 / 60) * 0.60 + 48 * 4 * 0.90)
    assert statement["energy_kwh"] == pytest.approx(energy, rel=1e-8)  # 89.232 kWh
    assert statement["accelerator_hours"] == pytest.approx(6 + 9.5 + 40 / 60 + 48 * 4, rel=1e-8)
    assert statement["hardware"][0]["accelerator"] == "a100_sxm_80gb"
    assert statement["hardware"][0]["count"] == 4
    assert statement["location"][0]["country"] == "FRA"
    assert statement["location"][0]["carbon_intensity_kg_per_kwh"] == FRANCE_GRID
    assert statement["method"]["energy"] == "estimated"
    assert statement["period"] == {"first_start": "2025-01-20", "last_end": "2025-03-04"}
    assert statement["usage_kgco2e"] == pytest.approx(energy * FRANCE_GRID, rel=1e-8)
    assert [r["started_at"] for r in statement["runs"]][:2] == ["2025-02-12", "2025-03-03"]
    assert "ecb_eurofxref" not in statement["sources"] and "bloom_2022" in statement["sources"]


def test_statement_page_answers_each_heading_and_is_accessible(run_cli, tmp_path):
    code, _, err = run_cli("ai", "statement", SAMPLE_AI_LOG, "--project", PROJECT, "--out", tmp_path / "s")
    assert code == 0, err
    page = (tmp_path / "s" / "statement.html").read_text(encoding="utf-8")

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.text = [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

        def handle_data(self, data):
            self.text.append(data)

    parsed = Collect()
    parsed.feed(page)
    text = " ".join(parsed.text)
    assert '<html lang="fr">' in page
    assert parsed.tags.count("table") == parsed.tags.count("caption") == 3
    for heading in (
        "Calcul",
        "Durée",
        "Énergie",
        "Émissions",
        "Lieu et facteur du réseau",
        "Méthode et sources",
    ):
        assert heading in text
    assert "annexe XI" in text and "AFNOR Spec 2314" in text
    # one method: said once, without the total again (it read « 89,2 kWh — estimée, non mesurée :
    # estimée (modèle des accélérateurs), 4 runs, 89,2 kWh »); dates as French writes them
    assert "89,2\u00a0kWh</strong> — estimée (modèle des accélérateurs), 4 runs</td>" in page
    assert text.count("89,2") == 1
    assert "du 20 janvier 2025 au 4 mars 2025" in text and "12 février 2025" in text
    assert "2025-01-20" not in text
    # the hardware line does not repeat the 208 accelerator-hours of the compute line
    assert text.count("208") == 1 and re.search(
        r"A100 SXM 80GB\s: jusqu'à 4 à la fois, 400\sW par carte", text
    )
    assert "Méthode" in re.findall(r"<th scope=\"col\">([^<]+)</th>", page)
    assert "89,2" in text and "ademe_electricity_2025" in text
    assert "FRA\u00a0: 46,1 gCO2e/kWh" in text and "région" not in text


def test_measured_runs_are_said_measured(run_cli, tmp_path):
    log = write(
        tmp_path / "runs.csv",
        "run_id,project,phase,started_at,duration [h],energy [kWh],accelerator,accelerator_count,location\n"
        "a,Modèle,fine-tuning,2025-05-01,10,12.5,A100,1,FRA\n"
        "b,Modèle,fine-tuning,2025-05-02,10,,A100,1,FRA\n",
    )
    code, _, err = run_cli("ai", "statement", log, "--project", "modele", "--out", tmp_path / "s")
    assert code == 0, err
    statement = json.loads((tmp_path / "s" / "statement.json").read_text(encoding="utf-8"))
    assert statement["project"] == "Modèle"  # found accents and case aside
    assert statement["method"]["energy"] == "mixed"
    measured = [m for m in statement["method"]["by_method"] if m["method"] == "measured"][0]
    assert measured["energy_kwh"] == pytest.approx(12.5)
    page = (tmp_path / "s" / "statement.html").read_text(encoding="utf-8")
    # each method's runs and kWh, with French spacing before « : » and « ; »
    said = (
        r"en partie mesurée\u00a0: estimée \(modèle des accélérateurs\), 1 run, [\d,]+\u00a0kWh"
        r"\u202f; mesurée, 1 run, 12,5\u00a0kWh<"
    )
    assert re.search(said, page)


def test_unknown_project_names_the_projects_found(run_cli, tmp_path):
    code, _, err = run_cli(
        "ai", "statement", SAMPLE_AI_LOG, "--project", "Tri courrier", "--out", tmp_path / "s"
    )
    assert code == 2
    assert "Tri du courrier entrant" in err and "Assistant citoyen" in err
    assert not (tmp_path / "s").exists()


def test_statement_api():
    import greenit

    statement = greenit.ai_statement([SAMPLE_AI_LOG], PROJECT)
    assert statement["runs_estimated"] == 4
    assert statement["energy_by_phase_kwh"]["training"] == pytest.approx(0.4 * 1.2 * 48 * 4 * 0.9)
