"""Long Monte Carlo runs: blocks equal the one-shot run bit for bit; streamed summaries equal the
kept run's (moments, P(best), P(better), risks to rounding, quantiles within their error) in
memory that does not grow with the number of samples; closed forms a reader can check."""

from __future__ import annotations

import math
import textwrap
import tracemalloc
from functools import lru_cache

import numpy as np
import pytest

from model import loads
from paths import REPO

from model.analysis import montecarlo as mcm
from model.analysis import streaming
from model.analysis.sampling import BLOCK, draw
from model.compile import compile_scenario
from model.evaluate import evaluate

WITH_EVENT = (REPO / "tests" / "data" / "mc_with_event.yaml").read_text(encoding="utf-8")


def one_criterion(options: dict[str, str], direction: str = "max", extra: str = "") -> str:
    opts = "\n".join(f"  - {{id: {o}, impacts: {{gain: {v}}}}}" for o, v in options.items())
    return textwrap.dedent(f"""\
        scenario: {{id: stream-test, title: Streaming test}}
        criteria: [{{id: gain, unit: USD m, direction: {direction}}}]
        options:
        """) + opts + "\n" + extra


def keys(d, at=""):
    """Every key path of nested dicts: the shape of a JSON object."""
    out = set()
    for k, v in d.items():
        out.add(f"{at}.{k}")
        if isinstance(v, dict):
            out |= keys(v, f"{at}.{k}")
    return out


@lru_cache(maxsize=None)
def event_model():
    return compile_scenario(loads(WITH_EVENT, "e.yaml"))


@lru_cache(maxsize=None)
def runs(n: int = 100_000):
    m = event_model()
    return mcm.simulate(m, n, seed=5), streaming.simulate_streamed(m, n, seed=5)


def test_blocks_equal_the_one_shot_run_bit_for_bit():
    # simulate evaluates 13 blocks of 8,192 draws one at a time; evaluating all 100,000 draws in one
    # call must give the same numbers to the last bit (evaluate has no sum across samples)
    m = event_model()
    mc = runs()[0]
    ev = evaluate(m, draw(m, 100_000, seed=5))
    assert mc.n == 100_000 > 12 * BLOCK
    assert np.array_equal(mc.utility, ev.utility)
    assert np.array_equal(mc.certainty_equivalent, ev.certainty_equivalent)
    assert np.array_equal(mc.best, ev.best)
    assert np.array_equal(mc.expected, ev.expected.astype(np.float32))


def test_streamed_run_reports_what_the_kept_run_reports():
    kept, streamed = (r.to_dict() for r in runs())
    assert streamed["streamed"] is True and kept["streamed"] is False
    assert streamed["samples"] == kept["samples"] == 100_000
    assert any(n.startswith("streamed:") for n in streamed["notes"])
    # the same keys everywhere: the JSON shape is the same
    assert keys(kept) == keys(streamed)
    for o in ("act", "wait"):
        a, b = kept["options"][o], streamed["options"][o]
        assert b["p_best"] == pytest.approx(a["p_best"], rel=1e-12, abs=1e-15)
        assert b["risks"]["retaliation"] == pytest.approx(a["risks"]["retaliation"], rel=1e-12)
        pairs = [(a["utility"], b["utility"])] + [(a["criteria"][c], b["criteria"][c]) for c in a["criteria"]]
        for part, other in pairs:
            for stat in ("mean", "sd", "mean_se", "sd_se"):
                assert other[stat] == pytest.approx(part[stat], rel=1e-9, abs=1e-12), stat
            for stat in ("p5", "p25", "p50", "p75", "p95"):
                # read from the histogram: far inside the quantile's own Monte Carlo error
                assert abs(other[stat] - part[stat]) <= 0.25 * part[f"{stat}_se"] + 1e-12, stat
                assert other[f"{stat}_se"] == pytest.approx(part[f"{stat}_se"], rel=0.1), stat
    # P(better) is a count: exact; the dominance relations are the same
    assert streamed["dominance"]["p_better"] == kept["dominance"]["p_better"]
    assert streamed["dominance"]["first_order"] == kept["dominance"]["first_order"]
    assert streamed["dominance"]["second_order"] == kept["dominance"]["second_order"]
    # act's utility is above wait's in every draw here (P(better) = 1): a first-order dominance
    assert kept["dominance"]["first_order"] == {"act": ["wait"], "wait": []}


