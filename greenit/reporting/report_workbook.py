"""``report --xlsx-out FILE.xlsx``: every table of the report, one sheet each, from ``summary.json``.

Synthesis, equipment by category, departments (the report's short names), uses of AI (runs per
project, hosted services), levers (tonnes, and euros when the summary has them), indicators,
BEGES postes, factors and sources. One unit per sheet, written in its headers: the report's
(tCO2e from 10 t, else kgCO2e) for the equipment, departments and levers; kgCO2e for AI;
tCO2e for BEGES, as the platform asks. Values are numbers, never formulas.
"""

from __future__ import annotations

import pandas as pd

from greenit.i18n import text
from greenit.reporting.text import Words


def report_sheets(summary: dict, words: Words) -> dict[str, pd.DataFrame]:
    """Sheet name → frame, in the words' language, for the tables the summary holds."""
    from greenit.reporting.beges_out import beges_frame

    w = words
    sheets = {
        "synthesis": synthesis_sheet(summary["synthesis"], w),
        "categories": groups_sheet(
            summary["inventory"]["by_category"],
            [w.category(g) for g in summary["inventory"]["by_category"]],
            "category",
            summary,
            w,
        ),
        "entities": entities_sheet(summary, w),
        "ai": ai_sheet(summary, w),
        "hosted": hosted_sheet(summary, w),
        "levers": levers_sheet(summary, w),
        "indicators": indicators_sheet(summary, w),
        "beges": beges_frame(summary, w.lang) if (summary.get("beges") or {}).get("postes") else None,
        "factors": factors_sheet(summary, w),
        "sources": sources_sheet(summary, w),
    }
    return {_h(f"sheet_{k}", w): v for k, v in sheets.items() if v is not None and len(v)}


def _h(key: str, w: Words, /, **values: object) -> str:
    return text(f"council.xlsx.{key}", w.lang, **values)


def _mass(kgco2e: float | None, w: Words) -> float | None:
    return None if kgco2e is None else kgco2e / 1000 if w.tonnes else kgco2e


def synthesis_sheet(syn: dict, w: Words) -> pd.DataFrame:
    parts = [("quote", s) for s in [*syn["sentences"], *([syn["ai"]] if syn.get("ai") else [])]]
    parts += [("levers", s) for s in syn["levers"]] + [("indicators", i["text"]) for i in syn["indicators"]]
    parts += [("change", syn["change"])] if syn.get("change") else []
    parts += [("next", s) for s in syn["next_steps"]]
    return pd.DataFrame(
        [(_h(f"part_{p}", w), s) for p, s in parts], columns=[_h("column_part", w), _h("column_text", w)]
    )


def groups_sheet(groups: list[dict], names: list[str], by: str, summary: dict, w: Words) -> pd.DataFrame:
    """Groups with the report's columns, in the report's unit, and their total line."""
    total = summary["headline"]["total_kgco2e"]
    unit = w.unit_per_year
    columns = {
        "quantity": _h("column_quantity", w),
        "manufacture_kgco2e": _h("column_manufacture", w, unit=unit),
        "use_kgco2e": _h("column_use", w, unit=unit),
        "end_of_life_kgco2e": _h("column_end_of_life", w, unit=unit),
        "total_kgco2e": _h("column_total", w, unit=unit),
        "total_low_kgco2e": _h("column_low", w, unit=unit),
        "total_high_kgco2e": _h("column_high", w, unit=unit),
    }
    frame = pd.DataFrame({_h(f"column_{by}", w): [*names, _h("total_equipment", w)]})
    for key, header in columns.items():
        values = [g[key] if key == "quantity" else _mass(g[key], w) for g in groups]
        frame[header] = [*values, sum(v for v in values if v is not None)]
    shares = [g["total_kgco2e"] / total if total else None for g in groups]
    frame[_h("column_share", w)] = [*shares, sum(s for s in shares if s is not None)]
    frame.attrs["total_row"] = True
    return frame


def entities_sheet(summary: dict, w: Words) -> pd.DataFrame:
    from greenit.reporting.charts import entity_labels

    groups = summary["inventory"]["by_entity"]
    names = entity_labels([g["entity"] for g in groups], w.unknown())  # the report's short names
    return groups_sheet(groups, names, "entity", summary, w)


