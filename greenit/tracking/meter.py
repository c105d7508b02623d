"""One CodeCarbon tracker per process, shared by the measurements running in it at the same time.

CodeCarbon measures the *machine* (RAPL counters, NVML, or its load model), not a function or
a thread, and its trackers are not thread-safe. Two trackers running at once in one process
would each count the whole machine, so three calls of a decorated function made from three
threads would be counted three times. greenit therefore runs **one** tracker while at least one
measurement of the process is active, and shares out what it measures:

- the tracker is read (``flush``) whenever the set of active measurements changes (one starts,
  one ends) and at each checkpoint, so every slice of time has a known set of measurements;
- a slice's energy goes to the measurements that were *leaves* during it — those with no
  nested measurement running (``@track def pipeline()`` calling ``@track def train()``: the
  time spent in ``train`` is ``train``'s, not also ``pipeline``'s); leaves running at once
  (threads, coroutines gathered) share it **in equal parts**: the machine cannot tell them
  apart. A row says how many others it shared with (``shared_with``) and which run it was
  nested in (``parent_run_id``);
- each measurement's duration is its own (tracker time between its start and its end); the
  time greenit takes to get a measurement ready (CodeCarbon's start, the grid factor) is not
  in it: the tracker is *held* (:meth:`Meter.hold`) until the measurement joins, and a slice
  with no measurement active is nobody's.

The sum of the rows is the tracker's energy: nothing is counted twice, nothing is lost. The
PUE is applied per measurement (the tracker runs with PUE 1), so concurrent runs may state
different PUEs. A read that fails leaves the slice to the next read that succeeds.

Which measurement a new one is nested in is read from a :class:`~contextvars.ContextVar`:
the current measurement of the thread, or of the asyncio task (tasks created inside a
measured coroutine are nested in it). This module imports neither pandas nor pint.
"""

from __future__ import annotations

import contextvars
import logging
import os
import threading
from dataclasses import dataclass, field
from typing import Any

#: The measurement the code running now is inside of (nesting), per thread and asyncio task.
CURRENT: contextvars.ContextVar[Share | None] = contextvars.ContextVar("greenit_current_share", default=None)

#: Cumulative energies read from CodeCarbon's ``EmissionsData`` [kWh], in this order.
ENERGY_FIELDS = ("energy_consumed", "cpu_energy", "gpu_energy", "ram_energy")


@dataclass(eq=False)  # one share is one measurement: compared by identity
class Share:
    """What one measurement has been given of the process's tracker.

    ``energy``: [kWh] per :data:`ENERGY_FIELDS`, before the PUE; ``start_s``/``end_s``: the
    tracker's clock [s] when it joined / left; ``latest``: the tracker's last ``EmissionsData``
    (the machine's power and hardware); ``tracker``: the tracker (how it measures each part);
    ``shared_with``: the most other leaves it shared a
    slice with; ``nested``: how many measurements ran nested in it (their energy is theirs).
    """

    parent: Share | None = None
    run_id: str = ""
    energy: list[float] = field(default_factory=lambda: [0.0] * len(ENERGY_FIELDS))
    start_s: float = 0.0
    end_s: float | None = None
    latest: Any = None
    tracker: Any = None
    shared_with: int = 0
    nested: int = 0
    active_children: int = 0

    @property
    def duration_s(self) -> float:
        """Time measured [s]: from joining the tracker to leaving it (or its last read)."""
        end = self.end_s if self.end_s is not None else _clock(self.latest, self.start_s)
        return max(0.0, end - self.start_s)


def _clock(data: Any, default: float) -> float:
    try:
        value = float(data.duration)
    except (AttributeError, TypeError, ValueError):
        return default
    return value if value == value and abs(value) != float("inf") else default  # finite only


