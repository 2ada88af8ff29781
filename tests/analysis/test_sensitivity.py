"""Tornado, spider, two-way and thresholds on models small enough to solve by hand."""

from __future__ import annotations

import json
import textwrap
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from model import load, loads
from model.analysis import sensitivity as sens
from model.cli import main
from model.compile import compile_scenario
from model.evaluate import evaluate

from paths import VENEZUELA_FROZEN

REPO = Path(__file__).resolve().parents[2]

# act pays x ~ [0, 10] (point 5), wait pays y ~ [3, 5] (point 4): act is best iff x > y
TWO = textwrap.dedent("""\
    scenario: {id: two, title: Act or wait}
    criteria: [{id: gain, unit: USD m, direction: max}]
    options:
      - {id: act, impacts: {gain: [0, 10]}}
      - {id: wait, impacts: {gain: [3, 5]}}
""")

# act succeeds with probability p (point 0.4): +10 on success, -5 on failure; wait pays 0.
# EV(act) = 10 p - 5 (1 - p) = 15 p - 5, so act is best iff p > 1/3.
GAMBLE = textwrap.dedent("""\
    scenario: {id: gamble, title: A gamble}
    criteria: [{id: gain, unit: USD m, direction: max}]
    options: [{id: act}, {id: wait}]
    events:
      - id: outcome
        depends_on: [option]
        states: {success: {impacts: {gain: 10}}, failure: {impacts: {gain: -5}}, nothing: {}}
        probability:
          act: {success: [0.2, 0.6], failure: REST, nothing: 0}
          wait: {success: 0, failure: 0, nothing: 1}
""")

# three options on two criteria scored 0-1; w = w1 / (w1 + 1) is c1's normalised weight.
# value(A) = w, value(B) = 0.5 w + 0.6 (1 - w), value(C) = 1 - w: C is best for w < 4/9,
# B for 4/9 < w < 6/11, A above; in the raw weight w1 = w / (1 - w): 0.8 and 1.2.
THREE = textwrap.dedent("""\
    scenario: {id: three, title: Three options and one weight}
    criteria:
      - {id: c1, direction: max, range: [0, 1], weight: [0.5, 2]}
      - {id: c2, direction: max, range: [0, 1], weight: 1}
    options:
      - {id: a, impacts: {c1: 1, c2: 0}}
      - {id: b, impacts: {c1: 0.5, c2: 0.6}}
      - {id: c, impacts: {c1: 0, c2: 1}}
""")


@lru_cache(maxsize=None)
def model(text: str, rest: str = "otherwise"):
    return compile_scenario(loads(text.replace("REST", rest), "s.yaml"))


def test_tornado_by_hand():
    t = sens.tornado(model(TWO))
    assert t.names == ("options.act.impacts.gain", "options.wait.impacts.gain")
    # act's gain 0 -> wait (4) is best; 10 -> act (10): swing 6. wait's gain 3 -> act 5; 5 -> 5.
    assert list(t.at_low) == [4.0, 5.0] and list(t.at_high) == [10.0, 5.0]
    assert list(t.swing) == [6.0, 0.0]
    assert t.best_low == ("wait", "act") and t.best_high[0] == "act"
    assert t.base == 5.0 and t.best_base == "act"
    assert t.phrases[0] == "gain of act" and t.units[0] == "USD m"
    v = sens.tornado(model(TWO), versus=("act", "wait"))
    assert list(v.at_low) == [-4.0, 2.0] and list(v.at_high) == [6.0, 0.0]
    assert v.target == "expected utility of act minus wait"
    one = sens.tornado(model(TWO), of="wait")
    assert one.names[0] == "options.wait.impacts.gain" and one.swing[0] == 2.0


def test_spider_is_linear_where_the_model_is():
    sp = sens.spider(model(TWO), params=["options.act.impacts.gain"], points=5, of="act")
    assert np.allclose(sp.values[0], [0, 2.5, 5, 7.5, 10])
    assert np.allclose(sp.at[0], [0, 2.5, 5, 7.5, 10])
    assert sp.utility.shape == (1, 5, 2) and np.allclose(sp.utility[0, :, 1], 4.0)
    assert sp.table().columns == ("0%", "25%", "50%", "75%", "100%")


def test_two_way_map_is_the_region_where_act_beats_wait():
    tw = sens.two_way(model(TWO), "options.act.impacts.gain", "options.wait.impacts.gain", points=(11, 5))
    x, y = np.meshgrid(tw.x_values, tw.y_values, indexing="ij")
    act = tw.options.index("act")
    strict = x != y
    assert ((tw.best == act) == (x > y))[strict].all()
    assert tw.tied[~strict].all() and not tw.tied[strict].any()
    assert tw.shares()["act"] + tw.shares()["wait"] == pytest.approx(1.0)
    assert tw.table().rows[0] == "5"          # the map's top row is the highest y


def test_threshold_of_an_impact():
    th = sens.thresholds(model(TWO), params=["options.act.impacts.gain"])
    assert th.value.tolist() == pytest.approx([4.0], abs=1e-9)
    assert (th.below, th.above) == (("wait",), ("act",))
    assert th.statements == ("wait becomes best when options.act.impacts.gain < 4",)
    assert th.sayings == ("wait becomes best when gain of act < 4",)
    assert th.in_range[0] and th.units == ("USD m",)


