"""The report an elected official reads: one set of figures, rendered from summary.json."""

import json
import re
import shutil
import subprocess

import html_page
import pytest

from conftest import SAMPLE_AI_LOG, SAMPLE_HOSTED, SAMPLE_INVENTORY, write
from greenit.api import build_footprint, build_report, estimate_files
from greenit.factors import load_factors
from greenit.inventory.indicators import IndicatorSums
from greenit.reporting.text import Words

# 10 rows, 3 of them flagged (30 % > 10 %): no status column (nothing on reuse), no
# "Reconditionné" column (nothing on refurbished purchases).
FLAGGED_INVENTORY = (
    "Nom;Entité;Type;Date d'achat;Quantité\n"
    "PC-01;Mairie > Accueil;Portable;01-03-2021;4\n"
    "PC-02;Mairie > Accueil;Unité centrale;15-06-2019;2\n"
    "EC-01;Mairie > Accueil;Écran;01-01-2022;6\n"
    "PC-03;Écoles > Accueil;Portable;01-09-2023;10\n"
    "SRV-1;Mairie > Informatique;Serveur;01-01-2018;1\n"
    "TAB-1;Écoles > Classe mobile;Tablette;;8\n"
    "IMP-1;Mairie > Accueil;Imprimante;01-01-2014;1\n"
    "CAF-1;Mairie > Accueil;Cafetière;01-01-2020;1\n"
    "PC-04;Mairie > Accueil;Portable;31-02-2019;1\n"
    "X-1;Mairie > Accueil;;01-01-2020;2\n"
)
FLAGGED_AI_LOG = (
    "run_id;project;phase;duration;accelerator;accelerator_count;pue;requests\n"
    "ft-1;Courrier;fine-tuning;6 h;A100;1;1,2;\n"
    "inf-1;Assistant;inference;100 h;L4;1;1,3;50000\n"
    "big-1;Courrier;training;26 h;Cerebras;8;1,2;\n"
    "bad-1;Assistant;inference;;L4;1;1,3;\n"
)


@pytest.fixture
def flagged_fr(flagged_report):
    """The report of FLAGGED_INVENTORY and FLAGGED_AI_LOG in French (``conftest.flagged_report``,
    built once per session: 2025, 50 agents): (report, its summary.json, its HTML).
    """
    report = flagged_report("fr")
    return report, report.summary, report.html


def visible_text(html: str) -> str:
    """The text a reader sees (parsed by ``html_page``: styles and charts left out, entities
    decoded, spaces collapsed), the non-breaking spaces around French punctuation read as spaces.
    """
    text = html_page.parse(html).text()
    for typeset, plain in (("\u00a0:", " :"), ("«\u00a0", "« "), ("\u00a0»", " »"), ("\u202f;", " ;")):
        text = text.replace(typeset, plain)  # French non-breaking spaces read as spaces
    return html_page.SPACES.sub(" ", text)


def test_one_total_for_headline_levers_equivalences_and_per_agent(flagged_fr):
    _, summary, html = flagged_fr
    headline = summary["headline"]
    total = headline["total_kgco2e"]
    equipment, ai = summary["inventory"]["totals"]["total_kgco2e"], summary["ai"]["totals"]["total_kgco2e"]
    assert total == pytest.approx(equipment + ai)
    assert headline["includes"] == ["equipment", "ai"]
    assert summary["scenarios"][0]["total_kgco2e"] == pytest.approx(total)
    # the levers' own estimate of the baseline agrees with the headline: nothing counted twice
    assert summary["scenarios"][0]["recomputed_baseline_kgco2e"] == pytest.approx(total, rel=1e-9)
    car_kgco2e_per_km = load_factors().tables["equivalences"].at["car_km", "value_kgco2e"]
    car = next(e for e in summary["equivalences"] if e["name"] == "car_km")
    assert car["value"] == pytest.approx(total / car_kgco2e_per_km)
    assert headline["per_agent_kgco2e"] == pytest.approx(total / 50)
    assert headline["ai_share"] == pytest.approx(ai / total)
    words = Words.for_total("fr", total)
    text = visible_text(html)
    # the same total, written the same way, in the headline, the equivalence and the levers
    assert text.count(words.mass(total)) >= 4
    assert f"Ces {words.mass(total)} équivalent à {words.number(total / car_kgco2e_per_km)} km" in text
    assert words.small_mass(total / 50) in text
    assert f"Point de départ : le total de l'année, {words.mass(total)}" in text


