"""The result object: the same summary whether an inventory is read at once or in batches,
strict JSON, the reference year checked.
"""

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest

from conftest import SAMPLE_INVENTORY, write
from greenit.api import check_year, default_year, estimate_files
from greenit.errors import GreenitError
from greenit.results import InventorySummary, dumps, json_ready


@pytest.fixture(scope="module")
def sample():
    return estimate_files([SAMPLE_INVENTORY], year=2025)


def _by_key(groups: list[dict], key: str) -> dict:
    return {g[key]: g for g in groups}


def test_a_summary_merged_from_batches_is_the_summary_of_the_whole(sample):
    rows = sample.rows
    whole = InventorySummary.from_rows(rows, sample.factors)
    cuts = [0, 1, 700, 701, 1500, len(rows)]
    parts = [
        InventorySummary.from_rows(rows.iloc[a:b], sample.factors)
        for a, b in zip(cuts, cuts[1:], strict=False)
    ]
    merged = parts[0]
    for part in parts[1:]:
        merged = merged.merge(part)
    a, b = whole.to_json("fr"), merged.to_json("fr")
    assert b["totals"] == pytest.approx(a["totals"])
    for key, column in (("by_category", "category"), ("by_entity", "entity"), ("by_site", "site")):
        groups_a, groups_b = _by_key(a[key], column), _by_key(b[key], column)
        assert groups_a.keys() == groups_b.keys()
        for name, group in groups_a.items():
            assert groups_b[name] == pytest.approx(group)
    assert a["flagged"] == b["flagged"] and a["coverage"] == b["coverage"]
    assert a["defaults_used"] == b["defaults_used"] and a["rows_in"] == b["rows_in"]
    assert whole.indicator_sums.indicators(sample.factors, 2025) == pytest.approx(
        merged.indicator_sums.indicators(sample.factors, 2025)
    )
    age_whole = whole.indicator_sums.age_table().sort_index()
    age_merged = merged.indicator_sums.age_table().sort_index()
    pd.testing.assert_frame_equal(age_whole, age_merged, check_like=True)


def test_totals_of_the_summary_are_the_sums_of_the_rows(sample):
    rows = sample.rows
    estimated = rows[rows["estimate_status"] == "estimated"]
    result = sample.result()
    assert result["totals"]["total_kgco2e"] == pytest.approx(estimated["total_kgco2e"].sum())
    assert sum(g["quantity"] for g in result["by_category"]) == pytest.approx(estimated["quantity"].sum())
    assert result["rows_in"] == result["rows_estimated"] + result["rows_flagged"] == len(rows)
    flagged = rows[rows["estimate_status"] == "flagged"]
    assert [f["line"] for f in result["flagged"]] == list(flagged["line"])
    assert [f["name"] for f in result["flagged"]] == list(flagged["name"])


def test_coverage_counts_rows_and_devices(tmp_path):
    path = write(tmp_path / "inv.csv", "Type;Quantité\nPortable;9\nCafetière;1\nÉcran;\n")
    result = estimate_files([path], year=2025).result()
    assert result["coverage"] == {
        "rows": pytest.approx(2 / 3),
        "quantity": pytest.approx(10 / 11),
        "warning": True,
    }


def test_non_finite_values_never_reach_the_json():
    value = {"a": float("nan"), "b": np.float64("inf"), "c": [1.0, -math.inf], "d": np.int64(3), "e": pd.NA}
    assert json_ready(value) == {"a": None, "b": None, "c": [1.0, None], "d": 3, "e": None}
    text = dumps(value)
    assert "NaN" not in text and "Infinity" not in text
    json.loads(text)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_a_huge_quantity_gives_strict_json_from_the_cli(tmp_path, run_cli):
    path = write(tmp_path / "inv.csv", "Type;Quantité\nPortable;1e308\nPortable;1e308\n")
    code, out, err = run_cli("estimate", path, "--year", "2025", "--json")
    assert code in (0, 2), err
    if code == 0:
        json.loads(out, parse_constant=lambda c: pytest.fail(f"non-finite {c} in JSON"))


def test_the_default_year_is_the_last_complete_calendar_year():
    assert default_year(dt.date(2026, 1, 1)) == 2025
    assert default_year(dt.date(2026, 12, 31)) == 2025
    assert check_year(None) == dt.date.today().year - 1


@pytest.mark.parametrize("year", [25, 0, -5, 99999, dt.date.today().year + 2])
def test_a_year_that_is_not_four_digits_up_to_next_year_is_refused(year):
    with pytest.raises(GreenitError) as error:
        check_year(year)
    assert "n'est pas une année sur quatre chiffres" in error.value.render("fr")


def test_year_25_is_a_clear_french_error_and_exit_2(tmp_path, run_cli):
    path = write(tmp_path / "inv.csv", "Type\nPortable\n")
    code, _, err = run_cli("estimate", path, "--year", "25")
    assert code == 2
    assert "--year : « 25 » n'est pas une année sur quatre chiffres" in err


def test_every_output_says_its_year(tmp_path, run_cli):
    path = write(tmp_path / "inv.csv", "Type\nPortable\n")
    last = dt.date.today().year - 1
    code, out, _ = run_cli("estimate", path, "--json")
    assert json.loads(out)["year"] == last
    code, out, _ = run_cli("estimate", path)
    assert f"Empreinte carbone annuelle {last}" in out and f"Année de référence {last}" in out
    code, _, err = run_cli("estimate", path, "--xlsx-out", tmp_path / "r.xlsx")
    summary = pd.read_excel(tmp_path / "r.xlsx", sheet_name="Synthèse")
    assert summary.iloc[0].tolist()[:2] == ["Année de référence", last]


def test_run_records_are_built_column_by_column_with_the_same_json_as_cell_by_cell():
    import numpy as np
    import pandas as pd

    from greenit.flags import Flags
    from greenit.i18n import msg
    from greenit.results.jsonsafe import json_ready, records

    flags = Flags(3)
    flags.add(np.array([False, True, False]), msg("ai.flag.no_energy_source"))
    frame = pd.DataFrame(
        {
            "run_id": pd.array(["a", None, "c"], dtype="string"),
            "energy_kwh": [1 / 3, np.nan, np.inf],
            "runs": [1, 2, 3],
            "phase": pd.Categorical(["training", None, "inference"]),
            "reason": flags.column(),
            "ok": [True, False, True],
        }
    )
    cell_by_cell = [
        {
            k: None if (isinstance(v, float) and np.isnan(v)) or v is pd.NA else json_ready(v, "en")
            for k, v in row.items()
        }
        for row in frame.to_dict("records")
    ]
    assert records(frame, "en") == cell_by_cell
    assert records(frame, "en")[0] == {
        "run_id": "a",
        "energy_kwh": 0.333333333,
        "runs": 1,
        "phase": "training",
        "reason": None,
        "ok": True,
    }
    assert records(frame, "en")[1]["reason"] == msg("ai.flag.no_energy_source").render("en")
    assert records(frame, "en")[2]["energy_kwh"] is None  # strict JSON: no Infinity
