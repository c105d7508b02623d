"""AI runs get low–high ranges like inventories, from the same Bounds mechanism: accelerator and
server manufacture, device lifetime, PUE and power, each from its factor table's own range.
"""

import pytest
from test_ai_logs import REAL, france_kg_per_kwh, strict_json, table

from conftest import SAMPLE_AI_LOG, SAMPLE_INVENTORY, write
from greenit.ai.runs.limits import check_pue
from greenit.api import estimate_ai_files
from greenit.errors import GreenitError

HOURS_PER_YEAR = 8760


def bounds(row: dict, central: str, low: str, high: str) -> tuple[float, float, float]:
    value = float(row[central])
    return value, float(row.get(low) or value), float(row.get(high) or value)


def parameter(name: str) -> tuple[float, float, float]:
    return bounds(table("ai_parameters", "name")[name], "value", "low", "high")


def embodied_kgco2e(gpu_hours: float, accelerator: str) -> tuple[float, float, float]:
    """(central, low, high) of the embodied share, worked out by hand from the tables."""
    device = bounds(
        table("accelerators", "accelerator")[accelerator],
        "manufacture [kgCO2e]",
        "manufacture_low [kgCO2e]",
        "manufacture_high [kgCO2e]",
    )
    server = parameter("server_manufacture_kgco2e")
    life, life_low, life_high = parameter("accelerator_lifetime_years")
    fleet = parameter("fleet_utilisation")[0]
    per_server = parameter("accelerators_per_server")[0]

    def share(manufacture_device, manufacture_server, years):
        return (gpu_hours * manufacture_device + gpu_hours / per_server * manufacture_server) / (
            years * HOURS_PER_YEAR * fleet
        )

    # a longer life spreads manufacture thinner: the low bound takes the longest lifetime
    return (
        share(device[0], server[0], life),
        share(device[1], server[1], life_high),
        share(device[2], server[2], life_low),
    )


def test_bloom_keeps_its_published_figures_and_gains_a_range(tmp_path):
    text = "run_id;accelerator_hours;accelerator;pue;carbon_intensity\nbloom;1082990;A100;1;57\n"
    run = estimate_ai_files([write(tmp_path / "bloom.csv", text)]).runs.iloc[0]
    # Luccioni et al. Table 1 and 3: 24.69 t dynamic, 11.2 t embodied (central within 1 %)
    assert run["usage_kgco2e"] / 1000 == pytest.approx(24.69, rel=0.01)
    assert run["embodied_kgco2e"] / 1000 == pytest.approx(11.2, rel=0.01)
    # the log gives power? no: the table's 400 W (no range published); PUE 1 and 57 g: exact
    assert run["energy_low_kwh"] == run["energy_kwh"] == run["energy_high_kwh"] == pytest.approx(433_196)
    central, low, high = embodied_kgco2e(1_082_990, "a100_sxm_80gb")
    assert (run["embodied_kgco2e"], run["embodied_low_kgco2e"], run["embodied_high_kgco2e"]) == pytest.approx(
        (central, low, high)
    )
    usage = 433_196 * 0.057
    assert run["total_low_kgco2e"] == pytest.approx(usage + low)
    assert run["total_high_kgco2e"] == pytest.approx(usage + high)
    assert run["total_low_kgco2e"] <= run["total_kgco2e"] < run["total_high_kgco2e"]


def test_sample_town_training_run_range_worked_by_hand():
    runs = estimate_ai_files([SAMPLE_AI_LOG]).runs.set_index("run_id")
    run = runs.loc["train-classif-doc"]  # 2 days on 4 A100 at 90 %, PUE 1.2 in the log, France
    energy = (
        48 * 4 * float(table("accelerators", "accelerator")["a100_sxm_80gb"]["power [W]"]) * 0.9 * 1.2 / 1000
    )
    assert run["energy_kwh"] == pytest.approx(energy)
    usage = energy * france_kg_per_kwh()
    central, low, high = embodied_kgco2e(48 * 4, "a100_sxm_80gb")
    assert (run["total_kgco2e"], run["total_low_kgco2e"], run["total_high_kgco2e"]) == pytest.approx(
        (usage + central, usage + low, usage + high)
    )


