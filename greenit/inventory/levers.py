"""Inventory levers: the normalised inventory as it would be under a scenario."""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.factors import FactorSet
from greenit.factors.lookup import positions_in, take
from greenit.parsing.lever_specs import Scenario

TERMINALS = ("laptop", "desktop", "all_in_one", "thin_client", "monitor", "smartphone", "tablet")


def _selected(inventory: pd.DataFrame, categories: tuple[str, ...]) -> np.ndarray:
    if not categories:
        return np.ones(len(inventory), dtype=bool)
    return inventory["category"].isin(categories).to_numpy()


def apply_inventory_scenario(
    inventory: pd.DataFrame, factors: FactorSet, scenario: Scenario, *, year: int
) -> pd.DataFrame:
    """The normalised inventory as it would be under ``scenario`` (grid levers excepted)."""
    out = inventory.copy()
    if scenario.kind == "lifespan":
        # Steady state: a fleet kept L + N years instead of L renews L / (L + N) as many
        # devices a year, so its yearly manufacture and end of life scale by that ratio. The
        # dates stay as they are: the lever changes purchases, not the past.
        selected = _selected(out, scenario.categories)
        table_lifespan = take(
            factors.devices, positions_in(factors.devices, out["category"]), "lifespan_years"
        )
        lifespan = np.where(out["lifespan_years"].isna(), table_lifespan, out["lifespan_years"])
        ratio = lifespan / np.maximum(lifespan + scenario.value, 0.5)
        out["renewal_factor"] = np.where(
            selected, out.get("renewal_factor", 1.0) * ratio, out.get("renewal_factor", 1.0)
        )
    elif scenario.kind == "refurbished":
        selected = _selected(out, scenario.categories or TERMINALS)
        current = out["refurbished"].to_numpy(dtype=float)
        out["refurbished"] = np.where(selected, np.maximum(current, scenario.value), current)
    elif scenario.kind == "reuse":
        out = _reuse(out, scenario.value, year=year)
    return out


def _reuse(inventory: pd.DataFrame, rate: float, *, year: int) -> pd.DataFrame:
    """Put ``rate`` of retired equipment under 10 years old back in service, buying that much less.

    The reused devices consume electricity again; as many new devices of their category are
    neither bought nor manufactured (rows of negative quantity, marked ``(scenario)``).
    """
    age = year - inventory["purchase_date"].dt.year
    eligible = (
        (inventory["status_kind"] == "retired").to_numpy()
        & ~(age >= 10).to_numpy()
        & inventory["reason"].isna().to_numpy()
    )
    if not eligible.any() or rate <= 0:
        return inventory
    categorical = [c for c in inventory.columns if isinstance(inventory[c].dtype, pd.CategoricalDtype)]
    plain = inventory.astype({c: object for c in categorical})
    reused = plain[eligible].copy()
    reused["quantity"] *= rate
    reused["status_kind"] = "in_service"
    plain.loc[eligible, "quantity"] *= 1 - rate
    avoided = reused.groupby("category", as_index=False)["quantity"].sum()
    avoided_rows = pd.DataFrame(
        {
            "file": "(scenario)",
            "row": 0,
            "category": avoided["category"],
            "quantity": -avoided["quantity"],
            "status_kind": "in_service",
            "refurbished": 0.0,
            "country": plain["country"].mode().iloc[0],
            "reason": None,
        }
    )
    combined = pd.concat([plain, reused, avoided_rows], ignore_index=True)
    return combined.astype({c: "category" for c in categorical})