def test_threshold_of_a_probability_with_otherwise_is_one_third():
    th = sens.thresholds(model(GAMBLE), params=["events.outcome.probability.act.success"])
    assert len(th.names) == 1
    assert th.value[0] == pytest.approx(1 / 3, abs=1e-10)
    assert th.effective[0] == pytest.approx(1 / 3, abs=1e-10)     # `otherwise` absorbs the change
    assert th.sayings[0] == "wait becomes best when P(outcome = success | act) < 0.3333"
    assert th.statements[0] == "wait becomes best when events.outcome.probability.act.success < 0.3333"


def test_threshold_of_a_probability_in_a_row_without_otherwise():
    # the row {success: x, failure: 0.6} has no `otherwise`: moving x alone scales failure to 1 - x,
    # so x is the probability used, and the switch is where P(success) = 1/3 (see GAMBLE)
    th = sens.thresholds(model(GAMBLE, rest="0.6"), params=["events.outcome.probability.act.success"])
    assert th.value[0] == pytest.approx(1 / 3, abs=1e-10)
    assert th.effective[0] == pytest.approx(1 / 3, abs=1e-10)


def test_texaco_threshold_on_the_court_odds():
    # the court's 'low' (award 0) moved with high and mid scaled by (1 - x) / 0.7: the court is worth
    # C = 4.56 (1 - x) / 0.7; below 3 Pennzoil takes 3, so counteroffering is worth 0.85 + 0.5 C + 0.99,
    # which falls under the sure 2 when C < 0.32, i.e. x > 1 - 0.32 * 0.7 / 4.56 = 0.950877...
    m = compile_scenario(load(REPO / "scenarios" / "reference" / "texaco_pennzoil.yaml"))
    th = sens.thresholds(m)
    k = th.names.index("tree.counteroffer_5bn.refuses.low.p")
    assert th.value[k] == pytest.approx(1 - 0.32 * 0.7 / 4.56, abs=1e-9)
    assert (th.below[k], th.above[k]) == ("counteroffer_5bn", "accept_2bn")


def test_thresholds_find_an_option_hidden_between_two_grid_points():
    # a two-point grid sees only C (w1 = 0) and A (w1 = 3); A and C cross at w1 = 1, where B
    # beats both, so the bracket is split and B's region found
    for points in (2, 65):
        th = sens.thresholds(model(THREE), params=["criteria.c1.weight"], points=points,
                             bounds={"criteria.c1.weight": (0.0, 3.0)})
        order = np.argsort(th.value)
        assert th.value[order].tolist() == pytest.approx([0.8, 1.2], abs=1e-9)
        assert [th.below[k] for k in order] == ["c", "b"] and [th.above[k] for k in order] == ["b", "a"]
        assert th.effective[order].tolist() == pytest.approx([4 / 9, 6 / 11], abs=1e-9)
    assert "weight, normalised" in th.statement(int(np.argmin(th.value)))


@lru_cache(maxsize=None)
def venezuela():
    return compile_scenario(load(VENEZUELA_FROZEN))


def test_every_threshold_of_venezuela_flips_the_preferred_option():
    m = venezuela()
    th = sens.thresholds(m)
    assert len(th.names) > 0
    for k, name in enumerate(th.names):
        i = m.params.index(name)
        lo, hi = th.searched[name]
        eps = 1e-6 * (hi - lo)
        rows = np.tile(m.params.point, (2, 1))
        rows[0, i], rows[1, i] = th.value[k] - eps, th.value[k] + eps
        best = [m.options[j] for j in np.argmax(evaluate(m, rows).utility, axis=1)]
        assert best == [th.below[k], th.above[k]], name
    assert (np.diff(th.distance) >= 0).all()


def test_venezuela_tornado_covers_every_uncertain_number_in_the_tree():
    m = venezuela()
    t = sens.tornado(m)
    used = set(sens.used_parameters(m).tolist())
    expected = {m.params.names[i] for i in m.params.uncertain if i in used}
    assert set(t.names) == expected
    assert not any(n.endswith(("follow_through", "severity")) for n in t.names)
    assert (np.diff(t.swing) <= 1e-15).all()


@pytest.mark.parametrize("name, phrase", [
    ("events.russia_response.probability.special_operation.direct_support",
     "P(russia_response = direct_support | special_operation)"),
    ("events.post_removal_order.probability.strikes.removed.chaos",
     "P(post_removal_order = chaos | strikes, maduro_outcome = removed)"),
    ("events.militia_mobilisation.probability.*.mobilised", "P(militia_mobilisation = mobilised)"),
    ("events.russia_response.states.direct_support.impacts.cost", "cost if russia_response = direct_support"),
    ("options.strikes.impacts.cost", "cost of strikes"),
    ("criteria.cost.weight", "weight of cost"),
    ("actors.russia.signals.respond_appropriately.follow_through",
     "actors.russia.signals.respond_appropriately.follow_through"),
])
def test_phrases_of_event_form_names(name, phrase):
    assert sens.describe(venezuela(), name) == phrase


