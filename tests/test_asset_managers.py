"""Asset managers other than GLPI (Snipe-IT, OCS Inventory NG, Microsoft Intune) and GLPI's SYLK.

Each fixture is described in ``tests/fixtures/real/README.md`` (written by the scripts of
``tests/fixtures/real/make`` from the projects' own code); the values expected here are read off
the fixture by hand, row by row. Table-driven tests add spellings the fixtures do not hold.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import ROOT
from greenit.api import estimate_files
from greenit.flags import code_of
from greenit.parsing.formats.intune import kind_from
from greenit.parsing.formats.snipeit import status_of
from greenit.parsing.sylk import cells

REAL = ROOT / "tests" / "fixtures" / "real"
YEAR = 2025
SNIPEIT = [
    "snipeit_custom_report_en.csv",
    "snipeit_custom_report_fr.csv",
    "snipeit_assets_list_export_fr.csv",
]


def estimate(*paths, **options):
    return estimate_files([REAL / p if isinstance(p, str) else p for p in paths], year=YEAR, **options)


def texts(values) -> list[str | None]:
    return [None if pd.isna(v) else str(v) for v in values]


def reasons(rows: pd.DataFrame) -> list[str]:
    return ["" if pd.isna(v) else str(v) for v in rows["reason"]]


# --- Snipe-IT ------------------------------------------------------------------------------

#: status cell → what it means; the meta in parentheses decides, whatever the admin's label.
SNIPEIT_STATUSES = [
    ("Ready to Deploy (deployed)", "in_service"),  # checked out: in service, not stock
    ("ready to deploy (DEPLOYED)", "in_service"),
    ("Prêt à déployer (deployed)", "in_service"),
    ("En service (deployed)", "in_service"),
    ("Archived (deployed)", "in_service"),  # an admin's label, the meta says checked out
    ("Ready to Deploy (deployable)", "stock"),
    ("Disponible (deployable)", "stock"),
    ("Pending (pending)", "stock"),
    ("En commande (pending)", "stock"),
    ("Archived (archived)", "retired"),
    ("Réformé (archived)", "retired"),
    ("Ready to Deploy (archived)", "retired"),  # the meta, not the label
    ("Lost/Stolen (undeployable)", "retired"),
    ("Perdu (undeployable)", "retired"),
    ("Volé (undeployable)", "retired"),
    ("Out for Repair (undeployable)", "stock"),
    ("Broken - Not Fixable (undeployable)", "stock"),
    ("En réparation (undeployable)", "stock"),
    # the assets list's export: the label, then « Déployé » / « Deployed » when checked out
    ("Ready to Deploy Déployé", "in_service"),
    ("Ready to Deploy Deployed", "in_service"),
    ("Ready to Deploy", "stock"),
    ("Pending", "stock"),
    ("Archived", "retired"),
    ("ARCHIVED", "retired"),
    ("Out for Repair", "stock"),
    ("Broken - Not Fixable", "stock"),
    ("Lost/Stolen", "retired"),
    # nothing Snipe-IT's own: left to greenit's status words
    ("En production", None),
    ("", None),
    ("   ", None),
    (None, None),
]


@pytest.mark.parametrize(("cell", "kind"), SNIPEIT_STATUSES)
def test_snipeit_status_is_read_by_its_meta(cell, kind):
    assert status_of(cell) == kind


#: The fixtures' 12 assets (ids 101–112), read by hand off the files.
SNIPEIT_ROWS = {
    "category": [
        "laptop", "desktop", "monitor", "projector", "desktop", "laptop",
        "laptop", "smartphone", "printer", "desktop", "server", "desktop",
    ],
    "status_kind": [
        "in_service", "in_service", "in_service", "in_service", "stock", "retired",
        "stock", "stock", "stock", "in_service", "in_service", "retired",
    ],
    "purchase_date": [
        "2021-04-08", "2019-03-12", "2019-03-12", "2022-09-05", "2023-11-20", "2014-06-07",
        "2025-02-17", "2022-06-14", "2012-04-27", None, "2020-12-17", "2012-08-22",
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", SNIPEIT)
def test_snipeit_exports_statuses_categories_and_purchase_dates(name):
    rows = estimate(name).rows
    # the list export's footer of sums is no device: a totals row (its « Prix d'achat » is read)
    footer = [code_of(reason) == "inventory.totals_row" for reason in rows["reason"]]
    assert footer == [False] * 12 + [True] * (len(rows) - 12) and len(rows) <= 13
    rows = rows[[not f for f in footer]].reset_index(drop=True)
    assert len(rows) == 12
    assert rows["category"].tolist() == SNIPEIT_ROWS["category"]
    assert rows["status_kind"].tolist() == SNIPEIT_ROWS["status_kind"]
    purchased = [None if pd.isna(d) else d.strftime("%Y-%m-%d") for d in rows["purchase_date"]]
    assert purchased == SNIPEIT_ROWS["purchase_date"]
    # an archived asset is counted at zero: 106 (Archived) and 112 (Réformé)
    assert rows["total_kgco2e"].iloc[[5, 11]].tolist() == [0.0, 0.0]


def test_snipeit_exports_of_one_park_give_one_total():
    totals = [float(estimate(name).rows["total_kgco2e"].sum()) for name in SNIPEIT]
    assert totals[1] == pytest.approx(totals[0], rel=1e-12)
    assert totals[2] == pytest.approx(totals[0], rel=1e-12)


def test_snipeit_type_and_checked_out_are_never_a_device_type_nor_a_name(tmp_path):
    # « Type » is the kind of holder (user, location, asset); without a Category the row is
    # flagged, never a « user » category; « Checked Out » is the holder, not the asset's name
    path = tmp_path / "snipe.csv"
    path.write_text(
        "Asset Tag,Asset Name,Category,Model,Checked Out,Type,Status\n"
        "T-1,PC-1,,,Marie Dupont,user,Ready to Deploy (deployed)\n"
        "T-2,PC-2,Ordinateurs portables,,Salle du conseil,location,Ready to Deploy (deployed)\n",
        encoding="utf-8",
    )
    rows = estimate(path).rows
    assert texts(rows["name"]) == ["PC-1", "PC-2"]
    assert texts(rows["category"]) == [None, "laptop"]
    assert reasons(rows)[0] and not reasons(rows)[1]


# --- OCS Inventory NG ----------------------------------------------------------------------


def test_ocs_computers_export():
    rows = estimate("ocs_computers_export_fr.csv").rows
    assert texts(rows["name"]) == [
        "PORT-DRH-001", "PC-ST-004", "PORT-DG-003", "PC-ECOLE-005", "SRV-HDV-01",
        "SRV-GED", "BORNE-MEDIA-008", "PORT-ST-006", "PC-ACCUEIL; RDC",
    ]  # fmt: skip
    assert texts(rows["category"]) == [
        None, "desktop", "laptop", None, "server", None, None, "laptop", "desktop",
    ]  # fmt: skip
    said = reasons(rows)
    assert "machine virtuelle" in said[5]  # SRV-GED: a VMware virtual machine
    assert [bool(r) for r in said] == [True, False, False, True, False, True, True, False, False]
    assert "serveur d'après son système" in str(rows["notes"].iloc[4])
    assert "2024-06-27" in str(rows["notes"].iloc[7])  # PORT-ST-006 unseen for 8 months
    # « To Be Filled By O.E.M. » is no maker nor model
    assert texts(rows[["manufacturer", "model"]].iloc[6]) == [None, None]
    assert texts(rows["entity"])[:2] == ["MAIRIE", "MAIRIE"]
    # Lenovo's machine-type codes say no kind of device: noted, left to --default-category
    assert "« 20W0CTO1WW » est un code machine Lenovo" in str(rows["notes"].iloc[0])
    assert "« 10M8S0E600 » est un code machine Lenovo" in str(rows["notes"].iloc[3])


@pytest.mark.parametrize(
    ("maker", "model", "virtual"),
    [
        ("VMware, Inc.", "VMware Virtual Platform", True),
        ("VMware, Inc.", "VMware7,1", True),
        ("innotek GmbH", "VirtualBox", True),
        ("Microsoft Corporation", "Virtual Machine", True),
        ("QEMU", "Standard PC (Q35 + ICH9, 2009)", True),
        ("Xen", "HVM domU", True),
        ("Red Hat", "KVM", True),
        ("Dell Inc.", "OptiPlex 7090", False),
        ("Microsoft Corporation", "Surface Laptop 4", False),  # Microsoft's hardware is hardware
        ("HP", "ProLiant DL360 Gen10", False),
    ],
)
def test_ocs_virtual_machines_are_flagged_by_maker_or_model(tmp_path, maker, model, virtual):
    path = tmp_path / "ocs.csv"
    path.write_text(
        "TAG;Dernier inventaire;Machine;Systeme;Fabricant;Modèle;\r\n"
        f'"MAIRIE";"2025-03-14 09:12:44";"M-1";"Debian GNU/Linux 12";"{maker}";"{model}";',
        encoding="utf-8",
    )
    said = reasons(estimate(path, default_category="desktop").rows)[0]
    assert ("machine virtuelle" in said) is virtual


@pytest.mark.parametrize(
    ("system", "server"),
    [
        ("Microsoft Windows Server 2019 Standard", True),
        ("Microsoft Windows Server 2022 Datacenter", True),
        ("Microsoft Windows Small Business Server 2011", True),
        ("Microsoft Windows 11 Professionnel", False),
        ("Debian GNU/Linux 12 (bookworm)", False),  # a Linux may be a desktop: not decided
        ("Red Hat Enterprise Linux Server 7.9", True),
    ],
)
def test_ocs_servers_are_read_from_their_system(tmp_path, system, server):
    path = tmp_path / "ocs.csv"
    path.write_text(
        "TAG;Dernier inventaire;Machine;Systeme;Fabricant;Modèle;\r\n"
        f'"MAIRIE";"2025-03-14 09:12:44";"M-1";"{system}";"Fujitsu";"ESPRIMO X";',
        encoding="utf-8",
    )
    rows = estimate(path).rows
    assert (rows["category"].iloc[0] == "server") is server


# --- Microsoft Intune ----------------------------------------------------------------------

#: (OS, Manufacturer, Model) → (category, why), as the Intune export writes them.
INTUNE_KINDS = [
    (("iOS/iPadOS", "Apple", "iPhone 12"), ("smartphone", "os")),
    (("iOS/iPadOS", "Apple", "iPhone SE (3rd generation)"), ("smartphone", "os")),
    (("iOS/iPadOS", "Apple", "iPad (9th generation)"), ("tablet", "os")),
    (("iOS/iPadOS", "Apple", "iPad Pro (11-inch) (4th generation)"), ("tablet", "os")),
    (("iOS", "Apple", "iPhone 8"), ("smartphone", "os")),
    (("iOS/iPadOS", "Apple", "iPod touch"), (None, "os")),  # neither: not guessed
    (("Android (Fully Managed)", "samsung", "SM-A536B"), ("smartphone", "os")),
    (("Android (personally-owned work profile)", "samsung", "SM-G991B"), ("smartphone", "os")),
    (("Android (Dedicated)", "samsung", "SM-G525F"), ("smartphone", "os")),
    (("Android Enterprise", "samsung", "SM-T505"), ("tablet", "os")),  # Galaxy Tab A7
    (("Android (Dedicated)", "samsung", "SM-X200"), ("tablet", "os")),  # Galaxy Tab A8
    (("Android (Fully Managed)", "samsung", "SM-P610"), ("tablet", "os")),  # Tab S6 Lite
    (("AOSP", "Zebra", "TC52"), ("smartphone", "os")),
    (("macOS", "Apple", "MacBook Air"), ("laptop", "os")),
    (("macOS", "Apple", "MacBook Pro (14-inch, 2023)"), ("laptop", "os")),
    (("macOS", "Apple", "iMac (24-inch, M1, 2021)"), ("all_in_one", "os")),
    (("macOS", "Apple", "Mac mini (M2, 2023)"), ("desktop", "os")),
    (("macOS", "Apple", "Mac Studio"), ("desktop", "os")),
    (("Windows", "LENOVO", "20W0CTO1WW"), (None, "lenovo_mtm")),
    (("Windows", "LENOVO", "10M8S0E600"), (None, "lenovo_mtm")),
    (("Windows", "lenovo", "21jkcto1ww"), (None, "lenovo_mtm")),
    (("Windows", "LENOVO", "ThinkPad T14 Gen 2"), (None, "")),  # a name: left to the model
    (("Windows", "Microsoft Corporation", "Cloud PC Enterprise 2vCPU/8GB/128GB"), (None, "cloud_pc")),
    (("Windows", "HP", "HP EliteBook 840 G8 Notebook PC"), (None, "")),  # greenit reads the name
    (("Windows", "Dell Inc.", "OptiPlex 7090"), (None, "")),
    ((None, None, None), (None, "")),
]


@pytest.mark.parametrize(("cells_", "expected"), INTUNE_KINDS)
def test_intune_kind_from_os_and_model(cells_, expected):
    assert kind_from(*cells_) == expected


def test_intune_devices_export():
    rows = estimate("intune_devices_with_inventory.csv").rows
    assert len(rows) == 12
    assert texts(rows["category"]) == [
        None, None, "laptop", None, "smartphone", "smartphone",
        "smartphone", "smartphone", "tablet", "laptop", None, None,
    ]  # fmt: skip
    # « Category » is the admin's label: the entity, never the device type
    assert texts(rows["entity"])[:3] == ["Administration", "Élus", "Services techniques"]
    said = reasons(rows)
    assert "inscrit de nouveau" in said[0]  # PF2KQ7A1's first enrolment (2023), re-enrolled 2025
    assert "PC cloud Windows 365" in said[3]
    assert "appareil personnel" in said[5]
    estimated = rows["total_kgco2e"].notna().tolist()
    # 3 company smartphones, 1 tablet, 2 laptops (the MacBook and the HP by its name)
    assert estimated == [False, False, True, False, True, False, True, True, True, True, False, False]
    assert "code machine Lenovo" in str(rows["notes"].iloc[1])


def test_intune_lenovo_codes_take_the_default_category_but_not_the_cloud_pc():
    rows = estimate("intune_devices_with_inventory.csv", default_category="laptop").rows
    assert texts(rows["category"])[:2] == ["laptop", "laptop"]
    assert rows["total_kgco2e"].notna().tolist()[:4] == [False, True, True, False]


# --- GLPI 9's SYLK export ------------------------------------------------------------------

#: SYLK texts as GLPI writes them (9.x/10: `;` as is; 0.8x: `;;`; a quote as two apostrophes).
SYLK_CELLS = [
    ('ID;PGLPI\nF;P3;FG0L;Y2;X1\nC;N;K"PC; RDC"\nE', {(2, 1): "PC; RDC"}),
    ('ID;PGLPI\nF;P3;FG0L;Y2;X1\nC;N;K"PC;; RDC"\nE', {(2, 1): "PC; RDC"}),
    ("ID;PGLPI\nF;Y2;X1\nC;N;K\"Poste ''guichet''\"\nE", {(2, 1): "Poste ''guichet''"}),
    (
        'ID;PGLPI\nF;Y3;X1\nC;N;K"a"\nF;X2\nC;N;K"b"\nF;X3\nC;N;K"c"\nE',
        {(3, 1): "a", (3, 2): "b", (3, 3): "c"},
    ),
    ('ID;P\nC;Y1;X1;K"Nom"\nC;X2;K12.5\nC;X3;K7\nE', {(1, 1): "Nom", (1, 2): 12.5, (1, 3): 7}),
    ('ID;P\r\nC;Y1;X1;K"x"\r\nE\r\n', {(1, 1): "x"}),
    ('ID;P\nC;Y1;X1;K""\nE', {(1, 1): ""}),
    ('ID;P\nC;Y1;X1;K"a ""b"" c"\nE', {(1, 1): 'a "b" c'}),
    ('ID;P\nF;W1 1 24\nB;Y9;X13\nC;Y1;X2;K"v"\nE', {(1, 2): "v"}),
]


@pytest.mark.parametrize(("text", "expected"), SYLK_CELLS)
def test_sylk_cells(text, expected):
    assert cells(text) == expected


def test_glpi95_sylk_export_reads_as_the_csv_would():
    rows = estimate("glpi95_computers_fr.slk").rows
    assert texts(rows["name"]) == [
        "PC-DRH-001", "PORT-DG-003", "PC-ECOLE-005", "PORT-ST-006", "SRV-HDV-01",
        "BORNE-MEDIA-008", "PC-ACCUEIL; RDC", "Poste ''guichet unique''",
    ]  # fmt: skip
    assert texts(rows["category"]) == [
        "desktop", "laptop", "desktop", "laptop", "rack_server", "kiosk", "desktop", "laptop",
    ]  # fmt: skip
    assert rows["status_kind"].tolist() == [
        "in_service", "retired", "in_service", "in_service",
        "in_service", "in_service", "stock", "in_service",
    ]  # fmt: skip
    purchased = [None if pd.isna(d) else d.strftime("%Y-%m-%d") for d in rows["purchase_date"]]
    assert purchased == [
        "2019-03-12", "2016-06-07", "2012-08-22", "2021-04-08",
        "2020-12-17", None, "2022-05-18", "2021-04-08",
    ]  # fmt: skip


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("suffix", [".slk", ".sylk", ".txt"])
def test_sylk_is_recognised_by_its_name_or_its_first_record(tmp_path, encoding, suffix):
    text = (
        'ID;PGLPI_EXPORT\nB;Y3;X2\nF;SDM4;FG0C;Y1;X1\nC;N;K"Nom"\nF;SDM4;FG0C;X2\nC;N;K"Type"\n'
        'F;P3;FG0L;Y2;X1\nC;N;K"PC-Mairie; accueil"\nF;P3;FG0L;X2\nC;N;K"Portable"\n'
        'F;P3;FG0L;Y3;X1\nC;N;K"ÉCRAN-1"\nF;P3;FG0L;X2\nC;N;K"Moniteur"\nE\n'
    )
    path = tmp_path / f"export{suffix}"
    path.write_bytes(text.encode(encoding))
    rows = estimate(path).rows
    assert texts(rows["name"]) == ["PC-Mairie; accueil", "ÉCRAN-1"]
    assert texts(rows["category"]) == ["laptop", "monitor"]


# --- A Type the file gives is never replaced by a guess from the model -----------------------


@pytest.mark.parametrize(
    ("type_", "model", "category", "flagged"),
    [
        ("Badgeuse", "Kelio Visio", None, True),  # a time clock, not a videoconference system
        ("Pointeuse", "Kelio Visio X7", None, True),
        ("Horodateur", "Latitude 5420", None, True),
        ("Distributeur de tickets", "OptiPlex 7090", None, True),
        ("Visioconférence", "Studio X30", "videoconference_system", False),
        ("", "Latitude 5420", "laptop", False),  # no Type: the model decides
        ("Matériel", "Latitude 5420", "laptop", False),  # a generic Type: the model decides
        ("Ordinateur", "Latitude 5420", "laptop", False),  # a family: the model says which
        ("Portable", "Latitude 5420", "laptop", False),
    ],
)
def test_a_type_greenit_does_not_know_is_flagged_not_guessed_from_the_model(
    tmp_path, type_, model, category, flagged
):
    path = tmp_path / "inventaire.csv"
    path.write_text(f"Nom;Type;Modèle;Statut\nX-1;{type_};{model};En service\n", encoding="utf-8")
    rows = estimate(path).rows
    assert texts(rows["category"]) == [category]
    assert bool(reasons(rows)[0]) is flagged
    if flagged:
        assert f"« {type_} »" in reasons(rows)[0]
