"""greenit ai plan: a planned service's options compared over a year — one model with ai estimate.

Figures are recomputed independently: EcoLogits called directly for one request × the year's
requests, the GPU server's energy and embodied share by hand from the factor rows, the € from
the price rows and the ECB rate.
"""

from __future__ import annotations

import json

import pytest

from conftest import FRANCE_GRID, ROOT, write

SAMPLE_PLAN = ROOT / "examples" / "ville-exemple" / "plan_assistant.toml"

PLAN = """\
[service]
name = "Assistant"
requests_per_year = 120000
input_tokens_per_request = 1500
output_tokens_per_request = 300
country = "FRA"
population = 40000

[[option]]
name = "Petit"
provider = "Mistral AI"
model = "mistral-small-latest"

[[option]]
name = "Fermé"
provider = "OpenAI"
model = "gpt-4o-mini"

[[option]]
name = "Serveur"
accelerator = "L40S"
accelerator_count = 2
hours_per_year = 8760
utilisation = "35 %"
pue = 1.4

[[option]]
name = "Sans IA"
energy_kwh_per_year = 1000
eur_per_year = 30000
"""


@pytest.fixture
def plan_file(tmp_path):
    return write(tmp_path / "plan.toml", PLAN)


def plan_json(run_cli, *args):
    code, out, err = run_cli("ai", "plan", *args, "--json")
    assert code == 0, err
    return json.loads(out)


def by_name(result):
    return {o["option"]: o for o in result["options"]}


def test_json_keeps_the_contract_keys_in_the_plan_order(run_cli, plan_file):
    result = plan_json(run_cli, plan_file)
    assert [o["option"] for o in result["options"]] == ["Petit", "Fermé", "Serveur", "Sans IA"]
    for option in result["options"]:
        for key in (
            "option",
            "energy_kwh",
            "total_kgco2e",
            "total_low_kgco2e",
            "total_high_kgco2e",
            "eur_per_year",
            "per_request_gco2e",
        ):
            assert key in option
    assert result["options_estimated"] == 4


def test_hosted_option_is_ecologits_per_request_times_the_years_requests(run_cli, plan_file):
    from ecologits.impacts.llm import compute_llm_impacts
    from ecologits.model_repository import models
    from ecologits.tracers.utils import PROVIDER_CONFIG_MAP

    from greenit.factors import load_factors

    option = by_name(plan_json(run_cli, plan_file))["Fermé"]
    found = models.find_model(provider="openai", model_name="gpt-4o-mini")
    intensity = load_factors().grid_factor("USA")  # EcoLogits places OpenAI in the United States
    impacts = compute_llm_impacts(
        model_active_parameter_count=found.architecture.parameters,
        model_total_parameter_count=found.architecture.parameters,
        output_token_count=300,
        if_electricity_mix_adpe=0,
        if_electricity_mix_pe=0,
        if_electricity_mix_gwp=intensity,
        if_electricity_mix_wue=0,
        datacenter_pue=PROVIDER_CONFIG_MAP["openai"].datacenter_pue,
        datacenter_wue=0,
        tps=found.deployment.tps,
        ttft=found.deployment.ttft,
    )
    energy, gwp = impacts.energy.value, impacts.gwp.value
    assert option["energy_kwh"] == pytest.approx((energy.min + energy.max) / 2 * 120000, rel=1e-8)
    assert option["total_low_kgco2e"] == pytest.approx(gwp.min * 120000, rel=1e-8)
    assert option["total_high_kgco2e"] == pytest.approx(gwp.max * 120000, rel=1e-8)
    assert option["total_low_kgco2e"] < option["total_kgco2e"] < option["total_high_kgco2e"]
    assert option["per_request_gco2e"] == pytest.approx(option["total_kgco2e"] * 1000 / 120000)
    # € at the public price: (0.15 $ × 1500 + 0.60 $ × 300) per million tokens × 120 000 ÷ 1.1699
    assert option["eur_per_year"] == pytest.approx((0.15 * 1500 + 0.60 * 300) * 0.12 / 1.1699, rel=1e-8)


