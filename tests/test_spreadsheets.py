"""Spreadsheets as people keep them (issue 19): LibreOffice's .ods, the visible sheet, merged
cells, a password, and XLSX files that cost nothing however they are padded.

Every fixture is in ``tests/fixtures/real`` with the script that writes it (``make/``); the
expected figures are counted here from the fixture's own lines.
"""

from __future__ import annotations

import io
import json
import time
import tracemalloc
import zipfile
from datetime import date

import pandas as pd
import pytest

from conftest import ROOT, write
from greenit.api import estimate_files
from greenit.errors import InputFileError
from greenit.factors import load_factors
from greenit.inventory import normalise_inventory
from greenit.parsing.readers import read_table

REAL = ROOT / "tests" / "fixtures" / "real"
#: The visible sheet of the three town fixtures, line by line (Service, Type, quantity).
TOWN_LINES = [
    ("Direction générale", "laptop", 3),
    ("Direction générale", "monitor", 3),
    ("Direction générale", "multifunction_printer", 1),
    ("Services techniques", "desktop", 6),
    ("Services techniques", "tablet", 4),
    ("Écoles", "desktop", 18),
    ("Écoles", "projector", 5),
]


def normalise(path, **options):
    sheet = options.pop("sheet", None)
    return normalise_inventory(read_table(path, sheet=sheet), load_factors(), **options)


def lines_of(frame: pd.DataFrame) -> list[tuple]:
    return list(
        zip(frame["entity"], frame["category"].astype(str), frame["quantity"].astype(int), strict=True)
    )


# --- LibreOffice .ods -----------------------------------------------------------------------


def test_a_libreoffice_ods_reads_its_visible_sheet_with_merged_services_filled_down():
    frame = normalise(REAL / "inventaire_mairie.ods")
    twins = [(None, "laptop", 1), (None, "laptop", 1)]  # one line repeated twice by LibreOffice
    assert [(e if isinstance(e, str) else None, c, q) for e, c, q in lines_of(frame)] == TOWN_LINES + twins
    assert frame["quantity"].sum() == 3 + 3 + 1 + 6 + 4 + 18 + 5 + 1 + 1  # 42, not the hidden 850
    # a title line, a blank line, then the header on line 3: each row keeps the line people see
    assert frame["line"].tolist() == list(range(4, 13))
    assert frame["purchase_date"].dt.date.tolist()[:2] == [date(2021, 4, 8), date(2019, 3, 12)]
    assert frame["model"].tolist()[4] == "Galaxy  Tab\nActive3"  # text:s c=2, a line break: as typed
    assert frame["reason"].isna().all()


def test_the_ods_notes_say_the_hidden_sheet_and_the_merged_ranges():
    result = estimate_files([REAL / "inventaire_mairie.ods"], year=2025).result()
    file = result["columns"]["files"][0]
    assert (file["sheet"], file["header_line"]) == ("Inventaire 2025", 3)
    assert [str(n) for n in file["notes"]] == [
        "feuille masquée non lue : Brouillon 2019 (--sheet NOM pour en lire une)",
        "cellules fusionnées : la valeur de la première cellule recopiée dans toute la plage "
        "(A4:A6, A7:A8, A9:A10)",
    ]


@pytest.mark.parametrize("fixture", ["inventaire_mairie.ods", "inventaire_feuille_masquee.xlsx"])
def test_a_hidden_sheet_is_read_only_when_named(fixture):
    hidden = "Brouillon 2019" if fixture.endswith(".ods") else "Ancien inventaire 2019"
    frame = normalise(REAL / fixture, sheet=hidden)
    assert frame["quantity"].sum() == 350 + 500  # the draft of 2019, never read unasked
    assert set(frame["category"].astype(str)) == {"desktop", "monitor"}


def test_the_hidden_sheet_that_scores_best_is_still_not_read():
    # the hidden draft has 40 lines of the same headers: it wins any "most table-like" score
    frame = normalise(REAL / "inventaire_feuille_masquee.xlsx")
    assert lines_of(frame) == TOWN_LINES
    assert frame["quantity"].sum() == 40


def test_xlsx_merged_service_cells_are_filled_down():
    frame = normalise(REAL / "inventaire_service_fusionne.xlsx")
    assert lines_of(frame) == TOWN_LINES
    result = estimate_files([REAL / "inventaire_service_fusionne.xlsx"], year=2025).result()
    assert [str(n) for n in result["columns"]["files"][0]["notes"]] == [
        "cellules fusionnées : la valeur de la première cellule recopiée dans toute la plage "
        "(A2:A4, A5:A6, A7:A8)"
    ]


