"""The parsed catalogue kept beside its TOML file, as Python keeps bytecode (``greenit --help``
reads four catalogues; the TOML parser is pure Python).
"""

import marshal
import sys

import greenit.i18n as i18n

read = i18n._domain.__wrapped__  # the reader itself, past the in-process cache


def test_a_catalogue_is_parsed_once_then_read_from_its_cache_until_the_file_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "MESSAGES", tmp_path)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    (tmp_path / "demo.toml").write_text('[a]\nfr = "un"\nen = "one"\n', encoding="utf-8")
    assert read("demo") == {"demo.a": {"fr": "un", "en": "one"}}
    (cached,) = (tmp_path / "__pycache__").glob("demo.*.marshal")
    assert marshal.loads(cached.read_bytes()) == {"demo.a": {"fr": "un", "en": "one"}}
    assert list((tmp_path / "__pycache__").glob("*.tmp")) == []  # renamed into place, whole
    cached.write_bytes(marshal.dumps({"demo.a": {"fr": "du cache", "en": "cached"}}))
    assert read("demo")["demo.a"]["fr"] == "du cache"  # the cache is what a second run reads
    (tmp_path / "demo.toml").write_text('[a]\nfr = "deux"\nen = "two"\n', encoding="utf-8")
    assert read("demo")["demo.a"] == {"fr": "deux", "en": "two"}  # a changed file: parsed again
    cached.write_bytes(b"\x00 damaged")
    (tmp_path / "demo.toml").write_text('[a]\nfr = "un"\nen = "one"\n', encoding="utf-8")
    assert read("demo")["demo.a"]["fr"] == "un"  # a damaged cache is ignored and rewritten


def test_nothing_is_written_under_pythondontwritebytecode_or_in_a_read_only_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "MESSAGES", tmp_path)
    (tmp_path / "demo.toml").write_text('[a]\nfr = "un"\nen = "one"\n', encoding="utf-8")
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert read("demo")["demo.a"]["en"] == "one"
    assert not (tmp_path / "__pycache__").exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    (tmp_path / "__pycache__").write_text("a file where the folder would be")  # cannot be written
    assert read("demo")["demo.a"]["en"] == "one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["__pycache__", "demo.toml"]
