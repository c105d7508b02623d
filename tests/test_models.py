"""The models called directly, as pvlib tests its functions: each formula on a scalar, a numpy
array and a pandas Series, against arithmetic written here by hand — no file, no CLI, no report.

``inventory/model.py`` (the equipment footprint), ``ai/runs/model.py`` (AI runs) and ``Bounds``
(low, central and high carried together, interval arithmetic for non-negative quantities).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FRANCE_GRID, LAPTOP_END_OF_LIFE, LAPTOP_MANUFACTURE
from greenit.ai.runs import model as runs
from greenit.bounds import Bounds
from greenit.inventory import model as inventory


def shapes(*values: float):
    """The same numbers as a scalar (the first), a numpy array and a pandas Series."""
    return [values[0], np.array(values, dtype=float), pd.Series(values, dtype=float)]


def same(result, expected) -> None:
    """``result`` equals ``expected`` (approx.), in the shape it was given (NaN equals NaN)."""
    np.testing.assert_allclose(np.asarray(result, dtype=float), np.asarray(expected, dtype=float), rtol=1e-12)


# --- Bounds ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["scalar", "array", "series"])
def test_bounds_arithmetic_follows_interval_rules_in_every_shape(kind):
    # the same value in each element: the rules are elementwise, the shape is what varies
    make = {"scalar": float, "array": lambda v: np.full(2, v), "series": lambda v: pd.Series([v] * 3)}[kind]
    a = Bounds(make(10.0), make(8.0), make(13.0))
    b = Bounds(make(2.0), make(1.0), make(4.0))
    same(list(a + b), [make(12.0), make(9.0), make(17.0)])
    same(list(a - b), [make(8.0), make(8.0) - make(4.0), make(13.0) - make(1.0)])  # low − other's high
    same(list(a * b), [make(20.0), make(8.0), make(52.0)])
    same(list(a / b), [make(10.0) / make(2.0), make(8.0) / make(4.0), make(13.0) / make(1.0)])
    same(list(3.0 * a), [make(30.0), make(24.0), make(39.0)])  # a number is exact: ×3 each
    same(list(a + 1.0), [make(11.0), make(9.0), make(14.0)])
    assert (a / b).ordered() and (a * b).ordered() and (a - b).ordered()
    assert all(type(v) is type(make(1.0)) for v in a * b / 2.0 + 1.0)  # a Series stays a Series


def test_a_number_divided_by_bounds_takes_the_high_for_the_low():
    yearly = 120.0 / Bounds(6.0, 4.0, 8.0)  # a longer lifespan gives a lower yearly share
    assert list(yearly) == [20.0, 15.0, 30.0]


def test_bounds_where_fill_sum_and_map():
    table = Bounds(np.array([10.0, 10.0, 10.0]), np.array([8.0, 8.0, 8.0]), np.array([12.0, 12.0, 12.0]))
    given = np.array([5.0, np.nan, 7.0])  # the user's own figures where given
    filled = table.fill(given)
    same(list(filled), [[5.0, 10.0, 7.0], [5.0, 8.0, 7.0], [5.0, 12.0, 7.0]])
    chosen = table.where(np.array([True, False, True]), Bounds.exact(1.0))
    same(list(chosen), [[10.0, 1.0, 10.0], [8.0, 1.0, 8.0], [12.0, 1.0, 12.0]])
    assert list(Bounds(np.array([1.0, np.nan]), np.array([0.5, 1.0]), np.array([2.0, 3.0])).sum()) == [
        1.0,
        1.5,
        5.0,
    ]
    assert list(Bounds(4.0, 1.0, 9.0).map(np.sqrt)) == [2.0, 1.0, 3.0]
    assert Bounds.of(table) is table and list(Bounds.of(2.0)) == [2.0, 2.0, 2.0]


def test_ordered_says_where_low_central_high_is_broken_and_ignores_nan():
    assert Bounds(np.array([1.0, np.nan]), np.array([0.5, 9.0]), np.array([2.0, 0.0])).ordered()
    assert not Bounds(np.array([1.0, 5.0]), np.array([0.5, 6.0]), np.array([2.0, 7.0])).ordered()


positive = st.floats(min_value=0.001, max_value=1e6, allow_nan=False)


@given(st.lists(positive, min_size=3, max_size=3), st.lists(positive, min_size=3, max_size=3))
def test_ordered_bounds_stay_ordered_through_every_operation(x, y):
    (low_a, central_a, high_a), (low_b, central_b, high_b) = sorted(x), sorted(y)
    a, b = Bounds(central_a, low_a, high_a), Bounds(central_b, low_b, high_b)
    for result in (a + b, a * b, a / b, 2.5 * a, 7.0 / b):
        assert result.ordered()


# --- inventory model -------------------------------------------------------------------------


def test_decimal_year_of_dates_in_an_index_and_a_series():
    dates = ["2024-01-01", "2024-07-01", "2023-07-02", None]
    # 2024 is a leap year: 1 July is day 183, (183 − 1) / 366; 2 July 2023 is day 183 of 365
    expected = [2024.0, 2024 + 182 / 366, 2023 + 182 / 365, np.nan]
    same(inventory.decimal_year(pd.to_datetime(dates)), expected)
    same(inventory.decimal_year(pd.Series(pd.to_datetime(dates))), expected)


def test_age_at_end_of_year():
    dates = pd.Series(pd.to_datetime(["2016-01-01", "2025-07-02", None]))
    same(inventory.age_at_end_of_year(dates, 2025), [10.0, 2026 - (2025 + 182 / 365), np.nan])


@pytest.mark.parametrize(
    ("start", "end", "share"),
    [
        (2020.0, 2025.0, 1.0),  # the whole of 2024 inside
        (2024.5, 2029.5, 0.5),  # bought mid-year
        (2019.25, 2024.25, 0.25),  # retired a quarter into the year
        (2026.0, 2031.0, 0.0),  # bought after
        (np.nan, np.nan, 1.0),  # undated: present the whole year
        (2024.25, 2024.75, 0.5),  # in and out within the year
    ],
)
def test_year_overlap(start, end, share):
    for s, e in zip(shapes(start, start), shapes(end, end), strict=True):
        same(inventory.year_overlap(np.asarray(s), np.asarray(e), 2024), np.full(np.shape(s), share))


def test_amortised_manufacture_of_the_laptop_in_every_shape():
    for quantity in shapes(2.0, 3.0):
        result = inventory.amortised_manufacture(LAPTOP_MANUFACTURE, quantity, 5.0, 0.5)
        same(result, LAPTOP_MANUFACTURE * np.asarray(quantity) / 5.0 * 0.5)
    ranged = inventory.amortised_manufacture(Bounds(LAPTOP_MANUFACTURE, 170.0, 260.0), 1.0, 5.0, 1.0)
    same(list(ranged), [LAPTOP_MANUFACTURE / 5, 170.0 / 5, 260.0 / 5])


def test_flux_manufacture_charges_the_purchase_year_only():
    same(
        inventory.flux_manufacture(LAPTOP_MANUFACTURE, np.array([2.0, 2.0]), np.array([1.0, 0.0])),
        [
            2 * LAPTOP_MANUFACTURE,
            0.0,
        ],
    )


def test_yearly_manufacture_amortised_and_flux():
    start = np.array([2024.5, 2018.0, np.nan])
    manufacture, end_of_life = inventory.yearly_manufacture_kgco2e(
        Bounds.exact(np.full(3, LAPTOP_MANUFACTURE)),
        np.full(3, LAPTOP_END_OF_LIFE),
        np.ones(3),
        np.full(3, 5.0),
        start,
        year=2024,
        method="amortised",
    )
    # half of 2024 within its life; past its 5 years (2018–2023); undated: a whole year
    share = np.array([0.5, 0.0, 1.0])
    same(manufacture.central, LAPTOP_MANUFACTURE / 5 * share)
    same(end_of_life, LAPTOP_END_OF_LIFE / 5 * share)
    manufacture, end_of_life = inventory.yearly_manufacture_kgco2e(
        Bounds.exact(np.full(3, LAPTOP_MANUFACTURE)),
        np.full(3, LAPTOP_END_OF_LIFE),
        np.ones(3),
        np.full(3, 5.0),
        np.array([2024.5, 2018.0, 2024.0]),
        year=2024,
        method="flux",
    )
    same(manufacture.central, [LAPTOP_MANUFACTURE, 0.0, LAPTOP_MANUFACTURE])
    same(end_of_life, [LAPTOP_END_OF_LIFE, 0.0, LAPTOP_END_OF_LIFE])


def test_refurbished_manufacture():
    # a refurbished device (r = 1) carries s of a new one's manufacture; half the purchases: 1 − r + r·s
    result = inventory.refurbished_manufacture_kgco2e(
        Bounds.exact(np.array([100.0, 100.0])), np.array([1.0, 0.5]), Bounds(0.13, 0.01, 0.64)
    )
    same(result.central, [13.0, 56.5])
    same(result.low, [1.0, 50.5])
    same(result.high, [64.0, 82.0])


def test_annual_energy_uses_the_given_kwh_else_power_times_hours():
    for kwh, power in zip(shapes(np.nan, 48.0), shapes(65.0, 65.0), strict=True):
        same(
            inventory.annual_energy_kwh(np.asarray(kwh), np.asarray(power), 2628.0),
            np.where(np.isnan(np.asarray(kwh)), 65.0 * 2628 / 1000, np.asarray(kwh)),
        )


def test_consuming_share_and_use_emissions():
    same(
        inventory.consuming_share_of_year(
            np.array([2024.5, 2020.0]), np.array([2030.0, 2030.0]), np.array([1.0, 0.0]), year=2024
        ),
        [0.5, 0.0],  # half a year in service; a stored device draws nothing
    )
    for kwh in shapes(48.0, 100.0):
        same(inventory.use_emissions(kwh, FRANCE_GRID), np.asarray(kwh) * FRANCE_GRID)


# --- AI runs model ---------------------------------------------------------------------------


def test_accelerator_energy_in_every_shape_and_with_a_power_range():
    for hours in shapes(10.0, 20.0):
        same(runs.accelerator_energy_kwh(hours, 400.0, 0.5).central, np.asarray(hours) * 400 * 0.5 / 1000)
    ranged = runs.accelerator_energy_kwh(np.array([10.0]), Bounds(400.0, 300.0, 450.0), 1.0)
    same(list(ranged), [[4.0], [3.0], [4.5]])


def test_host_energy_counts_only_what_the_log_gives():
    result = runs.host_energy_kwh(
        pd.Series([10.0, 10.0, 10.0, np.nan]),
        pd.Series([100.0, np.nan, 100.0, 100.0]),
        pd.Series([64.0, 64.0, np.nan, 64.0]),
        0.3725,
    )
    same(result, [10 * (100 + 64 * 0.3725) / 1000, 10 * 64 * 0.3725 / 1000, 10 * 100 / 1000, 0.0])


def test_job_facility_and_usage():
    for hours in shapes(2.0, 4.0):
        same(runs.job_energy_kwh(hours, 5000.0), np.asarray(hours) * 5.0)
    facility = runs.facility_energy_kwh(np.array([10.0, 20.0]), Bounds(1.56, 1.15, 1.63))
    same(list(facility), [[15.6, 31.2], [11.5, 23.0], [16.3, 32.6]])
    usage = runs.usage_kgco2e(facility, FRANCE_GRID)
    same(usage.high, np.array([16.3, 32.6]) * FRANCE_GRID)


def test_server_hours_and_amortised_embodied_by_hand():
    hours = runs.server_hours(pd.Series([80.0, 8.0]), Bounds(8.0, 4.0, 8.0))
    same(list(hours), [[10.0, 1.0], [10.0, 1.0], [20.0, 2.0]])  # fewer per server: more servers
    embodied = runs.amortised_embodied_kgco2e(
        hours, Bounds(2500.0, 2500.0, 5700.0), Bounds(6.0, 3.0, 6.0), 0.85
    )
    per_hour = 2500.0 / (6 * runs.HOURS_PER_YEAR * 0.85)
    same(embodied.central, np.array([10.0, 1.0]) * per_hour)
    same(embodied.low, np.array([10.0, 1.0]) * 2500.0 / (6 * runs.HOURS_PER_YEAR * 0.85))
    same(embodied.high, np.array([20.0, 2.0]) * 5700.0 / (3 * runs.HOURS_PER_YEAR * 0.85))
    assert embodied.ordered()
