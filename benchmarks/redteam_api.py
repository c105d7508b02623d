"""The Python API as a notebook uses it: wrong types, empty lists, missing files.

A mistake must raise GreenitError (or TypeError/ValueError naming the argument) — not an
AttributeError or KeyError from deep inside, and never a silently wrong result.
"""

from __future__ import annotations

import json
from pathlib import Path

from redteam_kit import AI_LOG, GLPI, case, python, verdict

PRELUDE = f"""
import json, math, sys, warnings
warnings.simplefilter("error")
import greenit
GLPI = {str(GLPI)!r}
AI = {str(AI_LOG)!r}
def outcome(call):
    try:
        value = call()
    except greenit.GreenitError as error:
        return {{"raised": "GreenitError", "text": str(error)}}
    except (TypeError, ValueError, FileNotFoundError) as error:
        return {{"raised": type(error).__name__, "text": str(error)}}
    except BaseException as error:
        import traceback
        return {{"raised": type(error).__name__, "text": str(error)[:200], "bad": True,
                 "where": traceback.format_exc().splitlines()[-3][:200]}}
    return {{"value": repr(value)[:300]}}
"""

ACCEPTED = ("GreenitError", "TypeError", "ValueError", "FileNotFoundError")


def _api_case(name: str, call: str, *, expect: str = "error", check: str | None = None) -> None:
    """``expect``: "error" (a clear exception) or "value" (a result; ``check`` an expression on it)."""
    expected = (
        "GreenitError/TypeError/ValueError"
        if expect == "error"
        else f"a result{', ' + check if check else ''}"
    )

    @case("api", name, expected)
    def run(tmp: Path) -> tuple[bool, str]:
        code = PRELUDE + f"\nresult = outcome(lambda: {call})\n"
        if check:
            code += f"if 'value' in result:\n    value = {call}\n    result['check'] = bool({check})\n"
        code += "print(json.dumps(result))\n"
        r = python(code, cwd=tmp, timeout=120)
        try:
            result = json.loads(r.out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return False, f"exit {r.code}: {r.err.strip()[-250:]}"
        if expect == "error":
            if "value" in result:
                return False, f"no error; returned {result['value'][:150]}"
            ok = result["raised"] in ACCEPTED and not result.get("bad")
            return ok, f"{result['raised']}: {result['text'][:150]} {result.get('where', '')}"
        if "value" not in result:
            return False, f"{result['raised']}: {result['text'][:150]} {result.get('where', '')}"
        return verdict(None if result.get("check", True) else "check failed", result["value"][:150])


_api_case(
    "estimate_files(a str path, not a list)",
    "greenit.estimate_files(GLPI)",
    expect="value",
    check="value.result()['rows_in'] == 2058",
)
_api_case(
    "estimate_files(a Path, not a list)",
    "greenit.estimate_files(__import__('pathlib').Path(GLPI))",
    expect="value",
    check="value.result()['rows_in'] == 2058",
)
_api_case("estimate_files([])", "greenit.estimate_files([])")
_api_case("estimate_files(None)", "greenit.estimate_files(None)")
_api_case("estimate_files([123])", "greenit.estimate_files([123])")
_api_case("estimate_files(['missing.csv'])", "greenit.estimate_files(['missing.csv'])")
_api_case("estimate_files(year='2025')", "greenit.estimate_files([GLPI], year='2025')")
_api_case("estimate_files(year=2025.5)", "greenit.estimate_files([GLPI], year=2025.5)")
_api_case("estimate_files(year=True)", "greenit.estimate_files([GLPI], year=True)")
_api_case("estimate_files(method='x')", "greenit.estimate_files([GLPI], method='x')")
_api_case("estimate_files(country='fr')", "greenit.estimate_files([GLPI], country='fr')")
_api_case("estimate_files(country=None)", "greenit.estimate_files([GLPI], country=None)")
_api_case(
    "estimate_files(grid_factor_kg_per_kwh=nan)",
    "greenit.estimate_files([GLPI], grid_factor_kg_per_kwh=float('nan'))",
)
_api_case(
    "estimate_files(grid_factor_kg_per_kwh=-1)", "greenit.estimate_files([GLPI], grid_factor_kg_per_kwh=-1.0)"
)
_api_case(
    "estimate_files(grid_factor_kg_per_kwh='57 g/kWh')",
    "greenit.estimate_files([GLPI], grid_factor_kg_per_kwh='57 g/kWh')",
)
_api_case(
    "estimate_files(grid_factor_kg_per_kwh=57) (grams by mistake)",
    "greenit.estimate_files([GLPI], grid_factor_kg_per_kwh=57.0)",
)
_api_case(
    "estimate_files(columns='Type=category')",
    "greenit.estimate_files([GLPI], columns='Type=category')",
    expect="value",
)
_api_case(
    "estimate_files(columns={'Nope': 'category'})",
    "greenit.estimate_files([GLPI], columns={'Nope': 'category'})",
)
_api_case("estimate_files(sheet=0) on a CSV", "greenit.estimate_files([GLPI], sheet=0)", expect="value")
_api_case("estimate_files(factors='missing/')", "greenit.estimate_files([GLPI], factors='missing/')")
_api_case("estimate_files(on_missing='nonsense')", "greenit.estimate_files(['x.csv'], on_missing='nonsense')")
_api_case(
    "estimate_ai_files(a str path)",
    "greenit.estimate_ai_files(AI)",
    expect="value",
    check="value.result()['runs_in'] == greenit.estimate_ai_files([AI]).result()['runs_in'] > 0",
)
_api_case("estimate_ai_files([])", "greenit.estimate_ai_files([])")
_api_case(
    "estimate_ai_files(carbon_intensity=-1)",
    "greenit.estimate_ai_files([AI], carbon_intensity_kg_per_kwh=-1.0)",
)
_api_case(
    "estimate_ai_files(carbon_intensity=nan)",
    "greenit.estimate_ai_files([AI], carbon_intensity_kg_per_kwh=float('nan'))",
)
_api_case("estimate_ai_files(accelerator=123)", "greenit.estimate_ai_files([AI], accelerator=123)")
_api_case(
    "compare_levers(inv, 'lifespan+2') (a str, not a list)",
    "greenit.compare_levers(greenit.estimate_files([GLPI]), 'lifespan+2')",
    expect="value",
    check="len(value) == 2",
)
_api_case(
    "compare_levers(inv, [])", "greenit.compare_levers(greenit.estimate_files([GLPI]), [])", expect="value"
)
_api_case("compare_levers(None, ['lifespan+2'])", "greenit.compare_levers(None, ['lifespan+2'])")
_api_case(
    "compare_levers(inv, ['nonsense'])",
    "greenit.compare_levers(greenit.estimate_files([GLPI]), ['nonsense'])",
)
_api_case("compare_levers(inv, [None])", "greenit.compare_levers(greenit.estimate_files([GLPI]), [None])")
_api_case(
    "group_totals(rows, 'nonexistent')",
    "greenit.group_totals(greenit.estimate_files([GLPI]).rows, 'nonexistent')",
)
_api_case(
    "group_totals(a DataFrame without estimates, 'entity')",
    "greenit.group_totals(__import__('pandas').DataFrame({'entity': ['a']}), 'entity')",
)
_api_case(
    "group_totals(rows, 'entity') works",
    "greenit.group_totals(greenit.estimate_files([GLPI]).rows, 'entity')",
    expect="value",
)
_api_case("footprint_result(None)", "greenit.footprint_result(None)")
_api_case(
    "footprint_result(inv, None) works",
    "greenit.footprint_result(greenit.estimate_files([GLPI]), None)",
    expect="value",
)
_api_case(
    "footprint_result(runs, inv) (swapped)",
    "greenit.footprint_result(greenit.estimate_ai_files([AI]), greenit.estimate_files([GLPI]))",
)
_api_case(
    "compare_estimates(inv, inv, by='nonexistent')",
    "(lambda i: greenit.compare_estimates(i, i, by='nonexistent'))(greenit.estimate_files([GLPI]))",
)
_api_case(
    "compare_estimates(inv, runs)",
    "greenit.compare_estimates(greenit.estimate_files([GLPI]), greenit.estimate_ai_files([AI]))",
)
_api_case("factor_sources(None)", "greenit.factor_sources(None)")
_api_case("scenario_waterfall([])", "greenit.scenario_waterfall([])")
_api_case("scenario_waterfall(None)", "greenit.scenario_waterfall(None)")
_api_case("parse_lever('')", "greenit.parse_lever('')")
_api_case("parse_lever(None)", "greenit.parse_lever(None)")
_api_case("set_language('de')", "greenit.set_language('de')")
_api_case("format_number(nan)", "greenit.format_number(float('nan'))", expect="value")
_api_case("format_number(1e308)", "greenit.format_number(1e308)", expect="value")
_api_case("format_number(inf)", "greenit.format_number(float('inf'))", expect="value")
_api_case("format_number('abc')", "greenit.format_number('abc')")
_api_case("format_percent(nan)", "greenit.format_percent(float('nan'))", expect="value")
_api_case("track(log=None)", "greenit.track(log=None).__enter__()")
_api_case("track(log='runs.csv', pue='x')", "greenit.track(log='runs.csv', pue='x').__enter__()")
_api_case(
    "track(log='runs.csv', project=123)",
    "greenit.track(log='runs.csv', project=123).__enter__().stop('completed', 0)",
    expect="value",
)
_api_case("read_table('missing.csv')", "greenit.read_table('missing.csv')")
_api_case("load_factors('missing')", "greenit.load_factors('missing')")
_api_case(
    "estimate_inventory(a raw frame, not normalised)",
    "greenit.estimate_inventory(__import__('pandas').DataFrame({'Type': ['portable']}),"
    " greenit.load_factors())",
)
_api_case(
    "normalise_inventory(an empty frame)",
    "greenit.normalise_inventory(__import__('pandas').DataFrame(), greenit.load_factors())",
)
_api_case("inventory.result(lang='de')", "greenit.estimate_files([GLPI]).result(lang='de')")
_api_case("build_report(out=a file)", "greenit.build_report([GLPI], out=GLPI)")
