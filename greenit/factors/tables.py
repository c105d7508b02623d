"""Emission-factor tables: what each holds, the factor set, its sources. No formulas here.

The tables live in ``emission_factors/`` (shipped inside the wheel as
``greenit/emission_factors``). Headers carry their units (``manufacture [kgCO2e]``), read
through the same unit layer as user files, so a user table may say ``[tCO2e]`` or ``[g/kWh]``.
Every figure points to a row of ``sources.csv``; :mod:`greenit.factors.validate` checks it.
Reading files and laying a user's tables over greenit's: :mod:`greenit.factors.read`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from greenit.errors import FactorTableError
from greenit.i18n import Message

_PARAMETERS = {
    "value": ("value", "dimensionless"),
    "low": ("low", "dimensionless"),
    "high": ("high", "dimensionless"),
}

#: table name → (key column, {header base name: (canonical column, canonical unit)},
#: source-id columns). Columns not listed are kept as text. ``range_sources`` is optional.
TABLE_SPECS: dict[str, tuple[str, dict[str, tuple[str, str]], tuple[str, ...]]] = {
    "devices": (
        "category",
        {
            "manufacture": ("manufacture_kgco2e", "kg"),
            "manufacture_low": ("manufacture_low_kgco2e", "kg"),
            "manufacture_high": ("manufacture_high_kgco2e", "kg"),
            "lifespan": ("lifespan_years", "year"),
            "annual_energy": ("annual_kwh", "kWh/year"),
            "annual_energy_low": ("annual_low_kwh", "kWh/year"),
            "annual_energy_high": ("annual_high_kwh", "kWh/year"),
            "use_hours": ("use_hours_per_year", "hour/year"),
            "end_of_life": ("end_of_life_kgco2e", "kg"),
        },
        (
            "manufacture_source",
            "lifespan_source",
            "energy_source",
            "end_of_life_source",
            "use_hours_source",
            "range_sources",
        ),
    ),
    "electricity": (
        "country",
        {"carbon_intensity": ("carbon_intensity_kg_per_kwh", "kg/kWh")},
        ("source_id",),
    ),
    "parameters": ("name", dict(_PARAMETERS), ("source_id", "range_sources")),
    # criteria beyond carbon (greenit.criteria): ADPe and primary energy of a device's manufacture
    # (an empty cell: non renseigné), ADPe, primary energy and water per kWh of a country's grid
    "device_criteria": (
        "category",
        {
            f"{criterion}_manufacture{bound}": (f"{criterion}_manufacture{bound}_{unit}", canonical)
            for criterion, unit, canonical in (("adpe", "kgsbeq", "kgSbeq"), ("pe", "mj", "MJ"))
            for bound in ("", "_low", "_high")
        },
        ("source_id", "range_sources"),
    ),
    "electricity_criteria": (
        "country",
        {
            "adpe": ("adpe_kgsbeq_per_kwh", "kgSbeq/kWh"),
            "pe": ("pe_mj_per_kwh", "MJ/kWh"),
            "water": ("water_l_per_kwh", "L/kWh"),
        },
        ("source_id",),
    ),
    "equivalences": ("name", {"value": ("value_kgco2e", "kg")}, ("source_id",)),
    "accelerators": (
        "accelerator",
        {
            "power": ("power_w", "W"),
            "power_low": ("power_low_w", "W"),
            "power_high": ("power_high_w", "W"),
            "memory": ("memory_gb", "GB"),
            "manufacture": ("manufacture_kgco2e", "kg"),
            "manufacture_low": ("manufacture_low_kgco2e", "kg"),
            "manufacture_high": ("manufacture_high_kgco2e", "kg"),
        },
        ("power_source", "manufacture_source", "range_sources"),
    ),
    "pue": (
        "provider",
        {"pue": ("pue", "dimensionless"), "low": ("low", "dimensionless"), "high": ("high", "dimensionless")},
        ("source_id", "range_sources"),
    ),
    "cloud_regions": (
        "region",
        {"carbon_intensity": ("carbon_intensity_kg_per_kwh", "kg/kWh")},
        ("source_id",),
    ),
    "ai_parameters": ("name", dict(_PARAMETERS), ("source_id", "range_sources")),
    # hosted generative AI (greenit.ai.hosted.estimate): models EcoLogits lacks, providers' own figures
    "genai_models": (
        "model",
        {
            name: (name, "dimensionless")
            for name in (
                "total_parameters_billion",
                "active_parameters_billion",
                "active_parameters_low_billion",
                "active_parameters_high_billion",
            )
        },
        ("source_id",),
    ),
    "genai_references": (
        "reference_id",
        {
            "output_tokens": ("output_tokens", "dimensionless"),
            "compare_output_tokens": ("compare_output_tokens", "dimensionless"),
            "energy_per_request": ("energy_per_request_kwh", "kWh"),
            "emissions_per_request": ("emissions_per_request_kgco2e", "kg"),
            "water_per_request": ("water_per_request_l", "L"),
        },
        ("source_id", "compare_source_id"),
    ),
    "slurm_partitions": ("partition", {}, ("source_id",)),  # partition → accelerator model (text)
    # what AI costs (greenit.ai.prices): providers' per-token prices, accelerators' purchase prices,
    # each in its own currency (USD or EUR), converted at the dated rate ``usd_per_eur``
    "genai_prices": (
        "model",
        {
            "input_price_per_mtok": ("input_price_per_mtok", "dimensionless"),
            "output_price_per_mtok": ("output_price_per_mtok", "dimensionless"),
        },
        ("source_id",),
    ),
    "accelerator_prices": (
        "accelerator",
        {name: (name, "dimensionless") for name in ("price", "price_low", "price_high")},
        ("source_id", "range_sources"),
    ),
    # plausible ranges of the values files give (greenit.factors.plausible): ``min``/``max`` are
    # multiples of the row's ``basis`` (its category's own factor row), or absolute in ``unit``;
    # ``lowest``/``highest`` bound them whatever the basis (8,784 hours in a year)
    "plausibility": (
        "quantity",
        {name: (name, "dimensionless") for name in ("min", "max", "lowest", "highest")},
        ("source_id",),
    ),
    # issue 22: printers' toner and ink per device-year; services bought per unit; accounting lives
    "consumables": (
        "category",
        {
            "consumables": ("consumables_kgco2e", "kg/year"),
            "consumables_low": ("consumables_low_kgco2e", "kg/year"),
            "consumables_high": ("consumables_high_kgco2e", "kg/year"),
        },
        ("source_id", "range_sources"),
    ),
    "services": (
        "factor_id",
        {
            "factor": ("factor_kgco2e", "kg"),
            "factor_low": ("factor_low_kgco2e", "kg"),
            "factor_high": ("factor_high_kgco2e", "kg"),
        },
        ("source_id", "range_sources"),
    ),
    "amortisation": (
        "family",
        {
            "years": ("amortisation_years", "year"),
            "years_low": ("amortisation_low_years", "year"),
            "years_high": ("amortisation_high_years", "year"),
        },
        ("source_id", "range_sources"),
    ),
    # money (greenit.inventory.budget): a device's price excl. VAT, the refurbished discount, the
    # plausibility bounds of a price typed in a file (min/max: a check, never a figure)
    "prices": (
        "category",
        {
            "unit_price": ("unit_price_eur", "EUR"),
            "unit_price_low": ("unit_price_low_eur", "EUR"),
            "unit_price_high": ("unit_price_high_eur", "EUR"),
            "refurbished_discount": ("refurbished_discount", "dimensionless"),
            "refurbished_discount_low": ("refurbished_discount_low", "dimensionless"),
            "refurbished_discount_high": ("refurbished_discount_high", "dimensionless"),
            "unit_price_min": ("unit_price_min_eur", "EUR"),
            "unit_price_max": ("unit_price_max_eur", "EUR"),
        },
        ("price_source", "discount_source", "bounds_source", "agec_source", "range_sources"),
    ),
}

SOURCE_COLUMNS = ("source_id", "publisher", "title", "year", "url", "licence")

#: greenit's own words about a source, in French and in English: what greenit takes from it
#: (``description``) and how (``notes``). The ``title`` is the document's own, as published.
SOURCE_TEXT_COLUMNS = ("description_fr", "description_en", "notes_fr", "notes_en")


def default_factors_dir() -> Path:
    """The packaged tables: ``greenit/emission_factors`` in a wheel, ``emission_factors/`` in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "emission_factors", here.parent.parent / "emission_factors"):
        if (candidate / "sources.csv").exists():
            return candidate
    raise FactorTableError.of("factors.missing_install", "factors.missing_install_hint")


