"""Sampling reads the one table of distributions: every entry is drawn from its law with
`method="random"` and `method="lhs"` (checked against scipy.stats within Monte Carlo error), and
a number whose kind is not in the table raises at sampling instead of staying at its point value.
The reference laws are in tests/distribution_reference.py.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from distribution_reference import BANDS, REFERENCE, assert_drawn_from

from model import loads
from model.analysis.sampling import draw, draw_blocks
from model.compile import compile_scenario
from model.compile.distributions import low_high, ppf
from model.io.distributions import FORMS

N = 20_000


def every_form():
    options = "".join(f"  - {{id: {form}, impacts: {{gain: {text}}}}}\n" for form, (text, _, _) in REFERENCE.items())
    return compile_scenario(loads("scenario: {id: t, title: Every form}\ncriteria: [{id: gain, direction: max}]\n"
                                  "options:\n" + options))


def test_every_entry_of_the_table_has_a_reference_here():
    assert set(REFERENCE) == set(FORMS)


@pytest.mark.parametrize("method", ["random", "lhs"])
def test_each_entry_is_drawn_from_its_law(method):
    m = every_form()
    th = draw(m, N, seed=23, method=method)
    for form, (_, _, ref) in REFERENCE.items():
        i = m.params.index(f"options.{form}.impacts.gain")
        assert m.params.numbers[i].kind == form
        assert_drawn_from(th[:, i], ref, form)
        lo, hi = ref.support()
        assert lo <= th[:, i].min() and th[:, i].max() <= hi, form


def test_compile_reads_quantiles_and_bounds_from_the_table():
    m = every_form()
    u = np.array([0.05, 0.5, 0.95])
    for form, (_, _, ref) in REFERENCE.items():
        i = m.params.index(f"options.{form}.impacts.gain")
        n = m.params.numbers[i]
        np.testing.assert_allclose(ppf(n, u), ref.ppf(u), rtol=1e-9)
        # one-way sensitivity: a band's ends, else the 5th and 95th percentiles
        expect = ref.support() if form in BANDS else ref.ppf([0.05, 0.95])
        assert low_high(n) == pytest.approx(tuple(expect), rel=1e-12)
        assert (m.params.low[i], m.params.high[i]) == pytest.approx(tuple(expect), rel=1e-12)
        assert m.params.point[i] == pytest.approx(ref.mean(), rel=1e-12)


def with_unknown_kind(kind: str = "gamma"):
    """The every-form model with its normal number relabelled as a kind the table does not know."""
    m = every_form()
    i = m.params.index("options.normal.impacts.gain")
    numbers = list(m.params.numbers)
    numbers[i] = dataclasses.replace(numbers[i], kind=kind)
    return dataclasses.replace(m, params=dataclasses.replace(m.params, numbers=tuple(numbers))), i


@pytest.mark.parametrize("method", ["random", "lhs"])
def test_an_unknown_distribution_raises_at_sampling(method):
    m, i = with_unknown_kind()
    message = r"parameter 'options.normal.impacts.gain': unknown distribution 'gamma'; known: beta, "
    with pytest.raises(ValueError, match=r"draw\(\): " + message):
        draw(m, 100, seed=1, method=method)
    with pytest.raises(ValueError, match=message):
        draw(m, 100, rng=np.random.default_rng(1), method=method)
    with pytest.raises(ValueError, match=r"draw_blocks\(\): " + message):
        next(draw_blocks(m, 100, seed=1, method=method))
    # drawing only other numbers is fine: the unknown one is not drawn
    j = m.params.index("options.beta.impacts.gain")
    assert draw(m, 10, seed=1, method=method, only=[j]).shape == (10, m.n_params)
    with pytest.raises(ValueError, match=message):
        draw(m, 10, seed=1, method=method, only=[i])


def test_an_unknown_distribution_has_no_quantiles_or_bounds():
    m, i = with_unknown_kind()
    n = m.params.numbers[i]
    with pytest.raises(ValueError, match=r"ppf\(\): unknown distribution 'gamma'"):
        ppf(n, np.array([0.5]))
    with pytest.raises(ValueError, match=r"low_high\(\): unknown distribution 'gamma'"):
        low_high(n)
