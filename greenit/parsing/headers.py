"""Header aliases → canonical columns, for inventories and AI workload logs.

Headers are matched on their words (:func:`greenit.parsing.text.header_key`: case, accents,
punctuation, plurals, camelCase and little words like *de*, *par*, *of* ignored), so
``Date d'achat``, ``DATE ACHAT``, ``dateAchat`` and ``Date of purchase`` meet. A unit may sit in
the header, in brackets or parentheses: ``Puissance (W)``, ``power [kW]``, ``Conso (kWh/an)``.

GLPI prefixes the fields of its tabs with the tab's name: ``Informations financières et
administratives - Date d'achat``. The prefix is dropped for the tabs that describe the asset
itself (:data:`greenit.parsing.formats.glpi.ASSET_GROUPS`); for the others (``Composants -
Processeur``, ``Système d'exploitation - Nom``) it is kept, because it says the field is about
another object: ``Système d'exploitation - Nom`` is not the device's name.

Every header of a file ends up either *used* (header → canonical column) or *ignored* (with the
closest canonical names), so nothing is left out in silence (:class:`HeaderReport`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from greenit.parsing.formats.glpi import ASSET_GROUPS
from greenit.parsing.text import closest, fold, header_key
from greenit.parsing.unit_grammar import header_unit_split

#: Headers longer than this are not matched (a header is a few words; a 16k one is a mistake).
MAX_HEADER_CHARS = 200
POSITION_HEADERS = ("file", "row", "line")
_TRAILING_UNITS = {
    "w": "W",
    "kw": "kW",
    "kwh": "kWh",
    "mwh": "MWh",
    "h": "hour",
    "an": "year",
    "ans": "year",
    "annee": "year",
    "year": "year",
    "years": "year",
    "mois": "month",
    "month": "month",
    "months": "month",
    "kg": "kg",
    "kgco2e": "kg",
    "gco2e": "g",
    "gb": "GB",
    "go": "GB",
    "s": "second",
    "min": "minute",
    "j": "day",
    "day": "day",
    "days": "day",
    "jour": "day",
    "jours": "day",
}


@dataclass(frozen=True)
class HeaderMatch:
    header: str  # as in the file
    column: str  # canonical name
    unit: str | None  # unit read in the header (or the alias's own unit), if any
    rank: int  # position of the alias (lower wins)
    how: str = "alias"  # alias | words (its words contain an alias's) | user (--column)


@dataclass(frozen=True)
class IgnoredHeader:
    header: str
    closest: tuple[str, ...] = ()  # canonical columns it resembles, best first
    taken_by: str | None = None  # the header that already gives the same column, if any


@dataclass
class HeaderReport:
    """What became of every header of a file."""

    matches: dict[str, HeaderMatch] = field(default_factory=dict)  # canonical → match
    ignored: list[IgnoredHeader] = field(default_factory=list)

    @property
    def used(self) -> dict[str, str]:
        """Header → canonical column, in the file's order."""
        return {m.header: m.column for m in self.matches.values()}


def split_header_unit(header: str) -> tuple[str, str | None]:
    """``"Puissance (W)"`` → ``("Puissance", "W")``; ``"Nom"`` → ``("Nom", None)``.

    The unit may sit in brackets (``(en kW)``, ``[kW]``), after *en* (``Durée de vie en mois``)
    or be a trailing symbol (``Conso kWh/an``): :func:`greenit.parsing.unit_grammar.header_unit_split`.
    Linear in the header's length (no backtracking regex: a header of 16,000 ``(`` is read at once).
    """
    text = str(header).strip()
    if len(text) > MAX_HEADER_CHARS:
        return text, None
    name, unit, _ = header_unit_split(text)
    return name, unit


def split_group(header: str) -> tuple[str | None, str]:
    """``"Composants - Processeur"`` → ``("Composants", "Processeur")``; no `` - `` → ``(None, header)``."""
    group, separator, name = str(header).partition(" - ")
    if not separator or not group.strip() or not name.strip():
        return None, str(header)
    return group.strip(), name.strip()


