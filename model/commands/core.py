"""The commands on one scenario file as it is: `validate`, `schema`, `evaluate`, `matrix` and `tree`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..io import ScenarioError, iter_numbers, load
from ._common import (
    EXIT_BAD_INPUT,
    UsageError,
    emit_json,
    evaluate_file,
    names,
    print_problems,
    say,
    say_notes,
    show,
    write_text,
)


# ---------------------------------------------------------------------------- validate / schema
def cmd_validate(args: argparse.Namespace) -> int:
    # titles and the summary are not ASCII; a console that cannot show a character gets an escape
    # instead of an internal error
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    if args.show_uncited < 0:
        raise UsageError(f"--show-uncited must be 0 or more; got {args.show_uncited}")
    bad = 0
    for f in args.files:
        try:
            sc = load(f)
        except ScenarioError as e:
            print_problems(e)
            bad += 1
            continue
        refs = list(iter_numbers(sc))
        uncited = [r for r in refs if not r.cited]
        uncertain = sum(r.number.is_uncertain for r in refs)
        form = "explicit tree" if sc.tree is not None else ("events" if sc.events else "decision matrix")
        print(f"{f}: ok — {sc.meta.title}")
        print(f"  form: {form}; options: {len(sc.option_ids)}; criteria: {len(sc.criteria) or 1}; "
              f"events: {len(sc.events)}; risks: {len(sc.risks)}; worlds: {len(sc.worlds)}")
        print(f"  actors: {len(sc.actors)}; signals: {len(sc.signals)}; sources: {len(sc.sources)}; "
              f"evidence: {len(sc.evidence)}; assumptions: {len(sc.assumptions)} "
              f"({sum(a.load_bearing for a in sc.assumptions)} load-bearing)")
        print(f"  numbers: {len(refs)} ({uncertain} uncertain); citing neither evidence nor assumption: "
              f"{len(uncited)}")
        for r in uncited[: args.show_uncited]:
            print(f"    {r.name}")
        if len(uncited) > args.show_uncited:
            print(f"    ... and {len(uncited) - args.show_uncited} more (--show-uncited N)")
        if args.critique:
            print(f"  {critique_line(sc)}")
    return EXIT_BAD_INPUT if bad else 0


VALIDATE_DRAWS = 500
"""Monte Carlo draws of the critique `validate` runs: enough to count its findings in a couple of
seconds; `juncture critique` (4,000 by default) is the one to read them in."""


def critique_line(sc: Any) -> str:
    """One line counting the critique's findings on a loaded scenario, by severity."""
    from ..analysis.critique import critique
    from ..compile import compile_scenario

    res = critique(compile_scenario(sc), samples=VALIDATE_DRAWS)
    n = res.counts()
    words = [f"{n.get(s, 0)} {s}{'' if n.get(s, 0) == 1 else 's'}" for s in ("error", "warning", "note")]
    if n.get("answered"):
        words.append(f"{n['answered']} answered in the file")
    return (f"critique ({VALIDATE_DRAWS} draws): {', '.join(words)}; `juncture critique FILE` lists them"
            if sum(n.values()) else f"critique ({VALIDATE_DRAWS} draws): no findings")


def cmd_schema(args: argparse.Namespace) -> int:
    from ..io.schema import SCHEMA_ID, schema_json

    text = schema_json()
    if args.output:
        out = Path(args.output)
        # regenerating the schema over itself is the usual case; any other file needs --force
        ours = out.is_file() and f'"$id": "{SCHEMA_ID}"' in out.read_text(encoding="utf-8", errors="replace")[:500]
        write_text(out, text, force=args.force or ours)
    else:
        sys.stdout.write(text)
    return 0


# ---------------------------------------------------------------------------- evaluate / matrix / tree
def evaluation_json(ev: Any, sample: int = 0) -> dict[str, Any]:
    """The `juncture evaluate --json` shape (`Evaluation.to_dict`)."""
    return ev.to_dict(sample)


