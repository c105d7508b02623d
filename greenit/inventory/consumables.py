"""Toner and ink of printers and copiers: BEGES poste 4.1 (purchases of goods), per row and year.

A printer in service consumes cartridges every year: ``factor [kgCO2e/device-year] × quantity
× the part of the year it is in service`` (a printer in stock or retired consumes none). The
factor is ``consumables.csv``'s, a low-confidence derivation (no per-cartridge footprint from a
credible publisher exists; see its notes). When the town gives its own purchases instead (a
``consumables`` line of the services file with its supplier's footprint), the rows count 0 and
the purchases are counted once, in the services result.

References
----------
- ADEME, *Bilan GES — méthode*, v5 (2022): consumables are purchases of goods, poste 4.1.
- Lexmark (2009), life-cycle assessment press release: cartridges 6 % and manufacturing 7 % of
  a laser MFP's life cycle.
"""

from __future__ import annotations

import numpy as np

from greenit.bounds import Bounds


def consumables_kgco2e(per_device_year: Bounds, quantity: np.ndarray, in_service_share: np.ndarray) -> Bounds:
    """Toner and ink of a row in the year [kgCO2e/year]; 0 where the category has none (NaN factor).

    >>> [round(float(v), 2) for v in consumables_kgco2e(Bounds(22.2857, 11.1429, 60.0), np.array(4.0),
    ...                                                 np.array(0.5))]
    [44.57, 22.29, 120.0]
    """
    share = np.asarray(quantity, dtype=float) * np.asarray(in_service_share, dtype=float)
    return per_device_year.map(lambda v: np.nan_to_num(np.asarray(v, dtype=float), nan=0.0)) * share
