"""PRIM (model.analysis.prim): peeling worked by hand, boxes on planted regions, and the same
trajectory as EMA Workbench's implementation, of which it is a port (when EMA Workbench is
installed; it is not a dependency)."""

from __future__ import annotations

import numpy as np
import pytest

from model.analysis.prim import choose_step, find_boxes


def test_one_number_peels_five_percent_a_step_as_worked_by_hand():
    # x = 0..99, cases x >= 80 (20 of 100). Step 1 by hand, sdtoolkit's quantile: (100 - 1) x 0.05
    # = 4.95, order statistic x(4) = 4, next distinct value 5 -> peel below 4.5: 95 draws left,
    # all 20 cases, density 20/95. The upper end (x > 94.5) would remove 5 cases and is never taken.
    x = np.arange(100.0)[:, None]
    y = x[:, 0] >= 80
    [traj] = find_boxes(x, y, choose="last")
    first = traj.steps[1]
    assert first.lower[0] == 4.5 and first.upper[0] == 99.0
    assert (first.n, first.cases, first.mass) == (95, 20, 0.95)
    assert first.density == pytest.approx(20 / 95)
    # The end by hand: with 21 draws left (78.5 < x <= 99: 79..99), (21 - 1) x 0.05 = 1, order
    # statistic x(1) = 80, next distinct 81: the peel below 80.5 drops 79 and the case 80, and
    # raises the density from 20/21 to 19/19: (1 - 20/21) / 2 > 0, so it is taken. Then nothing
    # raises the density further; pasting back below would add 5 draws with 1 case.
    before, last = traj.steps[-2], traj.box
    assert (before.lower[0], before.n, before.cases) == (78.5, 21, 20)
    assert (last.lower[0], last.upper[0], last.n, last.cases) == (80.5, 99, 19, 19)
    assert (last.coverage, last.density) == (0.95, 1.0)
    assert traj.peels == len(traj.steps) - 1
    # the balanced choice: harmonic mean of coverage and density 2 x 20/21 / (1 + 20/21) = 0.976
    # before the last peel, 2 x 0.95 / 1.95 = 0.974 after it
    [balanced] = find_boxes(x, y)
    assert balanced.box.lower[0] == 78.5 and balanced.box.coverage == 1.0
    assert np.array_equal(balanced.inside, x[:, 0] > 78.5)


def test_a_planted_box_in_noise_numbers_restricts_only_its_two():
    rng = np.random.default_rng(5)
    x = rng.random((5000, 6))
    y = (x[:, 0] > 0.6) & (x[:, 3] < 0.5)          # mass 0.4 x 0.5 = 0.2
    [traj] = find_boxes(x, y, max_boxes=1)
    box = traj.box
    assert box.restricted == (0, 3)
    assert box.lower[0] == pytest.approx(0.6, abs=0.02) and box.upper[3] == pytest.approx(0.5, abs=0.02)
    assert box.coverage > 0.95 and box.density > 0.95 and box.mass == pytest.approx(0.2, abs=0.02)


def test_a_second_box_is_found_outside_the_first():
    # cases in two squares, 0.5 x 0.5 top right (mass 0.25) and 0.3 x 0.3 bottom left (0.09): the
    # first box is the larger, the second is sought among the draws outside it
    rng = np.random.default_rng(6)
    x = rng.random((6000, 2))
    y = ((x[:, 0] > 0.5) & (x[:, 1] > 0.5)) | ((x[:, 0] < 0.3) & (x[:, 1] < 0.3))
    first, second = find_boxes(x, y, max_boxes=3, min_density=0.8)
    np.testing.assert_allclose(first.box.lower, [0.5, 0.5], atol=0.02)
    np.testing.assert_allclose(second.box.upper, [0.3, 0.3], atol=0.02)
    assert not (first.inside & second.inside).any()
    # coverage counts every case of the data: 0.25 / 0.34 and 0.09 / 0.34 of them, about
    assert first.box.coverage == pytest.approx(0.25 / 0.34, abs=0.03)
    assert second.box.coverage == pytest.approx(0.09 / 0.34, abs=0.03)
    assert min(first.box.density, second.box.density) > 0.95


def test_a_categorical_column_is_peeled_a_category_at_a_time():
    rng = np.random.default_rng(7)
    world = rng.integers(0, 4, 4000)
    x = rng.random((4000, 1))
    y = (world == 2) & (x[:, 0] < 0.5)
    [traj] = find_boxes(x, y, world[:, None], max_boxes=1)
    box = traj.box
    assert box.categories == (frozenset({2}),)
    assert box.upper[0] == pytest.approx(0.5, abs=0.03)
    assert box.restricted == (0, 1)                  # the number, then the categorical column


def test_nothing_to_peel_gives_no_box():
    x = np.arange(50.0)[:, None]
    assert find_boxes(x, np.ones(50, dtype=bool)) == []     # every draw a case: peeling gains nothing
    assert find_boxes(x, np.zeros(50, dtype=bool)) == []


def test_the_balanced_choice_is_the_largest_harmonic_mean_after_the_start():
    x = np.arange(100.0)[:, None]
    [traj] = find_boxes(x, x[:, 0] >= 80, choose="balanced")
    f1 = [2 * s.coverage * s.density / (s.coverage + s.density) for s in traj.steps]
    assert traj.chosen == 1 + int(np.argmax(f1[1:]))
    assert choose_step(traj.steps, "last") == len(traj.steps) - 1


def test_bad_settings_are_refused():
    x, y = np.zeros((3, 1)), np.array([True, False, True])
    with pytest.raises(ValueError, match="peel_alpha"):
        find_boxes(x, y, peel_alpha=0.6)
    with pytest.raises(ValueError, match="choose"):
        find_boxes(x, y, choose="best")
    with pytest.raises(ValueError, match=r"\[draws, numbers\]"):
        find_boxes(np.zeros(3), y)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_same_trajectory_as_ema_workbench(seed):
    """The port walks EMA Workbench's trajectory step for step: the same coverage, density, mass and
    number of restrictions at every step, and the same final limits (ties from rounded data
    included; its pasting too)."""
    pd = pytest.importorskip("pandas")
    ema = pytest.importorskip("ema_workbench.analysis.prim")
    rng = np.random.default_rng(seed)
    n, d = 800, 4
    x = rng.random((n, d)) * rng.uniform(0.5, 20, d)
    if seed == 1:
        x = np.round(x, 0)                          # ties: sdtoolkit's quantile skips equal values
    y = (x[:, 0] > np.quantile(x[:, 0], 0.4)) & (x[:, 1] < np.quantile(x[:, 1], 0.5))
    y ^= rng.random(n) < 0.05
    box = ema.Prim(pd.DataFrame(x, columns=[f"x{i}" for i in range(d)]), y, threshold=0.5).find_box()
    theirs = box.peeling_trajectory[["coverage", "density", "mass", "res_dim"]].to_numpy(dtype=float)
    [traj] = find_boxes(x, y, choose="last", max_boxes=1, min_density=0)
    ours = np.array([[s.coverage, s.density, s.mass, len(s.restricted)] for s in traj.steps])
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(np.vstack([traj.box.lower, traj.box.upper]), box.box_lims[-1].to_numpy(dtype=float))
