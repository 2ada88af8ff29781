"""Evaluate a compiled model over a batch of parameter vectors: one pure, vectorised function.

`evaluate(model, theta[S, P])` rolls the tree back for all S samples at once, level by level
with numpy segment reductions (no Python loop over samples or nodes), and returns per option the
expected consequence on each criterion, the expected utility and certainty equivalent, the
probability of each risk and of each event state, and the optimal choice at every decision node.

Conventions. A leaf's value is the weighted sum of its criteria's value scores (each 0 worst to
1 best), or, with one criterion and no value function, its payoff in the criterion's unit
(negated when the criterion is minimised, so larger is always better). Utility is the value
itself (risk-neutral) or 1 - exp(-value / R). Values within TIE_TOLERANCE are ties.

Strategic actors (`model.actors`: the decision maker, then the other players). Every player's
value is rolled back with the decision maker's, in the same level-by-level reductions: a chance
node averages each player's value; a decision node owned by the decision maker takes its best
child; a decision node owned by another player takes the child best for that player (backward
induction: the subgame-perfect choice), or, with a logit precision lambda (`rationality`),
mixes its children with probabilities proportional to exp(lambda * value of the child to the
owner) (0: every child equally likely). When children tie for their owner, the owner takes the
one best for the decision maker among them (then the first): the decision maker is assumed able
to count on an indifferent actor's goodwill; `tied` flags such nodes. (Under a logit response,
tied children are equally likely, whatever they give the decision maker.) The decision maker's own
value at an actor's node is the expectation over the owner's (mixed) choice, in certainty
equivalents under exponential utility; the other players are risk-neutral. Exact for games of
perfect information among any number of players with chance moves; simultaneous moves and
hidden information (information sets) are outside what is solved.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np
from scipy import sparse

from .compile import CHANCE, DECISION, TERMINAL, Model

TIE_TOLERANCE = 1e-9
"""Two values tie when they differ by at most this times max(|value|, 1)."""

LOG_FLOAT_MAX = float(np.log(np.finfo(float).max))
"""ln of the largest float (709.78): exp of anything above it overflows."""


# ---------------------------------------------------------------------------- order and ties
# Every comparison of options (best, ranks, ties, P(best), dominance, regret, SMAA) goes through
# these functions, on a quantity that keeps its resolution: the certainty equivalent in value
# units (`Evaluation.preference`), never a utility, which saturates at 1 for values far above
# the risk tolerance and overflows far below it.
def tie_width(top: np.ndarray | float) -> np.ndarray:
    """How far below `top` a value still ties with it: TIE_TOLERANCE x max(|top|, 1)."""
    return TIE_TOLERANCE * np.maximum(np.abs(top), 1.0)


def near_top(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """True where x is within the tie tolerance of the largest value along `axis` (the best,
    several when tied)."""
    x = np.asarray(x, dtype=float)
    top = np.max(x, axis=axis, keepdims=True)
    return x >= top - tie_width(top)


def tie_ranks(scores: np.ndarray) -> np.ndarray:
    """Competition ranks along the last axis, larger score first: 1 + the number of options
    strictly better (by more than the tie tolerance of the best). Tied options share the best
    of their ranks, so [0.5, 0.5, 0.2] -> [1, 1, 3]."""
    s = np.asarray(scores, dtype=float)
    tol = tie_width(np.max(s, axis=-1, keepdims=True))
    better = s[..., None, :] > s[..., :, None] + tol[..., None]       # [..., i, j]: j beats i
    return 1 + better.sum(axis=-1)


def tie_size(scores: np.ndarray) -> np.ndarray:
    """How many options (itself included) score within the tie tolerance of each option."""
    s = np.asarray(scores, dtype=float)
    tol = tie_width(np.max(s, axis=-1, keepdims=True))
    return (np.abs(s[..., None, :] - s[..., :, None]) <= tol[..., None]).sum(axis=-1)


def ordering(scores: np.ndarray, options: tuple[str, ...] | list[str]) -> tuple[list[str], list[int], list[list[str]]]:
    """(options best first, each option's rank in input order, groups of tied options).

    The order among tied options is the input order; `ties` says they are tied."""
    s = np.asarray(scores, dtype=float)
    ranks = tie_ranks(s)
    order = np.lexsort((np.arange(len(s)), ranks))
    groups: dict[int, list[str]] = {}
    for i in order:
        groups.setdefault(int(ranks[i]), []).append(options[i])
    return [options[i] for i in order], [int(r) for r in ranks], [g for g in groups.values() if len(g) > 1]


def lottery_ce(values: np.ndarray, probs: np.ndarray, risk_tolerance: float | None) -> float:
    """Certainty equivalent of a lottery paying values[K] (value units) with probabilities
    probs[K]: its expected value when risk-neutral, else -R ln sum p exp(-v / R), taken in log
    space from the worst outcome that can happen (no overflow, no rounding to a utility of 1)."""
    v = np.asarray(values, dtype=float)
    p = np.asarray(probs, dtype=float)
    if risk_tolerance is None:
        return float(p @ v)
    low = float(v[p > 0].min())
    return low - risk_tolerance * float(np.log(p @ np.exp(-(v - low) / risk_tolerance)))


def utility_overflow_note(risk_tolerance: float) -> str:
    """The sentence shown where an expected utility lies below the float range."""
    return (f"an expected utility shown blank (null in JSON) lies below -1.8e308, beyond what a float holds (a certainty "
            f"equivalent below -709.78 x R = {-LOG_FLOAT_MAX * risk_tolerance:.6g}); the certainty "
            "equivalent, which orders options the same way, is exact")


def exponential_utility(value: np.ndarray, risk_tolerance: float) -> np.ndarray:
    """u = 1 - exp(-value / R) for values in value units; R in the same unit.

    Where value / R < -709.78 the utility is below -1.8e308, beyond what a float holds: it is
    -inf there (no warning), and only there; compare options on the certainty equivalent, which
    keeps every digit (`Evaluation.preference`). Values far above R give a utility of exactly 1.0
    in floating point: equal utilities then say nothing about which option is better."""
    with np.errstate(over="ignore"):
        return -np.expm1(-np.asarray(value, dtype=float) / risk_tolerance)

MERGE = True
"""Evaluate on the merged tree (model.lumped) where it applies; False forces the full tree (the
reference the merged one is tested against, and what a benchmark of the rollback itself times)."""

THREADS = min(2, os.cpu_count() or 1)
"""Threads that evaluate blocks of samples side by side (results do not depend on it)."""

MAX_CELLS = 1_000_000
"""Most cells of one [nodes, samples] array per block: larger batches go in blocks of samples, which
keeps memory bounded and the working set near the cache (1e6 measured fastest on the Venezuela tree)."""


@dataclass(frozen=True, eq=False)
class Evaluation:
    """What `evaluate` returns; every array's first axis is the sample (S).

    expected[S, O, C]: expected consequence of each option on each criterion, in its unit,
        with later decisions taken optimally.
    value[S, O]: expected value (value score, or signed payoff with one raw criterion).
    utility[S, O]: expected utility; -inf where it lies below the float range (value / R <
        -709.78), which only an extreme loss against the risk tolerance gives.
        certainty_equivalent[S, O]: the sure value with the same utility, in the criterion's
        unit for a single raw criterion (a cost when that criterion is minimised), else in value
        score; always finite.
    risk[S, O, R]: probability of each risk. state_probability[S, O, K]: probability of each
        (event, state) in `model.states`.
    best[S, O]: True for the best options (several when tied), judged on `preference`: the
        certainty equivalent, which orders options as expected utility does but keeps its
        resolution where utilities saturate at 1 or overflow (see `exponential_utility`).
    choice[S, D]: position of the chosen child at each decision node `model.tree.decisions`.
    tied[S, D]: True where another child ties the chosen one.
    node_value[S, N]: each node's rolled-back value in value units (expected value when
        risk-neutral, certainty equivalent under exponential utility; signed as the leaf values);
        reach[S, N]: the probability of reaching a node given its option (both only when
        evaluated with keep_nodes=True, else None).
    theta[S, P]: the parameter vectors evaluated.
    actor_value: player id -> [S, O], each player's (other than the decision maker's) expected
        payoff under each option, every later choice taken as solved; empty without players.
    actor_node_value: player id -> [S, N], its rolled-back value at each node, and
    choice_probability[S, N]: the probability that the owner of a node's parent decision takes
        the branch into it (1 below chance nodes and at the root): both only with keep_nodes.
    """

    model: Model
    expected: np.ndarray
    value: np.ndarray
    utility: np.ndarray
    certainty_equivalent: np.ndarray
    risk: np.ndarray
    state_probability: np.ndarray
    best: np.ndarray
    choice: np.ndarray
    tied: np.ndarray
    node_value: np.ndarray | None = None
    reach: np.ndarray | None = None
    theta: np.ndarray | None = None
    actor_value: dict[str, np.ndarray] = field(default_factory=dict)
    actor_node_value: dict[str, np.ndarray] | None = None
    choice_probability: np.ndarray | None = None

    @property
    def n_samples(self) -> int:
        return self.utility.shape[0]

    @property
    def preference(self) -> np.ndarray:
        """[S, O] what options are compared on, larger better: the certainty equivalent in value
        units (the expected value when risk-neutral; a minimised raw criterion's cost negated).
        Expected utility orders options the same way, but rounds to 1 far above the risk
        tolerance; this keeps every digit."""
        return signed_value(self.model, self.certainty_equivalent)

    @property
    def actors(self) -> tuple[str, ...]:
        """The players: the decision maker first, then the actors with a choice or a stake."""
        return self.model.actors

    def equilibrium_payoffs(self, sample: int = 0) -> dict[str, float]:
        """Each player's expected payoff when everyone plays as solved, the decision maker taking
        its best option (the first, when options tie): the decision maker's is that option's
        certainty equivalent (its expected value when risk-neutral), in the unit of
        `certainty_equivalent`. Empty when the scenario has no other players."""
        m = self.model
        if not m.actors:
            return {}
        o = int(np.argmax(self.best[sample]))
        out = {m.actors[0]: float(self.certainty_equivalent[sample, o])}
        for a in m.actors[1:]:
            out[a] = float(self.actor_value[a][sample, o])
        return out

    def best_options(self, sample: int = 0) -> list[str]:
        """Ids of the best options in one sample (several when tied)."""
        return [o for o, b in zip(self.model.options, self.best[sample]) if b]

    def policy(self, sample: int = 0) -> dict[str, list[str]]:
        """Decision node below the root, named by the branch ids from the root joined with '/',
        -> ids of its best options (several when tied). A decision owned by another actor is
        named the same way and gives that actor's choice (the most likely one under a logit
        response), its ties judged on that actor's values."""
        t = self.model.tree
        if self.node_value is None and self.tied[sample].any() and self.theta is not None:
            # which children tie needs the node values: evaluate this one sample again with them
            return evaluate(self.model, self.theta[sample:sample + 1], keep_nodes=True).policy(0)
        out = {}
        owner = self.model.node_owner
        for j, d in enumerate(t.decisions):
            if d == 0:
                continue
            kids = range(t.first_child[d], t.first_child[d] + t.n_children[d])
            # an actor's choice ties on that actor's values, the decision maker's on its own
            values = (self.actor_node_value[self.model.actors[owner[d]]]
                      if len(owner) and owner[d] > 0 and self.actor_node_value is not None else self.node_value)
            vals = values[sample, list(kids)] if values is not None else None
            chosen = int(self.choice[sample, j])
            if vals is not None and self.tied[sample, j]:
                top = vals[chosen]
                names = [t.label[k] for k, v in zip(kids, vals) if abs(v - top) <= tie_width(top)]
            else:
                names = [t.label[t.first_child[d] + chosen]]
            out["/".join(t.path(int(d)))] = names
        return out


