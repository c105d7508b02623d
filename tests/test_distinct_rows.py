"""Rows that repeat, normalised and estimated once, give what every row estimated gives.

``greenit estimate`` (rows summed, not kept) finds the distinct rows of a file apart from
names and serial numbers (:mod:`greenit.inventory.distinct`) and sums with weights. Each test
holds the result to the one of the same file with every row normalised (the distinct path
switched off): the JSON of ``--json``, flagged rows and their own numbers included — on the
sample town repeated, on rows whose names the normaliser reads (a total row, a row with no Type,
a name saying « machine à café » under a default category), on a file with a line that is not UTF-8,
and on generated inventories (hypothesis).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from greenit import api
from greenit.errors import GreenitError
from greenit.inventory import distinct
from greenit.inventory.distinct import distinct_rows, row_groups, said_rows

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))

import make_sample_town  # noqa: E402

HEADERS = [
    "Nom",
    "Entité",
    "Statut",
    "Fabricant",
    "Modèle",
    "Type",
    "Lieu",
    "Date d'achat",
    "Numéro de série",
]


def write(path: Path, rows: list[dict], headers: list[str] | None = None) -> Path:
    headers = headers or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers, delimiter=";", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def both_ways(path: Path, monkeypatch, **options) -> tuple[dict, dict, api.InventoryEstimate]:
    """(JSON with distinct rows, JSON with every row normalised, the distinct estimate)."""
    grouped = api.estimate_files(path, keep_rows=False, year=2025, **options)
    with monkeypatch.context() as patch:
        patch.setattr(distinct, "WORTH_GROUPING", -1.0)  # every file "too distinct": row by row
        one_by_one = api.estimate_files(path, keep_rows=False, year=2025, **options)
    return grouped.result(), one_by_one.result(), grouped


def repeated_town(times: int) -> list[dict]:
    """The sample town's rows ``times`` over, each device with its own name and serial number."""
    base = make_sample_town.build_rows()
    rows = []
    for i in range(times * len(base)):
        row = dict(base[i % len(base)])
        row["Nom"], row["Numéro de série"] = f"EQ-{i:06d}", f"SN{i:08X}"
        rows.append(row)
    return rows


def test_the_sample_town_three_times_gives_the_figures_of_every_row(tmp_path, monkeypatch, spy_groups):
    path = write(tmp_path / "glpi.csv", repeated_town(3))
    grouped, one_by_one, _ = both_ways(path, monkeypatch)
    _diff(grouped, one_by_one)
    assert grouped == one_by_one
    assert grouped["rows_in"] == 3 * len(make_sample_town.build_rows())
    kept, weights = spy_groups[0]
    assert kept < grouped["rows_in"] / 2 and weights == grouped["rows_in"]  # it did group


def test_rows_whose_names_matter_are_read_one_by_one(tmp_path, monkeypatch, spy_groups):
    laptop = {"Entité": "Mairie", "Statut": "En service", "Fabricant": "Dell", "Modèle": "Latitude 5440"}
    rows = [
        {**laptop, "Type": "Ordinateur portable", "Nom": f"PC-{i}", "Numéro de série": f"S{i:05d}"}
        for i in range(20)
    ]
    # in each group, the row whose name matters comes after one whose name does not
    by_model = {**laptop, "Type": ""}  # no Type: the model says laptop; a name may say total
    rows += [
        {**by_model, "Nom": "PC-Y", "Numéro de série": ""},
        {**by_model, "Nom": "TOTAL", "Numéro de série": ""},
    ]
    no_type = {**laptop, "Type": "", "Modèle": "", "Fabricant": ""}
    rows += [
        {**no_type, "Nom": "PC-X", "Numéro de série": ""},
        {**no_type, "Nom": "Sous-total", "Numéro de série": ""},
    ]
    other = {**laptop, "Type": "Autre", "Modèle": "", "Fabricant": ""}
    rows += [{**other, "Nom": f"Poste {i}", "Numéro de série": f"P{i}"} for i in range(5)]
    rows += [{**other, "Nom": "Machine à café salle 2", "Numéro de série": "C1"}]
    path = write(tmp_path / "mixed.csv", rows, HEADERS)
    for options in ({}, {"default_category": "laptop"}):
        grouped, one_by_one, _ = both_ways(path, monkeypatch, **options)
        assert grouped == one_by_one
    flagged = {row["name"]: row["reason"] for row in grouped["flagged"]}
    assert {"TOTAL", "Sous-total", "Machine à café salle 2"} <= set(flagged)  # each with its own name
    assert "PC-Y" not in flagged and "PC-X" not in flagged


