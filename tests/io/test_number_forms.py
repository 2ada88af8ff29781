"""Every way a number may be written in a scenario file, and the point value each one stands for.

Expected values are worked by hand in each test (docs/scenario-format.md, "Numbers").
"""

from __future__ import annotations

import math

import pytest

from model.io import Number, loads

# ICD 203 (Intelligence Community Directive 203, 2015), table of estimative language: the word,
# its alternative word, and the band both stand for.
ICD203 = [
    ("almost no chance", "remote", 0.01, 0.05),
    ("very unlikely", "highly improbable", 0.05, 0.20),
    ("unlikely", "improbable", 0.20, 0.45),
    ("roughly even chance", "roughly even odds", 0.45, 0.55),
    ("likely", "probable", 0.55, 0.80),
    ("very likely", "highly probable", 0.80, 0.95),
    ("almost certain", "nearly certain", 0.95, 0.99),
]


def with_impact(minimal: str, value: str) -> Number:
    """Load the minimal scenario with `value` as the strikes option's cost; return that number."""
    text = minimal.replace("{id: strikes, impacts: {cost: 4}}", f"{{id: strikes, impacts: {{cost: {value}}}}}")
    return loads(text).option("strikes").impacts["cost"]


def with_probability(minimal: str, value: str, prefix: str = "") -> dict[str, Number]:
    """Load the minimal scenario with P(protest | strikes) = value and arms the rest."""
    text = prefix + minimal.replace("strikes: {protest: 0.7, arms: 0.3}",
                                    f"strikes: {{protest: {value}, arms: otherwise}}")
    row = loads(text).event("russia_response").probability[0]
    assert row.conditions == ("strikes",)
    return row.probabilities


def test_plain_number_is_its_own_point(minimal):
    n = with_impact(minimal, "2.5")
    assert (n.kind, n.point, n.params) == ("fixed", 2.5, (2.5,))
    assert not n.is_uncertain


def test_fraction_is_exact(minimal):
    n = with_impact(minimal, "5/24")
    assert n.kind == "fixed"
    assert n.point == 5 / 24  # 0.208333...
    assert with_impact(minimal, "' 1 / 4 '").point == 0.25  # spaces around the slash are allowed


def test_range_point_is_its_midpoint(minimal):
    n = with_impact(minimal, "[2, 6]")
    assert (n.kind, n.params, n.point) == ("range", (2.0, 6.0), 4.0)  # (2 + 6) / 2
    assert n.support() == (2.0, 6.0)


@pytest.mark.parametrize("word, alternative, low, high", ICD203)
def test_icd203_word_and_its_alternative_stand_for_the_same_band(minimal, word, alternative, low, high):
    for w in (word, alternative):
        p = with_probability(minimal, w)
        assert p["protest"].kind == "word"
        assert p["protest"].word == w
        assert p["protest"].params == (low, high)
        assert p["protest"].point == pytest.approx((low + high) / 2, abs=1e-15)
        assert p["arms"].point == pytest.approx(1 - (low + high) / 2, abs=1e-15)


@pytest.mark.parametrize("written", ["Very Likely", "very_likely", "very-likely", "VERY  LIKELY"])
def test_words_ignore_case_underscores_and_dashes(minimal, written):
    assert with_probability(minimal, written)["protest"].params == (0.80, 0.95)


def test_probability_scale_in_the_file_replaces_a_band(minimal):
    p = with_probability(minimal, "likely", prefix="probability_scale: {likely: [0.6, 0.8]}\n")
    assert p["protest"].params == (0.6, 0.8)
    assert p["protest"].point == pytest.approx(0.7)  # (0.6 + 0.8) / 2
    assert p["arms"].point == pytest.approx(0.3)


def test_probability_scale_in_the_file_adds_a_word_and_keeps_the_others(minimal):
    prefix = "probability_scale: {toss up: [0.5, 0.5]}\n"
    assert with_probability(minimal, "toss up", prefix)["protest"].point == 0.5
    assert with_probability(minimal, "likely", prefix)["protest"].params == (0.55, 0.80)
    sc = loads(prefix + minimal)
    assert sc.probability_scale["toss up"] == (0.5, 0.5)
    assert sc.probability_scale["remote"] == (0.01, 0.05)


