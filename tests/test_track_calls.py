"""``greenit.track`` on every kind of call: one measurement per call, the right end, the right span.

Each of these failed before the decorator knew what it wrapped: an ``async def`` measured the
creation of its coroutine (0.1 s of a 3 s await), three threads calling one decorated function
left two runs ``running`` at 0 kWh and wrote the third's final row three times, ``sys.exit(0)``
was ``interrupted``. Measured with the stub CodeCarbon (100 W, no PUE): a run's energy [kWh] is
100 W × its duration [h] / 1000, or less when it shared the machine.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections import defaultdict

import pytest
from track_support import ai_estimate, install_stub, rows, whole_lines

import greenit
from greenit.parsing.formats.tracklog import FIRST_LOG_COLUMNS
from greenit.tracking.context import track

WATTS = 100.0


@pytest.fixture
def stub(monkeypatch, tmp_path):
    return install_stub(monkeypatch, tmp_path)


def runs(log) -> dict[str, list[dict[str, str]]]:
    """The log's rows by run id, in order; each run's rows end with one final row."""
    by_run: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows(log):
        by_run[row["run_id"]].append(row)
    for run_id, its_rows in by_run.items():
        statuses = [r["status"] for r in its_rows]
        assert statuses[0] == "running" and statuses[-1] != "running", (run_id, statuses)
        assert "running" not in statuses[-1:] and statuses.count(statuses[-1]) == 1, (run_id, statuses)
    return by_run


def finals(log) -> list[dict[str, str]]:
    return [its_rows[-1] for its_rows in runs(log).values()]


def seconds(row: dict[str, str]) -> float:
    return float(row["duration [h]"]) * 3600


def kwh(row: dict[str, str]) -> float:
    return float(row["energy [kWh]"])


def test_an_async_function_is_measured_over_the_awaited_body(stub, tmp_path):
    log = tmp_path / "runs.csv"

    @track(log=log, project="async")
    async def answer(delay: float) -> str:
        await asyncio.sleep(delay)
        return "fait"

    assert asyncio.iscoroutinefunction(answer) and answer.__name__ == "answer"
    started = time.monotonic()
    assert asyncio.run(answer(0.6)) == "fait"
    elapsed = time.monotonic() - started
    [final] = finals(log)
    assert final["status"] == "completed" and final["exit_code"] == "0"
    assert 0.6 <= seconds(final) <= elapsed  # was about 0.001 s: the coroutine's creation
    assert kwh(final) == pytest.approx(WATTS * seconds(final) / 3.6e6, rel=1e-6)


def test_coroutines_gathered_are_one_run_each_sharing_the_machine(stub, tmp_path):
    log = tmp_path / "runs.csv"

    @track(log=log, project="gather")
    async def call(delay: float) -> float:
        await asyncio.sleep(delay)
        return delay

    async def main() -> list[float]:
        return await asyncio.gather(call(0.3), call(0.4), call(0.5))

    started = time.monotonic()
    assert asyncio.run(main()) == [0.3, 0.4, 0.5]
    elapsed = time.monotonic() - started
    done = sorted(finals(log), key=seconds)
    assert len(done) == 3 and len({row["run_id"] for row in done}) == 3
    for row, delay in zip(done, (0.3, 0.4, 0.5), strict=True):
        assert delay <= seconds(row) < delay + 0.3
        assert row["status"] == "completed" and row["shared_with"] == "2"
        assert kwh(row) < WATTS * seconds(row) / 3.6e6  # shared: less than the machine over its time
    # the machine's energy, counted once: 100 W while any of them ran (at most the whole call)
    total = sum(kwh(row) for row in done)
    assert WATTS * seconds(done[-1]) / 3.6e6 <= total * (1 + 1e-6)
    assert total <= WATTS * elapsed / 3.6e6


def test_three_threads_calling_one_decorated_function_give_three_whole_runs(stub, tmp_path):
    log = tmp_path / "runs.csv"
    together = threading.Barrier(3)

    @track(log=log, project="threads")
    def work(n: int) -> int:
        together.wait(10)  # all three are measured at once from here
        time.sleep(0.3)
        return n * 2

    results: dict[int, int] = {}
    threads = [threading.Thread(target=lambda n=n: results.__setitem__(n, work(n))) for n in range(3)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    assert results == {0: 0, 1: 2, 2: 4}
    whole_lines(log)
    by_run = runs(log)  # each: one start row, one final row (never a final row written thrice)
    assert len(by_run) == 3 and all(len(its_rows) == 2 for its_rows in by_run.values())
    done = finals(log)
    assert all(row["status"] == "completed" and kwh(row) > 0 for row in done)  # no 0 kWh leftover
    assert all(row["shared_with"] == "2" and "parts égales" in row["notes"] for row in done)
    total = sum(kwh(row) for row in done)
    assert WATTS * 0.3 / 3.6e6 <= total <= WATTS * elapsed / 3.6e6  # counted once, not thrice
    result = ai_estimate(log)
    assert result["runs_in"] == result["runs_estimated"] == 3
    assert sum(run["energy_kwh"] for run in result["runs"]) == pytest.approx(total)
    assert all("parts égales avec jusqu'à 2 autres mesures" in run["notes"] for run in result["runs"])


def test_one_instance_entered_by_several_threads_gives_one_run_per_block(stub, tmp_path):
    log = tmp_path / "runs.csv"
    measuring = greenit.track(log=log, project="shared-instance")
    together = threading.Barrier(4)
    seen = []

    def block() -> None:
        with measuring as measurement:
            together.wait(10)
            seen.append(measurement.run_id)
            assert measuring.measurement is measurement  # this thread's own block

    threads = [threading.Thread(target=block) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(seen) == sorted(row["run_id"] for row in finals(log)) and len(set(seen)) == 4
    assert measuring.measurement is None


def test_a_nested_call_keeps_its_energy_and_the_outer_call_does_not_count_it_again(stub, tmp_path):
    log = tmp_path / "runs.csv"

    @track(log=log, project="inner")
    def train() -> None:
        time.sleep(0.4)

    @track(log=log, project="outer")
    def pipeline() -> None:
        time.sleep(0.2)
        train()

    pipeline()
    outer, inner = sorted(finals(log), key=lambda row: row["project"] != "outer")
    assert inner["parent_run_id"] == outer["run_id"] and outer["parent_run_id"] == ""
    assert "imbriquée dans le run " + outer["run_id"] in inner["notes"]
    assert outer["notes"].startswith("1 mesure imbriquée")
    assert kwh(inner) == pytest.approx(WATTS * seconds(inner) / 3.6e6, rel=1e-6)  # all of its time
    # the outer run: its own time only, its 0.4 s inside train() are train's
    assert kwh(outer) == pytest.approx(WATTS * (seconds(outer) - seconds(inner)) / 3.6e6, rel=0.05)
    assert kwh(outer) + kwh(inner) == pytest.approx(WATTS * seconds(outer) / 3.6e6, rel=1e-6)


@pytest.mark.parametrize(
    ("exit_with", "status", "code"),
    [((), "completed", "0"), ((0,), "completed", "0"), ((None,), "completed", "0"), ((3,), "failed", "3")]
    + [(("fichier manquant",), "failed", "1")],
)
def test_sys_exit_in_a_block_or_a_function_is_its_exit_code(stub, tmp_path, exit_with, status, code):
    log = tmp_path / "runs.csv"
    with pytest.raises(SystemExit) as in_block, greenit.track(log=log, project="block"):
        sys.exit(*exit_with)

    @greenit.track(log=log, project="function")
    def main() -> None:
        sys.exit(*exit_with)

    with pytest.raises(SystemExit) as in_function:
        main()
    given = exit_with[0] if exit_with else None
    assert in_block.value.code == in_function.value.code == given  # propagated unchanged
    for row in finals(log):
        assert (row["status"], row["exit_code"]) == (status, code), row["project"]


def test_keyboard_interrupt_in_a_decorated_function_is_interrupted_130_and_propagates(stub, tmp_path):
    log = tmp_path / "runs.csv"

    @greenit.track(log=log)
    def interrupted() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    [final] = finals(log)
    assert (final["status"], final["exit_code"]) == ("interrupted", "130")


def test_a_generator_is_measured_from_its_first_value_to_its_end(stub, tmp_path):
    log = tmp_path / "runs.csv"

    @greenit.track(log=log, project="batches")
    def batches(n: int):
        for i in range(n):
            time.sleep(0.1)
            received = yield i
            if received is not None:
                yield f"reçu {received}"

    pending = batches(3)
    assert not log.exists()  # creating it measures nothing
    assert next(pending) == 0 and pending.send("x") == "reçu x"
    assert list(pending) == [1, 2]
    [final] = finals(log)
    assert final["status"] == "completed" and final["exit_code"] == "0"
    assert 0.3 <= seconds(final) < 1.5
    for value in batches(5):
        if value == 1:
            break  # closed before its end
    closed = finals(log)[-1]
    assert (closed["status"], closed["exit_code"]) == ("interrupted", "")
    batches(2)  # never iterated: no run
    assert len(finals(log)) == 2


def test_an_async_generator_is_measured_over_its_iteration(stub, tmp_path):
    log = tmp_path / "runs.csv"

    @greenit.track(log=log, project="stream")
    async def tokens(n: int):
        for i in range(n):
            await asyncio.sleep(0.1)
            yield i

    async def consume() -> list[int]:
        every = [token async for token in tokens(3)]
        early = tokens(10)
        assert await early.__anext__() == 0
        await early.aclose()
        return every

    assert asyncio.run(consume()) == [0, 1, 2]
    done, closed = finals(log)
    assert done["status"] == "completed" and 0.3 <= seconds(done) < 1.5
    assert (closed["status"], closed["exit_code"]) == ("interrupted", "")


def test_a_cancelled_coroutine_is_interrupted_without_exit_code(stub, tmp_path):
    log = tmp_path / "runs.csv"

    @greenit.track(log=log)
    async def slow() -> None:
        await asyncio.sleep(30)

    async def main() -> None:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(slow(), 0.2)

    asyncio.run(main())
    [final] = finals(log)
    assert (final["status"], final["exit_code"]) == ("interrupted", "")
    assert 0.1 <= seconds(final) < 5  # wait_for counts from before the measurement starts


def test_the_pue_is_each_runs_own(stub, tmp_path):
    log = tmp_path / "runs.csv"
    with greenit.track(log=log, pue=1.5):
        time.sleep(0.2)
    [final] = finals(log)
    assert final["pue_applied"] == "1.5"
    assert kwh(final) == pytest.approx(1.5 * WATTS * seconds(final) / 3.6e6, rel=1e-6)
    assert float(final["cpu_power [W]"]) == pytest.approx(1.5 * WATTS)


def test_a_log_of_the_first_layout_is_appended_to_in_its_own_layout(stub, tmp_path):
    log = tmp_path / "old.csv"
    old_row = {column: "" for column in FIRST_LOG_COLUMNS}
    old_row.update(
        run_id="old", status="completed", exit_code="0", **{"energy [kWh]": "2", "duration [h]": "1"}
    )
    log.write_text(
        ",".join(FIRST_LOG_COLUMNS) + "\n" + ",".join(old_row[c] for c in FIRST_LOG_COLUMNS) + "\n"
    )
    with greenit.track(log=log, project="new"):
        pass
    lines = log.read_text().splitlines()
    assert lines[0] == ",".join(FIRST_LOG_COLUMNS) and len(lines) == 4
    assert all(len(line.split(",")) == len(FIRST_LOG_COLUMNS) for line in lines[2:])
    with greenit.track(log=log, project="again"):  # still accepted by the log check
        pass
    assert ai_estimate(log)["runs_in"] == 3


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="fork")
def test_a_forked_worker_measures_on_its_own_not_on_its_parents_tracker(stub, tmp_path):
    import multiprocessing

    log = tmp_path / "runs.csv"
    with greenit.track(log=log, project="parent"):
        worker = multiprocessing.get_context("fork").Process(target=_measured_child, args=(log,))
        worker.start()
        worker.join(30)
    assert worker.exitcode == 0
    parent, child = sorted(finals(log), key=lambda row: row["project"] != "parent")
    assert child["project"] == "child" and child["status"] == "completed"
    assert child["parent_run_id"] == "" and child["shared_with"] == "0"  # another process, its own tracker
    assert kwh(child) == pytest.approx(WATTS * seconds(child) / 3.6e6, rel=1e-6)


def _measured_child(log) -> None:
    with greenit.track(log=log, project="child"):
        time.sleep(0.2)
