"""`juncture plot FILE KIND -o PATH` (one figure as PNG, SVG or PDF) and `juncture report FILE -o DIR`.

The figures `juncture plot` draws are the recipes of `model.report.recipes` (the table the report
draws from too): PLOT_KINDS, kind -> PlotKind, holds one kind per recipe, in the table's order,
and any kind added by `register_plot` (a figure outside the table: `draw(args)` gets the parsed
arguments and returns the Axes or Figure to save). matplotlib is imported only when a figure is drawn.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..report.recipes import OPTIONS, RECIPES, Inputs, NoFigure, Recipe
from ._common import QUIET_HELP, UsageError, Working, load_scenario


@dataclass(frozen=True)
class PlotKind:
    """A figure `juncture plot` can draw: draw(args) -> Axes or Figure; help: one line for --help;
    add_arguments(parser): extra options of its own (optional); uses_world: whether --world
    changes it; options: which of the figure options (recipes.OPTIONS) it reads."""

    draw: Callable[[argparse.Namespace], Any]
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None
    uses_world: bool = True
    options: tuple[str, ...] = ()


def _recipe_kind(recipe: Recipe) -> PlotKind:
    return PlotKind(lambda args: _draw(recipe, args), recipe.help, None, recipe.uses_world, recipe.options)


PLOT_KINDS: dict[str, PlotKind] = {name: _recipe_kind(r) for name, r in RECIPES.items()}
"""Figure kinds by name, in the order they are listed in --help."""


def register_plot(kind: str, draw: Callable[[argparse.Namespace], Any], help: str, *,
                  add_arguments: Callable[[argparse.ArgumentParser], None] | None = None,
                  uses_world: bool = True) -> None:
    """Make `juncture plot FILE <kind>` draw with `draw(args)`, for a figure outside the recipe table
    (a figure of an analysis is a recipe in `model.report.recipes`). A kind registered twice is an
    error: two analyses would be fighting over one name."""
    if kind in PLOT_KINDS:
        raise ValueError(f"register_plot(): a plot kind {kind!r} is already registered")
    PLOT_KINDS[kind] = PlotKind(draw, help, add_arguments, uses_world)


# ------------------------------------------------------------------------------------------ options
FIGURE_OPTIONS: dict[str, dict[str, Any]] = {
    "samples": {"type": int, "metavar": "N",
                "help": "utility, risk-profile, p-best, acceptability: Monte Carlo draws (default 10,000); voi: "
                        "5,000; ladder: draws instead of the point values"},
    "seed": {"type": int, "metavar": "K", "help": "random seed of the draws"},
    "of": {"metavar": "WHAT",
           "help": "utility, risk-profile: 'utility' (default), 'certainty_equivalent' or a criterion id; ach: the "
                   "event whose hypotheses to draw"},
    "top": {"type": int, "metavar": "N", "help": "tornado, spider, voi: how many numbers to show (default 12, 6, 12)"},
    "x": {"metavar": "NAME", "help": "two-way: the number across (a name as in `juncture sensitivity`; default: the "
                                     "one whose threshold lies nearest its point value)"},
    "y": {"metavar": "NAME", "help": "two-way: the number up (default: the largest tornado swing)"},
    "points": {"type": int, "metavar": "N", "help": "two-way: grid points per axis (default 21)"},
}
"""The command-line options of the recipes' OPTIONS (but --depth, which every figure offers), in that order."""


def _check_options(args: argparse.Namespace, recipe: Recipe) -> None:
    """An option the figure does not read is refused rather than silently ignored (except by the
    recipes that have always accepted them: `Recipe.refuses_unread`)."""
    unread = [n for n in FIGURE_OPTIONS if n not in recipe.options and getattr(args, n, None) is not None]
    if unread and recipe.refuses_unread:
        raise UsageError(f"--{unread[0]} does not change the {args.kind} figure; leave it out")
    n = getattr(args, "samples", None)
    if n is not None and n < 1:
        raise UsageError(f"--samples must be a positive number; got {n}")
    for name in ("top", "points"):
        v = getattr(args, name, None)
        if v is not None and v < (2 if name == "points" else 1):
            raise UsageError(f"--{name} must be at least {2 if name == 'points' else 1}; got {v}")


