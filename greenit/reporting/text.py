"""Words and numbers of every rendered output, in one language: the catalogue and Babel.

:class:`Words` is bound to a language and to the unit of a report (tonnes from 10 tCO2e,
kilograms below), so the console, the charts, the XLSX and the HTML report write the same
figure the same way: at most three significant digits, the locale's separators, ``non
renseigné`` where a value is unknown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from greenit.i18n import text
from greenit.i18n.formats import (
    ENERGY_UNITS,
    MASS_UNITS,
    display_unit,
    format_date,
    format_number,
    format_percent,
)

TONNES_FROM_KG = 10_000.0


def round_significant(value: float, digits: int = 3) -> float:
    """``value`` rounded to ``digits`` significant digits: 127 925 → 128 000, 6.253 → 6.25.

    >>> round_significant(127925), round_significant(0.008851)
    (128000.0, 0.00885)
    """
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def tr(key: str, lang: str, /, **values: object) -> str:
    """Entry ``reporting.KEY`` of the catalogue, in ``lang``."""
    return text(f"reporting.{key}", lang, **values)


_FRENCH_SPACES = (
    ("« ", "«\u00a0"),
    (" »", "\u00a0»"),
    (" :", "\u00a0:"),
    (" ;", "\u202f;"),
    (" ?", "\u202f?"),
    (" !", "\u202f!"),
)


def typeset(text: str, lang: str) -> str:
    r"""French typography: no line break inside « » or before : ; ? ! (non-breaking spaces).

    >>> typeset("statut « Réemploi » : oui", "fr")
    'statut «\xa0Réemploi\xa0»\xa0: oui'
    """
    if lang != "fr":
        return text
    for plain, fixed in _FRENCH_SPACES:
        text = text.replace(plain, fixed)
    return text


@dataclass(frozen=True)
class Words:
    """Formatting of one output: language and mass unit."""

    lang: str = "fr"
    tonnes: bool = False
    nonbreaking: bool = False  # French non-breaking spaces (HTML, where lines wrap)

    @classmethod
    def for_total(cls, lang: str, total_kgco2e: float, nonbreaking: bool = False) -> Words:
        """Tonnes when the total reaches 10 tCO2e, kilograms below (one unit in a whole document)."""
        _, unit = display_unit([total_kgco2e or 0.0], MASS_UNITS[1:], reaching=TONNES_FROM_KG / 1000)
        return cls(lang, unit == "tCO2e", nonbreaking)

    def __call__(self, key: str, /, **values: object) -> str:
        text = tr(key, self.lang, **values)
        return typeset(text, self.lang) if self.nonbreaking else text

    def scope(self, key: str, /, **values: object) -> str:
        """Entry ``scope.KEY`` of the catalogue (the scope of a footprint: room, services…)."""
        sentence = text(f"scope.{key}", self.lang, **values)
        return typeset(sentence, self.lang) if self.nonbreaking else sentence

    @property
    def unit(self) -> str:
        return "tCO2e" if self.tonnes else "kgCO2e"

    @property
    def unit_per_year(self) -> str:
        return self("unit.per_year", unit=self.unit)

    def unknown(self) -> str:
        return self("unknown")

    def number(self, value: float | None, exact: bool = False) -> str:
        """A figure with at most three significant digits (``exact``: a count, every digit)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self.unknown()
        if exact:
            return format_number(value, self.lang, 0 if float(value).is_integer() else None)
        return format_number(round_significant(float(value)), self.lang)

    def mass_value(self, kgco2e: float | None) -> str:
        """A mass in the document's unit, without the unit."""
        if kgco2e is None:
            return self.unknown()
        return self.number(kgco2e / 1000 if self.tonnes else kgco2e)

    def mass(self, kgco2e: float | None) -> str:
        """A mass with its unit: ``33,4 tCO2e``."""
        if kgco2e is None:
            return self.unknown()
        return f"{self.mass_value(kgco2e)}\u00a0{self.unit}"

    def mass_change(self, kgco2e: float | None) -> str:
        r"""A difference with its unit: in kilograms when it is under 0.1 t in a tonnes document
        (``−3,74 kgCO2e``, not ``−0,00374 tCO2e``).

        >>> Words("fr", tonnes=True).mass_change(-3.74), Words("fr", tonnes=True).mass_change(-7840.0)
        ('−3,74\xa0kgCO2e', '−7,84\xa0tCO2e')
        """
        if (
            kgco2e is not None
            and self.tonnes
            and display_unit([kgco2e], MASS_UNITS[1:], reaching=0.1)[0] < 1000
        ):
            return self.small_mass(kgco2e)
        return self.mass(kgco2e)

    def mass_range(self, low: float, high: float) -> str:
        return f"{self.mass_value(low)} – {self.mass_value(high)}\u00a0{self.unit}"

    def small_mass(self, kgco2e: float | None) -> str:
        """A mass in kilograms whatever the document's unit (AI runs, per agent)."""
        if kgco2e is None:
            return self.unknown()
        return f"{self.number(kgco2e)}\u00a0kgCO2e"

    def display(self, values, kind: str) -> tuple[float, str]:
        """The unit AI figures are shown in (``kind``: ``energy`` or ``mass``): Wh and gCO2e when
        every figure is below 1 kWh or 1 kgCO2e, so a table never reads « 0,0000397 »
        (:func:`greenit.i18n.formats.display_unit`).
        """
        return display_unit(values, (ENERGY_UNITS if kind == "energy" else MASS_UNITS)[:2])

    def percent(self, share: float | None) -> str:
        r"""A share (0–1) as the locale writes it (``30 %`` / ``30%``); unknown → ``non renseigné``.

        One rule everywhere: whole percents from 10 %, one decimal below; a share strictly
        between 0 and 1 never reads 0 % or 100 %: ``< 0,1 %`` and ``> 99,9 %`` instead.

        >>> w = Words("fr")
        >>> [w.percent(s) for s in (0.25, 0.0123, 0.0002, 0.00004, 0.9987, 0.99999)]
        ['25\u202f%', '1,2\u202f%', '<\xa00,1\u202f%', '<\xa00,1\u202f%', '99,9\u202f%', '>\xa099,9\u202f%']
        """
        if share is None or (isinstance(share, float) and math.isnan(share)):
            return self.unknown()
        text = format_percent(share, self.lang)
        if 0 < share < 1:  # never a misleading 0 % or 100 % for a share strictly between
            if _number_part(text) == "100":
                text = format_percent(share, self.lang, 1)
            bound = {"0": ("<", 0.001), "100": (">", 0.999)}.get(_number_part(text))
            if bound:
                text = f"{bound[0]}\u00a0{format_percent(bound[1], self.lang, 1)}"
        return text

    def date(self, value) -> str:
        """A date (or ISO text, as in summary.json) as the locale writes it: ``26 novembre 2026``."""
        import datetime as _dt

        if isinstance(value, str):
            value = _dt.date.fromisoformat(value)
        return format_date(value, self.lang)

    def count(self, value: float | None) -> str:
        return self.number(value, exact=True)

    def category(self, group: dict) -> str:
        """A category by its label (``Ordinateur portable``), never its code."""
        if group.get("category") is None:
            return self.unknown()
        return str(group.get("label") or group["category"])

    def phase(self, phase: str | None) -> str:
        if phase is None:
            return self.unknown()
        known = ("training", "fine-tuning", "inference", "evaluation", "other")
        return self(f"phase.{phase}") if phase in known else str(phase)

    def quoted(self, names: list[str]) -> str:
        """Names quoted as the language does: ``« A », « B »`` / ``'A', 'B'``."""
        if self.lang == "fr":
            return ", ".join(f"«\u00a0{n}\u00a0»" for n in names)
        return ", ".join(f"'{n}'" for n in names)

    def text_or_unknown(self, value: object) -> str:
        return self.unknown() if value is None or value == "" else str(value)


