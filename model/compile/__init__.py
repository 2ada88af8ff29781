"""Compile a `Scenario` into a `Model`: the decision tree as flat arrays and the parameter vector.

Both ways in give one tree. The events form is unfolded per option (each event a level of
chance nodes, its probabilities taken from the matching row of its table); the explicit tree form
is read as written. Nodes are numbered breadth first, so each depth is a contiguous block and the
children of a node are contiguous: rollback is a segment reduction per level.

Every number of the file is a parameter (named as in `model.io.paths`); numbers that are one
YAML node reached through an alias are one parameter. `otherwise` entries are not parameters:
they are the rest of their probability table, computed per sample.

Strategic actors. A strategic event (`mode: strategic`) unfolds as DECISION nodes owned by the
event's actor, and a decision node of the explicit tree with `actor:` is owned by that actor; the
root is always the decision maker's, and so is a later decision of the events form (`mode:
decision`: DECISION nodes with no actor), which the rollback maximises over as it does the root.
An event with `options` or `when` unfolds only on the paths that meet them; elsewhere the path
goes on to the next event, so ends may lie at different depths. The players (`Model.actors`) are the decision maker first,
then every other actor that owns a decision or states payoffs. A player's payoff at a leaf is the
sum along its path of its `payoffs` for the event states met, its `criteria_weights` times the
consequences paid, and (explicit tree) its `actor_payoffs`; the decision maker's own value is the
leaf value of the criteria, as without players.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from ..io import Number, NumberRef, Problem, Scenario, ScenarioError, iter_numbers
from ..io.load import show_path

from .arrays import branch_probabilities, leaf_consequences
from .kinds import CHANCE, DECISION, KIND_NAMES, TERMINAL  # noqa: F401  (KIND_NAMES: re-exported)


@dataclass(frozen=True, eq=False)
class Parameters:
    """The numbers of a scenario as a vector: names, roles, point values and distributions.

    point, low, high: arrays [P]. low/high bound a one-way sensitivity: the ends of a range or a
    word's band, the 5th and 95th percentiles of a distribution, the value itself when fixed.
    """

    names: tuple[str, ...]
    roles: tuple[str, ...]
    numbers: tuple[Number, ...]
    point: np.ndarray
    low: np.ndarray
    high: np.ndarray
    refs: tuple[NumberRef, ...]
    aliases: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.names)

    def index(self, name: str) -> int:
        """Position of a parameter by its name (or by the name of an alias of it)."""
        if name in self.aliases:
            return self.aliases[name]
        raise KeyError(f"no parameter named {name!r}")

    @property
    def uncertain(self) -> np.ndarray:
        """Indices of the parameters that are not fixed numbers."""
        return np.array([i for i, n in enumerate(self.numbers) if n.is_uncertain], dtype=np.intp)


@dataclass(frozen=True, eq=False)
class Tree:
    """A decision tree as flat arrays over N nodes numbered breadth first (node 0 is the root).

    kind[N]: DECISION, CHANCE or TERMINAL; parent[N] (-1 at the root); first_child[N], n_children[N]
    (children are contiguous); depth[N]; levels: (start, stop) node range of each depth;
    entry[N]: the probability-table entry of the branch into the node (-1 below a decision);
    option[N]: the root option the node lies under (-1 at the root);
    state[N]: index of the (event, state) the branch into the node stands for (-1 if none);
    label[N]: branch id into the node; name[N]: the node's decision/chance name ('' for ends).
    """

    kind: np.ndarray
    parent: np.ndarray
    first_child: np.ndarray
    n_children: np.ndarray
    depth: np.ndarray
    levels: tuple[tuple[int, int], ...]
    entry: np.ndarray
    option: np.ndarray
    state: np.ndarray
    label: tuple[str, ...]
    name: tuple[str, ...]
    actor: tuple[str | None, ...]

    @property
    def n(self) -> int:
        return len(self.kind)

    @property
    def leaves(self) -> np.ndarray:
        return np.flatnonzero(self.kind == TERMINAL)

    @property
    def decisions(self) -> np.ndarray:
        return np.flatnonzero(self.kind == DECISION)

    def path(self, node: int) -> list[str]:
        """Branch ids from the root down to `node`."""
        out = []
        while node > 0:
            out.append(self.label[node])
            node = int(self.parent[node])
        return out[::-1]


@dataclass(frozen=True, eq=False)
class Model:
    """A compiled scenario: tree, parameters and everything `evaluate` needs, as arrays.

    Probability tables: entries E contiguous by group (one group per table row or chance node);
    entry_param[E] (-1 for `otherwise`), entry_group[E], group_start[G], group_has_rest[G].
    Payoffs: pay_node/pay_criterion/pay_param [nnz], one per (node, criterion) number paid on
    the way into a node.
    """

    scenario: Scenario
    params: Parameters
    tree: Tree
    options: tuple[str, ...]
    criteria: tuple[str, ...]
    directions: np.ndarray             # [C] +1 max, -1 min
    weight_param: np.ndarray           # [C] parameter index of each weight (-1: equal weights)
    ranges: np.ndarray                 # [C, 2] low, high of each value scale
    value_kind: tuple[str, ...]        # per criterion: 'linear', 'exponential', 'piecewise'
    value_args: tuple[Any, ...]
    raw_value: bool                    # one criterion, no value function: value = signed payoff
    risk_tolerance: float | None       # exponential utility's R; None = risk-neutral
    entry_param: np.ndarray
    entry_group: np.ndarray
    group_start: np.ndarray
    group_has_rest: np.ndarray
    pay_node: np.ndarray
    pay_criterion: np.ndarray
    pay_param: np.ndarray
    states: tuple[tuple[str, str], ...]  # (event or chance name, state) for each state index
    risks: tuple[str, ...]
    risk_leaf: sparse.csr_matrix       # [N, R] 1 where a leaf meets the risk's condition
    world: str | None = None
    risk_outside_leaf: sparse.csr_matrix | None = None
    """[N, R] 1 where a leaf meets a risk's condition under an option its `options` leave out: what
    the tree gives the condition there, shown (not counted) by the risk matrix."""
    # strategic actors (all empty when the scenario states none)
    actors: tuple[str, ...] = ()       # players: actors[0] the decision maker, then the others
    node_owner: np.ndarray = field(default_factory=lambda: np.zeros(0, np.intp))
    """[N] player index owning each decision node (0: the decision maker), -1 at other nodes."""
    node_rationality: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """[N] logit precision of the owner's choice at actor-owned nodes (inf: exact best reply)."""
    apay_node: np.ndarray = field(default_factory=lambda: np.zeros(0, np.intp))
    apay_player: np.ndarray = field(default_factory=lambda: np.zeros(0, np.intp))
    apay_param: np.ndarray = field(default_factory=lambda: np.zeros(0, np.intp))
    """One per payoff a player (index >= 1) receives on the way into a node: its `payoffs` for an
    event state, or an explicit tree's `actor_payoffs`; sorted by node."""
    acw_player: np.ndarray = field(default_factory=lambda: np.zeros(0, np.intp))
    acw_criterion: np.ndarray = field(default_factory=lambda: np.zeros(0, np.intp))
    acw_param: np.ndarray = field(default_factory=lambda: np.zeros(0, np.intp))
    """One per `criteria_weights` entry of a player (index >= 1): its weight on a consequence."""

    @property
    def n_params(self) -> int:
        return len(self.params)

    @property
    def is_game(self) -> bool:
        """True when some decision below the root belongs to an actor other than the decision maker."""
        return bool(len(self.node_owner)) and bool((self.node_owner > 0).any())


