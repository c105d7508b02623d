"""Header aliases → canonical columns, for inventories and AI workload logs.

Headers are matched after folding (case, accents, punctuation ignored). A unit may sit in
the header, in brackets or parentheses: ``Puissance (W)``, ``power [kW]``, ``Conso (kWh/an)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from greenit.text import fold

INVENTORY_ALIASES: dict[str, list[str]] = {
    "category": [
        "category",
        "categorie",
        "type",
        "type d equipement",
        "type equipement",
        "equipment type",
        "device type",
        "famille",
        "nature",
    ],
    # GLPI's global views name the kind of asset (Ordinateur, Moniteur, Imprimante…): used when
    # Type and Modèle do not tell
    "item_type": [
        "type d element",
        "type d objet",
        "itemtype",
        "item type",
        "element",
        "type d actif",
        "asset type",
    ],
    "name": [
        "nom",
        "name",
        "nom equipement physique",
        "nomequipementphysique",
        "hostname",
        "nom de l equipement",
        "asset name",
    ],
    "quantity": ["quantite", "quantity", "qty", "qte", "nombre", "nb", "count", "units"],
    "manufacturer": ["fabricant", "manufacturer", "marque", "brand", "constructeur", "vendor"],
    "model": ["modele", "model", "reference", "modele de l equipement"],
    "entity": [
        "entite",
        "entity",
        "direction",
        "service",
        "departement",
        "department",
        "pole",
        "nom entite",
        "nomentite",
        "groupe",
        "group",
        "organisation",
    ],
    "site": [
        "lieu",
        "site",
        "location",
        "localisation",
        "batiment",
        "building",
        "nom court datacenter",
        "nomcourtdatacenter",
    ],
    "status": ["statut", "status", "etat", "state"],
    "purchase_date": [
        "date d achat",
        "purchase date",
        "date achat",
        "dateachat",
        "bought",
        "date de mise en service",
        "date mise en service",
        "in service date",
        "commissioning date",
        "date de livraison",
        "delivery date",
    ],
    "retirement_date": [
        "date de retrait",
        "dateretrait",
        "retirement date",
        "date de reforme",
        "disposal date",
    ],
    "lifespan_years": [
        "duree de vie",
        "lifespan",
        "lifetime",
        "duree d amortissement",
        "depreciation period",
        "life",
        "duree de vie ans",
        "lifespan years",
    ],
    "power_w": [
        "puissance",
        "power",
        "puissance moyenne",
        "average power",
        "power w",
        "puissance w",
        "watts",
    ],
    "annual_kwh": [
        "consommation annuelle",
        "conso annuelle",
        "consoelecannuelle",
        "conso elec annuelle",
        "annual energy",
        "annual consumption",
        "energie annuelle",
        "yearly energy",
        "annual kwh",
        "consommation",
    ],
    "use_hours_per_year": [
        "heures d utilisation",
        "heures d usage",
        "use hours",
        "hours per year",
        "heures par an",
        "usage hours",
        "duree d utilisation",
        "utilisation",
        "use time",
    ],
    "country": [
        "pays",
        "country",
        "pays d utilisation",
        "paysdutilisation",
        "country code",
        "code pays",
    ],
    "refurbished": [
        "reconditionne",
        "refurbished",
        "reconditionnement",
        "occasion",
        "seconde main",
        "second hand",
        "used",
    ],
    "manufacture_kgco2e": [
        "empreinte fabrication",
        "fabrication",
        "manufacture",
        "manufacture kgco2e",
        "pcf",
        "embodied",
        "embodied carbon",
        "empreinte carbone fabrication",
        "impact fabrication",
    ],
}

#: When two headers map to one column, the earlier alias in the list wins (Date d'achat over
#: Date de mise en service); the later header is kept under its own name and ignored.

_UNIT_IN_HEADER = re.compile(r"^(.*?)[\s_]*[\(\[]\s*([^\)\]]+?)\s*[\)\]]\s*$")


_TRAILING_UNITS = {
    "w": "W",
    "kw": "kW",
    "kwh": "kWh",
    "mwh": "MWh",
    "h": "hour",
    "ans": "year",
    "years": "year",
    "kg": "kg",
    "kgco2e": "kg",
    "gco2e": "g",
    "gb": "GB",
    "go": "GB",
    "s": "second",
    "min": "minute",
    "j": "day",
    "days": "day",
    "jours": "day",
}


@dataclass(frozen=True)
class HeaderMatch:
    header: str  # as in the file
    column: str  # canonical name
    unit: str | None  # unit read in the header, if any
    rank: int  # position of the alias (lower wins)


def split_header_unit(header: str) -> tuple[str, str | None]:
    """``"Puissance (W)"`` → ``("Puissance", "W")``; ``"Nom"`` → ``("Nom", None)``."""
    match = _UNIT_IN_HEADER.match(header.strip())
    if match and match.group(1).strip():
        return match.group(1).strip(), match.group(2).strip()
    return header.strip(), None


def map_headers(headers: list[str], aliases: dict[str, list[str]]) -> dict[str, HeaderMatch]:
    """Canonical column → the header that provides it (with its unit).

    Headers that match nothing are left out; the caller keeps them in the raw frame.
    """
    lookup: dict[str, tuple[str, int]] = {}
    for column, names in aliases.items():
        for rank, alias in enumerate(names):
            lookup.setdefault(fold(alias), (column, rank))
    found: dict[str, HeaderMatch] = {}
    for header in headers:
        if header in ("file", "row"):
            continue
        name, unit = split_header_unit(header)
        key = fold(name)
        hit = lookup.get(key) or lookup.get(fold(header))
        if hit is None and unit is None:
            # "Puissance W", "power_kw": a trailing unit word without brackets
            parts = key.rsplit(" ", 1)
            if len(parts) == 2 and parts[0] in lookup and parts[1] in _TRAILING_UNITS:
                hit, unit = lookup[parts[0]], _TRAILING_UNITS[parts[1]]
        if hit is None:
            continue
        column, rank = hit
        if column not in found or rank < found[column].rank:
            found[column] = HeaderMatch(header=header, column=column, unit=unit, rank=rank)
    return found


def header_filter(aliases: dict[str, list[str]]):
    """A predicate saying whether a header maps to one of the canonical columns (for usecols)."""

    def keep(header: str) -> bool:
        return bool(map_headers([header], aliases))

    return keep
