import pytest

from greenit.inventory.categories import CATEGORIES, match_category, suggest_categories


@pytest.mark.parametrize(
    "label, category",
    [
        ("Ordinateurs portables", "laptop"),
        ("PORTABLE", "laptop"),
        ("Laptop", "laptop"),
        ("Unité centrale", "desktop"),
        ("Poste fixe", "desktop"),
        ("Tout-en-un", "all_in_one"),
        ("Client léger", "thin_client"),
        ("Écrans", "monitor"),
        ('Moniteur 24"', "monitor"),
        ("Téléphone portable", "smartphone"),
        ("Smartphones", "smartphone"),
        ("Tablettes", "tablet"),
        ("Téléviseur", "television"),
        ("Imprimante laser", "printer"),
        ("Copieur multifonction A3", "multifunction_printer"),
        ("Vidéoprojecteur", "projector"),
        ("TNI", "interactive_display"),
        ("Écran numérique interactif", "interactive_display"),
        ("Serveur", "server"),
        ("Baie de stockage", "storage"),
        ("NAS", "storage"),
        ("Switch 48 ports", "network_switch"),
        ("Commutateur", "network_switch"),
        ("Routeur", "router"),
        ("Borne Wi-Fi", "wifi_access_point"),
        ("Pare-feu", "firewall"),
        ("Onduleur", "ups"),
        ("Téléphones IP", "ip_phone"),
        ("Box internet", "internet_box"),
        ("Station d'accueil", "docking_station"),
    ],
)
def test_french_and_english_labels(label, category):
    assert match_category(label) == category


@pytest.mark.parametrize(
    "model, category",
    [
        ("Latitude 5420", "laptop"),
        ("ThinkPad T14", "laptop"),
        ("EliteBook 840 G8", "laptop"),
        ("OptiPlex 7090", "desktop"),
        ("ThinkCentre M70q", "desktop"),
        ("iMac 24", "all_in_one"),
        ("PowerEdge R650", "server"),
        ("ProLiant DL380", "server"),
        ("Wyse 5070", "thin_client"),
        ("iPad 9", "tablet"),
        ("iPhone SE", "smartphone"),
        ("LaserJet Pro M404", "printer"),
    ],
)
def test_well_known_model_lines(model, category):
    assert match_category(model) == category


def test_every_category_name_matches_itself():
    assert all(match_category(c) == c for c in CATEGORIES)


def test_generic_and_unknown_labels_are_not_guessed():
    assert match_category("Ordinateur") is None
    assert match_category("Machine à café") is None
    assert match_category("") is None


def test_suggestions_for_a_typo():
    assert suggest_categories("Ecarn")[0] == "monitor"
    assert "printer" in suggest_categories("imprimente")
