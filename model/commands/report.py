"""`juncture plot FILE KIND -o PATH`: draw one figure of a scenario and write it as PNG, SVG or PDF.

Figures are looked up in PLOT_KINDS, kind -> PlotKind, so an analysis adds its figure without
editing this module: call `register_plot("tornado", draw, "...")` from its own command module's
`register` (command modules are imported before this one builds its parser). `draw(args)` gets
the parsed arguments (args.file, args.world, args.depth, and any it added) and returns the Axes
(or Figure) to save. matplotlib is imported only when a figure is drawn.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cli import UsageError, _point, load


@dataclass(frozen=True)
class PlotKind:
    """A figure `juncture plot` can draw: draw(args) -> Axes or Figure; help: one line for --help;
    add_arguments(parser): extra options of its own (optional); uses_world: whether --world
    changes it."""

    draw: Callable[[argparse.Namespace], Any]
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None
    uses_world: bool = True


PLOT_KINDS: dict[str, PlotKind] = {}
"""Figure kinds by name, in the order they are listed in --help."""


def register_plot(kind: str, draw: Callable[[argparse.Namespace], Any], help: str, *,
                  add_arguments: Callable[[argparse.ArgumentParser], None] | None = None,
                  uses_world: bool = True) -> None:
    """Make `juncture plot FILE <kind>` draw with `draw(args)`. A kind registered twice is an error:
    two analyses would be fighting over one name."""
    if kind in PLOT_KINDS:
        raise ValueError(f"register_plot(): a plot kind {kind!r} is already registered")
    PLOT_KINDS[kind] = PlotKind(draw, help, add_arguments, uses_world)


# ------------------------------------------------------------------------------------ built-in kinds
def _titled(table: Any, args: argparse.Namespace) -> str:
    """The table's title, with the world it was evaluated in."""
    return table.title + (f" — world: {args.world}" if args.world else "")


def _consequences(args: argparse.Namespace) -> Any:
    from .. import plots
    from ..analysis import matrices

    tab = matrices.consequences(_point(args))
    return plots.consequence_heatmap(tab, title=_titled(tab, args))


def _responses(args: argparse.Namespace) -> Any:
    from .. import plots
    from ..analysis import matrices

    tab = matrices.responses(_point(args))
    return plots.response_bars(tab, title=_titled(tab, args))


def _risks(args: argparse.Namespace) -> Any:
    from .. import plots
    from ..analysis import matrices

    tab = matrices.risks(_point(args))
    return plots.risk_matrix(tab, title=_titled(tab, args))


def _tree(args: argparse.Namespace) -> Any:
    from .. import plots

    return plots.decision_tree(_point(args), depth=args.depth)


def _evidence(args: argparse.Namespace) -> Any:
    from .. import plots

    return plots.evidence_view(load(args.file))


register_plot("consequences", _consequences, "option x criterion heat map of expected consequences")
register_plot("responses", _responses, "each actor's response probabilities per option, as stacked bars")
register_plot("risks", _risks, "risk matrix: each risk's likelihood per option against its severity")
register_plot("tree", _tree, "the rolled-back decision tree, best policy emphasised (--depth collapses it)")
register_plot("evidence", _evidence, "which numbers rest on which evidence and assumptions",
              uses_world=False)


# ------------------------------------------------------------------------------------------ command
def cmd_plot(args: argparse.Namespace) -> int:
    from ..io.errors import did_you_mean

    kind = PLOT_KINDS.get(args.kind)
    if kind is None:
        raise UsageError(f"no plot kind '{args.kind}'{did_you_mean(args.kind, PLOT_KINDS)} "
                         f"(kinds: {', '.join(PLOT_KINDS)})")
    if args.depth is not None:
        if args.kind != "tree":
            raise UsageError("--depth applies to the tree only")
        if args.depth < 0:
            raise UsageError("--depth must be 0 or more")
    if args.world is not None and not kind.uses_world:
        raise UsageError(f"--world does not change the {args.kind} figure; leave it out")

    from ..plots import save
    from ..plots.style import targets

    try:
        paths = targets(args.output)
    except ValueError as e:
        raise UsageError(str(e).removeprefix("save(): ")) from None
    # refuse before the work, not after it
    exist = [str(p) for p in paths if p.exists()]
    if exist and not args.force:
        raise UsageError(f"{', '.join(exist)} exist{'s' if len(exist) == 1 else ''}: pass --force to replace")
    missing = {str(p.parent) for p in paths if not p.parent.is_dir()}
    if missing:
        raise UsageError(f"no directory {', '.join(sorted(missing))} to write in")
    drawn = kind.draw(args)
    try:
        written = save(drawn, args.output, force=args.force)
    except FileExistsError as e:  # made by someone else while we drew
        raise UsageError(f"{e}".replace("force=True (--force on the command line)", "--force")) from None
    for p in written:
        print(p)
    return 0


