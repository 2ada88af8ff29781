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
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from ..analysis.names import display_names
from ..io import Scenario, ScenarioError, load
from ..results import note_lines, text_width, wrap

EXIT_BAD_INPUT = 2
"""Exit code of bad input: a scenario with problems, or arguments that cannot be used."""


class UsageError(Exception):
    """Arguments that cannot be used; the message says what to do."""


def plain(message: str) -> str:
    """A message for the analyst: without the 'function(): ' a library error starts with for
    Python callers (a command passes the library's ValueError on as a UsageError)."""
    import re

    return re.sub(r"^[A-Za-z_][\w.]*\(\): ", "", message)


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


# ------------------------------------------------------------------------------ progress
QUIET_HELP = "show no progress on the terminal (progress is never shown when stderr is not a terminal)"


class Working:
    """'LABEL: [####......] 7/21 sections (12.3 s)' on stderr, updated in place while a long job
    runs (the report; `step` says how far it is, else 'working'). Only on a terminal, only after `delay` seconds, and never
    when `quiet`; the line is cleared at the end, so nothing is left in the output."""

    def __init__(self, label: str, quiet: bool = False, delay: float = 0.5) -> None:
        import threading

        self.label, self.delay = label, delay
        try:
            tty = sys.stderr is not None and sys.stderr.isatty()
        except (AttributeError, ValueError):
            tty = False
        self.on = tty and not quiet
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True) if self.on else None
        self.shown = 0
        self.done = ""

    def step(self, done: int, total: int, what: str) -> None:
        """Say how far the work is: `done` of `total` steps, the last one `what`."""
        width = 20
        fill = round(width * done / max(total, 1))
        self.done = f"[{'#' * fill}{'.' * (width - fill)}] {done}/{total} {what}"

    def _run(self) -> None:
        import time

        t0 = time.perf_counter()
        if self.stop.wait(self.delay):
            return
        while not self.stop.is_set():
            text = f"{self.label}: {self.done or 'working'} ({time.perf_counter() - t0:.1f} s)"
            sys.stderr.write("\r" + text.ljust(self.shown))
            sys.stderr.flush()
            self.shown = len(text)
            self.stop.wait(0.2)

    def __enter__(self) -> Working:
        if self.thread is not None:
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.thread is not None:
            self.stop.set()
            self.thread.join()
            if self.shown:
                sys.stderr.write("\r" + " " * self.shown + "\r")
                sys.stderr.flush()


# ------------------------------------------------------------------------------ workers
def add_cluster_arguments(parser: Any) -> None:
    """--workers N and --scheduler ADDRESS (one or the other, but for a batch system), read by `cluster`."""
    parser.add_argument("--workers", type=int, metavar="N",
                        help="run the blocks of samples on N worker processes started here (needs Dask; the "
                             "numbers are the same as without); with --scheduler slurm (pbs, ...): N batch jobs")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run them on a running Dask cluster: its scheduler's address (tcp://HOST:8786) or "
                             "scheduler file; or slurm, pbs, sge, lsf, htcondor, moab, oar: submit the workers "
                             "as batch jobs with dask-jobqueue, set up in ~/.config/dask/jobqueue.yaml")


@contextmanager
def cluster(args: Any) -> Iterator[Any]:
    """The Dask client that --workers or --scheduler ask for, closed at the end (None: neither).

    Without Dask installed, --workers runs here and says how to install it (the numbers are the
    same); --scheduler is a usage error saying the same. A scheduler out of reach, or workers
    with other versions, is a usage error."""
    from ..analysis import blocks

    workers, scheduler = getattr(args, "workers", None), getattr(args, "scheduler", None)
    if workers is not None and workers < 1:
        raise UsageError(f"--workers must be 1 or more; got {workers}")
    if workers is not None and scheduler is not None and scheduler.lower() not in blocks.BATCH_SYSTEMS:
        raise UsageError("give --workers N (workers started here) or --scheduler ADDRESS (a running cluster), "
                         f"not both; --workers goes with --scheduler {'|'.join(blocks.BATCH_SYSTEMS)} as the "
                         "number of batch jobs")
    if (workers is not None or scheduler is not None) and not blocks.dask_available():
        if scheduler is not None:
            raise UsageError(f"--scheduler needs Dask, which is not installed here: {blocks.INSTALL}")
        print(f"juncture {getattr(args, 'command', '')}: Dask is not installed here, so the samples run in this "
              f"process (the numbers are the same); to run them on {workers} workers: {blocks.INSTALL}",
              file=sys.stderr)
        workers = None
    with ExitStack() as stack:
        try:
            client = stack.enter_context(blocks.connect(workers, scheduler))
        except (blocks.ClusterError, ValueError) as e:
            raise UsageError(str(e)) from None
        yield client


# ------------------------------------------------------------------------------ writing
def emit_json(obj: Any) -> None:
    """Print `obj` as the JSON every `--json` prints: indented, never NaN or infinity."""
    print(json.dumps(obj, indent=2, allow_nan=False))


def print_tables(*tables: Any, scenario: Any = None) -> None:
    """Print each table as text, a blank line before each; with `scenario`, its names for ids."""
    for t in tables:
        print()
        print(show(t, scenario))


def say(text: str = "", indent: str = "", hang: str = "    ") -> None:
    """Print a line of prose wrapped at the terminal width (`results.text_width`, 100 at most by
    default): its first line indented by `indent`, the later ones by `indent + hang`."""
    for line in wrap(text, None, indent, indent + hang) if text else [""]:
        print(line)


def say_notes(notes: Any) -> None:
    """Print each note as `note: ...`, wrapped at the terminal width with an indent."""
    for line in note_lines(list(notes), text_width()):
        print(line)


names = display_names
"""id -> display name (`model.analysis.names.display_names`), for the text tables."""


def show(table: Any, scenario: Any = None) -> str:
    """A table as text at the terminal width, with the scenario's names for its ids."""
    return table.with_labels(names(scenario)).to_text() if scenario is not None else table.to_text()


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


# ------------------------------------------------------------------------------ figures beside a command's text
FIGURE_HELP = "also write the figure to PATH (.png, .svg or .pdf; no suffix: all three)"


def check_figure_path(path: str, force: bool = False) -> None:
    """Refuse, before any work, a figure path that cannot be written: an unknown suffix, a file that
    exists (without --force), a folder that does not. Imports matplotlib only to read the suffixes."""
    from ..plots.style import targets

    try:
        paths = targets(path)
    except ValueError as e:
        raise UsageError(str(e).removeprefix("save(): ")) from None
    exist = [str(p) for p in paths if p.exists()]
    if exist and not force:
        raise UsageError(f"{', '.join(exist)} exist{'s' if len(exist) == 1 else ''}: pass --force to replace")
    missing = sorted({str(p.parent) for p in paths if not p.parent.is_dir()})
    if missing:
        raise UsageError(f"no directory {', '.join(missing)} to write in")


def write_figure(drawn: Any, path: str, force: bool = False) -> list[Path]:
    """Save a drawn figure (its Axes or Figure) to `path` and say where, on stderr so that the
    command's text or JSON on stdout stays as it is."""
    from ..plots import save

    try:
        written = save(drawn, path, force=force)
    except FileExistsError as e:  # made by someone else while we drew
        raise UsageError(f"{e}".replace("force=True (--force on the command line)", "--force")) from None
    for p in written:
        print(f"wrote {p}", file=sys.stderr)
    return written
