"""Pathological input files: sizes, encodings, line ends, quotes, headers, special files, and
hostile cell values in inventories, AI run logs, CodeCarbon files, Slurm exports and usage logs.

Each case expects a strict, accounted JSON result (exit 0) or a clean user error (exit 2), in
bounded time and memory; some also expect a given number of rows read (none dropped).
"""

from __future__ import annotations

import gzip
import io
import os
import threading
import time
import zipfile
from pathlib import Path

from redteam_kit import (
    REAL,
    bounded,
    case,
    greenit,
    json_result,
    ok_or_user_error,
    user_error,
    verdict,
    write,
)

HEADER = "Type;Quantité;Entité\n"
ROWS = "portable;3;DRH\nécran;2;DSI\nserveur;1;DSI\n"


def _inventory_case(
    name: str,
    content: bytes | str | None,
    *,
    rows: int | None = None,
    suffix: str = ".csv",
    setup=None,
    timeout: float = 60,
    encoding: str = "utf-8",
    error: bool = False,
) -> None:
    """``estimate FILE --json``: exit 0 with ``rows`` rows read (when given), or a clean exit 2."""
    expected = (
        "exit 2" if error else ("exit 0 or 2" + (f", {rows} rows read if 0" if rows is not None else ""))
    )

    @case("input", name, expected + ", bounded")
    def check(tmp: Path) -> tuple[bool, str]:
        path = tmp / f"parc{suffix}"
        if setup is not None:
            path = setup(tmp, path)
        else:
            write(path, content, encoding)
        r = greenit("estimate", path, "--json", timeout=timeout)
        problem = bounded(r)
        if problem is None and error:
            problem = user_error(r)
        elif problem is None and r.code == 0:
            data, problem = json_result(r)
            if problem is None and rows is not None and data["rows_in"] != rows:
                problem = f"rows_in {data['rows_in']}, {rows} rows in the file"
        elif problem is None:
            problem = user_error(r)
        return verdict(problem, r.brief())


