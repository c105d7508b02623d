"""Hosted generative AI: energy and emissions of the requests a town sends to providers' models.

Each usage row (service × model × period, or one request) is estimated with EcoLogits: the
model's size (EcoLogits' table or ``genai_models.csv``) and the row's output tokens per request
give one request's energy, usage and embodied emissions (:func:`request_impacts`); the row is
that × its requests. Resolve → check → model → assemble, as for run logs.

Choices, written down once (the report's method note says the same):

- **place**: the log's location when it gives one, else the provider's data centre as
  EcoLogits records it (Mistral AI → Sweden, OpenAI, Anthropic, Google → United States), else
  the user's ``--country``;
- **carbon factor**: greenit's ``electricity.csv`` for that place (or ``--grid-factor``), not
  EcoLogits' own mix, so hosted requests, self-hosted runs and equipment use one electricity
  method (ADEME for France, Ember/OWID elsewhere) and one source table;
- **PUE**: EcoLogits' figure for the provider (a range for some); for a provider it does not
  know, greenit's ``pue.csv`` (its row for the provider, else ``unknown``);
- **range**: EcoLogits' min–max (closed models' parameter counts, PUE ranges), its mean as
  the central value, as EcoLogits shows it. It does not cover the method itself: that is why
  the providers' own published figures are shown beside it (:mod:`greenit.ai.hosted.references`).

References
----------
EcoLogits 0.11, https://ecologits.ai/latest/methodology/llm_inference/ (MPL-2.0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.ai.hosted.given import given_mask, given_notes, given_totals
from greenit.ai.hosted.models import (
    ModelCatalogue,
    ModelSpec,
    provider_datacenter,
    provider_key,
    provider_wue,
    request_impacts_by_length,
)
from greenit.bounds import Bounds
from greenit.factors import FactorSet
from greenit.factors.criteria import country_mix
from greenit.factors.grid import check_grid_factor
from greenit.factors.lookup import positions_in, take
from greenit.flags import Flags
from greenit.i18n import msg
from greenit.parsing.frames import as_categorical

IMPACTS = ("energy_kwh", "usage_kgco2e", "embodied_kgco2e")
#: EcoLogits' other criteria, per request (:func:`greenit.ai.hosted.models.request_impacts`)
CRITERIA_IMPACTS = (
    "adpe_usage_kgsbeq",
    "adpe_embodied_kgsbeq",
    "pe_usage_mj",
    "pe_embodied_mj",
    "water_usage_m3",
)
#: Run-log columns a hosted request has no value for (no hardware of the town's, no log PUE).
_NOT_A_RUN_OF_HARDWARE = (
    "hours",
    "accelerator_hours",
    "accelerator_count",
    "accelerator_power_w",
    "utilisation",
    "cpu_power_w",
    "memory_gb",
    "power_w",
    "pue",
    "carbon_intensity_kg_per_kwh",
)


def catalogue_of(factors: FactorSet) -> ModelCatalogue:
    """The models greenit can estimate with these factor tables (EcoLogits' + ``genai_models``)."""
    return ModelCatalogue(factors.tables.get("genai_models"))


def estimate_hosted(
    usage: pd.DataFrame,
    factors: FactorSet,
    *,
    default_country: str = "FRA",
    grid_factor_kg_per_kwh: float | None = None,
    carbon_intensity_kg_per_kwh: float | None = None,
) -> pd.DataFrame:
    """Energy [kWh], usage, embodied and total emissions [kgCO2e] of each usage row, with ranges.

    ``usage`` is the frame of :func:`greenit.ai.hosted.usage.normalise_usage`. A row is a
    *run* of the AI results (``project`` = its service, ``phase`` = inference).
    ``grid_factor_kg_per_kwh`` (``--grid-factor``; also taken as ``carbon_intensity_kg_per_kwh``,
    its former name) replaces every place's factor.
    """
    if grid_factor_kg_per_kwh is None:
        grid_factor_kg_per_kwh = carbon_intensity_kg_per_kwh
    grid_factor_kg_per_kwh = check_grid_factor(grid_factor_kg_per_kwh, "grid_factor_kg_per_kwh")
    out = usage.copy(deep=False)
    given = given_mask(out)  # the log gives the row's impacts: EcoLogits is not applied to it
    flags, notes = Flags(len(out)), Flags(len(out))
    flags.add_column(out["reason"])
    if "notes" in out.columns:
        notes.add_column(out["notes"])  # how reading decided (a count read with thousands…)
    modelled, modelled_notes = Flags(len(out)), Flags(len(out))
    catalogue = catalogue_of(factors)
    specs, spec_codes = _resolve_models(out, catalogue, modelled, modelled_notes)
    place = _place(
        out,
        specs,
        spec_codes,
        factors,
        default_country,
        grid_factor_kg_per_kwh,
        modelled,
        modelled_notes,
    )
    _check_tokens(out, modelled, modelled_notes)
    flags.add_column(pd.Series(modelled.column()).where(~given))
    notes.add_column(pd.Series(modelled_notes.column()).where(~given))
    given_notes(out, given, place["intensity"], flags, notes)
    ok = ~flags.flagged
    requests = np.where(
        np.isnan(out["requests"].to_numpy(dtype=float)), 1.0, out["requests"].to_numpy(dtype=float)
    )
    per_request = _per_request_impacts(out, specs, spec_codes, place, factors, requests, ok & ~given)
    place["given"] = given
    return _assemble(out, specs, spec_codes, place, requests, per_request, ok, flags, notes)


def _resolve_models(out, catalogue: ModelCatalogue, flags: Flags, notes: Flags) -> tuple[list, np.ndarray]:
    """The spec of each row's model (index into the returned list; -1 when unknown)."""
    out["provider"] = as_categorical(out["provider_label"], provider_key)
    keys = pd.DataFrame(
        {
            "model": out["model_label"].astype(object),
            "provider": out["provider"].astype(object),
            "size": out["parameters_billion"].to_numpy(dtype=float),
        }
    )
    codes, distinct = pd.factorize(pd.MultiIndex.from_frame(keys.fillna({"provider": ""})))
    specs: list[ModelSpec | None] = []
    row_messages: list[tuple] = []
    for label, provider, size in distinct:
        spec, read_as, messages = _resolve_one(label, provider or None, size, catalogue)
        specs.append(spec)
        row_messages.append(messages)
    for code, (reason, remarks) in enumerate(row_messages):
        mask = codes == code
        if reason is not None:
            flags.add(mask, reason)
        for remark in remarks:
            notes.add(mask, remark)
    spec_codes = np.array([c if specs[c] is not None else -1 for c in codes], dtype=np.int64)
    return specs, spec_codes


def _resolve_one(label, provider, size, catalogue: ModelCatalogue):
    """(spec, name read as, (reason or None, notes)) for one distinct model of the log."""
    if not isinstance(label, str) or not label.strip():
        if np.isnan(size):
            return None, None, (msg("hosted.flag.no_model"), ())
        return (
            ModelSpec.of_size("?", size),
            None,
            (None, (msg("hosted.note.model_from_file", billions=_plain(size)),)),
        )
    if not np.isnan(size):  # the log states the size: the user's own figure wins
        return (
            ModelSpec.of_size(label, size),
            None,
            (None, (msg("hosted.note.model_from_file", billions=_plain(size)),)),
        )
    spec, read_as = catalogue.find(label, provider)
    if spec is None:
        close = catalogue.suggestions(label)
        key = "hosted.flag.unknown_model" if close else "hosted.flag.unknown_model_no_close"
        return None, None, (msg(key, value=label, close=close), ())
    remarks = []
    if read_as:
        remarks.append(msg("hosted.note.model_read_as", name=read_as))
    if spec.origin == "genai_models":
        remarks.append(msg("hosted.note.model_from_table", name=spec.name, source=spec.source_id or ""))
    if "model-arch-not-released" in spec.warnings:
        remarks.append(
            msg("hosted.note.arch_not_released", low=_plain(spec.active_low), high=_plain(spec.active_high))
        )
    if "model-arch-multimodal" in spec.warnings:
        remarks.append(msg("hosted.note.multimodal"))
    return spec, read_as, (None, tuple(remarks))


def _plain(value: float) -> int | float:
    """12.0 → 12 (shown without a decimal), 8.03 stays."""
    return int(value) if float(value).is_integer() else value


def _place(out, specs, spec_codes, factors, default_country, override, flags: Flags, notes: Flags) -> dict:
    """Country, carbon intensity [kgCO2e/kWh] and PUE (low, high) of each row."""
    n = len(out)
    provider = out["provider"].astype(object).to_numpy()
    # the model's provider when the log names none (e.g. an export without a provider column)
    model_provider = np.array([specs[c].provider if c >= 0 else None for c in spec_codes], dtype=object)
    provider = np.where(pd.isna(provider), model_provider, provider)
    datacentre = {p: provider_datacenter(p) for p in set(provider.tolist()) if isinstance(p, str)}
    electricity = factors.electricity
    provider_country = np.array(
        [datacentre.get(p, (None, None))[0] if isinstance(p, str) else None for p in provider], dtype=object
    )
    known = pd.Series(provider_country).isin(electricity.index).to_numpy()
    provider_country = np.where(known, provider_country, np.full(len(known), None, dtype=object))
    given = out["location_given"].to_numpy(dtype=bool)
    country = out["country"].astype(object).to_numpy()
    country = np.where(given, country, np.where(pd.isna(provider_country), default_country, provider_country))
    from_provider = ~given & ~pd.isna(provider_country)
    notes.add_each(from_provider, pd.Series(provider_country), "hosted.note.provider_location")
    notes.add(
        ~given & pd.isna(provider_country), msg("hosted.note.default_location", country=default_country)
    )

    regions = factors.table("cloud_regions")
    region_intensity = take(regions, positions_in(regions, out["region"]), "carbon_intensity_kg_per_kwh")
    country_intensity = take(
        electricity, positions_in(electricity, pd.Series(country)), "carbon_intensity_kg_per_kwh"
    )
    intensity = np.where(np.isnan(region_intensity), country_intensity, region_intensity)
    origin = np.where(np.isnan(region_intensity), "country", "region")
    if override is not None:
        intensity, origin = np.full(n, float(override)), np.full(n, "option")
    flags.add(np.isnan(intensity), msg("ai.flag.no_intensity"))

    pue_table = factors.table("pue")
    unknown = float(pue_table.at["unknown", "pue"])
    labels = out["provider_label"].astype(object).to_numpy()
    pue_low, pue_high = np.full(n, unknown), np.full(n, unknown)
    default_pue = np.ones(n, dtype=bool)
    for i, p in enumerate(provider):
        config = datacentre.get(p, (None, None))[1] if isinstance(p, str) else None
        if config is None and isinstance(labels[i], str):
            words = set(str(labels[i]).lower().replace("(", " ").replace(")", " ").split())
            match = [k for k in pue_table.index if k in words]
            config = (float(pue_table.at[match[0], "pue"]),) * 2 if match else None
        if config is not None:
            pue_low[i], pue_high[i], default_pue[i] = config[0], config[1], False
    notes.add(default_pue & (spec_codes >= 0), msg("hosted.note.default_pue", pue=unknown))
    return {
        "country": country,
        "provider": provider,
        "intensity": intensity,
        "intensity_origin": origin,
        "pue_low": pue_low,
        "pue_high": pue_high,
        "default_pue": default_pue,
    }


def _check_tokens(out, flags: Flags, notes: Flags) -> None:
    """Rows EcoLogits cannot estimate: no output tokens, or none generated."""
    output = out["output_tokens"].to_numpy(dtype=float)
    requests = out["requests"].to_numpy(dtype=float)
    flags.add(np.isnan(output), msg("hosted.flag.no_output_tokens"))
    flags.add(output == 0, msg("hosted.flag.no_generated_tokens"))
    flags.add(requests == 0, msg("hosted.flag.no_requests_counted"))
    notes.add(np.isnan(requests) & ~np.isnan(output), msg("hosted.note.no_requests"))


def _per_request_impacts(out, specs, spec_codes, place, factors, requests, ok) -> dict[str, Bounds]:
    """EcoLogits per request for each estimable row, grouped by (model, PUE, intensity, bits,
    country, provider): the country gives the ADPe, primary energy and water per kWh, the
    provider its data centre's water use (:data:`CRITERIA_IMPACTS`).
    """
    n = len(out)
    tokens = out["output_tokens"].to_numpy(dtype=float) / requests
    keys = pd.DataFrame(
        {
            "spec": spec_codes,
            "pue_low": place["pue_low"],
            "pue_high": place["pue_high"],
            "intensity": place["intensity"],
            "bits": np.nan_to_num(out["quantization_bits"].to_numpy(dtype=float), nan=16.0),
            "country": pd.Series(place["country"], dtype=object).fillna("").to_numpy(),
            "provider": pd.Series(place["provider"], dtype=object).fillna("").to_numpy(),
        }
    )[ok]
    results = {name: [np.full(n, np.nan) for _ in range(3)] for name in (*IMPACTS, *CRITERIA_IMPACTS)}
    positions = np.flatnonzero(ok)
    codes, groups = pd.factorize(pd.MultiIndex.from_frame(keys)) if len(keys) else ([], [])
    for code, (spec, pue_low, pue_high, intensity, bits, country, provider) in enumerate(groups):
        rows = positions[codes == code]
        impacts = request_impacts_by_length(
            specs[spec],
            tokens[rows],
            pue=(pue_low, pue_high),
            grid_factor_kg_per_kwh=intensity,
            quantization_bits=bits,
            mix=country_mix(factors, country),
            wue=provider_wue(provider or None),
        )
        for name in results:
            for arrays, values in zip(results[name], impacts[name], strict=True):
                arrays[rows] = values
    return {name: Bounds(*arrays) for name, arrays in results.items()}


def _assemble(
    out, specs, spec_codes, place, requests, per_request, ok, flags: Flags, notes: Flags
) -> pd.DataFrame:
    """The ``usage_estimated`` frame: per-row totals with their ranges, in run-log column names."""
    names = [s.name if s is not None else None for s in specs]
    modelled = pd.Series([names[c] if c >= 0 else None for c in spec_codes], dtype=object)
    given_label = out["model_label"].astype(object).reset_index(drop=True).where(place["given"])
    out["model"] = as_categorical(given_label.where(place["given"], modelled))  # given: as written
    out["model_origin"] = [specs[c].origin if c >= 0 else None for c in spec_codes]
    out["project"] = out["service"]
    out["phase"] = "inference"
    out["run_id"] = [f"{str(f).rsplit('/', 1)[-1]}#{r}" for f, r in zip(out["file"], out["row"], strict=True)]
    out["country"] = as_categorical(pd.Series(place["country"], dtype=object))  # the place applied
    for column in _NOT_A_RUN_OF_HARDWARE:
        out[column] = np.nan
    for column in ("accelerator", "accelerator_label", "steps", "part_of"):
        out[column] = None
    out["step_rows"] = 0
    out["pue_origin"] = np.where(place["default_pue"], "default", "provider")
    out["carbon_intensity_origin"] = place["intensity_origin"]
    out["pue_used"] = np.where(ok, (place["pue_low"] + place["pue_high"]) / 2, np.nan)
    out["carbon_intensity_used_kg_per_kwh"] = np.where(ok, place["intensity"], np.nan)
    out["requests_used"] = np.where(ok, requests, np.nan)
    given = place["given"]
    from_log = given_totals(out, place["intensity"])
    totals = {name: from_log[name].where(given, per_request[name] * requests) for name in IMPACTS}
    totals["total_kgco2e"] = totals["usage_kgco2e"] + totals["embodied_kgco2e"]
    for name, bounds in totals.items():
        stem, unit = name.rsplit("_", 1)
        out[name] = np.where(ok, bounds.central, np.nan)
        out[f"{stem}_low_{unit}"] = np.where(ok, bounds.low, np.nan)
        out[f"{stem}_high_{unit}"] = np.where(ok, bounds.high, np.nan)
    for name in CRITERIA_IMPACTS:  # a log's own figures give no other criterion: not given
        stem, unit = name.rsplit("_", 1)
        for bound, values in zip(("", "_low", "_high"), per_request[name] * requests, strict=True):
            out[f"{stem}{bound}_{unit}"] = np.where(ok & ~given, values, np.nan)
    out["energy_per_request_wh"] = np.where(ok, totals["energy_kwh"].central / requests * 1000, np.nan)
    out["total_per_request_gco2e"] = np.where(ok, totals["total_kgco2e"].central / requests * 1000, np.nan)
    out["energy_method"] = np.where(ok, np.where(given, "provider", "ecologits"), "")
    has_emissions = given & ~np.isnan(out["given_emissions_kgco2e"].to_numpy(dtype=float))
    out.loc[has_emissions, "carbon_intensity_origin"] = "log emissions"
    out.loc[has_emissions, "carbon_intensity_used_kg_per_kwh"] = np.nan
    out.loc[given, "pue_used"] = np.nan
    out.loc[given, "pue_origin"] = ""
    out["estimate_status"] = np.where(ok, "estimated", "flagged")
    out["reason"] = flags.reasons
    out["notes"] = pd.Series(notes.reasons, index=out.index).where(ok)  # a flagged row's reason says it all
    out["source"] = "hosted"
    return out
