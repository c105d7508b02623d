"""Self-hosted AI runs: run logs → the ``runs`` frame → energy, usage and embodied emissions.

:mod:`~greenit.ai.runs.columns` (header aliases) → :mod:`~greenit.ai.runs.normalise` (with
:mod:`~greenit.ai.runs.quantities`, :mod:`~greenit.ai.runs.accelerators`,
:mod:`~greenit.ai.runs.places`) → :mod:`~greenit.ai.runs.inputs` → the pure
:mod:`~greenit.ai.runs.model` → :mod:`~greenit.ai.runs.estimate`. The plausible ranges of what a
log gives are :mod:`~greenit.ai.runs.limits`.

Nothing is imported here, so that ``greenit track`` can read :mod:`greenit.ai.runs.limits`
without pandas.
"""
