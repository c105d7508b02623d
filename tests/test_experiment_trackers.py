"""Experiment trackers' exports (issue 19): W&B's runs table (Runtime in seconds — it was read as
hours, ×3,600), MLflow's search_runs and UI CSVs (start/end, params.num_gpus, ``'-`` cells,
Unix milliseconds), and nvidia-smi power logs (a measurement: energy integrated per GPU).

Expected values are computed here from the fixture's own cells (tests/fixtures/real/README.md).
"""

from __future__ import annotations

import csv
import io

import pytest

from conftest import ROOT
from greenit.api import estimate_ai_files

REAL = ROOT / "tests" / "fixtures" / "real"


def runs_of(path, year: int = 2025, **options) -> tuple[dict, dict]:
    result = estimate_ai_files([path], year=year, **options).result()
    runs = {r["run_id"]: r for r in result["runs"]}
    return runs, result


# --- Weights & Biases -------------------------------------------------------------------------

#: Runtime [s] and num_gpus of the fixture's runs
WANDB = {
    "ft-courriers-lora-r16": (54012, 2),
    "ft-courriers-lora-r8": (27431, 2),
    "eval-courriers-r16": (1863, 1),
    "sweep-lr-1": (642, 2),
    "sweep-lr-2": (5, 2),
    "sweep-lr-3": (3610, 2),
    "ft-courriers-lora-r16-v2": (8640, 2),
    "résumé-délibérations-2019": (12044, 1),
}


def test_wandb_runtime_is_read_in_seconds_never_hours():
    runs, result = runs_of(REAL / "wandb_runs_table_export.csv")
    assert result["files"][0]["kind"] == "wandb"
    # the 2019 run is listed apart from the 2025 totals (its period), and counted in 2019's
    assert result["runs_in"] == 8 and set(runs) == set(WANDB) - {"résumé-délibérations-2019"}
    assert [r["run_id"] for r in result["outside_year"]] == ["résumé-délibérations-2019"]
    runs_2019, _ = runs_of(REAL / "wandb_runs_table_export.csv", year=2019)
    runs |= {"résumé-délibérations-2019": runs_2019["résumé-délibérations-2019"]}
    for name, (seconds, gpus) in WANDB.items():
        assert runs[name]["hours"] == pytest.approx(seconds / 3600)
        assert runs[name]["accelerator_hours"] == pytest.approx(seconds / 3600 * gpus)
    assert runs["ft-courriers-lora-r16"]["accelerator_hours"] == pytest.approx(30.0067, abs=1e-4)
    assert runs["résumé-délibérations-2019"]["accelerator"] == "v100_sxm2"
    assert runs["ft-courriers-lora-r16"]["phase"] == "fine-tuning"
    assert runs["eval-courriers-r16"]["phase"] == "evaluation"
    assert "en cours" in runs["ft-courriers-lora-r16-v2"]["notes"]  # running: its runtime so far
    notes = [str(n) for n in result["files"][0]["notes"]]
    assert notes[0] == "export des runs W&B : Runtime lu en secondes (l'unité de W&B), Created en UTC"
    assert notes[1] == "GPU lus dans la configuration des runs : num_gpus, gpu_type"


