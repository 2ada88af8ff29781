"""`juncture examples [--copy DIR]` (the scenarios that ship with Juncture) and `juncture new FILE`
(a commented starter), each written with the schema beside it so that an editor checks the file
wherever it is. Neither ever replaces a file."""

from __future__ import annotations

import argparse
from shlex import quote
from pathlib import Path
from typing import Any

from ..io.examples import SCHEMA_NAME, TEMPLATES
from ..results import text_width
from ._common import UsageError, say


def cmd_examples(args: argparse.Namespace) -> int:
    from ..io.examples import clashes, copy_plan, examples, write_plan

    try:
        found = examples()
    except FileNotFoundError as e:
        raise UsageError(str(e)) from None
    if args.copy is None:
        say(f"The scenarios that ship with Juncture ({len(found)}; `juncture examples --copy DIR` copies them "
            "with their schema):")
        width = max(len(x.name) for x in found)
        room = max(text_width() - width - 4, 20)
        for x in found:
            line = x.question or x.title
            if len(line) > room:  # one line each: the file itself has the whole question
                line = line[: room - 3].rsplit(" ", 1)[0].rstrip(",;:") + "..."
            print(f"  {x.name.ljust(width)}  {line}")
        say(f"Starters for a scenario of your own: juncture new FILE --template {'|'.join(TEMPLATES)}")
        return 0
    dest = Path(args.copy)
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} is a file, not a folder: give a folder to copy the examples into")
    plan = copy_plan(dest)
    clash = clashes(plan)
    if clash:
        shown = ", ".join(str(p) for p in clash[:3]) + (f" and {len(clash) - 3} more" if len(clash) > 3 else "")
        raise UsageError(f"{shown} already exist{'s' if len(clash) == 1 else ''} with other content: "
                         "`juncture examples --copy` never replaces a file; give a new or empty folder, "
                         "or move those files away first")
    written = write_plan(plan)
    kept = len(plan) - len(written)
    say(f"copied {len(written)} file{'s' if len(written) != 1 else ''} into {dest}"
        + (f" ({kept} already there, unchanged)" if kept else "")
        + f"; the schema is {dest / SCHEMA_NAME}")
    first = quote(str(dest / "venezuela.yaml"))
    say(f"next: juncture validate {first}   or   juncture report {first} -o report/")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from ..io.examples import scenario_id_for, template_text
    from ..io.schema import schema_json

    path = Path(args.file)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"give a file name ending in .yaml (editors recognise scenario files by it): "
                         f"juncture new {path.with_suffix('.yaml') if path.suffix else str(path) + '.yaml'}")
    if path.exists():
        raise UsageError(f"{path} exists: `juncture new` never replaces a file; give another name, or move "
                         f"{path} away first")
    if path.parent.exists() and not path.parent.is_dir():
        raise UsageError(f"{path.parent} is a file, not a folder: give a path in a folder")
    text = template_text(args.template, scenario_id_for(path))
    schema = path.parent / SCHEMA_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as fh:  # 'x': never over a file that appeared meanwhile
        fh.write(text)
    if not schema.exists():
        schema.write_text(schema_json(), encoding="utf-8")
        beside = f"and the schema {schema} beside it"
    elif schema.is_file() and schema.read_text(encoding="utf-8", errors="replace") == schema_json():
        beside = f"beside the schema {schema}"
    else:
        beside = (f"beside {schema}, which differs from this version's schema and was left as it is "
                  f"(`juncture schema -o {schema}` replaces it)")
    say(f"wrote {path} (template {args.template}: {TEMPLATES[args.template]}) {beside}")
    say(f"next: edit it, then juncture validate {quote(str(path))}   or   juncture watch {quote(str(path))} "
        "-o report/")
    return 0


def register(sub: Any) -> None:
    e = sub.add_parser("examples", help="list the scenarios that ship with Juncture, or copy them to a folder",
                       description="List the bundled scenarios (the Venezuela case and textbook problems with "
                                   "published answers) with the question each asks; with --copy, copy them into "
                                   "a folder with the schema beside them. Never replaces a file.")
    e.add_argument("--copy", metavar="DIR", help="copy them into DIR (created if needed)")
    e.set_defaults(func=cmd_examples)

    n = sub.add_parser("new", help="write a commented starter scenario to edit",
                       description="Write FILE: a commented starter scenario that validates, each block "
                                   "explained, with the schema (scenario.schema.json) beside it for editors. "
                                   "Never replaces a file.",
                       epilog="templates: " + "; ".join(f"{k}: {v}" for k, v in TEMPLATES.items()))
    n.add_argument("file", metavar="FILE", help="the file to write (.yaml)")
    n.add_argument("--template", choices=tuple(TEMPLATES), default="minimal",
                   help="which starter (default minimal; the list is below)")
    n.set_defaults(func=cmd_new)


__all__ = ["cmd_examples", "cmd_new", "register"]
