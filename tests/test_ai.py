"""AI workloads: published runs written as logs, reproduced within 1 %."""

import json

import pytest

from conftest import FRANCE_GRID, SAMPLE_AI_LOG, write
from greenit.api import estimate_ai_files
from greenit.factors import load_factors


def estimate(tmp_path, text, name="runs.csv", **options):
    return estimate_ai_files([write(tmp_path / name, text)], **options).result()


def test_bloom_dynamic_training_energy_and_emissions(tmp_path):
    # Luccioni et al. 2022, Table 1: 1,082,990 A100-hours at 400 W, PUE 1, 57 g/kWh
    result = estimate(
        tmp_path,
        "run_id;project;phase;accelerator_hours;accelerator;pue;"
        "carbon_intensity;location\n"
        "bloom;BLOOM;training;1 082 990;A100 SXM 80GB;1;57 g/kWh;FRA\n",
    )
    run = result["runs"][0]
    assert run["energy_kwh"] == pytest.approx(433_196, rel=0.01)
    assert run["usage_kgco2e"] / 1000 == pytest.approx(24.69, rel=0.01)
    assert run["phase"] == "training"


def test_bloom_embodied_share_of_servers_and_gpus(tmp_path):
    # Table 3: 2,500 kg per 8-GPU server, 150 kg per A100, 6 years at 85 % → 11.2 t
    text = "run_id;accelerator_hours;accelerator;pue;carbon_intensity\nbloom;1082990;A100;1;57\n"
    runs = estimate_ai_files([write(tmp_path / "b.csv", text)]).runs
    assert runs["embodied_servers_kgco2e"].iloc[0] / 1000 == pytest.approx(7.57, rel=0.01)
    assert runs["embodied_accelerators_kgco2e"].iloc[0] / 1000 == pytest.approx(3.64, rel=0.01)
    assert runs["embodied_kgco2e"].iloc[0] / 1000 == pytest.approx(11.2, rel=0.01)


PATTERSON = """\
Modèle;Puce;Nombre de puces;Durée;Puissance par puce (W);PUE;Intensité carbone (kgCO2e/kWh)
Evolved Transformer NAS;TPU v2;200;6,8 jours;208;1,10;0,431
T5;TPU v3;512;20 jours;310;1,12;0,545
Meena;TPU v3;1024;30 jours;289;1,09;0,415
GShard-600B;TPU v3;1024;3,1 jours;288;1,09;0,201
Switch Transformer;TPU v3;1024;27 jours;245;1,10;0,403
GPT-3;V100;10000;14,8 jours;330;1,10;0,429
"""


@pytest.mark.parametrize(
    "model, mwh, tonnes",
    [
        ("Evolved Transformer NAS", 7.5, 3.2),
        ("T5", 85.7, 46.7),
        ("Meena", 232, 96.4),
        ("GShard-600B", 24.1, 4.8),
        ("Switch Transformer", 179, 72.2),
        ("GPT-3", 1287, 552.1),
    ],
)
def test_patterson_2021_table_4(tmp_path, model, mwh, tonnes):
    text = PATTERSON.replace("Modèle", "run_id").replace("Puissance par puce (W)", "accelerator_power (W)")
    result = estimate(tmp_path, text)
    run = next(r for r in result["runs"] if r["run_id"] == model)
    assert run["energy_kwh"] / 1000 == pytest.approx(mwh, rel=0.01)
    assert run["usage_kgco2e"] / 1000 == pytest.approx(tonnes, rel=0.01)
    assert result["runs_in"] == result["runs_estimated"] == 6


