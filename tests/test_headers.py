"""Headers as exports and people write them → canonical columns; nothing ignored in silence."""

import pytest

from conftest import write
from greenit.errors import GreenitError
from greenit.inventory.columns import INVENTORY_ALIASES
from greenit.inventory.rows import fit_unit
from greenit.parsing.headers import match_headers, parse_column_specs, split_group, split_header_unit

#: Every canonical inventory column with at least three real-world spellings: French, English,
#: and one tool's export (GLPI with its tab prefix, G4IT/NumEcoEval camelCase, a spreadsheet).
SPELLINGS = {
    "category": ["Type de matériel", "Device type", "type"],  # G4IT: type
    "item_type": ["Type d'élément", "Item type", "itemtype"],  # GLPI global view
    "name": ["Nom", "Asset name", "nomEquipementPhysique"],
    "serial": ["Numéro de série", "Serial Number", "numeroSerie"],
    "quantity": ["Qté", "Quantity", "quantite"],
    "manufacturer": ["Fabricant", "Manufacturer", "fabricant"],
    "model": ["Marque / modèle", "Model", "modele"],
    "entity": ["Entité", "Department", "nomEntite"],
    "site": ["Lieu", "Location", "nomCourtDatacenter"],
    "status": ["Statut", "Status", "statut"],
    "purchase_date": [
        "Année d'achat",
        "Date of purchase",
        "Informations financières et administratives - Date d'achat",
        "dateAchat",
    ],
    "retirement_date": [
        "Date de réforme",
        "Decommission date",
        "Informations financières et administratives - Date de réforme",
        "dateRetrait",
    ],
    "lifespan_years": ["Durée d'utilisation (ans)", "Lifespan", "dureeUsageInterne"],
    "amortisation_years": [
        "Durée d'amortissement",
        "Amortization duration",
        "Informations financières et administratives - Durée d'amortissement",
        "Financial and administrative information - Amortization duration",
    ],
    "upstream_use_years": ["Durée d'usage antérieure", "Upstream use duration", "dureeUsageAmont"],
    "downstream_use_years": ["Durée d'usage postérieure", "Downstream use duration", "dureeUsageAval"],
    "power_w": ["Puissance (W)", "Average power [kW]", "power_w"],
    "annual_kwh": ["Consommation annuelle (kWh/an)", "Annual energy", "consoElecAnnuelle"],
    "use_hours_per_year": ["Heures d'utilisation par an", "Hours of use", "Heures/an"],
    "use_days_per_year": ["Jours d'utilisation par an", "Days per year", "nbJourUtiliseAn"],
    "country": ["Pays", "Country code", "paysDUtilisation"],
    "refurbished": ["Reconditionné", "Refurbished", "seconde main"],
    "manufacture_kgco2e": ["Empreinte fabrication (kgCO2e)", "Embodied carbon", "manufacture [kgCO2e]"],
    "pue": ["PUE", "PUE de la salle", "Room PUE"],
    "unit_price_eur": [
        "Prix unitaire (€ HT)",
        "Purchase Cost",  # Snipe-IT's asset list export
        "Informations financières et administratives - Valeur",  # GLPI, its tab prefix
        "Financial and administrative information - Value",
        "Prix d'achat",  # Snipe-IT in French
        "Coût",  # Snipe-IT's custom report in French
        "Prix HT",
        "Valeur TTC",
    ],
    "total_price_eur": ["Montant total", "Total HT", "Line total", "Montant TTC"],
}


def test_every_canonical_column_has_three_real_world_spellings():
    assert set(SPELLINGS) == set(INVENTORY_ALIASES)
    assert all(len(spellings) >= 3 for spellings in SPELLINGS.values())


@pytest.mark.parametrize("header, column", [(h, c) for c, spellings in SPELLINGS.items() for h in spellings])
def test_real_world_header_spellings_reach_their_column(header, column):
    report = match_headers([header], INVENTORY_ALIASES, check_unit=fit_unit)
    assert report.used == {header: column}


def test_glpi_tab_prefix_is_dropped_only_for_the_financial_tab():
    headers = [
        "Nom",
        "Système d'exploitation - Nom",
        "Composants - Processeur",
        "Informations financières et administratives - Date d'achat",
        "Informations financières et administratives - Valeur",
    ]
    report = match_headers(headers, INVENTORY_ALIASES)
    assert report.used == {
        "Nom": "name",
        "Informations financières et administratives - Date d'achat": "purchase_date",
        "Informations financières et administratives - Valeur": "unit_price_eur",
    }
    assert [i.header for i in report.ignored] == ["Système d'exploitation - Nom", "Composants - Processeur"]


