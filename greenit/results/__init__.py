"""The one result object every output is rendered from, and the JSON contracts of DESIGN.md.

- :class:`InventorySummary` — mergeable sums of an estimated inventory (batch by batch);
- :class:`WorkloadSummary` — estimated and flagged AI runs;
- :class:`FootprintResult` — both, with levers, indicators and coverage: ``summary.json``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

#: Each public name and the module it lives in: imported when first used, so that
#: ``greenit estimate`` reads no AI-runs or report module it does not need.
_EXPORTS = {
    "AI_TOTAL_COLUMNS": "greenit.results.workloads",
    "FootprintResult": "greenit.results.footprint",
    "InventorySummary": "greenit.results.inventory",
    "ROWS_OUT_COLUMNS": "greenit.results.rows",
    "TOTAL_COLUMNS": "greenit.results.inventory",
    "WorkloadSummary": "greenit.results.workloads",
    "dumps": "greenit.results.jsonsafe",
    "group_totals": "greenit.results.rows",
    "inventory_result": "greenit.results.rows",
    "json_ready": "greenit.results.jsonsafe",
    "rows_out_frame": "greenit.results.rows",
    "totals": "greenit.results.rows",
    "workload_groups": "greenit.results.rows",
    "workload_result": "greenit.results.rows",
}

if TYPE_CHECKING:
    from greenit.results.footprint import FootprintResult
    from greenit.results.inventory import TOTAL_COLUMNS, InventorySummary
    from greenit.results.jsonsafe import dumps, json_ready
    from greenit.results.rows import (
        ROWS_OUT_COLUMNS,
        group_totals,
        inventory_result,
        rows_out_frame,
        totals,
        workload_groups,
        workload_result,
    )
    from greenit.results.workloads import AI_TOTAL_COLUMNS, WorkloadSummary

__all__ = [
    "AI_TOTAL_COLUMNS",
    "FootprintResult",
    "InventorySummary",
    "ROWS_OUT_COLUMNS",
    "TOTAL_COLUMNS",
    "WorkloadSummary",
    "dumps",
    "group_totals",
    "inventory_result",
    "json_ready",
    "rows_out_frame",
    "totals",
    "workload_groups",
    "workload_result",
]


def __getattr__(name: str):
    from greenit.exports import exported

    return exported(__name__, _EXPORTS, name)
