"""Euros beside tonnes (issue 20): prices read, the budget model, levers in €, AGEC by spend —
each figure against a hand computation from the file's cells and the factor tables' rows.
"""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, SAMPLE_INVENTORY, write
from greenit.api import compare_levers, estimate_files
from greenit.errors import GreenitError
from greenit.parsing.money import parse_electricity_price, parse_price, parse_price_column, vat_basis

REAL = ROOT / "tests" / "fixtures" / "real"
FACTORS = ROOT / "emission_factors"
VALEUR = REAL / "glpi10_computers_valeur_fr.csv"


def table_row(table: str, key: str) -> dict[str, str]:
    """A row of a packaged factor table, read with the csv module (not greenit's reader)."""
    with (FACTORS / f"{table}.csv").open(encoding="utf-8") as handle:
        rows = {row[next(iter(row))]: row for row in csv.DictReader(handle)}
    return rows[key]


VAT = 1 + float(table_row("parameters", "vat_rate")["value"])
KWH_PRICE = float(table_row("parameters", "electricity_price")["value"])
KWH_LOW = float(table_row("parameters", "electricity_price")["low"])


def lifespan(category: str) -> float:
    return float(table_row("devices", category)["lifespan [year]"])


def budget_of(paths, **options) -> dict:
    return estimate_files(paths, year=2025, **options).summary().to_json("fr")["budget"]


# ---------------------------------------------------------------- reading prices


@pytest.mark.parametrize(
    "cell, euros, basis",
    [
        ("1 049.00", 1049.0, None),  # GLPI default number format (ASCII space, dot)
        ("1\u00a0049.00", 1049.0, None),  # GLPI 9.x: NBSP
        ("1\u202f049,00 €", 1049.0, None),  # narrow no-break space, French Excel
        ("1,049.00", 1049.0, None),  # Snipe-IT default, GLPI preference 1
        ("1.049,00", 1049.0, None),  # Snipe-IT « 1.234,56 »
        ("1049,00", 1049.0, None),  # GLPI preference 4
        ("EUR1,049.00", 1049.0, None),  # Snipe-IT depreciation report
        ("1 049,00 € TTC", 1049.0, "ttc"),
        ("1049 € H.T.", 1049.0, "ht"),
        ("1,2 k€", 1200.0, None),
        (689.0, 689.0, None),  # a number cell of a workbook
    ],
)
def test_price_spellings_of_asset_managers_and_spreadsheets(cell, euros, basis):
    value, said, problem = parse_price(cell)
    assert problem is None and value == pytest.approx(euros) and said == basis


@pytest.mark.parametrize(
    "cell, key",
    [
        ("à saisir", "money.price.not_a_number"),
        ("$1,049.00", "money.price.other_currency"),
        ("400 CHF", "money.price.other_currency"),
        ("-20", "money.price.negative"),
        ("(1 049,00)", "money.price.negative"),  # accounting negative
    ],
)
def test_a_cell_that_is_no_price_is_a_problem_never_a_number(cell, key):
    value, _, problem = parse_price(cell)
    assert problem.key == key and value != value  # NaN


@pytest.mark.parametrize("cell", ["", "-", "N/A", "NC", "0.00", "0", 0.0])
def test_empty_placeholders_and_glpi_zero_give_no_price_and_no_problem(cell):
    value, _, problem = parse_price(cell)
    assert problem is None and value != value


@settings(max_examples=150, deadline=None)
@given(st.decimals(min_value="0.01", max_value="9999999.99", places=2))
def test_any_amount_reads_back_from_every_glpi_and_snipe_it_number_format(amount):
    value = float(amount)
    whole, cents = f"{value:.2f}".split(".")
    grouped = f"{int(whole):,}"
    written = [
        grouped.replace(",", " ") + "." + cents,  # GLPI 0 (default)
        grouped + "." + cents,  # GLPI 1, Snipe-IT default
        grouped.replace(",", " ") + "," + cents,  # GLPI 2
        whole + "." + cents,  # GLPI 3
        whole + "," + cents,  # GLPI 4
        grouped.replace(",", ".") + "," + cents,  # Snipe-IT « 1.234,56 »
        grouped.replace(",", "\u00a0") + "." + cents,  # GLPI 9.x NBSP
    ]
    for text in written:
        assert parse_price(text)[0] == pytest.approx(value), text


