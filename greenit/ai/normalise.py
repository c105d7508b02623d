"""AI workload logs → normalised runs: canonical columns, units, accelerators, locations, flags.

One row per run. Hand-written CSV, scheduler exports, JSON Lines, greenit's own ``track``
log and CodeCarbon ``emissions.csv`` files are all read here; formulas live in
:mod:`greenit.ai.estimate`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.ai.checkpoints import drop_superseded_checkpoints, is_track_log
from greenit.ai.codecarbon import codecarbon_to_log, is_codecarbon
from greenit.ai.columns import _QUANTITIES, AI_ALIASES
from greenit.errors import InputFileError
from greenit.factors import FactorSet
from greenit.i18n import msg
from greenit.parsing.countries import country_code
from greenit.parsing.dates import parse_date_column
from greenit.parsing.flags import Flags
from greenit.parsing.frames import as_categorical, parse_quantities
from greenit.parsing.headers import map_headers
from greenit.parsing.readers import data_headers
from greenit.parsing.text import fold
from greenit.parsing.units import parse_number, parse_quantity_column

_PHASE_WORDS = [
    (
        "fine-tuning",
        ("fine tuning", "finetuning", "fine tune", "ajustement", "affinage", "reglage fin", "sft", "lora"),
    ),
    ("training", ("training", "entrainement", "train", "pretraining", "pre training", "apprentissage")),
    ("inference", ("inference", "serving", "production", "prediction", "deploiement", "service", "api")),
    ("evaluation", ("evaluation", "eval", "test", "benchmark", "validation")),
]


def phase_of(label: object) -> str | None:
    """'Entraînement' → 'training'; unknown labels → 'other'; missing → None."""
    if label is None or label is pd.NA or (isinstance(label, float) and np.isnan(label)):
        return None
    folded = f" {fold(label)} "
    for phase, words in _PHASE_WORDS:
        if any(f" {word} " in folded for word in words):
            return phase
    return "other"


def _number_column(raw: pd.DataFrame, header: str) -> np.ndarray:
    def one(value: object) -> float:
        if value is None or value is pd.NA:
            return np.nan
        try:
            return float(value) if not isinstance(value, str) else parse_number(value)
        except ValueError:
            return -1.0

    codes, uniques = pd.factorize(raw[header], use_na_sentinel=True)
    parsed = np.array([one(u) for u in uniques] + [np.nan])
    return parsed[np.where(codes >= 0, codes, len(uniques))]


def _accelerator_resolver(factors: FactorSet):
    table = factors.table("accelerators")
    lookup: dict[str, str] = {}
    for key, row in table.iterrows():
        lookup[fold(key)] = key
        for alias in str(row.get("aliases") or "").split(";"):
            if alias.strip():
                lookup[fold(alias)] = key

    def resolve(label: object) -> str | None:
        if label is None or label is pd.NA:
            return None
        folded = fold(label)
        for prefix in ("", "nvidia ", "tesla ", "amd ", "google "):
            candidate = folded[len(prefix) :] if prefix and folded.startswith(prefix) else folded
            if candidate in lookup:
                return lookup[candidate]
        return None

    return resolve


def _location_resolver(factors: FactorSet):
    regions = factors.table("cloud_regions")
    known = set(factors.electricity.index)
    region_keys = {fold(region): region for region in regions.index}

    def resolve(label: object) -> str | None:
        if label is None or label is pd.NA:
            return None
        region = region_keys.get(fold(label))
        if region:
            return f"region:{region}"
        code = country_code(label, known)
        return f"country:{code}" if code else None

    return resolve


def normalise_workloads(
    raw: pd.DataFrame, factors: FactorSet, *, default_country: str = "FRA"
) -> pd.DataFrame:
    """Map headers and units of an AI log; resolve accelerators, phases and locations.

    Returns one row per run — every data row is a run, except the checkpoint rows of a
    tracked run that its later rows supersede
    (:func:`~greenit.ai.checkpoints.drop_superseded_checkpoints`) — with float columns in
    canonical units (``hours``, ``accelerator_hours``, ``accelerator_power_w``, ``power_w``, ``energy_kwh``,
    ``carbon_intensity_kg_per_kwh``, …), ``accelerator`` (a key of accelerators.csv),
    ``country``/``region``, ``phase`` and ``reason`` ("" when the run can be estimated).
    """
    source = "track" if is_track_log(raw) else "log"
    raw = drop_superseded_checkpoints(raw)  # the only rows ever merged: a tracked run's checkpoints
    if is_codecarbon(raw):
        raw = codecarbon_to_log(raw)
        source = "codecarbon"
    headers = map_headers(data_headers(raw), AI_ALIASES)
    useful = {"duration", "accelerator_hours", "energy", "power"}
    if not useful & set(headers):
        path = raw["file"].iloc[0] if len(raw) else "input"
        raise InputFileError.of(
            "ai.not_a_log",
            "ai.not_a_log_hint",
            path=str(path),
            columns=", ".join(data_headers(raw))[:200],
        )
    n = len(raw)
    flags = Flags(n)
    out = pd.DataFrame(
        {"file": as_categorical(raw["file"]), "row": raw["row"].to_numpy(), "line": raw["line"].to_numpy()},
        index=raw.index,
    )
    out["source"] = source
    for column in ("run_id", "project"):
        match = headers.get(column)
        out[column] = raw[match.header].astype("string") if match else pd.NA
    if out["run_id"].isna().all():
        out["run_id"] = [
            f"{name}#{row}"
            for name, row in zip(
                raw["file"].astype(str).str.rsplit("/", n=1).str[-1], raw["row"], strict=True
            )
        ]
    phase_match = headers.get("phase")
    phase_text = raw[phase_match.header] if phase_match else pd.Series([None] * n, index=raw.index)
    out["phase_label"] = phase_text.astype("string") if phase_match else pd.NA
    out["phase"] = as_categorical(phase_text, lambda v: phase_of(v) or "other")

    parse_quantities(raw, headers, _QUANTITIES, out, flags)
    out = out.rename(
        columns={
            "duration": "hours",
            "accelerator_power": "accelerator_power_w",
            "cpu_power": "cpu_power_w",
            "memory": "memory_gb",
            "power": "power_w",
            "energy": "energy_kwh",
            "emissions": "emissions_kgco2e",
        }
    )

    # utilisation: 0–1 or % ("85", "85 %", header "Utilisation (%)")
    match = headers.get("utilisation")
    if match is None:
        out["utilisation"] = np.nan
    else:
        parsed = parse_quantity_column(
            raw[match.header], "dimensionless", header_unit=match.unit, name=match.header
        )
        utilisation = np.where(parsed.values > 1, parsed.values / 100, parsed.values)
        out["utilisation"] = utilisation
        flags.add(parsed.bad, parsed.errors)
        flags.add(utilisation > 1, msg("ai.flag.utilisation_above_100", column=match.header))

    match = headers.get("pue")
    if match is None:
        out["pue"] = np.nan
    else:
        pue = _number_column(raw, match.header)
        bad = (pue < 1) & ~np.isnan(pue)
        flags.add(bad, msg("ai.flag.pue_below_1", column=match.header))
        out["pue"] = np.where(bad, np.nan, pue)

    # carbon intensity: a bare number above 1 is gCO2e/kWh, otherwise kgCO2e/kWh
    match = headers.get("carbon_intensity")
    if match is None:
        out["carbon_intensity_kg_per_kwh"] = np.nan
    else:
        parsed = parse_quantity_column(raw[match.header], "kg/kWh", header_unit=match.unit, name=match.header)
        bare = _number_column(raw, match.header) if match.unit is None else np.full(n, np.nan)
        values = np.where((bare > 1) & ~np.isnan(bare), bare / 1000, parsed.values)
        out["carbon_intensity_kg_per_kwh"] = values
        flags.add(parsed.bad & np.isnan(bare), parsed.errors)

    match = headers.get("started_at")
    if match is not None:
        dates, errors = parse_date_column(
            raw[match.header].astype("string").str.replace("T", " ", regex=False), match.header
        )
        out["started_at"] = dates
        flags.add(pd.notna(errors), errors)
    else:
        out["started_at"] = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")

    accelerator_match = headers.get("accelerator")
    if accelerator_match is None:
        out["accelerator"] = pd.Categorical([None] * n, categories=pd.Index([], dtype=object))
        out["accelerator_label"] = pd.Categorical([None] * n, categories=pd.Index([], dtype=object))
    else:
        text = as_categorical(raw[accelerator_match.header])
        out["accelerator_label"] = text
        out["accelerator"] = as_categorical(text, _accelerator_resolver(factors))

    location_match = headers.get("location")
    if location_match is None:
        resolved = pd.Series([f"country:{default_country}"] * n, index=raw.index)
        given = np.zeros(n, dtype=bool)
    else:
        text = as_categorical(raw[location_match.header])
        resolved = as_categorical(text, _location_resolver(factors)).astype(object)
        given = text.notna().to_numpy()
        bad = given & resolved.isna().to_numpy()
        flags.add_each(bad, text, "ai.flag.unknown_location", column=location_match.header)
        resolved = resolved.where(given, f"country:{default_country}")
    kind = resolved.astype(str).str.split(":", n=1).str[0]
    value = resolved.astype(str).str.split(":", n=1).str[-1]
    out["region"] = as_categorical(value.where(kind == "region"))
    regions = factors.table("cloud_regions")
    region_country = (
        out["region"].astype(object).map(lambda r: regions.at[r, "country"] if isinstance(r, str) else None)
    )
    out["country"] = as_categorical(value.where(kind == "country", region_country))
    out["location_given"] = given
    out["reason"] = flags.reasons
    return out.reset_index(drop=True)
