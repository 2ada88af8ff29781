"""SMAA: stochastic multicriteria acceptability analysis (Lahdelma & Salminen's SMAA-2).

Instead of one weight vector, weights are drawn (uniformly on the simplex when the analyst gives
none, or from the stated weights and their ranges), and with them the uncertain numbers of the
scenario (so the consequence matrix varies too). Each draw ranks the options; over the draws:

- rank acceptability b[o, r]: the share of draws in which option o takes rank r + 1;
- central weight vector of o: the mean weight vector of the draws in which o ranks first (the
  typical preferences that make it best); undefined (NaN) when it never ranks first;
- confidence factor of o: the share of consequence draws in which o is best when the weights
  are fixed at its central weight vector (SMAA-2's p_c: how sure o is to win for a decision
  maker who holds its typical preferences); NaN when o never ranks first.

Ties within a draw (within TIE_TOLERANCE) are split, not broken: k options tied for ranks
r..r+k-1 each take 1/k of each of those ranks, so every row and column of the acceptability
matrix still sums to 1; `tie_share` says how often a draw had a tie.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..compile import Model
from ..evaluate import evaluate, point, tie_ranks, tie_size
from ..evaluate import weights as stated_weights
from ..results import Result, Table, table
from .mcda import Choices, ranking_method, settings
from .sampling import DEFAULT_SEED, draw
from .weights import RANK_HOW

WEIGHT_MODES = ("stated", "simplex", "rank")
"""stated: the criteria's weights, drawn from their stated numbers (a range is uniform on the range)
and renormalised to sum to 1; uniform on the simplex when the file gives no weights. simplex:
uniform on the simplex whatever the file says (no preference information). rank: uniform on the
part of the simplex that respects the criteria's `rank` order (ordinal information, SMAA-O style)."""

CONSEQUENCES = ("draws", "point")
"""draws: the scenario's uncertain numbers are drawn with the weights; point: consequences at the
point values, only the weights vary (classic SMAA on a fixed matrix)."""


