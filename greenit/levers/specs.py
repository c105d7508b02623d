"""Lever specifications as users type them (``lifespan+2:laptop``, ``refurbished=30%``) → Lever."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from greenit.errors import GreenitError
from greenit.i18n import get_language, msg, render_value
from greenit.i18n.formats import Number, format_number, format_percent

#: What each lever acts on: the equipment of the inventory (``inventory``), self-hosted AI runs
#: (``ai_runs``) or hosted generative AI (``hosted``); it leaves the others as they are.
SCOPES = {
    "lifespan": "inventory",
    "refurbished": "inventory",
    "reuse": "inventory",
    "grid": "inventory",  # the equipment's electricity; AI runs keep their own place's factor
    "pue": "ai_runs",
    "region": "ai_runs",
    "request_energy": "ai_runs",
    "model": "hosted",
    "requests": "hosted",
}


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
class Lever:
    """One lever: its kind, its value and the categories (or, for hosted AI, the services) it
    applies to (empty = its default); what it acts on is its :attr:`scope`.
    """

    kind: str
    value: float = 0.0
    text: str = ""
    categories: tuple[str, ...] = field(default_factory=tuple)
    spec: str = field(default="", compare=False)  # as the user typed it
    #: ``grid=32 g/kWh @ 0,19 €/kWh``: the price of a kWh under the lever [€ excl. VAT], if given
    price_eur_per_kwh: float | None = None

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
        if self.kind == "grid" and self.price_eur_per_kwh is not None:
            price = Number(self.price_eur_per_kwh, significant=4)
            return msg("money.lever.grid_priced", value=Number(self.value * 1000), price=price)
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
    def scope(self) -> str:
        """What the lever acts on: ``inventory``, ``ai_runs`` or ``hosted`` (:data:`SCOPES`)."""
        return SCOPES[self.kind]

    @property
    def on_ai(self) -> bool:
        return self.scope != "inventory"


_SPEC = re.compile(r"^\s*((?:[^\W\d]|-)+)\s*([+=-])\s*([^:]+?)\s*(?::\s*(.+))?$", re.IGNORECASE)


def parse_lever(spec: str, resolve_category: Callable[[str], str] | None = None) -> Lever:
    """``"lifespan+2:laptop,desktop"``, ``"refurbished=30%"``, ``"grid=57 g/kWh"`` → Lever.

    ``resolve_category`` turns each device category a user names (``portables``, ``Écrans``,
    ``laptops``) into its key, or raises GreenitError with suggestions
    (:func:`parse_levers` gives it); without it the names are kept
    as typed. The scope of hosted-AI levers (``model=``, ``requests=``) names services: kept.
    """
    from dataclasses import replace

    lever = _parse(spec)
    if resolve_category is not None and lever.kind in ("lifespan", "refurbished"):
        lever = replace(lever, categories=tuple(dict.fromkeys(resolve_category(c) for c in lever.categories)))
    return replace(lever, spec=spec.strip())


@dataclass(frozen=True)
class _Spec:
    """A lever as typed, split: ``lifespan+2:laptop`` → name, sign, value, categories."""

    text: str
    name: str
    sign: str
    value: str
    categories: tuple[str, ...]

    def number(self) -> float:
        """The value as a number (``30%`` → 0.3), signed by ``+``/``-`` when the lever is a change."""
        from greenit.parsing.units import parse_number

        text = self.value.strip()
        try:
            return parse_number(text[:-1]) / 100 if text.endswith("%") else parse_number(text)
        except ValueError:
            raise GreenitError.of("parsing.lever.not_a_number", spec=self.text, value=text) from None

    def change(self) -> float:
        return self.number() * (-1 if self.sign == "-" else 1)

    def share(self) -> float:
        """A share of 0–100 %: ``reuse=50`` (no %) is 5,000 %, refused rather than a silent 100 %."""
        share = self.number()
        if not 0 <= share <= 1:
            raise GreenitError.of("parsing.lever.share_range", spec=self.text)
        return share


def _grid(spec: _Spec) -> Lever:
    """``grid=32 g/kWh``, or with the price of that electricity: ``grid=32 g/kWh @ 0,19 €/kWh``."""
    from greenit.parsing.money import PriceError, parse_electricity_price
    from greenit.parsing.units import UnitError, parse_carbon_intensity

    intensity, _, price_text = spec.value.partition("@")
    try:
        value = parse_carbon_intensity(intensity.strip(), f"--scenario {spec.text}")
    except UnitError as exc:
        raise GreenitError(exc.message, msg("parsing.lever.grid_needs_intensity", spec=spec.text)) from None
    if not price_text.strip():
        return Lever("grid", value)
    try:
        price, basis = parse_electricity_price(price_text.strip(), f"--scenario {spec.text}")
    except PriceError as exc:
        raise GreenitError(exc.message) from None
    if basis == "ttc":
        raise GreenitError.of("money.lever.grid_price_ttc", spec=spec.text)
    return Lever("grid", value, price_eur_per_kwh=price)


def _requests(spec: _Spec) -> Lever:
    change = spec.change()
    if change < -1:
        raise GreenitError.of("parsing.lever.share_range", spec=spec.text)
    return Lever("requests", change, categories=spec.categories)


#: Each lever, by every name it is typed with (French and English), and how its value reads.
_LEVERS: dict[str, Callable[[_Spec], Lever]] = {
    "lifespan": lambda s: Lever("lifespan", s.change(), categories=s.categories),
    "refurbished": lambda s: Lever("refurbished", s.share(), categories=s.categories),
    "reuse": lambda s: Lever("reuse", s.share()),
    "grid": _grid,
    "pue": lambda s: Lever("pue", s.number()),
    "region": lambda s: Lever("region", text=s.value.strip()),
    "request_energy": lambda s: Lever("request_energy", s.change()),
    # hosted generative AI: a (smaller) model, fewer requests, for some services
    "model": lambda s: Lever("model", text=s.value.strip(), categories=s.categories),
    "requests": _requests,
}
_SYNONYMS = {
    "duree_de_vie": "lifespan",
    "reconditionne": "refurbished",
    "reemploi": "reuse",
    "electricite": "grid",
    "location": "region",
    "energy_per_request": "request_energy",
    "modele": "model",
    "requetes": "requests",
}


def _plain(name: str) -> str:
    """``name`` without its accents: « réemploi » → « reemploi ».

    >>> _plain("Durée_de_vie"), _plain("reconditionné")
    ('Duree_de_vie', 'reconditionne')
    """
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _parse(spec: str) -> Lever:
    if len(spec) > 500:
        raise GreenitError.of("parsing.lever.not_understood", "parsing.lever.examples", spec=spec[:60] + "…")
    match = _SPEC.match(spec)
    if not match:
        raise GreenitError.of("parsing.lever.not_understood", "parsing.lever.examples", spec=spec)
    name, sign, value_text, scope = match.groups()
    name = _plain(name).lower().replace("-", "_")  # « durée-de-vie », « réemploi » as typed
    name = _SYNONYMS.get(name, name)
    categories = tuple(c.strip() for c in scope.split(",") if c.strip()) if scope else ()
    lever = _LEVERS.get(name)
    if lever is None:
        raise GreenitError.of("parsing.lever.unknown", "parsing.lever.known", spec=spec, name=name)
    return lever(_Spec(spec, name, sign, value_text, categories))


#: The former names (greenit first called a lever a scenario), kept for notebooks that use them.
Scenario = Lever
parse_scenario = parse_lever


def parse_levers(levers, factors=None) -> list[Lever]:
    """Levers as typed (``"lifespan+2:portables"``) → Scenarios; a Lever is kept as it is.

    ``levers`` is one spec or a list of specs and Scenarios. The device categories a spec names,
    in French or English, are checked against ``factors`` (a FactorSet, or a folder/CSV laid over
    the packaged tables): an unknown one is a GreenitError with the closest names, never a lever
    that silently changes nothing.
    """
    from greenit.factors import FactorSet, load_factors
    from greenit.inventory.resolve import check_category_name

    if levers is None:
        return []
    levers = [levers] if isinstance(levers, (str, Lever)) else list(levers)
    if not all(isinstance(lever, Lever) for lever in levers):
        factors = factors if isinstance(factors, FactorSet) else load_factors(factors)

    def parsed(spec: str) -> Lever:
        option = f"--scenario {spec}"
        lever = parse_lever(
            spec, resolve_category=lambda name: check_category_name(name, factors, option=option)
        )
        if lever.kind == "lifespan":
            check_lifespan_lever(lever, factors)
        return lever

    return [lever if isinstance(lever, Lever) else parsed(lever) for lever in levers]


def check_lifespan_lever(lever: Lever, factors) -> None:
    """A GreenitError when ``lifespan±N`` gives a category in its scope a lifespan outside its
    plausible range (plausibility.csv, as a file's lifespan is checked): « lifespan+200 » is no
    policy, « lifespan-10 » would make laptops last −5 years.
    """
    import numpy as np
    import pandas as pd

    from greenit.factors.plausible import bounds, category_names, outside

    devices = factors.table("devices")
    keys = pd.Series(list(lever.categories) or list(devices.index))
    span = bounds(factors, "lifespan", keys)
    lifespans = devices["lifespan_years"].reindex(keys).to_numpy(dtype=float) + float(lever.value)
    beyond = outside(lifespans, span)
    if beyond.any():
        first = int(np.flatnonzero(beyond)[0])
        raise GreenitError.of(
            "parsing.lever.lifespan_range",
            spec=lever.spec or "",
            category=category_names(factors).get(str(keys.iloc[first]), str(keys.iloc[first])),
            years=float(lifespans[first]),
            low=float(span.low[first]),
            high=float(span.high[first]),
        )
