"""One year is one year: every AI row gets its period; rows of other years are kept out of the
year's totals and listed apart (JSON, console, report), never dropped; a log of one month says so
next to the AI total, never annualised.
"""

from __future__ import annotations

import itertools
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenit.api import estimate_ai_files
from greenit.parsing.periods import period_span

MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre"]
MONTHS_FR += ["novembre", "décembre"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September"]
MONTHS_EN += ["October", "November", "December"]


def _month_spellings():
    for (month, fr, en), year in itertools.product(
        zip(range(1, 13), MONTHS_FR, MONTHS_EN, strict=True), (2019, 2025, 2031)
    ):
        start = pd.Timestamp(year, month, 1)
        end = start + pd.DateOffset(months=1)
        for text in (
            f"{year}-{month:02d}",
            f"{month:02d}/{year}",
            f"{fr} {year}",
            f"{en} {year}",
            f"{fr.upper()} {year}",
        ):
            yield text, start, end
        last = (end - pd.Timedelta(days=1)).day
        yield f"01/{month:02d}/{year}-{last:02d}/{month:02d}/{year}", start, end
        yield f"du {year}-{month:02d}-01 au {year}-{month:02d}-{last:02d}", start, end


@pytest.mark.parametrize("text, start, end", list(_month_spellings()))
def test_every_spelling_of_a_month_is_that_month(text, start, end):
    assert period_span(text) == (start, end)


@pytest.mark.parametrize(
    "text, start, end",
    [
        (f"{q} {y}", pd.Timestamp(y, 3 * n - 2, 1), pd.Timestamp(y, 3 * n - 2, 1) + pd.DateOffset(months=3))
        for n, y in itertools.product(range(1, 5), (2024, 2025))
        for q in (f"T{n}", f"Q{n}", f"t{n}")
    ]
    + [
        ("2025", pd.Timestamp(2025, 1, 1), pd.Timestamp(2026, 1, 1)),
        (2025, pd.Timestamp(2025, 1, 1), pd.Timestamp(2026, 1, 1)),
    ]
    + [
        ("S2 2025", pd.Timestamp(2025, 7, 1), pd.Timestamp(2026, 1, 1)),
        ("2025-W01", pd.Timestamp(2024, 12, 30), pd.Timestamp(2025, 1, 6)),
    ]
    + [("2025-03-04T10:00:00Z", pd.Timestamp(2025, 3, 4), pd.Timestamp(2025, 3, 5))],
)
def test_quarters_halves_years_weeks_and_days(text, start, end):
    assert period_span(text) == (start, end)


RUN_HEADER = "run_id;début;durée (h);GPU;nombre de GPU\n"


def _log(tmp_path, name: str, rows: list[tuple[str, str]]):
    path = tmp_path / name
    lines = [f"{run};{start};5;A100;2" for run, start in rows]
    path.write_text(RUN_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@settings(max_examples=12, deadline=None)
@given(
    years=st.lists(st.integers(min_value=2017, max_value=2033), min_size=1, max_size=6),
    year=st.integers(min_value=2018, max_value=2026),
)
def test_only_the_runs_of_the_year_are_in_its_totals(tmp_path_factory, years, year):
    """Totals with --year are those of the log holding only that year's runs (cut by hand)."""
    tmp_path = tmp_path_factory.mktemp("annees")
    rows = [(f"r{i}", f"15-06-{y} 10:00") for i, y in enumerate(years)]
    full = estimate_ai_files(_log(tmp_path, "tout.csv", rows), year=year).result()
    mine = [r for r, y in zip(rows, years, strict=True) if y == year]
    others = len(rows) - len(mine)
    assert full["periods"]["outside_year"] == others and len(full["outside_year"]) == others
    assert full["runs_in"] == len(rows) == full["runs_estimated"] + full["runs_flagged"]
    if mine:
        alone = estimate_ai_files(_log(tmp_path, "annee.csv", mine)).result()
        assert full["totals"]["total_kgco2e"] == pytest.approx(alone["totals"]["total_kgco2e"])
    else:
        assert full["totals"]["total_kgco2e"] == 0


def test_report_of_2025_leaves_out_ai_runs_and_usage_of_2019_and_2031(tmp_path, run_cli):
    from conftest import SMALL_INVENTORY, write

    small = write(tmp_path / "parc.csv", SMALL_INVENTORY)
    runs = _log(tmp_path, "journal.csv", [("a", "04-03-2019"), ("b", "01-06-2025"), ("c", "10-01-2031")])
    usage = tmp_path / "usage.csv"
    usage.write_text(
        "Service;Modèle;Période;Requêtes;Jetons de sortie\n"
        "A;mistral-small-2503;2025-01;1000;400000\n"
        "B;mistral-small-2503;2031-05;1000;400000\n"
        "C;mistral-small-2503;2019;1000;400000\n",
        encoding="utf-8",
    )
    code, _, err = run_cli(
        "report", small, "--ai", runs, "--ai", usage, "--year", "2025", "--out", tmp_path / "r"
    )
    assert code == 0, err
    summary = json.loads((tmp_path / "r" / "summary.json").read_text())
    only = tmp_path / "seul"
    only.mkdir()
    b = estimate_ai_files(_log(only, "b.csv", [("b", "01-06-2025")])).result()["totals"]["total_kgco2e"]
    (only / "a.csv").write_text(
        "Service;Modèle;Période;Requêtes;Jetons de sortie\nA;mistral-small-2503;2025-01;1000;400000\n"
    )
    a = estimate_ai_files(only / "a.csv").result()["totals"]["total_kgco2e"]
    assert summary["headline"]["ai_kgco2e"] == pytest.approx(a + b)
    assert summary["ai"]["periods"]["outside_years"] == {"2019": 2, "2031": 2}
    html = (tmp_path / "r" / "report.html").read_text()
    assert "4 lignes hors de 2025 (2 en 2019, 2 en 2031)" in html
    assert "Période couverte : 2 mois de 2025 sur 12 (janvier 2025, juin 2025)" in html


def test_a_month_of_usage_says_it_is_a_month_never_a_year(tmp_path, run_cli):
    usage = tmp_path / "usage.csv"
    usage.write_text(
        "Service;Modèle;Mois;Requêtes;Jetons de sortie\nA;mistral-small-2503;janvier 2025;1000;400000\n"
    )
    code, out, _ = run_cli("ai", "estimate", usage, "--year", "2025")
    assert code == 0
    assert (
        "Période couverte : 1 mois de 2025 sur 12 (janvier 2025) — le total n'est pas annualisé."
        in " ".join(out.split())
    )
    code, out, _ = run_cli("ai", "estimate", usage, "--year", "2025", "--json")
    periods = json.loads(out)["periods"]
    assert (periods["months_covered"], periods["partial"], periods["months"]) == (1, True, ["2025-01"])


def test_all_rows_of_another_year_is_exit_2_with_the_reason(tmp_path, run_cli):
    log = _log(tmp_path, "journal.csv", [("a", "04-03-2019"), ("b", "05-03-2019")])
    code, _, err = run_cli("ai", "estimate", log, "--year", "2025")
    assert code == 2 and "hors de 2025" in err


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_year_of_monthly_usage_runs_to_its_last_day_not_into_the_next_year(tmp_path, run_cli, lang):
    """« décembre 2025 » ends on 2026-01-01 exclusive: its last day is 2025-12-31. The data were
    said to run « de 2025 à 2026 » and --year was asked for a log of one year.
    """
    rows = "".join(f"A;mistral-small-2503;{month} 2025;1000;400000\n" for month in MONTHS_FR)
    usage = write_usage(tmp_path, rows)
    code, out, _ = run_cli("ai", "estimate", usage, "--json")
    periods = json.loads(out)["periods"]
    assert code == 0 and (periods["first"], periods["last"]) == ("2025-01-01", "2025-12-31")
    code, out, _ = run_cli("ai", "estimate", usage, "--lang", lang)
    assert code == 0 and "2026" not in out
    one_day = write_usage(tmp_path, "A;mistral-small-2503;2025-06-30;1000;400000\n", "jour.csv")
    code, out, _ = run_cli("ai", "estimate", one_day, "--json")
    assert (json.loads(out)["periods"]["first"], json.loads(out)["periods"]["last"]) == ("2025-06-30",) * 2


def test_the_reasons_of_rows_of_other_years_say_they_are_examples(tmp_path, run_cli):
    """47 rows of 2025 asked for 2026: one example of the kind, said to be one (the first row's
    period was shown « ×47 », as if every row were of January).
    """
    usage = write_usage(tmp_path, "".join(f"A;mistral-small-2503;{m} 2025;1000;400000\n" for m in MONTHS_FR))
    code, _, err = run_cli("ai", "estimate", usage, "--year", "2026")
    assert code == 2
    assert "12 lignes de ce type, p. ex. : hors de 2026 (période 2025-01-01 → 2025-01-31)" in " ".join(
        err.split()
    )
    log = _log(tmp_path, "journal.csv", [("a", "04-03-2019"), ("b", "04-03-2019")])
    code, _, err = run_cli("ai", "estimate", log, "--year", "2025")
    assert code == 2 and "de ce type" not in err and "(×2)" in err  # the same reason twice is that reason


def write_usage(tmp_path, rows: str, name: str = "usage.csv"):
    path = tmp_path / name
    path.write_text("Service;Modèle;Mois;Requêtes;Jetons de sortie\n" + rows, encoding="utf-8")
    return path