def signed_value(model: Model, certainty_equivalent: np.ndarray) -> np.ndarray:
    """Certainty equivalents as `evaluate` returns them -> value units where larger is better
    (a single raw minimised criterion is reported as a cost; this undoes that sign)."""
    if model.raw_value and model.directions[0] < 0:
        return -np.asarray(certainty_equivalent)
    return np.asarray(certainty_equivalent)


def branch_probabilities(model: Model, theta: np.ndarray) -> np.ndarray:
    """Probability of each table entry per sample, [S, E + 1] (the last column is a constant 0).

    A row without `otherwise` is renormalised to sum to one (a draw with every entry at 0 gives
    equal probabilities: nothing favours any state); with `otherwise`, that entry takes 1 minus
    the others, and when the others exceed 1 they are scaled down and it takes 0. Negative
    draws count as 0.
    """
    s = theta.shape[0]
    e = len(model.entry_param)
    out = np.zeros((s, e + 1))
    if e == 0:
        return out
    rest = model.entry_param < 0
    vals = theta[:, np.where(rest, 0, model.entry_param)]
    vals[:, rest] = 0.0
    np.clip(vals, 0.0, None, out=vals)
    sums = np.add.reduceat(vals, model.group_start, axis=1)            # [S, G]
    has_rest = model.group_has_rest
    empty = (sums <= 0.0) & ~has_rest
    if empty.any():
        vals = np.where(empty[:, model.entry_group], 1.0, vals)
        sums = np.add.reduceat(vals, model.group_start, axis=1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scale = np.where(has_rest, np.where(sums > 1.0, 1.0 / sums, 1.0), 1.0 / sums)
    scale = np.where(np.isfinite(scale), scale, 0.0)
    out[:, :e] = vals * scale[:, model.entry_group]
    if rest.any():
        left = np.clip(1.0 - sums, 0.0, 1.0)
        out[:, :e][:, rest] = left[:, model.entry_group[rest]]
    return out


def _node_prob(model: Model, q: np.ndarray) -> np.ndarray:
    """Probability of the branch into each node, [S, N] (1 below a decision or at the root)."""
    t = model.tree
    entry = np.where(t.entry >= 0, t.entry, q.shape[1] - 1)
    p = q[:, entry]
    under_decision = (t.parent < 0) | (t.kind[np.maximum(t.parent, 0)] == DECISION)
    p[:, under_decision] = 1.0
    return p


def _own_payoffs(model: Model, theta: np.ndarray) -> np.ndarray:
    """Payoff paid on the way into each node per criterion, [S, N, C]."""
    t, c = model.tree, len(model.criteria)
    own = np.zeros((theta.shape[0], t.n * c))
    if len(model.pay_param):
        flat = model.pay_node * c + model.pay_criterion
        starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
        own[:, flat[starts]] = np.add.reduceat(theta[:, model.pay_param], starts, axis=1)
    return own.reshape(theta.shape[0], t.n, c)


def _accumulate(model: Model, own: np.ndarray) -> np.ndarray:
    """Sum along the path from the root, level by level: cum[node] = cum[parent] + own[node]."""
    t = model.tree
    cum = own.copy()
    for start, stop in t.levels[1:]:
        cum[:, start:stop] += cum[:, t.parent[start:stop]]
    return cum


def leaf_consequences(model: Model, theta: np.ndarray) -> np.ndarray:
    """Consequence of each leaf on each criterion (payoffs summed along its path), [S, L, C]."""
    theta = np.atleast_2d(np.asarray(theta, dtype=float))
    return _accumulate(model, _own_payoffs(model, theta))[:, model.tree.leaves]


def weights(model: Model, theta: np.ndarray) -> np.ndarray:
    """Criterion weights per sample, normalised to sum to one, [S, C] (equal when none given)."""
    c = len(model.criteria)
    if (model.weight_param < 0).all():
        return np.full((theta.shape[0], c), 1.0 / c)
    w = np.clip(theta[:, model.weight_param], 0.0, None)
    total = w.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, w / total, 1.0 / c)


