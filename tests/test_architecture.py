"""The layout keeps its promises: layered imports, no cycle, one concept per module, short functions."""

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "greenit"

#: Lower number = lower layer. A module may import its own layer or lower ones only.
LAYERS = {
    # 0: the base every layer uses
    "greenit._version": 0,
    "greenit.errors": 0,
    "greenit.i18n": 0,
    "greenit.bounds": 0,
    "greenit.cells": 0,
    "greenit.schema": 0,
    "greenit.flags": 0,
    "greenit.options": 0,
    "greenit.pycache": 0,
    "greenit.exports": 0,
    "greenit.yardsticks": 0,  # agents and inhabitants, checked wherever they are given
    # files → typed columns; one module per export format in parsing.formats
    "greenit.parsing": 1,
    "greenit.factors": 2,
    # the pipelines: normalise → model → estimate; live measurement
    "greenit.inventory": 3,
    "greenit.services": 3,  # services bought: read, natures, estimated per line
    "greenit.ai": 3,
    "greenit.tracking": 3,
    "greenit.levers": 4,
    "greenit.results": 5,
    "greenit.reporting": 6,
    "greenit.history": 6,  # the local history: years kept, restated, compared; targets
    "greenit.history.book": 7,  # greenit.History, at the API's layer: it reads files with estimate_files
    "greenit.api": 7,
    "greenit.decide": 7,  # the public functions for deciding on AI (plans, statements, register)
    "greenit.cli": 8,
    "greenit.__main__": 9,
    "greenit": 10,  # the package's lazy public API
}
#: One concept per module, however long it takes to say: no line cap, only a sanity bound far
#: above any module that holds one idea (a module this long is two).
SANITY_MODULE_LINES = 1500
#: A family of modules sharing a prefix (``hosted_cells``, ``hosted_usage``, ``hosted_models``…)
#: is a package written as fragments: this many or more is refused.
FRAGMENT_FAMILY = 3
MAX_FUNCTION_LINES = 60


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    while module not in LAYERS:
        module = module.rsplit(".", 1)[0]
    return LAYERS[module]


def imports_of(path: Path) -> set[str]:
    """greenit modules imported by ``path`` (top level and inside functions)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("greenit"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("greenit")}
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def test_no_import_goes_up_a_layer():
    upward = [
        f"{name} (layer {layer_of(name)}) imports {target} (layer {layer_of(target)})"
        for name, path in MODULES.items()
        for target in imports_of(path)
        if layer_of(target) > layer_of(name)
    ]
    assert upward == []


def test_the_import_graph_has_no_cycle():
    graph = {
        name: {t for t in imports_of(path) if t in MODULES and t != name} for name, path in MODULES.items()
    }
    visiting, done, cycles = set(), set(), []

    def visit(node, trail):
        if node in done:
            return
        if node in visiting:
            cycles.append(" → ".join([*trail[trail.index(node) :], node]))
            return
        visiting.add(node)
        for target in graph.get(node, ()):
            visit(target, [*trail, node])
        visiting.discard(node)
        done.add(node)

    for name in graph:
        visit(name, [])
    # a package __init__ re-exporting its own modules is not a cycle of logic
    # (the shortest name is the package, wherever the walk entered the cycle: set order varies)
    cycles = [
        c for c in cycles if not all(part.startswith(min(c.split(" → "), key=len)) for part in c.split(" → "))
    ]
    assert cycles == []


def test_no_module_is_two():
    long = {name: path.read_text(encoding="utf-8").count("\n") for name, path in MODULES.items()}
    assert {name: n for name, n in long.items() if n >= SANITY_MODULE_LINES} == {}


def test_no_package_is_a_family_of_prefixed_fragments():
    families: dict[tuple[str, str], list[str]] = {}
    for name in MODULES:
        package, _, stem = name.rpartition(".")
        if "_" in stem.strip("_"):
            families.setdefault((package, stem.split("_")[0]), []).append(stem)
    assert {key: stems for key, stems in families.items() if len(stems) >= FRAGMENT_FAMILY} == {}


def function_lengths(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(getattr(body[0], "value", None), ast.Constant)
            ):
                body = body[1:]  # the docstring is documentation, not length
            if body:
                yield node.name, body[-1].end_lineno - body[0].lineno + 1


def test_functions_are_short():
    long = [
        f"{name}.{fn}: {n} lines"
        for name, path in MODULES.items()
        for fn, n in function_lengths(path)
        if n > MAX_FUNCTION_LINES
    ]
    assert long == []


ERRORS = {"GreenitError", "InputFileError", "FactorTableError", "UnitError"}


def test_errors_are_built_from_catalogue_messages_never_from_plain_text():
    """``GreenitError("no lever given")`` would print English to a French user: refused."""
    plain = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            texts = [a for a in node.args if isinstance(a, ast.Constant | ast.JoinedStr)]
            if called in ERRORS and any(
                not isinstance(a, ast.Constant) or isinstance(a.value, str) for a in texts
            ):
                plain.append(f"{name}:{node.lineno}")
    assert plain == []


def test_the_error_type_itself_refuses_plain_text():
    from greenit.errors import GreenitError

    with pytest.raises(TypeError, match="catalogue message"):
        GreenitError("no lever given")
    error = GreenitError.of("cli.no_lever", "cli.no_lever_hint")
    assert error.render("en") == "no lever given\n  → add one or more, e.g. -s lifespan+2 -s reuse=50%"
    assert error.render("fr").startswith("aucun levier donné")
