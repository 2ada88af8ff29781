"""Monte Carlo: the distribution of each option's utility and consequences under parameter uncertainty.

`simulate(model, n, seed)` draws the parameter vector n times (`sampling.draw_blocks`), evaluates
each block with `model.evaluate.evaluate`, and keeps per sample and option the expected utility,
the certainty equivalent, which options are best, the expected consequences and the risk
probabilities. Everything else is read from those arrays: summaries (mean, standard deviation,
quantiles), the probability that each option is best, risk profiles (cumulative distributions),
pairwise stochastic dominance, each figure with its Monte Carlo standard error.

What is distributed here is parameter uncertainty: one sample is one set of the file's numbers,
and an option's "utility" in that sample is its expected utility over the tree's own chance
events. A risk profile is therefore the cumulative distribution of an option's expected utility
(or expected consequence) across the analyst's uncertainty about the numbers.

Memory: blocks of `sampling.BLOCK` samples are drawn and evaluated one at a time (here, or as
tasks on a Dask cluster: `client=`, see `blocks.map_blocks`; the arrays are the same bit for bit);
what is kept is O(n x options x (criteria + risks)) numbers, consequences and risk probabilities
as float32 (7 significant digits, far below the Monte Carlo error). 1,000,000 samples of the
Venezuela scenario keep about 260 MB. For longer runs `model.analysis.streaming.simulate_streamed`
keeps summaries instead of samples, in memory that does not grow with n.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..compile import Model
from ..evaluate import evaluate, signed_value, utility_overflow_note
from ..results import Result, Table, table
from .blocks import map_blocks
from .sampling import BLOCK, DEFAULT_SEED, METHODS, draw_block, n_blocks

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
"""Quantiles reported by default."""

LHS_ERROR_NOTE = ("Latin hypercube draws: the standard errors use the formula for independent draws, "
                  "which overstates the error of means and P(best) (often several times); for a measured "
                  "error, compare runs with different seeds")
"""Said wherever a Latin hypercube run shows standard errors."""

Z95 = 1.959963984540054
"""Normal quantile of a 95% two-sided interval, used for the order-statistic error of a quantile."""


# ---------------------------------------------------------------------------- progress
class Progress:
    """A one-line progress bar on stderr when it is a terminal, or a text line updated in place in
    a Jupyter notebook; nothing otherwise (pipes, files, CI logs). Appears only after `delay`
    seconds, so short runs print nothing.

    enabled: None decides as above; False never shows; True shows wherever it can.
    """

    def __init__(self, total: int, label: str, enabled: bool | None = None, delay: float = 0.5) -> None:
        self.total, self.label, self.delay = max(int(total), 1), label, delay
        self.t0 = time.perf_counter()
        self.last = 0.0
        self.shown = False
        self.handle: Any = None
        self.mode = self._mode() if enabled is not False else None
        if enabled is True and self.mode is None:
            self.mode = "terminal"

    @staticmethod
    def _mode() -> str | None:
        try:
            if sys.stderr is not None and sys.stderr.isatty():
                return "terminal"
        except (AttributeError, ValueError):
            pass
        shell = sys.modules.get("IPython")
        if shell is not None and "ipykernel" in sys.modules:
            try:
                ip = shell.get_ipython()
                if ip is not None and type(ip).__name__ == "ZMQInteractiveShell":
                    return "notebook"
            except (AttributeError, RuntimeError):  # pragma: no cover - an unusual IPython
                return None
        return None

    def _line(self, done: int) -> str:
        frac = min(done / self.total, 1.0)
        width = 30
        fill = round(frac * width)
        elapsed = time.perf_counter() - self.t0
        eta = elapsed * (1 - frac) / frac if frac > 0 else math.nan
        tail = f"{elapsed:.1f} s" + (f", {eta:.1f} s left" if 0 < frac < 1 else "")
        return f"{self.label} [{'#' * fill}{'.' * (width - fill)}] {done:,}/{self.total:,} ({tail})"

    def update(self, done: int) -> None:
        if self.mode is None:
            return
        now = time.perf_counter()
        if now - self.t0 < self.delay or (now - self.last < 0.1 and done < self.total):
            return
        self.last = now
        self._show(self._line(done))

    def _show(self, text: str) -> None:
        if self.mode == "terminal":
            sys.stderr.write("\r" + text)
            sys.stderr.flush()
        else:
            from IPython.display import display  # only in a notebook, where IPython is loaded

            if self.handle is None:
                self.handle = display({"text/plain": text}, raw=True, display_id=True)
            else:
                self.handle.update({"text/plain": text}, raw=True)
        self.shown = True

    def close(self, done: int | None = None) -> None:
        if self.shown:
            self._show(self._line(self.total if done is None else done))
            if self.mode == "terminal":
                sys.stderr.write("\n")
                sys.stderr.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------------------- units and scales
def value_unit(model: Model) -> str:
    """Unit of certainty equivalents and values: the criterion's unit for one raw criterion,
    else value score 0-1."""
    sc = model.scenario
    if model.raw_value:
        unit = (sc.criteria[0].unit or "") if sc.criteria else ""
        return unit or "payoff"
    return "value 0-1"


def utility_unit(model: Model) -> str:
    """Unit of expected utility: the value unit when risk-neutral, else utility (1 - exp(-x/R))."""
    if model.risk_tolerance is None:
        return value_unit(model) if not (model.raw_value and model.directions[0] < 0) else \
            f"-{value_unit(model)} (a cost, negated)"
    return "utility"


def criterion_units(model: Model) -> list[str]:
    return [(c.unit or "") for c in model.scenario.criteria] or [""]


# ---------------------------------------------------------------------------- the result
@dataclass(frozen=True, eq=False, repr=False)
class MonteCarlo(Result):
    """Per-sample results of a Monte Carlo run; every array's first axis is the sample (S).

    utility[S, O]: expected utility of each option (as `evaluate` defines it).
    certainty_equivalent[S, O]: in the value unit (`value_unit`); a cost for one raw minimised
        criterion, as in `juncture evaluate`.
    best[S, O]: True for the options of highest expected utility in the sample (ties: several).
    expected[S, O, C]: expected consequence on each criterion in its unit (float32).
    risk[S, O, R]: probability of each risk (float32).
    theta[S, P]: the draws, when kept (`keep_theta=True`), else None.
    seed, method: how the draws were made; the same (seed, n, method) gives the same arrays.

    table(): the summary of expected utility; to_dict(): the shape `juncture simulate --json` prints.
    """

    model: Model
    seed: int | None
    method: str
    utility: np.ndarray
    certainty_equivalent: np.ndarray
    best: np.ndarray
    expected: np.ndarray
    risk: np.ndarray
    theta: np.ndarray | None = None
    quantiles: tuple[float, ...] = QUANTILES
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def n(self) -> int:
        return self.utility.shape[0]

    @property
    def options(self) -> tuple[str, ...]:
        return self.model.options

    @property
    def value(self) -> np.ndarray:
        """[S, O] certainty equivalents in value units, larger better (see `signed_value`)."""
        return signed_value(self.model, self.certainty_equivalent)

    def samples(self, of: str = "utility") -> tuple[np.ndarray, float, str]:
        """(x[S, O], direction, unit) for 'utility', 'certainty_equivalent' or a criterion id.
        direction is +1 where larger is better, -1 where smaller is."""
        m = self.model
        if of == "utility":
            return self.utility, 1.0, utility_unit(m)
        if of == "certainty_equivalent":
            d = -1.0 if (m.raw_value and m.directions[0] < 0) else 1.0
            return self.certainty_equivalent, d, value_unit(m)
        if of in m.criteria:
            c = m.criteria.index(of)
            return self.expected[:, :, c], float(m.directions[c]), criterion_units(m)[c]
        raise ValueError(f"MonteCarlo.samples(): of must be 'utility', 'certainty_equivalent' or a "
                         f"criterion ({', '.join(m.criteria)}); got {of!r}")

    def sorted(self, of: str = "utility") -> np.ndarray:
        """[S, O] the samples of `of` sorted per option (kept after the first call)."""
        if of not in self._cache:
            x, _, _ = self.samples(of)
            self._cache[of] = np.sort(x, axis=0)
        return self._cache[of]

    def p_best(self) -> tuple[np.ndarray, np.ndarray]:
        """(p[O], se[O]): probability that each option is best, ties shared equally."""
        return _p_best(self.best)

    def summary(self, of: str = "utility") -> Summary:
        return summary(self, of)

    def risk_profile(self, of: str = "utility", points: int = 101) -> RiskProfile:
        return risk_profile(self, of, points)

    def dominance(self, of: str = "utility") -> Dominance:
        return dominance(self, of)

    def __repr__(self) -> str:
        return (f"MonteCarlo of {self.model.scenario.meta.id}: {self.n:,} samples ({self.method}, "
                f"seed {self.seed})\n" + self.table().to_text())

    def table(self) -> Table:
        """The summary of expected utility: P(best), mean, standard deviation, quantiles."""
        return summary(self).table()

    def to_dict(self) -> dict[str, Any]:
        """Per option P(best), the distribution of expected utility, of the certainty equivalent
        and of each criterion (each figure with its standard error, `Summary.to_dict`), the mean
        probability of each risk; the dominance of expected utility; how the draws were made."""
        return simulation_dict(self)

    def risk_summary(self) -> tuple[np.ndarray, np.ndarray]:
        """(mean[O, R], se[O, R]): each risk's mean probability across the samples, its standard error."""
        mean, se, _, _ = _moments(self.risk.reshape(self.n, -1))
        shape = (len(self.options), len(self.model.risks))
        return mean.reshape(shape), se.reshape(shape)

    def risk_means(self) -> np.ndarray:
        """[O, R] each risk's mean probability across the samples (as `juncture simulate --json` gives it)."""
        return self.risk.mean(axis=0, dtype=float)


