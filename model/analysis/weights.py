"""Criterion weights: as given, equal, from a rank order (rank-order centroid), from swing points,
or from a named stakeholder profile; always normalised to sum to 1 and shown side by side.

Weights here are scaling constants of the additive value model: a weight says how much moving a
criterion from the worst to the best of its value scale (`model.ranges`) is worth against the
others. They are meaningful only together with those ranges, which is why every table of weights
carries them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..compile import Model
from ..evaluate import weights as _point_weights
from ..results import Result, Table, table

WEIGHTINGS = ("given", "equal", "rank", "swing")
"""Ways to obtain one weight vector from the file's criteria (`comparison.weighting`)."""


@dataclass(frozen=True, eq=False)
class Weights(Result):
    """One normalised weight vector and where it came from.

    criteria: criterion ids; values[C]: weights, each >= 0, summing to 1 (dimensionless);
    method: 'given', 'equal', 'rank', 'swing' or 'profile'; profile: the profile id when
    method is 'profile'; inputs[C]: what they were computed from (the weights as written at their
    point values, the ranks, or the swing points 0-100); note: how, in one sentence.
    """

    criteria: tuple[str, ...]
    values: np.ndarray
    method: str
    note: str
    inputs: np.ndarray | None = None
    profile: str | None = None

    @property
    def label(self) -> str:
        """'given', 'equal', 'rank', 'swing', or 'profile:<id>'."""
        return f"profile:{self.profile}" if self.profile else self.method

    def as_dict(self) -> dict[str, float]:
        return {c: float(w) for c, w in zip(self.criteria, self.values)}

    def table(self) -> Table:
        """Criterion: its weight and, where there are inputs, what it was computed from."""
        cols, vals = ["weight"], [[float(w)] for w in self.values]
        if self.inputs is not None:
            cols.append(_INPUTS.get(self.method, "input"))
            vals = [row + [float(x)] for row, x in zip(vals, self.inputs)]
        return table(f"Weights ({self.label})", "criterion", self.criteria, cols, vals, notes=[self.note])

    def to_dict(self) -> dict[str, Any]:
        """{label, method, profile, note, weights: {criterion: weight}, inputs: {criterion: input} or None}."""
        inputs = None if self.inputs is None else {c: float(x) for c, x in zip(self.criteria, self.inputs)}
        return {"label": self.label, "method": self.method, "profile": self.profile, "note": self.note,
                "weights": self.as_dict(), "inputs": inputs}


_INPUTS = {"given": "stated", "rank": "rank", "swing": "swing points", "profile": "stated"}
"""What a weighting's inputs are, as a column heading."""


def normalise(w: Sequence[float] | np.ndarray, what: str = "normalise()") -> np.ndarray:
    """w / sum(w) along the last axis; `what` names the caller in the error.

    Raises ValueError for a negative or non-finite weight, or when all weights are 0.
    """
    w = np.asarray(w, dtype=float)
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError(f"{what}: weights must be finite and non-negative; got {w.tolist()}")
    total = w.sum(axis=-1, keepdims=True)
    if np.any(total <= 0):
        raise ValueError(f"{what}: weights sum to 0; give at least one a positive weight (got {w.tolist()})")
    return w / total


def rank_order_centroid(ranks: Sequence[int]) -> np.ndarray:
    """Rank-order-centroid weights (Barron & Barrett 1996) from importance ranks (1 = most important).

    With n criteria sorted by rank, the criterion in position k gets w_k = (1/n) sum_{j=k..n} 1/j:
    the centroid of the set of weight vectors {w_1 >= w_2 >= ... >= w_n >= 0, sum 1}. Equal ranks
    are a tie: the tied criteria take consecutive positions and share the average of those
    positions' weights (so ranks [1, 1, 3] and [1, 1, 2] give the same weights).

    >>> rank_order_centroid([1, 2, 3]).round(4).tolist()
    [0.6111, 0.2778, 0.1111]
    >>> rank_order_centroid([2, 1, 1]).round(4).tolist()
    [0.1111, 0.4444, 0.4444]
    """
    r = np.asarray(ranks, dtype=float)
    if r.ndim != 1 or len(r) == 0 or np.any(r < 1) or np.any(r != np.round(r)):
        raise ValueError(f"rank_order_centroid(): ranks must be whole numbers from 1; got {list(ranks)}")
    n = len(r)
    position_weight = np.array([np.sum(1.0 / np.arange(k, n + 1)) / n for k in range(1, n + 1)])
    order = np.argsort(r, kind="stable")
    w = np.empty(n)
    w[order] = position_weight
    for value in np.unique(r):
        tied = r == value
        w[tied] = w[tied].mean()
    return w


def swing_weights(points: Sequence[float]) -> np.ndarray:
    """Swing weights: each criterion's swing points (0-100, the worth of moving it from the worst to
    the best of its range) divided by their sum.

    >>> swing_weights([100, 50, 50]).tolist()
    [0.5, 0.25, 0.25]
    """
    p = np.asarray(points, dtype=float)
    if p.ndim != 1 or len(p) == 0:
        raise ValueError(f"swing_weights(): give one swing per criterion; got {list(points)}")
    return normalise(p, "swing_weights()")


def _ranges_note(model: Model) -> str:
    return "; ".join(f"{c} [{lo:g}, {hi:g}]" for c, (lo, hi) in zip(model.criteria, model.ranges))


