"""Folding labels for matching (case, accents, punctuation and plurals ignored), and finding the
closest name to one a person typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
#: Cyrillic and Greek letters drawn like Latin ones: a header typed or translated with one
#: (Snipe-IT's French « Сatégorie » starts with a Cyrillic С) reads as its Latin twin.
_LOOKALIKES = str.maketrans(
    dict(zip("АВСЕНІЈКМОРЅТХУаеорсухіјѕԁһԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧοικνρτυχ",
             "ABCEHIJKMOPSTXYaeopcyxijsdhqwABEZHIKMNOPTYXoikvptux", strict=True))
)  # fmt: skip
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
#: Little words a header may or may not carry: "Date d'achat" = "Date achat" = "date of purchase".
STOPWORDS = frozenset(
    {"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "of", "the", "per", "par"}
)


def fold(text: object) -> str:
    """``"Écrans  PLATS"`` → ``"ecrans plats"``: lower case, no accents, words split by one space.

    >>> fold("Cœurs CPU")  # the ligatures have no decomposition: spelled out, not dropped
    'coeurs cpu'
    >>> fold("\u0421atégorie")  # a Cyrillic С drawn like a C
    'categorie'
    """
    text = text if isinstance(text, str) else str(text)
    return _fold(text) if len(text) <= REMEMBERED_CHARS else _fold.__wrapped__(text)


#: Folded texts remembered, and the longest remembered: the batches of one big file repeat the
#: same few hundred labels; a long cell (a pasted paragraph) is folded afresh, never kept.
FOLDED_REMEMBERED, REMEMBERED_CHARS = 1 << 16, 200


@lru_cache(maxsize=FOLDED_REMEMBERED)
def _fold(text: str) -> str:
    text = text.translate(_LIGATURES).translate(_LOOKALIKES)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub(" ", text.lower()).strip()


def singular(word: str) -> str:
    """Crude French/English singular: ``ecrans`` → ``ecran``, ``bureaux`` → ``bureau``."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    if word.endswith(("eaux", "eux", "oux")):
        return word[:-1]
    return word


def fold_words(text: object) -> str:
    """:func:`fold`, then every word made singular."""
    text = text if isinstance(text, str) else str(text)
    return _fold_words(text) if len(text) <= REMEMBERED_CHARS else _fold_words.__wrapped__(text)


@lru_cache(maxsize=FOLDED_REMEMBERED)
def _fold_words(text: str) -> str:
    return " ".join(singular(w) for w in fold(text).split())


def header_key(text: str) -> str:
    """The words that identify a header: camelCase split, folded, singular, little words dropped.

    >>> header_key("Heures d'utilisation par an")
    'heure utilisation an'
    >>> header_key("dureeUsageInterne")
    'duree usage interne'
    >>> header_key("Date of purchase")
    'date purchase'
    """
    words = fold(_CAMEL.sub(" ", str(text))).split()
    kept = [singular(w) for w in words if w not in STOPWORDS]
    return " ".join(kept or [singular(w) for w in words])


def closest(
    typed: str,
    candidates: Iterable[T],
    *,
    cutoff: float,
    n: int = 3,
    names: Callable[[T], Iterable[str]] | None = None,
) -> list[T]:
    """The candidates most like ``typed``, best first: greenit's one closest-name matcher.

    Each candidate is as alike as its closest name (``names(candidate)``; default: the candidate
    itself, a string), by difflib's ratio (0–1); at most ``n`` are kept, each at least ``cutoff``
    alike, ties in the candidates' order. Each caller folds ``typed`` and the names as it needs
    (case, accents, words) and says its cut-off: a model name is suggested from 0.5, a column
    from 0.6, a device category from 0.75.

    >>> closest("lapto", ["desktop", "laptop", "tablet"], cutoff=0.6)
    ['laptop']
    >>> french = {"monitor": ["ecran"], "tablet": ["tablette"]}
    >>> closest("ecrans", ["monitor", "tablet"], cutoff=0.6, names=french.get)
    ['monitor']
    """
    from difflib import SequenceMatcher

    matcher = SequenceMatcher()
    matcher.set_seq2(typed)  # difflib caches what it learns of the second sequence

    def likeness(name: str) -> float:
        matcher.set_seq1(name)
        # the two quick ratios are upper bounds of the ratio: most names stop there
        if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
            return 0.0
        return matcher.ratio()

    scored: list[tuple[float, int, T]] = []
    for position, candidate in enumerate(candidates):
        if names is None:
            best = likeness(str(candidate))
        else:
            best = max((likeness(name) for name in names(candidate)), default=0.0)
        if best >= cutoff:
            scored.append((-best, position, candidate))
    return [candidate for _, _, candidate in sorted(scored, key=lambda s: (s[0], s[1]))[:n]]
