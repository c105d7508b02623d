"""The command line a French user types (issue 24): click's words in French, option values in
French and English, per agent and per inhabitant on ``estimate`` as on ``report``.
"""

from __future__ import annotations

import pytest

from conftest import SAMPLE_INVENTORY


def test_a_mistyped_command_is_suggested_in_french(run_cli):
    code, _, err = run_cli("estimat")
    assert code == 2
    assert "commande inconnue : estimat (la plus proche : 'estimate')" in err
    assert "Did you mean" not in err


def test_method_is_taken_in_french_and_english(estimate_json):
    french = estimate_json(SAMPLE_INVENTORY, "--year", "2025", "--method", "amortie")
    english = estimate_json(SAMPLE_INVENTORY, "--year", "2025", "--method", "amortised")
    assert french["method"] == english["method"] == "amortised"
    assert french["totals"]["total_kgco2e"] == english["totals"]["total_kgco2e"]


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        ("reconditionné=30%", "refurbished", 0.3),
        ("Reconditionne=30%", "refurbished", 0.3),
        ("durée_de_vie+2", "lifespan", 2.0),
        ("durée-de-vie+2", "lifespan", 2.0),
        ("DURÉE_DE_VIE-1", "lifespan", -1.0),
        ("réemploi=50%", "reuse", 0.5),
        ("électricité=57 g/kWh", "grid", 0.057),
        ("requêtes=-20%", "requests", -0.2),
        ("lifespan+2", "lifespan", 2.0),
        ("request-energy=-30%", "request_energy", -0.3),
    ],
)
def test_levers_are_taken_with_their_french_accents(typed, kind, value):
    from greenit.levers.specs import parse_lever

    lever = parse_lever(typed)
    assert (lever.kind, lever.value) == (kind, pytest.approx(value))


def test_estimate_gives_the_equipment_per_agent_and_per_inhabitant(run_cli, estimate_json):
    result = estimate_json(SAMPLE_INVENTORY, "--year", "2025", "--headcount", "1000", "--population", "52000")
    total = result["totals"]["total_kgco2e"]
    assert result["per_agent_kgco2e"] == pytest.approx(total / 1000)
    assert result["per_inhabitant_kgco2e"] == pytest.approx(total / 52000)
    code, printed, _ = run_cli("estimate", SAMPLE_INVENTORY, "--year", "2025", "--headcount", "1000")
    flat = " ".join(printed.replace("\u202f", " ").replace("\u00a0", " ").split())
    agent = f"{total / 1000:.1f}".replace(".", ",")
    assert code == 0 and f"Par personne : {agent} kgCO2e par agent (1 000 agents)." in flat
    assert "Total équipements" in flat


def test_estimate_refuses_a_population_that_cannot_be(run_cli):
    code, _, err = run_cli("estimate", SAMPLE_INVENTORY, "--population", "0")
    assert code == 2 and "n'est pas un nombre d'habitants" in err


def test_french_help_speaks_of_uses_of_ai_and_executions(run_cli):
    code, printed, _ = run_cli("--help")
    assert code == 0 and "usages de l'IA" in printed and "charges d'IA" not in printed
    code, printed, _ = run_cli("ai", "--help")
    assert "Usages de l'IA : exécutions d'entraînement" in " ".join(printed.split())


def test_scenario_without_ai_says_its_totals_are_the_equipment_alone(run_cli):
    code, printed, _ = run_cli("scenario", SAMPLE_INVENTORY, "-s", "durée_de_vie+2", "--year", "2025")
    assert code == 0
    assert "Totaux des équipements seuls : le rapport y ajoute les usages de l'IA" in " ".join(
        printed.split()
    )


@pytest.mark.parametrize(
    ("runs", "hosted", "said"),
    [
        (6, 0, "pour 6 exécutions de modèles."),
        (0, 47, "pour 47 lignes d'usage d'IA générative hébergée."),
        (6, 47, "pour 6 exécutions de modèles et 47 lignes d'usage"),
        (1, 1, "pour 1 exécution de modèles et 1 ligne d'usage"),
    ],
)
def test_the_synthesis_ai_line_names_only_the_uses_given(runs, hosted, said):
    from greenit.reporting.synthesis import _ai
    from greenit.reporting.text import Words

    headline = {"ai_kgco2e": 39.6, "ai_share": 0.0011, "ai_runs": runs, "ai_hosted_rows": hosted}
    line = _ai(headline, Words("fr"))
    assert line.startswith("Usages de l'IA : 39,6\u00a0kgCO2e (0,1\u202f% du total), ") and said in line
    assert "aucune" not in line


def test_the_synthesis_levers_say_euros_as_a_saving_or_a_cost():
    from greenit.reporting.synthesis import levers
    from greenit.reporting.text import Words

    scenarios = [
        {"label": "Situation actuelle", "spec": None, "total_kgco2e": 50000.0},
        {
            "label": "A",
            "spec": "a",
            "change_kgco2e": -10197.0,
            "alone_change_kgco2e": -10197.0,
            "alone_change_eur_per_year": -58213.3,
        },
        {
            "label": "B",
            "spec": "b",
            "change_kgco2e": -2000.0,
            "alone_change_kgco2e": -2000.0,
            "alone_change_eur_per_year": 1234.0,
        },
        {"label": "C", "spec": "c", "change_kgco2e": -1000.0, "alone_change_kgco2e": -1000.0},
    ]
    summary = {"scenarios": scenarios, "headline": {"total_kgco2e": 50000.0}}
    lines = [
        " ".join(line.replace("\u202f", " ").replace("\u00a0", " ").split())
        for line in levers(summary, Words("fr", tonnes=True))
    ]
    assert lines[0] == "A : −10,2 tCO2e (20 % du total), une économie de 58 200 €/an"
    assert lines[1] == "B : −2 tCO2e (4,0 % du total), un coût de 1 230 €/an"
    assert lines[2] == "C : −1 tCO2e (2,0 % du total)"
