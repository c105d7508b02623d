"""The written frame contract (greenit.schema) holds for every stage, on the bundled data."""

import re

import pytest

from conftest import SAMPLE_AI_LOG, SAMPLE_INVENTORY
from greenit.api import estimate_ai_files, estimate_files
from greenit.schema import STAGES, check, markdown_table


@pytest.fixture(scope="module")
def sample():
    return estimate_files([SAMPLE_INVENTORY], year=2025), estimate_ai_files([SAMPLE_AI_LOG])


def test_every_stage_of_the_sample_town_follows_the_contract(sample):
    inventory, runs = sample
    assert check(inventory.normalised, "inventory") == []
    assert check(inventory.rows, "estimated") == []
    assert check(runs.normalised, "runs") == []
    assert check(runs.runs, "runs_estimated") == []


def test_a_missing_column_is_named(sample):
    inventory, _ = sample
    assert check(inventory.rows.drop(columns=["use_kwh"]), "estimated") == [
        "estimated: missing column 'use_kwh'"
    ]


def test_one_name_one_meaning_across_stages():
    for columns in STAGES.values():
        names = [c.name for c in columns]
        assert len(names) == len(set(names))
    per_device = {c.name: c.unit for c in STAGES["estimated"] if c.name.startswith(("device_", "given_"))}
    assert all("/device" in unit or unit == "years" for unit in per_device.values())
    assert "| `total_kgco2e` | float | kgCO2e/year |" in markdown_table("estimated")


def test_architecture_doc_prints_the_current_contract():
    from conftest import ROOT

    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for stage in STAGES:
        assert markdown_table(stage) in doc, f"docs/architecture.md is out of date for stage {stage}"


#: The units a column name ends with (its suffix), and the quantities a bound may follow.
UNIT_SUFFIXES = (
    "kgco2e",
    "gco2e",
    "kwh",
    "wh",
    "w",
    "h",
    "years",
    "gb",
    "kg_per_kwh",
    "eur",
    "eur_per_year",
    "billion",
    "kgsbeq",
    "mj",
    "m3",
)


def _bound_names() -> set[str]:
    """Every column of every stage and every canonical factor-table column, and the JSON keys of
    a summary with hosted AI, that names a bound.
    """
    from greenit.factors.tables import TABLE_SPECS

    names = {column.name for columns in STAGES.values() for column in columns}
    names |= {canonical for _, spec, _ in TABLE_SPECS.values() for canonical, _ in spec.values()}
    return {n for n in names if "low" in n.split("_") or "high" in n.split("_")}


def test_bounds_are_named_quantity_low_or_high_then_unit():
    """``<quantity>_<low|high>_<unit>``: use_low_kwh, energy_low_kwh, power_low_w (one pattern)."""
    import re

    pattern = re.compile(rf"^[a-z0-9_]+_(low|high)_({'|'.join(UNIT_SUFFIXES)})$")
    dimensionless = {"low", "high"}  # parameters.csv, pue.csv: a bound of a number without unit
    dimensionless |= {"price_low", "price_high"}  # accelerator_prices.csv: the currency is a column
    dimensionless |= {"refurbished_discount_low", "refurbished_discount_high"}  # prices.csv: shares
    wrong = sorted(n for n in _bound_names() if n not in dimensionless and not pattern.match(n))
    assert wrong == []
    assert {"use_low_kwh", "energy_low_kwh", "power_low_w", "total_high_kgco2e"} <= _bound_names()


def test_the_hosted_references_name_their_bounds_the_same_way():
    from greenit.ai.hosted.references import reference_comparison
    from greenit.factors import load_factors

    table = reference_comparison(load_factors())
    bounds = [c for c in table.columns if "low" in c.split("_") or "high" in c.split("_")]
    assert bounds and all(re.match(r"^[a-z_]+_(low|high)_(wh|gco2e)$", c) for c in bounds)
