"""Figure recipes: for each figure, how its result is computed from a scenario and which plot draws it.

One table, `RECIPES`, read by both `juncture plot FILE KIND` (every recipe is a KIND) and the report
(every figure it shows is drawn by a recipe, its file named after the recipe). A new figure is a
plot function in `model.plots` and one `Recipe` here; the report shows it once a section asks for it.

A recipe computes from `Inputs`: the scenario, the world it is evaluated in, the options that
change figures (samples, seed, of, top, x, y, points, depth; named as `juncture plot`'s flags, None
for a recipe's default) and a cache the recipes share, so that the report runs each analysis once
for all the figures and tables that read it (three figures read one Monte Carlo run).

The table sits in the report package rather than in `model.plots` because building the command
line's parser reads its names and help: importing `model.plots` loads matplotlib and the analyses
(its plot functions register themselves as the figures of their result types), importing this
module loads neither. Analyses and plot functions are imported when a recipe runs.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..io import Scenario

OPTIONS = ("samples", "seed", "of", "top", "x", "y", "points", "depth")
"""The options a recipe may read, in the order `juncture plot --help` lists them."""


class NoFigure(ValueError):
    """The scenario lacks what the figure draws, or an option does not fit it; the message says which."""


@dataclass(frozen=True)
class Inputs:
    """What a recipe computes from. `replace(**options)` gives the same inputs with other options
    and the same cache (so the model is compiled once)."""

    scenario: Scenario
    world: str | None = None
    samples: int | None = None
    seed: int | None = None
    of: str | None = None
    top: int | None = None
    x: str | None = None
    y: str | None = None
    points: int | None = None
    depth: int | None = None
    file: str = ""
    """The scenario's file as the user named it (in messages); default the scenario's own."""
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.file:
            object.__setattr__(self, "file", str(self.scenario.file))

    def replace(self, **options: Any) -> Inputs:
        return dataclasses.replace(self, **options)

    def get(self, key: Any, make: Callable[[], Any]) -> Any:
        """The value cached under `key`, made by `make()` the first time."""
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]

    @property
    def model(self) -> Any:
        """The compiled model, in the world."""
        from ..compile import compile_scenario

        return self.get(("model", self.world), lambda: compile_scenario(self.scenario, world=self.world))

    @property
    def point(self) -> Any:
        """The point evaluation (every number at its point value)."""
        from ..evaluate import point

        return self.get(("point", self.world), lambda: point(self.model))

    @property
    def seed_or_default(self) -> int:
        from ..analysis import DEFAULT_SEED

        return DEFAULT_SEED if self.seed is None else self.seed

    def titled(self, title: str) -> str:
        """`title`, with the world it was evaluated in."""
        return title + (f" — world: {self.world}" if self.world else "")

    @property
    def names(self) -> dict[str, str]:
        """What every figure shows for an id or a parameter path (`Namer.labels`: the file's names,
        states as 'event.state', numbers as short phrases)."""
        return self.get(("names", self.world), lambda: _names(self))

    @property
    def weighting_names(self) -> dict[str, str]:
        """`names` and the weightings and comparisons in words ('given' -> "file's weights",
        'mavt, given' -> "additive value, file's weights"), for what lists weightings: kept apart
        because 'rank' or 'swing' would otherwise rename a column's words."""
        return self.get(("weighting names", self.world), lambda: {**self.names, **_weighting_words(self)})

    def result(self, name: str) -> Any:
        """The result recipe `name` draws, computed once for these inputs."""
        key = ("figure", name, self.world, *(getattr(self, o) for o in OPTIONS))
        return self.get(key, lambda: RECIPES[name].compute(self))


@dataclass(frozen=True)
class Recipe:
    """A figure: `compute(inputs)` gives the result; `draw(result, ax, inputs)` calls the plot function
    of `model.plots` that draws it, on `ax` (None: a new figure) and returns the Axes.

    help: one line in `juncture plot --help`. caption: the report's caption, text or a function of
    (result, inputs). options: the options of `OPTIONS` it reads (`juncture plot` refuses the others).
    uses_world: whether a world changes it. world_in_title: name the world in the drawn title (the
    recipes whose plot takes the title as an argument name it in `draw`).
    """

    name: str
    help: str
    compute: Callable[[Inputs], Any]
    draw: Callable[[Any, Any, Inputs], Any]
    caption: str | Callable[[Any, Inputs], str] = ""
    options: tuple[str, ...] = ()
    uses_world: bool = True
    world_in_title: bool = True
    refuses_unread: bool = True
    """False for the first release's point figures, which took the other options and ignored them:
    scripts may pass them, so `juncture plot` still accepts them there."""

    def plot(self, result: Any, inputs: Inputs, ax: Any = None) -> Any:
        """Draw `result` (as `compute` gave it) and return the Axes."""
        ax = self.draw(result, ax, inputs)
        if self.world_in_title and inputs.world:
            _name_world(ax, inputs.world)
        return ax

    def figure(self, inputs: Inputs, ax: Any = None) -> Any:
        """Compute and draw; returns the Axes."""
        return self.plot(inputs.result(self.name), inputs, ax)

    def caption_of(self, result: Any, inputs: Inputs) -> str:
        return self.caption(result, inputs) if callable(self.caption) else self.caption


