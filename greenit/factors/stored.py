"""The packaged factor set, read and validated once, kept on disk for the next process.

Reading and validating the packaged tables costs about 0.7 s of CPU (pandas reads 20 CSV files,
every cell is parsed as a French or English number, every figure's source is checked) and
every ``greenit`` command pays it. The result does not change until the tables or the code
that reads them change, so it is kept as Python keeps bytecode: a pickle in
``greenit/factors/__pycache__`` (or under ``PYTHONPYCACHEPREFIX``), written whole or not at
all, not under ``PYTHONDONTWRITEBYTECODE``, and only a cache — unreadable, stale or from another
version of pandas, it is ignored and written again.

The key is the content of what the set is made of: each table's name, size and CRC-32, the
folder's path (the set names it in ``origins``), the source of the modules that read and
check the tables, and the versions of Python, pandas and numpy (what unpickling needs). One
slot: a second folder (a test's copy of the tables) replaces the first instead of piling up.
Only the packaged set is kept; a ``--factors`` overlay is always read again.
"""

from __future__ import annotations

import pickle
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

from greenit.factors.tables import FactorSet
from greenit.pycache import keep

#: The one slot's file name, where Python keeps the bytecode of the modules that build it.
SLOT_NAME = "packaged_factors.pickle"
#: Modules whose code decides what a table's cells are read as (beside greenit/factors/*.py).
_READING_MODULES = ("units.py", "headers.py", "layout.py", "encodings.py")


def default_slot() -> Path:
    """Where Python keeps this package's bytecode: ``__pycache__`` beside the modules, or under
    ``PYTHONPYCACHEPREFIX`` (``sys.pycache_prefix``) as :func:`importlib.util.cache_from_source`
    places it there.
    """
    here = Path(__file__).resolve().parent
    if sys.pycache_prefix:
        return Path(sys.pycache_prefix) / here.relative_to(here.anchor) / SLOT_NAME
    return here / "__pycache__" / SLOT_NAME


def content_key(folder: Path) -> str:
    """What the factor set read from ``folder`` depends on, as one text (see the module docstring)."""
    import numpy
    import pandas

    here = Path(__file__).resolve().parent
    parsing = here.parent / "parsing"
    code = [*sorted(here.glob("*.py")), *(parsing / name for name in _READING_MODULES)]
    tables = [*sorted(folder.glob("*.csv")), folder / "VERSION"]
    parts = [str(folder.resolve()), sys.version, pandas.__version__, numpy.__version__]
    for path in [*tables, *code]:
        data = path.read_bytes() if path.is_file() else b""
        parts.append(f"{path.name}:{len(data)}:{zlib.crc32(data):08x}")
    return "\n".join(parts)


def stored_factors(folder: Path, build: Callable[[], FactorSet], slot: Path | None = None) -> FactorSet:
    """The factor set of ``folder``: from ``slot`` [:func:`default_slot`] when its key matches, else
    ``build()``, kept there. ``build`` reads and validates (it raises on invalid tables: nothing
    is kept then).
    """
    slot = slot or default_slot()
    key = content_key(folder)
    found = _read(slot, key)
    if found is not None:
        return found
    factors = build()
    _keep(slot, key, factors)
    return factors


def _read(slot: Path, key: str) -> FactorSet | None:
    """The set kept in ``slot`` under ``key``; None when absent, another key's or unreadable."""
    try:
        with slot.open("rb") as handle:
            if pickle.load(handle) != key:
                return None
            factors = pickle.load(handle)
    except Exception:  # noqa: BLE001 — a broken cache (truncated, old pandas' pickle) is only no cache
        return None
    return factors if isinstance(factors, FactorSet) else None


def _keep(slot: Path, key: str, factors: FactorSet) -> None:
    """Write the key then the set to ``slot`` (read back by two ``pickle.load``), whole or not at all."""
    try:
        data = pickle.dumps(key, protocol=pickle.HIGHEST_PROTOCOL) + pickle.dumps(
            factors, protocol=pickle.HIGHEST_PROTOCOL
        )
    except pickle.PicklingError:  # a set that cannot be kept is only no cache
        return
    keep(slot, data)
