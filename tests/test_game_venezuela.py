"""The Venezuela scenario's strategic parts, checked by hand from the file's point values (the
frozen copy, tests/data/venezuela_frozen.yaml: these numbers are that file's, whatever analysts
do to scenarios/venezuela.yaml).

The militia mobilises by what it stands to gain (a_militia_choice): a mobilised militia lowers
the chance of an orderly transition after removal by d(option), and it counts each point of the
US objective against it; an orderly transition is worth 4.5 objective points (midpoint of
[4, 5]); fighting costs it 0.7 (midpoint of [-1.0, -0.4]). Its advantage of mobilising under an
option is 4.5 x d x P(removed) - 0.7, and with rationality 4 it mobilises with probability
1 / (1 + exp(-4 x advantage)):
    strikes      d = 0.5 - 0.3   = 0.2,   P(removed) 0.25  (beta(2, 6)):  0.225   - 0.7 = -0.475
    raid         d = 0.375-0.125 = 0.25,  P(removed) 0.5:                  0.5625  - 0.7 = -0.1375
    seize        d = 0.55 - 0.25 = 0.3,   P(removed) 0.675 (likely):       0.91125 - 0.7 =  0.21125
    status quo   d = 0.675 - 0.4 = 0.275, P(removed) 0.125:                0.15469 - 0.7 = -0.54531
"""

from __future__ import annotations

import json
import math
from functools import cache

import numpy as np
import pytest

from model import load, loads
from model.analysis.escalation import ladder
from model.analysis.indicators import posterior, updated_text, watch_list
from model.analysis.strategic import DEPENDS, NOT_ASSESSED, NOT_CREDIBLE, credibility
from model.compile import CHANCE, DECISION, compile_scenario
from model.evaluate import leaf_consequences, point

from paths import VENEZUELA_FROZEN

ADVANTAGE = {"strikes": -0.475, "special_operation": -0.1375, "seize_infrastructure": 0.21125,
             "status_quo": 4.5 * 0.275 * 0.125 - 0.7}


@cache
def solved():
    m = compile_scenario(load(VENEZUELA_FROZEN))
    return m, point(m)


def test_the_tree_stays_small_and_the_type_is_a_shared_chance_event():
    m, _ = solved()
    assert len(m.tree.leaves) == 1728       # the budget: about 2,000 leaves in all
    t = m.tree
    types = [n for n in range(t.n) if t.name[n] == "russia_type"]
    assert types and all(t.kind[n] == CHANCE for n in types)
    # one probability row for every option: the same entries under each of them
    assert len({tuple(t.entry[t.first_child[n]:t.first_child[n] + 2]) for n in types}) == 1
    militia = [n for n in range(t.n) if t.name[n] == "militia_mobilisation"]
    assert all(t.kind[n] == DECISION and m.actors[m.node_owner[n]] == "militia" for n in militia)
    assert set(m.node_rationality[militia]) == {4.0}
    assert m.actors == ("united_states", "russia", "militia")


def test_the_militia_mobilises_by_its_payoffs():
    m, e = solved()
    k = m.states.index(("militia_mobilisation", "mobilised"))
    for o, adv in ADVANTAGE.items():
        p = 1 / (1 + math.exp(-4 * adv))
        assert e.state_probability[0, m.options.index(o), k] == pytest.approx(p, abs=1e-9), o
    # the most likely choice is to stay home except against a large force
    pol = e.policy()
    assert pol["seize_infrastructure/none"] == ["mobilised"] and pol["strikes/none"] == ["not_mobilised"]


def test_the_militias_claim_and_russias_signals():
    m, _ = solved()
    cred = credibility(m)
    ready = {v.option: v for v in cred.signal("militia_ready")}
    assert ready["strikes"].verdict == NOT_CREDIBLE
    assert ready["strikes"].advantage == pytest.approx(ADVANTAGE["strikes"])
    # against a raid or a large force it turns on the cost of fighting, within its range [-1, -0.4]:
    # 4.5 x 0.25 x 0.5 = 0.5625 and 4.5 x 0.3 x 0.675 = 0.91125
    for o, flip in (("special_operation", -0.5625), ("seize_infrastructure", -0.91125)):
        assert ready[o].verdict == DEPENDS
        assert ready[o].parameter == "actors.militia.payoffs.militia_mobilisation.mobilised"
        assert ready[o].threshold == pytest.approx(flip, abs=1e-8)
    assert ready["seize_infrastructure"].best_response == ("mobilised",)
    # Russia: arms deliveries are worth 1.0 to it and cost 0.5 x 2.25 = 1.125 in escalation: a
    # close call either way within its ranges
    for sid in ("respond_appropriately", "pantsir_delivery", "ballistic_missiles"):
        assert cred.verdict(sid) == DEPENDS
        (v, *_) = cred.signal(sid)
        assert v.advantage == pytest.approx(1.0 - 1.125)
        assert {p for p, _, inside in v.flips if inside} == {"actors.russia.payoffs.russia_response.arms_deliveries",
                                                              "actors.russia.criteria_weights.escalation_russia"}
        flips = {p: x for p, x, _ in v.flips}
        assert flips["actors.russia.payoffs.russia_response.arms_deliveries"] == pytest.approx(1.125, abs=1e-8)
    assert cred.verdict("igla_s_deployed") == NOT_ASSESSED
    assert {v.kind for v in cred.verdicts} == {"cheap_talk", "sunk_cost"}


