"""Robustness across worlds: the regret_three_worlds reference, hand-checked common value scale,
satisficing, ties, and the settings that come from the file."""

from __future__ import annotations

import doctest
import json

import numpy as np
import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import model.analysis.robustness as robustness_module
from model import load, loads
from model.analysis.robustness import BASE, across_worlds, decision_rules, satisficing
from model.io.scenario import Bound

from paths import VENEZUELA_FROZEN

REFERENCE = REPO / "tests" / "reference"   # the shared answers, copied (see tests/test_reference.py)


def reference(name: str) -> dict:
    path = REFERENCE / f"{name}.json"
    if not path.is_file():
        pytest.skip(f"reference answers not found: {path} is missing")
    return json.loads(path.read_text())


def test_docstring_examples():
    assert doctest.testmod(robustness_module).failed == 0


def check_against_reference(rules, exp: dict, alpha: float) -> None:
    for i, o in enumerate(rules.options):
        np.testing.assert_allclose(rules.regret[i], exp["regret_table"][o], atol=1e-9)
        assert rules.max_regret[i] == pytest.approx(exp["max_regret"][o])
        assert rules.laplace[i] == pytest.approx(exp["laplace"][o])
        assert rules.hurwicz[i] == pytest.approx(exp["hurwicz"][o])
    assert rules.alpha == alpha
    assert rules.choice["minimax_regret"] == [exp["minimax_regret"]]
    assert rules.choice["maximin"] == [exp["maximin"]]
    assert rules.choice["maximax"] == [exp["maximax"]]
    assert rules.choice["hurwicz"] == [exp["hurwicz_best"]]


def test_regret_three_worlds_from_the_scenario():
    ref = reference("regret_three_worlds")
    alpha = ref["problem"]["hurwicz_alpha"]
    r = across_worlds(load(REPO / "scenarios" / "reference" / "regret_three_worlds.yaml"), alpha=alpha)
    table = ref["problem"]["value_table"]
    assert list(r.rules.options) == list(table)
    np.testing.assert_allclose(r.rules.value, [table[o] for o in r.rules.options], atol=1e-12)
    check_against_reference(r.rules, ref["expected"], alpha)
    assert r.rules.choice["laplace"] == ["negotiate"]
    d = r.to_dict()
    assert (d["minimax_regret"], d["maximin"], d["hurwicz"], d["laplace"]) == ("negotiate",) * 4
    assert d["value_unit"] == "payoff" and d["columns"] == ["backs_down", "stalemate", "escalation"]


def test_regret_three_worlds_on_the_published_table():
    ref = reference("regret_three_worlds")
    p = ref["problem"]
    options = list(p["value_table"])
    rules = decision_rules(np.array([p["value_table"][o] for o in options]), options, p["worlds"],
                           p["hurwicz_alpha"])
    check_against_reference(rules, ref["expected"], p["hurwicz_alpha"])


def test_hurwicz_alpha_comes_from_the_file_and_defaults_to_one_half():
    text = (REPO / "scenarios" / "reference" / "regret_three_worlds.yaml").read_text()
    r = across_worlds(loads(text + "comparison: {hurwicz_alpha: 0.3}\n"))
    np.testing.assert_allclose(r.rules.hurwicz, [19, 9, 4])
    half = across_worlds(loads(text))
    # alpha 0.5: negotiate (40 + 10)/2 = 25, sanction 15, blockade 20
    np.testing.assert_allclose(half.rules.hurwicz, [25, 15, 20])
    assert half.rules.alpha == 0.5


def test_ties_are_reported():
    v = np.array([[1.0, 3.0], [3.0, 1.0], [0.0, 0.0]])
    r = decision_rules(v, ["a", "b", "c"], ["w1", "w2"])
    # max regret 2, 2, 3; worst 1, 1, 0; best 3, 3, 0; Laplace 2, 2, 0
    for rule in ("minimax_regret", "maximin", "maximax", "hurwicz", "laplace"):
        assert r.choice[rule] == ["a", "b"], rule


def test_decision_rules_errors_name_the_call():
    with pytest.raises(ValueError, match=r"decision_rules\(\): alpha \(optimism\) must lie in \[0, 1\]; "
                                         r"got 1.5"):
        decision_rules(np.zeros((2, 2)), ["a", "b"], ["x", "y"], 1.5)
    with pytest.raises(ValueError, match=r"decision_rules\(\): value must be options x worlds, 2 x 3"):
        decision_rules(np.zeros((2, 2)), ["a", "b"], ["x", "y", "z"])


