"""A plan's options rendered for people: the console table and its text chart, the chart as a
figure, and the self-contained HTML page a town hands to its council.

Everything is drawn from the JSON of ``greenit ai plan --json`` (:class:`greenit.ai.plan.result.PlanResult`):
what the console, the page and a script read are the same figures. Words come from the
catalogue (``aiplan.report.*``), numbers from :class:`~greenit.reporting.text.Words`.
"""

from __future__ import annotations

import math
from pathlib import Path

from greenit.i18n import text
from greenit.reporting.text import Words, typeset

BAR_WIDTH = 36


def words_for(result: dict) -> Words:
    """The plan's words: tonnes when an option reaches 10 tCO2e, kilograms below."""
    totals = [o["total_kgco2e"] or 0.0 for o in result["options"]]
    return Words.for_total(result["lang"], max(totals, default=0.0))


def say(key: str, lang: str, /, **values: object) -> str:
    """Entry ``aiplan.report.KEY`` in ``lang``."""
    return text(f"aiplan.report.{key}", lang, **values)


def energy(w: Words, kwh: float | None) -> str:
    """An energy with its unit: Wh below 1 kWh, MWh from 10 MWh."""
    if kwh is None:
        return w.unknown()
    if abs(kwh) < 1:
        return f"{w.number(kwh * 1000)}\u00a0Wh"
    if abs(kwh) >= 10_000:
        return f"{w.number(kwh / 1000)}\u00a0MWh"
    return f"{w.number(kwh)}\u00a0kWh"


def euros(w: Words, eur: float | None) -> str:
    return w.unknown() if eur is None else f"{w.number(eur)}\u00a0€"


def mass_range(w: Words, option: dict) -> str:
    """``4,52 kgCO2e`` or ``221 kgCO2e (221 – 531)``: the range when there is one."""
    central, low, high = (option[k] for k in ("total_kgco2e", "total_low_kgco2e", "total_high_kgco2e"))
    if central is None:
        return w.unknown()
    shown = (
        w.mass(central)
        if w.tonnes or abs(central) >= 1 or central == 0
        else f"{w.number(central * 1000)}\u00a0gCO2e"
    )
    if low is not None and high is not None and high > low:
        return f"{shown} ({w.mass_value(low)} – {w.mass_value(high)})"
    return shown


def eur_range(w: Words, option: dict) -> str:
    central, low, high = (
        option[k] for k in ("eur_per_year", "cost_low_eur_per_year", "cost_high_eur_per_year")
    )
    if central is None:
        return w.unknown()
    if low is not None and high is not None and high > low:
        return f"{euros(w, central)} ({w.number(low)} – {w.number(high)})"
    return euros(w, central)


def per_request(w: Words, option: dict) -> str:
    value = option["per_request_gco2e"]
    return w.unknown() if value is None else f"{w.number(value)}\u00a0gCO2e"


def per_inhabitant(w: Words, option: dict) -> str:
    """Per inhabitant: grams and euro cents read better than 0,0001 kgCO2e."""
    mass, eur = option["per_inhabitant_kgco2e"], option["per_inhabitant_eur"]
    if mass is None:
        return w.unknown()
    shown = f"{w.number(mass * 1000)}\u00a0gCO2e" if mass < 1 else w.small_mass(mass)
    return (
        shown
        if eur is None
        else f"{shown} ; {euros(w, eur)}"
        if w.lang == "fr"
        else f"{shown}; {euros(w, eur)}"
    )


def bar(value: float | None, largest: float) -> str:
    """A text bar (``█`` and a final partial block) of ``value`` out of ``largest``."""
    if value is None or not largest or not math.isfinite(value):
        return ""
    eighths = round(max(value, 0.0) / largest * BAR_WIDTH * 8)
    return "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]


