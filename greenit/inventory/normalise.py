"""Raw inventory frame → normalised frame: canonical columns, units, categories, flags.

Every input row stays, in input order. A row that cannot be estimated gets a ``reason``
naming the column and the value; nothing is dropped. Quantities are floats in canonical
units (suffix ``_w``, ``_kwh``, ``_years``…); values the file does not give stay NaN here and
are filled from the factor tables by :mod:`greenit.footprint`, so the result can say which
values were defaults.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.errors import InputFileError
from greenit.factors import FactorSet
from greenit.i18n import Message, msg
from greenit.inventory.categories import GENERIC_LABELS, match_category, suggest_categories
from greenit.inventory.columns import INVENTORY_ALIASES
from greenit.inventory.status import status_kind
from greenit.parsing.countries import country_code
from greenit.parsing.dates import parse_date_column
from greenit.parsing.flags import Flags
from greenit.parsing.frames import as_categorical, parse_quantities, text_column, text_values
from greenit.parsing.headers import map_headers
from greenit.parsing.readers import data_headers
from greenit.parsing.text import fold, fold_words

#: Canonical inventory columns (DESIGN.md), in output order.
INVENTORY_COLUMNS = [
    "category",
    "quantity",
    "manufacturer",
    "model",
    "entity",
    "site",
    "status",
    "purchase_date",
    "lifespan_years",
    "power_w",
    "annual_kwh",
    "use_hours_per_year",
    "country",
    "refurbished",
    "manufacture_kgco2e",
]

_QUANTITY_COLUMNS = {
    "quantity": "dimensionless",
    "lifespan_years": "year",
    "power_w": "W",
    "annual_kwh": "kWh/year",
    "use_hours_per_year": "hour/year",
    "manufacture_kgco2e": "kg",
}

_TRUE = {
    "oui",
    "yes",
    "true",
    "vrai",
    "1",
    "x",
    "o",
    "y",
    "reconditionne",
    "refurbished",
    "occasion",
    "seconde main",
}
_FALSE = {"non", "no", "false", "faux", "0", "n", "neuf", "new"}


def _category_resolver(factors: FactorSet):
    table = factors.devices
    extra: dict[str, str] = {}
    for category, row in table.iterrows():
        for label in (category, row.get("label_fr"), row.get("label_en")):
            if isinstance(label, str):
                extra[fold_words(label)] = category

    def resolve(label: object) -> str | None:
        if label is None or label is pd.NA:
            return None
        found = extra.get(fold_words(str(label))) or match_category(label)
        return found

    return resolve


def normalise_inventory(
    raw: pd.DataFrame,
    factors: FactorSet,
    *,
    default_country: str = "FRA",
) -> pd.DataFrame:
    """Map headers, parse units, recognise categories and statuses; flag what is wrong.

    Parameters
    ----------
    raw : DataFrame
        As returned by :func:`greenit.readers.read_table` (with ``file`` and ``row``).
    factors : FactorSet
        Used for the known categories and countries.
    default_country : str
        ISO 3166 alpha-3 code used where the file gives none [default FRA].

    Returns
    -------
    DataFrame
        One row per input row, in input order, with the canonical columns, ``status_kind``,
        ``category_label`` (the text the category came from) and ``reason`` ("" when fine).
    """
    headers = map_headers(data_headers(raw), INVENTORY_ALIASES)
    if not {"category", "model", "item_type"} & set(headers):
        path = raw["file"].iloc[0] if len(raw) else "input"
        raise InputFileError.of(
            "inventory.no_type_column",
            "inventory.no_type_column_hint",
            path=str(path),
            columns=", ".join(data_headers(raw))[:200],
        )
    flags = Flags(len(raw))
    out = pd.DataFrame(
        {"file": as_categorical(raw["file"]), "row": raw["row"], "line": raw["line"]}, index=raw.index
    )
    if "name" in headers:
        out["name"] = raw[headers["name"].header]
    else:
        out["name"] = pd.Series(pd.NA, index=raw.index, dtype="string")
    for column in ("manufacturer", "model", "entity", "site"):
        match = headers.get(column)
        out[column] = text_column(raw, match.header if match else None)

    # category: Type first, then the model line when Type is empty or generic
    resolve = _category_resolver(factors)
    type_text = text_column(raw, headers["category"].header if "category" in headers else None)
    category = as_categorical(type_text, resolve)
    missing = category.isna().to_numpy()
    # when Type is empty or generic ("Ordinateur"): the model line, then GLPI's item type
    for fallback in ("model", "item_type"):
        missing = category.isna().to_numpy()
        if missing.any() and fallback in headers:
            source = out["model"] if fallback == "model" else text_column(raw, headers["item_type"].header)
            found = as_categorical(source.where(missing), resolve)
            category = as_categorical(category.astype(object).where(~missing, found.astype(object)))
    out["category"] = category
    out["category_label"] = type_text
    unknown = category.isna().to_numpy()
    if unknown.any():
        no_label = unknown & type_text.isna().to_numpy()
        labelled = unknown & ~no_label
        reasons = as_categorical(type_text.where(labelled), _unknown_category_reason)
        flags.add(labelled, text_values(reasons, labelled), masked=True)
        models = text_values(out["model"], no_label)
        flags.add(
            no_label,
            [
                msg("inventory.category.empty_model_unknown", model=m)
                if m
                else msg("inventory.category.empty")
                for m in models
            ],
            masked=True,
        )

    parse_quantities(raw, headers, _QUANTITY_COLUMNS, out, flags)
    out = out.rename(columns={"manufacture_kgco2e": "given_manufacture_kgco2e"})
    quantity = out["quantity"].to_numpy()
    quantity_header = headers["quantity"].header if "quantity" in headers else "quantity"
    flags.add(quantity == 0, msg("inventory.quantity_zero", column=quantity_header))
    out["quantity"] = np.where(np.isnan(quantity), 1.0, quantity)
    lifespan = out["lifespan_years"].to_numpy()
    flags.add(lifespan == 0, msg("inventory.lifespan_zero"))

    for column in ("purchase_date", "retirement_date"):
        match = headers.get(column)
        if match is None:
            out[column] = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
            continue
        dates, errors = parse_date_column(raw[match.header], match.header)
        out[column] = dates
        flags.add(pd.notna(errors), errors)

    status_match = headers.get("status")
    status_text = text_column(raw, status_match.header if status_match else None)
    out["equipment_status"] = status_text
    out["status_kind"] = as_categorical(status_text.astype(object).fillna(""), status_kind)

    known = set(factors.electricity.index)
    country_match = headers.get("country")
    if country_match is None:
        out["country"] = pd.Categorical.from_codes(
            np.zeros(len(raw), dtype=np.int64), categories=[default_country]
        )
    else:
        country_text = text_column(raw, country_match.header)
        codes = as_categorical(country_text, lambda v: country_code(v, known))
        given = country_text.notna().to_numpy()
        bad = given & codes.isna().to_numpy()
        flags.add_each(bad, country_text, "inventory.country_unknown", column=country_match.header)
        out["country"] = as_categorical(codes.astype(object).where(given, default_country))

    refurbished_match = headers.get("refurbished")
    if refurbished_match is None:
        out["refurbished_share"] = 0.0
    else:
        text = text_column(raw, refurbished_match.header)
        folded = as_categorical(text, fold)
        is_true = folded.isin(_TRUE).to_numpy()
        is_false = folded.isin(_FALSE).to_numpy() | folded.isna().to_numpy()
        bad = ~is_true & ~is_false
        flags.add_each(bad, text, "inventory.refurbished_not_yes_no", column=refurbished_match.header)
        out["refurbished_share"] = is_true.astype(float)

    out["reason"] = flags.reasons
    return out.reset_index(drop=True)


def _unknown_category_reason(label: object) -> Message | None:
    if label is None or label is pd.NA:
        return None
    if fold_words(str(label)) in GENERIC_LABELS:
        return msg("inventory.category.generic", label=str(label))
    suggestions = suggest_categories(label)
    if suggestions:
        return msg("inventory.category.unknown_closest", label=str(label), closest=suggestions)
    return msg("inventory.category.unknown", label=str(label))