def _name_world(ax: Any, world: str) -> None:
    """Name the world in the figure's title (the title keeps its place)."""
    from matplotlib.text import Text

    title = ax.get_title(loc="left")
    for t in ax.get_children():
        if isinstance(t, Text) and title and t.get_text() == title:
            t.set_text(f"{title} — world: {world}")
            break


def _plots() -> Any:
    return importlib.import_module("model.plots")


METHOD_WORDS = {"mavt": "additive value", "topsis": "TOPSIS"}
"""Aggregation methods as a figure names them."""


def _names(inp: Inputs) -> dict[str, str]:
    from ..analysis.names import Namer

    return Namer(inp.scenario).labels(inp.model.params.names)


def _weighting_words(inp: Inputs) -> dict[str, str]:
    from ..analysis.names import Namer

    nm = Namer(inp.scenario)
    out = {}
    for w in ["given", "equal", "rank", "swing", *(f"profile:{p}" for p in inp.scenario.weight_profiles)]:
        words = nm.weighting(w)
        words = words[len("the "):] if words.startswith("the ") else words
        out[w] = words
        for method, said in METHOD_WORDS.items():
            out[f"{method}, {w}"] = f"{said}, {words}"
    return out


# ------------------------------------------------------------------------ analyses the recipes share
def montecarlo(inp: Inputs) -> Any:
    """The Monte Carlo run (default 10,000 draws)."""
    from ..analysis.montecarlo import simulate

    n, seed = inp.samples or 10_000, inp.seed_or_default
    return inp.get(("montecarlo", inp.world, n, seed), lambda: simulate(inp.model, n, seed=seed, progress=False))


def tornado(inp: Inputs) -> Any:
    """The tornado over every uncertain number."""
    from ..analysis import sensitivity

    return inp.get(("tornado", inp.world), lambda: sensitivity.tornado(inp.model))


def thresholds(inp: Inputs) -> Any:
    """The thresholds of every number."""
    from ..analysis import sensitivity

    return inp.get(("thresholds", inp.world), lambda: sensitivity.thresholds(inp.model))


def weight_sets(inp: Inputs) -> Any:
    """Every weighting the file has (`weights.available`)."""
    from ..analysis.weights import available

    return inp.get(("weights", inp.world), lambda: available(inp.model))


def compared(inp: Inputs, method: str = "mavt", weights: Any = None) -> Any:
    """`mcda.compare` by `method` with the file's weights, or with the weighting `weights`."""
    from ..analysis import mcda

    key = ("mcda", inp.world, method, None if weights is None else weights.label)
    return inp.get(key, lambda: mcda.compare(inp.model, method) if weights is None
                   else mcda.compare(inp.model, method, weights=weights))


# ------------------------------------------------------------------------------ how each is computed
def _matrix(kind: str) -> Callable[[Inputs], Any]:
    def compute(inp: Inputs) -> Any:
        from ..analysis import matrices

        # the figure shows the file's names (the table's text too); its data keep the ids
        return getattr(matrices, kind)(inp.point).with_labels(inp.names)
    return compute


def _simulated(inp: Inputs) -> Any:
    m = inp.model
    if inp.of is not None and inp.of not in ("utility", "certainty_equivalent") + tuple(m.criteria):
        raise NoFigure(f"--of must be 'utility', 'certainty_equivalent' or a criterion "
                       f"({', '.join(m.criteria)}); got '{inp.of}'")
    return montecarlo(inp)


def _spider(inp: Inputs) -> Any:
    from ..analysis.sensitivity import spider

    names = list(tornado(inp).names[:inp.top or 6])
    if not names:
        raise NoFigure(f"{inp.file} has no uncertain numbers that enter the evaluation: a spider has nothing "
                       "to move")
    return spider(inp.model, params=names)


def _two_way(inp: Inputs) -> Any:
    from ..analysis.sensitivity import two_way_setup

    known = {} if inp.x is not None and inp.y is not None else {"tornado": tornado(inp),
                                                                "thresholds": thresholds(inp)}
    try:
        setup = two_way_setup(inp.model, x=inp.x, y=inp.y, points=inp.points or 21, **known)
    except ValueError as e:
        raise NoFigure(str(e)) from None
    if setup is None:
        raise NoFigure(f"{inp.file} has fewer than two numbers to move: name them with --x and --y")
    return setup


