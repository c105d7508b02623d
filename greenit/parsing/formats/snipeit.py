"""Snipe-IT asset exports: Reports → Custom Asset Report, and the assets list's « Export ».

Read in Snipe-IT's own code (snipe/snipe-it 5aa5c480, ``tests/fixtures/real/README.md``):

- **Status** is ``<status label> (<meta>)`` in the custom report, the meta in English and lower
  case whatever the language: ``deployed`` when the asset is checked out to someone or something,
  else its label's type, ``deployable``, ``pending``, ``archived``, ``undeployable``. The label is
  the admin's own name (the English *Ready to Deploy*, *Pending*, *Archived* are created by a
  migration on every install): **the meta decides**, not the name — « Ready to Deploy
  (deployed) » is in service, « Archived (archived) » retired. The assets list's export shows the
  label, followed by « Déployé » / « Deployed » when the asset is checked out;
- **Purchased** (« Acheté ») is the purchase date, ``2021-04-08 00:00:00``; **Cost** (« Coût »)
  ``1,049.00`` or ``1.049,00`` as the admin's digit setting says;
- **Category** is the admin's own category name; its French header **« Сatégorie » begins with a
  Cyrillic С** (read as a C, :func:`greenit.parsing.text.fold`);
- the custom report's **« Type »** (« Type » with a trailing space in French) is the kind of the
  holder an asset is checked out to (``user``, ``location``, ``asset``), never a device type;
  « Checked Out » (« Date de libération » in French) is that holder's name;
- the assets list exports **one page** of the table (20 rows by default) and its footer: a last
  line of the page's cost sums, which is a totals row, flagged.
"""

from __future__ import annotations

import re

import pandas as pd

from greenit.parsing.formats import Format
from greenit.parsing.text import fold

#: Snipe-IT's status meta → what greenit does with the asset.
META_KINDS = {
    "deployed": "in_service",
    "deployable": "stock",
    "pending": "stock",
    "archived": "retired",
}
#: The labels every install has (a migration creates them in English), by their default meta.
DEFAULT_LABELS = {"ready to deploy": "stock", "pending": "stock", "archived": "retired"}
#: Labels of Snipe-IT's demonstration data, common in installs that kept them (undeployable).
DEFAULT_LABELS |= {"out for repair": "stock", "broken not fixable": "stock", "lost stolen": "retired"}
_META = re.compile(r"^(.*?)\s*\((deployed|deployable|pending|archived|undeployable)\)\s*$", re.IGNORECASE)
_DEPLOYED = re.compile(r"^(.*?)\s+(deploye|deployed)$")
#: The headers that say a file is Snipe-IT's (folded): its asset tag, in English or French.
SIGNATURE = ("asset tag", "etiquette de l actif")
#: Headers that are not what their words suggest (folded) → what greenit calls them instead.
RENAMED = {"type": "Type d'affectation (Snipe-IT)", "checked out": "Affecté à (Snipe-IT)"}

#: Its headers (EN and FR) → the canonical columns they give; « Status » by its meta, « Type »
#: and « Checked Out » renamed (they describe who holds the asset).
HEADERS = {
    "Asset Name": "name",
    "Nom de l'actif": "name",
    "Model": "model",
    "Modèle": "model",
    "Category": "category",
    "Сatégorie": "category",
    "Manufacturer": "manufacturer",
    "Fabricant": "manufacturer",
    "Serial": "serial",
    "Numéro de série": "serial",
    "Purchased": "purchase_date",
    "Acheté": "purchase_date",
    "Company": "entity",
    "Compagnie": "entity",
    "Location": "site",
    "Lieu": "site",
    "Status": "status",
    "Statut": "status",
}
ALIASES = {
    "name": ["nom de l actif"],
    "purchase_date": ["purchased", "achete"],
    "entity": ["company", "compagnie"],
    "serial": ["serial", "numero de serie", "serie"],
}


def recognises(headers: list[str]) -> bool:
    """A Snipe-IT export: its asset tag column (« Asset Tag », « Étiquette de l'actif »)."""
    return any(fold(h) in SIGNATURE for h in headers)


def status_of(label: object) -> str | None:
    """What a Snipe-IT status cell means (``in_service``, ``stock``, ``retired``…), None when the
    cell says nothing Snipe-IT's own (left to greenit's status words).

    >>> [status_of(s) for s in ("Ready to Deploy (deployed)", "Ready to Deploy (deployable)",
    ...     "Archived (archived)", "Réformé (archived)", "Lost/Stolen (undeployable)",
    ...     "Out for Repair (undeployable)", "Ready to Deploy Déployé", "Ready to Deploy", "Archived")]
    ['in_service', 'stock', 'retired', 'retired', 'retired', 'stock', 'in_service', 'stock', 'retired']
    """
    if not isinstance(label, str) or not label.strip():
        return None
    meta = _META.match(label.strip())
    if meta:
        name, kind = meta.group(1), meta.group(2).lower()
        if kind != "undeployable":
            return META_KINDS[kind]
        lost = any(word in fold(name).split() for word in ("lost", "stolen", "perdu", "vole", "perdus"))
        return "retired" if lost else "stock"  # Broken, Out for Repair…: not in use
    folded = fold(label)
    if _DEPLOYED.match(folded):
        return "in_service"
    return DEFAULT_LABELS.get(folded)


def _totals_rows(raw: pd.DataFrame) -> list[int]:
    """The assets list's footer: a last line whose only cells are sums (numbers)."""
    data = [c for c in raw.columns if c not in ("file", "row", "line")]
    if not len(raw) or not data:
        return []
    last = raw.iloc[-1][data]
    given = [str(v) for v in last if isinstance(v, str) and v.strip()]
    numeric = all(re.fullmatch(r"[\d\s.,\u00a0\u202f-]+", v) for v in given)
    return [int(raw["row"].iloc[-1])] if given and numeric and len(given) < len(data) / 2 else []


def prepare(raw: pd.DataFrame) -> pd.DataFrame:
    """A Snipe-IT export as greenit reads it: the status by its meta, « Type » and « Checked Out »
    renamed (not a device type, not a name), the list export's footer a totals row.
    """
    renamed = {h: RENAMED[fold(h)] for h in raw.columns if fold(h) in RENAMED}
    out = raw.rename(columns=renamed)
    out.attrs = dict(raw.attrs)
    out.attrs["headers"] = [renamed.get(h, h) for h in raw.attrs.get("headers", list(raw.columns))]
    status = next((h for h in out.columns if fold(h) in ("status", "statut")), None)
    if status is not None:
        labels = pd.unique(out[status].dropna())
        out.attrs["status_kinds"] = {label: kind for label in labels if (kind := status_of(label))}
    out.attrs["totals_rows"] = _totals_rows(out)
    return out


FORMATS = (
    Format(
        key="snipeit",
        name="Snipe-IT asset exports (Custom Asset Report, assets list)",
        kind="inventory",
        files="CSV (`,`, UTF-8, BOM when asked; the list export: BOM, its page's footer)",
        recognised_by="its asset tag column (`Asset Tag`, `Étiquette de l'actif`)",
        headers=HEADERS,
        aliases=ALIASES,
        fixtures=(
            "snipeit_custom_report_en.csv",
            "snipeit_custom_report_fr.csv",
            "snipeit_assets_list_export_fr.csv",
        ),
        recognises=recognises,
        prepare=prepare,
    ),
)
