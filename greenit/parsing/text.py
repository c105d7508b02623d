"""Folding labels for matching: case, accents, punctuation and plurals ignored."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def fold(text: str) -> str:
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


def fold_words(text: str) -> str:
    """:func:`fold`, then every word made singular."""
    return " ".join(singular(w) for w in fold(text).split())
