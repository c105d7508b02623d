"""The same thing read twice: a file given twice (or a renamed copy), a key met again.

Passing one inventory twice, or a GLPI all-assets export beside a per-type export of the same
park, doubled totals in silence. :func:`file_copies` finds the files whose bytes an earlier
file already had (one hash per file, only where two files have the same size: a single file
costs nothing); :class:`SeenKeys` remembers the keys of rows met so far — a device's serial
number, a run's id — as 8-byte hashes in sorted chunks, so a million devices cost 8 MB and a
batch is checked against earlier batches and files without holding them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

_BLOCK = 1 << 20


def _digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=20)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def file_copies(paths: Sequence[str | Path]) -> dict[int, int]:
    """Position of each path whose content an earlier path has → that earlier path's position.

    The same path twice, a symbolic link to it, or a copy under another name: the same bytes.
    Files that cannot be read are left to the reader to report.

    >>> file_copies([])
    {}
    """
    sizes: dict[int, list[int]] = {}
    for position, path in enumerate(paths):
        try:
            candidate = Path(path)
            if candidate.is_file():
                sizes.setdefault(candidate.stat().st_size, []).append(position)
        except OSError:
            continue
    copies: dict[int, int] = {}
    for positions in sizes.values():
        if len(positions) < 2:
            continue
        first_with: dict[str, int] = {}
        for position in positions:
            try:
                digest = _digest(Path(paths[position]))
            except OSError:
                continue
            if digest in first_with:
                copies[position] = first_with[digest]
            else:
                first_with[digest] = position
    return copies


def key_hashes(*columns: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """One 8-byte hash per row of the key made of ``columns`` (text), and where the key is
    whole (every part given); rows with a missing part have no key.
    """
    n = len(columns[0])
    given = np.ones(n, dtype=bool)
    hashes = np.zeros(n, dtype=np.uint64)
    for column in columns:
        values = column.astype(object)
        present = values.notna().to_numpy()
        given &= present
        part = pd.util.hash_array(values.where(present, "").to_numpy(dtype=object), categorize=False)
        hashes = hashes * np.uint64(1_000_003) ^ part
    return hashes, given


@dataclass
class SeenKeys:
    """Keys met so far and where first (a file's position, its line), in chunks: each a uint64
    index (its hash table built once, on the first look-up) with the files and lines beside it.
    """

    chunks: list[tuple[pd.Index, np.ndarray, np.ndarray]] = field(default_factory=list)
    floor: int = 0  # chunks before this one stay as they are (a mark to come back to)

    def mark(self) -> int:
        """Where the keys stand; :meth:`rollback` forgets every key remembered since."""
        self.floor = len(self.chunks)
        return self.floor

    def rollback(self, mark: int) -> None:
        del self.chunks[mark:]
        self.floor = min(self.floor, mark)

    def remember(self, hashes: np.ndarray, given: np.ndarray, file: int, lines: np.ndarray) -> None:
        """Remember keys without checking them (a second key of rows checked by another)."""
        positions = np.flatnonzero(given)
        if len(positions):
            self._add(hashes[positions], np.full(len(positions), file, dtype=np.int64), lines[positions])

    def _add(self, keys: np.ndarray, files: np.ndarray, lines: np.ndarray) -> None:
        unique = ~pd.Index(keys).duplicated(keep="first")
        self.chunks.append((pd.Index(keys[unique]), files[unique], np.asarray(lines)[unique]))
        if len(self.chunks) - self.floor > 16:  # many small batches: one chunk again
            merged = self.chunks[self.floor :]
            keys = np.concatenate([c[0].to_numpy() for c in merged])
            files = np.concatenate([c[1] for c in merged])
            lines = np.concatenate([c[2] for c in merged])
            self.chunks[self.floor :] = [(pd.Index(keys), files, lines)]

    def check(self, hashes: np.ndarray, given: np.ndarray, file: int, lines: np.ndarray):
        """Which rows repeat a key met before (earlier in this batch, or in earlier ones), and
        for each the file position and line where it was first met (-1 elsewhere); the new
        keys are remembered.
        """
        n = len(hashes)
        repeated = np.zeros(n, dtype=bool)
        first_file = np.full(n, -1, dtype=np.int64)
        first_line = np.full(n, -1, dtype=np.int64)
        positions = np.flatnonzero(given)
        if not len(positions):
            return repeated, first_file, first_line
        keys = hashes[positions]
        for chunk_keys, chunk_files, chunk_lines in self.chunks:
            at = chunk_keys.get_indexer(keys)
            hit = (at >= 0) & ~repeated[positions]
            repeated[positions[hit]] = True
            first_file[positions[hit]] = chunk_files[at[hit]]
            first_line[positions[hit]] = chunk_lines[at[hit]]
        fresh = positions[~repeated[positions]]
        inside = pd.Index(hashes[fresh]).duplicated(keep="first")
        if inside.any():
            firsts = pd.Series(fresh, index=hashes[fresh]).groupby(level=0).first()
            repeat_rows = fresh[inside]
            repeated[repeat_rows] = True
            first_file[repeat_rows] = file
            first_line[repeat_rows] = lines[firsts.loc[hashes[repeat_rows]].to_numpy()]
        new = fresh[~inside]
        self._add(hashes[new], np.full(len(new), file, dtype=np.int64), lines[new])
        return repeated, first_file, first_line
