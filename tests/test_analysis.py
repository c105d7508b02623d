"""What an analyst does in a notebook, through the public API only: a missing file is an error,
levers compared on an estimate, two estimates side by side, the sources behind the figures, the
report's result and charts, and charts that Jupyter shows as images.
"""

from __future__ import annotations

import pytest

import greenit
from conftest import ROOT, SAMPLE_AI_LOG, SAMPLE_INVENTORY, write

YEAR = 2025
INVENTORY = (
    "Type;Quantité;Date d'achat;Direction\nOrdinateur portable;2;15-03-2023;DRH\nÉcran;3;10-01-2024;DRH\n"
)


@pytest.fixture(scope="module")
def sample():
    return greenit.estimate_files([SAMPLE_INVENTORY], year=YEAR)


@pytest.fixture(scope="module")
def sample_ai():
    return greenit.estimate_ai_files([SAMPLE_AI_LOG])


def test_a_missing_inventory_file_is_an_error_naming_it_and_the_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    good = write(tmp_path / "inventaire.csv", INVENTORY)
    with pytest.raises(greenit.GreenitError) as raised:
        greenit.estimate_files([good, "inventaire_2019.csv"], year=YEAR)
    assert raised.value.render("fr") == (
        "inventaire_2019.csv : fichier introuvable\n"
        f"  → vérifiez les chemins (relatifs au dossier du carnet ou du script : {tmp_path})"
    )


def test_several_missing_files_are_named_together(tmp_path):
    with pytest.raises(greenit.GreenitError, match="fichiers introuvables.*a.csv, .*b.csv"):
        greenit.estimate_files([tmp_path / "a.csv", tmp_path / "b.csv"], year=YEAR)


def test_a_missing_ai_log_is_an_error_too(tmp_path):
    with pytest.raises(greenit.GreenitError, match="absent.csv"):
        greenit.estimate_ai_files([SAMPLE_AI_LOG, tmp_path / "absent.csv"])


def test_on_missing_report_keeps_the_per_file_report_of_the_cli(tmp_path):
    good = write(tmp_path / "inventaire.csv", INVENTORY)
    estimate = greenit.estimate_files([tmp_path / "absent.csv", good], year=YEAR, on_missing="report")
    assert estimate.result()["rows_in"] == 2
    assert [e["file"] for e in estimate.file_errors] == [str(tmp_path / "absent.csv")]


def test_on_missing_takes_raise_or_report_only(tmp_path):
    with pytest.raises(greenit.GreenitError, match="« raise ».*« report ».*« skip »"):
        greenit.estimate_files([write(tmp_path / "i.csv", INVENTORY)], year=YEAR, on_missing="skip")


def test_levers_compared_on_an_estimate_start_from_its_total(sample, sample_ai):
    table = greenit.compare_levers(sample, ["lifespan+2", "reuse=50%"], workloads=sample_ai)
    baseline = sample.result()["totals"]["total_kgco2e"] + sample_ai.result()["totals"]["total_kgco2e"]
    assert table["total_kgco2e"].iloc[0] == pytest.approx(baseline, rel=1e-6)
    assert list(table["scenario"]) == [
        "Situation actuelle",
        "Durée de vie +2 ans",
        "Réemploi de 50\u202f% du matériel réformé",
    ]
    # alone, each lever is measured against the baseline: the same as its own comparison
    alone = greenit.compare_levers(sample, ["reuse=50%"], workloads=sample_ai)
    assert table["change_kgco2e"].iloc[2] == pytest.approx(alone["change_kgco2e"].iloc[1])
    assert (table["change_kgco2e"].iloc[1:] < 0).all()


def test_a_lever_limited_to_categories_is_labelled_with_their_names(sample):
    table = greenit.compare_levers(sample, ["lifespan+1:laptop,desktop"], lang="fr")
    assert table["scenario"].iloc[1] == "Durée de vie +1 an (Ordinateur portable, Unité centrale)"
    english = greenit.compare_levers(sample, ["lifespan+1:laptop"], lang="en")
    assert list(english["scenario"]) == ["Baseline", "Lifespan +1 year (Laptop)"]


def test_cumulative_levers_end_where_the_waterfall_ends(sample):
    table = greenit.compare_levers(sample, ["lifespan+2", "refurbished=30%"], cumulative=True)
    assert table["step_kgco2e"].sum() == pytest.approx(table["change_kgco2e"].iloc[-1])
    figure = greenit.lever_waterfall(table)
    assert figure._repr_png_().startswith(b"\x89PNG")


def test_ai_levers_without_an_inventory(sample_ai):
    table = greenit.compare_levers(None, ["pue=1.2"], workloads=sample_ai)
    assert table["inventory_kgco2e"].tolist() == [0.0, 0.0]
    assert table["ai_kgco2e"].iloc[0] == pytest.approx(sample_ai.result()["totals"]["total_kgco2e"])
    assert table["ai_kgco2e"].iloc[1] < table["ai_kgco2e"].iloc[0]
    with pytest.raises(greenit.GreenitError, match="aucune estimation"):
        greenit.compare_levers(None, ["pue=1.2"])


