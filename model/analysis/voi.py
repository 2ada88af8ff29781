"""Value of information: what learning something before choosing is worth.

- `evpi_events`: the expected value of perfect information on a chance event (clairvoyance: its
  state is revealed before the root decision), for each option-independent event and for all of
  them at once. The state is imposed through the parameter vector (the entry for the state set
  to 1, the others to 0, `otherwise` entries follow) and the model is evaluated once per state.
- `evpi_parameters`: the value of resolving all parameter uncertainty, E[max_o U_o] - max_o E[U_o]
  over Monte Carlo draws, with its Monte Carlo standard error.
- `evppi`: the value of resolving one parameter (or a named group) alone, by regressing each
  option's utility on that parameter (or by binning), ranked.
- `evsi`: the value of an information-gathering option, before its own cost (Raiffa's EVSI).

Units: every value of information is in value units (`montecarlo.value_unit`: the criterion's
unit for a single raw criterion, else value score 0-1). Risk-neutral it is the difference of
expected values; under exponential utility it is the certainty equivalent with the information
minus the one without, which for exponential utility is exactly the most one would pay for it.

Which events count. Events form: an event is option-independent when its `depends_on` names no
`option`, no later decision (`mode: decision`) and no event that depends (directly or through
others) on either; its ancestors (option-independent too) are mixed in by Bayes' rule. An event
that happens only under some options or only when earlier states hold (`options`, `when`) is
still a target, as a chance name found under only some options of an explicit tree is. A later
decision is the decision maker's choice: it is not uncertain and has no EVPI. Explicit tree form: every chance name is a
target, also one found under only some options (branches without it are unaffected); a name whose
nodes differ in states or probabilities, or whose numbers are shared with other parts of the tree
(a YAML alias), is left out with a note.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..compile import CHANCE, DECISION, Model
from ..evaluate import branch_probabilities, evaluate, signed_value
from ..results import Result, Table, table
from .montecarlo import MonteCarlo, simulate, value_unit
from .sampling import DEFAULT_SEED
from .sensitivity import describe, parameter_uses

MAX_CONFIGS = 4096
"""Most joint states of the revealed events (and their ancestors) evaluated for one EVPI."""


# ---------------------------------------------------------------------------- a linear scale
@dataclass(frozen=True)
class _Scale:
    """Values v (value units, larger better) <-> y, a scale on which expectations are taken.

    Risk-neutral y = v. Exponential utility with tolerance R: y = -exp(-(v - m) / R), a positive
    affine transform of u(v) = 1 - exp(-v / R) shifted by m so that it neither overflows nor
    rounds to 0; the certainty equivalent of a mean ybar is m - R ln(-ybar).
    """

    r: float | None
    m: Any = 0.0

    def fwd(self, v: np.ndarray) -> np.ndarray:
        if self.r is None:
            return v
        return -np.exp(np.clip(-(v - self.m) / self.r, -745.0, 709.0))

    def inv(self, y: Any) -> Any:
        if self.r is None:
            return y
        return self.m - self.r * np.log(np.maximum(-np.asarray(y, dtype=float), np.finfo(float).tiny))



def _values(model: Model, theta: np.ndarray) -> np.ndarray:
    """[S, O] certainty equivalents in value units (larger better) of every option."""
    return signed_value(model, evaluate(model, theta).certainty_equivalent)


def _num(x: Any) -> float | None:
    """A float for JSON: None where it is not finite."""
    x = float(x)
    return x if math.isfinite(x) else None


def _clean(x: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Round-off to zero: a difference of two equal values (or one just below zero, which
    information can never be worth) within 1e-12 of the values' size is 0."""
    tol = 1e-12 * np.maximum(np.abs(scale), 1.0)
    return np.where(np.abs(x) <= tol, 0.0, np.where((x < 0) & (x > -1e-9 * np.maximum(np.abs(scale), 1.0)), 0.0, x))


# ---------------------------------------------------------------------------- chance events
@dataclass(frozen=True)
class _Target:
    name: str
    states: tuple[str, ...]
    nodes: tuple[int, ...]           # chance nodes of that name
    deps: tuple[str, ...]            # option-independent events it depends on (events form)
    params: dict[int, str]           # parameter index -> the state its entry stands for


def _children(model: Model, node: int) -> range:
    t = model.tree
    return range(int(t.first_child[node]), int(t.first_child[node] + t.n_children[node]))


def _other_param_uses(model: Model, own_entries: set[int] = frozenset(), own_pays: set[int] = frozenset()) -> set[int]:
    """Parameters used anywhere but in the given probability entries and payoff entries."""
    used = {int(p) for e, p in enumerate(model.entry_param) if p >= 0 and e not in own_entries}
    used.update(int(p) for j, p in enumerate(model.pay_param) if j not in own_pays)
    return used | parameter_uses(model, skip=("entry_param", "pay_param"))