def value_scores(model: Model, x: np.ndarray) -> np.ndarray:
    """Value score 0 (worst) to 1 (best) of consequences x[..., C] on each criterion's scale."""
    lo, hi = model.ranges[:, 0], model.ranges[:, 1]
    span = np.where(hi > lo, hi - lo, 1.0)
    out = np.empty_like(x, dtype=float)
    for i, kind in enumerate(model.value_kind):
        xi = x[..., i]
        gain = (xi - lo[i]) if model.directions[i] > 0 else (hi[i] - xi)
        if kind == "linear":
            out[..., i] = gain / span[i]
        elif kind == "exponential":
            rho = model.value_args[i]
            out[..., i] = _exponential_value(gain / rho, span[i] / rho)
        else:  # piecewise: the analyst's points map consequence to value directly
            pts = np.asarray(model.value_args[i], dtype=float)
            out[..., i] = np.interp(xi, pts[:, 0], pts[:, 1])
        if hi[i] <= lo[i] and kind != "piecewise":
            out[..., i] = 1.0  # every consequence is the same: nothing to tell options apart
    return out


def _exponential_value(g: np.ndarray, w: float) -> np.ndarray:
    """(1 - exp(-g)) / (1 - exp(-w)): an exponential value function at gain g, both in units of
    rho (w the whole span; w != 0). Taken as a ratio of logarithms, so that a rho far smaller
    than the span (either sign) neither overflows nor divides infinity by infinity."""
    a = -np.asarray(g, dtype=float)
    b = -float(w)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        def log_abs_expm1(x: np.ndarray) -> np.ndarray:  # ln |exp(x) - 1|, for any x
            return np.where(x > 0, x + np.log(-np.expm1(-np.abs(x))), np.log(-np.expm1(-np.abs(x))))
        ratio = np.exp(log_abs_expm1(a) - log_abs_expm1(np.asarray(b)))
    return np.sign(a) * np.sign(b) * ratio + 0.0  # + 0.0: no negative zero at g = 0


