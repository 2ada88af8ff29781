"""Indicators: Bayes' rule checked by hand, intervals from likelihood ranges, the watch-list order
on a constructed case, and the updated file `juncture update` writes.

The constructed case: act pays -10 if they are firm and +10 if soft; wait pays 0. Prior
P(firm) = 0.3, so EU(act) = 0.3 (-10) + 0.7 (10) = 4 and act is preferred.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from model import load, loads
from model.analysis.indicators import (
    OutsideSolved,
    default_output,
    likelihoods,
    posterior,
    updated_text,
    watch_list,
)
from model.compile import compile_scenario



TEXT = """\
# Resolve: a constructed case for the indicator tests.
scenario: {id: resolve, title: Firm or soft, decision_maker: us}
actors: {us: {name: Us}, them: {name: Them}}
criteria: [{id: gain}]
options: [{id: act}, {id: wait}]
events:
  - id: resolve
    kind: type
    actor: them
    states: {firm: {}, soft: {}}
    probability: {firm: 0.3, soft: otherwise}   # the analyst's prior
  - id: outcome
    depends_on: [option, resolve]
    states: {loss: {impacts: {gain: -10}}, win: {impacts: {gain: 10}}, none: {}}
    probability:
      act:
        firm: {loss: 1, win: 0, none: 0}
        soft: {loss: 0, win: 1, none: 0}
      wait: {"*": {loss: 0, win: 0, none: 1}}
  - id: mood
    depends_on: [option]
    states: {calm: {}, angry: {}}
    probability:
      act: {calm: 0.4, angry: 0.6}     # no otherwise: every entry is written back
      wait: {calm: 0.8, angry: 0.2}
indicators:
  - {id: strong, about: resolve, likelihood: {firm: 0.9, soft: 0.1}}
  - {id: weak, about: resolve, likelihood: {firm: 0.6, soft: 0.4}}
  - {id: medium, about: resolve, likelihood: {firm: 0.5, soft: 0.05}}
  - {id: ranged, about: resolve, likelihood: {firm: [0.5, 0.7], soft: [0.1, 0.3]}}
  - {id: ratio, about: resolve, likelihood_ratio: 3}
  - {id: shouting, about: mood, likelihood: {calm: 0.2, angry: 0.8}}
  - {id: late, about: outcome, likelihood: {loss: 0.5, win: 0.5, none: 0.5}}
