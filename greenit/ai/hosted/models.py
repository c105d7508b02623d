"""Generative-AI models → their size; and the EcoLogits impacts of one request to them.

Two tables know models: EcoLogits' own (``ecologits/data/models.json``, shipped in the
package and read offline: parameter counts, ranges for closed models, measured throughput) and
greenit's ``genai_models.csv`` (models EcoLogits lacks; a user adds a row with ``--factors``).
greenit's table wins, so a user can correct a size. A name not found is reported with the
closest known names.

:func:`request_impacts` calls EcoLogits' own formulas (``compute_llm_impacts``) for one request
of a given length, so every figure greenit shows for hosted models is EcoLogits' figure.

References
----------
EcoLogits 0.11 (GenAI Impact / mlco2), ``ecologits/impacts/llm.py`` and its methodology,
https://ecologits.ai/latest/methodology/llm_inference/ (MPL-2.0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from greenit.bounds import Bounds
from greenit.parsing.text import closest, fold

#: How people name the providers EcoLogits knows (folded) → EcoLogits' provider key.
PROVIDER_NAMES: dict[str, str] = {
    "mistral": "mistralai", "mistral ai": "mistralai", "mistralai": "mistralai", "la plateforme": "mistralai",
    "le chat": "mistralai", "openai": "openai", "open ai": "openai", "chatgpt": "openai",
    "anthropic": "anthropic", "claude": "anthropic", "google": "google_genai", "google genai": "google_genai",
    "gemini": "google_genai", "google ai studio": "google_genai", "vertex ai": "google_genai",
    "cohere": "cohere", "hugging face": "huggingface_hub", "huggingface": "huggingface_hub",
    "huggingface hub": "huggingface_hub",
}  # fmt: skip
_DATED = re.compile(r"-(?:\d{4}-\d{2}-\d{2}|\d{8})$")


@dataclass(frozen=True)
class ModelSpec:
    """A model's size as EcoLogits uses it [billions of parameters], and where it comes from."""

    name: str
    provider: str | None  # EcoLogits provider key, when known
    total_low: float
    total_high: float
    active_low: float
    active_high: float
    tps: float | None = None  # measured output tokens per second (EcoLogits)
    ttft: float | None = None  # measured time to first token [s] (EcoLogits)
    warnings: tuple[str, ...] = ()  # EcoLogits warning codes
    origin: str = "ecologits"  # ecologits | genai_models | file
    source_id: str | None = None
    aliases: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def of_size(cls, name: str, billions: float, origin: str = "file") -> ModelSpec:
        """A dense model of the given size, as a log states it (G4IT's ``nbParameters``)."""
        return cls(name, None, billions, billions, billions, billions, origin=origin)


def provider_key(label: object) -> str | None:
    """``"Mistral AI"`` → ``"mistralai"``; a provider EcoLogits does not know → None."""
    if label is None or (isinstance(label, float) and np.isnan(label)):
        return None
    folded = fold(label)
    if folded in PROVIDER_NAMES:
        return PROVIDER_NAMES[folded]
    key = folded.replace(" ", "_")
    return key if key in PROVIDER_NAMES.values() else None


def _bounds(value) -> tuple[float, float]:
    if isinstance(value, dict):
        return float(value["min"]), float(value["max"])
    low = getattr(value, "min", value)
    high = getattr(value, "max", value)
    return float(low), float(high)


@lru_cache(maxsize=1)
def ecologits_models() -> tuple[ModelSpec, ...]:
    """Every model of EcoLogits' table (read from the installed package, no network)."""
    from ecologits.model_repository import ParametersMoE, models

    specs = []
    for model in models.list_models():
        parameters = model.architecture.parameters
        if isinstance(parameters, ParametersMoE):
            total, active = _bounds(parameters.total), _bounds(parameters.active)
        else:
            total = active = _bounds(parameters)
        deployment = model.deployment
        specs.append(
            ModelSpec(
                model.name,
                model.provider.value,
                *total,
                *active,
                tps=deployment.tps if deployment else None,
                ttft=deployment.ttft if deployment else None,
                warnings=tuple(w.code for w in model.warnings),
                source_id="ecologits_0_11",
            )
        )
    return tuple(specs)


def table_models(table: pd.DataFrame) -> list[ModelSpec]:
    """The rows of ``genai_models.csv`` as specs (active parameters default to total)."""
    specs = []
    for name, row in table.iterrows():
        total = float(row["total_parameters_billion"])
        active = row.get("active_parameters_billion")
        active = total if pd.isna(active) else float(active)
        low = row.get("active_parameters_low_billion")
        high = row.get("active_parameters_high_billion")
        provider = row.get("provider")
        specs.append(
            ModelSpec(
                str(name),
                provider_key(provider) if isinstance(provider, str) else None,
                total,
                total,
                active if pd.isna(low) else float(low),
                active if pd.isna(high) else float(high),
                origin="genai_models",
                source_id=row.get("source_id") if isinstance(row.get("source_id"), str) else None,
                aliases=tuple(a.strip() for a in str(row.get("aliases") or "").split(";") if a.strip()),
            )
        )
    return specs


