"""One example of every number form, as a file writes it, with its parameters as the loader keeps
them and the same law in scipy.stats: the reference the distribution-table tests check against.

PERT is the beta of Vose (Risk Analysis, 3rd ed. 2008, 11.2): PERT [0, 1, 6] is beta(1 + 4 * 1/6,
1 + 4 * 5/6) on [0, 6]. 'likely' stands for the band 0.55-0.80 (ICD 203).
"""

from __future__ import annotations

import math

from scipy import stats

REFERENCE = {
    "beta": ("{beta: [2, 5]}", (2.0, 5.0), stats.beta(2, 5)),
    "triangular": ("{triangular: [0, 1, 6]}", (0.0, 1.0, 6.0), stats.triang(1 / 6, loc=0, scale=6)),
    "pert": ("{pert: [0, 1, 6]}", (0.0, 1.0, 6.0), stats.beta(1 + 4 / 6, 1 + 20 / 6, loc=0, scale=6)),
    "normal": ("{normal: [3, 0.5]}", (3.0, 0.5), stats.norm(3, 0.5)),
    "lognormal": ("{lognormal: [0.5, 0.25]}", (0.5, 0.25), stats.lognorm(0.25, scale=math.exp(0.5))),
    "uniform": ("{uniform: [2, 6]}", (2.0, 6.0), stats.uniform(2, 4)),
    "range": ("[2, 4]", (2.0, 4.0), stats.uniform(2, 2)),
    "word": ("likely", (0.55, 0.80), stats.uniform(0.55, 0.25)),
}
"""form -> (how a file writes it, its parameters, the same law in scipy.stats)."""

BANDS = ("uniform", "range", "word")
"""Forms whose sensitivity low/high are the ends of their band, not the 5th/95th percentiles."""

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def assert_drawn_from(x, ref, what: str) -> None:
    """x are n draws of `ref`: the mean within 5 standard errors, and the share of draws below each
    of QUANTILES within 5 binomial standard errors (bounds that hold for a Latin hypercube too)."""
    n = len(x)
    assert abs(x.mean() - ref.mean()) <= 5 * ref.std() / math.sqrt(n), what
    for q in QUANTILES:
        assert abs((x <= ref.ppf(q)).mean() - q) <= 5 * math.sqrt(q * (1 - q) / n), (what, q)
