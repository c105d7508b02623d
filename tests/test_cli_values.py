"""Command-line values read without pydantic where typer's result is certain, and as typer reads them.

:mod:`greenit.cli.values` reads the plain values itself (nothing given, digits, a choice, a path
written as Python writes it) and hands every other one to typer's pydantic adapter. The property
holds both readers to the same result — value or error, word for word — for every parameter of
every command; the examples show the plain values read by hand.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st
from typer._click import Context

from conftest import SAMPLE_INVENTORY
from greenit.cli import app, values
from greenit.cli.common import Lang, Method


def parameters() -> list[tuple[object, object]]:
    """(command, parameter) for every parameter of every command, the groups' own included."""
    found = []

    def walk(group):
        found.extend((group, p) for p in group.params)
        for command in group.commands.values():
            if hasattr(command, "commands"):
                walk(command)
            else:
                built = command.built()
                found.extend((built, p) for p in built.params)

    walk(typer.main.get_command(app))
    return found


PARAMETERS = parameters()
BY_NAME = {(command.name, param.name): (command, param) for command, param in PARAMETERS}


def outcome(read, value, command, param):
    """What reading ``value`` gives: ("value", result) or ("error", kind, message)."""
    try:
        return ("value", read(value, param=param, ctx=Context(command)))
    except Exception as error:  # the same kind and words from both readers
        return ("error", type(error).__name__, str(getattr(error, "message", error)))


def read_here(value, command, param):
    return outcome(values.PlainFirst().coerce, value, command, param)


def read_by_typer(value, command, param):
    return outcome(values.typer_reader(param).coerce, value, command, param)


def test_plain_values_read_by_hand():
    estimate = lambda name: BY_NAME[("estimate", name)]  # noqa: E731
    assert read_here("2025", *estimate("year")) == ("value", 2025)
    assert read_here(None, *estimate("year")) == ("value", None)
    assert read_here("amortie", *estimate("method")) == ("value", Method.amortie)
    assert read_here(Lang.fr, *estimate("lang")) == ("value", Lang.fr)  # a default, as typer gets it
    assert read_here(("a.csv", "d/b.csv"), *estimate("files")) == ("value", [Path("a.csv"), Path("d/b.csv")])
    assert read_here(None, *estimate("files")) == ("value", ())
    assert read_here("1.25", *BY_NAME[("track", "pue")]) == ("value", 1.25)
    assert read_here("FRA", *estimate("country")) == ("value", "FRA")


def test_other_values_go_to_typers_adapter(monkeypatch):
    year, method, files = (BY_NAME[("estimate", name)] for name in ("year", "method", "files"))
    typers = read_by_typer(" 2025", *year)
    asked = []
    original = values.typer_reader

    def counted(param):
        asked.append(param.name)
        return original(param)

    monkeypatch.setattr(values, "typer_reader", counted)
    assert read_here(" 2025", *year) == typers  # a space: pydantic's call
    assert read_here("20x5", *year)[0] == "error"
    assert read_here("fluxx", *method)[0] == "error"
    assert read_here(("a.csv", "d//b.csv"), *files) == ("value", [Path("a.csv"), Path("d/b.csv")])
    assert read_here("2025", *year) == ("value", 2025)
    assert asked == ["year", "year", "method", "files"]  # "d//b.csv": Python rewrites it, typer reads it


ODD_TEXTS = ["", " ", "-", "0", "007", "-3", "+4", "1_000", "1e3", "2.50", ".5", "5.", "inf", "nan",
             "FR", "fr", "EN", "Amortised", "flux", "amortie", "a//b", "./a", "a/", "/", "é.csv",
             "\udcff", "a\0b", "１２", "٣", "2025 ", "true", "0.1"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(PARAMETERS),
    st.one_of(
        st.none(),
        st.sampled_from(ODD_TEXTS),
        st.text(max_size=8),
        st.from_regex(r"[0-9]{1,20}(\.[0-9]{0,16})?", fullmatch=True),
        st.sampled_from([*Lang, *Method, 1.0, 60.0, 3, True, False, Path("x.csv")]),
    ),
    st.booleans(),
)
def test_both_readers_give_the_same_value_or_the_same_error(parameter, value, as_list):
    command, param = parameter
    if as_list and value is not None:
        value = (value, value) if not isinstance(value, str) or len(value) % 2 else [value, "a.csv"]
    assert comparable(read_here(value, command, param)) == comparable(read_by_typer(value, command, param))


def comparable(read: tuple) -> tuple:
    """A reading with NaN as a word: both readers give ``float("nan")`` for « NAN », and two NaN
    are never equal (the test failed at random on ``track --pue NAN``).
    """
    value = read[-1]
    return (*read[:-1], "nan") if isinstance(value, float) and math.isnan(value) else read


def test_nan_reads_the_same_both_ways():
    pue = BY_NAME[("track", "pue")]
    assert comparable(read_here("NAN", *pue)) == comparable(read_by_typer("NAN", *pue))


def test_an_estimate_imports_no_pydantic():
    code = (
        "import sys; from greenit.cli import main\n"
        f"sys.argv = ['greenit', 'estimate', {str(SAMPLE_INVENTORY)!r}, '--year', '2025', '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pydantic', 'pydantic_core') if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip() == "[]"
    assert '"year": 2025' in done.stdout
