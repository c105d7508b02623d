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
        ("Baie de stockage", "san_array"),
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
    "label, category",
    [
        ("Téléphone mobile basique", "basic_phone"),
        ("Feature phone", "basic_phone"),
        ("Téléphone DECT", "dect_phone"),
        ("Combinés DECT", "dect_phone"),
        ("IPBX", "ipbx"),
        ("Standard téléphonique", "ipbx"),
        ("Système de visioconférence", "videoconference_system"),
        ("Video conference", "videoconference_system"),
        ("Webcam", "webcam_headset"),
        ("Casque audio", "webcam_headset"),
        ("Headset", "webcam_headset"),
        ("Scanner", "document_scanner"),
        ("Document scanner", "document_scanner"),
        ("Imprimante d'étiquettes", "label_printer"),
        ("Imprimante de tickets", "label_printer"),
        ("Receipt printer", "label_printer"),
        ("Disque dur externe", "external_drive"),
        ("External hard drive", "external_drive"),
        ("Clé USB", "usb_key"),
        ("USB stick", "usb_key"),
        ("Station de travail", "workstation"),
        ("Workstation", "workstation"),
        ("Tablette durcie", "rugged_tablet"),
        ("Rugged tablet", "rugged_tablet"),
        ("Terminal de paiement", "payment_terminal"),
        ("TPE", "payment_terminal"),
        ("Borne interactive", "kiosk"),
        ("Kiosk", "kiosk"),
        ("Affichage dynamique", "digital_signage"),
        ("Digital signage", "digital_signage"),
        ("Caméra de vidéosurveillance", "surveillance_camera"),
        ("Caméras IP", "surveillance_camera"),
        ("Enregistreur vidéo", "video_recorder"),
        ("NVR", "video_recorder"),
        ("Visualiseur", "visualiser"),
        ("Document camera", "visualiser"),
        ("Imprimante 3D", "printer_3d"),
        ("3D printer", "printer_3d"),
        ("Serveur tour", "tower_server"),
        ("Tower server", "tower_server"),
        ("Serveur rack", "rack_server"),
        ("Rack server", "rack_server"),
        ("Baie SAN", "san_array"),
        ("Storage array", "san_array"),
    ],
)
def test_categories_a_town_owns_beyond_the_first_list(label, category):
    assert match_category(label) == category


def test_every_category_has_a_factor_row_with_french_and_english_labels():
    from greenit.factors import load_factors

    devices = load_factors().devices
    assert set(devices.index) == set(CATEGORIES)
    assert devices["label_fr"].notna().all() and devices["label_en"].notna().all()
    # the labels themselves are recognised (a GLPI Type often is the French label)
    for category, row in devices.iterrows():
        assert match_category(row["label_en"]) == category, row["label_en"]


def test_close_labels_keep_their_older_meaning():
    assert match_category("Borne Wi-Fi") == "wifi_access_point"
    assert match_category("Borne") == "wifi_access_point"
    assert match_category("Téléphone portable") == "smartphone"
    assert match_category("MacBook Pro") == "laptop"
    assert match_category("Tour") == "desktop"


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