def test_a_workbook_with_only_hidden_tables_names_them_and_exits_2(tmp_path, run_cli):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Notice"
    hidden = workbook.create_sheet("Parc")
    hidden.append(["Type", "Quantité"])
    hidden.append(["Portable", 3])
    hidden.sheet_state = "hidden"
    path = tmp_path / "cache.xlsx"
    workbook.save(path)
    code, _, err = run_cli("estimate", path)
    assert code == 2
    assert "aucune feuille visible ne contient de tableau ; feuilles masquées : Parc" in err
    assert normalise(path, sheet="Parc")["quantity"].tolist() == [3]


# --- a password ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["inventaire_protege.xlsx", "inventaire_protege.csv", "inventaire.ods"])
def test_a_password_protected_workbook_gets_its_own_message_whatever_its_name(tmp_path, run_cli, name):
    path = tmp_path / name
    path.write_bytes((REAL / "inventaire_protege.xlsx").read_bytes())
    code, _, err = run_cli("estimate", path)
    assert code == 2
    assert "est protégé par un mot de passe (chiffré)" in err
    assert "Traceback" not in err and "pas un classeur Excel" not in err


def test_a_password_protected_ods_is_said_so(tmp_path):
    source = zipfile.ZipFile(REAL / "inventaire_mairie.ods")
    path = tmp_path / "protege.ods"
    with zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "META-INF/manifest.xml":  # as LibreOffice marks each encrypted part
                entry = b'manifest:full-path="content.xml" manifest:media-type="text/xml"'
                assert entry + b"/>" in data
                data = data.replace(
                    entry + b"/>",
                    entry + b'><manifest:encryption-data manifest:checksum-type="SHA1/1K" '
                    b'manifest:checksum="x"/></manifest:file-entry>',
                )
            target.writestr(item, data)
    with pytest.raises(InputFileError, match="protégé par un mot de passe"):
        read_table(path)


# --- bounded memory and time -------------------------------------------------------------


def xlsx_with(path, sheet_xml_rows: bytes, shared: bytes | None = None, merges: bytes = b"") -> None:
    """A minimal XLSX written by hand: header Type | Modèle | Quantité, then ``sheet_xml_rows``;
    ``shared`` the text of shared string 0 when given.
    """
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Type", "Modèle", "Quantité"])
    draft = io.BytesIO()
    workbook.save(draft)
    ns = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(draft) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", sheet_xml_rows + b"</sheetData>" + merges)
            if shared is not None and item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Type="' + ns + b'/sharedStrings" Target="sharedStrings.xml" Id="rId9"/>'
                    b"</Relationships>",
                )
            if shared is not None and item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            target.writestr(item.filename, data)
        if shared is not None:
            target.writestr(
                "xl/sharedStrings.xml",
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
                + shared
                + b"</t></si></sst>",
            )


def row(line: int, kind: str, model_xml: bytes, quantity: int) -> bytes:
    return b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c>%s<c r="C%d"><v>%d</v></c></row>' % (
        line,
        line,
        kind.encode(),
        model_xml.replace(b"LINE", b"%d" % line),
        line,
        quantity,
    )


def test_one_50_mb_shared_string_costs_neither_gigabytes_nor_minutes(tmp_path):
    path = tmp_path / "big.xlsx"
    text = (b"Portable Dell 12,5 W " * 2_400_000)[:50_000_000]
    rows = row(2, "Portable", b'<c r="BLINE" t="s"><v>0</v></c>', 2) + row(3, "Écran", b"", 3)
    xlsx_with(path, rows, shared=text)
    tracemalloc.start()
    start = time.perf_counter()
    frame = normalise(path)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert seconds < 20 and peak < 200e6  # 15 GB in the report
    assert frame["quantity"].tolist() == [2, 3]
    assert str(frame["reason"].iloc[0]).startswith("Modèle : cellule de 50000000 caractères, coupée à")
    assert len(frame["model"].iloc[0]) <= 32_767


