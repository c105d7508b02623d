"""The summary of an estimated inventory, from sums that add up across batches and files.

:class:`InventorySummary` keeps only what adds up — totals, sums per category, department and
site, the flagged rows, the counts of defaults used, the rows and devices covered, and the
indicator sums — so an inventory read in batches gives the same summary as one read at once::

    summary = InventorySummary.from_rows(batch_1).merge(InventorySummary.from_rows(batch_2))

Every output (console, ``--json``, XLSX, charts, the report) is rendered from it. A frame of
distinct rows, each with how many input rows it stands for, gives the summary of those rows
(``InventorySummary.from_rows(distinct, weights=w)``): the estimate can work once per distinct row.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from greenit.flags import code_of, rows_with
from greenit.i18n import get_language
from greenit.inventory.distinct import listed_one_by_one
from greenit.inventory.estimate import ScopeSettings
from greenit.inventory.indicators import IndicatorSums
from greenit.results.budget import BudgetSums
from greenit.results.criteria import CriteriaSums
from greenit.results.groups import Keys, bincount_sums, counted, weighted, without_attrs
from greenit.results.jsonsafe import Ready, json_ready, records, significant
from greenit.results.services import ServicesSummary

TOTAL_COLUMNS = [
    "manufacture_kgco2e",
    "manufacture_low_kgco2e",
    "manufacture_high_kgco2e",
    "use_kgco2e",
    "use_low_kgco2e",
    "use_high_kgco2e",
    "end_of_life_kgco2e",
    "total_kgco2e",
    "total_low_kgco2e",
    "total_high_kgco2e",
    "use_kwh",
    "consumables_kgco2e",
    "consumables_low_kgco2e",
    "consumables_high_kgco2e",
    "room_overhead_kwh",
    "room_overhead_kgco2e",
]
GROUP_KEYS = ("category", "entity", "site")
_SUMS = [*TOTAL_COLUMNS, "quantity", "rows"]
#: Columns of each group in the JSON (``by_category``, ``by_entity``, ``by_site``).
GROUP_COLUMNS = [
    "quantity",
    "rows",
    "manufacture_kgco2e",
    "use_kgco2e",
    "end_of_life_kgco2e",
    "total_kgco2e",
    "total_low_kgco2e",
    "total_high_kgco2e",
    "use_kwh",
    "consumables_kgco2e",
]
FLAGGED_COLUMNS = ["file", "row", "line", "name", "reason"]
#: Above this share of rows or devices flagged, the coverage is said next to every total.
COVERAGE_WARNING_SHARE = 0.10


def default_masks(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per value that can come from the factor tables: rows where the file did not give it."""
    return {
        "manufacture": frame["given_manufacture_kgco2e"].isna().to_numpy(),
        "lifespan": frame["lifespan_years"].isna().to_numpy(),
        "energy": (frame["annual_kwh"].isna() & frame["power_w"].isna()).to_numpy(),
        "purchase_date": frame["purchase_date"].isna().to_numpy(),
    }