def packaged_version() -> str:
    """The version of the packaged tables (``emission_factors/VERSION``)."""
    return (default_factors_dir() / "VERSION").read_text(encoding="utf-8").strip()


@dataclass(frozen=True)
class CellProblem:
    """A cell of a factor table that is not a number: where it is and what is wrong with it."""

    table: str
    key: str
    column: str  # canonical column
    message: Message


@dataclass
class FactorSet:
    """All factor tables, indexed by their key, with canonical float columns.

    ``cell_problems`` lists the cells read as NaN because they were not numbers
    (:mod:`greenit.factors.read`); :func:`greenit.factors.validate.validate` reports them.
    ``user_rows`` and ``replaced`` say which rows a user's tables gave, and greenit's own rows
    they replaced: outputs name them as the user's, plausibility keeps greenit's ranges.
    """

    version: str
    tables: dict[str, pd.DataFrame]
    sources: pd.DataFrame
    origins: list[str] = field(default_factory=list)
    cell_problems: list[CellProblem] = field(default_factory=list)
    #: table → keys of the rows a user's ``--factors`` table gave (replacing or adding)
    user_rows: dict[str, list[str]] = field(default_factory=dict)
    #: table → greenit's packaged rows that a user's table replaced (their ranges still hold)
    replaced: dict[str, pd.DataFrame] = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            raise FactorTableError.of("factors.no_table", None, name=name) from None

    @property
    def devices(self) -> pd.DataFrame:
        return self.table("devices")

    @property
    def electricity(self) -> pd.DataFrame:
        return self.table("electricity")

    def parameter(self, name: str) -> tuple[float, float, float]:
        """(value, low, high) of a row of ``parameters.csv`` or ``ai_parameters.csv``."""
        for table in ("parameters", "ai_parameters"):
            frame = self.tables.get(table)
            if frame is not None and name in frame.index:
                row = frame.loc[name]
                value = float(row["value"])
                low = float(row["low"]) if pd.notna(row.get("low")) else value
                high = float(row["high"]) if pd.notna(row.get("high")) else value
                return value, low, high
        raise FactorTableError.of("factors.no_parameter", None, name=name)

    def grid_factor(self, country: str) -> float:
        """Carbon intensity of electricity [kgCO2e/kWh] for an ISO-3 country code."""
        table = self.electricity
        if country not in table.index:
            raise FactorTableError.of(
                "factors.no_country",
                "factors.no_country_hint",
                country=country,
                known=", ".join(sorted(table.index)[:12]),
            )
        return float(table.at[country, "carbon_intensity_kg_per_kwh"])

    def source_rows(self, source_ids: set[str]) -> pd.DataFrame:
        known = [s for s in sorted(source_ids) if s in self.sources.index]
        return self.sources.loc[known]


