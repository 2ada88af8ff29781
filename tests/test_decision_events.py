"""Later decisions in the events form (`mode: decision`) and events that happen only under some
options or when earlier states hold (`options`, `when`).

Raiffa's wildcatter written as events against its published answers (tests/reference/
oil_wildcatter.json) and against the explicit tree of the same problem; a small tree compiled and
solved by hand; each misuse refused with its FILE:LINE:COL; and every analysis run on a
watch-then-decide scenario (tests/data/watch_then_decide.yaml).
"""

from __future__ import annotations

import dataclasses
import json
import textwrap
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import model
from model import load, loads
from model.analysis import voi
from model.analysis.sampling import draw
from model.compile import CHANCE, DECISION, TERMINAL, compile_scenario
from model.evaluate import evaluate, point
from model.evaluate.plan import merged_plan

REPO = Path(__file__).resolve().parents[1]
EVENTS = REPO / "scenarios" / "reference" / "oil_wildcatter_events.yaml"
TREE = REPO / "scenarios" / "reference" / "oil_wildcatter.yaml"
WATCH = REPO / "tests" / "data" / "watch_then_decide.yaml"
REFERENCE = REPO / "tests" / "reference" / "oil_wildcatter.json"
ACTION = {"drill": "drill", "do not drill": "dont_drill"}


def published() -> dict:
    if not REFERENCE.is_file():
        pytest.skip(f"reference answers not found: {REFERENCE}")
    return json.loads(REFERENCE.read_text())["expected"]


def close(actual: float, spec: dict) -> None:
    assert abs(actual - spec["value"]) <= spec["abs_tol"], (actual, spec)


# --------------------------------------------------------------------------------------------
# Raiffa's wildcatter in the events form: the published answers


def test_wildcatter_as_events_gives_the_published_values_and_policy(juncture):
    exp = published()
    done = juncture("evaluate", EVENTS, "--json")
    assert done.returncode == 0, done.stderr
    d = json.loads(done.stdout)
    close(d["options"]["no_test"]["certainty_equivalent"], exp["ev_no_test"])      # 20
    close(d["options"]["test"]["certainty_equivalent"], exp["ev_test"])            # 22.5
    assert d["best_option"] == exp["best_first_decision"] == "test"
    # after the test: drill on closed and open, not on diffuse; without it: drill
    for result, action in exp["policy_after_test"].items():
        assert d["policy"][f"test/{result}"] == ACTION[action], result
    assert d["policy"]["no_test"] == ACTION[exp["policy_without_test"]]


def test_wildcatter_as_events_gives_the_published_evsi(juncture):
    # EVSI = EV(test) with the test free - EV(no test) = (0.24 x 87.5 + 0.35 x 1150/35 + 0.41 x 0)
    #        - 20 = 32.5 - 20 = 12.5; the test's cost is the option's own impact, set to 0
    exp = published()
    done = juncture("voi", EVENTS, "--evsi", "test", "--json")
    assert done.returncode == 0, done.stderr
    d = json.loads(done.stdout)["evsi"]
    close(d["value"], exp["evsi_of_test"])
    assert d["without_its_cost"] == pytest.approx(32.5, abs=1e-9)
    assert d["best_without_it"] == pytest.approx(exp["ev_no_test"]["value"], abs=1e-9)
    assert d["cost"] == ["options.test.impacts.payoff"]


