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
from typing import Any

import numpy as np
import pandas as pd

from greenit.bounds import Bounds
from greenit.errors import GreenitError
from greenit.factors import FactorSet
from greenit.factors.grid import check_grid_factor
from greenit.factors.lookup import positions_in, take
from greenit.flags import Flags
from greenit.i18n import msg
from greenit.inventory.budget import budget_columns
from greenit.inventory.consumables import consumables_kgco2e
from greenit.inventory.criteria import RowBasis, criteria_values
from greenit.inventory.lifespans import DEFAULT_RULE, Lifespans, family_years, lifespans
from greenit.inventory.model import (
    annual_energy_kwh,
    consuming_share_of_year,
    decimal_year,
    refurbished_factor,
    yearly_share,
)
from greenit.inventory.room import ONSITE_PUE_ROW, SERVER_ROOM_CATEGORIES, room_pue, ups_losses_kwh

METHODS = ("amortised", "flux")


@dataclass(frozen=True)
class ScopeSettings:
    """What a town declares about its scope (issue 22), passed to every estimate of its rows.

    ``pue``: the server room's PUE (``--pue``; None: the sourced default of a small room);
    ``lifespan_rule``: ``technique`` or ``amortissement`` (``--lifespan-rule``);
    ``consumables_purchased``: the town gives its own toner purchases (a ``consumables`` line of
    its services file): the printers' rows then count no consumables of their own.
    """

    pue: float | None = None
    lifespan_rule: str = DEFAULT_RULE
    consumables_purchased: bool = False

    def __deepcopy__(self, memo: dict) -> ScopeSettings:
        """Itself: it cannot change (pandas deep-copies the ``attrs`` that carry it into every frame)."""
        return self


@dataclass(frozen=True)
class DeviceInputs:
    """What one device of each row is taken to be, before counting quantity and year."""

    positions: np.ndarray  # row of the device table, -1 when none
    manufacture_kgco2e: Bounds  # per device, refurbished share applied [kgCO2e]
    refurbished: Bounds  # share of a new device's manufacture the row's devices carry [0–1]
    lifespan_years: np.ndarray  # [years]
    end_of_life_kgco2e: np.ndarray  # per device [kgCO2e]
    annual_kwh: Bounds  # per device in service [kWh/year]
    grid_factor_kg_per_kwh: np.ndarray  # [kgCO2e/kWh]
    start_year: np.ndarray  # purchase, decimal year (NaN unknown)
    end_year: np.ndarray  # retirement, decimal year (NaN unknown)
    lifespans: Lifespans | None = None  # the lifespan rule's choices, for the notes
    pue: Bounds = Bounds(1.0, 1.0, 1.0)  # the server room's PUE (1 outside the room)
    pue_origin: pd.Categorical | None = None  # file | option | default; "" outside the room
    consumables_kgco2e: Bounds = Bounds(0.0, 0.0, 0.0)  # toner and ink per device-year [kgCO2e/year]
    ups_rated: np.ndarray | None = None  # UPS rows whose power is read as their rating


def _column(inventory: pd.DataFrame, name: str) -> np.ndarray:
    """A float column of the frame, NaN when absent (rows recorded before it existed)."""
    if name not in inventory.columns:
        return np.full(len(inventory), np.nan)
    return inventory[name].to_numpy(dtype=float)