def ai_sheet(summary: dict, w: Words) -> pd.DataFrame | None:
    projects = (summary.get("ai") or {}).get("by_project") or []
    rows = [
        (
            p["project"] or w.unknown(),
            w.phase(p["phase"]),
            p.get("runs"),
            p["energy_kwh"],
            p["usage_kgco2e"],
            p["embodied_kgco2e"],
            p["total_kgco2e"],
        )
        for p in projects
    ]
    keys = ("project", "phase", "runs", "kwh", "usage_kg", "embodied_kg", "total_kg")
    return pd.DataFrame(rows, columns=[_h(f"column_ai_{k}", w) for k in keys]) if rows else None


def hosted_sheet(summary: dict, w: Words) -> pd.DataFrame | None:
    services = ((summary.get("ai") or {}).get("hosted") or {}).get("by_service") or []
    keys = (
        "service",
        "models",
        "requests",
        "output_tokens",
        "energy_kwh",
        "total_kgco2e",
        "total_low_kgco2e",
        "total_high_kgco2e",
        "per_1000_requests_kgco2e",
    )
    rows = [tuple(s.get(k) for k in keys) for s in services]
    return pd.DataFrame(rows, columns=[_h(f"column_hosted_{k}", w) for k in keys]) if rows else None


def levers_sheet(summary: dict, w: Words) -> pd.DataFrame | None:
    records = summary.get("scenarios") or []
    if not records:
        return None
    unit = w.unit_per_year
    rows = []
    for i, r in enumerate(records):
        alone = r.get("alone_change_kgco2e", r.get("change_kgco2e")) if i else None
        rows.append(
            (
                r["label"],
                _mass(alone, w),
                _mass(r["total_kgco2e"], w),
                r.get("change_share") if i else None,
                r.get("alone_change_eur_per_year"),
                r.get("alone_eur_per_tco2e_avoided", r.get("eur_per_tco2e_avoided")),
            )
        )
    headers = [
        _h("column_lever", w),
        _h("column_alone", w, unit=unit),
        _h("column_after", w, unit=unit),
        _h("column_cumulated", w),
        _h("column_eur", w),
        _h("column_eur_per_tonne", w),
    ]
    frame = pd.DataFrame(rows, columns=headers)
    return frame.dropna(axis=1, how="all")  # no € column without prices


def indicators_sheet(summary: dict, w: Words) -> pd.DataFrame | None:
    ind = summary.get("indicators") or {}
    keys = (
        "reuse_rate",
        "reuse_target",
        "refurbished_purchases_share",
        "refurbished_share",
        "over_ten_years",
        "over_ten_years_share",
        "beyond_lifespan_share",
        "devices_in_service",
        "reused",
        "retired",
    )
    rows = [(_h(f"indicator_{k}", w), ind[k]) for k in keys if ind.get(k) is not None]
    return pd.DataFrame(rows, columns=[_h("column_indicator", w), _h("column_value", w)]) if rows else None


def factors_sheet(summary: dict, w: Words) -> pd.DataFrame | None:
    devices = (summary.get("factors_used") or {}).get("devices") or []
    keys = (
        "manufacture_kgco2e",
        "manufacture_low_kgco2e",
        "manufacture_high_kgco2e",
        "lifespan_years",
        "annual_kwh",
        "annual_low_kwh",
        "annual_high_kwh",
        "end_of_life_kgco2e",
    )
    rows = [
        (
            d.get(f"label_{w.lang}") or d["category"],
            *(d.get(k) for k in keys),
            ", ".join(d.get("sources") or []),
        )
        for d in devices
    ]
    headers = [
        _h("column_category", w),
        *(_h(f"column_factor_{k}", w) for k in keys),
        _h("column_sources", w),
    ]
    return pd.DataFrame(rows, columns=headers) if rows else None


def sources_sheet(summary: dict, w: Words) -> pd.DataFrame | None:
    sources = (summary.get("factors_used") or {}).get("sources") or []
    keys = ("id", "publisher", "title", "year", "url", "licence")
    rows = [tuple(s.get(f"{k}_{w.lang}", s.get(k)) for k in keys) for s in sources]
    return pd.DataFrame(rows, columns=[_h(f"column_source_{k}", w) for k in keys]) if rows else None


def write_report_workbook(path, summary: dict, words: Words):
    """``path`` with :func:`report_sheets`, written atomically (text cells neutralised)."""
    from greenit.reporting.output import write_xlsx

    return write_xlsx(path, report_sheets(summary, words))
