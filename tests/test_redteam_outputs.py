"""Red-team findings on outputs: an input reached by another spelling, two outputs on one file,
names at the file-system's limit (benchmarks/redteam.py, area output).
"""

import os

from conftest import write
from greenit.reporting.output import write_atomic


def test_rows_out_reaching_the_input_through_a_folder_that_does_not_exist_is_refused(tmp_path, run_cli):
    inventory = write(tmp_path / "parc.csv", "Type;Quantité\nportable;3\n")
    spelt = tmp_path / "nouveau" / ".." / "parc.csv"  # the kernel would write parc.csv itself
    code, _, err = run_cli("estimate", inventory, "--rows-out", spelt)
    assert code == 2 and "c'est un des fichiers d'entrée" in err
    assert inventory.read_text(encoding="utf-8") == "Type;Quantité\nportable;3\n"


def test_rows_out_and_xlsx_out_on_one_file_are_refused_before_writing(tmp_path, run_cli):
    inventory = write(tmp_path / "parc.csv", "Type;Quantité\nportable;3\n")
    out = tmp_path / "sortie.xlsx"
    code, _, err = run_cli(
        "estimate", inventory, "--rows-out", out, "--xlsx-out", tmp_path / "." / "sortie.xlsx"
    )
    assert code == 2 and "deux sorties iraient dans ce même fichier" in err
    assert not out.exists()


def test_a_hard_link_to_the_input_is_refused(tmp_path, run_cli):
    inventory = write(tmp_path / "parc.csv", "Type;Quantité\nportable;3\n")
    os.link(inventory, tmp_path / "dur.csv")
    code, _, err = run_cli("estimate", inventory, "--rows-out", tmp_path / "dur.csv")
    assert code == 2 and "c'est un des fichiers d'entrée" in err


def test_a_name_near_the_limit_is_written_atomically(tmp_path):
    target = tmp_path / ("l" * 250 + ".csv")  # 254 bytes: legal, but not with a temporary suffix
    write_atomic(target, lambda path: path.write_text("complet"))
    assert target.read_text() == "complet"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_stale_temporary_file_of_a_long_name_is_cleaned_up(tmp_path):
    from greenit.reporting.output import _tmp_prefix

    target = tmp_path / ("é" * 120 + ".csv")  # 244 bytes in UTF-8
    stale = tmp_path / f"{_tmp_prefix(target.name)}999999-deadbeef.tmp"
    stale.write_text("laissé par un kill -9")
    assert len(stale.name.encode()) <= 255
    write_atomic(target, lambda path: path.write_text("complet"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_a_name_over_the_limit_is_one_clear_line_in_french(tmp_path, run_cli):
    inventory = write(tmp_path / "parc.csv", "Type;Quantité\nportable;3\n")
    code, _, err = run_cli("estimate", inventory, "--rows-out", tmp_path / ("l" * 256 + ".csv"))
    assert code == 2
    assert "nom de fichier trop long" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 2
