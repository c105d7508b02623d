"""``report --beges-out FILE.csv|FILE.xlsx``: the BEGES postes as one types them into the national
BEGES platform — category, poste, label, emissions in tCO2e with the low and high bounds, method —
one line per poste and a total line, values only (no formula).

The CSV is what a French Excel opens as numbers: UTF-8 with BOM, ``;`` between cells and decimal
commas in French (points in English); the XLSX holds true numbers.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from greenit.i18n import text

COLUMNS = ("category", "poste", "label", "central", "low", "high", "method")
FIGURES = {"central": "kgco2e", "low": "low_kgco2e", "high": "high_kgco2e"}


def beges_frame(summary: dict, lang: str) -> pd.DataFrame:
    """The postes of ``summary.json`` and their total, in tonnes [tCO2e/year], headers in ``lang``."""
    postes = summary["beges"]["postes"]
    rows = [
        {
            "category": text(f"council.beges.category_{p['category']}", lang),
            "poste": p["poste"],
            "label": p["label"],
            **{name: p[key] / 1000 for name, key in FIGURES.items()},
            "method": p["method"],
        }
        for p in postes
    ]
    total = {name: sum(p[key] for p in postes) / 1000 for name, key in FIGURES.items()}
    rows.append(
        {"category": text("council.beges.total", lang), "poste": "", "label": "", **total, "method": ""}
    )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.rename(columns={c: text(f"council.beges.csv_{c}", lang) for c in COLUMNS})


def write_beges(path: str | Path, summary: dict, lang: str) -> Path:
    """``path`` (.csv, or .xlsx) with the BEGES postes of ``summary``; written atomically."""
    from greenit.reporting.output import neutralise_frame, write_bytes, write_xlsx

    frame = beges_frame(summary, lang)
    if Path(path).suffix.lower() == ".xlsx":
        return write_xlsx(path, {text("council.section.beges", lang)[:31]: frame})
    safe = neutralise_frame(frame)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(safe.columns)
    for row in safe.itertuples(index=False):
        writer.writerow([_cell(v, lang) for v in row])
    return write_bytes(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))


def _cell(value: object, lang: str) -> str:
    """A figure to three decimals of a tonne (a kilogram), with the language's decimal mark."""
    if isinstance(value, float):
        figure = f"{value:.3f}"
        return figure.replace(".", ",") if lang == "fr" else figure
    return "" if value is None else str(value)
