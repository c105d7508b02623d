"""Output files keep their promises: no formula reaches a spreadsheet, a failure is one clear
line (exit 2), special files and symlinks stay what they are, inputs are never overwritten.
"""

import csv
import os
import signal
import stat
import subprocess
import sys
import threading

import numpy as np
import openpyxl
import pandas as pd
import pytest

from conftest import ROOT, write
from greenit.cells import is_formula_like
from greenit.errors import GreenitError
from greenit.reporting.output import XLSX_MAX_ROWS, write_atomic, write_text, write_xlsx

PAYLOADS = [
    '=HYPERLINK("http://x.example","clic")',
    " =1+1",
    '"=1+1',
    "＝1+1",
    "\n=1+1",
    "+33 1 23",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
]
GREENIT = [sys.executable, "-m", "greenit"]


def hostile_inventory(tmp_path):
    """Every text column carries a payload; one cell holds a bare carriage return."""
    lines = ["Nom;Entité;Statut;Fabricant;Modèle;Type;Lieu"]
    for i, payload in enumerate(PAYLOADS):
        kind = "Portable" if i % 2 else payload  # an unknown type: its reason quotes the payload
        cells = (payload, payload, payload, payload, payload, kind, payload)
        lines.append(";".join('"' + v.replace('"', '""') + '"' for v in cells))
    lines.append('"a\rb";"Mairie";"En service";"Dell";"Latitude";"Portable";"RDC"')
    return write(tmp_path / "hostile.csv", "\n".join(lines) + "\n")


def assert_safe_text(value):
    if isinstance(value, str) and value:
        assert value.startswith("'") or not is_formula_like(value), repr(value)
        assert "\r" not in value and "\n" not in value, repr(value)


