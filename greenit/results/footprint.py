"""The one result a report is rendered from: inventory, AI, levers, indicators, coverage.

:class:`FootprintResult` is computed once. Its headline total is the equipment plus the AI
runs that could be estimated, and every figure derived from a total — per agent,
equivalences, shares, the levers' baseline — is derived from that same headline total. The
report, the console, the JSON and the XLSX render :meth:`FootprintResult.to_json`; nothing
downstream re-reads a file or recomputes a footprint.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import pandas as pd

from greenit.factors import FactorSet
from greenit.factors.labels import Bilingual
from greenit.i18n import get_language, msg
from greenit.results.beges import beges_postes
from greenit.results.exclusions import exclusions, national_context
from greenit.results.inventory import InventorySummary
from greenit.results.jsonsafe import json_ready
from greenit.results.scope_sources import scope_factors_used
from greenit.results.sources import equivalences, factors_used
from greenit.results.workloads import WorkloadSummary


@dataclass
class FootprintResult:
    """Everything the report shows, computed once (see the module docstring)."""

    inventory: InventorySummary
    workloads: WorkloadSummary | None
    factors: FactorSet
    headcount: int | None = None
    population: int | None = None  # inhabitants, for the footprint per inhabitant
    title: str | None = None
    inputs: list[str] = field(default_factory=list)
    ai_inputs: list[str] = field(default_factory=list)
    levers: list = field(default_factory=list)  # greenit.levers.specs.Lever
    cumulative: pd.DataFrame | None = None  # compare_normalised(..., cumulative=True)
    alone: pd.DataFrame | None = None  # compare_normalised(..., cumulative=False)
    generated: _dt.date = field(default_factory=_dt.date.today)

    @property
    def year(self) -> int:
        return self.inventory.year

    def headline(self) -> dict:
        """The total [kgCO2e/year] and what it includes; the figures derived from it."""
        rows = self.inventory.totals  # the equipment's rows (their toner included)
        inv = self.inventory.scope_totals()  # with the services bought and consumables purchased
        workloads = self.workloads
        ai = workloads.totals() if workloads is not None else None
        ai_low, ai_high = workloads.total_range() if workloads is not None else (0.0, 0.0)
        total = inv["total_kgco2e"] + (ai["total_kgco2e"] if ai else 0.0)
        low, high = inv["total_low_kgco2e"] + ai_low, inv["total_high_kgco2e"] + ai_high
        services = "services_kgco2e" in inv

        def share(part: float) -> float | None:
            return part / total if total else None

        return {
            "total_kgco2e": total,
            "total_low_kgco2e": low,
            "total_high_kgco2e": high,
            "includes": ["equipment", *(["services"] if services else []), *(["ai"] if ai else [])],
            "equipment_kgco2e": rows["total_kgco2e"],
            "equipment_low_kgco2e": rows["total_low_kgco2e"],
            "equipment_high_kgco2e": rows["total_high_kgco2e"],
            # BEGES 4.1: the printers' toner, or the town's own purchases when it gives them
            "consumables_kgco2e": inv["consumables_kgco2e"],
            "consumables_low_kgco2e": inv["consumables_low_kgco2e"],
            "consumables_high_kgco2e": inv["consumables_high_kgco2e"],
            "consumables_purchased_kgco2e": inv["consumables_kgco2e"] - rows["consumables_kgco2e"],
            # BEGES 4.5: services bought (--services FILE); None when no file was given
            "services_kgco2e": inv.get("services_kgco2e"),
            "services_low_kgco2e": inv.get("services_low_kgco2e"),
            "services_high_kgco2e": inv.get("services_high_kgco2e"),
            "room_overhead_kgco2e": rows.get("room_overhead_kgco2e", 0.0),
            "manufacture_kgco2e": inv["manufacture_kgco2e"],
            "use_kgco2e": inv["use_kgco2e"],
            "end_of_life_kgco2e": inv["end_of_life_kgco2e"],
            "use_kwh": inv["use_kwh"],
            "manufacture_share": share(inv["manufacture_kgco2e"]),
            "use_share": share(inv["use_kgco2e"]),
            "devices": self.inventory.quantity_estimated,
            "ai_kgco2e": ai["total_kgco2e"] if ai else None,
            "ai_kwh": ai["energy_kwh"] if ai else None,
            "ai_share": share(ai["total_kgco2e"]) if ai else None,
            "ai_runs": workloads.counts()["runs"] if workloads is not None else None,
            "ai_hosted_rows": workloads.counts()["hosted"] if workloads is not None else None,
            "per_agent_kgco2e": total / self.headcount if self.headcount else None,
            "headcount": self.headcount,
            "per_inhabitant_kgco2e": total / self.population if self.population else None,
            "population": self.population,
        }

    def coverage(self) -> dict:
        """What the total leaves out: shares estimated [0–1] and counts flagged."""
        inventory = self.inventory
        out = {
            **inventory.coverage(),
            "rows_flagged": inventory.rows_flagged,
            "rows_not_devices": inventory.rows_not_devices,
            "rows_in": inventory.rows_in,
            "quantity_flagged": inventory.quantity_flagged,
            "warning": inventory.coverage_warning(),
        }
        if self.workloads is not None:
            runs = self.workloads.coverage()
            out |= {"runs": runs, "runs_flagged": len(self.workloads.flagged)}
            out |= {"runs_in": self.workloads.runs_in}
            out["warning"] = out["warning"] or 1 - runs > 0.10
        return out

    def indicators(self) -> dict:
        used = (self.inventory.columns or {}).get("used", {})
        refurbished_column = "refurbished" in used.values()
        return self.inventory.indicator_sums.indicators(self.factors, self.year, refurbished_column)

    def scenarios(self, total_kgco2e: float) -> list[dict]:
        """Baseline then each lever; totals start from the headline total [kgCO2e/year]."""
        if self.cumulative is None or not self.levers:
            return []
        labels = {k: Bilingual(v["fr"], v["en"]) for k, v in self.inventory.category_labels.items()}
        cumulative = self.cumulative["total_kgco2e"].to_numpy()
        alone = self.alone["total_kgco2e"].to_numpy() if self.alone is not None else None
        # levers act on devices and AI: the services file's total is the same in every step
        bought = self.inventory.scope_totals()["total_kgco2e"] - self.inventory.totals["total_kgco2e"]
        records = [
            {
                "label": msg("results.scenario.baseline"),
                "spec": None,
                "total_kgco2e": total_kgco2e,
                "recomputed_baseline_kgco2e": float(cumulative[0]) + bought,
                **lever_money(self.cumulative, self.alone, 0),
            }
        ]
        for i, lever in enumerate(self.levers, start=1):
            change = float(cumulative[i] - cumulative[0])
            record = {
                "label": lever.message(labels),
                "spec": lever.spec or None,
                "kind": lever.kind,
                "scope": lever.scope,
                "total_kgco2e": total_kgco2e + change,
                "change_kgco2e": change,
                "change_share": change / total_kgco2e if total_kgco2e else None,
                "step_kgco2e": float(cumulative[i] - cumulative[i - 1]),
            }
            if alone is not None:
                record["alone_change_kgco2e"] = float(alone[i] - alone[0])
            record["criteria_change"] = _criteria_change(self.cumulative, i)
            records.append(record | lever_money(self.cumulative, self.alone, i))
        return records

    def levers_ranking(self) -> list[dict]:
        """The levers, each alone, from the cheapest tonne avoided to the dearest (€ per tCO2e
        avoided; those that avoid none or whose € is unknown last): spec, label, changes.
        """
        if self.alone is None or not self.levers:
            return []
        from greenit.levers.money import ranking

        labels = {k: Bilingual(v["fr"], v["en"]) for k, v in self.inventory.category_labels.items()}
        by_spec = {lever.spec or lever.kind: lever for lever in self.levers}
        return [
            {
                "spec": row["lever"],
                "label": by_spec[row["lever"]].message(labels)
                if row["lever"] in by_spec
                else row["scenario"],
                "change_kgco2e": row["change_kgco2e"],
                "change_eur_per_year": row["change_eur_per_year"],
                "eur_per_tco2e_avoided": row["eur_per_tco2e_avoided"],
            }
            for row in ranking(self.alone)
        ]

    def beges_figures(self, headline: dict) -> dict:
        """The headline with the bounds of its parts (per phase, AI) that the BEGES postes sum."""
        bounds = {k: v for k, v in self.inventory.totals.items() if "_low_" in k or "_high_" in k}
        if self.workloads is not None:
            bounds["ai_low_kgco2e"], bounds["ai_high_kgco2e"] = self.workloads.total_range()
        return bounds | headline

    def to_json(self, lang: str | None = None) -> dict:
        """``summary.json``: the one object every output of ``greenit report`` is rendered from."""
        lang = lang or get_language()
        headline = self.headline()
        total = headline["total_kgco2e"]
        inventory = self.inventory
        categories = [g for g in inventory.group_table("category")["category"] if g is not None]
        return json_ready(
            {
                "year": self.year,
                "lang": lang,
                "title": self.title,
                "generated": self.generated,
                "method": inventory.method,
                "lifespan_rule": inventory.scope.lifespan_rule,
                "factors_version": inventory.factors_version,
                "headline": headline,
                "coverage": self.coverage(),
                "indicators": self.indicators(),
                "equivalences": equivalences(self.factors, total),
                "beges": {"postes": beges_postes(self.beges_figures(headline), inventory.method)},
                "inventory": inventory.to_json(lang),
                "age_profile": _age_records(inventory, lang),
                "ai": self.workloads.to_json(lang) if self.workloads is not None else None,
                "scenarios": self.scenarios(total),
                "levers_ranking": self.levers_ranking(),
                "factors_used": factors_used(
                    self.factors,
                    categories,
                    list(inventory.countries),
                    grid_factor_override=inventory.grid_factor_override,
                    ai_runs=self.workloads.runs if self.workloads is not None else None,
                    scope=scope_factors_used(
                        self.factors,
                        categories,
                        service_factor_ids=_service_factor_ids(inventory),
                        lifespan_rule=inventory.scope.lifespan_rule,
                    ),
                ),
                "inputs": {"inventory": self.inputs, "ai": self.ai_inputs},
                "exclusions": exclusions(self.factors, headline, inventory.services is not None),
                "national_context": national_context(self.factors),
            },
            lang,
        )


def _service_factor_ids(inventory: InventorySummary) -> list[str]:
    """The factor rows of ``services.csv`` the services lines used (none without a file)."""
    if inventory.services is None:
        return []
    lines = inventory.services.lines
    return [k for k in lines["factor_id"].tolist() if isinstance(k, str)]


def _criteria_change(frame: pd.DataFrame, step: int) -> dict[str, float] | None:
    """The equipment's ADPe, primary energy and water change under the levers up to ``step``."""
    keys = [c for c in ("adpe_change_kgsbeq", "pe_change_mj", "water_change_m3") if c in frame.columns]
    if not keys:
        return None
    return {key.replace("_change", ""): float(frame[key].iloc[step]) for key in keys}