class ModelCatalogue:
    """Models greenit can estimate: ``genai_models.csv`` first, then EcoLogits' table."""

    def __init__(self, table: pd.DataFrame | None) -> None:
        self._table: dict[str, ModelSpec] = {}
        for spec in table_models(table) if table is not None else []:
            for name in (spec.name, *spec.aliases):
                self._table.setdefault(fold(name), spec)
        self._ecologits: dict[tuple[str, str], ModelSpec] = {}
        self._by_name: dict[str, list[ModelSpec]] = {}
        for spec in ecologits_models():
            self._ecologits[(str(spec.provider), spec.name.lower())] = spec
            self._by_name.setdefault(fold(spec.name), []).append(spec)
        self._names = sorted({s.name for s in ecologits_models()} | {s.name for s in self._table.values()})

    def find(self, label: str, provider: str | None = None) -> tuple[ModelSpec | None, str | None]:
        """The spec of ``label`` (as a log writes it) and the name it was read as, if different."""
        candidates = [label.strip()]
        if "/" in label:  # "models/gemini-2.5-flash", "mistralai/mistral-small-latest"
            candidates.append(label.rsplit("/", 1)[-1].strip())
        if _DATED.search(candidates[-1]):  # a dated snapshot of a model known undated
            candidates.append(_DATED.sub("", candidates[-1]))
        for candidate in candidates:
            spec = self._one(candidate, provider)
            if spec is not None:
                return spec, None if candidate == label.strip() else candidate
        return None, None

    def _one(self, name: str, provider: str | None) -> ModelSpec | None:
        if fold(name) in self._table:
            return self._table[fold(name)]
        if provider and (provider, name.lower()) in self._ecologits:
            return self._ecologits[(provider, name.lower())]
        same = self._by_name.get(fold(name), [])
        preferred = [s for s in same if s.provider == provider]
        return (preferred or same)[0] if (preferred or same) else None

    def suggestions(self, label: str, count: int = 3) -> list[str]:
        """The known names closest to ``label`` (difflib ratio on lower-case names)."""
        lowered = {name.lower(): name for name in self._names}
        close = closest(label.strip().lower(), list(lowered), cutoff=0.5, n=count)
        return [lowered[name] for name in close]


def provider_datacenter(provider: str | None) -> tuple[str | None, tuple[float, float] | None]:
    """EcoLogits' data-centre country (ISO-3) and PUE (low, high) of a provider; (None, None) if unknown."""
    if provider is None:
        return None, None
    from ecologits.tracers.utils import PROVIDER_CONFIG_MAP

    config = PROVIDER_CONFIG_MAP.get(provider)
    if config is None:
        return None, None
    return config.datacenter_location, _bounds(config.datacenter_pue)


def provider_wue(provider: str | None) -> tuple[float, float] | None:
    """EcoLogits' on-site water usage effectiveness (low, high) of a provider [L/kWh]; None if unknown."""
    if provider is None:
        return None
    from ecologits.tracers.utils import PROVIDER_CONFIG_MAP

    config = PROVIDER_CONFIG_MAP.get(provider)
    return None if config is None or config.datacenter_wue is None else _bounds(config.datacenter_wue)


def _range(low: float, high: float):
    """A float when ``low == high``, else EcoLogits' RangeValue."""
    from ecologits.utils.range_value import RangeValue

    return float(low) if low == high else RangeValue(min=low, max=high)


def _as_bounds(value) -> Bounds:
    """EcoLogits' value or RangeValue → Bounds (central: the range's mean, as EcoLogits shows it)."""
    low, high = _bounds(value)
    return Bounds((low + high) / 2, low, high)


