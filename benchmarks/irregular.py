"""Seeded trees that do not merge, for `bench_irregular.py` and for the tests that check them.

Two generators write a scenario as YAML text and, beside it, the same tree as plain nested
`Spec` nodes (built here, not read back from the compiled Model), which the two baselines walk:
a per-sample Python recursion (`loop_utilities`) and a bare numpy kernel (`Kernel`).

- `explicit_tree(...)`: the explicit `tree` form. Leaves at depth 3-5, every node 2-12 branches,
  about one inner node in ten below the options a later decision of the decision maker, every
  edge paying on 2-4 of the 6 criteria. No two subtrees are identical: every path draws its own
  payoffs and every chance node its own probabilities from pools of uncertain numbers written
  once and reused through YAML aliases (an alias is one number: the pools keep the parameter
  vector a few hundred numbers long, where one number per payoff would be 10^5 and theta for
  10,000 samples several GB).
- `events_tree(...)`: the events form. Options, then four events of 2, 12, 7 and 6 states, each
  event's probability table depending on the option and on every earlier event (one row per
  path so far), so that no two subtrees are identical. The events form has no later decisions
  of the decision maker yet (`mode: decision` is being added on another branch); the
  probabilities that depend on earlier events are what keeps its subtrees apart.

Both are linear in 6 criteria with explicit ranges and uncertain weights; `risk_tolerance` adds
an exponential utility.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

N_CRITERIA = 6
SPAN = 60.0                # criteria ranges [-SPAN, SPAN]: every path's sum stays inside
DECISION, CHANCE, TERMINAL = 0, 1, 2   # kinds as in model.compile (checked by the tests)


@dataclass
class Spec:
    """A node of a generated tree: its kind, the numbers paid on the way into it (criterion,
    parameter name), the name of its branch probability (a parameter, 'otherwise', or None below
    a decision or at the root) and its children."""

    kind: int
    label: str
    pays: list[tuple[int, str]] = field(default_factory=list)
    prob: str | None = None
    children: list["Spec"] = field(default_factory=list)


@dataclass
class Generated:
    """A scenario's YAML text and its tree as Spec nodes (the root is the decision on options)."""

    text: str
    root: Spec
    n_leaves: int
    n_nodes: int
    n_decisions: int                # later decisions (below the options)


def _number(r: random.Random, i: int, centre: float) -> str:
    """One uncertain payoff about `centre`: a range or a distribution, so every draw differs."""
    m = round(centre, 2)
    form = i % 4
    if form == 0:
        return f"[{m - 1.5:.2f}, {m + 1.5:.2f}]"
    if form == 1:
        return f"{{normal: [{m:.2f}, 0.8]}}"
    if form == 2:
        return f"{{triangular: [{m - 2:.2f}, {m:.2f}, {m + 1:.2f}]}}"
    return f"{{pert: [{m - 1:.2f}, {m:.2f}, {m + 2:.2f}]}}"


class _Pool:
    """Uncertain numbers written once with an anchor (&name) and then reused through aliases."""

    def __init__(self, prefix: str, texts: list[str]) -> None:
        self.prefix, self.texts = prefix, texts
        self.first: dict[int, str] = {}         # pool index -> parameter name (its first use)

    def use(self, i: int, name: str) -> tuple[str, str]:
        """YAML for pool number i used at `name`, and the parameter name it resolves to."""
        if i in self.first:
            return f"*{self.prefix}{i}", self.first[i]
        self.first[i] = name
        return f"&{self.prefix}{i} {self.texts[i]}", name


