"""Monte Carlo runs too long to keep: summaries folded block by block, in memory that does not grow with n.

`simulate_streamed(model, n, seed)` draws and evaluates the same blocks as `montecarlo.simulate`
(bit for bit), here or as tasks on a Dask cluster (`client=`, `blocks.map_blocks`), and keeps,
instead of the samples, what `juncture simulate` reports, merged in block order (so the result is
the same bit for bit whatever the number of workers):

- moments (count, mean and the sums of the 2nd to 4th powers of the deviations, merged by Chan's
  and Pebay's pairwise formulas) of each option's expected utility, certainty equivalent and
  expected consequences: means, standard deviations and their errors are exact up to rounding
  (they differ from a run that keeps the samples in the last digits only);
- P(best) and the risk probabilities the same way; P(better) between options as counts (exact);
- a histogram of each quantity per option on edges common to the options, from which quantiles
  and stochastic dominance are read. The edges come from the first block of draws (8,192
  samples): `KNOTS` intervals between its equally spaced quantiles (the options pooled), each
  split in `SPLIT` equal bins (16,384 bins laid where the samples are), a bin of its own for each
  value the block repeats (a point mass), and one bin below and one above the rest. A quantile
  is placed inside its bin as if the bin's samples were evenly spread between the bin's edges
  (or the option's smallest and largest sample where they lie inside): it lies within the bin's
  width of the exact order statistic, far below the quantile's Monte Carlo error from a million
  samples on. First- and second-order dominance compare the options' distributions at the bin
  edges only, so a violation narrower than a bin goes unseen (the result says so).

Memory: one task's block (`sampling.BLOCK` samples) and the running totals: about 24 bytes per
quantity, option and bin (some 5 MB for the Venezuela scenario's 9 quantities x 4 options),
whatever n is. 10^7 samples of the Venezuela scenario stay under 1 GB peak
(`benchmarks/bench_stream.py`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..compile import Model
from ..evaluate import exponential_utility, signed_value
from ..results import Result, Table
from .blocks import map_blocks
from .montecarlo import (
    QUANTILES,
    Block,
    Dominance,
    Progress,
    Run,
    Summary,
    criterion_units,
    evaluate_block,
    quantiles_of,
    simulation_dict,
    summary_of,
    utility_moments_scaled,
    utility_unit,
    value_unit,
)
from .sampling import BLOCK, DEFAULT_SEED, METHODS, n_blocks

KNOTS = 1024
"""Intervals between equally spaced quantiles of the first block that the histogram edges follow."""

SPLIT = 16
"""Equal bins each of those intervals is split into (KNOTS x SPLIT = 16,384 bins)."""

MAX_POINT_MASSES = 1024
"""Most values repeated in the first block that get a bin of their own, per quantity."""

STREAM_ABOVE = 1_000_000
"""`juncture simulate` streams above this many samples (keeping them takes about 260 MB per million
for the Venezuela scenario)."""

TASK_BLOCKS = 4
"""Blocks per task (a task's histogram is sent back whole, so a task covers several blocks);
fixed, so that the order in which partial results are merged never depends on the cluster."""

STREAMED_NOTE = ("streamed: the samples were summarised block by block and not kept; quantiles are read "
                 "from a histogram of {bins:,} bins per quantity laid on the first {pilot:,} samples' quantiles "
                 "(within a bin's width of the exact order statistics), stochastic dominance is compared at "
                 "the bin edges only; means, standard deviations, P(best), P(better) and risks are as from kept "
                 "samples, to rounding")


# ---------------------------------------------------------------------------- mergeable moments
@dataclass(frozen=True)
class Moments:
    """Count, mean and sums of squared, cubed and fourth-power deviations of each column of
    samples (arrays of one shape), merged without losing digits to cancellation."""

    n: int
    mean: np.ndarray
    m2: np.ndarray
    m3: np.ndarray
    m4: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray) -> Moments:
        """The moments of x[S, ...] along its first axis (two passes: exact for one block)."""
        mean = x.mean(axis=0, dtype=np.float64)
        dev = x - mean
        d2 = dev * dev
        return cls(int(x.shape[0]), mean, d2.sum(axis=0), (d2 * dev).sum(axis=0), (d2 * d2).sum(axis=0))

    def merge(self, other: Moments) -> Moments:
        """The moments of both sets of samples (Pebay 2008, eqs. 2.1-2.4 with pairwise terms)."""
        na, nb = float(self.n), float(other.n)
        n = na + nb
        d = other.mean - self.mean
        with np.errstate(invalid="ignore", over="ignore"):
            mean = self.mean + d * (nb / n)
            m2 = self.m2 + other.m2 + d * d * (na * nb / n)
            m3 = (self.m3 + other.m3 + d ** 3 * (na * nb * (na - nb) / n ** 2)
                  + 3.0 * d * (na * other.m2 - nb * self.m2) / n)
            m4 = (self.m4 + other.m4 + d ** 4 * (na * nb * (na * na - na * nb + nb * nb) / n ** 3)
                  + 6.0 * d * d * (na * na * other.m2 + nb * nb * self.m2) / n ** 2
                  + 4.0 * d * (na * other.m3 - nb * self.m3) / n)
        return Moments(self.n + other.n, mean, m2, m3, m4)

    def scaled(self, f: np.ndarray) -> Moments:
        """The moments of the samples multiplied by f (per column)."""
        return Moments(self.n, self.mean * f, self.m2 * f ** 2, self.m3 * f ** 3, self.m4 * f ** 4)

    def figures(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """mean, its se, sd, its se, by the formulas `montecarlo` uses on kept samples."""
        n = self.n
        if n < 2:
            nan = np.full(self.mean.shape, math.nan)
            return self.mean, nan, np.zeros(self.mean.shape), nan
        var = self.m2 / (n - 1)
        sd = np.sqrt(var)
        with np.errstate(invalid="ignore", divide="ignore"):
            sd_se = np.where(sd > 0, np.sqrt(np.clip(self.m4 / n - var ** 2, 0, None) / n) / (2 * sd), 0.0)
        return self.mean, sd / math.sqrt(n), sd, sd_se


# ---------------------------------------------------------------------------- the histogram's edges
@dataclass(frozen=True)
class Bins:
    """Histogram edges per quantity: edges[Q, B + 1] increasing, the first length[q] + 1 of row q
    real and the rest +inf. Bin 0 of quantity q holds the samples below edges[q, 0], bin i
    (1 <= i <= length[q]) those in [edges[q, i - 1], edges[q, i]), bin length[q] + 1 the rest."""

    edges: np.ndarray
    length: np.ndarray
    pilot: int

    @property
    def width(self) -> int:
        """Bins per quantity and option in the counts (the longest row, plus the two outer bins)."""
        return self.edges.shape[1] + 1


def edges_of(values: np.ndarray) -> np.ndarray:
    """Histogram edges from one quantity's sample values (all options pooled): KNOTS x SPLIT bins
    between equally spaced quantiles, and a bin [x, next float) for each repeated value x."""
    x = np.sort(values[np.isfinite(values)].ravel())
    if not x.size:
        return np.zeros(1)
    knots = np.quantile(x, np.linspace(0.0, 1.0, KNOTS + 1))
    t = np.linspace(0.0, 1.0, SPLIT + 1)[:-1]
    fine = (knots[:-1, None] + (knots[1:] - knots[:-1])[:, None] * t[None, :]).ravel()
    repeated = np.unique(x[1:][x[1:] == x[:-1]])
    if len(repeated) > MAX_POINT_MASSES:
        counts = np.searchsorted(x, repeated, side="right") - np.searchsorted(x, repeated, side="left")
        repeated = np.sort(repeated[np.argsort(-counts, kind="stable")[:MAX_POINT_MASSES]])
    return np.unique(np.concatenate([fine, knots[-1:], repeated, np.nextafter(repeated, np.inf)]))


def quantities(model: Model, b: Block) -> np.ndarray:
    """x[S, Q, O]: per sample the quantities whose distributions are summarised: expected utility
    (its certainty equivalent in value units, larger better, under exponential utility: the same
    order without the float range's limits), the certainty equivalent, each criterion."""
    first = b.utility if model.risk_tolerance is None else signed_value(model, b.certainty_equivalent)
    crit = np.moveaxis(b.expected, 2, 1).astype(np.float64)
    return np.concatenate([first[:, None, :], b.certainty_equivalent[:, None, :], crit], axis=1)


def bins_for(model: Model, pilot: Block) -> Bins:
    """The edges of every quantity from one evaluated block (the run's first)."""
    x = quantities(model, pilot)
    rows = [edges_of(x[:, q, :]) for q in range(x.shape[1])]
    width = max(len(r) for r in rows)
    edges = np.full((len(rows), width), np.inf)
    for q, r in enumerate(rows):
        edges[q, :len(r)] = r
    return Bins(edges=edges, length=np.array([len(r) - 1 for r in rows]), pilot=int(pilot.utility.shape[0]))


# ---------------------------------------------------------------------------- one block's summaries
@dataclass(frozen=True)
class Stats:
    """What a streamed run keeps of a set of samples; `merge` folds two sets (the earlier first).

    moments[Q, O] of the quantities (`quantities`); top[O] and y[O]: under exponential utility,
    the largest z = -value / R and the moments of exp(z - top), from which expected utility's are
    read without overflow (None when risk-neutral); share[O]: each option's share of best;
    risk[O, R]; lo, hi [Q, O]: smallest and largest sample; counts[Q, O, bins] (`Bins`);
    better[Q, O, O]: samples in which option i's quantity is larger than j's; ties[Q, O, O]: equal.
    """

    n: int
    moments: Moments
    top: np.ndarray | None
    y: Moments | None
    share: Moments
    risk: Moments
    lo: np.ndarray
    hi: np.ndarray
    counts: np.ndarray
    better: np.ndarray
    ties: np.ndarray

    def merge(self, o: Stats) -> Stats:
        top = y = None
        if self.top is not None and o.top is not None and self.y is not None and o.y is not None:
            top = np.maximum(self.top, o.top)
            y = self.y.scaled(np.exp(self.top - top)).merge(o.y.scaled(np.exp(o.top - top)))
        return Stats(n=self.n + o.n, moments=self.moments.merge(o.moments), top=top, y=y,
                     share=self.share.merge(o.share), risk=self.risk.merge(o.risk),
                     lo=np.minimum(self.lo, o.lo), hi=np.maximum(self.hi, o.hi), counts=self.counts + o.counts,
                     better=self.better + o.better, ties=self.ties + o.ties)


def block_stats(model: Model, bins: Bins, b: Block) -> Stats:
    """The `Stats` of one evaluated block."""
    x = quantities(model, b)                                             # [S, Q, O]
    s, nq, no = x.shape
    xs = np.sort(x, axis=0)
    counts = np.empty((nq, no, bins.width), dtype=np.int64)
    better = np.empty((nq, no, no), dtype=np.int64)
    ties = np.empty((nq, no, no), dtype=np.int64)
    below = np.empty(bins.width + 1, dtype=np.int64)
    below[0], below[-1] = 0, s
    for q in range(nq):
        for o in range(no):
            # samples below each edge, from the sorted samples (2-3 times faster than binning each)
            below[1:-1] = np.searchsorted(xs[:, q, o], bins.edges[q], side="left")
            counts[q, o] = np.diff(below)
        xq = x[:, q, :]
        better[q] = (xq[:, :, None] > xq[:, None, :]).sum(axis=0)
        ties[q] = (xq[:, :, None] == xq[:, None, :]).sum(axis=0)
    top = y = None
    if model.risk_tolerance is not None:
        z = -x[:, 0, :] / model.risk_tolerance
        top = z.max(axis=0)
        y = Moments.of(np.exp(z - top))
    share = b.best / np.maximum(b.best.sum(axis=1, keepdims=True), 1)
    return Stats(n=s, moments=Moments.of(x), top=top, y=y, share=Moments.of(share),
                 risk=Moments.of(b.risk.astype(np.float64)), lo=xs[0], hi=xs[-1], counts=counts,
                 better=better, ties=ties)


@dataclass(frozen=True)
class StreamRun:
    """What every task of a streamed run shares: the run and the histogram's edges."""

    run: Run
    bins: Bins


def summarize_task(job: StreamRun, t: int) -> Stats:
    """Task t: blocks t x TASK_BLOCKS to the next task's first, evaluated one at a time and
    their `Stats` merged in order. Pure in (job, t)."""
    total = None
    last = min((t + 1) * TASK_BLOCKS, n_blocks(job.run.n))
    for k in range(t * TASK_BLOCKS, last):
        st = block_stats(job.run.model, job.bins, evaluate_block(job.run, k))
        total = st if total is None else total.merge(st)
    assert total is not None  # a task covers at least one block by construction
    return total


def simulate_streamed(model: Model, n: int = 10_000, seed: int | None = DEFAULT_SEED, method: str = "random",
                      progress: bool | None = None, quantiles: Sequence[float] = QUANTILES,
                      client: Any = None) -> StreamedMonteCarlo:
    """`montecarlo.simulate`'s summaries without keeping the samples: memory does not grow with n.

    n, seed, method, progress, quantiles: as `simulate` (the same draws, bit for bit).
    client: a `dask.distributed.Client` whose workers run the tasks (`blocks.connect`); None runs
        them here. The result is the same bit for bit either way.
    """
    if method not in METHODS:
        raise ValueError(f"simulate_streamed(): method must be one of {', '.join(METHODS)}; got {method!r}")
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ValueError(f"simulate_streamed(): n must be a positive number of samples; got {n!r}")
    qs = tuple(float(q) for q in quantiles)
    if any(not 0.0 <= q <= 1.0 for q in qs):
        raise ValueError(f"simulate_streamed(): quantiles must lie in [0, 1]; got {list(quantiles)}")
    seed = DEFAULT_SEED if seed is None else seed
    run = Run(model=model, n=int(n), seed=seed, method=method)
    # the edges come from block 0, evaluated here: the same wherever the other blocks run
    job = StreamRun(run=run, bins=bins_for(model, evaluate_block(run, 0)))
    tasks = -(-n_blocks(n) // TASK_BLOCKS)
    total: Stats | None = None
    with Progress(n, "simulate", progress) as bar:
        for t, st in map_blocks(summarize_task, job, tasks, client=client):
            total = st if total is None else total.merge(st)
            bar.update(min(n, (t + 1) * TASK_BLOCKS * BLOCK))
    assert total is not None and total.n == n
    return StreamedMonteCarlo(model=model, seed=seed, method=method, n=int(n), stats=total, bins=job.bins,
                              quantiles=qs)


# ---------------------------------------------------------------------------- the result
@dataclass(frozen=True, eq=False, repr=False)
class StreamedMonteCarlo(Result):
    """The summaries of a streamed Monte Carlo run (`simulate_streamed`): what a `MonteCarlo`
    reports (summary, P(best), risks, dominance, to_dict in the shape of `juncture simulate --json`,
    with "streamed": true) without its per-sample arrays. See the module doc for what is exact."""

    model: Model
    seed: int
    method: str
    n: int
    stats: Stats
    bins: Bins
    quantiles: tuple[float, ...] = QUANTILES
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def options(self) -> tuple[str, ...]:
        return self.model.options

    @property
    def note(self) -> str:
        """How the figures were read (said in every summary of the run)."""
        return STREAMED_NOTE.format(bins=int(self.bins.length.max()), pilot=self.bins.pilot)

    def axis(self, of: str) -> tuple[int, float, str]:
        """(row of the quantity in the stats, direction, unit) for 'utility', 'certainty_equivalent'
        or a criterion id; direction +1 where larger is better."""
        m = self.model
        if of == "utility":
            return 0, 1.0, utility_unit(m)
        if of == "certainty_equivalent":
            return 1, (-1.0 if (m.raw_value and m.directions[0] < 0) else 1.0), value_unit(m)
        if of in m.criteria:
            c = m.criteria.index(of)
            return 2 + c, float(m.directions[c]), criterion_units(m)[c]
        raise ValueError(f"StreamedMonteCarlo: of must be 'utility', 'certainty_equivalent' or a criterion "
                         f"({', '.join(m.criteria)}); got {of!r}")

    def p_best(self) -> tuple[np.ndarray, np.ndarray]:
        """(p[O], se[O]): probability that each option is best, ties shared equally."""
        p, se, _, _ = self.stats.share.figures()
        return p, se

    def order_statistic(self, q: int, i: int) -> np.ndarray:
        """[O] the i-th smallest sample (0-based) of quantity q per option, as the histogram places it."""
        st = self.stats
        key = ("cum", q)
        if key not in self._cache:
            self._cache[key] = np.cumsum(st.counts[q], axis=1)
        cum = self._cache[key]
        lo, hi = st.lo[q], st.hi[q]
        if i <= 0:
            return lo.astype(float)
        if i >= self.n - 1:
            return hi.astype(float)
        edges, last = self.bins.edges[q], int(self.bins.length[q])
        out = np.empty(len(lo))
        for o in range(len(lo)):
            b = int(np.searchsorted(cum[o], i, side="right"))
            before = int(cum[o, b - 1]) if b else 0
            lower = max(edges[b - 1] if b >= 1 else -np.inf, lo[o])
            upper = min(edges[b] if b <= last else np.inf, hi[o])
            out[o] = min(lower + (i - before + 0.5) / st.counts[q, o, b] * (upper - lower), upper)
        return out

    def summary(self, of: str = "utility") -> Summary:
        """Mean, standard deviation and quantiles of `of` per option (and P(best)), as `montecarlo.summary`."""
        q, direction, unit = self.axis(of)
        r = self.model.risk_tolerance
        if of == "utility" and r is not None:
            assert self.stats.top is not None and self.stats.y is not None
            moments = utility_moments_scaled(self.stats.top, self.stats.y.figures())

            def stat(i: int) -> np.ndarray:
                with np.errstate(over="ignore"):
                    return exponential_utility(self.order_statistic(0, i), r)
        else:
            m = self.stats.moments
            moments = Moments(m.n, m.mean[q], m.m2[q], m.m3[q], m.m4[q]).figures()

            def stat(i: int) -> np.ndarray:
                return self.order_statistic(q, i)
        return summary_of(self, of, unit, direction, moments, quantiles_of(stat, self.n, self.quantiles),
                          notes=[self.note])

    def risk_summary(self) -> tuple[np.ndarray, np.ndarray]:
        """(mean[O, R], se[O, R]): each risk's mean probability across the samples, its standard error."""
        mean, se, _, _ = self.stats.risk.figures()
        return mean, se

    def risk_means(self) -> np.ndarray:
        return self.stats.risk.mean

    def dominance(self, of: str = "utility") -> Dominance:
        """Pairwise stochastic dominance of the options' distributions of `of` (`montecarlo.Dominance`),
        compared at the histogram's edges; P(better) is exact."""
        q, direction, unit = self.axis(of)
        st, n = self.stats, self.n
        last = int(self.bins.length[q])
        cum = np.cumsum(st.counts[q], axis=1)[:, :last + 1]            # samples below each edge
        lo_all, hi_all = float(st.lo[q].min()), float(st.hi[q].max())
        pts = np.clip(np.concatenate([[lo_all], self.bins.edges[q, :last + 1], [hi_all]]), lo_all, hi_all)
        below = np.column_stack([np.zeros(len(cum), dtype=np.int64), cum, np.full(len(cum), n)])
        better = st.better[q]
        if direction < 0:                                              # smaller better: mirror
            below, pts, better = n - below[:, ::-1], -pts[::-1], better.T
        r = self.model.risk_tolerance
        u = pts if not (of == "utility" and r is not None) else -np.exp(-(pts - pts[0]) / r)
        o = len(self.options)
        off = ~np.eye(o, dtype=bool)
        diff = below[:, None, :] - below[None, :, :]                   # i's CDF minus j's, in samples
        first = (diff <= 0).all(axis=2) & (diff < 0).any(axis=2) & off
        first_gap = np.where(off, np.clip(diff.max(axis=2), 0, None) / n, 0.0)
        area = np.concatenate([np.zeros((o, 1)), np.cumsum((below[:, :-1] + below[:, 1:]) / 2.0 * np.diff(u), axis=1)],
                              axis=1) / n                                   # integral of each CDF up to each point
        tol = 1e-12 * max(float(np.abs(u).max()), 1.0)
        da = area[:, None, :] - area[None, :, :]
        second = (da <= tol).all(axis=2) & (da < -tol).any(axis=2) & off
        second_gap = np.where(off, np.clip(da.max(axis=2), 0, None), 0.0)
        if of == "utility" and r is not None:
            with np.errstate(over="ignore"):
                second_gap = second_gap * np.exp(-pts[0] / r)
        p_better = np.where(off, (better + 0.5 * st.ties[q]) / n, 0.0)
        return Dominance(of=of, unit=unit, direction=direction, options=self.options, n=n, first_order=first,
                         second_order=second, first_gap=first_gap, second_gap=second_gap,
                         noise=math.sqrt(math.log(20.0) / n), p_better=p_better)

    def __repr__(self) -> str:
        return (f"Streamed Monte Carlo of {self.model.scenario.meta.id}: {self.n:,} samples ({self.method}, "
                f"seed {self.seed})\n" + self.table().to_text())

    def table(self) -> Table:
        """The summary of expected utility: P(best), mean, standard deviation, quantiles."""
        return self.summary().table()

    def to_dict(self) -> dict[str, Any]:
        """The shape `juncture simulate --json` prints (`montecarlo.simulation_dict`), "streamed": true."""
        return simulation_dict(self, streamed=True, notes=[self.note])
