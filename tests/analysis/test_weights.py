"""Weights: rank-order centroid and swing weights by hand, profiles side by side, every set
normalised, and errors that name the call."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import model.analysis.weights as weights_module
from model import loads
from model.analysis.weights import (
    available,
    criterion_weights,
    normalise,
    profile_weights,
    rank_order_centroid,
    swing_weights,
    weights_table,
)
from model.compile import compile_scenario

WEIGHTED = """\
scenario: {id: w, title: Weights}
criteria:
  - {id: casualties, direction: min, range: [0, 100], weight: 3, rank: 1, swing: 100}
  - {id: cost, direction: min, range: [0, 50], weight: 1, rank: 3, swing: 20}
  - {id: gain, direction: max, range: [0, 10], weight: 1, rank: 2, swing: 80}
options:
  - {id: a, impacts: {casualties: 10, cost: 40, gain: 8}}
  - {id: b, impacts: {casualties: 50, cost: 10, gain: 2}}
weight_profiles:
  cautious: {name: Cautious, weights: {casualties: 6, cost: 2, gain: 2}}
  decisive: {name: Decisive, weights: {casualties: 0.1, cost: 0.1, gain: 0.8}}
"""


def model(text: str = WEIGHTED):
    return compile_scenario(loads(text))


def test_docstring_examples():
    assert doctest.testmod(weights_module).failed == 0


def test_rank_order_centroid_by_hand():
    # Barron & Barrett: w_k = (1/n) sum_{j=k..n} 1/j
    # n = 3: (1 + 1/2 + 1/3)/3 = 11/18, (1/2 + 1/3)/3 = 5/18, (1/3)/3 = 2/18
    np.testing.assert_allclose(rank_order_centroid([1, 2, 3]), [11 / 18, 5 / 18, 2 / 18])
    # n = 4: 25/48, 13/48, 7/48, 3/48; the ranks need not be in file order
    np.testing.assert_allclose(rank_order_centroid([4, 1, 3, 2]), [3 / 48, 25 / 48, 7 / 48, 13 / 48])


def test_rank_order_centroid_ties_share_the_average_of_their_positions():
    # two criteria tied first take positions 1 and 2: (11/18 + 5/18) / 2 = 8/18 each
    np.testing.assert_allclose(rank_order_centroid([1, 1, 3]), [8 / 18, 8 / 18, 2 / 18])
    np.testing.assert_allclose(rank_order_centroid([1, 1, 2]), [8 / 18, 8 / 18, 2 / 18])
    np.testing.assert_allclose(rank_order_centroid([2, 2, 2]), [1 / 3] * 3)


@given(st.lists(st.integers(1, 6), min_size=1, max_size=8))
def test_rank_order_centroid_sums_to_one_and_respects_the_order(ranks):
    w = rank_order_centroid(ranks)
    assert w.sum() == pytest.approx(1.0)
    for i, ri in enumerate(ranks):
        for j, rj in enumerate(ranks):
            if ri < rj:
                assert w[i] > w[j]
            elif ri == rj:
                assert w[i] == pytest.approx(w[j])


def test_swing_weights_are_points_over_their_sum():
    np.testing.assert_allclose(swing_weights([100, 20, 80]), [0.5, 0.1, 0.4])
    with pytest.raises(ValueError, match=r"swing_weights\(\).*sum to 0"):
        swing_weights([0, 0])


def test_normalise_refuses_negative_and_zero_weights():
    with pytest.raises(ValueError, match=r"normalise\(\).*non-negative"):
        normalise([0.5, -0.1])
    with pytest.raises(ValueError, match=r"rank_order_centroid\(\).*whole numbers"):
        rank_order_centroid([0, 1])


def test_each_weighting_of_a_file():
    m = model()
    given_ = criterion_weights(m, "given")
    np.testing.assert_allclose(given_.values, [0.6, 0.2, 0.2])          # 3, 1, 1 over 5
    np.testing.assert_allclose(given_.inputs, [3, 1, 1])
    np.testing.assert_allclose(criterion_weights(m, "equal").values, [1 / 3] * 3)
    np.testing.assert_allclose(criterion_weights(m, "rank").values, [11 / 18, 2 / 18, 5 / 18])
    np.testing.assert_allclose(criterion_weights(m, "swing").values, [0.5, 0.1, 0.4])
    note = criterion_weights(m, "swing").note
    assert "range" in note and "casualties [0, 100]" in note


def test_profiles_side_by_side_each_normalised():
    m = model()
    np.testing.assert_allclose(profile_weights(m, "cautious").values, [0.6, 0.2, 0.2])
    labels = [w.label for w in available(m)]
    assert labels == ["given", "equal", "rank", "swing", "profile:cautious", "profile:decisive"]
    t = weights_table(m)
    assert t.columns == tuple(labels)
    for col in t.columns:
        assert sum(t.column(col).values()) == pytest.approx(1.0)
    assert any("casualties [0, 100]" in n for n in t.notes)


def test_the_file_chooses_the_weighting():
    m = model(WEIGHTED + "comparison: {weighting: rank}\n")
    assert criterion_weights(m).method == "rank"
    assert criterion_weights(model()).method == "given"


def test_no_weights_given_means_equal_weights():
    m = model("scenario: {id: w, title: W}\ncriteria: [{id: a}, {id: b}]\n"
              "options: [{id: x, impacts: {a: 1, b: 0}}, {id: y, impacts: {a: 0, b: 1}}]\n")
    w = criterion_weights(m)
    np.testing.assert_allclose(w.values, [0.5, 0.5])
    assert "no weights" in w.note
    assert [s.label for s in available(m)] == ["given"]


def test_errors_name_the_call_and_the_value():
    m = model(WEIGHTED.replace(", rank: 3", ""))
    with pytest.raises(ValueError, match=r"criterion_weights\(\): weighting 'rank' needs .* missing on cost"):
        criterion_weights(m, "rank")
    with pytest.raises(ValueError, match=r"criterion_weights\(\): weighting must be one of .*got 'ahp'"):
        criterion_weights(m, "ahp")
    with pytest.raises(ValueError, match=r"profile_weights\(\): no weight profile 'bold' "
                                         r"\(profiles: cautious, decisive\)"):
        profile_weights(m, "bold")