def test_measured_energy_and_job_power_take_precedence(tmp_path):
    text = (
        "run_id;duration;accelerator;accelerator_count;power;energy;pue;location\n"
        "measured;10 h;H100;8;;0,0552 MWh;;FRA\n"
        "power;2 h;H100;8;5 kW;;1,2;FRA\n"
        "model;2 h;H100;8;;;1,2;FRA\n"
    )
    runs = {r["run_id"]: r for r in estimate(tmp_path, text)["runs"]}
    assert runs["measured"]["energy_kwh"] == pytest.approx(55.2)  # 690 W a board (13.8 MWh was 172 kW)
    assert runs["measured"]["energy_method"] == "measured"
    assert runs["power"]["energy_kwh"] == pytest.approx(2 * 5 * 1.2)
    assert runs["model"]["energy_kwh"] == pytest.approx(2 * 8 * 0.7 * 1.2)
    assert runs["model"]["usage_kgco2e"] == pytest.approx(2 * 8 * 0.7 * 1.2 * FRANCE_GRID)


def test_host_cpu_and_memory_count_only_when_given(tmp_path):
    text = (
        "run_id;duration;accelerator;utilisation;cpu_power;memory;pue\n"
        "bare;10 h;T4;50 %;;;1\nhost;10 h;T4;50 %;100 W;64 GB;1\n"
    )
    runs = {r["run_id"]: r for r in estimate(tmp_path, text)["runs"]}
    assert runs["bare"]["energy_kwh"] == pytest.approx(10 * 70 * 0.5 / 1000)
    assert runs["host"]["energy_kwh"] == pytest.approx(10 * (35 + 100 + 64 * 0.3725) / 1000)


def test_pue_and_intensity_come_from_the_cloud_region(tmp_path, english):
    text = (
        "run_id;duration;accelerator;utilisation;location\n"
        "paris;1 h;L4;1;europe-west9\novh;1 h;L4;1;ovh-gra\nnowhere;1 h;L4;1;\n"
    )
    runs = {r["run_id"]: r for r in estimate(tmp_path, text)["runs"]}
    # GCP 2024: 1 + (1.56 − 1) × (1 − 0.84) ≈ 1.09 (Google: 84 % less overhead than the average)
    assert runs["paris"]["pue_used"] == 1.09
    # one French grid factor: a Paris region takes ADEME's 0.0461, not Google's 16.30 g
    assert runs["paris"]["carbon_intensity_used_kg_per_kwh"] == FRANCE_GRID
    assert runs["ovh"]["pue_used"] == 1.28  # OVHcloud's published global average
    assert runs["ovh"]["carbon_intensity_used_kg_per_kwh"] == FRANCE_GRID  # France (ADEME)
    assert runs["nowhere"]["pue_used"] == 1.56  # unknown provider (Uptime 2024)
    assert "location not given: default country" in runs["nowhere"]["notes"]


def test_per_request_figures_for_a_served_model(tmp_path):
    text = "run_id;phase;duration;accelerator;utilisation;pue;requests\nbot;inférence;100 h;L4;0,5;1;36000\n"
    run = estimate(tmp_path, text)["runs"][0]
    assert run["phase"] == "inference"
    assert run["energy_per_request_wh"] == pytest.approx(100 * 72 * 0.5 / 36000)


def test_runs_missing_what_their_energy_needs_are_flagged(tmp_path, english):
    text = (
        "run_id;duration;accelerator;accelerator_power;location\n"
        "ok;1 h;A100;;FRA\nno-time;;A100;;FRA\nunknown-gpu;2 h;Quantum X9;;FRA\n"
        "bad-place;1 h;A100;;Atlantis\nbad-unit;1 kg;A100;;FRA\n"
    )
    result = estimate(tmp_path, text)
    assert result["runs_in"] == result["runs_estimated"] + result["runs_flagged"] == 5
    reasons = {f["row"]: f["reason"] for f in result["flagged"]}
    assert reasons[2].startswith("duration: the log gives neither a duration")
    assert reasons[3] == (
        "accelerator: 'Quantum X9' is not in the accelerator table; give accelerator_power (W)"
    )
    assert reasons[4] == "location: 'Atlantis' is neither a country (ISO-3) nor a known cloud region"
    assert "not a unit of the expected kind" in reasons[5]


