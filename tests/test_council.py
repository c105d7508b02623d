"""The report a council reads (issue 24): « Synthèse pour le conseil » first, the BEGES postes adding
up to the total (in the report, summary.json and --beges-out), per agent and per inhabitant.

Figures are checked against the summary's own totals and the factor rows, computed here by hand.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
from html.parser import HTMLParser

import pytest

from conftest import ROOT, SAMPLE_AI_LOG, SAMPLE_INVENTORY, SMALL_INVENTORY, write

USAGE = ROOT / "examples" / "ville-exemple" / "usage_ia_generative.csv"
SERVICES = ROOT / "examples" / "ville-exemple" / "services.csv"
CAR_KG_PER_KM = 0.14225341  # equivalences.csv car_km (ADEME Impact CO2)
LEVERS = ("-s", "lifespan+2", "-s", "refurbished=30%", "-s", "reuse=50%")


@pytest.fixture(scope="module")
def council(tmp_path_factory):
    """The sample town's report with 1,000 agents and 52,000 inhabitants, and its BEGES CSV."""
    from typer.testing import CliRunner

    from greenit.cli import app

    folder = tmp_path_factory.mktemp("council")
    out, beges = folder / "rapport", folder / "beges.csv"
    args = [SAMPLE_INVENTORY, "--ai", SAMPLE_AI_LOG, "--ai", USAGE, *LEVERS, "--year", "2025"]
    args += ["--headcount", "1000", "--population", "52000", "--beges-out", beges, "--out", out]
    args += ["--xlsx-out", folder / "rapport.xlsx", "--title", "Ville de Belleval", "--services", SERVICES]
    result = CliRunner().invoke(app, ["report", *map(str, args)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return summary, (out / "report.html").read_text(encoding="utf-8"), beges


def flat(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def test_beges_postes_add_up_to_the_total_and_split_it_by_phase(council):
    summary, _, _ = council
    h, totals, ai = summary["headline"], summary["inventory"]["totals"], summary["ai"]["totals"]
    postes = {p["poste"]: p for p in summary["beges"]["postes"]}
    assert list(postes) == ["2.1", "4.1", "4.2", "4.3", "4.5"]
    assert postes["4.1"]["kgco2e"] == pytest.approx(h["consumables_kgco2e"])  # the printers' toner
    assert postes["4.1"]["high_kgco2e"] == pytest.approx(h["consumables_high_kgco2e"])
    assert postes["2.1"]["kgco2e"] == pytest.approx(totals["use_kgco2e"])
    assert postes["2.1"]["high_kgco2e"] == pytest.approx(totals["use_high_kgco2e"])
    assert postes["4.2"]["low_kgco2e"] == pytest.approx(totals["manufacture_low_kgco2e"])
    assert (
        postes["4.3"]["kgco2e"] == postes["4.3"]["high_kgco2e"] == pytest.approx(totals["end_of_life_kgco2e"])
    )
    services = h["services_kgco2e"]
    assert services > 0 and postes["4.5"]["kgco2e"] == pytest.approx(services + ai["total_kgco2e"])
    assert postes["4.5"]["low_kgco2e"] == pytest.approx(h["services_low_kgco2e"] + ai["total_low_kgco2e"])
    for key, bound in (
        ("kgco2e", "total_kgco2e"),
        ("low_kgco2e", "total_low_kgco2e"),
        ("high_kgco2e", "total_high_kgco2e"),
    ):
        assert sum(p[key] for p in postes.values()) == pytest.approx(h[bound], rel=1e-6)
    assert postes["4.2"]["label"] == "Immobilisations de biens"
    assert "durée de vie" in postes["4.2"]["method"]


def test_beges_csv_opens_as_numbers_in_a_french_excel(council):
    summary, _, path = council
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == [
        "categorie",
        "poste",
        "intitule",
        "emissions_tco2e",
        "basse_tco2e",
        "haute_tco2e",
        "methode",
    ]
    by_poste = {r[1]: r for r in rows[1:-1]}
    manufacture = summary["inventory"]["totals"]["manufacture_kgco2e"] / 1000
    assert by_poste["4.2"][3] == f"{manufacture:.3f}".replace(".", ",")
    total = rows[-1]
    assert total[0] == "Total" and not any(cell.startswith("=") for row in rows for cell in row)
    assert float(total[3].replace(",", ".")) == pytest.approx(
        summary["headline"]["total_kgco2e"] / 1000, abs=6e-4
    )


def test_per_inhabitant_and_per_agent_are_the_headline_total_divided(council):
    summary, _, _ = council
    h = summary["headline"]
    assert h["population"] == 52000 and h["headcount"] == 1000
    assert h["per_inhabitant_kgco2e"] == pytest.approx(h["total_kgco2e"] / 52000)
    assert h["per_agent_kgco2e"] == pytest.approx(h["total_kgco2e"] / 1000)


def two_digits(value: float) -> float:
    return round(value, 1 - math.floor(math.log10(abs(value))))


def test_synthesis_sentences_quote_the_total_its_range_and_what_drives_it(council):
    summary, _, _ = council
    h, syn = summary["headline"], summary["synthesis"]
    total, low, high = (
        two_digits(h[k] / 1000) for k in ("total_kgco2e", "total_low_kgco2e", "total_high_kgco2e")
    )
    first = flat(syn["sentences"][0])
    fr = lambda x: f"{x:g}".replace(".", ",")  # noqa: E731
    assert (
        f"a émis environ {fr(total)} tCO2e, entre {fr(low)} tCO2e et {fr(high)} tCO2e selon les facteurs"
        in first
    )
    widths = {
        g["label"]: g["total_high_kgco2e"] - g["total_kgco2e"] for g in summary["inventory"]["by_category"]
    }
    widths["Services achetés"] = h["services_high_kgco2e"] - h["services_kgco2e"]  # the services file's lines
    first_two = sorted(widths, key=widths.get, reverse=True)[:2]
    # a category's label as a list item, after a colon: no article to guess (« à Écran numérique… »)
    assert f"varient le plus pour : {first_two[0]} (" in first and f" et {first_two[1]} (" in first
    assert "haut de la fourchette" in first
    per_agent = two_digits(h["total_kgco2e"] / 1000)
    per_inhabitant = two_digits(h["total_kgco2e"] / 52000)
    second = flat(syn["sentences"][1])
    assert f"{fr(per_agent)} kgCO2e par agent (1 000 agents)" in second
    assert f"{fr(per_inhabitant)} kgCO2e par habitant (52 000 habitants)" in second
    km = two_digits(h["total_kgco2e"] / 1000 / CAR_KG_PER_KM)
    assert f"de {km:,.0f} km".replace(",", " ") in flat(syn["sentences"][2])
    assert "exécutions" in syn["ai"] and "runs" not in syn["ai"]


def test_synthesis_levers_indicators_and_next_steps(council):
    summary, _, _ = council
    syn, ind = summary["synthesis"], summary["indicators"]
    alone = sorted(summary["scenarios"][1:], key=lambda r: r["alone_change_kgco2e"])
    assert [flat(line).split(" :")[0] for line in syn["levers"]] == [flat(r["label"]) for r in alone[:3]]
    reuse = syn["indicators"][0]
    assert reuse["ok"] is False and "décret 2023-266" in reuse["text"]
    pool = ind["reused"] + ind["retired"]
    more = math.ceil(ind["reuse_target"] * pool) - ind["reused"]  # 0.5 × 132 − 20 = 46
    assert flat(syn["next_steps"][0]).startswith(
        f"Orienter vers le réemploi au moins {more:g} des {pool:g} équipements"
    )
    assert syn["change"] is None and any("greenit history add" in s for s in syn["next_steps"])


class Outline(HTMLParser):
    """The report's headings in order, its sections' ids, and each table's caption and header scopes."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[str, str]] = []
        self.ids: list[str] = []
        self._heading: str | None = None
        self.tables: list[dict] = []
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h1", "h2", "h3"):
            self._heading = tag
            self.headings.append((tag, ""))
        if tag == "section" and attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "table":
            self.tables.append({"class": attrs.get("class"), "caption": "", "scopes": []})
        if tag == "caption":
            self._in_caption = True
        if tag == "th" and self.tables:
            self.tables[-1]["scopes"].append(attrs.get("scope"))

    def handle_endtag(self, tag):
        if tag == self._heading:
            self._heading = None
        if tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._heading:
            tag, text = self.headings[-1]
            self.headings[-1] = (tag, text + data)
        if self._in_caption:
            self.tables[-1]["caption"] += data


def test_the_report_opens_on_the_synthesis_and_holds_the_beges_table(council):
    summary, page, _ = council
    outline = Outline()
    outline.feed(page)
    assert outline.headings[0][0] == "h1" and outline.headings[1] == ("h2", "Synthèse pour le conseil")
    assert outline.ids[0] == "synthese"
    beges = next(t for t in outline.tables if t["class"] == "beges")
    assert (
        "BEGES" in beges["caption"] and set(beges["scopes"]) <= {"col", "row"} and None not in beges["scopes"]
    )
    assert "Usages de l'IA" in page and "Charges d'IA" not in page
    assert "TGV" not in page  # 12 million km of TGV pictures nothing


def test_report_in_english_has_the_synthesis_in_english(tmp_path, run_cli):
    out = tmp_path / "r"
    inventory = write(tmp_path / "parc.csv", SMALL_INVENTORY)  # the sentences, not the town's figures
    code, _, err = run_cli(
        "report", inventory, "--year", "2025", "--population", "52000", "--lang", "en", "--out", out
    )
    assert code == 0, err
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["synthesis"]["sentences"][0].startswith(
        "In 2025, the authority's digital services emitted about"
    )
    assert "per inhabitant (52,000 inhabitants)" in flat(summary["synthesis"]["sentences"][1])
    assert summary["beges"]["postes"][0]["label"] == "Electricity consumed"


@pytest.mark.parametrize("population", ["0", "-5", "1000000000"])
def test_a_population_that_cannot_be_is_refused_in_french(tmp_path, run_cli, population):
    code, _, err = run_cli("report", SAMPLE_INVENTORY, "--population", population, "--out", tmp_path / "r")
    assert code == 2
    assert "n'est pas un nombre d'habitants" in err


# ----------------------------------------------------------------- the workbook of the report


def test_the_report_workbook_holds_every_table_in_one_unit_per_sheet(council):
    import openpyxl

    summary, _, beges = council
    book = openpyxl.load_workbook(beges.parent / "rapport.xlsx")
    assert book.sheetnames == [
        "Synthèse", "Équipements", "Directions", "IA exécutions", "IA hébergée",
        "Leviers", "Indicateurs", "BEGES", "Facteurs", "Sources",
    ]  # fmt: skip
    assert not [
        c.coordinate for ws in book for row in ws.iter_rows() for c in row if str(c.value).startswith("=")
    ]
    equipment = list(book["Équipements"].iter_rows(values_only=True))
    assert equipment[0][5] == "Total (tCO2e/an)"
    assert equipment[-1][0] == "Total équipements"
    assert equipment[-1][5] == pytest.approx(summary["headline"]["equipment_kgco2e"] / 1000, rel=1e-6)
    levers = list(book["Leviers"].iter_rows(values_only=True))
    assert levers[2][1] == pytest.approx(summary["scenarios"][1]["alone_change_kgco2e"] / 1000, rel=1e-6)
    entities = [r[0] for r in book["Directions"].iter_rows(min_row=2, values_only=True)]
    assert not any(str(e).startswith("Ville de Belleval >") for e in entities)  # the report's short names
    ai = list(book["IA exécutions"].iter_rows(values_only=True))
    assert ai[0][-1] == "Total (kgCO2e)"
    beges_rows = list(book["BEGES"].iter_rows(values_only=True))
    assert beges_rows[-1][3] == pytest.approx(summary["headline"]["total_kgco2e"] / 1000, rel=1e-6)
    sources = {r[0] for r in book["Sources"].iter_rows(min_row=2, values_only=True)}
    assert {s["id"] for s in summary["factors_used"]["sources"]} == sources


# ----------------------------------------------------------------- accessibility


def contrast(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2.1 contrast ratio of two sRGB colours."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_chart_colours_reach_3_to_1_and_text_colours_4_5_to_1():
    import re

    from greenit.reporting.chartstyle import COLOURS

    assert contrast("#e0a31a") == pytest.approx(2.23, abs=0.01)  # the former usage yellow
    assert {name: round(contrast(c), 2) for name, c in COLOURS.items() if contrast(c) < 3} == {}
    css = (ROOT / "greenit" / "reporting" / "templates" / "report.css").read_text(encoding="utf-8")
    variables = dict(re.findall(r"--(\w+):(#[0-9a-f]{6})", css))
    for name in ("ink", "muted", "accent", "warn", "ok"):
        assert contrast(variables[name]) >= 4.5, name


def test_charts_say_their_data_and_every_table_has_a_caption_and_scoped_headers(council):
    import html as html_module
    import re

    summary, page, _ = council
    assert page.startswith('<!doctype html>\n<html lang="fr">')
    svgs = re.findall(r"<svg\b[^>]*>", page)
    assert svgs and all('role="img"' in s and "aria-label=" in s for s in svgs)
    first = html_module.unescape(re.search(r'aria-label="([^"]*)"', svgs[0]).group(1))
    top = summary["inventory"]["by_category"][0]
    assert first.startswith("Empreinte annuelle par catégorie d'équipement, avec sa fourchette : ")
    three = float(f"{top['total_kgco2e'] / 1000:.3g}")  # three significant digits, in tonnes
    assert f"{top['label']} {three:g}".replace(".", ",") in first.replace("\u00a0", " ")
    outline = Outline()
    outline.feed(page)
    assert outline.tables and all(t["caption"].strip() for t in outline.tables)
    assert all(scope in ("col", "row") for t in outline.tables for scope in t["scopes"])
    levels = [int(tag[1]) for tag, _ in outline.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))  # no level skipped


# ----------------------------------------------------------------- print, PDF and phone, in Chromium

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed (.ci/run installs it)")


@needs_chromium
def test_pdf_is_printed_in_a4_with_the_running_header_and_page_numbers(council, tmp_path):
    import re

    from greenit.reporting.pdf import write_pdf

    _, page, beges = council
    assert '@top-left { content: "Ville de Belleval — 2025";' in page
    assert 'counter(page) "/" counter(pages)' in page and "greenit " in page
    html_path = beges.parent / "rapport" / "report.html"
    pdf = write_pdf(html_path, tmp_path / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(abs(float(w) - 595.9) < 2 and abs(float(h) - 842) < 2 for w, h in boxes)  # A4
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 5


def test_pdf_without_a_browser_is_a_french_error_once_the_html_is_written(tmp_path, monkeypatch, run_cli):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "none"))
    monkeypatch.delenv("GREENIT_CHROMIUM", raising=False)
    out = tmp_path / "r"
    inventory = write(tmp_path / "parc.csv", SMALL_INVENTORY)  # the report is written whole all the same
    code, _, err = run_cli("report", inventory, "--year", "2025", "--pdf", "--out", out)
    assert code == 2
    assert "--pdf : aucun navigateur Chromium trouvé sur cette machine" in err
    assert (out / "report.html").is_file() and not (out / "report.pdf").exists()


@needs_chromium
def test_the_report_fits_a_390_pixel_phone(council, tmp_path):
    """Read back in Chromium in a 390 px frame (headless windows are 500 px at least): the page is
    no wider than the screen (tables and charts scroll inside themselves) and the headline and the
    synthesis are one column.
    """
    import html as html_module
    import re
    import subprocess

    _, page, _ = council
    probe = (
        "<script>const f = document.getElementById('f'); f.addEventListener('load', () => {"
        " const d = f.contentDocument, b = document.body, css = (s) => getComputedStyle(d.querySelector(s));"
        " b.dataset.width = d.documentElement.scrollWidth;"
        " b.dataset.columns = css('.headline').gridTemplateColumns;"
        " b.dataset.synthesis = css('.synthesis-grid').gridTemplateColumns; });</script>"
    )
    frame = (
        f'<iframe id="f" width="390" height="844" srcdoc="{html_module.escape(page, quote=True)}"></iframe>'
    )
    host = tmp_path / "phone.html"
    host.write_text(
        f"<!doctype html><html><body style='margin:0'>{frame}{probe}</body></html>", encoding="utf-8"
    )
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=500,900",
         "--virtual-time-budget=3000", "--dump-dom", host.as_uri()],
        capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert int(re.search(r'data-width="(\d+)"', body).group(1)) <= 390
    assert len(re.search(r'data-columns="([^"]*)"', body).group(1).split()) == 1
    assert len(re.search(r'data-synthesis="([^"]*)"', body).group(1).split()) == 1


def test_the_rows_csv_of_the_report_opens_as_numbers_in_a_french_excel(council):
    summary, _, beges = council
    raw = (beges.parent / "rapport" / "inventaire_lignes.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    header = rows[0]
    assert header[:5] == [
        "Fichier",
        "Ligne du tableur",
        "N° de ligne de données",
        "Nom / n° d'inventaire",
        "Catégorie",
    ]
    total = header.index("Total (kgCO2e/an)")
    status = header.index("Statut du calcul")
    counted = [float(r[total].replace(",", ".")) for r in rows[1:] if r[status] == "estimée"]
    assert len(counted) == summary["inventory"]["rows_estimated"]
    assert sum(counted) == pytest.approx(summary["headline"]["equipment_kgco2e"], rel=1e-5)
    assert any("," in r[total] for r in rows[1:]) and not any("." in r[total] for r in rows[1:])
    assert "Ordinateur portable" in {r[4] for r in rows[1:]}
