"""Red-team variants of issue 19's defences, run in one process per class (``redteam_trust``).

    .venv/bin/python benchmarks/redteam_trust_variants.py CLASS   # prints one JSON line

Each variant writes what a careless or unusual file would hold, knows the figure it means, and
checks what greenit did with it: read **right**, **flagged** (its row has a reason, its header is
reported unused) or **refused** (the file, exit 2) — anything else is **silent**: a wrong figure
used without a word, the failure the defences exist to prevent. The variants are new spellings,
values and slips, not the examples of the issue nor those of the test suite.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from greenit.errors import GreenitError  # noqa: E402
from greenit.factors import load_factors  # noqa: E402

FACTORS = load_factors()
RNG = random.Random(19)


def raw_frame(columns: dict[str, list]) -> pd.DataFrame:
    frame = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()})
    frame["file"] = "variante.csv"
    frame["row"] = np.arange(1, len(frame) + 1)
    frame["line"] = frame["row"] + 1
    frame.attrs["headers"] = list(columns)
    return frame


class Tally:
    def __init__(self) -> None:
        self.right = self.flagged = self.refused = 0
        self.silent: list[str] = []

    def judge(self, name: str, got: float | None, truth: float, said: bool, *, rel: float = 1e-6) -> None:
        """``got`` the figure greenit used (None: none), ``said`` whether a reason was given."""
        if got is not None and not math.isnan(got) and math.isclose(got, truth, rel_tol=rel) and not said:
            self.right += 1
        elif said:
            self.flagged += 1
        elif got is None or math.isnan(got):
            self.silent.append(f"{name}: no figure and no reason")
        else:
            self.silent.append(f"{name}: {got:g} used for {truth:g}")

    def to_json(self) -> dict:
        tried = self.right + self.flagged + self.refused + len(self.silent)
        return {
            "tried": tried,
            "right": self.right,
            "flagged": self.flagged,
            "refused": self.refused,
            "silent": self.silent,
        }


def _inventory_value(header: str, cell: str, column: str, category: str = "Ordinateur portable"):
    from greenit.inventory.normalise import normalise_inventory

    out = normalise_inventory(raw_frame({"Type d'équipement": [category], header: [cell]}), FACTORS)
    used = header in out.attrs["columns"]["used"]
    reason = out["reason"].iloc[0]
    value = out[column].iloc[0] if used else None
    return value, pd.notna(reason) or not used


def headers() -> Tally:
    """Inventory headers in new spellings: names × unit placements × units, values a laptop has."""
    tally = Tally()
    names = {
        "power_w": ["Puissance électrique", "Average power", "Puissance moyenne", "Watts"],
        "annual_kwh": ["Consommation électrique annuelle", "Annual consumption", "Energie annuelle"],
        "lifespan_years": ["Durée de vie estimée", "Expected lifetime", "Durée d'utilisation"],
    }
    units = {
        "power_w": [("W", 1), ("kW", 1e3), ("watts", 1), ("Watt", 1), ("kilowatts", 1e3), ("mW", 1e-3)],
        "annual_kwh": [
            ("kWh", 1),
            ("MWh", 1e3),
            ("Wh", 1e-3),
            ("kWh/an", 1),
            ("kWh / an", 1),
            ("MWh/year", 1e3),
            ("kWh par an", 1),
            ("kilowattheures", 1),
            ("milliers de kWh", 1e3),
        ],
        "lifespan_years": [
            ("ans", 1),
            ("années", 1),
            ("an", 1),
            ("mois", 1 / 12),
            ("months", 1 / 12),
            ("years", 1),
            ("semaines", 7 / 365.25),
        ],
    }
    truth = {"power_w": 38.0, "annual_kwh": 71.0, "lifespan_years": 4.5}
    placements = [
        "{n} ({u})",
        "{n} [{u}]",
        "{n} (en {u})",
        "{n} en {u}",
        "{n} - en {u}",
        "{n} ({u}) ",
        " {n} [ en {u} ]",
    ]
    for column, unit_list in units.items():
        for name, (unit, factor) in itertools.product(names[column], unit_list):
            placement = RNG.choice(placements)
            header = placement.format(n=name, u=unit)
            cell = f"{truth[column] / factor:.8g}".replace(".", RNG.choice([",", "."]))
            value, said = _inventory_value(header, cell, column)
            tally.judge(f"{header}={cell}", value, truth[column], said)
    return tally


def tokens() -> Tally:
    """Usage logs: token headers with multipliers, cells with and without their own."""
    from greenit.ai.hosted.usage import normalise_usage

    tally = Tally()
    multipliers = {
        "k": 1e3,
        "kTok": 1e3,
        "milliers de jetons": 1e3,
        "en milliers de tokens": 1e3,
        "thousands of tokens": 1e3,
        "x 1000": 1e3,
        "×1000": 1e3,
        "M": 1e6,
        "Mtokens": 1e6,
        "en millions": 1e6,
        "millions de tokens": 1e6,
        "Md": 1e9,
        "": 1.0,
        "jetons": 1.0,
        "nb": 1.0,
    }
    names = ["Tokens générés", "Completion tokens", "Jetons de sortie", "Output tokens", "Tokens out"]
    cells = [("3,5", None), ("0,25", None), ("7", None), ("2,5 k", 1e3), ("1,2 M", 1e6), ("800 jetons", 1.0)]
    for (multiplier, scale), name in itertools.product(multipliers.items(), names[:4]):
        cell, own = RNG.choice(cells)
        header = f"{name} ({multiplier})" if multiplier else name
        number = float(cell.split()[0].replace(",", "."))
        truth = number * (own if own is not None else scale)
        requests = max(1, round(truth / 400))  # about 400 tokens a request: plausible
        raw = raw_frame({"Modèle": ["mistral-small-2503"], "Requêtes": [str(requests)], header: [cell]})
        usage = normalise_usage(raw, FACTORS)
        tally.judge(
            f"{header}={cell}", usage["output_tokens"].iloc[0], truth, pd.notna(usage["reason"].iloc[0])
        )
    return tally


def numbers() -> Tally:
    """Columns of numbers in one locale each (and some in two): every cell right or flagged."""
    from greenit.parsing.units import parse_quantity_column

    tally = Tally()
    styles = {
        "fr": (".", ","),
        "fr_space": ("\u202f", ","),
        "en": (",", "."),
        "ch": ("'", "."),
        "raw": ("", "."),
    }
    for _ in range(60):
        style = RNG.choice(list(styles))
        thousands, decimal = styles[style]
        counts = RNG.random() < 0.5
        values = [
            RNG.choice([RNG.randint(1000, 999_999), RNG.randint(1, 999)])
            / (1 if counts else 10 ** RNG.randint(0, 3))
            for _ in range(RNG.randint(1, 5))
        ]
        cells = [_written(v, thousands, decimal) for v in values]
        if RNG.random() < 0.2:  # a column mixing two locales: some cells must be flagged, none wrong
            other = RNG.choice(list(styles))
            cells[-1] = _written(values[-1], *styles[other])
        parsed = parse_quantity_column(pd.Series(cells, dtype=object), "dimensionless", counts=counts)
        for cell, value, got, bad in zip(cells, values, parsed.values, parsed.bad, strict=True):
            tally.judge(f"{style} {cells} {cell}", got, value, bool(bad))
    return tally


def _written(value: float, thousands: str, decimal: str) -> str:
    whole, _, fraction = f"{value:.6f}".rstrip("0").rstrip(".").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return thousands.join(groups) + (decimal + fraction if fraction else "")


def plausibility() -> Tally:
    """A value each category has, and the same after a unit slip: the slip must be flagged."""
    from greenit.factors.plausible import category_ranges
    from greenit.inventory.normalise import normalise_inventory

    tally = Tally()
    ranges = category_ranges(FACTORS)
    labels = FACTORS.devices["label_fr"]
    columns = {
        "power": ("Puissance (W)", "power_w"),
        "annual_energy": ("Conso annuelle (kWh/an)", "annual_kwh"),
        "lifespan": ("Durée de vie (ans)", "lifespan_years"),
        "manufacture": ("PCF (kgCO2e)", "given_manufacture_kgco2e"),
    }
    slips = {
        "power": [1e3, 1e-3],
        "annual_energy": [1e3, 1e-3],
        "lifespan": [12, 52],
        "manufacture": [1e-3, 1e3],
    }
    for quantity, (header, column) in columns.items():
        categories = [c for c in ranges.index if not math.isnan(ranges.at[c, f"{quantity}_min"])]
        for category in RNG.sample(categories, min(8, len(categories))):
            low, high = ranges.at[category, f"{quantity}_min"], ranges.at[category, f"{quantity}_max"]
            good = math.sqrt(low * high)
            cells = [f"{good:.5g}"] + [f"{good * s:.5g}" for s in slips[quantity]]
            raw = raw_frame({"Type": [labels[category]] * len(cells), header: cells})
            out = normalise_inventory(raw, FACTORS)
            for position, cell in enumerate(cells):
                said = pd.notna(out["reason"].iloc[position])
                got = out[column].iloc[position]
                if position == 0:
                    tally.judge(f"{category} {header}={cell}", got, float(cell), said, rel=1e-4)
                elif said:
                    tally.flagged += 1
                else:
                    tally.silent.append(f"{category} {header}={cell}: a slip used ({got:g})")
    return tally


def ai_units() -> Tally:
    """Run logs: durations, GPU power and energy in units the log does not say."""
    from greenit.ai.runs.normalise import normalise_workloads

    tally = Tally()
    header = ["run_id", "Durée", "GPU", "Nb GPU", "Puissance GPU (W)", "Énergie (kWh)"]
    truth_hours = 6.0
    variants = [
        ("secondes", truth_hours * 3600, "s"),
        ("minutes", truth_hours * 60, "min"),
        ("ms", truth_hours * 3.6e6, "ms"),
    ]
    for label, value, unit in variants:
        for with_unit in (True, False):
            cell = f"{value:g} {unit}" if with_unit else f"{value:g}"
            raw = raw_frame(dict(zip(header, [["r"], [cell], ["A100"], ["2"], [""], [""]], strict=True)))
            runs = normalise_workloads(raw, FACTORS)
            noted = "units.bare_hours" in {
                getattr(p, "key", "") for p in getattr(runs["notes"].iloc[0], "parts", ())
            }
            said = pd.notna(runs["reason"].iloc[0]) or noted  # a bare number: hours, and said so
            tally.judge(f"durée {label} {cell}", runs["hours"].iloc[0], truth_hours, said)
    for accelerator in ("A100", "H100", "L40S", "V100", "T4", "MI250X"):
        for factor in (1, 1e3, 1e-3):
            board = 300.0
            cell = f"{board * factor:g}"
            raw = raw_frame(
                dict(zip(header, [["r"], ["2"], [accelerator], ["1"], [cell], [""]], strict=True))
            )
            runs = normalise_workloads(raw, FACTORS)
            said = pd.notna(runs["reason"].iloc[0])
            if factor == 1:
                tally.judge(f"{accelerator} {cell} W", runs["accelerator_power_w"].iloc[0], board, said)
            elif said:
                tally.flagged += 1
            else:
                tally.silent.append(f"{accelerator} power {cell} W used")
    for energy in ("0,9", "900", "900000"):
        raw = raw_frame(dict(zip(header, [["r"], ["3"], ["A100"], ["1"], [""], [energy]], strict=True)))
        runs = normalise_workloads(raw, FACTORS)
        said = pd.notna(runs["reason"].iloc[0])
        if energy == "0,9":
            tally.judge("énergie 0,9 kWh", runs["energy_kwh"].iloc[0], 0.9, said)
        elif said:
            tally.flagged += 1
        else:
            tally.silent.append(f"énergie {energy} kWh en 3 h sur un GPU utilisée")
    return tally


def periods() -> Tally:
    """Runs and usage of many years against a reference year: only the year's are counted."""
    from greenit.api import estimate_ai_files

    tally = Tally()
    folder = Path(tempfile.mkdtemp(prefix="greenit-periodes-"))
    spellings = ["{d:%d/%m/%Y}", "{d:%Y-%m-%d}", "{d:%Y-%m-%dT%H:%M:%S}", "{d:%d-%m-%Y %H:%M}"]
    for i in range(25):
        year = RNG.randint(2020, 2026)
        years = [RNG.choice([year, year - 1, year + 1, 2019, 2031]) for _ in range(RNG.randint(2, 6))]
        lines = []
        for j, y in enumerate(years):
            date = pd.Timestamp(y, RNG.randint(1, 12), RNG.randint(1, 28), 9)
            lines.append(f"r{j};{RNG.choice(spellings).format(d=date)};4;A100;1")
        log = folder / f"j{i}.csv"
        log.write_text("run_id;début;durée (h);GPU;nombre de GPU\n" + "\n".join(lines) + "\n")
        result = estimate_ai_files(log, year=year).result()
        per_run = estimate_ai_files(log).result()["runs"]
        truth = sum(r["total_kgco2e"] for r, y in zip(per_run, years, strict=True) if y == year)
        got = result["totals"]["total_kgco2e"]
        said = result["periods"]["outside_year"] == sum(y != year for y in years)
        if said:
            tally.judge(f"{years} → {year}", got, truth, False)
        else:
            tally.silent.append(f"{years}: the runs outside {year} not said")
    return tally


