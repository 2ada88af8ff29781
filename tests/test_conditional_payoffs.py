"""Conditional payoffs: an actor's valuation of a choice that depends on its own hidden type or on
the option it answers (`actors.X.conditional_payoffs`). Every number below is worked by hand."""

from __future__ import annotations

import textwrap

import pytest

from model.compile import compile_scenario
from model.evaluate import point
from model.io import ScenarioError, loads

GAME = textwrap.dedent("""\
    scenario: {id: cp, title: Conditional payoffs, decision_maker: us}
    actors:
      us: {name: Us}
      them:
        name: Them
        payoffs: {response.arms: -1}            # arming costs them 1 ...
        conditional_payoffs:
          - {id: committed_arms, state: response.arms, when: {rtype: committed}, value: 2}
          - {id: answer_attack, state: response.arms, when: {rtype: opportunistic}, options: [attack], value: 1.5}
    criteria: [{id: harm, direction: min, range: [0, 20], weight: 1}]
    options:
      - {id: attack, impacts: {harm: 1}}
      - {id: wait}
    events:
      - id: rtype
        kind: type
        actor: them
        states: {committed: {}, opportunistic: {}}
        probability: {committed: 0.3, opportunistic: otherwise}
      - id: response
        actor: them
        mode: strategic
        depends_on: [option, rtype]
        states: {protest: {}, arms: {impacts: {harm: 10}}}
""")


def test_the_choice_follows_the_type_and_the_option():
    m = compile_scenario(loads(GAME, "g.yaml"))
    ev = point(m)
    k = m.states.index(("response", "arms"))
    # committed: -1 + 2 = 1 > 0, arms under both options; opportunistic: -1 < 0 under wait
    # (protest), -1 + 1.5 = 0.5 > 0 under attack (arms). P(arms): attack 0.3 + 0.7 = 1, wait 0.3.
    assert ev.state_probability[0, m.options.index("attack"), k] == pytest.approx(1.0)
    assert ev.state_probability[0, m.options.index("wait"), k] == pytest.approx(0.3)
    # expected harm: attack 1 + 10 = 11; wait 0.3 x 10 = 3
    assert ev.expected[0, m.options.index("attack"), 0] == pytest.approx(11.0)
    assert ev.expected[0, m.options.index("wait"), 0] == pytest.approx(3.0)


def test_its_number_is_a_parameter_named_by_its_id():
    m = compile_scenario(loads(GAME, "g.yaml"))
    assert "actors.them.conditional_payoffs.committed_arms.value" in m.params.names


@pytest.mark.parametrize("bad, says", [
    ("state: response.arms, when: {rtype: committed}", None),
    ("state: response.army, when: {rtype: committed}", "unknown event state ('event.state') 'response.army'"),
    ("state: response.arms, when: {rtyp: committed}", "unknown event 'rtyp'"),
    ("state: response.arms, when: {rtype: commited}", "unknown event state ('event.state') 'rtype.commited'"),
])
def test_unknown_states_and_events_are_refused_at_their_place(bad, says):
    text = GAME.replace("state: response.arms, when: {rtype: committed}", bad)
    if says is None:
        loads(text, "g.yaml")
        return
    with pytest.raises(ScenarioError) as e:
        loads(text, "g.yaml")
    assert says in str(e.value) and "g.yaml:8:" in str(e.value)


def test_an_unknown_option_is_refused():
    with pytest.raises(ScenarioError) as e:
        loads(GAME.replace("options: [attack]", "options: [atack]"), "g.yaml")
    assert "unknown option 'atack'" in str(e.value)
