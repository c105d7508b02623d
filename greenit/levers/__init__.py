"""Levers: what a town could change, and what it would change in tCO2e — one word, one place.

- :mod:`~greenit.levers.specs` — a lever as typed (``lifespan+2:portables``, ``grid=32g/kWh``,
  ``model=mistral-small-latest``) → a :class:`~greenit.levers.specs.Lever`;
- :mod:`~greenit.levers.inventory` — inventory levers (lifespan, refurbished, reuse);
- :mod:`~greenit.levers.runs` — levers on self-hosted AI runs (PUE, region, energy per request);
- :mod:`~greenit.levers.hosted` — levers on hosted generative AI (model, requests);
- :mod:`~greenit.levers.compare` — the baseline and each lever, alone or cumulated.
"""

#: The levers of ``greenit report`` when none are given (here, not in ``compare``: the API's
#: signatures name them without importing the levers, which ``greenit estimate`` never uses).
DEFAULT_LEVERS = ("lifespan+2", "refurbished=30%", "reuse=50%")