def _number_part(percent: str) -> str:
    """``'0,00 %'`` → ``'0'``; ``'100,0%'`` → ``'100'``: the value without trailing zeros."""
    digits = percent.replace("\u202f", "").replace("%", "").replace(",", ".").strip()
    try:
        value = float(digits.replace("\u2212", "-"))
    except ValueError:
        return digits
    return "0" if value == 0 else "100" if value == 100 else digits


def per_request_lines(runs: list[dict], w: Words) -> list[str]:
    """Energy and emissions per request of each project that served requests, its runs taken
    together (a hosted service logged month by month is one line, named by its project).
    """
    projects: dict = {}
    for run in runs:
        if run.get("requests") and run.get("energy_kwh") is not None:
            entry = projects.setdefault(run["project"], {"runs": [], "wh": 0.0, "g": 0.0, "requests": 0.0})
            entry["runs"].append(run["run_id"])
            entry["wh"] += 1000 * run["energy_kwh"]
            entry["g"] += 1000 * run["total_kgco2e"]
            entry["requests"] += run["requests"]
    lines = []
    for project, e in projects.items():
        one = len(e["runs"]) == 1
        lines.append(
            w(
                "ai.per_request",
                project=w.text_or_unknown(project),
                runs=w("ai.run_named", run=e["runs"][0])
                if one
                else w("ai.runs_count", n=w.count(len(e["runs"]))),
                wh=w.number(e["wh"] / e["requests"]),
                g=w.number(e["g"] / e["requests"]),
                requests=w.count(e["requests"]),
            )
        )
    return lines
