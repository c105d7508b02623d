"""The town's AI register in the report: a governance box — role, risk class, duties, footprint."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from conftest import ROOT, SAMPLE_AI_LOG, SAMPLE_INVENTORY, write

TOWN = ROOT / "examples" / "ville-exemple"
USAGE = TOWN / "usage_ia_generative.csv"


@pytest.fixture
def register_report(sample_report):
    """The session's sample report (``conftest.sample_report``: its inventory, AI run log, hosted
    usage and AI register, 2025): (summary.json, report.html).
    """
    report = sample_report("fr")
    return report.summary, report.html


def systems(summary):
    return {s["name"]: s for s in summary["ai_register"]["systems"]}


def test_each_system_has_its_role_risk_class_and_duties(register_report):
    found = systems(register_report[0])
    assert len(found) == 6
    chatbot = found["Chatbot citoyen"]
    assert chatbot["role"] == "deployer" and chatbot["risk_class"] == "limited"
    assert [o["key"] for o in chatbot["obligations"]] == ["transparency", "register"]
    assert "art. 50" in chatbot["obligations"][0]["text"]
    social = found["Pré-instruction des aides sociales"]
    assert social["risk_class"] == "high" and social["obligations"][0]["key"] == "fria"
    assert "art. 27" in social["obligations"][0]["text"] and "2 août 2026" in social["obligations"][0]["text"]
    assert "décembre 2027" in social["obligations"][0]["text"]
    assert social["footprint"] is None
    assert found["Tri du courrier entrant"]["role"] == "provider"


def test_footprints_are_the_same_figures_as_ai_estimate_and_the_plan(register_report, run_cli):
    found = systems(register_report[0])
    code, out, err = run_cli("ai", "estimate", SAMPLE_AI_LOG, USAGE, "--json")
    assert code == 0, err
    runs = json.loads(out)["runs"]
    for name, kind in (("Chatbot citoyen", "usage"), ("Tri du courrier entrant", "log")):
        expected = sum(r["total_kgco2e"] for r in runs if r["project"] == name)
        assert found[name]["footprint"]["total_kgco2e"] == pytest.approx(expected, rel=1e-8)
        assert found[name]["footprint"]["kind"] == kind
    # a usage log counts requests, not runs (it said « 12 runs » for 12 months of a chatbot)
    chatbot = [r for r in runs if r["project"] == "Chatbot citoyen"]
    requests = sum(r["requests"] for r in chatbot)
    assert len(chatbot) == 12 and requests > 100_000
    said = found["Chatbot citoyen"]["footprint"]["text"]
    assert f"{requests:,.0f}".replace(",", "\u202f") + " requêtes" in said and "run" not in said
    assert found["Tri du courrier entrant"]["footprint"]["text"].endswith("(4 runs)")
    code, out, err = run_cli("ai", "plan", TOWN / "plan_assistant.toml", "--json")
    planned = [
        o for o in json.loads(out)["options"] if o["option"] == "Petit modèle hébergé (Mistral Small 4)"
    ][0]
    footprint = found["Assistant citoyen (projet)"]["footprint"]
    assert footprint["kind"] == "plan" and footprint["total_kgco2e"] == pytest.approx(planned["total_kgco2e"])


def test_the_ai_section_opens_with_the_register_and_providers_tables_are_in_an_appendix(register_report):
    _, page = register_report

    class Sections(HTMLParser):
        def __init__(self):
            super().__init__()
            self.order = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if "governance" in (attrs.get("class") or ""):
                self.order.append("governance")
            if tag == "table" and "hosted-references" in (attrs.get("class") or ""):
                self.order.append("references")
            if tag == "section" and attrs.get("id") == "annexe-fournisseurs-ia":
                self.order.append("appendix")

    parsed = Sections()
    parsed.feed(page)
    assert parsed.order == ["governance", "appendix", "references"]
    box = page[page.index('class="governance"') : page.index("</div>", page.index('class="governance"'))]
    assert "<caption>" in box and "Chatbot citoyen" in box and "89,2" in box


def test_english_headers_and_values_and_a_wrong_role_is_said(tmp_path, run_cli):
    write(
        tmp_path / "runs.csv",
        "run_id,project,phase,duration [h],accelerator,accelerator_count,location\n"
        "r1,OCR,inference,10,L4,1,FRA\n",
    )
    register = write(
        tmp_path / "register.csv",
        "Name,Purpose,Supplier,Role,Risk class,Measured by\n"
        "OCR,Read scanned forms,In-house,deployer,minimal,runs.csv\n"
        "Bot,Answer residents,Vendor,user-ish,high risk,missing.csv\n",
    )
    from greenit.decide import read_ai_register

    result = {s["name"]: s for s in read_ai_register(register, lang="en")["systems"]}
    assert result["OCR"]["footprint"]["total_kgco2e"] > 0 and result["OCR"]["role_text"] == "deployer"
    assert "user-ish" in result["Bot"]["reason"]
    assert result["Bot"]["risk_class"] == "high"
    assert re.search("file not found", result["Bot"]["footprint"]["text"])
    assert [o["key"] for o in result["Bot"]["obligations"]] == ["transparency", "fria", "register"]


def test_a_register_without_a_name_column_is_one_clear_error(tmp_path, run_cli):
    register = write(tmp_path / "register.csv", "Foo;Bar\n1;2\n")
    code, out, err = run_cli(
        "report", SAMPLE_INVENTORY, "--ai-register", register, "--year", "2025", "--out", tmp_path / "r"
    )
    assert code == 2 and "Nom, Système, Name" in err
