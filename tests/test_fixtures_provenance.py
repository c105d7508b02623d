"""The real-format fixtures say where their layout comes from, and keep the bytes it describes.

Every file in tests/fixtures/real has a section in its README with the real source it copies and
what in it is synthetic; a fixture re-saved by an editor (BOM dropped, line endings changed,
trailing delimiter removed) would silently stop testing what it claims, so the byte-level
features the README states are checked here too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parent / "fixtures" / "real"
README = REAL / "README.md"
HEADING = re.compile(r"^### `([^`]+)`\s*$")


def _sections() -> dict[str, str]:
    """README sections keyed by the file name in their ``### `name` `` heading."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in README.read_text(encoding="utf-8").splitlines():
        match = HEADING.match(line)
        if match:
            current = match.group(1)
            sections[current] = []
        elif line.startswith("## "):
            current = None
        elif current is not None:
            sections[current].append(line)
    return {name: "\n".join(lines) for name, lines in sections.items()}


def _fixture_files() -> set[str]:
    return {
        path.name
        for path in REAL.iterdir()
        if path.is_file() and path.name != "README.md" and not path.name.startswith(".")
    }


def test_every_fixture_file_has_a_readme_section_and_no_section_is_stale():
    assert _fixture_files() == set(_sections())


@pytest.mark.parametrize("name", sorted(_fixture_files()))
def test_each_fixture_section_names_its_source_and_what_is_synthetic(name):
    section = _sections()[name]
    assert "**Source**" in section, f"{name}: no Source line"
    assert "**Synthetic**" in section, f"{name}: no Synthetic line"
    assert "**Format**" in section, f"{name}: no Format line"


GLPI_10 = [
    "glpi10_computers_fr.csv",
    "glpi10_computers_fr_noprefix.csv",
    "glpi10_monitors_fr.csv",
    "glpi10_computers_valeur_fr.csv",
    "glpi10_network_fr.csv",
    "glpi10_allassets_fr.csv",
    "glpi95_printers_fr.csv",
]


@pytest.mark.parametrize("name", GLPI_10)
def test_glpi_10_exports_keep_bom_quotes_trailing_delimiter_and_lf(name):
    data = (REAL / name).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in data
    text = data.decode("utf-8-sig")
    # Every record starts with a quote and ends with '";' (a quoted cell may span two lines).
    records = re.split(r'(?<=";)\n', text.rstrip("\n"))
    assert all(rec.startswith('"') and rec.endswith('";') for rec in records)
    assert '""' not in text.replace('"";', "").replace(';""', "")  # GLPI writes '' for a quote


def test_glpi_11_export_has_no_bom_crlf_and_no_trailing_delimiter():
    data = (REAL / "glpi11_phones_fr.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8").split("\r\n")
    assert lines[-1] == ""
    assert all(line.startswith('"') and line.endswith('"') for line in lines[:-1])


def test_pre_10_glpi_export_uses_no_break_spaces_as_thousands_separator():
    text = (REAL / "glpi95_printers_fr.csv").read_text(encoding="utf-8-sig")
    assert '"148\u00a0532";' in text
    assert '"3\u00a0980.00";' in text


def test_sacct_parsable2_has_no_trailing_pipe():
    lines = (REAL / "sacct_parsable2.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("JobID|")
    assert not any(line.endswith("|") for line in lines)


def test_g4it_ai_export_keeps_bom_and_crlf():
    data = (REAL / "g4it_ai_parameters.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfdigitalServiceUid;")
    assert data.count(b"\r\n") == 3