#: The € columns of a lever's row (:mod:`greenit.levers.money`) summary.json carries.
MONEY_KEYS = (
    "budget_eur_per_year",
    "budget_low_eur_per_year",
    "budget_high_eur_per_year",
    "change_eur_per_year",
    "change_low_eur_per_year",
    "change_high_eur_per_year",
    "change_priced_share",
    "eur_per_tco2e_avoided",
    "step_eur_per_year",
)


def lever_money(cumulative: pd.DataFrame, alone: pd.DataFrame | None, i: int) -> dict:
    """The € of step ``i`` of the waterfall (cumulated levers), and of the lever alone."""
    row = cumulative.iloc[i]
    money = {key: row.get(key) for key in MONEY_KEYS}
    if alone is not None and i > 0:
        money |= {
            "alone_change_eur_per_year": alone.iloc[i].get("change_eur_per_year"),
            "alone_eur_per_tco2e_avoided": alone.iloc[i].get("eur_per_tco2e_avoided"),
        }
    return money


def _age_records(inventory: InventorySummary, lang: str | None) -> list[dict]:
    table = inventory.indicator_sums.age_table()
    records = []
    for category, row in table.iterrows():
        labels = inventory.category_labels.get(category) or {}
        records.append(
            {"category": category, "label": labels.get(lang or get_language(), category), **row.to_dict()}
        )
    return records
