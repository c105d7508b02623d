"""Build the bundled sample town: a GLPI-style inventory of a fictional commune.

Belleval-sur-Loire (fictional), about 45,000 inhabitants: town hall, technical services,
schools, a library (médiathèque), social services (CCAS), municipal police. The file is
written the way GLPI 10 exports a search view: ``;`` separated, UTF-8 with BOM, every cell
quoted, DD-MM-YYYY dates, ``Bâtiment > Étage`` locations, ``Ville > Direction`` entities.

Run it again to rebuild the files; it is seeded, so the output is identical each time::

    python examples/make_sample_town.py

It also writes the town's two earlier yearly exports, ``inventaire_glpi_2023.csv`` and
``inventaire_glpi_2024.csv`` (for ``greenit history``), derived from the 2025 one: what the
export held at the end of that year — no device bought later, the devices retired since still
in service, and the older devices that the 2024 and 2025 purchases replaced (GLPI purges a
device once it is disposed of, so they are absent from the 2025 export).

Ratios (documented assumptions; a fictional town, not statistics):

- 1,000 agents, of whom 650 work at a computer; 1.2 computers per such agent, close to the
  530 computers for 450 agents of Caux Seine Agglo (Banque des Territoires, see
  shared/reference/france.md §4), and the 1,200 workstations of Champigny-sur-Marne
  (76,000 inhabitants) scaled to 45,000 inhabitants (about 710).
- Schools: 14 primary schools, about one interactive display per elementary class and
  school tablet fleets (the Green IT "Sprint REEN" 2024 notes mass tablet roll-outs).
- Lifespans: most computers kept 5–8 years; Maurepas kept its PCs from 2015–16 to 2024.
- Earlier years: about two thirds of the workstations, screens, phones and tablets bought in
  2024–2025 replaced a device of the same type bought 7 to 11 years before; a few interactive
  displays replaced a video projector; Wi-Fi access points and the rest are growth.
- A handful of rows carry the defects real exports have (empty type, generic type with an
  unknown model, an unreadable date), so the demo shows how they are flagged.
- Prices: the financial tab's « Valeur » (``Informations financières et administratives -
  Valeur``), written as GLPI writes it by default (``1 049.00``: space thousands, dot decimals)
  and, as a town's general budget keeps its assets, including VAT. Filled for the devices bought
  since 2018 but for about one in ten (the older ones were entered before the financial tab was
  used); two cells carry the typing slips the demo flags (text, thousands typed as units). The
  prices are fictional, like the town — round figures per model, ±10 % per purchase —, drawn
  from their own random stream so that no other column changes; greenit's default prices never
  come from here.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

SEED = 45000
TOWN = "Ville de Belleval"
OUT = Path(__file__).parent / "ville-exemple"

ENTITIES = {
    "Direction générale": ("Hôtel de ville", 40),
    "Ressources humaines": ("Hôtel de ville", 35),
    "Finances et commande publique": ("Hôtel de ville", 40),
    "Population et état civil": ("Hôtel de ville", 45),
    "Services techniques": ("Centre technique municipal", 90),
    "Urbanisme": ("Hôtel de ville", 30),
    "Éducation et écoles": ("Groupe scolaire", 140),
    "Médiathèque": ("Médiathèque Jules Verne", 45),
    "CCAS": ("Maison des solidarités", 60),
    "Police municipale": ("Poste de police", 35),
    "Culture et sports": ("Espace culturel", 40),
    "Systèmes d'information": ("Hôtel de ville", 50),
}

# (Type label, [(manufacturer, model)], years of purchase (first, last))
MODELS = {
    "Ordinateur portable": [
        ("Dell", "Latitude 5440"),
        ("HP", "EliteBook 840 G8"),
        ("Lenovo", "ThinkPad T14 Gen 3"),
        ("Dell", "Latitude 5420"),
    ],
    "Unité centrale": [
        ("Dell", "OptiPlex 7010"),
        ("HP", "EliteDesk 800 G6"),
        ("Lenovo", "ThinkCentre M70q"),
    ],
    "Client léger": [("Dell", "Wyse 5070")],
    "Écran": [("Dell", "P2422H"), ("iiyama", "ProLite XUB2493HS"), ("HP", "E24 G5")],
    "Imprimante": [("HP", "LaserJet Pro M404dn"), ("Brother", "HL-L6250DN")],
    "Copieur multifonction": [("Ricoh", "IM C3000"), ("Canon", "imageRUNNER ADVANCE C3826i")],
    "Smartphone": [("Samsung", "Galaxy A54"), ("Apple", "iPhone SE (2022)")],
    "Tablette": [("Apple", "iPad 9e génération"), ("Samsung", "Galaxy Tab A8")],
    "Vidéoprojecteur": [("Epson", "EB-W51")],
    "Écran numérique interactif": [("Speechi", "SPE-75-UHD"), ("Promethean", "ActivPanel 9")],
    "Serveur": [("Dell", "PowerEdge R650"), ("HPE", "ProLiant DL380 Gen10")],
    "Baie de stockage": [("Synology", "RS1221+")],
    "Switch": [("Aruba", "2930F 48G"), ("Cisco", "Catalyst 9200-24T")],
    "Borne Wi-Fi": [("Aruba", "AP-515"), ("Ubiquiti", "UniFi U6 Pro")],
    "Pare-feu": [("Stormshield", "SN710")],
    "Onduleur": [("APC", "Smart-UPS 1500"), ("Eaton", "5PX 2200")],
    "Téléphone IP": [("Alcatel-Lucent", "8028s"), ("Yealink", "T54W")],
    "Routeur": [("Cisco", "ISR 1100")],
    "Box internet": [("Orange", "Livebox Pro")],
}

#: Devices per entity or for the whole town: (Type, count, first year, last year)
PER_AGENT = [
    ("Ordinateur portable", 0.45),
    ("Unité centrale", 0.55),
    ("Écran", 0.75),
    ("Téléphone IP", 0.6),
    ("Smartphone", 0.3),
]
TOWN_WIDE = [
    ("Client léger", 60, 2018, 2021),
    ("Imprimante", 60, 2014, 2024),
    ("Copieur multifonction", 25, 2017, 2024),
    ("Vidéoprojecteur", 30, 2013, 2023),
    ("Serveur", 18, 2016, 2024),
    ("Baie de stockage", 3, 2019, 2023),
    ("Switch", 45, 2014, 2024),
    ("Borne Wi-Fi", 80, 2017, 2025),
    ("Pare-feu", 2, 2021, 2021),
    ("Onduleur", 12, 2015, 2023),
    ("Routeur", 4, 2019, 2019),
    ("Box internet", 15, 2020, 2024),
]
SCHOOLS = [
    ("Tablette", 300, 2016, 2024),
    ("Écran numérique interactif", 110, 2017, 2025),
    ("Ordinateur portable", 90, 2015, 2022),
]
SCHOOL_NAMES = [
    "École Jean Moulin",
    "École Marie Curie",
    "École Jules Ferry",
    "École Louise Michel",
    "École Victor Hugo",
    "École Simone Veil",
    "École du Parc",
    "École des Tilleuls",
    "École Paul Bert",
    "École Condorcet",
    "École Jean Jaurès",
    "École Pasteur",
    "École Prévert",
    "École Camus",
]
IT_ROOMS = {"Serveur", "Baie de stockage", "Switch", "Pare-feu", "Onduleur", "Routeur"}
#: The financial tab's value column (GLPI search option 54, prefixed by its group's name).
VALUE = "Informations financières et administratives - Valeur"
#: Fictional price of a device of each type, € incl. VAT (see the module docstring).
PRICES = {
    "Ordinateur portable": 1100,
    "Unité centrale": 800,
    "Client léger": 350,
    "Écran": 180,
    "Imprimante": 350,
    "Copieur multifonction": 4500,
    "Smartphone": 420,
    "Tablette": 400,
    "Vidéoprojecteur": 700,
    "Écran numérique interactif": 3000,
    "Serveur": 7000,
    "Baie de stockage": 9000,
    "Switch": 1800,
    "Borne Wi-Fi": 450,
    "Pare-feu": 5000,
    "Onduleur": 900,
    "Téléphone IP": 150,
    "Routeur": 1200,
    "Box internet": 0,  # the operator's, in its subscription: GLPI writes 0.00, no value
}


def _date_between(rng: random.Random, first: int, last: int) -> date:
    start = date(first, 1, 1)
    days = (date(last, 12, 31) - start).days
    return start + timedelta(days=rng.randint(0, days))


def _status(rng: random.Random, bought: date) -> str:
    age = 2025 - bought.year
    roll = rng.random()
    if age >= 9 and roll < 0.35:
        return "Réformé"
    if 5 <= age < 9 and roll < 0.08:
        # retired before 10 years: some already given to a réemploi association
        return "Réemploi (don association)" if roll < 0.03 else "Réformé"
    if roll < 0.05:
        return "En stock"
    if roll < 0.07:
        return "En réparation"
    return "En service"


def build_rows(seed: int = SEED) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    counter: dict[str, int] = {}

    def add(kind: str, entity: str, place: str, first: int, last: int) -> None:
        manufacturer, model = rng.choice(MODELS[kind])
        bought = _date_between(rng, first, last)
        prefix = "".join(w[0] for w in kind.replace("-", " ").split()).upper()
        counter[prefix] = counter.get(prefix, 0) + 1
        refurbished = (
            kind in ("Ordinateur portable", "Smartphone", "Écran")
            and bought.year >= 2023
            and rng.random() < 0.25
        )
        rows.append(
            {
                "Nom": f"{prefix}-{counter[prefix]:04d}",
                "Entité": f"{TOWN} > {entity}",
                "Statut": _status(rng, bought),
                "Fabricant": manufacturer,
                "Modèle": model,
                "Type": kind,
                "Lieu": place,
                "Date d'achat": bought.strftime("%d-%m-%Y"),
                "Numéro de série": f"{rng.randrange(16**8):08X}",
                "Reconditionné": "Oui" if refurbished else "Non",
            }
        )

    for entity, (building, agents) in ENTITIES.items():
        with_computer = round(agents * 0.65)
        for kind, ratio in PER_AGENT:
            first, last = (2016, 2025) if kind != "Smartphone" else (2020, 2025)
            for _ in range(
                round(
                    with_computer * ratio * 1.2
                    if kind in ("Ordinateur portable", "Unité centrale")
                    else with_computer * ratio
                )
            ):
                floor = rng.choice(["RDC", "Étage 1", "Étage 2"])
                add(kind, entity, f"{building} > {floor}", first, last)
    for kind, count, first, last in TOWN_WIDE:
        for _ in range(count):
            if kind in IT_ROOMS:
                entity, place = "Systèmes d'information", "Hôtel de ville > Salle serveurs"
            elif kind == "Client léger":
                entity, place = "Médiathèque", "Médiathèque Jules Verne > Espace public"
            else:
                entity = rng.choice(list(ENTITIES))
                place = f"{ENTITIES[entity][0]} > RDC"
            add(kind, entity, place, first, last)
    for kind, count, first, last in SCHOOLS:
        for _ in range(count):
            add(kind, "Éducation et écoles", f"{rng.choice(SCHOOL_NAMES)} > Classes", first, last)

    # what real exports contain: the demo shows how each is handled
    rows[3]["Type"] = ""  # empty type, known model line: decided by the model
    rows[10]["Type"] = "Ordinateur"
    rows[10]["Modèle"] = "Modèle inconnu X1"  # generic type, unknown model: flagged
    rows[25]["Date d'achat"] = "31-02-2019"  # impossible date: flagged
    rows[40]["Type"] = "Machine à café connectée"  # not IT equipment: flagged
    add_values(rows, seed)
    return rows


def glpi_number(value: float) -> str:
    """A number as GLPI writes it by default: ``1 049.00`` (space thousands, dot decimals)."""
    return f"{value:,.2f}".replace(",", " ")


def add_values(rows: list[dict[str, str]], seed: int = SEED) -> None:
    """The financial tab's « Valeur » of each row, from its own random stream (no other column
    changes): devices bought since 2018 but about one in ten, two typing slips.
    """
    rng = random.Random(f"{seed}-prices")
    for row in rows:
        bought = _year(row)
        price = PRICES.get(row["Type"])
        missing = rng.random() < 0.1
        factor = rng.uniform(0.9, 1.1)
        if price is None or bought is None or bought < 2018 or missing:
            row[VALUE] = ""
            continue
        row[VALUE] = glpi_number(round(price * factor))
    slips = [i for i, row in enumerate(rows) if row["Type"] == "Ordinateur portable" and row[VALUE]]
    rows[slips[3]][VALUE] = "à saisir"  # text where a price was expected: flagged, not used
    rows[slips[7]][VALUE] = "1.10"  # 1 100 typed as 1.10: implausible for a laptop, not used


def write_glpi_csv(rows: list[dict[str, str]], path: Path) -> None:
    r"""GLPI's CSV export: BOM, ';', every cell quoted, '\\n' line ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(
            handle,
            fieldnames=list(rows[0]),
            delimiter=";",
            quoting=csv.QUOTE_ALL,
            lineterminator="\n",
        )
        writer.writeheader()
        writer.writerows(rows)