"""


@pytest.fixture(scope="module")
def m():
    return compile_scenario(loads(TEXT))


def row(upd, event, conditions=()):
    return next(r for r in upd.rows if r.event == event and r.conditions == tuple(conditions))


def test_bayes_rule_by_hand(m):
    # P(firm | strong seen) = 0.3 * 0.9 / (0.3 * 0.9 + 0.7 * 0.1) = 0.27 / 0.34
    upd = posterior(m, {"strong": True})
    r = row(upd, "resolve")
    assert r.prior == pytest.approx((0.3, 0.7))
    assert r.posterior == pytest.approx((0.27 / 0.34, 0.07 / 0.34))
    # not seen: 0.3 * 0.1 / (0.03 + 0.7 * 0.9) = 0.03 / 0.66
    r = row(posterior(m, {"strong": False}), "resolve")
    assert r.posterior[0] == pytest.approx(0.03 / 0.66)
    # two indicators, independent given the type: strong seen and weak not seen
    # firm: 0.3 * 0.9 * 0.4 = 0.108 ; soft: 0.7 * 0.1 * 0.6 = 0.042 ; P(firm) = 0.108 / 0.15 = 0.72
    r = row(posterior(m, {"strong": True, "weak": False}), "resolve")
    assert r.posterior[0] == pytest.approx(0.72)
    # and the comparison moves: act = 0.72 (-10) + 0.28 (10) = -4.4 < wait 0
    upd2 = posterior(m, {"strong": True, "weak": False})
    assert upd2.before.best_options() == ["act"] and upd2.after.best_options() == ["wait"]
    assert upd2.after.value[0, m.options.index("act")] == pytest.approx(-4.4)


def test_likelihood_ranges_give_a_posterior_interval(m):
    # point: 0.3 * 0.6 / (0.18 + 0.7 * 0.2) = 0.18 / 0.32 = 0.5625
    # low:  firm at 0.5, soft at 0.3: 0.15 / (0.15 + 0.21) = 0.41667
    # high: firm at 0.7, soft at 0.1: 0.21 / (0.21 + 0.07) = 0.75
    r = row(posterior(m, {"ranged": True}), "resolve")
    assert r.posterior[0] == pytest.approx(0.5625)
    assert r.low[0] == pytest.approx(0.15 / 0.36)
    assert r.high[0] == pytest.approx(0.75)
    assert r.low[1] == pytest.approx(1 - 0.75) and r.high[1] == pytest.approx(1 - 0.15 / 0.36)
    # not seen: factors 1 - L: firm 0.4 [0.3, 0.5], soft 0.8 [0.7, 0.9]; point 0.12 / (0.12 + 0.56)
    r = row(posterior(m, {"ranged": False}), "resolve")
    assert r.posterior[0] == pytest.approx(0.12 / 0.68)
    assert r.low[0] == pytest.approx(0.09 / (0.09 + 0.63)) and r.high[0] == pytest.approx(0.15 / (0.15 + 0.49))


def test_a_likelihood_ratio(m):
    # odds 0.3/0.7 times 3 = 9/7: P(firm) = 9/16
    assert row(posterior(m, {"ratio": True}), "resolve").posterior[0] == pytest.approx(9 / 16)
    with pytest.raises(OutsideSolved, match="not how much not seeing it does"):
        posterior(m, {"ratio": False})
    states, pt, lo, hi = likelihoods(m, "ratio")
    assert states == ("firm", "soft") and list(pt) == [3.0, 1.0] and list(lo) == list(hi) == [3.0, 1.0]


def test_rows_per_option_are_each_updated(m):
    # act: 0.6 * 0.8 / (0.6 * 0.8 + 0.4 * 0.2) = 0.48 / 0.56 ; wait: 0.16 / (0.16 + 0.16) = 0.5
    upd = posterior(m, {"shouting": True})
    assert row(upd, "mood", ["act"]).posterior[1] == pytest.approx(0.48 / 0.56)
    assert row(upd, "mood", ["wait"]).posterior[1] == pytest.approx(0.5)
    th = upd.theta
    assert th[m.params.index("events.mood.probability.act.angry")] == pytest.approx(0.48 / 0.56)


def test_structures_outside_what_is_solved(m):
    with pytest.raises(OutsideSolved, match="depends on resolve"):
        posterior(m, {"late": True})
    with pytest.raises(ValueError, match="no indicator 'strnog'.*did you mean 'strong'"):
        posterior(m, {"strnog": True})


def test_the_watch_list_order_on_a_constructed_case(m):
    # strong: P(seen) = 0.34; seen -> firm 0.794, act -5.88 < 0: wait; not seen -> act 9.09
    #   EVO = 0.34 * 0 + 0.66 * (0.03 (-10) + 0.63 (10)) / 0.66 - 4 = 6 - 4 = 2
    # medium: P(seen) = 0.185; seen -> act 0.15(-10) + 0.035(10) < 0: wait; not seen -> act
    #   EVO = (0.15 (-10) + 0.665 (10)) - 4 = 5.15 - 4 = 1.15
    # weak: act stays best either way (seen: 0.18(-10) + 0.28(10) = 1.0 > 0): EVO 0
    # ranged (point likelihoods 0.6 / 0.2): seen -> 0.18(-10) + 0.14(10) < 0: wait;
    #   EVO = (0.12 (-10) + 0.56 (10)) - 4 = 4.4 - 4 = 0.4
    wl = watch_list(m)
    ranked = [i for i, e in zip(wl.indicators, wl.evo) if e is not None]
    assert ranked == ["strong", "medium", "ranged", "weak"]
    evo = dict(zip(wl.indicators, wl.evo))
    assert evo["strong"] == pytest.approx(2.0)
    assert evo["medium"] == pytest.approx(1.15)
    assert evo["ranged"] == pytest.approx(0.4)
    assert evo["weak"] == pytest.approx(0.0, abs=1e-12)
    seen = dict(zip(wl.indicators, wl.best_if_seen))
    assert seen["strong"] == ("wait",) and seen["weak"] == ("act",)
    assert dict(zip(wl.indicators, wl.p_seen))["strong"] == pytest.approx(0.34)
    # how far the preferred option's value moves: strong seen -> wait 0 (from 4); not seen -> 6 / 0.66
    shifts = dict(zip(wl.indicators, zip(wl.shift_if_seen, wl.shift_if_not_seen)))
    assert shifts["strong"] == pytest.approx((-4.0, 6 / 0.66 - 4))
    # never above perfect information on the type: 0.3 * 10 = 3
    assert max(e for e in wl.evo if e is not None) <= 3.0
    # not ranked, with the reason
    reasons = dict(zip(wl.indicators, wl.reasons))
    assert "likelihood ratio" in reasons["ratio"] and "depends on option" in reasons["shouting"]
    assert wl.indicators[-3:] and all(e is None for e in wl.evo[-3:])


# --------------------------------------------------------------------------------------------
# The written file


def test_the_updated_text_keeps_comments_and_layout(m):
    upd = posterior(m, {"strong": True, "shouting": True})
    new = updated_text(TEXT, upd, "resolve.yaml", date="2025-11-08")
    # only the probability numbers changed, and a history entry was added
    old_lines, new_lines = TEXT.splitlines(), new.splitlines()
    changed = [(a, b) for a, b in zip(old_lines, new_lines) if a != b]
    assert len(changed) == 3
    assert changed[0][1] == "    probability: {firm: 0.79411765, soft: otherwise}   # the analyst's prior"
    assert changed[1][1] == "      act: {calm: 0.14285714, angry: 0.85714286}     # no otherwise: every entry is written back"
    assert changed[2][1] == "      wait: {calm: 0.5, angry: 0.5}"
    assert "history:\n  - {date: \"2025-11-08\"" in new
    sc = loads(new)
    (h,) = sc.history
    assert h.observed == {"strong": True, "shouting": True} and h.source_file == "resolve.yaml"
    assert "firm 0.3 -> 0.794" in h.note
    m2 = compile_scenario(sc)
    from model.evaluate import point
    np.testing.assert_allclose(point(m2).utility, upd.after.utility, atol=1e-7)


def test_ranges_are_written_as_intervals_and_history_is_appended(m):
    upd = posterior(m, {"ranged": True})
    new = updated_text(TEXT, upd, "resolve.yaml", date="2025-11-08")
    assert "probability: {firm: {value: [0.41666667, 0.75], point: 0.5625}, soft: otherwise}" in new
    again = updated_text(new, posterior(compile_scenario(loads(new)), {"strong": False}), "x.yaml", date="2025-11-09")
    sc = loads(again)
    assert [h.date for h in sc.history] == ["2025-11-08", "2025-11-09"]


def test_update_command_writes_a_new_file_and_never_the_input(juncture, tmp_path):
    f = tmp_path / "resolve.yaml"
    f.write_text(TEXT)
    r = juncture("update", f, "--observe", "strong=yes", "--date", "2025-11-08")
    assert r.returncode == 0, r.stderr
    out = default_output(f)
    assert out.name == "resolve.updated.yaml" and out.is_file()
    assert f.read_text() == TEXT                                   # the original untouched
    assert "wait" in r.stdout and "wrote" in r.stdout
    assert load(out).event("resolve").probability[0].probabilities["firm"].point == pytest.approx(0.27 / 0.34, abs=1e-8)
    # an existing output is not replaced without --force
    r = juncture("update", f, "--observe", "strong")
    assert r.returncode == 2 and "--force" in r.stderr
    assert juncture("update", f, "--observe", "strong", "--force").returncode == 0
    # never the input, even with --force
    r = juncture("update", f, "--observe", "strong", "-o", f, "--force")
    assert r.returncode == 2 and "never writes over the original" in r.stderr
    assert f.read_text() == TEXT
    # a sighting already logged in the file's history is not counted twice
    r = juncture("update", out, "--observe", "strong", "-o", tmp_path / "twice.yaml")
    assert r.returncode == 2 and "already counted" in r.stderr
    # outside what is solved: said plainly, nothing written
    r = juncture("update", f, "--observe", "late", "-o", tmp_path / "late.yaml")
    assert r.returncode == 2 and "outside what" in r.stderr and not (tmp_path / "late.yaml").exists()


def test_update_command_json_and_watch_list(juncture, tmp_path):
    f = tmp_path / "resolve.yaml"
    f.write_text(TEXT)
    r = juncture("update", f, "--observe", "strong", "--observe", "weak=no", "--json", "--dry-run")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["posterior"]["events.resolve.probability.firm"]["posterior"] == pytest.approx(0.72)
    assert out["best_option_after"] == ["wait"] and out["written"] is None
    assert not default_output(f).exists()
    r = juncture("update", f, "--json")
    ranking = json.loads(r.stdout)["watch_list"]["ranking"]
    assert [x["indicator"] for x in ranking[:4]] == ["strong", "medium", "ranged", "weak"]


# --------------------------------------------------------------------------------------------
# Properties: the value of observing an indicator about a state of the world is never negative,
# and it matches the pre-posterior formula worked out directly


from hypothesis import given, settings
from hypothesis import strategies as st

PROP = """\
scenario: {id: prop, title: Property}
criteria: [{id: gain}]
options: [{id: act}, {id: wait, impacts: {gain: __W__}}]
events:
  - id: resolve
    states: {firm: {}, soft: {}}
    probability: {firm: __P__, soft: otherwise}
  - id: outcome
    depends_on: [option, resolve]
    states: {loss: {impacts: {gain: -10}}, win: {impacts: {gain: 10}}, none: {}}
    probability:
      act: {firm: {loss: 1, win: 0, none: 0}, soft: {loss: 0, win: 1, none: 0}}
      wait: {"*": {loss: 0, win: 0, none: 1}}
