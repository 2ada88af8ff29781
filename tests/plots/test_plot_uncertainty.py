"""Figures of the uncertainty analyses: what each shows, checked without looking at pixels.

Every number drawn must be the analysis's own (quantiles, P(best) and its error, swings, EVPI),
so the tests read the artists back and compare them with the result objects.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest
from conftest import OIL, REPO, drawn

from model.analysis import montecarlo, sensitivity, voi
from model.cli import main
from model.compile import compile_scenario
from model.io import load
from model.plots import (
    p_best_bars,
    risk_profiles,
    spider_chart,
    strategy_regions,
    tornado_chart,
    utility_distribution,
    voi_bars,
)
from model.plots.uncertainty import Z95
from model.report.sections import two_way_setup

from paths import VENEZUELA_FROZEN

# Two options, one criterion in USD m: a gamble paying uniform(0, 1) and a sure 0.25. The gamble is
# best exactly when its draw exceeds 0.25: P(best) = 0.75 for the gamble and 0.25 for the sure thing.
TWO_OPTIONS = """\
scenario: {id: two-options, title: Two options, question: "Gamble or take the sure thing?"}
criteria:
  - {id: payoff, unit: USD m, direction: max}
options:
  - {id: gamble, impacts: {payoff: {uniform: [0, 1]}}}
  - {id: sure_thing, impacts: {payoff: 0.25}}
