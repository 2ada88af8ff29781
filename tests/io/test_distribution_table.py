"""The one table of distributions (`model.io.distributions`): it covers every form the loader
accepts, and each entry's mean, quantiles, support, sensitivity bounds and direct draws agree with
scipy.stats (the reference laws are in tests/distribution_reference.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from distribution_reference import BANDS, REFERENCE, assert_drawn_from

from model.io import loads, parse_number
from model.io import numbers as io_numbers
from model.io.distributions import DISTRIBUTIONS, FORMS, LOW_HIGH, law
from model.io.schema import scenario_schema

HEAD = "scenario: {id: t, title: T}\ncriteria: [{id: gain, direction: max}]\noptions:\n"


def loaded(form: str):
    text, _, _ = REFERENCE[form]
    return loads(HEAD + f"  - {{id: a, impacts: {{gain: {text}}}}}\n").option("a").impacts["gain"]


def test_the_table_covers_every_form_the_loader_accepts():
    # a form missing here has no scipy reference below: add one with the entry
    assert set(FORMS) == set(REFERENCE)
    assert set(FORMS) - set(DISTRIBUTIONS) == {"range", "word"}
    # the names a file may use are the table's, as the loader and the JSON Schema read them
    assert io_numbers.DISTRIBUTIONS == {name: d.n_params for name, d in DISTRIBUTIONS.items()}
    dist = scenario_schema()["$defs"]["short_number"]["anyOf"][3]
    assert list(dist["properties"]) == list(DISTRIBUTIONS)
    for form in FORMS:
        n = loaded(form)
        assert (n.kind, n.params) == (form, REFERENCE[form][1])


@pytest.mark.parametrize("form", list(REFERENCE))
def test_each_entry_agrees_with_scipy(form):
    _, params, ref = REFERENCE[form]
    d = law(form)
    assert d.check(params) is None
    assert len(params) == d.n_params
    assert d.mean(params) == pytest.approx(ref.mean(), rel=1e-12)
    assert loaded(form).point == pytest.approx(ref.mean(), rel=1e-12)  # the point value is the mean
    assert d.support(params) == pytest.approx(tuple(ref.support()))
    u = np.array([1e-6, 0.05, 0.3, 0.5, 0.7, 0.95, 1 - 1e-6])
    np.testing.assert_allclose(d.ppf(u, params), ref.ppf(u), rtol=1e-9, atol=1e-12)
    low_high = d.support(params) if form in BANDS else tuple(ref.ppf(LOW_HIGH))
    assert d.low_high(params) == pytest.approx(low_high, rel=1e-12)


@pytest.mark.parametrize("form", list(REFERENCE))
def test_each_entry_draws_directly_from_its_law(form):
    _, params, ref = REFERENCE[form]
    n = 40_000
    x = law(form).draw(np.random.default_rng(17), n, params)
    assert x.shape == (n,)
    assert_drawn_from(x, ref, form)


def test_checks_say_what_is_wrong_in_the_loaders_words():
    assert law("beta").check((0.0, 1.0)) == "beta needs two positive shape numbers; got [0, 1]"
    assert law("pert").check((3.0, 1.0, 2.0)) == "pert needs low <= mode <= high with low < high; got [3, 1, 2]"
    assert law("lognormal").check((0.0, -1.0)) == "lognormal needs a positive spread (second number); got -1"
    with pytest.raises(ValueError, match=r"unknown distribution 'betta'"):
        parse_number({"betta": [1, 2]})


def test_an_unknown_kind_is_no_law():
    for kind in ("gamma", "fixed", "otherwise"):
        with pytest.raises(ValueError, match=rf"law\(\): unknown distribution '{kind}'; known: beta, "):
            law(kind)


def test_reading_a_file_loads_neither_numpy_nor_scipy():
    import subprocess
    import sys

    code = ("import sys; from model.io import loads; "
            "loads('scenario: {id: t, title: T}\\ncriteria: [{id: g}]\\n"
            "options: [{id: a, impacts: {g: {pert: [0, 1, 6]}}}]\\n'); "
            "print(','.join(m for m in ('numpy', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
