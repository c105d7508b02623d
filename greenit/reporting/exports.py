"""The files ``greenit estimate`` and ``greenit ai estimate`` write beside their console output."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def write_estimate_outputs(
    estimate,
    *,
    rows_out: str | Path | None = None,
    xlsx_out: str | Path | None = None,
    lang: str | None = None,
    inputs: Iterable[str | Path] = (),
) -> None:
    """``--rows-out`` (CSV, the per-row contract) and ``--xlsx-out`` (a workbook in ``lang``) of an
    :class:`~greenit.api.InventoryEstimate`.

    Refuses, before writing anything, an output path that is one of the ``inputs``.
    """
    from greenit.i18n import get_language
    from greenit.reporting.output import check_outputs, write_csv, write_xlsx
    from greenit.reporting.xlsx import workbook

    outputs = [p for p in (rows_out, xlsx_out) if p]
    if not outputs:
        return
    lang = lang or get_language()
    check_outputs(outputs, inputs)
    rows = estimate.rows_out(lang)
    if rows_out:
        write_csv(rows_out, rows)
    if xlsx_out:
        devices = estimate.factors.devices
        labels = devices["label_en" if lang == "en" else "label_fr"].astype(str).to_dict()
        write_xlsx(xlsx_out, workbook(estimate.result(lang), rows, labels, lang))


def write_runs(estimate, path: str | Path, inputs: Iterable[str | Path] = ()) -> Path:
    """Every run of a :class:`~greenit.results.estimates.WorkloadEstimate` with its computed
    columns as CSV (``ai estimate --rows-out``), never over one of the ``inputs``.
    """
    from greenit.flags import code_column
    from greenit.reporting.output import check_outputs, write_csv

    check_outputs([path], inputs)
    runs = estimate.runs.drop(columns=["location_given"], errors="ignore")
    at = runs.columns.get_loc("reason") + 1
    runs.insert(
        at, "reason_code", code_column(runs["reason"]).fillna("").to_numpy()
    )  # stable, beside the text
    return write_csv(path, runs)
