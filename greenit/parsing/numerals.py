"""Numbers as a file writes them: which mark is the decimal one, decided once per column.

``1 234,5``, ``1,234.5``, ``12'000`` and ``0,065`` say by themselves how they are written. A
cell like ``1.500`` or ``12,000`` does not: 1.5 in English, 1,500 in French. Read one cell at a
time, « 12.000 » laptops became 12 while « 1.500 » became 1.5 laptops. So the decimal mark is
decided for the whole *column*, from its cells that say it (:func:`decimal_mark`): ``0,065`` or
``1.234.567`` make ``.`` a thousands separator for every cell of the column, ``1.5`` makes it the
decimal point. A column whose cells never say takes the file's mark (the other columns of the
file), else, for counts (devices, tokens, requests: whole numbers), the thousands reading; a
measure that still cannot be told is flagged, never guessed. The decision is said in notes.

Each distinct cell is looked at once; nothing here knows units (:mod:`greenit.parsing.units`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: A number at the start of a cell; possessive quantifiers keep it linear in the cell's length.
NUMBER_RE = re.compile(r"[-+]?\d[\d\s\u00a0\u202f'.,]*+(?:[eE][-+]?\d++)?")
#: One separator followed by exactly three digits, after one to three (not a leading 0):
#: ``1.500``, ``12,000``, ``200.000`` — a thousands group or a decimal part, the cell cannot say.
_AMBIGUOUS = re.compile(r"[-+]?[1-9]\d{0,2}([.,])\d{3}")
_SPACES = str.maketrans("", "", " \u00a0\u202f'\t")

#: the decimal mark of a column: ``,`` (French), ``.`` (English), or None (not said)
COMMA, POINT = ",", "."


def _plain(text: str) -> str:
    return text.translate(_SPACES)


def own_mark(text: str) -> str | None:
    """The decimal mark a number's own text shows, or None (an integer, or ``1.500``).

    >>> own_mark("0,065"), own_mark("1.234.567"), own_mark("1,234.5"), own_mark("1.500"), own_mark("12")
    (',', ',', '.', None, None)
    """
    cleaned = _plain(text)
    commas, points = cleaned.count(","), cleaned.count(".")
    if commas and points:
        return COMMA if cleaned.rfind(",") > cleaned.rfind(".") else POINT
    if commas > 1:
        return POINT  # 1,234,567: commas group thousands
    if points > 1:
        return COMMA  # 1.234.567: points group thousands
    if (commas or points) and not is_ambiguous(cleaned):
        return COMMA if commas else POINT
    return None


def is_ambiguous(text: str) -> bool:
    """Whether a number's text reads two ways (``1.500``: 1.5 or 1,500)."""
    return _AMBIGUOUS.fullmatch(_plain(text)) is not None


def parse_number(text: str, decimal: str | None = None) -> float:
    """Parse one number as users write it: ``1 234,5``, ``1,234.5``, ``0,065``, ``12'000``.

    ``decimal`` is the column's decimal mark (:func:`decimal_mark`); it decides cells that do
    not say it themselves (``1.500``). Without it, such a cell is read with its separator as
    the decimal mark (the former reading; callers that know the column pass its mark).

    >>> parse_number("1.500", COMMA), parse_number("1.500", POINT), parse_number("1 234,5")
    (1500.0, 1.5, 1234.5)
    """
    cleaned = _plain(text)
    mark = own_mark(cleaned) or decimal
    if mark is None:
        mark = POINT if "." in cleaned else COMMA
    thousands = POINT if mark == COMMA else COMMA
    cleaned = cleaned.replace(thousands, "")
    if mark == COMMA:
        cleaned = cleaned.replace(",", ".")
    return float(cleaned)


@dataclass(frozen=True)
class ColumnMark:
    """How a column writes its numbers: the decimal mark and why (``said`` by its cells,
    ``file`` by the file's other columns), or None: ``counts`` (whole numbers expected, so a
    cell that reads two ways is read with thousands), ``conflict`` or ``unsaid`` (then such a
    cell is ``undecided``).
    """

    decimal: str | None
    why: str  # said | file | counts | conflict | unsaid
    ambiguous: tuple[str, ...] = ()  # the cells that read two ways (first few), for the note

    def decimal_of(self, number_text: str) -> str | None:
        """The decimal mark to read one cell with (None: the cell cannot be read for sure)."""
        if self.why == "counts" and is_ambiguous(number_text):
            return COMMA if "." in number_text else POINT  # its separator groups thousands
        return self.decimal


def marks_said(texts: Iterable[str]) -> set[str]:
    """The decimal marks that the numbers of ``texts`` show by themselves."""
    found: set[str] = set()
    for text in texts:
        match = NUMBER_RE.match(text.strip())
        if match:
            mark = own_mark(match.group())
            if mark is not None:
                found.add(mark)
    return found


def decimal_mark(texts: Iterable[str], *, counts: bool = False, file_mark: str | None = None) -> ColumnMark:
    """The decimal mark of a column, from its distinct text cells.

    ``counts``: the column holds whole numbers (devices, tokens, requests), so ``12.000`` is
    twelve thousand when nothing says otherwise. ``file_mark``: the mark the file's other
    columns show, used when this column's cells never say.

    >>> decimal_mark(["12.000", "1.500", "0,5"]).decimal
    ','
    >>> decimal_mark(["12.000", "1.500"], counts=True).decimal_of("12,000")
    '.'
    >>> decimal_mark(["12.000", "1.5"]).decimal
    '.'
    """
    said: set[str] = set()
    ambiguous: list[str] = []
    for text in texts:
        match = NUMBER_RE.match(text.strip())
        if not match:
            continue
        mark = own_mark(match.group())
        if mark is not None:
            said.add(mark)
        elif is_ambiguous(match.group()) and len(ambiguous) < 3:
            ambiguous.append(match.group().strip())
    if len(said) == 1:
        return ColumnMark(said.pop(), "said", tuple(ambiguous))
    if said:
        return ColumnMark(None, "conflict", tuple(ambiguous))
    if file_mark is not None:
        return ColumnMark(file_mark, "file", tuple(ambiguous))
    if counts:
        return ColumnMark(None, "counts", tuple(ambiguous))
    return ColumnMark(None, "unsaid", tuple(ambiguous))


def file_mark(columns: Iterable[Iterable[str]]) -> str | None:
    """The decimal mark the quantity columns of one file show, when they agree; else None."""
    said: set[str] = set()
    for texts in columns:
        said |= marks_said(texts)
        if len(said) > 1:
            return None
    return said.pop() if said else None
