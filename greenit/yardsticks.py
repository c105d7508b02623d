"""The yardsticks a footprint is divided by — agents, inhabitants — checked where they are given.

At the base of the layers: ``greenit report``, ``estimate`` and ``ai plan`` (and a plan file's
``population``) follow the same rule, and ``greenit estimate`` checks its ``--headcount`` without
importing the report's result object.
"""

from __future__ import annotations

import numpy as np

from greenit.errors import GreenitError

#: more agents than any French employer has (the State: about 2.5 million): a slip
MAX_HEADCOUNT = 10_000_000


def check_headcount(headcount: object) -> None:
    """A GreenitError unless ``headcount`` is None or a number of agents (a whole number from 1
    to MAX_HEADCOUNT).
    """
    number = not isinstance(headcount, bool) and isinstance(headcount, (int, np.integer))
    if headcount is not None and not (number and 1 <= headcount <= MAX_HEADCOUNT):  # type: ignore[operator]
        raise GreenitError.of("results.headcount.invalid", headcount=str(headcount))


#: more inhabitants than France has (68 million): a slip
MAX_POPULATION = 100_000_000


def check_population(population: object) -> int | None:
    """``population`` as a whole number of inhabitants (1 to MAX_POPULATION), or None; else a
    GreenitError. A whole float (52000.0, a spreadsheet's cell) is that number; 52000.5 is a slip.
    """
    if population is None:
        return None
    whole = isinstance(population, (float, np.floating)) and float(population).is_integer()
    number = not isinstance(population, bool) and (isinstance(population, (int, np.integer)) or whole)
    if not (number and 1 <= population <= MAX_POPULATION):  # type: ignore[operator]
        raise GreenitError.of("council.population_invalid", population=str(population))
    return int(population)  # type: ignore[call-overload]
