"""Labels → device categories (FR and EN; case, accents and plurals ignored).

Matching runs on the *distinct* labels of a column only, so a million rows with a few
hundred distinct Types cost a few hundred look-ups.
"""

from __future__ import annotations

import difflib

from greenit.parsing.text import fold_words

CATEGORIES: tuple[str, ...] = (
    "laptop",
    "desktop",
    "all_in_one",
    "thin_client",
    "monitor",
    "smartphone",
    "tablet",
    "television",
    "printer",
    "multifunction_printer",
    "projector",
    "interactive_display",
    "server",
    "storage",
    "network_switch",
    "router",
    "wifi_access_point",
    "firewall",
    "ups",
    "ip_phone",
    "internet_box",
    "docking_station",
    "keyboard",
    "mouse",
)

#: Phrases per category, folded and singular, tried in this order (more specific first).
KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    (
        "multifunction_printer",
        (
            "multifonction",
            "multifunction",
            "mfp",
            "copieur",
            "copier",
            "photocopieur",
            "photocopieuse",
            "imprimante multifonction",
            "multi function printer",
            "all in one printer",
            "mfd",
        ),
    ),
    (
        "interactive_display",
        (
            "ecran interactif",
            "ecran numerique interactif",
            "eni",
            "tni",
            "vpi",
            "tableau numerique",
            "tableau blanc interactif",
            "tableau interactif",
            "interactive display",
            "interactive whiteboard",
            "interactive flat panel",
            "ifp",
            "smartboard",
            "digital signage",
            "affichage dynamique",
        ),
    ),
    ("all_in_one", ("tout en un", "all in one", "aio", "imac")),
    ("thin_client", ("client leger", "thin client", "clients leger", "wyse", "zero client")),
    (
        "docking_station",
        ("station d accueil", "docking station", "dock", "replicateur de port", "port replicator"),
    ),
    (
        "laptop",
        (
            "ordinateur portable",
            "portable",
            "laptop",
            "notebook",
            "ultrabook",
            "netbook",
            "pc portable",
            "latitude",
            "thinkpad",
            "elitebook",
            "probook",
            "macbook",
            "zbook",
            "travelmate",
            "xps",
            "chromebook",
            "surface laptop",
        ),
    ),
    ("tablet", ("tablette", "tablet", "ipad", "galaxy tab", "surface pro")),
    (
        "smartphone",
        (
            "smartphone",
            "telephone mobile",
            "mobile phone",
            "portable phone",
            "iphone",
            "galaxy",
            "pixel",
            "telephone portable",
            "mobile",
        ),
    ),
    (
        "ip_phone",
        (
            "telephone ip",
            "ip phone",
            "voip",
            "poste telephonique",
            "telephone fixe",
            "desk phone",
            "telephone de bureau",
            "dect",
            "telephone",
            "phone",
            "poste ip",
        ),
    ),
    (
        "server",
        (
            "serveur",
            "server",
            "poweredge",
            "proliant",
            "thinksystem",
            "hyperviseur",
            "hypervisor",
            "esxi",
            "blade",
            "lame",
        ),
    ),
    (
        "storage",
        (
            "nas",
            "san",
            "stockage",
            "storage",
            "baie de stockage",
            "disk array",
            "synology",
            "qnap",
            "netapp",
        ),
    ),
    ("firewall", ("pare feu", "firewall", "fortigate", "stormshield", "pfsense", "utm")),
    (
        "wifi_access_point",
        (
            "borne wifi",
            "borne wi fi",
            "point d acce",
            "access point",
            "wifi",
            "wi fi",
            "ap wifi",
            "borne",
            "aironet",
            "unifi ap",
        ),
    ),
    (
        "network_switch",
        (
            "commutateur",
            "switch",
            "catalyst",
            "procurve",
            "aruba switch",
            "materiel reseau",
            "networkequipment",
            "network equipment",
        ),
    ),
    (
        "internet_box",
        ("box internet", "box", "livebox", "freebox", "bbox", "modem", "internet box"),
    ),
    ("router", ("routeur", "router")),
    ("ups", ("onduleur", "ups", "ondulateur", "alimentation sans interruption")),
    (
        "projector",
        ("videoprojecteur", "video projecteur", "projecteur", "projector", "beamer", "videoproj"),
    ),
    ("television", ("television", "televiseur", "tv", "tele", "smart tv")),
    ("monitor", ("ecran", "moniteur", "monitor", "screen", "display", "afficheur")),
    (
        "printer",
        (
            "imprimante",
            "printer",
            "laserjet",
            "officejet",
            "deskjet",
            "traceur",
            "plotter",
            "imprimante laser",
            "imprimante jet d encre",
        ),
    ),
    (
        "desktop",
        (
            "unite centrale",
            "ordinateur fixe",
            "ordinateur de bureau",
            "poste fixe",
            "desktop",
            "tour",
            "tower",
            "pc fixe",
            "station de travail",
            "workstation",
            "optiplex",
            "thinkcentre",
            "elitedesk",
            "prodesk",
            "vostro",
            "veriton",
            "mini pc",
            "uc",
            "poste de travail",
        ),
    ),
    ("keyboard", ("clavier", "keyboard")),
    ("mouse", ("souris", "mouse")),
]

#: Labels that say "a computer" without saying which kind: the model then decides.
GENERIC_LABELS = {
    "ordinateur",
    "computer",
    "pc",
    "poste",
    "materiel",
    "equipement",
    "autre",
    "other",
    "peripherique",
    "peripheral",
    "materiel informatique",
}

# Longer phrases first, so "telephone portable" wins over "portable" and "ecran interactif"
# over "ecran"; among equals, the order of KEYWORDS decides.
_PHRASES: list[tuple[str, str]] = sorted(
    ((f" {phrase} ", category) for category, phrases in KEYWORDS for phrase in phrases),
    key=lambda item: (-len(item[0].split()), -len(item[0])),
)
_ALIASES_FOR_SUGGESTIONS: dict[str, str] = {
    phrase: category for category, phrases in KEYWORDS for phrase in phrases if len(phrase) > 3
}
_ALIASES_FOR_SUGGESTIONS.update({c: c for c in CATEGORIES})


def match_category(label: object) -> str | None:
    """The category a free label names, or None.

    >>> match_category("Ordinateurs portables")
    'laptop'
    >>> match_category("Écran 24 pouces")
    'monitor'
    """
    if label is None or (isinstance(label, float) and label != label):
        return None
    folded = fold_words(str(label))
    if not folded or folded in GENERIC_LABELS:
        return None
    if folded.replace(" ", "_") in CATEGORIES:
        return folded.replace(" ", "_")
    padded = f" {folded} "
    for phrase, category in _PHRASES:
        if phrase in padded:
            return category
    return None


def suggest_categories(label: object, n: int = 3) -> list[str]:
    """Closest categories to an unknown label, for the flag's reason."""
    folded = fold_words(str(label))
    hits = difflib.get_close_matches(folded, list(_ALIASES_FOR_SUGGESTIONS), n=8, cutoff=0.7)
    words = folded.split()
    for word in words:
        hits += difflib.get_close_matches(word, list(_ALIASES_FOR_SUGGESTIONS), n=3, cutoff=0.75)
    seen: list[str] = []
    for hit in hits:
        category = _ALIASES_FOR_SUGGESTIONS[hit]
        if category not in seen:
            seen.append(category)
    return seen[:n]
