"""Caches kept as Python keeps bytecode: written whole or not at all, never where Python would not
write bytecode.

greenit keeps two things between commands beside its sources: the parsed message catalogues
(:mod:`greenit.i18n`) and the packaged factor set (:mod:`greenit.factors.stored`). Both are only
caches: not written under ``PYTHONDONTWRITEBYTECODE``, and a folder that cannot be written (an
installation read-only to this user) only means no cache.
"""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from pathlib import Path


def keep(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (a temporary file renamed into place)."""
    if sys.dont_write_bytecode:  # PYTHONDONTWRITEBYTECODE: nothing written beside the sources
        return
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        with suppress(OSError):  # where the folder cannot be made, no temporary file either
            temporary.unlink(missing_ok=True)