def cmd_evaluate(args: argparse.Namespace) -> int:
    import math

    from ..analysis import matrices

    ev = evaluate_file(args.file, args.world)
    if args.json:
        emit_json(evaluation_json(ev))
        return 0
    sc = ev.model.scenario
    say(f"{sc.meta.title}" + (f" — world: {ev.model.world}" if ev.model.world else ""))
    if sc.meta.question:
        say(f"Question: {sc.meta.question}", hang="          ")
    print()
    print(show(matrices.ranking(ev), sc))
    print()
    print(show(matrices.consequences(ev), sc))
    label = names(sc)
    # later decisions: the decision maker's best choice; another actor's choice as solved (its
    # best reply on its own payoffs, or the most likely branch of its logit response)
    m = ev.model
    t = m.tree
    pol = ev.policy()
    node_of = {"/".join(t.path(int(d))): int(d) for d in t.decisions if d != 0}
    owner = m.node_owner if len(m.node_owner) else None
    lam = m.node_rationality if len(m.node_rationality) else None
    if pol:
        print()
        say("Later decisions" + (" (the decision maker's best choice; other actors' choices as solved):"
                                 if owner is not None and (owner > 0).any() else ":"))
        for k, v in pol.items():
            d = node_of[k]
            tie = "  (tie)" if len(v) > 1 else ""
            if owner is None or owner[d] <= 0:
                say(f"{k}: {' = '.join(v)}  (best choice){tie}", "  ")
                continue
            mixed = ""
            if lam is not None and math.isfinite(lam[d]) and ev.choice_probability is not None:
                kid = next(c for c in range(t.first_child[d], t.first_child[d] + t.n_children[d])
                           if t.label[c] == v[0])
                mixed = f"; most likely under a logit response, p={ev.choice_probability[0, kid]:.3g}"
            who = label.get(m.actors[owner[d]], m.actors[owner[d]])
            say(f"{k}: {' = '.join(v)}  (choice of {who}{mixed}){tie}", "  ")
        from ..analysis.strategic import game_notes  # who decides knowing a hidden type

        say_notes(game_notes(m))
    if m.actors:  # a game: what each player gets when every one plays as solved
        pay = ev.equilibrium_payoffs()
        unit = ""
        if m.raw_value and sc.criteria and sc.criteria[0].unit:
            unit = f" in {sc.criteria[0].unit}"
        elif not m.raw_value:
            unit = ", value score 0-1"
        if m.raw_value and m.directions[0] < 0:
            unit += ", a cost"
        print()
        best = ev.best_options()[0]
        say(f"Equilibrium payoffs (every player as solved; {label.get(m.actors[0], m.actors[0])} takes "
            f"{label.get(best, best)}):")
        shown = {a: label.get(a, a) for a in pay}
        width = max(len(a) for a in shown.values())
        nums = [f"{x:.3f}" for x in pay.values()]
        nwidth = max(len(x) for x in nums)
        for i, (a, x) in enumerate(zip(pay, nums)):
            note = (f"decision maker; {'CE' if m.risk_tolerance is not None else 'EV'}{unit}" if i == 0
                    else "its own payoffs")
            say(f"{shown[a].ljust(width)}  {x.rjust(nwidth)}  ({note})", "  ")
    return 0


MATRICES = ("consequences", "responses", "risks", "outcomes", "dominance")


def cmd_matrix(args: argparse.Namespace) -> int:
    from ..analysis import matrices

    ev = evaluate_file(args.file, args.world)
    tab = getattr(matrices, args.kind)(ev)
    if args.json:
        print(tab.to_json())
    elif args.csv:
        sys.stdout.write(tab.to_csv())
    else:
        print(show(tab, ev.model.scenario))
    return 0


TREE_DEPTH = 3
"""`juncture tree` shows this many levels below the root by default, unless the whole tree has at
most TREE_WHOLE nodes (a textbook tree is shown whole)."""

TREE_WHOLE = 60


