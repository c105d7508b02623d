"""Lever specifications as users type them (``lifespan+2:laptop``, ``refurbished=30%``) → Scenario."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from greenit.errors import GreenitError

LABELS = {
    "lifespan": {"fr": "Durée de vie +{value:g} an(s){scope}", "en": "Lifespan +{value:g} yr{scope}"},
    "refurbished": {
        "fr": "{value:.0%} d'achats reconditionnés{scope}",
        "en": "{value:.0%} refurbished purchases{scope}",
    },
    "reuse": {
        "fr": "Réemploi de {value:.0%} du matériel réformé",
        "en": "Reuse of {value:.0%} of retired equipment",
    },
    "grid": {"fr": "Électricité à {value_g:g} gCO2e/kWh", "en": "Electricity at {value_g:g} gCO2e/kWh"},
    "pue": {"fr": "PUE {value:g} pour l'IA", "en": "AI PUE {value:g}"},
    "region": {"fr": "IA hébergée en {text}", "en": "AI hosted in {text}"},
    "request_energy": {"fr": "Énergie par requête {value:+.0%}", "en": "Energy per request {value:+.0%}"},
    "model": {"fr": "Modèle {text}{scope}", "en": "Model {text}{scope}"},
    "requests": {
        "fr": "Requêtes d'IA générative {value:+.0%}{scope}",
        "en": "Generative-AI requests {value:+.0%}{scope}",
    },
}
AI_KINDS = {"pue", "region", "request_energy", "model", "requests"}


@dataclass(frozen=True)
class Scenario:
    """One lever: its kind, its value and the categories it applies to (empty = default)."""

    kind: str
    value: float = 0.0
    text: str = ""
    categories: tuple[str, ...] = field(default_factory=tuple)

    def label(self, lang: str = "fr") -> str:
        scope = f" ({', '.join(self.categories)})" if self.categories else ""
        return LABELS[self.kind][lang].format(
            value=self.value, value_g=self.value * 1000, text=self.text, scope=scope
        )

    @property
    def on_ai(self) -> bool:
        return self.kind in AI_KINDS


_SPEC = re.compile(r"^\s*([a-z_-]+)\s*([+=-])\s*([^:]+?)\s*(?::\s*(.+))?$", re.IGNORECASE)


def parse_scenario(spec: str) -> Scenario:
    """``"lifespan+2:laptop,desktop"``, ``"refurbished=30%"``, ``"grid=57 g/kWh"`` → Scenario."""
    from greenit.parsing.units import conversion_factor, parse_number

    match = _SPEC.match(spec)
    if not match:
        raise GreenitError.of("parsing.lever.not_understood", "parsing.lever.examples", spec=spec)
    name, sign, value_text, scope = match.groups()
    name = name.lower().replace("-", "_")
    categories = tuple(c.strip() for c in scope.split(",")) if scope else ()

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
        return Scenario("reuse", min(max(number(value_text), 0.0), 1.0))
    if name in ("grid", "electricite"):
        parts = re.match(r"^([\d\s.,]+)\s*(.*)$", value_text)
        if not parts:
            raise GreenitError.of("parsing.lever.grid_needs_intensity", spec=spec)
        unit = parts.group(2) or "g/kWh"
        return Scenario("grid", number(parts.group(1)) * conversion_factor(unit, "kg/kWh"))
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
