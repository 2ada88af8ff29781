"""The model critique: each code on a small scenario built to trigger it (the number worked out by
hand in a comment, the place by the token it points at), and on one built not to."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from model import loads
from model.analysis.critique import CODES, OVERLAP_THRESHOLD, RANGE_ERROR_SHARE, SEVERITIES, critique
from model.compile import compile_scenario

FILE = "c.yaml"


def run(text: str, **kw):
    return critique(compile_scenario(loads(text, FILE)), **kw)


def only(res, code: str) -> list:
    return [f for f in res.findings if f.code == code]


def place(at, text: str, token: str, nth: int = 1) -> str:
    return f"{FILE}:{at(text, token, nth)}"


# ---------------------------------------------------------------------------- range-exceeded-by-samples
RANGE = textwrap.dedent("""\
    scenario: {id: r, title: Ranges}
    criteria:
      - {id: cost, name: Cost, unit: USD m, direction: min, range: [0, 10], weight: 0.5}
      - {id: gain, direction: max, range: [0, 10], weight: 0.5}
    options:
      - {id: act, impacts: {cost: COST, gain: 6}}
      - {id: wait, impacts: {cost: 1, gain: 2}}
""")


def test_range_exceeded_by_samples_is_the_share_of_draws_leaving_the_range(at):
    # cost of act ~ uniform [0, 20] (point 10, on the edge: the file loads); the only outcome
    # above 10 is act's own, so P(a draw leaves [0, 10]) = P(U(0, 20) > 10) = 0.5. With 4,000
    # draws the share's standard error is sqrt(0.25 / 4000) = 0.008: within 0.03 of 0.5.
    text = RANGE.replace("COST", "[0, 20]")
    res = run(text, samples=4000)
    (f,) = only(res, "range-exceeded-by-samples")
    assert f.value == pytest.approx(0.5, abs=0.03)
    assert f.severity == "error"                       # 50% >= RANGE_ERROR_SHARE (5%)
    assert f.where == place(at, text, "[0, 10]")       # cost's range
    assert "Cost" in f.message and "[0, 10]" in f.message and "under act" in f.message


def test_a_small_share_is_a_warning(at):
    # uniform [0, 10.2]: P(> 10) = 0.2 / 10.2 = 0.0196, below 5%; se sqrt(0.0196 * 0.98 / 4000) = 0.0022
    text = RANGE.replace("COST", "{uniform: [0, 10.2]}")
    (f,) = only(run(text, samples=4000), "range-exceeded-by-samples")
    assert f.value == pytest.approx(0.2 / 10.2, abs=0.007) and f.value < RANGE_ERROR_SHARE
    assert f.severity == "warning"


def test_draws_within_the_range_say_nothing():
    assert not only(run(RANGE.replace("COST", "[0, 10]")), "range-exceeded-by-samples")


# ---------------------------------------------------------------------------- implied-tradeoff
TRADE = textwrap.dedent("""\
    scenario: {id: t, title: Trade-offs}
    criteria:
      - {id: cost, name: Cost, unit: USD m, direction: min, range: [0, 100], weight: 0.25}
      - {id: gain, name: Gain, unit: points, direction: max, range: [0, 10], weight: 0.75VF}
    options:
      - {id: act, impacts: {cost: 40, gain: 6}}
      - {id: wait, impacts: {cost: 0, gain: 1}}
