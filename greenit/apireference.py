"""The API reference (``docs/api.md``), generated from the public names and their docstrings.

The public API is the lazy table of ``greenit/__init__.py``; its comments are the reference's
sections, each name's numpydoc docstring (``inspect.getdoc``) its text, a class's public methods
follow it, and a former name points to the one it stands for. Regenerate with::

    python3 tasks.py docs          # or: .venv/bin/python -m greenit.apireference docs/api.md

``tests/test_api_reference.py`` fails when ``docs/api.md`` drifts from the docstrings.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from pathlib import Path

HEADER = """# greenit — API reference

Generated from the docstrings by `python3 tasks.py docs` (`greenit/apireference.py`); do not edit
by hand: `tests/test_api_reference.py` fails when this file and the docstrings differ. Every name
below is imported lazily from `greenit` (`import greenit; greenit.estimate_files(...)`); the
command line calls the same functions. Errors meant for the user are `greenit.GreenitError`,
whose message is in the user's language.
"""
_SECTION = re.compile(r"^\s*#\s*(?P<title>.+?)\s*$")
_ENTRY = re.compile(r'^\s*"(?P<name>\w+)":\s*"(?P<module>[\w.]+)",\s*(?:#\s*(?P<note>.*?))?\s*$')


def public_names(init: Path | None = None) -> list[tuple[str, str, str, str | None]]:
    """``(section, name, module, note)`` for each name of the lazy API, in its order."""
    init = init or Path(__file__).with_name("__init__.py")
    source = init.read_text(encoding="utf-8")
    table = source[source.index("_API = {") : source.index("\n}\n", source.index("_API = {"))]
    section, names = "", []
    for line in table.splitlines()[1:]:
        entry = _ENTRY.match(line)
        if entry:
            names.append((section, entry["name"], entry["module"], entry["note"]))
        elif heading := _SECTION.match(line):
            section = heading["title"]
    return names


def _signature(name: str, obj: object) -> str:
    try:
        return f"{name}{inspect.signature(obj)}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return name


def _docstring(obj: object) -> list[str]:
    doc = inspect.getdoc(obj)
    return ["```text", doc, "```", ""] if doc else ["*(no docstring)*", ""]


def _methods(cls: type) -> list[str]:
    lines = []
    for name, member in cls.__dict__.items():
        if name.startswith("_") or not callable(getattr(cls, name, None)):
            continue
        bound = getattr(cls, name)  # a classmethod bound: no ``cls``
        signature = _signature(name, bound)
        if not isinstance(member, classmethod | staticmethod):
            signature = re.sub(r"^(\w+)\(self(?:, )?", r"\1(", signature)
        lines += [f"#### `{cls.__name__}.{signature}`", "", *_docstring(bound)]
    return lines


def entry(name: str, module: str, note: str | None) -> list[str]:
    """The reference of one public name: heading, signature, docstring (a class: its methods)."""
    obj = getattr(importlib.import_module(module), name)
    lines = [f"### `greenit.{name}`", ""]
    own_name = getattr(obj, "__name__", name)
    if own_name != name:  # a former name kept for existing code
        return [*lines, f"The former name of [`greenit.{own_name}`](#greenit{own_name.lower()}).", ""]
    kind = "class" if inspect.isclass(obj) else "function"
    lines += [f"{kind} `{module}.{getattr(obj, '__qualname__', name)}`", ""]
    lines += ["```python", _signature(name, obj), "```", ""]
    if note:
        lines += [f"*{note}*", ""]
    lines += _docstring(obj)
    if inspect.isclass(obj):
        lines += _methods(obj)
    return lines


def render() -> str:
    """``docs/api.md`` as the docstrings say it today."""
    lines = [HEADER]
    section = None
    for title, name, module, note in public_names():
        if title != section:
            section = title
            lines += [f"## {title[:1].upper()}{title[1:]}", ""]
        lines += entry(name, module, note)
    text = "\n".join(lines).rstrip() + "\n"
    return re.sub(r" at 0x[0-9a-f]+", "", text)  # an object's address is not its reference


def main(argv: list[str]) -> None:
    target = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "docs" / "api.md"
    target.write_text(render(), encoding="utf-8")
    print(f"API reference written to {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
