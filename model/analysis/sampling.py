"""Draws of the parameter vector: every uncertain number from its distribution, seeded.

Words of estimative probability and ranges are uniform on their band; distributions are drawn as
written; fixed numbers stay at their value. `method="random"` draws independently with numpy's
generators; `method="lhs"` stratifies each number into n equal-probability slices (Latin
hypercube) and maps them through the exact quantile function. Numbers tied to a common factor
(`factors:` in the file) are drawn through a Gaussian copula with the stated loadings.
The same seed gives the same draws, bit for bit.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy import stats

from ..compile import Model
from ..compile.distributions import ppf

DEFAULT_SEED = 20251107
"""Seed used when none is given, so that two runs of the same file agree."""

METHODS = ("random", "lhs")


def _direct(number: object, n: int, rng: np.random.Generator) -> np.ndarray:
    """n independent draws of one number with numpy's generators (fast, exact in law)."""
    k, p = number.kind, number.params
    if k in ("range", "word", "uniform"):
        return rng.uniform(p[0], p[1], n)
    if k == "beta":
        return rng.beta(p[0], p[1], n)
    if k == "pert":
        lo, mode, hi = p
        a = 1 + 4 * (mode - lo) / (hi - lo)
        b = 1 + 4 * (hi - mode) / (hi - lo)
        return lo + (hi - lo) * rng.beta(a, b, n)
    if k == "triangular":
        return rng.triangular(p[0], p[1], p[2], n)
    if k == "normal":
        return rng.normal(p[0], p[1], n)
    if k == "lognormal":
        return rng.lognormal(p[0], p[1], n)
    return np.full(n, number.point)


def _lhs_uniforms(n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """[n, d] uniforms with one draw in each of n equal slices per column, slices shuffled."""
    u = (np.arange(n)[:, None] + rng.random((n, d))) / n
    return np.take_along_axis(u, rng.permuted(np.tile(np.arange(n), (d, 1)), axis=1).T, axis=0)


def draw(model: Model, n: int, seed: int | None = DEFAULT_SEED, method: str = "random",
         rng: np.random.Generator | None = None, only: Sequence[int] | None = None) -> np.ndarray:
    """theta[n, P]: n draws of the model's parameters.

    only: indices of the parameters to draw; the others stay at their point values.
    rng: a generator to draw from (then `seed` is not used), so callers can chain draws.
    """
    if method not in METHODS:
        raise ValueError(f"draw(): method must be one of {', '.join(METHODS)}; got {method!r}")
    if n < 1:
        raise ValueError(f"draw(): n must be a positive number of samples; got {n}")
    rng = rng if rng is not None else np.random.default_rng(seed)
    params = model.params
    theta = np.tile(params.point, (n, 1))
    which = params.uncertain if only is None else np.array(
        [i for i in only if params.numbers[i].is_uncertain], dtype=np.intp)
    if not len(which):
        return theta
    loadings = factor_loadings(model)[:, which] if model_has_factors(model) else None
    if method == "random" and loadings is None:
        for i in which:
            theta[:, i] = _direct(params.numbers[i], n, rng)
        return theta
    if method == "lhs":
        u = _lhs_uniforms(n, len(which), rng)
    else:
        u = rng.random((n, len(which)))
    if loadings is not None and np.any(loadings):
        # Gaussian copula: z_i = sum_f l_fi F_f + sqrt(1 - sum_f l_fi^2) e_i, marginals kept
        f = stats.norm.ppf(_lhs_uniforms(n, loadings.shape[0], rng) if method == "lhs"
                           else rng.random((n, loadings.shape[0])))
        z = stats.norm.ppf(u)
        own = np.sqrt(np.clip(1.0 - (loadings ** 2).sum(axis=0), 0.0, None))
        u = stats.norm.cdf(f @ loadings + z * own)
    eps = np.finfo(float).eps
    u = np.clip(u, eps, 1 - eps)
    for j, i in enumerate(which):
        theta[:, i] = ppf(params.numbers[i], u[:, j])
    return theta


def model_has_factors(model: Model) -> bool:
    return bool(getattr(model.scenario, "factors", None))


def factor_loadings(model: Model) -> np.ndarray:
    """[F, P] loading of each parameter on each factor of the file (0 where not tied)."""
    factors = getattr(model.scenario, "factors", None) or {}
    out = np.zeros((len(factors), model.n_params))
    for f, fac in enumerate(factors.values()):
        for name, loading in fac.drives.items():
            out[f, model.params.index(name)] = loading
    return out
