"""greenit track as a user runs it: rows, exit codes, options, factors, language, real CodeCarbon.

Measured with the stub CodeCarbon in-process (fast), except the last test (the real one).
Signals and processes: test_track_signals.py; the log file itself: test_track_log.py.
"""

from __future__ import annotations

import csv
import math
import os
import subprocess
import sys
import time

import pytest
from track_support import GREENIT, ai_estimate, install_stub, rows, whole_lines

from conftest import FRANCE_GRID
from greenit.errors import GreenitError
from greenit.factors import load_factors
from greenit.tracking.supervisor import LOG_COLUMNS, Measurement, run_command


@pytest.fixture
def stub(monkeypatch, tmp_path):
    return install_stub(monkeypatch, tmp_path)


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_a_run_writes_a_start_checkpoint_then_its_final_row_read_back_as_one_run(stub, tmp_path):
    log = tmp_path / "runs.csv"
    stub.set(power_w=200)
    said = []
    code = run_command(
        python("import time; time.sleep(0.3)"),
        log=log,
        project="ocr",
        phase="inférence",
        report=said.append,
    )
    assert code == 0
    start, final = rows(log)
    assert start["status"] == "running" and start["energy [kWh]"] == "0" and start["exit_code"] == ""
    assert final["status"] == "completed" and final["exit_code"] == "0"
    assert start["run_id"] == final["run_id"]
    assert final["project"] == "ocr" and final["location"] == "FRA"
    hours = float(final["duration [h]"])
    assert hours * 3600 >= 0.3
    assert float(final["energy [kWh]"]) == pytest.approx(200 * hours / 1000, rel=1e-6)
    intensity = load_factors().grid_factor("FRA")
    assert float(final["carbon_intensity [kgCO2e/kWh]"]) == intensity == FRANCE_GRID
    assert float(final["emissions [kgCO2e]"]) == pytest.approx(float(final["energy [kWh]"]) * intensity)
    assert final["cpu_measurement"] == "load model from TDP (cpu_load)" and final["codecarbon_version"]
    result = ai_estimate(log)
    assert result["runs_in"] == result["runs_estimated"] == 1  # the checkpoint is not a run
    assert result["runs"][0]["phase"] == "inference"
    assert result["runs"][0]["energy_kwh"] == pytest.approx(float(final["energy [kWh]"]))
    assert result["runs"][0]["usage_kgco2e"] == pytest.approx(float(final["emissions [kgCO2e]"]))
    assert "terminé en" in str(said[-1])


def test_gpu_energy_and_model_from_codecarbon_are_recorded(stub, tmp_path):
    log = tmp_path / "runs.csv"
    stub.set(gpu_model="2 x NVIDIA H100 80GB HBM3", gpu_power_w=500, power_w=50)
    assert run_command(python("pass"), log=log) == 0
    final = rows(log)[-1]
    assert final["accelerator"] == "NVIDIA H100 80GB HBM3" and final["accelerator_count"] == "2"
    assert final["gpu_measurement"] == "NVML energy counter"
    hours = float(final["duration [h]"])
    assert float(final["gpu_energy [kWh]"]) == pytest.approx(2 * 500 * hours / 1000, rel=1e-6)
    assert float(final["energy [kWh]"]) == pytest.approx(1050 * hours / 1000, rel=1e-6)
    run = ai_estimate(log)["runs"][0]
    assert run["energy_kwh"] == pytest.approx(float(final["energy [kWh]"]))  # measured, not modelled


def test_a_failing_command_keeps_its_exit_code_and_its_row(stub, tmp_path):
    log = tmp_path / "runs.csv"
    said = []
    assert run_command(python("import sys; sys.exit(3)"), log=log, report=said.append) == 3
    assert rows(log)[-1]["status"] == "failed" and rows(log)[-1]["exit_code"] == "3"
    assert run_command(["no-such-command-here"], log=log, report=said.append) == 127
    assert rows(log)[-1]["status"] == "failed" and rows(log)[-1]["exit_code"] == "127"
    assert "impossible de lancer « no-such-command-here »" in str(said[-2])
    script = tmp_path / "not-executable.sh"
    script.write_text("echo hi\n")
    assert run_command([str(script)], log=log, report=said.append) == 126
    assert ai_estimate(log)["runs_in"] == 3