def _criteria_yaml(risk_tolerance: float | None, sid: str, title: str) -> list[str]:
    out = [f"scenario: {{id: {sid}, title: {title}}}"]
    if risk_tolerance is not None:
        out.append(f"utility: {{kind: exponential, risk_tolerance: {risk_tolerance:g}}}")
    out.append("criteria:")
    for c in range(N_CRITERIA):
        direction = "max" if c % 2 == 0 else "min"
        lo = round(0.05 + 0.05 * c, 2)
        out.append(f"  - {{id: c{c}, direction: {direction}, range: [{-SPAN:g}, {SPAN:g}], "
                   f"weight: [{lo:.2f}, {lo + 0.2:.2f}]}}")
    return out


def _prob_pools(r: random.Random, per_k: int) -> dict[int, _Pool]:
    """For each branching K in 2..12, `per_k` uncertain probabilities whose points take about
    0.9 / K each, so K - 1 of them leave `otherwise` a share; the ranges' upper ends can take a
    row above 1, which exercises the scale-down rule of the branch probabilities."""
    pools = {}
    for k in range(2, 13):
        texts = []
        for _ in range(per_k):
            p = 0.9 / k * r.uniform(0.6, 1.0)
            texts.append(f"[{p * 0.6:.4f}, {p * 1.4:.4f}]")
        pools[k] = _Pool(f"p{k}_", texts)
    return pools


def explicit_tree(leaves: int = 10_000, seed: int = 1, risk_tolerance: float | None = 0.3,
                  pool: int = 100, prob_pool: int = 24, p_decision: float = 0.1,
                  max_branches: int = 12) -> Generated:
    """An explicit-form tree of about `leaves` leaves (options are added until it has that many);
    see the module doc. `pool`: payoff numbers per criterion; `prob_pool`: probabilities per
    branching; `max_branches` (2-12): the most branches of a node (small trees for tests)."""
    r = random.Random(seed)
    pays = [_Pool(f"c{c}_", [_number(r, i, r.uniform(-7.0, 7.0)) for i in range(pool)])
            for c in range(N_CRITERIA)]
    probs = _prob_pools(r, prob_pool)
    lines = _criteria_yaml(risk_tolerance, "bench-irregular-tree", "Irregular benchmark tree (explicit form)")
    lines += ["tree:", "  decision: option", "  options:"]
    counter = {"leaves": 0, "nodes": 1, "decisions": 0, "names": 0}

    def node(indent: int, label: str, name: str, depth: int, prob_yaml: str | None) -> Spec:
        """Writes `label:` and its body at `indent`; depth of this node (options are 1)."""
        pad = " " * indent
        counter["nodes"] += 1
        lines.append(f"{pad}{label}:")
        body = pad + "  "
        spec = Spec(kind=TERMINAL, label=label)
        if prob_yaml is not None:
            lines.append(f"{body}p: {prob_yaml}")
        # 2-4 of the criteria paid on the way in, each a number drawn from that criterion's pool
        crits = sorted(r.sample(range(N_CRITERIA), r.randint(2, 4)))
        items = []
        for c in crits:
            text, pname = pays[c].use(r.randrange(pool), f"{name}.payoff.c{c}")
            items.append(f"c{c}: {text}")
            spec.pays.append((c, pname))
        lines.append(f"{body}payoff: {{{', '.join(items)}}}")
        leaf = depth >= 5 or (depth >= 3 and r.random() < 0.35)
        if leaf:
            counter["leaves"] += 1
            return spec
        k = r.randint(2, max_branches) if depth > 1 else r.randint(min(4, max_branches), max_branches)
        counter["names"] += 1
        if depth >= 2 and depth <= 3 and r.random() < p_decision:
            spec.kind = DECISION
            counter["decisions"] += 1
            lines.append(f"{body}decision: d{counter['names']}")
            lines.append(f"{body}options:")
            for i in range(k):
                spec.children.append(node(indent + 4, f"x{i}", f"{name}.x{i}", depth + 1, None))
            return spec
        spec.kind = CHANCE
        # chance nodes are named after the uncertainty they stand for, one per branching: the
        # same uncertainty recurs down many paths (its states' probabilities are reported per
        # option, [S, O, states]: a name per node would make that array O x 10^4 per sample)
        lines.append(f"{body}chance: u{k}")
        lines.append(f"{body}branches:")
        rest = r.randrange(k)
        picks = r.sample(range(prob_pool), k - 1)
        for i in range(k):
            cname = f"{name}.b{i}"
            if i == rest:
                child = node(indent + 4, f"b{i}", cname, depth + 1, "otherwise")
                child.prob = "otherwise"
            else:
                text, pname = probs[k].use(picks.pop(), f"{cname}.p")
                child = node(indent + 4, f"b{i}", cname, depth + 1, text)
                child.prob = pname
            spec.children.append(child)
        return spec

    root = Spec(kind=DECISION, label="")
    o = 0
    while counter["leaves"] < leaves:
        root.children.append(node(4, f"o{o}", f"tree.o{o}", 1, None))
        o += 1
    return Generated("\n".join(lines) + "\n", root, counter["leaves"], counter["nodes"], counter["decisions"])