def register(sub: Any) -> None:
    kinds = "; ".join(f"{k}: {v.help}" for k, v in PLOT_KINDS.items())
    p = sub.add_parser(
        "plot", help="draw a figure (consequences, responses, risks, tree, evidence, ...)",
        description=f"Draw one figure of a scenario. Kinds — {kinds}.",
        epilog="PATH ending in .png, .svg or .pdf writes that format; a PATH without one of these "
               "suffixes writes all three (PATH.png, PATH.svg, PATH.pdf).")
    p.add_argument("file", metavar="FILE")
    p.add_argument("kind", metavar="KIND", help="one of: " + ", ".join(PLOT_KINDS))
    p.add_argument("-o", "--output", required=True, metavar="PATH", type=str,
                   help="file to write (.png, .svg, .pdf; no suffix: all three)")
    p.add_argument("--world", help="evaluate in this world (alternative future) of the file")
    p.add_argument("--depth", type=int, default=None, metavar="N",
                   help="tree: collapse below this depth (default: the whole tree if it has at most 40 "
                        "ends, else the deepest depth that keeps 40 or fewer)")
    p.add_argument("--force", action="store_true", help="replace existing files")
    for k in PLOT_KINDS.values():
        if k.add_arguments is not None:
            k.add_arguments(p)
    p.set_defaults(func=cmd_plot)
    register_report(sub)


def cmd_report(args: argparse.Namespace) -> int:
    from ..io import load
    from ..report import build_report, write_report

    if args.samples < 100:
        raise UsageError(f"--samples must be at least 100 for a report; got {args.samples}")
    if args.depth is not None and args.depth < 0:
        raise UsageError("--depth must be 0 or more")
    sc = load(args.file)
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file, not a folder: give a folder for the report")
    report = build_report(sc, samples=args.samples, seed=args.seed, tree_depth=args.depth)
    try:
        written = write_report(report, out, force=args.force)
    except FileExistsError as e:
        raise UsageError(str(e)) from None
    print(f"wrote {written[0]} ({len(report.sections)} sections, {len(report.figures)} figures)")
    for p in written[1:]:
        print(f"  {p}")
    return 0


def register_report(sub: Any) -> None:
    from ..analysis import DEFAULT_SEED

    p = sub.add_parser("report", help="write the HTML report (tables, figures, evidence) to a folder",
                       description="Run every analysis on FILE and write DIR/report.html (self-contained: "
                                   "figures inline as SVG) with each figure as PNG beside it.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", default="report", metavar="DIR", help="folder to write into (default: report)")
    p.add_argument("--samples", type=int, default=10_000, metavar="N", help="Monte Carlo samples (default 10,000)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="K", help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--depth", type=int, default=None, metavar="N", help="collapse the tree figure below this depth")
    p.add_argument("--force", action="store_true",
                   help="replace files in DIR that an earlier report did not write")
    p.set_defaults(func=cmd_report)


# ---------------------------------------------------- figures of the uncertainty and robustness analyses
# Options these kinds share are added once (`_option`), whichever kind asks first; each kind says
# which of them it reads, and any other one given is a usage error rather than silently ignored.
EXTRA_OPTIONS = ("samples", "seed", "of", "top", "x", "y", "points")


def _option(p: argparse.ArgumentParser, flag: str, **kw: Any) -> None:
    if flag not in p._option_string_actions:    # argparse has no public look-up of a flag
        p.add_argument(flag, **kw)


def _sampling_options(p: argparse.ArgumentParser) -> None:
    _option(p, "--samples", type=int, default=None, metavar="N",
            help="utility, risk-profile, p-best, acceptability: Monte Carlo draws (default 10,000); voi: 5,000; "
                 "ladder: draws instead of the point values")
    _option(p, "--seed", type=int, default=None, metavar="K", help="random seed of the draws")


def _of_option(p: argparse.ArgumentParser) -> None:
    _sampling_options(p)
    _option(p, "--of", default=None, metavar="WHAT",
            help="utility, risk-profile: 'utility' (default), 'certainty_equivalent' or a criterion id")


def _top_option(p: argparse.ArgumentParser) -> None:
    _option(p, "--top", type=int, default=None, metavar="N",
            help="tornado, spider, voi: how many numbers to show (default 12, 6, 12)")


