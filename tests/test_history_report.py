"""A year recorded with older factors is restated exactly as a fresh estimate with today's factors
gives it, and the report's « Évolution » section shows the trend, the restated year and the gap.

"Older factors" are a copy of greenit's tables with two figures changed — a laptop's manufacture
and France's electricity — put in place of the packaged tables while a year is recorded, as an
older greenit would have shipped them.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_history import YEARS, fresh, plain

from conftest import ROOT, SMALL_INVENTORY, write

OLD_LAPTOP_KGCO2E = 230.0  # today's table: 182.3
OLD_GRID_KG_PER_KWH = 0.052  # today's table: 0.0461


def _edit_csv(path, key: str, changes: dict[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    for row in rows[1:]:
        if row and row[0] == key:
            for column, value in changes.items():
                row[header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def old_tables(tmp_path_factory):
    """greenit's tables as an older version shipped them (VERSION 2024.06); read, never written."""
    folder = tmp_path_factory.mktemp("tables") / "facteurs_2024"
    shutil.copytree(ROOT / "emission_factors", folder)
    _edit_csv(folder / "devices.csv", "laptop", {"manufacture [kgCO2e]": str(OLD_LAPTOP_KGCO2E)})
    _edit_csv(folder / "electricity.csv", "FRA", {"carbon_intensity [kgCO2e/kWh]": str(OLD_GRID_KG_PER_KWH)})
    (folder / "VERSION").write_text("2024.06\n", encoding="utf-8")
    return folder


@contextmanager
def packaged(folder):
    """``folder`` in place of greenit's packaged tables, for the time of the block."""
    from greenit.factors import load, tables

    load._load_cached.cache_clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tables, "default_factors_dir", lambda: folder)
        try:
            yield
        finally:
            load._load_cached.cache_clear()


@pytest.fixture(scope="module")
def an_old_year_recorded(tmp_path_factory, old_tables):
    """The history file, built once for the module: 2023 recorded with the older tables; 2024 and
    2025 with today's; a −30 % target by 2030. Each test gets its own copy (``history_with_an_old_year``).
    """
    import greenit

    history = greenit.History(tmp_path_factory.mktemp("historique") / "greenit-historique.sqlite")
    with packaged(old_tables):
        recorded = history.add(YEARS[2023], year=2023)
    history.add(YEARS[2024], year=2024)
    history.add(YEARS[2025], year=2025)
    history.target(baseline=2023, reduction="30%", by=2030)
    return history.path, recorded


@pytest.fixture
def history_with_an_old_year(an_old_year_recorded, tmp_path):
    """A copy of the module's history (its write-ahead log too, where one is left), and what
    recording 2023 returned.
    """
    import greenit

    path, recorded = an_old_year_recorded
    for part in (path, Path(f"{path}-wal")):
        if part.exists():
            shutil.copy(part, tmp_path / part.name)
    return greenit.History(tmp_path / path.name), recorded


def test_a_year_recorded_with_older_factors_is_restated_exactly_as_a_fresh_estimate(
    history_with_an_old_year, old_tables
):
    history, recorded = history_with_an_old_year
    old = fresh(2023, factors=old_tables).result()  # the older tables laid over today's: the same figures
    today = fresh(2023).result()
    assert recorded["factors_version"] == "2024.06"
    assert recorded["total_kgco2e"] == pytest.approx(old["totals"]["total_kgco2e"], rel=1e-8)
    assert abs(recorded["total_kgco2e"] - today["totals"]["total_kgco2e"]) > 100  # the factors did differ
    restated = history.restate(2023)
    assert restated["inventory"]["totals"] == today["totals"]
    assert restated["inventory"]["by_category"] == json.loads(json.dumps(today["by_category"]))
    assert restated["factors_version"] == today["factors_version"]
    compared = history.compare(2023, 2025, restate=True)
    assert compared["from"]["total_kgco2e"] == pytest.approx(
        today["totals"]["total_kgco2e"], rel=1e-8
    )  # JSON: 9 digits
    assert compared["from"]["recorded_total_kgco2e"] == recorded["total_kgco2e"]


def test_the_factor_changes_are_split_into_the_grid_factor_and_the_rest(history_with_an_old_year, old_tables):
    import greenit

    history, recorded = history_with_an_old_year
    compared = history.compare(2023, 2025)  # as recorded: the factor changes are part of the change
    drivers = {d["driver"]: d["total_kgco2e"] for d in compared["drivers"]}
    old = fresh(2023, factors=old_tables).result()
    today = fresh(2023).result()
    grid = greenit.load_factors().grid_factor("FRA")
    assert drivers["grid_factor"] == pytest.approx(
        old["totals"]["use_kwh"] * (grid - OLD_GRID_KG_PER_KWH), rel=1e-6
    )
    laptops = [next(c for c in result["by_category"] if c["category"] == "laptop") for result in (today, old)]
    assert drivers["factors"] == pytest.approx(
        laptops[0]["manufacture_kgco2e"] - laptops[1]["manufacture_kgco2e"], rel=1e-6
    )
    assert sum(drivers.values()) == pytest.approx(compared["change_kgco2e"], abs=1e-3)
    assert compared["from"]["total_kgco2e"] == recorded["total_kgco2e"]


