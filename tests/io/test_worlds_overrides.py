"""Worlds override numbers by name; a name that names nothing, or a value that does not fit, is refused."""

from __future__ import annotations

import pytest

from model.io import loads, number_paths


def world(minimal: str, overrides: str) -> str:
    """The minimal scenario with one world 'w' whose overrides are the given lines (line 22 on)."""
    body = "".join(f"      {line}\n" for line in overrides.splitlines())
    return minimal + "worlds:\n  w:\n    name: W\n    overrides:\n" + body


def test_every_kind_of_number_can_be_named(minimal):
    text = minimal.replace("states: {protest: {}, arms: {}}", "states: {protest: {}, arms: {impacts: {cost: 2}}}")
    text = text.replace("russia: {name: Russian Federation}", (
        "russia:\n    signals: [{id: respond, description: d, kind: cheap_talk, follow_through: likely}]"))
    text = text.replace("- {id: cost, direction: min}", "- {id: cost, direction: min, weight: 1}")
    text += "risks: [{id: war, when: {russia_response: arms}, severity: 4}]\n"
    assert number_paths(loads(text)) == {
        "actors.russia.signals.respond.follow_through": "follow_through",
        "criteria.cost.weight": "weight",
        "options.strikes.impacts.cost": "impact",
        "options.wait.impacts.cost": "impact",
        "events.russia_response.states.arms.impacts.cost": "impact",
        "events.russia_response.probability.strikes.protest": "probability",
        "events.russia_response.probability.strikes.arms": "probability",
        "events.russia_response.probability.wait.protest": "probability",
        "events.russia_response.probability.wait.arms": "probability",
        "risks.war.severity": "severity",
    }


def test_overrides_in_any_number_form(minimal):
    sc = loads(world(minimal, "events.russia_response.probability.strikes.protest: unlikely\n"
                              "events.russia_response.probability.strikes.arms: otherwise\n"
                              "options.strikes.impacts.cost: {triangular: [2, 4, 9]}"))
    o = sc.worlds["w"].overrides
    assert o["events.russia_response.probability.strikes.protest"].params == (0.20, 0.45)
    assert o["events.russia_response.probability.strikes.arms"].kind == "otherwise"
    assert o["options.strikes.impacts.cost"].point == 5  # (2 + 4 + 9) / 3


@pytest.mark.parametrize("overrides, message", [
    ("options.strikes.impacts.csot: 3",
     "22:7: worlds.w.overrides.options.strikes.impacts.csot: 'options.strikes.impacts.csot' names no number "
     "in this file; did you mean 'options.strikes.impacts.cost'?"),
    ("events.russia_response.probability.strike.protest: 0.5",
     "22:7: worlds.w.overrides.events.russia_response.probability.strike.protest: "
     "'events.russia_response.probability.strike.protest' names no number in this file; did you mean "
     "'events.russia_response.probability.strikes.protest'?"),
    ("options.strikes.impacts.cost: otherwise",
     "22:37: worlds.w.overrides.options.strikes.impacts.cost: 'otherwise' overrides only an entry of a "
     "probability table"),
    ("events.russia_response.probability.strikes.protest: 1.5",
     "22:59: worlds.w.overrides.events.russia_response.probability.strikes.protest: probability 1.5 is "
     "outside [0, 1]"),
    # 0.5 + the file's 0.3 = 0.8: a world is a whole future, its tables must still sum to 1
    ("events.russia_response.probability.strikes.protest: 0.5",
     "22:7: worlds.w.overrides.events.russia_response.probability.strikes.protest: with this world's "
     "numbers, events.russia_response.probability.strikes sums to 0.8, not 1: override the other entries "
     "too, or one of them with 'otherwise'"),
    ("events.russia_response.probability.strikes.protest: otherwise\n"
     "events.russia_response.probability.strikes.arms: otherwise",
     "22:7: worlds.w.overrides.events.russia_response.probability.strikes.protest: with this world's "
     "numbers, events.russia_response.probability.strikes has two 'otherwise' entries (protest, arms)"),
])
def test_bad_overrides(minimal, problems, overrides, message):
    assert problems(world(minimal, overrides)) == [f"f.yaml:{message}"]


def test_a_world_may_override_a_whole_row(minimal):
    sc = loads(world(minimal, "events.russia_response.probability.strikes.protest: 0.2\n"
                              "events.russia_response.probability.strikes.arms: 0.8"))
    assert sc.worlds["w"].name == "W"


def test_tree_probabilities_in_a_world_must_still_sum_to_1(problems):
    text = ("scenario: {id: t, title: T}\ncriteria: [{id: v}]\n"
            "tree: {decision: d, options: {a: {payoff: 0}, b: {chance: c, branches: {h: {p: 0.5, payoff: 1}, "
            "t: {p: 0.5, payoff: 0}}}}}\n"
            "worlds: {w: {overrides: {tree.b.h.p: 0.6}}}\n")
    assert problems(text) == [
        "f.yaml:4:26: worlds.w.overrides.tree.b.h.p: with this world's numbers, tree.b sums to 1.1, not 1: "
        "override the other entries too, or one of them with 'otherwise'"]
    assert loads(text.replace("{tree.b.h.p: 0.6}", "{tree.b.h.p: 0.6, tree.b.t.p: otherwise}"))
