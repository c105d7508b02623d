"""``greenit.History``: the local history's verbs, as a notebook and the CLI call them.

::

    import greenit
    history = greenit.History("greenit-historique.sqlite")
    history.add(["inventaire_2024.csv"], year=2024)
    history.add(["inventaire_2025.csv"], year=2025, ai=["journal_ia.csv"])
    history.list()                                    # one entry per recorded year
    history.compare(2024, 2025, restate=True)         # the change, and what moved it
    history.target(baseline=2024, reduction="30%", by=2030)

This module sits at the API's layer: it reads files with :func:`greenit.api.estimate_files`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from greenit._version import __version__
from greenit.errors import GreenitError
from greenit.factors import FactorSet, load_factors
from greenit.history.compare import compare_records, sum_comparisons
from greenit.history.evolution import clean_organisation as _organisation
from greenit.history.evolution import evolution, scope_of
from greenit.history.restate import restate as restate_record
from greenit.history.restate import services_record
from greenit.history.snapshots import overlay_of, pack_factor_set
from greenit.history.store import DEFAULT_PATH, HistoryStore
from greenit.history.targets import Target, check_target_years, load_target, parse_reduction, save_target
from greenit.history.years import (
    ENTRY_KEYS,
    YearRecord,
    delete_year,
    insert_year,
    list_years,
    load_year,
    organisations,
    year_exists,
    year_exists_error,
    year_missing_error,
)


def _sha256(path: str | Path) -> tuple[str, int]:
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
    return digest.hexdigest(), Path(path).stat().st_size


def check_year_in_dates(normalised, year: int) -> None:
    """An error when every dated device was bought after ``year``: the wrong year or file."""
    if "purchase_date" not in normalised:
        return
    dates = normalised["purchase_date"].dropna()
    if len(dates) and int(dates.dt.year.min()) > year:
        raise GreenitError.of(
            "history.year_before_inventory",
            "history.year_before_inventory_hint",
            year=year,
            first=int(dates.dt.year.min()),
        )


def _estimated_with(estimate, services_paths: list) -> dict[str, Any]:
    """How a year was estimated, kept so that its restatement does the same: the scope (room PUE,
    lifespan rule), the services lines as read, the price of a kWh used.
    """
    options: dict[str, Any] = {}
    scope = estimate.rows.attrs.get("scope") if estimate.rows is not None else None
    if scope is not None:
        options |= {"pue": scope.pue, "lifespan_rule": scope.lifespan_rule}
    if estimate.services is not None:  # its lines as read, estimated again on restating
        options["services"] = services_record(estimate.services, services_paths)
    if estimate.rows is not None:
        options["electricity_price_eur_per_kwh"] = estimate.rows.attrs.get("electricity_price_eur_per_kwh")
    return options


def _refuse_failed_files(file_errors: list[dict]) -> None:
    if file_errors:
        first = file_errors[0]
        raise GreenitError.of(
            "history.input_failed", "history.input_failed_hint", file=first["file"], error=first["error"]
        )


class History:
    """The local history of yearly footprints: one SQLite file (see :mod:`greenit.history`).

    Parameters
    ----------
    path : the history file [default ``greenit-historique.sqlite`` in the current folder].
    timeout : seconds to wait for another command writing the same file [default 30].
    """

    def __init__(self, path: str | Path = DEFAULT_PATH, *, timeout: float | None = None) -> None:
        self.store = HistoryStore(path, timeout=timeout)

    @property
    def path(self) -> Path:
        return self.store.path

    def __repr__(self) -> str:
        return f"History({str(self.path)!r})"

    def _organisations(self) -> list[str | None]:
        if not self.path.exists():
            return []
        with self.store.reading() as connection:
            return organisations(connection)

    def _one_organisation(self, organisation: str | None) -> str | None:
        """The organisation a verb on one year means: the one named, else the only one."""
        organisation = _organisation(organisation)
        if organisation is not None:
            return organisation
        known = self._organisations()
        if len(known) > 1:
            names = ", ".join(n or "—" for n in known)
            raise GreenitError.of(
                "history.organisation_needed", "history.organisation_needed_hint", known=names
            )
        return known[0] if known else None

    def _scope(self, organisation: str | None) -> tuple[list[str | None], bool]:
        """The organisations a comparison or a target covers, and whether they are taken together."""
        with self.store.reading() as connection:
            return scope_of(connection, _organisation(organisation))

    def add(
        self,
        inventory: str | Path | Iterable[str | Path],
        *,
        year: int,
        ai: str | Path | Iterable[str | Path] = (),
        organisation: str | None = None,
        replace: bool = False,
        factors: FactorSet | str | Path | None = None,
        method: str = "amortised",
        country: str = "FRA",
        grid_factor_kg_per_kwh: float | None = None,
        columns: dict[str, str] | list[str] | None = None,
        sheet: str | int | None = None,
        default_category: str | None = None,
        title: str | None = None,
        on_missing: str = "raise",
        services: str | Path | None = None,
        pue: float | str | None = None,
        lifespan_rule: str | None = None,
        electricity_price: str | float | None = None,
        price_basis: str | None = None,
    ) -> dict:
        """Record one year: read and estimate the inventory (and AI logs), then store, in one
        transaction, the normalised rows, the result, the factor tables and the inputs' SHA-256.
        ``services`` (a services file: cloud, SaaS, hosting, telecoms bought) is estimated and
        kept with the year; ``pue`` and ``lifespan_rule`` as ``greenit estimate`` takes them.

        A year already recorded is refused unless ``replace``; so is a year before every purchase
        date of the inventory. Returns the year's entry (as :meth:`list` gives it).
        """
        from greenit.api import check_year, estimate_ai_files, estimate_files
        from greenit.parsing.files import as_paths

        year = check_year(year)
        self.store.check(write=True)  # not greenit's, newer, read-only: said before estimating
        organisation = self._one_organisation(organisation)
        self._refuse_existing(year, organisation, replace)
        paths, ai_paths = as_paths(inventory), as_paths(ai) if ai else []
        services_paths = as_paths(services)
        options: dict[str, Any] = {
            "method": method,
            "country": country,
            "grid_factor_kg_per_kwh": grid_factor_kg_per_kwh,
        }
        reading = {"columns": columns, "sheet": sheet, "default_category": default_category}
        estimate = estimate_files(
            paths,
            year=year,
            factors=factors,
            on_missing=on_missing,
            method=method,
            country=country,
            grid_factor_kg_per_kwh=grid_factor_kg_per_kwh,
            columns=columns,
            sheet=sheet,
            default_category=default_category,
            services=services,
            pue=pue,
            lifespan_rule=lifespan_rule,
            electricity_price=electricity_price,
            price_basis=price_basis,
        )
        options |= _estimated_with(estimate, services_paths)
        reading["price_basis"] = price_basis
        _refuse_failed_files(estimate.file_errors)
        estimate.require_estimates()
        check_year_in_dates(estimate.normalised, year)
        workloads = None
        if ai_paths:
            workloads = estimate_ai_files(
                ai_paths, country=country, factors=estimate.factors, on_missing=on_missing
            )
            _refuse_failed_files(workloads.file_errors)
            options["ai"] = {
                "country": country,
                "carbon_intensity_kg_per_kwh": None,
                "keep_log_intensity": False,
            }
        record = self._record(estimate, workloads, year, organisation, options | {"reading": reading}, title)
        record.inputs = [
            {"kind": kind, "name": str(path), **dict(zip(("sha256", "size"), _sha256(path), strict=True))}
            for kind, group in (("inventory", paths), ("ai", ai_paths))
            for path in group
        ]
        with self.store.writing() as connection:
            insert_year(connection, record, replace=replace)
        return self._entry(record)

    def _refuse_existing(self, year: int, organisation: str | None, replace: bool) -> None:
        if replace or not self.path.exists():
            return
        with self.store.reading() as connection:
            if year_exists(connection, year, organisation):
                raise year_exists_error(year, organisation)

    @staticmethod
    def _record(estimate, workloads, year, organisation, options, title) -> YearRecord:
        from greenit.api import footprint_result

        result = footprint_result(estimate, workloads, levers=(), title=title).to_json("fr")
        result.pop("scenarios", None)
        frames = {"inventory": estimate.normalised}
        if workloads is not None:
            frames |= {
                k: f for k, f in (("runs", workloads.normalised), ("usage", workloads.usage)) if f is not None
            }
        return YearRecord(
            year=year,
            organisation=organisation,
            result=result,
            options=options,
            inputs=[],
            frames=frames,
            factors=estimate.factors,
            overlay=overlay_of(estimate.factors),
            factors_version=estimate.factors.version,
            recorded_at=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            greenit_version=__version__,
        )

    @staticmethod
    def _entry(record: YearRecord) -> dict:
        return {
            "organisation": record.organisation,
            "year": record.year,
            **record.totals,
            "factors_version": record.factors_version,
            "target_kgco2e": None,
        }

    def list(self, organisation: str | None = None) -> list[dict]:
        """The recorded years, oldest first: ``organisation, year, total_kgco2e`` (with
        ``_low``/``_high``), ``factors_version``, ``target_kgco2e`` (the trajectory's value that
        year, when the organisation has a target), ``recorded_at``, ``greenit_version``.
        """
        organisation = _organisation(organisation)
        with self.store.reading() as connection:
            entries = list_years(connection, organisation, every=organisation is None)
            scopes = {entry["organisation"] for entry in entries}
            targets: dict[tuple[str | None, int], float | None] = {}
            for scope in scopes:
                if load_target(connection, scope, False) is None:
                    continue  # no target: no year restated, the list is read as it is
                points = evolution(connection, [scope], together=False)
                targets |= {(scope, p["year"]): p["target_kgco2e"] for p in points["years"]}
        for entry in entries:
            entry["target_kgco2e"] = targets.get((entry["organisation"], entry["year"]))
        keys = (*ENTRY_KEYS, "recorded_at", "greenit_version")
        return [{key: entry[key] for key in keys} for entry in entries]

    def show(self, year: int, organisation: str | None = None) -> dict:
        """One recorded year: its entry, how it was estimated (options, inputs with SHA-256, versions)
        and its result (``summary.json``'s object, as recorded).
        """
        organisation = self._one_organisation(organisation)
        with self.store.reading() as connection:
            record = load_year(connection, year, organisation, frames=False)
            rows = dict(
                connection.execute(
                    "SELECT kind, rows FROM frames JOIN years ON years.id = frames.year_id"
                    " WHERE years.organisation = ? AND years.year = ?",
                    (organisation or "", year),
                ).fetchall()
            )
        return {
            **self._entry(record),
            "recorded_at": record.recorded_at,
            "greenit_version": record.greenit_version,
            "options": record.options,
            "inputs": record.inputs,
            "rows_kept": rows,
            "result": record.result,
        }

    def remove(self, year: int, organisation: str | None = None) -> dict:
        """Remove a recorded year; its entry as it was."""
        organisation = self._one_organisation(organisation)
        with self.store.writing() as connection:
            record = load_year(connection, year, organisation, frames=False)
            delete_year(connection, year, organisation)
        return self._entry(record)

    def _factors(self, factors: FactorSet | str | Path | None) -> FactorSet | None:
        return factors if isinstance(factors, FactorSet) or factors is None else load_factors(factors)

    def restate(self, year: int, organisation: str | None = None, *, factors=None, lang: str = "fr") -> dict:
        """A recorded year estimated again from its rows with today's factors (its own
        ``--factors`` files laid again over them, or ``factors``): ``summary.json``'s object.
        """
        organisation = self._one_organisation(organisation)
        with self.store.reading() as connection:
            record = load_year(connection, year, organisation)
        return restate_record(record, self._factors(factors)).result(lang)

    def compare(
        self,
        year_a: int,
        year_b: int,
        *,
        restate: bool = False,
        organisation: str | None = None,
        factors: FactorSet | str | Path | None = None,
        lang: str = "fr",
    ) -> dict:
        """Year A beside year B: ``from``, ``to``, ``change_kgco2e``, ``restated``, ``by_category``,
        ``by_entity``, ``by_phase`` and ``drivers`` (what moved the change, adding up to it). With
        several organisations and none named, they are compared together (every figure added).
        """
        if year_a == year_b:
            raise GreenitError.of("history.compare_same_year", None, year=year_a)
        scope, together = self._scope(organisation)
        factors = self._factors(factors)
        comparisons, left_out = [], []
        with self.store.reading() as connection:
            for name in scope:
                if not (year_exists(connection, year_a, name) and year_exists(connection, year_b, name)):
                    if not together:
                        missing = year_b if year_exists(connection, year_a, name) else year_a
                        raise year_missing_error(connection, missing, name)
                    left_out.append(name)
                    continue
                a, b = load_year(connection, year_a, name), load_year(connection, year_b, name)
                comparisons.append(compare_records(a, b, restate=restate, factors=factors, lang=lang))
        if not comparisons:
            raise GreenitError.of("history.compare_no_organisation", None, a=year_a, b=year_b)
        out = sum_comparisons(comparisons) if together else comparisons[0]
        return out | {
            "organisations": [n for n in scope if n not in left_out],
            "organisations_left_out": left_out,
        }

    def target(
        self,
        baseline: int | None = None,
        reduction: str | float | None = None,
        by: int | None = None,
        *,
        organisation: str | None = None,
        factors: FactorSet | str | Path | None = None,
    ) -> dict:
        """Set a reduction target (``baseline`` year, ``reduction`` such as ``"30%"``, ``by`` year)
        and give the years against it: each year restated with today's factors, its target on
        the linear trajectory from the restated baseline, the gap, and the reuse rate against
        décret 2023-266. Without arguments, the target already set.
        """
        scope, together = self._scope(organisation)
        factors = self._factors(factors)
        if (baseline, reduction, by) != (None, None, None):
            self._set_target(scope, together, baseline, reduction, by, factors)
        with self.store.reading() as connection:
            out = evolution(connection, scope, together=together, factors=factors)
        if out["target"] is None:
            raise GreenitError.of("history.no_target", "history.no_target_hint")
        return out

    def _set_target(self, scope, together, baseline, reduction, by, factors) -> None:
        if None in (baseline, reduction, by):
            raise GreenitError.of("history.target_incomplete", "history.target_incomplete_hint")
        share = parse_reduction(reduction)
        check_target_years(int(baseline), int(by))
        with self.store.reading() as connection:
            points = evolution(connection, scope, together=together, factors=factors)["years"]
            base = next((p for p in points if p["year"] == baseline), None)
            if base is None:
                raise year_missing_error(connection, int(baseline), None if together else scope[0])
        today = factors if factors is not None else load_factors()
        target = Target(
            organisation=None if together else scope[0],
            together=together,
            baseline_year=int(baseline),
            reduction=share,
            target_year=int(by),
            baseline_kgco2e=float(base["total_kgco2e"]),
            factors_version=today.version,
            factors_sha256=pack_factor_set(today).sha256,
            set_at=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        )
        with self.store.writing() as connection:
            save_target(connection, target)

    def evolution(
        self, organisation: str | None = None, *, factors: FactorSet | str | Path | None = None
    ) -> dict:
        """Every recorded year on one method (restated with today's factors), with the target
        and its trajectory when one is set: what the report's « Évolution » section shows.
        """
        scope, together = self._scope(organisation)
        with self.store.reading() as connection:
            return evolution(connection, scope, together=together, factors=self._factors(factors))