def test_an_indicator_of_russian_resolve():
    m, _ = solved()
    # P(committed | further deliveries) = 0.325 x 0.7 / (0.325 x 0.7 + 0.675 x 0.3) = 0.2275 / 0.43
    upd = posterior(m, {"further_deliveries": True})
    (r,) = upd.rows
    assert r.event == "russia_type" and r.posterior[0] == pytest.approx(0.2275 / 0.43)
    # interval over the ranges [0.6, 0.8] and [0.2, 0.4]
    assert r.low[0] == pytest.approx(0.195 / (0.195 + 0.27)) and r.high[0] == pytest.approx(0.26 / (0.26 + 0.135))
    text = VENEZUELA_FROZEN.read_text()
    new = updated_text(text, upd, VENEZUELA_FROZEN.name, date="2025-11-08")
    changed = [(a, b) for a, b in zip(text.splitlines(), new.splitlines()) if a != b]
    assert len(changed) == 1 and "committed: {value: [0.41935484, 0.65822785], point: 0.52906977}" in changed[0][1]
    assert loads(new).history[0].observed == {"further_deliveries": True}
    # no signpost about Russia's resolve changes the preferred option (status quo): EVO 0 for all
    wl = watch_list(m)
    assert wl.best_now == ("status_quo",)
    assert all(e == 0.0 for e in wl.evo if e is not None)
    assert wl.indicators[-1] == "senior_commitment"       # a likelihood ratio: not ranked


def test_the_ladder():
    m, e = solved()
    lad = ladder(e)
    cross = {o: dict(zip(lad.thresholds, lad.crossing[0, i])) for i, o in enumerate(lad.options)}
    for o in ("strikes", "special_operation", "seize_infrastructure"):
        assert cross[o]["use_of_force"] == pytest.approx(1.0)
    assert cross["seize_infrastructure"]["war"] == pytest.approx(1.0)
    # only Russian direct support stands on the top rung
    k = m.states.index(("russia_response", "direct_support"))
    for i, o in enumerate(m.options):
        assert cross[o]["us_russia"] == pytest.approx(e.state_probability[0, i, k])
    # without an attack: limited or sustained Venezuelan fighting (0.02 + 0.01), or direct
    # support 0.325 x 0.05 + 0.675 x 0.01, with what overlaps counted once
    p_dir = 0.325 * 0.05 + 0.675 * 0.01
    assert cross["status_quo"]["use_of_force"] == pytest.approx(1 - 0.97 * (1 - p_dir))


def test_evaluate_json_reports_every_players_payoff(juncture):
    r = juncture("evaluate", VENEZUELA_FROZEN, "--json")
    out = json.loads(r.stdout)
    assert out["best_option"] == "status_quo"
    assert set(out["equilibrium_payoffs"]) == {"united_states", "russia", "militia"}
    assert out["policy"]["seize_infrastructure/limited"] == "mobilised"
    _, e = solved()
    assert out["equilibrium_payoffs"]["militia"] == pytest.approx(float(e.actor_value["militia"][0, 3]))
    # the US's payoff is status_quo's expected value, summed here over its leaves: the chance of
    # reaching each (the militia's logit choice included) times its weighted linear value scores
    m = e.model
    t, w = m.tree, m.params.point[m.weight_param] / m.params.point[m.weight_param].sum()
    lo, hi = m.ranges[:, 0], m.ranges[:, 1]
    x = leaf_consequences(m, m.params.point)[0]
    leaf_value = (np.where(m.directions > 0, x - lo, hi - x) / (hi - lo)) @ w
    mine = t.option[t.leaves] == m.options.index("status_quo")
    status_quo = float((e.reach[0, t.leaves] * leaf_value)[mine].sum())
    assert out["equilibrium_payoffs"]["united_states"] == pytest.approx(status_quo, abs=1e-9)