RANK_HOW = "give each criterion `rank: N` in the file (1 the most important; equal ranks tie)"
"""How a file gives the ranks that weighting 'rank' needs (said wherever they are missing)."""

SWING_HOW = ("give each criterion `swing: N` in the file (0-100: what moving it from the worst to the best "
             "of its range is worth, 100 for the swing that matters most)")
"""How a file gives the swing points that weighting 'swing' needs."""


def _missing(ids: list[str]) -> str:
    return ", ".join(ids) or "all (the file has no criteria)"


def criterion_weights(model: Model, weighting: str | None = None) -> Weights:
    """The model's weights by one of WEIGHTINGS (None: the file's `comparison.weighting`, else
    'given').

    given: the criteria's `weight`s at their point values, normalised (equal when the file gives
    none); equal: 1/C each; rank: rank-order centroid of the criteria's `rank`; swing: the
    criteria's `swing` points normalised, each a swing over the criterion's value range.
    """
    sc = model.scenario
    if weighting is None:
        weighting = sc.comparison.weighting if sc.comparison is not None else "given"
    crits = model.criteria
    c = len(crits)
    if weighting == "given":
        w = _point_weights(model, model.params.point[None, :])[0]
        if (model.weight_param < 0).all():
            return Weights(crits, w, "given", "the file gives no weights: equal weights")
        raw = model.params.point[model.weight_param]
        return Weights(crits, w, "given",
                       "the criteria's weights at their point values, normalised to sum to 1", inputs=raw)
    if weighting == "equal":
        return Weights(crits, np.full(c, 1.0 / c), "equal", f"equal weights, 1/{c} each")
    objs = list(sc.criteria)
    if weighting == "rank":
        missing = [k.id for k in objs if k.rank is None]
        if not objs or missing:
            raise ValueError(f"criterion_weights(): weighting 'rank' needs a rank on every criterion: {RANK_HOW}; "
                             f"missing on {_missing(missing)}")
        ranks = [k.rank for k in objs]
        return Weights(crits, rank_order_centroid(ranks), "rank",
                       "rank-order centroid: w_k = (1/n) sum_{j=k..n} 1/j by rank; "
                       "tied ranks share the average",
                       inputs=np.array(ranks, dtype=float))
    if weighting == "swing":
        missing = [k.id for k in objs if k.swing is None]
        if not objs or missing:
            raise ValueError(f"criterion_weights(): weighting 'swing' needs swing points on every criterion: "
                             f"{SWING_HOW}; missing on {_missing(missing)}")
        pts = [k.swing for k in objs]
        try:
            w = swing_weights(pts)
        except ValueError:
            raise ValueError("criterion_weights(): every criterion's swing is 0: give the one that matters "
                             "most 100 and the others their worth against it") from None
        return Weights(crits, w, "swing", "swing points / their sum; each swing is worst to best of the "
                       f"criterion's range ({_ranges_note(model)})", inputs=np.array(pts, dtype=float))
    raise ValueError(f"criterion_weights(): weighting must be one of {', '.join(WEIGHTINGS)}; "
                     f"got {weighting!r}")


def profile_weights(model: Model, profile: str) -> Weights:
    """The weights of a named profile (`weight_profiles` in the file) at their point values, normalised."""
    sc = model.scenario
    if profile not in sc.weight_profiles:
        known = (f"profiles: {', '.join(sc.weight_profiles)}" if sc.weight_profiles else
                 "the file has none; stakeholders' weights go under `weight_profiles:` in the file")
        raise ValueError(f"profile_weights(): no weight profile {profile!r} ({known})")
    prof = sc.weight_profiles[profile]
    raw = np.array([prof.weights[c].point if c in prof.weights else 0.0 for c in model.criteria])
    try:
        w = normalise(raw, f"profile_weights({profile!r})")
    except ValueError:
        raise ValueError(f"profile_weights(): every weight of profile {profile!r} is 0") from None
    name = prof.name or profile
    return Weights(model.criteria, w, "profile", f"{name}: the profile's weights at their point values, "
                   "normalised", inputs=raw, profile=profile)


def available(model: Model) -> list[Weights]:
    """Every weighting the file supports: given, equal (unless the file gives no weights, when
    given is equal), rank (when every criterion has a rank), swing (when every criterion has swing
    points), then each profile in file order."""
    out = [criterion_weights(model, "given")]
    if (model.weight_param >= 0).any():
        out.append(criterion_weights(model, "equal"))
    objs = list(model.scenario.criteria)
    if objs and all(k.rank is not None for k in objs):
        out.append(criterion_weights(model, "rank"))
    if objs and all(k.swing is not None for k in objs) and any(k.swing for k in objs):
        out.append(criterion_weights(model, "swing"))
    out.extend(profile_weights(model, p) for p in model.scenario.weight_profiles)
    return out


def weights_table(model: Model, sets: Sequence[Weights] | None = None) -> Table:
    """Criterion x weighting: the normalised weights side by side (each column sums to 1)."""
    sets = list(sets) if sets is not None else available(model)
    vals = np.column_stack([s.values for s in sets]) if sets else np.zeros((len(model.criteria), 0))
    notes = [f"{s.label}: {s.note}" for s in sets]
    notes.append("value ranges the weights refer to: " + _ranges_note(model))
    return table("Criterion weights (normalised)", "criterion", model.criteria, [s.label for s in sets], vals,
                 notes=notes)
