"""Checks that a file's numbers make sense together, run by the loader once the rest is clean:
every outcome that can happen lies within each criterion's stated `range`, the weights are not
all zero, and no table is given where it is ignored.

Each of these leaves a file that computes an answer which is not the analyst's: a consequence
outside its range gets a value score below 0 or above 1, so one criterion outweighs what its
weight says; weights that are all zero cannot be normalised, and the comparison would fall back
to equal weights without a word; a strategic event is its actor's choice, so a probability table
written under it is never read.

The consequences are summed along every path of the tree at the point values, as compile does,
without compiling (the loader sits upstream of compile): the events form unfolds option by
option, one event at a time, each path carrying its probability; a path with a chance branch of
probability 0 on it cannot happen and is not checked (as a derived scale leaves it out).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .numbers import Number
from .scenario import Event, Scenario, TreeNode

# numpy is imported where the sums are taken: loading a file without a stated range (and the
# parser the command line builds) stays free of it

RANGE_TOLERANCE = 1e-9
"""How far outside its range (times max(1, the range's largest end)) a consequence may lie, for
sums that round."""


def check_consistency(sc: Scenario, r: Any) -> None:
    """Report through the loader's Reader `r`: consequences outside a stated range, weights that
    are all zero, a probability table under a strategic event."""
    _strategic_tables(sc, r)
    _zero_weights(sc, r)
    if not r.problems:  # sums over numbers that could not be read would only echo their problems
        _consequences_in_range(sc, r)


# ---------------------------------------------------------------------------- ignored tables
def _strategic_tables(sc: Scenario, r: Any) -> None:
    for i, e in enumerate(sc.events):
        if e.mode == "strategic" and e.probability and not r.doubt(("events", i, "mode")):
            r.error(("events", i, "probability"), f"event '{e.id}' is strategic (mode: strategic): its actor "
                    "chooses the state by its payoffs, so this probability table is never used; remove it, or "
                    "remove 'mode: strategic' to use the table", key=True)


# ---------------------------------------------------------------------------- weights
def _zero_weights(sc: Scenario, r: Any) -> None:
    given = [(i, c) for i, c in enumerate(sc.criteria) if c.weight is not None]
    if given and len(given) == len(sc.criteria) and len(given) > 0:
        paths = [("criteria", i, "weight") for i, _ in given]
        if not any(r.doubt(p) for p in paths) and all(_nothing(c.weight) for _, c in given):
            names = ", ".join(c.id for _, c in given)
            r.error(paths[0], f"every criterion's weight is 0 ({names}): the weights cannot be normalised and "
                    "the comparison would fall back to equal weights unannounced; give at least one criterion "
                    "a positive weight (or remove every weight for equal weights)")
    for pid, prof in sc.weight_profiles.items():
        p = ("weight_profiles", pid, "weights")
        if prof.weights and not r.doubt(p) and all(_nothing(n) for n in prof.weights.values()):
            r.error(p, f"every weight of profile '{pid}' is 0: the weights cannot be normalised; give at least one "
                    "criterion a positive weight")


def _nothing(n: Number) -> bool:
    """True when a weight is 0 at its point value (a range at zero, [0, 0], is too)."""
    return n.point == 0 or n.support()[1] <= 0


# ---------------------------------------------------------------------------- consequences
@dataclass
class _Leaves:
    """Paths of the tree at the point values: consequences x[L, C] and probability p[L]; terms(l)
    lists what is paid on path l as (criterion index, value, path into the file, where it is paid)
    and words(l) says the path in words."""

    x: Any   # numpy arrays
    p: Any
    terms: Any
    words: Any


def _consequences_in_range(sc: Scenario, r: Any) -> None:
    crit = [(i, c) for i, c in enumerate(sc.criteria) if c.range is not None and c.range[0] < c.range[1]]
    if not crit:
        return
    import numpy as np  # only now: reading a file with no stated range loads no numerical library
    index = {c.id: i for i, c in enumerate(sc.criteria)}
    if sc.tree is not None:
        leaves = _tree_leaves(sc, index)
    elif sc.options:
        leaves = _event_leaves(sc, index)
    else:
        return
    possible = leaves.p > 0
    for i, c in crit:
        lo, hi = c.range
        tol = RANGE_TOLERANCE * max(1.0, abs(lo), abs(hi))
        x = leaves.x[:, i]
        for side, bad in (("above", possible & (x > hi + tol)), ("below", possible & (x < lo - tol))):
            if not bad.any():
                continue
            worst = int(np.argmax(np.where(bad, x if side == "above" else -x, -np.inf)))
            others = int(bad.sum()) - 1
            terms = [(v, path, label) for k, v, path, label in leaves.terms(worst) if k == i and v != 0]
            # the number that pushes it out: one that lies outside the range by itself; else the range
            alone = [t for t in terms if (t[0] > hi + tol if side == "above" else t[0] < lo - tol)]
            where = alone[0][1] if alone else ("criteria", i, "range")
            name = f"{c.name} ({c.id})" if c.name else c.id
            sums = " + ".join(f"{_g(v)} from {label}" for v, _, label in terms) or "nothing"
            more = (f"; {others} other outcome{'s' if others != 1 else ''} that can happen "
                    f"{'lie' if others != 1 else 'lies'} {side} it too" if others else "")
            fix = ("Correct this number, or widen the range if it is right" if alone else
                   "Widen the range to what can happen (and say why in an assumption), or change the impacts "
                   "on this path")
            r.error(where, f"criterion {name} comes to {_g(float(x[worst]))} under {leaves.words(worst)} "
                    f"({sums}), {side} its range [{_g(lo)}, {_g(hi)}]{more}. {fix}: a consequence outside the "
                    "range scores outside 0-1 and counts for more than the criterion's weight says.")


def _g(x: float) -> str:
    return f"{x:.6g}"


def _event_order(events: tuple[Event, ...]) -> list[Event]:
    """Events in an order their depends_on allows, keeping file order where free (as compile does)."""
    done: set[str] = set()
    out: list[Event] = []
    pending = list(events)
    while pending:
        e = next((e for e in pending if all(d in done for d in e.after)), None)
        if e is None:  # a cycle: reported by the loader
            return out
        out.append(e)
        done.add(e.id)
        pending.remove(e)
    return out


def _row_probabilities(e: Event, seen: dict[str, str]) -> list[float]:
    """Point probability of each state of `e` on a path with the given values ('*' matches any;
    the most specific row wins; a state left out of the row has probability 0)."""
    if e.mode in ("strategic", "decision"):
        return [1.0] * len(e.states)  # a choice (an actor's, or the decision maker's): no state is ruled out
    best, score = None, -1
    for row in e.probability:
        if all(c == "*" or c == seen.get(d) for c, d in zip(row.conditions, e.depends_on)):
            s = sum(c != "*" for c in row.conditions)
            if s > score:
                best, score = row, s
    if best is None:
        return [1.0] * len(e.states)
    return [float(best.probabilities[s].point) if s in best.probabilities else 0.0 for s in e.states]


def _event_leaves(sc: Scenario, index: dict[str, int]) -> _Leaves:
    """Every path of the events form (option, then one state per event in unfolding order), as
    arrays built one event at a time: the tree may have up to the loader's 2,000,000 paths."""
    import numpy as np

    order = _event_order(sc.events)
    pos = {e.id: k for k, e in enumerate(order)}
    n_c = len(sc.criteria)
    states = [list(e.states) for e in order]
    ev_index = {e.id: j for j, e in enumerate(sc.events)}
    impact = [np.array([[float(e.states[s].impacts[c.id].point) if c.id in e.states[s].impacts else 0.0
                         for c in sc.criteria] for s in e.states]).reshape(-1, n_c) for e in order]
    own = np.array([[float(o.impacts[c.id].point) if c.id in o.impacts else 0.0 for c in sc.criteria]
                    for o in sc.options]).reshape(-1, n_c)
    opt = np.arange(len(sc.options))
    chosen = np.zeros((len(opt), 0), dtype=np.intp)     # [F, events so far]: state index per event, -1: did not happen
    x = own.copy()
    p = np.ones(len(opt))

    def state(j: int, m: int) -> str | None:
        return states[j][m] if m >= 0 else None

    for k, e in enumerate(order):
        n_k = len(states[k])
        # the paths it happens on (its `options` and `when`); the others pass it by
        happen = np.ones(len(opt), dtype=bool)
        if e.options is not None:
            happen &= np.isin(opt, [i for i, o in enumerate(sc.options) if o.id in e.options])
        for ev_id, sts in e.when.items():
            j = pos.get(ev_id, -1)
            happen &= np.isin(chosen[:, j], [m for m, s_ in enumerate(states[j]) if s_ in sts]) if j >= 0 else False
        cols = [pos[d] for d in e.depends_on if d != "option"]
        q = np.ones((len(opt), max(n_k, 1)))
        if happen.any():
            key = np.column_stack([opt[happen]] + [chosen[happen, j] for j in cols])
            uniq, inverse = np.unique(key, axis=0, return_inverse=True)
            table = np.array([_row_probabilities(e, {"option": sc.options[u[0]].id,
                                                     **{order[j].id: state(j, u[1 + m]) for m, j in enumerate(cols)}})
                              for u in uniq]).reshape(len(uniq), n_k)
            q[happen] = table[np.asarray(inverse).ravel()]        # [F happening, K]
        rep = np.where(happen, n_k, 1)
        idx = np.repeat(np.arange(len(opt)), rep)
        within = np.arange(len(idx)) - np.repeat(np.cumsum(rep) - rep, rep)
        col = np.where(happen[idx], within, -1)
        opt = opt[idx]
        chosen = np.column_stack([chosen[idx], col])
        x = x[idx] + np.where(happen[idx][:, None], impact[k][np.maximum(col, 0)], 0.0)
        p = p[idx] * np.where(happen[idx], q[idx, np.maximum(col, 0)], 1.0)

    def terms(leaf: int) -> list[tuple[int, float, tuple, str]]:
        oi = int(opt[leaf])
        o = sc.options[oi]
        out = [(index[c], float(n.point), ("options", oi, "impacts", c), f"option {o.id}")
               for c, n in o.impacts.items() if c in index]
        for k, e in enumerate(order):
            s = state(k, int(chosen[leaf, k]))
            if s is not None:
                out += [(index[c], float(n.point), ("events", ev_index[e.id], "states", s, "impacts", c),
                         f"{e.id} = {s}") for c, n in e.states[s].impacts.items() if c in index]
        return out

    def words(leaf: int) -> str:
        o = sc.options[int(opt[leaf])].id
        path = [f"{e.id} = {state(k, int(chosen[leaf, k]))}" for k, e in enumerate(order) if chosen[leaf, k] >= 0]
        return f"option {o}" + (f" with {', '.join(path)}" if path else "")

    return _Leaves(x, p, terms, words)


def _tree_leaves(sc: Scenario, index: dict[str, int]) -> _Leaves:
    """Every path of the explicit tree, payoffs summed from the root."""
    import numpy as np

    n_c = max(1, len(sc.criteria))
    single = sc.criteria[0].id if len(sc.criteria) == 1 else None
    xs: list[np.ndarray] = []
    ps: list[float] = []
    paid: list[list[tuple[int, float, tuple, str]]] = []
    labels_of: list[list[str]] = []

    def probs(node: TreeNode) -> list[float]:
        if node.kind != "chance":
            return [1.0] * len(node.children)
        given = [c.p.point if c.p is not None and c.p.kind != "otherwise" else None for c in node.children]
        rest = max(0.0, 1.0 - math.fsum(g for g in given if g is not None and not math.isnan(g)))
        return [rest if g is None else float(g) for g in given]

    def walk(node: TreeNode, p: float, labels: list[str], terms: list) -> None:
        where = "/".join(labels) or "the root"
        terms = terms + [(index[k or single], float(n.point), node.path + (("payoff", k) if k else ("payoff",)),
                          f"the payoff at {where}") for k, n in node.payoff.items() if (k or single) in index]
        if not node.children:
            x = np.zeros(n_c)
            for k, v, _, _ in terms:
                x[k] += v
            xs.append(x)
            ps.append(p)
            paid.append(terms)
            labels_of.append(labels)
            return
        for c, q in zip(node.children, probs(node)):
            walk(c, p * q, labels + [c.label], terms)

    walk(sc.tree, 1.0, [], [])
    return _Leaves(np.array(xs).reshape(-1, n_c), np.array(ps), lambda leaf: paid[leaf],
                   lambda leaf: "the path " + " -> ".join(labels_of[leaf]))
