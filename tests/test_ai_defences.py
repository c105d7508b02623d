"""AI logs hold what inventories hold: values checked against their plausible range with the
slip named (« 54 000 h : des secondes ? »), totals rows flagged, nothing estimated is exit 2,
over 10 % flagged is said, counts printed in French agree (« aucune exécution », « 2 lignes »).
"""

from __future__ import annotations

import itertools
import json

import pytest

from greenit.api import estimate_ai_files
from greenit.factors import load_factors
from greenit.i18n import text

FACTORS = load_factors()
HEADER = "run_id;durée;GPU;nombre de GPU;puissance GPU (W);énergie (kWh)\n"


def _reasons(tmp_path, lines: list[str], header: str = HEADER) -> list[str]:
    log = tmp_path / "journal.csv"
    log.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    result = estimate_ai_files(log).result()
    by_line = {f["line"]: f["reason"] for f in result["flagged"]}
    return [by_line.get(i + 2) for i in range(len(lines))]


#: (duration as written, hours it means) — as a log writes it in the wrong unit, and the slip
DURATIONS = [("54000", "seconds", 15.0), ("900000", "minutes", 15000.0), ("90000000", "milliseconds", 25.0)]


@pytest.mark.parametrize("cell, slip, meant", DURATIONS)
def test_a_run_duration_beyond_a_year_names_its_unit_slip(tmp_path, cell, slip, meant):
    [reason] = _reasons(tmp_path, [f"a;{cell} h;A100;2;;"])
    assert reason is not None and "plausible" in reason
    assert any(f"des {unit} ?" in reason for unit in ("secondes", "minutes", "millisecondes")), reason


@pytest.mark.parametrize(
    "accelerator, factor",
    list(itertools.product(["A100 SXM 80GB", "H100 SXM", "V100", "L4", "T4"], [1000.0, 0.001])),
)
def test_an_accelerators_power_a_thousand_times_off_its_board_is_flagged(tmp_path, accelerator, factor):
    key = FACTORS.table("accelerators")
    from greenit.ai.runs.accelerators import accelerator_resolver

    resolved = accelerator_resolver(FACTORS)(accelerator)
    board = key.at[resolved, "power_w"] if resolved in key.index else 300.0
    good, bad = _reasons(
        tmp_path, [f"a;2;{accelerator};1;{board * 0.8:.4g};", f"b;2;{accelerator};1;{board * factor:.6g};"]
    )
    assert good is None
    assert bad is not None and ("mille fois" in bad or "hors des valeurs plausibles" in bad)


def test_measured_energy_in_wh_read_as_kwh_is_flagged(tmp_path):
    good, bad = _reasons(tmp_path, ["a;2;A100;1;;0,6", "b;2;A100;1;;600"])
    assert good is None and "une énergie en Wh lue en kWh ? (300\u00a0W)" in bad


@pytest.mark.parametrize("count", ["300000", "1e7"])
def test_more_accelerators_than_any_cluster_is_flagged(tmp_path, count):
    [reason] = _reasons(tmp_path, [f"a;2;A100;{count};;"])
    assert reason is not None


USAGE = "Service;Modèle;Requêtes;{header}\n"


@pytest.mark.parametrize(
    "header, cell, requests, flagged",
    [
        ("Jetons de sortie", "400000", "1000", False),
        ("Jetons de sortie (milliers)", "400000", "1000", True),  # 400 million tokens for 1,000 requests
        ("Jetons de sortie (milliers)", "0,2", "1000", True),  # 0.2 token per request
        ("Jetons de sortie", "400", "1000", True),  # under one token per request
        ("Jetons de sortie (en milliers)", "400", "1000", False),
        ("Jetons de sortie", "200.000", "1.000", False),  # French thousands, per column
    ],
)
def test_tokens_per_request_a_request_cannot_hold_are_flagged(tmp_path, header, cell, requests, flagged):
    log = tmp_path / "usage.csv"
    log.write_text(
        USAGE.format(header=header) + f"A;mistral-small-2503;{requests};{cell}\n", encoding="utf-8"
    )
    result = estimate_ai_files(log).result()
    assert bool(result["runs_flagged"]) == flagged, result["flagged"]