def _targets(model: Model, q: np.ndarray) -> tuple[dict[str, _Target], dict[str, str]]:
    """The chance names that can be revealed before choosing, and why the others cannot
    (q: branch probabilities [S, E + 1] of the parameter vectors at hand)."""
    t = model.tree
    sc = model.scenario
    left: dict[str, str] = {}
    chance_nodes: dict[str, list[int]] = {}
    for n in np.flatnonzero(t.kind == CHANCE):
        chance_nodes.setdefault(t.name[n], []).append(int(n))
    deps: dict[str, tuple[str, ...]] = {}
    if sc.tree is None:
        # a later decision is chosen, like the option: an event whose table depends on either has
        # no state to reveal before choosing
        decisions = {ev.id for ev in sc.events if ev.mode == "decision"}
        dependent: set[str] = set()
        on_decision: set[str] = set()
        changed = True  # file order may put an event before what it depends on: iterate to a fixed point
        while changed:
            changed = False
            for ev in sc.events:
                if ev.id in decisions:
                    continue
                if ev.id not in dependent and any(d == "option" or d in dependent for d in ev.depends_on):
                    dependent.add(ev.id)
                    changed = True
                if ev.id not in on_decision and any(d in decisions or d in on_decision for d in ev.depends_on):
                    on_decision.add(ev.id)
                    changed = True
        names = []
        for ev in sc.events:
            if ev.id in decisions:
                left[ev.id] = "a later decision of the decision maker, not uncertain: nothing to reveal"
            elif ev.id in dependent:
                left[ev.id] = "depends on the option (directly or through another event): no state to reveal before choosing"
            elif ev.id in on_decision:
                left[ev.id] = ("depends on a later decision of the decision maker (directly or through another "
                               "event): no state to reveal before choosing")
            elif getattr(ev, "mode", None) == "strategic":
                left[ev.id] = "an actor's strategic choice, not a table of probabilities"
            elif ev.id not in chance_nodes:
                left[ev.id] = "not in the compiled tree"
            else:
                names.append(ev.id)
                deps[ev.id] = tuple(ev.depends_on)
    else:
        names = list(chance_nodes)
        deps = {nm: () for nm in names}
    out: dict[str, _Target] = {}
    for nm in names:
        nodes = chance_nodes[nm]
        labels = [tuple(t.label[c] for c in _children(model, n)) for n in nodes]
        if any(set(lb) != set(labels[0]) for lb in labels):
            left[nm] = "its nodes differ in states"
            continue
        own: set[int] = set()
        params: dict[int, str] = {}
        conflict = False
        for n in nodes:
            for c in _children(model, n):
                e = int(t.entry[c])
                if e < 0:
                    continue
                own.add(e)
                p = int(model.entry_param[e])
                if p >= 0:
                    if params.get(p, t.label[c]) != t.label[c]:
                        conflict = True
                    params[p] = t.label[c]
        if conflict:
            left[nm] = "one number stands for two of its states (a YAML alias)"
            continue
        shared = set(params) & _other_param_uses(model, own)
        if shared:
            left[nm] = ("its probabilities share a number with another part of the model (a YAML alias): "
                        + ", ".join(model.params.names[p] for p in sorted(shared)))
            continue
        if not deps[nm] and len(nodes) > 1:
            ps = np.stack([np.stack([_state_probability(model, q, n, st) for n in nodes], axis=1)
                           for st in labels[0]])                       # [states, S, nodes]
            if np.abs(ps - ps[:, :, :1]).max() > 1e-12:
                left[nm] = ("its nodes differ in probabilities (as posteriors after a test do): it is not "
                            "one event that could be revealed before choosing")
                continue
        out[nm] = _Target(nm, labels[0], tuple(nodes), deps[nm], params)
    return out, left


def _closure(targets: dict[str, _Target], names: Iterable[str]) -> list[str]:
    """The names and every event they depend on, each after what it depends on."""
    order: list[str] = []

    def visit(nm: str) -> None:
        if nm in order:
            return
        for d in targets[nm].deps:
            visit(d)
        order.append(nm)

    for nm in names:
        visit(nm)
    return order


def _under_a_later_decision(model: Model) -> np.ndarray:
    """[N] True at the nodes with a decision other than the root's above them."""
    t = model.tree
    out = np.zeros(t.n, dtype=bool)
    for start, stop in t.levels[1:]:
        par = t.parent[start:stop]
        out[start:stop] = out[par] | ((t.kind[par] == DECISION) & (par != 0))
    return out


def _learnt_late(targets: dict[str, _Target], order: Sequence[str], reveal: Sequence[str], late: np.ndarray) -> bool:
    """Whether an event the revealed ones depend on (mixed in, not revealed) unfolds below a later
    decision somewhere: fixing its state per configuration would let that decision know it."""
    return any(late[list(targets[nm].nodes)].any() for nm in order if nm not in reveal)


def _path_states(model: Model, node: int) -> dict[str, str]:
    """(chance name -> branch label) along the path from the root to `node`."""
    t = model.tree
    out = {}
    while node > 0:
        par = int(t.parent[node])
        if t.kind[par] == CHANCE:
            out.setdefault(t.name[par], t.label[node])
        node = par
    return out


