"""`juncture ach FILE`: analysis of competing hypotheses (Heuer) over an event's states, usually an
actor's hidden type: the consistency matrix, each hypothesis's weighted inconsistency, each item's
diagnosticity and, with likelihoods, the posterior."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._common import UsageError, load_scenario, print_tables, say


def cmd_ach(args: argparse.Namespace) -> int:
    from ..analysis.ach import ach, ach_events

    sc = load_scenario(args.file)
    found = [e.id for e in ach_events(sc)]
    if args.event is None and len(found) > 1:
        raise UsageError(f"{args.file}: several events have hypotheses ({', '.join(found)}): name one with --event")
    try:
        res = ach(sc, args.event)
    except ValueError as e:
        raise UsageError(f"{args.file}: {e}") from None
    if args.json:
        print(res.to_json())
        return 0
    labels = {e: e.replace("_", " ") for e in res.items}
    print_tables(res.table(), res.matrix_table(labels))
    print()
    say("Evidence, most diagnostic first:")
    by_id = {e.id: e for e in sc.evidence}
    for e in res.items:
        item = by_id[e]
        src = sc.sources.get(item.source)
        grade = f"{(src.reliability if src else None) or '?'}{item.credibility or '?'}"
        outlet = (src.outlet or src.speaker) if src else item.source
        say(f"{labels[e]}: {item.claim} ({outlet}, {grade}; credibility {res.credibility[e]}, relevance "
            f"{res.relevance[e]})", indent="  ")
    return 0


def register(sub: Any) -> None:
    a = sub.add_parser("ach", help="analysis of competing hypotheses: the consistency matrix, weighted "
                                   "inconsistency, diagnosticity and, with likelihoods, the posterior")
    a.add_argument("file", metavar="FILE")
    a.add_argument("--event", metavar="EVENT", help="the event whose states are the hypotheses (needed only when "
                                                    "several events have hypotheses)")
    a.add_argument("--json", action="store_true", help="print JSON")
    a.set_defaults(func=cmd_ach)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run as: juncture ach FILE")
