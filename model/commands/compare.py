"""`juncture compare` (several criteria, uncertain weights, alternative futures) and `juncture diff`
(what changed between two versions of a scenario and what it did to the ranking)."""

from __future__ import annotations

import argparse
from typing import Any

from ..analysis import DEFAULT_SEED
from ._common import UsageError, emit_json, evaluate_file, load_scenario, print_tables, say, show
from ..io import ScenarioError

# The analyses' choices, written out so that building the parser imports no numerical library
# (every `juncture` command builds it); tests/test_cli_compare.py holds them equal to the library's.
WEIGHTINGS = ("given", "equal", "rank", "swing")
NORMALISATIONS = ("vector", "minmax", "sum")
COST_HANDLING = ("ideal", "reciprocal")
VALUE_RANGES = ("criteria", "options")
WEIGHT_MODES = ("stated", "simplex", "rank")
CONSEQUENCES = ("draws", "point")
SCALES = ("union", "base")


class _Methods:
    """The aggregation methods of `model.analysis.mcda.AGGREGATIONS` (that rank by scores), then
    `extra`, as argparse choices. The table is read when argparse first looks (checking a value or
    writing --help), never while the parser is built, so no numerical library loads for it."""

    def __init__(self, *extra: str) -> None:
        self.extra = extra

    def _names(self) -> tuple[str, ...]:
        from ..analysis.mcda import AGGREGATIONS, SCORES

        return tuple(n for n, a in AGGREGATIONS.items() if a.returns == SCORES) + self.extra

    def __iter__(self) -> Any:
        return iter(self._names())

    def __contains__(self, name: object) -> bool:
        return name in self._names()


def _choices(action: argparse.Action, choices: _Methods) -> None:
    # set after add_argument, which formats the usage of what it adds (and would read the table)
    action.choices = choices


def register(sub: Any) -> None:
    c = sub.add_parser("compare", help="compare the options on several criteria, under uncertain weights "
                                       "(SMAA) and across the file's worlds")
    c.add_argument("file", metavar="FILE")
    _choices(c.add_argument("--method",
                            help="mavt: weighted additive value; topsis; smaa: rank acceptability under "
                                 "uncertain weights (default: the file's comparison.method, else mavt)"),
             _Methods("smaa"))
    c.add_argument("--weighting", choices=WEIGHTINGS,
                   help="given (the criteria's weights), equal, rank (rank-order centroid), swing "
                        "(default: the file's comparison.weighting, else given)")
    c.add_argument("--profile", help="use this weight profile of the file instead of --weighting")
    c.add_argument("--normalisation", choices=NORMALISATIONS,
                   help="topsis: how the matrix is normalised (default: the file's, else vector)")
    c.add_argument("--cost", choices=COST_HANDLING, default=None,
                   help="topsis: a minimised criterion keeps its values with the smallest as ideal "
                        "(ideal) or becomes 1/x (reciprocal); default: the file's comparison.cost, else ideal")
    c.add_argument("--value-range", choices=VALUE_RANGES, default=None,
                   help="mavt: score on each criterion's range (criteria) or on the span of the options' "
                        "consequences (options); default: the file's comparison.value_range, else criteria")
    c.add_argument("--world", help="compare in this world of the file")
    s = c.add_argument_group("SMAA (--method smaa)")
    _choices(s.add_argument("--aggregation",
                            help="how each draw is scored (default: the file's comparison.method, else mavt)"),
             _Methods())
    s.add_argument("--weights", choices=WEIGHT_MODES, default="stated",
                   help="stated: the criteria's weights drawn from their numbers (uniform on the simplex "
                        "when the file gives none); simplex: uniform on the simplex; rank: uniform within "
                        "the rank order")
    s.add_argument("--consequences", choices=CONSEQUENCES, default="draws",
                   help="draws: the uncertain numbers vary with the weights (default); point: only the "
                        "weights vary")
    s.add_argument("--samples", type=int, default=10_000, metavar="N", help="number of draws (default 10000)")
    s.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="K",
                   help=f"random seed (default {DEFAULT_SEED}); the same seed gives the same answer")
    w = c.add_argument_group("worlds (--worlds)")
    w.add_argument("--worlds", action="store_true",
                   help="add the options x worlds value and regret tables and the decision rules")
    w.add_argument("--alpha", type=float, help="Hurwicz optimism, 0 to 1 (default: the file's "
                                               "comparison.hurwicz_alpha, else 0.5)")
    w.add_argument("--with-base", action="store_true", help="add the file's own numbers as a column '(base)'")
    w.add_argument("--scale", choices=SCALES, default="union",
                   help="common value scale across worlds: the union of every world's ranges (default) "
                        "or the base file's")
    c.add_argument("--json", action="store_true", help="print JSON instead of tables")
    c.set_defaults(func=cmd_compare)

    d = sub.add_parser("diff", help="what changed between two versions of a scenario and what it did to "
                                    "the ranking")
    d.add_argument("old", metavar="OLD")
    d.add_argument("new", metavar="NEW")
    d.add_argument("--score", choices=("utility", "mavt", "topsis"), default="utility",
                   help="rank by expected utility (as juncture evaluate; the default), additive value or "
                        "TOPSIS closeness")
    d.add_argument("--json", action="store_true", help="print JSON instead of tables")
    d.set_defaults(func=cmd_diff)