def _voi(inp: Inputs) -> Any:
    from ..analysis.voi import value_of_information

    return value_of_information(inp.model, inp.samples or 5_000, seed=inp.seed_or_default, progress=False)


def _acceptability(inp: Inputs) -> Any:
    from ..analysis.smaa import smaa

    try:
        return smaa(inp.model, inp.samples or 10_000, seed=inp.seed_or_default)
    except ValueError as e:
        raise NoFigure(str(e)) from None


def _regret(inp: Inputs) -> Any:
    from ..analysis.robustness import across_worlds

    if not inp.scenario.worlds:
        raise NoFigure(f"{inp.file} has no worlds: add `worlds:` (alternative futures) to draw regret across them")
    return across_worlds(inp.scenario)


def _ladder(inp: Inputs) -> Any:
    from ..analysis.escalation import ladder, ladder_draws

    m = inp.model
    if m.scenario.escalation is None:
        raise NoFigure(f"{inp.file} has no escalation ladder (escalation:)")
    if inp.seed is not None and inp.samples is None:
        raise NoFigure("--seed applies to the ladder's draws: give --samples too")
    return ladder_draws(m, inp.samples, seed=inp.seed_or_default) if inp.samples else ladder(inp.point)


def _ach(inp: Inputs) -> Any:
    from ..analysis.ach import ach

    try:
        return ach(inp.scenario, inp.of)
    except ValueError as e:
        raise NoFigure(f"{inp.file}: {e} (--of EVENT picks one)" if inp.of is None and "several" in str(e)
                       else f"{inp.file}: {e}") from None


def _ranks(inp: Inputs) -> dict[str, Any]:
    mavt, topsis = compared(inp), compared(inp, "topsis")
    out = {f"mavt, {mavt.weights.label}": mavt, f"topsis, {topsis.weights.label}": topsis}
    for w in weight_sets(inp):
        if w.label != mavt.weights.label:
            out[f"mavt, {w.label}"] = compared(inp, "mavt", w)
    return out


def _tree_caption(ev: Any, inp: Inputs) -> str:
    note = f" Collapsed below depth {inp.depth}." if inp.depth is not None else ""
    return ("The rolled-back tree: squares decide, circles are chance, triangles end; the best path is "
            f"emphasised.{note}")


