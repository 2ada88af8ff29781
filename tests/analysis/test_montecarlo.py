"""Monte Carlo results against answers a reader can check: closed forms, hand-built dominance, seeds."""

from __future__ import annotations

import json
import math
import textwrap
from functools import lru_cache

import numpy as np
import pytest
from scipy import stats

from model import loads
from paths import REPO

from model.analysis import montecarlo as mcm
from model.analysis.sampling import BLOCK
from model.cli import main
from model.compile import compile_scenario


def scenario(options: dict[str, str], direction: str = "max", extra: str = "") -> str:
    opts = "\n".join(f"  - {{id: {o}, impacts: {{gain: {v}}}}}" for o, v in options.items())
    return textwrap.dedent(f"""\
        scenario: {{id: mc-test, title: Monte Carlo test}}
        criteria: [{{id: gain, unit: USD m, direction: {direction}}}]
        options:
        """) + opts + "\n" + extra


@lru_cache(maxsize=None)
def normals():
    # two options whose utilities are known normals: A ~ N(1.0, 0.5), B ~ N(0.8, 0.3), independent
    return compile_scenario(loads(scenario({"a": "{normal: [1.0, 0.5]}", "b": "{normal: [0.8, 0.3]}"}), "n.yaml"))


@lru_cache(maxsize=None)
def normals_run(n: int = 100_000, seed: int = 1):
    return mcm.simulate(normals(), n, seed=seed)


def test_probability_best_of_two_normals_has_its_closed_form():
    mc = normals_run()
    p, se = mc.p_best()
    exact = stats.norm.cdf((1.0 - 0.8) / math.sqrt(0.5**2 + 0.3**2))   # Phi(0.343) = 0.6342
    assert abs(p[0] - exact) < 4 * se[0]
    assert p.sum() == pytest.approx(1.0)
    assert se[0] == pytest.approx(math.sqrt(exact * (1 - exact) / mc.n), rel=0.01)


def test_summary_of_a_normal_matches_its_moments_and_quantiles_within_the_reported_error():
    s = normals_run().summary()
    a = s.options.index("a")
    row = dict(zip(s.stats, s.values[a]))
    err = dict(zip(s.stats, s.se[a]))
    assert abs(row["mean"] - 1.0) < 4 * err["mean"]
    assert abs(row["sd"] - 0.5) < 4 * err["sd"]
    for q in (0.05, 0.25, 0.5, 0.75, 0.95):
        name = f"p{100 * q:g}"
        assert abs(row[name] - (1.0 + 0.5 * stats.norm.ppf(q))) < 4 * err[name], name
    # standard errors of a normal sample: sd / sqrt(n); sd / sqrt(2n); sqrt(q(1-q)/n) / density
    n = s.n
    assert err["mean"] == pytest.approx(0.5 / math.sqrt(n), rel=0.02)
    assert err["sd"] == pytest.approx(0.5 / math.sqrt(2 * n), rel=0.05)
    assert err["p50"] == pytest.approx(math.sqrt(0.25 / n) / stats.norm.pdf(0, scale=0.5), rel=0.1)


def test_reported_errors_match_the_spread_over_independent_seeds():
    m = normals()
    runs = [mcm.simulate(m, 2000, seed=k).summary() for k in range(30)]
    a = runs[0].options.index("a")
    for stat in ("mean", "sd", "p50", "p95"):
        j = runs[0].stats.index(stat)
        spread = np.std([r.values[a, j] for r in runs], ddof=1)
        reported = np.mean([r.se[a, j] for r in runs])
        assert 0.6 < spread / reported < 1.6, f"{stat}: spread {spread:.3g}, reported {reported:.3g}"


def test_latin_hypercube_errors_overstate_the_spread_and_say_so():
    """A Latin hypercube of a single normal stratifies it: the spread of the mean over seeds falls
    far below sd / sqrt(n), the independent-draws error the summary reports; the output says so."""
    m = normals()
    runs = [mcm.simulate(m, 2000, seed=k, method="lhs").summary() for k in range(30)]
    j = runs[0].stats.index("mean")
    spread = np.std([r.values[0, j] for r in runs], ddof=1)
    reported = np.mean([r.se[0, j] for r in runs])
    assert reported > 4 * spread
    assert mcm.LHS_ERROR_NOTE in runs[0].notes
    assert mcm.LHS_ERROR_NOTE not in normals_run().summary().notes


