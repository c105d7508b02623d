"""Group-bys and totals of an estimated inventory; the machine-readable result (JSON contract)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.i18n import get_language, render_value
from greenit.parsing.flags import render_column

TOTAL_COLUMNS = [
    "manufacture_kgco2e",
    "manufacture_low_kgco2e",
    "manufacture_high_kgco2e",
    "use_kgco2e",
    "use_low_kgco2e",
    "use_high_kgco2e",
    "end_of_life_kgco2e",
    "total_kgco2e",
    "total_low_kgco2e",
    "total_high_kgco2e",
    "use_kwh",
]

#: Per-row columns written by ``--rows-out`` (DESIGN.md output contract), in this order.
ROWS_OUT_COLUMNS = [
    "file",
    "row",
    "category",
    "status",
    "reason",
    "notes",
    "manufacture_kgco2e",
    "use_kwh",
    "use_kgco2e",
    "end_of_life_kgco2e",
    "total_kgco2e",
    "total_low_kgco2e",
    "total_high_kgco2e",
    "equipment_status",
    "entity",
    "site",
    "name",
    "model",
    "quantity",
    "device_manufacture_kgco2e",
    "device_lifespan_years",
    "device_annual_kwh",
    "grid_factor_kg_per_kwh",
    "defaults_used",
]


def _default_masks(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per value that can come from the factor tables: rows where the file did not give it."""
    return {
        "manufacture": frame["given_manufacture_kgco2e"].isna().to_numpy(),
        "lifespan": frame["lifespan_years"].isna().to_numpy(),
        "energy": (frame["annual_kwh"].isna() & frame["power_w"].isna()).to_numpy(),
        "purchase_date": frame["purchase_date"].isna().to_numpy(),
    }