def test_a_header_pointing_at_a_huge_shared_string_is_cut(tmp_path):
    path = tmp_path / "big_header.xlsx"
    xlsx_with(path, row(2, "Portable", b"", 2), shared=b"Mod" + b"e" * 5_000_000)
    data = zipfile.ZipFile(path)
    sheet = data.read("xl/worksheets/sheet1.xml").replace(
        b'<c r="B1" t="inlineStr"><is><t>Mod\xc3\xa8le</t></is></c>', b'<c r="B1" t="s"><v>0</v></c>'
    )
    rebuilt = tmp_path / "big_header2.xlsx"
    with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        for item in data.infolist():
            target.writestr(item.filename, sheet if item.filename.endswith("sheet1.xml") else data.read(item))
    tracemalloc.start()
    raw = read_table(rebuilt)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 100e6
    assert max(len(h) for h in raw.attrs["headers"]) == 32_767


@pytest.mark.parametrize("styled", [True, False], ids=["formatted-empty-lines", "a-gap-of-lines"])
def test_a_million_empty_lines_cost_seconds_and_keep_the_line_numbers(tmp_path, styled):
    path = tmp_path / "padded.xlsx"
    empty = (
        b"".join(
            b'<row r="%d" s="1" customFormat="1"><c r="A%d" s="1"/></row>' % (i, i)
            for i in range(4, 1_000_004)
        )
        if styled
        else b""
    )
    last = row(1_000_004, "Imprimante", b"", 1)
    xlsx_with(path, row(2, "Portable", b"", 2) + row(3, "Écran", b"", 3) + empty + last)
    start = time.perf_counter()
    frame = normalise(path)
    assert time.perf_counter() - start < 15  # 55 s for 3 M lines before (187 s in the report)
    assert frame["category"].astype(str).tolist() == ["laptop", "monitor", "printer"]
    assert frame["line"].tolist() == [2, 3, 1_000_004]
    result = estimate_files([path], year=2025).result()
    assert result["rows_in"] == 3
    assert [str(n) for n in result["columns"]["files"][0]["notes"]] == ["1000000 lignes vides ignorées"]


def test_horizontal_merges_and_a_merged_title_above_the_header(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Inventaire 2025"])
    sheet.append(["Service", "Site", "Type", "Quantité"])
    sheet.append(["DRH", None, "Portable", 2])  # « DRH » merged over Service and Site
    sheet.append(["Écoles", "Groupe scolaire", "Tablette", 30])
    sheet.merge_cells("A1:D1")
    sheet.merge_cells("A3:B3")
    path = tmp_path / "merges.xlsx"
    workbook.save(path)
    frame = normalise(path)
    assert frame["entity"].tolist() == ["DRH", "Écoles"]
    assert frame["site"].tolist() == ["DRH", "Groupe scolaire"]
    assert frame["line"].tolist() == [3, 4]


def test_a_formula_only_line_without_values_is_kept_flagged(tmp_path, english):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Type", "Quantité"])
    sheet.append(["Portable", 2])
    sheet.append(["=A2", "=B2*2"])  # no computed value saved: the whole line looks empty
    path = tmp_path / "formulas.xlsx"
    workbook.save(path)
    frame = normalise(path)
    assert frame["line"].tolist() == [2, 3]
    assert str(frame["reason"].iloc[1]).startswith("Type: formula without a computed value (=A2)")


# --- the same table, whatever the file -----------------------------------------------------

TABLE = [
    ["Type", "Modèle", "Quantité", "Service"],
    ["Portable", "ThinkPad T14", 3, "DRH"],
    [None, None, None, None],
    ["Écran", "P2419H  ", 12, "Écoles"],
    ["Tablette", "Galaxy Tab", 1.5, None],
]


def write_xlsx(path, rows, hidden_first: bool) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    if hidden_first:
        draft = workbook.active
        draft.title = "Brouillon"
        for values in rows[:1] + [["Portable", "?", 999, "?"]] * 40:
            draft.append(values)
        draft.sheet_state = "hidden"
        sheet = workbook.create_sheet("Parc")
    else:
        sheet = workbook.active
    for values in rows:
        sheet.append(values)
    workbook.save(path)


def write_ods(path, rows, hidden_first: bool) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableProperties
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    hidden = Style(name="hidden", family="table")
    hidden.addElement(TableProperties(display="false"))
    document.automaticstyles.addElement(hidden)

    def table(name, lines, style=None):
        sheet = Table(name=name, stylename=style) if style else Table(name=name)
        for values in lines:
            line = TableRow()
            for value in values:
                if value is None:
                    cell = TableCell()
                elif isinstance(value, (int, float)):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value).replace(".", ",")))
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=value))
                line.addElement(cell)
            sheet.addElement(line)
        document.spreadsheet.addElement(sheet)

    if hidden_first:
        table("Brouillon", rows[:1] + [["Portable", "?", 999, "?"]] * 40, hidden)
    table("Parc", rows)
    document.save(str(path))


