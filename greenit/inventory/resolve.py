"""Which category each row is, and how that was decided (``category_source``).

In order, per row: the Type column, then the model line, then GLPI's item type, then
``--default-category`` for rows nothing determines — the model and item type only where the
Type is empty, generic or a family: a Type the file gives that greenit does not know is flagged
as unknown, never overridden by a guess from the model's name. A Type whose meaning depends on the kind
of device — « Portable » (a laptop, or a mobile phone in a phones export), « Fixe » (a desktop,
or a desk phone) — is read with the row's own evidence first (its model, its manufacturer: a
Galaxy, a Yealink), then the file's (its name, headers only a computers export has). A label
naming something outside IT (an EV charging point) is flagged, never guessed; a family
(« Ordinateur », « Matériel réseau ») is flagged as ambiguous unless ``--default-category``
decides. Everything runs on the distinct
labels of a column, never row by row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from greenit.errors import GreenitError
from greenit.factors import FactorSet
from greenit.factors.labels import row_labels
from greenit.flags import Flags
from greenit.i18n import Message, msg
from greenit.inventory.categories import (
    CONTEXT_LABELS,
    FAMILY_LABELS,
    GENERIC_LABELS,
    OUTSIDE_IT_LABELS,
    closest_names,
    match_category,
    suggest_categories,
)
from greenit.parsing.frames import as_categorical, label_mask, text_values
from greenit.parsing.text import fold, fold_words

#: Longest label matched against the category vocabulary (a device type is a few words).
MAX_LABEL_CHARS = 200
#: Distinct unknown labels that get "closest categories" suggestions (difflib is slow).
MAX_SUGGESTED_LABELS = 500
#: GLPI item types (global view) that name a family of several categories.
ITEM_TYPE_FAMILIES = {
    **FAMILY_LABELS,
    "telephone": ("ip_phone", "smartphone", "dect_phone"),
    "phone": ("ip_phone", "smartphone", "dect_phone"),
}
#: How a row's category was decided (``category_source``).
SOURCES = ("type", "model", "item_type", "default")
#: Families used to read context labels (« Portable », « Fixe »).
CONTEXT_FAMILY = {
    **dict.fromkeys(("smartphone", "ip_phone", "dect_phone", "basic_phone", "ipbx"), "phone"),
    **dict.fromkeys(("laptop", "desktop", "all_in_one", "workstation", "thin_client"), "computer"),
}
#: Manufacturers that make telephones only: a « Fixe » of theirs is a desk phone.
PHONE_MAKERS = (
    "yealink",
    "polycom",
    "poly",
    "snom",
    "gigaset",
    "alcatel lucent",
    "avaya",
    "mitel",
    "grandstream",
    "fanvil",
    "aastra",
    "spectralink",
    "ascom",
)
_CONTEXT_WORDS = {
    "phone": ("phone", "telephone", "mobile", "telephonie"),
    "computer": ("computer", "ordinateur", "poste", "systeme exploitation", "processeur", "processor"),
}


@dataclass(frozen=True)
class Labels:
    """The texts a row's category can come from (Categoricals, missing where empty)."""

    type: pd.Series
    model: pd.Series
    item_type: pd.Series
    name: pd.Series
    manufacturer: pd.Series


def category_resolver(factors: FactorSet):
    """A function label → category (or None), knowing the device table's own labels.

    Labels whose meaning depends on the device (« Portable », « Fixe ») give None here:
    :func:`resolve_categories` reads them with each row's evidence.
    """
    devices = factors.devices
    extra: dict[str, str] = {}
    for category, *labels in zip(
        devices.index, *(_column(devices, c) for c in ("label_fr", "label_en")), strict=True
    ):
        for label in (category, *labels):
            if isinstance(label, str):
                extra[fold_words(label)] = category

    def resolve(label: object) -> str | None:
        if label is None or label is pd.NA or len(str(label)) > MAX_LABEL_CHARS:
            return None
        folded = fold_words(str(label))
        if folded in CONTEXT_LABELS or is_outside_it(folded):
            return None
        return extra.get(folded) or match_category(label)

    return resolve


def _column(table: pd.DataFrame, column: str) -> list:
    return table[column].tolist() if column in table.columns else [None] * len(table)


def is_outside_it(folded: str) -> bool:
    """Whether a folded label names something that is not digital equipment."""
    padded = f" {folded} "
    return any(f" {phrase} " in padded for phrase in OUTSIDE_IT_LABELS)


