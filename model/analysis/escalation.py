"""The escalation ladder: each option's probability of standing on each rung and of crossing
each threshold.

The file's `escalation:` lists rungs lowest first and places options and event states on them.
A path stands on the highest rung of its option and of the states on it; a path on which
nothing is placed stands on the lowest rung. An option's distribution over rungs is the
probability of its paths, every later choice taken as solved (actors' choices included, mixed
ones by their probabilities); a threshold `at` a rung is crossed by the paths on that rung or a
higher one. Under Monte Carlo draws of the file's numbers, `ladder_draws` gives the same per draw
and its summary the mean and a 90% interval.

The figure belongs in `model/plots` and reads a `Ladder` only: the rungs as the rows of a
ladder (lowest at the bottom, named), one column per option with a horizontal bar on each rung as
long as P(rung | option), the option's own rung marked, and each threshold a line across the
ladder under its rung labelled with every option's P(crossing) (with its 90% interval under
Monte Carlo draws).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from ..compile import Model
from ..evaluate import Evaluation, evaluate
from ..results import Result, Table, table
from . import DEFAULT_SEED

__all__ = ["Ladder", "ladder", "ladder_draws", "path_rungs", "state_levels"]


@dataclass(frozen=True, eq=False)
class Ladder(Result):
    """An escalation ladder evaluated for S samples of the file's numbers.

    rungs[R] lowest first; thresholds[T] with at[T] (rung index); options[O].
    distribution[S, O, R]: P(the path stands on rung r | option); crossing[S, O, T]: P(the path
    reaches the threshold's rung or higher | option). option_rung[O]: the rung the option itself
    stands on (-1 when not placed).
    """

    rungs: tuple[str, ...]
    rung_names: tuple[str, ...]
    thresholds: tuple[str, ...]
    at: tuple[int, ...]
    options: tuple[str, ...]
    option_rung: tuple[int, ...]
    distribution: np.ndarray
    crossing: np.ndarray

    @property
    def n_samples(self) -> int:
        return self.distribution.shape[0]

    def to_table(self, sample: int | None = None) -> Table:
        """The same as `table()` (the name it had first)."""
        return self.table(sample)

    def table(self, sample: int | None = None) -> Table:
        """Option x (rungs, thresholds): at one sample, or the mean over samples (with the 5th-95th
        percentile interval of each threshold when there are several)."""
        if sample is None and self.n_samples == 1:
            sample = 0
        if sample is not None:
            d, c = self.distribution[sample], self.crossing[sample]
        else:
            d, c = self.distribution.mean(axis=0), self.crossing.mean(axis=0)
        cols = [f"P({r})" for r in self.rungs] + [f"P(cross {t})" for t in self.thresholds]
        vals = np.concatenate([d, c], axis=1).tolist()
        notes = [("a path stands on the highest rung of its option and of the event states on it (the lowest "
                  "rung when nothing on it is placed); a threshold is crossed at its rung or above"),
                 "thresholds: " + "; ".join(f"{t} at {self.rungs[a]}" for t, a in zip(self.thresholds, self.at))]
        if sample is None:
            lo, hi = np.percentile(self.crossing, [5, 95], axis=0)
            cols += [f"cross {t} 90%" for t in self.thresholds]
            vals = [v + [f"[{lo[i, j]:.3f}, {hi[i, j]:.3f}]" for j in range(len(self.thresholds))]
                    for i, v in enumerate(vals)]
            notes.insert(0, f"mean over {self.n_samples} Monte Carlo draws; 90%: 5th to 95th percentile")
        rows = [f"{o} ({self.rungs[r]})" if r >= 0 else o for o, r in zip(self.options, self.option_rung)]
        return table("Escalation ladder", "option (its rung)", rows, cols, vals, notes=notes)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rungs": list(self.rungs),
                               "thresholds": {t: self.rungs[a] for t, a in zip(self.thresholds, self.at)},
                               "samples": self.n_samples, "options": {}}
        for i, o in enumerate(self.options):
            rec: dict[str, Any] = {
                "rung": self.rungs[self.option_rung[i]] if self.option_rung[i] >= 0 else None,
                "distribution": {r: float(self.distribution[:, i, k].mean()) for k, r in enumerate(self.rungs)},
                "crossing": {t: float(self.crossing[:, i, j].mean()) for j, t in enumerate(self.thresholds)}}
            if self.n_samples > 1:
                lo, hi = np.percentile(self.crossing[:, i, :], [5, 95], axis=0)
                rec["crossing_90"] = {t: [float(lo[j]), float(hi[j])] for j, t in enumerate(self.thresholds)}
            out["options"][o] = rec
        return out


def path_rungs(model: Model) -> np.ndarray:
    """The rung each node's path stands on, [N] (index into the ladder's rungs; 0 when nothing
    on the path is placed)."""
    lad = model.scenario.escalation
    if lad is None:
        raise ValueError(f"ladder(): scenario '{model.scenario.meta.id}' has no `escalation:` ladder")
    t = model.tree
    index = {g.id: i for i, g in enumerate(lad.rungs)}
    own = np.full(t.n, -1, dtype=np.intp)
    for o, g in lad.options.items():
        if o in model.options:
            own[t.first_child[0] + model.options.index(o)] = index[g]
    by_state = {model.states.index(tuple(k.split(".", 1))): index[g] for k, g in lad.states.items()
                if tuple(k.split(".", 1)) in model.states}
    if by_state:
        lut = np.full(len(model.states), -1, dtype=np.intp)
        for k, g in by_state.items():
            lut[k] = g
        has = t.state >= 0
        own[has] = np.maximum(own[has], lut[t.state[has]])
    rung = own.copy()
    for start, stop in t.levels[1:]:
        rung[start:stop] = np.maximum(rung[start:stop], rung[t.parent[start:stop]])
    return np.maximum(rung, 0)


def ladder(ev: Evaluation) -> Ladder:
    """The ladder for every sample of an evaluation (made with keep_nodes=True, which `point` does)."""
    m = ev.model
    lad = m.scenario.escalation
    if lad is None:
        raise ValueError(f"ladder(): scenario '{m.scenario.meta.id}' has no `escalation:` ladder")
    if ev.reach is None:
        raise ValueError("ladder(): the evaluation has no reach: evaluate with keep_nodes=True")
    t = m.tree
    leaves = t.leaves
    rung = path_rungs(m)[leaves]
    nr, no = len(lad.rungs), len(m.options)
    agg = sparse.csr_matrix((np.ones(len(leaves)), (np.arange(len(leaves)), t.option[leaves] * nr + rung)),
                            shape=(len(leaves), no * nr))
    dist = np.asarray(ev.reach[:, leaves] @ agg).reshape(ev.n_samples, no, nr)
    index = {g.id: i for i, g in enumerate(lad.rungs)}
    at = tuple(index[th.at] for th in lad.thresholds)
    above = np.cumsum(dist[:, :, ::-1], axis=2)[:, :, ::-1]          # P(rung >= r)
    crossing = above[:, :, list(at)] if at else np.zeros((ev.n_samples, no, 0))
    opt_rung = tuple(index[lad.options[o]] if o in lad.options else -1 for o in m.options)
    return Ladder(rungs=tuple(g.id for g in lad.rungs), rung_names=tuple(g.name or g.id for g in lad.rungs),
                  thresholds=tuple(th.id for th in lad.thresholds), at=at, options=m.options,
                  option_rung=opt_rung, distribution=dist, crossing=crossing)


def ladder_draws(model: Model, n: int, seed: int | None = DEFAULT_SEED, method: str = "random") -> Ladder:
    """The ladder under n Monte Carlo draws of the file's numbers (`sampling.draw`; seed None is
    the default seed `model.analysis.DEFAULT_SEED`, as everywhere)."""
    from .sampling import draw

    theta = draw(model, n, seed=DEFAULT_SEED if seed is None else seed, method=method)
    return ladder(evaluate(model, theta, keep_nodes=True))


def state_levels(scenario: Any) -> dict[str, float]:
    """Each event state's place from calm (0) to escalation (1), keyed 'event.state': what the
    figures colour states by, so that a state has one colour in every figure.

    An event's states are placed by the first of these that tells them all apart:
    1. the escalation ladder: a state on rung k of R sits at k / (R - 1); a state the ladder does
       not place adds nothing to a path's rung and sits at 0 (calm);
    2. severity: a state a risk's condition names is on the escalation half of the scale, at
       0.5 + (severity - 1) / 8 for the largest severity (1-5) of the risks naming it (1 at
       severity 5); a state no risk names sits at 0;
    3. otherwise their rank, spread evenly from 0 (calmest) to 1: by the two places above, then
       whether a risk names the state at all (a risk whose severity the model derives,
       `severity_from`, still marks its states as the bad ones), then the order in the file.
    """
    esc = getattr(scenario, "escalation", None)
    rung: dict[str, float] = {}
    if esc is not None and esc.rungs:
        index = {r.id: k for k, r in enumerate(esc.rungs)}
        top = max(len(esc.rungs) - 1, 1)
        rung = {key: index[r] / top for key, r in esc.states.items() if r in index}
    severe: dict[str, float] = {}
    named: set[str] = set()
    for risk in scenario.risks:
        sev = getattr(risk.severity, "point", None) if risk.severity is not None else None
        for e, states in risk.when.items():
            for st in (states,) if isinstance(states, str) else states:
                key = f"{e}.{st}"
                named.add(key)
                if sev is not None:
                    level = 0.5 + min(max((float(sev) - 1.0) / 8.0, 0.0), 0.5)
                    severe[key] = max(severe.get(key, 0.0), level)
    out: dict[str, float] = {}
    for e in scenario.events:
        keys = [f"{e.id}.{s}" for s in e.states]
        by_rung = [rung.get(k, 0.0) for k in keys]
        by_severity = [severe.get(k, 0.0) for k in keys]
        if any(k in rung for k in keys) and len(set(by_rung)) == len(keys):
            levels = by_rung
        elif any(k in severe for k in keys) and len(set(by_severity)) == len(keys):
            levels = by_severity
        else:
            order = sorted(range(len(keys)), key=lambda i: (by_rung[i], by_severity[i], keys[i] in named, i))
            step = 1.0 / max(len(keys) - 1, 1)
            levels = [0.0] * len(keys)
            for place, i in enumerate(order):
                levels[i] = place * step
        out.update(zip(keys, levels))
    return out
