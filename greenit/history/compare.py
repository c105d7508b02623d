"""Two recorded years compared, and the change split into what moved it.

The change from year A to year B is taken apart by estimating A's rows again, one thing
changed at a time (sequential substitution, each step a full estimate):

1. ``grid_factor`` — A with B's electricity factors (tables, ``--grid-factor``);
2. ``factors`` — A with all of B's factors and method;
3. ``past_lifespan`` — A's devices one year (or more) later: amortisations that ended,
   devices that left service;
4. ``more_or_fewer_devices`` and ``renewals`` — B's fleet instead of A's, per category: the
   change in the number of devices at A's footprint per device, and the rest (new devices
   still amortised replacing old ones, other models and statuses);
5. ``ai`` — B's AI runs and hosted usage instead of A's;
   ``services`` — B's services bought and consumables purchased instead of A's (``--services``);
6. ``method`` — what greenit's own code changed since a year was recorded (0 unless greenit
   was updated in between): the recorded totals less their estimate today.

The steps add up to the change exactly. With ``restate``, both years are estimated with
today's factors (the later year's own ``--factors`` files laid over them): steps 1, 2 and 6 are
then 0, and A's recorded total beside its restated one says what the restatement moved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from greenit.factors import FactorSet
from greenit.history.restate import PHASES, YearEstimate, estimate_record, same_factors, todays_factors
from greenit.history.years import YearRecord

DRIVERS = (
    "grid_factor",
    "factors",
    "past_lifespan",
    "more_or_fewer_devices",
    "renewals",
    "ai",
    "services",
    "method",
)
_GRID_TABLES = ("electricity", "cloud_regions")


def _phases_of_result(result: dict) -> dict[str, float]:
    """Phases [kgCO2e/year] of a recorded result (AI embodied in manufacture, electricity in use)."""
    headline = result["headline"]
    out = {phase: float(headline[f"{phase}_kgco2e"]) for phase in PHASES}
    ai = (result.get("ai") or {}).get("totals") or {}
    out["manufacture"] += float(ai.get("embodied_kgco2e") or 0.0)
    out["use"] += float(ai.get("usage_kgco2e") or 0.0)
    out["total_kgco2e"] = float(headline["total_kgco2e"])
    return out


def _minus(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    return {phase: a[phase] - b[phase] for phase in (*PHASES, "total_kgco2e")}


def _with_grid_of(base: FactorSet, other: FactorSet) -> FactorSet:
    tables = {**base.tables, **{name: other.tables[name] for name in _GRID_TABLES if name in other.tables}}
    return FactorSet(version=base.version, tables=tables, sources=base.sources, origins=base.origins)


def _options_of(record: YearRecord, other: YearRecord, *keys: str) -> YearRecord:
    """``record`` with ``other``'s options ``keys`` (grid factor, method…)."""
    options = dict(record.options)
    for key in keys:
        options[key] = other.options.get(key)
    if "grid_factor_kg_per_kwh" in keys:
        ai = dict(options.get("ai") or {})
        ai["carbon_intensity_kg_per_kwh"] = (other.options.get("ai") or {}).get("carbon_intensity_kg_per_kwh")
        options["ai"] = ai
    return replace(record, options=options)


@dataclass
class Chain:
    """The estimates of the substitution, from A as recorded (or restated) to B."""

    start: YearEstimate  # A, A's factors (restated: B's)
    grid: YearEstimate  # A, A's factors with B's electricity
    factors: YearEstimate  # A, B's factors and options
    aged: YearEstimate  # A's rows at B's year
    end: YearEstimate  # B

    @classmethod
    def build(cls, a: YearRecord, b: YearRecord, factors_a: FactorSet, factors_b: FactorSet) -> Chain:
        start = estimate_record(a, factors_a)
        grid = start
        factors = start
        if not (same_factors(factors_a, factors_b) and a.options == b.options):
            a_grid = _options_of(a, b, "grid_factor_kg_per_kwh")
            grid = estimate_record(a_grid, _with_grid_of(factors_a, factors_b))
            factors = estimate_record(_options_of(a_grid, b, "method"), factors_b)
        aged = estimate_record(factors.record, factors_b, year=b.year)
        return cls(start, grid, factors, aged, estimate_record(b, factors_b))

    def fleet(self) -> tuple[dict[str, float], dict[str, float], pd.DataFrame]:
        """B's fleet instead of A's: (more or fewer devices, renewals) per phase, and per category."""
        before, after = self.aged.groups("category"), self.end.groups("category")
        table = before.add_suffix("_a").join(after.add_suffix("_b"), how="outer").fillna(0.0)
        columns = [f"{phase}_kgco2e" for phase in PHASES]
        n_a, n_b = table["quantity_a"], table["quantity_b"]
        for column in [*columns, "total_kgco2e"]:
            per_device = (table[f"{column}_a"] / n_a.where(n_a > 0)).fillna(0.0)
            volume = ((n_b - n_a) * per_device).where(n_a > 0, table[f"{column}_b"])
            table[f"volume_{column}"] = volume
            table[f"mix_{column}"] = table[f"{column}_b"] - table[f"{column}_a"] - volume
        volume = {phase: float(table[f"volume_{phase}_kgco2e"].sum()) for phase in PHASES}
        mix = {phase: float(table[f"mix_{phase}_kgco2e"].sum()) for phase in PHASES}
        volume["total_kgco2e"] = float(table["volume_total_kgco2e"].sum())
        mix["total_kgco2e"] = float(table["mix_total_kgco2e"].sum())
        return volume, mix, table