def tree_depth(arg: str | None, n_nodes: int) -> int | None:
    """The depth `juncture tree` collapses at: --depth N, 'all' (None: the whole tree), or by default
    TREE_DEPTH unless the tree has at most TREE_WHOLE nodes."""
    if arg is None:
        return None if n_nodes <= TREE_WHOLE else TREE_DEPTH
    if arg.strip().lower() == "all":
        return None
    try:
        depth = int(arg)
    except ValueError:
        raise UsageError(f"--depth is a number of levels (0 or more) or 'all'; got '{arg}'") from None
    if depth < 0:
        raise UsageError("--depth must be 0 or more (or 'all')")
    return depth


def cmd_tree(args: argparse.Namespace) -> int:
    from .. import treeview
    from ..results import text_width

    if args.depth is not None:
        tree_depth(args.depth, 0)   # a bad --depth is refused before the work
    ev = evaluate_file(args.file, args.world)
    t = ev.model.tree
    depth = tree_depth(args.depth, t.n)
    fmt = "json" if args.json else args.format
    if fmt == "text":
        unit = None
        sc = ev.model.scenario
        if ev.model.raw_value and sc.criteria and sc.criteria[0].unit:
            unit = sc.criteria[0].unit
        print(treeview.render_text(ev, depth=depth, ascii=args.ascii, unit=unit, width=text_width(),
                                   legend=True))
        return 0
    if fmt == "dot":
        print(treeview.to_dot(ev, depth=depth))
    elif fmt == "mermaid":
        print(treeview.to_mermaid(ev, depth=depth))
    else:
        print(treeview.to_json(ev, depth=depth))
    if depth is not None and int(t.depth.max()) > depth:
        shown = int((t.depth <= depth).sum())
        print(f"juncture tree: {t.n - shown:,} of {t.n:,} nodes lie below depth {depth} and are collapsed; "
              "--depth all gives the whole tree", file=sys.stderr)
    return 0


def register(sub: Any) -> None:
    v = sub.add_parser("validate", help="check scenario files and summarise them")
    v.add_argument("files", nargs="+", metavar="FILE")
    v.add_argument("--show-uncited", type=int, default=10, metavar="N",
                   help="list up to N numbers that cite neither evidence nor assumption (default 10)")
    v.add_argument("--no-critique", dest="critique", action="store_false",
                   help="skip counting the model critique's findings (faster)")
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("schema", help="print the JSON Schema of scenario files")
    s.add_argument("-o", "--output", help="write to this file instead of standard output")
    s.add_argument("--force", action="store_true", help="replace an existing file that is not a Juncture schema")
    s.set_defaults(func=cmd_schema)

    e = sub.add_parser("evaluate", help="rank the options and show expected consequences")
    e.add_argument("file", metavar="FILE")
    e.add_argument("--world", help="evaluate in this world (alternative future) of the file")
    e.add_argument("--json", action="store_true", help="print JSON instead of tables")
    e.set_defaults(func=cmd_evaluate)

    m = sub.add_parser("matrix", help="print a comparison matrix")
    m.add_argument("file", metavar="FILE")
    m.add_argument("--kind", choices=MATRICES, default="consequences",
                   help="consequences (option x criterion), responses (option x actor response), "
                        "risks (likelihood and impact), outcomes (every event state), dominance")
    m.add_argument("--world", help="evaluate in this world of the file")
    fmt = m.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON")
    fmt.add_argument("--csv", action="store_true", help="print CSV")
    m.set_defaults(func=cmd_matrix)

    t = sub.add_parser("tree", help="show the rolled-back decision tree")
    t.add_argument("file", metavar="FILE")
    t.add_argument("--format", choices=("text", "dot", "mermaid", "json"), default="text")
    t.add_argument("--depth", default=None, metavar="N|all",
                   help=f"collapse the tree below this depth; 'all': the whole tree (default {TREE_DEPTH}, or the "
                        f"whole tree when it has at most {TREE_WHOLE} nodes)")
    t.add_argument("--ascii", action="store_true", help="plain ASCII instead of box-drawing characters")
    t.add_argument("--world", help="evaluate in this world of the file")
    t.add_argument("--json", action="store_true", help="same as --format json")
    t.set_defaults(func=cmd_tree)
