"""Scenario discovery: in which region of the uncertain numbers (and of the worlds) is an option
best, or not?

`explore(scenario, option, n, seed)` draws every uncertain number that enters the evaluation, in
the file as written and in each of its worlds (the n draws split equally among them), records for
each draw the best option and the margins, and hands the draws to PRIM (`model.analysis.prim`):
boxes of the numbers (and a set of worlds) where `option` is best in most draws (or, with
`fails=True`, where it is not best), each with its coverage, density, mass and the peeling
trajectory it was chosen from. What EMA Workbench calls experiments and scenario discovery; here an
experiment is one draw of the file's numbers, evaluated by the one `evaluate`.

The draws. World w draws its share of the samples with `sampling.draw_block`, block by block, from
the same seed: a number that a world leaves alone takes the same values in every world (common
random numbers), so differences between worlds are the worlds' own. Block k of world w is one
task, `explore_task(plan, k)`, a pure module-level function of the shared `ExplorePlan` and the
task index: it can run here or on another process or machine with the same result bit for bit.
`explore` runs the tasks through the execution layer (`model.analysis.blocks.map_blocks`): here,
in order, or on a Dask cluster (`client=`) with the same result bit for bit.

Margins are in the value unit of `evaluate` (certainty equivalents, larger better, as every
comparison of options in Juncture): the best option's margin over the next best, and the explored
option's margin over the best other option (negative where it is not best). A draw in which the
option ties for best counts as one where it is best.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..compile import Model, compile_scenario
from ..evaluate import evaluate, point, signed_value
from ..io import Scenario
from ..io.distributions import law
from ..results import Result, Table, table
from .blocks import map_blocks
from .montecarlo import Progress, value_unit
from .names import UNNAMED, Namer
from .prim import CHOICES, MASS_MIN, PASTE_ALPHA, PEEL_ALPHA, Trajectory, find_boxes
from .sampling import BLOCK, DEFAULT_SEED, draw_block, n_blocks
from .sensitivity import describe, parameter_unit, used_parameters

AS_WRITTEN = "as written"
"""How text names the file's own numbers beside its worlds (JSON: null)."""


# ---------------------------------------------------------------------------- the tasks
@dataclass(frozen=True, eq=False)
class ExplorePlan:
    """What every task of a run shares: one compiled model per world explored (`worlds[i]`, None
    for the file as written), how many draws each takes, the seed, and the parameters recorded
    (`columns`, indices into each model's parameter vector: the same names in every world)."""

    models: tuple[Model, ...]
    worlds: tuple[str | None, ...]
    counts: tuple[int, ...]
    seed: int
    columns: np.ndarray

    @property
    def tasks(self) -> tuple[tuple[int, int], ...]:
        """(world, block) of each task, in the order their draws are stacked."""
        return tuple((w, b) for w, c in enumerate(self.counts) for b in range(n_blocks(c)))


