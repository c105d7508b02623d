"""What estimating files gives back: the rows (when kept), the summary every output renders, the failures."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import pandas as pd

from greenit.errors import GreenitError
from greenit.factors import FactorSet
from greenit.results.inventory import InventorySummary
from greenit.results.rows import rows_out_frame
from greenit.results.services import ServicesSummary

if TYPE_CHECKING:  # AI runs' summary: not imported by ``greenit estimate``
    from greenit.results.workloads import WorkloadSummary


@dataclass
class InventoryEstimate:
    """The estimated rows of one or more inventory files, and the files that failed."""

    rows: pd.DataFrame | None  # None when estimated in batches (keep_rows=False): summary only
    factors: FactorSet
    file_errors: list[dict] = field(default_factory=list)
    normalised: pd.DataFrame | None = None  # the frame before estimating: scenarios start here
    _summary: InventorySummary | None = field(default=None, repr=False)
    services: ServicesSummary | None = None  # --services FILE, added to the summary's totals
    lang: str | None = None  # the options' language: what result() and rows_out() write by default

    def summary(self) -> InventorySummary:
        """The mergeable summary every output renders (computed once, then kept)."""
        if self._summary is None:
            self._summary = InventorySummary.from_rows(self.rows, self.factors, self.file_errors)
        if self.services is not None and self._summary.services is None:
            self._summary = replace(self._summary, services=self.services)
        return self._summary

    def result(self, lang: str | None = None) -> dict:
        """The JSON object of ``greenit estimate --json``, in ``lang`` (default: the options')."""
        return self.summary().to_json(lang or self.lang)

    def require_estimates(self) -> None:
        """GreenitError (exit 2) when no row could be estimated, with the most frequent reasons."""
        summary = self.summary()
        _require_some(
            summary.rows_estimated,
            summary.rows_in,
            summary.flagged,
            empty="inventory.no_data_rows",
            nothing="inventory.nothing_estimated",
            rows=summary.rows_in,
        )

    def subset(self, mask) -> InventoryEstimate:
        """The same estimate restricted to some rows (a department, a site, a category…).

        ``mask`` is a boolean array or Series over ``rows``; the normalised frame the levers start
        from is filtered with it, so totals, indicators and levers all describe the same devices::

            schools = estimate.subset(estimate.rows["entity"].astype(str).str.contains("écoles", case=False))
        """
        if self.rows is None:
            raise GreenitError.of("results.rows_not_kept", "results.rows_not_kept_hint")
        keep = pd.Series(mask, index=self.rows.index).fillna(False).to_numpy(dtype=bool)
        if len(keep) and not keep.any():  # a filter that matches nothing is a filter mistyped
            raise GreenitError.of("results.subset_empty", "results.subset_empty_hint", rows=len(keep))
        rows = self.rows[keep].reset_index(drop=True)
        rows.attrs = dict(self.rows.attrs)
        normalised = None
        if self.normalised is not None:
            normalised = self.normalised[keep].reset_index(drop=True)
            normalised.attrs = dict(self.normalised.attrs)
        return InventoryEstimate(
            rows=rows, factors=self.factors, file_errors=[], normalised=normalised, lang=self.lang
        )

    def check_rows_for_levers(self) -> None:
        """Levers start from the normalised frame: it must hold the same devices as ``rows``."""
        if self.rows is None or self.normalised is None:
            raise GreenitError.of("results.rows_not_kept", "results.rows_not_kept_hint")
        same = (
            len(self.normalised) == len(self.rows)
            and (self.normalised["row"].to_numpy() == self.rows["row"].to_numpy()).all()
        )
        if not same:
            raise GreenitError.of("analysis.rows_mismatch", "analysis.rows_mismatch_hint")

    def rows_out(self, lang: str | None = None) -> pd.DataFrame:
        """Every input row with status, reason and computed columns (``--rows-out``)."""
        if self.rows is None:
            raise GreenitError.of("results.rows_not_kept", "results.rows_not_kept_hint")
        return rows_out_frame(self.rows, lang or self.lang)


@dataclass
class WorkloadEstimate:
    """The estimated runs of one or more AI logs, and the files that failed.

    ``runs`` holds every row: self-hosted runs and hosted generative-AI usage rows (``source``
    = ``hosted``, ``project`` = the service), so totals and groups count both.
    """

    runs: pd.DataFrame
    factors: FactorSet
    file_errors: list[dict] = field(default_factory=list)
    normalised: pd.DataFrame | None = None  # the runs before estimating: scenarios start here
    usage: pd.DataFrame | None = None  # hosted usage rows before estimating (levers model=, requests=)
    files: list[dict] = field(default_factory=list)  # each file read: {"file", "kind", "rows"}
    country: str = "FRA"
    year: int | None = None  # the reference year: rows of other years are kept out of the totals
    lang: str | None = None  # the options' language: what result() writes by default
    #: the summary last computed, with what it was computed from (:meth:`summary`)
    _summary: tuple[tuple, WorkloadSummary] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def hosted(self) -> pd.DataFrame | None:
        """The hosted generative-AI rows of ``runs`` (None when no usage log was read)."""
        if self.usage is None:
            return None
        return self.runs[(self.runs["source"] == "hosted").to_numpy()]

    def summary(self) -> WorkloadSummary:
        """The summary every output renders (hosted generative AI summarised apart, when read).

        Computed once (``require_estimates`` and ``result`` both read it), again when a field
        is given another value.
        """
        frames = (self.runs, self.usage, self.factors, self.file_errors, self.files)
        key = (
            *map(id, frames),
            self.country,
            self.year,
            len(self.runs),
            len(self.file_errors),
            len(self.files),
        )
        if self._summary is None or self._summary[0] != key:
            self._summary = (key, self._computed_summary())
        return self._summary[1]

    def _computed_summary(self) -> WorkloadSummary:
        from greenit.results.workloads import WorkloadSummary

        hosted = None
        if self.usage is not None:
            from greenit.ai.hosted.summary import hosted_result

            hosted = hosted_result(self.hosted, self.factors, default_country=self.country)
        return WorkloadSummary.from_runs(
            self.runs, self.file_errors, files=self.files, hosted=hosted, year=self.year
        )

    def result(self, lang: str | None = None) -> dict:
        """The JSON object of ``greenit ai estimate --json``, in ``lang`` (default: the options')."""
        return self.summary().to_json(lang or self.lang)

    def require_estimates(self) -> None:
        """GreenitError (exit 2) when no run at all could be estimated, with the most frequent reasons."""
        summary = self.summary()
        _require_some(
            summary.jobs_estimated,
            summary.runs_in,
            summary.flagged,
            empty="rows.no_ai_rows",
            nothing="rows.nothing_estimated",
            n=summary.jobs_in,
        )


def _require_some(estimated: int, read: int, flagged, *, empty: str, nothing: str, **counts) -> None:
    """GreenitError (exit 2) when nothing was estimated: ``empty`` when nothing was read,
    ``nothing`` otherwise with the three most frequent reasons of ``flagged`` (catalogue keys, each
    with its ``_hint``); ``counts`` are the message's own parameters (rows read, runs read).
    """
    if estimated > 0:
        return
    if read == 0:
        raise GreenitError.of(empty, f"{empty}_hint")
    from greenit.i18n import Joined
    from greenit.inventory.rows import most_frequent_reasons

    reasons = Joined(tuple(most_frequent_reasons(flagged, 3))) or "—"
    raise GreenitError.of(nothing, f"{nothing}_hint", reasons=reasons, **counts)
