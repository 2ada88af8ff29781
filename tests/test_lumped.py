"""The merged-graph evaluator gives the full tree's answers: same numbers on random draws."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import model
from model.analysis.sampling import draw
from model.compile import compile_scenario
from model.evaluate import evaluate
from model.lumped import lumped_plan

from paths import VENEZUELA_FROZEN

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("expected", "value", "utility", "certainty_equivalent", "risk", "state_probability", "best",
          "choice", "tied")


def same(m, theta):
    fast = evaluate(m, theta)                     # merged graph (keep_nodes=False)
    full = evaluate(m, theta, keep_nodes=True)    # the full tree, the reference
    for f in FIELDS:
        np.testing.assert_allclose(np.asarray(getattr(fast, f), float), np.asarray(getattr(full, f), float),
                                   rtol=1e-9, atol=1e-9, err_msg=f)
    for a in full.actor_value:
        np.testing.assert_allclose(fast.actor_value[a], full.actor_value[a], rtol=1e-9, atol=1e-9, err_msg=a)


def test_venezuela_merges_to_a_small_graph_with_the_same_answers():
    m = compile_scenario(model.load(VENEZUELA_FROZEN))
    plan = lumped_plan(m)
    assert plan is not None and plan.n_classes < m.tree.n / 10
    same(m, draw(m, 400, seed=11))


@pytest.mark.parametrize("world", ["russia_committed", "militia_collapses", "congress_acts"])
def test_venezuela_worlds(world):
    m = compile_scenario(model.load(VENEZUELA_FROZEN), world=world)
    same(m, draw(m, 100, seed=3))


def test_under_exponential_utility():
    sc = model.load(VENEZUELA_FROZEN)
    sc = dataclasses.replace(sc, utility=model.io.Utility(kind="exponential", risk_tolerance=0.2))
    m = compile_scenario(sc)
    same(m, draw(m, 200, seed=5))


@pytest.mark.parametrize("name", ["texaco_pennzoil", "oil_wildcatter", "entry_deterrence", "three_player_chance"])
def test_reference_trees(name):
    path = ROOT / "scenarios" / "reference" / f"{name}.yaml"
    if not path.exists():
        pytest.skip(f"{path.name} is not in this checkout")
    m = compile_scenario(model.load(path))
    rng = np.random.default_rng(1)
    theta = np.repeat(m.params.point[None, :], 50, axis=0)
    pay = [i for i, r in enumerate(m.params.roles) if r == "payoff"]
    theta[:, pay] += rng.normal(0, 2, size=(50, len(pay)))
    same(m, theta)
