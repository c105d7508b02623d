"""One measured run: options checked, CodeCarbon started beside the factor tables, rows written.

CodeCarbon measures (RAPL, NVML, or its load model); greenit decides the rest: always
CodeCarbon's *offline* tracker (the online one silently falls back to Quebec's grid without
network), and greenit's carbon intensity, from the factor layer (the packaged tables with
``--factors`` laid over them) — exactly what ``greenit estimate`` uses for the same country.

The factor tables need pandas, which would slow the command's start by about 0.4 s; they are
read in a thread while CodeCarbon detects the hardware (about 1.5 s, mostly waiting), so the
run starts no later than under bare CodeCarbon. This module itself imports neither pandas
nor pint. The run's sequence and its signals are :mod:`greenit.tracking.supervisor`'s.
"""

from __future__ import annotations

import math
import re
import socket
import sys
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

from greenit.ai.runs.limits import PLAUSIBLE
from greenit.errors import GreenitError
from greenit.i18n import msg
from greenit.tracking.meter import CURRENT, ENERGY_FIELDS, METER, Share
from greenit.tracking.tracklog import TrackLog

#: Accepted checkpoint intervals [s]: below 1 s the log fills with rows, above a week a long
#: run could lose days to a SIGKILL.
INTERVAL_RANGE_S = (1.0, 7 * 24 * 3600.0)
#: Accepted PUE: 1 is the physical minimum (all the power reaches the IT equipment); 5 is a
#: sanity bound, not a figure: a machine room spending four times its IT load on cooling and
#: losses would be a typo far more often than a fact.
PUE_RANGE = (PLAUSIBLE["pue"].low, PLAUSIBLE["pue"].high)  # one bound for logs, levers and --pue
_GPU_MODEL = re.compile(r"^\s*(\d+)\s*x\s*(.+)$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")


def check_options(*, pue: float, interval: float, country: str) -> str:
    """Refuse options that would make wrong numbers or flood the log; the country, upper case.

    ``pue``: finite, within :data:`PUE_RANGE`; ``interval`` [s]: finite, within
    :data:`INTERVAL_RANGE_S`; ``country``: an ISO 3166 alpha-3 code (its grid factor is
    checked when the factor tables are read).
    """
    for name, value, (low, high) in (("--pue", pue, PUE_RANGE), ("--interval", interval, INTERVAL_RANGE_S)):
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not (math.isfinite(number) and low <= number <= high):
            from greenit.i18n.formats import Number

            raise GreenitError.of(
                "tracking.option.out_of_range",
                "tracking.option.out_of_range_hint",
                option=name,
                value=f"{number:g}",
                low=Number(low, decimals=0),
                high=Number(high, decimals=0),
            )
    code = str(country).strip().upper()
    if not _COUNTRY.match(code):
        raise GreenitError.of("tracking.option.country", "tracking.option.country_hint", value=str(country))
    return code


def grid_factor_kg_per_kwh(country: str, factors: str | Path | None = None) -> float:
    """Carbon intensity of ``country`` [kgCO2e/kWh] from the factor layer, as ``greenit estimate`` reads it.

    ``factors``: the user's table or folder laid over the packaged tables (``--factors``). The
    factor loader needs pandas and pint (about 0.3 s of CPU): call this off the command's
    critical path (:class:`Measurement` does, in a thread while CodeCarbon starts).
    """
    from greenit.factors import load_factors

    return load_factors(factors).grid_factor(country)


class _InBackground:
    """A call run in a daemon thread; ``result`` waits for it and re-raises its exception."""

    def __init__(self, function: Callable[[], float]) -> None:
        self._function = function
        self._value: float | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True, name="greenit-factors")
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._function()
        except BaseException as error:  # re-raised in the caller's thread
            self._error = error

    def result(self) -> float:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._value is not None  # the thread either set it or raised
        return self._value


