"""The ``--xlsx-out`` workbook, in the user's language: sheets, headers and categories by their
labels (``Ordinateur portable``, never ``laptop``), figures as numbers a spreadsheet can sum.

Built from the same JSON object as the console and ``--json``, plus the per-row frame.
"""

from __future__ import annotations

import pandas as pd

from greenit.reporting.criteria import criteria_sheet, criteria_sheet_name
from greenit.reporting.text import Words

#: Group columns of the JSON → header keys (units in the header, values as numbers).
GROUP_COLUMNS = {
    "quantity": "xlsx.quantity",
    "rows": "xlsx.rows",
    "manufacture_kgco2e": "xlsx.manufacture",
    "use_kgco2e": "xlsx.use",
    "end_of_life_kgco2e": "xlsx.end_of_life",
    "total_kgco2e": "xlsx.total",
    "total_low_kgco2e": "xlsx.total_low",
    "total_high_kgco2e": "xlsx.total_high",
    "use_kwh": "xlsx.use_kwh",
    "consumables_kgco2e": "xlsx.consumables",  # toner (BEGES 4.1): part of the total
}
ROW_COLUMNS = {
    "file": "xlsx.file",
    "line": "xlsx.line",
    "row": "xlsx.data_row",
    "name": "xlsx.name",
    "category": "xlsx.category",
    "status": "xlsx.status",
    "reason": "xlsx.reason",
    "reason_code": "xlsx.reason_code",
    "notes": "xlsx.notes",
    **{k: v for k, v in GROUP_COLUMNS.items() if k not in ("rows", "total_low_kgco2e", "total_high_kgco2e")},
    "total_low_kgco2e": "xlsx.total_low",
    "total_high_kgco2e": "xlsx.total_high",
    "equipment_status": "xlsx.equipment_status",
    "entity": "xlsx.entity",
    "site": "xlsx.site",
    "model": "xlsx.model",
    "device_manufacture_kgco2e": "xlsx.device_manufacture",
    "device_lifespan_years": "xlsx.device_lifespan",
    "device_annual_kwh": "xlsx.device_annual_kwh",
    "grid_factor_kg_per_kwh": "xlsx.grid_factor",
    "pue_used": "xlsx.pue_used",
    "defaults_used": "xlsx.defaults_used",
}
DEFAULTS = ("manufacture", "lifespan", "energy", "purchase_date")


def summary_sheet(result: dict, w: Words) -> pd.DataFrame:
    """Key figures, one per line: what, value, unit."""
    t, coverage = result["totals"], result.get("coverage") or {}
    lines = [
        ("xlsx.year", result["year"], ""),
        ("xlsx.method", w(f"method.{result['method']}"), ""),
        ("xlsx.factors_version", result["factors_version"], ""),
        ("xlsx.rows_in", result["rows_in"], w("xlsx.unit_rows")),
        ("xlsx.rows_estimated", result["rows_estimated"], w("xlsx.unit_rows")),
        ("xlsx.rows_flagged", result["rows_flagged"], w("xlsx.unit_rows")),
        ("xlsx.coverage_rows", coverage.get("rows"), w("xlsx.unit_percent")),  # 0–1, shown as %
        ("xlsx.coverage_quantity", coverage.get("quantity"), w("xlsx.unit_percent")),
        ("xlsx.total", t["total_kgco2e"], "kgCO2e"),
        ("xlsx.total_low", t["total_low_kgco2e"], "kgCO2e"),
        ("xlsx.total_high", t["total_high_kgco2e"], "kgCO2e"),
        ("xlsx.manufacture", t["manufacture_kgco2e"], "kgCO2e"),
        ("xlsx.use", t["use_kgco2e"], "kgCO2e"),
        ("xlsx.end_of_life", t["end_of_life_kgco2e"], "kgCO2e"),
        ("xlsx.use_kwh", t["use_kwh"], "kWh"),
        *scope_summary_lines(result, w),
    ]
    if coverage.get("warning"):  # said first, where the total is read
        lines.insert(0, ("xlsx.warning", w("headline.coverage_warning"), ""))
    return pd.DataFrame(
        [(w(key), value, unit) for key, value, unit in lines],
        columns=[w("xlsx.what"), w("xlsx.value"), w("xlsx.unit")],
    )


def scope_summary_lines(result: dict, w: Words) -> list[tuple[str, object, str]]:
    """The scope's figures in the summary sheet: consumables, services, the room's PUE, the rule."""
    t, room = result["totals"], result.get("server_room") or {}
    lines: list[tuple[str, object, str]] = [
        ("xlsx.consumables_total", t.get("consumables_kgco2e"), "kgCO2e"),
        ("xlsx.consumables_low", t.get("consumables_low_kgco2e"), "kgCO2e"),
        ("xlsx.consumables_high", t.get("consumables_high_kgco2e"), "kgCO2e"),
    ]
    if "services_kgco2e" in t:
        lines += [
            ("xlsx.services", t["services_kgco2e"], "kgCO2e"),
            ("xlsx.services_low", t["services_low_kgco2e"], "kgCO2e"),
            ("xlsx.services_high", t["services_high_kgco2e"], "kgCO2e"),
        ]
    if room.get("devices"):
        lines += [
            ("xlsx.room_pue", room.get("pue"), ""),
            ("xlsx.room_overhead_kwh", room.get("overhead_kwh"), "kWh"),
        ]
    rule = result.get("lifespan_rule", "technique")
    lines.append(("xlsx.lifespan_rule", f"{rule} — {w.scope('rule.' + rule)}", ""))
    return lines