def test_text_cells_cannot_carry_a_formula_or_split_a_row(stub, tmp_path):
    log = tmp_path / "runs.csv"
    project = '=HYPERLINK("http://evil.example","clic")'
    run_command(python("pass"), log=log, project=project, phase="+inference\r\n=1+1\rfin")
    run_command(["true", "a\nb", "=cmd|' /C calc'!A0"], log=log, project=' "@SUM(1)')
    written = whole_lines(log)  # every physical line is one whole row
    assert len(written) == 4
    first, second = rows(log)[1], rows(log)[3]
    assert first["project"] == "'" + project
    assert first["phase"] == "'+inference =1+1 fin"
    assert second["project"].startswith("'") and "\n" not in second["command"]
    for row in rows(log):
        for cell in row.values():
            assert cell.startswith("'") or cell.lstrip(" \"'")[:1] not in ("=", "+", "@"), cell
    assert ai_estimate(log)["runs_in"] == 2


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--interval", "nan"),
        ("--interval", "inf"),
        ("--interval", "0"),
        ("--interval", "-5"),
        ("--interval", "1e-9"),
        ("--interval", "1e12"),
        ("--pue", "nan"),
        ("--pue", "inf"),
        ("--pue", "0.5"),
        ("--pue", "-3"),
        ("--pue", "50"),
    ],
)
def test_absurd_options_are_refused_before_anything_runs(run_cli, stub, tmp_path, option, value):
    log, marker = tmp_path / "runs.csv", tmp_path / "ran"
    code, _, err = run_cli("track", "--log", log, option, value, "--", "touch", marker)
    assert code == 2
    assert err.startswith(f"{option} : « ") and "» n'est pas accepté ; donnez un nombre entre" in err
    assert not marker.exists() and not log.exists()


def test_a_country_without_a_grid_factor_is_refused_before_the_command_runs(stub, tmp_path):
    log, marker = tmp_path / "runs.csv", tmp_path / "ran"
    with pytest.raises(GreenitError, match="ZZZ"):
        run_command(["touch", str(marker)], log=log, country="ZZZ")
    with pytest.raises(GreenitError, match="code pays"):
        run_command(["touch", str(marker)], log=log, country="France!")
    assert not marker.exists() and not log.exists()


def test_factors_folder_sets_the_grid_factor_that_estimate_uses(stub, tmp_path):
    factors = tmp_path / "facteurs"
    factors.mkdir()
    (factors / "electricity.csv").write_text(
        "country,name,carbon_intensity [g/kWh],year,source_id\n"
        "FRA,France (contrat local),80,2025,ademe_electricity_2025\n"
    )
    log = tmp_path / "runs.csv"
    assert run_command(python("pass"), log=log, factors=factors) == 0
    assert run_command(python("pass"), log=log, country="deu") == 0
    with_factors, germany = rows(log)[1], rows(log)[3]
    assert (
        float(with_factors["carbon_intensity [kgCO2e/kWh]"])
        == load_factors(factors).grid_factor("FRA")
        == 0.08
    )
    assert germany["location"] == "DEU"
    assert float(germany["carbon_intensity [kgCO2e/kWh]"]) == load_factors().grid_factor("DEU")
    runs = ai_estimate(log)["runs"]
    assert runs[0]["usage_kgco2e"] == pytest.approx(float(with_factors["energy [kWh]"]) * 0.08)


def test_summary_is_french_by_default_and_english_with_lang_en(run_cli, stub, tmp_path):
    log = tmp_path / "runs.csv"
    code, _, err = run_cli("track", "--log", log, "--", "true")
    assert code == 0
    assert err.startswith("greenit : terminé en ") and "Wh" in err and "gCO2e (FRA)" in err
    code, _, err = run_cli("track", "--log", log, "--lang", "en", "--", "false")
    assert code == 1
    assert err.startswith("greenit: failed in ") and "\u00a0Wh, " in err


