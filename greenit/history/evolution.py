"""Year after year on one method: every recorded year restated with today's factors, the target
trajectory beside them, the change since last year and the gap to the target.

This is what ``history target`` prints and what the report's « Évolution » section shows. A
year whose factor tables are today's is shown as recorded (estimating it again gives the same
figures); any other is estimated again from its rows (``restated``: true).
"""

from __future__ import annotations

import sqlite3

from greenit.errors import GreenitError
from greenit.factors import FactorSet
from greenit.history.restate import estimate_record, todays_factors
from greenit.history.snapshots import pack_factor_set
from greenit.history.targets import Target, load_target, trajectory
from greenit.history.years import YearRecord, list_years, load_year, organisations

_TOTALS = ("total_kgco2e", "total_low_kgco2e", "total_high_kgco2e")


class _Fingerprints:
    """SHA-256 of factor sets, each computed once per object (packing takes a few tens of ms)."""

    def __init__(self) -> None:
        self._seen: dict[int, tuple[FactorSet, str]] = {}

    def __call__(self, factors: FactorSet) -> str:
        if id(factors) not in self._seen:
            self._seen[id(factors)] = (factors, pack_factor_set(factors).sha256)
        return self._seen[id(factors)][1]


def restated_point(record: YearRecord, today: FactorSet, fingerprint) -> dict:
    """One year's totals with today's factors, and as recorded."""
    indicators = record.result.get("indicators") or {}
    point = {
        "year": record.year,
        **{k: record.totals[k] for k in _TOTALS},
        "recorded_total_kgco2e": record.totals["total_kgco2e"],
        "factors_version": record.factors_version,
        "restated": False,
        "reused": indicators.get("reused"),
        "retired": indicators.get("retired"),
        "reuse_rate": indicators.get("reuse_rate"),
        "reuse_target": indicators.get("reuse_target"),
    }
    if fingerprint(today) != record.factor_set_sha256:
        headline = estimate_record(record, today).result()["headline"]
        point |= {k: float(headline[k]) for k in _TOTALS} | {"restated": True}
    return point


def _records(connection: sqlite3.Connection, organisations: list[str | None]) -> dict[int, list[YearRecord]]:
    by_year: dict[int, list[YearRecord]] = {}
    for organisation in organisations:
        for entry in list_years(connection, organisation, every=False):
            record = load_year(connection, entry["year"], organisation, frames=True)
            by_year.setdefault(record.year, []).append(record)
    return by_year


def _summed(points: list[dict]) -> dict:
    """The points of several organisations for one year, as one."""
    out = dict(points[0])
    for key in (*_TOTALS, "recorded_total_kgco2e", "reused", "retired"):
        values = [p[key] for p in points if p.get(key) is not None]
        out[key] = sum(values) if values else None
    out["restated"] = any(p["restated"] for p in points)
    says = out["reused"] is not None and out["reused"] > 0
    out["reuse_rate"] = out["reused"] / (out["reused"] + (out["retired"] or 0)) if says else None
    out["organisations"] = len(points)
    return out


def year_points(
    connection: sqlite3.Connection, organisations: list[str | None], factors: FactorSet | None = None
) -> list[dict]:
    """Each recorded year of ``organisations`` (summed), with today's factors, oldest first."""
    fingerprint = _Fingerprints()
    points = []
    for _, records in sorted(_records(connection, organisations).items()):
        restated = [restated_point(r, todays_factors(r, factors), fingerprint) for r in records]
        points.append(_summed(restated))
    return points


def with_target(points: list[dict], target: Target | None) -> dict | None:
    """Each point's target and gap; the trajectory from the baseline restated with today's factors."""
    if target is None:
        for point in points:
            point["target_kgco2e"] = point["gap_kgco2e"] = None
        return None
    baseline = next((p["total_kgco2e"] for p in points if p["year"] == target.baseline_year), None)
    start = target.baseline_kgco2e if baseline is None else baseline
    for point in points:
        point["target_kgco2e"] = target.value(point["year"], start)
        point["gap_kgco2e"] = (
            None if point["target_kgco2e"] is None else point["total_kgco2e"] - point["target_kgco2e"]
        )
    years = range(target.baseline_year, target.target_year + 1)
    return {
        "baseline_year": target.baseline_year,
        "reduction": target.reduction,
        "target_year": target.target_year,
        "baseline_kgco2e": start,
        "baseline_recorded_kgco2e": target.baseline_kgco2e,
        "baseline_missing": baseline is None,
        "set_at": target.set_at,
        "factors_version_when_set": target.factors_version,
        "target_kgco2e": target.value(target.target_year, start),
        "trajectory": [{"year": y, "target_kgco2e": target.value(y, start)} for y in years],
    }


