"""A plan's options side by side: yearly energy, carbon with its range, euros, per request and
per inhabitant.

Each AI option is estimated as its equivalent log (:mod:`greenit.ai.plan.equivalent`) through
the functions ``greenit ai estimate`` applies to a file: a hosted option through
:func:`~greenit.ai.hosted.usage.normalise_usage` and :func:`~greenit.ai.hosted.estimate.estimate_hosted`
(EcoLogits per request × a year of requests), a self-hosted one through
:func:`~greenit.ai.runs.normalise.normalise_workloads` and
:func:`~greenit.ai.runs.estimate.estimate_workloads` (Green Algorithms energy, the hardware's
embodied share). A way without AI (``baseline``) keeps the town's own figures; its carbon is
its energy × the country's grid factor when it gives only the energy.

Euros (:mod:`greenit.ai.prices`): a hosted option costs its tokens at the provider's public
price; a self-hosted one its hardware amortised plus its electricity at the electricity price
the plan or ``--electricity-price`` gives. A figure the plan gives itself (``eur_per_year``)
is used as given. Where nothing gives a price, the € is unknown, and the notes say what to give.

Multi-criteria (ADPe, primary energy, water) hook: :func:`option_criteria` returns None until
the criteria tables land (issue #23); the JSON already carries a ``criteria`` key per option.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from greenit.ai.plan.equivalent import equivalent_frame
from greenit.ai.plan.planfile import Plan, PlanOption
from greenit.ai.prices import accelerator_price_eur, amortised_eur_per_year, hosted_eur
from greenit.bounds import Bounds
from greenit.factors import FactorSet
from greenit.i18n import Message, msg

_FIGURES = ("energy_kwh", "usage_kgco2e", "embodied_kgco2e", "total_kgco2e")


@dataclass(frozen=True)
class OptionEstimate:
    """One option's year, as the estimator gave it (``rows``: its ``runs_estimated`` row)."""

    option: PlanOption
    status: str  # estimated | flagged
    reason: Message | str | None
    energy_kwh: Bounds
    total_kgco2e: Bounds
    usage_kgco2e: float
    embodied_kgco2e: float
    eur_per_year: Bounds  # NaN where unknown
    eur_parts: dict[str, float]  # tokens | hardware | electricity | given → € per year
    notes: tuple[Message | str, ...]
    rows: pd.DataFrame | None = None


def option_factors(option: PlanOption, factors: FactorSet) -> FactorSet:
    """The factor tables an option is estimated with: a self-hosted option giving its server's
    manufacture (``server_embodied_kgco2e``) has a server of its own, for its accelerators only.
    """
    embodied = option.get("server_embodied_kgco2e")
    if option.kind != "self_hosted" or embodied is None:
        return factors
    table = factors.table("ai_parameters").copy()
    for name, value in (
        ("server_manufacture_kgco2e", embodied),
        ("accelerators_per_server", max(float(option.get("accelerator_count") or 1), 1.0)),
    ):
        table.loc[name, ["value", "low", "high"]] = value
        table.loc[name, "source_id"] = "plan"
    return replace(factors, tables={**factors.tables, "ai_parameters": table})


def estimated_rows(plan: Plan, option: PlanOption, factors: FactorSet) -> pd.DataFrame:
    """The ``runs_estimated`` row of an AI option's equivalent log, as ``greenit ai estimate``
    computes it from the same log.
    """
    raw = equivalent_frame(plan, option)
    country = plan.service.country
    if option.kind == "hosted":
        from greenit.ai.hosted.estimate import estimate_hosted
        from greenit.ai.hosted.usage import normalise_usage

        return estimate_hosted(
            normalise_usage(raw, factors, default_country=country), factors, default_country=country
        )
    from greenit.ai.runs.estimate import estimate_workloads
    from greenit.ai.runs.normalise import normalise_workloads

    own = option_factors(option, factors)
    return estimate_workloads(normalise_workloads(raw, own, default_country=country), own)


def _bounds(row: pd.Series, stem: str, unit: str) -> Bounds:
    values = [float(row[f"{stem}{part}_{unit}"]) for part in ("", "_low", "_high")]
    return Bounds(*(np.array([v]) for v in values))


def _unknown() -> Bounds:
    return Bounds.exact(np.array([np.nan]))


def _hosted_eur(option: PlanOption, row: pd.Series, factors: FactorSet) -> tuple[dict, list]:
    eur = float(hosted_eur(row.to_frame().T, factors).iloc[0])
    if np.isnan(eur):
        return {}, [msg("aiplan.note.no_token_price", model=str(row["model"]))]
    from greenit.ai.prices import price_row

    priced = price_row(row["model"], factors)
    checked = priced["prices_checked"] if priced is not None else ""
    note = msg(
        "aiplan.note.token_price",
        model=str(priced.name if priced is not None else row["model"]),
        date=checked,
    )
    return {"tokens": eur}, [note]


