"""Labels → device categories (FR and EN; case, accents and plurals ignored).

Matching runs on the *distinct* labels of a column only, so a million rows with a few
hundred distinct Types cost a few hundred look-ups.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from greenit.i18n import get_language
from greenit.parsing.text import closest, fold, fold_words

CATEGORIES: tuple[str, ...] = (
    "laptop",
    "desktop",
    "all_in_one",
    "workstation",
    "thin_client",
    "monitor",
    "smartphone",
    "basic_phone",
    "tablet",
    "rugged_tablet",
    "television",
    "printer",
    "multifunction_printer",
    "label_printer",
    "printer_3d",
    "document_scanner",
    "projector",
    "interactive_display",
    "digital_signage",
    "kiosk",
    "visualiser",
    "videoconference_system",
    "webcam_headset",
    "server",
    "rack_server",
    "tower_server",
    "storage",
    "san_array",
    "external_drive",
    "usb_key",
    "network_switch",
    "router",
    "wifi_access_point",
    "firewall",
    "ups",
    "ip_phone",
    "dect_phone",
    "ipbx",
    "internet_box",
    "payment_terminal",
    "surveillance_camera",
    "video_recorder",
    "docking_station",
    "keyboard",
    "mouse",
)

#: Phrases per category, folded and singular, tried longest first (more words win, then the
#: order of this list): "telephone portable" beats "portable", "borne interactive" beats "borne".
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
        "label_printer",
        (
            "imprimante etiquette",
            "imprimante d etiquette",
            "imprimante a etiquette",
            "imprimante de ticket",
            "imprimante ticket",
            "imprimante thermique",
            "imprimante de caisse",
            "etiqueteuse",
            "label printer",
            "receipt printer",
            "thermal printer",
            "ticket printer",
            "dymo",
            "zebra",
        ),
    ),
    ("printer_3d", ("imprimante 3d", "3d printer", "impression 3d", "ultimaker", "prusa")),
    (
        "document_scanner",
        (
            "scanner",
            "scanneur",
            "numeriseur",
            "scanner de document",
            "document scanner",
            "scanner a plat",
            "flatbed scanner",
        ),
    ),
    (
        "visualiser",
        (
            "visualiseur",
            "visualiser",
            "visualizer",
            "camera de document",
            "document camera",
            "presentateur visuel",
            "ipevo",
        ),
    ),
    (
        "kiosk",
        (
            "borne interactive",
            "borne tactile",
            "borne d accueil",
            "borne d information",
            "borne de commande",
            "kiosque",
            "kiosk",
            "interactive kiosk",
        ),
    ),
    (
        "digital_signage",
        (
            "affichage dynamique",
            "digital signage",
            "affichage numerique",
            "ecran d affichage",
            "ecran d information",
            "panneau d information",
            "panneau lumineux",
            "totem",
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
        ),
    ),
    (
        "videoconference_system",
        (
            "visioconference",
            "systeme de visioconference",
            "salle de visio",
            "visio",
            "video conference",
            "videoconference",
            "videoconferencing",
            "video conferencing system",
            "codec visio",
            "rally bar",
            "meetup",
            "poly studio",
            "room kit",
        ),
    ),
    (
        "webcam_headset",
        (
            "webcam",
            "web cam",
            "camera usb",
            "casque",
            "casque audio",
            "micro casque",
            "casque micro",
            "headset",
            "headphone",
            "ecouteur",
        ),
    ),
    (
        "surveillance_camera",
        (
            "camera de surveillance",
            "camera de videosurveillance",
            "camera de videoprotection",
            "videosurveillance",
            "video surveillance",
            "videoprotection",
            "camera ip",
            "ip camera",
            "cctv",
            "camera",
        ),
    ),
    (
        "video_recorder",
        (
            "enregistreur",
            "enregistreur video",
            "enregistreur numerique",
            "nvr",
            "dvr",
            "network video recorder",
            "video recorder",
        ),
    ),
    (
        "payment_terminal",
        (
            "terminal de paiement",
            "terminal de paiement electronique",
            "tpe",
            "payment terminal",
            "terminal carte bancaire",
            "terminal cb",
            "lecteur de carte bancaire",
            "card terminal",
            "ingenico",
            "verifone",
        ),
    ),
    ("all_in_one", ("tout en un", "all in one", "aio", "imac")),
    (
        "workstation",
        (
            "station de travail",
            "workstation",
            "precision tower",
            "thinkstation",
            "mac pro",
            "celsius",
        ),
    ),
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
    (
        "rugged_tablet",
        (
            "tablette durcie",
            "tablette renforcee",
            "tablette de terrain",
            "rugged tablet",
            "tablette rugged",
            "toughpad",
        ),
    ),
    ("tablet", ("tablette", "tablet", "ipad", "galaxy tab", "surface pro")),
    (
        "basic_phone",
        (
            "telephone basique",
            "telephone mobile basique",
            "portable basique",
            "telephone a clapet",
            "feature phone",
            "basic phone",
            "basic mobile phone",
        ),
    ),
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
        "dect_phone",
        (
            "dect",
            "telephone dect",
            "telephone sans fil",
            "combine dect",
            "base dect",
            "cordless phone",
        ),
    ),
    (
        "ipbx",
        (
            "ipbx",
            "pabx",
            "pbx",
            "ip pbx",
            "autocommutateur",
            "standard telephonique",
            "central telephonique",
            "telephone system",
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
            "deskphone",
            "sip",  # Yealink SIP-T46U, Snom… : SIP desk phones
            "telephone de bureau",
            "telephone",
            "phone",
            "poste ip",
        ),
    ),
    (
        "rack_server",
        (
            "serveur rack",
            "serveur en rack",
            "serveur rackable",
            "rack server",
            "rackmount server",
            "rack mount",  # "Rack Mount Chassis": the SMBIOS chassis type GLPI's agent reports
        ),
    ),
    (
        "tower_server",
        ("serveur tour", "serveur en tour", "tower server", "microserver", "micro serveur"),
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
        "san_array",
        (
            "san",
            "baie san",
            "baie de stockage",
            "stockage san",
            "storage array",
            "disk array",
            "san array",
            "powervault",
            "netapp",
            "3par",
            "nimble",
        ),
    ),
    (
        "storage",
        (
            "nas",
            "stockage",
            "storage",
            "stockage reseau",
            "network attached storage",
            "synology",
            "qnap",
        ),
    ),
    (
        "external_drive",
        (
            "disque dur externe",
            "disque externe",
            "ssd externe",
            "disque usb",
            "external drive",
            "external hard drive",
            "external hdd",
            "external ssd",
        ),
    ),
    ("usb_key", ("cle usb", "clef usb", "usb key", "usb stick", "usb flash drive")),
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
            "borne",  # "borne de recharge" (EV) is caught first by OUTSIDE_IT_LABELS
            "wireless",
            "wireless access point",
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
            "networking",
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
    (
        "monitor",
        (
            "ecran",
            "moniteur",
            "monitor",
            "screen",
            "display",
            "afficheur",
            # GLPI monitor types: the panel technology
            "led",
            "lcd",
            "tft",
            "crt",
            "ecran portable",
            "portable monitor",
        ),
    ),
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
            # GLPI printer types: the printing technology
            "laser",
            "jet d encre",
            "inkjet",
            "matricielle",
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

#: Things an inventory may list that are not digital equipment: flagged, never guessed into a
#: category (network discovery files an EV charging point reachable by SNMP as network gear).
OUTSIDE_IT_LABELS: tuple[str, ...] = (
    "borne de recharge",
    "borne de recharge electrique",
    "irve",
    "recharge vehicule",
    "charging point",
    "charging station",
    "ev charger",
    "wallbox",
    "machine a cafe",
    "coffee machine",
)

#: GLPI item types that name a family, not a category (a computer: desktop or laptop? network
#: gear: switch or access point?): the Type or the model decides, else --default-category.
FAMILY_LABELS: dict[str, tuple[str, ...]] = {
    "ordinateur": ("desktop", "laptop"),
    "computer": ("desktop", "laptop"),
    "materiel reseau": ("network_switch", "wifi_access_point", "router"),
    "networkequipment": ("network_switch", "wifi_access_point", "router"),
    "network equipment": ("network_switch", "wifi_access_point", "router"),
    "network device": ("network_switch", "wifi_access_point", "router"),
    "peripherique": ("keyboard", "mouse", "webcam_headset"),
    "peripheral": ("keyboard", "mouse", "webcam_headset"),
}

#: Labels whose meaning depends on the kind of file: « Portable » is a laptop in a computers
#: export and a mobile phone in a phones export; « Fixe » a desktop or a desk phone.
CONTEXT_LABELS: dict[str, dict[str, str]] = {
    "portable": {"phone": "smartphone", "computer": "laptop"},
    "fixe": {"phone": "ip_phone", "computer": "desktop"},
}

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
    *FAMILY_LABELS,
}

# Longer phrases first, so "telephone portable" wins over "portable" and "ecran interactif"
# over "ecran"; among equals, the order of KEYWORDS decides.
_PHRASES: list[tuple[str, str]] = sorted(
    ((f" {phrase} ", category) for category, phrases in KEYWORDS for phrase in phrases),
    key=lambda item: (-len(item[0].split()), -len(item[0])),
)
#: The same phrases by their first word, with their rank in _PHRASES: a label is compared with
#: the few phrases that can occur in it, not with all of them (a million distinct labels).
_PHRASES_BY_FIRST_WORD: dict[str, list[tuple[int, str, str]]] = {}
for _rank, (_phrase, _category) in enumerate(_PHRASES):
    _PHRASES_BY_FIRST_WORD.setdefault(_phrase.split()[0], []).append((_rank, _phrase, _category))
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
    best: tuple[int, str] | None = None
    for word in set(folded.split()):  # only the phrases that start with one of its words
        for rank, phrase, category in _PHRASES_BY_FIRST_WORD.get(word, ()):
            if (best is None or rank < best[0]) and phrase in padded:
                best = (rank, category)
    return best[1] if best else None


def suggest_categories(label: object, n: int = 3) -> list[str]:
    """Closest categories to an unknown label, for the flag's reason."""
    folded = fold_words(str(label))
    hits = closest(folded, _ALIASES_FOR_SUGGESTIONS, cutoff=0.7, n=8)
    for word in folded.split():
        hits += closest(word, _ALIASES_FOR_SUGGESTIONS, cutoff=0.75, n=3)
    seen: list[str] = []
    for hit in hits:
        category = _ALIASES_FOR_SUGGESTIONS[hit]
        if category not in seen:
            seen.append(category)
    return seen[:n]


