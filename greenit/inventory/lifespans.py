"""The lifespan rule: which duration spreads a device's manufacture over the years.

Two rules, declared in every output (``--lifespan-rule``):

* ``technique`` (default) — the device's technical life: the file's « Durée de vie », else the
  device table's (ADEME/Arcep, manufacturers' PCFs, Ecodiag: 5 to 8 years). A « Durée
  d'amortissement » the file gives is read and said, not used.
* ``amortissement`` — the accounting amortisation period, as BEGES guidance leans to: the
  file's « Durée d'amortissement », else the public-accounting scale of the device's family
  (``amortisation.csv``: M14 indicative scale, IT equipment 2–5 years, electric or electronic
  office equipment 5–10 years; greenit takes each range's midpoint). A technical life the file
  gives is read and said, not used.

References
----------
- Arrêté du 27 décembre 2005, article 4: M14-type indicative scale of amortisation periods.
- CGCT R.2321-1: the assembly sets each category's period by deliberation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from greenit.errors import GreenitError
from greenit.parsing.text import fold

#: The rules and how people write them (folded: accents and case ignored), French and English.
RULES: dict[str, str] = {
    "technique": "technique",
    "technical": "technique",
    "technical life": "technique",
    "duree de vie": "technique",
    "amortissement": "amortissement",
    "amortisation": "amortissement",
    "amortization": "amortissement",
    "accounting": "amortissement",
    "comptable": "amortissement",
    "depreciation": "amortissement",
}
DEFAULT_RULE = "technique"


def check_lifespan_rule(value: str | None) -> str:
    """``technique`` or ``amortissement`` from what a person typed (French or English).

    >>> check_lifespan_rule("Amortisation"), check_lifespan_rule(None), check_lifespan_rule("technical")
    ('amortissement', 'technique', 'technique')
    """
    if value is None:
        return DEFAULT_RULE
    rule = RULES.get(fold(str(value)).strip())
    if rule is None:
        raise GreenitError.of(
            "scope.lifespan_rule.unknown", "scope.lifespan_rule.hint", value=str(value)[:40]
        )
    return rule


@dataclass(frozen=True)
class Lifespans:
    """The lifespan of each row [years] and what the notes say of it (boolean masks)."""

    years: np.ndarray
    from_amortisation: np.ndarray  # the file's accounting period drives manufacture
    from_scale: np.ndarray  # the public-accounting scale of its family (no period in the file)
    amortisation_unused: np.ndarray  # technique: the file's period read, not used
    lifespan_unused: np.ndarray  # amortissement: the file's technical life read, not used


def lifespans(
    rule: str,
    given_lifespan: np.ndarray,
    given_amortisation: np.ndarray,
    table_lifespan: np.ndarray,
    table_amortisation: np.ndarray,
) -> Lifespans:
    """Each row's lifespan under ``rule`` (see the module docstring); NaN stays NaN.

    >>> out = lifespans("amortissement", np.array([6.0, np.nan, np.nan]), np.array([4.0, np.nan, np.nan]),
    ...                 np.array([5.0, 5.0, 5.0]), np.array([3.5, 3.5, np.nan]))
    >>> out.years.tolist(), out.from_scale.tolist(), out.lifespan_unused.tolist()
    ([4.0, 3.5, 5.0], [False, True, False], [True, False, False])
    """
    lifespan = np.where(np.isnan(given_lifespan) | (given_lifespan <= 0), np.nan, given_lifespan)
    amortisation = np.where(
        np.isnan(given_amortisation) | (given_amortisation <= 0), np.nan, given_amortisation
    )
    has_amortisation = ~np.isnan(amortisation)
    if rule == "technique":
        years = np.where(np.isnan(lifespan), table_lifespan, lifespan)
        none = np.zeros(len(years), dtype=bool)
        return Lifespans(years, none, none, has_amortisation, none)
    from_scale = ~has_amortisation & ~np.isnan(table_amortisation)
    years = np.where(has_amortisation, amortisation, np.where(from_scale, table_amortisation, table_lifespan))
    return Lifespans(
        years,
        has_amortisation,
        from_scale,
        np.zeros(len(years), dtype=bool),
        ~np.isnan(lifespan) & (has_amortisation | from_scale),
    )


def family_years(categories: pd.Series, families: pd.DataFrame | None) -> np.ndarray:
    """The accounting period of each row's category [years] from ``amortisation.csv`` (NaN when
    its family is not listed or the table is missing); one look-up per distinct category.
    """
    by_category: dict[str, float] = {}
    if families is not None:
        for years, listed in zip(families["amortisation_years"], families["categories"], strict=True):
            for category in str(listed if isinstance(listed, str) else "").split(";"):
                if category.strip():
                    by_category[category.strip()] = float(years)
    codes, distinct = pd.factorize(categories)  # a Categorical's own codes: no row is hashed
    per_category = np.array([by_category.get(c, np.nan) for c in distinct] + [np.nan], dtype=float)
    return per_category[codes]  # code -1 (a missing category) takes the trailing NaN
