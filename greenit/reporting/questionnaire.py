"""The suppliers' questionnaire rendered: a printable HTML page or Markdown, in the user's language.

Drawn from :func:`greenit.decide.ai_questionnaire`'s object: one table per option, service or
project estimated (the question, its unit, greenit's estimate for comparison, an empty box for
the supplier's answer), or one table of questions alone.
"""

from __future__ import annotations

from pathlib import Path

from greenit.errors import GreenitError
from greenit.i18n import text
from greenit.reporting.text import Words, typeset


def say(key: str, lang: str, /, **values: object) -> str:
    return typeset(text(f"aigov.questionnaire.{key}", lang, **values), lang)


def _range(w: Words, central, low, high, unit: str) -> str:
    if central is None:
        return say("not_estimated", w.lang)
    shown = f"{w.number(central)}\u00a0{unit}"
    if low is not None and high is not None and high > low:
        shown += f" ({w.number(low)} – {w.number(high)})"
    return shown


def estimate_cell(item: str, e: dict, w: Words) -> str:
    """greenit's estimate for one question, as text (« non estimé par greenit » where it has none)."""
    lang = w.lang
    cells = {
        "energy_per_request": lambda: _range(
            w,
            e["energy_per_request_wh"],
            e["energy_per_request_low_wh"],
            e["energy_per_request_high_wh"],
            "Wh",
        ),
        "emissions_per_request": lambda: _range(w, e["gco2e_per_request"], None, None, "gCO2e"),
        "hardware": lambda: _hardware(e, w),
        "model_size": lambda: (
            " — ".join(str(v) for v in (e["model"], e["provider"]) if v) or say("not_estimated", lang)
        ),
        "location": lambda: e["country"] or say("not_estimated", lang),
        "pue": lambda: w.number(e["pue"]) if e["pue"] is not None else say("not_estimated", lang),
        "electricity": lambda: _range(w, e["grid_gco2e_per_kwh"], None, None, "gCO2e/kWh"),
        "embodied": lambda: _range(w, e["embodied_per_request_gco2e"], None, None, "gCO2e"),
        "method": lambda: _method(e["method"], lang),
    }
    return cells.get(item, lambda: say("not_estimated", lang))()


def _hardware(e: dict, w: Words) -> str:
    """« 2 × NVIDIA L4 » (at most, at once), « H100 » without a count, or « non estimé »."""
    if not e["accelerator"]:
        return say("not_estimated", w.lang)
    count = e.get("accelerator_count")
    if count is None or count != count:  # NaN: no count given
        return str(e["accelerator"])
    return say("hardware_value", w.lang, count=w.count(count), label=e["accelerator"])


def _method(method: str | None, lang: str) -> str:
    key = {"ecologits": "ecologits", "accelerator model": "accelerator_model"}.get(str(method), "other")
    return say(f"method.{key}", lang, method=method or "")


def tables(result: dict) -> list[dict]:
    """One table per estimate (or one without): caption and rows (question, unit, estimate)."""
    lang = result["lang"]
    w = Words(lang, nonbreaking=True)
    subjects = result["estimates"] or [None]
    out = []
    for e in subjects:
        rows = [
            {
                "question": say(f"item.{item}", lang),
                "unit": say(f"unit.{item}", lang),
                "estimate": estimate_cell(item, e, w) if e is not None else None,
            }
            for item in result["items"]
        ]
        caption = (
            say("subject", lang, subject=e["subject"], source=e["source"]) if e else say("caption", lang)
        )
        out.append({"caption": caption, "rows": rows, "estimated": e is not None})
    return out


def render_html(result: dict) -> str:
    from markupsafe import Markup

    from greenit.reporting.html import _template_text, environment

    lang = result["lang"]
    return (
        environment()
        .get_template("questionnaire.html.j2")
        .render(
            lang=lang,
            say=lambda key, **values: say(key, lang, **values),
            tables=tables(result),
            estimated=bool(result["estimates"]),
            css=Markup(_template_text("report.css")),
        )
    )


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def render_markdown(result: dict) -> str:
    """The same questionnaire as Markdown (tables a supplier can fill in a text editor)."""
    lang = result["lang"]
    lines = [f"# {say('title', lang)}", "", say("intro", lang), "", say("how", lang), ""]
    if not result["estimates"]:
        lines += [f"*{say('no_estimate', lang)}*", ""]
    for table in tables(result):
        lines += [f"## {table['caption']}", ""]
        columns = ["question", "unit", *(["estimate"] if table["estimated"] else []), "answer"]
        lines.append("| " + " | ".join(say(f"column.{c}", lang) for c in columns) + " |")
        lines.append("|" + "---|" * len(columns))
        for row in table["rows"]:
            cells = [row["question"], row["unit"], *([row["estimate"]] if table["estimated"] else []), " "]
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)


def write_questionnaire(result: dict, path: str | Path, inputs=()) -> Path:
    """``path``: ``.html`` (printable page) or ``.md`` (Markdown), written atomically."""
    from greenit.reporting.output import check_outputs, write_text

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".md", ".markdown"):
        raise GreenitError.of("aigov.questionnaire.bad_suffix", path=str(path))
    check_outputs([path], inputs)
    body = render_html(result) if suffix in (".html", ".htm") else render_markdown(result)
    return write_text(path, body)
