"""Whatever the file holds, loading it gives a `Scenario` or a `ScenarioError`, never another error.

Hypothesis feeds the loader arbitrary text, arbitrary YAML documents, and valid scenarios with keys
deleted, renamed or given other values. Examples are capped so the suite stays fast in CI.
"""

from __future__ import annotations

import copy
import functools
import os
import textwrap
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.io import Problem, Scenario, ScenarioError, iter_numbers, loads, number_paths

# JUNCTURE_FUZZ_EXAMPLES=20000 for a deeper search than CI's
FAST = settings(max_examples=int(os.environ.get("JUNCTURE_FUZZ_EXAMPLES", "200")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# A small scenario with every section, so that mutations reach every part of the loader.
RICH = textwrap.dedent("""\
    scenario: {id: rich, title: Every section, decision_maker: us, as_of: 2025-11-01}
    probability_scale: {likely: [0.6, 0.8]}
    utility: {kind: exponential, risk_tolerance: 0.5}
    sources:
      tass: {outlet: TASS, kind: state_media, actor: russia, reliability: C, date: 2025-11-01}
    evidence:
      - {id: zakharova, source: tass, actor: russia, claim: Russia will respond., credibility: 3,
         figures: {igla_s: 5000}}
    assumptions:
      - {id: a_weights, statement: Weights are the analyst's., load_bearing: true, confidence: low}
    actors:
      us: {name: United States}
      russia:
        name: Russia
        signals:
          - {id: respond, description: Will respond., kind: cheap_talk, toward: [strikes],
             response: {russia_response: arms}, follow_through: unlikely, evidence: [zakharova]}
    criteria:
      - {id: cost, direction: min, weight: {value: [0.2, 0.4], point: 0.3, assumptions: [a_weights]}}
      - {id: escalation, direction: min, range: [0, 10], weight: 0.5,
         value_function: {kind: piecewise, points: [[0, 1], [10, 0]]}}
    options:
      - {id: strikes, impacts: {cost: [2, 6], escalation: {beta: [2, 5]}}}
      - {id: wait, impacts: {cost: 1/2, escalation: 0}}
    events:
      - id: russia_response
        kind: response
        actor: russia
        signal: respond
        depends_on: [option]
        states: {protest: {}, arms: {impacts: {escalation: 2}}}
        probability:
          strikes: {protest: likely, arms: otherwise}
          "*": {protest: 0.9, arms: 0.1}
      - id: war
        depends_on: [russia_response]
        states: {yes_war: {impacts: {cost: {pert: [1, 2, 4]}}}, no_war: {}}
        probability: {protest: {yes_war: 0.1, no_war: otherwise}, arms: {yes_war: 0.3, no_war: 0.7}}
    risks:
      - {id: big_war, when: {war: yes_war}, options: [strikes], severity: 5}
    worlds:
      hawkish:
        name: Hawkish Russia
        overrides: {events.russia_response.probability.strikes.protest: 0.2, criteria.escalation.weight: 0.7}
""")

# The sections later analyses read (factors, weights, strategic actors, indicators, the ladder).
EXTENDED = (
    RICH.replace("  - {id: cost, direction: min,", "  - {id: cost, direction: min, rank: 1, swing: 100,")
    .replace("  - {id: escalation, direction: min,", "  - {id: escalation, direction: min, rank: 2, swing: 40,")
    .replace("    name: Russia\n", "    name: Russia\n    payoffs: {russia_move.hold: 0, russia_move.push: 1}\n"
                                 "    criteria_weights: {escalation: -0.2}\n")
    .replace("risks:\n", "  - {id: russia_move, actor: russia, mode: strategic, depends_on: [option],\n"
                         "     states: {hold: {}, push: {impacts: {escalation: 1}}}}\nrisks:\n")
    + textwrap.dedent("""\
        factors:
          resolve: {description: d, drives: {events.russia_response.probability.strikes.protest: 0.8}}
        weight_profiles:
          cautious: {name: Cautious, weights: {cost: 0.3, escalation: 0.7}}
        comparison: {method: topsis, normalisation: vector, weighting: rank, hurwicz_alpha: 0.3,
                     satisficing: {cost: {max: 5}}}
        indicators:
          - {id: warships, about: war, likelihood: {yes_war: 0.6, no_war: 0.1}}
          - {id: speech, about: war, likelihood_ratio: [2, 4]}
        escalation:
          rungs: [{id: rhetoric}, {id: force}, {id: war}]
          thresholds: [{id: war_line, at: war}]
          options: {strikes: force, wait: rhetoric}
          states: {war.yes_war: war}
        history: [{date: 2025-11-08, note: Updated., observed: {warships: true}}]
        """))

TEXACO = textwrap.dedent("""\
    scenario: {id: texaco-pennzoil, title: Pennzoil's response}
    criteria: [{id: payoff, unit: USD bn, direction: max}]
    actors: {pennzoil: {}, texaco: {}}
    tree:
      decision: respond
      actor: pennzoil
      options:
        accept_2bn: {payoff: 2, actor_payoffs: {texaco: -2}}
        counteroffer_5bn:
          chance: texaco_reaction
          branches:
            accepts: {p: 0.17, payoff: 5}
            refuses:
              p: 0.50
              chance: court
              branches: &court {high: {p: 0.2, payoff: 10.3}, mid: {p: 0.5, payoff: 5}, low: {p: 0.3, payoff: 0}}
            counteroffers_3bn:
              p: otherwise
              decision: second_response
              options: {accept_3bn: {payoff: 3}, refuse: {chance: court, branches: *court}}
""")


def check(text: str | bytes) -> None:
    """The loader's contract: a Scenario whose numbers can be listed, or problems with positions."""
    try:
        sc = loads(text, "fuzz.yaml")
    except ScenarioError as e:
        assert e.problems
        for p in e.problems:
            assert isinstance(p, Problem) and p.file == "fuzz.yaml"
            assert p.line >= 1 and p.col >= 1 and p.message
    else:
        assert isinstance(sc, Scenario)
        names = number_paths(sc)  # what `juncture validate` and worlds rely on
        assert len(names) == len(list(iter_numbers(sc)))


def test_the_seeds_load():
    for text in (RICH, EXTENDED, TEXACO):
        assert isinstance(loads(text), Scenario)


@pytest.mark.parametrize("text", [
    "\x1f",                                                   # PyYAML's ReaderError escaped
    RICH.replace("scenario: {id: rich, title: Every section, decision_maker: us, as_of: 2025-11-01}\n", ""),
    RICH.replace("range: [0, 10]", "range: false"),            # a blank () range was indexed
    EXTENDED.replace("protest: 0.8}}", "protest: 1.3407807929942597e+154}}"),  # loading ** 2 overflowed
], ids=["control_character", "no_scenario_block", "range_false", "huge_factor_loading"])
def test_found_by_fuzzing(text):
    with pytest.raises(ScenarioError):
        loads(text)


@FAST
@given(st.text())
def test_arbitrary_text(text):
    check(text)


@FAST
@given(st.binary())
def test_arbitrary_bytes(raw):
    check(raw)


# Keys from the format, so that arbitrary documents reach past the top level now and then.
KEYS = sorted({
    "scenario", "id", "title", "options", "events", "criteria", "actors", "tree", "worlds", "risks",
    "sources", "evidence", "assumptions", "probability_scale", "utility", "states", "probability",
    "depends_on", "impacts", "weight", "value", "point", "decision", "chance", "branches", "p",
    "payoff", "overrides", "when", "signals", "kind", "beta", "pert", "otherwise", "*",
})
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8), st.sampled_from(KEYS + ["likely", "otherwise", "5/24", "1/0", "-", "exponential"]),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6),
                                                             kids, max_size=4),
    max_leaves=30,
)


