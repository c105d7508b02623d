"""Sources in the reader's language: the document's title as published, greenit's words in French
for a French report and in English for an English one (issues 11 and 12, Annexe B).

``sources.csv`` keeps the title a document gives itself (``Évaluation de l'impact environnemental
du numérique en France, mise à jour 2025``, ``The Gentle Singularity``) and gives what greenit
takes from it (``description_fr``/``_en``) and how (``notes_fr``/``_en``) in both languages.
"""

import csv
import re

import html_page
import pytest

from conftest import ROOT, write
from greenit.factors import load_factors

SOURCES_CSV = ROOT / "emission_factors" / "sources.csv"
NEW_HEADER = "source_id,publisher,title,description_fr,description_en,year,url,licence,notes_fr,notes_en\n"
DEVICE_HEADER = (
    "category,label_fr,label_en,manufacture [kgCO2e],manufacture_low [kgCO2e],"
    "manufacture_high [kgCO2e],lifespan [year],annual_energy [kWh/year],annual_energy_low [kWh/year],"
    "annual_energy_high [kWh/year],use_hours [hour/year],end_of_life [kgCO2e],manufacture_source,"
    "lifespan_source,energy_source,end_of_life_source,use_hours_source,range_sources,notes\n"
)
LAPTOP_FROM_MAISON = (
    "laptop,Portable,Laptop,200,150,250,5,50,40,60,2628,3,"
    "maison,ecodiag,ecodiag,ecodiag,use_hours_convention,,\n"
)


def plain(html: str | html_page.Element) -> str:
    """Text as read (``html_page``): tags a space, entities decoded, every kind of space one plain
    space.
    """
    tree = html_page.parse(html) if isinstance(html, str) else html
    return re.sub(r"[\s\u00a0\u202f]+", " ", tree.text(skip=()))


def appendix_sources(html: str) -> str:
    return plain(html_page.parse(html).find("table", class_="sources"))


@pytest.fixture
def reports(sample_report):
    """The sample town's report (inventory, AI run log, hosted AI usage, levers) in French and
    English: the session's one sample report (conftest.sample_report).
    """
    return {lang: sample_report(lang).html for lang in ("fr", "en")}


def packaged_rows() -> dict[str, dict[str, str]]:
    """``sources.csv`` read with the csv module, independently of greenit's loader."""
    with SOURCES_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["source_id"]: row for row in csv.DictReader(handle)}


def cited_ids(html: str) -> list[str]:
    table = html_page.parse(html).find("table", class_="sources")
    return [code.text() for code in table.find_all("code")]


@pytest.mark.slow
def test_the_french_appendix_b_gives_greenits_words_in_french(reports):
    text = appendix_sources(reports["fr"])
    # the study's own title, as published, then greenit's description in French
    assert (
        "Évaluation de l'impact environnemental du numérique en France, mise à jour 2025 — valeurs par "
        "équipement telles que publiées dans Impact CO2 de l'ADEME, src/data/categories/numerique.ts "
        "(commit 8076a48, valeurs du 2025-11-18)" in text
    )
    assert "per-device values as published" not in text
    assert "l'étude elle-même : https://librairie.ademe.fr/" in text and "the study itself" not in text
    assert "0,0461 kgCO2e/kWh (lissé sur 2022–2025)" in text and "smoothed over" not in text
    rows = packaged_rows()
    ids = cited_ids(reports["fr"])
    assert len(ids) > 15
    for source_id in ids:
        row = rows[source_id]
        assert row["title"] in text, source_id
        for kind in ("description", "notes"):
            french, english = row[f"{kind}_fr"], row[f"{kind}_en"]
            assert french in text, (source_id, kind)
            if english != french:
                assert english not in text, (source_id, kind)


@pytest.mark.slow
def test_the_english_appendix_b_gives_greenits_words_in_english(reports):
    text = appendix_sources(reports["en"])
    assert (
        "Évaluation de l'impact environnemental du numérique en France, mise à jour 2025 — per-device "
        "values as published in ADEME Impact CO2" in text
    )
    assert "valeurs par équipement telles que publiées" not in text
    assert "the study itself: https://librairie.ademe.fr/" in text and "l'étude elle-même" not in text
    rows = packaged_rows()
    for source_id in cited_ids(reports["en"]):
        row = rows[source_id]
        for kind in ("description", "notes"):
            french, english = row[f"{kind}_fr"], row[f"{kind}_en"]
            assert english in text, (source_id, kind)
            if english != french:
                assert french not in text, (source_id, kind)


@pytest.mark.slow
def test_a_providers_figure_cites_the_documents_title_not_greenits_summary(reports):
    french = plain(reports["fr"])
    assert "Source : Our contribution to a global environmental standard for AI (2025)," in french
    assert "life-cycle analysis of Mistral Large 2 with Carbone 4" not in french


