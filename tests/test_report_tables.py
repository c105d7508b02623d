"""The report's tables read at a glance: « – » for what the tables do not give, « 0 * » explained,
Fabrication + Usage + Fin de vie = Total in every table, one rule for small shares.
"""

import csv
import json

import html_page
import pytest
from test_report import visible_text

from conftest import write
from greenit.api import build_report
from greenit.factors import default_factors_dir
from greenit.reporting.text import Words

# A server and routers (no end-of-life value in the user's factor tables), routers bought in 2010
# (past their lifespan: manufacture fully amortised), and one department written two ways.
INVENTORY = (
    "Nom;Entité;Type;Date d'achat;Quantité\n"
    "PC-01;Ville de Belleval > Services techniques;Portable;01-03-2023;40\n"
    "SRV-1;Services techniques;Serveur;01-01-2022;2\n"
    "RT-1;Ville de Belleval > Informatique;Routeur;01-01-2010;3\n"
    "BOX-1;Ville de Belleval > Informatique;Box internet;01-01-2024;1\n"
)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tables")
    inventory = write(folder / "inventaire.csv", INVENTORY)
    built = build_report(
        [inventory], folder / "rapport", year=2025, scenarios=[], factors=without_end_of_life(folder)
    )
    summary = json.loads(built.summary_path.read_text(encoding="utf-8"))
    return summary, built.html_path.read_text(encoding="utf-8")


def without_end_of_life(folder):
    """A user's devices table whose server and router rows give no end of life (every packaged
    row has one since 2027.01): the report must read « – », never 0.
    """
    with (default_factors_dir() / "devices.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    kept = [r for r in rows if r["category"] in ("server", "router")]
    for row in kept:
        row["end_of_life [kgCO2e]"] = row["end_of_life_source"] = ""
    (folder / "facteurs").mkdir()
    with (folder / "facteurs" / "devices.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)
    return folder / "facteurs"


def table_rows(html: str, first_header: str) -> list[list[str]]:
    """The body rows of the table whose first header is ``first_header``, as visible cell texts."""
    tables = html_page.parse(html).find_all("table")
    table = next(t for t in tables if t.headers()[:1] == [first_header])
    cells = table.rows("tbody")  # the subtotal row in <tfoot> is not a body row
    return [[" ".join(c.replace("\u00a0", " ").replace("\u202f", " ").split()) for c in r] for r in cells]


def number(cell: str) -> float:
    return float(cell.rstrip(" *").replace(" ", "").replace(",", "."))


def test_end_of_life_without_a_factor_reads_a_dash_not_zero(report):
    summary, html = report
    rows = {r[0]: r for r in table_rows(html, "Catégorie")}
    # Qté, Fabrication, Usage, Fin de vie, Total…: the server and routers have no end-of-life value
    assert rows["Serveur"][4] == "–" and rows["Routeur"][4] == "–"
    assert rows["Ordinateur portable"][4] == "22,3"  # 40 × 0,558 kgCO2e (ADEME), a real value
    by_category = {g["category"]: g for g in summary["inventory"]["by_category"]}
    assert by_category["server"]["end_of_life_factor"] is False
    assert by_category["laptop"]["end_of_life_factor"] is True
    assert "« – » en fin de vie : les tables de facteurs ne donnent pas de valeur" in visible_text(html)


def test_fully_amortised_manufacture_is_marked_and_explained(report):
    summary, html = report
    rows = {r[0]: r for r in table_rows(html, "Catégorie")}
    assert rows["Routeur"][2] == "0 *"  # bought in 2010, 5-year lifespan: nothing left to amortise
    assert rows["Ordinateur portable"][2] == "1 460"
    assert "0 * : fabrication amortie" in visible_text(html)


def test_department_table_adds_up_with_its_end_of_life_column(report):
    summary, html = report
    rows = table_rows(html, "Direction / service")
    assert [r[0] for r in rows] == [
        "Ville de Belleval > Services techniques",
        "Services techniques",
        "Informatique",
    ]
    for row, group in zip(rows, summary["inventory"]["by_entity"], strict=True):
        manufacture, use, end_of_life, total = map(number, row[2:6])
        assert manufacture + use + end_of_life == pytest.approx(total, rel=0.01)
        assert end_of_life == pytest.approx(group["end_of_life_kgco2e"], rel=0.01, abs=0.001)
    assert number(rows[2][4]) == pytest.approx(0.326)  # the box's, the routers' none


def test_a_department_written_two_ways_is_said_not_merged(report):
    _, html = report
    text = visible_text(html)
    assert "Les directions sont nommées comme les fichiers les écrivent, sans rapprochement" in text
    assert "Concernées : « Services techniques »." in text


def test_one_rule_for_small_shares():
    w = Words("fr")
    # before: 0.0002 read "0,02 %" while 0.00004 read "< 0,1 %" in the same column
    assert [w.percent(s) for s in (0.0002, 0.00004, 0.0004)] == ["<\u00a00,1\u202f%"] * 3
    assert w.percent(0.0123) == "1,2\u202f%" and w.percent(0.35) == "35\u202f%"
    assert w.percent(0.9987) == "99,9\u202f%" and w.percent(0.99995) == ">\u00a099,9\u202f%"
    assert Words("en").percent(0.0002) == "<\u00a00.1%"