def evolution(
    connection: sqlite3.Connection,
    organisations: list[str | None],
    *,
    together: bool,
    factors: FactorSet | None = None,
) -> dict:
    """The years of ``organisations`` on one method, with the target of that scope."""
    points = year_points(connection, organisations, factors)
    scope = None if together else organisations[0]
    target = with_target(points, load_target(connection, scope, together))
    return {
        "organisation": scope,
        "organisations": organisations,
        "together": together,
        "years": points,
        "target": target,
    }


def clean_organisation(name: str | None) -> str | None:
    """An organisation's name with its spaces tidied; None when none is given."""
    if name is None:
        return None
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise GreenitError.of("history.organisation_empty")
    return cleaned


def scope_of(connection: sqlite3.Connection, organisation: str | None) -> tuple[list[str | None], bool]:
    """The organisations a comparison, a target or a report covers, and whether together: the one
    named; else the only one the file holds; else all of them, together.
    """
    known = organisations(connection)
    if organisation is not None:
        if organisation not in known:
            names = ", ".join(n or "—" for n in known) or "—"
            raise GreenitError.of(
                "history.organisation_unknown", None, organisation=organisation, known=names
            )
        return [organisation], False
    return (known or [None]), len(known) > 1


def read_evolution(path, organisation: str | None = None, factors: FactorSet | None = None) -> dict:
    """:func:`evolution` of the history file ``path`` (the report's « Évolution » section)."""
    from greenit.history.store import HistoryStore

    store = HistoryStore(path)
    with store.reading() as connection:
        scope, together = scope_of(connection, clean_organisation(organisation))
        out = evolution(connection, scope, together=together, factors=factors)
    return out | {"file": str(path)}


def _current_point(summary: dict, recorded: dict | None) -> dict:
    headline, indicators = summary["headline"], summary.get("indicators") or {}
    return {
        "year": int(summary["year"]),
        **{k: float(headline[k]) for k in _TOTALS},
        "recorded_total_kgco2e": None if recorded is None else recorded["recorded_total_kgco2e"],
        "factors_version": summary.get("factors_version"),
        "restated": False,
        "current": True,
        **{k: indicators.get(k) for k in ("reused", "retired", "reuse_rate", "reuse_target")},
    }


def with_current(section: dict, summary: dict) -> dict:
    """The section with the report's own year (``summary``: its ``summary.json``) in place of the
    recorded one, the change since the year before it and the gap to the target that year.
    """
    year = int(summary["year"])
    points = {p["year"]: p for p in section["years"]}
    points[year] = _current_point(summary, points.get(year))
    target = section["target"]
    for point in points.values():
        point.setdefault("current", False)
        value = None
        if target is not None:
            value = trajectory(
                target["baseline_kgco2e"],
                target["baseline_year"],
                target["reduction"],
                target["target_year"],
                point["year"],
            )
        point["target_kgco2e"] = value
        point["gap_kgco2e"] = None if value is None else point["total_kgco2e"] - value
    years = [points[y] for y in sorted(points)]
    before = [p for p in years if p["year"] < year]
    now = points[year]
    change = None
    if before:
        last = before[-1]
        delta = now["total_kgco2e"] - last["total_kgco2e"]
        change = {
            "from_year": last["year"],
            "to_year": year,
            "from_kgco2e": last["total_kgco2e"],
            "to_kgco2e": now["total_kgco2e"],
            "change_kgco2e": delta,
            "change_share": delta / last["total_kgco2e"] if last["total_kgco2e"] else None,
            "from_restated": last["restated"],
        }
    gap = (
        None
        if now["target_kgco2e"] is None
        else {
            "year": year,
            "total_kgco2e": now["total_kgco2e"],
            "target_kgco2e": now["target_kgco2e"],
            "gap_kgco2e": now["gap_kgco2e"],
        }
    )
    return section | {"year": year, "years": years, "change": change, "gap": gap}
