"""greenit ai questionnaire: what to ask an AI supplier, greenit's estimate beside each question."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from conftest import ROOT

TOWN = ROOT / "examples" / "ville-exemple"


def test_questions_alone_cover_what_the_issue_lists(run_cli, tmp_path):
    code, _, err = run_cli("ai", "questionnaire", "--out", tmp_path / "q.html")
    assert code == 0, err
    page = (tmp_path / "q.html").read_text(encoding="utf-8")
    for words in (
        "Énergie consommée par requête",
        "Matériel",
        "Lieu des centres de données",
        "PUE",
        "Eau",
        "Empreinte de l&#39;entraînement",
        "Méthode de mesure",
    ):
        assert words in page
    assert '<html lang="fr">' in page and page.count("<caption>") == 1
    assert "Estimation greenit" not in page


def test_a_plan_prefills_each_option_with_the_plans_figures(run_cli, tmp_path):
    plan = TOWN / "plan_assistant.toml"
    code, _, err = run_cli("ai", "questionnaire", "--out", tmp_path / "q.html", plan)
    assert code == 0, err
    code, out, _ = run_cli("ai", "plan", plan, "--json")
    options = json.loads(out)["options"]
    page = (tmp_path / "q.html").read_text(encoding="utf-8")

    class Tables(HTMLParser):
        def __init__(self):
            super().__init__()
            self.captions, self.cells, self.in_caption, self.in_td = [], [], False, False

        def handle_starttag(self, tag, attrs):
            self.in_caption, self.in_td = tag == "caption", tag == "td"

        def handle_data(self, data):
            if self.in_caption:
                self.captions.append(data)
            elif self.in_td:
                self.cells.append(data)

        def handle_endtag(self, tag):
            self.in_caption = self.in_td = False

    parsed = Tables()
    parsed.feed(page)
    assert len(parsed.captions) == 3 and all(o["option"] in " ".join(parsed.captions) for o in options)
    from greenit.reporting.text import Words

    w = Words("fr", nonbreaking=True)
    small = [o for o in options if o["option"].startswith("Petit")][0]
    assert f"{w.number(small['per_request_wh'])}\u00a0Wh" in parsed.cells
    assert f"{w.number(small['per_request_gco2e'])}\u00a0gCO2e" in parsed.cells


def test_a_usage_log_prefills_per_service_and_markdown_is_written(run_cli, tmp_path):
    log = TOWN / "usage_ia_generative.csv"
    code, _, err = run_cli("ai", "questionnaire", "--out", tmp_path / "q.md", log)
    assert code == 0, err
    text = (tmp_path / "q.md").read_text(encoding="utf-8")
    assert text.startswith("# Questionnaire environnemental pour un fournisseur d'IA")
    assert "## Estimations pour\u00a0: Chatbot citoyen (usage_ia_generative.csv)" in text
    code, out, _ = run_cli("ai", "estimate", log, "--json")
    runs = [r for r in json.loads(out)["runs"] if r["project"] == "Chatbot citoyen"]
    per_request = sum(r["energy_kwh"] for r in runs) * 1000 / sum(r["requests"] for r in runs)
    from greenit.reporting.text import Words

    assert f"| {Words('fr').number(per_request)}\u00a0Wh |" in text


def test_a_wrong_suffix_is_one_clear_error(run_cli, tmp_path):
    code, _, err = run_cli("ai", "questionnaire", "--out", tmp_path / "q.odt")
    assert code == 2 and ".html" in err and ".md" in err


@pytest.mark.parametrize("lang", ["en"])
def test_english_questionnaire(run_cli, tmp_path, lang):
    code, _, err = run_cli("ai", "questionnaire", "--out", tmp_path / "q.html", "--lang", lang)
    assert code == 0, err
    page = (tmp_path / "q.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Energy used per request" in page


def test_hardware_is_named_as_the_log_and_the_plan_name_it_with_its_count(run_cli, tmp_path):
    """It showed greenit's keys (« l4 », « l40s ») and no count; the log says 2 L4, the plan 1 H100."""
    log, plan = TOWN / "journal_ia.csv", TOWN / "plan_assistant.toml"
    code, _, err = run_cli("ai", "questionnaire", "--out", tmp_path / "q.md", log, plan)
    assert code == 0, err
    lines = (tmp_path / "q.md").read_text(encoding="utf-8").splitlines()
    hardware = [line.split(" | ")[2] for line in lines if line.startswith("| Matériel qui sert")]
    assert "2 × L4" in hardware and "1 × L40S" in hardware and "1 × H100" in hardware
    assert not {"l4", "l40s", "h100_sxm"} & set(hardware)