def _state_probability(model: Model, q: np.ndarray, node: int, state: str) -> np.ndarray:
    """[S] probability of the branch `state` at chance node `node`."""
    t = model.tree
    for c in _children(model, node):
        if t.label[c] == state:
            e = int(t.entry[c])
            return q[:, e] if e >= 0 else np.zeros(q.shape[0])
    return np.zeros(q.shape[0])


def _reveal(model: Model, theta: np.ndarray, targets: dict[str, _Target], reveal: Sequence[str]
            ) -> tuple[np.ndarray, np.ndarray]:
    """Clairvoyance on the names in `reveal`, per row of theta [S, P]: the certainty equivalents
    (with[S], without[S]) of the best choice with and without it. With the information the
    choice is made per revealed state g: E_with = sum_g max_o E[y_o | g] P(g) on the linear scale."""
    s = theta.shape[0]
    order = _closure(targets, reveal)
    q = branch_probabilities(model, theta)
    # for each event of the closure: which node gives P(state | its parents' states)
    where: dict[str, dict[tuple[str, ...], int]] = {}
    for nm in order:
        tg = targets[nm]
        table_: dict[tuple[str, ...], int] = {}
        for n in tg.nodes:
            ps = _path_states(model, n)
            key = tuple(ps.get(d, "") for d in tg.deps)
            table_.setdefault(key, n)
        where[nm] = table_
    configs = list(itertools.product(*(targets[nm].states for nm in order)))
    rows = np.repeat(theta[None, :, :], len(configs), axis=0)          # [C, S, P]
    prob = np.ones((len(configs), s))
    for ci, cfg in enumerate(configs):
        state = dict(zip(order, cfg))
        for nm in order:
            tg = targets[nm]
            for p, st in tg.params.items():
                rows[ci, :, p] = 1.0 if st == state[nm] else 0.0
            node = where[nm].get(tuple(state[d] for d in tg.deps))
            prob[ci] *= _state_probability(model, q, node, state[nm]) if node is not None else 0.0
    v = _values(model, rows.reshape(-1, theta.shape[1])).reshape(len(configs), s, -1)
    v0 = _values(model, theta)                                        # [S, O]
    m = v0.max(axis=1)
    scale = _Scale(model.risk_tolerance, m[:, None])
    y = scale.fwd(v)
    y0 = scale.fwd(v0)
    # group the configurations by the revealed names' states
    pos = [order.index(nm) for nm in reveal]
    groups: dict[tuple[str, ...], list[int]] = {}
    for ci, cfg in enumerate(configs):
        groups.setdefault(tuple(cfg[k] for k in pos), []).append(ci)
    with_info = np.zeros(s)
    for members in groups.values():
        mix = np.einsum("cs,cso->so", prob[members], y[members])      # unnormalised E[y_o | g] P(g)
        with_info += mix.max(axis=1)
    flat = _Scale(model.risk_tolerance, m)
    return flat.inv(with_info), flat.inv(y0.max(axis=1))


@dataclass(frozen=True, eq=False, repr=False)
class EventEVPI(Result):
    """EVPI of chance events, per row of the parameter vectors it was computed at.

    value[name]: [S] EVPI of revealing that event alone; all: [S] of revealing every one of
    `names` at once; left_out: name -> why it is not a target. In `unit` (see the module doc).
    """

    names: tuple[str, ...]
    value: dict[str, np.ndarray]
    all: np.ndarray
    left_out: dict[str, str]
    unit: str
    notes: tuple[str, ...] = ()

    def values(self) -> dict[str, float]:
        """EVPI per event (the mean over rows when computed at several parameter vectors)."""
        return {k: float(np.mean(v)) for k, v in self.value.items()}

    def __repr__(self) -> str:
        return self.table().to_text()

    def table(self) -> Table:
        rows = list(self.names) + (["all of them at once"] if len(self.names) > 1 else [])
        vals = [[float(np.mean(self.value[n]))] for n in self.names]
        if len(self.names) > 1:
            vals.append([float(np.mean(self.all))])
        notes = list(self.notes) + [f"left out: {k} ({v})" for k, v in self.left_out.items()]
        return table("EVPI of chance events (clairvoyance before choosing)", "event", rows, ["EVPI"], vals,
                     [self.unit], notes)

    def to_dict(self) -> dict[str, Any]:
        """{unit, evpi: {event: value}, evpi_all, left_out: {event: why}, notes}: the EVPI keys of
        `juncture voi --json` (values are means when computed at several parameter vectors)."""
        return {"unit": self.unit, "evpi": {k: _num(np.mean(v)) for k, v in self.value.items()},
                "evpi_all": _num(np.mean(self.all)), "left_out": dict(self.left_out), "notes": list(self.notes)}


