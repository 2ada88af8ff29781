"""Draws of the parameter vector: reproducible, in their distributions, stratified, correlated on request."""

from __future__ import annotations

import textwrap
from functools import lru_cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from model import load, loads
from model.analysis.sampling import BLOCK, DEFAULT_SEED, draw, draw_blocks, factor_loadings
from model.compile import compile_scenario
from model.evaluate import branch_probabilities

from paths import VENEZUELA_FROZEN

FORMS = textwrap.dedent("""\
    scenario: {id: forms, title: Every number form}
    criteria: [{id: gain, direction: max}]
    options:
      - id: a
        impacts: {gain: [2, 4]}
      - id: b
        impacts: {gain: {beta: [2, 5]}}
      - id: c
        impacts: {gain: {pert: [0, 1, 6]}}
      - id: d
        impacts: {gain: {triangular: [0, 1, 6]}}
      - id: e
        impacts: {gain: {normal: [3, 0.5]}}
      - id: f
        impacts: {gain: {lognormal: [0.5, 0.25]}}
      - id: g
        impacts: {gain: 3}
    events:
      - id: shock
        depends_on: [option]
        states: {none: {}, mild: {impacts: {gain: -1}}, hard: {impacts: {gain: -3}}}
        probability:
          "*": {mild: likely, hard: [0.1, 0.3], none: otherwise}
""")


@lru_cache(maxsize=None)
def forms():
    return compile_scenario(loads(FORMS, "forms.yaml"))


@lru_cache(maxsize=None)
def venezuela():
    return compile_scenario(load(VENEZUELA_FROZEN))


def col(m, name):
    return m.params.index(name)


def test_the_same_seed_gives_the_same_draws_bit_for_bit():
    m = venezuela()
    a = draw(m, 5000, seed=7)
    b = draw(m, 5000, seed=7)
    assert a.tobytes() == b.tobytes()
    assert not np.array_equal(a, draw(m, 5000, seed=8))
    assert np.array_equal(draw(m, 100), draw(m, 100, seed=DEFAULT_SEED))


def test_draws_do_not_depend_on_how_they_are_chunked_or_on_what_else_is_drawn():
    m = forms()
    n = BLOCK + 1000
    whole = draw(m, n, seed=3)
    blocks = np.concatenate([th for _, th in draw_blocks(m, n, seed=3)])
    assert np.array_equal(whole, blocks)
    # a shorter run is the start of a longer one, block by block and within a block
    assert np.array_equal(draw(m, 700, seed=3), whole[:700])
    assert np.array_equal(draw(m, BLOCK + 10, seed=3), whole[:BLOCK + 10])
    # drawing one number alone gives it the same values it has in a full draw
    i = col(m, "options.b.impacts.gain")
    alone = draw(m, 700, seed=3, only=[i])
    assert np.array_equal(alone[:, i], whole[:700, i])
    others = [j for j in range(m.n_params) if j != i]
    assert np.array_equal(alone[:, others], np.tile(m.params.point[others], (700, 1)))


def test_lhs_blocks_are_reproducible_and_stratified():
    m = forms()
    n = 2000
    th = draw(m, n, seed=1, method="lhs")
    assert np.array_equal(th, draw(m, n, seed=1, method="lhs"))
    # each uniform number has exactly one draw in each of n equal slices of its range
    i = col(m, "options.a.impacts.gain")
    slices = np.floor((th[:, i] - 2.0) / 2.0 * n).astype(int)
    assert sorted(slices.tolist()) == list(range(n))
    # a beta keeps one draw per slice of its probability scale
    j = col(m, "options.b.impacts.gain")
    u = stats.beta.cdf(th[:, j], 2, 5)
    assert sorted(np.floor(u * n).astype(int).tolist()) == list(range(n))


@pytest.mark.parametrize("method", ["random", "lhs"])
def test_each_form_is_drawn_from_its_distribution(method):
    m = forms()
    th = draw(m, 20_000, seed=11, method=method)
    dists = {
        "options.a.impacts.gain": stats.uniform(2, 2),
        "options.b.impacts.gain": stats.beta(2, 5),
        # PERT [0, 1, 6]: beta(1 + 4 * 1/6, 1 + 4 * 5/6) on [0, 6]
        "options.c.impacts.gain": stats.beta(1 + 4 / 6, 1 + 20 / 6, loc=0, scale=6),
        "options.d.impacts.gain": stats.triang(1 / 6, loc=0, scale=6),
        "options.e.impacts.gain": stats.norm(3, 0.5),
        "options.f.impacts.gain": stats.lognorm(0.25, scale=np.exp(0.5)),
        # words and ranges are uniform on their band
        "events.shock.probability.*.mild": stats.uniform(0.55, 0.25),
        "events.shock.probability.*.hard": stats.uniform(0.1, 0.2),
    }
    for name, dist in dists.items():
        p = stats.kstest(th[:, col(m, name)], dist.cdf).pvalue
        assert p > 1e-4, f"{name}: draws do not follow the stated distribution (KS p = {p:.2g})"
    assert (th[:, col(m, "options.g.impacts.gain")] == 3).all()


