"""What an analyst does with estimates already made: levers, the report's result and charts, two
estimates compared, the factor rows and sources behind the figures.

Each function takes the objects :func:`greenit.estimate_files` (an ``InventoryEstimate``) and
:func:`greenit.estimate_ai_files` (a ``WorkloadEstimate``) return, or an estimate an analyst
filtered or built, and calls the functions the CLI and the report call::

    import greenit
    inventory = greenit.estimate_files(["inventaire.csv"], year=2025)
    levers = greenit.compare_levers(inventory, ["lifespan+2", "reuse=50%"], cumulative=True)
    greenit.scenario_waterfall(levers)            # shown as an image in Jupyter

Nothing here reads a file or holds a formula. (This module imports nothing from
:mod:`greenit.api`, which builds the report's result with :func:`footprint_result`.)
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from greenit.errors import GreenitError
from greenit.i18n import check_language
from greenit.levers.specs import Scenario, parse_levers
from greenit.results import FootprintResult, group_totals

#: The levers of ``greenit report`` when none are given.
DEFAULT_SCENARIOS = ("lifespan+2", "refurbished=30%", "reuse=50%")


def _inventory(value, name: str = "inventory", optional: bool = False):
    """``value`` when it is an inventory estimate (rows, factors, summary), else a clear error."""
    if value is None and optional:
        return None
    if not all(hasattr(value, a) for a in ("rows", "factors", "normalised", "summary")):
        raise GreenitError.of(
            "analysis.not_an_inventory",
            "analysis.not_an_inventory_hint",
            name=name,
            kind=type(value).__name__,
        )
    return value


def _workloads(value, name: str = "workloads"):
    """``value`` when it is None or an AI estimate (runs, factors), else a clear error."""
    if value is not None and not all(hasattr(value, a) for a in ("runs", "factors", "normalised", "usage")):
        raise GreenitError.of(
            "analysis.not_workloads", "analysis.not_workloads_hint", name=name, kind=type(value).__name__
        )
    return value


def compare_levers(
    inventory=None,
    levers: Iterable[str | Scenario] = DEFAULT_SCENARIOS,
    *,
    workloads=None,
    cumulative: bool = False,
    lang: str | None = None,
) -> pd.DataFrame:
    """The baseline, then each lever: yearly totals [kgCO2e/year] and change against the baseline.

    Parameters
    ----------
    inventory : an InventoryEstimate (None: AI levers only).
    levers : specs such as ``"lifespan+2"``, ``"refurbished=30%:laptop"``, ``"reuse=50%"``,
        ``"grid=32 g/kWh"``, ``"pue=1.2"``, ``"model=mistral-small-latest"``, ``"requests=-20%"``.
    workloads : a WorkloadEstimate, whose runs and hosted usage the AI levers transform.
    cumulative : each lever on top of the previous ones (the waterfall), instead of each alone.

    Returns one row per step: ``scenario`` (its label, in ``lang``), ``inventory_kgco2e`` (with
    ``_low``/``_high``), ``ai_kgco2e``, ``total_kgco2e``, ``change_kgco2e``, ``change_share``,
    ``step_kgco2e``; the year, method and grid factor are the inventory's.
    """
    from greenit.levers.compare import compare_scenarios

    inventory, workloads = _inventory(inventory, optional=True), _workloads(workloads)
    if inventory is None and workloads is None:
        raise GreenitError.of("analysis.nothing_to_compare")
    lang = check_language(lang)
    factors = (inventory or workloads).factors
    parsed = parse_levers(levers, factors)
    if inventory is not None:
        inventory.check_rows_for_levers()
    attrs = inventory.rows.attrs if inventory is not None else {}
    table = compare_scenarios(
        inventory.normalised if inventory is not None else None,
        factors,
        parsed,
        year=int(attrs["year"]) if attrs.get("year") is not None else 0,
        method=attrs.get("method", "amortised"),
        grid_factor_kg_per_kwh=attrs.get("grid_factor_override"),
        runs=workloads.normalised if workloads is not None else None,
        usage=workloads.usage if workloads is not None else None,
        cumulative=cumulative,
        lang=lang,
    )
    labels = factors.devices[f"label_{lang}"].astype(str).to_dict()  # the scope by its labels
    table["scenario"] = [table["scenario"].iloc[0], *(s.message(labels).render(lang) for s in parsed)]
    return table


def footprint_result(
    inventory,
    workloads=None,
    *,
    levers: Iterable[str | Scenario] | None = DEFAULT_SCENARIOS,
    headcount: int | None = None,
    title: str | None = None,
    inputs: list[str] | None = None,
    ai_inputs: list[str] | None = None,
) -> FootprintResult:
    """The one result a report renders (``summary.json``), from estimates already made.

    Parameters
    ----------
    inventory : an InventoryEstimate — e.g. one department, ``estimate.subset(mask)``: its rows
        and the normalised frame the levers start from are filtered together.
    workloads : a WorkloadEstimate of AI runs and hosted usage, or None.
    levers : lever specs compared, alone and cumulative (``None`` or ``()``: none).
    headcount : agents, for the footprint per agent.
    inputs, ai_inputs : the files named in the result [default: the files the rows come from].
    """
    inventory, workloads = _inventory(inventory), _workloads(workloads)
    check_headcount(headcount)
    parsed = parse_levers(levers or (), inventory.factors)
    compared = {
        cumulative: compare_levers(inventory, parsed, workloads=workloads, cumulative=cumulative)
        for cumulative in ((True, False) if parsed else ())
    }
    return FootprintResult(
        inventory=inventory.summary(),
        workloads=workloads.summary() if workloads is not None else None,
        factors=inventory.factors,
        headcount=headcount,
        title=title,
        inputs=inputs if inputs is not None else _files(inventory.rows),
        ai_inputs=ai_inputs if ai_inputs is not None else _files(getattr(workloads, "runs", None)),
        levers=parsed,
        cumulative=compared.get(True),
        alone=compared.get(False),
    )


#: more agents than any French employer has (the State: about 2.5 million): a slip
MAX_HEADCOUNT = 10_000_000


def check_headcount(headcount: object) -> None:
    """A GreenitError unless ``headcount`` is None or a number of agents (a whole number from 1
    to MAX_HEADCOUNT).
    """
    number = not isinstance(headcount, bool) and isinstance(headcount, (int, np.integer))
    if headcount is not None and not (number and 1 <= headcount <= MAX_HEADCOUNT):  # type: ignore[operator]
        raise GreenitError.of("results.headcount.invalid", headcount=str(headcount))


def _files(frame: pd.DataFrame | None) -> list[str]:
    if frame is None or "file" not in frame.columns:
        return []
    return [str(f) for f in pd.unique(frame["file"].dropna().astype(str))]


def footprint_charts(result: FootprintResult, lang: str | None = None) -> dict:
    """The report's charts of ``result``: name → matplotlib Figure (shown as an image in
    Jupyter; :func:`greenit.save_figure` writes PNG and SVG). Names: ``empreinte_par_categorie``,
    ``empreinte_par_direction``, ``age_des_equipements``, ``ia_par_projet``, ``leviers``, when
    the result has what they draw.
    """
    from greenit.reporting.report import draw_charts
    from greenit.reporting.text import Words

    summary = result.to_json(check_language(lang))
    return draw_charts(summary, Words.for_total(summary["lang"], summary["headline"]["total_kgco2e"]))


def compare_estimates(before, after, by: str = "category") -> pd.DataFrame:
    """Two inventory estimates (two years, or before and after a change) side by side per ``by``.

    Returns per value of ``by`` (``category``, ``entity``, ``site``, ``manufacturer``…):
    ``quantity_before``, ``quantity_after``, ``total_before_kgco2e``, ``total_after_kgco2e``,
    ``change_kgco2e`` (after − before) and ``change_share`` (of before; NaN when before is 0),
    largest change first. A value missing from one estimate counts 0 there.
    """
    sides = []
    before, after = _inventory(before, "before"), _inventory(after, "after")
    for side, estimate in (("before", before), ("after", after)):
        table = group_totals(estimate.rows, by)[[by, "quantity", "total_kgco2e"]].set_index(by)
        sides.append(table.set_axis([f"quantity_{side}", f"total_{side}_kgco2e"], axis=1))
    joined = sides[0].join(sides[1], how="outer").fillna(0.0)
    joined["change_kgco2e"] = joined["total_after_kgco2e"] - joined["total_before_kgco2e"]
    before_total = joined["total_before_kgco2e"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        joined["change_share"] = np.where(before_total > 0, joined["change_kgco2e"] / before_total, np.nan)
    order = joined["change_kgco2e"].abs().sort_values(ascending=False, kind="stable").index
    return joined.loc[order].reset_index()


def factor_sources(inventory, workloads=None, lang: str | None = None) -> dict[str, pd.DataFrame]:
    """Where the figures come from: the factor rows an estimate used and their sources.

    Returns ``devices`` (per category: manufacture, lifespan, yearly energy with their ranges
    and the ids of their sources), ``electricity`` (per country: carbon intensity [kg/kWh],
    year, source id) and ``sources`` (id, publisher, title as published, year, URL, licence, and
    greenit's ``description`` and ``notes`` of the source in ``lang``, default the current
    language) — the report's appendix, as tables. With ``workloads``, the AI rows its estimated
    runs used, with their values: ``ai_accelerators``, ``ai_pue``, ``ai_regions``,
    ``ai_parameters``, ``ai_hosted_models``.
    """
    from greenit.results.sources import factors_used

    inventory, workloads = _inventory(inventory), _workloads(workloads)
    summary = inventory.summary()
    categories = [c for c in summary.group_table("category")["category"] if c is not None]
    used = factors_used(
        inventory.factors,
        categories,
        list(summary.countries),
        grid_factor_override=summary.grid_factor_override,
        ai_runs=_estimated(workloads.runs) if workloads is not None else None,
    )
    tables = {name: pd.DataFrame(used[name]) for name in ("devices", "electricity", "sources")}
    tables["sources"] = _sources_in(tables["sources"], check_language(lang))
    for name in ("accelerators", "pue", "regions", "parameters", "hosted_models"):
        if used["ai"] is not None:
            tables[f"ai_{name}"] = pd.DataFrame(used["ai"][name])
    return tables


def _sources_in(sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The sources table with greenit's ``description`` and ``notes`` in ``lang`` only."""
    texts = [f"{kind}_{language}" for kind in ("description", "notes") for language in ("fr", "en")]
    if sources.empty:
        return sources
    out = sources.drop(columns=texts)
    out["description"], out["notes"] = sources[f"description_{lang}"], sources[f"notes_{lang}"]
    return out


def _estimated(runs: pd.DataFrame) -> pd.DataFrame:
    return runs[(runs["estimate_status"] == "estimated").to_numpy()]
