"""GLPI asset lists (Parc → Ordinateurs, Moniteurs, Imprimantes…, « Exporter » → CSV or XLSX).

How GLPI writes them (read in GLPI's own code; ``tests/fixtures/real/README.md`` gives the
commits): GLPI 9.x–10.0 writes a UTF-8 BOM, quotes every cell and ends every line with the
delimiter (``;`` by default: a standard CSV reader sees one empty unnamed last column, which is
no column, :mod:`greenit.parsing.delimited`); GLPI 11 writes no BOM and no trailing delimiter.
Dates follow the user's preference (``DD-MM-YYYY`` by default), numbers may carry NBSP
thousands separators, a location is a path (``Bâtiment > Étage``), a durée d'amortissement is
``5 ans`` (``0 an`` for one never filled: no period).

GLPI prefixes a field of a search-option group with the group's name and `` - ``
(``Informations financières et administratives - Date d'achat``): the prefix is dropped for the
groups that describe the asset itself (:data:`ASSET_GROUPS`), kept for the others
(``Système d'exploitation - Nom`` is not the device's name). The global « Tous les actifs » view
names the kind of each asset (``Type d'élément`` : Ordinateur, Moniteur…), read where Type and
Modèle do not tell.
"""

from __future__ import annotations

from greenit.parsing.formats import Format

#: Search-option groups whose fields describe the asset itself: their prefix is dropped (FR, EN).
ASSET_GROUPS = frozenset(
    {
        "informations financieres et administratives",
        "financial and administrative information",
        "financial and administratives information",
        "gestion",
        "management",
        "infocom",
    }
)

#: The headers of GLPI's default exports, as greenit reads them (a test checks each).
HEADERS = {
    "Nom": "name",
    "Entité": "entity",
    "Statut": "status",
    "Fabricant": "manufacturer",
    "Type": "category",
    "Modèle": "model",
    "Lieu": "site",
    "Type d'élément": "item_type",
    "Informations financières et administratives - Date d'achat": "purchase_date",
    "Informations financières et administratives - Durée d'amortissement": "amortisation_years",
    "Informations financières et administratives - Date de réforme": "retirement_date",
    "Informations financières et administratives - Valeur": "unit_price_eur",
    "Date d'achat": "purchase_date",
    "Durée d'amortissement": "amortisation_years",
    "Valeur": "unit_price_eur",
}

#: Spellings only GLPI writes: the kind of asset of its global views.
ALIASES = {
    "item_type": [
        "type d element",
        "type d objet",
        "itemtype",
        "item type",
        "element",
        "type d actif",
        "asset type",
    ],
}


def recognises(headers: list[str]) -> bool:
    """A GLPI export: its Entité and Statut columns, or a field of one of its asset groups."""
    from greenit.parsing.text import fold

    folded = {fold(h) for h in headers}
    prefixed = any(fold(h.partition(" - ")[0]) in ASSET_GROUPS for h in headers if " - " in h)
    return prefixed or {"entite", "statut"} <= folded


FORMATS = (
    Format(
        key="glpi",
        name="GLPI 9.5–11 asset lists",
        kind="inventory",
        files="CSV (`;`, UTF-8 with or without BOM), XLSX, SYLK (GLPI 9's default)",
        recognised_by="its headers: `Entité`, `Statut`, fields prefixed by their GLPI group "
        "(`Informations financières et administratives - Date d'achat`)",
        headers=HEADERS,
        aliases=ALIASES,
        fixtures=(
            "glpi10_allassets_fr.csv",
            "glpi10_computers_fr.csv",
            "glpi10_computers_fr_noprefix.csv",
            "glpi10_computers_valeur_fr.csv",
            "glpi10_monitors_fr.csv",
            "glpi10_network_fr.csv",
            "glpi11_phones_fr.csv",
            "glpi95_printers_fr.csv",
        ),
        recognises=recognises,
    ),
)
