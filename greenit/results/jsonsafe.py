"""Strict JSON: what greenit prints or writes parses in any JSON reader (no NaN, no Infinity).

:func:`json_ready` turns numpy scalars into Python numbers, non-finite floats into ``null``,
messages into text in the given language, dates into ISO text; :func:`dumps` then refuses
anything left that JSON cannot carry (``allow_nan=False``).

References
----------
RFC 8259, The JavaScript Object Notation (JSON) Data Interchange Format, §6 (numbers: "Numeric
values that cannot be represented … such as Infinity and NaN are not permitted").
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from typing import Any

import numpy as np
import pandas as pd

from greenit.i18n import check_language, render_value


def significant(value: float, digits: int = 9) -> float | None:
    """A float kept to ``digits`` significant digits (exact enough, short in JSON); None if not finite.

    >>> significant(1 / 3), significant(float("inf"))
    (0.333333333, None)
    """
    value = float(value)
    if not math.isfinite(value):
        return None
    return float(f"{value:.{digits}g}")


def json_ready(value: Any, lang: str | None = None) -> Any:
    """``value`` with only JSON types left: dict, list, str, int, finite float, bool, None.

    A message met several times (the same reason on a thousand flagged rows) is rendered once.
    """
    return _ready(value, check_language(lang), {})


#: Types whose values are JSON as they are (exactly these types: a subclass is looked at further).
_PLAIN = frozenset({str, bool, int})


def _ready(value: Any, lang: str, rendered: dict) -> Any:
    kind = type(value)  # the plain types first: most values of a result are JSON already
    if kind in _PLAIN or kind is Ready:
        return value
    if kind is dict:
        return {str(k): _ready(v, lang, rendered) for k, v in value.items()}
    return _converted(value, lang, rendered)


def _converted(value: Any, lang: str, rendered: dict) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return significant(float(value))
    if isinstance(value, str):
        return value
    if isinstance(value, Ready):
        return value
    if isinstance(value, dict):
        return {str(k): _ready(v, lang, rendered) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_ready(v, lang, rendered) for v in value]
    if isinstance(value, _dt.date | pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "render"):
        return _rendered(value, lang, rendered)
    return render_value(value, lang)


def _rendered(message: Any, lang: str, rendered: dict) -> str:
    """``message`` rendered in ``lang``, once per equal message (``rendered`` remembers)."""
    try:
        return rendered[message]
    except KeyError:
        text = rendered[message] = message.render(lang)
        return text
    except TypeError:  # a message holding a value that cannot be hashed
        return message.render(lang)


class Ready(list):
    """Records already made JSON-ready by :func:`records`: :func:`json_ready` passes them as they are."""


def _column_values(column: pd.Series, lang: str) -> list:
    """One column as JSON values, converted in bulk: floats at once, categories once each."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        texts = [json_ready(c, lang) for c in dtype.categories] + [None]
        codes = column.cat.codes.to_numpy()
        return [texts[c] for c in np.where(codes >= 0, codes, len(texts) - 1)]
    if pd.api.types.is_float_dtype(dtype):
        values = column.to_numpy(dtype=float, na_value=np.nan).tolist()
        return [float(f"{v:.9g}") if math.isfinite(v) else None for v in values]  # as significant()
    if pd.api.types.is_bool_dtype(dtype):
        return [bool(v) for v in column.tolist()]
    if pd.api.types.is_integer_dtype(dtype) and not column.isna().any():
        return [int(v) for v in column.tolist()]
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return column.astype(object).where(column.notna(), None).tolist()
    return [json_ready(v, lang) for v in column.tolist()]


def records(frame: pd.DataFrame, lang: str | None = None) -> Ready:
    """The rows of ``frame`` as JSON-ready dicts (missing values as null), built column by column.

    The same as ``[json_ready(row) for row in frame.to_dict("records")]``, without one Python
    call per cell: 100,000 runs in well under a second instead of several.
    """
    lang = check_language(lang)
    if frame.attrs:  # pandas would deep-copy them into every column taken
        frame = frame.copy(deep=False)
        frame.attrs = {}
    columns = {str(name): _column_values(column, lang) for name, column in frame.items()}
    names = list(columns)
    return Ready(dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True))


def dumps(value: Any, lang: str | None = None, indent: int | None = 2) -> str:
    """Strict JSON text of ``value`` (non-finite numbers become ``null``)."""
    return json.dumps(json_ready(value, lang), ensure_ascii=False, indent=indent, allow_nan=False)
