"""`juncture watch FILE -o DIR`: the edit loop. Build the report, serve DIR on 127.0.0.1, and rebuild
on every save of FILE; the open page reloads itself, and shows the file's problems (FILE:LINE:COL)
instead of a stale report while it has any. Ctrl-C stops. Nothing is written outside DIR.

The report is the one `juncture report` writes (`model.report.build_report` / `write_report`);
the serving and reloading are `model.report.live`. Changes are seen through `watchfiles`, which
waits on the operating system's file events rather than polling.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from ._common import QUIET_HELP, UsageError, Working

DEFAULT_PORT = 8765


_NEVER = object()
"""What the file held before the first build: unlike any content, or the file's absence."""


def _content(path: Path) -> bytes | None:
    """The file's bytes (None when it cannot be read): a rebuild follows a change of these, not
    every event (an editor may touch the file, or report one save as several events)."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def _now() -> str:
    return time.strftime("%H:%M:%S")


def _build(args: argparse.Namespace, out: Path, first: bool, bar: Any) -> list[str]:
    """Load FILE and write its report into `out`; returns the file's problems (none when the report
    was written). A folder holding files a report did not write stops the first build (a usage
    error) and is reported as a problem on later ones."""
    from ..io import ScenarioError
    from ..report import build_report, write_report
    from ._common import load_scenario

    try:
        sc = load_scenario(args.file)
    except ScenarioError as e:
        return [str(p) for p in e.problems]
    try:
        report = build_report(sc, samples=args.samples, seed=args.seed, tree_depth=args.depth,
                              on_section=lambda k, n, name: bar.step(k, n, f"sections ({name})"))
        write_report(report, out, force=args.force)
    except FileExistsError as e:
        if first:
            raise UsageError(str(e)) from None
        return [f"{out}: {e}"]
    except Exception as e:  # a bug: say it on the page and keep watching, rather than stop the loop
        return [f"{args.file}: the report could not be built (internal error: {type(e).__name__}: {e}); "
                "please report it"]
    return []


def _stop_on_sigterm() -> None:
    """Stop on SIGTERM (a service manager, `kill`) as on Ctrl-C: the server is closed and the
    last report kept."""
    import signal
    import threading

    def stop(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, stop)


def cmd_watch(args: argparse.Namespace) -> int:
    try:
        from watchfiles import watch
    except ImportError:  # pragma: no cover - a core dependency; only a broken install lacks it
        raise UsageError("juncture watch needs the watchfiles package: pip install watchfiles") from None
    from ..report.live import LiveState, serve

    file = Path(args.file)
    out = Path(args.output)
    if not file.is_file():
        raise UsageError(f"no file {file} to watch: check the path")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file, not a folder: give a folder for the report")
    if args.samples < 100:
        raise UsageError(f"--samples must be at least 100 for a report; got {args.samples}")
    if args.depth is not None and args.depth < 0:
        raise UsageError("--depth must be 0 or more")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 1 and 65535 (or 0 for any free port); got {args.port}")
    state = LiveState()
    try:
        server = serve(out, state, str(file), args.port)
    except OSError as e:
        raise UsageError(f"cannot serve on 127.0.0.1:{args.port} ({e.strerror or e}): give another port with "
                         "--port, or --port 0 for any free one") from None
    out.mkdir(parents=True, exist_ok=True)   # after the port: a failed start leaves nothing behind
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"serving {out} at {url} (Ctrl-C stops); watching {file}", flush=True)
    if args.open:
        import webbrowser

        webbrowser.open(url)
    target = file.resolve()
    _stop_on_sigterm()
    # the folder is watched, not the file: editors save by writing a new file and renaming it over
    # the old one. One watcher for the whole run, so a save made during a build is not missed.
    changes = watch(target.parent, watch_filter=lambda _change, path: Path(path) == target,
                    recursive=False, debounce=400, step=100)
    built: object = _NEVER
    try:
        first = True
        while True:
            current = _content(target)
            if current == built:        # nothing new since the last build: wait for a save
                next(changes)
                continue
            built = current
            state.building()
            t0 = time.perf_counter()
            with Working(f"report on {file}", quiet=args.quiet) as bar:
                problems = _build(args, out, first, bar)
            took = time.perf_counter() - t0
            if problems:
                n = len(problems)
                note = f"{_now()}: {file} has {n} problem{'s' if n != 1 else ''}; nothing was written"
                print(note, file=sys.stderr, flush=True)
                for p in problems:
                    print(f"  {p}", file=sys.stderr, flush=True)
            else:
                note = f"{_now()}: report rebuilt in {took:.1f} s: {out / 'report.html'}"
                print(note, flush=True)
            state.finished(problems, note)
            first = False
    except KeyboardInterrupt:
        pass
    finally:
        changes.close()
        server.shutdown()
        server.server_close()
    print(f"stopped; the last report is in {out}", flush=True)
    return 0


def register(sub: Any) -> None:
    from ..analysis import DEFAULT_SEED

    w = sub.add_parser(
        "watch", help="rebuild the report on every save and serve it to the browser, which reloads itself",
        description="Build the report on FILE into DIR, serve DIR on 127.0.0.1 and rebuild on every save of "
                    "FILE: the open page reloads itself, and shows the file's problems (FILE:LINE:COL) "
                    "instead of the report while it has any. Ctrl-C stops. Nothing is written outside DIR.")
    w.add_argument("file", metavar="FILE")
    w.add_argument("-o", "--output", default="report", metavar="DIR", help="folder of the report (default: report)")
    w.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="P",
                   help=f"port on 127.0.0.1 (default {DEFAULT_PORT}; 0: any free port, printed at the start)")
    w.add_argument("--open", action="store_true", help="open the page in the web browser")
    w.add_argument("--samples", type=int, default=10_000, metavar="N",
                   help="Monte Carlo samples (default 10,000, as `juncture report`; fewer rebuild faster)")
    w.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="K", help=f"random seed (default {DEFAULT_SEED})")
    w.add_argument("--depth", type=int, default=None, metavar="N", help="collapse the tree figure below this depth")
    w.add_argument("--force", action="store_true", help="replace files in DIR that an earlier report did not write")
    w.add_argument("--quiet", action="store_true", help=QUIET_HELP)
    w.set_defaults(func=cmd_watch)


__all__ = ["DEFAULT_PORT", "cmd_watch", "register"]
