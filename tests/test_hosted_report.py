"""The report's AI section sets a town's hosted generative AI beside its runs and its equipment,
with EcoLogits' range and the providers' own published figures beside it.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from test_hosted import offline  # noqa: F401  (every test here runs with the network disabled)
from test_report import visible_text


@pytest.fixture
def demo_report(sample_report):
    """The sample town's report as ``python3 tasks.py demo`` builds it (equipment, runs, usage log):
    the session's one sample report (conftest.sample_report).
    """

    def build(lang):
        report = sample_report(lang)
        return report, report.summary, report.text

    return build


def test_demo_report_shows_hosted_ai_with_its_range_and_the_providers_figures(demo_report):
    from greenit.reporting.text import Words

    _, summary, text = demo_report("fr")
    hosted = summary["ai"]["hosted"]
    totals = hosted["totals"]
    words = Words("fr")
    assert "IA générative utilisée comme service" in text
    # the total with its EcoLogits range, and its share beside runs and equipment
    assert f"représentent {words.small_mass(totals['total_kgco2e'])}" in text
    assert f"(fourchette d'EcoLogits {words.number(totals['total_low_kgco2e'])} – " in text
    # a range of 7,56 – 7,57 kgCO2e would read as precision: the providers' spread is said beside it
    spread = hosted["references_spread"]
    assert (
        f"les chiffres publiés par les fournisseurs vont de {words.number(spread['lowest_ratio'])} "
        f"à {words.number(spread['highest_ratio'])} fois son estimation" in text
    )
    assert f"{words.count(totals['requests'])} requêtes envoyées" in text
    for service in (
        "Assistant des agents",
        "Chatbot citoyen",
        "Résumé des courriers",
        "Transcription des conseils",
    ):
        assert service in text
    # per 1,000 requests, in grams, for the agents' assistant (Mistral Large 24.11)
    agents = next(s for s in hosted["by_service"] if s["service"] == "Assistant des agents")
    assert words.number(agents["per_1000_requests_kgco2e"] * 1000) in text
    # the providers' figures beside EcoLogits for the same request
    assert "Ce que publient les fournisseurs" in text
    assert "1,14\u00a0gCO2e" in text and "0,24\u00a0Wh" in text and "0,34\u00a0Wh" in text
    mistral = next(r for r in hosted["references"] if r["reference_id"] == "mistral_large_2_lca")
    assert f"{words.number(mistral['ratio_gco2e'])} fois plus" in text
    assert mistral["ratio_gco2e"] > 20
    assert "https://mistral.ai/news/our-contribution-to-a-global-environmental-standard-for-ai" in text
    assert "EcoLogits 0.11" in text  # the method note names the version


def test_hosted_usage_rows_are_not_listed_as_runs_per_request(demo_report):
    _, summary, text = demo_report("fr")
    assert "usage_ia_generative.csv#" not in text  # the per-service table says it once
    assert "ocr-archives-2024" in text  # a self-hosted run that served requests still is


def test_demo_levers_include_the_smaller_model(demo_report):
    _, summary, text = demo_report("fr")
    labels = [s["label"] if "label" in s else s["scenario"] for s in summary["scenarios"]]
    assert "Modèle mistral-small-latest (Assistant des agents)" in labels
    assert "Modèle mistral-small-latest (Assistant des agents)" in text


def test_hosted_part_in_english(demo_report):
    from greenit.reporting.html import render_html
    from greenit.reporting.text import Words

    _, summary, _ = demo_report("fr")  # the hosted figures do not depend on the language
    text = visible_text(render_html(summary, {}, Words("en")))
    assert "Generative AI used as a service" in text
    assert "What providers publish, beside EcoLogits for the same request" in text
    assert "times more" in text and "gCO2e per 1,000 requests" in text


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed (.ci/run installs it)")
def test_demo_report_renders_in_a_headless_browser(demo_report, tmp_path):
    report, _, _ = demo_report("fr")
    shot = tmp_path / "demo.png"
    proc = subprocess.run(
        [
            shutil.which("chromium"),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--window-size=1200,9000",
            f"--screenshot={shot}",
            report.html_path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shot.exists() and shot.stat().st_size > 100_000
    assert [line for line in proc.stderr.splitlines() if "Uncaught" in line or "net::ERR" in line] == []