#: How close a typed name must be to a category's name to be suggested (difflib ratio).
NAME_CUTOFF = 0.75


def _plural(name: str) -> str:
    """A one-word name in the plural (« Écran » → « Écrans », « réseau » → « réseaux »)."""
    if name.endswith(("s", "x", "z")):
        return name
    return name + ("x" if name.endswith("eau") else "s")


@dataclass(frozen=True, slots=True)
class ClosestName:
    """A category suggested for a name a user typed, shown in the reader's language.

    It shows the category's name in that language (its label, its code, a short name such as
    « portable ») closest to what was typed, in the plural when the user typed one:
    ``portbles`` → « portables ».
    """

    typed: str
    fr: tuple[str, ...]
    en: tuple[str, ...]

    def render(self, lang: str | None = None) -> str:
        names = self.en if (lang or get_language()) == "en" else self.fr
        (best,) = closest(
            fold_words(self.typed), names, cutoff=0.0, n=1, names=lambda name: [fold_words(name)]
        )
        typed = fold(self.typed)
        plural = typed != fold_words(self.typed) and typed.endswith(("s", "x"))
        return _plural(best) if plural and " " not in best and "_" not in best else best

    def __str__(self) -> str:
        return self.render()


def _names_of(category: str, label: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(French names, English names) of a category a user may type: label, code, short names."""
    fr, en = getattr(label, "fr", None) or category, getattr(label, "en", None) or category
    short = tuple(name for name, readings in CONTEXT_LABELS.items() if readings["computer"] == category)
    return (fr, category, *short), (en, category)


def closest_names(typed: object, labels: Mapping[str, object], n: int = 3) -> list[ClosestName]:
    """The categories closest to a name a user typed, best first, each a :class:`ClosestName`.

    ``labels`` maps every category code to its label (with ``fr`` and ``en``,
    :class:`greenit.factors.labels.Bilingual`). Compared with each category's labels, code,
    short names and keywords; failing any close one, the categories a word of it suggests.
    """
    text = str(typed)[:200]
    keywords: dict[str, list[str]] = {}
    for category, phrases in KEYWORDS:
        keywords.setdefault(category, []).extend(phrases)

    def names(category: str) -> list[str]:
        fr, en = _names_of(category, labels[category])
        return [fold_words(name) for name in dict.fromkeys([*fr, *en, *keywords.get(category, ())])]

    best = closest(fold_words(text), labels, cutoff=NAME_CUTOFF, n=n, names=names)
    if not best:
        best = [c for c in suggest_categories(text, n) if c in labels]
    return [ClosestName(text, *_names_of(c, labels[c])) for c in best]
