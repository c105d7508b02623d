"""« Synthèse pour le conseil »: what an elected official reads first, from ``summary.json`` only.

Three sentences ready to quote (the total rounded to two significant digits with its range in
words and what drives its high end; per agent and per inhabitant; one equivalence people can
picture), the levers that avoid the most, the legal indicators against their targets, the change
since last year (a history given), the uses of AI in one line and « Prochaines étapes ». Nothing
is computed here that the summary does not hold: shares, roundings and counts of it only.
"""

from __future__ import annotations

import math

from greenit.i18n import text
from greenit.reporting.text import Words, round_significant, typeset

LEVERS_SHOWN = 3
DRIVERS_SHOWN = 2


def council_text(key: str, w: Words, /, **values: object) -> str:
    """Entry ``council.KEY`` of the catalogue, in the words' language and typography."""
    out = text(f"council.{key}", w.lang, **values)
    return typeset(out, w.lang) if w.nonbreaking else out


def rounded_mass(kgco2e: float, w: Words) -> str:
    """A mass to two significant digits, as one quotes it: ``35 tCO2e``, ``860 kgCO2e``."""
    divisor = 1000.0 if w.tonnes else 1.0
    return f"{w.number(round_significant(kgco2e / divisor, 2))}\u00a0{w.unit}"


def synthesis(summary: dict, w: Words) -> dict:
    """The synthesis's parts, each a sentence or a list of sentences in ``w``'s language."""
    h = summary["headline"]
    return {
        "sentences": [s for s in (_total(summary, w), _per_person(h, w), _picture(summary, w)) if s],
        "levers": levers(summary, w),
        "indicators": indicators(summary, w),
        "change": ((summary.get("history") or {}).get("sentences") or {}).get("change"),
        "ai": _ai(h, w),
        "next_steps": next_steps(summary, w),
    }


def _total(summary: dict, w: Words) -> str:
    h = summary["headline"]
    sentence = council_text(
        "synthesis.total",
        w,
        year=summary["year"],
        total=rounded_mass(h["total_kgco2e"], w),
        low=rounded_mass(h["total_low_kgco2e"], w),
        high=rounded_mass(h["total_high_kgco2e"], w),
    )
    drivers = high_end_drivers(summary, w)
    if drivers:
        sentence += " " + council_text("synthesis.high_end", w, drivers=council_text("and", w).join(drivers))
    return sentence


def high_end_drivers(summary: dict, w: Words) -> list[str]:
    """The parts that widen the high end most — categories of equipment and, when the summary has
    them, the services bought: ``Écran numérique interactif (2,27 – 19,2 tCO2e)``.
    """
    parts = [
        (w.category(g), g["total_kgco2e"], g["total_low_kgco2e"], g["total_high_kgco2e"])
        for g in summary["inventory"]["by_category"]
    ]
    h = summary["headline"]
    if h.get("services_kgco2e") is not None and h.get("services_high_kgco2e") is not None:
        parts.append(
            (
                council_text("synthesis.services", w),
                h["services_kgco2e"],
                h["services_low_kgco2e"],
                h["services_high_kgco2e"],
            )
        )
    parts = sorted((p for p in parts if p[3] > p[1]), key=lambda p: p[3] - p[1], reverse=True)
    return [
        council_text("synthesis.driver", w, category=name, range=w.mass_range(low, high))
        for name, _, low, high in parts[:DRIVERS_SHOWN]
    ]


def _per_person(h: dict, w: Words) -> str | None:
    parts = []
    if h.get("per_agent_kgco2e") is not None:
        parts.append(
            council_text(
                "synthesis.per_agent",
                w,
                mass=w.small_mass(round_significant(h["per_agent_kgco2e"], 2)),
                n=w.count(h["headcount"]),
            )
        )
    if h.get("per_inhabitant_kgco2e") is not None:
        parts.append(
            council_text(
                "synthesis.per_inhabitant",
                w,
                mass=w.small_mass(round_significant(h["per_inhabitant_kgco2e"], 2)),
                n=w.count(h["population"]),
            )
        )
    return (
        council_text("synthesis.per_person", w, parts=council_text("and", w).join(parts)) if parts else None
    )


def _picture(summary: dict, w: Words) -> str | None:
    """One equivalence people can picture: km by car, per agent when the headcount is given."""
    car = next((e for e in summary.get("equivalences") or [] if e["name"] == "car_km"), None)
    h = summary["headline"]
    if car is None or not h["total_kgco2e"]:
        return None
    agent = h.get("per_agent_kgco2e")
    km = (agent if agent is not None else h["total_kgco2e"]) / car["factor_kgco2e"]
    key = "synthesis.picture_agent" if agent is not None else "synthesis.picture_total"
    return council_text(key, w, km=w.number(round_significant(km, 2)), label=car[f"label_{w.lang}"])


