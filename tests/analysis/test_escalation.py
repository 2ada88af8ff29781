"""The escalation ladder: each option's probability of each rung and of crossing each threshold,
checked by hand."""

from __future__ import annotations

import json
import textwrap

import numpy as np
import pytest

from model import loads
from model.analysis.escalation import ladder, ladder_draws, path_rungs
from model.analysis.strategic import with_rationality
from model.compile import compile_scenario
from model.evaluate import point



TEXT = """\
    scenario: {id: ladder, title: A small ladder, decision_maker: us}
    actors:
      us: {name: Us}
      them: {name: Them, payoffs: {reply.strike_back: 1, reply.protest: 0}}
    criteria: [{id: gain}]
    options: [{id: strike, impacts: {gain: 1}}, {id: blockade}, {id: wait}]
    events:
      - id: war
        depends_on: [option]
        states: {yes: {}, no: {}}
        probability:
          strike: {yes: [0.2, 0.4], no: otherwise}
          blockade: {yes: 0.1, no: otherwise}
          wait: {yes: 0, no: 1}
      - id: reply
        actor: them
        MODE
        depends_on: [option]
        states: {strike_back: {}, protest: {}}
    escalation:
      rungs: [{id: talk}, {id: pressure}, {id: force}, {id: war}]
      thresholds: [{id: shooting, at: force}, {id: open_war, at: war}]
      options: {strike: force, blockade: pressure}
      states: {war.yes: war, reply.strike_back: force}
"""


def build(mode: str):
    return compile_scenario(loads(textwrap.dedent(TEXT.replace("MODE", mode))))


TABLE = "probability: {strike: {strike_back: 0.5, protest: 0.5}, \"*\": {strike_back: 0.2, protest: 0.8}}"


def test_rungs_by_hand_with_chance_responses():
    # strike: on force already; war.yes (0.3) lifts to war: force 0.7, war 0.3
    # blockade: pressure; strike_back (0.2) -> force; war.yes (0.1) -> war:
    #   war 0.1; force 0.9 * 0.2 = 0.18; pressure 0.9 * 0.8 = 0.72
    # wait: nothing placed except strike_back (0.2) -> force: talk 0.8, force 0.2
    lad = ladder(point(build(TABLE)))
    d = dict(zip(lad.options, lad.distribution[0]))
    np.testing.assert_allclose(d["strike"], [0, 0, 0.7, 0.3])
    np.testing.assert_allclose(d["blockade"], [0, 0.72, 0.18, 0.1])
    np.testing.assert_allclose(d["wait"], [0.8, 0, 0.2, 0])
    c = dict(zip(lad.options, lad.crossing[0]))
    np.testing.assert_allclose(c["strike"], [1.0, 0.3])
    np.testing.assert_allclose(c["blockade"], [0.28, 0.1])
    np.testing.assert_allclose(c["wait"], [0.2, 0.0])
    assert lad.option_rung == (2, 1, -1)
    tab = lad.to_table()
    assert tab.cell("strike (force)", "P(cross open_war)") == pytest.approx(0.3)


def test_the_ladder_follows_the_actors_choices():
    # strategic: them strikes back (1 > 0) under every option
    m = build("mode: strategic")
    c = dict(zip(m.options, ladder(point(m)).crossing[0]))
    np.testing.assert_allclose(c["wait"], [1.0, 0.0])
    np.testing.assert_allclose(c["blockade"], [1.0, 0.1])
    # at rationality 0 they strike back half the time
    c0 = dict(zip(m.options, ladder(point(with_rationality(m, 0.0))).crossing[0]))
    np.testing.assert_allclose(c0["wait"], [0.5, 0.0])
    np.testing.assert_allclose(c0["blockade"], [0.1 + 0.9 * 0.5, 0.1])


def test_path_rungs_take_the_highest_on_the_path():
    m = build(TABLE)
    r = path_rungs(m)
    t = m.tree
    by_path = {"/".join(t.path(int(n))): int(r[n]) for n in t.leaves}
    assert by_path["wait/no/protest"] == 0 and by_path["wait/no/strike_back"] == 2
    assert by_path["blockade/yes/protest"] == 3 and by_path["strike/no/protest"] == 2


def test_monte_carlo_draws():
    m = build(TABLE)
    lad = ladder_draws(m, 200, seed=3)
    assert lad.distribution.shape == (200, 3, 4)
    np.testing.assert_allclose(lad.distribution.sum(axis=2), 1.0)
    strike = lad.crossing[:, 0, 1]                       # P(war | strike) ~ U[0.2, 0.4]
    assert 0.2 <= strike.min() and strike.max() <= 0.4 and abs(strike.mean() - 0.3) < 0.02
    assert np.array_equal(ladder_draws(m, 200, seed=3).crossing, lad.crossing)
    assert "90%" in lad.to_table().to_text()


def test_ladder_command(juncture, tmp_path):
    f = tmp_path / "ladder.yaml"
    f.write_text(textwrap.dedent(TEXT.replace("MODE", TABLE)))
    r = juncture("ladder", f, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["thresholds"] == {"shooting": "force", "open_war": "war"}
    assert out["options"]["blockade"]["crossing"]["shooting"] == pytest.approx(0.28)
    r = juncture("ladder", f, "--samples", "50", "--seed", "1", "--json")
    assert json.loads(r.stdout)["options"]["strike"]["crossing_90"]["open_war"][0] >= 0.2
    assert juncture("ladder", f).returncode == 0
    no_ladder = tmp_path / "none.yaml"
    no_ladder.write_text("scenario: {id: n, title: N}\ncriteria: [{id: g}]\noptions: [{id: a, impacts: {g: 1}}]\n")
    r = juncture("ladder", no_ladder)
    assert r.returncode == 2 and "no escalation ladder" in r.stderr
