"""Several input files, one at a time: a file that fails never stops the others."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from greenit.errors import GreenitError


def read_each(
    paths: Iterable[str | Path],
    normalise: Callable[[str | Path], pd.DataFrame],
    on_error: Callable[[GreenitError], None] | None = None,
) -> tuple[pd.DataFrame, list[dict]]:
    """``normalise`` each file; a file that fails is reported and never stops the others.

    Returns the concatenated frames and, per failed file, ``{"file", "error"}``. Raises
    GreenitError only when no file at all could be read.
    """
    frames, errors = [], []
    paths = list(paths)
    for path in paths:
        try:
            frames.append(normalise(path))
        except GreenitError as exc:
            errors.append({"file": str(path), "error": str(exc.message)})
            if on_error:
                on_error(exc)
    if not frames:
        if not errors:
            raise GreenitError("no input file given")
        if len(errors) == 1:
            raise GreenitError(errors[0]["error"])
        raise GreenitError(f"none of the {len(errors)} files could be read: {errors[0]['error']}")
    if len(frames) == 1:  # the usual case: no copy of a big frame
        return frames[0], errors
    return pd.concat(frames, ignore_index=True), errors
