"""The criteria beyond carbon as people read them: console table, XLSX sheet, report rows.

Everything is rendered from the ``criteria`` object of ``estimate --json`` or ``ai estimate
--json`` (:mod:`greenit.results.criteria`): figures are never computed here, only scaled to a
readable unit (``1,41 kg Sb éq.``, ``1,82 TJ``, ``560 m³``). A phase or a criterion whose figure
is not given reads « non renseigné », never 0.
"""

from __future__ import annotations

import math

import pandas as pd

from greenit.i18n import text
from greenit.reporting.text import Words, typeset

#: criterion key → (catalogue name, [(below this value, multiplier, unit key)], largest last)
_UNITS = {
    "adpe_kgsbeq": (
        "adpe",
        [
            (1e-10, 1e12, "ng_sb"),  # a request: a few nanograms
            (1e-7, 1e9, "ug_sb"),
            (1e-4, 1e6, "mg_sb"),
            (0.1, 1e3, "g_sb"),
            (math.inf, 1.0, "kg_sb"),
        ],
    ),
    "pe_mj": ("pe", [(1.0, 1e3, "kj"), (1e4, 1.0, "mj"), (1e7, 1e-3, "gj"), (math.inf, 1e-6, "tj")]),
    "water_m3": ("water", [(1e-3, 1e6, "ml"), (1.0, 1e3, "litre"), (math.inf, 1.0, "m3")]),
}
KEYS = tuple(_UNITS)
INVENTORY_PHASES = ("manufacture", "use")
AI_PHASES = ("usage", "embodied")


def _t(w: Words, key: str, /, **values: object) -> str:
    """A text of the ``criteria`` catalogue in the output's language (typeset for HTML)."""
    said = text(f"criteria.{key}", w.lang, **values)
    return typeset(said, w.lang) if w.nonbreaking else said


def _scale(key: str, criterion: dict) -> tuple[float, str]:
    """(multiplier, unit key) that writes the criterion's largest figure readably."""
    largest = max((abs(criterion.get(b) or 0.0) for b in ("total", "high")), default=0.0)
    for below, multiplier, unit in _UNITS[key][1]:
        if largest < below:
            return multiplier, unit
    return 1.0, _UNITS[key][1][-1][2]  # pragma: no cover - the last bound is infinite


def criterion_rows(criteria: dict, w: Words, phases: tuple[str, str]) -> list[dict]:
    """One row per criterion: label, unit, each phase, total, range, share from manufacture,
    coverage of the manufacture phase — as text, « non renseigné » where not given.
    """
    rows = []
    manufacture = phases[0] if phases[0] == "manufacture" else phases[1]
    for key in KEYS:
        criterion = criteria.get(key)
        if criterion is None:
            continue
        multiplier, unit = _scale(key, criterion)

        def number(value: float | None, multiplier: float = multiplier) -> str:
            return _t(w, "not_given") if value is None else w.number(value * multiplier)

        by_phase = criterion.get("by_phase") or {}
        rows.append(
            {
                "key": key,
                "label": _t(w, f"label.{_UNITS[key][0]}"),
                "short": _t(w, f"short.{_UNITS[key][0]}"),
                "unit": _t(w, f"unit.{unit}"),
                "phases": [number((by_phase.get(p) or {}).get("total")) for p in phases],
                "total": number(criterion.get("total")),
                "range": f"{number(criterion.get('low'))} – {number(criterion.get('high'))}",
                "share": w.percent(criterion.get("manufacture_share"))
                if criterion.get("manufacture_share") is not None
                else "–",
                "coverage": w.percent((criterion.get("coverage") or {}).get(manufacture)),
            }
        )
    return rows


def not_given_sentence(criteria: dict, labels: dict[str, str], w: Words) -> str | None:
    """Which categories have no manufacture figure (ADPe), and their share of the devices."""
    adpe = criteria.get("adpe_kgsbeq") or {}
    missing = (adpe.get("not_given") or {}).get("manufacture") or []
    if not missing:
        return None
    names = ", ".join(labels.get(c, c) for c in missing)
    share = 1 - (adpe.get("coverage") or {}).get("manufacture", 1.0)
    return _t(w, "console.not_given", categories=names, share=w.percent(share))


