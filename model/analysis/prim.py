"""PRIM, the Patient Rule Induction Method: boxes of the uncertain numbers where cases of interest
(draws in which an option is best, or fails) are concentrated.

Friedman & Fisher (1999), "Bump hunting in high-dimensional data", Statistics and Computing 9,
123-143, as scenario discovery uses it (Bryant & Lempert 2010, "Thinking inside the box",
Technological Forecasting & Social Change 77, 34-49). A box bounds some numbers (each between two
values) and, for a categorical column such as the world, keeps some of its categories. Three
figures describe it:

- coverage: the share of all cases of interest that lie inside the box;
- density: the share of the draws inside the box that are cases of interest;
- mass: the share of all draws that lie inside the box.

Peeling starts from the box holding every draw and, at each step, removes the slice that raises
the density most per draw removed: the lowest or the highest `peel_alpha` (5%) of the draws inside
along one number, or one category of a categorical column ("lenient1" objective: (density after
- density before) / draws removed). It stops when no slice raises the density or the box would
hold less than `mass_min` of the draws. Pasting then widens the box again, one number's edge at a
time by `paste_alpha` of the draws beyond it, while that raises the density. Every box on the way
is a step of the trajectory; coverage falls and density rises along it, and the analyst picks the
trade-off (`choose`). A further box is sought among the draws outside the boxes found so far.

This is a numpy port of the algorithm of the EMA Workbench (`ema_workbench.analysis.prim`, BSD
3-clause, itself after RAND's sdtoolkit), step for step: the same quantile rule (sdtoolkit's: the
midpoint between the order statistic and the next distinct value), the same objective, the same
order among equal objectives (the box that restricts fewer numbers, then the earlier column, the
upper end before the lower) and the same stopping rules, so that on the same data it walks the
same trajectory (checked against EMA Workbench 2.5.3: `tests/analysis/test_prim.py`). It exists
because the maintained implementations are slow on a scenario's many numbers: they take the
quantiles and score the candidate boxes with pandas, one number at a time, so 10,000 draws of 95
numbers (about the bundled Venezuela scenario's count) took 14 to 27 s with EMA Workbench 2.5.3 and 69 s
with the standalone `prim` package 1.0 (GPL-3), against 0.8 to 2.6 s here for the same 55 steps (the
same 2-core machine, shared with other jobs), where each step takes every number's quantiles and
every candidate's counts in one array operation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

PEEL_ALPHA = 0.05
"""Share of the draws in the box that one peeling step removes (EMA Workbench's default)."""
PASTE_ALPHA = 0.05
"""Share of the draws beyond an edge that one pasting step adds back (EMA Workbench's default)."""
MASS_MIN = 0.05
"""Smallest share of all draws a box may hold (EMA Workbench's default)."""
CHOICES = ("balanced", "last")
"""How the reported box is picked from a trajectory: 'balanced', the step (after the start) with the
largest harmonic mean of coverage and density (the F1 score: the best balance of the two); 'last',
the last step (the densest box, where EMA Workbench leaves its selection)."""


@dataclass(frozen=True, eq=False)
class Box:
    """One box: lower[D] <= x <= upper[D] on each number (the lowest and highest draw where it is not
    restricted), and per categorical column the categories it keeps (codes).

    n: draws inside; cases: cases of interest inside; coverage, density, mass as the module says.
    restricted: the columns it restricts (numbers first, in column order, then categorical columns
    numbered after them).
    """

    lower: np.ndarray
    upper: np.ndarray
    categories: tuple[frozenset[int], ...]
    n: int
    cases: int
    coverage: float
    density: float
    mass: float
    restricted: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class Trajectory:
    """The boxes one search walked through: steps[0] holds every draw still in play, then one box
    per peel (`peels` of them) and one per paste. `chosen` indexes the reported box; `inside[S]`
    marks the draws (of all S) inside it."""

    steps: tuple[Box, ...]
    peels: int
    chosen: int
    inside: np.ndarray

    @property
    def box(self) -> Box:
        return self.steps[self.chosen]


def find_boxes(x: np.ndarray, y: np.ndarray, categorical: np.ndarray | None = None, *,
               peel_alpha: float = PEEL_ALPHA, paste_alpha: float = PASTE_ALPHA, mass_min: float = MASS_MIN,
               min_density: float = 0.5, max_boxes: int = 3, choose: str = "balanced") -> list[Trajectory]:
    """Search up to `max_boxes` boxes, one after another, each among the draws outside the boxes
    found before; stop at the first whose chosen box has a density below `min_density` or not above
    the share of cases among all draws (a later box, sought among the draws left, can be denser than
    what is left and still thinner than the whole: it would not be a region where cases gather), or
    that peels nothing, or when no case of interest is left. Returns the trajectories kept.

    x[S, D]: the numbers of each draw (float); y[S]: True for the cases of interest;
    categorical[S, K]: integer codes of categorical columns (the world), or None.
    """
    x = np.ascontiguousarray(x, dtype=float)
    y = np.asarray(y, dtype=bool)
    if x.ndim != 2 or y.shape != (x.shape[0],):
        raise ValueError(f"find_boxes(): x must be [draws, numbers] and y [draws]; got {x.shape} and {y.shape}")
    cat = (np.zeros((x.shape[0], 0), dtype=np.int64) if categorical is None
           else np.asarray(categorical, dtype=np.int64).reshape(x.shape[0], -1))
    if not 0 < peel_alpha < 0.5 or not 0 < paste_alpha < 0.5:
        raise ValueError(f"find_boxes(): peel_alpha and paste_alpha must lie in (0, 0.5); got {peel_alpha}, "
                         f"{paste_alpha}")
    if not 0 < mass_min < 1:
        raise ValueError(f"find_boxes(): mass_min must lie in (0, 1); got {mass_min}")
    if choose not in CHOICES:
        raise ValueError(f"find_boxes(): choose must be one of {', '.join(CHOICES)}; got {choose!r}")
    search = _Search(x, y, cat, peel_alpha, paste_alpha, mass_min)
    out: list[Trajectory] = []
    remaining = np.ones(x.shape[0], dtype=bool)
    base_rate = float(y.mean()) if len(y) else 0.0
    while len(out) < max_boxes and y[remaining].any():
        traj = search.find(np.flatnonzero(remaining), choose)
        if traj.chosen == 0 or traj.box.density < min_density or traj.box.density <= base_rate:
            break
        out.append(traj)
        remaining &= ~traj.inside
    return out


def choose_step(steps: Sequence[Box], how: str = "balanced") -> int:
    """The index of the reported box of a trajectory (see CHOICES), never the starting box (which
    restricts nothing) unless nothing was peeled; the first of equals."""
    if how == "last" or len(steps) == 1:
        return len(steps) - 1
    f1 = [2 * b.coverage * b.density / (b.coverage + b.density) if b.coverage + b.density > 0 else 0.0
          for b in steps[1:]]
    return 1 + int(np.argmax(f1))


class _Search:
    """The state of one PRIM run over fixed data: the starting box spans all draws (as EMA
    Workbench's `box_init`), coverage counts every case of interest of the data."""

    def __init__(self, x: np.ndarray, y: np.ndarray, cat: np.ndarray, peel_alpha: float, paste_alpha: float,
                 mass_min: float) -> None:
        self.x, self.y, self.cat = x, y, cat
        self.xt = np.ascontiguousarray(x.T)      # [D, S]: a number's draws contiguous, for the quantiles
        self.peel_alpha, self.paste_alpha, self.mass_min = peel_alpha, paste_alpha, mass_min
        self.n = x.shape[0]
        self.total_cases = int(y.sum())
        self.d = x.shape[1]
        self.init_lo = x.min(axis=0) if self.n else np.zeros(self.d)
        self.init_hi = x.max(axis=0) if self.n else np.zeros(self.d)
        self.init_cat = tuple(frozenset(np.unique(cat[:, k]).tolist()) for k in range(cat.shape[1]))

    # ------------------------------------------------------------------ boxes
    def _restricted(self, lo: np.ndarray, hi: np.ndarray, cats: tuple[frozenset[int], ...]) -> tuple[int, ...]:
        real = np.flatnonzero((lo != self.init_lo) | (hi != self.init_hi)).tolist()
        return tuple(real + [self.d + k for k, c in enumerate(cats) if c != self.init_cat[k]])

    def _box(self, lo: np.ndarray, hi: np.ndarray, cats: tuple[frozenset[int], ...], idx: np.ndarray) -> Box:
        n = len(idx)
        cases = int(self.y[idx].sum())
        return Box(lo.copy(), hi.copy(), cats, n, cases,
                   cases / self.total_cases if self.total_cases else math.nan,
                   cases / n if n else math.nan, n / self.n, self._restricted(lo, hi, cats))

    def find(self, remaining: np.ndarray, choose: str) -> Trajectory:
        lo, hi, cats = self.init_lo.copy(), self.init_hi.copy(), self.init_cat
        idx = remaining
        steps = [self._box(lo, hi, cats, idx)]
        while True:                                       # peeling
            step = self._peel(lo, hi, cats, idx)
            if step is None:
                break
            lo, hi, cats, idx = step
            steps.append(self._box(lo, hi, cats, idx))
        peels = len(steps) - 1
        while peels:                                      # pasting
            step = self._paste(lo, hi, cats, idx, remaining)
            if step is None:
                break
            lo, hi, cats, idx = step
            steps.append(self._box(lo, hi, cats, idx))
        chosen = choose_step(steps, choose)
        inside = np.zeros(self.n, dtype=bool)
        inside[remaining[self._in_box(steps[chosen], remaining)]] = True
        return Trajectory(tuple(steps), peels, chosen, inside)

    def _in_box(self, box: Box, idx: np.ndarray) -> np.ndarray:
        """Which of the draws idx lie inside `box` (limits inclusive)."""
        xs = self.x[idx]
        keep = ((xs >= box.lower) & (xs <= box.upper)).all(axis=1)
        for k, allowed in enumerate(box.categories):
            keep &= np.isin(self.cat[idx, k], list(allowed))
        return keep

    # ------------------------------------------------------------------ objective
    @staticmethod
    def _objective(cases_old: int, n_old: int, cases_new: np.ndarray, n_new: np.ndarray) -> np.ndarray:
        """lenient1: the change in density divided by the change in the number of draws (0 when the
        density does not change); the densities computed as EMA Workbench computes them."""
        mean_old = cases_old / n_old
        with np.errstate(divide="ignore", invalid="ignore"):
            mean_new = np.where(n_new > 0, cases_new / np.maximum(n_new, 1), 0.0)
            change = np.abs(n_old - n_new).astype(float)
            obj = np.where((mean_new != mean_old) & (change > 0), (mean_new - mean_old) / change, 0.0)
        return obj

    def _best(self, obj: np.ndarray, restricted: np.ndarray) -> int:
        """The candidate of highest objective; among equals, the one restricting fewer columns, then
        the first (EMA Workbench's stable sort on (objective, unrestricted columns))."""
        order = np.lexsort((np.arange(len(obj)), restricted, -obj))
        return int(order[0])

    # ------------------------------------------------------------------ peeling
    def _peel(self, lo: np.ndarray, hi: np.ndarray, cats: tuple[frozenset[int], ...], idx: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, tuple[frozenset[int], ...], np.ndarray] | None:
        m = len(idx)
        if m == 0:
            return None
        xb, yb = self.xt[:, idx], self.y[idx]            # [D, m]
        cases_old = int(yb.sum())
        n_new, cases_new, n_restricted, limits = [], [], [], []
        base = set(self._restricted(lo, hi, cats))
        if self.d:
            v_hi, v_lo = _peel_values(xb, self.peel_alpha)
            keep_hi, keep_lo = xb <= v_hi[:, None], xb >= v_lo[:, None]
            # candidates in EMA Workbench's order: per number, the upper end then the lower end
            n_new.append(np.column_stack([np.count_nonzero(keep_hi, axis=1),
                                          np.count_nonzero(keep_lo, axis=1)]).ravel())
            cases_new.append(np.column_stack([np.count_nonzero(keep_hi[:, yb], axis=1),
                                              np.count_nonzero(keep_lo[:, yb], axis=1)]).ravel())
            for j in range(self.d):
                for side, v in (("hi", v_hi[j]), ("lo", v_lo[j])):
                    moved = v != (self.init_hi[j] if side == "hi" else self.init_lo[j])
                    other = hi[j] != self.init_hi[j] if side == "lo" else lo[j] != self.init_lo[j]
                    n_restricted.append(len(base - {j}) + (moved or other))
                    limits.append(("real", j, side, v))
        for k, allowed in enumerate(cats):
            if len(allowed) < 2:
                continue
            col = self.cat[idx, k]
            for c in sorted(allowed):
                kept = col != c
                n_new.append(np.array([np.count_nonzero(kept)]))
                cases_new.append(np.array([np.count_nonzero(kept & yb)]))
                new = allowed - {c}
                n_restricted.append(len(base - {self.d + k}) + (new != self.init_cat[k]))
                limits.append(("cat", k, c, new))
        if not limits:
            return None
        n_arr, c_arr = np.concatenate(n_new), np.concatenate(cases_new)
        obj = self._objective(cases_old, m, c_arr, n_arr)
        best = self._best(obj, np.asarray(n_restricted))
        mass_new, mass_old = n_arr[best] / self.n, m / self.n
        if not (mass_new >= self.mass_min and mass_new < mass_old and obj[best] > 0):
            return None
        kind, j, side, v = limits[best]
        lo, hi = lo.copy(), hi.copy()
        if kind == "real":
            if side == "hi":
                hi[j] = v
                keep_rows = xb[j] <= v
            else:
                lo[j] = v
                keep_rows = xb[j] >= v
        else:
            cats = tuple(v if i == j else c for i, c in enumerate(cats))
            keep_rows = self.cat[idx, j] != side
        return lo, hi, cats, idx[keep_rows]

    # ------------------------------------------------------------------ pasting
    def _paste(self, lo: np.ndarray, hi: np.ndarray, cats: tuple[frozenset[int], ...], idx: np.ndarray,
               remaining: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple[frozenset[int], ...], np.ndarray] | None:
        restricted = self._restricted(lo, hi, cats)
        real = [j for j in restricted if j < self.d]
        catr = [j - self.d for j in restricted if j >= self.d]
        xr = self.x[remaining][:, real]
        cr = self.cat[remaining][:, catr] if catr else None
        yr = self.y[remaining]

        def inside(lo_r: np.ndarray, hi_r: np.ndarray, cats_r: Sequence[frozenset[int]]) -> np.ndarray:
            keep = ((xr >= lo_r) & (xr <= hi_r)).all(axis=1)
            for q, k in enumerate(catr):
                keep &= np.isin(cr[:, q], list(cats_r[k]))
            return keep

        lo_r, hi_r = lo[real], hi[real]
        candidates = []       # (box limits, rows of `remaining` inside)
        for q, j in enumerate(real):
            for side in ("lo", "hi"):
                zone_lo, zone_hi = lo_r.copy(), hi_r.copy()
                if side == "lo":
                    zone_lo[q], zone_hi[q] = self.init_lo[j], lo_r[q]
                else:
                    zone_lo[q], zone_hi[q] = hi_r[q], self.init_hi[j]
                data = xr[inside(zone_lo, zone_hi, cats), q]
                if side == "lo":
                    value = _quantile(data, 1 - self.paste_alpha) if data.size else self.init_lo[j]
                else:
                    value = _quantile(data, self.paste_alpha) if data.size else self.init_hi[j]
                new_lo, new_hi = lo.copy(), hi.copy()
                (new_lo if side == "lo" else new_hi)[j] = value
                keep = inside(new_lo[real], new_hi[real], cats)
                candidates.append((new_lo, new_hi, cats, keep))
        for k in catr:
            for c in sorted(self.init_cat[k] - cats[k]):
                new_cats = tuple(cats[i] | {c} if i == k else cats[i] for i in range(len(cats)))
                candidates.append((lo, hi, new_cats, inside(lo_r, hi_r, new_cats)))
        if not candidates:
            return None
        m, cases_old = len(idx), int(self.y[idx].sum())
        n_arr = np.array([np.count_nonzero(c[3]) for c in candidates])
        c_arr = np.array([np.count_nonzero(c[3] & yr) for c in candidates])
        n_restricted = np.array([len(self._restricted(c[0], c[1], c[2])) for c in candidates])
        obj = self._objective(cases_old, m, c_arr, n_arr)
        best = self._best(obj, n_restricted)
        mass_new, mass_old = n_arr[best] / self.n, m / self.n
        mean_new, mean_old = (c_arr[best] / n_arr[best] if n_arr[best] else 0.0), cases_old / m
        if not (mass_new >= self.mass_min and mass_new > mass_old and obj[best] > 0 and mean_new > mean_old):
            return None
        new_lo, new_hi, new_cats, keep = candidates[best]
        return new_lo, new_hi, new_cats, remaining[keep]


def _peel_values(xb: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """(upper, lower) peeling values of each row of xb[D, m] (a number's draws in the box):
    sdtoolkit's quantile (`_quantile`) at 1 - alpha and at alpha, for all numbers at once."""
    m = xb.shape[1]
    k_hi = math.ceil((m - 1) * (1 - alpha))
    k_lo = math.floor((m - 1) * alpha)
    # the order statistics at k and next to it: the next distinct value is that neighbour unless it
    # ties, and only numbers with a tie there need a pass over their draws
    kth = sorted({k_lo, min(k_lo + 1, m - 1), max(k_hi - 1, 0), k_hi})
    part = np.partition(xb, kth, axis=1)
    a_hi, a_lo = part[:, k_hi], part[:, k_lo]
    b_hi = part[:, max(k_hi - 1, 0)].copy()
    b_lo = part[:, min(k_lo + 1, m - 1)].copy()
    tied = np.flatnonzero(b_hi == a_hi)
    if tied.size:
        rows = xb[tied]
        below = np.where(rows < a_hi[tied, None], rows, -np.inf).max(axis=1)
        b_hi[tied] = np.where(np.isfinite(below), below, a_hi[tied])
    tied = np.flatnonzero(b_lo == a_lo)
    if tied.size:
        rows = xb[tied]
        above = np.where(rows > a_lo[tied, None], rows, np.inf).min(axis=1)
        b_lo[tied] = np.where(np.isfinite(above), above, a_lo[tied])
    return (b_hi + a_hi) / 2, (a_lo + b_lo) / 2


def _quantile(data: np.ndarray, q: float) -> float:
    """sdtoolkit's quantile (as EMA Workbench's `get_quantile`): with i = (n - 1) q, the midpoint
    between the order statistic at i (floor for q < 0.5, ceiling above) and the next distinct value
    towards the middle, so a peel never splits equal values."""
    data = np.sort(np.asarray(data, dtype=float))
    i = (len(data) - 1) * q
    if q > 0.5:
        a = data[math.ceil(i)]
        less = data[data < a]
        return float((less[-1] if less.size else a) + a) / 2
    a = data[math.floor(i)]
    more = data[data > a]
    return float(a + (more[0] if more.size else a)) / 2
