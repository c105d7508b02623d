"""French first, English complete: no English word in a French output, no category code, and
the reverse for --lang en. Checked on the report, the console and the XLSX workbook.
"""

import re
import string

import html_page
import openpyxl
import pytest
from test_report import FLAGGED_AI_LOG, FLAGGED_INVENTORY

from conftest import write
from greenit.factors import load_factors
from greenit.i18n import catalogue, plural_variants


def fragments(lang: str) -> set[str]:
    """Literal pieces of the catalogue's texts in ``lang`` that the other language never uses."""
    other = "fr" if lang == "en" else "en"
    found = set()
    for entry in catalogue().values():
        own, theirs = entry.get(lang, ""), entry.get(other, "")
        if own == theirs:
            continue
        literals = [lit for variant in plural_variants(own) for lit, *_ in string.Formatter().parse(variant)]
        for literal in literals:
            for piece in re.split(r"[.;:()«»'\"!?]|\s[–—-]\s", literal or ""):
                piece = " ".join(piece.split())
                if len(piece.split()) >= 3 and piece not in theirs:
                    found.add(piece)
    return found


def category_codes() -> set[str]:
    devices = load_factors().devices
    return {
        code
        for code in devices.index
        if code.lower()
        not in (str(devices.at[code, "label_fr"]).lower(), str(devices.at[code, "label_en"]).lower())
    }


def html_text(path) -> str:
    # identifiers (<code>) and the sources' titles (cited as published) are in no language of ours
    hidden = (*html_page.HIDDEN, "code", "table.sources")
    return html_page.read(path).text(skip=hidden)


def svg_texts(folder) -> str:
    return " ".join(word for svg in folder.glob("*.svg") for word in html_page.svg_texts(svg.read_text()))


def xlsx_text(path) -> str:
    book = openpyxl.load_workbook(path)
    cells = [book.sheetnames]
    for sheet in book.worksheets:
        cells += [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    return " | ".join(map(str, cells))


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[│┃┏┓┗┛━─┡┩┠┨╇╈┳┻╋┼┬┴├┤┌┐└┘═║╔╗╚╝╠╣╦╩╬]", " ", text).split())


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, flagged_report):
    """Report (``conftest.flagged_report``), console (estimate and ai estimate) and XLSX of the
    flagged fixture, per language.
    """
    from typer.testing import CliRunner

    from greenit.cli import app
    from greenit.i18n import set_language

    folder = tmp_path_factory.mktemp("langues")
    inventory = write(folder / "inventaire.csv", FLAGGED_INVENTORY)
    log = write(folder / "journal.csv", FLAGGED_AI_LOG)
    runner = CliRunner()
    texts = {}
    for lang in ("fr", "en"):
        report = flagged_report(lang).folder
        common = ["--year", "2025", "--lang", lang]
        estimate = runner.invoke(
            app,
            ["estimate", str(inventory), "--xlsx-out", str(folder / f"{lang}.xlsx"), *common],
            catch_exceptions=False,
        )
        ai = runner.invoke(app, ["ai", "estimate", str(log), "--lang", lang])
        texts[lang] = {
            "report": normalised(html_text(report / "report.html")),
            "charts": normalised(svg_texts(report)),
            "console": normalised(estimate.output + ai.output),
            "xlsx": normalised(xlsx_text(folder / f"{lang}.xlsx")),
        }
    set_language("fr")
    return texts


