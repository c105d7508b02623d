"""A duration whose header states its unit was read in that unit: no slip is offered for it.

W&B's Runtime is in seconds: a runtime of 99,999,999 s (27,778 h) was flagged « des secondes ?
(7,72 h) », dividing by 3,600 a second time. A bare number (hours, the column's unit) keeps
its hint: 54,000 under « Durée » is « des secondes ? (15 h) ».
"""

from __future__ import annotations

import json

import pytest

from conftest import ROOT

WANDB = (ROOT / "tests" / "fixtures" / "real" / "wandb_runs_table_export.csv").read_text(encoding="utf-8")


def reasons(run_main, path):
    done = run_main("ai", "estimate", path, "--year", "2025", "--json")
    assert done.returncode in (0, 2), done.stderr
    return (
        [f["reason"] for f in json.loads(done.stdout)["flagged"]] if done.returncode == 0 else [done.stderr]
    )


def test_a_wandb_runtime_in_seconds_is_never_offered_as_seconds_again(tmp_path, run_main):
    header, first, *_ = WANDB.splitlines()
    runtime = (
        header.split(",").index('"Runtime"') if '"Runtime"' in header else header.split(",").index("Runtime")
    )
    cells = first.split(",")
    cells[runtime] = "99999999"
    path = tmp_path / "wandb.csv"
    path.write_text("\n".join([*WANDB.splitlines(), ",".join(cells)]) + "\n", encoding="utf-8")
    [reason] = [r for r in reasons(run_main, path) if "99999999" in r]
    assert "27\u202f778" in reason and "des secondes" not in reason
    assert "vérifiez la valeur et son unité" in reason


@pytest.mark.parametrize(
    ("header", "cell", "hint"),
    [
        ("Durée", "54000", "des secondes ? (15"),  # a bare number is hours: the slip is offered
        ("Durée (min)", "600000", None),  # 10,000 h read in minutes, as its header says
        ("Durée (s)", "99999999", None),
    ],
)
def test_a_slip_is_offered_only_where_no_unit_was_stated(tmp_path, run_main, header, cell, hint):
    path = tmp_path / "journal.csv"
    rows = ["Projet;Début;{h};Accélérateur;Nombre", "a;04-03-2025;2;A100;2", "b;05-03-2025;{c};A100;2"]
    path.write_text("\n".join(rows).format(h=header, c=cell) + "\n", encoding="utf-8")
    [reason] = reasons(run_main, path)
    assert f"« {cell} »" in reason
    if hint:
        assert hint in reason
    else:
        assert "des secondes" not in reason and "des minutes" not in reason
