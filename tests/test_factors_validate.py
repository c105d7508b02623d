"""`greenit factors validate` (and every load) refuses tables a reviewer would refuse.

Each case is a user's overlay as they would write it; validation must fail with exit 2 and a
clear French message, never a traceback, and estimating with the table must refuse it too.
"""

import pytest

from conftest import FACTORS_VERSION, write

DEVICE_HEADER = (
    "category,label_fr,label_en,manufacture [kgCO2e],manufacture_low [kgCO2e],"
    "manufacture_high [kgCO2e],lifespan [year],annual_energy [kWh/year],annual_energy_low [kWh/year],"
    "annual_energy_high [kWh/year],use_hours [hour/year],end_of_life [kgCO2e],manufacture_source,"
    "lifespan_source,energy_source,end_of_life_source,use_hours_source,range_sources,notes\n"
)
GOOD_LAPTOP = (
    "laptop,Portable,Laptop,200,150,250,5,50,40,60,2628,3,"
    "ecodiag,ecodiag,ecodiag,ecodiag,use_hours_convention,,\n"
)
PARAMETER_HEADER = "name,value,low,high,unit,source_id,range_sources,notes\n"


def validate(run_cli, path):
    return run_cli("factors", "validate", path)


def test_packaged_tables_are_valid(run_cli):
    code, out, _ = run_cli("factors", "validate")
    assert code == 0, out
    assert out.startswith(f"✓ tables de facteurs valides : version {FACTORS_VERSION}")


def test_a_good_overlay_is_valid(tmp_path, run_cli):
    code, out, _ = validate(run_cli, write(tmp_path / "devices.csv", DEVICE_HEADER + GOOD_LAPTOP))
    assert code == 0, out


def test_missing_source_id_fails(tmp_path, run_cli):
    row = GOOD_LAPTOP.replace(",ecodiag,ecodiag,ecodiag,ecodiag,", ",nulle_part,ecodiag,ecodiag,ecodiag,")
    table = write(tmp_path / "devices.csv", DEVICE_HEADER + row)
    code, out, _ = validate(run_cli, table)
    assert code == 2
    assert "devices « laptop » : la source « nulle_part » n'est pas dans sources.csv" in out


def test_a_source_pointing_to_a_bare_home_page_fails(tmp_path, run_cli):
    folder = tmp_path / "mine"
    folder.mkdir()
    write(
        folder / "sources.csv",
        "source_id,publisher,title,year,url,licence,notes\n"
        "maison,Mairie,Notre mesure,2025,https://www.example.fr/,interne,\n",
    )
    row = GOOD_LAPTOP.replace(",ecodiag,ecodiag,ecodiag,", ",maison,ecodiag,ecodiag,")
    write(folder / "devices.csv", DEVICE_HEADER + row)
    code, out, _ = validate(run_cli, folder)
    assert code == 2
    assert "source « maison » : https://www.example.fr/ est la page d'accueil d'un site" in out


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (GOOD_LAPTOP.replace("200,150,250", "200,210,250"), "manufacture_kgco2e"),  # low > central
        (GOOD_LAPTOP.replace("200,150,250", "200,150,190"), "manufacture_kgco2e"),  # central > high
        (GOOD_LAPTOP.replace("50,40,60", "50,55,60"), "annual_kwh"),
    ],
)
def test_an_inverted_range_fails(tmp_path, run_cli, row, column):
    code, out, _ = validate(run_cli, write(tmp_path / "devices.csv", DEVICE_HEADER + row))
    assert code == 2
    assert f"devices « laptop » : « {column} » : bas ≤ central ≤ haut n'est pas respecté" in out


def test_an_inverted_accelerator_power_range_fails(tmp_path, run_cli):
    table = write(
        tmp_path / "accelerators.csv",
        "accelerator,aliases,vendor,power [W],power_low [W],power_high [W],memory [GB],"
        "manufacture [kgCO2e],manufacture_low [kgCO2e],manufacture_high [kgCO2e],"
        "power_source,manufacture_source,range_sources,notes\n"
        "mine,Mine,ACME,300,350,400,16,,,,green_algorithms,,,\n",
    )
    code, out, _ = validate(run_cli, table)
    assert code == 2
    assert (
        "accelerators « mine » : « power_w » : bas ≤ central ≤ haut n'est pas respecté (350 ; 300 ; 400)"
        in out
    )


