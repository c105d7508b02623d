"""Live measurement of AI runs around CodeCarbon, written safely to a shared run log.

CodeCarbon measures (RAPL, NVML, or its load model); greenit decides the rest:

- always the *offline* tracker with an explicit country (the online one silently falls back
  to Quebec's grid without network), and greenit's own grid factor for that country;
- one row per run in the canonical AI log format, appended under an exclusive file lock in a
  single write, so concurrent runs never interleave;
- a cumulative checkpoint row every ``interval`` seconds (status ``running``): a SIGKILL or a
  power cut loses at most that much; the final row supersedes it (readers keep a run's last row);
- SIGINT and SIGTERM are forwarded to the command and the row is still written; a command that
  fails still leaves its row, marked ``failed``.

This module imports neither pandas nor pint: it must add as little as possible to the
command's start-up.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from greenit.errors import GreenitError

LOG_COLUMNS = [
    "run_id",
    "project",
    "phase",
    "status",
    "exit_code",
    "started_at",
    "ended_at",
    "duration [h]",
    "energy [kWh]",
    "cpu_energy [kWh]",
    "gpu_energy [kWh]",
    "ram_energy [kWh]",
    "cpu_power [W]",
    "gpu_power [W]",
    "ram_power [W]",
    "pue_applied",
    "location",
    "carbon_intensity [kgCO2e/kWh]",
    "emissions [kgCO2e]",
    "accelerator",
    "accelerator_count",
    "cpu_model",
    "cpu_count",
    "cpu_measurement",
    "gpu_measurement",
    "ram_measurement",
    "host",
    "command",
    "greenit_version",
    "codecarbon_version",
]

_GPU_MODEL = re.compile(r"^\s*(\d+)\s*x\s*(.+)$")


def grid_factor_kg_per_kwh(country: str, factors_dir: Path | None = None) -> float:
    """Carbon intensity of ``country`` from greenit's electricity table, read without pandas."""
    from greenit.factors.tables import default_factors_dir

    path = (factors_dir or default_factors_dir()) / "electricity.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        column = next((c for c in reader.fieldnames or [] if c.startswith("carbon_intensity")), None)
        if column != "carbon_intensity [kgCO2e/kWh]":
            raise GreenitError(f"{path}: expected a 'carbon_intensity [kgCO2e/kWh]' column")
        for row in reader:
            if row["country"] == country:
                return float(row[column])
    raise GreenitError(
        f"no electricity factor for country '{country}'", "use an ISO 3166 alpha-3 code such as FRA, DEU, BEL"
    )


