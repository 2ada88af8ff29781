"""`juncture explore`: scenario discovery from the command line.

Thin: parses its arguments, calls `model.analysis.explore.explore`, and prints the boxes (or JSON
with --json); `-o PATH` also writes the figure (`model.plots.explore_view`). A file with no
uncertain number that enters the evaluation (and no worlds) is explored all the same: the answer is
one sentence, exit 0, as for `juncture sensitivity --kind tornado`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._common import (
    add_cluster_arguments,
    cluster,
    QUIET_HELP,
    UsageError,
    check_figure_path,
    emit_json,
    load_scenario,
    names,
    say,
    say_notes,
    write_figure,
)

DEFAULT_SAMPLES = 10_000
MAX_SAMPLES = 2_000_000
"""Most draws explore takes: every draw's numbers are kept for PRIM (8 bytes per number and draw)."""


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%" if 0 < x < 0.001 or 0.999 < x < 1 else f"{100 * x:.0f}%"


def cmd_explore(args: argparse.Namespace) -> int:
    from ..analysis import explore as exm
    from ..compile import compile_scenario
    from ..io.errors import did_you_mean

    if not 2 <= args.samples <= MAX_SAMPLES:
        raise UsageError(f"--samples must be between 2 and {MAX_SAMPLES:,}; got {args.samples}")
    if not 0 < args.min_density <= 1:
        raise UsageError(f"--min-density must lie in (0, 1]; got {args.min_density}")
    if args.boxes < 1:
        raise UsageError(f"--boxes must be 1 or more; got {args.boxes}")
    sc = load_scenario(args.file, args.world)
    options = compile_scenario(sc, world=args.world).options
    if args.option is not None and args.option not in options:
        raise UsageError(f"no option '{args.option}' in {args.file}{did_you_mean(args.option, options)} "
                         f"(options: {', '.join(options)})")
    if args.output:
        check_figure_path(args.output, args.force)
    settings = exm.Settings(min_density=args.min_density, max_boxes=args.boxes, choose=args.choose)
    with cluster(args) as client:
        res = exm.explore(sc, args.option, args.samples, seed=args.seed, fails=args.fails,
                          worlds=[args.world] if args.world else None, settings=settings,
                          progress=False if args.quiet else None, client=client)
    if args.output:
        if res.boxes:
            write_figure(res.plot(), args.output, args.force)
        else:
            print("no box was found: no figure written", file=sys.stderr)
    if args.json:
        emit_json(res.to_dict())
        return 0
    _print(res, sc, args)
    return 0


