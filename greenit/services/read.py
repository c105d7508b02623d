"""A services file → one typed line per service bought, each with its reason when it has one.

The file (CSV or XLSX, French or English headers) names each service, its nature and one or more
quantities: the yearly spend in € excl. VAT, users, lines, GB (transferred for telecom, stored
for cloud, hosting and SaaS), or the footprint the supplier gives [kgCO2e/year]. Every line
stays: a line greenit cannot read (an unknown nature, no quantity, a value that is no number, an
amount including VAT) gets its reason, with its file and line. Headers greenit does not use are
listed, never silently dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from greenit.errors import InputFileError
from greenit.flags import Flags
from greenit.i18n import Message, msg
from greenit.parsing.headers import match_headers
from greenit.parsing.readers import all_headers, read_table
from greenit.parsing.text import fold
from greenit.parsing.units import parse_number, parse_quantity_column
from greenit.services.natures import NATURE_WORDS, nature_of

#: Canonical column → its headers, preferred first (folded words; a unit may be in brackets).
SERVICE_ALIASES: dict[str, list[str]] = {
    "service": ["service", "prestation", "libelle", "designation", "nom du service", "nom", "name", "objet"],
    "nature": ["nature", "type de service", "type", "categorie", "category", "kind", "famille"],
    "spend_eur": [
        "depense annuelle",
        "depense annuelle ht",
        "montant annuel",
        "montant annuel ht",
        "montant ht",
        "montant",
        "cout annuel",
        "budget annuel",
        "depense",
        "yearly spend",
        "annual spend",
        "spend",
        "annual cost",
        "amount",
    ],
    "users": [
        "utilisateurs",
        "nombre d utilisateurs",
        "users",
        "number of users",
        "licences",
        "comptes",
        "seats",
    ],
    "lines": [
        "lignes",
        "nombre de lignes",
        "lines",
        "number of lines",
        "abonnements",
        "subscriptions",
        "acces",
    ],
    "gb": [
        "volume",
        "go",
        "volume de donnees",
        "donnees",
        "stockage",
        "gb",
        "data volume",
        "data",
        "storage",
    ],
    "given_kgco2e": [
        "empreinte connue",
        "empreinte fournisseur",
        "empreinte",
        "empreinte carbone",
        "known footprint",
        "supplier footprint",
        "footprint",
        "emissions",
    ],
    "comment": ["commentaire", "commentaires", "remarque", "notes", "comment", "comments"],
}
#: The quantities a line may give, in the order a factor is looked for (physical data first).
QUANTITIES = ("given_kgco2e", "gb", "lines", "spend_eur", "users")
#: The columns of a services line as read (what a recorded year keeps to estimate it again).
SERVICE_LINE_COLUMNS = ["file", "row", "line", "nature_label", "nature", "service", *QUANTITIES, "reason"]
_TARGETS = {"gb": "GB", "given_kgco2e": "kg/year", "lines": "dimensionless", "users": "dimensionless"}
_BOUNDS = {"gb": (0, 1e12), "given_kgco2e": (0, 1e9), "lines": (0, 1e7), "users": (0, 1e8)}
_TTC = re.compile(r"\bttc\b|\bt t c\b|toutes taxes|incl(uding)? vat|inc vat|tva (comprise|incluse)")
_EURO_WORDS = re.compile(r"€|\beuros?\b|\beur\b|\bht\b|\bh\.t\.?|hors taxes?|excl\.? vat|excluding vat", re.I)
_THOUSANDS = re.compile(r"k\s*€|\bk(?=\s*eur)|(?<=\d)\s*k\b", re.I)


def read_services(path: str | Path, *, sheet: str | int | None = None) -> pd.DataFrame:
    """The lines of a services file: ``file, row, line, service, nature, nature_label``, the
    quantities (``spend_eur, users, lines, gb, given_kgco2e``; NaN where not given) and
    ``reason`` (missing where the line can be read). ``attrs["columns"]``: headers used, ignored.
    """
    raw = read_table(path, sheet=sheet)
    report = match_headers(all_headers(raw), SERVICE_ALIASES)
    headers = report.matches
    if "nature" not in headers:
        raise InputFileError.of(
            "services.no_nature_column",
            "services.no_nature_column_hint",
            path=str(path),
            columns=", ".join(all_headers(raw))[:200],
        )
    flags = Flags(len(raw))
    out = pd.DataFrame({"file": raw["file"].astype(str), "row": raw["row"], "line": raw["line"]})
    label = raw[headers["nature"].header].astype(object)
    out["nature_label"] = label.where(label.notna(), None)
    out["nature"] = [nature_of(v) for v in out["nature_label"]]
    name = headers.get("service") or headers["nature"]
    out["service"] = raw[name.header].astype(object).where(raw[name.header].notna(), out["nature_label"])
    from greenit.i18n import Joined
    from greenit.parsing.totals import totals_rows

    totals = totals_rows(
        raw, [h.header for h in (headers["nature"], headers.get("service")) if h is not None]
    )
    flags.add(totals, msg("services.totals_row"))  # « Total » adds the others up: no service
    known = Joined(tuple(msg(f"services.nature.{nature}") for nature in NATURE_WORDS), ", ")
    unknown = out["nature"].isna().to_numpy() & ~totals
    flags.add_each(unknown, out["nature_label"], "services.nature_unknown", known=known)
    for column in QUANTITIES:
        out[column] = _quantity(raw, headers.get(column), column, flags)
    given = out[list(QUANTITIES)].notna().any(axis=1).to_numpy()
    flags.add(~given & ~unknown & ~totals, msg("services.no_quantity"))
    out["reason"] = flags.column()
    out.attrs["columns"] = {"used": report.used, "ignored": [i.header for i in report.ignored]}
    return out


def _quantity(raw: pd.DataFrame, match, column: str, flags: Flags) -> np.ndarray:
    """A quantity column as floats in its unit (NaN where empty); its bad cells flagged."""
    if match is None:
        return np.full(len(raw), np.nan)
    cells = raw[match.header]
    if column == "spend_eur":
        values, errors = spend_column(cells, match.header, match.unit)
        flags.add(np.array([e is not None for e in errors], dtype=bool), list(errors))
        return values
    parsed = parse_quantity_column(
        cells, _TARGETS[column], header_unit=match.unit, name=match.header, bounds=_BOUNDS[column]
    )
    flags.add(parsed.bad, parsed.errors)
    return parsed.values


def spend_column(cells: pd.Series, header: str, header_unit: str | None) -> tuple[np.ndarray, list]:
    """Yearly amounts [€ excl. VAT] from cells such as ``48 000 €``, ``12,5 k€ HT``; an amount
    that includes VAT (cell or header says TTC) or that is no number is a reason, not a value.

    >>> cells = pd.Series(["48 000 €", "12,5 k€ HT", None, "1 200 € TTC"])
    >>> values, errors = spend_column(cells, "Montant", None)
    >>> values.tolist()[:3], [e is None for e in errors]
    ([48000.0, 12500.0, nan], [True, True, True, False])
    """
    header_ttc = bool(_TTC.search(fold(f"{header} {header_unit or ''}")))
    header_thousands = bool(header_unit and _THOUSANDS.search(header_unit))
    values = np.full(len(cells), np.nan)
    errors: list[Message | None] = [None] * len(cells)
    for i, cell in enumerate(cells.tolist()):
        if cell is None or (isinstance(cell, float) and np.isnan(cell)) or str(cell).strip() == "":
            continue
        value, error = _spend_cell(str(cell), header_ttc, header_thousands)
        values[i] = value
        if error is not None:
            errors[i] = msg("services.spend_bad", column=header, value=str(cell)[:40], error=error)
    return values, errors


def _spend_cell(text: str, header_ttc: bool, header_thousands: bool) -> tuple[float, Message | None]:
    if header_ttc or _TTC.search(fold(text)):
        return np.nan, msg("services.spend_ttc")
    factor = 1000.0 if header_thousands or _THOUSANDS.search(text) else 1.0
    cleaned = _EURO_WORDS.sub(" ", _THOUSANDS.sub(" ", text)).strip()
    try:
        value = parse_number(cleaned) * factor
    except ValueError:
        return np.nan, msg("services.spend_not_a_number")
    if not np.isfinite(value) or value < 0 or value > 1e10:
        return np.nan, msg("services.spend_out_of_range")
    return value, None
