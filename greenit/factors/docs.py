"""The methodology (``docs/methodology.fr.md`` and ``.en.md``), generated from the factor tables.

Every figure the methodology states — grid factor, refurbished share, PUE, AI parameters,
equivalences, and each category's manufacture, lifespan, energy and sources — is read from
``emission_factors/`` when the document is rendered, so the text cannot drift from the tables.
The prose lives in ``templates/methodology.{fr,en}.md.j2`` (same sections, same content).

Usage::

    python -m greenit.factors.docs            # rewrite docs/methodology.fr.md and .en.md
    python -m greenit.factors.docs --check    # exit 1 if the committed documents are stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from greenit.factors.load import load_factors
from greenit.factors.plausible import category_ranges
from greenit.factors.rooms import ONSITE_PUE_ROW, SERVER_ROOM_CATEGORIES
from greenit.factors.tables import FactorSet, source_text
from greenit.i18n import text
from greenit.i18n.formats import format_number

LANGS = ("fr", "en")
_TEMPLATES = Path(__file__).resolve().parent / "templates"


def number(value: object, lang: str) -> str:
    r"""A table value as written in a document: exact, French or English separators.

    >>> number(1215.355, "fr"), number(1215.355, "en"), number(0.14225341, "en")
    ('1\u202f215,355', '1,215.355', '0.14225341')
    """
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "—"
    text = f"{float(str(value)):.8f}".rstrip("0").rstrip(".")
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", "\u202f" if lang == "fr" else ",")
    return sign + grouped + (("," if lang == "fr" else ".") + fraction if fraction else "")


def ranged(central: object, low: object, high: object, lang: str) -> str:
    """``central (low – high)``; the central alone when the table gives no range.

    >>> ranged(48, 29.0175, 197.1, "en"), ranged(400, float("nan"), float("nan"), "en")
    ('48 (29.0175 – 197.1)', '400')
    """
    if all(v is None or pd.isna(v) for v in (low, high)):
        return number(central, lang)
    low = central if low is None or pd.isna(low) else low
    high = central if high is None or pd.isna(high) else high
    return f"{number(central, lang)} ({number(low, lang)} – {number(high, lang)})"


def cell(value: object) -> str:
    """Text for a Markdown table cell: pipes escaped, missing as a dash."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return str(value).replace("|", "\\|").replace("\n", " ")


def sources_of(row: pd.Series, *columns: str) -> str:
    """The source ids a row cites in ``columns``, in order, without repeats."""
    ids: list[str] = []
    for column in columns:
        value = row.get(column)
        if isinstance(value, str):
            ids += [part.strip() for part in value.split(";") if part.strip() and part.strip() not in ids]
    return ", ".join(f"`{source_id}`" for source_id in ids) or "—"


def _context(factors: FactorSet) -> dict:
    devices = factors.devices
    ai = factors.table("ai_parameters")
    parameters = factors.table("parameters")
    return {
        "onsite": factors.table("pue").loc[ONSITE_PUE_ROW],
        "room_categories": [c for c in SERVER_ROOM_CATEGORIES if c in devices.index],
        "consumables": factors.table("consumables"),
        "services": factors.table("services"),
        "amortisation": factors.table("amortisation"),
        "ups": {
            name: parameters.loc[name] for name in ("ups_loss_share", "ups_load_share", "ups_rated_power")
        },
        "paper": {
            name: parameters.at[name, "value"]
            for name in ("paper_ream_kgco2e", "paper_reams_per_agent_month")
        },
        "national": {
            name: parameters.at[name, "value"]
            for name in ("national_digital_mtco2e", "national_digital_share", "national_data_centre_share")
        },
        "low_confidence": [c for c in devices.index if str(devices.at[c, "confidence"]).strip() == "low"]
        if "confidence" in devices.columns
        else [],
        "version": factors.version,
        "devices": devices,
        "categories": list(devices.index),
        "electricity": factors.electricity,
        "fra": factors.electricity.loc["FRA"],
        "regions": factors.table("cloud_regions"),
        "pue": factors.table("pue"),
        "accelerators": factors.table("accelerators"),
        "parameters": factors.table("parameters"),
        "ai_parameters": ai,
        "ai": {name: ai.at[name, "value"] for name in ai.index},
        "refurbished": factors.parameter("refurbished_manufacture_share"),
        "equivalences": factors.table("equivalences"),
        "genai_models": factors.table("genai_models"),
        "genai_references": factors.table("genai_references"),
        "genai_prices": factors.table("genai_prices"),
        "accelerator_prices": factors.table("accelerator_prices"),
        "sources": factors.sources,
        "plausibility": factors.table("plausibility"),
        "device_criteria": factors.table("device_criteria"),
        "electricity_criteria": factors.table("electricity_criteria"),
        "plausible": category_ranges(factors),
        "prices": factors.table("prices"),
        "electricity_price": factors.parameter("electricity_price"),
        "vat": factors.parameter("vat_rate"),
        "terminal_hours": devices.at["laptop", "use_hours_per_year"],
        "always_on_hours": devices.at["server", "use_hours_per_year"],
    }


def methodology(lang: str, factors: FactorSet | None = None) -> str:
    """The methodology document in ``lang`` ("fr" or "en"), rendered from the tables."""
    import jinja2

    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}")
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=False,  # Markdown, not HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["num"] = lambda value: number(value, lang)
    environment.filters["cell"] = cell
    environment.filters["sig"] = lambda value: "—" if pd.isna(value) else format_number(float(value), lang)
    environment.globals["ranged"] = lambda central, low, high: ranged(central, low, high, lang)
    environment.globals["sources_of"] = sources_of
    environment.globals["source_text"] = lambda row, kind: cell(source_text(row, kind, lang))
    template = environment.get_template(f"methodology.{lang}.md.j2")
    return template.render(**_context(factors or load_factors()))


def document_path(docs_dir: Path, lang: str) -> Path:
    return docs_dir / f"methodology.{lang}.md"


def stale_documents(docs_dir: Path, factors: FactorSet | None = None) -> list[Path]:
    """The methodology files in ``docs_dir`` that differ from what the tables give."""
    stale = []
    for lang in LANGS:
        path = document_path(docs_dir, lang)
        if not path.exists() or path.read_text(encoding="utf-8") != methodology(lang, factors):
            stale.append(path)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m greenit.factors.docs", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="folder of the methodology files")
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if a file is stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_documents(args.docs)
        for path in stale:
            print(text("factors.docs_stale", path=path), file=sys.stderr)
        return 1 if stale else 0
    args.docs.mkdir(parents=True, exist_ok=True)
    for lang in LANGS:
        document_path(args.docs, lang).write_text(methodology(lang), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