def events_tree(states: tuple[int, ...] = (2, 12, 7, 6), leaves: int = 10_000, seed: int = 2,
                risk_tolerance: float | None = 0.3, prob_pool: int = 24) -> Generated:
    """An events-form tree: options (as many as give about `leaves` leaves), then events with
    `states` states each, every event's table depending on the option and every earlier event;
    see the module doc."""
    r = random.Random(seed)
    per_option = math.prod(states)
    n_opt = max(1, round(leaves / per_option))
    probs = _prob_pools(r, prob_pool)
    lines = _criteria_yaml(risk_tolerance, "bench-irregular-events", "Irregular benchmark tree (events form)")
    opt_pays: list[list[tuple[int, str]]] = []
    lines.append("options:")
    for o in range(n_opt):
        crits = sorted(r.sample(range(N_CRITERIA), r.randint(3, 6)))
        items = [f"c{c}: {_number(r, o + c, r.uniform(-7, 7))}" for c in crits]
        opt_pays.append([(c, f"options.o{o}.impacts.c{c}") for c in crits])
        lines.append(f"  - {{id: o{o}, impacts: {{{', '.join(items)}}}}}")
    state_pays: list[list[list[tuple[int, str]]]] = []
    # probability rows: path so far (option, earlier states) -> [(state, parameter name | 'otherwise')]
    rows: list[dict[tuple, list[str]]] = []
    lines.append("events:")
    for e, k in enumerate(states):
        deps = ["option"] + [f"e{j}" for j in range(e)]
        lines += [f"  - id: e{e}", f"    depends_on: [{', '.join(deps)}]", "    states:"]
        sp = []
        for s in range(k):
            crits = sorted(r.sample(range(N_CRITERIA), r.randint(2, 4)))
            items = [f"c{c}: {_number(r, e + s + c, r.uniform(-7, 7))}" for c in crits]
            sp.append([(c, f"events.e{e}.states.s{s}.impacts.c{c}") for c in crits])
            lines.append(f"      s{s}: {{impacts: {{{', '.join(items)}}}}}")
        state_pays.append(sp)
        lines.append("    probability:")
        table: dict[tuple, list[str]] = {}
        # every condition path: the option, then one state of each earlier event
        paths = [(f"o{o}",) for o in range(n_opt)]
        for j in range(e):
            paths = [p + (f"s{s}",) for p in paths for s in range(states[j])]
        prev: tuple = ()
        for p in paths:
            # nested mappings, one level per condition; open the levels that change
            common = 0
            while common < len(prev) - 1 and prev[common] == p[common]:
                common += 1
            for lvl in range(common, len(p) - 1):
                lines.append(" " * (6 + 2 * lvl) + f"{p[lvl]}:")
            rest = r.randrange(k)
            picks = r.sample(range(prob_pool), k - 1)
            items, names = [], []
            base = ".".join(("events", f"e{e}", "probability") + p)
            for s in range(k):
                if s == rest:
                    items.append(f"s{s}: otherwise")
                    names.append("otherwise")
                else:
                    text, pname = probs[k].use(picks.pop(), f"{base}.s{s}")
                    items.append(f"s{s}: {text}")
                    names.append(pname)
            lines.append(" " * (6 + 2 * (len(p) - 1)) + f"{p[-1]}: {{{', '.join(items)}}}")
            table[p] = names
            prev = p
        rows.append(table)

    counter = {"nodes": 1, "leaves": 0}

    def unfold(spec: Spec, path: tuple, e: int) -> None:
        if e == len(states):
            counter["leaves"] += 1
            return
        spec.kind = CHANCE
        for s in range(states[e]):
            child = Spec(kind=TERMINAL, label=f"s{s}", pays=list(state_pays[e][s]), prob=rows[e][path][s])
            counter["nodes"] += 1
            spec.children.append(child)
            unfold(child, path + (f"s{s}",), e + 1)

    root = Spec(kind=DECISION, label="")
    for o in range(n_opt):
        spec = Spec(kind=TERMINAL, label=f"o{o}", pays=list(opt_pays[o]))
        counter["nodes"] += 1
        root.children.append(spec)
        unfold(spec, (f"o{o}",), 0)
    return Generated("\n".join(lines) + "\n", root, counter["leaves"], counter["nodes"], 0)


