"""The process's one CodeCarbon tracker, shared out by hand: slices, leaves, nesting, failed reads.

A fake CodeCarbon whose clock the test moves: the machine draws 3.6 kW, so its cumulative
energy is 0.001 kWh per second of tracker time (CPU 0.0006, GPU 0.0003, RAM 0.0001), and every
share below is worked out by hand from the timeline.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass

import pytest

from greenit.tracking.meter import Meter, Share

KWH_PER_S = {"energy_consumed": 0.001, "cpu_energy": 0.0006, "gpu_energy": 0.0003, "ram_energy": 0.0001}


@dataclass
class Data:
    duration: float
    energy_consumed: float
    cpu_energy: float
    gpu_energy: float
    ram_energy: float


class Clock:
    now = 0.0
    fail_flush = False
    started = 0
    stopped = 0


class FakeTracker:
    def __init__(self, *, output_handlers, pue, **_options) -> None:
        assert pue == 1.0  # the PUE is each measurement's, applied by greenit
        self.handlers = output_handlers

    def start(self) -> None:
        Clock.started += 1
        self.origin = Clock.now

    def _out(self) -> None:
        elapsed = Clock.now - self.origin
        data = Data(elapsed, *(rate * elapsed for rate in KWH_PER_S.values()))
        for handler in self.handlers:
            handler.out(data, data)

    def flush(self) -> None:
        if Clock.fail_flush:
            raise RuntimeError("flush failed")
        self._out()

    def stop(self) -> None:
        Clock.stopped += 1
        self._out()


@pytest.fixture
def meter(monkeypatch):
    codecarbon = types.ModuleType("codecarbon")
    codecarbon.OfflineEmissionsTracker = FakeTracker
    base = types.ModuleType("codecarbon.output_methods.base_output")
    base.BaseOutput = object
    monkeypatch.setitem(sys.modules, "codecarbon", codecarbon)
    monkeypatch.setitem(
        sys.modules, "codecarbon.output_methods", types.ModuleType("codecarbon.output_methods")
    )
    monkeypatch.setitem(sys.modules, "codecarbon.output_methods.base_output", base)
    Clock.now, Clock.fail_flush, Clock.started, Clock.stopped = 0.0, False, 0, 0
    return Meter()


def join(meter: Meter, share: Share) -> None:
    """As a measurement joins: CodeCarbon held (started if needed), joined, released."""
    meter.hold(interval=60, country="FRA", verbose=False)
    meter.join(share)
    meter.release()


def at(seconds: float) -> None:
    Clock.now = seconds


def test_concurrent_and_nested_measurements_share_each_slice_between_the_leaves(meter):
    a, b = Share(run_id="a"), Share(run_id="b")
    c = Share(run_id="c", parent=b)  # started inside b (same thread or task)
    join(meter, a)  # t=0: starts the tracker
    at(10)
    join(meter, b)  # [0, 10]: a alone → a 10 s
    at(20)
    join(meter, c)  # [10, 20]: a and b → 5 s each
    at(30)
    meter.leave(c)  # [20, 30]: leaves a and c (b waits for c) → 5 s each
    at(40)
    meter.leave(a)  # [30, 40]: a and b → 5 s each
    at(50)
    meter.leave(b)  # [40, 50]: b alone → 10 s; the last one out stops the tracker
    assert Clock.started == Clock.stopped == 1
    seconds = {"a": 10 + 5 + 5 + 5, "b": 5 + 5 + 10, "c": 5}
    for share in (a, b, c):
        expected = [rate * seconds[share.run_id] for rate in KWH_PER_S.values()]
        assert share.energy == pytest.approx(expected), share.run_id
    assert sum(share.energy[0] for share in (a, b, c)) == pytest.approx(50 * 0.001)  # the tracker's, once
    assert (a.duration_s, b.duration_s, c.duration_s) == (40, 40, 10)
    assert (a.shared_with, b.shared_with, c.shared_with) == (1, 1, 1)
    assert (a.nested, b.nested, c.nested) == (0, 1, 0) and c.parent is b


def test_three_at_once_share_in_thirds_and_a_lone_run_keeps_everything(meter):
    first, second, third = (Share(run_id=str(i)) for i in range(3))
    join(meter, first)
    join(meter, second)
    join(meter, third)
    at(30)
    meter.leave(first)  # [0, 30]: thirds → 10 s each
    meter.leave(second)
    meter.leave(third)
    for share in (first, second, third):
        assert share.energy[0] == pytest.approx(10 * 0.001) and share.shared_with == 2
    alone = Share(run_id="alone")
    at(100)
    join(meter, alone)  # a new tracker: its clock starts again
    at(107)
    meter.leave(alone)
    assert Clock.started == 2
    assert alone.energy[0] == pytest.approx(7 * 0.001) and alone.shared_with == 0 and alone.duration_s == 7


def test_a_read_that_fails_leaves_its_slice_to_the_next_read(meter):
    a, b = Share(run_id="a"), Share(run_id="b")
    join(meter, a)
    at(10)
    Clock.fail_flush = True
    join(meter, b)  # the read at b's start fails: [0, 10] is not shared out yet
    Clock.fail_flush = False
    at(20)
    assert meter.read() is None  # [0, 20] shared out between a and b: 10 s each
    meter.leave(a)
    meter.leave(b)
    assert a.energy[0] + b.energy[0] == pytest.approx(20 * 0.001)  # nothing lost
    assert a.energy[0] == pytest.approx(10 * 0.001)


def test_a_parent_that_ended_first_leaves_its_child_a_plain_leaf(meter):
    parent = Share(run_id="p")
    join(meter, parent)
    child = Share(run_id="c", parent=parent)
    join(meter, child)
    at(10)
    meter.leave(parent)  # [0, 10]: the child alone (its parent waits for it)
    at(15)
    meter.leave(child)  # [10, 15]: the child alone
    assert parent.energy[0] == 0 and child.energy[0] == pytest.approx(15 * 0.001)
    assert meter.tracker is None


def test_the_time_greenit_takes_to_get_ready_is_nobodys(meter):
    meter.hold(interval=60, country="FRA", verbose=False)  # CodeCarbon started at t=0
    at(4)  # the grid factor loading on a loaded machine
    ready = Share(run_id="ready")
    meter.join(ready)  # [0, 4]: no measurement active: nobody's
    meter.release()
    at(6)
    meter.leave(ready)
    assert ready.energy[0] == pytest.approx(2 * 0.001) and ready.duration_s == 2
    assert Clock.stopped == 1
    meter.hold(interval=60, country="FRA", verbose=False)
    meter.release()  # a measurement that failed to get ready: CodeCarbon stops
    assert Clock.started == Clock.stopped == 2 and meter.tracker is None