def test_phrases_of_tree_form_names():
    m = compile_scenario(load(REPO / "scenarios" / "reference" / "texaco_pennzoil.yaml"))
    assert sens.describe(m, "tree.counteroffer_5bn.refuses.high.p") == "P(court = high | counteroffer_5bn, refuses)"
    assert sens.describe(m, "tree.counteroffer_5bn.accepts.p") == "P(texaco_reaction = accepts | counteroffer_5bn)"
    assert sens.describe(m, "tree.accept_2bn.payoff") == "payoff at accept_2bn"


@pytest.mark.parametrize("call, message", [
    (lambda m: sens.tornado(m, params=["options.act.impacts.gian"]),
     "tornado(): no parameter named 'options.act.impacts.gian'; did you mean 'options.act.impacts.gain'?"),
    (lambda m: sens.tornado(m, of="jump"), "tornado(): no option 'jump' (options: act, wait)"),
    (lambda m: sens.tornado(m, versus=["act", "act"]), "tornado(): versus must name two different options"),
    (lambda m: sens.spider(m, points=1), "spider(): points must be at least 2; got 1"),
    (lambda m: sens.two_way(m, "options.act.impacts.gain", "options.act.impacts.gain"),
     "two_way(): x and y must be different parameters"),
    (lambda m: sens.thresholds(m, bounds={"nope": (0, 1)}), "thresholds(): bounds names no parameter 'nope'"),
])
def test_bad_arguments_name_the_call_and_the_value(call, message):
    with pytest.raises(ValueError) as e:
        call(model(TWO))
    assert str(e.value).startswith(message)


def test_results_export():
    t = sens.tornado(model(TWO))
    assert t.table().to_frame().shape == (2, 8)
    assert json.loads(json.dumps(t.to_dict()))["parameters"][0]["swing"] == 6.0
    th = sens.thresholds(model(GAMBLE), params=["events.outcome.probability.act.success"])
    d = th.to_dict()
    assert d["thresholds"][0]["says"] == th.sayings[0] and d["thresholds"][0]["effective"] == pytest.approx(1 / 3)
    assert "<table>" in th._repr_html_()


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_sensitivity_command(capsys, tmp_path):
    f = tmp_path / "gamble.yaml"
    f.write_text(GAMBLE.replace("REST", "otherwise"))
    code, out, err = run(capsys, "sensitivity", f, "--kind", "thresholds", "--json")
    assert code == 0, err
    d = json.loads(out)
    found = {t["parameter"]: t for t in d["thresholds"]}
    assert d["kind"] == "thresholds"
    assert found["events.outcome.probability.act.success"]["value"] == pytest.approx(1 / 3)
    # wait's row {success: x, failure: 0, nothing: 1} has no `otherwise`: the others scale by 1 - x,
    # so wait is worth 10 x, and act (0.4 x 10 - 0.6 x 5 = 1) is overtaken at x = 0.1
    assert found["events.outcome.probability.wait.success"]["value"] == pytest.approx(0.1)
    code, out, _ = run(capsys, "sensitivity", f)
    assert code == 0 and "Tornado" in out and "P(outcome = success | act)" in out
    code, out, _ = run(capsys, "sensitivity", f, "--kind", "thresholds")
    assert "wait becomes best when P(outcome = success | act) < 0.3333" in out
    g = tmp_path / "two.yaml"
    g.write_text(TWO)
    code, out, _ = run(capsys, "sensitivity", g, "--kind", "two-way", "--points", "5")
    assert code == 0 and "A = act" in out and "B = wait" in out
    code, out, _ = run(capsys, "sensitivity", g, "--kind", "spider", "--json")
    assert code == 0 and set(json.loads(out)["parameters"]) == {"options.act.impacts.gain", "options.wait.impacts.gain"}
    code, _, err = run(capsys, "sensitivity", g, "--params", "options.act.impacts.gian")
    assert code == 2 and "did you mean 'options.act.impacts.gain'" in err


def test_fixed_numbers_move_over_their_search_interval(capsys):
    path = REPO / "scenarios" / "reference" / "texaco_pennzoil.yaml"
    m = compile_scenario(load(path))
    tw = sens.two_way(m, "tree.accept_2bn.payoff", "tree.counteroffer_5bn.accepts.p", points=5)
    assert tw.x_values.tolist() == [0, 1, 2, 3, 4] and tw.y_values.tolist() == [0, 0.25, 0.5, 0.75, 1]
    assert any("is fixed in the file" in n for n in tw.notes)
    assert len(sens.tornado(m).names) == 0 and len(sens.spider(m).names) == 0
    code, out, _ = run(capsys, "sensitivity", path)
    assert code == 0 and "No uncertain number enters the evaluation" in out


def test_describe_names_actor_payoffs_and_profile_weights():
    m = venezuela()
    assert (sens.describe(m, "actors.militia.payoffs.militia_mobilisation.mobilised")
            == "militia's payoff if militia_mobilisation = mobilised")
    assert sens.describe(m, "weight_profiles.cautious.weights.cost") == "weight of cost (cautious profile)"
