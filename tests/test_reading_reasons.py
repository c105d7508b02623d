"""Why a file could not be read, said in the user's language, and the files people save in
Excel's "Unicode text" read (red-team findings: benchmarks/redteam.py, areas input and i18n).
"""

import json
import subprocess
import sys

import pytest

from conftest import SAMPLE_AI_LOG, SAMPLE_INVENTORY, write

TABLE = "Type\tQuantité\nportable\t2\nécran\t3\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_excel_unicode_text_is_read_like_its_utf8_twin(tmp_path, estimate_json, codec):
    bom = {"utf-16": b"", "utf-16-be": b"\xfe\xff", "utf-32": b""}[codec]
    wide = tmp_path / "unicode.txt"
    wide.write_bytes(bom + TABLE.encode(codec))
    plain = write(tmp_path / "plain.csv", TABLE)
    read, twin = estimate_json(wide, "--year", "2025"), estimate_json(plain, "--year", "2025")
    assert read["rows_estimated"] == 2 and read["totals"] == twin["totals"]


def test_a_file_with_only_a_bom_is_an_empty_file(tmp_path, run_cli):
    path = tmp_path / "vide.csv"
    path.write_bytes(b"\xef\xbb\xbf")
    code, _, err = run_cli("estimate", path)
    assert code == 2 and "le fichier est vide" in err and "EmptyDataError" not in err


def test_an_unclosed_quote_names_its_spreadsheet_line_in_french(tmp_path, run_cli):
    path = write(tmp_path / "q.csv", 'Type;Quantité\n"portable;1\n')
    code, _, err = run_cli("estimate", path)
    assert code == 2
    assert "un guillemet ouvert ligne 2 n'est jamais refermé" in err
    assert "ParserError" not in err and "tokenizing" not in err
    code, _, err = run_cli("estimate", path, "--lang", "en")
    assert "a quote opened on line 2 is never closed" in err


def test_a_csv_renamed_xlsx_is_said_so(tmp_path, run_cli):
    path = write(tmp_path / "parc.xlsx", "Type;Quantité\nportable;1\n")
    code, _, err = run_cli("estimate", path)
    assert code == 2 and "ce n'est pas un classeur Excel, malgré son nom" in err
    assert "zip" not in err and "rendez-lui l'extension .csv" in err


def test_the_parser_reasons_are_catalogue_messages():
    import pandas as pd

    from greenit.parsing.reasons import read_error_reason

    ragged = pd.errors.ParserError("Error tokenizing data. C error: Expected 2 fields in line 3, saw 4")
    assert read_error_reason(ragged).render("fr") == "la ligne 3 a 4 cellules pour 2 colonnes"
    # two title rows above the header: the parser's row 1 is the file's line 4
    quote = pd.errors.ParserError("C error: EOF inside string starting at row 1")
    assert read_error_reason(quote, first_line=3).render("en") == "a quote opened on line 4 is never closed"
    assert read_error_reason(ValueError("odd")) == "ValueError: odd"


def test_one_path_alone_is_one_file_in_the_api():
    from pathlib import Path

    import greenit

    alone = greenit.estimate_files(SAMPLE_INVENTORY, year=2025).result()
    as_path = greenit.estimate_files(Path(SAMPLE_INVENTORY), year=2025).result()
    listed = greenit.estimate_files([SAMPLE_INVENTORY], year=2025).result()
    assert alone["totals"] == as_path["totals"] == listed["totals"] and alone["rows_in"] > 0
    assert greenit.estimate_ai_files(SAMPLE_AI_LOG).result()["runs_in"] > 0


def test_a_language_greenit_does_not_speak_is_refused():
    import greenit

    estimate = greenit.estimate_files([SAMPLE_INVENTORY], year=2025)
    with pytest.raises(ValueError, match="fr ou en"):
        estimate.result(lang="de")
    with pytest.raises(ValueError, match="fr or en"):
        greenit.set_language("de")
    assert json.dumps(estimate.result(lang="en"))


@pytest.mark.parametrize(
    ("lang", "usage", "argument"),
    [("fr", "{FICHIERS}...", "FICHIERS <chemins>"), ("en", "{FILES}...", "FILES <paths>")],
)
def test_help_names_arguments_and_value_types_in_the_users_language(lang, usage, argument):
    out = subprocess.run(
        [sys.executable, "-m", "greenit", "estimate", "--help", "--lang", lang],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert usage in out and argument in out
    assert ("<entier>" if lang == "fr" else "<integer>") in out
    assert "<str>" not in out and "<int>" not in out and "list[Path]" not in out


def test_the_top_level_help_names_its_commands_in_french():
    out = subprocess.run(
        [sys.executable, "-m", "greenit", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "[OPTIONS] COMMANDE [ARGUMENTS]..." in out and "COMMAND [ARGS]" not in out
