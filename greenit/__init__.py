"""greenit: carbon footprint of the digital services of public bodies.

The public API, imported lazily so that ``import greenit`` (and ``greenit --help``) stays fast::

    import greenit
    result = greenit.estimate_files(["inventaire.csv"], year=2025)
    result.result()["totals"]
    runs = greenit.estimate_ai_files(["journal_ia.csv"])
    with greenit.track(project="chatbot", log="runs.csv"):
        ...
"""

from __future__ import annotations

from greenit._version import __version__ as __version__

_API = {
    "estimate_files": "greenit.api",
    "estimate_ai_files": "greenit.api",
    "read_table": "greenit.parsing.readers",
    "normalise_inventory": "greenit.inventory.normalise",
    "estimate_inventory": "greenit.inventory.estimate",
    "normalise_workloads": "greenit.ai.normalise",
    "estimate_workloads": "greenit.ai.estimate",
    "load_factors": "greenit.factors",
    "inventory_result": "greenit.results",
    "group_totals": "greenit.results",
    "track": "greenit.ai.tracking",
    "run_command": "greenit.ai.tracking",
    "GreenitError": "greenit.errors",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        import importlib

        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'greenit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
