"""Usage logs of hosted models as the world writes them: one test per family of header spellings.

Real-format fixtures are in ``tests/fixtures/real`` (see its README for each layout's source);
the expected readings below are the ones its README states.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_hosted import offline  # noqa: F401  (every test here runs with the network disabled)

from conftest import ROOT, write

REAL = ROOT / "tests" / "fixtures" / "real"


def read(path, country="FRA"):
    from greenit.ai.files import log_kind, read_ai_file
    from greenit.ai.hosted.usage import normalise_usage
    from greenit.factors import load_factors

    raw = read_ai_file(path)
    assert log_kind(raw) == "usage_log"
    return normalise_usage(raw, load_factors(), default_country=country)


def estimate(path):
    from greenit.api import estimate_ai_files

    return estimate_ai_files([path]).hosted.reset_index(drop=True)


def reasons(frame, lang="en"):
    from greenit.flags import render_column

    return render_column(frame["reason"], lang).tolist()


def test_a_town_hand_kept_log_in_french_with_spaces_and_periods_as_people_write_them():
    usage = read(REAL / "town_ai_services.csv")
    assert usage["service"].tolist()[:2] == ["Chatbot citoyen", "Assistant des agents"]
    assert usage["requests"].tolist()[:2] == [18420, 6150]
    assert usage["input_tokens"].tolist()[:2] == [9_210_000, 7_380_000]  # thin space, then U+00A0
    assert usage["output_tokens"].tolist()[:2] == [3_684_000, 2_460_000]
    assert [str(d.date()) for d in usage["period_start"]] == [
        "2025-03-01",
        "2025-03-01",
        "2025-01-01",
        "2025-03-01",
        "2025-01-01",
    ]
    rows = estimate(REAL / "town_ai_services.csv")
    assert rows["estimate_status"].tolist() == ["estimated", "flagged", "flagged", "flagged", "flagged"]
    text = reasons(rows)
    assert "'whisper-1'" in text[2] and "output tokens: missing" in text[2]
    assert "output tokens: missing" in text[4]  # Copilot row: no figures at all


def test_openai_usage_api_buckets_one_row_per_model_and_day():
    usage = read(REAL / "openai_usage_completions.json")
    assert len(usage) == 3  # the empty day has no row
    assert usage["provider_label"].tolist() == ["OpenAI"] * 3
    mini = usage[usage["model_label"] == "gpt-4o-mini-2024-07-18"]
    assert mini["requests"].sum() == 4832
    assert mini["input_tokens"].sum() == 3_854_740
    assert mini["output_tokens"].sum() == 867_770
    assert usage["period"].astype(str).tolist() == ["2025-03-03", "2025-03-03", "2025-03-04"]
    rows = estimate(REAL / "openai_usage_completions.json")
    assert (rows["estimate_status"] == "estimated").all()
    assert (rows["total_low_kgco2e"] < rows["total_high_kgco2e"]).all()  # closed models: a range


def test_anthropic_usage_report_adds_the_three_input_counts_and_has_no_request_count(english):
    usage = read(REAL / "anthropic_usage_report_messages.json")
    assert usage["input_tokens"].tolist() == [918_530, 58_120, 985_324]
    assert usage["output_tokens"].tolist() == [201_330, 19_870, 221_415]
    assert usage["requests"].isna().all()  # never 0
    rows = estimate(REAL / "anthropic_usage_report_messages.json")
    # Claude 3.5 Haiku and 3.7 Sonnet are not in EcoLogits 0.11: flagged with the closest names
    assert "close names: claude-haiku-4-5" in reasons(rows)[0]


def test_saved_mistral_chat_responses_one_request_per_line():
    usage = read(REAL / "mistral_chat_responses.jsonl")
    assert usage["requests"].tolist() == [1, 1, 1, 1]
    assert usage.groupby("model_label", observed=True)["output_tokens"].sum().to_dict() == {
        "mistral-small-latest": 602,
        "mistral-large-2411": 961,
        "mistral-small-2503": 0,
    }
    rows = estimate(REAL / "mistral_chat_responses.jsonl")
    assert rows["estimate_status"].tolist() == ["estimated"] * 3 + ["flagged"]
    assert "no token generated" in reasons(rows)[3]  # the failed request
    assert rows.at[2, "model"] == "mistral-large-2411"  # from genai_models.csv (123B dense)


def test_albert_usage_list_one_row_per_call():
    usage = read(REAL / "albert_usage.json")
    models = ["albert-large", "albert-small", "embeddings-small", "audio-large"]
    assert usage["model_label"].tolist() == models
    assert usage["output_tokens"].tolist()[:3] == [412, 96, 0]
    assert np.isnan(usage.at[3, "output_tokens"])
    assert usage["country"].isna().all()  # Albert is not an EcoLogits provider: --country applies


def test_g4it_ai_parameters_give_the_model_size_and_the_requests_per_user():
    """G4IT's EcoMind input: requests = users per year × requests per user; the size is the file's."""
    usage = read(REAL / "g4it_ai_parameters.csv")
    assert usage["requests"].tolist() == [1200 * 1800, 60 * 2700]
    assert usage["output_tokens"].tolist() == [1_814_400_000, 64_800_000]
    assert usage["parameters_billion"].tolist() == [8, 7]
    assert usage["quantization_bits"].tolist() == [16, 4]  # none, q4
    rows = estimate(REAL / "g4it_ai_parameters.csv")
    assert (rows["estimate_status"] == "estimated").all()
    assert (rows["energy_per_request_wh"] > 0).all()


def test_g4it_ai_services_template_header(tmp_path):
    """``serviceName;provider;model;outputTokens;location``: G4IT's inv_AIservices.csv template
    (G4ITTeam/g4it, services/backend/storage/--INTERNAL-G4IT--/0/templates, commit 678cc94).
    """
    log = write(
        tmp_path / "inv_AIservices.csv",
        "serviceName;provider;model;outputTokens;location\nChatbot;mistralai;mistral-small-latest;1200000;FRA\n",
    )
    usage = read(log)
    assert usage.at[0, "service"] == "Chatbot" and usage.at[0, "output_tokens"] == 1_200_000
    assert usage.at[0, "country"] == "FRA" and bool(usage.at[0, "location_given"])
    rows = estimate(log)
    assert rows.at[0, "estimate_status"] == "estimated"
    assert rows.at[0, "country"] == "FRA"


def test_english_headers_with_a_multiplier_in_the_header(tmp_path):
    log = write(
        tmp_path / "usage.csv",
        "Service,Provider,Model,Requests,Input tokens (M),Output tokens (M),Month\n"
        "Chatbot,Mistral AI,mistral-small-latest,12000,19.8,3.1,2025-01\n",
    )
    usage = read(log)
    assert usage.at[0, "input_tokens"] == pytest.approx(19_800_000)
    assert usage.at[0, "output_tokens"] == pytest.approx(3_100_000)
    assert str(usage.at[0, "period_start"].date()) == "2025-01-01"


def test_counts_with_units_in_the_cells_and_bad_cells_flagged(tmp_path, english):
    log = write(
        tmp_path / "usage.csv",
        "service;modèle;requêtes;jetons de sortie\n"
        "A;mistral-small-latest;2,3 k requêtes;1,2 M jetons\n"
        "B;mistral-small-latest;beaucoup;400\n",
    )
    usage = read(log)
    assert usage.at[0, "requests"] == 2300 and usage.at[0, "output_tokens"] == 1_200_000
    assert "requêtes: 'beaucoup' is not a number" in reasons(usage)[1]


def test_the_sample_town_log_is_read_whole_and_as_an_xlsx_too(tmp_path):
    sample = ROOT / "examples" / "ville-exemple" / "usage_ia_generative.csv"
    usage = read(sample)
    assert len(usage) == 47 and usage["reason"].isna().all()
    assert usage["service"].nunique() == 4
    workbook = tmp_path / "usage.xlsx"
    pd.read_csv(sample, sep=";", dtype=str, encoding="utf-8-sig").to_excel(workbook, index=False)
    assert read(workbook)["output_tokens"].sum() == usage["output_tokens"].sum()


@pytest.mark.parametrize(
    ("fixture", "kind"),
    [
        ("ai_runs_hand_typed.csv", "run_log"),
        ("emissions_codecarbon.csv", "codecarbon"),
        ("sacct_parsable2.txt", "slurm"),
        ("openai_usage_completions.json", "usage_log"),
        ("town_ai_services.csv", "usage_log"),
        ("g4it_ai_parameters.csv", "usage_log"),
    ],
)
def test_the_kind_of_each_ai_file_is_detected(fixture, kind):
    from greenit.ai.files import log_kind, read_ai_file

    assert log_kind(read_ai_file(REAL / fixture)) == kind


def test_a_json_that_is_no_usage_export_is_a_user_error(tmp_path, run_cli):
    path = write(tmp_path / "config.json", '{"name": "x", "items": 3}')
    code, _, err = run_cli("ai", "estimate", path)
    assert code == 2
    assert "usage" in err
