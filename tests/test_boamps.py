"""BoAmps (Boavizta's AI energy reports): read by ai estimate, written by greenit track, and both
checked against the published schema (tests/fixtures/boamps_schema, CC BY 4.0), offline.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from track_support import ai_estimate, install_stub, rows

from conftest import ROOT, write

REPORT = ROOT / "tests" / "fixtures" / "real" / "boamps_report_training_tri_courriers.json"
SCHEMAS = ROOT / "tests" / "fixtures" / "boamps_schema"
ONLINE = "https://raw.githubusercontent.com/Boavizta/BoAmps/main/model/"


def validator():
    """The published report schema with its absolute $refs mapped to the local copies (no network)."""
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    resources = []
    for path in SCHEMAS.glob("*_schema.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((ONLINE + path.name, Resource.from_contents(schema, default_specification=DRAFT4)))
    registry = Registry().with_resources(resources)
    report = json.loads((SCHEMAS / "report_schema.json").read_text(encoding="utf-8"))
    return Draft4Validator(report, registry=registry)


def errors_of(document: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(document)]


def test_the_fixture_is_a_valid_report_and_the_schema_refuses_a_broken_one():
    document = json.loads(REPORT.read_text(encoding="utf-8"))
    assert errors_of(document) == []
    broken = json.loads(REPORT.read_text(encoding="utf-8"))
    del broken["measures"][0]["powerConsumption"]
    broken["infrastructure"]["components"][0]["nbComponent"] = 1.5
    broken["header"]["publisher"]["confidentialityLevel"] = "publique"
    assert len(errors_of(broken)) == 3


def test_a_boamps_report_is_read_as_one_measured_run(run_cli):
    code, out, err = run_cli("ai", "estimate", REPORT, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["runs_in"] == result["runs_estimated"] == 1
    run = result["runs"][0]
    assert run["run_id"] == "6cd2909a-d5d5-40f5-9e72-7866ccf832a9"
    assert run["project"] == "tri-courriers" and run["phase"] == "fine-tuning"  # taskStage « finetuning »
    assert run["energy_method"] == "measured"
    assert run["energy_kwh"] == pytest.approx(10.8463)  # powerConsumption is kWh
    assert run["hours"] == pytest.approx(54012.748 / 3600)
    assert run["accelerator"] == "a100_sxm_80gb" and run["accelerator_count"] == 2  # « 2 x NVIDIA A100… »
    assert run["country"] == "FRA"  # environment.country « france »
    # the report's own grid factor (84.879 gCO2e/kWh) is the run's, as a run log's carbon_intensity
    assert run["carbon_intensity_used_kg_per_kwh"] == pytest.approx(0.084879)
    assert run["usage_kgco2e"] == pytest.approx(10.8463 * 0.084879, rel=1e-8)
    assert result["files"][0]["kind"] == "boamps"


def test_measures_of_one_method_are_summed_and_another_method_is_not_added(run_cli, tmp_path):
    document = json.loads(REPORT.read_text(encoding="utf-8"))
    first = document["measures"][0]
    document["measures"] = [
        first,
        {**first, "powerConsumption": 2.0, "measurementDuration": 3600},
        {**first, "measurementMethod": "wattmeter", "powerConsumption": 99.0},
    ]
    path = write(tmp_path / "report.json", json.dumps(document))
    code, out, err = run_cli("ai", "estimate", path, "--json")
    assert code == 0, err
    run = json.loads(out)["runs"][0]
    assert run["energy_kwh"] == pytest.approx(10.8463 + 2.0)
    assert run["hours"] == pytest.approx((54012.748 + 3600) / 3600)


def test_a_list_of_reports_gives_one_run_each_and_a_usage_export_is_still_a_usage_export(run_cli, tmp_path):
    document = json.loads(REPORT.read_text(encoding="utf-8"))
    second = json.loads(REPORT.read_text(encoding="utf-8"))
    second["header"]["reportId"] = "second"
    path = write(tmp_path / "reports.json", json.dumps([document, second]))
    code, out, err = run_cli("ai", "estimate", path, "--json")
    assert code == 0, err
    assert [r["run_id"] for r in json.loads(out)["runs"]] == [
        "6cd2909a-d5d5-40f5-9e72-7866ccf832a9",
        "second",
    ]
    usage = ROOT / "tests" / "fixtures" / "real" / "openai_usage_completions.json"
    code, out, err = run_cli("ai", "estimate", usage, "--json")
    assert code == 0, err
    assert json.loads(out)["files"][0]["kind"] == "usage_log"


def test_a_bad_power_consumption_flags_the_run(run_cli, tmp_path):
    good = json.loads(REPORT.read_text(encoding="utf-8"))
    bad = json.loads(REPORT.read_text(encoding="utf-8"))
    bad["header"]["reportId"] = "another-report"
    bad["measures"][0]["powerConsumption"] = "beaucoup"
    path = write(tmp_path / "reports.json", json.dumps([good, bad]))
    code, out, err = run_cli("ai", "estimate", path, "--json")
    result = json.loads(out)
    assert (result["runs_estimated"], result["runs_flagged"]) == (1, 1)
    assert "beaucoup" in result["flagged"][0]["reason"]
    alone = write(tmp_path / "report.json", json.dumps(bad))  # nothing estimated: exit 2, the reason said
    code, out, err = run_cli("ai", "estimate", alone, "--json")
    assert code == 2 and "beaucoup" in err


def test_greenit_track_writes_a_valid_boamps_report_that_reads_back_as_the_same_run(monkeypatch, tmp_path):
    from greenit.tracking.supervisor import run_command

    stub = install_stub(monkeypatch, tmp_path)
    stub.set(gpu_model="1 x NVIDIA H100 80GB HBM3", gpu_power_w=400, power_w=60)
    log, report = tmp_path / "runs.csv", tmp_path / "run.boamps.json"
    said = []
    code = run_command(
        [sys.executable, "-c", "pass"],
        log=log,
        project="tri-courriers",
        phase="fine-tuning",
        boamps_out=report,
        report=said.append,
    )
    assert code == 0
    final = rows(log)[-1]
    document = json.loads(report.read_text(encoding="utf-8"))
    assert errors_of(document) == []
    assert document["header"]["reportId"] == final["run_id"]
    assert document["task"]["taskStage"] == "finetuning"
    assert document["measures"][0]["powerConsumption"] == pytest.approx(float(final["energy [kWh]"]))
    assert document["measures"][0]["measurementDuration"] == pytest.approx(
        float(final["duration [h]"]) * 3600
    )
    # the start, not the end (CodeCarbon's own writer puts the end there)
    assert document["measures"][0]["measurementDateTime"] == final["started_at"].replace("T", " ")[:19]
    gpu = document["infrastructure"]["components"][0]
    assert gpu == {"componentName": "NVIDIA H100 80GB HBM3", "componentType": "gpu", "nbComponent": 1}
    assert document["environment"]["powerSourceCarbonIntensity"] == pytest.approx(46.1)
    tracked, read_back = ai_estimate(log)["runs"][0], ai_estimate(report)["runs"][0]
    assert read_back["energy_kwh"] == pytest.approx(tracked["energy_kwh"], rel=1e-9)
    assert read_back["usage_kgco2e"] == pytest.approx(tracked["usage_kgco2e"], rel=1e-9)
    assert read_back["accelerator"] == tracked["accelerator"] == "h100_sxm"
    assert "BoAmps" in str(said[-1])


def test_a_report_that_cannot_be_written_is_said_and_the_exit_code_kept(monkeypatch, tmp_path):
    from greenit.tracking.supervisor import run_command

    install_stub(monkeypatch, tmp_path)
    said = []
    code = run_command(
        [sys.executable, "-c", "import sys; sys.exit(3)"],
        log=tmp_path / "runs.csv",
        boamps_out=tmp_path / "missing" / "run.json",
        report=said.append,
    )
    assert code == 3
    assert "non écrit" in str(said[-1])
    assert rows(tmp_path / "runs.csv")[-1]["status"] == "failed"


def test_schema_files_carry_their_licence_and_commit():
    assert "Creative Commons" in (SCHEMAS / "LICENSE.md").read_text(encoding="utf-8")
    assert (
        (SCHEMAS / "COMMIT")
        .read_text(encoding="utf-8")
        .startswith("3bfefec8446ee196d1723c0e35859eb7762da3c9")
    )
    assert {p.name for p in SCHEMAS.glob("*_schema.json")} == {
        f"{n}_schema.json" for n in ("report", "measure", "hardware", "algorithm", "dataset")
    }
    assert Path(REPORT).exists()