def wandb_file(path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")


@pytest.mark.parametrize(
    "header, count_key",
    [
        (["Name", "State", "Created", "Runtime", "num_gpus", "gpu_type"], "num_gpus"),
        (
            ["Name", "State", "Notes", "User", "Tags", "Created", "Runtime", "Sweep", "gpu_count", "gpu"],
            "gpu_count",
        ),
        (["Name", "Agent", "State", "Created", "Runtime", "n_gpus", "accelerator"], "n_gpus"),
        (["State", "Runtime", "Name", "Created", "GPUs", "gpu_model"], "GPUs"),  # columns moved
    ],
)
def test_wandb_exports_as_users_arrange_their_columns(tmp_path, header, count_key):
    values = {
        "Name": "ft-lora",
        "State": "finished",
        "Created": "2025-03-03T08:14:52.000Z",
        "Runtime": "7200",
    }
    values.update({"Notes": "-", "User": "dsi", "Tags": "lora", "Sweep": "", "Agent": ""})
    row = [values.get(h, "2" if h == count_key else "A100-SXM4-80GB") for h in header]
    path = tmp_path / "wandb_export_2025-03-14T10_21_07.123+01_00.csv"
    again = [("2025-03-04T08:14:52.000Z" if v == values["Created"] else v) for v in row]
    wandb_file(path, header, [row, again])  # the same name twice, started apart: two runs
    runs, result = runs_of(path)
    assert result["runs_in"] == 2 and len(runs) == 2  # names made unique by their start
    assert all(r["hours"] == pytest.approx(2.0) and r["accelerator_count"] == 2 for r in runs.values())


def test_a_wandb_export_without_gpu_keys_takes_the_accelerator_option(tmp_path):
    path = tmp_path / "wandb.csv"
    wandb_file(
        path, ["Name", "State", "Created", "Runtime"], [["r", "finished", "2025-01-02T00:00:00Z", "3600"]]
    )
    runs, result = runs_of(path, accelerator="A100")
    assert runs["r"]["hours"] == 1.0 and runs["r"]["accelerator"] == "a100_sxm_80gb"
    assert "aucune clé de configuration ne donne les GPU" in str(result["files"][0]["notes"][1])


# --- MLflow -----------------------------------------------------------------------------------

#: search_runs' start and end (UTC) of the fixture's finished runs, num_gpus
MLFLOW_RUNS = {
    "ft-courriers-lora-r16": ("2025-03-03 08:14:52.123", "2025-03-03 23:15:04.871", 2),
    "eval-courriers-r16": ("2025-03-04 07:02:33.500", "2025-03-04 07:33:36.020", 1),
    "sweep-lr-1": ("2025-02-27 10:11:48", "2025-02-27 10:22:30", 2),
    "old-run-2019": ("2019-11-05 14:03:19", "2019-11-05 17:24:03", 1),
}


def seconds_between(start: str, end: str) -> float:
    from datetime import datetime

    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


@pytest.mark.parametrize("name", ["mlflow_search_runs_pandas2.csv", "mlflow_search_runs_pandas3.csv"])
def test_mlflow_search_runs_durations_and_gpus(name):
    _, result = runs_of(REAL / name)
    assert result["files"][0]["kind"] == "mlflow" and result["runs_in"] == 6
    in_2025 = {k: v for k, v in MLFLOW_RUNS.items() if k != "old-run-2019"}  # 2019: listed apart
    expected = [(seconds_between(s, e) / 3600, gpus) for s, e, gpus in in_2025.values()]
    expected.append((45.5 / 60, 1))  # inference-chatbot-lot1: params.num_gpus empty, L4 (1 in its name)
    got = sorted((r["hours"], r["accelerator_count"]) for r in result["runs"])
    assert [h for h, _ in got] == pytest.approx([h for h, _ in sorted(expected)])
    assert [n for _, n in got] == [n for _, n in sorted(expected)]
    gpu_hours = [r["accelerator_hours"] for r in result["runs"]]
    assert max(gpu_hours) == pytest.approx(54012.748 / 3600 * 2)  # 30.0071 GPU·h
    # the 2019 run out of 2025's totals; the RUNNING run: no end_time, never a 0 h run
    codes = sorted(f["reason_code"] for f in result["flagged"])
    assert codes == ["ai.flag.no_duration", "periods.outside_year"]
    old = seconds_between(*MLFLOW_RUNS["old-run-2019"][:2]) / 3600
    runs_2019 = [r["hours"] for r in runs_of(REAL / name, year=2019)[1]["runs"]]
    assert runs_2019 == [pytest.approx(old)]  # 3.3456 h, in 2019's totals


def test_mlflow_ui_durations_negatives_and_local_start():
    runs, result = runs_of(REAL / "mlflow_ui_runs.csv")
    hours = {r["run_id"][:8]: r["hours"] for r in result["runs"]}
    assert hours["6cd2909a"] == 15.0 and hours["e812dcb4"] == pytest.approx(31.0 / 60)
    assert hours["9f8e7d6c"] == pytest.approx(2.1 * 24)
    assert "durée « 15.0h » arrondie par MLflow" in runs["6cd2909ad5d540f59e727866ccf832a9"]["notes"]
    assert {r["run_id"][:8] for r in result["flagged"]} == {"2147591a", "0b1d2c3e"}  # running; no GPU


def test_mlflow_unix_milliseconds_are_not_read_as_seconds(tmp_path):
    path = tmp_path / "runs.csv"
    path.write_text(
        "run_id,experiment_id,status,start_time,end_time,params.num_gpus,params.accelerator\n"
        "a1,0,FINISHED,1740989692123,1741043704871,2,A100\n"  # the client's values: ms
        "a2,0,FINISHED,1740989692,1740993292,1,A100\n",  # seconds
        encoding="utf-8",
    )
    runs, _ = runs_of(path)
    assert runs["a1"]["hours"] == pytest.approx(54012.748 / 3600)
    assert runs["a2"]["hours"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "cell, hours",
    [("420ms", 420 / 3.6e6), ("45.3s", 45.3 / 3600), ("31.0min", 31 / 60), ("15.0h", 15.0), ("2.1d", 50.4)],
)
def test_mlflow_ui_duration_units(cell, hours):
    from greenit.parsing.formats.mlflow import duration_hours

    assert duration_hours(cell)[0] == pytest.approx(hours)


# --- nvidia-smi ---------------------------------------------------------------------------------

#: (seconds from the first sample, watts) per GPU, read off the fixture; None: [N/A]
NVIDIA = {
    0: [(0.000, 71.42), (1.003, 245.31), (2.006, 612.05), (3.009, 655.87), (4.012, 649.12), (5.015, None),
        (6.018, 318.44), (7.021, 72.10)],
    1: [(0.002, 70.98), (1.005, 238.77), (2.008, 598.40), (3.011, None), (4.014, 641.36), (5.017, 633.90),
        (6.020, 301.15), (7.023, 71.25)],
}  # fmt: skip


def trapezoid_joules(samples) -> float:
    readable = [(t, w) for t, w in samples if w is not None]
    return sum((w0 + w1) / 2 * (t1 - t0) for (t0, w0), (t1, w1) in zip(readable, readable[1:], strict=False))


@pytest.mark.parametrize("name", ["nvidia_smi_power_log.csv", "nvidia_smi_power_log_nounits.csv"])
def test_nvidia_smi_energy_is_integrated_per_gpu_never_at_0_w(name):
    runs, result = runs_of(REAL / name)
    (run,) = runs.values()
    joules = sum(trapezoid_joules(s) for s in NVIDIA.values())
    assert joules == pytest.approx(3045.44 + 3113.89, abs=0.05)  # the research note's figures
    assert run["energy_kwh"] == pytest.approx(joules / 3.6e6)  # 1.7109 Wh, no PUE added
    assert run["energy_method"] == "measured"
    assert (run["energy_low_kwh"], run["energy_high_kwh"]) == pytest.approx(
        (0.65 * joules / 3.6e6, 1.35 * joules / 3.6e6)  # nvidia_smi_energy, Yang et al. 2024
    )
    assert run["accelerator"] == "h100_sxm" and run["accelerator_count"] == 2
    assert run["hours"] == pytest.approx(7.023 / 3600)
    assert result["files"][0]["rows"] == 16 and result["runs_in"] == 1
    assert "2 relevés illisibles ([N/A]…) : non comptés, jamais à 0 W" in run["notes"]
    zero = sum(trapezoid_joules([(t, w or 0.0) for t, w in s]) for s in NVIDIA.values())
    assert run["energy_kwh"] > zero / 3.6e6  # [N/A] as 0 W would lose energy


def nvidia_log(
    path, samples: list[tuple[float, int, str]], fields: str = "timestamp, index, power.draw [W]"
) -> None:
    from datetime import datetime, timedelta

    start = datetime(2025, 6, 1, 23, 59, 50)
    lines = [fields]
    for seconds, gpu, power in samples:
        stamp = (start + timedelta(seconds=seconds)).strftime("%Y/%m/%d %H:%M:%S.%f")[:-3]
        extra = ", NVIDIA A100-SXM4-80GB, 00000000:07:00.0" if "name" in fields else ""
        lines.append(f"{stamp}, {gpu}{extra}, {power}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_gap_in_the_log_is_counted_at_the_mean_power_and_said(tmp_path):
    path = tmp_path / "gpu.csv"
    samples = [(s, 0, "300.00 W") for s in range(0, 10)] + [(s, 0, "300.00 W") for s in range(70, 80)]
    nvidia_log(path, samples)  # 60 s without a sample between 9 and 70 (the logger stopped)
    runs, _ = runs_of(path, accelerator="A100")
    (run,) = runs.values()
    assert run["energy_kwh"] == pytest.approx(300 * 79 / 3.6e6)  # 18 s sampled + 61 s at 300 W
    assert "61 s sans relevé lisible : comptées à la puissance moyenne mesurée du GPU" in run["notes"]


@pytest.mark.parametrize(
    "unreadable", ["[N/A]", "[Not Supported]", "[Unknown Error]", "[GPU requires reset]", ""]
)
def test_unreadable_powers_are_never_0_w(tmp_path, unreadable):
    path = tmp_path / "gpu.csv"
    nvidia_log(path, [(0, 0, "100 W"), (1, 0, unreadable), (2, 0, "100 W"), (0, 1, "50"), (2, 1, "50")])
    runs, _ = runs_of(path, accelerator="A100")
    (run,) = runs.values()
    assert run["energy_kwh"] == pytest.approx((100 * 2 + 50 * 2) / 3.6e6)
    assert run["accelerator_count"] == 2


def test_extra_query_fields_and_a_log_across_midnight(tmp_path):
    path = tmp_path / "gpu.csv"
    fields = "timestamp, index, name, pci.bus_id, power.draw [W]"
    nvidia_log(path, [(s, 0, f"{200 + s}.00 W") for s in range(0, 21)], fields)  # 23:59:50 → 00:00:10
    runs, _ = runs_of(path)
    (run,) = runs.values()
    assert run["energy_kwh"] == pytest.approx(sum((200 + s + 200 + s + 1) / 2 for s in range(20)) / 3.6e6)
    assert run["hours"] == pytest.approx(20 / 3600)
