"""Header aliases of inventory files → canonical inventory columns (FR, EN, and each format's).

The spellings only one export format writes are that format's
(:mod:`greenit.parsing.formats`: GLPI's item types, G4IT's and NumEcoEval's camelCase headers),
added here after the generic ones.

Headers are matched on their words by :func:`greenit.parsing.headers.match_headers` (case,
accents, punctuation, plurals, camelCase and little words ignored; GLPI's ``<tab> - `` prefixes
dropped where they only name the financial tab). An alias may carry the unit its column is
written in when the header says none, in brackets (``"temps [hour]"``).
"""

from __future__ import annotations

from greenit.parsing.formats import with_format_aliases

GENERIC_ALIASES: dict[str, list[str]] = {
    "category": [
        "category",
        "categorie",
        "type",
        "type d equipement",
        "type equipement",
        "type de materiel",
        "type de peripherique",
        "equipment type",
        "device type",
        "hardware type",
        "asset category",
        "famille",
        "nature",
    ],
    # GLPI's global views name the kind of asset (Ordinateur, Moniteur, Imprimante…): used when
    # Type and Modèle do not tell; spelt as GLPI does (parsing.formats.glpi)
    "item_type": [],
    "name": [
        "nom",
        "name",
        "hostname",
        "nom de l equipement",
        "asset name",
        "device name",
        "computer name",
        "nom du poste",
    ],
    # the device's own identity: the same serial number in two files is the same device, counted
    # once (greenit.inventory.duplicates)
    "serial": [
        "numero de serie",
        "numero serie",
        "n de serie",
        "no de serie",
        "serial number",
        "serial",
        "serialnumber",
        "serial no",
        "sn",
    ],
    "quantity": [
        "quantite",
        "quantity",
        "qty",
        "qte",
        "nombre",
        "nb",
        "count",
        "units",
        "nombre d equipements",
        "number of devices",
    ],
    "manufacturer": ["fabricant", "manufacturer", "marque", "brand", "constructeur", "vendor", "make"],
    "model": [
        "modele",
        "model",
        "reference",
        "modele de l equipement",
        "marque modele",
        "brand model",
        "model name",
        "designation",
    ],
    "entity": [
        "entite",
        "entity",
        "direction",
        "service",
        "departement",
        "department",
        "pole",
        "nom entite",
        "groupe",
        "group",
        "organisation",
        "business unit",
        "affectation",
    ],
    "site": [
        "lieu",
        "site",
        "location",
        "localisation",
        "batiment",
        "building",
        "emplacement",
    ],
    "status": ["statut", "status", "etat", "state", "etat de l equipement", "statut de l equipement"],
    "purchase_date": [
        "date d achat",
        "purchase date",
        "date of purchase",
        "bought",
        "annee d achat",
        "purchase year",
        "year of purchase",
        "date d acquisition",
        "acquisition date",
        "date de mise en service",
        "in service date",
        "startup date",
        "commissioning date",
        "date de livraison",
        "delivery date",
    ],
    "retirement_date": [
        "date de retrait",
        "retirement date",
        "date de reforme",
        "decommission date",
        "disposal date",
        "date de sortie",
    ],
    "lifespan_years": [
        "duree de vie",
        "lifespan",
        "lifetime",
        "life",
        "useful life",
        "service life",
        "duree d utilisation",
        "duree de vie estimee",
        "expected lifetime",
    ],
    # the accounting amortisation period: the lifespan of the amortised method (BEGES poste 4.2)
    "amortisation_years": [
        "duree d amortissement",
        "amortization duration",
        "amortisation period",
        "depreciation period",
        "depreciation years",
        "duree amortissement comptable",
    ],
    # the device's lives before the organisation (first owner) and after it, in years, as
    # NumEcoEval gives them (parsing.formats.g4it)
    "upstream_use_years": [],
    "downstream_use_years": [],
    # the PUE of the room the device sits in (a server room): its own, or the site's on every row
    "pue": [
        "pue",
        "pue de la salle",
        "pue salle serveur",
        "pue du site",
        "site pue",
        "room pue",
        "power usage effectiveness",
        "indicateur d efficacite energetique",
    ],
    "power_w": ["puissance", "power", "puissance moyenne", "average power", "watts", "puissance electrique"],
    "annual_kwh": [
        "consommation annuelle",
        "conso annuelle",
        "conso elec annuelle",
        "consommation electrique annuelle",
        "annual energy",
        "annual consumption",
        "energie annuelle",
        "yearly energy",
        "annual kwh",
        "consommation",
    ],
    "use_hours_per_year": [
        "heures d utilisation",
        "heures d utilisation par an",
        "heures d usage",
        "heures par an",
        "use hours",
        "hours of use",
        "hours per year",
        "usage hours",
        "annual hours",
        "utilisation",
        "use time",
    ],
    # G4IT's documentation template: days of use per year
    "use_days_per_year": [
        "jours d utilisation par an",
        "nombre de jours d utilisation",
        "days of use per year",
        "days per year",
    ],
    "country": [
        "pays",
        "country",
        "pays d utilisation",
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
    # money (greenit.inventory.prices): the price of one device, as GLPI (« Valeur »), Snipe-IT
    # (« Purchase Cost », « Prix d'achat », « Coût ») and spreadsheets name it; HT or TTC may
    # follow (« Prix HT », « Prix unitaire (€ TTC) »): read by the price reader, not as a unit
    "unit_price_eur": [
        "prix unitaire",
        "prix d achat",
        "valeur",
        "valeur d achat",
        "prix",
        "cout",
        "cout unitaire",
        "cout d achat",
        "montant unitaire",
        "tarif",
        "prix ht",
        "prix ttc",
        "valeur ht",
        "valeur ttc",
        "cout ht",
        "cout ttc",
        "purchase cost",
        "purchase price",
        "unit price",
        "unit cost",
        "price",
        "cost",
        "value",
        "purchase value",
    ],
    # a line's total (« Montant total », « Total HT »): divided by the row's quantity
    "total_price_eur": [
        "montant total",
        "prix total",
        "cout total",
        "valeur totale",
        "total ht",
        "total ttc",
        "montant ht",
        "montant ttc",
        "montant",
        "line total",
        "total cost",
        "total price",
        "total amount",
        "amount",
    ],
}

#: Every spelling, the formats' own after the generic ones (GLPI's item types, G4IT's camelCase).
INVENTORY_ALIASES = with_format_aliases(GENERIC_ALIASES, "inventory")

#: When two headers map to one column, the earlier alias in the list wins (Date d'achat over
#: Date de mise en service); the later header is reported as ignored, naming the one used.

#: Canonical unit of each quantity column (pint spelling).
QUANTITY_UNITS: dict[str, str] = {
    "quantity": "dimensionless",
    "lifespan_years": "year",
    "amortisation_years": "year",
    "upstream_use_years": "year",
    "downstream_use_years": "year",
    "power_w": "W",
    "annual_kwh": "kWh/year",
    "use_hours_per_year": "hour/year",
    "use_days_per_year": "day/year",
    "manufacture_kgco2e": "kg",
    "pue": "dimensionless",
}

#: A header's unit may say it is another column than its words: ``Durée d'utilisation (ans)`` is
#: a lifespan, ``Durée d'utilisation (h/an)`` hours of use, ``Utilisation (%)`` a rate.
UNIT_REDIRECTS: dict[str, tuple[str, ...]] = {
    "lifespan_years": ("use_hours_per_year",),
    "use_hours_per_year": ("lifespan_years",),
    "use_days_per_year": ("use_hours_per_year",),
}

#: Physically sensible bounds of each quantity column [its canonical unit]: a value outside is
#: a typing or unit mistake (``1e309``, a lifespan of 500 years), flagged rather than used.
BOUNDS: dict[str, tuple[float, float]] = {
    "quantity": (0, 1_000_000),
    "lifespan_years": (0, 50),
    "amortisation_years": (0, 50),
    "upstream_use_years": (0, 50),
    "downstream_use_years": (0, 50),
    "power_w": (0, 100_000),
    "annual_kwh": (0, 1_000_000),
    "use_hours_per_year": (0, 8784),
    "use_days_per_year": (0, 366),
    "manufacture_kgco2e": (0, 1_000_000),
    "pue": (1, 5),  # below 1 is impossible; above 5, no room in any survey
}
