"""Prices as people write them, in euros, and whether they include VAT.

Asset managers write the price of a device in their own ways (read in their code, see
``tests/fixtures/real/README.md``): GLPI ``1 049.00`` (space thousands, dot decimals: its default
number format) or ``1 049,00``, ``1,049.00``, ``1049.00`` as a user's preference says;
Snipe-IT ``1,049.00`` or ``1.049,00``, and ``EUR1,049.00`` in its depreciation report; a
spreadsheet ``1 049,00 €`` or ``1049 € TTC``. Thousands separators may be a space, a no-break
space or a narrow no-break space. Each distinct cell is read once.

Whether a price includes VAT (TTC) or not (HT) is said by the header (« Prix unitaire (€ HT) »,
« Montant TTC », "Cost excl. VAT"), by the cell (``1 049,00 € TTC``), or not at all: then the
basis the user declared (``--prices ht|ttc``), or the default basis, is *assumed* — and every
output says which.

A cell that is no price — text, another currency, a negative amount (``-20``, ``(20,00)``) —
is a problem of that cell, never a number: the caller says so on the row and does not use it.
An empty cell, ``-``, ``N/A``, ``NC`` and ``0`` give no price (GLPI writes ``0.00`` for a value
never filled, as it writes ``0 an`` for an amortisation never filled).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from greenit.i18n import Message, msg
from greenit.parsing.text import fold
from greenit.parsing.units import _NUMBER_RE, MAX_QUANTITY_CHARS, parse_number

#: How a price is said to include VAT or not, folded (accents, case, punctuation ignored).
VAT_WORDS: dict[str, tuple[str, ...]] = {
    "ht": (
        "ht",
        "h t",
        "hors taxe",
        "hors taxes",
        "hors tva",
        "sans tva",
        "excl vat",
        "excluding vat",
        "exclusive of vat",
        "ex vat",
        "excl tax",
        "excluding tax",
        "before tax",
        "pre tax",
        "net of vat",
    ),
    "ttc": (
        "ttc",
        "t t c",
        "toutes taxes comprises",
        "tva comprise",
        "tva incluse",
        "incl vat",
        "including vat",
        "inc vat",
        "vat included",
        "incl tax",
        "including tax",
        "tax included",
        "with vat",
    ),
}
_VAT_RES = {
    basis: re.compile(
        r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b",
        re.IGNORECASE,
    )
    for basis, words in VAT_WORDS.items()
}
#: Declared bases as users type them (``--prices``), French and English → ``ht`` | ``ttc``.
BASIS_NAMES = {
    **{
        fold(w): "ht"
        for w in ("ht", "hors taxes", "hors-taxes", "excl-vat", "excl. VAT", "net", "excluding VAT")
    },
    **{
        fold(w): "ttc"
        for w in ("ttc", "toutes taxes comprises", "incl-vat", "incl. VAT", "gross", "including VAT")
    },
}
#: The euro as written in a cell, before or after the amount (``EUR1,049.00``, ``1 049 €``).
_EURO = re.compile(r"€|\beur\b|\beuros?\b|(?<=\d)eur\b|^eur(?=\d)", re.IGNORECASE)
#: Other currencies: a price in them is not read as euros.
_OTHER_CURRENCY = re.compile(
    r"[$£¥₣]|\b(?:usd|gbp|chf|cad|jpy|us\s?\$)\b|(?<=\d)(?:usd|gbp|chf)\b|^(?:usd|gbp|chf)(?=\d)",
    re.IGNORECASE,
)
#: What a cell holds when it gives no price (« - », « N/A », « NC »): empty, not a problem.
NO_PRICE = frozenset({"", "n a", "na", "nc", "n c", "neant", "inconnu", "unknown", "none", "null", "nan"})
_THOUSANDS = re.compile(r"\bk(?=€|eur\b)|k€", re.IGNORECASE)


def vat_basis(text: object) -> str | None:
    """``ht`` or ``ttc`` when ``text`` (a header, a unit, a cell) says so; None when it says
    neither, or both (« HT/TTC »).

    >>> vat_basis("Prix unitaire (€ HT)"), vat_basis("Montant T.T.C."), vat_basis("Valeur")
    ('ht', 'ttc', None)
    >>> vat_basis("Cost (excl. VAT)"), vat_basis("Prix HT / TTC")
    ('ht', None)
    """
    if not isinstance(text, str) or not text.strip():
        return None
    folded = fold(text)
    found = {basis for basis, pattern in _VAT_RES.items() if pattern.search(folded)}
    return found.pop() if len(found) == 1 else None


def declared_basis(text: str | None) -> str | None:
    """A basis declared by the user (``--prices``) → ``ht`` | ``ttc``; None when not given.

    Raises ValueError for anything else (the CLI turns it into a French message, exit 2).

    >>> declared_basis("TTC"), declared_basis("hors taxes"), declared_basis("excl-vat"), declared_basis(None)
    ('ttc', 'ht', 'ht', None)
    """
    if text is None:
        return None
    basis = BASIS_NAMES.get(fold(text))
    if basis is None:
        raise ValueError(text)
    return basis


@dataclass(frozen=True)
class PriceColumn:
    """A column of prices read: euros as written (NaN where empty or bad), each cell's own
    VAT basis (``ht``/``ttc``, None where the cell says neither), and the problem of each bad
    cell (None elsewhere).
    """

    values: np.ndarray
    cell_basis: np.ndarray  # object: "ht" | "ttc" | None
    errors: np.ndarray  # object: Message | None


def parse_price(cell: object) -> tuple[float, str | None, Message | None]:
    """One cell → (euros, the basis the cell says, problem).

    >>> parse_price("1 049.00")[0], parse_price("EUR1,049.00")[0], parse_price("1.049,00 € TTC")[:2]
    (1049.0, 1049.0, (1049.0, 'ttc'))
    >>> parse_price("à saisir")[2].key, parse_price("$1,049.00")[2].key, parse_price("-20")[2].key
    ('money.price.not_a_number', 'money.price.other_currency', 'money.price.negative')
    """
    if isinstance(cell, (int, float, np.integer, np.floating)) and not isinstance(cell, bool):
        value = float(cell)
        if not np.isfinite(value):
            return np.nan, None, msg("money.price.not_a_number", value=str(cell))
        if value == 0:
            return np.nan, None, None
        return (
            (value, None, None) if value > 0 else (np.nan, None, msg("money.price.negative", value=str(cell)))
        )
    text = str(cell).strip().replace("\u00a0", " ").replace("\u202f", " ")
    if len(text) <= MAX_QUANTITY_CHARS and _PLAIN_PRICE.fullmatch(text):
        return _plain_price(text)
    if not text or fold(text) in NO_PRICE:
        return np.nan, None, None
    shown = text if len(text) <= 60 else text[:60] + "…"
    if len(text) > MAX_QUANTITY_CHARS:
        return np.nan, None, msg("money.price.not_a_number", value=shown)
    if _OTHER_CURRENCY.search(text):
        return np.nan, None, msg("money.price.other_currency", value=shown)
    basis = vat_basis(text)
    scale = 1000.0 if _THOUSANDS.search(text) else 1.0
    number = _strip_words(text)
    negative = number.startswith(("-", "−")) or (text.startswith("(") and text.endswith(")"))
    match = _NUMBER_RE.fullmatch(number.lstrip("−-+").strip())
    if not match:
        return np.nan, None, msg("money.price.not_a_number", value=shown)
    try:
        value = parse_number(match.group()) * scale
    except ValueError:
        return np.nan, None, msg("money.price.not_a_number", value=shown)
    if negative and value > 0:
        return np.nan, None, msg("money.price.negative", value=shown)
    if value == 0:
        return np.nan, None, None  # GLPI writes 0.00 for a value never filled: no price
    return value, basis, None


#: A price written with digits alone (``1049``, ``1 049.00``, ``689,5``): no word, no sign, and no
#: cell that reads two ways (two decimals at most). Most cells of an export are such; they are
#: read without the word and currency searches of :func:`parse_price`, to the same result.
_PLAIN_PRICE = re.compile(r"(?:[1-9][0-9]{0,2}(?: [0-9]{3})+|[0-9]+)(?:[.,][0-9]{1,2})?")


def _plain_price(text: str) -> tuple[float, str | None, Message | None]:
    """:func:`parse_price` of a cell :data:`_PLAIN_PRICE` matches (its only mark is the decimal one).

    >>> _plain_price("1 049.00"), _plain_price("689,5"), _plain_price("0.00")[0]
    ((1049.0, None, None), (689.5, None, None), nan)
    """
    value = float(text.replace(" ", "").replace(",", "."))
    return (value, None, None) if value > 0 else (np.nan, None, None)


def _strip_words(text: str) -> str:
    """The amount alone: euro signs, a ``k`` of thousands, HT/TTC words and brackets removed.

    >>> _strip_words("1 049,00 € T.T.C."), _strip_words("EUR1,049.00"), _strip_words("(1,2 k€ HT)")
    ('1 049,00', '1,049.00', '1,2')
    """
    out = _joined_initials(text)
    for pattern in _VAT_RES.values():
        out = pattern.sub(" ", out)
    out = _EURO.sub(" ", out)
    out = re.sub(r"(?<=\d)\s*k(?![a-z])", " ", out, flags=re.IGNORECASE)
    return out.strip().strip("()[]").strip()


def _joined_initials(text: str) -> str:
    """Initials' dots dropped (``T.T.C.`` → ``TTC``, ``H.T.`` → ``HT``); the rest as written."""
    return re.sub(r"(?<![A-Za-z0-9])([A-Za-z])\.", r"\1", text)


