"""A file's own mistake is never read as data: rows with more cells than the header, a quote never
closed. Both were read without a word (found by a newcomer's messy files):

- « Ordinateur portable,1 200,50,2 » under « Type,Prix,Quantité » (a decimal comma in a
  comma-separated file): 50 laptops, or the type read as an index and every value shifted left;
- « Ordinateur portable;1;"PC Dell » with the quote never closed: the three following devices
  became the rest of one name, and « Lignes lues : 1 ».

A row with more cells than the header is now kept and flagged (its cells cannot be placed); a
quote never closed stops with exit 2 and the line where it opened, as one opened in another
column already did. A closed multi-line cell and GLPI's trailing « ; » are read as they are.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from greenit.parsing.streaming import NotStreamable, iter_csv_batches, read_csv_whole

HEADER = "Type;Quantité;Nom\n"
ROWS = ["Écran;3;E1\n", "Unité centrale;1;UC\n", "Ordinateur portable;2;PC\n"]


def estimate(run_main, path: Path, *args: str):
    done = run_main("estimate", path, "--year", "2025", *args)
    return done.returncode, done.stdout, " ".join(done.stderr.split())


@pytest.mark.parametrize("position", [0, 1, 2, 3])
def test_a_row_with_more_cells_than_the_header_is_flagged_the_others_estimated(tmp_path, run_main, position):
    rows = [*ROWS]
    rows.insert(position, "Ordinateur portable;1 200;50;2\n")  # 4 cells for 3
    path = tmp_path / "inventaire.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    code, out, err = estimate(run_main, path, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert (result["rows_in"], result["rows_flagged"]) == (4, 1)
    [flag] = result["flagged"]
    assert flag["row"] == position + 1 and flag["line"] == position + 2
    assert flag["reason"].startswith("4 cellules pour 3 colonnes : laquelle va où ?")
    counted = {c["category"]: c["quantity"] for c in result["by_category"]}
    assert counted == {"monitor": 3, "desktop": 1, "laptop": 2}  # the others, each in its place


def test_a_decimal_comma_in_a_comma_separated_file_is_never_a_shifted_row(tmp_path, run_main):
    path = tmp_path / "shift.csv"
    path.write_text("Type,Prix,Quantité\nOrdinateur portable,1 200,50,2\nÉcran,150,3\n", encoding="utf-8")
    code, out, err = estimate(run_main, path, "--lang", "en")
    assert code == 0 and "shift.csv, line 2: 4 cells for 3 columns: which goes where?" in " ".join(
        out.split()
    )
    code, out, err = estimate(run_main, path, "--json")
    counted = {c["category"]: c["quantity"] for c in json.loads(out)["by_category"]}
    assert counted == {"monitor": 3}  # never 50 laptops, never « 1 200 » as a type


def test_trailing_empty_cells_are_no_cells(tmp_path, run_main):
    path = tmp_path / "glpi.csv"
    path.write_text("Type;Quantité\nÉcran;3;\nOrdinateur portable;2;;\n", encoding="utf-8")
    code, out, err = estimate(run_main, path, "--json")
    assert code == 0, err
    counted = {c["category"]: c["quantity"] for c in json.loads(out)["by_category"]}
    assert counted == {"monitor": 3, "laptop": 2}


@pytest.mark.parametrize("row", [0, 1, 2])
def test_a_quote_never_closed_stops_with_the_line_it_opened(tmp_path, run_main, row):
    rows = [*ROWS]
    rows[row] = rows[row].replace(";PC", ';"PC').replace(";E1", ';"E1').replace(";UC", ';"UC')
    path = tmp_path / "inventaire.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    code, out, err = estimate(run_main, path)
    assert code == 2 and out == ""
    assert f"un guillemet ouvert ligne {row + 2} n'est jamais refermé" in err
    for read in (read_csv_whole, lambda p, label: list(iter_csv_batches(p, label))):
        with pytest.raises(NotStreamable):  # the fast readers hand it to the one that says where
            read(path, "inventaire.csv")


def test_a_closed_line_break_in_the_last_cell_is_a_name(tmp_path, run_main):
    path = tmp_path / "inventaire.csv"
    text = HEADER + "".join(ROWS) + 'Écran;1;"Salle ""B""\nfond"\n'
    path.write_text(text, encoding="utf-8")
    code, out, err = estimate(run_main, path, "--json")
    assert code == 0, err
    assert json.loads(out)["rows_in"] == 4
    assert len(read_csv_whole(path, "inventaire.csv")) == 4
