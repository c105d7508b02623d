"""AI logs as teams write them: hand-typed spellings, Slurm sacct exports, CodeCarbon files,
and every bad number flagged with its reason — never replaced by a default.
"""

import csv
import json
import math

import pytest

from conftest import ROOT, SMALL_INVENTORY, write
from greenit.ai.runs.accelerators import split_count
from greenit.ai.runs.places import place_resolver
from greenit.api import estimate_ai_files
from greenit.factors import load_factors
from greenit.parsing.durations import duration_hours

REAL = ROOT / "tests" / "fixtures" / "real"
TABLES = ROOT / "emission_factors"


def table(name: str, key: str) -> dict[str, dict[str, str]]:
    """A packaged factor table read with the csv module (independently of greenit's loader)."""
    with (TABLES / f"{name}.csv").open(encoding="utf-8") as handle:
        return {row[key]: row for row in csv.DictReader(handle)}


def accelerator_power_w(key: str) -> float:
    return float(table("accelerators", "accelerator")[key]["power [W]"])


def provider_pue(provider: str) -> float:
    return float(table("pue", "provider")[provider]["pue"])


def france_kg_per_kwh() -> float:
    rows = table("electricity", "country")
    header = next(h for h in rows["FRA"] if h.startswith("carbon_intensity"))
    value = float(rows["FRA"][header])
    return value / 1000 if "g/kWh" in header and "kg" not in header else value


def strict_json(text: str) -> dict:
    def refuse(constant):
        raise AssertionError(f"non-strict JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(
    "text, hours",
    [
        ("3h30", 3.5),
        ("90 min", 1.5),
        ("1 j 2 h", 26.0),
        ("01:30:00", 1.5),
        ("1-02:30:00", 26.5),
        ("45min", 0.75),
        ("2 h et 15 min", 2.25),
        ("1h30m15s", 1.5 + 15 / 3600),
        ("PT1H30M", 1.5),
        ("1-02", 26.0),
    ],
)
def test_durations_as_teams_write_them(text, hours):
    assert duration_hours(text) == pytest.approx(hours)


def test_a_single_quantity_is_left_to_the_unit_layer():
    assert duration_hours("2 160 h") is None  # thousands separator, read by pint as 2,160 h
    assert duration_hours("-3h") is None  # a negative duration is flagged there


@pytest.mark.parametrize(
    "cell, count, model",
    [
        ("2x H100", 2.0, "H100"),
        ("8 x V100", 8.0, "V100"),
        ("1 x NVIDIA L4", 1.0, "NVIDIA L4"),  # CodeCarbon's gpu_model
        ("H100 x 8", 8.0, "H100"),
        ("A100*4", 4.0, "A100"),
    ],
)
def test_count_and_model_in_one_cell(cell, count, model):
    assert split_count(cell) == (count, model)


@pytest.mark.parametrize("cell", ["A100 80GB", "Quantum X9", "RX 7900", "MI250X"])
def test_a_model_number_is_never_read_as_a_count(cell):
    found, model = split_count(cell)
    assert math.isnan(found) and model == cell


@pytest.mark.parametrize(
    "place, region, country",
    [
        ("OVHcloud GRA", "ovh-gra", "FRA"),
        ("aws eu-west-3", "eu-west-3", "FRA"),
        ("scaleway-fr-par", "scaleway-fr-par", "FRA"),
        ("Scaleway fr-par", "scaleway-fr-par", "FRA"),
        ("GCP europe-west9", "europe-west9", "FRA"),
        ("Jean Zay (IDRIS)", "jean-zay", "FRA"),
        ("France", None, "FRA"),
        ("Allemagne", None, "DEU"),
    ],
)
def test_places_as_written(place, region, country):
    found = place_resolver(load_factors())(place)
    assert (found.region, found.country) == (region, country)