def _group_sums(kept: pd.DataFrame, by: str, weights: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """Sums per value of ``by`` (missing values in one group, key NaN): one ``bincount`` per column.

    ``weights``: the summed columns as float arrays, when the caller has them already.
    """
    if weights is None:
        weights = {column: kept[column].to_numpy(dtype=float) for column in [*TOTAL_COLUMNS, "quantity"]}
    return bincount_sums(Keys.of(kept[by]), weights, by)


def _merge_groups(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    merged = pd.concat([a, b]).groupby(level=0, dropna=False, sort=False).sum()
    merged.index = pd.Index(merged.index, dtype=object, name=a.index.name)
    return merged


@dataclass
class InventorySummary:
    """Everything the outputs show about an estimated inventory; see the module docstring."""

    year: int
    method: str = "amortised"
    factors_version: str | None = None
    grid_factor_override: float | None = None
    rows_in: int = 0
    rows_flagged: int = 0
    rows_not_devices: int = 0  # flagged totals/subtotal rows: not devices, out of the coverage
    quantity_estimated: float = 0.0
    quantity_flagged: float = 0.0
    totals: dict[str, float] = field(default_factory=lambda: dict.fromkeys(TOTAL_COLUMNS, 0.0))
    groups: dict[str, pd.DataFrame] = field(default_factory=dict)
    defaults_used: dict[str, int] = field(default_factory=dict)
    flagged: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FLAGGED_COLUMNS))
    indicator_sums: IndicatorSums = field(default_factory=IndicatorSums)
    budget: BudgetSums = field(default_factory=BudgetSums)  # euros: renewal, electricity, AGEC
    countries: dict[str, float] = field(default_factory=dict)  # devices estimated per country
    category_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    #: categories present whose factor row has no end-of-life value (shown « – », not 0)
    no_end_of_life: frozenset[str] = frozenset()
    #: categories present whose factor row is marked low confidence (``confidence`` = low)
    low_confidence: frozenset[str] = frozenset()
    columns: dict | None = None  # headers used and ignored, when the reader says
    criteria: CriteriaSums = field(default_factory=CriteriaSums)  # ADPe, primary energy, water
    file_errors: list[dict] = field(default_factory=list)
    scope: ScopeSettings = field(default_factory=ScopeSettings)  # the room's PUE, the lifespan rule
    room_devices: float = 0.0  # devices estimated in the server room (its PUE applied)
    room_file_pue_rows: int = 0  # of which rows giving their own PUE
    room_pue: tuple[float, float, float] | None = None  # the default (pue.csv onsite) or --pue, with range
    services: ServicesSummary | None = None  # --services FILE: added to the totals, never merged

    @property
    def rows_estimated(self) -> int:
        return self.rows_in - self.rows_flagged

    @classmethod
    def from_rows(
        cls,
        estimated: pd.DataFrame,
        factors=None,
        file_errors: list[dict] | None = None,
        *,
        weights: np.ndarray | None = None,
    ):
        """The summary of a frame of stage ``estimated`` (a whole inventory or one batch).

        ``weights`` (whole numbers ≥ 1, one per row): row i stands for ``weights[i]`` input rows
        alike in every column the summary reads — the summary is that of the frame with each row
        repeated so many times (every count a sum of weights, every sum one of weight × value),
        from the distinct rows only. Rows listed one by one (flagged, or with a price reason)
        must weigh 1: ValueError otherwise. Without weights, every row counts once.
        """
        year = int(estimated.attrs["year"])
        rows = without_attrs(estimated)
        estimated_mask = (rows["estimate_status"] == "estimated").to_numpy()
        weights = row_weights(weights, rows)
        kept = None if weights is None else weights[estimated_mask]
        flagged = rows[[c for c in FLAGGED_COLUMNS if c in estimated.columns]][~estimated_mask]
        values = {
            column: weighted(rows[column].to_numpy(dtype=float)[estimated_mask], kept)
            for column in [*TOTAL_COLUMNS, "quantity"]
        }  # columns taken one by one: masking the frame would copy all its columns
        keys = {by: Keys.of(rows[by]).where(estimated_mask) for by in (*GROUP_KEYS, "country")}
        groups = {by: bincount_sums(keys[by], values, by, kept) for by in GROUP_KEYS}
        present = [c for c in groups["category"].index if isinstance(c, str)]
        countries = bincount_sums(keys["country"], {"quantity": values["quantity"]}, "country")["quantity"]
        not_devices = rows_with(rows["reason"], "inventory.totals_row")  # flagged rows: weight 1
        return cls(
            year=year,
            method=estimated.attrs.get("method", "amortised"),
            factors_version=estimated.attrs.get("factors_version"),
            grid_factor_override=estimated.attrs.get("grid_factor_override"),
            rows_in=len(estimated) if weights is None else int(weights.sum()),
            rows_flagged=int((~estimated_mask).sum()),
            rows_not_devices=int(not_devices.sum()),
            quantity_estimated=float(values["quantity"].sum()),
            quantity_flagged=float(rows["quantity"].to_numpy()[~estimated_mask & ~not_devices].sum()),
            totals={column: float(values[column].sum()) for column in TOTAL_COLUMNS},
            groups=groups,
            defaults_used={
                name: counted(mask[estimated_mask], kept) for name, mask in default_masks(rows).items()
            },
            flagged=flagged.reindex(columns=FLAGGED_COLUMNS).reset_index(drop=True),
            indicator_sums=IndicatorSums.from_rows(rows, year, weights=weights),
            budget=BudgetSums.from_rows(estimated, factors, weights=weights),
            countries={str(k): float(v) for k, v in countries.items() if isinstance(k, str)},
            category_labels=_labels(factors, present),
            no_end_of_life=_without_end_of_life(factors, present),
            low_confidence=_low_confidence(factors, present),
            columns=estimated.attrs.get("columns"),
            criteria=CriteriaSums.from_rows(rows, estimated_mask, weights=weights),
            file_errors=list(file_errors or []),
            scope=estimated.attrs.get("scope") or ScopeSettings(),
            room_pue=_room_pue(factors, estimated.attrs.get("scope")),
            **_room_counts(rows, estimated_mask, weights),
        )

    def merge(self, other: InventorySummary) -> InventorySummary:
        """The summary of both parts (two batches or two files of one inventory)."""
        if (self.year, self.method, self.scope) != (other.year, other.method, other.scope):
            raise ValueError("summaries of different years, methods or scopes cannot be merged")
        groups = {
            by: _merge_groups(self.groups[by], other.groups[by]) if by in self.groups else other.groups[by]
            for by in other.groups
        }
        countries = dict(self.countries)
        for country, devices in other.countries.items():
            countries[country] = countries.get(country, 0.0) + devices
        return replace(
            self,
            rows_in=self.rows_in + other.rows_in,
            rows_flagged=self.rows_flagged + other.rows_flagged,
            rows_not_devices=self.rows_not_devices + other.rows_not_devices,
            quantity_estimated=self.quantity_estimated + other.quantity_estimated,
            quantity_flagged=self.quantity_flagged + other.quantity_flagged,
            totals={k: self.totals[k] + other.totals[k] for k in TOTAL_COLUMNS},
            groups={**self.groups, **groups},
            defaults_used={
                k: self.defaults_used.get(k, 0) + other.defaults_used.get(k, 0)
                for k in {**self.defaults_used, **other.defaults_used}
            },
            flagged=pd.concat([self.flagged, other.flagged], ignore_index=True)
            if len(other.flagged)
            else self.flagged,
            indicator_sums=self.indicator_sums.merge(other.indicator_sums),
            budget=self.budget.merge(other.budget),
            countries=countries,
            category_labels={**self.category_labels, **other.category_labels},
            no_end_of_life=self.no_end_of_life | other.no_end_of_life,
            low_confidence=self.low_confidence | other.low_confidence,
            columns=_merge_columns(self.columns, other.columns),
            criteria=self.criteria.merge(other.criteria),
            file_errors=[*self.file_errors, *other.file_errors],
            room_devices=self.room_devices + other.room_devices,
            room_file_pue_rows=self.room_file_pue_rows + other.room_file_pue_rows,
            services=self.services or other.services,
        )

    def coverage(self) -> dict[str, float]:
        """Shares [0–1] of the rows and of the devices that were estimated (counted in the totals).

        Totals and subtotal rows of a spreadsheet are flagged (never counted) but they are not
        devices left out: the coverage leaves them aside.
        """
        devices = self.quantity_estimated + self.quantity_flagged
        rows = self.rows_in - self.rows_not_devices
        return {
            "rows": self.rows_estimated / rows if rows else 1.0,
            "quantity": self.quantity_estimated / devices if devices else 1.0,
        }

    def coverage_warning(self) -> bool:
        """Whether so much is flagged (over 10 % of rows or devices) that it must be said by the total."""
        return any(1 - share > COVERAGE_WARNING_SHARE for share in self.coverage().values())

    def group_table(self, by: str) -> pd.DataFrame:
        """Sums per ``by`` value, largest total first; the key column holds None where missing."""
        frame = self.groups.get(by)
        if frame is None:
            frame = pd.DataFrame(columns=_SUMS, index=pd.Index([], dtype=object, name=by))
        frame = frame.sort_values("total_kgco2e", ascending=False, kind="stable").reset_index()
        frame[by] = frame[by].astype(object).where(frame[by].notna(), None)
        return frame

    def to_json(self, lang: str | None = None) -> dict:
        """The ``greenit estimate --json`` object (DESIGN.md contract; keys only ever added)."""
        return json_ready(
            {
                "rows_in": self.rows_in,
                "rows_estimated": self.rows_estimated,
                "rows_flagged": self.rows_flagged,
                "rows_not_devices": self.rows_not_devices,
                "year": self.year,
                "method": self.method,
                "grid_factor_override_kg_per_kwh": self.grid_factor_override,
                "totals": {k: significant(v) for k, v in self.scope_totals().items()},
                "lifespan_rule": self.scope.lifespan_rule,
                "server_room": self.server_room(),
                "criteria": self.criteria.to_json(self.scope_totals()),
                "coverage": {**self.coverage(), "warning": self.coverage_warning()},
                "quantity_estimated": self.quantity_estimated,
                "quantity_flagged": self.quantity_flagged,
                "purchased_after_year": self.indicator_sums.purchased_after_year,
                "duplicate_rows": int(self.indicator_sums.duplicate_rows),
                "budget": self.budget.to_json(),
                "by_category": self._records("category", lang),
                "by_entity": self._records("entity", lang),
                "by_site": self._records("site", lang),
                "defaults_used": self.defaults_used,
                "flagged": Ready(
                    [
                        *self._flagged_records(lang),
                        *json_ready(self.services.flagged(lang) if self.services is not None else [], lang),
                    ]
                ),
                **({"services": self.services.to_json(lang)} if self.services is not None else {}),
                "files_failed": self.file_errors,
                **({"columns": self.columns} if self.columns is not None else {}),
                "factors_version": self.factors_version,
            },
            lang,
        )

    def scope_totals(self) -> dict[str, float]:
        """The totals with the services file's: services bought added (``services_kgco2e`` with
        its range), the town's consumables purchases in ``consumables_kgco2e``; both in the total.
        """
        totals = dict(self.totals)
        if self.services is None:
            return totals
        services = self.services.services_total()
        bought = self.services.consumables_total()
        for i, suffix in enumerate(("", "_low", "_high")):
            totals[f"consumables{suffix}_kgco2e"] += bought[i]
            totals[f"services{suffix}_kgco2e"] = services[i]
            totals[f"total{suffix}_kgco2e"] += services[i] + bought[i]
        return totals

    def server_room(self) -> dict:
        """The room's PUE as applied: its value and range, where it comes from, the devices."""
        pue = self.room_pue or (None, None, None)
        return {
            "pue": pue[0],
            "pue_low": pue[1],
            "pue_high": pue[2],
            "origin": "option" if self.scope.pue is not None else "default",
            "devices": self.room_devices,
            "rows_with_own_pue": self.room_file_pue_rows,
            "overhead_kwh": significant(self.totals.get("room_overhead_kwh", 0.0)),
            "overhead_kgco2e": significant(self.totals.get("room_overhead_kgco2e", 0.0)),
        }

    def _records(self, by: str, lang: str | None) -> list[dict]:
        table = self.group_table(by)
        found = records(table[[by, *GROUP_COLUMNS]], lang)  # JSON-ready, column by column
        if by == "category":
            for record in found:
                labels = self.category_labels.get(record["category"]) or {}
                record["label"] = labels.get(lang or get_language(), record["category"])
                record["end_of_life_factor"] = record["category"] not in self.no_end_of_life
                record["low_confidence"] = record["category"] in self.low_confidence
        return found

    def _flagged_records(self, lang: str | None) -> Ready:
        """The flagged rows, JSON-ready: converted column by column (a million-row file may flag
        thousands of rows; one ``json_ready`` call per cell, twice, cost more than the rest).
        """
        frame = self.flagged
        table = pd.DataFrame(
            {
                "row": frame["row"],
                "line": frame["line"],
                "file": pd.Series([str(file) for file in frame["file"]], dtype=object, index=frame.index),
                "name": pd.Series([_text_or_none(n) for n in frame["name"]], dtype=object, index=frame.index),
                "reason": frame["reason"],
                "reason_code": pd.Series(
                    [code_of(r) for r in frame["reason"]], dtype=object, index=frame.index
                ),
            }
        )
        return records(table, lang)


