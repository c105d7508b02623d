"""Small stages of :mod:`greenit.inventory.normalise`: dates, status, country, refurbished,
totals rows, header units, and the report of what became of every header.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.errors import UnitError
from greenit.factors import FactorSet
from greenit.flags import Flags
from greenit.i18n import msg
from greenit.inventory.columns import QUANTITY_UNITS, UNIT_REDIRECTS
from greenit.inventory.status import status_kind
from greenit.parsing.countries import country_code
from greenit.parsing.dates import parse_date_column
from greenit.parsing.frames import FrameBuilder, as_categorical, label_mask, text_column
from greenit.parsing.headers import HeaderMatch, HeaderReport
from greenit.parsing.readers import all_headers
from greenit.parsing.text import fold
from greenit.parsing.totals import is_total_label
from greenit.parsing.unit_grammar import read_unit
from greenit.parsing.units import conversion_factor

_TRUE = {
    "oui",
    "yes",
    "true",
    "vrai",
    "1",
    "x",
    "o",
    "y",
    "reconditionne",
    "refurbished",
    "occasion",
    "seconde main",
}
_FALSE = {"non", "no", "false", "faux", "0", "n", "neuf", "new"}


def fit_unit(column: str, unit: str | None) -> str | None:
    """The column a header's unit fits (``Durée d'utilisation (ans)`` → lifespan_years).

    None when the unit is not a unit at all (``Quantité (nb)``): the header's words decide
    and cells without a unit are read in the column's own unit.
    """
    target = QUANTITY_UNITS.get(column)
    if target is None or unit is None:
        return column  # a text or date column: what is in brackets is no unit (« JJ/MM/AAAA »)
    if target == "dimensionless" and not unit.strip().endswith("%"):
        spelling = read_unit(unit)  # « (milliers) » scales the count; « (nb) » says nothing
        return column if spelling.is_count and spelling.scale != 1.0 else None
    try:
        conversion_factor(unit, target)
        return column
    except UnitError as exc:
        if getattr(exc.message, "key", "") != "parsing.unit.wrong_kind":
            return None
    for other in UNIT_REDIRECTS.get(column, ()):
        try:
            conversion_factor(unit, QUANTITY_UNITS[other])
            return other
        except UnitError:
            continue
    return column  # a unit of the wrong kind: kept, so every cell says so


def totals_rows(raw: pd.DataFrame, headers: dict[str, HeaderMatch], type_text: pd.Series) -> np.ndarray:
    """Rows that are a spreadsheet's totals or subtotals, not devices (flagged, never counted).

    The Type is read on every row (a Categorical: one look per distinct label); the other text
    columns (name, model, the first column) only where the Type is empty or itself a total, so
    a million unique device names cost nothing.
    """
    mask = label_mask(type_text, is_total_label)
    candidates = np.flatnonzero(mask | type_text.isna().to_numpy())
    if not len(candidates):
        return mask
    columns = [headers[c].header for c in ("name", "model", "item_type") if c in headers]
    first = next((h for h in all_headers(raw) if h in raw.columns), None)
    for header in dict.fromkeys([*columns, first]):
        if header is not None:
            mask[candidates[label_mask(raw[header].iloc[candidates], is_total_label)]] = True
    return mask


def add_dates(raw: pd.DataFrame, headers: dict, out: FrameBuilder, flags: Flags) -> None:
    for column in ("purchase_date", "retirement_date"):
        match = headers.get(column)
        if match is None:
            out[column] = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
            continue
        dates, errors = parse_date_column(raw[match.header], match.header)
        out[column] = dates
        flags.add(pd.notna(errors), errors)


def add_status(raw: pd.DataFrame, headers: dict, out: FrameBuilder) -> None:
    """The status as written, what the model does with it, and where that came from."""
    match = headers.get("status")
    status_text = text_column(raw, match.header if match else None)
    out["equipment_status"] = status_text
    codes = status_text.cat.codes.to_numpy()
    said = raw.attrs.get("status_kinds") or {}  # a format's own statuses (Snipe-IT's meta)
    kinds = [said.get(label) or status_kind(label) for label in status_text.cat.categories]
    kinds.append(status_kind(None))
    names = list(dict.fromkeys(kinds))
    recode = np.array([names.index(kind) for kind in kinds], dtype=np.int64)
    kind_codes = recode[np.where(codes >= 0, codes, len(kinds) - 1)]
    out["status_kind"] = pd.Categorical.from_codes(kind_codes, categories=pd.Index(names, dtype=object))
    source = np.where(codes >= 0, 0, 1)
    out["status_source"] = pd.Categorical.from_codes(
        source, categories=pd.Index(["status", "default"], dtype=object)
    )


def add_country(
    raw: pd.DataFrame,
    headers: dict,
    out: FrameBuilder,
    factors: FactorSet,
    flags: Flags,
    default_country: str,
) -> None:
    known = set(factors.electricity.index)
    match = headers.get("country")
    if match is None:
        out["country"] = pd.Categorical.from_codes(
            np.zeros(len(raw), dtype=np.int64), categories=[default_country]
        )
        return
    country_text = text_column(raw, match.header)
    codes = as_categorical(country_text, lambda v: country_code(v, known))
    given = country_text.notna().to_numpy()
    bad = given & codes.isna().to_numpy()
    flags.add_each(bad, country_text, "inventory.country_unknown", column=match.header)
    out["country"] = as_categorical(codes.astype(object).where(given, default_country))


def add_refurbished(raw: pd.DataFrame, headers: dict, out: FrameBuilder, flags: Flags) -> None:
    match = headers.get("refurbished")
    if match is None:
        out["refurbished_share"] = 0.0
        return
    text = text_column(raw, match.header)
    is_true = label_mask(text, lambda value: fold(value) in _TRUE)
    is_false = label_mask(text, lambda value: fold(value) in _FALSE) | text.isna().to_numpy()
    flags.add_each(~is_true & ~is_false, text, "inventory.refurbished_not_yes_no", column=match.header)
    out["refurbished_share"] = is_true.astype(float)


def column_report(raw: pd.DataFrame, report: HeaderReport) -> dict:
    """What became of every header of one file (the ``columns`` of the JSON result)."""
    notes = list(raw.attrs.get("file_notes", []))  # messages, rendered when shown
    if raw.attrs.get("blank_rows"):
        notes.append(msg("inventory.note.blank_rows", count=raw.attrs["blank_rows"]))
    return {
        "file": str(raw["file"].iloc[0]) if len(raw) else "",
        "sheet": raw.attrs.get("sheet"),
        "header_line": int(raw.attrs.get("header_line", 1)),
        "used": report.used,
        "ignored": [item.header for item in report.ignored],
        "closest": {item.header: list(item.closest) for item in report.ignored if item.closest},
        "taken_by": {item.header: item.taken_by for item in report.ignored if item.taken_by},
        "notes": notes,
    }


def columns_summary(reports: list[dict]) -> dict:
    """What became of every header of every file: the ``columns`` of the JSON result.

    ``used`` {header: canonical column} and ``ignored`` [header…] over all files (DESIGN.md),
    then ``files``: per file, its sheet, header line, headers used and ignored with the
    closest canonical columns, and notes (the sheet read, blank rows skipped).
    """
    used: dict[str, str] = {}
    ignored: list[str] = []
    for report in reports:
        used.update(report.get("used", {}))
        ignored += [h for h in report.get("ignored", []) if h not in ignored]
    return {"used": used, "ignored": [h for h in ignored if h not in used], "files": list(reports)}


def most_frequent_reasons(estimated: pd.DataFrame, n: int = 3) -> list[str]:
    """The ``n`` most frequent kinds of reason of flagged rows, one example each, with their count.

    Where the rows of a kind say different things (each its own period, its own value), the
    example is said to be one: « hors de 2026 (période 2025-01-01 → 2025-01-31) » ×47 read as if
    all 47 rows were of January.
    """
    from greenit.i18n import get_language, render_value, text

    by_key: dict[str, tuple[int, object, bool]] = {}
    for joined, count in pd.Series(estimated["reason"]).value_counts().items():
        for part in getattr(joined, "parts", (joined,)):
            key = getattr(part, "key", str(part))
            total, example, alike = by_key.get(key, (0, part, True))
            by_key[key] = (total + int(count), example, alike and part == example)
    top = sorted(by_key.values(), key=lambda item: -item[0])[:n]
    lang = get_language()
    return [
        text(
            "rows.reason_count" if alike else "rows.reason_example",
            lang,
            reason=render_value(example, lang),
            n=total,
        )
        for total, example, alike in top
    ]
