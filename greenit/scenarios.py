"""Levers as scenarios: each transforms the normalised frame, then the footprint is estimated again.

Inventory levers (on the frame of :func:`greenit.inventory.normalise_inventory`):

- ``lifespan+N[:cat,cat]`` — keep equipment N more years (all, or some categories);
- ``refurbished=X%[:cat,…]`` — X % of the fleet bought refurbished (default: terminals);
- ``reuse=X%`` — X % of retired equipment under 10 years old put back in service instead of
  buying new: the reused devices consume, the avoided new ones are no longer manufactured;
- ``grid=57 g/kWh`` — another electricity factor.

AI levers (on the frame of :func:`greenit.workloads.normalise_workloads`):

- ``pue=1.2``, ``region=europe-west9``, ``request-energy=-30%`` (energy per request of
  inference runs).

Scenarios are compared with the baseline, one by one, and cumulatively (each lever on top of
the previous ones) for the waterfall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from greenit.errors import GreenitError
from greenit.factors import FactorSet
from greenit.footprint import estimate_inventory, positions_in, take

TERMINALS = ("laptop", "desktop", "all_in_one", "thin_client", "monitor", "smartphone", "tablet")

LABELS = {
    "lifespan": {"fr": "Durée de vie +{value:g} an(s){scope}", "en": "Lifespan +{value:g} yr{scope}"},
    "refurbished": {
        "fr": "{value:.0%} d'achats reconditionnés{scope}",
        "en": "{value:.0%} refurbished purchases{scope}",
    },
    "reuse": {
        "fr": "Réemploi de {value:.0%} du matériel réformé",
        "en": "Reuse of {value:.0%} of retired equipment",
    },
    "grid": {"fr": "Électricité à {value_g:g} gCO2e/kWh", "en": "Electricity at {value_g:g} gCO2e/kWh"},
    "pue": {"fr": "PUE {value:g} pour l'IA", "en": "AI PUE {value:g}"},
    "region": {"fr": "IA hébergée en {text}", "en": "AI hosted in {text}"},
    "request_energy": {"fr": "Énergie par requête {value:+.0%}", "en": "Energy per request {value:+.0%}"},
}
AI_KINDS = {"pue", "region", "request_energy"}


@dataclass(frozen=True)
class Scenario:
    """One lever: its kind, its value and the categories it applies to (empty = default)."""

    kind: str
    value: float = 0.0
    text: str = ""
    categories: tuple[str, ...] = field(default_factory=tuple)

    def label(self, lang: str = "fr") -> str:
        scope = f" ({', '.join(self.categories)})" if self.categories else ""
        return LABELS[self.kind][lang].format(
            value=self.value, value_g=self.value * 1000, text=self.text, scope=scope
        )

    @property
    def on_ai(self) -> bool:
        return self.kind in AI_KINDS


_SPEC = re.compile(r"^\s*([a-z_-]+)\s*([+=-])\s*([^:]+?)\s*(?::\s*(.+))?$", re.IGNORECASE)


def parse_scenario(spec: str) -> Scenario:
    """``"lifespan+2:laptop,desktop"``, ``"refurbished=30%"``, ``"grid=57 g/kWh"`` → Scenario."""
    from greenit.units import conversion_factor, parse_number

    match = _SPEC.match(spec)
    if not match:
        raise GreenitError(
            f"--scenario '{spec}' is not understood",
            "e.g. lifespan+2, lifespan+1:laptop, refurbished=30%, reuse=50%, "
            "grid=57 g/kWh, pue=1.2, region=europe-west9, request-energy=-30%",
        )
    name, sign, value_text, scope = match.groups()
    name = name.lower().replace("-", "_")
    categories = tuple(c.strip() for c in scope.split(",")) if scope else ()

    def number(text: str) -> float:
        text = text.strip()
        try:
            if text.endswith("%"):
                return parse_number(text[:-1]) / 100
            return parse_number(text)
        except ValueError:
            raise GreenitError(f"--scenario '{spec}': '{text}' is not a number") from None

    if name in ("lifespan", "duree_de_vie"):
        years = number(value_text) * (-1 if sign == "-" else 1)
        return Scenario("lifespan", years, categories=categories)
    if name in ("refurbished", "reconditionne"):
        share = number(value_text)
        if not 0 <= share <= 1:
            raise GreenitError(f"--scenario '{spec}': the share must be between 0 and 100 %")
        return Scenario("refurbished", share, categories=categories)
    if name in ("reuse", "reemploi"):
        return Scenario("reuse", min(max(number(value_text), 0.0), 1.0))
    if name in ("grid", "electricite"):
        parts = re.match(r"^([\d\s.,]+)\s*(.*)$", value_text)
        if not parts:
            raise GreenitError(f"--scenario '{spec}': give a carbon intensity, e.g. grid=57 g/kWh")
        unit = parts.group(2) or "g/kWh"
        return Scenario("grid", number(parts.group(1)) * conversion_factor(unit, "kg/kWh"))
    if name == "pue":
        return Scenario("pue", number(value_text))
    if name in ("region", "location"):
        return Scenario("region", text=value_text.strip())
    if name in ("request_energy", "energy_per_request"):
        change = number(value_text) * (-1 if sign == "-" else 1)
        return Scenario("request_energy", change)
    raise GreenitError(
        f"--scenario '{spec}': unknown lever '{name}'",
        "levers: lifespan, refurbished, reuse, grid, pue, region, request-energy",
    )


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
        & (inventory["reason"].astype(str) == "").to_numpy()
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
            "reason": "",
        }
    )
    combined = pd.concat([plain, reused, avoided_rows], ignore_index=True)
    return combined.astype({c: "category" for c in categorical})


def apply_workload_scenario(
    runs: pd.DataFrame, scenario: Scenario, regions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The normalised AI runs as they would be under ``scenario`` (``regions``: cloud_regions.csv)."""
    out = runs.copy()
    if scenario.kind == "pue":
        measured = out["energy_kwh"].notna().to_numpy()
        out["pue"] = np.where(measured, out["pue"], scenario.value)
    elif scenario.kind == "region":
        if regions is not None and scenario.text not in regions.index:
            raise GreenitError(
                f"--scenario region={scenario.text}: unknown cloud or HPC region",
                f"known regions: {', '.join(regions.index)}",
            )
        out["region"] = pd.Categorical([scenario.text] * len(out))
        out["country"] = pd.Categorical([None] * len(out), categories=pd.Index([], dtype=object))
        out["carbon_intensity_kg_per_kwh"] = np.nan
        out["emissions_kgco2e"] = np.nan
        out["pue"] = np.where(out["energy_kwh"].notna(), out["pue"], np.nan)
    elif scenario.kind == "request_energy":
        inference = (out["phase"] == "inference").to_numpy()
        factor = 1 + scenario.value
        for column in ("energy_kwh", "power_w", "accelerator_power_w", "emissions_kgco2e"):
            out[column] = np.where(inference, out[column] * factor, out[column])
        # runs modelled from the accelerator table: scale utilisation instead
        modelled = (
            inference
            & np.isnan(out["accelerator_power_w"].to_numpy(dtype=float))
            & np.isnan(out["energy_kwh"].to_numpy(dtype=float))
            & np.isnan(out["power_w"].to_numpy(dtype=float))
        )
        utilisation = out["utilisation"].fillna(1.0).to_numpy(dtype=float)
        out["utilisation"] = np.where(modelled, utilisation * factor, out["utilisation"])
    return out


