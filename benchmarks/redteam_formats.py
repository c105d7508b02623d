"""Red-team variants of issue 19's formats: asset managers' exports and providers' usage exports.

    .venv/bin/python benchmarks/redteam_formats.py        # prints one JSON line per class

Each variant is a file as the format's own code could write it, or as a careless export leaves
it, with the reading it means; greenit's reading is judged **right**, **flagged** (a reason on
the row, a note on the file) or **refused** (exit 2, a French message) — anything else is
**silent**: a wrong figure or category used without a word. New spellings and values, not the
fixtures' nor the tests'.
"""

from __future__ import annotations

import copy
import itertools
import json
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from greenit.api import estimate_ai_files, estimate_files  # noqa: E402
from greenit.errors import GreenitError  # noqa: E402

REAL = ROOT / "tests" / "fixtures" / "real"
TMP = Path(tempfile.mkdtemp(prefix="redteam_formats_"))


class Tally:
    def __init__(self) -> None:
        self.right = self.flagged = self.refused = 0
        self.silent: list[str] = []

    def judge(self, name: str, ok: bool, said: bool) -> None:
        if ok:
            self.right += 1
        elif said:
            self.flagged += 1
        else:
            self.silent.append(name)

    def line(self, kind: str) -> str:
        tried = self.right + self.flagged + self.refused + len(self.silent)
        return json.dumps(
            {"class": kind, "tried": tried, "right": self.right, "flagged": self.flagged,
             "refused": self.refused, "silent": self.silent[:20]},
            ensure_ascii=False,
        )  # fmt: skip


def _rows(path: Path, **options) -> pd.DataFrame:
    return estimate_files([path], year=2025, **options).rows


# Snipe-IT: the meta decides, whatever the admin named the label (FR and EN, cases, spaces)
LABELS = [
    "Ready to Deploy",
    "Prêt",
    "En service",
    "Archivé",
    "Archived",
    "Stock",
    "Réparation",
    "Perdu",
    "HS",
]
METAS = {"deployed": "in_service", "deployable": "stock", "pending": "stock", "archived": "retired"}


def snipeit() -> Tally:
    tally = Tally()
    cells, truth = [], []
    for label, (meta, kind), spelling in itertools.product(
        LABELS, METAS.items(), ["{l} ({m})", "{l}  ({M})"]
    ):
        cells.append(spelling.format(l=label, m=meta, M=meta.upper()))
        truth.append(kind)
    lines = ["Asset Tag,Asset Name,Category,Model,Purchased,Status"]
    lines += [
        f"T-{i},PC-{i},Ordinateurs portables,Latitude 5420,2023-01-0{1 + i % 9} 00:00:00,{c}"
        for i, c in enumerate(cells)
    ]
    path = TMP / "snipe.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = _rows(path)
    for i, (cell, kind) in enumerate(zip(cells, truth, strict=True)):
        dated = rows["purchase_date"].iloc[i] == pd.Timestamp(f"2023-01-0{1 + i % 9}")
        tally.judge(f"snipeit {cell!r}", rows["status_kind"].iloc[i] == kind and dated, False)
    return tally


# Intune: the kind of device from OS and model, never from « Category »; unknown → flagged
INTUNE = [
    ("iOS/iPadOS", "Apple", "iPhone 15 Pro", "smartphone"),
    ("iOS/iPadOS", "Apple", "iPad Air (5th generation)", "tablet"),
    ("iOS/iPadOS", "Apple", "iPad mini (6th generation)", "tablet"),
    ("Android (Fully Managed)", "samsung", "SM-S911B", "smartphone"),
    ("Android (Fully Managed)", "samsung", "SM-X710", "tablet"),
    ("Android Enterprise", "Google", "Pixel 8", "smartphone"),
    ("Android (Dedicated)", "samsung", "SM-T575", "tablet"),
    ("macOS", "Apple", "MacBook Pro (16-inch, 2021)", "laptop"),
    ("macOS", "Apple", "iMac (24-inch, 2023)", "all_in_one"),
    ("macOS", "Apple", "Mac mini (2018)", "desktop"),
    ("Windows", "LENOVO", "21HDCTO1WW", None),
    ("Windows", "LENOVO", "11DT0034FR", None),
    ("Windows", "Microsoft Corporation", "Cloud PC Frontline 2vCPU/8GB/128GB", None),
    ("Windows", "Dell Inc.", "Latitude 7440", "laptop"),
    ("Windows", "HP", "HP ProDesk 600 G6 Small Form Factor PC", "desktop"),
]
INTUNE_CATEGORIES = ["Écran", "Imprimante", "Serveur", "Portable", "Élus"]  # admins' labels


def intune() -> Tally:
    tally = Tally()
    header = (
        '"Device name","Enrollment date","Serial number","Manufacturer","Model","OS","Category","Ownership"'
    )
    lines = [header]
    cases = list(itertools.product(INTUNE, INTUNE_CATEGORIES))
    for i, ((system, maker, model, _), label) in enumerate(cases):
        cells = [
            f"D-{i}",
            "2024-01-02 10:00:00.0000000",
            f"S{i:05d}",
            maker,
            model,
            system,
            label,
            "Corporate",
        ]
        lines.append(",".join(f'"{cell}"' for cell in cells))
    path = TMP / "intune.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    rows = _rows(path)
    for i, ((system, _, model, kind), label) in enumerate(cases):
        got = rows["category"].iloc[i]
        got = None if pd.isna(got) else got
        said = pd.notna(rows["reason"].iloc[i])
        tally.judge(
            f"intune {system}/{model}/{label}",
            got == kind and (kind is not None or said),
            said and got is None,
        )
    return tally


