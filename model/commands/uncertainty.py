"""`juncture simulate`, `juncture sensitivity` and `juncture voi`: uncertainty analyses from the command line.

Thin: each parses its arguments, calls `model.analysis.montecarlo`, `.sensitivity` or `.voi`,
and prints tables (or JSON with --json). Long runs draw a progress bar on stderr when it is a
terminal (never with --quiet).
"""

from __future__ import annotations

import argparse
from typing import Any

from ._common import (
    QUIET_HELP,
    UsageError,
    compile_file,
    emit_json,
    finite_or_none,
    names,
    print_tables,
    say,
    say_notes,
    show,
)

DEFAULT_SAMPLES = 10_000
KINDS = ("tornado", "spider", "two-way", "thresholds")


def _model(args: argparse.Namespace) -> Any:
    return compile_file(args.file, getattr(args, "world", None))


MAX_SAMPLES = 20_000_000
"""Most samples a command takes (memory grows with them: about 250 MB per million kept)."""


def _samples(args: argparse.Namespace) -> int:
    # two draws at least: a spread and a standard error need two
    if not 2 <= args.samples <= MAX_SAMPLES:
        raise UsageError(f"--samples must be between 2 and {MAX_SAMPLES:,}; got {args.samples}")
    return args.samples


def _top(args: argparse.Namespace) -> int:
    if getattr(args, "top", 1) < 1:
        raise UsageError(f"--top must be 1 or more; got {args.top}")
    return args.top


def _header(m: Any, what: str) -> str:
    sc = m.scenario
    return f"{sc.meta.title}" + (f" — world: {m.world}" if m.world else "") + f" — {what}"


# ---------------------------------------------------------------------------- simulate
def cmd_simulate(args: argparse.Namespace) -> int:
    from ..analysis import montecarlo as mcm

    m = _model(args)
    n = _samples(args)
    mc = mcm.simulate(m, n, seed=args.seed, method=args.method, progress=False if args.quiet else None)
    util = mc.summary("utility")
    dom = mc.dominance("utility")
    crit = {c: mc.summary(c) for c in m.criteria}
    ce = mc.summary("certainty_equivalent")
    if args.json:
        out: dict[str, Any] = {
            "scenario": m.scenario.meta.id, "world": m.world, "samples": n, "seed": args.seed, "method": args.method,
            "risk_attitude": "risk-neutral" if m.risk_tolerance is None else f"exponential, R = {m.risk_tolerance:g}",
            "units": {"utility": util.unit, "certainty_equivalent": ce.unit,
                      **{c: s.unit for c, s in crit.items()}},
            "quantiles": list(mc.quantiles),
            "options": {},
            "dominance": dom.to_dict(),
            "notes": list(util.notes),
        }
        u, cd = util.to_dict(), ce.to_dict()
        cr = {c: s.to_dict() for c, s in crit.items()}
        rmean = mc.risk.mean(axis=0, dtype=float)
        for i, o in enumerate(m.options):
            d = dict(u[o])
            p_best, p_best_se = d.pop("p_best"), d.pop("p_best_se")
            cd[o].pop("p_best", None)
            cd[o].pop("p_best_se", None)
            out["options"][o] = {"p_best": p_best, "p_best_se": p_best_se, "utility": d,
                                 "certainty_equivalent": cd[o],
                                 "criteria": {c: cr[c][o] for c in m.criteria},
                                 "risks": {r: finite_or_none(rmean[i, k]) for k, r in enumerate(m.risks)}}
        emit_json(out)
        return 0
    sc = m.scenario
    say(_header(m, f"Monte Carlo, {n:,} samples ({args.method}, seed {args.seed})"))
    print_tables(util.table(), scenario=sc)
    if m.risk_tolerance is not None or (m.raw_value and m.directions[0] < 0):
        print_tables(ce.table(), scenario=sc)
    if len(m.criteria) > 1:
        print_tables(mcm.consequences(mc), scenario=sc)
    if m.risks:
        print_tables(mcm.risks(mc), scenario=sc)
    print()
    say(f"Stochastic dominance of expected utility across the samples ({n:,}):")
    name = names(sc)
    opt = [name.get(o, o) for o in m.options]
    lines = []
    for i, o in enumerate(opt):
        first = [opt[j] for j in range(len(m.options)) if dom.first_order[i, j]]
        second = [opt[j] for j in range(len(m.options)) if dom.second_order[i, j] and not dom.first_order[i, j]]
        near = [opt[j] for j in range(len(m.options)) if dom.almost_first_order[i, j] and not dom.first_order[i, j]]
        if first:
            lines.append(f"{o} dominates {', '.join(first)} (first order)")
        if second:
            lines.append(f"{o} dominates {', '.join(second)} (second order only)")
        if near:
            lines.append(f"{o} nearly dominates {', '.join(near)} (first order, violations within "
                         f"Monte Carlo noise {dom.noise:.2g})")
    for line in lines or ["no option dominates another"]:
        say(line, "  ")
    return 0


