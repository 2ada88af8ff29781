"""The notebook facade: `import model as jn; sc = jn.load(path); sc.evaluate(), sc.simulate(), ...`.

Each method must give exactly the numbers of the analysis function it calls, and the loaded
object must keep working wherever a `Scenario` is used.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import model as jn
from model.analysis import (
    DEFAULT_SEED,
    escalation,
    indicators,
    matrices,
    mcda,
    montecarlo,
    robustness,
    sensitivity,
    smaa,
    strategic,
    voi,
)
from model.compile import compile_scenario
from model.evaluate import point
from model.io import Scenario
from model.io import load as io_load
from model.results import FIGURES, Result

REPO = Path(__file__).resolve().parents[1]
VENEZUELA = REPO / "scenarios" / "venezuela.yaml"
WILDCATTER = REPO / "scenarios" / "reference" / "oil_wildcatter.yaml"
PUBLISHED = json.loads((REPO / "tests" / "reference" / "oil_wildcatter.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def wild() -> jn.Study:
    return jn.load(WILDCATTER)


@pytest.fixture(scope="module")
def vz() -> jn.Study:
    return jn.load(VENEZUELA)


@pytest.fixture(scope="module")
def credibility(vz) -> strategic.Credibility:
    return vz.signals()    # a few seconds on Venezuela: computed once


# ---------------------------------------------------------------------------- what load returns
def test_load_returns_a_scenario_with_methods(wild):
    assert isinstance(wild, jn.Study) and isinstance(wild, Scenario)
    plain = io_load(WILDCATTER)
    assert type(plain) is Scenario
    assert wild == plain and plain == wild                      # the same content, either way round
    assert jn.loads(WILDCATTER.read_text(encoding="utf-8"), str(WILDCATTER)) == wild
    assert jn.Study.of(plain) == wild and jn.Study.of(wild) is wild


def test_a_study_works_where_a_scenario_does(vz):
    # compiled as it is, and in a world (which goes through dataclasses.replace)
    world = next(iter(vz.worlds))
    for w in (None, world):
        a, b = compile_scenario(vz, world=w), compile_scenario(io_load(VENEZUELA), world=w)
        assert a.params.names == b.params.names
        np.testing.assert_array_equal(point(a).certainty_equivalent, point(b).certainty_equivalent)
    changed = dataclasses.replace(vz, utility=None)
    assert isinstance(changed, jn.Study) and changed.utility is None
    assert changed != vz or vz.utility is None
    assert "Study venezuela" in repr(vz)


def test_signals_are_still_the_mapping_and_calling_them_judges_them(vz, credibility):
    plain = io_load(VENEZUELA)
    assert dict(vz.signals) == plain.signals and len(vz.signals) == len(plain.signals)
    assert isinstance(credibility, strategic.Credibility)
    assert credibility.to_dict() == strategic.credibility(compile_scenario(plain)).to_dict()


def test_the_model_is_compiled_once_per_world(vz):
    assert vz.model() is vz.model()
    world = next(iter(vz.worlds))
    assert vz.model(world) is vz.model(world) and vz.model(world).world == world
    with pytest.raises(ValueError, match="no world 'nowhere'"):
        vz.model("nowhere")


def test_import_model_stays_light():
    code = ("import sys, model; heavy = [m for m in ('numpy', 'scipy', 'pandas', 'matplotlib') if m in sys.modules];"
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_all_names_exist():
    for name in jn.__all__:
        assert hasattr(jn, name), name


# ---------------------------------------------------------------------------- the example, on the wildcatter
def test_the_example_on_the_oil_wildcatter(wild):
    ev = wild.evaluate()
    best = ev.best_options()
    assert best == [PUBLISHED["expected"]["best_first_decision"]]
    ce = float(ev.certainty_equivalent[0, ev.model.options.index(best[0])])
    assert ce == pytest.approx(PUBLISHED["expected"]["ev_test"]["value"], abs=1e-9)   # 22.5, Raiffa

    mc = wild.simulate(1_000, seed=1)
    ref = montecarlo.simulate(compile_scenario(io_load(WILDCATTER)), 1_000, seed=1, progress=False)
    np.testing.assert_array_equal(mc.utility, ref.utility)
    assert mc.summary().to_dict() == ref.summary().to_dict()

    assert wild.compare(method="topsis").to_dict() == mcda.compare(wild.model(), "topsis").to_dict()
    assert wild.voi(500).to_dict() == voi.value_of_information(wild.model(), 500, progress=False).to_dict()
    assert wild.evsi("test").to_dict()["value"] == pytest.approx(12.5)                 # 32.5 - 20, Raiffa
    assert wild.sensitivity("tornado").to_dict() == sensitivity.tornado(wild.model()).to_dict()


# ---------------------------------------------------------------------------- the example, on Venezuela
def test_the_example_on_venezuela(vz):
    m = compile_scenario(io_load(VENEZUELA))
    ev = vz.evaluate()
    np.testing.assert_array_equal(ev.certainty_equivalent, point(m).certainty_equivalent)
    assert vz.matrix("ranking").to_dict() == matrices.ranking(point(m)).to_dict()

    mc = vz.simulate(2_000, seed=1)
    np.testing.assert_array_equal(mc.utility, montecarlo.simulate(m, 2_000, seed=1, progress=False).utility)
    assert mc.summary().to_dict() == montecarlo.summary(mc).to_dict()

    assert vz.compare(method="topsis").to_dict() == mcda.compare(m, "topsis").to_dict()
    assert vz.compare(weights="equal").to_dict() == mcda.compare(m, weights="equal").to_dict()
    s = vz.compare(method="smaa", n=500)
    assert isinstance(s, smaa.Smaa)
    np.testing.assert_array_equal(s.rank_acceptability, smaa.smaa(m, 500, seed=DEFAULT_SEED).rank_acceptability)

    assert vz.voi(800).to_dict() == voi.value_of_information(m, 800, progress=False).to_dict()
    assert vz.sensitivity("tornado").to_dict() == sensitivity.tornado(m).to_dict()
    th = vz.sensitivity("thresholds", points=17)
    assert th.to_dict() == sensitivity.thresholds(m, points=17).to_dict()
    tornado = sensitivity.tornado(m)
    tw = vz.sensitivity("two-way", points=5)
    assert tw.to_dict() == sensitivity.two_way(m, tornado.names[0], tornado.names[1], points=5).to_dict()
    names = list(tornado.names[:2])
    assert vz.sensitivity("spider", names, points=3).to_dict() == sensitivity.spider(m, names, points=3).to_dict()

    assert vz.robustness().to_dict() == robustness.across_worlds(io_load(VENEZUELA)).to_dict()
    assert vz.across_worlds(include_base=True).to_dict() == robustness.across_worlds(m, include_base=True).to_dict()
    wl = vz.watch_list()
    assert wl.to_dict() == indicators.watch_list(m).to_dict()
    seen = {wl.indicators[0]: True}
    assert vz.update(seen).to_dict() == indicators.posterior(m, seen).to_dict()
    assert vz.ladder().to_dict() == escalation.ladder(point(m)).to_dict()
    assert vz.ladder(100).to_dict() == escalation.ladder_draws(m, 100).to_dict()


def test_a_world_is_one_keyword_away(vz):
    world = next(iter(vz.worlds))
    mw = compile_scenario(io_load(VENEZUELA), world=world)
    np.testing.assert_array_equal(vz.evaluate(world).certainty_equivalent, point(mw).certainty_equivalent)
    np.testing.assert_array_equal(vz.simulate(500, world=world).utility,
                                  montecarlo.simulate(mw, 500, progress=False).utility)


def test_every_method_returns_a_result(vz, credibility):
    for r in (vz.simulate(300), vz.voi(300), vz.sensitivity(), vz.robustness(), credibility, vz.watch_list(),
              vz.ladder(), vz.update({vz.watch_list().indicators[0]: False})):
        assert isinstance(r, Result), type(r).__name__


def test_seed_none_is_the_default_seed(vz):
    np.testing.assert_array_equal(vz.simulate(300, seed=None).utility, vz.simulate(300).utility)
    np.testing.assert_array_equal(vz.simulate(300).utility, vz.simulate(300, seed=DEFAULT_SEED).utility)
    assert vz.voi(300, seed=None).to_dict() == vz.voi(300).to_dict()
    a, b = vz.compare(method="smaa", n=200, seed=None), vz.compare(method="smaa", n=200)
    np.testing.assert_array_equal(a.rank_acceptability, b.rank_acceptability)
    np.testing.assert_array_equal(vz.ladder(50, seed=None).crossing, vz.ladder(50).crossing)


def test_plot_draws_the_registered_figure_or_says_there_is_none(vz):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import model.plots  # noqa: F401  (fills the figure registry)

    mc = vz.simulate(300)
    if any(t in FIGURES for t in type(mc).__mro__):
        ax = mc.plot()
        assert ax.figure is not None
    else:
        with pytest.raises(TypeError, match="no figure of a MonteCarlo"):
            mc.plot()
    plt.close("all")


# ---------------------------------------------------------------------------- errors
def test_errors_name_the_call_and_the_value(vz):
    with pytest.raises(ValueError, match=r"sensitivity\(\): kind must be one of .*got 'tornadoes'"):
        vz.sensitivity("tornadoes")
    with pytest.raises(ValueError, match=r"sensitivity\('tornado'\): span do not apply"):
        vz.sensitivity("tornado", span=2)
    with pytest.raises(ValueError, match=r"name exactly two parameters; got 1"):
        vz.sensitivity("two-way", ["criteria.objective_achieved.weight"])
    with pytest.raises(ValueError, match=r"matrix\(\): kind must be one of"):
        vz.matrix("regret")
    with pytest.raises(ValueError, match="aggregation applies to method='smaa' only"):
        vz.compare(aggregation="topsis")
    with pytest.raises(TypeError, match=r"Study.of\(\): expected a Scenario; got str"):
        jn.Study.of("scenarios/venezuela.yaml")
