"""Where a run ran: a cloud or HPC region of ``cloud_regions.csv``, else a country.

Places are written many ways: ``FRA``, ``France``, ``europe-west9``, ``OVHcloud GRA``,
``aws eu-west-3``, ``scaleway-fr-par``, ``Jean Zay (IDRIS)``. Case, spaces, hyphens and
a provider's name before a region are ignored; a place that is neither a known region nor
a country is left unresolved (the run is flagged, never moved to a default country).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from greenit.factors import FactorSet
from greenit.parsing.countries import country_code
from greenit.parsing.text import fold

#: provider key of cloud_regions.csv → the names people give it
PROVIDER_NAMES = {
    "aws": ("aws", "amazon", "amazon web services"),
    "gcp": ("gcp", "google", "google cloud", "google cloud platform"),
    "azure": ("azure", "microsoft", "microsoft azure"),
    "ovhcloud": ("ovhcloud", "ovh", "ovh cloud"),
    "scaleway": ("scaleway", "scw"),
    "idris": ("idris", "genci"),
    "cines": ("cines", "genci"),
    "tgcc": ("tgcc", "genci", "cea"),
}
_PARENTHESES = re.compile(r"\s*\([^)]*\)\s*")


def compact(text: object) -> str:
    """Folded text without spaces or punctuation: ``"OVHcloud GRA"`` → ``"ovhcloudgra"``."""
    return fold(text).replace(" ", "")


@dataclass(frozen=True)
class Place:
    """A resolved place: a region key (its country from the table) or a country code."""

    region: str | None
    country: str | None


#: Spellings already listed, per region table (the factor tables are loaded once per process).
_SPELLINGS: dict[int, tuple[object, dict[str, str]]] = {}


def _region_spellings(factors: FactorSet) -> dict[str, str]:
    """Every spelling (compacted) → region key: the key, and provider names before it.

    Listed once per region table (read only: the resolvers look spellings up).
    """
    regions = factors.table("cloud_regions")
    cached = _SPELLINGS.get(id(regions))
    if cached is not None and cached[0] is regions:
        return cached[1]
    spellings: dict[str, str] = {}
    for region, row in regions.iterrows():
        provider = str(row.get("provider") or "")
        names = PROVIDER_NAMES.get(provider, (provider,))
        bare = compact(region)
        suffixes = {bare}
        for name in (provider, *names):  # "ovh-gra" is also "gra" after "OVHcloud"
            if bare.startswith(compact(name)) and len(bare) > len(compact(name)):
                suffixes.add(bare[len(compact(name)) :])
        spellings.setdefault(bare, region)
        for name in names:
            for suffix in suffixes:
                spellings.setdefault(compact(name) + suffix, region)
    if len(_SPELLINGS) >= 8:
        _SPELLINGS.clear()
    _SPELLINGS[id(regions)] = (regions, spellings)
    return spellings


def place_resolver(factors: FactorSet) -> Callable[[object], Place | None]:
    """A function: place label → :class:`Place`, None when not recognised.

    ``Jean Zay (IDRIS)`` is tried whole, then without what is in parentheses.
    """
    spellings = _region_spellings(factors)
    regions = factors.table("cloud_regions")
    known = set(factors.electricity.index)

    def resolve(label: object) -> Place | None:
        text = str(label).strip()
        for candidate in dict.fromkeys((text, _PARENTHESES.sub(" ", text).strip())):
            region = spellings.get(compact(candidate))
            if region:
                country = regions.at[region, "country"]
                return Place(region, country if isinstance(country, str) else None)
            code = country_code(candidate, known)
            if code:
                return Place(None, code)
        return None

    return resolve
