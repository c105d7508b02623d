"""A yearly column whose header gives the amount alone (« Consommation annuelle (kWh) »): the
amount is per year, as people write it (newcomer finding: the README's own --column example
flagged every row).
"""

import pytest

from conftest import write


@pytest.mark.parametrize(
    ("header", "cell", "kwh"),
    [
        ("Consommation annuelle (kWh)", "40", 40.0),
        ("Consommation annuelle (MWh)", "0,04", 40.0),
        ("Consommation annuelle", "40 kWh", 40.0),
        ("Consommation (kWh/an)", "40", 40.0),
    ],
)
def test_a_yearly_energy_given_without_per_year_is_read_per_year(tmp_path, estimate_json, header, cell, kwh):
    path = write(tmp_path / "parc.csv", f"Type;{header}\nportable;{cell}\n")
    result = estimate_json(path, "--year", "2025")
    assert result["rows_estimated"] == 1 and result["totals"]["use_kwh"] == pytest.approx(kwh)


def test_the_readmes_column_example_reads_its_rows(tmp_path, estimate_json):
    path = write(tmp_path / "parc.csv", "Désignation;Conso (kWh)\nportable;40\nportable;\n")
    result = estimate_json(
        path, "--year", "2025", "--column", "Conso (kWh)=annual_kwh", "--column", "Désignation=category"
    )
    assert result["rows_estimated"] == 2 and result["rows_flagged"] == 0
    assert result["columns"]["used"]["Conso (kWh)"] == "annual_kwh"


def test_an_amount_of_the_wrong_kind_is_still_flagged(tmp_path, estimate_json):
    path = write(tmp_path / "parc.csv", "Type;Consommation annuelle (kg)\nportable;40\nportable;\n")
    result = estimate_json(path, "--year", "2025")
    assert result["rows_flagged"] == 1


def test_devices_bought_after_the_reference_year_are_said_next_to_the_total(tmp_path, run_cli):
    import json

    rows = "portable;2020-05-01\nportable;2024-03-01\nécran;2024-06-01\n"
    path = write(tmp_path / "parc.csv", "Type;Date d'achat\n" + rows)
    code, out, _ = run_cli("estimate", path, "--year", "2022")
    assert code == 0
    assert "2 équipements achetés après 2022 : ils ne comptent pas en 2022." in " ".join(out.split())
    code, out, _ = run_cli("estimate", path, "--year", "2022", "--json")
    result = json.loads(out)
    assert result["purchased_after_year"] == 2 and result["rows_estimated"] == 3
    code, out, _ = run_cli("estimate", path, "--year", "2025")
    assert "achetés après" not in out  # (services bought are another sentence)


def test_a_header_only_file_says_so_and_prints_no_table_of_zeros(tmp_path, run_cli):
    path = write(tmp_path / "vide.csv", "Type;Quantité\n")
    code, out, err = run_cli("estimate", path)
    assert code == 2 and "le fichier ne contient que l'en-tête" in err
    assert "Empreinte carbone annuelle" not in out


def test_nothing_estimated_shows_the_reasons_not_a_table_of_zeros(tmp_path, run_main):
    path = write(tmp_path / "parc.csv", "Type;Quantité\ncafetière;1\n")
    done = run_main("estimate", path)  # the console entry point's main(), its stdout and stderr
    assert done.returncode == 2 and "1 ligne signalée" in done.stdout
    assert "Empreinte carbone annuelle" not in done.stdout
    assert "aucune ligne n'a pu être estimée" in done.stderr


def test_an_imposed_grid_factor_and_the_files_written_are_said(tmp_path, run_cli):
    path = write(tmp_path / "parc.csv", "Type;Quantité\nportable;2\n")
    rows = tmp_path / "lignes.csv"
    code, out, err = run_cli("estimate", path, "--grid-factor", "52 g/kWh", "--rows-out", rows)
    flat = " ".join(out.split())
    assert code == 0, err
    assert "Facteur d'électricité imposé par --grid-factor pour toutes les lignes : 52 gCO2e/kWh" in flat
    assert f"Écrit : {rows}" in flat and rows.exists()


def test_a_small_lever_effect_reads_in_kilograms_in_a_tonnes_report():
    from greenit.reporting.text import Words

    w = Words.for_total("fr", 35_000.0)
    assert w.mass_change(-3.74) == "\u22123,74\u00a0kgCO2e"
    assert w.mass_change(-7_840.0) == "\u22127,84\u00a0tCO2e"
    assert Words.for_total("en", 5_000.0).mass_change(-3.74) == "\u22123.74\u00a0kgCO2e"


def test_a_small_ai_run_reads_in_wh_and_grams_on_the_console(tmp_path, run_cli):
    log = "run_id;project;phase;duration;energy_kwh\nr1;demo;inference;2 s;0.000123\n"
    path = write(tmp_path / "runs.csv", log)
    code, out, err = run_cli("ai", "estimate", path, "--grid-factor", "50 g/kWh")
    assert code == 0, err
    assert "Wh" in out and "Total (gCO2e)" in out and "kgCO2e" not in out.split("exécution")[0]
    assert "0,123" in out  # 0.000123 kWh = 0,123 Wh
