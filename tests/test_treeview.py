"""Tree views: records, text, DOT, Mermaid and JSON of a rolled-back tree at one sample."""

from __future__ import annotations

import dataclasses
import json
import math
import re
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from model import treeview as tv
from model.compile import compile_scenario
from model.evaluate import evaluate, point
from model.io import load, loads

from games import strategic_reply
from paths import VENEZUELA_FROZEN

REPO = Path(__file__).resolve().parents[1]
TEXACO = REPO / "scenarios/reference/texaco_pennzoil.yaml"
OIL = REPO / "scenarios/reference/oil_wildcatter.yaml"


def _ev(path: Path):
    return point(compile_scenario(load(str(path))))


@pytest.fixture(scope="module")
def texaco():
    return _ev(TEXACO)


@pytest.fixture(scope="module")
def venezuela():
    """The frozen copy of the Venezuela scenario (its node counts are pinned below)."""
    return _ev(VENEZUELA_FROZEN)


def _line(text: str, label: str) -> str:
    """The first line whose branch is `label`."""
    for ln in text.splitlines():
        if re.search(rf"(─|-)(★|\*)? {re.escape(label)}(\s|$)", ln):
            return ln
    raise AssertionError(f"no line for {label!r} in\n{text}")


# ------------------------------------------------------------------------------------------ records
def test_records_texaco_values_and_policy(texaco):
    recs = tv.tree_records(texaco)
    assert len(recs) == texaco.model.tree.n
    by_label = {r["label"]: r for r in recs if r["label"] not in ("high", "mid", "low")}
    root = recs[0]
    assert (root["id"], root["parent"], root["kind"], root["name"]) == (0, -1, "decision", "respond")
    assert root["value"] == pytest.approx(4.6348)
    assert by_label["counteroffer_5bn"]["best"] and by_label["counteroffer_5bn"]["chosen"]
    assert not by_label["accept_2bn"]["best"]
    assert by_label["refuse"]["best"] and not by_label["accept_3bn"]["best"]
    assert by_label["accepts"]["p"] == pytest.approx(0.17)
    assert by_label["counteroffers_3bn"]["p"] == pytest.approx(0.33)     # the `otherwise` entry
    assert by_label["accept_2bn"]["p"] is None                          # below a decision
    assert by_label["accept_2bn"]["payoff"] == {"payoff": 2.0}
    assert by_label["counteroffer_5bn"]["payoff"] == {}
    # depth first: every node comes after its parent, children in order
    seen = set()
    for r in recs:
        assert r["parent"] in seen or r["parent"] == -1
        seen.add(r["id"])


def test_texaco_risk_profile_from_leaf_reach(texaco):
    leaves = [r for r in tv.tree_records(texaco) if r["kind"] == "terminal"]
    assert sum(r["reach"] for r in leaves) == pytest.approx(1.0)
    profile = defaultdict(float)
    for r in leaves:
        if r["reach"] > 0:
            profile[round(r["consequence"]["payoff"], 6)] += r["reach"]
    assert dict(profile) == pytest.approx({0.0: 0.249, 5.0: 0.585, 10.3: 0.166})
    # given its option, accept_2bn is reached for sure; under the policy never
    a = next(r for r in leaves if r["label"] == "accept_2bn")
    assert a["reach_option"] == 1.0 and a["reach"] == 0.0 and not a["on_path"]


def test_oil_wildcatter_policy_and_payoffs():
    ev = _ev(OIL)
    recs = tv.tree_records(ev)
    leaves = [r for r in recs if r["kind"] == "terminal"]
    assert sum(r["reach"] for r in leaves) == pytest.approx(1.0)
    test = next(r for r in recs if r["label"] == "test")
    assert test["best"] and test["payoff"] == {"payoff": -10.0} and test["value"] == pytest.approx(22.5)
    # in the diffuse branch the policy is not to drill; dry after a test costs 80 in all
    diffuse = next(r for r in recs if r["label"] == "diffuse")
    kids = [r for r in recs if r["parent"] == diffuse["id"]]
    assert [k["label"] for k in kids if k["best"]] == ["dont_drill"]
    assert kids[-1]["reach"] == pytest.approx(0.41)
    dry = next(r for r in recs if r["label"] == "dry" and r["reach"] > 0)
    assert dry["consequence"] == {"payoff": -80.0} and dry["payoff"] == {"payoff": -70.0}


