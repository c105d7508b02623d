"""The natures of services a town buys, and the words people write for them (French, English).

A nature decides which factors of ``services.csv`` apply (``saas``, ``cloud``, ``hosting``,
``it_services``, ``telecom_mobile``, ``telecom_fixed``) and which BEGES item the line belongs to:
services bought are poste 4.5 (achats de services); ``consumables`` (toner and ink the town
buys) are poste 4.1 (achats de biens), counted instead of the printers' own estimate.
"""

from __future__ import annotations

from greenit.parsing.text import fold

#: Nature → the words that name it, folded (accents, case and punctuation ignored).
NATURE_WORDS: dict[str, tuple[str, ...]] = {
    "saas": (
        "saas",
        "logiciel en ligne",
        "logiciel saas",
        "logiciel en mode saas",
        "abonnement logiciel",
        "logiciel",
        "software as a service",
        "online software",
        "software subscription",
        "software",
    ),
    "cloud": (
        "cloud",
        "nuage",
        "informatique en nuage",
        "cloud public",
        "iaas",
        "paas",
        "stockage en ligne",
        "sauvegarde en ligne",
        "sauvegarde externalisee",
        "cloud computing",
        "public cloud",
        "online storage",
        "online backup",
    ),
    "hosting": (
        "hebergement",
        "hebergeur",
        "centre de donnees",
        "datacenter",
        "data center",
        "colocation",
        "hosting",
        "hosted",
        "web hosting",
    ),
    "it_services": (
        "services informatiques",
        "prestations informatiques",
        "prestation informatique",
        "infogerance",
        "maintenance informatique",
        "tierce maintenance applicative",
        "tma",
        "developpement",
        "it services",
        "managed services",
        "it support",
    ),
    "telecom_mobile": (
        "telecom mobile",
        "telephonie mobile",
        "mobile",
        "lignes mobiles",
        "forfaits mobiles",
        "forfait mobile",
        "donnees mobiles",
        "mobile telephony",
        "mobile lines",
        "mobile phone",
        "mobile data",
    ),
    "telecom_fixed": (
        "telecom fixe",
        "telephonie fixe",
        "fixe",
        "internet",
        "acces internet",
        "fibre",
        "lien fibre",
        "fibre optique",
        "adsl",
        "vdsl",
        "lignes fixes",
        "fixed line",
        "fixed telephony",
        "broadband",
        "internet access",
        "fibre access",
        "fiber",
    ),
    "consumables": (
        "consommables",
        "consommables d impression",
        "toner",
        "toners",
        "encre",
        "cartouches",
        "cartouches d encre",
        "cartouches de toner",
        "consumables",
        "printing consumables",
        "ink",
        "toner cartridges",
        "ink cartridges",
    ),
}
#: The nature whose lines are purchases of goods (BEGES poste 4.1), not services (poste 4.5).
CONSUMABLES = "consumables"
POSTES = {CONSUMABLES: "4.1"}
SERVICES_POSTE = "4.5"

_LOOKUP = {fold(word): nature for nature, words in NATURE_WORDS.items() for word in (nature, *words)}
_LOOKUP |= {fold(nature.replace("_", " ")): nature for nature in NATURE_WORDS}


def nature_of(label: object) -> str | None:
    """The nature a person's word names, or None.

    The whole label first (« Téléphonie mobile »), then its longest known phrase
    (« Forfaits mobiles 5G » → telecom_mobile).

    >>> nature_of("Téléphonie mobile"), nature_of("SaaS"), nature_of("Hébergement du logiciel métier")
    ('telecom_mobile', 'saas', 'hosting')
    >>> nature_of("telecom_fixed"), nature_of("café") is None
    ('telecom_fixed', True)
    """
    folded = fold(label) if isinstance(label, str) else ""
    if not folded:
        return None
    if folded in _LOOKUP:
        return _LOOKUP[folded]
    padded = f" {folded} "
    found = [(len(word), nature) for word, nature in _LOOKUP.items() if f" {word} " in padded]
    return max(found)[1] if found else None


def poste_of(nature: str) -> str:
    """The BEGES item of a line: 4.1 for consumables bought, 4.5 for services."""
    return POSTES.get(nature, SERVICES_POSTE)
