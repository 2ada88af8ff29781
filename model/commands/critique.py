"""`juncture critique FILE...`: where the model's structure, not the world, decides the answer.

Thin: loads and compiles each file, calls `model.analysis.critique.critique`, prints the findings
as a table 100 columns wide (errors first) or as JSON. Exit 0 when no file has an error finding,
2 when one has (or a file cannot be read: its problems are printed as FILE:LINE:COL: message).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._common import UsageError, compile_file, emit_json, print_problems

EXIT_ERRORS = 2
WIDTH = 100
DEFAULT_SAMPLES = 4_000
"""Draws for the sampled checks (as `model.analysis.critique.DEFAULT_SAMPLES`: read here without
importing the analyses, so that building the parser stays fast)."""
MAX_SAMPLES = 1_000_000
"""Most draws the critique takes: it keeps every draw of every number (8 bytes each)."""


def cmd_critique(args: argparse.Namespace) -> int:
    from ..analysis.critique import critique
    from ..io import ScenarioError

    if not 2 <= args.samples <= MAX_SAMPLES:
        raise UsageError(f"--samples must be between 2 and {MAX_SAMPLES:,}; got {args.samples}")
    if hasattr(sys.stdout, "reconfigure"):  # names and titles need not be ASCII
        sys.stdout.reconfigure(errors="backslashreplace")
    bad = False
    results = []
    for k, f in enumerate(args.files):
        try:
            model = compile_file(f, args.world)
        except ScenarioError as e:
            print_problems(e)
            bad = True
            continue
        res = critique(model, samples=args.samples, seed=args.seed, progress=None)
        bad = bad or bool(res.errors)
        if args.json:
            results.append(res.to_dict())
        else:
            if k:
                print()
            print(f"{f}:")
            print(res.to_text(WIDTH))
    if args.json and results:
        emit_json(results[0] if len(args.files) == 1 else results)
    return EXIT_ERRORS if bad else 0


def register(sub: Any) -> None:
    from ..analysis import DEFAULT_SEED

    c = sub.add_parser("critique", help="where the model's structure, not the world, decides the answer",
                       description="Findings on a scenario's model: ranges the draws leave, implied trade-offs, "
                                   "overlapping criteria, load-bearing flags that do not match what moves the "
                                   "ranking, weight switches, value of information, unused parts, dominated "
                                   "options, a single benefit of acting, thresholds on fixed numbers. Exit 2 "
                                   "when a finding is an error.")
    c.add_argument("files", nargs="+", metavar="FILE")
    c.add_argument("--json", action="store_true",
                   help='print {"scenario", "findings": [{"code", "severity", "where", "message", "value"}]} '
                        "(a list of those for several files)")
    c.add_argument("--samples", type=int, default=DEFAULT_SAMPLES, metavar="N",
                   help=f"Monte Carlo draws for the sampled checks (default {DEFAULT_SAMPLES:,})")
    c.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="K",
                   help=f"random seed; the same seed gives the same findings (default {DEFAULT_SEED})")
    c.add_argument("--world", help="critique the model in this world of the file")
    c.set_defaults(func=cmd_critique)
