"""The decision tree drawing: one marker per node, the best policy emphasised, no text on text."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from conftest import LOTTERY, OIL, drawn, evaluation

from model import treeview
from model.compile import compile_scenario
from model.evaluate import point
from model.io import loads
from model.plots import decision_tree
from model.plots.tree import _geometry, _headers, _texts, auto_depth


def _markers(ax) -> dict[str, int]:
    return {c.get_gid().split(":")[1]: len(c.get_offsets()) for c in ax.collections
            if (c.get_gid() or "").startswith("nodes:")}


def _lines(ax, gid):
    (col,) = [c for c in ax.collections if c.get_gid() == gid]
    return col


def _overlaps(ax, tol_px: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of texts of the tree whose boxes overlap (legend and title excluded)."""
    r = drawn(ax)
    texts = [t for t in ax.texts if t.get_text() and t.get_gid() not in (None, "subtitle")]
    boxes = np.array([t.get_window_extent(r).extents for t in texts])  # x0, y0, x1, y1
    x0, y0, x1, y1 = (boxes[:, i] for i in range(4))
    ox = np.minimum(x1[:, None], x1[None, :]) - np.maximum(x0[:, None], x0[None, :])
    oy = np.minimum(y1[:, None], y1[None, :]) - np.maximum(y0[:, None], y0[None, :])
    hit = (ox > tol_px) & (oy > tol_px)
    np.fill_diagonal(hit, False)
    i, j = np.nonzero(np.triu(hit))
    return [(texts[a].get_text(), texts[b].get_text()) for a, b in zip(i, j)]


# ------------------------------------------------------------------------------------ Texaco
def test_texaco_one_marker_per_node_by_kind(texaco):
    ax = decision_tree(texaco)
    recs = treeview.tree_records(texaco)
    assert _markers(ax) == dict(Counter(r["kind"] for r in recs))
    assert sum(_markers(ax).values()) == texaco.model.tree.n == 14
    assert _markers(ax) == {"decision": 2, "chance": 3, "terminal": 9}
    shapes = {c.get_gid(): c.get_label() for c in ax.collections if (c.get_gid() or "").startswith("nodes:")}
    assert shapes == {"nodes:decision": "decision", "nodes:chance": "chance", "nodes:terminal": "end"}


def test_texaco_best_policy_is_emphasised(texaco):
    ax = decision_tree(texaco)
    best, other = _lines(ax, "best"), _lines(ax, "branches")
    assert best.get_label() == "best"
    assert best.get_linewidth()[0] > 2 * other.get_linewidth()[0]
    # counteroffer, then refuse Texaco's 3bn: 11 branches; accept_2bn and accept_3bn are not taken
    assert len(best.get_segments()) == 11 and len(other.get_segments()) == 2
    bold = {t.get_text() for t in ax.texts if t.get_gid() == "branch-label" and t.get_fontweight() == "bold"}
    plain = {t.get_text() for t in ax.texts if t.get_gid() == "branch-label"} - bold
    assert plain == {"accept_2bn", "accept_3bn"}
    assert {"counteroffer_5bn", "refuse", "counteroffers_3bn"} <= bold


def test_texaco_probabilities_values_and_payoffs_as_written(texaco):
    ax = decision_tree(texaco)
    by_gid: dict[str, list[str]] = {}
    for t in ax.texts:
        by_gid.setdefault(t.get_gid(), []).append(t.get_text())
    # branch ids are the analyst's, probabilities from the file (0.33 is its `otherwise`)
    assert {"accept_2bn", "counteroffer_5bn", "accepts", "refuses", "counteroffers_3bn"} <= set(by_gid["branch-label"])
    assert sorted(by_gid["branch-p"]) == sorted(["p = 0.17", "p = 0.5", "p = 0.33"] + ["p = 0.2", "p = 0.5", "p = 0.3"] * 2)
    # Clemen & Reilly's rollback: 4.63 at the root, 4.56 at each court node
    assert "EV 4.63" in by_gid["node-value"]
    assert by_gid["node-value"].count("EV 4.56") == 3
    assert sorted(by_gid["end-value"]) == sorted(["2.00", "5.00", "10.30", "5.00", "0.00", "3.00", "10.30", "5.00", "0.00"])
    assert "payoff in USD bn" in next(t.get_text() for t in ax.texts if t.get_gid() == "subtitle")


def test_texaco_no_text_overlaps(texaco):
    assert _overlaps(decision_tree(texaco)) == []


def test_tidy_layout_parents_centred_over_children(texaco):
    recs = treeview.tree_records(texaco)
    headers = _headers(recs)
    g = _geometry(recs, _texts(texaco, recs, True, headers), headers, 10.5)
    kids: dict[int, list[int]] = {}
    for r in recs:
        kids.setdefault(r["parent"], []).append(r["id"])
    for r in recs:
        ks = kids.get(r["id"])
        if ks:
            assert g["y"][r["id"]] == pytest.approx((g["y"][ks[0]] + g["y"][ks[-1]]) / 2)
        if r["parent"] >= 0:
            assert g["x"][r["depth"]] > g["x"][r["depth"] - 1]
    # leaves keep their order top to bottom
    leaves = [r["id"] for r in recs if not kids.get(r["id"])]
    ys = [g["y"][i] for i in leaves]
    assert ys == sorted(ys) and min(np.diff(ys)) > 0


