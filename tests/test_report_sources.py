"""Appendix B lists the factor rows the estimates used, with the values used — not every AI
source as soon as an AI log is given.
"""

import html_page
import pytest
from test_report import visible_text

from conftest import write
from greenit.api import build_report, estimate_ai_files, estimate_files
from greenit.factors import load_factors

INVENTORY = "Nom;Type;Quantité\nPC-1;Portable;3\n"
# One A100 run on Google Cloud Belgium without a PUE (the provider's row is used), one A100
# run with nothing on its place nor its PUE (the industry average row).
AI_LOG = (
    "run_id;project;phase;duration;accelerator;accelerator_count;location\n"
    "ft-1;Courrier;fine-tuning;6 h;A100 SXM 80GB;2;europe-west1\n"
    "inf-1;Assistant;inference;10 h;A100 SXM 80GB;1;\n"
)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sources")
    inventory = write(folder / "inventaire.csv", INVENTORY)
    log = write(folder / "journal.csv", AI_LOG)
    built = build_report([inventory], folder / "r", ai_paths=[log], year=2025, scenarios=[])
    return built.summary, built.html_path.read_text(encoding="utf-8")


def cited(html: str) -> set[str]:
    table = html_page.parse(html).find("table", class_="sources")
    return {code.text() for code in table.find_all("code")}


def test_only_the_ai_sources_of_the_rows_used_are_listed(report):
    _, html = report
    ids = cited(html)
    # A100 power (NVIDIA), its embodied figure (BLOOM; high: Chien), GCP's PUE, the Belgian region
    assert {"nvidia_a100_datasheet", "bloom_2022", "chien_2023", "google_pue_2024"} <= ids
    assert {"google_cloud_regions", "uptime_2024"} <= ids
    assert "owid_ember_2023" not in ids  # the region has its own factor: no Belgian grid factor used
    # accelerators, PUE rows and regions nobody used
    for unused in ("amd_instinct_specs", "google_tpu_docs", "nvidia_blackwell_specs", "nvidia_hopper_specs"):
        assert unused not in ids
    for unused in (
        "scaleway_pue",
        "ovhcloud_pue",
        "dcd_hyperscaler_pue_2024",
        "microsoft_pue_design_2022",
        "bloom_pue",
    ):
        assert unused not in ids
    assert "ecologits_0_11" not in ids  # no hosted generative AI in this log


def test_the_ai_values_used_are_shown(report):
    summary, html = report
    ai = summary["factors_used"]["ai"]
    table = load_factors().table("accelerators").loc["a100_sxm_80gb"]
    (a100,) = ai["accelerators"]
    assert (a100["power_w"], a100["manufacture_kgco2e"]) == (table["power_w"], table["manufacture_kgco2e"])
    assert [p["provider"] for p in ai["pue"]] == ["unknown", "gcp"]
    assert [r["region"] for r in ai["regions"]] == ["europe-west1"]
    text = visible_text(html)
    assert "A100 SXM 80GB 400 150 (150 – 318)" in text
    assert (
        "PUE moyen du secteur, quand ni le journal ni la région ne disent rien : 1,56 (1,15 – 1,63)" in text
    )
    assert "PUE du fournisseur gcp (exécutions sans PUE dans leur journal) : 1,09 (1,09 – 1,1)" in text
    assert "Région europe-west1 (gcp, BEL) : 103 gCO2e/kWh (google_cloud_regions)" in text
    assert "Durée de vie des accélérateurs et de leur serveur : 6 (3 – 6) ans" in text


def test_factor_sources_gives_the_ai_rows_to_a_notebook(tmp_path):
    from greenit import factor_sources

    inventory = estimate_files([write(tmp_path / "inv.csv", INVENTORY)], year=2025)
    workloads = estimate_ai_files([write(tmp_path / "journal.csv", AI_LOG)])
    tables = factor_sources(inventory, workloads)
    assert list(tables["ai_accelerators"]["accelerator"]) == ["a100_sxm_80gb"]
    assert set(tables["ai_pue"]["provider"]) == {"unknown", "gcp"}
    assert "amd_instinct_specs" not in set(tables["sources"]["id"])
