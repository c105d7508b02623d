"""The fixed costs of a small estimate, cut without changing a value: each shortcut (a plain
price read without word searches, header matches found through a word index and remembered,
group records built column by column, values carried in ``attrs`` frozen so pandas does not copy
them) is checked against the slow path it replaces, on generated values and by hand.
"""

from __future__ import annotations

import copy
import json
import math
import pickle
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLE_INVENTORY
from greenit.ai.runs.columns import AI_ALIASES
from greenit.inventory.columns import INVENTORY_ALIASES
from greenit.parsing import headers as headers_module
from greenit.parsing import money
from greenit.parsing.frozen import FrozenDict, FrozenList, FrozenTuple, frozen
from greenit.parsing.headers import header_column, map_headers, match_headers
from greenit.results.jsonsafe import json_ready

NEVER = re.compile(r"(?!)")


def same_price(a: tuple, b: tuple) -> bool:
    """Two results of ``parse_price``: the same euros (NaN alike), basis and problem."""
    value_a, value_b = a[0], b[0]
    values = (math.isnan(value_a) and math.isnan(value_b)) or value_a == value_b
    return values and a[1:] == b[1:]


def slow_price(cell: object) -> tuple:
    """``parse_price`` without its shortcut for plain prices: every cell through the word and
    currency searches, as before the shortcut.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(money, "_PLAIN_PRICE", NEVER)
        return money.parse_price(cell)


# -- prices written with digits alone ---------------------------------------------------------


def test_plain_prices_by_hand():
    assert money.parse_price("1 049.00") == (1049.0, None, None)  # GLPI's own number format
    assert money.parse_price("1 049,00") == (1049.0, None, None)
    assert money.parse_price("689,5") == (689.5, None, None)
    assert money.parse_price("12 345 678.90") == (12345678.9, None, None)
    assert math.isnan(money.parse_price("0.00")[0])  # GLPI's « never filled »: no price, no problem
    assert money.parse_price("0.00")[1:] == (None, None)
    # not plain: the slow path reads them (and says what is wrong)
    assert money.parse_price("1.049,00 € TTC")[:2] == (1049.0, "ttc")
    assert money.parse_price("1,049")[0] == 1.049  # reads two ways: the former reading, unchanged
    assert money.parse_price("-20")[2].key == "money.price.negative"


def grouped_number() -> st.SearchStrategy[str]:
    """Numbers as exports write them: thousands grouped by a space or not, 0 to 3 decimals."""
    return st.builds(
        lambda whole, group, decimals, mark: (
            (f"{whole:,}".replace(",", " ") if group else str(whole))
            + (f"{mark}{decimals}" if decimals else "")
        ),
        st.integers(0, 10**12),
        st.booleans(),
        st.sampled_from(["", "0", "5", "00", "50", "99", "123", "000"]),
        st.sampled_from([".", ","]),
    )


@settings(max_examples=400, deadline=None)
@given(st.one_of(grouped_number(), st.text(alphabet="0123456789 .,-+€k", max_size=20)))
def test_plain_price_shortcut_reads_as_the_slow_path(text):
    for cell in (text, f" {text}\u00a0", text.replace(" ", "\u202f")):
        assert same_price(money.parse_price(cell), slow_price(cell)), repr(cell)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(grouped_number(), st.sampled_from(["", "à saisir", "1 049,00 € HT", "$5"]))))
def test_price_column_reads_each_cell_as_one_cell(cells):
    parsed = money.parse_price_column(pd.Series(cells, dtype=object))
    for i, cell in enumerate(cells):
        expected = slow_price(cell)
        got = (parsed.values[i], parsed.cell_basis[i], parsed.errors[i])
        assert same_price(got, expected), repr(cell)


# -- headers -------------------------------------------------------------------------------


def scan_contained(words: set[str], exact: dict) -> object:
    """The former :func:`headers._contained`: every alias looked at, in the table's order."""
    best: list = []
    for alias in exact.values():
        if len(alias.words) > 1 and alias.words <= words and len(words) <= len(alias.words) + 3:
            if not best or len(alias.words) > len(best[0].words):
                best = [alias]
            elif len(alias.words) == len(best[0].words) and alias.column != best[0].column:
                best.append(alias)
    return best[0] if len(best) == 1 else None