def evpi_events(model: Model, theta: np.ndarray | None = None, names: Sequence[str] | None = None,
                max_configs: int = MAX_CONFIGS) -> EventEVPI:
    """EVPI of each option-independent chance event and of all of them at once.

    theta: one parameter vector [P] or several [S, P] (default: the point values).
    names: the events or chance names to consider (default: every one that can be a target).
    """
    th = model.params.point[None, :] if theta is None else np.atleast_2d(np.asarray(theta, dtype=float))
    if th.shape[1] != model.n_params:
        raise ValueError(f"evpi_events(): theta has {th.shape[1]} parameters per row; the model has {model.n_params}")
    targets, left = _targets(model, branch_probabilities(model, th))
    if names is not None:
        known = set(targets) | set(left)
        for nm in names:
            if nm not in known:
                raise ValueError(f"evpi_events(): no chance event {nm!r} (events: {', '.join(sorted(known)) or 'none'})")
        chosen = [nm for nm in names if nm in targets]
    else:
        chosen = list(targets)
    late = _under_a_later_decision(model)
    value: dict[str, np.ndarray] = {}
    for nm in chosen:
        order = _closure(targets, [nm])
        if _learnt_late(targets, order, [nm], late):
            left[nm] = ("depends on other events, and later decisions would learn them too: "
                        "not computed")
            continue
        n_cfg = math.prod(len(targets[x].states) for x in order)
        if n_cfg > max_configs:
            left[nm] = f"{n_cfg} joint states with the events it depends on (more than {max_configs})"
            continue
        w, wo = _reveal(model, th, targets, [nm])
        value[nm] = _clean(w - wo, wo)
    kept = tuple(value)
    notes = [f"computed at {'the point values' if theta is None else f'{th.shape[0]} parameter vector(s)'}"]
    all_ = np.zeros(th.shape[0])
    if kept:
        order = _closure(targets, kept)
        n_cfg = math.prod(len(targets[x].states) for x in order)
        if n_cfg > max_configs:
            all_ = np.full(th.shape[0], np.nan)
            notes.append(f"all at once: {n_cfg} joint states (more than {max_configs}): not computed")
        elif _learnt_late(targets, order, kept, late):
            all_ = np.full(th.shape[0], np.nan)
            notes.append("all at once: not computed (events depend on unrevealed ones and later decisions exist)")
        else:
            w, wo = _reveal(model, th, targets, list(kept))
            all_ = _clean(w - wo, wo)
    else:
        notes.append("no chance event can be revealed before choosing: EVPI of events is 0")
    if model.risk_tolerance is not None:
        notes.append("exponential utility: certainty equivalent with the information minus without "
                     "(exactly the most one would pay for it)")
    return EventEVPI(names=kept, value=value, all=all_, left_out=left, unit=value_unit(model), notes=tuple(notes))


# ---------------------------------------------------------------------------- parameter uncertainty
def _log_mean_exp(z: np.ndarray, axis: int = 0) -> np.ndarray:
    """ln of the mean of exp(z) along `axis`, without overflow."""
    top = np.max(z, axis=axis, keepdims=True)
    return np.squeeze(top, axis=axis) + np.log(np.mean(np.exp(z - top), axis=axis))


def _expected_ce(v: np.ndarray, r: float | None) -> np.ndarray:
    """Certainty equivalent of the equally likely values v along axis 0 (value units): their
    mean when risk-neutral, else -R ln E[exp(-v / R)], taken in log space (no overflow)."""
    return v.mean(axis=0) if r is None else -r * _log_mean_exp(-v / r)