"""


@pytest.fixture(scope="module")
def vmodel():
    return compile_scenario(load(str(VENEZUELA_FROZEN)))


@pytest.fixture(scope="module")
def vmc(vmodel):
    return montecarlo.simulate(vmodel, 400, seed=7, progress=False)


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    path = tmp_path_factory.mktemp("two") / "two_options.yaml"
    path.write_text(TWO_OPTIONS, encoding="utf-8")
    return montecarlo.simulate(compile_scenario(load(str(path))), 4000, seed=1, progress=False)


def _by_gid(artists, prefix):
    return [a for a in artists if (a.get_gid() or "").startswith(prefix)]


def _error_halfwidths(ax, gid):
    """Half-widths of horizontal error bars, in the order they were drawn."""
    (coll,) = [c for c in ax.collections if c.get_gid() == gid]
    return np.array([(seg[1][0] - seg[0][0]) / 2 for seg in coll.get_segments()])


# ------------------------------------------------------------------------------------------ P(best)
def test_p_best_one_bar_per_option_with_its_monte_carlo_error(two):
    ax = p_best_bars(two)
    bars = _by_gid(ax.patches, "p-best:")
    assert [b.get_gid() for b in bars] == ["p-best:gamble", "p-best:sure_thing"]
    p, se = two.p_best()
    assert [b.get_width() for b in bars] == pytest.approx(p)
    # the constructed case: 0.75 and 0.25, within four standard errors of 4,000 draws
    assert p == pytest.approx([0.75, 0.25], abs=4 * se.max())
    assert _error_halfwidths(ax, "p-best-errors") == pytest.approx(Z95 * se)
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "p-best-label"]
    assert labels[0].startswith(f"{p[0]:.3f}".rstrip("0")) and "±" in labels[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["gamble", "sure_thing"]
    assert "probability" in ax.get_xlabel() and ax.get_xlim() == (0, 1)


def test_p_best_reads_a_summary_too(vmc):
    summ = vmc.summary()
    ax = p_best_bars(summ)
    assert [b.get_width() for b in _by_gid(ax.patches, "p-best:")] == pytest.approx(summ.p_best)
    assert len(_error_halfwidths(ax, "p-best-errors")) == len(vmc.options)


def test_p_best_refuses_a_summary_without_p_best(vmc):
    with pytest.raises(TypeError, match="MonteCarlo or a Summary"):
        p_best_bars(vmc.summary("cost"))


# ---------------------------------------------------------------------------- utility distribution
def test_utility_distribution_one_violin_per_option_and_the_summarys_numbers(vmc):
    ax = utility_distribution(vmc)
    opts = list(vmc.options)
    assert [t.get_text() for t in ax.get_yticklabels()] == opts
    assert [c.get_gid() for c in _by_gid(ax.collections, "violin:")] == [f"violin:{o}" for o in opts]
    summ = vmc.summary()
    means = [ln.get_xdata()[0] for ln in ax.lines if ln.get_gid() == "mean"]
    assert means == pytest.approx(summ.values[:, summ.stats.index("mean")])
    boxes = [ln.get_xdata() for ln in ax.lines if ln.get_gid() == "p25-p75"]
    assert [b[0] for b in boxes] == pytest.approx(summ.values[:, summ.stats.index("p25")])
    assert ax.get_xlabel() == "expected utility (value 0-1)"


def test_utility_distribution_of_a_criterion_in_its_unit(vmc):
    ax = utility_distribution(vmc, of="cost")
    assert ax.get_xlabel() == "cost (USD bn); smaller is better"


def test_a_number_that_does_not_vary_is_a_tick_not_a_violin(two):
    ax = utility_distribution(two)
    assert [c.get_gid() for c in _by_gid(ax.collections, "violin:")] == ["violin:gamble"]
    assert [ln.get_gid() for ln in _by_gid(ax.lines, "fixed:")] == ["fixed:sure_thing"]
    assert ax.get_xlabel() == "expected utility (USD m)"


# ------------------------------------------------------------------------------------- risk profile
def test_risk_profiles_one_curve_per_option_as_computed(vmc):
    rp = vmc.risk_profile()
    ax = risk_profiles(rp)
    curves = _by_gid(ax.lines, "profile:")
    assert [c.get_gid() for c in curves] == [f"profile:{o}" for o in vmc.options]
    for i, c in enumerate(curves):
        assert c.get_ydata() == pytest.approx(rp.cdf[i])
    assert "value 0-1" in ax.get_xlabel()
    assert len(_by_gid(ax.collections, "band:")) == len(vmc.options)


# ------------------------------------------------------------------------------------------ tornado
def test_tornado_bars_sorted_by_swing_and_named_by_phrase(vmodel):
    t = sensitivity.tornado(vmodel)
    ax = tornado_chart(t, top=10)
    low = {p.get_gid()[4:]: p.get_width() for p in _by_gid(ax.patches, "low:")}
    high = {p.get_gid()[5:]: p.get_width() for p in _by_gid(ax.patches, "high:")}
    names = list(t.names[:10])
    assert list(low) != [] and set(low) == set(high) == set(names)
    swings = [abs(high[n] - low[n]) for n in names]
    assert swings == sorted(swings, reverse=True)
    assert swings == pytest.approx(t.swing[:10])
    assert [low[n] for n in names] == pytest.approx(t.at_low[:10] - t.base)
    assert [lb.get_text().replace("\n", " ") for lb in ax.get_yticklabels()] == list(t.phrases[:10])
    assert "value 0-1" in ax.get_xlabel()
    assert any("more numbers" in x.get_text() for x in ax.texts if x.get_gid() == "footnote")


def test_tornado_marks_the_option_that_becomes_best(vmodel):
    # the file fixes P(sustained_war | status_quo) at 0.01; moved across [0, 1] it passes the threshold
    # (0.43) where special_operation becomes best
    name = "events.venezuelan_military_response.probability.status_quo.sustained_war"
    i = vmodel.params.index(name)
    low, high = vmodel.params.low.copy(), vmodel.params.high.copy()
    low[i], high[i] = 0.0, 1.0
    m2 = dataclasses.replace(vmodel, params=dataclasses.replace(vmodel.params, low=low, high=high))
    t = sensitivity.tornado(m2, params=[name])
    assert t.best_high[0] != t.best_base
    ax = tornado_chart(t)
    marked = [x for x in ax.texts if x.get_gid() == "end-label:high"]
    assert f"→ {t.best_high[0]}" in marked[0].get_text()


def test_tornado_without_uncertain_numbers_says_so():
    t = sensitivity.tornado(compile_scenario(load(str(OIL))))
    ax = tornado_chart(t)
    assert ax.get_gid() == "empty" and "no uncertain numbers" in ax.texts[0].get_text()


# ------------------------------------------------------------------------------------------- spider
def test_spider_one_line_per_number_with_the_analysis_values(vmodel):
    names = list(sensitivity.tornado(vmodel).names[:5])
    s = sensitivity.spider(vmodel, params=names)
    ax = spider_chart(s)
    lines = _by_gid(ax.lines, "spider:")
    assert [ln.get_gid()[7:] for ln in lines] == names
    for k, ln in enumerate(lines):
        assert ln.get_xdata() == pytest.approx(100 * s.position)
        assert ln.get_ydata() == pytest.approx(s.at[k])
    assert "value 0-1" in ax.get_ylabel()


# -------------------------------------------------------------------------------- strategy regions
def test_strategy_regions_map_the_preferred_option_and_mark_the_threshold(vmodel):
    tw, th, units, ranges = two_way_setup(vmodel, points=15)
    ax = strategy_regions(tw, thresholds=th, x_unit=units[0], y_unit=units[1], ranges=ranges)
    (mesh,) = [c for c in ax.collections if c.get_gid() == "regions"]
    assert np.asarray(mesh.get_array()).reshape(len(tw.y_values), len(tw.x_values)).tolist() == tw.best.T.tolist()
    # the threshold of the x number, found with y at its point value, is drawn where it is
    k = list(th.names).index(tw.x)
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "threshold:x"]
    assert line.get_xdata()[0] == pytest.approx(th.value[k])
    # and along the grid row nearest the point value of y the map switches once, within a step of it
    j = int(np.argmin(np.abs(tw.y_values - tw.base[1])))
    (switch,) = np.flatnonzero(np.diff(tw.best[:, j]))
    step = tw.x_values[1] - tw.x_values[0]
    assert abs((tw.x_values[switch] + tw.x_values[switch + 1]) / 2 - th.value[k]) <= step
    labels = {t.get_text() for t in ax.texts if t.get_gid() == "region-label"}
    assert labels == {tw.options[i] for i in np.unique(tw.best)}
    (star,) = [ln for ln in ax.lines if ln.get_gid() == "base"]
    assert (star.get_xdata()[0], star.get_ydata()[0]) == pytest.approx(tw.base)
    assert tw.x_phrase in ax.get_xlabel().replace("\n", " ")


# ------------------------------------------------------------------------------ value of information
def test_voi_ranks_events_and_numbers_with_errors(vmodel):
    v = voi.value_of_information(vmodel, 1500, seed=3, progress=False)
    assert v.evpi_parameters_se > 0
    ax = voi_bars(v)
    bars = _by_gid(ax.patches, "voi:")
    (total,) = [b for b in bars if b.get_gid() == "voi:total:every uncertain number"]
    assert total.get_width() == pytest.approx(v.evpi_parameters)
    items = [b.get_width() for b in bars if not b.get_gid().startswith("voi:total:")]
    assert items == sorted(items, reverse=True) and all(w > 0 for w in items)
    assert _error_halfwidths(ax, "voi-errors")[0] == pytest.approx(Z95 * v.evpi_parameters_se)
    assert ax.get_xlabel().endswith("(value 0-1)")


def test_voi_of_the_oil_wildcatter_event():
    v = voi.value_of_information(compile_scenario(load(str(OIL))), 100, seed=1, progress=False)
    ax = voi_bars(v)
    (bar,) = [b for b in ax.patches if (b.get_gid() or "").startswith("voi:event:")]
    assert bar.get_width() == pytest.approx(v.events.values()["seismic"]) and bar.get_width() > 0
    assert "USD" in ax.get_xlabel()


# ---------------------------------------------------------------------------------- every scenario
@pytest.mark.parametrize("path", sorted(REPO.glob("scenarios/**/*.yaml")), ids=lambda p: p.stem)
def test_every_uncertainty_figure_of_every_scenario(path):
    m = compile_scenario(load(str(path)))
    mc = montecarlo.simulate(m, 200, seed=1, progress=False)
    t = sensitivity.tornado(m)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        axes = [utility_distribution(mc), risk_profiles(mc.risk_profile()), p_best_bars(mc), tornado_chart(t),
                voi_bars(voi.value_of_information(m, 200, seed=1, progress=False))]
        if len(t.names):
            axes.append(spider_chart(sensitivity.spider(m, params=list(t.names[:4]))))
        setup = two_way_setup(m, points=7)
        if setup is not None:
            tw, th, units, ranges = setup
            axes.append(strategy_regions(tw, thresholds=th, x_unit=units[0], y_unit=units[1], ranges=ranges))
        for ax in axes:
            drawn(ax)
            assert ax.get_title(loc="left")


# ------------------------------------------------------------------------------- juncture plot KIND
def test_juncture_plot_p_best_writes_the_figure(tmp_path, capsys):
    out = tmp_path / "p_best.svg"
    args = ["plot", str(VENEZUELA_FROZEN), "p-best", "--samples", "300", "--seed", "2", "-o", str(out)]
    assert main(args) == 0
    text = out.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "status_quo" in text and "Probability that each option" in text


def test_juncture_plot_two_way_with_named_numbers(tmp_path, capsys):
    out = tmp_path / "two_way.png"
    args = ["plot", str(VENEZUELA_FROZEN), "two-way", "--x", "criteria.cost.weight", "--y",
            "options.strikes.impacts.cost", "--points", "5", "-o", str(out)]
    assert main(args) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("args, message", [
    (["tornado", "--samples", "100"], "--samples does not change the tornado figure"),
    (["p-best", "--samples", "0"], "--samples must be a positive number"),
    (["two-way", "--x", "criteria.cost.weigth"], "did you mean 'criteria.cost.weight'?"),
    (["utility", "--of", "cots"], "--of must be 'utility'"),
])
def test_juncture_plot_usage_errors(tmp_path, capsys, args, message):
    kind, *rest = args
    assert main(["plot", str(VENEZUELA_FROZEN), kind, "-o", str(tmp_path / "x.png"), *rest]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
