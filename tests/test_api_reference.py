"""docs/api.md is the public API's docstrings as they are: regenerated, never edited by hand."""

import greenit
from conftest import ROOT
from greenit.apireference import public_names, render


def test_the_api_reference_is_generated_from_the_docstrings_as_they_are():
    written = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert written == render(), "docs/api.md drifted from the docstrings: run python3 tasks.py docs"


def test_every_public_name_is_in_the_reference_once_under_its_section():
    names = [name for _, name, _, _ in public_names()]
    assert sorted(names) == greenit.__all__  # the reference reads the same table as the lazy API
    text = render()
    for name in names:
        assert text.count(f"### `greenit.{name}`\n") == 1, name
    assert "## Read and estimate\n" in text and "## Levers\n" in text
    assert "The former name of [`greenit.parse_lever`](#greenitparse_lever)." in text
    assert " at 0x" not in text and "*(no docstring)*" not in text
