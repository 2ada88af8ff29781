"""Results with labeled axes: one small table type every analysis can return.

A `Table` holds a 2-D grid of numbers (or text) with named rows and columns, a unit per column
and notes; it prints for the terminal, shows as HTML in notebooks, and writes CSV and JSON.
pandas is imported only by `to_frame()`.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import os
import re
import shutil
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Sequence

MAX_WIDTH = 100
"""Widest text the terminal output takes by default, even on a wider terminal; the environment
variable JUNCTURE_WIDTH asks for more (still no wider than the terminal)."""
UNIT_WIDTH = 14
"""A unit longer than this goes to a legend below the table instead of under its header."""
HEAD_WIDTH = 12
"""A column header is wrapped to about this width (over at most three lines)."""
TEXT_WIDTH = 36
"""A column of text (not numbers) is wrapped at this width."""
_ID = re.compile(r"(?<![\w.])[A-Za-z][\w]*(?![\w.])")
_LISTED = re.compile(r": ([A-Za-z]\w*(?:, [A-Za-z]\w*)*)(?=$|[;.)])")
_STATE = re.compile(r"(?<![\w.])([A-Za-z]\w*)=([A-Za-z]\w*)(?![\w.])")


def text_width(max_width: int | None = None) -> int:
    """Columns the terminal output may take: `max_width` if given, else the terminal's width
    (COLUMNS), capped at MAX_WIDTH unless JUNCTURE_WIDTH asks for more."""
    if max_width:
        return max_width
    cols = shutil.get_terminal_size((MAX_WIDTH, 40)).columns
    try:
        cap = int(os.environ.get("JUNCTURE_WIDTH", MAX_WIDTH))
    except ValueError:
        cap = MAX_WIDTH
    return max(40, min(cols, max(cap, 40)))


def _wrap(text: str, width: int, breaks: str = " _/-") -> list[str]:
    """`text` in lines of at most `width`, broken after any of `breaks` (headers: after spaces,
    underscores, slashes and hyphens, so ids wrap too; prose: after spaces); a piece longer than
    the width is broken after those characters again, then cut."""
    width = max(width, 1)
    out: list[str] = []
    line = ""
    pieces = re.split(f"(?<=[{re.escape(breaks)}])", text)
    if breaks == " ":
        pieces = [q for p in pieces for q in (_chop(p, width) if len(p) > width else [p])]
    for piece in pieces:
        while len(piece) > width:
            if line.strip():
                out.append(line.rstrip())
                line = ""
            out.append(piece[:width])
            piece = piece[width:]
        if len((line + piece).rstrip()) > width and line.strip():
            out.append(line.rstrip())
            line = piece.lstrip(" ")
        else:
            line += piece
    if line.strip() or not out:
        out.append(line.rstrip())
    return out


def _chop(word: str, width: int) -> list[str]:
    """A word longer than the width as pieces (broken after _ / - where it can), keeping its
    trailing space on the last."""
    parts = _wrap(word, width)
    parts[-1] += " " if word.endswith(" ") else ""
    return parts


def wrap(text: str, width: int | None = None, first: str = "", later: str = "") -> list[str]:
    """Prose `text` as lines of at most `width` (default `text_width()`), broken at spaces: the
    first line begins with `first`, the later ones with `later`."""
    width = text_width(width)
    lines = _wrap(text, width - len(first), " ")
    if len(lines) <= 1:
        return [first + lines[0]]
    rest = text[len(lines[0]):].lstrip()
    return [first + lines[0], *(later + x for x in _wrap(rest, width - len(later), " "))]


def note_lines(notes: Sequence[str], width: int | None = None, prefix: str = "note: ") -> list[str]:
    """Each note as `note: ...`, wrapped at the width with its later lines indented under the text."""
    return [line for n in notes for line in wrap(n, width, prefix, " " * len(prefix))]

def _cell(v: Any, digits: int) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if math.isnan(v):
            return "–"
        if v != 0 and (abs(v) >= 1e6 or abs(v) < 10 ** -digits):
            return f"{v:.{digits}g}"
        return f"{v:,.{digits}f}"
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v)
    return str(v)


def _plain(v: Any) -> Any:
    """A JSON-safe value: floats stay floats, NaN becomes null, numpy scalars become Python."""
    if hasattr(v, "item") and not isinstance(v, (list, tuple, dict)):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


def _finite(v: Any) -> Any:
    """v with every NaN or infinite float (at any depth) as None: JSON has no such numbers."""
    if isinstance(v, dict):
        return {k: _finite(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_finite(x) for x in v]
    return _plain(v)


@dataclass(frozen=True)
class Table:
    """A labeled 2-D result. values[i][j] is row i, column j; units[j] the unit of column j."""

    title: str
    row_name: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[Any, ...], ...]
    units: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    digits: int = 3
    meta: dict[str, Any] = field(default_factory=dict, compare=False)
    labels: dict[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if len(self.values) != len(self.rows) or any(len(r) != len(self.columns) for r in self.values):
            raise ValueError(f"Table({self.title!r}): values must be {len(self.rows)} rows of "
                             f"{len(self.columns)} columns")

    def cell(self, row: str, column: str) -> Any:
        return self.values[self.rows.index(row)][self.columns.index(column)]

    def column(self, column: str) -> dict[str, Any]:
        j = self.columns.index(column)
        return {r: v[j] for r, v in zip(self.rows, self.values)}

    def to_dict(self) -> dict[str, Any]:
        """{row: {column: value}}: the shape `--json` prints."""
        return {r: {c: _plain(v) for c, v in zip(self.columns, vals)} for r, vals in zip(self.rows, self.values)}

    def to_json(self) -> str:
        return json.dumps({"title": self.title, "rows": self.to_dict(),
                           "units": dict(zip(self.columns, self.units)) if self.units else {},
                           "notes": list(self.notes)}, indent=2, allow_nan=False)

    def to_csv(self, path: Any = None) -> str:
        """CSV text (a header of row name and columns); written to `path` when given."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([self.row_name, *self.columns])
        for r, vals in zip(self.rows, self.values):
            w.writerow([r, *[("" if v is None else _plain(v)) for v in vals]])
        text = buf.getvalue()
        if path is not None:
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        return text

    def to_frame(self) -> Any:
        """The table as a pandas DataFrame (needs pandas)."""
        import pandas as pd

        df = pd.DataFrame([list(v) for v in self.values], index=list(self.rows), columns=list(self.columns))
        df.index.name = self.row_name
        return df

    def transposed(self) -> Table:
        """Columns as rows (units folded into the row labels): for tables wider than long."""
        rows = tuple(f"{c} ({u})" if u else c for c, u in zip(self.columns, self.units or [""] * len(self.columns)))
        vals = tuple(tuple(self.values[i][j] for i in range(len(self.rows))) for j in range(len(self.columns)))
        return Table(self.title, "", rows, self.rows, vals, (), self.notes, self.digits, self.meta)

    def with_labels(self, labels: dict[str, str]) -> Table:
        """The same table with display names for ids (an option's `name` for its id): only the text
        shows them; `to_dict`, `to_json` and `to_csv` keep the ids."""
        return replace(self, labels={**self.labels, **labels})

    def label(self, key: str) -> str:
        """What the text shows for a row or column: its display name, or ids inside it named
        (`full_blown_war | strikes`, `cost score`); a dotted parameter path is left as it is."""
        if not self.labels:
            return key
        if key in self.labels:
            return self.labels[key]

        def state(mt: re.Match[str]) -> str:   # 'event=state', when the labels name the state
            e, st = mt.group(1), mt.group(2)
            if f"{e}.{st}" not in self.labels:
                return mt.group(0)
            return f"{self.labels.get(e, e)} = {self.labels[f'{e}.{st}']}"

        key = _STATE.sub(state, key)
        return _ID.sub(lambda mt: self.labels.get(mt.group(0), mt.group(0)), key)

    def to_text(self, max_width: int | None = None) -> str:
        """A plain-text table for the terminal, at most `max_width` columns (default: the terminal's
        width, capped at 100; see `text_width`). Options stay rows: a long header is wrapped over
        up to three lines, long units go to a legend, long text cells and row labels wrap inside
        their column, and a table still too wide is split into several, each repeating the row
        labels. Notes wrap at the width."""
        width = text_width(max_width)
        text, chunks = self._layout(width, False)
        if chunks > 1 and any(self.units):  # units in a legend may save a split
            text2, chunks2 = self._layout(width, True)
            if chunks2 < chunks:
                return text2
        return text

    def _layout(self, width: int, units_below: bool) -> tuple[str, int]:
        """The text at `width` and how many pieces the columns were split into; `units_below`:
        every unit in the legend, none under the headers."""
        lines = _wrap(self.title, width, " ") if self.title else []
        if self.title:
            lines.append("=" * min(max(len(x) for x in lines), width))
        notes = list(self.notes)
        heads = [self.label(c) for c in self.columns]
        units = list(self.units) + [""] * (len(self.columns) - len(self.units))
        below = [(h, u) for h, u in zip(heads, units) if u and (units_below or len(u) > UNIT_WIDTH)]
        if below:
            by_unit: dict[str, list[str]] = {}
            for h, u in below:
                by_unit.setdefault(u, []).append(h)
            notes.append("units: " + "; ".join(f"{u} ({', '.join(hs)})" if len(by_unit) > 1 or len(hs) < len(heads)
                                               else u for u, hs in by_unit.items()))
        unit_line = [f"({u})" if u and not units_below and len(u) <= UNIT_WIDTH else "" for u in units]
        body = [[self.labels.get(v, v) if isinstance(v, str) else _cell(v, self.digits) for v in vals]
                for vals in self.values]
        labels = [self.label(r) for r in self.rows]
        row_w = min(max([len(self.row_name), *(len(x) for x in labels)]), max(20, int(width * 0.55)))
        avail = max(width - row_w - 2, 8)
        cols = []  # per column: (width, header lines, unit text, wrapped cells, numeric)
        for j, h in enumerate(heads):
            cells = [row[j] for row in body]
            vw = max([len(x) for x in cells] or [0])
            numeric = all(isinstance(v[j], (int, float)) or v[j] is None for v in self.values)
            w = min(vw, avail, TEXT_WIDTH) if not numeric else vw
            w = max(w, len(unit_line[j]), min(len(h), HEAD_WIDTH), 1)
            hl = _wrap(h, w)
            while len(hl) > 3 and w < min(avail, 3 * HEAD_WIDTH):
                w += 2
                hl = _wrap(h, w)
            if len(hl) > 3:
                hl = hl[:2] + [hl[2][: w - 1] + "…"]
                notes.append(f"{' '.join(hl).replace('…', '')}…: {h}")
            w = max(w, *(len(x) for x in hl))
            wrapped = [_wrap(x, w) if len(x) > w else [x] for x in cells]
            cols.append((w, hl, unit_line[j], wrapped, numeric or all(len(c) == 1 for c in wrapped)))
        chunks: list[list[int]] = []
        used = width + 1
        for j, c in enumerate(cols):
            if used + 2 + c[0] > width and (not chunks or chunks[-1]):
                chunks.append([])
                used = row_w
            chunks[-1].append(j)
            used += 2 + c[0]
        if not chunks:
            chunks = [[]]
        row_lines = [_wrap(x, row_w) if len(x) > row_w else [x] for x in labels]
        for k, chunk in enumerate(chunks):
            if k:
                lines.append("")
            depth = max([len(cols[j][1]) for j in chunk] or [1])
            for d in range(depth):
                first = self.row_name if d == depth - 1 else ""
                cells = []
                for j in chunk:
                    hl = cols[j][1]
                    t = hl[d - (depth - len(hl))] if d >= depth - len(hl) else ""
                    cells.append(t.rjust(cols[j][0]))
                lines.append("  ".join([first.ljust(row_w), *cells]).rstrip())
            if any(cols[j][2] for j in chunk):
                lines.append("  ".join(["".ljust(row_w), *(cols[j][2].rjust(cols[j][0]) for j in chunk)]).rstrip())
            lines.append("  ".join(["-" * row_w, *("-" * cols[j][0] for j in chunk)]))
            for i, rl in enumerate(row_lines):
                height = max([len(rl), *(len(cols[j][3][i]) for j in chunk)])
                for d in range(height):
                    cells = [rl[d] if d < len(rl) else ""]
                    for j in chunk:
                        w, _, _, wrapped, right = cols[j]
                        t = wrapped[i][d] if d < len(wrapped[i]) else ""
                        cells.append(t.rjust(w) if right else t.ljust(w))
                    lines.append("  ".join([cells[0].ljust(row_w), *cells[1:]]).rstrip())
        lines.extend(note_lines(notes, width))
        return "\n".join(lines), len(chunks)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, ids: str = "title") -> str:
        """The table as HTML, showing the labels' names (`with_labels`) for row and column ids and for
        text cells that are ids (or lists of them); notes name the ids with an underscore in them.
        ids: where a named id still shows, 'title' (a tooltip), 'small' (rows: the id in small type
        after the name, `<small class="id">`; columns: a tooltip) or 'none'."""
        esc = html.escape

        def head(key: str, row: bool) -> str:
            name = self.label(key)
            if name == key or ids == "none":
                return esc(name)
            if row and ids == "small":
                return f'{esc(name)} <small class="id">{esc(key)}</small>'
            return f'<span title="{esc(key)}">{esc(name)}</span>'

        def cell(v: Any) -> str:
            if self.labels and (isinstance(v, str) or isinstance(v, (list, tuple)) and v
                                and all(isinstance(x, str) for x in v)):
                parts = v.split(", ") if isinstance(v, str) else list(v)
                if all(p in self.labels for p in parts):
                    return esc(", ".join(self.labels[p] for p in parts))
            return esc(_cell(v, self.digits))

        heads = "".join(f"<th>{head(c, False)}" + (f"<br><small>{esc(u)}</small>" if u else "") + "</th>"
                        for c, u in zip(self.columns, self.units or [""] * len(self.columns)))
        body = "".join(f"<tr><th>{head(r, True)}</th>" + "".join(f"<td>{cell(v)}</td>" for v in vals)
                       + "</tr>" for r, vals in zip(self.rows, self.values))
        notes = "".join(f"<p><small>{esc(self.name_ids(n))}</small></p>" for n in self.notes)
        return (f"<div><strong>{esc(self.title)}</strong><table><thead><tr><th>{esc(self.row_name)}</th>{heads}"
                f"</tr></thead><tbody>{body}</tbody></table>{notes}</div>")

    def name_ids(self, text: str) -> str:
        """Prose with its ids named: a list of ids after a colon ('best: strikes, status_quo'), and
        elsewhere each id with an underscore in it; an id of one plain word ('cost') may be a word
        of the sentence, so outside such a list it stays."""
        if not self.labels:
            return text

        def listed(mt: re.Match[str]) -> str:
            parts = mt.group(1).split(", ")
            if not all(p in self.labels for p in parts):
                return mt.group(0)
            return ": " + ", ".join(self.labels[p] for p in parts)

        text = _LISTED.sub(listed, text)
        return _ID.sub(lambda mt: self.labels.get(mt.group(0), mt.group(0)) if "_" in mt.group(0)
                       else mt.group(0), text)