def test_gpu_server_energy_and_embodied_share_by_hand(run_cli, plan_file):
    option = by_name(plan_json(run_cli, plan_file))["Serveur"]
    # accelerators.csv: L40S 350 W; 8 760 h × 2 × 350 W × 0.35 × PUE 1.4 = 3 004.68 kWh
    energy = 8760 * 2 * 350 * 0.35 * 1.4 / 1000
    assert option["energy_kwh"] == pytest.approx(energy, rel=1e-8)
    # usage: × 0.0461 kgCO2e/kWh (ADEME, France); embodied: L40S has no manufacture figure (a note
    # says so), its server's share: 2 500 kgCO2e × (device-hours ÷ 8 per server) ÷ (6 years ×
    # 8 760 h × 0.85)
    server = 2500 * (8760 * 2 / 8) / (6 * 8760 * 0.85)
    assert option["usage_kgco2e"] == pytest.approx(energy * FRANCE_GRID, rel=1e-8)
    assert option["embodied_kgco2e"] == pytest.approx(server, rel=1e-8)
    assert option["total_kgco2e"] == pytest.approx(energy * FRANCE_GRID + server, rel=1e-8)
    assert option["per_inhabitant_kgco2e"] == pytest.approx(option["total_kgco2e"] / 40000)
    # no sourced price for an L40S and no electricity price: the € is unknown, and said so
    assert option["eur_per_year"] is None
    assert any("price_eur" in note for note in option["notes"])


def test_sample_plan_h100_server_costs_its_card_amortised_plus_electricity(run_cli):
    option = by_name(plan_json(run_cli, SAMPLE_PLAN))["Serveur GPU en mairie (1 × H100)"]
    energy = 8760 * 1 * 700 * 0.3 * 1.5 / 1000  # H100 SXM 700 W
    assert option["energy_kwh"] == pytest.approx(energy, rel=1e-8)
    # H100: 33 600 $ (24 400 – 44 500) ÷ 1.1699 over 3 years (2 – 5); electricity 0.172 €/kWh
    assert option["eur_parts"]["hardware"] == pytest.approx(33600 / 1.1699 / 3, rel=1e-8)
    assert option["eur_parts"]["electricity"] == pytest.approx(energy * 0.172, rel=1e-8)
    assert option["eur_per_year"] == pytest.approx(33600 / 1.1699 / 3 + energy * 0.172, rel=1e-8)
    assert option["cost_low_eur_per_year"] == pytest.approx(24400 / 1.1699 / 5 + energy * 0.172, rel=1e-8)
    assert option["cost_high_eur_per_year"] == pytest.approx(44500 / 1.1699 / 2 + energy * 0.172, rel=1e-8)


def test_baseline_keeps_the_towns_figures_and_converts_energy_with_the_grid(run_cli, plan_file):
    option = by_name(plan_json(run_cli, plan_file))["Sans IA"]
    assert option["total_kgco2e"] == pytest.approx(1000 * FRANCE_GRID)
    assert option["eur_per_year"] == 30000
    assert option["kind"] == "baseline"


def test_plan_equals_ai_estimate_on_the_equivalent_logs(run_cli, plan_file, tmp_path):
    result = plan_json(run_cli, plan_file, "--logs-out", tmp_path / "logs")
    written = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert written == ["runs_3.csv", "usage_1.csv", "usage_2.csv"]
    options = by_name(result)
    for name, option in (("usage_1.csv", "Petit"), ("usage_2.csv", "Fermé"), ("runs_3.csv", "Serveur")):
        code, out, err = run_cli("ai", "estimate", tmp_path / "logs" / name, "--json")
        assert code == 0, err
        totals = json.loads(out)["totals"]
        for key in ("energy_kwh", "total_kgco2e", "total_low_kgco2e", "total_high_kgco2e"):
            assert options[option][key] == pytest.approx(totals[key], rel=1e-8), (option, key)