#: The exports of earlier years (``greenit history``): derived from the 2025 one.
EARLIER_YEARS = (2023, 2024)
LAST_YEAR = 2025
#: Types whose 2024–2025 purchases partly replaced an older device of the same type; what
#: replaced what else (an interactive display a video projector).
RENEWED = {
    "Ordinateur portable": 0.7,
    "Unité centrale": 0.7,
    "Écran": 0.6,
    "Smartphone": 0.6,
    "Téléphone IP": 0.7,
    "Tablette": 0.5,
    "Imprimante": 0.8,
    "Copieur multifonction": 0.8,
    "Switch": 0.6,
    "Écran numérique interactif": 0.4,
}
REPLACED_TYPE = {"Écran numérique interactif": "Vidéoprojecteur"}
RETIRED = ("Réformé", "Réemploi (don association)")


def _year(row: dict[str, str]) -> int | None:
    try:
        return int(row["Date d'achat"][-4:])
    except ValueError:
        return None


def _history(
    rows: list[dict[str, str]], seed: int
) -> tuple[dict[str, int], list[tuple[int, dict[str, str]]]]:
    """When each device retired by 2025 left service; the devices the 2024–2025 purchases replaced
    (each with the year its successor was bought). Drawn once, so the three years agree.
    """
    rng = random.Random(f"{seed}-history")
    retired_in = {
        row["Nom"]: rng.choice((2023, 2024, 2024, 2025, 2025)) for row in rows if row["Statut"] in RETIRED
    }
    numbers: dict[str, int] = {}
    for row in rows:
        prefix, number = row["Nom"].rsplit("-", 1)
        numbers[prefix] = max(numbers.get(prefix, 0), int(number))
    replaced = []
    for row in rows:
        bought = _year(row)
        if bought is None or bought <= LAST_YEAR - 2 or rng.random() >= RENEWED.get(row["Type"], 0.0):
            continue
        kind = REPLACED_TYPE.get(row["Type"], row["Type"])
        manufacturer, model = rng.choice(MODELS[kind])
        prefix = "".join(w[0] for w in kind.replace("-", " ").split()).upper()
        numbers[prefix] = numbers.get(prefix, 0) + 1
        age = rng.randint(7, 11)
        old = dict(row, Type=kind, Fabricant=manufacturer, Modèle=model, Statut="En service")
        old["Nom"] = f"{prefix}-{numbers[prefix]:04d}"
        old["Date d'achat"] = _date_between(rng, bought - age, bought - age).strftime("%d-%m-%Y")
        old["Numéro de série"] = f"{rng.randrange(16**8):08X}"
        old["Reconditionné"] = "Non"
        old[VALUE] = ""  # bought 7 to 11 years before: entered without its value
        replaced.append((bought, old))
    return retired_in, replaced


