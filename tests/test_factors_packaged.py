"""greenit's own factor tables are parsed once per process, and every overlay still sees them whole.

``assemble`` lays a user's tables over the packaged ones; the packaged files are parsed once
(``read._packaged_tables``) and each call gets its own copy. Checked against a fresh parse of the
same files (the memo emptied first), and against a table edited between two loads.
"""

from __future__ import annotations

import csv
import os
import shutil

import pandas as pd
import pytest

from conftest import ROOT, write
from greenit.factors import read
from greenit.factors.tables import FactorSet

DEVICE_HEADER = (
    "category,label_fr,label_en,manufacture [kgCO2e],manufacture_low [kgCO2e],"
    "manufacture_high [kgCO2e],lifespan [year],annual_energy [kWh/year],annual_energy_low [kWh/year],"
    "annual_energy_high [kWh/year],use_hours [hour/year],end_of_life [kgCO2e],manufacture_source,"
    "lifespan_source,energy_source,end_of_life_source,use_hours_source,range_sources,notes\n"
)


def laptop_overlay(folder, manufacture: str):
    folder.mkdir(exist_ok=True)
    row = f"laptop,Portable,Laptop,{manufacture},150,250,5,50,40,60,2628,3,ecodiag,ecodiag,ecodiag,ecodiag,"
    return write(folder / "devices.csv", DEVICE_HEADER + row + "use_hours_convention,,\n")


def assert_same_set(got: FactorSet, expected: FactorSet) -> None:
    assert (got.version, got.origins, got.user_rows) == (
        expected.version,
        expected.origins,
        expected.user_rows,
    )
    assert got.cell_problems == expected.cell_problems
    assert sorted(got.tables) == sorted(expected.tables) and sorted(got.replaced) == sorted(expected.replaced)
    for name in expected.tables:
        pd.testing.assert_frame_equal(got.tables[name], expected.tables[name])
    for name in expected.replaced:
        pd.testing.assert_frame_equal(got.replaced[name], expected.replaced[name])
    pd.testing.assert_frame_equal(got.sources, expected.sources)


def fresh(extra) -> FactorSet:
    """``assemble`` with nothing kept from an earlier call: every file parsed again."""
    read._PACKAGED.clear()
    return read.assemble(extra)


def test_overlays_one_after_another_are_those_of_a_fresh_parse(tmp_path):
    first = str(laptop_overlay(tmp_path / "a", "200"))
    second = str(laptop_overlay(tmp_path / "b", "1e999"))  # a cell problem, kept by its own set only
    expected = {extra: fresh(extra) for extra in (None, first, second)}
    for extra in (first, None, second, first, None, second):
        assert_same_set(read.assemble(extra), expected[extra])


def test_what_a_caller_changes_in_its_set_never_reaches_the_next(tmp_path):
    overlay = str(laptop_overlay(tmp_path / "a", "1e999"))
    given = read.assemble(overlay)
    given.tables["devices"].loc["desktop", "manufacture_kgco2e"] = -1.0
    given.sources.loc[given.sources.index[0], "title"] = "changed"
    given.cell_problems.clear()
    assert_same_set(read.assemble(overlay), fresh(overlay))


def test_a_packaged_table_changed_between_two_loads_is_read_again(tmp_path, monkeypatch):
    folder = tmp_path / "emission_factors"
    shutil.copytree(ROOT / "emission_factors", folder, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr("greenit.factors.tables.default_factors_dir", lambda: folder)
    devices = folder / "devices.csv"
    with devices.open(encoding="utf-8", newline="") as handle:
        laptop = next(r for r in csv.DictReader(handle) if r["category"] == "laptop")
    before = float(laptop["manufacture [kgCO2e]"])
    assert read.assemble(None).tables["devices"].at["laptop", "manufacture_kgco2e"] == pytest.approx(before)
    # the same size and modification time: only the bytes tell the change
    stat = devices.stat()
    text = devices.read_text(encoding="utf-8")
    changed = "9" * len(laptop["manufacture [kgCO2e]"])
    row = text[text.index("\nlaptop,") :]
    devices.write_text(text.replace(row, row.replace(laptop["manufacture [kgCO2e]"], changed, 1), 1), "utf-8")
    os.utime(devices, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert devices.stat().st_size == stat.st_size
    after = read.assemble(None).tables["devices"].at["laptop", "manufacture_kgco2e"]
    assert after == pytest.approx(float(changed))