def _linear_coefficients(model: Model, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """a[S, C], b[S] with leaf value = b + sum_c a_c x_c, when every value function is linear."""
    if model.raw_value:
        return np.broadcast_to(model.directions, w.shape).copy(), np.zeros(w.shape[0])
    lo, hi = model.ranges[:, 0], model.ranges[:, 1]
    flat = hi <= lo
    span = np.where(flat, 1.0, hi - lo)
    a = w * np.where(flat, 0.0, model.directions / span)
    base = np.where(flat, 1.0, np.where(model.directions > 0, -lo / span, hi / span))
    return a, (w * base).sum(axis=1)


def evaluate(model: Model, theta: np.ndarray, keep_nodes: bool = False) -> Evaluation:
    """Roll the model back for each parameter vector in theta [S, P] (or [P] for one)."""
    theta = np.atleast_2d(np.asarray(theta, dtype=float))
    if theta.shape[1] != model.n_params:
        raise ValueError(f"evaluate(): theta has {theta.shape[1]} parameters per sample; the model has "
                         f"{model.n_params}")
    linear = model.raw_value or all(k == "linear" for k in model.value_kind)
    per_sample = (model.tree.n * (3 if linear else 3 + len(model.criteria)) + len(model.entry_param)
                  + model.tree.n * 2 * max(len(model.actors) - 1, 0) + (model.tree.n if model.is_game else 0))
    merged = False
    if linear and not keep_nodes and MERGE:
        from .lumped import lumped_plan

        lp = lumped_plan(model)
        if lp is not None:  # the merged graph's arrays are what a block holds
            merged = True
            per_sample = len(lp.src) * (1 + max(len(model.actors) - 1, 0)) + len(model.entry_param)
    block = max(1, MAX_CELLS // max(per_sample, 1))
    if theta.shape[0] <= block:
        return dataclasses.replace(_evaluate_block(model, theta, keep_nodes, linear, merged), theta=theta)
    starts = range(0, theta.shape[0], block)
    workers = min(THREADS, len(starts))
    if workers > 1:
        # numpy releases the GIL inside its loops, so two threads use two cores on independent
        # blocks of samples (threads, not processes: nothing is copied or pickled)
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(workers) as pool:
            parts = list(pool.map(lambda i: _evaluate_block(model, theta[i:i + block], keep_nodes, linear, merged),
                                  starts))
    else:
        parts = [_evaluate_block(model, theta[i:i + block], keep_nodes, linear, merged) for i in starts]
    cat = {f: np.concatenate([getattr(p, f) for p in parts]) for f in
           ("expected", "value", "utility", "certainty_equivalent", "risk", "state_probability",
            "best", "choice", "tied")}
    cat["actor_value"] = {a: np.concatenate([p.actor_value[a] for p in parts]) for a in parts[0].actor_value}
    if keep_nodes:
        cat["node_value"] = np.concatenate([p.node_value for p in parts])
        cat["reach"] = np.concatenate([p.reach for p in parts])
        cat["choice_probability"] = np.concatenate([p.choice_probability for p in parts])
        cat["actor_node_value"] = {a: np.concatenate([p.actor_node_value[a] for p in parts])
                                   for a in parts[0].actor_node_value}
    return Evaluation(model=model, theta=theta, **cat)


def _segment_expectation(prob: np.ndarray, child: np.ndarray, seg: np.ndarray, owner: np.ndarray,
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


def _best_child(value: np.ndarray, seg: np.ndarray, owner: np.ndarray, local: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per segment: the highest value, the position of the first child within TIE_TOLERANCE of
    it, and how many children are."""
    top = np.maximum.reduceat(value, seg, axis=0)
    is_top = value >= (top - tie_width(top))[owner]
    first = np.minimum.reduceat(np.where(is_top, local[:, None], np.iinfo(np.intp).max), seg, axis=0)
    return top, first, np.add.reduceat(is_top.astype(np.intp), seg, axis=0)


def _actor_choice(theirs: np.ndarray, mine: np.ndarray, seg: np.ndarray, owner: np.ndarray, local: np.ndarray,
                  child_lambda: np.ndarray, logit: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Another player's choice among each segment's children by its own values `theirs`: the
    chosen position (ties: the decision maker's best of them by `mine`, then the first), the
    number tied, and the probability of each child (1 for the choice, or a logit mix with
    precision `child_lambda` where it is finite)."""
    top = np.maximum.reduceat(theirs, seg, axis=0)
    is_top = theirs >= (top - tie_width(top))[owner]
    dm = np.where(is_top, mine, -np.inf)
    _, first, _ = _best_child(dm, seg, owner, local)
    count = np.add.reduceat(is_top.astype(np.intp), seg, axis=0)
    pi = (local[:, None] == first[owner]).astype(float)
    if logit:
        finite = np.isfinite(child_lambda)
        z = np.where(finite, child_lambda, 0.0) * (theirs - top[owner])   # <= 0: no overflow
        e = np.exp(z)
        pi = np.where(finite, e / np.add.reduceat(e, seg, axis=0)[owner], pi)
    return first, count, pi


@functools.lru_cache(maxsize=32)
def _plan(model: Model) -> SimpleNamespace:
    """Index arrays and aggregation matrices of a model, built once and reused by every block.

    Arrays in the hot path are node-major ([N, S]): a gather of parent rows or a reduction over a
    block of children then reads contiguous memory.
    """
    t = model.tree
    o, c = len(model.options), len(model.criteria)
    pl = SimpleNamespace()
    under_decision = (t.parent < 0) | (t.kind[np.maximum(t.parent, 0)] == DECISION)
    # row of the branch probability of each node in q: its entry, the zero row (a state a table
    # leaves out), or the one row after it (below a decision)
    pl.entry = np.where(under_decision, len(model.entry_param) + 1,
                        np.where(t.entry >= 0, t.entry, len(model.entry_param)))
    pn, pc, pp = model.pay_node, model.pay_criterion, model.pay_param
    pl.pay_starts = np.flatnonzero(np.r_[True, pn[1:] != pn[:-1]]) if len(pn) else np.zeros(0, np.intp)
    pl.pay_nodes = pn[pl.pay_starts] if len(pn) else np.zeros(0, np.intp)
    # expected consequences: sum reach over the nodes that pay the same parameter under one option
    key = t.option[pn] * (model.n_params * c) + pp * c + pc
    groups, inverse = np.unique(key, return_inverse=True)
    q = len(groups)
    pl.reach_to_group = sparse.csr_matrix((np.ones(len(pn)), (inverse, pn)), shape=(q, t.n))
    pl.group_param = (groups // c) % model.n_params if q else np.zeros(0, np.intp)
    group_oc = (groups // (model.n_params * c)) * c + groups % c
    pl.group_to_oc = sparse.csr_matrix((np.ones(q), (group_oc, np.arange(q))), shape=(o * c, q))
    k = len(model.states)
    ws = np.flatnonzero(t.state >= 0)
    pl.state_agg = sparse.csr_matrix((np.ones(len(ws)), (t.option[ws] * k + t.state[ws], ws)), shape=(o * k, t.n))
    nr = len(model.risks)
    rl = model.risk_leaf.tocoo()
    pl.risk_agg = sparse.csr_matrix((rl.data, (t.option[rl.row] * nr + rl.col, rl.row)), shape=(o * nr, t.n))

    # the other players' payoffs paid into each node: a sparse sum of parameter products, one
    # column per `payoffs`/`actor_payoffs` number (times 1) or criteria weight x consequence paid
    pl.n_other = max(len(model.actors) - 1, 0)
    owner = model.node_owner if len(model.node_owner) else np.where(t.kind == DECISION, 0, -1)
    if pl.n_other:
        rows = list((model.apay_player - 1) * t.n + model.apay_node)
        p1, p2 = list(model.apay_param), [-1] * len(model.apay_param)
        for kk, cc, wp in zip(model.acw_player, model.acw_criterion, model.acw_param):
            hit = np.flatnonzero(pc == cc)
            rows += list((kk - 1) * t.n + pn[hit])
            p1 += list(pp[hit])
            p2 += [int(wp)] * len(hit)
        pl.ap_param1 = np.array(p1, dtype=np.intp)
        pl.ap_param2 = np.array(p2, dtype=np.intp)
        pl.ap_matrix = sparse.csr_matrix((np.ones(len(rows)), (np.array(rows, dtype=np.intp), np.arange(len(rows)))),
                                         shape=(pl.n_other * t.n, len(rows)))
    # rollback, one record per level with inner nodes, deepest first
    pl.rollback = []
    dec_pos = {int(d): j for j, d in enumerate(t.decisions)}
    for start, stop in reversed(t.levels[:-1]):
        nodes = np.arange(start, stop)
        inner = nodes[t.kind[start:stop] != TERMINAL]
        if not len(inner):
            continue
        c0 = int(t.first_child[inner[0]])
        c1 = int(t.first_child[inner[-1]] + t.n_children[inner[-1]])
        seg = t.first_child[inner] - c0
        chance = t.kind[inner] == CHANCE
        actor = ~chance & (owner[inner] > 0)         # decided by another player
        mine = ~chance & ~actor                      # decided by the decision maker
        own = np.repeat(np.arange(len(inner)), t.n_children[inner])
        lam = model.node_rationality[inner] if len(model.node_rationality) else np.full(len(inner), np.inf)
        pl.rollback.append(SimpleNamespace(
            c0=c0, c1=c1, seg=seg, chance=chance, chance_nodes=inner[chance], dec_nodes=inner[mine],
            mine=mine, owner=own, local=np.arange(c1 - c0) - seg[own],
            dec_cols=np.array([dec_pos[int(n)] for n in inner[mine]], dtype=np.intp),
            actor=actor, actor_nodes=inner[actor], inner=inner,
            actor_cols=np.array([dec_pos[int(n)] for n in inner[actor]], dtype=np.intp),
            weighted=chance | actor, weighted_nodes=inner[chance | actor],
            child_actor=actor[own], child_mine=mine[own],
            child_player=np.maximum(owner[inner][own] - 1, 0),   # row of the owner in the players' values
            child_lambda=lam[own][:, None], logit=bool(np.isfinite(lam[actor]).any())))
    pl.reach = []
    for start, stop in t.levels[2:]:
        par = t.parent[start:stop]
        dec_parent = (t.kind[par] == DECISION) & (owner[par] <= 0)
        act_parent = (t.kind[par] == DECISION) & (owner[par] > 0)
        kids = np.arange(start, stop)[dec_parent]
        parents = par[dec_parent]
        pl.reach.append(SimpleNamespace(
            start=start, stop=stop, parent=par, dec_parent=dec_parent,
            act_parent=act_parent if act_parent.any() else None,
            offset=kids - t.first_child[parents],
            dec_cols=np.array([dec_pos[int(x)] for x in parents], dtype=np.intp)))
    # children of the decision maker's decisions: their column in `choice` and position
    mine = t.decisions[owner[t.decisions] <= 0]
    mine = mine[t.n_children[mine] > 0]
    pl.mine_kids = np.concatenate([np.arange(t.first_child[d], t.first_child[d] + t.n_children[d]) for d in mine]) \
        if len(mine) else np.zeros(0, np.intp)
    pl.mine_cols = np.repeat(np.searchsorted(t.decisions, mine), t.n_children[mine])
    pl.mine_offset = pl.mine_kids - np.repeat(t.first_child[mine], t.n_children[mine])
    pl.options = np.arange(t.first_child[0], t.first_child[0] + t.n_children[0])
    pl.only_root_decides = len(t.decisions) == 1
    pl.game = bool((owner > 0).any())
    return pl


def _actor_leaf_payoffs(model: Model, pl: SimpleNamespace, th: np.ndarray) -> np.ndarray:
    """Each other player's payoff at each node, summed along the path from the root, [A-1, N, S]."""
    t = model.tree
    s = th.shape[1]
    if not pl.ap_matrix.shape[1]:
        return np.zeros((pl.n_other, t.n, s))
    contrib = th[pl.ap_param1] * np.where(pl.ap_param2[:, None] >= 0, th[np.maximum(pl.ap_param2, 0)], 1.0)
    cum = np.asarray(pl.ap_matrix @ contrib).reshape(pl.n_other, t.n, s)
    for start, stop in t.levels[1:]:
        cum[:, start:stop] += cum[:, t.parent[start:stop]]
    return cum


def _evaluate_block(model: Model, theta: np.ndarray, keep_nodes: bool, linear: bool,
                    merged: bool = False) -> Evaluation:
    t = model.tree
    pl = _plan(model)
    s, c, o = theta.shape[0], len(model.criteria), len(model.options)
    th = np.ascontiguousarray(theta.T)                                  # [P, S]
    q = branch_probabilities(model, theta).T                          # [E + 1, S]
    q = np.vstack([q, np.ones((1, s))])                               # the last row: 1 below a decision
    entry = pl.entry
    w = weights(model, theta)
    rt = model.risk_tolerance
    na = pl.n_other
    # with no later decision and a linear utility, expected utility is linear in the expected
    # consequences: no rollback is needed, only the probabilities of reaching each node
    if merged:  # identical subtrees rolled back once (model.lumped): the same outputs, less work
        from .lumped import evaluate_block as lumped_block

        a, b = _linear_coefficients(model, w)
        return _finish(model, lumped_block(model, theta, q, a, b, rt), rt)
    shortcut = linear and rt is None and pl.only_root_decides and not keep_nodes and not na
    n_dec = len(t.decisions)
    choice = np.zeros((s, n_dec), dtype=np.intp)
    tied = np.zeros((s, n_dec), dtype=bool)
    val = None
    av = None                                                         # the other players' values [A-1, N, S]
    play = np.ones((t.n, s)) if pl.game else None                     # P(an actor takes the branch)
    if linear:
        a, b = _linear_coefficients(model, w)
    if not shortcut:
        if linear:
            nu = np.zeros((t.n, s))
            if len(model.pay_param):
                contrib = a.T[model.pay_criterion] * th[model.pay_param]
                nu[pl.pay_nodes] = np.add.reduceat(contrib, pl.pay_starts, axis=0)
            for start, stop in t.levels[1:]:
                nu[start:stop] += nu[t.parent[start:stop]]
            value_leaf = nu[t.leaves] + b[None, :]                    # [L, S]
        else:
            x = leaf_consequences(model, theta)
            value_leaf = (value_scores(model, x) * w[:, None, :]).sum(axis=2).T
        if na:
            av = _actor_leaf_payoffs(model, pl, th)                   # inner nodes are overwritten below
        # roll back values (expected values, or certainty equivalents: _segment_expectation)
        val = np.zeros((t.n, s))
        val[t.leaves] = value_leaf
        for lv in pl.rollback:
            child = val[lv.c0:lv.c1]
            prob = q[entry[lv.c0:lv.c1]]                              # chance: the table; 1 below decisions
            avc = av[:, lv.c0:lv.c1] if na else None
            if len(lv.actor_nodes):
                # another player's choice: its best child (ties: the decision maker's best of
                # them, then the first), or a logit mix of its children
                theirs = avc[lv.child_player, np.arange(lv.c1 - lv.c0)]   # [children, S] owner's values
                first, count, pi = _actor_choice(theirs, child, lv.seg, lv.owner, lv.local, lv.child_lambda, lv.logit)
                choice[:, lv.actor_cols] = first[lv.actor].T
                tied[:, lv.actor_cols] = (count[lv.actor] > 1).T
                prob = np.where(lv.child_actor[:, None], pi, prob)
                play[lv.c0:lv.c1][lv.child_actor] = pi[lv.child_actor]
            if len(lv.weighted_nodes):
                val[lv.weighted_nodes] = _segment_expectation(prob, child, lv.seg, lv.owner, rt)[lv.weighted]
            if len(lv.dec_nodes):
                top, first, count = _best_child(child, lv.seg, lv.owner, lv.local)
                dec = lv.mine
                val[lv.dec_nodes] = top[dec]
                choice[:, lv.dec_cols] = first[dec].T
                tied[:, lv.dec_cols] = (count[dec] > 1).T
                if na:  # the other players get what the decision maker's choice gives them
                    prob = np.where(lv.child_mine[:, None], lv.local[:, None] == first[lv.owner], prob)
            if na:
                av[:, lv.inner] = np.add.reduceat(prob[None] * avc, lv.seg, axis=1)

    # probability of reaching each node given its option, the optimal later choices taken
    reach = np.empty((t.n, s))
    reach[: t.levels[1][1]] = 1.0
    for lv in pl.reach:
        r = reach[lv.start:lv.stop]
        np.take(reach, lv.parent, axis=0, out=r)
        r *= q[entry[lv.start:lv.stop]]
        if len(lv.offset):
            r[lv.dec_parent] *= choice[:, lv.dec_cols].T == lv.offset[:, None]
        if lv.act_parent is not None:
            r[lv.act_parent] *= play[lv.start:lv.stop][lv.act_parent]

    expected = np.asarray(pl.group_to_oc @ ((pl.reach_to_group @ reach) * th[pl.group_param]))  # [O*C, S]
    expected = expected.T.reshape(s, o, c)
    if linear:
        value = b[:, None] + np.einsum("sc,soc->so", a, expected)
    else:
        value = np.asarray((reach[t.leaves] * value_leaf).T @ _aggregator(t.option[t.leaves], o))
    ce = value.copy() if shortcut else val[pl.options].T            # in value units
    best = near_top(ce)
    utility = ce.copy() if rt is None else exponential_utility(ce, rt)
    if shortcut:
        choice[:, 0] = np.argmax(best, axis=1)
        tied[:, 0] = best.sum(axis=1) > 1
    if model.raw_value and model.directions[0] < 0:
        ce = -ce  # back to the criterion's unit: a cost

    k, nr = len(model.states), len(model.risks)
    states = np.asarray(pl.state_agg @ reach).T.reshape(s, o, k)
    risk = np.asarray(pl.risk_agg @ reach).T.reshape(s, o, nr)
    others = model.actors[1:]
    if keep_nodes:
        if play is None:
            play = np.ones((t.n, s))
        play[pl.mine_kids] = choice[:, pl.mine_cols].T == pl.mine_offset[:, None]
    actor_value = {p: av[i][pl.options].T.copy() for i, p in enumerate(others)} if na else {}
    return Evaluation(model=model, expected=expected, value=value, utility=utility,
                      certainty_equivalent=ce, risk=risk, state_probability=states, best=best,
                      choice=choice, tied=tied, node_value=val.T.copy() if keep_nodes else None,
                      reach=reach.T.copy() if keep_nodes else None, actor_value=actor_value,
                      actor_node_value=({p: av[i].T.copy() for i, p in enumerate(others)} if keep_nodes and na
                                        else ({} if keep_nodes else None)),
                      choice_probability=play.T.copy() if keep_nodes else None)


def _finish(model: Model, out: dict, rt: float | None) -> Evaluation:
    """An Evaluation from the merged-graph evaluator's outputs (model.lumped)."""
    ce = out["ce"]
    best = near_top(ce)
    utility = ce.copy() if rt is None else exponential_utility(ce, rt)
    choice, tied = out["choice"], out["tied"]
    choice[:, 0] = np.argmax(best, axis=1)
    tied[:, 0] = best.sum(axis=1) > 1
    if model.raw_value and model.directions[0] < 0:
        ce = -ce  # back to the criterion's unit: a cost
    return Evaluation(model=model, expected=out["expected"], value=out["value"], utility=utility,
                      certainty_equivalent=ce, risk=out["risk"], state_probability=out["state_probability"],
                      best=best, choice=choice, tied=tied, actor_value=out["actor_value"])


def _aggregator(columns: np.ndarray, width: int) -> sparse.csr_matrix:
    """A 0/1 matrix summing its rows' items into the given columns."""
    n = len(columns)
    return sparse.csr_matrix((np.ones(n), (np.arange(n), columns)), shape=(n, width))


def point(model: Model, keep_nodes: bool = True) -> Evaluation:
    """Evaluate at the point values of every number (one sample)."""
    return evaluate(model, model.params.point[None, :], keep_nodes=keep_nodes)
