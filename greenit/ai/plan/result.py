"""The compared options of a plan as one result: what ``greenit ai plan --json`` prints, what the
console table, the chart and the council's HTML page are rendered from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from greenit.ai.plan.estimate import OptionEstimate, option_criteria
from greenit.ai.plan.planfile import Plan
from greenit.factors import FactorSet
from greenit.i18n import check_language, render_value

#: the keys of each option in ``--json`` (a contract: DESIGN.md « AI decisions »), first
CONTRACT_KEYS = (
    "option",
    "energy_kwh",
    "total_kgco2e",
    "total_low_kgco2e",
    "total_high_kgco2e",
    "eur_per_year",
    "per_request_gco2e",
)


def _number(value: float | None) -> float | None:
    """A figure for strict JSON: None where unknown (NaN)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _ratio(value: float | None, by: float | None, scale: float = 1.0) -> float | None:
    if value is None or not by:
        return None
    return value * scale / by


@dataclass(frozen=True)
class PlanResult:
    """A plan and its options estimated, in the plan's order."""

    plan: Plan
    options: list[OptionEstimate]
    factors: FactorSet
    electricity_price_eur_per_kwh: float | None = None
    electricity_price_origin: str | None = None  # plan | option

    @property
    def population(self) -> float | None:
        return self.plan.service.population

    def option_json(self, estimate: OptionEstimate, lang: str) -> dict:
        """One option as ``--json`` gives it."""
        option, service = estimate.option, self.plan.service
        energy, total, eur = estimate.energy_kwh, estimate.total_kgco2e, estimate.eur_per_year
        central = _number(total.central[0])
        eur_central = _number(eur.central[0])
        row = estimate.rows.iloc[0] if estimate.rows is not None else None
        out = {
            "option": option.name,
            "energy_kwh": _number(energy.central[0]),
            "total_kgco2e": central,
            "total_low_kgco2e": _number(total.low[0]),
            "total_high_kgco2e": _number(total.high[0]),
            "eur_per_year": eur_central,
            "per_request_gco2e": _ratio(central, service.requests_per_year, 1000.0),
            "kind": option.kind,
            "status": estimate.status,
            "reason": render_value(estimate.reason, lang) if estimate.reason is not None else None,
            "energy_low_kwh": _number(energy.low[0]),
            "energy_high_kwh": _number(energy.high[0]),
            "usage_kgco2e": _number(estimate.usage_kgco2e),
            "embodied_kgco2e": _number(estimate.embodied_kgco2e),
            "cost_low_eur_per_year": _number(eur.low[0]),
            "cost_high_eur_per_year": _number(eur.high[0]),
            "eur_parts": {k: _number(v) for k, v in estimate.eur_parts.items()},
            "per_request_wh": _ratio(_number(energy.central[0]), service.requests_per_year, 1000.0),
            "per_inhabitant_kgco2e": _ratio(central, self.population),
            "per_inhabitant_eur": _ratio(eur_central, self.population),
            "provider": option.get("provider"),
            "model": str(row["model"])
            if row is not None and "model" in row and row["model"] is not None
            else None,
            "accelerator": option.get("accelerator"),
            "accelerator_count": option.get("accelerator_count"),
            "country": str(row["country"]) if row is not None and row["country"] is not None else None,
            "carbon_intensity_kg_per_kwh": _number(row["carbon_intensity_used_kg_per_kwh"])
            if row is not None
            else None,
            "pue": _number(row["pue_used"]) if row is not None else None,
            "energy_method": str(row["energy_method"]) if row is not None else "plan",
            "notes": [render_value(note, lang) for note in estimate.notes],
            "criteria": option_criteria(estimate, self.factors),
        }
        return out

    def source_ids(self) -> list[str]:
        """The sources of the figures compared, in the order they are first used."""
        factors, ids = self.factors, list[str]()

        def cite(*cells: object) -> None:
            for cell in cells:
                if isinstance(cell, str):
                    ids.extend(part.strip() for part in cell.split(";") if part.strip())

        for estimate in self.options:
            row = estimate.rows.iloc[0] if estimate.rows is not None else None
            country = str(row["country"]) if row is not None else self.plan.service.country
            if estimate.option.kind == "hosted":
                cite("ecologits_0_11", "genai_prices_47df840", "ecb_eurofxref")
                models = factors.tables.get("genai_models")
                if row is not None and models is not None and row["model"] in models.index:
                    cite(models.at[row["model"], "source_id"])
            elif estimate.option.kind == "self_hosted" and row is not None and row["accelerator"] is not None:
                accelerators = factors.table("accelerators")
                cite(
                    *(accelerators.at[row["accelerator"], c] for c in ("power_source", "manufacture_source"))
                )
                cite(
                    *factors.table("ai_parameters").loc[
                        ["accelerator_lifetime_years", "server_manufacture_kgco2e"], "source_id"
                    ]
                )
                prices = factors.tables.get("accelerator_prices")
                if prices is not None and row["accelerator"] in prices.index:
                    cite(prices.at[row["accelerator"], "source_id"], "ecb_eurofxref")
                cite("m14_bareme_2183")
            if country in factors.electricity.index:
                cite(factors.electricity.at[country, "source_id"])
        return list(dict.fromkeys(i for i in ids if i in factors.sources.index))

    def sources(self) -> list[dict]:
        """The sources' rows (id, publisher, title, year, url) for the page's list."""
        rows = self.factors.sources
        return [
            {"id": i, **{c: rows.at[i, c] for c in ("publisher", "title", "year", "url")}}
            for i in self.source_ids()
        ]

    def frame(self, lang: str | None = None):
        """The options as a DataFrame, one row per option in the plan's order (a notebook's table)."""
        import pandas as pd

        options = self.to_json(lang)["options"]
        return pd.DataFrame(
            [{k: v for k, v in o.items() if not isinstance(v, (dict, list))} for o in options]
        )

    def to_json(self, lang: str | None = None) -> dict:
        """The whole comparison, strict JSON (no NaN): ``options`` in the plan's order."""
        lang = check_language(lang)
        service = self.plan.service
        options = [self.option_json(e, lang) for e in self.options]
        return {
            "plan": self.plan.source,
            "service": {
                "name": service.name,
                "requests_per_year": service.requests_per_year,
                "input_tokens_per_request": service.input_tokens_per_request,
                "output_tokens_per_request": service.output_tokens_per_request,
                "country": service.country,
                "population": service.population,
            },
            "options": options,
            "options_estimated": sum(o["status"] == "estimated" for o in options),
            "options_flagged": sum(o["status"] == "flagged" for o in options),
            "electricity_price_eur_per_kwh": self.electricity_price_eur_per_kwh,
            "electricity_price_origin": self.electricity_price_origin,
            "usd_per_eur": self.factors.parameter("usd_per_eur")[0],
            "amortisation_years": dict(
                zip(
                    ("central", "low", "high"),
                    self.factors.parameter("ai_hardware_amortisation_years"),
                    strict=True,
                )
            ),
            "factors_version": self.factors.version,
            "sources": self.source_ids(),
            "lang": lang,
        }