def test_the_sample_towns_three_options_equal_ai_estimate_on_logs_written_by_hand(run_cli, tmp_path):
    """The sample plan (150 000 requests × 1 650 / 260 tokens; an H100 in the town hall all year at
    30 %, PUE 1.5): each option is what ai estimate gives for a year of the same usage or run,
    written as a town would (French headers, spaced numbers) — and as --logs-out writes it.
    """
    result = plan_json(run_cli, SAMPLE_PLAN, "--logs-out", tmp_path / "logs")
    options = [o["option"] for o in result["options"]]
    assert len(options) == 3 and [o["kind"] for o in result["options"]] == ["hosted", "hosted", "self_hosted"]
    usage = "Service;Fournisseur;Modèle;Requêtes;Jetons d'entrée;Jetons de sortie;Période\n"
    runs = "Identifiant;Projet;Durée;Accélérateur;Nombre d'accélérateurs;Utilisation (%);PUE;Localisation\n"
    by_hand = {
        options[0]: usage + "Assistant;Mistral AI;mistral-large-2411;150 000;247 500 000;39 000 000;2026\n",
        options[1]: usage + "Assistant;Mistral AI;mistral-small-latest;150 000;247,5 M;39 M;2026\n",
        options[2]: runs + "mairie;Assistant;8760 h;H100;1;30;1,5;FRA\n",
    }
    written = sorted((tmp_path / "logs").iterdir())
    assert [p.name for p in written] == ["runs_3.csv", "usage_1.csv", "usage_2.csv"]
    assert ",0.3," in written[0].read_text(encoding="utf-8")  # not 0.29999999999999999
    for number, (option, text) in enumerate(by_hand.items(), start=1):
        for log in (
            write(tmp_path / f"hand_{number}.csv", text),
            *(tmp_path / "logs").glob(f"*_{number}.csv"),
        ):
            code, out, err = run_cli("ai", "estimate", log, "--json")
            estimate = json.loads(out)
            assert code == 0 and estimate["runs_flagged"] == 0, (log.name, err)
            planned = result["options"][number - 1]
            for key in ("energy_kwh", "total_kgco2e", "total_low_kgco2e", "total_high_kgco2e"):
                assert planned[key] == pytest.approx(estimate["totals"][key], rel=1e-8), (
                    option,
                    log.name,
                    key,
                )
    server = result["options"][2]
    assert server["energy_kwh"] == pytest.approx(8760 * 700 * 0.3 * 1.5 / 1000, rel=1e-12)  # 2 759.4 kWh


def test_the_same_usage_written_by_hand_gives_the_same_hosted_figures(run_cli, plan_file, tmp_path):
    """A town's own usage log of a year (French headers, spaced numbers) — not greenit's output."""
    log = write(
        tmp_path / "usage.csv",
        "Service;Fournisseur;Modèle;Requêtes;Jetons d'entrée;Jetons de sortie;Période\n"
        "Assistant;Mistral AI;mistral-small-latest;120 000;180 M;36 M;2026\n",
    )
    code, out, err = run_cli("ai", "estimate", log, "--json")
    assert code == 0, err
    totals = json.loads(out)["totals"]
    option = by_name(plan_json(run_cli, plan_file))["Petit"]
    assert option["total_kgco2e"] == pytest.approx(totals["total_kgco2e"], rel=1e-8)
    assert option["energy_kwh"] == pytest.approx(totals["energy_kwh"], rel=1e-8)


def test_a_server_of_its_own_equals_ai_estimate_with_the_same_factor_overlay(tmp_path):
    from greenit.api import estimate_ai_files
    from greenit.decide import plan_ai

    document = {
        "service": {
            "name": "S",
            "requests_per_year": 1000,
            "input_tokens_per_request": 10,
            "output_tokens_per_request": 10,
        },
        "option": [
            {
                "name": "own",
                "accelerator": "H100",
                "accelerator_count": 2,
                "hours_per_year": 1000,
                "utilisation": 0.5,
                "pue": 1.2,
                "server_embodied_kgco2e": 1200,
            }
        ],
    }
    option = plan_ai(document).to_json()["options"][0]
    overlay = write(
        tmp_path / "ai_parameters.csv",
        "name,value,low,high,unit,source_id,range_sources,notes\n"
        "server_manufacture_kgco2e,1200,1200,1200,kgCO2e,bloom_2022,,\n"
        "accelerators_per_server,2,2,2,,bloom_2022,,\n",
    )
    log = write(
        tmp_path / "runs.csv",
        "run_id,project,phase,duration [h],accelerator,accelerator_count,utilisation,pue,location,requests\n"
        "own,S,inference,1000,H100,2,0.5,1.2,FRA,1000\n",
    )
    totals = estimate_ai_files([log], factors=overlay).result()["totals"]
    assert option["total_kgco2e"] == pytest.approx(totals["total_kgco2e"], rel=1e-8)
    # the server's share, by hand: 1 200 kgCO2e × 1 000 h ÷ (6 years × 8 760 h × 0.85)
    devices = 2 * 1000 * 164 / (6 * 8760 * 0.85)
    assert option["embodied_kgco2e"] == pytest.approx(devices + 1200 * 1000 / (6 * 8760 * 0.85), rel=1e-8)


def test_a_hosted_option_without_a_range_says_why(run_cli, plan_file):
    """EcoLogits gives a range only for a model of unpublished size: an open model's one value is
    said (the council read « 4,52 kgCO2e » under « fourchette » with nothing beside it).
    """

    def said(option):
        return any(note.startswith("pas de fourchette") for note in option["notes"])

    sample = by_name(plan_json(run_cli, SAMPLE_PLAN))
    for name, option in sample.items():
        exact = option["total_low_kgco2e"] == option["total_high_kgco2e"]
        assert said(option) is (option["kind"] == "hosted" and exact), name
    assert said(sample["Grand modèle hébergé (Mistral Large 2)"])
    closed = by_name(plan_json(run_cli, plan_file))["Fermé"]  # gpt-4o-mini: size not published
    assert closed["total_low_kgco2e"] < closed["total_high_kgco2e"] and not said(closed)