def print_plan(result: dict) -> None:
    """The options side by side (a rich table), a text chart of tCO2e and €, the notes."""
    from greenit.reporting.console import _console, _table

    lang, w = result["lang"], words_for(result)
    console = _console()
    columns = ["option", "kind", "energy", "total", "eur", "per_request"]
    if result["service"]["population"]:
        columns.append("per_inhabitant")
    title = say(
        "title",
        lang,
        service=result["service"]["name"],
        requests=w.count(result["service"]["requests_per_year"]),
    )
    table = _table(
        title, [(say(f"column.{c}", lang), "left" if c in ("option", "kind") else "right") for c in columns]
    )
    for o in result["options"]:
        cells = {
            "option": o["option"],
            "kind": text(f"aiplan.kind.{o['kind']}", lang),
            "energy": energy(w, o["energy_kwh"]),
            "total": mass_range(w, o),
            "eur": eur_range(w, o),
            "per_request": per_request(w, o),
            "per_inhabitant": per_inhabitant(w, o),
        }
        table.add_row(*(cells[c] for c in columns))
    console.print(table)
    _print_bars(console, result, w)
    for o in result["options"]:
        lines = [o["reason"]] if o["status"] == "flagged" else o["notes"]
        for line in lines:
            console.print(f"  {o['option']} — {line}", markup=False)


def _print_bars(console, result: dict, w: Words) -> None:
    lang, options = result["lang"], result["options"]
    for key, label in (("total_kgco2e", "chart_carbon"), ("eur_per_year", "chart_eur")):
        largest = max((o[key] or 0.0 for o in options), default=0.0)
        console.print(say(label, lang, unit=w.unit), markup=False)
        width = max(len(o["option"]) for o in options)
        for o in options:
            shown = mass_range(w, o) if key == "total_kgco2e" else eur_range(w, o)
            console.print(f"  {o['option']:<{width}}  {bar(o[key], largest)} {shown}", markup=False)


def plan_chart(result: dict):
    """The options' yearly emissions (with their ranges) and euros, as a matplotlib Figure."""
    import numpy as np

    from greenit.reporting.chartstyle import COLOURS, figure, number_axis, shorten, wrap

    lang, w = result["lang"], Words(result["lang"], tonnes=False)
    options = result["options"][::-1]  # the plan's first option on top
    labels = [wrap(shorten(o["option"], 60), 26) for o in options]
    y = np.arange(len(options))
    fig = figure(9.5, 0.75 * len(options) + 1.9)
    carbon, money = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": (3, 2)})
    central = np.array([o["total_kgco2e"] or 0.0 for o in options])
    low = np.array([o["total_low_kgco2e"] if o["total_low_kgco2e"] is not None else 0.0 for o in options])
    high = np.array([o["total_high_kgco2e"] if o["total_high_kgco2e"] is not None else 0.0 for o in options])
    carbon.barh(y, central, color=COLOURS["total"], height=0.6)
    carbon.errorbar(
        central, y, xerr=[central - low, high - central], fmt="none", ecolor=COLOURS["other"], capsize=3
    )
    carbon.set_yticks(y, labels)
    carbon.set_xlabel(say("axis_carbon", lang))
    number_axis(carbon.xaxis, w)
    eur = np.array([o["eur_per_year"] if o["eur_per_year"] is not None else 0.0 for o in options])
    money.barh(y, eur, color=COLOURS["use"], height=0.6)
    for position, o in zip(y, options, strict=True):
        if o["eur_per_year"] is None:
            money.text(0, position, " " + w.unknown(), va="center", fontsize=8, color="#5c6670")
    _value_labels(carbon, y, high, [mass_range(w, o).split(" (")[0] for o in options])
    _value_labels(
        money, y, eur, [euros(w, o["eur_per_year"]) if o["eur_per_year"] is not None else "" for o in options]
    )
    money.set_xlabel(say("axis_eur", lang))
    number_axis(money.xaxis, w)
    from matplotlib.ticker import MaxNLocator

    money.xaxis.set_major_locator(MaxNLocator(4))
    for ax in (carbon, money):
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
        ax.set_axisbelow(True)
    fig.suptitle(say("chart_title", lang, service=result["service"]["name"]), x=0.01, ha="left", fontsize=11)
    return fig