@pytest.mark.parametrize("written, kind, params, mean", [
    # beta(a, b): mean a / (a + b) = 3 / 10
    ("{beta: [3, 7]}", "beta", (3, 7), 0.3),
    # triangular(low, mode, high): mean (low + mode + high) / 3 = (1 + 2 + 6) / 3
    ("{triangular: [1, 2, 6]}", "triangular", (1, 2, 6), 3.0),
    # PERT(low, mode, high): mean (low + 4 mode + high) / 6 = (1 + 8 + 9) / 6
    ("{pert: [1, 2, 9]}", "pert", (1, 2, 9), 3.0),
    # normal(mean, sd): mean 5
    ("{normal: [5, 2]}", "normal", (5, 2), 5.0),
    # lognormal(mu, sigma) of the log: mean exp(mu + sigma^2 / 2) = exp(0.5) = 1.6487212707...
    ("{lognormal: [0, 1]}", "lognormal", (0, 1), 1.6487212707001282),
    # uniform(low, high): mean (2 + 6) / 2
    ("{uniform: [2, 6]}", "uniform", (2, 6), 4.0),
])
def test_distribution_point_is_its_mean(minimal, written, kind, params, mean):
    n = with_impact(minimal, written)
    assert n.kind == kind
    assert n.params == tuple(float(x) for x in params)
    assert n.point == pytest.approx(mean, rel=1e-12)
    assert n.is_uncertain


def test_beta_as_a_probability(minimal):
    p = with_probability(minimal, "{beta: [3, 7]}")
    assert p["protest"].point == pytest.approx(0.3)
    assert p["arms"].point == pytest.approx(0.7)  # otherwise: 1 - 0.3


def test_otherwise_takes_the_remainder_of_its_row(minimal):
    text = minimal.replace("strikes: {protest: 0.7, arms: 0.3}", "strikes: {protest: 0.25, arms: otherwise}")
    row = loads(text).event("russia_response").probability[0]
    assert row.probabilities["arms"].kind == "otherwise"
    assert row.probabilities["arms"].point == 0.75  # 1 - 0.25


def test_otherwise_with_three_states(minimal):
    text = (minimal.replace("states: {protest: {}, arms: {}}", "states: {protest: {}, arms: {}, combat: {}}")
            .replace("strikes: {protest: 0.7, arms: 0.3}", "strikes: {protest: 0.5, arms: otherwise, combat: 1/8}"))
    row = loads(text).event("russia_response").probability[0]
    assert row.probabilities["arms"].point == 0.375  # 1 - 0.5 - 0.125


def test_long_form_keeps_point_evidence_assumptions_and_confidence(minimal):
    text = minimal + (
        "sources: {tass: {outlet: TASS}}\n"
        "evidence: [{id: zakharova, source: tass, claim: Russia will respond.}]\n"
        "assumptions: [{id: a_weights, statement: Weights are the analyst's.}]\n")
    text = text.replace("- {id: cost, direction: min}",
                        "- {id: cost, direction: min, weight: {value: [0.15, 0.30], point: 0.2, "
                        "assumptions: [a_weights], evidence: [zakharova], confidence: low}}")
    w = loads(text).criterion("cost").weight
    assert w.kind == "range" and w.params == (0.15, 0.30)
    assert w.point == 0.2  # the analyst's point, not the midpoint 0.225
    assert w.evidence == ("zakharova",)
    assert w.assumptions == ("a_weights",)
    assert w.confidence == "low"
    assert w.cites


def test_long_form_without_point_uses_the_form_point(minimal):
    n = with_impact(minimal, "{value: {beta: [1, 3]}, confidence: high}")
    assert n.point == 0.25  # 1 / (1 + 3)
    assert n.confidence == "high"


def test_confidence_is_kept_apart_from_likelihood(minimal):
    p = with_probability(minimal, "{value: likely, confidence: low}")["protest"]
    assert (p.word, p.confidence) == ("likely", "low")


def test_fixed_numbers_are_not_uncertain_and_have_a_point_support():
    n = Number("fixed", (3.0,), 3.0)
    assert n.support() == (3.0, 3.0)
    assert str(n) == "3"
    assert math.isnan(Number("otherwise").point)


@pytest.mark.parametrize("written, value", [
    ("1e-3", 0.001),      # YAML 1.1 (PyYAML) reads this as text; YAML 1.2 and editors as a number
    ("2.5E+2", 250.0),
    ("'0.3'", 0.3),       # a quoted number is still the number
    ("' -4 '", -4.0),
])
def test_numbers_written_as_text_are_numbers(minimal, written, value):
    n = with_impact(minimal, written)
    assert (n.kind, n.point) == ("fixed", value)


def test_exponent_form_outside_number_fields():
    text = "scenario: {id: s, title: T}\nutility: {kind: exponential, risk_tolerance: 1e3}\ncriteria: [{id: c}]\n" \
           "options: [{id: a, impacts: {c: 1}}]\n"
    assert loads(text).utility.risk_tolerance == 1000.0