def simulation_dict(mc: Any, streamed: bool = False, notes: Sequence[str] = ()) -> dict[str, Any]:
    """The shape `juncture simulate --json` prints, from a run's summaries (a `MonteCarlo`, or a
    streamed run with the same methods: summary, risk_means, dominance); `streamed` and `notes`
    say how the figures were read."""
    m = mc.model
    util, ce = mc.summary("utility"), mc.summary("certainty_equivalent")
    crit = {c: mc.summary(c) for c in m.criteria}
    u, cd = util.to_dict(), ce.to_dict()
    cr = {c: s.to_dict() for c, s in crit.items()}
    rmean = mc.risk_means()
    options: dict[str, Any] = {}
    for i, o in enumerate(m.options):
        d = dict(u[o])
        p_best, p_best_se = d.pop("p_best"), d.pop("p_best_se")
        c = {k: v for k, v in cd[o].items() if k not in ("p_best", "p_best_se")}
        options[o] = {"p_best": p_best, "p_best_se": p_best_se, "utility": d, "certainty_equivalent": c,
                      "criteria": {k: cr[k][o] for k in m.criteria},
                      "risks": {r: _num(rmean[i, k]) for k, r in enumerate(m.risks)}}
    return {"scenario": m.scenario.meta.id, "world": m.world, "samples": mc.n, "seed": mc.seed,
            "method": mc.method,
            "risk_attitude": "risk-neutral" if m.risk_tolerance is None else f"exponential, R = {m.risk_tolerance:g}",
            "units": {"utility": util.unit, "certainty_equivalent": ce.unit,
                      **{c: s.unit for c, s in crit.items()}},
            "quantiles": list(mc.quantiles), "options": options,
            "dominance": mc.dominance("utility").to_dict(), "streamed": streamed,
            "notes": list(util.notes) + [n for n in notes if n not in util.notes]}


