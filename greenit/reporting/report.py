"""The report a town hands to its elected officials: one self-contained HTML file, and beside it
``summary.json`` (the one result it was rendered from), the charts as PNG and SVG, the rows.

Charts are inline SVG (no external URL: it opens offline, prints sharp); the HTML comes from
Jinja2 templates with autoescaping (:mod:`greenit.reporting.html`), so every string from a
user's file is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from greenit.reporting import charts
from greenit.reporting.chartstyle import inline_svg, render, save_rendered
from greenit.reporting.text import Words


@dataclass
class Report:
    """What :func:`write_report` wrote, and the summary it rendered."""

    html_path: Path
    summary_path: Path
    summary: dict
    chart_paths: dict[str, dict[str, Path]]
    files: list[Path] = field(default_factory=list)

    @property
    def inventory(self) -> dict:
        return self.summary["inventory"]

    @property
    def workloads(self) -> dict | None:
        return self.summary["ai"]

    @property
    def indicators(self) -> dict:
        return self.summary["indicators"]

    @property
    def scenarios(self) -> list[dict]:
        return self.summary["scenarios"]


def draw_charts(summary: dict, words: Words) -> dict:
    """The report's figures, drawn from ``summary.json`` only."""
    inventory = summary["inventory"]
    figures = {}
    if inventory["by_category"]:
        figures["empreinte_par_categorie"] = charts.footprint_by_category(
            inventory["by_category"], words=words
        )
        figures["empreinte_par_direction"] = charts.footprint_by_entity(inventory["by_entity"], words=words)
    if summary["age_profile"]:
        figures["age_des_equipements"] = charts.equipment_age(summary["age_profile"], words=words)
    ai = summary.get("ai")
    if ai and ai["by_project"]:
        figures["ia_par_projet"] = charts.ai_by_project(ai["by_project"], words=words)
    if summary["scenarios"] and summary["headline"]["total_kgco2e"] > 0:
        figures["leviers"] = charts.lever_waterfall(summary["scenarios"], words=words)
    if summary.get("history") and summary["history"]["years"]:
        from greenit.reporting.evolution import evolution_chart

        figures["evolution"] = evolution_chart(summary["history"], words=words)
    return figures


def write_report(
    out_dir: str | Path,
    result,
    *,
    lang: str = "fr",
    rows: pd.DataFrame | None = None,
    inputs: Sequence[str | Path] = (),
    history: dict | None = None,
    register: dict | None = None,
    beges_out: str | Path | None = None,
    xlsx_out: str | Path | None = None,
    pdf: bool = False,
) -> Report:
    """Render ``result`` (a :class:`~greenit.results.FootprintResult`) into ``out_dir``.

    Writes ``summary.json`` (``result.to_json(lang)``), the charts, ``report.html`` and, when
    ``rows`` is given, ``inventaire_lignes.csv``. ``history`` (the years of a history file,
    :func:`greenit.history.evolution.with_current`) adds the « Évolution » section and the
    ``history`` key of ``summary.json``; ``register`` (:func:`greenit.decide.read_ai_register`)
    the AI section's governance box and the ``ai_register`` key; ``beges_out`` (.csv or .xlsx)
    the BEGES postes as the platform asks for them; ``xlsx_out`` every table of the report in a
    workbook; ``pdf`` ``report.pdf``, printed by a headless Chromium (:mod:`greenit.reporting.pdf`;
    none: an error once everything else is written). Nothing is estimated here.
    """
    from greenit.reporting.html import render_html
    from greenit.reporting.output import check_outputs, write_json, write_text

    out_dir = Path(out_dir)
    summary = result.to_json(lang)
    words = Words.for_total(lang, summary["headline"]["total_kgco2e"])
    if history is not None:
        from greenit.reporting.evolution import sentences

        summary["history"] = history | {"sentences": sentences(history, words)}
    if register is not None:
        summary["ai_register"] = register  # the town's AI systems: sections/ai_register.html.j2
    from greenit.reporting.synthesis import synthesis

    summary["synthesis"] = synthesis(summary, words)  # after the history: its change is quoted
    figures = draw_charts(summary, words)
    names = [*(f"{name}.{fmt}" for name in figures for fmt in ("png", "svg")), "inventaire_lignes.csv"]
    extra = [Path(p) for p in (beges_out, xlsx_out) if p is not None]
    extra += [out_dir / "report.pdf"] if pdf else []
    check_outputs([*(out_dir / name for name in names), *extra], inputs, folder=out_dir)
    rendered = {name: render(fig) for name, fig in figures.items()}  # each figure drawn once per format
    chart_paths = {name: save_rendered(files, out_dir, name) for name, files in rendered.items()}
    from greenit.reporting.accessibility import chart_words, label_svg

    svgs = {
        name: label_svg(inline_svg(files["svg"]), chart_words(name, summary, words))
        for name, files in rendered.items()
    }  # each chart's data in words for screen readers
    summary_path = write_json(out_dir / "summary.json", summary, lang)
    files = [summary_path]
    if rows is not None:
        from greenit.reporting.rows_csv import write_rows_csv

        files.append(write_rows_csv(out_dir / "inventaire_lignes.csv", rows, summary, lang))  # for a person
    if beges_out is not None:
        from greenit.reporting.beges_out import write_beges

        files.append(write_beges(beges_out, summary, lang))
    if xlsx_out is not None:
        from greenit.reporting.report_workbook import write_report_workbook

        files.append(write_report_workbook(xlsx_out, summary, words))
    html_path = write_text(out_dir / "report.html", render_html(summary, svgs, words))
    if pdf:
        from greenit.reporting.pdf import write_pdf

        files.append(write_pdf(html_path, out_dir / "report.pdf"))
    return Report(
        html_path=html_path,
        summary_path=summary_path,
        summary=summary,
        chart_paths=chart_paths,
        files=[html_path, *files],
    )
