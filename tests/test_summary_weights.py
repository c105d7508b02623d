"""A summary of distinct rows with weights is the summary of the rows repeated.

A large inventory repeats a few hundred distinct rows (but for names and serial numbers): the
estimate can work once per distinct row and sum with weights, how many input rows each stands
for (issue 18). ``InventorySummary.from_rows(distinct, weights=w)`` must then give what the
frame with each row repeated ``w`` times gives: every count a sum of weights, every sum one of
weight × value — totals, groups, countries, defaults, indicators, budget and AGEC, criteria, the
server room. These tests hold it by hand on three rows, on frames estimated by the real pipeline
from the sample town's rows (hypothesis), and check the rows that must weigh 1.
"""

from __future__ import annotations

import dataclasses
import math
from functools import cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLE_INVENTORY
from greenit.api import estimate_files
from greenit.factors.load import load_factors
from greenit.inventory.estimate import ScopeSettings, estimate_inventory
from greenit.results import InventorySummary
from greenit.results.groups import Keys, bincount_sums

FACTORS = load_factors()
#: Relative gap allowed between a sum of weight × value and the sum of the repeated values.
REL = 1e-12


@cache
def sample() -> pd.DataFrame:
    """The sample town's normalised rows (2,058 rows: flagged ones, prices refused, a server room)."""
    return estimate_files([SAMPLE_INVENTORY], year=2025).normalised


@cache
def sample_rows() -> pd.DataFrame:
    return estimate_files([SAMPLE_INVENTORY], year=2025).rows


def repeated(frame: pd.DataFrame, weights) -> pd.DataFrame:
    """Each row ``weights[i]`` times, in order (what the weights stand for)."""
    out = frame.loc[frame.index.repeat(weights)].reset_index(drop=True)
    out.attrs = dict(frame.attrs)
    return out


def assert_close(got, expected, path: str = "summary") -> None:
    """Integers, text and flags equal; floats to :data:`REL`; frames, dicts and dataclasses by part."""
    if dataclasses.is_dataclass(got) and not isinstance(got, type):
        assert type(got) is type(expected), path
        for f in dataclasses.fields(got):
            assert_close(getattr(got, f.name), getattr(expected, f.name), f"{path}.{f.name}")
    elif isinstance(got, pd.DataFrame):
        assert got.index.equals(expected.index) or got.empty and expected.empty, path
        assert list(got.columns) == list(expected.columns), path
        for column in got.columns:
            assert_close(got[column].tolist(), expected[column].tolist(), f"{path}[{column}]")
    elif isinstance(got, dict):
        assert got.keys() == expected.keys(), path
        for key in got:
            assert_close(got[key], expected[key], f"{path}.{key}")
    elif isinstance(got, list | tuple):
        assert len(got) == len(expected), path
        for i, (a, b) in enumerate(zip(got, expected, strict=True)):
            assert_close(a, b, f"{path}[{i}]")
    elif isinstance(got, float | np.floating) and not isinstance(expected, bool):
        assert isinstance(expected, float | np.floating | int | np.integer), path
        same_nan = math.isnan(got) and math.isnan(expected)
        assert same_nan or math.isclose(got, expected, rel_tol=REL, abs_tol=1e-300), (path, got, expected)
    elif isinstance(got, int | np.integer) and not isinstance(got, bool | np.bool_):
        assert type(expected) in (int, np.int64) and got == expected, (path, got, expected)
    else:
        assert got == expected or pd.isna(got) and pd.isna(expected), (path, got, expected)


def assert_json_close(got, expected, path: str = "json") -> None:
    """The JSON equal but for a float's 9th significant digit: the JSON keeps 9, and two sums
    1e-16 apart can round to either side (1.26870314e-05 and 1.26870313e-05, found here).
    """
    if isinstance(got, dict):
        assert got.keys() == expected.keys(), path
        for key in got:
            assert_json_close(got[key], expected[key], f"{path}.{key}")
    elif isinstance(got, list):
        assert len(got) == len(expected), path
        for i, (a, b) in enumerate(zip(got, expected, strict=True)):
            assert_json_close(a, b, f"{path}[{i}]")
    elif isinstance(got, float) and isinstance(expected, float):
        digit = 10.0 ** (math.floor(math.log10(max(abs(got), abs(expected), 1e-300))) - 8)
        assert abs(got - expected) <= 1.0001 * digit, (path, got, expected)  # 9th digit, ±1
    else:
        assert type(got) is type(expected) and got == expected, (path, got, expected)


