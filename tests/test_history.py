"""greenit history: three years of the sample town recorded, listed, compared and held to a target.

Every figure is checked against an estimate made apart (``greenit.estimate_files`` on the same
file, the trajectory formula written out here), never against the history's own output.
"""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT, write

TOWN = ROOT / "examples" / "ville-exemple"
YEARS = {
    2023: TOWN / "inventaire_glpi_2023.csv",
    2024: TOWN / "inventaire_glpi_2024.csv",
    2025: TOWN / "inventaire_glpi.csv",
}
ENTRY_KEYS = [
    "organisation",
    "year",
    "total_kgco2e",
    "total_low_kgco2e",
    "total_high_kgco2e",
    "factors_version",
    "target_kgco2e",
]


def plain(text: str) -> str:
    """Console text with its non-breaking spaces and line wraps as plain spaces."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.fixture
def cli(run_cli):
    """``run_cli`` with its outputs in plain spaces."""

    def run(*args):
        code, out, err = run_cli(*args)
        return code, plain(out), plain(err)

    return run


#: ``fresh`` estimates already made in this process, by year, options and packaged factor set.
_FRESH: dict[tuple, tuple] = {}


def fresh(year: int, **options):
    """The year estimated apart from the history: greenit estimate on the same file.

    Made once per process for the same year, options and packaged factor tables (tables a test
    swaps in load as another factor set, hence another key): the files are read-only and an
    estimate's summary, once computed, is only read. A dozen tests compare against the same
    three years: 0.6 s of CPU each time.
    """
    import greenit

    packaged = greenit.load_factors()
    key = (year, tuple(sorted(options.items())), id(packaged))
    if key not in _FRESH:  # the factor set is kept beside it: its id cannot be reused
        _FRESH[key] = (packaged, greenit.estimate_files([YEARS[year]], year=year, **options))
    return _FRESH[key][1]


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    """A history of the sample town's three years, recorded with the CLI (kept read-only here)."""
    from typer.testing import CliRunner

    from greenit.cli import app

    db = tmp_path_factory.mktemp("historique") / "greenit-historique.sqlite"
    for year, path in YEARS.items():
        result = CliRunner().invoke(app, ["history", "add", str(path), "--year", str(year), "--db", str(db)])
        assert result.exit_code == 0, result.output
        assert f"Année {year} enregistrée" in result.stdout
        assert f"Historique : {db}" in result.stdout  # every output names the file
    return db


@pytest.fixture
def copy(town, tmp_path):
    """A copy of the town's history that a test may write to."""
    target = tmp_path / "greenit-historique.sqlite"
    shutil.copy(town, target)
    return target


def test_three_yearly_inventories_go_in_with_the_totals_a_fresh_estimate_gives(town, cli):
    code, out, err = cli("history", "list", "--json", "--db", town)
    assert code == 0, err
    listed = json.loads(out)
    assert listed["history_file"] == str(town)
    assert [e["year"] for e in listed["entries"]] == [2023, 2024, 2025]
    for entry in listed["entries"]:
        assert list(entry)[: len(ENTRY_KEYS)] == ENTRY_KEYS  # DESIGN.md, Wave 3 contracts
        totals = fresh(entry["year"]).result()["totals"]
        for key in ("total_kgco2e", "total_low_kgco2e", "total_high_kgco2e"):
            assert entry[key] == pytest.approx(totals[key], rel=1e-8)
        assert entry["organisation"] is None and entry["target_kgco2e"] is None
    # the sample town's three years, as the README quotes them
    assert [round(e["total_kgco2e"] / 1000, 1) for e in listed["entries"]] == [54.5, 53.5, 50.8]


def test_a_recorded_year_keeps_its_inputs_sha256_and_its_rows(town):
    import hashlib

    import greenit

    shown = greenit.History(town).show(2024)
    assert shown["inputs"] == [
        {
            "kind": "inventory",
            "name": str(YEARS[2024]),
            "sha256": hashlib.sha256(YEARS[2024].read_bytes()).hexdigest(),
            "size": YEARS[2024].stat().st_size,
        }
    ]
    assert shown["rows_kept"] == {"inventory": fresh(2024).result()["rows_in"]}
    assert shown["result"]["inventory"]["by_category"] == json.loads(
        json.dumps(greenit.footprint_result(fresh(2024), levers=()).to_json("fr")["inventory"]["by_category"])
    )