def _location(sc: Scenario, path: tuple) -> tuple[int, int]:
    return sc.document.at(path) if sc.document is not None else (1, 1)


def _problem(sc: Scenario, path: tuple, message: str) -> Problem:
    line, col = _location(sc, path)
    return Problem(sc.file, line, col, f"{show_path(path)}: {message}")


def _bounds(n: Number) -> tuple[float, float]:
    """low/high for one-way sensitivity: a range's ends, else the 5th and 95th percentiles."""
    if n.kind in ("fixed", "otherwise"):
        return n.point, n.point
    from .distributions import low_high  # the distribution table's one rule for every form

    return low_high(n)


def build_parameters(sc: Scenario) -> Parameters:
    """Every number of the scenario but `otherwise`, one parameter per YAML node."""
    names, roles, numbers, refs = [], [], [], []
    aliases: dict[str, int] = {}
    by_mark: dict[tuple[int, int], int] = {}
    for r in iter_numbers(sc):
        if r.number.kind == "otherwise":
            continue
        mark = _location(sc, r.path) if sc.document is not None and r.path in sc.document.marks else None
        if mark is not None and mark in by_mark:
            aliases[r.name] = by_mark[mark]
            continue
        idx = len(names)
        if mark is not None:
            by_mark[mark] = idx
        aliases[r.name] = idx
        names.append(r.name)
        roles.append(r.role)
        numbers.append(r.number)
        refs.append(r)
    lo_hi = [_bounds(n) for n in numbers]
    return Parameters(
        names=tuple(names), roles=tuple(roles), numbers=tuple(numbers),
        point=np.array([n.point for n in numbers], dtype=float),
        low=np.array([b[0] for b in lo_hi], dtype=float),
        high=np.array([b[1] for b in lo_hi], dtype=float),
        refs=tuple(refs), aliases=aliases,
    )


