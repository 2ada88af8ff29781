"""The one table of distributions: every law a scenario's number can be drawn from.

Each entry says, for its parameters as written in a file, what the loader checks (`check`, the
number of parameters, the support), the point value it stands for (`mean`), and how the analyses
draw it (`ppf` for Latin hypercubes, copulas and percentiles; `draw` for independent draws with
numpy's generators). Ranges and words of estimative probability are uniform on their band
(`FORMS`). Adding a distribution is one entry in `DISTRIBUTIONS` (plus the docs).

The table lives in `model.io` because the loader, the most upstream layer, reads it; `compile`
and `analysis` read the same entries. Nothing here imports numpy or scipy until a number is
drawn, so reading and checking a file stays fast.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

Params = tuple[float, ...]

LOW_HIGH = (0.05, 0.95)
"""Cumulative probabilities of a distribution's low and high values for one-way sensitivity."""


@dataclass(frozen=True)
class Distribution:
    """One law, as a file names it: `{name: [p1, p2, ...]}` with `n_params` numbers.

    check(params): a sentence saying what is wrong with parameters of the right count, or None.
    support(params): the smallest and largest value a draw can take (infinite when unbounded).
    mean(params): the mean, which is the number's point value unless the analyst gives `point`.
    ppf(u, params): values at cumulative probabilities u (an array, each in (0, 1)).
    draw(rng, n, params): n independent draws from a numpy Generator (fast and exact in law).
    ends_are_low_high: low and high for sensitivity are the support's ends (uniform on a band)
        instead of the 5th and 95th percentiles.
    """

    name: str
    n_params: int
    check: Callable[[Params], str | None]
    support: Callable[[Params], tuple[float, float]]
    mean: Callable[[Params], float]
    ppf: Callable[[Any, Params], Any]
    draw: Callable[[Any, int, Params], Any]
    ends_are_low_high: bool = False

    def low_high(self, params: Params) -> tuple[float, float]:
        """Low and high values for one-way sensitivity: the ends of a band, else the 5th and 95th
        percentiles."""
        if self.ends_are_low_high:
            return self.support(params)
        import numpy as np

        q = self.ppf(np.asarray(LOW_HIGH, dtype=float), params)
        return float(q[0]), float(q[1])


def _stats() -> Any:
    from scipy import stats  # imported when a number is first drawn, not when a file is read

    return stats


def _spread_check(name: str) -> Callable[[Params], str | None]:
    return lambda p: (f"{name} needs a positive spread (second number); got {p[1]:g}"
                      if p[1] <= 0 else None)


def _three_point_check(name: str) -> Callable[[Params], str | None]:
    return lambda p: (None if p[0] <= p[1] <= p[2] and p[0] < p[2] else
                      f"{name} needs low <= mode <= high with low < high; got [{p[0]:g}, {p[1]:g}, {p[2]:g}]")


def _pert_shapes(p: Params) -> tuple[float, float]:
    """PERT [low, mode, high] is the beta on [low, high] with these two shapes."""
    lo, mode, hi = p
    return 1 + 4 * (mode - lo) / (hi - lo), 1 + 4 * (hi - mode) / (hi - lo)


def _pert_ppf(u: Any, p: Params) -> Any:
    a, b = _pert_shapes(p)
    return p[0] + (p[2] - p[0]) * _stats().beta.ppf(u, a, b)


def _pert_draw(rng: Any, n: int, p: Params) -> Any:
    a, b = _pert_shapes(p)
    return p[0] + (p[2] - p[0]) * rng.beta(a, b, n)


def _triangular_ppf(u: Any, p: Params) -> Any:
    lo, mode, hi = p
    return _stats().triang.ppf(u, (mode - lo) / (hi - lo), loc=lo, scale=hi - lo)


def _lognormal_ppf(u: Any, p: Params) -> Any:
    import numpy as np

    return _stats().lognorm.ppf(u, s=p[1], scale=np.exp(p[0]))


_UNIFORM = Distribution(
    "uniform", 2,
    check=lambda p: None if p[0] < p[1] else f"uniform needs low < high; got [{p[0]:g}, {p[1]:g}]",
    support=lambda p: (p[0], p[1]),
    mean=lambda p: (p[0] + p[1]) / 2,
    ppf=lambda u, p: p[0] + u * (p[1] - p[0]),
    draw=lambda rng, n, p: rng.uniform(p[0], p[1], n),
    ends_are_low_high=True,
)

DISTRIBUTIONS: Mapping[str, Distribution] = MappingProxyType({d.name: d for d in (
    Distribution(
        "beta", 2,
        check=lambda p: (f"beta needs two positive shape numbers; got [{p[0]:g}, {p[1]:g}]"
                         if p[0] <= 0 or p[1] <= 0 else None),
        support=lambda p: (0.0, 1.0),
        mean=lambda p: p[0] / (p[0] + p[1]),
        ppf=lambda u, p: _stats().beta.ppf(u, p[0], p[1]),
        draw=lambda rng, n, p: rng.beta(p[0], p[1], n),
    ),
    Distribution(
        "triangular", 3, check=_three_point_check("triangular"),
        support=lambda p: (p[0], p[2]),
        mean=lambda p: (p[0] + p[1] + p[2]) / 3,
        ppf=_triangular_ppf,
        draw=lambda rng, n, p: rng.triangular(p[0], p[1], p[2], n),
    ),
    Distribution(
        "pert", 3, check=_three_point_check("pert"),
        support=lambda p: (p[0], p[2]),
        mean=lambda p: (p[0] + 4 * p[1] + p[2]) / 6,
        ppf=_pert_ppf,
        draw=_pert_draw,
    ),
    Distribution(
        "normal", 2, check=_spread_check("normal"),
        support=lambda p: (-math.inf, math.inf),
        mean=lambda p: p[0],
        ppf=lambda u, p: _stats().norm.ppf(u, loc=p[0], scale=p[1]),
        draw=lambda rng, n, p: rng.normal(p[0], p[1], n),
    ),
    Distribution(
        "lognormal", 2, check=_spread_check("lognormal"),
        support=lambda p: (0.0, math.inf),
        mean=lambda p: math.exp(p[0] + p[1] ** 2 / 2),
        ppf=_lognormal_ppf,
        draw=lambda rng, n, p: rng.lognormal(p[0], p[1], n),
    ),
    _UNIFORM,
)})
"""Distribution name as a file writes it -> its law. The order is the order error messages list."""

FORMS: Mapping[str, Distribution] = MappingProxyType({**DISTRIBUTIONS, "range": _UNIFORM, "word": _UNIFORM})
"""Every uncertain number form -> the law it is drawn from: the distributions as written, and
ranges and words of estimative probability uniform on their band. `fixed` and `otherwise` are
not here: they are not drawn (they stay at their point value)."""


def law(kind: str, what: str = "law()") -> Distribution:
    """The law of an uncertain number form; ValueError naming `what` for any other kind."""
    try:
        return FORMS[kind]
    except KeyError:
        raise ValueError(f"{what}: unknown distribution {kind!r}; known: {', '.join(FORMS)}") from None