def _print(res: Any, sc: Any, args: argparse.Namespace) -> None:
    from ..results import table

    label = names(sc)
    d = res.draws
    nums = len(d.names)
    worlds = [w for w in d.worlds if w is not None]
    if not nums and len(d.worlds) < 2:
        say(f"{args.file} has no uncertain number that enters the evaluation and no worlds: every draw is the "
            f"same, and {res.option_name} is {'best' if res.share_best > 0 else 'not best'} in all of them, so "
            "there is no region to find. Give numbers ranges or distributions to explore them.")
        return
    where = (f" and {len(worlds)} world{'s' if len(worlds) != 1 else ''}" if worlds and d.worlds[0] is None
             else (f" in world {label.get(worlds[0], worlds[0])}" if worlds else ""))
    say(f"{sc.meta.title} — scenario discovery: {d.n:,} draws of {nums} uncertain number{'s' if nums != 1 else ''}"
        f"{where} (seed {res.seed})")
    print()
    shares = d.best.mean(axis=0)
    others = ", ".join(f"{label.get(o, o)} {_pct(s)}" for o, s in zip(d.options, shares) if o != res.option)
    q = res.margin_quantiles()
    say(f"{res.option_name} is best in {_pct(res.share_best)} of the draws ({others}). Its margin over the best "
        f"other option: median {q['p50']:.3g}, 5th to 95th percentile {q['p5']:.3g} to {q['p95']:.3g} ({d.unit}).")
    say(f"Cases: the draws where {res.case_words} ({_pct(float(res.cases.mean()))}).")
    if not res.boxes:
        say_notes(res.notes)
        return
    listed: list[str] = []
    for i, traj in enumerate(res.boxes):
        tab = res.table(i)
        keep = [j for j, c in enumerate(tab.columns) if c != "parameter"]
        rows = [(r, [v[j] for j in keep]) for r, v in zip(tab.rows, tab.values) if r != "world"]
        listed.extend(v[tab.columns.index("parameter")] for r, v in zip(tab.rows, tab.values) if r != "world")
        notes = list(tab.notes[1:2])
        worlds_kept = res.box_worlds(i)
        if worlds_kept is not None:
            notes.insert(0, "worlds: " + ", ".join(label.get(w, w) if w else "the file as written"
                                                  for w in worlds_kept) + " (the others are outside the box)")
        b = traj.box
        # the rows are phrases in the file's words already: no id substitution (print without labels)
        print()
        print(table(f"Box {i + 1}: where {res.case_words} — coverage {b.coverage:.2f}, density {b.density:.2f}, "
                    f"mass {b.mass:.2f}", "number", [r for r, _ in rows], [tab.columns[j] for j in keep],
                    [v for _, v in rows], notes=notes, digits=3).to_text())
        print()
        print(res.trajectory_table(i).to_text())
    print()
    say("coverage: share of the cases inside the box; density: share of the draws inside the box that are "
        "cases; mass: share of all draws inside the box.")
    say_notes(res.notes)
    if listed:
        print()
        say("The numbers above by name:")
        for k, name in enumerate(dict.fromkeys(listed)):
            say(f"{k + 1}. {name}", "  ")


def register(sub: Any) -> None:
    from ..analysis import DEFAULT_SEED

    e = sub.add_parser("explore", help="scenario discovery: where (in the uncertain numbers and worlds) an "
                                       "option is best, or fails (PRIM boxes)",
                       description="Draw every uncertain number (in the file as written and in each world), "
                                   "record each draw's best option and margin, and find PRIM boxes of the "
                                   "numbers where OPTION is best (or, with --fails, is not), each with its "
                                   "coverage, density, mass and peeling trajectory.")
    e.add_argument("file", metavar="FILE")
    e.add_argument("--samples", type=int, default=DEFAULT_SAMPLES, metavar="N",
                   help=f"number of draws, split equally among the file and its worlds (default {DEFAULT_SAMPLES:,})")
    e.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="K",
                   help=f"random seed; the same seed gives the same draws and boxes (default {DEFAULT_SEED})")
    e.add_argument("--for", dest="option", metavar="OPTION",
                   help="the option explored (default: the best at the point values)")
    e.add_argument("--fails", action="store_true", help="find where OPTION is not best, instead of where it is")
    e.add_argument("--world", help="explore this world of the file only (default: the file as written and "
                                   "every world, equally weighted)")
    e.add_argument("--boxes", type=int, default=3, metavar="K",
                   help="most boxes to find, each among the draws outside the earlier ones (default 3)")
    e.add_argument("--min-density", type=float, default=0.5, metavar="D",
                   help="keep a box only if this share of its draws are cases, at least (default 0.5)")
    e.add_argument("--choose", choices=("balanced", "last"), default="balanced",
                   help="which box of the peeling trajectory to keep: balanced (default), the best harmonic "
                        "mean of coverage and density; last, the densest")
    e.add_argument("--json", action="store_true", help="print JSON instead of tables")
    e.add_argument("-o", "--output", metavar="PATH", help="also write the figure of box 1 to PATH (.png, .svg or "
                                                          ".pdf; no suffix: all three)")
    e.add_argument("--force", action="store_true", help="replace an existing figure")
    e.add_argument("--quiet", action="store_true", help=QUIET_HELP)
    add_cluster_arguments(e)
    e.set_defaults(func=cmd_explore)
