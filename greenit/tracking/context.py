"""``greenit.track``: measure a block of Python code, or every call of a function.

One measurement per call, whatever the function is:

- a plain function: from the call to its return (or exception);
- an ``async def``: from the moment the coroutine is awaited to the end of the awaited body
  (the decorator returns a coroutine function), not only the creation of the coroutine;
- a plain function that *returns* a coroutine without being an ``async def`` is measured until
  it returns (decorate the ``async def`` itself);
- a generator function (sync or async): from the first value asked to the end of the
  iteration — the time the consuming code spends between two values included, since CodeCarbon
  measures the machine. A generator never iterated makes no row; one closed before its end
  (``break`` in the loop using it, or garbage-collected) is ``interrupted``, without exit code;
- calls running at once (threads, coroutines gathered) each get their own run, run id and
  final row; they share one CodeCarbon tracker and the energy it measures
  (:mod:`greenit.tracking.meter`: equal parts, nested calls apart), which each row says.

How a run ends: normally → ``completed`` (exit code 0); ``sys.exit()``, ``sys.exit(0)`` or
``sys.exit(None)`` → ``completed`` (0); ``sys.exit(N)`` → ``failed`` with N (``sys.exit("msg")``:
failed, 1, as Python exits); an exception → ``failed`` (1); ``KeyboardInterrupt`` (Ctrl-C) →
``interrupted`` (130); SIGTERM, SIGHUP and the other signals of
:data:`~greenit.tracking.supervisor.HANDLED_SIGNALS` but SIGINT, in the main thread → SystemExit
(128 + N), ``interrupted``; a cancelled coroutine → ``interrupted``, without exit code. The
exception always propagates unchanged: greenit only writes the row.

Starting CodeCarbon takes about 1.5 s (its hardware detection) when no other measurement of
the process is running; in a coroutine, that start blocks the event loop once.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import inspect
import os
import shlex
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from greenit.tracking.measurement import Measurement
from greenit.tracking.meter import CURRENT
from greenit.tracking.supervisor import HANDLED_SIGNALS, Signals

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class _Active:
    """One measured call in progress: its measurement and what to undo when it ends."""

    measurement: Measurement
    signals_seen: int  # TERMINATION.received when it started
    handlers: bool  # whether it holds the termination handlers
    token: contextvars.Token | None  # CURRENT set to its share (None: not nested in)


class track:  # noqa: N801 — reads as a verb: `with greenit.track(...)`
    """Measure a block of Python code or each call of a function, and append its rows to the run log.

    >>> import greenit
    >>> with greenit.track(project="chatbot", log="runs.csv", phase="inference"):  # doctest: +SKIP
    ...     serve_batch()

    Also a decorator, for plain functions, ``async def`` functions and generators:
    ``@greenit.track(project="ocr", log="runs.csv")``. How each call is measured and how its
    run ends (``sys.exit``, Ctrl-C, signals, concurrent calls): see :mod:`greenit.tracking.context`.
    One instance may be entered by several threads or tasks at once.
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
        factors: str | Path | None = None,
    ) -> None:
        self.options: dict[str, Any] = dict(
            log=log,
            project=project,
            phase=phase,
            country=country,
            pue=pue,
            interval=interval,
            verbose=verbose,
            factors=factors,
        )
        # the blocks this instance is in, per thread and asyncio task (``with`` nests and overlaps)
        self._entered: contextvars.ContextVar[tuple[_Active, ...]] = contextvars.ContextVar(
            f"greenit_track_{id(self)}", default=()
        )

    @property
    def measurement(self) -> Measurement | None:
        """The measurement of the innermost block this thread or task is in (None outside)."""
        entered = self._entered.get()
        return entered[-1].measurement if entered else None

    def __enter__(self) -> Measurement:
        active = self._begin()
        self._entered.set((*self._entered.get(), active))
        return active.measurement

    def __exit__(self, exc_type, exc, tb) -> None:
        *outer, active = self._entered.get()
        self._entered.set(tuple(outer))
        self._end(active, exc)

    def __call__(self, function: F) -> F:
        """``function`` measured at each call (a coroutine or generator function stays one)."""
        if inspect.isasyncgenfunction(function):
            return self._async_generator(function)  # type: ignore[return-value]
        if inspect.iscoroutinefunction(function):
            return self._coroutine(function)  # type: ignore[return-value]
        if inspect.isgeneratorfunction(function):
            return self._generator(function)  # type: ignore[return-value]

        @functools.wraps(function)
        def measured(*args: Any, **kwargs: Any) -> Any:
            active = self._begin()
            try:
                result = function(*args, **kwargs)
            except BaseException as error:
                self._end(active, error)
                raise
            self._end(active, None)
            return result

        return measured  # type: ignore[return-value]

    def _coroutine(self, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        async def measured(*args: Any, **kwargs: Any) -> Any:
            active = self._begin()  # when awaited, in the awaiting task's context
            try:
                result = await function(*args, **kwargs)
            except BaseException as error:
                self._end(active, error)
                raise
            self._end(active, None)
            return result

        return measured

    def _generator(self, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def measured(*args: Any, **kwargs: Any) -> Any:
            active = self._begin(nested=False)  # at the first value asked
            try:
                result = yield from function(*args, **kwargs)
            except BaseException as error:  # GeneratorExit: closed before its end
                self._end(active, error)
                raise
            self._end(active, None)
            return result

        return measured

    def _async_generator(self, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        async def measured(*args: Any, **kwargs: Any) -> Any:
            active = self._begin(nested=False)  # at the first value asked
            generator, error = function(*args, **kwargs), None
            try:  # an async ``yield from``: values out, what the consumer sends or throws in
                value = await generator.__anext__()
                while True:
                    try:
                        sent = yield value
                    except GeneratorExit:
                        raise
                    except BaseException as thrown:
                        value = await generator.athrow(thrown)
                    else:
                        value = await generator.asend(sent)
            except StopAsyncIteration:
                pass
            except BaseException as raised:  # GeneratorExit: closed before its end
                error = raised
                raise
            finally:
                await generator.aclose()
                self._end(active, error)

        return measured

    def _begin(self, *, nested: bool = True) -> _Active:
        """Start a measurement (its rows: :class:`Measurement`); a SIGINT or SIGTERM while
        CodeCarbon starts still writes the row (``interrupted``), then interrupts the program.
        """
        starting = Signals().install()
        try:
            measurement = Measurement(command=shlex.join(sys.argv), nested=nested, **self.options)
            measurement.start()
        finally:
            starting.restore()
        if starting.pending:
            signum = starting.pending[0]
            measurement.stop("interrupted", 128 + signum)
            if signum == signal.SIGINT:
                raise KeyboardInterrupt
            raise SystemExit(128 + signum)
        seen, handlers = TERMINATION.enter()
        token = CURRENT.set(measurement.share) if nested else None
        return _Active(measurement, seen, handlers, token)

    @staticmethod
    def _end(active: _Active, error: BaseException | None) -> None:
        TERMINATION.leave(active.handlers)
        if active.token is not None:
            with contextlib.suppress(ValueError):  # left in another context than it was entered
                CURRENT.reset(active.token)
        status, code = outcome(error, signalled=TERMINATION.received > active.signals_seen)
        active.measurement.stop(status, code)


def outcome(error: BaseException | None, *, signalled: bool = False) -> tuple[str, int | None]:
    """The status and exit code of a measured block that ended with ``error`` (None: normally).

    ``signalled``: a termination signal arrived during the block (its SystemExit is greenit's).

    >>> outcome(None), outcome(SystemExit()), outcome(SystemExit(0)), outcome(SystemExit(3))
    (('completed', 0), ('completed', 0), ('completed', 0), ('failed', 3))
    >>> outcome(SystemExit("no input")), outcome(KeyboardInterrupt()), outcome(ValueError())
    (('failed', 1), ('interrupted', 130), ('failed', 1))
    >>> outcome(SystemExit(143), signalled=True), outcome(GeneratorExit())
    (('interrupted', 143), ('interrupted', None))
    """
    if error is None:
        return "completed", 0
    if isinstance(error, SystemExit):
        code = error.code
        if signalled and isinstance(code, int) and code > 128:
            return "interrupted", code
        if code is None or code == 0:
            return "completed", 0
        return "failed", int(code) if isinstance(code, int) else 1  # Python prints a message, exits 1
    if isinstance(error, KeyboardInterrupt):
        return "interrupted", 130
    if isinstance(error, GeneratorExit) or _cancelled(error):
        return "interrupted", None
    return "failed", 1


def _cancelled(error: BaseException) -> bool:
    asyncio = sys.modules.get("asyncio")  # never imported for this: a cancellation needs it loaded
    return asyncio is not None and isinstance(error, asyncio.CancelledError)


class _Termination:
    """SIGTERM, SIGHUP… raise SystemExit(128 + N) in the main thread while a measured block runs there.

    Installed by the first block entered in the main thread and restored by the last one out,
    so blocks that overlap without nesting (coroutines) never leave a stale handler behind.
    SIGINT keeps Python's KeyboardInterrupt. ``received`` counts the signals turned into exits.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._previous: dict[int, Any] = {}
        self.received = 0

    def enter(self) -> tuple[int, bool]:
        """(signals received so far, whether this block holds the handlers)."""
        with self._lock:
            if threading.current_thread() is not threading.main_thread() or os.name != "posix":
                return self.received, False
            if self._users == 0 and not self._previous:
                for signum in HANDLED_SIGNALS:
                    if signum != signal.SIGINT and signal.getsignal(signum) is not signal.SIG_IGN:
                        self._previous[signum] = signal.signal(signum, self._on_signal)
            self._users += 1
            return self.received, True

    def leave(self, holds: bool) -> None:
        if not holds:
            return
        with self._lock:
            self._users -= 1
            if self._users == 0 and threading.current_thread() is threading.main_thread():
                for signum, previous in self._previous.items():
                    signal.signal(signum, previous)
                self._previous.clear()

    def _on_signal(self, signum: int, _frame: object) -> None:
        self.received += 1
        raise SystemExit(128 + signum)


TERMINATION = _Termination()
