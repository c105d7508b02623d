"""Raw inventory frame → normalised frame: canonical columns, units, categories, flags.

Every input row stays, in input order. A row that cannot be estimated gets a ``reason``
naming the column and the value; nothing is dropped. Quantities are floats in canonical
units (suffix ``_w``, ``_kwh``, ``_years``…); values the file does not give stay NaN here and
are filled from the factor tables by :mod:`greenit.inventory.estimate`, so the result can say
which values were defaults. Every header of the file is either used (``attrs["columns"]``
says which canonical column it fed) or listed as ignored with the closest canonical names.

The stages, in order: headers → text columns → categories → quantities → lifespans and hours
→ dates → status → country → refurbished. Each is a small function over whole columns.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from greenit.errors import InputFileError
from greenit.factors import FactorSet
from greenit.flags import Flags
from greenit.i18n import msg
from greenit.inventory.columns import BOUNDS, INVENTORY_ALIASES, QUANTITY_UNITS
from greenit.inventory.plausible import check_plausible
from greenit.inventory.prices import add_prices
from greenit.inventory.resolve import Labels, file_context, resolve_categories
from greenit.inventory.rows import (
    add_country,
    add_dates,
    add_refurbished,
    add_status,
    column_report,
    fit_unit,
    totals_rows,
)
from greenit.parsing.formats import prepare_inventory
from greenit.parsing.frames import FrameBuilder, as_categorical, text_column
from greenit.parsing.frozen import frozen
from greenit.parsing.headers import HeaderMatch, match_headers
from greenit.parsing.numerals import file_mark
from greenit.parsing.readers import all_headers, read_flags
from greenit.parsing.units import parse_quantity_column

#: Canonical inventory columns (DESIGN.md), in output order.
INVENTORY_COLUMNS = [
    "category",
    "quantity",
    "manufacturer",
    "model",
    "entity",
    "site",
    "status",
    "purchase_date",
    "lifespan_years",
    "power_w",
    "annual_kwh",
    "use_hours_per_year",
    "country",
    "refurbished",
    "manufacture_kgco2e",
    "unit_price_eur",
]


def normalise_inventory(
    raw: pd.DataFrame,
    factors: FactorSet,
    *,
    default_country: str = "FRA",
    columns: Mapping[str, str] | None = None,
    default_category: str | None = None,
    price_basis: str | None = None,
) -> pd.DataFrame:
    """Map headers, parse units, recognise categories and statuses; flag what is wrong.

    Parameters
    ----------
    raw : DataFrame
        As returned by :func:`greenit.parsing.readers.read_table` (with ``file`` and ``row``).
    factors : FactorSet
        Used for the known categories, their lifespans and hours, and the countries.
    default_country : str
        ISO 3166 alpha-3 code used where the file gives none [default FRA].
    columns : mapping, optional
        Header → canonical column, for headers greenit cannot guess (``--column``).
    default_category : str, optional
        Category of the rows whose Type is empty, generic or a family (``--default-category``).
    price_basis : {"ht", "ttc"}, optional
        Whether the file's prices include VAT when neither their header nor their cell says
        (``--prices``) [default: :data:`greenit.inventory.prices.DEFAULT_BASIS`, said as assumed].

    Returns
    -------
    DataFrame
        Stage ``inventory`` of :mod:`greenit.schema`, one row per input row, in input order.
        ``attrs["columns"]`` holds the header report of the file (used, ignored, notes).
    """
    raw = prepare_inventory(raw)  # a format's own meaning (Snipe-IT, OCS, Intune…)
    columns = {**raw.attrs.get("format_columns", {}), **(columns or {})}  # the user's --column wins
    report = match_headers(all_headers(raw), INVENTORY_ALIASES, overrides=columns, check_unit=fit_unit)
    headers = report.matches
    _require_a_type_column(raw, headers, default_category)
    flags, notes = Flags(len(raw)), Flags(len(raw))
    _add_read_flags(raw, flags, notes)
    out = _text_columns(raw, headers)
    _add_categories(raw, headers, out, factors, flags, default_category)
    _add_quantities(raw, headers, out, flags, notes)
    check_plausible(raw, headers, out, factors, flags)
    _add_lifespans(out, factors, notes)
    _add_use_hours(out, factors, notes)
    add_dates(raw, headers, out, flags)
    add_status(raw, headers, out)
    add_country(raw, headers, out, factors, flags, default_country)
    add_refurbished(raw, headers, out, flags)
    add_prices(raw, headers, out, factors, declared_basis=price_basis)
    out["reason"] = flags.reasons
    out["notes"] = notes.column()
    frame = out.frame().reset_index(drop=True)
    frame.attrs["columns"] = frozen(column_report(raw, report))  # pandas need not copy it
    return frame


def _require_a_type_column(raw: pd.DataFrame, headers: dict, default_category: str | None) -> None:
    if {"category", "model", "item_type"} & set(headers) or default_category is not None:
        return
    path = raw["file"].iloc[0] if len(raw) else raw.attrs.get("path", "input")
    raise InputFileError.of(
        "inventory.no_type_column",
        "inventory.no_type_column_hint",
        path=str(path),
        columns=", ".join(all_headers(raw))[:200],
    )


def _add_read_flags(raw: pd.DataFrame, flags: Flags, notes: Flags) -> None:
    """What reading found (a formula without a value, a row not in UTF-8…), on its rows."""
    reasons, read_notes = read_flags(raw)
    for position, messages in reasons.items():
        for message in messages:
            flags.add_at(position, message)
    for position, messages in read_notes.items():
        for message in messages:
            notes.add_at(position, message)


def _text_columns(raw: pd.DataFrame, headers: dict[str, HeaderMatch]) -> FrameBuilder:
    out = FrameBuilder(raw.index)
    out["file"], out["row"], out["line"] = as_categorical(raw["file"]), raw["row"], raw["line"]
    for column in ("name", "serial"):  # as read: a million unique names and serials, no categorical
        if column in headers:
            out[column] = raw[headers[column].header]
        else:
            out[column] = pd.Series(pd.NA, index=raw.index, dtype="string")
    for column in ("manufacturer", "model", "entity", "site"):
        match = headers.get(column)
        out[column] = text_column(raw, match.header if match else None)
    return out


def _add_categories(raw, headers, out, factors, flags, default_category) -> None:
    """Category, its source, and the totals rows of a spreadsheet (flagged, never a device)."""

    def text(column: str) -> pd.Series:
        return text_column(raw, headers[column].header if column in headers else None)

    name = raw[headers["name"].header] if "name" in headers else out["name"]
    labels = Labels(
        type=text("category"),
        model=out["model"],
        item_type=text("item_type"),
        name=name,  # as read: a million unique names are looked at only where needed
        manufacturer=out["manufacturer"],
    )
    skip = totals_rows(raw, headers, labels.type)
    skip |= raw["row"].isin(raw.attrs.get("totals_rows") or ()).to_numpy()  # a format's own
    flags.add(skip, msg("inventory.totals_row"))
    path = str(raw["file"].iloc[0]) if len(raw) else ""
    category, source = resolve_categories(
        labels,
        factors,
        flags,
        context=file_context(all_headers(raw), path),
        default_category=default_category,
        skip=skip,
    )
    out["category"] = category
    out["category_label"] = labels.type
    out["category_source"] = source


def _add_quantities(raw: pd.DataFrame, headers: dict, out: FrameBuilder, flags: Flags, notes: Flags) -> None:
    """Each quantity column as floats in its canonical unit; bad and implausible cells flagged.

    Every column reads its numbers with one decimal mark (:mod:`greenit.parsing.numerals`):
    its own cells', else the file's other quantity columns', else, for the count of devices,
    thousands; how a cell that reads two ways was read is noted on its row.
    """
    present = {column: headers[column] for column in QUANTITY_UNITS if column in headers}
    mark = file_mark(_text_cells(raw[match.header]) for match in present.values())
    for column, target in QUANTITY_UNITS.items():
        match = present.get(column)
        if match is None:
            out[column] = np.nan
            continue
        parsed = parse_quantity_column(
            raw[match.header],
            target,
            header_unit=match.unit,
            name=match.header,
            bounds=BOUNDS.get(column),
            counts=column == "quantity",
            file_mark=mark,
        )
        out[column] = parsed.values
        flags.add(parsed.bad, parsed.errors)
        if parsed.notes is not None:
            notes.add(~parsed.bad, parsed.notes)
    out["given_manufacture_kgco2e"] = out.pop("manufacture_kgco2e")
    quantity = out["quantity"].to_numpy()
    quantity_header = headers["quantity"].header if "quantity" in headers else "quantity"
    flags.add(quantity == 0, msg("inventory.quantity_zero", column=quantity_header))
    out["quantity"] = np.where(np.isnan(quantity), 1.0, quantity)
    flags.add(out["lifespan_years"].to_numpy() == 0, msg("inventory.lifespan_zero"))


def _text_cells(cells: pd.Series) -> list[str]:
    """The distinct text cells of a column (numbers typed as text), for its decimal mark."""
    if pd.api.types.is_numeric_dtype(cells.dtype):
        return []
    return [u for u in pd.unique(cells) if isinstance(u, str)]


def _table(out: FrameBuilder, factors: FactorSet, column: str) -> np.ndarray:
    """The device table's ``column`` for each row's category (NaN where none)."""
    table = factors.devices[column]
    return out["category"].astype(object).map(table).to_numpy(dtype=float, na_value=np.nan)


def _add_lifespans(out: FrameBuilder, factors: FactorSet, notes: Flags) -> None:
    """The lifespan the file gives, plus other lives; its accounting amortisation period apart.

    Which of the two drives manufacture is the lifespan rule's choice, at estimation
    (:mod:`greenit.inventory.lifespans`); GLPI writes ``0 an`` for a period never filled: no
    period. NumEcoEval's ``dureeUsageAmont``/``Aval`` are the device's lives before and after the
    organisation: its manufacture spreads over all of them.
    """
    lifespan = out["lifespan_years"].to_numpy(dtype=float)
    amortisation = out["amortisation_years"].to_numpy(dtype=float)
    out["amortisation_years"] = np.where(amortisation > 0, amortisation, np.nan)
    upstream = out.pop("upstream_use_years").to_numpy(dtype=float)
    downstream = out.pop("downstream_use_years").to_numpy(dtype=float)
    other_lives = np.nan_to_num(upstream) + np.nan_to_num(downstream)
    extended = other_lives > 0
    if extended.any():
        base = np.where(np.isnan(lifespan), _table(out, factors, "lifespan_years"), lifespan)
        lifespan = np.where(extended, base + other_lives, lifespan)
        notes.add(extended, msg("inventory.note.lifespan_with_other_lives"))
    out["lifespan_years"] = lifespan


def _add_use_hours(out: FrameBuilder, factors: FactorSet, notes: Flags) -> None:
    """Hours of use per year: the file's, else its days of use per year × the table's hours per day.

    G4IT's ``nbJourUtiliseAn`` gives days, not hours; the device table's yearly hours (Boavizta's
    use-time ratio, source ``use_hours_convention``) say how long a day of use lasts.
    """
    hours = out["use_hours_per_year"].to_numpy(dtype=float)
    days = out.pop("use_days_per_year").to_numpy(dtype=float)
    from_days = np.isnan(hours) & ~np.isnan(days)
    if from_days.any():
        hours_per_day = _table(out, factors, "use_hours_per_year") / 365.0
        hours = np.where(from_days, days * hours_per_day, hours)
        notes.add(from_days & ~np.isnan(hours), msg("inventory.note.hours_from_days"))
    out["use_hours_per_year"] = hours
