"""A renewal budget no price backs is unknown (null, « € inconnus »), never 0 €/an.

An inventory without any price said « renouvellement du parc à l'équilibre : 0 €/an » and
``renewal_eur_per_year: 0.0``: docs/contract-money.md says null means unknown, never 0.
"""

from __future__ import annotations

import json

import pytest

from conftest import write

NO_PRICE = "Type;Quantité;Date d'achat\nOrdinateur portable;2;01/05/2022\nÉcran;3;01/01/2023\n"
PRICED = "Type;Quantité;Date d'achat;Prix unitaire HT\nOrdinateur portable;2;01/05/2022;800\n"


def budget(run_main, path, *args):
    done = run_main("estimate", path, "--year", "2025", *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_no_price_at_all_is_an_unknown_renewal(tmp_path, run_main):
    path = write(tmp_path / "inventaire.csv", NO_PRICE)
    money = json.loads(budget(run_main, path, "--json"))["budget"]
    assert money["priced_share"] == 0.0
    for key in ("renewal_eur_per_year", "renewal_low_eur_per_year", "renewal_high_eur_per_year"):
        assert money[key] is None
    assert money["electricity_eur_per_year"] > 0  # the electricity has its default price
    out = " ".join(budget(run_main, path).split())
    assert "renouvellement du parc à l'équilibre : € inconnus" in out and "0 €/an" not in out


def test_a_priced_fleet_keeps_its_renewal(tmp_path, run_main):
    path = write(tmp_path / "inventaire.csv", PRICED)
    money = json.loads(budget(run_main, path, "--json"))["budget"]
    lifespan = 800 * 2 / money["renewal_eur_per_year"]  # the carbon model's lifespan, whole years
    assert money["priced_share"] == 1.0 and lifespan == pytest.approx(round(lifespan))
