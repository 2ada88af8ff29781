"""Sequential games: the actors' choices solved by backward induction and by logit response.

Every expected number is worked out by hand in a comment next to it. Conventions (model/evaluate.py
docstring): an actor's decision takes the child best for that actor; ties go to the decision
maker's best among them; with a logit precision lambda the children are mixed with probabilities
proportional to exp(lambda * value to the actor).
"""

from __future__ import annotations

import itertools
import json
import math
import textwrap
from pathlib import Path

import numpy as np
import pytest

import model.evaluate as evaluate_module
from model import ScenarioError, load, loads
from model.analysis.strategic import equilibrium, strategy, with_mode, with_rationality
from model.compile import DECISION, compile_scenario
from model.evaluate import evaluate, point

from games import strategic_reply

REPO = Path(__file__).resolve().parents[1]
ENTRY = REPO / "scenarios" / "reference" / "entry_deterrence.yaml"
THREE = REPO / "scenarios" / "reference" / "three_player_chance.yaml"


def build(text: str):
    return compile_scenario(loads(textwrap.dedent(text)))


def node(m, *path: str) -> int:
    for n in range(m.tree.n):
        if m.tree.path(n) == list(path):
            return n
    raise KeyError(path)


def with_values(m, **values: float) -> np.ndarray:
    th = m.params.point.copy()
    for k, v in values.items():
        th[m.params.index(k.replace("__", "."))] = v
    return th


# --------------------------------------------------------------------------------------------
# Entry deterrence (Gibbons ch. 2; payoffs in scenarios/reference/entry_deterrence.yaml)


def test_entry_deterrence_subgame_perfect_outcome():
    # after entry the incumbent compares fight -1 < accommodate 2 -> accommodate;
    # the entrant compares stay_out 0 < enter 1 -> enter. SPE payoffs (1, 2).
    m = compile_scenario(load(ENTRY))
    e = point(m)
    assert m.actors == ("entrant", "incumbent")
    assert m.node_owner[node(m, "enter")] == 1 and m.node_owner[0] == 0
    assert e.best_options() == ["enter"]
    assert e.policy() == {"enter": ["accommodate"]}
    assert e.equilibrium_payoffs() == {"entrant": 1.0, "incumbent": 2.0}
    # the incumbent's value of each option: stay_out 4, enter 2
    np.testing.assert_allclose(e.actor_value["incumbent"][0], [4.0, 2.0])
    # fight is never reached
    assert e.reach[0, node(m, "enter", "fight")] == 0.0
    assert e.reach[0, node(m, "enter", "accommodate")] == 1.0


def test_entry_deterrence_a_credible_threat_deters():
    # if accommodating paid the incumbent -2 (< fight -1) it would fight: entry pays -1 < 0,
    # so the entrant stays out; payoffs (0, 4).
    m = compile_scenario(load(ENTRY))
    e = evaluate(m, with_values(m, tree__enter__accommodate__actor_payoffs__incumbent=-2.0), keep_nodes=True)
    assert e.policy() == {"enter": ["fight"]}
    assert e.best_options() == ["stay_out"]
    assert e.equilibrium_payoffs() == {"entrant": 0.0, "incumbent": 4.0}


