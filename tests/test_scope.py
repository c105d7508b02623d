"""The whole footprint of a town (issue 22): the server room's PUE, consumables, services bought,
UPS losses, the lifespan rule — each figure computed here by hand from its source's numbers.

The sources' numbers, as ``sources.csv`` quotes them:

- IDC on-premises PUE 1.63; LBNL small rooms 1.5–2.1;
- server: median TEC of 48 Dell/HPE PCFs 1,528.62 kWh (350.4–3,325.7); France 0.0461 kg/kWh;
- Lexmark 2009: cartridges 6 %, manufacturing 7 % of a laser MFP's life cycle; greenit's printer
  130 kg and MFP 660 kg over 5 years; Ecodiag 300 kg of toner per printer;
- FEMP: VFD UPS 300 W at 25 % load, efficiency 96.7 % (ENERGY STAR), 97.5 % (best), 92 % (less);
- Base Carbone (second-hand): telecoms 136, IT services 75 kgCO2e/k€ HT, ±80 %;
- NegaOctet via ADEME publicodes: fixed 9.26934695867389, mobile 24.6836791969497 gCO2e/GB;
- Arcep: 15.4 GB a month per 4G customer; ADEME AGEC: 4.1 kgCO2e a month per fixed line;
- Impact CO2: storing 1 GB a year 0.12454537 + 0.1107888 g; M14 scale: IT 2–5 years.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import FRANCE_GRID, LAPTOP_MANUFACTURE, ROOT, write
from greenit.api import build_report, estimate_files, estimate_services_file

YEAR = 2025
GRID = FRANCE_GRID  # emission_factors/electricity.csv, FRA
PUE, PUE_LOW, PUE_HIGH = 1.63, 1.5, 2.1
SERVER_KWH, SERVER_KWH_LOW, SERVER_KWH_HIGH = 1528.62, 350.4, 3325.7


def inventory(tmp_path, rows: str, header: str = "Type;Date d'achat;Statut") -> str:
    return str(write(tmp_path / "inventaire.csv", f"{header}\n{rows}"))


# ----------------------------------------------------------------------------- server-room PUE


def test_a_server_gets_the_small_room_pue_and_a_laptop_none(tmp_path):
    path = inventory(tmp_path, "Serveur;01-01-2024;En service\nPortable;01-01-2024;En service\n")
    rows = estimate_files(path, year=YEAR).rows
    server, laptop = rows.iloc[0], rows.iloc[1]
    assert server["use_kwh"] == pytest.approx(SERVER_KWH * PUE)
    assert server["use_low_kgco2e"] == pytest.approx(SERVER_KWH_LOW * PUE_LOW * GRID)
    assert server["use_high_kgco2e"] == pytest.approx(SERVER_KWH_HIGH * PUE_HIGH * GRID)
    assert server["room_overhead_kwh"] == pytest.approx(SERVER_KWH * (PUE - 1))
    assert server["pue_used"] == PUE
    assert laptop["use_kwh"] == pytest.approx(48.0)  # Ecodiag's professional laptop, no PUE
    assert laptop["room_overhead_kwh"] == 0.0 and laptop["pue_used"] != laptop["pue_used"]  # NaN
    assert "pue.csv, row onsite" in server["notes"].render("en")


def test_the_rows_own_pue_then_the_option_replace_the_default_never_on_office_devices(tmp_path):
    path = inventory(
        tmp_path,
        "Serveur;01-01-2024;1,9\nServeur;01-01-2024;\nPortable;01-01-2024;1,9\n",
        header="Type;Date d'achat;PUE de la salle",
    )
    rows = estimate_files(path, year=YEAR, pue="1,7").rows
    assert rows["use_kwh"].iloc[0] == pytest.approx(SERVER_KWH * 1.9)  # the row's own: exact
    assert rows["use_low_kwh"].iloc[0] == pytest.approx(SERVER_KWH_LOW * 1.9)
    assert rows["use_kwh"].iloc[1] == pytest.approx(SERVER_KWH * 1.7)  # --pue, exact too
    assert rows["use_kwh"].iloc[2] == pytest.approx(48.0)
    assert "not applied" in rows["notes"].iloc[2].render("en")
    summary = estimate_files(path, year=YEAR, pue="1,7").result()
    assert (summary["server_room"]["pue"], summary["server_room"]["origin"]) == (1.7, "option")
    assert summary["server_room"]["rows_with_own_pue"] == 1
    from greenit.reporting.scope import room_line
    from greenit.reporting.text import Words

    line = room_line(summary, Words("fr"))
    assert line.startswith("Salle serveur : PUE 1,7 (donné par --pue) appliqué à 2 équipements")
    assert line.endswith("1 ligne donne son propre PUE, appliqué à la place de celui-ci.")


def test_a_rows_pue_above_3_is_flagged_as_an_ai_runs_is(tmp_path):
    # plausibility.csv, row pue (ai_runs;inventory): 1 to 3, the least efficient rooms measured
    path = inventory(
        tmp_path,
        "Serveur;01-01-2024;14\nServeur;01-01-2024;4\nServeur;01-01-2024;1,7\n",
        header="Type;Date d'achat;PUE",
    )
    result = estimate_files(path, year=YEAR)
    rows = result.rows
    assert list(rows["estimate_status"]) == ["flagged", "flagged", "estimated"]
    # 14: beyond the hard limit of a PUE (1 to 5, as an AI log's and --pue); 4: not plausible
    assert "hors de l'intervalle plausible 1–5" in rows["reason"].iloc[0].render("fr")
    assert "hors de la plage plausible (1 à 3)" in rows["reason"].iloc[1].render("fr")
    codes = [f["reason_code"] for f in result.result()["flagged"]]
    assert codes == ["parsing.cell.error", "plausibility.outside_for"]
    assert rows["use_kwh"].iloc[2] == pytest.approx(SERVER_KWH * 1.7)


@pytest.mark.parametrize("value", ["0,9", "abc", "6", "-1"])
def test_a_pue_that_is_not_one_exits_2_in_french(tmp_path, run_cli, value):
    path = inventory(tmp_path, "Serveur;01-01-2024;En service\n")
    code, _, err = run_cli("estimate", path, "--pue", value)
    assert code == 2 and "--pue" in err and "n'est pas un PUE" in err


# ----------------------------------------------------------------------------- UPS losses


def test_ups_losses_are_a_share_of_the_load_carried(tmp_path):
    path = inventory(
        tmp_path,
        "Onduleur;01-01-2024;\nOnduleur;01-01-2024;1000 W\n",
        header="Type;Date d'achat;Puissance",
    )
    rows = estimate_files(path, year=YEAR).rows
    share, best, worst = 1 / 0.967 - 1, 1 / 0.975 - 1, 1 / 0.92 - 1
    # FEMP's test unit: 300 W at 25 % load, all year; the table rounds the shares to 7 digits
    assert rows["use_kwh"].iloc[0] == pytest.approx(share * 300 * 0.25 * 8760 / 1000, rel=1e-5)
    assert rows["use_low_kwh"].iloc[0] == pytest.approx(best * 300 * 0.25 * 8.76, rel=1e-4)
    assert rows["use_high_kwh"].iloc[0] == pytest.approx(worst * 300 * 0.25 * 8.76, rel=1e-4)
    # a UPS row's power is its rating: the losses are the share of 25 % of it, not 1,000 W all year
    assert rows["use_kwh"].iloc[1] == pytest.approx(share * 1000 * 0.25 * 8.76, rel=1e-5)
    assert "rating" in rows["notes"].iloc[1].render("en")
    assert rows["pue_used"].isna().all()  # the UPS's losses are overhead: no PUE on them


# ----------------------------------------------------------------------------- consumables


def test_toner_per_printer_and_copier_in_service_only(tmp_path):
    path = inventory(
        tmp_path,
        "Imprimante;01-01-2024;En service\nCopieur multifonction;01-01-2024;En service\n"
        "Imprimante;01-01-2024;En stock\n",
    )
    rows = estimate_files(path, year=YEAR).rows
    printer, mfp = 130 * 6 / 7 / 5, 660 * 6 / 7 / 5
    assert rows["consumables_kgco2e"].iloc[0] == pytest.approx(printer, rel=1e-5)
    assert rows["consumables_low_kgco2e"].iloc[0] == pytest.approx(printer / 2, rel=1e-4)
    assert rows["consumables_high_kgco2e"].iloc[0] == pytest.approx(300 / 5)
    assert rows["consumables_kgco2e"].iloc[1] == pytest.approx(mfp, rel=1e-5)
    assert rows["consumables_high_kgco2e"].iloc[1] == pytest.approx(mfp * 1.5, rel=1e-5)
    assert rows["consumables_kgco2e"].iloc[2] == 0.0  # in stock: no toner used
    total = rows["manufacture_kgco2e"] + rows["use_kgco2e"] + rows["end_of_life_kgco2e"]
    assert (rows["total_kgco2e"] - total - rows["consumables_kgco2e"]).abs().max() < 1e-9
    summary = estimate_files(path, year=YEAR).result()
    assert summary["totals"]["consumables_kgco2e"] == pytest.approx(printer + mfp, rel=1e-5)


def test_the_towns_own_purchases_replace_the_printers_estimate(tmp_path):
    path = inventory(tmp_path, "Imprimante;01-01-2024;En service\n")
    services = write(
        tmp_path / "services.csv",
        "Service;Nature;Empreinte connue (kgCO2e)\nCartouches de toner;Consommables;41,5\n",
    )
    estimate = estimate_files(path, year=YEAR, services=services)
    assert estimate.rows["consumables_kgco2e"].iloc[0] == 0.0
    assert "replace it" in estimate.rows["notes"].iloc[0].render("en")
    summary = estimate.result()
    assert summary["totals"]["consumables_kgco2e"] == 41.5
    rows_total = float(estimate.rows["total_kgco2e"].sum())
    assert summary["totals"]["total_kgco2e"] == pytest.approx(rows_total + 41.5)


# ----------------------------------------------------------------------------- services

SERVICES = (
    "Service;Nature;Dépense annuelle (€ HT);Lignes;Volume (Go);Utilisateurs\n"
    "Messagerie;SaaS;48 000 €;;;\n"  # line 2
    "Sauvegarde;Cloud;;;4 To;\n"  # line 3
    "ERP hébergé;Hébergement;12,5 k€;;;\n"  # line 4
    "Infogérance;Prestations informatiques;20000;;;\n"  # line 5
    "Forfaits;Téléphonie mobile;;140;;\n"  # line 6
    "Données;Mobile data;;;1000;\n"  # line 7
    "Fibre;Internet;;10;;\n"  # line 8
    "Trunk SIP;Téléphonie fixe;9 600;;;\n"  # line 9
    "Visio;SaaS;;;;200\n"  # line 10: users only
    "Machine;Café;100;;;\n"  # line 11: unknown nature
    "Rien;Cloud;;;;\n"  # line 12: no quantity
    "Licences;SaaS;1 200 € TTC;;;\n"  # line 13: including VAT
    "Toner;Toner;3 000;;;\n"  # line 14: consumables by spend
    "Trafic;Téléphonie fixe;;;500 Go;\n"  # line 15
)


@pytest.fixture
def services(tmp_path):
    return estimate_services_file(write(tmp_path / "services.csv", SERVICES))


def test_each_nature_by_hand(services):
    lines = {r["line"]: r for r in services.records("en")}
    mobile, fixed = 24.6836791969497 / 1000, 9.26934695867389 / 1000
    expected = {
        2: (48 * 75, 48 * 15, 48 * 135),
        3: (4000 * (0.12454537 + 0.1107888) / 1000, None, None),
        4: (12.5 * 75, None, None),
        5: (20 * 75, None, None),
        6: (140 * 15.4 * 12 * mobile, 140 * 15.4 * 12 * mobile / 2, 140 * 15.4 * 12 * 1.5 * 0.0494),
        7: (1000 * mobile, 1000 * mobile, 1000 * 0.0494),
        8: (10 * 4.1 * 12, 10 * 4.1 * 12 * 0.5, 10 * 4.1 * 12 * 1.5),
        9: (9.6 * 136, 9.6 * 136 * 0.2, 9.6 * 136 * 1.8),
        15: (500 * fixed, 500 * 2.59 / 1000, 500 * fixed),  # low: without the box
    }
    for line, (central, low, high) in expected.items():
        record = lines[line]
        assert record["kgco2e"] == pytest.approx(central, rel=1e-4), line
        if low is not None:
            assert (record["kgco2e_low"], record["kgco2e_high"]) == pytest.approx((low, high), rel=1e-4), line
    assert lines[3]["quantity_used"] == "gb" and lines[6]["quantity_used"] == "lines"
    assert {r["poste"] for r in lines.values()} == {"4.5"}
    assert lines[2]["confidence"] == "low" and lines[7]["confidence"] is None


def test_lines_that_cannot_be_estimated_are_flagged_with_file_and_line(services, english):
    flagged = {f["line"]: f for f in services.flagged("en")}
    assert sorted(flagged) == [10, 11, 12, 13, 14]
    assert all(f["file"].endswith("services.csv") and f["source"] == "services" for f in flagged.values())
    assert "no sourced factor for what is given (users)" in flagged[10]["reason"].render("en")
    assert "unknown nature 'Café'" in flagged[11]["reason"].render("en")
    assert flagged[11]["reason_code"] == "services.nature_unknown"  # stable, whatever the language
    assert "no quantity" in flagged[12]["reason"].render("en")
    assert "including VAT" in flagged[13]["reason"].render("en")
    assert "supplier" in flagged[14]["reason"].render("en")
    json_out = services.to_json("en")
    assert json_out["lines_in"] == json_out["lines_estimated"] + json_out["lines_flagged"] == 14


def test_json_keys_of_estimate_with_services(tmp_path, estimate_json):
    path = inventory(tmp_path, "Serveur;01-01-2024;En service\nImprimante;01-01-2024;En service\n")
    services = write(tmp_path / "services.csv", SERVICES)
    result = estimate_json(path, "--year", "2025", "--services", str(services))
    totals = result["totals"]
    for key in ("consumables", "services"):
        for bound in ("", "_low", "_high"):
            assert isinstance(totals[f"{key}{bound}_kgco2e"], float)
    assert result["lifespan_rule"] == "technique"
    assert set(result["server_room"]) >= {"pue", "pue_low", "pue_high", "origin", "devices", "overhead_kwh"}
    from_services = [f for f in result["flagged"] if f.get("source") == "services"]
    assert [f["line"] for f in from_services] == [10, 11, 12, 13, 14]
    assert all(f["file"].endswith("services.csv") for f in from_services)
    parts = totals["manufacture_kgco2e"] + totals["use_kgco2e"] + totals["end_of_life_kgco2e"]
    assert totals["total_kgco2e"] == pytest.approx(
        parts + totals["consumables_kgco2e"] + totals["services_kgco2e"], rel=1e-6
    )


@pytest.mark.parametrize(
    ("word", "nature"),
    [
        ("SaaS", "saas"),
        ("Logiciel en ligne", "saas"),
        ("software as a service", "saas"),
        ("Cloud public", "cloud"),
        ("Hébergement", "hosting"),
        ("hosting", "hosting"),
        ("Infogérance", "it_services"),
        ("IT services", "it_services"),
        ("Téléphonie mobile", "telecom_mobile"),
        ("mobile lines", "telecom_mobile"),
        ("Forfaits mobiles 5G", "telecom_mobile"),
        ("Fibre optique", "telecom_fixed"),
        ("broadband", "telecom_fixed"),
        ("telecom_fixed", "telecom_fixed"),
        ("Cartouches d'encre", "consumables"),
        ("toner cartridges", "consumables"),
    ],
)
def test_nature_words_in_french_and_english(word, nature):
    from greenit.services.natures import nature_of

    assert nature_of(word) == nature


def test_english_headers_are_read(tmp_path):
    text = "Service,Kind,Yearly spend,Lines\nMail,SaaS,10000,\nPhones,mobile telephony,,20\n"
    summary = estimate_services_file(write(tmp_path / "services.csv", text))
    assert [r["kgco2e"] for r in summary.records("en")] == pytest.approx([750.0, 20 * 4.5615], rel=1e-4)


def test_a_services_file_without_a_nature_column_exits_2(tmp_path, run_cli):
    path = inventory(tmp_path, "Portable;01-01-2024;En service\n")
    services = write(tmp_path / "services.csv", "Service;Montant\nMessagerie;1000\n")
    code, _, err = run_cli("estimate", path, "--services", str(services))
    assert code == 2 and "pas de colonne « nature »" in err


# ----------------------------------------------------------------------------- lifespan rule


def test_the_lifespan_rule_technique_or_amortissement(tmp_path, run_cli):
    path = inventory(
        tmp_path,
        "Portable;01-01-2024;3 ans\nPortable;01-01-2024;\n",
        header="Type;Date d'achat;Durée d'amortissement",
    )
    technique = estimate_files(path, year=YEAR).rows
    assert technique["device_lifespan_years"].tolist() == [5.0, 5.0]  # ADEME/Arcep laptop
    assert technique["manufacture_kgco2e"].iloc[0] == pytest.approx(LAPTOP_MANUFACTURE / 5)
    assert "not used" in technique["notes"].iloc[0].render("en")
    accounting = estimate_files(path, year=YEAR, lifespan_rule="Amortisation").rows
    assert accounting["device_lifespan_years"].tolist() == [3.0, (2 + 5) / 2]  # the file's; M14's midpoint
    assert accounting["manufacture_kgco2e"].iloc[0] == pytest.approx(LAPTOP_MANUFACTURE / 3)
    code, out, _ = run_cli("estimate", path, "--year", "2025", "--lifespan-rule", "amortissement", "--json")
    assert code == 0 and json.loads(out)["lifespan_rule"] == "amortissement"
    code, out, _ = run_cli("estimate", path, "--year", "2025")
    assert "Règle de durée de vie : durée de vie technique (--lifespan-rule technique)" in out
    code, _, err = run_cli("estimate", path, "--lifespan-rule", "comptabilité")
    assert code == 2 and "--lifespan-rule" in err


# ----------------------------------------------------------------------------- sample town


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    town = ROOT / "examples" / "ville-exemple"
    out = tmp_path_factory.mktemp("rapport")
    built = build_report(
        [town / "inventaire_glpi.csv"],
        out,
        year=YEAR,
        headcount=1000,
        levers=[],
        services=town / "services.csv",
    )
    return json.loads(built.summary_path.read_text(encoding="utf-8")), built.html_path.read_text("utf-8")


def visible(html: str) -> str:
    import html as html_module

    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ").split())


def test_the_sample_towns_report_shows_its_server_room_consumables_and_services(sample_report):
    summary, html = sample_report
    scope = re.search(r'<section id="perimetre">(.*?)</section>', html, re.S)
    assert scope is not None
    text = visible(scope.group(1))
    assert "Salle serveur : PUE 1,63 (1,5–2,1" in text and "72 équipements" in text
    assert "Consommables d'impression (toner, poste 4.1 du BEGES)" in text and "faible confiance" in text
    assert "Services achetés, par service" in text and "Forfaits mobiles des agents" in text
    assert "Visioconférence" in text  # its flagged line, with its reason
    assert "Règle de durée de vie : durée de vie technique" in text
    headline = summary["headline"]
    assert "services" in headline["includes"]
    assert headline["services_kgco2e"] == pytest.approx(summary["inventory"]["services"]["services_kgco2e"])
    parts = headline["equipment_kgco2e"] + headline["services_kgco2e"] + (headline["ai_kgco2e"] or 0.0)
    assert headline["total_kgco2e"] == pytest.approx(parts)
    exclusions = re.search(r'<section id="exclusions">(.*?)</section>', html, re.S)
    assert exclusions is not None and "82,4 kgCO2e par agent" in visible(exclusions.group(1))
    assert "<caption>" in scope.group(1)


def test_the_headline_says_the_toner_services_and_room_the_total_holds(sample_report):
    summary, html = sample_report
    h, room = summary["headline"], summary["inventory"]["server_room"]
    head = visible(re.search(r'<section class="headline">(.*?)</section>', html, re.S).group(1))
    # 3,785.1 kg of toner, 14,517.0 kg of services, 1,365.4 kg of cooling (CHANGELOG 2027.01)
    assert (round(h["consumables_kgco2e"], 1), round(h["services_kgco2e"], 1)) == (3785.1, 14517.0)
    assert round(room["overhead_kgco2e"], 1) == 1365.4
    assert (
        "Comprend aussi le toner des imprimantes (3,79 tCO2e ; poste 4.1 du BEGES ; faible confiance), "
        "les services achetés (14,5 tCO2e ; poste 4.5 du BEGES) et la climatisation et les pertes de "
        "la salle serveur (PUE 1,63 : 1,37 tCO2e, dans l'usage)." in head
    )
    cards = visible(re.search(r'<section class="kpis">(.*?)</section>', html, re.S).group(1))
    share = round(100 * 14517.0 / h["total_kgco2e"])  # 14,517.0 of 65,360.1: 22 %
    assert f"14,5 tCO2e Services achetés ({share} % du total)" in cards
    assert "3,79 tCO2e Consommables d'impression (5,8 % du total)" in cards  # 3,785.1 / 65,360.1


def test_the_services_sheet_read_back_gives_each_line_by_hand_and_what_was_not_used(tmp_path, run_cli):
    import openpyxl

    town = ROOT / "examples" / "ville-exemple"
    out = tmp_path / "parc.xlsx"
    code, _, err = run_cli(
        "estimate",
        town / "inventaire_glpi.csv",
        "--year",
        "2025",
        "--services",
        town / "services.csv",
        "--xlsx-out",
        out,
    )
    assert code == 0, err
    book = openpyxl.load_workbook(out, read_only=True)  # the sheets read, not the rows'
    sheet = book["Services"]
    header = next(sheet.iter_rows(max_row=1, values_only=True))
    lines = list(sheet.iter_rows(min_row=2, max_col=len(header), values_only=True))  # empty cells kept
    assert header[-2:] == ("Code du motif", "Remarques")
    by_service = {line[2]: line for line in lines}
    mail = by_service["Messagerie et suite bureautique en ligne"]  # 58,000 € HT × 75 kg/k€, ±80 %
    assert mail[6:9] == pytest.approx((58 * 75, 58 * 75 * 0.2, 58 * 75 * 1.8))
    assert mail[-1].startswith("donné mais non utilisé : utilisateurs (greenit retient dépense (€ HT)")
    mobile = by_service["Forfaits mobiles des agents"]  # 140 lines × 15.4 GB × 12 × 24.6837 g/GB
    assert mobile[6] == pytest.approx(140 * 15.4 * 12 * 0.0246836791969497, rel=1e-4)
    backup = by_service["Sauvegarde externalisée"]  # 8,000 GB-year × (0.12454537 + 0.1107888) g
    assert backup[6] == pytest.approx(8000 * (0.12454537 + 0.1107888) / 1000, rel=1e-4)
    assert "dépense (€ HT)" in backup[-1] and "volume (Go)" in backup[-1]  # its 4,800 € said unused
    video = by_service["Visioconférence"]
    assert video[-2] == "services.no_factor" and "utilisateurs" in video[9]
    summary = {row[0]: row[1] for row in book["Synthèse"].iter_rows(values_only=True)}
    services = sum(line[6] for line in lines if line[6] is not None)
    assert summary["Services achetés (BEGES 4.5)"] == pytest.approx(services, rel=1e-6)


def test_without_a_services_file_the_headline_says_they_are_not_counted(tmp_path):
    path = inventory(tmp_path, "Imprimante;01-01-2024;En service\n")
    built = build_report([path], tmp_path / "report", year=YEAR, levers=[], lang="en")
    head = visible(
        re.search(
            r'<section class="headline">(.*?)</section>', built.html_path.read_text("utf-8"), re.S
        ).group(1)
    )
    # one printer: 22.2857 kg of toner a year (130 kg x 6/7 over 5 years, Lexmark 2009)
    assert "Also includes the printers' toner (22.3 kgCO2e, BEGES item 4.1, low confidence)." in head
    assert "Does not include the services bought (cloud, online software, telecoms)" in head
    assert "server room" not in head  # no server: no room


def test_the_sample_towns_category_table_adds_up_with_its_consumables_column(sample_report):
    summary, html = sample_report
    table = re.search(  # the report captions every table and scopes its headers (accessibility)
        r"<table>\s*(?:<caption[^>]*>.*?</caption>)?\s*<thead><tr><th[^>]*>Catégorie</th>.*?</table>",
        html,
        re.S,
    ).group(0)
    assert '<th scope="col" class="n">Consommables</th>' in table
    printers = next(g for g in summary["inventory"]["by_category"] if g["category"] == "printer")
    parts = printers["manufacture_kgco2e"] + printers["use_kgco2e"] + printers["end_of_life_kgco2e"]
    assert printers["total_kgco2e"] == pytest.approx(parts + printers["consumables_kgco2e"])


# ----------------------------------------------------------------------------- history, factors


def test_history_add_with_services_keeps_them_with_the_year(tmp_path, run_cli):
    town = ROOT / "examples" / "ville-exemple"
    db = tmp_path / "h.sqlite"
    code, out, err = run_cli(
        "history", "add", str(town / "inventaire_glpi.csv"), "--year", "2025", "--db", str(db),
        "--services", str(town / "services.csv"), "--json",
    )  # fmt: skip
    assert code == 0, err
    added = json.loads(out)
    plain = estimate_files(town / "inventaire_glpi.csv", year=YEAR, services=town / "services.csv").result()
    assert added["total_kgco2e"] == pytest.approx(plain["totals"]["total_kgco2e"])
    code, out, err = run_cli(
        "history", "add", str(town / "inventaire_glpi_2024.csv"), "--year", "2024", "--db", str(db), "--json"
    )
    assert code == 0, err
    code, out, err = run_cli("history", "compare", "2024", "2025", "--restate", "--db", str(db), "--json")
    compared = json.loads(out)
    assert compared["to"]["total_kgco2e"] == pytest.approx(added["total_kgco2e"])  # restated = recorded
    drivers = {d["driver"]: d["total_kgco2e"] for d in compared["drivers"]}
    assert drivers["services"] == pytest.approx(plain["totals"]["services_kgco2e"])
    assert sum(drivers.values()) == pytest.approx(compared["change_kgco2e"])


def test_factors_validate_passes(run_cli):
    code, out, _ = run_cli("factors", "validate")
    assert code == 0 and "valides" in out


def test_every_scope_figure_of_the_report_traces_to_a_source_row(sample_report):
    summary, html = sample_report
    scope = summary["factors_used"]["scope"]
    assert [r["key"] for r in scope["pue"]] == ["onsite"]
    assert (scope["pue"][0]["value"], scope["pue"][0]["low"], scope["pue"][0]["high"]) == (1.63, 1.5, 2.1)
    assert {r["key"] for r in scope["consumables"]} == {"printer", "multifunction_printer"}
    used = {line["factor_id"] for line in summary["inventory"]["services"]["lines"]}
    assert used <= {r["key"] for r in scope["services"]}
    assert {"ups_loss_share", "paper_ream_kgco2e"} <= {r["key"] for r in scope["parameters"]}
    for rows in (scope["pue"], scope["consumables"], scope["services"], scope["parameters"]):
        for row in rows:
            assert row["sources"], row["key"]
            for source in row["sources"]:
                assert f'id="source-{source}"' in html, (row["key"], source)


def test_the_levers_baseline_agrees_with_the_headline_with_services():
    """On the result a report renders into ``summary.json`` (``build_footprint``), not drawn."""
    from greenit.api import build_footprint

    town = ROOT / "examples" / "ville-exemple"
    result, _ = build_footprint(
        [town / "inventaire_glpi.csv"],
        year=YEAR,
        levers=["lifespan+2"],
        services=town / "services.csv",
        pue="1,8",
    )
    summary = result.to_json("fr")
    baseline = summary["scenarios"][0]
    assert baseline["recomputed_baseline_kgco2e"] == pytest.approx(
        summary["headline"]["total_kgco2e"], rel=1e-9
    )
    assert summary["inventory"]["server_room"]["pue"] == 1.8
