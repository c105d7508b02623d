"""Each export format is declared once (parsing/formats), and the declaration is what greenit does."""

import pytest

from conftest import ROOT
from greenit.parsing import formats

REAL = ROOT / "tests" / "fixtures" / "real"
FORMATS = formats.registered()


def headers_of(name: str) -> list[str]:
    from greenit.ai.files import read_ai_file
    from greenit.parsing.readers import data_headers

    return data_headers(read_ai_file(REAL / name))


def test_every_format_is_registered_once_with_a_known_kind():
    import importlib

    keys = [f.key for f in FORMATS]
    assert len(keys) == len(set(keys))
    assert {f.kind for f in FORMATS} <= set(formats.KINDS)
    modules = [importlib.import_module(f"greenit.parsing.formats.{name}") for name in formats.MODULES]
    assert [f for m in modules for f in m.FORMATS] == list(FORMATS)
    assert all(f.to_log is None or f.recognises is not None for f in FORMATS)


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f.recognises], ids=lambda f: f.key)
def test_each_fixture_is_recognised_by_its_format_and_by_no_other(fmt):
    for name in fmt.fixtures:
        headers = headers_of(name)
        claimed = [f.key for f in FORMATS if f.recognises and f.recognises(headers)]
        assert claimed == [fmt.key], name


def test_every_real_fixture_belongs_to_a_format_or_is_a_free_layout():
    declared = {name for f in FORMATS for name in f.fixtures}
    free = {
        "ai_runs_hand_typed.csv",
        "town_ai_services.csv",
        "g4it_datacenter.csv",
        "sacct_default_fixed.txt",  # sacct's default format: refused, with the command to run
    }
    data = {
        p.name
        for p in REAL.iterdir()
        if p.suffix in {".csv", ".json", ".jsonl", ".txt", ".xlsx", ".ods", ".slk"}
    }
    assert data - declared - free == set()


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f.kind == "inventory"], ids=lambda f: f.key)
def test_an_inventory_format_s_headers_become_the_columns_it_declares(fmt):
    from greenit.inventory.columns import INVENTORY_ALIASES
    from greenit.parsing.headers import match_headers

    canonical = {h: c for h, c in fmt.headers.items() if c in INVENTORY_ALIASES}  # others: read by the format
    read = {h: match_headers([h], INVENTORY_ALIASES).used.get(h) for h in canonical}
    assert read == canonical


def test_g4it_ai_parameters_headers_become_usage_columns():
    import pandas as pd

    from greenit.ai.hosted.usage import usage_headers
    from greenit.parsing.formats.g4it import AI_HEADERS

    matched = usage_headers(pd.DataFrame(columns=list(AI_HEADERS)))
    assert {m.header: column for column, m in matched.items()} == AI_HEADERS


def test_a_format_s_own_spellings_come_after_the_generic_ones():
    from greenit.inventory.columns import GENERIC_ALIASES, INVENTORY_ALIASES

    for column, names in GENERIC_ALIASES.items():
        assert INVENTORY_ALIASES[column][: len(names)] == names
    assert "nom equipement physique" in INVENTORY_ALIASES["name"]
    assert INVENTORY_ALIASES["item_type"][0] == "type d element"  # GLPI's global views


def test_architecture_doc_prints_the_current_format_table():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    hint = "run python -m greenit.parsing.formats --write"
    assert formats.markdown_table() in doc, f"docs/architecture.md: {hint}"
    details = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    assert formats.markdown_details() == details, f"docs/formats.md: {hint}"
