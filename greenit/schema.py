"""The frame contract: the columns each stage hands to the next, with units and meaning.

One name means one thing, with one unit, everywhere. Per-device inputs and per-year results
have different names (``given_manufacture_kgco2e`` per device from the file,
``device_manufacture_kgco2e`` per device as used, ``manufacture_kgco2e`` per year for the row's
whole quantity). ``reason`` holds why a row cannot be estimated, ``notes`` how it was; both are
Categoricals of :class:`greenit.i18n.Joined` messages, missing where there is nothing to say.

:func:`check` verifies a frame against its stage; the test suite runs it on every stage, so
this module and the code cannot drift apart. ``docs/architecture.md`` prints these tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "text" (categorical or string), "float", "int", "bool", "date", "messages"
    unit: str  # "" when none
    meaning: str


POSITION = (
    Column("file", "text", "", "input file the row comes from"),
    Column("row", "int", "", "1-based data row in its file"),
    Column("line", "int", "", "line a spreadsheet shows for the row (header line = 1 when on top)"),
)
MESSAGES = (Column("reason", "messages", "", "why the row cannot be estimated; missing when it can"),)

INVENTORY = (
    *POSITION,
    Column("name", "text", "", "device name or inventory number, when the file has one"),
    Column("manufacturer", "text", "", "manufacturer as written"),
    Column("model", "text", "", "model as written"),
    Column("entity", "text", "", "department / service path (GLPI Entité)"),
    Column("site", "text", "", "place (GLPI Lieu, 'Bâtiment > Étage')"),
    Column("category", "text", "", "key of devices.csv; missing when not recognised"),
    Column("category_label", "text", "", "the text the category was read from"),
    Column(
        "category_source",
        "text",
        "",
        "how the category was decided: type | model | item_type | default (--default-category); "
        "missing when it was not",
    ),
    Column("quantity", "float", "devices", "number of devices the row stands for"),
    Column("given_manufacture_kgco2e", "float", "kgCO2e/device", "manufacturer's PCF from the file"),
    Column("lifespan_years", "float", "years", "lifespan from the file (missing: table's)"),
    Column("power_w", "float", "W", "average power from the file"),
    Column("annual_kwh", "float", "kWh/year/device", "yearly electricity from the file"),
    Column("use_hours_per_year", "float", "h/year", "hours of use from the file"),
    Column("purchase_date", "date", "", "purchase or commissioning date"),
    Column("retirement_date", "date", "", "date the device left the fleet"),
    Column("equipment_status", "text", "", "status label as written (GLPI Statut)"),
    Column("status_kind", "text", "", "in_service | stock | retired | reused | unknown"),
    Column("status_source", "text", "", "status (the file's Statut) | default (none given: in service)"),
    Column("country", "text", "", "ISO 3166 alpha-3 code of the place of use"),
    Column("refurbished_share", "float", "0–1", "share of the row bought refurbished"),
    Column("amortisation_years", "float", "years", "accounting amortisation period from the file"),
    Column("pue", "float", "", "PUE of the room the device sits in, from the file"),
    Column("unit_price_eur", "float", "€/device", "price of one device from the file, excl. VAT"),
    Column(
        "price_basis",
        "text",
        "",
        "ht | ttc (said by the cell or header) | ht_declared | ttc_declared (--prices) | "
        "ht_assumed | ttc_assumed (said by nothing); missing without a price",
    ),
    Column("price_reason", "messages", "", "why the file's price of the row is not used; missing otherwise"),
    *MESSAGES,
    Column("notes", "messages", "", "how the row was read (amortisation as lifespan, row not in UTF-8…)"),
)

ESTIMATED = (
    *INVENTORY,
    Column("device_manufacture_kgco2e", "float", "kgCO2e/device", "manufacture used (PCF or table)"),
    Column("device_lifespan_years", "float", "years", "lifespan used"),
    Column("device_annual_kwh", "float", "kWh/year/device", "yearly electricity used"),
    Column("grid_factor_kg_per_kwh", "float", "kgCO2e/kWh", "electricity factor used"),
    *(
        Column(f"{part}{bound}_kgco2e", "float", "kgCO2e/year", f"{part.replace('_', ' ')} {label}")
        for part in ("manufacture", "use", "total")
        for bound, label in (("", "(central)"), ("_low", "(low)"), ("_high", "(high)"))
    ),
    Column("end_of_life_kgco2e", "float", "kgCO2e/year", "end of life charged to the year"),
    Column("use_kwh", "float", "kWh/year", "electricity of the row's devices in the year"),
    Column("use_low_kwh", "float", "kWh/year", "electricity (low)"),
    Column("use_high_kwh", "float", "kWh/year", "electricity (high)"),
    Column("pue_used", "float", "", "server-room PUE applied (central); missing outside the room"),
    Column("room_overhead_kwh", "float", "kWh/year", "the room's cooling and losses: use_kwh × (1 − 1/PUE)"),
    Column("room_overhead_kgco2e", "float", "kgCO2e/year", "their emissions (central), within use_kgco2e"),
    *(
        Column(f"consumables{bound}_kgco2e", "float", "kgCO2e/year", f"toner and ink {label}")
        for bound, label in (("", "(central)"), ("_low", "(low)"), ("_high", "(high)"))
    ),
    *(
        Column(
            f"{criterion}_{phase}{bound}_{suffix}",
            "float",
            f"{unit}/year",
            f"{label}, {phase}{' ' + bound[1:] if bound else ''} (missing: not given)",
        )
        for criterion, suffix, unit, label, phases in (
            ("adpe", "kgsbeq", "kg Sb eq", "abiotic depletion, metals", ("manufacture", "use")),
            ("pe", "mj", "MJ", "non-renewable primary energy", ("manufacture", "use")),
            ("water", "m3", "m3", "water for electricity", ("use",)),
        )
        for phase in phases
        for bound in ("", "_low", "_high")
    ),
    Column("device_unit_price_eur", "float", "€/device", "price used, excl. VAT (file or prices.csv)"),
    Column("price_origin", "text", "", "file | default (prices.csv) | unknown; missing on flagged rows"),
    *(
        Column(f"{part}{bound}_eur_per_year", "float", "€/year", f"{meaning} {label}")
        for part, meaning in (
            ("renewal", "renewal budget at steady state, excl. VAT (0 out of the fleet; missing: no price)"),
            ("electricity", "electricity bill of the row's devices, excl. VAT"),
        )
        for bound, label in (("", "(central)"), ("_low", "(low)"), ("_high", "(high)"))
    ),
    Column("estimate_status", "text", "", "estimated | flagged"),
)

RUNS = (
    *POSITION,
    Column("source", "text", "", "log | track | codecarbon | slurm | hosted: the layout it was read from"),
    Column("run_id", "text", "", "run identifier (made from file and row when the log has none)"),
    Column("project", "text", "", "project (a hosted-AI service's name)"),
    Column("phase", "text", "", "training | fine-tuning | inference | evaluation | other"),
    Column("hours", "float", "h", "duration of the run"),
    Column("accelerator_hours", "float", "h", "device-hours of accelerators"),
    Column("accelerator", "text", "", "key of accelerators.csv; missing when unknown or none"),
    Column("accelerator_label", "text", "", "the accelerator as written"),
    Column("accelerator_count", "float", "devices", "accelerators used"),
    Column("accelerator_power_w", "float", "W/device", "power per accelerator from the log"),
    Column("utilisation", "float", "0–1", "accelerator utilisation from the log"),
    Column("cpu_power_w", "float", "W", "host CPU power from the log"),
    Column("memory_gb", "float", "GB", "memory from the log"),
    Column("power_w", "float", "W", "average total power of the job from the log"),
    Column("pue", "float", "", "PUE from the log"),
    Column("energy_kwh", "float", "kWh", "measured energy from the log"),
    Column("carbon_intensity_kg_per_kwh", "float", "kgCO2e/kWh", "intensity from the log"),
    Column("country", "text", "", "ISO-3 country of the run"),
    Column("region", "text", "", "cloud or HPC region key of cloud_regions.csv"),
    Column("steps", "text", "", "Slurm: on a job's row, its other lines (steps…), counted in it"),
    Column("step_rows", "int", "lines", "Slurm: how many lines `steps` lists (0 otherwise)"),
    Column("part_of", "text", "", "Slurm: the job a step line is counted in (it adds 0); missing otherwise"),
    *MESSAGES,
)

RUNS_ESTIMATED = (
    *(c for c in RUNS if c.name != "energy_kwh"),
    Column("energy_kwh", "float", "kWh", "energy of the run, facility included (PUE)"),
    Column("energy_method", "text", "", "measured | job power | accelerator model | ecologits | provider"),
    Column("energy_low_kwh", "float", "kWh", "energy (low)"),
    Column("energy_high_kwh", "float", "kWh", "energy (high)"),
    Column("pue_used", "float", "", "PUE applied (central; missing for measured energy without one)"),
    Column("pue_origin", "text", "", "log | provider | default | measured"),
    Column("carbon_intensity_used_kg_per_kwh", "float", "kgCO2e/kWh", "intensity applied"),
    Column("carbon_intensity_origin", "text", "", "option | log | region | country | log emissions"),
    *(
        Column(f"{part}{bound}_kgco2e", "float", "kgCO2e", f"{meaning} {label}")
        for part, meaning in (
            ("usage", "emissions of the electricity used"),
            ("embodied", "share of the hardware's manufacture"),
            ("total", "usage + embodied"),
        )
        for bound, label in (("", "(central)"), ("_low", "(low)"), ("_high", "(high)"))
    ),
    *(
        Column(
            f"{criterion}_{phase}{bound}_{suffix}",
            "float",
            unit,
            f"{label}, {phase}{' ' + bound[1:] if bound else ''} (missing: not given)",
        )
        for criterion, suffix, unit, label, phases in (
            ("adpe", "kgsbeq", "kg Sb eq", "abiotic depletion, metals", ("usage", "embodied")),
            ("pe", "mj", "MJ", "non-renewable primary energy", ("usage", "embodied")),
            ("water", "m3", "m3", "water for electricity (hosted: and data centre)", ("usage",)),
        )
        for phase in phases
        for bound in ("", "_low", "_high")
    ),
    Column("estimate_status", "text", "", "estimated | flagged"),
    Column("notes", "messages", "", "how the run was estimated (defaults used…)"),
)

#: Hosted generative AI: a usage log (service × model × period, or one request).
USAGE = (
    *POSITION,
    Column("service", "text", "", "service calling the model (the run's project)"),
    Column("provider_label", "text", "", "provider as written"),
    Column("model_label", "text", "", "model as written"),
    Column("requests", "float", "requests", "requests of the row; missing when the log has no count"),
    Column("input_tokens", "float", "tokens", "prompt tokens (EcoLogits does not count them)"),
    Column("output_tokens", "float", "tokens", "tokens generated"),
    Column("parameters_billion", "float", "10^9 parameters", "model size the file gives (G4IT nbParameters)"),
    Column("quantization_bits", "float", "bits", "bits per weight given by the file"),
    Column("given_energy_kwh", "float", "kWh", "the row's energy given by the log (_low/_high: range)"),
    Column("given_emissions_kgco2e", "float", "kgCO2e", "emissions given by the log (_low/_high: range)"),
    Column("period", "text", "", "period as written"),
    Column("period_start", "date", "", "first day of the period"),
    Column("country", "text", "", "ISO-3 country the log gives"),
    Column("region", "text", "", "cloud region key the log gives"),
    Column("location_given", "bool", "", "whether the log gives the place"),
    *MESSAGES,
)

#: Hosted usage estimated with EcoLogits: a run of ``runs_estimated`` (``source`` = hosted,
#: ``country`` = the place whose electricity applies) with the usage columns beside.
USAGE_ESTIMATED = (
    *RUNS_ESTIMATED,
    *(c for c in USAGE if c.name not in {r.name for r in RUNS_ESTIMATED}),
    Column("provider", "text", "", "EcoLogits provider key (mistralai, openai…); missing when unknown"),
    Column("model", "text", "", "the model as EcoLogits or genai_models.csv names it"),
    Column("model_origin", "text", "", "ecologits | genai_models | file"),
    Column("requests_used", "float", "requests", "requests counted (1 when the log gives no count)"),
    Column("energy_per_request_wh", "float", "Wh", "energy of one request (central)"),
    Column("total_per_request_gco2e", "float", "gCO2e", "emissions of one request (central)"),
)

STAGES: dict[str, tuple[Column, ...]] = {
    "inventory": INVENTORY,
    "estimated": ESTIMATED,
    "runs": RUNS,
    "runs_estimated": RUNS_ESTIMATED,
    "usage": USAGE,
    "usage_estimated": USAGE_ESTIMATED,
}

_KIND_CHECKS = {
    "float": pd.api.types.is_float_dtype,
    "int": pd.api.types.is_integer_dtype,
    "bool": pd.api.types.is_bool_dtype,
    "date": pd.api.types.is_datetime64_any_dtype,
}


def check(frame: pd.DataFrame, stage: str) -> list[str]:
    """Departures of ``frame`` from the contract of ``stage`` (empty when it holds).

    Extra columns are allowed (a stage may carry more); missing ones and wrong kinds are not.
    """
    problems = []
    for column in STAGES[stage]:
        if column.name not in frame.columns:
            problems.append(f"{stage}: missing column {column.name!r}")
            continue
        test = _KIND_CHECKS.get(column.kind)
        if test is not None and not test(frame[column.name].dtype):
            problems.append(f"{stage}: {column.name!r} is {frame[column.name].dtype}, expected {column.kind}")
        if column.kind == "messages" and not isinstance(frame[column.name].dtype, pd.CategoricalDtype):
            problems.append(f"{stage}: {column.name!r} should be a Categorical of messages")
    return problems


def markdown_table(stage: str) -> str:
    """The contract of ``stage`` as a Markdown table (for docs/architecture.md)."""
    lines = ["| column | kind | unit | meaning |", "|---|---|---|---|"]
    lines += [f"| `{c.name}` | {c.kind} | {c.unit} | {c.meaning} |" for c in STAGES[stage]]
    return "\n".join(lines)


if __name__ == "__main__":  # python -m greenit.schema: the tables docs/architecture.md prints
    for name in STAGES:
        print(f"### Stage `{name}`\n\n{markdown_table(name)}\n")