TWO_CRITERIA = """\
scenario: {id: w, title: Worlds on one scale}
criteria: [{id: a, weight: 1}, {id: b, weight: 1}]
options:
  - {id: p, impacts: {a: 0, b: 10}}
  - {id: q, impacts: {a: 10, b: 0}}
worlds:
  big:
    overrides: {options.p.impacts.b: 20}
"""


def test_worlds_share_one_value_scale():
    # Base ranges: a [0, 10], b [0, 10]; in world 'big' b spans [0, 20]. The union is b [0, 20]:
    #   big:    p = 0.5*0 + 0.5*20/20 = 0.5;  q = 0.5*10/10 + 0.5*0 = 0.5
    #   (base): p = 0.5*0 + 0.5*10/20 = 0.25; q = 0.5
    sc = loads(TWO_CRITERIA)
    r = across_worlds(sc, include_base=True)
    assert r.rules.worlds == (BASE, "big")
    np.testing.assert_allclose(r.rules.value, [[0.25, 0.5], [0.5, 0.5]])
    np.testing.assert_allclose(r.ranges, [[0, 10], [0, 20]])
    assert r.scale == "union" and "union" in r.notes[0]
    assert r.rules.choice["maximin"] == ["q"] and r.rules.choice["maximax"] == ["p", "q"]
    # On the base file's ranges b [0, 10], p's 20 scores 2 in world big: p = 0.5*0 + 0.5*2 = 1.0
    base = across_worlds(sc, scale="base")
    np.testing.assert_allclose(base.rules.value, [[1.0], [0.5]])


def test_satisficing_share_by_hand():
    # worlds: p has b 10 (base) and 20 (big); bounds b >= 15 and a <= 5: p meets them in 'big' only
    sc = loads(TWO_CRITERIA)
    r = across_worlds(sc, include_base=True, bounds={"b": Bound(min=15), "a": Bound(max=5)})
    assert r.met.tolist() == [[False, True], [False, False]]
    np.testing.assert_allclose(r.share, [0.5, 0.0])
    assert r.satisficing_choice == ["p"]
    d = r.to_dict()["satisficing"]
    assert d["choice"] == "p" and d["bounds"] == {"b": {"min": 15}, "a": {"max": 5}}
    # bounds from the file
    r2 = across_worlds(loads(TWO_CRITERIA + "comparison: {satisficing: {b: {min: 15}}}\n"))
    assert r2.met.tolist() == [[True], [False]]
    # no bounds: no satisficing rule
    assert across_worlds(sc).share is None and "satisficing" not in across_worlds(sc).to_dict()


def test_satisficing_bounds_on_a_hand_array():
    x = np.array([[[1.0], [3.0]], [[2.0], [2.0]]])            # [O=2, W=2, C=1]
    met = satisficing(x, ["c"], {"c": Bound(min=2, max=2.5)})
    assert met.tolist() == [[False, False], [True, True]]
    with pytest.raises(ValueError, match=r"satisficing\(\): no criterion 'd'"):
        satisficing(x, ["c"], {"d": Bound(min=0)})


def test_venezuela_worlds_are_on_the_base_ranges_and_say_which_change_weights():
    r = across_worlds(load(VENEZUELA_FROZEN))
    assert r.rules.worlds == ("russia_committed", "militia_collapses", "congress_acts")
    assert r.rules.value.shape == (4, 3)
    assert np.all(r.rules.regret >= 0) and np.all(r.rules.regret.min(axis=0) == 0)
    assert any("congress_acts" in n for n in r.notes)
    assert r.names["russia_committed"] == "Russia committed"


def test_a_file_without_worlds_is_refused():
    with pytest.raises(ValueError, match=r"across_worlds\(\): scenario 'topsis-phones' has no worlds"):
        across_worlds(load(REPO / "scenarios" / "reference" / "topsis_phones.yaml"))
    with pytest.raises(ValueError, match=r"across_worlds\(\): scale must be one of union, base; got 'wide'"):
        across_worlds(loads(TWO_CRITERIA), scale="wide")


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 4)), elements=st.floats(-100, 100)),
       st.floats(-50, 50), st.floats(0, 1))
