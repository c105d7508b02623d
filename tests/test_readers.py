"""Reading the files officers actually have: GLPI exports, Excel re-saves, G4IT templates."""

import pandas as pd
import pytest

from conftest import write
from greenit.errors import InputFileError
from greenit.factors import load_factors
from greenit.inventory import normalise_inventory
from greenit.parsing.readers import read_table

GLPI = (
    '"Nom";"Entité";"Statut";"Fabricant";"Modèle";"Type";"Lieu";"Date d\'achat";"Commentaire"\n'
    '"PC-0001";"Ville > DRH";"En service";"Dell";"Latitude 5420";"Ordinateur portable";'
    '"Hôtel de ville > Étage 1";"15-03-2021 10:30";"Dit '
    "le rapide"
    '"\n'
    '"SCR-0002";"Ville > Écoles";"En stock";"Dell";"P2422H";"Écran";"École > RDC";'
    '"01-06-2019";""\n'
    '"SRV-0003";"Ville > DSI";"En service";"Dell";"PowerEdge R650";"Serveur";'
    '"Hôtel de ville > Salle serveurs";"2022-09-30";""\n'
)


def normalise(path):
    return normalise_inventory(read_table(path), load_factors())


def test_glpi_export_with_bom_and_semicolons_is_read(tmp_path):
    path = write(tmp_path / "glpi.csv", "\ufeff" + GLPI)
    frame = normalise(path)
    assert frame["category"].tolist() == ["laptop", "monitor", "server"]
    assert frame["entity"].tolist() == ["Ville > DRH", "Ville > Écoles", "Ville > DSI"]
    assert frame["site"].iloc[0] == "Hôtel de ville > Étage 1"
    assert frame["status_kind"].tolist() == ["in_service", "stock", "in_service"]
    assert frame["purchase_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2021-03-15",
        "2019-06-01",
        "2022-09-30",
    ]
    assert frame["row"].tolist() == [1, 2, 3]
    assert frame["reason"].isna().all()


def test_glpi_global_view_falls_back_on_the_item_type(tmp_path, english):
    text = (
        "Type d'élément;Nom;Type;Modèle\n"
        "Moniteur;M1;;P2422H\nImprimante;I1;;M404dn\nOrdinateur;C1;;OptiPlex 7010\n"
        "Ordinateur;C2;;Inconnu X\nMatériel réseau;S1;;\n"
    )
    frame = normalise(write(tmp_path / "global.csv", text))
    assert frame["category"].tolist()[:3] == ["monitor", "printer", "desktop"]
    assert pd.isna(frame["category"].iloc[3])
    # « Matériel réseau » is a family (switch? access point?), flagged unless --default-category
    assert pd.isna(frame["category"].iloc[4])
    assert "is a family, not a device type" in str(frame["reason"].iloc[4])
    assert frame["category_source"].tolist()[:3] == ["item_type", "item_type", "model"]
    assert str(frame["reason"].iloc[3]) == (
        "category: 'Ordinateur' is a family, not a device type (Desktop, Laptop…); "
        "fill in Type or give --default-category"
    )


def test_cp1252_spreadsheet_with_decimal_commas_and_units(tmp_path):
    text = (
        "Type,Quantité,Puissance (W),Durée de vie,Consommation annuelle\n"
        'Écran,10,"0,03 kW",7 ans,\n'
        'Unité centrale,3,65,"5,5","150 kWh/an"\n'
    )
    path = write(tmp_path / "excel.csv", text, encoding="cp1252")
    frame = normalise(path)
    assert frame["category"].tolist() == ["monitor", "desktop"]
    assert frame["quantity"].tolist() == [10.0, 3.0]
    assert frame["power_w"].tolist() == [30.0, 65.0]
    assert frame["lifespan_years"].tolist() == [7.0, 5.5]
    assert frame["annual_kwh"].iloc[1] == 150.0


def test_tab_separated_english_file(tmp_path):
    path = write(tmp_path / "assets.tsv", "category\tquantity\tpower [kW]\nlaptop\t4\t0.05\n")
    frame = normalise(path)
    assert frame[["category", "quantity", "power_w"]].iloc[0].tolist() == ["laptop", 4.0, 50.0]