@pytest.mark.parametrize("hidden_first", [False, True], ids=["one-sheet", "hidden-draft-first"])
@pytest.mark.parametrize("writer", [write_xlsx, write_ods], ids=["xlsx", "ods"])
def test_the_same_table_reads_the_same_from_csv_xlsx_and_ods(tmp_path, writer, hidden_first):
    csv = "\n".join(";".join("" if v is None else str(v) for v in r) for r in TABLE) + "\n"
    expected = normalise(write(tmp_path / "parc.csv", csv.replace("1.5", "1,5")))
    suffix = ".xlsx" if writer is write_xlsx else ".ods"
    path = tmp_path / f"parc{suffix}"
    writer(path, TABLE, hidden_first)
    frame = normalise(path)
    columns = ["row", "line", "category", "model", "quantity", "entity"]
    pd.testing.assert_frame_equal(
        frame[columns].astype(str), expected[columns].astype(str), check_dtype=False
    )
    assert frame["line"].tolist() == [2, 4, 5]  # the empty line 3 skipped, its number kept


@pytest.mark.parametrize("repeat", [1, 2, 5])
def test_ods_lines_repeated_by_libreoffice_are_each_a_row(tmp_path, repeat):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    sheet = Table(name="Parc")
    for values, times in ((["Type", "Quantité"], 1), (["Portable", "1"], repeat), (["Écran", "2"], 1)):
        line = TableRow(numberrowsrepeated=times) if times > 1 else TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            line.addElement(cell)
        sheet.addElement(line)
    document.spreadsheet.addElement(sheet)
    path = tmp_path / "repeat.ods"
    document.save(str(path))
    frame = normalise(path)
    assert frame["quantity"].tolist() == [1] * repeat + [2]
    assert frame["line"].tolist() == list(range(2, repeat + 3))


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04 not a zip",
        b"Type;Quantite\nPortable;2\n",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
    ],
    ids=["broken-zip", "a-csv", "an-old-xls"],
)
def test_a_file_named_ods_that_is_not_one_is_a_clear_error(tmp_path, run_cli, content):
    path = tmp_path / "inventaire.ods"
    path.write_bytes(content)
    code, out, err = run_cli("estimate", path, "--json")
    assert code == 2 and "Traceback" not in err
    if not content.startswith(b"\xd0"):  # as a CSV renamed .xlsx is (test_reading_reasons)
        assert "ce n'est pas un classeur OpenDocument (.ods), malgré son nom" in err


# --- a damaged byte-order mark ---------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix, note",
    [
        (b"\xef\xfa\xbf", "les 3 premiers octets du fichier (EF FA BF)"),
        (b"\xef\xbb", "les 2 premiers octets du fichier (EF BB)"),
        (b"\xef\xbb\xbe", "les 3 premiers octets du fichier (EF BB BE)"),
        (b"\xef\xbc\x82", None),  # a fullwidth quote, two bytes off a BOM: not taken for one
    ],
)
def test_a_damaged_bom_is_ignored_and_said_never_a_traceback(tmp_path, run_cli, prefix, note):
    glpi = (REAL / "glpi10_computers_fr.csv").read_bytes().removeprefix(b"\xef\xbb\xbf")
    path = tmp_path / "glpi.csv"
    path.write_bytes(prefix + glpi)
    code, out, err = run_cli("estimate", path, "--json")
    assert "Traceback" not in err and "ArrowKeyError" not in err
    if note is None:
        assert code == 0 and '＂"Nom"' in json.loads(out)["columns"]["used"]
        return
    assert code == 0
    result = json.loads(out)
    assert result["columns"]["used"]["Nom"] == "name"  # the first header read whole
    assert any(note in str(n) for n in result["columns"]["files"][0]["notes"])
    clean = estimate_files([REAL / "glpi10_computers_fr.csv"], year=2025).result()
    assert result["rows_in"] == clean["rows_in"]