@pytest.mark.parametrize(
    "label", ["Total", "TOTAL", "Sous-total", "Total général", "Total Chatbot citoyen", "Somme"]
)
def test_totals_rows_of_ai_logs_are_flagged_not_counted(tmp_path, label):
    runs = _reasons(tmp_path, ["a;2;A100;1;;", f"{label};2;A100;1;;"])
    assert runs[0] is None and runs[1] == "ligne de total, pas une exécution : non comptée"
    log = tmp_path / "usage.csv"
    log.write_text(
        USAGE.format(header="Jetons de sortie")
        + "Chatbot citoyen;mistral-small-2503;1000;400000\n"
        + f"{label};mistral-small-2503;1000;400000\n",
        encoding="utf-8",
    )
    result = estimate_ai_files(log).result()
    assert [f["reason"] for f in result["flagged"]] == ["ligne de total, pas un usage : non comptée"]


def test_ai_estimate_exits_2_when_nothing_is_estimated_with_the_reasons(tmp_path, run_cli):
    log = tmp_path / "journal.csv"
    log.write_text(HEADER + "a;54000;A100;2;;\nb;54000;A100;2;;\n", encoding="utf-8")
    code, out, err = run_cli("ai", "estimate", log)
    assert code == 2
    assert "aucune des 2 lignes lues n'a pu être estimée" in err and "des secondes" in err


def test_over_ten_percent_flagged_is_said_by_the_total(tmp_path, run_cli):
    lines = ["a;2;A100;1;;"] * 8 + ["z;54000;A100;1;;"]
    log = tmp_path / "journal.csv"
    log.write_text(
        HEADER + "\n".join(f"r{i}{line[1:]}" for i, line in enumerate(lines)) + "\n", encoding="utf-8"
    )
    code, out, _ = run_cli("ai", "estimate", log, "--json")
    assert json.loads(out)["coverage"]["warning"] is True
    code, out, _ = run_cli("ai", "estimate", log)
    assert "Attention : 11 % des exécutions et usages de l'année n'ont pas pu être estimés" in " ".join(
        out.split()
    )


@pytest.mark.parametrize(
    "n, fr, en",
    [
        (0, "Aucune exécution lue : aucune estimée, aucune signalée", "No run read: 0 estimated, 0 flagged"),
        (1, "1 exécution lue : 1 estimée, aucune signalée", "1 run read: 1 estimated, 0 flagged"),
        (2, "2 exécutions lues : 2 estimées, aucune signalée", "2 runs read: 2 estimated, 0 flagged"),
        (
            1500,
            "1\u202f500 exécutions lues : 1\u202f500 estimées, aucune signalée",
            "1,500 runs read: 1,500 estimated, 0 flagged",
        ),
    ],
)
def test_counts_agree_in_french_and_english_through_babel(n, fr, en):
    from greenit.i18n.formats import format_number

    for lang, expected in (("fr", fr), ("en", en)):
        count = format_number(n, lang)
        zero = format_number(0, lang)
        said = text("reporting.console.runs_read", lang, runs=count, estimated=count, flagged=zero)
        assert said == expected


def test_numpy_warnings_never_reach_stderr(tmp_path, run_main):
    """Every warning raised while estimating is recorded (``-W default`` and more: ``always``), in
    this process through ``main()``: none may be raised, so none can reach a user's terminal.
    """
    import warnings

    log = tmp_path / "journal.csv"
    log.write_text(
        "run_id;durée;énergie (kWh);nombre de GPU;GPU\na;0;5;0;\nb;0 h;0;1;A100\n", encoding="utf-8"
    )
    with warnings.catch_warnings(record=True) as raised:
        warnings.simplefilter("always")
        done = run_main("ai", "estimate", log)
    assert [str(w.message) for w in raised] == []
    assert "Warning" not in done.stderr and "encountered" not in done.stderr, done.stderr