class LogFile:
    """A CSV run log that many processes append to, one locked write per row."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def check(self) -> None:
        """Refuse, before anything runs, a log whose header is not greenit's track format."""
        if self.path.exists() and self.path.stat().st_size > 0:
            with self.path.open(encoding="utf-8-sig", newline="") as handle:
                header = next(csv.reader(handle), [])
            if header != LOG_COLUMNS:
                raise GreenitError(
                    f"{self.path}: exists but is not a greenit track log (its header differs)",
                    "give another --log file, or move this one away",
                )
        elif not self.path.parent.exists():
            raise GreenitError(f"{self.path.parent}: no such folder for the log")

    def append(self, row: dict[str, object]) -> None:
        """Append ``row`` (and the header if the file is new) under an exclusive lock."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in LOG_COLUMNS])
        line = buffer.getvalue().encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            _lock(fd)
            if os.fstat(fd).st_size == 0:
                header = io.StringIO()
                csv.writer(header, lineterminator="\n").writerow(LOG_COLUMNS)
                line = header.getvalue().encode("utf-8") + line
            os.write(fd, line)
            os.fsync(fd)
        finally:
            _unlock(fd)
            os.close(fd)


def _lock(fd: int) -> None:
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)
    except ImportError:  # Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)


def _unlock(fd: int) -> None:
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)
    except ImportError:
        import msvcrt

        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


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
            methods["gpu_measurement"] = "NVML energy counter"
        elif kind == "RAM":
            methods["ram_measurement"] = "estimate from installed RAM (W per DIMM)"
        elif kind == "AppleSiliconChip":
            methods["cpu_measurement"] = "powermetrics"
    return methods


class Measurement:
    """One tracked run: CodeCarbon offline tracker, checkpoints, and the log row."""

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
    ) -> None:
        if interval <= 0:
            raise GreenitError("--interval must be a positive number of seconds")
        if pue < 1:
            raise GreenitError("--pue must be 1 or more")
        self.log = LogFile(log)
        self.log.check()
        self.project, self.phase, self.country = project, phase, country.upper()
        self.pue, self.interval, self.command, self.verbose = pue, interval, command, verbose
        self.intensity = grid_factor_kg_per_kwh(self.country)
        self.run_id = f"{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}"
        self._capture = None  # CodeCarbon output handler keeping the latest measurement
        self._tracker = None
        self._lock = threading.Lock()
        self._stop_checkpoints = threading.Event()
        self._checkpointer: threading.Thread | None = None
        self.started_at: datetime | None = None
        self.final_row: dict[str, object] | None = None

    def start(self) -> None:
        if not self.verbose:
            logging.getLogger("codecarbon").setLevel(logging.ERROR)
            os.environ.setdefault("CODECARBON_LOG_LEVEL", "error")
        from codecarbon import OfflineEmissionsTracker
        from codecarbon.output_methods.base_output import BaseOutput

        class Capture(BaseOutput):
            """Keeps CodeCarbon's latest cumulative measurement (at each flush and at stop)."""

            latest = None

            def out(self, total, delta) -> None:
                self.latest = total

        handler = Capture()
        self._capture = handler
        self._tracker = OfflineEmissionsTracker(
            country_iso_code=self.country,
            project_name=self.project or "greenit",
            measure_power_secs=min(15.0, self.interval),
            output_methods=[],
            output_handlers=[handler],
            log_level="info" if self.verbose else "error",
            pue=self.pue,
            force_carbon_intensity_g_co2e_kwh=self.intensity * 1000.0,
            allow_multiple_runs=True,
        )
        self._tracker.start()
        self.started_at = datetime.now(UTC)
        self._checkpointer = threading.Thread(
            target=self._checkpoint_loop, daemon=True, name="greenit-checkpoint"
        )
        self._checkpointer.start()

    def _checkpoint_loop(self) -> None:
        while not self._stop_checkpoints.wait(self.interval):
            with self._lock:
                if self._stop_checkpoints.is_set():
                    return
                self._tracker.flush()
                self.log.append(self._row("running", None))

    def stop(self, status: str, exit_code: int | None) -> dict[str, object]:
        """Stop measuring and append the final row."""
        self._stop_checkpoints.set()
        with self._lock:
            if self._tracker is not None:
                self._tracker.stop()
            row = self._row(status, exit_code)
            self.log.append(row)
        self.final_row = row
        return row

    def _row(self, status: str, exit_code: int | None) -> dict[str, object]:
        data = self._capture.latest if self._capture is not None else None
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
            "duration [h]": f"{(now - started).total_seconds() / 3600:.9g}",
            "pue_applied": self.pue,
            "location": self.country,
            "carbon_intensity [kgCO2e/kWh]": self.intensity,
            "host": socket.gethostname(),
            "command": self.command,
            "greenit_version": _version(),
        }
        if data is not None:
            accelerator, count = "", data.gpu_count or 0
            match = _GPU_MODEL.match(data.gpu_model or "")
            if match:
                count, accelerator = int(match.group(1)), match.group(2).strip()
            row.update(
                {
                    "duration [h]": f"{data.duration / 3600:.9g}",
                    "energy [kWh]": f"{data.energy_consumed:.9g}",
                    "cpu_energy [kWh]": f"{data.cpu_energy:.9g}",
                    "gpu_energy [kWh]": f"{data.gpu_energy:.9g}",
                    "ram_energy [kWh]": f"{data.ram_energy:.9g}",
                    "cpu_power [W]": f"{data.cpu_power:.6g}",
                    "gpu_power [W]": f"{data.gpu_power:.6g}",
                    "ram_power [W]": f"{data.ram_power:.6g}",
                    "emissions [kgCO2e]": f"{data.energy_consumed * self.intensity:.9g}",
                    "accelerator": accelerator,
                    "accelerator_count": count,
                    "cpu_model": data.cpu_model,
                    "cpu_count": data.cpu_count,
                    "codecarbon_version": data.codecarbon_version,
                }
            )
        if self._tracker is not None:
            row.update(_measurement_methods(self._tracker))
        return row


