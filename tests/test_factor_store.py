"""The packaged factor set kept on disk between processes: used only while its tables are unchanged.

:mod:`greenit.factors.stored` keeps the read and validated packaged tables in one pickle, keyed
by the tables' content, the folder and the reading code. A changed table, a broken file, an
overlay or PYTHONDONTWRITEBYTECODE must never give a stale or a user's set.
"""

from __future__ import annotations

import pathlib
import pickle
import shutil

import pandas as pd
import pytest

from greenit.factors import load, stored
from greenit.factors.read import assemble
from greenit.factors.tables import FactorSet, default_factors_dir


@pytest.fixture
def tables(tmp_path):
    """A copy of the packaged tables, and the slot a set read from it is kept in."""
    folder = tmp_path / "tables"
    shutil.copytree(default_factors_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder, tmp_path / "cache" / "factors.pickle"


@pytest.fixture
def writes(monkeypatch):
    monkeypatch.setattr("sys.dont_write_bytecode", False)


def _counting(version: str = "v1"):
    built: list[FactorSet] = []

    def build() -> FactorSet:
        built.append(FactorSet(version=f"{version}#{len(built)}", tables={}, sources=pd.DataFrame()))
        return built[-1]

    return build, built


def test_a_kept_set_is_read_back_and_a_changed_table_builds_it_again(tables, writes):
    folder, slot = tables
    build, built = _counting()
    first = stored.stored_factors(folder, build, slot)
    again = stored.stored_factors(folder, build, slot)
    assert len(built) == 1 and again.version == first.version == "v1#0"  # read back, not rebuilt
    devices = folder / "devices.csv"
    devices.write_text(devices.read_text(encoding="utf-8").replace("laptop", "laptoq", 1), encoding="utf-8")
    changed = stored.stored_factors(folder, build, slot)
    assert len(built) == 2 and changed.version == "v1#1"
    assert stored.stored_factors(folder, build, slot).version == "v1#1"  # the new one kept


def test_a_same_sized_edit_of_one_figure_changes_the_key(tables):
    folder, _ = tables
    before = stored.content_key(folder)
    electricity = folder / "electricity.csv"
    text = electricity.read_text(encoding="utf-8")
    digit = next(i for i, c in enumerate(text) if c.isdigit() and i > text.index("\n"))
    electricity.write_text(
        text[:digit] + str((int(text[digit]) + 1) % 10) + text[digit + 1 :], encoding="utf-8"
    )
    assert len(electricity.read_bytes()) == len(text.encode("utf-8"))
    assert stored.content_key(folder) != before


def test_another_folder_with_the_same_tables_is_another_key(tables, tmp_path):
    folder, _ = tables
    twin = shutil.copytree(folder, tmp_path / "twin")
    assert stored.content_key(twin) != stored.content_key(folder)  # the set names its folder


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps("another key") + b"\x80"])
def test_an_unreadable_slot_is_ignored_and_written_again(tables, writes, content):
    folder, slot = tables
    slot.parent.mkdir()
    slot.write_bytes(content)
    build, built = _counting()
    assert stored.stored_factors(folder, build, slot).version == "v1#0"
    assert stored.stored_factors(folder, build, slot).version == "v1#0" and len(built) == 1


def test_nothing_is_written_under_pythondontwritebytecode(tables, monkeypatch):
    folder, slot = tables
    monkeypatch.setattr("sys.dont_write_bytecode", True)
    build, built = _counting()
    stored.stored_factors(folder, build, slot)
    stored.stored_factors(folder, build, slot)
    assert len(built) == 2 and not slot.parent.exists()


def test_an_invalid_set_is_never_kept(tables, writes):
    folder, slot = tables

    def refuse() -> FactorSet:
        raise ValueError("invalid tables")

    with pytest.raises(ValueError):
        stored.stored_factors(folder, refuse, slot)
    assert not slot.exists()


def test_the_kept_packaged_set_is_the_set_read_from_the_tables(tables, writes, monkeypatch):
    folder, slot = tables
    monkeypatch.setattr(stored, "default_slot", lambda: slot)
    monkeypatch.setattr("greenit.factors.tables.default_factors_dir", lambda: folder)
    load._load_cached.cache_clear()
    try:
        written = load.load_factors()  # read, validated, kept
        load._load_cached.cache_clear()
        kept = load.load_factors()  # from the slot
    finally:
        load._load_cached.cache_clear()
    assert slot.exists() and kept is not written
    fresh = assemble(None)
    assert kept.version == fresh.version and kept.origins == fresh.origins == [str(folder)]
    assert kept.tables.keys() == fresh.tables.keys()
    for name, table in fresh.tables.items():
        pd.testing.assert_frame_equal(kept.tables[name], table, check_exact=True)
    pd.testing.assert_frame_equal(kept.sources, fresh.sources, check_exact=True)


def test_the_slot_is_where_python_keeps_the_bytecode(tmp_path, monkeypatch):
    import importlib.util

    module = stored.__file__
    monkeypatch.setattr("sys.pycache_prefix", None)
    assert stored.default_slot().parent == pathlib.Path(importlib.util.cache_from_source(module)).parent
    monkeypatch.setattr("sys.pycache_prefix", str(tmp_path / "pycache"))  # PYTHONPYCACHEPREFIX
    slot = stored.default_slot()
    assert slot.parent == pathlib.Path(importlib.util.cache_from_source(module)).parent
    assert slot.is_relative_to(tmp_path / "pycache") and slot.name == stored.SLOT_NAME


def test_an_overlay_is_read_again_never_from_the_slot(tmp_path, monkeypatch):
    def no_slot(*args, **kwargs):
        raise AssertionError("a --factors overlay must not use the packaged set's slot")

    monkeypatch.setattr(stored, "stored_factors", no_slot)
    overlay = tmp_path / "devices.csv"
    overlay.write_text((default_factors_dir() / "devices.csv").read_text(encoding="utf-8"), encoding="utf-8")
    load._load_cached.cache_clear()
    try:
        factors = load.load_factors(overlay)
    finally:
        load._load_cached.cache_clear()
    assert factors.origins[-1] == str(overlay)