def test_french_headers_jsonl_and_xlsx_logs(tmp_path):
    jsonl = write(
        tmp_path / "runs.jsonl",
        '{"run_id": "a", "phase": "entraînement", "duration": "2 h", '
        '"accelerator": "H100", "pue": 1.2}\n'
        '{"run_id": "b", "phase": "inference", "energy": "3 kWh"}\n',
    )
    result = estimate_ai_files([jsonl]).result()
    assert [r["phase"] for r in result["runs"]] == ["training", "inference"]
    assert result["runs"][1]["energy_kwh"] == 3.0
    import pandas as pd

    xlsx = tmp_path / "runs.xlsx"
    pd.DataFrame(
        {"Identifiant": ["x"], "Durée (h)": [3], "Accélérateur": ["A100 PCIe"], "PUE": [1.0]}
    ).to_excel(xlsx, index=False)
    assert estimate_ai_files([xlsx]).result()["runs"][0]["energy_kwh"] == pytest.approx(0.75)


def test_sample_town_ai_log(run_cli):
    code, out, err = run_cli("ai", "estimate", SAMPLE_AI_LOG, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["runs_in"] == 6 and result["runs_flagged"] == 0
    assert {p["phase"] for p in result["by_phase"]} == {"training", "fine-tuning", "inference", "evaluation"}
    chatbot = next(r for r in result["runs"] if r["run_id"] == "chatbot-mairie-t1")
    assert chatbot["energy_kwh"] == pytest.approx(2160 * 350 * 0.35 * 1.3 / 1000)


def test_ai_estimate_json_contract(run_cli, tmp_path):
    log = write(
        tmp_path / "r.csv", "run_id;project;phase;duration;accelerator;pue\nr1;P;training;1 h;A100;1\n"
    )
    code, out, _ = run_cli("ai", "estimate", log, "--json")
    result = json.loads(out)
    assert set(result) >= {"runs_in", "runs_estimated", "runs_flagged", "totals", "runs"}
    assert set(result["totals"]) >= {
        "energy_kwh",
        "usage_kgco2e",
        "embodied_kgco2e",
        "total_kgco2e",
        "total_low_kgco2e",
        "total_high_kgco2e",
    }
    assert set(result["runs"][0]) >= {
        "run_id",
        "project",
        "phase",
        "energy_kwh",
        "usage_kgco2e",
        "embodied_kgco2e",
        "total_kgco2e",
        "total_low_kgco2e",
        "total_high_kgco2e",
    }
    totals = result["totals"]
    assert totals["total_low_kgco2e"] <= totals["total_kgco2e"] <= totals["total_high_kgco2e"]


@pytest.mark.slow
def test_codecarbon_emissions_csv_from_a_real_run_reads_back(tmp_path):
    import time

    from codecarbon import OfflineEmissionsTracker

    tracker = OfflineEmissionsTracker(
        country_iso_code="FRA",
        output_dir=str(tmp_path),
        project_name="greenit-test",
        log_level="error",
        measure_power_secs=1,
    )
    tracker.start()
    time.sleep(2.5)  # a run's length: what is read back is the file, whatever the load measured
    tracker.flush()  # a cumulative intermediate row, as long runs have
    time.sleep(0.5)
    tracker.stop()
    path = tmp_path / "emissions.csv"
    import pandas as pd

    written = pd.read_csv(path)
    assert len(written) == 2 and written["run_id"].nunique() == 1
    last = written.iloc[-1]
    result = estimate_ai_files([path]).result()
    assert result["runs_in"] == 1
    run = result["runs"][0]
    assert run["energy_kwh"] == pytest.approx(last["energy_consumed"], rel=1e-6)
    # one method: the measured energy × the grid factor of the inventory (France, ADEME)
    france = load_factors().grid_factor("FRA")
    assert run["usage_kgco2e"] == pytest.approx(last["energy_consumed"] * france, rel=1e-6)
    assert run["carbon_intensity_origin"] == "country"
    kept = estimate_ai_files([path], keep_log_intensity=True).result()["runs"][0]
    assert kept["usage_kgco2e"] == pytest.approx(last["emissions"], rel=1e-6)
    assert run["project"] == "greenit-test"
