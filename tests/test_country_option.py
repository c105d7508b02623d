"""--country as people write it, as a file's country column is read: « France », « fr », « FRA ».

« --country France » was refused (« aucun facteur d'électricité pour le pays « FRANCE » ») while
a file's « France » was read.
"""

from __future__ import annotations

import json

import pytest

from conftest import SAMPLE_AI_LOG, SAMPLE_INVENTORY, factor_row


def use_kg(run_main, *args, key: str = "use_kgco2e"):
    done = run_main(*args, "--year", "2025", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["totals"][key]


@pytest.mark.parametrize(
    ("typed", "code"), [("France", "FRA"), ("fr", "FRA"), ("Allemagne", "DEU"), ("deu", "DEU")]
)
def test_a_country_named_or_coded_is_its_iso_code(run_main, typed, code):
    given = use_kg(run_main, "estimate", SAMPLE_INVENTORY, "--country", typed)
    assert given == pytest.approx(use_kg(run_main, "estimate", SAMPLE_INVENTORY, "--country", code))
    if code == "DEU":  # the grid factor is Germany's, not France's
        ratio = float(factor_row("electricity", "DEU")["carbon_intensity [kgCO2e/kWh]"]) / float(
            factor_row("electricity", "FRA")["carbon_intensity [kgCO2e/kWh]"]
        )
        assert given == pytest.approx(use_kg(run_main, "estimate", SAMPLE_INVENTORY) * ratio, rel=0.02)
    assert use_kg(run_main, "ai", "estimate", SAMPLE_AI_LOG, "--country", typed, key="total_kgco2e") > 0


def test_a_country_greenit_does_not_know_is_refused_with_the_codes(run_main):
    done = run_main("estimate", SAMPLE_INVENTORY, "--country", "Narnia")
    assert done.returncode == 2 and "« NARNIA »" in done.stderr and "AUT, BEL" in done.stderr
