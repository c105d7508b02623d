"""The same device in two files (or twice in one), counted once with a note.

A GLPI all-assets export and a per-type export of the same park list the shared devices twice;
so does a workbook whose sheets overlap. A device is known by its serial number, else by its
inventory name with its model: a row whose key an earlier row already had (earlier in the file,
or in a file read before) keeps its place in every output but counts no device — its quantity
becomes 0 and its note names the row it repeats. Only rows that can be estimated are compared:
a flagged first copy never hides a good second one. Keys are 8-byte hashes in sorted chunks
(:class:`greenit.parsing.duplicates.SeenKeys`), so a million devices read in batches stay in
bounded memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from greenit.flags import Flags
from greenit.i18n import Verbatim, msg
from greenit.parsing.duplicates import SeenKeys, key_hashes

#: serial numbers that say "no serial number" (folded, spaces removed)
NO_SERIAL = frozenset(
    {"", "na", "nc", "nd", "none", "null", "inconnu", "unknown", "aucun", "sans", "neant", "xxx", "0", "00"}
    | {"nonrenseigne", "nonrenseignee", "nonrenseigné", "nonrenseignée", "néant", "notapplicable"}
    | {"tbd", "todo"}
    | {"sansobjet", "so", "default", "inconnue", "absent"}
)


@dataclass
class DeviceRegistry:
    """The devices met so far across the files of one estimate (in the order they are read)."""

    active: bool = True  # one file: nothing to compare (a file's own rows are its own business)
    files: list[str] = field(default_factory=list)
    serials: SeenKeys = field(default_factory=SeenKeys)
    names: SeenKeys = field(default_factory=SeenKeys)

    def mark(self) -> tuple[int, int, int]:
        """Where the registry stands, to come back to when a file is read again from its start."""
        return len(self.files), self.serials.mark(), self.names.mark()

    def rollback(self, mark: tuple[int, int, int]) -> None:
        files, serials, names = mark
        del self.files[files:]
        self.serials.rollback(serials)
        self.names.rollback(names)

    def file_index(self, label: str) -> int:
        if not self.files or self.files[-1] != label:
            self.files.append(label)
        return len(self.files) - 1

    def count_once(self, normalised: pd.DataFrame) -> None:
        """Give the rows that repeat a device already met a quantity of 0 and a note (in place)."""
        if not self.active or normalised.empty or not {"serial", "name", "model"} & set(normalised.columns):
            return
        file = self.file_index(str(normalised["file"].iloc[0]))
        lines = normalised["line"].to_numpy(dtype=np.int64)
        open_rows = normalised["reason"].isna().to_numpy()
        serial, has_serial = _serials(normalised)
        name_key, has_name = key_hashes(_key_text(normalised, "name"), _key_text(normalised, "model"))
        by_serial = has_serial & open_rows
        by_name = has_name & open_rows & ~has_serial
        repeated_s, file_s, line_s = self.serials.check(serial, by_serial, file, lines)
        repeated_n, file_n, line_n = self.names.check(name_key, by_name, file, lines)
        self.names.remember(name_key, has_name & open_rows & has_serial & ~repeated_s, file, lines)
        repeated = repeated_s | repeated_n
        if not repeated.any():
            return
        first_file = np.where(repeated_s, file_s, file_n)
        first_line = np.where(repeated_s, line_s, line_n)
        self._note(normalised, repeated, repeated_s, first_file, first_line)

    def _note(self, normalised, repeated, repeated_s, first_file, first_line) -> None:
        positions = np.flatnonzero(repeated)
        serial_text = normalised["serial"] if "serial" in normalised.columns else None
        messages = []
        for position in positions.tolist():
            if repeated_s[position] and serial_text is not None:
                key = msg("duplicates.key.serial", serial=Verbatim(str(serial_text.iloc[position]).strip()))
            else:
                key = msg(
                    "duplicates.key.name_model",
                    name=Verbatim(str(normalised["name"].iloc[position])),
                    model=Verbatim(str(normalised["model"].iloc[position])),
                )
            messages.append(
                msg(
                    "duplicates.device",
                    file=Verbatim(self.files[first_file[position]].rsplit("/", 1)[-1]),
                    line=int(first_line[position]),
                    key=key,
                )
            )
        notes = Flags(len(normalised))
        notes.add_column(normalised["notes"])
        notes.add(repeated, messages, masked=True)
        normalised["notes"] = notes.column()
        quantity = normalised["quantity"].to_numpy(dtype=float)
        normalised["quantity"] = np.where(repeated, 0.0, quantity)
        normalised["duplicate"] = repeated


#: what is not part of a key: spaces and the separators people put in serial numbers and names
_NOT_KEY = str.maketrans("", "", " -_./\t\u00a0\u202f")


def _cleaned(values: pd.Series) -> list[str | None]:
    """Each cell without spaces nor separators, in upper case; None where empty (one pass, no
    pandas string methods: a million serial numbers take well under a second).
    """
    out: list[str | None] = []
    for value in values.to_numpy(dtype=object):
        text = value.translate(_NOT_KEY).upper() if isinstance(value, str) else None
        out.append(text or None)
    return out


def _serials(normalised: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """A hash of each row's serial number (spaces, separators and case ignored) and whether it
    has a real one (three characters at least, no « N/A »).
    """
    n = len(normalised)
    if "serial" not in normalised.columns:
        return np.zeros(n, dtype=np.uint64), np.zeros(n, dtype=bool)
    cleaned = [
        c if c is not None and len(c) >= 3 and c.lower() not in NO_SERIAL else None
        for c in _cleaned(normalised["serial"])
    ]
    return key_hashes(pd.Series(cleaned, dtype=object))


def _key_text(normalised: pd.DataFrame, column: str) -> pd.Series:
    """A name or a model as a key part (spaces, separators and case ignored); missing stays missing."""
    if column not in normalised.columns:
        return pd.Series([None] * len(normalised), dtype=object)
    return pd.Series(_cleaned(normalised[column].astype(object)), dtype=object)
