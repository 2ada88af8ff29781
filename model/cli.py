"""The `juncture` command: build the parser from the command modules, run the command, map errors to exit codes.

Exit codes: 0 done; 2 bad input (every problem printed as FILE:LINE:COL: message); 1 an
internal error (reported in one line, never a traceback unless JUNCTURE_DEBUG is set).

Every command lives in `model.commands` (one module each, with `register(subparsers)`); this
module only assembles them, so it sits above them and nothing imports it but the entry points.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .commands import register_all
from .commands._common import EXIT_BAD_INPUT, UsageError, plain, print_problems
from .commands.core import evaluation_json
from .io import ScenarioError, load


def build_parser() -> argparse.ArgumentParser:
    from .version import __version__

    p = argparse.ArgumentParser(prog="juncture", description="Compare policy options under uncertainty.")
    p.add_argument("--version", action="version", version=f"juncture {__version__}")
    register_all(p.add_subparsers(dest="command", metavar="COMMAND"))
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return int(args.func(args) or 0)
    except ScenarioError as e:
        print_problems(e)
        return EXIT_BAD_INPUT
    except UsageError as e:
        print(f"juncture {args.command}: {plain(str(e))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as e:  # a bug: one line, not a traceback, unless asked for
        if os.environ.get("JUNCTURE_DEBUG"):
            raise
        print(f"juncture {args.command}: internal error: {type(e).__name__}: {e} "
              "(set JUNCTURE_DEBUG=1 for the traceback; please report it)", file=sys.stderr)
        return 1


__all__ = ["EXIT_BAD_INPUT", "UsageError", "build_parser", "evaluation_json", "load", "main"]
