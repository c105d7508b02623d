"""A short run logged by ``greenit track`` reads in Wh and gCO2e in the report, with three
significant digits — never « 0,0000000000928 ».
"""

from __future__ import annotations

import math

from test_report import visible_text

from conftest import FRANCE_GRID, SAMPLE_INVENTORY, write

TRACK_HEADER = (
    "run_id,project,phase,status,exit_code,started_at,ended_at,duration [h],energy [kWh],"
    "cpu_energy [kWh],gpu_energy [kWh],ram_energy [kWh],cpu_power [W],gpu_power [W],ram_power [W],"
    "pue_applied,location,carbon_intensity [kgCO2e/kWh],emissions [kgCO2e],accelerator,accelerator_count,"
    "cpu_model,cpu_count,cpu_measurement,gpu_measurement,ram_measurement,host,command,greenit_version,"
    "codecarbon_version\n"
)
ENERGY_KWH, INTENSITY = 1.234e-4, FRANCE_GRID


def _three_digits_fr(value: float) -> str:
    """``value`` with three significant digits, French decimal comma (written here, not by greenit)."""
    decimals = 2 - math.floor(math.log10(abs(value)))
    return f"{value:.{decimals}f}".rstrip("0").rstrip(".").replace(".", ",")


def test_a_short_tracked_run_reads_in_wh_and_grams(run_cli, tmp_path):
    row = (
        f"20250314-101500-1a2b3c4d,ocr,inference,completed,0,2025-03-14T10:15:00+00:00,"
        f"2025-03-14T10:15:02+00:00,0.000555556,{ENERGY_KWH},0.0001,0,0.0000234,8,0,20,1,FRA,"
        f"{INTENSITY},{ENERGY_KWH * INTENSITY},,0,AMD EPYC,2,load model from TDP (cpu_load),,"
        "estimate from installed RAM (W per DIMM),vm,python ocr.py,0.1.0,3.3.2\n"
    )
    log = write(tmp_path / "runs.csv", TRACK_HEADER + row)
    code, _, err = run_cli("report", SAMPLE_INVENTORY, "--ai", log, "--year", "2025", "--out", tmp_path / "r")
    assert code == 0, err
    text = visible_text((tmp_path / "r" / "report.html").read_text(encoding="utf-8"))
    wh = _three_digits_fr(ENERGY_KWH * 1000)  # 0,123 Wh
    grams = _three_digits_fr(ENERGY_KWH * INTENSITY * 1000)  # 0,00569 gCO2e
    assert (wh, grams) == ("0,123", "0,00569")
    assert "Wh Usage (gCO2e) Fabrication du matériel (gCO2e) Total (gCO2e)" in text
    assert f"ocr inférence 1 {wh} {grams} 0 {grams}" in text
    assert f"Les usages de l'IA représentent {grams}\u00a0gCO2e" in text
    assert "0,0000" not in text.split("Les usages de l'IA")[1].split("Annexe")[0]
