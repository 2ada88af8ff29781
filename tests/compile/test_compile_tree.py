"""The compiled tree: flat arrays numbered breadth first, both forms of a scenario unfolded alike.

Invariants `model/evaluate.py` relies on (model/compile/__init__.py, `Tree`): each depth is a
contiguous block, the children of a node are contiguous, a node's entry / state say which branch
of which table leads into it. Checked on every scenario in the repository, then on small trees
worked by hand.
"""

from __future__ import annotations

import math
import textwrap
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from model import load, loads
from model.compile import CHANCE, DECISION, TERMINAL, Model, compile_scenario

from paths import VENEZUELA_FROZEN

REPO = Path(__file__).resolve().parents[2]
SCENARIO_FILES = sorted((REPO / "scenarios").rglob("*.yaml"))


@lru_cache(maxsize=None)
def compiled(path: Path) -> Model:
    return compile_scenario(load(path))


def build(text: str) -> Model:
    return compile_scenario(loads(textwrap.dedent(text)))


@pytest.fixture(params=SCENARIO_FILES, ids=lambda p: str(p.relative_to(REPO / "scenarios")))
def any_model(request) -> Model:
    return compiled(request.param)


def test_there_are_scenarios_to_check():
    assert any(p.name == "venezuela.yaml" for p in SCENARIO_FILES)
    assert sum(p.parent.name == "reference" for p in SCENARIO_FILES) >= 6


def test_root_and_levels(any_model):
    t = any_model.tree
    assert t.kind[0] == DECISION and t.parent[0] == -1 and t.depth[0] == 0
    # levels: contiguous, in order, covering every node, one depth each
    assert t.levels[0] == (0, 1)
    assert t.levels[-1][1] == t.n
    for d, (a, b) in enumerate(t.levels):
        assert a < b
        assert (t.depth[a:b] == d).all()
        if d:
            assert t.levels[d - 1][1] == a
    assert (np.diff(t.depth) >= 0).all()


def test_children_are_contiguous_and_breadth_first(any_model):
    t = any_model.tree
    assert ((t.kind == TERMINAL) == (t.n_children == 0)).all()
    assert ((t.first_child == -1) == (t.n_children == 0)).all()
    for n in range(1, t.n):
        p = t.parent[n]
        assert 0 <= p < n
        assert t.depth[n] == t.depth[p] + 1
        assert t.first_child[p] <= n < t.first_child[p] + t.n_children[p]
    inner = np.flatnonzero(t.n_children > 0)
    # the children of successive inner nodes follow one another with no gap
    starts, ends = t.first_child[inner], t.first_child[inner] + t.n_children[inner]
    assert (starts[1:] == ends[:-1]).all()
    assert starts[0] == 1 and ends[-1] == t.n
    # sibling labels are unique
    for n in inner:
        labels = [t.label[k] for k in range(t.first_child[n], t.first_child[n] + t.n_children[n])]
        assert len(set(labels)) == len(labels)


def test_options_entries_and_states(any_model):
    m = any_model
    t = m.tree
    chosen = {e.id for e in m.scenario.events if e.mode in ("strategic", "decision")}
    assert tuple(t.label[k] for k in range(t.first_child[0], t.first_child[0] + t.n_children[0])) == m.options
    for n in range(1, t.n):
        # option: the root child the node lies under
        top = n
        while t.parent[top] != 0:
            top = t.parent[top]
        assert t.option[n] == top - t.first_child[0]
        parent_kind = t.kind[t.parent[n]]
        if parent_kind == CHANCE:
            assert t.entry[n] >= 0 or t.entry[n] == -2     # -2: a state its row leaves out (p = 0)
            assert t.state[n] >= 0
            assert m.states[t.state[n]] == (t.name[t.parent[n]], t.label[n])
        elif t.name[t.parent[n]] in chosen:   # a choice of an event's state (an actor's, or a later
            # decision of the decision maker): no table entry
            assert t.entry[n] == -1 and m.states[t.state[n]] == (t.name[t.parent[n]], t.label[n])
        else:
            assert t.entry[n] == -1 and t.state[n] == -1
    assert t.option[0] == -1
    assert t.path(0) == []


