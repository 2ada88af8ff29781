"""Multi-criteria aggregation: TOPSIS by hand and against published examples, additive value
against the core, Pareto dominance, ties reported, and every answer-changing choice echoed."""

from __future__ import annotations

import doctest
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import model.analysis.mcda as mcda_module
from model import load, loads
from model.analysis.mcda import compare, ordering, pareto, tie_ranks, topsis
from model.analysis.weights import criterion_weights
from model.compile import compile_scenario
from model.evaluate import point

from paths import VENEZUELA_FROZEN

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "tests" / "reference"   # the shared answers, copied (see tests/test_reference.py)


def reference(name: str) -> dict:
    path = REFERENCE / f"{name}.json"
    if not path.is_file():
        pytest.skip(f"reference answers not found: {path} is missing")
    return json.loads(path.read_text())


def test_docstring_examples():
    assert doctest.testmod(mcda_module).failed == 0


# ---------------------------------------------------------------------------- TOPSIS
def test_topsis_phones_by_hand():
    # Hwang & Yoon's TOPSIS, step by step with the numbers of the matrix (price min, storage and
    # camera max; weights 0.4, 0.3, 0.3).
    price, storage, camera = [250, 200, 300], [16, 16, 32], [12, 8, 16]
    n_price = math.sqrt(250 ** 2 + 200 ** 2 + 300 ** 2)        # 438.75
    n_storage = math.sqrt(16 ** 2 + 16 ** 2 + 32 ** 2)          # 39.19
    n_camera = math.sqrt(12 ** 2 + 8 ** 2 + 16 ** 2)            # 21.54
    v = [[0.4 * p / n_price, 0.3 * s / n_storage, 0.3 * c / n_camera]
         for p, s, c in zip(price, storage, camera)]
    ideal = [0.4 * 200 / n_price, 0.3 * 32 / n_storage, 0.3 * 16 / n_camera]   # cheapest, most, most
    anti = [0.4 * 300 / n_price, 0.3 * 16 / n_storage, 0.3 * 8 / n_camera]
    d_plus = [math.dist(row, ideal) for row in v]
    d_minus = [math.dist(row, anti) for row in v]
    by_hand = [dm / (dp + dm) for dp, dm in zip(d_plus, d_minus)]

    m = compile_scenario(load(REPO / "scenarios" / "reference" / "topsis_phones.yaml"))
    r = compare(m, method="topsis")
    np.testing.assert_allclose(r.scores, by_hand, atol=1e-12)
    np.testing.assert_allclose(r.detail.d_plus, d_plus, atol=1e-12)
    np.testing.assert_allclose(r.detail.ideal, ideal, atol=1e-12)
    assert r.ranking == ["o3", "o2", "o1"]
    assert r.choices["normalisation"] == "vector" and r.choices["cost"] == "ideal"


def test_topsis_phones_published_answer():
    ref = reference("topsis_phones")
    exp = ref["expected"]
    m = compile_scenario(load(REPO / "scenarios" / "reference" / "topsis_phones.yaml"))
    r = compare(m, method="topsis")
    for o, s in zip(r.options, r.scores):
        assert abs(s - exp["closeness"]["values"][o]) <= exp["closeness"]["abs_tol"], o
    assert r.ranking == exp["ranking"]
    # the pure function on the JSON's own matrix agrees
    p = ref["problem"]
    dirs = np.array([1.0 if d == "max" else -1.0 for d in p["directions"]])
    pure = topsis(np.array(p["matrix"]), np.array(p["weights"]), dirs).closeness
    np.testing.assert_allclose(pure, [exp["closeness"]["values"][o] for o in p["options"]], atol=1e-6)


def test_topsis_tzeng_huang_example():
    # Tzeng & Huang (2011), Multiple attribute decision making, TOPSIS example; the same numbers
    # and answers are scikit-criteria's documented test (similarity to 4 decimals).
    x = np.array([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], dtype=float)
    r = topsis(x, np.array([0.3, 0.4, 0.3]), np.ones(3), "vector")
    np.testing.assert_allclose(r.closeness, [0.5037, 0.6581, 0.7482, 0.3340], atol=1e-4)
    assert list(tie_ranks(r.closeness)) == [3, 2, 1, 4]


