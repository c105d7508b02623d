"""A large usage log is aggregated as read (issue 19: 1M usage rows took 11 GB, then 3.4 GB):
identical rows summed give the same totals as row by row, every line is still counted (estimated
or flagged, with its reason), and the coverage warning counts lines, not groups.
"""

from __future__ import annotations

import pytest

import greenit.ai.hosted.grouping as grouping
from greenit.api import estimate_ai_files

MODELS = ["mistral-small-latest", "gpt-4o-mini", "mistral-large-latest", "unknown-model-x"]


def usage_log(path, rows: int) -> None:
    """``rows`` requests: 4 models × 3 services × 6 days, tokens varying, one row in 7 with no
    output tokens (flagged), an unknown model (flagged), one day of 2019 (kept out of 2025).
    """
    lines = ["service,model,requests,input_tokens,output_tokens,period"]
    for i in range(rows):
        output = "" if i % 7 == 0 else str(50 + i % 311)
        day = "2019-06-01" if i % 13 == 0 else f"2025-03-{1 + i % 6:02d}"
        lines.append(f"svc-{i % 3},{MODELS[i % 4]},{1 + i % 2},{100 + i % 97},{output},{day}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def result(path, monkeypatch, group_from: int) -> dict:
    monkeypatch.setattr(grouping, "GROUP_FROM_ROWS", group_from)
    return estimate_ai_files([path], year=2025).result()


def lines_of(entries: list[dict]) -> int:
    return sum(int(e.get("lines") or 1) for e in entries)


@pytest.mark.parametrize("rows", [200, 1500])
def test_grouped_rows_give_the_totals_of_row_by_row(tmp_path, monkeypatch, rows):
    path = tmp_path / "usage.csv"
    usage_log(path, rows)
    apart, grouped = result(path, monkeypatch, 10**9), result(path, monkeypatch, 1)
    assert len(grouped["runs"]) < len(apart["runs"])  # rows were summed
    for key, value in apart["totals"].items():
        assert grouped["totals"][key] == pytest.approx(value, rel=1e-9), key
    # every line still counted once, estimated or flagged
    assert lines_of(grouped["runs"]) == len(apart["runs"])
    assert lines_of(grouped["flagged"]) == len(apart["flagged"])
    assert lines_of(grouped["runs"]) + lines_of(grouped["flagged"]) == rows
    assert grouped["coverage"] == pytest.approx(apart["coverage"])
    assert grouped["rows_in"] == apart["rows_in"] == rows
    # the same reasons, in the same proportions
    codes = {}
    for entry in apart["flagged"]:
        codes[entry["reason_code"]] = codes.get(entry["reason_code"], 0) + 1
    grouped_codes = {}
    for entry in grouped["flagged"]:
        grouped_codes[entry["reason_code"]] = grouped_codes.get(entry["reason_code"], 0) + int(entry["lines"])
    assert grouped_codes == codes
    note = str(grouped["files"][0]["notes"][-1])
    assert note.startswith(f"{rows} lignes : les lignes identiques")


def test_coverage_counts_lines_not_groups(tmp_path, monkeypatch):
    # 600 identical flagged lines (one group) and 400 distinct estimated lines: 40 % estimated
    rows = ["service,model,requests,input_tokens,output_tokens,period"]
    rows += ["chat,unknown-model-x,1,100,50,2025-03-01"] * 600
    rows += [f"chat,mistral-small-latest,1,{100 + i},50,2025-03-01" for i in range(400)]
    path = tmp_path / "usage.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    grouped = result(path, monkeypatch, 1)
    assert len(grouped["flagged"]) == 1 and grouped["flagged"][0]["lines"] == 600
    assert grouped["coverage"]["runs"] == pytest.approx(0.4)
    assert grouped["coverage"]["warning"] is True


def test_rows_with_their_own_id_or_impacts_are_never_summed(tmp_path, monkeypatch):
    import json

    usage = {"prompt_tokens": 10, "completion_tokens": 5}
    records = [
        {"id": f"r{i % 5}", "created": 1741000000, "model": "mistral-small-latest", "usage": usage}
        for i in range(10)
    ]
    path = tmp_path / "responses.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    grouped = result(path, monkeypatch, 1)
    assert len(grouped["runs"]) == 5 and len(grouped["flagged"]) == 5  # each id once, repeats flagged
    assert all("lines" not in e or e["lines"] in (None, 1) for e in grouped["runs"])


def test_small_logs_are_read_row_by_row(tmp_path):
    path = tmp_path / "usage.csv"
    usage_log(path, 300)
    plain = estimate_ai_files([path], year=2025).result()
    assert len(plain["runs"]) + len(plain["flagged"]) == 300
    assert grouping.GROUP_FROM_ROWS == 50_000


def test_a_log_stamped_to_the_second_is_grouped_by_day(tmp_path, monkeypatch):
    # 720 requests, each at its own second over 3 days, 2 models: 6 groups, the same totals
    rows = ["service,model,requests,input_tokens,output_tokens,period"]
    for i in range(720):
        day, second = 1 + i % 3, i * 37 % 86400
        stamp = f"2025-03-0{day} {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
        rows.append(f"chat,{MODELS[i % 2]},1,{100 + i % 53},{40 + i % 29},{stamp}")
    path = tmp_path / "usage.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    apart, grouped = result(path, monkeypatch, 10**9), result(path, monkeypatch, 1)
    assert len(apart["runs"]) == 720 and len(grouped["runs"]) == 6
    assert sorted(int(r["lines"]) for r in grouped["runs"]) == [120] * 6
    for key, value in apart["totals"].items():
        assert grouped["totals"][key] == pytest.approx(value, rel=1e-9), key
    assert grouped["periods"]["months"] == apart["periods"]["months"] == ["2025-03"]
