"""Analysis of competing hypotheses (model/analysis/ach.py) on matrices worked by hand.

The conventions checked (Heuer, Psychology of Intelligence Analysis, 1999, ch. 8; PARC ACH 2.0's
weighted inconsistency score): an I counts 1 and an II 2 against a hypothesis, times the item's
weight = credibility factor x relevance factor (high sqrt 2, medium 1, low 1/sqrt 2); a rated
item's diagnosticity is the range of its scores on CC +2 ... II -2; an item with likelihoods, its
largest likelihood over its smallest; the posterior is prior x likelihoods, normalised.
"""

from __future__ import annotations

import math
import textwrap

import pytest
from paths import REPO

from model.analysis.ach import ach
from model.compile import compile_scenario
from model.evaluate import point
from model.io import load, loads

EXAMPLE = REPO / "scenarios" / "reference" / "ach_example.yaml"

# A 3 x 4 matrix by hand: hypotheses A, B, C; four rated items, all medium relevance unless said.
#
#   item  credibility -> grade  relevance  weight           A    B    C    scores         range
#   e1    1 -> high             medium     sqrt 2 = 1.414   C    I    II   +1 -1 -2       3
#   e2    3 -> medium           low        1/sqrt 2 = 0.707 I    I    C    -1 -1 +1       2
#   e3    (none) -> medium      medium     1                N    N    N     0  0  0       0
#   e4    5 -> low              high       1/sqrt2 x sqrt2 = 1  II  CC   C   -2 +2 +1       4
#
#   inconsistency A = e2 0.707 x 1 + e4 1 x 2            = 2.707
#                 B = e1 1.414 x 1 + e2 0.707 x 1        = 2.121
#                 C = e1 1.414 x 2                       = 2.828
#   ranking (least inconsistent first): B, A, C
#   diagnostic order (range, ties in file order): e4 (4), e1 (3), e2 (2), e3 (0)
HAND = textwrap.dedent("""\
    scenario: {id: hand, title: A hand matrix, decision_maker: us}
    sources: {s: {outlet: Wire, reliability: B}}
    evidence:
      - {id: e1, source: s, claim: One., credibility: 1}
      - {id: e2, source: s, claim: Two., credibility: 3}
      - {id: e3, source: s, claim: Three.}
      - {id: e4, source: s, claim: Four., credibility: 5}
    actors: {us: {name: Us}, them: {name: Them}}
    criteria: [{id: payoff}]
    options: [{id: act, impacts: {payoff: 1}}, {id: wait, impacts: {payoff: 0}}]
    events:
      - id: kind
        kind: type
        actor: them
        states: {a: {name: Hypothesis A}, b: {}, c: {}}
        probability: {a: 0.2, b: 0.3, c: 0.5}
        hypotheses:
          ratings:
            e1: {a: C, b: I, c: II}
            e2: {a: I, b: I, c: C}
            e3: {a: N, b: N, c: N}
            e4: {a: II, b: CC, c: C}
          relevance: {e2: low, e4: high}
    """)


def test_a_hand_3x4_matrix_gives_the_weighted_inconsistency_and_diagnosticity_worked_by_hand():
    r = ach(loads(HAND, "hand.yaml"))
    s2 = math.sqrt(2)
    assert r.weight == pytest.approx({"e1": s2, "e2": 1 / s2, "e3": 1.0, "e4": 1.0})
    assert r.inconsistency == pytest.approx({"a": 1 / s2 + 2, "b": s2 + 1 / s2, "c": 2 * s2})
    assert r.inconsistency == pytest.approx({"a": 2.7071, "b": 2.1213, "c": 2.8284}, abs=1e-4)
    assert r.diagnosticity == {"e1": 3.0, "e2": 2.0, "e3": 0.0, "e4": 4.0}
    assert r.items == ("e4", "e1", "e2", "e3")          # most diagnostic first
    assert r.ranking == ("b", "a", "c")                  # least inconsistent first
    assert r.posterior is None and r.prior is None       # ratings are not probabilities
    assert r.names["a"] == "Hypothesis A" and r.names["b"] == "b"


def test_the_example_scenario_matches_its_header_worked_by_hand():
    # scenarios/reference/ach_example.yaml, header: inconsistency P 2, O 0, B 2 sqrt 2; base rates
    # (0.2, 0.5, 0.3) x port_call (0.6, 0.3, 0.1) x media_silence (0.2, 0.5, 0.5) = (0.024, 0.075, 0.015),
    # sum 0.114: posterior (8/38, 25/38, 5/38)
    r = ach(load(EXAMPLE))
    assert r.inconsistency == pytest.approx({"committed_patron": 2.0, "opportunist": 0.0,
                                             "bluffing": 2 * math.sqrt(2)})
    assert r.posterior == pytest.approx({"committed_patron": 8 / 38, "opportunist": 25 / 38, "bluffing": 5 / 38})
    assert r.prior == pytest.approx({"committed_patron": 0.2, "opportunist": 0.5, "bluffing": 0.3})
    assert r.diagnosticity == pytest.approx({"sa_delivery": 3, "missile_remark": 3, "no_personnel": 2,
                                             "respond_statement": 0, "port_call": 6, "media_silence": 2.5})
    assert r.ranking == ("opportunist", "committed_patron", "bluffing")   # by posterior
    # rows by the spread of the colour scale: ranges 3, 3; log2 6 = 2.58; 2; log2 2.5 = 1.32; 0
    assert r.items == ("sa_delivery", "missile_remark", "port_call", "no_personnel", "media_silence",
                       "respond_statement")
    assert r.shade["port_call"] == pytest.approx({"committed_patron": 2.0, "opportunist": 1.0,
                                                  "bluffing": 2 + math.log2(1 / 6)})
    assert r.weight["port_call"] is None and r.kind["port_call"] == "likelihood"


