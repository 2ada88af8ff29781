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
    from ..analysis.sampling import DEFAULT_SEED

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


__all__ = ["PLOT_KINDS", "PlotKind", "cmd_plot", "cmd_report", "register", "register_plot", "register_report"]
