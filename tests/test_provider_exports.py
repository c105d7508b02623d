"""Providers' usage exports as they really come (issue 19): an OpenAI page that is not the last
(``has_more: true``) is said incomplete; Unix dates in milliseconds are read, not a traceback;
items that are not objects are counted and said, never silently dropped; counts that overflow
64 bits are flagged, never a traceback. Built from ``openai_usage_completions.json`` (README).
"""

from __future__ import annotations

import copy
import json

import pytest

from conftest import ROOT
from greenit.api import estimate_ai_files
from greenit.parsing.formats.providers import _day

REAL = ROOT / "tests" / "fixtures" / "real"
OPENAI = json.loads((REAL / "openai_usage_completions.json").read_text(encoding="utf-8"))
#: The fixture's requests by day (README: 2310 + 87 on 2025-03-03, 2522 on 2025-03-04).
REQUESTS = 2310 + 87 + 2522


def result_of(tmp_path, document, name="usage.json") -> dict:
    path = tmp_path / name
    text = document if isinstance(document, str) else json.dumps(document)
    path.write_text(text, encoding="utf-8")
    return estimate_ai_files([path], year=2025).result()


def notes_of(result: dict) -> list[str]:
    return [str(n) for n in result["files"][0].get("notes", [])]


def requests_of(result: dict) -> float:
    return sum(r.get("requests") or 0 for r in result["runs"])


@pytest.mark.parametrize(
    ("value", "day"),
    [
        (1740960000, "2025-03-03"),  # seconds
        (1740960000.5, "2025-03-03"),
        (1740960000000, "2025-03-03"),  # milliseconds (JavaScript, MLflow)
        (1740960000000000, "2025-03-03"),  # microseconds
        (1740960000000000000, "2025-03-03"),  # nanoseconds (pandas)
        ("2025-03-03T10:00:00Z", "2025-03-03"),
        ("2025-03-03", "2025-03-03"),
        (0, "1970-01-01"),
        (-1, None),
        (1e300, None),
        (float("inf"), None),
        (10**30, None),
        (True, None),
        ([2025], None),
        ({"t": 1}, None),
        (None, None),
        ("", None),
        (float("nan"), None),
    ],
)
def test_unix_dates_by_their_magnitude(value, day):
    assert _day(value) == day


def test_an_openai_page_that_is_not_the_last_is_said_incomplete(tmp_path):
    document = copy.deepcopy(OPENAI)
    document["has_more"], document["next_page"] = True, "page_AAAAAGdGxdEATd6v"
    result = result_of(tmp_path, document)
    assert requests_of(result) == REQUESTS  # this page's figures, as given
    (note,) = notes_of(result)
    assert note.startswith("export incomplet : l'API a d'autres pages (has_more: true")
    assert "page_AAAAAGdGxdEATd6v" in note
    assert notes_of(result_of(tmp_path, OPENAI)) == []  # the last page: nothing to say


@pytest.mark.parametrize("factor", [1000, 1_000_000])
def test_millisecond_buckets_are_read_on_their_day(tmp_path, factor):
    document = copy.deepcopy(OPENAI)
    for bucket in document["data"]:
        bucket["start_time"] *= factor
        bucket["end_time"] *= factor
    result = result_of(tmp_path, document)
    assert requests_of(result) == REQUESTS
    assert result["periods"]["months"] == ["2025-03"]
    # three buckets (2025-03-03, 03-04, and 03-08 without use): three start times
    assert notes_of(result) == [
        "3 dates Unix lues en millisecondes (ou plus fin) d'après leur grandeur, pas en secondes"
    ]


@pytest.mark.parametrize(
    ("where", "junk", "left_out"),
    [
        ("data", ["bucket"], 1),
        ("data", [42, None, [1, 2]], 3),
        ("data", [{"object": "bucket"}], 1),  # an object without results nor usage
        ("results", ["x"], 1),
        ("results", ["x", 7, None], 3),
    ],
)
def test_items_that_are_not_objects_are_counted_and_said(tmp_path, where, junk, left_out):
    document = copy.deepcopy(OPENAI)
    target = document["data"] if where == "data" else document["data"][0]["results"]
    target.extend(junk)
    result = result_of(tmp_path, document)
    assert requests_of(result) == REQUESTS  # the real items all read
    (note,) = notes_of(result)
    words = (
        "élément de l'export n'est pas un objet"
        if left_out == 1
        else "éléments de l'export ne sont pas des objets"
    )
    assert note.startswith(f"{left_out} {words}")


def test_results_that_are_an_object_are_read_not_dropped(tmp_path):
    document = copy.deepcopy(OPENAI)
    document["data"][0]["results"] = document["data"][0]["results"][0]  # one result, not a list
    result = result_of(tmp_path, document)
    assert requests_of(result) == 2310 + 2522


@pytest.mark.parametrize("tokens", [10**30, 2**64, 2**63, 1.7e308, -5])
def test_overflowing_or_negative_token_counts_are_flagged_not_a_traceback(tmp_path, tokens):
    document = copy.deepcopy(OPENAI)
    document["data"][0]["results"][0]["input_tokens"] = tokens
    result = result_of(tmp_path, document)
    assert len(result["flagged"]) == 1 and result["flagged"][0]["row"] == 1
    assert requests_of(result) == 87 + 2522


def test_saved_responses_lines_that_are_no_objects_are_flagged_and_ms_dates_read(tmp_path):
    def response(id_: str, created: int, tokens: tuple[int, int]) -> dict:
        usage = {"prompt_tokens": tokens[0], "completion_tokens": tokens[1]}
        return {"id": id_, "created": created, "model": "mistral-small-latest", "usage": usage}

    lines = [response("a", 1741000000, (100, 50)), 42, "x", [1, 2], response("b", 1741000000000, (80, 40))]
    result = result_of(tmp_path, "\n".join(json.dumps(line) for line in lines), name="responses.jsonl")
    assert sorted(f["row"] for f in result["flagged"]) == [2, 3, 4]
    assert all("pas un objet JSON" in f["reason"] for f in result["flagged"])
    assert requests_of(result) == 2 and result["periods"]["months"] == ["2025-03"]
    assert notes_of(result) == [
        "1 date Unix lue en millisecondes (ou plus fin) d'après sa grandeur, pas en secondes"
    ]


@pytest.mark.parametrize(
    "document",
    ["[1, 2, 3]", '{"data": "x"}', '{"data": [1, "a"]}', "[" * 100_000, '{"object": "page"}'],
)
def test_exports_with_no_usage_at_all_exit_2(tmp_path, run_cli, document):
    path = tmp_path / "usage.json"
    path.write_text(document, encoding="utf-8")
    code, _, err = run_cli("ai", "estimate", path, "--year", "2025")
    assert code == 2 and "Traceback" not in err
