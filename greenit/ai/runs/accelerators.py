"""Accelerator cells → a key of ``accelerators.csv`` and, when the cell says it, a count.

Logs name hardware the way people and tools print it: ``A100 SXM 80GB``, ``NVIDIA
A100-SXM4-80GB``, ``2x H100``, ``8 x V100`` or CodeCarbon's ``2 x NVIDIA A100-SXM4-80GB``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from greenit.errors import GreenitError
from greenit.factors import FactorSet
from greenit.parsing.frames import as_categorical
from greenit.parsing.text import fold

_VENDOR_PREFIXES = ("", "nvidia ", "tesla ", "nvidia tesla ", "amd ", "amd instinct ", "google ", "intel ")
_COUNT_FIRST = re.compile(r"^\s*(\d+)\s*[x×*]\s*(\S.*?)\s*$", re.IGNORECASE)
_COUNT_FIRST_SPACED = re.compile(r"^\s*(\d+)\s+(?:gpus?\s+)?([^\d\s].*?)\s*$", re.IGNORECASE)
_COUNT_LAST = re.compile(r"^\s*(\S.*?)(?:\s+x\s+|\s*[×*]\s*)(\d+)\s*$", re.IGNORECASE)  # "X9" is a model


def accelerator_resolver(factors: FactorSet) -> Callable[[object], str | None]:
    """A function: accelerator label → key of the accelerator table, None when unknown.

    Case, punctuation and a vendor prefix (``NVIDIA``, ``Tesla``, ``AMD``…) are ignored;
    the table's ``aliases`` column lists the other spellings.
    """
    lookup = _spellings(factors.table("accelerators"))

    def resolve(label: object) -> str | None:
        if label is None or label is pd.NA:
            return None
        folded = fold(label)
        for prefix in _VENDOR_PREFIXES:
            if folded.startswith(prefix) and folded[len(prefix) :] in lookup:
                return lookup[folded[len(prefix) :]]
        return None

    return resolve


#: Spellings already listed, per accelerator table (the factor tables are loaded once per process).
_LOOKUPS: dict[int, tuple[pd.DataFrame, dict[str, str]]] = {}


def _spellings(table: pd.DataFrame) -> dict[str, str]:
    """Folded key or alias → key of the accelerator table; listed once per table (read only)."""
    cached = _LOOKUPS.get(id(table))
    if cached is not None and cached[0] is table:
        return cached[1]
    lookup: dict[str, str] = {}
    for key, row in table.iterrows():
        lookup[fold(key)] = key
        for alias in str(row.get("aliases") or "").split(";"):
            if alias.strip():
                lookup.setdefault(fold(alias), key)
    if len(_LOOKUPS) >= 8:
        _LOOKUPS.clear()
    _LOOKUPS[id(table)] = (table, lookup)
    return lookup


def check_accelerator(factors: FactorSet, model: str) -> str:
    """The table key of ``model`` (``--accelerator``); a GreenitError listing the known ones if none."""
    key = accelerator_resolver(factors)(model)
    if key is None:
        known = ", ".join(factors.table("accelerators").index)
        raise GreenitError.of(
            "ai.option.unknown_accelerator", "ai.option.known_accelerators", model=model, known=known
        )
    return key


def split_count(label: object, known: Callable[[object], str | None] | None = None) -> tuple[float, str]:
    """``"2x H100"`` → (2.0, "H100"); ``"H100 x 8"`` → (8.0, "H100"); no count → (NaN, label).

    ``"8 A100"`` (a count and a space) is split only when ``known`` recognises the rest,
    so that a model number is never read as a count.

    >>> split_count("2x H100"), split_count("1 x NVIDIA L4"), split_count("A100 80GB")
    ((2.0, 'H100'), (1.0, 'NVIDIA L4'), (nan, 'A100 80GB'))
    """
    text = str(label)
    for pattern in (_COUNT_FIRST, _COUNT_LAST):
        match = pattern.match(text)
        if match:
            first, second = match.groups()
            count, model = (first, second) if pattern is _COUNT_FIRST else (second, first)
            return float(count), model.strip()
    match = _COUNT_FIRST_SPACED.match(text)
    if match and known is not None and known(match.group(2)):
        return float(match.group(1)), match.group(2).strip()
    return float("nan"), text.strip()


def read_accelerators(
    labels: pd.Series, resolve: Callable[[object], str | None]
) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Accelerator cells → (model as written, table key, count given in the cell or NaN).

    Works on the distinct labels only: a log repeats a handful of models.
    """
    split = {}

    def model(label: object) -> str | None:
        split[label] = split_count(label, resolve)
        return split[label][1] or None

    written = as_categorical(labels, model)
    codes, uniques = pd.factorize(labels, use_na_sentinel=True)
    counts = np.array([split[u][0] for u in uniques] + [np.nan])[np.where(codes >= 0, codes, len(uniques))]
    return written, as_categorical(written, resolve), counts
