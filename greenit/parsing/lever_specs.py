"""Lever specifications as users type them (``lifespan+2:laptop``, ``refurbished=30%``) → Scenario."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from greenit.errors import GreenitError
from greenit.i18n import get_language, msg, render_value
from greenit.i18n.formats import Number, format_number, format_percent

AI_KINDS = {"pue", "region", "request_energy", "model", "requests"}


class _Signed:
    """A lever's value shown with its sign, in the reader's language: ``+2``, ``−30 %``."""

    __slots__ = ("value", "percent")

    def __init__(self, value: float, percent: bool = False) -> None:
        self.value, self.percent = value, percent

    def render(self, lang: str | None = None) -> str:
        lang = lang or get_language()
        text = format_percent(abs(self.value), lang) if self.percent else format_number(abs(self.value), lang)
        return ("+" if self.value >= 0 else "\u2212") + text


class _Share:
    """A share shown as a percentage in the reader's language (``30 %`` / ``30%``)."""

    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        self.value = value

    def render(self, lang: str | None = None) -> str:
        return format_percent(self.value, lang or get_language())


class _Scope:
    """The categories a lever is limited to, by their labels: `` (Écran, Unité centrale)`` or ''."""

    __slots__ = ("categories", "labels")

    def __init__(self, categories: tuple[str, ...], labels) -> None:
        self.categories, self.labels = categories, labels

    def render(self, lang: str | None = None) -> str:
        if not self.categories:
            return ""
        names = [render_value(self.labels.get(c, c), lang or get_language()) for c in self.categories]
        return f" ({', '.join(names)})"


@dataclass(frozen=True)
class Scenario:
    """One lever: its kind, its value and the categories it applies to (empty = default)."""

    kind: str
    value: float = 0.0
    text: str = ""
    categories: tuple[str, ...] = field(default_factory=tuple)
    spec: str = field(default="", compare=False)  # as the user typed it

    def message(self, category_labels=None):
        """The lever's label, a catalogue message (``Durée de vie +2 ans (Écran)``).

        ``category_labels`` maps category codes to renderable labels for the scope.
        """
        scope = _Scope(self.categories, category_labels or {})
        if self.kind == "lifespan":
            plural = "one" if abs(self.value) < 2 else "other"
            return msg(f"results.lever.lifespan_{plural}", value=_Signed(self.value), scope=scope)
        if self.kind in ("refurbished", "reuse"):
            return msg(f"results.lever.{self.kind}", share=_Share(self.value), scope=scope)
        if self.kind == "grid":
            return msg("results.lever.grid", value=Number(self.value * 1000))
        if self.kind == "pue":
            return msg("results.lever.pue", value=Number(self.value))
        if self.kind == "region":
            return msg("results.lever.region", region=self.text)
        if self.kind == "model":  # hosted generative AI: a (smaller) model, for some services
            return msg("results.lever.model", model=self.text, scope=scope)
        if self.kind == "requests":
            return msg("results.lever.requests", change=_Signed(self.value, percent=True), scope=scope)
        return msg("results.lever.request_energy", change=_Signed(self.value, percent=True))

    def label(self, lang: str = "fr") -> str:
        return self.message().render(lang)

    @property
    def on_ai(self) -> bool:
        return self.kind in AI_KINDS


_SPEC = re.compile(r"^\s*([a-z_-]+)\s*([+=-])\s*([^:]+?)\s*(?::\s*(.+))?$", re.IGNORECASE)


def parse_scenario(spec: str, resolve_category: Callable[[str], str] | None = None) -> Scenario:
    """``"lifespan+2:laptop,desktop"``, ``"refurbished=30%"``, ``"grid=57 g/kWh"`` → Scenario.

    ``resolve_category`` turns each device category a user names (``portables``, ``Écrans``,
    ``laptops``) into its key, or raises GreenitError with suggestions
    (:func:`greenit.inventory.resolve.parse_levers` gives it); without it the names are kept
    as typed. The scope of hosted-AI levers (``model=``, ``requests=``) names services: kept.
    """
    from dataclasses import replace

    scenario = _parse(spec)
    if resolve_category is not None and scenario.kind in ("lifespan", "refurbished"):
        scenario = replace(
            scenario, categories=tuple(dict.fromkeys(resolve_category(c) for c in scenario.categories))
        )
    return replace(scenario, spec=spec.strip())


def _parse(spec: str) -> Scenario:
    from greenit.parsing.units import UnitError, parse_carbon_intensity, parse_number

    if len(spec) > 500:
        raise GreenitError.of("parsing.lever.not_understood", "parsing.lever.examples", spec=spec[:60] + "…")
    match = _SPEC.match(spec)
    if not match:
        raise GreenitError.of("parsing.lever.not_understood", "parsing.lever.examples", spec=spec)
    name, sign, value_text, scope = match.groups()
    name = name.lower().replace("-", "_")
    categories = tuple(c.strip() for c in scope.split(",") if c.strip()) if scope else ()

    def number(text: str) -> float:
        text = text.strip()
        try:
            if text.endswith("%"):
                return parse_number(text[:-1]) / 100
            return parse_number(text)
        except ValueError:
            raise GreenitError.of("parsing.lever.not_a_number", spec=spec, value=text) from None

    if name in ("lifespan", "duree_de_vie"):
        years = number(value_text) * (-1 if sign == "-" else 1)
        return Scenario("lifespan", years, categories=categories)
    if name in ("refurbished", "reconditionne"):
        share = number(value_text)
        if not 0 <= share <= 1:
            raise GreenitError.of("parsing.lever.share_range", spec=spec)
        return Scenario("refurbished", share, categories=categories)
    if name in ("reuse", "reemploi"):
        share = number(value_text)
        if not 0 <= share <= 1:  # reuse=50 (no %) is 5,000 %, not a silent 100 %
            raise GreenitError.of("parsing.lever.share_range", spec=spec)
        return Scenario("reuse", share)
    if name in ("grid", "electricite"):
        try:
            return Scenario("grid", parse_carbon_intensity(value_text, f"--scenario {spec}"))
        except UnitError as exc:
            raise GreenitError(exc.message, msg("parsing.lever.grid_needs_intensity", spec=spec)) from None
    if name == "pue":
        return Scenario("pue", number(value_text))
    if name in ("region", "location"):
        return Scenario("region", text=value_text.strip())
    if name in ("request_energy", "energy_per_request"):
        change = number(value_text) * (-1 if sign == "-" else 1)
        return Scenario("request_energy", change)
    if name in ("model", "modele"):  # hosted generative AI: a (smaller) model, for some services
        return Scenario("model", text=value_text.strip(), categories=categories)
    if name in ("requests", "requetes"):
        change = number(value_text) * (-1 if sign == "-" else 1)
        if change < -1:
            raise GreenitError.of("parsing.lever.share_range", spec=spec)
        return Scenario("requests", change, categories=categories)
    raise GreenitError.of("parsing.lever.unknown", "parsing.lever.known", spec=spec, name=name)