def test_minimised_cost_shown_in_its_unit(minimal):
    ev = point(compile_scenario(loads(minimal, "m.yaml")))
    recs = tv.tree_records(ev)
    assert recs[0]["value"] == pytest.approx(1.0)         # wait costs 1: shown as 1, not -1
    assert recs[0]["utility"] == pytest.approx(-1.0)
    strikes = next(r for r in recs if r["label"] == "strikes")
    assert strikes["value"] == pytest.approx(4.0) and not strikes["best"]


def test_exponential_utility_shows_certainty_equivalent():
    ev = _ev(REPO / "scenarios/reference/exponential_lottery.yaml")
    recs = tv.tree_records(ev)
    # the file's header: CE of the lottery = -100 ln(1 - 0.5 (1 - e^-1)) = 37.99 > the sure 35
    assert recs[0]["value"] == pytest.approx(-100 * math.log(1 - 0.5 * (1 - math.exp(-1))))
    assert tv.render_text(ev).startswith("□ choose  CE ")


TIED = """\
scenario: {id: tied, title: Two options worth the same}
criteria: [{id: payoff, direction: max}]
tree:
  decision: pick
  options:
    left:
      chance: coin
      branches: {heads: {p: 0.5, payoff: 2}, tails: {p: 0.5, payoff: 0}}
    right: {payoff: 1}
"""


def test_ties_marked_best_but_reach_follows_one_choice():
    ev = point(compile_scenario(loads(TIED, "tied.yaml")))
    recs = tv.tree_records(ev)
    opts = [r for r in recs if r["parent"] == 0]
    assert all(r["best"] and r["tied"] for r in opts)
    assert sum(r["chosen"] for r in opts) == 1
    assert sum(r["reach"] for r in recs if r["kind"] == "terminal") == pytest.approx(1.0)
    text = tv.render_text(ev)
    assert "★ left  (tie)" in text and "★ right  (tie)" in text


def test_evaluation_at_other_values_is_shown_at_its_theta(texaco):
    m = texaco.model
    theta = m.params.point.copy()
    theta[m.params.index("tree.counteroffer_5bn.accepts.p")] = 0.4
    ev = evaluate(m, theta[None, :], keep_nodes=True)
    recs = tv.tree_records(ev)                                  # the evaluation's own theta
    assert next(r for r in recs if r["label"] == "accepts")["p"] == pytest.approx(0.4)
    assert sum(r["reach"] for r in recs if r["kind"] == "terminal") == pytest.approx(1.0)
    many = evaluate(m, np.stack([m.params.point, theta]), keep_nodes=True)
    # counteroffer: 0.4 x 5 + (0.5 + 0.1) x court 4.56 = 4.736 (the file's header, accepts at 0.4)
    assert tv.tree_records(many, sample=1)[0]["value"] == pytest.approx(0.4 * 5 + 0.6 * 4.56)
    assert tv.tree_records(many, sample=0)[0]["value"] == pytest.approx(4.6348)
    # without its theta, an evaluation made elsewhere than the point values is refused
    bare = dataclasses.replace(ev, theta=None)
    with pytest.raises(ValueError, match="theta"):
        tv.tree_records(bare)
    assert next(r for r in tv.tree_records(bare, theta=theta) if r["label"] == "accepts")["p"] == 0.4
    with pytest.raises(ValueError, match="theta"):
        tv.tree_records(dataclasses.replace(many, theta=None), sample=1)


def test_needs_node_values(texaco):
    with pytest.raises(ValueError, match="keep_nodes"):
        tv.tree_records(point(texaco.model, keep_nodes=False))


# --------------------------------------------------------------------------------------------- text
def test_texaco_text(texaco):
    text = tv.render_text(texaco)
    lines = text.splitlines()
    assert len(lines) == texaco.model.tree.n
    assert lines[0] == "□ respond  EV 4.63"
    assert _line(text, "counteroffer_5bn").startswith("└─★ counteroffer_5bn")
    assert "○ texaco_reaction  EV 4.63" in _line(text, "counteroffer_5bn")
    assert _line(text, "accept_2bn").startswith("├─ accept_2bn")
    assert "★" in _line(text, "refuse") and "★" not in _line(text, "accept_3bn")
    assert "p=0.17" in _line(text, "accepts") and "P(reach)=0.17" in _line(text, "accepts")
    assert "□ second_response  EV 4.56" in _line(text, "counteroffers_3bn")
    assert sum("△" in ln for ln in lines) == len(texaco.model.tree.leaves)
    assert "P(reach)=0.066" in text and "P(reach)=0.099" in text
    assert tv.render_text(texaco, unit="USD bn").splitlines()[0] == "□ respond  EV 4.63 USD bn"