def _room_pue(factors, scope: ScopeSettings | None) -> tuple[float, float, float] | None:
    """The PUE applied to the room's rows that give none: ``--pue`` (exact), else ``pue.csv``'s
    ``onsite`` row with its range; None without factor tables.
    """
    if scope is not None and scope.pue is not None:
        return (scope.pue, scope.pue, scope.pue)
    if factors is None:
        return None
    from greenit.inventory.estimate import onsite_pue

    bounds = onsite_pue(factors)
    return (float(bounds.central), float(bounds.low), float(bounds.high))


def _room_counts(estimated: pd.DataFrame, estimated_mask: np.ndarray, weights: np.ndarray | None) -> dict:
    """Devices estimated in the server room, and rows that gave their own PUE (``weights``: see
    :meth:`InventorySummary.from_rows`).
    """
    if "pue_used" not in estimated.columns:
        return {}
    in_room = estimated["pue_used"].notna().to_numpy() & estimated_mask
    own = in_room & estimated["pue"].notna().to_numpy() if "pue" in estimated.columns else in_room & False
    quantity = weighted(estimated["quantity"].to_numpy(), weights)
    return {
        "room_devices": float(quantity[in_room].sum()),
        "room_file_pue_rows": counted(own, weights),
    }


def row_weights(weights, rows: pd.DataFrame) -> np.ndarray | None:
    """``weights`` checked and made int64: one per row, whole, ≥ 1, and 1 on the rows the outputs
    list one by one with their row numbers (:func:`~greenit.inventory.distinct.listed_one_by_one`)
    — a weight there would stand for rows whose numbers are lost. None stays None.
    """
    if weights is None:
        return None
    given = np.asarray(weights)
    if given.shape != (len(rows),):
        raise ValueError(f"weights: one per row expected ({len(rows)}), got shape {given.shape}")
    if not np.isfinite(given).all() or (given != np.round(given)).any() or (given < 1).any():
        raise ValueError("weights: whole numbers of at least 1 expected")
    if (given[listed_one_by_one(rows)] != 1).any():
        raise ValueError(
            "weights: rows flagged or with a price reason are listed one by one: weight 1 expected"
        )
    return given.astype(np.int64)


