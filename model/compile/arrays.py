"""Arithmetic on a compiled model's arrays that compile needs as much as evaluate does: the
probability of every table entry and of every branch per sample, and the consequences of every
leaf. `model.evaluate` re-exports them; compile uses them to set the criteria's scales."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from .kinds import DECISION

if TYPE_CHECKING:  # the type only: model.compile imports this module
    from . import Model


def branch_probabilities(model: Model, theta: np.ndarray) -> np.ndarray:
    """Probability of each table entry per sample, [S, E + 1] (the last column is a constant 0).

    A row without `otherwise` is renormalised to sum to one (a draw with every entry at 0 gives
    equal probabilities: nothing favours any state); with `otherwise`, that entry takes 1 minus
    the others, and when the others exceed 1 they are scaled down and it takes 0. Negative
    draws count as 0. (Computed by `entry_probabilities`, entry by entry, and transposed.)
    """
    theta = np.asarray(theta, dtype=float)
    return np.ascontiguousarray(entry_probabilities(model, np.ascontiguousarray(theta.T)).T)


@functools.lru_cache(maxsize=32)
def _group_sum(model: Model) -> sparse.csr_matrix:
    """[G, E]: sums the entries of each probability row (built once per model)."""
    e = len(model.entry_param)
    return sparse.csr_matrix((np.ones(e), (model.entry_group, np.arange(e))), shape=(len(model.group_start), e))


def entry_probabilities(model: Model, th: np.ndarray) -> np.ndarray:
    """`branch_probabilities` laid out entry by entry: th[P, S] (one row per parameter) ->
    [E + 1, S], the last row 0. The rows of a table are summed as a sparse product: evaluate
    works entry-major ([entries, samples]), where a segment reduction along the first axis
    (`np.add.reduceat`) would loop per segment and sample, about ten times slower."""
    s = th.shape[1]
    e = len(model.entry_param)
    out = np.empty((e + 1, s))
    out[e] = 0.0
    if e == 0:
        return out
    rest = model.entry_param < 0
    vals = out[:e]
    # mode="clip": the indices are valid, and numpy buffers `out` under the default mode
    np.take(th, np.where(rest, 0, model.entry_param), axis=0, out=vals, mode="clip")
    vals[rest] = 0.0
    np.clip(vals, 0.0, None, out=vals)
    group = _group_sum(model)
    sums = np.asarray(group @ vals)                                       # [G, S]
    has_rest = model.group_has_rest[:, None]
    empty = (sums <= 0.0) & ~has_rest
    if empty.any():
        vals[:] = np.where(empty[model.entry_group], 1.0, vals)
        sums = np.asarray(group @ vals)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scale = np.where(has_rest & (sums <= 1.0), 1.0, 1.0 / sums)
    scale[~np.isfinite(scale)] = 0.0
    # rows with `otherwise` keep their numbers unless they pass 1 in some sample: scale only the
    # rows that change
    change = (scale != 1.0).any(axis=1)
    if change.all():
        vals *= scale[model.entry_group]
    elif change.any():
        hit = np.flatnonzero(change[model.entry_group])
        vals[hit] *= scale[model.entry_group[hit]]
    if rest.any():
        left = np.clip(1.0 - sums, 0.0, 1.0)
        vals[rest] = left[model.entry_group[rest]]
    return out


def node_probability(model: Model, q: np.ndarray) -> np.ndarray:
    """Probability of the branch into each node, [S, N] (1 below a decision or at the root)."""
    t = model.tree
    entry = np.where(t.entry >= 0, t.entry, q.shape[1] - 1)
    p = q[:, entry]
    under_decision = (t.parent < 0) | (t.kind[np.maximum(t.parent, 0)] == DECISION)
    p[:, under_decision] = 1.0
    return p


def own_payoffs(model: Model, theta: np.ndarray) -> np.ndarray:
    """Payoff paid on the way into each node per criterion, [S, N, C]."""
    t, c = model.tree, len(model.criteria)
    own = np.zeros((theta.shape[0], t.n * c))
    if len(model.pay_param):
        flat = model.pay_node * c + model.pay_criterion
        starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
        own[:, flat[starts]] = np.add.reduceat(theta[:, model.pay_param], starts, axis=1)
    return own.reshape(theta.shape[0], t.n, c)


def accumulate(model: Model, own: np.ndarray) -> np.ndarray:
    """Sum along the path from the root, level by level: cum[node] = cum[parent] + own[node]."""
    t = model.tree
    cum = own.copy()
    for start, stop in t.levels[1:]:
        cum[:, start:stop] += cum[:, t.parent[start:stop]]
    return cum


def leaf_consequences(model: Model, theta: np.ndarray) -> np.ndarray:
    """Consequence of each leaf on each criterion (payoffs summed along its path), [S, L, C]."""
    theta = np.atleast_2d(np.asarray(theta, dtype=float))
    return accumulate(model, own_payoffs(model, theta))[:, model.tree.leaves]
