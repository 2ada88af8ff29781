"""Deterministic sensitivity: tornado, spider, two-way strategy regions and thresholds.

Each analysis sets the parameter vector (every number at its point value but the ones it moves),
calls `model.evaluate.evaluate` on all the rows at once, and reads the utilities.

Moving one number alone has knock-on effects written into the model, not into this module:
- a probability: the rest of its table row adjusts so that the moved value is the probability
  the tree uses. With an `otherwise` entry, that entry takes 1 minus the others (if the others
  exceed 1 they are scaled down and it takes 0: `Thresholds` reports the value used as
  `effective`); in a row without `otherwise` the other entries are scaled by (1 - x) / (their
  sum), keeping their proportions (`hold_rows`).
- a criterion weight: the weights are renormalised to sum to 1.

Parameters are named as in the file (`model.io.paths`), e.g.
`events.russia_response.probability.special_operation.direct_support`; `describe` turns a name
into a phrase such as "P(russia_response = direct_support | special_operation)".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize

from ..compile import CHANCE, Model
from ..evaluate import branch_probabilities, evaluate, tie_width, weights
from ..results import Result, Table, table
from .montecarlo import utility_unit, value_unit

MEASURES = ("utility", "certainty_equivalent")

PROBABILITY_NOTE = ("a probability moved alone: the rest of its row adjusts (the `otherwise` entry takes "
                    "1 minus the others; in a row without `otherwise` the others keep their proportions)")
WEIGHT_NOTE = "a weight moved alone: the weights are renormalised to sum to 1"


# ---------------------------------------------------------------------------- names and phrases
PARAMETER_INDEX_ARRAYS = ("weight_param", "entry_param", "pay_param", "apay_param", "acw_param")
"""The `Model` fields that hold parameter indices (-1: none), i.e. every way a number of the file
enters `evaluate`: criteria weights, probability-table entries, the decision maker's payoffs, other
players' payoffs and their criteria weights. Listed, not discovered: a new index array in
`model.compile.Model` must be added here (a test compares this list with the Model's fields)."""


def parameter_uses(model: Model, skip: Sequence[str] = ()) -> set[int]:
    """Indices of the parameters referenced by the index arrays of PARAMETER_INDEX_ARRAYS, but
    those named in `skip`."""
    used: set[int] = set()
    for name in PARAMETER_INDEX_ARRAYS:
        if name not in skip:
            arr = np.asarray(getattr(model, name))
            used.update(int(i) for i in arr[arr >= 0])
    return used


def used_parameters(model: Model) -> np.ndarray:
    """Indices of the parameters that enter the evaluation (probabilities of the tree, payoffs,
    weights, players' payoffs and weights: PARAMETER_INDEX_ARRAYS); signal follow-through, risk
    severity and the like are left out."""
    return np.array(sorted(parameter_uses(model)), dtype=np.intp)


def resolve(model: Model, params: Sequence[str | int] | None, default: str = "uncertain",
            fn: str = "resolve") -> np.ndarray:
    """Parameter indices from names (or indices); None gives the default set: 'uncertain' (used
    and not fixed) or 'used' (every number that enters the evaluation)."""
    if params is None:
        used = used_parameters(model)
        if default == "used":
            return used
        unc = set(model.params.uncertain.tolist())
        return np.array([i for i in used if i in unc], dtype=np.intp)
    out = []
    for p in params:
        if isinstance(p, (int, np.integer)) and not isinstance(p, bool):
            if not 0 <= p < model.n_params:
                raise ValueError(f"{fn}(): parameter index {p} is out of range (the model has {model.n_params})")
            out.append(int(p))
            continue
        try:
            out.append(model.params.index(str(p)))
        except KeyError:
            from ..io.errors import did_you_mean

            raise ValueError(f"{fn}(): no parameter named {p!r}{did_you_mean(str(p), model.params.names)}") from None
    return np.array(out, dtype=np.intp)


def describe(model: Model, name: str) -> str:
    """A phrase for a parameter name: 'P(russia_response = direct_support | special_operation)',
    'cost of strikes', 'cost if russia_response = direct_support', 'weight of cost',
    'P(court = high | counteroffer_5bn, refuses)', 'payoff at counteroffer_5bn/accepts',
    "militia's payoff if militia_mobilisation = mobilised".
    Names it does not know come back unchanged."""
    parts = name.split(".")
    sc = model.scenario
    try:
        if parts[0] == "events" and len(parts) >= 4 and parts[2] == "probability":
            ev = sc.event(parts[1])
            conds = parts[3:-1]
            given = []
            for dep, val in zip(ev.depends_on, conds):
                if val == "*":
                    continue
                given.append(val if dep == "option" else f"{dep} = {val}")
            return f"P({parts[1]} = {parts[-1]}" + (f" | {', '.join(given)})" if given else ")")
        if parts[0] == "events" and len(parts) == 6 and parts[2] == "states" and parts[4] == "impacts":
            return f"{parts[5]} if {parts[1]} = {parts[3]}"
        if parts[0] == "options" and len(parts) == 4 and parts[2] == "impacts":
            return f"{parts[3]} of {parts[1]}"
        if parts[0] == "criteria" and len(parts) == 3 and parts[2] == "weight":
            return f"weight of {parts[1]}"
        if parts[0] == "tree" and parts[-1] == "p" and len(parts) >= 3:
            path = parts[1:-2]
            chance = _tree_name(model, path)
            return f"P({chance or 'branch'} = {parts[-2]}" + (f" | {', '.join(path)})" if path else ")")
        if parts[0] == "actors" and len(parts) == 5 and parts[2] == "payoffs":
            return f"{parts[1]}'s payoff if {parts[3]} = {parts[4]}"
        if parts[0] == "actors" and len(parts) == 4 and parts[2] == "criteria_weights":
            return f"{parts[1]}'s weight on {parts[3]}"
        if parts[0] == "weight_profiles" and len(parts) == 4:
            return f"weight of {parts[3]} ({parts[1]} profile)"
        if parts[0] == "tree" and "payoff" in parts:
            k = parts.index("payoff")
            where = "/".join(parts[1:k]) or "the root"
            crit = parts[k + 1] if len(parts) > k + 1 else None
            return f"{crit + ' ' if crit else ''}payoff at {where}"
    except (StopIteration, KeyError, IndexError):
        pass
    return name


def _tree_name(model: Model, path: Sequence[str]) -> str:
    """Name of the node reached from the root by the branch labels `path` ('' if none)."""
    t = model.tree
    node = 0
    for label in path:
        kids = range(t.first_child[node], t.first_child[node] + t.n_children[node])
        node = next(k for k in kids if t.label[k] == label)
    return t.name[node] if t.kind[node] == CHANCE else ""


def parameter_unit(model: Model, i: int) -> str:
    """Unit of parameter i: 'P' for probabilities, 'weight', else the criterion's unit."""
    role = model.params.roles[i]
    if role == "probability":
        return "P"
    if role == "weight":
        return "weight"
    name = model.params.names[i].split(".")
    units = {c.id: (c.unit or "") for c in model.scenario.criteria}
    if name[-1] in units:
        return units[name[-1]]
    if role == "payoff" and len(units) == 1:
        return next(iter(units.values()))
    return ""


def _notes_for(model: Model, idx: np.ndarray) -> list[str]:
    roles = {model.params.roles[i] for i in idx}
    out = []
    if "probability" in roles:
        out.append(PROBABILITY_NOTE)
    if "weight" in roles:
        out.append(WEIGHT_NOTE)
    return out


# ---------------------------------------------------------------------------- what is measured
def _metric(model: Model, ev: Any, of: str | None, versus: tuple[str, str] | None, measure: str
            ) -> tuple[np.ndarray, np.ndarray]:
    """(metric[S], best[S]): the measured quantity per row and the index of the best option."""
    x = ev.utility if measure == "utility" else ev.certainty_equivalent
    best = np.argmax(ev.preference, axis=1)       # the order of options: on certainty equivalents
    if versus is not None:
        a, b = (model.options.index(v) for v in versus)
        return x[:, a] - x[:, b], best
    if of is None:
        return x[np.arange(x.shape[0]), best], best
    return x[:, model.options.index(of)], best


def _check_target(model: Model, of: str | None, versus: Sequence[str] | None, measure: str, fn: str
                  ) -> tuple[str | None, tuple[str, str] | None]:
    if measure not in MEASURES:
        raise ValueError(f"{fn}(): measure must be one of {', '.join(MEASURES)}; got {measure!r}")
    for o in ([of] if of is not None else []) + list(versus or []):
        if o not in model.options:
            raise ValueError(f"{fn}(): no option {o!r} (options: {', '.join(model.options)})")
    if versus is not None:
        if len(versus) != 2 or versus[0] == versus[1]:
            raise ValueError(f"{fn}(): versus must name two different options; got {list(versus)!r}")
        if of is not None:
            raise ValueError(f"{fn}(): give either of= or versus=, not both")
        return None, (versus[0], versus[1])
    return of, None


def _describe_target(model: Model, of: str | None, versus: tuple[str, str] | None, measure: str) -> str:
    what = "expected utility" if measure == "utility" else "certainty equivalent"
    if versus is not None:
        return f"{what} of {versus[0]} minus {versus[1]}"
    if of is None:
        return f"{what} of the best option"
    return f"{what} of {of}"


def _unit(model: Model, measure: str) -> str:
    return utility_unit(model) if measure == "utility" else value_unit(model)


def _row_partners(model: Model) -> dict[int, np.ndarray]:
    """For each probability in a table row without `otherwise`: the other numbers of its row."""
    out: dict[int, set[int]] = {}
    ep, eg = model.entry_param, model.entry_group
    for g in np.flatnonzero(~model.group_has_rest):
        members = ep[eg == g]
        members = members[members >= 0]
        for i in members:
            out.setdefault(int(i), set()).update(int(j) for j in members if j != i)
    return {i: np.array(sorted(v), dtype=np.intp) for i, v in out.items() if v}


def hold_rows(model: Model, rows: np.ndarray, cols: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Make each moved probability the probability the model uses (in place; returns rows).

    rows[r, cols[r]] holds a moved number (cols[r] = -1: none). A probability in a row without
    `otherwise` would otherwise be renormalised with the rest of its row (x / (x + rest)), so its
    companions are scaled by (1 - x) / (their sum at base) instead: the row sums to one with x
    exactly. (A row with `otherwise` already gives x, the rest absorbing the change.)
    """
    partners = _row_partners(model)
    cols = np.asarray(cols)
    for i in np.unique(cols[cols >= 0]):
        comp = partners.get(int(i))
        if comp is None:
            continue
        total = base[comp].sum()
        if total <= 0:
            continue
        r = np.flatnonzero(cols == i)
        x = np.clip(rows[r, i], 0.0, 1.0)
        rows[np.ix_(r, comp)] = base[comp][None, :] * ((1.0 - x) / total)[:, None]
    return rows


def _base(model: Model, base: np.ndarray | None) -> np.ndarray:
    if base is None:
        return model.params.point.copy()
    b = np.asarray(base, dtype=float)
    if b.shape != (model.n_params,):
        raise ValueError(f"base must be one parameter vector of length {model.n_params}; got shape {b.shape}")
    return b.copy()


# ---------------------------------------------------------------------------- tornado
@dataclass(frozen=True, eq=False, repr=False)
class Tornado(Result):
    """One-way sensitivity: each parameter at its low and its high value, the others at base.

    Rows are sorted by swing (|at_high - at_low|), largest first. names/phrases[K]; low, high,
    base_value[K]: the parameter's values (its unit in `units`); at_low, at_high[K]: the measured
    quantity (`target`, in `unit`); base: that quantity with every parameter at base;
    best_low, best_high[K]: the best option at each end; utility_low, utility_high[K, O]: every
    option's measure at each end.
    """

    target: str
    unit: str
    options: tuple[str, ...]
    names: tuple[str, ...]
    phrases: tuple[str, ...]
    units: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray
    base_value: np.ndarray
    at_low: np.ndarray
    at_high: np.ndarray
    base: float
    best_low: tuple[str, ...]
    best_high: tuple[str, ...]
    best_base: str
    utility_low: np.ndarray
    utility_high: np.ndarray
    notes: tuple[str, ...] = ()

    @property
    def swing(self) -> np.ndarray:
        return np.abs(self.at_high - self.at_low)

    def __repr__(self) -> str:
        return self.table().to_text()

    def table(self, top: int | None = None) -> Table:
        k = len(self.names) if top is None else min(top, len(self.names))
        rows = [[self.phrases[i], self.low[i], self.high[i], self.at_low[i], self.at_high[i], self.swing[i],
                 self.best_low[i], self.best_high[i]] for i in range(k)]
        notes = [f"{self.target}; at base values {self.base:.6g} ({self.best_base} best)",
                 ("low/high: the ends of a range or a word's band, the 5th and 95th percentiles of a "
                  "distribution; the other numbers at their point values"), *self.notes]
        if k < len(self.names):
            notes.append(f"{len(self.names) - k} more parameters with smaller swings not shown")
        return table(f"Tornado: {self.target}", "parameter", self.names[:k],
                     ["phrase", "low", "high", "at low", "at high", "swing", "best at low", "best at high"],
                     rows, ["", "", "", self.unit, self.unit, self.unit, "", ""], notes)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "tornado", "target": self.target, "unit": self.unit, "base": self.base,
                "best_at_base": self.best_base, "notes": list(self.notes),
                "parameters": [{"name": n, "phrase": self.phrases[i], "unit": self.units[i],
                                "low": float(self.low[i]), "high": float(self.high[i]),
                                "point": float(self.base_value[i]), "at_low": float(self.at_low[i]),
                                "at_high": float(self.at_high[i]), "swing": float(self.swing[i]),
                                "best_at_low": self.best_low[i], "best_at_high": self.best_high[i]}
                               for i, n in enumerate(self.names)]}


def tornado(model: Model, params: Sequence[str | int] | None = None, of: str | None = None,
            versus: Sequence[str] | None = None, measure: str = "utility",
            base: np.ndarray | None = None) -> Tornado:
    """Move each parameter from its low to its high value, the others at `base` (default: point values).

    params: names or indices (default: every uncertain number that enters the evaluation).
    of: an option id, or None for the best option in each row (the value of the decision);
    versus: (a, b) to measure the difference a - b instead (its sign says which is preferred).
    measure: 'utility' (expected utility) or 'certainty_equivalent'.
    """
    of, vs = _check_target(model, of, versus, measure, "tornado")
    idx = resolve(model, params, fn="tornado")
    b = _base(model, base)
    lo, hi = model.params.low[idx], model.params.high[idx]
    k = len(idx)
    rows = np.repeat(b[None, :], 2 * k + 1, axis=0)
    rows[np.arange(k), idx] = lo
    rows[k + np.arange(k), idx] = hi
    hold_rows(model, rows, np.r_[idx, idx, -1], b)
    ev = evaluate(model, rows)
    metric, best = _metric(model, ev, of, vs, measure)
    x = ev.utility if measure == "utility" else ev.certainty_equivalent
    at_low, at_high = metric[:k], metric[k:2 * k]
    with np.errstate(invalid="ignore"):
        swing = np.abs(at_high - at_low)
    # a swing between two utilities below the float range (-inf) is unknown: listed last
    order = np.argsort(-np.where(np.isnan(swing), -1.0, swing), kind="stable")
    names = tuple(model.params.names[i] for i in idx[order])
    opts = model.options
    notes = _notes_for(model, idx)
    if not k:
        notes.append("no uncertain numbers enter the evaluation: name parameters to move, or give "
                     "numbers ranges")
    return Tornado(target=_describe_target(model, of, vs, measure), unit=_unit(model, measure), options=opts,
                   names=names, phrases=tuple(describe(model, n) for n in names),
                   units=tuple(parameter_unit(model, i) for i in idx[order]),
                   low=lo[order], high=hi[order], base_value=b[idx][order], at_low=at_low[order],
                   at_high=at_high[order], base=float(metric[-1]),
                   best_low=tuple(opts[i] for i in best[:k][order]),
                   best_high=tuple(opts[i] for i in best[k:2 * k][order]), best_base=opts[best[-1]],
                   utility_low=x[:k][order], utility_high=x[k:2 * k][order], notes=tuple(notes))


# ---------------------------------------------------------------------------- spider
@dataclass(frozen=True, eq=False, repr=False)
class Spider(Result):
    """The measured quantity as each parameter moves across its range, the others at base.

    values[K, M]: the parameter's values (M points from low to high); at[K, M]: the measure;
    utility[K, M, O]: every option's measure; position[M]: 0 (low) to 1 (high).
    """

    target: str
    unit: str
    options: tuple[str, ...]
    names: tuple[str, ...]
    phrases: tuple[str, ...]
    position: np.ndarray
    values: np.ndarray
    at: np.ndarray
    utility: np.ndarray
    base: float
    notes: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return self.table().to_text()

    def table(self) -> Table:
        cols = [f"{100 * p:.0f}%" for p in self.position]
        return table(f"Spider: {self.target}", "parameter", self.names, cols, self.at, [self.unit] * len(cols),
                     [(f"columns: position of the parameter in its range, 0% its low value, 100% its high; "
                       f"at base values {self.base:.6g}"), *self.notes])

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "spider", "target": self.target, "unit": self.unit, "base": self.base,
                "position": self.position.tolist(), "notes": list(self.notes),
                "parameters": {n: {"phrase": self.phrases[i], "values": self.values[i].tolist(),
                                   "at": self.at[i].tolist(),
                                   "options": {o: self.utility[i, :, j].tolist() for j, o in enumerate(self.options)}}
                               for i, n in enumerate(self.names)}}


def spider(model: Model, params: Sequence[str | int] | None = None, points: int = 11, of: str | None = None,
           versus: Sequence[str] | None = None, measure: str = "utility",
           base: np.ndarray | None = None) -> Spider:
    """Each parameter at `points` values evenly spaced from its low to its high value, the others
    at base; arguments as for `tornado`."""
    of, vs = _check_target(model, of, versus, measure, "spider")
    if points < 2:
        raise ValueError(f"spider(): points must be at least 2; got {points}")
    idx = resolve(model, params, fn="spider")
    b = _base(model, base)
    pos = np.linspace(0.0, 1.0, points)
    lo, hi = model.params.low[idx], model.params.high[idx]
    vals = lo[:, None] + pos[None, :] * (hi - lo)[:, None]                 # [K, M]
    k = len(idx)
    rows = np.repeat(b[None, :], k * points + 1, axis=0)
    rows[np.arange(k * points), np.repeat(idx, points)] = vals.ravel()
    hold_rows(model, rows, np.r_[np.repeat(idx, points), -1], b)
    ev = evaluate(model, rows)
    metric, _ = _metric(model, ev, of, vs, measure)
    x = ev.utility if measure == "utility" else ev.certainty_equivalent
    names = tuple(model.params.names[i] for i in idx)
    return Spider(target=_describe_target(model, of, vs, measure), unit=_unit(model, measure),
                  options=model.options, names=names, phrases=tuple(describe(model, n) for n in names),
                  position=pos, values=vals, at=metric[:-1].reshape(k, points),
                  utility=x[:-1].reshape(k, points, len(model.options)), base=float(metric[-1]),
                  notes=tuple(_notes_for(model, idx)))


# ---------------------------------------------------------------------------- two-way
@dataclass(frozen=True, eq=False, repr=False)
class TwoWay(Result):
    """The preferred option over a grid of two parameters (a strategy-region map).

    x, y: the two parameter names; x_values[NX], y_values[NY]; utility[NX, NY, O]: expected
    utility of every option; best[NX, NY]: index of the preferred option (the first when tied);
    tied[NX, NY]: True where another option ties it.
    """

    x: str
    y: str
    x_phrase: str
    y_phrase: str
    options: tuple[str, ...]
    x_values: np.ndarray
    y_values: np.ndarray
    utility: np.ndarray
    best: np.ndarray
    tied: np.ndarray
    base: tuple[float, float]
    notes: tuple[str, ...] = ()

    def shares(self) -> dict[str, float]:
        """Share of the grid where each option is preferred."""
        return {o: float((self.best == i).mean()) for i, o in enumerate(self.options)}

    def __repr__(self) -> str:
        return self.table().to_text()

    def table(self) -> Table:
        """Rows: y values (high to low, as on a map); columns: x values; cells: the preferred option."""
        rows = [f"{v:.4g}" for v in self.y_values[::-1]]
        cols = [f"{v:.4g}" for v in self.x_values]
        cells = [[self.options[self.best[i, j]] + ("=" if self.tied[i, j] else "") for i in range(len(self.x_values))]
                 for j in range(len(self.y_values))[::-1]]
        return table(f"Preferred option: {self.y_phrase} (rows) x {self.x_phrase} (columns)", self.y, rows, cols,
                     cells, notes=[f"x = {self.x}", "'=' marks a tie", *self.notes])

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "two-way", "x": {"name": self.x, "phrase": self.x_phrase, "values": self.x_values.tolist(),
                                         "base": self.base[0]},
                "y": {"name": self.y, "phrase": self.y_phrase, "values": self.y_values.tolist(), "base": self.base[1]},
                "best": [[self.options[self.best[i, j]] for j in range(len(self.y_values))]
                         for i in range(len(self.x_values))],
                "shares": self.shares(), "notes": list(self.notes)}


def two_way(model: Model, x: str | int, y: str | int, points: int | tuple[int, int] = 21,
            x_range: tuple[float, float] | None = None, y_range: tuple[float, float] | None = None,
            base: np.ndarray | None = None) -> TwoWay:
    """The preferred option over a points x points grid of parameters x and y (each from its low
    to its high value unless a range is given; a fixed number over `search_interval`), the others
    at base."""
    ix, iy = resolve(model, [x, y], fn="two_way")
    if ix == iy:
        raise ValueError(f"two_way(): x and y must be different parameters; got {model.params.names[ix]!r} twice")
    nx, ny = (points, points) if isinstance(points, (int, np.integer)) else points
    if nx < 2 or ny < 2:
        raise ValueError(f"two_way(): points must be at least 2 per axis; got {points!r}")
    b = _base(model, base)
    p = model.params
    def span(i: int, given: tuple[float, float] | None) -> tuple[float, float]:
        if given is not None:
            return given
        if p.high[i] > p.low[i]:
            return float(p.low[i]), float(p.high[i])
        return search_interval(model, i)    # a fixed number: the interval thresholds search

    xr, yr = span(ix, x_range), span(iy, y_range)
    xv, yv = np.linspace(xr[0], xr[1], nx), np.linspace(yr[0], yr[1], ny)
    rows = np.repeat(b[None, :], nx * ny, axis=0)
    rows[:, ix] = np.repeat(xv, ny)
    rows[:, iy] = np.tile(yv, nx)
    hold_rows(model, rows, np.full(len(rows), ix), b)
    hold_rows(model, rows, np.full(len(rows), iy), b)
    rows[:, ix] = np.repeat(xv, ny)          # when both share a row, each keeps its own value
    rows[:, iy] = np.tile(yv, nx)
    ev = evaluate(model, rows)
    best = np.argmax(ev.preference, axis=1).reshape(nx, ny)
    tied = (ev.best.sum(axis=1) > 1).reshape(nx, ny)
    notes = _notes_for(model, np.array([ix, iy]))
    for i, given in ((ix, x_range), (iy, y_range)):
        if given is None and p.high[i] <= p.low[i]:
            notes.append(f"{p.names[i]} is fixed in the file: moved over {'[0, 1]' if p.roles[i] == 'probability' else 'its value +/- max(|value|, 1)'}")
    return TwoWay(x=p.names[ix], y=p.names[iy], x_phrase=describe(model, p.names[ix]),
                  y_phrase=describe(model, p.names[iy]), options=model.options, x_values=xv, y_values=yv,
                  utility=ev.utility.reshape(nx, ny, -1), best=best, tied=tied,
                  base=(float(b[ix]), float(b[iy])), notes=tuple(notes))


# ---------------------------------------------------------------------------- thresholds
@dataclass(frozen=True, eq=False, repr=False)
class Thresholds(Result):
    """Values of single parameters at which the preferred option changes (the others at base).

    One row per threshold: names[K] and phrases[K] of the parameter, value[K] (in units[K]),
    below[K] / above[K]: the option preferred just below / just above it; point[K]: the
    parameter's base value; low/high[K]: its plausible range; in_range[K]: low <= value <= high;
    effective[K]: the value the model uses at the threshold: for a probability, after its row
    adjusts; for a weight, after the weights are normalised (NaN for other numbers); distance[K]: |value - point| in widths of the range (in
    |point|, or 1, for a fixed number). Sorted by distance, nearest first.
    searched: {name: (from, to)}, the interval scanned for each parameter.
    """

    names: tuple[str, ...]
    phrases: tuple[str, ...]
    units: tuple[str, ...]
    value: np.ndarray
    below: tuple[str, ...]
    above: tuple[str, ...]
    point: np.ndarray
    low: np.ndarray
    high: np.ndarray
    effective: np.ndarray
    distance: np.ndarray
    searched: dict[str, tuple[float, float]]
    best_base: str
    notes: tuple[str, ...] = ()

    @property
    def in_range(self) -> np.ndarray:
        return (self.value >= self.low - 1e-12) & (self.value <= self.high + 1e-12)

    @property
    def fixed(self) -> np.ndarray:
        """True where the file fixes the number exactly (no range): its threshold cannot be
        weighed against a range (`juncture critique`: threshold-without-range)."""
        return self.low >= self.high

    def statement(self, k: int, phrase: bool = False) -> str:
        """'special_operation becomes best when P(...) < 0.18', seen from the base value."""
        what = self.phrases[k] if phrase else self.names[k]
        v = float(self.value[k])
        if self.point[k] <= v:
            s = f"{self.above[k]} becomes best when {what} > {v:.4g}"
        else:
            s = f"{self.below[k]} becomes best when {what} < {v:.4g}"
        if math.isfinite(self.effective[k]) and abs(self.effective[k] - v) > 5e-5:
            what = "weight, normalised" if self.units[k] == "weight" else "probability, its row adjusted"
            s += f" (the {what}: {self.effective[k]:.4g})"
        return s

    @property
    def statements(self) -> tuple[str, ...]:
        return tuple(self.statement(k) for k in range(len(self.names)))

    @property
    def sayings(self) -> tuple[str, ...]:
        """The statements with each parameter's phrase instead of its name."""
        return tuple(self.statement(k, phrase=True) for k in range(len(self.names)))

    def __repr__(self) -> str:
        return self.table().to_text()

    def table(self) -> Table:
        rows = [[self.phrases[k], float(self.value[k]), self.units[k], self.below[k], self.above[k],
                 float(self.point[k]), bool(self.in_range[k]), bool(self.fixed[k]), self.statement(k, phrase=True)]
                for k in range(len(self.names))]
        notes = [f"preferred at base values: {self.best_base}", *self.notes]
        if not rows:
            notes.append("no parameter changes the preferred option within the searched intervals")
        return table("Thresholds: where the preferred option changes", "parameter", self.names,
                     ["phrase", "threshold", "unit", "best below", "best above", "point", "in range", "fixed", "statement"],
                     rows, notes=notes)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "thresholds", "best_at_base": self.best_base, "notes": list(self.notes),
                "searched": {k: list(v) for k, v in self.searched.items()},
                "thresholds": [{"parameter": self.names[k], "phrase": self.phrases[k], "value": float(self.value[k]),
                                "unit": self.units[k], "below": self.below[k], "above": self.above[k],
                                "point": float(self.point[k]), "low": float(self.low[k]), "high": float(self.high[k]),
                                "in_range": bool(self.in_range[k]), "fixed": bool(self.fixed[k]),
                                "effective": float(self.effective[k]) if math.isfinite(self.effective[k]) else None,
                                "statement": self.statement(k), "says": self.statement(k, phrase=True)}
                               for k in range(len(self.names))]}


def search_interval(model: Model, i: int, span: float = 1.0) -> tuple[float, float]:
    """Where `thresholds` looks for parameter i: [0, 1] for a probability; else its range widened
    by `span` widths on each side (a fixed number: +/- span x max(|value|, 1)), from 0 up for a weight."""
    p = model.params
    if p.roles[i] == "probability":
        return 0.0, 1.0
    lo, hi = float(p.low[i]), float(p.high[i])
    w = hi - lo if hi > lo else max(abs(float(p.point[i])), 1.0)
    a, b = lo - span * w, hi + span * w
    if p.roles[i] == "weight":
        a = max(a, 0.0)
    return a, b


def thresholds(model: Model, params: Sequence[str | int] | None = None, points: int = 65,
               bounds: dict[str, tuple[float, float]] | None = None, span: float = 1.0,
               base: np.ndarray | None = None, xtol: float = 1e-12) -> Thresholds:
    """For each parameter, the values where the preferred option changes, the others at base.

    Scans `points` evenly spaced values over the parameter's search interval (`search_interval`,
    or bounds[name]) in one evaluation, then for each pair of neighbours with different preferred
    options solves U_a(x) = U_b(x) with scipy's brentq; if a third option beats both at the root,
    the bracket is split there and searched again. A switch that happens and reverts between two
    neighbouring scan points is missed: raise `points` to look closer.

    params: names or indices (default: every number that enters the evaluation, fixed or not).
    """
    if points < 2:
        raise ValueError(f"thresholds(): points must be at least 2; got {points}")
    idx = resolve(model, params, default="used", fn="thresholds")
    b = _base(model, base)
    p = model.params
    bounds = dict(bounds or {})
    for nm in bounds:
        if nm not in p.aliases:
            raise ValueError(f"thresholds(): bounds names no parameter {nm!r}")
    intervals = [tuple(map(float, bounds.get(p.names[i], search_interval(model, i, span)))) for i in idx]
    k = len(idx)
    grid = np.array([np.linspace(a, c, points) for a, c in intervals]).reshape(k, points)
    rows = np.repeat(b[None, :], k * points + 1, axis=0)
    rows[np.arange(k * points), np.repeat(idx, points)] = grid.ravel()
    hold_rows(model, rows, np.r_[np.repeat(idx, points), -1], b)
    ev = evaluate(model, rows)
    best_sets = ev.best[:-1].reshape(k, points, -1)
    # options are compared on certainty equivalents: they cross where the utilities cross, and
    # keep their resolution where utilities saturate at 1 or overflow
    util = ev.preference[:-1].reshape(k, points, -1)
    best_base = model.options[int(np.argmax(ev.preference[-1]))]

    def utilities(i: int, x: float) -> np.ndarray:
        r = b.copy()[None, :]
        r[0, i] = x
        return evaluate(model, hold_rows(model, r, np.array([i]), b)).preference[0]

    found: list[tuple[int, float, int, int]] = []

    def solve(i: int, x0: float, a: int, x1: float, c: int, depth: int = 0) -> None:
        def f(x: float) -> float:
            u = utilities(i, x)
            return float(u[a] - u[c])
        f0, f1 = f(x0), f(x1)
        if f0 == 0.0:
            r = x0
        elif f1 == 0.0:
            r = x1
        elif f0 * f1 > 0:  # a and c do not cross here: something else was best at one end
            return
        else:
            r = optimize.brentq(f, x0, x1, xtol=xtol, rtol=4 * np.finfo(float).eps)
        u = utilities(i, r)
        top = max(u[a], u[c])
        tol = float(tie_width(top))
        others = [j for j in range(len(u)) if j not in (a, c) and u[j] > top + tol]
        if others and depth < 20:
            d = int(max(others, key=lambda j: u[j]))
            solve(i, x0, a, r, d, depth + 1)
            solve(i, r, d, x1, c, depth + 1)
            return
        found.append((i, r, a, c))

    for kk, i in enumerate(idx):
        for m in range(points - 1):
            s0, s1 = best_sets[kk, m], best_sets[kk, m + 1]
            if (s0 & s1).any():
                continue
            a = int(np.argmax(util[kk, m]))
            c = int(np.argmax(util[kk, m + 1]))
            solve(int(i), float(grid[kk, m]), a, float(grid[kk, m + 1]), c)

    # the value the model uses at the threshold: a probability after its row adjusts, a weight
    # after the weights are normalised
    eff = np.full(len(found), np.nan)
    for n, (i, r, _, _) in enumerate(found):
        th = b.copy()[None, :]
        th[0, i] = r
        th = hold_rows(model, th, np.array([i]), b)[0]
        entries = np.flatnonzero(model.entry_param == i)
        crit = np.flatnonzero(model.weight_param == i)
        if p.roles[i] == "probability" and len(entries):
            eff[n] = branch_probabilities(model, th[None, :])[0, entries[0]]
        elif len(crit):
            eff[n] = weights(model, th[None, :])[0, crit[0]]
    value = np.array([f[1] for f in found])
    pt = np.array([b[f[0]] for f in found])
    width = np.array([(p.high[f[0]] - p.low[f[0]]) if p.high[f[0]] > p.low[f[0]] else max(abs(b[f[0]]), 1.0)
                      for f in found])
    dist = np.abs(value - pt) / width if found else np.zeros(0)
    order = np.argsort(dist, kind="stable")
    found = [found[j] for j in order]
    names = tuple(p.names[f[0]] for f in found)
    notes = _notes_for(model, idx)
    notes.append(f"searched {k} parameter{'' if k == 1 else 's'}, {'' if k == 1 else 'each '}over {points} values: probabilities over [0, 1], other "
                 f"numbers over their range widened by {span:g} width{'' if span == 1 else 's'} on each side "
                 "(each one's interval: `searched` in --json)")
    return Thresholds(names=names, phrases=tuple(describe(model, n) for n in names),
                      units=tuple(parameter_unit(model, f[0]) for f in found), value=value[order],
                      below=tuple(model.options[f[2]] for f in found), above=tuple(model.options[f[3]] for f in found),
                      point=pt[order], low=np.array([p.low[f[0]] for f in found]),
                      high=np.array([p.high[f[0]] for f in found]), effective=eff[order], distance=dist[order],
                      searched={p.names[i]: iv for i, iv in zip(idx, intervals)}, best_base=best_base,
                      notes=tuple(notes))


# ------------------------------------------------------------------------------------ two-way setup
_tornado, _thresholds = tornado, thresholds  # by names the arguments of two_way_setup do not shadow


def two_way_setup(model: Model, x: str | None = None, y: str | None = None, points: int = 21,
                  tornado: Tornado | None = None, thresholds: Thresholds | None = None
                  ) -> tuple[TwoWay, Thresholds, tuple[str, str], Any] | None:
    """The two-way map a reader most needs, with what marks it: (TwoWay, Thresholds of its two
    numbers, their units, the file's ranges of them), or None when fewer than two numbers can move.

    Unless named, x is the number whose threshold lies nearest its point value (the map then shows
    that switch, over the threshold's search interval) and y the number of largest tornado swing
    besides it; without thresholds, the two largest swings; in a file whose numbers are all fixed,
    the numbers of the nearest thresholds. `tornado` and `thresholds` (of the whole model, as
    `tornado(model)` and `thresholds(model)` give them) save computing them again when the caller
    has them. A number x or y that does not resolve is a ValueError (from `resolve`).

    Each axis spans the file's range of its number, or the threshold search's interval when the
    number is fixed or its threshold lies outside that range (so the switch shows on the map).
    """
    p = model.params
    if x is None or y is None:
        t = tornado if tornado is not None else _tornado(model)
        th_all = thresholds if thresholds is not None else _thresholds(model)
        order = list(t.names) + [n for n in dict.fromkeys(th_all.names) if n not in t.names]
        if x is None:
            x = th_all.names[0] if len(th_all.names) and th_all.names[0] != y else (
                next((n for n in order if n != y), None))
        if y is None:
            y = next((n for n in order if n != x), None)
        if x is None or y is None:
            return None
    ix, iy = (int(i) for i in resolve(model, [x, y], fn="two_way"))
    th = _thresholds(model, params=[ix, iy])

    def span(i: int) -> tuple[float, float] | None:
        """The file's range, or the threshold search's interval when that shows a switch the range
        does not reach (or the number is fixed)."""
        beyond = [v for nm, v in zip(th.names, th.value) if nm == p.names[i] and not p.low[i] <= v <= p.high[i]]
        return th.searched[p.names[i]] if p.low[i] == p.high[i] or beyond else None

    tw = two_way(model, ix, iy, points=points, x_range=span(ix), y_range=span(iy))
    units = (parameter_unit(model, ix), parameter_unit(model, iy))
    ranges = ((float(p.low[ix]), float(p.high[ix])), (float(p.low[iy]), float(p.high[iy])))
    return tw, th, units, ranges