""")


def test_implied_tradeoff_in_units_of_each_criterion(at):
    # one point of gain is worth (w_gain / span_gain) / (w_cost / span_cost)
    # = (0.75 / 10) / (0.25 / 100) = 0.075 / 0.0025 = 30 USD m of cost
    text = TRADE.replace("VF", "")
    (f,) = only(run(text), "implied-tradeoff")
    assert f.value == pytest.approx(30.0)
    assert f.severity == "note"
    assert f.where == place(at, text, "0.75")          # gain's weight
    assert "one unit of Gain (points) is worth 30 units of Cost (USD m)" in f.message
    assert "0.0333 units of Gain" in f.message         # and back: 1 / 30


def test_implied_tradeoff_with_a_curved_value_function_is_taken_at_the_midpoint():
    # gain's value v(x) = (1 - e^(-x/5)) / (1 - e^(-2)) on [0, 10]; at the midpoint x = 5 its slope
    # is e^(-1) / (5 (1 - e^(-2))) = 0.367879 / 4.323324 = 0.085093 per point (linear: 0.1), so one
    # point is worth 0.75 x 0.085093 / (0.25 / 100) = 25.528 USD m
    text = TRADE.replace("VF", ", value_function: {kind: exponential, rho: 5}")
    (f,) = only(run(text), "implied-tradeoff")
    assert f.value == pytest.approx(25.528, abs=1e-3)
    assert "midpoint" in f.message


def test_one_criterion_implies_no_tradeoff():
    text = "scenario: {id: o, title: One}\ncriteria: [{id: gain}]\noptions: [{id: a, impacts: {gain: 1}}, {id: b}]\n"
    assert not only(run(text), "implied-tradeoff")


# ---------------------------------------------------------------------------- criteria-overlap
OVERLAP = textwrap.dedent("""\
    scenario: {id: o, title: Overlap}
    criteria:
      - {id: deaths, name: Deaths, direction: min, range: [0, 50], weight: 1}
      - {id: harm, name: Civilian harm, direction: min, range: [0, 5], weight: 1}
      - {id: gain, name: Gain, direction: max, range: [0, 10], weight: 1}
    options:
      - {id: a, impacts: {gain: 5}}
      - {id: b, impacts: {gain: 2}}
    events:
      - id: fighting
        states: {none: {}, some: {impacts: {deaths: 10, harm: H1}}, much: {impacts: {deaths: 30, harm: H2}}}
        probability: {none: 0.5, some: 0.3, much: 0.2}
""")


def test_criteria_that_move_together_overlap(at):
    # 2 options x 3 states = 6 distinct outcomes; deaths (0, 10, 30) and harm (0, 1, 3) twice: harm is
    # deaths / 10 on every outcome, so their correlation is exactly 1 (gain is uncorrelated with both)
    text = OVERLAP.replace("H1", "1").replace("H2", "3")
    (f,) = only(run(text), "criteria-overlap")
    assert f.value == pytest.approx(1.0)
    assert f.severity == "warning"
    assert f.where == place(at, text, "{id: harm")
    assert "Deaths and Civilian harm" in f.message and f"{OVERLAP_THRESHOLD:g}" in f.message


def test_criteria_that_do_not_move_together_do_not_overlap():
    # harm (0, 3, 1) against deaths (0, 10, 30): deviations (-4/3, 5/3, -1/3) and (-40/3, -10/3, 50/3)
    # give a covariance of 20/3 over sqrt(1400/3 x 14/3) = 140/3: r = 1/7 = 0.143
    assert not only(run(OVERLAP.replace("H1", "3").replace("H2", "1")), "criteria-overlap")


# ---------------------------------------------------------------------------- load-bearing-mismatch
LOAD = textwrap.dedent("""\
    scenario: {id: l, title: Load-bearing}
    assumptions:
      - {id: a_act, statement: What acting pays., load_bearing: FLAG}
    criteria: [{id: gain, unit: USD m, direction: max}]
    options:
      - {id: act, name: Act now, impacts: {gain: GAIN}, assumptions: [a_act]}
      - {id: wait, name: Wait, impacts: {gain: 2}}
