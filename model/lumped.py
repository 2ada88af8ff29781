"""Evaluate a model on its merged tree: identical subtrees rolled back once.

An events-form tree repeats itself: below two nodes that differ only in the state of an event
nothing later depends on, the subtrees are the same (same probabilities, same payoffs paid on the
way down, same risks at the ends). Because payoffs add up along a path, the value of a subtree
does not depend on how it was reached (for exponential utility, CE(prefix + X) = prefix + CE(X)),
so each class of identical subtrees is rolled back once, on a graph whose edges carry the
payoffs. The Venezuela tree of 2,825 nodes becomes a graph of a few dozen classes per option.

The outputs are those of `model.evaluate.evaluate` without node values (keep_nodes=False); the
full tree stays the reference (tests compare the two on random parameter draws). Used only when
every value function is linear (a leaf's value is then a sum over its path).
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

import numpy as np
from scipy import sparse

from .compile import CHANCE, DECISION, TERMINAL, Model


@functools.lru_cache(maxsize=32)
def lumped_plan(model: Model) -> SimpleNamespace | None:
    """The merged graph of a model as arrays, or None when merging saves little.

    Classes are numbered level by level (depth) so a level's out-edges are one contiguous block,
    and edges are sorted by their source class.
    """
    t = model.tree
    n = t.n
    owner = model.node_owner if len(model.node_owner) else np.where(t.kind == DECISION, 0, -1)
    lam = model.node_rationality if len(model.node_rationality) else np.full(n, np.inf)
    pay: dict[int, list[tuple[int, int]]] = {}
    for node, crit, param in zip(model.pay_node, model.pay_criterion, model.pay_param):
        pay.setdefault(int(node), []).append((int(crit), int(param)))
    apay: dict[int, list[tuple[int, int]]] = {}
    for node, player, param in zip(model.apay_node, model.apay_player, model.apay_param):
        apay.setdefault(int(node), []).append((int(player), int(param)))
    risk = model.risk_leaf.tocsr()
    # a risk on one event is read off the edges that enter its states, so it need not split the
    # ends; only risks on several events are carried to the ends (they make the ends differ)
    sc = model.scenario
    edge_risks: dict[int, tuple[str, frozenset, frozenset | None]] = {}
    if model.risks and sc.tree is None:
        for r_, rk in enumerate(sc.risks):
            if len(rk.when) == 1:
                (ev_id, sts), = rk.when.items()
                edge_risks[r_] = (ev_id, frozenset(sts), None if rk.options is None else frozenset(rk.options))
    keep = np.array([r_ not in edge_risks for r_ in range(len(model.risks))], dtype=bool)
    leaf_risk = risk[:, np.flatnonzero(keep)] if len(model.risks) else risk
    # bottom-up hash-consing: a node's class is fixed by its kind, owner, rationality, option, depth,
    # its risks (at an end) and, for each child, the edge into it and the child's class
    cls = np.full(n, -1, dtype=np.intp)
    sig_to_cls: dict[tuple, int] = {}
    reps: list[int] = []
    for d in range(len(t.levels) - 1, -1, -1):
        start, stop = t.levels[d]
        for v in range(start, stop):
            kids = range(t.first_child[v], t.first_child[v] + t.n_children[v]) if t.n_children[v] else ()
            edges = tuple((int(t.entry[k]), int(t.state[k]), tuple(sorted(pay.get(k, ()))),
                           tuple(sorted(apay.get(k, ()))), int(cls[k])) for k in kids)
            risks = (tuple(leaf_risk.indices[leaf_risk.indptr[v]:leaf_risk.indptr[v + 1]])
                     if t.kind[v] == TERMINAL else ())
            sig = (int(t.kind[v]), int(owner[v]), float(lam[v]), int(t.option[v]), d, risks, edges)
            c = sig_to_cls.get(sig)
            if c is None:
                c = sig_to_cls[sig] = len(reps)
                reps.append(v)
            cls[v] = c
    m = len(reps)
    if m > 0.6 * n:
        return None  # hardly any repetition: the full tree is as fast
    # renumber classes by depth (root first) so that each level is contiguous
    rep = np.array(reps, dtype=np.intp)
    order = np.lexsort((rep, t.depth[rep]))
    new = np.empty(m, dtype=np.intp)
    new[order] = np.arange(m)
    rep = rep[order]
    node_class = new[cls]
    pl = SimpleNamespace(n_classes=m, node_class=node_class, rep=rep)
    pl.kind = t.kind[rep]
    pl.owner = owner[rep]
    pl.lam = lam[rep]
    pl.option = t.option[rep]
    depth = t.depth[rep]
    # edges: the children of each class's representative node
    src, dst, child = [], [], []
    for c_, v in enumerate(rep):
        for k in range(t.first_child[v], t.first_child[v] + t.n_children[v]):
            src.append(c_)
            dst.append(node_class[k])
            child.append(k)
    pl.src = np.array(src, dtype=np.intp)
    pl.dst = np.array(dst, dtype=np.intp)
    pl.child = np.array(child, dtype=np.intp)      # a tree node standing for the edge
    e = len(src)
    under_decision = t.kind[t.parent[pl.child]] == DECISION
    pl.entry = np.where(under_decision, len(model.entry_param) + 1,
                        np.where(t.entry[pl.child] >= 0, t.entry[pl.child], len(model.entry_param)))
    pl.state = t.state[pl.child]
    pl.edge_option = t.option[pl.child]
    # payoffs paid along each edge: one row per (edge, criterion, parameter)
    pe, pc, pp = [], [], []
    for j, k in enumerate(pl.child):
        for crit, param in pay.get(int(k), ()):
            pe.append(j)
            pc.append(crit)
            pp.append(param)
    pl.pay_edge = np.array(pe, dtype=np.intp)
    pl.pay_criterion = np.array(pc, dtype=np.intp)
    pl.pay_param = np.array(pp, dtype=np.intp)
    pl.pay_to_edge = sparse.csr_matrix((np.ones(len(pe)), (pl.pay_edge, np.arange(len(pe)))), shape=(e, len(pe)))
    o, c, k = len(model.options), len(model.criteria), len(model.states)
    pl.pay_to_oc = sparse.csr_matrix((np.ones(len(pe)), (pl.edge_option[pl.pay_edge] * c + pl.pay_criterion,
                                                         np.arange(len(pe)))), shape=(o * c, len(pe)))
    ws = np.flatnonzero(pl.state >= 0)
    pl.state_agg = sparse.csr_matrix((np.ones(len(ws)), (pl.edge_option[ws] * k + pl.state[ws], ws)),
                                     shape=(o * k, e))
    nr = len(model.risks)
    rl = risk[rep].tocoo() if nr else sparse.coo_matrix((m, 0))
    at_ends = keep[rl.col] if nr else np.zeros(0, dtype=bool)
    pl.risk_agg = sparse.csr_matrix((rl.data[at_ends], (pl.option[rl.row[at_ends]] * nr + rl.col[at_ends],
                                                        rl.row[at_ends])), shape=(o * nr, m))
    rows_r, cols_r = [], []
    for r_, (ev_id, sts, opts) in edge_risks.items():
        for j in range(e):
            st = pl.state[j]
            if st >= 0 and model.states[st][0] == ev_id and model.states[st][1] in sts and (
                    opts is None or model.options[pl.edge_option[j]] in opts):
                rows_r.append(pl.edge_option[j] * nr + r_)
                cols_r.append(j)
    pl.risk_edge_agg = sparse.csr_matrix((np.ones(len(rows_r)), (rows_r, cols_r)), shape=(o * nr, e))
    # the other players' payoffs along each edge: their own numbers, and criteria weights x payoffs
    pl.n_other = max(len(model.actors) - 1, 0)
    rows, p1, p2 = [], [], []
    if pl.n_other:
        for j, kk in enumerate(pl.child):
            for player, param in apay.get(int(kk), ()):
                rows.append((player - 1) * e + j)
                p1.append(param)
                p2.append(-1)
        for player, crit, wparam in zip(model.acw_player, model.acw_criterion, model.acw_param):
            for r_, (edge, cc, param) in enumerate(zip(pl.pay_edge, pl.pay_criterion, pl.pay_param)):
                if cc == crit:
                    rows.append((int(player) - 1) * e + int(edge))
                    p1.append(int(param))
                    p2.append(int(wparam))
    pl.ap_param1 = np.array(p1, dtype=np.intp)
    pl.ap_param2 = np.array(p2, dtype=np.intp)
    pl.ap_matrix = sparse.csr_matrix((np.ones(len(rows)), (np.array(rows, dtype=np.intp), np.arange(len(rows)))),
                                     shape=(pl.n_other * e, len(rows)))
    # levels: the classes at each depth, the edges out of them, and segments per source class
    pl.levels = []
    for d in range(int(depth.max()) + 1):
        cs = np.flatnonzero(depth == d)
        out = np.flatnonzero(np.isin(pl.src, cs))
        if not len(out):
            pl.levels.append(SimpleNamespace(classes=cs, e0=0, e1=0))
            continue
        e0, e1 = int(out[0]), int(out[-1]) + 1
        srcs = pl.src[e0:e1]
        seg = np.flatnonzero(np.r_[True, srcs[1:] != srcs[:-1]])
        inner = srcs[seg]
        kind = pl.kind[inner]
        chance = kind == CHANCE
        actor = ~chance & (pl.owner[inner] > 0)
        mine = ~chance & ~actor
        own = np.repeat(np.arange(len(inner)), np.diff(np.r_[seg, e1 - e0]))
        pl.levels.append(SimpleNamespace(
            classes=cs, e0=e0, e1=e1, seg=seg, inner=inner, chance=chance, actor=actor, mine=mine,
            owner=own, local=np.arange(e1 - e0) - seg[own], child_actor=actor[own], child_mine=mine[own],
            child_player=np.maximum(pl.owner[inner][own] - 1, 0), child_lambda=pl.lam[inner][own][:, None],
            logit=bool(np.isfinite(pl.lam[inner][actor]).any()),
            into=sparse.csr_matrix((np.ones(e1 - e0), (pl.dst[e0:e1], np.arange(e1 - e0))), shape=(m, e1 - e0))))
    # which class decides each tree decision node, for `choice` and `tied`
    pl.decision_class = node_class[t.decisions]
    pl.options = pl.dst[pl.src == 0]                 # option classes, in option order
    pl.option_edges = np.flatnonzero(pl.src == 0)
    return pl


def evaluate_block(model: Model, theta: np.ndarray, q: np.ndarray, a: np.ndarray, b: np.ndarray,
                   rt: float | None) -> dict:
    """The outputs of one block of samples on the merged graph (see the module docstring).

    q: branch probabilities [E + 2, S] as the full evaluator builds them (zero row, then ones);
    a, b: the linear value coefficients [S, C] and [S]. Returns the Evaluation fields.
    """
    from .evaluate import _actor_choice, _best_child, _segment_expectation

    pl = lumped_plan(model)
    s = theta.shape[0]
    th = np.ascontiguousarray(theta.T)
    e = len(pl.src)
    m = pl.n_classes
    # the decision maker's value paid along each edge, and the other players' payoffs
    own = np.asarray(pl.pay_to_edge @ (a.T[pl.pay_criterion] * th[pl.pay_param])) if len(pl.pay_param) \
        else np.zeros((e, s))
    na = pl.n_other
    if na:
        contrib = th[pl.ap_param1] * np.where(pl.ap_param2[:, None] >= 0, th[np.maximum(pl.ap_param2, 0)], 1.0)
        aown = np.asarray(pl.ap_matrix @ contrib).reshape(na, e, s) if len(pl.ap_param1) else np.zeros((na, e, s))
        av = np.zeros((na, m, s))
    prob_all = q[pl.entry]                                            # [E, S]: 1 below decisions
    val = np.zeros((m, s))
    cls_choice = np.zeros((m, s), dtype=np.intp)
    cls_tied = np.zeros((m, s), dtype=bool)
    flowp = prob_all.copy()                                           # P(edge taken | its source)
    for lv in reversed(pl.levels):
        if lv.e1 == lv.e0:
            continue
        e0, e1 = lv.e0, lv.e1
        child = own[e0:e1] + val[pl.dst[e0:e1]]                       # future value through each edge
        prob = prob_all[e0:e1]
        if na:
            avc = aown[:, e0:e1] + av[:, pl.dst[e0:e1]]
        if lv.actor.any():
            theirs = avc[lv.child_player, np.arange(e1 - e0)]
            first, count, pi = _actor_choice(theirs, child, lv.seg, lv.owner, lv.local, lv.child_lambda, lv.logit)
            cls_choice[lv.inner[lv.actor]] = first[lv.actor]
            cls_tied[lv.inner[lv.actor]] = count[lv.actor] > 1
            prob = np.where(lv.child_actor[:, None], pi, prob)
        weighted = lv.chance | lv.actor
        if weighted.any():
            val[lv.inner[weighted]] = _segment_expectation(prob, child, lv.seg, lv.owner, rt)[weighted]
        if lv.mine.any():
            top, first, count = _best_child(child, lv.seg, lv.owner, lv.local)
            val[lv.inner[lv.mine]] = top[lv.mine]
            cls_choice[lv.inner[lv.mine]] = first[lv.mine]
            cls_tied[lv.inner[lv.mine]] = count[lv.mine] > 1
            prob = np.where(lv.child_mine[:, None], lv.local[:, None] == first[lv.owner], prob)
        flowp[e0:e1] = prob
        if na:
            av[:, lv.inner] = np.add.reduceat(prob[None] * avc, lv.seg, axis=1)

    # flows: the probability of taking each edge given the option, level by level from the options
    reach = np.zeros((m, s))
    reach[pl.options] = 1.0
    flow = np.zeros((e, s))
    for lv in pl.levels[1:]:
        if lv.e1 == lv.e0:
            continue
        f = reach[pl.src[lv.e0:lv.e1]] * flowp[lv.e0:lv.e1]
        flow[lv.e0:lv.e1] = f
        reach += np.asarray(lv.into @ f)
    flow[pl.option_edges] = 1.0
    o, c = len(model.options), len(model.criteria)
    expected = np.asarray(pl.pay_to_oc @ (flow[pl.pay_edge] * th[pl.pay_param])).T.reshape(s, o, c) \
        if len(pl.pay_param) else np.zeros((s, o, c))
    k, nr = len(model.states), len(model.risks)
    states = np.asarray(pl.state_agg @ flow).T.reshape(s, o, k)
    risk = np.asarray(pl.risk_agg @ reach + pl.risk_edge_agg @ flow).T.reshape(s, o, nr)
    value = b[:, None] + np.einsum("sc,soc->so", a, expected)
    ce = (own[pl.option_edges] + val[pl.options]).T + b[:, None]        # [S, O], value units
    choice = cls_choice[pl.decision_class].T.copy()
    tied = cls_tied[pl.decision_class].T.copy()
    actor_value = {}
    if na:
        for i, p in enumerate(model.actors[1:]):
            actor_value[p] = (aown[i][pl.option_edges] + av[i][pl.options]).T.copy()
    return dict(expected=expected, value=value, ce=ce, risk=risk, state_probability=states,
                choice=choice, tied=tied, actor_value=actor_value)
