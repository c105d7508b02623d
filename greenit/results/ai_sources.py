"""The AI factor rows estimated runs actually used, with their values (the report's appendix B).

Only what the runs used is listed: the accelerators named by estimated runs, the PUE rows
applied (a provider's, or the industry average when nothing is known), the cloud regions whose
grid factor was used, the hosted models and the AI parameters of the embodied share. A run
log with no accelerator lists no accelerator source.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from greenit.factors import FactorSet

#: Parameters of the embodied share of a run with accelerators (ai_parameters.csv).
_EMBODIED_PARAMETERS = (
    "accelerator_lifetime_years",
    "fleet_utilisation",
    "server_manufacture_kgco2e",
    "accelerators_per_server",
)
_TABLE_PUE = ("provider", "default")  # pue_origin of the runs whose PUE came from pue.csv


def split_ids(*cells: object) -> list[str]:
    """Source ids of cells that may list several (``a;b``), in order, once each."""
    ids = [s.strip() for cell in cells if isinstance(cell, str) for s in cell.split(";") if s.strip()]
    return list(dict.fromkeys(ids))


def _float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _column(runs: pd.DataFrame, name: str) -> pd.Series:
    return (
        runs[name] if name in runs.columns else pd.Series([None] * len(runs), index=runs.index, dtype=object)
    )


def _present(column: pd.Series) -> list[str]:
    return sorted({str(v) for v in column.dropna().astype(object)})


def _accelerators(factors: FactorSet, own: pd.DataFrame) -> list[dict]:
    table = factors.tables.get("accelerators")
    if table is None:
        return []
    records = []
    for key in _present(_column(own, "accelerator")):
        if key not in table.index:
            continue
        row = table.loc[key]
        labels = _column(own, "accelerator_label")[_column(own, "accelerator").astype(object) == key]
        records.append(
            {
                "accelerator": key,
                "label": next(iter(_present(labels)), key),
                **{c: _float(row.get(c)) for c in ("power_w", "power_low_w", "power_high_w")},
                **{
                    c: _float(row.get(c))
                    for c in ("manufacture_kgco2e", "manufacture_low_kgco2e", "manufacture_high_kgco2e")
                },
                "sources": split_ids(
                    row.get("power_source"), row.get("manufacture_source"), row.get("range_sources")
                ),
            }
        )
    return records


def _pue_rows(factors: FactorSet, own: pd.DataFrame, hosted: pd.DataFrame) -> list[dict]:
    """The pue.csv rows applied: self-hosted runs without a PUE in their log (by their region's
    provider, else ``unknown``), hosted requests whose provider EcoLogits does not know.
    """
    table, regions = factors.tables.get("pue"), factors.tables.get("cloud_regions")
    if table is None:
        return []
    used = set()
    from_table = _column(own, "pue_origin").isin(_TABLE_PUE).to_numpy()
    if from_table.any():
        region = _column(own, "region").astype(object)[from_table]
        provider = region.map(regions["provider"]) if regions is not None else region.map(lambda _: None)
        used |= {str(p) if isinstance(p, str) and p in table.index else "unknown" for p in provider}
    if (_column(hosted, "pue_origin") == "default").any():
        used.add("unknown")
    records = []
    for key in sorted(used, key=lambda k: (k != "unknown", k)):
        row = table.loc[key]
        records.append(
            {
                "provider": key,
                "pue": _float(row["pue"]),
                "low": _float(row.get("low")),
                "high": _float(row.get("high")),
                "sources": split_ids(row.get("source_id"), row.get("range_sources")),
            }
        )
    return records


def _regions(factors: FactorSet, runs: pd.DataFrame) -> list[dict]:
    table = factors.tables.get("cloud_regions")
    if table is None:
        return []
    used = _column(runs, "region")[_column(runs, "carbon_intensity_origin") == "region"]
    return [
        {
            "region": key,
            "provider": table.at[key, "provider"],
            "country": table.at[key, "country"],
            "carbon_intensity_kg_per_kwh": _float(table.at[key, "carbon_intensity_kg_per_kwh"]),
            "source_id": table.at[key, "source_id"],
        }
        for key in _present(used)
        if key in table.index
    ]


def _parameters(factors: FactorSet, own: pd.DataFrame) -> list[dict]:
    """AI parameters applied: the embodied share's when a run has accelerators, the default
    utilisation when such a run's log gives none.
    """
    table = factors.tables.get("ai_parameters")
    has_accelerator = _column(own, "accelerator").notna().to_numpy()
    if table is None or not has_accelerator.any():
        return []
    names = list(_EMBODIED_PARAMETERS)
    modelled = _column(own, "energy_method").astype(object).to_numpy() == "accelerator model"
    no_utilisation = pd.to_numeric(_column(own, "utilisation"), errors="coerce").isna().to_numpy()
    if (has_accelerator & modelled & no_utilisation).any():
        names.append("default_utilisation")
    return [
        {
            "name": name,
            **{k: _float(table.at[name, k]) for k in ("value", "low", "high")},
            "unit": table.at[name, "unit"] if isinstance(table.at[name, "unit"], str) else "",
            "sources": split_ids(table.at[name, "source_id"], table.at[name, "range_sources"]),
        }
        for name in names
        if name in table.index
    ]


def _hosted_models(factors: FactorSet, hosted: pd.DataFrame) -> list[dict]:
    """Hosted models used, with their active parameters [billions] and where they come from."""
    if hosted.empty:
        return []
    from greenit.ai.hosted.estimate import catalogue_of

    catalogue = catalogue_of(factors)
    pairs = hosted[["model", "provider"]].astype(object).drop_duplicates()
    records = []
    for model, provider in sorted(
        ((m, p) for m, p in pairs.itertuples(index=False) if isinstance(m, str)), key=lambda x: x[0]
    ):
        spec, _ = catalogue.find(model, provider if isinstance(provider, str) else None)
        if spec is None:
            continue
        records.append(
            {
                "model": spec.name,
                "provider": spec.provider,
                "active_parameters_low_billion": spec.active_low,
                "active_parameters_high_billion": spec.active_high,
                "origin": spec.origin,
                "sources": [spec.source_id] if spec.source_id else [],
            }
        )
    return records


def _hosted_pue(hosted: pd.DataFrame) -> list[dict]:
    """The PUE EcoLogits gives each provider's data centres, as applied to hosted requests."""
    if hosted.empty:
        return []
    from_provider = hosted[_column(hosted, "pue_origin") == "provider"]
    pairs = from_provider[["provider", "pue_used"]].astype(object).dropna().drop_duplicates()
    return [{"provider": str(p), "pue": float(v)} for p, v in sorted(pairs.itertuples(index=False))]


