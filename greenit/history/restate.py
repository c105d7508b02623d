"""A recorded year estimated again from its own rows: with today's factors (a restatement), with
the factors it was recorded with, or at another reference year (what time alone changes).

The rows are the normalised frames the year was recorded with, so the estimate is the one the
current estimator gives them — the same functions ``greenit estimate`` calls after reading,
with the options the year was recorded with (method, grid factor, AI intensity).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from greenit.factors import FactorSet
from greenit.history.snapshots import factors_with
from greenit.history.years import YearRecord
from greenit.i18n import Joined
from greenit.inventory.estimate import ScopeSettings, estimate_inventory
from greenit.inventory.lifespans import DEFAULT_RULE
from greenit.results import FootprintResult, InventorySummary, WorkloadSummary
from greenit.results.services import ServicesSummary

#: The phases of a footprint, as the inventory rows name their columns.
PHASES = ("manufacture", "use", "end_of_life")


@dataclass
class YearEstimate:
    """One year's rows estimated with one factor set at one reference year."""

    record: YearRecord
    factors: FactorSet
    year: int
    rows: pd.DataFrame  # stage ``estimated``
    runs: pd.DataFrame | None  # stage ``runs_estimated`` (self-hosted and hosted), None without AI
    services: ServicesSummary | None = None  # the year's services file, estimated again

    def phases(self, *, ai: bool = True) -> dict[str, float]:
        """Totals [kgCO2e/year] per phase and the total with its range; with ``ai``, the AI runs'
        embodied emissions in manufacture and their electricity in use.
        """
        ok = (self.rows["estimate_status"] == "estimated").to_numpy()
        out = {phase: float(self.rows[f"{phase}_kgco2e"].to_numpy()[ok].sum()) for phase in PHASES}
        for suffix in ("", "_low", "_high"):
            out[f"total{suffix}_kgco2e"] = float(self.rows[f"total{suffix}_kgco2e"].to_numpy()[ok].sum())
        for key, value in self.services_phases().items():  # services bought: in the totals only
            out[key] += value
        if ai:
            for key, value in self.ai_phases().items():
                out[key] += value
        return out

    def services_phases(self) -> dict[str, float]:
        """The services file's part of :meth:`phases`: in the totals only (no device phase)."""
        out = dict.fromkeys((*PHASES, "total_kgco2e", "total_low_kgco2e", "total_high_kgco2e"), 0.0)
        if self.services is not None:
            bought = zip(self.services.services_total(), self.services.consumables_total(), strict=True)
            for suffix, (services, consumables) in zip(("", "_low", "_high"), bought, strict=True):
                out[f"total{suffix}_kgco2e"] = services + consumables
        return out

    def ai_phases(self) -> dict[str, float]:
        """The AI runs' part of :meth:`phases` (zeros without AI)."""
        out = dict.fromkeys((*PHASES, "total_kgco2e", "total_low_kgco2e", "total_high_kgco2e"), 0.0)
        if self.runs is None:
            return out
        done = (self.runs["estimate_status"] == "estimated").to_numpy()
        out["manufacture"] = float(self.runs["embodied_kgco2e"].to_numpy()[done].sum())
        out["use"] = float(self.runs["usage_kgco2e"].to_numpy()[done].sum())
        for suffix in ("", "_low", "_high"):
            out[f"total{suffix}_kgco2e"] = float(self.runs[f"total{suffix}_kgco2e"].to_numpy()[done].sum())
        return out

    def groups(self, by: str) -> pd.DataFrame:
        """Per ``by`` value (category, entity): devices and the phases [kgCO2e/year]."""
        ok = (self.rows["estimate_status"] == "estimated").to_numpy()
        kept = self.rows[ok]
        columns = ["quantity", *(f"{phase}_kgco2e" for phase in PHASES), "total_kgco2e"]
        keys = kept[by].astype(object).where(kept[by].notna(), None)
        frame = kept[columns].assign(**{by: keys.fillna("")})
        return frame.groupby(by, sort=False).sum()

    def result(self, lang: str = "fr") -> dict:
        """The year's ``summary.json`` object (no levers), as ``greenit report`` would compute it."""
        rows = self.rows
        rows.attrs["columns"] = (self.record.result.get("inventory") or {}).get("columns")
        summary = InventorySummary.from_rows(rows, self.factors, [])
        summary.services = self.services
        workloads = _workload_summary(self.record, self.runs, self.factors)
        inputs = self.record.inputs
        return FootprintResult(
            inventory=summary,
            workloads=workloads,
            factors=self.factors,
            title=self.record.result.get("title"),
            inputs=[i["name"] for i in inputs if i["kind"] == "inventory"],
            ai_inputs=[i["name"] for i in inputs if i["kind"] == "ai"],
        ).to_json(lang)


