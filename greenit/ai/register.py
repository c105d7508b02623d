"""The town's register of AI systems (AFNOR Spec 2314's register of AI services), read and checked.

One line per AI system: its ``name``, ``purpose``, ``supplier``, the town's ``role`` under the
AI Act (deployer or provider), the ``risk_class`` the town declares (minimal, limited, high,
unacceptable, general-purpose), and ``measured_by`` — the run or usage log, or the plan, that
measures it (a path relative to the register, ``#NAME`` after it to pick a project, service or
option). French and English headers and values are read (« Nom ; Finalité ; Fournisseur ;
Rôle ; Classe de risque ; Mesure »).

Each system gets the obligations a town should check (:func:`obligations`): transparency towards
the people who talk to a chatbot (AI Act art. 50), a fundamental-rights impact assessment before
a body governed by public law deploys a high-risk system (art. 27, from 2 August 2026 — a
proposal would postpone it to December 2027), a prohibited practice (art. 5), a provider's own
duties. These are reminders to check with the town's lawyer, not a legal qualification.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from greenit.errors import InputFileError
from greenit.i18n import Message, msg
from greenit.parsing.headers import map_headers
from greenit.parsing.readers import data_headers, read_table
from greenit.parsing.text import fold

#: canonical column → header spellings (French and English)
REGISTER_ALIASES: dict[str, list[str]] = {
    "name": ["name", "nom", "systeme", "systeme d ia", "system", "ai system", "service"],
    "purpose": ["purpose", "finalite", "usage", "objet", "use"],
    "supplier": ["supplier", "fournisseur", "prestataire", "editeur", "vendor"],
    "role": ["role", "role de la collectivite", "role ai act", "town role"],
    "risk_class": ["risk class", "classe de risque", "niveau de risque", "risque", "risk", "risk level"],
    "measured_by": ["measured by", "mesure", "mesure par", "mesuree par", "journal", "plan", "log", "source"],
}
#: folded values → canonical role
ROLES = {
    "deployer": "deployer",
    "deployeur": "deployer",
    "utilisateur": "deployer",
    "user": "deployer",
    "provider": "provider",
    "fournisseur": "provider",
}
#: folded values → canonical risk class
RISK_CLASSES = {
    "minimal": "minimal",
    "minime": "minimal",
    "minimal risk": "minimal",
    "risque minimal": "minimal",
    "limited": "limited",
    "limite": "limited",
    "limited risk": "limited",
    "risque limite": "limited",
    "transparence": "limited",
    "transparency": "limited",
    "high": "high",
    "haut": "high",
    "eleve": "high",
    "high risk": "high",
    "haut risque": "high",
    "risque eleve": "high",
    "unacceptable": "unacceptable",
    "inacceptable": "unacceptable",
    "interdit": "unacceptable",
    "prohibited": "unacceptable",
    "gpai": "general_purpose",
    "general purpose": "general_purpose",
    "usage general": "general_purpose",
    "a usage general": "general_purpose",
}
#: words of a name or purpose that say people talk to the system (AI Act art. 50)
CHAT_WORDS = (
    "chatbot",
    "bot",
    "chat",
    "assistant",
    "agent conversationnel",
    "conversation",
    "conversationnel",
    "voicebot",
)


def read_register(path: str | Path) -> pd.DataFrame:
    """The register file (CSV, XLSX…) → one row per system: the canonical columns, ``line``, and
    ``reason`` where a value cannot be read (an unknown role or risk class: never guessed).
    """
    path = Path(path)
    raw = read_table(path)
    headers = map_headers(data_headers(raw), REGISTER_ALIASES)
    if "name" not in headers:
        raise InputFileError.of(
            "aigov.register.no_name", path=str(path), columns=", ".join(data_headers(raw))[:200]
        )
    out = pd.DataFrame({"line": raw["line"].to_numpy()})
    for column in REGISTER_ALIASES:
        match = headers.get(column)
        values = raw[match.header] if match is not None else pd.Series([None] * len(raw))
        cells = [str(v).strip() if isinstance(v, str) and str(v).strip() else None for v in values]
        out[column] = pd.Series(cells, dtype=object)
    out["role_key"] = pd.Series([ROLES.get(fold(v)) if v else None for v in out["role"]], dtype=object)
    out["risk_key"] = pd.Series(
        [RISK_CLASSES.get(fold(v)) if v else None for v in out["risk_class"]], dtype=object
    )
    out["reason"] = pd.Series([_reason(row) for row in out.itertuples(index=False)], dtype=object)
    out.attrs["path"] = str(path)
    return out


def _reason(row) -> Message | None:
    if row.name is None:
        return msg("aigov.register.flag.no_name")
    if row.role is not None and row.role_key is None:
        return msg("aigov.register.flag.unknown_role", value=row.role)
    if row.risk_class is not None and row.risk_key is None:
        return msg("aigov.register.flag.unknown_risk", value=row.risk_class)
    return None


def is_chatbot(name: object, purpose: object) -> bool:
    """Whether people talk to the system (a chatbot, a conversational assistant), by its words."""
    words = f" {fold(name or '')} {fold(purpose or '')} "
    return any(f" {word} " in words for word in CHAT_WORDS)


def obligations(role: str | None, risk: str | None, chatbot: bool) -> list[str]:
    """The AI Act duties a town should check for one system (catalogue keys ``aigov.obligation.*``)."""
    keys = []
    if risk == "unacceptable":
        keys.append("prohibited")
    if chatbot or risk == "limited":
        keys.append("transparency")
    if risk == "high" and role in (None, "deployer"):
        keys.append("fria")
    if risk == "high" and role == "provider":
        keys.append("high_risk_provider")
    if risk == "general_purpose" and role == "provider":
        keys.append("gpai_provider")
    if risk is None:
        keys.append("classify")
    keys.append("register")
    return keys


def measure_reference(text: str | None, register: str | Path) -> tuple[Path | None, str | None]:
    """``journal_ia.csv#Tri du courrier`` → (the file, beside the register; the name picked)."""
    if not isinstance(text, str) or not text.strip():
        return None, None
    file, _, name = text.partition("#")
    path = Path(file.strip())
    if not path.is_absolute():
        path = Path(register).parent / path
    return path, (name.strip() or None)
