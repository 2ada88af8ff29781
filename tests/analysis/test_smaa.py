"""SMAA: rank acceptability exactly 1 for a dominating option, symmetric for mirror options,
analytic shares and central weights on small matrices, ties split, seeds reproduce."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from model import load, loads
from model.analysis.mcda import pareto
from model.analysis.smaa import acceptability, smaa
from model.compile import compile_scenario

from paths import VENEZUELA_FROZEN

TWO = """\
scenario: {id: s, title: SMAA}
criteria: [{id: a, range: [0, 1]}, {id: b, range: [0, 1]}]
options:
"""


def model(options: str, head: str = TWO):
    return compile_scenario(loads(head + options))


def within(actual: np.ndarray, expected: np.ndarray, n: int, k: float = 4.0) -> None:
    """Shares within k Monte Carlo standard errors (and 0.002 for shares near 0 or 1)."""
    se = np.sqrt(np.asarray(expected) * (1 - np.asarray(expected)) / n)
    assert np.all(np.abs(actual - expected) <= k * se + 2e-3), (actual, expected)


def test_a_dominating_option_is_first_in_every_draw():
    # a is better than b and c on both criteria whatever the weights and the drawn impacts
    m = model("  - {id: a, impacts: {a: [0.8, 1], b: [0.7, 0.9]}}\n"
              "  - {id: b, impacts: {a: [0.1, 0.5], b: [0.2, 0.6]}}\n"
              "  - {id: c, impacts: {a: 0.6, b: 0.1}}\n")
    r = smaa(m, 2000, seed=5)
    assert r.rank_acceptability[0, 0] == 1.0
    assert list(r.rank_acceptability[0]) == [1.0, 0.0, 0.0]
    assert r.rank_acceptability[1:, 0].tolist() == [0.0, 0.0]
    assert r.confidence[0] == 1.0
    assert np.isnan(r.confidence[1]) and np.isnan(r.central_weights[1]).all()
    assert r.to_dict()["central_weights"]["b"] is None and r.to_dict()["confidence"]["b"] is None


def test_two_mirror_options_share_the_ranks_symmetrically():
    # a = (1, 0), b = (0, 1), weights uniform on the simplex: a wins when w_a > 1/2, so each takes
    # each rank half the time; a's central weights are E[w | w_a > 1/2] = (3/4, 1/4)
    m = model("  - {id: x, impacts: {a: 1, b: 0}}\n  - {id: y, impacts: {a: 0, b: 1}}\n")
    n = 20_000
    r = smaa(m, n, seed=11)
    b = r.rank_acceptability
    assert b[0, 0] + b[1, 0] == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(b, b[::-1, ::-1], atol=1e-12)          # x's rank 1 is y's rank 2
    within(b[0], np.array([0.5, 0.5]), n)
    np.testing.assert_allclose(r.central_weights, [[0.75, 0.25], [0.25, 0.75]], atol=0.01)
    np.testing.assert_allclose(r.confidence, [1.0, 1.0])
    assert r.settings["weights_note"] == "the file gives no weights: uniform on the simplex"


def test_rank_acceptability_on_a_hand_matrix():
    # x = (1, 0), y = (0, 1), z = (0.6, 0.6); with w = (t, 1 - t), t uniform:
    # z is best when 0.6 > max(t, 1 - t): t in (0.4, 0.6), share 0.2; x best when t > 0.6: 0.4;
    # x last when t < 1/2: 0.5, so x takes rank 2 in 0.1; z is never last.
    m = model("  - {id: x, impacts: {a: 1, b: 0}}\n  - {id: y, impacts: {a: 0, b: 1}}\n"
              "  - {id: z, impacts: {a: 0.6, b: 0.6}}\n")
    n = 20_000
    r = smaa(m, n, seed=3)
    expected = np.array([[0.4, 0.1, 0.5], [0.4, 0.1, 0.5], [0.2, 0.8, 0.0]])
    within(r.rank_acceptability, expected, n)
    assert r.rank_acceptability[2, 2] == 0.0
    # central weights: x: E[t | t > 0.6] = 0.8; z: E[t | 0.4 < t < 0.6] = 0.5
    np.testing.assert_allclose(r.central_weights[0], [0.8, 0.2], atol=0.01)
    np.testing.assert_allclose(r.central_weights[2], [0.5, 0.5], atol=0.01)
    np.testing.assert_allclose(r.rank_acceptability.sum(axis=0), 1.0)
    np.testing.assert_allclose(r.rank_acceptability.sum(axis=1), 1.0)
    assert r.ranking[-1] == "z"


def test_three_mirror_options_central_weight_is_the_rank_order_centroid():
    # with three unit vectors, an option wins when its weight is the largest; the mean of the
    # largest of three uniform simplex weights is (1/3)(1 + 1/2 + 1/3) = 11/18
    head = "scenario: {id: s, title: S}\ncriteria: [{id: a}, {id: b}, {id: c}]\noptions:\n"
    m = model("  - {id: x, impacts: {a: 1, b: 0, c: 0}}\n  - {id: y, impacts: {a: 0, b: 1, c: 0}}\n"
              "  - {id: z, impacts: {a: 0, b: 0, c: 1}}\n", head)
    n = 30_000
    r = smaa(m, n, seed=2)
    within(r.rank_acceptability, np.full((3, 3), 1 / 3), n)
    np.testing.assert_allclose(np.diag(r.central_weights), 11 / 18, atol=0.01)


def test_identical_options_split_their_ranks():
    m = model("  - {id: x, impacts: {a: 1, b: 0}}\n  - {id: twin, impacts: {a: 1, b: 0}}\n")
    r = smaa(m, 500, seed=1)
    np.testing.assert_array_equal(r.rank_acceptability, [[0.5, 0.5], [0.5, 0.5]])
    assert r.tie_share == 1.0
    assert list(r.ranks[0]) == [1, 1] and list(r.tied[0]) == [2, 2]


def test_acceptability_from_ranks_by_hand():
    # draw 1: x first, y second; draw 2: x and y tied first
    b = acceptability(np.array([[1, 2], [1, 1]]), np.array([[1, 1], [2, 2]]))
    np.testing.assert_allclose(b, [[0.75, 0.25], [0.25, 0.75]])


def test_stated_weight_ranges_are_drawn_and_renormalised():
    text = ("scenario: {id: s, title: S}\n"
            "criteria: [{id: a, range: [0, 1], weight: [0.6, 0.8]}, {id: b, range: [0, 1], weight: 0.2}]\n"
            "options: [{id: x, impacts: {a: 1, b: 0}}, {id: y, impacts: {a: 0, b: 1}}]\n")
    r = smaa(compile_scenario(loads(text)), 2000, seed=4)
    w = r.weights
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    # w_a = u / (u + 0.2) with u uniform on [0.6, 0.8]: between 0.75 and 0.8, so x always wins
    assert w[:, 0].min() >= 0.75 - 1e-12 and w[:, 0].max() <= 0.8 + 1e-12
    assert r.rank_acceptability[0, 0] == 1.0
    assert "renormalised" in r.settings["weights_note"]
    # simplex mode ignores them
    s = smaa(compile_scenario(loads(text)), 2000, seed=4, weights="simplex")
    assert 0.4 < s.rank_acceptability[0, 0] < 0.6


def test_rank_weights_respect_the_rank_order():
    text = ("scenario: {id: s, title: S}\n"
            "criteria: [{id: a, rank: 2}, {id: b, rank: 1}, {id: c, rank: 2}]\n"
            "options: [{id: x, impacts: {a: 1, b: 0, c: 0}}, {id: y, impacts: {a: 0, b: 1, c: 0}}]\n")
    r = smaa(compile_scenario(loads(text)), 3000, seed=9, weights="rank")
    w = r.weights
    assert np.all(w[:, 1] >= w[:, 0]) and np.all(w[:, 1] >= w[:, 2])
    # the tied criteria a and c take the larger of their two shares equally often
    assert 0.45 < (w[:, 0] > w[:, 2]).mean() < 0.55
    assert r.rank_acceptability[1, 0] == 1.0


def test_the_same_seed_gives_the_same_answer_and_a_generator_can_be_passed():
    m = compile_scenario(load(VENEZUELA_FROZEN))
    a = smaa(m, 400, seed=7)
    b = smaa(m, 400, seed=7)
    np.testing.assert_array_equal(a.rank_acceptability, b.rank_acceptability)
    np.testing.assert_array_equal(a.weights, b.weights)
    c = smaa(m, 400, rng=np.random.default_rng(7))
    assert c.settings["seed"] is None
    np.testing.assert_array_equal(a.rank_acceptability, c.rank_acceptability)


def test_point_consequences_and_topsis_aggregation():
    m = compile_scenario(load(VENEZUELA_FROZEN))
    r = smaa(m, 500, seed=1, consequences="point", method="topsis")
    assert r.settings["aggregation"] == "topsis" and r.settings["normalisation"] == "vector"
    assert r.settings["consequences"] == "point"
    np.testing.assert_allclose(r.rank_acceptability.sum(axis=1), 1.0)
    # with fixed consequences, an option's central weights make it win for sure
    first = r.rank_acceptability[:, 0] > 0
    np.testing.assert_allclose(r.confidence[first], 1.0)


def test_errors_name_the_call_and_the_value():
    m = model("  - {id: x, impacts: {a: 1, b: 0}}\n  - {id: y, impacts: {a: 0, b: 1}}\n")
    with pytest.raises(ValueError, match=r"smaa\(\): n must be a positive number of draws; got 0"):
        smaa(m, 0)
    with pytest.raises(ValueError, match=r"smaa\(\): weights must be one of stated, simplex, rank; "
                                         r"got 'ahp'"):
        smaa(m, 10, weights="ahp")
    with pytest.raises(ValueError, match=r"smaa\(\): weights 'rank' needs a rank on every criterion: give each "
                                         r"criterion `rank: N` in the file .*; missing on a, b"):
        smaa(m, 10, weights="rank")


def matrix_scenario(x: np.ndarray) -> str:
    crits = ", ".join(f"{{id: c{j}, range: [0, 10]}}" for j in range(x.shape[1]))
    impacts = [", ".join(f"c{j}: {int(v)}" for j, v in enumerate(row)) for row in x]
    opts = "".join(f"  - {{id: o{i}, impacts: {{{imp}}}}}\n" for i, imp in enumerate(impacts))
    return f"scenario: {{id: p, title: P}}\ncriteria: [{crits}]\noptions:\n{opts}"


@settings(max_examples=25, deadline=None)
@given(hnp.arrays(np.int64, st.tuples(st.integers(2, 4), st.integers(1, 3)), elements=st.integers(0, 10)))
def test_shares_sum_to_one_and_a_dominated_option_is_never_first(x):
    m = compile_scenario(loads(matrix_scenario(x)))
    r = smaa(m, 200, seed=0)
    np.testing.assert_allclose(r.rank_acceptability.sum(axis=0), 1.0)
    np.testing.assert_allclose(r.rank_acceptability.sum(axis=1), 1.0)
    dominated = ~pareto(x.astype(float), np.ones(x.shape[1])).efficient
    assert np.all(r.rank_acceptability[dominated, 0] == 0.0)
