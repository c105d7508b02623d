"""The report estimates each thing once: the levers' AI part, the register's logs, the charts' layout.

Each reuse is checked against the same figure computed without it (the estimate made again, the
file read alone), and where the reuse must NOT happen (a lever that acts on AI, a register read
with other options, two logs of one kind) that the figure is computed again and differs.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, SAMPLE_AI_LOG, SAMPLE_INVENTORY, write

TOWN = ROOT / "examples" / "ville-exemple"
USAGE = TOWN / "usage_ia_generative.csv"
REGISTER = TOWN / "registre_ia.csv"


@pytest.fixture(scope="module")
def estimates():
    """The sample town's inventory and AI logs (runs and hosted usage), 2025, as a report reads them."""
    from greenit.api import ai_options_of, estimate_ai_files, estimate_files
    from greenit.options import Options

    options = Options(year=2025)
    inventory = estimate_files([SAMPLE_INVENTORY], options)
    ai_options = ai_options_of(Options(year=2025, factors=inventory.factors))
    return inventory, estimate_ai_files([SAMPLE_AI_LOG, USAGE], ai_options), ai_options


@pytest.fixture
def ai_calls(monkeypatch):
    """How many times the levers estimate AI runs and hosted usage."""
    import greenit.ai.hosted.estimate as hosted
    import greenit.ai.runs.estimate as runs

    calls = {"runs": 0, "usage": 0}

    def counted(module, name, key):
        original = getattr(module, name)

        def call(*args, **kwargs):
            calls[key] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, call)

    counted(runs, "estimate_workloads", "runs")
    counted(hosted, "estimate_hosted", "usage")
    return calls


def _ai_alone(runs, usage, factors) -> float:
    """The AI total of frames estimated straight, no memo: runs and usage rows estimated, summed."""
    from greenit.ai.hosted.estimate import estimate_hosted
    from greenit.ai.runs.estimate import estimate_workloads

    parts = [estimate_workloads(runs, factors), estimate_hosted(usage, factors, default_country="FRA")]
    return sum(float(p.loc[p["estimate_status"] == "estimated", "total_kgco2e"].sum()) for p in parts)


def test_levers_that_do_not_act_on_ai_reuse_the_baseline_ai(estimates, ai_calls):
    from greenit.api import compare_levers

    inventory, workloads, _ = estimates
    levers = ["lifespan+2", "refurbished=30%", "reuse=50%", "grid=32 g/kWh"]
    table = compare_levers(inventory, levers, workloads=workloads)
    assert ai_calls == {"runs": 1, "usage": 1}  # the baseline's, once for the five steps
    expected = _ai_alone(workloads.normalised, workloads.usage, workloads.factors)
    assert table["ai_kgco2e"].tolist() == pytest.approx([expected] * 5, rel=1e-12)
    assert expected > 30  # the sample town's AI: some 40 kgCO2e, not nothing
    assert (table["inventory_kgco2e"].iloc[1:] < table["inventory_kgco2e"].iloc[0]).all()


@pytest.mark.parametrize("spec", ["pue=1.1", "requests=-20%"])  # on the runs, on hosted usage
def test_a_lever_that_acts_on_ai_still_changes_the_ai_totals(estimates, ai_calls, spec):
    from greenit.api import compare_levers
    from greenit.levers.hosted import apply_usage_lever
    from greenit.levers.runs import apply_runs_lever
    from greenit.levers.specs import parse_lever

    inventory, workloads, _ = estimates
    factors, lever = workloads.factors, parse_lever(spec)
    table = compare_levers(inventory, ["lifespan+2", spec], workloads=workloads)
    hosted = lever.scope == "hosted"  # the other AI part is the baseline's, not estimated again
    assert ai_calls == {"runs": 1 if hosted else 2, "usage": 2 if hosted else 1}
    runs, usage = workloads.normalised, workloads.usage
    if hosted:
        from greenit.ai.hosted.estimate import catalogue_of

        usage = apply_usage_lever(usage, lever, catalogue_of(factors))
    else:
        runs = apply_runs_lever(runs, lever, factors.table("cloud_regions"))
    expected = _ai_alone(runs, usage, factors)
    baseline = _ai_alone(workloads.normalised, workloads.usage, factors)
    assert table.at[2, "ai_kgco2e"] == pytest.approx(expected, rel=1e-12)
    assert abs(expected - baseline) > 0.01  # the lever moved the AI total
    assert table.at[1, "ai_kgco2e"] == pytest.approx(baseline, rel=1e-12)  # lifespan: AI untouched


