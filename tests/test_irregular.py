"""Trees that do not merge (issue 14): the benchmark's generated trees give the same certainty
equivalents through `evaluate` (the full plan, exponential utility rolled back as discount
factors around one shift per sample, or in log space when the ends spread too wide) as through
a straightforward recursion, one sample at a time, written here from the definitions:

- a chance node's certainty equivalent is -R ln sum_i p_i exp(-CE_i / R) (its expected value
  when risk-neutral), the probabilities normalised as the format reference says (negative
  draws count 0; the others scaled down when they pass 1; `otherwise` takes the rest);
- a decision's is its best child's;
- a leaf's value is sum_c w_c x score_c(path sum of criterion c), linear scores on the stated
  ranges, weights normalised to sum to 1.

The recursion takes each lottery's CE in log space from its worst outcome, so it holds for any R.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.util
import math
import sys

import numpy as np
import pytest

import model as juncture
from model.compile import CHANCE, DECISION, TERMINAL, compile_scenario
import model.evaluate as evaluate_module
from model.evaluate import evaluate
from model.evaluate.rollback import DISCOUNT_SPAN, discount, path_discounts
from paths import REPO


def _irregular():
    spec = importlib.util.spec_from_file_location("irregular", REPO / "benchmarks" / "irregular.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["irregular"] = mod
    spec.loader.exec_module(mod)
    return mod


ir = _irregular()


def recursive_ce(m, root, th: np.ndarray) -> list[float]:
    """Each option's certainty equivalent (value score) in one sample, by recursion."""
    ix = m.params.index
    w = [max(th[ix(f"criteria.c{c}.weight")], 0.0) for c in range(ir.N_CRITERIA)]
    w = [x / sum(w) for x in w]
    lo, hi = m.ranges[:, 0], m.ranges[:, 1]
    rt = m.risk_tolerance

    def score(c: int, x: float) -> float:
        return (x - lo[c]) / (hi[c] - lo[c]) if m.directions[c] > 0 else (hi[c] - x) / (hi[c] - lo[c])

    def ce(node, path: list[float]) -> float:
        path = list(path)
        for c, name in node.pays:
            path[c] += th[ix(name)]
        if node.kind == ir.TERMINAL:
            return sum(w[c] * score(c, path[c]) for c in range(ir.N_CRITERIA))
        kids = [ce(ch, path) for ch in node.children]
        if node.kind == ir.DECISION:
            return max(kids)
        raw = [0.0 if ch.prob == "otherwise" else max(th[ix(ch.prob)], 0.0) for ch in node.children]
        total = sum(raw)
        p = [(max(1.0 - total, 0.0) if ch.prob == "otherwise" else r / max(total, 1.0))
             for ch, r in zip(node.children, raw)]
        if rt is None:
            return sum(pi * v for pi, v in zip(p, kids))
        worst = min(v for pi, v in zip(p, kids) if pi > 0)
        return worst - rt * math.log(sum(pi * math.exp(-(v - worst) / rt) for pi, v in zip(p, kids)))

    return [ce(ch, [0.0] * ir.N_CRITERIA) for ch in root.children]


def draws(m, n: int, seed: int) -> np.ndarray:
    from model.compile.distributions import ppf

    u = np.random.default_rng(seed).uniform(size=(n, m.n_params))
    return np.column_stack([ppf(num, u[:, j]) for j, num in enumerate(m.params.numbers)])


@functools.lru_cache(maxsize=None)
def _compiled(form: str):
    g = (ir.explicit_tree(leaves=150, seed=5, max_branches=5) if form == "explicit"
         else ir.events_tree(states=(2, 5, 3), leaves=150, seed=6))
    return g, compile_scenario(juncture.loads(g.text, file=f"<{form}>"))


def small(form: str, rt: float | None):
    """A small generated tree (about 150 leaves) under risk tolerance rt (None: risk-neutral)."""
    g, m = _compiled(form)
    return g, dataclasses.replace(m, risk_tolerance=rt)


