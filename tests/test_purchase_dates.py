"""Purchase dates as people type them: a month is a month in every spelling greenit reads for AI
periods (« mars 2021 », 2021-03, « March 2021 »), as 03/2021 already was; an Excel day number is
said to be one, with the date it stands for, never taken for a year out of range.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from conftest import write
from greenit.parsing.dates import excel_serial, parse_date


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("mars 2021", "2021-03-01"),
        ("Mars 2021", "2021-03-01"),
        ("2021-03", "2021-03-01"),
        ("03/2021", "2021-03-01"),
        ("March 2021", "2021-03-01"),
        ("janv. 2021", "2021-01-01"),
        ("15 février 2021", "2021-02-15"),
        ("1er avril 2020", "2020-04-01"),
        ("décembre 2019", "2019-12-01"),
    ],
)
def test_a_month_in_words_or_iso_is_its_first_day(typed, day):
    assert parse_date(typed) == (pd.Timestamp(day), True)


@pytest.mark.parametrize("typed", ["01/03/21", "T1 2021", "2021-13", "mars 20211", "brumaire 2021"])
def test_what_is_no_day_stays_flagged(typed):
    assert parse_date(typed) == (None, False)


@pytest.mark.parametrize(
    ("serial", "day"), [("44256", "2021-03-01"), ("44256.0", "2021-03-01"), ("36526", "2000-01-01")]
)
def test_an_excel_day_number_is_read_as_what_it_stands_for(serial, day):
    assert excel_serial(serial) == pd.Timestamp(day)


def test_an_inventory_with_such_dates(tmp_path, run_main):
    rows = "Type;Date d'achat\nOrdinateur portable;mars 2021\nOrdinateur portable;2021-03\n"
    rows += "Écran;44256\nÉcran;T1 2021\n"
    done = run_main("estimate", write(tmp_path / "inventaire.csv", rows), "--year", "2025", "--json")
    result = json.loads(done.stdout)
    reasons = {f["line"]: f["reason"] for f in result["flagged"]}
    assert (result["rows_in"], sorted(reasons)) == (4, [4, 5])
    assert "« 44256 » est le numéro d'une date dans Excel (01/03/2021 ?)" in reasons[4]
    assert "hors des années" not in reasons[4]
    assert "attendu JJ/MM/AAAA, AAAA-MM-JJ, MM/AAAA, « mars 2021 » ou AAAA" in reasons[5]
