"""G4IT (Sopra Steria / DINUM) and NumEcoEval: the State's templates for a digital footprint.

- **Physical equipment** (G4IT's information-system template, NumEcoEval's CSV): ``;``, UTF-8,
  camelCase headers (``nomEquipementPhysique;modele;quantite;…``). Dates ``yyyy-MM-dd``,
  ``dd/MM/yyyy``, ``yyyyMMdd`` or ``yyyy/MM/dd`` (G4IT's loader accepts the four,
  :mod:`greenit.parsing.dates`); ``consoElecAnnuelle`` in kWh/year; ``nbJourUtiliseAn`` in days
  of use per year (hours only with an hours-per-day assumption neither tool defines);
  NumEcoEval's ``dureeUsageInterne``, ``dureeUsageAmont``, ``dureeUsageAval`` in **years** (its
  data model: the device's life within the organisation, before it, after it). ``statut`` is free
  text; seen in G4IT's files: ``In use``, ``In stock``, ``Retired``, ``Not used``, ``actif``,
  ``inactif`` (:mod:`greenit.inventory.status`).
- **AI parameters** of a digital service (G4IT's EcoMind export ``ai_parameters.csv``): UTF-8
  BOM, ``;``, ``modelName;nbParameters;…;totalGeneratedTokens``; ``nbParameters`` as written
  (``8b``), read as a hosted-AI usage log.

References
----------
teamg4it/g4it commit ``57b9a16467c6f301b01eaf66e191664019edd1bc`` (templates,
``csv-headers.yml``, ``CsvUtils``), NumEcoEval ``expositiondonneesentrees-openapi.yml``; see
``tests/fixtures/real/README.md``.
"""

from __future__ import annotations

from greenit.parsing.formats import Format

#: The physical-equipment headers greenit reads, as G4IT and NumEcoEval write them.
EQUIPMENT_HEADERS = {
    "nomEquipementPhysique": "name",
    "modele": "model",
    "quantite": "quantity",
    "nomCourtDatacenter": "site",
    "dateAchat": "purchase_date",
    "dateRetrait": "retirement_date",
    "dureeUsageInterne": "lifespan_years",
    "dureeUsageAmont": "upstream_use_years",
    "dureeUsageAval": "downstream_use_years",
    "type": "category",
    "statut": "status",
    "paysDUtilisation": "country",
    "consoElecAnnuelle": "annual_kwh",
    "nomEntite": "entity",
    "nbJourUtiliseAn": "use_days_per_year",
    "fabricant": "manufacturer",
}

#: Spellings only these templates write (header words once camelCase is split).
EQUIPMENT_ALIASES = {
    "name": ["nom equipement physique"],
    "site": ["nom court datacenter"],
    # NumEcoEval: the organisation's own use, in years (« l'âge de l'équipement (en années)
    # au sein de l'organisation », its data model)
    "lifespan_years": ["duree usage interne"],
    # NumEcoEval: the device's lives before the organisation (first owner) and after it, in years
    "upstream_use_years": ["duree usage amont", "upstream use duration", "duree d usage anterieure"],
    "downstream_use_years": ["duree usage aval", "downstream use duration", "duree d usage posterieure"],
    # G4IT's documentation template: days of use per year
    "use_days_per_year": ["nb jour utilise an"],
}

#: The AI-parameters headers greenit reads (a hosted-AI usage log).
AI_HEADERS = {
    "modelName": "model",
    "nbParameters": "parameters",
    "quantization": "quantization",
    "totalGeneratedTokens": "output_tokens",
    "numberUserYear": "users",
    "averageNumberRequest": "requests_per_user",
}


def recognises(headers: list[str]) -> bool:
    """A G4IT or NumEcoEval physical-equipment file: its ``nomEquipementPhysique`` column."""
    return "nomEquipementPhysique" in headers


def recognises_ai(headers: list[str]) -> bool:
    """G4IT's AI parameters: ``modelName`` and ``nbParameters``."""
    return {"modelName", "nbParameters"} <= set(headers)


FORMATS = (
    Format(
        key="g4it",
        name="G4IT / NumEcoEval physical equipment",
        kind="inventory",
        files="CSV (`;`, UTF-8)",
        recognised_by="its camelCase headers: `nomEquipementPhysique`, `quantite`, `dateAchat`…",
        headers=EQUIPMENT_HEADERS,
        aliases=EQUIPMENT_ALIASES,
        fixtures=("g4it_physical_equipment.csv", "numecoeval_physical_equipment.csv"),
        recognises=recognises,
    ),
    Format(
        key="g4it_ai",
        name="G4IT EcoMind AI parameters",
        kind="hosted_usage",
        files="CSV (`;`, UTF-8 with BOM)",
        recognised_by="`modelName`, `nbParameters`, `totalGeneratedTokens` (a usage log: a model and "
        "tokens, no duration)",
        headers=AI_HEADERS,
        fixtures=("g4it_ai_parameters.csv",),
        recognises=recognises_ai,
    ),
)
