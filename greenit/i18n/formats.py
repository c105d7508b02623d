"""Numbers, percentages and dates per locale (Babel), with at most three significant digits.

``fr``: ``12 346`` (narrow no-break space), ``0,35``, ``30 %``; ``en``: ``12,346``, ``0.35``, ``30%``.
Babel is imported on first use only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache

LOCALES = {"fr": "fr_FR", "en": "en_GB"}
MINUS = "\u2212"  # a true minus sign, as typography wants
#: from here on a number is written with a power of ten (Babel's decimal context holds 28 digits:
#: 1e308 would not even format, and 18 digits of a mistaken value read as a measurement)
SCIENTIFIC_FROM = 1e15


@lru_cache(maxsize=2)
def _locale(lang: str):
    from babel import Locale

    return Locale.parse(LOCALES.get(lang, "fr_FR"))


def significant_decimals(value: float, significant: int = 3) -> int:
    """Decimals that keep ``significant`` digits: 12 345 → 0, 6.253 → 2, 0.008851 → 5."""
    if value == 0 or not math.isfinite(value):
        return 0
    magnitude = math.floor(math.log10(abs(value)))
    return max(0, significant - 1 - magnitude)


def format_number(value: float, lang: str = "fr", decimals: int | None = None, significant: int = 3) -> str:
    """``value`` with a locale's separators; ``decimals`` fixed, else ``significant`` digits at most.

    >>> format_number(12345.6, "fr")
    '12\u202f346'
    >>> format_number(6.2534, "en")
    '6.25'
    >>> format_number(-0.008851, "fr")
    '\u22120,00885'
    >>> format_number(2.0, "fr"), format_number(2.0, "fr", 2)
    ('2', '2,00')
    >>> format_number(1.797e308, "fr"), format_number(1e30, "en")
    ('1,8\u202f×\u202f10^308', '1\u202f×\u202f10^30')
    """
    from babel.numbers import format_decimal

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    value = float(value)
    if math.isfinite(value) and abs(value) >= SCIENTIFIC_FROM:
        return _scientific(value, lang, significant)
    digit = "0"  # fixed decimals: every one shown
    if decimals is None:  # significant digits: at most that many, no trailing zero (2, not 2,00)
        decimals = significant_decimals(value, significant)
        value = round(value, decimals)
        digit = "#"
    pattern = "#,##0" + ("." + digit * decimals if decimals > 0 else "")
    text = format_decimal(value, format=pattern, locale=_locale(lang), decimal_quantization=True)
    return text.replace("-", MINUS).replace("\u00a0", "\u202f")


def _scientific(value: float, lang: str, significant: int) -> str:
    """``1,8 × 10^308``: the mantissa with the locale's decimal mark, the exponent in plain digits."""
    mantissa, exponent = f"{value:.{max(significant - 1, 0)}e}".split("e")
    mantissa = format_number(float(mantissa), lang, significant=significant)
    return f"{mantissa}\u202f×\u202f10^{int(exponent)}"


def format_percent(share: float | None, lang: str = "fr", decimals: int | None = None) -> str:
    """A share (0–1) as a percentage: ``30 %`` in French (narrow no-break space), ``30%`` in English.

    Below 10 % one decimal is kept, so 0.3 % never reads as a misleading 0 %.
    """
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    percent = 100 * float(share)
    if decimals is None:
        decimals = 1 if 0 < abs(percent) < 10 else 0
    number = format_number(percent, lang, decimals)
    return f"{number}\u202f%" if lang == "fr" else f"{number}%"


def format_date(value, lang: str = "fr") -> str:
    """A date as the locale writes it in full: ``26 novembre 2026`` / ``26 November 2026``."""
    from babel.dates import format_date as babel_date

    return babel_date(value, format="long", locale=_locale(lang))


class Number:
    """A number kept as a number in a message, formatted only when the message is rendered."""

    __slots__ = ("value", "decimals", "significant")

    def __init__(self, value: float, decimals: int | None = None, significant: int = 3) -> None:
        self.value, self.decimals, self.significant = value, decimals, significant

    def render(self, lang: str | None = None) -> str:
        from greenit.i18n import get_language

        return format_number(self.value, lang or get_language(), self.decimals, self.significant)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Number) and (self.value, self.decimals) == (other.value, other.decimals)

    def __hash__(self) -> int:
        return hash((self.value, self.decimals))


#: Units a figure may be shown in, as (size in the base unit, symbol), smallest first.
ENERGY_UNITS = ((1e-3, "Wh"), (1.0, "kWh"), (1e3, "MWh"))  # base: kWh
MASS_UNITS = ((1e-3, "gCO2e"), (1.0, "kgCO2e"), (1e3, "tCO2e"))  # base: kgCO2e
DURATION_UNITS = ((1.0, "s"), (60.0, "min"), (3600.0, "h"))  # base: second


def display_unit(
    values: Iterable[float | None], units: Sequence[tuple[float, str]], *, reaching: float = 1.0
) -> tuple[float, str]:
    """greenit's one rule for the unit figures are shown in: ``(size, symbol)`` of the largest of
    ``units`` that the largest figure (in absolute value) reaches ``reaching`` times, else the
    smallest; the base unit (size 1) when no figure is given.

    Each caller says its ``units`` and ``reaching``: a document in tonnes from 10 tCO2e
    (``MASS_UNITS[1:]``, 10), AI figures in Wh and gCO2e below 1 kWh and 1 kgCO2e
    (``ENERGY_UNITS[:2]``, 1), a tracked run's summary in the largest unit it is at least 2 of.

    >>> display_unit([0.000123], ENERGY_UNITS[:2]), display_unit([12_500.0], MASS_UNITS[1:], reaching=10)
    ((0.001, 'Wh'), (1000.0, 'tCO2e'))
    >>> display_unit([], ENERGY_UNITS[:2]), display_unit([150.0], DURATION_UNITS, reaching=2)
    ((1.0, 'kWh'), (60.0, 'min'))
    """
    figures = [abs(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if not figures:
        return next(unit for unit in units if unit[0] == 1.0)
    largest = max(figures)
    chosen = units[0]
    for unit in units[1:]:
        if largest >= reaching * unit[0]:
            chosen = unit
    return chosen
