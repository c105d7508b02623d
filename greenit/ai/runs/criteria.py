"""ADPe, primary energy and water of self-hosted AI runs: the run's electricity × its place's
figures per kWh (:mod:`greenit.factors.criteria`).

The place is the run's country, else its cloud region's country. Water is the water consumed
to generate that electricity (off-site); a data centre's own cooling water is not known from a
log and not counted. The hardware's embodied ADPe and primary energy are not given by any
table yet: NaN (« non renseigné »), never 0. A Slurm step counted in its job adds 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.bounds import Bounds
from greenit.factors import FactorSet
from greenit.factors.criteria import CRITERIA, per_kwh
from greenit.factors.lookup import positions_in

#: the phases of an AI run, as EcoLogits and the carbon columns name them
AI_PHASES = ("usage", "embodied")


def ai_criteria_columns() -> list[str]:
    """Every per-run criteria column of the ``runs_estimated`` stage, in order."""
    return [
        c.column(phase, bound)
        for c in CRITERIA
        for phase in AI_PHASES
        if phase == "usage" or c.manufacture
        for bound in ("", "_low", "_high")
    ]


def run_places(runs: pd.DataFrame, factors: FactorSet) -> pd.Series:
    """Each run's country (ISO-3): its own, else its cloud region's."""
    regions = factors.table("cloud_regions")
    positions = positions_in(regions, runs["region"])
    countries = regions["country"].astype(object).to_numpy()
    region_country = np.where(positions >= 0, countries[np.maximum(positions, 0)], None)
    own = runs["country"].astype(object).to_numpy()
    return pd.Series(np.where(pd.isna(own), region_country, own), index=runs.index, dtype=object)


def run_criteria(
    runs: pd.DataFrame, factors: FactorSet, energy: Bounds, ok: np.ndarray, in_job: np.ndarray
) -> pd.DataFrame:
    """The criteria columns of each run: usage from its energy [kWh], embodied not given."""
    places = run_places(runs, factors)
    own = ok & ~in_job
    columns: dict[str, np.ndarray] = {}
    for criterion in CRITERIA:
        usage = energy * per_kwh(factors, places, criterion)
        for bound, values in zip(("", "_low", "_high"), usage, strict=True):
            values = np.broadcast_to(np.asarray(values, dtype=float), (len(runs),))
            columns[criterion.column("usage", bound)] = np.where(own, values, np.where(ok, 0.0, np.nan))
        if criterion.manufacture:
            for bound in ("", "_low", "_high"):
                columns[criterion.column("embodied", bound)] = np.where(
                    own, np.nan, np.where(ok, 0.0, np.nan)
                )
    return pd.DataFrame(columns, index=runs.index)[ai_criteria_columns()]