@pytest.mark.parametrize("where", ["report", "charts", "console", "xlsx"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_word_of_the_other_language(outputs, lang, where):
    text = outputs[lang][where]
    other = "en" if lang == "fr" else "fr"
    leaks = sorted(f for f in fragments(other) if f in text)
    assert leaks == []


@pytest.mark.parametrize("where", ["report", "charts", "console", "xlsx"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_categories_and_phases_by_their_labels_never_their_codes(outputs, lang, where):
    text = outputs[lang][where]
    codes = category_codes() | ({"training", "inference", "evaluation"} if lang == "fr" else set())
    shown = sorted(code for code in codes if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text))
    assert shown == []


def test_french_outputs_are_french(outputs):
    fr = outputs["fr"]
    assert "Empreinte carbone annuelle du numérique, 2025" in fr["report"]
    assert "Ordinateur portable" in fr["console"] and "Ordinateur portable" in fr["xlsx"]
    assert "catégorie : « Cafetière » n'est pas un type d'équipement connu" in fr["report"]
    assert "Âge des équipements en service" in fr["charts"]
    en = outputs["en"]
    assert "Yearly carbon footprint of digital services, 2025" in en["report"]
    assert "Laptop" in en["console"] and "Laptop" in en["xlsx"]
    assert "category: 'Cafetière' is not a known device type" in en["report"]
    # the detector works: each language's own fragments are found in its outputs
    for lang in ("fr", "en"):
        assert len([f for f in fragments(lang) if f in outputs[lang]["report"]]) > 30


CLICK_ENGLISH = (
    "Usage:",
    "Show this message and exit",
    "[default:",
    "[required]",
    "Missing argument",
    "No such option",
    "Error:",
    "Try '",
)


def test_help_and_usage_errors_speak_french(run_cli):
    from typer.testing import CliRunner

    from greenit.cli import app

    runner = CliRunner()
    help_text = runner.invoke(app, ["estimate", "--help"]).output
    assert "Utilisation : greenit estimate" in help_text and "Afficher cette aide et quitter." in help_text
    assert "[défaut\u00a0: FRA]" in " ".join(help_text.split(" ")) or "défaut\u00a0: FRA" in help_text
    for invocation, expected in (
        (["estimate"], "greenit : erreur : argument manquant : « FICHIERS »"),
        (
            ["estimate", "x.csv", "--yaer", "2025"],
            "greenit : erreur : option inconnue : --yaer (la plus proche : --year)",
        ),
        (
            ["estimate", "x.csv", "--year", "abc"],
            "valeur invalide pour « --year » : un nombre entier est attendu",
        ),
        (["estimate", "x.csv", "--method", "fluxx"], "« fluxx » n'est pas parmi"),
        (["report", "x.csv"], "option manquante : « --out »"),
    ):
        result = runner.invoke(app, invocation)
        assert result.exit_code == 2
        assert expected in result.output, result.output
        assert "aide : greenit" in result.output
        assert not [word for word in CLICK_ENGLISH if word in result.output + help_text]


@pytest.mark.slow
def test_help_and_usage_errors_in_english_with_lang_en():
    import subprocess
    import sys

    from conftest import ROOT

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "greenit", *args], capture_output=True, text=True, cwd=ROOT
        )

    help_text = run("estimate", "--help", "--lang", "en").stdout
    assert "Usage: python -m greenit estimate" in help_text and "Show this message and exit." in help_text
    assert "[default: FRA]" in help_text and "Utilisation" not in help_text
    error = run("estimate", "x.csv", "--year", "abc", "--lang", "en")
    assert error.returncode == 2 and "Traceback" not in error.stderr
    assert error.stderr.startswith("greenit: error: invalid value for '--year': a whole number is expected")
    french = run("estimate", "--help")
    assert "Utilisation : python -m greenit estimate" in french.stdout and "Usage:" not in french.stdout


@pytest.mark.parametrize("key", ["reporting.headline.includes_ai", "reporting.headline.includes_ai_hosted"])
def test_the_headline_says_no_ai_run_rather_than_the_0_runs(key):
    """A report with hosted usage and no run log said « le 0 run d'IA estimé »."""
    from greenit.i18n import text

    zero = {lang: text(key, lang, devices=12, runs=0, hosted=4) for lang in ("fr", "en")}
    assert "aucune exécution d'IA estimée" in zero["fr"] and " 0 " not in zero["fr"]
    assert "no AI run estimated" in zero["en"] and " 0 " not in zero["en"]
    assert "la 1 exécution d'IA estimée (énergie" in text(key, "fr", devices=12, runs=1, hosted=4)
    assert "les 3 exécutions d'IA estimées (énergie" in text(key, "fr", devices=12, runs=3, hosted=4)
    assert "the 3 AI runs estimated (energy" in text(key, "en", devices=12, runs=3, hosted=4)
