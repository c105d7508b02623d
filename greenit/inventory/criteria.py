"""ADPe, primary energy and water of each inventory row, by the carbon model's own formulas.

Manufacture goes through :func:`greenit.inventory.model.yearly_manufacture_kgco2e` — the same
amortisation (or flux), lifespan, purchase date, refurbished share and lever renewal factor
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
from greenit.inventory.model import refurbished_manufacture_kgco2e, yearly_manufacture_kgco2e


@dataclass(frozen=True)
class RowBasis:
    """What the carbon model used for each row, that the other criteria reuse."""

    quantity: np.ndarray
    lifespan_years: np.ndarray
    start_year: np.ndarray  # purchase, decimal year (NaN unknown)
    renewal: np.ndarray | float  # lever: share of today's purchases still made
    use_kwh: Bounds  # electricity of the row's devices in the year, server-room PUE included [kWh]
    estimated: np.ndarray  # bool: the row is estimated (not flagged)


def criteria_values(
    inventory: pd.DataFrame, basis: RowBasis, factors: FactorSet, *, year: int, method: str
) -> dict[str, np.ndarray]:
    """The criteria columns (``adpe_manufacture_kgsbeq``…) of every row, NaN where not given,
    by name in the frame's order (:func:`~greenit.factors.criteria.criteria_columns`).
    """
    share = Bounds(*factors.parameter("refurbished_manufacture_share"))
    refurbished = inventory["refurbished_share"].to_numpy(dtype=float)
    use_kwh = basis.use_kwh.map(lambda v: np.nan_to_num(v, nan=0.0))  # as carbon: none is 0
    columns: dict[str, np.ndarray] = {}
    for criterion in CRITERIA:
        phases = {"use": use_kwh * per_kwh(factors, inventory["country"], criterion)}
        if criterion.manufacture:
            device = device_manufacture(factors, inventory["category"], criterion)
            device = refurbished_manufacture_kgco2e(device, refurbished, share)
            phases["manufacture"], _ = yearly_manufacture_kgco2e(
                device * basis.renewal,
                np.zeros(len(inventory)),
                basis.quantity,
                basis.lifespan_years,
                basis.start_year,
                year=year,
                method=method,
            )
        for phase, value in phases.items():
            for bound, values in zip(("", "_low", "_high"), value, strict=True):
                values = np.broadcast_to(np.asarray(values, dtype=float), (len(inventory),))
                columns[criterion.column(phase, bound)] = np.where(basis.estimated, values, np.nan)
    return {name: columns[name] for name in criteria_columns()}
