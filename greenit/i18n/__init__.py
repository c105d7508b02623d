"""One translation catalogue for every user-facing text: French first, English complete.

Code never holds a user-facing sentence. It names a catalogue entry and its values::

    reason = msg("flag.category.unknown", label="Cafetière", hint=None)
    reason.render("fr")   # "catégorie : « Cafetière » n'est pas un type d'équipement connu"
    str(reason)           # rendered in the current language (set_language, default French)

A :class:`Message` is rendered only when shown, so the model code takes no language: the same
computed result is rendered in French or English by the console, the JSON, the XLSX and the
report. The entries live in ``greenit/i18n/messages/*.toml``, one file per part of the package,
each entry with its ``fr`` and ``en`` text (``{name}`` placeholders, Python format syntax).
Numbers, percentages and dates are formatted per locale by Babel (:mod:`greenit.i18n.formats`).

This module sits in the lowest layer with :mod:`greenit.errors`: every other layer may import
it, it imports nothing of greenit.
"""

from __future__ import annotations

import marshal
import os
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from greenit.pycache import keep

LANGS = ("fr", "en")
#: The catalogue files (a plain folder of the package: greenit is never imported from a zip).
MESSAGES = Path(__file__).with_name("messages")
_language = os.environ.get("GREENIT_LANG", "fr") if os.environ.get("GREENIT_LANG") in LANGS else "fr"


class Renderable(Protocol):
    def render(self, lang: str | None = None) -> str: ...


def set_language(lang: str) -> None:
    """Language of everything rendered without an explicit one (CLI ``--lang``, notebooks)."""
    global _language
    _language = check_language(lang)


def check_language(lang: str | None) -> str:
    """``lang``, or the current language for None; a ValueError for a language greenit does not speak.

    >>> check_language("en"), check_language(None) in LANGS
    ('en', True)
    """
    if lang is None:
        return _language
    if lang not in LANGS:
        raise ValueError(f"lang : « {lang} » — greenit parle fr ou en / greenit speaks fr or en")
    return lang