@dataclass(frozen=True, eq=False)
class Smaa(Result):
    """SMAA results with the per-draw intermediates.

    weights[S, C]: the weight vectors drawn (normalised); scores[S, O]: each option's score in each
    draw (additive value 0-1, or TOPSIS closeness 0-1); ranks[S, O]: competition rank per draw
    (1 = best; tied options share the best of their ranks); tied[S, O]: how many options share
    that rank; rank_acceptability[O, O]: option x rank, shares (each row and column sums to 1);
    central_weights[O, C] (NaN for an option never first); confidence[O] (NaN likewise);
    settings: every choice that changes the answer.
    """

    options: tuple[str, ...]
    criteria: tuple[str, ...]
    weights: np.ndarray
    scores: np.ndarray
    ranks: np.ndarray
    tied: np.ndarray
    rank_acceptability: np.ndarray
    central_weights: np.ndarray
    confidence: np.ndarray
    settings: dict[str, Any]

    @property
    def n(self) -> int:
        return self.scores.shape[0]

    @property
    def standard_error(self) -> np.ndarray:
        """Monte Carlo standard error of each acceptability share, sqrt(b (1 - b) / n), [O, O]."""
        b = self.rank_acceptability
        return np.sqrt(b * (1 - b) / self.n)

    @property
    def tie_share(self) -> float:
        """Share of draws in which some options tied."""
        return float((self.tied > 1).any(axis=1).mean())

    @property
    def ranking(self) -> list[str]:
        """Options by first-rank acceptability, then second-rank, and so on (a sample estimate:
        compare differences with `standard_error`)."""
        b = self.rank_acceptability
        order = np.lexsort(tuple(-b[:, k] for k in reversed(range(b.shape[1]))))
        return [self.options[i] for i in order]

    def table(self) -> Table:
        """The rank acceptability table (the central weights are `central_weights_table`)."""
        return self.acceptability_table()

    def acceptability_table(self) -> Table:
        b = self.rank_acceptability
        cols = [f"rank {k + 1}" for k in range(b.shape[1])] + ["confidence"]
        order = [self.options.index(o) for o in self.ranking]
        vals = [list(b[i]) + [float(self.confidence[i])] for i in order]
        se = float(self.standard_error.max())
        notes = [f"{self.n} draws; shares of draws (Monte Carlo standard error at most {se:.3f})",
                 self._settings_note(),
                 ("confidence: share of draws in which the option is best with the weights fixed at its "
                 "central weight vector (blank: never best)")]
        if self.tie_share:
            notes.append(f"ties in {self.tie_share:.1%} of draws, split evenly over the tied ranks")
        return table("Rank acceptability (SMAA)", "option", [self.options[i] for i in order], cols, vals,
                     ["share"] * len(cols), notes)

    def central_weights_table(self) -> Table:
        notes = ["mean weights of the draws in which the option ranks first (blank: never first)"]
        return table("Central weight vectors", "option", self.options, self.criteria, self.central_weights,
                     ["weight"] * len(self.criteria), notes)

    def _settings_note(self) -> str:
        s = self.settings
        return (f"aggregation {s['aggregation']}; weights {s['weights']} ({s['weights_note']}); "
                f"consequences {s['consequences']}; seed {s['seed']}")

    def _repr_html_(self) -> str:
        return self.acceptability_table()._repr_html_() + self.central_weights_table()._repr_html_()

    def to_dict(self) -> dict[str, Any]:
        """The `smaa` block of `juncture compare --method smaa --json`."""
        def num(v: float) -> float | None:
            return None if np.isnan(v) else float(v)

        opts = self.options
        return {
            "rank_acceptability": {o: list(map(float, b)) for o, b in zip(opts, self.rank_acceptability)},
            "standard_error": {o: list(map(float, row)) for o, row in zip(self.options, self.standard_error)},
            "central_weights": {o: None if np.isnan(row).any() else dict(zip(self.criteria, map(float, row)))
                                for o, row in zip(self.options, self.central_weights)},
            "confidence": {o: num(c) for o, c in zip(self.options, self.confidence)},
            "ranking": self.ranking,
            "tie_share": self.tie_share,
            "samples": self.n,
            **{k: v for k, v in self.settings.items() if k != "samples"},
        }


def _rank_weights(model: Model, n: int, rng: np.random.Generator) -> np.ndarray:
    """Uniform on {w on the simplex: w ordered as the criteria's ranks}: sorted Dirichlet(1) draws
    given out by rank; criteria of equal rank take their shares in random order."""
    ranks = np.array([c.rank for c in model.scenario.criteria], dtype=float)
    c = len(ranks)
    sorted_w = -np.sort(-rng.dirichlet(np.ones(c), n), axis=1)         # largest first
    key = ranks[None, :] + 0.5 * rng.random((n, c))                      # random order within ties
    position = np.argsort(np.argsort(key, axis=1, kind="stable"), axis=1)
    return np.take_along_axis(sorted_w, position, axis=1)


def draw_weights(model: Model, mode: str, theta: np.ndarray,
                 rng: np.random.Generator) -> tuple[np.ndarray, str]:
    """Weight vectors [S, C] for SMAA and a note on how they were drawn (see WEIGHT_MODES)."""
    n, c = theta.shape[0], len(model.criteria)
    if mode == "stated":
        if (model.weight_param < 0).all():
            return rng.dirichlet(np.ones(c), n), "the file gives no weights: uniform on the simplex"
        uncertain = [i for i in model.weight_param if model.params.numbers[i].is_uncertain]
        how = ("each drawn from its stated number (a range uniformly), then renormalised to sum to 1"
               if uncertain else "the stated weights are exact: only the consequences vary")
        return stated_weights(model, theta), how
    if mode == "simplex":
        return rng.dirichlet(np.ones(c), n), "uniform on the simplex (no preference information)"
    if mode == "rank":
        missing = [k.id for k in model.scenario.criteria if k.rank is None]
        if not model.scenario.criteria or missing:
            raise ValueError(f"smaa(): weights 'rank' needs a rank on every criterion: {RANK_HOW}; missing on "
                             f"{', '.join(missing) or 'all (the file has no criteria)'}")
        return _rank_weights(model, n, rng), "uniform on the simplex within the criteria's rank order"
    raise ValueError(f"smaa(): weights must be one of {', '.join(WEIGHT_MODES)}; got {mode!r}")