def test_text_indentation_is_a_tree(texaco):
    lines = tv.render_text(texaco).splitlines()
    # the refuses subtree is drawn with a bar, as counteroffers_3bn follows it
    i = next(k for k, ln in enumerate(lines) if "refuses" in ln)
    assert lines[i + 1].startswith("   │  ├─ high")
    assert lines[-1].startswith("         └─ low")


def test_ascii_text(texaco):
    text = tv.render_text(texaco, ascii=True, depth=2)
    assert text.isascii()
    assert "`-* counteroffer_5bn" in text and "... 3 nodes below" in text


def test_payoff_shown_where_it_is_not_the_value():
    text = tv.render_text(_ev(OIL))
    assert "pays -10" in _line(text, "test")
    assert "pays -70" in text and "△ -80.00" in text
    assert "pays 0" not in text


# --------------------------------------------------------------------------------------- collapsing
def test_depth_collapse_venezuela(venezuela):
    t = venezuela.model.tree
    assert t.n == 2825
    recs = tv.tree_records(venezuela, depth=2)
    assert len(recs) == 1 + 4 + 12                                   # root, options, their children
    assert [r["depth"] for r in recs].count(1) == 4
    assert len(recs) + sum(r["hidden"] for r in recs) == t.n
    assert {r["hidden"] for r in recs if r["depth"] == 2} == {234}
    assert all(r["hidden"] == 0 and r["children"] > 0 for r in recs if r["depth"] < 2)
    assert sum(r["reach"] for r in recs if r["depth"] == 2) == pytest.approx(1.0)
    text = tv.render_text(venezuela, depth=2)
    assert len(text.splitlines()) == 17 and text.count("… 234 nodes below") == 12
    root_only = tv.tree_records(venezuela, depth=0)
    assert len(root_only) == 1 and root_only[0]["hidden"] == t.n - 1
    assert len(tv.tree_records(venezuela, depth=99)) == t.n


def test_collapse_on_leaves_hides_nothing(texaco):
    recs = tv.tree_records(texaco, depth=1)
    assert [r["hidden"] for r in recs] == [0, 0, 11]
    with pytest.raises(ValueError):
        tv.tree_records(texaco, depth=-1)


# ---------------------------------------------------------------------------------------------- DOT
def _dot_nodes(dot: str) -> list[str]:
    return re.findall(r"^\s*(n\d+) \[", dot, flags=re.M)


@pytest.mark.parametrize("depth", [None, 1, 2, 3])
def test_dot_structure(texaco, venezuela, depth):
    for ev in (texaco, venezuela):
        recs = tv.tree_records(ev, depth=depth)
        dot = tv.to_dot(ev, depth=depth)
        assert dot.startswith("digraph juncture {") and dot.endswith("}")
        body = re.sub(r'"(?:[^"\\]|\\.)*"', '""', dot)              # braces inside strings don't count
        assert body.count("{") == body.count("}") == 1
        assert _dot_nodes(dot) == [f"n{r['id']}" for r in recs]
        edges = re.findall(r"^\s*n(\d+) -> n(\d+) \[(.*)\];$", dot, flags=re.M)
        assert len(edges) == len(recs) - 1
        assert {(int(a), int(b)) for a, b, _ in edges} == {(r["parent"], r["id"]) for r in recs[1:]}
        assert dot.count("shape=triangle") == sum(r["kind"] == "terminal" for r in recs)
        assert dot.count("shape=box") == sum(r["kind"] == "decision" for r in recs)
        assert sum("penwidth=2" in a for *_, a in edges) == sum(r["best"] for r in recs)


