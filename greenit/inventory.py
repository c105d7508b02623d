"""Raw inventory frame → normalised frame: canonical columns, units, categories, flags.

Every input row stays, in input order. A row that cannot be estimated gets a ``reason``
naming the column and the value; nothing is dropped. Quantities are floats in canonical
units (suffix ``_w``, ``_kwh``, ``_years``…); values the file does not give stay NaN here and
are filled from the factor tables by :mod:`greenit.footprint`, so the result can say which
values were defaults.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from greenit.categories import GENERIC_LABELS, match_category, suggest_categories
from greenit.columns import INVENTORY_ALIASES, map_headers
from greenit.errors import InputFileError
from greenit.factors import FactorSet
from greenit.flags import Flags
from greenit.text import fold, fold_words
from greenit.units import parse_quantity_column

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

STATUS_WORDS: list[tuple[str, tuple[str, ...]]] = [
    (
        "reused",
        (
            "reemploi",
            "reemploye",
            "reutilise",
            "reutilisation",
            "donne",
            "don",
            "vendu",
            "cede",
            "reused",
            "donated",
            "sold",
            "re employ",
        ),
    ),
    (
        "retired",
        (
            "reforme",
            "retired",
            "hors service",
            "rebut",
            "recycle",
            "retire",
            "detruit",
            "decommissioned",
            "disposed",
            "hors d usage",
            "a reformer",
            "perdu",
            "vole",
            "lost",
            "stolen",
            "end of life",
            "fin de vie",
        ),
    ),
    (
        "stock",
        (
            "stock",
            "spare",
            "reserve",
            "a deployer",
            "to deploy",
            "reparation",
            "repair",
            "maintenance",
            "en attente",
            "pending",
            "magasin",
        ),
    ),
    (
        "in_service",
        (
            "en service",
            "in service",
            "production",
            "actif",
            "active",
            "in use",
            "utilise",
            "utilisation",
            "deploye",
            "deployed",
            "pret",
            "affecte",
            "assigned",
            "operational",
            "en fonctionnement",
            "used",
        ),
    ),
]

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

_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T].*)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T].*)?$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})[-/.](\d{4})$"), ("m", "y")),
    (re.compile(r"^(\d{4})$"), ("y",)),
]

COUNTRY_NAMES = {
    "france": "FRA",
    "allemagne": "DEU",
    "germany": "DEU",
    "belgique": "BEL",
    "belgium": "BEL",
    "espagne": "ESP",
    "spain": "ESP",
    "italie": "ITA",
    "italy": "ITA",
    "suisse": "CHE",
    "switzerland": "CHE",
    "royaume uni": "GBR",
    "united kingdom": "GBR",
    "uk": "GBR",
    "pays bas": "NLD",
    "netherlands": "NLD",
    "luxembourg": "LUX",
    "portugal": "PRT",
    "irlande": "IRL",
    "ireland": "IRL",
    "suede": "SWE",
    "sweden": "SWE",
    "norvege": "NOR",
    "norway": "NOR",
    "pologne": "POL",
    "poland": "POL",
    "autriche": "AUT",
    "austria": "AUT",
    "etats unis": "USA",
    "united states": "USA",
    "usa": "USA",
    "us": "USA",
    "canada": "CAN",
    "chine": "CHN",
    "china": "CHN",
    "inde": "IND",
    "india": "IND",
    "japon": "JPN",
    "japan": "JPN",
    "monde": "WOR",
    "world": "WOR",
    "fr": "FRA",
    "de": "DEU",
    "be": "BEL",
    "es": "ESP",
    "it": "ITA",
    "ch": "CHE",
    "gb": "GBR",
    "nl": "NLD",
    "lu": "LUX",
    "pt": "PRT",
    "ie": "IRL",
    "se": "SWE",
    "no": "NOR",
    "pl": "POL",
    "at": "AUT",
    "ca": "CAN",
    "cn": "CHN",
    "in": "IND",
    "jp": "JPN",
    "dk": "DNK",
    "danemark": "DNK",
    "denmark": "DNK",
    "fi": "FIN",
    "finlande": "FIN",
    "finland": "FIN",
    "gr": "GRC",
    "grece": "GRC",
    "greece": "GRC",
    "cz": "CZE",
    "tchequie": "CZE",
    "czechia": "CZE",
    "ro": "ROU",
    "roumanie": "ROU",
    "romania": "ROU",
    "hu": "HUN",
    "hongrie": "HUN",
    "hungary": "HUN",
}


def parse_quantities(
    raw: pd.DataFrame, headers: dict, targets: dict[str, str], out: pd.DataFrame, flags: Flags
) -> None:
    """Each canonical quantity column into ``out`` as floats in its unit; bad cells flagged.

    A column the file lacks becomes NaN (the factor tables fill it later).
    """
    for column, target in targets.items():
        match = headers.get(column)
        if match is None:
            out[column] = np.nan
            continue
        parsed = parse_quantity_column(raw[match.header], target, header_unit=match.unit, name=match.header)
        out[column] = parsed.values
        flags.add(parsed.bad, parsed.errors)


def as_categorical(values: pd.Series | np.ndarray, function=None) -> pd.Series:
    """A text column as a Categorical, ``function`` applied to each distinct value only.

    Big inventories repeat a few hundred labels over a million rows: working on the distinct
    values and keeping integer codes is what keeps normalising fast and lean. ``function``
    maps a value to a string or None (None becomes a missing value).
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if function is None:
        mapped = [None if str(u).strip() == "" else str(u).strip() for u in uniques]
    else:
        mapped = [function(u) for u in uniques]
    categories = pd.unique(pd.Series([m for m in mapped if m is not None], dtype=object))
    lookup = {c: i for i, c in enumerate(categories)}
    recode = np.array([lookup[m] if m is not None else -1 for m in mapped] + [-1], dtype=np.int64)
    new_codes = recode[np.where(codes >= 0, codes, len(uniques))]
    index = values.index if isinstance(values, pd.Series) else None
    return pd.Series(
        pd.Categorical.from_codes(new_codes, categories=pd.Index(categories, dtype=object)), index=index
    )


