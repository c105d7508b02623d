"""Plausibility per category and per quantity: for every category of the tables, a value it can
have is used, and that value with each unit slip people make (W read as kW, months as years,
Wh as kWh, tonnes as kilograms, a thousands separator as a point) is flagged with that slip
named — never used. The ranges are computed here from the category's own factor row, by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from greenit.factors import load_factors
from greenit.factors.plausible import bounds, category_ranges
from greenit.flags import rows_with
from greenit.inventory.normalise import normalise_inventory
from greenit.parsing.slips import SLIPS

FACTORS = load_factors()
DEVICES = FACTORS.devices
RULES = FACTORS.table("plausibility")


def raw_frame(columns: dict[str, list]) -> pd.DataFrame:
    frame = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()})
    frame["file"] = "t.csv"
    frame["row"] = np.arange(1, len(frame) + 1)
    frame["line"] = frame["row"] + 1
    frame.attrs["headers"] = list(columns)
    return frame


def by_hand(category: str, quantity: str) -> tuple[float, float]:
    """The range of ``quantity`` for ``category``, from the rule and the category's row."""
    row, rule = DEVICES.loc[category], RULES.loc[quantity]
    if quantity == "power" and category == "ups":  # its power column is the load it carries
        rated = FACTORS.table("parameters").loc["ups_rated_power"]
        low, high = rated["low"], rated["high"]
    elif quantity == "power":
        low = row["annual_low_kwh"] * 1000 / row["use_hours_per_year"]
        high = row["annual_high_kwh"] * 1000 / row["use_hours_per_year"]
    elif quantity == "annual_energy":
        low, high = row["annual_low_kwh"], row["annual_high_kwh"]
    elif quantity == "lifespan":
        low = high = row["lifespan_years"]
    elif quantity == "use_hours":
        low = high = row["use_hours_per_year"]
    else:
        low, high = row["manufacture_low_kgco2e"], row["manufacture_high_kgco2e"]
    low = low * rule["min"] if low > 0 else math.nan
    high = high * rule["max"] if high > 0 and not math.isnan(rule["max"]) else math.nan
    if not math.isnan(rule["highest"]):
        high = rule["highest"] if math.isnan(high) else min(high, rule["highest"])
    return low, high


QUANTITIES = ("power", "annual_energy", "lifespan", "use_hours", "manufacture")


@pytest.mark.parametrize("quantity", QUANTITIES)
def test_every_categorys_range_is_its_own_factor_row_times_the_rule(quantity):
    ranges = category_ranges(FACTORS)
    for category in DEVICES.index:
        low, high = by_hand(category, quantity)
        got_low, got_high = ranges.at[category, f"{quantity}_min"], ranges.at[category, f"{quantity}_max"]
        assert (math.isnan(low) and math.isnan(got_low)) or got_low == pytest.approx(low), category
        assert (math.isnan(high) and math.isnan(got_high)) or got_high == pytest.approx(high), category


#: inventory header of each quantity, with the unit its cells are written in (the canonical one)
HEADERS = {
    "power": "Puissance (W)",
    "annual_energy": "Consommation annuelle (kWh/an)",
    "lifespan": "Durée de vie (ans)",
    "use_hours": "Heures d'utilisation (h/an)",
    "manufacture": "Empreinte fabrication (kgCO2e)",
}


def _cases(quantity: str):
    """(category label, value written, slip expected or None) for every category and slip."""
    labels = DEVICES["label_fr"]
    for category in DEVICES.index:
        low, high = by_hand(category, quantity)
        if math.isnan(low) and math.isnan(high):
            continue
        lo = low if not math.isnan(low) else high / 100
        hi = high if not math.isnan(high) else low * 100
        good = math.sqrt(lo * hi)  # well inside the range
        yield labels[category], good, None
        for factor, cause in SLIPS[quantity]:
            written = good / factor  # the slip: what undoing it by ``factor`` gives back ``good``
            if not math.isnan(low) and not math.isnan(high) and low <= written <= high:
                continue  # a slip that stays plausible cannot be seen (hours per month, rarely)
            yield labels[category], written, cause