def test_entries_and_groups(any_model):
    m = any_model
    e = len(m.entry_param)
    assert len(m.entry_group) == e
    assert (np.diff(m.entry_group) >= 0).all()
    assert len(m.group_start) == len(m.group_has_rest) == (m.entry_group.max() + 1 if e else 0)
    for g, start in enumerate(m.group_start):
        members = np.flatnonzero(m.entry_group == g)
        assert members[0] == start
        # at most one `otherwise` per group, and the flag says whether there is one
        assert (m.entry_param[members] < 0).sum() == int(m.group_has_rest[g])
    assert (m.entry_param < m.n_params).all()
    # every chance node's children draw on one group
    t = m.tree
    for n in np.flatnonzero(t.kind == CHANCE):
        kids = range(t.first_child[n], t.first_child[n] + t.n_children[n])
        groups = {int(m.entry_group[t.entry[k]]) for k in kids if t.entry[k] >= 0}
        assert len(groups) == 1


def test_payoff_arrays(any_model):
    m = any_model
    assert len(m.pay_node) == len(m.pay_criterion) == len(m.pay_param)
    key = m.pay_node * len(m.criteria) + m.pay_criterion
    assert (np.diff(key) >= 0).all()                      # sorted by node, then criterion
    assert (m.pay_param >= 0).all() and (m.pay_param < m.n_params).all()
    assert (m.pay_criterion < len(m.criteria)).all()
    assert (m.pay_node > 0).all()                         # nothing is paid at the root


def test_venezuela_unfolds_every_combination_of_event_states():
    m = compiled(VENEZUELA_FROZEN)
    sc = m.scenario
    per_option = math.prod(len(e.states) for e in sc.events)
    assert per_option == 432
    t = m.tree
    assert len(t.leaves) == per_option * len(m.options) == 1728
    assert len(t.levels) == 2 + len(sc.events)
    for o in range(len(m.options)):
        assert (t.option[t.leaves] == o).sum() == per_option
    # one group per table row: rows are shared by the paths they match
    assert len(m.group_start) == sum(len(e.probability) for e in sc.events)


def test_venezuela_risks_sit_on_the_leaves_that_meet_them():
    m = compiled(VENEZUELA_FROZEN)
    t, sc = m.tree, m.scenario
    hits = m.risk_leaf.toarray()
    assert hits.shape == (t.n, len(sc.risks))
    assert not hits[t.kind != TERMINAL].any()
    for leaf in t.leaves:
        seen = {}
        n = int(leaf)
        while t.parent[n] > 0:
            ev, st = m.states[t.state[n]]
            seen[ev] = st
            n = int(t.parent[n])
        option = m.options[t.option[leaf]]
        for r, risk in enumerate(sc.risks):
            meets = (risk.options is None or option in risk.options) and all(
                seen[e] in states for e, states in risk.when.items())
            assert bool(hits[leaf, r]) == meets, (risk.id, t.path(int(leaf)))
    assert hits.sum() > 0


def test_explicit_tree_is_read_as_written():
    # texaco: respond -> accept_2bn | counteroffer_5bn -> texaco_reaction -> ...
    m = compiled(REPO / "scenarios" / "reference" / "texaco_pennzoil.yaml")
    t = m.tree
    assert m.options == ("accept_2bn", "counteroffer_5bn")
    assert [b - a for a, b in t.levels] == [1, 2, 3, 5, 3]
    kinds = {"/".join(t.path(n)): int(t.kind[n]) for n in range(t.n)}
    assert kinds["accept_2bn"] == TERMINAL
    assert kinds["counteroffer_5bn"] == CHANCE
    assert kinds["counteroffer_5bn/counteroffers_3bn"] == DECISION
    assert kinds["counteroffer_5bn/counteroffers_3bn/refuse"] == CHANCE
    assert kinds["counteroffer_5bn/counteroffers_3bn/refuse/low"] == TERMINAL
    assert t.name[0] == "respond"
    assert t.name[t.first_child[0] + 1] == "texaco_reaction"
    # the two court nodes share one state list
    assert [s for s in m.states if s[0] == "court"] == [("court", "high"), ("court", "mid"), ("court", "low")]


def test_most_specific_row_wins():
    # strike matches its own row; wait only the "*" row.
    m = build("""\
        scenario: {id: t, title: t}
        criteria: [{id: c}]
        options: [{id: strike}, {id: wait}]
        events:
          - id: r
            depends_on: [option]
            states: {x: {impacts: {c: 1}}, y: {}}
            probability:
              "*": {x: 0.1, y: otherwise}
              strike: {x: 0.7, y: otherwise}
        """)
    t = m.tree
    for option, p in (("strike", 0.7), ("wait", 0.1)):
        n = next(k for k in range(t.n) if t.path(k) == [option, "x"])
        assert m.params.point[m.entry_param[t.entry[n]]] == pytest.approx(p)


