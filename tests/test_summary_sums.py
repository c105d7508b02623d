"""The summary's sums on group codes give the figures grouping the rows' labels gives, bit for bit.

The summary of an inventory sums its columns per category, department and site from the
integer codes of the keys (:mod:`greenit.results.groups`), without copying the frame per mask.
These tests hold the fast path to the plain pandas computation it replaced: small cases by
hand, generated keys and values (NaN, wide magnitudes, unused and reordered categories) against
``groupby`` on the labels, and the sample town's summary with its keys as Categoricals and as
plain text.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import SAMPLE_INVENTORY
from greenit.api import estimate_files
from greenit.factors.criteria import criteria_columns
from greenit.results import InventorySummary, json_ready
from greenit.results.budget import BudgetSums
from greenit.results.criteria import CriteriaSums
from greenit.results.groups import Keys, bincount_sums, compensated_sums


@pytest.fixture(scope="module")
def sample():
    return estimate_files([SAMPLE_INVENTORY], year=2025)


def test_keys_are_codes_into_labels_sorted_for_text_and_kept_for_a_categorical():
    text = Keys.of(pd.Series(["site B", None, "site A", "site B"]))
    assert text.codes.tolist() == [1, -1, 0, 1] and text.labels.tolist() == ["site A", "site B"]
    categorical = Keys.of(pd.Series(pd.Categorical(["b", "a"], categories=["c", "b", "a"])))
    assert categorical.codes.tolist() == [1, 2] and categorical.labels.tolist() == ["c", "b", "a"]
    assert categorical.seen() == ["b", "a"] and Keys.of(pd.Series([None, None])).seen() == []


def test_bincount_sums_by_hand():
    keys = Keys.of(pd.Series(["laptop", None, "monitor", "laptop", "monitor"]))
    sums = bincount_sums(keys, {"kg": np.array([1.5, 2.0, 3.0, 4.0, 0.25])}, "category")
    assert sums.index.tolist()[:2] == ["laptop", "monitor"] and pd.isna(sums.index[2])
    assert sums["kg"].tolist() == [5.5, 3.25, 2.0]  # 1.5 + 4, 3 + 0.25, the row without a key
    assert sums["rows"].tolist() == [2, 2, 1]


def test_compensated_sums_by_hand_skip_nan_and_rows_without_key():
    keys = Keys.of(pd.Series(["b", None, "a", "b", "a"]))
    sums = compensated_sums(keys, {"x": np.array([1.0, 100.0, np.nan, 2.5, np.nan])}, "k")
    assert sums.index.tolist() == ["a", "b"] and sums["x"].tolist() == [0.0, 3.5]  # a: NaN only → 0


LABELS = st.sampled_from(["écran", "laptop", "Laptop", "z", "a b", None])
VALUES = st.one_of(
    st.floats(min_value=-1e12, max_value=1e12),
    st.sampled_from([0.1, 0.2, 0.3, 1e-9, 1e15, -1e15, math.nan, 2.0**53, -0.0]),
    st.integers(-(2**40), 2**40).map(float),  # devices counted: the exact whole-number path
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(LABELS, VALUES, VALUES), min_size=1, max_size=60), st.booleans())
# found by a locked run: grouped in a Categorical's order, pandas rounded « écran » to 1e15 + 2
# where grouping the labels gives 1e15 + 1.875 (the codes are now renumbered in the labels' order)
@example([("Laptop", 0.0, 0.0), ("écran", 0.0, 1.875), ("écran", 0.0, 0.0625), ("écran", 0.0, 1e15)], True)
def test_compensated_sums_are_pandas_grouped_sums_of_the_labels(rows, as_categorical):
    labels = pd.Series([r[0] for r in rows], dtype=object)
    x, y = (np.array([r[i] for r in rows], dtype=float) for i in (1, 2))
    expected = pd.DataFrame({"k": labels, "x": x, "y": y}).groupby("k").sum()
    if as_categorical:  # categories in another order, one never used: what a batch's frame holds
        order = ["z", "unused", "laptop", "a b", "écran", "Laptop"]
        labels = labels.astype(pd.CategoricalDtype(order))
    got = compensated_sums(Keys.of(labels), {"x": x, "y": y}, "k")
    # Same groups, order and labels; figures to rounding: pandas' own grouped sum is not one bit
    # pattern (a frame whose other column holds a NaN sums 9.5e-09 + 1 + 1 to ...962, a Series
    # alone to ...9626). The real files' outputs are byte-identical (benchmarks/snapshot_outputs.py).
    pd.testing.assert_index_equal(got.index, expected.index)
    scale = np.nanmax(np.abs(np.concatenate([x, y, [0.0]])))
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-12, atol=1e-12 * scale)


def test_whole_numbers_past_two_to_the_53_are_summed_as_pandas_sums_them():
    keys = Keys.of(pd.Series(["a", "a", "a", "b"]))
    values = np.array([2.0**53, 1.0, 1.0, 3.0])  # a running sum loses each +1, pandas keeps them
    expected = pd.DataFrame({"k": ["a", "a", "a", "b"], "x": values}).groupby("k").sum()
    got = compensated_sums(keys, {"x": values}, "k")
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    whole = compensated_sums(keys, {"x": np.array([4.0, 1.0, 2.0, 3.0])}, "k")
    assert whole["x"].tolist() == [7.0, 3.0]


def test_the_age_profile_leaves_out_devices_without_a_category():
    from greenit.inventory.indicators import _age_sums

    codes, labels = np.array([0, -1, 1, 0]), pd.Index(["laptop", "monitor"])
    age, lifespan, quantity = (
        np.array([2.0, 3.0, np.nan, 12.0]),
        np.full(4, 5.0),
        np.array([1.0, 7.0, 2.0, 1.0]),
    )
    profile = _age_sums((codes, labels), age, lifespan, quantity, 10.0)
    assert profile.index.tolist() == ["laptop", "monitor"]
    assert profile.loc["laptop", "within_lifespan"] == 1.0 and profile.loc["laptop", "over_ten_years"] == 1.0
    assert profile.loc["monitor", "unknown_age"] == 2.0
    assert profile["dated_devices"].sum() == 2.0 and profile["lifespan_device_years"].sum() == 20.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(LABELS, VALUES), min_size=1, max_size=60))
def test_bincount_sums_add_each_group_in_row_order(rows):
    keys = Keys.of(pd.Series([r[0] for r in rows], dtype=object))
    values = np.array([r[1] for r in rows], dtype=float)
    sums = bincount_sums(keys, {"x": values}, "k")
    for label, total in sums["x"].items():
        running = 0.0
        for key, value in rows:
            if key == label or (key is None and pd.isna(label)):
                running += value
        assert total == running or (math.isnan(total) and math.isnan(running))


def _as_text(rows: pd.DataFrame) -> pd.DataFrame:
    """The same rows with the group keys as plain text (the other path of the keys)."""
    out = rows.copy()
    for column in ("category", "entity", "site", "country"):
        out[column] = out[column].astype(object)
    return out


def test_the_summary_is_the_same_whether_its_keys_are_categorical_or_text(sample):
    rows = sample.rows
    assert isinstance(rows["category"].dtype, pd.CategoricalDtype)
    categorical = InventorySummary.from_rows(rows, sample.factors).to_json("fr")
    text = InventorySummary.from_rows(_as_text(rows), sample.factors).to_json("fr")
    assert json.dumps(categorical, sort_keys=True) == json.dumps(text, sort_keys=True)


def test_budget_per_category_is_the_grouped_sum_of_the_fleet_rows(sample):
    from greenit.inventory.budget import OUT_OF_FLEET

    rows = sample.rows
    fleet = (rows["estimate_status"] == "estimated") & ~rows["status_kind"].isin(OUT_OF_FLEET)
    kept = rows[fleet.to_numpy()]
    expected = (
        pd.DataFrame(
            {
                "category": kept["category"].astype(object).to_numpy(),
                "quantity": kept["quantity"].to_numpy(dtype=float),
                "priced": np.where(kept["price_origin"].astype(object) != "unknown", kept["quantity"], 0.0),
                "renewal_eur_per_year": np.nan_to_num(kept["renewal_eur_per_year"].to_numpy(dtype=float)),
            }
        )
        .groupby("category")
        .sum()
    )
    got = BudgetSums.from_rows(rows, sample.factors).by_category
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got["quantity"].sum() > 0


def test_criteria_not_given_are_the_grouped_devices_of_the_rows_without_the_figure(sample):
    rows = sample.rows
    mask = (rows["estimate_status"] == "estimated").to_numpy()
    sums = CriteriaSums.from_rows(rows, mask)
    kept = rows[mask]
    for column, devices in sums.missing.items():
        absent = kept[kept[column].isna()]
        expected = absent.groupby("category", observed=True)["quantity"].sum()
        assert devices == {str(k): float(v) for k, v in expected.items()}
    assert sums.sums == {c: float(np.nansum(kept[c].to_numpy(dtype=float))) for c in criteria_columns()}
    assert sums.categories == frozenset(kept["category"].dropna().astype(str))


def test_flagged_records_are_built_column_by_column_with_the_json_of_cell_by_cell(sample):
    from greenit.flags import code_of

    summary = InventorySummary.from_rows(sample.rows, sample.factors)
    summary.flagged.loc[0, "name"] = np.nan  # a row without a name: null
    assert len(summary.flagged) > 1
    for lang in ("fr", "en"):
        cell_by_cell = [
            json_ready(
                {
                    "row": row["row"],
                    "line": row["line"],
                    "file": str(row["file"]),
                    "name": None if pd.isna(row["name"]) else str(row["name"]),
                    "reason": row["reason"],
                    "reason_code": code_of(row["reason"]),
                },
                lang,
            )
            for _, row in summary.flagged.iterrows()
        ]
        assert summary.to_json(lang)["flagged"] == cell_by_cell