""")


def test_a_flagged_assumption_whose_numbers_move_nothing(at):
    # act pays [8, 9] against wait's 2: act is best at every value (tornado ends 8 and 9; the
    # thresholds search [7, 10] finds no switch), so learning the number is worth 0 (EVPPI)
    text = LOAD.replace("FLAG", "true").replace("GAIN", "[8, 9]")
    (f,) = only(run(text), "load-bearing-mismatch")
    assert f.severity == "warning" and f.value == 0.0
    assert f.where == place(at, text, "true")
    assert "a_act is flagged load-bearing" in f.message and "its only number does not move" in f.message


def test_an_unflagged_assumption_whose_number_moves_the_ranking(at):
    # act pays X ~ U(0, 5) (point 2.5) against wait's 2: at X's low end wait is best. Its EVPPI is
    # E[max(X, 2)] - max(E X, 2) = (0.4 x 2 + (25 - 4) / 10) - 2.5 = 2.9 - 2.5 = 0.4 USD m
    text = LOAD.replace("FLAG", "false").replace("GAIN", "[0, 5]")
    (f,) = only(run(text, samples=8000), "load-bearing-mismatch")
    assert f.severity == "warning"
    assert f.value == pytest.approx(0.4, abs=0.05)
    assert f.where == place(at, text, "{id: a_act")
    assert "not flagged load-bearing" in f.message and "Wait becomes best instead of Act now" in f.message


@pytest.mark.parametrize("flag, gain", [("true", "[0, 5]"), ("false", "[8, 9]")])
def test_a_flag_that_matches_what_moves_the_ranking_says_nothing(flag, gain):
    assert not only(run(LOAD.replace("FLAG", flag).replace("GAIN", gain)), "load-bearing-mismatch")


# ---------------------------------------------------------------------------- weight-switch
SWITCH = textwrap.dedent("""\
    scenario: {id: w, title: Weights}
    criteria:
      - {id: cost, name: Cost, direction: min, range: [0, 10], weight: 0.5}
      - {id: gain, name: Gain, direction: max, range: [0, 10], weight: WG}
    options:
      - {id: a, name: Option A, impacts: {cost: 2, gain: 4}}
      - {id: b, name: Option B, impacts: {cost: BC, gain: 9}}
""")


def test_weight_switch_is_the_nearest_weight_that_changes_the_best_option(at):
    # with gain's normalised weight s: V(a) = 0.8 (1 - s) + 0.4 s, V(b) = 0.4 (1 - s) + 0.9 s; at
    # s = 0.5, V(a) = 0.6 < V(b) = 0.65; they cross at 0.4 = 0.9 s, s = 4/9 = 0.444 (raw weight
    # 0.4, as 0.4 / (0.4 + 0.5) = 4/9). The weight is fixed: a note.
    text = SWITCH.replace("WG", "0.5").replace("BC", "6")
    fs = {f.where: f for f in only(run(text), "weight-switch")}
    f = fs[place(at, text, "0.5", 2)]
    assert f.value == pytest.approx(4 / 9, abs=1e-6)
    assert f.severity == "note"
    assert f.message.startswith("Option A becomes best when Gain's weight falls below 0.44 (now 0.50")
    # cost's weight: a is best when cost's share exceeds 1 - 4/9 = 5/9 (raw 0.625)
    g = fs[place(at, text, "0.5", 1)]
    assert g.value == pytest.approx(5 / 9, abs=1e-6) and "exceeds 0.56" in g.message


def test_a_weight_switch_inside_the_weights_range_is_a_warning(at):
    text = SWITCH.replace("WG", "[0.3, 0.7]").replace("BC", "6")   # raw 0.4 lies in [0.3, 0.7]
    fs = {f.where: f for f in only(run(text), "weight-switch")}
    f = fs[place(at, text, "[0.3, 0.7]")]
    assert f.severity == "warning" and f.value == pytest.approx(4 / 9, abs=1e-6)
    assert "inside the range the file gives it" in f.message


def test_no_weight_switch_when_one_option_is_best_under_any_weights():
    # b at cost 1 beats a on both criteria: no weight makes a best
    assert not only(run(SWITCH.replace("WG", "0.5").replace("BC", "1")), "weight-switch")


# ---------------------------------------------------------------------------- no-value-of-information
NOVOI = textwrap.dedent("""\
    scenario: {id: n, title: Nothing to learn}
    criteria: [{id: payoff}]
    options:
      - {id: act, impacts: {payoff: 10}}
      - {id: wait, impacts: {payoff: 0}}
    events:
      - id: weather
        name: The weather
        states: {sun: {impacts: {payoff: 1}}, rain: {impacts: {payoff: -1}}}
        probability: {sun: [0.4, 0.6], rain: otherwise}