def _hardware_eur(option: PlanOption, row: pd.Series, factors: FactorSet) -> tuple[Bounds | None, list]:
    count = float(option.get("accelerator_count") or 0)
    years = option.get("amortisation_years")
    if option.get("price_eur") is not None:
        price = Bounds.exact(np.array([float(option.get("price_eur"))]))
        return amortised_eur_per_year(price, years, factors), [msg("aiplan.note.price_given")]
    unit = accelerator_price_eur(row.get("accelerator"), factors)
    if unit is None:
        return None, [msg("aiplan.note.no_hardware_price", accelerator=str(option.get("accelerator")))]
    note = msg("aiplan.note.hardware_price", accelerator=str(row.get("accelerator")))
    return amortised_eur_per_year(unit * count, years, factors), [note]


def option_eur(
    option: PlanOption, row: pd.Series | None, energy: Bounds, factors: FactorSet, price_per_kwh: float | None
) -> tuple[Bounds, dict[str, float], list]:
    """An option's € per year (with its range), its parts, and the notes saying where they come from."""
    if option.get("eur_per_year") is not None:
        given = float(option.get("eur_per_year"))
        return Bounds.exact(np.array([given])), {"given": given}, [msg("aiplan.note.eur_given")]
    if option.kind == "baseline" or row is None:
        return _unknown(), {}, [msg("aiplan.note.no_eur_baseline")]
    if option.kind == "hosted":
        parts, notes = _hosted_eur(option, row, factors)
        total = parts.get("tokens", np.nan)
        return Bounds.exact(np.array([total])), parts, notes
    hardware, notes = _hardware_eur(option, row, factors)
    parts = {"hardware": float(hardware.central[0])} if hardware is not None else {}
    if price_per_kwh is None:
        notes.append(msg("aiplan.note.no_electricity_price"))
        return _unknown(), parts, notes
    electricity = energy * price_per_kwh
    parts["electricity"] = float(electricity.central[0])
    if hardware is None:
        return _unknown(), parts, notes
    return hardware + electricity, parts, notes


def _baseline(plan: Plan, option: PlanOption, factors: FactorSet) -> tuple[Bounds, Bounds, list]:
    """(energy, total emissions) of a way without AI, from the plan's own figures."""
    energy = option.get("energy_kwh_per_year")
    energy_bounds = Bounds.exact(np.array([np.nan if energy is None else float(energy)]))
    central = option.get("kgco2e_per_year")
    if central is not None:
        low = option.get("kgco2e_low_per_year", central)
        high = option.get("kgco2e_high_per_year", central)
        total = Bounds(np.array([float(central)]), np.array([float(low)]), np.array([float(high)]))
        return energy_bounds, total, [msg("aiplan.note.baseline_given")]
    factor = factors.grid_factor(plan.service.country)
    note = msg("aiplan.note.baseline_energy", country=plan.service.country, factor=round(factor * 1000, 4))
    return energy_bounds, energy_bounds * factor, [note]


def option_criteria(option: OptionEstimate, factors: FactorSet) -> dict | None:
    """Other criteria than climate change (ADPe, primary energy, water) for an option: None until
    the criteria tables land (issue #23), which fill them from ``option.rows`` like ``ai estimate``.
    """
    return None


def estimate_option(
    plan: Plan, option: PlanOption, factors: FactorSet, price_per_kwh: float | None = None
) -> OptionEstimate:
    """One option's year: energy, emissions, € — from its equivalent log, or its own figures."""
    if option.kind == "baseline":
        energy, total, notes = _baseline(plan, option, factors)
        eur, parts, eur_notes = option_eur(option, None, energy, factors, price_per_kwh)
        usage = float(total.central[0]) if option.get("kgco2e_per_year") is None else np.nan
        return OptionEstimate(
            option, "estimated", None, energy, total, usage, 0.0, eur, parts, (*notes, *eur_notes)
        )
    rows = estimated_rows(plan, option, factors)
    row = rows.iloc[0]
    if row["estimate_status"] != "estimated":
        nan = _unknown()
        return OptionEstimate(option, "flagged", row["reason"], nan, nan, np.nan, np.nan, nan, {}, (), rows)
    energy, total = _bounds(row, "energy", "kwh"), _bounds(row, "total", "kgco2e")
    eur, parts, eur_notes = option_eur(option, row, energy, factors, price_per_kwh)
    notes = [n for n in (row.get("notes"),) if n is not None and not (isinstance(n, float) and np.isnan(n))]
    if option.kind == "hosted" and total.low[0] == total.high[0]:  # a range of one value: said why
        notes.append(msg("aiplan.note.hosted_no_range"))
    return OptionEstimate(
        option,
        "estimated",
        None,
        energy,
        total,
        float(row["usage_kgco2e"]),
        float(row["embodied_kgco2e"]),
        eur,
        parts,
        (*notes, *eur_notes),
        rows,
    )


def estimate_plan(plan: Plan, factors: FactorSet, price_per_kwh: float | None = None) -> list[OptionEstimate]:
    """Every option of ``plan``, in the plan's order."""
    price = price_per_kwh if price_per_kwh is not None else plan.service.electricity_price_eur_per_kwh
    return [estimate_option(plan, option, factors, price) for option in plan.options]
