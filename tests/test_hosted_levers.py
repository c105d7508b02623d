"""Levers of a sustainable-AI policy on hosted models: a smaller model for a service, fewer requests."""

from __future__ import annotations

import json

import pytest
from test_hosted import offline  # noqa: F401  (every test here runs with the network disabled)

from conftest import ROOT, SAMPLE_INVENTORY

SAMPLE_USAGE = ROOT / "examples" / "ville-exemple" / "usage_ia_generative.csv"


@pytest.fixture
def usage():
    from greenit.api import estimate_ai_files

    return estimate_ai_files([SAMPLE_USAGE])


def compare(usage, *specs, cumulative=False):
    from greenit.levers.compare import compare_normalised
    from greenit.levers.specs import parse_lever

    return compare_normalised(
        None,
        usage.factors,
        [parse_lever(s) for s in specs],
        year=2025,
        usage=usage.usage,
        cumulative=cumulative,
    )


def test_half_the_requests_halve_the_hosted_footprint(usage):
    table = compare(usage, "requests=-50%")
    baseline = usage.result()["hosted"]["totals"]["total_kgco2e"]
    assert table.at[0, "ai_kgco2e"] == pytest.approx(baseline)
    assert table.at[1, "ai_kgco2e"] == pytest.approx(baseline / 2)  # same length per request, half as many


def test_a_smaller_model_for_the_agents_assistant_only(usage):
    from greenit.ai.hosted.estimate import estimate_hosted

    table = compare(usage, "model=mistral-small-latest:Assistant des agents")
    hosted = usage.hosted
    agents = hosted["service"] == "Assistant des agents"
    swapped = usage.usage.copy()
    swapped["model_label"] = (
        swapped["model_label"].astype(object).where(~agents.to_numpy(), "mistral-small-latest")
    )
    expected = estimate_hosted(swapped, usage.factors)["total_kgco2e"].sum()
    assert table.at[1, "ai_kgco2e"] == pytest.approx(expected)
    assert table.at[1, "change_kgco2e"] < 0
    # the other services are untouched
    others = hosted.loc[~agents, "total_kgco2e"].sum()
    small = estimate_hosted(swapped, usage.factors)
    assert small.loc[~agents.to_numpy(), "total_kgco2e"].sum() == pytest.approx(others)


def test_a_model_of_another_provider_moves_the_rows_to_its_data_centre(usage):
    from greenit.ai.hosted.estimate import catalogue_of, estimate_hosted
    from greenit.levers.hosted import apply_usage_lever
    from greenit.levers.specs import parse_lever

    lever = parse_lever("model=gpt-4o-mini:Chatbot citoyen")
    moved = apply_usage_lever(usage.usage, lever, catalogue_of(usage.factors))
    rows = estimate_hosted(moved, usage.factors)
    chatbot = rows[rows["service"] == "Chatbot citoyen"]
    assert set(chatbot["country"]) == {"USA"}  # OpenAI's data centres per EcoLogits
    assert set(rows.loc[rows["service"] == "Assistant des agents", "country"]) == {"SWE"}


def test_levers_name_unknown_models_and_services_with_what_exists(usage, english):
    from greenit.errors import GreenitError

    with pytest.raises(GreenitError) as error:
        compare(usage, "model=mistral-smal-latest")
    assert "close names: mistral-small-latest" in str(error.value)
    with pytest.raises(GreenitError) as error:
        compare(usage, "requests=-10%:Chatbot municipal")
    assert "Chatbot citoyen" in str(error.value)


def test_scenario_command_with_a_usage_log(run_cli):
    code, out, err = run_cli(
        "scenario",
        SAMPLE_INVENTORY,
        "--ai",
        SAMPLE_USAGE,
        "-s",
        "model=mistral-small-latest:Assistant des agents",
        "-s",
        "requests=-20%",
        "--cumulative",
        "--year",
        "2025",
        "--json",
    )
    assert code == 0, err
    scenarios = json.loads(out)["scenarios"]
    assert [s["scenario"] for s in scenarios][1:] == [
        "Modèle mistral-small-latest (Assistant des agents)",
        "Requêtes d'IA générative −20\u202f%",
    ]
    ai = [s["ai_kgco2e"] for s in scenarios]
    assert ai[0] > ai[1] > ai[2]
    assert ai[2] == pytest.approx(ai[1] * 0.8)
    inventory = {s["inventory_kgco2e"] for s in scenarios}
    assert len(inventory) == 1  # AI levers leave the equipment alone
