"""--electricity-price outside what any contract costs is refused with the likely slip.

« 0,21 €/MWh » is 0.00021 €/kWh: it was accepted, and the town's electricity cost 47 €/an.
The range is plausibility.csv's ``electricity_price`` row, ten times around parameters.csv's.
"""

from __future__ import annotations

import pytest

from conftest import SAMPLE_INVENTORY, factor_row


def test_the_range_is_ten_times_around_the_published_price():
    published = factor_row("parameters", "electricity_price")
    rule = factor_row("plausibility", "electricity_price")
    assert float(rule["min"]) == pytest.approx(float(published["low"]) / 10)
    assert float(rule["max"]) == pytest.approx(float(published["high"]) * 10)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (
            "0,21 €/MWh",
            "0,00021 €/kWh HT est hors des prix plausibles (0,0118 à 2,45 €/kWh) : un prix par kWh écrit",
        ),
        ("5", "des centimes ? (0,05"),
        ("0,001 €/kWh", "un prix par kWh écrit par MWh ? (1"),
    ],
)
def test_a_price_no_contract_has_is_refused(run_main, typed, said):
    done = run_main("estimate", SAMPLE_INVENTORY, "--year", "2025", "--electricity-price", typed)
    assert done.returncode == 2 and done.stdout == ""
    assert said in " ".join(done.stderr.split()).replace("\u202f", " ").replace("\u00a0", " ")


@pytest.mark.parametrize("typed", ["0,21 €/kWh", "172 €/MWh HT", "21 c€/kWh", "0,95 €/kWh TTC", "2,4"])
def test_real_contracts_are_taken(run_main, typed):
    done = run_main("estimate", SAMPLE_INVENTORY, "--year", "2025", "--electricity-price", typed, "--json")
    assert done.returncode == 0, done.stderr