def test_users_times_requests_per_user_give_the_requests(tmp_path):
    from greenit.decide import plan_ai

    plan = write(
        tmp_path / "p.toml",
        PLAN.replace("requests_per_year = 120000", "users = 2500\nrequests_per_user_per_month = 4"),
    )
    assert plan_ai(plan).plan.service.requests_per_year == 2500 * 4 * 12


def test_french_keys_are_read(tmp_path):
    from greenit.decide import plan_ai

    plan = write(
        tmp_path / "p.toml",
        '[service]\nnom = "Chat"\nrequetes_par_an = "1,5 M"\n"jetons_entrée_par_requête" = 100\n'
        'jetons_sortie_par_requete = 50\npays = "France"\n\n'
        '[[option]]\nnom = "A"\nfournisseur = "Mistral AI"\n"modèle" = "mistral-small-latest"\n',
    )
    result = plan_ai(plan)
    assert result.plan.service.requests_per_year == 1_500_000
    assert result.plan.service.country == "FRA"


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("a;b\n1;2\n", "plan.csv", "pas un fichier .csv"),
        ('[service]\nname = "x\n', "plan.toml", "ligne 2"),
        (
            '[service]\nname = "x"\ninput_tokens_per_request = 1\noutput_tokens_per_request = 1\n',
            "p.toml",
            "requêtes par an manque",
        ),
        (PLAN.replace('model = "gpt-4o-mini"', 'model = "gpt4-mini"'), "p.toml", "gpt-4o-mini"),
        (PLAN.replace("accelerator_count = 2", "accelerator_count = -2"), "p.toml", "négatif"),
        (PLAN.replace("requests_per_year = 120000", "requests_per_year = -5"), "p.toml", "négatif"),
        (PLAN.replace('accelerator = "L40S"', 'accelerator = "L40Z"'), "p.toml", "« L40Z »"),
        (PLAN.replace("pue = 1.4", "pue = 0.8"), "p.toml", "PUE 0,8"),
        (PLAN.replace("pue = 1.4", "puee = 1.4"), "p.toml", "clé « puee » inconnue (clés proches : pue"),
        (PLAN.replace('utilisation = "35 %"', 'utilisation = "135 %"'), "p.toml", "utilisation 1,35"),
        (PLAN.replace("hours_per_year = 8760", "hours_per_year = 9000"), "p.toml", "8 784"),
        (PLAN.replace('name = "Sans IA"', 'name = "Petit"'), "p.toml", "même nom (Petit)"),
        (
            PLAN.replace('model = "gpt-4o-mini"', 'model = "gpt-4o-mini"\naccelerator = "H100"'),
            "p.toml",
            "une seule",
        ),
        (
            '[service]\nname = "x"\nrequests_per_year = 1\n'
            "input_tokens_per_request = 1\noutput_tokens_per_request = 1\n",
            "p.toml",
            "aucune option",
        ),
        (PLAN.replace('country = "FRA"', 'country = "Atlantide"'), "p.toml", "Atlantide"),
        (
            PLAN.replace("input_tokens_per_request = 1500", "input_tokens_per_request = 1500000000"),
            "p.toml",
            "input_tokens_per_request = 1500000000 — hors du plausible pour une requête",
        ),
        (
            PLAN.replace("output_tokens_per_request = 300", "output_tokens_per_request = 0"),
            "p.toml",
            "une requête en compte de 1 à 128",
        ),
        (
            PLAN.replace("energy_kwh_per_year = 1000", 'energy_kwh_per_year = "beaucoup"'),
            "p.toml",
            "n'est pas un nombre",
        ),
    ],
)
def test_a_wrong_plan_is_one_french_line_and_exit_2(run_cli, tmp_path, text, name, expected):
    path = write(tmp_path / name, text)
    code, out, err = run_cli("ai", "plan", path)
    assert code == 2
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("key", "value", "accepted"),
    [
        # plausibility.csv: input at most 2 000 000 a request, output from 1 to 128 000 — the
        # bounds ai estimate applies to a usage log's rows, applied to the plan's own figures
        ("input_tokens_per_request", "0", True),
        ("input_tokens_per_request", "2000000", True),
        ("input_tokens_per_request", "2000001", False),
        ("input_tokens_per_request", '"2 M"', True),
        ("input_tokens_per_request", '"2,5 M"', False),
        ("output_tokens_per_request", "1", True),
        ("output_tokens_per_request", "128000", True),
        ("output_tokens_per_request", "128001", False),
        ("output_tokens_per_request", "0.5", False),
    ],
)
def test_tokens_per_request_are_held_to_the_plausible_range(run_cli, tmp_path, key, value, accepted):
    typed = {"input_tokens_per_request": "1500", "output_tokens_per_request": "300"}[key]
    plan = write(tmp_path / "p.toml", PLAN.replace(f"{key} = {typed}", f"{key} = {value}"))
    code, out, err = run_cli("ai", "plan", plan, "--json")
    assert (code == 0) is accepted, err
    if not accepted:
        assert f"{key} = " in err and "plausibility.csv" in err


