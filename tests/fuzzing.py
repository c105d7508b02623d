"""Seeded mutations of real-looking inputs, shared by tests/test_fuzz.py and benchmarks/fuzz.py.

Every reader greenit has (inventory CSV, XLSX, JSON Lines, AI logs, CodeCarbon files, factor
overlays) gets files mutated the way real files go wrong: truncated, bytes flipped, lines
swapped or repeated, delimiters and quotes in odd places, hostile cells (formulas, huge or
non-finite numbers, control characters, other encodings). greenit must answer each with a result
(exit 0) or a user-facing error (exit 2) — never a traceback, and quickly.
"""

from __future__ import annotations

import random
from pathlib import Path

SEEDS = {
    "inventory.csv": (
        '"Nom";"Entité";"Statut";"Fabricant";"Modèle";"Type";"Lieu";"Date d\'achat";"Quantité"\n'
        '"PC-1";"Ville > DRH";"En service";"Dell";"Latitude 5420";"Portable";"HdV > 1";"15-03-2021";"1"\n'
        '"EC-2";"Ville > Écoles";"En stock";"Dell";"P2422H";"Écran";"École";"01-06-2019";"3"\n'
        '"SRV-3";"Ville > DSI";"Réformé";"HPE";"DL380";"Serveur";"Salle";"2016-01-01";"1"\n'
    ),
    "runs.csv": (
        "run_id;project;phase;duration;accelerator;accelerator_count;utilisation;pue;location;requests\n"
        "a;chat;inference;2 h;A100;1;60 %;1,2;FRA;1000\n"
        "b;tri;training;3h30;H100;8;;;ovh-gra;\n"
    ),
    "emissions.csv": (
        "timestamp,project_name,run_id,duration,emissions,emissions_rate,cpu_power,gpu_power,ram_power,"
        "cpu_energy,gpu_energy,ram_energy,energy_consumed,country_name,country_iso_code,region,"
        "cloud_provider,cloud_region,os,python_version,codecarbon_version,cpu_count,cpu_model,"
        "gpu_count,gpu_model,longitude,latitude,ram_total_size,tracking_mode,on_cloud,pue\n"
        "2025-03-01T10:00:00,ocr,r1,3600,0.01,2.7e-06,42.5,0,10,0.04,0,0.01,0.05,France,FRA,,,,"
        "Linux,3.11.7,3.3.2,8,Intel,0,,,,32,machine,N,1.0\n"
    ),
    "devices.csv": (
        "category,label_fr,label_en,manufacture [kgCO2e],manufacture_low [kgCO2e],manufacture_high [kgCO2e],"
        "lifespan [year],annual_energy [kWh/year],annual_energy_low [kWh/year],annual_energy_high [kWh/year],"
        "use_hours [hour/year],end_of_life [kgCO2e],manufacture_source,lifespan_source,energy_source,"
        "end_of_life_source,use_hours_source,range_sources,notes\n"
        "laptop,Portable,Laptop,200,150,250,5,40,30,60,2000,1,ecodiag,ecodiag,ecodiag,,use_hours_convention,,ours\n"
    ),
    "inventory.jsonl": (
        '{"Type": "Portable", "Quantité": 2, "Date d\'achat": "2022-01-01"}\n'
        '{"Type": "Écran", "Quantité": "3", "Statut": "En service"}\n'
    ),
}

HOSTILE = [
    '=HYPERLINK("http://x")',
    " =1+1",
    "＝1",
    "\r",
    "\n=",
    "1e309",
    "-1e309",
    "nan",
    "inf",
    "\x00",
    "\ufeff",
    "1 1 1 1 1 1 1 1",
    "(" * 40,
    "9" * 40,
    "31-02-2021",
    "1600-01-01",
    "Ã©cran",
    "é".encode().decode("latin-1"),
    "\u202e",
    '"',
    ";;;",
]


def _mutate_text(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    kind = rng.randrange(9)
    if kind == 0:
        return text[: rng.randrange(len(text) + 1)]
    if kind == 1 and len(lines) > 2:
        i, j = rng.randrange(1, len(lines)), rng.randrange(1, len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines)
    if kind == 2:
        line = rng.randrange(len(lines))
        lines.insert(line, lines[line])
        return "\n".join(lines)
    if kind == 3:
        pos = rng.randrange(len(text) + 1)
        return text[:pos] + rng.choice(HOSTILE) + text[pos:]
    if kind == 4:
        old, new = rng.choice([";", ",", '"', "\n"]), rng.choice(["", "\t", ";;", '"', "\r\n", "|"])
        return text.replace(old, new, 3)
    if kind == 5:
        return lines[0] + "\n" if lines else ""
    if kind == 6:
        cells = text.split(rng.choice([";", ","]))
        i = rng.randrange(len(cells))
        cells[i] = rng.choice(HOSTILE) * rng.randrange(1, 4)
        return rng.choice([";", ","]).join(cells)
    if kind == 7:
        return text + "\n".join(lines[1:] * rng.randrange(1, 4))
    return "\n".join(line[::-1] if rng.random() < 0.2 else line for line in lines)


def mutated_bytes(seed_text: str, rng: random.Random) -> bytes:
    text = seed_text
    for _ in range(rng.randrange(1, 4)):
        text = _mutate_text(text, rng)
    data = text.encode(rng.choice(["utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16"]), errors="replace")
    if rng.random() < 0.15 and data:
        buffer = bytearray(data)
        for _ in range(rng.randrange(1, 6)):
            buffer[rng.randrange(len(buffer))] = rng.randrange(256)
        data = bytes(buffer)
    return data


def cases(count_per_seed: int, seed: int = 20261126) -> list[tuple[str, int, bytes]]:
    """(seed file name, case number, mutated bytes), deterministic for a given ``seed``."""
    rng = random.Random(seed)
    return [
        (name, n, mutated_bytes(text, rng)) for name, text in SEEDS.items() for n in range(count_per_seed)
    ]


def command_for(name: str, path: Path, tmp: Path) -> list[str]:
    """The greenit command a user would run on such a file."""
    if name == "devices.csv":
        inventory = tmp / "inv.csv"
        inventory.write_text("Type;Quantité\nPortable;2\n", encoding="utf-8")
        return ["estimate", str(inventory), "--factors", str(path), "--json", "--year", "2025"]
    if name in ("runs.csv", "emissions.csv"):
        return ["ai", "estimate", str(path), "--json"]
    return ["estimate", str(path), "--json", "--year", "2025"]


def run_greenit(args: list[str]) -> tuple[int, str, str, BaseException | None]:
    """Run the CLI in-process as ``greenit ARGS`` would: (exit code, stdout, stderr, unexpected exception)."""
    from typer.testing import CliRunner

    from greenit.cli import app
    from greenit.errors import GreenitError

    result = CliRunner().invoke(app, args, catch_exceptions=True)
    error = result.exception
    if isinstance(error, GreenitError):
        return 2, result.stdout, str(error), None
    if isinstance(error, SystemExit) or error is None:
        return result.exit_code, result.stdout, result.stderr, None
    return 1, result.stdout, result.stderr, error


def xlsx_from(data: bytes, path: Path) -> None:
    """Write the rows of a mutated CSV as an XLSX workbook (for the XLSX reader's turn)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook()
    sheet = workbook.active
    for line in data.decode("utf-8", errors="replace").splitlines()[:200]:
        # a workbook cannot hold control characters: a real one would not have them
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c[:1000]) for c in line.split(";")][:50])
    workbook.save(path)
