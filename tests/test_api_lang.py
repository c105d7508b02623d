"""The language given in the options is the language of what the API writes for people.

``greenit.estimate_files(path, year=2025, lang="en").result()`` gave French reasons: ``lang``
reached the reading but not the result, which took the current language.
"""

from __future__ import annotations

import greenit
from conftest import write

LOG = "Projet;Début;Durée;Accélérateur;Nombre\na;04-03-2025;2;A100;2\nb;05-03-2025;-3;A100;2\n"
INVENTORY = "Type;Quantité\nÉcran;3\nCafetière;1\n"


def test_the_options_language_is_the_results(tmp_path):
    inventory = write(tmp_path / "inventaire.csv", INVENTORY)
    english = greenit.estimate_files(inventory, year=2025, lang="en")
    [flag] = english.result()["flagged"]
    assert "is not a known device type" in flag["reason"]
    assert "n'est pas un type" in english.result("fr")["flagged"][0]["reason"]  # asked: asked
    assert (
        "is not a known device type"
        in english.subset(english.rows["row"] > 0).result()["flagged"][0]["reason"]
    )
    assert (
        "n'est pas un type" in greenit.estimate_files(inventory, year=2025).result()["flagged"][0]["reason"]
    )
    rows = english.rows_out()
    assert "is not a known device type" in " ".join(map(str, rows.iloc[1].tolist()))


def test_the_options_language_is_the_ai_results(tmp_path):
    log = write(tmp_path / "journal.csv", LOG)
    [flag] = greenit.estimate_ai_files(log, year=2025, lang="en").result()["flagged"]
    assert "negative" in flag["reason"]
    [flag] = greenit.estimate_ai_files(log, year=2025).result()["flagged"]
    assert "négati" in flag["reason"]
