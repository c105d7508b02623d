"""``nvidia-smi --query-gpu=… --format=csv`` power logs → one measured run per log.

``nvidia-smi --query-gpu=timestamp,name,index,power.draw,utilization.gpu --format=csv -l 1``
prints its header once (``timestamp, name, index, power.draw [W], utilization.gpu [%]``: the
fields asked, units in brackets, ``, `` between fields), then one line per GPU per sample,
GPUs interleaved, each with its own local timestamp (``2025/03/14 10:21:07.123``, no zone);
``nounits`` drops the units from the values (not from the header). A value the driver cannot
read is ``[N/A]`` (also ``[Not Supported]``, ``[Unknown Error]``…): **never 0 W**.

This is a **measurement**: each GPU's energy is the integral of its power over time, by the
trapezoid rule between consecutive readable samples; a stretch longer than
:data:`MAX_GAP_SAMPLES` sampling intervals without a readable sample (a gap, a run of
``[N/A]``) is not interpolated: it is counted at the GPU's mean measured power, and its time is
said. The run's energy is the sum over GPUs; its duration runs from the first to the last
sample.

How good is it? On A100 and H100 boards, ``power.draw`` averages only 25 % of each sampling
window, so a bursty load may be misread; Yang et al. (2024) measured errors that their good
practices reduced by 35 % on average (65 % at most) against an external power meter. The
range given is that of the ``nvidia_smi_energy`` row of ``ai_parameters.csv``, which cites
them. Only the GPUs' boards are measured: the host (CPU, memory) and the data centre (PUE) are
not in the log, and are said so.

References
----------
NVIDIA, *nvidia-smi* manual page, ``--query-gpu``, ``--format=csv[,noheader][,nounits]``,
``power.draw`` (driver 550).
Z. Yang, K. Adamek, W. Armour, "Accurate and Convenient Energy Measurements for GPUs: A
Detailed Study of NVIDIA GPU's Built-In Power Sensor", SC24 (arXiv:2312.02741), 2024.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from greenit.i18n import msg
from greenit.parsing.formats import Format

#: Sampling intervals without a readable sample beyond which the power is not interpolated.
MAX_GAP_SAMPLES = 5
_NUMBER = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)\s*(m?W)?\s*$", re.IGNORECASE)


def _fields(headers: list[str]) -> dict[str, str]:
    """Query field (``power.draw``) → header as in the file (``power.draw [W]``)."""
    return {str(h).split("[", 1)[0].strip().lower(): str(h) for h in headers}


def recognises(headers: list[str]) -> bool:
    """An nvidia-smi query log: a ``timestamp`` and a ``power.draw`` field."""
    fields = _fields(headers)
    return "timestamp" in fields and any(f.startswith("power.draw") for f in fields)


def watts(cells: pd.Series) -> np.ndarray:
    """``245.31 W`` / ``245.31`` / ``[N/A]`` → watts, NaN where unreadable (never 0).

    >>> watts(pd.Series([" 245.31 W", "70.9", "[N/A]", "[Not Supported]", "300 mW"])).tolist()
    [245.31, 70.9, nan, nan, 0.3]
    """
    out = np.full(len(cells), np.nan)
    for i, cell in enumerate(cells.astype(object)):
        match = _NUMBER.match(str(cell)) if cell is not None else None
        if match:
            value = float(match.group(1).replace(",", "."))
            out[i] = value / 1000 if (match.group(2) or "").lower() == "mw" else value
    return out


def integrate(seconds: np.ndarray, power_w: np.ndarray) -> tuple[float, float, int]:
    """(energy [J], unmeasured time [s], readable samples) of one GPU's samples.

    The trapezoid rule between consecutive readable samples; a stretch longer than
    :data:`MAX_GAP_SAMPLES` median intervals is counted at the mean readable power instead.

    >>> integrate(np.array([0.0, 1, 2, 3]), np.array([100.0, 200, np.nan, 200]))  # 150 + 200 × 2
    (550.0, 0.0, 3)
    """
    readable = ~np.isnan(power_w)
    t, p = seconds[readable], power_w[readable]
    if len(t) < 2:
        return (np.nan, np.nan, int(len(t)))
    step = float(np.median(np.diff(seconds))) or float(np.median(np.diff(t)))
    widths = np.diff(t)
    long = widths > MAX_GAP_SAMPLES * max(step, 1e-9)
    trapezoids = (p[1:] + p[:-1]) / 2 * widths
    energy = float(trapezoids[~long].sum() + p.mean() * widths[long].sum())
    return energy, float(widths[long].sum()), int(len(t))


def _timestamps(cells: pd.Series) -> pd.Series:
    text = cells.astype("string").str.strip().str.replace("/", "-", regex=False)
    return pd.to_datetime(text, errors="coerce", format="mixed")


def nvidia_smi_to_log(raw: pd.DataFrame) -> pd.DataFrame:
    """The samples of a log → one run: energy measured per GPU and summed, first to last sample."""
    fields = _fields([c for c in raw.columns if c not in ("file", "row", "line")])
    power_header = next(h for f, h in fields.items() if f.startswith("power.draw"))
    stamps = _timestamps(raw[fields["timestamp"]])
    power = watts(raw[power_header])
    gpu_header = next((fields[f] for f in ("index", "uuid", "pci.bus_id", "name") if f in fields), None)
    gpus = raw[gpu_header].astype("string").str.strip() if gpu_header else pd.Series("0", index=raw.index)
    names = raw[fields["name"]].astype("string").str.strip() if "name" in fields else None
    ok = stamps.notna().to_numpy()
    seconds = (stamps - stamps[ok].min()).dt.total_seconds().to_numpy()
    energy, gaps, per_gpu = 0.0, 0.0, []
    for gpu in pd.unique(gpus[ok]):
        mine = ok & (gpus == gpu).to_numpy()
        order = np.argsort(seconds[mine], kind="stable")
        joules, unmeasured, readable = integrate(seconds[mine][order], power[mine][order])
        per_gpu.append((str(gpu), joules, readable, int(mine.sum())))
        energy += joules
        gaps += unmeasured
    unreadable = int((np.isnan(power) & ok).sum())
    first = raw.iloc[[int(np.flatnonzero(ok)[0])]] if ok.any() else raw.iloc[[0]]
    hours = (stamps[ok].max() - stamps[ok].min()).total_seconds() / 3600 if ok.any() else np.nan
    model = names[ok].dropna().iloc[0] if names is not None and names[ok].notna().any() else None
    log = pd.DataFrame(
        {
            "run_id": [f"{str(first['file'].iloc[0]).rsplit('/', 1)[-1]}"],
            "started_at": [stamps[ok].min().strftime("%Y-%m-%d %H:%M:%S") if ok.any() else None],
            "duration (h)": [hours],
            "accelerator": [model],
            "accelerator_count": [float(len(per_gpu))],
            "energy (kWh)": [energy / 3.6e6 if per_gpu else np.nan],
            "file": first["file"].to_numpy(),
            "row": first["row"].to_numpy(),
            "line": first["line"].to_numpy(),
        }
    )
    notes = [msg("formats.nvidia_smi.measured", samples=int(ok.sum()), gpus=len(per_gpu))]
    if unreadable:
        notes.append(msg("formats.nvidia_smi.unreadable", n=unreadable))
    if gaps > 0:
        notes.append(msg("formats.nvidia_smi.gaps", seconds=round(gaps, 1)))
    log.attrs["row_notes"] = {int(first["row"].iloc[0]) - 1: notes}
    log.attrs["energy_range_parameter"] = "nvidia_smi_energy"
    log.attrs["rows_read"] = len(raw)
    return log


FORMATS = (
    Format(
        key="nvidia_smi",
        name="nvidia-smi --query-gpu power logs",
        kind="ai_runs",
        files="CSV (`, `), `--format=csv` with or without `nounits`",
        recognised_by="`timestamp` and `power.draw [W]` fields (a measurement: one run per log)",
        headers={
            "timestamp (local)": "started_at, duration (first to last sample)",
            "power.draw [W]": "energy [kWh]: trapezoid per GPU, summed; [N/A] never 0 W",
            "index (else uuid, pci.bus_id)": "accelerator_count (distinct GPUs)",
            "name": "accelerator",
        },
        fixtures=("nvidia_smi_power_log.csv", "nvidia_smi_power_log_nounits.csv"),
        recognises=recognises,
        to_log=lambda raw, context: nvidia_smi_to_log(raw),
    ),
)