def test_entry_deterrence_json(juncture):
    r = juncture("evaluate", ENTRY, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["best_option"] == "enter"
    assert out["policy"] == {"enter": "accommodate"}
    assert out["equilibrium_payoffs"] == {"entrant": 1.0, "incumbent": 2.0}


def test_no_equilibrium_payoffs_without_players(juncture):
    r = juncture("evaluate", REPO / "scenarios" / "reference" / "texaco_pennzoil.yaml", "--json")
    assert "equilibrium_payoffs" not in json.loads(r.stdout)


# --------------------------------------------------------------------------------------------
# Three players with a chance move (hand solution in the scenario's header)


def test_three_player_game_with_a_chance_move():
    m = compile_scenario(load(THREE))
    e = point(m)
    assert m.actors == ("ann", "bob", "cat")
    assert e.best_options() == ["right"]
    assert e.policy() == {"left/good": ["b2"], "left/bad": ["c2"], "right": ["x"], "right/y": ["z2"]}
    # left = 0.6 (1, 4, 0) + 0.4 (0, 3, 3) = (0.6, 3.6, 1.2); right = x = (2, 1, 5)
    np.testing.assert_allclose(e.value[0], [0.6, 2.0])
    np.testing.assert_allclose(e.actor_value["bob"][0], [3.6, 1.0])
    np.testing.assert_allclose(e.actor_value["cat"][0], [1.2, 5.0])
    assert e.equilibrium_payoffs() == pytest.approx({"ann": 2.0, "bob": 1.0, "cat": 5.0})
    # the subgame after y is solved although it is off the equilibrium path
    assert e.node_value[0, node(m, "right", "y")] == -1.0
    assert e.actor_node_value["bob"][0, node(m, "right", "y")] == 0.0
    tab = equilibrium(e)
    assert tab.cell("left", "bob") == pytest.approx(3.6) and tab.cell("right", "ann") == pytest.approx(2.0)
    st = strategy(e)
    assert st.cell("right/y", "owner") == "cat" and st.cell("right/y", "choice") == "z2"


def test_three_player_reach_follows_the_actors_choices():
    m = compile_scenario(load(THREE))
    e = point(m)
    reached = {"/".join(m.tree.path(int(n))): float(e.reach[0, n]) for n in m.tree.leaves if e.reach[0, n] > 0}
    assert reached == pytest.approx({"left/good/b2": 0.6, "left/bad/c2": 0.4, "right/x": 1.0})


# --------------------------------------------------------------------------------------------
# Logit quantal response


def test_quantal_response_tree_form_by_hand():
    # lambda = ln(3)/3: the incumbent's values -1 (fight) and 2 (accommodate) differ by 3, so
    # P(accommodate) / P(fight) = exp(3 lambda) = 3: 0.75 and 0.25.
    # entrant: enter = 0.75 * 1 + 0.25 * (-1) = 0.5 > 0; incumbent: 0.75 * 2 + 0.25 * (-1) = 1.25
    m = with_rationality(compile_scenario(load(ENTRY)), math.log(3) / 3)
    e = point(m)
    enter = node(m, "enter")
    kids = [node(m, "enter", "fight"), node(m, "enter", "accommodate")]
    np.testing.assert_allclose(e.choice_probability[0, kids], [0.25, 0.75])
    np.testing.assert_allclose(e.reach[0, kids], [0.25, 0.75])
    assert e.node_value[0, enter] == pytest.approx(0.5)
    assert e.equilibrium_payoffs() == pytest.approx({"entrant": 0.5, "incumbent": 1.25})
    assert e.policy() == {"enter": ["accommodate"]}   # the most likely choice




def qre(lam: float | None):
    return compile_scenario(loads(strategic_reply(lam), "strategic_reply.yaml"))


def test_quantal_response_at_zero_is_uniform():
    # lambda = 0: a, b, c each 1/3. us under act: (3 + 6 + 0)/3 = 3; them: (0 + 1 + 2)/3 = 1
    m = qre(0)
    e = point(m)
    act = m.options.index("act")
    k = [m.states.index(("reply", s)) for s in "abc"]
    np.testing.assert_allclose(e.state_probability[0, act, k], [1 / 3] * 3)
    assert e.value[0, act] == pytest.approx(3.0)
    assert e.actor_value["them"][0, act] == pytest.approx(1.0)


def test_quantal_response_at_one_by_hand():
    # lambda = 1: P proportional to (e^0, e^1, e^2); us: (3 + 6e) / (1 + e + e^2)
    m = qre(1)
    e = point(m)
    z = 1 + math.e + math.e ** 2
    act = m.options.index("act")
    k = [m.states.index(("reply", s)) for s in "abc"]
    np.testing.assert_allclose(e.state_probability[0, act, k], [1 / z, math.e / z, math.e ** 2 / z])
    assert e.value[0, act] == pytest.approx((3 + 6 * math.e) / z)
    assert e.value[0, m.options.index("wait")] == pytest.approx((3 + 6 * math.e) / z - 1)


def test_quantal_response_at_a_large_value_equals_backward_induction():
    # best reply: them picks c (2 > 1 > 0): us gets 0 under act; them 2
    exact = point(qre(None))
    sharp = point(qre(60))
    assert exact.value[0, 0] == 0.0 and exact.policy() == {"act": ["c"], "wait": ["c"]}
    np.testing.assert_allclose(sharp.value, exact.value, atol=1e-20)
    np.testing.assert_allclose(sharp.actor_value["them"], exact.actor_value["them"], atol=1e-20)
    np.testing.assert_allclose(sharp.state_probability, exact.state_probability, atol=1e-20)
    assert sharp.policy() == exact.policy()
    # and the value moves monotonically from the uniform mix to the best reply as lambda grows
    vals = [point(with_rationality(qre(None), lam)).value[0, 0] for lam in (0, 0.5, 1, 2, 5, 20)]
    assert vals[0] == pytest.approx(3.0) and all(a > b for a, b in itertools.pairwise(vals))


def test_with_rationality_checks_its_arguments():
    m = qre(None)
    with pytest.raises(ValueError, match="0 \\(random\\) or more"):
        with_rationality(m, -1)
    with pytest.raises(ValueError, match="owns no decision"):
        with_rationality(m, 1, actor="us")


# --------------------------------------------------------------------------------------------
# Mixed trees: chance before and after an actor's choice, payoffs from criteria weights

MIXED = """\
    scenario: {id: mixed, title: Chance around a choice, decision_maker: us}
    actors:
      us: {name: Us}
      them:
        name: Them
        payoffs: {reply.fight: -3, outcome.lose: 2}
        criteria_weights: {payoff: -0.5}
    criteria: [{id: payoff}]
    options: [{id: act, impacts: {payoff: 1}}, {id: wait, impacts: {payoff: 0}}]
    events:
      - id: weather
        states: {dry: {}, wet: {impacts: {payoff: -2}}}
        probability: {dry: 0.7, wet: 0.3}
      - id: reply
        actor: them
        mode: strategic
        depends_on: [option, weather]
        states: {fight: {}, yield: {}}
      - id: outcome
        depends_on: [reply]
        states: {win: {impacts: {payoff: 10}}, lose: {}}
        probability:
          fight: {win: 0.4, lose: 0.6}
          yield: {win: 0.9, lose: 0.1}
"""


def test_mixed_tree_by_hand():
    # With x0 the payoff so far (act 1, and -2 if wet), them values
    #   fight: -3 + 0.6 * 2 - 0.5 (x0 + 0.4 * 10) = -3.8 - 0.5 x0
    #   yield:  0 + 0.1 * 2 - 0.5 (x0 + 0.9 * 10) = -4.3 - 0.5 x0   -> fight on every path
    # E[x0 | act] = 0.7 * 1 + 0.3 * (-1) = 0.4: us 0.4 + 4 = 4.4 ; them -3.8 - 0.2 = -4.0
    # wait: E[x0] = -0.6: us 3.4 ; them -3.8 + 0.3 = -3.5
    m = build(MIXED)
    e = point(m)
    assert e.policy() == {"act/dry": ["fight"], "act/wet": ["fight"], "wait/dry": ["fight"], "wait/wet": ["fight"]}
    np.testing.assert_allclose(e.value[0], [4.4, 3.4])
    np.testing.assert_allclose(e.actor_value["them"][0], [-4.0, -3.5])
    assert e.equilibrium_payoffs() == pytest.approx({"us": 4.4, "them": -4.0})
    act = m.options.index("act")
    assert e.state_probability[0, act, m.states.index(("reply", "fight"))] == pytest.approx(1.0)
    assert e.state_probability[0, act, m.states.index(("outcome", "win"))] == pytest.approx(0.4)
    assert e.risk.shape == (1, 2, 0)
    # their criteria weight is what makes fighting worth it: at -0.3 instead of -0.5,
    #   fight: -3 + 1.2 - 0.3 (x0 + 4) = -3.0 - 0.3 x0 ; yield: 0.2 - 0.3 (x0 + 9) = -2.5 - 0.3 x0: yield
    #   us: act 0.4 + 9 = 9.4, wait -0.6 + 9 = 8.4
    e2 = evaluate(m, with_values(m, actors__them__criteria_weights__payoff=-0.3), keep_nodes=True)
    assert all(v == ["yield"] for v in e2.policy().values())
    np.testing.assert_allclose(e2.value[0], [9.4, 8.4])


def test_a_strategic_event_switched_to_its_table_and_back():
    # the same event as a chance table (what the analyst expected) and as their choice (a file
    # may not hold both: a table under a strategic event is refused as ignored, issue 11)
    text = MIXED.replace("        mode: strategic\n", "").replace(
        "        states: {fight: {}, yield: {}}\n",
        "        states: {fight: {}, yield: {}}\n"
        "        probability: {\"*\": {\"*\": {fight: 0.5, yield: 0.5}}}\n")
    sc = loads(textwrap.dedent(text))
    chance = point(compile_scenario(sc))
    chosen = point(compile_scenario(with_mode(sc, ["reply"], "strategic")))
    # table: 0.5 * 4 + 0.5 * 9 = 6.5 on top of E[x0] 0.4
    assert chance.value[0, 0] == pytest.approx(6.9)
    assert chosen.value[0, 0] == pytest.approx(4.4)
    # as a chance event, them still has a value: 0.5 (-3.8) + 0.5 (-4.3) - 0.5 * 0.4 = -4.25
    assert chance.actor_value["them"][0, 0] == pytest.approx(-4.25)


# --------------------------------------------------------------------------------------------
# Ties, risk attitude, vectorisation


def test_an_indifferent_actor_takes_the_decision_makers_best():
    # the incumbent gets 2 either way; the entrant gets -1 (fight) or 1 (accommodate)
    m = compile_scenario(load(ENTRY))
    e = evaluate(m, with_values(m, tree__enter__fight__actor_payoffs__incumbent=2.0), keep_nodes=True)
    assert e.policy() == {"enter": ["fight", "accommodate"]}
    j = list(m.tree.decisions).index(node(m, "enter"))
    assert e.tied[0, j] and e.choice[0, j] == 1
    assert e.value[0, m.options.index("enter")] == 1.0


def test_exponential_utility_at_an_actors_logit_choice():
    # R = 2; the incumbent mixes fight 0.25 / accommodate 0.75 (lambda = ln 3 / 3):
    # CE(enter) = -2 ln(0.25 e^{1/2} + 0.75 e^{-1/2}) ; u = 1 - exp(-CE / 2)
    text = ENTRY.read_text().replace("criteria: [{id: payoff, direction: max}]",
                                     "criteria: [{id: payoff, direction: max}]\nutility: {kind: exponential, risk_tolerance: 2}")
    m = with_rationality(compile_scenario(loads(text)), math.log(3) / 3)
    e = point(m)
    ce = -2 * math.log(0.25 * math.exp(0.5) + 0.75 * math.exp(-0.5))
    enter = m.options.index("enter")
    assert e.certainty_equivalent[0, enter] == pytest.approx(ce)
    assert e.utility[0, enter] == pytest.approx(1 - math.exp(-ce / 2))
    # the expected payoff is still the plain mix: 0.25 (-1) + 0.75 (1) = 0.5
    assert e.expected[0, enter, 0] == pytest.approx(0.5)


def test_a_batch_of_games_equals_single_evaluations(monkeypatch):
    rng = np.random.default_rng(5)
    for m in (compile_scenario(load(THREE)), with_rationality(compile_scenario(load(THREE)), 0.7), build(MIXED)):
        theta = m.params.point[None, :] + rng.normal(0, 2, size=(11, m.n_params))
        if m.scenario.meta.id == "mixed":
            theta[:, :] = m.params.point  # keep its probabilities valid
            theta[:, m.params.index("actors.them.criteria_weights.payoff")] = rng.uniform(-1, 0, 11)
        whole = evaluate(m, theta, keep_nodes=True)
        for i in range(len(theta)):
            one = evaluate(m, theta[i], keep_nodes=True)
            np.testing.assert_allclose(whole.value[i], one.value[0], atol=1e-12)
            np.testing.assert_array_equal(whole.choice[i], one.choice[0])
            np.testing.assert_allclose(whole.reach[i], one.reach[0], atol=1e-12)
            for a in m.actors[1:]:
                np.testing.assert_allclose(whole.actor_value[a][i], one.actor_value[a][0], atol=1e-12)
        monkeypatch.setattr(evaluate_module, "MAX_CELLS", 3 * m.tree.n * 6)
        split = evaluate(m, theta, keep_nodes=True)
        monkeypatch.undo()
        for f in ("value", "choice", "reach", "choice_probability"):
            np.testing.assert_allclose(getattr(split, f), getattr(whole, f), atol=1e-12, err_msg=f)
        for a in m.actors[1:]:
            np.testing.assert_allclose(split.actor_value[a], whole.actor_value[a], atol=1e-12)
            np.testing.assert_allclose(split.actor_node_value[a], whole.actor_node_value[a], atol=1e-12)


def test_reach_sums_to_one_under_mixed_choices():
    m = with_rationality(compile_scenario(load(THREE)), 0.8)
    e = point(m)
    leaves = m.tree.leaves
    for o in range(len(m.options)):
        assert e.reach[0, leaves[m.tree.option[leaves] == o]].sum() == pytest.approx(1.0)


# --------------------------------------------------------------------------------------------
# Games the compiler refuses


def test_the_decision_makers_payoffs_come_from_its_criteria():
    text = ENTRY.read_text().replace("stay_out: {payoff: 0, actor_payoffs: {incumbent: 4}}",
                                     "stay_out: {payoff: 0, actor_payoffs: {incumbent: 4, entrant: 0}}")
    with pytest.raises(ScenarioError, match="'entrant' is the decision maker"):
        compile_scenario(loads(text))


def test_the_root_belongs_to_the_decision_maker():
    text = ENTRY.read_text().replace("  decision: entry\n  actor: entrant", "  decision: entry\n  actor: incumbent")
    with pytest.raises(ScenarioError, match="root's options are the decision maker's"):
        compile_scenario(loads(text))


def test_an_actor_node_is_a_decision_node():
    m = build(MIXED)
    owned = np.flatnonzero(m.node_owner > 0)
    assert len(owned) == 4 and (m.tree.kind[owned] == DECISION).all()
    assert {m.tree.actor[n] for n in owned} == {"them"}


def test_the_decision_makers_and_an_actors_decisions_on_one_level():
    # root -> a: our own later choice (p pays 1, q pays 2); b: X chooses r (us 5, X 1) or s (us 0, X 2).
    # a: we take q (2); b: X takes s (2 > 1), we get 0 -> we choose a. X gets 3 under a (at q), 2 under b.
    m = build("""\
        scenario: {id: lv, title: One level, decision_maker: us}
        actors: {us: {name: Us}, x: {name: X}}
        criteria: [{id: payoff}]
        tree:
          decision: first
          options:
            a: {decision: ours, options: {p: {payoff: 1, actor_payoffs: {x: 9}}, q: {payoff: 2, actor_payoffs: {x: 3}}}}
            b: {decision: theirs, actor: x, options: {r: {payoff: 5, actor_payoffs: {x: 1}}, s: {payoff: 0, actor_payoffs: {x: 2}}}}
    """)
    e = point(m)
    assert e.policy() == {"a": ["q"], "b": ["s"]}
    assert e.best_options() == ["a"]
    np.testing.assert_allclose(e.value[0], [2.0, 0.0])
    np.testing.assert_allclose(e.actor_value["x"][0], [3.0, 2.0])
    assert e.equilibrium_payoffs() == {"us": 2.0, "x": 3.0}