def duplicates() -> Tally:
    """Files twice, renamed copies, one device in two files, one run or response twice."""
    from greenit.api import estimate_ai_files, estimate_files

    tally = Tally()
    folder = Path(tempfile.mkdtemp(prefix="greenit-doublons-"))
    base = "Nom;Type;Modèle;Numéro de série\nPC-1;Portable;Latitude;SN-AA-001\nPC-2;Écran;P2419;SN-BB-002\n"
    first = folder / "parc.csv"
    first.write_text(base)
    alone = estimate_files([first], year=2025).result()["totals"]["total_kgco2e"]
    for name in ("parc.csv", "copie de parc.csv", "PARC.CSV", "parc (1).csv"):
        copy = folder / name
        copy.write_bytes(first.read_bytes())
        try:
            result = estimate_files([first, copy], year=2025, on_missing="report")
            got = result.result()["totals"]["total_kgco2e"]
            refused = bool(result.file_errors)
            tally.refused += refused
            if not refused:
                tally.judge(f"copie {name}", got, alone, False)
        except GreenitError:
            tally.refused += 1
    serials = ["SN-AA-001", "sn-aa-001", "SN AA 001", " SN-AA-001 ", "SNAA001"]
    for serial in serials:
        other = folder / f"autre_{len(serial)}_{serial.strip()[:2]}.csv"
        other.write_text(
            "Nom;Type;Modèle;Numéro de série\n"
            f"PC-1;Portable;Latitude;{serial}\nPC-9;Portable;Latitude;SN-ZZ-009\n"
        )
        nine = folder / "neuf.csv"
        nine.write_text("Nom;Type;Modèle;Numéro de série\nPC-9;Portable;Latitude;SN-ZZ-009\n")
        truth = alone + estimate_files([nine], year=2025).result()["totals"]["total_kgco2e"]
        got = estimate_files([first, other], year=2025).result()["totals"]["total_kgco2e"]
        tally.judge(f"série {serial!r} dans deux fichiers", got, truth, False)
    for name_model in (("PC-1", "Latitude"), ("pc-1", "LATITUDE"), ("PC-1 ", "Latitude ")):
        other = folder / "sans_serie.csv"
        other.write_text(f"Nom;Type;Modèle\n{name_model[0]};Portable;{name_model[1]}\n")
        got = estimate_files([first, other], year=2025).result()["totals"]["total_kgco2e"]
        tally.judge(f"nom+modèle {name_model}", got, alone, False)
    runs = "run_id;début;durée (h);GPU;nombre de GPU\nr-1;01/03/2025 09:00;5;A100;2\n"
    (folder / "a.csv").write_text(runs)
    (folder / "b.csv").write_text(runs + "r-2;02/03/2025 09:00;3;A100;1\n")
    one = estimate_ai_files(folder / "a.csv").result()["totals"]["total_kgco2e"]
    (folder / "r2.csv").write_text(
        "run_id;début;durée (h);GPU;nombre de GPU\nr-2;02/03/2025 09:00;3;A100;1\n"
    )
    two = estimate_ai_files(folder / "r2.csv").result()["totals"]["total_kgco2e"]
    tally.judge(
        "run r-1 dans deux journaux",
        estimate_ai_files([folder / "a.csv", folder / "b.csv"]).result()["totals"]["total_kgco2e"],
        one + two,
        False,
    )
    lines = (ROOT / "tests/fixtures/real/mistral_chat_responses.jsonl").read_text().splitlines()
    (folder / "once.jsonl").write_text("\n".join(lines) + "\n")
    once = estimate_ai_files(folder / "once.jsonl").result()["totals"]["total_kgco2e"]
    for k in range(1, 4):
        (folder / "twice.jsonl").write_text("\n".join(lines + lines[:k]) + "\n")
        tally.judge(
            f"{k} réponses en double",
            estimate_ai_files(folder / "twice.jsonl").result()["totals"]["total_kgco2e"],
            once,
            False,
        )
        (folder / "more.jsonl").write_text("\n".join(lines[:k]) + "\n")
        result = estimate_ai_files([folder / "once.jsonl", folder / "more.jsonl"]).result()
        tally.judge(f"{k} réponses dans un second fichier", result["totals"]["total_kgco2e"], once, False)
    return tally


