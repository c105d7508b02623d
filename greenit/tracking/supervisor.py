"""Live tracking of a command: ``greenit track -- COMMAND`` (``greenit.track`` for Python code is
:mod:`greenit.tracking.context`, on the same measurement).

A tracked run never loses its row. The order of a run protects it:

1. handlers for SIGINT, SIGTERM, SIGHUP and the other signals that would end greenit first,
   before anything slow: a signal is recorded from the first instant (an inherited "ignore",
   as under ``nohup``, is kept);
2. the options and the log are checked (:class:`~greenit.tracking.tracklog.TrackLog`): a refused
   log, a full disk or a bad option stops here, exit 2, and the command never runs;
3. CodeCarbon starts while the factor tables load (:class:`~greenit.tracking.measurement.Measurement`),
   then a ``running`` checkpoint row is written — if greenit is killed from here on, the run
   is in the log;
4. the command starts in its own process group (:mod:`greenit.tracking.child`) — unless a signal
   came during 1–3: then the row says ``interrupted`` and the command never starts;
5. while it runs, each signal goes to its whole process group (a second one of the same kind
   kills the group), and a checkpoint row is appended every ``interval`` seconds; a command
   that has ended but is not yet reaped no longer runs: a signal then is greenit's own
   (exit 128 + N), not one lost on a dead process;
6. when it ends, the final row is appended; a signal that arrives during this last
   measurement is honoured too (row ``interrupted``, exit 128 + N).

The exit code is the command's (128 + N when signal N ended it), or 128 + N for a signal
greenit received when no command was running. A final row that cannot be written is reported
loudly and does not replace the command's exit code (the start checkpoint is in the log).

This module imports neither pandas nor pint: it must add as little as possible to the
command's start-up.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from greenit.errors import GreenitError, os_reason
from greenit.i18n import msg
from greenit.i18n.formats import DURATION_UNITS, ENERGY_UNITS, MASS_UNITS, display_unit
from greenit.tracking.child import Child
from greenit.tracking.leftovers import MARK, boot_clock, leftover_processes
from greenit.tracking.measurement import Measurement, check_options, grid_factor_kg_per_kwh
from greenit.tracking.tracklog import LOG_COLUMNS

__all__ = ["LOG_COLUMNS", "Measurement", "check_options", "grid_factor_kg_per_kwh", "run_command"]

#: Signals recorded from the first instant and passed on to the command (those the system has):
#: every signal whose default action would end greenit and leave the command running unmeasured.
#: The command decides what they mean (a SIGUSR1 may only ask it to reopen its logs).
HANDLED_SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM")
    if hasattr(signal, name)
)
_KILL = getattr(signal, "SIGKILL", signal.SIGTERM)
#: A command ended by one of these was interrupted; by another signal (SIGSEGV…), it failed.
_INTERRUPTING = frozenset(HANDLED_SIGNALS) | {_KILL}


class Signals:
    """:data:`HANDLED_SIGNALS` caught for the length of a run and passed on to its command.

    ``pending`` holds the signals received while no command was running (before it started,
    or after it ended): those decide greenit's own exit code. Handlers can only be installed
    from the main thread; elsewhere this records nothing.
    """

    def __init__(self) -> None:
        self.received: list[int] = []
        self.pending: list[int] = []
        self.child: Child | None = None
        self._previous: dict[int, Any] = {}  # the handlers signal.signal returned

    def install(self) -> Signals:
        if threading.current_thread() is not threading.main_thread():
            return self
        for signum in HANDLED_SIGNALS:
            previous = signal.getsignal(signum)
            if previous is signal.SIG_IGN:
                continue
            self._previous[signum] = previous
            signal.signal(signum, self._on_signal)
        return self

    def _on_signal(self, signum: int, _frame: object) -> None:
        self.received.append(signum)
        child = self.child
        if child is not None and _still_running(child):
            child.signal(_KILL if self.received.count(signum) > 1 else signum)
        else:
            self.pending.append(signum)

    def attach(self, child: Child) -> None:
        """From now on signals go to ``child``'s group; those received just before, too
        (they stay greenit's own if the command has already ended).
        """
        self.child = child
        while self.pending and _still_running(child):
            child.signal(self.pending.pop(0))

    def restore(self) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        self._previous.clear()


def _still_running(child: Child) -> bool:
    """Whether ``child`` can still be stopped by a signal: started and not ended.

    A command that has exited but that :meth:`Child.wait` has not reaped yet (a zombie: a
    fast command, a loaded machine) has ended: ``killpg`` would "succeed" on it and the signal
    be lost, greenit then exiting 0 with an ``interrupted`` row. The check does not reap
    (``WNOWAIT``), so ``Child.wait`` still gets the exit status.
    """
    if not child.running or child.process is None:
        return False
    waitid = getattr(os, "waitid", None)
    if waitid is None:  # Windows: no zombies to tell apart
        return True
    try:
        ended = waitid(os.P_PID, child.process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:  # reaped by Child.wait, which has not set its code yet
        return False
    return ended is None


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
    factors: str | Path | None = None,
    report: Callable[[object], None] | None = None,
    boamps_out: str | Path | None = None,
) -> int:
    """Run ``command`` under measurement; append its rows to ``log``; return its exit code.

    ``boamps_out``: also write the run as a BoAmps report (JSON) there, once its row is written.

    ``report`` receives what a person should see (catalogue messages: the summary of the run,
    a command that cannot be started, a row that could not be written). Raises
    :class:`GreenitError` — before the command runs — for a bad option, a refused log or an
    unknown country. See the module's docstring for the sequence and the signals.
    """
    signals = Signals().install()
    try:
        if not command:
            raise GreenitError.of("tracking.no_command", "tracking.no_command_hint")
        measurement = Measurement(
            log=log,
            project=project,
            phase=phase,
            country=country,
            pue=pue,
            interval=interval,
            command=shlex.join(command),
            verbose=verbose,
            factors=factors,
        )
        threading.Thread(target=_warm_up_summary, daemon=True, name="greenit-warm-up").start()
        measurement.start()
        return _run_measured(command, measurement, signals, report or (lambda _line: None), boamps_out)
    finally:
        signals.restore()


def _run_measured(
    command: list[str],
    measurement: Measurement,
    signals: Signals,
    report: Callable[[object], None],
    boamps_out: str | Path | None = None,
) -> int:
    if signals.pending:  # stopped while CodeCarbon started: the command never runs
        code = 128 + signals.pending[0]
        return _finish(measurement, "interrupted", code, report, boamps_out)
    child = Child(command, env={**os.environ, MARK: measurement.run_id})
    since = boot_clock()
    try:
        child.start()
    except OSError as error:  # not found, not executable: the shell's 127/126, row still written
        code = 127 if isinstance(error, FileNotFoundError) else 126
        report(msg("tracking.cannot_run", command=command[0], error=os_reason(error)))
        return _finish(measurement, "failed", code, report, boamps_out)
    signals.attach(child)
    code = child.wait()
    measurement.stop_measuring()
    if os.name == "posix" and child.process is not None:  # said, never waited for
        measurement.leftover_pids = leftover_processes(child.process.pid, measurement.run_id, since)
    if signals.pending:  # received once the command had ended, while greenit measured its end
        return _finish(measurement, "interrupted", 128 + signals.pending[0], report, boamps_out)
    if signals.received or (child.signal_number in _INTERRUPTING):
        status = "interrupted"
    else:
        status = "completed" if code == 0 else "failed"
    return _finish(measurement, status, code, report, boamps_out)


def _finish(
    measurement: Measurement,
    status: str,
    code: int,
    report: Callable[[object], None],
    boamps_out: str | Path | None = None,
) -> int:
    """Stop measuring, write the final row, report; ``code`` whatever happens to the row."""
    try:
        measurement.stop_measuring()
        row = measurement.write_final(status, code)
    except GreenitError as error:
        report(msg("tracking.row_lost", error=error.message))
        return code
    line = summary(row, measurement.log.path)
    if measurement.leftover_pids:
        pids = " ".join(str(pid) for pid in measurement.leftover_pids)
        note = msg("tracking.note.leftovers", n=len(measurement.leftover_pids), pids=pids)
        line = msg("tracking.summary_with_note", summary=line, note=note)
    report(line)
    if boamps_out is not None:
        _write_boamps(row, boamps_out, report)
    return code


def _write_boamps(row: dict[str, object], path: str | Path, report: Callable[[object], None]) -> None:
    """The run as a BoAmps report; a report that cannot be written is said, the exit code kept."""
    from greenit.parsing.formats.boamps import report_of_run, write_report

    try:
        report(msg("boamps.written", path=str(write_report(path, report_of_run(dict(row))))))
    except OSError as error:
        report(msg("boamps.not_written", path=str(path), error=os_reason(error)))


def summary(row: dict[str, object], path: Path):
    """The line shown at the end of a run (a catalogue message, rendered in the user's language).

    Quantities are shown in the unit that reads best: 6,19 Wh rather than 0,00000619 kWh.
    """

    def number(column: str) -> float:
        try:
            return float(str(row.get(column) or 0))
        except (TypeError, ValueError):
            return 0.0

    return msg(
        "tracking.summary",
        status=msg(f"tracking.status.{row['status']}"),
        duration=Quantity.scaled(number("duration [h]") * 3600, DURATION_UNITS),
        energy=Quantity.scaled(number("energy [kWh]"), ENERGY_UNITS),
        emissions=Quantity.scaled(number("emissions [kgCO2e]"), MASS_UNITS),
        location=str(row.get("location") or ""),
        path=str(path),
        run_id=str(row["run_id"]),
    )


def _warm_up_summary() -> None:
    """Load the catalogue and Babel while CodeCarbon starts, so the summary costs nothing later."""
    with contextlib.suppress(Exception):
        str(summary({"status": "completed", "run_id": "", "energy [kWh]": 1.0}, Path(".")))


class Quantity:
    """A number and its unit, formatted for the language it is rendered in (``6,19 Wh``)."""

    def __init__(self, value: float, unit: str) -> None:
        self.value, self.unit = value, unit

    @classmethod
    def scaled(cls, value: float, units: tuple[tuple[float, str], ...]) -> Quantity:
        """``value`` (in the units' base) in the largest of ``units`` it is at least 2 of."""
        size, unit = display_unit([value], units, reaching=2.0)
        return cls(value / size, unit)

    def render(self, lang: str | None = None) -> str:
        from greenit.i18n import get_language
        from greenit.i18n.formats import format_number

        return f"{format_number(self.value, lang or get_language())}\u00a0{self.unit}"
