"""What a command or a notebook asks greenit, in one typed object passed from the CLI to the API
to the pipelines.

:class:`Options` holds every option the inventory and AI commands share — the reference year,
the method, the country, the grid factor, the factor tables, the column mapping, the sheet, the
default category, the language, what to do with a missing file, the accelerator of a Slurm
export… — so that a function takes one ``options`` rather than a dozen parameters, and a new
option is one field here (and one declaration in :mod:`greenit.cli.common`). The public
functions of :mod:`greenit.api` still take the fields as keyword arguments (``year=2025``)
and build an ``Options`` from them::

    from greenit.options import Options
    options = Options(year=2025, method="flux")
    greenit.estimate_files(["inventaire.csv"], options)      # the same as
    greenit.estimate_files(["inventaire.csv"], year=2025, method="flux")

The values are kept as given; the API checks them before any file is read (a year of four
digits, a known country, the factor tables loaded, ``--column`` mappings parsed, the default
category resolved). Nothing is imported here: it is the base layer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

#: Former names of fields, still taken as keyword arguments (the same option, one name now).
ALIASES = {"carbon_intensity_kg_per_kwh": "grid_factor_kg_per_kwh"}


@dataclass(frozen=True)
class Options:
    """The options every inventory and AI command shares (each with its unit, and its default).

    Parameters
    ----------
    year : reference year, four digits, no later than next year [default: the last complete
        calendar year].
    method : ``amortised`` (BEGES: manufacture spread over the lifespan, default) or ``flux``
        (the whole manufacture in the purchase year).
    country : ISO 3166 alpha-3 code of the rows and runs that give no place [default FRA].
    grid_factor_kg_per_kwh : one carbon intensity [kgCO2e/kWh] for every row and run, replacing
        each place's (``--grid-factor``).
    factors : a :class:`~greenit.factors.FactorSet`, or a folder/CSV laid over the packaged
        tables (``--factors``).
    columns : header → canonical column for headers greenit cannot guess, as a mapping or as
        ``"HEADER=canonical"`` strings (``--column``).
    sheet : the XLSX sheet holding the table, by name or 1-based number.
    default_category : category of the rows whose type nothing determines (e.g. a GLPI
        Monitors export: ``"monitor"``, ``"écran"``), in French or English.
    lang : ``fr`` or ``en``: the language of what is written for people (None: the current one).
    on_missing : ``raise`` (the API's default: a missing file is an error before anything is
        read) or ``report`` (the CLI's: reported with the files that could not be read).
    accelerator : model of the accelerators of AI runs that do not name one (a Slurm export).
    keep_log_intensity : keep the emissions CodeCarbon computed with its own intensity instead
        of recomputing them with greenit's grid factor.
    pue : the PUE of the town's own server room, applied to its servers, storage and rack
        network gear (``--pue``, a number or text such as ``"1,7"``; None: a row's own ``pue``,
        else the sourced default of a small room).
    lifespan_rule : ``technique`` (technical life, default) or ``amortissement`` (accounting
        amortisation period), in French or English (``--lifespan-rule``).
    services : a file of the services the town buys — cloud, SaaS, hosting, telecom — and its
        own consumables purchases (``--services``).
    electricity_price : the price of a kWh, as typed (``"0,21 €/kWh"``, ``"172 €/MWh"``; said
        TTC, it is brought back excl. VAT) or a number [€/kWh excl. VAT] (``--electricity-price``)
        [default: ``electricity_price`` of ``parameters.csv``, with its range].
    price_basis : whether the file's prices include VAT when neither their header nor their cell
        says: ``ht`` or ``ttc`` (also ``hors taxes``, ``toutes taxes comprises``, ``excl-vat``,
        ``incl-vat``; ``--prices``) [default: read TTC, and said].
    """

    year: int | None = None
    method: str = "amortised"
    country: str = "FRA"
    grid_factor_kg_per_kwh: float | None = None
    factors: Any = None  # FactorSet | str | Path | None (not imported: this is the base layer)
    columns: Mapping[str, str] | Sequence[str] | None = None
    sheet: str | int | None = None
    default_category: str | None = None
    lang: str | None = None
    on_missing: str = "raise"
    accelerator: str | None = None
    keep_log_intensity: bool = False
    pue: float | str | None = None
    lifespan_rule: str | None = None
    services: Any = None  # str | Path | None
    electricity_price: str | float | None = None
    price_basis: str | None = None

    @classmethod
    def of(cls, options: Options | None = None, **values: Any) -> Options:
        """``options`` (default: all defaults) with the fields given as keywords replaced.

        A keyword that is no field (nor a former name of one, :data:`ALIASES`) is a TypeError,
        as for any function. ``None`` is a value like any other: ``Options.of(o, year=None)``
        asks for the default year.
        """
        names = {f.name for f in fields(cls)}
        changes: dict[str, Any] = {}
        for name, value in values.items():
            name = ALIASES.get(name, name)
            if name not in names:
                raise TypeError(f"unexpected keyword argument {name!r} (Options has {sorted(names)})")
            changes[name] = value
        base = options if options is not None else cls()
        if not isinstance(base, Options):
            raise TypeError(f"options must be an Options, not {type(base).__name__}")
        return replace(base, **changes) if changes else base