class Measurement:
    """One tracked run: options and log checked at once, then its share of the process's
    CodeCarbon tracker (:mod:`greenit.tracking.meter`), checkpoints and rows.

    ``nested``: whether a measurement started inside another one of the same thread or task
    is nested in it (its time is its own, not also the outer one's); False for a generator,
    whose measurement spans the code consuming it.
    """

    def __init__(
        self,
        *,
        log: str | Path,
        project: str = "",
        phase: str = "other",
        country: str = "FRA",
        pue: float = 1.0,
        interval: float = 60.0,
        command: str = "",
        verbose: bool = False,
        factors: str | Path | None = None,
        nested: bool = True,
    ) -> None:
        self.country = check_options(pue=pue, interval=interval, country=country)
        self.log = TrackLog(log)
        self.log.check()
        self.project, self.phase, self.factors = project, phase, factors
        self.pue, self.interval, self.command, self.verbose = float(pue), float(interval), command, verbose
        self.intensity: float | None = None
        self.run_id = f"{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}"
        self.share = Share(parent=CURRENT.get() if nested else None, run_id=self.run_id)
        self.leftover_pids: list[int] = []  # processes a tracked command left running (supervisor)
        self._joined = False
        self._left = False
        self._lock = threading.Lock()
        self._stop_checkpoints = threading.Event()
        self._checkpointer: threading.Thread | None = None
        self.started_at: datetime | None = None
        self.final_row: dict[str, object] | None = None

    def start(self) -> None:
        """Start (or hold) CodeCarbon while the grid factor loads, join it, write the first checkpoint.

        Raises :class:`GreenitError` (the command is then not run) when CodeCarbon cannot
        start, the country has no grid factor, a line of a large log is damaged, or the first
        row cannot be written.
        """
        factor = _InBackground(self._prepare)
        try:
            METER.hold(interval=self.interval, country=self.country, verbose=self.verbose)
        except Exception as error:  # CodeCarbon missing, or its hardware detection failing
            raise GreenitError.of(
                "tracking.codecarbon_failed", "tracking.codecarbon_failed_hint", error=repr(error)
            ) from error
        try:
            self.intensity = factor.result()
            METER.join(self.share)  # the run is measured from here: greenit is ready
            self._joined = True
            self.started_at = datetime.now(UTC)
            self.log.append(self._row("running", None))
        except BaseException:
            self.stop_measuring()
            raise
        finally:
            METER.release()
        self._checkpointer = threading.Thread(
            target=self._checkpoint_loop, daemon=True, name="greenit-checkpoint"
        )
        self._checkpointer.start()

    def _prepare(self) -> float:
        """What can run beside CodeCarbon's start: a large log's line check, the grid factor."""
        self.log.scan()
        return grid_factor_kg_per_kwh(self.country, self.factors)

    def _checkpoint_loop(self) -> None:
        said = False
        while not self._stop_checkpoints.wait(self.interval):
            with self._lock:
                if self._stop_checkpoints.is_set():
                    return
                try:
                    error = METER.read()
                    if error is not None:
                        raise error
                    self.log.append(self._row("running", None))
                except Exception as error:  # said once; the run goes on, its final row is tried
                    if not said:
                        _warn("tracking.checkpoint_failed", error)
                    said = True

    def stop_measuring(self) -> None:
        """Stop the checkpoints and leave CodeCarbon; the share measured is kept for the final row.

        A CodeCarbon failure here is reported, never raised: the row is still written, with
        the last measurement CodeCarbon gave (at most one interval old).
        """
        self._stop_checkpoints.set()
        with self._lock:
            if self._joined and not self._left:
                self._left = True
                error = METER.leave(self.share)
                if error is not None:
                    _warn("tracking.codecarbon_stop_failed", error)

    def write_final(self, status: str, exit_code: int | None) -> dict[str, object]:
        """Append the run's final row (:class:`GreenitError` if it cannot be written)."""
        with self._lock:
            row = self._row(status, exit_code)
            self.final_row = row
            self.log.append(row)
        return row

    def stop(self, status: str, exit_code: int | None) -> dict[str, object]:
        """Stop measuring and append the final row."""
        self.stop_measuring()
        return self.write_final(status, exit_code)

    def _row(self, status: str, exit_code: int | None) -> dict[str, object]:
        now = datetime.now(UTC)
        started = self.started_at or now
        row: dict[str, object] = {
            "run_id": self.run_id,
            "project": self.project,
            "phase": self.phase,
            "status": status,
            "exit_code": exit_code,
            "started_at": started.isoformat(timespec="seconds"),
            "ended_at": now.isoformat(timespec="seconds"),
            "duration [h]": (now - started).total_seconds() / 3600,
            "energy [kWh]": 0.0,
            "pue_applied": self.pue,
            "location": self.country,
            "carbon_intensity [kgCO2e/kWh]": self.intensity,
            "emissions [kgCO2e]": 0.0,
            "host": socket.gethostname(),
            "command": self.command,
            "greenit_version": _version(),
        }
        if self.share.latest is not None:
            row.update(measured_columns(share_data(self.share, self.pue), self.intensity))
        if self.share.tracker is not None:
            row.update(_measurement_methods(self.share.tracker))
        row.update(self._sharing_columns())
        return row

    def _sharing_columns(self) -> dict[str, object]:
        """How this run shared the machine, and what its command left running (with its notes)."""
        share, notes = self.share, []
        if share.shared_with:
            notes.append(msg("tracking.note.shared", n=share.shared_with))
        if share.parent is not None:
            notes.append(msg("tracking.note.nested_in", run_id=share.parent.run_id))
        if share.nested:
            notes.append(msg("tracking.note.nested", n=share.nested))
        if self.leftover_pids:
            pids = " ".join(str(pid) for pid in self.leftover_pids)
            notes.append(msg("tracking.note.leftovers", n=len(self.leftover_pids), pids=pids))
        return {
            "shared_with": share.shared_with,
            "parent_run_id": share.parent.run_id if share.parent is not None else "",
            "leftover_pids": " ".join(str(pid) for pid in self.leftover_pids),
            "notes": " ; ".join(str(note) for note in notes),
        }


