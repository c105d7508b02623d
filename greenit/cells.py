"""Text cells made safe for spreadsheets: no formula, no row split, whatever the user typed.

Every text cell greenit writes to a CSV, an XLSX or a run log goes through
:func:`neutralise_text`. A spreadsheet runs a cell as a formula when its first meaningful
character is ``= + - @`` (also after spaces, quotes or a line break, and in their fullwidth
forms ``＝ ＋ － ＠``), and a bare carriage return splits a CSV row in some readers. Such a cell
is prefixed with an apostrophe, the convention Excel and LibreOffice show as plain text
(OWASP, *CSV Injection*), and CR/LF inside a cell become spaces.

References
----------
OWASP Foundation, *CSV Injection* (owasp.org/www-community/attacks/CSV_Injection).
"""

from __future__ import annotations

import re
import unicodedata

#: First characters a spreadsheet may treat as the start of a formula or a DDE call.
FORMULA_STARTS = frozenset("=+-@\t\r\n|%")
_LEADING_NOISE = re.compile(r"^[\s\"'`\u00a0\u200b\ufeff]*")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


def is_formula_like(text: str) -> bool:
    r"""Whether a spreadsheet could run ``text`` as a formula.

    >>> is_formula_like("=HYPERLINK(\"http://x\")"), is_formula_like(" \"=1+1"), is_formula_like("＝1")
    (True, True, True)
    >>> is_formula_like("-3,5"), is_formula_like("Écran 24\"")
    (True, False)
    """
    if not text:
        return False
    if text[0] in FORMULA_STARTS:
        return True
    stripped = _LEADING_NOISE.sub("", unicodedata.normalize("NFKC", text))
    return bool(stripped) and stripped[0] in FORMULA_STARTS


def neutralise_text(value: object) -> object:
    r"""A text cell safe for a spreadsheet; numbers and missing values pass unchanged.

    >>> neutralise_text("=cmd|' /C calc'!A0")
    "'=cmd|' /C calc'!A0"
    >>> neutralise_text("ligne 1\r\nligne 2")
    'ligne 1 ligne 2'
    """
    if not isinstance(value, str):
        return value
    text = _LINE_BREAKS.sub(" ", value) if ("\r" in value or "\n" in value or "\x0b" in value) else value
    if is_formula_like(value):
        return "'" + text
    return text