def test_no_text_cell_of_the_csv_or_xlsx_can_run_as_a_formula(tmp_path, run_cli):
    inventory = hostile_inventory(tmp_path)
    rows_out, xlsx_out = tmp_path / "lignes.csv", tmp_path / "resultats.xlsx"
    code, _, err = run_cli(
        "estimate", inventory, "--year", "2025", "--rows-out", rows_out, "--xlsx-out", xlsx_out
    )
    assert code == 0, err
    with rows_out.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    assert len(lines) == len(PAYLOADS) + 2  # header + every row: the bare CR split nothing
    for line in lines:
        for cell in line:
            assert_safe_text(cell)
    workbook = openpyxl.load_workbook(xlsx_out)
    formulas = [
        cell.coordinate
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
    cells = [cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    for value in cells:
        assert_safe_text(value)
    texts = [v for v in cells if isinstance(v, str)]
    assert '\'=HYPERLINK("http://x.example","clic")' in texts and "'＝1+1" in texts


def test_ai_rows_out_neutralises_the_accelerator_label(tmp_path, run_cli):
    log = write(
        tmp_path / "runs.csv",
        'run_id;project;duration;accelerator;pue\n"=1+1";"@p";1 h;"=HYPERLINK(""x"")";1,2\n',
    )
    code, _, err = run_cli("ai", "estimate", log, "--rows-out", tmp_path / "runs_out.csv")
    assert code == 2, err  # its one run is flagged: nothing estimated, yet every row is written
    with (tmp_path / "runs_out.csv").open(encoding="utf-8-sig", newline="") as handle:
        for line in csv.reader(handle, delimiter=";"):
            for cell in line:
                assert_safe_text(cell)


def test_control_characters_go_to_xlsx_without_a_traceback(tmp_path, run_cli):
    inventory = write(tmp_path / "inv.csv", "Nom;Type\nA\x01B\x1f;Portable\nC\x0b\x08;Écran\n")
    code, _, err = run_cli("estimate", inventory, "--year", "2025", "--xlsx-out", tmp_path / "r.xlsx")
    assert code == 0, err
    rows = pd.read_excel(tmp_path / "r.xlsx", sheet_name="Lignes")
    assert rows["Nom / n° d'inventaire"].iloc[0] == "A\ufffdB\ufffd"


def test_more_rows_than_a_sheet_holds_is_a_clear_error(tmp_path):
    frame = pd.DataFrame({"a": np.zeros(XLSX_MAX_ROWS + 1)})
    with pytest.raises(GreenitError) as error:
        write_xlsx(tmp_path / "big.xlsx", {"Lignes": frame})
    assert "1048576 lignes" in error.value.render("fr") or "1\u202f048\u202f576" in error.value.render("fr")
    assert "--rows-out" in error.value.render("fr")
    assert not (tmp_path / "big.xlsx").exists()


def test_a_dollar_in_names_is_not_mathtext(tmp_path, run_cli):
    inventory = write(
        tmp_path / "inv.csv",
        "Entité;Type\nBudget $ 2025;Portable\nService $x$ et $;Écran\n$\\frac{1}{0}$;Serveur\n",
    )
    log = write(tmp_path / "ai.csv", "run_id;project;duration;accelerator\nr;Projet $$ a$b;1 h;A100\n")
    code, _, err = run_cli("report", inventory, "--ai", log, "--year", "2025", "--out", tmp_path / "r")
    assert code == 0, err
    svg = (tmp_path / "r" / "empreinte_par_direction.svg").read_text(encoding="utf-8")
    assert "Budget $ 2025" in svg and "$\\frac{1}{0}$" in svg


def run_greenit(*args, **kwargs):
    return subprocess.run([*GREENIT, *map(str, args)], capture_output=True, text=True, cwd=ROOT, **kwargs)


def assert_clear_error(proc, *fragments):
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("greenit : erreur : ")
    assert len(proc.stderr.strip().splitlines()) <= 2
    for fragment in fragments:
        assert fragment in proc.stderr


def unwritable_folder(tmp_path):
    if os.geteuid() == 0:  # root writes anywhere but in /proc
        return "/proc/greenit-test/out"
    folder = tmp_path / "lecture_seule"
    folder.mkdir()
    folder.chmod(0o500)
    return folder / "out"


@pytest.mark.slow
def test_outputs_in_unwritable_or_wrong_places_are_one_clear_line(tmp_path, run_main):
    inventory = write(tmp_path / "inv.csv", "Type\nPortable\n")
    target = unwritable_folder(tmp_path)
    # the entry point itself, in a process of its own; the other places through the same main()
    assert_clear_error(run_greenit("estimate", inventory, "--rows-out", f"{target}/l.csv"), "impossible")
    assert_clear_error(run_main("report", inventory, "--out", target), "impossible de créer le dossier")
    a_file = write(tmp_path / "a_file.txt", "x")
    assert_clear_error(run_main("report", inventory, "--out", a_file), "n'est pas un dossier")
    assert_clear_error(
        run_main("estimate", inventory, "--xlsx-out", f"{a_file}/r.xlsx"), "n'est pas un dossier"
    )
    assert_clear_error(run_main("estimate", inventory, "--rows-out", tmp_path), "est un dossier")
    assert_clear_error(run_main("estimate", inventory, "--rows-out", "/dev/full"), "impossible d'écrire")
    missing = tmp_path / "nouveau" / "dossier" / "lignes.csv"
    assert run_main("estimate", inventory, "--rows-out", missing).returncode == 0
    assert missing.exists()


def test_rows_out_never_overwrites_an_input(tmp_path, run_cli):
    inventory = write(tmp_path / "inv.csv", "Type\nPortable\n")
    link = tmp_path / "lien.csv"
    link.symlink_to(inventory)
    for target in (inventory, link):
        code, _, err = run_cli("estimate", inventory, "--rows-out", target)
        assert code == 2 and "c'est un des fichiers d'entrée" in err
    assert inventory.read_text() == "Type\nPortable\n"


def test_special_files_are_written_into_not_replaced(tmp_path):
    write_text("/dev/null", "rien")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    write_text(fifo, "par le tube")
    reader.join(timeout=10)
    assert received == ["par le tube"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_symlinks_and_permissions_are_kept(tmp_path):
    target = write(tmp_path / "vrai.csv", "ancien")
    target.chmod(0o640)
    link = tmp_path / "lien.csv"
    link.symlink_to(target)
    write_text(link, "nouveau")
    assert link.is_symlink() and target.read_text() == "nouveau"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_run_killed_while_writing_leaves_no_visible_file_and_the_next_run_cleans_up(tmp_path):
    target = tmp_path / "lignes.csv"
    script = (
        "import time, sys\n"
        "from greenit.reporting.output import write_atomic\n"
        "def slow(path):\n"
        "    path.write_text('moitié')\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(60)\n"
        f"write_atomic({str(target)!r}, slow)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    left = [p.name for p in tmp_path.iterdir()]
    assert left and all(name.startswith(".lignes.csv.greenit-") for name in left)  # hidden, never the target
    write_atomic(target, lambda path: path.write_text("complet"))
    assert [p.name for p in tmp_path.iterdir()] == ["lignes.csv"]
    assert target.read_text() == "complet"


def test_a_failed_write_keeps_the_previous_file(tmp_path):
    target = write(tmp_path / "r.csv", "ancien")

    def broken(path):
        path.write_text("moitié")
        raise OSError(28, "No space left on device")

    with pytest.raises(GreenitError):
        write_atomic(target, broken)
    assert target.read_text() == "ancien" and [p.name for p in tmp_path.iterdir()] == ["r.csv"]


def test_the_vectorised_candidate_check_finds_every_cell_the_exact_check_would_change():
    from greenit.cells import neutralise_text
    from greenit.reporting.output import neutralise_strings

    cells = [
        "ok",
        "=1",
        " =2",
        "＝3",
        "x\ny",
        "-3",
        "+33 1",
        "@a",
        "\t=1",
        '"=1',
        "'=1",
        "\u00a0=1",
        "\u200b=1",
        "\ufeff=1",
        "﹦1",
        "Écran",
        "école",
        "12",
        "a\u2028b",
        "é\x01",
        "%1",
        "|1",
        "",
    ]
    series = pd.Series(cells, dtype="str")
    assert neutralise_strings(series).tolist() == [neutralise_text(c) for c in cells]


def test_each_reason_has_its_stable_code_beside_its_text_in_json_and_rows_out(tmp_path, run_cli):
    """reason_code: the catalogue key of each reason, the same in French and English (issue 18)."""
    import csv
    import json

    from conftest import write

    path = write(tmp_path / "inv.csv", "Type;Quantité\nPortable;1\nCafetière;1\nÉcran;abc\n")
    codes = {}
    for lang in ("fr", "en"):
        rows = tmp_path / f"rows_{lang}.csv"
        code, out, err = run_cli(
            "estimate", path, "--year", "2025", "--json", "--rows-out", rows, "--lang", lang
        )
        flagged = json.loads(out)["flagged"]
        codes[lang] = [(f["row"], f["reason_code"]) for f in flagged]
        with rows.open(encoding="utf-8-sig") as handle:
            lines = list(csv.DictReader(handle, delimiter=";"))
        assert [line["reason_code"] for line in lines] == [
            "",
            "inventory.category.unknown",
            codes[lang][1][1],
        ]
    assert codes["fr"] == codes["en"]
    assert codes["fr"][0] == (2, "inventory.category.unknown")
    assert codes["fr"][1][1].startswith("parsing.")  # « abc » is not a number: a reading reason


def test_ai_flagged_runs_and_rows_out_carry_the_reason_code(tmp_path, run_cli):
    import csv
    import json

    from conftest import write

    log = write(
        tmp_path / "ai.csv", "run_id;duration;accelerator;location\nok;1 h;L4;FRA\nbad;1 h;L4;Atlantide\n"
    )
    rows = tmp_path / "runs.csv"
    code, out, err = run_cli("ai", "estimate", log, "--json", "--rows-out", rows)
    assert code == 0, err
    assert [f["reason_code"] for f in json.loads(out)["flagged"]] == ["ai.flag.unknown_location"]
    with rows.open(encoding="utf-8-sig") as handle:
        assert [line["reason_code"] for line in csv.DictReader(handle, delimiter=";")] == [
            "",
            "ai.flag.unknown_location",
        ]