def _text_or_none(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return str(value)


def _labels(factors, present: list[str]) -> dict[str, dict[str, str]]:
    """French and English labels of the categories ``present``, from the device table."""
    if factors is None:
        return {}
    devices = factors.devices
    known = [c for c in present if c in devices.index]
    rows = devices.loc[known, ["label_fr", "label_en"]]  # one look-up, not two per category
    labels = zip(known, rows["label_fr"], rows["label_en"], strict=True)
    return {str(c): {"fr": str(fr), "en": str(en)} for c, fr, en in labels}


def _without_end_of_life(factors, present: list[str]) -> frozenset[str]:
    """Categories ``present`` whose device row gives no end-of-life value (not 0: not available)."""
    if factors is None or "end_of_life_kgco2e" not in factors.devices.columns:
        return frozenset()
    devices = factors.devices
    return frozenset(
        c for c in present if c in devices.index and pd.isna(devices.at[c, "end_of_life_kgco2e"])
    )


def _low_confidence(factors, present: list[str]) -> frozenset[str]:
    """Categories ``present`` whose device row says ``confidence`` = low (proxies, no source)."""
    if factors is None or "confidence" not in factors.devices.columns:
        return frozenset()
    marked = factors.devices["confidence"].astype(str).str.strip().str.lower() == "low"
    return frozenset(c for c in present if c in marked.index and bool(marked.get(c)))


def _merge_columns(a: dict | None, b: dict | None) -> dict | None:
    if a is None or b is None:
        return a if b is None else b
    used = {**a.get("used", {}), **b.get("used", {})}
    ignored = [h for h in dict.fromkeys([*a.get("ignored", []), *b.get("ignored", [])]) if h not in used]
    files = [*a.get("files", []), *(f for f in b.get("files", []) if f not in a.get("files", []))]
    return {**a, **b, "used": used, "ignored": ignored, "files": files}
