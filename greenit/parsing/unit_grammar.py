"""How people spell a unit, in a header or in a cell: one grammar for both pipelines.

A unit may come with its little words and a multiplier: ``(en kW)``, ``en MWh``, ``kWh/an``,
``kWh par an``, ``(milliers)``, ``(en millions)``, ``(thousands)``, ``(kTok)``, ``(Mtok)``,
``M jetons``, ``milliers de kWh``, ``x1000``. :func:`read_unit` splits such a spelling into a
pure *scale* (k, milliers, M, millions, Md…) and the *unit* that pint reads
(:mod:`greenit.parsing.units`), the empty unit being a plain count (tokens, requests, devices).
:func:`header_unit_split` finds the unit a header carries — in brackets (``Puissance (kW)``,
``[kW]``, ``(en kW)``), after *en*/*in* (``Puissance en kW``, ``Durée de vie en mois``) or as a
trailing symbol (``Conso kWh/an``, ``Jetons kTok``) — so every reader takes the same ones.

Words are compared folded (case and accents ignored); symbols keep their case where it
matters to pint (``mW`` is not ``MW``). No pint here: the grammar is cheap enough to run on
every header of a file before a unit is converted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from greenit.parsing.text import fold

#: Multipliers written as words or symbols (folded): a count of thousands, millions, billions.
MULTIPLIERS: dict[str, float] = {
    "k": 1e3,
    "kilo": 1e3,
    "mille": 1e3,
    "millier": 1e3,
    "milliers": 1e3,
    "thousand": 1e3,
    "thousands": 1e3,
    "m": 1e6,
    "mio": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "md": 1e9,
    "mds": 1e9,
    "mrd": 1e9,
    "milliard": 1e9,
    "milliards": 1e9,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "billions": 1e9,
}
#: What a count counts: said, and read as no unit at all (``jetons``, ``tokens``, ``requêtes``).
COUNT_WORDS = frozenset(
    {"tok", "toks", "token", "tokens", "jeton", "jetons", "requete", "requetes", "request", "requests"}
    | {"req", "appel", "appels", "call", "calls", "unite", "unites", "unit", "units", "nb", "nombre"}
)
#: Symbols and words that are units of their own (folded), enough to tell a unit after *en*.
UNIT_WORDS = frozenset(
    {"w", "kw", "mw", "gw", "wh", "kwh", "mwh", "gwh", "twh", "va", "kva"}
    | {"watt", "watts", "kilowatt", "kilowatts", "milliwatt", "milliwatts", "megawatt", "megawatts"}
    | {"kilowattheure", "kilowattheures", "wattheure", "wattheures", "kilowatthour", "kilowatthours"}
    | {"h", "heure", "heures", "hour", "hours", "hr", "hrs", "min", "minute", "minutes", "mn"}
    | {"s", "sec", "seconde", "secondes", "second", "seconds", "ms", "milliseconde", "millisecondes"}
    | {"j", "jour", "jours", "day", "days", "semaine", "semaines", "week", "weeks"}
    | {"mois", "month", "months", "an", "ans", "annee", "annees", "year", "years", "yr"}
    | {"g", "kg", "t", "tonne", "tonnes", "gco2e", "kgco2e", "tco2e", "gco2", "kgco2", "tco2"}
    | {"go", "gb", "to", "tb", "mo", "mb", "gio", "gib", "ko", "kb"}
    | {"eur", "euro", "euros", "keur"}
)
_PER = re.compile(r"\s*(?:/|\bpar\b|\bper\b)\s*", re.IGNORECASE)
_INTRO = re.compile(r"^(?:en|in|exprime en|exprimee en|expressed in)\s+", re.IGNORECASE)
_OF = re.compile(r"^(?:de|d'|d’|of)\s*", re.IGNORECASE)
_TIMES = re.compile(r"^[x×*]\s*(1(?:[\s\u00a0.,']?000)+)$")
_GLUED_COUNT = re.compile(r"^(k|m|g|b|md)[\s-]?(tok|toks|tokens?|jetons?|req|requetes?|requests?)$")
_GLUED_SCALE = {"k": 1e3, "m": 1e6, "g": 1e9, "b": 1e9, "md": 1e9}


@dataclass(frozen=True)
class Spelling:
    """A unit as written: a pure ``scale`` and the ``unit`` pint reads ("" for a plain count)."""

    scale: float
    unit: str
    text: str

    @property
    def is_count(self) -> bool:
        return self.unit == ""


@lru_cache(maxsize=4096)
def read_unit(text: str) -> Spelling:
    """A unit spelling → its scale and the unit left for pint.

    >>> read_unit("en milliers"), read_unit("Mtok").scale, read_unit("kWh par an").unit
    (Spelling(scale=1000.0, unit='', text='en milliers'), 1000000.0, 'kWh/an')
    >>> read_unit("millions de jetons").scale, read_unit("milliers de kWh"), read_unit("x 1 000").scale
    (1000000.0, Spelling(scale=1000.0, unit='kWh', text='milliers de kWh'), 1000.0)
    """
    raw = " ".join(str(text).replace("\u00a0", " ").replace("\u202f", " ").split())
    body = _INTRO.sub("", raw)
    times = _TIMES.match(body)
    if times:
        return Spelling(float(re.sub(r"\D", "", times.group(1))), "", raw)
    folded = fold(body)
    words = folded.split()
    if not words:
        return Spelling(1.0, body.strip(), raw)  # « % », « € »: symbols only pint reads
    if all(w in COUNT_WORDS or w in ("de", "d", "of") for w in words):
        return Spelling(1.0, "", raw)  # « jetons », « nombre de requêtes »
    glued = _GLUED_COUNT.match(folded.replace(" ", ""))
    if glued:
        return Spelling(_GLUED_SCALE[glued.group(1)], "", raw)
    if words[0] in MULTIPLIERS and _multiplier_word(body, words[0]):
        rest = _OF.sub("", body.split(None, 1)[1].strip()) if len(body.split(None, 1)) > 1 else ""
        if not rest or all(w in COUNT_WORDS or w in ("de", "d", "of") for w in fold(rest).split()):
            return Spelling(MULTIPLIERS[words[0]], "", raw)
        inner = read_unit(rest)
        return Spelling(MULTIPLIERS[words[0]] * inner.scale, inner.unit, raw)
    return Spelling(1.0, _per(body), raw)


def _multiplier_word(body: str, word: str) -> bool:
    """Whether the first word is the multiplier itself (``M``, ``milliers``), not a unit (``mW``)."""
    first = body.split(None, 1)[0]
    return re.fullmatch(r"[^\W\d_]+\.?", first) is not None and fold(first) == word


def _per(body: str) -> str:
    """``kWh par an`` → ``kWh/an``; ``h / j`` → ``h/j`` (pint reads the slash)."""
    parts = [p for p in _PER.split(body) if p]
    return "/".join(parts) if len(parts) > 1 else body.strip()


def is_unit_word(text: str) -> bool:
    """Whether ``text`` is plainly a unit (``kW``, ``mois``, ``kWh/an``, ``milliers``, ``kTok``),
    by the grammar alone: what may follow *en* at the end of a header.

    >>> is_unit_word("kW"), is_unit_word("mois"), is_unit_word("service"), is_unit_word("kWh/an")
    (True, True, False, True)
    """
    spelling = read_unit(text)
    if spelling.unit.strip() in ("%", "€"):
        return True
    if spelling.is_count:
        folded = fold(spelling.text)
        return bool(folded) and folded not in ("de", "of") and (spelling.scale != 1.0 or _counts_only(folded))
    pieces = [fold(p) for p in re.split(r"[/*·]|\s+", spelling.unit) if p.strip()]
    return bool(pieces) and all(p.replace(" ", "") in UNIT_WORDS or p in MULTIPLIERS for p in pieces)


def _counts_only(folded: str) -> bool:
    return all(w in COUNT_WORDS for w in folded.split()) and folded not in ("nb", "nombre", "unit", "units")


#: A trailing symbol a header may end with, without brackets nor *en* (case kept: ``kW``).
_TRAILING_SYMBOL = re.compile(
    r"^(?:[kMG]?W|[kMGT]?Wh|[kMGT]?Wh/an|[kMGT]?Wh/year|h/an|h/j|[kgt]CO2e?q?|GB|Go|TB|To|%|€|k€"
    r"|[kKMGB](?:tok|Tok|TOK)(?:ens)?|[kKMGB]jetons?)$"
)


def header_unit_split(header: str) -> tuple[str, str | None, str]:
    """A header → (its name, the unit it carries or None, where the unit was: ``brackets``,
    ``en`` (after *en*/*in*), ``symbol`` (a trailing symbol), or ``none``).

    >>> header_unit_split("Puissance (en kW)"), header_unit_split("Durée de vie en mois")
    (('Puissance', 'kW', 'brackets'), ('Durée de vie', 'mois', 'en'))
    >>> header_unit_split("Conso kWh/an"), header_unit_split("Date de mise en service")
    (('Conso', 'kWh/an', 'symbol'), ('Date de mise en service', None, 'none'))
    """
    text = str(header).strip()
    name, unit = _bracketed(text)
    if unit is not None:
        return name, _INTRO.sub("", unit).strip() or unit, "brackets"
    match = re.match(r"^(.*\S)\s+(?:en|in)\s+(\S.*)$", text, re.IGNORECASE)
    if match and is_unit_word(match.group(2)):
        return match.group(1).rstrip(" _-,:"), match.group(2).strip(), "en"
    head, _, last = text.rpartition(" ")
    if head.strip() and _TRAILING_SYMBOL.match(last):
        return head.rstrip(" _-,:"), last, "symbol"
    return text, None, "none"


def _bracketed(text: str) -> tuple[str, str | None]:
    """``"Puissance (W)"`` → ``("Puissance", "W")``, linear in the header's length."""
    if not text.endswith((")", "]")):
        return text, None
    start = text.rfind("(" if text.endswith(")") else "[")
    unit = text[start + 1 : -1].strip() if start > 0 else ""
    name = text[:start].rstrip(" _\t") if start > 0 else ""
    if not name or not unit or any(c in unit for c in "()[]"):
        return text, None
    return name, unit