def _two_way_options(p: argparse.ArgumentParser) -> None:
    _option(p, "--x", default=None, metavar="NAME",
            help="two-way: the number across (a name as in `juncture sensitivity`; default: the one whose "
                 "threshold lies nearest its point value)")
    _option(p, "--y", default=None, metavar="NAME", help="two-way: the number up (default: the largest tornado swing)")
    _option(p, "--points", type=int, default=None, metavar="N", help="two-way: grid points per axis (default 21)")


def _only(args: argparse.Namespace, *allowed: str) -> None:
    for name in EXTRA_OPTIONS:
        if name not in allowed and getattr(args, name, None) is not None:
            raise UsageError(f"--{name} does not change the {args.kind} figure; leave it out")
    n = getattr(args, "samples", None)
    if n is not None and n < 1:
        raise UsageError(f"--samples must be a positive number; got {n}")
    for name in ("top", "points"):
        v = getattr(args, name, None)
        if v is not None and v < (2 if name == "points" else 1):
            raise UsageError(f"--{name} must be at least {2 if name == 'points' else 1}; got {v}")


def _compiled(args: argparse.Namespace) -> Any:
    from ..compile import compile_scenario

    sc = load(args.file)
    if args.world is not None and args.world not in sc.worlds:
        from ..io.errors import did_you_mean

        raise UsageError(f"no world '{args.world}' in {args.file}{did_you_mean(args.world, sc.worlds)} "
                         f"(worlds: {', '.join(sc.worlds) or 'none'})")
    return compile_scenario(sc, world=args.world)


def _seed(args: argparse.Namespace) -> int:
    from ..analysis import DEFAULT_SEED

    return DEFAULT_SEED if args.seed is None else args.seed


def _in_world(ax: Any, args: argparse.Namespace) -> Any:
    """Name the world in the figure's title (the title keeps its place)."""
    if args.world:
        from matplotlib.text import Text

        title = ax.get_title(loc="left")
        for t in ax.get_children():
            if isinstance(t, Text) and title and t.get_text() == title:
                t.set_text(f"{title} — world: {args.world}")
                break
    return ax


def _simulated(args: argparse.Namespace) -> Any:
    from ..analysis.montecarlo import simulate

    m = _compiled(args)
    of = getattr(args, "of", None)
    if of is not None and of not in ("utility", "certainty_equivalent") + tuple(m.criteria):
        raise UsageError(f"--of must be 'utility', 'certainty_equivalent' or a criterion "
                         f"({', '.join(m.criteria)}); got '{of}'")
    return simulate(m, args.samples or 10_000, seed=_seed(args), progress=False)


def _utility(args: argparse.Namespace) -> Any:
    from .. import plots

    _only(args, "samples", "seed", "of")
    return _in_world(plots.utility_distribution(_simulated(args), of=args.of or "utility"), args)


def _risk_profile(args: argparse.Namespace) -> Any:
    from .. import plots

    _only(args, "samples", "seed", "of")
    return _in_world(plots.risk_profiles(_simulated(args).risk_profile(args.of or "utility")), args)


def _p_best(args: argparse.Namespace) -> Any:
    from .. import plots

    _only(args, "samples", "seed")
    return _in_world(plots.p_best_bars(_simulated(args)), args)


def _tornado(args: argparse.Namespace) -> Any:
    from .. import plots
    from ..analysis.sensitivity import tornado

    _only(args, "top")
    return _in_world(plots.tornado_chart(tornado(_compiled(args)), top=args.top or 12), args)


def _spider(args: argparse.Namespace) -> Any:
    from .. import plots
    from ..analysis.sensitivity import spider, tornado

    _only(args, "top")
    m = _compiled(args)
    top = args.top or 6
    names = list(tornado(m).names[:top])
    if not names:
        raise UsageError(f"{args.file} has no uncertain numbers that enter the evaluation: a spider has nothing "
                         "to move")
    return _in_world(plots.spider_chart(spider(m, params=names), top=top), args)


def _two_way(args: argparse.Namespace) -> Any:
    from .. import plots
    from ..report.sections import two_way_setup

    _only(args, "x", "y", "points")
    m = _compiled(args)
    try:
        setup = two_way_setup(m, x=args.x, y=args.y, points=args.points or 21)
    except ValueError as e:
        raise UsageError(str(e)) from None
    if setup is None:
        raise UsageError(f"{args.file} has fewer than two numbers to move: name them with --x and --y")
    tw, marks, units, ranges = setup
    return _in_world(plots.strategy_regions(tw, thresholds=marks, x_unit=units[0], y_unit=units[1],
                                            ranges=ranges), args)


