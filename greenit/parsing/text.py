"""Folding labels for matching: case, accents, punctuation and plurals ignored."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
#: Little words a header may or may not carry: "Date d'achat" = "Date achat" = "date of purchase".
STOPWORDS = frozenset(
    {"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "of", "the", "per", "par"}
)


def fold(text: object) -> str:
    """``"Écrans  PLATS"`` → ``"ecrans plats"``: lower case, no accents, words split by one space.

    >>> fold("Cœurs CPU")  # the ligatures have no decomposition: spelled out, not dropped
    'coeurs cpu'
    """
    text = str(text).translate(_LIGATURES)
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