def test_rows_the_estimate_flags_are_listed_one_by_one(tmp_path, monkeypatch, spy_groups):
    """``--method flux`` needs a purchase date: the estimate (not the normaliser) flags the rows
    without one, and each is listed with its own name (a weight there once raised ValueError).
    """
    laptop = {"Type": "Ordinateur portable", "Fabricant": "Dell", "Modèle": "Latitude 5440"}
    rows = [{**laptop, "Nom": f"PC-{i}", "Date d'achat": "" if i % 2 else "12/03/2022"} for i in range(8)]
    path = write(tmp_path / "flux.csv", rows, ["Nom", "Type", "Fabricant", "Modèle", "Date d'achat"])
    grouped, one_by_one, _ = both_ways(path, monkeypatch, method="flux")
    assert grouped == one_by_one
    assert [row["name"] for row in grouped["flagged"]] == ["PC-1", "PC-3", "PC-5", "PC-7"]
    assert spy_groups[0] == (5, 8)  # the dated laptops once (weight 4), the four others one by one


def test_a_line_that_is_not_utf8_keeps_its_note(tmp_path, monkeypatch):
    path = write(tmp_path / "town.csv", repeated_town(2))
    data = path.read_bytes().replace(b"EQ-000007;", "EQ-000007-\u00e9;".encode("cp1252"), 1)
    path.write_bytes(data)
    grouped, one_by_one, _ = both_ways(path, monkeypatch)
    assert grouped == one_by_one


@pytest.fixture
def spy_groups(monkeypatch):
    """What each call of the distinct path kept: (rows kept, rows they stand for)."""
    seen: list[tuple[int, int]] = []
    original = distinct.estimated_distinct

    def spy(*args, **kwargs):
        found = original(*args, **kwargs)
        if found is not None:
            seen.append((len(found.normalised), int(found.weights.sum())))
        return found

    monkeypatch.setattr(distinct, "estimated_distinct", spy)
    return seen


TYPES = ["Ordinateur portable", "Écran", "Serveur", "Badgeuse", "", "Autre", "Total", "Smartphone"]
NAMES = ["PC-1", "TOTAL", "Machine à café", "", "Sous-total", "PC-2"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(TYPES),
            st.sampled_from(["Dell", "", "HP"]),
            st.sampled_from(["Latitude 5440", "", "E24 G5", "Kelio Visio"]),
            st.sampled_from(["12/03/2021", "", "2019-07-01", "31/02/2020", "2031-01-01"]),
            st.sampled_from(NAMES),
            st.sampled_from(["1", "2", "", "3,5", "-1"]),
        ),
        min_size=2,
        max_size=40,
    ),
    default=st.sampled_from([None, "laptop"]),
    method=st.sampled_from(["amortised", "flux"]),  # flux flags, at the estimate, a row with no date
)
def test_generated_inventories_give_the_same_json_both_ways(
    tmp_path_factory, monkeypatch, rows, default, method
):
    path = tmp_path_factory.mktemp("inv") / "inv.csv"
    records = [
        {"Type": t, "Fabricant": m, "Modèle": model, "Date d'achat": d, "Nom": n, "Quantité": q}
        for t, m, model, d, n, q in rows
    ]
    write(path, records, ["Nom", "Type", "Fabricant", "Modèle", "Date d'achat", "Quantité"])
    options: dict = {"method": method} | ({} if default is None else {"default_category": default})
    try:
        grouped, one_by_one, _ = both_ways(path, monkeypatch, **options)
    except GreenitError as exc:  # a file greenit refuses is refused both ways
        with monkeypatch.context() as patch:
            patch.setattr(distinct, "WORTH_GROUPING", -1.0)
            with pytest.raises(type(exc)):
                api.estimate_files(path, keep_rows=False, year=2025, **options)
        return
    assert grouped == one_by_one


def test_groups_by_hand_names_and_serials_left_out():
    raw = pd.DataFrame(
        {
            "Type": pd.Categorical(["PC", "Écran", "PC", "PC"]),
            "Modèle": ["A", "B", "A", None],
            "Nom": ["a", "b", "c", "d"],
            "row": [1, 2, 3, 4],
        }
    )
    codes = row_groups(raw, {"Nom", "row"})
    assert codes.tolist() == [0, 1, 0, 2]  # a missing model is a value of its own
    found = distinct_rows(codes)
    assert found.positions.tolist() == [0, 1, 3] and found.weights.tolist() == [2, 1, 1]
    raw.attrs["row_notes"] = {2: ["note"]}  # row number 3 (0-based 2): read on its own
    alone = said_rows(raw)
    assert alone.tolist() == [False, False, True, False]
    found = distinct_rows(codes, alone)
    assert found.positions.tolist() == [0, 1, 2, 3] and found.weights.tolist() == [1, 1, 1, 1]


def test_many_columns_keep_the_key_exact():
    """Keys of many columns with many values are renumbered before they could overflow."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({f"c{i}": rng.integers(0, 5000, 200).astype(str) for i in range(8)})
    frame = pd.concat([frame, frame.iloc[:50]], ignore_index=True)
    codes = row_groups(frame, set())
    expected = pd.factorize(pd.MultiIndex.from_frame(frame))[0]
    assert (codes == expected).all()


def _diff(a, b, where=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in set(a) | set(b):
            _diff(a.get(k), b.get(k), f"{where}/{k}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _diff(x, y, f"{where}[{i}]")
    elif a != b:
        print(where, repr(a)[:300], "|", repr(b)[:300])
