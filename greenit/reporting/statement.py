"""A model's statement rendered: ``statement.html`` (one printable page) and ``statement.json``.

Drawn from :func:`greenit.decide.ai_statement`'s object only; words from the catalogue
(``aigov.statement.*``), numbers from :class:`~greenit.reporting.text.Words`.
"""

from __future__ import annotations

from pathlib import Path

from greenit.i18n import text
from greenit.reporting.plan import energy
from greenit.reporting.text import Words, typeset


def say(key: str, lang: str, /, **values: object) -> str:
    return typeset(text(f"aigov.statement.{key}", lang, **values), lang)


def method_text(result: dict, w: Words) -> str:
    """« estimée (modèle des accélérateurs), 4 runs » for one method; for several, « en partie
    mesurée : » and each method's runs and kWh (one method repeated the total and « estimée »).
    """
    methods = result["method"]["by_method"]
    if len(methods) == 1:
        one = methods[0]
        return say(
            "method_one",
            w.lang,
            method=text(f"aigov.method.{one['method']}", w.lang),
            runs=w.count(one["runs"]),
        )
    parts = [
        say(
            "method_part",
            w.lang,
            method=text(f"aigov.method.{m['method']}", w.lang),
            runs=w.count(m["runs"]),
            energy=energy(w, m["energy_kwh"]),
        )
        for m in methods
    ]
    return say(
        f"energy_{result['method']['energy']}",
        w.lang,
        parts=text("aigov.statement.parts_separator", w.lang).join(parts),
    )


def render_statement_html(result: dict, sources: list[dict]) -> str:
    from markupsafe import Markup

    from greenit.reporting.html import _template_text, environment

    lang = result["lang"]
    w = Words(lang, tonnes=False, nonbreaking=True)
    return (
        environment()
        .get_template("statement.html.j2")
        .render(
            r=result,
            w=w,
            say=lambda key, **values: say(key, lang, **values),
            energy=lambda kwh: energy(w, kwh),
            phase=w.phase,
            method=method_text(result, w),
            method_name=lambda m: text(f"aigov.method.{m}", lang),
            date=lambda value: w.date(value) if value else w.unknown(),
            css=Markup(_template_text("report.css")),
            sources=sources,
        )
    )


def write_statement(result: dict, out_dir: str | Path, sources: list[dict], inputs=()) -> list[Path]:
    """``statement.html`` and ``statement.json`` in ``out_dir`` (atomically)."""
    from greenit.reporting.output import check_outputs, write_json, write_text

    out_dir = Path(out_dir)
    check_outputs([out_dir / "statement.html", out_dir / "statement.json"], inputs, folder=out_dir)
    json_path = write_json(out_dir / "statement.json", result, result["lang"])
    return [write_text(out_dir / "statement.html", render_statement_html(result, sources)), json_path]
