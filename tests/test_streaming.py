"""Large inventories read in batches give the figures and the rows of a whole read, in bounded memory."""

from __future__ import annotations

import csv
import json
import shutil
import time

import pytest

from conftest import SAMPLE_INVENTORY, write
from greenit.api import estimate_files
from greenit.parsing import streaming
from greenit.parsing.encodings import repair_mixed_lines

REAL = SAMPLE_INVENTORY.parent.parent.parent / "tests" / "fixtures" / "real"


@pytest.fixture
def small_batches(monkeypatch):
    """Every CSV read in batches of 32 KB, so the 355 KB sample inventory makes eleven batches.

    (8 KB made 44, at 0.15 s of CPU each: the same proof for a third of the time.)
    """
    monkeypatch.setattr(streaming, "STREAM_FROM_BYTES", 0)
    monkeypatch.setattr(streaming, "BATCH_BYTES", 32 << 10)


def as_json(estimate) -> dict:
    return json.loads(json.dumps(estimate.result("en"), sort_keys=True))


@pytest.mark.parametrize(
    "path",
    [SAMPLE_INVENTORY, REAL / "glpi10_computers_fr.csv", REAL / "glpi95_printers_fr.csv"],
    ids=lambda p: p.name,
)
def test_batches_give_the_result_of_a_whole_read(path, small_batches):
    whole = as_json(estimate_files([path], year=2025))
    batched = as_json(estimate_files([path], year=2025, keep_rows=False))
    assert batched["rows_in"] == whole["rows_in"]
    assert batched["flagged"] == whole["flagged"]
    assert batched["columns"] == whole["columns"]
    for key, value in whole["totals"].items():
        assert batched["totals"][key] == pytest.approx(value, rel=1e-9), key
    assert [g["category"] for g in batched["by_category"]] == [g["category"] for g in whole["by_category"]]


def read_rows(path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_rows_out_written_as_batches_come_is_the_whole_rows_out(
    tmp_path, small_batches, run_cli, monkeypatch
):
    whole, batched = tmp_path / "whole.csv", tmp_path / "batched.csv"
    assert run_cli("estimate", SAMPLE_INVENTORY, "--year", "2025", "--rows-out", batched)[0] == 0
    monkeypatch.setattr(streaming, "STREAM_FROM_BYTES", SAMPLE_INVENTORY.stat().st_size + 1)  # read whole
    assert run_cli("estimate", SAMPLE_INVENTORY, "--year", "2025", "--rows-out", whole)[0] == 0
    a, b = read_rows(whole), read_rows(batched)
    assert len(a) == len(b) == 2058
    assert a == b
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_cp1252_line_deep_in_a_utf8_file_is_repaired_and_noted_in_its_batch(tmp_path, small_batches):
    text = SAMPLE_INVENTORY.read_bytes()
    lines = text.split(b"\n")
    lines[1500] = lines[1500].decode("utf-8").encode("cp1252")  # a row pasted from an old file
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"\n".join(lines))
    estimate = estimate_files([path], year=2025, keep_rows=False)
    whole = estimate_files([path], year=2025)
    assert estimate.result()["totals"] == whole.result()["totals"]
    notes = whole.rows.loc[whole.rows["row"] == 1500, "notes"].astype(str).iloc[0]
    assert "UTF-8" in notes


def test_a_file_pyarrow_cannot_take_is_read_whole_and_counted_once(tmp_path, small_batches, run_cli):
    lines = SAMPLE_INVENTORY.read_text(encoding="utf-8-sig").splitlines()
    lines[1800] += ';"une cellule de trop"'  # a ragged row, late in the file
    path = write(tmp_path / "ragged.csv", "\n".join(lines) + "\n")
    rows_out = tmp_path / "lignes.csv"
    code, out, err = run_cli("estimate", path, "--year", "2025", "--json", "--rows-out", rows_out)
    result = json.loads(out)
    assert result["rows_in"] == 2058
    assert len(read_rows(rows_out)) == 2058


def test_a_stray_cp1252_line_costs_linear_time(tmp_path):
    body = (
        "PC-0001;Portable;Ville de Belleval > Direction générale;En service;15-03-2021\n" * 200_000
    ).encode()
    data = body + "Unité;Écran;Ville;Réformé;01-01-2020\n".encode("cp1252") + body
    start = time.perf_counter()
    fixed, lines = repair_mixed_lines(data)
    assert time.perf_counter() - start < 3.0  # was quadratic in the line length: minutes
    assert lines == [200_000]
    assert fixed.count(b"\n") == data.count(b"\n")


def test_the_large_file_threshold_keeps_small_files_whole(tmp_path):
    small = tmp_path / "small.csv"
    shutil.copy(SAMPLE_INVENTORY, small)
    assert not streaming.streamable(small)  # 300 KB: read whole, no set-up cost
    assert not streaming.streamable(REAL / "inventaire_tableur_mairie.xlsx")


def test_the_small_batches_of_these_tests_cut_the_sample_inventory_in_eleven(small_batches):
    batches = list(
        streaming.iter_csv_batches(SAMPLE_INVENTORY, SAMPLE_INVENTORY.name, batch_bytes=streaming.BATCH_BYTES)
    )
    assert len(batches) == 11
    assert sum(len(batch) for batch in batches) == 2058
