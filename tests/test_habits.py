"""The maintainers' habits are in the repository: type marker, changelog, pre-commit hooks."""

import re

from conftest import ROOT
from greenit import __version__


def test_the_package_says_it_is_typed():
    assert (ROOT / "greenit" / "py.typed").is_file()  # PEP 561 (the wheel test checks it ships)


def test_the_changelog_has_the_current_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[(.+?)\](?: — (\S+))?", changelog, flags=re.MULTILINE)
    assert headings[0][0] == "Unreleased"
    assert __version__ in {version for heading in headings for version in heading}


def test_pre_commit_runs_the_checks_of_the_test_command_with_local_tools():
    config = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    tasks = (ROOT / "tasks.py").read_text(encoding="utf-8")
    assert re.findall(r"^  - repo: (\S+)", config, flags=re.MULTILINE) == ["local"]  # nothing fetched
    entries = re.findall(r"entry: \.venv/bin/python -m (\w+(?: \w+)?)", config)
    assert entries == ["ruff check", "ruff format", "mypy"]
    for tool in ('"ruff", "check"', '"ruff", "format"', '"mypy"'):
        assert tool in tasks  # the same tools tasks.py test runs
    assert set(re.findall(r"language: (\w+)", config)) == {"system"}
