"""The `hypotheses:` block and `prior: ach` (model/io/hypotheses.py): every mistake is a problem at
FILE:LINE:COL in the analyst's words, and a good block loads."""

from __future__ import annotations

import textwrap

import pytest

from model.io import ScenarioError, loads

BASE = textwrap.dedent("""\
    scenario: {id: h, title: Hypotheses, decision_maker: us}
    sources: {s: {outlet: Wire, reliability: B}}
    evidence:
      - {id: delivery, source: s, claim: Air defences were delivered., credibility: 2}
      - {id: statement, source: s, claim: A statement was made., credibility: 3}
    assumptions: [{id: a1, statement: The ratings are the analyst's.}]
    actors: {us: {name: Us}, patron: {name: Patron}}
    criteria: [{id: payoff}]
    options: [{id: act, impacts: {payoff: 1}}, {id: wait, impacts: {payoff: 0}}]
    events:
      - id: patron_type
        kind: type
        actor: patron
        states: {committed: {}, opportunist: {}, bluffing: {}}
    """)


def with_block(block: str, probability: str = "") -> str:
    text = BASE
    if probability:
        text += f"    {probability}\n"
    return text + textwrap.indent(textwrap.dedent(block), "    ")


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as e:
        loads(text, "h.yaml")
    return [str(p) for p in e.value.problems]


GOOD = """\
prior: ach
hypotheses:
  ratings:
    statement: {committed: C, opportunist: C, bluffing: N}
  likelihood:
    delivery: {committed: 0.9, opportunist: 0.5, bluffing: 0.1}
  assumptions: [a1]
"""


def test_a_good_block_loads_and_sets_the_table_from_the_posterior():
    sc = loads(with_block(GOOD), "h.yaml")
    e = sc.event("patron_type")
    # equal prior x (0.9, 0.5, 0.1) / 1.5
    assert {s: round(n.point, 12) for s, n in e.probability[0].probabilities.items()} == {
        "committed": 0.6, "opportunist": round(0.5 / 1.5, 12), "bluffing": round(0.1 / 1.5, 12)}
    assert e.hypotheses.ratings["statement"]["bluffing"] == "N"   # YAML's N is a letter here, not 'no'


def test_an_unknown_evidence_id_is_named_with_a_suggestion(at):
    text = with_block(GOOD.replace("    delivery:", "    delivry:"))
    assert problems(text) == [f"h.yaml:{at(text, 'delivry')}: events[0].hypotheses.likelihood.delivry: unknown "
                              "evidence 'delivry'; did you mean 'delivery'?"]


def test_an_unknown_hypothesis_names_the_events_states(at):
    text = with_block(GOOD.replace("bluffing: N", "bluffer: N"))
    assert problems(text) == [f"h.yaml:{at(text, 'bluffer')}: events[0].hypotheses.ratings.statement.bluffer: "
                              "unknown hypothesis 'bluffer' (the hypotheses are the states of 'patron_type': "
                              "committed, opportunist, bluffing); did you mean 'bluffing'?"]


def test_a_bad_rating_letter_lists_the_five_allowed(at):
    text = with_block(GOOD.replace("opportunist: C, bluffing", "opportunist: X, bluffing"))
    assert problems(text) == [f"h.yaml:{at(text, 'X,')}: events[0].hypotheses.ratings.statement.opportunist: "
                              "'X' is not one of: CC, C, N, I, II"]


@pytest.mark.parametrize("value", ["1.2", "-0.1"])
def test_a_likelihood_outside_zero_one_is_refused(value, at):
    text = with_block(GOOD.replace("committed: 0.9", f"committed: {value}"))
    assert problems(text) == [f"h.yaml:{at(text, value)}: events[0].hypotheses.likelihood.delivery.committed: a "
                              f"likelihood P(evidence | hypothesis) lies in [0, 1]; got {float(value):g}"]


def test_prior_ach_needs_likelihoods(at):
    text = with_block(GOOD.replace("  likelihood:\n    delivery: {committed: 0.9, opportunist: 0.5, bluffing: 0.1}\n",
                                   ""))
    (p,) = problems(text)
    assert p.startswith(f"h.yaml:{at(text, 'ach')}: events[0].prior: 'prior: ach' needs likelihoods")


