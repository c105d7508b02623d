"""What a town's digital footprint leaves out, each with an order of magnitude where one is
sourced — so that a reader knows what the total does not hold.

Every figure is read from the factor tables (``parameters.csv``, ``services.csv``) with its
source; an item without a sourced figure says so (``kgco2e`` None), never 0.
"""

from __future__ import annotations

from greenit.errors import FactorTableError
from greenit.factors import FactorSet


def _parameter(factors: FactorSet, name: str) -> float | None:
    try:
        return factors.parameter(name)[0]
    except FactorTableError:  # a user's tables without the row: no order of magnitude, said so
        return None


def _source(factors: FactorSet, table: str, key: str) -> list[str]:
    frame = factors.tables.get(table)
    if frame is None or key not in frame.index:
        return []
    return [s.strip() for s in str(frame.at[key, "source_id"]).split(";") if s.strip()]


def exclusions(factors: FactorSet, headline: dict, services_given: bool) -> list[dict]:
    """The items out of scope: ``item`` (a catalogue key), ``per_agent_kgco2e`` and
    ``kgco2e`` (an order of magnitude for the town when its headcount is known; None where no
    sourced figure exists), the figures they come from, and their ``sources``.
    """
    ream = _parameter(factors, "paper_ream_kgco2e")
    reams = _parameter(factors, "paper_reams_per_agent_month")
    per_agent = ream * reams * 12 if ream is not None and reams is not None else None
    headcount = headline.get("headcount")
    items: list[dict] = [
        {
            "item": "paper",
            "per_agent_kgco2e": per_agent,
            "kgco2e": per_agent * headcount if per_agent is not None and headcount else None,
            "figures": {"ream_kgco2e": ream, "reams_per_agent_month": reams},
            "sources": _source(factors, "parameters", "paper_ream_kgco2e"),
        },
        {"item": "own_devices", "per_agent_kgco2e": None, "kgco2e": None, "figures": {}, "sources": []},
        {
            "item": "citizens_use",
            "per_agent_kgco2e": None,
            "kgco2e": None,
            "figures": {
                "fixed_kgco2e_per_gb": _factor(factors, "telecom_fixed_gb"),
                "mobile_kgco2e_per_gb": _factor(factors, "telecom_mobile_gb"),
            },
            "sources": _source(factors, "services", "telecom_fixed_gb"),
        },
        {"item": "refrigerants", "per_agent_kgco2e": None, "kgco2e": None, "figures": {}, "sources": []},
    ]
    if not services_given:
        items.insert(1, _services_context(factors))
    return items


def national_context(factors: FactorSet) -> dict:
    """France's digital footprint, its share of the national one and the data centres' share."""
    names = ("national_digital_mtco2e", "national_digital_share", "national_data_centre_share")
    sources = sorted({s for n in names for s in _source(factors, "parameters", n)})
    return {**{n: _parameter(factors, n) for n in names}, "sources": sources}


def _services_context(factors: FactorSet) -> dict:
    """Services bought, when no services file was given: the national share of data centres."""
    return {
        "item": "services",
        "per_agent_kgco2e": None,
        "kgco2e": None,
        "figures": {
            "national_digital_mtco2e": _parameter(factors, "national_digital_mtco2e"),
            "national_data_centre_share": _parameter(factors, "national_data_centre_share"),
        },
        "sources": [
            *_source(factors, "parameters", "national_digital_mtco2e"),
            *_source(factors, "parameters", "national_data_centre_share"),
        ],
    }


def _factor(factors: FactorSet, key: str) -> float | None:
    frame = factors.tables.get("services")
    if frame is None or key not in frame.index:
        return None
    return float(frame.at[key, "factor_kgco2e"])
