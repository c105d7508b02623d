"""Reading factor tables as people save them, and laying a user's tables over greenit's.

A table saved by French Excel is read like one written by hand: ``;``, ``,`` or tab between
cells (as :func:`greenit.parsing.layout.detect_delimiter` finds it for inventories), UTF-8 or
Windows-1252, decimal commas (``182,3``) and spaced thousands (``1 234,5``): a single comma in a
number is a decimal comma, as French Excel writes it. Headers carry their units
(``manufacture [kgCO2e]``); the canonical names ``factors show`` prints (``manufacture_kgco2e``)
are read too, in their canonical unit.

A cell that is not a number (``abc``, ``1e999``, ``-5``) does not stop the reading: it is kept
as a problem of the factor set (:class:`CellProblem`), which ``greenit factors validate`` lists
with the others and every computation refuses (:func:`greenit.factors.load.load_factors`).
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd

from greenit.errors import FactorTableError, UnitError, os_reason
from greenit.factors.tables import SOURCE_COLUMNS, TABLE_SPECS, CellProblem, FactorSet, source_table
from greenit.i18n import Message, msg
from greenit.parsing.encodings import detect_encoding
from greenit.parsing.headers import split_header_unit
from greenit.parsing.layout import detect_delimiter
from greenit.parsing.units import conversion_factor, parse_number

#: Bytes read to tell a text table from a binary file, and to find its delimiter.
_SNIFF_BYTES = 8192
#: Catalogue entry naming each delimiter.
_SEPARATOR_NAMES = {";": "semicolon", ",": "comma", "|": "pipe", "\t": "tab"}
#: Characters of a cell quoted in a message.
_SHOWN_CHARS = 80


def _separator(delimiter: str) -> Message:
    """A delimiter as a message shows it: « ; », or the word for a tab."""
    return msg(f"factors.separator.{_SEPARATOR_NAMES[delimiter]}")


def read_table_file(path: Path) -> tuple[pd.DataFrame, str]:
    """A factor table as text cells, with the delimiter it was read with.

    Empty, binary, undecodable or malformed files are user errors (:class:`FactorTableError`).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FactorTableError.of("factors.file_unreadable", None, path=path, error=os_reason(exc)) from exc
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise FactorTableError.of("factors.file_binary", "factors.file_binary_hint", path=path)
    if not data[:_SNIFF_BYTES].strip(b" \t\r\n\xef\xbb\xbf"):
        raise FactorTableError.of("factors.file_empty", "factors.file_empty_hint", path=path)
    try:
        text = data.decode(detect_encoding(data[:_SNIFF_BYTES]))
    except UnicodeDecodeError as exc:
        raise FactorTableError.of("factors.file_not_utf8", "factors.file_not_utf8_hint", path=path) from exc
    delimiter = detect_delimiter(text[:_SNIFF_BYTES])
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, na_values=[""]
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise FactorTableError.of("factors.file_not_csv", None, path=path, error=str(exc)[:200]) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in frame.columns:
        frame[column] = frame[column].str.strip().replace("", np.nan)
    return frame.dropna(how="all"), delimiter  # Excel's rows of bare separators (;;;;) go


def _number(cell: str) -> tuple[float, str | None]:
    """A cell as a number, or NaN with the catalogue key of what is wrong with it."""
    try:
        number = parse_number(cell)
    except ValueError:
        return np.nan, "factors.not_a_number"
    if not math.isfinite(number):
        return np.nan, "factors.not_finite"
    if number < 0:
        return np.nan, "factors.negative"
    return number, None


