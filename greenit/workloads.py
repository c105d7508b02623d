"""AI workload logs → normalised runs: canonical columns, units, accelerators, locations, flags.

One row per run. Hand-written CSV, scheduler exports, JSON Lines, greenit's own ``track``
log and CodeCarbon ``emissions.csv`` files are all read here; formulas live in
:mod:`greenit.ai_energy`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.columns import map_headers
from greenit.errors import InputFileError
from greenit.factors import FactorSet
from greenit.flags import Flags
from greenit.inventory import as_categorical, country_code, parse_date_column, parse_quantities
from greenit.text import fold
from greenit.units import parse_number, parse_quantity_column

AI_ALIASES: dict[str, list[str]] = {
    "run_id": [
        "run id",
        "run_id",
        "id",
        "identifiant",
        "run",
        "job id",
        "jobid",
        "job",
        "nom du run",
        "experiment id",
    ],
    "project": ["project", "projet", "project name", "project_name", "experiment", "service"],
    "phase": ["phase", "stage", "etape", "type de tache", "task type", "type"],
    "started_at": [
        "started at",
        "started_at",
        "debut",
        "start",
        "date de debut",
        "started",
        "date",
        "start time",
        "timestamp",
    ],
    "duration": ["duration", "duree", "elapsed", "walltime", "runtime", "temps", "duree h"],
    "accelerator_hours": [
        "accelerator hours",
        "accelerator_hours",
        "gpu hours",
        "gpu_hours",
        "heures gpu",
        "heures accelerateur",
        "tpu hours",
        "chip hours",
    ],
    "accelerator": [
        "accelerator",
        "accelerateur",
        "gpu",
        "gpu model",
        "gpu_model",
        "materiel",
        "hardware",
        "processor",
        "puce",
    ],
    "accelerator_count": [
        "accelerator count",
        "accelerator_count",
        "nombre d accelerateurs",
        "nombre de gpu",
        "gpus",
        "nb gpu",
        "gpu count",
        "gpu_count",
        "number of gpus",
        "chips",
        "nombre de puces",
    ],
    "accelerator_power": [
        "accelerator power",
        "accelerator_power",
        "puissance accelerateur",
        "puissance gpu",
        "gpu power",
        "power per gpu",
        "power per chip",
        "average power per chip",
    ],
    "utilisation": ["utilisation", "utilization", "taux d utilisation", "gpu utilisation", "gpu utilization"],
    "cpu_cores": ["cpu cores", "cpu_cores", "coeurs cpu", "cores", "nb coeurs", "cpu count"],
    "cpu_power": ["cpu power", "cpu_power", "puissance cpu"],
    "memory": ["memory", "memoire", "ram", "memory gb", "ram gb"],
    "power": ["power", "puissance", "puissance totale", "total power", "average power", "puissance moyenne"],
    "pue": ["pue"],
    "location": [
        "location",
        "localisation",
        "lieu",
        "region",
        "country",
        "pays",
        "datacenter",
        "cloud region",
        "country iso code",
        "country_iso_code",
    ],
    "carbon_intensity": [
        "carbon intensity",
        "carbon_intensity",
        "intensite carbone",
        "facteur d emission",
        "grid factor",
        "ci",
        "intensite",
    ],
    "energy": [
        "energy",
        "energie",
        "energy consumed",
        "energy_consumed",
        "consommation",
        "energy kwh",
        "consommation electrique",
    ],
    "emissions": ["emissions", "emissions kgco2e", "co2", "co2e", "kgco2e"],
    "requests": ["requests", "requetes", "inferences", "queries", "nombre de requetes", "prompts", "appels"],
}

#: canonical column → canonical unit (a bare number is taken in this unit)
_QUANTITIES = {
    "duration": "hour",
    "accelerator_hours": "hour",
    "accelerator_count": "dimensionless",
    "accelerator_power": "W",
    "cpu_cores": "dimensionless",
    "cpu_power": "W",
    "memory": "GB",
    "power": "W",
    "energy": "kWh",
    "emissions": "kg",
    "requests": "dimensionless",
}

_PHASE_WORDS = [
    (
        "fine-tuning",
        ("fine tuning", "finetuning", "fine tune", "ajustement", "affinage", "reglage fin", "sft", "lora"),
    ),
    ("training", ("training", "entrainement", "train", "pretraining", "pre training", "apprentissage")),
    ("inference", ("inference", "serving", "production", "prediction", "deploiement", "service", "api")),
    ("evaluation", ("evaluation", "eval", "test", "benchmark", "validation")),
]

CODECARBON_MARKERS = {"emissions", "energy_consumed", "codecarbon_version"}


def phase_of(label: object) -> str | None:
    """'Entraînement' → 'training'; unknown labels → 'other'; missing → None."""
    if label is None or label is pd.NA or (isinstance(label, float) and np.isnan(label)):
        return None
    folded = f" {fold(label)} "
    for phase, words in _PHASE_WORDS:
        if any(f" {word} " in folded for word in words):
            return phase
    return "other"


def is_codecarbon(raw: pd.DataFrame) -> bool:
    """A CodeCarbon ``emissions.csv``, recognised by its header."""
    return CODECARBON_MARKERS <= set(raw.columns)


def codecarbon_to_log(raw: pd.DataFrame) -> pd.DataFrame:
    """CodeCarbon's columns → the canonical log columns, one row per run_id.

    CodeCarbon appends a cumulative row at each flush: the last row of a run (the longest
    duration) holds the whole run, so earlier ones are dropped. Its ``energy_consumed``
    already includes its PUE; its ``emissions`` are kept as measured.
    """
    frame = raw.copy()
    frame["_duration"] = pd.to_numeric(frame["duration"], errors="coerce")
    if "run_id" in frame.columns:
        frame = frame.sort_values(["run_id", "_duration"], kind="stable")
        frame = frame.drop_duplicates("run_id", keep="last").sort_values("row", kind="stable")
    energy = pd.to_numeric(frame["energy_consumed"], errors="coerce")
    emissions = pd.to_numeric(frame["emissions"], errors="coerce")
    log = pd.DataFrame(
        {
            "run_id": frame.get("run_id"),
            "project": frame.get("project_name"),
            "started_at": frame.get("timestamp"),
            "duration (s)": frame["_duration"],
            "accelerator": frame.get("gpu_model"),
            "accelerator_count": pd.to_numeric(frame.get("gpu_count"), errors="coerce")
            if "gpu_count" in frame.columns
            else None,
            "location": frame.get("country_iso_code"),
            "energy (kWh)": energy,
            "emissions (kgCO2e)": emissions,
            "file": frame["file"],
            "row": frame["row"],
        }
    )
    log.attrs["codecarbon"] = True
    return log


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

    Returns one row per run with float columns in canonical units (``hours``,
    ``accelerator_hours``, ``accelerator_power_w``, ``power_w``, ``energy_kwh``,
    ``carbon_intensity_kg_per_kwh``, …), ``accelerator`` (a key of accelerators.csv),
    ``country``/``region``, ``phase`` and ``reason`` ("" when the run can be estimated).
    """
    source = "log"
    if "status" in raw.columns and "run_id" in raw.columns and raw["run_id"].duplicated().any():
        # greenit track appends cumulative checkpoint rows: a run's last row holds it whole
        raw = raw.drop_duplicates("run_id", keep="last")
        source = "track"
    if is_codecarbon(raw):
        raw = codecarbon_to_log(raw)
        source = "codecarbon"
    headers = map_headers([c for c in raw.columns if c not in ("file", "row")], AI_ALIASES)
    useful = {"duration", "accelerator_hours", "energy", "power"}
    if not useful & set(headers):
        path = raw["file"].iloc[0] if len(raw) else "input"
        raise InputFileError(
            f"{path}: not an AI run log — no duration, accelerator hours, power or energy column "
            f"(columns found: {', '.join(c for c in raw.columns if c not in ('file', 'row'))[:200]})",
            "see the canonical log columns in the README (run_id, phase, duration, accelerator…)",
        )
    n = len(raw)
    flags = Flags(n)
    out = pd.DataFrame({"file": as_categorical(raw["file"]), "row": raw["row"].to_numpy()}, index=raw.index)
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
        flags.add(utilisation > 1, f"{match.header}: above 100 %")

    match = headers.get("pue")
    if match is None:
        out["pue"] = np.nan
    else:
        pue = _number_column(raw, match.header)
        bad = (pue < 1) & ~np.isnan(pue)
        flags.add(bad, f"{match.header}: a PUE is a number of 1 or more (e.g. 1,2)")
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
        flags.add(errors != "", errors)
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
        flags.add_each(
            bad,
            text,
            f"{location_match.header}: '{{}}' is neither a country (ISO-3) nor a known cloud region",
        )
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
