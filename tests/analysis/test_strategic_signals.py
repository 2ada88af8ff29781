"""Credibility of signals: the actor's best response at the announced event, by hand.

The scenario: `us` may act (gain 5) or wait (gain 0); `them` then retaliates (gain -2 to us) or
ignores. Their payoff: -1 for retaliating, plus their criteria weight w times our gain (w < 0:
they dislike our gain). Under act:
    retaliate: -1 + w (5 - 2) = -1 + 3w        ignore: 0 + 5w
    advantage of retaliating = -1 - 2w: positive for w < -0.5.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from model import loads
from model.analysis.strategic import (
    CREDIBLE,
    DEPENDS,
    NOT_ASSESSED,
    NOT_CREDIBLE,
    credibility,
    credibility_of,
    game_notes,
)
from model.compile import compile_scenario



TEXT = """\
    scenario: {id: sig, title: Signals, decision_maker: us}
    actors:
      us: {name: Us}
      them:
        name: Them
        payoffs: {reply.retaliate: -1, reply.ignore: 0}
        criteria_weights: {gain: WEIGHT}
        signals:
          - {id: threat, description: We will retaliate, kind: cheap_talk, toward: [act], response: {reply: retaliate},
             follow_through: unlikely}
          - {id: promise, description: We will let it pass, kind: hands_tying, toward: [act], response: {reply: ignore}}
      bystander:
        name: Bystander
        signals:
          - {id: words, description: We will respond, kind: cheap_talk, toward: [act], response: {noise: loud}}
    criteria: [{id: gain}]
    options: [{id: act, impacts: {gain: 5}}, {id: wait, impacts: {gain: 0}}]
    events:
      - id: reply
        actor: them
        MODE
        depends_on: [option]
        states: {retaliate: {impacts: {gain: -2}}, ignore: {}}
      - id: noise
        actor: bystander
        states: {loud: {}, quiet: {}}
        probability: {loud: 0.5, quiet: 0.5}
"""


def scenario(weight: str = "-1", mode: str = "mode: strategic"):
    return loads(textwrap.dedent(TEXT.replace("WEIGHT", weight).replace("MODE", mode)))


def test_a_credible_threat_and_a_promise_that_is_not():
    cred = credibility_of(scenario())
    (threat,) = cred.signal("threat")
    (promise,) = cred.signal("promise")
    # w = -1: advantage of retaliating -1 - 2(-1) = +1 -> the threat is credible
    assert threat.verdict == CREDIBLE and cred.verdict("threat") == CREDIBLE
    assert threat.best_response == ("retaliate",)
    assert threat.advantage == pytest.approx(1.0)
    assert threat.follow_share == 1.0
    assert threat.kind == "cheap_talk" and threat.follow_through == pytest.approx(0.325)
    # the promise to let it pass announces the state they do not prefer
    assert promise.verdict == NOT_CREDIBLE
    assert promise.advantage == pytest.approx(-1.0)
    assert promise.kind == "hands_tying"


def test_the_nearest_threshold_is_named_even_when_the_numbers_are_fixed():
    # flips at w = -0.5 (distance 0.5), at payoffs.reply.retaliate = -2 (distance 1) and at
    # payoffs.reply.ignore = 1 (distance 1): w is named, outside its (fixed) range
    (threat,) = credibility_of(scenario()).signal("threat")
    assert threat.parameter == "actors.them.criteria_weights.gain"
    assert threat.threshold == pytest.approx(-0.5, abs=1e-8)
    assert threat.within_range is False
    assert threat.parameter_range == (-1.0, -1.0)
    flips = {p: x for p, x, _ in threat.flips}
    assert flips == pytest.approx({"actors.them.criteria_weights.gain": -0.5, "actors.them.payoffs.reply.retaliate": -2.0,
                                   "actors.them.payoffs.reply.ignore": 1.0}, abs=1e-8)


def test_depends_names_the_parameter_and_the_threshold():
    # w in [-0.9, -0.3], point -0.6: advantage -1 + 1.2 = 0.2 > 0 at the point, but w = -0.5
    # lies in the range: the threat's credibility depends on w
    cred = credibility_of(scenario("[-0.9, -0.3]"))
    (threat,) = cred.signal("threat")
    assert threat.verdict == DEPENDS
    assert threat.advantage == pytest.approx(0.2)
    assert threat.parameter == "actors.them.criteria_weights.gain"
    assert threat.threshold == pytest.approx(-0.5, abs=1e-8)
    assert threat.within_range is True
    assert threat.parameter_point == pytest.approx(-0.6)


def test_a_chance_event_is_judged_by_the_actors_payoffs_too():
    # the same reply written as the analyst's table: the table says 30% retaliation, but their
    # payoffs make retaliating their best response
    cred = credibility_of(scenario(mode="probability: {act: {retaliate: 0.3, ignore: 0.7}, wait: {retaliate: 0, ignore: 1}}"))
    (threat,) = cred.signal("threat")
    assert threat.verdict == CREDIBLE
    assert threat.table_probability == pytest.approx(0.3)
    # here they are not the ones choosing, so what follows is the table's average either way
    assert threat.advantage == pytest.approx(1.0)


def test_an_actor_choosing_below_another_actors_type_is_flagged():
    text = textwrap.dedent(TEXT.replace("WEIGHT", "-1").replace("MODE", "mode: strategic")).replace(
        "events:\n", "events:\n  - {id: their_type, kind: type, actor: bystander, states: {a: {}, b: {}}, "
                     "probability: {a: 0.5, b: 0.5}}\n", 1)
    notes = game_notes(compile_scenario(loads(text)))
    assert len(notes) == 1 and "them chooses as if it knew bystander's type" in notes[0]
    assert game_notes(compile_scenario(scenario())) == []


def test_an_actor_without_payoffs_is_not_assessed():
    (words,) = credibility_of(scenario()).signal("words")
    assert words.verdict == NOT_ASSESSED and "states no payoffs" in words.reason


def test_signals_command(juncture, tmp_path):
    f = tmp_path / "sig.yaml"
    f.write_text(textwrap.dedent(TEXT.replace("WEIGHT", "-1").replace("MODE", "mode: strategic")))
    r = juncture("signals", f, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)["signals"]
    assert out["threat"]["verdict"] == "credible" and out["threat"]["kind"] == "cheap_talk"
    assert out["promise"]["options"]["act"]["verdict"] == "not credible"
    assert out["threat"]["options"]["act"]["flip"]["parameter"] == "actors.them.criteria_weights.gain"
    text = juncture("signals", f)
    assert text.returncode == 0 and "cheap talk" in text.stdout and "hands tying" in text.stdout


def test_credibility_in_the_tree_form_is_about_the_events_form_signals():
    # a tree-form game has no events for signals to announce: nothing to judge, no error
    sc = loads(textwrap.dedent("""\
        scenario: {id: t, title: T, decision_maker: a}
        actors: {a: {name: A}, b: {name: B}}
        criteria: [{id: payoff}]
        tree: {decision: d, options: {x: {payoff: 1, actor_payoffs: {b: 0}}, y: {payoff: 0, actor_payoffs: {b: 1}}}}
    """))
    assert credibility(compile_scenario(sc)).verdicts == ()
