"""Providers' own figures per request beside EcoLogits' estimate of the same kind of request.

``genai_references.csv`` holds what providers published (Mistral's 2025 life-cycle analysis of
Mistral Large 2, Google's 2025 median Gemini Apps text prompt, OpenAI's stated average ChatGPT
query), each with its source and what it counts. Each row also names the model and the output
length at which EcoLogits is run for comparison: the length the document states, else the
EcoLogits Calculator's "small conversation with a chatbot" (400 output tokens). The electricity
and PUE are those of the provider's data centre, as for a usage row (:mod:`greenit.ai.hosted.estimate`).

The ratio published ÷ EcoLogits shows officials the spread between methods rather than one
number: the same 400-token answer of Mistral Large 2 is 1.14 gCO2e in Mistral's LCA and about
24 times less in EcoLogits (whose boundary counts neither idle capacity, networking nor
training).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.ai.hosted.models import ModelCatalogue, provider_datacenter, provider_key, request_impacts
from greenit.factors import FactorSet
from greenit.factors.tables import source_text


def reference_comparison(
    factors: FactorSet, catalogue: ModelCatalogue | None = None, *, default_country: str = "FRA"
) -> pd.DataFrame:
    """One row per published reference: its figures and EcoLogits' for the same request.

    Columns: ``reference_id, publisher, request_kind_fr, request_kind_en, model_described,
    boundary_fr, boundary_en`` (text), ``published_energy_wh``, ``published_gco2e``,
    ``published_water_ml`` (NaN when not published), ``compare_model``, ``compare_output_tokens``,
    ``compare_country``, ``ecologits_energy_wh`` / ``_low_`` / ``_high_``,
    ``ecologits_gco2e`` / ``_low_`` / ``_high_``, ``ratio_energy``, ``ratio_gco2e`` (published ÷
    EcoLogits central), ``source_id``, ``source_url``, ``source_title`` (the document's title, as
    published), ``source_year``, ``source_description_fr`` / ``_en`` (greenit's description of
    what it takes from the document; None when the source gives none).
    """
    table = factors.tables.get("genai_references")
    if table is None or table.empty:
        return pd.DataFrame()
    catalogue = catalogue or ModelCatalogue(factors.tables.get("genai_models"))
    rows = [
        _compare_one(reference_id, row, factors, catalogue, default_country)
        for reference_id, row in table.iterrows()
    ]
    return pd.DataFrame(rows)


def _compare_one(
    reference_id: str, row: pd.Series, factors: FactorSet, catalogue: ModelCatalogue, default: str
):
    provider = provider_key(row.get("compare_provider"))
    spec, _ = catalogue.find(str(row.get("compare_model") or ""), provider)
    country, pue = provider_datacenter(provider or (spec.provider if spec else None))
    country = country if country in factors.electricity.index else default
    tokens = row.get("compare_output_tokens")
    tokens = float(row.get("output_tokens")) if pd.isna(tokens) else float(tokens)
    published = {
        "published_energy_wh": float(row.get("energy_per_request_kwh")) * 1000,
        "published_gco2e": float(row.get("emissions_per_request_kgco2e")) * 1000,
        "published_water_ml": float(row.get("water_per_request_l")) * 1000,
    }
    estimate = {f"ecologits_{k}": np.nan for k in ("energy_wh", "energy_low_wh", "energy_high_wh", "gco2e",
                                                    "low_gco2e", "high_gco2e")}  # fmt: skip
    if spec is not None and not np.isnan(tokens):
        impacts = request_impacts(
            spec,
            tokens,
            pue=pue or (float(factors.table("pue").at["unknown", "pue"]),) * 2,
            grid_factor_kg_per_kwh=factors.grid_factor(str(country)),
        )
        energy = impacts["energy_kwh"] * 1000
        total = (impacts["usage_kgco2e"] + impacts["embodied_kgco2e"]) * 1000
        estimate = {
            "ecologits_energy_wh": energy.central,
            "ecologits_energy_low_wh": energy.low,
            "ecologits_energy_high_wh": energy.high,
            "ecologits_gco2e": total.central,
            "ecologits_low_gco2e": total.low,
            "ecologits_high_gco2e": total.high,
        }
    source_id = row.get("source_id")
    source = factors.sources.loc[source_id] if source_id in factors.sources.index else {}
    return {
        "reference_id": reference_id,
        **{
            k: row.get(k)
            for k in (
                "publisher",
                "request_kind_fr",
                "request_kind_en",
                "model_described",
                "boundary_fr",
                "boundary_en",
            )
        },  # fmt: skip
        **published,
        "compare_model": spec.name if spec is not None else row.get("compare_model"),
        "compare_output_tokens": tokens,
        "compare_country": country,
        **estimate,
        "ratio_energy": published["published_energy_wh"] / estimate["ecologits_energy_wh"],
        "ratio_gco2e": published["published_gco2e"] / estimate["ecologits_gco2e"],
        "source_id": source_id,
        "source_url": source.get("url") if len(source) else None,
        "source_title": source.get("title") if len(source) else None,
        "source_year": source.get("year") if len(source) else None,
        **{f"source_description_{lang}": _description(source, lang) for lang in ("fr", "en")},
    }


def _description(source, lang: str) -> str | None:
    """greenit's description of a ``sources.csv`` row in ``lang`` (None for no row)."""
    return source_text(source, "description", lang) if len(source) else None