# ---------------------------------------------------------------------------------- Venezuela
def test_venezuela_depth_3_markers_and_collapsed_nodes(venezuela):
    ax = decision_tree(venezuela, depth=3)
    recs = treeview.tree_records(venezuela, depth=3)
    assert len(recs) == 1 + 4 + 12 + 24
    assert _markers(ax) == {"decision": 13, "chance": 28}    # the militia decides at depth 2
    (chance,) = [c for c in ax.collections if c.get_gid() == "nodes:chance"]
    white = (chance.get_facecolors()[:, :3] == 1).all(axis=1)
    assert white.sum() == 24                                  # the collapsed nodes are hollow
    hidden = [t.get_text() for t in ax.texts if t.get_gid() == "collapsed-value"]
    assert len(hidden) == 24 and all(t.endswith("(116 nodes below)") for t in hidden)


def test_venezuela_best_policy_is_status_quo(venezuela):
    ax = decision_tree(venezuela, depth=3)
    best = _lines(ax, "best")
    assert len(best.get_segments()) == 1 + 3 + 3             # status_quo, its chance branches, the militia's choices
    bold = [t.get_text() for t in ax.texts if t.get_gid() == "branch-label" and t.get_fontweight() == "bold"]
    assert bold[0] == "status_quo" and "strikes" not in bold
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "branch-label"][:4]
    assert labels == ["strikes", "special_operation", "seize_infrastructure", "status_quo"][:4] or \
        set(venezuela.model.options) <= {t.get_text() for t in ax.texts if t.get_gid() == "branch-label"}


def test_venezuela_collapses_itself_and_fits_a_slide(venezuela):
    assert auto_depth(venezuela, 40) == 3
    ax = decision_tree(venezuela)
    assert sum(_markers(ax).values()) == 41
    # shrunk to fit a 16:9 slide (13.33 x 7.5 in), its smallest text is still 9 pt or more
    w, h = ax.get_figure().get_size_inches()
    assert min(t.get_fontsize() for t in ax.texts) * min(1.0, 13.33 / w, 7.5 / h) >= 9
    names = [t.get_text() for t in ax.texts if t.get_gid() == "column-name"]
    assert names == ["option", "venezuelan_military_response", "militia_mobilisation (militia)", "russia_type"]
    assert _overlaps(ax) == []


def test_a_few_hundred_nodes_without_overlaps(venezuela):
    ax = decision_tree(venezuela, depth=5, payoffs=False)
    assert sum(_markers(ax).values()) == 233
    assert _overlaps(ax) == []


def test_multi_criteria_payoffs_on_request(venezuela):
    ax = decision_tree(venezuela, depth=1, payoffs=True)
    pay = [t.get_text() for t in ax.texts if t.get_gid() == "branch-payoff"]
    assert len(pay) == 4
    assert "cost +44.17" not in pay[2] and "us_casualties +137" in pay[2]   # 136.667, 3 figures
    assert _overlaps(ax) == []
    sub = next(t.get_text() for t in decision_tree(venezuela, depth=1).texts if t.get_gid() == "subtitle")
    assert "payoffs on 7 criteria not written" in sub


# ------------------------------------------------------------------------------------ others
def test_oil_wildcatter_later_decisions_and_payoffs():
    ev = evaluation(OIL)
    ax = decision_tree(ev)
    recs = treeview.tree_records(ev)
    assert sum(_markers(ax).values()) == len(recs)
    pays = [t.get_text() for t in ax.texts if t.get_gid() == "branch-payoff"]
    assert "pays -10" in pays
    assert _overlaps(ax) == []


def test_risk_attitude_shows_certainty_equivalents():
    ax = decision_tree(evaluation(LOTTERY))
    values = [t.get_text() for t in ax.texts if t.get_gid() == "node-value"]
    assert values and all(v.startswith("CE ") for v in values)


def test_tied_options_are_both_emphasised_and_marked():
    text = """\
scenario: {id: tie, title: Tie}
criteria: [{id: cost, direction: min, unit: USD}]
options:
  - {id: left, impacts: {cost: 1}}
  - {id: right, impacts: {cost: 1}}
  - {id: worse, impacts: {cost: 2}}
"""
    ev = point(compile_scenario(loads(text, "tie.yaml")))
    ax = decision_tree(ev)
    assert len(_lines(ax, "best").get_segments()) == 2
    assert sum("(tie)" in t.get_text() for t in ax.texts) == 2


def test_depth_zero_draws_the_root_alone(texaco):
    ax = decision_tree(texaco, depth=0)
    assert _markers(ax) == {"decision": 1}
    assert len(_lines(ax, "best").get_segments()) == 0


def test_another_actors_decision_is_named_with_its_actor():
    from conftest import REPO

    ax = decision_tree(evaluation(REPO / "scenarios/reference/entry_deterrence.yaml"))
    names = [t.get_text() for t in ax.texts if t.get_gid() in ("column-name", "node-name")]
    assert names == ["entry", "response (incumbent)"]        # the entrant decides; no actor shown for it