def drivers(chain: Chain, recorded: tuple[dict, dict] | None) -> dict[str, dict[str, float]]:
    """What moved the change, per phase [kgCO2e/year]; ``recorded``: (A, B) recorded phases, for
    the ``method`` step (None when restated).
    """
    volume, mix, _ = chain.fleet()
    out = {
        "grid_factor": _minus(chain.grid.phases(), chain.start.phases()),
        "factors": _minus(chain.factors.phases(), chain.grid.phases()),
        "past_lifespan": _minus(chain.aged.phases(), chain.factors.phases()),
        "more_or_fewer_devices": volume,
        "renewals": mix,
        "ai": _minus(chain.end.ai_phases(), chain.aged.ai_phases()),
        "services": _minus(chain.end.services_phases(), chain.aged.services_phases()),
    }
    out["method"] = dict.fromkeys((*PHASES, "total_kgco2e"), 0.0)
    if recorded is not None:  # a few milligrams when greenit has not changed: the results keep 9 digits
        rec_a, rec_b = recorded
        out["method"] = _minus(_minus(rec_b, chain.end.phases()), _minus(rec_a, chain.start.phases()))
    return out


def chain_for(a: YearRecord, b: YearRecord, *, restate: bool, factors: FactorSet | None = None) -> Chain:
    """The substitution chain: recorded factors, or with ``restate`` today's for both years."""
    if restate:
        today = todays_factors(b, factors)
        return Chain.build(a, b, today, today)
    assert a.factors is not None and b.factors is not None
    return Chain.build(a, b, a.factors, b.factors)


def _labels(factors: FactorSet, lang: str) -> dict[str, str]:
    column = f"label_{lang}"
    devices = factors.devices
    return devices[column].astype(str).to_dict() if column in devices.columns else {}


def _side(record: YearRecord, result: dict, phases: dict[str, float]) -> dict:
    headline = result["headline"]
    return {
        "year": record.year,
        "total_kgco2e": phases["total_kgco2e"],
        "total_low_kgco2e": float(headline["total_low_kgco2e"]),
        "total_high_kgco2e": float(headline["total_high_kgco2e"]),
        "factors_version": result.get("factors_version"),
        "organisation": record.organisation,
        **{f"{phase}_kgco2e": phases[phase] for phase in PHASES},
    }


def _merged(before: list[dict], after: list[dict], key: str) -> list[dict]:
    """Groups of both years side by side, by ``key``, largest change first."""
    index = {g[key]: {"from": g} for g in before}
    for group in after:
        index.setdefault(group[key], {})["to"] = group
    out = []
    for value, sides in index.items():
        a, b = sides.get("from") or {}, sides.get("to") or {}
        record = {key: value}
        for name in ("quantity", "total_kgco2e", *(f"{p}_kgco2e" for p in PHASES)):
            before_value, after_value = float(a.get(name) or 0.0), float(b.get(name) or 0.0)
            stem = "" if name == "total_kgco2e" else name.removesuffix("_kgco2e") + "_"
            unit = "" if name == "quantity" else "kgco2e"
            record[f"from_{stem}{unit}".rstrip("_")] = before_value
            record[f"to_{stem}{unit}".rstrip("_")] = after_value
            record[f"change_{stem}{unit}".rstrip("_")] = after_value - before_value
        out.append(record)
    return sorted(out, key=lambda r: abs(r["change_kgco2e"]), reverse=True)