def ai_factors_used(factors: FactorSet, runs: pd.DataFrame) -> dict:
    """The AI factor rows behind ``runs`` (estimated runs, a WorkloadSummary's), with the values
    used and their source ids; ``countries`` are those whose grid factor the runs used.
    """
    hosted_mask = (_column(runs, "source").astype(object) == "hosted").to_numpy()
    own, hosted = runs[~hosted_mask], runs[hosted_mask]
    by_country = _column(runs, "carbon_intensity_origin").astype(object).to_numpy() == "country"
    accelerators, pue = _accelerators(factors, own), _pue_rows(factors, own, hosted)
    parameters, models = _parameters(factors, own), _hosted_models(factors, hosted)
    regions = _regions(factors, runs)
    ids = [s for rows in (accelerators, pue, parameters, models) for r in rows for s in r["sources"]]
    ids += [r["source_id"] for r in regions if isinstance(r["source_id"], str)]
    if len(hosted):
        ids += ["ecologits_0_11"]
    out: dict[str, Any] = {
        "accelerators": accelerators,
        "pue": pue,
        "regions": regions,
        "parameters": parameters,
        "hosted_models": models,
        "hosted_pue": _hosted_pue(hosted),
        "countries": _present(_column(runs, "country")[by_country]),
        "ecologits": bool(len(hosted)),
    }
    out["source_ids"] = list(dict.fromkeys(ids))
    return out
