"""The explicit tree form: the format doc's Texaco example read node by node, and its mistakes."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from model.io import TreeNode, loads, number_paths

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"

# Copied from docs/scenario-format.md, "The explicit tree form" (a test below checks it still is).
TEXACO = textwrap.dedent("""\
    scenario: {id: texaco-pennzoil, title: Pennzoil's response to Texaco's offer}
    criteria: [{id: payoff, unit: USD bn, direction: max}]
    utility: {kind: exponential, risk_tolerance: 5}     # optional; absent means risk-neutral
    tree:
      decision: respond                # a decision node: a name and its options
      options:
        accept_2bn: {payoff: 2}        # payoff adds up along the path; a node with only a payoff ends
        counteroffer_5bn:
          chance: texaco_reaction      # a chance node: a name and its branches
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


def child(node: TreeNode, label: str) -> TreeNode:
    return next(c for c in node.children if c.label == label)


def test_the_texaco_example_is_the_one_in_the_format_doc():
    block = re.search(r"## The explicit tree form.*?```yaml\n(.*?)```", DOC.read_text(), re.S).group(1)
    assert block == TEXACO


def test_texaco_tree_node_by_node():
    sc = loads(TEXACO)
    assert sc.utility.kind == "exponential" and sc.utility.risk_tolerance == 5
    root = sc.tree
    assert (root.kind, root.name) == ("decision", "respond")
    assert sc.option_ids == ["accept_2bn", "counteroffer_5bn"]

    accept = child(root, "accept_2bn")
    assert accept.kind == "terminal" and accept.children == ()
    assert accept.payoff[""].point == 2  # '' = the single criterion

    reaction = child(root, "counteroffer_5bn")
    assert (reaction.kind, reaction.name) == ("chance", "texaco_reaction")
    assert [c.label for c in reaction.children] == ["accepts", "refuses", "counteroffers_3bn"]
    assert child(reaction, "accepts").p.point == 0.17
    assert child(reaction, "accepts").payoff[""].point == 5
    refuses = child(reaction, "refuses")
    assert refuses.p.point == 0.50
    assert (refuses.kind, refuses.name) == ("chance", "court")

    counter = child(reaction, "counteroffers_3bn")
    assert counter.p.kind == "otherwise"
    assert counter.p.point == pytest.approx(0.33, abs=1e-15)  # 1 - 0.17 - 0.50
    assert (counter.kind, counter.name) == ("decision", "second_response")
    assert child(counter, "accept_3bn").payoff[""].point == 3


def test_the_court_alias_is_a_second_copy_of_the_anchored_branches():
    sc = loads(TEXACO)
    first = child(child(sc.tree, "counteroffer_5bn"), "refuses")
    second = child(child(child(sc.tree, "counteroffer_5bn"), "counteroffers_3bn"), "refuse")
    assert first.name == second.name == "court"
    for node in (first, second):
        got = [(c.label, c.p.point, c.payoff[""].point) for c in node.children]
        assert got == [("high", 0.2, 10.3), ("mid", 0.5, 5.0), ("low", 0.3, 0.0)]
    # each copy has its own name, so a world can change one court and not the other
    names = number_paths(sc)
    assert "tree.counteroffer_5bn.refuses.high.p" in names
    assert "tree.counteroffer_5bn.counteroffers_3bn.refuse.high.p" in names
    # 18 numbers: 2 + (p, payoff) of accepts + p of refuses + 3 x 2 court + p of counter + 3 + 3 x 2
    assert len(names) == 18


def test_payoff_along_a_path_a_mapping_payoff_and_actors():
    text = textwrap.dedent("""\
        scenario: {id: t, title: Test then drill, decision_maker: oil_co}
        actors: {oil_co: {name: Oil company}, partner: {name: Partner}}
        criteria: [{id: money, direction: max}, {id: time, direction: min}]
        tree:
          decision: test_or_not
          actor: oil_co
          options:
            test:
              payoff: {money: -10, time: 2}    # paid on the way, then the chance node
              chance: seismic
              branches:
                good: {p: likely, payoff: {money: 100}, actor_payoffs: {partner: 30}}
                bad: {p: otherwise, payoff: {money: -5, time: 1}, actor_payoffs: {partner: -3}}
            skip: {payoff: {money: 0, time: 0}}
        """)
    sc = loads(text)
    test = child(sc.tree, "test")
    assert sc.tree.actor == "oil_co"
    assert test.kind == "chance"
    assert {k: n.point for k, n in test.payoff.items()} == {"money": -10, "time": 2}
    good, bad = test.children
    assert good.p.word == "likely" and good.p.point == pytest.approx(0.675)  # (0.55 + 0.80) / 2
    assert bad.p.point == pytest.approx(0.325)  # 1 - 0.675
    assert good.actor_payoffs["partner"].point == 30
    assert {k: n.point for k, n in bad.payoff.items()} == {"money": -5, "time": 1}
    names = number_paths(sc)
    assert names["tree.test.payoff.money"] == "payoff"
    assert names["tree.test.good.actor_payoffs.partner"] == "payoff"


