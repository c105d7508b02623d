"""Why a file could not be read, in the user's language.

The libraries that read files (pandas' parsers, openpyxl, the JSON decoder, the system) explain
their failures in English and in their own terms (``Error tokenizing data. C error: EOF inside
string starting at row 1``). :func:`read_error_reason` turns the failures a user can fix into a
catalogue message (an unclosed quote, a file without columns, a renamed CSV, an encoding), and
keeps the library's words, verbatim, for the rest.
"""

from __future__ import annotations

import re
import zipfile

import pandas as pd

from greenit.errors import os_reason
from greenit.i18n import Message, msg

_UNCLOSED_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")
_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def read_error_reason(exc: BaseException, first_line: int = 1) -> Message | str:
    """Why reading failed, as a sentence a user can act on.

    ``first_line`` is the spreadsheet line (header = line 1 of the file) where the text the parser
    saw starts, so that a parser's row becomes the line a person finds in the file.

    >>> exc = pd.errors.ParserError("Error tokenizing data. C error: EOF inside string starting at row 1")
    >>> read_error_reason(exc).render("fr")
    "un guillemet ouvert ligne 2 n'est jamais refermé"
    """
    if isinstance(exc, zipfile.BadZipFile):
        return msg("parsing.reason.not_a_zip")
    if isinstance(exc, pd.errors.EmptyDataError):
        return msg("parsing.reason.no_columns")
    if isinstance(exc, UnicodeDecodeError):
        return msg("parsing.reason.encoding", position=exc.start)
    if isinstance(exc, MemoryError):
        return msg("parsing.reason.memory")
    if isinstance(exc, OSError):
        return os_reason(exc)
    text = str(exc)
    quote = _UNCLOSED_QUOTE.search(text)
    if quote:
        return msg("parsing.reason.unclosed_quote", line=int(quote.group(1)) + first_line)
    fields = _FIELDS.search(text)
    if fields:
        expected, line, saw = (int(g) for g in fields.groups())
        return msg("parsing.reason.fields", line=line + first_line - 1, expected=expected, saw=saw)
    return f"{exc.__class__.__name__}: {text}".strip()[:300]
