"""Charts and the report, rendered from the sample town and read back as a reader would."""

import json
import re
import shutil
import subprocess

import pandas as pd
import pytest

from conftest import SAMPLE_AI_LOG, SAMPLE_INVENTORY, write
from greenit.api import build_report, estimate_ai_files, estimate_files
from greenit.inventory.indicators import age_profile, inventory_indicators
from greenit.parsing.lever_specs import parse_scenario
from greenit.reporting import charts
from greenit.reporting.labels import format_number
from greenit.results import group_totals
from greenit.scenarios import compare_scenarios


@pytest.fixture(scope="module")
def sample():
    return estimate_files([SAMPLE_INVENTORY], year=2025)


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("rapport")
    report = build_report(
        [SAMPLE_INVENTORY],
        out,
        ai_paths=[SAMPLE_AI_LOG],
        year=2025,
        headcount=1000,
        title="Ville de Belleval",
    )
    return report, report.html_path.read_text(encoding="utf-8")


def texts_of(svg: str) -> str:
    return " ".join(re.findall(r">([^<>]+)</text>", svg))


def test_category_chart_labels_in_french_and_english(sample):
    by_category = group_totals(sample.rows, "category")
    svg = charts.svg_text(charts.footprint_by_category(by_category, sample.factors.devices, "fr"))
    words = texts_of(svg)
    for label in (
        "Ordinateur portable",
        "Unité centrale",
        "Fabrication",
        "Usage (électricité)",
        "Fin de vie",
        "tCO2e/an",
        "fourchette (bas – haut)",
        "Empreinte annuelle par catégorie d'équipement",
    ):
        assert label in words
    english = texts_of(
        charts.svg_text(charts.footprint_by_category(by_category, sample.factors.devices, "en"))
    )
    assert "Laptop" in english and "Manufacture" in english and "tCO2e/yr" in english