def test_hand_typed_log_reads_every_spelling(english):
    estimate = estimate_ai_files([REAL / "ai_runs_hand_typed.csv"])
    runs = estimate.runs
    assert len(runs) == 7 and runs["row"].tolist() == list(range(1, 8))
    assert runs["hours"].tolist() == pytest.approx([3.5, 1.5, 26.0, 1.5, 26.5, 0.75, 2.0])
    assert runs["accelerator"].tolist() == [
        "h100_sxm",
        "h100_sxm",
        "a100_sxm_80gb",
        "l4",
        "v100_sxm2",
        "a100_sxm_80gb",
        "a100_sxm_80gb",
    ]
    assert runs["accelerator_count"].tolist()[:6] == [2, 1, 4, 1, 8, 1]  # "L4" alone: one board
    assert runs["utilisation"].tolist()[:3] == pytest.approx([0.8, 0.6, 0.9])
    assert runs["region"].tolist()[:5] == ["ovh-gra", "ovh-gra", "eu-west-3", "scaleway-fr-par", "jean-zay"]
    phases = ["fine-tuning", "evaluation", "fine-tuning", "inference", "training", "evaluation", "inference"]
    assert runs["phase"].tolist() == phases
    # 3h30 on 2 H100 at 80 % in OVHcloud Gravelines (no PUE in the log: OVHcloud's)
    first = runs.iloc[0]
    expected = 3.5 * 2 * accelerator_power_w("h100_sxm") * 0.8 * provider_pue("ovhcloud") / 1000
    assert first["energy_kwh"] == pytest.approx(expected)
    assert first["usage_kgco2e"] == pytest.approx(expected * france_kg_per_kwh())
    result = estimate.result()
    assert (result["runs_in"], result["runs_estimated"], result["runs_flagged"]) == (7, 5, 2)
    reasons = {f["row"]: f["reason"] for f in result["flagged"]}
    assert reasons[6] == "Intensité carbone (gCO2e/kWh): negative value"  # -52: never the country's
    assert reasons[7] == "Lieu: 'on-prem Saint-Aubin' is neither a country (ISO-3) nor a known cloud region"


def test_not_available_markers_are_empty_cells_not_errors(tmp_path):
    text = "run_id;duration;accelerator;pue;carbon_intensity\na;1 h;A100;n/a;NC\nb;1 h;A100;-;?\n"
    result = estimate_ai_files([write(tmp_path / "runs.csv", text)]).result()
    assert result["runs_estimated"] == 2
    assert [r["pue_origin"] for r in result["runs"]] == ["default", "default"]
    assert [r["carbon_intensity_origin"] for r in result["runs"]] == ["country", "country"]


@pytest.mark.parametrize(
    "column, cell, reason",
    [
        ("carbon_intensity", "abc", "carbon_intensity: 'abc' — not a number"),
        ("carbon_intensity", "-5", "carbon_intensity: negative value"),
        (
            "carbon_intensity",
            "1e-9",
            "carbon_intensity: '1e-9' is outside the plausible range (0.001 to 2 kgCO2e/kWh)",
        ),
        ("pue", "nan", "pue: 'nan' — not a number"),
        ("pue", "0,9", "pue: a PUE is a number of 1 or more (e.g. 1,2)"),
        ("pue", "inf", "pue: 'inf' — not a number"),
        ("pue", "1e309", "pue: '1e309' is outside the plausible range (1 to 5)"),
        (
            "accelerator_count",
            "1e309",
            "accelerator_count: '1e309' is outside the plausible range (0.01 to 1,000,000)",
        ),
        (
            "accelerator_power",
            "1e-9 W",
            "accelerator_power: '1e-9 W' is outside the plausible range (0.1 to 3,000 W)",
        ),
        ("utilisation", "150 %", "utilisation: above 100 %"),
        ("duration", "-3 h", "duration: negative value"),
        (
            "energy",
            "1e309 kWh",
            "energy: '1e309 kWh' is outside the plausible range (0 to 10,000,000,000 kWh)",
        ),
    ],
)
def test_a_bad_number_flags_the_run_and_is_never_replaced(tmp_path, english, column, cell, reason):
    base = {"run_id": "r", "duration": "1 h", "accelerator": "A100", "location": "FRA", column: cell}
    text = ";".join(base) + "\n" + ";".join(base.values()) + "\n"
    estimate = estimate_ai_files([write(tmp_path / "runs.csv", text)])
    result = estimate.result()
    assert result["runs_flagged"] == 1 and result["runs_estimated"] == 0
    assert result["flagged"][0]["reason"] == reason
    assert math.isnan(estimate.runs["total_kgco2e"].iloc[0])


def test_a_log_where_no_place_is_recognised_flags_its_runs(run_cli, tmp_path):
    log = write(
        tmp_path / "lyon.csv", "run_id;duration;accelerator;location\na;1 h;A100;Lyon\nb;2 h;H100;Lyon\n"
    )
    code, out, err = run_cli("ai", "estimate", log, "--json", "--lang", "en")
    assert code == 2  # nothing estimated: the most frequent reason said
    assert "location: 'Lyon' is neither a country (ISO-3) nor a known cloud region (×2)" in err
    result = estimate_ai_files([log]).result("en")
    assert (result["runs_in"], result["runs_flagged"]) == (2, 2)
    assert (
        result["flagged"][0]["reason"]
        == "location: 'Lyon' is neither a country (ISO-3) nor a known cloud region"
    )
    inventory = write(tmp_path / "parc.csv", SMALL_INVENTORY)
    code, _, err = run_cli("report", inventory, "--ai", log, "--year", "2025", "--out", tmp_path / "rapport")
    assert code == 0, err
    assert (tmp_path / "rapport" / "report.html").exists()


