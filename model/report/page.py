"""The page of the report: its figures (SVG inline, PNG beside), sections, tables and style.

The building blocks the sections write with; nothing here runs an analysis. matplotlib is
imported only when a figure is rendered.
"""

from __future__ import annotations

import html
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # (importing the results at run time would load csv for nothing)
    from ..results import Table


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


def esc(x: Any) -> str:
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


class Page:
    """Collects the sections of the page and its figures."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.toc: list[tuple[str, str]] = []
        self.figures: list[Figure] = []
        self.appendix = False
        """Sections opened while True are appendices: folded in a `<details>` after the main text."""
        self._close = ""

    def section(self, anchor: str, title: str) -> None:
        """Open a section (closing the one before): `<section id=anchor>` with its heading; an
        appendix sits folded inside `<details>`."""
        self.close()
        self.toc.append((anchor, ("Appendix: " if self.appendix else "") + title))
        if self.appendix:
            self.parts.append(f'<details class="appendix" id="appendix-{anchor}"><summary>Appendix: {esc(title)}'
                              f'</summary><section id="{anchor}"><h2>{esc(title)}</h2>')
            self._close = "</section></details>"
        else:
            self.parts.append(f'<section id="{anchor}"><h2>{esc(title)}</h2>')
            self._close = "</section>"

    def close(self) -> None:
        """Close the open section, if any."""
        if self._close:
            self.parts.append(self._close)
            self._close = ""

    def p(self, text: str) -> None:
        self.parts.append(f"<p>{esc(text)}</p>")

    def raw(self, fragment: str) -> None:
        self.parts.append(fragment)

    def table(self, tab: Table, names: dict[str, str] | Callable[[str], str] | None = None) -> None:
        """A result's table, its ids shown by the names in `names` (id -> name, as `Inputs.names`
        gives them; or a function of a row or column label giving its name): in the main text a
        named id is a tooltip; in an appendix it follows its row's name in small type, for the
        analyst who looks it up in the file."""
        if callable(names):
            rename = names
            names = {k: rename(k) for k in (*tab.rows, *tab.columns)}
        if names:
            tab = tab.with_labels(names)
        self.parts.append(f'<div class="table">{tab.to_html(ids="small" if self.appendix else "title")}</div>')

    def figure(self, fig: Figure) -> None:
        self.figures.append(fig)
        self.parts.append(f'<figure id="fig-{fig.stem}">{fig.svg}<figcaption>{esc(fig.caption)} '
                          f'<a href="{fig.stem}.png">PNG</a></figcaption></figure>')


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:1100px;margin:1em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin:.2em 0}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0;font-size:.88em;max-width:100%}td,th{border:1px solid #ccc;
padding:.25em .4em;text-align:right;vertical-align:top;overflow-wrap:anywhere;word-break:break-word}
#bottom-line h2{margin-top:.6em}#bottom-line dl{margin:.3em 0}#bottom-line dt{font-weight:bold;float:left;
margin-right:.4em}#bottom-line dd{margin:0 0 .35em 0}.kj li{margin:.3em 0}.conf{font-size:.85em;color:#333;
background:#eef3f8;padding:0 .3em;border-radius:3px}.basis{display:block;font-size:.8em;color:#555}
details.appendix{margin:1em 0;border-top:1px solid #ccc}details.appendix>summary{cursor:pointer;font-size:1.15em;
font-weight:bold;padding:.4em 0;color:#0072B2}small.id{color:#777}th{background:#f3f6f9}tbody th{text-align:left}
td.text,th.text{text-align:left}.meta{color:#555;font-size:.9em}.note{background:#fff8e1;border-left:4px solid
#E69F00;padding:.5em 1em}figure{margin:1em 0}figure svg{max-width:100%;height:auto}figcaption{font-size:.9em;
color:#444}nav ol{columns:2}.table{max-width:100%}.lb{font-weight:bold;color:#D55E00}
#bottom-line ul.lb-list{margin:.1em 0;padding-left:1.2em;clear:left}
"""


def text_table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f'<th class="text">{esc(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="text">{c if isinstance(c, Html) else esc(c)}</td>' for c in r)
                   + "</tr>" for r in rows)
    return f'<div class="table"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


class Html(str):
    """Text already escaped for HTML."""
