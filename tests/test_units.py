import numpy as np
import pandas as pd
import pytest

from greenit.parsing.units import conversion_factor, parse_number, parse_quantity_column


def values(cells, target, **kwargs):
    return parse_quantity_column(pd.Series(cells, dtype=object), target, **kwargs)


def test_french_decimal_commas_and_units_in_cells_are_converted():
    parsed = values(["65 W", "0,065 kW", "1 234,5 W", "75"], "W")
    assert parsed.values.tolist() == [65.0, 65.0, 1234.5, 75.0]
    assert not parsed.bad.any()


def test_french_duration_spellings():
    assert values(["5 ans", "18 mois", "4"], "year").values.tolist() == [5.0, 1.5, 4.0]
    assert values(["8 days", "14,8 jours", "3 heures"], "hour").values.tolist() == [
        192.0,
        pytest.approx(355.2),
        3.0,
    ]
    assert values(["2000 h/an"], "hour/year").values.tolist() == [2000.0]
    assert values(["8 h/j"], "hour/year").values[0] == pytest.approx(8 * 365.25)


def test_yearly_energy_and_carbon_spellings():
    assert values(["120 kWh/an", "1 MWh/an", "50 kWh/mois"], "kWh/year").values.tolist() == [
        120.0,
        1000.0,
        600.0,
    ]
    assert values(["1,5 tCO2e", "300 kgCO2eq", "250 gCO2e"], "kg").values.tolist() == [
        1500.0,
        300.0,
        0.25,
    ]
    intensity = values(["57 g/kWh", "0.954 lb/kWh", "0,429 kgCO2e/kWh"], "kg/kWh").values
    assert intensity.tolist() == pytest.approx([0.057, 0.4327271, 0.429])


def test_unit_in_header_applies_to_bare_numbers_only():
    parsed = values(["0,065", "70 W"], "W", header_unit="kW")
    assert parsed.values.tolist() == [65.0, 70.0]


def test_numeric_column_with_header_unit_is_converted_in_one_step():
    parsed = parse_quantity_column(pd.Series([1.5, 2.0]), "kWh", header_unit="MWh")
    assert parsed.values.tolist() == [1500.0, 2000.0]


def test_wrong_dimension_negative_and_text_are_flagged_with_column_and_value(english):
    parsed = values(["5 kg", "-3", "beaucoup", None, ""], "W", name="Puissance")
    assert np.isnan(parsed.values).all()
    assert [str(e) if e is not None else "" for e in parsed.errors] == [
        "Puissance: '5 kg' — 'kg' is not a unit of the expected kind (a power, e.g. W)",
        "Puissance: negative value",
        "Puissance: 'beaucoup' — not a number",
        "",
        "",
    ]


def test_unknown_unit_is_named(english):
    parsed = values(["12 furlongs-ish"], "W", name="P")
    assert str(parsed.errors[0]).startswith("P: '12 furlongs-ish' — unknown unit")


def test_numbers_as_people_write_them():
    assert parse_number("1\u00a0234,5") == 1234.5
    assert parse_number("1,234.5") == 1234.5
    assert parse_number("1.234,5") == 1234.5
    assert parse_number("12'000") == 12000.0
    assert parse_number("0,065") == 0.065


def test_conversion_factors_are_cached_per_unit_string():
    conversion_factor.cache_clear()
    values(["1 kW"] * 1000 + ["2 kW"] * 1000, "W")
    assert conversion_factor.cache_info().misses == 1


def test_common_prefixed_units_need_no_pint_registry_and_agree_with_it():
    from greenit.parsing.units import _SIMPLE_FACTORS, registry

    ureg = registry()
    for (unit, target), factor in _SIMPLE_FACTORS.items():
        assert ureg.Quantity(1.0, unit).to(target).magnitude == pytest.approx(factor, rel=1e-12), unit


def test_loading_the_factor_tables_builds_no_pint_registry():
    import subprocess
    import sys

    code = (
        "import sys; from greenit.factors import load_factors; load_factors(); "
        "import greenit.parsing.units as u; print(u.registry.cache_info().currsize)"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "0"
