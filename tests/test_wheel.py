"""A wheel built from the checkout, installed (not editable) in a fresh venv, works on its own."""

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile

import pytest

from conftest import FACTORS_VERSION, ROOT, write


@pytest.mark.slow
def test_wheel_installed_in_a_fresh_venv_estimates_a_file_outside_the_checkout(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next(dist.glob("greenit-*.whl"))
    with zipfile.ZipFile(wheel) as archive:  # PEP 561: type checkers read greenit's annotations
        assert "greenit/py.typed" in archive.namelist()
    fresh = tmp_path / "fresh"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
        check=True,
    )
    (tmp_path / "elsewhere").mkdir()
    inventory = write(tmp_path / "elsewhere" / "inventaire.csv", "Type;Quantité\nPortable;3\n")
    # dependencies come from the test's own environment; greenit only from the wheel
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    where = subprocess.run(
        [str(python), "-c", "import greenit, sys; print(greenit.__file__)"],
        capture_output=True,
        text=True,
        cwd=inventory.parent,
        env=env,
        check=True,
    )
    assert where.stdout.startswith(str(fresh))
    proc = subprocess.run(
        [str(fresh / "bin" / "greenit"), "estimate", str(inventory), "--json", "--year", "2025"],
        capture_output=True,
        text=True,
        cwd=inventory.parent,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["rows_estimated"] == 1
    assert result["by_category"][0]["quantity"] == 3
    assert result["factors_version"] == FACTORS_VERSION
    packaged = (
        fresh
        / "lib"
        / f"python{sys.version_info.major}.{sys.version_info.minor}"
        / ("site-packages/greenit/emission_factors/devices.csv")
    )
    assert packaged.exists()