""")


def test_no_value_of_information_says_why():
    # the weather adds the same to both options and act leads by 10 in every state and every draw:
    # the EVPI of the weather and of the numbers is 0
    (f,) = only(run(NOVOI, samples=500), "no-value-of-information")
    assert f.severity == "warning" and f.where is None and f.value == 0.0
    assert "no state of The weather changes the best option" in f.message
    assert "act is best in every one of the 500 draws" in f.message


def test_information_that_can_change_the_choice_has_value():
    # act: sun 10 or rain -10 (p 0.5 each) against wait's 1: knowing the weather is worth
    # (0.5 x 10 + 0.5 x 1) - max(0, 1) = 5.5 - 1 = 4.5
    text = textwrap.dedent("""\
        scenario: {id: v, title: Worth knowing}
        criteria: [{id: payoff}]
        tree:
          decision: d
          options:
            act: {chance: weather, branches: {sun: {p: 0.5, payoff: 10}, rain: {p: 0.5, payoff: -10}}}
            wait: {payoff: 1}
    """)
    assert not only(run(text), "no-value-of-information")


# ---------------------------------------------------------------------------- unused-*
UNUSED = textwrap.dedent("""\
    scenario: {id: u, title: Unused parts, decision_maker: us}
    sources: {wire: {outlet: Wire}}
    evidence:
      - {id: used_quote, source: wire, claim: Cited by the event.}
      - {id: stray_quote, source: wire, claim: Cited by nothing.}
    assumptions:
      - {id: a_used, statement: Behind the option's gain.}
      - {id: a_stray, statement: Behind nothing.}
    actors:
      us: {name: Us}
      them: {name: Them}
      bystander: {name: A bystander}
    criteria: [{id: gain}]
    options:
      - {id: act, impacts: {gain: 2}, assumptions: [a_used]}
      - {id: wait}
    events:
      - id: response
        actor: them
        states: {calm: {}, angry: {impacts: {gain: -1}}}
        probability: {calm: 0.5, angry: 0.5}
        evidence: [used_quote]
""")


def test_unused_actor_evidence_and_assumption(at):
    res = run(UNUSED)
    (a,) = only(res, "unused-actor")
    assert a.where == place(at, UNUSED, "{name: A bystander}") and a.message.startswith("A bystander takes no part")
    (e,) = only(res, "unused-evidence")
    assert e.where == place(at, UNUSED, "{id: stray_quote") and "stray_quote" in e.message
    (s,) = only(res, "unused-assumption")
    assert s.where == place(at, UNUSED, "{id: a_stray") and "a_stray" in s.message
    assert {f.severity for f in (a, e, s)} == {"note"} and all(f.value is None for f in (a, e, s))


def test_everything_used_says_nothing_unused():
    text = (UNUSED.replace("  - {id: stray_quote, source: wire, claim: Cited by nothing.}\n", "")
            .replace("  - {id: a_stray, statement: Behind nothing.}\n", "")
            .replace("  bystander: {name: A bystander}\n", ""))
    res = run(text)
    assert not [f for f in res.findings if f.code.startswith("unused-")]


# ---------------------------------------------------------------------------- dominated-option
DOMINATED = textwrap.dedent("""\
    scenario: {id: d, title: Dominance}
    criteria:
      - {id: cost, name: Cost, direction: min, range: [0, 10], weight: 0.5}
      - {id: gain, name: Gain, direction: max, range: [0, 10], weight: 0.5}
    options:
      - {id: a, impacts: {cost: 2, gain: 8}}
      - {id: b, impacts: {cost: 5, gain: GB}}
      - {id: c, impacts: {cost: 1, gain: 3}}
""")


def test_a_dominated_option(at):
    # b (cost 5, gain 8) is no better than a (cost 2, gain 8) on gain and worse on cost; its value is
    # lower by 0.5 x (5 - 2) / 10 = 0.15
    text = DOMINATED.replace("GB", "8")
    (f,) = only(run(text), "dominated-option")
    assert f.where == place(at, text, "{id: b")
    assert f.value == pytest.approx(0.15)
    assert f.severity == "note" and f.message.startswith("b is dominated by a") and "worse on Cost" in f.message


def test_no_dominated_option_when_each_is_best_somewhere():
    assert not only(run(DOMINATED.replace("GB", "9")), "dominated-option")


# ---------------------------------------------------------------------------- single-benefit-criterion
SINGLE = textwrap.dedent("""\
    scenario: {id: s, title: One benefit}
    criteria:
      - {id: cost, name: Cost, direction: min, range: [0, 10], weight: 1}
      - {id: risk, name: Risk, direction: min, range: [0, 10], weight: 1}
      - {id: gain, name: Gain, direction: max, range: [0, 10], weight: 2}
    options:
      - {id: status_quo, name: No change, impacts: {cost: 0, risk: RISK, gain: 0}}
      - {id: act, impacts: {cost: 3, risk: 2, gain: 8}}
""")


def test_single_benefit_criterion(at):
    # act is worse than the status quo on cost (3 > 0) and risk (2 > 0), better only on gain;
    # gain's weight is 2 / (1 + 1 + 2) = 0.5
    text = SINGLE.replace("RISK", "0")
    (f,) = only(run(text), "single-benefit-criterion")
    assert f.where == place(at, text, "{id: gain")
    assert f.value == pytest.approx(0.5) and f.severity == "warning"
    assert f.message.startswith("Only Gain rewards acting: no option does better than No change")


def test_two_benefits_of_acting_are_not_one():
    # the status quo's risk 3 is worse than act's 2: acting rewards gain and risk
    assert not only(run(SINGLE.replace("RISK", "3")), "single-benefit-criterion")


def test_no_baseline_option_no_single_benefit_finding():
    text = SINGLE.replace("RISK", "0").replace("status_quo, name: No change", "hedge")
    assert not only(run(text), "single-benefit-criterion")


# ---------------------------------------------------------------------------- threshold-without-range
THRESHOLD = textwrap.dedent("""\
    scenario: {id: h, title: A fixed probability}
    criteria: [{id: payoff, unit: USD m}]
    options:
      - {id: act, impacts: {payoff: PAY}}
      - {id: wait, name: Wait and see, impacts: {payoff: 0}}
    events:
      - id: response
        name: Their response
        depends_on: [option]
        states: {bad: {impacts: {payoff: LOSS}}, good: {}}
        probability:
          act: {bad: P_BAD, good: otherwise}
          wait: {bad: 0, good: otherwise}
""")


def test_threshold_on_a_fixed_number(at):
    # EV(act) = 10 - 30 p against wait's 0: wait becomes best when p > 1/3; the file fixes p at 0.2
    text = THRESHOLD.replace("PAY", "10").replace("LOSS", "-30").replace("P_BAD", "0.2")
    fs = only(run(text), "threshold-without-range")
    f = next(f for f in fs if f.where == place(at, text, "0.2"))
    assert f.value == pytest.approx(1 / 3, abs=1e-9)
    assert f.severity == "warning"
    assert f.message.startswith("Wait and see becomes best when the chance that Their response is bad "
                                "(given act) rises above 0.3333, but the file fixes this number at 0.2")
    # it is the nearest threshold (0.133 from its point, against 4/10 and 20/30 for the payoffs, in
    # widths of max(|point|, 1)): the report's two-way map is drawn over it
    assert "two-way map takes it as an axis" in f.message


def test_no_threshold_without_range_when_every_number_that_switches_has_a_range():
    # act's EV = 10 - 30 x 0.2 = 4; the only fixed number, wait's 0, is searched over [-1, 1]: no switch
    text = THRESHOLD.replace("PAY", "[9, 11]").replace("LOSS", "[-35, -25]").replace("P_BAD", "[0.1, 0.3]")
    assert not only(run(text), "threshold-without-range")


def test_sensitivity_thresholds_marks_fixed_numbers(juncture, tmp_path):
    path = tmp_path / "h.yaml"
    # act pays [0, 10] (point 5): EV(act) = 5 - 30 x 0.2 = -1 < 0, so wait is best; act becomes best
    # when its pay exceeds 6 (inside its range) or p falls below 1/6 (p is fixed)
    path.write_text(THRESHOLD.replace("PAY", "[0, 10]").replace("LOSS", "-30").replace("P_BAD", "0.2"))
    done = juncture("sensitivity", path, "--kind", "thresholds", "--json")
    rows = {r["parameter"]: r for r in json.loads(done.stdout)["thresholds"]}
    assert rows["events.response.probability.act.bad"]["fixed"] is True
    assert rows["options.act.impacts.payoff"]["fixed"] is False
    text = juncture("sensitivity", path, "--kind", "thresholds").stdout
    assert "fixed at 0.2 in the file, with no range" in text


# ---------------------------------------------------------------------------- the result and the command
def test_findings_are_sorted_errors_first_and_the_json_has_exactly_its_keys():
    res = run(RANGE.replace("COST", "[0, 20]"))
    ranks = [SEVERITIES.index(f.severity) for f in res.findings]
    assert ranks == sorted(ranks) and res.findings[0].severity == "error"
    d = res.to_dict()
    assert list(d) == ["scenario", "findings"] and d["scenario"] == "r"
    # the five keys, in its order, then the two that say what a finding is about and
    # which assumption answers it (extensions, never renames)
    assert all(list(f) == ["code", "severity", "where", "message", "value", "about", "answered_by"]
               for f in d["findings"])
    assert all(f["code"] in CODES for f in d["findings"])


def test_the_text_fits_100_columns():
    res = run(UNUSED)
    assert max(len(line) for line in res.to_text(100).splitlines()) <= 100


def test_the_command_exits_2_on_an_error_finding_and_0_otherwise(juncture, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(RANGE.replace("COST", "[0, 20]"))
    done = juncture("critique", bad, "--samples", "1000")
    assert done.returncode == 2 and "range-exceeded-by-samples" in done.stdout
    lines = done.stdout.splitlines()
    assert max(len(x) for x in lines) <= 100
    rule = next(k for k, x in enumerate(lines) if x.startswith("--------"))
    assert lines[rule + 1].startswith("error")               # errors first, under the header
    good = tmp_path / "good.yaml"
    good.write_text(RANGE.replace("COST", "[0, 10]"))
    done = juncture("critique", good, "--json", "--samples", "1000", "--seed", "7")
    assert done.returncode == 0
    out = json.loads(done.stdout)
    assert out["scenario"] == "r" and all(f["severity"] != "error" for f in out["findings"])


def test_the_command_and_the_function_draw_as_many_samples_by_default():
    from model.analysis import critique as analysis
    from model.commands import critique as command

    assert command.DEFAULT_SAMPLES == analysis.DEFAULT_SAMPLES


def test_the_same_seed_gives_the_same_findings():
    text = RANGE.replace("COST", "[0, 20]")
    assert run(text, samples=500, seed=3).to_dict() == run(text, samples=500, seed=3).to_dict()


def test_every_code_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## When the model decides", 1)[1].split("\n## ", 1)[0]
    for code in CODES:
        assert f"`{code}`" in section, code


# ---------------------------------------------------------------------------- answers in the file
ANSWERED = OVERLAP.replace("H1", "1").replace("H2", "3") + textwrap.dedent("""\
    assumptions:
      - id: a_distinct
        statement: Deaths and civilian harm are distinct concerns although war drives both.
        answers:
          - {finding: criteria-overlap, about: [deaths, harm]}
          - {finding: implied-tradeoff}
""")


def test_an_assumption_answers_the_findings_it_names():
    res = run(ANSWERED)
    (f,) = only(res, "criteria-overlap")
    assert f.answered_by == "a_distinct" and set(f.about) == {"deaths", "harm"}
    # an answer naming no ids covers every finding of its code: 3 criteria, 3 pairs
    trade = only(res, "implied-tradeoff")
    assert len(trade) == 3 and all(t.answered_by == "a_distinct" for t in trade)
    assert not any(u.code in ("criteria-overlap", "implied-tradeoff") for u in res.unanswered)
    assert res.counts()["answered"] == 4
    d = res.to_dict()["findings"]
    assert {x["answered_by"] for x in d if x["code"] == "criteria-overlap"} == {"a_distinct"}
    text = res.to_text(100)
    assert "Answered in the file" in text and "a_distinct: 1 criteria-overlap, 3 implied-tradeoff" in text


def test_an_answer_about_other_criteria_leaves_the_finding_open():
    res = run(ANSWERED.replace("about: [deaths, harm]", "about: [deaths, gain]"))
    (f,) = only(res, "criteria-overlap")
    assert f.answered_by is None and f in res.unanswered


def test_an_error_is_never_answered():
    text = RANGE.replace("COST", "[0, 20]") + textwrap.dedent("""\
        assumptions:
          - id: a_wide
            statement: The harm index may exceed its range.
            answers: [{finding: range-exceeded-by-samples}]
    """)
    res = run(text)
    errs = [f for f in res.findings if f.severity == "error"]
    assert errs and all(f.answered_by is None for f in errs)


def test_an_answer_naming_an_unknown_id_is_refused(at):
    from model.io import ScenarioError

    text = ANSWERED.replace("about: [deaths, harm]", "about: [deaths, harms]")
    with pytest.raises(ScenarioError) as e:
        loads(text, FILE)
    assert "unknown id 'harms'" in str(e.value)
