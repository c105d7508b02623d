"""The budget of an estimated inventory, from sums that add up across batches and files.

:class:`BudgetSums` holds the yearly renewal and electricity budgets (central, low, high), the
devices of the fleet priced from the file, by a default, or not at all, the bases the file's
prices were read in (HT, TTC, said or assumed), the prices that could not be used, and the
spend of the year's purchases the décret 2024-134 counts (AGEC) — all sums, so
``BudgetSums.from_rows(batch_1).merge(BudgetSums.from_rows(batch_2))`` is the budget of the
whole inventory. :meth:`BudgetSums.to_json` is the ``budget`` of ``greenit estimate --json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from greenit.factors import FactorSet
from greenit.i18n import msg
from greenit.inventory.budget import ORIGINS, OUT_OF_FLEET, priced_share
from greenit.inventory.prices import BASIS_CODES, DEFAULT_BASIS, price_code
from greenit.results.agec import AgecSums
from greenit.results.groups import Keys, compensated_sums, weighted, without_attrs

PARTS = ("renewal", "electricity")
BOUNDS = ("", "_low", "_high")
PRICE_FLAGGED_COLUMNS = ["file", "row", "line", "name", "reason"]
#: Categories without a price named in the note, the most devices first.
UNKNOWN_SHOWN = 6


@dataclass
class BudgetSums:
    """Sums over the estimated rows [€/year, devices], mergeable by addition."""

    eur_per_year: dict[str, float] = field(
        default_factory=lambda: {f"{p}{b}_eur_per_year": 0.0 for p in PARTS for b in BOUNDS}
    )
    fleet: dict[str, float] = field(default_factory=lambda: dict.fromkeys(ORIGINS, 0.0))  # devices
    basis: dict[str, float] = field(default_factory=lambda: dict.fromkeys(BASIS_CODES, 0.0))  # devices
    by_category: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["quantity", "priced", "renewal_eur_per_year"])
    )
    price_flagged: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PRICE_FLAGGED_COLUMNS))
    agec: AgecSums = field(default_factory=AgecSums)
    electricity_price: tuple[float, float, float] | None = None  # €/kWh excl. VAT (central, low, high)
    electricity_price_given: bool = False
    labels: dict = field(default_factory=dict)  # category → Bilingual label

    @classmethod
    def from_rows(
        cls, estimated: pd.DataFrame, factors: FactorSet | None = None, *, weights: np.ndarray | None = None
    ) -> BudgetSums:
        """The sums of a frame of stage ``estimated`` (a whole inventory or one batch).

        ``weights`` (one per row, 1 on the rows with a price reason: they are listed one by one):
        how many input rows each row stands for (:meth:`greenit.results.InventorySummary.from_rows`);
        devices and euros are summed times the weights.
        """
        rows = without_attrs(estimated)
        ok = (rows["estimate_status"] == "estimated").to_numpy()
        quantity = weighted(rows["quantity"].to_numpy(dtype=float), weights)
        fleet = ok & ~rows["status_kind"].isin(OUT_OF_FLEET).to_numpy()
        origin = _codes(rows, "price_origin", len(ORIGINS) - 1)  # a frame of before € : unknown
        basis = _codes(rows, "price_basis", -1)
        sums = {
            f"{p}{b}_eur_per_year": float(
                np.nansum(_weighted_column(rows, f"{p}{b}_eur_per_year", weights)[ok])
            )
            for p in PARTS
            for b in BOUNDS
        }
        reasons = (
            rows["price_reason"] if "price_reason" in estimated else pd.Series(np.nan, index=estimated.index)
        )
        has_reason = reasons.notna().to_numpy()
        flagged = rows[[c for c in PRICE_FLAGGED_COLUMNS[:-1] if c in estimated.columns]][has_reason]
        flagged = flagged.assign(reason=reasons[has_reason])
        category = Keys.of(rows["category"])
        renewal = _weighted_column(rows, "renewal_eur_per_year", weights)[fleet]
        return cls(
            eur_per_year=sums,
            fleet={name: float(quantity[fleet & (origin == i)].sum()) for i, name in enumerate(ORIGINS)},
            basis={name: float(quantity[ok & (basis == i)].sum()) for i, name in enumerate(BASIS_CODES)},
            by_category=_by_category(category.where(fleet), quantity[fleet], origin[fleet], renewal),
            price_flagged=flagged.reindex(columns=PRICE_FLAGGED_COLUMNS).reset_index(drop=True),
            agec=AgecSums.from_rows(estimated, factors, weights=weights),
            electricity_price=estimated.attrs.get("electricity_price_eur_per_kwh"),
            electricity_price_given=bool(estimated.attrs.get("electricity_price_given", False)),
            labels=_labels(factors, category),
        )

    def merge(self, other: BudgetSums) -> BudgetSums:
        """The sums of both parts (two batches or two files of one inventory)."""
        by_category = pd.concat([self.by_category, other.by_category]).groupby(level=0).sum()
        flagged = [f for f in (self.price_flagged, other.price_flagged) if len(f)]
        return replace(
            self,
            eur_per_year={k: v + other.eur_per_year[k] for k, v in self.eur_per_year.items()},
            fleet={k: v + other.fleet[k] for k, v in self.fleet.items()},
            basis={k: v + other.basis[k] for k, v in self.basis.items()},
            by_category=by_category,
            price_flagged=pd.concat(flagged, ignore_index=True)
            if len(flagged) > 1
            else (flagged or [self.price_flagged])[0],
            agec=self.agec.merge(other.agec),
            electricity_price=self.electricity_price or other.electricity_price,
            labels={**self.labels, **other.labels},
        )

    @property
    def fleet_devices(self) -> float:
        return sum(self.fleet.values())

    def priced_share(self) -> float | None:
        """Share [0–1] of the fleet's devices with a price (the file's or a default), by quantity."""
        total = self.fleet_devices
        return (self.fleet["file"] + self.fleet["default"]) / total if total else None

    def unsaid_basis(self) -> tuple[str, str] | None:
        """(basis, ``declared`` | ``assumed``) of the prices whose header and cell said neither;
        None when every price said its basis.
        """
        for code in ("ttc_declared", "ht_declared", "ttc_assumed", "ht_assumed"):
            if self.basis[code] > 0:
                basis, how = code.split("_")
                return basis, how
        return None

    def notes(self) -> list:
        """What a reader must know about these euros (messages, rendered when shown)."""
        notes = [msg("money.note.excl_vat")]
        unsaid = self.unsaid_basis()
        if unsaid is not None:
            basis, how = unsaid
            notes.append(
                msg(f"money.note.basis_{basis}_{how}", devices=_devices(self.basis[f"{basis}_{how}"]))
            )
        if self.fleet["default"] > 0:
            notes.append(msg("money.note.defaults", devices=_devices(self.fleet["default"])))
        if self.fleet["unknown"] > 0:
            missing = self.by_category["quantity"] - self.by_category["priced"]
            order = missing[missing > 0].sort_values(ascending=False, kind="stable")
            unknown = [self.labels.get(c, c) for c in order.index[:UNKNOWN_SHOWN]]
            unknown += ["…"] if len(order) > UNKNOWN_SHOWN else []
            notes.append(
                msg("money.note.unknown", devices=_devices(self.fleet["unknown"]), categories=Listed(unknown))
            )
            notes.append(msg("money.note.how_to_price"))
        if not self.electricity_price_given and self.electricity_price is not None:
            central, low, high = (_devices(1000 * p) for p in self.electricity_price)
            notes.append(msg("money.note.electricity_default", central=central, low=low, high=high))
        if len(self.price_flagged):
            notes.append(msg("money.note.prices_flagged", rows=len(self.price_flagged)))
        return notes

    def to_json(self) -> dict:
        """The ``budget`` of ``greenit estimate --json`` (DESIGN.md contract; keys only ever added)."""
        fleet = self.fleet_devices
        price = self.electricity_price or (None, None, None)
        euros: dict[str, float | None] = dict(self.eur_per_year)
        if self.priced_share() == 0:  # devices, none priced: the renewal is unknown, never 0 €
            euros |= {f"renewal{b}_eur_per_year": None for b in BOUNDS}
        return {
            **euros,
            "priced_share": self.priced_share(),
            "priced": {
                **{f"{k}_quantity": v for k, v in self.fleet.items()},
                **{f"{k}_share": (v / fleet if fleet else None) for k, v in self.fleet.items()},
            },
            "vat": "excluded",
            "price_basis": {
                **self.basis,
                "unsaid": None if self.unsaid_basis() is None else "_".join(self.unsaid_basis() or ()),
            },
            "electricity_price_eur_per_kwh": price[0],
            "electricity_price_low_eur_per_kwh": price[1],
            "electricity_price_high_eur_per_kwh": price[2],
            "electricity_price_origin": "option" if self.electricity_price_given else "default",
            "by_category": self._category_records(),
            "prices_flagged": [
                {
                    "row": row,
                    "line": line,
                    "file": str(file),
                    "name": None if pd.isna(name) else str(name),
                    "reason": reason,
                    "reason_code": price_code(reason),  # stable, whatever the language
                }
                for file, row, line, name, reason in self.price_flagged[PRICE_FLAGGED_COLUMNS].itertuples(
                    index=False
                )
            ],
            "agec": self.agec.to_json(),
            "notes": self.notes(),
        }

    def _category_records(self) -> list[dict]:
        table = self.by_category.sort_values("renewal_eur_per_year", ascending=False, kind="stable")
        columns = (
            table[c].to_numpy(dtype=float).tolist() for c in ("quantity", "priced", "renewal_eur_per_year")
        )
        return [
            {
                "category": str(category),
                "label": self.labels.get(category, str(category)),
                "quantity": float(quantity),
                "priced_share": float(priced / quantity) if quantity else None,
                "renewal_eur_per_year": float(renewal) if priced else None,
            }
            for category, quantity, priced, renewal in zip(table.index, *columns, strict=True)
        ]


def _by_category(
    category: Keys, quantity: np.ndarray, origin: np.ndarray, renewal: np.ndarray
) -> pd.DataFrame:
    """Devices, devices priced and renewal budget per category of the fleet's rows (sorted by name)."""
    columns = {
        "quantity": quantity,
        "priced": np.where(origin < ORIGINS.index("unknown"), quantity, 0.0),
        "renewal_eur_per_year": np.nan_to_num(renewal),
    }
    return compensated_sums(category, columns, "category")