def resolve_inputs(
    inventory: pd.DataFrame,
    factors: FactorSet,
    grid_factor_kg_per_kwh: float | None,
    scope: ScopeSettings | None = None,
) -> DeviceInputs:
    """Per-device inputs: the file's value where given, else the device table's (with range)."""
    scope = scope or ScopeSettings()
    devices = factors.devices
    positions = positions_in(devices, inventory["category"])

    def table(column: str) -> np.ndarray:
        return take(devices, positions, column)

    def table_bounds(column: str, low: str, high: str) -> Bounds:
        return Bounds(table(column), table(low), table(high))

    manufacture = table_bounds(
        "manufacture_kgco2e", "manufacture_low_kgco2e", "manufacture_high_kgco2e"
    ).fill(inventory["given_manufacture_kgco2e"].to_numpy(dtype=float))
    refurbished = refurbished_factor(
        inventory["refurbished_share"].to_numpy(dtype=float),
        Bounds(*factors.parameter("refurbished_manufacture_share")),
    )
    given_hours = inventory["use_hours_per_year"].to_numpy(dtype=float)
    given_kwh = annual_energy_kwh(
        inventory["annual_kwh"].to_numpy(dtype=float),
        inventory["power_w"].to_numpy(dtype=float),
        np.where(np.isnan(given_hours), table("use_hours_per_year"), given_hours),
    )
    chosen = lifespans(
        scope.lifespan_rule,
        inventory["lifespan_years"].to_numpy(dtype=float),
        _column(inventory, "amortisation_years"),
        table("lifespan_years"),
        family_years(inventory["category"], factors.tables.get("amortisation")),
    )
    category = inventory["category"]  # a Categorical: compared once per category, not per row
    energy, ups_rated = _ups_energy(
        inventory, factors, category.eq("ups").to_numpy(dtype=bool, na_value=False)
    )
    in_room = category.isin(SERVER_ROOM_CATEGORIES).to_numpy(dtype=bool, na_value=False)
    pue, origin = room_pue(in_room, _column(inventory, "pue"), scope.pue, onsite_pue(factors))
    return DeviceInputs(
        positions=positions,
        manufacture_kgco2e=manufacture * refurbished,
        refurbished=refurbished,
        lifespan_years=chosen.years,
        end_of_life_kgco2e=np.nan_to_num(table("end_of_life_kgco2e"), nan=0.0),
        annual_kwh=table_bounds("annual_kwh", "annual_low_kwh", "annual_high_kwh")
        .fill(given_kwh)
        .where(~ups_rated, energy),
        grid_factor_kg_per_kwh=_grid_factors(inventory, factors, grid_factor_kg_per_kwh),
        start_year=decimal_year(inventory["purchase_date"]),
        end_year=decimal_year(inventory["retirement_date"]),
        lifespans=chosen,
        pue=pue,
        pue_origin=origin,
        consumables_kgco2e=_consumables_factor(inventory, factors),
        ups_rated=ups_rated,
    )


def _ups_energy(inventory: pd.DataFrame, factors: FactorSet, is_ups: np.ndarray) -> tuple[Bounds, np.ndarray]:
    """The losses of UPS rows that give a power and no energy: that power is their rating."""
    rated = is_ups & np.isnan(_column(inventory, "annual_kwh")) & ~np.isnan(_column(inventory, "power_w"))
    if not rated.any():
        return Bounds.exact(np.full(len(inventory), np.nan)), rated
    load_share = factors.parameter("ups_load_share")[0]
    losses = ups_losses_kwh(
        _column(inventory, "power_w"), load_share, Bounds(*factors.parameter("ups_loss_share"))
    )
    return losses, rated


def onsite_pue(factors: FactorSet) -> Bounds:
    """The default PUE of a town's own server room (``pue.csv``, row ``onsite``), with its range."""
    row = factors.table("pue").loc[ONSITE_PUE_ROW]
    central = float(row["pue"])
    low = float(row["low"]) if pd.notna(row.get("low")) else central
    high = float(row["high"]) if pd.notna(row.get("high")) else central
    return Bounds(central, low, high)