def share_data(share: Share, pue: float) -> SimpleNamespace:
    """CodeCarbon's latest ``EmissionsData`` with this share's duration and energies, × ``pue``.

    The tracker runs with PUE 1; powers [W] are the machine's (not shared), × ``pue``.
    """
    data = share.latest
    energies = {name: value * pue for name, value in zip(ENERGY_FIELDS, share.energy, strict=True)}
    powers = {
        name: _finite(getattr(data, name, 0.0)) * pue for name in ("cpu_power", "gpu_power", "ram_power")
    }
    return SimpleNamespace(
        duration=share.duration_s,
        **energies,
        **powers,
        **{name: getattr(data, name, None) for name in ("cpu_model", "cpu_count", "gpu_model", "gpu_count")},
        codecarbon_version=getattr(data, "codecarbon_version", ""),
    )


def _warn(key: str, error: Exception) -> None:
    """Say on stderr what went wrong while the run goes on."""
    detail = error.message if isinstance(error, GreenitError) else repr(error)
    print(msg(key, error=detail), file=sys.stderr)


def measured_columns(data, intensity_kg_per_kwh: float | None) -> dict[str, object]:
    """The log columns from CodeCarbon's cumulative ``EmissionsData`` (energy already × PUE).

    ``gpu_model`` (``"2 x NVIDIA H100 80GB HBM3"``) gives the accelerator and its count;
    emissions [kgCO2e] = energy [kWh] × ``intensity_kg_per_kwh``.
    """
    accelerator, count = "", getattr(data, "gpu_count", 0) or 0
    match = _GPU_MODEL.match(getattr(data, "gpu_model", "") or "")
    if match:
        accelerator = match.group(2).strip()
        count = count or int(match.group(1))
    energy = _finite(data.energy_consumed)
    return {
        "duration [h]": _finite(data.duration) / 3600,
        "energy [kWh]": energy,
        "cpu_energy [kWh]": data.cpu_energy,
        "gpu_energy [kWh]": data.gpu_energy,
        "ram_energy [kWh]": data.ram_energy,
        "cpu_power [W]": data.cpu_power,
        "gpu_power [W]": data.gpu_power,
        "ram_power [W]": data.ram_power,
        "emissions [kgCO2e]": energy * intensity_kg_per_kwh if intensity_kg_per_kwh is not None else None,
        "accelerator": accelerator,
        "accelerator_count": int(_finite(count)),
        "cpu_model": data.cpu_model,
        "cpu_count": data.cpu_count,
        "codecarbon_version": data.codecarbon_version,
    }


def _finite(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def _measurement_methods(tracker) -> dict[str, str]:
    """How CodeCarbon measures each component: RAPL, NVML, its load model from TDP…"""
    methods = {"cpu_measurement": "", "gpu_measurement": "", "ram_measurement": ""}
    for hardware in getattr(tracker, "_hardware", []):
        kind = type(hardware).__name__
        if kind == "CPU":
            mode = getattr(hardware, "_mode", "") or ""
            methods["cpu_measurement"] = {
                "intel_rapl": "RAPL energy counters",
                "cpu_load": "load model from TDP (cpu_load)",
                "constant": "constant 50 % of TDP",
                "intel_power_gadget": "Intel Power Gadget",
                "windows_emi": "Windows Energy Meter",
            }.get(mode, mode)
        elif kind == "GPU":
            devices = getattr(getattr(hardware, "devices", None), "devices", None) or []
            amd = any(type(device).__name__.startswith("AMD") for device in devices)
            methods["gpu_measurement"] = "AMD SMI energy counter" if amd else "NVML energy counter"
        elif kind == "RAM":
            methods["ram_measurement"] = "estimate from installed RAM (W per DIMM)"
        elif kind == "AppleSiliconChip":
            methods["cpu_measurement"] = "powermetrics"
    return methods


def _version() -> str:
    from greenit._version import __version__

    return __version__