@pytest.mark.parametrize(
    "header, basis",
    [
        ("Prix unitaire (€ HT)", "ht"),
        ("Montant TTC", "ttc"),
        ("Total H.T.", "ht"),
        ("Cost (excl. VAT)", "ht"),
        ("Purchase cost including VAT", "ttc"),
        ("Prix toutes taxes comprises", "ttc"),
        ("Valeur", None),
        ("Prix HT / TTC", None),  # both: says nothing
    ],
)
def test_the_vat_basis_a_header_says(header, basis):
    assert vat_basis(header) == basis


def test_each_distinct_cell_is_read_once_and_kept_in_place():
    parsed = parse_price_column(__import__("pandas").Series(["829.00", None, "x", "829.00"]))
    assert parsed.values[0] == parsed.values[3] == 829.0
    assert parsed.errors[2].key == "money.price.not_a_number"


@pytest.mark.parametrize(
    "text, per_kwh, basis",
    [
        ("0,21 €/kWh", 0.21, None),
        ("172 €/MWh", 0.172, None),
        ("21 c€/kWh", 0.21, None),
        ("0.21", 0.21, None),
        ("0,21 €/kWh HT", 0.21, "ht"),
        ("0,24 €/kWh TTC", 0.24, "ttc"),
        ("0,19 euros/kWh", 0.19, None),
    ],
)
def test_electricity_prices_as_people_write_them(text, per_kwh, basis):
    value, said = parse_electricity_price(text)
    assert value == pytest.approx(per_kwh) and said == basis


# ---------------------------------------------------------------- the factor table


