"""AGEC purchase shares by spend (décret 2024-134), from sums that add up across batches.

The décret counts the purchases issued from reuse or re-employment, or with recycled content,
as a share of each product category's yearly spend excluding VAT — not of devices (source
``decret_2024_134``). For the year's purchases (bought in the reference year) of each category
of ``prices.csv`` ``agec_category`` (« Matériel informatique et téléphonie »: computers, screens,
phones, servers, tablets, video projectors; « Matériel de reprographie et d'impression »:
printers — source ``arrete_2024_agec_liste``), :class:`AgecSums` keeps the devices bought, those
bought refurbished, and — where the file gives their price — the spend and the refurbished
spend. A spend share is computed only from the file's own prices (a default price is no
purchase value); the share by count is given beside it.

The target for the year is the last milestone reached of ``parameters.csv``
``agec_it_spend_target_YYYY`` (IT only): 20 % from 2024, 25 % from 2027, 30 % from 2030 as ATD 31
reads the décret — read as reuse and recycled content together; the annexe itself, and its split
between the two, was not verified: every output says so. An inventory says nothing of recycled
content, so that share is "not given" (None), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from greenit.errors import FactorTableError
from greenit.factors import FactorSet
from greenit.i18n import msg
from greenit.results.groups import Keys, weighted, without_attrs

CATEGORIES = ("informatique_telephonie", "reprographie_impression")
COLUMNS = ("purchases", "reuse_purchases", "priced_purchases", "spend_eur", "reuse_spend_eur")
#: (parameter name, first year it applies): the IT targets of décret 2024-134 as ATD 31 gives them.
IT_TARGETS = (
    ("agec_it_spend_target_2024", 2024),
    ("agec_it_spend_target_2027", 2027),
    ("agec_it_spend_target_2030", 2030),
)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(0.0, index=pd.Index(CATEGORIES, name="agec_category"), columns=list(COLUMNS))


@dataclass
class AgecSums:
    """Per AGEC category, sums over the reference year's purchases [devices, € excl. VAT]."""

    sums: pd.DataFrame = field(default_factory=_empty)
    year: int | None = None
    it_target: tuple[float | None, int | None] = (None, None)  # (share, since) for the year

    @classmethod
    def from_rows(
        cls, estimated: pd.DataFrame, factors: FactorSet | None, *, weights: np.ndarray | None = None
    ) -> AgecSums:
        """The year's purchases per AGEC category; ``weights`` (one per row): how many input rows
        each row stands for (:meth:`greenit.results.InventorySummary.from_rows`), its devices and
        spend counted so many times.
        """
        if (
            factors is None
            or "prices" not in factors.tables
            or "agec_category" not in factors.table("prices")
        ):
            return cls(year=int(estimated.attrs["year"]))
        year = int(estimated.attrs["year"])
        frame = without_attrs(estimated)
        ok = (frame["estimate_status"] == "estimated").to_numpy()
        bought = ok & (frame["purchase_date"].dt.year.to_numpy() == year)
        agec = _agec_codes(factors.table("prices"), frame["category"])
        quantity = weighted(frame["quantity"].to_numpy(dtype=float), weights)
        reuse = quantity * frame["refurbished_share"].to_numpy(dtype=float)
        price = frame["unit_price_eur"].to_numpy(dtype=float)
        priced = ~np.isnan(price)
        spend, reuse_spend = quantity * np.nan_to_num(price), reuse * np.nan_to_num(price)
        sums = _empty()
        for code, category in enumerate(CATEGORIES):
            rows = bought & (agec == code)
            sums.loc[category] = [
                quantity[rows].sum(),
                reuse[rows].sum(),
                quantity[rows & priced].sum(),
                spend[rows & priced].sum(),
                reuse_spend[rows & priced].sum(),
            ]
        return cls(sums, year, it_target(factors, year))

    def merge(self, other: AgecSums) -> AgecSums:
        return AgecSums(self.sums.add(other.sums, fill_value=0.0), self.year, self.it_target)

    def to_json(self) -> list[dict]:
        """Per category: the shares by spend and by count, the target for the year and its status."""
        records, year = [], self.year
        for category, row in self.sums.iterrows():
            target, since = self.it_target if category == CATEGORIES[0] else (None, None)
            records.append(
                {
                    "agec_category": category,
                    "label": msg(f"money.agec.{category}"),
                    "year": year,
                    "purchases": float(row["purchases"]),
                    "priced_purchases_share": _share(row["priced_purchases"], row["purchases"]),
                    "spend_eur": float(row["spend_eur"]) if row["priced_purchases"] else None,
                    "reuse_spend_eur": float(row["reuse_spend_eur"]) if row["priced_purchases"] else None,
                    "reuse_share_by_spend": _share(row["reuse_spend_eur"], row["spend_eur"]),
                    "reuse_share_by_count": _share(row["reuse_purchases"], row["purchases"]),
                    "recycled_share_by_spend": None,  # an inventory does not say
                    "target_share": target,
                    "target_since": since,
                    "target_verified": False if target is not None else None,
                    "note": msg("money.agec.target_note" if target is not None else "money.agec.no_target"),
                }
            )
        return records


def _agec_codes(prices: pd.DataFrame, categories: pd.Series) -> np.ndarray:
    """Each row's AGEC category as its position in :data:`CATEGORIES` (-1: none), looked up once
    per device category.
    """
    keys = Keys.of(categories)
    positions = prices.index.get_indexer(keys.labels)
    agec = prices["agec_category"].to_numpy(dtype=object)
    per_label = np.array(
        [CATEGORIES.index(agec[p]) if p >= 0 and agec[p] in CATEGORIES else -1 for p in positions] + [-1],
        dtype=np.int64,
    )
    return per_label[keys.codes]  # a missing key (-1) takes the last entry: none


def it_target(factors: FactorSet | None, year: int | None) -> tuple[float | None, int | None]:
    """The IT spend share of the last milestone reached by ``year`` (None before 2024).

    >>> from greenit.factors import load_factors
    >>> it_target(load_factors(), 2025), it_target(load_factors(), 2023)
    ((0.2, 2024), (None, None))
    """
    if factors is None or year is None:
        return None, None
    found: tuple[float | None, int | None] = (None, None)
    for name, since in IT_TARGETS:
        if year >= since:
            try:
                found = (factors.parameter(name)[0], since)
            except FactorTableError:  # a user's parameters without it: no target
                return None, None
    return found


def _share(part: float, whole: float) -> float | None:
    return float(part / whole) if whole else None