@FAST
@given(st.dictionaries(st.sampled_from(KEYS), DOCUMENTS, max_size=6) | DOCUMENTS)
def test_arbitrary_yaml_documents(data):
    check(yaml.safe_dump(data, allow_unicode=True))


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path into nested dicts and lists."""
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, prefix + (i,))
    return out


@functools.cache
def _parsed(text: str) -> Any:
    return yaml.safe_load(text)


@st.composite
def mutated(draw, text: str) -> str:
    """`text` with one to four keys deleted, renamed or replaced by another value."""
    data = copy.deepcopy(_parsed(text))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for k in path[:-1]:
            parent = parent[k]
        last = path[-1]
        action = draw(st.sampled_from(["delete", "replace", "rename"]))
        if action == "delete":
            del parent[last]
        elif action == "replace":
            parent[last] = draw(DOCUMENTS)
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS) | st.text(max_size=6))] = parent.pop(last)
        else:
            parent.insert(0, parent.pop(last))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@FAST
@given(mutated(RICH))
def test_mutated_events_scenario(text):
    check(text)


@FAST
@given(mutated(EXTENDED))
def test_mutated_extended_scenario(text):
    check(text)


@FAST
@given(mutated(TEXACO))
def test_mutated_tree_scenario(text):
    check(text)


@FAST
@given(st.data())
def test_mutated_text_lines(data):
    # line-level damage keeps anchors, comments and flow style that safe_dump would not write
    lines = RICH.splitlines()
    i = data.draw(st.integers(0, len(lines) - 1))
    action = data.draw(st.sampled_from(["drop", "dedent", "indent", "truncate", "duplicate"]))
    if action == "drop":
        del lines[i]
    elif action == "dedent":
        lines[i] = lines[i].lstrip()
    elif action == "indent":
        lines[i] = "  " + lines[i]
    elif action == "truncate":
        lines[i] = lines[i][: data.draw(st.integers(0, len(lines[i])))]
    else:
        lines.insert(i, lines[i])
    check("\n".join(lines) + "\n")
