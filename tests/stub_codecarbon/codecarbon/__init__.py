"""A stand-in for CodeCarbon in greenit's tests: instant (or slow on demand) and predictable.

Put ``tests/stub_codecarbon`` first on ``PYTHONPATH`` (or in ``sys.modules``) and
``greenit track`` measures with it. Its behaviour comes from environment variables:

- ``STUB_CODECARBON_START_S`` / ``STUB_CODECARBON_STOP_S``: seconds ``start()`` / ``stop()``
  take (the real tracker takes about 1.5 s to start), default 0;
- ``STUB_CODECARBON_MARKS``: a folder where ``start-begun`` and ``stop-begun`` are created
  when those calls begin, so a test can send a signal exactly then;
- ``STUB_CODECARBON_POWER_W``: the constant power measured [W], default 100 (× PUE);
- ``STUB_CODECARBON_GPU_MODEL``: e.g. ``"2 x NVIDIA H100 80GB HBM3"`` (none by default),
  drawing ``STUB_CODECARBON_GPU_POWER_W`` per GPU (default 300);
- ``STUB_CODECARBON_FAIL``: ``start``, ``flush`` or ``stop`` raises RuntimeError there.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

__version__ = "0.0+stub"


@dataclass
class EmissionsData:
    duration: float
    emissions: float
    energy_consumed: float
    cpu_energy: float
    gpu_energy: float
    ram_energy: float
    cpu_power: float
    gpu_power: float
    ram_power: float
    cpu_model: str
    cpu_count: float
    gpu_model: str
    gpu_count: float
    codecarbon_version: str


class CPU:
    _mode = "cpu_load"


class RAM:
    pass


class GPU:
    pass


def _env(name: str, default: float) -> float:
    return float(os.environ.get(f"STUB_CODECARBON_{name}", default))


def _fail_at(name: str) -> None:
    if os.environ.get("STUB_CODECARBON_FAIL") == name:
        raise RuntimeError(f"stub CodeCarbon fails at {name}")


def _mark(name: str) -> None:
    folder = os.environ.get("STUB_CODECARBON_MARKS")
    if folder:
        (Path(folder) / name).touch()


class OfflineEmissionsTracker:
    def __init__(self, *, output_handlers=(), pue: float = 1.0, **_options) -> None:
        self._handlers = list(output_handlers)
        self._pue = pue
        self._gpu_model = os.environ.get("STUB_CODECARBON_GPU_MODEL", "")
        self._gpu_count = int(self._gpu_model.split(" x ")[0]) if self._gpu_model else 0
        self._hardware = [CPU(), RAM()] + ([GPU()] if self._gpu_count else [])
        self._started = None

    def start(self) -> None:
        _mark("start-begun")
        time.sleep(_env("START_S", 0))
        _fail_at("start")
        self._started = time.monotonic()

    def _data(self) -> EmissionsData:
        duration = time.monotonic() - self._started
        cpu_w, ram_w = _env("POWER_W", 100), 0.0
        gpu_w = _env("GPU_POWER_W", 300) * self._gpu_count
        kwh = duration / 3.6e6 * self._pue
        return EmissionsData(
            duration=duration,
            emissions=0.0,
            energy_consumed=(cpu_w + ram_w + gpu_w) * kwh,
            cpu_energy=cpu_w * kwh,
            gpu_energy=gpu_w * kwh,
            ram_energy=ram_w * kwh,
            cpu_power=cpu_w * self._pue,
            gpu_power=gpu_w * self._pue,
            ram_power=ram_w,
            cpu_model="Stub CPU",
            cpu_count=4,
            gpu_model=self._gpu_model,
            gpu_count=self._gpu_count,
            codecarbon_version=__version__,
        )

    def _out(self) -> None:
        data = self._data()
        for handler in self._handlers:
            handler.out(data, data)

    def flush(self) -> None:
        _fail_at("flush")
        self._out()

    def stop(self) -> None:
        _mark("stop-begun")
        time.sleep(_env("STOP_S", 0))
        _fail_at("stop")
        self._out()
