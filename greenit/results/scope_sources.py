"""The scope's factor rows a result used — the server room's PUE, the UPS parameters, the
printers' consumables, the services' factors, the accounting scale, the exclusions' figures —
with their source ids, so that the report's appendix traces each of these figures to a source.
"""

from __future__ import annotations

import pandas as pd

from greenit.factors import FactorSet
from greenit.factors.rooms import ONSITE_PUE_ROW, SERVER_ROOM_CATEGORIES

_UPS = ("ups_loss_share", "ups_load_share", "ups_rated_power")
#: The per-GB factors the report's « Exclusions » quotes for citizens' use of online services.
_EXCLUDED_SERVICES = ("telecom_fixed_gb", "telecom_mobile_gb")
_EXCLUSIONS = (
    "paper_ream_kgco2e",
    "paper_reams_per_agent_month",
    "national_digital_mtco2e",
    "national_digital_share",
    "national_data_centre_share",
)


def _ids(*cells: object) -> list[str]:
    return list(
        dict.fromkeys(
            s.strip() for cell in cells if isinstance(cell, str) for s in cell.split(";") if s.strip()
        )
    )


def _row(table: pd.DataFrame, key: str, figures: dict[str, str]) -> dict:
    """``{key, <figure>: value…, confidence, sources}`` of one table row (NaN → None)."""
    row = table.loc[key]
    record: dict = {"key": key}
    for name, column in figures.items():
        value = row.get(column)
        record[name] = None if value is None or pd.isna(value) else float(value)
    confidence = row.get("confidence")
    record["confidence"] = confidence if isinstance(confidence, str) and confidence.strip() else None
    record["sources"] = _ids(row.get("source_id"), row.get("range_sources"))
    return record


def scope_factors_used(
    factors: FactorSet,
    categories: list[str],
    *,
    service_factor_ids: list[str] = (),  # type: ignore[assignment]
    lifespan_rule: str = "technique",
) -> dict:
    """``pue`` (the onsite row, when room gear is present), ``parameters`` (UPS, exclusions),
    ``consumables`` (rows of the categories present), ``services`` (the factor rows the services
    lines used), ``amortisation`` (with the rule ``amortissement``) and ``source_ids``.
    """
    out: dict = {"pue": [], "parameters": [], "consumables": [], "services": [], "amortisation": []}
    pue = factors.tables.get("pue")
    if pue is not None and ONSITE_PUE_ROW in pue.index and set(categories) & set(SERVER_ROOM_CATEGORIES):
        out["pue"].append(_row(pue, ONSITE_PUE_ROW, {"value": "pue", "low": "low", "high": "high"}))
    parameters = factors.tables.get("parameters")
    wanted = [*(_UPS if "ups" in categories else ()), *_EXCLUSIONS]
    if parameters is not None:
        figures = {"value": "value", "low": "low", "high": "high"}
        out["parameters"] = [_row(parameters, p, figures) for p in wanted if p in parameters.index]
    consumables = factors.tables.get("consumables")
    if consumables is not None:
        figures = {
            "value": "consumables_kgco2e",
            "low": "consumables_low_kgco2e",
            "high": "consumables_high_kgco2e",
        }
        out["consumables"] = [_row(consumables, c, figures) for c in categories if c in consumables.index]
    services = factors.tables.get("services")
    if services is not None:
        figures = {"value": "factor_kgco2e", "low": "factor_low_kgco2e", "high": "factor_high_kgco2e"}
        shown = (*service_factor_ids, *_EXCLUDED_SERVICES)  # the exclusions' per-GB figures too
        used = dict.fromkeys(k for k in shown if isinstance(k, str) and k in services.index)
        out["services"] = [_row(services, k, figures) | {"unit": services.at[k, "unit"]} for k in used]
    amortisation = factors.tables.get("amortisation")
    if amortisation is not None and lifespan_rule == "amortissement":
        figures = {
            "value": "amortisation_years",
            "low": "amortisation_low_years",
            "high": "amortisation_high_years",
        }
        out["amortisation"] = [_row(amortisation, k, figures) for k in amortisation.index]
    out["source_ids"] = sorted({s for rows in out.values() for r in rows for s in r["sources"]})
    return out
