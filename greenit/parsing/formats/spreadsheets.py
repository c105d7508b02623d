"""Spreadsheet files (XLSX, LibreOffice's ODS, SYLK): containers of any table greenit reads by its headers.

A workbook may hold an inventory, a run log or a usage log; what it holds is told by its
headers, as for CSV. How a workbook is read — the visible sheet (a hidden one only with
``--sheet``), the header below title lines, empty lines skipped, merged cells filled, cells cut
to 32,767 characters, a password said — is :mod:`greenit.parsing.sheets`' (with
:mod:`greenit.parsing.workbooks` for XLSX, :mod:`greenit.parsing.opendocument` for ODS).
"""

from __future__ import annotations

from greenit.parsing.formats import Format

FORMATS = (
    Format(
        key="xlsx",
        name="Excel workbooks",
        kind="tables",
        files="XLSX, XLSM (a password-protected one is said so)",
        recognised_by="its content (a zip with `xl/workbook.xml`), whatever its name",
        fixtures=(
            "inventaire_tableur_mairie.xlsx",
            "inventaire_feuille_masquee.xlsx",
            "inventaire_service_fusionne.xlsx",
            "inventaire_protege.xlsx",
        ),
    ),
    Format(
        key="ods",
        name="LibreOffice Calc / OpenDocument spreadsheets",
        kind="tables",
        files="ODS (odfpy)",
        recognised_by="its content (a zip whose `mimetype` is "
        "`application/vnd.oasis.opendocument.spreadsheet`)",
        fixtures=("inventaire_mairie.ods",),
    ),
    Format(
        key="sylk",
        name="SYLK (GLPI 9's default export)",
        kind="tables",
        files="SLK text (UTF-8 as GLPI writes it, or cp1252)",
        recognised_by="its `.slk` name or its first record `ID;P…`; a value's `;` read whole",
        fixtures=("glpi95_computers_fr.slk",),
    ),
)