def _text_column(raw: pd.DataFrame, header: str | None) -> pd.Series:
    """A text column, stripped, empty cells missing, as a Categorical."""
    if header is None:
        return pd.Series(
            pd.Categorical([None] * len(raw), categories=pd.Index([], dtype=object)), index=raw.index
        )
    return as_categorical(raw[header])


def _text_values(column: pd.Series, mask: np.ndarray) -> np.ndarray:
    """The cells of ``column`` where ``mask`` holds, as plain strings ('' for missing)."""
    return np.asarray(column[mask].astype(object).where(column[mask].notna(), ""), dtype=object)


def parse_date(value: object) -> tuple[pd.Timestamp | None, str]:
    """One date as users write it (ISO, DD-MM-YYYY, DD/MM/YYYY, YYYY) → (timestamp, error)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None, ""
    if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "year"):
        return pd.Timestamp(value), ""
    text = str(value).strip().replace("\u00a0", " ")
    if not text:
        return None, ""
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return pd.Timestamp(parts["y"], parts.get("m", 1), parts.get("d", 1)), ""
            except ValueError:
                break
    return None, f"'{text}' is not a date (expected DD-MM-YYYY or YYYY-MM-DD)"


def parse_date_column(column: pd.Series, name: str) -> tuple[np.ndarray, np.ndarray]:
    """A column of dates (any of :func:`parse_date`'s forms) → (datetime64[ns], error reasons)."""
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return column.to_numpy(dtype="datetime64[ns]"), np.full(len(column), "", dtype=object)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    parsed = [parse_date(value) for value in uniques]
    unique_dates = np.array(
        [p[0] if p[0] is not None else np.datetime64("NaT") for p in parsed] + [np.datetime64("NaT")],
        dtype="datetime64[ns]",
    )
    unique_errors = np.array([f"{name}: {p[1]}" if p[1] else "" for p in parsed] + [""], dtype=object)
    positions = np.where(codes >= 0, codes, len(uniques))
    return unique_dates[positions], unique_errors[positions]


def status_kind(label: object) -> str:
    """Equipment status label (GLPI Statut, free text) → in_service | stock | retired | reused | unknown.

    ``reused`` is equipment sent to réemploi / réutilisation (donated, sold, reused): it left
    the fleet but counts in the AGEC reuse rate.
    """
    if label is None or label is pd.NA:
        return "in_service"
    folded = f" {fold(label)} "
    if folded.strip() == "":
        return "in_service"
    for kind, words in STATUS_WORDS:
        if any(f" {word} " in folded for word in words):
            return kind
    return "unknown"


def country_code(label: object, known: set[str]) -> str | None:
    """'France', 'FR', 'fra' → 'FRA'; None when not recognised."""
    if label is None or label is pd.NA:
        return None
    text = str(label).strip()
    if text.upper() in known:
        return text.upper()
    return COUNTRY_NAMES.get(fold(text))


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
    headers = map_headers([c for c in raw.columns if c not in ("file", "row")], INVENTORY_ALIASES)
    if not {"category", "model", "item_type"} & set(headers):
        path = raw["file"].iloc[0] if len(raw) else "input"
        raise InputFileError(
            f"{path}: no column says what each device is (looked for Type, Catégorie, category, "
            f"Modèle); columns found: {', '.join(c for c in raw.columns if c not in ('file', 'row'))[:200]}",
            "rename the column holding the device type to 'Type' or 'category'",
        )
    flags = Flags(len(raw))
    out = pd.DataFrame({"file": as_categorical(raw["file"]), "row": raw["row"]}, index=raw.index)
    if "name" in headers:
        out["name"] = raw[headers["name"].header]
    else:
        out["name"] = pd.Series(pd.NA, index=raw.index, dtype="string")
    for column in ("manufacturer", "model", "entity", "site"):
        match = headers.get(column)
        out[column] = _text_column(raw, match.header if match else None)

    # category: Type first, then the model line when Type is empty or generic
    resolve = _category_resolver(factors)
    type_text = _text_column(raw, headers["category"].header if "category" in headers else None)
    category = as_categorical(type_text, resolve)
    missing = category.isna().to_numpy()
    # when Type is empty or generic ("Ordinateur"): the model line, then GLPI's item type
    for fallback in ("model", "item_type"):
        missing = category.isna().to_numpy()
        if missing.any() and fallback in headers:
            source = out["model"] if fallback == "model" else _text_column(raw, headers["item_type"].header)
            found = as_categorical(source.where(missing), resolve)
            category = as_categorical(category.astype(object).where(~missing, found.astype(object)))
    out["category"] = category
    out["category_label"] = type_text
    unknown = category.isna().to_numpy()
    if unknown.any():
        no_label = unknown & type_text.isna().to_numpy()
        reasons = as_categorical(type_text.where(unknown & ~no_label), _unknown_category_reason)
        flags.add(unknown & ~no_label, _text_values(reasons, np.ones(len(raw), bool)))
        models = _text_values(out["model"], no_label)
        flags.add(
            no_label,
            np.array(
                [
                    f"category: Type is empty and the model '{m}' does not tell; fill in Type"
                    if m
                    else "category: Type is empty; fill in the device type (portable, écran, imprimante…)"
                    for m in models
                ],
                dtype=object,
            ),
            masked=True,
        )

    parse_quantities(raw, headers, _QUANTITY_COLUMNS, out, flags)
    quantity = out["quantity"].to_numpy()
    quantity_header = headers["quantity"].header if "quantity" in headers else "quantity"
    flags.add(quantity == 0, f"{quantity_header}: 0 devices")
    out["quantity"] = np.where(np.isnan(quantity), 1.0, quantity)
    lifespan = out["lifespan_years"].to_numpy()
    flags.add(lifespan == 0, "lifespan: 0 years; leave it empty to use the table's lifespan")

    for column in ("purchase_date", "retirement_date"):
        match = headers.get(column)
        if match is None:
            out[column] = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
            continue
        dates, errors = parse_date_column(raw[match.header], match.header)
        out[column] = dates
        flags.add(errors != "", errors)

    status_match = headers.get("status")
    status_text = _text_column(raw, status_match.header if status_match else None)
    out["status"] = status_text
    out["status_kind"] = as_categorical(status_text.astype(object).fillna(""), status_kind)

    known = set(factors.electricity.index)
    country_match = headers.get("country")
    if country_match is None:
        out["country"] = pd.Categorical.from_codes(
            np.zeros(len(raw), dtype=np.int64), categories=[default_country]
        )
    else:
        country_text = _text_column(raw, country_match.header)
        codes = as_categorical(country_text, lambda v: country_code(v, known))
        given = country_text.notna().to_numpy()
        bad = given & codes.isna().to_numpy()
        flags.add_each(
            bad,
            country_text,
            f"{country_match.header}: '{{}}' is not a known country (ISO 3166 alpha-3 code, e.g. FRA)",
        )
        out["country"] = as_categorical(codes.astype(object).where(given, default_country))

    refurbished_match = headers.get("refurbished")
    if refurbished_match is None:
        out["refurbished"] = False
    else:
        text = _text_column(raw, refurbished_match.header)
        folded = as_categorical(text, fold)
        is_true = folded.isin(_TRUE).to_numpy()
        is_false = folded.isin(_FALSE).to_numpy() | folded.isna().to_numpy()
        bad = ~is_true & ~is_false
        flags.add_each(bad, text, f"{refurbished_match.header}: '{{}}' is not yes/no (oui/non)")
        out["refurbished"] = is_true

    out["reason"] = flags.reasons
    return out.reset_index(drop=True)


def _unknown_category_reason(label: object) -> str | None:
    if label is None or label is pd.NA:
        return None
    if fold_words(str(label)) in GENERIC_LABELS:
        return (
            f"category: '{label}' does not say which kind of device; "
            "give the Type (portable, unité centrale, écran…) or a known model"
        )
    suggestions = suggest_categories(label)
    hint = f" (closest: {', '.join(suggestions)})" if suggestions else ""
    return f"category: '{label}' is not a known device type{hint}"
