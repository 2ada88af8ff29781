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

The package: `values` (order and ties, utility, weights, value scores), `plan` (the tree, or its
merged graph, as the typed plan the rollback walks, built once per model), `rollback` (the one
level loop). This module prepares a block's inputs for a plan and reads the outputs back.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..compile import Model
from ..results import Result, Table, table
from ..compile.arrays import branch_probabilities, entry_probabilities, leaf_consequences, node_probability
from .plan import Plan, full_plan, merged_plan
from .rollback import discount, path_discounts, roll_back
from .values import (
    LOG_FLOAT_MAX,
    TIE_TOLERANCE,
    exponential_utility,
    linear_coefficients,
    lottery_ce,
    near_top,
    ordering,
    signed_value,
    tie_ranks,
    tie_size,
    tie_width,
    utility_overflow_note,
    value_scores,
    weights,
)

__all__ = [
    "LOG_FLOAT_MAX", "MAX_CELLS", "MERGE", "THREADS", "TIE_TOLERANCE", "Evaluation", "branch_probabilities",
    "evaluate", "exponential_utility", "leaf_consequences", "lottery_ce", "near_top", "node_probability",
    "ordering", "point", "signed_value", "tie_ranks", "tie_size", "tie_width", "utility_overflow_note",
    "value_scores", "weights",
]

MERGE = True
"""Evaluate on the merged plan (`plan.merged_plan`) where it applies; False forces the full tree (the
reference the merged one is tested against, and what a benchmark of the rollback itself times)."""

THREADS = min(2, os.cpu_count() or 1)
"""Threads that evaluate blocks of samples side by side (results do not depend on it)."""

MAX_CELLS = 1_000_000
"""Most cells of one [nodes, samples] array per block: larger batches go in blocks of samples, which
keeps memory bounded and the working set near the cache (1e6 measured fastest on the Venezuela tree)."""


@dataclass(frozen=True, eq=False, repr=False)
class Evaluation(Result):
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

    def table(self, sample: int = 0) -> Table:
        """The ranking in one sample: rank (ties share a rank), expected utility, certainty
        equivalent, best. Order and ties are decided on the certainty equivalent (`preference`),
        which orders options as expected utility does without saturating: far above the risk
        tolerance two utilities both round to 1.0 while their certainty equivalents differ."""
        m = self.model
        u = self.utility[sample]
        pref = self.preference[sample]
        ranks = tie_ranks(pref)
        order = np.lexsort((np.arange(len(pref)), ranks))
        unit = (m.scenario.criteria[0].unit or "") if m.raw_value and m.scenario.criteria else "value 0-1"
        rows = [m.options[i] for i in order]
        vals = [[int(ranks[i]), float(u[i]), float(self.certainty_equivalent[sample, i]), bool(self.best[sample, i])]
                for i in order]
        notes = []
        if m.risk_tolerance is not None:
            notes.append(f"exponential utility u(x) = 1 - exp(-x / {m.risk_tolerance:g}); options are ranked on "
                         "the certainty equivalent, which orders them as expected utility does")
            if not np.isfinite(u).all():
                notes.append(utility_overflow_note(m.risk_tolerance))
            elif len(u) > 1 and len(set(u.tolist())) < len(set(pref.tolist())):
                notes.append("expected utilities that print alike round to the same float (far above the risk "
                             "tolerance); the certainty equivalents tell the options apart")
        else:
            notes.append("risk-neutral: expected utility = expected value")
        if int(self.best[sample].sum()) > 1:
            notes.append("tie: " + ", ".join(self.best_options(sample)) + " share the best certainty equivalent")
        return table("Ranking", "option", rows, ["rank", "expected utility", "certainty equivalent", "best"], vals,
                     ["", "", unit, ""], notes)

    def to_dict(self, sample: int = 0) -> dict[str, Any]:
        """The `juncture evaluate --json` shape: scenario, best_option, options (expected
        consequences, expected_utility (null below the float range, with `notes`),
        certainty_equivalent, rank, risks), policy, ranking, world, risk_attitude, and for a game
        equilibrium_payoffs."""
        m = self.model
        rank = self.table(sample)

        def one_or_all(names: list[str]) -> Any:
            return names[0] if len(names) == 1 else names

        out: dict[str, Any] = {
            "scenario": m.scenario.meta.id,
            "best_option": one_or_all(self.best_options(sample)),
            "options": {},
            "policy": {k: one_or_all(v) for k, v in self.policy(sample).items()},
            "ranking": list(rank.rows),
            "world": m.world,
            "risk_attitude": ("exponential, R = %g" % m.risk_tolerance) if m.risk_tolerance else "risk-neutral",
        }
        if m.actors:  # a game: every player's payoff when all play as solved
            out["equilibrium_payoffs"] = self.equilibrium_payoffs(sample)
        for i, o in enumerate(m.options):
            u = float(self.utility[sample, i])
            out["options"][o] = {
                "expected": {c: float(self.expected[sample, i, j]) for j, c in enumerate(m.criteria)},
                "expected_utility": u if np.isfinite(u) else None,
                "certainty_equivalent": float(self.certainty_equivalent[sample, i]),
                "rank": rank.cell(o, "rank"),
                "risks": {r: float(self.risk[sample, i, k]) for k, r in enumerate(m.risks)},
            }
        if not np.isfinite(self.utility[sample]).all():
            out["notes"] = [utility_overflow_note(m.risk_tolerance)]
        return out

    def __repr__(self) -> str:
        return (f"Evaluation of {self.model.scenario.meta.id}: {self.n_samples:,} sample(s)\n"
                + self.table().to_text())

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


