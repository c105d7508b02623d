"""Microsoft Intune: Devices → All devices → « Export » (the ``DevicesWithInventory`` report).

Its columns are those Microsoft's documentation lists for that report (MicrosoftDocs/memdocs
c1e719b1, ``reports-export-graph-available-reports.md``; ``tests/fixtures/real/README.md``):
``Device ID, Device name, Enrollment date, Last check-in, … Serial number, Manufacturer, Model,
… Category, … Ownership, … OS …``. What they mean for a footprint:

- **« Category » is Intune's *device category***: a label an administrator creates and a user
  picks at enrolment (« Élus », « Police municipale »), an organisational unit — **never the
  kind of device**. It is read as the entity, and the category is decided from **``OS`` and
  ``Model``**: ``iOS/iPadOS`` and an iPhone → smartphone, an iPad → tablet; ``Android…`` →
  smartphone, a Samsung Galaxy Tab (``SM-T…``, ``SM-X…``, ``SM-P…``) → tablet; ``macOS`` and a
  MacBook → laptop, an iMac → all-in-one, a Mac mini, Studio or Pro → desktop; Windows → from
  the model's name (« HP EliteBook 840 G8 Notebook PC »), else ``--default-category``. Each
  decision is noted on its row;
- Windows reports Lenovo's **machine-type-model** (``20W0CTO1WW``: 4 characters of machine type,
  4 of model, 2 of country) and Android Samsung's **model codes** (``SM-A536B``): neither names a
  kind of device that greenit could look up without a sourced table; a Lenovo code without one is
  said (its machine type) and left to ``--default-category``;
- a **Windows 365 Cloud PC** (« Cloud PC Enterprise 2vCPU/8GB/128GB » by Microsoft Corporation)
  is a virtual desktop in Microsoft's data centres, not the town's hardware: flagged;
- ``Ownership`` ``Personal`` is a **personal device** enrolled to reach work mail (BYOD): not the
  town's equipment, flagged;
- a device re-enrolled (reset, reinstalled) appears once per enrolment **with the same serial
  number**: the latest enrolment is counted, the others flagged;
- dates ``0001-01-01 00:00:00.0000000`` (never) and ``9999-12-31 …`` (no grace period) are
  Intune's « none »; the enrolment date is no purchase date (Intune has none: said).
"""

from __future__ import annotations

import re

import pandas as pd

from greenit.i18n import msg
from greenit.parsing.formats import Format
from greenit.parsing.text import fold

#: Columns only Intune's device export has together (folded).
SIGNATURE = frozenset({"device name", "enrollment date", "ownership"})
#: Samsung's model codes of its Galaxy Tab tablets (the others are phones).
SAMSUNG_TABLETS = re.compile(r"^SM-[TXP]\d", re.IGNORECASE)
#: Lenovo's machine-type-model: 4 characters of machine type, 4 of model, 2 of country.
LENOVO_MTM = re.compile(r"^([0-9]{2}[0-9A-Z]{2})[0-9A-Z]{4}[0-9A-Z]{2}$")
DERIVED = "Type (Intune : OS et modèle)"

HEADERS = {
    "Device name": "name",
    "Serial number": "serial",
    "Manufacturer": "manufacturer",
    "Model": "model",
    "Category": "entity (an admin's label, never the device type)",
    "OS": "category, with Model",
    "Ownership": "Personal: a personal device (BYOD), flagged",
    "Enrollment date": "the latest enrolment of a serial number counted",
}
ALIASES = {"serial": ["serial number"]}


def recognises(headers: list[str]) -> bool:
    """An Intune devices export: ``Device name``, ``Enrollment date`` and ``Ownership``."""
    return SIGNATURE <= {fold(h) for h in headers}


