"""Emission-factor tables: loading, validating, overriding. No formulas here.

The tables live in ``emission_factors/`` (shipped inside the wheel as
``greenit/emission_factors``). Headers carry their units (``manufacture [kgCO2e]``), read
through the same unit layer as user files, so a user table may say ``[tCO2e]`` or ``[g/kWh]``.
Every figure points to a row of ``sources.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from greenit.errors import FactorTableError, UnitError
from greenit.parsing.headers import split_header_unit
from greenit.parsing.units import conversion_factor

#: table name → (key column, {header base name: (canonical column, canonical unit)},
#: source-id columns). Columns not listed are kept as text.
TABLE_SPECS: dict[str, tuple[str, dict[str, tuple[str, str]], tuple[str, ...]]] = {
    "devices": (
        "category",
        {
            "manufacture": ("manufacture_kgco2e", "kg"),
            "manufacture_low": ("manufacture_low_kgco2e", "kg"),
            "manufacture_high": ("manufacture_high_kgco2e", "kg"),
            "lifespan": ("lifespan_years", "year"),
            "annual_energy": ("annual_kwh", "kWh/year"),
            "annual_energy_low": ("annual_kwh_low", "kWh/year"),
            "annual_energy_high": ("annual_kwh_high", "kWh/year"),
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
    "parameters": ("name", {}, ("source_id",)),
    "equivalences": ("name", {"value": ("value_kgco2e", "kg")}, ("source_id",)),
    "accelerators": (
        "accelerator",
        {
            "power": ("power_w", "W"),
            "memory": ("memory_gb", "GB"),
            "manufacture": ("manufacture_kgco2e", "kg"),
        },
        ("power_source", "manufacture_source"),
    ),
    "pue": ("provider", {}, ("source_id",)),
    "cloud_regions": (
        "region",
        {"carbon_intensity": ("carbon_intensity_kg_per_kwh", "kg/kWh")},
        ("source_id",),
    ),
    "ai_parameters": ("name", {}, ("source_id",)),
}

SOURCE_COLUMNS = ("source_id", "publisher", "title", "year", "url", "licence")


def default_factors_dir() -> Path:
    """The packaged tables: ``greenit/emission_factors`` in a wheel, ``emission_factors/`` in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "emission_factors", here.parent.parent / "emission_factors"):
        if (candidate / "sources.csv").exists():
            return candidate
    raise FactorTableError(
        "the emission-factor tables are missing from this installation",
        "reinstall greenit (pip install greenit) or pass --factors DIR",
    )


@dataclass
class FactorSet:
    """All factor tables, indexed by their key, with canonical float columns."""

    version: str
    tables: dict[str, pd.DataFrame]
    sources: pd.DataFrame
    origins: list[str] = field(default_factory=list)

    def table(self, name: str) -> pd.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            raise FactorTableError(f"no '{name}' factor table was loaded") from None

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
        raise FactorTableError(f"the factor tables have no parameter '{name}'")

    def grid_factor(self, country: str) -> float:
        """Carbon intensity of electricity [kgCO2e/kWh] for an ISO-3 country code."""
        table = self.electricity
        if country not in table.index:
            raise FactorTableError(
                f"no electricity factor for country '{country}'",
                f"use an ISO 3166 alpha-3 code among: {', '.join(sorted(table.index)[:12])}…, "
                "or give --grid-factor",
            )
        return float(table.at[country, "carbon_intensity_kg_per_kwh"])

    def source_rows(self, source_ids: set[str]) -> pd.DataFrame:
        known = [s for s in sorted(source_ids) if s in self.sources.index]
        return self.sources.loc[known]


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
        raise FactorTableError(f"{path}: cannot be read as CSV ({exc})") from exc


