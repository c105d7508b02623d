"""Check on a GPU machine that `greenit track` records NVML-measured GPU energy, model and count.

Not a test (the suite runs without a GPU): run it where NVIDIA GPUs and their driver are.

    python benchmarks/check_track_gpu.py [seconds]     # default 20

It runs a GPU load under `greenit track --interval 5` for that many seconds — half-precision
matrix products with torch if it is installed, else CuPy, else the GPUs simply idle (NVML
still counts their idle energy) — while reading NVML's own energy counters (the same counters
CodeCarbon reads) around the whole `greenit track` process, then checks the log:

- exit code 0; a `running` start row, checkpoint rows, a final `completed` row, one run id;
- `accelerator` and `accelerator_count` are the GPUs NVML lists; `gpu_measurement` says NVML;
- `gpu_energy [kWh]` > 0 and at most the counters' delta over the whole process, and at least
  half of it (the difference is CodeCarbon's start-up, before measuring begins);
- `greenit ai estimate` reads the log back as one run with the same energy and an embodied
  share for the accelerator (the model was recognised in the accelerator table).

Prints one JSON object (the figures and each check); exits 0 when every check holds.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOAD = """
import sys, time
seconds = float(sys.argv[1])
end = time.time() + seconds
try:
    import torch
    a = torch.randn(8192, 8192, device="cuda", dtype=torch.float16)
    while time.time() < end:
        for _ in range(20):
            b = a @ a
        torch.cuda.synchronize()
    print("load: torch")
except ImportError:
    try:
        import cupy
        a = cupy.random.rand(8192, 8192, dtype=cupy.float32)
        while time.time() < end:
            for _ in range(5):
                b = a @ a
            cupy.cuda.Device().synchronize()
        print("load: cupy")
    except ImportError:
        time.sleep(max(0.0, end - time.time()))
        print("load: idle (neither torch nor cupy)")
"""


def nvml_devices() -> tuple[list[str], list[int]]:
    """Names of the GPUs and their total energy counters [mJ], from NVML directly."""
    import pynvml

    pynvml.nvmlInit()
    handles = [pynvml.nvmlDeviceGetHandleByIndex(i) for i in range(pynvml.nvmlDeviceGetCount())]
    names = [n.decode() if isinstance(n, bytes) else n for n in map(pynvml.nvmlDeviceGetName, handles)]
    return names, [pynvml.nvmlDeviceGetTotalEnergyConsumption(h) for h in handles]


def verdicts(code: int, rows: list[dict], names: list[str], nvml_kwh: float, result: dict) -> dict:
    """Each check of the module's docstring: name → whether it holds."""
    final = rows[-1] if rows else {}
    run = (result.get("runs") or [{}])[0]
    gpu_kwh = float(final.get("gpu_energy [kWh]") or 0)
    return {
        "exit code 0": code == 0,
        "start, checkpoints, final row": len(rows) >= 3
        and rows[0]["status"] == "running"
        and final.get("status") == "completed"
        and len({r["run_id"] for r in rows}) == 1,
        "accelerator is NVML's model": bool(final.get("accelerator")) and final["accelerator"] in names,
        "accelerator_count is NVML's count": final.get("accelerator_count") == str(len(names)),
        "measured by NVML": final.get("gpu_measurement") == "NVML energy counter",
        "GPU energy > 0": gpu_kwh > 0,
        "GPU energy within NVML's delta": 0.5 * nvml_kwh <= gpu_kwh <= nvml_kwh * 1.02,
        "read back as one run": result.get("runs_in") == 1
        and abs(run.get("energy_kwh", -1) - float(final.get("energy [kWh]") or 0)) < 1e-9,
        "accelerator recognised (embodied > 0)": run.get("embodied_kgco2e", 0) > 0,
    }


def main() -> int:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0
    log = Path(tempfile.mkdtemp()) / "gpu-runs.csv"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    try:
        names, before = nvml_devices()
    except Exception as error:  # no driver, no GPU, no nvidia-ml-py
        print(json.dumps({"error": f"NVML unavailable: {error!r}"}))
        return 2
    command = [sys.executable, "-m", "greenit", "track", "--log", str(log), "--interval", "5"]
    command += ["--project", "gpu-check", "--", sys.executable, "-c", LOAD, str(seconds)]
    proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    _, after = nvml_devices()
    nvml_kwh = sum(a - b for a, b in zip(after, before, strict=True)) / 3.6e9
    rows = list(csv.DictReader(log.open(encoding="utf-8"))) if log.exists() else []
    final = rows[-1] if rows else {}
    estimate = subprocess.run(
        [sys.executable, "-m", "greenit", "ai", "estimate", str(log), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    result = json.loads(estimate.stdout) if estimate.returncode == 0 else {}
    checks = verdicts(proc.returncode, rows, names, nvml_kwh, result)
    print(
        json.dumps(
            {
                "gpus": names,
                "load": proc.stdout.strip(),
                "summary": proc.stderr.strip().splitlines()[-1:] or proc.stderr,
                "nvml_delta_kwh": nvml_kwh,
                "row": {k: final.get(k) for k in ("duration [h]", "energy [kWh]", "gpu_energy [kWh]")}
                | {k: final.get(k) for k in ("gpu_power [W]", "accelerator", "accelerator_count")},
                "ai_estimate_run": (result.get("runs") or [{}])[0],
                "checks": checks,
                "log": str(log),
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