def weights_of(frame: pd.DataFrame, drawn: list[int]) -> np.ndarray:
    """The drawn weights, 1 on the rows listed one by one (flagged, or with a price reason)."""
    listed = (frame["estimate_status"] != "estimated").to_numpy() | frame["price_reason"].notna().to_numpy()
    return np.where(listed, 1, np.asarray(drawn[: len(frame)], dtype=np.int64))


@st.composite
def estimated_frames(draw):
    """A small inventory of the sample town's rows (some flagged, some in the server room, some
    with a price refused), quantities and the file's PUE redrawn, estimated by the real pipeline;
    and weights.
    """
    rows = sample_rows()
    special = [
        rows.index[rows["estimate_status"] != "estimated"],
        rows.index[rows["price_reason"].notna()],
        rows.index[rows["pue_used"].notna()],
        rows.index[rows["status_kind"].isin(["retired", "reused", "stock"])],
        rows.index[rows["purchase_date"].dt.year.isin([2024, 2025])],  # the year's purchases (AGEC)
    ]
    position = st.one_of(
        st.integers(0, len(rows) - 1), *(st.sampled_from(list(s)) for s in special if len(s))
    )
    positions = draw(st.lists(position, min_size=1, max_size=25))
    inventory = sample().iloc[positions].reset_index(drop=True)
    quantities = draw(
        st.lists(
            st.sampled_from([None, 1.0, 2.0, 3.0, 0.5, 12.0]),
            min_size=len(inventory),
            max_size=len(inventory),
        )
    )
    inventory["quantity"] = [
        q if q is not None else old for q, old in zip(quantities, inventory["quantity"], strict=True)
    ]
    own_pue = draw(st.lists(st.sampled_from([None, 1.3]), min_size=len(inventory), max_size=len(inventory)))
    inventory["pue"] = [p if p is not None else old for p, old in zip(own_pue, inventory["pue"], strict=True)]
    estimated = estimate_inventory(
        inventory,
        FACTORS,
        year=draw(st.sampled_from([2024, 2025, 2026])),
        method=draw(st.sampled_from(["amortised", "flux"])),
        scope=ScopeSettings(pue=draw(st.sampled_from([None, 1.4]))),
    )
    if draw(st.booleans()):  # rows repeating a device read before (greenit.inventory.duplicates)
        estimated["duplicate"] = draw(
            st.lists(st.booleans(), min_size=len(estimated), max_size=len(estimated))
        )
    drawn = draw(st.lists(st.integers(1, 40), min_size=len(estimated), max_size=len(estimated)))
    return estimated, weights_of(estimated, drawn)


@settings(max_examples=30, deadline=None)
@given(estimated_frames())
def test_weighted_summary_is_the_summary_of_the_rows_repeated(case):
    estimated, weights = case
    got = InventorySummary.from_rows(estimated, FACTORS, weights=weights)
    expected = InventorySummary.from_rows(repeated(estimated, weights), FACTORS)
    assert got.rows_in == int(weights.sum())
    assert_close(got, expected)
    assert_json_close(got.to_json(), expected.to_json())


def three_rows() -> pd.DataFrame:
    """Three estimated rows of the sample town with round figures set by hand."""
    rows = sample_rows()
    picked = rows[(rows["estimate_status"] == "estimated") & rows["price_reason"].isna()].iloc[:3]
    frame = picked.reset_index(drop=True).copy()
    frame.attrs = dict(rows.attrs)
    for column in frame.columns:  # every figure summed: 0 unless set below
        if column.endswith(("_kgco2e", "_kwh", "_eur_per_year", "_kgsbeq", "_mj", "_m3")):
            frame[column] = 0.0
    frame["category"] = ["laptop", "monitor", "laptop"]
    frame["entity"] = ["Écoles", "Écoles", "Mairie"]
    frame["site"] = ["A", "B", "A"]
    frame["country"] = ["FR", "FR", "DE"]
    frame["quantity"] = [1.0, 2.0, 3.0]
    frame["total_kgco2e"] = [10.0, 3.0, 0.5]
    frame["use_kwh"] = [100.0, 20.0, 1.0]
    frame["renewal_eur_per_year"] = [80.0, 15.0, 2.0]
    frame["status_kind"] = ["in_service", "in_service", "retired"]
    frame["given_manufacture_kgco2e"] = [np.nan, 5.0, np.nan]  # the factor table's on rows 1 and 3
    frame["pue_used"] = [np.nan, 1.5, 1.5]  # rows 2 and 3 in the server room
    frame["pue"] = [np.nan, np.nan, 1.5]  # row 3 gives its own PUE
    return frame