def parse_price_column(column: pd.Series) -> PriceColumn:
    """:func:`parse_price` for a whole column, each distinct cell once.

    >>> parsed = parse_price_column(pd.Series(["1 049.00", None, "689,00 € HT", "1 049.00"]))
    >>> parsed.values.tolist(), parsed.cell_basis.tolist()
    ([1049.0, nan, 689.0, 1049.0], [None, None, 'ht', None])
    """
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    size = len(uniques) + 1  # the last one: missing cells
    values = np.full(size, np.nan)
    bases = np.full(size, None, dtype=object)
    errors = np.full(size, None, dtype=object)
    for i, cell in enumerate(uniques):
        values[i], bases[i], errors[i] = parse_price(cell)
    positions = np.where(codes >= 0, codes, size - 1)
    return PriceColumn(values[positions], bases[positions], errors[positions])


def parse_electricity_price(text: object, option: str = "--electricity-price") -> tuple[float, str | None]:
    """``'0,21 €/kWh'``, ``'172 €/MWh'``, ``'21 c€/kWh'``, ``'0.21'`` (a bare number is €/kWh)
    → (€ per kWh as written, ``ht``/``ttc`` when the text says so, else None).

    A value that is not a price of electricity (no number, a unit that is not € per energy, a
    negative or implausible amount: over :data:`MAX_ELECTRICITY_EUR_PER_KWH`) raises
    :class:`PriceError` with a catalogue message.

    >>> parse_electricity_price("0,21 €/kWh"), parse_electricity_price("172 €/MWh HT")
    ((0.21, None), (0.172, 'ht'))
    >>> parse_electricity_price("0,24 €/kWh TTC"), parse_electricity_price("21 c€/kWh")
    ((0.24, 'ttc'), (0.21, None))
    """
    from greenit.errors import UnitError
    from greenit.parsing.units import conversion_factor

    raw = str(text).strip()
    shown = raw[:80]
    basis = vat_basis(raw)
    cleaned = _joined_initials(raw[:MAX_QUANTITY_CHARS])
    for pattern in _VAT_RES.values():
        cleaned = pattern.sub(" ", cleaned)
    match = re.match(r"^\s*([-+]?\d[\d\s.,'\u00a0\u202f]*)(.*)$", cleaned)
    if not match:
        raise PriceError(msg("money.electricity_price.not_a_number", option=option, value=shown))
    number_text, unit = match.group(1).strip(), match.group(2).strip()
    try:
        number = parse_number(number_text)
    except ValueError:
        raise PriceError(msg("money.electricity_price.not_a_number", option=option, value=shown)) from None
    try:
        factor = conversion_factor(unit, "EUR/kWh") if unit else 1.0
    except UnitError:
        raise PriceError(msg("money.electricity_price.unit", option=option, value=shown)) from None
    value = round(number * factor, 12)
    if not (np.isfinite(value) and 0 <= value <= MAX_ELECTRICITY_EUR_PER_KWH):
        raise PriceError(msg("money.electricity_price.out_of_range", option=option, value=shown))
    return value, basis


#: Highest price of a kWh greenit takes [€/kWh]: spot peaks of 2022 stayed under 1 €/kWh; 10 is
#: a unit slip (€/MWh typed as €/kWh).
MAX_ELECTRICITY_EUR_PER_KWH = 10.0


class PriceError(ValueError):
    """A price greenit cannot take, with the catalogue message saying why."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.key)
        self.message = message
