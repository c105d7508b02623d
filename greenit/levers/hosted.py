"""Levers on hosted generative AI: the usage rows as they would be under a lever.

- ``model=NAME[:service,…]`` — the services (all, or those named) use another model, with the
  same requests and tokens. When a row's provider is an API provider EcoLogits knows and the new
  model belongs to another one, the row moves to that provider (its data centre and PUE); a
  row of a provider EcoLogits does not know (a State platform such as Albert, a self-hosted
  service) keeps its own place.
- ``requests=-X%[:service,…]`` — X % fewer requests (and tokens), e.g. by caching answers or
  not calling the model for questions a FAQ answers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.ai.hosted.models import ModelCatalogue, provider_key
from greenit.errors import GreenitError
from greenit.levers.specs import Lever
from greenit.parsing.text import fold


def _in_scope(usage: pd.DataFrame, lever: Lever, spec: str) -> np.ndarray:
    """Rows of the services the lever names (every row when it names none)."""
    if not lever.categories:
        return np.ones(len(usage), dtype=bool)
    services = usage["service"].astype(object)
    folded = services.map(lambda s: fold(s) if isinstance(s, str) else None)
    known = sorted({s for s in services.dropna()})
    for service in lever.categories:
        if fold(service) not in set(folded.dropna()):
            raise GreenitError.of(
                "hosted.lever.unknown_service",
                "hosted.lever.known_services",
                spec=spec,
                service=service,
                known=known,
            )
    return folded.isin({fold(s) for s in lever.categories}).to_numpy()


def apply_usage_lever(usage: pd.DataFrame, lever: Lever, catalogue: ModelCatalogue) -> pd.DataFrame:
    """The normalised usage rows under ``lever`` (``model`` or ``requests``); others unchanged."""
    out = usage.copy()
    spec_text = f"{lever.kind}={lever.text or lever.value}"
    scope = _in_scope(out, lever, spec_text)
    if lever.kind == "model":
        spec, _ = catalogue.find(lever.text)
        if spec is None:
            raise GreenitError.of(
                "hosted.lever.unknown_model",
                "hosted.lever.close_models",
                model=lever.text,
                close=catalogue.suggestions(lever.text) or "—",
            )
        current = out["provider_label"].astype(object).map(provider_key)
        moves = (
            scope & current.notna().to_numpy() & (current != spec.provider).to_numpy() & bool(spec.provider)
        )
        out["provider_label"] = pd.Categorical(
            np.where(moves, spec.provider, out["provider_label"].astype(object))
        )
        out["model_label"] = pd.Categorical(np.where(scope, lever.text, out["model_label"].astype(object)))
        for column in ("parameters_billion", "quantization_bits"):
            out[column] = np.where(scope, np.nan, out[column])
    elif lever.kind == "requests":
        factor = 1.0 + lever.value
        for column in ("requests", "input_tokens", "output_tokens"):
            out[column] = np.where(scope, out[column].to_numpy(dtype=float) * factor, out[column])
    return out