def test_a_year_already_recorded_is_refused_unless_replace(copy, cli):
    before = copy.read_bytes()
    code, _, err = cli("history", "add", YEARS[2025], "--year", "2025", "--db", copy)
    assert code == 2
    assert "l'année 2025 est déjà enregistrée" in err and "--replace" in err
    assert copy.read_bytes() == before
    code, out, err = cli("history", "add", YEARS[2024], "--year", "2025", "--replace", "--db", copy, "--json")
    assert code == 0, err
    replaced = json.loads(out)
    assert replaced["total_kgco2e"] == pytest.approx(fresh_at(2024, 2025), rel=1e-8)  # the 2024 file, as 2025


def fresh_at(file_year: int, year: int) -> float:
    import greenit

    return greenit.estimate_files([YEARS[file_year]], year=year).result()["totals"]["total_kgco2e"]


def test_a_year_before_every_purchase_of_the_inventory_is_refused(tmp_path, cli):
    db = tmp_path / "h.sqlite"
    code, _, err = cli("history", "add", YEARS[2023], "--year", "2010", "--db", db)
    assert code == 2
    assert "tous les équipements datés de l'inventaire ont été achetés après 2010" in err
    assert "premier achat en 2013" in err
    assert not db.exists()  # nothing written, not even an empty file


def test_list_show_and_remove_say_the_file_and_missing_years_are_clear(copy, cli):
    code, out, _ = cli("history", "show", "2024", "--db", copy)
    assert code == 0 and "2024 : 53,5 tCO2e par an" in out and "sha256:" in out
    code, _, err = cli("history", "show", "2019", "--db", copy)
    assert code == 2 and "l'année 2019 n'est pas enregistrée" in err and "2023, 2024, 2025" in err
    code, out, _ = cli("history", "remove", "2024", "--db", copy)
    assert code == 0 and "Année 2024 retirée" in out and f"Historique : {copy}" in out
    code, out, _ = cli("history", "list", "--json", "--db", copy)
    assert [e["year"] for e in json.loads(out)["entries"]] == [2023, 2025]


