"""Red-team findings on language: French plurals agree, reasons join the French way, errors stay
on their lines (benchmarks/redteam.py, area i18n).
"""

import pytest

from conftest import write
from greenit.errors import GreenitError
from greenit.i18n import Joined, Verbatim, msg, text


@pytest.mark.parametrize(
    ("lang", "rows", "expected"),
    [
        ("fr", (1, 1, 0), "Lignes lues : 1 (estimées : 1, signalées : 0)."),
        ("fr", (2058, 2055, 3), "Lignes lues : 2 058 (estimées : 2 055, signalées : 3)."),
        ("en", (1, 1, 0), "1 row read: 1 estimated, 0 flagged."),
        ("en", (0, 0, 0), "0 rows read: 0 estimated, 0 flagged."),
    ],
)
def test_the_rows_read_agree_with_their_number(lang, rows, expected):
    from greenit.reporting.text import Words

    w = Words(lang)
    rows_in, estimated, flagged = (w.count(n) for n in rows)
    rendered = text("reporting.note.rows_read", lang, rows_in=rows_in, estimated=estimated, flagged=flagged)
    assert rendered.replace("\u202f", " ").replace("\u00a0", " ") == expected


def test_one_row_file_reads_in_the_singular_on_the_console(tmp_path, run_cli):
    path = write(tmp_path / "un.csv", "Type;Quantité\nportable;1\n")
    _, out, _ = run_cli("estimate", path, "--year", "2025")
    flat = " ".join(out.split())
    assert "Lignes lues : 1 (estimées : 1, signalées : 0)." in flat
    assert "en nombre de lignes : durée de vie 1, consommation 1 ; date d'achat inconnue : 1." in flat
    _, out, _ = run_cli("estimate", path, "--year", "2025", "--lang", "en")
    flat = " ".join(out.split())
    assert "1 row read: 1 estimated, 0 flagged." in flat
    assert "in rows: lifespan 1, energy 1; purchase date unknown: 1." in flat


def test_one_flagged_row_of_many_is_said_in_the_singular():
    one = text("reporting.flagged.count", "fr", n=1, rows="40")
    assert (
        one.startswith("1 ligne sur 40 n'a pas pu être estimée ; elle n'est pas comptée")
        and "Corrigez-la" in one
    )
    assert text("reporting.console.more_flagged", "fr", n=1) == "… et une autre (voir --rows-out)"
    assert text("reporting.console.more_flagged", "fr", n=7) == "… et 7 autres (voir --rows-out)"
    assert text("inventory.note.blank_rows", "fr", count=1) == "1 ligne vide ignorée"
    assert text("inventory.note.blank_rows", "en", count=3) == "3 blank rows skipped"


def test_french_reasons_are_joined_with_a_space_before_the_semicolon():
    joined = Joined((Verbatim("quantité : « x » n'est pas un nombre"), Verbatim("date : « y » invalide")))
    assert joined.render("fr") == "quantité : « x » n'est pas un nombre ; date : « y » invalide"
    assert joined.render("en") == "quantité : « x » n'est pas un nombre; date : « y » invalide"


def test_an_error_stays_on_its_lines_whatever_the_value_holds():
    error = GreenitError.of(
        "factors.no_country", "factors.no_country_hint", country="FRA\n\x1b[2J", known="FRA"
    )
    lines = error.render("fr").splitlines()
    assert len(lines) == 2
    assert "\x1b" not in error.render("fr") and "FRA" in lines[0]


def test_a_message_value_with_a_newline_prints_on_one_line_on_the_cli(tmp_path, run_main):
    path = write(tmp_path / "parc.csv", "Type;Quantité\nportable;1\n")
    done = run_main("estimate", path, "--country", "FRA\nX")  # the console entry point's main()
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 2


def test_the_os_reason_of_a_write_error_is_in_the_users_language(tmp_path, run_cli):
    path = write(tmp_path / "parc.csv", "Type;Quantité\nportable;1\n")
    code, _, err = run_cli("estimate", path, "--rows-out", "/dev/full")
    assert code == 2
    assert "plus de place sur le disque" in err and "No space" not in err
    code, _, err = run_cli("estimate", path, "--rows-out", "/dev/full", "--lang", "en")
    assert "no space left on the disk" in err


def test_no_input_file_is_said_in_french():
    from greenit.parsing.files import require_files

    with pytest.raises(GreenitError) as caught:
        require_files([], "raise")
    assert caught.value.render("fr").startswith("aucun fichier")


def test_msg_of_an_unknown_key_still_fails_at_once():
    with pytest.raises(KeyError):
        msg("no.such.key")