def _voi(args: argparse.Namespace) -> Any:
    from .. import plots
    from ..analysis.voi import value_of_information

    _only(args, "samples", "seed", "top")
    v = value_of_information(_compiled(args), args.samples or 5_000, seed=_seed(args), progress=False)
    return _in_world(plots.voi_bars(v, top=args.top or 12), args)


def _acceptability(args: argparse.Namespace) -> Any:
    from .. import plots
    from ..analysis.smaa import smaa

    _only(args, "samples", "seed")
    try:
        s = smaa(_compiled(args), args.samples or 10_000, seed=_seed(args))
    except ValueError as e:
        raise UsageError(str(e)) from None
    return _in_world(plots.acceptability_bars(s), args)


def _regret(args: argparse.Namespace) -> Any:
    from .. import plots
    from ..analysis.robustness import across_worlds

    _only(args)
    sc = load(args.file)
    if not sc.worlds:
        raise UsageError(f"{args.file} has no worlds: add `worlds:` (alternative futures) to draw regret across them")
    return plots.regret_heatmap(across_worlds(sc))


def _comparisons(m: Any) -> dict[str, Any]:
    from ..analysis import mcda
    from ..analysis.weights import available

    mavt, topsis = mcda.compare(m, "mavt"), mcda.compare(m, "topsis")
    out = {f"mavt, {mavt.weights.label}": mavt, f"topsis, {topsis.weights.label}": topsis}
    for w in available(m):
        if w.label != mavt.weights.label:
            out[f"mavt, {w.label}"] = mcda.compare(m, "mavt", weights=w)
    return out


def _ranks(args: argparse.Namespace) -> Any:
    from .. import plots

    _only(args)
    return _in_world(plots.rank_comparison(_comparisons(_compiled(args))), args)


def _weights(args: argparse.Namespace) -> Any:
    from .. import plots
    from ..analysis.weights import available

    _only(args)
    return _in_world(plots.weights_chart(available(_compiled(args))), args)


def _ladder(args: argparse.Namespace) -> Any:
    from .. import plots
    from ..analysis.escalation import ladder, ladder_draws
    from ..evaluate import point

    _only(args, "samples", "seed")
    m = _compiled(args)
    if m.scenario.escalation is None:
        raise UsageError(f"{args.file} has no escalation ladder (escalation:)")
    if args.seed is not None and args.samples is None:
        raise UsageError("--seed applies to the ladder's draws: give --samples too")
    lad = ladder_draws(m, args.samples, seed=_seed(args)) if args.samples else ladder(point(m))
    return _in_world(plots.escalation_ladder(lad), args)


register_plot("utility", _utility, "distribution of each option's expected utility across Monte Carlo draws "
              "(--samples, --seed, --of)", add_arguments=_of_option)
register_plot("risk-profile", _risk_profile, "cumulative risk profiles of the options (--samples, --seed, --of)",
              add_arguments=_of_option)
register_plot("p-best", _p_best, "probability that each option is best, with Monte Carlo error bars "
              "(--samples, --seed)", add_arguments=_sampling_options)
register_plot("tornado", _tornado, "tornado: each uncertain number at its low and high value (--top)",
              add_arguments=_top_option)
register_plot("spider", _spider, "spider: the largest swings of the tornado across their ranges (--top)",
              add_arguments=_top_option)
register_plot("two-way", _two_way, "the preferred option over two numbers, thresholds marked (--x, --y, --points)",
              add_arguments=_two_way_options)
register_plot("voi", _voi, "value of information: EVPI of events and numbers, EVPPI of each, ranked "
              "(--samples, --seed, --top)", add_arguments=lambda p: (_sampling_options(p), _top_option(p)))
register_plot("acceptability", _acceptability, "SMAA rank acceptability under uncertain weights (--samples, --seed)",
              add_arguments=_sampling_options)
register_plot("regret", _regret, "options x worlds regret heat map with the minimax-regret choice",
              uses_world=False)
register_plot("ladder", _ladder, "escalation ladder: each option's chance of each rung, thresholds marked "
              "(--samples for Monte Carlo draws; default the point values)", add_arguments=_sampling_options)
register_plot("ranks", _ranks, "each option's rank under additive value, TOPSIS and every weighting the file has")
register_plot("weights", _weights, "the file's weightings side by side")


__all__ = ["PLOT_KINDS", "PlotKind", "cmd_plot", "cmd_report", "register", "register_plot", "register_report"]