def _check(args: argparse.Namespace) -> None:
    if args.samples < 1:
        raise UsageError(f"--samples must be a positive number of draws; got {args.samples}")
    if args.alpha is not None and not 0 <= args.alpha <= 1:
        raise UsageError(f"--alpha (Hurwicz optimism) must lie in [0, 1]; got {args.alpha:g}")
    if args.worlds and args.world:
        raise UsageError("--worlds compares every world; leave out --world")
    if args.profile and args.weighting:
        raise UsageError("give --profile or --weighting, not both")


def cmd_compare(args: argparse.Namespace) -> int:
    from ..analysis import mcda, robustness, smaa, weights

    _check(args)
    ev = evaluate_file(args.file, args.world)
    model = ev.model
    sc = model.scenario
    try:
        chosen = (weights.profile_weights(model, args.profile) if args.profile
                  else weights.criterion_weights(model, args.weighting))
        method = args.aggregation if args.method == "smaa" else args.method
        main = mcda.compare(model, method, chosen, args.normalisation, args.cost, args.value_range, ev=ev)
        sets = weights.available(model)
        if not any(s.label == chosen.label for s in sets):
            sets.insert(0, chosen)
        by_weighting = {s.label: (main if s.label == chosen.label else
                                  mcda.compare(model, main.method, s, args.normalisation, args.cost,
                                               args.value_range, ev=ev)) for s in sets}
        result = None
        if args.method == "smaa":
            result = smaa.smaa(model, args.samples, args.seed, method=main.method, weights=args.weights,
                               consequences=args.consequences, normalisation=args.normalisation,
                               cost=args.cost, value_range=args.value_range)
        rob = robustness.across_worlds(model, args.alpha, args.with_base, args.scale) if args.worlds else None
    except ScenarioError:
        raise
    except ValueError as e:
        raise UsageError(str(e)) from None
    if args.json:
        out: dict[str, Any] = {"scenario": sc.meta.id, "world": model.world}
        if result is not None:
            out.update(method="smaa", aggregation=main.method,
                       scores={o: float(b) for o, b in zip(result.options, result.rank_acceptability[:, 0])},
                       ranking=result.ranking, smaa=result.to_dict(), point_comparison=main.to_dict())
        else:
            out.update(main.to_dict())
        out["weightings"] = {label: {"weights": r.weights.as_dict(), "note": r.weights.note,
                                     "scores": {o: float(x) for o, x in zip(r.options, r.scores)},
                                     "ranking": r.ranking, "ranks": dict(zip(r.options, map(int, r.ranks)))}
                             for label, r in by_weighting.items()}
        if rob is not None:
            out["worlds"] = rob.to_dict()
        emit_json(out)
        return 0
    say(sc.meta.title + (f" — world: {model.world}" if model.world else ""))
    if sc.meta.question:
        say(f"Question: {sc.meta.question}", hang="          ")
    tables = [weights.weights_table(model, sets), main.table(), main.detail_table()]
    if len(by_weighting) > 1:
        tables.append(mcda.profiles_table(by_weighting))
    if result is not None:
        tables += [result.acceptability_table(), result.central_weights_table()]
    if rob is not None:
        tables += [rob.value_table(), rob.regret_table(), rob.rules_table()]
        if rob.satisficing_table() is not None:
            tables.append(rob.satisficing_table())
    for t in tables:
        print()
        print(show(t, sc))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from ..analysis.diff import diff

    old, new = load_scenario(args.old), load_scenario(args.new)
    try:
        d = diff(old, new, args.score)
    except ScenarioError:
        raise
    except ValueError as e:
        raise UsageError(str(e)) from None
    if args.json:
        emit_json(d.to_dict())
        return 0
    say(f"{args.old} -> {args.new}: {len(d.changes)} change{'s' if len(d.changes) != 1 else ''}")
    print_tables(d.changes_table(), d.ranking_table(), d.attribution_table(), scenario=new)
    moved = d.moved
    print()
    if moved:
        for o, (a, b) in moved.items():
            drivers = d.drivers(o)
            say(f"{o}: rank {a if a is not None else '-'} -> {b if b is not None else '-'}"
                + (f"; moved most by {', '.join(drivers)}" if drivers else ""))
    else:
        print("No option's rank moved.")
    return 0
