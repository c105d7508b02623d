"""Hosted generative AI: a town's requests to providers' models, estimated with EcoLogits, offline.

Every figure is checked against EcoLogits itself, called directly with the same inputs.
"""

from __future__ import annotations

import json
import math
import re
import socket
import subprocess
import sys

import pytest

from conftest import FRANCE_GRID, ROOT, write

SAMPLE_USAGE = ROOT / "examples" / "ville-exemple" / "usage_ia_generative.csv"


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """No socket may connect while a hosted test runs: greenit and EcoLogits work offline."""
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError(f"network disabled in tests: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: refuse(None, a))
    yield attempts
    assert attempts == [], f"a network connection was attempted: {attempts}"


def hosted_rows(*paths, **options):
    from greenit.api import estimate_ai_files

    result = estimate_ai_files(list(paths), **options)
    return result, result.hosted.reset_index(drop=True)


def ecologits_direct(provider, model, tokens_per_request, intensity):
    """EcoLogits' own computation of one request: its model table, its provider PUE, our intensity."""
    from ecologits.impacts.llm import compute_llm_impacts
    from ecologits.model_repository import ParametersMoE, models
    from ecologits.tracers.utils import PROVIDER_CONFIG_MAP

    found = models.find_model(provider=provider, model_name=model)
    parameters = found.architecture.parameters
    if isinstance(parameters, ParametersMoE):
        total, active = parameters.total, parameters.active
    else:
        total = active = parameters
    return compute_llm_impacts(
        model_active_parameter_count=active,
        model_total_parameter_count=total,
        output_token_count=tokens_per_request,
        if_electricity_mix_adpe=0,
        if_electricity_mix_pe=0,
        if_electricity_mix_gwp=intensity,
        if_electricity_mix_wue=0,
        datacenter_pue=PROVIDER_CONFIG_MAP[provider].datacenter_pue,
        datacenter_wue=0,
        tps=found.deployment.tps if found.deployment else None,
        ttft=found.deployment.ttft if found.deployment else None,
    )


def low_high(value):
    return (value.min, value.max) if hasattr(value, "min") else (value, value)


@pytest.mark.parametrize(
    ("service", "provider", "model", "country"),
    [
        ("Chatbot citoyen", "mistralai", "mistral-small-latest", "SWE"),  # open MoE model
        ("Résumé des courriers", "openai", "gpt-4o-mini", "USA"),  # closed: parameter range
        ("Transcription des conseils", "mistralai", "voxtral-mini-latest", "SWE"),  # multimodal
    ],
)
def test_three_rows_recomputed_with_ecologits_give_the_same_energy_and_emissions(
    service, provider, model, country
):
    from greenit.factors import load_factors

    _, rows = hosted_rows(SAMPLE_USAGE)
    row = rows[rows["service"] == service].iloc[0]
    intensity = load_factors().grid_factor(country)
    assert row["country"] == country
    assert row["carbon_intensity_used_kg_per_kwh"] == intensity
    impacts = ecologits_direct(provider, model, row["output_tokens"] / row["requests"], intensity)
    requests = row["requests"]
    for column, value in [
        ("energy", impacts.energy.value),
        ("usage", impacts.usage.gwp.value),
        ("embodied", impacts.embodied.gwp.value),
    ]:
        unit = "kwh" if column == "energy" else "kgco2e"
        low, high = low_high(value)
        assert row[f"{column}_low_{unit}"] == pytest.approx(low * requests, rel=1e-12)
        assert row[f"{column}_high_{unit}"] == pytest.approx(high * requests, rel=1e-12)
        assert row[f"{column}_{unit}"] == pytest.approx((low + high) / 2 * requests, rel=1e-12)
    total_low, total_high = low_high(impacts.gwp.value)
    assert row["total_low_kgco2e"] == pytest.approx(total_low * requests, rel=1e-12)
    assert row["total_high_kgco2e"] == pytest.approx(total_high * requests, rel=1e-12)


def test_energy_equals_ecologits_high_level_api_for_a_mistral_request(tmp_path):
    """The energy of a request does not depend on the electricity: EcoLogits' ``llm_impacts`` gives it."""
    from ecologits.tracers.utils import llm_impacts

    log = write(
        tmp_path / "usage.csv",
        "service;provider;model;requests;output_tokens\nChatbot;Mistral AI;mistral-small-latest;1;400\n",
    )
    _, rows = hosted_rows(log)
    expected = llm_impacts("mistralai", "mistral-small-latest", 400, request_latency=math.inf)
    assert rows.at[0, "energy_kwh"] == pytest.approx(expected.energy.value, rel=1e-12)


def test_unknown_model_is_flagged_with_the_closest_known_names(tmp_path, english):
    from greenit.flags import render_column

    log = write(
        tmp_path / "usage.csv",
        "service,provider,model,requests,output_tokens\n"
        "Courrier,Anthropic,claude-3-5-haiku-20241022,100,20000\n"
        "Chatbot,Mistral AI,mistral-smal-latest,100,20000\n",
    )
    result, rows = hosted_rows(log)
    reasons = render_column(rows["reason"]).tolist()
    assert (rows["estimate_status"] == "flagged").all()
    assert "'claude-3-5-haiku-20241022' is neither in EcoLogits nor in genai_models.csv" in reasons[0]
    assert "claude-haiku-4-5" in reasons[0]  # the closest names EcoLogits knows
    assert "close names: mistral-small-latest" in reasons[1]
    assert result.result()["runs_flagged"] == 2


def test_a_user_adds_a_model_in_genai_models_and_the_row_is_estimated(tmp_path):
    log = write(
        tmp_path / "usage.csv",
        "service;provider;model;requests;output_tokens\nAssistant;DINUM;albert-large;1000;400000\n",
    )
    _, before = hosted_rows(log)
    assert before.at[0, "estimate_status"] == "flagged"
    factors = tmp_path / "facteurs"
    factors.mkdir()
    write(
        factors / "genai_models.csv",
        "model,aliases,provider,architecture,total_parameters_billion,active_parameters_billion,source_id\n"
        "albert-large,,,dense,24,24,my_source\n",
    )
    write(
        factors / "sources.csv",
        "source_id,publisher,title,year,url,licence\nmy_source,DINUM,Albert API models page,2025,https://albert.api.etalab.gouv.fr/v1/models,\n",
    )
    _, after = hosted_rows(log, factors=factors)
    assert after.at[0, "estimate_status"] == "estimated"
    assert after.at[0, "country"] == "FRA"  # DINUM is unknown to EcoLogits: --country
    from greenit.ai.hosted.models import ModelSpec, request_impacts

    pue = 1.56  # pue.csv 'unknown'
    one = request_impacts(
        ModelSpec.of_size("albert-large", 24), 400, pue=(pue, pue), grid_factor_kg_per_kwh=FRANCE_GRID
    )
    assert after.at[0, "energy_kwh"] == pytest.approx(one["energy_kwh"].central * 1000, rel=1e-12)


def test_the_log_location_beats_the_provider_data_centre(tmp_path):
    log = write(
        tmp_path / "usage.csv",
        "service;provider;model;requests;output_tokens;location\n"
        "A;Mistral AI;mistral-small-latest;10;4000;France\n"
        "B;Mistral AI;mistral-small-latest;10;4000;\n",
    )
    _, rows = hosted_rows(log, country="DEU")
    assert rows["country"].tolist() == ["FRA", "SWE"]
    assert rows.at[0, "carbon_intensity_used_kg_per_kwh"] == pytest.approx(FRANCE_GRID)
    assert rows.at[0, "energy_kwh"] == pytest.approx(rows.at[1, "energy_kwh"])  # same requests, same energy


def test_providers_figures_sit_beside_ecologits_and_show_the_spread():
    from greenit.ai.hosted.references import reference_comparison
    from greenit.factors import load_factors

    table = reference_comparison(load_factors()).set_index("reference_id")
    mistral = table.loc["mistral_large_2_lca"]
    assert mistral["published_gco2e"] == pytest.approx(1.14)
    assert mistral["compare_model"] == "mistral-large-2407"
    assert mistral["compare_output_tokens"] == 400
    assert mistral["ratio_gco2e"] > 20  # Mistral's LCA is more than 20× EcoLogits' estimate
    assert table.loc["gemini_apps_median_text", "published_energy_wh"] == pytest.approx(0.24)
    assert table.loc["chatgpt_average_query", "published_energy_wh"] == pytest.approx(0.34)
    assert math.isnan(table.loc["chatgpt_average_query", "published_gco2e"])  # never invented
    assert table["source_url"].str.startswith("https://").all()


def test_ai_estimate_json_has_the_hosted_part_and_the_kind_of_each_file(run_cli, tmp_path):
    code, out, err = run_cli(
        "ai", "estimate", ROOT / "examples/ville-exemple/journal_ia.csv", SAMPLE_USAGE, "--json"
    )
    assert code == 0, err
    result = json.loads(out)
    kinds = {item["file"].rsplit("/", 1)[-1]: item["kind"] for item in result["files"]}
    assert kinds == {"journal_ia.csv": "run_log", "usage_ia_generative.csv": "usage_log"}
    hosted = result["hosted"]
    assert hosted["rows_in"] == 47 and hosted["rows_flagged"] == 0
    assert (
        hosted["totals"]["total_low_kgco2e"]
        <= hosted["totals"]["total_kgco2e"]
        <= hosted["totals"]["total_high_kgco2e"]
    )
    services = {s["service"]: s for s in hosted["by_service"]}
    chatbot = services["Chatbot citoyen"]
    assert chatbot["per_1000_requests_kgco2e"] == pytest.approx(
        chatbot["total_kgco2e"] / chatbot["requests"] * 1000
    )
    projects = {run["project"] for run in result["runs"]}
    assert {"Chatbot citoyen", "Assistant des agents", "Tri du courrier entrant"} <= projects
    assert result["totals"]["total_kgco2e"] == pytest.approx(
        sum(run["total_kgco2e"] for run in result["runs"]), rel=1e-6
    )
    assert [r["reference_id"] for r in hosted["references"]][0] == "mistral_large_2_lca"


def test_nothing_leaves_the_machine_from_import_to_references(tmp_path):
    """In a fresh interpreter whose sockets refuse to connect, import, estimate and compare."""
    script = f"""
import socket, sys
def refuse(*args, **kwargs):
    print("NETWORK", args, file=sys.stderr)
    raise SystemExit(3)
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.getaddrinfo = refuse
socket.create_connection = refuse
from greenit.api import estimate_ai_files
result = estimate_ai_files([{str(SAMPLE_USAGE)!r}]).result()
assert result["hosted"]["rows_estimated"] == 47
assert len(result["hosted"]["references"]) == 3
print("offline ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "offline ok" in done.stdout


def test_many_lengths_give_exactly_what_one_ecologits_call_per_length_gives():
    """A per-request log has thousands of lengths: greenit draws EcoLogits' line through two calls."""
    import numpy as np

    from greenit.ai.hosted.estimate import catalogue_of
    from greenit.ai.hosted.models import request_impacts, request_impacts_by_length
    from greenit.factors import load_factors

    spec, _ = catalogue_of(load_factors()).find("gpt-4o", "openai")  # a range, a throughput, a first token
    lengths = np.array([1, 7, 250, 251, 400, 1999, 12_000, 7, 400], dtype=float)
    options = {"pue": (1.2, 1.2), "grid_factor_kg_per_kwh": 0.369}
    options |= {"mix": (4.858e-08, 9.3135, 3.6737), "wue": (0.569, 0.569)}  # ADPe, PE, water too
    lines = request_impacts_by_length(spec, lengths, **options)
    for i, n in enumerate(lengths):
        direct = request_impacts(spec, n, **options)
        for name, bounds in direct.items():
            got = [values[i] for values in lines[name]]
            assert got == pytest.approx(list(bounds), rel=1e-12)


def test_if_ecologits_stopped_being_affine_each_length_would_get_its_own_call(monkeypatch):
    import numpy as np

    import greenit.ai.hosted.models as models
    from greenit.bounds import Bounds

    calls = []

    def curved(spec, tokens, **options):
        calls.append(tokens)
        value = float(tokens) ** 2
        return {
            name: Bounds(value, value, value) for name in ("energy_kwh", "usage_kgco2e", "embodied_kgco2e")
        }

    monkeypatch.setattr(models, "request_impacts", curved)
    spec = models.ModelSpec.of_size("x", 8)
    out = models.request_impacts_by_length(
        spec, np.array([1.0, 2.0, 3.0, 4.0, 5.0]), pue=(1, 1), grid_factor_kg_per_kwh=0
    )
    assert list(out["energy_kwh"].central) == [1, 4, 9, 16, 25]
    assert sorted(calls[3:]) == [1, 2, 3, 4, 5]  # after the three calls of the line, one per length


def test_console_lists_services_not_every_usage_row(run_cli):
    code, out, err = run_cli("ai", "estimate", SAMPLE_USAGE)
    assert code == 0, err
    assert "usage_ia_generative.csv#" not in out  # 47 rows, not 47 lines
    lines = re.sub(r"\s*\n\s*", " ", out)  # « exécutions ou périodes » may wrap the line
    assert "107\u202f160 requêtes" in lines  # the agents' assistant, its twelve months together
    assert "fois l'estimation d'EcoLogits" in out


def test_usage_rows_follow_the_frame_contract_and_are_runs_too():
    from greenit.api import estimate_ai_files
    from greenit.schema import check

    result = estimate_ai_files([SAMPLE_USAGE, ROOT / "tests/fixtures/real/openai_usage_completions.json"])
    assert check(result.usage, "usage") == []
    assert check(result.hosted, "usage_estimated") == []
    assert check(result.hosted, "runs_estimated") == []  # DESIGN: a hosted usage row is a run