def get_language() -> str:
    return _language


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Every entry of ``messages/*.toml``: key → {"fr": text, "en": text}."""
    entries: dict[str, dict[str, str]] = {}
    for resource in sorted(MESSAGES.glob("*.toml")):
        entries.update(_domain(resource.stem))
    return entries


@lru_cache(maxsize=64)
def _domain(name: str) -> dict[str, dict[str, str]]:
    """The entries of ``messages/NAME.toml`` (keys prefixed ``NAME.``), read on first use only:
    ``greenit --help`` reads the CLI's texts, not the report's.
    """
    resource = MESSAGES / f"{name}.toml"
    if not resource.is_file():
        return {}
    source = resource.read_bytes()
    # the parsed entries are kept beside the file, as Python keeps bytecode: the TOML parser is
    # pure Python and `greenit --help` reads four catalogues (24 ms of CPU, half greenit's own)
    cached = MESSAGES / "__pycache__" / f"{name}.{zlib.crc32(source):08x}.{len(source)}.marshal"
    try:
        return marshal.loads(cached.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    entries = _parse_domain(name, source.decode("utf-8"))
    keep(cached, marshal.dumps(entries))
    return entries


def _parse_domain(name: str, source: str) -> dict[str, dict[str, str]]:
    import tomllib

    entries: dict[str, dict[str, str]] = {}
    for key, value in _flatten(tomllib.loads(source)):
        if f"{name}.{key}" in entries:
            raise KeyError(f"catalogue entry {name}.{key} is defined twice")
        entries[f"{name}.{key}"] = value
    return entries


def _entry(key: str) -> dict[str, str] | None:
    return _domain(key.split(".", 1)[0]).get(key)


def _flatten(table: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, dict[str, str]]]:
    for key, value in table.items():
        if (
            isinstance(value, Mapping)
            and set(value) <= set(LANGS)
            and all(isinstance(v, str) for v in value.values())
        ):
            yield prefix + key, dict(value)
        elif isinstance(value, Mapping):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            raise ValueError(f"catalogue entry {prefix}{key}: expected a table with fr and en")


def template(key: str, lang: str | None = None) -> str:
    """The raw text of entry ``key`` in ``lang`` (English when the French is missing, never empty)."""
    entry = _entry(key)
    if entry is None:
        raise KeyError(f"no catalogue entry {key!r}")
    lang = check_language(lang or None)
    return entry.get(lang) or entry.get("en") or entry.get("fr") or key


def render_value(value: Any, lang: str) -> str:
    """A message parameter as text: messages and numbers rendered in ``lang``, lists joined."""
    if value is None:
        return ""
    if hasattr(value, "render"):
        return value.render(lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(render_value(v, lang) for v in value)
    if isinstance(value, float):
        from greenit.i18n.formats import format_number

        return format_number(value, lang)
    return str(value)


#: ``{n|ligne lue|lignes lues}``: the form that agrees with the value of ``n`` (see :func:`plural`);
#: ``{n|aucune ligne|{n} ligne|{n} lignes}``: a form of its own for zero, first
_FORM = r"((?:[^{}|]|\{\w+\})*)"  # a form may hold placeholders: {n|une autre|{n} autres}


@lru_cache(maxsize=1)
def _plurals() -> re.Pattern[str]:
    """The ``{n|…|…}`` pattern, compiled when a text first has one (no text of --help has)."""
    return re.compile(r"\{(\w+)\|" + _FORM + r"\|" + _FORM + r"(?:\|" + _FORM + r")?\}")


def count_of(value: Any, lang: str) -> float | None:
    """The number a count parameter holds, also once formatted (``"2 058"``, ``"1,5"``); else None.

    >>> count_of("2\u202f058", "fr"), count_of("1,500", "en"), count_of("1,5", "fr"), count_of("n/a", "fr")
    (2058.0, 1500.0, 1.5, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return abs(float(value))
    text = re.sub(r"[\s\u00a0\u202f]", "", render_value(value, lang))
    text = text.replace(",", ".") if lang == "fr" else text.replace(",", "")
    try:
        return abs(float(text.lstrip("+−-")))
    except ValueError:
        return None


@lru_cache(maxsize=2)
def _plural_rule(lang: str):
    from babel import Locale

    return Locale.parse(lang).plural_form


def plural(count: float | None, one: str, other: str, lang: str, zero: str | None = None) -> str:
    """The form of a word that agrees with ``count`` in ``lang``, by Babel's (CLDR) plural rules.

    French takes the singular below 2 (« 0 ligne signalée », « 1,5 an »), English only for
    exactly 1 (“0 rows”, “1 row”); ``zero``, when given, is the form for none (« aucune
    exécution »). Unknown counts take the plural.

    >>> plural(0, "ligne", "lignes", "fr"), plural(0, "row", "rows", "en"), plural(1, "row", "rows", "en")
    ('ligne', 'rows', 'row')
    >>> plural(0, "exécution", "exécutions", "fr", zero="aucune"), plural(2e6, "an", "ans", "fr")
    ('aucune', 'ans')
    """
    if count is None:
        return other
    if zero is not None and count == 0:
        return zero
    number = int(count) if float(count).is_integer() else count
    return one if _plural_rule(lang if lang in LANGS else "fr")(number) == "one" else other


def _agree(match: re.Match, raw: dict, lang: str) -> str:
    """One ``{n|…|…}`` (or ``{n|zero|one|other}``) replaced by the form that agrees with ``n``."""
    count = count_of(raw.get(match[1]), lang)
    if match[4] is not None:
        return plural(count, match[3], match[4], lang, zero=match[2])
    return plural(count, match[2], match[3], lang)


def plural_variants(text: str) -> tuple[str, ...]:
    """``text`` with every ``{n|one|other}`` resolved to its singular, then to its plural forms
    (and to its zero form first, where one is written).

    >>> plural_variants("{n} {n|ligne lue|lignes lues}")
    ('{n} ligne lue', '{n} lignes lues')
    >>> plural_variants("{n|aucune ligne|{n} ligne|{n} lignes}")
    ('{n} ligne', '{n} lignes', 'aucune ligne')
    """
    one = _plurals().sub(lambda m: m[3] if m[4] is not None else m[2], text)
    other = _plurals().sub(lambda m: m[4] if m[4] is not None else m[3], text)
    if not any(m[4] is not None for m in _plurals().finditer(text)):
        return one, other
    return one, other, _plurals().sub(lambda m: m[2] if m[4] is not None else m[3], text)


@dataclass(frozen=True, slots=True)
class Message:
    """A catalogue entry and its values, rendered only when shown.

    A template may write ``{n|ligne lue|lignes lues}``: the form that agrees with ``n``.
    """

    key: str
    params: tuple[tuple[str, Any], ...] = ()

    def render(self, lang: str | None = None) -> str:
        lang = lang or _language
        raw = dict(self.params)
        values = {name: render_value(value, lang) for name, value in self.params}
        text = template(self.key, lang)
        if "|" in text:
            text = _plurals().sub(lambda m: _agree(m, raw, lang), text)
        return text.format(**values)

    def __str__(self) -> str:
        return self.render()


def msg(key: str, /, **params: Any) -> Message:
    """A :class:`Message`; the key must exist in the catalogue (a typo fails at once)."""
    if _entry(key) is None:
        raise KeyError(f"no catalogue entry {key!r}")
    return Message(key, tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


def text(key: str, lang: str | None = None, /, **params: Any) -> str:
    """Entry ``key`` rendered now, in ``lang`` or the current language."""
    return msg(key, **params).render(lang)


@dataclass(frozen=True, slots=True)
class Verbatim:
    """Text shown as it is in every language (a user's own label, a file name)."""

    value: str

    def render(self, lang: str | None = None) -> str:
        return self.value

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Joined:
    """Several messages shown one after the other (a row's reasons, joined by '; ')."""

    parts: tuple[Any, ...]
    separator: str = "; "

    def render(self, lang: str | None = None) -> str:
        lang = lang or _language
        separator = " ; " if lang == "fr" and self.separator == "; " else self.separator  # « a ; b »
        return separator.join(render_value(part, lang) for part in self.parts)

    def __str__(self) -> str:
        return self.render()

    def __bool__(self) -> bool:
        return bool(self.parts)
