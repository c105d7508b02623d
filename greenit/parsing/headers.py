"""Header aliases → canonical columns, for inventories and AI workload logs.

Headers are matched after folding (case, accents, punctuation ignored). A unit may sit in
the header, in brackets or parentheses: ``Puissance (W)``, ``power [kW]``, ``Conso (kWh/an)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from greenit.parsing.text import fold

_UNIT_IN_HEADER = re.compile(r"^(.*?)[\s_]*[\(\[]\s*([^\)\]]+?)\s*[\)\]]\s*$")


_TRAILING_UNITS = {
    "w": "W",
    "kw": "kW",
    "kwh": "kWh",
    "mwh": "MWh",
    "h": "hour",
    "ans": "year",
    "years": "year",
    "kg": "kg",
    "kgco2e": "kg",
    "gco2e": "g",
    "gb": "GB",
    "go": "GB",
    "s": "second",
    "min": "minute",
    "j": "day",
    "days": "day",
    "jours": "day",
}


@dataclass(frozen=True)
class HeaderMatch:
    header: str  # as in the file
    column: str  # canonical name
    unit: str | None  # unit read in the header, if any
    rank: int  # position of the alias (lower wins)


def split_header_unit(header: str) -> tuple[str, str | None]:
    """``"Puissance (W)"`` → ``("Puissance", "W")``; ``"Nom"`` → ``("Nom", None)``."""
    match = _UNIT_IN_HEADER.match(header.strip())
    if match and match.group(1).strip():
        return match.group(1).strip(), match.group(2).strip()
    return header.strip(), None


def map_headers(headers: list[str], aliases: dict[str, list[str]]) -> dict[str, HeaderMatch]:
    """Canonical column → the header that provides it (with its unit).

    Headers that match nothing are left out; the caller keeps them in the raw frame.
    """
    lookup: dict[str, tuple[str, int]] = {}
    for column, names in aliases.items():
        for rank, alias in enumerate(names):
            lookup.setdefault(fold(alias), (column, rank))
    found: dict[str, HeaderMatch] = {}
    for header in headers:
        if header in ("file", "row", "line"):
            continue
        name, unit = split_header_unit(header)
        key = fold(name)
        hit = lookup.get(key) or lookup.get(fold(header))
        if hit is None and unit is None:
            # "Puissance W", "power_kw": a trailing unit word without brackets
            parts = key.rsplit(" ", 1)
            if len(parts) == 2 and parts[0] in lookup and parts[1] in _TRAILING_UNITS:
                hit, unit = lookup[parts[0]], _TRAILING_UNITS[parts[1]]
        if hit is None:
            continue
        column, rank = hit
        if column not in found or rank < found[column].rank:
            found[column] = HeaderMatch(header=header, column=column, unit=unit, rank=rank)
    return found


def header_filter(aliases: dict[str, list[str]]):
    """A predicate saying whether a header maps to one of the canonical columns (for usecols)."""

    def keep(header: str) -> bool:
        return bool(map_headers([header], aliases))

    return keep
