"""Hosted generative AI in figures: totals with their range, per service, per 1,000 requests.

The ``hosted`` part of ``greenit ai estimate --json`` and of the report is built here from the
``usage_estimated`` frame (:func:`greenit.ai.hosted.estimate.estimate_hosted`) and the references
comparison (:mod:`greenit.ai.hosted.references`). Pure data: nothing here formats for people.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.ai.hosted.references import reference_comparison
from greenit.factors import FactorSet

TOTALS = tuple(
    f"{stem}{bound}_{unit}"
    for stem, unit in (("energy", "kwh"), ("usage", "kgco2e"), ("embodied", "kgco2e"), ("total", "kgco2e"))
    for bound in ("", "_low", "_high")
)
_RANGE = ("total_kgco2e", "total_low_kgco2e", "total_high_kgco2e")


def _estimated(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[(frame["estimate_status"] == "estimated").to_numpy()]


def hosted_totals(estimated: pd.DataFrame) -> dict[str, float]:
    """Sums over estimated usage rows [kWh, kgCO2e], requests and output tokens."""
    kept = _estimated(estimated)
    totals = {column: float(kept[column].sum()) for column in TOTALS}
    totals["requests"] = float(kept["requests"].sum())
    totals["output_tokens"] = float(kept["output_tokens"].sum())
    return totals


def service_totals(estimated: pd.DataFrame, missing_label: str = "(non renseigné)") -> pd.DataFrame:
    """Per service: requests, output tokens, energy [kWh], emissions [kgCO2e] with range, models,
    and emissions per 1,000 requests [kgCO2e] (central, low, high), largest first.

    Per 1,000 requests counts only the rows whose log gives a request count.
    """
    kept = _estimated(estimated).copy()
    kept["service"] = kept["service"].astype(object).where(kept["service"].notna(), missing_label)
    counted = kept["requests"].notna().to_numpy()
    for column in _RANGE:
        kept[f"counted_{column}"] = np.where(counted, kept[column], 0.0)
    grouped = kept.groupby("service", sort=False)
    columns = ["requests", "output_tokens", "energy_kwh", *_RANGE, *(f"counted_{c}" for c in _RANGE)]
    frame = grouped[columns].sum(min_count=1)
    frame["models"] = grouped["model"].agg(lambda m: ", ".join(dict.fromkeys(str(v) for v in m.dropna())))
    frame["rows"] = grouped.size()
    for column in _RANGE:
        name = column.replace("total", "per_1000_requests")
        with np.errstate(divide="ignore", invalid="ignore"):
            frame[name] = np.where(
                frame["requests"] > 0, frame[f"counted_{column}"] / frame["requests"] * 1000, np.nan
            )
    frame = frame.drop(columns=[f"counted_{c}" for c in _RANGE])
    return frame.sort_values("total_kgco2e", ascending=False).reset_index()


def _json(value: object) -> object:
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else float(f"{float(value):.9g}")
    if isinstance(value, np.integer):
        return int(value)
    if value is None or value is pd.NA:
        return None
    return value if isinstance(value, (int, bool, str)) else str(value)


def records(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict]:
    """A frame as strict-JSON records (NaN → null, 9 significant digits)."""
    columns = columns or list(frame.columns)
    return [{c: _json(row[c]) for c in columns if c in frame.columns} for _, row in frame.iterrows()]


def hosted_result(estimated: pd.DataFrame, factors: FactorSet, *, default_country: str = "FRA") -> dict:
    """The ``hosted`` object of ``greenit ai estimate --json``: counts, totals with range, services,
    the providers' references beside EcoLogits (only when a row was estimated with EcoLogits:
    none otherwise), and the versions used.
    """
    import ecologits

    flagged = int((estimated["estimate_status"] == "flagged").sum())
    references = reference_comparison(factors, default_country=default_country)
    if not len(_estimated(estimated)[lambda f: f["energy_method"] == "ecologits"]):
        references = references.iloc[0:0]  # no EcoLogits estimate here to set the figures beside
    return {
        "rows_in": int(len(estimated)),
        "rows_estimated": int(len(estimated) - flagged),
        "rows_flagged": flagged,
        "totals": {k: _json(v) for k, v in hosted_totals(estimated).items()},
        "by_service": records(service_totals(estimated)),
        "references": records(references),
        "references_spread": _spread(references),
        "ecologits_version": ecologits.__version__,
    }


def _spread(references: pd.DataFrame) -> dict:
    """The lowest and highest ratio published ÷ EcoLogits over every published figure."""
    if references.empty:
        return {"lowest_ratio": None, "highest_ratio": None}
    ratios = pd.concat([references["ratio_energy"], references["ratio_gco2e"]]).dropna()
    if ratios.empty:
        return {"lowest_ratio": None, "highest_ratio": None}
    return {"lowest_ratio": _json(ratios.min()), "highest_ratio": _json(ratios.max())}
