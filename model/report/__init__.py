"""The report: one self-contained HTML file a policy analyst can send as it is.

`build_report(scenario, ...)` runs the analyses, draws their figures and returns the page and the
figures; `write_report(...)` writes `report.html` (figures inline as SVG, no network needed to view
it) and each figure as PNG beside it. It never overwrites a file it did not write unless forced,
and writes through a temporary folder so that an interrupted run leaves no half report.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import html
import io
import json
import os
import platform
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..io import Scenario, iter_numbers
from ..results import Table

GENERATOR = "juncture"
MANIFEST = ".juncture-report.json"
"""Lists the files a report wrote, so a later run may replace them and nothing else."""


@dataclass
class Figure:
    """One figure of the report: its file stem, caption, SVG text and PNG bytes."""

    stem: str
    caption: str
    svg: str
    png: bytes


@dataclass
class Report:
    """A built report: the HTML page and its figures (not yet written anywhere)."""

    html: str
    figures: list[Figure] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)


def _esc(x: Any) -> str:
    return html.escape("" if x is None else str(x))


def render_figure(draw: Callable[[Any], Any], stem: str, caption: str,
                  figsize: tuple[float, float] | None = None) -> Figure:
    """Draw with `draw(ax)` and keep the figure as SVG (inline) and PNG (beside).

    With `figsize`, `draw` gets the Axes of a new figure of that size; without, it gets None and
    makes its own figure (figures that size themselves to their content, such as the tree).
    """
    from matplotlib.figure import Figure as MplFigure

    if figsize is not None:
        fig = MplFigure(figsize=figsize)
        draw(fig.add_subplot())
        fig.tight_layout()
    else:
        fig = draw(None).figure
    svg_buf, png_buf = io.StringIO(), io.BytesIO()
    fig.savefig(svg_buf, format="svg", bbox_inches="tight")
    fig.savefig(png_buf, format="png", dpi=150, bbox_inches="tight")
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:  # a figure pyplot made (in a notebook, say) is released, not kept open
        pyplot.close(fig)
    svg = svg_buf.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prologue: the SVG sits inside HTML
    return Figure(stem, caption, svg, png_buf.getvalue())


class _Page:
    """Collects the sections of the page and its figures."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.toc: list[tuple[str, str]] = []
        self.figures: list[Figure] = []

    def section(self, anchor: str, title: str) -> None:
        self.toc.append((anchor, title))
        self.parts.append(f'<h2 id="{anchor}">{_esc(title)}</h2>')

    def p(self, text: str) -> None:
        self.parts.append(f"<p>{_esc(text)}</p>")

    def raw(self, fragment: str) -> None:
        self.parts.append(fragment)

    def table(self, tab: Table) -> None:
        self.parts.append(f'<div class="table">{tab._repr_html_()}</div>')

    def figure(self, fig: Figure) -> None:
        self.figures.append(fig)
        self.parts.append(f'<figure id="fig-{fig.stem}">{fig.svg}<figcaption>{_esc(fig.caption)} '
                          f'<a href="{fig.stem}.png">PNG</a></figcaption></figure>')


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .5em;
text-align:right;vertical-align:top}th{background:#f3f6f9}tbody th{text-align:left}
td.text,th.text{text-align:left}.meta{color:#555;font-size:.9em}.note{background:#fff8e1;border-left:4px solid
#E69F00;padding:.5em 1em}figure{margin:1em 0}figure svg{max-width:100%;height:auto}figcaption{font-size:.9em;
color:#444}nav ol{columns:2}.table{overflow-x:auto}.lb{font-weight:bold;color:#D55E00}
"""


def _text_table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f'<th class="text">{_esc(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="text">{c if isinstance(c, _Html) else _esc(c)}</td>' for c in r)
                   + "</tr>" for r in rows)
    return f'<div class="table"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


class _Html(str):
    """Text already escaped for HTML."""


def file_digest(path: str | os.PathLike[str] | None) -> str | None:
    if path is None or not Path(path).is_file():
        return None
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def build_report(sc: Scenario, *, samples: int = 10_000, seed: int | None = None, tree_depth: int | None = None,
                 sections: tuple[str, ...] | None = None) -> Report:
    """Run the analyses on `sc` and lay out the report (nothing is written to disk)."""
    from .. import __version__
    from .sections import SECTIONS, Context

    from ..analysis.sampling import DEFAULT_SEED

    ctx = Context(sc, samples=samples, seed=DEFAULT_SEED if seed is None else seed, tree_depth=tree_depth)
    page = _Page()
    m = sc.meta
    page.raw(f"<h1>{_esc(m.title)}</h1>")
    facts = [("Question", m.question), ("Decision maker", m.decision_maker), ("As of", m.as_of),
             ("Horizon", m.horizon)]
    page.raw('<p class="meta">' + " · ".join(f"<b>{_esc(k)}:</b> {_esc(v)}" for k, v in facts if v) + "</p>")
    if m.description:
        page.p(m.description)
    page.raw('<p class="note">Every probability, impact and weight in this report is either tied to cited '
             'evidence or labelled as an analyst\'s assumption (see "Evidence and assumptions"). The '
             "comparison shows what follows from those numbers; it is not a forecast.</p>")
    page.raw("<!--TOC-->")
    done = []
    for name, fn in SECTIONS:
        if sections is not None and name not in sections:
            continue
        if fn(ctx, page) is not False:
            done.append(name)
    import numpy
    import scipy

    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    digest = file_digest(sc.file)
    page.section("about", "How this report was made")
    page.raw(_text_table(["item", "value"], [
        ["scenario file", sc.file], ["scenario file SHA-256 (first 16)", digest or "–"],
        ["scenario id", m.id], ["random seed", ctx.seed], ["Monte Carlo samples", ctx.samples],
        ["juncture version", __version__], ["python / numpy / scipy",
                                            f"{platform.python_version()} / {numpy.__version__} / {scipy.__version__}"],
        ["made", stamp]]))
    toc = "<nav><ol>" + "".join(f'<li><a href="#{a}">{_esc(t)}</a></li>' for a, t in page.toc) + "</ol></nav>"
    body = "\n".join(page.parts).replace("<!--TOC-->", toc, 1)
    doc = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
           f'<meta name="generator" content="{GENERATOR} {__version__}">'
           f'<meta name="juncture-seed" content="{ctx.seed}">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">'
           f"<title>{_esc(m.title)} — Juncture report</title><style>{CSS}</style></head>"
           f"<body>\n{body}\n</body></html>\n")
    return Report(doc, page.figures, done)


def _may_replace(path: Path, owned: set[str]) -> bool:
    """A file may be replaced when it is absent or an earlier report wrote it."""
    if not path.exists():
        return True
    if path.name in owned:
        return True
    if path.name == "report.html":
        head = path.read_text(encoding="utf-8", errors="replace")[:2000]
        return f'name="generator" content="{GENERATOR}' in head
    return False


def write_report(report: Report, out_dir: str | os.PathLike[str], force: bool = False) -> list[Path]:
    """Write report.html and the PNGs into `out_dir` (created if needed); returns the paths written.

    Refuses (FileExistsError, naming the files) to replace any file an earlier report did not
    write, unless `force`. Everything is written to a temporary folder first and moved in at
    the end, so an interrupted run leaves the folder as it was.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a folder")
    names = ["report.html"] + [f"{f.stem}.png" for f in report.figures]
    owned: set[str] = set()
    manifest = out / MANIFEST
    if manifest.is_file():
        try:
            owned = set(json.loads(manifest.read_text(encoding="utf-8")).get("files", []))
        except (ValueError, OSError):
            owned = set()
    clash = [n for n in names if not _may_replace(out / n, owned)]
    if clash and not force:
        raise FileExistsError(f"{out} holds files this report did not write: {', '.join(clash)}; "
                              "choose another folder or pass --force to replace them")
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".juncture-", dir=out))
    try:
        (tmp / "report.html").write_text(report.html, encoding="utf-8")
        for f in report.figures:
            (tmp / f"{f.stem}.png").write_bytes(f.png)
        (tmp / MANIFEST).write_text(json.dumps({"generator": GENERATOR, "files": sorted(owned | set(names))},
                                               indent=1), encoding="utf-8")
        written = []
        for n in names + [MANIFEST]:
            os.replace(tmp / n, out / n)
            written.append(out / n)
        return written[:-1]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def evidence_rows(sc: Scenario) -> tuple[list[list[Any]], list[list[Any]], list[list[Any]]]:
    """Rows for the sources, evidence and assumptions tables (what cites what)."""
    used_e: dict[str, int] = {}
    used_a: dict[str, int] = {}
    for r in iter_numbers(sc):
        for e in r.evidence:
            used_e[e] = used_e.get(e, 0) + 1
        for a in r.assumptions:
            used_a[a] = used_a.get(a, 0) + 1
    src = [[sid, s.outlet or s.speaker, s.kind, s.actor, s.reliability, s.notes] for sid, s in sc.sources.items()]
    ev = []
    for e in sc.evidence:
        s = sc.sources.get(e.source)
        self_rep = e.self_reported if e.self_reported is not None else (s is not None and s.actor is not None
                                                                        and s.actor == e.actor)
        grade = f"{s.reliability or '?'}{e.credibility or '?'}" if s else f"?{e.credibility or '?'}"
        ev.append([e.id, e.source + (f" via {e.via}" if e.via else ""), grade, "yes" if self_rep else "",
                   f"“{e.quote}”" if e.quote else "", e.claim,
                   ", ".join(f"{k}: {v:g}" for k, v in e.figures.items()), used_e.get(e.id, 0)])
    asm = [[a.id, _Html('<span class="lb">load-bearing</span>') if a.load_bearing else "", a.statement,
            a.rationale, a.would_be_wrong_if, a.confidence, used_a.get(a.id, 0)]
           for a in sorted(sc.assumptions, key=lambda a: not a.load_bearing)]
    return src, ev, asm