def test_seeded_runs_are_identical_twice_and_independent_of_blocks():
    m = normals()
    one, two = mcm.simulate(m, 3000, seed=9), mcm.simulate(m, 3000, seed=9)
    for f in ("utility", "certainty_equivalent", "best", "expected", "risk"):
        assert getattr(one, f).tobytes() == getattr(two, f).tobytes(), f
    longer = mcm.simulate(m, BLOCK + 5, seed=9)
    assert np.array_equal(longer.utility[:3000], one.utility)
    assert not np.array_equal(mcm.simulate(m, 3000, seed=10).utility, one.utility)


def test_risk_profile_is_the_cumulative_distribution():
    mc = normals_run()
    rp = mc.risk_profile(points=41)
    assert (np.diff(rp.cdf, axis=1) >= 0).all()
    assert np.allclose(rp.cdf[:, -1], 1.0)
    a = rp.options.index("a")
    exact = stats.norm.cdf(rp.x, 1.0, 0.5)
    assert (np.abs(rp.cdf[a] - exact) <= 4 * np.maximum(rp.se[a], 1 / mc.n) + 1e-12).all()


def test_dominance_of_hand_built_samples():
    # A = {2, 2} and B = {1, 3}: same mean, A less spread. Sorted sums: A 2, 4; B 1, 4 -> A
    # dominates B to second order; B's best outcome beats A's, so not to first order.
    x = np.array([[2.0, 1.0], [2.0, 3.0]])
    fo, so, fgap, sgap, pb = mcm.dominance_of_samples(x)
    assert not fo.any()
    assert so[0, 1] and not so[1, 0]
    assert fgap[0, 1] == 0.5                      # F_A(2) - F_B(2) = 1 - 1/2
    assert sgap[1, 0] == 0.5                      # B's worst-outcome mean 1/2 behind A's 2/2
    assert pb[0, 1] == 0.5 and pb[1, 0] == 0.5
    # C = B + 1 dominates B to first order (and so to second)
    x = np.array([[1.0, 2.0], [3.0, 4.0], [2.0, 3.0]])
    fo, so, fgap, _, pb = mcm.dominance_of_samples(x)
    assert fo[1, 0] and so[1, 0] and not fo[0, 1] and not so[0, 1]
    assert fgap[1, 0] == 0 and pb[1, 0] == 1.0
    # identical distributions: nobody dominates
    fo, so, *_ = mcm.dominance_of_samples(np.array([[1.0, 2.0], [2.0, 1.0]]))
    assert not fo.any() and not so.any()


def test_dominance_between_simulated_options():
    # shifted uniforms: B = U(0.2, 1.2) beats A = U(0, 1) to first order; C = 0.52 for sure
    # dominates A to second order only (same-ish mean, no spread); a cost reverses the direction
    text = scenario({"a": "[0, 1]", "b": "[0.2, 1.2]", "c": "0.52"})
    mc = mcm.simulate(compile_scenario(loads(text, "d.yaml")), 4000, seed=3)
    d = mc.dominance()
    a, b, c = (d.options.index(o) for o in "abc")
    assert d.first_order[b, a] and not d.first_order[a, b]
    assert d.second_order[c, a] and not d.first_order[c, a] and not d.second_order[a, c]
    assert d.first_gap[b, a] == 0 and d.first_gap[a, b] > 0.15
    costs = mcm.simulate(compile_scenario(loads(scenario({"a": "[0, 1]", "b": "[0.2, 1.2]"}, "min"), "c.yaml")),
                         4000, seed=3)
    dc = costs.dominance("gain")
    assert dc.first_order[0, 1] and not dc.first_order[1, 0]
    assert dc.direction == -1
    # utility of a cost is its negative: the same order
    assert costs.dominance().first_order[0, 1]


WITH_EVENT = (REPO / "tests" / "data" / "mc_with_event.yaml").read_text(encoding="utf-8")