def test_the_result_shares_states_between_alone_and_cumulative_with_the_same_figures(estimates, ai_calls):
    from greenit.api import compare_levers, footprint_result

    inventory, workloads, _ = estimates
    levers = ["lifespan+2", "requests=-20%", "reuse=50%"]
    result = footprint_result(inventory, workloads, levers=levers)
    shared = dict(ai_calls)
    alone = compare_levers(inventory, levers, workloads=workloads)
    cumulative = compare_levers(inventory, levers, workloads=workloads, cumulative=True)
    pd.testing.assert_frame_equal(result.alone, alone)
    pd.testing.assert_frame_equal(result.cumulative, cumulative)
    # shared: the AI runs once (no lever acts on them); the hosted usage of the baseline,
    # requests=-20% alone, and requests=-20% on top of lifespan+2 (a frame of its own, kept by
    # reuse=50% after it) — 3, where the two comparisons made apart estimate it 4 times
    assert shared == {"runs": 1, "usage": 3}
    assert ai_calls == {"runs": 3, "usage": 7}  # apart: the runs once per comparison


def test_a_memo_never_reuses_states_of_another_year(estimates):
    from greenit.levers.compare import StepsMemo, compare_normalised
    from greenit.levers.specs import parse_lever

    inventory, _, _ = estimates
    levers, memo = [parse_lever("lifespan+2")], StepsMemo()
    frames = {}
    for year in (2025, 2030, 2025):
        kwargs = {"year": year, "scope": inventory.rows.attrs.get("scope")}
        with_memo = compare_normalised(inventory.normalised, inventory.factors, levers, memo=memo, **kwargs)
        fresh = compare_normalised(inventory.normalised, inventory.factors, levers, **kwargs)
        pd.testing.assert_frame_equal(with_memo, fresh)
        frames[year] = fresh
    assert frames[2030].at[0, "inventory_kgco2e"] != frames[2025].at[0, "inventory_kgco2e"]


@pytest.fixture
def ai_files_read(monkeypatch):
    """The lists of files :func:`greenit.api.estimate_ai_files` is asked to estimate."""
    import greenit.api as api

    asked = []
    original = api.estimate_ai_files

    def call(paths, *args, **kwargs):
        asked.append([str(p) for p in api.as_paths(paths)])
        return original(paths, *args, **kwargs)

    monkeypatch.setattr(api, "estimate_ai_files", call)
    return asked


def _footprints(register: dict) -> dict:
    return {s["name"]: s["footprint"] for s in register["systems"]}


def test_the_register_takes_the_reports_estimate_of_the_same_logs(estimates, ai_files_read):
    from greenit.decide import read_ai_register

    _, workloads, ai_options = estimates
    reused = read_ai_register(REGISTER, ai_options, known=(ai_options, workloads))
    assert ai_files_read == []  # both logs it names were read by the report, with its options
    alone = read_ai_register(REGISTER, ai_options)
    assert len(ai_files_read) == 2  # each log once, though two systems name each of them
    assert reused == alone
    sorting = _footprints(reused)["Tri du courrier entrant"]
    runs = workloads.runs
    mine = runs[(runs["project"] == "Tri du courrier entrant") & (runs["estimate_status"] == "estimated")]
    assert sorting["total_kgco2e"] == pytest.approx(float(mine["total_kgco2e"].sum()), rel=1e-12)
    assert sorting["runs"] == 4


@pytest.mark.parametrize("other", [{"year": None}, {"grid_factor_kg_per_kwh": 0.3}])
def test_a_register_read_with_other_options_estimates_its_logs_again(estimates, ai_files_read, other):
    from dataclasses import replace

    from greenit.decide import read_ai_register

    _, workloads, ai_options = estimates
    options = replace(ai_options, **other)
    reused = read_ai_register(REGISTER, options, known=(ai_options, workloads))
    assert sorted(map(tuple, ai_files_read)) == sorted([(str(SAMPLE_AI_LOG),), (str(USAGE),)])
    assert reused == read_ai_register(REGISTER, options)  # never the report's rows under other options


