"""Tokens per request of a usage log, checked against what one request can hold.

A step of :func:`greenit.ai.hosted.usage.normalise_usage`: where a row counts both requests and
tokens, a request writes at least one token and at most about 128,000, and reads at most about
two million (``plausibility.csv``). Outside, one side is counted in thousands and the other not
(« Jetons (milliers) » beside plain requests) — the row is flagged with that cause, never used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.factors import FactorSet
from greenit.factors.plausible import bounds, implausible
from greenit.flags import Flags

#: token column → quantity of plausibility.csv
PER_REQUEST = {"output_tokens": "output_tokens_per_request", "input_tokens": "input_tokens_per_request"}


def check_per_request(
    raw: pd.DataFrame, headers: dict, out: pd.DataFrame, factors: FactorSet, flags: Flags
) -> None:
    """Flag the rows whose tokens per request no request can have."""
    requests = headers.get("requests")
    if requests is None:
        return
    count = out["requests"].to_numpy(dtype=float)
    for column, quantity in PER_REQUEST.items():
        match = headers.get(column)
        if match is None:
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            per_request = np.where(count > 0, out[column].to_numpy(dtype=float) / count, np.nan)
        span = bounds(factors, quantity, n=len(out))
        mask, messages = implausible(
            per_request,
            span,
            column=f"{match.header} ÷ {requests.header}",
            cells=raw[match.header],
        )
        flags.add(mask, messages, masked=True)
