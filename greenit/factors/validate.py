"""Checks a factor set must pass before any figure is computed from it.

Every figure names an existing, openable source; low ≤ central ≤ high; values lie within
physically sensible bounds; shares are shares. Each problem is a catalogue message
(:mod:`greenit.i18n`), so ``greenit factors validate`` lists them in the user's language.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import pandas as pd

from greenit.factors.plausible import overlay_problems
from greenit.factors.tables import TABLE_SPECS, FactorSet, source_text
from greenit.i18n import Message, msg

#: (table, column) → (minimum, maximum), both inclusive: values outside are not physical.
#: Low and high columns are checked against their central column's bounds.
BOUNDS: dict[tuple[str, str], tuple[float, float]] = {
    ("devices", "manufacture_kgco2e"): (0.0, 100_000.0),
    ("devices", "lifespan_years"): (0.1, 50.0),
    ("devices", "annual_kwh"): (0.0, 1_000_000.0),
    ("devices", "use_hours_per_year"): (0.0, 8784.0),
    ("devices", "end_of_life_kgco2e"): (0.0, 100_000.0),
    ("electricity", "carbon_intensity_kg_per_kwh"): (0.0, 2.0),
    ("cloud_regions", "carbon_intensity_kg_per_kwh"): (0.0, 2.0),
    ("accelerators", "power_w"): (1.0, 10_000.0),
    ("accelerators", "memory_gb"): (0.0, 10_000.0),
    ("accelerators", "manufacture_kgco2e"): (0.0, 100_000.0),
    ("pue", "pue"): (1.0, 3.0),
    # ADPe of one device: 1e-6 kg Sb eq (a USB stick is 1e-4), to 10 (a server rack is 0.04)
    ("device_criteria", "adpe_manufacture_kgsbeq"): (0.0, 10.0),
    ("device_criteria", "pe_manufacture_mj"): (0.0, 10_000_000.0),
    # per kWh of a grid: ADPe (FRA 4.9e-8), primary energy (a kWh is 3.6 MJ; coal at 30 % about 12)
    ("electricity_criteria", "adpe_kgsbeq_per_kwh"): (0.0, 1e-5),
    ("electricity_criteria", "pe_mj_per_kwh"): (0.0, 30.0),
    ("electricity_criteria", "water_l_per_kwh"): (0.0, 100.0),
    # a model of fewer than ten million parameters, or none at all, is no generative model
    ("genai_models", "total_parameters_billion"): (0.01, 100_000.0),
    ("genai_models", "active_parameters_billion"): (0.01, 100_000.0),
    ("equivalences", "value_kgco2e"): (0.0, 10_000.0),
    ("genai_prices", "input_price_per_mtok"): (0.0, 1_000.0),
    ("genai_prices", "output_price_per_mtok"): (0.0, 1_000.0),
    ("accelerator_prices", "price"): (0.0, 1_000_000.0),
    ("consumables", "consumables_kgco2e"): (0.0, 10_000.0),
    ("services", "factor_kgco2e"): (0.0, 100_000.0),
    ("amortisation", "amortisation_years"): (0.5, 50.0),
    ("prices", "unit_price_eur"): (0.0, 100_000_000.0),
    ("prices", "refurbished_discount"): (0.0, 1.0),
    ("prices", "unit_price_min_eur"): (0.0, 100_000_000.0),
    ("prices", "unit_price_max_eur"): (0.0, 100_000_000.0),
}

#: Parameters (both parameter tables) → (minimum, maximum), inclusive.
PARAMETER_BOUNDS: dict[str, tuple[float, float]] = {
    "refurbished_manufacture_share": (0.0, 1.0),
    "recycling_age_threshold": (1.0, 50.0),
    "reuse_target_2023": (0.0, 1.0),
    "reuse_target_2024": (0.0, 1.0),
    "reuse_target_2025": (0.0, 1.0),
    "accelerator_lifetime_years": (0.5, 30.0),
    "fleet_utilisation": (0.01, 1.0),
    "server_manufacture_kgco2e": (0.0, 100_000.0),
    "accelerators_per_server": (1.0, 64.0),
    "memory_power_w_per_gb": (0.0, 10.0),
    "default_utilisation": (0.01, 1.0),
    "usd_per_eur": (0.1, 10.0),
    "ai_hardware_amortisation_years": (1.0, 30.0),
    "ups_loss_share": (0.0, 0.5),
    "ups_load_share": (0.01, 1.0),
    "ups_rated_power": (1.0, 1_000_000.0),
    "electricity_price": (0.0, 10.0),  # EUR/kWh: wholesale peaks stayed under 1
    "vat_rate": (0.0, 1.0),
    "agec_it_spend_target_2024": (0.0, 1.0),
    "agec_it_spend_target_2027": (0.0, 1.0),
    "agec_it_spend_target_2030": (0.0, 1.0),
}

#: table → [(low column, central column, high column)].
RANGES: dict[str, list[tuple[str, str, str]]] = {
    "devices": [
        ("manufacture_low_kgco2e", "manufacture_kgco2e", "manufacture_high_kgco2e"),
        ("annual_low_kwh", "annual_kwh", "annual_high_kwh"),
    ],
    "accelerators": [
        ("manufacture_low_kgco2e", "manufacture_kgco2e", "manufacture_high_kgco2e"),
        ("power_low_w", "power_w", "power_high_w"),
    ],
    "device_criteria": [
        ("adpe_manufacture_low_kgsbeq", "adpe_manufacture_kgsbeq", "adpe_manufacture_high_kgsbeq"),
        ("pe_manufacture_low_mj", "pe_manufacture_mj", "pe_manufacture_high_mj"),
    ],
    "parameters": [("low", "value", "high")],
    "ai_parameters": [("low", "value", "high")],
    "pue": [("low", "pue", "high")],
    "accelerator_prices": [("price_low", "price", "price_high")],
    "genai_models": [
        ("active_parameters_low_billion", "active_parameters_billion", "active_parameters_high_billion")
    ],
    "consumables": [("consumables_low_kgco2e", "consumables_kgco2e", "consumables_high_kgco2e")],
    "services": [("factor_low_kgco2e", "factor_kgco2e", "factor_high_kgco2e")],
    "amortisation": [("amortisation_low_years", "amortisation_years", "amortisation_high_years")],
    "prices": [
        ("unit_price_low_eur", "unit_price_eur", "unit_price_high_eur"),
        ("refurbished_discount_low", "refurbished_discount", "refurbished_discount_high"),
    ],
}

#: table → {figure column: source column that must name its source}.
FIGURE_SOURCES: dict[str, dict[str, str]] = {
    "devices": {
        "manufacture_kgco2e": "manufacture_source",
        "lifespan_years": "lifespan_source",
        "annual_kwh": "energy_source",
        "end_of_life_kgco2e": "end_of_life_source",
        "use_hours_per_year": "use_hours_source",
    },
    "electricity": {"carbon_intensity_kg_per_kwh": "source_id"},
    "device_criteria": {"adpe_manufacture_kgsbeq": "source_id", "pe_manufacture_mj": "source_id"},
    "electricity_criteria": {
        "adpe_kgsbeq_per_kwh": "source_id",
        "pe_mj_per_kwh": "source_id",
        "water_l_per_kwh": "source_id",
    },
    "cloud_regions": {"carbon_intensity_kg_per_kwh": "source_id"},
    "accelerators": {
        "power_w": "power_source",
        "memory_gb": "power_source",
        "manufacture_kgco2e": "manufacture_source",
    },
    "parameters": {"value": "source_id"},
    "ai_parameters": {"value": "source_id"},
    "pue": {"pue": "source_id"},
    "equivalences": {"value_kgco2e": "source_id"},
    "genai_prices": {"input_price_per_mtok": "source_id", "output_price_per_mtok": "source_id"},
    "accelerator_prices": {"price": "source_id"},
    "plausibility": {"min": "source_id", "max": "source_id"},
    "consumables": {"consumables_kgco2e": "source_id"},
    "services": {"factor_kgco2e": "source_id"},
    "amortisation": {"amortisation_years": "source_id"},
    "prices": {
        "unit_price_eur": "price_source",
        "refurbished_discount": "discount_source",
        "unit_price_min_eur": "bounds_source",
        "unit_price_max_eur": "bounds_source",
    },
}

#: Tables whose every row must give its central figure.
REQUIRED_FIGURES: dict[str, tuple[str, ...]] = {
    "devices": ("manufacture_kgco2e", "lifespan_years", "annual_kwh", "use_hours_per_year"),
    "electricity": ("carbon_intensity_kg_per_kwh",),
    "parameters": ("value",),
    "ai_parameters": ("value",),
    "pue": ("pue",),
    "equivalences": ("value_kgco2e",),
    "genai_prices": ("input_price_per_mtok", "output_price_per_mtok"),
    "accelerator_prices": ("price",),
    "consumables": ("consumables_kgco2e",),
    "services": ("factor_kgco2e",),
    "amortisation": ("amortisation_years",),
}

_BARE_HOME_PAGE = re.compile(r"^(https?://)?[^/\s]+\.[^/\s]+/?$", re.IGNORECASE)


def is_bare_home_page(url: str) -> bool:
    """True for a site's home page (no path to a document).

    >>> is_bare_home_page("https://www.ademe.fr/")
    True
    >>> is_bare_home_page("https://arxiv.org/abs/2211.02001")
    False
    """
    return bool(_BARE_HOME_PAGE.match(url.strip()))


def _source_ids(cell: object) -> list[str]:
    if not isinstance(cell, str):
        return []
    return [part.strip() for part in cell.split(";") if part.strip()]


def _dangling_sources(factors: FactorSet) -> Iterator[Message]:
    known = set(factors.sources.index)
    for name, frame in factors.tables.items():
        for column in TABLE_SPECS[name][2]:
            if column not in frame.columns:
                if column != "range_sources":
                    yield msg("factors.problem.no_source_column", table=name, column=column)
                continue
            for key, cell in frame[column].items():
                for source_id in _source_ids(cell):
                    if source_id not in known:
                        yield msg("factors.problem.unknown_source", table=name, key=key, source=source_id)


def _bad_cells(factors: FactorSet) -> set[tuple[str, object, str]]:
    """(table, key, column) of the cells that were not numbers: reported once, as such."""
    return {(p.table, p.key, p.column) for p in factors.cell_problems}


def _figures_without_source(factors: FactorSet) -> Iterator[Message]:
    bad = _bad_cells(factors)
    for name, frame in factors.tables.items():
        for figure, source in FIGURE_SOURCES.get(name, {}).items():
            if figure not in frame.columns:
                continue
            for key, value in frame[figure].items():
                if pd.notna(value) and (
                    source not in frame.columns or not _source_ids(frame.at[key, source])
                ):
                    yield msg("factors.problem.figure_without_source", table=name, key=key, column=figure)
        for figure in REQUIRED_FIGURES.get(name, ()):
            if figure not in frame.columns:
                yield msg("factors.problem.missing_column", table=name, column=figure)
                continue
            for key in frame.index[frame[figure].isna()]:
                if (name, str(key), figure) not in bad:
                    yield msg("factors.problem.missing_figure", table=name, key=key, column=figure)


def _inverted_ranges(factors: FactorSet) -> Iterator[Message]:
    bad = _bad_cells(factors)
    for name, triples in RANGES.items():
        frame = factors.tables.get(name)
        if frame is None:
            continue
        for low, central, high in triples:
            if central not in frame.columns:
                continue
            for key, row in frame.iterrows():
                values = [row.get(low), row[central], row.get(high)]
                given = [float(v) for v in values if v is not None and pd.notna(v)]
                if (name, str(key), central) in bad:
                    continue
                if pd.isna(row[central]) and len(given) > 0:
                    yield msg("factors.problem.range_without_central", table=name, key=key, column=central)
                elif given != sorted(given):
                    yield msg(
                        "factors.problem.inverted_range",
                        table=name,
                        key=key,
                        column=central,
                        low=_text(values[0]),
                        central=_text(values[1]),
                        high=_text(values[2]),
                    )


def _text(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{float(str(value)):g}"


def _bounded_columns(table: str, column: str) -> list[str]:
    """A central column and the low/high columns of its range."""
    columns = [column]
    for low, central, high in RANGES.get(table, []):
        if central == column:
            columns += [low, high]
    return columns


def _out_of_bounds(factors: FactorSet) -> Iterator[Message]:
    for (name, column), (lowest, highest) in BOUNDS.items():
        frame = factors.tables.get(name)
        if frame is None:
            continue
        for col in _bounded_columns(name, column):
            if col in frame.columns:
                yield from _check_bounds(frame[col], name, col, lowest, highest)
    for name in ("parameters", "ai_parameters"):
        frame = factors.tables.get(name)
        if frame is None:
            continue
        for key, (lowest, highest) in PARAMETER_BOUNDS.items():
            if key in frame.index:
                for col in ("value", "low", "high"):
                    if col in frame.columns:
                        yield from _check_bounds(frame.loc[[key], col], name, col, lowest, highest)


def _check_bounds(
    values: pd.Series, table: str, column: str, lowest: float, highest: float
) -> Iterator[Message]:
    for key, value in values.items():
        if value is None or pd.isna(value):
            continue
        number = float(value)
        if not math.isfinite(number) or not lowest <= number <= highest:
            yield msg(
                "factors.problem.out_of_bounds",
                table=table,
                key=key,
                column=column,
                value=f"{number:g}",
                lowest=f"{lowest:g}",
                highest=f"{highest:g}",
            )


def _implausible_prices(factors: FactorSet) -> Iterator[Message]:
    """A default price outside its own plausibility bounds (min ≤ low ≤ central ≤ high ≤ max)."""
    frame = factors.tables.get("prices")
    if frame is None or not {"unit_price_min_eur", "unit_price_max_eur"} & set(frame.columns):
        return
    bad = _bad_cells(factors)
    for key, row in frame.iterrows():
        lowest, highest = row.get("unit_price_min_eur"), row.get("unit_price_max_eur")
        if pd.notna(lowest) and pd.notna(highest) and float(lowest) > float(highest):
            yield msg(
                "money.problem.price_bounds_inverted", key=key, lowest=_text(lowest), highest=_text(highest)
            )
            continue
        for column in ("unit_price_low_eur", "unit_price_eur", "unit_price_high_eur"):
            value = row.get(column)
            if value is None or pd.isna(value) or ("prices", str(key), column) in bad:
                continue
            if (pd.notna(lowest) and value < lowest) or (pd.notna(highest) and value > highest):
                yield msg(
                    "money.problem.price_implausible",
                    key=key,
                    column=column,
                    value=_text(value),
                    lowest=_text(lowest),
                    highest=_text(highest),
                )


def _sources_not_openable(factors: FactorSet) -> Iterator[Message]:
    for source_id, row in factors.sources.iterrows():
        for column in ("publisher", "title", "year", "url"):
            if not isinstance(row.get(column), str) or not row[column].strip():
                yield msg("factors.problem.source_incomplete", source=source_id, column=column)
        url = row.get("url")
        if isinstance(url, str) and is_bare_home_page(url):
            yield msg("factors.problem.home_page", source=source_id, url=url)
        for kind in ("description", "notes"):
            given = {lang: source_text(row, kind, lang) is not None for lang in ("fr", "en")}
            if given["fr"] != given["en"]:
                yield msg(
                    "factors.problem.source_one_language",
                    source=source_id,
                    given=f"{kind}_{'fr' if given['fr'] else 'en'}",
                    missing=f"{kind}_{'en' if given['fr'] else 'fr'}",
                )


def validate(factors: FactorSet) -> list[Message]:
    """Problems found in a factor set (empty when valid), as catalogue messages.

    Checks: every cell of a figure column is a number (:mod:`greenit.factors.read`); every
    source id exists and every source names an openable document (publisher,
    title, year, a URL that is not a bare home page) and gives greenit's description and
    notes of it in both languages or in neither; every figure names its source; every
    row gives its central figures; low ≤ central ≤ high; values within physical bounds.
    """
    return [
        *(problem.message for problem in factors.cell_problems),
        *_dangling_sources(factors),
        *_figures_without_source(factors),
        *_inverted_ranges(factors),
        *_out_of_bounds(factors),
        *overlay_problems(factors),
        *_implausible_prices(factors),
        *_sources_not_openable(factors),
    ]