def _numbers(cells: pd.Series, header: str, path: Path, keys: pd.Series) -> tuple[np.ndarray, list]:
    """The cells of ``header`` as floats (NaN where empty or bad) and (key, message) of each bad one."""
    values = np.full(len(cells), np.nan)
    problems: list[tuple[str, Message]] = []
    rows = zip(cells.index, cells.to_numpy(dtype=object), keys, strict=True)
    for i, (row, cell, key) in enumerate(rows):
        if not isinstance(cell, str):
            continue
        values[i], problem = _number(cell)
        if problem is not None:
            shown = cell[:_SHOWN_CHARS]
            line = int(row) + 2  # the header is line 1
            problems.append(
                (str(key), msg(problem, path=path, line=line, key=key, column=header, value=shown))
            )
    return values, problems


def _quantity(header: str, quantities: dict[str, tuple[str, str]], path: Path) -> tuple[str, float] | None:
    """(canonical column, conversion factor) of a header naming a quantity; None for a text column."""
    base, unit = split_header_unit(header)
    canonical = {column: target for column, target in quantities.values()}
    if base not in quantities:
        if base in canonical and unit is None:  # as ``factors show`` names it: canonical unit
            return base, 1.0
        return None
    column, target = quantities[base]
    if unit is None and target != "dimensionless":
        raise FactorTableError.of(
            "factors.no_unit", "factors.no_unit_hint", path=path, column=header, base=base, unit=target
        )
    try:
        return column, conversion_factor(unit, target) if unit else 1.0
    except UnitError as exc:
        raise FactorTableError.of(
            "factors.bad_unit", None, path=path, column=header, error=exc.message
        ) from exc


def _keys(name: str, raw: pd.DataFrame, path: Path, delimiter: str) -> pd.Series:
    """The key column of a table; user errors when missing, empty or repeated."""
    key = TABLE_SPECS[name][0]
    if key not in raw.columns:
        raise FactorTableError.of(
            "factors.no_key",
            "factors.no_key_hint",
            path=path,
            key=key,
            table=name,
            separator=_separator(delimiter),
            columns=", ".join(map(str, raw.columns[:12])),
        )
    keys = raw[key]
    if keys.isna().any() or keys.duplicated().any():
        repeated = keys[keys.duplicated()].tolist()
        raise FactorTableError.of("factors.bad_keys", None, path=path, key=key, values=repeated[:5])
    return keys


def canonical_table(
    name: str, raw: pd.DataFrame, path: Path, delimiter: str = ","
) -> tuple[pd.DataFrame, list[CellProblem]]:
    """A table with canonical float columns, indexed by its key; the cells that are not numbers."""
    keys = _keys(name, raw, path, delimiter)
    frame = raw.copy()
    renamed: dict[str, str] = {}
    problems: list[CellProblem] = []
    for header in raw.columns:
        quantity = _quantity(header, TABLE_SPECS[name][1], path)
        if quantity is None:
            continue
        column, factor = quantity
        if column in renamed.values():
            raise FactorTableError.of("factors.same_quantity_twice", None, path=path, column=column)
        values, found = _numbers(raw[header], header, path, keys)
        frame[header] = values * factor
        renamed[header] = column
        problems += [CellProblem(name, key, column, message) for key, message in found]
    return frame.rename(columns=renamed).set_index(TABLE_SPECS[name][0]), problems


def _table_name_for(path: Path, raw: pd.DataFrame) -> str | None:
    stem = path.stem
    if stem in TABLE_SPECS or stem == "sources":
        return stem
    columns = {split_header_unit(c)[0] for c in raw.columns}
    if {"source_id", "publisher"} <= columns:
        return "sources"
    for name, (key, quantities, _) in TABLE_SPECS.items():
        if key in columns and (not quantities or columns & set(quantities)):
            return name
    return None


