"""The rollback: one level loop over a plan, for a block of S samples at once.

From the deepest level up, each class takes the expectation of its children (a chance node, or
another player's logit choice), or the certainty equivalent under exponential utility, or its
best child (a decision); then, from the options down, the probability of taking each edge given
the option. Arrays are class-major ([M, S]): a gather of child rows or a reduction over a block of
edges reads contiguous memory. Every reduction is a numpy segment reduction over the edges of one
level: no Python loop over samples or nodes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .plan import Plan
from .values import tie_width


def segment_expectation(prob: np.ndarray, child: np.ndarray, agg, seg: np.ndarray, owner: np.ndarray,
                        rt: float | None) -> np.ndarray:
    """Each segment's expected value (risk-neutral, or of discount factors, which add like
    values; `agg` [segments, edges] sums a segment's edges) or certainty equivalent (exponential
    utility in log space: m - R ln sum p exp(-(v - m) / R), m the least child value with p > 0, so
    that values far above R keep their order instead of all rounding to a utility of 1)."""
    if rt is None:
        return np.asarray(agg @ (prob * child))
    low = np.minimum.reduceat(np.where(prob > 0, child, np.inf), seg, axis=0)
    low = np.where(np.isfinite(low), low, 0.0)
    with np.errstate(invalid="ignore", over="ignore"):
        e = np.add.reduceat(prob * np.exp(-(child - low[owner]) / rt), seg, axis=0)
    with np.errstate(divide="ignore"):
        return low - rt * np.log(e)


def best_child(value: np.ndarray, seg: np.ndarray, owner: np.ndarray, local: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per segment: the highest value, the position of the first child within the tie tolerance
    of it, and how many children are."""
    top = np.maximum.reduceat(value, seg, axis=0)
    is_top = value >= (top - tie_width(top))[owner]
    first = np.minimum.reduceat(np.where(is_top, local[:, None], np.iinfo(np.intp).max), seg, axis=0)
    return top, first, np.add.reduceat(is_top.astype(np.intp), seg, axis=0)


