"""Variance-based global sensitivity: first-order and total Sobol indices of each option's expected
utility and of the margin between the two best options, with confidence intervals.

Of the variance of an output across the analyst's uncertainty about the numbers, the first-order
index S1 of a number is the share that number explains alone (the variance of the output's
expectation given that number); the total index ST is the share it takes part in, alone or with
others (the expected variance left when every other number is known). ST - S1 is what it does
through interactions; ST near 0 means the number can be fixed anywhere in its range.

SALib (Herman & Usher 2017; Iwanaga, Usher & Herman 2022; MIT licence) estimates the indices with
bootstrap confidence intervals (`SALib.analyze.sobol.analyze`: Saltelli et al. 2010's first-order
and Jansen's total-effect estimators) on SALib's design, Saltelli's scheme on a scrambled Sobol
sequence (`SALib.sample.sobol.sample`), which `design_rows` builds here a block at a time (the
same numbers; see there why). Juncture maps each point of the unit cube to the file's numbers
through each number's quantile function (the `ppf` of the distribution table, as the Latin
hypercube does) and evaluates the model on all of them. SALib is an optional extra
(`pip install 'juncture[sobol]'`); nothing imports it until the indices are asked for.

Inputs are the uncertain numbers that enter the evaluation (or those named), the others at their
point values. Sobol indices assume independent inputs: numbers that the file ties to a common
factor (`factors:`) are therefore decomposed as the Gaussian copula of `sampling` draws them, into
independent inputs, each factor (named `factors.<id>`) and each number's own part; a tied number's
index is then the index of what is its own, and the factor's index what the numbers share.

Cost: N (D + 2) evaluations for D inputs, with N (`n`) a power of 2 (the Sobol sequence's balance
needs it). The design is a function of (n, seed) alone. It is evaluated in blocks of `BLOCK` rows;
block k is `sobol_task(plan, k)`, a pure module-level function of the plan (which holds only the
base sequence, N x 2D numbers, not the design), run through the execution layer's `map_blocks`:
here in order, or on a Dask cluster (`client=`) with the same result bit for bit.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from ..compile import Model
from ..compile.distributions import ppf
from ..evaluate import evaluate, ordering, point
from ..results import Result, Table, table
from .blocks import map_blocks
from .explore import phrase
from .montecarlo import Progress, utility_unit, value_unit
from .sampling import BLOCK, DEFAULT_SEED, factor_loadings, factor_names, n_blocks
from .sensitivity import MEASURES, parameter_unit, resolve

INSTALL = "pip install 'juncture[sobol]' (in a clone: pip install -e '.[sobol]')"
"""How to install SALib for juncture, said wherever Sobol indices are asked for without it."""

CONF_LEVEL = 0.95
"""Confidence level of the intervals (SALib's bootstrap)."""
RESAMPLES = 100
"""Bootstrap resamples behind each interval (SALib's default)."""
MARGIN = "margin"
"""The output name of the margin between the two best options."""


class SALibMissing(RuntimeError):
    """SALib is not installed here; the message says how to install it."""


def _salib() -> Any:
    try:
        from SALib.analyze import sobol as analyze
    except ImportError:
        raise SALibMissing(f"Sobol indices need SALib, which is not installed here: {INSTALL}") from None
    return analyze


# ---------------------------------------------------------------------------- the design and its tasks
def sobol_base(n: int, d: int, seed: int) -> np.ndarray:
    """base[n, 2d]: the scrambled Sobol sequence Saltelli's design is made of (the first d columns
    are the matrix A, the last d the matrix B), as `SALib.sample.sobol.sample` draws it."""
    from scipy.stats import qmc

    return qmc.Sobol(d=2 * d, scramble=True, seed=seed).random(n)


def design_rows(base: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Rows start..stop of Saltelli's design without second-order terms, in SALib's order: for each
    base point i, the row of A, then A with column k taken from B for k = 1..d, then the row of B
    (N (d + 2) rows). `SALib.sample.sobol.sample` builds the whole matrix element by element in
    Python (9 of the 31 seconds of a Venezuela run at N = 1,024 on a loaded machine; N (d + 2) d
    numbers held at once, 1.2 GB at N = 16,384 for 95 numbers); built here a block at a time, the
    same numbers (a test compares them with SALib's)."""
    d = base.shape[1] // 2
    rows = np.arange(start, stop)
    i, k = np.divmod(rows, d + 2)
    a, b = base[i, :d], base[i, d:]
    out = a.copy()
    last = k == d + 1
    out[last] = b[last]
    mid = np.flatnonzero((k >= 1) & (k <= d))
    out[mid, k[mid] - 1] = b[mid, k[mid] - 1]
    return out


@dataclass(frozen=True, eq=False)
class SobolPlan:
    """What every task shares: the model, the base sequence [N, 2 (F + D)] of the design (factors
    first, then the numbers `params`), the factors' loadings on the numbers [F, D], the measure."""

    model: Model
    base: np.ndarray
    params: np.ndarray
    loadings: np.ndarray
    measure: str

    @property
    def rows(self) -> int:
        return self.base.shape[0] * (self.base.shape[1] // 2 + 2)

    @property
    def tasks(self) -> int:
        return n_blocks(self.rows)


def theta_of(plan: SobolPlan, u: np.ndarray) -> np.ndarray:
    """theta[R, P] for design rows u[R, F + D]: each number at its quantile, the numbers a factor
    ties through the copula (z = sum_f l_f F_f + sqrt(1 - sum_f l_f^2) e), the rest at point."""
    m = plan.model
    f = plan.loadings.shape[0]
    eps = np.finfo(float).eps
    u = np.clip(u, eps, 1 - eps)
    own = u[:, f:]
    if f:
        tied = np.any(plan.loadings != 0, axis=0)
        z = special.ndtri(u[:, :f]) @ plan.loadings
        rest = np.sqrt(np.clip(1.0 - (plan.loadings ** 2).sum(axis=0), 0.0, None))
        mixed = np.clip(special.ndtr(z + special.ndtri(own) * rest), eps, 1 - eps)
        own = np.where(tied[None, :], mixed, own)
    theta = np.repeat(m.params.point[None, :], u.shape[0], axis=0)
    for j, i in enumerate(plan.params):
        theta[:, i] = ppf(m.params.numbers[i], own[:, j])
    return theta


def sobol_task(plan: SobolPlan, k: int) -> np.ndarray:
    """Task k: rows k*BLOCK .. (k+1)*BLOCK of the design, evaluated: y[b, O], each option's expected
    utility (or certainty equivalent). Pure: the same (plan, k) gives the same rows anywhere."""
    u = design_rows(plan.base, k * BLOCK, min((k + 1) * BLOCK, plan.rows))
    ev = evaluate(plan.model, theta_of(plan, u))
    return ev.utility if plan.measure == "utility" else ev.certainty_equivalent


# ---------------------------------------------------------------------------- the result
@dataclass(frozen=True, eq=False, repr=False)
class SobolIndices(Result):
    """Sobol indices of each output on each input.

    inputs[D]: names (parameter names, or `factors.<id>`); phrases[D], units[D];
    outputs[K]: the option ids, then MARGIN when there are two options or more;
    s1, s1_conf, st, st_conf [K, D]: first-order and total indices and the half-widths of their
    confidence intervals (level `conf_level`); NaN for an output that does not vary.
    mean[K], variance[K]: of each output across the design; unit: of the outputs.
    versus: the two options whose difference is the margin (best at the point values first).
    n: the base sample N; evaluations: N (D + 2).
    """

    scenario_id: str
    world: str | None
    inputs: tuple[str, ...]
    phrases: tuple[str, ...]
    units: tuple[str, ...]
    outputs: tuple[str, ...]
    output_names: tuple[str, ...]
    s1: np.ndarray
    s1_conf: np.ndarray
    st: np.ndarray
    st_conf: np.ndarray
    mean: np.ndarray
    variance: np.ndarray
    measure: str
    unit: str
    versus: tuple[str, str] | None
    n: int
    evaluations: int
    seed: int
    conf_level: float = CONF_LEVEL
    notes: tuple[str, ...] = ()

    @property
    def default_output(self) -> str:
        return MARGIN if MARGIN in self.outputs else self.outputs[0]

    def order(self, output: str | None = None) -> np.ndarray:
        """Input indices by total index, largest first (NaN last)."""
        k = self.outputs.index(output or self.default_output)
        return np.argsort(-np.nan_to_num(self.st[k], nan=-np.inf), kind="stable")

    def describe_output(self, output: str | None = None) -> str:
        output = output or self.default_output
        what = "expected utility" if self.measure == "utility" else "certainty equivalent"
        if output == MARGIN and self.versus is not None:
            names = dict(zip(self.outputs, self.output_names))
            return f"{what} of {names[self.versus[0]]} minus {names[self.versus[1]]}"
        return f"{what} of {dict(zip(self.outputs, self.output_names))[output]}"

    def __repr__(self) -> str:
        return self.table().to_text()

    def table(self, output: str | None = None, top: int | None = None) -> Table:
        """The indices of one output (default: the margin), inputs by total index."""
        output = output or self.default_output
        k = self.outputs.index(output)
        order = self.order(output)
        if top is not None:
            order = order[:top]
        rows = [self.phrases[j] for j in order]
        vals = [[self.s1[k, j], self.s1_conf[k, j], self.st[k, j], self.st_conf[k, j], self.inputs[j]]
                for j in order]
        pct = f"{100 * self.conf_level:g}%"
        notes = [f"S1: share of the variance the number explains alone; ST: the share it takes part in "
                 f"(alone or with others); ±: half-width of the {pct} confidence interval",
                 f"{self.describe_output(output)}: mean {self.mean[k]:.4g}, variance {self.variance[k]:.4g}"
                 f" ({self.unit}); {self.n:,} base samples, {self.evaluations:,} evaluations",
                 *self.notes]
        if top is not None and top < len(self.inputs):
            notes.append(f"{len(self.inputs) - top} more numbers with smaller total indices not shown")
        return table(f"Sobol indices: {self.describe_output(output)}", "number", rows,
                     ["S1", "S1 ±", "ST", "ST ±", "parameter"], vals, notes=notes, digits=3)

    def to_dict(self) -> dict[str, Any]:
        """{"kind": "sobol", "outputs": {output: {"mean", "variance", "indices": {input: {"S1",
        "S1_conf", "ST", "ST_conf"}}}}, ...}: the shape `juncture sensitivity --kind sobol --json`
        prints (with "scenario" and "world")."""
        outs = {}
        for k, o in enumerate(self.outputs):
            outs[o] = {"what": self.describe_output(o), "mean": _num(self.mean[k]), "variance": _num(self.variance[k]),
                       "indices": {name: {"S1": _num(self.s1[k, j]), "S1_conf": _num(self.s1_conf[k, j]),
                                          "ST": _num(self.st[k, j]), "ST_conf": _num(self.st_conf[k, j])}
                                   for j, name in enumerate(self.inputs)}}
        return {"kind": "sobol", "measure": self.measure, "unit": self.unit, "samples": self.n,
                "evaluations": self.evaluations, "seed": self.seed, "conf_level": self.conf_level,
                "versus": list(self.versus) if self.versus else None,
                "inputs": [{"name": n, "phrase": p, "unit": u} for n, p, u in zip(self.inputs, self.phrases, self.units)],
                "outputs": outs, "notes": list(self.notes)}


def _num(x: float) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


# ---------------------------------------------------------------------------- the analysis
def sobol(model: Model, n: int = 1024, seed: int | None = DEFAULT_SEED, *, params: Sequence[str | int] | None = None,
          versus: Sequence[str] | None = None, measure: str = "utility", conf_level: float = CONF_LEVEL,
          resamples: int = RESAMPLES, progress: bool | None = None, client: Any = None) -> SobolIndices:
    """First-order and total Sobol indices of each option's expected utility (or certainty
    equivalent, `measure`) and of the margin between the two best options, over the uncertain
    numbers.

    n: the base sample N, a power of 2; N (D + 2) evaluations are made.
    params: names (or indices) of the numbers to vary (default: every uncertain number that enters
        the evaluation); the others stay at their point values.
    versus: the two options whose difference is the margin (default: the two best at the point
        values, the better first).
    seed: the design (SALib's scrambling) and the bootstrap are functions of (n, seed) alone.
    Raises SALibMissing without SALib; ValueError for a bad argument.
    """
    if measure not in MEASURES:
        raise ValueError(f"sobol(): measure must be one of {', '.join(MEASURES)}; got {measure!r}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2 or n & (n - 1):
        raise ValueError(f"sobol(): the number of base samples must be a power of 2 (the Sobol sequence's balance "
                         f"needs it), 2 or more: 512, 1,024, 2,048, ...; got {n!r}")
    if not 0 < conf_level < 1:
        raise ValueError(f"sobol(): conf_level must lie in (0, 1); got {conf_level}")
    seed = DEFAULT_SEED if seed is None else int(seed)
    idx = resolve(model, params, fn="sobol")
    fixed = [model.params.names[i] for i in idx if not model.params.numbers[i].is_uncertain]
    if fixed:
        raise ValueError(f"sobol(): {', '.join(fixed)} {'is' if len(fixed) == 1 else 'are'} fixed in the file: "
                         "a number without a range or distribution has no variance to share")
    ranking = ordering(point(model).preference[0], list(model.options))[0]
    if versus is not None:
        if len(versus) != 2 or versus[0] == versus[1] or any(v not in model.options for v in versus):
            raise ValueError(f"sobol(): versus must name two different options of {', '.join(model.options)}; "
                             f"got {list(versus)!r}")
        pair: tuple[str, str] | None = (versus[0], versus[1])
    else:
        pair = (ranking[0], ranking[1]) if len(ranking) > 1 else None
    outputs = tuple(model.options) + ((MARGIN,) if pair else ())
    names_of = {o.id: (o.name or o.id) for o in model.scenario.options}
    output_names = tuple(names_of.get(o, o) for o in model.options) + (("margin",) if pair else ())
    unit = utility_unit(model) if measure == "utility" else value_unit(model)
    sc = model.scenario
    empty = np.zeros((len(outputs), 0))
    if not len(idx):
        return SobolIndices(sc.meta.id, model.world, (), (), (), outputs, output_names, empty, empty, empty, empty,
                            np.full(len(outputs), math.nan), np.zeros(len(outputs)), measure, unit, pair, n, 0, seed,
                            conf_level, ("no uncertain number enters the evaluation: there is no variance to share",))

    analyze = _salib()
    loadings = factor_loadings(model)[:, idx] if getattr(sc, "factors", None) else np.zeros((0, len(idx)))
    keep = np.any(loadings != 0, axis=1)
    loadings = loadings[keep]
    factors = [f"factors.{f}" for f, k in zip(factor_names(model), keep) if k]
    inputs = tuple(factors) + tuple(model.params.names[i] for i in idx)
    d = len(inputs)
    problem = {"num_vars": d, "names": list(inputs), "bounds": [[0.0, 1.0]] * d}
    plan = SobolPlan(model, sobol_base(int(n), d, seed), idx, loadings, measure)
    y = np.empty((plan.rows, len(model.options)))
    with Progress(plan.rows, "sobol", progress) as bar:
        for k, part in map_blocks(sobol_task, plan, plan.tasks, client=client):
            y[k * BLOCK:k * BLOCK + part.shape[0]] = part
            bar.update(min((k + 1) * BLOCK, plan.rows))
    if pair:
        a, b = model.options.index(pair[0]), model.options.index(pair[1])
        y = np.column_stack([y, y[:, a] - y[:, b]])
    s1, s1c, st, stc = (np.full((len(outputs), d), math.nan) for _ in range(4))
    notes: list[str] = []
    for k in range(len(outputs)):
        yk = y[:, k]
        if not np.all(np.isfinite(yk)):
            notes.append(f"{output_names[k]}: some values lie beyond the float range; its indices are not estimated")
            continue
        if np.ptp(yk) <= 1e-12 * max(1.0, float(np.abs(yk).max())):
            notes.append(f"{output_names[k]} does not vary with these numbers: its indices are undefined")
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = analyze.analyze(problem, yk, calc_second_order=False, num_resamples=resamples,
                                  conf_level=conf_level, print_to_console=False, seed=seed)
        s1[k], s1c[k], st[k], stc[k] = res["S1"], res["S1_conf"], res["ST"], res["ST_conf"]
    if factors:
        notes.append("numbers tied to a common factor are split into the factor (its own row) and their own part, "
                     "which their rows measure")
    phrases = tuple(_factor_phrase(model, f) for f in factors) + tuple(phrase(model, model.params.names[i]) for i in idx)
    units = ("",) * len(factors) + tuple(parameter_unit(model, int(i)) for i in idx)
    finite = np.isfinite(y).all(axis=0)
    mean = np.where(finite, y.mean(axis=0), math.nan)
    var = np.where(finite, y.var(axis=0, ddof=1), math.nan)
    return SobolIndices(sc.meta.id, model.world, inputs, phrases, units, outputs, output_names, s1, s1c, st, stc,
                        mean, var, measure, unit, pair, int(n), plan.rows, seed, conf_level, tuple(notes))


def _factor_phrase(model: Model, name: str) -> str:
    fid = name.split(".", 1)[1]
    fac = (getattr(model.scenario, "factors", None) or {}).get(fid)
    desc = getattr(fac, "description", None) or getattr(fac, "name", None)
    return f"the common factor {fid.replace('_', ' ')}" + (f" ({desc})" if desc else "")