def _category_drivers(records: list[dict], chain: Chain) -> None:
    """Per category: time, more or fewer devices, renewals — and factors, the rest of its change."""
    past = chain.aged.groups("category")["total_kgco2e"].sub(
        chain.factors.groups("category")["total_kgco2e"], fill_value=0.0
    )
    _, _, fleet = chain.fleet()
    for record in records:
        category = record["category"]
        record["past_lifespan_kgco2e"] = float(past.get(category, 0.0))
        record["more_or_fewer_devices_kgco2e"] = float(fleet["volume_total_kgco2e"].get(category, 0.0))
        record["renewals_kgco2e"] = float(fleet["mix_total_kgco2e"].get(category, 0.0))
        record["factors_kgco2e"] = record["change_kgco2e"] - (
            record["past_lifespan_kgco2e"]
            + record["more_or_fewer_devices_kgco2e"]
            + record["renewals_kgco2e"]
        )


def compare_records(
    a: YearRecord, b: YearRecord, *, restate: bool = False, factors: FactorSet | None = None, lang: str = "fr"
) -> dict:
    """``history compare --json``: the two years, the change, by category, entity and phase, and
    what moved it (:data:`DRIVERS`).
    """
    chain = chain_for(a, b, restate=restate, factors=factors)
    if restate:
        start, end = chain.factors, chain.end
        results = (start.result(lang), end.result(lang))
        phases = (start.phases(), end.phases())
    else:
        results = (a.result, b.result)
        phases = (_phases_of_result(a.result), _phases_of_result(b.result))
    moved = drivers(chain, None if restate else phases)
    labels = _labels(chain.end.factors, lang)
    by_category = _merged(
        results[0]["inventory"]["by_category"], results[1]["inventory"]["by_category"], "category"
    )
    for record in by_category:
        record["label"] = labels.get(record["category"], record["category"])
    _category_drivers(by_category, chain)
    change = phases[1]["total_kgco2e"] - phases[0]["total_kgco2e"]
    before, after = _side(a, results[0], phases[0]), _side(b, results[1], phases[1])
    if restate:
        before |= {
            "recorded_total_kgco2e": a.totals["total_kgco2e"],
            "recorded_factors_version": a.factors_version,
        }
        after["recorded_total_kgco2e"] = b.totals["total_kgco2e"]
    return {
        "from": before,
        "to": after,
        "change_kgco2e": change,
        "change_share": change / phases[0]["total_kgco2e"] if phases[0]["total_kgco2e"] else None,
        "restated": restate,
        "by_category": by_category,
        "by_entity": _merged(
            results[0]["inventory"]["by_entity"], results[1]["inventory"]["by_entity"], "entity"
        ),
        "by_phase": [
            {
                "phase": p,
                "from_kgco2e": phases[0][p],
                "to_kgco2e": phases[1][p],
                "change_kgco2e": phases[1][p] - phases[0][p],
            }
            for p in PHASES
        ],
        "drivers": [
            {"driver": name, **{f"{k}_kgco2e" if k in PHASES else k: v for k, v in moved[name].items()}}
            for name in DRIVERS
        ],
    }


def _sum_groups(groups: list[list[dict]], key: str) -> list[dict]:
    merged: dict = {}
    for records in groups:
        for record in records:
            into = merged.setdefault(record[key], dict(record))
            if into is not record:
                for name, value in record.items():
                    if name != key and isinstance(value, float):
                        into[name] = into.get(name, 0.0) + value
    return sorted(merged.values(), key=lambda r: abs(r["change_kgco2e"]), reverse=True)


def sum_comparisons(comparisons: list[dict]) -> dict:
    """Comparisons of several organisations (the same two years) as one: every figure added."""
    out = {**comparisons[0], "from": dict(comparisons[0]["from"]), "to": dict(comparisons[0]["to"])}
    for other in comparisons[1:]:
        for side in ("from", "to"):
            for name, value in other[side].items():
                if name.endswith("_kgco2e") and value is not None:
                    out[side][name] = (out[side].get(name) or 0.0) + value
        out["change_kgco2e"] += other["change_kgco2e"]
    for side in ("from", "to"):
        out[side]["organisation"] = None
    base = out["from"]["total_kgco2e"]
    out["change_share"] = out["change_kgco2e"] / base if base else None
    out["by_category"] = _sum_groups([c["by_category"] for c in comparisons], "category")
    out["by_entity"] = _sum_groups([c["by_entity"] for c in comparisons], "entity")
    for name, key in (("by_phase", "phase"), ("drivers", "driver")):
        out[name] = [
            {key: row[key], **{k: sum(c[name][i][k] for c in comparisons) for k in row if k != key}}
            for i, row in enumerate(comparisons[0][name])
        ]
    return out