class _Builder:
    """Collects nodes depth by depth, then numbers them breadth first."""

    def __init__(self) -> None:
        # per node (in creation order): parent id, kind, entry, option, state, label, name, actor, payoffs
        self.rows: list[dict[str, Any]] = []

    def add(self, parent: int, depth: int, **kw: Any) -> int:
        self.rows.append(dict(parent=parent, depth=depth, children=[], **kw))
        idx = len(self.rows) - 1
        if parent >= 0:
            self.rows[parent]["children"].append(idx)
        return idx

    def finish(self) -> tuple[Tree, np.ndarray]:
        """The tree in breadth-first order, and the map old id -> new id."""
        order = []
        frontier = [0]
        while frontier:
            order.extend(frontier)
            frontier = [c for n in frontier for c in self.rows[n]["children"]]
        new = np.empty(len(self.rows), dtype=np.intp)
        new[np.array(order, dtype=np.intp)] = np.arange(len(order))
        rows = [self.rows[o] for o in order]
        n = len(rows)
        kind = np.array([r["kind"] for r in rows], dtype=np.int8)
        parent = np.array([new[r["parent"]] if r["parent"] >= 0 else -1 for r in rows], dtype=np.intp)
        n_children = np.array([len(r["children"]) for r in rows], dtype=np.intp)
        first_child = np.array([new[r["children"][0]] if r["children"] else -1 for r in rows], dtype=np.intp)
        depth = np.array([r["depth"] for r in rows], dtype=np.intp)
        starts = np.flatnonzero(np.r_[True, depth[1:] != depth[:-1]])
        levels = tuple((int(s), int(e)) for s, e in zip(starts, np.r_[starts[1:], n]))
        tree = Tree(kind=kind, parent=parent, first_child=first_child, n_children=n_children,
                    depth=depth, levels=levels,
                    entry=np.array([r.get("entry", -1) for r in rows], dtype=np.intp),
                    option=np.array([r.get("option", -1) for r in rows], dtype=np.intp),
                    state=np.array([r.get("state", -1) for r in rows], dtype=np.intp),
                    label=tuple(r.get("label", "") for r in rows),
                    name=tuple(r.get("name", "") or "" for r in rows),
                    actor=tuple(r.get("actor") for r in rows))
        return tree, new


