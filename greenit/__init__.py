"""greenit: carbon footprint of the digital services of public bodies.

The public API, imported lazily so that ``import greenit`` (and ``greenit --help``) stays fast::

    import greenit
    inventory = greenit.estimate_files(["inventaire.csv"], year=2025)  # a missing file: GreenitError
    inventory.result()["totals"]                          # the ``greenit estimate --json`` object
    greenit.group_totals(inventory.rows, "entity")        # a DataFrame per department
    runs = greenit.estimate_ai_files(["journal_ia.csv", "usage_ia_generative.csv"])
    levers = greenit.compare_levers(inventory, ["lifespan+2", "reuse=50%"], workloads=runs, cumulative=True)
    greenit.lever_waterfall(levers)                       # a Figure: an image in Jupyter
    result = greenit.footprint_result(inventory, runs)    # what ``greenit report`` renders
    plan = greenit.plan_ai("plan_assistant.toml")         # an AI service's options compared
    plan.frame()                                          # a DataFrame, one row per option
    with greenit.track(project="chatbot", log="runs.csv"):
        ...
    history = greenit.History("greenit-historique.sqlite")    # years kept, compared, restated
    history.compare(2024, 2025, restate=True)

The notebooks in ``notebooks/`` use these names only.
"""

from __future__ import annotations

from greenit._version import __version__ as __version__

_API = {
    # read and estimate
    "estimate_files": "greenit.api",
    "estimate_ai_files": "greenit.api",
    "estimate_to_files": "greenit.api",
    "Options": "greenit.options",
    "read_table": "greenit.parsing.readers",
    "normalise_inventory": "greenit.inventory.normalise",
    "estimate_inventory": "greenit.inventory.estimate",
    "normalise_workloads": "greenit.ai.runs.normalise",
    "estimate_workloads": "greenit.ai.runs.estimate",
    "load_factors": "greenit.factors",
    # totals, groups, the report's result and where its figures come from
    "inventory_result": "greenit.results",
    "group_totals": "greenit.results",
    "workload_groups": "greenit.results",
    "compare_estimates": "greenit.api",
    "factor_sources": "greenit.api",
    "footprint_result": "greenit.api",
    "build_footprint": "greenit.api",
    "build_report": "greenit.api",
    # deciding on AI: a planned service's options compared, a model's statement, the register
    "plan_ai": "greenit.decide",
    "ai_statement": "greenit.decide",
    "read_ai_register": "greenit.decide",
    "ai_questionnaire": "greenit.decide",
    "plan_chart": "greenit.reporting.plan",
    # year after year: the local history (SQLite), restated baselines, REEN targets
    "History": "greenit.history.book",
    # levers
    "parse_levers": "greenit.levers.specs",
    "parse_lever": "greenit.levers.specs",
    "parse_scenario": "greenit.levers.specs",  # the former name of parse_lever
    "compare_scenarios": "greenit.levers.compare",  # the former name of compare_normalised
    "compare_normalised": "greenit.levers.compare",
    "compare_levers": "greenit.api",
    # charts (matplotlib Figures, shown as images in Jupyter)
    "footprint_charts": "greenit.api",
    "footprint_by_category": "greenit.reporting.charts",
    "footprint_by_entity": "greenit.reporting.charts",
    "equipment_age": "greenit.reporting.charts",
    "ai_by_project": "greenit.reporting.charts",
    "lever_waterfall": "greenit.reporting.charts",
    "scenario_waterfall": "greenit.reporting.charts",  # the former name of lever_waterfall
    "evolution_chart": "greenit.reporting.evolution",
    "save_figure": "greenit.reporting.charts",
    # live measurement; language and numbers as people read them; errors
    "track": "greenit.tracking.context",
    "run_command": "greenit.tracking.supervisor",
    "set_language": "greenit.i18n",
    "format_number": "greenit.i18n.formats",
    "format_percent": "greenit.i18n.formats",
    "GreenitError": "greenit.errors",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    from greenit.exports import exported

    return exported(__name__, _API, name, keep=False)


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
