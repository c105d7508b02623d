"""Every analyst notebook runs top to bottom on the bundled sample data."""

import json
import os

import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.name for n in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(notebook, monkeypatch):
    monkeypatch.chdir(notebook.parent)  # as Jupyter starts it: paths are relative to the notebook
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    namespace: dict = {"__name__": "__notebook__"}
    code_cells = [c for c in cells if c["cell_type"] == "code"]
    assert code_cells
    for index, cell in enumerate(code_cells):
        source = "".join(cell["source"])
        try:
            exec(compile(source, f"{notebook.name}[{index}]", "exec"), namespace)
        except Exception as error:  # pragma: no cover - the message says which cell
            pytest.fail(f"{notebook.name}, code cell {index}: {error!r}\n{source}")
    assert os.getcwd() == str(notebook.parent)
