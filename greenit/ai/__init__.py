"""The AI pipeline: run logs → normalised runs → energy, usage and embodied emissions; live tracking.

Empty on purpose: ``greenit.track`` imports :mod:`greenit.ai.tracking`, which must stay free of
pandas and pint to add as little as possible to a tracked command's start-up.
"""