def _canonical_table(name: str, raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    key, quantities, _ = TABLE_SPECS[name]
    renamed: dict[str, str] = {}
    frame = raw.copy()
    for header in raw.columns:
        base, unit = split_header_unit(header)
        if base in quantities:
            column, target = quantities[base]
            if unit is None and target != "dimensionless":
                raise FactorTableError(
                    f"{path}: column '{header}' has no unit",
                    f"write it as '{base} [{target}]'",
                )
            try:
                factor = conversion_factor(unit, target) if unit else 1.0
            except UnitError as exc:
                raise FactorTableError(f"{path}: column '{header}': {exc.message}") from exc
            values = pd.to_numeric(frame[header].str.replace(",", ".", regex=False), errors="coerce")
            bad = values.isna() & frame[header].notna()
            if bad.any():
                row = int(np.flatnonzero(bad.to_numpy())[0]) + 1
                raise FactorTableError(
                    f"{path}: row {row}, column '{header}': '{frame[header].iloc[row - 1]}' is not a number"
                )
            if (values < 0).any():
                row = int(np.flatnonzero((values < 0).to_numpy())[0]) + 1
                raise FactorTableError(f"{path}: row {row}, column '{header}': negative value")
            frame[header] = values * factor
            renamed[header] = column
        else:
            renamed[header] = header
    frame = frame.rename(columns=renamed)
    if key not in frame.columns:
        raise FactorTableError(f"{path}: no '{key}' column", f"the {name} table is keyed by '{key}'")
    if frame[key].isna().any() or frame[key].duplicated().any():
        dup = frame[key][frame[key].duplicated()].tolist()
        raise FactorTableError(f"{path}: empty or repeated '{key}' values {dup[:5]}")
    for column in ("value", "low", "high"):
        if column in frame.columns and name in ("parameters", "pue", "ai_parameters"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame.set_index(key)


def _table_name_for(path: Path, raw: pd.DataFrame) -> str | None:
    stem = path.stem
    if stem in TABLE_SPECS or stem == "sources":
        return stem
    columns = {split_header_unit(c)[0] for c in raw.columns}
    if {"source_id", "publisher"} <= columns:
        return "sources"
    for name, (key, quantities, _) in TABLE_SPECS.items():
        if key in columns and (not quantities or columns & set(quantities)):
            return name
    return None


def _load_dir_or_file(
    path: Path,
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame | None, str | None]:
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    tables: dict[str, pd.DataFrame] = {}
    sources = None
    for file in files:
        raw = _read_csv(file)
        name = _table_name_for(file, raw)
        if name is None:
            raise FactorTableError(
                f"{file}: not a known factor table",
                f"name it after one of: sources, {', '.join(TABLE_SPECS)}",
            )
        if name == "sources":
            missing = [c for c in SOURCE_COLUMNS if c not in raw.columns]
            if missing:
                raise FactorTableError(f"{file}: sources table lacks columns {missing}")
            sources = raw.set_index("source_id")
        else:
            tables[name] = _canonical_table(name, raw, file)
    version = None
    if path.is_dir() and (path / "VERSION").exists():
        version = (path / "VERSION").read_text(encoding="utf-8").strip()
    return tables, sources, version


def validate(factors: FactorSet) -> list[str]:
    """Problems found in a factor set (empty when valid): dangling sources, low > value > high."""
    problems: list[str] = []
    known = set(factors.sources.index)
    for name, frame in factors.tables.items():
        for column in TABLE_SPECS[name][2]:
            if column not in frame.columns:
                if column != "range_sources":
                    problems.append(f"{name}: no '{column}' column")
                continue
            for key, cell in frame[column].items():
                if pd.isna(cell):
                    continue
                for source_id in str(cell).split(";"):
                    if source_id.strip() and source_id.strip() not in known:
                        problems.append(f"{name} '{key}': source '{source_id}' is not in sources.csv")
    devices = factors.tables.get("devices")
    if devices is not None:
        for key, row in devices.iterrows():
            if not (
                row["manufacture_low_kgco2e"] <= row["manufacture_kgco2e"] <= row["manufacture_high_kgco2e"]
            ):
                problems.append(f"devices '{key}': manufacture low ≤ value ≤ high does not hold")
            if not (row["annual_kwh_low"] <= row["annual_kwh"] <= row["annual_kwh_high"]):
                problems.append(f"devices '{key}': energy low ≤ value ≤ high does not hold")
            if not row["lifespan_years"] > 0:
                problems.append(f"devices '{key}': lifespan must be above 0")
            if pd.isna(row["manufacture_source"]):
                problems.append(f"devices '{key}': no manufacture_source")
    return problems


def _assemble(extra: str | None) -> FactorSet:
    """The packaged tables with the user's laid over them, not yet validated."""
    base = default_factors_dir()
    tables, sources, version = _load_dir_or_file(base)
    origins = [str(base)]
    if extra:
        path = Path(extra)
        if not path.exists():
            raise FactorTableError(f"{path}: no such factor file or folder")
        user_tables, user_sources, user_version = _load_dir_or_file(path)
        for name, frame in user_tables.items():
            if name in tables:
                frame = pd.concat([tables[name][~tables[name].index.isin(frame.index)], frame])
                frame = frame[
                    [
                        *tables[name].columns,
                        *[c for c in frame.columns if c not in tables[name].columns],
                    ]
                ]
            tables[name] = frame
        if user_sources is not None:
            sources = pd.concat([sources[~sources.index.isin(user_sources.index)], user_sources])
        version = f"{version}+{user_version or path.name}"
        origins.append(str(path))
    return FactorSet(version=version or "unversioned", tables=tables, sources=sources, origins=origins)


@lru_cache(maxsize=8)
def _load_cached(extra: str | None) -> FactorSet:
    factors = _assemble(extra)
    problems = validate(factors)
    if problems:
        raise FactorTableError(
            f"the factor tables are not valid: {problems[0]}"
            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
            "run 'greenit factors validate' to see every problem",
        )
    return factors


def load_factors(extra: str | Path | None = None) -> FactorSet:
    """The packaged factor tables, with a user's folder or CSV file laid over them.

    A user table replaces the packaged rows with the same key and adds new ones; its rows
    must point to sources in its own ``sources.csv`` or the packaged one.
    """
    return _load_cached(str(extra) if extra else None)


def load_factors_unvalidated(extra: str | Path | None = None) -> tuple[FactorSet, list[str]]:
    """Like :func:`load_factors`, but returns the problems instead of raising (for ``validate``)."""
    factors = _assemble(str(extra) if extra else None)
    return factors, validate(factors)
