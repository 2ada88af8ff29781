"""Multi-criteria aggregation of the option x criterion consequence matrix: weighted additive value
(MAVT, the default), TOPSIS, and Pareto dominance.

The consequence matrix is always the one `evaluate` computes (expected consequences, later
decisions taken optimally). Each method is a pure function over arrays, vectorised over any
leading sample axes, and `compare(model)` wraps them for a compiled scenario. Every choice that
changes answers is an argument with a stated default and is echoed in the result:

- MAVT `value_range`: 'criteria' (default) scores each criterion on its value scale as compiled
  (its `range`, else the span of the consequences of the leaves that can happen, at the point
  values, as `evaluate` does); 'options' rescales to the span of the options' expected consequences (a local scale).
- TOPSIS `normalisation`: 'vector' (default, Hwang & Yoon 1981: x / sqrt(sum x^2)), 'minmax'
  ((x - min) / (max - min)) or 'sum' (x / sum x).
- TOPSIS `cost`: 'ideal' (default: a minimised criterion keeps its values and its ideal is the
  smallest, as in Hwang & Yoon and scikit-criteria) or 'reciprocal' (it becomes 1/x before
  normalising and is then maximised; every value must be > 0).

Ties (scores within `model.evaluate.TIE_TOLERANCE`) share a rank and are listed, never broken.

The methods are entries of one table, `AGGREGATIONS` (name -> `Aggregation`), which `compare`,
SMAA and `juncture compare --method` read: adding a method is one entry plus its function.

Both methods aggregate expected consequences: MAVT applies the value functions to them, so with
linear value functions and no risk attitude its scores are exactly the values `evaluate` ranks
by; a curved value function or an exponential utility makes the two differ (evaluate takes the
expectation of values or utilities over the tree's outcomes).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from ..compile import Model
from ..evaluate import TIE_TOLERANCE, Evaluation, ordering, point, tie_ranks, tie_width, value_scores
from ..results import Result, Table, table
from .weights import Weights, criterion_weights

NORMALISATIONS = ("vector", "minmax", "sum")
COST_HANDLING = ("ideal", "reciprocal")
VALUE_RANGES = ("criteria", "options")


# ---------------------------------------------------------------------------- TOPSIS
@dataclass(frozen=True, eq=False)
class Topsis:
    """TOPSIS and its intermediates; arrays have the input's leading axes, then [O, C] or [O].

    normalised: the normalised matrix (dimensionless); weighted: times the weights; ideal,
    anti_ideal [..., C]: best and worst of each weighted column by direction; d_plus, d_minus
    [..., O]: Euclidean distances to them; closeness [..., O] = d_minus / (d_plus + d_minus), in
    [0, 1], larger is better (0.5 for every option when all options are alike).
    """

    normalisation: str
    cost: str
    normalised: np.ndarray
    weighted: np.ndarray
    ideal: np.ndarray
    anti_ideal: np.ndarray
    d_plus: np.ndarray
    d_minus: np.ndarray
    closeness: np.ndarray


def _name(criteria: Sequence[str] | None, j: int) -> str:
    return f"'{criteria[j]}'" if criteria is not None else f"column {j}"


def normalise_matrix(x: np.ndarray, normalisation: str = "vector",
                     criteria: Sequence[str] | None = None) -> np.ndarray:
    """Normalise each column (criterion) of x[..., O, C] over the options.

    vector: x / sqrt(sum_o x^2); minmax: (x - min) / (max - min); sum: x / sum_o x (needs x >= 0).
    A column that is all 0 (vector, sum) or constant (minmax) becomes 0: it tells no option apart.
    """
    x = np.asarray(x, dtype=float)
    if normalisation == "vector":
        den = np.sqrt((x ** 2).sum(axis=-2, keepdims=True))
        return np.divide(x, den, out=np.zeros_like(x), where=den > 0)
    if normalisation == "minmax":
        lo, hi = x.min(axis=-2, keepdims=True), x.max(axis=-2, keepdims=True)
        return np.divide(x - lo, hi - lo, out=np.zeros_like(x), where=hi > lo)
    if normalisation == "sum":
        if np.any(x < 0):
            j = int(np.argwhere(x < 0)[0][-1])
            raise ValueError(f"normalise_matrix(): normalisation 'sum' needs consequences >= 0; "
                             f"criterion {_name(criteria, j)} has {float(x[..., j].min()):g}: choose normalisation "
                             "'vector' or 'minmax'")
        den = x.sum(axis=-2, keepdims=True)
        return np.divide(x, den, out=np.zeros_like(x), where=den > 0)
    raise ValueError(f"normalise_matrix(): normalisation must be one of {', '.join(NORMALISATIONS)}; "
                     f"got {normalisation!r}")


def topsis(x: np.ndarray, w: np.ndarray, directions: np.ndarray, normalisation: str = "vector",
           cost: str = "ideal", criteria: Sequence[str] | None = None) -> Topsis:
    """TOPSIS (Hwang & Yoon 1981) on x[..., O, C] with weights w[..., C] (normalised by the caller)
    and directions[C] (+1 maximise, -1 minimise).

    Steps: turn cost criteria around per `cost`; normalise each column (`normalisation`); multiply
    by the weights; ideal = best per column by direction, anti-ideal = worst; Euclidean distances
    d+ and d-; closeness d- / (d+ + d-).

    >>> r = topsis(np.array([[1., 0.], [0., 1.]]), np.array([.5, .5]), np.array([1., 1.]))
    >>> r.closeness.round(6).tolist()
    [0.5, 0.5]
    """
    if cost not in COST_HANDLING:
        raise ValueError(f"topsis(): cost must be one of {', '.join(COST_HANDLING)}; got {cost!r}")
    x = np.asarray(x, dtype=float)
    d = np.asarray(directions, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.shape[-1] != d.shape[-1] or w.shape[-1] != x.shape[-1]:
        raise ValueError(f"topsis(): the matrix has {x.shape[-1]} criteria, the directions {d.shape[-1]} "
                         f"and the weights {w.shape[-1]}")
    if cost == "reciprocal" and np.any(d < 0):
        cols = d < 0
        if np.any(x[..., cols] <= 0):
            j = int(np.flatnonzero(cols & np.any(x.reshape(-1, x.shape[-1]) <= 0, axis=0))[0])
            raise ValueError(f"topsis(): cost 'reciprocal' needs minimised consequences > 0; criterion "
                             f"{_name(criteria, j)} has {float(x[..., j].min()):g}: choose cost 'ideal'")
        x = np.where(cols, 1.0 / np.where(cols, x, 1.0), x)
        d = np.abs(d)
    r = normalise_matrix(x, normalisation, criteria)
    v = r * w[..., None, :]
    hi, lo = v.max(axis=-2), v.min(axis=-2)
    ideal = np.where(d > 0, hi, lo)
    anti = np.where(d > 0, lo, hi)
    d_plus = np.sqrt(((v - ideal[..., None, :]) ** 2).sum(axis=-1))
    d_minus = np.sqrt(((v - anti[..., None, :]) ** 2).sum(axis=-1))
    total = d_plus + d_minus
    # options that differ only by rounding (all alike) are equally close: 0.5, not a ratio of noise
    scale = np.abs(v).max(axis=(-2, -1))[..., None] if v.size else np.zeros_like(total)
    close = np.divide(d_minus, total, out=np.full_like(total, 0.5), where=total > 1e-12 * np.maximum(scale, 1e-300))
    return Topsis(normalisation, cost, r, v, ideal, anti, d_plus, d_minus, close)


# ---------------------------------------------------------------------------- additive value, Pareto
def additive_value(scores: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted additive value sum_c w_c v_c(x): scores[..., O, C] (0-1) and w[..., C] -> [..., O]."""
    return np.einsum("...oc,...c->...o", np.asarray(scores, dtype=float), np.asarray(w, dtype=float))