def test_every_packaged_source_says_its_text_in_both_languages_or_neither():
    rows = packaged_rows()
    assert len(rows) == 103
    for source_id, row in rows.items():
        assert row["title"].strip() and row["publisher"].strip() and row["url"].strip(), source_id
        for kind in ("description", "notes"):
            assert bool(row[f"{kind}_fr"].strip()) == bool(row[f"{kind}_en"].strip()), (source_id, kind)
    # the figures survive the translation: decimal comma in French, point in English
    assert "0,0519 kgCO2e/kWh" in rows["ademe_arcep_2025_kwh"]["notes_fr"]
    assert "0.0519 kgCO2e/kWh" in rows["ademe_arcep_2025_kwh"]["notes_en"]
    assert rows["google_pue_2024"]["notes_fr"].startswith(
        "PUE 2024 déduit : 1 + (1,56 − 1) × (1 − 0,84) = 1,0896"
    )


@pytest.mark.parametrize(
    ("given", "missing"), [("description_fr", "description_en"), ("notes_en", "notes_fr")]
)
def test_greenits_text_in_one_language_only_fails_validation(tmp_path, run_cli, given, missing):
    texts = {"description_fr": "", "description_en": "", "notes_fr": "", "notes_en": ""}
    texts[given] = "notre mesure" if given.endswith("_fr") else "our measurement"
    folder = tmp_path / "mine"
    folder.mkdir()
    write(
        folder / "sources.csv",
        NEW_HEADER + f"maison,Mairie,Relevé des compteurs 2025,{texts['description_fr']},"
        f"{texts['description_en']},2025,https://www.example.fr/releve-2025.pdf,interne,"
        f"{texts['notes_fr']},{texts['notes_en']}\n",
    )
    write(folder / "devices.csv", DEVICE_HEADER + LAPTOP_FROM_MAISON)
    code, out, _ = run_cli("factors", "validate", folder)
    assert code == 2
    assert f"source « maison » : « {given} » est rempli mais « {missing} » est vide" in out


def test_an_overlay_in_the_former_layout_still_loads(tmp_path, run_cli):
    folder = tmp_path / "ancienne"
    folder.mkdir()
    write(
        folder / "sources.csv",
        "source_id,publisher,title,year,url,licence,notes\n"
        "maison,Mairie,Relevé des compteurs 2025,2025,https://www.example.fr/releve-2025.pdf,interne,"
        "mesuré au wattmètre\n",
    )
    write(folder / "devices.csv", DEVICE_HEADER + LAPTOP_FROM_MAISON)
    code, out, _ = run_cli("factors", "validate", folder)
    assert code == 0, out
    source = load_factors(folder).sources.loc["maison"]
    assert (source["notes_fr"], source["notes_en"]) == ("mesuré au wattmètre", "mesuré au wattmètre")
    assert "notes" not in load_factors(folder).sources.columns
    code, out, _ = run_cli("factors", "show", "devices", "laptop", "--factors", folder)
    assert code == 0
    assert (
        "[maison] Mairie (2025). Relevé des compteurs 2025. https://www.example.fr/releve-2025.pdf\n"
        "    mesuré au wattmètre" in out
    )


def test_factors_show_gives_the_source_in_the_chosen_language(run_cli):
    code, out, _ = run_cli("factors", "show", "devices", "external_drive")
    assert code == 0
    assert "« imprimante » (fabrication 10,5 kg, distribution 0,3, fin de vie 10,2" in out
    code, out, _ = run_cli("factors", "show", "devices", "external_drive", "--lang", "en")
    assert "'imprimante' (fabrication 10.5 kg, distribution 0.3, fin de vie 10.2" in out


def test_the_methodology_lists_greenits_words_in_its_language():
    from greenit.factors.docs import methodology

    french, english = methodology("fr"), methodology("en")
    assert "| l'étude elle-même : https://librairie.ademe.fr/" in french
    assert "per-device values as published" not in french
    assert "| the study itself: https://librairie.ademe.fr/" in english
    assert "valeurs par équipement telles que publiées" not in english


def test_factor_sources_gives_a_notebook_the_description_in_its_language(tmp_path):
    from greenit import factor_sources
    from greenit.api import estimate_files

    inventory = estimate_files([write(tmp_path / "i.csv", "Nom;Type;Quantité\nPC-1;Portable;3\n")], year=2025)
    french = factor_sources(inventory)["sources"].set_index("id")
    english = factor_sources(inventory, lang="en")["sources"].set_index("id")
    assert {"description", "notes", "title", "url"} <= set(french.columns)
    assert not {"description_fr", "notes_en"} & set(french.columns)
    assert french.at["ecodiag", "description"].startswith("table des équipements (miroir de gitlab")
    assert english.at["ecodiag", "description"].startswith("device table (mirror of gitlab")
    title = "Ecodiag, src/devices.js (sopht-com/ecodiag@c13aa6c7)"
    assert french.at["ecodiag", "title"] == english.at["ecodiag", "title"] == title


def test_who_relayed_a_figure_is_said_in_the_reports_language():
    from greenit.factors.tables import publisher_text

    assert publisher_text("IDC (quoted by AWS)", "fr") == "IDC (cité par AWS)"
    assert publisher_text("OVHcloud (reported by ChannelNews and Silicon)", "en") == (
        "OVHcloud (reported by ChannelNews and Silicon)"
    )
    relayed = "Uptime Institute (via Green Algorithms)"
    assert publisher_text(relayed, "fr") == relayed
    assert publisher_text("EcoInfo (CNRS)", "fr") == "EcoInfo (CNRS)"
