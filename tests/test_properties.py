"""Properties that must hold for any inventory (hypothesis): the model is linear, order-free, monotone.

Each example is a small inventory written as a GLPI-like CSV and estimated through the public
API, as a user would; the properties are checked on the JSON result.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from greenit.api import estimate_files

TYPES = ["Portable", "Unité centrale", "Écran", "Serveur", "Imprimante", "Tablette", "Téléphone IP"]
STATUSES = ["En service", "En stock", "Réformé", ""]

row = st.fixed_dictionaries(
    {
        "type": st.sampled_from(TYPES),
        "quantity": st.integers(min_value=1, max_value=40),
        "year": st.one_of(st.none(), st.integers(min_value=2008, max_value=2025)),
        "lifespan": st.one_of(st.none(), st.integers(min_value=1, max_value=12)),
        "status": st.sampled_from(STATUSES),
    }
)
inventories = st.lists(row, min_size=1, max_size=25)
SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
YEAR = 2025


def write_csv(path, rows, scale: int = 1) -> None:
    lines = ["Type;Quantité;Date d'achat;Durée de vie (ans);Statut"]
    for r in rows:
        date = f"15-06-{r['year']}" if r["year"] else ""
        lifespan = str(r["lifespan"]) if r["lifespan"] else ""
        lines.append(f"{r['type']};{r['quantity'] * scale};{date};{lifespan};{r['status']}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def totals(tmp_path, rows, name="inv.csv", scale=1) -> dict:
    path = tmp_path / name
    write_csv(path, rows, scale)
    return estimate_files([path], year=YEAR).result()


def close(a: float, b: float) -> bool:
    return a == pytest.approx(b, rel=1e-8, abs=1e-8)  # the JSON keeps 9 significant digits


@SETTINGS
@given(rows=inventories, scale=st.integers(min_value=2, max_value=7))
def test_footprint_is_linear_in_quantity(tmp_path, rows, scale):
    one, scaled = totals(tmp_path, rows)["totals"], totals(tmp_path, rows, "x.csv", scale)["totals"]
    for key, value in one.items():
        assert close(scaled[key], scale * value), key


@SETTINGS
@given(rows=inventories, seed=st.integers(0, 10_000))
def test_footprint_does_not_depend_on_row_order(tmp_path, rows, seed):
    shuffled = list(rows)
    random.Random(seed).shuffle(shuffled)
    a, b = totals(tmp_path, rows)["totals"], totals(tmp_path, shuffled, "s.csv")["totals"]
    assert all(close(a[k], b[k]) for k in a)


@SETTINGS
@given(rows=inventories, cut=st.integers(0, 25))
def test_footprint_does_not_depend_on_how_rows_are_split_across_files(tmp_path, rows, cut):
    whole = totals(tmp_path, rows)
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    write_csv(first, rows[:cut])
    write_csv(second, rows[cut:])
    parts = estimate_files([p for p, part in ((first, rows[:cut]), (second, rows[cut:])) if part], year=YEAR)
    split = parts.result()
    assert split["rows_in"] == whole["rows_in"]
    assert all(close(split["totals"][k], whole["totals"][k]) for k in whole["totals"])


@SETTINGS
@given(rows=inventories, longer=st.integers(min_value=1, max_value=3))
def test_a_longer_lifespan_never_raises_the_yearly_manufacture_of_undated_devices(tmp_path, rows, longer):
    # lifespans of 2 to 9 years: plausible for every type drawn (plausibility.csv: a fifth to three
    # times the category's own, 2.5 to 9 years for a tablet), so none is flagged on either side
    undated = [dict(r, year=None, lifespan=min(max(r["lifespan"] or 4, 2), 6)) for r in rows]
    kept_longer = [dict(r, lifespan=r["lifespan"] + longer) for r in undated]
    short, long_ = totals(tmp_path, undated)["totals"], totals(tmp_path, kept_longer, "l.csv")["totals"]
    assert long_["manufacture_kgco2e"] <= short["manufacture_kgco2e"] + 1e-9
    assert close(long_["use_kgco2e"], short["use_kgco2e"])


messy_cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "0", "-1", "1e309", "nan", "inf", "12 kg", "=1+1", "01/13/2020", "2023", "2023.0"]),
)


@SETTINGS
@given(cells=st.lists(st.tuples(messy_cell, messy_cell, messy_cell, messy_cell), min_size=1, max_size=15))
def test_every_row_is_counted_once_whatever_its_cells(tmp_path, cells):
    lines = ["Type;Quantité;Date d'achat;Puissance"]
    for cell in cells:
        clean = (c.replace(";", ",").replace("\n", " ").replace("\r", " ").replace('"', "") for c in cell)
        lines.append(";".join(clean))
    path = tmp_path / "messy.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        result = estimate_files([path], year=YEAR).result()
    except Exception as error:  # only a user-facing error is acceptable
        from greenit.errors import GreenitError

        assert isinstance(error, GreenitError), repr(error)
        return
    assert result["rows_in"] == result["rows_estimated"] + result["rows_flagged"]
    assert result["rows_flagged"] == len(result["flagged"])