def test_every_number_written_is_finite(stub, tmp_path):
    from greenit.tracking.measurement import measured_columns
    from greenit.tracking.tracklog import encode_row

    class Broken:
        duration, energy_consumed, cpu_energy, gpu_energy = math.nan, math.inf, math.nan, -math.inf
        ram_energy, cpu_power, gpu_power, ram_power = 1.0, math.nan, math.inf, 2.0
        cpu_model, cpu_count, gpu_model, gpu_count, codecarbon_version = "x", math.nan, "", math.nan, "3"

    line = encode_row({"run_id": "r", "status": "running", **measured_columns(Broken, 0.05)})
    cells = dict(zip(LOG_COLUMNS, next(csv.reader([line.decode()])), strict=True))
    for column in ("duration [h]", "energy [kWh]", "cpu_energy [kWh]", "gpu_power [W]", "emissions [kgCO2e]"):
        assert cells[column] == "" or math.isfinite(float(cells[column])), column
    assert cells["ram_energy [kWh]"] == "1"


@pytest.mark.slow
def test_real_codecarbon_measures_a_run_with_checkpoints(tmp_path):
    """The one test with the real CodeCarbon: a 1.5 s busy run, checkpoints every second."""
    log = tmp_path / "runs.csv"
    busy = "import time\nend = time.time() + 1.5\nwhile time.time() < end: pass"
    started = time.monotonic()
    proc = subprocess.Popen(
        [*GREENIT, "track", "--log", str(log), "--interval", "1", "--project", "vrai", "--", *python(busy)],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": ""},
    )
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    written = rows(log)
    assert [r["status"] for r in written][0] == "running" and written[-1]["status"] == "completed"
    assert len(written) >= 3  # the start checkpoint, at least one interval checkpoint, the final row
    final = written[-1]
    assert final["codecarbon_version"] and not final["codecarbon_version"].endswith("stub")
    assert float(final["energy [kWh]"]) > 0 and final["cpu_measurement"] and final["ram_measurement"]
    assert 1.5 <= float(final["duration [h]"]) * 3600 <= time.monotonic() - started
    assert float(final["emissions [kgCO2e]"]) == pytest.approx(float(final["energy [kWh]"]) * FRANCE_GRID)
    assert err.count("\n") == 1 and err.startswith("greenit : terminé en ")  # CodeCarbon quiet by default
    result = ai_estimate(log)
    assert result["runs_in"] == 1
    assert result["runs"][0]["energy_kwh"] == pytest.approx(float(final["energy [kWh]"]))


def test_tracking_imports_neither_pandas_nor_pint():
    """It wraps the user's command: its import stays light (the factor tables load in a thread)."""
    code = "import sys, greenit.tracking.supervisor; print(sorted({'pandas', 'pint'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_codecarbon_failing_to_start_is_refused_and_failing_later_still_gives_the_row(stub, tmp_path, capfd):
    log, marker = tmp_path / "runs.csv", tmp_path / "ran"
    stub.set(fail="start")
    with pytest.raises(GreenitError, match="CodeCarbon ne démarre pas"):
        run_command(["touch", str(marker)], log=log)
    assert not marker.exists() and not log.exists()
    stub.set(fail="stop")
    assert run_command([sys.executable, "-c", "import time; time.sleep(0.2)"], log=log) == 0
    assert rows(log)[-1]["status"] == "completed"
    assert "CodeCarbon a échoué à l'arrêt" in capfd.readouterr().err
    stub.set(fail="flush")
    measurement = Measurement(log=log)
    measurement.interval = 0.02  # below what the options accept, to see several checkpoints fail
    measurement.start()
    time.sleep(0.2)
    measurement.stop("completed", 0)
    assert [r["status"] for r in rows(log)][-2:] == ["running", "completed"]  # start row, final row
    assert capfd.readouterr().err.count("point d'étape non écrit, le run continue") == 1


def test_track_reads_its_grid_factor_from_the_factor_loader_as_estimate_does(tmp_path):
    """One reader of electricity.csv: greenit track's factor is the loader's, also with --factors."""
    from greenit.tracking.measurement import grid_factor_kg_per_kwh

    factors = load_factors()
    for country in ("FRA", "DEU", "USA"):
        assert grid_factor_kg_per_kwh(country) == factors.grid_factor(country)
    header = "country,name,carbon_intensity [g/kWh],year,source_id\n"
    (tmp_path / "electricity.csv").write_text(header + "FRA,France,20,2025,ademe_electricity_2025\n")
    assert grid_factor_kg_per_kwh("FRA", tmp_path) == pytest.approx(0.020)
