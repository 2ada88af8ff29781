"""What every command shares: its usage error, reading a scenario file (with a world), and writing.

A command module imports from here, never from `model.cli`: the cli sits above the commands and
only builds the parser from them. Nothing here imports a numerical library at import time, so
building the parser stays fast.
"""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path
from typing import Any

from ..io import Scenario, ScenarioError, load

EXIT_BAD_INPUT = 2
"""Exit code of bad input: a scenario with problems, or arguments that cannot be used."""


class UsageError(Exception):
    """Arguments that cannot be used; the message says what to do."""


def print_problems(err: ScenarioError) -> None:
    """Every problem of a scenario as FILE:LINE:COL: message, then how many (on stderr)."""
    for p in err.problems:
        print(p, file=sys.stderr)
    n = len(err.problems)
    print(f"{n} problem{'s' if n != 1 else ''} found; nothing was written.", file=sys.stderr)


# ------------------------------------------------------------------------------ reading a scenario
def load_scenario(path: str, world: str | None = None) -> Scenario:
    """The scenario in `path`; a `world` the file does not have is a usage error naming the ones it has."""
    sc = load(path)
    if world is not None and world not in sc.worlds:
        from ..io.errors import did_you_mean

        raise UsageError(f"no world '{world}' in {path}{did_you_mean(world, sc.worlds)} "
                         f"(worlds: {', '.join(sc.worlds) or 'none'})")
    return sc


def compile_file(path: str, world: str | None = None) -> Any:
    """The compiled model of the scenario in `path`, in `world` (None: the file's own numbers)."""
    from ..compile import compile_scenario

    return compile_scenario(load_scenario(path, world), world=world)


def evaluate_file(path: str, world: str | None = None) -> Any:
    """The point evaluation (every number at its point value) of the scenario in `path`, in `world`."""
    from ..evaluate import point

    return point(compile_file(path, world))


# ------------------------------------------------------------------------------ writing
def emit_json(obj: Any) -> None:
    """Print `obj` as the JSON every `--json` prints: indented, never NaN or infinity."""
    print(json.dumps(obj, indent=2, allow_nan=False))


def print_tables(*tables: Any) -> None:
    """Print each table as text, a blank line before each."""
    for t in tables:
        print()
        print(t.to_text())


def write_text(path: Path, text: str, force: bool = False) -> None:
    """Write through a temporary file so an interrupted run leaves no half file."""
    if path.is_dir():
        raise UsageError(f"{path} is a folder: give a file name to write")
    if not path.parent.is_dir():
        raise UsageError(f"no folder {path.parent} to write {path.name} in: create it first")
    if path.exists() and not force:
        raise UsageError(f"{path} exists: pass --force to replace it")
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def finite_or_none(x: Any) -> float | None:
    """`x` as a float, or None (JSON null) where it is NaN or infinite."""
    x = float(x)
    return x if math.isfinite(x) else None


def one_or_all(names: list[str]) -> Any:
    """A single name as itself, several (a tie) as the list."""
    return names[0] if len(names) == 1 else names