# GLPI's SYLK: encodings, line ends, ;; and '' escapes, a BOM
def sylk() -> Tally:
    tally = Tally()
    names = ["PC; accueil", "Poste ''guichet''", "ÉCRAN-é", "Salle 1;2;3"]
    for encoding, end, doubled, bom in itertools.product(
        ["utf-8", "cp1252"], ["\n", "\r\n"], [False, True], [False, True]
    ):
        if bom and encoding != "utf-8":
            continue
        records = [
            "ID;PGLPI_EXPORT",
            f"B;Y{len(names) + 1};X2",
            "F;SDM4;FG0C;Y1;X1",
            'C;N;K"Nom"',
            "F;SDM4;FG0C;X2",
            'C;N;K"Type"',
        ]
        for row, name in enumerate(names, start=2):
            value = name.replace(";", ";;") if doubled else name
            records += [f"F;P3;FG0L;Y{row};X1", f'C;N;K"{value}"', "F;P3;FG0L;X2", 'C;N;K"Portable"']
        text = end.join([*records, "E", ""])
        path = TMP / f"glpi_{encoding}_{len(end)}_{doubled}_{bom}.slk"
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
        rows = _rows(path)
        ok = rows["name"].tolist() == names and set(rows["category"]) == {"laptop"}
        tally.judge(path.name, ok, False)
    return tally


# Providers' exports: the figures of the page, or said
def providers() -> Tally:
    tally = Tally()
    base = json.loads((REAL / "openai_usage_completions.json").read_text(encoding="utf-8"))
    requests = 2310 + 87 + 2522

    def run(name: str, document: object) -> tuple[float | None, bool]:
        path = TMP / f"{name}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        try:
            result = estimate_ai_files([path], year=2025).result()
        except GreenitError:
            tally.refused += 1
            return None, True
        said = bool(result["files"][0].get("notes")) or bool(result["flagged"])
        return float(sum(r.get("requests") or 0 for r in result["runs"])), said

    mutations = {
        "has_more": lambda d: d.update(has_more=True, next_page="p2"),
        "ms": lambda d: [b.update(start_time=b["start_time"] * 1000) for b in d["data"]],
        "us": lambda d: [b.update(start_time=b["start_time"] * 10**6) for b in d["data"]],
        "ns": lambda d: [b.update(start_time=b["start_time"] * 10**9) for b in d["data"]],
        "iso": lambda d: [b.update(start_time="2025-03-03T00:00:00Z") for b in d["data"]],
        "neg_time": lambda d: d["data"][0].update(start_time=-5),
        "huge_time": lambda d: d["data"][0].update(start_time=10**40),
        "str_item": lambda d: d["data"].append("bucket"),
        "int_item": lambda d: d["data"].insert(0, 7),
        "null_item": lambda d: d["data"].append(None),
        "list_item": lambda d: d["data"].append([1]),
        "str_result": lambda d: d["data"][0]["results"].append("r"),
        "null_result": lambda d: d["data"][1]["results"].append(None),
        "results_null": lambda d: d["data"][2].update(results=None),
        "tokens_1e30": lambda d: d["data"][0]["results"][0].update(input_tokens=10**30),
        "tokens_2_64": lambda d: d["data"][0]["results"][0].update(output_tokens=2**64),
        "tokens_neg": lambda d: d["data"][0]["results"][0].update(output_tokens=-1),
        "tokens_text": lambda d: d["data"][0]["results"][0].update(output_tokens="412 650"),
        "tokens_float": lambda d: d["data"][0]["results"][0].update(output_tokens=1.7e308),
        "requests_huge": lambda d: d["data"][0]["results"][0].update(num_model_requests=10**25),
        "model_null": lambda d: d["data"][0]["results"][0].update(model=None),
        "model_int": lambda d: d["data"][0]["results"][0].update(model=4),
    }
    # the requests each mutation leaves countable, by hand (2310, 87, 2522 by result)
    kept = {"tokens_1e30": 87 + 2522, "tokens_2_64": 87 + 2522, "tokens_neg": 87 + 2522,
            "tokens_float": 87 + 2522, "requests_huge": 87 + 2522, "model_null": 87 + 2522,
            "model_int": 87 + 2522, "neg_time": requests, "huge_time": requests}  # fmt: skip
    for name, mutate in mutations.items():
        document = copy.deepcopy(base)
        mutate(document)
        got, said = run(name, document)
        if got is None:
            continue
        truth = kept.get(name, requests)
        tally.judge(f"providers {name}", got == truth and (name not in ("has_more",) or said), said)
    return tally


# GLPI: a Type the file gives but greenit does not know, whatever the model's name suggests
TYPES = [
    "Badgeuse",
    "Pointeuse",
    "Horodateur",
    "Caisse enregistreuse",
    "Automate",
    "Radar pédagogique",
    "Sonde",
]
MODELS = ["Kelio Visio", "Latitude 5420", "OptiPlex 7090", "iPhone 12", "Studio X30", "EliteDisplay E24"]


def glpi_types() -> Tally:
    tally = Tally()
    cases = list(itertools.product(TYPES, MODELS))
    lines = ["Nom;Type;Modèle;Statut"] + [f"X-{i};{t};{m};En production" for i, (t, m) in enumerate(cases)]
    path = TMP / "glpi_types.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = _rows(path)
    for i, (kind, model) in enumerate(cases):
        said = pd.notna(rows["reason"].iloc[i])
        tally.judge(f"glpi {kind}/{model}", pd.isna(rows["category"].iloc[i]) and said, False)
    return tally


if __name__ == "__main__":
    for kind, build in [("snipeit", snipeit), ("intune", intune), ("sylk", sylk), ("providers", providers),
                        ("glpi_types", glpi_types)]:  # fmt: skip
        print(build().line(kind), flush=True)