def vocabulary(aliases) -> list[str]:
    exact, _ = headers_module._lookups(aliases)
    return sorted({word for key in exact for word in key.split()})


@pytest.mark.parametrize("aliases", [INVENTORY_ALIASES, AI_ALIASES], ids=["inventory", "ai"])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_word_index_finds_what_a_scan_finds(aliases, data):
    words = vocabulary(aliases)
    drawn = set(data.draw(st.lists(st.sampled_from([*words, "zz", "par", "du"]), min_size=2, max_size=8)))
    exact, _ = headers_module._lookups(aliases)
    assert headers_module._contained(drawn, exact) is scan_contained(drawn, exact)


def test_headers_by_hand_and_again():
    column = header_column(INVENTORY_ALIASES)
    expected = {
        "Date d'achat": "purchase_date",
        "Informations financières et administratives - Valeur": "unit_price_eur",  # GLPI's tab
        "Heures d'utilisation par an": "use_hours_per_year",  # its words hold an alias's
        "Type de matériel informatique": "category",
        "Puissance (W)": "power_w",
        "OP-0001": None,  # a cell of a data row, looked at while searching the header
        "Ville de Belleval > Direction générale": None,
    }
    for _ in range(2):  # the second time from what was remembered
        assert {h: column(h) for h in expected} == expected
        report = match_headers(list(expected), INVENTORY_ALIASES)
        assert report.used == {h: c for h, c in expected.items() if c is not None}
    assert report.ignored[0].header == "OP-0001"  # still ignored with its closest columns


def test_alias_tables_built_per_call_are_not_kept_for_ever():
    for i in range(3 * headers_module._LOOKUPS_MAX):
        table = {"name": ["Nom", f"nom {i}"], "site": ["Lieu"]}
        assert map_headers(["Nom", "Lieu", "Autre"], table) == match_headers(["Nom", "Lieu"], table).matches
    assert len(headers_module._LOOKUPS) <= headers_module._LOOKUPS_MAX
    assert len(headers_module._MATCHED) <= headers_module._LOOKUPS_MAX


# -- values carried in attrs -------------------------------------------------------------------


def test_frozen_values_are_shared_not_copied():
    from greenit.i18n import msg

    note = msg("inventory.note.blank_rows", count=3)
    value = frozen({"used": {"Nom": "name"}, "notes": [note], "price": (0.2, 0.1, 0.3)})
    assert isinstance(value, FrozenDict) and isinstance(value["notes"], FrozenList)
    assert isinstance(value["price"], FrozenTuple) and value["price"] == (0.2, 0.1, 0.3)
    assert copy.deepcopy(value) is value and copy.copy(value["notes"]) is value["notes"]
    assert value == {"used": {"Nom": "name"}, "notes": [note], "price": (0.2, 0.1, 0.3)}
    assert json.dumps(frozen({"a": [1, (2, 3)]})) == json.dumps({"a": [1, (2, 3)]})
    back = pickle.loads(pickle.dumps(value))
    assert back == value and isinstance(back, FrozenDict)
    for change in (
        lambda: value.__setitem__("x", 1),
        lambda: value["used"].update(x=1),
        lambda: value["notes"].append(note),
        lambda: value.pop("used"),
    ):
        with pytest.raises(TypeError):
            change()


def test_what_could_change_is_left_as_it_was():
    from greenit.i18n import msg
    from greenit.i18n.formats import Number

    for mutable in (
        [bytearray(b"x")],
        {"a": np.zeros(2)},
        [msg("inventory.note.blank_rows", count=Number(3))],
    ):
        assert frozen(mutable) is mutable  # pandas copies it as before


def test_columns_of_an_estimate_are_not_copied_into_every_column():
    from greenit.api import estimate_files

    estimate = estimate_files([SAMPLE_INVENTORY], year=2025)
    rows = estimate.rows
    report = rows.attrs["columns"]
    assert isinstance(report, FrozenDict)
    assert rows["quantity"].attrs["columns"] is report  # shared, not deep-copied
    assert rows[["quantity", "category"]].attrs["scope"] is rows.attrs["scope"]
    assert rows.head(3).attrs["electricity_price_eur_per_kwh"] is rows.attrs["electricity_price_eur_per_kwh"]


