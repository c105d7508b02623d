"""What a screen reader needs from the report: each chart's data in words, tables it can walk.

- :func:`chart_words` says what a chart shows, figure by figure, from ``summary.json`` (the
  charts are drawn from the same figures); :func:`label_svg` gives an inline SVG ``role="img"``
  and that text as its ``aria-label``;
- :func:`accessible_tables` gives every table of the rendered page a ``<caption>`` (the heading
  above it, for tables whose partial has none) and a ``scope`` on its header cells — whichever
  section wrote the table, so a section added later is covered too.
"""

from __future__ import annotations

import html
import re

from greenit.i18n import text
from greenit.reporting.text import Words

ITEMS_SAID = 15


def label_svg(svg: str, label: str) -> str:
    """``svg`` (an inline ``<svg …>`` element) with ``role="img"`` and ``aria-label``."""
    attributes = f' role="img" aria-label="{html.escape(label, quote=True)}"'
    return svg.replace("<svg", "<svg" + attributes, 1)


def chart_words(name: str, summary: dict, words: Words) -> str:
    """The chart ``name`` of the report in one sentence: its title and each figure it shows."""
    w = words
    items = {
        "empreinte_par_categorie": lambda: _groups(summary["inventory"]["by_category"], w, w.category),
        "empreinte_par_direction": lambda: _groups(
            summary["inventory"]["by_entity"], w, lambda g: str(g["entity"] or w.unknown())
        ),
        "age_des_equipements": lambda: _ages(summary["age_profile"], w),
        "ia_par_projet": lambda: [
            f"{p['project'] or w.unknown()} ({w.phase(p['phase'])}) {w.small_mass(p['total_kgco2e'])}"
            for p in (summary.get("ai") or {}).get("by_project", [])
        ],
        "leviers": lambda: _levers(summary["scenarios"], w),
        "evolution": lambda: [
            f"{p['year']} {w.mass(p['total_kgco2e'])}"
            for p in (summary.get("history") or {}).get("years", [])
        ],
    }.get(name, list)()
    more = len(items) - ITEMS_SAID
    said = "\u202f; ".join(items[:ITEMS_SAID]) + (
        text("council.chart.more", w.lang, n=more) if more > 0 else ""
    )
    return text("council.chart.label", w.lang, title=text(f"council.chart.{name}", w.lang), items=said)


def _groups(groups: list[dict], w: Words, name) -> list[str]:
    ranges = [w.mass_range(g["total_low_kgco2e"], g["total_high_kgco2e"]) for g in groups]
    return [f"{name(g)} {w.mass(g['total_kgco2e'])} ({r})" for g, r in zip(groups, ranges, strict=True)]


def _ages(profile: list[dict], w: Words) -> list[str]:
    keys = ("within_lifespan", "beyond_lifespan", "over_ten_years", "unknown_age")
    return [
        f"{p['label']} : "
        + ", ".join(text(f"council.chart.age_{k}", w.lang, n=w.count(p[k])) for k in keys if p[k])
        for p in profile
    ]


def _levers(scenarios: list[dict], w: Words) -> list[str]:
    out = [f"{scenarios[0]['label']} {w.mass(scenarios[0]['total_kgco2e'])}"] if scenarios else []
    out += [f"{r['label']} {w.mass_change(r['step_kgco2e'])}" for r in scenarios[1:]]
    if len(scenarios) > 1:
        out.append(text("council.chart.levers_after", w.lang, total=w.mass(scenarios[-1]["total_kgco2e"])))
    return out


_TABLE = re.compile(r"<table\b[^>]*>(?P<body>.*?)</table>", re.S)
_HEADING = re.compile(r"<h([23])\b[^>]*>(?P<text>.*?)</h\1>", re.S)


def accessible_tables(page: str) -> str:
    """``page`` with a caption on every table (the heading before it) and scopes on header cells."""
    headings = [(m.start(), m.group("text")) for m in _HEADING.finditer(page)]

    def fix(match: re.Match) -> str:
        table = match.group(0)
        if "<caption" not in table:
            before = [t for start, t in headings if start < match.start()]
            caption = re.sub(r"<[^>]+>", "", before[-1]).strip() if before else ""
            opening = table[: table.index(">") + 1]
            table = f'{opening}<caption class="visually-hidden">{caption}</caption>{table[len(opening) :]}'
        table = re.sub(
            r"<thead>(.*?)</thead>",
            lambda m: "<thead>" + _scoped(m.group(1), "col") + "</thead>",
            table,
            flags=re.S,
        )
        return _scoped(table, "row")

    return _TABLE.sub(fix, page)


def _scoped(fragment: str, scope: str) -> str:
    """Every ``<th`` of ``fragment`` without a scope given ``scope``."""
    return re.sub(r"<th(?![^>]*\bscope=)(?=[\s>])", f'<th scope="{scope}"', fragment)
