"""Each value an inventory gives, checked against its category's plausible range.

A step of :func:`greenit.inventory.normalise.normalise_inventory`, once the rows' categories
are known: the file's power, yearly energy, lifespan (or amortisation period), hours of use,
manufacturer's footprint and quantity are compared with the ranges of ``plausibility.csv``
(:mod:`greenit.factors.plausible`). A value outside flags its row with the likely slip —
« Puissance (kW) : « 65 » (lu 65 000 W) pour Ordinateur portable… : mille fois trop : 65 W ? » —
and is never used; a fraction of a device likewise. Zero quantities and lifespans have their
own reasons already.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.factors import FactorSet
from greenit.factors.plausible import bounds, category_names, implausible
from greenit.flags import Flags
from greenit.i18n import msg
from greenit.parsing.frames import FrameBuilder
from greenit.parsing.headers import HeaderMatch
from greenit.parsing.slips import likely_slip

#: inventory column (as the normalised frame names it) → (canonical header column, quantity)
CHECKED: dict[str, tuple[str, str]] = {
    "quantity": ("quantity", "quantity"),
    "power_w": ("power_w", "power"),
    "annual_kwh": ("annual_kwh", "annual_energy"),
    "lifespan_years": ("lifespan_years", "lifespan"),
    "amortisation_years": ("amortisation_years", "lifespan"),
    "use_hours_per_year": ("use_hours_per_year", "use_hours"),
    "given_manufacture_kgco2e": ("manufacture_kgco2e", "manufacture"),
    "pue": ("pue", "pue"),  # a server room's, as an AI run's data centre (« 14 » : 1,4 ?)
}
#: values that have a reason of their own (« quantité nulle », « durée de vie nulle »)
_ZERO_SAID = {"quantity", "lifespan_years", "amortisation_years"}


def check_plausible(
    raw: pd.DataFrame, headers: dict[str, HeaderMatch], out: FrameBuilder, factors: FactorSet, flags: Flags
) -> None:
    """Flag the rows whose file-given values lie outside their category's plausible range."""
    names = category_names(factors)
    for column, (canonical, quantity) in CHECKED.items():
        match = headers.get(canonical)
        if match is None or column not in out.columns:
            continue
        values = out[column].to_numpy(dtype=float)
        if column in _ZERO_SAID:
            values = np.where(values == 0, np.nan, values)
        span = bounds(factors, quantity, out["category"])
        cells = raw[match.header]
        mask, messages = implausible(
            values, span, column=match.header, cells=cells, keys=out["category"], names=names
        )
        flags.add(mask, messages, masked=True)
        if quantity == "quantity":
            _whole(np.where(mask, np.nan, values), cells, match.header, flags)


def _whole(values: np.ndarray, cells: pd.Series, header: str, flags: Flags) -> None:
    """A fraction of a device: a thousands separator read as a decimal mark (``1.500``)."""
    with np.errstate(invalid="ignore"):
        fraction = ~np.isnan(values) & (np.mod(values, 1) != 0)
    if not fraction.any():
        return
    shown = cells.reset_index(drop=True)[fraction].tolist()
    cache: dict[tuple, object] = {}
    messages = []
    for value, cell in zip(values[fraction], shown, strict=True):
        key = (value, str(cell))
        if key not in cache:
            slip = likely_slip("quantity", value, 1.0, np.nan)
            cause = (
                msg("plausibility.cause.thousands_separator", corrected=slip[1], unit="")
                if slip
                else msg("plausibility.cause.unknown")
            )
            cache[key] = msg(
                "plausibility.not_whole", column=header, value=str(cell)[:60], reading=value, cause=cause
            )
        messages.append(cache[key])
    flags.add(fraction, messages, masked=True)
