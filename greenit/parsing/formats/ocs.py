"""OCS Inventory NG: the console's « Export CSV » of the computers list.

Read in OCS's own code (OCSInventory-ocsreports 8fa1acc6, ``ms_csv.php``,
``ms_all_computers.php``; ``tests/fixtures/real/README.md``): the header unquoted, each line
then each value followed by ``;`` (an empty last column), values in ``"…"`` without doubling an
inner quote, CRLF between lines and none at the end. The columns are those the console shows:
by default ``TAG, Dernier inventaire, Machine, Utilisateur connecté, Systeme, RAM (Mo), CPU
(MHz)``, and those the user adds (``Fabricant``, ``Modèle``, ``BIOS Numéro de série``…).

**No column says what kind of device a machine is**: the agent inventories the chassis
(``bios.TYPE``) but the list does not offer it. So the category is decided here only where the
file tells it for sure, and said:

- a machine whose system is a server edition (« Microsoft Windows Server 2019 Standard ») is a
  server;
- a **virtual machine** (its model or maker is a hypervisor's: « VMware Virtual Platform »,
  « VirtualBox », « KVM », « Virtual Machine » by Microsoft…) is flagged: no hardware of the
  town to count (its host is);
- every other machine is left to its model (« OptiPlex 7090 », « Latitude 5420 » name their
  kind) and to ``--default-category``; « To Be Filled By O.E.M. » is no maker nor model.

``Dernier inventaire`` is when the agent last reported, not a purchase date: a machine not seen
for more than six months before the file's latest report is said (probably gone, still counted).
RAM and CPU are ignored, as OCS gives neither a price, a purchase date nor a status.
"""

from __future__ import annotations

import pandas as pd

from greenit.i18n import msg
from greenit.parsing.formats import Format
from greenit.parsing.formats.intune import LENOVO_MTM
from greenit.parsing.text import fold

#: The console's headers (folded) that say a file is OCS's: its last-inventory column.
SIGNATURE = ("dernier inventaire", "last inventory")
#: Makers and models that are hypervisors' virtual hardware (folded words).
VIRTUAL = (
    "vmware",
    "virtualbox",
    "virtual machine",
    "virtual platform",
    "kvm",
    "qemu",
    "xen",
    "hvm domu",
    "bochs",
)
#: What SMBIOS says when the maker left the field empty.
PLACEHOLDERS = ("to be filled by o e m", "system product name", "system manufacturer", "default string")
STALE_DAYS = 180

HEADERS = {
    "Machine": "name",
    "Computer": "name",
    "Fabricant": "manufacturer",
    "Manufacturer": "manufacturer",
    "Modèle": "model",
    "Model": "model",
    "TAG": "entity",
    "BIOS Numéro de série": "serial",
    "BIOS Serial number": "serial",
    "Systeme": "the operating system: servers read from it",
    "Operating system": "the operating system: servers read from it",
    "Dernier inventaire": "last report: a machine unseen for a year is said",
    "Last inventory": "last report: a machine unseen for a year is said",
}
ALIASES = {
    "name": ["machine", "computer"],
    "entity": ["tag"],
    "serial": ["bios numero de serie", "bios serial number"],
}


def recognises(headers: list[str]) -> bool:
    """An OCS computers export: its « Dernier inventaire » / « Last inventory » column."""
    return any(fold(h) in SIGNATURE for h in headers)


def _column(raw: pd.DataFrame, *names: str) -> str | None:
    return next((h for h in raw.columns if fold(h) in names), None)


def _is_virtual(*texts: object) -> bool:
    words = " ".join(f" {fold(t)} " for t in texts if isinstance(t, str))
    return any(f" {v} " in words for v in VIRTUAL)


def _is_placeholder(text: object) -> bool:
    return isinstance(text, str) and fold(text) in PLACEHOLDERS


def prepare(raw: pd.DataFrame) -> pd.DataFrame:
    """OCS's machines: servers from their system, virtual machines flagged, placeholders blanked,
    machines not seen for a year said; a ``Type`` column holds what was decided.
    """
    out = raw.copy()
    system = _column(out, "systeme", "operating system")
    maker = _column(out, "fabricant", "manufacturer")
    model = _column(out, "modele", "model")
    for header in (maker, model):
        if header is not None:
            out[header] = out[header].where(~out[header].map(_is_placeholder), None)
    reasons: dict[int, list] = {}
    notes: dict[int, list] = {}
    kinds: list[str | None] = []
    for position in range(len(out)):
        row = int(out["row"].iloc[position]) - 1
        os_name = out[system].iloc[position] if system else None
        texts = [out[h].iloc[position] for h in (maker, model) if h is not None]
        if _is_virtual(*texts):
            reasons[row] = [msg("formats.ocs.virtual_machine", model=" ".join(str(t) for t in texts if t))]
            kinds.append(None)
        elif isinstance(os_name, str) and " server" in f" {fold(os_name)}":
            notes[row] = [msg("formats.ocs.server_from_system", system=os_name)]
            kinds.append("server")
        else:
            kinds.append(None)
            if len(texts) == 2 and fold(texts[0]) == "lenovo" and LENOVO_MTM.match(str(texts[1]).upper()):
                notes[row] = [msg("formats.intune.lenovo_mtm", model=texts[1])]  # no kind of device
    out["Type (OCS : système)"] = kinds
    _stale(out, notes)
    out.attrs = dict(raw.attrs)
    out.attrs["headers"] = [*raw.attrs.get("headers", list(raw.columns)), "Type (OCS : système)"]
    for row, said in (raw.attrs.get("row_reasons") or {}).items():  # the reader's reasons kept
        reasons[row] = [*said, *reasons.get(row, [])]
    out.attrs.update(row_reasons=reasons, row_notes=notes)
    out.attrs["file_notes"] = [*raw.attrs.get("file_notes", []), msg("formats.ocs.no_type_column")]
    return out


def _stale(out: pd.DataFrame, notes: dict[int, list]) -> None:
    """Machines whose last report is six months older than the file's latest one: said."""
    seen = _column(out, "dernier inventaire", "last inventory")
    if seen is None:
        return
    dates = pd.to_datetime(out[seen], errors="coerce", format="mixed")
    if dates.notna().sum() == 0:
        return
    latest = dates.max()
    for position in (dates < latest - pd.Timedelta(days=STALE_DAYS)).to_numpy().nonzero()[0]:
        row = int(out["row"].iloc[position]) - 1
        when = dates.iloc[position].date().isoformat()
        notes.setdefault(row, []).append(msg("formats.ocs.stale", date=when))


FORMATS = (
    Format(
        key="ocs",
        name="OCS Inventory NG computers export",
        kind="inventory",
        files="CSV (`;` after every value, CRLF between lines, none at the end)",
        recognised_by="its `Dernier inventaire` / `Last inventory` column",
        headers=HEADERS,
        aliases=ALIASES,
        fixtures=("ocs_computers_export_fr.csv",),
        recognises=recognises,
        prepare=prepare,
    ),
)