def test_draws_respect_each_numbers_support():
    m = forms()
    th = draw(m, 5000, seed=2)
    for i, n in enumerate(m.params.numbers):
        lo, hi = n.support()
        assert (th[:, i] >= lo).all() and (th[:, i] <= hi).all(), m.params.names[i]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 300))
def test_every_probability_row_sums_to_one_after_sampling(seed, n):
    m = venezuela()
    q = branch_probabilities(m, draw(m, n, seed=seed))[:, :-1]
    sums = np.add.reduceat(q, m.group_start, axis=1)
    assert np.allclose(sums, 1.0, atol=1e-12)
    assert (q >= 0).all()


FACTORS = textwrap.dedent("""\
    scenario: {id: resolve, title: One factor drives two numbers}
    criteria: [{id: gain, direction: max}]
    options:
      - {id: a, impacts: {gain: [0, 1]}}
      - {id: b, impacts: {gain: {beta: [2, 3]}}}
      - {id: c, impacts: {gain: [0, 1]}}
    factors:
      resolve:
        drives: {options.a.impacts.gain: 0.8, options.b.impacts.gain: 0.6}
""")


def test_a_factor_correlates_the_numbers_it_drives_and_keeps_their_distributions():
    m = compile_scenario(loads(FACTORS, "factors.yaml"))
    assert factor_loadings(m).shape == (1, m.n_params)
    th = draw(m, 40_000, seed=5)
    a, b, c = (th[:, col(m, f"options.{o}.impacts.gain")] for o in "abc")
    # Gaussian copula: normal scores correlate by the product of the loadings, 0.8 x 0.6 = 0.48;
    # Spearman's rho of a Gaussian copula is (6 / pi) asin(r / 2)
    rho = stats.spearmanr(a, b).statistic
    assert rho == pytest.approx(6 / np.pi * np.arcsin(0.48 / 2), abs=0.015)
    assert abs(stats.spearmanr(a, c).statistic) < 0.02
    assert stats.kstest(a, stats.uniform(0, 1).cdf).pvalue > 1e-4
    assert stats.kstest(b, stats.beta(2, 3).cdf).pvalue > 1e-4
    # the same with a Latin hypercube
    th = draw(m, 40_000, seed=5, method="lhs")
    rho = stats.spearmanr(th[:, col(m, "options.a.impacts.gain")], th[:, col(m, "options.b.impacts.gain")]).statistic
    assert rho == pytest.approx(6 / np.pi * np.arcsin(0.48 / 2), abs=0.015)


@pytest.mark.parametrize("kwargs, message", [
    (dict(n=0), "draw(): n must be a positive number of samples; got 0"),
    (dict(n=10, method="sobol"), "draw(): method must be one of random, lhs; got 'sobol'"),
])
def test_bad_arguments_name_the_call_and_the_value(kwargs, message):
    with pytest.raises(ValueError) as e:
        draw(forms(), **kwargs)
    assert str(e.value) == message


def test_draw_from_a_given_generator_chains():
    m = forms()
    rng = np.random.default_rng(4)
    a = draw(m, 50, rng=rng)
    b = draw(m, 50, rng=rng)
    assert not np.array_equal(a, b)
    rng = np.random.default_rng(4)
    assert np.array_equal(draw(m, 50, rng=rng), a)


def test_no_seed_is_the_default_seed_as_everywhere():
    """seed=None means the documented default seed in every stochastic call (issue 10)."""
    from model.analysis.sampling import DEFAULT_SEED, draw
    from model.compile import compile_scenario
    from model.io import load
    from paths import VENEZUELA_FROZEN

    m = compile_scenario(load(VENEZUELA_FROZEN))
    np.testing.assert_array_equal(draw(m, 50, seed=None), draw(m, 50, seed=DEFAULT_SEED))