def _consumables_factor(inventory: pd.DataFrame, factors: FactorSet) -> Bounds:
    """Toner and ink per device-year of each row's category [kgCO2e/year]; NaN where none."""
    table = factors.tables.get("consumables")
    if table is None:
        return Bounds.exact(np.full(len(inventory), np.nan))
    positions = positions_in(table, inventory["category"])
    columns = ("consumables_kgco2e", "consumables_low_kgco2e", "consumables_high_kgco2e")
    return Bounds(*(take(table, positions, c) for c in columns))


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
    scope: ScopeSettings | None = None,
    electricity_price_eur_per_kwh: float | None = None,
) -> pd.DataFrame:
    """Yearly footprint of every row of a normalised inventory, and its budget.

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
        scales manufacture and end of life — and the renewal budget. 1 without levers.
    electricity_price_eur_per_kwh : float, optional
        Price of a kWh [€ excl. VAT] (``--electricity-price``) [default: ``electricity_price``
        of ``parameters.csv``, with its range].
    scope : ScopeSettings, optional
        The server room's PUE, the lifespan rule, whether the town gives its own toner
        purchases (default: the room's sourced PUE, ``technique``, the printers' own).

    Returns
    -------
    DataFrame
        Stage ``estimated`` of :mod:`greenit.schema`: the inventory with ``estimate_status``,
        ``reason``, ``notes``, the device-level inputs used (``device_*``) and the per-year
        results for the row's whole quantity with their ``_low``/``_high``, and the budget
        columns of :mod:`greenit.inventory.budget`.
    """
    if method not in METHODS:
        raise GreenitError.of(
            "inventory.method_unknown", "inventory.method_known", method=method, known=METHODS
        )
    grid_factor_kg_per_kwh = check_grid_factor(grid_factor_kg_per_kwh)
    scope = scope or ScopeSettings()
    inputs = resolve_inputs(inventory, factors, grid_factor_kg_per_kwh, scope)
    flags = check_rows(inventory, inputs, method=method)
    quantity = inventory["quantity"].to_numpy(dtype=float)
    renewal = np.asarray(renewal_factor, dtype=float)
    charged = yearly_share(quantity, inputs.lifespan_years, inputs.start_year, year=year, method=method)
    manufacture = inputs.manufacture_kgco2e * renewal * charged  # [kgCO2e/year]
    end_of_life = inputs.end_of_life_kgco2e * renewal * charged
    consuming = inventory["status_kind"].isin(["in_service", "unknown"]).to_numpy()
    in_use = consuming_share_of_year(inputs.start_year, inputs.end_year, consuming, year=year)
    use_kwh = inputs.annual_kwh * (quantity * in_use) * inputs.pue  # the room's PUE: 1 elsewhere
    consumables = consumables_kgco2e(inputs.consumables_kgco2e, quantity, in_use)
    if scope.consumables_purchased:
        consumables = Bounds.exact(np.zeros(len(inventory)))  # counted from the town's purchases
    notes = _notes(inventory, inputs, scope, year)
    estimated = ~flags.flagged
    basis = RowBasis(charged, inputs.refurbished, renewal, use_kwh, estimated)
    columns = assemble(inputs, flags, manufacture, end_of_life, use_kwh, consumables)
    columns.update(criteria_values(inventory, basis, factors))
    budget, prices = budget_columns(
        inventory,
        factors,
        lifespan_years=inputs.lifespan_years,
        use_kwh=use_kwh,
        estimated=estimated,
        renewal_factor=renewal,
        electricity_price_eur_per_kwh=electricity_price_eur_per_kwh,
    )
    columns.update(budget)
    columns["notes"] = notes.column()
    out = with_columns(inventory, columns)
    out.attrs.update(
        prices,
        year=year,
        method=method,
        factors_version=factors.version,
        grid_factor_override=grid_factor_kg_per_kwh,
        scope=scope,
    )
    return out


def _notes(inventory: pd.DataFrame, inputs: DeviceInputs, scope: ScopeSettings, year: int) -> Flags:
    """How each row was read, normalised and estimated (the ``notes`` column)."""
    notes = Flags(len(inventory))
    if "notes" in inventory.columns:
        notes.add_column(inventory["notes"])  # how reading and normalising decided (amortisation…)
    notes.add(np.floor(inputs.start_year) > year, msg("inventory.note.purchased_after", year=year))
    _scope_notes(notes, inventory, inputs, scope)
    return notes


def _scope_notes(notes: Flags, inventory: pd.DataFrame, inputs: DeviceInputs, scope: ScopeSettings) -> None:
    """How the server room's PUE, the lifespan rule, the UPS and the consumables were decided."""
    origin = inputs.pue_origin if inputs.pue_origin is not None else np.full(len(inventory), "")
    for kind in ("file", "option", "default"):
        notes.add(origin == kind, msg(f"scope.note.pue_{kind}"))
    given_pue = ~np.isnan(_column(inventory, "pue"))
    notes.add(given_pue & (origin == ""), msg("scope.note.pue_not_room"))
    chosen = inputs.lifespans
    if chosen is not None:
        notes.add(chosen.from_amortisation, msg("inventory.note.lifespan_from_amortisation"))
        notes.add(chosen.from_scale, msg("scope.note.lifespan_from_scale"))
        notes.add(chosen.amortisation_unused, msg("scope.note.amortisation_unused"))
        notes.add(chosen.lifespan_unused, msg("scope.note.lifespan_unused"))
    if inputs.ups_rated is not None:
        notes.add(inputs.ups_rated, msg("scope.note.ups_rating"))
    has_consumables = ~np.isnan(np.asarray(inputs.consumables_kgco2e.central, dtype=float))
    key = "scope.note.consumables_purchased" if scope.consumables_purchased else "scope.note.consumables"
    notes.add(has_consumables, msg(key))


