"""Red-team cases of issue 19's defences: units, numbers, plausibility, periods, duplicates, totals.

Each class of ``redteam_trust_variants`` builds many variants in one process and says how many
were read right, flagged or refused, and which were *silent* (a wrong figure used without a
word): a case is broken as soon as one variant is silent. The CLI cases check the promises a
user sees: ``report --year`` keeps other years out, ``ai estimate`` exits 2 when nothing is
estimated, a file given twice is one French line and exit 2.
"""

from __future__ import annotations

import json
from pathlib import Path

from redteam_kit import PYTHON, REAL, TOWN, case, greenit, run, user_error, verdict, write

HERE = Path(__file__).resolve().parent
VARIANTS = HERE / "redteam_trust_variants.py"
#: the least each class tries (the red team of issue 19 asks for 300 new variants in all)
LEAST = {
    "headers": 60,
    "tokens": 50,
    "numbers": 100,
    "plausibility": 60,
    "ai_units": 20,
    "periods": 20,
    "duplicates": 15,
    "totals_rows": 12,
}


def _variants_case(name: str) -> None:
    @case("trust", f"variants: {name}", f"≥ {LEAST[name]} variants, none silent")
    def check(tmp: Path) -> tuple[bool, str]:
        r = run([PYTHON, VARIANTS, name], timeout=900)
        if r.code != 0:
            return False, r.brief()
        found = json.loads(r.out.strip().splitlines()[-1])
        got = (
            f"{found['tried']} tried: {found['right']} right, {found['flagged']} flagged, "
            f"{found['refused']} refused, {len(found['silent'])} silent"
        )
        if found["silent"]:
            return False, got + ": " + "; ".join(found["silent"][:3])
        return found["tried"] >= LEAST[name], got


for _name in LEAST:
    _variants_case(_name)


@case("trust", "report --year 2025 with AI of 2019 and 2031", "only 2025 in the headline, the rest said")
def report_years(tmp: Path) -> tuple[bool, str]:
    runs = write(
        tmp / "journal.csv",
        "run_id;début;durée (h);GPU;nombre de GPU\na;04/03/2019;50;A100;8\n"
        "b;01/06/2025;5;A100;2\nc;10/01/2031;50;A100;8\n",
    )
    usage = write(
        tmp / "usage.csv",
        "Service;Modèle;Période;Requêtes;Jetons de sortie\nA;mistral-small-2503;2025-01;1000;400000\n"
        "B;mistral-small-2503;2031-05;90000;36000000\nC;mistral-small-2503;2019;90000;36000000\n",
    )
    r = greenit(
        "report",
        TOWN / "inventaire_glpi.csv",
        "--ai",
        runs,
        "--ai",
        usage,
        "--year",
        "2025",
        "--out",
        tmp / "r",
    )
    if r.code != 0:
        return False, r.brief()
    summary = json.loads((tmp / "r" / "summary.json").read_text())
    only = [summary["ai"]["runs"][i]["total_kgco2e"] for i in range(len(summary["ai"]["runs"]))]
    html = (tmp / "r" / "report.html").read_text()
    said = "hors de 2025" in html and "Période couverte" in html
    ok = abs(summary["headline"]["ai_kgco2e"] - sum(only)) < 1e-6 and len(only) == 2 and said
    return (
        ok,
        f"AI {summary['headline']['ai_kgco2e']:.3g} kgCO2e, {len(only)} rows of 2025; periods said: {said}",
    )


@case("trust", "ai estimate: every run flagged", "exit 2, the reasons in French")
def nothing_estimated(tmp: Path) -> tuple[bool, str]:
    log = write(tmp / "j.csv", "run_id;durée;GPU;nombre de GPU\na;54000;A100;2\nb;90000;A100;2\n")
    r = greenit("ai", "estimate", log)
    problem = user_error(r) or (
        None if "aucune des 2 lignes" in r.err else "no count of rows in " + r.err[-120:]
    )
    return verdict(problem, r.brief())


@case("trust", "estimate: the same inventory twice", "exit 2, one French line per copy")
def same_file_twice(tmp: Path) -> tuple[bool, str]:
    copy = write(tmp / "copie.csv", (REAL / "glpi10_computers_fr.csv").read_bytes())
    r = greenit("estimate", REAL / "glpi10_computers_fr.csv", copy, "--json")
    ok = r.code == 2 and "même contenu que" in r.err and "Traceback" not in r.err
    return ok, r.brief()
