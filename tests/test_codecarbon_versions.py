"""CodeCarbon's emissions.csv of every version (issue 19): 1.x and 2.x files counted as zero
before (their region « île-de-france » flagged every row), now read by their own columns.

Table-driven: a file is written in each version's column set (``VERSIONS``, read per git tag)
the way that version writes it (1.x ``csv.DictWriter`` CRLF, 2.x and later pandas LF), with
hand-chosen values, and read back.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pandas as pd
import pytest

from conftest import ROOT
from greenit.api import estimate_ai_files
from greenit.factors import load_factors
from greenit.parsing.formats.codecarbon import VERSIONS, gpu_models, recognises, version_of
from greenit.parsing.readers import read_table

REAL = ROOT / "tests" / "fixtures" / "real"

#: Two runs, by column name; any column a version lacks is left out.
RUNS = [
    {
        "timestamp": "2024-02-13T02:00:00",  # written at the end: the run began the day before
        "project_name": "tri-courriers",
        "run_id": "0f1e2d3c-4b5a-4968-8776-655443322110",
        "experiment_id": "5b0fa12a-3dd7-43c7-8f4c-6d3c1f0b2a11",
        "duration": 37359.0,
        "emissions": 0.6437,
        "energy_consumed": 7.5818828,
        "country_name": "France",
        "country_iso_code": "FRA",
        "region": "île-de-france",
        "on_cloud": "N",
        "gpu_count": 2.0,
        "gpu_model": "2 x NVIDIA A100-SXM4-80GB",
        "codecarbon_version": "2.3.4",
        "pue": 1.0,
    },
    {
        "timestamp": "2024-02-13T10:15:30",
        "project_name": "classement-pieces-jointes",
        "run_id": "a9b8c7d6-e5f4-4a3b-8c2d-1e0f9a8b7c6d",
        "experiment_id": "e3c1b6d2-0f5e-4b7a-9a53-2f1d7c9e8b40",
        "duration": 1803.5,
        "emissions": 0.00089,
        "energy_consumed": 0.0104767,
        "country_name": "France",
        "country_iso_code": "FRA",
        "region": "Île-de-France",  # edited by hand: capitals and accents
        "on_cloud": "N",
    },
]


def write_version(path, columns: tuple[str, ...], versions: str) -> None:
    rows = [{c: run.get(c, "") for c in columns} for run in RUNS]
    if versions.startswith(("0.", "1.")):  # csv.DictWriter on a file opened "a+": CRLF
        buffer = io.StringIO(newline="")
        writer = csv.DictWriter(buffer, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
        path.write_bytes(buffer.getvalue().encode("utf-8"))
    else:
        pd.DataFrame.from_records(rows, columns=list(columns)).to_csv(path, index=False)


@pytest.mark.parametrize("versions", list(VERSIONS))
def test_every_codecarbon_version_s_file_is_read_with_its_measured_energy(tmp_path, versions):
    columns = VERSIONS[versions]
    path = tmp_path / "emissions.csv"
    write_version(path, columns, versions)
    raw = read_table(path)
    assert recognises([c for c in raw.columns if c not in ("file", "row", "line")])
    assert version_of(list(columns)) == versions
    result = estimate_ai_files([path], year=2024).result()
    assert (result["runs_in"], result["runs_estimated"]) == (2, 2)
    assert result["totals"]["energy_kwh"] == pytest.approx(7.5818828 + 0.0104767)
    assert result["files"][0]["kind"] == "codecarbon"
    assert [str(n) for n in result["files"][0]["notes"]] == [
        f"emissions.csv de CodeCarbon {versions} (colonnes de ces versions)"
    ]
    hours = sorted(r["hours"] for r in result["runs"])
    assert hours == pytest.approx([1803.5 / 3600, 37359.0 / 3600])


@pytest.mark.parametrize("versions", list(VERSIONS))
def test_a_run_starts_its_duration_before_the_row_s_timestamp(tmp_path, versions):
    from greenit.ai.runs.normalise import normalise_workloads

    path = tmp_path / "emissions.csv"
    write_version(path, VERSIONS[versions], versions)
    runs = normalise_workloads(read_table(path), load_factors())
    start = datetime(2024, 2, 13, 2, 0, 0) - timedelta(seconds=37359)  # 2024-02-12 15:37:21
    assert runs["started_at"].iloc[0] == pd.Timestamp(start.date())  # greenit keeps the day
    assert runs["reason"].isna().all()  # « île-de-france », « Île-de-France »: never a flag
    assert runs["country"].astype(str).tolist() == ["FRA", "FRA"]


def test_the_research_fixtures_of_1_2_and_2_3_read_as_their_readme_says():
    v1 = estimate_ai_files([REAL / "codecarbon_v1_2_emissions.csv"], year=2021).result()
    assert (v1["runs_in"], v1["runs_estimated"]) == (3, 3)  # one uuid per row: three runs
    assert v1["totals"]["energy_kwh"] == pytest.approx(0.04265190555555556 + 0.363649105 + 0.00813005)
    v2 = estimate_ai_files([REAL / "codecarbon_v2_3_emissions.csv"], year=2024).result()
    assert (v2["runs_in"], v2["runs_estimated"], v2["files"][0]["rows"]) == (3, 3, 4)  # a flush row
    assert v2["totals"]["energy_kwh"] == pytest.approx(7.5818828 + 0.0104767 + 0.290171)
    by_id = {r["run_id"][:8]: r for r in v2["runs"]}
    assert by_id["5c4d3e2f"]["region"] == "europe-west9"  # on GCP: the cloud region, not the country
    assert by_id["0f1e2d3c"]["accelerator"] == "a100_sxm_80gb" and by_id["0f1e2d3c"]["accelerator_count"] == 2
    assert (
        "GPU de deux modèles (« 1 x NVIDIA L41 x Tesla T4 ») : le premier, NVIDIA L4"
        in by_id["5c4d3e2f"]["notes"]
    )


@pytest.mark.parametrize(
    "label, total, expected",
    [
        ("2 x NVIDIA A100-SXM4-80GB", 2, [(2, "NVIDIA A100-SXM4-80GB")]),
        ("1 x NVIDIA L41 x Tesla T4", 2, [(1, "NVIDIA L4"), (1, "Tesla T4")]),
        ("1 x NVIDIA L41 x Tesla T4", None, [(1, "NVIDIA L4"), (1, "Tesla T4")]),
        ("4 x NVIDIA H1004 x NVIDIA A100", 8, [(4, "NVIDIA H100"), (4, "NVIDIA A100")]),
        ("4 x NVIDIA H10012 x NVIDIA A100", 16, [(4, "NVIDIA H100"), (12, "NVIDIA A100")]),
        ("8 x Tesla V100-SXM2-32GB", 8.0, [(8, "Tesla V100-SXM2-32GB")]),
        ("", None, []),
        (None, None, []),
        ("NVIDIA A100", 1, []),
    ],
)
def test_gpu_models_as_codecarbon_joins_them(label, total, expected):
    assert gpu_models(label, total) == expected


def test_a_file_that_is_not_codecarbon_s_is_not_taken_for_one():
    assert not recognises(["timestamp", "duration", "energy_consumed", "emissions"])  # no run id
    assert not recognises(["run_id", "project", "duration (h)", "energy (kWh)"])