@dataclass(frozen=True, eq=False)
class Pareto:
    """Pareto dominance on a consequence matrix.

    efficient[O]: no other option is at least as good on every criterion and better on one;
    dominated_by: for each option, the options that dominate it (indices).
    """

    efficient: np.ndarray
    dominated_by: tuple[tuple[int, ...], ...]


def pareto(x: np.ndarray, directions: np.ndarray) -> Pareto:
    """Which options no other option beats on every criterion: x[O, C], directions[C] (+1/-1).

    Differences within TIE_TOLERANCE * max(|x|, 1) are equal, so two identical options are both
    efficient.

    >>> pareto(np.array([[1., 1.], [0., 1.], [2., 0.]]), np.array([1., 1.])).efficient.tolist()
    [True, False, True]
    """
    y = np.asarray(x, dtype=float) * np.asarray(directions, dtype=float)
    tol = tie_width(np.abs(y).max(axis=0))
    geq = np.all(y[:, None, :] >= y[None, :, :] - tol, axis=2)        # [i, j]: i at least as good as j
    gt = np.any(y[:, None, :] > y[None, :, :] + tol, axis=2)
    dom = geq & gt                                                     # i dominates j
    by = tuple(tuple(int(i) for i in np.flatnonzero(dom[:, j])) for j in range(len(y)))
    return Pareto(~dom.any(axis=0), by)


