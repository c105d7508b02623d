"""Euros in the workbooks: the budget sheet of ``estimate --xlsx-out``, the per-row price and
renewal columns, and the levers sheet of ``scenario --xlsx-out`` — figures as numbers a
spreadsheet can sum (€ excl. VAT), headers in the user's language with their unit.
"""

from __future__ import annotations

import pandas as pd

from greenit.reporting.euros import money_words
from greenit.reporting.text import Words

#: Per-row money columns (``--rows-out``) → header keys of the ``money`` catalogue.
ROW_MONEY_COLUMNS = {
    "unit_price_eur": "xlsx.unit_price",
    "device_unit_price_eur": "xlsx.price_used",
    "price_origin": "xlsx.price_origin",
    "price_basis": "xlsx.price_basis",
    "price_reason": "xlsx.price_reason",
    "price_reason_code": "xlsx.price_reason_code",
    "renewal_eur_per_year": "xlsx.renewal",
    "electricity_eur_per_year": "xlsx.electricity",
}
#: Columns of the levers sheet: key of the record → header key.
LEVER_COLUMNS = {
    "total_kgco2e": "xlsx.lever_total",
    "change_kgco2e": "xlsx.lever_change",
    "budget_eur_per_year": "xlsx.lever_budget",
    "change_eur_per_year": "xlsx.lever_change_eur",
    "change_low_eur_per_year": "xlsx.lever_change_eur_low",
    "change_high_eur_per_year": "xlsx.lever_change_eur_high",
    "change_priced_share": "xlsx.lever_priced_share",
    "eur_per_tco2e_avoided": "xlsx.lever_eur_per_tonne",
}


def budget_sheet(result: dict, w: Words) -> pd.DataFrame:
    """The budget's key figures, one per line (what, value, unit), then per category, then notes."""
    budget = result.get("budget") or {}
    euros_year = money_words(w, "unit_per_year")
    lines: list[tuple[str, object, str]] = [
        (money_words(w, f"xlsx.{key}"), budget.get(f"{key}_eur_per_year"), euros_year)
        for key in (
            "renewal",
            "renewal_low",
            "renewal_high",
            "electricity",
            "electricity_low",
            "electricity_high",
        )
    ]
    priced = budget.get("priced") or {}
    percent = w("xlsx.unit_percent")
    lines += [
        (money_words(w, "xlsx.priced_share"), budget.get("priced_share"), percent),
        (money_words(w, "xlsx.priced_file"), priced.get("file_share"), percent),
        (money_words(w, "xlsx.priced_default"), priced.get("default_share"), percent),
        (money_words(w, "xlsx.priced_unknown"), priced.get("unknown_share"), percent),
        (money_words(w, "xlsx.electricity_price"), budget.get("electricity_price_eur_per_kwh"), "€/kWh"),
    ]
    for group in budget.get("by_category", []):
        label = f"{money_words(w, 'xlsx.renewal')} — {w.category(group)}"
        lines.append((label, group.get("renewal_eur_per_year"), euros_year))
    for agec in budget.get("agec", []):
        name = str(agec["label"])
        lines += [
            (f"{name} — {money_words(w, 'xlsx.agec_spend')}", agec.get("spend_eur"), "€"),
            (f"{name} — {money_words(w, 'xlsx.agec_by_spend')}", agec.get("reuse_share_by_spend"), percent),
            (f"{name} — {money_words(w, 'xlsx.agec_by_count')}", agec.get("reuse_share_by_count"), percent),
            (f"{name} — {money_words(w, 'xlsx.agec_target')}", agec.get("target_share"), percent),
        ]
    lines += [(money_words(w, "xlsx.note"), str(note), "") for note in budget.get("notes", [])]
    return pd.DataFrame(lines, columns=[w("xlsx.what"), w("xlsx.value"), w("xlsx.unit")])


def add_row_money(sheet: pd.DataFrame, rows: pd.DataFrame, w: Words) -> pd.DataFrame:
    """The rows sheet with each row's price and yearly renewal (€ excl. VAT) after its columns."""
    out = sheet.copy()
    for column, header in ROW_MONEY_COLUMNS.items():
        if column in rows.columns:
            values = rows[column]
            if column == "price_origin":
                values = values.astype(object).map(
                    lambda o: money_words(w, f"origin.{o}") if isinstance(o, str) else ""
                )
            out[money_words(w, header)] = values.to_numpy()
    return out


def levers_sheet(records: list[dict], w: Words) -> pd.DataFrame:
    """Baseline and levers: tCO2e and € side by side, € per tCO2e avoided (None: none avoided)."""
    frame = pd.DataFrame({w("column.lever"): [str(r.get("label", r.get("scenario"))) for r in records]})
    for key, header in LEVER_COLUMNS.items():
        frame[money_words(w, header)] = [r.get(key) for r in records]
    return frame


def ranking_sheet(ranked: list[dict], w: Words) -> pd.DataFrame:
    """The levers from the cheapest tonne avoided to the dearest."""
    return pd.DataFrame(
        {
            w("column.lever"): [str(r.get("scenario")) for r in ranked],
            money_words(w, "xlsx.lever_eur_per_tonne"): [r.get("eur_per_tco2e_avoided") for r in ranked],
            money_words(w, "xlsx.lever_change_eur"): [r.get("change_eur_per_year") for r in ranked],
            money_words(w, "xlsx.lever_change"): [r.get("change_kgco2e") for r in ranked],
        }
    )


def write_levers_workbook(path, records: list[dict], ranked: list[dict], lang: str, inputs=()) -> None:
    """``scenario --xlsx-out``: the levers sheet (and the ranking, levers each alone)."""
    from greenit.reporting.output import check_outputs, write_xlsx

    check_outputs([path], list(inputs))
    w = Words(lang)
    sheets = {money_words(w, "xlsx.sheet_levers"): levers_sheet(records, w)}
    if ranked:
        sheets[money_words(w, "xlsx.sheet_ranking")] = ranking_sheet(ranked, w)
    write_xlsx(path, sheets)
