"""Scenario diff: two files that differ in one probability, changes listed by kind, ranks that
moved, and the changed input that moved them found by reverting it alone."""

from __future__ import annotations

import numpy as np
import pytest

from model import load, loads
from model.analysis.diff import diff, list_changes

from paths import VENEZUELA_FROZEN

OLD = """\
scenario: {id: d, title: Diff}
sources: {wire: {outlet: A wire, reliability: B}}
evidence: [{id: warning, source: wire, claim: They threaten a response.}]
criteria: [{id: cost, unit: USD bn, direction: min}]
options:
  - {id: strikes, impacts: {cost: 4}}
  - {id: wait, impacts: {cost: 5}}
events:
  - id: response
    depends_on: [option]
    states: {protest: {}, arms: {impacts: {cost: 10}}}
    probability:
      strikes: {protest: 0.95, arms: otherwise}
      wait: {protest: 1, arms: 0}
"""


def pair(old: str, new: str):
    return loads(old, "old.yaml"), loads(new, "new.yaml")


def test_one_probability_changed():
    # old: strikes costs 4 + 0.05 * 10 = 4.5 < wait 5; new (protest 0.7): 4 + 0.3 * 10 = 7 > 5
    d = diff(*pair(OLD, OLD.replace("protest: 0.95", "protest: 0.7")))
    assert [(c.kind, c.name, c.old, c.new) for c in d.changes] == [
        ("number", "events.response.probability.strikes.protest", "0.95", "0.7")]
    assert d.old_ranking == ["strikes", "wait"] and d.new_ranking == ["wait", "strikes"]
    np.testing.assert_allclose(d.old_scores, [-4.5, -5.0])          # utility: minus the expected cost
    np.testing.assert_allclose(d.new_scores, [-7.0, -5.0])
    assert d.moved == {"strikes": (1, 2), "wait": (2, 1)}
    assert d.score_unit == "-USD bn"
    (a,) = d.attributions
    assert a.input == "events.response.probability.strikes" and a.reverted
    # reverting it alone gives the old scores back: it did all of it
    np.testing.assert_allclose(a.scores, d.old_scores)
    np.testing.assert_allclose(a.effect, [-2.5, 0.0])
    assert a.gap_moved == pytest.approx(2.5) and a.restores
    assert d.drivers("strikes") == ["events.response.probability.strikes"]
    j = d.to_dict()
    assert j["ranking"] == {"before": ["strikes", "wait"], "after": ["wait", "strikes"]}
    assert j["moved"]["strikes"] == {"before": 1, "after": 2,
                                     "moved_most_by": ["events.response.probability.strikes"]}


def test_the_entries_of_one_row_are_one_input():
    new = OLD.replace("{protest: 0.95, arms: otherwise}", "{protest: 0.7, arms: 0.3}")
    d = diff(*pair(OLD, new))
    names = [c.name for c in d.changes]
    row = "events.response.probability.strikes"
    assert names == [f"{row}.protest", f"{row}.arms"]
    (a,) = d.attributions
    assert a.changes == tuple(names) and a.reverted
    np.testing.assert_allclose(a.scores, d.old_scores)


def test_the_input_that_moved_the_ranking_most_comes_first():
    # two changes: the probability (moves strikes by 2.5) and wait's cost 5 -> 5.2 (moves wait by 0.2)
    new = OLD.replace("protest: 0.95", "protest: 0.7").replace("cost: 5}", "cost: 5.2}")
    d = diff(*pair(OLD, new))
    inputs = ["events.response.probability.strikes", "options.wait.impacts.cost"]
    assert [a.input for a in d.attributions] == inputs
    assert [a.gap_moved for a in d.attributions] == pytest.approx([2.5, 0.2])
    assert d.drivers("strikes") == inputs
    # reverting the cost alone leaves the new order: it does not restore the old one
    assert [a.restores for a in d.attributions] == [True, False]


def test_evidence_text_and_structural_changes_are_listed_not_reverted():
    new = (OLD.replace("They threaten a response.", "They threaten a strong response.")
              .replace("  - {id: wait, impacts: {cost: 5}}\n",
                       "  - {id: wait, impacts: {cost: 5}}\n  - {id: talk, impacts: {cost: 6}}\n")
              .replace("      wait: {protest: 1, arms: 0}\n", "      wait: {protest: 1, arms: 0}\n"
                       "      talk: {protest: 1, arms: 0}\n"))
    d = diff(*pair(OLD, new))
    kinds = {c.name: c.kind for c in d.changes}
    assert kinds["evidence.warning.claim"] == "text"
    assert kinds["options.talk"] == "added"
    assert kinds["options.talk.impacts.cost"] == "added"
    reasons = {a.input: a.reason for a in d.attributions}
    assert reasons["evidence.warning.claim"].startswith("not evaluated: evidence")
    assert reasons["options.talk"].startswith("structural")
    assert d.moved == {"talk": (None, 3)}
    assert "talk" in d.new_ranking and "talk" not in d.old_ranking


def test_a_changed_direction_is_reverted_as_a_field():
    new = OLD.replace("direction: min", "direction: max")
    d = diff(*pair(OLD, new))
    changes = [(c.kind, c.name, c.old, c.new) for c in d.changes]
    assert changes == [("changed", "criteria.cost.direction", "min", "max")]
    (a,) = d.attributions
    assert a.reverted and a.restores
    np.testing.assert_allclose(a.scores, d.old_scores)


def test_identical_files_differ_in_nothing():
    d = diff(*pair(OLD, OLD))
    assert d.changes == () and d.moved == {} and d.attributions == ()
    assert "the two files say the same" in d.changes_table().notes[0]


def test_venezuela_one_probability():
    old = load(VENEZUELA_FROZEN)
    text = VENEZUELA_FROZEN.read_text()
    row = "special_operation:    {removed: roughly even chance, remains: otherwise}"
    assert row in text
    new = loads(text.replace(row, "special_operation:    {removed: 0.95, remains: otherwise}"), "new.yaml")
    d = diff(old, new)
    assert [c.name for c in d.changes] == ["events.maduro_outcome.probability.special_operation.removed"]
    (a,) = d.attributions
    np.testing.assert_allclose(a.scores, d.old_scores, atol=1e-12)
    # only the raid's paths change, and removal is worth something: its score rises
    raid = d.new_options.index("special_operation")
    assert np.count_nonzero(np.abs(a.effect) > 1e-12) == 1 and a.effect[raid] > 0
    assert d.drivers("special_operation") == [a.input]
    assert a.restores == (d.new_ranking != d.old_ranking)


def test_list_changes_sees_citations_apart_from_values():
    new = OLD.replace("{id: strikes, impacts: {cost: 4}}",
                      "{id: strikes, impacts: {cost: {value: 4, evidence: [warning]}}}")
    (c, _), = list_changes(*pair(OLD, new))
    assert (c.kind, c.name, c.new) == ("cited", "options.strikes.impacts.cost", "warning")


def test_errors_name_the_call():
    with pytest.raises(ValueError, match=r"diff\(\): score must be one of utility, mavt, topsis; got 'eu'"):
        diff(*pair(OLD, OLD), score="eu")


def test_a_diff_shows_as_html_in_notebooks():
    html = diff(*pair(OLD, OLD.replace("protest: 0.95", "protest: 0.7")))._repr_html_()
    assert html.count("<table>") == 3 and "events.response.probability.strikes" in html