# ---------------------------------------------------------------------------- sensitivity
def cmd_sensitivity(args: argparse.Namespace) -> int:
    from ..analysis import sensitivity as sens

    _top(args)
    m = _model(args)
    versus = tuple(args.versus) if args.versus else None
    try:
        if args.kind == "tornado":
            res = sens.tornado(m, params=args.params, of=args.of, versus=versus, measure=args.measure)
        elif args.kind == "spider":
            params = args.params
            if params is None:
                params = list(sens.tornado(m, of=args.of, versus=versus, measure=args.measure).names[:args.top])
            res = sens.spider(m, params=params, points=args.points or 11, of=args.of, versus=versus,
                              measure=args.measure)
        elif args.kind == "two-way":
            params = args.params
            if params is None:
                params = list(sens.tornado(m).names[:2])
                if len(params) < 2:
                    raise UsageError("two-way needs two parameters: name them with --params X Y "
                                     "(the file has fewer than two uncertain numbers)")
            if len(params) != 2:
                raise UsageError(f"two-way needs exactly two parameters (--params X Y); got {len(params)}")
            res = sens.two_way(m, params[0], params[1], points=args.points or 21)
        else:
            res = sens.thresholds(m, params=args.params, points=args.points or 65)
    except ValueError as e:
        raise UsageError(str(e)) from None
    if args.json:
        out = {"scenario": m.scenario.meta.id, "world": m.world, **res.to_dict()}
        emit_json(out)
        return 0
    say(_header(m, f"sensitivity ({args.kind})"))
    print()
    if args.kind in ("tornado", "spider") and not res.names:
        say("No uncertain number enters the evaluation: give numbers ranges or distributions to see "
            "their swing (--kind thresholds works on fixed numbers too).")
    elif args.kind == "tornado":
        print(show(_phrased(res.table(top=args.top), m), m.scenario))
    elif args.kind == "spider":
        print(show(_phrased(res.table(), m), m.scenario))
    elif args.kind == "two-way":
        print(_region_map(res, m))
    else:
        _print_thresholds(res, args.top, m)
    return 0


def _phrased(tab: Any, m: Any) -> Any:
    """A table whose rows are parameter names, for the terminal: each row called by its phrase
    ('P(russia_response = direct_support | strikes)', from `sensitivity.describe`) and the name
    kept in a last column 'parameter' (what --params takes)."""
    from ..analysis.sensitivity import describe
    from ..results import table

    cols = list(tab.columns)
    keep = [j for j, c in enumerate(cols) if c != "phrase"]
    units = list(tab.units) + [""] * (len(cols) - len(tab.units))
    rows = [_say_name(m, r, describe) for r in tab.rows]
    vals = [[vals[j] for j in keep] + [r] for r, vals in zip(tab.rows, tab.values)]
    return table(tab.title, "number", rows, [cols[j] for j in keep] + ["parameter"], vals,
                 [units[j] for j in keep] + [""], tab.notes, tab.digits)


def _say_name(m: Any, name: str, describe: Any) -> str:
    """A parameter's phrase; a group of parameters ('criteria.weights', 'options.strikes.impacts',
    'events.x.probability') in words."""
    phrase = describe(m, name)
    if phrase != name:
        return phrase
    parts = name.split(".")
    if parts == ["criteria", "weights"]:
        return "the criteria's weights"
    if len(parts) == 3 and parts[0] == "options":
        return f"the {parts[2]} of {parts[1]}"
    if len(parts) == 3 and parts[0] == "events":
        return f"{parts[1]}: its {'probabilities' if parts[2] == 'probability' else 'states' + chr(39) + ' impacts'}"
    if len(parts) >= 2 and parts[0] == "actors":
        return f"{parts[1]}'s {' '.join(parts[2:]).replace('_', ' ')}"
    return name