@dataclass(frozen=True)
class _Alias:
    column: str
    rank: int
    words: frozenset[str]
    unit: str | None


_LOOKUPS: dict[int, tuple[Mapping, dict, dict]] = {}
#: Alias tables remembered at most (they are module constants; one built per call is not kept long).
_LOOKUPS_MAX = 64


def _lookups(aliases: Mapping[str, list[str]]) -> tuple[dict[str, _Alias], dict[str, _Alias]]:
    """Aliases by key, and by their sorted words (word order ignored); built once per table."""
    cached = _LOOKUPS.get(id(aliases))
    if cached is not None and cached[0] is aliases:
        return cached[1], cached[2]
    if len(_LOOKUPS) >= _LOOKUPS_MAX:  # tables built per call: forget them all, and what came of them
        _LOOKUPS.clear()
        _WORD_INDEXES.clear()
        _MATCHED.clear()
    exact: dict[str, _Alias] = {}
    for column, names in aliases.items():
        for rank, alias in enumerate(names):
            name, unit = split_header_unit(alias)
            key = header_key(name)
            exact.setdefault(key, _Alias(column, rank, frozenset(key.split()), unit))
    by_words = {" ".join(sorted(k.split())): a for k, a in reversed(list(exact.items()))}
    _LOOKUPS[id(aliases)] = (aliases, exact, by_words)
    return exact, by_words


def _candidate_keys(header: str) -> list[tuple[str, str | None]]:
    """The keys a header may be known by, with the unit it carries, most specific first.

    A unit read after *en* or as a trailing symbol (``Durée de vie en mois``) is tried first
    with the words before it; the whole header's words come next, without that unit.
    """
    name, unit = split_header_unit(header)
    keys = [(header_key(name), unit)]
    if unit is not None and not str(header).strip().endswith((")", "]")):
        keys.append((header_key(header), None))
    group, rest = split_group(name)
    if group is not None and fold(group) in ASSET_GROUPS:
        rest_name, rest_unit = split_header_unit(rest)
        keys.append((header_key(rest_name), rest_unit or unit))
    return keys


def _find(key: str, exact: dict, by_words: dict, loose: bool) -> tuple[_Alias | None, str | None, str]:
    """The alias a header key names (alias, unit from a trailing unit word, how)."""
    if key in exact:
        return exact[key], None, "alias"
    words = key.split()
    if len(words) > 1 and words[-1] in _TRAILING_UNITS:
        stem = " ".join(words[:-1])  # "Puissance W", "power_kw": a unit word without brackets
        if stem in exact:
            return exact[stem], _TRAILING_UNITS[words[-1]], "alias"
    sorted_key = " ".join(sorted(words))
    if sorted_key in by_words:
        return by_words[sorted_key], None, "alias"
    if loose and 1 < len(words) <= 8:
        return _contained(set(words), exact), None, "words"
    return None, None, "alias"


_WORD_INDEXES: dict[int, tuple[dict, dict[str, list[tuple[int, _Alias]]]]] = {}


def _word_index(exact: dict[str, _Alias]) -> dict[str, list[tuple[int, _Alias]]]:
    """The aliases of two words or more, each under one of its words, with its place in ``exact``."""
    cached = _WORD_INDEXES.get(id(exact))
    if cached is not None and cached[0] is exact:
        return cached[1]
    index: dict[str, list[tuple[int, _Alias]]] = {}
    for place, alias in enumerate(exact.values()):
        if len(alias.words) > 1:
            index.setdefault(min(alias.words), []).append((place, alias))
    _WORD_INDEXES[id(exact)] = (exact, index)
    return index


def _contained(words: set[str], exact: dict[str, _Alias]) -> _Alias | None:
    """The longest alias (two words or more) whose words are all in the header; None if ambiguous.

    Only the aliases filed under one of the header's words can be all in it (:func:`_word_index`);
    they are looked at in the order of ``exact``, as a scan of every alias would.
    """
    index = _word_index(exact)
    candidates = sorted((hit for word in words for hit in index.get(word, ())), key=lambda hit: hit[0])
    best: list[_Alias] = []
    for _, alias in candidates:
        if alias.words <= words and len(words) <= len(alias.words) + 3:
            if not best or len(alias.words) > len(best[0].words):
                best = [alias]
            elif len(alias.words) == len(best[0].words) and alias.column != best[0].column:
                best.append(alias)
    return best[0] if len(best) == 1 else None


