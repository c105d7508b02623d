"""A lifespan lever gives each category in its scope a lifespan within its plausible range
(plausibility.csv, the rule a file's own lifespan is checked by): « lifespan+200 » (laptops
kept 205 years: −70 %) and « lifespan-10 » (−5 years: +706 %) were applied as given.
"""

from __future__ import annotations

import pytest

from conftest import SAMPLE_INVENTORY, factor_row
from greenit.errors import GreenitError
from greenit.levers.specs import parse_levers


def plausible_max(category: str) -> float:
    rule = factor_row("plausibility", "lifespan")
    return float(factor_row("devices", category)["lifespan [year]"]) * float(rule["max"])


def test_the_range_is_the_files_rule():
    laptop = float(factor_row("devices", "laptop")["lifespan [year]"])
    most = plausible_max("laptop") - laptop
    assert parse_levers([f"lifespan+{most:g}:portables"])[0].value == most
    with pytest.raises(GreenitError, match="hors du plausible"):
        parse_levers([f"lifespan+{most + 1:g}:portables"])


@pytest.mark.parametrize("spec", ["lifespan+200", "lifespan-10", "lifespan+20:serveurs"])
def test_a_lever_no_policy_can_be_is_refused_in_french(run_main, spec):
    done = run_main("scenario", SAMPLE_INVENTORY, "-s", spec, "--year", "2025")
    assert done.returncode == 2 and done.stdout == ""
    assert f"--scenario {spec} : une durée de vie de" in done.stderr and "hors du plausible" in done.stderr


def test_the_usual_levers_are_taken(run_main):
    done = run_main("scenario", SAMPLE_INVENTORY, "-s", "lifespan+2", "-s", "lifespan-1", "--year", "2025")
    assert done.returncode == 0, done.stderr
