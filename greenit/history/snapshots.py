"""The factor tables a year was estimated with, kept so that it can be estimated again.

Two things are kept, each once per content (SHA-256), however many years use it:

- the **factor set** as it was used — greenit's tables of that version with the user's laid
  over them — so that the year can be estimated again with *the factors of that year*;
- the user's own ``--factors`` files as given (a folder or a file), so that a restatement with
  *today's* factors lays them again over today's tables: a town's own figures (its devices'
  PCFs, its electricity contract) stay the town's when greenit's tables change.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from greenit.errors import GreenitError, os_reason
from greenit.factors import FactorSet, default_factors_dir, load_factors

_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed zip timestamps: the same content gives the same bytes


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(zipfile.ZipInfo(name, date_time=_EPOCH), files[name])
    return buffer.getvalue()


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, engine="pyarrow", compression="zstd", index=True)
    return buffer.getvalue()


@dataclass(frozen=True)
class Packed:
    """Bytes kept once per content: their SHA-256 is their key."""

    sha256: str
    data: bytes

    @classmethod
    def of(cls, data: bytes) -> Packed:
        return cls(hashlib.sha256(data).hexdigest(), data)


def pack_factor_set(factors: FactorSet) -> Packed:
    """``factors`` as one zip of Parquet tables (its sources and version included)."""
    files = {f"{name}.parquet": _parquet(frame) for name, frame in factors.tables.items()}
    files["sources.parquet"] = _parquet(factors.sources)
    files["meta.json"] = json.dumps({"version": factors.version, "origins": factors.origins}).encode()
    return Packed.of(_zip(files))


def unpack_factor_set(data: bytes) -> FactorSet:
    """The factor set :func:`pack_factor_set` packed, as it was."""
    files = _unzip(data)
    meta = json.loads(files.pop("meta.json"))
    sources = pd.read_parquet(io.BytesIO(files.pop("sources.parquet")))
    tables = {name.removesuffix(".parquet"): pd.read_parquet(io.BytesIO(raw)) for name, raw in files.items()}
    return FactorSet(version=meta["version"], tables=tables, sources=sources, origins=list(meta["origins"]))


@dataclass(frozen=True)
class Overlay:
    """The user's ``--factors``: a folder (its CSV files and VERSION) or one CSV file."""

    name: str
    kind: str  # "folder" | "file"
    files: dict[str, bytes]

    def pack(self) -> Packed:
        return Packed.of(_zip({**self.files, ".greenit-overlay.json": self._meta()}))

    def _meta(self) -> bytes:
        return json.dumps({"name": self.name, "kind": self.kind}).encode()

    @classmethod
    def unpack(cls, data: bytes) -> Overlay:
        files = _unzip(data)
        meta = json.loads(files.pop(".greenit-overlay.json"))
        return cls(meta["name"], meta["kind"], files)


def overlay_of(factors: FactorSet) -> Overlay | None:
    """The user's tables laid over greenit's in ``factors`` (read again from where they were)."""
    base = default_factors_dir().resolve()
    extra = [Path(origin) for origin in factors.origins[1:] if Path(origin).resolve() != base]
    if not extra:
        return None
    path = extra[-1]
    try:
        if path.is_dir():
            names = [p for p in sorted(path.iterdir()) if p.suffix == ".csv" or p.name == "VERSION"]
            return Overlay(path.name, "folder", {p.name: p.read_bytes() for p in names})
        return Overlay(path.name, "file", {path.name: path.read_bytes()})
    except OSError as exc:
        raise GreenitError.of("history.overlay_unreadable", None, path=path, error=os_reason(exc)) from None


def factors_with(overlay: Overlay | None) -> FactorSet:
    """Today's packaged tables, with ``overlay`` laid over them as it was given."""
    if overlay is None:
        return load_factors()
    with tempfile.TemporaryDirectory(prefix="greenit-overlay-") as folder:
        root = Path(folder)
        target = root / overlay.name if overlay.kind == "folder" else root
        target.mkdir(exist_ok=True)
        for name, data in overlay.files.items():
            (target / Path(name).name).write_bytes(data)
        return load_factors(target if overlay.kind == "folder" else target / overlay.name)
