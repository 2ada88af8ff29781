"""Plans: a compiled tree as the graph the rollback walks, built once per model.

A plan is a graph of classes joined by edges. Classes are numbered level by level (depth), so the
classes of a level and the edges out of them are contiguous blocks, and edges are sorted by
their source class. One builder gives two plans:

- the full plan: every node is its own class (class k is node k, edge k - 1 enters node k).
  Payoffs are summed along each path and read at the ends, so a class's rolled-back value is the
  node's value, prefix included: what `evaluate(..., keep_nodes=True)` reports per node.
- the merged plan: identical subtrees share one class (hash-consing), and payoffs ride on the
  edges. Because payoffs add along a path, a subtree's value does not depend on how it was
  reached (under exponential utility CE(prefix + X) = prefix + CE(X)), so each class is rolled
  back once. The Venezuela tree of 2,825 nodes becomes a few dozen classes per option. Used when
  every value function is linear and node values are not asked for.

A risk on one event is read off the edges into its states in a merged plan (so it does not split
the ends it would otherwise make different); every other risk sits at the end classes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ..compile import CHANCE, DECISION, TERMINAL, Model


@dataclass(frozen=True, eq=False)
class Level:
    """The edges out of one depth's classes, [e0, e1), and how they group by source class.

    inner: the classes with children, in edge order; seg: the start of each one's edges within
    the block; chance, actor, mine (over inner): who moves there (chance, another player, the
    decision maker); per edge: owner (its source's position in inner), local (its position among
    its source's edges), child_actor/child_mine (its source's mover), child_player (row of the
    source's owner among the other players), child_lambda ([edges, 1] logit precision).
    dst: (start, stop) when the edges enter one contiguous run of classes in order (the full
    plan), else None and `into` ([classes, edges]) adds the flows into each class.
    agg ([inner, edges]): sums the edges of each class, as a sparse product (a segment reduction
    along the edge axis, numpy's `reduceat` on [edges, S], is about ten times slower: it runs an
    inner loop per segment and sample). mine_edges, mine_seg,
    mine_owner, mine_local: the edges out of the decision maker's classes alone (and the same for
    the other players' classes, actor_*), so that a level with a few decisions among thousands
    of chance nodes compares only their children.
    """

    e0: int
    e1: int
    dst: tuple[int, int] | None
    inner: np.ndarray
    seg: np.ndarray
    chance: np.ndarray
    actor: np.ndarray
    mine: np.ndarray
    weighted: np.ndarray
    owner: np.ndarray
    local: np.ndarray
    child_actor: np.ndarray
    child_mine: np.ndarray
    child_player: np.ndarray
    child_lambda: np.ndarray
    logit: bool
    into: sparse.csr_matrix | None
    agg: sparse.csr_matrix
    any_weighted: bool
    all_weighted: bool
    mine_edges: np.ndarray
    mine_seg: np.ndarray
    mine_owner: np.ndarray
    mine_local: np.ndarray
    actor_edges: np.ndarray
    actor_seg: np.ndarray
    actor_owner: np.ndarray
    actor_local: np.ndarray


@dataclass(frozen=True, eq=False)
class Plan:
    """A tree (or its merged graph) as index arrays and aggregation matrices; see the module doc.

    merged: payoffs on edges (True) or summed at the ends (False: the full plan).
    node_class[N]: the class of each tree node. kind, owner, option [M]: per class.
    src, dst [E]: each edge's classes; entry[E]: its row in the branch-probability table q
    (a table entry, or the zero row E + 1 where none applies); decision_edges: the edges out of
    decisions (taken with probability 1 until the rollback makes the choice); under_chance[E].
    pay_edge, pay_criterion, pay_param [R]: one row per number paid along an edge.
    pair_criterion, pair_param [Q']: the distinct (criterion, parameter) pairs paid anywhere, and
    pay_pairs [1 + E, Q'] summing them per edge (edge e in row e + 1, row 0 empty: in the full
    plan the rows are the classes, edge e entering class e + 1): the value paid along an edge is
    a sparse sum of a_c x theta_p taken once per pair (a tree that reuses a number pays it
    many times). pay_columns: per level, the pairs paid along each of its edges [edges, k],
    padded with Q' (None when an edge pays one pair twice); most_pays: the most numbers paid
    along one path from the root.
    group_flow [Q, E], group_param [Q], group_to_oc [O*C, Q]: expected consequences, as flows of
    the edges that pay one parameter under one option, summed, times that parameter.
    state_agg [O*K, E], risk_agg [O*R, M] (at classes), risk_edge_agg [O*R, E] (on edges),
    end_agg [O, M] (the end classes of each option).
    ap_param1, ap_param2, ap_matrix [(A-1)*E, rows]: the other players' payoffs along each edge,
    a sum of parameter products (times 1 where ap_param2 is -1).
    levels: one `Level` per depth, root first. decision_class[D]: the class of each tree decision
    node; choice_row[M]: the row of each decision class in the rollback's choices (-1 at other
    classes), n_choice_rows; options[O]: the option classes; option_edges[O]: the edges from the
    root to them.
    only_root_decides: no later decision anywhere.
    """

    merged: bool
    n_classes: int
    node_class: np.ndarray
    kind: np.ndarray
    owner: np.ndarray
    option: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    entry: np.ndarray
    decision_edges: np.ndarray
    under_chance: np.ndarray
    pay_edge: np.ndarray
    pay_criterion: np.ndarray
    pay_param: np.ndarray
    pair_criterion: np.ndarray
    pair_param: np.ndarray
    pay_pairs: sparse.csr_matrix
    pay_columns: tuple[np.ndarray, ...] | None
    most_pays: int
    group_flow: sparse.csr_matrix
    group_param: np.ndarray
    group_to_oc: sparse.csr_matrix
    state_agg: sparse.csr_matrix
    risk_agg: sparse.csr_matrix
    risk_edge_agg: sparse.csr_matrix
    end_agg: sparse.csr_matrix
    n_other: int
    ap_param1: np.ndarray
    ap_param2: np.ndarray
    ap_matrix: sparse.csr_matrix
    levels: tuple[Level, ...]
    decision_class: np.ndarray
    choice_row: np.ndarray
    n_choice_rows: int
    options: np.ndarray
    option_edges: np.ndarray
    only_root_decides: bool

    @property
    def n_edges(self) -> int:
        return len(self.src)


def _owner_and_lambda(model: Model) -> tuple[np.ndarray, np.ndarray]:
    t = model.tree
    owner = model.node_owner if len(model.node_owner) else np.where(t.kind == DECISION, 0, -1)
    lam = model.node_rationality if len(model.node_rationality) else np.full(t.n, np.inf)
    return owner, lam


def _single_event_risks(model: Model) -> dict[int, tuple[str, frozenset, frozenset | None]]:
    """Risks on one event of an events-form file: read off the edges into its states."""
    sc = model.scenario
    out: dict[int, tuple[str, frozenset, frozenset | None]] = {}
    if model.risks and sc.tree is None:
        for r, rk in enumerate(sc.risks):
            if len(rk.when) == 1:
                (ev_id, sts), = rk.when.items()
                out[r] = (ev_id, frozenset(sts), None if rk.options is None else frozenset(rk.options))
    return out


@functools.lru_cache(maxsize=32)
def full_plan(model: Model) -> Plan:
    """The tree as it is: every node its own class, payoffs read at the ends."""
    t = model.tree
    n = t.n
    edge_node = np.arange(1, n)
    end_risks = np.ones(len(model.risks), dtype=bool)
    levels = []
    for d, (start, stop) in enumerate(t.levels):
        nodes = np.arange(start, stop)
        inner = nodes[t.kind[start:stop] != TERMINAL]
        if not len(inner):
            levels.append(None)
            continue
        c0 = int(t.first_child[inner[0]])
        c1 = int(t.first_child[inner[-1]] + t.n_children[inner[-1]])
        levels.append((c0 - 1, c1 - 1, (c0, c1), inner, t.first_child[inner] - c0, t.n_children[inner]))
    return _assemble(model, merged=False, node_class=np.arange(n), reps=np.arange(n), depth=t.depth,
                     edge_src=t.parent[1:], edge_dst=edge_node, edge_node=edge_node, level_spans=levels,
                     end_risks=end_risks, edge_risks={})


@functools.lru_cache(maxsize=32)
def merged_plan(model: Model) -> Plan | None:
    """The merged graph (identical subtrees share a class), or None when merging saves little
    (more than 60% of the classes or of the edges remain)."""
    t = model.tree
    n = t.n
    owner, lam = _owner_and_lambda(model)
    pay: dict[int, list[tuple[int, int]]] = {}
    for node, crit, param in zip(model.pay_node, model.pay_criterion, model.pay_param):
        pay.setdefault(int(node), []).append((int(crit), int(param)))
    apay: dict[int, list[tuple[int, int]]] = {}
    for node, player, param in zip(model.apay_node, model.apay_player, model.apay_param):
        apay.setdefault(int(node), []).append((int(player), int(param)))
    edge_risks = _single_event_risks(model)
    end_risks = np.array([r not in edge_risks for r in range(len(model.risks))], dtype=bool)
    risk = model.risk_leaf.tocsr()
    leaf_risk = risk[:, np.flatnonzero(end_risks)] if len(model.risks) else risk
    # bottom-up hash-consing: a node's class is fixed by its kind, owner, rationality, option,
    # depth, its risks (at an end) and, for each child, the edge into it and the child's class
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
    # the rollback's work is per edge: when identical subtrees are few, the merged graph keeps
    # nearly every edge (only the ends merge, which a tree that does not merge shares with any
    # other) and its gathers cost more than the full tree's contiguous blocks
    if m > 0.6 * n or int(t.n_children[np.array(reps, dtype=np.intp)].sum()) > 0.6 * (n - 1):
        return None  # hardly any repetition: the full tree is as fast
    # renumber classes by depth (root first) so that each level is contiguous
    rep = np.array(reps, dtype=np.intp)
    order = np.lexsort((rep, t.depth[rep]))
    new = np.empty(m, dtype=np.intp)
    new[order] = np.arange(m)
    rep = rep[order]
    node_class = new[cls]
    n_kids = t.n_children[rep]
    edge_src = np.repeat(np.arange(m), n_kids)
    edge_node = (np.concatenate([np.arange(t.first_child[v], t.first_child[v] + t.n_children[v]) for v in rep])
                 if n_kids.sum() else np.zeros(0, np.intp))
    depth = t.depth[rep]
    spans = []
    for d in range(int(depth.max()) + 1):
        cs = np.flatnonzero(depth == d)
        out = np.flatnonzero(np.isin(edge_src, cs))
        if not len(out):
            spans.append(None)
            continue
        e0, e1 = int(out[0]), int(out[-1]) + 1
        srcs = edge_src[e0:e1]
        seg = np.flatnonzero(np.r_[True, srcs[1:] != srcs[:-1]])
        spans.append((e0, e1, None, srcs[seg], seg, np.diff(np.r_[seg, e1 - e0])))
    return _assemble(model, merged=True, node_class=node_class, reps=rep, depth=depth, edge_src=edge_src,
                     edge_dst=node_class[edge_node], edge_node=edge_node, level_spans=spans,
                     end_risks=end_risks, edge_risks=edge_risks)


def _assemble(model: Model, *, merged: bool, node_class: np.ndarray, reps: np.ndarray, depth: np.ndarray,
              edge_src: np.ndarray, edge_dst: np.ndarray, edge_node: np.ndarray, level_spans: list,
              end_risks: np.ndarray, edge_risks: dict) -> Plan:
    """A Plan from its classes (each stood for by a tree node `reps`) and edges (each stood for
    by the tree node it enters, `edge_node`), in the order described in the module doc."""
    t = model.tree
    m, e = len(reps), len(edge_src)
    o, c, k, nr = len(model.options), len(model.criteria), len(model.states), len(model.risks)
    owner_n, lam_n = _owner_and_lambda(model)
    kind, owner, lam, option = t.kind[reps], owner_n[reps], lam_n[reps], t.option[reps]
    under_decision = t.kind[t.parent[edge_node]] == DECISION
    entry = np.where(t.entry[edge_node] >= 0, t.entry[edge_node], len(model.entry_param))
    edge_option = t.option[edge_node]
    # payoffs paid along each edge: one row per (edge, criterion, parameter)
    edge_of_node = np.full(t.n, -1, dtype=np.intp)
    edge_of_node[edge_node] = np.arange(e)
    on_edge = edge_of_node[model.pay_node] >= 0
    pay_edge = edge_of_node[model.pay_node][on_edge]
    pay_criterion, pay_param = model.pay_criterion[on_edge], model.pay_param[on_edge]
    order = np.argsort(pay_edge, kind="stable")
    pay_edge, pay_criterion, pay_param = pay_edge[order], pay_criterion[order], pay_param[order]
    r = len(pay_edge)
    pair_key, pair_of_row = np.unique(pay_criterion * max(model.n_params, 1) + pay_param, return_inverse=True)
    pay_pairs = sparse.csr_matrix((np.ones(r), (pay_edge + 1, pair_of_row.ravel())), shape=(e + 1, len(pair_key)))
    pay_pairs.sum_duplicates()
    # the pairs each edge pays, level by level, padded with the index one past the last pair
    # (a factor of 1), to multiply per-pair factors along the paths; and the most pairs paid
    # along any path from the root (a bound on how far a path sum can go)
    counts = np.diff(pay_pairs.indptr)
    n_pairs = len(pair_key)
    pay_columns = []
    for span in level_spans:
        if span is None:
            continue
        rows = np.arange(span[0], span[1]) + 1                     # rows of the level's edges
        widest = int(counts[rows].max(initial=0))
        cols = np.full((len(rows), max(widest, 1)), n_pairs, dtype=np.intp)
        for j in range(widest):
            has = counts[rows] > j
            cols[has, j] = pay_pairs.indices[pay_pairs.indptr[rows[has]] + j]
        pay_columns.append(cols)
    node_pays = np.bincount(model.pay_node, minlength=t.n)
    for start, stop in t.levels[1:]:
        node_pays[start:stop] += node_pays[t.parent[start:stop]]
    # expected consequences: the flows of the edges that pay one parameter under one option
    key = edge_option[pay_edge] * (model.n_params * c) + pay_param * c + pay_criterion
    groups, inverse = np.unique(key, return_inverse=True)
    q = len(groups)
    group_flow = sparse.csr_matrix((np.ones(r), (inverse, pay_edge)), shape=(q, e))
    group_param = (groups // c) % model.n_params if q else np.zeros(0, np.intp)
    group_oc = (groups // (model.n_params * c)) * c + groups % c
    group_to_oc = sparse.csr_matrix((np.ones(q), (group_oc, np.arange(q))), shape=(o * c, q))
    state = t.state[edge_node]
    ws = np.flatnonzero(state >= 0)
    state_agg = sparse.csr_matrix((np.ones(len(ws)), (edge_option[ws] * k + state[ws], ws)), shape=(o * k, e))
    rl = model.risk_leaf.tocsr()[reps].tocoo() if nr else sparse.coo_matrix((m, 0))
    at_ends = end_risks[rl.col] if nr else np.zeros(0, dtype=bool)
    risk_agg = sparse.csr_matrix((rl.data[at_ends], (option[rl.row[at_ends]] * nr + rl.col[at_ends],
                                                     rl.row[at_ends])), shape=(o * nr, m))
    rows_r, cols_r = [], []
    for r_, (ev_id, sts, opts) in edge_risks.items():
        for j in ws:
            ev, st = model.states[state[j]]
            if ev == ev_id and st in sts and (opts is None or model.options[edge_option[j]] in opts):
                rows_r.append(edge_option[j] * nr + r_)
                cols_r.append(j)
    risk_edge_agg = sparse.csr_matrix((np.ones(len(rows_r)), (rows_r, cols_r)), shape=(o * nr, e))
    ends = np.flatnonzero(kind == TERMINAL)
    end_agg = sparse.csr_matrix((np.ones(len(ends)), (option[ends], ends)), shape=(o, m))
    # the other players' payoffs along each edge: their own numbers, and criteria weights x payoffs
    n_other = max(len(model.actors) - 1, 0)
    a_rows: list[np.ndarray] = []
    p1: list[np.ndarray] = []
    p2: list[np.ndarray] = []
    if n_other:
        ae = edge_of_node[model.apay_node]
        ok = ae >= 0
        a_rows.append((model.apay_player[ok] - 1) * e + ae[ok])
        p1.append(model.apay_param[ok])
        p2.append(np.full(int(ok.sum()), -1, dtype=np.intp))
        for player, crit, wparam in zip(model.acw_player, model.acw_criterion, model.acw_param):
            hit = np.flatnonzero(pay_criterion == crit)
            a_rows.append((int(player) - 1) * e + pay_edge[hit])
            p1.append(pay_param[hit])
            p2.append(np.full(len(hit), int(wparam), dtype=np.intp))
    ap_rows = np.concatenate(a_rows) if a_rows else np.zeros(0, np.intp)
    ap_param1 = np.concatenate(p1).astype(np.intp) if p1 else np.zeros(0, np.intp)
    ap_param2 = np.concatenate(p2).astype(np.intp) if p2 else np.zeros(0, np.intp)
    ap_matrix = sparse.csr_matrix((np.ones(len(ap_rows)), (ap_rows, np.arange(len(ap_rows)))),
                                  shape=(n_other * e, len(ap_rows)))
    levels = []
    for span in level_spans:
        if span is None:
            levels.append(None)
            continue
        e0, e1, dst, inner, seg, n_kids = span
        chance = kind[inner] == CHANCE
        actor = ~chance & (owner[inner] > 0)                       # decided by another player
        mine = ~chance & ~actor                                    # decided by the decision maker
        own = np.repeat(np.arange(len(inner)), n_kids)
        into = None if dst is not None else sparse.csr_matrix(
            (np.ones(e1 - e0), (edge_dst[e0:e1], np.arange(e1 - e0))), shape=(m, e1 - e0))
        local = np.arange(e1 - e0) - seg[own]
        weighted = chance | actor
        agg = sparse.csr_matrix((np.ones(e1 - e0), (own, np.arange(e1 - e0))), shape=(len(inner), e1 - e0))

        def subset(which: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
            """The edges out of the classes `which` (a mask over inner): positions in the level,
            segment starts, owner and local position within that subset."""
            edges = np.flatnonzero(which[own])
            sub_owner = np.cumsum(which)[own[edges]] - 1
            sub_seg = np.flatnonzero(np.r_[True, sub_owner[1:] != sub_owner[:-1]]) if len(edges) else edges
            return edges, sub_seg, sub_owner, local[edges]

        me, ms, mo, ml = subset(mine)
        ae, as_, ao, al = subset(actor)
        levels.append(Level(
            e0=e0, e1=e1, dst=dst, inner=inner, seg=seg, chance=chance, actor=actor, mine=mine,
            weighted=weighted, owner=own, local=local,
            child_actor=actor[own], child_mine=mine[own],
            child_player=np.maximum(owner[inner][own] - 1, 0), child_lambda=lam[inner][own][:, None],
            logit=bool(np.isfinite(lam[inner][actor]).any()), into=into, agg=agg, any_weighted=bool(weighted.any()), all_weighted=bool(weighted.all()),
            mine_edges=me, mine_seg=ms, mine_owner=mo, mine_local=ml,
            actor_edges=ae, actor_seg=as_, actor_owner=ao, actor_local=al))
    options = edge_dst[edge_src == 0]
    deciding = kind == DECISION
    choice_row = np.where(deciding, np.cumsum(deciding) - 1, -1)
    return Plan(
        merged=merged, n_classes=m, node_class=node_class, kind=kind, owner=owner, option=option,
        src=edge_src, dst=edge_dst, entry=entry, decision_edges=np.flatnonzero(under_decision),
        under_chance=t.kind[t.parent[edge_node]] == CHANCE,
        pay_edge=pay_edge, pay_criterion=pay_criterion, pay_param=pay_param,
        pair_criterion=pair_key // max(model.n_params, 1), pair_param=pair_key % max(model.n_params, 1), pay_pairs=pay_pairs,
        pay_columns=tuple(pay_columns) if (pay_pairs.data == 1).all() else None, most_pays=int(node_pays.max(initial=0)),
        group_flow=group_flow, group_param=group_param, group_to_oc=group_to_oc, state_agg=state_agg,
        risk_agg=risk_agg, risk_edge_agg=risk_edge_agg, end_agg=end_agg, n_other=n_other,
        ap_param1=ap_param1, ap_param2=ap_param2, ap_matrix=ap_matrix,
        levels=tuple(lv for lv in levels if lv is not None), decision_class=node_class[t.decisions],
        choice_row=choice_row, n_choice_rows=int(deciding.sum()),
        options=options, option_edges=np.flatnonzero(edge_src == 0),
        only_root_decides=len(t.decisions) == 1)
