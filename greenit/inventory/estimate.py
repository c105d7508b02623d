"""Normalised inventory → yearly footprint per row, in four small stages.

1. :func:`resolve_inputs` — each per-device input with where it came from: the file's own
   value when it gives one, else the factor table's (with its low–high range);
2. :func:`check_rows` — the rows that cannot be estimated, with their reason;
3. the pure model (:mod:`greenit.inventory.model`), written once on
   :class:`~greenit.bounds.Bounds` so central, low and high come out of the same formula;
4. :func:`assemble` — the result columns of the frame contract (:mod:`greenit.schema`).

Lever effects are passed explicitly (``renewal_factor``): nothing hides in the frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from greenit.bounds import Bounds
from greenit.errors import GreenitError
from greenit.factors import FactorSet
from greenit.factors.grid import check_grid_factor
from greenit.factors.lookup import positions_in, take
from greenit.flags import Flags
from greenit.i18n import msg
from greenit.inventory.model import (
    annual_energy_kwh,
    consuming_share_of_year,
    decimal_year,
    refurbished_manufacture_kgco2e,
    yearly_manufacture_kgco2e,
)

METHODS = ("amortised", "flux")


@dataclass(frozen=True)
class DeviceInputs:
    """What one device of each row is taken to be, before counting quantity and year."""

    positions: np.ndarray  # row of the device table, -1 when none
    manufacture_kgco2e: Bounds  # per device, refurbished share applied [kgCO2e]
    lifespan_years: np.ndarray  # [years]
    end_of_life_kgco2e: np.ndarray  # per device [kgCO2e]
    annual_kwh: Bounds  # per device in service [kWh/year]
    grid_factor_kg_per_kwh: np.ndarray  # [kgCO2e/kWh]
    start_year: np.ndarray  # purchase, decimal year (NaN unknown)
    end_year: np.ndarray  # retirement, decimal year (NaN unknown)


def resolve_inputs(
    inventory: pd.DataFrame, factors: FactorSet, grid_factor_kg_per_kwh: float | None
) -> DeviceInputs:
    """Per-device inputs: the file's value where given, else the device table's (with range)."""
    devices = factors.devices
    positions = positions_in(devices, inventory["category"])

    def table(column: str) -> np.ndarray:
        return take(devices, positions, column)

    def table_bounds(column: str, low: str, high: str) -> Bounds:
        return Bounds(table(column), table(low), table(high))

    manufacture = table_bounds(
        "manufacture_kgco2e", "manufacture_low_kgco2e", "manufacture_high_kgco2e"
    ).fill(inventory["given_manufacture_kgco2e"].to_numpy(dtype=float))
    share = Bounds(*factors.parameter("refurbished_manufacture_share"))
    refurbished = inventory["refurbished_share"].to_numpy(dtype=float)
    given_lifespan = inventory["lifespan_years"].to_numpy(dtype=float)
    given_hours = inventory["use_hours_per_year"].to_numpy(dtype=float)
    given_kwh = annual_energy_kwh(
        inventory["annual_kwh"].to_numpy(dtype=float),
        inventory["power_w"].to_numpy(dtype=float),
        np.where(np.isnan(given_hours), table("use_hours_per_year"), given_hours),
    )
    return DeviceInputs(
        positions=positions,
        manufacture_kgco2e=refurbished_manufacture_kgco2e(manufacture, refurbished, share),
        lifespan_years=np.where(
            np.isnan(given_lifespan) | (given_lifespan <= 0), table("lifespan_years"), given_lifespan
        ),
        end_of_life_kgco2e=np.nan_to_num(table("end_of_life_kgco2e"), nan=0.0),
        annual_kwh=table_bounds("annual_kwh", "annual_low_kwh", "annual_high_kwh").fill(given_kwh),
        grid_factor_kg_per_kwh=_grid_factors(inventory, factors, grid_factor_kg_per_kwh),
        start_year=decimal_year(inventory["purchase_date"]),
        end_year=decimal_year(inventory["retirement_date"]),
    )


def _grid_factors(inventory: pd.DataFrame, factors: FactorSet, override: float | None) -> np.ndarray:
    if override is not None:
        return np.full(len(inventory), float(override))
    electricity = factors.electricity
    return take(electricity, positions_in(electricity, inventory["country"]), "carbon_intensity_kg_per_kwh")


def check_rows(inventory: pd.DataFrame, inputs: DeviceInputs, *, method: str) -> Flags:
    """The reasons of earlier stages, plus what this stage cannot estimate."""
    flags = Flags(len(inventory))
    flags.add_column(inventory["reason"])
    category = inventory["category"]
    no_row = category.notna().to_numpy() & (inputs.positions < 0)
    flags.add_each(no_row, category, "inventory.category.no_factor_row")
    if method == "flux":
        flags.add(np.isnan(inputs.start_year), msg("inventory.flux_needs_date"))
    no_grid = np.isnan(inputs.grid_factor_kg_per_kwh) & inventory["country"].notna().to_numpy()
    flags.add_each(no_grid, inventory["country"], "inventory.country_no_grid")
    return flags


def estimate_inventory(
    inventory: pd.DataFrame,
    factors: FactorSet,
    *,
    year: int,
    method: str = "amortised",
    grid_factor_kg_per_kwh: float | None = None,
    renewal_factor: np.ndarray | float = 1.0,
) -> pd.DataFrame:
    """Yearly footprint of every row of a normalised inventory.

    Parameters
    ----------
    inventory : DataFrame
        From :func:`greenit.inventory.normalise_inventory` (stage ``inventory`` of
        :mod:`greenit.schema`).
    factors : FactorSet
        Device, electricity and parameter tables.
    year : int
        Reference year of the footprint.
    method : {"amortised", "flux"}
        ``amortised`` spreads manufacture over the lifespan (BEGES poste 4.2); ``flux`` puts
        it whole in the purchase year.
    grid_factor_kg_per_kwh : float, optional
        Carbon intensity [kgCO2e/kWh] used for every row instead of the country's.
    renewal_factor : array or float
        Share of today's purchases still made under levers [0–1] (a lifespan lever): it
        scales manufacture and end of life. 1 without levers.

    Returns
    -------
    DataFrame
        Stage ``estimated`` of :mod:`greenit.schema`: the inventory with ``estimate_status``,
        ``reason``, ``notes``, the device-level inputs used (``device_*``) and the per-year
        results for the row's whole quantity with their ``_low``/``_high``.
    """
    if method not in METHODS:
        raise GreenitError.of(
            "inventory.method_unknown", "inventory.method_known", method=method, known=METHODS
        )
    grid_factor_kg_per_kwh = check_grid_factor(grid_factor_kg_per_kwh)
    inputs = resolve_inputs(inventory, factors, grid_factor_kg_per_kwh)
    flags = check_rows(inventory, inputs, method=method)
    quantity = inventory["quantity"].to_numpy(dtype=float)
    renewal = np.asarray(renewal_factor, dtype=float)
    manufacture, end_of_life = yearly_manufacture_kgco2e(
        inputs.manufacture_kgco2e * renewal,
        inputs.end_of_life_kgco2e * renewal,
        quantity,
        inputs.lifespan_years,
        inputs.start_year,
        year=year,
        method=method,
    )
    consuming = inventory["status_kind"].isin(["in_service", "unknown"]).to_numpy()
    in_use = consuming_share_of_year(inputs.start_year, inputs.end_year, consuming, year=year)
    use_kwh = inputs.annual_kwh * (quantity * in_use)
    notes = Flags(len(inventory))
    if "notes" in inventory.columns:
        notes.add_column(inventory["notes"])  # how reading and normalising decided (amortisation…)
    notes.add(np.floor(inputs.start_year) > year, msg("inventory.note.purchased_after", year=year))
    out = assemble(inventory, inputs, flags, manufacture, end_of_life, use_kwh)
    out["notes"] = notes.column()
    out.attrs.update(
        year=year,
        method=method,
        factors_version=factors.version,
        grid_factor_override=grid_factor_kg_per_kwh,
    )
    return out


def assemble(
    inventory: pd.DataFrame,
    inputs: DeviceInputs,
    flags: Flags,
    manufacture: Bounds,
    end_of_life: np.ndarray,
    use_kwh: Bounds,
) -> pd.DataFrame:
    """The result columns: NaN on flagged rows, 0 where a value does not apply."""
    out = inventory.copy(deep=False)
    ok = ~flags.flagged

    def kept(values: np.ndarray) -> np.ndarray:
        return np.where(ok, np.nan_to_num(values, nan=0.0), np.nan)

    use_kgco2e = use_kwh * inputs.grid_factor_kg_per_kwh
    out["device_manufacture_kgco2e"] = np.where(ok, inputs.manufacture_kgco2e.central, np.nan)
    out["device_lifespan_years"] = np.where(ok, inputs.lifespan_years, np.nan)
    out["device_annual_kwh"] = np.where(ok, inputs.annual_kwh.central, np.nan)
    out["grid_factor_kg_per_kwh"] = np.where(ok, inputs.grid_factor_kg_per_kwh, np.nan)
    for name, value in (("manufacture", manufacture), ("use", use_kgco2e)):
        out[f"{name}_kgco2e"] = kept(value.central)
        out[f"{name}_low_kgco2e"] = kept(value.low)
        out[f"{name}_high_kgco2e"] = kept(value.high)
    out["use_kwh"] = kept(use_kwh.central)
    out["use_low_kwh"] = kept(use_kwh.low)
    out["use_high_kwh"] = kept(use_kwh.high)
    out["end_of_life_kgco2e"] = kept(end_of_life)
    for suffix in ("", "_low", "_high"):
        out[f"total{suffix}_kgco2e"] = (
            out[f"manufacture{suffix}_kgco2e"] + out[f"use{suffix}_kgco2e"] + out["end_of_life_kgco2e"]
        )
    out["estimate_status"] = pd.Categorical.from_codes(
        (~ok).astype(np.int64), categories=pd.Index(["estimated", "flagged"], dtype=object)
    )
    out["reason"] = flags.column()
    return out
