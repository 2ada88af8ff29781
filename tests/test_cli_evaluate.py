"""`juncture evaluate` as text: the decision maker's best later choices, other actors' choices
named as theirs, and every player's equilibrium payoff; the --json shape as documented."""

from __future__ import annotations

import json
import math
import textwrap

import pytest
from conftest import REPO
from games import strategic_reply

from model.cli import main

ENTRY = REPO / "scenarios" / "reference" / "entry_deterrence.yaml"
THREE = REPO / "scenarios" / "reference" / "three_player_chance.yaml"
TEXACO = REPO / "scenarios" / "reference" / "texaco_pennzoil.yaml"


def run(capsys, *args) -> str:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def section(out: str, head: str) -> list[str]:
    """The indented lines under the line starting with `head`."""
    lines = out.splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.startswith(head))
    rest = []
    for ln in lines[i + 1:]:
        if not ln.startswith("  "):
            break
        rest.append(ln)
    return rest


def test_entry_deterrence_names_the_incumbents_choice_and_the_payoffs(capsys):
    # the incumbent accommodates (2 > -1); the entrant enters (1 > 0): payoffs (1, 2)
    out = run(capsys, "evaluate", ENTRY)
    assert section(out, "Later decisions") == ["  enter: accommodate  (choice of Incumbent)"]
    assert "(best choice)" not in out
    assert section(out, "Equilibrium payoffs") == ["  Entrant    1.000  (decision maker; EV)",
                                                   "  Incumbent  2.000  (its own payoffs)"]
    assert "Entrant takes enter" in out


def test_the_decision_makers_own_later_decision_is_its_best_choice(capsys):
    out = run(capsys, "evaluate", TEXACO)
    assert section(out, "Later decisions:") == ["  counteroffer_5bn/counteroffers_3bn: refuse  (best choice)"]
    assert "Equilibrium payoffs" not in out and "choice of" not in out


def test_three_players(capsys):
    # hand solution in the scenario's header: b2, c2, x, z2; payoffs (2, 1, 5)
    out = run(capsys, "evaluate", THREE)
    assert sorted(section(out, "Later decisions")) == sorted([
        "  right: x  (choice of Bob)", "  left/good: b2  (choice of Bob)",
        "  left/bad: c2  (choice of Cat)", "  right/y: z2  (choice of Cat)"])
    assert section(out, "Equilibrium payoffs") == ["  Ann  2.000  (decision maker; EV)",
                                                   "  Bob  1.000  (its own payoffs)",
                                                   "  Cat  5.000  (its own payoffs)"]


MIXED = """\
scenario: {id: mixed, title: Both kinds of later decision, decision_maker: us}
actors: {us: {name: Us}, them: {name: Them}}
criteria: [{id: payoff, unit: USD m, direction: max}]
tree:
  decision: start
  options:
    wait: {payoff: 1}
    go:
      decision: reply
      actor: them
      options:
        yield: {payoff: 4, actor_payoffs: {them: 0}}
        resist:
          actor_payoffs: {them: 1}
          decision: press_on
          options:
            push: {payoff: 3}
            stop: {payoff: 0}
"""


def test_a_tree_with_both_kinds_of_later_decision(capsys, tmp_path):
    # them resists (1 > 0); then we push (3 > 0): go = 3 > wait 1. Payoffs: us 3, them 1
    f = tmp_path / "mixed.yaml"
    f.write_text(MIXED)
    out = run(capsys, "evaluate", f)
    assert section(out, "Later decisions") == ["  go: resist  (choice of Them)",
                                               "  go/resist: push  (best choice)"]
    assert section(out, "Equilibrium payoffs") == ["  Us    3.000  (decision maker; EV in USD m)",
                                                   "  Them  1.000  (its own payoffs)"]


def test_an_actors_tie_is_flagged(capsys, tmp_path):
    # the incumbent gets 2 either way: a tie on its values, so both are listed
    f = tmp_path / "entry.yaml"
    f.write_text(ENTRY.read_text().replace("actor_payoffs: {incumbent: -1}", "actor_payoffs: {incumbent: 2}"))
    out = run(capsys, "evaluate", f)
    assert section(out, "Later decisions") == ["  enter: fight = accommodate  (choice of Incumbent)  (tie)"]


QRE = strategic_reply(1)


def test_a_logit_choice_gives_its_probability(capsys, tmp_path):
    # lambda = 1: P(a, b, c) proportional to (1, e, e^2); c is the most likely, e^2 / z = 0.665.
    # us under act: (3 + 6e) / z = 1.738 > wait (1.738 - 1); them: (e + 2 e^2) / z = 1.575
    f = tmp_path / "qre.yaml"
    f.write_text(QRE)
    out = run(capsys, "evaluate", f)
    e, z = math.e, 1 + math.e + math.e ** 2
    p = f"{e * e / z:.3g}"
    assert p == "0.665"
    assert section(out, "Later decisions") == [
        f"  act: c  (choice of Them; most likely under a logit response, p={p})",
        f"  wait: c  (choice of Them; most likely under a logit response, p={p})"]
    assert section(out, "Equilibrium payoffs") == [
        f"  Us    {(3 + 6 * e) / z:.3f}  (decision maker; EV)",
        f"  Them  {(e + 2 * e * e) / z:.3f}  (its own payoffs)"]


def test_json_shape_is_unchanged(capsys):
    d = json.loads(run(capsys, "evaluate", ENTRY, "--json"))
    assert set(d) == {"scenario", "best_option", "options", "policy", "ranking", "world", "risk_attitude",
                      "equilibrium_payoffs"}
    assert d["policy"] == {"enter": "accommodate"}
    assert d["equilibrium_payoffs"] == {"entrant": 1.0, "incumbent": 2.0}
    d = json.loads(run(capsys, "evaluate", TEXACO, "--json"))
    assert set(d) == {"scenario", "best_option", "options", "policy", "ranking", "world", "risk_attitude"}
    assert d["policy"] == {"counteroffer_5bn/counteroffers_3bn": "refuse"}
    assert d["options"]["counteroffer_5bn"]["expected_utility"] == pytest.approx(4.6348)


def test_minimised_payoff_of_the_decision_maker_is_a_cost(capsys, tmp_path):
    text = textwrap.dedent("""\
        scenario: {id: c, title: Costs, decision_maker: us}
        actors: {us: {name: Us}, them: {name: Them}}
        criteria: [{id: cost, unit: USD bn, direction: min}]
        tree:
          decision: start
          options:
            cheap: {payoff: 1, actor_payoffs: {them: 5}}
            dear: {payoff: 4, actor_payoffs: {them: 0}}
        """)
    f = tmp_path / "c.yaml"
    f.write_text(text)
    out = run(capsys, "evaluate", f)
    assert section(out, "Equilibrium payoffs") == ["  Us    1.000  (decision maker; EV in USD bn, a cost)",
                                                   "  Them  5.000  (its own payoffs)"]
