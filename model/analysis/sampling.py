"""Draws of the parameter vector: every uncertain number from its distribution, seeded.

Words of estimative probability and ranges are uniform on their band; distributions are drawn as
written; fixed numbers stay at their value. `method="random"` draws independently with numpy's
generators; `method="lhs"` stratifies each number into equal-probability slices (Latin
hypercube) and maps them through the exact quantile function. Numbers tied to a common factor
(`factors:` in the file) are drawn through a Gaussian copula with the stated loadings: each keeps
its own distribution, and its normal score correlates with the factor by the loading.

Draws come in blocks of `BLOCK` samples. In block k, each number (and each factor) draws from its
own generator, seeded with `SeedSequence(seed, spawn_key=(k, crc32(name)))`. So the same seed
gives the same draws bit for bit however a caller chunks the work; a number's draws depend on the
seed, its name and the block alone (not on which other numbers the file has or are drawn), so
with `method="random"` and no factors the first n samples of a larger run are those of a smaller
one; and memory stays bounded: `draw_blocks` never holds more than one block. A Latin hypercube
is stratified within each block (a replicated Latin hypercube when n > BLOCK).

`theta` is returned column-major (a transposed view of a [P, n] array): each parameter's samples
are contiguous, which is how they are drawn and how `evaluate` reads them.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator, Sequence

import numpy as np
from scipy import special

from ..compile import Model
from ..compile.distributions import draw as draw_number
from ..compile.distributions import ppf
from ..io.distributions import law

from . import DEFAULT_SEED  # noqa: E402  (one definition, shared with the command line)

METHODS = ("random", "lhs")

BLOCK = 8_192
"""Samples per independently seeded block: a theta block of the Venezuela scenario is 7 MB, small
enough to stay near the cache while it is evaluated (8,192 measured fastest of 4,096 to 65,536)."""


def _lhs_uniforms(n: int, rng: np.random.Generator) -> np.ndarray:
    """n uniforms, one in each of n equal slices of (0, 1), in random order."""
    return (rng.permutation(n) + rng.random(n)) / n


def _uniforms(n: int, rng: np.random.Generator, method: str) -> np.ndarray:
    return _lhs_uniforms(n, rng) if method == "lhs" else rng.random(n)


def _stream(root: np.random.SeedSequence, block: int, name: str) -> np.random.Generator:
    """The generator of one number (or factor) in one block."""
    key = root.spawn_key + (block, zlib.crc32(name.encode("utf-8")))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(root.entropy, spawn_key=key)))


def _check(n: int, method: str, fn: str) -> None:
    if method not in METHODS:
        raise ValueError(f"{fn}(): method must be one of {', '.join(METHODS)}; got {method!r}")
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ValueError(f"{fn}(): n must be a positive number of samples; got {n!r}")


def _which(model: Model, only: Sequence[int] | None, fn: str) -> np.ndarray:
    """Indices of the numbers to draw; raises for a number whose distribution is not in the table
    (it would otherwise stay at its point value unseen)."""
    params = model.params
    which = (params.uncertain if only is None
             else np.array([i for i in only if params.numbers[i].is_uncertain], dtype=np.intp))
    for i in which:
        law(params.numbers[i].kind, f"{fn}(): parameter {params.names[i]!r}")
    return which


def _block(model: Model, n: int, rngs: Callable[[str], np.random.Generator], method: str,
           which: np.ndarray, loadings: np.ndarray | None) -> np.ndarray:
    """thetaT[P, n]: one block of draws; rngs(name) is the generator of a number or factor."""
    params = model.params
    out = np.repeat(params.point[:, None], n, axis=1)
    if not len(which):
        return out
    if method == "random" and loadings is None:
        for i in which:
            out[i] = draw_number(params.numbers[i], n, rngs(params.names[i]))
        return out
    u = np.empty((len(which), n))
    for j, i in enumerate(which):
        u[j] = _uniforms(n, rngs(params.names[i]), method)
    if loadings is not None:
        # Gaussian copula: z_i = sum_f l_fi F_f + sqrt(1 - sum_f l_fi^2) e_i, marginals kept
        f = np.array([special.ndtri(_uniforms(n, rngs(f"factors.{k}"), method)) for k in factor_names(model)])
        own = np.sqrt(np.clip(1.0 - (loadings ** 2).sum(axis=0), 0.0, None))
        u = special.ndtr(loadings.T @ f + special.ndtri(u) * own[:, None])
    eps = np.finfo(float).eps
    np.clip(u, eps, 1 - eps, out=u)
    for j, i in enumerate(which):
        out[i] = ppf(params.numbers[i], u[j])
    return out


def _loadings(model: Model, which: np.ndarray) -> np.ndarray | None:
    if not model_has_factors(model):
        return None
    lo = factor_loadings(model)[:, which]
    return lo if np.any(lo) else None


def draw_blocks(model: Model, n: int, seed: int | None = DEFAULT_SEED, method: str = "random",
                only: Sequence[int] | None = None, block: int = BLOCK) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (start, theta[b, P]) for consecutive blocks of the n draws `draw` would return.

    `block` is the number of samples per seeded stream; changing it changes the draws (keep the
    default for results that agree across runs and tools).
    """
    _check(n, method, "draw_blocks")
    which = _which(model, only, "draw_blocks")
    loadings = _loadings(model, which)
    root = np.random.SeedSequence(DEFAULT_SEED if seed is None else seed)
    for k, start in enumerate(range(0, n, block)):
        yield start, _block(model, min(block, n - start), lambda name, k=k: _stream(root, k, name),
                            method, which, loadings).T


