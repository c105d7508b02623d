"""REEN / AGEC indicators and equivalences, where the data allows them.

- equipment age against the 10-year recycling threshold (décret 2023-266);
- reuse rate of retired equipment A / (A + B) against the 25 / 35 / 50 % targets, where A is
  equipment sent to réemploi / réutilisation (status such as 'Réemploi', 'Donné') and B the
  equipment still retired, both under 10 years old — an approximation of the decree's
  A/B (items reused during the year / retired items in stock on 1 January), which an
  inventory snapshot cannot separate by date;
- refurbished share of the fleet and of the year's purchases;
- footprint per agent when a headcount is given; AI share of the digital footprint;
- equivalences for non-specialists (ADEME Impact CO2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from greenit.factors import FactorSet
from greenit.inventory.model import age_at_end_of_year


@dataclass
class Indicators:
    year: int
    devices_in_service: float
    over_ten_years: float
    over_ten_years_share: float
    beyond_lifespan_share: float
    reuse_rate: float | None
    reuse_target: float
    reused: float
    retired: float
    refurbished_share: float
    refurbished_purchases_share: float | None
    per_agent_kgco2e: float | None
    ai_share: float | None
    equivalences: dict[str, float]

    def as_dict(self) -> dict:
        return {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in self.__dict__.items()}


def age_years(rows: pd.DataFrame, year: int) -> np.ndarray:
    """Age at the end of the reference year [years], NaN when the purchase date is unknown."""
    return age_at_end_of_year(rows["purchase_date"], year)


def reuse_target(factors: FactorSet, year: int) -> float:
    """The décret 2023-266 minimum reuse rate for ``year`` (25 % 2023, 35 % 2024, 50 % after)."""
    name = (
        "reuse_target_2023" if year <= 2023 else "reuse_target_2024" if year == 2024 else "reuse_target_2025"
    )
    return factors.parameter(name)[0]


def inventory_indicators(
    estimated: pd.DataFrame,
    factors: FactorSet,
    *,
    headcount: int | None = None,
    ai_total_kgco2e: float | None = None,
) -> Indicators:
    """Indicators of an estimated inventory (from :func:`greenit.footprint.estimate_inventory`)."""
    year = int(estimated.attrs.get("year"))
    rows = estimated[(estimated["estimate_status"] == "estimated").to_numpy()]
    quantity = rows["quantity"].to_numpy(dtype=float)
    kind = rows["status_kind"].astype(str).to_numpy()
    age = age_years(rows, year)
    threshold, _, _ = factors.parameter("recycling_age_threshold")
    in_service = kind == "in_service"
    dated = in_service & ~np.isnan(age)
    over_ten = float(quantity[dated & (age >= threshold)].sum())
    dated_total = float(quantity[dated].sum())
    beyond = float(quantity[dated & (age >= rows["device_lifespan_years"].to_numpy())].sum())
    young = np.isnan(age) | (age < threshold)
    reused = float(quantity[(kind == "reused") & young].sum())
    retired = float(quantity[(kind == "retired") & young].sum())
    fleet = float(quantity[in_service].sum())
    refurbished = rows["refurbished_share"].to_numpy(dtype=float)
    bought_this_year = rows["purchase_date"].dt.year.to_numpy() == year
    purchases = float(quantity[bought_this_year].sum())
    total = float(rows["total_kgco2e"].sum())
    ai = ai_total_kgco2e or 0.0
    equivalences = {}
    table = factors.tables.get("equivalences")
    if table is not None:
        for name, row in table.iterrows():
            equivalences[name] = (total + ai) / float(row["value_kgco2e"])

    def share(part: float, whole: float) -> float:
        return part / whole if whole else float("nan")

    return Indicators(
        year=year,
        devices_in_service=fleet,
        over_ten_years=over_ten,
        over_ten_years_share=share(over_ten, dated_total),
        beyond_lifespan_share=share(beyond, dated_total),
        reuse_rate=share(reused, reused + retired) if reused + retired else None,
        reuse_target=reuse_target(factors, year),
        reused=reused,
        retired=retired,
        refurbished_share=share(float((quantity * refurbished)[in_service].sum()), fleet),
        refurbished_purchases_share=share(float((quantity * refurbished)[bought_this_year].sum()), purchases)
        if purchases
        else None,
        per_agent_kgco2e=(total + ai) / headcount if headcount else None,
        ai_share=ai / (total + ai) if ai_total_kgco2e is not None and total + ai else None,
        equivalences=equivalences,
    )


def age_profile(estimated: pd.DataFrame, age_threshold_years: float = 10.0) -> pd.DataFrame:
    """Per category: devices in service within their lifespan, beyond it, and over 10 years."""
    year = int(estimated.attrs.get("year"))
    rows = estimated[
        (estimated["estimate_status"] == "estimated").to_numpy()
        & (estimated["status_kind"] == "in_service").to_numpy()
    ]
    age = age_years(rows, year)
    lifespan = rows["device_lifespan_years"].to_numpy(dtype=float)
    quantity = rows["quantity"].to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "category": rows["category"].astype(object).to_numpy(),
            "within_lifespan": np.where(age < lifespan, quantity, 0.0),
            "beyond_lifespan": np.where((age >= lifespan) & (age < age_threshold_years), quantity, 0.0),
            "over_ten_years": np.where(age >= age_threshold_years, quantity, 0.0),
            "unknown_age": np.where(np.isnan(age), quantity, 0.0),
            "mean_age_years": np.where(np.isnan(age), np.nan, age),
        }
    )
    grouped = frame.groupby("category").agg(
        within_lifespan=("within_lifespan", "sum"),
        beyond_lifespan=("beyond_lifespan", "sum"),
        over_ten_years=("over_ten_years", "sum"),
        unknown_age=("unknown_age", "sum"),
        mean_age_years=("mean_age_years", "mean"),
    )
    grouped["lifespan_years"] = pd.Series(lifespan, index=frame["category"]).groupby(level=0).mean()
    grouped["devices"] = grouped[["within_lifespan", "beyond_lifespan", "over_ten_years", "unknown_age"]].sum(
        axis=1
    )
    return grouped.sort_values("devices", ascending=False)
