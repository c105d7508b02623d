"""The summary of estimated AI runs: totals, groups per phase and project, runs, flagged runs.

AI logs hold one row per run (thousands at most), so the summary keeps the estimated runs
themselves; :meth:`WorkloadSummary.merge` concatenates two summaries (two logs, two batches).

Every data row read is a run of the output (``runs_in``), a Slurm job's step lines too: a step
is ``part_of`` its job, counted in it, and adds 0. What people are shown counts jobs — a job
with its steps is one run (``jobs_in``, :meth:`WorkloadSummary.groups`, :func:`counted_by_job`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from greenit.ai.periods import Coverage, coverage
from greenit.ai.runs.criteria import ai_criteria_columns
from greenit.flags import code_column, rows_with
from greenit.results.criteria import ai_criteria_json
from greenit.results.jsonsafe import json_ready, records, significant

#: above this share of runs flagged, the total is said to be an underestimate (as for inventories)
COVERAGE_WARNING_SHARE = 0.10
AI_TOTAL_COLUMNS = ["energy_kwh", "usage_kgco2e", "embodied_kgco2e", "total_kgco2e"]
#: low/high column → its central column (a run without a range counts its central value)
AI_RANGE_COLUMNS = {
    "energy_low_kwh": "energy_kwh",
    "energy_high_kwh": "energy_kwh",
    "total_low_kgco2e": "total_kgco2e",
    "total_high_kgco2e": "total_kgco2e",
}
RUN_COLUMNS = [
    "run_id",
    "source",
    "project",
    "phase",
    "energy_kwh",
    "energy_low_kwh",
    "energy_high_kwh",
    "usage_kgco2e",
    "embodied_kgco2e",
    "total_kgco2e",
    "total_low_kgco2e",
    "total_high_kgco2e",
    "usage_low_kgco2e",
    "usage_high_kgco2e",
    "embodied_low_kgco2e",
    "embodied_high_kgco2e",
    *ai_criteria_columns(),  # ADPe, primary energy, water per phase; missing: not given
    "hours",
    "accelerator",
    "accelerator_label",
    "accelerator_count",
    "accelerator_hours",
    "utilisation",
    "energy_method",
    "pue_used",
    "pue_origin",
    "carbon_intensity_used_kg_per_kwh",
    "carbon_intensity_origin",
    "region",
    "country",
    "provider",
    "model",
    "model_origin",
    "steps",
    "step_rows",
    "part_of",
    "requests",
    "energy_per_request_wh",
    "total_per_request_gco2e",
    "notes",
    "period_start",
    "period_end",
    "file",
    "row",
    "line",
]
FLAGGED_RUN_COLUMNS = ["file", "row", "line", "run_id", "project", "part_of", "reason", "reason_code"]
#: what a flagged run keeps besides: its period, and whether only its year kept it out
PERIOD_COLUMNS = ["period_start", "period_end", "outside_year"]


@dataclass
class WorkloadSummary:
    """Estimated runs (the columns of :data:`RUN_COLUMNS`) and flagged runs of AI logs."""

    runs: pd.DataFrame
    flagged: pd.DataFrame
    factors_version: str | None = None
    file_errors: list[dict] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)  # each log read: {"file", "kind", "rows"}
    hosted: dict | None = None  # hosted generative AI, summarised by greenit.ai.hosted.summary
    year: int | None = None  # the reference year (None: every row counted, whatever its date)
    budget: dict | None = None  # euros: the electricity of the runs the town powers (levers.money)

    @classmethod
    def from_runs(
        cls,
        runs: pd.DataFrame,
        file_errors: list[dict] | None = None,
        *,
        files: list[dict] | None = None,
        hosted: dict | None = None,
        year: int | None = None,
    ) -> WorkloadSummary:
        """The summary of a frame of stage ``runs_estimated`` (self-hosted runs and hosted usage).

        ``year``: the reference year the rows were placed in (:mod:`greenit.ai.periods`): those of
        other years are flagged runs marked ``outside_year``, listed apart.
        """
        estimated = (runs["estimate_status"] == "estimated").to_numpy()
        lines = ["lines"] if "lines" in runs.columns else []  # a large usage log's rows summed
        present = [c for c in RUN_COLUMNS if c in runs.columns] + lines
        if "reason" in runs.columns:
            runs = runs.assign(reason_code=code_column(runs["reason"]).to_numpy())
        flagged_columns = [*FLAGGED_RUN_COLUMNS, *PERIOD_COLUMNS, *lines]
        flagged = runs[[c for c in flagged_columns if c in runs.columns]][~estimated]
        flagged = flagged.reindex(columns=flagged_columns).reset_index(drop=True)
        flagged["outside_year"] = flagged["outside_year"].fillna(False).astype(bool)
        return cls(
            runs=runs[present][estimated].reset_index(drop=True),
            flagged=flagged,
            year=year,
            factors_version=runs.attrs.get("factors_version"),
            file_errors=list(file_errors or []),
            files=list(files or []),
            hosted=hosted,
            budget=runs_budget(runs),
        )

    def merge(self, other: WorkloadSummary) -> WorkloadSummary:
        return replace(
            self,
            runs=pd.concat([self.runs, other.runs], ignore_index=True),
            flagged=pd.concat([self.flagged, other.flagged], ignore_index=True),
            file_errors=[*self.file_errors, *other.file_errors],
            files=[*self.files, *other.files],
        )

    @property
    def runs_in(self) -> int:
        """Data rows read (DESIGN.md contract): estimated and flagged, a job's step lines too."""
        return len(self.runs) + len(self.flagged)

    @property
    def steps_in(self) -> int:
        """Rows that are steps of a Slurm job (``part_of`` it): counted in their job."""
        return int(_steps(self.runs).sum() + _steps(self.flagged).sum())

    @property
    def jobs_estimated(self) -> int:
        """Estimated runs, a Slurm job with its steps counted once."""
        return int((~_steps(self.runs)).sum())

    @property
    def jobs_flagged(self) -> int:
        """Flagged runs, a Slurm job with its steps counted once."""
        return int((~_steps(self.flagged)).sum())

    @property
    def jobs_in(self) -> int:
        """Runs read, a Slurm job with its steps counted once: ``runs_in - steps_in``."""
        return self.jobs_estimated + self.jobs_flagged

    def totals(self) -> dict[str, float]:
        """Sums over estimated runs [kWh, kgCO2e], with the low–high range when the runs carry one."""
        out = {c: float(self.runs[c].sum()) if c in self.runs else 0.0 for c in AI_TOTAL_COLUMNS}
        for column, central in AI_RANGE_COLUMNS.items():
            if column in self.runs:
                out[column] = float(self.runs[column].fillna(self.runs[central]).sum())
        return out

    def total_range(self) -> tuple[float, float]:
        """Low and high total [kgCO2e]; the central value where the runs carry no range."""
        totals = self.totals()
        return (
            totals.get("total_low_kgco2e", totals["total_kgco2e"]),
            totals.get("total_high_kgco2e", totals["total_kgco2e"]),
        )

    def counts(self) -> dict[str, int]:
        """Estimated rows by kind: self-hosted ``runs`` (a Slurm job once, its steps in it) and
        ``hosted`` generative-AI usage rows.
        """
        hosted = int((self.runs["source"] == "hosted").sum()) if "source" in self.runs else 0
        return {"runs": self.jobs_estimated - hosted, "hosted": hosted}

    def coverage(self) -> float:
        """Share [0–1] of the runs of the year that were estimated (counted in the totals), a
        Slurm job once; the runs of other years are not the year's to estimate.
        """
        estimated = float(_lines(self.runs)[~_steps(self.runs)].sum())
        flagged = _lines(self.flagged)[~_steps(self.flagged)]
        outside = self.flagged["outside_year"].to_numpy(dtype=bool)[~_steps(self.flagged)]
        outside |= _not_runs(self.flagged)[~_steps(self.flagged)]  # a « Total » line is no missed run
        in_year = estimated + float(flagged[~outside].sum())
        return estimated / in_year if in_year > 0 else 1.0

    def coverage_warning(self) -> bool:
        """Whether so many runs of the year are flagged (over 10 %) that it must be said by the total."""
        return 1 - self.coverage() > COVERAGE_WARNING_SHARE

    def outside_year(self) -> pd.DataFrame:
        """The runs kept out of the reference year's totals, by their period (a job once)."""
        kept_out = self.flagged["outside_year"].to_numpy(dtype=bool) & ~_steps(self.flagged)
        return self.flagged[kept_out]

    def periods(self) -> Coverage:
        """What the counted runs cover of the year, and the runs of other years."""
        return coverage(self.runs, self.outside_year(), self.year)

    def groups(self, by: list[str]) -> pd.DataFrame:
        """Totals of estimated runs per ``by`` (project, phase…), largest first; None where missing.

        A Slurm job's step rows add 0 and are counted in their job: they make no group, no run.
        """
        runs = self.runs[~_steps(self.runs)]
        if runs.empty:
            return pd.DataFrame(columns=[*by, *AI_TOTAL_COLUMNS, "runs"])
        keys = [runs[b].astype(object).where(runs[b].notna(), "\0") for b in by]
        grouped = runs[AI_TOTAL_COLUMNS].groupby(keys, sort=False)
        frame = grouped.sum()
        frame["runs"] = grouped.size()
        frame = frame.sort_values("total_kgco2e", ascending=False, kind="stable").reset_index()
        for b in by:
            frame[b] = frame[b].where(frame[b] != "\0", None)
        return frame

    def to_json(self, lang: str | None = None) -> dict:
        """The ``greenit ai estimate --json`` object (DESIGN.md contract; keys only ever added)."""
        by_phase = self.groups(["phase"])
        by_project = self.groups(["project", "phase"])
        return json_ready(
            {
                "runs_in": self.runs_in,
                "rows_in": sum(int(f.get("rows", 0)) for f in self.files),  # data rows of the files
                "runs_estimated": len(self.runs),
                "runs_flagged": len(self.flagged),
                "steps_in": self.steps_in,
                "jobs_in": self.jobs_in,
                "jobs_estimated": self.jobs_estimated,
                "jobs_flagged": self.jobs_flagged,
                "totals": {k: significant(v) for k, v in self.totals().items()},
                "criteria": ai_criteria_json(self.runs[~_steps(self.runs)], self.totals()),
                "coverage": {"runs": self.coverage(), "warning": self.coverage_warning()},
                "year": self.year,
                "periods": self.periods().to_json(),
                "outside_year": records(self.outside_year()[OUTSIDE_COLUMNS], lang),
                "by_phase": by_phase.to_dict("records"),
                "by_project": by_project.to_dict("records"),
                "runs": records(self.runs, lang),
                "flagged": records(self.flagged, lang),
                "files_failed": self.file_errors,
                "files": self.files,
                **({"hosted": self.hosted} if self.hosted is not None else {}),
                **({"budget": self.budget} if self.budget is not None else {}),
                "factors_version": self.factors_version,
            },
            lang,
        )