def assemble(
    inputs: DeviceInputs,
    flags: Flags,
    manufacture: Bounds,
    end_of_life: np.ndarray,
    use_kwh: Bounds,
    consumables: Bounds | None = None,
) -> dict[str, Any]:
    """The result columns, by name in the frame's order: NaN on flagged rows, 0 where a value
    does not apply.
    """
    ok = ~flags.flagged
    n = len(ok)

    def kept(values: np.ndarray) -> np.ndarray:
        return np.where(ok, np.nan_to_num(values, nan=0.0), np.nan)

    use_kgco2e = use_kwh * inputs.grid_factor_kg_per_kwh
    out: dict[str, Any] = {
        "device_manufacture_kgco2e": np.where(ok, inputs.manufacture_kgco2e.central, np.nan),
        "device_lifespan_years": np.where(ok, inputs.lifespan_years, np.nan),
        "device_annual_kwh": np.where(ok, inputs.annual_kwh.central, np.nan),
        "grid_factor_kg_per_kwh": np.where(ok, inputs.grid_factor_kg_per_kwh, np.nan),
    }
    for name, value in (("manufacture", manufacture), ("use", use_kgco2e)):
        out[f"{name}_kgco2e"] = kept(value.central)
        out[f"{name}_low_kgco2e"] = kept(value.low)
        out[f"{name}_high_kgco2e"] = kept(value.high)
    out["use_kwh"] = kept(use_kwh.central)
    out["use_low_kwh"] = kept(use_kwh.low)
    out["use_high_kwh"] = kept(use_kwh.high)
    out["end_of_life_kgco2e"] = kept(end_of_life)
    pue = np.asarray(inputs.pue.central, dtype=float) * np.ones(n)
    in_room = inputs.pue_origin != "" if inputs.pue_origin is not None else np.zeros(n, dtype=bool)
    out["pue_used"] = np.where(ok & in_room, pue, np.nan)
    out["room_overhead_kwh"] = kept(use_kwh.central * (1.0 - 1.0 / pue))
    out["room_overhead_kgco2e"] = kept(use_kgco2e.central * (1.0 - 1.0 / pue))
    consumables = consumables or Bounds.exact(np.zeros(n))
    for suffix, value in (("", consumables.central), ("_low", consumables.low), ("_high", consumables.high)):
        out[f"consumables{suffix}_kgco2e"] = kept(np.asarray(value, dtype=float) * np.ones(n))
    for suffix in ("", "_low", "_high"):
        out[f"total{suffix}_kgco2e"] = (
            out[f"manufacture{suffix}_kgco2e"]
            + out[f"use{suffix}_kgco2e"]
            + out["end_of_life_kgco2e"]
            + out[f"consumables{suffix}_kgco2e"]
        )
    out["estimate_status"] = pd.Categorical.from_codes(
        (~ok).astype(np.int64), categories=pd.Index(["estimated", "flagged"], dtype=object)
    )
    out["reason"] = flags.column()
    return out


def with_columns(frame: pd.DataFrame, columns: dict[str, Any]) -> pd.DataFrame:
    """``frame`` with ``columns`` set as ``frame[name] = values`` one after the other would set
    them (a column already there keeps its place), joined in one go: a pandas frame grown one
    column at a time copies every array it is given, and one built from a dict copies them all
    into one block. ``columns`` hold arrays made for this frame alone: they are used in place.
    """
    replaced = [name for name in columns if name in frame.columns]
    added = {name: values for name, values in columns.items() if name not in frame.columns}
    joined = pd.concat([frame, pd.DataFrame(added, index=frame.index, copy=False)], axis=1)
    out = joined.__finalize__(frame)  # the frame's attrs, as a copy of it keeps them
    for name in replaced:
        out[name] = columns[name]
    return out