def test_two_years_side_by_side_per_category(tmp_path):
    before = greenit.estimate_files([write(tmp_path / "2024.csv", INVENTORY)], year=2024)
    after_file = INVENTORY + "Unité centrale;1;02-02-2025;DRH\n"
    after = greenit.estimate_files([write(tmp_path / "2025.csv", after_file)], year=2025)
    table = greenit.compare_estimates(before, after).set_index("category")
    totals = {
        name: greenit.group_totals(e.rows, "category").set_index("category")["total_kgco2e"]
        for name, e in (("before", before), ("after", after))
    }
    assert table.loc["desktop", "total_before_kgco2e"] == 0.0  # bought in 2025: not there in 2024
    assert table.loc["desktop", "change_kgco2e"] == pytest.approx(totals["after"]["desktop"])
    for category in ("laptop", "monitor"):
        expected = totals["after"][category] - totals["before"][category]
        assert table.loc[category, "change_kgco2e"] == pytest.approx(expected)
        assert table.loc[category, "change_share"] == pytest.approx(expected / totals["before"][category])
    assert table.loc["laptop", "quantity_before"] == table.loc["laptop", "quantity_after"] == 2
    changes = table["change_kgco2e"].abs().tolist()
    assert changes == sorted(changes, reverse=True)


def test_factor_sources_give_every_row_used_and_its_sources(sample):
    sources = greenit.factor_sources(sample)
    estimated = {c for c in greenit.group_totals(sample.rows, "category")["category"] if c}
    assert set(sources["devices"]["category"]) == estimated
    laptop = sources["devices"].set_index("category").loc["laptop"]
    assert laptop["manufacture_kgco2e"] == sample.factors.devices.loc["laptop", "manufacture_kgco2e"]
    cited = {s for ids in sources["devices"]["sources"] for s in ids}
    assert cited <= set(sources["sources"]["id"])
    france = sources["electricity"].set_index("country").loc["FRA"]
    assert france["carbon_intensity_kg_per_kwh"] == sample.factors.grid_factor("FRA")
    assert france["source_id"] in set(sources["sources"]["id"])


def test_footprint_result_of_estimates_is_the_report_result(sample, sample_ai):
    built, _ = greenit.build_footprint([SAMPLE_INVENTORY], ai_paths=[SAMPLE_AI_LOG], year=YEAR, headcount=400)
    mine = greenit.footprint_result(sample, sample_ai, headcount=400)
    assert mine.to_json()["headline"] == built.to_json()["headline"]
    assert mine.to_json()["scenarios"] == built.to_json()["scenarios"]
    assert mine.inputs == [str(SAMPLE_INVENTORY)] and mine.ai_inputs == [str(SAMPLE_AI_LOG)]
    charts = greenit.footprint_charts(mine)
    assert set(charts) == {
        "empreinte_par_categorie",
        "empreinte_par_direction",
        "age_des_equipements",
        "ia_par_projet",
        "leviers",
    }


def test_a_chart_shows_as_an_image_in_jupyter_not_as_text(sample):
    formatters = pytest.importorskip("IPython.core.formatters")
    figure = greenit.footprint_by_category(
        greenit.group_totals(sample.rows, "category"), sample.factors.devices
    )
    data, _ = formatters.DisplayFormatter().format(figure)
    assert data["image/png"].startswith(b"\x89PNG")


def test_every_public_name_resolves():
    missing = [name for name in greenit.__all__ if getattr(greenit, name, None) is None]
    assert missing == []
    assert set(greenit.__all__) <= set(dir(greenit))


def test_a_subset_keeps_rows_and_levers_on_the_same_devices():
    from dataclasses import replace

    import greenit
    from greenit.errors import GreenitError

    town = greenit.estimate_files([SAMPLE_INVENTORY], year=2025)
    schools = town.subset(town.rows["entity"].astype(str).str.contains("écoles", case=False))
    total = schools.result()["totals"]["total_kgco2e"]
    assert 0 < total < town.result()["totals"]["total_kgco2e"]
    table = greenit.compare_levers(schools, ["lifespan+2"])
    # the subset's own baseline (the JSON keeps 9 significant digits)
    assert table["total_kgco2e"].iloc[0] == pytest.approx(total, rel=1e-8)
    assert 0 < table["total_kgco2e"].iloc[1] < total
    filtered_by_hand = replace(town, rows=schools.rows, _summary=None)
    with pytest.raises(GreenitError, match="subset"):
        greenit.compare_levers(filtered_by_hand, ["lifespan+2"])


def test_a_subset_that_matches_nothing_says_so():
    """The README's filter once matched no row (« École » where the entity says « écoles »): the
    subset's totals and levers were 0, without a word.
    """
    import greenit
    from greenit.errors import GreenitError

    town = greenit.estimate_files([SAMPLE_INVENTORY], year=2025)
    with pytest.raises(GreenitError, match="aucune des 2058 lignes"):
        town.subset(town.rows["entity"].astype(str).str.contains("École"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = next(line for line in readme.splitlines() if line.startswith("schools = inventory.subset("))
    schools = eval(example.split("=", 1)[1].strip(), {"inventory": town})  # the README's own line
    assert 0 < len(schools.rows) < len(town.rows)
