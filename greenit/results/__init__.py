"""The one result object every output is rendered from, and the JSON contracts of DESIGN.md.

- :class:`InventorySummary` — mergeable sums of an estimated inventory (batch by batch);
- :class:`WorkloadSummary` — estimated and flagged AI runs;
- :class:`FootprintResult` — both, with levers, indicators and coverage: ``summary.json``.
"""

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