def test_the_kinds_match_the_compiled_ones():
    assert (ir.DECISION, ir.CHANCE, ir.TERMINAL) == (DECISION, CHANCE, TERMINAL)


@pytest.mark.parametrize("form", ["explicit", "events"])
def test_generated_trees_do_not_merge(form):
    g, m = small(form, 0.3)
    assert m.tree.n == g.n_nodes
    dup, inner = ir.identical_subtrees(m, g.root)
    assert dup == 0 and inner > 10
    if form == "explicit":
        assert g.n_decisions > 0                    # later decisions
        depths = m.tree.depth[m.tree.leaves]
        assert depths.min() == 3 and depths.max() == 5
        kids = m.tree.n_children[1:][m.tree.n_children[1:] > 0]     # below the root
        assert set(kids.tolist()) == {2, 3, 4, 5}                      # mixed, max_branches=5


# how the rollback takes exponential utility: from the discount factors of the numbers paid
# (R = 0.3, and 0.002 where the factors reach exp(+-180)); from one exp per end around a shift
# (5e-4: a path could reach beyond 600 R from 0, the ends spread less than 1200 R); in log space
# (1e-5: the ends spread over 1200 R)
WAY = {None: [], 0.3: ["factors"], 0.002: ["factors"], 5e-4: ["shift"], 1e-5: ["log space"]}


@pytest.mark.parametrize("rt", list(WAY))
@pytest.mark.parametrize("form", ["explicit", "events"])
def test_certainty_equivalents_match_a_recursion(form, rt, monkeypatch):
    g, m = small(form, rt)
    theta = draws(m, 4, seed=11)
    took = []

    def spy_factors(plan, paid, r):
        out = path_discounts(plan, paid, r)
        if out is not None:
            took.append("factors")
        return out

    def spy_shift(ends, r):
        out = discount(ends, r)
        took.append("shift" if out is not None else "log space")
        return out

    monkeypatch.setattr(evaluate_module, "path_discounts", spy_factors)
    monkeypatch.setattr(evaluate_module, "discount", spy_shift)
    ev = evaluate(m, theta)
    assert took == WAY[rt]
    for s in range(len(theta)):
        want = recursive_ce(m, g.root, theta[s])
        np.testing.assert_allclose(ev.certainty_equivalent[s], want, rtol=0, atol=1e-12)
    # the per-node values (keep_nodes) agree at the options
    nodes = evaluate(m, theta, keep_nodes=True)
    opts = m.tree.first_child[0] + np.arange(m.tree.n_children[0])
    np.testing.assert_allclose(nodes.node_value[:, opts], ev.certainty_equivalent, rtol=0, atol=1e-12)


def test_the_kernel_and_the_loop_agree_with_evaluate():
    g, m = small("explicit", 0.3)
    theta = draws(m, 30, seed=3)
    u = evaluate(m, theta).utility
    np.testing.assert_allclose(ir.Kernel(m, g.root, chunk_cells=2000).run(theta), u, rtol=0, atol=1e-12)
    for s in range(3):
        np.testing.assert_allclose(ir.loop_utilities(m, g.root, theta[s].tolist()), u[s], rtol=0, atol=1e-12)


def test_one_shift_only_while_the_ends_spread_less_than_the_limit():
    # ends 0 and 1199 R apart: factors within exp(+-600); 1201 R apart: refused (log space)
    rt = 0.01
    ends = np.array([[0.0, 0.0], [1199 * rt, 1201 * rt]])
    assert discount(ends[:, :1].copy(), rt) is not None
    assert discount(ends.copy(), rt) is None
    d, shift = discount(ends[:, :1].copy(), rt)
    assert shift[0] == pytest.approx(599.5 * rt)
    np.testing.assert_allclose(np.log(d[:, 0]), [599.5, -599.5], rtol=1e-12)
    assert DISCOUNT_SPAN == 1200