def test_regret_is_never_negative_and_ignores_a_shift_of_one_world(v, shift, alpha):
    options = [f"o{i}" for i in range(v.shape[0])]
    worlds = [f"w{j}" for j in range(v.shape[1])]
    r = decision_rules(v, options, worlds, alpha)
    assert np.all(r.regret >= 0) and np.all(r.regret.min(axis=0) == 0)
    np.testing.assert_allclose(r.laplace, v.mean(axis=1))
    assert np.all(r.worst <= r.hurwicz + 1e-9) and np.all(r.hurwicz <= r.best + 1e-9)
    moved = v.copy()
    moved[:, 0] += shift
    np.testing.assert_allclose(decision_rules(moved, options, worlds, alpha).regret, r.regret, atol=1e-9)


LEASE_OR_BUILD = """\
scenario: {id: lease-or-build, title: Lease or build}
criteria: [{id: cost, unit: USD, direction: min}]
options:
  - {id: build, impacts: {cost: 100}}
  - {id: lease, impacts: {cost: 60}}
events:
  - id: rent
    depends_on: [option]
    states: {rises: {impacts: {cost: 50}}, steady: {}}
    probability:
      build: {rises: 0, steady: otherwise}
      lease: {rises: 0.4, steady: otherwise}
worlds:
  calm: {overrides: {events.rent.probability.lease.rises: 0.2}}
  squeeze: {overrides: {events.rent.probability.lease.rises: 1}}
"""


def test_a_minimised_cost_has_signed_values_but_regrets_in_its_plain_unit(tmp_path, juncture):
    # Expected cost (one raw criterion, minimised: the value is minus the cost):
    #   calm:    build 100; lease 60 + 0.2*50 = 70    -> least cost 70
    #   squeeze: build 100; lease 60 + 1.0*50 = 110   -> least cost 100
    # Regret = the option's cost minus the least cost in that world:
    #   build: calm 100 - 70 = 30, squeeze 100 - 100 = 0  -> max 30
    #   lease: calm  70 - 70 = 0,  squeeze 110 - 100 = 10 -> max 10 -> minimax regret: lease
    # Worst value (the highest cost, negated): build -100, lease -110 -> maximin: build
    r = across_worlds(loads(LEASE_OR_BUILD))
    np.testing.assert_allclose(r.rules.value, [[-100, -100], [-70, -110]], atol=1e-12)
    np.testing.assert_allclose(r.rules.regret, [[30, 0], [0, 10]], atol=1e-12)
    np.testing.assert_allclose(r.rules.max_regret, [30, 10], atol=1e-12)
    assert r.rules.choice["minimax_regret"] == ["lease"] and r.rules.choice["maximin"] == ["build"]
    assert r.value_unit == "-USD (minus the cost)" and r.regret_unit == "USD"
    assert r.value_table().units == ("-USD (minus the cost)",) * 2
    regret = r.regret_table()
    assert regret.units == ("USD",) * 3
    assert regret.notes == ("regret: how much more the option costs than the best option in that world",)
    assert json.loads(regret.to_json())["units"] == {"calm": "USD", "squeeze": "USD", "max regret": "USD"}
    rules = r.rules_table()
    assert dict(zip(rules.columns, rules.units)) == {
        "max regret": "USD", "worst": "-USD (minus the cost)", "best": "-USD (minus the cost)",
        "Hurwicz a=0.5": "-USD (minus the cost)", "Laplace": "-USD (minus the cost)"}
    # the command: text units under the headers; the JSON keeps its keys, value_unit is the value's
    f = tmp_path / "lease.yaml"
    f.write_text(LEASE_OR_BUILD)
    done = juncture("compare", f, "--worlds")
    assert done.returncode == 0, done.stderr
    regret_text = done.stdout.split("Regret in each world")[1].split("Decision rules")[0]
    assert "(USD)" in regret_text and "minus the cost" not in regret_text
    assert "how much more the option costs than the best option in that world" in regret_text
    done = juncture("compare", f, "--worlds", "--json")
    d = json.loads(done.stdout)["worlds"]
    assert d["value_unit"] == "-USD (minus the cost)"
    assert d["regret"] == {"build": {"calm": 30.0, "squeeze": 0.0}, "lease": {"calm": 0.0, "squeeze": 10.0}}
    assert d["max_regret"] == {"build": 30.0, "lease": 10.0} and d["minimax_regret"] == "lease"


def test_a_maximised_payoff_and_a_value_score_keep_one_unit_for_values_and_regrets():
    r = across_worlds(load(REPO / "scenarios" / "reference" / "regret_three_worlds.yaml"))
    assert r.value_unit == r.regret_unit == "payoff"
    assert r.regret_table().notes == ("regret: the best value in the world minus the option's value",)
    r = across_worlds(loads(TWO_CRITERIA))
    assert r.value_unit == r.regret_unit == "value 0-1"