def _value_labels(ax, y, right, texts: list[str]) -> None:
    """Each bar's figure at its right end (a small bar still reads), room kept on the right."""
    largest = float(max(right, default=0.0)) or 1.0
    for position, end, label in zip(y, right, texts, strict=True):
        ax.text(end + largest * 0.02, position, label, va="center", fontsize=8)
    ax.set_xlim(0, largest * 1.35)


def chart_description(result: dict) -> str:
    """What the chart shows, in words (its ``aria-label``): each option's emissions and euros."""
    lang, w = result["lang"], words_for(result)
    parts = [
        say("chart_part", lang, option=o["option"], mass=mass_range(w, o), eur=eur_range(w, o))
        for o in result["options"]
    ]
    return say("chart_alt", lang, service=result["service"]["name"], parts="; ".join(parts))


def accessible_svg(svg: str, label: str) -> str:
    """An inline SVG that reads as one image: ``role="img"`` and its ``aria-label``."""
    from markupsafe import escape

    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def render_plan_html(result: dict, svg: str, sources: list[dict]) -> str:
    """The council's page (one self-contained HTML string: CSS and chart inline)."""
    from markupsafe import Markup

    from greenit.reporting.html import _template_text, environment

    lang, w = result["lang"], words_for(result)
    return (
        environment()
        .get_template("plan.html.j2")
        .render(
            r=result,
            w=w,
            say=lambda key, **values: typeset(say(key, lang, **values), lang),
            kind=lambda key: text(f"aiplan.kind.{key}", lang),
            f={
                "energy": energy,
                "mass": mass_range,
                "eur": eur_range,
                "per_request": per_request,
                "per_inhabitant": per_inhabitant,
            },
            chart=Markup(accessible_svg(svg, chart_description(result))),
            css=Markup(_template_text("report.css")),
            sources=sources,
        )
    )


def write_plan_outputs(result: dict, out_dir: str | Path, sources: list[dict], inputs=()) -> list[Path]:
    """``plan.html``, ``plan.json`` and the chart (``plan.png``, ``plan.svg``) in ``out_dir``."""
    from greenit.reporting.chartstyle import inline_svg, render, save_rendered
    from greenit.reporting.output import check_outputs, write_json, write_text

    out_dir = Path(out_dir)
    names = ("plan.html", "plan.json", "plan.png", "plan.svg")
    check_outputs([out_dir / name for name in names], inputs, folder=out_dir)
    rendered = render(plan_chart(result))
    charts = save_rendered(rendered, out_dir, "plan")
    json_path = write_json(out_dir / "plan.json", result, result["lang"])
    html = render_plan_html(result, inline_svg(rendered["svg"]), sources)
    return [write_text(out_dir / "plan.html", html), json_path, charts["png"], charts["svg"]]


def write_template(path: str | Path) -> Path:
    """Write the French template plan (package data) to ``path``, atomically."""
    from importlib.resources import files

    from greenit.reporting.output import write_text

    template = (files("greenit.ai.plan") / "modele_plan.toml").read_text(encoding="utf-8")
    return write_text(path, template)


def write_equivalent_logs(plan, folder: str | Path, inputs=()) -> list[Path]:
    """Each AI option's equivalent log as CSV in ``folder``
    (:func:`~greenit.ai.plan.equivalent.equivalent_logs`): ``greenit ai estimate`` on them gives
    the same figures.
    """
    from greenit.ai.plan.equivalent import equivalent_logs
    from greenit.reporting.output import check_outputs, write_text

    logs = equivalent_logs(plan)
    check_outputs([Path(folder) / name for name in logs], inputs, folder=folder)
    return [write_text(Path(folder) / name, csv) for name, csv in logs.items()]
