"""Several input files, one at a time: a file that fails never stops the others."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from greenit.errors import GreenitError, InputFileError
from greenit.parsing.duplicates import file_copies


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
    copies = file_copies(paths)  # the same file twice (or a renamed copy): refused
    for position, path in enumerate(paths):
        try:
            if position in copies:
                raise copy_error(path, paths[copies[position]])
            frames.append(normalise(path))
        except GreenitError as exc:
            errors.append(file_error(path, exc))
            if on_error:
                on_error(exc)
    if not frames:
        raise no_file_read(errors)
    if len(frames) == 1:  # the usual case: no copy of a big frame
        return frames[0], errors
    return pd.concat(frames, ignore_index=True), errors


class FileFailure(dict):
    """The per-file report of a file that failed — ``{"file", "error"}`` and ``"hint"`` when there is
    one, as the JSON says it — and the error itself (``.exception``), to raise it again.
    """

    def __init__(self, path: str | Path, exc: GreenitError) -> None:
        super().__init__(file=str(path), error=str(exc.message))
        if exc.hint is not None:
            self["hint"] = str(exc.hint)
        self.exception = exc


def copy_error(path: str | Path, first: str | Path) -> GreenitError:
    """The error of a file whose bytes an earlier file of the same command already had."""
    return InputFileError.of(
        "duplicates.file_copy", "duplicates.file_copy_hint", path=str(path), first=str(first)
    )


def file_error(path: str | Path, exc: GreenitError) -> dict:
    """The per-file report of a file that failed (:class:`FileFailure`)."""
    return FileFailure(path, exc)


def no_file_read(errors: list[dict]) -> GreenitError:
    """The error when no input file at all could be read (``errors``: one per failed file)."""
    if not errors:
        return GreenitError.of("parsing.file.none_given", "parsing.file.none_given_hint")
    if len(errors) == 1 and isinstance(errors[0], FileFailure):
        return errors[0].exception  # the one file's own error, said once
    return GreenitError.of("parsing.file.none_read", count=len(errors), first=errors[0]["error"])


def as_paths(paths: str | Path | Iterable[str | Path] | None) -> list[str | Path]:
    """The list of paths a caller meant: one path alone (``"inventaire.csv"``) is a list of one.

    A notebook that passes a single path must not get one "file" per character of it.

    >>> as_paths("inventaire.csv"), as_paths(["a.csv", "b.csv"])
    (['inventaire.csv'], ['a.csv', 'b.csv'])
    """
    if isinstance(paths, str | Path):
        return [paths]
    if isinstance(paths, os.PathLike):
        return [Path(paths)]
    if paths is None:
        return []
    return list(paths)


def require_files(paths: Iterable[str | Path], on_missing: str = "raise") -> None:
    """``on_missing="raise"``: an InputFileError naming the files that do not exist, before any is
    read (the API's default); ``"report"``: nothing here, each is reported by :func:`read_each`.
    No file at all is an error either way.
    """
    if on_missing not in ("raise", "report"):
        raise GreenitError.of("parsing.file.on_missing_invalid", value=str(on_missing))
    listed = as_paths(paths)
    if not listed:
        raise GreenitError.of("parsing.file.none_given", "parsing.file.none_given_hint")
    missing = [str(path) for path in listed if not Path(path).exists()]
    if on_missing == "raise" and missing:
        key = "parsing.file.missing" if len(missing) == 1 else "parsing.file.missing_several"
        folder = str(Path.cwd())
        raise InputFileError.of(
            key, "parsing.file.missing_folder_hint", path=missing[0], paths=missing, folder=folder
        )