def _preposterior(chosen: np.ndarray, at_best: np.ndarray, r: float | None) -> tuple[float, float, float]:
    """(EVPI, its standard error, the value without information) from the per-sample value
    (value units) of the option chosen with the information, chosen[S], and of the option best
    on average, at_best[S]: E_CE[chosen] - E_CE[at_best].

    The error is the delta-method standard error of the paired difference on the utility scale
    (for Latin hypercube draws it overstates the error); under exponential utility the terms
    are R exp(z - ln E exp(z)), z = -v / R, which are scale free and never overflow."""
    n = len(chosen)
    e_with, e_no = float(_expected_ce(chosen, r)), float(_expected_ce(at_best, r))
    value = float(_clean(np.array(e_with - e_no), np.array(e_no)))
    if r is None:
        d = chosen - at_best
    else:
        zc, zb = -chosen / r, -at_best / r
        d = r * (np.exp(zb - _log_mean_exp(zb)) - np.exp(zc - _log_mean_exp(zc)))
    se = float(d.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan
    return value, se, e_no


def evpi_parameters(mc: MonteCarlo) -> tuple[float, float]:
    """(EVPI, standard error): the value of resolving every uncertain number before choosing,
    E[max_o U_o] - max_o E[U_o] over the draws, in value units (certainty equivalents under
    exponential utility, taken in log space). The error is the delta-method standard error of
    the paired difference (for Latin hypercube draws it overstates the error)."""
    v = mc.value
    r = mc.model.risk_tolerance
    star = int(np.argmax(_expected_ce(v, r)))
    value, se, _ = _preposterior(v.max(axis=1), v[:, star], r)
    return value, se


def _rank_scores(x: np.ndarray) -> np.ndarray:
    """x[S] -> scores in (-1, 1) by rank (ties share the mean rank)."""
    order = np.argsort(x, kind="stable")
    ranks = np.empty(len(x))
    ranks[order] = np.arange(len(x))
    xs = x[order]
    # ties: average rank, so equal values get equal scores
    starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
    if len(starts) < len(x):
        ends = np.r_[starts[1:], len(x)]
        mean_rank = (starts + ends - 1) / 2.0
        ranks[order] = np.repeat(mean_rank, ends - starts)
    return 2.0 * (ranks + 0.5) / len(x) - 1.0


def _spline_basis(z: np.ndarray, knots: int = 4) -> np.ndarray:
    """Cubic regression spline of scores z in (-1, 1): z, z^2, z^3 and (z - k)_+^3 at interior
    knots (quantiles of z)."""
    cols = [z, z * z, z ** 3]
    for k in np.quantile(z, np.linspace(0, 1, knots + 2)[1:-1]):
        cols.append(np.clip(z - k, 0.0, None) ** 3)
    return np.column_stack(cols)


def _fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least-squares fit of y[S, O] on the columns of x[S, k] plus an intercept: fitted values.

    Normal equations with a ridge of 1e-10 of the mean diagonal (the columns are scores in
    [-1, 1] and their powers, so they are well scaled): an order of magnitude faster than an
    SVD or QR solve here, and a rank-deficient design still solves."""
    xx = np.column_stack([np.ones(x.shape[0]), x])
    gram = xx.T @ xx
    gram[np.diag_indices_from(gram)] += 1e-10 * np.trace(gram) / len(gram)
    coef = np.linalg.solve(gram, xx.T @ y)
    return xx @ coef


def _design(theta: np.ndarray, idx: Sequence[int], scores: dict[int, np.ndarray] | None = None) -> np.ndarray:
    """Regression design for the parameters idx: an additive cubic spline in each, plus the
    pairwise products of their scores for a group (scores: a cache of rank scores by index)."""
    scores = {} if scores is None else scores
    for i in idx:
        if i not in scores:
            scores[i] = _rank_scores(theta[:, i])
    zs = [scores[i] for i in idx if np.ptp(theta[:, i]) > 0]
    if not zs:
        return np.zeros((theta.shape[0], 0))
    cols = [_spline_basis(z) for z in zs]
    for a, b in itertools.combinations(range(len(zs)), 2):
        cols.append((zs[a] * zs[b])[:, None])
    return np.column_stack(cols)


def _binned(theta: np.ndarray, i: int, y: np.ndarray, bins: int) -> np.ndarray:
    """Bin means of y[S, O] over equal-count bins of parameter i, as fitted values."""
    order = np.argsort(theta[:, i], kind="stable")
    out = np.empty_like(y)
    for chunk in np.array_split(order, bins):
        out[chunk] = y[chunk].mean(axis=0)
    return out


@dataclass(frozen=True, eq=False, repr=False)
class EVPPI(Result):
    """Expected value of partial perfect information per parameter and per group, ranked.

    names[K] (parameters then groups, each block largest first), value[K], se[K] (sampling
    error only: the regression's own error is not included), kind[K] ('parameter' or 'group');
    groups: group name -> member parameter names. In `unit`.
    """

    names: tuple[str, ...]
    value: np.ndarray
    se: np.ndarray
    kind: tuple[str, ...]
    groups: dict[str, tuple[str, ...]]
    method: str
    unit: str
    n: int
    phrases: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def parameters(self) -> dict[str, float]:
        return {n: float(v) for n, v, k in zip(self.names, self.value, self.kind) if k == "parameter"}

    def group_values(self) -> dict[str, float]:
        return {n: float(v) for n, v, k in zip(self.names, self.value, self.kind) if k == "group"}

    def __repr__(self) -> str:
        return self.table().to_text()

    def table(self, top: int | None = None) -> Table:
        idx = list(range(len(self.names)))
        if top is not None:
            par = [i for i in idx if self.kind[i] == "parameter"][:top]
            idx = par + [i for i in idx if self.kind[i] == "group"]
        rows = [self.names[i] for i in idx]
        vals = [[self.kind[i], self.phrases[i] if self.phrases else "", float(self.value[i]), float(self.se[i])]
                for i in idx]
        notes = [f"{self.n:,} samples; estimator: {self.method}; se: sampling error only", *self.notes]
        if top is not None and len(idx) < len(self.names):
            notes.append(f"{len(self.names) - len(idx)} parameters with smaller values not shown")
        return table("EVPPI: value of learning one parameter (or group) before choosing", "parameter", rows,
                     ["kind", "phrase", "EVPPI", "se"], vals, ["", "", self.unit, self.unit], notes)

    def to_dict(self) -> dict[str, Any]:
        """{unit, method, samples, evppi: {parameter: value}, evppi_se, evppi_groups, groups, notes},
        named as in `juncture voi --json`."""
        return {"unit": self.unit, "method": self.method, "samples": self.n,
                "evppi": {k: _num(v) for k, v in self.parameters().items()},
                "evppi_se": {n: _num(s) for n, s, k in zip(self.names, self.se, self.kind) if k == "parameter"},
                "evppi_groups": {k: _num(v) for k, v in self.group_values().items()},
                "groups": {k: list(v) for k, v in self.groups.items()}, "notes": list(self.notes)}


def default_groups(model: Model, idx: Sequence[int]) -> dict[str, tuple[str, ...]]:
    """Natural groups among the parameters idx: each event's probabilities, each event's state
    impacts, each option's impacts, the criteria weights, and each factor's numbers (those with
    at least two members)."""
    names = [model.params.names[i] for i in idx]
    out: dict[str, list[str]] = {}
    for nm in names:
        parts = nm.split(".")
        if (parts[0] == "events" and len(parts) > 3) or (parts[0] == "options" and len(parts) > 2):
            key = ".".join(parts[:3])
        elif parts[0] == "criteria":
            key = "criteria.weights"
        else:
            continue
        out.setdefault(key, []).append(nm)
    facs = getattr(model.scenario, "factors", None) or {}
    for fid, fac in facs.items():
        members = [model.params.names[model.params.index(n)] for n in fac.drives]
        out[f"factors.{fid}"] = [m for m in members if m in names]
    return {k: tuple(v) for k, v in out.items() if len(v) >= 2}


def _members(model: Model, spec: Sequence[str]) -> list[int]:
    """Parameter indices named in spec: full names, or prefixes ending at a '.' boundary."""
    out: list[int] = []
    names = model.params.names
    for s in spec:
        if s in model.params.aliases:
            out.append(model.params.index(s))
            continue
        hit = [i for i, n in enumerate(names) if n.startswith(s + ".")]
        if not hit:
            raise ValueError(f"evppi(): group member {s!r} names no parameter and is no prefix of one")
        out.extend(hit)
    return list(dict.fromkeys(out))


def evppi(mc: MonteCarlo, params: Sequence[str | int] | None = None,
          groups: dict[str, Sequence[str]] | None = None, method: str = "regression",
          bins: int | None = None) -> EVPPI:
    """EVPPI of each parameter and each group from a Monte Carlo run made with keep_theta=True.

    method: 'regression' (each option's utility regressed on a cubic spline of the parameter's
    rank score; a group adds the pairwise products of its members' scores) or 'binning'
    (means over equal-count bins of the parameter; `bins` default sqrt(n), single parameters
    only). Both estimate E_theta_i[max_o E(U_o | theta_i)] - max_o E(U_o) and carry an upward bias
    of the order (basis size or bins) / n from fitting noise.
    params: default every uncertain number that enters the evaluation.
    groups: name -> parameter names or name prefixes (default: `default_groups`; {} for none).
    """
    if mc.theta is None:
        raise ValueError("evppi(): the Monte Carlo run kept no draws; run simulate(..., keep_theta=True)")
    if method not in ("regression", "binning"):
        raise ValueError(f"evppi(): method must be 'regression' or 'binning'; got {method!r}")
    model = mc.model
    from .sensitivity import resolve

    idx = resolve(model, params, fn="evppi")
    unc = set(model.params.uncertain.tolist())
    idx = np.array([i for i in idx if i in unc], dtype=np.intp)
    grp = default_groups(model, idx) if groups is None else {k: tuple(v) for k, v in groups.items()}
    v = mc.value
    r = model.risk_tolerance
    # conditional means are fitted on a utility scale: under exponential utility each option's
    # -exp(-(v - m) / R) with m its own worst value, which lies in [-1, 0) and cannot overflow
    low = v.min(axis=0)
    y = v if r is None else -np.exp(-(v - low) / r)
    n = y.shape[0]
    nb = bins or max(2, round(math.sqrt(n)))

    lo_y, hi_y = y.min(axis=0), y.max(axis=0)

    def one(fitted: np.ndarray) -> tuple[float, float]:
        # a conditional mean lies within the range of what it averages: a spline that overshoots
        # near the ends of the data is clipped back (it would otherwise invent value); both terms
        # are then read from the same fitted values, so the estimate is never below 0
        fitted = np.clip(fitted, lo_y, hi_y)
        ce = fitted if r is None else low - r * np.log(np.maximum(-fitted, np.finfo(float).tiny))  # value units
        best = int(np.argmax(_expected_ce(ce, r)))
        val, se, _ = _preposterior(ce.max(axis=1), ce[:, best], r)
        return max(val, 0.0), se

    cache: dict[int, np.ndarray] = {}
    rows: list[tuple[str, float, float, str]] = []
    for i in idx:
        if method == "binning":
            fitted = _binned(mc.theta, int(i), y, nb)
        else:
            x = _design(mc.theta, [int(i)], cache)
            fitted = _fit(x, y) if x.shape[1] else np.broadcast_to(y.mean(axis=0), y.shape)
        val, se = one(fitted)
        rows.append((model.params.names[i], val, se, "parameter"))
    rows.sort(key=lambda r: -r[1])
    grows: list[tuple[str, float, float, str]] = []
    notes = []
    for gname, spec in grp.items():
        members = _members(model, spec)
        x = _design(mc.theta, members, cache)
        if x.shape[1] >= n // 4:
            notes.append(f"group {gname}: {x.shape[1]} regression terms are too many for {n:,} samples; "
                         "not estimated (draw more samples)")
            continue
        fitted = _fit(x, y) if x.shape[1] else np.broadcast_to(y.mean(axis=0), y.shape)
        val, se = one(fitted)
        grows.append((gname, val, se, "group"))
    grows.sort(key=lambda r: -r[1])
    allr = rows + grows
    if method == "binning" and grp:
        notes.append("groups are estimated by regression even with the binning method")
    return EVPPI(names=tuple(r[0] for r in allr), value=np.array([r[1] for r in allr]),
                 se=np.array([r[2] for r in allr]), kind=tuple(r[3] for r in allr),
                 groups={k: tuple(model.params.names[i] for i in _members(model, s)) for k, s in grp.items()},
                 method=method, unit=value_unit(model), n=n,
                 phrases=tuple(describe(model, r[0]) if r[3] == "parameter" else "" for r in allr),
                 notes=tuple(notes))


# ---------------------------------------------------------------------------- sample information
@dataclass(frozen=True, eq=False, repr=False)
class SampleInformation(Result):
    """EVSI of an information-gathering option: its value with its own cost removed (the payoff
    paid on entering it; an option with none costs 0) minus the best value without it (or
    `versus`'s), in `unit`. value, free, without: [S] per parameter vector; cost: the parameters
    set to 0 (empty when the option has no cost on its own branch)."""

    option: str
    versus: str | None
    value: np.ndarray
    free: np.ndarray
    without: np.ndarray
    cost: tuple[str, ...]
    unit: str

    def __repr__(self) -> str:
        return self.table().to_text()

    @property
    def note(self) -> str:
        """What was taken as the option's own cost."""
        if not self.cost:
            return "no cost on its own branch (nothing set to 0)"
        return f"its own cost: {', '.join(self.cost)} set to 0"

    def table(self) -> Table:
        return table(f"EVSI of {self.option}", "option", [self.option],
                     ["EVSI", "value without its cost", "best without it" if self.versus is None else f"value of {self.versus}"],
                     [[float(np.mean(self.value)), float(np.mean(self.free)), float(np.mean(self.without))]],
                     [self.unit] * 3, [self.note])

    def to_dict(self) -> dict[str, Any]:
        """The `evsi` block of `juncture voi --evsi OPTION --json` (means over the parameter
        vectors), with the unit and the option compared against."""
        return {"option": self.option, "versus": self.versus, "unit": self.unit, "value": _num(np.mean(self.value)),
                "without_its_cost": _num(np.mean(self.free)), "best_without_it": _num(np.mean(self.without)),
                "cost": list(self.cost)}


def evsi(model: Model, option: str, versus: str | None = None, theta: np.ndarray | None = None) -> SampleInformation:
    """Expected value of sample information of `option` (e.g. 'test' in the oil wildcatter): the
    option's certainty equivalent with its own cost (payoffs on the branch into it) set to 0, minus
    the best other option's (or `versus`'s), at the point values or at each row of theta.

    The option must lead to a chance node (what is learnt) and then to a later decision of the
    decision maker's (one that can use it), and its cost must not share a number with another
    part of the model (setting it to 0 would change that part too). An option with no payoff on
    its own branch costs nothing: its EVSI is then its value minus the best other option's."""
    if option not in model.options:
        raise ValueError(f"evsi(): no option {option!r} (options: {', '.join(model.options)})")
    if versus is not None and (versus not in model.options or versus == option):
        raise ValueError(f"evsi(): versus must be another option; got {versus!r}")
    th = model.params.point[None, :] if theta is None else np.atleast_2d(np.asarray(theta, dtype=float))
    oi = model.options.index(option)
    node = int(model.tree.first_child[0]) + oi
    mine = np.flatnonzero(model.pay_node == node)
    params = sorted({int(model.pay_param[j]) for j in mine})
    t = model.tree
    owner = model.node_owner if len(model.node_owner) == t.n else np.zeros(t.n, dtype=np.intp)
    # its later decisions, the decision maker's own (another actor's choice does not use what it learns)
    below = np.flatnonzero((t.option == oi) & (t.kind == DECISION) & (owner == 0) & (np.arange(t.n) != node))
    if not len(below) or t.kind[node] != CHANCE:
        raise ValueError(f"evsi(): {option!r} is not a way to gather information: it must lead to a chance node "
                         "(what is learnt) and then to a later decision of the decision maker's that uses it, as the "
                         "wildcatter's 'test' does")
    others = _other_param_uses(model, own_pays=set(mine.tolist()))
    shared = [p for p in params if p in others]
    if shared:
        raise ValueError(f"evsi(): the cost of {option!r} shares a number with another part of the model: "
                         + ", ".join(model.params.names[p] for p in shared))
    free_th = th.copy()
    free_th[:, params] = 0.0
    v = _values(model, th)
    vf = _values(model, free_th)
    rest = [j for j in range(len(model.options)) if j != oi]
    without = v[:, model.options.index(versus)] if versus is not None else v[:, rest].max(axis=1)
    return SampleInformation(option=option, versus=versus, value=vf[:, oi] - without, free=vf[:, oi],
                             without=without, cost=tuple(model.params.names[p] for p in params),
                             unit=value_unit(model))


# ---------------------------------------------------------------------------- everything at once
@dataclass(frozen=True, eq=False, repr=False)
class ValueOfInformation(Result):
    """EVPI of chance events (at the point values), EVPI of parameter uncertainty and EVPPI
    (from `n` Monte Carlo draws), all in `unit`."""

    scenario: str
    unit: str
    events: EventEVPI
    evpi_parameters: float
    evpi_parameters_se: float
    evppi: EVPPI
    n: int
    seed: int | None
    method: str
    risk_attitude: str
    notes: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:
        return self.table().to_text()

    def table(self, top: int | None = 15) -> Table:
        rows, vals = [], []
        for nm in self.events.names:
            rows.append(f"event: {nm}")
            vals.append([float(np.mean(self.events.value[nm])), None])
        rows.append("all events at once")
        vals.append([float(np.mean(self.events.all)), None])
        rows.append("all parameters (EVPI of parameter uncertainty)")
        vals.append([self.evpi_parameters, self.evpi_parameters_se])
        shown = 0
        for nm, v, se, k in zip(self.evppi.names, self.evppi.value, self.evppi.se, self.evppi.kind):
            if k == "parameter" and top is not None and shown >= top:
                continue
            shown += k == "parameter"
            rows.append(f"{k}: {nm}")
            vals.append([float(v), float(se)])
        drawn = (f"parameters from {self.n:,} draws ({self.method}, seed {self.seed})" if self.n
                 else "no parameter draws")
        notes = [f"events at the point values; {drawn}; {self.risk_attitude}", *self.events.notes,
                 *(f"left out: {k} ({v})" for k, v in self.events.left_out.items()), *self.notes]
        return table("Value of information", "what is learned", rows, ["value", "se"], vals, [self.unit, self.unit], notes)

    def to_dict(self) -> dict[str, Any]:
        def num(x: Any) -> float | None:
            x = float(x)
            return x if math.isfinite(x) else None
        return {
            "scenario": self.scenario, "unit": self.unit, "risk_attitude": self.risk_attitude,
            "evpi": {k: num(np.mean(v)) for k, v in self.events.value.items()},
            "evpi_all": num(np.mean(self.events.all)),
            "evpi_left_out": dict(self.events.left_out),
            "evpi_parameters": num(self.evpi_parameters), "evpi_parameters_se": num(self.evpi_parameters_se),
            "evppi": {k: num(v) for k, v in self.evppi.parameters().items()},
            "evppi_se": {n: num(s) for n, s, k in zip(self.evppi.names, self.evppi.se, self.evppi.kind) if k == "parameter"},
            "evppi_groups": {k: num(v) for k, v in self.evppi.group_values().items()},
            "groups": {k: list(v) for k, v in self.evppi.groups.items()},
            "samples": self.n, "seed": self.seed, "method": self.method,
            "notes": list(self.events.notes) + list(self.notes),
        }


def value_of_information(model: Model, n: int = 10_000, seed: int | None = DEFAULT_SEED, method: str = "random",
                         groups: dict[str, Sequence[str]] | None = None, evppi_method: str = "regression",
                         progress: bool | None = None) -> ValueOfInformation:
    """EVPI of every option-independent chance event and of all at once (at the point values),
    EVPI of parameter uncertainty with its Monte Carlo error, and EVPPI per parameter and group.

    n, seed, method: the Monte Carlo draws (`montecarlo.simulate`; seed None is the default seed
    `model.analysis.DEFAULT_SEED`). groups, evppi_method: as `evppi`'s groups and method."""
    seed = DEFAULT_SEED if seed is None else seed
    ev = evpi_events(model)
    notes = []
    if len(model.params.uncertain):
        mc = simulate(model, n, seed=seed, method=method, keep_theta=True, progress=progress)
        value, se = evpi_parameters(mc)
        pp = evppi(mc, groups=groups, method=evppi_method)
    else:
        value, se = 0.0, 0.0
        pp = EVPPI(names=(), value=np.zeros(0), se=np.zeros(0), kind=(), groups={}, method=evppi_method,
                   unit=value_unit(model), n=0)
        notes.append("every number is fixed: no parameter uncertainty to resolve")
        n = 0
    rt = model.risk_tolerance
    return ValueOfInformation(scenario=model.scenario.meta.id, unit=value_unit(model), events=ev,
                              evpi_parameters=value, evpi_parameters_se=se, evppi=pp, n=n, seed=seed,
                              method=method, notes=tuple(notes),
                              risk_attitude="risk-neutral" if rt is None else f"exponential utility, R = {rt:g}")

