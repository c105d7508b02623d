"""The factors commands and category names as a newcomer meets them (newcomer pass, issues 1–6).

A factor table written by hand or saved by French Excel is read or refused in one clear French
line; categories are named by their labels in the reader's language, in lever labels, flag
reasons and suggestions; ``greenit factors list/show/validate`` speak French (or ``--lang en``).
"""

import json
import re
import shutil

import pandas as pd
import pytest

from conftest import FACTORS_VERSION, ROOT, SAMPLE_INVENTORY, write
from greenit.factors import load_factors, load_factors_unvalidated

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


# ----------------------------------------------------------------------------- 1. bad cells


def test_a_text_in_a_number_column_is_one_line_naming_file_row_column_and_value(tmp_path, run_cli):
    # the newcomer's table: column names as `factors show` prints them, a text for a number
    folder = tmp_path / "mf"
    folder.mkdir()
    table = write(folder / "devices.csv", "category,manufacture_kgco2e,lifespan_years\nlaptop,abc,5\n")
    code, out, err = run_cli("factors", "validate", folder)
    assert code == 2 and "Traceback" not in err
    lines = out.splitlines()
    assert lines[0] == (
        f"  ✗ {table}, ligne 2 (« laptop »), colonne « manufacture_kgco2e » : « abc » n'est pas un nombre"
    )
    # the bad cell is said once, not again as an empty figure
    assert not any("« manufacture_kgco2e » est vide" in line for line in lines)
    assert err == f"{len(lines)} problèmes dans les tables de facteurs\n"


@pytest.mark.parametrize(
    ("cell", "said"),
    [
        ("abc", "colonne « manufacture [kgCO2e] » : « abc » n'est pas un nombre"),
        ("1e999", "colonne « manufacture [kgCO2e] » : « 1e999 » n'est pas un nombre fini"),
        ("-5", "colonne « manufacture [kgCO2e] » : valeur négative (-5)"),
        ("nan", "colonne « manufacture [kgCO2e] » : « nan » n'est pas un nombre fini"),
        ("", "devices « laptop » : « manufacture_kgco2e » est vide ; donnez une valeur"),
    ],
)
def test_every_bad_cell_is_listed_like_the_other_problems(tmp_path, run_cli, cell, said):
    row = GOOD_LAPTOP.replace("Laptop,200,", f"Laptop,{cell},")
    table = write(tmp_path / "devices.csv", DEVICE_HEADER + row)
    code, out, err = run_cli("factors", "validate", table)
    assert code == 2 and "Traceback" not in err
    where = f"{table}, ligne 2 (« laptop »), " if "colonne" in said else ""
    assert f"  ✗ {where}{said}\n" in out
    # estimating with it is refused with the same words
    inventory = write(tmp_path / "inv.csv", "Type\nPortable\n")
    code, _, err = run_cli("estimate", inventory, "--factors", table)
    assert code == 2 and f"les tables de facteurs ne sont pas valides : {where}{said}" in err


def test_a_decimal_comma_is_read_as_french_excel_writes_it(tmp_path, run_cli):
    row = GOOD_LAPTOP.replace("Laptop,200,150,250,5,", 'Laptop,"212,5",150,"1 250,5","5,5",')
    table = write(tmp_path / "devices.csv", DEVICE_HEADER + row)
    code, out, _ = run_cli("factors", "validate", table)
    assert code == 0, out
    laptop = load_factors(table).devices.loc["laptop"]
    assert laptop["manufacture_kgco2e"] == 212.5
    assert laptop["manufacture_high_kgco2e"] == 1250.5
    assert laptop["lifespan_years"] == 5.5


# ----------------------------------------------------------------------------- 2. French Excel


def test_a_table_saved_by_french_excel_is_read(tmp_path, run_cli):
    # « CSV (séparateur : point-virgule) »: semicolons, decimal commas, Windows-1252, CRLF,
    # spaces around cells
    text = DEVICE_HEADER.replace(",", ";") + (
        " laptop ;Ordinateur portable;Laptop; 182,3;170;260;5;48;29,0175;197,1;2628;2,79;"
        "ademe_arcep_2025;ademe_arcep_2025;ecodiag;ademe_arcep_2025;use_hours_convention;;"
        "notre révision\n" + ";" * 18 + "\n"  # Excel keeps rows of bare separators below
    )
    table = tmp_path / "devices.csv"
    table.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    code, out, _ = run_cli("factors", "validate", table)
    assert code == 0, out
    laptop = load_factors(table).devices.loc["laptop"]
    assert (laptop["manufacture_kgco2e"], laptop["annual_low_kwh"], laptop["notes"]) == (
        182.3,
        29.0175,
        "notre révision",
    )


