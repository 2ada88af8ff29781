"""Exponential utility far from the risk tolerance R: options are ordered on certainty
equivalents, nothing overflows, and no output holds NaN or infinity (issue 16).

The reference certainty equivalents here are computed by a separate recursion over the nested
tree (exact log-sum-exp in Python floats, `math.fsum`), not by `model.evaluate`.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import warnings

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.cli import evaluation_json, main
from model.compile import compile_scenario
from model.evaluate import point
from model.io import loads

OVERFLOW = """\
scenario: {id: exp-overflow, title: A loss far beyond the risk tolerance}
criteria: [{id: v, direction: max}]
utility: {kind: exponential, risk_tolerance: 1}
tree: {decision: d, options: {a: {payoff: 0}, b: {payoff: -710}}}
"""

RANK_ORDER = """\
scenario: {id: exp-rank-order, title: Two sure gains far above the risk tolerance}
criteria: [{id: v, direction: max}]
utility: {kind: exponential, risk_tolerance: 100}
tree: {decision: d, options: {small: {payoff: 4000}, large: {payoff: 5000}}}
"""


def run(*args: str) -> tuple[int, str, str]:
    """`juncture ARGS` in this process: (exit code, stdout, stderr), warnings turned to errors."""
    out, err = io.StringIO(), io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def strict_json(text: str) -> dict:
    """Parse JSON that must hold no NaN or infinity (Python's json would accept them)."""
    def refuse(const: str) -> float:
        raise AssertionError(f"JSON holds {const}")
    return json.loads(text, parse_constant=refuse)


# ---------------------------------------------------------------------------- the two files
def test_a_loss_far_below_the_tolerance_evaluates(tmp_path):
    f = tmp_path / "exp-overflow.yaml"
    f.write_text(OVERFLOW)
    code, out, err = run("evaluate", str(f), "--json")
    assert code == 0, err
    d = strict_json(out)
    # a sure payoff's certainty equivalent is the payoff itself: CE(b) = -710, CE(a) = 0
    assert d["options"]["b"]["certainty_equivalent"] == -710.0
    assert d["options"]["a"]["certainty_equivalent"] == 0.0
    # u(-710) = 1 - e^710 = -2.2e308 lies beyond the largest float (1.8e308): null, and said why
    assert d["options"]["b"]["expected_utility"] is None
    assert d["options"]["a"]["expected_utility"] == 0.0
    assert any("-1.8e308" in n for n in d["notes"])
    assert d["best_option"] == "a" and d["ranking"] == ["a", "b"]
    assert [d["options"][o]["rank"] for o in "ab"] == [1, 2]


def test_a_loss_far_below_the_tolerance_simulates(tmp_path):
    f = tmp_path / "exp-overflow.yaml"
    f.write_text(OVERFLOW)
    code, out, err = run("simulate", str(f), "--samples", "200", "--json")
    assert code == 0, err
    d = strict_json(out)
    assert d["options"]["a"]["p_best"] == 1.0
    assert d["options"]["b"]["certainty_equivalent"]["mean"] == -710.0
    assert d["options"]["b"]["utility"]["mean"] is None          # below the float range
    assert d["dominance"]["first_order"]["a"] == ["b"]
    assert d["dominance"]["p_better"]["a"]["b"] == 1.0
    code, out, err = run("simulate", str(f), "--samples", "200")
    assert code == 0 and "-1.8e308" in out


def test_sure_gains_far_above_the_tolerance_rank_by_their_size(tmp_path):
    f = tmp_path / "exp-rank-order.yaml"
    f.write_text(RANK_ORDER)
    code, out, err = run("evaluate", str(f), "--json")
    assert code == 0, err
    d = strict_json(out)
    # CE of a sure payoff is the payoff: 5000 > 4000, so large is first and alone
    assert d["best_option"] == "large"
    assert d["ranking"] == ["large", "small"]
    assert d["options"]["large"]["rank"] == 1 and d["options"]["small"]["rank"] == 2
    assert d["options"]["large"]["certainty_equivalent"] == 5000.0
    # 1 - exp(-40) and 1 - exp(-50) both round to 1.0: the utilities cannot tell them apart
    assert d["options"]["large"]["expected_utility"] == d["options"]["small"]["expected_utility"] == 1.0
    code, out, err = run("simulate", str(f), "--samples", "100", "--json")
    d = strict_json(out)
    assert d["options"]["large"]["p_best"] == 1.0
    assert d["dominance"]["first_order"] == {"small": [], "large": ["small"]}
    assert d["dominance"]["p_better"]["large"]["small"] == 1.0
    # second order judged without rounding: a sure 5000 beats a sure 4000 for any risk averter
    assert d["dominance"]["second_order"] == {"small": [], "large": ["small"]}


def test_twenty_two_r_apart_is_not_a_tie():
    """R = 10, sure 220 and 250: expected utilities 1 - e^-22 and 1 - e^-25 differ by 2.8e-10,
    inside a 1e-9 tolerance on utility; their certainty equivalents differ by 30."""
    sc = loads(RANK_ORDER.replace("100}", "10}").replace("4000", "220").replace("5000", "250"), "f.yaml")
    ev = point(compile_scenario(sc))
    d = evaluation_json(ev)
    assert d["ranking"] == ["large", "small"]
    assert [d["options"][o]["rank"] for o in ("large", "small")] == [1, 2]


def test_a_lottery_far_below_the_tolerance():
    """50/50 between -2000 and 0 with R = 1: CE = -R ln(0.5 e^2000 + 0.5) = -2000 + ln 2 exactly
    to float precision (the e^0 term is e^-2000 of the other), far beyond where exp overflows."""
    text = """\
scenario: {id: lottery, title: A lottery far below R}
criteria: [{id: v, direction: max}]
utility: {kind: exponential, risk_tolerance: 1}
tree:
  decision: d
  options:
    gamble: {chance: c, branches: {lose: {p: 0.5, payoff: -2000}, keep: {p: 0.5, payoff: 0}}}
    sure: {payoff: -1999.5}
"""
    ev = point(compile_scenario(loads(text, "f.yaml")))
    ce = dict(zip(ev.model.options, ev.certainty_equivalent[0]))
    assert ce["gamble"] == pytest.approx(-2000 + math.log(2), abs=1e-9)
    # -1999.307 beats -1999.5: the gamble is best although both utilities are -inf in floats
    assert ev.best_options() == ["gamble"]
    assert evaluation_json(ev)["ranking"] == ["gamble", "sure"]


# ---------------------------------------------------------------------------- property: random trees
def reference_ce(node: dict, r: float) -> float:
    """Certainty equivalent of a nested tree node (a dict as written in the file), in payoff
    units: payoff on the way in, plus the CE of a chance node's lottery (log-sum-exp from its
    worst branch) or the best branch of a decision."""
    pay = float(node.get("payoff", 0.0))
    if "chance" in node:
        kids = [(float(b["p"]), reference_ce(b, r)) for b in node["branches"].values()]
        low = min(v for p, v in kids if p > 0)
        return pay + low - r * math.log(math.fsum(p * math.exp(-(v - low) / r) for p, v in kids))
    if "decision" in node:
        return pay + max(reference_ce(b, r) for b in node["options"].values())
    return pay


@st.composite
def trees(draw):
    """A tree of 2-4 options whose payoffs span 1e-3 R to 1e4 R in size, either sign."""
    r = draw(st.sampled_from([0.01, 1.0, 100.0, 1e4]))

    def payoff():
        size = 10 ** draw(st.floats(-3, 4)) * r
        return float(f"{draw(st.sampled_from([-1, 1])) * size:.6g}")

    def node(depth):
        kind = draw(st.sampled_from(["end", "chance", "decision"] if depth < 2 else ["end"]))
        out = {"payoff": payoff()}
        if kind == "chance":
            k = draw(st.integers(2, 3))
            ps = [draw(st.integers(1, 9)) for _ in range(k)]
            ps = [p / sum(ps) for p in ps]
            ps[-1] = 1.0 - sum(ps[:-1])
            out.update(chance=f"c{depth}", branches={f"b{i}": {"p": round(p, 12), **node(depth + 1)}
                                                     for i, p in enumerate(ps)})
            tot = sum(b["p"] for b in out["branches"].values())
            out["branches"]["b0"]["p"] = round(out["branches"]["b0"]["p"] + 1.0 - tot, 15)
        elif kind == "decision":
            out.update(decision=f"d{depth}", options={f"x{i}": node(depth + 1) for i in range(2)})
        return out

    n = draw(st.integers(2, 4))
    return r, {"decision": "d", "options": {f"o{i}": node(0) for i in range(n)}}


def scenario_text(r: float, tree: dict) -> str:
    return yaml.safe_dump({"scenario": {"id": "random", "title": "Random tree"},
                           "criteria": [{"id": "v", "direction": "max"}],
                           "utility": {"kind": "exponential", "risk_tolerance": r}, "tree": tree},
                          sort_keys=False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees())
def test_ranking_follows_the_certainty_equivalents(case):
    r, tree = case
    sc = loads(scenario_text(r, tree), "random.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ev = point(compile_scenario(sc))
        d = evaluation_json(ev)
    ref = np.array([reference_ce(tree["options"][o], r) for o in ev.model.options])
    ce = ev.certainty_equivalent[0]
    assert np.isfinite(ce).all()
    scale = np.maximum(np.abs(ref), r)
    assert np.all(np.abs(ce - ref) <= 1e-9 * scale + 1e-12)
    json.dumps(d, allow_nan=False)                                   # no NaN, no infinity
    # ranks: 1 + the number of options whose reference CE is clearly higher (ties: within
    # the 1e-9 relative tolerance, skipped as ambiguous)
    for i, o in enumerate(ev.model.options):
        clearly_better = sum(ref[j] > ref[i] + 1e-6 * scale[i] for j in range(len(ref)))
        maybe_better = sum(ref[j] > ref[i] - 1e-6 * scale[i] for j in range(len(ref)) if j != i)
        assert clearly_better + 1 <= d["options"][o]["rank"] <= maybe_better + 1
    top = int(np.argmax(ref))
    if all(ref[top] > ref[j] + 1e-6 * scale[top] for j in range(len(ref)) if j != top):
        assert d["best_option"] == ev.model.options[top]
        assert d["ranking"][0] == ev.model.options[top]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=trees())
def test_simulate_outputs_are_finite_and_agree_with_the_ranking(tmp_path_factory, case):
    r, tree = case
    # one number uncertain: the first option's payoff moves over +/- 10% of itself (and at least R)
    first = tree["options"]["o0"]
    x = first["payoff"]
    w = max(abs(x) * 0.1, r)
    first["payoff"] = [x - w, x + w]
    f = tmp_path_factory.mktemp("sim") / "random.yaml"
    f.write_text(scenario_text(r, tree))
    code, out, err = run("simulate", str(f), "--samples", "300", "--json")
    assert code == 0, err
    d = strict_json(out)
    pb = [d["options"][o]["p_best"] for o in d["options"]]
    assert math.isclose(sum(pb), 1.0, abs_tol=1e-9)
    for o, v in d["options"].items():
        assert v["certainty_equivalent"]["mean"] is not None
        for b, p in d["dominance"]["p_better"][o].items():
            # p_better(o, b) + p_better(b, o) = 1: ties count half on both sides
            assert math.isclose(p + d["dominance"]["p_better"][b][o], 1.0, abs_tol=1e-12)


def test_an_exponential_value_function_far_steeper_than_its_range():
    """v(x) = (1 - e^(-x/rho)) / (1 - e^(-10/rho)) on [0, 10]. rho = -0.01: e^1000 overflows a float,
    yet v(x) = e^((x - 10)/0.01) (1 - e^(-x/0.01)) / (1 - e^-1000), so v(9.99) = e^-1 (1 - e^-999)
    = 0.3679 and v(10) = 1, v(0) = 0. rho = 0.01 mirrors it: v(0.01) = 1 - e^-1 = 0.6321."""
    from model.evaluate import value_scores

    text = """\
scenario: {id: steep, title: Steep value functions}
criteria:
  - {id: x, direction: max, range: [0, 10], value_function: {kind: exponential, rho: -0.01}}
  - {id: y, direction: max, range: [0, 10], value_function: {kind: exponential, rho: 0.01}}
options: [{id: a, impacts: {x: 9.99, y: 0.01}}, {id: b, impacts: {x: 10, y: 0}}, {id: c, impacts: {x: 0, y: 10}}]
"""
    m = compile_scenario(loads(text, "f.yaml"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v = value_scores(m, np.array([[9.99, 0.01], [10.0, 0.0], [0.0, 10.0]]))
    assert v[0] == pytest.approx([math.exp(-1), 1 - math.exp(-1)], rel=1e-9)
    assert v[1].tolist() == [1.0, 0.0] and v[2].tolist() == [0.0, 1.0]