def file_context(headers: list[str], path: str) -> str | None:
    """``phone`` or ``computer`` when the file says it is an export of one of them, else None.

    The signals are the file's name (« Téléphones.csv ») and headers only a computers export
    has (Système d'exploitation, Processeur); never a vote of its rows, so a result does not
    depend on how rows are split across files.
    """
    words = f" {fold(path.rsplit('/', 1)[-1])} {' '.join(fold(h) for h in headers)} "
    for family, signals in _CONTEXT_WORDS.items():
        if any(f" {w} " in words or f" {w}s " in words for w in signals):
            return family
    return None


def resolve_categories(
    labels: Labels,
    factors: FactorSet,
    flags: Flags,
    *,
    context: str | None,
    default_category: str | None,
    skip: np.ndarray,
) -> tuple[pd.Series, pd.Series]:
    """(category, category_source) of every row; flags the rows left without one (not ``skip``).

    The fallbacks (model, item type, default) look only at the rows still without a category:
    on a big export that resolves by its Type, they cost nothing.
    """
    resolve = category_resolver(factors)
    category = _with_context_labels(as_categorical(labels.type, resolve), labels, resolve, context)
    source = np.where(category.notna().to_numpy(), SOURCES.index("type"), -1)
    # a Type the file gives but greenit does not know (« Badgeuse ») is said, never replaced by a
    # guess from the model's name (a Kelio Visio is no videoconference system)
    open_type = _no_specific_label(labels.type)
    for name, column in (("model", labels.model), ("item_type", labels.item_type)):
        missing = np.flatnonzero(category.isna().to_numpy() & open_type)
        if not len(missing):
            break
        function = _item_type_resolver(resolve) if name == "item_type" else resolve
        found = as_categorical(column.iloc[missing], function)
        got = missing[found.notna().to_numpy()]
        category = _set(category, got, found.dropna().astype(object).to_numpy())
        source[got] = SOURCES.index(name)
    undetermined = category.isna().to_numpy() & ~skip
    outside = _outside_it_mask(labels, undetermined)
    if default_category is not None:
        defaulted = np.flatnonzero(undetermined & ~outside & _no_specific_label(labels.type))
        category = _set(category, defaulted, np.full(len(defaulted), default_category, dtype=object))
        source[defaulted] = SOURCES.index("default")
    _flag_undetermined(labels, category.isna().to_numpy() & ~skip, outside, flags, factors.devices)
    sources = pd.Categorical.from_codes(source, categories=pd.Index(SOURCES, dtype=object))
    return category, pd.Series(sources, index=labels.type.index)


def _set(category: pd.Series, positions: np.ndarray, values: np.ndarray) -> pd.Series:
    """``category`` (a Categorical) with ``values`` at ``positions``; the others untouched."""
    if not len(positions):
        return category
    new = [v for v in pd.unique(values) if v not in category.cat.categories]
    result = category.cat.add_categories(new) if new else category.copy()
    result.iloc[positions] = values
    return result


def _with_context_labels(category: pd.Series, labels: Labels, resolve, context: str | None) -> pd.Series:
    """Rows typed « Portable » or « Fixe »: a phone or a computer, from the model, the maker, the file."""
    in_context = label_mask(labels.type, lambda label: _context_key(label) is not None)
    if not in_context.any():
        return category
    key = as_categorical(labels.type, _context_key)
    model_family = as_categorical(
        labels.model.where(in_context), lambda v: CONTEXT_FAMILY.get(resolve(v) or "")
    )
    maker_family = as_categorical(labels.manufacturer.where(in_context), _maker_family)
    family = model_family.astype(object).where(model_family.notna(), maker_family.astype(object))
    family = family.fillna(context or "computer").to_numpy(dtype=object)
    keys = key.astype(object).to_numpy()
    values = category.astype(object).to_numpy()
    for label, readings in CONTEXT_LABELS.items():
        for reading, read_as in readings.items():
            values = np.where(in_context & (keys == label) & (family == reading), read_as, values)
    return as_categorical(pd.Series(values, index=category.index))


def _context_key(label: object) -> str | None:
    folded = fold_words(str(label)[:MAX_LABEL_CHARS])
    return folded if folded in CONTEXT_LABELS else None


def _maker_family(manufacturer: object) -> str | None:
    padded = f" {fold(str(manufacturer)[:MAX_LABEL_CHARS])} "
    return "phone" if any(f" {maker} " in padded for maker in PHONE_MAKERS) else None


def _item_type_resolver(resolve):
    def resolve_item_type(label: object) -> str | None:
        return None if fold_words(str(label)) in ITEM_TYPE_FAMILIES else resolve(label)

    return resolve_item_type


def _outside_it_mask(labels: Labels, rows: np.ndarray) -> np.ndarray:
    """Among ``rows``, those whose Type, model or name names something outside IT."""
    mask = np.zeros(len(labels.type), dtype=bool)
    positions = np.flatnonzero(rows)
    if not len(positions):
        return mask
    for column in (labels.type, labels.model, labels.name):
        marked = label_mask(
            column.iloc[positions], lambda v: is_outside_it(fold_words(str(v)[:MAX_LABEL_CHARS]))
        )
        mask[positions[marked]] = True
    return mask