def test_event_without_depends_on_is_one_row_for_every_option():
    m = build("""\
        scenario: {id: t, title: t}
        criteria: [{id: c}]
        options: [{id: a}, {id: b}, {id: d}]
        events:
          - id: w
            states: {s1: {impacts: {c: 1}}, s2: {}}
            probability: {s1: 0.25, s2: otherwise}
        """)
    t = m.tree
    entries = {t.label[n]: set() for n in range(t.n) if t.depth[n] == 2}
    for n in range(t.n):
        if t.depth[n] == 2:
            entries[t.label[n]].add(int(t.entry[n]))
    assert entries == {"s1": {0}, "s2": {1}}
    assert len(m.group_start) == 1


def test_ranges_span_the_consequences_unless_given():
    # leaves: a 2 and 2 + 6 = 8 ; b 5 and 5 + 6 = 11 -> cost range [2, 11]; gain given [0, 100]
    m = build("""\
        scenario: {id: t, title: t}
        criteria: [{id: cost, direction: min}, {id: gain, range: [0, 100]}]
        options: [{id: a, impacts: {cost: 2, gain: 10}}, {id: b, impacts: {cost: 5, gain: 20}}]
        events:
          - id: d
            depends_on: [option]
            states: {late: {impacts: {cost: 6}}, on_time: {}}
            probability: {a: {late: 0.5, on_time: otherwise}, b: {late: 0.2, on_time: otherwise}}
        """)
    np.testing.assert_allclose(m.ranges, [[2, 11], [0, 100]])
    np.testing.assert_allclose(m.directions, [-1, 1])
    assert m.weight_param.tolist() == [-1, -1]
    assert not m.raw_value


IMPOSSIBLE_LEAF = """\
    scenario: {id: t, title: t}
    criteria: [{id: gain, direction: maxGAIN_RANGE}, {id: cost, direction: min}]
    tree:
      decision: choose
      options:
        safe: {payoff: {gain: 2, cost: 1}}
        risky:
          payoff: {cost: 3}
          chance: outcome
          branches:
            win: {p: 0.6, payoff: {gain: 10}}
            lose: {p: 0.4, payoff: {gain: -4}}
            disaster: {p: 0, payoff: {gain: -1000, cost: 500}}
    """


def test_a_leaf_that_cannot_happen_does_not_stretch_a_derived_range():
    # Leaves (gain, cost), adding payoffs along the path:
    #   safe            (2, 1)
    #   risky/win       (10, 3)        p 0.6
    #   risky/lose      (-4, 3)        p 0.4
    #   risky/disaster  (-1000, 503)   p 0: cannot happen, left out
    # Possible leaves only: gain [-4, 10], cost [1, 3]  (with the disaster: [-1000, 10], [1, 503]).
    m = build(IMPOSSIBLE_LEAF.replace("GAIN_RANGE", ""))
    np.testing.assert_allclose(m.ranges, [[-4, 10], [1, 3]])
    # Scores on those scales, equal weights 1/2 (linear, so an option's value is its expected score):
    #   safe:  gain (2 - -4)/14 = 3/7, cost (3 - 1)/2 = 1              -> (3/7 + 1)/2 = 5/7
    #   risky: E[gain] = 0.6*10 + 0.4*-4 + 0*-1000 = 4.4 -> (4.4 + 4)/14 = 0.6;
    #          cost (3 - 3)/2 = 0                                        -> (0.6 + 0)/2 = 0.3
    from model.evaluate import point

    np.testing.assert_allclose(point(m).value[0], [5 / 7, 0.3], atol=1e-12)
    # A `range` in the file wins, even one the impossible leaf would fall in; cost is still derived.
    given = build(IMPOSSIBLE_LEAF.replace("GAIN_RANGE", ", range: [-1000, 100]"))
    np.testing.assert_allclose(given.ranges, [[-1000, 100], [1, 3]])


def test_raw_value_and_utility_flags():
    m = compiled(REPO / "scenarios" / "reference" / "exponential_lottery.yaml")
    assert m.raw_value and m.risk_tolerance == 100
    m = compiled(REPO / "scenarios" / "reference" / "topsis_phones.yaml")
    assert not m.raw_value and m.risk_tolerance is None
    assert m.value_kind == ("linear", "linear", "linear")
