"""One unit grammar for headers and cells, both pipelines: every spelling × unit × multiplier
reads the same figure, a unit in header and cell is applied once, and the decimal mark is decided
per column — a cell is read right or flagged, never silently wrong.

The spellings are generated (placements × units × multipliers × locales), not only the examples
of issue 19 (« (en kW) », « (en mois) », « (milliers) », « (Mtok) », « 12.000 » and « 1.500 »).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenit.ai.hosted.usage import normalise_usage
from greenit.ai.runs.normalise import normalise_workloads
from greenit.factors import load_factors
from greenit.inventory.normalise import normalise_inventory
from greenit.parsing.numerals import parse_number
from greenit.parsing.unit_grammar import header_unit_split, read_unit
from greenit.parsing.units import parse_quantity_column

FACTORS = load_factors()


def raw_frame(columns: dict[str, list]) -> pd.DataFrame:
    """A raw frame as the readers give it: every cell as text, with its position columns."""
    frame = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()})
    n = len(frame)
    frame["file"] = "t.csv"
    frame["row"] = np.arange(1, n + 1)
    frame["line"] = frame["row"] + 1
    frame.attrs["headers"] = list(columns)
    return frame


#: where a unit may sit in a header; ``{n}`` the name, ``{u}`` the unit
PLACEMENTS = ("{n} ({u})", "{n} [{u}]", "{n} (en {u})", "{n} [en {u}]", "{n} en {u}", "{n} (in {u})")
#: canonical column → (names people give it, [(unit as written, factor to the canonical unit)])
INVENTORY_UNITS = {
    "power_w": (
        ("Puissance", "Power", "Puissance moyenne"),
        (("W", 1.0), ("kW", 1000.0), ("watts", 1.0), ("kilowatts", 1000.0), ("mW", 0.001)),
    ),
    "annual_kwh": (
        ("Consommation annuelle", "Annual energy", "Consommation"),
        (("kWh", 1.0), ("MWh", 1000.0), ("Wh", 0.001), ("kWh/an", 1.0), ("MWh/an", 1000.0))
        + (("kWh par an", 1.0), ("MWh par an", 1000.0), ("milliers de kWh", 1000.0)),
    ),
    "lifespan_years": (
        ("Durée de vie", "Lifespan"),
        (("ans", 1.0), ("années", 1.0), ("mois", 1 / 12), ("years", 1.0), ("months", 1 / 12)),
    ),
}
#: values a laptop may plausibly have, in the canonical unit of each column
LAPTOP = {"power_w": 45.0, "annual_kwh": 60.0, "lifespan_years": 4.0}


def _inventory_cases():
    for column, (names, units) in INVENTORY_UNITS.items():
        for name, (unit, factor), placement in itertools.product(names, units, PLACEMENTS):
            yield column, placement.format(n=name, u=unit), factor


@pytest.mark.parametrize("column, header, factor", list(_inventory_cases()))
def test_every_placement_of_every_unit_in_an_inventory_header_is_read(column, header, factor):
    value = LAPTOP[column]
    cell = f"{value / factor:.10g}".replace(".", ",")  # as a French spreadsheet writes it
    raw = raw_frame({"Type": ["portable"], header: [cell]})
    out = normalise_inventory(raw, FACTORS)
    assert out.attrs["columns"]["used"][header] == column
    assert out[column].iloc[0] == pytest.approx(value, rel=1e-9)
    assert pd.isna(out["reason"].iloc[0]), str(out["reason"].iloc[0])


@pytest.mark.parametrize("header", ["Date de mise en service", "Heures par an", "Nombre de jours en service"])
def test_words_after_en_that_are_no_unit_stay_in_the_name(header):
    assert header_unit_split(header) == (header, None, "none")


#: multipliers written in a header or a cell → the scale they mean
MULTIPLIERS = {
    "k": 1e3,
    "K": 1e3,
    "milliers": 1e3,
    "en milliers": 1e3,
    "thousands": 1e3,
    "kTok": 1e3,
    "ktokens": 1e3,
    "milliers de jetons": 1e3,
    "x1000": 1e3,
    "× 1 000": 1e3,
    "M": 1e6,
    "millions": 1e6,
    "en millions": 1e6,
    "Mtok": 1e6,
    "MTokens": 1e6,
    "millions de jetons": 1e6,
    "Md": 1e9,
    "milliards": 1e9,
}
TOKEN_NAMES = ("Jetons de sortie", "Output tokens", "Jetons générés")
TOKEN_PLACEMENTS = ("{n} ({u})", "{n} [{u}]", "{n} (en {u})")


@pytest.mark.parametrize(
    "name, multiplier, placement", list(itertools.product(TOKEN_NAMES, MULTIPLIERS, TOKEN_PLACEMENTS))
)
def test_token_headers_with_a_multiplier_scale_every_bare_cell(name, multiplier, placement):
    header = placement.format(n=name, u=multiplier)
    # 500 output tokens a request: the scaled total stays plausible for its requests
    requests = str(round(2.5 * MULTIPLIERS[multiplier] / 500))
    raw = raw_frame({"Modèle": ["mistral-small-2503"], "Requêtes": [requests], header: ["2,5"]})
    usage = normalise_usage(raw, FACTORS)
    assert usage.at[0, "output_tokens"] == pytest.approx(2.5 * MULTIPLIERS[multiplier])
    assert pd.isna(usage.at[0, "reason"])


@pytest.mark.parametrize(
    "header_unit, cell_unit", list(itertools.product(["k", "M", "milliers"], ["k", "M"]))
)
def test_a_unit_in_the_header_and_in_the_cell_is_applied_once_the_cells_wins(header_unit, cell_unit):
    raw = raw_frame(
        {
            "Modèle": ["mistral-small-2503"],
            "Requêtes": ["1000"],
            f"Jetons de sortie ({header_unit})": [f"0,2 {cell_unit}"],
        }
    )
    usage = normalise_usage(raw, FACTORS)
    assert usage.at[0, "output_tokens"] == pytest.approx(0.2 * MULTIPLIERS[cell_unit])
    same = MULTIPLIERS[header_unit] == MULTIPLIERS[cell_unit]
    assert pd.isna(usage.at[0, "notes"]) == same  # a contradiction is said, the same unit is not


@pytest.mark.parametrize(
    "header, cell, hours",
    [
        ("Durée (s)", "5400", 1.5),
        ("Durée (en secondes)", "5400", 1.5),
        ("Durée en minutes", "90", 1.5),
        ("Durée [min]", "90", 1.5),
        ("Duration (hours)", "1,5", 1.5),
        ("Durée (en heures)", "1.5", 1.5),
        ("Durée (h)", "90 min", 1.5),
    ],
)
def test_run_durations_in_any_spelled_unit(header, cell, hours):
    raw = raw_frame({"run_id": ["a"], header: [cell], "GPU": ["A100"], "Nombre de GPU": ["1"]})
    runs = normalise_workloads(raw, FACTORS)
    assert runs.at[0, "hours"] == pytest.approx(hours)


# ---- the decimal mark, per column ---------------------------------------------------------


STYLES = {
    "fr_point": (".", ","),  # thousands, decimal
    "fr_space": ("\u202f", ","),
    "fr_nbsp": ("\u00a0", ","),
    "en": (",", "."),
    "ch": ("'", "."),
    "plain": ("", "."),
}


def written(value: float, style: str, decimals: int) -> str:
    thousands, decimal = STYLES[style]
    whole, _, fraction = f"{value:.{decimals}f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = thousands.join(groups)
    return text + (decimal + fraction if decimals else "")


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.integers(min_value=0, max_value=5_000_000), min_size=1, max_size=8),
    decimals=st.lists(st.integers(min_value=0, max_value=3), min_size=8, max_size=8),
    style=st.sampled_from(sorted(STYLES)),
    counts=st.booleans(),
)
def test_a_column_of_numbers_is_read_right_or_flagged_never_wrong(values, decimals, style, counts):
    """Any column written in one locale: each cell reads its own value, or is flagged — and a
    column whose cells say their decimal mark somewhere is read whole.
    """
    places = [0] * len(values) if counts else decimals[: len(values)]
    numbers = [v / 10**p for v, p in zip(values, places, strict=True)]
    cells = [written(n, style, p) for n, p in zip(numbers, places, strict=True)]
    parsed = parse_quantity_column(pd.Series(cells, dtype=object), "dimensionless", counts=counts)
    for cell, number, value, bad in zip(cells, numbers, parsed.values, parsed.bad, strict=True):
        assert bad or value == pytest.approx(number), (cell, number, value)
    if parsed.mark.why in ("said", "counts"):
        assert not parsed.bad.any(), cells


@pytest.mark.parametrize(
    "cells, counts, expected",
    [
        (["12.000", "1.500"], True, [12000, 1500]),  # issue 19: « 12.000 » and « 1.500 » laptops
        (["200.000", "1.000"], True, [200000, 1000]),  # French thousands of tokens
        (["12,000", "1,500"], True, [12000, 1500]),
        (["12.000", "1.500", "0,5"], False, [12000, 1500, 0.5]),
        (["1.500", "2.25"], False, [1.5, 2.25]),
        (["1.234.567", "1.500"], False, [1234567, 1500]),
        (["1,234,567", "1,500"], False, [1234567, 1500]),
    ],
)
def test_the_column_decides_for_the_cells_that_read_two_ways(cells, counts, expected):
    parsed = parse_quantity_column(pd.Series(cells, dtype=object), "dimensionless", counts=counts)
    assert parsed.values.tolist() == pytest.approx(expected)
    ambiguous = [
        c for c in cells if c.count(".") + c.count(",") == 1 and len(c.split(".")[-1].split(",")[-1]) == 3
    ]
    assert parsed.notes is not None and sum(n is not None for n in parsed.notes) == len(ambiguous)


def test_a_measure_whose_column_never_says_its_mark_is_flagged_not_guessed(english):
    parsed = parse_quantity_column(pd.Series(["1.500", "12"], dtype=object), "W", name="Puissance")
    assert np.isnan(parsed.values[0]) and parsed.bad.tolist() == [True, False]
    assert "1.5 or 1,500?" in str(parsed.errors[0])


def test_the_files_other_columns_decide_a_column_that_never_says():
    raw = raw_frame(
        {"Type": ["portable", "portable"], "Puissance (W)": ["1.500", "0,5"], "Quantité": ["2.000", "3"]}
    )
    out = normalise_inventory(raw, FACTORS)
    assert out["quantity"].tolist() == [2000, 3]


@pytest.mark.parametrize(
    "text", ["1 234,5", "1\u202f234,5", "1.234,5", "1,234.5", "1'234.5", "1234,5", "1234.5"]
)
def test_numbers_that_say_their_mark_need_no_column(text):
    assert parse_number(text) == 1234.5


@pytest.mark.parametrize(
    "text, scale, unit",
    [
        ("en milliers", 1e3, ""),
        ("(en milliers)".strip("()"), 1e3, ""),
        ("Mtok", 1e6, ""),
        ("kWh par an", 1.0, "kWh/an"),
        ("milliers de kWh", 1e3, "kWh"),
        ("en kW", 1.0, "kW"),
        ("k€", 1.0, "k€"),
        ("%", 1.0, "%"),
        ("mW", 1.0, "mW"),
    ],
)
def test_the_grammar_splits_a_spelling_into_scale_and_unit(text, scale, unit):
    spelling = read_unit(text)
    assert (spelling.scale, spelling.unit) == (scale, unit)


@pytest.mark.parametrize("cell", ["-5", "−5", "-1 200", "-0,2 M"])
def test_a_negative_token_count_is_flagged_not_sign_stripped(cell):
    raw = raw_frame({"Modèle": ["mistral-small-2503"], "Requêtes": ["10"], "Jetons de sortie": [cell]})
    usage = normalise_usage(raw, FACTORS)
    assert np.isnan(usage.at[0, "output_tokens"]) and pd.notna(usage.at[0, "reason"])