# ---------------------------------------------------------------------------- the table of methods
SCORES = "scores"
"""An aggregation that scores each option: a total order (ties within TIE_TOLERANCE share a rank)."""
PARTIAL_ORDER = "partial-order"
"""An aggregation that returns a relation between options (outranking): some pairs may be
incomparable. compare() and SMAA rank by scores, and say so for such a method."""


@dataclass(frozen=True)
class Choices:
    """The comparison settings an aggregation may read; each method reads its own (`Aggregation.reads`).

    ranges[C, 2]: mavt's value scale, fixed once on the point matrix by `Aggregation.prepare`
    (None: the model's criteria ranges).
    """

    normalisation: str = "vector"
    cost: str = "ideal"
    value_range: str = "criteria"
    ranges: np.ndarray | None = None


@dataclass(frozen=True)
class Aggregation:
    """One way to aggregate the option x criterion matrix: an entry of AGGREGATIONS.

    name: as `compare(method=)`, `juncture compare --method` and the file's `comparison.method`
        spell it.
    function(model, expected[..., O, C], w[..., C], choices) -> (result, detail): for 'scores',
        the scores [..., O] (larger is better); detail: the intermediates a result keeps.
    returns: SCORES or PARTIAL_ORDER.
    unit: what a score is, for tables ('value 0-1').
    reads: the `Choices` fields it uses, echoed with its results (in this order).
    prepare(model, x[O, C], choices) -> Choices: settings fixed once on the point matrix (mavt's
        value ranges), before the function runs on it or on draws.
    records(model, choices) -> dict: what a result's `choices` records besides `reads` (mavt: the
        ranges and value functions).
    detail_table(result) -> Table: the intermediates of a `MultiCriteria` of this method.
    """

    name: str
    function: Callable[[Model, np.ndarray, np.ndarray, Choices], tuple[np.ndarray, Any]]
    returns: str
    unit: str
    reads: tuple[str, ...]
    detail_table: Callable[[MultiCriteria], Table]
    prepare: Callable[[Model, np.ndarray, Choices], Choices] = lambda model, x, choices: choices
    records: Callable[[Model, Choices], dict[str, Any]] = lambda model, choices: {}

    def apply(self, model: Model, expected: np.ndarray, w: np.ndarray, choices: Choices) -> tuple[np.ndarray, Any]:
        """`function` on consequence matrices expected[..., O, C] and weights w[..., C] (or [C])."""
        expected = np.asarray(expected, dtype=float)
        w = np.broadcast_to(np.asarray(w, dtype=float), expected.shape[:-2] + expected.shape[-1:])
        return self.function(model, expected, w, choices)

    def read(self, choices: Choices) -> dict[str, Any]:
        """The settings this method reads, by name, as its results record them."""
        return {k: getattr(choices, k) for k in self.reads}


