"""Slurm ``sacct`` text as people save it: the terminal's fixed-width table, and ``-p``/``-P`` text.

**Fixed width** (``sacct`` without ``-p``/``-P``, what a terminal shows and people paste): a
line of titles, a line of dashes, then one line per job or step. As SchedMD's
``print_fields.c`` writes it (commit 284c3b95): every field is printed in its width followed by
one space (``%*.*s ``: right-justified for a positive width, left for a negative one); a
**string longer than its width is cut and its last kept character replaced by ``+``**
(``ft-courri+``, ``CANCELLED+``, an ``AllocTRES%40`` ending ``gre+``); numbers and times are
never cut, so an ``Elapsed`` of ``10-04:00:00`` (11 characters in a width of 10) pushes the
rest of its line one column right. The widths are read from the dashes line; a value that runs
over its width moves the following ones. A cut value is kept as printed (its ``+`` included):
what it means for each field is :mod:`greenit.parsing.formats.slurm`'s (a cut ``AllocTRES`` may
hide the GPU count — then it is unknown, never 0); the file's notes say which fields were cut.

**``-p`` / ``-P``** (``--parsable``, ``--parsable2``): ``|`` between fields (``-p`` also ends each
line with one). A job name may hold a ``|`` (``entr|fr-v2``): the line has more fields than the
header. When the export has one free-text field (``JobName``…), the extra fields are joined back
into it; otherwise the line is a flagged row (never a refused file).

References
----------
SchedMD, ``src/common/print_fields.c``, ``src/sacct/sacct.c`` (field widths), ``sacct.h``
(``DEFAULT_FIELDS``), commit 284c3b95f08a2dc2478499837b03355e1b9c5c75; *sacct* manual page
(``--format``, ``%NUMBER``, ``-p``, ``-P``, ``-D``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from greenit.errors import InputFileError
from greenit.i18n import msg
from greenit.parsing.text import fold

#: sacct's field names, as ``--helpformat`` lists them (a title cut to its width is read back).
FIELDS = (
    "Account AdminComment AllocCPUS AllocNodes AllocTRES AssocID AveCPU AveCPUFreq AveDiskRead "
    "AveDiskWrite AvePages AveRSS AveVMSize BlockID Cluster Comment Constraints ConsumedEnergy "
    "ConsumedEnergyRaw Container CPUTime CPUTimeRAW DBIndex DerivedExitCode Elapsed ElapsedRaw "
    "Eligible End ExitCode Extra FailedNode Flags GID Group JobID JobIDRaw JobName Layout Licenses "
    "MaxDiskRead MaxDiskWrite MaxPages MaxRSS MaxVMSize MCSLabel MinCPU NCPUS NNodes NodeList NTasks "
    "Partition Planned PlannedCPU PlannedCPURAW Priority QOS QOSRAW Reason ReqCPUFreq ReqCPUS ReqMem "
    "ReqNodes ReqTRES Reservation ReservationId Start State StdErr StdIn StdOut Submit SubmitLine "
    "Suspended SystemComment SystemCPU Timelimit TimelimitRaw TotalCPU TRESUsageInAve TRESUsageInMax "
    "TRESUsageOutAve TRESUsageOutMax UID User UserCPU WCKey WCKeyID WorkDir"
).split()
#: Fields a person types freely (a ``|`` may sit in them); the others never hold one.
FREE_TEXT = ("JobName", "Comment", "AdminComment", "SystemComment", "WorkDir", "SubmitLine", "Extra")
_DASHES = re.compile(r"^-+( -+)* ?$")
_RUN = re.compile(r"-+")


def _first_lines(path: Path, count: int = 2) -> list[str]:
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError:
        return []
    lines = [line for line in head.decode("utf-8", errors="replace").splitlines() if line.strip()]
    return lines[:count]


def reads(path: Path) -> bool:
    """A sacct export in text: its first line names ``JobID`` and either a dashes line follows
    (fixed width) or ``|`` separates its titles.
    """
    if not path.is_file() or path.suffix.lower() in (".json", ".jsonl", ".xlsx", ".xlsm", ".ods"):
        return False
    lines = _first_lines(path)
    if len(lines) < 2 or "jobid" not in fold(lines[0]).split():
        return False
    return bool(_DASHES.match(lines[1])) or "|" in lines[0]


def read(path: Path) -> pd.DataFrame:
    """The sacct export's lines as a raw frame (``file``, ``row``, ``line`` added), cells as printed."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    lines = text.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if len(lines) > 1 and _DASHES.match(lines[1]):
        frame = fixed_width(lines, str(path))
    else:
        frame = parsable(lines, str(path))
    _require_durations(frame, str(path))
    return frame


