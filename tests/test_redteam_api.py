"""Red-team findings on the Python API a notebook calls: wrong types and values get a clear
GreenitError naming what was expected (benchmarks/redteam.py, area api).
"""

import math

import pandas as pd
import pytest

from conftest import SAMPLE_AI_LOG, SAMPLE_INVENTORY
from greenit.errors import GreenitError


@pytest.fixture(scope="module")
def inventory():
    import greenit

    return greenit.estimate_files([SAMPLE_INVENTORY], year=2025)


@pytest.mark.parametrize("grid", [math.nan, math.inf, -1.0, 57.0, 1e-300, "abc"])
def test_a_grid_factor_no_grid_has_is_refused_by_the_api(grid):
    import greenit

    with pytest.raises(GreenitError, match="intensité carbone d'un réseau"):
        greenit.estimate_files([SAMPLE_INVENTORY], year=2025, grid_factor_kg_per_kwh=grid)
    with pytest.raises(GreenitError, match="intensité carbone d'un réseau"):
        greenit.estimate_ai_files([SAMPLE_AI_LOG], carbon_intensity_kg_per_kwh=grid)


def test_a_grid_factor_of_zero_is_a_what_if_without_use_emissions():
    import greenit

    result = greenit.estimate_files([SAMPLE_INVENTORY], year=2025, grid_factor_kg_per_kwh=0).result()
    assert result["totals"]["use_kgco2e"] == 0 and result["totals"]["use_kwh"] > 0


def test_one_lever_alone_is_one_lever_not_one_per_character(inventory):
    import greenit

    alone = greenit.compare_levers(inventory, "lifespan+2")
    listed = greenit.compare_levers(inventory, ["lifespan+2"])
    assert len(alone) == 2
    pd.testing.assert_frame_equal(alone, listed)


def test_one_column_mapping_as_a_string_is_one_mapping():
    from greenit.inventory.columns import INVENTORY_ALIASES
    from greenit.parsing.headers import parse_column_specs

    assert parse_column_specs("Désignation=category", INVENTORY_ALIASES) == {"Désignation": "category"}


def test_as_paths_takes_one_path_or_several():
    from pathlib import Path

    from greenit.parsing.files import as_paths

    assert as_paths(Path("a.csv")) == [Path("a.csv")] and as_paths(("a", "b")) == ["a", "b"]
    assert as_paths(None) == []


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda g, inv: g.footprint_result(None), "estimation d'inventaire"),
        (
            lambda g, inv: g.footprint_result(g.estimate_ai_files([SAMPLE_AI_LOG]), inv),
            "estimation d'inventaire",
        ),
        (lambda g, inv: g.footprint_result(inv, inv), "estimation d'IA"),
        (lambda g, inv: g.compare_estimates(inv, g.estimate_ai_files([SAMPLE_AI_LOG])), "after"),
        (lambda g, inv: g.factor_sources(None), "estimation d'inventaire"),
        (lambda g, inv: g.compare_levers("inventaire.csv", ["lifespan+2"]), "reçu str"),
        (lambda g, inv: g.group_totals(inv.rows, "nonexistent"), "pas de colonne « nonexistent »"),
        (lambda g, inv: g.group_totals(pd.DataFrame({"entity": ["a"]}), "entity"), "pas une estimation"),
        (lambda g, inv: g.compare_estimates(inv, inv, by="nonexistent"), "nonexistent"),
        (lambda g, inv: g.scenario_waterfall([]), "rien à dessiner"),
        (lambda g, inv: g.scenario_waterfall(None), "rien à dessiner"),
        (lambda g, inv: g.footprint_result(inv, headcount=10**30), "nombre d'agents"),
        (lambda g, inv: g.footprint_result(inv, headcount=True), "nombre d'agents"),
        (lambda g, inv: g.footprint_result(inv, headcount=12.5), "nombre d'agents"),
    ],
)
def test_a_wrong_argument_is_a_clear_error_not_an_attribute_error(inventory, call, expected):
    import greenit

    with pytest.raises(GreenitError) as caught:
        call(greenit, inventory)
    assert expected in caught.value.render("fr")


def test_numbers_too_large_for_babel_are_written_with_a_power_of_ten():
    from greenit.i18n.formats import format_number

    assert format_number(1e308, "fr") == "1\u202f×\u202f10^308"
    assert format_number(-2.5e20, "en") == "\u22122.5\u202f×\u202f10^20"