indicators:
  - {id: i, about: resolve, likelihood: {firm: __LF__, soft: __LS__}}
"""


@settings(max_examples=25, deadline=None)
@given(p=st.floats(0.02, 0.98), lf=st.floats(0.01, 0.99), ls=st.floats(0.01, 0.99), w=st.floats(-5, 5))
def test_property_the_value_of_observing_is_the_pre_posterior_gain(p, lf, ls, w):
    text = PROP.replace("__W__", repr(w)).replace("__P__", repr(p)).replace("__LF__", repr(lf)).replace("__LS__", repr(ls))
    m = compile_scenario(loads(text))
    wl = watch_list(m)
    (evo,) = wl.evo
    # act: 10 (1 - 2 P(firm)); wait: w. Seen: P(firm) -> p lf / s, s = p lf + (1 - p) ls
    s = p * lf + (1 - p) * ls

    def best(q: float) -> float:
        return max(10 * (1 - 2 * q), w)

    want = s * best(p * lf / s) + (1 - s) * best(p * (1 - lf) / (1 - s)) - best(p)
    assert evo >= 0.0
    assert evo == pytest.approx(want, abs=1e-9)


def test_the_value_of_observing_under_exponential_utility_is_a_certainty_equivalent():
    """R = 5. act is -10 if firm, +10 if soft; wait is 0. With 'strong' (P(seen | firm) 0.9,
    P(seen | soft) 0.1), P(seen) = 0.34, P(firm | seen) = 0.27 / 0.34, P(firm | not seen) = 0.03 / 0.66.
    CE(act | p firm) = -5 ln(p e^2 + (1 - p) e^-2): now -4.19 (wait is best), once seen < 0
    (wait), once not seen 3.828 (act). EVO = CE of {0 w.p. 0.34, CE_not w.p. 0.66} - 0
    = -5 ln(0.34 + 0.66 e^(-CE_not / 5)) = 2.177: the most one would pay to look, in 'gain'."""
    m = compile_scenario(loads(TEXT.replace("criteria: [{id: gain}]",
                                            "criteria: [{id: gain}]\nutility: {kind: exponential, risk_tolerance: 5}")))
    r = 5.0

    def ce_act(p):
        return -r * np.log(p * np.exp(10 / r) + (1 - p) * np.exp(-10 / r))

    ce_not = ce_act(0.03 / 0.66)
    assert ce_act(0.3) < 0 and ce_act(0.27 / 0.34) < 0 < ce_not
    evo = -r * np.log(0.34 + 0.66 * np.exp(-ce_not / r))
    wl = watch_list(m)
    i = wl.indicators.index("strong")
    assert wl.evo[i] == pytest.approx(evo, rel=1e-9)
    assert evo == pytest.approx(2.1775, abs=1e-4)
    assert wl.unit.startswith("certainty equivalent")
    assert wl.shift_if_not_seen[i] == pytest.approx(ce_not, rel=1e-9)
