"""Criteria beyond carbon (issue 23): ADPe, primary energy and water, recomputed by hand from the
rows of the shipped tables (read here with the csv module, not with greenit's loader).
"""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest

from conftest import ROOT, SAMPLE_INVENTORY, write
from greenit.api import estimate_files
from greenit.results import InventorySummary

TABLES = ROOT / "emission_factors"


def _row(table: str, key: str, value: str) -> dict[str, str]:
    with (TABLES / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return next(r for r in csv.DictReader(handle) if r[key] == value)


def _inventory(tmp_path, lines: str):
    path = write(tmp_path / "parc.csv", "Nom;Type;Quantité;Date d'achat;Pays\n" + lines)
    return estimate_files([path], year=2025)


@pytest.fixture(scope="module")
def sample():
    return estimate_files([SAMPLE_INVENTORY], year=2025)


def test_a_laptop_s_criteria_are_its_source_rows_amortised_over_its_life(tmp_path):
    result = _inventory(tmp_path, "PC-1;Ordinateur portable;2;2023-01-01;FRA\n")
    row = result.rows.iloc[0]
    device = _row("device_criteria", "category", "laptop")
    grid = _row("electricity_criteria", "country", "FRA")
    carbon = _row("devices", "category", "laptop")
    lifespan, kwh = float(carbon["lifespan [year]"]), float(carbon["annual_energy [kWh/year]"])
    assert (lifespan, float(device["adpe_manufacture [kgSbeq]"])) == (5.0, 0.0086)
    # two laptops bought on 1 January 2023, five-year life: 2/5 of a device's manufacture in 2025
    for bound, header in (("", ""), ("_low", "_low"), ("_high", "_high")):
        adpe = float(device[f"adpe_manufacture{header} [kgSbeq]"]) * 2 / lifespan
        pe = float(device[f"pe_manufacture{header} [MJ]"]) * 2 / lifespan
        assert row[f"adpe_manufacture{bound}_kgsbeq"] == pytest.approx(adpe, rel=1e-12)
        assert row[f"pe_manufacture{bound}_mj"] == pytest.approx(pe, rel=1e-12)
    # use: 2 × 48 kWh of French electricity × its figures per kWh (water given in litres)
    assert row["adpe_use_kgsbeq"] == pytest.approx(2 * kwh * 4.858e-08, rel=1e-12)
    assert row["pe_use_mj"] == pytest.approx(2 * kwh * 9.3135, rel=1e-12)
    assert row["water_use_m3"] == pytest.approx(2 * kwh * 3.6737 / 1000, rel=1e-12)
    assert float(grid["pe [MJ/kWh]"]) == 9.3135
    assert row["pe_use_mj"] == pytest.approx(row["use_kwh"] * float(grid["pe [MJ/kWh]"]), rel=1e-12)


def test_the_use_phase_per_kwh_is_the_electricity_table_for_every_country(tmp_path):
    with (TABLES / "electricity_criteria.csv").open(encoding="utf-8", newline="") as handle:
        grids = {r["country"]: r for r in csv.DictReader(handle)}
    lines = "".join(f"E-{c};Ordinateur fixe;1;2024-01-01;{c}\n" for c in ("FRA", "DEU", "NOR", "WOR"))
    rows = _inventory(tmp_path, lines).rows.set_index("country")
    for country in ("FRA", "DEU", "NOR"):
        kwh = rows.at[country, "use_kwh"]
        assert rows.at[country, "adpe_use_kgsbeq"] == pytest.approx(
            kwh * float(grids[country]["adpe [kgSbeq/kWh]"])
        )
        assert rows.at[country, "pe_use_mj"] == pytest.approx(kwh * float(grids[country]["pe [MJ/kWh]"]))
    # the world row gives water only: ADPe and primary energy are not given (NaN), never 0
    assert math.isnan(rows.at["WOR", "adpe_use_kgsbeq"]) and math.isnan(rows.at["WOR", "pe_use_mj"])
    assert rows.at["WOR", "water_use_m3"] == pytest.approx(rows.at["WOR", "use_kwh"] * 3.908 / 1000)


def test_the_electricity_table_is_the_installed_ecologits_mixes():
    """A future EcoLogits update that changes a mix is noticed here."""
    import importlib.resources

    data = importlib.resources.files("ecologits") / "data" / "electricity_mixes.json"
    mixes = {m["name"]: m for m in json.loads(data.read_text(encoding="utf-8"))["electricity_mixes"]}
    with (TABLES / "electricity_criteria.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            mix = mixes[row["country"]]
            assert float(row["water [L/kWh]"]) == mix["wue"]
            if row["country"] != "WOR":
                assert (float(row["adpe [kgSbeq/kWh]"]), float(row["pe [MJ/kWh]"])) == (
                    mix["adpe"],
                    mix["pe"],
                )


def test_a_category_without_a_source_is_not_given_never_zero(tmp_path):
    result = _inventory(
        tmp_path, "IMP-1;Imprimante;3;2024-01-01;FRA\nPC-1;Ordinateur portable;1;2024-01-01;FRA\n"
    )
    printer = result.rows.iloc[0]
    assert printer["estimate_status"] == "estimated" and printer["manufacture_kgco2e"] > 0
    assert math.isnan(printer["adpe_manufacture_kgsbeq"]) and math.isnan(printer["pe_manufacture_high_mj"])
    assert printer["adpe_use_kgsbeq"] > 0  # its electricity is still counted
    criteria = result.summary().to_json("fr")["criteria"]
    adpe = criteria["adpe_kgsbeq"]
    assert adpe["not_given"]["manufacture"] == ["printer"]
    assert adpe["coverage"] == {"manufacture": pytest.approx(1 / 4), "use": 1.0}
    laptop = 0.0086 / 5  # one laptop, a whole year of its five-year life
    assert adpe["by_phase"]["manufacture"]["total"] == pytest.approx(laptop, rel=1e-8)
    assert criteria["water_m3"]["by_phase"]["manufacture"] is None
    assert criteria["water_m3"]["coverage"]["manufacture"] == 0.0


def test_flagged_rows_carry_no_criterion(tmp_path):
    result = _inventory(tmp_path, "X-1;Machine à café;1;2024-01-01;FRA\n")
    row = result.rows.iloc[0]
    assert row["estimate_status"] == "flagged"
    assert all(math.isnan(row[c]) for c in ("adpe_manufacture_kgsbeq", "pe_use_mj", "water_use_m3"))


def test_flux_puts_the_whole_manufacture_in_the_purchase_year(tmp_path):
    path = write(
        tmp_path / "parc.csv", "Nom;Type;Quantité;Date d'achat\nA;Écran;4;2025-03-01\nB;Écran;1;2022-03-01\n"
    )
    rows = estimate_files([path], year=2025, method="flux").rows
    assert rows["adpe_manufacture_kgsbeq"].tolist() == pytest.approx([4 * 0.0108, 0.0])
    assert rows["pe_manufacture_low_mj"].tolist() == pytest.approx([4 * 650.0, 0.0])


def test_the_sample_town_s_adpe_comes_mostly_from_manufacture(sample):
    """ADEME/Arcep 2022 (``ademe_arcep_2022_phases``, quoted second-hand): the manufacturing phase
    is « souvent la principale source d'impact (supérieur à 80%) ». The sample town: 99.5 %.
    """
    criteria = sample.summary().to_json("fr")["criteria"]
    adpe = criteria["adpe_kgsbeq"]
    assert adpe["manufacture_share"] >= 0.80
    phases = adpe["by_phase"]
    assert adpe["total"] == pytest.approx(phases["manufacture"]["total"] + phases["use"]["total"])
    assert adpe["low"] <= adpe["total"] <= adpe["high"]
    # primary energy of the use phase is the town's kWh × 9.3135 MJ (France)
    assert criteria["pe_mj"]["by_phase"]["use"]["total"] == pytest.approx(
        sample.summary().totals["use_kwh"] * 9.3135, rel=1e-6
    )


def test_climate_change_is_the_carbon_total(sample):
    summary = sample.summary().to_json("en")
    gwp = summary["criteria"]["gwp_kgco2e"]
    assert (gwp["total"], gwp["low"], gwp["high"]) == (
        summary["totals"]["total_kgco2e"],
        summary["totals"]["total_low_kgco2e"],
        summary["totals"]["total_high_kgco2e"],
    )


def test_criteria_merged_from_batches_are_those_of_the_whole(sample):
    rows = sample.rows
    whole = InventorySummary.from_rows(rows, sample.factors).to_json("fr")["criteria"]
    cuts = [0, 1, 900, 1800, len(rows)]
    parts = [
        InventorySummary.from_rows(rows.iloc[a:b], sample.factors)
        for a, b in zip(cuts, cuts[1:], strict=False)
    ]
    merged = parts[0]
    for part in parts[1:]:
        merged = merged.merge(part)
    merged_json = merged.to_json("fr")["criteria"]
    assert merged_json["adpe_kgsbeq"]["not_given"] == whole["adpe_kgsbeq"]["not_given"]
    for key in ("adpe_kgsbeq", "pe_mj", "water_m3"):
        for bound in ("total", "low", "high"):
            assert merged_json[key][bound] == pytest.approx(whole[key][bound], rel=1e-9)
        assert merged_json[key]["coverage"] == pytest.approx(whole[key]["coverage"])


def test_a_user_table_in_grams_of_antimony_is_converted_and_a_carbon_unit_refused(tmp_path):
    from greenit.errors import FactorTableError
    from greenit.factors import load_factors

    header = "category,adpe_manufacture [gSbeq],pe_manufacture [GJ],source_id\n"
    mine = write(tmp_path / "device_criteria.csv", header + "laptop,9,3,negaoctet_criteria\n")
    factors = load_factors(mine)
    assert factors.tables["device_criteria"].at["laptop", "adpe_manufacture_kgsbeq"] == pytest.approx(0.009)
    assert factors.tables["device_criteria"].at["laptop", "pe_manufacture_mj"] == pytest.approx(3000.0)
    (tmp_path / "wrong").mkdir()
    wrong = write(
        tmp_path / "wrong" / "device_criteria.csv", "category,adpe_manufacture [kgCO2e]\nlaptop,9\n"
    )
    with pytest.raises(FactorTableError):
        load_factors(wrong)


def test_validation_covers_the_criteria_tables(tmp_path):
    from greenit.factors import load_factors
    from greenit.factors.read import assemble
    from greenit.factors.validate import validate

    header = (
        "category,adpe_manufacture [kgSbeq],adpe_manufacture_low [kgSbeq],adpe_manufacture_high [kgSbeq],"
        "pe_manufacture [MJ],source_id\n"
    )
    mine = write(
        tmp_path / "device_criteria.csv",
        header + "laptop,0.01,0.02,0.03,,\nmonitor,50,,,,negaoctet_criteria\n",
    )
    problems = [p.key for p in validate(assemble(str(mine)))]
    assert "factors.problem.inverted_range" in problems  # 0.02 below 0.01
    assert "factors.problem.figure_without_source" in problems  # laptop names no source
    assert "factors.problem.out_of_bounds" in problems  # 50 kg Sb eq for a monitor
    assert validate(load_factors()) == []
    assert np.isfinite(load_factors().tables["electricity_criteria"]["pe_mj_per_kwh"].drop("WOR")).all()


def test_the_console_shows_the_criteria_with_what_is_not_given(run_cli):
    code, out, err = run_cli("estimate", SAMPLE_INVENTORY, "--year", "2025")
    assert code == 0, err
    text = " ".join(out.split())
    assert "Au-delà du carbone — 2025" in text
    assert "Métaux (ADPe)" in text and "kg Sb éq." in text
    assert "Fabrication non renseignée (aucune source ouverte) : Pare-feu" in text
    code, out, err = run_cli("estimate", SAMPLE_INVENTORY, "--year", "2025", "--lang", "en")
    assert "Beyond carbon — 2025" in " ".join(out.split()) and "kg Sb eq" in out


def test_the_workbook_s_criteria_sheet_holds_the_json_figures(run_cli, tmp_path):
    import openpyxl

    book_path = tmp_path / "r.xlsx"
    args = ("estimate", SAMPLE_INVENTORY, "--year", "2025", "--xlsx-out", book_path, "--json")
    code, out, err = run_cli(*args)
    assert code == 0, err
    criteria = json.loads(out)["criteria"]
    sheet = openpyxl.load_workbook(book_path, read_only=True)["Au-delà du carbone"]  # not the rows
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:7] == ["Périmètre", "Indicateur", "Phase", "Total", "Bas", "Haut", "Unité"]
    adpe = [r for r in rows if r[1] and "ADPe" in r[1]]
    by_phase = {r[2]: r for r in adpe}
    manufacture = criteria["adpe_kgsbeq"]["by_phase"]["manufacture"]
    assert by_phase["Fabrication"][3:6] == [manufacture["total"], manufacture["low"], manufacture["high"]]
    assert by_phase["Fabrication"][6] == "kg Sb éq."
    assert by_phase["Utilisation"][3] == criteria["adpe_kgsbeq"]["by_phase"]["use"]["total"]
    water = next(r for r in rows if r[1] and r[1].startswith("Eau") and r[2] == "Fabrication")
    assert water[3:6] == [None, None, None]  # not given: empty cells, never 0
    # a small figure keeps its digits on screen (2.6E-05, not 0.000)
    small = min(v for r in adpe for v in r[3:6] if isinstance(v, float))
    assert small < 0.01
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == small)
    assert cell.number_format == "0.00E+00"


