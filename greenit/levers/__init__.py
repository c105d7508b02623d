"""Levers: what a town could change, and what it would change in tCO2e — one word, one place.

- :mod:`~greenit.levers.specs` — a lever as typed (``lifespan+2:portables``, ``grid=32g/kWh``,
  ``model=mistral-small-latest``) → a :class:`~greenit.levers.specs.Lever`;
- :mod:`~greenit.levers.inventory` — inventory levers (lifespan, refurbished, reuse);
- :mod:`~greenit.levers.runs` — levers on self-hosted AI runs (PUE, region, energy per request);
- :mod:`~greenit.levers.hosted` — levers on hosted generative AI (model, requests);
- :mod:`~greenit.levers.compare` — the baseline and each lever, alone or cumulated.
"""