def explore_task(plan: ExplorePlan, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Task k of a run: block b of world w's draws (`plan.tasks[k]`), evaluated.

    Returns (x[b, D], value[b, O], best[b, O]): the recorded numbers, every option's value (certainty
    equivalent, larger better) and which options are best. Pure: the same (plan, k) gives the same
    arrays wherever it runs (the draws of a block depend on the seed, the world's numbers and k).
    """
    w, b = plan.tasks[k]
    m = plan.models[w]
    theta = draw_block(m, plan.counts[w], b, plan.seed)
    ev = evaluate(m, theta)
    return theta[:, plan.columns], signed_value(m, ev.certainty_equivalent), ev.best


# ---------------------------------------------------------------------------- the draws
@dataclass(frozen=True, eq=False)
class Draws:
    """Every draw of a run, stacked world after world (S rows).

    names[D]: parameter names of the numbers recorded; x[S, D]: their values;
    worlds: the worlds explored (None: the file as written); world[S]: index into worlds;
    options[O]; value[S, O]: each option's value (certainty equivalent, larger better, in `unit`);
    best[S, O]: True for the best options of the draw (several when tied).
    """

    names: tuple[str, ...]
    x: np.ndarray
    worlds: tuple[str | None, ...]
    world: np.ndarray
    options: tuple[str, ...]
    value: np.ndarray
    best: np.ndarray
    unit: str

    @property
    def n(self) -> int:
        return self.x.shape[0]

    @property
    def best_option(self) -> np.ndarray:
        """[S] index of the best option (the first in file order when several tie)."""
        return np.argmax(self.best, axis=1)

    @property
    def margin(self) -> np.ndarray:
        """[S] the best option's value minus the next best's (0 when they tie; value unit)."""
        if self.value.shape[1] < 2:
            return np.zeros(self.n)
        top2 = np.partition(self.value, -2, axis=1)[:, -2:]
        return top2[:, 1] - top2[:, 0]

    def margin_of(self, o: int) -> np.ndarray:
        """[S] option o's value minus the best other option's (negative where another is better)."""
        if self.value.shape[1] < 2:
            return np.zeros(self.n)
        others = np.delete(self.value, o, axis=1)
        return self.value[:, o] - others.max(axis=1)


# ---------------------------------------------------------------------------- the result
@dataclass(frozen=True)
class Settings:
    """PRIM's settings, recorded with the result (see `model.analysis.prim`)."""

    peel_alpha: float = PEEL_ALPHA
    paste_alpha: float = PASTE_ALPHA
    mass_min: float = MASS_MIN
    min_density: float = 0.5
    max_boxes: int = 3
    choose: str = "balanced"


@dataclass(frozen=True, eq=False, repr=False)
class Exploration(Result):
    """Scenario discovery for one option.

    option: the option explored; fails: whether the cases of interest are the draws where it is
    NOT best (else where it is best); draws: every draw (`Draws`); cases[S]: the cases of interest;
    phrases[D], units[D]: each recorded number in words and its unit; support[D, 2]: the smallest
    and largest value each number can take in the worlds explored (+-inf when unbounded);
    boxes: PRIM's trajectories, the box kept of each (`Trajectory.box`); settings: PRIM's.
    """

    scenario_id: str
    option: str
    option_name: str
    fails: bool
    draws: Draws
    cases: np.ndarray
    phrases: tuple[str, ...]
    units: tuple[str, ...]
    support: np.ndarray
    boxes: tuple[Trajectory, ...]
    seed: int
    settings: Settings = field(default_factory=Settings)
    notes: tuple[str, ...] = ()

    @property
    def options(self) -> tuple[str, ...]:
        return self.draws.options

    @property
    def share_best(self) -> float:
        """Share of the draws in which the option is best (ties included)."""
        o = self.draws.options.index(self.option)
        return float(self.draws.best[:, o].mean()) if self.draws.n else math.nan

    @property
    def case_words(self) -> str:
        return f"{self.option_name} is {'not ' if self.fails else ''}best"

    def limits(self, i: int = 0) -> dict[str, tuple[float, float]]:
        """Box i's limits on the numbers it restricts, name -> (low, high); a side the box leaves
        free is the number's own bound (infinite where the number is unbounded)."""
        box = self.boxes[i].box
        d = len(self.draws.names)
        out = {}
        for j in box.restricted:
            if j >= d:
                continue
            lo = box.lower[j] if box.lower[j] != self._init(j, 0) else self.support[j, 0]
            hi = box.upper[j] if box.upper[j] != self._init(j, 1) else self.support[j, 1]
            out[self.draws.names[j]] = (float(lo), float(hi))
        return out

    def _init(self, j: int, side: int) -> float:
        col = self.draws.x[:, j]
        return float(col.min() if side == 0 else col.max())

    def box_worlds(self, i: int = 0) -> tuple[str | None, ...] | None:
        """The worlds box i keeps, or None when it keeps them all (or one world was explored)."""
        box = self.boxes[i].box
        if not box.categories or len(box.categories[0]) == len(self.draws.worlds):
            return None
        return tuple(self.draws.worlds[c] for c in sorted(box.categories[0]))

    def restricting(self, i: int = 0) -> list[tuple[int, float]]:
        """The numbers box i restricts, most restricting first: (column, share of all draws that its
        limits alone leave out)."""
        box = self.boxes[i].box
        x = self.draws.x
        out = []
        for j in box.restricted:
            if j < x.shape[1]:
                out_share = float(np.mean((x[:, j] < box.lower[j]) | (x[:, j] > box.upper[j])))
                out.append((j, out_share))
        return sorted(out, key=lambda t: -t[1])

    def margin_quantiles(self, qs: Sequence[float] = (0.05, 0.5, 0.95)) -> dict[str, float]:
        """Quantiles of the option's margin over the best other option, in the value unit."""
        o = self.draws.options.index(self.option)
        m = self.draws.margin_of(o)
        return {f"p{100 * q:g}": float(np.quantile(m, q)) for q in qs} if len(m) else {}

    # ------------------------------------------------------------------ protocol
    def __repr__(self) -> str:
        return self.table().to_text()

    def table(self, i: int = 0) -> Table:
        """Box i as a table: each restricted number (in words) with its limits and the range it was
        drawn from; empty when no box was found."""
        if not self.boxes:
            return table(f"Where {self.case_words}: no box", "number", [], ["from", "to"], [],
                         notes=list(self.notes))
        traj = self.boxes[i]
        b = traj.box
        lim = self.limits(i)
        rows, vals = [], []
        for j, _ in self.restricting(i):
            name = self.draws.names[j]
            lo, hi = lim[name]
            rows.append(self.phrases[j])
            vals.append([lo, hi, self.support[j, 0], self.support[j, 1], self.units[j], name])
        worlds = self.box_worlds(i)
        if worlds is not None:
            rows.append("world")
            vals.append([None, None, None, None, "", ", ".join(w or AS_WRITTEN for w in worlds)])
        notes = [f"coverage {b.coverage:.2f} (share of the draws where {self.case_words} that lie inside), "
                 f"density {b.density:.2f} (share of the draws inside where {self.case_words}), mass "
                 f"{b.mass:.2f} (share of all draws inside)",
                 "the box leaves every other number free; a side at the number's own bound is not restricted"]
        return table(f"Box {i + 1}: where {self.case_words}", "number", rows,
                     ["from", "to", "drawn from", "drawn to", "unit", "parameter"], vals,
                     notes=notes + list(self.notes), digits=3)

    def trajectory_table(self, i: int = 0, rows: int = 12) -> Table:
        """The peeling trajectory of box i, at most `rows` steps (evenly spread, the first, the kept
        box and the last always in): coverage, density, mass, numbers restricted."""
        traj = self.boxes[i]
        n = len(traj.steps)
        keep = sorted({0, traj.chosen, n - 1, *np.linspace(0, n - 1, min(rows, n)).round().astype(int).tolist()})
        vals = []
        for s in keep:
            b = traj.steps[s]
            vals.append([b.coverage, b.density, b.mass, len(b.restricted),
                         "start" if s == 0 else ("peel" if s <= traj.peels else "paste"),
                         "yes" if s == traj.chosen else ""])
        notes = [f"{n} steps: {traj.peels} peel{'s' if traj.peels != 1 else ''}, {n - 1 - traj.peels} paste{'s' if n - 2 - traj.peels else ''}; the box kept is the one with the "
                 "best balance of coverage and density (their harmonic mean)" if self.settings.choose == "balanced"
                 else f"{n} steps; the box kept is the last"]
        return table(f"Peeling trajectory of box {i + 1}", "step", [str(s) for s in keep],
                     ["coverage", "density", "mass", "restricted", "move", "kept"], vals, notes=notes, digits=3)

    def to_dict(self) -> dict[str, Any]:
        """The shape `juncture explore --json` prints: {"option", "boxes": [{"limits": {param: [lo,
        hi]}, "coverage", "density", "mass", ...}], "share_best", ...}."""
        boxes = []
        for i, traj in enumerate(self.boxes):
            b = traj.box
            entry: dict[str, Any] = {
                "limits": {k: [_num(lo), _num(hi)] for k, (lo, hi) in self.limits(i).items()},
                "coverage": b.coverage, "density": b.density, "mass": b.mass,
                "restricted": [self.draws.names[j] for j, _ in self.restricting(i)],
                "phrases": {self.draws.names[j]: self.phrases[j] for j, _ in self.restricting(i)},
                "trajectory": [{"coverage": s.coverage, "density": s.density, "mass": s.mass,
                                "restricted": len(s.restricted),
                                "move": "start" if k == 0 else ("peel" if k <= traj.peels else "paste")}
                               for k, s in enumerate(traj.steps)],
                "chosen": traj.chosen,
            }
            worlds = self.box_worlds(i)
            if worlds is not None:
                entry["worlds"] = list(worlds)
            boxes.append(entry)
        d = self.draws
        shares = d.best.mean(axis=0) if d.n else np.zeros(len(d.options))
        return {"scenario": self.scenario_id, "option": self.option,
                "cases": "not best" if self.fails else "best",
                "samples": d.n, "seed": self.seed,
                "worlds": [w for w in d.worlds] if len(d.worlds) > 1 or d.worlds[0] is not None else None,
                "numbers": list(d.names),
                "share_best": self.share_best,
                "share_cases": float(self.cases.mean()) if d.n else None,
                "best_shares": {o: float(s) for o, s in zip(d.options, shares)},
                "margin": {"unit": d.unit, **self.margin_quantiles()},
                "boxes": boxes,
                "settings": {"peel_alpha": self.settings.peel_alpha, "paste_alpha": self.settings.paste_alpha,
                             "mass_min": self.settings.mass_min, "min_density": self.settings.min_density,
                             "max_boxes": self.settings.max_boxes, "choose": self.settings.choose},
                "notes": list(self.notes)}


def _num(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


# ---------------------------------------------------------------------------- words and bounds
def phrase(model: Model, name: str) -> str:
    """A parameter in the analyst's words: the file's names (`Namer.phrase`), or for a number of an
    explicit tree, its chance node and branch ('P(court = high | counteroffer_5bn, refuses)')."""
    said = Namer(model.scenario).phrase(name)
    if said == UNNAMED or name.startswith("tree."):
        return describe(model, name)
    return said


def _support(models: Sequence[Model], i: int) -> tuple[float, float]:
    """The smallest and largest value parameter i can take in any of the models."""
    lo, hi = math.inf, -math.inf
    for m in models:
        num = m.params.numbers[i]
        if num.is_uncertain:
            a, b = law(num.kind, "explore()").support(num.params)
        else:
            a = b = float(m.params.point[i])
        lo, hi = min(lo, a), max(hi, b)
    return lo, hi


# ---------------------------------------------------------------------------- the analysis
def explore(source: Scenario | Model, option: str | None = None, n: int = 10_000,
            seed: int | None = DEFAULT_SEED, *, fails: bool = False,
            worlds: Sequence[str | None] | None = None, settings: Settings | None = None,
            progress: bool | None = None, client: Any = None) -> Exploration:
    """Draw the uncertain numbers n times (split equally among the worlds explored), find the best
    option of each draw, and run PRIM on the draws where `option` is best (or, with fails=True,
    where it is not).

    source: a Scenario (its worlds can be explored) or a compiled Model (its own world only).
    option: an option id; None is the option best at the point values (of the file as written).
    worlds: which to explore: None entries are the file as written; default, the file as written
        and every world of the file (one world: a Model's). Worlds are weighted equally.
    settings: PRIM's (`Settings`); seed: the draws are a function of (seed, n, worlds) alone.
    """
    settings = settings or Settings()
    if settings.choose not in CHOICES:
        raise ValueError(f"explore(): choose must be one of {', '.join(CHOICES)}; got {settings.choose!r}")
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ValueError(f"explore(): n must be a positive number of draws; got {n!r}")
    seed = DEFAULT_SEED if seed is None else int(seed)
    if isinstance(source, Model):
        models = [source]
        ws: tuple[str | None, ...] = (source.world,)
    else:
        ws = tuple(worlds) if worlds is not None else (None, *source.worlds)
        for w in ws:
            if w is not None and w not in source.worlds:
                raise ValueError(f"explore(): no world {w!r} (worlds: {', '.join(source.worlds) or 'none'})")
        models = [compile_scenario(source, world=w) for w in ws]
    base = models[0]
    if option is None:
        option = point(base).best_options()[0]
    if option not in base.options:
        raise ValueError(f"explore(): no option {option!r} (options: {', '.join(base.options)})")
    o = base.options.index(option)

    used = set(used_parameters(base).tolist())
    columns = np.array([i for i in range(base.n_params)
                        if i in used and any(m.params.numbers[i].is_uncertain for m in models)], dtype=np.intp)
    counts = tuple(n // len(models) + (1 if w < n % len(models) else 0) for w in range(len(models)))
    plan = ExplorePlan(tuple(models), ws, counts, seed, columns)
    tasks = plan.tasks
    d, nopt = len(columns), len(base.options)
    x, value = np.empty((n, d)), np.empty((n, nopt))
    best = np.empty((n, nopt), dtype=bool)
    world = np.repeat(np.arange(len(ws)), counts)
    starts = np.concatenate([[0], np.cumsum(counts)])
    with Progress(n, "explore", progress) as bar:
        done = 0
        for k, (xb, vb, bb) in map_blocks(explore_task, plan, len(tasks), client=client):
            w, b = tasks[k]
            lo = starts[w] + b * BLOCK
            hi = lo + xb.shape[0]
            x[lo:hi], value[lo:hi], best[lo:hi] = xb, vb, bb
            done += xb.shape[0]
            bar.update(done)
    draws = Draws(tuple(base.params.names[i] for i in columns), x, ws, world, base.options, value, best,
                  value_unit(base))
    cases = ~best[:, o] if fails else best[:, o]
    notes: list[str] = []
    if len(ws) > 1:
        notes.append(f"the draws are split equally among the file as written and its {len(ws) - 1} worlds"
                     if ws[0] is None else f"the draws are split equally among {len(ws)} worlds")
    trajectories: list[Trajectory] = []
    explorable = d > 0 or len(ws) > 1
    if not explorable:
        notes.append("no uncertain number enters the evaluation: every draw is the same, there is no region to find")
    elif not cases.any():
        notes.append(f"{'no draw has' if fails else 'in no draw is'} {option} {'not ' if fails else ''}best: "
                     "there is no region to find")
    elif cases.all():
        notes.append(f"{option} is {'not ' if fails else ''}best in every draw: the region is everything")
    else:
        cat = world[:, None] if len(ws) > 1 else None
        trajectories = find_boxes(x, cases, cat, peel_alpha=settings.peel_alpha, paste_alpha=settings.paste_alpha,
                                  mass_min=settings.mass_min, min_density=settings.min_density,
                                  max_boxes=settings.max_boxes, choose=settings.choose)
        if not trajectories:
            notes.append(f"PRIM found no box where the share of such draws reaches {settings.min_density:g}")
    sc = base.scenario
    option_name = next((x.name for x in sc.options if x.id == option and x.name), option)
    return Exploration(sc.meta.id, option, option_name, fails, draws, cases,
                       tuple(phrase(base, base.params.names[i]) for i in columns),
                       tuple(parameter_unit(base, int(i)) for i in columns),
                       np.array([_support(models, int(i)) for i in columns]).reshape(d, 2),
                       tuple(trajectories), seed, settings, tuple(notes))
