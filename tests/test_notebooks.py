"""The analyst notebooks: each runs top to bottom on a fresh Jupyter kernel, its charts show as
images, it uses the public API only, and it is committed without outputs.

The kernel is this test's own interpreter (a kernelspec written for ``sys.executable`` and put
first on ``JUPYTER_PATH``), so a user's other ``python3`` kernel can never stand in for it.
"""

from __future__ import annotations

import ast
import base64
import json
import sys
import time

import pytest

from conftest import ROOT

NOTEBOOKS_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
#: A cell still running after this long has hung (a guard, not a measure: the seconds a notebook
#: takes are printed, never asserted — a shared machine's load would fail a wall-clock bound).
CELL_TIMEOUT_S = 120
#: What a figure prints as when Jupyter cannot show it as an image.
FIGURE_AS_TEXT = ("<Figure size", "<Chart size", "<Axes", "<matplotlib.")


def code_cells(notebook: dict) -> list[dict]:
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def source(cell: dict) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def is_chart(cell: dict) -> bool:
    return "chart" in cell.get("metadata", {}).get("tags", [])


def test_the_notebooks_of_the_analyst_are_there():
    assert [n.name for n in NOTEBOOKS] == [
        "01_inventaire.ipynb",
        "02_leviers.ipynb",
        "03_ia.ipynb",
        "04_historique.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_committed_notebook_has_no_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    dirty = [
        i for i, cell in enumerate(code_cells(notebook)) if cell.get("outputs") or cell.get("execution_count")
    ]
    assert dirty == [], f"{path.name}: code cells {dirty} have outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_notebook_uses_only_the_public_api(path):
    import greenit

    notebook = json.loads(path.read_text(encoding="utf-8"))
    private = []
    for cell in code_cells(notebook):
        for node in ast.walk(ast.parse(source(cell))):
            if isinstance(node, ast.Import):
                private += [a.name for a in node.names if a.name.startswith("greenit.")]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("greenit"):
                private.append(f"from {node.module} import …")
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "greenit"
                and node.attr not in greenit.__all__
            ):
                private.append(f"greenit.{node.attr}")
    assert private == [], f"{path.name} reaches past the public API: {private}"


@pytest.fixture(scope="module")
def this_interpreter_kernel(tmp_path_factory):
    """JUPYTER_PATH with a ``python3`` kernelspec that starts this very interpreter."""
    folder = tmp_path_factory.mktemp("jupyter")
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec.joinpath("kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "greenit tests", "language": "python"}), encoding="utf-8"
    )
    return folder


def run_notebook(path, jupyter_path, temporary, monkeypatch) -> tuple[dict, float]:
    """Execute a copy of ``path`` on a fresh kernel started in the notebook's folder (its
    temporary folders under ``temporary``); return the executed notebook and the seconds it took
    (kernel start included).
    """
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("JUPYTER_PATH", str(jupyter_path))
    monkeypatch.setenv("TMPDIR", str(temporary))
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("import sys\nprint(sys.prefix)"))
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    return notebook, time.perf_counter() - start


def png_outputs(cell: dict) -> list[bytes]:
    return [
        base64.b64decode(output["data"]["image/png"])
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]


def figures_as_text(cell: dict) -> list[str]:
    """Outputs that are a figure's text repr with no image beside it."""
    found = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        plain = data.get("text/plain", "") or output.get("text", "")
        if plain.lstrip().startswith(FIGURE_AS_TEXT) and "image/png" not in data:
            found.append(plain.strip())
    return found


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_notebook_runs_top_to_bottom_on_a_jupyter_kernel(
    path, this_interpreter_kernel, tmp_path, monkeypatch
):
    notebook, seconds = run_notebook(path, this_interpreter_kernel, tmp_path, monkeypatch)
    cells = code_cells(notebook)
    # the kernel was this environment's interpreter, not some other python3
    assert cells[-1]["outputs"][0]["text"].strip() == sys.prefix
    charts = [(i, cell) for i, cell in enumerate(cells) if is_chart(cell)]
    assert charts, f"{path.name}: no cell tagged 'chart'"
    for i, cell in charts:
        images = png_outputs(cell)
        assert images, f"{path.name}, code cell {i}: a chart cell shows no image/png\n{source(cell)}"
        assert all(image.startswith(b"\x89PNG") and len(image) > 10_000 for image in images)
    as_text = [(i, figures_as_text(cell)) for i, cell in enumerate(cells) if figures_as_text(cell)]
    assert as_text == [], f"{path.name}: figures printed as text: {as_text}"
    print(f"{path.name}: {seconds:.1f} s")