def totals_rows() -> Tally:
    """Totals rows of AI logs in many spellings: flagged, never counted."""
    from greenit.api import estimate_ai_files

    tally = Tally()
    folder = Path(tempfile.mkdtemp(prefix="greenit-totaux-"))
    labels = [
        "Total",
        "TOTAL",
        "Total :",
        "Sous-total",
        "Sous total GPU",
        "Total général",
        "Grand total",
        "Totaux",
        "Somme",
        "SUM",
        "Subtotal",
        "total 2025",
        "Total Chatbot citoyen",
        "Total des runs",
        "Total général HT",
    ]
    for i, label in enumerate(labels):
        log = folder / f"t{i}.csv"
        log.write_text(
            "Service;Modèle;Requêtes;Jetons de sortie\nA;mistral-small-2503;100;40000\n"
            f"{label};mistral-small-2503;100;40000\n"
        )
        result = estimate_ai_files(log).result()
        alone = folder / "alone.csv"
        alone.write_text("Service;Modèle;Requêtes;Jetons de sortie\nA;mistral-small-2503;100;40000\n")
        truth = estimate_ai_files(alone).result()["totals"]["total_kgco2e"]
        tally.judge(f"ligne « {label} »", result["totals"]["total_kgco2e"], truth, False)
    return tally


CLASSES = {
    f.__name__: f
    for f in (headers, tokens, numbers, plausibility, ai_units, periods, duplicates, totals_rows)
}

if __name__ == "__main__":
    print(json.dumps(CLASSES[sys.argv[1]]().to_json(), ensure_ascii=False))