def test_pue_range_of_the_provider_when_the_log_gives_none(tmp_path):
    text = "run_id;duration;accelerator;utilisation;location\novh;10 h;L4;1;OVHcloud GRA\nlog;10 h;L4;1;FRA\n"
    runs = estimate_ai_files([write(tmp_path / "r.csv", text)]).runs.set_index("run_id")
    pue = bounds(table("pue", "provider")["ovhcloud"], "pue", "low", "high")
    it_kwh = 10 * 72 / 1000
    ovh = runs.loc["ovh"]
    assert (ovh["energy_kwh"], ovh["energy_low_kwh"], ovh["energy_high_kwh"]) == pytest.approx(
        tuple(it_kwh * p for p in pue)
    )
    unknown = bounds(table("pue", "provider")["unknown"], "pue", "low", "high")
    assert runs.loc["log", "energy_high_kwh"] == pytest.approx(it_kwh * unknown[2])
    assert runs.loc["log", "pue_origin"] == "default" and ovh["pue_origin"] == "provider"


def test_power_range_of_the_accelerator_table(tmp_path):
    text = "run_id;duration;accelerator;accelerator_count;pue\ntpu;10 h;TPU v3;8;1\n"
    run = estimate_ai_files([write(tmp_path / "r.csv", text)]).runs.iloc[0]
    power = bounds(
        table("accelerators", "accelerator")["tpu_v3"], "power [W]", "power_low [W]", "power_high [W]"
    )
    assert power[1] < power[0]  # Patterson: 450 W TDP, 245 W measured on Switch Transformer
    assert (run["energy_kwh"], run["energy_low_kwh"], run["energy_high_kwh"]) == pytest.approx(
        tuple(80 * p / 1000 for p in power)
    )


def test_values_the_log_gives_have_no_range(tmp_path):
    text = "run_id;duration;accelerator;accelerator_power;utilisation;pue\nr;10 h;H100;500 W;1;1,3\n"
    run = estimate_ai_files([write(tmp_path / "r.csv", text)]).runs.iloc[0]
    assert run["energy_low_kwh"] == run["energy_kwh"] == run["energy_high_kwh"] == pytest.approx(6.5)


def test_a_user_table_without_range_columns_falls_back_to_the_central_value(tmp_path):
    factors = write(
        tmp_path / "accelerators.csv",
        "accelerator,aliases,vendor,power [W],manufacture [kgCO2e],power_source,manufacture_source\n"
        "npu_x,NPU-X,Acme,200,100,bloom_2022,bloom_2022\n",
    )
    log = write(tmp_path / "r.csv", "run_id;duration;accelerator;pue\nr;10 h;NPU-X;1\n")
    run = estimate_ai_files([log], factors=factors).runs.iloc[0]
    assert run["energy_low_kwh"] == run["energy_high_kwh"] == pytest.approx(2.0)
    device = run["embodied_accelerators_kgco2e"]
    assert device == pytest.approx(10 * 100 / (6 * HOURS_PER_YEAR * 0.85))


def test_ai_estimate_json_carries_the_range(run_cli):
    code, out, err = run_cli("ai", "estimate", SAMPLE_AI_LOG, "--json")
    assert code == 0, err
    result = strict_json(out)
    totals = result["totals"]
    assert totals["total_low_kgco2e"] <= totals["total_kgco2e"] < totals["total_high_kgco2e"]
    assert totals["total_high_kgco2e"] == pytest.approx(sum(r["total_high_kgco2e"] for r in result["runs"]))
    assert all(r["total_low_kgco2e"] <= r["total_kgco2e"] <= r["total_high_kgco2e"] for r in result["runs"])


def test_codecarbon_measured_energy_has_no_pue_range():
    runs = estimate_ai_files([REAL / "emissions_codecarbon.csv"]).runs
    assert (runs["energy_low_kwh"] == runs["energy_high_kwh"]).all()
    assert runs["pue_origin"].tolist() == ["measured", "measured"]


@pytest.mark.parametrize("spec", ["pue=-3", "pue=nan", "pue=0,5", "pue=inf", "request_energy-200%"])
def test_impossible_ai_levers_are_refused(run_cli, spec):
    code, _, err = run_cli("scenario", SAMPLE_INVENTORY, "--ai", SAMPLE_AI_LOG, "-s", spec, "--lang", "en")
    assert code == 2
    assert spec.split("=")[0].split("-")[0] in err and "from" in err


@pytest.mark.parametrize("value", [-3.0, float("nan"), float("inf"), 0.5, 12.0])
def test_a_pue_option_outside_1_to_5_is_an_error(value):
    with pytest.raises(GreenitError, match="--pue"):
        check_pue(value, "--pue")
