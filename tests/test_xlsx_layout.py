"""The --xlsx-out workbook as a user opens it: header in view, filters, widths, number formats,
and the coverage warning beside the total (read back with openpyxl).
"""

import openpyxl
import pytest

from conftest import SAMPLE_INVENTORY, write


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    from typer.testing import CliRunner

    from greenit.cli import app

    path = tmp_path_factory.mktemp("x") / "parc.xlsx"
    result = CliRunner().invoke(app, ["estimate", str(SAMPLE_INVENTORY), "--xlsx-out", str(path)])
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(path)


def test_every_sheet_keeps_its_header_in_view_and_filters_every_column(workbook):
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        total = sheet.cell(sheet.max_row, 1).value == "Total"  # a total row stays out of the filter
        last = sheet.max_row - 1 if total else sheet.max_row
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{last}"


def test_columns_are_as_wide_as_their_text_within_bounds(workbook):
    rows = workbook.worksheets[-1]
    widths = [rows.column_dimensions[c.column_letter].width for c in rows[1]]
    assert all(8 <= w <= 60 for w in widths)
    entities = workbook.worksheets[2]
    longest = max(len(str(c.value)) for (c,) in entities.iter_rows(min_col=1, max_col=1))
    assert entities.column_dimensions["A"].width == min(longest + 2, 60)


def test_numbers_keep_full_precision_and_are_shown_with_separators(workbook):
    summary, categories = workbook.worksheets[0], workbook.worksheets[1]
    shares = [row for row in summary.iter_rows(min_row=2) if row[2].value == "en %"]
    assert len(shares) == 2
    assert all(row[1].number_format == "0.0%" and 0 < row[1].value <= 1 for row in shares)
    year = next(row for row in summary.iter_rows(min_row=2) if row[0].value == "Année de référence")
    assert year[1].number_format == "General"  # a year is never shown "2,025"
    quantity, total = categories.cell(2, 2), categories.cell(2, 7)
    assert quantity.number_format == "#,##0" and float(quantity.value).is_integer()
    assert total.number_format == "#,##0.0" and total.value != round(total.value, 1)  # stored unrounded


def test_the_coverage_warning_is_the_first_key_figure(tmp_path, run_cli):
    inventory = write(tmp_path / "parc.csv", "Type;Quantité\nportable;1\ncafetière;5\nbidule;3\n")
    out = tmp_path / "parc.xlsx"
    code, _, err = run_cli("estimate", inventory, "--xlsx-out", out)
    assert code == 0, err
    first = openpyxl.load_workbook(out).worksheets[0][2]
    assert first[0].value == "Attention" and "le total est sous-estimé" in first[1].value


def test_group_sheets_end_with_a_bold_total_kept_out_of_the_filter(workbook, estimate_json):
    result = estimate_json(SAMPLE_INVENTORY)  # greenit estimate --json, through the CLI in this process
    for sheet in workbook.worksheets[1:3]:
        last = sheet[sheet.max_row]
        assert last[0].value == "Total" and last[0].font.bold
        assert last[6].value == pytest.approx(result["totals"]["total_kgco2e"], rel=1e-6)
        assert sheet.auto_filter.ref.endswith(str(sheet.max_row - 1))
    router = next(row for row in workbook.worksheets[1].iter_rows() if row[0].value == "Routeur")
    # every device row has an end of life since factors 2027.01 (an empty cell for a user's table
    # without one: tests/test_report_tables.py); the sample town's routers are fully amortised
    assert router[5].value == 0
