"""`greenit estimate` and `greenit factors` as an officer types them."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import (
    FACTORS_VERSION,
    FRANCE_GRID,
    LAPTOP_END_OF_LIFE,
    LAPTOP_MANUFACTURE,
    SAMPLE_INVENTORY,
    write,
)

INVENTORY = (
    "Nom;Type;Entité;Statut;Date d'achat;Quantité\n"
    "A;Portable;DRH;En service;01-01-2023;2\n"
    "B;Cafetière;DRH;En service;;1\n"
    "=cmd|' /C calc'!A0;Écran;Écoles;En stock;01-01-2022;3\n"
)


def test_json_contract(tmp_path, estimate_json):
    result = estimate_json(write(tmp_path / "inv.csv", INVENTORY), "--year", "2024", "--lang", "en")
    assert set(result) >= {
        "rows_in",
        "rows_estimated",
        "rows_flagged",
        "totals",
        "by_category",
        "flagged",
        "factors_version",
    }
    assert set(result["totals"]) >= {
        "manufacture_kgco2e",
        "use_kgco2e",
        "end_of_life_kgco2e",
        "total_kgco2e",
        "total_low_kgco2e",
        "total_high_kgco2e",
        "use_kwh",
    }
    assert (result["rows_in"], result["rows_estimated"], result["rows_flagged"]) == (3, 2, 1)
    assert result["flagged"] == [
        {
            "row": 2,
            "line": 3,
            "file": str(tmp_path / "inv.csv"),
            "name": "B",
            "reason": "category: 'Cafetière' is not a known device type",
            "reason_code": "inventory.category.unknown",  # stable, whatever the language
        }
    ]
    by_category = {g["category"]: g for g in result["by_category"]}
    assert by_category["laptop"]["quantity"] == 2
    assert by_category["laptop"]["total_kgco2e"] == pytest.approx(
        2 * (LAPTOP_MANUFACTURE / 5 + 48 * FRANCE_GRID + LAPTOP_END_OF_LIFE / 5), abs=1e-4
    )
    assert by_category["monitor"]["total_kgco2e"] == pytest.approx(3 * (65.89 + 3.95) / 6, abs=1e-4)
    assert result["factors_version"] == FACTORS_VERSION


def test_rows_out_keeps_every_row_in_input_order_and_neutralises_formulas(tmp_path, run_cli):
    out = tmp_path / "out" / "lignes.csv"
    code, _, err = run_cli(
        "estimate",
        write(tmp_path / "inv.csv", INVENTORY),
        "--year",
        "2024",
        "--rows-out",
        out,
        "--lang",
        "en",
    )
    assert code == 0, err
    with out.open(encoding="utf-8-sig") as handle:
        lines = list(csv.DictReader(handle, delimiter=";"))
    assert [line["row"] for line in lines] == ["1", "2", "3"]
    assert [line["status"] for line in lines] == ["estimated", "flagged", "estimated"]
    assert lines[1]["reason"] == "category: 'Cafetière' is not a known device type"
    assert lines[2]["name"] == "'=cmd|' /C calc'!A0"
    assert float(lines[2]["use_kwh"]) == 0.0
    assert lines[0]["defaults_used"] == "manufacture;lifespan;energy"
    for column in (
        "manufacture_kgco2e",
        "use_kwh",
        "use_kgco2e",
        "end_of_life_kgco2e",
        "total_kgco2e",
        "category",
    ):
        assert column in lines[0]
    assert not list(out.parent.glob(".*.tmp"))


def test_xlsx_out_has_totals_groups_and_rows(tmp_path, run_cli):
    out = tmp_path / "resultats.xlsx"
    code, _, _ = run_cli(
        "estimate", write(tmp_path / "inv.csv", INVENTORY), "--year", "2024", "--xlsx-out", out
    )
    assert code == 0
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == [
        "Synthèse",
        "Par catégorie",
        "Par direction",
        "Budget",
        "Lignes",
        "Au-delà du carbone",
    ]
    assert len(sheets["Lignes"]) == 3
    assert sheets["Lignes"]["Nom / n° d'inventaire"].iloc[2].startswith("'=")


def test_a_bad_file_does_not_stop_the_others(tmp_path, run_cli):
    good = write(tmp_path / "good.csv", INVENTORY)
    code, out, err = run_cli("estimate", tmp_path / "missing.csv", good, "--json", "--lang", "en")
    assert code == 2
    result = json.loads(out)
    assert result["rows_in"] == 3
    assert result["files_failed"][0]["error"].endswith("missing.csv: no such file")
    assert "missing.csv: no such file" in err


def test_grid_factor_option_takes_units(tmp_path, estimate_json):
    path = write(tmp_path / "inv.csv", "Type\nServeur\n")
    # a server uses 1,528.62 kWh a year (median TEC of 48 Dell/HPE PCFs) × the server room's
    # default PUE 1.63 (pue.csv onsite) × 0.1 kg/kWh
    expected = pytest.approx(1528.62 * 1.63 * 0.1)
    assert estimate_json(path, "--grid-factor", "100 g/kWh")["totals"]["use_kgco2e"] == expected
    assert estimate_json(path, "--grid-factor", "0,1 kg/kWh")["totals"]["use_kgco2e"] == expected
    assert estimate_json(path, "--grid-factor", "100")["totals"]["use_kgco2e"] == expected


def test_unknown_country_option_is_a_clear_error(tmp_path, run_cli):
    code, _, err = run_cli("estimate", write(tmp_path / "inv.csv", "Type\nServeur\n"), "--country", "XYZ")
    assert code == 2
    assert "aucun facteur d'électricité pour le pays « XYZ »" in err


def test_console_table_in_french_then_english(tmp_path, run_cli):
    path = write(tmp_path / "inv.csv", INVENTORY)
    code, out, _ = run_cli("estimate", path, "--year", "2024")
    assert code == 0
    assert "Ordinateur portable" in out and "Fabrication" in out
    assert "Lignes lues : 3 (estimées : 2, signalées : 1)" in out
    code, out, _ = run_cli("estimate", path, "--year", "2024", "--lang", "en")
    assert "Laptop" in out and "3 rows read: 2 estimated, 1 flagged" in out


def test_cli_errors_exit_2_without_traceback(tmp_path):
    bad = write(tmp_path / "bad.csv", "Nom;Lieu\nA;B\n")
    proc = subprocess.run(
        [sys.executable, "-m", "greenit", "estimate", str(bad)], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("greenit : erreur : ")  # French first
    assert len(proc.stderr.strip().splitlines()) <= 2


def test_help_imports_no_heavy_library():
    code = (
        "import sys; from greenit.cli import app; "
        "print(sorted(m for m in ('pandas', 'pint', 'matplotlib', 'codecarbon', 'numpy') "
        "if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "[]"


def test_estimate_imports_nothing_of_reports_ai_runs_or_levers():
    """``greenit estimate`` reads an inventory and sums it: the report's result object, the AI
    runs' summary, the levers, the charts and the HTML templates are not imported on its way.
    """
    sample = Path(__file__).resolve().parent.parent / "examples" / "ville-exemple" / "inventaire_glpi.csv"
    heavy = (
        "greenit.results.footprint",
        "greenit.results.workloads",
        "greenit.levers.compare",
        "greenit.levers.specs",
        "greenit.ai.runs",
        "greenit.reporting.charts",
        "matplotlib",
        "jinja2",
    )
    code = (
        "import sys; from greenit.cli import main; sys.argv = ['greenit', 'estimate', sys.argv[1], "
        "'--year', '2025', '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(sample)], capture_output=True, text=True)
    assert proc.stderr.strip().splitlines()[-1] == "[]"
    assert '"rows_in": 2058' in proc.stdout


def test_factors_show_and_validate(tmp_path, run_cli):
    code, out, _ = run_cli("factors", "show", "devices", "laptop")
    assert code == 0
    assert str(LAPTOP_MANUFACTURE) in out and "[ademe_arcep_2025] ADEME & Arcep (2025)" in out
    code, out, _ = run_cli("factors", "validate")
    assert code == 0 and out.startswith(f"✓ tables de facteurs valides : version {FACTORS_VERSION}")
    code, out, _ = run_cli("factors", "list")
    assert "devices" in out and "electricity" in out


def test_users_own_factor_table_overrides_a_row(tmp_path, estimate_json, run_cli):
    own = write(
        tmp_path / "devices.csv",
        (
            "category,label_fr,label_en,manufacture [tCO2e],manufacture_low [tCO2e],"
            "manufacture_high [tCO2e],lifespan [years],annual_energy [kWh/year],"
            "annual_energy_low [kWh/year],annual_energy_high [kWh/year],use_hours [hour/year],"
            "end_of_life [kgCO2e],manufacture_source,lifespan_source,energy_source,"
            "end_of_life_source,use_hours_source,range_sources,notes\n"
            "laptop,Portable,Laptop,0.2,0.1,0.3,4,50,40,60,2000,0,ecodiag,ecodiag,ecodiag,ecodiag,"
            "use_hours_convention,,ours\n"
        ),
    )
    inventory = write(tmp_path / "inv.csv", "Type\nPortable\nÉcran\n")
    result = estimate_json(inventory, "--factors", own, "--grid-factor", "0")
    assert result["by_category"][0]["category"] == "laptop"
    assert result["by_category"][0]["manufacture_kgco2e"] == pytest.approx(50.0)
    assert result["factors_version"] == f"{FACTORS_VERSION}+devices.csv"
    broken = write(tmp_path / "broken" / "devices.csv".replace("/", "_"), "x") if False else None
    (tmp_path / "broken").mkdir()
    write(
        tmp_path / "broken" / "devices.csv",
        own.read_text().replace("ecodiag,ecodiag,ecodiag", "nowhere,ecodiag,ecodiag"),
    )
    code, out, err = run_cli("factors", "validate", tmp_path / "broken")
    assert code == 2
    assert "devices « laptop » : la source « nowhere » n'est pas dans sources.csv" in out
    assert broken is None


def test_sample_town_is_estimated_with_its_three_known_defects(estimate_json):
    result = estimate_json(SAMPLE_INVENTORY, "--year", "2025")
    assert result["rows_in"] == 2058
    assert result["rows_flagged"] == 3
    assert [f["row"] for f in result["flagged"]] == [11, 26, 41]
    # 50.8 tCO2e since factors 2027.01 (interactive displays from PCFs, measured switches, the
    # server room's PUE, toner): see emission_factors/CHANGELOG.md
    assert 20_000 < result["totals"]["total_kgco2e"] < 70_000
    assert (
        result["totals"]["total_low_kgco2e"]
        < result["totals"]["total_kgco2e"]
        < (result["totals"]["total_high_kgco2e"])
    )


def test_sample_town_file_is_rebuilt_identically(tmp_path):
    sys.path.insert(0, str(SAMPLE_INVENTORY.parent.parent))
    import make_sample_town

    target = tmp_path / "inv.csv"
    make_sample_town.write_glpi_csv(make_sample_town.build_rows(), target)
    assert target.read_bytes() == SAMPLE_INVENTORY.read_bytes()