def test_wildcatter_as_events_evpi_by_hand():
    e = voi.evpi_events(compile_scenario(load(EVENTS)))
    # the test result known before choosing (as the explicit tree gives it, test_voi.py):
    # closed: max(no_test 20, test -10 + 87.5) = 77.5; open: max(20, -10 + 1150/35) = 22.857;
    # diffuse: max(20, -10 + 0) = 20; 0.24 x 77.5 + 0.35 x 22.857 + 0.41 x 20 = 34.8; 34.8 - 22.5 = 12.3
    assert e.values()["seismic"] == pytest.approx(12.3, abs=1e-9)
    # the oil known before choosing: dry -> no drilling, 0; wet 50; soaking 200 (with no test to pay
    # for): 0.5 x 0 + 0.3 x 50 + 0.2 x 200 = 55, minus the best without it, 22.5 (the test) = 32.5.
    # The published EVPI on oil, 35, is against the problem without the test (55 - 20): checked below.
    assert e.values()["oil"] == pytest.approx(32.5, abs=1e-9)
    assert e.all[0] == pytest.approx(32.5, abs=1e-9)          # knowing the oil, the result adds nothing
    # a later decision is the decision maker's own choice: not uncertain, no EVPI row
    assert "drill" not in e.value and "later decision" in e.left_out["drill"]


def test_evpi_on_oil_is_the_published_35_without_the_test():
    # the events form with the test taken out: drill or not, the oil found only when drilling.
    # Clairvoyance: 0.5 x max(-70, 0) + 0.3 x 50 + 0.2 x 200 = 55; without it drill, 20; 55 - 20 = 35
    text = EVENTS.read_text()
    text = text.replace("  - {id: test, name: Run the seismic test, impacts: {payoff: -10}}     # the test's cost\n", "")
    start, end = text.index("  - id: seismic"), text.index("  - id: drill")
    text = text[:start] + text[end:]
    text = text.replace("    depends_on: [seismic]\n", "")
    text = text[:text.index("    probability:\n      \"*\"")] + "    probability: {dry: 0.5, wet: 0.3, soaking: 0.2}\n"
    e = voi.evpi_events(compile_scenario(loads(text, "no_test.yaml")))
    close(e.values()["oil"], published()["evpi_on_oil"])


def test_the_events_form_and_the_explicit_tree_are_the_same_tree():
    ev_m, tr_m = compile_scenario(load(EVENTS)), compile_scenario(load(TREE))
    ev_e, tr_e = point(ev_m), point(tr_m)
    # node kinds depth by depth: 1 root; no_test (a decision) and test (the result); then ...
    shape = [Counter((int(d), int(k)) for d, k in zip(m.tree.depth, m.tree.kind)) for m in (ev_m, tr_m)]
    assert shape[0] == shape[1]
    assert ev_m.tree.n == tr_m.tree.n == 26   # 1 + 2 + (2 + 3) + (3 + 3 x 2) + 3 x 3
    np.testing.assert_allclose(ev_e.value, tr_e.value, atol=1e-12)
    assert ev_e.policy() == tr_e.policy()
    np.testing.assert_allclose(np.sort(ev_e.node_value[0]), np.sort(tr_e.node_value[0]), atol=1e-12)


# --------------------------------------------------------------------------------------------
# The compiled tree, by hand

SMALL = """\
    scenario: {id: small, title: Small, decision_maker: us}
    actors:
      us: {name: Us}
      them: {name: Them, payoffs: {reply.give_in: 0, reply.resist: 1}}
    criteria: [{id: gain}]
    options: [{id: go}, {id: stay}]
    events:
      - {id: signal, options: [go], states: {hot: {}, cold: {}}, probability: {hot: 0.5, cold: 0.5}}
      - {id: next, mode: decision, options: [go], states: {push: {impacts: {gain: 1}}, stop: {}}}
      - {id: reply, actor: them, mode: strategic, when: {next: push},
         states: {give_in: {impacts: {gain: 2}}, resist: {}}}
"""