def test_dot_escapes_labels():
    text = TIED.replace("title: Two options worth the same", 'title: "Say \\"yes\\" or C:\\\\temp {x}"')
    ev = point(compile_scenario(loads(text, "tied.yaml")))
    dot = tv.to_dot(ev)
    assert 'label="Say \\"yes\\" or C:\\\\temp {x}";' in dot
    assert tv._dot_quote('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'


# ------------------------------------------------------------------------------------------ Mermaid
@pytest.mark.parametrize("depth", [None, 2])
def test_mermaid_structure(texaco, venezuela, depth):
    for ev in (texaco, venezuela):
        recs = tv.tree_records(ev, depth=depth)
        mm = tv.to_mermaid(ev, depth=depth)
        lines = mm.splitlines()
        assert lines[0] == "flowchart LR"
        nodes = re.findall(r"^\s*(n\d+)(\[|\(\(|>)\"", mm, flags=re.M)
        assert [n for n, _ in nodes] == [f"n{r['id']}" for r in recs]
        shapes = {"decision": "[", "chance": "((", "terminal": ">"}
        assert [s for _, s in nodes] == [shapes[r["kind"]] for r in recs]
        assert mm.count("==>") == sum(r["best"] for r in recs)
        assert mm.count("-->") + mm.count("==>") == len(recs) - 1
        assert all(re.fullmatch(r"n\d+", n) for n, _ in nodes)


def test_mermaid_escapes_labels():
    assert tv._mermaid_quote('a "b" #1 <x> | y\nz') == '"a #quot;b#quot; #35;1 #lt;x#gt; #124; y<br/>z"'


# --------------------------------------------------------------------------------------------- JSON
def _count(node: dict) -> int:
    return 1 + sum(_count(c) for c in node["children"])


@pytest.mark.parametrize("depth", [None, 2])
def test_json_round_trip(texaco, venezuela, depth):
    for ev in (texaco, venezuela):
        recs = tv.tree_records(ev, depth=depth)
        data = json.loads(tv.to_json(ev, depth=depth))
        assert _count(data) == len(recs)
        for key in ("id", "kind", "name", "label", "p", "payoff", "value", "reach", "best", "children"):
            assert key in data
        assert data["id"] == 0 and data["value"] == pytest.approx(recs[0]["value"])


def test_json_texaco_content(texaco):
    data = json.loads(tv.to_json(texaco))
    assert data["name"] == "respond" and data["value"] == pytest.approx(4.6348)
    accept, counter = data["children"]
    assert accept["label"] == "accept_2bn" and not accept["best"] and accept["payoff"] == {"payoff": 2.0}
    assert counter["best"] and counter["children"][0]["p"] == pytest.approx(0.17)
    assert "NaN" not in tv.to_json(texaco, indent=None)


# ---------------------------------------------------------------------------------------------- speed
def test_thousands_of_nodes_fast(venezuela):
    t0 = time.perf_counter()
    tv.render_text(venezuela)
    tv.to_dot(venezuela)
    tv.to_mermaid(venezuela)
    tv.to_json(venezuela)
    assert time.perf_counter() - t0 < 5.0


# ------------------------------------------------------------------------------ other players' choices
ENTRY = REPO / "scenarios/reference/entry_deterrence.yaml"
THREE = REPO / "scenarios/reference/three_player_chance.yaml"


def _entry(fight_to_entrant: float = -1, fight_to_incumbent: float = -1):
    """Entry deterrence with the payoffs of (enter, fight) changed: (entrant, incumbent)."""
    text = ENTRY.read_text().replace("fight: {payoff: -1, actor_payoffs: {incumbent: -1}}",
                                     f"fight: {{payoff: {fight_to_entrant}, actor_payoffs: "
                                     f"{{incumbent: {fight_to_incumbent}}}}}")
    return compile_scenario(loads(text, "entry.yaml"))


def _by_label(recs):
    return {r["label"]: r for r in recs}


def test_an_actors_decision_is_judged_on_its_own_values():
    # fight pays the entrant 5 but the incumbent -1 < accommodate 2: the incumbent accommodates.
    # Judged on the entrant's values (the old bug) fight 5 >= accommodate 1 showed "★ fight (tie)".
    ev = point(_entry(fight_to_entrant=5))
    recs = _by_label(tv.tree_records(ev))
    fight, acc = recs["fight"], recs["accommodate"]
    assert not fight["best"] and not fight["tied"] and not fight["chosen"]
    assert acc["best"] and acc["chosen"] and not acc["tied"]
    assert (fight["owner_value"], acc["owner_value"]) == (-1.0, 2.0)
    assert fight["chooser"] == acc["chooser"] == "incumbent"
    assert recs["enter"]["owner"] == "incumbent" and recs[""]["owner"] == "entrant"
    assert (fight["reach"], acc["reach"]) == (0.0, 1.0)
    # the entrant: enter 1 (accommodated) > stay_out 0
    assert recs["enter"]["best"] and recs["enter"]["value"] == 1.0
    text = tv.render_text(ev)
    assert "(tie)" not in text
    assert "└─★ enter  □ response (incumbent)  EV 1.00" in text
    # the incumbent's own choice excludes fight: no P(reach)=0 beside it (issue 15)
    assert _line(text, "fight") == "   ├─ fight  △ 5.00  incumbent: -1.00"
    assert recs["fight"]["excluded"] and not recs["accommodate"]["excluded"]
    assert _line(text, "accommodate") == "   └─★ accommodate  △ 1.00  incumbent: 2.00  P(reach)=1"
    assert text.splitlines()[0] == "□ entry  EV 1.00"          # the decision maker's own: no owner


def test_an_actors_tie_is_a_tie_of_its_own_values():
    # the incumbent gets 2 either way: a tie for it, broken in the entrant's favour (fight pays it 5)
    ev = point(_entry(fight_to_entrant=5, fight_to_incumbent=2))
    recs = _by_label(tv.tree_records(ev))
    assert recs["fight"]["best"] and recs["fight"]["tied"] and recs["fight"]["chosen"]
    assert recs["accommodate"]["best"] and recs["accommodate"]["tied"] and not recs["accommodate"]["chosen"]
    assert recs["fight"]["reach"] == 1.0 and recs["enter"]["value"] == 5.0
    text = tv.render_text(ev)
    assert "★ fight  (tie)" in text and "★ accommodate  (tie)" in text


def test_a_logit_choice_reaches_every_branch_with_its_probability():
    # lambda = ln(3)/3: the incumbent's values -1 and 2 differ by 3, so P(accommodate)/P(fight) =
    # exp(3 lambda) = 3: fight 0.25, accommodate 0.75. The entrant: enter = 0.25 (-1) + 0.75 (1) =
    # 0.5 > stay_out 0. Before the fix fight showed P(reach)=0.
    from model.analysis.strategic import with_rationality

    ev = point(with_rationality(compile_scenario(load(str(ENTRY))), math.log(3) / 3))
    recs = tv.tree_records(ev)
    by = _by_label(recs)
    assert by["fight"]["reach"] == pytest.approx(0.25) and by["fight"]["choice_p"] == pytest.approx(0.25)
    assert by["accommodate"]["reach"] == pytest.approx(0.75) and by["accommodate"]["choice_p"] == pytest.approx(0.75)
    assert by["fight"]["p"] is None                                  # not a chance branch
    assert by["accommodate"]["best"] and by["accommodate"]["on_path"] and not by["fight"]["on_path"]
    assert sum(r["reach"] for r in recs if r["kind"] == "terminal") == pytest.approx(1.0)
    assert by["enter"]["value"] == pytest.approx(0.5)
    text = tv.render_text(ev)
    assert _line(text, "fight") == "   ├─ fight  p=0.25  △ -1.00  incumbent: -1.00  P(reach)=0.25"
    assert _line(text, "accommodate") == "   └─★ accommodate  p=0.75  △ 1.00  incumbent: 2.00  P(reach)=0.75"
    assert "fight\\np=0.25" in tv.to_dot(ev) and '"fight p=0.25"' in tv.to_mermaid(ev)


def test_three_players_each_judged_on_its_own_payoffs():
    # scenarios/reference/three_player_chance.yaml: Bob takes b2 (4 > 2) though Ann prefers b1
    # (3 > 1); Cat takes c2 (3 > 2), z2 (1 > 0); Bob takes x (1 > y's 0). Ann goes right (2 > 0.6).
    ev = point(compile_scenario(load(str(THREE))))
    recs = tv.tree_records(ev)
    best = {r["label"] for r in recs if r["best"]}
    assert best == {"b2", "c2", "right", "x", "z2"}
    assert not any(r["tied"] for r in recs)
    by = _by_label(recs)
    assert by["y"]["owner_value"] == 0.0 and by["y"]["chooser"] == "bob" and by["y"]["owner"] == "cat"
    assert by["x"]["actor_values"] == {"bob": 1.0, "cat": 5.0}
    assert by["left"]["actor_values"] == pytest.approx({"bob": 3.6, "cat": 1.2})
    assert by["left"]["chooser"] is None and by["good"]["chooser"] is None   # Ann's and nature's
    reached = {r["label"]: r["reach"] for r in recs if r["kind"] == "terminal" and r["reach"] > 0}
    assert reached == {"x": 1.0}
    text = tv.render_text(ev)
    assert "□ bob_after_good (bob)  EV 1.00" in text and "□ cat_move (cat)  EV -1.00  bob: 0.00" in text
    data = json.loads(tv.to_json(ev))
    right = data["children"][1]
    assert right["owner"] == "bob" and right["children"][0]["owner_value"] == 1.0


def test_events_form_strategic_event_owner_and_best_reply():
    # them's payoffs a 0, b 1, c 2: it picks c whatever us (which would like b: 6) gets
    ev = point(compile_scenario(loads(strategic_reply(), "s.yaml")))
    recs = tv.tree_records(ev)
    under_act = [r for r in recs if r["parent"] == 1]
    assert [r["label"] for r in under_act if r["best"]] == ["c"]
    assert [r["owner_value"] for r in under_act] == [0.0, 1.0, 2.0]
    assert [r["reach"] for r in under_act] == [0.0, 0.0, 1.0]
    assert recs[1]["owner"] == "them" and "□ reply (them)" in tv.render_text(ev)


def test_no_players_no_owner_fields(texaco):
    recs = tv.tree_records(texaco)
    assert all(r["owner"] is None and r["chooser"] is None and r["owner_value"] is None
               and r["choice_p"] is None and r["actor_values"] == {} for r in recs)


# ------------------------------------------------------------------------- `juncture tree` (issue 15)
def test_the_command_shows_three_levels_of_a_large_tree_and_says_what_it_collapsed(capsys):
    from model.cli import main

    assert main(["tree", str(VENEZUELA_FROZEN)]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert max(len(ln) for ln in lines) <= 100
    # root, 4 options, 3 military responses each, 2 militia choices under each: 1 + 4 + 12 + 24 = 41
    # nodes shown; the other 2,825 - 41 = 2,784 are collapsed and the legend says so
    assert sum(1 for ln in lines if re.search(r"[□○△] ", ln)) == 41
    assert "… 2,784 of 2,825 nodes lie below depth 3 and are not shown" in " ".join(text.split())
    # consequences in the criteria's names, three significant digits: strikes' US deaths are a PERT
    # [0, 5, 30], mean (0 + 4 x 5 + 30) / 6 = 8.33; its cost [3, 10], midpoint 6.5
    flat = " ".join(text.split())
    assert "pays US military deaths 8.33," in flat and "Budgetary cost 6.5" in flat
    assert "8.3333" not in text and "us_casualties" not in text
    # the legend explains P(reach), and names the units of the payments
    assert "P(reach): the chance of reaching" in flat and "US military deaths in deaths" in flat
    # strikes is not the root's choice: nothing under it shows P(reach)=0 beside its p=
    strikes = text[text.index("├─ strikes"):text.index("├─ special_operation")]
    assert "P(reach)" not in strikes and "p=0.325" in strikes


def test_the_command_shows_a_textbook_tree_whole_and_depth_all_the_whole_of_any(capsys):
    from model.cli import main

    assert main(["tree", str(REPO / "scenarios/reference/texaco_pennzoil.yaml")]) == 0
    text = capsys.readouterr().out
    assert sum("△" in ln for ln in text.splitlines()) == 9 and "nodes lie below depth" not in text
    assert text.splitlines()[0] == "□ respond  EV 4.63 USD bn"
    assert main(["tree", str(VENEZUELA_FROZEN), "--depth", "all", "--format", "mermaid"]) == 0
    assert len(re.findall(r"(?:-->|==>)\|", capsys.readouterr().out)) == 2825 - 1   # every edge drawn
    assert main(["tree", str(VENEZUELA_FROZEN), "--depth", "lots"]) == 2
    assert "--depth is a number of levels (0 or more) or 'all'" in capsys.readouterr().err


def test_the_json_is_bounded_by_the_same_depth_and_keeps_its_shape(capsys):
    from model.cli import main

    def nodes(o):
        return 1 + sum(nodes(c) for c in o["children"])

    assert main(["tree", str(VENEZUELA_FROZEN), "--format", "json"]) == 0
    out = capsys.readouterr()
    small = json.loads(out.out)
    assert nodes(small) == 41 and "2,784 of 2,825 nodes" in out.err
    assert set(small) == set(tv._JSON_FIELDS) | {"children"}
    assert main(["tree", str(VENEZUELA_FROZEN), "--json", "--depth", "all"]) == 0
    assert nodes(json.loads(capsys.readouterr().out)) == 2825