def top_levers(summary: dict) -> list[dict]:
    """The levers that avoid something, the most first (each alone when the summary has it)."""
    records = [r for r in summary.get("scenarios") or [] if r.get("spec") is not None]
    records = [r for r in records if (r.get("alone_change_kgco2e", r.get("change_kgco2e")) or 0) < 0]
    return sorted(records, key=lambda r: r.get("alone_change_kgco2e", r["change_kgco2e"]))


def levers(summary: dict, w: Words) -> list[str]:
    """The levers that avoid the most, each alone: tonnes, share, and euros when known."""
    total = summary["headline"]["total_kgco2e"]
    out = []
    for r in top_levers(summary)[:LEVERS_SHOWN]:
        change = r.get("alone_change_kgco2e", r["change_kgco2e"])
        line = council_text(
            "synthesis.lever",
            w,
            label=r["label"],
            change=w.mass_change(change),
            share=w.percent(-change / total if total else None),
        )
        eur = r.get("alone_change_eur_per_year")
        if eur is not None and not (isinstance(eur, float) and math.isnan(eur)):
            key = "synthesis.lever_saving" if eur < 0 else "synthesis.lever_cost"  # money's sign: − saves
            line += council_text(key, w, eur=euros(abs(eur), w.lang))
        out.append(line)
    return out


def euros(value: float, lang: str) -> str:
    """Euros to three significant digits with their sign: ``−12 300 €/an``."""
    from greenit.i18n.formats import format_number

    return text("council.eur_per_year", lang, value=format_number(round_significant(value), lang))


def indicators(summary: dict, w: Words) -> list[dict]:
    """The legal indicators against their targets: text, and ``ok`` (True, False, None: no target)."""
    ind = summary.get("indicators") or {}
    out = []
    if ind.get("reuse_rate") is not None:
        target = ind.get("reuse_target")
        ok = None if target is None else ind["reuse_rate"] >= target
        out.append(
            {
                "text": council_text(
                    "indicator.reuse", w, rate=w.percent(ind["reuse_rate"]), target=w.percent(target)
                ),
                "ok": ok,
            }
        )
    if ind.get("refurbished_purchases_share") is not None:
        out.append(
            {
                "text": council_text(
                    "indicator.refurbished", w, share=w.percent(ind["refurbished_purchases_share"])
                ),
                "ok": None,
            }
        )
    if ind.get("over_ten_years") is not None:
        out.append(
            {
                "text": council_text(
                    "indicator.over_ten",
                    w,
                    n=w.count(ind["over_ten_years"]),
                    share=w.percent(ind.get("over_ten_years_share")),
                ),
                "ok": None,
            }
        )
    return out


def _ai(h: dict, w: Words) -> str | None:
    if h.get("ai_kgco2e") is None:
        return None
    runs, hosted = h.get("ai_runs") or 0, h.get("ai_hosted_rows") or 0
    key = "synthesis.ai" if runs and hosted else "synthesis.ai_hosted" if hosted else "synthesis.ai_runs"
    return council_text(
        key,
        w,
        mass=w.mass_change(h["ai_kgco2e"]),
        share=w.percent(h.get("ai_share")),
        runs=w.count(h.get("ai_runs") or 0),
        hosted=w.count(h.get("ai_hosted_rows") or 0),
    )


def next_steps(summary: dict, w: Words) -> list[str]:
    """What to do next, from what the summary shows is missing or behind its target."""
    steps = []
    ind = summary.get("indicators") or {}
    target, rate = ind.get("reuse_target"), ind.get("reuse_rate")
    if target is not None and rate is not None and rate < target:
        pool = (ind.get("reused") or 0) + (ind.get("retired") or 0)
        more = max(0, math.ceil(target * pool - 1e-9) - (ind.get("reused") or 0))
        steps.append(
            council_text("step.reuse", w, n=w.count(more), pool=w.count(pool), target=w.percent(target))
        )
    best = top_levers(summary)[:1]
    if best:
        change = best[0].get("alone_change_kgco2e", best[0]["change_kgco2e"])
        steps.append(council_text("step.lever", w, label=best[0]["label"], change=w.mass_change(change)))
    flagged = summary["coverage"].get("rows_flagged") or 0
    if flagged:
        steps.append(council_text("step.flagged", w, n=w.count(flagged)))
    dates = (summary["inventory"].get("defaults_used") or {}).get("purchase_date") or 0
    if dates:
        steps.append(council_text("step.dates", w, n=w.count(dates)))
    h = summary["headline"]
    if h.get("per_agent_kgco2e") is None or h.get("per_inhabitant_kgco2e") is None:
        steps.append(council_text("step.people", w))
    if not summary.get("history"):
        steps.append(council_text("step.history", w))
    return steps