def compile_scenario(sc: Scenario, world: str | None = None) -> Model:
    """Scenario -> Model. With `world`, that world's overrides are applied first."""
    if world is not None:
        from .worlds import apply_world

        sc = apply_world(sc, world)
    params = build_parameters(sc)
    problems: list[Problem] = []
    b = _Builder()
    entries: list[tuple[int, int]] = []   # (param or -1, group)
    group_rest: list[bool] = []
    states: dict[tuple[str, str], int] = {}
    payoffs: list[tuple[int, int, int]] = []  # (builder node, criterion, param)
    criteria = [c.id for c in sc.criteria] or ["payoff"]
    crit_index = {c: i for i, c in enumerate(criteria)}

    def state_index(key: tuple[str, str]) -> int:
        return states.setdefault(key, len(states))

    def new_group(items: list[tuple[str, Number]]) -> list[int]:
        """Entries for one probability table row / chance node; returns their entry ids."""
        g = len(group_rest)
        group_rest.append(any(n.kind == "otherwise" for _, n in items))
        ids = []
        for name, n in items:
            ids.append(len(entries))
            entries.append((-1 if n.kind == "otherwise" else params.index(name), g))
        return ids

    def pay(node: int, crit: str, name: str) -> None:
        payoffs.append((node, crit_index[crit], params.index(name)))

    players, player_problems = _players(sc)
    problems.extend(player_problems)
    player_index = {a: k for k, a in enumerate(players)}
    apays: list[tuple[int, int, int]] = []   # (builder node, player, param)

    # the players' conditional payoffs by the state they pay for: looked up once per node, not scanned
    conditional: dict[str, list[tuple[str, Any]]] = {}
    for a in players[1:]:
        for cp in sc.actors[a].conditional_payoffs:
            conditional.setdefault(cp.state, []).append((a, cp))

    def actor_pay(node: int, key: str, seen: dict[str, str] | None = None) -> None:
        """A player's `payoffs` for the event state 'event.state' the branch into `node` stands for,
        and its `conditional_payoffs` for that state whose conditions hold on the path (`seen`:
        'option' and every event met so far -> its state)."""
        for a in players[1:]:
            if key in sc.actors[a].payoffs:
                apays.append((node, player_index[a], params.index(f"actors.{a}.payoffs.{key}")))
        for a, cp in conditional.get(key, ()) if seen is not None else ():
            if cp.options is not None and seen.get("option") not in cp.options:
                continue
            if all(seen.get(e) in sts for e, sts in cp.when.items()):
                apays.append((node, player_index[a], params.index(f"actors.{a}.conditional_payoffs.{cp.id}.value")))

    risk_hits: list[tuple[int, int]] = []   # (builder leaf, risk)
    outside_hits: list[tuple[int, int]] = []  # the condition met under an option the risk leaves out
    if sc.tree is not None:
        options = tuple(c.label for c in sc.tree.children)
        single = criteria[0]

        def walk(tn: Any, parent: int, depth: int, prefix: str, option: int, entry: int) -> None:
            kind = {"decision": DECISION, "chance": CHANCE, "terminal": TERMINAL}[tn.kind]
            st = state_index((b.rows[parent]["name"], tn.label)) if parent >= 0 and b.rows[parent]["kind"] == CHANCE else -1
            node = b.add(parent, depth, kind=kind, entry=entry, option=option, state=st,
                         label=tn.label, name=tn.name, actor=tn.actor)
            for k in tn.payoff:
                pay(node, k or single, f"{prefix}.payoff" + (f".{k}" if k else ""))
            for a in tn.actor_payoffs:
                if a in player_index and player_index[a] > 0:
                    apays.append((node, player_index[a], params.index(f"{prefix}.actor_payoffs.{a}")))
            if tn.kind == "chance":
                ids = new_group([(f"{prefix}.{c.label}.p", c.p) for c in tn.children])
            else:
                ids = [-1] * len(tn.children)
            for i, c in enumerate(tn.children):
                walk(c, node, depth + 1, f"{prefix}.{c.label}", i if parent < 0 else option, ids[i])

        walk(sc.tree, -1, 0, "tree", -1, -1)
    else:
        options = tuple(o.id for o in sc.options)
        order = event_order(sc)
        root = b.add(-1, 0, kind=DECISION, name="option", label="")
        row_groups: dict[tuple[str, int], list[int]] = {}
        risk_list = list(sc.risks)
        for oi, opt in enumerate(sc.options):
            # each path: (builder node, {dep: value}) ; expand one event at a time. A node is an end
            # until an event unfolds at it; an event that does not happen on a path (its `options`
            # or `when`) leaves the path as it is, for the next event
            onode = b.add(root, 1, option=oi, label=opt.id, **_unfolds(None))
            for k in opt.impacts:
                pay(onode, k, f"options.{opt.id}.impacts.{k}")
            frontier = [(onode, {"option": opt.id})]
            for ev in order:
                nxt = []
                for node, seen in frontier:
                    if not ev.happens(seen):
                        nxt.append((node, seen))
                        continue
                    b.rows[node].update(_unfolds(ev))
                    if ev.mode in ("strategic", "decision"):  # a choice: no probabilities
                        ids = [-1] * len(ev.states)
                    else:
                        ri = _match_row(ev, seen)
                        if ri is None:  # the loader checks coverage; a world could break it
                            problems.append(_problem(sc, ("events",), f"event '{ev.id}': no probability row for "
                                                     + ", ".join(f"{d}={seen.get(d)}" for d in ev.depends_on)))
                            continue
                        row = ev.probability[ri]
                        key = (ev.id, ri)
                        if key not in row_groups:
                            base = ".".join(("events", ev.id, "probability") + row.conditions)
                            items = [(f"{base}.{s}", row.probabilities.get(s, Number("fixed", (0.0,), 0.0)))
                                     for s in ev.states]
                            missing = [s for s in ev.states if s not in row.probabilities]
                            if missing:  # a state left out of a row has probability 0
                                items = [(nm, n) for nm, n in items if nm.rsplit(".", 1)[1] not in missing]
                            row_groups[key] = _full_ids(new_group(items), ev, row)
                        ids = row_groups[key]
                    for si, s in enumerate(ev.states):
                        child = b.add(node, b.rows[node]["depth"] + 1, option=oi, entry=ids[si],
                                      state=state_index((ev.id, s)), label=s, **_unfolds(None))
                        for k in ev.states[s].impacts:
                            pay(child, k, f"events.{ev.id}.states.{s}.impacts.{k}")
                        actor_pay(child, f"{ev.id}.{s}", seen)
                        nxt.append((child, {**seen, ev.id: s}))
                frontier = nxt
            for leaf, seen in frontier:
                for ri_, rk in enumerate(risk_list):
                    if all(seen.get(e) in sts for e, sts in rk.when.items()):
                        (risk_hits if rk.options is None or opt.id in rk.options else outside_hits).append((leaf, ri_))
    if problems:
        raise ScenarioError(problems)

    tree, new = b.finish()
    node_owner = np.where(tree.kind == DECISION, 0, -1).astype(np.intp)
    if len(players) > 1:
        for n, a in enumerate(tree.actor):
            if n > 0 and tree.kind[n] == DECISION and a in player_index:
                node_owner[n] = player_index[a]
    node_rationality = np.array([r.get("rationality", math.inf) for r in (b.rows[o] for o in np.argsort(new))],
                                dtype=float)
    apays.sort(key=lambda x: (int(new[x[0]]), x[1]))
    acw = [(player_index[a], crit_index[c], params.index(f"actors.{a}.criteria_weights.{c}"))
           for a in players[1:] for c in sc.actors[a].criteria_weights if c in crit_index]
    entry_param = np.array([e[0] for e in entries], dtype=np.intp)
    entry_group = np.array([e[1] for e in entries], dtype=np.intp)
    group_start = np.flatnonzero(np.r_[True, entry_group[1:] != entry_group[:-1]]) if len(entries) else np.zeros(0, np.intp)
    pn = np.array([new[p[0]] for p in payoffs], dtype=np.intp)
    pc = np.array([p[1] for p in payoffs], dtype=np.intp)
    pp = np.array([p[2] for p in payoffs], dtype=np.intp)
    sort = np.lexsort((pc, pn))
    n_risks = len(sc.risks) if sc.tree is None else 0
    rows = [new[h[0]] for h in risk_hits]
    risk_leaf = sparse.csr_matrix((np.ones(len(rows)), (rows, [h[1] for h in risk_hits])),
                                  shape=(tree.n, n_risks))
    rows = [new[h[0]] for h in outside_hits]
    risk_outside_leaf = sparse.csr_matrix((np.ones(len(rows)), (rows, [h[1] for h in outside_hits])),
                                          shape=(tree.n, n_risks))

    crit_objs = list(sc.criteria)
    directions = np.array([(-1.0 if c.direction == "min" else 1.0) for c in crit_objs] or [1.0])
    weights = [c.weight for c in crit_objs]
    if any(w is not None for w in weights) and not all(w is not None for w in weights):
        missing = [i for i, w in enumerate(weights) if w is None]
        raise ScenarioError([_problem(sc, ("criteria", i), f"criterion '{crit_objs[i].id}' has no weight while "
                                      "others have: give every criterion a weight, or none (equal weights)")
                             for i in missing])
    weight_param = np.array([params.index(f"criteria.{c.id}.weight") if c.weight is not None else -1
                             for c in crit_objs] or [-1], dtype=np.intp)
    vk = tuple((c.value_function.kind if c.value_function else "linear") for c in crit_objs) or ("linear",)
    va = tuple((c.value_function.rho if c.value_function and c.value_function.kind == "exponential"
                else c.value_function.points if c.value_function else None) for c in crit_objs) or (None,)
    raw = len(criteria) == 1 and (not crit_objs or crit_objs[0].value_function is None)
    util = sc.utility
    rt = util.risk_tolerance if util is not None and util.kind == "exponential" else None

    model = Model(
        scenario=sc, params=params, tree=tree, options=options, criteria=tuple(criteria),
        directions=directions, weight_param=weight_param, ranges=np.zeros((len(criteria), 2)),
        value_kind=vk, value_args=va, raw_value=raw, risk_tolerance=rt,
        entry_param=entry_param, entry_group=entry_group, group_start=group_start,
        group_has_rest=np.array(group_rest, dtype=bool),
        pay_node=pn[sort], pay_criterion=pc[sort], pay_param=pp[sort],
        states=tuple(states), risks=tuple(r.id for r in sc.risks) if n_risks else (),
        risk_leaf=risk_leaf, risk_outside_leaf=risk_outside_leaf, world=world,
        actors=tuple(players) if len(players) > 1 else (), node_owner=node_owner,
        node_rationality=node_rationality,
        apay_node=np.array([new[x[0]] for x in apays], dtype=np.intp),
        apay_player=np.array([x[1] for x in apays], dtype=np.intp),
        apay_param=np.array([x[2] for x in apays], dtype=np.intp),
        acw_player=np.array([x[0] for x in acw], dtype=np.intp),
        acw_criterion=np.array([x[1] for x in acw], dtype=np.intp),
        acw_param=np.array([x[2] for x in acw], dtype=np.intp),
    )
    return dataclasses.replace(model, ranges=_ranges(model, crit_objs))