def _ranges(model: Model, x: np.ndarray, value_range: str) -> np.ndarray:
    """[C, 2] value scale per criterion for MAVT."""
    if value_range == "criteria":
        return model.ranges
    if value_range == "options":
        flat = x.reshape(-1, x.shape[-1])
        return np.column_stack([flat.min(axis=0), flat.max(axis=0)])
    raise ValueError(f"compare(): value_range must be one of {', '.join(VALUE_RANGES)}; got {value_range!r}")


def _mavt(model: Model, expected: np.ndarray, w: np.ndarray, choices: Choices) -> tuple[np.ndarray, np.ndarray]:
    """Weighted sum of value scores (0-1) on `choices.ranges`; detail: the value scores [..., O, C]."""
    m = model if choices.ranges is None else dataclasses.replace(model, ranges=np.asarray(choices.ranges, dtype=float))
    sc = value_scores(m, expected)
    return additive_value(sc, w), sc


def _mavt_records(model: Model, choices: Choices) -> dict[str, Any]:
    rng = model.ranges if choices.ranges is None else choices.ranges
    return {"ranges": {c: [float(a), float(b)] for c, (a, b) in zip(model.criteria, rng)},
            "value_functions": dict(zip(model.criteria, model.value_kind))}


def _mavt_detail(r: MultiCriteria) -> Table:
    vals = np.column_stack([r.detail, r.scores])
    cols = [f"{c} score" for c in r.criteria] + ["value"]
    notes = ["weights: " + ", ".join(f"{c} {w:.3f}" for c, w in r.weights.as_dict().items()),
             r._choices_note()]
    return table("Value scores (0 worst, 1 best)", "option", r.options, cols, vals, ["0-1"] * len(cols), notes)


def _topsis(model: Model, expected: np.ndarray, w: np.ndarray, choices: Choices) -> tuple[np.ndarray, Topsis]:
    """TOPSIS closeness; detail: the `Topsis` intermediates."""
    r = topsis(expected, w, model.directions, choices.normalisation, choices.cost, model.criteria)
    return r.closeness, r


def _topsis_detail(r: MultiCriteria) -> Table:
    t: Topsis = r.detail
    vals = np.column_stack([t.weighted, t.d_plus, t.d_minus, t.closeness])
    cols = [f"{c} weighted" for c in r.criteria] + ["d+", "d-", "closeness"]
    notes = ["ideal: " + ", ".join(f"{c} {v:.4g}" for c, v in zip(r.criteria, t.ideal)),
             "anti-ideal: " + ", ".join(f"{c} {v:.4g}" for c, v in zip(r.criteria, t.anti_ideal)),
             r._choices_note()]
    return table("TOPSIS", "option", r.options, cols, vals, [""] * len(cols), notes, digits=4)


AGGREGATIONS: Mapping[str, Aggregation] = MappingProxyType({a.name: a for a in (
    Aggregation("mavt", _mavt, SCORES, "value 0-1", ("value_range",), _mavt_detail,
                prepare=lambda model, x, ch: dataclasses.replace(ch, ranges=_ranges(model, x, ch.value_range)),
                records=_mavt_records),
    Aggregation("topsis", _topsis, SCORES, "closeness 0-1", ("normalisation", "cost"), _topsis_detail),
)})
"""Aggregation methods by name, the default (mavt) first."""

METHODS = tuple(AGGREGATIONS)
"""The names of AGGREGATIONS."""


def aggregation(method: str, what: str = "aggregate()") -> Aggregation:
    """The entry of `method`; ValueError naming `what` for a name not in AGGREGATIONS."""
    if method not in AGGREGATIONS:
        raise ValueError(f"{what}: method must be one of {', '.join(AGGREGATIONS)}; got {method!r}")
    return AGGREGATIONS[method]


def ranking_method(method: str, what: str) -> Aggregation:
    """The entry of `method` for a caller that ranks by scores (compare, SMAA)."""
    entry = aggregation(method, what)
    if entry.returns != SCORES:
        raise ValueError(f"{what}: method {method!r} returns a {entry.returns.replace('-', ' ')}, not "
                         "scores; it cannot rank every option")
    return entry


