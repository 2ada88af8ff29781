"""What options are compared on, and how: order and ties, utility and certainty equivalents,
criterion weights and value scores. Plain functions over arrays, used by the rollback and by
every analysis that compares options."""

from __future__ import annotations

import numpy as np

from ..compile import Model

TIE_TOLERANCE = 1e-9
"""Two values tie when they differ by at most this times max(|value|, 1)."""

LOG_FLOAT_MAX = float(np.log(np.finfo(float).max))
"""ln of the largest float (709.78): exp of anything above it overflows."""


# ---------------------------------------------------------------------------- order and ties
# Every comparison of options (best, ranks, ties, P(best), dominance, regret, SMAA) goes through
# these functions, on a quantity that keeps its resolution: the certainty equivalent in value
# units (`Evaluation.preference`), never a utility, which saturates at 1 for values far above
# the risk tolerance and overflows far below it.
def tie_width(top: np.ndarray | float) -> np.ndarray:
    """How far below `top` a value still ties with it: TIE_TOLERANCE x max(|top|, 1)."""
    return TIE_TOLERANCE * np.maximum(np.abs(top), 1.0)


def near_top(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """True where x is within the tie tolerance of the largest value along `axis` (the best,
    several when tied)."""
    x = np.asarray(x, dtype=float)
    top = np.max(x, axis=axis, keepdims=True)
    return x >= top - tie_width(top)


def tie_ranks(scores: np.ndarray) -> np.ndarray:
    """Competition ranks along the last axis, larger score first: 1 + the number of options
    strictly better (by more than the tie tolerance of the best). Tied options share the best
    of their ranks, so [0.5, 0.5, 0.2] -> [1, 1, 3]."""
    s = np.asarray(scores, dtype=float)
    tol = tie_width(np.max(s, axis=-1, keepdims=True))
    better = s[..., None, :] > s[..., :, None] + tol[..., None]       # [..., i, j]: j beats i
    return 1 + better.sum(axis=-1)


def tie_size(scores: np.ndarray) -> np.ndarray:
    """How many options (itself included) score within the tie tolerance of each option."""
    s = np.asarray(scores, dtype=float)
    tol = tie_width(np.max(s, axis=-1, keepdims=True))
    return (np.abs(s[..., None, :] - s[..., :, None]) <= tol[..., None]).sum(axis=-1)


def ordering(scores: np.ndarray, options: tuple[str, ...] | list[str]) -> tuple[list[str], list[int], list[list[str]]]:
    """(options best first, each option's rank in input order, groups of tied options).

    The order among tied options is the input order; `ties` says they are tied."""
    s = np.asarray(scores, dtype=float)
    ranks = tie_ranks(s)
    order = np.lexsort((np.arange(len(s)), ranks))
    groups: dict[int, list[str]] = {}
    for i in order:
        groups.setdefault(int(ranks[i]), []).append(options[i])
    return [options[i] for i in order], [int(r) for r in ranks], [g for g in groups.values() if len(g) > 1]


def lottery_ce(values: np.ndarray, probs: np.ndarray, risk_tolerance: float | None) -> float:
    """Certainty equivalent of a lottery paying values[K] (value units) with probabilities
    probs[K]: its expected value when risk-neutral, else -R ln sum p exp(-v / R), taken in log
    space from the worst outcome that can happen (no overflow, no rounding to a utility of 1)."""
    v = np.asarray(values, dtype=float)
    p = np.asarray(probs, dtype=float)
    if risk_tolerance is None:
        return float(p @ v)
    low = float(v[p > 0].min())
    return low - risk_tolerance * float(np.log(p @ np.exp(-(v - low) / risk_tolerance)))


def utility_overflow_note(risk_tolerance: float) -> str:
    """The sentence shown where an expected utility lies below the float range."""
    return (f"an expected utility shown blank (null in JSON) lies below -1.8e308, beyond what a float holds (a certainty "
            f"equivalent below -709.78 x R = {-LOG_FLOAT_MAX * risk_tolerance:.6g}); the certainty "
            "equivalent, which orders options the same way, is exact")


def exponential_utility(value: np.ndarray, risk_tolerance: float) -> np.ndarray:
    """u = 1 - exp(-value / R) for values in value units; R in the same unit.

    Where value / R < -709.78 the utility is below -1.8e308, beyond what a float holds: it is
    -inf there (no warning), and only there; compare options on the certainty equivalent, which
    keeps every digit (`Evaluation.preference`). Values far above R give a utility of exactly 1.0
    in floating point: equal utilities then say nothing about which option is better."""
    with np.errstate(over="ignore"):
        return -np.expm1(-np.asarray(value, dtype=float) / risk_tolerance)

def signed_value(model: Model, certainty_equivalent: np.ndarray) -> np.ndarray:
    """Certainty equivalents as `evaluate` returns them -> value units where larger is better
    (a single raw minimised criterion is reported as a cost; this undoes that sign)."""
    if model.raw_value and model.directions[0] < 0:
        return -np.asarray(certainty_equivalent)
    return np.asarray(certainty_equivalent)


def weights(model: Model, theta: np.ndarray) -> np.ndarray:
    """Criterion weights per sample, normalised to sum to one, [S, C] (equal when none given)."""
    c = len(model.criteria)
    if (model.weight_param < 0).all():
        return np.full((theta.shape[0], c), 1.0 / c)
    w = np.clip(theta[:, model.weight_param], 0.0, None)
    total = w.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, w / total, 1.0 / c)