@dataclass
class ScenarioResult:
    scenario: Scenario | None  # None: the baseline
    label: str
    inventory_kgco2e: float
    inventory_low_kgco2e: float
    inventory_high_kgco2e: float
    ai_kgco2e: float

    @property
    def total_kgco2e(self) -> float:
        return self.inventory_kgco2e + self.ai_kgco2e


def _inventory_totals(estimated: pd.DataFrame) -> tuple[float, float, float]:
    kept = estimated[(estimated["estimate_status"] == "estimated").to_numpy()]
    return (
        float(kept["total_kgco2e"].sum()),
        float(kept["total_low_kgco2e"].sum()),
        float(kept["total_high_kgco2e"].sum()),
    )


def compare_scenarios(
    inventory: pd.DataFrame | None,
    factors: FactorSet,
    scenarios: list[Scenario],
    *,
    year: int,
    method: str = "amortised",
    grid_factor_kg_per_kwh: float | None = None,
    runs: pd.DataFrame | None = None,
    cumulative: bool = False,
    lang: str = "fr",
) -> pd.DataFrame:
    """Baseline, then each scenario: totals [kgCO2e/year] and change against the baseline.

    With ``cumulative=True`` each lever applies on top of the previous ones (a waterfall);
    otherwise each applies alone to the baseline.
    """
    from greenit.ai_energy import estimate_workloads

    def inventory_total(frame, grid) -> tuple[float, float, float]:
        if frame is None or frame.empty:
            return 0.0, 0.0, 0.0
        return _inventory_totals(
            estimate_inventory(frame, factors, year=year, method=method, grid_factor_kg_per_kwh=grid)
        )

    def ai_total(frame) -> float:
        if frame is None or frame.empty:
            return 0.0
        estimated = estimate_workloads(frame, factors)
        return float(estimated.loc[estimated["estimate_status"] == "estimated", "total_kgco2e"].sum())

    base_label = "Situation actuelle" if lang == "fr" else "Baseline"
    rows = [
        ScenarioResult(None, base_label, *inventory_total(inventory, grid_factor_kg_per_kwh), ai_total(runs))
    ]
    current_inventory, current_runs, current_grid = inventory, runs, grid_factor_kg_per_kwh
    for scenario in scenarios:
        if not cumulative:
            current_inventory, current_runs, current_grid = inventory, runs, grid_factor_kg_per_kwh
        if scenario.on_ai:
            if current_runs is not None:
                current_runs = apply_workload_scenario(current_runs, scenario, factors.table("cloud_regions"))
        elif scenario.kind == "grid":
            current_grid = scenario.value
        elif current_inventory is not None:
            current_inventory = apply_inventory_scenario(current_inventory, factors, scenario, year=year)
        rows.append(
            ScenarioResult(
                scenario,
                scenario.label(lang),
                *inventory_total(current_inventory, current_grid),
                ai_total(current_runs),
            )
        )
    baseline = rows[0].total_kgco2e
    frame = pd.DataFrame(
        {
            "scenario": [r.label for r in rows],
            "inventory_kgco2e": [r.inventory_kgco2e for r in rows],
            "inventory_low_kgco2e": [r.inventory_low_kgco2e for r in rows],
            "inventory_high_kgco2e": [r.inventory_high_kgco2e for r in rows],
            "ai_kgco2e": [r.ai_kgco2e for r in rows],
            "total_kgco2e": [r.total_kgco2e for r in rows],
        }
    )
    frame["change_kgco2e"] = frame["total_kgco2e"] - baseline
    frame["change_share"] = np.where(baseline > 0, frame["change_kgco2e"] / baseline, np.nan)
    frame["step_kgco2e"] = frame["total_kgco2e"].diff().fillna(0.0)
    frame.attrs["cumulative"] = cumulative
    return frame