def actor_choice(theirs: np.ndarray, mine: np.ndarray, seg: np.ndarray, owner: np.ndarray, local: np.ndarray,
                 child_lambda: np.ndarray, logit: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Another player's choice among each segment's children by its own values `theirs`: the
    chosen position (ties: the decision maker's best of them by `mine`, then the first), the
    number tied, and the probability of each child (1 for the choice, or a logit mix with
    precision `child_lambda` where it is finite)."""
    top = np.maximum.reduceat(theirs, seg, axis=0)
    is_top = theirs >= (top - tie_width(top))[owner]
    dm = np.where(is_top, mine, -np.inf)
    _, first, _ = best_child(dm, seg, owner, local)
    count = np.add.reduceat(is_top.astype(np.intp), seg, axis=0)
    pi = (local[:, None] == first[owner]).astype(float)
    if logit:
        finite = np.isfinite(child_lambda)
        z = np.where(finite, child_lambda, 0.0) * (theirs - top[owner])   # <= 0: no overflow
        e = np.exp(z)
        pi = np.where(finite, e / np.add.reduceat(e, seg, axis=0)[owner], pi)
    return first, count, pi


@dataclass(frozen=True, eq=False)
class Rolled:
    """What one rollback gives, class- and edge-major ([M, S], [E, S]).

    value[M, S]: each class's rolled-back value (None when the values were not rolled back),
    measured from `base` (when set) or, when `discounted`, as a discount factor (see
    `discount`); read values through `values()`. other[A-1, M, S]: the other players' values
    (None without players); choice, tied [rows, S]: at the decision classes (row
    `plan.choice_row[class]`), the chosen edge (position among its source's) and whether another
    ties; taken[E, S]: the probability that each edge is taken from its source (its branch
    probability, a player's choice probability, 1 or 0 for the decision maker's choice);
    reach[M, S]: the probability of reaching each class given its option; flow[E, S]: of taking
    each edge given its option (1 on the edges from the root).
    """

    value: np.ndarray | None
    other: np.ndarray | None
    choice: np.ndarray
    tied: np.ndarray
    taken: np.ndarray
    reach: np.ndarray
    flow: np.ndarray
    base: np.ndarray | None = None
    discounted: bool = False
    rt: float | None = None

    def values(self, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """The rolled-back values (value units) of the classes `rows`, [rows, S]."""
        return as_values(self.value[rows], self.base, self.discounted, self.rt)


DISCOUNT_SPAN = 1200.0
"""Widest spread of end values (max - min, in units of R) that one shift per sample keeps exact:
with the shift halfway, every discount factor lies within exp(+-600), far from overflow (709.78)
and from the subnormal floats where a sum p x d would lose digits (below exp(-708))."""


def discount(ends: np.ndarray, rt: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Exponential utility rolled back with one shift per sample: end values v[L, S] -> (d, shift)
    with d = exp(-(v - shift) / R), or None when some sample's ends spread wider than
    DISCOUNT_SPAN x R (then the rollback takes certainty equivalents level by level, in log
    space). A chance node's d is then the probability-weighted sum of its children's (its
    certainty equivalent is shift - R ln d), a decision's the least of its children's: the same
    sums as risk-neutral values, with one exp per end instead of an exp and a log per level."""
    if not ends.size:
        return None
    lo, hi = ends.min(axis=0), ends.max(axis=0)
    if not ((hi - lo) <= DISCOUNT_SPAN * rt).all():
        return None
    shift = 0.5 * (lo + hi)
    d = np.subtract(shift, ends, out=ends)
    d *= 1.0 / rt
    return np.exp(d, out=d), shift


def path_discounts(plan: Plan, paid: np.ndarray, rt: float) -> np.ndarray | None:
    """Discount factors of a full plan's classes, exp(-(path sum) / R) [M, S], from the value of
    each number paid paid[pairs, S] (one per `plan.pair_criterion`, `pair_param`): one exp per
    number, then products along the paths (a path's factor is the product of its numbers'),
    instead of one exp per end. None when some path could reach beyond DISCOUNT_SPAN / 2 x R
    from 0 (the most numbers on a path times the largest), where a factor could leave the
    range `discount` keeps; or when an edge pays one number twice."""
    s = paid.shape[1]
    if plan.pay_columns is None or plan.merged:
        return None
    if paid.size and not (plan.most_pays * np.abs(paid).max(axis=0) <= 0.5 * DISCOUNT_SPAN * rt).all():
        return None
    factor = np.empty((len(paid) + 1, s))
    np.multiply(paid, -1.0 / rt, out=factor[:-1])
    np.exp(factor[:-1], out=factor[:-1])
    factor[-1] = 1.0                                                   # the padding
    out = np.empty((plan.n_classes, s))
    out[0] = 1.0
    # level by level, each class's factor is its parent's times those of the numbers paid on
    # the way in: gathers from the small factor table into a contiguous block
    for lv, cols in zip(plan.levels, plan.pay_columns):
        block = out[lv.dst[0]:lv.dst[1]]
        np.multiply(out[plan.src[lv.e0:lv.e1]], factor[cols[:, 0]], out=block)
        for j in range(1, cols.shape[1]):
            block *= factor[cols[:, j]]
    return out


def as_values(x: np.ndarray, base: np.ndarray | None, discounted: bool, rt: float | None) -> np.ndarray:
    """Values (value units) of rolled-back x[rows, S]: base - R ln x for discount factors, else
    base + x (x itself without a base)."""
    if discounted:
        return base - rt * np.log(x)
    return x if base is None else x + base


def roll_back(plan: Plan, q: np.ndarray, rt: float | None, start: np.ndarray | None, own: np.ndarray | None,
              other_start: np.ndarray | None = None, other_own: np.ndarray | None = None,
              base: np.ndarray | None = None, discounted: bool = False) -> Rolled:
    """Roll the plan back over one block of samples.

    q[rows, S]: branch probabilities per row of `plan.entry` (table entries, then a zero row).
    start[M, S]: each class's value before the rollback (its end value at the end
    classes; None skips the value rollback: only the flows are computed, for a plan in which
    only the root decides and a risk-neutral linear value needs none). own[E, S]: the value paid
    along each edge (None: nothing, as in the full plan). other_start [A-1, M, S] and other_own
    [A-1, E, S]: the same for the other players. rt: exponential utility's R, or None.
    base[S]: start's values are measured from it (a constant per sample that every leaf adds:
    it changes no choice, so it is added where values are read); discounted: start holds
    discount factors around the shift `base` (see `discount`), rolled back as such (a full plan
    only: own must be None).
    """
    m, s = plan.n_classes, q.shape[1]
    taken = q[plan.entry]                                              # [E, S]
    taken[plan.decision_edges] = 1.0                                   # until the choice is made
    choice = np.zeros((plan.n_choice_rows, s), dtype=np.intp)
    tied = np.zeros((plan.n_choice_rows, s), dtype=bool)
    val = av = None
    # how the values pass up: summed as they are (risk-neutral values, or discount factors), or
    # as certainty equivalents in log space (exponential utility, values)
    additive = rt is None or discounted

    if start is not None:
        val = start
        av = other_start
        for lv in reversed(plan.levels):
            e0, e1 = lv.e0, lv.e1
            child = val[lv.dst[0]:lv.dst[1]] if lv.dst is not None else val[plan.dst[e0:e1]]
            if own is not None:
                child = child + own[e0:e1]
            prob = taken[e0:e1]                                        # a view: edited in place
            if av is not None:
                avc = av[:, lv.dst[0]:lv.dst[1]] if lv.dst is not None else av[:, plan.dst[e0:e1]]
                if other_own is not None:
                    avc = avc + other_own[:, e0:e1]
            if len(lv.actor_edges):
                # another player's choice: its best child (ties: the decision maker's best of
                # them, then the first), or a logit mix of its children
                ae = lv.actor_edges
                theirs = avc[lv.child_player[ae], ae]                  # [edges, S] owner's values
                first, count, pi = actor_choice(theirs, as_values(child[ae], base, discounted, rt), lv.actor_seg,
                                                lv.actor_owner, lv.actor_local, lv.child_lambda[ae], lv.logit)
                rows = plan.choice_row[lv.inner[lv.actor]]
                choice[rows] = first
                tied[rows] = count > 1
                prob[ae] = pi
            if lv.any_weighted:
                ex = segment_expectation(prob, child, lv.agg, lv.seg, lv.owner, None if additive else rt)
                if lv.all_weighted:
                    val[lv.inner] = ex
                else:
                    val[lv.inner[lv.weighted]] = ex[lv.weighted]
            if len(lv.mine_edges):
                me = lv.mine_edges
                top, first, count = best_child(as_values(child[me], base, discounted, rt), lv.mine_seg,
                                               lv.mine_owner, lv.mine_local)
                # the best value, measured as the values are (a discount factor is least where
                # the value is greatest)
                val[lv.inner[lv.mine]] = ((np.minimum if discounted else np.maximum).reduceat(child[me], lv.mine_seg, axis=0)
                                          if discounted or base is not None else top)
                rows = plan.choice_row[lv.inner[lv.mine]]
                choice[rows] = first
                tied[rows] = count > 1
                prob[me] = lv.mine_local[:, None] == first[lv.mine_owner]
            if av is not None:
                for i in range(len(av)):
                    av[i, lv.inner] = lv.agg @ (prob * avc[i])

    # flows: the probability of taking each edge given the option, level by level from the options
    reach = np.zeros((m, s))
    reach[0] = 1.0
    reach[plan.options] = 1.0
    contiguous = all(lv.dst is not None for lv in plan.levels)
    flow = reach[1:] if contiguous else np.zeros((plan.n_edges, s))  # full plan: edge e enters class e + 1
    for lv in plan.levels[1:]:
        if lv.dst is not None:
            np.multiply(reach[plan.src[lv.e0:lv.e1]], taken[lv.e0:lv.e1], out=reach[lv.dst[0]:lv.dst[1]])
        else:
            f = reach[plan.src[lv.e0:lv.e1]] * taken[lv.e0:lv.e1]
            flow[lv.e0:lv.e1] = f
            reach += np.asarray(lv.into @ f)
    if not contiguous:
        flow[plan.option_edges] = 1.0
    return Rolled(value=val, other=av, choice=choice, tied=tied, taken=taken, reach=reach, flow=flow,
                  base=base, discounted=discounted, rt=rt)
