"""Criteria beyond carbon for AI (issue 23): hosted requests take EcoLogits' own ADPe, primary
energy and water; self-hosted runs their electricity × the place's figures per kWh.
"""

from __future__ import annotations

import math

import pytest

from conftest import SAMPLE_AI_LOG, write
from greenit.api import estimate_ai_files

#: EcoLogits 0.11.3 run by hand (research/criteria.md §3, table B: compute_llm_impacts with the
#: FRA mix of electricity_mixes.json and each provider's PUE and WUE) — (min, max) per criterion
ECOLOGITS_FRA = {
    ("mistralai", "mistral-small-latest", 500): {
        "adpe": (8.264095446865759e-10,) * 2,
        "pe": (0.0017901042954424449,) * 2,
        "wcf": (0.0006465779307701486,) * 2,
        "usage_adpe": (8.373329611338832e-12,) * 2,
    },
    ("openai", "gpt-4o-mini", 300): {
        "adpe": (4.04959089369266e-11, 4.069507624869159e-11),
        "pe": (0.00019165615932690538, 0.00022983946023516453),
        "wcf": (8.137741288987404e-05, 9.838275363832213e-05),
        "usage_adpe": (9.53095901071253e-13, 1.1522632128362427e-12),
    },
    ("anthropic", "claude-sonnet-4-5", 400): {
        "adpe": (1.5850490615289974e-09, 1.604099078969162e-09),
        "pe": (0.005741496189043158, 0.00939366451816983),
        "wcf": (0.0021949995300652165, 0.00441733594918079),
        "usage_adpe": (2.811337502710095e-11, 4.7163392467265625e-11),
    },
}


@pytest.fixture(scope="module")
def three_requests(tmp_path_factory):
    lines = "".join(
        f"Service {i};{provider};{model};1;{tokens};FRA\n"
        for i, (provider, model, tokens) in enumerate(ECOLOGITS_FRA)
    )
    path = tmp_path_factory.mktemp("ai") / "usage.csv"
    write(path, "Service;Fournisseur;Modèle;Requêtes;Jetons de sortie;Localisation\n" + lines)
    return estimate_ai_files([path]).runs.reset_index(drop=True)


@pytest.mark.parametrize("index", range(3))
def test_a_hosted_request_has_ecologits_own_adpe_primary_energy_and_water(three_requests, index):
    row = three_requests.iloc[index]
    expected = list(ECOLOGITS_FRA.values())[index]
    assert row["estimate_status"] == "estimated" and row["country"] == "FRA"
    adpe = (
        row["adpe_usage_low_kgsbeq"] + row["adpe_embodied_low_kgsbeq"],
        row["adpe_usage_high_kgsbeq"] + row["adpe_embodied_high_kgsbeq"],
    )
    pe = (
        row["pe_usage_low_mj"] + row["pe_embodied_low_mj"],
        row["pe_usage_high_mj"] + row["pe_embodied_high_mj"],
    )
    assert adpe == pytest.approx(expected["adpe"], rel=1e-9)
    assert pe == pytest.approx(expected["pe"], rel=1e-9)
    assert (row["adpe_usage_low_kgsbeq"], row["adpe_usage_high_kgsbeq"]) == pytest.approx(
        expected["usage_adpe"], rel=1e-9
    )
    # EcoLogits' water is in litres, usage only
    water = (row["water_usage_low_m3"] * 1000, row["water_usage_high_m3"] * 1000)
    assert water == pytest.approx(expected["wcf"], rel=1e-9)


def test_the_hosted_usage_phase_is_the_request_energy_times_the_place_s_figures(three_requests):
    mistral = three_requests.iloc[0]
    # ADPe and primary energy of use = facility energy × FRA per kWh (EcoLogits' formula)
    assert mistral["adpe_usage_kgsbeq"] == pytest.approx(mistral["energy_kwh"] * 4.858e-08, rel=1e-9)
    assert mistral["pe_usage_mj"] == pytest.approx(mistral["energy_kwh"] * 9.3135, rel=1e-9)
    # water = IT energy × (on-site WUE 0.09 + PUE 1.16 × 3.6737 L/kWh), Mistral's data centre
    it_energy = mistral["energy_kwh"] / 1.16
    assert mistral["water_usage_m3"] * 1000 == pytest.approx(it_energy * (0.09 + 1.16 * 3.6737), rel=1e-9)


def test_a_provider_without_a_known_data_centre_gives_no_water_never_zero(tmp_path):
    path = write(
        tmp_path / "usage.csv",
        "Service;Fournisseur;Modèle;Paramètres;Requêtes;Jetons de sortie\nBot;Albert;mon-modele;8b;10;5000\n",
    )
    row = estimate_ai_files([path]).runs.iloc[0]
    assert row["estimate_status"] == "estimated" and row["pue_origin"] == "default"
    assert math.isnan(row["water_usage_m3"])  # its data centre's own water use is not known
    assert row["adpe_embodied_kgsbeq"] > 0
    assert row["pe_usage_mj"] == pytest.approx(row["energy_kwh"] * 9.3135, rel=1e-9)


def test_a_self_hosted_run_s_criteria_are_its_energy_times_the_country_s_figures():
    runs = estimate_ai_files([SAMPLE_AI_LOG]).runs
    run = runs[runs["estimate_status"] == "estimated"].iloc[0]
    assert run["country"] == "FRA"
    assert run["pe_usage_mj"] == pytest.approx(run["energy_kwh"] * 9.3135, rel=1e-12)
    assert run["pe_usage_high_mj"] == pytest.approx(run["energy_high_kwh"] * 9.3135, rel=1e-12)
    assert run["water_usage_m3"] == pytest.approx(run["energy_kwh"] * 3.6737 / 1000, rel=1e-12)
    # no table gives an accelerator's ADPe yet: not given, never 0
    assert math.isnan(run["adpe_embodied_kgsbeq"]) and math.isnan(run["pe_embodied_mj"])


def test_ai_estimate_json_gives_every_criterion_with_its_coverage(run_cli, tmp_path):
    import json

    code, out, err = run_cli("ai", "estimate", SAMPLE_AI_LOG, "--json")
    assert code == 0, err
    result = json.loads(out)
    criteria = result["criteria"]
    assert criteria["gwp_kgco2e"]["total"] == result["totals"]["total_kgco2e"]
    pe = criteria["pe_mj"]
    assert pe["total"] == pytest.approx(result["totals"]["energy_kwh"] * 9.3135, rel=1e-6)
    assert pe["by_phase"]["embodied"] is None and pe["coverage"]["embodied"] == 0.0
    assert pe["runs_not_given"]["embodied"] == result["runs_estimated"]
    assert pe["low"] <= pe["total"] <= pe["high"]