def rows_in_year(rows: list[dict[str, str]], year: int, seed: int = SEED) -> list[dict[str, str]]:
    """The export as it stood at the end of ``year`` (before 2025), from the 2025 rows."""
    retired_in, replaced = _history(rows, seed)
    kept = []
    for row in rows:
        bought = _year(row)
        if bought is not None and bought > year:
            continue  # not bought yet
        if retired_in.get(row["Nom"], 0) > year:
            row = dict(row, Statut="En service")  # retired later: still in service that year
        kept.append(row)
    return kept + [old for successor, old in replaced if successor > year]


AI_RUNS = """\
Identifiant;Projet;Phase;Début;Durée;Accélérateur;Nombre d'accélérateurs;Utilisation (%);PUE;Localisation;Requêtes
ft-courrier-01;Tri du courrier entrant;fine-tuning;12-02-2025 09:00;6 h;A100 SXM 80GB;1;85;1,2;FRA;
ft-courrier-02;Tri du courrier entrant;fine-tuning;03-03-2025 14:00;9,5 h;A100 SXM 80GB;1;80;1,2;FRA;
eval-courrier;Tri du courrier entrant;evaluation;04-03-2025 10:00;40 min;A100 SXM 80GB;1;60;1,2;FRA;
ocr-archives-2024;Numérisation des archives;inference;2025-01-06;120 h;L4;2;70;1,3;ovh-gra;185000
chatbot-mairie-t1;Assistant citoyen;inference;01-01-2025;2 160 h;L40S;1;35;1,3;scaleway-fr-par;96000
train-classif-doc;Tri du courrier entrant;training;20-01-2025 08:00;2 jours;A100 SXM 80GB;4;90;1,2;FRA;
"""


def main() -> None:
    rows = build_rows()
    write_glpi_csv(rows, OUT / "inventaire_glpi.csv")
    for year in EARLIER_YEARS:
        earlier = rows_in_year(rows, year)
        write_glpi_csv(earlier, OUT / f"inventaire_glpi_{year}.csv")
        print(f"{len(earlier)} equipment rows at the end of {year} → {OUT / f'inventaire_glpi_{year}.csv'}")
    (OUT / "journal_ia.csv").write_text(AI_RUNS, encoding="utf-8")
    print(f"{len(rows)} equipment rows → {OUT / 'inventaire_glpi.csv'}")


if __name__ == "__main__":
    main()