def test_xlsx_workbook_is_read(tmp_path):
    path = tmp_path / "inventaire.xlsx"
    pd.DataFrame(
        {
            "Type": ["Tablette", "Imprimante"],
            "Quantité": [25, 2],
            "Date d'achat": pd.to_datetime(["2022-09-01", "2020-01-15"]),
            "Reconditionné": ["oui", "non"],
        }
    ).to_excel(path, index=False)
    frame = normalise(path)
    assert frame["category"].tolist() == ["tablet", "printer"]
    assert frame["quantity"].tolist() == [25.0, 2.0]
    assert frame["refurbished_share"].tolist() == [True, False]
    assert frame["purchase_date"].dt.year.tolist() == [2022, 2020]


def test_g4it_physical_equipment_template(tmp_path):
    text = (
        "nomEquipementPhysique;modele;quantite;nomCourtDatacenter;dateAchat;dateRetrait;"
        "type;statut;paysDUtilisation;consoElecAnnuelle;utilisateur;nomSourceDonnee;"
        "nomEntite\n"
        "srv-01;PowerEdge R640;1;DC1;2020-01-01;;Server;In use;France;1760;;src;DSI\n"
        "lap-02;Latitude 5420;2;;2021-05-01;2024-06-30;Laptop;Retired;Germany;;;src;RH\n"
    )
    frame = normalise(write(tmp_path / "g4it.csv", text))
    assert frame["category"].tolist() == ["server", "laptop"]
    assert frame["country"].tolist() == ["FRA", "DEU"]
    assert frame["annual_kwh"].iloc[0] == 1760.0
    assert frame["entity"].tolist() == ["DSI", "RH"]
    assert frame["status_kind"].tolist() == ["in_service", "retired"]
    assert frame["retirement_date"].iloc[1] == pd.Timestamp("2024-06-30")


def test_nbsp_thousands_and_french_header_units(tmp_path):
    text = 'Type;Quantité;Consommation (kWh/an)\nServeur;1;"1\u00a0760"\n'
    frame = normalise(write(tmp_path / "nbsp.csv", text))
    assert frame["annual_kwh"].iloc[0] == 1760.0


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "the file is empty"),
        ("\x00\x01\x02binary", "looks like a binary file"),
    ],
)
def test_unreadable_files_say_why(tmp_path, content, message, english):
    path = write(tmp_path / "bad.csv", content)
    with pytest.raises(InputFileError, match=message):
        read_table(path)


def test_missing_file_says_what_to_do(tmp_path, english):
    with pytest.raises(InputFileError, match="no such file"):
        read_table(tmp_path / "absent.csv")


def test_file_without_a_type_column_is_refused_with_the_columns_found(tmp_path, english):
    path = write(tmp_path / "noType.csv", "Nom;Lieu\nA;B\n")
    with pytest.raises(InputFileError, match="columns found: Nom, Lieu"):
        normalise(path)


def test_scenario_categories_in_french_english_and_plural(tmp_path, run_cli):
    import json

    path = write(tmp_path / "inv.csv", "Type;Quantité;Date d'achat\nPortable;10;2023\nÉcran;10;2023\n")
    totals = {}
    for scope in ("portables", "laptop", "Ordinateurs portables", "laptops"):
        code, out, err = run_cli("scenario", path, "--year", "2025", "-s", f"lifespan+2:{scope}", "--json")
        assert code == 0, err
        totals[scope] = json.loads(out)["scenarios"][1]["total_kgco2e"]
    assert len(set(totals.values())) == 1
    code, out, _ = run_cli("scenario", path, "--year", "2025", "-s", "lifespan+2", "--json")
    assert json.loads(out)["scenarios"][1]["total_kgco2e"] < totals["laptop"]  # monitors too


def test_an_unknown_scenario_category_is_an_error_with_suggestions(tmp_path, run_cli):
    path = write(tmp_path / "inv.csv", "Type;Quantité\nPortable;10\n")
    code, _, err = run_cli("scenario", path, "-s", "lifespan+2:portabl", "--lang", "en")
    assert code == 2
    assert "--scenario lifespan+2:portabl: 'portabl' is not a known category (closest: Laptop)" in err


@pytest.mark.parametrize(
    "name, head",
    [
        ("inventaire.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
        ("ancien.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ],
)
def test_a_pdf_or_an_old_office_file_is_named_as_not_a_table(tmp_path, name, head):
    path = tmp_path / name
    path.write_bytes(head + b"\n" * 10)
    with pytest.raises(InputFileError) as error:
        read_table(path)
    assert "fichier binaire" in error.value.render("fr") and "CSV ou XLSX" in error.value.render("fr")
