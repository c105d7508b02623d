"""A stage's frame as compact Parquet bytes, and back, messages included.

The normalised rows of a recorded year are what a restatement estimates again, so they must
come back exactly: floats, dates, categoricals and the ``reason``/``notes`` columns, whose
values are catalogue messages (:class:`~greenit.i18n.Message` in a
:class:`~greenit.i18n.Joined`). Those are kept as JSON — the catalogue key, its values, and the
French and English texts as rendered when recorded, shown instead if a later greenit no longer
has the key. Parquet (zstd) keeps each distinct value once: a 2,000-row GLPI export takes
about 30 kB.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
from pathlib import PurePath
from typing import Any

import numpy as np
import pandas as pd

from greenit.factors.labels import Bilingual
from greenit.i18n import Joined, Message, Verbatim, catalogue

#: Parquet metadata key listing the columns of messages.
_MESSAGES_KEY = b"greenit.messages"
#: Parquet metadata key listing the categorical columns (Parquet forgets an empty one).
_CATEGORICAL_KEY = b"greenit.categorical"
#: The columns of messages of every stage (:mod:`greenit.schema`), also when none has a value.
MESSAGE_COLUMNS = ("reason", "notes", "price_reason")


def encode_value(value: Any) -> Any:
    """A message (or one of its values) as JSON-ready data."""
    if isinstance(value, Joined):
        return {"joined": [encode_value(part) for part in value.parts], "separator": value.separator}
    if isinstance(value, Message):
        params = [[name, encode_value(v)] for name, v in value.params]
        return {"key": value.key, "params": params, "fr": value.render("fr"), "en": value.render("en")}
    if isinstance(value, Verbatim):
        return {"verbatim": value.value}
    if hasattr(value, "render"):  # a label given in both languages
        return {"fr": value.render("fr"), "en": value.render("en")}
    if isinstance(value, (list, tuple)):
        return {"list": [encode_value(v) for v in value]}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (PurePath, _dt.date)):
        return str(value)
    return value


def decode_value(data: Any) -> Any:
    """The message :func:`encode_value` encoded (as its recorded text when the key is gone)."""
    if not isinstance(data, dict):
        return data
    if "joined" in data:
        return Joined(tuple(decode_value(part) for part in data["joined"]), data.get("separator", "; "))
    if "key" in data:
        if data["key"] not in catalogue():
            return Bilingual(str(data.get("fr", data["key"])), str(data.get("en", data["key"])))
        return Message(data["key"], tuple((name, decode_value(v)) for name, v in data["params"]))
    if "verbatim" in data:
        return Verbatim(data["verbatim"])
    if "list" in data:
        return tuple(decode_value(v) for v in data["list"])
    return Bilingual(data.get("fr", ""), data.get("en", ""))


def _is_messages(column: pd.Series) -> bool:
    if column.name in MESSAGE_COLUMNS:
        return True
    if isinstance(column.dtype, pd.CategoricalDtype):
        values = column.cat.categories
    elif column.dtype == object:
        values = column.dropna()
    else:
        return False
    return len(values) > 0 and hasattr(
        values[0] if isinstance(values, pd.Index) else values.iloc[0], "render"
    )


def _as_json(column: pd.Series) -> pd.Series:
    """Messages → Categorical of JSON texts (missing stays missing)."""
    codes = pd.Categorical(column).codes
    categories = [json.dumps(encode_value(c), ensure_ascii=False) for c in pd.Categorical(column).categories]
    return pd.Series(
        pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object)), index=column.index
    )


def _from_json(column: pd.Series) -> pd.Series:
    categorical = pd.Categorical(column.astype(object))
    categories = [decode_value(json.loads(c)) for c in categorical.categories]
    return pd.Series(
        pd.Categorical.from_codes(categorical.codes, categories=pd.Index(categories, dtype=object)),
        index=column.index,
        name=column.name,
    )


def frame_to_parquet(frame: pd.DataFrame) -> bytes:
    """``frame`` (without its attrs) as Parquet bytes, zstd-compressed."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = frame.copy(deep=False)
    out.attrs = {}
    messages = [str(c) for c in out.columns if _is_messages(out[c])]
    categorical = [str(c) for c in out.columns if isinstance(out[c].dtype, pd.CategoricalDtype)]
    for column in messages:
        out[column] = _as_json(out[column])
    table = pa.Table.from_pandas(out, preserve_index=False)
    metadata = dict(table.schema.metadata or {})
    metadata[_MESSAGES_KEY] = json.dumps(messages).encode()
    metadata[_CATEGORICAL_KEY] = json.dumps(categorical).encode()
    buffer = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(metadata), buffer, compression="zstd")
    return buffer.getvalue()


def frame_from_parquet(data: bytes) -> pd.DataFrame:
    """The frame :func:`frame_to_parquet` wrote."""
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(data))
    metadata = table.schema.metadata or {}
    messages = json.loads(metadata.get(_MESSAGES_KEY, b"[]"))
    frame = table.to_pandas()
    for column in json.loads(metadata.get(_CATEGORICAL_KEY, b"[]")):
        if column not in messages and not isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(object).astype("category")
    for column in messages:
        frame[column] = _from_json(frame[column])
    return frame