def test_the_default_history_is_in_the_current_folder(tmp_path, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("history", "list")
    assert code == 2 and "« greenit-historique.sqlite » : aucun fichier" in err
    assert not (tmp_path / "greenit-historique.sqlite").exists()  # a reading command creates nothing
    code, out, _ = cli("history", "add", YEARS[2023], "--year", "2023")
    assert code == 0 and "Historique : greenit-historique.sqlite" in out
    assert (tmp_path / "greenit-historique.sqlite").exists()


def test_compare_gives_the_contract_and_drivers_that_add_up_to_the_change(town, cli):
    code, out, err = cli("history", "compare", "2024", "2025", "--json", "--db", town)
    assert code == 0, err
    compared = json.loads(out)
    a, b = fresh(2024).result()["totals"], fresh(2025).result()["totals"]
    assert compared["from"]["year"] == 2024 and compared["to"]["year"] == 2025
    assert compared["from"]["total_kgco2e"] == pytest.approx(a["total_kgco2e"], rel=1e-8)
    assert compared["to"]["total_kgco2e"] == pytest.approx(b["total_kgco2e"], rel=1e-8)
    assert compared["change_kgco2e"] == pytest.approx(b["total_kgco2e"] - a["total_kgco2e"], rel=1e-8)
    assert compared["restated"] is False
    assert sum(d["total_kgco2e"] for d in compared["drivers"]) == pytest.approx(
        compared["change_kgco2e"], abs=1e-3
    )
    for phase in compared["by_phase"]:
        drivers = sum(d[f"{phase['phase']}_kgco2e"] for d in compared["drivers"])
        assert drivers == pytest.approx(phase["change_kgco2e"], abs=1e-3)
    assert sum(c["change_kgco2e"] for c in compared["by_category"]) == pytest.approx(
        compared["change_kgco2e"], abs=1e-3
    )
    change = (b["total_kgco2e"] - a["total_kgco2e"]) / 1000  # −2.61 tCO2e, written with 3 digits
    expected = (
        f"De 2024 à 2025, l'empreinte carbone du numérique de la collectivité a baissé de {-change:.3g}"
    )
    assert compared["sentence"].startswith(expected.replace(".", ","))


def test_time_alone_is_the_last_years_fleet_estimated_a_year_later(town):
    import greenit

    compared = greenit.History(town).compare(2024, 2025)
    drivers = {d["driver"]: d for d in compared["drivers"]}
    aged = fresh_at(2024, 2025) - fresh_at(2024, 2024)  # the 2024 file estimated for 2025, apart
    assert drivers["past_lifespan"]["total_kgco2e"] == pytest.approx(aged, rel=1e-6)
    assert drivers["past_lifespan"]["total_kgco2e"] < -3000  # amortisations ended: −3.66 tCO2e
    assert drivers["grid_factor"]["total_kgco2e"] == 0 and drivers["factors"]["total_kgco2e"] == 0
    # more or fewer devices, per category: the change of devices at 2024's footprint per device in 2025
    aged_groups = {
        g["category"]: g for g in greenit.estimate_files([YEARS[2024]], year=2025).result()["by_category"]
    }
    after = {g["category"]: g for g in fresh(2025).result()["by_category"]}
    laptop = next(c for c in compared["by_category"] if c["category"] == "laptop")
    per_device = aged_groups["laptop"]["total_kgco2e"] / aged_groups["laptop"]["quantity"]
    expected = (after["laptop"]["quantity"] - aged_groups["laptop"]["quantity"]) * per_device
    assert laptop["more_or_fewer_devices_kgco2e"] == pytest.approx(expected, rel=1e-6)


def test_a_grid_factor_change_is_the_last_years_electricity_times_the_difference(tmp_path):
    import greenit

    history = greenit.History(tmp_path / "h.sqlite")
    history.add(YEARS[2024], year=2024, grid_factor_kg_per_kwh=0.060)
    history.add(YEARS[2025], year=2025)
    drivers = {d["driver"]: d for d in history.compare(2024, 2025)["drivers"]}
    use_kwh = fresh(2024, grid_factor_kg_per_kwh=0.060).result()["totals"]["use_kwh"]
    grid = greenit.load_factors().grid_factor("FRA")
    assert drivers["grid_factor"]["total_kgco2e"] == pytest.approx(use_kwh * (grid - 0.060), rel=1e-6)
    assert drivers["grid_factor"]["use_kgco2e"] == pytest.approx(drivers["grid_factor"]["total_kgco2e"])
    assert drivers["grid_factor"]["manufacture_kgco2e"] == 0


def test_a_target_is_a_straight_line_from_the_restated_baseline(copy, cli):
    code, out, err = cli(
        "history",
        "target",
        "--baseline",
        "2023",
        "--reduction",
        "30%",
        "--by",
        "2030",
        "--json",
        "--db",
        copy,
    )
    assert code == 0, err
    section = json.loads(out)
    baseline = fresh(2023).result()["totals"]["total_kgco2e"]
    target = section["target"]
    assert (target["baseline_year"], target["reduction"], target["target_year"]) == (2023, 0.3, 2030)
    assert target["baseline_kgco2e"] == pytest.approx(baseline, rel=1e-8)
    for point in section["years"]:
        expected = baseline * (1 - 0.3 * (point["year"] - 2023) / 7)
        assert point["target_kgco2e"] == pytest.approx(expected, rel=1e-8)
        assert point["gap_kgco2e"] == pytest.approx(point["total_kgco2e"] - expected, rel=1e-6)
    assert target["target_kgco2e"] == pytest.approx(0.7 * baseline, rel=1e-8)
    last = section["years"][-1]
    assert (last["reuse_rate"], last["reuse_target"]) == (pytest.approx(20 / 132), 0.5)  # décret 2023-266
    # the target is stored: list gives each year's value, target without options gives it back
    code, out, _ = cli("history", "list", "--json", "--db", copy)
    assert [e["target_kgco2e"] for e in json.loads(out)["entries"]] == [
        p["target_kgco2e"] for p in section["years"]
    ]
    code, out, _ = cli("history", "target", "--db", copy)
    assert code == 0 and "Objectif : −30 % d'ici 2030 par rapport à 2023" in out
    gap = (last["total_kgco2e"] - baseline * (1 - 0.3 * 2 / 7)) / 1000  # 2025: 0.248 t above the line
    assert f"l'empreinte le dépasse de {gap:.3g} tCO2e".replace(".", ",") in out


@pytest.mark.parametrize(
    ("spelling", "share"),
    [
        ("30%", 0.3),
        ("30 %", 0.3),
        ("12,5 %", 0.125),
        ("12.5%", 0.125),
        ("0,3", 0.3),
        ("100%", 1.0),
        ("30\u202f%", 0.3),
    ],
)
def test_reductions_are_read_as_people_write_them(spelling, share):
    from greenit.history.targets import parse_reduction

    assert parse_reduction(spelling) == pytest.approx(share)


@pytest.mark.parametrize("spelling", ["30", "-5%", "0%", "150 %", "trente", "", "nan%"])
def test_a_reduction_that_is_no_share_is_one_clear_error(spelling, copy, cli):
    code, _, err = cli(
        "history", "target", "--baseline", "2023", "--reduction", spelling, "--by", "2030", "--db", copy
    )
    assert code == 2 and "--reduction" in err and "entre 0 et 100 %" in err


def test_a_target_needs_its_three_options_and_a_later_year(copy, cli):
    code, _, err = cli("history", "target", "--baseline", "2023", "--db", copy)
    assert code == 2 and "--baseline, --reduction et --by ensemble" in err
    code, _, err = cli(
        "history", "target", "--baseline", "2023", "--reduction", "30%", "--by", "2023", "--db", copy
    )
    assert code == 2 and "doit venir après l'année de référence 2023" in err
    code, _, err = cli(
        "history", "target", "--baseline", "2019", "--reduction", "30%", "--by", "2030", "--db", copy
    )
    assert code == 2 and "l'année 2019 n'est pas enregistrée" in err


def test_member_towns_are_kept_apart_and_compared_together(tmp_path, cli):
    db = tmp_path / "interco.sqlite"
    for town_name, files in (("Belleval", (2024, 2025)), ("Montclair", (2024, 2025))):
        for year in files:
            code, _, err = cli(
                "history", "add", YEARS[year], "--year", year, "--organisation", town_name, "--db", db
            )
            assert code == 0, err
    code, out, _ = cli("history", "list", "--json", "--db", db)
    entries = json.loads(out)["entries"]
    assert [(e["organisation"], e["year"]) for e in entries] == [
        ("Belleval", 2024),
        ("Montclair", 2024),
        ("Belleval", 2025),
        ("Montclair", 2025),
    ]
    code, out, _ = cli("history", "compare", "2024", "2025", "--json", "--db", db)
    together = json.loads(out)
    code, out, _ = cli(
        "history", "compare", "2024", "2025", "--json", "--organisation", "Belleval", "--db", db
    )
    one = json.loads(out)
    assert together["from"]["total_kgco2e"] == pytest.approx(2 * one["from"]["total_kgco2e"])
    assert together["change_kgco2e"] == pytest.approx(2 * one["change_kgco2e"])
    assert together["organisations"] == ["Belleval", "Montclair"]
    code, _, err = cli("history", "show", "2024", "--db", db)
    assert code == 2 and "plusieurs organisations (Belleval, Montclair)" in err
    code, _, err = cli("history", "compare", "2024", "2025", "--organisation", "Nulle-part", "--db", db)
    assert code == 2 and "« Nulle-part » : aucune année enregistrée" in err


def test_a_users_factor_table_is_laid_again_over_todays_when_restating(tmp_path):
    import greenit

    overlay = write(
        tmp_path / "electricity.csv",
        "country,carbon_intensity [g/kWh],source_id\nFRA,80,ademe_electricity_2025\n",
    )
    history = greenit.History(tmp_path / "h.sqlite")
    history.add(YEARS[2024], year=2024, factors=overlay)
    restated = history.restate(2024)
    expected = fresh(2024, factors=overlay).result()
    assert restated["inventory"]["totals"] == expected["totals"]
    assert restated["factors_version"].endswith("+electricity.csv")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_history_outputs_speak_one_language(lang, copy, cli):
    from test_i18n import fragments

    code, _, _ = cli(
        "history", "target", "--baseline", "2023", "--reduction", "30%", "--by", "2030", "--db", copy
    )
    outputs = []
    for command in (["list"], ["show", "2024"], ["compare", "2023", "2025", "--restate"], ["target"]):
        code, out, err = cli("history", *command, "--lang", lang, "--db", copy)
        assert code == 0, err
        outputs.append(out)
    text = " ".join(outputs)
    other = "en" if lang == "fr" else "fr"
    assert [f for f in fragments(other) if f in text] == []
    if lang == "en":
        assert (
            "From 2023 to 2025, the carbon footprint of the organisation's digital services fell by" in text
        )
        assert "(2023 is restated with today's factors.)" in text
        for french in ("Historique", "à méthode constante", "Fabrication", "Écart"):
            assert french not in text
    code, _, err = cli("history", "show", "1999", "--lang", lang, "--db", copy)
    assert code == 2
    assert ("the year 1999 is not recorded" if lang == "en" else "l'année 1999 n'est pas enregistrée") in err


def test_rows_recorded_before_a_column_joined_the_contract_are_read_as_not_giving_it(tmp_path):
    """A later greenit adds columns to the normalised stage (a price, a PUE…): a year recorded
    before reads as a file without them, and restates as such.
    """
    import sqlite3
    from contextlib import closing

    import greenit
    from greenit.history.frames import frame_from_parquet, frame_to_parquet

    inventory = write(
        tmp_path / "parc.csv",
        "Type;Date d'achat;Quantité\nPortable;15-03-2022;12\nÉcran;02-09-2019;30\nSmartphone;01-06-2024;8\n",
    )
    db = tmp_path / "h.sqlite"
    greenit.History(db).add(inventory, year=2024)
    with closing(sqlite3.connect(db)) as connection, connection:
        (year_id, data) = connection.execute("SELECT year_id, data FROM frames").fetchone()
        older = frame_from_parquet(data).drop(columns=["retirement_date", "refurbished_share"])
        connection.execute("UPDATE frames SET data = ? WHERE year_id = ?", (frame_to_parquet(older), year_id))
    restated = greenit.History(db).restate(2024)
    expected = greenit.estimate_files([inventory], year=2024).result()["totals"]
    assert restated["inventory"]["totals"] == expected  # the file says neither: 0 refurbished, no retirement
    assert expected["total_kgco2e"] > 0


REAL = ROOT / "tests" / "fixtures" / "real"


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("glpi10_allassets_fr.csv", {}),
        ("glpi10_computers_fr.csv", {}),
        ("glpi10_monitors_fr.csv", {"default_category": "monitor"}),
        ("glpi11_phones_fr.csv", {}),
        ("glpi95_printers_fr.csv", {}),
        ("g4it_physical_equipment.csv", {}),
        ("numecoeval_physical_equipment.csv", {}),
        ("inventaire_tableur_mairie.xlsx", {}),
    ],
)
def test_the_rows_kept_estimate_again_exactly_for_every_real_export(name, options):
    """The normalised rows of each real format survive Parquet: reasons, notes, dates, categories."""
    import numpy as np

    import greenit
    from greenit.history.frames import frame_from_parquet, frame_to_parquet
    from greenit.inventory.estimate import estimate_inventory

    estimate = greenit.estimate_files([REAL / name], year=2025, **options)
    back = frame_from_parquet(frame_to_parquet(estimate.normalised))
    again = estimate_inventory(back, estimate.factors, year=2025)
    for column in estimate.rows.columns:
        if estimate.rows[column].dtype.kind == "f":
            assert np.array_equal(estimate.rows[column], again[column], equal_nan=True), column
    for column in ("reason", "notes"):
        for lang in ("fr", "en"):
            assert [None if pd_na(v) else v.render(lang) for v in estimate.rows[column]] == [
                None if pd_na(v) else v.render(lang) for v in again[column]
            ]


def pd_na(value) -> bool:
    import pandas as pd

    return value is None or (not hasattr(value, "render") and pd.isna(value))
