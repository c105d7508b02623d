"""Live measurement of a command: ``greenit track -- COMMAND`` and ``with greenit.track(...)``.

:mod:`~greenit.tracking.supervisor` (the run's sequence and its signals) over
:mod:`~greenit.tracking.measurement` (CodeCarbon, offline, with greenit's grid factor),
:mod:`~greenit.tracking.child` (the command's process group) and
:mod:`~greenit.tracking.tracklog` (whole-line appends to the run log). The log's format — its
columns and checkpoint rows, as :mod:`greenit.ai.runs` reads it — is
:mod:`greenit.parsing.formats.tracklog`.

(Named ``tracking``, not ``track``: ``greenit.track`` is the public context manager.)
Nothing is imported here, and nothing below imports pandas or pint: a tracked command's
start-up must not wait for them.
"""