def _no_specific_label(type_text: pd.Series) -> np.ndarray:
    """Rows whose Type is empty, generic or a family: the ones a default category may fill."""
    vague = label_mask(
        type_text, lambda v: fold_words(str(v)) in GENERIC_LABELS or fold_words(str(v)) in ITEM_TYPE_FAMILIES
    )
    return type_text.isna().to_numpy() | vague


def _flag_undetermined(
    labels: Labels, unknown: np.ndarray, outside: np.ndarray, flags: Flags, devices: pd.DataFrame
) -> None:
    """Flags the rows left without a category; categories named by their labels (fr/en)."""
    if not unknown.any():
        return
    names = row_labels(devices)
    outside = outside & unknown
    if outside.any():
        texts = _first_text(labels, np.flatnonzero(outside))
        flags.add(outside, [msg("inventory.category.outside_it", value=t) for t in texts], masked=True)
    rest = unknown & ~outside
    no_label = rest & labels.type.isna().to_numpy()
    labelled = rest & ~no_label
    suggested: list[int] = [0]
    positions = np.flatnonzero(labelled)
    reasons = as_categorical(labels.type.iloc[positions], lambda v: _unknown_reason(v, suggested, names))
    flags.add(labelled, list(reasons.astype(object)), masked=True)
    item_types = text_values(labels.item_type, no_label)
    models = text_values(labels.model, no_label)
    reasons_empty = [_empty_reason(m, t, names) for m, t in zip(models, item_types, strict=True)]
    flags.add(no_label, reasons_empty, masked=True)


def _first_text(labels: Labels, positions: np.ndarray) -> list[str]:
    """For each row at ``positions``: its Type, else its model, else its name."""
    text = labels.type.iloc[positions].astype(object).to_numpy()
    for column in (labels.model, labels.name):
        other = column.iloc[positions].astype(object).to_numpy()
        text = np.where(pd.isna(text), other, text)
    return ["" if pd.isna(t) else str(t) for t in text]


def _empty_reason(model: str, item_type: str, names: dict) -> Message:
    folded = fold_words(item_type) if item_type else ""
    if folded in ITEM_TYPE_FAMILIES:
        among = [names.get(c, c) for c in ITEM_TYPE_FAMILIES[folded]]  # in the reader's language
        return msg("inventory.category.family", label=item_type, among=among)
    if model:
        return msg("inventory.category.empty_model_unknown", model=model)
    return msg("inventory.category.empty")


def _unknown_reason(label: object, suggested: list[int], names: dict) -> Message | None:
    if label is None or label is pd.NA:
        return None
    text = str(label)
    shown = text if len(text) <= 60 else text[:60] + "…"
    folded = fold_words(text[:MAX_LABEL_CHARS])
    if len(text) > MAX_LABEL_CHARS:
        return msg("inventory.category.too_long", label=shown, length=len(text))
    if folded in GENERIC_LABELS:
        return msg("inventory.category.generic", label=shown)
    suggested[0] += 1
    suggestions = suggest_categories(text) if suggested[0] <= MAX_SUGGESTED_LABELS else []
    if suggestions:
        closest = [names.get(c, c) for c in suggestions]  # by their labels, in the reader's language
        return msg("inventory.category.unknown_closest", label=shown, closest=closest)
    return msg("inventory.category.unknown", label=shown)


def category_from_name(name: str, factors: FactorSet) -> str | None:
    """A category named by a user (``portable``, ``laptops``, ``Écrans``, ``monitor``), or None."""
    text = str(name).strip()
    if text in factors.devices.index:
        return text
    key = text.lower().replace("-", "_").replace(" ", "_")
    if key in factors.devices.index:
        return key
    in_context = CONTEXT_LABELS.get(fold_words(text))
    if in_context is not None:  # typed by a person: « portables » are laptops
        return in_context["computer"]
    return category_resolver(factors)(text)


def check_category_name(name: str, factors: FactorSet, *, option: str) -> str:
    """The category ``name`` stands for; GreenitError with the closest ones when none.

    The closest names and the list of categories are said in the reader's language (labels,
    short names such as « portables », codes), rendered when the error is shown.
    """
    category = category_from_name(name, factors)
    if category is None or category not in factors.devices.index:
        labels = row_labels(factors.devices)
        closest = closest_names(name, labels)
        key = "inventory.category_option_unknown" if closest else "inventory.category_option_none"
        raise GreenitError.of(
            key,
            "inventory.category_option_hint",
            option=option,
            name=name,
            closest=closest,
            known=list(labels.values()),
        )
    return category
