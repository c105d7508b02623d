"""Inventory files read, normalised and estimated — the one read path, streaming when it must.

Rows kept (scenarios, reports, notebooks): each file read whole, the rows estimated at once.
Rows not kept (``greenit estimate``, ``--rows-out`` written as it goes): a large CSV is read
batch by batch, and :func:`estimate_files_read` gives the same :class:`~greenit.results.InventorySummary` as
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

import pandas as pd

from greenit.errors import GreenitError
from greenit.factors import FactorSet
from greenit.inventory.duplicates import DeviceRegistry
from greenit.inventory.estimate import ScopeSettings, estimate_inventory
from greenit.inventory.files import check_column_overrides, file_batches
from greenit.inventory.rows import columns_summary
from greenit.options import Options
from greenit.parsing import streaming
from greenit.parsing.duplicates import file_copies
from greenit.parsing.files import copy_error, file_error, no_file_read
from greenit.parsing.frozen import frozen
from greenit.parsing.streaming import NotStreamable
from greenit.results.inventory import InventorySummary


class RowsSink(Protocol):
    """Where per-row results go as they are estimated (e.g. the ``--rows-out`` CSV)."""

    def write(self, estimated) -> None: ...

    def mark(self) -> None: ...

    def rollback(self) -> None: ...


@dataclass
class Estimated:
    """What estimating inventory files gave: the rows (when kept) or the summary, the failures."""

    rows: pd.DataFrame | None  # every estimated row (keep_rows), else None
    normalised: pd.DataFrame | None  # the frame before estimating (keep_rows): levers start here
    summary: InventorySummary | None  # merged batch by batch (rows not kept), else None
    errors: list[dict] = field(default_factory=list)  # per failed file: {"file", "error"}


def estimate_files_read(
    paths: Iterable[str | Path],
    factors: FactorSet,
    options: Options,
    *,
    keep_rows: bool = True,
    sink: RowsSink | None = None,
    on_error: Callable[[GreenitError], None] | None = None,
    batch_bytes: int | None = None,
    scope: ScopeSettings | None = None,
) -> Estimated:
    """Read, normalise and estimate inventory files — the one read path, streaming when it must.

    ``options`` are checked (:func:`greenit.api.checked_options`). With ``keep_rows`` every file is
    read whole and the rows are kept (one frame, estimated at once); otherwise a large CSV is
    read in batches of about ``batch_bytes`` of text [default: ``parsing.streaming.BATCH_BYTES``],
    each estimated, summarised and passed to ``sink``, and only the summary is kept. A file that
    fails never stops the others; none read at all is a GreenitError.
    """
    kept: list[pd.DataFrame] = []
    reports: list[dict] = []
    summary: InventorySummary | None = None
    errors: list[dict] = []
    paths = list(paths)
    copies = file_copies(paths)  # the same file twice (or a renamed copy): refused, never counted twice
    devices = DeviceRegistry(active=len(paths) > 1)  # the same device in two files: counted once
    for position, path in enumerate(paths):
        try:
            if position in copies:
                raise copy_error(path, paths[copies[position]])
            if keep_rows:
                kept.append(_whole(path, factors, options, reports, devices))
                continue
            part = _one_file(
                path,
                factors,
                options,
                sink,
                batch_bytes or streaming.BATCH_BYTES,
                reports,
                devices,
                scope,
            )
        except GreenitError as exc:
            errors.append(file_error(path, exc))
            if on_error:
                on_error(exc)
            continue
        summary = part if summary is None else summary.merge(part)
    if not kept and summary is None:
        raise no_file_read(errors)
    check_column_overrides(options.columns, reports)  # type: ignore[arg-type]
    columns = frozen(columns_summary(reports))  # carried in attrs: pandas need not copy it
    if summary is not None:
        return Estimated(None, None, replace(summary, columns=columns, file_errors=errors), errors)
    normalised = kept[0] if len(kept) == 1 else pd.concat(kept, ignore_index=True)  # one file: no copy
    normalised.attrs["columns"] = columns
    rows = estimate_inventory(
        normalised,
        factors,
        year=options.year,  # type: ignore[arg-type]
        method=options.method,
        grid_factor_kg_per_kwh=options.grid_factor_kg_per_kwh,
        scope=scope,
        electricity_price_eur_per_kwh=options.electricity_price,  # type: ignore[arg-type]
    )
    rows.attrs["columns"] = columns
    return Estimated(rows, normalised, None, errors)


def _batches(path, factors: FactorSet, options: Options, batch_bytes: int | None, distinct=None):
    return file_batches(
        path,
        factors,
        country=options.country,
        columns=options.columns,  # type: ignore[arg-type]
        default_category=options.default_category,
        sheet=options.sheet,
        batch_bytes=batch_bytes,
        price_basis=options.price_basis,
        distinct=distinct,
    )


def _whole(path, factors: FactorSet, options: Options, reports: list[dict], devices) -> pd.DataFrame:
    """The normalised frame of one file read whole (its header report kept in ``reports``)."""
    ((normalised, _, _),) = _batches(path, factors, options, None)
    reports.append(normalised.attrs.get("columns", {}))
    devices.count_once(normalised)
    return normalised


def _one_file(
    path,
    factors: FactorSet,
    options: Options,
    sink: RowsSink | None,
    batch_bytes: int,
    reports: list[dict],
    devices: DeviceRegistry,
    scope: ScopeSettings | None = None,
) -> InventorySummary:
    if sink is not None:
        sink.mark()
    mark = devices.mark()
    try:
        return _batches_of(path, factors, options, sink, batch_bytes, reports, devices, scope)
    except NotStreamable:
        if sink is not None:
            sink.rollback()
        devices.rollback(mark)  # the file is read again whole: its devices are not met yet
        return _batches_of(path, factors, options, sink, None, reports, devices, scope)
    except BaseException:
        if sink is not None:
            sink.rollback()
        raise


def _batches_of(
    path,
    factors: FactorSet,
    options: Options,
    sink,
    batch_bytes,
    reports,
    devices: DeviceRegistry,
    scope: ScopeSettings | None = None,
) -> InventorySummary:
    part: InventorySummary | None = None
    report: dict | None = None

    def estimate(normalised: pd.DataFrame) -> pd.DataFrame:
        return estimate_inventory(
            normalised,
            factors,
            year=options.year,  # type: ignore[arg-type]
            method=options.method,
            grid_factor_kg_per_kwh=options.grid_factor_kg_per_kwh,
            scope=scope,
            electricity_price_eur_per_kwh=options.electricity_price,  # type: ignore[arg-type]
        )

    # rows summed, not listed nor compared with another file's: each distinct row estimated once
    distinct = estimate if sink is None and not devices.active else None
    for normalised, weights, estimated in _batches(path, factors, options, batch_bytes, distinct):
        found = normalised.attrs.pop("columns", {})  # kept once here, not copied with every frame
        report = report or found
        devices.count_once(normalised)
        if estimated is None:
            estimated = estimate(normalised)
        estimated.attrs.pop("columns", None)  # estimated before the report was taken: not kept twice
        batch = InventorySummary.from_rows(estimated, factors, weights=weights)
        part = batch if part is None else part.merge(batch)
        if sink is not None:
            sink.write(estimated)
    if part is None:  # a file with a header and no row
        raise NotStreamable
    reports.append(report or {})
    return replace(part, columns=None)