def test_a_later_decision_compiles_to_decision_nodes_of_the_decision_maker():
    m = compile_scenario(loads(textwrap.dedent(SMALL)))
    t = m.tree

    def at(*path: str) -> int:
        return next(n for n in range(t.n) if t.path(n) == list(path))

    # go -> signal (chance) -> hot / cold -> next (decision) -> push -> reply (them) / stop (end);
    # stay: no event happens under it, an end at depth 1
    assert [t.kind[at(*p)] for p in [("go",), ("stay",), ("go", "hot"), ("go", "hot", "push"),
                                      ("go", "hot", "stop"), ("go", "hot", "push", "resist")]] == \
        [CHANCE, TERMINAL, DECISION, DECISION, TERMINAL, TERMINAL]
    assert t.n == 13 and [b - a for a, b in t.levels] == [1, 2, 2, 4, 4]
    # the decision maker owns the root and both `next` nodes (player 0); `them` owns `reply`
    assert m.actors == ("us", "them")
    for p in [(), ("go", "hot"), ("go", "cold")]:
        assert m.node_owner[at(*p)] == 0
    assert t.name[at("go", "hot")] == "next" and t.actor[at("go", "hot")] is None
    assert m.node_owner[at("go", "hot", "push")] == 1 and t.name[at("go", "hot", "push")] == "reply"
    # a decision's branches are states of its event, with no probability entry
    k = at("go", "cold", "stop")
    assert t.entry[k] == -1 and m.states[t.state[k]] == ("next", "stop")
    # solved by hand: them resists (1 > 0), so push is worth 1 + 0 = 1 > stop 0; go 1 > stay 0
    e = point(m)
    assert e.best_options() == ["go"] and e.value[0].tolist() == [1.0, 0.0]
    assert e.policy() == {"go/hot": ["push"], "go/cold": ["push"], "go/hot/push": ["resist"],
                          "go/cold/push": ["resist"]}


def test_a_later_decision_is_labelled_the_decision_makers_own(tmp_path, juncture):
    f = tmp_path / "small.yaml"
    f.write_text(textwrap.dedent(SMALL))
    done = juncture("evaluate", f)
    assert done.returncode == 0, done.stderr
    lines = done.stdout[done.stdout.index("Later decisions"):].splitlines()
    assert "  go/hot: push  (best choice)" in lines
    assert "  go/hot/push: resist  (choice of Them)" in lines


# --------------------------------------------------------------------------------------------
# Misuse: one message each, at the place it names

WILDCATTER = EVENTS.read_text()
DECISION_LINE = "    mode: decision\n"
RUMOUR = ("  - id: rumour\n    depends_on: [oil]\n    states: {a: {}, b: {}}\n"
          "    probability: {'*': {a: 0.5, b: 0.5}}\n  - id: drill\n")
MISTAKES = [
    ("probability_table", DECISION_LINE, DECISION_LINE + "    probability: {drill: 0.5, dont_drill: otherwise}\n",
     "probability: {drill", "events[1].probability: 'drill' is a decision (mode: decision): a decision has no "
     "probabilities, the decision maker chooses the state; remove the table, or remove 'mode: decision' to make "
     "it a chance event"),
    ("actor", DECISION_LINE, DECISION_LINE + "    actor: wildcatter\n", "wildcatter\n",
     "events[1].actor: 'drill' is a decision of the decision maker (mode: decision), so it has no 'actor': "
     "remove it; for another actor's choice use 'mode: strategic' with its actor"),
    ("one_state", "states: {drill: {name: drill}, dont_drill: {name: do not drill}}", "states: {drill: {name: drill}}",
     "{drill: {name: drill}}", "events[1].states: a decision chooses between two or more states; 'drill' has "
     "one (drill): add the alternatives, or make its consequences part of the option"),
    ("hidden_type", DECISION_LINE, DECISION_LINE + "    kind: type\n", "type\n",
     "events[1].kind: 'drill' is a decision of the decision maker (mode: decision), not an actor's hidden type: "
     "remove 'kind'"),
    ("listed_before_unfolds_after", "  - id: drill\n", RUMOUR, "[oil]",
     "events[1].depends_on: 'rumour' is listed before the decision 'drill' but unfolds after it, since it "
     "follows 'oil', listed after 'drill': the decision maker would choose without knowing it. List 'oil' "
     "before 'drill', or 'rumour' after it"),
    ("no_row_where_an_event_does_not_happen", '      "*": {dry: 0.5, wet: 0.3, soaking: 0.2}           # no test: '
     "the prior\n", "", "closed: {dry: 5/24", "events[2].probability: no probabilities where seismic does not "
     "happen: add that row or a '*' row ('*' is the only key that matches an event that does not happen)"),
    ("row_never_used", "    probability: {closed: 0.24, open: 0.35, diffuse: 0.41}",
     "    depends_on: [option]\n    probability:\n      test: {closed: 0.24, open: 0.35, diffuse: 0.41}\n"
     "      no_test: {closed: 0.24, open: 0.35, diffuse: 0.41}", "no_test: {closed",
     "events[0].probability.no_test: this row is never used: 'seismic' does not happen with option=no_test (see "
     "its 'options' and 'when', and those of the events it depends on); remove it"),
    ("unknown_option", "    options: [test]\n", "    options: [tset]\n", "tset",
     "events[0].options[0]: unknown option 'tset'; did you mean 'test'?"),
    ("no_option", "    options: [test]\n", "    options: []\n", "[]\n",
     "events[0].options: an event under no option never happens: name the options it happens under, or remove "
     "'options' for all of them"),
    ("unknown_state_in_when", "    when: {drill: drill}\n", "    when: {drill: dril}\n", "dril}",
     "events[2].when.drill: unknown state of 'drill' 'dril'; did you mean 'drill'?"),
]


