"""The local history: one SQLite file that keeps each recorded year, restates it, tracks targets.

A year is recorded with what is needed to estimate it again — the normalised inventory rows
(and AI runs), the options, the factor tables it was estimated with and the user's own
``--factors`` tables — beside the result it gave. So a year recorded with older factors can be
*restated*: estimated again from its own rows with today's tables, as the GHG Protocol asks
of a base year, and two years compared on one method.

Modules: ``migrations`` (the schema and its versions), ``store`` (the file: identity, locks,
one transaction per command), ``frames`` (a frame as Parquet bytes, messages included),
``snapshots`` (factor tables kept and laid again), ``records`` (what a year holds),
``restate`` (a year estimated again), ``compare`` (two years and what moved), ``targets``
(REEN trajectories), ``evolution`` (the report's section) and ``book`` (:class:`History`,
the verbs a notebook and the CLI call).
"""
