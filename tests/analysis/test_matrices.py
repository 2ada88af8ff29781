"""matrices.responses: actors' responses to each option, and an actor's hidden type left out."""

from __future__ import annotations

import textwrap

import pytest

from model import load, loads
from model.analysis import matrices
from model.compile import compile_scenario
from model.evaluate import point

from paths import VENEZUELA_FROZEN

TYPED = textwrap.dedent("""\
    scenario: {id: typed, title: A response that depends on a hidden type, decision_maker: us}
    actors: {us: {name: Us}, them: {name: Them}}
    criteria: [{id: cost, direction: min}]
    options: [{id: act, impacts: {cost: 1}}, {id: wait, impacts: {cost: 0}}]
    events:
      - id: them_type
        kind: type
        actor: them
        states: {hawk: {}, dove: {}}
        probability: {hawk: 0.3, dove: otherwise}
      - id: reply
        kind: response
        actor: them
        depends_on: [option, them_type]
        states: {retaliate: {impacts: {cost: 10}}, ignore: {}}
        probability:
          act:  {hawk: {retaliate: 0.9, ignore: otherwise}, dove: {retaliate: 0.2, ignore: otherwise}}
          wait: {hawk: {retaliate: 0.1, ignore: otherwise}, dove: {retaliate: 0, ignore: otherwise}}
      - id: weather
        states: {rain: {}, sun: {}}
        probability: {rain: 0.5, sun: otherwise}
""")


def test_a_hidden_type_is_not_a_response():
    ev = point(compile_scenario(loads(TYPED, "typed.yaml")))
    tab = matrices.responses(ev)
    assert tab.columns == ("them: reply=retaliate", "them: reply=ignore")
    # act: 0.3 x 0.9 + 0.7 x 0.2 = 0.41; wait: 0.3 x 0.1 + 0.7 x 0 = 0.03
    assert tab.cell("act", "them: reply=retaliate") == pytest.approx(0.41)
    assert tab.cell("wait", "them: reply=retaliate") == pytest.approx(0.03)
    assert tab.cell("wait", "them: reply=ignore") == pytest.approx(0.97)
    # the type's probabilities are still in the table of every event's states, the same per option
    out = matrices.outcomes(ev)
    assert out.cell("act", "them_type=hawk") == out.cell("wait", "them_type=hawk") == pytest.approx(0.3)


def test_only_a_type_and_outcomes_means_no_responses():
    text = TYPED.split("  - id: reply")[0] + "  - id: weather" + TYPED.split("  - id: weather")[1]
    ev = point(compile_scenario(loads(text, "typed.yaml")))
    tab = matrices.responses(ev)
    assert tab.columns == () and tab.notes == ("the scenario has no actor response events",)


def test_venezuela_responses_leave_out_russias_type():
    ev = point(compile_scenario(load(VENEZUELA_FROZEN)))
    tab = matrices.responses(ev)
    events = list(dict.fromkeys(c.rpartition("=")[0] for c in tab.columns))
    assert events == ["venezuela: venezuelan_military_response", "militia: militia_mobilisation",
                      "russia: russia_response", "congress: congress_response"]
    assert not any("russia_type" in c for c in tab.columns)
    # strikes: 0.325 committed x 0.275 + 0.675 opportunistic x 0.03 = 0.109625
    assert tab.cell("strikes", "russia: russia_response=direct_support") == pytest.approx(0.109625)


def test_a_risk_left_out_of_an_option_shows_what_the_tree_gives_it():
    """issue 11: war follows 'sustained' with 0.3 under act and 0.1 under wait; the risk names act
    only. The matrix shows 0.1 under wait all the same, marked as outside its options, and
    evaluate's risk probability (what is counted) stays 0 there."""
    text = """\
scenario: {id: r, title: Risk filter}
criteria: [{id: cost, direction: min}]
options: [{id: act, impacts: {cost: 1}}, {id: wait}]
events:
  - id: response
    depends_on: [option]
    states: {calm: {}, sustained: {impacts: {cost: 5}}}
    probability: {act: {calm: 0.7, sustained: 0.3}, wait: {calm: 0.9, sustained: 0.1}}
risks:
  - {id: war, when: {response: sustained}, options: [act], severity: 5}
"""
    ev = point(compile_scenario(loads(text, "r.yaml")))
    t = matrices.risks(ev)
    assert t.cell("war | act", "probability") == pytest.approx(0.3)
    assert t.cell("war | act", "in its options") is True
    assert t.cell("war | wait", "probability") == pytest.approx(0.1)
    assert t.cell("war | wait", "in its options") is False
    assert t.cell("war | wait", "cost") == pytest.approx(5.0)        # given the war: 0 + 5
    assert ev.risk[0, 1, 0] == 0.0
    assert any("war under wait (0.1)" in n for n in t.notes)


def test_a_severity_derived_from_the_consequences():
    """issue 11: cost, minimised on [0, 10] (value (10 - x) / 10). Under act, the war costs 1 + 5 = 6
    (value 0.4) against 1 without it (0.9): half the scale lost, severity 1 + 4 x 0.5 = 3. Under
    wait, 5 (0.5) against 0 (1.0): also 3."""
    text = """\
scenario: {id: r, title: Derived severity}
criteria: [{id: cost, direction: min, range: [0, 10]}]
options: [{id: act, impacts: {cost: 1}}, {id: wait}]
events:
  - id: response
    depends_on: [option]
    states: {calm: {}, sustained: {impacts: {cost: 5}}}
    probability: {act: {calm: 0.7, sustained: 0.3}, wait: {calm: 0.9, sustained: 0.1}}
risks:
  - {id: war, when: {response: sustained}, severity_from: consequences}
"""
    t = matrices.risks(point(compile_scenario(loads(text, "r.yaml"))))
    assert t.cell("war | act", "severity") == pytest.approx(3.0)
    assert t.cell("war | wait", "severity") == pytest.approx(3.0)
    assert any("derived from the model" in n for n in t.notes)
    t = matrices.risks(point(compile_scenario(loads(
        text.replace("range: [0, 10]", "range: [0, 20]").replace("cost: 5}", "cost: 19}"),
        "r.yaml"))))
    # range [0, 20]: act 1 -> 0.95, with the war 20 -> 0.0: 0.95 lost, severity 1 + 3.8 = 4.8
    assert t.cell("war | act", "severity") == pytest.approx(4.8)


def test_severity_and_severity_from_together_are_refused(problems):
    text = """\
scenario: {id: r, title: Both}
criteria: [{id: cost}]
options: [{id: act, impacts: {cost: 1}}]
events:
  - {id: e, states: {a: {}, b: {}}, probability: {a: 0.5, b: 0.5}}
risks:
  - {id: war, when: {e: b}, severity: 3, severity_from: consequences}
"""
    assert any("give either 'severity'" in p for p in problems(text))