def test_flagged_rows_and_runs_are_said_beside_the_total(flagged_fr):
    _, summary, html = flagged_fr
    coverage = summary["coverage"]
    assert (coverage["rows"], coverage["rows_flagged"], coverage["rows_in"]) == (pytest.approx(0.7), 3, 10)
    assert coverage["quantity"] == pytest.approx(32 / 36)
    assert (coverage["runs"], coverage["runs_flagged"]) == (pytest.approx(0.5), 2)
    assert coverage["warning"] is True
    assert summary["inventory"]["coverage"] == {
        "rows": 0.7,
        "quantity": pytest.approx(32 / 36),
        "warning": True,
    }
    text = visible_text(html)
    headline = text[: text.index("1. Empreinte par catégorie")]
    assert "Attention : une part importante des données n'a pas pu être estimée" in headline
    assert "Inventaire : 7 lignes estimées sur 10 (70\u202f%) ; 3 signalées." in headline
    assert "Journaux d'IA : 2 lignes signalées sur 4." in headline
    assert html_page.parse(html).find_all(class_="coverage warn-box") != []


def test_unknown_indicators_say_so_and_never_read_zero(flagged_fr):
    _, summary, html = flagged_fr
    indicators = summary["indicators"]
    assert indicators["reuse_rate"] is None and indicators["refurbished_share"] is None
    text = visible_text(html)
    section = text[
        text.index("3. Âge, durée de vie et réemploi") : text.index("4. Intelligence artificielle")
    ]
    assert "Taux de réemploi du matériel réformé de moins de 10 ans : non renseigné" in section
    assert "Part d'équipements reconditionnés dans le parc en service : non renseigné" in section
    assert not re.search(r"(?<![\d,])0\s?%", section)


def test_a_refurbished_column_saying_no_everywhere_is_a_real_zero(tmp_path):
    """The indicators of the report's ``summary.json``: its result's, made without drawing it."""

    def refurbished_share(inventory) -> float | None:
        result, _ = build_footprint([inventory], year=2025, scenarios=[])
        return result.to_json("fr")["indicators"]["refurbished_share"]

    assert (
        refurbished_share(write(tmp_path / "inv.csv", "Type;Reconditionné\nPortable;Non\nÉcran;non\n")) == 0.0
    )
    assert refurbished_share(write(tmp_path / "silent.csv", "Type\nPortable\nÉcran\n")) is None


def test_flagged_rows_cite_the_spreadsheet_line_and_the_device_name(flagged_fr):
    _, summary, html = flagged_fr
    flagged = {f["name"]: f for f in summary["inventory"]["flagged"]}
    assert set(flagged) == {"CAF-1", "PC-04", "X-1"}
    assert (flagged["CAF-1"]["row"], flagged["CAF-1"]["line"]) == (8, 9)
    text = visible_text(html)
    appendix = text[text.index("Annexe C.") : text.index("Annexe D.")]
    assert "inventaire.csv 9 CAF-1 catégorie : « Cafetière » n'est pas un type d'équipement connu" in appendix
    assert "Journaux d'IA 2 exécutions sur 4 n'ont pas pu être estimées" in appendix
    assert "big-1 (Courrier)" in appendix and "Aucune ligne signalée" not in appendix
    # French typography: no line break inside « » or before a colon
    assert "catégorie\u00a0: «\u00a0Cafetière\u00a0» n&#39;est pas" in html
    assert "statut de réemploi («\u00a0Réemploi\u00a0»" in html


def test_report_totals_are_the_estimate_totals(run_cli, sample_report):
    report = sample_report("fr")
    summary = report.summary
    code, out, _ = run_cli("estimate", SAMPLE_INVENTORY, "--year", "2025", "--json")
    assert summary["inventory"]["totals"] == json.loads(out)["totals"]
    code, out, _ = run_cli("ai", "estimate", SAMPLE_AI_LOG, SAMPLE_HOSTED, "--year", "2025", "--json")
    assert summary["ai"]["totals"] == json.loads(out)["totals"]
    words = Words.for_total("fr", summary["headline"]["total_kgco2e"])
    assert words.mass(summary["headline"]["total_kgco2e"]) in report.text


def test_report_lists_every_source_of_the_factors_it_used(flagged_fr):
    _, summary, html = flagged_fr
    used = {d["category"] for d in summary["factors_used"]["devices"]}
    assert used == {"laptop", "desktop", "monitor", "server", "tablet", "printer"}
    for source_id in (
        "ademe_arcep_2025",
        "ecodiag",
        "ademe_electricity_2025",
        "decret_2023_266",
        "ademe_transport",
    ):
        assert f"<code>{source_id}</code>" in html


def test_report_is_self_contained(flagged_fr):
    report, _, html = flagged_fr
    page = html_page.parse(html)
    addresses = page.values("src") + page.values("href")
    assert [a for a in addresses if re.match(r"\s*(https?:)?//", a)] == []
    assert page.find_all("script") == [] and page.find_all("link") == []
    assert len(page.find_all("svg")) == 5
    charts = {p.stem for p in report.folder.glob("*.svg")}  # each chart also in PNG, beside it
    assert len(charts) == 5 and charts == {p.stem for p in report.folder.glob("*.png")}
    assert "@media print" in html


