"""The notebook facade: a loaded scenario with every analysis one method call away.

    import model as jn
    sc = jn.load("scenarios/venezuela.yaml")
    sc.evaluate()                      # point evaluation (an `Evaluation`)
    mc = sc.simulate(10_000, seed=1)   # Monte Carlo (a `MonteCarlo` result)
    mc.summary()

`load` and `loads` return a `Study`: a `Scenario` (the same frozen dataclass, the same fields,
accepted wherever a Scenario is) with methods that compile it (once per world, kept) and call
the analyses of `model.analysis`. Each method is a thin call of one analysis function and returns
that function's result unchanged, so its numbers are the function's numbers; the functions stay
the reference (and what the command line calls). Every stochastic method takes `seed`, whose
default is `model.analysis.DEFAULT_SEED`: two runs agree unless another int is passed.

Nothing here imports numpy-heavy analysis modules, pandas or matplotlib until a method needs them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .analysis import DEFAULT_SEED
from .io import Scenario
from .io import load as _load
from .io import loads as _loads

if TYPE_CHECKING:  # pragma: no cover - names for annotations only
    from .analysis.ach import CompetingHypotheses
    from .analysis.critique import Critique
    from .analysis.diff import Diff
    from .analysis.escalation import Ladder
    from .analysis.indicators import Update, WatchList
    from .analysis.mcda import MultiCriteria
    from .analysis.montecarlo import MonteCarlo
    from .analysis.robustness import Robustness
    from .analysis.sensitivity import Spider, Thresholds, Tornado, TwoWay
    from .analysis.smaa import Smaa
    from .analysis.strategic import Credibility
    from .analysis.voi import SampleInformation, ValueOfInformation
    from .analysis.weights import Weights
    from .compile import Model
    from .evaluate import Evaluation
    from .io.scenario import Bound
    from .results import Table

__all__ = ["MATRIX_KINDS", "SENSITIVITY_KINDS", "Signals", "Study", "load", "loads"]

SENSITIVITY_KINDS = ("tornado", "spider", "two-way", "thresholds")
"""What `Study.sensitivity(kind)` computes (`juncture sensitivity --kind`)."""

MATRIX_KINDS = ("consequences", "ranking", "responses", "risks", "outcomes", "dominance")
"""What `Study.matrix(kind)` returns (`juncture matrix --kind`, and the ranking)."""


def load(path: str | Path) -> Study:
    """Read, check and return the scenario file at `path` (`model.io.load`) as a `Study`.

    Raises `ScenarioError` listing every problem, each at its FILE:LINE:COL."""
    return Study.of(_load(path))


def loads(text: str, file: str = "<string>") -> Study:
    """The same as `load` for YAML text (`file` names it in messages)."""
    return Study.of(_loads(text, file))


class Signals(dict):
    """The scenario's signals by id (what `Scenario.signals` gives), which, called, judges them:
    `sc.signals()` is the credibility of every signal (`model.analysis.strategic.credibility`)."""

    def __init__(self, signals: Mapping[str, Any], study: Study) -> None:
        super().__init__(signals)
        self._study = study

    def __call__(self, world: str | None = None) -> Credibility:
        """The credibility of every signal, option by option, at the point values (in `world`)."""
        from .analysis.strategic import credibility

        return credibility(self._study.model(world))


class Study(Scenario):
    """A checked scenario (a `Scenario` in every respect) with its analyses as methods.

    Each method compiles the scenario (once per world; `model(world)` gives that `Model`), calls
    one function of `model.analysis` and returns its result. `world` names one of the file's
    worlds: the analysis then runs on the file with that world's overrides.
    """

    @classmethod
    def of(cls, scenario: Scenario) -> Study:
        """The scenario as a Study (the same object when it is one already; no copy of its data)."""
        if isinstance(scenario, cls):
            return scenario
        if not isinstance(scenario, Scenario):
            raise TypeError(f"Study.of(): expected a Scenario; got {type(scenario).__name__}")
        out = object.__new__(cls)
        out.__dict__.update(scenario.__dict__)  # the same field values: frozen, nothing to copy
        return out

    # A Study equals the Scenario it was made from: the subclass adds methods, not content.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name)
                   for f in dataclasses.fields(Scenario) if f.compare)

    __hash__ = Scenario.__hash__

    def __repr__(self) -> str:  # the dataclass's would print every field of the file
        return f"<Study {self.meta.id}: {self.meta.title!r} ({self.file})>"

    # ------------------------------------------------------------------ the compiled model
    def model(self, world: str | None = None) -> Model:
        """The compiled model (`compile_scenario`), in `world` when given; compiled once and kept."""
        cache: dict[str | None, Model] | None = self.__dict__.get("_models")
        if cache is None:
            cache = {}
            object.__setattr__(self, "_models", cache)  # a cache, not content: the dataclass stays frozen
        if world not in cache:
            if world is not None and world not in self.worlds:
                from .io.errors import did_you_mean

                raise ValueError(f"no world {world!r} in scenario {self.meta.id!r}"
                                 f"{did_you_mean(world, self.worlds)} (worlds: {', '.join(self.worlds) or 'none'})")
            from .compile import compile_scenario

            cache[world] = compile_scenario(self, world=world)
        return cache[world]

    # ------------------------------------------------------------------ point values
    def evaluate(self, world: str | None = None) -> Evaluation:
        """Every option rolled back at the point values (`model.evaluate.point`, with node values)."""
        from .evaluate import point

        return point(self.model(world))

    def matrix(self, kind: str = "consequences", world: str | None = None) -> Table:
        """One comparison matrix of the point evaluation (`model.analysis.matrices`): 'consequences',
        'ranking', 'responses', 'risks', 'outcomes' or 'dominance'."""
        if kind not in MATRIX_KINDS:
            raise ValueError(f"matrix(): kind must be one of {', '.join(MATRIX_KINDS)}; got {kind!r}")
        from .analysis import matrices

        return getattr(matrices, kind)(self.evaluate(world))

    # ------------------------------------------------------------------ uncertainty
    def simulate(self, n: int = 10_000, seed: int | None = DEFAULT_SEED, method: str = "random", *,
                 world: str | None = None, keep_theta: bool = False, progress: bool | None = None) -> MonteCarlo:
        """Monte Carlo over the file's uncertain numbers (`montecarlo.simulate`): n draws, seeded
        (None: the default seed), 'random' or 'lhs'; keep_theta keeps the draws (EVPPI needs them)."""
        from .analysis.montecarlo import simulate

        return simulate(self.model(world), n, seed=seed, method=method, keep_theta=keep_theta, progress=progress)

    def sensitivity(self, kind: str = "tornado", params: Sequence[str | int] | None = None, *,
                    world: str | None = None, of: str | None = None, versus: Sequence[str] | None = None,
                    measure: str = "utility", points: int | tuple[int, int] | None = None,
                    x_range: tuple[float, float] | None = None, y_range: tuple[float, float] | None = None,
                    span: float = 1.0, bounds: dict[str, tuple[float, float]] | None = None
                    ) -> Tornado | Spider | TwoWay | Thresholds:
        """One of SENSITIVITY_KINDS (`model.analysis.sensitivity`), every other number at its point value.

        params: the numbers to move, by name or index (default: every uncertain one for tornado and
        spider, every one that enters the evaluation for thresholds; two-way needs two and takes
        the two of largest swing when none are named). of / versus / measure: what tornado and
        spider measure. points: values per number (spider, thresholds) or per axis (two-way).
        x_range / y_range: two-way only; span / bounds: thresholds only. An option the kind does
        not use is an error, not ignored.
        """
        from .analysis import sensitivity as sens

        kind = kind.replace("_", "-")
        if kind not in SENSITIVITY_KINDS:
            raise ValueError(f"sensitivity(): kind must be one of {', '.join(SENSITIVITY_KINDS)}; got {kind!r}")
        given = {"of": of is not None, "versus": versus is not None, "measure": measure != "utility",
                 "points": points is not None, "x_range": x_range is not None, "y_range": y_range is not None,
                 "span": span != 1.0, "bounds": bounds is not None}
        uses = {"tornado": {"of", "versus", "measure"}, "spider": {"of", "versus", "measure", "points"},
                "two-way": {"points", "x_range", "y_range"}, "thresholds": {"points", "span", "bounds"}}[kind]
        unused = [k for k, v in given.items() if v and k not in uses]
        if unused:
            raise ValueError(f"sensitivity({kind!r}): {', '.join(unused)} do not apply to {kind} "
                             f"(it takes {', '.join(sorted(uses))})")
        m = self.model(world)
        if kind == "tornado":
            return sens.tornado(m, params, of=of, versus=versus, measure=measure)
        if kind == "spider":
            return sens.spider(m, params, points=11 if points is None else int(points), of=of, versus=versus,
                               measure=measure)
        if kind == "thresholds":
            return sens.thresholds(m, params, points=65 if points is None else int(points), bounds=bounds, span=span)
        if params is None:
            params = list(sens.tornado(m).names[:2])
        if len(params) != 2:
            raise ValueError(f"sensitivity('two-way'): name exactly two parameters; got {len(params)}")
        return sens.two_way(m, params[0], params[1], points=21 if points is None else points,
                            x_range=x_range, y_range=y_range)

    def voi(self, n: int = 10_000, seed: int | None = DEFAULT_SEED, method: str = "random", *,
            world: str | None = None, groups: dict[str, Sequence[str]] | None = None,
            evppi_method: str = "regression", progress: bool | None = None) -> ValueOfInformation:
        """Value of information (`voi.value_of_information`): EVPI of every chance event that can be
        revealed before choosing, of all parameter uncertainty, and EVPPI per number and group,
        from n seeded draws."""
        from .analysis.voi import value_of_information

        return value_of_information(self.model(world), n, seed=seed, method=method, groups=groups,
                                    evppi_method=evppi_method, progress=progress)

    def evsi(self, option: str, versus: str | None = None, *, world: str | None = None) -> SampleInformation:
        """Expected value of sample information of an information-gathering option (`voi.evsi`)."""
        from .analysis.voi import evsi

        return evsi(self.model(world), option, versus=versus)

    # ------------------------------------------------------------------ several criteria, several futures
    def compare(self, method: str | None = None, weights: Weights | str | None = None, *, world: str | None = None,
                normalisation: str | None = None, cost: str | None = None, value_range: str | None = None,
                n: int = 10_000, seed: int | None = DEFAULT_SEED, aggregation: str | None = None,
                consequences: str = "draws", sampling: str = "random") -> MultiCriteria | Smaa:
        """Compare the options on several criteria, as `juncture compare --method` does.

        method: 'mavt' or 'topsis' (`mcda.compare`, at the point values; None: the file's
        `comparison.method`, else mavt), or 'smaa' (`smaa.smaa`: n seeded draws of weights and
        consequences, aggregated by `aggregation`, None the file's method).
        weights: for mavt and topsis a weighting ('given', 'equal', 'rank', 'swing'), a profile of
        the file as 'profile:<id>', or a `Weights`; for smaa how the weights are drawn ('stated',
        'simplex', 'rank'; None: 'stated').
        normalisation and cost (topsis), value_range (mavt): as in `mcda.compare`.
        """
        m = self.model(world)
        if method == "smaa":
            from .analysis.smaa import smaa

            return smaa(m, n, DEFAULT_SEED if seed is None else seed, method=aggregation,
                        weights="stated" if weights is None else weights, consequences=consequences,
                        normalisation=normalisation, cost=cost, value_range=value_range, sampling=sampling)
        if aggregation is not None:
            raise ValueError("compare(): aggregation applies to method='smaa' only (use method= for mavt or topsis)")
        from .analysis.mcda import compare

        if isinstance(weights, str) and weights.startswith("profile:"):
            from .analysis.weights import profile_weights

            weights = profile_weights(m, weights.split(":", 1)[1])
        return compare(m, method, weights=weights, normalisation=normalisation, cost=cost, value_range=value_range)

    def robustness(self, alpha: float | None = None, include_base: bool = False, scale: str = "union",
                   bounds: Mapping[str, Bound] | None = None) -> Robustness:
        """Every world at its point values, regret and the decision rules (`robustness.across_worlds`):
        alpha is Hurwicz's optimism (None: the file's), include_base adds the file's own numbers as
        a column, scale the common value scale ('union' or 'base'), bounds satisficing bounds
        (criterion -> `Bound`; None: the file's)."""
        from .analysis.robustness import across_worlds

        return across_worlds(self.model(), alpha=alpha, include_base=include_base, scale=scale, bounds=bounds)

    across_worlds = robustness

    # ------------------------------------------------------------------ actors, signals, indicators
    @property
    def signals(self) -> Signals:  # type: ignore[override]
        """The signals by id, as on any Scenario; call it, `signals()`, for their credibility."""
        return Signals(Scenario.signals.fget(self), self)  # type: ignore[attr-defined]

    def watch_list(self, world: str | None = None) -> WatchList:
        """The indicators ranked by the expected value of observing them (`indicators.watch_list`)."""
        from .analysis.indicators import watch_list

        return watch_list(self.model(world))

    def update(self, observed: Mapping[str, bool], *, world: str | None = None) -> Update:
        """Bayes' rule on the observed indicators (id -> seen), and the options before and after
        (`indicators.posterior`). `model.analysis.indicators.updated_text` writes the new file."""
        from .analysis.indicators import posterior

        return posterior(self.model(world), observed)

    def ladder(self, n: int | None = None, seed: int | None = DEFAULT_SEED, method: str = "random", *,
               world: str | None = None) -> Ladder:
        """The escalation ladder (`escalation.ladder`): at the point values, or over n seeded draws."""
        from .analysis.escalation import ladder, ladder_draws

        m = self.model(world)
        if n is None:
            from .evaluate import point

            return ladder(point(m))
        return ladder_draws(m, n, seed=seed, method=method)

    def ach(self, event: str | None = None) -> CompetingHypotheses:
        """Analysis of competing hypotheses (`ach.ach`) over the states of `event` (None: the file's
        only event with `hypotheses:`)."""
        from .analysis.ach import ach

        return ach(self, event)

    def critique(self, samples: int = 4_000, seed: int | None = DEFAULT_SEED, *,
                 world: str | None = None) -> Critique:
        """Where the model's structure, not the world, decides the answer (`critique.critique`):
        findings with a code, a severity, the place in the file and the number behind each."""
        from .analysis.critique import critique

        return critique(self.model(world), samples=samples, seed=DEFAULT_SEED if seed is None else seed)

    # ------------------------------------------------------------------ versions
    def diff(self, old: Scenario | str | Path, score: str = "utility") -> Diff:
        """What changed from `old` (a scenario or a file) to this one, and what it did to the ranking
        (`diff.diff`)."""
        from .analysis.diff import diff

        return diff(old if isinstance(old, Scenario) else _load(old), self, score=score)