def _region_map(res: Any, m: Any = None) -> str:
    """The strategy-region map as letters, y up and x to the right, with a legend; 3 columns a
    grid point, or 2 (then 1) when the grid would be wider than the terminal."""
    from ..results import note_lines, text_width, wrap

    label = names(m.scenario) if m is not None else {}
    width = text_width()
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    used = sorted(set(res.best.ravel().tolist()))
    code = {i: letters[k % 26] for k, i in enumerate(used)}
    lines = wrap(f"Preferred option over {res.y_phrase} (up) and {res.x_phrase} (right)", width, "", "    ")
    lines.append("")
    ylab = [f"{v:.4g}" for v in res.y_values]
    w = max(len(s) for s in ylab)
    nx = len(res.x_values)
    step = 3 if w + 3 + 3 * nx <= width else 2
    for j in range(len(res.y_values) - 1, -1, -1):
        cells = [code[int(res.best[i, j])] + ("=" if res.tied[i, j] else " ") for i in range(nx)]
        row = (" " if step == 3 else "").join(cells) if w + 3 + step * nx <= width else "".join(c[0] for c in cells)
        lines.append(f"{ylab[j]:>{w}} | {row}".rstrip())
    lines.append(" " * w + " +" + "-" * min(step * nx, width - w - 2))
    lines.append(" " * (w + 3) + f"{res.x_values[0]:.4g} ... {res.x_values[-1]:.4g}")
    lines.append("")
    lines.extend(wrap(f"x (right): {res.x_phrase}", width, "", "    "))
    lines.extend(wrap(f"y (up): {res.y_phrase}", width, "", "    "))
    shares = res.shares()
    for i in used:
        o = res.options[i]
        lines.extend(wrap(f"{code[i]} = {label.get(o, o)} ({100 * shares[o]:.0f}% of the grid)", width, "  ", "      "))
    lines.append("  '=' marks a tie")
    lines.extend(note_lines(res.notes, width))
    lines.append("")
    lines.extend(wrap(f"parameter x: {res.x}", width, "", "    "))
    lines.extend(wrap(f"parameter y: {res.y}", width, "", "    "))
    return "\n".join(lines)


def _print_thresholds(res: Any, top: int, m: Any = None) -> None:
    from ..results import table

    label = names(m.scenario) if m is not None else {}
    say(f"Preferred at the point values: {label.get(res.best_base, res.best_base)}")
    if not len(res.names):
        say("No single number changes the preferred option within the searched intervals.")
    else:
        say(f"Where the preferred option changes (nearest first, {len(res.names)} found):")
        shown = min(top, len(res.names))
        for k in range(shown):
            say(f"{k + 1}. {res.statement(k, phrase=True)}", "  ", "   ")
            if res.low[k] == res.high[k]:
                where = f"fixed at {res.point[k]:.4g} in the file, with no range (threshold without range)"
            else:
                where = (f"point {res.point[k]:.4g}; the threshold is {'inside' if res.in_range[k] else 'outside'} "
                         f"its range [{res.low[k]:.4g}, {res.high[k]:.4g}]")
            say(where, "     ", "  ")
        if len(res.names) > top:
            say(f"... and {len(res.names) - top} more (--top N, or --json for all)", "  ")
    say_notes(res.notes)
    if len(res.names):
        print()
        print(table("The numbers above by name (for --params)", "#", [str(k + 1) for k in range(shown)],
                    ["parameter"], [[res.names[k]] for k in range(shown)]).to_text())


# ---------------------------------------------------------------------------- voi
def cmd_voi(args: argparse.Namespace) -> int:
    from ..analysis import voi

    _top(args)
    m = _model(args)
    n = _samples(args)
    res = voi.value_of_information(m, n, seed=args.seed, method=args.method, progress=False if args.quiet else None)
    ev = None
    if args.evsi:
        try:
            ev = voi.evsi(m, args.evsi)
        except ValueError as e:
            raise UsageError(str(e)) from None
    if args.json:
        out = res.to_dict()
        out["world"] = m.world
        if ev is not None:
            out["evsi"] = {"option": ev.option, "value": finite_or_none(ev.value[0]),
                           "without_its_cost": finite_or_none(ev.free[0]),
                           "best_without_it": finite_or_none(ev.without[0]), "cost": list(ev.cost), "note": ev.note}
        emit_json(out)
        return 0
    say(_header(m, "value of information"))
    print_tables(_voi_text(res.table(top=args.top), m), scenario=m.scenario)
    if ev is not None:
        print_tables(ev.table(), scenario=m.scenario)
    return 0


