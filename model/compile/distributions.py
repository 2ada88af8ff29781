"""Quantile functions of the number forms, vectorised: the one place a number becomes a draw."""

from __future__ import annotations

import numpy as np
from scipy import stats

from ..io import Number


def ppf(n: Number, u: np.ndarray) -> np.ndarray:
    """Values of `n` at cumulative probabilities `u` (any shape, each in (0, 1)).

    Ranges and words are uniform on their span; PERT is the beta on [low, high] with shapes
    1 + 4 (mode - low) / (high - low) and 1 + 4 (high - mode) / (high - low).
    """
    u = np.asarray(u, dtype=float)
    k, p = n.kind, n.params
    if k in ("fixed", "otherwise"):
        return np.full(u.shape, n.point)
    if k in ("range", "word", "uniform"):
        return p[0] + u * (p[1] - p[0])
    if k == "beta":
        return stats.beta.ppf(u, p[0], p[1])
    if k == "triangular":
        lo, mode, hi = p
        return stats.triang.ppf(u, (mode - lo) / (hi - lo), loc=lo, scale=hi - lo)
    if k == "pert":
        lo, mode, hi = p
        a = 1 + 4 * (mode - lo) / (hi - lo)
        b = 1 + 4 * (hi - mode) / (hi - lo)
        return lo + (hi - lo) * stats.beta.ppf(u, a, b)
    if k == "normal":
        return stats.norm.ppf(u, loc=p[0], scale=p[1])
    if k == "lognormal":
        return stats.lognorm.ppf(u, s=p[1], scale=np.exp(p[0]))
    raise ValueError(f"ppf(): unknown number kind {k!r}")