class _Tables(HTMLParser):
    """The rows of a report's tables, by the class of their table: cells as plain text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table, self._row, self._cell = None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = dict(attrs).get("class") or ""
            self.tables.setdefault(self._table, [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(plain(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def test_the_report_shows_the_trend_the_restated_year_and_the_target_gap(
    history_with_an_old_year, tmp_path, run_cli
):
    history, recorded = history_with_an_old_year
    out = tmp_path / "rapport"
    code, _, err = run_cli("report", YEARS[2025], "--year", "2025", "--history", history.path, "--out", out)
    assert code == 0, err
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    section = summary["history"]
    today = {year: fresh(year).result()["totals"]["total_kgco2e"] for year in YEARS}
    assert [p["year"] for p in section["years"]] == [2023, 2024, 2025]
    assert [p["restated"] for p in section["years"]] == [True, False, False]
    assert section["years"][0]["total_kgco2e"] == pytest.approx(today[2023], rel=1e-8)  # on today's factors
    assert section["years"][0]["recorded_total_kgco2e"] == pytest.approx(recorded["total_kgco2e"])
    target_2025 = today[2023] * (1 - 0.3 * 2 / 7)
    assert section["gap"]["target_kgco2e"] == pytest.approx(target_2025, rel=1e-8)
    assert section["gap"]["gap_kgco2e"] == pytest.approx(today[2025] - target_2025, rel=1e-6)

    html = (out / "report.html").read_text(encoding="utf-8")
    start = html.index('<section id="evolution">')
    part = html[start : html.index("</section>", start)]
    assert "<svg" in part  # the trend chart, inline
    assert "Année recalculée avec les facteurs d'aujourd'hui" in (out / "evolution.svg").read_text(
        encoding="utf-8"
    )
    text = plain(HTMLParserText.of(part))
    fell = f"{(today[2024] - today[2025]) / 1000:.3g}".replace(".", ",")
    assert f"De 2024 à 2025, l'empreinte carbone du numérique de la collectivité a baissé de {fell}" in text
    gap = (today[2025] - target_2025) / 1000
    assert f"l'empreinte le dépasse de {gap:.3g} tCO2e".replace(".", ",") in text
    parser = _Tables()
    parser.feed(part)
    rows = parser.tables["history"]
    assert rows[0][:2] == ["Année", "Empreinte"]
    assert [r[0] for r in rows[1:]] == ["2023 (recalculée)", "2024", "2025 (ce rapport)"]
    assert rows[1][1] == f"{today[2023] / 1000:.3g}".replace(".", ",")
    as_recorded = f"{recorded['total_kgco2e'] / 1000:.3g}".replace(".", ",")  # with the older factors
    assert rows[1][3] == as_recorded
    assert rows[3][5] == f"+{gap:.3g}".replace(".", ",")  # the gap column of 2025


class HTMLParserText(HTMLParser):
    """The visible text of an HTML fragment (SVG text left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._svg = 0

    def handle_starttag(self, tag, attrs):
        self._svg += tag == "svg"

    def handle_endtag(self, tag):
        self._svg -= tag == "svg"

    def handle_data(self, data):
        if not self._svg:
            self.parts.append(data)

    @classmethod
    def of(cls, fragment: str) -> str:
        parser = cls()
        parser.feed(fragment)
        return " ".join(parser.parts)


def test_a_report_without_a_year_before_says_it_is_the_first(tmp_path, run_cli):
    import greenit

    inventory = write(tmp_path / "parc.csv", SMALL_INVENTORY)  # one year, whatever its devices
    db = tmp_path / "h.sqlite"
    greenit.History(db).add(inventory, year=2025)
    out = tmp_path / "rapport"
    code, _, err = run_cli(
        "report", inventory, "--year", "2025", "--history", db, "--out", out, "--lang", "en"
    )
    assert code == 0, err
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["history"]["change"] is None and summary["history"]["target"] is None
    assert summary["history"]["sentences"]["change"] is None
    html = plain(HTMLParserText.of((out / "report.html").read_text(encoding="utf-8")))
    assert "2025 is the history's first year: the change will read from next year on." in html


def test_a_report_with_a_history_that_is_not_greenits_stops_before_estimating(tmp_path, run_cli):
    other = tmp_path / "autre.sqlite"
    import sqlite3

    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE contacts (name TEXT)")
    out = tmp_path / "rapport"
    code, _, err = run_cli("report", YEARS[2025], "--history", other, "--out", out)
    assert code == 2 and "n'est pas un historique greenit" in plain(err)
    assert not out.exists()
