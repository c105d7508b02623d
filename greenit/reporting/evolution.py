"""Year after year, as the report and the console say it: the trend chart and the sentences.

Everything here renders the ``history`` object of ``summary.json`` (built by
:mod:`greenit.history.evolution`) or a ``history compare`` result: each year with its range,
the target's trajectory, the years estimated again with today's factors marked, the change since
last year in one sentence an elected official can quote, and the gap to the target.
"""

from __future__ import annotations

import numpy as np

from greenit.i18n import text
from greenit.reporting.chartstyle import COLOURS, figure, number_axis
from greenit.reporting.text import Words, typeset


def hw(words: Words, key: str, /, **values: object) -> str:
    """Entry ``history.KEY`` in the words' language (French non-breaking spaces in HTML)."""
    rendered = text(f"history.{key}", words.lang, **values)
    return typeset(rendered, words.lang) if words.nonbreaking else rendered


def change_sentence(change: dict | None, words: Words, organisation: str | None = None) -> str | None:
    """« De 2024 à 2025, l'empreinte … a baissé de 2,56 tCO2e (−6,8 %) … » (None without a year before)."""
    if change is None:
        return None
    delta = change["change_kgco2e"]
    direction = (
        "stable" if abs(delta) < 0.005 * abs(change["from_kgco2e"] or 1.0) else "down" if delta < 0 else "up"
    )
    share = change.get("change_share")
    sentence = hw(
        words,
        f"sentence.change_{direction}",
        a=change["from_year"],
        b=change["to_year"],
        who=organisation or hw(words, "sentence.the_organisation"),
        change=words.mass_change(abs(delta)),
        share=_signed_percent(share, words),
        before=words.mass(change["from_kgco2e"]),
        after=words.mass(change["to_kgco2e"]),
    )
    if change.get("from_restated"):
        sentence += " " + hw(words, "sentence.restated", year=change["from_year"])
    return sentence


def _signed_percent(share: float | None, words: Words) -> str:
    if share is None:
        return words.unknown()
    sign = "+" if share > 0 else "−" if share < 0 else ""
    return sign + words.percent(abs(share))


def gap_sentence(section: dict, words: Words) -> str | None:
    """The year's footprint against its target on the trajectory (None without a target)."""
    gap, target = section.get("gap"), section.get("target")
    if gap is None or target is None:
        return None
    key = "sentence.gap_above" if gap["gap_kgco2e"] > 0 else "sentence.gap_below"
    return hw(
        words,
        key,
        year=gap["year"],
        reduction=words.percent(target["reduction"]),
        by=target["target_year"],
        baseline=target["baseline_year"],
        target=words.mass(gap["target_kgco2e"]),
        gap=words.mass_change(abs(gap["gap_kgco2e"])),
    )


def reuse_sentence(section: dict, words: Words) -> str | None:
    """The year's reuse rate against décret 2023-266 (None when the inventory says nothing)."""
    point = next((p for p in section["years"] if p["year"] == section.get("year")), None)
    if point is None or point.get("reuse_target") is None:
        return None
    if point.get("reuse_rate") is None:
        return hw(
            words, "sentence.reuse_unknown", year=point["year"], target=words.percent(point["reuse_target"])
        )
    key = "sentence.reuse_met" if point["reuse_rate"] >= point["reuse_target"] else "sentence.reuse_short"
    return hw(
        words,
        key,
        year=point["year"],
        rate=words.percent(point["reuse_rate"]),
        target=words.percent(point["reuse_target"]),
    )


def sentences(section: dict, words: Words) -> dict[str, str | None]:
    """The section's sentences (``summary.json`` keeps them, in the report's language)."""
    return {
        "change": change_sentence(section.get("change"), words, section.get("organisation")),
        "gap": gap_sentence(section, words),
        "reuse": reuse_sentence(section, words),
    }


def _points(ax, years: list[dict], words: Words, divisor: float) -> None:
    for point in years:
        x, y = point["year"], point["total_kgco2e"] / divisor
        low, high = point["total_low_kgco2e"] / divisor, point["total_high_kgco2e"] / divisor
        colour = COLOURS["use"] if point.get("current") else COLOURS["total"]
        face = "white" if point.get("restated") else colour
        ax.errorbar(x, y, yerr=[[y - low], [high - y]], color=colour, capsize=4, linewidth=1.2, zorder=2)
        ax.plot(x, y, "o", markersize=8, markerfacecolor=face, markeredgecolor=colour, zorder=3)
        ax.annotate(words.number(y), (x, y), textcoords="offset points", xytext=(8, 4), fontsize=8)


def evolution_chart(section: dict, lang: str = "fr", *, words: Words | None = None):
    """Each year with its range (restated years hollow, the report's year in its own colour)
    and the target's trajectory, dashed. ``section``: what :meth:`greenit.History.target` or
    :meth:`greenit.History.evolution` gives, or ``summary.json``'s ``history``.
    """
    years = section["years"]
    if words is None:
        words = Words.for_total(lang, max([p["total_kgco2e"] for p in years] or [0.0]))
    divisor = 1000.0 if words.tonnes else 1.0
    fig = figure(7.5, 3.8)
    ax = fig.add_subplot()
    _points(ax, years, words, divisor)
    target = section.get("target")
    if target is not None:
        path = target["trajectory"]
        xs = [p["year"] for p in path]
        ax.plot(
            xs, [p["target_kgco2e"] / divisor for p in path], "--", color=COLOURS["decrease"], linewidth=1.5
        )
        ax.annotate(
            hw(words, "chart.target", reduction=words.percent(target["reduction"]), by=target["target_year"]),
            (xs[-1], path[-1]["target_kgco2e"] / divisor),
            textcoords="offset points",
            xytext=(-4, -14),
            ha="right",
            fontsize=8,
            color=COLOURS["decrease"],
        )
    all_years = [p["year"] for p in years] + ([target["target_year"]] if target else [])
    ax.set_xticks(np.arange(min(all_years), max(all_years) + 1))
    ax.set_xlim(min(all_years) - 0.5, max(all_years) + 0.5)
    ax.set_ylim(bottom=0)
    ax.set_ylabel(words.unit_per_year)
    number_axis(ax.yaxis, words)
    ax.set_title(hw(words, "chart.title"), loc="left")
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    _legend(ax, years, target, words)
    return fig


def _legend(ax, years: list[dict], target: dict | None, words: Words) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], marker="o", linestyle="", color=COLOURS["total"], label=hw(words, "chart.year"))
    ]
    if any(p.get("restated") for p in years):
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor="white",
                color=COLOURS["total"],
                label=hw(words, "chart.restated"),
            )
        )
    if any(p.get("current") for p in years):
        handles.append(
            Line2D([], [], marker="o", linestyle="", color=COLOURS["use"], label=hw(words, "chart.current"))
        )
    if target is not None:
        handles.append(
            Line2D([], [], linestyle="--", color=COLOURS["decrease"], label=hw(words, "chart.trajectory"))
        )
    ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=False)
