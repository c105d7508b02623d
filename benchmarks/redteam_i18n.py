"""French and English never mix; French plurals agree (« 1 ligne lue », never « 1 lignes lus »).

Inputs hold data in the output's own language (so a French word in an English output comes
from greenit, not from the file). What is checked: console, errors, JSON reasons, the report's
text, XLSX sheets and headers, ``--help``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from redteam_kit import case, greenit, verdict, write

#: words that are English and not French (nor greenit identifiers such as canonical columns)
ENGLISH = {
    "the",
    "and",
    "of",
    "row",
    "rows",
    "read",
    "estimated",
    "flagged",
    "file",
    "files",
    "column",
    "columns",
    "not",
    "is",
    "are",
    "with",
    "without",
    "from",
    "unknown",
    "missing",
    "error",
    "warning",
    "values",
    "year",
    "used",
    "ignored",
    "please",
    "check",
    "should",
    "must",
    "cannot",
    "could",
    "expected",
    "got",
    "invalid",
    "number",
    "only",
    "each",
    "every",
    "than",
    "this",
    "that",
    "which",
    "when",
    "where",
    "there",
    "given",
    "found",
    "such",
    "no",
    "yes",
    "nan",
    "none",
    "true",
    "false",
    "space",
    "left",
    "device",
    "permission",
    "denied",
    "directory",
    "line",
    "lines",
    "sheet",
    "total",
    "devices",
    "requests",
}
ENGLISH -= {"total"}  # the same word in French
#: words that are French and not English
FRENCH = {
    "ligne",
    "lignes",
    "lue",
    "lues",
    "estimée",
    "estimées",
    "signalée",
    "signalées",
    "colonne",
    "colonnes",
    "fichier",
    "fichiers",
    "année",
    "valeur",
    "valeurs",
    "inconnu",
    "inconnue",
    "erreur",
    "attention",
    "les",
    "des",
    "une",
    "est",
    "pas",
    "aucun",
    "aucune",
    "pour",
    "avec",
    "sans",
    "dans",
    "sur",
    "par",
    "du",
    "au",
    "aux",
    "et",
    "ou",
    "non",
    "oui",
    "été",
    "à",
    "équipements",
    "équipement",
    "feuille",
    "introuvable",
    "durée",
    "vie",
    "fabrication",
    "fin",
    "électricité",
    "méthode",
    "amortie",
    "catégorie",
}
IDENTIFIERS = {
    "category",
    "quantity",
    "entity",
    "site",
    "status",
    "model",
    "manufacturer",
    "name",
    "purchase_date",
    "lifespan_years",
    "power_w",
    "annual_kwh",
    "country",
    "refurbished",
    "item_type",
    "laptop",
    "monitor",
    "server",
    "desktop",
    "amortised",
    "flux",
    "inference",
    "training",
    "other",
    "json",
    "csv",
    "xlsx",
    "fr",
    "en",
}
PLURAL_FR = re.compile(
    r"(?<![\d\u202f\u00a0 ,.])(?<!\d[\u202f\u00a0 ])\b[01](?:,\d+)?[\s\u00a0\u202f]"
    r"(lignes|estimées|signalées|lues|"
    r"équipements|fichiers|colonnes|valeurs|runs|requêtes|agents|jours|années|heures|appareils|lus|estimés|"
    r"signalés)\b"
)
PLURAL_EN = re.compile(
    r"(?<![\d,.])(?<!\d[ ,])\b1[\s\u00a0](rows|devices|files|columns|values|runs|requests|"
    r"agents|days|years|hours|lines)\b"
)

FR_FILE = (
    "Nom;Type;Quantité;Service;Date d'achat\nPC-1;portable;3;RH;01-01-2020\nX-2;cafetière;1;RH;31-02-2019\n"
)
EN_FILE = (
    "Name;Type;Quantity;Department;Purchase date\nPC-1;laptop;3;HR;2020-01-01\n"
    "X-2;coffee maker;1;HR;2019-02-31\n"
)
ONE_FILE = {"fr": "Type;Quantité\nportable;1\n", "en": "Type;Quantity\nlaptop;1\n"}


def words(text: str) -> list[str]:
    # paths, URLs and option names are not words
    text = re.sub(r"(/[\w.\-/]+)|(https?://\S+)|(--[\w-]+)", " ", text)
    return re.findall(r"[A-Za-zÀ-ÿ]+", text)


def intruders(text: str, lang: str) -> list[str]:
    foreign = ENGLISH if lang == "fr" else FRENCH
    found = [w for w in words(text) if w.lower() in foreign and w.lower() not in IDENTIFIERS]
    if lang == "en":
        found += re.findall(r"[«»]|\b\w*[éèêàçù]\w*\b", re.sub(r"(/[\w.\-/]+)", " ", text))
    return sorted(set(found))


def plural_errors(text: str, lang: str) -> list[str]:
    pattern = PLURAL_FR if lang == "fr" else PLURAL_EN
    return sorted({m.group(0) for m in pattern.finditer(text)})


def _mixed_case(name: str, lang: str, command: list[str], make_file=None, source: str = "out+err") -> None:
    @case("i18n", f"{lang}: {name}", f"no {'English' if lang == 'fr' else 'French'} word, plurals agree")
    def check(tmp: Path) -> tuple[bool, str]:
        path = (
            write(tmp / "parc.csv", FR_FILE if lang == "fr" else EN_FILE)
            if make_file is None
            else make_file(tmp)
        )
        args = [a.replace("{file}", str(path)).replace("{tmp}", str(tmp)) for a in command]
        if "--help" in args:
            r = greenit(*args)
        elif "--" in args:
            r = greenit(*args[: args.index("--")], "--lang", lang, *args[args.index("--") :])
        else:
            r = greenit(*args, "--lang", lang)
        text = (r.out if "out" in source else "") + (r.err if "err" in source else "")
        if source.startswith("json:"):
            data = json.loads(r.out)
            text = " ".join(str(f.get("reason", "")) for f in data.get("flagged", []))
        if source.startswith("file:"):
            text = (tmp / source[5:]).read_text(encoding="utf-8-sig")
            if source.endswith(".html"):
                text = re.sub(r"<style.*?</style>|<svg.*?</svg>|<[^>]+>", " ", text, flags=re.S)
        if source.startswith("xlsx:"):
            import openpyxl

            book = openpyxl.load_workbook(tmp / source[5:])
            text = (
                " ".join(book.sheetnames)
                + " "
                + " ".join(
                    str(c.value)
                    for s in book.worksheets
                    for row in s.iter_rows(max_row=60)
                    for c in row
                    if isinstance(c.value, str)
                    and c.column_letter not in ("A",)
                    or (isinstance(c.value, str) and c.row == 1)
                )
            )
        bad = intruders(text, lang)
        plural = plural_errors(text, lang)
        problem = "; ".join(
            filter(
                None,
                [f"foreign words: {bad[:12]}" if bad else "", f"plurals: {plural[:6]}" if plural else ""],
            )
        )
        return verdict(problem or None, f"exit {r.code}, {len(text)} chars")


for lang in ("fr", "en"):
    _mixed_case("estimate console", lang, ["estimate", "{file}"])
    _mixed_case(
        "estimate console, one row",
        lang,
        ["estimate", "{file}"],
        make_file=lambda tmp, lang=lang: write(tmp / "un.csv", ONE_FILE[lang]),
    )
    _mixed_case("estimate JSON reasons", lang, ["estimate", "{file}", "--json"], source="json:")
    _mixed_case("estimate, a missing file", lang, ["estimate", "{tmp}/absent.csv"])
    _mixed_case(
        "estimate, a binary file",
        lang,
        ["estimate", "{file}"],
        make_file=lambda tmp: write(tmp / "b.csv", b"\x00\x01" * 100),
    )
    _mixed_case(
        "estimate, a file with only a BOM",
        lang,
        ["estimate", "{file}"],
        make_file=lambda tmp: write(tmp / "b.csv", b"\xef\xbb\xbf"),
    )
    _mixed_case(
        "estimate, an unclosed quote",
        lang,
        ["estimate", "{file}"],
        make_file=lambda tmp: write(tmp / "q.csv", 'Type;Quantité\n"portable;1\n'),
    )
    _mixed_case(
        "estimate, a CSV named .xlsx",
        lang,
        ["estimate", "{file}"],
        make_file=lambda tmp: write(tmp / "q.xlsx", "Type;Quantité\nportable;1\n"),
    )
    _mixed_case("estimate, rows-out to /dev/full", lang, ["estimate", "{file}", "--rows-out", "/dev/full"])
    _mixed_case("estimate, --grid-factor abc", lang, ["estimate", "{file}", "--grid-factor", "abc"])
    _mixed_case("estimate, --grid-factor 5 kg", lang, ["estimate", "{file}", "--grid-factor", "5 kg"])
    _mixed_case("estimate, --year 99", lang, ["estimate", "{file}", "--year", "99"])
    _mixed_case("estimate, no file", lang, ["estimate"])
    _mixed_case(
        "estimate XLSX", lang, ["estimate", "{file}", "--xlsx-out", "{tmp}/r.xlsx"], source="xlsx:r.xlsx"
    )
    _mixed_case("scenario console", lang, ["scenario", "{file}", "-s", "lifespan+2", "-s", "reuse=50%"])
    _mixed_case("scenario, a bad lever", lang, ["scenario", "{file}", "-s", "lifespan+x"])
    _mixed_case(
        "ai estimate console",
        lang,
        ["ai", "estimate", "{file}"],
        make_file=lambda tmp: write(
            tmp / "runs.csv", "run_id;project;duration;accelerator\na;chat;2 h;A100\nb;chat;-1 h;A100\n"
        ),
    )
    _mixed_case(
        "ai estimate, no log at all",
        lang,
        ["ai", "estimate", "{file}"],
        make_file=lambda tmp, lang=lang: write(tmp / "runs.csv", ONE_FILE[lang]),
    )
    _mixed_case("report text", lang, ["report", "{file}", "--out", "{tmp}/o"], source="file:o/report.html")
    _mixed_case(
        "factors validate of a bad table",
        lang,
        ["factors", "validate", "{file}"],
        make_file=lambda tmp: write(tmp / "f" / "devices.csv", "category,label_fr\nlaptop,x\n").parent,
    )
    _mixed_case("track, a missing log folder", lang, ["track", "--log", "{tmp}/no/runs.csv", "--", "true"])

_mixed_case("estimate --help", "fr", ["estimate", "--help"])
_mixed_case("track --help", "fr", ["track", "--help"])
_mixed_case("ai estimate --help", "fr", ["ai", "estimate", "--help"])
_mixed_case("estimate --help", "en", ["estimate", "--help", "--lang", "en"])