def _full_name(title: str) -> str:
    """A title as printed (cut to its width: ``AllocT``) → sacct's field name (``AllocTRES``)."""
    folded = title.strip().lower()
    exact = [f for f in FIELDS if f.lower() == folded]
    if exact:
        return exact[0]
    longer = sorted((f for f in FIELDS if f.lower().startswith(folded)), key=len)
    return longer[0] if longer and folded else title.strip()  # Elaps: Elapsed, not ElapsedRaw


def fixed_width(lines: list[str], label: str) -> pd.DataFrame:
    """sacct's fixed-width table → raw frame; the fields cut by sacct (``+``) said in the notes.

    >>> frame = fixed_width(["JobID           JobName    Elapsed ",
    ...                      "------------ ---------- ---------- ",
    ...                      "900107       pretrain-+ 10-04:00:00 "], "s.txt")
    >>> frame[["JobID", "JobName", "Elapsed"]].values.tolist()
    [['900107', 'pretrain-+', '10-04:00:00']]
    """
    spans = [(m.start(), m.end()) for m in _RUN.finditer(lines[1])]
    headers = [_full_name(lines[0][s:e]) for s, e in spans]
    rows: list[list[str | None]] = []
    cut = {h: 0 for h in headers}
    for line in lines[2:]:
        if not line.strip():
            continue
        cells = _cells(line, spans)
        for header, cell, (start, end) in zip(headers, cells, spans, strict=True):
            if cell and cell.endswith("+") and len(cell) >= end - start:
                cut[header] += 1
        rows.append(cells)
    frame = _frame(rows, headers, label, header_line=2)
    shortened = [f"{h} ({n})" for h, n in cut.items() if n]
    if shortened:
        frame.attrs["file_notes"] = [msg("formats.sacct.cut_fields", fields=", ".join(shortened))]
    frame.attrs["sacct_cut"] = True  # a trailing '+' may be sacct's mark of a cut value
    return frame


def _cells(line: str, spans: list[tuple[int, int]]) -> list[str | None]:
    """A line's cells by the dashes' spans; a value running over its width moves the next ones."""
    cells: list[str | None] = []
    shift = 0
    for start, end in spans:
        begin, stop = start + shift, end + shift
        while stop < len(line) and line[stop] != " ":  # ran over (numbers and times are never cut)
            stop += 1
        cells.append(line[begin:stop].strip() or None)
        shift = stop - end
    return cells


def parsable(lines: list[str], label: str) -> pd.DataFrame:
    """``sacct -p``/``-P`` text → raw frame; a ``|`` inside a free-text field joined back."""
    trailing = all(line.endswith("|") for line in lines if line.strip())  # -p ends lines with |
    split = [(line[:-1] if trailing else line).split("|") for line in lines if line.strip()]
    headers = [_full_name(h) for h in split[0]]
    free = [i for i, h in enumerate(headers) if h in FREE_TEXT]
    rows: list[list[str | None]] = []
    reasons: dict[int, list] = {}
    for number, parts in enumerate(split[1:]):
        extra = len(parts) - len(headers)
        if extra > 0 and len(free) == 1:
            at = free[0]
            parts = [*parts[:at], "|".join(parts[at : at + extra + 1]), *parts[at + extra + 1 :]]
        elif extra != 0:
            reasons[number] = [msg("formats.sacct.fields", fields=len(parts), expected=len(headers))]
            parts = [parts[0], *[""] * (len(headers) - 1)]  # its JobID kept, to be said
        rows.append([p.strip() or None for p in parts])
    frame = _frame(rows, headers, label, header_line=1)
    frame.attrs["row_reasons"] = reasons
    return frame


def _frame(rows: list[list[str | None]], headers: list[str], label: str, header_line: int) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=headers, dtype=object)
    frame.attrs.update(headers=list(headers), header_line=header_line)
    frame["file"] = label
    frame["row"] = pd.RangeIndex(1, len(frame) + 1)
    frame["line"] = frame["row"] + header_line
    return frame


def _require_durations(frame: pd.DataFrame, label: str) -> None:
    """An export without ``Elapsed`` and ``AllocTRES`` holds no duration nor GPU: said, with the
    command that gives them (sacct's default format has neither).
    """
    names = {h.lower() for h in frame.attrs.get("headers", [])}
    if not names & {"elapsed", "elapsedraw", "alloctres"}:
        raise InputFileError.of(
            "formats.sacct.no_durations",
            "formats.sacct.no_durations_hint",
            path=label,
            fields=", ".join(frame.attrs.get("headers", [])),
        )