def test_prior_ach_without_a_hypotheses_block(at):
    text = BASE + "    prior: ach\n"
    (p,) = problems(text)
    assert p.startswith(f"h.yaml:{at(text, 'ach')}: events[0].prior: 'prior: ach' takes the probabilities")


def test_prior_ach_beside_a_probability_table(at):
    text = with_block(GOOD, probability="probability: {committed: 0.2, opportunist: 0.5, bluffing: 0.3}")
    (p,) = problems(text)
    assert p.startswith(f"h.yaml:{at(text, 'prior')}: events[0].prior: 'patron_type' gives both 'prior: ach' and "
                        "a 'probability' table")


def test_an_item_with_both_a_rating_and_a_likelihood_and_a_row_missing_a_hypothesis(at):
    text = with_block(GOOD.replace("statement: {committed: C, opportunist: C, bluffing: N}",
                                   "delivery: {committed: C, opportunist: C}"))
    ps = problems(text)
    assert f"h.yaml:{at(text, 'delivery', 3)}: events[0].hypotheses.likelihood.delivery: evidence 'delivery' has " \
           "a rating row too: give each item a rating row or a likelihood row, not both" in ps
    assert any(p.startswith(f"h.yaml:{at(text, '{committed: C')}: events[0].hypotheses.ratings.delivery: rate "
                            "every hypothesis of 'patron_type'; missing bluffing") for p in ps)


def test_base_rates_must_sum_to_one_and_a_likelihood_row_of_zeros_is_refused(at):
    block = GOOD.replace("delivery: {committed: 0.9, opportunist: 0.5, bluffing: 0.1}",
                         "delivery: {committed: 0, opportunist: 0, bluffing: 0}")
    block += "  base_rates: {committed: 0.5, opportunist: 0.5, bluffing: 0.5}\n"
    text = with_block(block)
    ps = problems(text)
    assert f"h.yaml:{at(text, '{committed: 0.5')}: events[0].hypotheses.base_rates: base rates sum to 1.5, not 1" in ps
    assert any("P(evidence | hypothesis) is 0 under every hypothesis" in p for p in ps)


def test_hypotheses_need_an_event_that_depends_on_nothing(at):
    text = BASE.replace("    states: {committed", "    depends_on: [option]\n    states: {committed")
    text += "    probability: {'*': {committed: 0.3, opportunist: 0.3, bluffing: 0.4}}\n"
    text += "    hypotheses: {ratings: {statement: {committed: C, opportunist: C, bluffing: N}}}\n"
    ps = problems(text)
    assert any(p.startswith(f"h.yaml:{at(text, 'hypotheses')}: events[0].hypotheses: the hypotheses are the states "
                            "of 'patron_type', which depends on option") for p in ps)


def test_base_rates_beside_the_events_own_table_are_refused(at):
    block = GOOD.replace("prior: ach\n", "") + "  base_rates: {committed: 0.2, opportunist: 0.5, bluffing: 0.3}\n"
    text = with_block(block, probability="probability: {committed: 0.2, opportunist: 0.5, bluffing: 0.3}")
    (p,) = problems(text)
    assert p.startswith(f"h.yaml:{at(text, 'base_rates')}: events[0].hypotheses.base_rates: 'patron_type' has its "
                        "own probability table")


def test_every_problem_of_a_block_is_reported_at_once():
    block = """\
    prior: ach
    hypotheses:
      ratings:
        statment: {committed: C, opportunist: C, bluffing: N}
        delivery: {committed: Q, opportunist: C, bluffing: N}
      relevance: {statement: middling}
    """
    ps = problems(with_block(block))
    assert len(ps) == 4, ps
    assert any("unknown evidence 'statment'" in p for p in ps)
    assert any("'Q' is not one of: CC, C, N, I, II" in p for p in ps)
    assert any("'middling' is not one of: low, medium, high" in p for p in ps)
    assert any("'prior: ach' needs likelihoods" in p for p in ps)
