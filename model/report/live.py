"""The report served live while its scenario is edited (`juncture watch`): a small HTTP server on
127.0.0.1 that serves the report folder, adds to the page a script that reloads it when a new
build is done, and shows the file's problems (FILE:LINE:COL: message) instead of the report while
the file has errors.

Nothing here is written to disk: the reload script and the problems page are added as they are
served, so the folder holds exactly what `juncture report` would write.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .page import CSS, esc

STATUS_PATH = "/.juncture-watch.json"
"""Where the page asks for the build's version and state (served from memory, never a file)."""


@dataclass(frozen=True)
class Build:
    """The state of the live report: `version` counts finished builds; `state` is 'building',
    'ok' or 'problems'; `problems` the file's problems as FILE:LINE:COL: message; `note` one line
    on the last build (when it finished, how long it took)."""

    version: int = 0
    state: str = "building"
    problems: tuple[str, ...] = ()
    note: str = ""


class LiveState:
    """The current Build, shared by the watcher (which sets it) and the server (which reads it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._build = Build()

    @property
    def build(self) -> Build:
        with self._lock:
            return self._build

    def building(self) -> None:
        with self._lock:
            self._build = Build(self._build.version, "building", self._build.problems, self._build.note)

    def finished(self, problems: Sequence[str] = (), note: str = "") -> None:
        with self._lock:
            self._build = Build(self._build.version + 1, "problems" if problems else "ok", tuple(problems), note)


def reload_script(version: int) -> str:
    """A script that asks for STATUS_PATH every second, reloads the page when the version moves on,
    and shows a banner while a build runs or once the watcher has stopped."""
    return f"""<script>(function () {{
  var seen = {version}, bar = document.createElement("div");
  bar.style.cssText = "position:fixed;top:0;left:0;right:0;padding:4px 12px;font:14px sans-serif;" +
    "background:#f0e442;color:#000;z-index:9999;display:none";
  document.body.appendChild(bar);
  function show(text) {{ bar.textContent = text || ""; bar.style.display = text ? "block" : "none"; }}
  function poll() {{
    fetch("{STATUS_PATH}", {{cache: "no-store"}}).then(function (r) {{ return r.json(); }}).then(function (s) {{
      if (s.version !== seen) {{ location.reload(); return; }}
      show(s.state === "building" ? "Rebuilding after a save..." : "");
      setTimeout(poll, 1000);
    }}).catch(function () {{
      show("juncture watch has stopped: this page no longer updates");
      setTimeout(poll, 3000);
    }});
  }}
  setTimeout(poll, 1000);
}})();</script>"""


def problems_page(file: str, build: Build, kept: bool) -> str:
    """The page shown while the file has problems: each one as FILE:LINE:COL: message."""
    n = len(build.problems)
    items = "".join(f"<li><code>{esc(p)}</code></li>" for p in build.problems)
    last = ("The last report built from a version without problems is kept in the folder; this page "
            "shows it again once the file is fixed." if kept else "No report has been built yet.")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{esc(file)}: '
            f'{n} problem{"s" if n != 1 else ""} — juncture watch</title><style>{CSS}</style></head><body>'
            f"<h1>{esc(file)} has {n} problem{'s' if n != 1 else ''}</h1>"
            f"<p>Fix {'them' if n != 1 else 'it'} and save: the report is rebuilt and this page reloads. {last}</p>"
            f'<ul class="problems">{items}</ul>'
            f'<p class="note">{esc(build.note)}</p>'
            f"{reload_script(build.version)}</body></html>\n")


def waiting_page(file: str, build: Build) -> str:
    """The page shown before the first report is built."""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{esc(file)} — juncture watch'
            f"</title><style>{CSS}</style></head><body><h1>Building the report on {esc(file)}...</h1>"
            f"<p>This page shows it when it is ready.</p>{reload_script(build.version)}</body></html>\n")


def serve(folder: Path, state: LiveState, file: str, port: int = 0) -> http.server.ThreadingHTTPServer:
    """Serve `folder` on 127.0.0.1:`port` (0: any free port) in a background thread; the report
    page gets the reload script, or is replaced by the problems page while the file has problems.
    OSError when the port is taken. Stop it with `.shutdown()` and `.server_close()`."""
    report = folder / "report.html"

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, format, *args):  # type: ignore[no-untyped-def]  # quiet: one line per build is enough
            pass

        def send_text(self, body: str, kind: str) -> None:
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            build = state.build
            if path == STATUS_PATH:
                self.send_text(json.dumps({"version": build.version, "state": build.state,
                                           "problems": list(build.problems), "note": build.note}),
                               "application/json")
            elif path in ("/", "/report.html", "/index.html"):
                if build.problems:
                    self.send_text(problems_page(file, build, report.is_file()), "text/html")
                elif not report.is_file():
                    self.send_text(waiting_page(file, build), "text/html")
                else:
                    page = report.read_text(encoding="utf-8")
                    script = reload_script(build.version)
                    at = page.rfind("</body>")
                    self.send_text(page[:at] + script + page[at:] if at >= 0 else page + script, "text/html")
            else:
                super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="juncture-watch-server", daemon=True).start()
    return server


__all__ = ["STATUS_PATH", "Build", "LiveState", "problems_page", "reload_script", "serve", "waiting_page"]