def aggregate(model: Model, expected: np.ndarray, w: np.ndarray, method: str = "mavt",
              normalisation: str = "vector", cost: str = "ideal", ranges: np.ndarray | None = None
              ) -> tuple[np.ndarray, Any]:
    """Scores [S, O] of consequence matrices expected[S, O, C] under weights w[S, C] (or [C]).

    mavt: weighted sum of value scores (0-1) on `ranges` (default the model's); returns the value
    scores [S, O, C] as detail. topsis: closeness; returns the `Topsis` as detail. Any other
    method: its entry in AGGREGATIONS.
    """
    return aggregation(method, "aggregate()").apply(model, expected, w, Choices(normalisation, cost, ranges=ranges))




@dataclass(frozen=True, eq=False)
class MultiCriteria(Result):
    """One multi-criteria comparison of a scenario's options at the point values.

    matrix[O, C]: expected consequences (criteria units) from `evaluate`; weights: the normalised
    weights used; scores[O]: additive value (0-1) for mavt, closeness (0-1) for topsis; ranks[O]:
    1 = best, tied options share a rank; choices: every setting that changes the answer;
    detail: the value scores [O, C] (mavt) or the `Topsis` intermediates; pareto: dominance.
    """

    method: str
    options: tuple[str, ...]
    criteria: tuple[str, ...]
    units: tuple[str, ...]
    directions: np.ndarray
    matrix: np.ndarray
    weights: Weights
    scores: np.ndarray
    ranks: np.ndarray
    choices: dict[str, Any]
    detail: Any
    pareto: Pareto

    @property
    def ranking(self) -> list[str]:
        """Options best first (tied options in file order; see `ties`)."""
        return ordering(self.scores, self.options)[0]

    @property
    def ties(self) -> list[list[str]]:
        return ordering(self.scores, self.options)[2]

    @property
    def best(self) -> list[str]:
        return [o for o, r in zip(self.options, self.ranks) if r == 1]

    def table(self) -> Table:
        """Options best first: rank, score, Pareto-efficient, dominated by."""
        order = [self.options.index(o) for o in self.ranking]
        unit = AGGREGATIONS[self.method].unit
        rows = [[int(self.ranks[i]), float(self.scores[i]), bool(self.pareto.efficient[i]),
                 [self.options[j] for j in self.pareto.dominated_by[i]]] for i in order]
        notes = [f"{self.method}; weights: {self.weights.label} ({self.weights.note})", self._choices_note()]
        notes += [f"tie: {', '.join(g)} (within {TIE_TOLERANCE:g})" for g in self.ties]
        return table(f"Ranking ({self.method})", "option", [self.options[i] for i in order],
                     ["rank", "score", "efficient", "dominated by"], rows, ["", unit, "", ""], notes)

    def detail_table(self) -> Table:
        """The method's intermediates: for mavt the value score of each criterion (0-1) and the
        weighted sum; for topsis the weighted normalised matrix, distances and closeness."""
        return AGGREGATIONS[self.method].detail_table(self)

    def _choices_note(self) -> str:
        ch = {k: v for k, v in self.choices.items() if k not in ("ranges", "directions", "value_functions")}
        text = "choices: " + ", ".join(f"{k} = {v}" for k, v in ch.items())
        if "ranges" in self.choices:
            spans = self.choices["ranges"].items()
            text += " (" + "; ".join(f"{c} [{a:g}, {b:g}]" for c, (a, b) in spans) + ")"
        return text

    def _repr_html_(self) -> str:
        return self.table()._repr_html_() + self.detail_table()._repr_html_()

    def to_dict(self) -> dict[str, Any]:
        """The shape `juncture compare --json` prints."""
        ranking, ranks, ties = ordering(self.scores, self.options)
        return {
            "method": self.method,
            "scores": {o: float(s) for o, s in zip(self.options, self.scores)},
            "ranking": ranking,
            "ranks": dict(zip(self.options, ranks)),
            "best": self.best[0] if len(self.best) == 1 else self.best,
            "ties": ties,
            "weighting": self.weights.label,
            "weights": self.weights.as_dict(),
            "choices": self.choices,
            "pareto": {"efficient": [o for o, e in zip(self.options, self.pareto.efficient) if e],
                       "dominated_by": {o: [self.options[j] for j in by]
                                        for o, by in zip(self.options, self.pareto.dominated_by) if by}},
            "matrix": {o: {c: float(v) for c, v in zip(self.criteria, row)}
                       for o, row in zip(self.options, self.matrix)},
        }


