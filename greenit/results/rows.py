"""Per-row outputs (``--rows-out``) and the one-call helpers notebooks use on a whole frame."""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.errors import GreenitError
from greenit.factors.criteria import criteria_columns
from greenit.flags import code_column, render_column
from greenit.results.inventory import TOTAL_COLUMNS, InventorySummary, _group_sums, default_masks

#: Per-row columns written by ``--rows-out`` (DESIGN.md output contract), in this order.
ROWS_OUT_COLUMNS = [
    "file",
    "row",
    "line",
    "category",
    "category_source",
    "status",
    "reason",
    "reason_code",
    "notes",
    "manufacture_kgco2e",
    "use_kwh",
    "use_kgco2e",
    "end_of_life_kgco2e",
    "consumables_kgco2e",
    "total_kgco2e",
    "total_low_kgco2e",
    "total_high_kgco2e",
    "equipment_status",
    "status_kind",
    "status_source",
    "entity",
    "site",
    "name",
    "model",
    "quantity",
    "device_manufacture_kgco2e",
    "device_lifespan_years",
    "device_annual_kwh",
    "grid_factor_kg_per_kwh",
    "pue_used",
    "defaults_used",
    *criteria_columns(),  # ADPe, primary energy, water per phase; empty: not given
    # money (greenit.inventory.budget): the row's price excl. VAT and its yearly renewal budget
    "unit_price_eur",
    "price_basis",
    "price_reason",
    "price_reason_code",
    "device_unit_price_eur",
    "price_origin",
    "renewal_eur_per_year",
    "renewal_low_eur_per_year",
    "renewal_high_eur_per_year",
    "electricity_eur_per_year",
]


def rows_out_frame(estimated: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """Every input row in input order with its status, reason and computed columns."""
    frame = estimated.rename(columns={"estimate_status": "status"})
    joined = np.full(len(frame), "", dtype=object)
    for label, mask in default_masks(estimated).items():
        joined = np.where(mask, np.where(joined == "", label, joined + ";" + label), joined)
    frame["defaults_used"] = np.where(frame["status"] == "estimated", joined, "")
    frame["reason_code"] = code_column(frame["reason"]).fillna("").to_numpy()  # stable, beside the text
    frame["reason"] = render_column(frame["reason"], lang).to_numpy()
    if "price_reason" in frame.columns:
        from greenit.inventory.prices import price_code

        codes = code_column(frame["price_reason"], price_code)  # once per distinct reason
        frame["price_reason_code"] = codes.where(codes.notna(), "").to_numpy()
    for column in ("notes", "price_reason"):
        if column in frame.columns:
            frame[column] = render_column(frame[column], lang).to_numpy()
    return frame[[c for c in ROWS_OUT_COLUMNS if c in frame.columns]]


def totals(estimated: pd.DataFrame) -> dict[str, float]:
    """Sums of the per-year columns over estimated rows [kgCO2e, kWh]."""
    mask = (estimated["estimate_status"] == "estimated").to_numpy()
    return {column: float(estimated[column].to_numpy()[mask].sum()) for column in TOTAL_COLUMNS}


def group_totals(estimated: pd.DataFrame, by: str) -> pd.DataFrame:
    """Totals per value of ``by`` (category, entity, manufacturer…), largest first, with row and
    device counts; the key is None where the file leaves it empty.
    """
    missing = [c for c in (by, "estimate_status", *TOTAL_COLUMNS, "quantity") if c not in estimated.columns]
    if missing:
        key = "results.group.no_column" if by in missing else "results.group.not_estimated"
        raise GreenitError.of(key, "results.group.hint", by=by, missing=missing[:5])
    mask = (estimated["estimate_status"] == "estimated").to_numpy()
    kept = estimated[[by, *TOTAL_COLUMNS, "quantity"]][mask]
    table = _group_sums(kept, by).sort_values("total_kgco2e", ascending=False, kind="stable").reset_index()
    table[by] = table[by].astype(object).where(table[by].notna(), None)
    return table


def inventory_result(estimated: pd.DataFrame, file_errors: list[dict] | None = None, factors=None) -> dict:
    """The ``greenit estimate --json`` object of a whole estimated frame."""
    return InventorySummary.from_rows(estimated, factors, file_errors).to_json()


def workload_result(runs: pd.DataFrame, file_errors: list[dict] | None = None) -> dict:
    """The ``greenit ai estimate --json`` object of a whole estimated frame of runs."""
    from greenit.results.workloads import WorkloadSummary

    return WorkloadSummary.from_runs(runs, file_errors).to_json()


def workload_groups(runs: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Totals of estimated runs per ``by`` (project, phase…), largest first."""
    from greenit.results.workloads import WorkloadSummary

    return WorkloadSummary.from_runs(runs).groups(by)


def compare_groups(before: pd.DataFrame, after: pd.DataFrame, by: str = "category") -> pd.DataFrame:
    """Two frames of estimated inventory rows side by side per ``by`` (see
    :func:`greenit.api.compare_estimates`), largest change first.
    """
    sides = []
    for side, rows in (("before", before), ("after", after)):
        table = group_totals(rows, by)[[by, "quantity", "total_kgco2e"]].set_index(by)
        sides.append(table.set_axis([f"quantity_{side}", f"total_{side}_kgco2e"], axis=1))
    joined = sides[0].join(sides[1], how="outer").fillna(0.0)
    joined["change_kgco2e"] = joined["total_after_kgco2e"] - joined["total_before_kgco2e"]
    before_total = joined["total_before_kgco2e"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        joined["change_share"] = np.where(before_total > 0, joined["change_kgco2e"] / before_total, np.nan)
    order = joined["change_kgco2e"].abs().sort_values(ascending=False, kind="stable").index
    return joined.loc[order].reset_index()