def _workload_summary(record: YearRecord, runs: pd.DataFrame | None, factors: FactorSet):
    if runs is None:
        return None
    hosted = None
    if "usage" in record.frames:
        from greenit.ai.hosted.summary import hosted_result

        country = (record.options.get("ai") or {}).get("country", "FRA")
        hosted = hosted_result(
            runs[(runs["source"] == "hosted").to_numpy()], factors, default_country=country
        )
    files = ((record.result.get("ai") or {}).get("files")) or []
    return WorkloadSummary.from_runs(runs, [], files=files, hosted=hosted)


_MISSING = {"float": np.nan, "date": pd.NaT, "int": 0, "bool": False}
_DTYPES = {"float": "float64", "date": "datetime64[ns]", "int": "int64", "bool": "bool"}


def _as_given_by_a_file_without(columns: list[str], factors: FactorSet) -> dict:
    """What the normaliser writes in ``columns`` for a file that does not have them."""
    from greenit.inventory.normalise import normalise_inventory

    raw = pd.DataFrame({"Type": pd.Series(["laptop"], dtype=object), "file": ["-"], "row": [1], "line": [2]})
    one = normalise_inventory(raw, factors)
    return {column: one[column].iloc[0] for column in columns if column in one.columns}


def completed(frame: pd.DataFrame, stage: str, factors: FactorSet | None = None) -> pd.DataFrame:
    """``frame`` with the columns of ``stage`` (:mod:`greenit.schema`) that it lacks — a column a
    later greenit added to the contract — as a file without them reads: the inventory's as the
    normaliser fills them, else missing values.
    """
    from greenit.schema import STAGES

    missing = [column for column in STAGES[stage] if column.name not in frame.columns]
    if not missing:
        return frame
    given = (
        _as_given_by_a_file_without([c.name for c in missing], factors)
        if stage == "inventory" and factors
        else {}
    )
    out = frame.copy(deep=False)
    for column in missing:
        if column.kind == "messages":
            out[column.name] = pd.Categorical([None] * len(out), categories=pd.Index([], dtype=object))
            continue
        value = given.get(column.name, _MISSING.get(column.kind))
        out[column.name] = pd.Series(
            [value] * len(out), index=out.index, dtype=_DTYPES.get(column.kind, object)
        )
    return out


def estimate_record(record: YearRecord, factors: FactorSet, *, year: int | None = None) -> YearEstimate:
    """``record``'s rows estimated with ``factors`` at ``year`` [default: the recorded year]."""
    options = record.options
    year = record.year if year is None else year
    services = _estimate_services(record, factors)
    scope = ScopeSettings(
        pue=options.get("pue"),
        lifespan_rule=options.get("lifespan_rule") or DEFAULT_RULE,
        consumables_purchased=services is not None and services.consumables_purchased,
    )
    rows = estimate_inventory(
        completed(record.frames["inventory"], "inventory", factors),
        factors,
        year=year,
        method=options.get("method", "amortised"),
        grid_factor_kg_per_kwh=options.get("grid_factor_kg_per_kwh"),
        scope=scope,
    )
    return YearEstimate(record, factors, year, rows, _estimate_runs(record, factors), services)


