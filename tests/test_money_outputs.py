"""Euros in every output (issue 20): console, ``--json``, ``--rows-out``, XLSX read back with
openpyxl, the report parsed as HTML — each showing the hand-computed figures of a GLPI export
whose every row has a « Valeur ».
"""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser

import pytest

from conftest import ROOT, SAMPLE_AI_LOG

VALEUR = ROOT / "tests" / "fixtures" / "real" / "glpi10_computers_valeur_fr.csv"
VAT = 1.2  # parameters.csv vat_rate (test_money checks the budget against the table itself)
#: renewal at steady state of VALEUR by hand: « Valeur » ÷ 1.2 ÷ the lifespan the carbon model
#: uses — by default the technical life of devices.csv: desktop 6 years, laptop 5, rack server 5
#: (test_money reads them from the table)
RENEWAL = ((829 + 829) / 6 + (1249 + 1389) / 5 + 8970 / 5) / VAT
LIFESPAN_PLUS_2 = -((829 * 2 / 6) * 2 / 8 + ((1249 + 1389) / 5) * 2 / 7 + (8970 / 5) * 2 / 7) / VAT


class Tables(HTMLParser):
    """Each table of a page by its caption (or its first header cell): rows of plain cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._cell: str | None = None
        self._caption: str | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = ""
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = " ".join(self._caption.split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1]["rows"].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        elif self._caption is not None:
            self._caption += data

    def table(self, starts: str) -> list[list[str]]:
        for table in self.tables:
            if table["caption"].startswith(starts) or (
                table["rows"] and table["rows"][0][0].startswith(starts)
            ):
                return table["rows"]
        raise KeyError(starts)


def fr(value: float) -> str:
    """Three significant digits as the French outputs write them (narrow no-break spaces)."""
    from greenit.reporting.text import Words

    return Words("fr").number(value)


def cell(text: str) -> str:
    """A text as :class:`Tables` reads a cell: its spaces, of any kind, made one plain space."""
    return " ".join(text.split())


def test_estimate_json_and_console_show_the_budget(run_cli, estimate_json):
    result = estimate_json(VALEUR, "--year", "2025")
    budget = result["budget"]
    for key in (
        "renewal_eur_per_year",
        "renewal_low_eur_per_year",
        "renewal_high_eur_per_year",
        "electricity_eur_per_year",
        "priced_share",
    ):
        assert key in budget
    assert budget["renewal_eur_per_year"] == pytest.approx(RENEWAL)
    code, out, _ = run_cli("estimate", VALEUR, "--year", "2025")
    assert code == 0 and "Budget annuel (€ HT)" in out
    assert f"renouvellement du parc à l'équilibre : {fr(RENEWAL)}\u00a0€/an" in out
    # every price is the file's, exact: no « 2 320 – 2 320 € » range
    assert budget["renewal_low_eur_per_year"] == budget["renewal_high_eur_per_year"] == pytest.approx(RENEWAL)
    assert f"{fr(RENEWAL)}\u00a0€/an (sans fourchette)" in out
    code, out, _ = run_cli("estimate", VALEUR, "--year", "2025", "--lang", "en")
    assert "Yearly budget (€ excl. VAT)" in out and "€/yr" in out


def test_rows_out_gives_each_rows_price_and_renewal(tmp_path, run_cli):
    rows_out = tmp_path / "lignes.csv"
    code, _, err = run_cli("estimate", VALEUR, "--year", "2025", "--rows-out", rows_out)
    assert code == 0, err
    with rows_out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert float(rows[2]["unit_price_eur"]) == pytest.approx(1249 / VAT, rel=1e-5)
    assert float(rows[2]["renewal_eur_per_year"]) == pytest.approx(1249 / VAT / 5, rel=1e-5)
    assert rows[4]["status_kind"] == "retired" and float(rows[4]["renewal_eur_per_year"]) == 0
    assert {r["price_origin"] for r in rows} == {"file"} and rows[0]["price_basis"] == "ttc_assumed"


def test_xlsx_budget_sheet_and_row_prices_read_back(tmp_path, run_cli):
    import openpyxl

    path = tmp_path / "resultats.xlsx"
    code, _, err = run_cli("estimate", VALEUR, "--year", "2025", "--xlsx-out", path)
    assert code == 0, err
    workbook = openpyxl.load_workbook(path, read_only=True)
    budget = {row[0]: row[1] for row in workbook["Budget"].iter_rows(values_only=True)}
    assert budget["Renouvellement à l'équilibre (€ HT/an)"] == pytest.approx(RENEWAL)
    assert budget["Part du parc chiffrée"] == 1
    rows = list(workbook["Lignes"].iter_rows(values_only=True))
    header = rows[0]
    price = header.index("Prix unitaire retenu (€ HT)")
    assert rows[6][price] == pytest.approx(8970 / VAT)  # SRV-HDV-02
    assert rows[1][header.index("Origine du prix")] == "fichier"


def test_scenario_xlsx_levers_sheet_matches_the_json(tmp_path, run_cli):
    import openpyxl

    path = tmp_path / "leviers.xlsx"
    args = ["scenario", VALEUR, "--year", "2025", "-s", "lifespan+2", "-s", "reuse=50%"]
    code, out, err = run_cli(*args, "--xlsx-out", path, "--json")
    assert code == 0, err
    scenarios = json.loads(out)["scenarios"]
    sheet = list(openpyxl.load_workbook(path, read_only=True)["Leviers"].iter_rows(values_only=True))
    header = sheet[0]
    change = header.index("Variation (€ HT/an ; négatif = économie)")
    per_tonne = header.index("€ par tCO2e évitée")
    assert sheet[1][0] == "Situation actuelle" and sheet[2][0] == "Durée de vie +2 ans"
    assert sheet[2][change] == pytest.approx(LIFESPAN_PLUS_2)
    assert sheet[2][per_tonne] == pytest.approx(scenarios[1]["eur_per_tco2e_avoided"])
    assert sheet[2][header.index("Variation (kgCO2e/an)")] == pytest.approx(scenarios[1]["change_kgco2e"])
    code, out, _ = run_cli(*args)
    assert "€/an" in out and "€ par tCO2e évitée" in out and f"{fr(LIFESPAN_PLUS_2)}\u00a0€/an" in out


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from greenit.api import build_report

    out = tmp_path_factory.mktemp("rapport")
    build_report([VALEUR], out, year=2025, levers=["lifespan+2", "refurbished=30%", "reuse=50%"])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    parser = Tables()
    parser.feed((out / "report.html").read_text(encoding="utf-8"))
    return summary, parser


def test_summary_json_scenarios_carry_the_euros(report):
    summary, _ = report
    lever = summary["scenarios"][1]
    assert lever["spec"] == "lifespan+2"
    for key in (
        "budget_eur_per_year",
        "change_eur_per_year",
        "change_low_eur_per_year",
        "change_high_eur_per_year",
    ):
        assert key in lever
    assert lever["alone_change_eur_per_year"] == pytest.approx(LIFESPAN_PLUS_2)
    assert lever["eur_per_tco2e_avoided"] == pytest.approx(LIFESPAN_PLUS_2 / (-lever["change_kgco2e"] / 1000))
    assert summary["inventory"]["budget"]["renewal_eur_per_year"] == pytest.approx(RENEWAL)
    ranking = [r["eur_per_tco2e_avoided"] for r in summary["levers_ranking"]]
    assert ranking == sorted(ranking)


def test_report_levers_table_has_a_euro_column_and_the_budget_section(report):
    summary, parser = report
    levers = parser.table("Levier")
    assert levers[0][-2:] == ["€ HT/an", "€ par tCO2e évitée"]
    assert levers[2][0] == "Durée de vie +2 ans" and levers[2][-2] == cell(f"{fr(LIFESPAN_PLUS_2)} €/an")
    per_tonne = summary["scenarios"][1]["alone_eur_per_tco2e_avoided"]
    assert levers[2][-1] == cell(f"{fr(per_tonne)} €/tCO2e")
    budget = parser.table("Renouvellement annuel à l'équilibre par catégorie")
    assert budget[-1] == ["Total", "", "100 %", cell(f"{fr(RENEWAL)} €/an")]
    ranked = parser.table("Leviers classés par € par tCO2e évitée")
    assert [r[0] for r in ranked[1:]][0] in {
        "Durée de vie +2 ans",
        "30 % d'achats reconditionnés",
        "Réemploi de 50 % du matériel réformé",
    }


@pytest.mark.parametrize(
    "command",
    [
        ["estimate", VALEUR, "--year", "2025"],
        ["scenario", VALEUR, "--year", "2025", "-s", "lifespan+2"],
        ["ai", "estimate", SAMPLE_AI_LOG],
        ["history", "add", VALEUR, "--year", "2025"],
        ["report", VALEUR, "--year", "2025"],
        ["ai", "plan", ROOT / "examples" / "ville-exemple" / "plan_assistant.toml"],
    ],
    ids=["estimate", "scenario", "ai", "history", "report", "plan"],
)
@pytest.mark.parametrize(
    "value, says",
    [
        ("abc", "ce n'est pas un prix de l'électricité"),
        ("0,21 €/kg", "l'unité n'est pas un prix par énergie"),
        ("172", "un prix de l'électricité va de 0 à 10 €/kWh"),
        ("-0,2 €/kWh", "un prix de l'électricité va de 0 à 10 €/kWh"),
    ],
)
def test_a_wrong_electricity_price_is_exit_2_with_a_french_message(tmp_path, run_cli, command, value, says):
    extra = ["--db", tmp_path / "h.sqlite"] if command[0] == "history" else []
    extra += ["--out", tmp_path / "r"] if command[0] == "report" else []
    code, out, err = run_cli(*command, *extra, "--electricity-price", value)
    assert code == 2 and f"--electricity-price « {value} »" in out + err and says in out + err


def test_the_electricity_price_reaches_ai_estimate_and_history(tmp_path, run_cli):
    code, out, err = run_cli("ai", "estimate", SAMPLE_AI_LOG, "--json", "--electricity-price", "210 €/MWh")
    assert code == 0, err
    budget = json.loads(out)["budget"]
    assert budget["electricity_price_eur_per_kwh"] == 0.21
    assert budget["electricity_eur"] == pytest.approx(budget["own_energy_kwh"] * 0.21)
    db = tmp_path / "h.sqlite"
    code, _, err = run_cli(
        "history", "add", VALEUR, "--year", "2025", "--db", db, "--electricity-price", "0,21"
    )
    assert code == 0, err


def test_the_waterfall_shows_each_steps_euros_under_its_tonnes(report):
    from greenit.reporting.charts import lever_waterfall

    summary, _ = report
    scenarios = summary["scenarios"]
    figure = lever_waterfall(scenarios)
    texts = [cell(t.get_text()) for t in figure.axes[0].texts]
    steps, (first, last) = texts[:-2], texts[-2:]
    # the baseline's budget by hand: renewal at steady state + the year's kWh at the default price
    kwh = summary["inventory"]["totals"]["use_kwh"]
    baseline = RENEWAL + kwh * 0.172  # parameters.csv electricity_price (test_money reads the table)
    assert scenarios[0]["budget_eur_per_year"] == pytest.approx(baseline)
    assert first.endswith(cell(f"{fr(baseline)} €/an"))
    # the first step is lifespan+2 alone: its € by hand; each step the one summary.json gives
    assert steps[0].endswith(cell(f"{fr(LIFESPAN_PLUS_2)} €/an"))
    for text, row in zip(steps, scenarios[1:], strict=True):
        value = row["step_eur_per_year"]
        assert text.endswith(cell(("+" if value > 0 else "") + f"{fr(value)} €/an"))
    assert last.endswith(cell(f"{fr(scenarios[-1]['budget_eur_per_year'])} €/an"))
    # a comparison without euros (a notebook's own frame) keeps its one line
    bare = [{k: v for k, v in row.items() if "eur" not in k} for row in scenarios]
    assert all("€" not in t.get_text() for t in lever_waterfall(bare).axes[0].texts)


@pytest.mark.parametrize("typed", ["250 €/MWh", "0,25 €/kWh", "0,30 €/kWh TTC", "25 c€/kWh"])
def test_ai_plan_reads_the_electricity_price_with_the_one_grammar(run_cli, typed):
    # ai plan took only €/kWh ("250 €/MWh" was refused): the same grammar as every other command
    plan = ROOT / "examples" / "ville-exemple" / "plan_assistant.toml"
    code, out, err = run_cli("ai", "plan", plan, "--electricity-price", typed, "--json")
    assert code == 0, err
    result = json.loads(out)
    server = next(o for o in result["options"] if o["kind"] == "self_hosted")
    assert server["eur_parts"]["electricity"] == pytest.approx(server["energy_kwh"] * 0.25)
