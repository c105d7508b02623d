"""A row of group titles over the header (« Équipement ;; Achat ;; Prix ;; Puissance », merged
cells in a workbook) is not the header: the row under it, as full as a header is, is.

Both rows named as many known columns, and the first won: « aucune colonne ne dit ce qu'est
chaque équipement … renommez la colonne en « Type » » for a file whose column was called Type.
"""

from __future__ import annotations

import json

import openpyxl
import pytest

from conftest import write
from greenit.parsing.layout import find_header_row

GROUPS = ["Équipement", None, "Achat", None, "Prix", None, "Puissance"]
HEADER = ["Type", "Quantité", "Date d'achat", "Fournisseur", "HT", "TTC", "(en kW)"]
ROWS = [
    ["Ordinateur portable", 2, "01/05/2022", "UGAP", 800, 960, None],
    ["Écran", 3, "01/05/2022", "UGAP", 150, 180, None],
]


def test_the_fuller_of_two_rows_naming_as_many_columns_is_the_header():
    known = {"Équipement", "Prix", "Type", "Quantité"}.__contains__
    assert find_header_row([GROUPS, HEADER, *ROWS], known) == 1
    assert find_header_row([["Inventaire 2025"], HEADER, *ROWS], known) == 1  # a title is no header
    assert find_header_row([HEADER, ["Type", "Quantité"]], known) == 0  # on a full tie, the first


def check(run_main, path):
    done = run_main("estimate", path, "--year", "2025", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert {c["category"]: c["quantity"] for c in result["by_category"]} == {"laptop": 2, "monitor": 3}
    assert result["columns"]["used"]["Type"] == "category"


def test_a_csv_with_group_titles_over_its_header(tmp_path, run_main):
    lines = [";".join("" if c is None else str(c) for c in row) for row in [GROUPS, HEADER, *ROWS]]
    check(run_main, write(tmp_path / "inventaire.csv", "\n".join(lines) + "\n"))


@pytest.mark.parametrize("merged", [True, False])
def test_a_workbook_with_merged_group_titles_over_its_header(tmp_path, run_main, merged):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [GROUPS, HEADER, *ROWS]:
        sheet.append(row)
    if merged:
        for cells in ("A1:B1", "C1:D1", "E1:F1"):
            sheet.merge_cells(cells)
    book.save(tmp_path / "inventaire.xlsx")
    check(run_main, tmp_path / "inventaire.xlsx")


def test_sheet_given_for_files_without_sheets_is_said(tmp_path, run_main):
    """« --sheet 2 » on a CSV was ignored without a word: the option would change nothing."""
    lines = [";".join("" if c is None else str(c) for c in row) for row in [HEADER, *ROWS]]
    path = write(tmp_path / "inventaire.csv", "\n".join(lines) + "\n")
    done = run_main("estimate", path, "--year", "2025", "--sheet", "2")
    assert done.returncode == 2 and "--sheet 2 : aucun des fichiers donnés n'a de feuilles" in done.stderr
    book = openpyxl.Workbook()
    book.active.title = "Parc"
    for row in [HEADER, *ROWS]:
        book.active.append(row)
    book.save(tmp_path / "parc.xlsx")
    check(run_main, tmp_path / "parc.xlsx")  # without --sheet
    done = run_main("estimate", path, tmp_path / "parc.xlsx", "--year", "2025", "--sheet", "Parc", "--json")
    assert done.returncode == 0, done.stderr  # the sheet is the workbook's; the CSV is one table
