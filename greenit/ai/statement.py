"""The statement of a model a town trains or fine-tunes: what the AI Act and AFNOR ask to document.

From the runs ``greenit ai estimate`` estimated, those of one project, summed: compute
(accelerator-hours, the hardware), time (hours, first start, last end), energy (measured or
estimated, and which), emissions with their range, where it ran and the grid factor applied,
the method and its sources. What the texts ask:

- **AI Act (Regulation (EU) 2024/1689), Annex XI, section 1, point 2(d) and (e)** — for
  general-purpose models: « the computational resources used to train the model (e.g. number of
  floating point operations), training time, and other relevant details related to the
  training »; « known or estimated energy consumption of the model » (estimated from the
  computational resources used where unknown). A town fine-tuning a model is seldom such a
  provider; the statement follows the same headings as good practice.
- **AFNOR Spec 2314 (frugal AI)** — measure the energy and the emissions of training and
  inference, say the measurement method (CodeCarbon recommended) and keep them in the register
  of AI services.

The statement's energy is the sum of the project's runs in ``ai estimate`` (a test holds it).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from greenit.errors import GreenitError
from greenit.factors import FactorSet
from greenit.parsing.text import fold

#: AI parameters no run figure uses (what AI costs): not a statement's source
_NOT_THE_RUN_MODEL = ("usd_per_eur", "ai_hardware_amortisation_years")
SUMMED = (
    "energy_kwh",
    "energy_low_kwh",
    "energy_high_kwh",
    "usage_kgco2e",
    "embodied_kgco2e",
    "total_kgco2e",
    "total_low_kgco2e",
    "total_high_kgco2e",
)


def _float(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def project_runs(runs: pd.DataFrame, project: str) -> pd.DataFrame:
    """The runs of ``project`` (its name as written, or the same folded); a GreenitError naming
    the projects the logs hold when none matches.
    """
    names = runs["project"].astype(object)
    exact = names == project
    if not exact.any():
        exact = names.map(lambda n: isinstance(n, str) and fold(n) == fold(project))
    if not exact.any():
        known = sorted({str(n) for n in names.dropna()})
        from greenit.parsing.text import closest

        close = closest(fold(project), known, cutoff=0.5, names=lambda name: [fold(name)])
        raise GreenitError.of(
            "aigov.statement.no_project",
            project=project,
            close=", ".join(close) or "—",
            known=", ".join(known[:12]) or "—",
        )
    return runs[exact.to_numpy(dtype=bool)]


def _hardware(runs: pd.DataFrame, factors: FactorSet) -> list[dict]:
    """Each accelerator model used: its count (the largest a run used), device-hours, power."""
    table = factors.table("accelerators")
    out = []
    for key, group in runs[runs["accelerator"].notna()].groupby("accelerator", observed=True, sort=True):
        out.append(
            {
                "accelerator": str(key),
                "label": str(group["accelerator_label"].dropna().iloc[0])
                if group["accelerator_label"].notna().any()
                else None,
                "count": _float(group["accelerator_count"].max()),
                "accelerator_hours": _float(group["accelerator_hours"].sum()),
                "power_w": _float(table.at[key, "power_w"]) if key in table.index else None,
            }
        )
    return out


def _locations(runs: pd.DataFrame, factors: FactorSet) -> list[dict]:
    """Each place the runs ran: country, cloud region, grid factor applied and where it came from."""
    out = []
    keys = ["country", "region", "carbon_intensity_used_kg_per_kwh", "carbon_intensity_origin"]
    frame = runs[keys].astype(object).where(runs[keys].notna(), None)
    for values in frame.drop_duplicates().itertuples(index=False):
        country, region, intensity, origin = values
        source = (
            factors.electricity.at[country, "source_id"] if country in factors.electricity.index else None
        )
        out.append(
            {
                "country": country,
                "region": region,
                "carbon_intensity_kg_per_kwh": _float(intensity),
                "origin": origin,
                "source_id": source,
            }
        )
    return out


def _method(runs: pd.DataFrame) -> dict:
    """Energy measured or estimated, and how: per method, its runs and its kWh."""
    by = runs.groupby(runs["energy_method"].astype(str), sort=True)["energy_kwh"].agg(["count", "sum"])
    methods = [
        {"method": m, "runs": int(r["count"]), "energy_kwh": float(r["sum"])} for m, r in by.iterrows()
    ]
    total = float(runs["energy_kwh"].sum())
    measured = float(runs.loc[runs["energy_method"] == "measured", "energy_kwh"].sum())
    share = measured / total if total else None
    kind = "measured" if share == 1 else "estimated" if not measured else "mixed"
    return {"energy": kind, "measured_share": share, "by_method": methods}


def _day(value: object) -> str | None:
    """A start as a day (``2025-02-12``): logs give days more often than times, and a reader
    parses days only — a time would be false precision.
    """
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _period(runs: pd.DataFrame) -> dict:
    """First day a run started, last day a run ended (its start + its hours)."""
    start = pd.to_datetime(runs["started_at"], errors="coerce")
    end = start + pd.to_timedelta(runs["hours"].fillna(0).to_numpy(), unit="h")
    return {"first_start": _day(start.min()), "last_end": _day(end.max())}


def statement(runs: pd.DataFrame, project: str, factors: FactorSet, files: list[str] | None = None) -> dict:
    """The statement of ``project`` from estimated runs (``ai estimate``'s ``runs_estimated`` frame)."""
    mine = project_runs(runs, project)
    estimated = mine[mine["estimate_status"] == "estimated"]
    flagged = mine[mine["estimate_status"] != "estimated"]
    sums = {k: float(estimated[k].sum()) for k in SUMMED}
    phases = estimated.groupby(estimated["phase"].astype(str), sort=True)["energy_kwh"].sum()
    return {
        "project": str(mine["project"].iloc[0]),
        **{k: sums[k] for k in ("energy_kwh", "total_kgco2e", "total_low_kgco2e", "total_high_kgco2e")},
        "hardware": _hardware(estimated, factors),
        "location": _locations(estimated, factors),
        "method": _method(estimated),
        "energy_low_kwh": sums["energy_low_kwh"],
        "energy_high_kwh": sums["energy_high_kwh"],
        "usage_kgco2e": sums["usage_kgco2e"],
        "embodied_kgco2e": sums["embodied_kgco2e"],
        "hours": float(estimated["hours"].sum()),
        "accelerator_hours": float(np.nansum(estimated["accelerator_hours"].to_numpy(dtype=float))),
        "period": _period(estimated),
        "energy_by_phase_kwh": {str(k): float(v) for k, v in phases.items()},
        "runs": [
            {
                "run_id": str(r.run_id),
                "phase": str(r.phase),
                "started_at": _day(r.started_at),
                "hours": _float(r.hours),
                "accelerator_hours": _float(r.accelerator_hours),
                "energy_kwh": _float(r.energy_kwh),
                "energy_method": str(r.energy_method),
                "total_kgco2e": _float(r.total_kgco2e),
            }
            for r in estimated.itertuples(index=False)
        ],
        "runs_estimated": int(len(estimated)),
        "runs_flagged": [
            {"run_id": str(r.run_id), "reason": r.reason} for r in flagged.itertuples(index=False)
        ],
        "files": files or sorted({str(f) for f in mine["file"].dropna()}),
        "factors_version": factors.version,
    }


def statement_sources(result: dict, factors: FactorSet) -> list[str]:
    """The sources behind a statement's figures: accelerators, AI parameters, grid factors."""
    ids: list[str] = []
    table = factors.table("accelerators")
    for hardware in result["hardware"]:
        key = hardware["accelerator"]
        if key in table.index:
            for column in ("power_source", "manufacture_source", "range_sources"):
                cell = table.at[key, column]
                if isinstance(cell, str):
                    ids.extend(part.strip() for part in cell.split(";") if part.strip())
    parameters = factors.table("ai_parameters").drop(index=list(_NOT_THE_RUN_MODEL), errors="ignore")
    ids.extend(str(s) for s in parameters["source_id"].dropna())
    ids.extend(str(place["source_id"]) for place in result["location"] if place["source_id"])
    return list(dict.fromkeys(i for i in ids if i in factors.sources.index))