def test_a_table_without_its_key_column_says_the_separator_it_was_read_with(tmp_path, run_cli):
    table = write(tmp_path / "devices.csv", "catégorie;fabrication [kgCO2e]\nlaptop;182,3\n")
    code, _, err = run_cli("factors", "validate", table)
    assert code == 2
    assert err.splitlines() == [
        f"{table} : pas de colonne « category » (lu avec le séparateur « ; », "
        "colonnes : catégorie, fabrication [kgCO2e])",
        "  → la table devices a pour clé la colonne « category » ; sa première ligne nomme les colonnes, "
        "séparées par « ; », « , » ou une tabulation",
    ]


# ----------------------------------------------------------------------------- 3. labels


def test_lever_labels_name_categories_by_their_labels_in_the_output_language(run_cli):
    def labels(*args):
        code, out, err = run_cli("scenario", SAMPLE_INVENTORY, "--year", "2025", *args, "--json")
        assert code == 0, err
        return [s["scenario"] for s in json.loads(out)["scenarios"][1:]]

    levers = ("-s", "lifespan+1:portables,unités centrales", "-s", "lifespan+1:écrans")
    assert labels(*levers) == [
        "Durée de vie +1 an (Ordinateur portable, Unité centrale)",
        "Durée de vie +1 an (Écran)",
    ]
    assert labels(*levers, "--lang", "en") == [
        "Lifespan +1 year (Laptop, Desktop)",
        "Lifespan +1 year (Monitor)",
    ]


def test_family_reasons_name_the_categories_in_the_reader_s_language(tmp_path):
    from greenit.api import estimate_files

    inventory = write(
        tmp_path / "global.csv",
        "Type d'élément;Nom;Type;Modèle\nOrdinateur;C2;;Inconnu X\nMatériel réseau;S1;;\nPériphérique;P1;;\n",
    )
    reasons = estimate_files([inventory], year=2025).rows["reason"].tolist()
    end = " ; renseignez le Type ou donnez --default-category"
    assert [r.render("fr") for r in reasons] == [
        "catégorie : « Ordinateur » est une famille, pas un type d'équipement "
        "(Unité centrale, Ordinateur portable…)" + end,
        "catégorie : « Matériel réseau » est une famille, pas un type d'équipement "
        "(Commutateur réseau, Borne Wi-Fi, Routeur…)" + end,
        "catégorie : « Périphérique » est une famille, pas un type d'équipement "
        "(Clavier, Souris, Webcam ou casque audio…)" + end,
    ]
    assert "(Network switch, Wi-Fi access point, Router…)" in reasons[1].render("en")


def test_an_unknown_type_is_flagged_with_the_closest_categories_by_their_labels(tmp_path):
    from greenit.api import estimate_files

    inventory = write(tmp_path / "inv.csv", "Type\nEcrann\n")
    reason = estimate_files([inventory], year=2025).rows["reason"].iloc[0]
    assert (
        reason.render("fr")
        == "catégorie : « Ecrann » n'est pas un type d'équipement connu (les plus proches : Écran)"
    )
    assert reason.render("en") == "category: 'Ecrann' is not a known device type (closest: Monitor)"


# ----------------------------------------------------------------------------- 4. suggestions


def test_a_typo_in_a_lever_category_suggests_french_names_and_lists_french_labels(run_cli):
    code, _, err = run_cli("scenario", SAMPLE_INVENTORY, "-s", "lifespan+2:portbles")
    assert code == 2
    error, hint = err.splitlines()
    assert error == (
        "--scenario lifespan+2:portbles : « portbles » n'est pas une catégorie connue "
        "(les plus proches : portables)"
    )
    assert hint == "  → catégories (en français ou en anglais, au singulier ou au pluriel) : " + ", ".join(
        load_factors().devices["label_fr"]
    )
    assert hint.startswith(
        "  → catégories (en français ou en anglais, au singulier ou au pluriel) : Ordinateur portable, "
    )
    # what it suggests is accepted
    code, _, err = run_cli("scenario", SAMPLE_INVENTORY, "-s", "lifespan+2:portables", "--json")
    assert code == 0, err


@pytest.mark.parametrize(
    ("typed", "french", "english"),
    [
        ("ecrns", "Écrans", "Monitors"),
        ("laptp", "laptop", "Laptop"),
        ("Ordinateur portble", "Ordinateur portable", "Laptop"),
    ],
)
def test_the_closest_names_are_said_in_the_reader_s_language(typed, french, english):
    from greenit.factors.labels import row_labels
    from greenit.inventory.categories import closest_names

    closest = closest_names(typed, row_labels(load_factors().devices))
    assert (closest[0].render("fr"), closest[0].render("en")) == (french, english)


# ----------------------------------------------------------------------------- 5. factors show


