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
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence


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

    def transposed(self) -> "Table":
        """Columns as rows (units folded into the row labels): for tables wider than long."""
        rows = tuple(f"{c} ({u})" if u else c for c, u in zip(self.columns, self.units or [""] * len(self.columns)))
        vals = tuple(tuple(self.values[i][j] for i in range(len(self.rows))) for j in range(len(self.columns)))
        return Table(self.title, "", rows, self.rows, vals, (), self.notes, self.digits, self.meta)

    def to_text(self, max_width: int | None = None) -> str:
        """A plain-text table for the terminal, units under the headers. A table wider than
        `max_width` (default: the terminal's width) lists its units below instead, and if still
        too wide is printed with its columns as rows."""
        import shutil

        width = max_width or max(100, shutil.get_terminal_size((140, 40)).columns)

        def fits(text: str) -> bool:  # notes are sentences, not columns: they never force a transpose
            return max(len(line) for line in text.splitlines() if not line.startswith("note:")) <= width

        text = self._text()
        if fits(text) or not self.columns:
            return text
        tries = [text]
        if any(self.units):
            legend = "units: " + "; ".join(f"{c} {u}" for c, u in zip(self.columns, self.units) if u)
            tries.append(Table(self.title, self.row_name, self.rows, self.columns, self.values, (),
                               self.notes + (legend,), self.digits, self.meta)._text())
        tries.append(self.transposed()._text())
        return min(tries, key=lambda t: max(len(line) for line in t.splitlines() if not line.startswith("note:")))

    def _text(self) -> str:
        head = [self.row_name, *self.columns]
        units = ["", *(f"({u})" if u else "" for u in self.units)] if any(self.units) else None
        body = [[r, *(_cell(v, self.digits) for v in vals)] for r, vals in zip(self.rows, self.values)]
        grid = [head] + ([units] if units else []) + body
        widths = [max(len(str(row[j])) for row in grid) for j in range(len(head))]
        lines = [self.title, "=" * len(self.title)]
        for k, row in enumerate(grid):
            cells = [str(row[0]).ljust(widths[0])] + [str(x).rjust(w) for x, w in zip(row[1:], widths[1:])]
            lines.append("  ".join(cells).rstrip())
            if k == (1 if units else 0):
                lines.append("  ".join("-" * w for w in widths))
        lines.extend(f"note: {n}" for n in self.notes)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        esc = html.escape
        head = "".join(f"<th>{esc(c)}" + (f"<br><small>{esc(u)}</small>" if u else "") + "</th>"
                       for c, u in zip(self.columns, self.units or [""] * len(self.columns)))
        body = "".join(f"<tr><th>{esc(r)}</th>" + "".join(f"<td>{esc(_cell(v, self.digits))}</td>" for v in vals)
                       + "</tr>" for r, vals in zip(self.rows, self.values))
        notes = "".join(f"<p><small>{esc(n)}</small></p>" for n in self.notes)
        return (f"<div><strong>{esc(self.title)}</strong><table><thead><tr><th>{esc(self.row_name)}</th>{head}"
                f"</tr></thead><tbody>{body}</tbody></table>{notes}</div>")


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