#: Headers (and cells looked at as possible headers) already matched, per alias table: a header
#: row is searched among the first lines of every file read, and the same headers come back.
_MATCHED: dict[int, tuple[dict, dict[tuple[str, bool], HeaderMatch | None]]] = {}
_MATCHED_MAX = 20_000


def _match_one(header: str, exact: dict, by_words: dict, loose: bool) -> HeaderMatch | None:
    """:func:`_match_of` remembered: it depends on the header and the alias table alone."""
    cached = _MATCHED.get(id(exact))
    if cached is None or cached[0] is not exact:
        cached = _MATCHED[id(exact)] = (exact, {})
    known = cached[1]
    key = (header, loose)
    if key not in known:
        if len(known) >= _MATCHED_MAX:
            known.clear()
        known[key] = _match_of(header, exact, by_words, loose)
    return known[key]


def _match_of(header: str, exact: dict, by_words: dict, loose: bool) -> HeaderMatch | None:
    if len(header) > MAX_HEADER_CHARS:
        return None
    for key, unit in _candidate_keys(header):
        alias, trailing_unit, how = _find(key, exact, by_words, loose)
        if alias is not None:
            rank = alias.rank if how == "alias" else 1000 + alias.rank
            return HeaderMatch(header, alias.column, unit or trailing_unit or alias.unit, rank, how)
    return None


UnitCheck = Callable[[str, str | None], str | None]


def match_headers(
    headers: list[str],
    aliases: Mapping[str, list[str]],
    *,
    overrides: Mapping[str, str] | None = None,
    loose: bool = True,
    check_unit: UnitCheck | None = None,
    suggest: bool = True,
) -> HeaderReport:
    """Every header of a file, used (→ canonical column) or ignored (with the closest columns).

    Parameters
    ----------
    headers : the file's headers, in order.
    aliases : canonical column → its aliases, preferred first (an alias may carry its own unit,
        ``"dureeUsageInterne [month]"``).
    overrides : header → canonical column, given by the user (``--column``); they win.
    loose : also match a header whose words contain all the words of an alias of two words or
        more (``Heures d'utilisation par an`` ⊇ ``heures d'utilisation``).
    check_unit : ``(column, unit) → column`` that fits the unit (``Durée d'utilisation (ans)``
        is a lifespan, ``(h/an)`` hours of use), or None when the unit is not understood.
    suggest : find the closest columns of ignored headers (difflib; not while only asking
        whether a header is known).

    When two headers give one column, the alias listed first wins (``Date d'achat`` over
    ``Date de mise en service``); the other is ignored and says which header took its place.
    """
    exact, by_words = _lookups(aliases)
    user = {str(h).strip(): c for h, c in (overrides or {}).items()}
    report = HeaderReport()
    found: dict[str, HeaderMatch] = {}
    losers: list[tuple[str, HeaderMatch]] = []
    for header in headers:
        if header in POSITION_HEADERS:
            continue
        match = _user_match(header, user) or _match_one(header, exact, by_words, loose)
        if match is not None and check_unit is not None and match.unit and match.how != "user":
            match = _fit_unit(match, check_unit)
        if match is None:
            closest = closest_columns(header, aliases) if suggest else ()
            report.ignored.append(IgnoredHeader(header, closest))
            continue
        current = found.get(match.column)
        if current is None or match.rank < current.rank:
            if current is not None:
                losers.append((current.header, match))
            found[match.column] = match
        else:
            losers.append((header, current))
    for header, winner in losers:
        report.ignored.append(IgnoredHeader(header, (winner.column,), taken_by=winner.header))
    order = {h: i for i, h in enumerate(headers)}
    report.matches = dict(sorted(found.items(), key=lambda item: order[item[1].header]))
    report.ignored.sort(key=lambda item: order[item.header])
    return report