def test_ai_json_stays_strict_whatever_the_log_holds(run_cli, tmp_path):
    log = write(
        tmp_path / "hostile.csv",
        "run_id;duration;accelerator;accelerator_count;pue;energy;requests\n"
        "a;1e309 h;A100;1;;;\nb;1 h;A100;inf;nan;;\nc;1 h;A100;1;1,2;;0\nd;;;;;1e-300 kWh;\n",
    )
    code, out, err = run_cli("ai", "estimate", log, "--json")
    assert code == 0, err
    result = strict_json(out)
    assert result["runs_in"] == 4 and result["runs_estimated"] == 2
    assert all(math.isfinite(v) for v in result["totals"].values())


def test_codecarbon_file_keeps_its_energy_and_takes_the_inventory_grid_factor(tmp_path):
    path = REAL / "emissions_codecarbon.csv"
    estimate = estimate_ai_files([path])
    runs = estimate.runs
    assert estimate.result()["runs_in"] == 2  # the flush row is superseded by the final one
    assert runs["energy_kwh"].tolist() == pytest.approx([2.68205, 0.0646775])
    assert runs["accelerator"].tolist() == ["a100_sxm_80gb", "l4"]  # "2 x NVIDIA A100-SXM4-80GB"
    assert runs["accelerator_count"].tolist() == [2, 1]
    factors = load_factors()
    expected = [2.68205 * factors.grid_factor("FRA"), 0.0646775 * factors.grid_factor("USA")]
    assert runs["usage_kgco2e"].tolist() == pytest.approx(expected)
    assert "recomputed with greenit's grid factor" in runs["notes"].iloc[0].render("en")
    kept = estimate_ai_files([path], keep_log_intensity=True).runs
    assert kept["usage_kgco2e"].tolist() == pytest.approx([0.087166625, 0.0226241895])
    assert kept["carbon_intensity_origin"].tolist() == ["log emissions", "log emissions"]


def test_runs_sharing_or_lacking_an_id_are_never_merged(tmp_path):
    text = "run_id;duration;accelerator\nsame;1 h;A100\nsame;2 h;A100\n;3 h;A100\n;4 h;A100\nsame;5 h;A100\n"
    estimate = estimate_ai_files([write(tmp_path / "runs.csv", text)])
    result = estimate.result()
    assert result["runs_in"] == result["runs_estimated"] == 5
    assert estimate.runs["hours"].tolist() == [1, 2, 3, 4, 5]
    assert estimate.runs["run_id"].tolist()[2:4] == ["runs.csv#3", "runs.csv#4"]


@pytest.mark.parametrize(
    "column, spellings",
    [
        ("run_id", ["Identifiant", "Run ID", "run_id"]),  # CodeCarbon, greenit track
        ("project", ["Projet", "Project name", "project_name"]),  # CodeCarbon
        ("phase", ["Phase", "Task type", "phase"]),  # greenit track
        ("started_at", ["Date de début", "Start time", "timestamp"]),  # CodeCarbon
        ("duration", ["Durée (h)", "Duration", "duration [h]"]),  # greenit track
        ("accelerator_hours", ["Heures GPU", "GPU hours", "gpu_hours"]),
        ("accelerator", ["Accélérateur", "GPU model", "gpu_model"]),  # CodeCarbon
        ("accelerator_count", ["Nombre de GPU", "GPU count", "gpu_count"]),  # CodeCarbon
        ("accelerator_power", ["Puissance GPU (W)", "Power per GPU", "power.draw [W]"]),  # nvidia-smi
        ("utilisation", ["Utilisation GPU", "GPU utilization", "utilization.gpu [%]"]),  # nvidia-smi
        ("cpu_cores", ["Cœurs CPU", "CPU cores", "cpu_count"]),  # CodeCarbon
        ("cpu_power", ["Puissance CPU", "CPU power", "cpu_power [W]"]),  # greenit track
        ("memory", ["Mémoire (Go)", "Memory (GB)", "ram_total_size"]),  # CodeCarbon
        ("power", ["Puissance moyenne (W)", "Average power", "total power"]),
        ("pue", ["PUE du centre de données", "Data center PUE", "pue"]),  # CodeCarbon
        ("location", ["Localisation", "Country", "country_iso_code"]),  # CodeCarbon
        (
            "carbon_intensity",
            ["Intensité carbone (gCO2e/kWh)", "Carbon intensity", "carbon_intensity [kgCO2e/kWh]"],
        ),
        ("energy", ["Énergie (kWh)", "Energy consumed", "energy_consumed"]),  # CodeCarbon
        ("requests", ["Requêtes", "Requests", "num_requests"]),
    ],
)
def test_every_log_column_has_french_english_and_tool_spellings(column, spellings):
    from greenit.ai.runs.columns import AI_ALIASES
    from greenit.parsing.headers import map_headers

    for header in spellings:
        found = map_headers([header], AI_ALIASES)
        assert column in found, f"{header!r} is not read as {column}"