class Meter:
    """The process's CodeCarbon tracker, started by the first measurement and stopped by the last.

    Every method holds one lock: CodeCarbon is never called from two threads at once.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget every measurement: in a forked child (a multiprocessing worker), the parent's
        measurements and tracker are the parent's — its CodeCarbon threads did not survive the fork.
        """
        self._lock = threading.RLock()
        self._active: list[Share] = []
        self._holds = 0  # measurements getting ready to join (see hold)
        self._tracker: Any = None
        self._capture: Any = None
        self._last: list[float] = [0.0] * len(ENERGY_FIELDS)

    @property
    def tracker(self) -> Any:
        return self._tracker

    def hold(self, *, interval: float, country: str, verbose: bool) -> None:
        """Keep CodeCarbon running (starting it if needed) until :meth:`release`, while a
        measurement gets ready (the grid factor loading) before it joins (:meth:`join`).

        Raises what CodeCarbon raises when it cannot start (nothing is held then).
        """
        with self._lock:
            if self._tracker is None:
                self._start(interval=interval, country=country, verbose=verbose)
            self._holds += 1

    def release(self) -> None:
        """End a :meth:`hold`; CodeCarbon stops when nothing holds it and no measurement is active."""
        with self._lock:
            self._holds -= 1
            if self._holds == 0 and not self._active and self._tracker is not None:
                self._stop()

    def join(self, share: Share) -> None:
        """Add ``share`` to the active measurements, from now on (CodeCarbon held: :meth:`hold`).

        The slice before goes to the measurements already active; with none, it was greenit
        getting ready (CodeCarbon's start, the grid factor) and is nobody's.
        """
        with self._lock:
            assert self._tracker is not None, "join() without hold()"
            self.read()
            share.latest = self._capture.latest
            share.start_s = _clock(share.latest, 0.0)
            if share.parent is not None and share.parent in self._active:
                share.parent.active_children += 1
                share.parent.nested += 1
            else:
                share.parent = None
            share.tracker = self._tracker
            self._active.append(share)

    def leave(self, share: Share) -> Exception | None:
        """Take ``share`` out after a last read; the last one out (none held) stops CodeCarbon.

        Returns CodeCarbon's error if its read or stop failed (the share keeps what it had).
        """
        with self._lock:
            if share not in self._active:
                return None
            try:
                last = len(self._active) == 1 and self._holds == 0
                return self._stop() if last else self.read()
            finally:  # also when an exception (a signal's SystemExit) cuts the read short
                share.end_s = _clock(share.latest, share.start_s)
                self._active.remove(share)
                if share.parent is not None and share.parent in self._active:
                    share.parent.active_children -= 1

    def read(self) -> Exception | None:
        """Read CodeCarbon now and share out the slice since the last read (its error, if any)."""
        with self._lock:
            if self._tracker is None:
                return None
            try:
                self._tracker.flush()
            except Exception as error:  # the slice goes to the next read that succeeds
                return error
            self._share_out(self._capture.latest)
            return None

    def _share_out(self, data: Any) -> None:
        if data is None:
            return
        totals = [_finite(getattr(data, name, 0.0)) for name in ENERGY_FIELDS]
        slice_ = [max(0.0, now - before) for now, before in zip(totals, self._last, strict=True)]
        self._last = totals
        leaves = [share for share in self._active if share.active_children == 0]
        for share in leaves:
            share.energy = [
                mine + part / len(leaves) for mine, part in zip(share.energy, slice_, strict=True)
            ]
            if any(slice_):
                share.shared_with = max(share.shared_with, len(leaves) - 1)
        for share in self._active:
            share.latest = data

    def _start(self, *, interval: float, country: str, verbose: bool) -> None:
        if not verbose:
            logging.getLogger("codecarbon").setLevel(logging.ERROR)
            os.environ.setdefault("CODECARBON_LOG_LEVEL", "error")
        from codecarbon import OfflineEmissionsTracker
        from codecarbon.output_methods.base_output import BaseOutput

        class Capture(BaseOutput):
            """Keeps CodeCarbon's latest cumulative measurement (at each flush and at stop)."""

            latest = None

            def out(self, total, delta) -> None:
                self.latest = total

        capture = Capture()
        # CodeCarbon's own emissions are not used (greenit multiplies the measured energy by
        # its factor); a forced intensity of 0 spares it a country lookup that logs errors.
        # PUE 1: each measurement applies its own.
        tracker = OfflineEmissionsTracker(
            country_iso_code=country,
            project_name="greenit",
            measure_power_secs=min(15.0, interval),
            output_methods=[],
            output_handlers=[capture],
            save_to_file=False,
            log_level="info" if verbose else "error",
            pue=1.0,
            force_carbon_intensity_g_co2e_kwh=0.0,
            allow_multiple_runs=True,
        )
        tracker.start()
        self._tracker, self._capture = tracker, capture
        self._last = [0.0] * len(ENERGY_FIELDS)

    def _stop(self) -> Exception | None:
        tracker, self._tracker = self._tracker, None
        error: Exception | None = None
        try:
            tracker.stop()
        except Exception as failure:  # the share keeps the last read
            error = failure
        else:
            self._share_out(self._capture.latest)
        self._capture = None
        return error


def _finite(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return number if number == number and abs(number) != float("inf") else 0.0


#: The process's meter: every measurement of this process (API and ``greenit track``) uses it.
METER = Meter()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=METER.reset)
