"""Country names and codes as users write them → ISO 3166 alpha-3."""

from __future__ import annotations

import pandas as pd

from greenit.parsing.text import fold

COUNTRY_NAMES = {
    "france": "FRA",
    "allemagne": "DEU",
    "germany": "DEU",
    "belgique": "BEL",
    "belgium": "BEL",
    "espagne": "ESP",
    "spain": "ESP",
    "italie": "ITA",
    "italy": "ITA",
    "suisse": "CHE",
    "switzerland": "CHE",
    "royaume uni": "GBR",
    "united kingdom": "GBR",
    "uk": "GBR",
    "pays bas": "NLD",
    "netherlands": "NLD",
    "luxembourg": "LUX",
    "portugal": "PRT",
    "irlande": "IRL",
    "ireland": "IRL",
    "suede": "SWE",
    "sweden": "SWE",
    "norvege": "NOR",
    "norway": "NOR",
    "pologne": "POL",
    "poland": "POL",
    "autriche": "AUT",
    "austria": "AUT",
    "etats unis": "USA",
    "united states": "USA",
    "usa": "USA",
    "us": "USA",
    "canada": "CAN",
    "chine": "CHN",
    "china": "CHN",
    "inde": "IND",
    "india": "IND",
    "japon": "JPN",
    "japan": "JPN",
    "monde": "WOR",
    "world": "WOR",
    "fr": "FRA",
    "de": "DEU",
    "be": "BEL",
    "es": "ESP",
    "it": "ITA",
    "ch": "CHE",
    "gb": "GBR",
    "nl": "NLD",
    "lu": "LUX",
    "pt": "PRT",
    "ie": "IRL",
    "se": "SWE",
    "no": "NOR",
    "pl": "POL",
    "at": "AUT",
    "ca": "CAN",
    "cn": "CHN",
    "in": "IND",
    "jp": "JPN",
    "dk": "DNK",
    "danemark": "DNK",
    "denmark": "DNK",
    "fi": "FIN",
    "finlande": "FIN",
    "finland": "FIN",
    "gr": "GRC",
    "grece": "GRC",
    "greece": "GRC",
    "cz": "CZE",
    "tchequie": "CZE",
    "czechia": "CZE",
    "ro": "ROU",
    "roumanie": "ROU",
    "romania": "ROU",
    "hu": "HUN",
    "hongrie": "HUN",
    "hungary": "HUN",
}


def country_code(label: object, known: set[str]) -> str | None:
    """'France', 'FR', 'fra' → 'FRA'; None when not recognised."""
    if label is None or label is pd.NA:
        return None
    text = str(label).strip()
    if text.upper() in known:
        return text.upper()
    return COUNTRY_NAMES.get(fold(text))
