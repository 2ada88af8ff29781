"""The `juncture` command: parse arguments, call the library, print tables, write files.

Exit codes: 0 done; 2 bad input (every problem printed as FILE:LINE:COL: message); 1 an
internal error (reported in one line, never a traceback unless JUNCTURE_DEBUG is set).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from .io import ScenarioError, iter_numbers, load

EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """Arguments that cannot be used; the message says what to do."""


def _print_problems(err: ScenarioError) -> None:
    for p in err.problems:
        print(p, file=sys.stderr)
    n = len(err.problems)
    print(f"{n} problem{'s' if n != 1 else ''} found; nothing was written.", file=sys.stderr)


def _emit_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2, allow_nan=False))


# ---------------------------------------------------------------------------- validate / schema
def cmd_validate(args: argparse.Namespace) -> int:
    bad = 0
    for f in args.files:
        try:
            sc = load(f)
        except ScenarioError as e:
            _print_problems(e)
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
    return EXIT_BAD_INPUT if bad else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .io.schema import schema_json

    text = schema_json()
    if args.output:
        _write_text(Path(args.output), text, force=True)
    else:
        sys.stdout.write(text)
    return 0


def _write_text(path: Path, text: str, force: bool = False) -> None:
    """Write through a temporary file so an interrupted run leaves no half file."""
    if path.exists() and not force:
        raise UsageError(f"{path} exists: pass --force to replace it")
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# ---------------------------------------------------------------------------- the parser
def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    p = argparse.ArgumentParser(prog="juncture", description="Compare policy options under uncertainty.")
    p.add_argument("--version", action="version", version=f"juncture {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    v = sub.add_parser("validate", help="check scenario files and summarise them")
    v.add_argument("files", nargs="+", metavar="FILE")
    v.add_argument("--show-uncited", type=int, default=10, metavar="N",
                   help="list up to N numbers that cite neither evidence nor assumption (default 10)")
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("schema", help="print the JSON Schema of scenario files")
    s.add_argument("-o", "--output", help="write to this file instead of standard output")
    s.set_defaults(func=cmd_schema)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return p


_EXTRA_COMMANDS: list[Callable[[Any], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return int(args.func(args) or 0)
    except ScenarioError as e:
        _print_problems(e)
        return EXIT_BAD_INPUT
    except UsageError as e:
        print(f"juncture {args.command}: {e}", file=sys.stderr)
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
