"""AI run logs → the ``runs`` frame: canonical columns and units, accelerators, places, flags.

Every data row of a log is a run of the output, in file order — hand-written CSV/XLSX, JSON
Lines, Slurm ``sacct`` exports (:mod:`greenit.parsing.formats.slurm`), CodeCarbon ``emissions.csv``
(:mod:`greenit.parsing.formats.codecarbon`) and greenit's own ``track`` log. The only rows ever merged are
rows that a later row of the same run supersedes: a tracked run's checkpoints and CodeCarbon's
cumulative flush rows (:mod:`greenit.parsing.checkpoints`). A Slurm job's steps ran inside its
allocation: each stays a row, ``part_of`` its job, whose row holds the whole job and lists them
in ``steps`` (:mod:`greenit.parsing.formats.slurm`); a step is counted there, never twice.

Stages: recognise the layout (:func:`as_log`) → who and what (:func:`identity`) → the numbers
(:mod:`greenit.ai.runs.quantities`) → the accelerator (:func:`read_hardware`) → the place
(:func:`read_places`). Each bad cell flags its run with the reason; no default replaces a value
the log gave. The formulas live in :mod:`greenit.ai.runs.estimate`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.ai.runs.accelerators import accelerator_resolver, check_accelerator, read_accelerators
from greenit.ai.runs.columns import AI_ALIASES
from greenit.ai.runs.places import place_resolver
from greenit.ai.runs.plausible import check_plausible
from greenit.ai.runs.quantities import blank_missing, read_quantities
from greenit.errors import InputFileError
from greenit.factors import FactorSet
from greenit.flags import Flags
from greenit.i18n import msg
from greenit.parsing import formats
from greenit.parsing.checkpoints import drop_superseded_checkpoints
from greenit.parsing.dates import parse_date_column
from greenit.parsing.formats.slurm import slurm_notes
from greenit.parsing.formats.tracklog import is_track_log, track_notes
from greenit.parsing.frames import as_categorical
from greenit.parsing.frozen import frozen
from greenit.parsing.headers import HeaderMatch, map_headers
from greenit.parsing.readers import data_headers, read_flags
from greenit.parsing.text import fold
from greenit.parsing.totals import totals_rows

_PHASE_WORDS = [
    (
        "fine-tuning",
        ("fine tuning", "finetuning", "finetune", "fine tune", "ft", "ajustement", "affinage", "reglage fin")
        + ("sft", "lora"),
    ),
    ("training", ("training", "entrainement", "train", "pretraining", "pre training", "apprentissage")),
    (
        "inference",
        (
            "inference",
            "infer",
            "serving",
            "serve",
            "production",
            "prediction",
            "deploiement",
            "service",
            "api",
        ),
    ),
    ("evaluation", ("evaluation", "eval", "test", "benchmark", "validation")),
]
_ENERGY_SOURCES = {"duration", "accelerator_hours", "energy", "power"}


def phase_of(label: object) -> str | None:
    """'Entraînement' → 'training'; unknown labels → 'other'; missing → None.

    >>> phase_of("Entraînement"), phase_of("ft-mistral7b"), phase_of("prep-data")
    ('training', 'fine-tuning', 'other')
    """
    if label is None or label is pd.NA or (isinstance(label, float) and np.isnan(label)):
        return None
    folded = f" {fold(label)} "
    for phase, words in _PHASE_WORDS:
        if any(f" {word} " in folded for word in words):
            return phase
    return "other"


def as_log(raw: pd.DataFrame, factors: FactorSet) -> tuple[pd.DataFrame, str]:
    """The raw frame in the canonical log layout, and where it came from.

    ``log`` (a hand-written or exported log), ``track`` (greenit track), or the key of the AI run
    log format of :mod:`greenit.parsing.formats` that recognises it (``codecarbon``, ``slurm``…),
    whose converter gives the canonical layout.
    """
    source = "track" if is_track_log(raw) else "log"
    raw = drop_superseded_checkpoints(raw)  # the only rows ever merged: a tracked run's checkpoints
    headers = data_headers(raw)
    for fmt in formats.of_kind("ai_runs"):
        if fmt.to_log is not None and fmt.recognises is not None and fmt.recognises(headers):
            context = formats.RunLogContext(factors, accelerator_resolver(factors))
            return fmt.to_log(raw, context), fmt.key
    return raw, source


def _log_headers(raw: pd.DataFrame) -> dict[str, HeaderMatch]:
    headers = map_headers(data_headers(raw), AI_ALIASES)
    if not _ENERGY_SOURCES & set(headers):
        path = raw["file"].iloc[0] if len(raw) else "input"
        raise InputFileError.of(
            "ai.not_a_log", "ai.not_a_log_hint", path=str(path), columns=", ".join(data_headers(raw))[:200]
        )
    return headers


def _text(raw: pd.DataFrame, match: HeaderMatch | None) -> pd.Series:
    if match is None:
        return pd.Series(pd.NA, index=raw.index, dtype="string")
    return raw[match.header].astype("string").str.strip().replace("", pd.NA)


def identity(raw: pd.DataFrame, headers: dict[str, HeaderMatch], source: str) -> pd.DataFrame:
    """Where each run comes from and what it is: position, run id, project, phase, Slurm lines."""
    out = pd.DataFrame(
        {"file": as_categorical(raw["file"]), "row": raw["row"].to_numpy(), "line": raw["line"].to_numpy()},
        index=raw.index,
    )
    out["source"] = source
    names = raw["file"].astype(str).str.rsplit("/", n=1).str[-1] + "#" + raw["row"].astype(str)
    out["run_id"] = _text(raw, headers.get("run_id")).fillna(names.astype("string"))
    out["project"] = _text(raw, headers.get("project"))
    phase_text = _text(raw, headers.get("phase"))
    out["phase_label"] = phase_text
    out["phase"] = as_categorical(phase_text.astype(object), lambda v: phase_of(v) or "other")
    for column in ("part_of", "steps", "state"):  # Slurm: a step's job; a job's other lines; the state
        out[column] = raw[column].astype("string") if column in raw.columns else pd.NA
    out["step_rows"] = raw["step_rows"].to_numpy() if "step_rows" in raw.columns else 0
    return out


def _started_at(raw: pd.DataFrame, match: HeaderMatch | None, flags: Flags) -> pd.Series:
    if match is None:
        return pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    text = blank_missing(raw[match.header]).astype("string").str.replace("T", " ", regex=False)
    dates, errors = parse_date_column(text, match.header)
    flags.add(pd.notna(errors), errors)
    return dates


def read_hardware(
    raw: pd.DataFrame,
    match: HeaderMatch | None,
    out: pd.DataFrame,
    flags: Flags,
    factors: FactorSet,
    default: str | None = None,
) -> None:
    """``accelerator_label``, ``accelerator`` (table key) and a count written in the cell.

    ``2x H100`` gives the count when the log has no count column; a count column that says
    otherwise flags the run. ``default`` (``--accelerator``) names the model of rows that
    do not, except rows that say they used no accelerator (a count of 0).
    """
    resolve = accelerator_resolver(factors)
    labels = blank_missing(raw[match.header]) if match else pd.Series(None, index=raw.index, dtype=object)
    if default is not None:
        check_accelerator(factors, default)
        labels = labels.astype(object).where(labels.notna() | (out["accelerator_count"] == 0), default)
    written, key, in_cell = read_accelerators(labels, resolve)
    count = out["accelerator_count"].to_numpy(dtype=float)
    conflict = ~np.isnan(in_cell) & ~np.isnan(count) & (in_cell != count)
    flags.add_each(conflict, labels, "ai.flag.count_conflict", column=match.header if match else "")
    out["accelerator_count"] = np.where(np.isnan(count), in_cell, count)
    out["accelerator_label"] = written
    out["accelerator"] = key


def read_places(
    raw: pd.DataFrame,
    match: HeaderMatch | None,
    out: pd.DataFrame,
    flags: Flags,
    factors: FactorSet,
    default: str,
) -> None:
    """``region`` (key of cloud_regions.csv), ``country`` (ISO-3) and ``location_given``.

    A run whose log gives no place is in ``default``; a place given but not recognised
    (``Lyon``) flags the run — it is never moved to the default country.
    """
    n = len(raw)
    if match is None:
        text = pd.Series(pd.Categorical([None] * n, categories=pd.Index([], dtype=object)), index=raw.index)
    else:
        text = as_categorical(blank_missing(raw[match.header]))
    resolve = place_resolver(factors)
    places = {label: resolve(label) for label in text.cat.categories}
    given = text.notna().to_numpy()

    def region_of(label: object) -> str | None:
        place = places[label]
        return place.region if place else None

    def country_of(label: object) -> str | None:
        place = places[label]
        return place.country if place else None

    region = as_categorical(text, region_of)
    country = as_categorical(text, country_of).astype(object)
    unknown = given & region.isna().to_numpy() & country.isna().to_numpy()
    if match is not None:
        flags.add_each(unknown, text, "ai.flag.unknown_location", column=match.header)
    out["region"] = region
    out["country"] = as_categorical(country.where(given, default))
    out["location_given"] = given


def normalise_workloads(
    raw: pd.DataFrame, factors: FactorSet, *, default_country: str = "FRA", accelerator: str | None = None
) -> pd.DataFrame:
    """Map headers and units of an AI log; resolve accelerators, phases and places.

    Parameters
    ----------
    raw : DataFrame
        A log as read by :func:`greenit.parsing.readers.read_table`.
    factors : FactorSet
        Accelerator, region and country tables (and ``slurm_partitions``).
    default_country : str
        ISO-3 country of runs whose log gives no place.
    accelerator : str, optional
        Model of the accelerators of rows that do not name one (``--accelerator``).

    Returns
    -------
    DataFrame
        Stage ``runs`` of :mod:`greenit.schema`: one row per run with floats in canonical
        units and ``reason`` (missing where the run can be estimated).
    """
    raw, source = as_log(raw, factors)
    headers = _log_headers(raw)
    flags, notes = Flags(len(raw)), Flags(len(raw))
    _add_read_flags(raw, flags, notes)  # what the file's reader or format said of its rows
    out = identity(raw, headers, source)
    for column, values in read_quantities(
        raw, headers, flags, slurm_clock=source == "slurm", notes=notes
    ).items():
        out[column] = values
    _measurement_range(raw, out, factors)
    out["started_at"] = _started_at(raw, headers.get("started_at"), flags)
    out["ended_at"] = _started_at(raw, headers.get("ended_at"), flags)
    read_hardware(raw, headers.get("accelerator"), out, flags, factors, accelerator)
    read_places(raw, headers.get("location"), out, flags, factors, default_country)
    check_plausible(raw, headers, out, factors, flags)
    labels = [headers[c].header for c in ("run_id", "project", "phase") if c in headers]
    flags.add(totals_rows(raw, labels), msg("rows.totals_run"))  # « Total » adds the others up
    if source == "slurm":
        option_key = check_accelerator(factors, accelerator) if accelerator is not None else None
        slurm_notes(raw, out, notes, accelerator, option_key)
        carries = out["part_of"].isna().to_numpy()
        flags.add_each(carries & (out["hours"].to_numpy() == 0), out["state"], "ai.flag.slurm_never_ran")
    elif source == "track":  # a run that shared the machine, or left processes running
        track_notes(raw, notes)
    out["reason"] = flags.column()
    # a step's own line is not estimated (its job is): what that line lacks is asked of no one
    out.loc[out["part_of"].notna().to_numpy(), "reason"] = np.nan
    out["notes"] = notes.column()
    out = out.reset_index(drop=True)
    out.attrs["file_notes"] = frozen(list(raw.attrs.get("file_notes") or []))  # not copied by pandas
    return out


def _measurement_range(raw: pd.DataFrame, out: pd.DataFrame, factors: FactorSet) -> None:
    """A measured energy's range, when the log's format names the parameter that gives it
    (nvidia-smi: ``nvidia_smi_energy`` of ``ai_parameters.csv``, its sampling error):
    ``measured_energy_low_kwh`` and ``measured_energy_high_kwh``.
    """
    name = raw.attrs.get("energy_range_parameter")
    if name and "energy_kwh" in out.columns:
        value, low, high = factors.parameter(name)
        out["measured_energy_low_kwh"] = out["energy_kwh"] * low / value
        out["measured_energy_high_kwh"] = out["energy_kwh"] * high / value


def _add_read_flags(raw: pd.DataFrame, flags: Flags, notes: Flags) -> None:
    """The reasons and notes reading put on rows (``row_reasons``/``row_notes``, by data row)."""
    reasons, read_notes = read_flags(raw)
    for found, into in ((reasons, flags), (read_notes, notes)):
        for position, messages in found.items():
            for message in messages:
                into.add_at(position, message)
