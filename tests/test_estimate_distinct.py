"""The estimate stage worked out per distinct value gives what the per-row formulas give.

Issue 18 moved the estimate's per-row work onto distinct values (dates per calendar day, table
look-ups and the amortisation family per category, server-room origins as a Categorical) and
shared the carbon model's per-row factors with the other criteria. Each test holds one of these
to the formula it replaced, by hand on a small case and, where two implementations could drift
apart, on generated values (hypothesis), to the bit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from greenit.bounds import Bounds
from greenit.factors.criteria import CRITERIA, device_manufacture
from greenit.factors.load import load_factors
from greenit.factors.lookup import positions_in, take
from greenit.inventory.criteria import RowBasis, criteria_values
from greenit.inventory.estimate import with_columns
from greenit.inventory.lifespans import family_years
from greenit.inventory.model import (
    amortised_manufacture,
    decimal_year,
    flux_manufacture,
    refurbished_factor,
    refurbished_manufacture_kgco2e,
    year_overlap,
    yearly_manufacture_kgco2e,
    yearly_share,
)
from greenit.inventory.room import room_pue

FACTORS = load_factors()


def per_row_decimal_year(dates) -> np.ndarray:
    """The former decimal_year: every row's own year, day of year and leap year."""
    index = pd.DatetimeIndex(dates)
    days = np.where(index.is_leap_year, 366.0, 365.0)
    return index.year.to_numpy(dtype=float) + (index.day_of_year.to_numpy(dtype=float) - 1.0) / days


def test_decimal_year_by_hand_a_leap_day_the_last_day_and_a_missing_date():
    dates = pd.Series(pd.to_datetime(["2024-02-29 18:00", "2023-12-31 00:00", None, "2024-02-29 00:00"]))
    result = decimal_year(dates)
    assert result[0] == result[3] == 2024 + 59 / 366  # the time of day does not count
    assert result[1] == 2023 + 364 / 365
    assert np.isnan(result[2])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.datetimes(min_value=pd.Timestamp("1900-01-01"), max_value=pd.Timestamp("2100-12-31")),
        ),
        max_size=40,
    )
)
def test_decimal_year_per_distinct_day_is_the_per_row_formula(values):
    dates = pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")
    assert np.array_equal(decimal_year(dates), per_row_decimal_year(dates), equal_nan=True)
    local = dates.dt.tz_localize("Europe/Paris", ambiguous="NaT", nonexistent="NaT")
    assert np.array_equal(decimal_year(local), per_row_decimal_year(local), equal_nan=True)


def test_yearly_share_by_hand():
    quantity, lifespan = np.array([2.0, 2.0, 3.0]), np.array([5.0, 5.0, 4.0])
    start = np.array([2024.5, np.nan, 2018.0])
    # half of 2024 within its life; undated: a whole year; past its 4 years (2018–2021)
    assert yearly_share(quantity, lifespan, start, year=2024, method="amortised").tolist() == [0.2, 0.4, 0.0]
    # flux: the whole quantity in the purchase year only
    assert yearly_share(quantity, lifespan, start, year=2024, method="flux").tolist() == [2.0, 0.0, 0.0]


