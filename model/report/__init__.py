"""The report: one self-contained HTML file a policy analyst can send as it is.

`build_report(scenario, ...)` runs the analyses, draws their figures and returns the page and the
figures; `write_report(...)` writes `report.html` (figures inline as SVG, no network needed to view
it) and each figure as PNG beside it. It never overwrites a file it did not write unless forced,
and writes through a temporary folder so that an interrupted run leaves no half report.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from ..io import Scenario
from .page import CSS, Figure, Html, Page, Report, esc, render_figure, text_table

GENERATOR = "juncture"
MANIFEST = ".juncture-report.json"
"""Lists the files a report wrote, so a later run may replace them and nothing else."""


def file_digest(path: str | os.PathLike[str] | None) -> str | None:
    import hashlib

    if path is None or not Path(path).is_file():
        return None
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def build_report(sc: Scenario, *, samples: int = 10_000, seed: int | None = None, tree_depth: int | None = None,
                 sections: tuple[str, ...] | None = None,
                 on_section: Callable[[int, int, str], None] | None = None) -> Report:
    """Run the analyses on `sc` and lay out the report (nothing is written to disk).

    on_section(done, total, name): called after each section, for a progress display."""
    import datetime as _dt
    import platform

    from ..analysis import DEFAULT_SEED
    from ..version import __version__
    from .recipes import Inputs
    from .sections import APPENDICES, SECTIONS  # here, not above: the sections import the analyses

    ctx = Inputs(sc, samples=samples, seed=DEFAULT_SEED if seed is None else seed, depth=tree_depth)
    page = Page()
    m = sc.meta
    page.raw(f"<h1>{esc(m.title)}</h1>")
    facts = [("Question", m.question), ("Decision maker", (sc.actors[m.decision_maker].name or m.decision_maker)
                                         if m.decision_maker in sc.actors else m.decision_maker), ("As of", m.as_of),
             ("Horizon", m.horizon)]
    page.raw('<p class="meta">' + " · ".join(f"<b>{esc(k)}:</b> {esc(v)}" for k, v in facts if v) + "</p>")
    done = []
    for k, (name, fn) in enumerate(SECTIONS + APPENDICES):
        if k == len(SECTIONS):   # the appendices follow the main text, folded
            page.close()
            page.appendix = True
            page.raw("<h2 class=\"appendices\">Appendices</h2>")
        if sections is not None and name not in sections:
            continue
        if fn(ctx, page) is not False:
            done.append(name)
        if on_section is not None:
            on_section(k + 1, len(SECTIONS) + len(APPENDICES), name)
        if name == "bottom-line":   # the rest of the front matter comes after the bottom line
            page.close()
            if m.description:
                page.p(m.description)
            page.raw('<p class="note">Every probability, impact and weight in this report is either tied to cited '
                     'evidence or labelled as an analyst\'s assumption (see the evidence appendix). The '
                     "comparison shows what follows from those numbers; it is not a forecast.</p>")
            page.raw("<!--TOC-->")
    import numpy
    import scipy

    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    digest = file_digest(sc.file)
    page.appendix = True
    page.section("about", "How this report was made (provenance)")
    page.raw(text_table(["item", "value"], [
        ["scenario file", sc.file], ["scenario file SHA-256 (first 16)", digest or "–"],
        ["scenario", Html(f'{esc(m.title)} <small class="id">{esc(m.id)}</small>') if m.title and m.title != m.id
         else m.id], ["random seed", ctx.seed], ["Monte Carlo samples", ctx.samples],
        ["juncture version", __version__], ["python / numpy / scipy",
                                            f"{platform.python_version()} / {numpy.__version__} / {scipy.__version__}"],
        ["made", stamp]]))
    page.close()
    if "<!--TOC-->" not in page.parts:
        page.parts.insert(2, "<!--TOC-->")
    toc = "<nav><ol>" + "".join(f'<li><a href="#{a}">{esc(t)}</a></li>' for a, t in page.toc) + "</ol></nav>"
    body = "\n".join(page.parts).replace("<!--TOC-->", toc, 1)
    doc = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
           f'<meta name="generator" content="{GENERATOR} {__version__}">'
           f'<meta name="juncture-seed" content="{ctx.seed}">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">'
           f"<title>{esc(m.title)} — Juncture report</title><style>{CSS}</style></head>"
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
    the end, so an interrupted run leaves the folder as it was. Then the files the last report
    wrote (its manifest lists them) that this one does not write are removed, so that no stale
    figure of another scenario stays beside the report; no other file is ever removed.
    """
    import shutil
    import tempfile

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
        (tmp / MANIFEST).write_text(json.dumps({"generator": GENERATOR, "files": sorted(names)},
                                               indent=1), encoding="utf-8")
        written = []
        for n in names + [MANIFEST]:
            os.replace(tmp / n, out / n)
            written.append(out / n)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for n in sorted(owned - set(names)):
        # only a plain file name the manifest lists, in this folder: a manifest edited by hand
        # ('../x', 'sub/x') never reaches beyond it
        if n and n == Path(n).name and n not in (".", "..", MANIFEST) and (out / n).is_file():
            (out / n).unlink()
    return written[:-1]


__all__ = ["GENERATOR", "MANIFEST", "Figure", "Report", "build_report", "file_digest", "render_figure",
           "write_report"]