def test_a_payoff_may_be_any_number_form():
    text = TEXACO.replace("accept_2bn: {payoff: 2}", "accept_2bn: {payoff: {triangular: [1, 2, 3]}}")
    payoff = child(loads(text).tree, "accept_2bn").payoff[""]
    assert payoff.kind == "triangular" and payoff.point == 2  # (1 + 2 + 3) / 3


# (id, the tree line, the text on it the problem points at, the message)
TREE_MISTAKES = [
    ("root_is_chance", "tree: {chance: c, branches: {a: {p: 1, payoff: 1}}}", "{chance",
     "tree: the tree's root must be a decision node (decision: NAME, options: ...): its options are "
     "the scenario's options"),
    ("branch_without_p", "tree: {decision: d, options: {a: {chance: c, branches: {x: {payoff: 1}, y: {p: 1}}}}}",
     "{payoff", "tree.options.a.branches.x: branch 'x' of a chance node needs a probability 'p'"),
    ("option_with_p", "tree: {decision: d, options: {a: {p: 0.5, payoff: 1}, b: {payoff: 0}}}",
     "0.5", "tree.options.a.p: option 'a' of a decision node takes no probability 'p'"),
    ("branches_sum_to_0.9", "tree: {decision: d, options: {a: {chance: c, branches: {x: {p: 0.4}, y: {p: 0.5}}}}}",
     "{chance", "tree.options.a: branch probabilities of 'c' sum to 0.9, not 1"),
    ("two_otherwise", "tree: {decision: d, options: {a: {chance: c, branches: {x: {p: otherwise}, y: {p: otherwise}}}}}",
     "otherwise}}", "tree.options.a.branches.y.p: two 'otherwise' branches: only one can take the rest"),
    ("probability_above_1", "tree: {decision: d, options: {a: {chance: c, branches: {x: {p: 1.25}, y: {p: otherwise}}}}}",
     "1.25", "tree.options.a.branches.x.p: probability 1.25 is outside [0, 1]"),
    ("unknown_criterion", "tree: {decision: d, options: {a: {payoff: {moeny: 1}}}}",
     "moeny", "tree.options.a.payoff.moeny: unknown criterion 'moeny'; did you mean 'money'?"),
    ("unknown_actor", "tree: {decision: d, actor: entrnt, options: {a: {payoff: 1}}}",
     "entrnt", "tree.actor: unknown actor 'entrnt'; did you mean 'entrant'?"),
    ("unknown_actor_payoff", "tree: {decision: d, options: {a: {payoff: 1, actor_payoffs: {incumbnt: 2}}}}",
     "incumbnt", "tree.options.a.actor_payoffs.incumbnt: unknown actor 'incumbnt'; did you mean 'incumbent'?"),
    ("actor_on_chance_node", "tree: {decision: d, options: {a: {chance: c, actor: entrant, branches: {x: {p: 1}}}}}",
     "entrant", "tree.options.a.actor: only a decision node has an actor"),
    ("decision_and_chance", "tree: {decision: d, options: {a: {decision: e, chance: c, options: {x: {}}}}}",
     "{decision: e", "tree.options.a: a node is either a decision (decision + options) or a chance node "
     "(chance + branches), not both"),
    ("options_missing", "tree: {decision: d}", "{decision",
     "tree: a decision node needs 'options:' mapping each option to its node"),
    ("unknown_key_in_node", "tree: {decision: d, options: {a: {payof: 1}}}", "payof",
     "tree.options.a.payof: unknown key 'payof' in a tree node; did you mean 'payoff'?"),
    ("tree_and_options", "tree: {decision: d, options: {a: {payoff: 1}}}\noptions: [{id: b}]", "{decision",
     "tree: use either the explicit 'tree' or 'options' and 'events', not both"),
]


@pytest.mark.parametrize("name, tree, at, message", TREE_MISTAKES, ids=[m[0] for m in TREE_MISTAKES])
def test_tree_mistakes(problems, name, tree, at, message):
    head = ("scenario: {id: t, title: T}\nactors: {entrant: {}, incumbent: {}}\n"
            "criteria: [{id: money, direction: max}]\n")
    got = problems(head + tree + "\n")
    assert got == [f"f.yaml:4:{tree.index(at) + 1}: {message}"]


def test_a_number_payoff_needs_a_single_criterion(problems):
    text = ("scenario: {id: t, title: T}\ncriteria: [{id: money}, {id: time}]\n"
            "tree: {decision: d, options: {a: {payoff: 1}}}\n")
    assert problems(text) == ["f.yaml:3:43: tree.options.a.payoff: with 2 criteria a payoff is a mapping "
                              "criterion -> number"]
