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


def segment_expectation(prob: np.ndarray, child: np.ndarray, seg: np.ndarray, owner: np.ndarray,
                        rt: float | None) -> np.ndarray:
    """Each segment's expected value (risk-neutral) or certainty equivalent (exponential utility,
    taken in log space: m - R ln sum p exp(-(v - m) / R), m the least child value with p > 0, so
    that values far above R keep their order instead of all rounding to a utility of 1)."""
    if rt is None:
        return np.add.reduceat(prob * child, seg, axis=0)
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

    value[M, S]: each class's rolled-back value (None when the values were not rolled back);
    other[A-1, M, S]: the other players' values (None without players); choice, tied [M, S]: the
    chosen edge (position among its source's) and whether another ties, at decision classes;
    taken[E, S]: the probability that each edge is taken from its source (its branch
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


def roll_back(plan: Plan, q: np.ndarray, rt: float | None, start: np.ndarray | None, own: np.ndarray | None,
              other_start: np.ndarray | None = None, other_own: np.ndarray | None = None) -> Rolled:
    """Roll the plan back over one block of samples.

    q[rows, S]: branch probabilities per row of `plan.entry` (table entries, a zero row, a row
    of ones). start[M, S]: each class's value before the rollback (its end value at the end
    classes; None skips the value rollback: only the flows are computed, for a plan in which
    only the root decides and a risk-neutral linear value needs none). own[E, S]: the value paid
    along each edge (None: nothing, as in the full plan). other_start [A-1, M, S] and other_own
    [A-1, E, S]: the same for the other players. rt: exponential utility's R, or None.
    """
    m, s = plan.n_classes, q.shape[1]
    taken = q[plan.entry]                                              # [E, S]: 1 below decisions
    choice = np.zeros((m, s), dtype=np.intp)
    tied = np.zeros((m, s), dtype=bool)
    val = av = None
    if start is not None:
        val = start
        av = other_start
        for lv in reversed(plan.levels):
            e0, e1 = lv.e0, lv.e1
            child = val[lv.dst[0]:lv.dst[1]] if lv.dst is not None else val[plan.dst[e0:e1]]
            if own is not None:
                child = child + own[e0:e1]
            prob = taken[e0:e1]
            if av is not None:
                avc = av[:, lv.dst[0]:lv.dst[1]] if lv.dst is not None else av[:, plan.dst[e0:e1]]
                if other_own is not None:
                    avc = avc + other_own[:, e0:e1]
            if lv.actor.any():
                # another player's choice: its best child (ties: the decision maker's best of
                # them, then the first), or a logit mix of its children
                theirs = avc[lv.child_player, np.arange(e1 - e0)]         # [edges, S] owner's values
                first, count, pi = actor_choice(theirs, child, lv.seg, lv.owner, lv.local, lv.child_lambda,
                                                lv.logit)
                choice[lv.inner[lv.actor]] = first[lv.actor]
                tied[lv.inner[lv.actor]] = count[lv.actor] > 1
                prob = np.where(lv.child_actor[:, None], pi, prob)
            if lv.weighted.any():
                val[lv.inner[lv.weighted]] = segment_expectation(prob, child, lv.seg, lv.owner, rt)[lv.weighted]
            if lv.mine.any():
                top, first, count = best_child(child, lv.seg, lv.owner, lv.local)
                val[lv.inner[lv.mine]] = top[lv.mine]
                choice[lv.inner[lv.mine]] = first[lv.mine]
                tied[lv.inner[lv.mine]] = count[lv.mine] > 1
                prob = np.where(lv.child_mine[:, None], lv.local[:, None] == first[lv.owner], prob)
            taken[e0:e1] = prob
            if av is not None:
                av[:, lv.inner] = np.add.reduceat(prob[None] * avc, lv.seg, axis=1)

    # flows: the probability of taking each edge given the option, level by level from the options
    reach = np.zeros((m, s))
    reach[0] = 1.0
    reach[plan.options] = 1.0
    contiguous = all(lv.dst is not None for lv in plan.levels)
    flow = reach[1:] if contiguous else np.zeros((plan.n_edges, s))  # full plan: edge e enters class e + 1
    for lv in plan.levels[1:]:
        f = reach[plan.src[lv.e0:lv.e1]] * taken[lv.e0:lv.e1]
        if lv.dst is not None:
            reach[lv.dst[0]:lv.dst[1]] = f
        else:
            flow[lv.e0:lv.e1] = f
            reach += np.asarray(lv.into @ f)
    if not contiguous:
        flow[plan.option_edges] = 1.0
    return Rolled(value=val, other=av, choice=choice, tied=tied, taken=taken, reach=reach, flow=flow)