def _unfolds(ev: Any) -> dict[str, Any]:
    """Builder fields of a node at which event `ev` unfolds (None: a leaf): a chance node, a
    decision node owned by the event's actor when the event is strategic, or one owned by the
    decision maker (no actor: player 0) when it is a later decision."""
    if ev is None:
        return {"kind": TERMINAL, "name": ""}
    if ev.mode == "strategic":
        return {"kind": DECISION, "name": ev.id, "actor": ev.actor,
                "rationality": math.inf if ev.rationality is None else float(ev.rationality)}
    if ev.mode == "decision":
        return {"kind": DECISION, "name": ev.id, "actor": None}
    return {"kind": CHANCE, "name": ev.id}


def _players(sc: Scenario) -> tuple[list[str], list[Problem]]:
    """The decision maker, then every other actor that owns a decision or states payoffs (in the
    order of `actors:`), and the problems that make the game ill-posed."""
    problems: list[Problem] = []
    dm = sc.meta.decision_maker
    owners: set[str] = set()
    stakes: dict[str, tuple] = {}
    if sc.tree is not None:
        root_actor = sc.tree.actor
        if root_actor is not None and dm is not None and root_actor != dm:
            problems.append(_problem(sc, sc.tree.path + ("actor",), f"the root's options are the decision maker's "
                                     f"('{dm}'), not '{root_actor}'"))
        dm = dm or root_actor

        def walk(n: Any) -> None:
            if n.kind == "decision" and n.actor is not None and n is not sc.tree:
                owners.add(n.actor)
            for a in n.actor_payoffs:
                stakes.setdefault(a, n.path + ("actor_payoffs", a))
            for c in n.children:
                walk(c)

        walk(sc.tree)
    for e in sc.events:
        if e.mode == "strategic" and e.actor is not None:
            owners.add(e.actor)
    for aid, a in sc.actors.items():
        if a.payoffs or a.conditional_payoffs:
            stakes.setdefault(aid, ("actors", aid, "payoffs" if a.payoffs else "conditional_payoffs"))
        elif a.criteria_weights:
            stakes.setdefault(aid, ("actors", aid, "criteria_weights"))
    if dm is not None and dm in stakes:
        problems.append(_problem(sc, stakes[dm], f"'{dm}' is the decision maker: its value is the criteria's "
                                 "(`payoff` in a tree); other actors' payoffs only belong here"))
    others = [a for a in sc.actors if a != dm and (a in owners or a in stakes)]
    if not others:
        return [dm or "decision_maker"], problems
    return [dm or "decision_maker", *others], problems