#: what the JSON says of each run kept out of the year
OUTSIDE_COLUMNS = ["file", "row", "line", "run_id", "project", "period_start", "period_end"]


def _not_runs(flagged: pd.DataFrame) -> np.ndarray:
    """Flagged rows that are a log's totals, not runs nor usage (as an inventory's totals rows)."""
    if "reason" not in flagged.columns or flagged.empty:
        return np.zeros(len(flagged), dtype=bool)
    return rows_with(flagged["reason"], "rows.totals_run") | rows_with(flagged["reason"], "rows.totals_usage")


def _lines(frame: pd.DataFrame) -> np.ndarray:
    """How many lines of its file each row stands for: 1, or a large usage log's rows summed."""
    if "lines" not in frame.columns:
        return np.ones(len(frame))
    return frame["lines"].fillna(1).to_numpy(dtype=float)


def _steps(frame: pd.DataFrame) -> np.ndarray:
    """Rows that are a Slurm job's steps (``part_of`` it)."""
    if "part_of" not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return frame["part_of"].notna().to_numpy(dtype=bool)


def counted_by_job(result: dict) -> dict:
    """The ``ai estimate --json`` object as people count runs: ``runs_in``, ``runs_estimated``
    and ``runs_flagged`` count a Slurm job with its steps once (``jobs_*``), and the ``runs`` and
    ``flagged`` lists leave out the step rows (each says it is counted in its job). What the
    console shows; the JSON itself keeps every row read (DESIGN.md).
    """
    return {
        **result,
        "runs_in": result["jobs_in"],
        "runs_estimated": result["jobs_estimated"],
        "runs_flagged": result["jobs_flagged"],
        "runs": [r for r in result["runs"] if not r.get("part_of")],
        "flagged": [r for r in result["flagged"] if not r.get("part_of")],
    }