def services_sheet(services: dict, w: Words) -> pd.DataFrame:
    """One line per service bought: estimated (with its quantity, footprint, range, confidence,
    BEGES item) or flagged (with its reason), file and line of each.
    """
    columns = ("file", "line", "service", "nature", "quantity", "unit", "total", "low", "high", "confidence")
    records = [
        [
            line["file"],
            line["line"],
            line["service"],
            line["nature_label"],
            line["quantity"],
            line["quantity_label"],
            line["kgco2e"],
            line["kgco2e_low"],
            line["kgco2e_high"],
            _confidence_word(line.get("confidence"), w),
            None,
            line.get("note"),
        ]
        for line in services["lines"]
    ]
    records += [  # the reason's stable code beside its text, as in the rows sheet
        [
            f["file"],
            f["line"],
            f["name"],
            "",
            None,
            "",
            None,
            None,
            None,
            str(f["reason"]),
            f.get("reason_code"),
            None,
        ]
        for f in services["flagged"]
    ]
    headers = [*(w(f"xlsx.services_col_{c}") for c in columns), w("xlsx.reason_code"), w("xlsx.notes")]
    return pd.DataFrame(records, columns=headers)


def _confidence_word(confidence: str | None, w: Words) -> str:
    return (
        w.scope(
            {"low": "report.low_confidence", "given": "report.confidence_given"}.get(confidence or "", "")
        )
        if confidence in ("low", "given")
        else ""
    )


def group_sheet(groups: list[dict], by: str, w: Words) -> pd.DataFrame:
    """Groups of the JSON (``by_category``, ``by_entity``) with headers and keys in words."""
    if by == "category":
        keys = [w.category(g) for g in groups]
    else:
        keys = [w.text_or_unknown(g[by]) for g in groups]
    frame = pd.DataFrame({w(f"xlsx.{by}"): [*keys, w("row.total")]})
    for column, header in GROUP_COLUMNS.items():
        values = [_group_value(g, column) for g in groups]
        frame[w(header)] = [*values, sum(v for v in values if v is not None)]
    frame.attrs["total_row"] = True  # the last row: kept out of the sheet's filter
    return frame


def _group_value(group: dict, column: str) -> float | None:
    """A group's figure; empty (not 0) for an end of life the factor tables do not give."""
    if column == "end_of_life_kgco2e" and group.get("end_of_life_factor") is False:
        return None
    return group.get(column)


def rows_sheet(rows: pd.DataFrame, labels: dict[str, str], w: Words) -> pd.DataFrame:
    """The per-row frame (``--rows-out``) with headers, categories, statuses and defaults in words."""
    out = {}
    for column, header in ROW_COLUMNS.items():
        if column not in rows.columns:
            continue
        values = rows[column]
        if column == "category":
            values = _each(values, lambda c: labels.get(c, c) if isinstance(c, str) else w.unknown())
        elif column == "status":
            values = _each(values, lambda s: w(f"xlsx.status_{s}") if s in ("estimated", "flagged") else s)
        elif column == "defaults_used":
            values = _each(values, lambda text: _defaults_text(text, w))
        out[w(header)] = values.to_numpy()
    return pd.DataFrame(out)


def _each(values: pd.Series, words) -> pd.Series:
    """``words`` of each value, computed once per distinct value and type (a column repeats a
    few words over thousands of rows: 1 and 1.0 stay apart); a value that is not hashable, or a
    NaN (never equal to another), is put into words where it stands.
    """
    said: dict = {}

    def once(value: object) -> object:
        key = (type(value), value)
        try:
            return said[key]
        except KeyError:
            said[key] = words(value)
            return said[key]
        except TypeError:
            return words(value)

    return values.astype(object).map(once)


def _defaults_text(text: object, w: Words) -> str:
    """``manufacture;lifespan`` → ``fabrication, durée de vie``."""
    if not text:
        return ""
    parts = [p for p in str(text).split(";") if p]
    return ", ".join(w(f"xlsx.default_{p}") if p in DEFAULTS else p for p in parts)


def workbook(result: dict, rows: pd.DataFrame, labels: dict[str, str], lang: str) -> dict[str, pd.DataFrame]:
    """Sheet name → frame, in ``lang``."""
    from greenit.reporting.euro_sheets import add_row_money, budget_sheet
    from greenit.reporting.euros import money_words

    w = Words(lang)
    sheets = {
        w("xlsx.sheet_summary"): summary_sheet(result, w),
        w("xlsx.sheet_categories"): group_sheet(result["by_category"], "category", w),
        w("xlsx.sheet_entities"): group_sheet(result["by_entity"], "entity", w),
        money_words(w, "xlsx.sheet_budget"): budget_sheet(result, w),
    }
    if result.get("services"):
        sheets[w("xlsx.sheet_services")] = services_sheet(result["services"], w)
    sheets[w("xlsx.sheet_rows")] = add_row_money(rows_sheet(rows, labels, w), rows, w)
    if result.get("criteria"):  # ADPe, primary energy, water (issue 23)
        sheets[criteria_sheet_name(w)] = criteria_sheet(result, w)
    return sheets
