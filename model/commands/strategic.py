"""Commands for strategic actors: `signals` (credibility), `update` (indicators, Bayes, watch-list)
and `ladder` (escalation)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ._common import UsageError, compile_file, emit_json, print_tables, say, say_notes, show, write_text

YES = {"yes", "y", "true", "seen", "1"}
NO = {"no", "n", "false", "not_seen", "unseen", "0"}


# ---------------------------------------------------------------------------------- signals
def cmd_signals(args: argparse.Namespace) -> int:
    from ..analysis.strategic import credibility, game_notes

    m = compile_file(args.file, args.world)
    if not m.scenario.signals:  # a valid file with nothing to assess: say so, not an error
        if args.json:
            emit_json({"scenario": m.scenario.meta.id, "world": m.world, "signals": {}, "notes": []})
        else:
            say(f"{args.file} states no signals (actors.<id>.signals): nothing to assess")
        return 0
    cred = credibility(m)
    notes = game_notes(m)
    if args.json:
        emit_json({"scenario": m.scenario.meta.id, "world": m.world, "signals": cred.to_dict(), "notes": notes})
    else:
        print(show(cred.to_table(), m.scenario))
        say_notes(notes)
    return 0


# ---------------------------------------------------------------------------------- update
def _observations(items: list[str]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for item in items:
        name, _, val = item.partition("=")
        name = name.strip()
        v = (val or "yes").strip().lower()
        if v not in YES | NO:
            raise UsageError(f"--observe {item}: say yes or no after '=' (seen or not seen)")
        if name in out:
            raise UsageError(f"--observe names '{name}' twice")
        out[name] = v in YES
    return out


def cmd_update(args: argparse.Namespace) -> int:
    from ..analysis.indicators import OutsideSolved, default_output, posterior, updated_text, watch_list
    from ..io import loads

    m = compile_file(args.file)
    sc = m.scenario
    if not sc.indicators:
        raise UsageError(f"{args.file} states no indicators (indicators:)")
    if not args.observe:
        wl = watch_list(m)
        if args.json:
            emit_json({"scenario": sc.meta.id, "watch_list": wl.to_dict()})
        else:
            print(show(wl.to_table(), sc))
            print()
            say("Nothing was written: name what was seen with --observe INDICATOR[=yes|no].")
        return 0
    observed = _observations(args.observe)
    for entry in sc.history:
        again = sorted(set(entry.observed) & set(observed))
        if again and not args.again:
            raise UsageError(f"{', '.join(again)} already counted in this file's history ({entry.date or 'undated'}): "
                             "an update counts each sighting once; pass --again for a new, independent sighting")
    try:
        upd = posterior(m, observed)
    except OutsideSolved as e:
        raise UsageError(str(e)) from None
    except ValueError as e:
        raise UsageError(str(e)) from None
    src = Path(args.file)
    out = Path(args.output) if args.output else default_output(src)
    if out.resolve() == src.resolve():
        raise UsageError(f"{out} is the input file: update never writes over the original; choose another -o")
    text = src.read_text(encoding="utf-8")
    try:
        new_text = updated_text(text, upd, src.name, args.date)
    except OutsideSolved as e:
        raise UsageError(str(e)) from None
    check = loads(new_text, str(out))          # what is written must load, with the new numbers
    _verify(check, upd)
    if not args.dry_run:
        write_text(out, new_text, force=args.force)
    if args.json:
        emit_json({"scenario": sc.meta.id, **upd.to_dict(), "written": None if args.dry_run else str(out)})
        return 0
    print(show(upd.to_table(), sc))
    print_tables(upd.comparison(), scenario=sc)
    print()
    say(f"dry run: nothing written (would write {out})" if args.dry_run else f"wrote {out}")
    return 0


def _verify(sc: Any, upd: Any) -> None:
    """The written file holds the posterior (at its point values, to 1e-6)."""
    for r in upd.rows:
        row = next(x for x in sc.event(r.event).probability if x.conditions == r.conditions)
        for k, s in enumerate(r.states):
            n = row.probabilities.get(s)
            if n is not None and abs(n.point - r.posterior[k]) > 1e-6:
                raise RuntimeError(f"update wrote {r.name}.{s} = {n.point} instead of {r.posterior[k]}")


# ---------------------------------------------------------------------------------- ladder
def cmd_ladder(args: argparse.Namespace) -> int:
    from ..analysis.escalation import ladder, ladder_draws
    from ..evaluate import point

    m = compile_file(args.file, args.world)
    if m.scenario.escalation is None:
        raise UsageError(f"{args.file} has no escalation ladder (escalation:)")
    if args.samples is not None and args.samples < 1:
        raise UsageError("--samples must be 1 or more")
    lad = ladder_draws(m, args.samples, seed=args.seed) if args.samples else ladder(point(m))
    if args.json:
        emit_json({"scenario": m.scenario.meta.id, "world": m.world, **lad.to_dict()})
    else:
        print(show(lad.to_table(), m.scenario))
    return 0


def register(sub: Any) -> None:
    s = sub.add_parser("signals", help="credibility of the actors' signals: does each actor prefer to follow through?")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--world", help="judge in this world of the file")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=cmd_signals)

    u = sub.add_parser("update", help="Bayes update on observed indicators, written to a new file; "
                                      "without --observe, the watch-list of indicators")
    u.add_argument("file", metavar="FILE")
    u.add_argument("--observe", action="append", default=[], metavar="INDICATOR[=yes|no]",
                   help="an indicator seen (=yes, the default) or looked for and not seen (=no); repeatable")
    u.add_argument("-o", "--output", help="the new scenario file (default: FILE's name with .updated before "
                                          ".yaml); never the input")
    u.add_argument("--force", action="store_true", help="replace the output file if it exists")
    u.add_argument("--dry-run", action="store_true", help="show the update, write nothing")
    u.add_argument("--again", action="store_true", help="count an indicator the file's history already logged")
    u.add_argument("--date", help="date logged in history (default: today, YYYY-MM-DD)")
    u.add_argument("--json", action="store_true", help="print JSON")
    u.set_defaults(func=cmd_update)

    la = sub.add_parser("ladder", help="escalation ladder: each option's probability of each rung and threshold")
    la.add_argument("file", metavar="FILE")
    la.add_argument("--world", help="evaluate in this world of the file")
    la.add_argument("--samples", type=int, default=None, metavar="N",
                    help="Monte Carlo draws of the file's numbers (default: point values only)")
    la.add_argument("--seed", type=int, default=None, help="seed of the draws (default: the project's fixed seed)")
    la.add_argument("--json", action="store_true", help="print JSON")
    la.set_defaults(func=cmd_ladder)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run as: juncture signals|update|ladder ...")