def runs_budget(runs: pd.DataFrame) -> dict | None:
    """What the electricity of the logs' runs cost [€ excl. VAT, over the runs' own period]: the
    runs the town powers itself (no provider region, not hosted usage) at the price of a kWh;
    the others are paid on a provider's bill, not counted. None without a price (no attrs).
    """
    price = runs.attrs.get("electricity_price_eur_per_kwh")
    if price is None:
        return None
    from greenit.bounds import Bounds
    from greenit.i18n import msg
    from greenit.levers.money import ai_electricity_budget, own_runs

    own = own_runs(runs)
    cost = ai_electricity_budget(runs, Bounds(*price))
    estimated = (runs["estimate_status"] == "estimated").to_numpy()
    notes = [msg("money.ai.note")]
    if (estimated & ~own).any():
        notes.append(msg("money.ai.not_counted", runs=int((estimated & ~own).sum())))
    return {
        "electricity_eur": cost.central,
        "electricity_low_eur": cost.low,
        "electricity_high_eur": cost.high,
        "own_energy_kwh": float(np.nansum(runs["energy_kwh"].to_numpy(dtype=float)[own])),
        "runs_priced": int(own.sum()),
        "runs_not_priced": int((estimated & ~own).sum()),
        "electricity_price_eur_per_kwh": price[0],
        "electricity_price_low_eur_per_kwh": price[1],
        "electricity_price_high_eur_per_kwh": price[2],
        "electricity_price_origin": "option" if runs.attrs.get("electricity_price_given") else "default",
        "hosted_eur": runs.attrs.get("hosted_eur"),  # at per-token prices (genai_prices.csv)
        "hosted_priced_share": runs.attrs.get("hosted_priced_share"),  # of the hosted usage rows
        "notes": notes,
    }