def request_impacts(
    spec: ModelSpec,
    output_tokens: float,
    *,
    pue: tuple[float, float],
    grid_factor_kg_per_kwh: float,
    quantization_bits: float = 16,
    mix: tuple[float, float, float] = (np.nan, np.nan, np.nan),
    wue: tuple[float, float] | None = None,
) -> dict[str, Bounds]:
    """EcoLogits' impacts of one request generating ``output_tokens`` tokens.

    Returns Bounds of ``energy_kwh`` (facility energy, PUE included), ``usage_kgco2e``
    (energy × ``grid_factor_kg_per_kwh``) and ``embodied_kgco2e`` (the request's share of
    the GPUs' and server's manufacture), each as EcoLogits' min–max with its mean as central.
    With ``mix`` — the place's ADPe [kg Sb eq/kWh], primary energy [MJ/kWh] and water [L/kWh]
    per kWh (:mod:`greenit.factors.criteria`) — also EcoLogits' ``adpe_usage_kgsbeq``,
    ``adpe_embodied_kgsbeq``, ``pe_usage_mj``, ``pe_embodied_mj`` and, with the provider's
    on-site ``wue`` [L/kWh], ``water_usage_m3`` (EcoLogits models no embodied water). A figure
    whose input is not given is NaN, never 0; the embodied ADPe and PE need no place.

    >>> spec = ModelSpec("mistral-large-2407", "mistralai", 123, 123, 123, 123)
    >>> impacts = request_impacts(spec, 400, pue=(1.16, 1.16), grid_factor_kg_per_kwh=0.0461)
    >>> round(impacts["energy_kwh"].central * 1000, 3), round(impacts["embodied_kgco2e"].central * 1000, 4)
    (0.354, 0.032)
    """
    from ecologits.impacts.llm import compute_llm_impacts

    adpe, pe, water = (float(v) for v in mix)
    impacts = compute_llm_impacts(
        model_active_parameter_count=_range(spec.active_low, spec.active_high),
        model_total_parameter_count=_range(spec.total_low, spec.total_high),
        output_token_count=float(output_tokens),
        if_electricity_mix_adpe=_given(adpe),
        if_electricity_mix_pe=_given(pe),
        if_electricity_mix_gwp=float(grid_factor_kg_per_kwh),
        if_electricity_mix_wue=_given(water),
        datacenter_pue=_range(*pue),
        datacenter_wue=_range(*wue) if wue is not None else 0.0,
        tps=spec.tps,
        ttft=spec.ttft,
        model_quantization_bits=int(quantization_bits),
    )
    usage, embodied = impacts.usage, impacts.embodied
    return {
        "energy_kwh": _as_bounds(impacts.energy.value),
        "usage_kgco2e": _as_bounds(usage.gwp.value),
        "embodied_kgco2e": _as_bounds(embodied.gwp.value),
        "adpe_usage_kgsbeq": _unless(np.isnan(adpe), _as_bounds(usage.adpe.value)),
        "adpe_embodied_kgsbeq": _as_bounds(embodied.adpe.value),
        "pe_usage_mj": _unless(np.isnan(pe), _as_bounds(usage.pe.value)),
        "pe_embodied_mj": _as_bounds(embodied.pe.value),
        "water_usage_m3": _unless(np.isnan(water) or wue is None, _as_bounds(usage.wcf.value) * 0.001),
    }


def _given(value: float) -> float:
    """A figure per kWh EcoLogits can take: 0 in place of one not given (its result is then NaN)."""
    return 0.0 if np.isnan(value) else float(value)


def _unless(missing: bool, value: Bounds) -> Bounds:
    """``value``, or NaN bounds when one of its inputs was not given (« non renseigné », never 0)."""
    return Bounds(np.nan, np.nan, np.nan) if missing else value


def request_impacts_by_length(spec: ModelSpec, output_tokens: np.ndarray, **options) -> dict[str, Bounds]:
    """:func:`request_impacts` for one request of each length in ``output_tokens`` (arrays of Bounds).

    EcoLogits' impacts of a request are affine in its length: generation energy is energy per
    token × tokens, and the server's energy and the embodied share follow the generation time,
    tokens ÷ throughput + time to first token. So two calls (no token, the longest length)
    give the line for every length of a per-request log, and a third call at a middle length
    checks it; should EcoLogits ever stop being affine, each distinct length gets its own call.
    """
    lengths = np.unique(output_tokens)
    if len(lengths) <= 3:
        return _each_length(spec, output_tokens, lengths, options)
    top, middle = float(lengths[-1]), float(lengths[len(lengths) // 2])
    start, end = request_impacts(spec, 0, **options), request_impacts(spec, top, **options)
    check = request_impacts(spec, middle, **options)

    def line(name: str, tokens) -> Bounds:
        return Bounds(*(a + (b - a) * (tokens / top) for a, b in zip(start[name], end[name], strict=True)))

    for name, expected in check.items():
        if not np.allclose(list(line(name, middle)), list(expected), rtol=1e-9, atol=0, equal_nan=True):
            return _each_length(spec, output_tokens, lengths, options)
    return {name: line(name, np.asarray(output_tokens, dtype=float)) for name in check}


def _each_length(
    spec: ModelSpec, output_tokens: np.ndarray, lengths: np.ndarray, options
) -> dict[str, Bounds]:
    """One EcoLogits call per distinct length, spread back to the rows."""
    positions = np.searchsorted(lengths, output_tokens)
    per_length = [request_impacts(spec, float(n), **options) for n in lengths]
    return {
        name: Bounds(*(np.array([tuple(one[name])[i] for one in per_length])[positions] for i in range(3)))
        for name in per_length[0]
    }