# -- JSON -----------------------------------------------------------------------------------


def test_group_records_as_the_row_by_row_ones():
    from greenit.api import estimate_files
    from greenit.results.inventory import GROUP_COLUMNS

    summary = estimate_files([SAMPLE_INVENTORY], year=2025).summary()
    for by in ("category", "entity", "site"):
        table = summary.group_table(by)
        by_rows = [
            json_ready({by: key, **{c: getattr(row, c) for c in GROUP_COLUMNS}}, "fr")
            for key, row in zip(table[by], table.itertuples(index=False), strict=True)
        ]
        got = summary._records(by, "fr")
        assert len(got) == len(by_rows) > 0
        for record, expected in zip(got, by_rows, strict=True):
            assert {k: record[k] for k in expected} == expected
            assert list(record)[: len(expected)] == list(expected)  # the keys in the same order


def test_json_ready_plain_types_first():
    class Code(str):
        pass

    value = {
        "n": 3,
        "flag": True,
        "np": np.int64(4),
        "third": 1 / 3,
        "nan": float("nan"),
        "code": Code("x"),
        "nested": {1: [np.float64(2.5), None, (np.bool_(False),)]},
        "frozen": frozen({"a": [1]}),
    }
    assert json_ready(value) == {
        "n": 3,
        "flag": True,
        "np": 4,
        "third": 0.333333333,
        "nan": None,
        "code": "x",
        "nested": {"1": [2.5, None, [False]]},
        "frozen": {"a": [1]},
    }
    assert type(json_ready(value)["frozen"]) is dict


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.just(-0.0)), max_size=30))
def test_float_columns_as_the_formatted_ones(values):
    """Floats of a records() column kept to 9 significant digits, as ``np.char.mod("%.9g")`` did."""
    from greenit.results.jsonsafe import records

    array = np.asarray(values, dtype=float)
    finite = np.isfinite(array)
    before = np.char.mod("%.9g", np.where(finite, array, 0.0)).astype(float).tolist()
    expected = [repr(float(v)) if ok else None for v, ok in zip(before, finite.tolist(), strict=True)]
    got = [None if r["x"] is None else repr(r["x"]) for r in records(pd.DataFrame({"x": array}))]
    assert got == expected


# -- AI: prices per model, resolvers per table, one summary --------------------------------


def test_hosted_euros_per_model_as_row_by_row():
    from greenit.ai.prices import hosted_eur, token_eur
    from greenit.factors import load_factors

    factors = load_factors()
    rate = float(factors.parameter("usd_per_eur")[0])
    usage = pd.DataFrame(
        {
            "model": ["gpt-4o-mini", "unknown-model", None, "gpt-4o-mini", "Mistral Large 2"],
            "model_label": ["a", "b", "gpt-4o-mini", "d", "e"],
            "input_tokens": [1e6, 5.0, 2e6, np.nan, 1e6],
            "output_tokens": [1e6, 5.0, 0.0, 1.0, 1e6],
        }
    )
    got = hosted_eur(usage, factors).tolist()
    by_hand = [(0.15 + 0.60) / rate, None, 2 * 0.15 / rate, None, (2.00 + 6.00) / rate]  # genai_prices.csv
    for value, expected in zip(got, by_hand, strict=True):
        assert math.isnan(value) if expected is None else value == pytest.approx(expected, rel=1e-12)
    row_by_row = [
        token_eur(m if isinstance(m, str) else label, i, o, factors)
        for m, label, i, o in usage[["model", "model_label", "input_tokens", "output_tokens"]].itertuples(
            index=False
        )
    ]
    assert [repr(v) for v in got] == [repr(v) for v in row_by_row]  # bit for bit