def _voi_text(tab: Any, m: Any) -> Any:
    """The value-of-information table for the terminal: a parameter or group called by its phrase,
    its name in a last column 'parameter'; events by their names."""
    from ..analysis.sensitivity import describe
    from ..results import table

    rows, vals = [], []
    for r, v in zip(tab.rows, tab.values):
        kind, _, name = r.partition(": ")
        if kind in ("parameter", "group") and name:
            rows.append(f"{kind}: {_say_name(m, name, describe)}")
            vals.append([*v, name])
        elif kind == "event" and name:
            # the id, which the printed table names (naming it here too would name the words of
            # the name again: an event called 'Seismic test result' beside an option 'test')
            rows.append(f"event: {name}")
            vals.append([*v, ""])
        else:
            rows.append(r)
            vals.append([*v, ""])
    return table(tab.title, tab.row_name, rows, [*tab.columns, "parameter"], vals, [*tab.units, ""],
                 tab.notes, tab.digits)


# ---------------------------------------------------------------------------- registration
def register(sub: Any) -> None:
    from ..analysis import DEFAULT_SEED

    s = sub.add_parser("simulate", help="Monte Carlo over the uncertain numbers: distributions, P(best), dominance")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--samples", type=int, default=DEFAULT_SAMPLES, metavar="N",
                   help=f"number of draws (default {DEFAULT_SAMPLES:,})")
    s.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="K",
                   help=f"random seed; the same seed gives the same numbers (default {DEFAULT_SEED})")
    s.add_argument("--method", choices=("random", "lhs"), default="random",
                   help="independent draws (default) or Latin hypercube")
    s.add_argument("--world", help="simulate in this world of the file")
    s.add_argument("--json", action="store_true", help="print JSON instead of tables")
    s.add_argument("--quiet", action="store_true", help=QUIET_HELP)
    s.set_defaults(func=cmd_simulate)

    t = sub.add_parser("sensitivity", help="tornado, spider, two-way strategy regions, thresholds")
    t.add_argument("file", metavar="FILE")
    t.add_argument("--kind", choices=KINDS, default="tornado",
                   help="tornado (default): each number low and high; spider: across its range; two-way: "
                        "the preferred option over two numbers; thresholds: where the preferred option changes")
    t.add_argument("--params", nargs="+", metavar="NAME",
                   help="parameter names as in the file, e.g. events.russia_response.probability.strikes."
                        "direct_support (default: every uncertain number; two-way: the two largest swings)")
    t.add_argument("--of", metavar="OPTION", help="measure this option instead of the best one")
    t.add_argument("--versus", nargs=2, metavar=("A", "B"), help="measure the difference A - B")
    t.add_argument("--measure", choices=("utility", "certainty_equivalent"), default="utility")
    t.add_argument("--points", type=int, metavar="N",
                   help="values per parameter (spider 11, two-way 21 per axis, thresholds 65)")
    t.add_argument("--top", type=int, default=15, metavar="N", help="rows to print (default 15)")
    t.add_argument("--world", help="use this world of the file")
    t.add_argument("--json", action="store_true", help="print JSON instead of tables")
    t.set_defaults(func=cmd_sensitivity)

    v = sub.add_parser("voi", help="value of information: EVPI of events and of parameters, EVPPI")
    v.add_argument("file", metavar="FILE")
    v.add_argument("--samples", type=int, default=DEFAULT_SAMPLES, metavar="N",
                   help=f"draws for EVPI of parameters and EVPPI (default {DEFAULT_SAMPLES:,})")
    v.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="K", help=f"random seed (default {DEFAULT_SEED})")
    v.add_argument("--method", choices=("random", "lhs"), default="random")
    v.add_argument("--evsi", metavar="OPTION",
                   help="also the value of this information-gathering option before its own cost (EVSI)")
    v.add_argument("--top", type=int, default=15, metavar="N", help="EVPPI rows to print (default 15)")
    v.add_argument("--world", help="use this world of the file")
    v.add_argument("--json", action="store_true", help="print JSON instead of tables")
    v.add_argument("--quiet", action="store_true", help=QUIET_HELP)
    v.set_defaults(func=cmd_voi)
