"""Live measurement of a command: ``greenit track -- COMMAND`` and ``with greenit.track(...)``.

:mod:`~greenit.tracking.supervisor` (the command's run: its sequence and its signals) and
:mod:`~greenit.tracking.context` (``greenit.track``: a block, or each call of a function,
coroutine or generator) over :mod:`~greenit.tracking.measurement` (one run and its rows),
:mod:`~greenit.tracking.meter` (the process's one CodeCarbon tracker, offline, shared out between
the runs measured at once), :mod:`~greenit.tracking.child` (the command's process group),
:mod:`~greenit.tracking.leftovers` (what a command left running) and
:mod:`~greenit.tracking.tracklog` (whole-line appends to the run log). The log's format — its
columns and checkpoint rows, as :mod:`greenit.ai.runs` reads it — is
:mod:`greenit.parsing.formats.tracklog`.

(Named ``tracking``, not ``track``: ``greenit.track`` is the public context manager.)
Nothing is imported here, and nothing below imports pandas or pint: a tracked command's
start-up must not wait for them.
"""