def _load_dir_or_file(path: Path) -> tuple[FactorSet, str | None]:
    """The tables of a folder or a file (not overlaid) and the folder's VERSION, if any."""
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    loaded = FactorSet(version="", tables={}, sources=None)
    for file in files:
        raw, delimiter = read_table_file(file)
        name = _table_name_for(file, raw)
        if name is None:
            raise FactorTableError.of(
                "factors.unknown_table", "factors.unknown_table_hint", path=file, names=", ".join(TABLE_SPECS)
            )
        if name == "sources":
            missing = [c for c in SOURCE_COLUMNS if c not in raw.columns]
            if missing:
                raise FactorTableError.of("factors.sources_columns", None, path=file, missing=missing)
            loaded.sources = source_table(raw)
        else:
            loaded.tables[name], problems = canonical_table(name, raw, file, delimiter)
            loaded.cell_problems += problems
    version = None
    if path.is_dir() and (path / "VERSION").exists():
        version = (path / "VERSION").read_text(encoding="utf-8").strip()
    return loaded, version


#: The packaged tables last read, by the digest of their files: (tables, VERSION).
_PACKAGED: dict[bytes, tuple[FactorSet, str | None]] = {}


def _packaged_tables(base: Path) -> tuple[FactorSet, str | None]:
    """greenit's own tables as :func:`_load_dir_or_file` reads them, parsed once per process.

    A process that lays users' tables over them again and again (a notebook trying overlays, the
    test suite) parsed the same twenty files each time: 0.2 s of an overlay's 0.4 s. They are
    read again when a byte of them changed (the key is their content's digest); each caller gets
    its own copy of the set, since :func:`assemble` lays a user's rows over it.
    """
    import hashlib

    digest = hashlib.blake2b(str(base).encode())
    for file in sorted([*base.glob("*.csv"), base / "VERSION"]):
        digest.update(file.name.encode() + b"\0" + (file.read_bytes() if file.is_file() else b"") + b"\0")
    key = digest.digest()
    entry = _PACKAGED.get(key)
    if entry is None:  # kept in a local: another thread's load (greenit track) may empty the dict
        entry = _load_dir_or_file(base)
        _PACKAGED.clear()
        _PACKAGED[key] = entry
    kept, version = entry
    tables = {name: frame.copy() for name, frame in kept.tables.items()}
    sources = None if kept.sources is None else kept.sources.copy()
    copy = FactorSet(
        version=kept.version, tables=tables, sources=sources, cell_problems=[*kept.cell_problems]
    )
    return copy, version


def _overlay(base: pd.DataFrame, user: pd.DataFrame) -> pd.DataFrame:
    """``base`` with the user's rows replacing those of the same key and added after them."""
    frame = pd.concat([base[~base.index.isin(user.index)], user])
    return frame[[*base.columns, *[c for c in frame.columns if c not in base.columns]]]


def assemble(extra: str | None) -> FactorSet:
    """The packaged tables with the user's laid over them, not yet validated.

    The version is the packaged one, then ``+`` and the user's folder's VERSION — or, when it
    has none or the same as greenit's (a copy of the packaged folder), the folder or file name.
    """
    from greenit.factors.tables import default_factors_dir

    base = default_factors_dir()
    factors, version = _packaged_tables(base)
    factors.origins = [str(base)]
    path = Path(extra) if extra else None
    if path is not None and not path.exists():
        raise FactorTableError.of("factors.no_such_path", None, path=path)
    if path is not None and path.resolve() != base.resolve():
        user, user_version = _load_dir_or_file(path)
        for name, frame in user.tables.items():
            factors.user_rows[name] = [str(key) for key in frame.index]
            if name in factors.tables:
                factors.replaced[name] = factors.tables[name][factors.tables[name].index.isin(frame.index)]
            factors.tables[name] = _overlay(factors.tables[name], frame) if name in factors.tables else frame
        factors.cell_problems += user.cell_problems
        if user.sources is not None and factors.sources is not None:
            kept = factors.sources[~factors.sources.index.isin(user.sources.index)]
            factors.sources = pd.concat([kept, user.sources])
        same = user_version is None or user_version == version
        version = f"{version}+{path.name if same else user_version}"
        factors.origins.append(str(path))
    factors.version = version or "unversioned"
    return factors