def test_three_rows_weighing_1_2_and_5_by_hand():
    summary = InventorySummary.from_rows(three_rows(), FACTORS, weights=np.array([1, 2, 5]))
    assert (summary.rows_in, summary.rows_estimated, summary.rows_flagged) == (8, 8, 0)
    assert summary.quantity_estimated == 1 * 1 + 2 * 2 + 5 * 3 == 20
    assert summary.totals["total_kgco2e"] == 1 * 10 + 2 * 3 + 5 * 0.5 == 18.5
    assert summary.totals["use_kwh"] == 1 * 100 + 2 * 20 + 5 * 1 == 145
    category = summary.groups["category"]
    assert category.loc["laptop", "rows"] == 1 + 5 and category.loc["monitor", "rows"] == 2
    assert category.loc["laptop", "quantity"] == 1 + 5 * 3 and category.loc["monitor", "quantity"] == 2 * 2
    assert (
        category.loc["laptop", "total_kgco2e"] == 10 + 5 * 0.5
        and category.loc["monitor", "total_kgco2e"] == 6
    )
    assert summary.groups["entity"]["rows"].to_dict() == {"Mairie": 5, "Écoles": 3}
    assert summary.groups["site"]["total_kgco2e"].to_dict() == {"A": 12.5, "B": 6.0}
    assert summary.countries == {"DE": 15.0, "FR": 5.0}
    assert summary.defaults_used["manufacture"] == 1 + 5
    assert (summary.room_devices, summary.room_file_pue_rows) == (2 * 2 + 5 * 3, 5)
    assert summary.indicator_sums.devices_in_service == 1 + 2 * 2
    assert summary.indicator_sums.retired == 5 * 3  # bought under 10 years ago (the sample's dates)
    assert summary.budget.eur_per_year["renewal_eur_per_year"] == 80 + 2 * 15 + 5 * 2 == 120
    assert summary.budget.fleet_devices == 1 + 2 * 2  # the retired row is out of the fleet
    assert summary.criteria.quantity == 20
    by_category = summary.to_json()["by_category"]
    assert [(c["category"], c["rows"], c["total_kgco2e"]) for c in by_category] == [
        ("laptop", 6, 12.5),
        ("monitor", 2, 6.0),
    ]


def test_weights_of_one_give_the_unweighted_summary_bit_for_bit():
    rows = sample_rows()
    ones = InventorySummary.from_rows(rows, FACTORS, weights=np.ones(len(rows), dtype=np.int64))
    plain = InventorySummary.from_rows(rows, FACTORS)
    assert ones.to_json() == plain.to_json()
    assert ones.totals == plain.totals and ones.indicator_sums.age_profile.equals(
        plain.indicator_sums.age_profile
    )
    for by in ("category", "entity", "site"):
        assert ones.groups[by].equals(plain.groups[by])


def test_whole_float_weights_are_taken_as_integers():
    frame = three_rows()
    floats = InventorySummary.from_rows(frame, FACTORS, weights=np.array([1.0, 2.0, 5.0]))
    ints = InventorySummary.from_rows(frame, FACTORS, weights=np.array([1, 2, 5]))
    assert floats.to_json() == ints.to_json() and floats.groups["category"]["rows"].dtype == np.int64


@pytest.mark.parametrize(
    "weights",
    [
        np.array([1, 2]),
        np.array([1, 0, 1]),
        np.array([1, -2, 1]),
        np.array([1, 2.5, 1]),
        np.array([1, np.nan, 1]),
    ],
)
def test_weights_must_be_one_whole_number_of_at_least_1_per_row(weights):
    with pytest.raises(ValueError, match="weights"):
        InventorySummary.from_rows(three_rows(), FACTORS, weights=weights)


def test_rows_listed_one_by_one_must_weigh_1():
    rows = sample_rows()
    for listed in (rows["estimate_status"] != "estimated", rows["price_reason"].notna()):
        position = int(np.flatnonzero(listed.to_numpy())[0])
        weights = np.ones(len(rows), dtype=np.int64)
        weights[position] = 2
        with pytest.raises(ValueError, match="weight 1"):
            InventorySummary.from_rows(rows, FACTORS, weights=weights)


def test_bincount_sums_count_the_weights_as_rows():
    keys = Keys.of(pd.Series(["laptop", None, "monitor", "laptop"]))
    sums = bincount_sums(keys, {"kg": np.array([2.0, 3.0, 4.0, 10.0])}, "category", np.array([1, 3, 2, 5]))
    assert sums["rows"].tolist() == [1 + 5, 2, 3] and sums["rows"].dtype == np.int64
    assert sums["kg"].tolist() == [12.0, 4.0, 3.0]  # the values come already weighted