def test_criteria_and_risks_across_samples():
    m = compile_scenario(loads(WITH_EVENT, "e.yaml"))
    mc = mcm.simulate(m, 20_000, seed=2)
    # E[cost of act] = E[U(2, 4)] + E[P(retaliation)] E[PERT(2, 4, 8)] = 3 + 0.675 x 13/3 (independent)
    s = mc.summary("cost")
    assert abs(s.values[0, 0] - (3 + 0.675 * 13 / 3)) < 4 * s.se[0, 0]
    assert s.direction == -1 and s.unit == "USD bn" and s.p_best is None
    r = mcm.risks(mc)
    assert r.cell("act", "retaliation") == pytest.approx(0.675, abs=0.005)
    assert r.cell("wait", "retaliation") == pytest.approx(0.125, abs=0.005)
    t = mcm.consequences(mc)
    assert t.columns == ("cost", "gain") and t.cell("act", "gain") == pytest.approx(6.0)
    with pytest.raises(ValueError, match="consequences\\(\\): stat must be one of"):
        mcm.consequences(mc, "p42")


def test_results_print_and_export():
    mc = mcm.simulate(compile_scenario(loads(WITH_EVENT, "e.yaml")), 500, seed=2)
    s = mc.summary()
    t = s.table()
    assert t.columns[0] == "P(best)" and t.rows == ("act", "wait")
    assert s.errors().columns == t.columns
    assert json.loads(t.to_json())["rows"]["act"]["mean"] == pytest.approx(s.values[0, 0])
    assert "<table>" in mc._repr_html_()
    frame = t.to_frame()
    assert list(frame.index) == ["act", "wait"]
    d = s.to_dict()
    assert set(d["act"]) >= {"p_best", "p_best_se", "mean", "mean_se", "p50", "p50_se"}
    assert "dominates (1st order)" in mc.dominance().table().columns
    assert mc.risk_profile(points=5).table().to_csv().startswith("x (value 0-1),act,wait")


@pytest.mark.parametrize("call, message", [
    (lambda m: mcm.simulate(m, 0), "simulate(): n must be a positive number of samples; got 0"),
    (lambda m: mcm.simulate(m, 10, method="halton"), "simulate(): method must be one of random, lhs; got 'halton'"),
    (lambda m: mcm.simulate(m, 10).summary("speed"), "MonteCarlo.samples(): of must be"),
])
def test_bad_arguments_name_the_call_and_the_value(call, message):
    with pytest.raises(ValueError) as e:
        call(normals())
    assert str(e.value).startswith(message)


def test_progress_bar_only_where_someone_watches(capsys):
    bar = mcm.Progress(10, "simulate")        # stderr is captured: not a terminal
    bar.update(10)
    bar.close()
    assert capsys.readouterr().err == ""
    bar = mcm.Progress(10, "simulate", enabled=True, delay=0.0)
    bar.update(10)
    bar.close()
    err = capsys.readouterr().err
    assert "simulate [" in err and "10/10" in err and err.endswith("\n")


def run(capsys, *args):
    """`juncture ARGS` in this process (faster than a subprocess): (exit code, stdout, stderr)."""
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_simulate_command_json_is_seeded_and_complete(capsys, tmp_path):
    f = tmp_path / "e.yaml"
    f.write_text(WITH_EVENT)
    code, a, err = run(capsys, "simulate", f, "--samples", "3000", "--json")
    assert code == 0 and err == "", err
    assert run(capsys, "simulate", f, "--samples", "3000", "--json")[1] == a
    out = json.loads(a)
    assert out["samples"] == 3000 and out["method"] == "random"
    act = out["options"]["act"]
    assert set(act) == {"p_best", "p_best_se", "utility", "certainty_equivalent", "criteria", "risks"}
    assert sum(o["p_best"] for o in out["options"].values()) == pytest.approx(1.0)
    assert set(act["criteria"]) == {"cost", "gain"}
    assert "first_order" in out["dominance"]
    code, text, _ = run(capsys, "simulate", f, "--samples", "500", "--method", "lhs")
    assert code == 0 and "Monte Carlo: utility" in text and "Stochastic dominance" in text
    code, _, err = run(capsys, "simulate", f, "--samples", "0")
    assert code == 2 and "--samples must be between 2 and" in err and "got 0" in err