def kind_from(system: object, maker: object, model: object) -> tuple[str | None, str]:
    """(category, why) from Intune's ``OS``, ``Manufacturer`` and ``Model``; (None, why) when they
    do not say (``why``: ``cloud_pc``, ``lenovo_mtm``, or empty).

    >>> kind_from("iOS/iPadOS", "Apple", "iPad (9th generation)")
    ('tablet', 'os')
    >>> kind_from("Android (Dedicated)", "samsung", "SM-G525F")
    ('smartphone', 'os')
    >>> kind_from("Windows", "LENOVO", "20W0CTO1WW"), kind_from("Windows", "Microsoft", "Cloud PC Enterprise")
    ((None, 'lenovo_mtm'), (None, 'cloud_pc'))
    """
    os_name, name = fold(system), str(model or "").strip()
    folded = fold(name)
    if folded.startswith("cloud pc"):
        return None, "cloud_pc"
    if os_name.startswith(("ios", "ipados")):
        return (
            "tablet" if folded.startswith("ipad") else "smartphone" if folded.startswith("iphone") else None
        ), "os"
    if os_name.startswith(("android", "aosp")):
        return ("tablet" if SAMSUNG_TABLETS.match(name) else "smartphone"), "os"
    if os_name.startswith("macos"):
        if folded.startswith("macbook"):
            return "laptop", "os"
        if folded.startswith("imac"):
            return "all_in_one", "os"
        if folded.startswith(("mac mini", "mac studio", "mac pro")):
            return "desktop", "os"
    if fold(maker) == "lenovo" and LENOVO_MTM.match(name.upper()):
        return None, "lenovo_mtm"
    return None, ""


def prepare(raw: pd.DataFrame) -> pd.DataFrame:
    """Intune's devices: the category from OS and model, « Category » read as the entity, Cloud
    PCs, personal devices and earlier enrolments of one serial flagged.
    """
    out = raw.copy()
    column = {fold(h): h for h in out.columns}
    reasons: dict[int, list] = dict(raw.attrs.get("row_reasons") or {})
    notes: dict[int, list] = {}
    kinds = []
    for position in range(len(out)):
        row = int(out["row"].iloc[position]) - 1
        cells = {
            k: out[column[k]].iloc[position] if k in column else None for k in ("os", "manufacturer", "model")
        }
        kind, why = kind_from(cells["os"], cells["manufacturer"], cells["model"])
        kinds.append(kind)
        if why == "cloud_pc":
            reasons.setdefault(row, []).append(msg("formats.intune.cloud_pc", model=cells["model"]))
        elif why == "lenovo_mtm":
            notes.setdefault(row, []).append(msg("formats.intune.lenovo_mtm", model=cells["model"]))
        elif kind is not None:
            notes.setdefault(row, []).append(
                msg("formats.intune.kind_from_os", os=cells["os"], model=cells["model"])
            )
        if fold(out[column["ownership"]].iloc[position]) == "personal":
            reasons.setdefault(row, []).append(msg("formats.intune.personal"))
    _earlier_enrolments(out, column, reasons)
    out[DERIVED] = kinds
    out.attrs = dict(raw.attrs)
    out.attrs["headers"] = [*raw.attrs.get("headers", list(raw.columns)), DERIVED]
    out.attrs.update(row_reasons=reasons, row_notes=notes)
    if "category" in column:  # the admin's label: an organisational unit, never the device type
        out.attrs["format_columns"] = {column["category"]: "entity"}
    out.attrs["file_notes"] = [*raw.attrs.get("file_notes", []), msg("formats.intune.read")]
    return out


def _earlier_enrolments(out: pd.DataFrame, column: dict[str, str], reasons: dict[int, list]) -> None:
    """A serial number enrolled several times: its latest enrolment counted, the others flagged."""
    if "serial number" not in column or "enrollment date" not in column:
        return
    serials = out[column["serial number"]].astype("string").str.strip()
    enrolled = pd.to_datetime(out[column["enrollment date"]].astype("string").str[:19], errors="coerce")
    frame = pd.DataFrame({"serial": serials, "enrolled": enrolled, "row": out["row"].to_numpy()})
    frame = frame[frame["serial"].notna() & (frame["serial"] != "")]
    for _, group in frame.groupby("serial", sort=False):
        if len(group) < 2:
            continue
        latest = group.sort_values("enrolled", kind="stable").iloc[-1]
        for _, earlier in group[group["row"] != latest["row"]].iterrows():
            reasons.setdefault(int(earlier["row"]) - 1, []).append(
                msg("formats.intune.re_enrolled", serial=earlier["serial"], line=int(latest["row"]) + 1)
            )


FORMATS = (
    Format(
        key="intune",
        name="Microsoft Intune devices export (DevicesWithInventory)",
        kind="inventory",
        files="CSV (`,`, every field quoted)",
        recognised_by="`Device name`, `Enrollment date` and `Ownership`",
        headers=HEADERS,
        aliases=ALIASES,
        fixtures=("intune_devices_with_inventory.csv",),
        recognises=recognises,
        prepare=prepare,
    ),
)
