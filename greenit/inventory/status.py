"""Equipment status labels (GLPI Statut, G4IT statut, free text) → what the model does with them."""

from __future__ import annotations

import pandas as pd

from greenit.parsing.text import fold

STATUS_WORDS: list[tuple[str, tuple[str, ...]]] = [
    (
        "reused",
        (
            "reemploi",
            "reemploye",
            "reutilise",
            "reutilisation",
            "donne",
            "don",
            "vendu",
            "cede",
            "reused",
            "donated",
            "sold",
            "re employ",
        ),
    ),
    (
        "retired",
        (
            "reforme",
            "retired",
            "hors service",
            "rebut",
            "recycle",
            "retire",
            "detruit",
            "decommissioned",
            "disposed",
            "hors d usage",
            "a reformer",
            "perdu",
            "vole",
            "lost",
            "stolen",
            "end of life",
            "fin de vie",
        ),
    ),
    (
        "stock",
        (
            # G4IT: equipment kept but not in use (« Not used », « inactif »)
            "not used",
            "unused",
            "not in use",
            "non utilise",
            "inutilise",
            "inactif",
            "inactive",
            "stock",
            "spare",
            "reserve",
            "a deployer",
            "to deploy",
            "reparation",
            "repair",
            "maintenance",
            "en attente",
            "pending",
            "magasin",
        ),
    ),
    (
        "in_service",
        (
            "en service",
            "in service",
            "production",
            "actif",
            "active",
            "in use",
            "utilise",
            "utilisation",
            "deploye",
            "deployed",
            "pret",
            "affecte",
            "assigned",
            "operational",
            "en fonctionnement",
            "used",
        ),
    ),
]


def status_kind(label: object) -> str:
    """Equipment status label (GLPI Statut, free text) → in_service | stock | retired | reused | unknown.

    ``reused`` is equipment sent to réemploi / réutilisation (donated, sold, reused): it left
    the fleet but counts in the AGEC reuse rate.
    """
    if label is None or label is pd.NA:
        return "in_service"
    folded = f" {fold(label)} "
    if folded.strip() == "":
        return "in_service"
    for kind, words in STATUS_WORDS:
        if any(f" {word} " in folded for word in words):
            return kind
    return "unknown"
