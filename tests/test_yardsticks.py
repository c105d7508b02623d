"""One rule for a number of inhabitants (and of agents), wherever it is given: greenit report and
estimate (--population), greenit ai plan (--population and the plan's ``population``), the API.

A whole number from 1 to 100 million: 0 is not « no population » and 520 000 000 (a slip of a key)
is refused in French, never turned into figures per inhabitant a thousand times too small.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import write
from greenit.errors import GreenitError
from greenit.yardsticks import MAX_POPULATION, check_population

PLAN = """\
[service]
name = "Assistant"
requests_per_year = 120000
input_tokens_per_request = 1500
output_tokens_per_request = 300
population = {population}

[[option]]
name = "Sans IA"
energy_kwh_per_year = 1000
eur_per_year = 30000
"""


@pytest.mark.parametrize(
    ("given", "number"),
    [
        (52000, 52000),
        (np.int64(52000), 52000),
        (52000.0, 52000),
        (np.float64(1.0), 1),
        (MAX_POPULATION, MAX_POPULATION),
    ],
)
def test_a_number_of_inhabitants_is_that_whole_number(given, number):
    assert check_population(given) == number and isinstance(check_population(given), int)
    assert check_population(None) is None


@pytest.mark.parametrize(
    "given", [0, -5, 52000.5, MAX_POPULATION + 1, 520_000_000, True, "52000", float("nan")]
)
def test_what_cannot_be_a_number_of_inhabitants_is_refused_in_french(given):
    with pytest.raises(GreenitError, match="n'est pas un nombre d'habitants"):
        check_population(given)


def test_plan_ai_takes_the_same_rule_as_report(tmp_path):
    from greenit import plan_ai

    plan = write(tmp_path / "plan.toml", PLAN.format(population=40000))
    option = plan_ai(plan, population=10000.0).to_json()["options"][0]  # a spreadsheet's whole float
    assert option["per_inhabitant_kgco2e"] == pytest.approx(option["total_kgco2e"] / 10000)
    for slip in (520_000_000, 0, 12.5):
        with pytest.raises(GreenitError, match="n'est pas un nombre d'habitants"):
            plan_ai(plan, population=slip)


@pytest.mark.parametrize("population", ["520000000", "0", "-3"])
def test_ai_plan_population_option_is_refused_like_reports(run_main, tmp_path, population):
    plan = write(tmp_path / "plan.toml", PLAN.format(population=40000))
    done = run_main("ai", "plan", plan, "--population", population)
    code, out, err = done.returncode, done.stdout, done.stderr
    assert code == 2 and out == ""
    assert "--population" in err and "n'est pas un nombre d'habitants" in err and "Traceback" not in err


@pytest.mark.parametrize("population", ["0", "520000000", "45000.5", '"beaucoup"'])
def test_a_plan_files_population_is_checked_where_it_is_written(run_main, tmp_path, population):
    plan = write(tmp_path / "plan.toml", PLAN.format(population=population))
    done = run_main("ai", "plan", plan)
    code, out, err = done.returncode, done.stdout, done.stderr
    assert code == 2 and out == "" and "plan.toml, [service]" in err
    assert "population" in err and "Traceback" not in err


def test_a_plan_files_population_typed_as_people_write_it(run_main, tmp_path):
    import json

    plan = write(tmp_path / "plan.toml", PLAN.format(population='"45 000"'))
    done = run_main("ai", "plan", plan, "--json")
    code, out, err = done.returncode, done.stdout, done.stderr
    assert code == 0, err
    option = json.loads(out)["options"][0]
    assert option["per_inhabitant_kgco2e"] == pytest.approx(option["total_kgco2e"] / 45000)