def n_blocks(n: int, block: int = BLOCK) -> int:
    """How many blocks n samples take (the last one may be short)."""
    return -(-int(n) // block)


def draw_block(model: Model, n: int, k: int, seed: int | None = DEFAULT_SEED, method: str = "random",
               only: Sequence[int] | None = None, block: int = BLOCK) -> np.ndarray:
    """theta[b, P]: block k alone of the n draws `draw_blocks` yields (samples k*block to
    min((k+1)*block, n)), bit for bit; what a task on another process or machine computes.
    """
    _check(n, method, "draw_block")
    if not 0 <= k < n_blocks(n, block):
        raise ValueError(f"draw_block(): k must be a block of the {n:,} samples (0 to {n_blocks(n, block) - 1}); got {k!r}")
    which = _which(model, only, "draw_block")
    root = np.random.SeedSequence(DEFAULT_SEED if seed is None else seed)
    start = k * block
    return _block(model, min(block, n - start), lambda name: _stream(root, k, name), method, which,
                  _loadings(model, which)).T


def draw(model: Model, n: int, seed: int | None = DEFAULT_SEED, method: str = "random",
         rng: np.random.Generator | None = None, only: Sequence[int] | None = None) -> np.ndarray:
    """theta[n, P]: n draws of the model's parameters (values in each parameter's own unit).

    seed: the draws are a function of (seed, n, method, only) alone; None is the default seed
        (`DEFAULT_SEED`), as everywhere in Juncture: pass another int for other draws.
    rng: a generator to draw from instead (then `seed` is not used and the n draws are one
        block), so callers can chain draws from one stream.
    only: indices of the parameters to draw; the others stay at their point values.
    """
    _check(n, method, "draw")
    which = _which(model, only, "draw")
    if rng is not None:
        return _block(model, n, lambda name: rng, method, which, _loadings(model, which)).T
    if n <= BLOCK:
        return next(draw_blocks(model, n, seed, method, only))[1]
    out = np.empty((model.n_params, n))
    for start, th in draw_blocks(model, n, seed, method, only):
        out[:, start:start + th.shape[0]] = th.T
    return out.T


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


def factor_names(model: Model) -> tuple[str, ...]:
    """The ids of the file's factors, in the row order of `factor_loadings`."""
    return tuple((getattr(model.scenario, "factors", None) or {}).keys())
