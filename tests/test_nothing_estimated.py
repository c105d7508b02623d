"""When nothing could be estimated, both commands say why and exit 2 — never a table of zeros."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from greenit.cli import app
from greenit.errors import GreenitError
from greenit.results.estimates import _require_some


def run_failing(*args) -> tuple[str, GreenitError]:
    """What the console printed before the error, and the error ``main()`` turns into exit 2."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert isinstance(result.exception, GreenitError), result.output
    return result.stdout, result.exception


def test_an_ai_log_with_no_run_estimated_prints_its_reasons_not_a_table_of_zeros(tmp_path):
    log = tmp_path / "journal.csv"
    log.write_text("run_id,duration\n1,abc\n2,\n", encoding="utf-8")
    out, error = run_failing("ai", "estimate", log)
    assert "2 lignes signalées" in out
    assert "« abc » — ce n'est pas un nombre" in out
    assert "Total" not in out and "Exécutions" not in out and "non renseigné" not in out
    assert "n'a pu être estimée" in str(error) and "×1" in str(error)


def test_an_inventory_with_no_row_estimated_prints_its_reasons_not_a_table_of_zeros(tmp_path):
    inventory = tmp_path / "parc.csv"
    inventory.write_text("Nom;Type;Modèle\nA;Badgeuse;Kelio Visio\n", encoding="utf-8")
    out, error = run_failing("estimate", inventory)
    assert "1 ligne signalée" in out and "« Badgeuse » n'est pas un type d'équipement connu" in out
    assert "kgCO2e" not in out
    assert "aucune ligne n'a pu être estimée (1 ligne lue)" in str(error)


def test_one_helper_says_nothing_was_estimated_for_inventories_and_ai_logs():
    """The rule is written once (results.estimates._require_some) and keeps each command's words."""
    nothing = pd.DataFrame({"reason": pd.Series([], dtype=object)})
    _require_some(
        1, 1, nothing, empty="inventory.no_data_rows", nothing="inventory.nothing_estimated", rows=1
    )
    with pytest.raises(GreenitError, match="aucune ligne de données"):
        _require_some(
            0, 0, nothing, empty="inventory.no_data_rows", nothing="inventory.nothing_estimated", rows=0
        )
    with pytest.raises(GreenitError, match="2 runs|2 exécutions|2 lignes"):
        _require_some(0, 2, nothing, empty="rows.no_ai_rows", nothing="rows.nothing_estimated", n=2)