def services_record(services: ServicesSummary, paths: list) -> dict:
    """A year's services file as its options keep it: the files (name, SHA-256, size) and the
    lines as read, their reasons as JSON — small enough to live with the options.
    """
    from greenit.history.frames import encode_value
    from greenit.services.read import SERVICE_LINE_COLUMNS

    lines = services.read if services.read is not None else services.lines
    records = []
    for record in lines[SERVICE_LINE_COLUMNS].to_dict("records"):
        reason = record.pop("reason")
        records.append(
            {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in record.items()}
            | {"reason": None if not isinstance(reason, Joined) else encode_value(reason)}
        )
    files = [{"name": str(p), **_file_identity(p)} for p in paths]
    return {"files": files, "lines": records, "columns": services.columns}


def _file_identity(path) -> dict:
    import hashlib
    from pathlib import Path

    data = Path(path).read_bytes()
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def _estimate_services(record: YearRecord, factors: FactorSet) -> ServicesSummary | None:
    """The year's services lines, as read when recorded, estimated with ``factors``."""
    kept = record.options.get("services")
    if not kept:
        return None
    from greenit.history.frames import decode_value
    from greenit.services.estimate import estimate_services
    from greenit.services.read import QUANTITIES

    lines = pd.DataFrame(kept["lines"])
    for column in QUANTITIES:
        lines[column] = pd.to_numeric(lines[column], errors="coerce").astype(float)
    reasons = [decode_value(r) if r else None for r in lines.pop("reason")]
    lines["reason"] = pd.Categorical(reasons) if any(reasons) else pd.Categorical([None] * len(lines))
    files = [f["name"] for f in kept.get("files", [])]
    estimated = estimate_services(lines, factors)
    return ServicesSummary(estimated, files=files, columns=kept.get("columns", {}), read=lines)


def _estimate_runs(record: YearRecord, factors: FactorSet) -> pd.DataFrame | None:
    ai = record.options.get("ai") or {}
    intensity = ai.get("carbon_intensity_kg_per_kwh")
    parts = []
    if "runs" in record.frames:
        from greenit.ai.runs.estimate import estimate_workloads

        parts.append(
            estimate_workloads(
                completed(record.frames["runs"], "runs"),
                factors,
                carbon_intensity_kg_per_kwh=intensity,
                keep_log_intensity=bool(ai.get("keep_log_intensity", False)),
            )
        )
    if "usage" in record.frames:
        from greenit.ai.hosted.estimate import estimate_hosted

        parts.append(
            estimate_hosted(
                completed(record.frames["usage"], "usage"),
                factors,
                default_country=ai.get("country", "FRA"),
                carbon_intensity_kg_per_kwh=intensity,
            )
        )
    if not parts:
        return None
    runs = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    runs.attrs["factors_version"] = factors.version
    return runs


def todays_factors(record: YearRecord, overlay_factors: FactorSet | None = None) -> FactorSet:
    """Today's factors for restating ``record``: greenit's tables now, with the year's own
    ``--factors`` files laid over them again — or ``overlay_factors`` when one is given.
    """
    return overlay_factors if overlay_factors is not None else factors_with(record.overlay)


def restate(record: YearRecord, overlay_factors: FactorSet | None = None) -> YearEstimate:
    """``record`` estimated again from its rows with today's factors (the GHG-protocol practice)."""
    return estimate_record(record, todays_factors(record, overlay_factors))


def same_factors(a: FactorSet, b: FactorSet) -> bool:
    """Whether two factor sets hold the same tables (same figures, same sources)."""
    from greenit.history.snapshots import pack_factor_set

    return a is b or pack_factor_set(a).sha256 == pack_factor_set(b).sha256


def equal_totals(a: dict[str, float], b: dict[str, float]) -> bool:
    return all(np.isclose(a[k], b[k], rtol=0, atol=1e-9) for k in a)
