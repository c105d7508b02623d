"""Text encodings as files come: UTF-8 (with or without BOM), cp1252 from Excel, and the mix.

A file mostly in UTF-8 with a row pasted from an old cp1252 file is common (an export
completed by hand). Switching the whole file to cp1252 would garble every accented header;
refusing it would lose the file. Each line that is not UTF-8 is read as cp1252 instead, and
the rows it holds are said (:func:`repair_mixed_lines`).
"""

from __future__ import annotations

import re

_SURROGATE = re.compile(r"[\udc80-\udcff]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def detect_encoding(head: bytes) -> str:
    """``utf-8-sig`` (BOM), ``utf-8`` when the sample is UTF-8 (or mostly so), else ``cp1252``.

    A sample with valid multi-byte UTF-8 characters *and* a few invalid bytes is UTF-8 with
    stray cp1252 rows: those are repaired line by line later.
    """
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    text = head.decode("utf-8", errors="surrogateescape")
    invalid = sum(1 for c in text[-4:] if "\udc80" <= c <= "\udcff")
    if not any("\udc80" <= c <= "\udcff" for c in text[:-4]) and invalid <= 3:
        return "utf-8"  # a multi-byte character may be cut at the end of the sample
    return "utf-8" if is_mostly_utf8(text) else "cp1252"


def is_mostly_utf8(text: str) -> bool:
    """Whether text decoded with ``surrogateescape`` holds valid non-ASCII UTF-8 characters.

    cp1252 text almost never forms valid UTF-8 sequences, so one is enough: the file is UTF-8
    and its invalid bytes are stray cp1252 lines (repaired one by one), not the other way round.
    """
    return any(not "\udc80" <= c <= "\udcff" for c in _NON_ASCII.findall(text))


def repair_mixed_lines(data: bytes) -> tuple[bytes, list[int]]:
    r"""UTF-8 bytes where each line that was not UTF-8 is read as cp1252; the 0-based lines repaired.

    Returns the bytes unchanged (and no line) when the file is valid UTF-8. Only the lines that
    hold an invalid byte are looked at: linear in the size of the file.

    >>> repair_mixed_lines("Écran\n".encode() + "Unité centrale\n".encode("cp1252"))
    (b'\xc3\x89cran\nUnit\xc3\xa9 centrale\n', [1])
    """
    text = data.decode("utf-8", errors="surrogateescape")
    parts: list[str] = []
    lines: list[int] = []
    start, line, counted = 0, 0, 0
    for match in _SURROGATE.finditer(text):
        if match.start() < start:
            continue  # on a line already repaired
        begin = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        end = len(text) if end < 0 else end
        line += text.count("\n", counted, begin)
        counted = begin
        lines.append(line)
        raw = text[begin:end].encode("utf-8", errors="surrogateescape")
        parts += [text[start:begin], raw.decode("cp1252", errors="replace")]
        start = end
    if not lines:
        return data, []
    parts.append(text[start:])
    return "".join(parts).encode("utf-8"), lines


def data_rows_of_lines(text_before: str, lines: list[int], header_line: int) -> list[int]:
    """0-based data rows holding the given physical lines (quoted cells may span lines).

    ``header_line`` is the header's 0-based physical line.
    """
    rows: list[int] = []
    wanted = sorted(set(lines))
    record, inside, target = -1, False, 0
    for number, content in enumerate(text_before.split("\n")):
        if target >= len(wanted):
            break
        starts_record = not inside
        if starts_record and number > header_line and content.strip():
            record += 1  # blank lines are skipped by the parsers: they start no record
        if number == wanted[target]:
            if number > header_line:
                rows.append(max(record, 0))
            target += 1
        if content.count('"') % 2:
            inside = not inside
    return rows