def test_every_price_figure_names_a_source_and_defaults_sit_within_their_bounds():
    with (FACTORS / "prices.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    sources = {row["source_id"] for row in csv.DictReader((FACTORS / "sources.csv").open(encoding="utf-8"))}
    devices = {row["category"] for row in csv.DictReader((FACTORS / "devices.csv").open(encoding="utf-8"))}
    assert {row["category"] for row in rows} == devices  # bounds for every category
    priced = {row["category"] for row in rows if row["unit_price [EUR]"]}
    assert priced == {"smartphone", "wifi_access_point"}  # only where a source gives one
    for row in rows:
        for figure, source in (
            ("unit_price [EUR]", "price_source"),
            ("refurbished_discount", "discount_source"),
            ("unit_price_min [EUR]", "bounds_source"),
        ):
            if row[figure]:
                assert row[source] and set(row[source].split(";")) <= sources, row["category"]
        if row["unit_price [EUR]"]:
            low, high = float(row["unit_price_min [EUR]"]), float(row["unit_price_max [EUR]"])
            assert low <= float(row["unit_price_low [EUR]"]) <= float(row["unit_price [EUR]"]) <= high


def test_an_implausible_default_price_is_refused_by_factors_validate(tmp_path, run_cli):
    own = tmp_path / "prices.csv"
    write(
        own,
        "category,unit_price [EUR],price_source,unit_price_min [EUR],unit_price_max [EUR],bounds_source\n"
        "laptop,5,greenit_price_bounds,30,20000,greenit_price_bounds\n",
    )
    code, out, err = run_cli("factors", "validate", own)
    assert code == 2 and "« unit_price_eur » = 5 € sort des bornes de vraisemblance" in out + err


def test_a_users_prices_table_gives_the_missing_defaults(tmp_path):
    own = write(
        tmp_path / "prices.csv",
        "category,unit_price [EUR],unit_price_low [EUR],unit_price_high [EUR],price_source\n"
        "laptop,800,700,900,greenit_price_bounds\n",
    )
    inventory = write(tmp_path / "inv.csv", "Type;Quantité\nPortable;10\n")
    budget = budget_of([inventory], factors=own)
    assert budget["renewal_eur_per_year"] == pytest.approx(10 * 800 / lifespan("laptop"))
    assert budget["renewal_low_eur_per_year"] == pytest.approx(10 * 700 / lifespan("laptop"))
    assert budget["priced"]["default_share"] == 1.0


# ---------------------------------------------------------------- the budget model


def test_glpi_export_with_a_value_on_every_row_gives_its_renewal_budget_from_those_values():
    budget = budget_of([VALEUR])
    # the file's cells (TTC: its header says neither) ÷ 1.2 ÷ the lifespan the carbon model uses
    # (default rule: the technical life of devices.csv); the retired PC-POL-005 is not renewed
    by_hand = (
        (829 + 829) / lifespan("desktop")
        + (1249 + 1389) / lifespan("laptop")
        + 8970 / lifespan("rack_server")
    ) / VAT
    assert budget["renewal_eur_per_year"] == pytest.approx(by_hand)
    assert budget["renewal_low_eur_per_year"] == budget["renewal_high_eur_per_year"] == pytest.approx(by_hand)
    assert budget["priced_share"] == 1.0 and budget["priced"]["file_share"] == 1.0
    assert budget["price_basis"]["ttc_assumed"] == 6 and budget["price_basis"]["unsaid"] == "ttc_assumed"
    assert any("lus TTC" in note for note in budget["notes"])
    # --lifespan-rule amortissement: the file's « Durée d'amortissement » (5, 4 and 5 years)
    amortised = budget_of([VALEUR], lifespan_rule="amortissement")
    by_rule = ((829 + 829) / 5 + (1249 + 1389) / 4 + 8970 / 5) / VAT
    assert amortised["renewal_eur_per_year"] == pytest.approx(by_rule)


def test_prices_declared_excluding_vat_are_taken_as_they_are():
    budget = budget_of([VALEUR], price_basis="hors taxes", lifespan_rule="amortissement")
    assert budget["renewal_eur_per_year"] == pytest.approx(829 * 2 / 5 + (1249 + 1389) / 4 + 8970 / 5)
    assert budget["price_basis"]["unsaid"] == "ht_declared"


def test_pre_10_glpi_values_with_no_break_spaces():
    budget = budget_of([REAL / "glpi95_printers_fr.csv"], lifespan_rule="amortissement")
    # « Hors service » plotter out of the fleet
    assert budget["renewal_eur_per_year"] == pytest.approx((3980 / 5 + 289 / 5 + 449 / 4 + 199 / 3) / VAT)
    assert budget["priced_share"] == 1.0


def test_electricity_is_the_years_kwh_at_the_price_given_or_the_sourced_default():
    estimate = estimate_files([VALEUR], year=2025)
    summary = estimate.summary().to_json("fr")
    kwh = summary["totals"]["use_kwh"]
    assert summary["budget"]["electricity_eur_per_year"] == pytest.approx(kwh * KWH_PRICE, rel=1e-6)
    low_kwh = float(estimate.rows["use_low_kwh"].sum())
    assert summary["budget"]["electricity_low_eur_per_year"] == pytest.approx(low_kwh * KWH_LOW, rel=1e-6)
    given = budget_of([VALEUR], electricity_price="0,21 €/kWh")
    assert given["electricity_eur_per_year"] == pytest.approx(kwh * 0.21, rel=1e-6)
    assert given["electricity_price_origin"] == "option"
    ttc = budget_of([VALEUR], electricity_price="0,252 €/kWh TTC")  # brought back excl. VAT
    assert ttc["electricity_eur_per_year"] == pytest.approx(kwh * 0.252 / VAT, rel=1e-6)


def test_a_file_without_prices_uses_the_sourced_defaults_and_says_the_rest_is_unknown(tmp_path):
    inventory = write(tmp_path / "inv.csv", "Type;Quantité\nSmartphone;10\nBorne Wi-Fi;4\nPortable;6\n")
    budget = budget_of([inventory])
    phone, wifi = table_row("prices", "smartphone"), table_row("prices", "wifi_access_point")
    by_hand = 10 * float(phone["unit_price [EUR]"]) / lifespan("smartphone") + 4 * float(
        wifi["unit_price [EUR]"]
    ) / lifespan("wifi_access_point")
    assert budget["renewal_eur_per_year"] == pytest.approx(by_hand)
    low = 10 * float(phone["unit_price_low [EUR]"]) / lifespan("smartphone") + 4 * float(
        wifi["unit_price_low [EUR]"]
    ) / lifespan("wifi_access_point")
    assert budget["renewal_low_eur_per_year"] == pytest.approx(low)
    assert budget["priced_share"] == pytest.approx(14 / 20)
    assert budget["priced"]["unknown_quantity"] == 6
    notes = " ".join(budget["notes"])
    assert "€ inconnus pour 6 équipements" in notes and "Ordinateur portable" in notes
    assert "--factors" in notes and "unit_price_eur" in notes  # how to give them


def test_a_line_total_is_divided_by_the_quantity(tmp_path):
    inventory = write(tmp_path / "inv.csv", "Type;Quantité;Montant total TTC\nPortable;4;4 800,00\n")
    budget = budget_of([inventory])
    assert budget["renewal_eur_per_year"] == pytest.approx(4 * (4800 / 4 / VAT) / lifespan("laptop"))
    assert budget["price_basis"]["ttc"] == 4  # said by the header, not assumed


def test_snipe_it_purchase_cost(tmp_path):
    inventory = write(
        tmp_path / "assets.csv",
        "Asset Tag,Category,Model,Purchase Cost,Status\n"
        'A-1,Laptops,Latitude 5440,"1,049.00",Deployed\nA-2,Laptops,Latitude 5440,"1,049.00",Deployed\n',
    )
    budget = budget_of([inventory], price_basis="ht")
    assert budget["renewal_eur_per_year"] == pytest.approx(2 * 1049 / lifespan("laptop"))


def test_bad_prices_are_flagged_with_their_line_and_the_others_total_stands(tmp_path, run_cli):
    inventory = write(
        tmp_path / "inv.csv",
        "Type;Quantité;Prix unitaire (€ HT)\n"
        "Portable;2;1 000\n"  # line 2
        "Portable;1;90 000\n"  # 3: implausible for a laptop
        "Portable;1;0,9\n"  # 4: thousands typed as units
        "Portable;1;à voir\n"  # 5: text
        "Portable;1;-5\n"  # 6: negative
        "Écran;3;150\n",  # 7
    )
    result = estimate_files([inventory], year=2025).summary().to_json("fr")
    budget = result["budget"]
    assert result["rows_flagged"] == 0  # the footprint of every row stands
    assert [f["line"] for f in budget["prices_flagged"]] == [3, 4, 5, 6]
    reasons = [f["reason"] for f in budget["prices_flagged"]]
    assert "90\u202f000 € HT" in reasons[0] and "invraisemblable pour « Ordinateur portable »" in reasons[0]
    assert "0,9 € HT" in reasons[1] and "n'est pas un prix" not in reasons[1]
    assert "« à voir »" in reasons[2] and "ce n'est pas un prix" in reasons[2]
    assert "un prix n'est pas négatif" in reasons[3]
    # each reason's stable code, the same in English: what scripts test
    codes = ["money.price.implausible"] * 2 + ["money.price.not_a_number", "money.price.negative"]
    assert [f["reason_code"] for f in budget["prices_flagged"]] == codes
    english = estimate_files([inventory], year=2025).summary().to_json("en")["budget"]["prices_flagged"]
    assert [f["reason_code"] for f in english] == codes
    assert "implausible" in english[0]["reason"] or "laptop" in english[0]["reason"].lower()
    rows = tmp_path / "rows.csv"
    assert run_cli("estimate", inventory, "--year", "2025", "--rows-out", rows)[0] == 0
    written = pd.read_csv(rows, sep=";", encoding="utf-8-sig", keep_default_na=False)
    assert list(written["price_reason_code"]) == ["", *codes, ""]
    book = tmp_path / "book.xlsx"
    assert run_cli("estimate", inventory, "--year", "2025", "--xlsx-out", book)[0] == 0
    import openpyxl

    sheet = openpyxl.load_workbook(book, read_only=True)["Lignes"]
    table = list(sheet.iter_rows(values_only=True))
    column = table[0].index("Code du motif (prix)")
    assert [line[column] for line in table[1:]] == [None, *codes, None]
    assert budget["renewal_eur_per_year"] == pytest.approx(
        2 * 1000 / lifespan("laptop") + 3 * 150 / lifespan("monitor")
    )
    assert budget["priced"]["unknown_quantity"] == 4


def test_an_unknown_price_basis_is_a_french_error(tmp_path):
    with pytest.raises(GreenitError, match="--prices « brut »"):
        estimate_files([VALEUR], year=2025, price_basis="brut")


# ---------------------------------------------------------------- levers in euros


def lever_rows(paths, levers, **options):
    table = compare_levers(estimate_files(paths, year=2025, **options), levers)
    return {row["lever"]: row for row in table.to_dict("records")}


def test_lifespan_lever_renews_at_the_longer_lifespan():
    baseline, row = compare_levers(estimate_files([VALEUR], year=2025), ["lifespan+2"]).to_dict("records")
    by_hand = (
        -sum(
            value / life * 2 / (life + 2)  # renewal R = value / L becomes value / (L + 2)
            for value, life in (
                (829 * 2, lifespan("desktop")),
                (1249 + 1389, lifespan("laptop")),
                (8970, lifespan("rack_server")),
            )
        )
        / VAT
    )
    assert row["change_eur_per_year"] == pytest.approx(by_hand)
    assert row["change_priced_share"] == 1.0
    assert row["eur_per_tco2e_avoided"] == pytest.approx(by_hand / (-row["change_kgco2e"] / 1000))
    assert row["budget_eur_per_year"] == pytest.approx(baseline["budget_eur_per_year"] + by_hand)


def test_refurbished_lever_discounts_that_share_of_renewals_with_the_discounts_range():
    row = lever_rows([VALEUR], ["refurbished=30%"])["refurbished=30%"]
    discount = table_row("prices", "laptop")
    terminals = ((829 * 2) / lifespan("desktop") + (1249 + 1389) / lifespan("laptop")) / VAT  # no rack server
    assert row["change_eur_per_year"] == pytest.approx(
        -terminals * 0.3 * float(discount["refurbished_discount"])
    )
    assert row["change_low_eur_per_year"] == pytest.approx(
        -terminals * 0.3 * float(discount["refurbished_discount_high"])
    )
    assert row["change_high_eur_per_year"] == pytest.approx(
        -terminals * 0.3 * float(discount["refurbished_discount_low"])
    )


def test_reuse_lever_avoids_purchases_at_the_towns_own_price():
    row = lever_rows([VALEUR], ["reuse=50%"])["reuse=50%"]
    # half the retired 2018 desktop back in service: half a new desktop not bought, at the file's
    # mean desktop price, over the table's lifespan (the avoided device gives none); it draws the
    # electricity the new one would have: no change there
    mean_desktop = (829 + 829 + 719) / 3 / VAT
    assert row["change_eur_per_year"] == pytest.approx(-0.5 * mean_desktop / lifespan("desktop"))


def test_grid_lever_changes_no_euro_unless_a_price_comes_with_it():
    rows = lever_rows(
        [VALEUR], ["grid=32 g/kWh", "grid=32 g/kWh @ 0,25 €/kWh"], electricity_price="0,20 €/kWh"
    )
    assert rows["grid=32 g/kWh"]["change_eur_per_year"] == pytest.approx(0.0)
    assert rows["grid=32 g/kWh"]["eur_per_tco2e_avoided"] == pytest.approx(0.0)
    kwh = estimate_files([VALEUR], year=2025).summary().totals["use_kwh"]
    dearer = rows["grid=32 g/kWh @ 0,25 €/kWh"]
    assert dearer["change_eur_per_year"] == pytest.approx(kwh * 0.05, rel=1e-6)  # a cost
    assert dearer["eur_per_tco2e_avoided"] > 0


def test_a_region_lever_moves_runs_to_a_providers_bill_its_euros_are_unknown():
    from conftest import SAMPLE_AI_LOG
    from greenit.api import estimate_ai_files

    inventory = estimate_files([VALEUR], year=2025)
    runs = estimate_ai_files([SAMPLE_AI_LOG])
    table = compare_levers(inventory, ["region=europe-west9", "pue=1.1"], workloads=runs).to_dict("records")
    assert table[1]["change_eur_per_year"] is None and table[1]["eur_per_tco2e_avoided"] is None
    assert table[2]["change_eur_per_year"] is not None


USAGE = ROOT / "examples" / "ville-exemple" / "usage_ia_generative.csv"


def tokens(cell: str) -> float:
    """« 17,86 M » → 17 860 000, « 240 000 » → 240 000 (as the sample town's usage log writes them)."""
    text = cell.replace("\u00a0", " ").replace("\u202f", " ").strip()
    millions = text.endswith(" M")
    number = text.removesuffix(" M").replace(" ", "").replace(",", ".")
    return float(number) * (1e6 if millions else 1)


def test_hosted_model_lever_at_the_providers_per_token_prices():
    from greenit.api import estimate_ai_files

    with USAGE.open(encoding="utf-8-sig") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter=";") if r["Service"] == "Assistant des agents"]
    inputs = sum(tokens(r["Jetons d'entrée"]) for r in rows)
    outputs = sum(tokens(r["Jetons de sortie"]) for r in rows)
    large, small = (
        table_row("genai_prices", "mistral-large-2411"),
        table_row("genai_prices", "mistral-small-2603"),
    )
    assert "mistral-small-latest" in small["aliases"].split(";")
    rate = float(table_row("ai_parameters", "usd_per_eur")["value"])
    by_hand = (
        (
            inputs * (float(small["input_price_per_mtok"]) - float(large["input_price_per_mtok"]))
            + outputs * (float(small["output_price_per_mtok"]) - float(large["output_price_per_mtok"]))
        )
        / 1e6
        / rate
    )
    usage = estimate_ai_files([USAGE])
    levers = [
        "model=mistral-small-latest:Assistant des agents",
        "model=voxtral-mini-latest:Assistant des agents",
    ]
    table = compare_levers(estimate_files([VALEUR], year=2025), levers, workloads=usage).to_dict("records")
    assert table[1]["change_eur_per_year"] == pytest.approx(by_hand, rel=1e-6)
    assert table[1]["eur_per_tco2e_avoided"] == pytest.approx(by_hand / (-table[1]["change_kgco2e"] / 1000))
    assert table[2]["change_eur_per_year"] is None  # a model without a price: no saving read