def identical_subtrees(model, root: Spec) -> tuple[int, int]:
    """(how many subtrees with children repeat another exactly, how many subtrees have children).

    Two subtrees are identical when their kinds, and for each child in order its branch
    probability's parameter, the parameters it pays and its own subtree, are the same: what a
    merge of identical subtrees could roll back once. Parameters are compared by index, so a
    number reused through an alias counts as the same number."""
    ix = model.params.index
    ids: dict[tuple, int] = {}
    seen: dict[int, int] = {}

    def sig(node: Spec) -> int:
        kids = tuple((-1 if ch.prob in (None, "otherwise") else ix(ch.prob), ch.prob == "otherwise",
                      tuple(sorted((c, ix(n)) for c, n in ch.pays)), sig(ch)) for ch in node.children)
        key = (node.kind, kids)
        k = ids.setdefault(key, len(ids))
        if node.children:
            seen[k] = seen.get(k, 0) + 1
        return k

    for ch in root.children:
        sig(ch)
    inner = sum(seen.values())
    return inner - len(seen), inner


# --------------------------------------------------------------------------------------------
# the arithmetic every baseline shares: parameters -> probabilities, weights, leaf values

def _scoring(model) -> tuple[np.ndarray, np.ndarray]:
    """slope[C], offset[C] of the linear value scores: score = slope * x + offset."""
    lo, hi = model.ranges[:, 0], model.ranges[:, 1]
    span = hi - lo
    return model.directions / span, np.where(model.directions > 0, -lo / span, hi / span)


def loop_utilities(model, root: Spec, th: list[float]) -> list[float]:
    """One sample, plain Python: each option's expected utility by recursion over the Spec tree
    (probabilities normalised as `branch_probabilities` does: negative draws count 0, the others
    scaled down when they pass 1, `otherwise` the rest; leaf value = sum of weight x linear
    score of the path's summed payoffs; utility 1 - exp(-value / R); decisions take the best)."""
    ix = model.params.index
    c = N_CRITERIA
    w = [max(th[ix(f"criteria.c{i}.weight")], 0.0) for i in range(c)]
    tw = sum(w)
    w = [x / tw for x in w]
    slope, offset = (v.tolist() for v in _scoring(model))
    rt = model.risk_tolerance
    cache: dict[str, int] = {}

    def par(name: str) -> float:
        i = cache.get(name)
        if i is None:
            i = cache[name] = ix(name)
        return th[i]

    def roll(node: Spec, path: list[float]) -> float:
        path = path[:]
        for crit, name in node.pays:
            path[crit] += par(name)
        if node.kind == TERMINAL:
            v = sum(w[i] * (slope[i] * path[i] + offset[i]) for i in range(c))
            return v if rt is None else 1.0 - math.exp(-v / rt)
        if node.kind == DECISION:
            return max(roll(ch, path) for ch in node.children)
        ps = [0.0 if ch.prob == "otherwise" else max(par(ch.prob), 0.0) for ch in node.children]
        total = sum(ps)
        scale = 1.0 / total if total > 1.0 else 1.0
        left = min(max(1.0 - total, 0.0), 1.0)
        return sum((left if ch.prob == "otherwise" else p * scale) * roll(ch, path)
                   for ch, p in zip(node.children, ps))

    return [roll(ch, [0.0] * c) for ch in root.children]


