"""The factors a result used and their sources, as data (the report's appendix B renders it)."""

from __future__ import annotations

import pandas as pd

from greenit.factors import FactorSet
from greenit.factors.tables import publisher_text, source_text

_DEVICE_SOURCE_COLUMNS = ("manufacture_source", "lifespan_source", "energy_source", "end_of_life_source")
_PARAMETERS = ("refurbished_manufacture_share", "recycling_age_threshold", "reuse_target_2025")


def _device_row(category: str, row: pd.Series) -> tuple[dict, list[str]]:
    columns = [*_DEVICE_SOURCE_COLUMNS, "range_sources"]
    ids = [s.strip() for c in columns if isinstance(row.get(c), str) for s in row[c].split(";") if s.strip()]
    ids = list(dict.fromkeys(ids))
    eol = row.get("end_of_life_kgco2e")
    record = {
        "category": category,
        "label_fr": row.get("label_fr"),
        "label_en": row.get("label_en"),
        "manufacture_kgco2e": row["manufacture_kgco2e"],
        "manufacture_low_kgco2e": row["manufacture_low_kgco2e"],
        "manufacture_high_kgco2e": row["manufacture_high_kgco2e"],
        "lifespan_years": row["lifespan_years"],
        "annual_kwh": row["annual_kwh"],
        "annual_low_kwh": row["annual_low_kwh"],
        "annual_high_kwh": row["annual_high_kwh"],
        "end_of_life_kgco2e": None if pd.isna(eol) else float(eol),
        "sources": ids,
    }
    return record, ids


def _source_record(source_id: str, row: pd.Series) -> dict:
    """A source as the report cites it: the document (publisher, title as published, year, URL,
    licence) and greenit's description and notes of it in French and English (None if empty).
    """
    record = {"id": source_id, **{k: row.get(k) for k in ("publisher", "title", "year", "url", "licence")}}
    for lang in ("fr", "en"):
        record[f"publisher_{lang}"] = publisher_text(row.get("publisher"), lang)
        for kind in ("description", "notes"):
            record[f"{kind}_{lang}"] = source_text(row, kind, lang)
    return record


def _split(column: pd.Series) -> set[str]:
    """Source ids of a column whose cells may list several (``a;b``)."""
    return {s.strip() for cell in column.dropna().astype(str) for s in cell.split(";") if s.strip()}


def factors_used(
    factors: FactorSet,
    categories: list[str],
    countries: list[str],
    *,
    grid_factor_override: float | None = None,
    ai_runs: pd.DataFrame | None = None,
    scope: dict | None = None,
) -> dict:
    """Device rows, electricity factors, the AI rows ``ai_runs`` used (estimated runs of a
    WorkloadSummary), the scope's rows (``scope``: server room, consumables, services…) and the
    sources behind a result; every figure with its source ids.
    """
    from greenit.results.ai_sources import ai_factors_used

    ai = ai_factors_used(factors, ai_runs) if ai_runs is not None else None
    if ai is not None and grid_factor_override is None:
        countries = [*countries, *ai["countries"]]
    devices = factors.devices
    source_ids: set[str] = set()
    device_rows = []
    user_devices = set(factors.user_rows.get("devices", []))
    for category in categories:
        if category in devices.index:
            record, ids = _device_row(category, devices.loc[category])
            record["user_row"] = category in user_devices  # the user's figures, not the sources'
            device_rows.append(record)
            source_ids.update(ids)
    electricity = []
    if grid_factor_override is None:
        for country in sorted(set(countries)):
            if country in factors.electricity.index:
                row = factors.electricity.loc[country]
                source_ids.add(row["source_id"])
                electricity.append(
                    {
                        "country": country,
                        "carbon_intensity_kg_per_kwh": row["carbon_intensity_kg_per_kwh"],
                        "year": row.get("year"),
                        "source_id": row["source_id"],
                    }
                )
    parameters = factors.tables.get("parameters")
    if parameters is not None:
        source_ids.update(parameters.loc[[p for p in _PARAMETERS if p in parameters.index], "source_id"])
    if "equivalences" in factors.tables:
        source_ids.update(_split(factors.tables["equivalences"]["source_id"]))
    if ai is not None:
        source_ids.update(ai["source_ids"])
    if scope is not None:
        source_ids.update(scope["source_ids"])
    sources = [
        _source_record(source_id, row)
        for source_id, row in factors.source_rows({str(s) for s in source_ids}).iterrows()
    ]
    return {
        "version": factors.version,
        "devices": device_rows,
        "electricity": electricity,
        "grid_factor_override_kg_per_kwh": grid_factor_override,
        "ai": ai,
        **({"scope": scope} if scope is not None else {}),
        "sources": sources,
        # the rows a user's --factors tables gave: their figures are the user's, whatever
        # source ids they cite (a laptop row in tonnes is not ADEME's figure)
        "user_tables": list(factors.origins[1:]),
        "user_rows": {name: list(keys) for name, keys in factors.user_rows.items()},
    }


def equivalences(factors: FactorSet, total_kgco2e: float) -> list[dict]:
    """``total_kgco2e`` in everyday terms (ADEME Impact CO2): km by car, by TGV…"""
    table = factors.tables.get("equivalences")
    if table is None:
        return []
    return [
        {
            "name": name,
            "value": total_kgco2e / float(row["value_kgco2e"]),
            "factor_kgco2e": float(row["value_kgco2e"]),
            "label_fr": row.get("label_fr"),
            "label_en": row.get("label_en"),
            "unit_fr": row.get("unit_fr"),
            "unit_en": row.get("unit_en"),
            "source_id": row.get("source_id"),
        }
        for name, row in table.iterrows()
    ]


def factor_tables(
    summary, factors: FactorSet, ai_runs: pd.DataFrame | None, lang: str
) -> dict[str, pd.DataFrame]:
    """The factor rows an estimate used and their sources, as tables (see
    :func:`greenit.api.factor_sources`): ``summary`` is the inventory's
    :class:`~greenit.results.InventorySummary`, ``ai_runs`` the estimated AI runs or None.
    """
    categories = [c for c in summary.group_table("category")["category"] if c is not None]
    used = factors_used(
        factors,
        categories,
        list(summary.countries),
        grid_factor_override=summary.grid_factor_override,
        ai_runs=_estimated(ai_runs) if ai_runs is not None else None,
    )
    tables = {name: pd.DataFrame(used[name]) for name in ("devices", "electricity", "sources")}
    tables["sources"] = _sources_in(tables["sources"], lang)
    for name in ("accelerators", "pue", "regions", "parameters", "hosted_models"):
        if used["ai"] is not None:
            tables[f"ai_{name}"] = pd.DataFrame(used["ai"][name])
    return tables


def _sources_in(sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The sources table with greenit's ``description`` and ``notes`` in ``lang`` only."""
    texts = [f"{kind}_{language}" for kind in ("description", "notes") for language in ("fr", "en")]
    if sources.empty:
        return sources
    out = sources.drop(columns=texts)
    out["description"], out["notes"] = sources[f"description_{lang}"], sources[f"notes_{lang}"]
    return out


def _estimated(runs: pd.DataFrame) -> pd.DataFrame:
    return runs[(runs["estimate_status"] == "estimated").to_numpy()]
