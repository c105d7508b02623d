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

from greenit.i18n import get_language, render_value


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
    """``value`` with only JSON types left: dict, list, str, int, finite float, bool, None."""
    lang = lang or get_language()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return significant(value)
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return {str(k): json_ready(v, lang) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [json_ready(v, lang) for v in value]
    if isinstance(value, _dt.date | pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "render"):
        return value.render(lang)
    return render_value(value, lang)


def dumps(value: Any, lang: str | None = None, indent: int | None = 2) -> str:
    """Strict JSON text of ``value`` (non-finite numbers become ``null``)."""
    return json.dumps(json_ready(value, lang), ensure_ascii=False, indent=indent, allow_nan=False)
