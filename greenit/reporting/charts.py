"""Charts of the footprint (matplotlib, no pyplot): one style, French labels by default.

Each function takes computed results and returns a Figure; :func:`save_figure` writes it as
PNG and SVG. Nothing here computes a footprint.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from greenit.reporting.labels import category_label, format_number

COLOURS = {
    "manufacture": "#1b6b73",
    "use": "#e0a31a",
    "end_of_life": "#8c8c8c",
    "training": "#5b3f8c",
    "inference": "#3a9a5b",
    "other": "#b0b0b0",
    "increase": "#c0504d",
    "decrease": "#3a9a5b",
    "total": "#1b6b73",
    "within": "#3a9a5b",
    "beyond": "#e0a31a",
    "over_ten": "#c0504d",
    "unknown": "#c8c8c8",
}

TEXT = {
    "fr": {
        "manufacture": "Fabrication",
        "use": "Usage (électricité)",
        "end_of_life": "Fin de vie",
        "by_category": "Empreinte annuelle par catégorie d'équipement",
        "by_entity": "Empreinte annuelle par direction / service",
        "age": "Âge des équipements en service",
        "ai": "Charges d'IA par projet",
        "scenarios": "Leviers de réduction (effet cumulé)",
        "range": "fourchette (bas – haut)",
        "within": "dans sa durée de vie",
        "beyond": "au-delà de sa durée de vie",
        "over_ten": "plus de 10 ans",
        "unknown": "âge inconnu",
        "devices": "nombre d'équipements",
        "training": "Entraînement et ajustement",
        "inference": "Inférence",
        "other": "Évaluation et autres",
        "baseline": "Situation actuelle",
        "result": "Après leviers",
    },
    "en": {
        "manufacture": "Manufacture",
        "use": "Use (electricity)",
        "end_of_life": "End of life",
        "by_category": "Yearly footprint by equipment category",
        "by_entity": "Yearly footprint by department",
        "age": "Age of equipment in service",
        "ai": "AI workloads by project",
        "scenarios": "Reduction levers (cumulative effect)",
        "range": "range (low – high)",
        "within": "within its lifespan",
        "beyond": "beyond its lifespan",
        "over_ten": "over 10 years",
        "unknown": "unknown age",
        "devices": "number of devices",
        "training": "Training and fine-tuning",
        "inference": "Inference",
        "other": "Evaluation and other",
        "baseline": "Baseline",
        "result": "After levers",
    },
}

PHASE_GROUPS = {
    "training": "training",
    "fine-tuning": "training",
    "inference": "inference",
    "evaluation": "other",
    "other": "other",
}


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.titlesize": 11,
            "axes.titleweight": "bold",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.fonttype": "none",
            "svg.hashsalt": "greenit",
        }
    )
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=110, layout="constrained")


def _unit(values: np.ndarray | float) -> tuple[float, str]:
    """(divisor, unit label): tonnes from 10 t upwards, kilograms below."""
    biggest = float(np.nanmax(np.abs(values))) if np.size(values) else 0.0
    return (1000.0, "tCO2e/an") if biggest >= 10_000 else (1.0, "kgCO2e/an")


def _axis_formatter(axis, lang: str, decimals: int = 0) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, lang, decimals)))


def _unit_label(unit: str, lang: str) -> str:
    return unit if lang == "fr" else unit.replace("/an", "/yr")


def _stacked_barh(
    ax, labels: list[str], stacks: list[tuple[str, np.ndarray, str]], height: float = 0.65
) -> np.ndarray:
    """Horizontal bars stacked left to right: ``stacks`` is [(colour key, values, legend)].

    Returns the bars' right ends. A stack of zeros adds no legend entry.
    """
    y = np.arange(len(labels))
    left = np.zeros(len(labels))
    for key, values, legend in stacks:
        if not np.any(values):
            continue
        ax.barh(y, values, left=left, color=COLOURS[key], label=legend, height=height)
        left = left + values
    ax.set_yticks(y, labels)
    return left


def _finish(ax, title: str, xlabel: str, lang: str, right: np.ndarray, decimals: int = 0) -> None:
    """Shared look: title, axis label and format, room on the right, legend, light grid."""
    ax.set_xlim(0, max(float(np.max(right)) if len(right) else 0.0, 1e-9) * 1.06)
    ax.set_xlabel(xlabel)
    _axis_formatter(ax.xaxis, lang, decimals)
    ax.set_title(title, loc="left")
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)


def footprint_by_category(by_category: pd.DataFrame, devices_table, lang: str = "fr"):
    """Horizontal stacked bars manufacture / use / end of life, with the low–high range."""
    text = TEXT[lang]
    frame = pd.DataFrame(by_category).sort_values("total_kgco2e")
    divisor, unit = _unit(frame["total_high_kgco2e"].to_numpy())
    fig = _figure(7.5, 0.34 * len(frame) + 1.6)
    ax = fig.add_subplot()
    labels = [category_label(c, devices_table, lang) for c in frame["category"]]
    right = _stacked_barh(
        ax,
        labels,
        [
            (key, frame[f"{key}_kgco2e"].to_numpy() / divisor, text[key])
            for key in ("manufacture", "use", "end_of_life")
        ],
    )
    low = frame["total_low_kgco2e"].to_numpy() / divisor
    high = frame["total_high_kgco2e"].to_numpy() / divisor
    ax.errorbar(
        right,
        np.arange(len(frame)),
        xerr=[right - low, high - right],
        fmt="none",
        ecolor="#333333",
        elinewidth=0.8,
        capsize=2.5,
        label=text["range"],
    )
    _finish(
        ax,
        text["by_category"],
        _unit_label(unit, lang),
        lang,
        np.maximum(right, high),
        1 if divisor > 1 and high.max() < 5 else 0,
    )
    return fig


def footprint_by_entity(by_entity: pd.DataFrame, lang: str = "fr", top: int = 12):
    """The departments with the largest footprint, stacked manufacture / use / end of life."""
    text = TEXT[lang]
    frame = pd.DataFrame(by_entity).sort_values("total_kgco2e", ascending=False).head(top)
    frame = frame.iloc[::-1]
    divisor, unit = _unit(frame["total_kgco2e"].to_numpy())
    fig = _figure(7.5, 0.34 * len(frame) + 1.6)
    ax = fig.add_subplot()
    names = [str(e).split(" > ")[-1] for e in frame["entity"]]
    right = _stacked_barh(
        ax,
        [n if len(n) <= 38 else n[:37] + "…" for n in names],
        [
            (key, frame[f"{key}_kgco2e"].to_numpy() / divisor, text[key])
            for key in ("manufacture", "use", "end_of_life")
        ],
    )
    _finish(
        ax,
        text["by_entity"],
        _unit_label(unit, lang),
        lang,
        right,
        1 if divisor > 1 and right.max() < 5 else 0,
    )
    return fig


def equipment_age(profile: pd.DataFrame, devices_table, lang: str = "fr", top: int = 12):
    """Devices in service per category: within their lifespan, beyond it, over 10 years."""
    text = TEXT[lang]
    frame = profile.head(top).iloc[::-1]
    fig = _figure(7.5, 0.34 * len(frame) + 1.6)
    ax = fig.add_subplot()
    labels = [category_label(c, devices_table, lang) for c in frame.index]
    right = _stacked_barh(
        ax,
        labels,
        [
            (key, frame[column].to_numpy(), text[key])
            for key, column in (
                ("within", "within_lifespan"),
                ("beyond", "beyond_lifespan"),
                ("over_ten", "over_ten_years"),
                ("unknown", "unknown_age"),
            )
        ],
    )
    _finish(ax, text["age"], text["devices"], lang, right)
    return fig


def ai_by_project(by_project: pd.DataFrame, lang: str = "fr"):
    """AI runs per project, training apart from inference [kgCO2e]."""
    text = TEXT[lang]
    frame = pd.DataFrame(by_project)
    frame["group"] = frame["phase"].map(PHASE_GROUPS).fillna("other")
    pivot = frame.pivot_table(
        index="project", columns="group", values="total_kgco2e", aggfunc="sum", fill_value=0.0
    )
    pivot = pivot.loc[pivot.sum(axis=1).sort_values().index]
    fig = _figure(7.5, 0.45 * len(pivot) + 1.6)
    ax = fig.add_subplot()
    right = _stacked_barh(
        ax,
        [str(p) for p in pivot.index],
        [
            (group, pivot[group].to_numpy(), text[group])
            for group in ("training", "inference", "other")
            if group in pivot.columns
        ],
        height=0.6,
    )
    _finish(ax, text["ai"], "kgCO2e", lang, right, 1 if right.max() < 10 else 0)
    return fig


def scenario_waterfall(comparison: pd.DataFrame, lang: str = "fr"):
    """Baseline, each lever's step (cumulative), and the result."""
    text = TEXT[lang]
    totals = comparison["total_kgco2e"].to_numpy()
    steps = comparison["step_kgco2e"].to_numpy()[1:]
    divisor, unit = _unit(totals)
    labels = [text["baseline"], *comparison["scenario"].iloc[1:], text["result"]]
    fig = _figure(7.5, 3.8)
    ax = fig.add_subplot()
    x = np.arange(len(labels))
    ax.bar(x[0], totals[0] / divisor, color=COLOURS["total"], width=0.6)
    running = totals[0]
    for i, step in enumerate(steps, start=1):
        bottom = min(running, running + step) / divisor
        ax.bar(
            x[i],
            abs(step) / divisor,
            bottom=bottom,
            width=0.6,
            color=COLOURS["decrease" if step < 0 else "increase"],
        )
        ax.text(
            x[i],
            (max(running, running + step)) / divisor,
            format_number(step / divisor, lang, 1 if divisor > 1 else 0),
            ha="center",
            va="bottom",
            fontsize=8,
        )
        running += step
    ax.bar(x[-1], running / divisor, color=COLOURS["total"], width=0.6)
    for i in (0, len(labels) - 1):
        value = totals[0] if i == 0 else running
        ax.text(
            x[i],
            value / divisor,
            format_number(value / divisor, lang, 1 if divisor > 1 else 0),
            ha="center",
            va="bottom",
            fontsize=8,
            fontweight="bold",
        )
    ax.set_xticks(x, [_wrap(label) for label in labels], fontsize=8)
    ax.set_ylabel(_unit_label(unit, lang))
    _axis_formatter(ax.yaxis, lang)
    ax.set_title(text["scenarios"], loc="left")
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig


def _wrap(label: str, width: int = 16) -> str:
    words, lines, line = str(label).split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def save_figure(fig, directory: str | Path, name: str) -> dict[str, Path]:
    """Write ``name.png`` and ``name.svg`` in ``directory`` (atomically); return their paths."""
    import io

    from greenit.reporting.output import write_bytes

    paths = {}
    for fmt in ("png", "svg"):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
        paths[fmt] = write_bytes(Path(directory) / f"{name}.{fmt}", buffer.getvalue())
    return paths


def svg_text(fig) -> str:
    """The figure as an inline SVG element (text kept as text, so it reads and prints sharp)."""
    import io

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]