def test_topsis_minmax_by_hand():
    # pymcdm's documented TOPSIS example matrix (profit, cost), weights 0.5/0.5, min-max normalised:
    # profit (x - 1)/3 -> 1, 0, 2/3, 1; cost (x - 2)/3 -> 2/3, 1, 0, 0 (its ideal is the smallest, 0)
    x = np.array([[4, 4], [1, 5], [3, 2], [4, 2]], dtype=float)
    v = 0.5 * np.array([[1, 2 / 3], [0, 1], [2 / 3, 0], [1, 0]])
    ideal, anti = np.array([0.5, 0.0]), np.array([0.0, 0.5])
    dp = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    dm = np.sqrt(((v - anti) ** 2).sum(axis=1))
    r = topsis(x, np.array([0.5, 0.5]), np.array([1.0, -1.0]), "minmax")
    np.testing.assert_allclose(r.closeness, dm / (dp + dm), atol=1e-12)
    np.testing.assert_allclose(r.closeness, [0.612574, 0.0, 0.782871, 1.0], atol=1e-6)


def test_topsis_sum_normalisation_and_reciprocal_cost():
    x = np.array([[2.0, 1.0], [4.0, 3.0]])
    r = topsis(x, np.array([0.5, 0.5]), np.array([1.0, -1.0]), "sum")
    np.testing.assert_allclose(r.normalised, [[1 / 3, 1 / 4], [2 / 3, 3 / 4]])
    rec = topsis(x, np.array([0.5, 0.5]), np.array([1.0, -1.0]), "sum", cost="reciprocal")
    # 1/x of the cost column: 1, 1/3 -> normalised 3/4, 1/4, then maximised
    np.testing.assert_allclose(rec.normalised[:, 1], [3 / 4, 1 / 4])
    assert rec.cost == "reciprocal"


def test_topsis_refuses_what_it_cannot_normalise():
    half = np.array([0.5, 0.5])
    with pytest.raises(ValueError, match=r"normalise_matrix\(\): normalisation 'sum' needs consequences "
                                         r">= 0; criterion 'b' has -1"):
        topsis(np.array([[1.0, -1.0], [2.0, 3.0]]), half, np.ones(2), "sum", criteria=["a", "b"])
    with pytest.raises(ValueError, match=r"topsis\(\): cost 'reciprocal' needs minimised consequences > 0"):
        topsis(np.array([[1.0, 0.0], [2.0, 3.0]]), half, np.array([1.0, -1.0]), cost="reciprocal")
    with pytest.raises(ValueError, match=r"normalise_matrix\(\): normalisation must be one of .*got 'l1'"):
        topsis(np.ones((2, 2)), np.array([0.5, 0.5]), np.ones(2), "l1")