def test_the_posterior_uses_the_events_own_table_as_prior_when_it_has_one():
    # prior (0.2, 0.3, 0.5) from the event's table; e5 likelihoods (0.5, 0.1, 0.4):
    # joint (0.10, 0.03, 0.20), sum 0.33 -> posterior (10/33, 3/33, 20/33); ranking c, a, b
    text = HAND.replace("      relevance:", "      likelihood:\n        e5: {a: 0.5, b: 0.1, c: 0.4}\n      relevance:")
    text = text.replace("  - {id: e4,", "  - {id: e5, source: s, claim: Five.}\n  - {id: e4,")
    r = ach(loads(text, "hand.yaml"))
    assert r.prior == pytest.approx({"a": 0.2, "b": 0.3, "c": 0.5})
    assert r.prior_source == "the event's own probabilities (point values)"
    assert r.posterior == pytest.approx({"a": 10 / 33, "b": 3 / 33, "c": 20 / 33})
    assert r.ranking == ("c", "a", "b")
    assert r.inconsistency == pytest.approx({"a": 1 / math.sqrt(2) + 2, "b": math.sqrt(2) + 1 / math.sqrt(2),
                                             "c": 2 * math.sqrt(2)})   # e5 has no rating: unchanged
    assert not r.uses_as_prior
    assert any("do not enter it" in n for n in r.notes)


def test_without_base_rates_the_prior_is_equal_and_a_zero_likelihood_is_infinitely_diagnostic():
    text = textwrap.dedent("""\
        scenario: {id: z, title: Z, decision_maker: us}
        sources: {s: {outlet: Wire}}
        evidence: [{id: e, source: s, claim: E.}, {id: f, source: s, claim: F.}]
        actors: {us: {}, them: {}}
        criteria: [{id: payoff}]
        options: [{id: act, impacts: {payoff: 1}}]
        events:
          - id: t
            kind: type
            actor: them
            states: {x: {}, y: {}}
            prior: ach
            hypotheses:
              likelihood:
                e: {x: 0.8, y: 0.0}
                f: {x: 0.5, y: 0.25}
        """)
    sc = loads(text, "z.yaml")
    r = ach(sc)
    # equal prior (0.5, 0.5) x e (0.8, 0) x f (0.5, 0.25) = (0.2, 0): y is ruled out
    assert r.prior == {"x": 0.5, "y": 0.5} and r.prior_source == "equal (no base rates given)"
    assert r.posterior == {"x": 1.0, "y": 0.0}
    assert math.isinf(r.diagnosticity["e"]) and r.diagnostic_text("e") == "rules one out"
    assert r.diagnosticity["f"] == 2.0 and r.diagnostic_text("f") == "2x"
    assert r.to_dict()["diagnosticity"] == {"e": math.inf, "f": 2.0}
    assert '"e": null' in r.to_json()            # JSON has no infinity
    assert sc.event("t").probability[0].probabilities["y"].point == 0.0


def test_prior_ach_makes_the_posterior_the_compiled_type_probabilities():
    # the example's header: the tree's type probabilities are (8/38, 25/38, 5/38); acting is worth
    # 10 - 20 x (8/38 x 0.8 + 25/38 x 0.2) = 10 - 20 x 0.3 = 4
    sc = load(EXAMPLE)
    m = compile_scenario(sc)
    for s, p in {"committed_patron": 8 / 38, "opportunist": 25 / 38, "bluffing": 5 / 38}.items():
        assert m.params.point[m.params.index(f"events.patron_type.probability.{s}")] == pytest.approx(p)
    ev = point(m)
    assert ev.best_options() == ["act"]
    assert float(ev.certainty_equivalent[0, 0]) == pytest.approx(4.0)
    # the posterior's numbers cite the items behind them: none is counted as citing nothing
    n = sc.event("patron_type").probability[0].probabilities["opportunist"]
    assert n.evidence == ("port_call", "media_silence") and n.assumptions == ("a_ach",)


def test_a_world_may_still_override_the_ach_posterior():
    text = EXAMPLE.read_text(encoding="utf-8") + textwrap.dedent("""\
        worlds:
          sure_bluff:
            overrides:
              events.patron_type.probability.bluffing: 1
              events.patron_type.probability.committed_patron: 0
              events.patron_type.probability.opportunist: 0
        """)
    m = compile_scenario(loads(text, "w.yaml"), world="sure_bluff")
    assert float(point(m).certainty_equivalent[0, 0]) == pytest.approx(10.0)   # a bluffer never fights


def test_asking_for_an_event_without_hypotheses_says_which_have_them():
    sc = load(EXAMPLE)
    with pytest.raises(ValueError, match="'reply' has no hypotheses; these do: patron_type"):
        ach(sc, "reply")
    with pytest.raises(ValueError, match="no event of this file has 'hypotheses:'"):
        ach(load(REPO / "scenarios" / "reference" / "strategic_reply.yaml"))
