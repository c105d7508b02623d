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


def test_a_report_is_refused_when_a_file_given_cannot_be_read(tmp_path, run_main):
    """greenit report a.csv bruit.csv used to exit 0 with the total of a.csv alone, bruit.csv listed
    in the appendix as an inventory: nothing on stderr. Now nothing is written and it says why.
    """
    inventory = write(tmp_path / "inventaire.csv", SMALL_INVENTORY)
    noise = tmp_path / "bruit.csv"
    noise.write_bytes(bytes(range(256)) * 12)
    empty = write(tmp_path / "vide.csv", "")
    done = run_main("report", inventory, noise, empty, "--year", "2025", "--out", tmp_path / "r")
    assert done.returncode == 2 and not (tmp_path / "r").exists()
    assert f"« {noise} » n'a pas pu être lu" in done.stderr and "aucun rapport n'a été écrit" in done.stderr
    assert "(et l'autre fichier non lu)" in done.stderr and "Traceback" not in done.stderr
    done = run_main(
        "report", inventory, "--ai", noise, "--year", "2025", "--out", tmp_path / "r", "--lang", "en"
    )
    assert done.returncode == 2 and not (tmp_path / "r").exists() and "binary" in done.stderr


def test_the_api_report_refuses_a_file_it_could_not_read(tmp_path):
    from greenit import build_report
    from greenit.errors import GreenitError

    inventory = write(tmp_path / "inventaire.csv", SMALL_INVENTORY)
    empty = write(tmp_path / "vide.csv", "")
    with pytest.raises(GreenitError, match="vide.csv"):
        build_report([inventory, empty], tmp_path / "r", year=2025)
    assert not (tmp_path / "r" / "report.html").exists()
