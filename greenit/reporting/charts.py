"""Charts of a computed result (matplotlib, no pyplot), French by default.

Each function takes groups as computed (records of ``summary.json`` or the frames of
:mod:`greenit.results`) and returns a Figure; :func:`save_figure` writes it as PNG and SVG.
Nothing here computes a footprint. Every word comes from the catalogue, every number is
written by :class:`~greenit.reporting.text.Words` (three significant digits at most).
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

from greenit.reporting.chartstyle import (
    figure,
    finish,
    number_axis,
    save_figure,
    shorten,
    stacked_barh,
    svg_text,
    wrap,
)
from greenit.reporting.text import Words

__all__ = [
    "ai_by_project",
    "entity_labels",
    "equipment_age",
    "footprint_by_category",
    "footprint_by_entity",
    "save_figure",
    "lever_waterfall",
    "scenario_waterfall",
    "svg_text",
]

PHASE_GROUPS = {
    "training": "training",
    "fine-tuning": "training",
    "inference": "inference",
    "evaluation": "other",
    "other": "other",
}


def _words(words: Words | None, lang: str, total_kgco2e: float) -> Words:
    return words if words is not None else Words.for_total(lang, total_kgco2e)


def _labels(frame: pd.DataFrame, devices_table, words: Words) -> list[str]:
    """Category labels: the records' own, else the device table's, never a bare code."""
    if "label" in frame.columns:
        return [
            words.category({"category": c, "label": lab})
            for c, lab in zip(frame["category"], frame["label"], strict=True)
        ]
    column = "label_en" if words.lang == "en" else "label_fr"
    known = devices_table.index if devices_table is not None else ()
    return [
        str(devices_table.at[c, column]) if c in known else words.category({"category": c})
        for c in frame["category"]
    ]


def _mass_stacks(frame: pd.DataFrame, words: Words) -> tuple[float, list]:
    divisor = 1000.0 if words.tonnes else 1.0
    keys = (
        ("manufacture", "legend.manufacture"),
        ("use", "legend.use"),
        ("end_of_life", "legend.end_of_life"),
        ("consumables", "legend.consumables"),  # a stack of zeros adds nothing (no printer)
    )
    return divisor, [
        (key, frame[f"{key}_kgco2e"].to_numpy(float) / divisor, words(label))
        for key, label in keys
        if f"{key}_kgco2e" in frame.columns
    ]


def footprint_by_category(by_category, devices_table=None, lang: str = "fr", *, words: Words | None = None):
    """Horizontal stacked bars manufacture / use / end of life, with the low–high range."""
    frame = pd.DataFrame(by_category).sort_values("total_kgco2e")
    words = _words(words, lang, float(frame["total_kgco2e"].sum()))
    fig = figure(7.5, 0.34 * len(frame) + 1.8)
    ax = fig.add_subplot()
    divisor, stacks = _mass_stacks(frame, words)
    right = stacked_barh(ax, [shorten(label) for label in _labels(frame, devices_table, words)], stacks)
    low = frame["total_low_kgco2e"].to_numpy(float) / divisor
    high = frame["total_high_kgco2e"].to_numpy(float) / divisor
    ax.errorbar(
        right,
        np.arange(len(frame)),
        xerr=[np.clip(right - low, 0, None), np.clip(high - right, 0, None)],
        fmt="none",
        ecolor="#333333",
        elinewidth=0.8,
        capsize=2.5,
        label=words("legend.range"),
    )
    finish(ax, words("chart.by_category"), words.unit_per_year, words, np.maximum(right, high))
    return fig


def entity_labels(entities: list, unknown: str) -> list[str]:
    """Department names that a reader can tell apart: the path without the part every department
    shares (``Ville de Belleval > ``), from the last level up as far as needed to be unique.

    >>> entity_labels(["V > Culture > Médiathèque", "V > Écoles > Médiathèque", "V > DRH", None], "?")
    ['Culture > Médiathèque', 'Écoles > Médiathèque', 'DRH', '?']
    """
    parts = [None if e is None else [p.strip() for p in re.split(r"\s+>\s+", str(e))] for e in entities]
    known = [p for p in parts if p]
    common = 0
    while len(known) > 1 and all(len(p) > common + 1 and p[common] == known[0][common] for p in known):
        common += 1
    depth = [1] * len(parts)

    def label(i: int) -> str:
        p = parts[i]
        return unknown if p is None else " > ".join(p[max(common, len(p) - depth[i]) :])

    for _ in range(max((len(p) for p in known), default=0)):
        counts = Counter(label(i) for i in range(len(parts)))
        grow = [i for i, p in enumerate(parts) if p and counts[label(i)] > 1 and depth[i] < len(p) - common]
        if not grow:
            break
        for i in grow:
            depth[i] += 1
    return [label(i) for i in range(len(parts))]


def footprint_by_entity(by_entity, lang: str = "fr", top: int = 12, *, words: Words | None = None):
    """The departments with the largest footprint; the others in one last bar."""
    frame = pd.DataFrame(by_entity).sort_values("total_kgco2e", ascending=False, kind="stable")
    words = _words(words, lang, float(frame["total_kgco2e"].sum()))
    entities = [None if pd.isna(e) else e for e in frame["entity"]]
    frame["name"] = entity_labels(entities, words.unknown())
    if len(frame) > top:
        rest = frame.iloc[top - 1 :]
        summed = ["manufacture_kgco2e", "use_kgco2e", "end_of_life_kgco2e", "total_kgco2e"]
        other = rest[summed + [c for c in ("consumables_kgco2e",) if c in rest.columns]].sum()
        other["name"] = words("chart.other_entities", n=len(rest))
        frame = pd.concat([frame.iloc[: top - 1], other.to_frame().T], ignore_index=True)
    frame = frame.iloc[::-1]
    fig = figure(7.5, 0.34 * len(frame) + 1.6)
    ax = fig.add_subplot()
    _, stacks = _mass_stacks(frame, words)
    right = stacked_barh(ax, [shorten(n) for n in frame["name"]], stacks)
    finish(ax, words("chart.by_entity"), words.unit_per_year, words, right)
    return fig


def _age_frame(profile) -> pd.DataFrame:
    if isinstance(profile, pd.DataFrame):
        return profile if "category" in profile.columns else profile.reset_index()
    return pd.DataFrame(profile)


def equipment_age(
    profile, devices_table=None, lang: str = "fr", top: int = 12, *, words: Words | None = None
):
    """Devices in service per category: within their lifespan, beyond it, over 10 years, undated."""
    words = words if words is not None else Words(lang)
    frame = _age_frame(profile)
    frame = frame.assign(
        devices=frame[["within_lifespan", "beyond_lifespan", "over_ten_years", "unknown_age"]].sum(axis=1)
    )
    frame = frame.sort_values("devices", ascending=False, kind="stable").head(top).iloc[::-1]
    fig = figure(7.5, 0.34 * len(frame) + 1.8)
    ax = fig.add_subplot()
    keys = (
        ("within", "within_lifespan"),
        ("beyond", "beyond_lifespan"),
        ("over_ten", "over_ten_years"),
        ("unknown", "unknown_age"),
    )
    stacks = [(key, frame[column].to_numpy(float), words(f"legend.age_{key}")) for key, column in keys]
    right = stacked_barh(ax, [shorten(x) for x in _labels(frame, devices_table, words)], stacks)
    finish(ax, words("chart.age"), words("axis.devices"), words, right, integer=True)
    return fig


def ai_by_project(by_project, lang: str = "fr", *, words: Words | None = None):
    """AI runs per project, training apart from inference [kgCO2e]."""
    words = Words(words.lang if words else lang, tonnes=False)
    frame = pd.DataFrame(by_project)
    frame["group"] = frame["phase"].map(PHASE_GROUPS).fillna("other")
    frame["project"] = [words.text_or_unknown(p) for p in frame["project"]]
    pivot = frame.pivot_table(
        index="project", columns="group", values="total_kgco2e", aggfunc="sum", fill_value=0.0
    )
    pivot = pivot.loc[pivot.sum(axis=1).sort_values().index]
    fig = figure(7.5, 0.45 * len(pivot) + 1.6)
    ax = fig.add_subplot()
    stacks = [
        (group, pivot[group].to_numpy(float), words(f"legend.phase_{group}"))
        for group in ("training", "inference", "other")
        if group in pivot.columns
    ]
    right = stacked_barh(ax, [shorten(p) for p in pivot.index], stacks, height=0.6)
    finish(ax, words("chart.ai"), words("unit.per_run", unit="kgCO2e"), words, right)
    return fig


def _lever_labels(frame: pd.DataFrame) -> list[str]:
    column = "label" if "label" in frame.columns else "scenario"
    return [str(v) for v in frame[column]]


def _waterfall_euros(frame: pd.DataFrame, words: Words) -> list[str]:
    """A second line under each bar's tonnes when the levers carry euros: the budget of the
    baseline and after the levers, each step's change (« −54 500 €/an », « € inconnus »);
    empty lines for a comparison without euros.
    """
    if "step_eur_per_year" not in frame.columns or "budget_eur_per_year" not in frame.columns:
        return [""] * (len(frame) + 1)
    from greenit.reporting.euros import euros, euros_change

    def known(value: object) -> float | None:
        return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]

    steps = [known(v) for v in frame["step_eur_per_year"]]
    budgets = [known(v) for v in frame["budget_eur_per_year"]]
    after = budgets[-1] if all(v is not None for v in steps[1:]) else None
    lines = [euros(words, budgets[0], per_year=True), *(euros_change(words, v) for v in steps[1:])]
    return ["\n" + line for line in [*lines, euros(words, after, per_year=True)]]


def lever_waterfall(comparison, lang: str = "fr", *, words: Words | None = None):
    """Baseline, each lever's step (cumulative), and the result (``comparison``: what
    :func:`greenit.compare_levers` returns).
    """
    frame = pd.DataFrame(comparison) if comparison is not None else pd.DataFrame()
    if "total_kgco2e" not in frame.columns or frame.empty:
        from greenit.errors import GreenitError

        raise GreenitError.of("reporting.chart.no_levers", "reporting.chart.no_levers_hint")
    totals = frame["total_kgco2e"].to_numpy(float)
    steps = np.diff(totals)
    words = _words(words, lang, float(totals[0]))
    divisor = 1000.0 if words.tonnes else 1.0
    labels = [*_lever_labels(frame), words("chart.after_levers")]
    euros = _waterfall_euros(frame, words)
    fig = figure(max(7.5, 1.15 * len(labels) + 0.6), 4.0)  # room for each wrapped label, many levers too
    ax = fig.add_subplot()
    x = np.arange(len(labels))
    running = totals[0]
    ax.bar(x[0], running / divisor, color="#1b6b73", width=0.6)
    for i, step in enumerate(steps, start=1):
        colour = "#3a9a5b" if step < 0 else "#c0504d"
        ax.bar(
            x[i], abs(step) / divisor, bottom=min(running, running + step) / divisor, width=0.6, color=colour
        )
        top = max(running, running + step) / divisor
        small = words.tonnes and abs(step) < 100  # a few kg in a tonnes chart: said in kg
        shown = words.small_mass(step) if small else words.number(step / divisor)
        shown = "+" + shown if step > 0 and not shown.startswith("+") else shown  # a rise says so
        ax.text(x[i], top, shown + euros[i], ha="center", va="bottom", fontsize=8)
        running += step
    ax.bar(x[-1], running / divisor, color="#1b6b73", width=0.6)
    for i, value in ((0, totals[0]), (len(labels) - 1, running)):
        ax.text(
            x[i],
            value / divisor,
            words.number(value / divisor) + euros[i],
            ha="center",
            va="bottom",
            fontsize=8,
            fontweight="bold",
        )
    if any(euros):  # two lines above the bars: room under the title
        low, high = ax.get_ylim()
        ax.set_ylim(low, high + 0.12 * (high - low))
    ax.set_xticks(x, [wrap(shorten(label, 60)) for label in labels], fontsize=8)
    ax.set_ylabel(words.unit_per_year)
    number_axis(ax.yaxis, words)
    ax.set_title(words("chart.levers"), loc="left")
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig


#: The former name of :func:`lever_waterfall`, kept for notebooks that use it.
scenario_waterfall = lever_waterfall