def source_table(raw: pd.DataFrame) -> pd.DataFrame:
    """A ``sources.csv`` read as text, indexed by ``source_id``, with every text column.

    A table in the layout before 2026.12 (one ``notes`` column, no ``notes_fr``/``notes_en``)
    still loads: its notes stand for both languages. Missing description or notes columns
    are added empty.
    """
    frame = raw.copy()
    if "notes" in frame.columns:
        for column in ("notes_fr", "notes_en"):
            if column not in frame.columns:
                frame[column] = frame["notes"]
        frame = frame.drop(columns="notes")
    for column in SOURCE_TEXT_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.Series(np.nan, index=frame.index, dtype=object)
    return frame.set_index("source_id")


def source_text(row: pd.Series, kind: str, lang: str) -> str | None:
    """greenit's ``description`` or ``notes`` of a ``sources.csv`` row in ``lang``; None if empty.

    >>> row = pd.Series({"notes_fr": "lu de seconde main", "notes_en": "read second-hand"})
    >>> source_text(row, "notes", "en"), source_text(row, "description", "fr")
    ('read second-hand', None)
    """
    value = row.get(f"{kind}_{lang}")
    return value.strip() if isinstance(value, str) and value.strip() else None


#: how ``sources.csv`` says who relayed a figure: ``ADEME (reported by Actu-Environnement)``
_RELAYED = re.compile(r"\((reported by|quoted by|via) ([^()]+)\)")
_RELAY_KEYS = {
    "reported by": "factors.relayed.reported",
    "quoted by": "factors.relayed.quoted",
    "via": "factors.relayed.via",
}


def publisher_text(publisher: object, lang: str) -> str | None:
    """A ``sources.csv`` publisher in ``lang``: who relayed the figure said in that language.

    >>> publisher_text("ADEME (reported by Actu-Environnement)", "fr")
    'ADEME (rapporté par Actu-Environnement)'
    >>> publisher_text("OVHcloud (reported by ChannelNews and Silicon)", "fr")
    'OVHcloud (rapporté par ChannelNews et Silicon)'
    """
    if not isinstance(publisher, str) or not publisher.strip():
        return None
    from greenit.i18n import text

    def relayed(match: re.Match) -> str:
        who = match.group(2).replace(" and ", f" {text('factors.relayed.and', lang)} ")
        return f"({text(_RELAY_KEYS[match.group(1)], lang, who=who)})"

    return _RELAYED.sub(relayed, publisher.strip())
