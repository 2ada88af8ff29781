"""`juncture brief FILE [-o brief.md]`: the bottom line and key judgments as Markdown, one page.

The same text the report's "Bottom line" and "Key judgments" sections show, built by
`model.analysis.judgments` from a Monte Carlo run (P(best)), the sensitivity thresholds on the
weights and ranged numbers, the indicators' watch-list and the signals' credibility.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ._common import UsageError, emit_json, load_scenario, write_text


def cmd_brief(args: argparse.Namespace) -> int:
    from ..analysis.judgments import judgments
    from ..compile import compile_scenario

    if args.samples < 100:
        raise UsageError(f"--samples must be at least 100 for a brief; got {args.samples}")
    sc = load_scenario(args.file, args.world)
    j = judgments(compile_scenario(sc, world=args.world), samples=args.samples, seed=args.seed)
    if args.json:
        emit_json(j.to_dict())
        return 0
    text = j.markdown()
    if args.output:
        write_text(Path(args.output), text, force=args.force)
        print(args.output)
    else:
        print(text, end="")
    return 0


def register(sub: Any) -> None:
    from ..analysis import DEFAULT_SEED

    p = sub.add_parser("brief", help="the bottom line and key judgments as Markdown (one page)",
                       description="Print the bottom line (options ranked with P(best) in estimative words, "
                                   "agreement of methods and weightings, switch points, indicators, load-bearing "
                                   "assumptions) and the key judgments with likelihood and confidence, as Markdown.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", metavar="PATH", help="write the Markdown to PATH instead of printing it")
    p.add_argument("--world", help="judge in this world (alternative future) of the file")
    p.add_argument("--samples", type=int, default=2_000, metavar="N", help="Monte Carlo draws (default 2,000)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="K", help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--json", action="store_true", help="print the judgments as JSON instead")
    p.add_argument("--force", action="store_true", help="replace PATH if it exists")
    p.set_defaults(func=cmd_brief)