@pytest.mark.parametrize("name, old, new, token, message", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_misuse_is_refused_where_it_is_written(problems, at, name, old, new, token, message):
    assert WILDCATTER.count(old) == 1
    text = WILDCATTER.replace(old, new)
    if name == "actor":
        text = text.replace("criteria:", "actors: {wildcatter: {}}\ncriteria:", 1)
    assert problems(text) == [f"f.yaml:{at(text, token)}: {message}"]


def test_a_decision_that_follows_a_later_listed_event_is_refused(problems, at):
    text = WILDCATTER.replace(DECISION_LINE, DECISION_LINE + "    when: {weather: fair}\n") + \
        "  - {id: weather, states: {fair: {}, foul: {}}, probability: {fair: 0.5, foul: 0.5}}\n"
    assert problems(text) == [
        f"f.yaml:{at(text, '{weather: fair}')}: events[1].when: 'weather' is listed after the decision 'drill' but "
        "unfolds before it, since the decision follows it (through depends_on or when): a decision is taken "
        "knowing the events listed before it, so list 'weather' before 'drill'"]


def test_an_indicator_or_a_signal_about_a_decision_is_refused(problems, at):
    text = WILDCATTER + "indicators: [{id: i1, about: drill, likelihood: {drill: 0.5, dont_drill: 0.2}}]\n"
    assert problems(text) == [f"f.yaml:{at(text, 'drill, likelihood')}: indicators[0].about: 'drill' is a decision "
                              "of the decision maker (mode: decision), not uncertain: an indicator bears on a chance "
                              "event"]
    text = WILDCATTER.replace("criteria:", "actors: {rival: {signals: [{id: s1, description: d, kind: cheap_talk, "
                              "response: {drill: dont_drill}}]}}\ncriteria:", 1)
    assert problems(text) == [f"f.yaml:{at(text, 'drill: dont_drill')}: actors.rival.signals[0].response.drill: "
                              "'drill' is a decision of the decision maker: a signal announces an actor's own "
                              "response, not that choice"]


def test_the_command_line_exits_2_with_file_line_col(tmp_path, juncture):
    f = tmp_path / "bad.yaml"
    f.write_text(WILDCATTER.replace(DECISION_LINE, DECISION_LINE + "    probability: {drill: 1, dont_drill: 0}\n"))
    done = juncture("validate", f)
    assert done.returncode == 2
    out = done.stdout + done.stderr
    assert f"{f}:47:5: events[1].probability: 'drill' is a decision (mode: decision)" in out
    assert "Traceback" not in out


# --------------------------------------------------------------------------------------------
# Every analysis on a watch-then-decide scenario


@pytest.fixture(scope="module")
def watch():
    return compile_scenario(load(WATCH))


def test_watch_then_decide_by_the_policy_it_gives(watch):
    # the rival is resolute with chance 8/11 once the warning is seen and 1/7 when it is not (Bayes'
    # rule in the file's header); striking pays off against a bluffer and not against a resolute rival
    e = point(watch)
    assert e.policy() == {"wait_and_watch/seen": ["hold"], "wait_and_watch/unseen": ["strike"]}
    assert watch.node_owner[watch.tree.decisions].tolist() == [0, 0, 0]     # root, then `later` twice


def _same(m, theta):
    fast, full = evaluate(m, theta), evaluate(m, theta, keep_nodes=True)
    for f in ("expected", "value", "utility", "certainty_equivalent", "risk", "state_probability", "best",
              "choice", "tied"):
        np.testing.assert_allclose(np.asarray(getattr(fast, f), float), np.asarray(getattr(full, f), float),
                                   rtol=1e-9, atol=1e-9, err_msg=f)
    for a in full.actor_value:
        np.testing.assert_allclose(fast.actor_value[a], full.actor_value[a], rtol=1e-9, atol=1e-9, err_msg=a)


def test_the_merged_plan_gives_the_full_trees_answers(watch):
    plan = merged_plan(watch)
    assert plan is not None and plan.n_classes < watch.tree.n      # 22 classes for 72 nodes
    _same(watch, draw(watch, 300, seed=7))
    risky = compile_scenario(dataclasses.replace(load(WATCH), utility=model.io.Utility(kind="exponential",
                                                                                       risk_tolerance=0.2)))
    _same(risky, draw(risky, 200, seed=5))


def test_voi_values_the_watched_events_and_not_the_decision(watch):
    e = voi.evpi_events(watch)
    # the warning comes before the later decision and the resolve after it: both are revealed
    assert set(e.value) == {"warning", "rival_type", "spillover"}
    assert e.values()["rival_type"] > e.values()["warning"] > 0
    assert "later decision" in e.left_out["later"]


@pytest.mark.parametrize("args", [
    ("simulate", "--samples", "200"), ("sensitivity",), ("sensitivity", "--kind", "thresholds"),
    ("voi", "--samples", "200"), ("update",), ("ladder",), ("matrix", "--kind", "responses"), ("tree",),
    ("critique", "--samples", "300"), ("compare",)], ids=lambda a: "-".join(a))
def test_every_command_runs_on_a_scenario_with_a_later_decision(juncture, args):
    done = juncture(args[0], WATCH, *args[1:])
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_update_on_an_indicator_then_evaluate(tmp_path, juncture):
    out = tmp_path / "updated.yaml"
    done = juncture("update", WATCH, "--observe", "unrest_abroad=seen", "-o", out)
    assert done.returncode == 0, done.stderr
    # P(spreads) 0.3 x 0.7 / (0.3 x 0.7 + 0.7 x 0.2) = 0.21 / 0.35 = 0.6
    m = compile_scenario(load(out))
    assert m.params.point[m.params.index("events.spillover.probability.contained")] == pytest.approx(0.4)
    assert point(m).policy() == point(compile_scenario(load(WATCH))).policy()


def test_the_reports_later_decisions_name_the_decision_and_its_states():
    from model.report.recipes import Inputs
    from model.report.sections import later_decisions

    ctx = Inputs(load(WATCH))
    assert later_decisions(ctx, ctx.point.policy()) == [
        ["Hold and watch / Warning seen while watching: seen → Decision after watching", "Us (the decision maker)",
         "keep holding"],
        ["Hold and watch / Warning seen while watching: unseen → Decision after watching",
         "Us (the decision maker)", "strike after all"]]
