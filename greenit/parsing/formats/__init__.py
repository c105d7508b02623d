"""One module per export format family: how it is recognised, its columns, units and vocabularies.

Each module of this package describes the files one tool or standard produces, in one place:
a :class:`Format` per layout it writes (``FORMATS``) — what the file holds (``kind``), how greenit
recognises it, the headers it has and the canonical column each becomes — plus the code that
turns its own layout into greenit's canonical one where a header table is not enough (Slurm's
jobs and steps, CodeCarbon's cumulative rows, providers' JSON). Generic spellings, units and
dates are the parsing layer's; what only one format writes lives in its module.

Adding a format = a module here that declares ``FORMATS``, and its name in :data:`MODULES`:

- an **inventory** format gives ``aliases`` (its header spellings → canonical inventory
  columns, added after the generic ones of :mod:`greenit.inventory.columns`), and, where its
  layout says more than its headers, ``recognises(headers)`` and ``prepare(raw)`` (→ a raw frame
  whose cells greenit reads as meant; what it has to say in ``attrs``: ``row_reasons``,
  ``row_notes``, ``file_notes``, ``status_kinds``, ``totals_rows``, ``format_columns``);
- an **AI run log** format gives ``recognises(raw)`` and ``to_log(raw, context)`` (its layout →
  the canonical log columns), tried in :data:`MODULES` order by :mod:`greenit.ai.runs.normalise`;
- a **hosted usage** export read from a file greenit cannot read as a table gives
  ``reads(path)`` and ``read(path)`` (→ usage rows), tried by :mod:`greenit.ai.files`.

The table of supported formats in ``docs/architecture.md`` is generated from these
declarations (``python -m greenit.parsing.formats``; a test fails when it drifts). Nothing is
imported here at start-up: ``greenit track`` reads :mod:`greenit.parsing.formats.tracklog`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

#: The format modules, in the order their signatures are tried.
MODULES = (
    "spreadsheets",
    "glpi",
    "snipeit",
    "ocs",
    "intune",
    "g4it",
    "tracklog",
    "codecarbon",
    "slurm",
    "wandb",
    "mlflow",
    "nvidia_smi",
    "boamps",  # a JSON report: tried before the providers' JSON usage exports
    "providers",
)

#: What a file of a format holds, and the pipeline that reads it.
KINDS = {
    "tables": "any table, read by its headers (inventory, run log, usage log)",
    "inventory": "equipment inventory (greenit estimate)",
    "ai_runs": "AI run log (greenit ai estimate)",
    "hosted_usage": "hosted generative-AI usage (greenit ai estimate)",
}


@dataclass(frozen=True)
class Format:
    """One layout a tool or a standard writes, as greenit reads it."""

    key: str  # short name: glpi, codecarbon… (for an AI run log, its ``source`` in the runs frame)
    name: str  # as its users call it
    kind: str  # a key of KINDS
    files: str  # file types and dialect
    recognised_by: str  # how greenit knows a file is in this format, in words
    headers: Mapping[str, str] = field(default_factory=dict)  # its headers → canonical columns
    aliases: Mapping[str, Sequence[str]] = field(default_factory=dict)  # spellings only it writes
    fixtures: tuple[str, ...] = ()  # files of tests/fixtures/real in this format
    recognises: Callable | None = None  # raw frame → bool (AI run logs)
    to_log: Callable | None = None  # (raw frame, RunLogContext) → canonical run log (AI run logs)
    reads: Callable | None = None  # path → bool (files read without the table readers)
    read: Callable | None = None  # path → raw frame of rows
    prepare: Callable | None = None  # raw frame → raw frame greenit's inventory reader can read


@dataclass(frozen=True)
class RunLogContext:
    """What an AI run log converter may need beyond its file: the factor tables, and how an
    accelerator named in a cell is resolved (``2x H100`` → a key of ``accelerators.csv``).
    """

    factors: object
    resolve_accelerator: Callable[[object], str | None] | None = None


@cache
def registered() -> tuple[Format, ...]:
    """Every format of every module of :data:`MODULES`, in that order."""
    import importlib

    return tuple(f for name in MODULES for f in importlib.import_module(f"{__name__}.{name}").FORMATS)


def of_kind(kind: str) -> tuple[Format, ...]:
    """The registered formats holding ``kind`` (a key of :data:`KINDS`)."""
    return tuple(f for f in registered() if f.kind == kind)


def with_format_aliases(generic: Mapping[str, list[str]], kind: str) -> dict[str, list[str]]:
    """``generic`` aliases (canonical column → spellings, preferred first) with the spellings the
    formats of ``kind`` add, after the generic ones, each spelling once.
    """
    merged = {column: list(names) for column, names in generic.items()}
    for fmt in of_kind(kind):
        for column, names in fmt.aliases.items():
            known = merged.setdefault(column, [])
            known.extend(name for name in names if name not in known)
    return merged


def prepare_inventory(raw):
    """An inventory's raw frame as its format means it, when a format recognises it and says
    more than a header table can (Snipe-IT's status meta, Intune's admin « Category », OCS's
    virtual machines…): :attr:`Format.prepare`; else ``raw`` itself.
    """
    from greenit.parsing.readers import all_headers

    fmt = _preparing(tuple(all_headers(raw)))
    return raw if fmt is None else fmt.prepare(raw)


def prepares_inventory(headers: Sequence[str]) -> bool:
    """Whether a format recognises these inventory headers and prepares the frame itself (its
    rows then read together: Intune compares serial numbers, OCS pairs hosts and VMs).
    """
    return _preparing(tuple(headers)) is not None


def _preparing(headers: tuple[str, ...]) -> Format | None:
    for fmt in of_kind("inventory"):
        if fmt.prepare is not None and fmt.recognises is not None and fmt.recognises(list(headers)):
            return fmt
    return None


def declared_headers(kind: str) -> frozenset[str]:
    """The headers the formats of ``kind`` read (folded), beyond the canonical aliases: a reader
    that keeps only the columns greenit uses keeps these too.
    """
    from greenit.parsing.text import fold

    return frozenset(fold(header) for fmt in of_kind(kind) for header in fmt.headers)


def markdown_details() -> str:
    """Each format's headers and the canonical column each becomes (for docs/formats.md)."""
    parts = [
        "# Supported formats, header by header",
        "",
        "Generated from the declarations of `greenit/parsing/formats/` by `python -m "
        "greenit.parsing.formats --write`; `tests/test_formats.py` fails when it drifts. Each format's "
        "module says, with its sources, how the files are written and what greenit does with them.",
    ]
    for f in registered():
        kind = KINDS[f.kind][:1].upper() + KINDS[f.kind][1:]
        parts += ["", f"## {f.name} (`{f.key}`)", "", f"{kind}. Files: {f.files}. "]
        parts[-1] += f"Recognised by {f.recognised_by}."
        if f.headers:
            parts += ["", "| in the file | greenit reads it as |", "|---|---|"]
            parts += [f"| `{header}` | {column} |" for header, column in f.headers.items()]
        if f.fixtures:
            parts += ["", "Fixtures: " + ", ".join(f"`{name}`" for name in f.fixtures) + "."]
    return "\n".join(parts) + "\n"


def markdown_table() -> str:
    """The supported formats as a Markdown table (for docs/architecture.md)."""
    lines = ["| format | holds | files | recognised by | fixtures |", "|---|---|---|---|---|"]
    for f in registered():
        fixtures = ", ".join(f"`{name}`" for name in f.fixtures) or "—"
        lines.append(
            f"| {f.name} (`{f.key}`) | {KINDS[f.kind]} | {f.files} | {f.recognised_by} | {fixtures} |"
        )
    return "\n".join(lines)
