"""The names the factor tables give their rows in each language (``label_fr``, ``label_en``).

A category code (``laptop``) is a key, not a word for people: wherever a message names a
category, it names it by a :class:`Bilingual` label, rendered in the reader's language when
the message is shown (« Ordinateur portable » / “Laptop”).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from greenit.i18n import get_language


@dataclass(frozen=True, slots=True)
class Bilingual:
    """A text the tables give in French and in English, rendered in the one asked for.

    >>> label = Bilingual("Écran", "Monitor")
    >>> label.render("fr"), label.render("en")
    ('Écran', 'Monitor')
    """

    fr: str
    en: str

    def render(self, lang: str | None = None) -> str:
        return self.en if (lang or get_language()) == "en" else self.fr

    def __str__(self) -> str:
        return self.render()


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def row_labels(table: pd.DataFrame) -> dict[str, Bilingual]:
    """Every row's :func:`row_label`, in the table's order (a user's table may lack labels)."""
    fr = table["label_fr"] if "label_fr" in table.columns else pd.Series(None, index=table.index)
    en = table["label_en"] if "label_en" in table.columns else pd.Series(None, index=table.index)
    labels: dict[str, Bilingual] = {}
    for key, label_fr, label_en in zip(table.index, fr, en, strict=True):
        given_fr, given_en = _text(label_fr), _text(label_en)
        labels[str(key)] = Bilingual(given_fr or given_en or str(key), given_en or given_fr or str(key))
    return labels