@pytest.mark.parametrize("quantity", QUANTITIES)
def test_values_outside_each_categorys_range_are_flagged_with_their_slip(quantity):
    cases = list(_cases(quantity))
    cells = [f"{value:.6g}" for _, value, _ in cases]
    raw = raw_frame({"Type": [label for label, _, _ in cases], HEADERS[quantity]: cells})
    out = normalise_inventory(raw, FACTORS)
    reasons = pd.Series(out["reason"])
    flagged = 0
    for position, (label, value, cause) in enumerate(cases):
        reason = reasons.iloc[position]
        if cause is None:
            assert pd.isna(reason), (label, value, str(reason))
            continue
        flagged += 1
        assert pd.notna(reason), (label, value)
        keys = {getattr(part, "key", "") for part in reason.parts}
        assert keys & {"plausibility.outside_for", "parsing.cell.error"}, (label, value, str(reason))
        causes = {
            dict(p.params).get("cause").key for p in reason.parts if p.key == "plausibility.outside_for"
        }
        assert causes <= {f"plausibility.cause.{cause}"} | {
            f"plausibility.cause.{c}" for _, c in SLIPS[quantity]
        }
    assert flagged > len(DEVICES)  # most categories × most slips are seen


def test_the_issues_examples_read_as_people_would_say_them():
    raw = raw_frame(
        {
            "Type": ["Ordinateur portable", "Smartphone", "Ordinateur portable", "Ordinateur portable"],
            "Puissance (kW)": ["65", "", "", ""],
            "Durée de vie": ["", "36", "", ""],
            "Consommation annuelle (kWh)": ["", "", "48000", "0,048"],
        }
    )
    reasons = [str(r) for r in normalise_inventory(raw, FACTORS)["reason"]]
    assert reasons[0].endswith("mille fois trop : 65\u00a0W ?")
    assert "36\u00a0ans" in reasons[1] and reasons[1].endswith("des mois ? (3\u00a0ans)")
    assert reasons[2].endswith("des Wh ? (48\u00a0kWh/an)") and reasons[3].endswith(
        "des MWh ? (48\u00a0kWh/an)"
    )


def test_g4it_duree_usage_interne_in_months_is_flagged_never_divided():
    raw = raw_frame(
        {"type": ["Smartphone", "Smartphone"], "dureeUsageInterne": ["36", "3"], "quantite": ["1", "1"]}
    )
    out = normalise_inventory(raw, FACTORS)
    assert out["lifespan_years"].tolist()[1] == 3.0
    first = out["reason"].iloc[0]
    assert "des mois" in str(first) and rows_with(out["reason"], "plausibility.outside_for").tolist() == [
        True,
        False,
    ]


@pytest.mark.parametrize("cell", ["1,5", "2,25", "0,5"])
def test_a_fraction_of_a_device_is_flagged(cell):
    raw = raw_frame(
        {"Type": ["portable", "portable"], "Quantité": [cell, "3"], "Puissance (W)": ["45", "0,5"]}
    )
    out = normalise_inventory(raw, FACTORS)
    said = rows_with(out["reason"], "plausibility.not_whole") | rows_with(
        out["reason"], "plausibility.outside_for"
    )
    assert said.tolist() == [True, False]


def test_a_user_table_in_tonnes_fails_validation_for_every_category(tmp_path):
    from greenit.factors.read import assemble
    from greenit.factors.validate import validate

    source = pd.read_csv(FACTORS.origins[0] + "/devices.csv")
    for column in ("manufacture [kgCO2e]", "manufacture_low [kgCO2e]", "manufacture_high [kgCO2e]"):
        source[column] = source[column] / 1000  # tonnes typed where kilograms are read
    source.to_csv(tmp_path / "devices.csv", index=False)
    problems = [p for p in validate(assemble(str(tmp_path))) if p.key == "plausibility.overlay.outside"]
    central = {dict(p.params)["key"] for p in problems if dict(p.params)["column"] == "manufacture_kgco2e"}
    assert central == set(DEVICES.index[DEVICES["manufacture_kgco2e"] > 0])
    assert all(dict(p.params)["cause"].key == "plausibility.cause.tonnes" for p in problems)


@pytest.mark.parametrize(
    "total, active, low, high",
    [(0, 0, None, None), (10, 20, None, None), (10, 5, 6, 4), (-1, 5, None, None)],
)
def test_a_genai_model_overlay_without_a_possible_size_fails_validation(tmp_path, total, active, low, high):
    from greenit.factors.read import assemble
    from greenit.factors.validate import validate

    header = "model,aliases,provider,architecture,total_parameters_billion,active_parameters_billion,"
    header += "active_parameters_low_billion,active_parameters_high_billion,source_id,notes\n"
    cells = ",".join("" if v is None else str(v) for v in (total, active, low, high))
    (tmp_path / "genai_models.csv").write_text(
        header + f"mon-modele,,mistralai,dense,{cells},mistral_large_2407_card,\n"
    )
    assert validate(assemble(str(tmp_path)))


def test_ranges_of_an_absolute_rule_have_no_keys():
    span = bounds(FACTORS, "run_duration", n=3)
    assert np.isnan(span.low).all() and (span.high == 8784).all()