def test_resolvers_built_once_per_table_resolve_as_written():
    from greenit.ai.runs.accelerators import accelerator_resolver
    from greenit.ai.runs.places import Place, place_resolver
    from greenit.factors import load_factors

    factors = load_factors()
    for _ in range(2):  # the second time from the spellings kept
        accelerator = accelerator_resolver(factors)
        assert accelerator("NVIDIA A100-SXM4-80GB") == "a100_sxm_80gb"
        assert accelerator("Tesla A100 SXM 40GB") == "a100_sxm_40gb"
        assert accelerator("B9000") is None
        place = place_resolver(factors)
        assert place("europe-west1") == Place("europe-west1", "BEL")
        assert place("France") == Place(None, "FRA")
        assert place("on-prem Saint-Aubin") is None


def test_workload_summary_computed_once_until_a_field_changes(monkeypatch):
    from greenit.api import estimate_ai_files
    from greenit.results import workloads

    estimate = estimate_ai_files(SAMPLE_INVENTORY.parent / "journal_ia.csv", year=2025)
    calls = []
    original = workloads.WorkloadSummary.from_runs
    monkeypatch.setattr(
        workloads.WorkloadSummary,
        "from_runs",
        classmethod(lambda cls, *a, **k: calls.append(1) or original(*a, **k)),
    )
    first = estimate.summary()
    estimate.require_estimates()
    assert estimate.summary() is first and len(calls) == 1
    estimate.year = 2024  # another reference year: the runs of 2025 are out of it
    assert estimate.summary() is not first and len(calls) == 2
    assert estimate.summary().to_json()["year"] == 2024


# -- dates -----------------------------------------------------------------------------------


def date_texts() -> st.SearchStrategy[str]:
    """Dates as the patterns of :mod:`greenit.parsing.dates` read them, valid or not (a 30 February,
    a year out of range, a month 13), with a time or spaces around.
    """
    numbers = st.builds(
        lambda y, m, d: (y, m, d),
        st.integers(1600, 2300),
        st.integers(0, 13),
        st.integers(0, 32),
    )
    forms = [
        lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
        lambda y, m, d: f"{y}/{m}/{d} 10:30",
        lambda y, m, d: f"{d:02d}-{m:02d}-{y}",
        lambda y, m, d: f"{d}.{m}.{y}T08:00",
        lambda y, m, d: f"{m:02d}/{y}",
        lambda y, m, d: f"{y:04d}{m:02d}{d:02d}",
        lambda y, m, d: f" {y}.0\u00a0",
        lambda y, m, d: f"{y}",
    ]
    return st.one_of(
        st.builds(lambda parts, form: form(*parts), numbers, st.sampled_from(forms)),
        st.text(alphabet="0123456789-/. T:", max_size=24),
    )


@settings(max_examples=400, deadline=None)
@given(st.lists(date_texts(), max_size=20))
def test_date_column_as_parse_date_cell_by_cell(cells):
    from greenit.parsing.dates import parse_date, parse_date_column

    dates, errors = parse_date_column(pd.Series(cells, dtype=object), "Date d'achat")
    for i, cell in enumerate(cells):
        timestamp, understood = parse_date(cell)  # pandas.Timestamp, one cell at a time
        expected = np.datetime64("NaT", "ns") if timestamp is None else np.datetime64(timestamp.value, "ns")
        assert (np.isnat(dates[i]) and np.isnat(expected)) or dates[i] == expected, repr(cell)
        assert (errors[i] is None) == understood, repr(cell)


def test_dates_by_hand():
    from greenit.parsing.dates import parse_date_column

    dates, errors = parse_date_column(
        pd.Series(["29-01-2016", "2024-02-29", "2023-02-29", "2019", None, "1500-01-01"], dtype=object), "d"
    )
    assert [str(d)[:10] for d in dates[:2]] == ["2016-01-29", "2024-02-29"]
    assert dates[0].astype(np.int64) == 1454025600 * 10**9  # 2016-01-29 00:00 UTC, seconds since 1970
    assert np.isnat(dates[2]) and errors[2].key == "parsing.date.invalid"  # no 29 February in 2023
    assert str(dates[3])[:10] == "2019-01-01" and np.isnat(dates[4]) and errors[4] is None
    assert errors[5].key == "parsing.date.out_of_range"
