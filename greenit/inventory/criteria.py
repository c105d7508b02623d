"""ADPe, primary energy and water of each inventory row, by the carbon model's own formulas.

Manufacture goes through the carbon model's own per-row factors — the same refurbished share
(:func:`greenit.inventory.model.refurbished_factor`), lever renewal factor and amortisation (or
flux) over the lifespan from the purchase date (:func:`greenit.inventory.model.yearly_share`)
as the carbon figure — applied to the device's ADPe or primary energy
(:mod:`greenit.factors.criteria`); the end of life is inside those figures (the NegaOctet rows
count extraction, manufacture, transport and end of life together). Use is the row's
electricity of the year [kWh] × the country's figure per kWh. A flagged row, or a category or
country without a figure, gives NaN (« non renseigné »), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from greenit.bounds import Bounds
from greenit.factors import FactorSet
from greenit.factors.criteria import CRITERIA, criteria_columns, device_manufacture, per_kwh


@dataclass(frozen=True)
class RowBasis:
    """What the carbon model used for each row, that the other criteria reuse."""

    yearly_share: np.ndarray  # devices' manufacture charged to the year [devices/year]
    refurbished: Bounds  # share of a new device's manufacture the row's devices carry [0–1]
    renewal: np.ndarray | float  # lever: share of today's purchases still made
    use_kwh: Bounds  # electricity of the row's devices in the year, server-room PUE included [kWh]
    estimated: np.ndarray  # bool: the row is estimated (not flagged)


def criteria_values(inventory: pd.DataFrame, basis: RowBasis, factors: FactorSet) -> dict[str, np.ndarray]:
    """The criteria columns (``adpe_manufacture_kgsbeq``…) of every row, NaN where not given,
    by name in the frame's order (:func:`~greenit.factors.criteria.criteria_columns`).
    """
    use_kwh = basis.use_kwh.map(lambda v: np.nan_to_num(v, nan=0.0))  # as carbon: none is 0
    columns: dict[str, np.ndarray] = {}
    for criterion in CRITERIA:
        phases = {"use": use_kwh * per_kwh(factors, inventory["country"], criterion)}
        if criterion.manufacture:
            device = device_manufacture(factors, inventory["category"], criterion)
            phases["manufacture"] = device * basis.refurbished * basis.renewal * basis.yearly_share
        for phase, value in phases.items():
            for bound, values in zip(("", "_low", "_high"), value, strict=True):
                values = np.broadcast_to(np.asarray(values, dtype=float), (len(inventory),))
                columns[criterion.column(phase, bound)] = np.where(basis.estimated, values, np.nan)
    return {name: columns[name] for name in criteria_columns()}
