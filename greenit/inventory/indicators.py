"""REEN / AGEC indicators of an inventory, from sums that add up across batches and files.

- equipment age against the 10-year recycling threshold (décret 2023-266);
- reuse rate of retired equipment A / (A + B) against the 25 / 35 / 50 % targets, where A is
  equipment sent to réemploi / réutilisation (status such as 'Réemploi', 'Donné') and B the
  equipment still retired, both under 10 years old — an approximation of the decree's
  A/B (items reused during the year / retired items in stock on 1 January), which an
  inventory snapshot cannot separate by date;
- refurbished share of the fleet and of the year's purchases.

An indicator the input says nothing about is ``None`` ("non renseigné"), never 0: no purchase
date → no age; no status saying réemploi → no reuse rate; no refurbished device → no
refurbished share. :class:`IndicatorSums` holds only sums, so the indicators of a file read in
batches are those of the whole file (:meth:`IndicatorSums.merge`).

References
----------
Décret n° 2023-266 du 12 avril 2023 (réemploi des équipements informatiques réformés).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from greenit.factors import FactorSet
from greenit.inventory.model import age_at_end_of_year

#: Columns of the age profile (devices in service per category) [devices, device·years].
AGE_COLUMNS = (
    "within_lifespan",
    "beyond_lifespan",
    "over_ten_years",
    "unknown_age",
    "age_device_years",
    "dated_devices",
    "lifespan_device_years",
)
RECYCLING_AGE_YEARS = 10.0


def age_years(rows: pd.DataFrame, year: int) -> np.ndarray:
    """Age at the end of the reference year [years], NaN when the purchase date is unknown."""
    return age_at_end_of_year(rows["purchase_date"], year)


def reuse_target(factors: FactorSet, year: int) -> float:
    """The décret 2023-266 minimum reuse rate for ``year`` (25 % 2023, 35 % 2024, 50 % after)."""
    name = (
        "reuse_target_2023" if year <= 2023 else "reuse_target_2024" if year == 2024 else "reuse_target_2025"
    )
    return factors.parameter(name)[0]


@dataclass
class IndicatorSums:
    """Sums over the estimated rows of an inventory [devices], mergeable by addition."""

    devices_in_service: float = 0.0
    dated_in_service: float = 0.0
    over_ten_years: float = 0.0
    beyond_lifespan: float = 0.0
    reused: float = 0.0
    retired: float = 0.0
    refurbished_in_service: float = 0.0
    refurbished_devices: float = 0.0
    purchases: float = 0.0
    refurbished_purchases: float = 0.0
    purchased_after_year: float = 0.0  # devices bought after the reference year: they count 0
    duplicate_rows: float = 0.0  # rows repeating a device read before: counted once [rows]
    age_profile: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(AGE_COLUMNS)))

    @classmethod
    def from_rows(
        cls,
        estimated: pd.DataFrame,
        year: int,
        threshold_years: float = RECYCLING_AGE_YEARS,
        *,
        weights: np.ndarray | None = None,
    ) -> IndicatorSums:
        """The sums of the estimated rows of ``estimated`` (stage ``estimated``).

        ``weights`` (one per row): how many input rows each row stands for
        (:meth:`greenit.results.InventorySummary.from_rows`) — every device counted is the row's
        quantity times its weight, every duplicate row counts its weight.
        """
        ok = (estimated["estimate_status"] == "estimated").to_numpy()
        quantity = estimated["quantity"].to_numpy(dtype=float)[ok]
        repeated = _repeated(estimated)[ok].astype(float)
        if weights is not None:
            quantity, repeated = quantity * weights[ok], repeated * weights[ok]
        status = estimated["status_kind"]

        def kind(name: str) -> np.ndarray:
            return (status == name).to_numpy(dtype=bool)[ok]

        age = age_years(estimated, year)[ok]
        lifespan = estimated["device_lifespan_years"].to_numpy(dtype=float)[ok]
        in_service = kind("in_service")
        dated = in_service & ~np.isnan(age)
        young = np.isnan(age) | (age < threshold_years)
        refurbished = quantity * estimated["refurbished_share"].to_numpy(dtype=float)[ok]
        purchase_year = estimated["purchase_date"].dt.year.to_numpy()[ok]
        bought = purchase_year == year
        category = estimated["category"]
        if not isinstance(category.dtype, pd.CategoricalDtype):
            category = category.astype("category")
        codes = category.cat.codes.to_numpy()[ok][in_service]
        return cls(
            devices_in_service=float(quantity[in_service].sum()),
            dated_in_service=float(quantity[dated].sum()),
            over_ten_years=float(quantity[dated & (age >= threshold_years)].sum()),
            beyond_lifespan=float(quantity[dated & (age >= lifespan)].sum()),
            reused=float(quantity[kind("reused") & young].sum()),
            retired=float(quantity[kind("retired") & young].sum()),
            refurbished_in_service=float(refurbished[in_service].sum()),
            refurbished_devices=float(refurbished.sum()),
            purchases=float(quantity[bought].sum()),
            refurbished_purchases=float(refurbished[bought].sum()),
            purchased_after_year=float(quantity[purchase_year > year].sum()),
            duplicate_rows=float(repeated.sum()),
            age_profile=_age_sums(
                (codes, category.cat.categories),
                age[in_service],
                lifespan[in_service],
                quantity[in_service],
                threshold_years,
            ),
        )

    def merge(self, other: IndicatorSums) -> IndicatorSums:
        """The sums of both parts (batches or files of one inventory)."""
        values = {
            f.name: getattr(self, f.name) + getattr(other, f.name)
            for f in fields(self)
            if f.name != "age_profile"
        }
        profile = pd.concat([self.age_profile, other.age_profile]).groupby(level=0).sum()
        profile.index = pd.Index(profile.index.astype(object), dtype=object, name="category")
        return IndicatorSums(**values, age_profile=profile)

    def indicators(
        self, factors: FactorSet, year: int, refurbished_column: bool = False
    ) -> dict[str, float | None]:
        """Shares [0–1] and counts; ``None`` where the input says nothing about it.

        ``refurbished_column``: the file has a refurbished column (then 0 % is a real 0 %).
        """

        def share(part: float, whole: float) -> float | None:
            return part / whole if whole else None

        says_reuse = self.reused > 0
        says_refurbished = self.refurbished_devices > 0 or refurbished_column
        return {
            "devices_in_service": self.devices_in_service,
            "dated_in_service": self.dated_in_service,
            "over_ten_years": self.over_ten_years if self.dated_in_service else None,
            "over_ten_years_share": share(self.over_ten_years, self.dated_in_service),
            "beyond_lifespan_share": share(self.beyond_lifespan, self.dated_in_service),
            "reused": self.reused,
            "retired": self.retired,
            "reuse_rate": share(self.reused, self.reused + self.retired) if says_reuse else None,
            "reuse_target": reuse_target(factors, year),
            "refurbished_share": share(self.refurbished_in_service, self.devices_in_service)
            if says_refurbished
            else None,
            "refurbished_purchases_share": share(self.refurbished_purchases, self.purchases)
            if says_refurbished
            else None,
        }

    def age_table(self) -> pd.DataFrame:
        """Per category: devices within their lifespan, beyond it, over 10 years, undated;
        mean age and lifespan [years]; largest fleets first.
        """
        profile = self.age_profile.copy()
        counts = ["within_lifespan", "beyond_lifespan", "over_ten_years", "unknown_age"]
        profile["devices"] = profile[counts].sum(axis=1)
        dated = profile["dated_devices"].to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            profile["mean_age_years"] = np.where(dated > 0, profile["age_device_years"] / dated, np.nan)
            profile["lifespan_years"] = profile["lifespan_device_years"] / profile["devices"]
        return profile.sort_values("devices", ascending=False)


def _age_sums(
    categories: tuple[np.ndarray, pd.Index],
    age: np.ndarray,
    lifespan: np.ndarray,
    quantity: np.ndarray,
    threshold_years: float,
) -> pd.DataFrame:
    """Per category sums [devices, device·years] of the devices in service.

    ``categories``: each device's category code and the labels the codes point to (a
    Categorical's codes and categories: one ``bincount`` per column, no text compared).
    """
    codes, labels = categories
    dated = ~np.isnan(age)
    columns = {
        "within_lifespan": np.where(dated & (age < lifespan), quantity, 0.0),
        "beyond_lifespan": np.where((age >= lifespan) & (age < threshold_years), quantity, 0.0),
        "over_ten_years": np.where(age >= threshold_years, quantity, 0.0),
        "unknown_age": np.where(dated, 0.0, quantity),
        "age_device_years": np.where(dated, age * quantity, 0.0),
        "dated_devices": np.where(dated, quantity, 0.0),
        "lifespan_device_years": lifespan * quantity,
    }
    size = len(labels)
    codes = np.where(codes >= 0, codes, size)  # devices without a category in a last bin, left out
    present = (np.bincount(codes, minlength=size + 1) > 0)[:size]
    sums = {
        name: np.bincount(codes, weights=values, minlength=size + 1)[:size][present]
        for name, values in columns.items()
    }
    index = pd.Index(np.asarray(labels, dtype=object)[present], dtype=object, name="category")
    return pd.DataFrame(sums, index=index).sort_index()


def age_profile(estimated: pd.DataFrame, age_threshold_years: float = RECYCLING_AGE_YEARS) -> pd.DataFrame:
    """Per category: devices in service within their lifespan, beyond it, over 10 years, undated."""
    year = int(estimated.attrs["year"])
    return IndicatorSums.from_rows(estimated, year, age_threshold_years).age_table()


def _repeated(estimated: pd.DataFrame) -> np.ndarray:
    """Whether each row repeats a device read before (greenit.inventory.duplicates): absent = no."""
    if "duplicate" not in estimated.columns:
        return np.zeros(len(estimated), dtype=bool)
    return estimated["duplicate"].fillna(False).to_numpy(dtype=bool)
