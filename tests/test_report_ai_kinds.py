"""Every kind of AI file greenit reads has its words in the report's appendix (« Annexe D »).

greenit report --ai on a W&B, MLflow, nvidia-smi or BoAmps file ended in a traceback
(KeyError: no catalogue entry 'reporting.appendix.ai_file.mlflow') after the charts were written:
only the first four kinds had words. The kinds come from the format registry, so a format added
without its words fails here.
"""

from __future__ import annotations

import html

import pytest

from conftest import ROOT, SMALL_INVENTORY, write
from greenit.i18n import text
from greenit.parsing import formats

REAL = ROOT / "tests" / "fixtures" / "real"
KINDS = [f.key for f in formats.of_kind("ai_runs") if f.to_log is not None] + ["usage_log", "run_log"]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_ai_file_has_its_words_in_the_appendix(kind, lang):
    words = text(f"reporting.appendix.ai_file.{kind}", lang, rows=3)
    assert words.startswith("(") and "3" in words


def test_a_report_names_each_ai_file_read_with_its_kind(tmp_path, run_main):
    files = {
        "wandb": REAL / "wandb_runs_table_export.csv",
        "mlflow": REAL / "mlflow_ui_runs.csv",
        "nvidia_smi": REAL / "nvidia_smi_power_log.csv",
        "boamps": REAL / "boamps_report_training_tri_courriers.json",
    }
    inventory = write(tmp_path / "inventaire.csv", SMALL_INVENTORY)
    ai = [arg for path in files.values() for arg in ("--ai", path)]
    done = run_main("report", inventory, *ai, "--year", "2025", "--out", tmp_path / "r")
    assert done.returncode == 0, done.stderr
    page = html.unescape((tmp_path / "r" / "report.html").read_text(encoding="utf-8"))
    expected = {
        "wandb": "export des runs Weights & Biases, 8 lignes",
        "mlflow": "export des runs MLflow, 7 lignes",
        "nvidia_smi": "relevé de puissance nvidia-smi, 16 lignes",
        "boamps": "rapport d'énergie BoAmps, 1 ligne)",
    }
    for kind, path in files.items():
        assert f"{path}</code> ({expected[kind]}" in page, kind