def test_streamed_text_tables_are_those_of_the_kept_run():
    kept, streamed = runs()
    assert mcm.consequences(streamed).cell("act", "cost") == pytest.approx(mcm.consequences(kept).cell("act", "cost"))
    assert mcm.risks(streamed).cell("wait", "retaliation") == pytest.approx(
        mcm.risks(kept).cell("wait", "retaliation"))
    assert "streamed" in streamed.table().to_text()


def test_exponential_utility_streamed_has_its_closed_form():
    # X ~ N(1, 0.5) under u(x) = 1 - exp(-x / R), R = 2: E[u] = 1 - exp(-mu/R + sigma^2 / (2 R^2))
    # = 1 - exp(-0.46875) = 0.374220; the median utility is u(1) = 1 - exp(-0.5) = 0.393469
    m = compile_scenario(loads(one_criterion({"a": "{normal: [1.0, 0.5]}", "b": 0.5},
                                             extra="utility: {kind: exponential, risk_tolerance: 2}\n"), "x.yaml"))
    s = streaming.simulate_streamed(m, 60_000, seed=3).summary("utility")
    row, err = dict(zip(s.stats, s.values[0])), dict(zip(s.stats, s.se[0]))
    assert abs(row["mean"] - (1 - math.exp(-0.46875))) < 4 * err["mean"]
    assert abs(row["p50"] - (1 - math.exp(-0.5))) < 4 * err["p50"]
    kept = mcm.simulate(m, 60_000, seed=3).summary("utility")
    assert s.values[:, :2] == pytest.approx(kept.values[:, :2], rel=1e-9)
    assert np.all(np.abs(s.values[:, 2:] - kept.values[:, 2:]) <= 0.25 * kept.se[:, 2:] + 1e-12)


def test_a_cost_streamed_keeps_its_direction():
    # costs a ~ U(0, 1), b ~ U(0.2, 1.2), smaller better: a's quartile cost is 0.25 (utility -0.25 ...),
    # and a dominates b to first order (every quantile of a's cost is 0.2 lower)
    m = compile_scenario(loads(one_criterion({"a": "[0, 1]", "b": "[0.2, 1.2]"}, "min"), "c.yaml"))
    st = streaming.simulate_streamed(m, 50_000, seed=4)
    s = st.summary("gain")
    row, err = dict(zip(s.stats, s.values[0])), dict(zip(s.stats, s.se[0]))
    assert s.direction == -1 and abs(row["p25"] - 0.25) < 4 * err["p25"]
    d = st.dominance("gain").to_dict()
    assert d["first_order"] == {"a": ["b"], "b": []}
    assert d == mcm.simulate(m, 50_000, seed=4).dominance("gain").to_dict() | {"first_gap": d["first_gap"]}


def test_a_fixed_number_is_read_back_exactly():
    # every sample of b's gain is 0.5 (a point mass): its quantiles are 0.5 exactly, not a bin's spread
    m = compile_scenario(loads(one_criterion({"a": "[0, 1]", "b": 0.5}), "p.yaml"))
    s = streaming.simulate_streamed(m, 20_000, seed=1).summary("gain")
    assert np.all(s.values[1, 2:] == 0.5)


def test_memory_held_does_not_grow_with_the_samples(monkeypatch):
    seen = []
    real = mcm.evaluate

    def watch(model, theta):
        seen.append(theta.shape[0])
        return real(model, theta)

    monkeypatch.setattr(mcm, "evaluate", watch)
    m = event_model()
    peaks = []
    for n in (100_000, 300_000):     # 4 and 10 tasks of 4 blocks
        tracemalloc.start()
        streaming.simulate_streamed(m, n, seed=2, progress=False)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    # never more than one block of draws is evaluated at once
    assert max(seen) == BLOCK
    # 3 times the samples, (nearly) the same peak; keeping 300,000 samples would take
    # 300,000 x 2 options x (8 + 8 + 1 + 2 x 4 + 4) bytes = 17.4 MB for the arrays alone
    assert peaks[1] < 1.05 * peaks[0]
    assert peaks[1] < 17.4e6


def test_bad_arguments_name_the_call():
    with pytest.raises(ValueError, match=r"simulate_streamed\(\): n must be a positive number of samples; got 0"):
        streaming.simulate_streamed(event_model(), 0)