matrices = hnp.arrays(np.float64, st.tuples(st.integers(2, 5), st.integers(1, 4)),
                      elements=st.floats(0.5, 100, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(x=matrices, data=st.data())
def test_a_minimised_criterion_mirrors_a_maximised_one(x, data):
    # negating a column and flipping its direction changes nothing (vector and min-max normalisation)
    c = x.shape[1]
    w = np.full(c, 1.0 / c)
    j = data.draw(st.integers(0, c - 1))
    dirs = np.ones(c)
    y, flipped = x.copy(), dirs.copy()
    y[:, j] = -y[:, j]
    flipped[j] = -1
    for norm in ("vector", "minmax"):
        np.testing.assert_allclose(topsis(x, w, dirs, norm).closeness, topsis(y, w, flipped, norm).closeness,
                                   atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(x=matrices, k=st.floats(0.01, 100))
def test_scaling_a_column_or_the_weights_changes_no_closeness(x, k):
    c = x.shape[1]
    w = np.arange(1, c + 1, dtype=float)
    base = topsis(x, w / w.sum(), np.ones(c)).closeness
    scaled = x.copy()
    scaled[:, 0] *= k
    np.testing.assert_allclose(topsis(scaled, w / w.sum(), np.ones(c)).closeness, base, atol=1e-9)
    np.testing.assert_allclose(topsis(x, k * w / w.sum(), np.ones(c)).closeness, base, atol=1e-9)


def test_topsis_vectorises_over_samples():
    rng = np.random.default_rng(1)
    x = rng.uniform(1, 10, (5, 3, 4))
    w = rng.dirichlet(np.ones(4), 5)
    dirs = np.array([1.0, -1.0, 1.0, -1.0])
    batch = topsis(x, w, dirs).closeness
    for s in range(5):
        np.testing.assert_allclose(batch[s], topsis(x[s], w[s], dirs).closeness, atol=1e-12)


# ---------------------------------------------------------------------------- additive value, ties, Pareto
MATRIX = """\
scenario: {id: m, title: Plain decision matrix}
criteria:
  - {id: cost, direction: min, range: [0, 10], weight: 0.5}
  - {id: gain, direction: max, range: [0, 10], weight: 0.5}
options:
  - {id: a, impacts: {cost: 2, gain: 6}}
  - {id: b, impacts: {cost: 6, gain: 8}}
  - {id: c, impacts: {cost: 4, gain: 4}}
"""


def test_mavt_by_hand_on_a_plain_decision_matrix():
    # scores: cost (10 - x)/10, gain x/10; value = 0.5 * both
    # a: 0.5*0.8 + 0.5*0.6 = 0.70; b: 0.5*0.4 + 0.5*0.8 = 0.60; c: 0.5*0.6 + 0.5*0.4 = 0.50
    r = compare(compile_scenario(loads(MATRIX)))
    assert r.method == "mavt"
    np.testing.assert_allclose(r.scores, [0.70, 0.60, 0.50])
    np.testing.assert_allclose(r.detail, [[0.8, 0.6], [0.4, 0.8], [0.6, 0.4]])
    assert r.ranking == ["a", "b", "c"] and list(r.ranks) == [1, 2, 3]
    assert r.choices["value_range"] == "criteria"
    assert r.choices["ranges"] == {"cost": [0.0, 10.0], "gain": [0.0, 10.0]}
    # c is dominated by a (cheaper and more gain); a and b are efficient
    assert list(r.pareto.efficient) == [True, True, False]
    assert r.to_dict()["pareto"]["dominated_by"] == {"c": ["a"]}


def test_mavt_local_value_range_is_a_stated_choice():
    # on the options' own span: cost [2, 6], gain [4, 8]
    # a: 0.5*1 + 0.5*0.5 = 0.75; b: 0 + 0.5*1 = 0.5; c: 0.5*0.5 + 0 = 0.25
    r = compare(compile_scenario(loads(MATRIX)), value_range="options")
    np.testing.assert_allclose(r.scores, [0.75, 0.5, 0.25])
    assert r.choices["value_range"] == "options"
    assert r.choices["ranges"] == {"cost": [2.0, 6.0], "gain": [4.0, 8.0]}


def test_mavt_equals_what_evaluate_ranks_by_with_linear_value_functions():
    m = compile_scenario(load(VENEZUELA_FROZEN))
    np.testing.assert_allclose(compare(m).scores, point(m).value[0], atol=1e-12)


def test_ties_are_reported_never_broken():
    text = MATRIX.replace("{id: b, impacts: {cost: 6, gain: 8}}", "{id: b, impacts: {cost: 2, gain: 6}}")
    r = compare(compile_scenario(loads(text)))
    assert list(r.ranks) == [1, 1, 3]
    assert r.best == ["a", "b"] and r.ties == [["a", "b"]]
    d = r.to_dict()
    assert d["best"] == ["a", "b"] and d["ranks"] == {"a": 1, "b": 1, "c": 3}
    assert any("tie: a, b" in n for n in r.table().notes)
    # identical options are both efficient
    assert list(r.pareto.efficient) == [True, True, False]
    t = compare(compile_scenario(loads(text)), method="topsis")
    assert t.best == ["a", "b"]


def test_ordering_and_tie_ranks():
    assert ordering([0.2, 0.5, 0.5], ["x", "y", "z"]) == (["y", "z", "x"], [3, 1, 1], [["y", "z"]])
    assert tie_ranks(np.array([1.0, 1.0 + 1e-12, 0.0])).tolist() == [1, 1, 3]


def test_adding_a_dominated_option_changes_no_other_score():
    m = compile_scenario(loads(MATRIX))
    more = compile_scenario(loads(MATRIX + "  - {id: d, impacts: {cost: 9, gain: 1}}\n"))
    a, b = compare(m), compare(more)
    np.testing.assert_allclose(b.scores[:3], a.scores)
    assert b.pareto.dominated_by[3] == (0, 1, 2)


def test_pareto_on_a_hand_matrix():
    # x = (1, 1), y = (0, 1) dominated by x, z = (2, 0); the cost version mirrors it
    p = pareto(np.array([[1.0, 1.0], [0.0, 1.0], [2.0, 0.0]]), np.array([1.0, 1.0]))
    assert list(p.efficient) == [True, False, True] and p.dominated_by == ((), (0,), ())
    q = pareto(np.array([[-1.0, 1.0], [0.0, 1.0], [-2.0, 0.0]]), np.array([-1.0, 1.0]))
    assert list(q.efficient) == [True, False, True]


def test_weightings_change_answers_and_are_echoed():
    text = MATRIX.replace("weight: 0.5}", "weight: 0.5, rank: 1}", 1)
    text = text.replace("weight: 0.5}", "weight: 0.5, rank: 2}")
    m = compile_scenario(loads(text))
    r = compare(m, weights="rank")
    # ROC for 2: 3/4, 1/4 -> a 0.75*0.8 + 0.25*0.6 = 0.75; b 0.75*0.4 + 0.25*0.8 = 0.5; c 0.55
    np.testing.assert_allclose(r.scores, [0.75, 0.5, 0.55])
    assert r.to_dict()["weighting"] == "rank" and r.to_dict()["weights"] == {"cost": 0.75, "gain": 0.25}
    r2 = compare(m, weights=criterion_weights(m, "equal"))
    assert r2.weights.label == "equal"


def test_compare_errors_name_the_call():
    m = compile_scenario(loads(MATRIX))
    with pytest.raises(ValueError, match=r"compare\(\): method must be one of mavt, topsis; got 'electre'"):
        compare(m, method="electre")
    with pytest.raises(ValueError, match=r"compare\(\): cost must be one of ideal, reciprocal; got 'flip'"):
        compare(m, method="topsis", cost="flip")
    with pytest.raises(ValueError, match=r"compare\(\): value_range must be one of criteria, options"):
        compare(m, value_range="data")


def test_topsis_settings_come_from_the_file():
    m = compile_scenario(loads(MATRIX + "comparison: {method: topsis, normalisation: minmax}\n"))
    r = compare(m)
    assert r.method == "topsis" and r.choices["normalisation"] == "minmax"
    assert r.to_dict()["choices"] == {"normalisation": "minmax", "cost": "ideal",
                                      "directions": {"cost": "min", "gain": "max"}}


def test_ranks_under_each_weighting_side_by_side():
    from model.analysis.mcda import profiles_table

    m = compile_scenario(loads(MATRIX))
    t = profiles_table({"given": compare(m), "cost only": compare(m, weights=_only_cost(m))})
    # given: a 0.70, b 0.60, c 0.50; cost only: a 0.8, b 0.4, c 0.6
    assert t.column("given") == {"a": "1 (0.700)", "b": "2 (0.600)", "c": "3 (0.500)"}
    assert t.column("cost only") == {"a": "1 (0.800)", "b": "3 (0.400)", "c": "2 (0.600)"}
    assert "rank depends on the weighting for: b, c" in t.notes


def _only_cost(m):
    from model.analysis.weights import Weights

    return Weights(m.criteria, np.array([1.0, 0.0]), "given", "cost only")


def test_results_show_as_html_in_notebooks():
    from model.analysis.robustness import across_worlds
    from model.analysis.smaa import smaa

    m = compile_scenario(load(REPO / "scenarios" / "reference" / "regret_three_worlds.yaml"))
    for result in (compare(m), smaa(m, 50, seed=1), across_worlds(m)):
        html = result._repr_html_()
        assert html.startswith("<div>") and "<table>" in html