def test_levers_are_named_in_plain_french(flagged_fr):
    _, summary, html = flagged_fr
    labels = [s["label"] for s in summary["scenarios"]]
    assert labels == [
        "Situation actuelle",
        "Durée de vie +2 ans",
        "30\u202f% d'achats reconditionnés",
        "Réemploi de 50\u202f% du matériel réformé",
    ]
    assert "5. Leviers de réduction" in visible_text(html)


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
    assert "&lt;script&gt;alert(&#39;entité&#39;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Cafetière&lt;/b&gt;" in html  # in the flagged rows appendix
    assert "Direction &#34;A&amp;B&#34;" in html


def test_report_in_english(sample_report):
    report = sample_report("en")
    assert report.page.find("html").attrs["lang"] == "en"
    assert "Yearly carbon footprint of digital services, 2025" in report.text
    assert "Appendix B." in report.text and "Lifespan +2 years" in report.text


def test_indicators_add_up_across_batches(tmp_path):
    text = (
        "Type;Statut;Date d'achat;Quantité\n"
        "Portable;Réemploi;01-01-2019;3\nPortable;Réformé;01-01-2019;1\n"
        "Portable;Réformé;01-01-2010;5\nPortable;En service;01-01-2012;2\n"
        "Portable;En service;01-01-2023;8\n"
    )
    estimate = estimate_files([write(tmp_path / "inv.csv", text)], year=2025)
    rows = estimate.rows
    whole = IndicatorSums.from_rows(rows, 2025).indicators(estimate.factors, 2025)
    assert whole["reuse_rate"] == pytest.approx(3 / 4)  # the 2010 ones are over 10 years
    assert whole["over_ten_years"] == 2
    assert whole["over_ten_years_share"] == pytest.approx(2 / 10)
    assert whole["devices_in_service"] == 10
    merged = IndicatorSums.from_rows(rows.iloc[:2], 2025).merge(IndicatorSums.from_rows(rows.iloc[2:], 2025))
    assert merged.indicators(estimate.factors, 2025) == whole


@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser")),
    reason="chromium is not installed (.ci/run installs it)",
)
def test_report_in_a_real_headless_browser(flagged_fr, tmp_path):
    report, _, _ = flagged_fr
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


def svg_words(figure) -> list[str]:
    from greenit.reporting.charts import svg_text

    return html_page.svg_texts(svg_text(figure))


def test_charts_cannot_mislead():
    from greenit.reporting import charts
    from greenit.reporting.chartstyle import COLOURS

    # a small fleet whose ages are mostly unknown: whole-number ticks, never "0 0 1 2 2 2 3"
    profile = [
        {
            "category": "laptop",
            "label": "Ordinateur portable",
            "within_lifespan": 2.0,
            "beyond_lifespan": 1.0,
            "over_ten_years": 0.0,
            "unknown_age": 3.0,
        },
        {
            "category": "monitor",
            "label": "Écran",
            "within_lifespan": 0.0,
            "beyond_lifespan": 0.0,
            "over_ten_years": 0.0,
            "unknown_age": 2.0,
        },
    ]
    ticks = [t for t in svg_words(charts.equipment_age(profile)) if re.fullmatch(r"[\d\s,.]+", t)]
    assert ticks == sorted(
        set(ticks), key=lambda t: float(t.replace(",", "."))
    ) and "âge non renseigné" in " ".join(svg_words(charts.equipment_age(profile)))
    # two departments named alike are told apart by their path; the part all share is dropped
    groups = [
        {
            "entity": f"Ville > {parent} > Médiathèque",
            "manufacture_kgco2e": 2.0 + i,
            "use_kgco2e": 1.0,
            "end_of_life_kgco2e": 0.0,
            "total_kgco2e": 3.0 + i,
        }
        for i, parent in enumerate(("Culture", "Écoles"))
    ] + [
        {
            "entity": None,
            "manufacture_kgco2e": 1.0,
            "use_kgco2e": 0.0,
            "end_of_life_kgco2e": 0.0,
            "total_kgco2e": 1.0,
        }
    ]
    labels = svg_words(charts.footprint_by_entity(groups))
    assert {"Culture > Médiathèque", "Écoles > Médiathèque", "non renseigné"} <= set(labels)
    # keeping devices beyond their lifespan is the first lever: not drawn in a warning colour
    assert COLOURS["beyond"] not in (COLOURS["use"], COLOURS["increase"], COLOURS["over_ten"])
    # percentages the French way, lever labels in words
    waterfall = svg_words(
        charts.lever_waterfall(
            [
                {"label": "Situation actuelle", "total_kgco2e": 100.0},
                {"label": "30\u202f% d'achats reconditionnés", "total_kgco2e": 90.0},
            ]
        )
    )
    assert "30\u202f% d'achats" in " ".join(waterfall) and "Après leviers" in waterfall
