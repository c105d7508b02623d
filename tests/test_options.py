"""One typed options object from the CLI to the API to the pipelines; keywords still work."""

import dataclasses

import pytest

from conftest import SAMPLE_AI_LOG, SAMPLE_INVENTORY
from greenit.options import Options


def test_keywords_and_an_options_object_are_the_same_request():
    import greenit

    by_keywords = greenit.estimate_files(
        [SAMPLE_INVENTORY], year=2025, method="flux", grid_factor_kg_per_kwh=0.1
    )
    by_object = greenit.estimate_files(
        [SAMPLE_INVENTORY], Options(year=2025, method="flux", grid_factor_kg_per_kwh=0.1)
    )
    assert by_keywords.result()["totals"] == by_object.result()["totals"]
    # keywords replace the object's values
    flux_2024 = greenit.estimate_files([SAMPLE_INVENTORY], Options(year=2025, method="flux"), year=2024)
    assert flux_2024.result()["year"] == 2024


def test_an_unknown_keyword_is_a_type_error_as_for_any_function():
    with pytest.raises(TypeError, match="yaer"):
        Options.of(yaer=2025)


def test_the_former_name_of_the_grid_factor_is_still_taken():
    assert Options.of(carbon_intensity_kg_per_kwh=0.05).grid_factor_kg_per_kwh == 0.05
    import greenit

    runs = greenit.estimate_ai_files([SAMPLE_AI_LOG], carbon_intensity_kg_per_kwh=0.5)
    same = greenit.estimate_ai_files([SAMPLE_AI_LOG], grid_factor_kg_per_kwh=0.5)
    assert runs.result()["totals"] == same.result()["totals"]


def test_every_shared_command_line_option_is_an_options_field_and_back():
    from greenit.cli.common import AI_OPTIONS, INVENTORY_OPTIONS, SHARED_OPTIONS

    fields = {f.name for f in dataclasses.fields(Options)}
    produced = set()
    for name, option in SHARED_OPTIONS.items():
        value = option.default.value if hasattr(option.default, "value") else option.default
        produced |= set(option.fields(option.default if name in ("method", "lang") else value))
    assert produced <= fields
    assert fields - produced == {"on_missing"}  # the API's default, the CLI's "report"
    assert set(INVENTORY_OPTIONS) | set(AI_OPTIONS) <= set(SHARED_OPTIONS)


def test_the_cli_builds_one_options_object(run_cli, tmp_path):
    code, out, err = run_cli(
        "estimate", SAMPLE_INVENTORY, "--year", "2025", "--grid-factor", "100 g/kWh", "--json"
    )
    assert code == 0, err
    import json

    import greenit

    expected = greenit.estimate_files([SAMPLE_INVENTORY], Options(year=2025, grid_factor_kg_per_kwh=0.1))
    assert json.loads(out)["totals"]["use_kgco2e"] == pytest.approx(expected.result()["totals"]["use_kgco2e"])


def test_the_pipelines_take_the_grid_factor_under_its_former_name_too():
    from greenit.ai.runs.estimate import estimate_workloads
    from greenit.api import estimate_ai_files

    runs = estimate_ai_files([SAMPLE_AI_LOG])
    named = estimate_workloads(runs.normalised, runs.factors, grid_factor_kg_per_kwh=0.2)
    former = estimate_workloads(runs.normalised, runs.factors, carbon_intensity_kg_per_kwh=0.2)
    assert named["usage_kgco2e"].sum() == former["usage_kgco2e"].sum() > 0
