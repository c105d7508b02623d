"""French (default) and English labels for console, charts and report."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "category": {"fr": "Catégorie", "en": "Category"},
    "entity": {"fr": "Direction / service", "en": "Department"},
    "quantity": {"fr": "Qté", "en": "Qty"},
    "manufacture": {"fr": "Fabrication", "en": "Manufacture"},
    "use": {"fr": "Usage", "en": "Use"},
    "end_of_life": {"fr": "Fin de vie", "en": "End of life"},
    "total": {"fr": "Total", "en": "Total"},
    "range": {"fr": "Fourchette", "en": "Range"},
    "energy": {"fr": "Électricité", "en": "Electricity"},
    "rows_summary": {
        "fr": "{rows_in} lignes lues : {rows_estimated} estimées, {rows_flagged} signalées",
        "en": "{rows_in} rows read: {rows_estimated} estimated, {rows_flagged} flagged",
    },
    "footprint_title": {
        "fr": "Empreinte carbone annuelle {year} (kgCO2e/an, méthode {method})",
        "en": "Yearly carbon footprint {year} (kgCO2e/yr, {method} method)",
    },
    "flagged_title": {"fr": "Lignes signalées", "en": "Flagged rows"},
    "more_flagged": {
        "fr": "… et {n} autres (voir --rows-out)",
        "en": "… and {n} more (see --rows-out)",
    },
    "defaults_note": {
        "fr": "Valeurs par défaut des tables : durée de vie {lifespan}, énergie {energy}, "
        "date d'achat inconnue {purchase_date} lignes",
        "en": "Table defaults used: lifespan {lifespan}, energy {energy}, "
        "unknown purchase date {purchase_date} rows",
    },
    "factors_note": {
        "fr": "Facteurs d'émission version {version}",
        "en": "Emission factors version {version}",
    },
    "method_amortised": {"fr": "amorti", "en": "amortised"},
    "method_flux": {"fr": "flux", "en": "flux"},
}


PHASES = {
    "training": {"fr": "entraînement", "en": "training"},
    "fine-tuning": {"fr": "ajustement (fine-tuning)", "en": "fine-tuning"},
    "inference": {"fr": "inférence", "en": "inference"},
    "evaluation": {"fr": "évaluation", "en": "evaluation"},
    "other": {"fr": "autre", "en": "other"},
}


def phase_label(phase: object, lang: str = "fr") -> str:
    return PHASES.get(str(phase), {}).get(lang, str(phase))


def label(key: str, lang: str = "fr", **values: object) -> str:
    text = LABELS.get(key, {}).get(lang) or LABELS.get(key, {}).get("fr") or key
    return text.format(**values) if values else text


def format_number(value: float, lang: str = "fr", decimals: int = 0) -> str:
    """12345.6 → '12 346' (fr, narrow no-break space) or '12,346' (en)."""
    text = f"{value:,.{decimals}f}".replace("-", "\u2212")  # a true minus sign
    if lang == "fr":
        return text.replace(",", "\u202f").replace(".", ",")
    return text


def category_label(category: str, devices_table, lang: str = "fr") -> str:
    column = "label_fr" if lang == "fr" else "label_en"
    if category in devices_table.index and isinstance(devices_table.at[category, column], str):
        return devices_table.at[category, column]
    return str(category)