ROWS = st.lists(
    st.tuples(
        st.sampled_from([*FACTORS.tables["device_criteria"].index[:6], "unknown_device"]),
        st.floats(0.0, 1.0),  # refurbished share
        st.floats(0.5, 500.0),  # quantity
        st.floats(0.5, 12.0),  # lifespan [years]
        st.one_of(st.just(np.nan), st.floats(2010.0, 2026.0)),  # purchase, decimal year
    ),
    min_size=1,
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(ROWS, st.sampled_from(["amortised", "flux"]), st.sampled_from([1.0, 0.75]))
def test_criteria_manufacture_through_the_shared_factors_is_the_former_formula(rows, method, renewal):
    category, refurbished, quantity, lifespan, start = (np.array(c) for c in zip(*rows, strict=True))
    inventory = pd.DataFrame(
        {"category": pd.Categorical(category), "country": pd.Categorical(["FRA"] * len(rows))}
    )
    carried = Bounds(*FACTORS.parameter("refurbished_manufacture_share"))
    share = yearly_share(quantity, lifespan, start, year=2025, method=method)
    basis = RowBasis(
        share,
        refurbished_factor(refurbished, carried),
        np.asarray(renewal),
        Bounds.exact(np.zeros(len(rows))),
        np.ones(len(rows), dtype=bool),
    )
    columns = criteria_values(inventory, basis, FACTORS)
    for criterion in (c for c in CRITERIA if c.manufacture):
        device = refurbished_manufacture_kgco2e(
            device_manufacture(FACTORS, inventory["category"], criterion), refurbished, carried
        )
        former, _ = yearly_manufacture_kgco2e(
            device * np.asarray(renewal),
            np.zeros(len(rows)),
            quantity,
            lifespan,
            start,
            year=2025,
            method=method,
        )
        for bound, values in zip(("", "_low", "_high"), former, strict=True):
            assert np.array_equal(columns[criterion.column("manufacture", bound)], values, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(ROWS, st.sampled_from(["amortised", "flux"]))
def test_the_yearly_share_is_the_manufacture_of_a_device_weighing_one(rows, method):
    quantity, lifespan, start = (np.array(c, dtype=float) for c in list(zip(*rows, strict=True))[2:])
    manufacture = Bounds(np.full(len(rows), 182.3), np.full(len(rows), 150.0), np.full(len(rows), 260.0))
    if method == "flux":
        former = flux_manufacture(manufacture, quantity, (np.floor(start) == 2025).astype(float))
    else:
        former = amortised_manufacture(
            manufacture, quantity, lifespan, year_overlap(start, start + lifespan, 2025)
        )
    share = yearly_share(quantity, lifespan, start, year=2025, method=method)
    for ours, theirs in zip(manufacture * share, former, strict=True):
        assert np.array_equal(ours, theirs, equal_nan=True)


def test_room_origins_are_compared_per_origin():
    in_room = np.array([True, True, True, False])
    pue, origin = room_pue(in_room, np.array([np.nan, 1.8, np.nan, 1.7]), 1.4, Bounds(1.63, 1.5, 2.1))
    assert origin.tolist() == ["option", "file", "option", ""]
    assert (origin == "option").tolist() == [True, False, True, False]
    assert (origin != "").tolist() == [True, True, True, False]
    assert pue.central.tolist() == [1.4, 1.8, 1.4, 1.0]


def test_family_years_per_category_in_a_categorical_and_in_plain_text():
    families = pd.DataFrame({"amortisation_years": [3.5, 7.5], "categories": ["laptop; desktop", "printer"]})
    values = ["laptop", None, "printer", "tablet", "desktop", "laptop"]
    expected = [3.5, np.nan, 7.5, np.nan, 3.5, 3.5]
    for column in (pd.Series(values), pd.Series(pd.Categorical(values))):
        assert np.array_equal(family_years(column, families), expected, equal_nan=True)
    assert np.isnan(family_years(pd.Series(values), None)).all()


def test_table_look_ups_give_nan_for_a_missing_or_unknown_key():
    table = pd.DataFrame({"kwh": [20.0, 80.0]}, index=pd.Index(["laptop", "desktop"], name="category"))
    keys = ["desktop", None, "toaster", "laptop"]
    for column in (pd.Series(keys), pd.Series(pd.Categorical(keys))):
        positions = positions_in(table, column)
        assert positions.tolist() == [1, -1, -1, 0]
        assert np.array_equal(take(table, positions, "kwh"), [80.0, np.nan, np.nan, 20.0], equal_nan=True)
    assert positions_in(table, pd.Series(pd.Categorical([None, None]))).tolist() == [-1, -1]


def test_result_columns_are_joined_as_one_by_one_assignments_would_place_them():
    frame = pd.DataFrame({"a": [1.0, 2.0], "reason": [None, "x"], "b": [3.0, 4.0]})
    frame.attrs["source"] = "file.csv"
    out = with_columns(
        frame, {"total": np.array([5.0, 6.0]), "reason": ["r", None], "more": np.array([0.0, 1.0])}
    )
    expected = frame.copy()
    for name, values in {"total": [5.0, 6.0], "reason": ["r", None], "more": [0.0, 1.0]}.items():
        expected[name] = values
    pd.testing.assert_frame_equal(out, expected)
    assert list(out.columns) == ["a", "reason", "b", "total", "more"]
    assert out.attrs == {"source": "file.csv"}