def _estimated(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The estimated rows, only the columns asked for (no copy of the text columns)."""
    mask = (frame["estimate_status"] == "estimated").to_numpy()
    return frame[columns][mask]


def totals(estimated: pd.DataFrame) -> dict[str, float]:
    """Sums of the per-year columns over estimated rows [kgCO2e, kWh]."""
    kept = _estimated(estimated, TOTAL_COLUMNS)
    return {column: float(kept[column].sum()) for column in TOTAL_COLUMNS}


def group_totals(estimated: pd.DataFrame, by: str, missing_label: str = "(non renseigné)") -> pd.DataFrame:
    """Totals per value of ``by`` (category, entity…), largest first, with row and device counts."""
    kept = _estimated(estimated, [by, *TOTAL_COLUMNS, "quantity"])
    keys = kept[by]
    if isinstance(keys.dtype, pd.CategoricalDtype):
        if missing_label not in keys.cat.categories:
            keys = keys.cat.add_categories([missing_label])
        keys = keys.fillna(missing_label)
    else:
        keys = keys.astype(object).where(keys.notna(), missing_label)
    grouped = kept[TOTAL_COLUMNS + ["quantity"]].groupby(keys, sort=False, observed=True)
    frame = grouped.sum()
    frame["rows"] = grouped.size()
    frame.index.name = by
    frame.index = frame.index.astype(object)
    return frame.sort_values("total_kgco2e", ascending=False).reset_index()


def defaults_used(estimated: pd.DataFrame) -> dict[str, int]:
    """How many estimated rows took each value from the factor tables, not the file."""
    kept = _estimated(
        estimated, ["given_manufacture_kgco2e", "lifespan_years", "annual_kwh", "power_w", "purchase_date"]
    )
    return {label: int(mask.sum()) for label, mask in _default_masks(kept).items()}


def _significant(value: float) -> float:
    """A float kept to 9 significant digits: exact enough for any use, short in JSON."""
    return float(f"{float(value):.9g}")


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    records = []
    for row in frame[columns].itertuples(index=False):
        record = {}
        for name, value in zip(columns, row, strict=True):
            if isinstance(value, (float, np.floating)):
                record[name] = _significant(value)
            elif isinstance(value, (np.integer,)):
                record[name] = int(value)
            else:
                record[name] = value
        records.append(record)
    return records


def inventory_result(estimated: pd.DataFrame, file_errors: list[dict] | None = None) -> dict:
    """The ``greenit estimate --json`` object (DESIGN.md): counts, totals, groups, flags."""
    flagged_mask = (estimated["estimate_status"] == "flagged").to_numpy()
    flagged = estimated[["file", "row", "reason"]][flagged_mask]
    by_category = group_totals(estimated, "category")
    by_entity = group_totals(estimated, "entity")
    group_columns = [
        "quantity",
        "rows",
        "manufacture_kgco2e",
        "use_kgco2e",
        "end_of_life_kgco2e",
        "total_kgco2e",
        "total_low_kgco2e",
        "total_high_kgco2e",
        "use_kwh",
    ]
    return {
        "rows_in": int(len(estimated)),
        "rows_estimated": int(len(estimated) - len(flagged)),
        "rows_flagged": int(len(flagged)),
        "year": estimated.attrs.get("year"),
        "method": estimated.attrs.get("method"),
        "grid_factor_override_kg_per_kwh": estimated.attrs.get("grid_factor_override"),
        "totals": {k: _significant(v) for k, v in totals(estimated).items()},
        "by_category": _records(by_category, ["category", *group_columns]),
        "by_entity": _records(by_entity, ["entity", *group_columns]),
        "defaults_used": defaults_used(estimated),
        "flagged": [
            {"row": int(r), "file": str(f), "reason": render_value(reason, get_language())}
            for f, r, reason in zip(flagged["file"], flagged["row"], flagged["reason"], strict=True)
        ],
        "files_failed": file_errors or [],
        "factors_version": estimated.attrs.get("factors_version"),
    }


def rows_out_frame(estimated: pd.DataFrame) -> pd.DataFrame:
    """Every input row in input order with its status, reason and computed columns."""
    frame = estimated.rename(columns={"estimate_status": "status"})
    joined = np.full(len(frame), "", dtype=object)
    for label, mask in _default_masks(estimated).items():
        joined = np.where(mask, np.where(joined == "", label, joined + ";" + label), joined)
    frame["defaults_used"] = np.where(frame["status"] == "estimated", joined, "")
    frame["reason"] = render_column(frame["reason"]).to_numpy()
    if "notes" in frame.columns:
        frame["notes"] = render_column(frame["notes"]).to_numpy()
    return frame[[c for c in ROWS_OUT_COLUMNS if c in frame.columns]]


AI_TOTAL_COLUMNS = ["energy_kwh", "usage_kgco2e", "embodied_kgco2e", "total_kgco2e"]


def _json_value(value: object) -> object:
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else _significant(value)
    if isinstance(value, np.integer):
        return int(value)
    if value is pd.NA or value is None:
        return None
    return value if isinstance(value, (int, bool)) else str(value)


def workload_groups(runs: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Totals of estimated runs per ``by`` (project, phase…), largest first."""
    kept = runs[(runs["estimate_status"] == "estimated").to_numpy()]
    keys = [kept[b].astype(object).where(kept[b].notna(), "(non renseigné)") for b in by]
    grouped = kept[AI_TOTAL_COLUMNS].groupby(keys, sort=False)
    frame = grouped.sum()
    frame["runs"] = grouped.size()
    return frame.sort_values("total_kgco2e", ascending=False).reset_index()


def workload_result(runs: pd.DataFrame, file_errors: list[dict] | None = None) -> dict:
    """The ``greenit ai estimate --json`` object (DESIGN.md)."""
    estimated = runs["estimate_status"] == "estimated"
    kept = runs[estimated.to_numpy()]
    flagged = runs[(~estimated).to_numpy()]
    run_columns = [
        "run_id",
        "project",
        "phase",
        "energy_kwh",
        "usage_kgco2e",
        "embodied_kgco2e",
        "total_kgco2e",
        "hours",
        "accelerator",
        "accelerator_hours",
        "energy_method",
        "pue_used",
        "carbon_intensity_used_kg_per_kwh",
        "requests",
        "energy_per_request_wh",
        "total_per_request_gco2e",
        "notes",
        "file",
        "row",
    ]
    by_phase = workload_groups(runs, ["phase"])
    by_project = workload_groups(runs, ["project", "phase"])
    return {
        "runs_in": int(len(runs)),
        "runs_estimated": int(len(kept)),
        "runs_flagged": int(len(flagged)),
        "totals": {c: _significant(kept[c].sum()) for c in AI_TOTAL_COLUMNS},
        "by_phase": [{k: _json_value(v) for k, v in row.items()} for row in by_phase.to_dict("records")],
        "by_project": [{k: _json_value(v) for k, v in row.items()} for row in by_project.to_dict("records")],
        "runs": [
            {c: _json_value(row[c]) for c in run_columns if c in kept.columns} for _, row in kept.iterrows()
        ],
        "flagged": [
            {"row": int(r), "file": str(f), "reason": render_value(reason, get_language())}
            for f, r, reason in zip(flagged["file"], flagged["row"], flagged["reason"], strict=True)
        ],
        "files_failed": file_errors or [],
        "factors_version": runs.attrs.get("factors_version"),
    }