def test_a_model_lever_on_every_service_is_priced_over_the_rows_priced_before_and_after():
    # the sample town's transcription service runs a model without a public price: moving every
    # service to Mistral Small is priced over the rows that have a price before and after
    # (Assistant des agents from Mistral Large, Résumé des courriers from GPT-4o mini), as a
    # device lever is priced over the devices with a price; the share says so
    from greenit.api import estimate_ai_files

    with USAGE.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    rate = float(table_row("ai_parameters", "usd_per_eur")["value"])
    small = table_row("genai_prices", "mistral-small-2603")
    by_hand = 0.0
    for service, model in (
        ("Assistant des agents", "mistral-large-2411"),
        ("Résumé des courriers", "gpt-4o-mini"),
    ):
        old = table_row("genai_prices", model)
        mine = [r for r in rows if r["Service"] == service]
        assert {r["Modèle"] for r in mine} == {model}
        for kind, column in (("input", "Jetons d'entrée"), ("output", "Jetons de sortie")):
            price = float(small[f"{kind}_price_per_mtok"]) - float(old[f"{kind}_price_per_mtok"])
            by_hand += sum(tokens(r[column]) for r in mine) * price / 1e6 / rate
    moved = [r for r in rows if r["Modèle"] != "mistral-small-latest"]  # the rows the lever changes
    unpriced = [r for r in moved if r["Modèle"] == "voxtral-mini-latest"]
    usage = estimate_ai_files([USAGE])
    table = compare_levers(None, ["model=mistral-small-latest"], workloads=usage).to_dict("records")
    assert table[1]["change_eur_per_year"] == pytest.approx(by_hand, rel=1e-6)
    assert table[1]["change_priced_share"] == pytest.approx(1 - len(unpriced) / len(moved))