def settings(model: Model, method: str | None = None, normalisation: str | None = None) -> tuple[str, str]:
    """method and normalisation: the argument, else the file's `comparison`, else mavt / vector."""
    cmp = model.scenario.comparison
    method = method or (cmp.method if cmp is not None else "mavt")
    normalisation = normalisation or (cmp.normalisation if cmp is not None else "vector")
    aggregation(method, "compare()")
    if normalisation not in NORMALISATIONS:
        raise ValueError(f"compare(): normalisation must be one of {', '.join(NORMALISATIONS)}; "
                         f"got {normalisation!r}")
    return method, normalisation


def compare(model: Model, method: str | None = None, weights: Weights | str | None = None,
            normalisation: str | None = None, cost: str | None = None, value_range: str | None = None,
            ev: Evaluation | None = None) -> MultiCriteria:
    """Compare the options on the consequence matrix of a point evaluation.

    method: 'mavt' or 'topsis' (None: `comparison.method`, else mavt). weights: a `Weights`, a
    weighting name ('given', 'equal', 'rank', 'swing') or None (`comparison.weighting`).
    normalisation (topsis; None: `comparison.normalisation`, else vector), cost (topsis) and
    value_range (mavt): see the module docstring; None takes the file's `comparison` field, else
    'ideal' / 'criteria'. ev: a point evaluation to reuse.
    """
    method, normalisation = settings(model, method, normalisation)
    entry = ranking_method(method, "compare()")
    cmp = model.scenario.comparison
    cost = cost or (cmp.cost if cmp is not None else "ideal")
    value_range = value_range or (cmp.value_range if cmp is not None else "criteria")
    if cost not in COST_HANDLING:
        raise ValueError(f"compare(): cost must be one of {', '.join(COST_HANDLING)}; got {cost!r}")
    w = weights if isinstance(weights, Weights) else criterion_weights(model, weights)
    ev = ev if ev is not None else point(model, keep_nodes=False)
    x = ev.expected[0]
    dirs = {c: ("max" if d > 0 else "min") for c, d in zip(model.criteria, model.directions)}
    ch = entry.prepare(model, x, Choices(normalisation, cost, value_range))
    scores, detail = entry.apply(model, x, w.values, ch)
    choices = {**entry.read(ch), **entry.records(model, ch), "directions": dirs}
    units = tuple((c.unit or "") for c in model.scenario.criteria) or ("",)
    return MultiCriteria(method=method, options=model.options, criteria=model.criteria, units=units,
                         directions=model.directions, matrix=x, weights=w, scores=scores,
                         ranks=tie_ranks(scores), choices=choices, detail=detail,
                         pareto=pareto(x, model.directions))


def profiles_table(results: dict[str, MultiCriteria]) -> Table:
    """Option x weighting: each option's rank and, in brackets, its score under each set of weights."""
    first = next(iter(results.values()))
    vals = [[f"{int(r.ranks[i])} ({float(r.scores[i]):.3f})" for r in results.values()]
            for i in range(len(first.options))]
    unit = AGGREGATIONS[first.method].unit
    notes = [f"rank (score, {unit}) under each weighting, each normalised to sum to 1; ties share a rank"]
    changed = [o for i, o in enumerate(first.options) if len({int(r.ranks[i]) for r in results.values()}) > 1]
    if changed:
        notes.append("rank depends on the weighting for: " + ", ".join(changed))
    return table(f"Ranks under each weighting ({first.method})", "option", first.options, list(results), vals,
                 notes=notes)
