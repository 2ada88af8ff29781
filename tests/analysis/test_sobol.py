"""Sobol indices (model.analysis.sobol) against analytic values: the Ishigami function written as a
scenario, and a linear model whose numbers share a common factor."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest
from paths import REPO

from model.analysis import sobol as sob
from model.compile import compile_scenario
from model.io import load, loads

pytest.importorskip("SALib")

ISHIGAMI = REPO / "scenarios" / "reference" / "ishigami.yaml"
B1, B2, B3 = "tree.ishigami.plus.p", "tree.ishigami.plus.hit.p", "tree.ishigami.plus.hit.on.p"


def _ishigami_analytic() -> dict[str, tuple[float, float]]:
    """(S1, ST) of x1, x2, x3 for a = 7, b = 0.1 (Sobol' & Levitan 1999; SALib's test functions):
    V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = b^2 pi^8 (1/18 - 1/50)."""
    a, b, pi = 7.0, 0.1, np.pi
    v1 = 0.5 * (1 + b * pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * pi ** 8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return {B1: (v1 / v, (v1 + v13) / v), B2: (v2 / v, v2 / v), B3: (0.0, v13 / v)}


def test_the_analytic_values_are_the_issues():
    a = _ishigami_analytic()
    assert [round(a[k][0], 3) for k in (B1, B2, B3)] == [0.314, 0.442, 0.0]
    assert round(a[B1][1], 3) == 0.558


def test_ishigami_as_a_scenario_matches_the_analytic_indices_within_the_intervals():
    """Issue 14: S1 = 0.314, 0.442, 0.000 and ST1 = 0.558, each within its 95% confidence interval;
    ST2 and ST3 too. The margin over the option paying 0 is the function itself: same indices."""
    m = compile_scenario(load(ISHIGAMI))
    res = sob.sobol(m, 8192, seed=20251107)
    assert set(res.inputs) == {B1, B2, B3}
    assert res.versus == ("ishigami", "nothing") and res.evaluations == 8192 * 5
    k = res.outputs.index("ishigami")
    for name, (s1, st) in _ishigami_analytic().items():
        j = res.inputs.index(name)
        assert abs(res.s1[k, j] - s1) <= res.s1_conf[k, j], name
        assert abs(res.st[k, j] - st) <= res.st_conf[k, j], name
        assert res.s1_conf[k, j] < 0.05 and res.st_conf[k, j] < 0.05      # intervals narrow enough to mean it
    margin = res.outputs.index(sob.MARGIN)
    np.testing.assert_allclose(res.s1[margin], res.s1[k])
    assert res.mean[k] == pytest.approx(3.5, abs=0.05)            # a / 2
    assert res.variance[k] == pytest.approx(13.8446, rel=0.02)
    nothing = res.outputs.index("nothing")
    assert np.isnan(res.st[nothing]).all() and any("does not vary" in n for n in res.notes)


FACTOR = textwrap.dedent("""\
    scenario: {id: tied, title: "Two numbers, one tied to a factor"}
    criteria: [{id: gain, direction: max}]
    options:
      - {id: a, impacts: {gain: {normal: [0, 1]}}}
      - {id: b, impacts: {gain: {normal: [0, 1]}}}
    factors:
      resolve:
        drives: {options.a.impacts.gain: 0.6}
""")


def test_a_factor_is_an_input_of_its_own_beside_each_numbers_own_part():
    """a = 0.6 F + 0.8 e (the copula with loading 0.6, standard normal), b independent: a - b has
    variance 0.36 + 0.64 + 1 = 2, so its indices are 0.18 (the factor), 0.32 (a's own part) and 0.5
    (b), first order and total alike (a linear model)."""
    m = compile_scenario(loads(FACTOR, "tied.yaml"))
    res = sob.sobol(m, 4096, seed=3, versus=("a", "b"))
    assert res.inputs == ("factors.resolve", "options.a.impacts.gain", "options.b.impacts.gain")
    k = res.outputs.index(sob.MARGIN)
    for j, want in enumerate((0.18, 0.32, 0.5)):
        assert abs(res.s1[k, j] - want) <= max(res.s1_conf[k, j], 0.01)
        assert abs(res.st[k, j] - want) <= max(res.st_conf[k, j], 0.01)
    # a alone: the factor 0.36, its own part 0.64, b nothing
    a = res.outputs.index("a")
    np.testing.assert_allclose(res.st[a], [0.36, 0.64, 0.0], atol=0.03)


def test_the_design_is_a_function_of_the_seed():
    m = compile_scenario(load(ISHIGAMI))
    one, two = sob.sobol(m, 256, seed=1), sob.sobol(m, 256, seed=1)
    np.testing.assert_array_equal(one.st, two.st)
    assert not np.array_equal(one.st, sob.sobol(m, 256, seed=2).st)


def test_the_json_shape():
    d = sob.sobol(compile_scenario(load(ISHIGAMI)), 256).to_dict()
    assert d["kind"] == "sobol" and d["samples"] == 256 and d["evaluations"] == 256 * 5
    assert set(d["outputs"]) == {"nothing", "ishigami", "margin"}
    assert set(d["outputs"]["margin"]["indices"][B1]) == {"S1", "S1_conf", "ST", "ST_conf"}
    assert d["outputs"]["nothing"]["indices"][B1]["ST"] is None        # does not vary: no index


def test_bad_arguments_are_refused():
    m = compile_scenario(load(ISHIGAMI))
    with pytest.raises(ValueError, match="power of 2"):
        sob.sobol(m, 1000)
    with pytest.raises(ValueError, match="fixed in the file"):
        sob.sobol(m, 256, params=["tree.nothing.payoff"])
    with pytest.raises(ValueError, match="versus"):
        sob.sobol(m, 256, versus=("ishigami", "ishigami"))


def test_without_salib_the_message_says_how_to_install_it(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_salib(name, *args, **kwargs):
        if name.startswith("SALib"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_salib)
    with pytest.raises(sob.SALibMissing, match=r"pip install 'juncture\[sobol\]'"):
        sob.sobol(compile_scenario(load(ISHIGAMI)), 256)


@pytest.mark.parametrize("n, d, seed", [(8, 3, 1), (64, 7, 5), (16, 1, 2)])
def test_the_design_is_salibs_built_a_block_at_a_time(n, d, seed):
    """`design_rows` gives SALib's Saltelli matrix (calc_second_order=False), number for number,
    from any block boundaries."""
    from SALib.sample import sobol as salib_sample

    ref = salib_sample.sample({"num_vars": d, "names": [str(i) for i in range(d)], "bounds": [[0, 1]] * d}, n,
                              calc_second_order=False, seed=seed)
    base = sob.sobol_base(n, d, seed)
    rows = n * (d + 2)
    ours = np.vstack([sob.design_rows(base, a, min(a + 7, rows)) for a in range(0, rows, 7)])
    np.testing.assert_array_equal(ours, ref)