@pytest.mark.parametrize("name", ["portable", "Ordinateur portable", "portables", "LAPTOP"])
def test_factors_show_finds_a_device_by_its_french_name(run_cli, name):
    code, out, _ = run_cli("factors", "show", "devices", name)
    assert code == 0
    assert out == run_cli("factors", "show", "devices", "laptop")[1]


def test_factors_show_of_an_unknown_row_is_a_french_error_listing_every_key(run_cli):
    code, _, err = run_cli("factors", "show", "devices", "portbles")
    assert code == 2
    error, hint = err.splitlines()
    assert error == "pas de ligne « portbles » dans la table devices (les plus proches : portables)"
    assert hint == "  → lignes : " + ", ".join(load_factors().devices.index)
    code, _, err = run_cli("factors", "show", "pue", "aqs", "--lang", "en")
    assert err.splitlines()[0] == "no row 'aqs' in the pue table (closest: aws)"


def test_factors_show_prints_empty_cells_as_a_dash_and_labels_in_the_chosen_language(run_cli):
    code, out, _ = run_cli("factors", "show", "devices", "router")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"{'label_fr':<28} Routeur"
    assert f"{'lifespan_years':<28} 5" in lines
    assert "nan" not in out and "label_en" not in out
    code, out, _ = run_cli("factors", "show", "accelerators", "t4")  # every device row is complete
    assert f"{'power_low_w':<28} –" in out.splitlines() and "nan" not in out
    code, out, _ = run_cli("factors", "show", "devices", "router", "--lang", "en")
    assert out.splitlines()[0] == f"{'label_en':<28} Router" and "label_fr" not in out
    code, out, _ = run_cli("factors", "show", "devices")
    assert code == 0 and "NaN" not in out and "label_en" not in out
    # who relayed a figure, in French
    code, out, _ = run_cli("factors", "show", "pue", "aws")
    assert "[idc_pue_2025] IDC (cité par AWS) (2025)." in out


# ----------------------------------------------------------------------------- 6. factors list


def test_factors_list_speaks_french_and_english(run_cli):
    code, out, _ = run_cli("factors", "list")
    assert code == 0
    lines = out.splitlines()
    devices = len(load_factors().devices)
    assert lines[0] == f"Tables de facteurs, version {FACTORS_VERSION}"
    assert lines[1] == f"  tables de greenit : {ROOT / 'emission_factors'}"
    assert re.search(rf"\n  devices +{devices} lignes  clés : laptop, desktop,", out)
    assert re.fullmatch(rf"  sources +{len(load_factors().sources)} lignes", lines[-1])
    code, out, _ = run_cli("factors", "list", "--lang", "en")
    assert code == 0
    assert out.splitlines()[0] == f"Factor tables, version {FACTORS_VERSION}"
    assert re.search(rf"\n  devices +{devices} rows  keys: laptop, desktop,", out)


def test_the_version_of_a_copy_of_greenit_s_tables_is_not_doubled(tmp_path, run_cli):
    copy = tmp_path / "mes_facteurs"
    shutil.copytree(ROOT / "emission_factors", copy)
    code, out, _ = run_cli("factors", "list", "--factors", copy)
    assert code == 0
    assert out.splitlines()[:3] == [
        f"Tables de facteurs, version {FACTORS_VERSION}+mes_facteurs",
        f"  tables de greenit : {ROOT / 'emission_factors'}",
        f"  vos tables, posées par-dessus : {copy}",
    ]
    # greenit's own folder given as an overlay is greenit's tables, once
    code, out, _ = run_cli("factors", "list", "--factors", ROOT / "emission_factors")
    assert out.splitlines()[0] == f"Tables de facteurs, version {FACTORS_VERSION}"
    write(copy / "VERSION", "2027.01-mairie\n")  # (load_factors caches the copy read above)
    assert load_factors_unvalidated(copy)[0].version == f"{FACTORS_VERSION}+2027.01-mairie"


@pytest.mark.parametrize(
    ("args", "english"),
    [
        (("list",), "Factor tables, version"),
        (("show", "devices", "laptop"), "label_en"),
        (("validate",), "✓ factor tables valid: version"),
    ],
)
def test_every_factors_command_takes_lang(run_cli, args, english):
    code, out, err = run_cli("factors", *args, "--lang", "en")
    assert code == 0, err
    assert english in out


def test_the_factor_set_keeps_its_float_columns_after_an_overlay(tmp_path):
    table = write(tmp_path / "devices.csv", "category,manufacture_kgco2e,lifespan_years\nlaptop,12,5\n")
    devices = load_factors_unvalidated(table)[0].devices
    assert pd.api.types.is_float_dtype(devices["manufacture_kgco2e"])
    assert devices.at["laptop", "manufacture_kgco2e"] == 12.0
