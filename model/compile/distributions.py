"""A number's values, vectorised: quantiles, independent draws and sensitivity bounds, each read
from the one table of distributions (`model.io.distributions`).

Fixed numbers and `otherwise` are not drawn: they stay at their point value. Any other kind that
is not in the table raises, so an unknown distribution can never be sampled as a constant.
"""

from __future__ import annotations

import numpy as np

from ..io import Number
from ..io.distributions import law


def ppf(n: Number, u: np.ndarray) -> np.ndarray:
    """Values of `n` at cumulative probabilities `u` (any shape, each in (0, 1)).

    Ranges and words are uniform on their span; PERT is the beta on [low, high] with shapes
    1 + 4 (mode - low) / (high - low) and 1 + 4 (high - mode) / (high - low).
    """
    u = np.asarray(u, dtype=float)
    if not n.is_uncertain:
        return np.full(u.shape, n.point)
    return law(n.kind, "ppf()").ppf(u, n.params)


def draw(n: Number, size: int, rng: np.random.Generator) -> np.ndarray:
    """`size` independent draws of `n` with numpy's generator `rng` (fast and exact in law)."""
    if not n.is_uncertain:
        return np.full(size, n.point)
    return law(n.kind, "draw()").draw(rng, size, n.params)


def low_high(n: Number) -> tuple[float, float]:
    """Low and high values for one-way sensitivity: a range's, a word's or a uniform's ends, else
    the 5th and 95th percentiles; a fixed number's are its value."""
    if not n.is_uncertain:
        return n.point, n.point
    return law(n.kind, "low_high()").low_high(n.params)