def _draw(recipe: Recipe, args: argparse.Namespace) -> Any:
    _check_options(args, recipe)
    inputs = Inputs(load_scenario(args.file, args.world), world=args.world, file=args.file,
                    **{o: getattr(args, o, None) for o in OPTIONS})
    try:
        return recipe.figure(inputs)
    except NoFigure as e:
        raise UsageError(str(e)) from None


# ------------------------------------------------------------------------------------------ command
def cmd_plot(args: argparse.Namespace) -> int:
    from ..io.errors import did_you_mean

    kind = PLOT_KINDS.get(args.kind)
    if kind is None:
        raise UsageError(f"no plot kind '{args.kind}'{did_you_mean(args.kind, PLOT_KINDS)} "
                         f"(kinds: {', '.join(PLOT_KINDS)})")
    if args.depth is not None:
        if "depth" not in kind.options:
            readers = [k for k, v in PLOT_KINDS.items() if "depth" in v.options]
            raise UsageError(f"--depth applies to the {' and '.join(readers)} only")
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
    blocked = sorted({str(q) for p in paths for q in (p.parent, *p.parent.parents) if q.exists() and not q.is_dir()})
    if blocked:
        raise UsageError(f"{blocked[0]} is a file, not a folder: give a path in a folder")
    drawn = kind.draw(args)
    for folder in {p.parent for p in paths}:  # created like the report's, once there is a figure to put in it
        folder.mkdir(parents=True, exist_ok=True)
    try:
        written = save(drawn, args.output, force=args.force)
    except FileExistsError as e:  # made by someone else while we drew
        raise UsageError(f"{e}".replace("force=True (--force on the command line)", "--force")) from None
    for p in written:
        print(p)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ..report import build_report, write_report

    if args.samples < 100:
        raise UsageError(f"--samples must be at least 100 for a report; got {args.samples}")
    if args.depth is not None and args.depth < 0:
        raise UsageError("--depth must be 0 or more")
    sc = load_scenario(args.file)
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file, not a folder: give a folder for the report")
    with Working(f"report on {args.file}", quiet=args.quiet) as bar:
        report = build_report(sc, samples=args.samples, seed=args.seed, tree_depth=args.depth,
                              on_section=lambda k, n, name: bar.step(k, n, f"sections ({name})"))
    try:
        written = write_report(report, out, force=args.force)
    except FileExistsError as e:
        raise UsageError(str(e)) from None
    ns, nf = len(report.sections), len(report.figures)
    print(f"wrote {written[0]} ({ns} section{'' if ns == 1 else 's'}, {nf} figure{'' if nf == 1 else 's'})")
    for p in written[1:]:
        print(f"  {p}")
    return 0


# ------------------------------------------------------------------------------------------ parsers
def register(sub: Any) -> None:
    from ..analysis import DEFAULT_SEED

    # a help that starts with its own kind ('tornado: ...') is not labelled twice
    kinds = "; ".join(f"{k}: {v.help.removeprefix(f'{k}: ')}" for k, v in PLOT_KINDS.items())
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
    read = {o for k in PLOT_KINDS.values() for o in k.options}
    for name, kw in FIGURE_OPTIONS.items():
        if name in read:
            p.add_argument(f"--{name}", default=None, **kw)
    for k in PLOT_KINDS.values():
        if k.add_arguments is not None:
            k.add_arguments(p)
    p.set_defaults(func=cmd_plot)

    r = sub.add_parser("report", help="write the HTML report (tables, figures, evidence) to a folder",
                       description="Run every analysis on FILE and write DIR/report.html (self-contained: "
                                   "figures inline as SVG) with each figure as PNG beside it.")
    r.add_argument("file", metavar="FILE")
    r.add_argument("-o", "--output", default="report", metavar="DIR", help="folder to write into (default: report)")
    r.add_argument("--samples", type=int, default=10_000, metavar="N", help="Monte Carlo samples (default 10,000)")
    r.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="K", help=f"random seed (default {DEFAULT_SEED})")
    r.add_argument("--depth", type=int, default=None, metavar="N", help="collapse the tree figure below this depth")
    r.add_argument("--force", action="store_true",
                   help="replace files in DIR that an earlier report did not write")
    r.add_argument("--quiet", action="store_true", help=QUIET_HELP)
    r.set_defaults(func=cmd_report)


__all__ = ["FIGURE_OPTIONS", "PLOT_KINDS", "PlotKind", "cmd_plot", "cmd_report", "register", "register_plot"]