def test_a_register_log_read_with_another_log_of_its_kind_is_read_alone(tmp_path, ai_files_read):
    """Runs found in two logs are counted once: a log read beside another of its kind may lose
    rows to it, so the register reads it alone, as it always did.
    """
    from greenit.api import ai_options_of, estimate_ai_files
    from greenit.decide import read_ai_register
    from greenit.options import Options

    log = write(tmp_path / "journal_ia.csv", SAMPLE_AI_LOG.read_text(encoding="utf-8"))
    copy = write(tmp_path / "copie.csv", SAMPLE_AI_LOG.read_text(encoding="utf-8"))
    register = write(tmp_path / "registre.csv", "Nom;Mesure\nTri;journal_ia.csv#Tri du courrier entrant\n")
    options = ai_options_of(Options(year=2025))
    joint = estimate_ai_files([log, copy], options)
    ai_files_read.clear()
    reused = read_ai_register(register, options, known=(options, joint))
    assert ai_files_read == [[str(log)]]
    footprint = _footprints(reused)["Tri"]
    assert footprint["runs"] == 4 and footprint["total_kgco2e"] > 0  # its own four runs, none lost


def test_render_solves_the_layout_once_and_keeps_the_figure_as_it_was():
    from greenit.reporting.chartstyle import figure, render

    fig = figure(6, 3)
    ax = fig.add_subplot()
    ax.barh([0, 1], [3.0, 5.0])
    ax.set_yticks([0, 1], ["Écran numérique interactif", "Unité centrale"])
    ax.set_title("Empreinte")
    engine = fig.get_layout_engine()
    solved = []
    original = engine.execute
    engine.execute = lambda f: solved.append(1) or original(f)
    first = render(fig)
    assert len(solved) == 1  # for the PNG; the SVG drawn at the positions it left
    assert fig.get_layout_engine() is engine  # put back: a figure saved again is laid out again
    assert first["png"].startswith(b"\x89PNG") and b"<svg" in first["svg"]
    assert render(fig) == first  # the same bytes each time
    position = ax.get_position().bounds
    x0, width = position[0], position[2]
    assert 0.2 < x0 < 0.6 and x0 + width <= 1  # room for the long label, inside the figure


def _written_one_by_one(values, lang):
    """The row-by-row rule of the rows file's figures, as it was before distinct values."""
    import numpy as np

    mark = "," if lang == "fr" else "."
    return ["" if np.isnan(v) else f"{v:.6G}".replace(".", mark) for v in values.to_numpy(dtype=float)]


@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=True),
            st.sampled_from([0.0, -0.0, 2.2128, 1234567.0, 447.048, 1e-7]),  # factors repeat
        ),
        max_size=60,
    ),
    st.sampled_from(["fr", "en"]),
)
def test_the_rows_files_figures_are_written_once_per_distinct_value_as_one_by_one(values, lang):
    from greenit.reporting.rows_csv import decimal_text

    series = pd.Series(values, dtype=float)
    assert decimal_text(series, lang).tolist() == _written_one_by_one(series, lang)


@given(
    st.lists(
        st.one_of(
            st.sampled_from(["manufacture;lifespan", "lifespan", "", "energy;x", "estimated", "flagged"]),
            st.none(),
            st.just(float("nan")),
            st.integers(-2, 2),
            st.floats(allow_nan=False, min_value=-2, max_value=2),
            st.booleans(),
        ),
        max_size=40,
    )
)
def test_the_rows_sheets_words_are_found_once_per_distinct_value_as_one_by_one(values):
    from greenit.reporting.text import Words
    from greenit.reporting.xlsx import _defaults_text, _each

    w = Words("fr")
    series = pd.Series(values, dtype=object)
    for words in (
        lambda text: _defaults_text(text, w),  # 1, 1.0 and True are written apart: « 1 », « 1.0 », « True »
        lambda s: w(f"xlsx.status_{s}") if s in ("estimated", "flagged") else s,
    ):
        one_by_one = series.astype(object).map(words)  # the rule before distinct values
        assert list(map(repr, _each(series, words))) == list(map(repr, one_by_one))  # nan is nan
