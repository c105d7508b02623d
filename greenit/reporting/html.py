"""``summary.json`` → the report's HTML, through Jinja2 templates with autoescaping.

The templates (``templates/report.html.j2`` and one partial per section in
``templates/sections/``) receive the summary as it was written (``s``), the words of the
report's language (``w``: catalogue entries and number formats, :class:`Words`) and a few
presentation helpers built here (``v``). A section is added by adding a partial and its name
to :func:`sections`; the AI section includes ``sections/ai_hosted.html.j2`` when it exists.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from greenit.i18n import text
from greenit.reporting.charts import entity_labels
from greenit.reporting.euros import MoneyView
from greenit.reporting.periods import period_sentences
from greenit.reporting.text import Words, per_request_lines, typeset

FLAGGED_SHOWN = 200
ENTITIES_SHOWN = 15
#: the equivalences the report shows: distances people can picture
PICTURED = ("car_km",)


@lru_cache(maxsize=1)
def environment():
    """The Jinja2 environment: package templates, autoescaping on, undefined names an error."""
    import jinja2

    from greenit.reporting.criteria import criteria_view

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("greenit.reporting", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["criteria_view"] = criteria_view  # sections/criteria.html.j2 (issue 23)
    return env


def _template_text(name: str) -> str:
    return (files("greenit.reporting") / "templates" / name).read_text(encoding="utf-8")


def sections(summary: dict) -> list[str]:
    """The numbered sections of the report, in order (partials ``sections/NAME.html.j2``)."""
    names = ["categories", "entities", "age", "ai"]
    if summary["scenarios"] and summary["headline"]["total_kgco2e"] > 0:
        names.append("levers")
    if (summary.get("inventory") or {}).get("budget"):
        names.append("budget")  # euros: renewal and electricity (greenit.reporting.euros)
    if summary.get("history"):
        names.append("history")  # « Évolution »: greenit report --history FILE
    names += ["scope", "exclusions"]  # room, consumables, services, rule; what is left out
    if (summary.get("inventory") or {}).get("criteria"):
        names.append("criteria")  # « Au-delà du carbone »: ADPe, primary energy, water
    if (summary.get("beges") or {}).get("postes"):
        names.append("beges")  # the total by BEGES poste (greenit.results.beges)
    return names


def render_html(summary: dict, svgs: dict[str, str], words: Words) -> str:
    """The report as one HTML string (pure: no I/O besides reading the package's templates)."""
    from dataclasses import replace

    from markupsafe import Markup

    from greenit.reporting.accessibility import accessible_tables

    words = replace(words, nonbreaking=True)  # HTML wraps lines: French non-breaking spaces
    page = (
        environment()
        .get_template("report.html.j2")
        .render(
            s=summary,
            w=words,
            v=View(summary, words),
            m=MoneyView(summary, words),
            svg={name: Markup(svg) for name, svg in svgs.items()},
            css=Markup(_template_text("report.css") + _template_text("council.css")),
            method=Markup(_template_text(f"method.{words.lang}.html")),
            sections=sections(summary),
        )
    )
    return accessible_tables(page)  # every table captioned, its header cells scoped


class View:
    """Presentation helpers of the templates: what to show, never a new figure."""

    def __init__(self, summary: dict, words: Words) -> None:
        self.s, self.w = summary, words
        self.total = summary["headline"]["total_kgco2e"]

    def title(self) -> str:
        return self.s["title"] or self.w("report.title")

    def share(self, kgco2e: float) -> str:
        """Share of the headline total: every share in the report is of this one total."""
        return self.w.percent(kgco2e / self.total if self.total else None)

    def widest_range(self) -> dict | None:
        """The category whose range is the widest on the chart (the caption names it)."""
        groups = self.s["inventory"]["by_category"]
        if not groups:
            return None
        return max(groups, key=lambda g: g["total_high_kgco2e"] - g["total_low_kgco2e"])

    def equivalences(self) -> str:
        """The headline total in everyday terms, one sentence."""
        w = self.w
        parts = [
            w(
                "headline.equivalence_part",
                value=w.number(e["value"]),
                unit=e[f"unit_{w.lang}"],
                label=e[f"label_{w.lang}"],
                factor=w.number(e["factor_kgco2e"]),
            )
            for e in self.s["equivalences"]
            if e["name"] in PICTURED  # 12 million km of TGV pictures nothing
        ]
        if not parts:
            return ""
        return w("headline.equivalence", total=w.mass(self.total), parts=w("or").join(parts))

    def end_of_life(self, group: dict) -> str:
        """End of life of a category: ``–`` where its factor row has none (not counted, not 0)."""
        if group.get("end_of_life_factor", True):
            return self.w.mass_value(group["end_of_life_kgco2e"])
        return self.w("not_in_table")

    def missing_end_of_life(self) -> bool:
        return any(not g.get("end_of_life_factor", True) for g in self.s["inventory"]["by_category"])

    @staticmethod
    def amortised(group: dict) -> bool:
        """Devices counted whose manufacture counts 0 this year (fully amortised, or not bought
        this year with the flux method): the table marks the 0 and a note says why.
        """
        return group["quantity"] > 0 and group["manufacture_kgco2e"] == 0

    def any_amortised(self, groups: list[dict]) -> bool:
        return any(self.amortised(g) for g in groups)

    def manufacture(self, group: dict) -> str:
        """The manufacture of a group, ``0*`` where it is fully amortised (see :meth:`amortised`)."""
        value = self.w.mass_value(group["manufacture_kgco2e"])
        return f"{value}\u00a0*" if self.amortised(group) else value

    def entities(self) -> list[dict]:
        """The largest departments, named by their path without the part all share, then the rest."""
        groups = self.s["inventory"]["by_entity"]
        names = entity_labels([g["entity"] for g in groups], self.w.unknown())
        rows = [{**g, "name": n} for g, n in zip(groups, names, strict=True)]
        if len(rows) <= ENTITIES_SHOWN:
            return rows
        rest = rows[ENTITIES_SHOWN - 1 :]
        summed = ("quantity", "manufacture_kgco2e", "use_kgco2e", "end_of_life_kgco2e", "consumables_kgco2e")
        other = {k: sum(r.get(k, 0.0) for r in rest) for k in summed}
        totals = ("total_kgco2e", "total_low_kgco2e", "total_high_kgco2e")
        other |= {k: sum(r[k] for r in rest) for k in totals}
        other["name"] = self.w("chart.other_entities", n=len(rest))
        return [*rows[: ENTITIES_SHOWN - 1], other]

    def entities_named_twice(self) -> list[str]:
        """Departments that one file names by their path and another by its end only (« Services
        techniques » and « Ville de … > Services techniques »): shown apart, as the files name them.

        >>> View.suffix_names(["Services techniques", "V > Services techniques", "V > A > Bar", "B > Bar"])
        ['Services techniques']
        """
        return self.suffix_names([g["entity"] for g in self.s["inventory"]["by_entity"]])

    @staticmethod
    def suffix_names(entities: list) -> list[str]:
        paths = [tuple(p.strip() for p in re.split(r"\s+>\s+", str(e))) for e in entities if e is not None]
        suffixes = {path[i:] for path in paths for i in range(1, len(path))}
        return list(dict.fromkeys(" > ".join(path) for path in paths if path in suffixes))

    def ai_phases(self) -> str:
        """AI emissions per group of phases, the groups that have some: ``6,25 kgCO2e d'entraînement…``."""
        totals = {"training": 0.0, "inference": 0.0, "other": 0.0}
        groups = {"training": "training", "fine-tuning": "training", "inference": "inference"}
        for phase in self.s["ai"]["by_phase"]:
            totals[groups.get(phase["phase"], "other")] += phase["total_kgco2e"]
        small = self.w.display(totals.values(), "mass")[0] < 1  # grams below 1 kgCO2e
        mass = (lambda kg: f"{self.w.number(kg * 1000)}\u00a0gCO2e") if small else self.w.small_mass
        parts = [self.w(f"ai.part_{k}", mass=mass(v)) for k, v in totals.items() if v > 0]
        return ", ".join(parts)

    def per_request(self) -> list[str]:
        """Per request, per project; hosted usage rows have their own per-service table
        (``sections/ai_hosted.html.j2``).
        """
        runs = [r for r in self.s["ai"]["runs"] if r.get("source") != "hosted"]
        return per_request_lines(runs, self.w)

    def user_row(self) -> str:
        """What a device row of the user's own factor table is said to be, before its sources."""
        return text("rows.user_factor_row", self.w.lang)

    def user_tables(self) -> list[str]:
        """The user's factor tables and the rows they gave: their figures, not the sources'."""
        used = self.s.get("factors_used") or {}
        tables, rows = used.get("user_tables") or [], used.get("user_rows") or {}
        if not tables:
            return []
        given = "; ".join(f"{name} : {', '.join(keys)}" for name, keys in rows.items() if keys)
        return [text("rows.user_tables", self.w.lang, paths=", ".join(tables), rows=given or "—")]

    def ai_periods(self) -> list[str]:
        """What period the AI figures cover: months of the year, rows of other years, undated rows."""
        return period_sentences((self.s.get("ai") or {}).get("periods"), self.w.lang)

    def hosted_text(self, key: str, /, **values: object) -> str:
        """Entry ``hosted.report.KEY`` of the catalogue (the hosted generative-AI partial)."""
        return typeset(text(f"hosted.report.{key}", self.w.lang, **values), self.w.lang)

    def register_text(self, key: str, /, **values: object) -> str:
        """Entry ``aigov.register.report.KEY`` of the catalogue (the AI register's partial)."""
        return typeset(text(f"aigov.register.report.{key}", self.w.lang, **values), self.w.lang)

    def register_mass(self, footprint: dict) -> str:
        """A system's footprint: ``6,27 kgCO2e (6,27 – 13,7)``, grams below 1 kgCO2e."""
        w, central = self.w, footprint["total_kgco2e"]
        low, high = footprint.get("total_low_kgco2e"), footprint.get("total_high_kgco2e")
        scale, unit = (1000, "gCO2e") if abs(central) < 1 else (1, "kgCO2e")
        shown = f"{w.number(central * scale)}\u00a0{unit}"
        if low is not None and high is not None and high > low:
            shown += f" ({w.number(low * scale)} – {w.number(high * scale)})"
        return shown

    def scope_text(self, key: str, /, **values: object) -> str:
        """Entry ``scope.report.KEY`` of the catalogue (the scope and exclusions partials)."""
        return typeset(text(f"scope.report.{key}", self.w.lang, **values), self.w.lang)

    def scope_lines(self) -> list[str]:
        """The scope's sentences: server room, consumables, services, lifespan rule."""
        from greenit.reporting.scope import scope_lines

        return [typeset(line, self.w.lang) for line in scope_lines(self.s["inventory"], self.w)]

    def headline_scope(self) -> str | None:
        """Under the headline: the toner, services and server room the total holds."""
        from greenit.reporting.scope import headline_scope

        return headline_scope(self.s, self.w)

    def consumables_column(self) -> bool:
        """Whether the tables show a consumables column (printers' toner counted)."""
        return bool(self.s["inventory"]["totals"].get("consumables_kgco2e"))

    def low_confidence_categories(self) -> list[str]:
        """The categories estimated from a low-confidence factor row, by their label."""
        return [self.w.category(g) for g in self.s["inventory"]["by_category"] if g.get("low_confidence")]

    def exclusions(self) -> list[dict]:
        """What is out of scope, each with its order of magnitude and sources (``summary.json``)."""
        return self.s.get("exclusions") or []

    def exclusion_magnitude(self, item: dict) -> str:
        """The order of magnitude of an item out of scope, in words (or why there is none)."""
        w, figures = self.w, item.get("figures") or {}
        kind = item["item"]
        if kind == "paper" and item.get("per_agent_kgco2e") is not None:
            text_ = self.scope_text(
                "magnitude_paper",
                per_agent=w.number(item["per_agent_kgco2e"]),
                reams=w.number(figures.get("reams_per_agent_month")),
                ream=w.number(figures.get("ream_kgco2e")),
            )
            if item.get("kgco2e") is not None:
                agents = w.count(self.s["headline"].get("headcount"))
                text_ += " " + self.scope_text(
                    "magnitude_paper_town", mass=w.mass(item["kgco2e"]), agents=agents
                )
            return text_
        if kind == "services" and figures.get("national_data_centre_share") is not None:
            return self.scope_text("magnitude_services", dc=w.percent(figures["national_data_centre_share"]))
        if kind == "citizens_use" and figures.get("fixed_kgco2e_per_gb") is not None:
            return self.scope_text(
                "magnitude_citizens",
                fixed=w.number(figures["fixed_kgco2e_per_gb"] * 1000),
                mobile=w.number(figures["mobile_kgco2e_per_gb"] * 1000),
            )
        return self.scope_text(f"magnitude_{kind}")

    def history_text(self, key: str, /, **values: object) -> str:
        """Entry ``history.report.KEY`` of the catalogue (the « Évolution » partial)."""
        return typeset(text(f"history.report.{key}", self.w.lang, **values), self.w.lang)

    def print_css(self) -> str:
        """The print's running header (title, year), « page x/y » and footer (greenit's and the
        factors' versions), as CSS strings: Chromium draws them in the page margins.
        """
        from greenit._version import __version__

        def string(value: str) -> str:
            return '"' + re.sub(r'[\\"<>\n]', lambda m: f"\\{ord(m.group(0)):x} ", value) + '"'

        lang = self.w.lang
        header = text("council.print.running_header", lang, title=self.title(), year=self.s["year"])
        footer = text("council.print.footer", lang, version=__version__, factors=self.s["factors_version"])
        page = text("council.print.page", lang)
        font = 'font: 8pt "DejaVu Sans", Arial, sans-serif; color: #5c6670;'
        return (
            f"@page {{ @top-left {{ content: {string(header)}; {font} }} "
            f"@bottom-left {{ content: {string(footer)}; {font} }} "
            f'@bottom-right {{ content: {string(page)} counter(page) "/" counter(pages); {font} }} }}'
        )

    def council(self, key: str, /, **values: object) -> str:
        """Entry ``council.KEY`` of the catalogue (the synthesis and BEGES partials)."""
        return typeset(text(f"council.{key}", self.w.lang, **values), self.w.lang)

    def beges_mass(self, kgco2e: float) -> str:
        """A poste's figure: the document's unit, kilograms under 0.1 t, grams under 1 kg."""
        if 0 < abs(kgco2e) < 1:
            return f"{self.w.number(kgco2e * 1000)}\u00a0gCO2e"
        return self.w.mass_change(kgco2e)

    def beges_sum(self, key: str) -> float:
        """The BEGES postes added up (``kgco2e``, ``low_kgco2e`` or ``high_kgco2e``): the total."""
        return sum(p[key] for p in self.s["beges"]["postes"])

    def signed_mass(self, kgco2e: float) -> str:
        """A difference with its sign: ``+1,22`` above a target, ``−0,3`` below it."""
        sign = "+" if kgco2e > 0 else "−" if kgco2e < 0 else ""
        return f"{sign}{self.w.mass_value(abs(kgco2e))}"

    def flagged_rows(self) -> list[dict]:
        return self.s["inventory"]["flagged"][:FLAGGED_SHOWN]

    def typeset(self, text: str) -> str:
        """A message of the summary (a flag reason) with the language's non-breaking spaces."""
        return typeset(str(text), self.w.lang)

    @staticmethod
    def file_name(path: str) -> str:
        return Path(str(path)).name

    def levers_without_effect(self) -> bool:
        return any(
            r.get("alone_change_kgco2e") == 0 and r.get("step_kgco2e") == 0 for r in self.s["scenarios"][1:]
        )

    def levers_total(self) -> float:
        return self.s["scenarios"][0]["total_kgco2e"] if self.s["scenarios"] else self.total
