"""The town's own server room: its PUE on the room's gear, and the UPS's own losses.

A room's facility energy is its IT energy × PUE (The Green Grid): cooling, power distribution
and lighting come on top of what the servers draw. greenit applies it to the categories that
live in a server room — servers, storage and rack network gear (:data:`SERVER_ROOM_CATEGORIES`)
— never to office devices, whose building's heating and cooling are not the digital
footprint's. The PUE of a row is, in order: the row's own (``pue`` column, the room or the site
it sits in), the one ``--pue`` gives, else the sourced default for a small on-site room
(``pue.csv``, row ``onsite``: IDC's on-premises average 1.63, range 1.5–2.1 measured by LBNL).

A UPS's own energy is its conversion losses, a share of the load it carries (US DOE FEMP:
1/efficiency − 1). The load is 25 % of its rated power (FEMP's test condition), the rating the
row gives as its power, else FEMP's 300 W test unit. The load itself is counted on the devices
the UPS feeds; the PUE is not applied to the UPS (its losses are part of a room's overhead).

References
----------
- The Green Grid (2012), *PUE: a comprehensive examination of the metric*, White Paper 49.
- LBNL (2013), *Energy Efficiency of Small Data Centers*: PUE 1.5–2.1 in small server rooms.
- US DOE FEMP, *Covered Product Category: Uninterruptible Power Supplies*, Table 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.bounds import Bounds
from greenit.errors import GreenitError
from greenit.factors.rooms import ONSITE_PUE_ROW, SERVER_ROOM_CATEGORIES  # noqa: F401  (re-exported)

HOURS_PER_YEAR = 8760.0
#: Where a row's PUE comes from; "" outside the server room.
PUE_ORIGINS = ("", "file", "option", "default")


def room_pue(
    in_room: np.ndarray, given: np.ndarray, option: float | None, default: Bounds
) -> tuple[Bounds, pd.Categorical]:
    """The PUE of each row [≥ 1] and where it comes from (``file``, ``option``, ``default``, "").

    Rows outside the room get 1 (no overhead) and origin "". A PUE the row gives is exact; so is
    ``option`` (``--pue``); the default carries its range. The origins are a Categorical of
    :data:`PUE_ORIGINS`: compared per origin, not per row of text.

    >>> pue, origin = room_pue(np.array([True, True, False]), np.array([np.nan, 1.8, 1.7]), None,
    ...                        Bounds(1.63, 1.5, 2.1))
    >>> [float(v) for v in pue.central], [float(v) for v in pue.high], origin.tolist()
    ([1.63, 1.8, 1.0], [2.1, 1.8, 1.0], ['default', 'file', ''])
    """
    given = np.asarray(given, dtype=float)
    fallback = default if option is None else Bounds.exact(float(option))
    pue = fallback.where(np.isnan(given), given).where(in_room, 1.0)
    fallback_origin = PUE_ORIGINS.index("option" if option is not None else "default")
    codes = np.where(in_room, np.where(np.isnan(given), fallback_origin, PUE_ORIGINS.index("file")), 0)
    origin = pd.Categorical.from_codes(codes, categories=pd.Index(PUE_ORIGINS, dtype=object))
    return pue.map(lambda v: np.broadcast_to(v, in_room.shape).astype(float)), origin


def facility_energy_kwh(device_kwh: Bounds, pue: Bounds) -> Bounds:
    """The electricity a row costs the building [kWh/year]: its devices' × the room's PUE.

    >>> [float(v) for v in facility_energy_kwh(Bounds(1000.0, 800.0, 1200.0), Bounds(1.63, 1.5, 2.1))]
    [1630.0, 1200.0, 2520.0]
    """
    return device_kwh * pue


def ups_losses_kwh(rated_power_w: np.ndarray, load_share: float, loss_share: Bounds) -> Bounds:
    """A UPS's own yearly energy [kWh/year]: ``loss share × rated power × load share × 8,760 h``.

    FEMP's test unit, 300 W at 25 % load, at the ENERGY STAR minimum efficiency 96.7 %:

    >>> [round(float(v), 4) for v in ups_losses_kwh(np.array(300.0), 0.25,
    ...                                              Bounds(1 / 0.967 - 1, 1 / 0.975 - 1, 1 / 0.92 - 1))]
    [22.4209, 16.8462, 57.1304]
    """
    carried_kwh = np.asarray(rated_power_w, dtype=float) * load_share * HOURS_PER_YEAR / 1000.0
    return loss_share * carried_kwh


def check_pue(value: float | str | None) -> float | None:
    """``--pue`` as a number from 1 to 5 (``"1,7"`` as French write it); None stays None.

    >>> check_pue("1,7"), check_pue(1.63), check_pue(None)
    (1.7, 1.63, None)
    """
    if value is None:
        return None
    from greenit.parsing.units import parse_number

    try:
        number = float(value) if isinstance(value, (int, float)) else parse_number(str(value).strip())
    except ValueError:
        number = float("nan")
    if isinstance(value, bool) or not (1.0 <= number <= 5.0):
        raise GreenitError.of("scope.pue_option.invalid", "scope.pue_option.hint", value=str(value)[:40])
    return number