@dataclass(frozen=True)
class Run:
    """What every block of one Monte Carlo run shares (sent once to each worker of a cluster):
    the model, the number of samples, how they are drawn, and whether the draws are kept."""

    model: Model
    n: int
    seed: int
    method: str
    keep_theta: bool = False


@dataclass(frozen=True)
class Block:
    """One evaluated block of a run: samples start to start + len; arrays as in `MonteCarlo`."""

    start: int
    utility: np.ndarray
    certainty_equivalent: np.ndarray
    best: np.ndarray
    expected: np.ndarray
    risk: np.ndarray
    theta: np.ndarray | None


def evaluate_block(run: Run, k: int) -> Block:
    """Draw block k of the run (`sampling.draw_block`) and evaluate it: a task, pure in (run, k)."""
    th = draw_block(run.model, run.n, k, run.seed, run.method)
    ev = evaluate(run.model, th)
    return Block(start=k * BLOCK, utility=ev.utility, certainty_equivalent=ev.certainty_equivalent, best=ev.best,
                 expected=ev.expected.astype(np.float32), risk=ev.risk.astype(np.float32),
                 theta=th if run.keep_theta else None)


def _rows_task(job: tuple[Model, np.ndarray], k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows k x BLOCK to the next block's first of theta, evaluated: a task, pure in (job, k)."""
    model, theta = job
    ev = evaluate(model, theta[k * BLOCK:(k + 1) * BLOCK])
    return ev.utility, ev.certainty_equivalent, ev.best


def evaluate_rows(model: Model, theta: np.ndarray, client: Any = None,
                  progress: bool | None = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(utility[S, O], certainty_equivalent[S, O], best[S, O]) of `evaluate` at every row of
    theta[S, P], a block of `sampling.BLOCK` rows at a time: here, or as tasks on the workers of
    `client` (a `dask.distributed.Client`, `blocks.connect`), the same arrays bit for bit.

    For an analysis that chooses its own parameter vectors (a Saltelli matrix for Sobol indices,
    an experiment design) and wants them evaluated on a cluster: one call in place of
    `evaluate(model, theta)`. theta is sent once to each worker; memory per worker is one block's
    evaluation. An analysis that draws from the file's distributions calls `simulate(...,
    keep_theta=True, client=client)` instead (its draws are then seeded per block, as everywhere).
    """
    theta = np.ascontiguousarray(np.atleast_2d(np.asarray(theta, dtype=float)))
    if theta.shape[1] != model.n_params:
        raise ValueError(f"evaluate_rows(): theta has {theta.shape[1]} parameters per row; the model has "
                         f"{model.n_params}")
    s, o = theta.shape[0], len(model.options)
    utility, ce, best = np.empty((s, o)), np.empty((s, o)), np.empty((s, o), dtype=bool)
    with Progress(s, "evaluate", progress) as bar:
        for k, (u, c, b) in map_blocks(_rows_task, (model, theta), n_blocks(s), client=client):
            rows = slice(k * BLOCK, k * BLOCK + u.shape[0])
            utility[rows], ce[rows], best[rows] = u, c, b
            bar.update(rows.stop)
    return utility, ce, best


def simulate(model: Model, n: int = 10_000, seed: int | None = DEFAULT_SEED, method: str = "random",
             keep_theta: bool = False, progress: bool | None = None,
             quantiles: Sequence[float] = QUANTILES, client: Any = None) -> MonteCarlo:
    """Draw the parameters n times and evaluate the model on every draw, a block at a time.

    n: number of samples; method: 'random' or 'lhs'.
    seed: the draws are a function of (seed, n, method) alone (see `sampling.draw_blocks`); None
        is the documented default seed `model.analysis.DEFAULT_SEED`, never fresh randomness (pass
        another int for other draws).
    keep_theta: also keep the draws [n, P] (8 bytes per sample and parameter; needed by EVPPI).
    progress: show a progress bar (None: on a terminal or in a notebook; False: never).
    client: a `dask.distributed.Client` whose workers evaluate the blocks (`blocks.connect`);
        None evaluates them here. The arrays are the same bit for bit either way.
    """
    if method not in METHODS:
        raise ValueError(f"simulate(): method must be one of {', '.join(METHODS)}; got {method!r}")
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ValueError(f"simulate(): n must be a positive number of samples; got {n!r}")
    qs = tuple(float(q) for q in quantiles)
    if any(not 0.0 <= q <= 1.0 for q in qs):
        raise ValueError(f"simulate(): quantiles must lie in [0, 1]; got {list(quantiles)}")
    seed = DEFAULT_SEED if seed is None else seed
    o, c, r = len(model.options), len(model.criteria), len(model.risks)
    utility = np.empty((n, o))
    ce = np.empty((n, o))
    best = np.empty((n, o), dtype=bool)
    expected = np.empty((n, o, c), dtype=np.float32)
    risk = np.empty((n, o, r), dtype=np.float32)
    theta_t = np.empty((model.n_params, n)) if keep_theta else None
    run = Run(model=model, n=int(n), seed=seed, method=method, keep_theta=keep_theta)
    done = 0
    with Progress(n, "simulate", progress) as bar:
        for _, b in map_blocks(evaluate_block, run, n_blocks(n), client=client):
            start, stop = b.start, b.start + b.utility.shape[0]
            utility[start:stop] = b.utility
            ce[start:stop] = b.certainty_equivalent
            best[start:stop] = b.best
            expected[start:stop] = b.expected
            risk[start:stop] = b.risk
            if theta_t is not None:
                theta_t[:, start:stop] = b.theta.T
            done += stop - start
            bar.update(done)
    return MonteCarlo(model=model, seed=seed, method=method, utility=utility, certainty_equivalent=ce,
                      best=best, expected=expected, risk=risk,
                      theta=theta_t.T if theta_t is not None else None, quantiles=qs)


# ---------------------------------------------------------------------------- statistics
def _p_best(best: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    share = best / np.maximum(best.sum(axis=1, keepdims=True), 1)
    n = best.shape[0]
    p = share.mean(axis=0)
    se = share.std(axis=0, ddof=1) / math.sqrt(n) if n > 1 else np.full(p.shape, math.nan)
    return p, se


def quantiles_sorted(xs: np.ndarray, qs: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """(values[K, O], se[K, O]) of quantiles qs from samples sorted along axis 0.

    Values interpolate linearly between order statistics (numpy's default). The standard error
    is distribution-free: the 95% order-statistic interval [x_(l), x_(u)] with
    l, u = nq -/+ 1.96 sqrt(nq(1-q)), divided by 2 x 1.96.

    An order statistic of -inf (a utility below the float range) gives a quantile of -inf where
    it takes part, and an unknown (NaN) standard error.
    """
    return quantiles_of(lambda i: xs[i].astype(float), xs.shape[0], qs)


def quantiles_of(stat: Any, n: int, qs: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """`quantiles_sorted` read through stat(i) -> [O], the i-th smallest value (0-based) of each
    column of n samples: exact from sorted samples, or as a histogram places it (`streaming`)."""
    vals, errs = [], []
    with np.errstate(invalid="ignore"):
        for q in qs:
            h = (n - 1) * q
            lo = math.floor(h)
            hi = min(lo + 1, n - 1)
            x_lo, x_hi = stat(lo), stat(hi)
            v = x_lo + (h - lo) * (x_hi - x_lo)
            vals.append(np.where(np.isfinite(x_lo) & np.isfinite(x_hi), v,
                                 x_lo if h == lo else np.minimum(x_lo, x_hi)))
            half = Z95 * math.sqrt(n * q * (1 - q))
            a = min(max(math.floor(n * q - half), 0), n - 1)
            b = min(max(math.ceil(n * q + half), 0), n - 1)
            e = (stat(b) - stat(a)) / (2 * Z95)
            errs.append(np.where(np.isfinite(e), e, np.nan))
    return np.array(vals, dtype=float), np.array(errs, dtype=float)


def _moments(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """mean, its se, sd, its se per column of x[S, O] (se of sd by the delta method on the
    sample variance: sqrt((m4 - s^4) / n) / (2 s))."""
    n = x.shape[0]
    mean = x.mean(axis=0, dtype=np.float64)
    if n < 2:
        nan = np.full(mean.shape, math.nan)
        return mean, nan, np.zeros(mean.shape), nan
    dev = x - mean
    var = (dev * dev).sum(axis=0, dtype=np.float64) / (n - 1)
    sd = np.sqrt(var)
    m4 = (dev ** 4).mean(axis=0, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd_se = np.where(sd > 0, np.sqrt(np.clip(m4 - var ** 2, 0, None) / n) / (2 * sd), 0.0)
    return mean, sd / math.sqrt(n), sd, sd_se


def _utility_moments(mc: MonteCarlo) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`_moments` of exponential utilities u = 1 - exp(z), z = -CE / R, without overflow.

    Per option, with m the largest z: u = 1 - e^m y and y = exp(z - m) in (0, 1], so the moments
    of u are those of y scaled by e^m, taken as exp(m + ln(moment of y)). A figure beyond the
    float range comes out infinite (shown blank, null in JSON) instead of poisoning the others.
    """
    z = -mc.value / mc.model.risk_tolerance                           # [S, O]
    top = z.max(axis=0)
    y = np.exp(z - top)
    return utility_moments_scaled(top, _moments(y))


def utility_moments_scaled(top: np.ndarray, moments_y: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """(mean, its se, sd, its se) of exponential utilities u = 1 - e^top y from those of
    y = exp(z - top) (`_utility_moments`)."""
    mean_y, mean_se_y, sd_y, sd_se_y = moments_y
    with np.errstate(over="ignore", divide="ignore"):
        def scaled(v: np.ndarray) -> np.ndarray:
            return np.where(v > 0, np.exp(top + np.log(np.where(v > 0, v, 1.0))), np.where(np.isnan(v), np.nan, 0.0))

        return -np.expm1(top + np.log(mean_y)) + 0.0, scaled(mean_se_y), scaled(sd_y), scaled(sd_se_y)


def _qname(q: float) -> str:
    return f"p{100 * q:g}"


@dataclass(frozen=True, eq=False, repr=False)
class Summary(Result):
    """Distribution of one quantity per option across the samples, with standard errors.

    stats: names of the columns of `values` ('mean', 'sd', 'p5', 'p50', ...); values[O, K] and
    se[O, K] (the Monte Carlo standard error of each figure); p_best[O] and p_best_se[O] for
    utility and certainty equivalents (None for a criterion).
    """

    of: str
    unit: str
    direction: float
    options: tuple[str, ...]
    n: int
    stats: tuple[str, ...]
    values: np.ndarray
    se: np.ndarray
    p_best: np.ndarray | None
    p_best_se: np.ndarray | None
    notes: tuple[str, ...] = ()

    def _columns(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        cols, vals, errs = list(self.stats), self.values, self.se
        if self.p_best is not None:
            cols = ["P(best)"] + cols
            vals = np.column_stack([self.p_best, vals])
            errs = np.column_stack([self.p_best_se, errs])
        return cols, vals, errs

    def __repr__(self) -> str:
        return self.table().to_text()

    def table(self) -> Table:
        cols, vals, errs = self._columns()
        units = ["P" if c == "P(best)" else self.unit for c in cols]
        worst = [f"{c} {np.nanmax(errs[:, j]):.2g}" for j, c in enumerate(cols)]
        notes = (f"{self.n:,} samples; largest Monte Carlo standard error per column: " + ", ".join(worst),
                 *self.notes)
        return table(f"Monte Carlo: {self.of}", "option", self.options, cols, vals, units, notes,
                     of=self.of, n=self.n)

    def errors(self) -> Table:
        """The Monte Carlo standard error of each figure of `table()`."""
        cols, _, errs = self._columns()
        units = ["P" if c == "P(best)" else self.unit for c in cols]
        return table(f"Monte Carlo standard errors: {self.of}", "option", self.options, cols, errs, units)

    def to_dict(self) -> dict[str, Any]:
        """{option: {stat: value, stat_se: error}} (P(best) as p_best)."""
        cols, vals, errs = self._columns()
        out: dict[str, Any] = {}
        for i, o in enumerate(self.options):
            d: dict[str, Any] = {}
            for j, cname in enumerate(cols):
                key = "p_best" if cname == "P(best)" else cname
                d[key] = _num(vals[i, j])
                d[f"{key}_se"] = _num(errs[i, j])
            out[o] = d
        return out


def _num(v: Any) -> float | None:
    v = float(v)
    return v if math.isfinite(v) else None


def summary(mc: MonteCarlo, of: str = "utility") -> Summary:
    """Mean, standard deviation and quantiles of `of` per option (and P(best) for utility and
    certainty equivalents), each with its Monte Carlo standard error."""
    x, direction, unit = mc.samples(of)
    exponential = of == "utility" and mc.model.risk_tolerance is not None
    mean, mean_se, sd, sd_se = _utility_moments(mc) if exponential else _moments(x)
    qv, qe = quantiles_sorted(mc.sorted(of), mc.quantiles)
    return summary_of(mc, of, unit, direction, (mean, mean_se, sd, sd_se), (qv, qe))


def summary_of(mc: Any, of: str, unit: str, direction: float, moments: tuple[np.ndarray, ...],
               quantiles: tuple[np.ndarray, np.ndarray], notes: Sequence[str] = ()) -> Summary:
    """The `Summary` of `of` from its figures per option: moments = (mean, its se, sd, its se),
    quantiles = (values[K, O], se[K, O]) at mc.quantiles; mc gives the model, the options, n, the
    method and P(best) (a `MonteCarlo` or a streamed run); notes are added after the usual ones."""
    mean, mean_se, sd, sd_se = moments
    qv, qe = quantiles
    exponential = of == "utility" and mc.model.risk_tolerance is not None
    stats = ("mean", "sd") + tuple(_qname(q) for q in mc.quantiles)
    values = np.column_stack([mean, sd, qv.T])
    se = np.column_stack([mean_se, sd_se, qe.T])
    pb = pse = None
    extra, notes = list(notes), []
    if of in ("utility", "certainty_equivalent"):
        pb, pse = mc.p_best()
        notes.append("P(best): share of samples in which the option has the highest expected utility "
                     "(ties shared)")
    if exponential and not np.isfinite(values).all():
        notes.append(utility_overflow_note(mc.model.risk_tolerance))
    if direction < 0:
        notes.append(f"{of}: smaller is better")
    notes.append("one sample = one draw of the file's uncertain numbers; the figure is the option's "
                 "expected value over the tree's events in that draw")
    if not len(mc.model.params.uncertain):
        notes.append("every number in the file is fixed: all samples are the same")
    elif mc.method == "lhs":
        notes.append(LHS_ERROR_NOTE)
    notes.extend(extra)
    return Summary(of=of, unit=unit, direction=direction, options=mc.options, n=mc.n, stats=stats,
                   values=values, se=se, p_best=pb, p_best_se=pse, notes=tuple(notes))


def consequences(mc: MonteCarlo, stat: str = "mean") -> Table:
    """Option x criterion: the mean (or 'sd', or a quantile name such as 'p50') of each expected
    consequence across the samples, in each criterion's unit."""
    cols, errs = [], []
    for c in mc.model.criteria:
        s = mc.summary(c)
        if stat not in s.stats:
            raise ValueError(f"consequences(): stat must be one of {', '.join(s.stats)}; got {stat!r}")
        j = s.stats.index(stat)
        cols.append(s.values[:, j])
        errs.append(s.se[:, j])
    vals = np.column_stack(cols)
    worst = np.nanmax(np.column_stack(errs), axis=0)
    note = "largest Monte Carlo standard error per column: " + ", ".join(
        f"{c} {e:.2g}" for c, e in zip(mc.model.criteria, worst))
    return table(f"Expected consequences across {mc.n:,} samples ({stat})", "option", mc.options,
                 mc.model.criteria, vals, criterion_units(mc.model), [note])


def risks(mc: MonteCarlo) -> Table:
    """Option x risk: mean probability of each risk across the samples (its standard error in the notes)."""
    m = mc.model
    if not m.risks:
        return table("Risks across samples", "option", mc.options, [], np.zeros((len(mc.options), 0)),
                     notes=["the scenario names no risks"])
    mean, se = mc.risk_summary()
    return table(f"Risk probabilities across {mc.n:,} samples (mean)", "option", mc.options, m.risks, mean,
                 ["P"] * len(m.risks), [f"largest Monte Carlo standard error: {np.nanmax(se):.2g}"])


# ---------------------------------------------------------------------------- risk profiles
@dataclass(frozen=True, eq=False, repr=False)
class RiskProfile(Result):
    """Cumulative distribution of `of` per option on a common grid.

    x[K]: grid points (in `unit`); cdf[O, K]: share of samples at or below x; se[O, K]: its
    binomial standard error sqrt(F (1 - F) / n).
    """

    of: str
    unit: str
    direction: float
    options: tuple[str, ...]
    n: int
    x: np.ndarray
    cdf: np.ndarray
    se: np.ndarray

    def __repr__(self) -> str:
        return self.table().to_text()

    def table(self) -> Table:
        return table(f"Risk profile: P({self.of} <= x)", f"x ({self.unit})", [f"{v:.6g}" for v in self.x],
                     self.options, self.cdf.T, ["P"] * len(self.options),
                     [(f"{self.n:,} samples; standard error of each probability at most "
                       f"{np.nanmax(self.se):.2g}")] + ([f"{self.of}: smaller is better"] if self.direction < 0 else []))

    def to_dict(self) -> dict[str, Any]:
        """{of, unit, samples, x: grid, cdf: {option: P(of <= x) per grid point}, se: its largest error}."""
        return {"of": self.of, "unit": self.unit, "samples": self.n, "x": [_num(v) for v in self.x],
                "cdf": {o: [float(v) for v in self.cdf[i]] for i, o in enumerate(self.options)},
                "se_max": _num(np.nanmax(self.se)) if self.se.size else None}


def risk_profile(mc: MonteCarlo, of: str = "utility", points: int = 101) -> RiskProfile:
    """The cumulative distribution of `of` for every option on `points` grid points spanning all
    the samples."""
    if points < 2:
        raise ValueError(f"risk_profile(): points must be at least 2; got {points}")
    xs = mc.sorted(of)
    _, direction, unit = mc.samples(of)
    finite = xs[np.isfinite(xs)]  # a utility below the float range (-inf) lies below every grid point
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    grid = np.linspace(lo, hi, points) if hi > lo else np.array([lo] * points)
    cdf = np.array([np.searchsorted(xs[:, i], grid, side="right") for i in range(xs.shape[1])]) / mc.n
    se = np.sqrt(cdf * (1 - cdf) / mc.n)
    return RiskProfile(of=of, unit=unit, direction=direction, options=mc.options, n=mc.n, x=grid, cdf=cdf, se=se)


# ---------------------------------------------------------------------------- stochastic dominance
@dataclass(frozen=True, eq=False, repr=False)
class Dominance(Result):
    """Pairwise stochastic dominance between the options' distributions of `of`.

    first_order[i, j]: option i dominates j to first order (its empirical distribution is at
        least as good at every quantile and better at one); second_order[i, j]: to second order
        (every partial mean of its worst outcomes is at least as good: any risk-averse decision
        maker prefers it).
    first_gap[i, j]: the largest amount by which i's CDF exceeds j's (in the direction where
        that is worse), a probability: 0 when i dominates j to first order.
    second_gap[i, j]: the largest shortfall of i's partial means behind j's, in `unit`: 0 when i
        dominates j to second order.
    noise: the one-sided two-sample Kolmogorov-Smirnov 5% critical value sqrt(ln 20 / n): a
        first_gap below it is within Monte Carlo noise (`almost_first_order`). The samples of
        two options are paired (same draws), so this is a rough guide, not a test.
    p_better[i, j]: share of samples in which i is strictly better than j (ties count half).
    """

    of: str
    unit: str
    direction: float
    options: tuple[str, ...]
    n: int
    first_order: np.ndarray
    second_order: np.ndarray
    first_gap: np.ndarray
    second_gap: np.ndarray
    noise: float
    p_better: np.ndarray

    @property
    def almost_first_order(self) -> np.ndarray:
        o = len(self.options)
        return (self.first_gap <= self.noise) & ~np.eye(o, dtype=bool)

    def __repr__(self) -> str:
        return self.table().to_text()

    def table(self) -> Table:
        def names(mat: np.ndarray, i: int, by: bool = False) -> list[str]:
            return [self.options[j] for j in range(len(self.options)) if (mat[j, i] if by else mat[i, j])]

        rows = [[names(self.first_order, i), names(self.second_order, i), names(self.first_order, i, True),
                 names(self.second_order, i, True),
                 [o for o in names(self.almost_first_order, i) if o not in names(self.first_order, i)]]
                for i in range(len(self.options))]
        return table(f"Stochastic dominance: {self.of}", "option", self.options,
                     ["dominates (1st order)", "dominates (2nd order)", "dominated by (1st)",
                      "dominated by (2nd)", "nearly dominates (1st, within noise)"], rows,
                     notes=[(f"{self.n:,} samples; first order implies second order; 'within noise': the "
                             f"largest CDF violation is below {self.noise:.2g}")])

    def pairwise(self) -> Table:
        """P(row option better than column option) over the paired samples."""
        return table(f"P(row better than column): {self.of}", "option", self.options, self.options,
                     self.p_better, ["P"] * len(self.options),
                     [f"{self.n:,} paired samples; standard error at most {0.5 / math.sqrt(self.n):.2g}"])

    def to_dict(self) -> dict[str, Any]:
        o = self.options
        return {
            "first_order": {a: [b for j, b in enumerate(o) if self.first_order[i, j]] for i, a in enumerate(o)},
            "second_order": {a: [b for j, b in enumerate(o) if self.second_order[i, j]] for i, a in enumerate(o)},
            "first_gap": {a: {b: float(self.first_gap[i, j]) for j, b in enumerate(o) if j != i} for i, a in enumerate(o)},
            "noise": self.noise,
            "p_better": {a: {b: float(self.p_better[i, j]) for j, b in enumerate(o) if j != i} for i, a in enumerate(o)},
        }


def dominance_of_samples(x: np.ndarray, xs: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """(first_order, second_order, first_gap, second_gap, p_better) of the columns of x[S, O],
    larger better; xs is x sorted along axis 0 when already at hand.

    With n equally likely outcomes per option, i dominates j to first order when its k-th
    smallest outcome is at least j's for every k, and to second order when the sum of its k
    smallest is at least j's for every k (the generalised Lorenz criterion); strictly better at
    one k in each case.
    """
    xs = np.sort(x, axis=0) if xs is None else xs
    xs = xs.astype(float, copy=False)
    n, o = xs.shape
    cum = np.cumsum(xs, axis=0) / n
    scale = max(float(np.abs(xs).max()), 1.0)
    tol1, tol2 = 1e-12 * scale, 1e-12 * scale
    fo = np.zeros((o, o), dtype=bool)
    so = np.zeros((o, o), dtype=bool)
    fgap = np.zeros((o, o))
    sgap = np.zeros((o, o))
    pb = np.zeros((o, o))
    for i in range(o):
        for j in range(o):
            if i == j:
                continue
            d = xs[:, i] - xs[:, j]
            fo[i, j] = bool((d >= -tol1).all() and (d > tol1).any())
            dc = cum[:, i] - cum[:, j]
            so[i, j] = bool((dc >= -tol2).all() and (dc > tol2).any())
            sgap[i, j] = max(0.0, float(-dc.min()))
            # largest F_i(t) - F_j(t) over all outcomes t of either option
            pts = np.concatenate([xs[:, i], xs[:, j]])
            fi = np.searchsorted(xs[:, i], pts, side="right")
            fj = np.searchsorted(xs[:, j], pts, side="right")
            fgap[i, j] = max(0.0, float((fi - fj).max()) / n)
            pb[i, j] = (np.count_nonzero(x[:, i] > x[:, j]) + 0.5 * np.count_nonzero(x[:, i] == x[:, j])) / n
    return fo, so, fgap, sgap, pb


def _utility_dominance(mc: MonteCarlo) -> tuple[np.ndarray, ...]:
    """`dominance_of_samples` of exponential utilities, without their rounding.

    First order and P(better) are read off the certainty equivalents: utility is an increasing
    function of them, so the order is the same, and they keep the digits a utility of 1.0 (far
    above R) or -inf (far below) loses. Second order is invariant to a positive affine change of
    the outcome, so for each pair it is judged on -exp(z - m) = (u - 1) e^-m, z = -CE / R and m
    the pair's largest z: values in [-1, 0) that neither saturate nor overflow. The second-order
    gap is scaled back to utility units (infinite where beyond the float range)."""
    v = mc.value
    fo, _, fgap, _, pb = dominance_of_samples(v)
    z = -v / mc.model.risk_tolerance
    o = z.shape[1]
    so = np.zeros((o, o), dtype=bool)
    sgap = np.zeros((o, o))
    for i in range(o):
        for j in range(i + 1, o):
            m = max(z[:, i].max(), z[:, j].max())
            pair = -np.exp(z[:, [i, j]] - m)
            _, so2, _, sg2, _ = dominance_of_samples(pair)
            so[i, j], so[j, i] = so2[0, 1], so2[1, 0]
            with np.errstate(over="ignore", invalid="ignore"):
                scale = np.exp(m)
                sgap[i, j], sgap[j, i] = (g * scale if g > 0 else 0.0 for g in (sg2[0, 1], sg2[1, 0]))
    return fo, so, fgap, sgap, pb


def dominance(mc: MonteCarlo, of: str = "utility") -> Dominance:
    """Pairwise first- and second-order stochastic dominance of the options' distributions of `of`
    across the samples (for a minimised criterion, smaller is better)."""
    x, direction, unit = mc.samples(of)
    if of == "utility" and mc.model.risk_tolerance is not None:
        fo, so, fgap, sgap, pb = _utility_dominance(mc)
    else:
        xs = mc.sorted(of)
        if direction < 0:
            x, xs = -x, -xs[::-1]
        fo, so, fgap, sgap, pb = dominance_of_samples(x, xs)
    return Dominance(of=of, unit=unit, direction=direction, options=mc.options, n=mc.n, first_order=fo,
                     second_order=so, first_gap=fgap, second_gap=sgap,
                     noise=math.sqrt(math.log(20.0) / mc.n), p_better=pb)
