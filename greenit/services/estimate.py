"""Services lines → their yearly footprint [kgCO2e/year] with its range, or their reason.

Each line is estimated from the first quantity it gives that has a factor for its nature, in
this order (physical data before money, as the Bilan Carbone method asks): the footprint the
supplier gives (exact), GB, lines, the yearly spend (``services.csv``: ADEME's monetary ratios,
low confidence), users. ``footprint = quantity × factor``; the spend is in € and the ratios per
k€ HT. A line with no quantity that has a factor is flagged, naming what would do.

``consumables`` lines (the town's own toner and ink purchases) are counted only from the
footprint the supplier gives: no spend ratio for consumables could be read in a primary source.
They replace the printers' own consumables estimate (BEGES poste 4.1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.bounds import Bounds
from greenit.factors import FactorSet
from greenit.flags import Flags
from greenit.i18n import Joined, msg
from greenit.services.natures import CONSUMABLES, poste_of
from greenit.services.read import QUANTITIES

#: Column of a services line → the ``quantity`` of ``services.csv`` it is looked up with.
QUANTITY_KIND = {"gb": "gb", "lines": "lines", "spend_eur": "spend", "users": "users"}
#: Per unit of a factor: the spend is in €, the ratios per k€.
PER_UNIT = {"spend_eur": 1 / 1000.0}


def _factor_index(factors: FactorSet) -> dict[tuple[str, str], str]:
    """(nature, quantity) → factor_id of ``services.csv``."""
    table = factors.tables.get("services")
    if table is None:
        return {}
    return {(n, q): key for key, n, q in zip(table.index, table["nature"], table["quantity"], strict=True)}


def choose(lines: pd.DataFrame, factors: FactorSet) -> tuple[list[str | None], list[str | None]]:
    """For each line, the quantity used and the factor id (None, None where none applies)."""
    index = _factor_index(factors)
    used: list[str | None] = []
    ids: list[str | None] = []
    for row in lines[["nature", *QUANTITIES]].itertuples(index=False):
        nature = row[0] if isinstance(row[0], str) else None
        values = dict(zip(QUANTITIES, row[1:], strict=True))
        pick: tuple[str | None, str | None] = (None, None)
        for column in QUANTITIES:
            if nature is None or pd.isna(values[column]):
                continue
            if column == "given_kgco2e":
                pick = (column, None)
                break
            key = index.get((nature, QUANTITY_KIND[column]))
            if key is not None:
                pick = (column, key)
                break
        used.append(pick[0])
        ids.append(pick[1])
    return used, ids


def estimate_services(lines: pd.DataFrame, factors: FactorSet) -> pd.DataFrame:
    """The lines with ``quantity_used``, ``factor_id``, ``kgco2e`` (+ ``_low``/``_high``, NaN on
    flagged lines), ``confidence``, ``poste`` (BEGES 4.1 or 4.5), ``estimate_status``, ``reason``.
    """
    out = lines.copy()
    used, ids = choose(out, factors)
    flags = Flags(len(out))
    flags.add_column(out["reason"])
    unusable = out["reason"].isna().to_numpy() & np.array([u is None for u in used])
    flags.add(
        unusable,
        [
            _no_factor(n, out.iloc[i]) if u else None
            for i, (n, u) in enumerate(zip(out["nature"], unusable, strict=True))
        ],
    )
    ok = ~flags.flagged
    value = _line_bounds(out, factors, used, ids)
    out["quantity_used"] = [u if k else None for u, k in zip(used, ok, strict=True)]
    out["factor_id"] = ids
    for suffix, column in (("", value.central), ("_low", value.low), ("_high", value.high)):
        out[f"kgco2e{suffix}"] = np.where(ok, column, np.nan)
    table = factors.tables.get("services")
    confidence = (
        table["confidence"] if table is not None and "confidence" in table else pd.Series(dtype=object)
    )
    out["confidence"] = [
        "given" if u == "given_kgco2e" else _text(confidence.get(i)) if i else None
        for u, i in zip(used, ids, strict=True)
    ]
    out["poste"] = [poste_of(n) if isinstance(n, str) else None for n in out["nature"]]
    out["estimate_status"] = np.where(ok, "estimated", "flagged")
    out["reason"] = flags.column()
    return out


def _line_bounds(lines: pd.DataFrame, factors: FactorSet, used: list, ids: list) -> Bounds:
    """quantity × factor of each line [kgCO2e/year]; the supplier's footprint as given."""
    table = factors.tables.get("services")
    central, low, high = (np.full(len(lines), np.nan) for _ in range(3))
    for i, (column, key) in enumerate(zip(used, ids, strict=True)):
        if column is None:
            continue
        quantity = float(lines[column].iloc[i])
        if column == "given_kgco2e":
            central[i] = low[i] = high[i] = quantity
            continue
        row = table.loc[key]  # type: ignore[union-attr]
        scale = quantity * PER_UNIT.get(column, 1.0)
        central[i] = scale * float(row["factor_kgco2e"])
        low[i] = scale * _or(row.get("factor_low_kgco2e"), row["factor_kgco2e"])
        high[i] = scale * _or(row.get("factor_high_kgco2e"), row["factor_kgco2e"])
    return Bounds(central, low, high)


def _no_factor(nature: str | None, line: pd.Series):
    """Why a readable line has no factor: what it gives has none for its nature; what would do."""
    given = [c for c in QUANTITIES if pd.notna(line.get(c))]
    if nature == CONSUMABLES:
        return msg("services.consumables_needs_footprint")
    wanted = {"saas": "spend_gb", "cloud": "spend_gb", "hosting": "spend_gb", "it_services": "spend"}
    return msg(
        "services.no_factor",
        nature=msg(f"services.nature.{nature}"),
        given=Joined(tuple(msg(f"services.quantity.{c}") for c in given), ", "),
        wanted=msg(f"services.wanted.{wanted.get(nature or '', 'spend_lines_gb')}"),
    )


def _or(value: object, default: object) -> float:
    return float(default if value is None or pd.isna(value) else value)  # type: ignore[arg-type]


def _text(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)
