"""The written frame contract (greenit.schema) holds for every stage, on the bundled data."""

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
