"""Every notebook in notebooks/ runs top to bottom on a fresh kernel, and is committed without outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_the_four_notebooks_are_there():
    names = {p.stem for p in NOTEBOOKS}
    for stem in ("01_venezuela_options", "02_uncertainty_and_sensitivity", "03_write_your_own_scenario",
                 "04_robustness_and_weights"):
        assert stem in names, f"notebooks/{stem}.ipynb is missing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{path.name}: clear outputs before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_runs_top_to_bottom(path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    # a notebook that draws must show its figures (a figure drawn but never displayed is a silent bug)
    if any("model.plots" in c.source for c in nb.cells if c.cell_type == "code"):
        images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                  if "data" in o and "image/png" in o["data"]]
        assert images, f"{path.name} draws figures but none is displayed"