def _user_match(header: str, user: dict[str, str]) -> HeaderMatch | None:
    if not user:
        return None
    column = user.get(header.strip())
    if column is None:
        folded = fold(header)
        column = next((c for h, c in user.items() if fold(h) == folded), None)
    return HeaderMatch(header, column, split_header_unit(header)[1], -1, "user") if column else None


def _fit_unit(match: HeaderMatch, check_unit: UnitCheck) -> HeaderMatch:
    """The match with the column its unit fits (or without a unit that is not one)."""
    column = check_unit(match.column, match.unit)
    if column is None:
        return HeaderMatch(match.header, match.column, None, match.rank, match.how)
    if column != match.column:
        return HeaderMatch(match.header, column, match.unit, match.rank, match.how)
    return match


def closest_columns(header: str, aliases: Mapping[str, list[str]], n: int = 3) -> tuple[str, ...]:
    """Canonical columns whose aliases look most like ``header`` (for the ignored list)."""
    if len(header) > MAX_HEADER_CHARS:
        return ()
    exact, _ = _lookups(aliases)
    key = header_key(split_header_unit(header)[0])
    hits = closest(key, list(exact), cutoff=0.6, n=8)
    columns: list[str] = []
    for hit in hits:
        if exact[hit].column not in columns:
            columns.append(exact[hit].column)
    return tuple(columns[:n])


def map_headers(headers: list[str], aliases: dict[str, list[str]]) -> dict[str, HeaderMatch]:
    """Canonical column → the header that provides it (with its unit); strict word matching.

    Headers that match nothing are left out; :func:`match_headers` also says which.
    """
    return match_headers(headers, aliases, loose=False, suggest=False).matches


def header_filter(
    aliases: dict[str, list[str]], overrides: Mapping[str, str] | None = None
) -> Callable[[str], bool]:
    """A predicate saying whether a header maps to one of the canonical columns (for usecols)."""
    column = header_column(aliases, overrides)

    def keep(header: str) -> bool:
        return column(header) is not None

    return keep


def header_column(
    aliases: Mapping[str, list[str]], overrides: Mapping[str, str] | None = None
) -> Callable[[str], str | None]:
    """The canonical column one header maps to on its own (None: none), remembered per header."""

    @lru_cache(maxsize=4096)
    def column(header: str) -> str | None:
        matches = match_headers([header], aliases, overrides=overrides, suggest=False).matches
        return next(iter(matches), None)

    return column


def parse_column_specs(
    specs: Mapping[str, str] | Sequence[str] | None, aliases: Mapping[str, list[str]]
) -> dict[str, str]:
    """``["Désignation=category", …]`` (a mapping, or one such string) → {header: canonical}; checked.

    An unknown canonical name is a GreenitError listing the valid ones; ``HEADER=`` without
    ``=`` says how to write it.
    """
    from greenit.errors import GreenitError

    if not specs:
        return {}
    if isinstance(specs, str):  # one spec alone, not one per character
        specs = [specs]
    pairs = specs.items() if isinstance(specs, Mapping) else [_split_spec(str(s)) for s in specs]
    valid = list(aliases)
    mapping: dict[str, str] = {}
    for header, column in pairs:
        canonical = str(column).strip()
        if canonical not in aliases:
            folded = header_key(canonical).replace(" ", "_")
            canonical = folded if folded in aliases else canonical
        if canonical not in aliases:
            raise GreenitError.of(
                "parsing.column.unknown_canonical",
                "parsing.column.valid",
                header=str(header),
                column=str(column),
                valid=", ".join(valid),
            )
        mapping[str(header).strip()] = canonical
    return mapping


def _split_spec(spec: str) -> tuple[str, str]:
    from greenit.errors import GreenitError

    header, separator, column = spec.rpartition("=")
    if not separator or not header.strip() or not column.strip():
        raise GreenitError.of("parsing.column.not_a_mapping", "parsing.column.example", spec=spec[:200])
    return header, column
