"""Scenario discovery (model.analysis.explore): the planted box of tests/data/planted_box.yaml is
recovered, margins follow the file's arithmetic, worlds are a dimension, draws are the keyed blocks."""

from __future__ import annotations

import numpy as np
import pytest
from paths import REPO

from model.analysis.explore import ExplorePlan, Settings, explore, explore_task
from model.analysis.sampling import draw
from model.compile import compile_scenario
from model.io import load

PLANTED = REPO / "tests" / "data" / "planted_box.yaml"
REGRET = REPO / "scenarios" / "reference" / "regret_three_worlds.yaml"
TEXACO = REPO / "scenarios" / "reference" / "texaco_pennzoil.yaml"
P1, X2, X3 = "tree.wait.gamble.low.p", "tree.wait.invest.payoff", "tree.decline.payoff"


@pytest.mark.parametrize("seed", [20251107, 1, 2])
def test_the_planted_box_is_recovered(seed):
    """act is best exactly when p1 > 0.6 and x2 < 10 (see the file's header): the box PRIM keeps
    bounds p1 from below and x2 from above within 0.05 of those limits, on the scale of each
    number's range (p1 on [0, 1]: 0.05; x2 on [0, 20]: 1.0), leaves x3 free, and has coverage and
    density above 0.9 (issue 14)."""
    ex = explore(load(PLANTED), "act", 10_000, seed=seed)
    assert len(ex.boxes) >= 1
    lim = ex.limits(0)
    assert set(lim) == {P1, X2}
    (p_lo, p_hi), (x_lo, x_hi) = lim[P1], lim[X2]
    assert abs(p_lo - 0.6) <= 0.05 and p_hi == 1.0          # the side left free is the number's own bound
    assert x_lo == 0.0 and abs(x_hi - 10) / 20 <= 0.05
    box = ex.boxes[0].box
    assert box.coverage > 0.9 and box.density > 0.9
    # act is best in 0.4 x 0.5 = 20% of draws; 4 standard errors of 10,000 draws: 0.016
    assert ex.share_best == pytest.approx(0.2, abs=0.016)
    assert box.mass == pytest.approx(0.2, abs=0.03)


def test_the_json_shape_is_the_issues():
    d = explore(load(PLANTED), "act", 2_000, seed=3).to_dict()
    assert d["option"] == "act" and 0 < d["share_best"] < 1
    box = d["boxes"][0]
    assert {"limits", "coverage", "density", "mass"} <= set(box)
    assert all(isinstance(v, list) and len(v) == 2 for v in box["limits"].values())
    assert box["trajectory"][box["chosen"]]["coverage"] == box["coverage"]


def test_the_margins_are_the_files_arithmetic():
    # act pays 10; wait the better of 10.6 - p1 and x2; decline x3: act's margin over the best other
    # option is 10 - max(10.6 - p1, x2, x3), the best option's margin over the next the top two's gap
    ex = explore(load(PLANTED), "act", 3_000, seed=4)
    d = ex.draws
    x = dict(zip(d.names, d.x.T))
    wait = np.maximum(10.6 - x[P1], x[X2])
    np.testing.assert_allclose(d.margin_of(0), 10 - np.maximum(wait, x[X3]), atol=1e-9)
    values = np.column_stack([np.full(d.n, 10.0), wait, x[X3]])
    top2 = np.sort(values, axis=1)[:, -2:]
    np.testing.assert_allclose(d.margin, top2[:, 1] - top2[:, 0], atol=1e-9)
    assert np.array_equal(ex.cases, d.best[:, 0])


def test_the_draws_are_the_keyed_blocks_of_sampling():
    """Task k is block k of `sampling.draw`'s stream: the run is the same however its tasks are run."""
    sc = load(PLANTED)
    m = compile_scenario(sc)
    n = 20_000                                               # three blocks of 8,192
    ex = explore(sc, "act", n, seed=9)
    cols = [m.params.index(name) for name in ex.draws.names]
    np.testing.assert_array_equal(ex.draws.x, draw(m, n, seed=9)[:, cols])
    plan = ExplorePlan((m,), (None,), (n,), 9, np.array(cols))
    xs, values, best = explore_task(plan, 2)
    np.testing.assert_array_equal(xs, ex.draws.x[2 * 8192:])
    np.testing.assert_array_equal(best, ex.draws.best[2 * 8192:])


def test_fails_looks_at_the_other_draws():
    sc = load(PLANTED)
    best = explore(sc, "act", 2_000, seed=5)
    fails = explore(sc, "act", 2_000, seed=5, fails=True)
    assert np.array_equal(fails.cases, ~best.cases)
    assert fails.share_best == best.share_best


def test_worlds_are_a_dimension_of_the_boxes():
    """regret_three_worlds fixes every number; by its table negotiate is best only when the
    adversary escalates (20 against 0 and 10), blockade as written and when it backs down (60)."""
    sc = load(REGRET)
    ex = explore(sc, "negotiate", 4_000, seed=1)
    assert ex.draws.worlds == (None, "backs_down", "stalemate", "escalation")
    assert np.bincount(ex.draws.world).tolist() == [1_000] * 4
    assert ex.box_worlds(0) == ("escalation",)
    box = ex.boxes[0].box
    assert (box.coverage, box.density, box.mass) == (1.0, 1.0, 0.25)
    blockade = explore(sc, "blockade", 4_000, seed=1)
    assert blockade.box_worlds(0) == (None, "backs_down")
    assert blockade.to_dict()["boxes"][0]["worlds"] == [None, "backs_down"]
    one = explore(sc, "negotiate", 400, worlds=["stalemate"])
    assert one.share_best == 0.0 and not one.boxes and "no uncertain number" in one.notes[-1]


def test_a_file_with_nothing_uncertain_has_no_region():
    ex = explore(load(TEXACO), None, 100)
    assert ex.option == "counteroffer_5bn" and not ex.boxes and ex.draws.names == ()
    assert "no uncertain number" in ex.notes[-1]


def test_bad_arguments_are_refused():
    sc = load(PLANTED)
    with pytest.raises(ValueError, match=r"no option 'nope' \(options: act, wait, decline\)"):
        explore(sc, "nope", 100)
    with pytest.raises(ValueError, match="no world"):
        explore(sc, "act", 100, worlds=["mars"])
    with pytest.raises(ValueError, match="choose"):
        explore(sc, "act", 100, settings=Settings(choose="best"))
