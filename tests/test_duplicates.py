"""Nothing counted twice: the same file twice (or a renamed copy) is refused; the same device in
two files is counted once with a note — also when the files are read in batches; the same run or
response under one id in AI logs is counted once.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from greenit.api import estimate_ai_files, estimate_files
from greenit.options import Options
from greenit.parsing.duplicates import SeenKeys, file_copies, key_hashes
from greenit.results.batches import estimate_files_read

REAL = ROOT / "tests" / "fixtures" / "real"
ALL_ASSETS, COMPUTERS = REAL / "glpi10_allassets_fr.csv", REAL / "glpi10_computers_fr.csv"


def test_the_same_file_twice_or_a_renamed_copy_is_refused_in_french(tmp_path, run_cli):
    copy = tmp_path / "inventaire (copie).csv"
    shutil.copy(COMPUTERS, copy)
    for second in (COMPUTERS, copy):
        code, out, err = run_cli("estimate", COMPUTERS, second, "--json")
        assert code == 2
        assert "même contenu que" in err and "refusé pour ne pas compter deux fois" in err
        alone = estimate_files([COMPUTERS]).result()["totals"]["total_kgco2e"]
        assert json.loads(out)["totals"]["total_kgco2e"] == pytest.approx(alone)


def test_an_ai_log_passed_twice_is_refused(tmp_path, run_cli):
    log = REAL / "openai_usage_completions.json"
    copy = tmp_path / "export.json"
    shutil.copy(log, copy)
    code, _, err = run_cli("ai", "estimate", log, copy, "--json")
    assert code == 2 and "même contenu que" in err


def test_glpi_all_assets_and_per_type_exports_count_shared_devices_once():
    """The fixtures share two serial numbers (4CZ7KQ2, PC0ABCDE): with a default category for the
    all-assets rows, both files estimate those devices; together they count them once.
    """
    options = Options(default_category="desktop", year=2025)
    both = estimate_files([ALL_ASSETS, COMPUTERS], options)
    first = estimate_files([ALL_ASSETS], options).result()["totals"]["total_kgco2e"]
    second = estimate_files([COMPUTERS], options)
    rows = second.rows
    shared = rows["serial"].isin(["4CZ7KQ2", "PC0ABCDE"]).to_numpy()
    by_hand = first + rows.loc[~shared, "total_kgco2e"].sum()
    assert both.result()["totals"]["total_kgco2e"] == pytest.approx(by_hand)
    notes = both.rows["notes"].astype(str)
    assert notes.str.contains(
        "même appareil que glpi10_allassets_fr.csv ligne 2 \\(numéro de série 4CZ7KQ2\\)"
    ).any()
    assert (both.rows.loc[both.rows["serial"].isin(["4CZ7KQ2"]), "quantity"].tolist()) == [1.0, 0.0]


def test_the_devices_counted_once_are_said_beside_the_total(run_cli):
    """Counted once in the rows is not enough: the console and the JSON say how many rows repeated
    a device, where the total is read (the two shared serial numbers of the fixtures).
    """
    common = ("estimate", ALL_ASSETS, COMPUTERS, "--default-category", "desktop", "--year", "2025")
    code, out, _ = run_cli(*common, "--json")
    assert code == 0 and json.loads(out)["duplicate_rows"] == 2
    code, out, _ = run_cli(*common)
    assert "2 lignes répètent des appareils déjà lus" in " ".join(out.split())
    code, out, _ = run_cli(*common, "--lang", "en")
    assert "2 rows repeat devices already read" in " ".join(out.split())
    code, out, _ = run_cli("estimate", COMPUTERS, "--json")
    assert json.loads(out)["duplicate_rows"] == 0


def _inventory(path, rows):
    lines = ["Nom;Type;Modèle;Numéro de série"] + [";".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@settings(max_examples=10, deadline=None, phases=(Phase.explicit, Phase.reuse, Phase.generate))
@given(
    devices=st.lists(
        st.tuples(st.integers(0, 30), st.sampled_from(["portable", "écran", "serveur"])),
        min_size=1,
        max_size=40,
    ),
    batch=st.sampled_from([40, 200, 10_000]),
)
def test_devices_are_counted_once_whatever_the_files_and_batches(tmp_path_factory, devices, batch):
    """Two files drawn from one park: the estimate counts each distinct serial once, streamed in
    small batches or read whole — the same total as the park without repeats.
    """
    tmp_path = tmp_path_factory.mktemp("parc")
    rows = [(f"PC-{n}", kind, "Modèle X", f"SN{n:05d}") for n, kind in devices]
    half = len(rows) // 2
    first = _inventory(tmp_path / "a.csv", rows[:half] or rows[:1])
    second = _inventory(tmp_path / "b.csv", rows[half:] + rows[:1])
    distinct: dict[str, tuple] = {}
    for row in rows:  # the first row of each serial is the one counted, as the files are read
        distinct.setdefault(row[3], row)
    park = _inventory(tmp_path / "parc.csv", list(distinct.values()))
    options = Options(year=2025)
    expected = estimate_files([park], options).result()["totals"]["total_kgco2e"]
    kept = estimate_files([first, second], options).result()["totals"]["total_kgco2e"]
    from greenit.api import _inventory_options

    checked = _inventory_options(options, [first, second])
    streamed = estimate_files_read(
        [first, second], checked.factors, checked, keep_rows=False, batch_bytes=batch
    )
    assert kept == pytest.approx(expected)
    assert streamed.summary.totals["total_kgco2e"] == pytest.approx(expected)


def test_seen_keys_across_batches_name_where_a_key_was_first():
    seen = SeenKeys()
    hashes, given = key_hashes(pd.Series(["a", "b", "a", None]))
    repeated, files, lines = seen.check(hashes, given, 0, np.array([2, 3, 4, 5]))
    assert repeated.tolist() == [False, False, True, False] and lines[2] == 2
    hashes, given = key_hashes(pd.Series(["b", "c"]))
    repeated, files, lines = seen.check(hashes, given, 1, np.array([2, 3]))
    assert repeated.tolist() == [True, False] and (files[0], lines[0]) == (0, 3)


def test_file_copies_compare_content_not_names(tmp_path):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    a.write_text("Type\nportable\n")
    b.write_text("Type\nportable\n")
    c.write_text("Type\nécran\n")
    assert file_copies([a, c, b, a]) == {2: 0, 3: 0}


RUNS = "run_id;début;durée (h);GPU;nombre de GPU\nr-1;01-03-2025;5;A100;2\nr-2;02-03-2025;3;A100;1\n"


def test_the_same_run_in_two_logs_is_counted_once(tmp_path):
    (tmp_path / "a.csv").write_text(RUNS)
    (tmp_path / "b.csv").write_text(RUNS.replace("r-2;02-03-2025;3", "r-3;02-03-2025;4"))
    result = estimate_ai_files([tmp_path / "a.csv", tmp_path / "b.csv"]).result()
    alone = estimate_ai_files([tmp_path / "a.csv"]).result()["totals"]["total_kgco2e"]
    (tmp_path / "c.csv").write_text(RUNS.splitlines()[0] + "\n" + "r-3;02-03-2025;4;A100;1\n")
    third = estimate_ai_files([tmp_path / "c.csv"]).result()["totals"]["total_kgco2e"]
    assert result["totals"]["total_kgco2e"] == pytest.approx(alone + third)
    [flagged] = result["flagged"]
    assert flagged["reason"] == "même exécution que a.csv ligne 2 (identifiant r-1) : comptée une seule fois"


def test_a_response_saved_twice_under_one_id_is_counted_once(tmp_path):
    lines = (REAL / "mistral_chat_responses.jsonl").read_text().splitlines()
    (tmp_path / "r.jsonl").write_text("\n".join([*lines, lines[0]]) + "\n")
    (tmp_path / "once.jsonl").write_text("\n".join(lines) + "\n")
    twice = estimate_ai_files(tmp_path / "r.jsonl").result()
    once = estimate_ai_files(tmp_path / "once.jsonl").result()
    assert twice["totals"]["total_kgco2e"] == pytest.approx(once["totals"]["total_kgco2e"])
    assert twice["runs_flagged"] == once["runs_flagged"] + 1
    assert "même réponse que r.jsonl ligne 1" in twice["flagged"][-1]["reason"]


def test_runs_with_ids_greenit_made_up_are_never_merged(tmp_path):
    log = "durée (h);GPU;nombre de GPU\n5;A100;2\n5;A100;2\n"
    (tmp_path / "a.csv").write_text(log)
    assert estimate_ai_files(tmp_path / "a.csv").result()["runs_estimated"] == 2