@pytest.mark.parametrize(
    "header",
    [
        "Valeur actuelle",
        "Current Value",
        "Valeur nette comptable",
        "Informations financières et administratives - Valeur nette comptable",
    ],
)
def test_a_book_value_is_no_purchase_price(header):
    """Snipe-IT's « Valeur actuelle » and GLPI's net book value are what a device is worth now."""
    assert "unit_price_eur" not in match_headers([header], INVENTORY_ALIASES).used.values()


def test_a_years_unit_makes_a_duration_a_lifespan_and_hours_make_it_hours_of_use():
    report = match_headers(
        ["Durée d'utilisation (ans)", "Durée d'utilisation (h/an)"], INVENTORY_ALIASES, check_unit=fit_unit
    )
    assert report.used == {
        "Durée d'utilisation (ans)": "lifespan_years",
        "Durée d'utilisation (h/an)": "use_hours_per_year",
    }


def test_a_bracketed_word_that_is_no_unit_is_not_read_as_one():
    report = match_headers(
        ["Quantité (nb)", "Date d'achat (JJ/MM/AAAA)"], INVENTORY_ALIASES, check_unit=fit_unit
    )
    assert report.matches["quantity"].unit is None
    assert report.used["Date d'achat (JJ/MM/AAAA)"] == "purchase_date"


def test_the_second_header_of_one_column_is_ignored_and_names_the_first():
    report = match_headers(["Date de mise en service", "Date d'achat"], INVENTORY_ALIASES)
    assert report.used == {"Date d'achat": "purchase_date"}
    [ignored] = report.ignored
    assert (ignored.header, ignored.taken_by, ignored.closest) == (
        "Date de mise en service",
        "Date d'achat",
        ("purchase_date",),
    )


def test_ignored_headers_come_with_the_closest_columns():
    report = match_headers(["Numéro de série", "Puisance"], INVENTORY_ALIASES)
    closest = {i.header: i.closest for i in report.ignored}
    assert closest["Puisance"][0] == "power_w"


def test_user_mapping_wins_and_unknown_canonical_names_are_refused(english):
    mapping = parse_column_specs(["Désignation=category", "Conso (kWh)=annual kwh"], INVENTORY_ALIASES)
    assert mapping == {"Désignation": "category", "Conso (kWh)": "annual_kwh"}
    report = match_headers(["Désignation", "Type"], INVENTORY_ALIASES, overrides=mapping)
    assert report.used == {"Désignation": "category"}
    with pytest.raises(GreenitError, match="'kategory' is not a greenit column") as error:
        parse_column_specs(["Désignation=kategory"], INVENTORY_ALIASES)
    assert "valid columns: category, item_type, name" in str(error.value)
    with pytest.raises(GreenitError, match="expected HEADER=column"):
        parse_column_specs(["Désignation"], INVENTORY_ALIASES)


def test_column_option_maps_a_header_greenit_cannot_guess(tmp_path, estimate_json):
    path = write(tmp_path / "inv.csv", "Désignation;Combien\nPC portable Dell;3\nÉcran 24 pouces;2\n")
    result = estimate_json(
        path, "--year", "2025", "--column", "Désignation=category", "--column", "Combien=quantity"
    )
    assert result["columns"]["used"] == {"Désignation": "category", "Combien": "quantity"}
    assert {g["category"]: g["quantity"] for g in result["by_category"]} == {"laptop": 3.0, "monitor": 2.0}


def test_column_option_naming_no_header_of_the_files_is_an_error(tmp_path, run_cli):
    path = write(tmp_path / "inv.csv", "Type;Quantité\nPortable;3\n")
    code, _, err = run_cli("estimate", path, "--column", "Désignation=category", "--lang", "en")
    assert code == 2
    assert "no file has the header 'Désignation'" in err


def test_unit_and_group_splitting_stay_linear_on_hostile_headers():
    import time

    start = time.process_time()
    assert split_header_unit("(" * 16_000) == ("(" * 16_000, None)
    assert split_header_unit("Puissance " + "(" * 100 + "W)") == ("Puissance " + "(" * 99, "W")
    report = match_headers(["x" * 100_000, "(" * 16_000, "Type"], INVENTORY_ALIASES)
    assert report.used == {"Type": "category"}
    assert time.process_time() - start < 1.0  # CPU of this process: another job's load is not ours
    assert split_group("Composants - Processeur") == ("Composants", "Processeur")
    assert split_group("Nom") == (None, "Nom")


def test_the_console_says_which_columns_were_used_and_which_were_not(tmp_path, run_cli):
    text = (
        "Nom;Type;Commentaire;Informations financières et administratives - Date d'achat\n"
        "PC-1;Portable;X1;12-03-2021\n"
    )
    code, out, _ = run_cli("estimate", write(tmp_path / "glpi.csv", text), "--year", "2025", "--lang", "en")
    assert code == 0
    flat = " ".join(out.split())
    assert "Columns used (3): Nom → name, Type → category, … - Date d'achat → purchase_date" in flat
    assert 'Columns not used (1): Commentaire — --column "HEADER=column" to map one' in flat
