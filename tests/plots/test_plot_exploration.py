"""The figures of scenario discovery and of Sobol indices draw the analyses' numbers, without a
warning, and `juncture plot` draws them as recipes."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import REPO, drawn

from model.analysis.explore import explore
from model.cli import main
from model.compile import compile_scenario
from model.io import load
from model.plots import explore_view, prim_box, prim_tradeoff, sobol_bars

PLANTED = REPO / "tests" / "data" / "planted_box.yaml"
ISHIGAMI = REPO / "scenarios" / "reference" / "ishigami.yaml"


@pytest.fixture(scope="module")
def planted():
    return explore(load(PLANTED), "act", 3_000, seed=2)


def _by_gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def test_the_box_is_drawn_at_its_limits(planted):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = prim_box(planted)
        drawn(ax)
    [rect] = _by_gid(ax, "box")
    box = planted.boxes[0].box
    j = [j for j, _ in planted.restricting(0)]
    assert rect.get_x() == pytest.approx(box.lower[j[0]])
    assert rect.get_x() + rect.get_width() == pytest.approx(box.upper[j[0]])
    assert rect.get_y() == pytest.approx(box.lower[j[1]])
    assert rect.get_y() + rect.get_height() == pytest.approx(box.upper[j[1]])
    cases = _by_gid(ax, "case-draws")[0].get_offsets()
    assert len(cases) == planted.cases.sum()                           # 3,000 draws: all shown


def test_the_tradeoff_rings_the_box_kept(planted):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = prim_tradeoff(planted)
        drawn(ax)
    traj = planted.boxes[0]
    steps = _by_gid(ax, "steps")[0].get_offsets()
    assert len(steps) == len(traj.steps)
    [kept] = _by_gid(ax, "kept")
    np.testing.assert_allclose(kept.get_offsets()[0], [traj.box.coverage, traj.box.density])


def test_both_panels_and_the_empty_case():
    ex = explore(load(PLANTED), "decline", 500, seed=2)                 # never best: no box
    ax = explore_view(ex)
    assert len(ax.figure.axes) == 2
    assert ax.get_gid() == "empty"


def test_sobol_bars_are_the_indices():
    pytest.importorskip("SALib")
    from model.analysis.sobol import sobol

    s = sobol(compile_scenario(load(ISHIGAMI)), 512)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = sobol_bars(s)
        drawn(ax)
    k = s.outputs.index("margin")
    for name in s.inputs:
        j = s.inputs.index(name)
        [st] = [a for a in ax.patches if a.get_gid() == f"ST:{name}"]
        assert st.get_width() == pytest.approx(s.st[k, j])


@pytest.mark.parametrize("argv", [
    [str(PLANTED), "explore", "--of", "act", "--samples", "1000"],
    [str(ISHIGAMI), "sobol", "--samples", "256", "--top", "2"],
])
def test_juncture_plot_draws_them(tmp_path, capsys, argv):
    if argv[1] == "sobol":
        pytest.importorskip("SALib")
    out = tmp_path / "f.svg"
    assert main(["plot", argv[0], argv[1], "-o", str(out), *argv[2:]]) == 0
    assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert main(["plot", argv[0], argv[1], "-o", str(out), "--force", "--of", "nope"]) == 2
    assert "--of must be" in capsys.readouterr().err