_inventory_case("0-byte file", b"", error=True)
_inventory_case("only a UTF-8 BOM", b"\xef\xbb\xbf", error=True)
_inventory_case("header only", HEADER, error=True)
_inventory_case("header only, no newline", HEADER.strip(), error=True)
_inventory_case("one column, one row", "Type\nportable\n", rows=1)
_inventory_case("one column, no known header", "Truc\nportable\n", error=True)
_inventory_case("blank lines only", "\n" * 1000, error=True)
_inventory_case("1,000,000 empty lines after the table", HEADER + ROWS + "\n" * 1_000_000, rows=3)
_inventory_case("only delimiters", ";;;;\n;;;;\n;;;;\n", error=True)
_inventory_case("UTF-16 LE with BOM", (HEADER + ROWS).encode("utf-16"), rows=3)
_inventory_case("UTF-16 BE with BOM", b"\xfe\xff" + (HEADER + ROWS).encode("utf-16-be"), rows=3)
_inventory_case("UTF-16 LE without BOM", (HEADER + ROWS).encode("utf-16-le"), rows=3)
_inventory_case("UTF-32 with BOM", (HEADER + ROWS).encode("utf-32"), rows=3)
_inventory_case(
    "UTF-8 BOM in the middle (two exports glued)",
    "\ufeff" + HEADER + ROWS + "\ufeff" + "portable;1;DRH\n",
    rows=4,
)
_inventory_case("a second header in the middle (two exports glued)", HEADER + ROWS + HEADER + ROWS, rows=7)
_inventory_case("CRLF line ends", (HEADER + ROWS).replace("\n", "\r\n"), rows=3)
_inventory_case("CR-only line ends (old Mac)", (HEADER + ROWS).replace("\n", "\r"), rows=3)
_inventory_case("mixed LF / CRLF / CR", HEADER + "portable;3;DRH\r\nécran;2;DSI\rserveur;1;DSI\n", rows=3)
_inventory_case("quotes inside cells", HEADER + '"Portable ""pro""";3;DRH\n"écran; 24""";2;"D;SI"\n', rows=2)
_inventory_case(
    "a quote never closed swallows the file", HEADER + '"portable;3;DRH\nécran;2;DSI\nserveur;1;DSI\n', rows=3
)
_inventory_case("a quote in the middle of a cell", HEADER + 'port"able;3;DRH\nécran;2;DSI\n', rows=2)
_inventory_case("duplicate headers Type;Type", "Type;Type;Quantité\nportable;écran;3\n", rows=1)
_inventory_case("headers that are numbers", "1;2;3\nportable;3;DRH\n", error=True)
_inventory_case("empty header cells", ";Type;;Quantité;\nx;portable;y;3;z\n", rows=1)
_inventory_case("header cells of spaces and NBSP", " ;Type;\u00a0;Quantité\nx;portable;y;3\n", rows=1)
_inventory_case("more cells than headers", HEADER + "portable;3;DRH;extra;extra2\nécran;2;DSI\n", rows=2)
_inventory_case("fewer cells than headers", HEADER + "portable\nécran;2\n", rows=2)
_inventory_case("NUL bytes in cells", HEADER.encode() + b"port\x00able;3;DRH\n\x00;2;DSI\n", rows=2)
_inventory_case("sep=; first line (Excel hint)", "sep=;\n" + HEADER + ROWS, rows=3)
_inventory_case("tab-separated, decimal commas", "Type\tQuantité\tPuissance (W)\nportable\t3\t65,5\n", rows=1)
_inventory_case("pipe-separated", "Type|Quantité\nportable|3\nécran|2\n", rows=2)
_inventory_case("Latin-1 (ISO-8859-1)", (HEADER + ROWS).encode("latin-1"), rows=3)
_inventory_case("Mac Roman", (HEADER + ROWS).encode("mac_roman"), rows=3)
_inventory_case("cp850 (DOS)", (HEADER + ROWS).encode("cp850"), rows=3)
_inventory_case("a totals row at the end", HEADER + ROWS + "Total;6;\n", rows=4)
_inventory_case("a 10 MB cell", HEADER + "portable;3;" + "D" * 10_000_000 + "\n", rows=1)
_inventory_case("a 10 MB category", HEADER + "p" * 10_000_000 + ";3;DRH\n", rows=1)
_inventory_case(
    "50,000 columns",
    ";".join(["Type", "Quantité"] + [f"c{i}" for i in range(50_000)])
    + "\n"
    + ";".join(["portable", "3"] + ["x"] * 50_000)
    + "\n",
    rows=1,
)
_inventory_case("1,000,000 delimiters on one line", HEADER + "portable;3;" + ";" * 1_000_000 + "\n", rows=1)
_inventory_case(
    "200,000 distinct unknown types",
    HEADER + "".join(f"machin-{i};1;DRH\n" for i in range(200_000)),
    rows=200_000,
    timeout=90,
)
_inventory_case(
    "200,000 distinct entities",
    HEADER + "".join(f"portable;1;Service {i}\n" for i in range(200_000)),
    rows=200_000,
    timeout=90,
)
_inventory_case("quantity of 400 nines", HEADER + "portable;" + "9" * 400 + ";DRH\nécran;2;DSI\n", rows=2)
_inventory_case("quantity 1e308", HEADER + "portable;1e308;DRH\nécran;2;DSI\n", rows=2)
_inventory_case("quantity 1e15", HEADER + "portable;1e15;DRH\nécran;2;DSI\n", rows=2)
_inventory_case(
    "quantity -3, 0, 0.5, trois, 3 pièces",
    HEADER + "portable;-3;A\nportable;0;A\nportable;0,5;A\nportable;trois;A\nportable;3 pièces;A\n",
    rows=5,
)
_inventory_case(
    "quantity with thousands separators",
    HEADER + "portable;1 200;A\nécran;1\u202f300;A\nserveur;1.300;A\nportable;1,300;A\n",
    rows=4,
)
_inventory_case(
    "hostile dates",
    "Type;Date d'achat\nportable;31/12/9999\nportable;00-00-0000\nportable;2025-13-45\n"
    "portable;1e9\nportable;01-01-0001\nportable;2099-01-01\nportable;-2020\n",
    rows=7,
)
_inventory_case(
    "hostile lifespans",
    "Type;Durée de vie\nportable;0 ans\nportable;-3 ans\nportable;1e-300 ans\n"
    "portable;1e300 ans\nportable;5 kg\nportable;nan\nportable;inf ans\nportable;5 ans 2 mois\n",
    rows=8,
)
_inventory_case(
    "hostile powers",
    "Type;Puissance\nportable;65 kW\nportable;-65 W\nportable;65 W/h\n"
    "portable;1e12 W\nportable;65 W" + " " * 10_000 + "\nportable;65 (W)\n",
    rows=6,
)
_inventory_case(
    "hostile annual energy",
    "Type;Consommation annuelle\nportable;50 kWh/an\nportable;50 kWh/jour\n"
    "portable;50 kWh\nportable;-50 kWh/an\nportable;5e30 kWh/an\nportable;50 kW\n",
    rows=6,
)
_inventory_case(
    "hostile refurbished",
    "Type;Reconditionné\nportable;oui\nportable;peut-être\nportable;2\nportable;=1\nportable;\n",
    rows=5,
)
_inventory_case(
    "hostile manufacture PCF",
    "Type;Fabrication (kgCO2e)\nportable;-200\nportable;1e308\nportable;nan\nportable;200 t\nportable;0\n",
    rows=5,
)
_inventory_case(
    "hostile countries",
    "Type;Pays\nportable;Mordor\nportable;<script>\nportable;FRA\nportable;fr\nportable;\u0000\n",
    rows=5,
)
_inventory_case("header units nested parens", "Type;Puissance (((((W)))))\nportable;65\n", rows=1)
_inventory_case("header unit that is not a unit", "Type;Puissance (kg)\nportable;65\n", rows=1)
_inventory_case("a gzipped CSV named .csv", gzip.compress((HEADER + ROWS).encode()), error=True)
_inventory_case("random bytes", os.urandom(100_000), error=True)
_inventory_case("an XLSX renamed .csv", (REAL / "inventaire_tableur_mairie.xlsx").read_bytes(), rows=None)
_inventory_case("a CSV renamed .xlsx", HEADER + ROWS, suffix=".xlsx", rows=3)
_inventory_case(
    "an OLE2 .xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000, suffix=".xls", error=True
)
_inventory_case(
    "a zip that is not a workbook",
    None,
    suffix=".xlsx",
    error=True,
    setup=lambda tmp, path: _zip(path, {"hello.txt": b"hi"}),
)
_inventory_case(
    "an ODS spreadsheet",
    None,
    suffix=".ods",
    error=True,
    setup=lambda tmp, path: _zip(path, {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
)
_inventory_case("a JSON file named .csv", '{"Type": "portable"}', rows=None)
_inventory_case(
    "an HTML page saved as .csv",
    "<html><body><table><tr><td>Type</td></tr></table></body></html>",
    error=True,
)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _xlsx(path: Path, rows: list[list[object]], **sheets) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for title, extra in sheets.items():
        other = book.create_sheet(title)
        for row in extra:
            other.append(row)
    book.save(path)
    return path


def _zip_bomb(tmp: Path, path: Path) -> Path:
    """A valid workbook whose sheet XML inflates to about 1.5 GB from a few MB."""
    base = _xlsx(tmp / "base.xlsx", [["Type", "Quantité"], ["portable", 3]])
    row = '<row><c t="inlineStr"><is><t>portable</t></is></c><c><v>1</v></c></row>'
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                head, _, tail = data.decode().partition("<sheetData>")
                _, _, tail = tail.partition("</sheetData>")
                with target.open(item.filename, "w", force_zip64=True) as out:
                    out.write((head + "<sheetData>").encode())
                    chunk = (row * 10_000).encode()
                    for _ in range(2_000):
                        out.write(chunk)
                    out.write(("</sheetData>" + tail).encode())
            else:
                target.writestr(item, data)
    return path


_inventory_case(
    "XLSX: an empty workbook", None, suffix=".xlsx", error=True, setup=lambda tmp, path: _xlsx(path, [])
)
_inventory_case(
    "XLSX: header only",
    None,
    suffix=".xlsx",
    error=True,
    setup=lambda tmp, path: _xlsx(path, [["Type", "Quantité"]]),
)
_inventory_case(
    "XLSX: formula cells and errors",
    None,
    suffix=".xlsx",
    rows=3,
    setup=lambda tmp, path: _xlsx(
        path, [["Type", "Quantité"], ["portable", "=1/0"], ['=HYPERLINK("x")', 2], ["écran", "#DIV/0!"]]
    ),
)
_inventory_case(
    "XLSX: dates and booleans as quantities",
    None,
    suffix=".xlsx",
    rows=2,
    setup=lambda tmp, path: _xlsx(
        path,
        [["Type", "Quantité"], ["portable", True], ["écran", __import__("datetime").datetime(2020, 1, 1)]],
    ),
)
_inventory_case(
    "XLSX: the table on a second sheet",
    None,
    suffix=".xlsx",
    rows=1,
    setup=lambda tmp, path: _xlsx(
        path, [["Notice"], ["lisez-moi"]], Parc=[["Type", "Quantité"], ["portable", 3]]
    ),
)
_inventory_case("XLSX: a zip bomb (1.5 GB of sheet XML)", None, suffix=".xlsx", timeout=120, setup=_zip_bomb)


def _special(kind: str):
    def setup(tmp: Path, path: Path) -> Path:
        if kind == "directory":
            path.mkdir()
        elif kind == "symlink loop":
            (tmp / "a.csv").symlink_to(tmp / "b.csv")
            (tmp / "b.csv").symlink_to(tmp / "a.csv")
            path = tmp / "a.csv"
        elif kind == "dangling symlink":
            path.symlink_to(tmp / "nowhere.csv")
        elif kind == "symlink to /dev/zero":
            path.symlink_to("/dev/zero")
        elif kind == "unreadable file":
            write(path, HEADER + ROWS)
            path.chmod(0)
        elif kind == "file in an unreadable folder":
            write(tmp / "locked" / "parc.csv", HEADER + ROWS)
            (tmp / "locked").chmod(0)
            path = tmp / "locked" / "parc.csv"
        elif kind == "name with a newline and a formula":
            path = write(tmp / "=HYPERLINK(1)\n.csv", HEADER + ROWS)
        elif kind == "name that is not UTF-8":
            path = Path(os.fsdecode(bytes(tmp) + b"/parc\xff\xfe.csv"))
            write(path, HEADER + ROWS)
        return path

    return setup


for kind in [
    "directory",
    "symlink loop",
    "dangling symlink",
    "symlink to /dev/zero",
    "unreadable file",
    "file in an unreadable folder",
]:
    _inventory_case(kind, None, setup=_special(kind), error=True, timeout=60)
for kind in ["name with a newline and a formula", "name that is not UTF-8"]:
    _inventory_case(kind, None, setup=_special(kind), rows=3)


@case("input", "/dev/urandom as an inventory", "exit 2, bounded")
def urandom(tmp: Path) -> tuple[bool, str]:
    r = greenit("estimate", "/dev/urandom", "--json", timeout=60)
    return verdict(user_error(r), r.brief())


@case("input", "an inventory on stdin (-)", "read once, 3 rows, or exit 2")
def stdin_dash(tmp: Path) -> tuple[bool, str]:
    r = greenit("estimate", "-", "--json", stdin=(HEADER + ROWS).encode())
    if r.code == 0:
        data, problem = json_result(r)
        return verdict(problem or (None if data["rows_in"] == 3 else f"rows_in {data['rows_in']}"), r.brief())
    return verdict(user_error(r), r.brief())


@case("input", "the same file given twice", "rows counted twice and said, or exit 2")
def same_file_twice(tmp: Path) -> tuple[bool, str]:
    path = write(tmp / "parc.csv", HEADER + ROWS)
    r = greenit("estimate", path, path, "--json")
    if r.code == 0:
        data, problem = json_result(r)
        return verdict(
            problem or (None if data["rows_in"] in (3, 6) else f"rows_in {data['rows_in']}"), r.brief()
        )
    return verdict(user_error(r), r.brief())


@case("input", "a file growing while it is read", "exit 0 or 2, bounded")
def growing(tmp: Path) -> tuple[bool, str]:
    path = write(tmp / "parc.csv", HEADER + ROWS * 50_000)
    stop = threading.Event()

    def grow() -> None:
        with path.open("a", encoding="utf-8") as handle:
            while not stop.is_set():
                handle.write(ROWS * 1000)
                handle.flush()
                time.sleep(0.001)

    thread = threading.Thread(target=grow, daemon=True)
    thread.start()
    try:
        r = greenit("estimate", path, "--json", timeout=90)
    finally:
        stop.set()
        thread.join()
    return verdict(bounded(r, bound_s=60) or ok_or_user_error(r), r.brief())


@case("input", "a file truncated while it is read", "exit 0 or 2, bounded")
def shrinking(tmp: Path) -> tuple[bool, str]:
    path = write(tmp / "parc.csv", HEADER + ROWS * 300_000)

    def cut() -> None:
        time.sleep(0.6)
        with path.open("r+b") as handle:
            handle.truncate(1000)

    thread = threading.Thread(target=cut, daemon=True)
    thread.start()
    r = greenit("estimate", path, "--json", timeout=90)
    thread.join()
    return verdict(bounded(r, bound_s=60) or ok_or_user_error(r), r.brief())


# ---- JSON Lines ------------------------------------------------------------------------------

_inventory_case(
    "JSONL nested 100,000 deep",
    '{"Type": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
    suffix=".jsonl",
    rows=None,
)
_inventory_case(
    "JSONL: one line of 100,000 keys",
    "{" + ",".join(f'"k{i}": {i}' for i in range(100_000)) + ', "Type": "portable"}\n',
    suffix=".jsonl",
    rows=1,
)
_inventory_case("JSONL: not objects", '[1,2,3]\n"portable"\nnull\n42\n', suffix=".jsonl", rows=None)
_inventory_case(
    "JSONL: NaN and Infinity literals",
    '{"Type": "portable", "Quantité": NaN}\n{"Type": "écran", "Quantité": Infinity}\n',
    suffix=".jsonl",
    rows=2,
)
_inventory_case(
    "JSONL: huge integer", '{"Type": "portable", "Quantité": ' + "9" * 5000 + "}\n", suffix=".jsonl", rows=1
)
_inventory_case(
    "JSONL: a broken line among good ones",
    '{"Type": "portable"}\n{"Type": \n{"Type": "écran"}\n',
    suffix=".jsonl",
    rows=None,
)


# ---- AI logs, CodeCarbon, Slurm, hosted usage ---------------------------------------------------

RUN_HEADER = (
    "run_id;project;phase;duration;accelerator;accelerator_count;utilisation;pue;location;energy;requests\n"
)


def _ai_case(
    name: str,
    content: bytes | str | None,
    *,
    runs: int | None = None,
    suffix: str = ".csv",
    error: bool = False,
    timeout: float = 60,
    setup=None,
) -> None:
    expected = (
        "exit 2" if error else ("exit 0 or 2" + (f", {runs} runs read if 0" if runs is not None else ""))
    )

    @case("ai-input", name, expected + ", bounded")
    def check(tmp: Path) -> tuple[bool, str]:
        path = setup(tmp, tmp / f"log{suffix}") if setup else write(tmp / f"log{suffix}", content)
        r = greenit("ai", "estimate", path, "--json", timeout=timeout)
        problem = bounded(r)
        if problem is None and error:
            problem = user_error(r)
        elif problem is None and r.code == 0:
            data, problem = json_result(r, rows="runs")
            if problem is None and runs is not None and data["runs_in"] != runs:
                problem = f"runs_in {data['runs_in']}, {runs} runs in the file"
        elif problem is None:
            problem = user_error(r)
        return verdict(problem, r.brief())


def runs(*rows: str) -> str:
    return RUN_HEADER + "".join(row + "\n" for row in rows)


_ai_case("AI log: 0 bytes", b"", error=True)
_ai_case("AI log: header only", RUN_HEADER, error=True)
_ai_case(
    "AI log: durations",
    runs(
        "a;p;training;P1000000Y;A100;1;;;FRA;;",
        "b;p;training;-5 h;A100;1;;;FRA;;",
        "c;p;training;1e308 h;A100;1;;;FRA;;",
        "d;p;training;nan h;A100;1;;;FRA;;",
        "e;p;training;25:61:61;A100;1;;;FRA;;",
        "f;p;training;999999999:00:00;A100;1;;;FRA;;",
        "g;p;training;2 h 30;A100;1;;;FRA;;",
        "h;p;training;;A100;1;;;FRA;;",
    ),
    runs=8,
)
_ai_case(
    "AI log: accelerators",
    runs(
        "a;p;training;1 h;A100;1e9;;;FRA;;",
        "b;p;training;1 h;A100;-1;;;FRA;;",
        "c;p;training;1 h;<script>;1;;;FRA;;",
        "d;p;training;1 h;;1;;;FRA;;",
        "e;p;training;1 h;A100;0.5;500 %;;FRA;;",
        "f;p;training;1 h;A100;1;-50 %;;FRA;;",
        "g;p;training;1 h;H100 x8;1;;;FRA;;",
    ),
    runs=7,
)
_ai_case(
    "AI log: energies and PUE",
    runs(
        "a;p;inference;1 h;A100;1;;1e308;FRA;;",
        "b;p;inference;1 h;A100;1;;0;FRA;;",
        "c;p;inference;1 h;A100;1;;;FRA;-5 kWh;",
        "d;p;inference;1 h;A100;1;;;FRA;1e308 kWh;",
        "e;p;inference;1 h;A100;1;;;FRA;5 kg;",
        "f;p;inference;1 h;A100;1;;;FRA;5 kWh;0",
        "g;p;inference;1 h;A100;1;;;FRA;5 kWh;-3",
        "h;p;inference;1 h;A100;1;;;FRA;5 kWh;1e300",
    ),
    runs=8,
)
_ai_case(
    "AI log: places",
    runs(
        "a;p;inference;1 h;A100;1;;;Mordor;;",
        "b;p;inference;1 h;A100;1;;;<b>x</b>;;",
        "c;p;inference;1 h;A100;1;;;;;",
        "d;p;inference;1 h;A100;1;;;europe-west9;;",
        "e;p;inference;1 h;A100;1;;;=HYPERLINK(1);;",
    ),
    runs=5,
)
_ai_case(
    "AI log: phases and ids",
    runs(
        ";;;1 h;A100;1;;;FRA;;",
        "a;p;TRAINING;1 h;A100;1;;;FRA;;",
        "a;p;entraînement;1 h;A100;1;;;FRA;;",
        "a;p;nonsense;1 h;A100;1;;;FRA;;",
    ),
    runs=4,
)
_ai_case(
    "AI log: started_at extremes",
    "run_id;started_at;duration;accelerator\na;9999-12-31 23:59;1 h;A100\n"
    "b;0001-01-01;1 h;A100\nc;hier;1 h;A100\nd;1e12;1 h;A100\n",
    runs=4,
)
_ai_case(
    "AI log: 100,000 runs of one project",
    RUN_HEADER + "".join(f"r{i};p;inference;1 h;A100;1;;;FRA;;10\n" for i in range(100_000)),
    runs=100_000,
    timeout=90,
)


def _codecarbon(tmp: Path, path: Path, rows: list[str] | None = None, repeat_header: bool = False) -> Path:
    lines = (REAL / "emissions_codecarbon.csv").read_text(encoding="utf-8").splitlines()
    header, body = lines[0], lines[1:]
    if rows is not None:
        body = rows
    text = header + "\n" + "\n".join(body) + "\n"
    if repeat_header:
        text += header + "\n" + "\n".join(lines[1:]) + "\n"
    return write(path, text)


def _codecarbon_mutated(field: str, value: str):
    def setup(tmp: Path, path: Path) -> Path:
        lines = (REAL / "emissions_codecarbon.csv").read_text(encoding="utf-8").splitlines()
        header = lines[0].split(",")
        cells = lines[1].split(",")
        cells[header.index(field)] = value
        return write(path, lines[0] + "\n" + ",".join(cells) + "\n")

    return setup


_ai_case(
    "CodeCarbon: the header repeated (appended by two versions)",
    None,
    runs=None,
    setup=lambda tmp, path: _codecarbon(tmp, path, repeat_header=True),
)
for field, value in [
    ("energy_consumed", "nan"),
    ("energy_consumed", "-1"),
    ("energy_consumed", "1e308"),
    ("duration", "inf"),
    ("emissions", "-5"),
    ("country_iso_code", "<script>"),
    ("project_name", "=HYPERLINK(1)"),
    ("timestamp", "not a date"),
    ("gpu_count", "1e9"),
]:
    _ai_case(f"CodeCarbon: {field} = {value}", None, runs=1, setup=_codecarbon_mutated(field, value))

SACCT = (REAL / "sacct_parsable2.txt").read_text(encoding="utf-8").splitlines()
for name, elapsed, tres in [
    ("UNLIMITED", "UNLIMITED", None),
    ("INVALID", "INVALID", None),
    ("gpu=1e9", None, "billing=32,cpu=32,gres/gpu=1000000000,mem=128G,node=1"),
    ("negative", "-1:00:00", None),
    ("huge days", "99999999-00:00:00", None),
]:

    def _sacct(tmp: Path, path: Path, elapsed=elapsed, tres=tres) -> Path:
        header = SACCT[0].split("|")
        cells = SACCT[1].split("|")
        if elapsed:
            cells[header.index("Elapsed")] = elapsed
            cells[header.index("ElapsedRaw")] = elapsed
        if tres:
            cells[header.index("AllocTRES")] = tres
        return write(path, SACCT[0] + "\n" + "|".join(cells) + "\n")

    _ai_case(f"Slurm sacct: Elapsed/TRES {name}", None, suffix=".txt", runs=1, setup=_sacct)

USAGE_HEADER = "Service;Fournisseur;Modèle;Requêtes;Jetons d'entrée;Jetons de sortie;Période\n"
_ai_case(
    "usage log: hostile counts",
    USAGE_HEADER + "Chat;Mistral AI;mistral-small-latest;1e30;1;1e30;2025-03\n"
    "Chat;Mistral AI;mistral-small-latest;-5;-5;-5;2025-03\n"
    "Chat;Mistral AI;mistral-small-latest;nan;nan;nan;2025-03\n"
    "Chat;Mistral AI;mistral-small-latest;0;0;0;2025-03\n"
    "Chat;Mistral AI;mistral-small-latest;10;1;" + "9" * 400 + ";2025-03\n",
    runs=5,
)
_ai_case(
    "usage log: hostile models and periods",
    USAGE_HEADER + "Chat;Mistral AI;;10;1;100;2025-03\n"
    "Chat;;gpt-4o;10;1;100;T5 2025\nChat;OpenAI;gpt-4o;10;1;100;mars 99999\n"
    "Chat;OpenAI;" + "g" * 100_000 + ";10;1;100;2025-03\n"
    "=HYPERLINK(1);OpenAI;gpt-4o;10;1;100;2025-03\n",
    runs=5,
)
_ai_case(
    "usage log: 100,000 distinct unknown models",
    USAGE_HEADER + "".join(f"Chat;Mistral AI;modele-{i};10;1;100;2025-03\n" for i in range(100_000)),
    runs=100_000,
    timeout=90,
)
_ai_case("OpenAI usage JSON: data null", '{"object": "page", "data": null}', suffix=".json", runs=None)
_ai_case(
    "OpenAI usage JSON: results with strings and huge numbers",
    '{"object": "page", "data": [{"object": '
    '"bucket", "start_time": 1740787200, "end_time": 1740873600, "results": [{"object": '
    '"organization.usage.completions.result", "input_tokens": "12", "output_tokens": 1e308, '
    '"num_model_requests": -4, "model": "gpt-4o-mini-2024-07-18"}]}]}',
    suffix=".json",
    runs=None,
)
_ai_case("a JSON array 100,000 deep", "[" * 100_000 + "]" * 100_000, suffix=".json", runs=None)
_ai_case(
    "chat responses JSONL with usage null",
    '{"id": "x", "model": "mistral-small-latest", "usage": null}\n',
    suffix=".jsonl",
    runs=None,
)


@case("ai-input", "every kind of log at once, plus a broken one", "the broken one named, the others read")
def all_logs(tmp: Path) -> tuple[bool, str]:
    broken = write(tmp / "casse.csv", b"\x00\xff" * 100)
    files = [
        REAL / n
        for n in (
            "ai_runs_hand_typed.csv",
            "emissions_codecarbon.csv",
            "sacct_parsable2.txt",
            "town_ai_services.csv",
            "openai_usage_completions.json",
            "albert_usage.json",
            "anthropic_usage_report_messages.json",
            "mistral_chat_responses.jsonl",
        )
    ]
    r = greenit("ai", "estimate", *files, broken, "--json", "--accelerator", "H100")
    data, problem = json_result(r, rows="runs")
    if problem is None and "casse.csv" not in r.err:
        problem = "the broken file is not named on stderr"
    return verdict(problem, r.brief())


_ = io  # (kept for cases that build files in memory)