def value_scores(model: Model, x: np.ndarray) -> np.ndarray:
    """Value score 0 (worst) to 1 (best) of consequences x[..., C] on each criterion's scale."""
    lo, hi = model.ranges[:, 0], model.ranges[:, 1]
    span = np.where(hi > lo, hi - lo, 1.0)
    out = np.empty_like(x, dtype=float)
    for i, kind in enumerate(model.value_kind):
        xi = x[..., i]
        gain = (xi - lo[i]) if model.directions[i] > 0 else (hi[i] - xi)
        if kind == "linear":
            out[..., i] = gain / span[i]
        elif kind == "exponential":
            rho = model.value_args[i]
            out[..., i] = _exponential_value(gain / rho, span[i] / rho)
        else:  # piecewise: the analyst's points map consequence to value directly
            pts = np.asarray(model.value_args[i], dtype=float)
            out[..., i] = np.interp(xi, pts[:, 0], pts[:, 1])
        if hi[i] <= lo[i] and kind != "piecewise":
            out[..., i] = 1.0  # every consequence is the same: nothing to tell options apart
    return out


def _exponential_value(g: np.ndarray, w: float) -> np.ndarray:
    """(1 - exp(-g)) / (1 - exp(-w)): an exponential value function at gain g, both in units of
    rho (w the whole span; w != 0). Taken as a ratio of logarithms, so that a rho far smaller
    than the span (either sign) neither overflows nor divides infinity by infinity."""
    a = -np.asarray(g, dtype=float)
    b = -float(w)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        def log_abs_expm1(x: np.ndarray) -> np.ndarray:  # ln |exp(x) - 1|, for any x
            return np.where(x > 0, x + np.log(-np.expm1(-np.abs(x))), np.log(-np.expm1(-np.abs(x))))
        ratio = np.exp(log_abs_expm1(a) - log_abs_expm1(np.asarray(b)))
    return np.sign(a) * np.sign(b) * ratio + 0.0  # + 0.0: no negative zero at g = 0


def linear_coefficients(model: Model, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """a[S, C], b[S] with leaf value = b + sum_c a_c x_c, when every value function is linear."""
    if model.raw_value:
        return np.broadcast_to(model.directions, w.shape).copy(), np.zeros(w.shape[0])
    lo, hi = model.ranges[:, 0], model.ranges[:, 1]
    flat = hi <= lo
    span = np.where(flat, 1.0, hi - lo)
    a = w * np.where(flat, 0.0, model.directions / span)
    base = np.where(flat, 1.0, np.where(model.directions > 0, -lo / span, hi / span))
    return a, (w * base).sum(axis=1)