def test_a_wrong_plan_exits_2_through_the_console_script(tmp_path, run_main):
    """Through ``main()``, the console script's function, in this process (a new interpreter
    starting it is proved once, by test_cli_estimate.test_cli_errors_exit_2_without_traceback).
    """
    path = write(tmp_path / "plan.csv", "a;b\n1;2\n")
    done = run_main("ai", "plan", path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "TOML" in done.stderr


def test_template_is_written_and_is_a_valid_plan(run_cli, tmp_path):
    code, out, err = run_cli("ai", "plan", "--modele", tmp_path / "plan.toml")
    assert code == 0, err
    text = (tmp_path / "plan.toml").read_text(encoding="utf-8")
    assert text.startswith("# Modèle de plan")
    result = plan_json(run_cli, tmp_path / "plan.toml")
    assert len(result["options"]) == 3


def test_help_shows_a_plan(run_cli):
    code, out, err = run_cli("ai", "plan", "--help")
    assert code == 0
    assert "[service]" in out and "[[option]]" in out and "requests_per_year = 150000" in out


def test_console_shows_the_table_and_the_chart_in_french(run_cli):
    code, out, err = run_cli("ai", "plan", SAMPLE_PLAN)
    assert code == 0, err
    assert "Émissions par an" in out and "█" in out and "Serveur GPU en mairie" in out


def test_html_page_is_accessible_and_holds_the_figures(run_cli, tmp_path):
    from html.parser import HTMLParser

    code, out, err = run_cli("ai", "plan", SAMPLE_PLAN, "--out", tmp_path / "out")
    assert code == 0, err
    page = (tmp_path / "out" / "plan.html").read_text(encoding="utf-8")
    saved = json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.svg, self.captions, self.text = [], [], 0, []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            if tag == "svg":
                self.svg.append(dict(attrs))
            self.captions += tag == "caption"

        def handle_data(self, data):
            self.text.append(data)

    parsed = Collect()
    parsed.feed(page)
    assert '<html lang="fr">' in page
    assert parsed.tags.count("table") == parsed.captions == 2
    assert parsed.svg[0]["role"] == "img" and "Serveur GPU en mairie" in parsed.svg[0]["aria-label"]
    assert "http://" not in page.split("<svg", 1)[0].split("<style>")[0]  # no external resource
    body = " ".join(parsed.text)
    for option in saved["options"]:
        assert option["option"] in body
    assert "genai_prices_47df840" in body and "epoch_ml_hardware" in body


def test_option_names_from_the_file_are_escaped_in_the_page(run_cli, tmp_path):
    plan = write(tmp_path / "p.toml", PLAN.replace('name = "Petit"', 'name = "<script>x</script>"'))
    code, _, err = run_cli("ai", "plan", plan, "--out", tmp_path / "out")
    assert code == 0, err
    page = (tmp_path / "out" / "plan.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_electricity_price_option_replaces_the_plans(run_cli):
    option = by_name(plan_json(run_cli, SAMPLE_PLAN, "--electricity-price", "0,25 €/kWh"))[
        "Serveur GPU en mairie (1 × H100)"
    ]
    assert option["eur_parts"]["electricity"] == pytest.approx(option["energy_kwh"] * 0.25)


def test_population_option_gives_per_inhabitant_figures(run_cli, plan_file):
    option = by_name(plan_json(run_cli, plan_file, "--population", "10000"))["Petit"]
    assert option["per_inhabitant_kgco2e"] == pytest.approx(option["total_kgco2e"] / 10000)


def test_english_output(run_cli):
    code, out, err = run_cli("ai", "plan", SAMPLE_PLAN, "--lang", "en")
    assert code == 0, err
    assert "Emissions per year" in out and "€ per year" in out