# ------------------------------------------------------------------------------------------- the table
RECIPES: dict[str, Recipe] = {r.name: r for r in [
    Recipe("consequences", "option x criterion heat map of expected consequences", _matrix("consequences"),
           lambda tab, ax, inp: _plots().consequence_heatmap(tab, ax=ax, title=inp.titled(tab.title)),
           "Expected consequence of each option on each criterion, coloured by value score (0 worst, 1 best on "
           "the criterion's range).", world_in_title=False, refuses_unread=False),
    Recipe("responses", "each actor's response probabilities per option, as stacked bars", _matrix("responses"),
           lambda tab, ax, inp: _plots().response_bars(tab, ax=ax, title=inp.titled(tab.title)),
           "Probability of each response of each actor, per option.", world_in_title=False, refuses_unread=False),
    Recipe("risks", "risk matrix: each risk's likelihood per option against its severity", _matrix("risks"),
           lambda tab, ax, inp: _plots().risk_matrix(tab, ax=ax, title=inp.titled(tab.title)),
           "Each risk under each option, placed by its probability and severity; the numbers behind every point "
           "are in the table.", world_in_title=False, refuses_unread=False),
    Recipe("tree", "the rolled-back decision tree, best policy emphasised (--depth collapses it)",
           lambda inp: inp.point,
           lambda ev, ax, inp: _plots().decision_tree(ev, ax=ax, depth=inp.depth, names=inp.names),
           _tree_caption, options=("depth",), world_in_title=False, refuses_unread=False),
    Recipe("evidence", "which numbers rest on which evidence and assumptions", lambda inp: inp.scenario,
           lambda sc, ax, inp: _plots().evidence_view(sc, ax=ax, names=inp.names),
           "Which numbers rest on which evidence and assumptions.", uses_world=False, refuses_unread=False),
    Recipe("utility", "distribution of each option's expected utility across Monte Carlo draws "
           "(--samples, --seed, --of)", _simulated,
           lambda mc, ax, inp: _plots().utility_distribution(mc, ax=ax, of=inp.of or "utility", names=inp.names),
           "Distribution of each option's expected utility across the draws: the shape is the density of the "
           "draws; bars give the 5th-95th and 25th-75th percentiles.", options=("samples", "seed", "of")),
    Recipe("risk-profile", "cumulative risk profiles of the options (--samples, --seed, --of)",
           lambda inp: _simulated(inp).risk_profile(inp.of or "utility"),
           lambda profile, ax, inp: _plots().risk_profiles(profile, ax=ax, names=inp.names),
           "Risk profiles: the share of draws at or below each expected utility. A curve always to the right of "
           "another dominates it.", options=("samples", "seed", "of")),
    Recipe("p-best", "probability that each option is best, with Monte Carlo error bars (--samples, --seed)",
           _simulated, lambda mc, ax, inp: _plots().p_best_bars(mc, ax=ax, names=inp.names),
           lambda mc, inp: f"Probability that each option is best across {mc.n:,} draws, with 95% Monte Carlo "
                           "error bars.", options=("samples", "seed")),
    Recipe("tornado", "tornado: each uncertain number at its low and high value (--top)", tornado,
           lambda t, ax, inp: _plots().tornado_chart(t, ax=ax, top=inp.top or 12, names=inp.names),
           lambda t, inp: f"Tornado: the {t.target} with each number at its low and its high value.",
           options=("top",)),
    Recipe("spider", "spider: the largest swings of the tornado across their ranges (--top)", _spider,
           lambda s, ax, inp: _plots().spider_chart(s, ax=ax, top=inp.top or 6, names=inp.names),
           "Spider: the largest swings of the tornado, each number across its range.", options=("top",)),
    Recipe("two-way", "the preferred option over two numbers, thresholds marked (--x, --y, --points)", _two_way,
           lambda setup, ax, inp: _plots().strategy_regions(setup[0], ax=ax, thresholds=setup[1],
                                                            x_unit=setup[2][0], y_unit=setup[2][1],
                                                            ranges=setup[3], names=inp.names),
           lambda setup, inp: f"The preferred option over a {len(setup[0].x_values)} x {len(setup[0].y_values)} "
                              f"grid of {inp.names.get(setup[0].x, setup[0].x_phrase)} and "
                              f"{inp.names.get(setup[0].y, setup[0].y_phrase)}, the other numbers at their "
                              "point values.", options=("x", "y", "points")),
    Recipe("voi", "value of information: EVPI of events and numbers, EVPPI of each, ranked "
           "(--samples, --seed, --top)", _voi, lambda v, ax, inp: _plots().voi_bars(v, ax=ax, top=inp.top or 12, names=inp.names),
           "Value of information, ranked: all at once on top, then each event and number.",
           options=("samples", "seed", "top")),
    Recipe("acceptability", "SMAA rank acceptability under uncertain weights (--samples, --seed)", _acceptability,
           lambda s, ax, inp: _plots().acceptability_bars(s, ax=ax, names=inp.names),
           "Rank acceptability: the share of draws in which each option takes each rank.",
           options=("samples", "seed")),
    Recipe("regret", "options x worlds regret heat map with the minimax-regret choice", _regret,
           lambda r, ax, inp: _plots().regret_heatmap(r, ax=ax, names=inp.names),
           "Regret of each option in each world, and its largest regret; the minimax-regret choice is outlined.",
           uses_world=False),
    Recipe("ladder", "escalation ladder: each option's chance of each rung, thresholds marked (--samples for "
           "Monte Carlo draws; default the point values)", _ladder,
           lambda lad, ax, inp: _plots().escalation_ladder(lad, ax=ax, names=inp.names),
           "Each option's chance of ending on each rung of the escalation ladder, its own rung outlined; dashed "
           "lines are the thresholds, with each option's chance of crossing.", options=("samples", "seed")),
    Recipe("ranks", "each option's rank under additive value, TOPSIS and every weighting the file has", _ranks,
           lambda results, ax, inp: _plots().rank_comparison(results, ax=ax, names=inp.weighting_names),
           "Each option's rank under each aggregation method and weighting, with its score."),
    Recipe("weights", "the file's weightings side by side", weight_sets,
           lambda sets, ax, inp: _plots().weights_chart(sets, ax=ax, names=inp.weighting_names),
           "The weightings side by side, each normalised to sum to 1."),
    Recipe("ach", "analysis of competing hypotheses: the evidence x hypothesis matrix, most diagnostic items "
           "first (--of EVENT when several events have hypotheses)", _ach,
           lambda res, ax, inp: _plots().ach_matrix(res, ax=ax),
           "Analysis of competing hypotheses (Heuer): each evidence item's consistency with each hypothesis, the "
           "most diagnostic items first; likelihoods are coloured as ratings (the likeliest hypothesis CC, each "
           "halving one step lower). Under each hypothesis its weighted inconsistency and, with likelihoods, its "
           "posterior.", options=("of",), uses_world=False),
]}
"""Every figure, by name, in the order `juncture plot --help` lists them."""