def test_every_chart_renders_png_and_svg(sample, tmp_path):
    ai = estimate_ai_files([SAMPLE_AI_LOG]).result()
    comparison = compare_scenarios(
        sample.normalised,
        sample.factors,
        [parse_scenario("lifespan+2"), parse_scenario("reuse=50%")],
        year=2025,
        cumulative=True,
    )
    figures = {
        "category": charts.footprint_by_category(
            group_totals(sample.rows, "category"), sample.factors.devices
        ),
        "entity": charts.footprint_by_entity(group_totals(sample.rows, "entity")),
        "age": charts.equipment_age(age_profile(sample.rows), sample.factors.devices),
        "ai": charts.ai_by_project(pd.DataFrame(ai["by_project"])),
        "waterfall": charts.scenario_waterfall(comparison),
    }
    for name, figure in figures.items():
        paths = charts.save_figure(figure, tmp_path, name)
        assert paths["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert paths["svg"].read_text().lstrip().startswith("<?xml")
    assert "Situation actuelle" in texts_of(charts.svg_text(figures["waterfall"]))
    assert "Éducation et écoles" in texts_of(charts.svg_text(figures["entity"]))
    assert "Entraînement et ajustement" in texts_of(charts.svg_text(figures["ai"]))
    assert "plus de 10 ans" in texts_of(charts.svg_text(figures["age"]))


def test_report_totals_are_estimates_totals(sample_report, run_cli):
    report, html = sample_report
    code, out, _ = run_cli("estimate", SAMPLE_INVENTORY, "--year", "2025", "--json")
    estimated = json.loads(out)
    assert report.inventory["totals"] == estimated["totals"]
    total = estimated["totals"]["total_kgco2e"]
    assert f"{format_number(total / 1000, 'fr', 1)} tCO2e" in html
    low, high = estimated["totals"]["total_low_kgco2e"], estimated["totals"]["total_high_kgco2e"]
    assert f"{format_number(low / 1000, 'fr', 1)} – {format_number(high / 1000, 'fr', 1)} tCO2e" in html
    ai_code, ai_out, _ = run_cli("ai", "estimate", SAMPLE_AI_LOG, "--json")
    assert report.workloads["totals"] == json.loads(ai_out)["totals"]


def test_report_lists_every_source_of_the_factors_it_used(sample_report, sample):
    report, html = sample_report
    devices = sample.factors.devices
    for group in report.inventory["by_category"]:
        row = devices.loc[group["category"]]
        assert row["manufacture_source"] in html
    for source_id in (
        "ademe_arcep_2025",
        "ecodiag",
        "ademe_electricity_2025",
        "bloom_2022",
        "green_algorithms",
        "decret_2023_266",
        "ademe_transport",
    ):
        assert f"<code>{source_id}</code>" in html
    assert "Annexe C. Lignes signalées" in html and "31-02-2019" in html


def test_report_is_self_contained(sample_report):
    report, html = sample_report
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html and "<link" not in html
    assert html.count("<svg") == 5
    for name in (
        "empreinte_par_categorie",
        "empreinte_par_direction",
        "age_des_equipements",
        "ia_par_projet",
        "leviers",
    ):
        assert report.chart_paths[name]["png"].exists() and report.chart_paths[name]["svg"].exists()
    assert "@media print" in html


def test_report_indicators_and_levers(sample_report):
    report, html = sample_report
    indicators = report.indicators
    assert indicators["reuse_target"] == 0.5
    assert indicators["reuse_rate"] is not None and 0 < indicators["reuse_rate"] < 1
    assert indicators["per_agent_kgco2e"] == pytest.approx(
        (report.inventory["totals"]["total_kgco2e"] + report.workloads["totals"]["total_kgco2e"]) / 1000
    )
    assert 0 < indicators["ai_share"] < 0.01
    assert indicators["equivalences"]["car_km"] == pytest.approx(
        # ADEME Impact CO2, thermal car: 0.11055776 fuel + 0.03169565 construction per km
        (report.inventory["totals"]["total_kgco2e"] + report.workloads["totals"]["total_kgco2e"])
        / (0.11055776 + 0.03169565)
    )
    assert list(report.scenarios["scenario"]) == [
        "Situation actuelle",
        "Durée de vie +2 an(s)",
        "30% d'achats reconditionnés",
        "Réemploi de 50% du matériel réformé",
    ]
    assert "Ville de Belleval" in html and "5. Leviers de réduction" in html


def test_names_carrying_html_and_script_are_escaped(tmp_path):
    inventory = write(
        tmp_path / "inv.csv",
        (
            "Nom;Entité;Type;Modèle;Lieu\n"
            "<img src=x onerror=alert(1)>;<script>alert('entité')</script>;Portable;X;L\n"
            "B;Écoles;<b>Cafetière</b>;Y;L\n"
            'C;"Direction ""A&B""";Écran;Z;L\n'
        ),
    )
    log = write(
        tmp_path / "ai.csv",
        "run_id;project;duration;accelerator;pue\n<script>run()</script>;<i>projet</i>;1 h;A100;1\n",
    )
    report = build_report(
        [inventory],
        tmp_path / "out",
        ai_paths=[log],
        year=2025,
        title="<script>titre()</script>",
        scenarios=["region=europe-west9"],
    )
    html = report.html_path.read_text(encoding="utf-8")
    for payload in (
        "<script>alert",
        "<script>titre",
        "<script>run",
        "<img src=x",
        "<b>Cafetière",
        "<i>projet",
    ):
        assert payload not in html
    assert "&lt;script&gt;alert(&#x27;entité&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Cafetière&lt;/b&gt;" in html  # in the flagged rows appendix
    assert "Direction &quot;A&amp;B&quot;" in html


def test_report_in_english(tmp_path, run_cli):
    code, out, err = run_cli(
        "report",
        SAMPLE_INVENTORY,
        "--out",
        tmp_path / "en",
        "--lang",
        "en",
        "--year",
        "2025",
        "-s",
        "lifespan+1",
    )
    assert code == 0, err
    html = (tmp_path / "en" / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Yearly footprint" in html and "Appendix B." in html
    assert "Lifespan +1 yr" in html


def test_indicator_of_reuse_rate_and_age(tmp_path):
    text = (
        "Type;Statut;Date d'achat;Quantité\n"
        "Portable;Réemploi;01-01-2019;3\nPortable;Réformé;01-01-2019;1\n"
        "Portable;Réformé;01-01-2010;5\nPortable;En service;01-01-2012;2\n"
        "Portable;En service;01-01-2023;8\n"
    )
    estimate = estimate_files([write(tmp_path / "inv.csv", text)], year=2025)
    indicators = inventory_indicators(estimate.rows, estimate.factors, headcount=10)
    assert indicators.reuse_rate == pytest.approx(3 / 4)  # the 2010 ones are over 10 years
    assert indicators.over_ten_years == 2
    assert indicators.over_ten_years_share == pytest.approx(2 / 10)
    assert indicators.devices_in_service == 10


@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser")),
    reason="chromium is not installed (.ci/run installs it)",
)
def test_report_in_a_real_headless_browser(sample_report, tmp_path):
    report, _ = sample_report
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    shot = tmp_path / "report.png"
    proc = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,2000",
            f"--screenshot={shot}",
            report.html_path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shot.exists() and shot.stat().st_size > 50_000
    console = [
        line
        for line in proc.stderr.splitlines()
        if "CONSOLE" in line or "Uncaught" in line or "net::ERR" in line
    ]
    assert console == []