def _weighted_column(frame: pd.DataFrame, column: str, weights: np.ndarray | None) -> np.ndarray:
    """A column of € per row, times how many input rows each row stands for."""
    return weighted(frame[column].to_numpy(dtype=float), weights)


def _codes(frame: pd.DataFrame, column: str, missing: int) -> np.ndarray:
    """The codes of a Categorical column; ``missing`` everywhere when the frame has no such column."""
    if column not in frame.columns:
        return np.full(len(frame), missing, dtype=np.int64)
    return frame[column].cat.codes.to_numpy()


def _labels(factors: FactorSet | None, category: Keys) -> dict:
    """The labels of the categories present, in both languages."""
    if factors is None:
        return {}
    from greenit.factors.labels import row_labels

    present = [c for c in category.seen() if c in factors.devices.index]
    return row_labels(factors.devices.loc[present])


class Listed:
    """Labels rendered in the reader's language, joined by commas."""

    __slots__ = ("items",)

    def __init__(self, items: list) -> None:
        self.items = items

    def render(self, lang: str | None = None) -> str:
        return ", ".join(i.render(lang) if hasattr(i, "render") else str(i) for i in self.items)


def _devices(quantity: float):
    from greenit.i18n.formats import Number

    return Number(quantity)


__all__ = ["BudgetSums", "DEFAULT_BASIS", "priced_share"]
