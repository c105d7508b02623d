"""Inventory files → normalised frames, a batch at a time, and the check of ``--column`` mappings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from greenit.errors import GreenitError
from greenit.factors import FactorSet
from greenit.inventory.columns import INVENTORY_ALIASES
from greenit.inventory.normalise import normalise_inventory
from greenit.parsing.headers import header_column, header_filter
from greenit.parsing.readers import all_headers, read_table

#: Canonical columns holding one value per row (names, serial numbers): read as plain text, since
#: the dictionary of a million distinct values would cost more than it saves.
ROW_UNIQUE = ("name", "serial")
#: Up to this size, a CSV whose rows are summed (not listed) is read in one go (pyarrow parses
#: it on every core; 1M GLPI rows: 168 MB of text, ~430 MB at the peak); a larger one in the
#: usual batches, its distinct rows found batch by batch (10M rows: 7.5 s, 1.4 GiB with batches
#: of 32 MiB; 64 MiB batches gave the same time at 1.9 GiB).
WHOLE_BYTES = 256 << 20


class Batch(NamedTuple):
    """A normalised frame, how many input rows each of its rows stands for (None: one), and the
    frame estimated when the distinct rows had to be estimated to be found (None: not yet).
    """

    normalised: pd.DataFrame
    weights: np.ndarray | None = None
    estimated: pd.DataFrame | None = None


def file_batches(
    path: str | Path,
    factors: FactorSet,
    *,
    country: str = "FRA",
    columns: dict[str, str] | None = None,
    default_category: str | None = None,
    sheet: str | int | None = None,
    batch_bytes: int | None = None,
    price_basis: str | None = None,
    distinct: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> Iterator[Batch]:
    """Normalised frames of one inventory file, a batch at a time (one batch for a small file).

    A large CSV is read in batches of about ``batch_bytes`` of text (bounded memory); anything
    else whole. Each frame carries the file's header report in ``attrs["columns"]``. With
    ``distinct`` (the estimate of a normalised frame), rows that repeat are normalised and
    estimated once, with their weight (:mod:`greenit.inventory.distinct`): for sums, not for
    rows listed one by one — and a CSV up to :data:`WHOLE_BYTES` is read whole (pyarrow's
    threads). Raises
    :class:`~greenit.parsing.streaming.NotStreamable` (possibly after some batches) when the
    file must be read whole: the caller then starts this file again with ``batch_bytes=None``.
    """
    from greenit.inventory.distinct import estimated_distinct

    column = header_column(INVENTORY_ALIASES, columns)

    def normalise(raw: pd.DataFrame) -> pd.DataFrame:
        return normalise_inventory(
            raw,
            factors,
            default_country=country,
            columns=columns,
            default_category=default_category,
            price_basis=price_basis,
        )

    for raw in _raw_batches(Path(path), column, columns, sheet, batch_bytes, distinct is not None):
        if distinct is not None:
            own = [h for h in all_headers(raw) if column(str(h).strip()) in ROW_UNIQUE]
            found = estimated_distinct(raw, own, normalise, distinct)
            if found is not None:
                yield Batch(found.normalised, found.weights, found.estimated)
                continue
        yield Batch(normalise(raw))


def _raw_batches(path: Path, column, columns, sheet, batch_bytes, whole: bool) -> Iterator[pd.DataFrame]:
    """Raw frames of one file: batches of a large CSV, else the whole file."""
    from greenit.parsing.streaming import iter_csv_batches, read_csv_whole, streamable

    wanted = _wanted(columns)

    def grouped(header: str) -> bool:  # read as distinct values: all but one-per-row columns
        return column(header) not in (None, *ROW_UNIQUE)

    if batch_bytes is not None and sheet is None and streamable(path):
        if whole and path.stat().st_size <= WHOLE_BYTES:
            yield read_csv_whole(path, str(path), wanted, categorical=grouped)
            return
        yield from iter_csv_batches(path, str(path), wanted, batch_bytes=batch_bytes, categorical=grouped)
        return
    yield read_table(path, usecols=wanted, sheet=sheet)


def _wanted(columns: dict[str, str] | None):
    """Which headers to read: those greenit maps, and those an inventory format reads itself."""
    from greenit.parsing.formats import declared_headers
    from greenit.parsing.text import fold

    maps, declared = header_filter(INVENTORY_ALIASES, columns), declared_headers("inventory")
    return lambda header: maps(header) or fold(header) in declared


def check_column_overrides(columns: dict[str, str] | None, reports: list[dict]) -> None:
    """Each ``--column HEADER=…`` must name a header of at least one file."""
    used = {header for report in reports for header in report.get("used", {})}
    for header in columns or {}:
        if header not in used and not any(h.strip().lower() == header.strip().lower() for h in used):
            seen = [h for report in reports for h in [*report.get("used", {}), *report.get("ignored", [])]]
            raise GreenitError.of(
                "parsing.column.header_not_found",
                "parsing.column.header_not_found_hint",
                header=header,
                headers=", ".join(dict.fromkeys(seen))[:300],
            )
