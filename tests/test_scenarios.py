"""Levers: the arithmetic of each scenario against hand computation."""

import json

import pytest

from conftest import (
    FRANCE_GRID,
    LAPTOP_END_OF_LIFE,
    LAPTOP_MANUFACTURE,
    SAMPLE_AI_LOG,
    SAMPLE_INVENTORY,
    write,
)
from greenit.api import estimate_ai_files, estimate_files
from greenit.errors import GreenitError
from greenit.levers.compare import compare_normalised
from greenit.levers.inventory import apply_inventory_lever
from greenit.levers.specs import parse_lever

FRANCE = FRANCE_GRID


def setup(tmp_path, text, year=2025):
    estimate = estimate_files([write(tmp_path / "inv.csv", text)], year=year)
    return estimate.normalised, estimate.factors


def test_lifespan_four_to_six_years_cuts_amortised_manufacture_by_one_third(tmp_path):
    inventory, factors = setup(
        tmp_path, "Type;Durée de vie;Quantité;Date d'achat\nPortable;4 ans;10;01-01-2024\nPortable;4 ans;5;\n"
    )
    table = compare_normalised(inventory, factors, [parse_lever("lifespan+2")], year=2025)
    from greenit.inventory.estimate import estimate_inventory

    before = estimate_inventory(inventory, factors, year=2025)
    state = apply_inventory_lever(inventory, factors, parse_lever("lifespan+2"), year=2025)
    after = estimate_inventory(state.inventory, factors, year=2025, renewal_factor=state.renewal_factor)
    assert after["manufacture_kgco2e"].sum() == pytest.approx(
        before["manufacture_kgco2e"].sum() * (1 - 1 / 3)
    )
    assert after["manufacture_kgco2e"].sum() == pytest.approx(15 * LAPTOP_MANUFACTURE / 6)
    assert after["use_kwh"].sum() == before["use_kwh"].sum()
    assert table["change_kgco2e"].iloc[1] == pytest.approx(
        -15 * (LAPTOP_MANUFACTURE + LAPTOP_END_OF_LIFE) / 4 / 3
    )


def test_lifespan_lever_on_some_categories_only(tmp_path):
    inventory, factors = setup(tmp_path, "Type\nPortable\nÉcran\n")
    table = compare_normalised(inventory, factors, [parse_lever("lifespan+1:monitor")], year=2025)
    assert table["change_kgco2e"].iloc[1] == pytest.approx((65.89 + 3.95) / 7 - (65.89 + 3.95) / 6)


def test_refurbished_share_of_purchases(tmp_path):
    inventory, factors = setup(tmp_path, "Type\nPortable\nServeur\n")
    table = compare_normalised(inventory, factors, [parse_lever("refurbished=100%")], year=2025)
    # terminals only by default: the laptop's manufacture × 0.13 (ADEME 2022), not the server's
    assert table["change_kgco2e"].iloc[1] == pytest.approx(-LAPTOP_MANUFACTURE / 5 * (1 - 0.13))
    table = compare_normalised(inventory, factors, [parse_lever("refurbished=50%:server")], year=2025)
    # server manufacture: median of 48 Dell/HPE PCFs, 1,215.355 kg over 5 years
    assert table["change_kgco2e"].iloc[1] == pytest.approx(-1215.355 / 5 * 0.5 * (1 - 0.13))


def test_reuse_of_retired_equipment_avoids_new_purchases(tmp_path):
    inventory, factors = setup(
        tmp_path,
        "Type;Statut;Date d'achat;Quantité\n"
        "Portable;Réformé;01-01-2022;2\n"
        "Portable;Réformé;01-01-2012;4\n"
        "Portable;En service;01-01-2024;10\n",
    )
    table = compare_normalised(inventory, factors, [parse_lever("reuse=50%")], year=2025)
    # one of the two recent retired laptops back in service (the 2012 ones are over 10 years):
    # one new laptop not bought; the electricity of the reused one replaces the new one's
    assert table["change_kgco2e"].iloc[1] == pytest.approx(-(LAPTOP_MANUFACTURE + LAPTOP_END_OF_LIFE) / 5)
    assert table["inventory_low_kgco2e"].iloc[1] < table["inventory_kgco2e"].iloc[1]


def test_grid_factor_lever(tmp_path):
    inventory, factors = setup(tmp_path, "Type\nServeur\n")
    table = compare_normalised(inventory, factors, [parse_lever("grid=100 g/kWh")], year=2025)
    # 1,528.62 kWh a year: median TEC of 48 Dell/HPE server PCFs, × the small room's PUE 1.63
    assert table["change_kgco2e"].iloc[1] == pytest.approx(1528.62 * 1.63 * (0.1 - FRANCE))


