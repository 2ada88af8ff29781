"""A wheel carries the bundled scenarios, the schema and the starters, and a non-editable install
finds them from any folder (issue 15: `pip install .` used to ship no scenario at all).

Slow (it builds a wheel: about 10-30 s), marked `slow`, and run by the plain `python -m pytest`.
The wheel is built from a copy of the sources, so nothing is left in the checkout; it is then
unpacked into a folder put first on PYTHONPATH (a pure-Python wheel installed is its files
unpacked), so the test needs no new virtual environment and its dependencies come from this one.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from paths import REPO

pytestmark = pytest.mark.slow

SOURCES = ("model", "scenarios", "pyproject.toml", "setup.py", "MANIFEST.in", "README.md")


def offline_build_possible() -> bool:
    """Whether this environment builds the wheel itself (setuptools 64 or newer, and `wheel`
    before setuptools 70.1), so pip need not fetch the build tools."""
    try:
        import setuptools
    except ImportError:
        return False
    version = tuple(int(x) for x in setuptools.__version__.split(".")[:2] if x.isdigit())
    return version >= (70, 1) or (version >= (64, 0) and importlib.util.find_spec("wheel") is not None)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(REPO / name, src / name)
    out = tmp_path_factory.mktemp("dist")
    cmd = [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "-q", "-w", str(out)]
    if offline_build_possible():
        cmd.append("--no-build-isolation")
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    (whl,) = out.glob("juncture-*.whl")
    return whl


def test_the_wheel_holds_the_scenarios_the_schema_and_the_starters(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    scenarios = sorted(p.relative_to(REPO / "scenarios").as_posix() for p in (REPO / "scenarios").rglob("*.yaml"))
    assert len(scenarios) >= 9
    for name in scenarios + ["scenario.schema.json"]:
        assert f"model/_scenarios/{name}" in names, name
    for template in ("minimal", "events", "tree", "game"):
        assert f"model/io/starters/{template}.yaml" in names
    assert not any(n.startswith(("scenarios/", "tests/")) for n in names)   # nothing at the top but the package


def test_an_installed_copy_finds_and_copies_them_from_an_empty_folder(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    work = tmp_path / "empty"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args], cwd=work, env=env, capture_output=True, text=True,
                              timeout=120)

    where = run("-c", "import model; from model.io.examples import examples_folder; "
                      "print(model.__file__); print(examples_folder())")
    assert where.returncode == 0, where.stderr
    module, folder = where.stdout.split()
    assert Path(module).is_relative_to(site) and Path(folder) == site / "model" / "_scenarios"

    copied = run("-m", "model", "examples", "--copy", "ex")
    assert copied.returncode == 0, copied.stderr
    assert (work / "ex" / "venezuela.yaml").is_file() and (work / "ex" / "scenario.schema.json").is_file()
    assert len(list((work / "ex" / "reference").glob("*.yaml"))) >= 8
    checked = run("-m", "model", "validate", "--no-critique", "ex/venezuela.yaml", "ex/reference/oil_wildcatter.yaml")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    started = run("-m", "model", "new", "s.yaml", "--template", "events")
    assert started.returncode == 0, started.stderr
    assert run("-m", "model", "validate", "--no-critique", "s.yaml").returncode == 0
