"""Inventories too large to hold in memory: estimated file by file, batch by batch, summed up.

:func:`estimate_in_batches` gives the same :class:`~greenit.results.InventorySummary` as
estimating the whole inventory at once — every batch is estimated by the same pure model and
summarised into sums that add up (``InventorySummary.merge``) — while holding one batch at a
time. Per-row results go to a sink as they come (``--rows-out``), in input order.

A file that turns out not to be readable in batches (ragged rows, odd quoting) is started again,
whole: its batches are taken back from the summary and from the sink first, so no row is
counted or written twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from greenit.errors import GreenitError
from greenit.factors import FactorSet
from greenit.inventory.estimate import estimate_inventory
from greenit.inventory.files import check_column_overrides, file_batches
from greenit.inventory.rows import columns_summary
from greenit.parsing import streaming
from greenit.parsing.files import file_error, no_file_read
from greenit.parsing.streaming import NotStreamable
from greenit.results.inventory import InventorySummary


class RowsSink(Protocol):
    """Where per-row results go as they are estimated (e.g. the ``--rows-out`` CSV)."""

    def write(self, estimated) -> None: ...

    def mark(self) -> None: ...

    def rollback(self) -> None: ...


@dataclass
class Options:
    """What :func:`greenit.api.estimate_files` was asked, as the batches need it."""

    year: int
    method: str = "amortised"
    country: str = "FRA"
    grid_factor_kg_per_kwh: float | None = None
    columns: dict[str, str] | None = None
    default_category: str | None = None
    sheet: str | int | None = None
    batch_bytes: int | None = None  # text per batch [default: parsing.streaming.BATCH_BYTES]
    reports: list[dict] = field(default_factory=list)


def estimate_in_batches(
    paths: Iterable[str | Path],
    factors: FactorSet,
    options: Options,
    *,
    sink: RowsSink | None = None,
    on_error: Callable[[GreenitError], None] | None = None,
) -> tuple[InventorySummary, list[dict]]:
    """The summary of every file, and per failed file ``{"file", "error"}`` (it never stops the others)."""
    summary: InventorySummary | None = None
    errors: list[dict] = []
    for path in paths:
        try:
            part = _one_file(path, factors, options, sink)
        except GreenitError as exc:
            errors.append(file_error(path, exc))
            if on_error:
                on_error(exc)
            continue
        summary = part if summary is None else summary.merge(part)
    if summary is None:
        raise no_file_read(errors)
    check_column_overrides(options.columns, options.reports)
    return replace(summary, columns=columns_summary(options.reports), file_errors=errors), errors


def _one_file(path, factors: FactorSet, options: Options, sink: RowsSink | None) -> InventorySummary:
    if sink is not None:
        sink.mark()
    try:
        return _batches_of(path, factors, options, sink, options.batch_bytes or streaming.BATCH_BYTES)
    except NotStreamable:
        if sink is not None:
            sink.rollback()
        return _batches_of(path, factors, options, sink, None)
    except BaseException:
        if sink is not None:
            sink.rollback()
        raise


def _batches_of(path, factors: FactorSet, options: Options, sink, batch_bytes) -> InventorySummary:
    part: InventorySummary | None = None
    report: dict | None = None
    batches = file_batches(
        path,
        factors,
        country=options.country,
        columns=options.columns,
        default_category=options.default_category,
        sheet=options.sheet,
        batch_bytes=batch_bytes,
    )
    for normalised in batches:
        found = normalised.attrs.pop("columns", {})  # kept once here, not copied with every frame
        report = report or found
        estimated = estimate_inventory(
            normalised,
            factors,
            year=options.year,
            method=options.method,
            grid_factor_kg_per_kwh=options.grid_factor_kg_per_kwh,
        )
        batch = InventorySummary.from_rows(estimated, factors)
        part = batch if part is None else part.merge(batch)
        if sink is not None:
            sink.write(estimated)
    if part is None:  # a file with a header and no row
        raise NotStreamable
    options.reports.append(report or {})
    return replace(part, columns=None)