def test_ai_levers_pue_region_and_energy_per_request(tmp_path):
    log = write(
        tmp_path / "ai.csv",
        "run_id;phase;duration;accelerator;utilisation;pue;location\n"
        "train;training;10 h;L4;1;1,5;FRA\n"
        "serve;inference;10 h;L4;1;1,5;FRA\n",
    )
    runs = estimate_ai_files([log])
    base = runs.result()["totals"]["usage_kgco2e"]
    levers = [parse_lever(s) for s in ("pue=1.0", "region=europe-west9", "request-energy=-50%")]
    table = compare_normalised(None, runs.factors, levers, year=2025, runs=runs.normalised)
    embodied = runs.result()["totals"]["embodied_kgco2e"]
    assert table["ai_kgco2e"].iloc[0] == pytest.approx(base + embodied)
    assert table["change_kgco2e"].iloc[1] == pytest.approx(-base / 3)
    # the region brings its provider's PUE (GCP 2024: 1.09) and, being in France, the ADEME
    # grid factor 0.0461 (one French factor everywhere)
    gcp_paris = 2 * 10 * 0.072 * 1.09 * FRANCE
    assert table["ai_kgco2e"].iloc[2] == pytest.approx(gcp_paris + embodied)
    assert table["change_kgco2e"].iloc[3] == pytest.approx(-base / 4)


def test_cumulative_levers_form_a_waterfall(tmp_path):
    inventory, factors = setup(tmp_path, "Type;Quantité\nPortable;10\nÉcran;10\n")
    levers = [parse_lever(s) for s in ("lifespan+2", "refurbished=30%", "grid=32 g/kWh")]
    table = compare_normalised(inventory, factors, levers, year=2025, cumulative=True)
    assert table["step_kgco2e"].iloc[1:].sum() == pytest.approx(
        table["total_kgco2e"].iloc[-1] - table["total_kgco2e"].iloc[0]
    )
    assert (table["step_kgco2e"].iloc[1:] < 0).all()


def test_an_unknown_region_is_refused(tmp_path, english):
    log = write(tmp_path / "ai.csv", "run_id;duration;accelerator\nr;1 h;L4\n")
    runs = estimate_ai_files([log])
    with pytest.raises(GreenitError, match="unknown cloud or HPC region"):
        compare_normalised(
            None, runs.factors, [parse_lever("region=<svg onload=x>")], year=2025, runs=runs.normalised
        )


@pytest.mark.parametrize("spec", ["lifespan", "refurbished=130%", "teleportation=3", "grid=beaucoup"])
def test_bad_scenario_specs_say_what_is_expected(spec):
    with pytest.raises(GreenitError):
        parse_lever(spec)


def test_scenario_cli_on_the_sample_town(run_cli):
    code, out, err = run_cli(
        "scenario",
        SAMPLE_INVENTORY,
        "--year",
        "2025",
        "-s",
        "lifespan+2",
        "-s",
        "reuse=50%",
        "--ai",
        SAMPLE_AI_LOG,
        "-s",
        "pue=1.1",
        "--json",
    )
    assert code == 0, err
    result = json.loads(out)
    names = [s["scenario"] for s in result["scenarios"]]
    assert names == [
        "Situation actuelle",
        "Durée de vie +2 ans",
        "Réemploi de 50\u202f% du matériel réformé",
        "PUE 1,1 pour l'IA",
    ]
    assert all(s["change_kgco2e"] < 0 for s in result["scenarios"][1:])
    code, out, _ = run_cli("scenario", SAMPLE_INVENTORY, "--year", "2025", "-s", "lifespan+2")
    assert "Durée de vie +2" in out


@pytest.mark.parametrize("spec", ["reuse=50", "reuse=150%", "reuse=-10%", "refurbished=30"])
def test_a_share_out_of_0_100_percent_is_refused_not_clamped(spec):
    from greenit.errors import GreenitError

    with pytest.raises(GreenitError) as error:
        parse_lever(spec)
    assert "entre 0 et 100" in error.value.render("fr")


def test_reuse_written_as_a_percentage_or_a_share_is_the_same_lever():
    assert parse_lever("reuse=50%").value == parse_lever("reuse=0,5").value == 0.5


def test_each_lever_says_what_it_acts_on_and_grid_leaves_ai_runs_at_their_place_s_factor(tmp_path, run_cli):
    log = write(tmp_path / "ai.csv", "run_id;duration;accelerator;utilisation;location\nr;10 h;L4;1;FRA\n")
    code, out, err = run_cli(
        *("scenario", SAMPLE_INVENTORY, "--year", "2025", "--ai", log, "--json"),
        *("-s", "grid=0 g/kWh", "-s", "pue=1.0", "-s", "lifespan+1"),
    )
    assert code == 0, err
    steps = json.loads(out)["scenarios"]
    assert [(s["lever"], s["scope"]) for s in steps] == [
        (None, None),
        ("grid=0 g/kWh", "inventory"),
        ("pue=1.0", "ai_runs"),
        ("lifespan+1", "inventory"),
    ]
    assert steps[1]["scenario"] == "Électricité des équipements à 0 gCO2e/kWh"
    # an electricity without carbon: the equipment's use is gone, the AI run keeps France's factor
    assert steps[1]["ai_kgco2e"] == steps[0]["ai_kgco2e"] > 0
    assert steps[1]["inventory_kgco2e"] < steps[0]["inventory_kgco2e"]
    assert steps[2]["inventory_kgco2e"] == steps[0]["inventory_kgco2e"]


def test_scenario_says_which_file_could_not_be_read_and_exits_2(tmp_path, run_cli):
    code, out, err = run_cli(
        "scenario", SAMPLE_INVENTORY, tmp_path / "absent.csv", "--year", "2025", "-s", "reuse=50%"
    )
    assert code == 2
    assert "absent.csv" in err and "Réemploi" in out  # the other file's levers are still shown