# ---------------------------------------------------------------------------- the result protocol
FIGURES: dict[type, Callable[..., Any]] = {}
"""Result type -> the function that draws it, `fn(result, ax=None) -> Axes`. Filled by
`model.plots` (which sits downstream of the analyses) through `draws`, and read by `Result.plot`."""


def draws(*result_types: type) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator for a plot function: the default figure of these result types."""
    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        for t in result_types:
            FIGURES[t] = fn
        return fn
    return mark


class Result:
    """What every analysis result offers; a subclass defines `table()` and may override the rest.

    table() -> Table: the result as a labelled table (what the terminal prints).
    to_frame(): that table as a pandas DataFrame. to_dict(): a JSON-safe dict (the table's rows
    unless the result defines its own shape). to_json(): `to_dict()` as JSON text, never NaN or
    infinity. _repr_html_(): the table in a notebook. plot(ax=None): the result's figure, where
    one exists (model.plots registers them), else a TypeError that says so.
    """

    def table(self) -> Table:  # pragma: no cover - every result defines it
        raise NotImplementedError

    def to_frame(self) -> Any:
        return self.table().to_frame()

    def to_dict(self) -> dict[str, Any]:
        return self.table().to_dict()

    def to_json(self) -> str:
        return json.dumps(_finite(self.to_dict()), indent=2, allow_nan=False, default=_plain)

    def _repr_html_(self) -> str:
        return self.table()._repr_html_()

    def __str__(self) -> str:
        return self.table().to_text()

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        import importlib

        importlib.import_module("model.plots")  # registers the figures (plots sit downstream)
        for t in type(self).__mro__:
            if t in FIGURES:
                return FIGURES[t](self, ax=ax, **kwargs)
        raise TypeError(f"there is no figure of a {type(self).__name__} result; see its table() instead")


def table(title: str, row_name: str, rows: Sequence[str], columns: Sequence[str], values: Any,
          units: Sequence[str] = (), notes: Sequence[str] = (), digits: int = 3, **meta: Any) -> Table:
    """Build a `Table` from any 2-D sequence or numpy array."""
    vals = tuple(tuple(_plain(v) for v in row) for row in (values.tolist() if hasattr(values, "tolist") else values))
    return Table(title, row_name, tuple(rows), tuple(columns), vals, tuple(units), tuple(notes), digits, dict(meta))