def _version() -> str:
    from greenit._version import __version__

    return __version__


def run_command(
    command: list[str],
    *,
    log: str | Path,
    project: str = "",
    phase: str = "other",
    country: str = "FRA",
    pue: float = 1.0,
    interval: float = 60.0,
    verbose: bool = False,
    report: Callable[[str], None] | None = None,
) -> int:
    """Run ``command`` under measurement; append its row to ``log``; return its exit code.

    SIGINT and SIGTERM received by greenit are forwarded to the command; a second one kills
    it. The exit code is the command's (128 + N when a signal N ended it).
    """
    if not command:
        raise GreenitError(
            "no command to run", "write it after --, e.g. greenit track --log runs.csv -- python train.py"
        )
    measurement = Measurement(
        log=log,
        project=project,
        phase=phase,
        country=country,
        pue=pue,
        interval=interval,
        command=shlex.join(command),
        verbose=verbose,
    )
    measurement.start()
    received: list[int] = []
    try:
        child = subprocess.Popen(command)
    except OSError as error:  # not found, not executable: the shell's 127/126, row still written
        code = 127 if isinstance(error, FileNotFoundError) else 126
        row = measurement.stop("failed", code)
        if report:
            report(f"greenit: cannot run '{command[0]}': {error.strerror}")
            report(_summary_line(row, measurement.log.path))
        return code

    def forward(signum, _frame) -> None:
        received.append(signum)
        with contextlib.suppress(ProcessLookupError):
            if received.count(signum) > 1:
                child.kill()
            else:
                child.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while True:
            try:
                code = child.wait()
                break
            except InterruptedError:
                continue
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    exit_code = 128 - code if code < 0 else code
    if received:
        status = "interrupted"
    elif exit_code == 0:
        status = "completed"
    else:
        status = "failed"
    row = measurement.stop(status, exit_code)
    if report:
        report(_summary_line(row, measurement.log.path))
    return exit_code


def _summary_line(row: dict[str, object], path: Path) -> str:
    hours = float(row.get("duration [h]") or 0)
    energy = float(row.get("energy [kWh]") or 0)
    emissions = float(row.get("emissions [kgCO2e]") or 0)
    return (
        f"greenit: {row['status']} in {hours * 3600:.1f} s — {energy:.6f} kWh, "
        f"{emissions:.6f} kgCO2e ({row['location']}) → {path} [run {row['run_id']}]"
    )


class track(contextlib.ContextDecorator):  # noqa: N801 — reads as a verb: `with greenit.track(...)`
    """Measure a block of Python code or a function, and append its row to the run log.

    >>> import greenit
    >>> with greenit.track(project="chatbot", log="runs.csv", phase="inference"):  # doctest: +SKIP
    ...     serve_batch()

    Also a decorator: ``@greenit.track(project="ocr", log="runs.csv")``. While the block runs,
    SIGTERM raises SystemExit in the main thread so that the row is still written.
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
        verbose: bool = False,
    ) -> None:
        self.options = dict(
            log=log,
            project=project,
            phase=phase,
            country=country,
            pue=pue,
            interval=interval,
            verbose=verbose,
        )
        self.measurement: Measurement | None = None
        self._previous_handler = None

    def __enter__(self) -> Measurement:
        self.measurement = Measurement(command=" ".join(sys.argv), **self.options)
        self.measurement.start()
        if threading.current_thread() is threading.main_thread():

            def on_sigterm(signum, _frame):
                raise SystemExit(128 + signum)

            self._previous_handler = signal.signal(signal.SIGTERM, on_sigterm)
        return self.measurement

    def __exit__(self, exc_type, exc, tb) -> bool:
        if self._previous_handler is not None:
            signal.signal(signal.SIGTERM, self._previous_handler)
            self._previous_handler = None
        if exc_type is None:
            self.measurement.stop("completed", 0)
        elif issubclass(exc_type, (KeyboardInterrupt, SystemExit)):
            code = getattr(exc, "code", 130) if exc_type is SystemExit else 130
            self.measurement.stop("interrupted", code if isinstance(code, int) else 1)
        else:
            self.measurement.stop("failed", 1)
        return False