def _full_ids(ids: list[int], ev: Any, row: Any) -> list[int]:
    """Entry ids per state of the event in state order; states a row leaves out get -2 (p = 0)."""
    out, it = [], iter(ids)
    for s in ev.states:
        out.append(next(it) if s in row.probabilities else -2)
    return out


def _match_row(ev: Any, seen: dict[str, str]) -> int | None:
    """The most specific row of the event's table that matches the path's values ('*' matches any)."""
    best, best_score = None, -1
    for i, row in enumerate(ev.probability):
        if all(c == "*" or c == seen.get(d) for c, d in zip(row.conditions, ev.depends_on)):
            score = sum(c != "*" for c in row.conditions)
            if score > best_score:
                best, best_score = i, score
    return best


def event_order(sc: Scenario) -> list[Any]:
    """Events in an order their depends_on and when allow, keeping file order where free."""
    done: set[str] = set()
    out = []
    pending = list(sc.events)
    while pending:
        for e in pending:
            if all(d in done for d in e.after):
                out.append(e)
                done.add(e.id)
                pending.remove(e)
                break
        else:  # pragma: no cover - the loader refuses cycles
            raise ValueError("cycle among events")
    return out


def _ranges(model: Model, crit_objs: list[Any]) -> np.ndarray:
    """Each criterion's value scale: its `range`, else the span (least to greatest) of the
    consequences of the leaves that can happen, at the point values. A leaf that cannot happen
    (a chance branch of probability 0 at the point values on its path) is left out: an outcome
    that cannot happen must not stretch the scale, or it would change every option's score.
    Computed once here, so the scale does not move between samples."""
    out = np.zeros((len(model.criteria), 2))
    need = [i for i in range(len(model.criteria)) if i >= len(crit_objs) or crit_objs[i].range is None]
    if need:
        theta = model.params.point[None, :]
        x = leaf_consequences(model, theta)[0]  # [L, C]
        # leaves that cannot happen (a zero-probability branch on the way) do not stretch the scale;
        # decisions (the decision maker's and other actors') do not rule a leaf out
        t = model.tree
        q = branch_probabilities(model, theta)[0]
        prob = np.where(t.entry >= 0, q[np.maximum(t.entry, 0)], np.where(t.entry == -2, 0.0, 1.0))
        for start, stop in t.levels[1:]:
            prob[start:stop] *= prob[t.parent[start:stop]]
        possible = prob[t.leaves] > 0
        x = x[possible] if possible.any() else x
        if x.size:
            out[need, 0] = x[:, need].min(axis=0)
            out[need, 1] = x[:, need].max(axis=0)
    for i, c in enumerate(crit_objs):
        if c.range is not None:
            out[i] = c.range
    return out
