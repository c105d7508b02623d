"""The real-format exports of tests/fixtures/real (see its README): read as their README says.

Categories, dates, lifespans and statuses are asserted row by row; footprints are checked
against the factor table's own figures, computed here independently of the model code.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from conftest import ROOT
from greenit.api import estimate_files
from greenit.factors import load_factors

REAL = ROOT / "tests" / "fixtures" / "real"
YEAR = 2025
INVENTORIES = [
    "glpi10_computers_fr.csv",
    "glpi10_computers_fr_noprefix.csv",
    "glpi10_monitors_fr.csv",
    "glpi95_printers_fr.csv",
    "glpi10_network_fr.csv",
    "glpi11_phones_fr.csv",
    "glpi10_allassets_fr.csv",
    "g4it_physical_equipment.csv",
    "numecoeval_physical_equipment.csv",
    "inventaire_tableur_mairie.xlsx",
]


def estimate(name: str, **options):
    return estimate_files([REAL / name], year=YEAR, **options)


def dates(rows: pd.DataFrame, column: str = "purchase_date") -> list[str | None]:
    return [None if pd.isna(d) else d.strftime("%Y-%m-%d") for d in rows[column]]


def floats(values) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in values]


def table(category: str, column: str) -> float:
    return float(load_factors().devices.loc[category, column])


def test_glpi_computers_export_with_tab_prefixes():
    result = estimate("glpi10_computers_fr.csv", lifespan_rule="amortissement")
    rows = result.rows
    assert rows["category"].tolist() == [
        "desktop",
        "desktop",
        "laptop",
        "desktop",
        "desktop",
        "laptop",
        "all_in_one",
        "kiosk",  # « Borne interactive »: a kiosk, not a Wi-Fi access point
        "rack_server",  # « Rack Mount Chassis »
        "laptop",
        "desktop",
        "laptop",
    ]
    assert dates(rows) == [
        "2019-03-12",
        "2011-09-15",
        "2016-06-07",
        "2009-11-03",
        "2012-08-22",
        "2021-04-08",
        "2022-11-30",
        None,
        "2020-12-17",
        None,
        "2010-05-10",
        "2022-01-17",
    ]
    # « Durée d'amortissement » read apart; « 0 an » (never filled) is no period
    assert floats(rows["amortisation_years"]) == [5, 4, 4, 5, 5, 3, 5, None, 5, None, None, 4]
    assert rows["lifespan_years"].isna().all()  # the export gives no technical life
    # the rule amortissement: the file's period, else the M14 scale's midpoint of the family
    scale = float(load_factors().table("amortisation").loc["it_equipment", "amortisation_years"])
    assert floats(rows["device_lifespan_years"]) == [5, 4, 4, 5, 5, 3, 5, scale, 5, scale, scale, 4]
    assert dates(rows, "retirement_date")[2] == "2022-02-14"
    assert rows["status_kind"].tolist() == ["in_service"] * 2 + ["retired"] + ["in_service"] * 7 + [
        "stock",
        "in_service",
    ]
    assert rows["reason"].isna().all()
    # a 2009–2012 PC past its amortisation carries no manufacture; the retired laptop nothing
    assert rows["manufacture_kgco2e"].tolist()[:6] == [0.0] * 6
    assert rows["total_kgco2e"].iloc[2] == 0.0
    assert rows["manufacture_kgco2e"].iloc[11] == pytest.approx(table("laptop", "manufacture_kgco2e") / 4)
    assert rows["manufacture_kgco2e"].iloc[6] == pytest.approx(table("all_in_one", "manufacture_kgco2e") / 5)
    note = "lifespan: the accounting amortisation period (BEGES convention, item 4.2)"
    assert rows["notes"].iloc[0].render("en") == note


def test_the_default_rule_keeps_technical_lives_and_says_the_period_was_not_used():
    result = estimate("glpi10_computers_fr.csv")
    rows = result.rows
    assert result.result()["lifespan_rule"] == "technique"
    # every row takes its category's technical life; the periods read are said, not used
    expected = [table(c, "lifespan_years") for c in rows["category"]]
    assert floats(rows["device_lifespan_years"]) == expected
    unused = "amortisation period read, not used: rule 'technique'"
    with_period = rows["amortisation_years"].notna().to_numpy()
    notes = [n.render("en") if isinstance(n, object) and not pd.isna(n) else "" for n in rows["notes"]]
    assert [unused in n for n in notes] == with_period.tolist()
    # the laptop bought 2022-01-17 (4-year period): its technical life (5 years) spreads it
    assert rows["manufacture_kgco2e"].iloc[11] == pytest.approx(table("laptop", "manufacture_kgco2e") / 5)


def test_the_same_export_without_prefixes_gives_the_same_totals_to_the_kgco2e():
    for method in ("amortised", "flux"):
        prefixed = estimate("glpi10_computers_fr.csv", method=method).result()
        plain = estimate("glpi10_computers_fr_noprefix.csv", method=method).result()
        for key, value in prefixed["totals"].items():
            assert round(plain["totals"][key]) == round(value), (method, key)
        assert prefixed["rows_estimated"] == plain["rows_estimated"]


def test_flux_method_estimates_every_row_that_has_a_purchase_date():
    result = estimate("glpi10_computers_fr.csv", method="flux")
    summary = result.result()
    assert (summary["rows_in"], summary["rows_estimated"]) == (12, 10)
    assert sorted(f["row"] for f in summary["flagged"]) == [8, 10]
    # bought in 2022: nothing charged in 2025 under flux; the kiosk and PC-DRH-010 have no date
    assert result.rows["manufacture_kgco2e"].iloc[11] == 0.0


def test_glpi_monitors_export_led_lcd_and_the_default_category():
    plain = estimate("glpi10_monitors_fr.csv")
    assert plain.rows["category"].tolist()[:2] == ["monitor", "monitor"]
    assert plain.rows["category"].iloc[3] == "monitor"  # « Écran portable » is no laptop
    assert plain.result()["rows_flagged"] == 2
    # « Durée d'amortissement » read apart (used only with --lifespan-rule amortissement)
    with_default = estimate("glpi10_monitors_fr.csv", default_category="écrans").rows
    assert with_default["category"].tolist() == ["monitor"] * 7
    assert with_default["category_source"].tolist() == ["type"] * 2 + ["default"] + ["type"] * 3 + ["default"]
    assert floats(with_default["amortisation_years"]) == [5, 4, 5, 3, 5, 4, None]
    assert dates(with_default) == [
        "2019-03-12",
        "2010-02-18",
        "2017-05-03",
        "2023-01-16",
        "2022-09-05",
        "2009-06-12",
        None,
    ]
    assert with_default["status_kind"].tolist() == ["in_service"] * 5 + ["retired", "in_service"]
    assert with_default["status_source"].tolist() == ["status"] * 6 + ["default"]


def test_glpi_printers_export_with_nbsp_numbers():
    rows = estimate("glpi95_printers_fr.csv").rows
    # « Traceur » (a plotter, a large-format printer) is read as a printer by the vocabulary
    assert rows["category"].tolist() == ["printer"] * 5
    assert floats(rows["amortisation_years"]) == [5, 5, 4, 3, 5]
    assert dates(rows) == ["2020-01-15", "2019-09-02", "2021-10-11", "2012-04-27", "2014-12-04"]
    assert rows["status_kind"].tolist() == ["in_service"] * 4 + ["retired"]


def test_glpi_network_export_flags_the_ev_charging_point(english):
    result = estimate("glpi10_network_fr.csv")
    rows = result.rows
    assert rows["category"].tolist()[:5] == [
        "network_switch",
        "network_switch",
        "wifi_access_point",
        "wifi_access_point",
        "firewall",
    ]
    assert pd.isna(rows["category"].iloc[5])
    assert str(rows["reason"].iloc[5]) == (
        "category: 'Borne de recharge' is not digital equipment (outside the scope): not counted"
    )
    assert (rows["category"].iloc[6], rows["category_source"].iloc[6]) == ("internet_box", "model")
    assert floats(rows["amortisation_years"]) == [5, 5, 5, 5, 5, 8, None]


def test_glpi_phones_export_reads_portable_as_a_mobile_phone():
    rows = estimate("glpi11_phones_fr.csv").rows
    assert rows["category"].tolist() == [
        "ip_phone",
        "ip_phone",
        "smartphone",
        "smartphone",
        "ip_phone",
        "dect_phone",
    ]
    assert dates(rows) == ["2021-03-22", "2022-06-14", "2023-05-10", "2021-02-01", "2015-08-25", None]
    assert floats(rows["amortisation_years"]) == [5, 5, 3, 4, 5, None]
    assert rows["status_kind"].tolist() == ["in_service"] * 5 + ["stock"]


def test_glpi_global_view_knows_only_families(english):
    result = estimate("glpi10_allassets_fr.csv")
    rows = result.rows
    assert rows["category"].tolist()[2:4] == ["monitor", "printer"]
    assert rows["category_source"].tolist()[2:4] == ["item_type", "item_type"]
    reasons = [str(r) for r in rows["reason"]]
    assert "'Ordinateur' is a family" in reasons[0]
    assert "'Matériel réseau' is a family" in reasons[4]
    assert (
        reasons[5] == "category: 'IRVE-PARKING-01' is not digital equipment (outside the scope): not counted"
    )
    assert "'Téléphone' is a family" in reasons[6]
    with_default = estimate("glpi10_allassets_fr.csv", default_category="desktop").rows
    # the default fills families, never a charging point
    assert with_default["category"].tolist()[:2] == ["desktop", "desktop"]
    assert pd.isna(with_default["category"].iloc[5])


def test_g4it_physical_equipment_template():
    result = estimate("g4it_physical_equipment.csv")
    rows = result.rows
    assert rows["category"].tolist() == [
        "desktop",
        "laptop",
        "laptop",
        "monitor",
        "monitor",
        "smartphone",
        "tablet",
        "server",
        "desktop",
        "desktop",
    ]
    assert rows["quantity"].tolist() == [1, 1, 1, 12, 25, 1, 0.5, 1, 18, 1]
    assert dates(rows) == [
        "2019-03-12",
        "2016-06-07",
        "2021-04-08",
        "2019-03-12",
        "2017-05-03",
        "2023-05-10",
        "2021-09-01",
        "2020-12-17",
        "2012-08-22",
        "2010-05-10",
    ]
    assert rows["status_kind"].tolist() == ["in_service", "retired"] + ["in_service"] * 4 + [
        "stock",
        "in_service",
        "stock",
        "stock",
    ]
    assert rows["annual_kwh"].iloc[7] == 1752.0
    # nbJourUtiliseAn 220 days × the table's hours per day (2,628 h / 365 d)
    assert rows["use_hours_per_year"].iloc[0] == pytest.approx(
        220 * table("desktop", "use_hours_per_year") / 365
    )
    assert result.result()["columns"]["used"]["nbJourUtiliseAn"] == "use_days_per_year"


def test_numecoeval_lifespans_add_the_lives_before_and_after():
    rows = estimate("numecoeval_physical_equipment.csv").rows
    assert rows["category"].tolist() == ["desktop", "laptop", "laptop", "smartphone", "server"]
    assert floats(rows["lifespan_years"]) == [8, 5.7, 7, 3, 7]
    assert rows["quantity"].tolist() == [1, 1, 15, 1, 1]
    assert rows["annual_kwh"].iloc[4] == 1752.0


def test_hand_kept_workbook_with_notice_title_rows_blank_rows_and_totals(english):
    result = estimate("inventaire_tableur_mairie.xlsx")
    summary = result.result()
    rows = result.rows
    [read] = summary["columns"]["files"]
    assert (read["sheet"], read["header_line"]) == ("Inventaire 2024", 4)
    assert "sheet read: 'Inventaire 2024' (not read: Notice" in read["notes"][0]
    assert rows["line"].tolist() == [5, 6, 7, 8, 10, 11, 12, 13, 15]
    estimated = rows[rows["estimate_status"] == "estimated"]
    assert estimated["category"].tolist() == [
        "desktop",
        "laptop",
        "monitor",
        "multifunction_printer",
        "desktop",
        "tablet",
        "projector",
    ]
    assert estimated["quantity"].sum() == 72
    assert dates(estimated) == [
        "2019-01-01",
        "2021-04-01",
        "2023-01-01",
        "2020-01-01",
        "2012-01-01",
        "2020-09-01",
        "2022-01-01",
    ]
    assert floats(estimated["lifespan_years"]) == [6, 5, 8, 7, 12, 5, 7]
    assert floats(estimated["use_hours_per_year"]) == [1600, 1600, 1600, 2000, 900, 500, 700]
    assert estimated["status_kind"].tolist()[-1] == "stock"
    totals = rows[rows["estimate_status"] == "flagged"]
    assert totals["quantity"].tolist() == [53, 72]
    assert [str(r) for r in totals["reason"]] == ["totals row, not a device: not counted"] * 2
    assert (summary["rows_in"], summary["rows_estimated"], summary["rows_flagged"]) == (9, 7, 2)


def file_headers(name: str) -> list[str]:
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(REAL / name, read_only=True)["Inventaire 2024"]
        return [c for c in next(sheet.iter_rows(min_row=4, max_row=4, values_only=True)) if c]
    text = (REAL / name).read_bytes().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text), delimiter=";"))
    return [h for h in header if h]  # GLPI's trailing ';' makes no column


@pytest.mark.parametrize("name", INVENTORIES)
def test_every_header_of_the_bundled_fixtures_is_used_or_reported_ignored(name):
    columns = estimate(name, default_category="desktop").result()["columns"]
    headers = file_headers(name)
    assert set(columns["used"]) | set(columns["ignored"]) == set(headers)
    assert not set(columns["used"]) & set(columns["ignored"])


def test_rows_out_says_how_each_category_and_status_was_decided(tmp_path, run_cli):
    out = tmp_path / "lignes.csv"
    code, _, err = run_cli(
        "estimate", REAL / "glpi10_monitors_fr.csv", "--default-category", "monitor", "--rows-out", out
    )
    assert code == 0, err
    rows = pd.read_csv(out, sep=";", dtype=str, keep_default_na=False)
    assert rows["category_source"].tolist() == ["type", "type", "default", "type", "type", "type", "default"]
    assert rows["status_source"].tolist() == ["status"] * 6 + ["default"]
    assert rows["status_kind"].tolist()[5] == "retired"


def test_totals_rows_are_flagged_but_not_counted_as_missing_devices(tmp_path):
    from greenit.api import build_report

    path = REAL / "inventaire_tableur_mairie.xlsx"
    result = estimate_files([path], year=2025).result("fr")
    assert result["rows_flagged"] == 2 and result["rows_not_devices"] == 2
    assert result["coverage"] == {"rows": 1.0, "quantity": 1.0, "warning": False}
    report = build_report([path], tmp_path / "rapport", year=2025)
    html = report.html_path.read_text(encoding="utf-8").replace("&#39;", "'")
    assert "ce ne sont pas des équipements, il n'y a rien à corriger" in html