def evaluate(model: Model, theta: np.ndarray, keep_nodes: bool = False) -> Evaluation:
    """Roll the model back for each parameter vector in theta [S, P] (or [P] for one)."""
    theta = np.atleast_2d(np.asarray(theta, dtype=float))
    if theta.shape[1] != model.n_params:
        raise ValueError(f"evaluate(): theta has {theta.shape[1]} parameters per sample; the model has "
                         f"{model.n_params}")
    linear = model.raw_value or all(k == "linear" for k in model.value_kind)
    per_sample = (model.tree.n * (3 if linear else 3 + len(model.criteria)) + len(model.entry_param)
                  + model.tree.n * 2 * max(len(model.actors) - 1, 0) + (model.tree.n if model.is_game else 0))
    plan = merged_plan(model) if linear and not keep_nodes and MERGE else None
    if plan is not None:  # the merged graph's arrays are what a block holds
        per_sample = plan.n_edges * (1 + max(len(model.actors) - 1, 0)) + len(model.entry_param)
    else:
        plan = full_plan(model)
    block = max(1, MAX_CELLS // max(per_sample, 1))
    if theta.shape[0] <= block:
        return dataclasses.replace(_evaluate_block(model, plan, theta, keep_nodes, linear), theta=theta)
    starts = range(0, theta.shape[0], block)
    workers = min(THREADS, len(starts))
    if workers > 1:
        # numpy releases the GIL inside its loops, so two threads use two cores on independent
        # blocks of samples (threads, not processes: nothing is copied or pickled)
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(workers) as pool:
            parts = list(pool.map(lambda i: _evaluate_block(model, plan, theta[i:i + block], keep_nodes, linear),
                                  starts))
    else:
        parts = [_evaluate_block(model, plan, theta[i:i + block], keep_nodes, linear) for i in starts]
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


def _evaluate_block(model: Model, plan: Plan, theta: np.ndarray, keep_nodes: bool, linear: bool) -> Evaluation:
    """One block of samples: the plan's inputs (branch probabilities, values paid on edges or at
    the ends), one rollback, and the Evaluation read off its outputs."""
    s, c, o = theta.shape[0], len(model.criteria), len(model.options)
    th = np.ascontiguousarray(theta.T)                                  # [P, S]
    q = entry_probabilities(model, th)                                  # [E + 1, S]: the last row 0
    w = weights(model, theta)
    rt = model.risk_tolerance
    na = plan.n_other
    a, b = linear_coefficients(model, w) if linear else (None, None)
    # with no later decision and a linear utility, expected utility is linear in the expected
    # consequences: no rollback is needed, only the probabilities of reaching each node
    shortcut = linear and rt is None and plan.only_root_decides and not keep_nodes and not na
    # the value of each number paid, a_c x theta_p per (criterion, parameter) pair, and the
    # value paid along each edge (linear values) ([1 + E, S]: row 0 empty, edge e in row e + 1,
    # so that in the full plan the rows are the classes); the other players' payoffs
    pair_value = a.T[plan.pair_criterion] * th[plan.pair_param] if linear and not shortcut else None
    own = np.asarray(plan.pay_pairs @ pair_value)[1:] if plan.merged and pair_value is not None else None
    aown = None
    if na:
        contrib = th[plan.ap_param1] * np.where(plan.ap_param2[:, None] >= 0, th[np.maximum(plan.ap_param2, 0)], 1.0)
        aown = np.asarray(plan.ap_matrix @ contrib).reshape(na, plan.n_edges, s)
    if plan.merged:
        start = np.zeros((plan.n_classes, s))
        astart = np.zeros((na, plan.n_classes, s)) if na else None
        rolled = roll_back(plan, q, rt, start, own, astart, aown)
    else:
        # the full plan carries every payoff to the ends: each node's value includes its path
        start = base = end_value = None
        discounted = False
        if not shortcut:
            ends = np.flatnonzero(plan.kind == 2)
            if linear:
                # the constant b of every leaf value is the base the rollback measures from (it
                # changes no choice); under exponential utility, the discount factors of the path
                # sums of a_c x_c where they stay in range, else the path sums
                start = path_discounts(plan, pair_value, rt) if rt is not None else None
                discounted = start is not None
                if start is None:
                    start = _path_sums_in_place(plan, np.asarray(plan.pay_pairs @ pair_value))
                base = b
            else:
                start = np.zeros((plan.n_classes, s))
                x = leaf_consequences(model, theta)                      # [S, L, C], leaves in node order
                start[ends] = (value_scores(model, x) * w[:, None, :]).sum(axis=2).T
                end_value = start.copy()                                 # the ends' values, kept
            if rt is not None and not discounted:
                # one shift per sample: the rollback adds discount factors instead of taking a
                # min, an exp and a log per level (unless the ends spread too wide for it)
                d = discount(start[ends], rt)
                if d is not None:
                    start[ends], shift = d
                    base = shift if base is None else shift + base
                    discounted = True
        astart = _path_sums(plan, aown) if na else None
        rolled = roll_back(plan, q, rt, start, None, astart, None, base, discounted)

    expected = np.asarray(plan.group_to_oc @ ((plan.group_flow @ rolled.flow) * th[plan.group_param]))
    expected = expected.T.reshape(s, o, c)
    if linear:
        value = b[:, None] + np.einsum("sc,soc->so", a, expected)
    else:
        value = np.asarray(plan.end_agg @ (rolled.reach * end_value)).T
    if shortcut:
        ce = value.copy()
    elif plan.merged:
        ce = (own[plan.option_edges] + rolled.value[plan.options]).T + b[:, None]
    else:
        ce = rolled.values(plan.options).T                              # value units, larger better
    best = near_top(ce)
    utility = ce.copy() if rt is None else exponential_utility(ce, rt)
    choice = rolled.choice[plan.choice_row[plan.decision_class]].T.copy()
    tied = rolled.tied[plan.choice_row[plan.decision_class]].T.copy()
    choice[:, 0] = np.argmax(best, axis=1)
    tied[:, 0] = best.sum(axis=1) > 1
    if model.raw_value and model.directions[0] < 0:
        ce = -ce  # back to the criterion's unit: a cost
    k, nr = len(model.states), len(model.risks)
    states = np.asarray(plan.state_agg @ rolled.flow).T.reshape(s, o, k)
    risk = np.asarray(plan.risk_agg @ rolled.reach + plan.risk_edge_agg @ rolled.flow).T.reshape(s, o, nr)
    others = model.actors[1:]
    actor_value = {}
    if na:
        for i, p in enumerate(others):
            v = rolled.other[i][plan.options]
            actor_value[p] = (v + aown[i][plan.option_edges] if plan.merged else v).T.copy()
    out = Evaluation(model=model, expected=expected, value=value, utility=utility, certainty_equivalent=ce,
                     risk=risk, state_probability=states, best=best, choice=choice, tied=tied,
                     actor_value=actor_value)
    if not keep_nodes:
        return out
    # per node (the full plan: class k is node k): values, reach, and the probability that the
    # owner of a node's parent takes the branch into it (1 below chance nodes and at the root)
    play = np.ones((plan.n_classes, s))
    play[1:] = np.where(plan.under_chance[:, None], 1.0, rolled.taken)
    return dataclasses.replace(
        out, node_value=rolled.values().T.copy(), reach=rolled.reach.T.copy(), choice_probability=play.T.copy(),
        actor_node_value={p: rolled.other[i].T.copy() for i, p in enumerate(others)} if na else {})


def _path_sums_in_place(plan: Plan, paid: np.ndarray) -> np.ndarray:
    """paid[M, S] of a full plan (what is paid along the edge into each class, row 0 empty) ->
    what is paid along the path from the root into each class, in place."""
    for lv in plan.levels[1:]:
        paid[lv.dst[0]:lv.dst[1]] += paid[plan.src[lv.e0:lv.e1]]
    return paid


def _path_sums(plan: Plan, own: np.ndarray) -> np.ndarray:
    """[..., M, S] of a full plan: what is paid along the path from the root into each class,
    from own[..., E, S] (edge e enters class e + 1)."""
    out = np.zeros(own.shape[:-2] + (plan.n_classes, own.shape[-1]))
    out[..., 1:, :] = own
    for lv in plan.levels[1:]:
        out[..., lv.dst[0]:lv.dst[1], :] += out[..., plan.src[lv.e0:lv.e1], :]
    return out


def point(model: Model, keep_nodes: bool = True) -> Evaluation:
    """Evaluate at the point values of every number (one sample)."""
    return evaluate(model, model.params.point[None, :], keep_nodes=keep_nodes)