def print_criteria(console, result: dict, w: Words, *, ai: bool = False) -> None:
    """The « Au-delà du carbone » table of ``greenit estimate`` (or ``ai estimate``)."""
    from rich.table import Table

    criteria = result.get("criteria")
    if not criteria:
        return
    phases = AI_PHASES if ai else INVENTORY_PHASES
    title = _t(w, "console.ai_title") if ai else _t(w, "console.title", year=result["year"])
    table = Table(title=title, title_justify="left")
    headers = ["criterion", "unit", *phases, "total", "range"] + (
        [] if ai else ["manufacture_share", "coverage"]
    )
    for header in headers:
        table.add_column(_t(w, f"column.{header}"), justify="left" if header == "criterion" else "right")
    for row in criterion_rows(criteria, w, phases):
        extra = [] if ai else [row["share"], row["coverage"]]
        table.add_row(row["short"], row["unit"], *row["phases"], row["total"], row["range"], *extra)
    console.print(table)
    labels = {g["category"]: g.get("label") or g["category"] for g in result.get("by_category", [])}
    sentence = None if ai else not_given_sentence(criteria, labels, w)
    if sentence:
        console.print(sentence, style="dim", markup=False)
    if ai:
        missing = (criteria.get("adpe_kgsbeq") or {}).get("runs_not_given", {}).get("embodied", 0)
        if missing:
            console.print(_t(w, "console.ai_embodied", n=missing), style="dim", markup=False)
    console.print(_t(w, "console.water"), style="dim", markup=False)


def criteria_sheet_name(w: Words) -> str:
    return _t(w, "xlsx.sheet")


def criteria_sheet(result: dict, w: Words, ai_result: dict | None = None) -> pd.DataFrame:
    """The XLSX sheet: one line per scope, criterion and phase, figures in the criterion's unit
    (empty where not given), the phase's coverage as a share. Columns hold objects, so each
    figure gets the format of its own magnitude (an ADPe of 0,00741 kg Sb éq. is not 0,000).
    """
    lines = []
    scopes = [("inventory", result, INVENTORY_PHASES)]
    if ai_result is not None:
        scopes.append(("ai", ai_result, AI_PHASES))
    units = {
        key: _t(w, f"unit.{unit}")
        for key, unit in (("adpe_kgsbeq", "kg_sb"), ("pe_mj", "mj"), ("water_m3", "m3"))
    }
    for scope, source, phases in scopes:
        criteria = source.get("criteria") or {}
        for key in KEYS:
            if key in criteria:
                lines += _sheet_lines(criteria[key], key, phases, units[key], _t(w, f"xlsx.{scope}"), w)
    headers = [_t(w, f"column.{h}") for h in ("criterion", "total", "low", "high", "unit")]
    columns = [_t(w, "xlsx.scope"), headers[0], _t(w, "xlsx.phase"), *headers[1:]]
    columns += [_t(w, "xlsx.coverage"), _t(w, "xlsx.coverage_unit")]
    return pd.DataFrame(lines, columns=columns, dtype=object)


def _sheet_lines(criterion: dict, key: str, phases: tuple[str, str], unit: str, scope: str, w: Words) -> list:
    label = _t(w, f"label.{_UNITS[key][0]}")
    lines = []
    for phase in (*phases, "total"):
        figures = criterion if phase == "total" else (criterion.get("by_phase") or {}).get(phase)
        values = [None] * 3 if figures is None else [figures.get(b) for b in ("total", "low", "high")]
        coverage = (criterion.get("coverage") or {}).get(phase)
        percent = w("xlsx.unit_percent") if coverage is not None else None
        lines.append([scope, label, _t(w, f"column.{phase}"), *values, unit, coverage, percent])
    return lines


def criteria_view(summary: dict, w: Words) -> dict:
    """What the report's « Au-delà du carbone » section shows (``sections/criteria.html.j2``)."""
    inventory = summary["inventory"]
    criteria = inventory["criteria"]
    adpe, gwp = criteria["adpe_kgsbeq"], criteria["gwp_kgco2e"]
    labels = {g["category"]: g.get("label") or g["category"] for g in inventory.get("by_category", [])}
    missing = (adpe.get("not_given") or {}).get("manufacture") or []
    coverage = None
    if missing:
        share = w.percent(1 - (adpe.get("coverage") or {}).get("manufacture", 1.0))
        names = ", ".join(labels.get(m, m) for m in missing)
        coverage = _t(w, "explain.coverage", categories=names, share=share)
    columns = ["criterion", "unit", *INVENTORY_PHASES, "total", "range", "manufacture_share", "coverage"]
    ai = (summary.get("ai") or {}).get("criteria")
    ai_columns = ["criterion", "unit", *AI_PHASES, "total", "range"]
    return {
        "title": _t(w, "title"),
        "share": _t(
            w,
            "explain.share",
            share=w.percent(adpe.get("manufacture_share")),
            gwp_share=w.percent(gwp.get("manufacture_share")),
        ),
        "caption": _t(w, "report.caption", year=summary["year"]),
        "headers": [_t(w, f"column.{c}") for c in columns],
        "rows": criterion_rows(criteria, w, INVENTORY_PHASES),
        "ai_caption": _t(w, "report.ai_caption"),
        "ai_headers": [_t(w, f"column.{c}") for c in ai_columns],
        "ai_rows": criterion_rows(ai, w, AI_PHASES) if ai else [],
        "explanations": [
            {"label": _t(w, f"label.{name}"), "text": _t(w, f"explain.{name}")}
            for name in ("adpe", "pe", "water")
        ],
        "coverage": coverage,
        "sources": _t(w, "explain.sources"),
    }