def test_a_figure_without_a_source_fails(tmp_path, run_cli):
    row = GOOD_LAPTOP.replace(",ecodiag,ecodiag,ecodiag,ecodiag,", ",ecodiag,ecodiag,,ecodiag,")
    code, out, _ = validate(run_cli, write(tmp_path / "devices.csv", DEVICE_HEADER + row))
    assert code == 2
    assert "devices « laptop » : la valeur « annual_kwh » ne cite aucune source" in out


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("treize pour cent", "« treize pour cent » n'est pas un nombre"),
        ("-0.2", "valeur négative (-0.2)"),
        ("inf", "« inf » n'est pas un nombre fini"),
        ("1e309", "« 1e309 » n'est pas un nombre fini"),
    ],
)
def test_a_refurbished_share_that_is_not_a_share_is_refused_at_load(tmp_path, run_cli, value, expected):
    table = write(
        tmp_path / "parameters.csv",
        PARAMETER_HEADER + f"refurbished_manufacture_share,{value},,,,ademe_refurbished_2022,,\n",
    )
    where = f"{table}, ligne 2 (« refurbished_manufacture_share »), colonne « value » : "
    code, out, err = validate(run_cli, table)
    assert code == 2
    assert out == f"  ✗ {where}{expected}\n" and "Traceback" not in err
    assert err == "1 problème dans les tables de facteurs\n"
    # estimating with it is refused the same way, not computed with a share of 0
    code, _, err = run_cli("estimate", write(tmp_path / "inv.csv", "Type\nPortable\n"), "--factors", table)
    assert code == 2
    assert err.splitlines()[0] == f"les tables de facteurs ne sont pas valides : {where}{expected}"


def test_a_missing_or_above_one_refurbished_share_fails(tmp_path, run_cli):
    missing = write(
        tmp_path / "parameters.csv",
        PARAMETER_HEADER + "refurbished_manufacture_share,,,,,ademe_refurbished_2022,,\n",
    )
    code, out, _ = validate(run_cli, missing)
    assert code == 2
    assert "parameters « refurbished_manufacture_share » : « value » est vide ; donnez une valeur" in out
    (tmp_path / "p2").mkdir()
    above = write(
        tmp_path / "p2" / "parameters.csv",
        PARAMETER_HEADER + "refurbished_manufacture_share,1.3,,,,ademe_refurbished_2022,,\n",
    )
    code, out, _ = validate(run_cli, above)
    assert code == 2
    assert "« value » = 1.3 sort des bornes physiques [0 ; 1]" in out


def test_a_negative_or_impossible_pue_fails(tmp_path, run_cli):
    header = "provider,pue,low,high,source_id,range_sources,notes\n"
    negative = write(tmp_path / "pue.csv", header + "aws,-1.2,,,aws_pue_2024,,\n")
    code, out, _ = validate(run_cli, negative)
    assert code == 2 and "colonne « pue » : valeur négative (-1.2)" in out
    (tmp_path / "b").mkdir()
    below_one = write(tmp_path / "b" / "pue.csv", header + "aws,0.8,,,aws_pue_2024,,\n")
    code, out, _ = validate(run_cli, below_one)
    assert code == 2 and "pue « aws » : « pue » = 0.8 sort des bornes physiques [1 ; 3]" in out


def test_values_outside_physical_bounds_fail(tmp_path, run_cli):
    table = write(
        tmp_path / "electricity.csv",
        "country,name,carbon_intensity [g/kWh],year,source_id,notes\n"
        "FRA,France,52000,2025,ademe_electricity_2025,\n",
    )
    code, out, _ = validate(run_cli, table)
    assert code == 2
    assert "« carbon_intensity_kg_per_kwh » = 52 sort des bornes physiques [0 ; 2]" in out
    row = GOOD_LAPTOP.replace(",5,50,", ",500,50,")
    code, out, _ = validate(run_cli, write(tmp_path / "devices.csv", DEVICE_HEADER + row))
    assert code == 2 and "« lifespan_years » = 500 sort des bornes physiques" in out


def test_empty_and_binary_factor_files_are_clear_errors(tmp_path, run_cli):
    empty = write(tmp_path / "devices.csv", "")
    code, _, err = validate(run_cli, empty)
    assert code == 2 and "la table de facteurs est vide" in err
    binary = tmp_path / "pue.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00\x08\x00" + bytes(range(256)))
    code, _, err = validate(run_cli, binary)
    assert code == 2 and "ce n'est pas une table CSV (fichier binaire)" in err


def test_the_installed_command_prints_two_lines_not_a_traceback(tmp_path, run_main):
    """Through ``main()``, the console script's function, in this process (a new interpreter
    starting it is proved once, by test_cli_estimate.test_cli_errors_exit_2_without_traceback).
    """
    binary = tmp_path / "devices.csv"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    proc = run_main("factors", "validate", binary)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "fichier binaire" in proc.stderr and len(proc.stderr.strip().splitlines()) <= 2


def test_every_packaged_source_names_an_openable_document():
    from greenit.factors import load_factors
    from greenit.factors.validate import is_bare_home_page

    sources = load_factors().sources
    for source_id, row in sources.iterrows():
        assert row["title"].strip() and row["publisher"].strip() and str(row["year"]).strip(), source_id
        assert not is_bare_home_page(row["url"]), source_id
    # AMD parts cite AMD, not NVIDIA
    accelerators = load_factors().table("accelerators")
    for key in accelerators.index[accelerators["vendor"] == "AMD"]:
        assert "nvidia" not in accelerators.at[key, "power_source"], key