def test_scenario_json_ranks_levers_by_euros_per_tonne_avoided(run_cli):
    code, out, err = run_cli(
        "scenario",
        VALEUR,
        "--year",
        "2025",
        "-s",
        "reuse=50%",
        "-s",
        "lifespan+2",
        "-s",
        "refurbished=30%",
        "--json",
    )
    assert code == 0, err
    result = json.loads(out)
    ranked = [r["eur_per_tco2e_avoided"] for r in result["ranking"]]
    assert ranked == sorted(ranked) and len(ranked) == 3
    for entry in result["scenarios"][1:]:
        for key in (
            "budget_eur_per_year",
            "change_eur_per_year",
            "change_low_eur_per_year",
            "change_high_eur_per_year",
            "eur_per_tco2e_avoided",
        ):
            assert key in entry
        assert (
            entry["change_low_eur_per_year"]
            <= entry["change_eur_per_year"]
            <= entry["change_high_eur_per_year"]
        )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    years=st.integers(min_value=1, max_value=5),
    share=st.sampled_from(["10%", "30%", "80%"]),
    counts=st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=3),
)
def test_a_lever_never_changes_euros_when_prices_are_unknown(tmp_path, years, share, counts):
    kinds = ["Portable", "Unité centrale", "Écran"]
    lines = "".join(f"{kinds[i]};{n}\n" for i, n in enumerate(counts))
    inventory = write(tmp_path / "inv.csv", "Type;Quantité\n" + lines)
    rows = lever_rows([inventory], [f"lifespan+{years}", f"refurbished={share}"])
    for spec in (f"lifespan+{years}", f"refurbished={share}"):
        assert rows[spec]["change_eur_per_year"] is None and rows[spec]["eur_per_tco2e_avoided"] is None


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Portable", "Unité centrale", "Serveur"]),
            st.integers(1, 30),
            st.integers(300, 9000),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_doubling_every_price_doubles_the_renewal_budget(tmp_path, rows):
    def renewal(factor: int) -> float:
        lines = "".join(f"{kind};{n};{price * factor} €\n" for kind, n, price in rows)
        path = write(tmp_path / f"inv{factor}.csv", "Type;Quantité;Prix unitaire HT\n" + lines)
        return budget_of([path])["renewal_eur_per_year"]

    assert renewal(2) == pytest.approx(2 * renewal(1), rel=1e-8)  # JSON keeps 9 digits