def acceptability(ranks: np.ndarray, tied: np.ndarray) -> np.ndarray:
    """Option x rank shares [O, O] from per-draw competition ranks and tie sizes [S, O]: an option
    tied with k - 1 others at rank r takes 1/k of each rank r .. r + k - 1."""
    o = ranks.shape[1]
    k = np.arange(1, o + 1)[None, None, :]
    r, m = ranks[:, :, None], tied[:, :, None]
    share = ((k >= r) & (k < r + m)) / m
    return share.mean(axis=0)


def smaa(model: Model, n: int = 10_000, seed: int | None = DEFAULT_SEED, *,
         rng: np.random.Generator | None = None, method: str | None = None, weights: str = "stated",
         consequences: str = "draws", normalisation: str | None = None, cost: str | None = None,
         value_range: str | None = None, sampling: str = "random") -> Smaa:
    """SMAA-2 over n draws of weights (see WEIGHT_MODES) and consequences (see CONSEQUENCES).

    method: the aggregation in each draw, 'mavt' (additive value on the criteria's value scales)
    or 'topsis' (None: the file's `comparison.method`, else mavt); normalisation, cost and
    value_range as in `model.analysis.mcda.compare` (value_range 'options' takes the span of the
    options' expected consequences at the point values, fixed over the draws).
    seed / rng: the same seed gives the same answer; a passed generator is used instead.
    sampling: 'random' or 'lhs', how the scenario's numbers are drawn (`model.analysis.sampling.draw`).
    """
    if n < 1:
        raise ValueError(f"smaa(): n must be a positive number of draws; got {n}")
    if consequences not in CONSEQUENCES:
        raise ValueError(f"smaa(): consequences must be one of {', '.join(CONSEQUENCES)}; "
                         f"got {consequences!r}")
    method, normalisation = settings(model, method, normalisation)
    entry = ranking_method(method, "smaa()")
    cmp = model.scenario.comparison
    cost = cost or (cmp.cost if cmp is not None else "ideal")
    value_range = value_range or (cmp.value_range if cmp is not None else "criteria")
    own_rng = rng is None
    rng = np.random.default_rng(DEFAULT_SEED if seed is None else seed) if own_rng else rng
    base = point(model, keep_nodes=False)
    if consequences == "draws":
        theta = draw(model, n, rng=rng, method=sampling)
        expected = evaluate(model, theta).expected                       # [S, O, C]
    else:
        stated = [int(i) for i in model.weight_param if i >= 0]
        theta = (draw(model, n, rng=rng, method=sampling, only=stated) if stated and weights == "stated"
                 else np.tile(model.params.point, (n, 1)))
        expected = np.broadcast_to(base.expected, (n,) + base.expected.shape[1:])
    w, how = draw_weights(model, weights, theta, rng)
    ch = entry.prepare(model, base.expected[0], Choices(normalisation, cost, value_range))
    scores, _ = entry.apply(model, expected, w, ch)
    ranks = tie_ranks(scores)
    tied = tie_size(scores)
    b = acceptability(ranks, tied)
    first = (ranks == 1) / tied                                          # [S, O] share of first place
    mass = first.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        central = (first.T @ w) / mass[:, None]                          # [O, C]
    confidence = np.full(len(model.options), np.nan)
    for i in np.flatnonzero(mass > 0):
        s_i, _ = entry.apply(model, expected, central[i], ch)
        confidence[i] = float(((tie_ranks(s_i)[:, i] == 1) / tie_size(s_i)[:, i]).mean())
    how_set = {"aggregation": method, "weights": weights, "weights_note": how, "consequences": consequences,
               "seed": seed if own_rng else None, "samples": n, "sampling": sampling, **entry.read(ch)}
    return Smaa(options=model.options, criteria=model.criteria, weights=w, scores=scores, ranks=ranks,
                tied=tied, rank_acceptability=b, central_weights=central, confidence=confidence,
                settings=how_set)