def test_the_report_explains_the_criteria(sample_report):
    report = sample_report("fr")  # the session's report of the sample town (its equipment and more)
    html = report.html
    section = html[html.index('<section id="criteres">') :]
    section = section[: section.index("</section>")]
    assert "Au-delà du carbone</h2>" in section and "<caption>" in section
    assert "kilogrammes d&#39;équivalent antimoine" in section
    summary = report.summary
    share = summary["inventory"]["criteria"]["adpe_kgsbeq"]["manufacture_share"]
    assert f"{round(share * 100)}\u00a0%" in section or f"{round(share * 100)}\u202f%" in section
    assert "Imprimante" in section  # a category whose manufacture is not given is named


def test_a_lifespan_lever_gives_its_effect_on_adpe_in_proportion_to_manufacture(run_cli, tmp_path):
    """Laptops only: the lever scales manufacture and end of life, so the ADPe change is the
    carbon change × the laptop's ADPe per kgCO2e of manufacture + end of life (use unchanged).
    """
    lines = "Nom;Type;Quantité;Date d'achat\nPC;Ordinateur portable;40;2023-06-01\n"
    path = write(tmp_path / "parc.csv", lines)
    code, out, err = run_cli("scenario", path, "--year", "2025", "-s", "lifespan+2", "--json")
    assert code == 0, err
    baseline, lever = json.loads(out)["scenarios"]
    carbon = _row("devices", "category", "laptop")
    per_kg = float(_row("device_criteria", "category", "laptop")["adpe_manufacture [kgSbeq]"]) / (
        float(carbon["manufacture [kgCO2e]"]) + float(carbon["end_of_life [kgCO2e]"])
    )
    assert lever["change_kgco2e"] < 0
    assert lever["adpe_change_kgsbeq"] == pytest.approx(lever["change_kgco2e"] * per_kg, rel=1e-6)
    assert lever["water_change_m3"] == 0.0  # the same electricity
    assert baseline["adpe_kgsbeq"] + lever["adpe_change_kgsbeq"] == pytest.approx(lever["adpe_kgsbeq"])