class Kernel:
    """A bare numpy kernel for one Spec tree: the same arithmetic as `evaluate` on a tree without
    merges (payoffs per node, path sums, leaf values, utilities, probability-weighted sums and
    maxima level by level), with no generality: no ties, no flows, no expected consequences,
    no risks, no guard against overflow. Index arrays are built once from the Spec tree,
    parameters looked up by name. Under exponential utility the exp of a path sum is taken as
    `evaluate` takes it, a product of one exp per number paid."""

    def __init__(self, model, root: Spec, chunk_cells: int = 1 << 20) -> None:
        ix = model.params.index
        self.rt = model.risk_tolerance
        self.w_idx = np.array([ix(f"criteria.c{c}.weight") for c in range(N_CRITERIA)])
        self.slope, self.offset = _scoring(model)
        # breadth-first numbering: each level a contiguous block, children contiguous
        levels: list[list[Spec]] = [[root]]
        while True:
            nxt = [ch for n in levels[-1] for ch in n.children]
            if not nxt:
                break
            levels.append(nxt)
        self.n = sum(len(lv) for lv in levels)
        # (criterion, parameter) pairs paid anywhere, and per node the pairs it pays: a sparse
        # sum, one product a_c * theta_p per pair (payoffs reuse pool numbers)
        pairs: dict[tuple[int, int], int] = {}
        rows, cols = [], []
        kinds, n_kids = [], []
        k = 0
        for lv in levels:
            for nd in lv:
                for crit, name in nd.pays:
                    key = (crit, ix(name))
                    rows.append(k)
                    cols.append(pairs.setdefault(key, len(pairs)))
                kinds.append(nd.kind)
                n_kids.append(len(nd.children))
                k += 1
        self.pair_crit = np.array([p[0] for p in pairs], dtype=np.intp)
        self.pair_param = np.array([p[1] for p in pairs], dtype=np.intp)
        self.pay = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(self.n, len(pairs)))
        kinds_a, n_kids_a = np.array(kinds), np.array(n_kids)
        bounds = np.cumsum([0] + [len(lv) for lv in levels])
        self.level_span = [(int(bounds[i]), int(bounds[i + 1])) for i in range(len(levels))]
        self.leaves = np.flatnonzero(kinds_a == TERMINAL)
        # under exponential utility, exp(-(path sum) / R) is a product of one factor per number
        # paid: per level, the numbers each node pays, padded with a factor of 1
        counts = np.diff(self.pay.indptr)
        self.pay_cols = []
        for s0, s1 in self.level_span:
            k = max(int(counts[s0:s1].max()), 1)
            cols = np.full((s1 - s0, k), len(pairs), dtype=np.intp)
            for j in range(k):
                has = np.flatnonzero(counts[s0:s1] > j)
                cols[has, j] = self.pay.indices[self.pay.indptr[s0 + has] + j]
            self.pay_cols.append(cols)
        # per level below the root: parent of each node; per level above the leaves: the
        # segments of its inner nodes' children and which are chance nodes
        self.parent = []
        self.up = []
        for d in range(1, len(levels)):
            p0, p1 = self.level_span[d - 1]
            inner = p0 + np.flatnonzero(n_kids_a[p0:p1] > 0)
            counts = n_kids_a[inner]
            self.parent.append(np.repeat(inner, counts))
            owner = np.repeat(np.arange(len(inner)), counts)
            chance = kinds_a[inner] == CHANCE
            # sums over each node's children: a sparse product (numpy's reduceat along the
            # first axis runs a loop per segment and sample, about ten times slower)
            agg = sparse.csr_matrix((np.ones(len(owner)), (owner, np.arange(len(owner)))),
                                    shape=(len(inner), len(owner)))
            dec = np.flatnonzero(~chance[owner])                    # children of decisions
            dec_seg = np.flatnonzero(np.r_[True, owner[dec][1:] != owner[dec][:-1]]) if len(dec) else dec
            probs = [nd.prob for nd in levels[d]]
            pidx = np.array([0 if p in (None, "otherwise") else ix(p) for p in probs], dtype=np.intp)
            rest = np.flatnonzero([p == "otherwise" for p in probs])
            self.up.append((inner, agg, owner, chance, pidx, rest, dec, dec_seg, inner[~chance]))
        self.n_options = len(root.children)
        self.chunk = max(1, chunk_cells // self.n)

    def block(self, th: np.ndarray) -> np.ndarray:
        """th[P, s] -> [s, O] expected utilities."""
        w = np.clip(th[self.w_idx], 0.0, None)
        w /= w.sum(axis=0)
        a = w * self.slope[:, None]                                       # [C, s]
        b = (w * self.offset[:, None]).sum(axis=0)                        # [s]
        paid = a[self.pair_crit] * th[self.pair_param]                     # [pairs, s]
        if self.rt is None:
            v = self.pay @ paid                                            # [N, s] paid into each node
            for d in range(1, len(self.level_span)):
                s0, s1 = self.level_span[d]
                v[s0:s1] += v[self.parent[d - 1]]
            u = np.zeros_like(v)
            u[self.leaves] = v[self.leaves] + b
        else:
            # u = 1 - exp(-(b + path sum) / R), the exp of the path sum as a product of factors
            factor = np.vstack([np.exp(paid * (-1.0 / self.rt)), np.ones((1, th.shape[1]))])
            f = np.empty((self.n, th.shape[1]))
            f[0] = 1.0
            for d in range(1, len(self.level_span)):
                s0, s1 = self.level_span[d]
                cols = self.pay_cols[d]
                np.multiply(f[self.parent[d - 1]], factor[cols[:, 0]], out=f[s0:s1])
                for j in range(1, cols.shape[1]):
                    f[s0:s1] *= factor[cols[:, j]]
            u = np.zeros_like(f)
            u[self.leaves] = 1.0 - np.exp(b * (-1.0 / self.rt)) * f[self.leaves]
        for d in range(len(self.level_span) - 1, 0, -1):
            s0, s1 = self.level_span[d]
            inner, agg, owner, chance, pidx, rest, dec, dec_seg, dec_nodes = self.up[d - 1]
            p = np.clip(th[pidx], 0.0, None)
            p[rest] = 0.0
            tot = agg @ p
            p *= np.where(tot > 1.0, 1.0 / tot, 1.0)[owner]
            p[rest] = np.clip(1.0 - tot, 0.0, 1.0)[owner[rest]]
            uc = u[s0:s1]
            u[inner] = agg @ (p * uc)                      # decisions' rows overwritten below
            if len(dec):
                u[dec_nodes] = np.maximum.reduceat(uc[dec], dec_seg, axis=0)
        o0, o1 = self.level_span[1]
        return u[o0:o1].T

    def run(self, theta: np.ndarray) -> np.ndarray:
        return np.concatenate([self.block(np.ascontiguousarray(theta[i:i + self.chunk].T))
                               for i in range(0, theta.shape[0], self.chunk)])