# ---------------------------------------------------------------- AGEC by spend


def test_agec_share_of_the_years_spend_beside_the_share_by_count(tmp_path):
    inventory = write(
        tmp_path / "achats.csv",
        "Type;Quantité;Date d'achat;Reconditionné;Prix unitaire HT\n"
        "Portable;2;10-03-2025;Non;1 000\n"
        "Portable;1;12-04-2025;Oui;500\n"
        "Écran;2;15-05-2025;Oui;100\n"
        "Smartphone;2;20-06-2025;Non;\n"  # bought, no value: counted, not in the spend
        "Imprimante;1;01-07-2025;Non;300\n"
        "Portable;1;10-03-2024;Non;1 000\n",  # another year
    )
    agec = {a["agec_category"]: a for a in budget_of([inventory])["agec"]}
    it = agec["informatique_telephonie"]
    assert it["spend_eur"] == pytest.approx(2 * 1000 + 500 + 2 * 100)
    assert it["reuse_spend_eur"] == pytest.approx(500 + 2 * 100)
    assert it["reuse_share_by_spend"] == pytest.approx(700 / 2700)
    assert it["reuse_share_by_count"] == pytest.approx(3 / 7)
    assert it["priced_purchases_share"] == pytest.approx(5 / 7)
    assert it["target_share"] == float(table_row("parameters", "agec_it_spend_target_2024")["value"])
    assert it["target_since"] == 2024 and it["target_verified"] is False
    assert it["recycled_share_by_spend"] is None  # an inventory does not say
    printing = agec["reprographie_impression"]
    assert printing["spend_eur"] == 300 and printing["reuse_share_by_spend"] == 0
    assert printing["target_share"] is None


# ---------------------------------------------------------------- the sample town


def test_sample_town_prices_most_devices_and_no_carbon_figure_moves(tmp_path):
    import pandas as pd

    with_prices = estimate_files([SAMPLE_INVENTORY], year=2025).summary().to_json("fr")
    raw = pd.read_csv(SAMPLE_INVENTORY, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    stripped = tmp_path / "sans_valeur.csv"
    raw.drop(columns=["Informations financières et administratives - Valeur"]).to_csv(
        stripped, sep=";", index=False, encoding="utf-8-sig"
    )
    without = estimate_files([stripped], year=2025).summary().to_json("fr")
    assert with_prices["totals"] == without["totals"]
    assert with_prices["rows_flagged"] == without["rows_flagged"]
    budget = with_prices["budget"]
    assert 0.5 < budget["priced_share"] < 1
    assert budget["priced"]["file_share"] > 0 and budget["priced"]["default_share"] > 0
    assert [f["line"] for f in budget["prices_flagged"]] == [7, 15]
