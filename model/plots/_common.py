"""Small helpers the figure modules share: number formats, text measures, interval look-ups."""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np


def fmt(v: Any, digits: int = 3) -> str:
    """A number as it reads on a slide: about `digits` significant figures, thousands separated,
    '–' when missing."""
    if v is None:
        return "–"
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not math.isfinite(x):
        return "–"
    if x == 0:
        return "0"
    a = abs(x)
    if a >= 10 ** digits:
        s = f"{x:,.0f}"
    elif a >= 1e-3:
        decimals = max(0, digits - 1 - math.floor(math.log10(a)))
        s = f"{x:,.{decimals}f}"
    else:
        s = f"{x:.{digits - 1}e}"
    return "0" if s.lstrip("-").strip("0.,") == "" else s


def fmt_p(p: Any) -> str:
    """A probability with up to three decimals and no trailing zeros (0.125, 0.5, 0.97): three
    decimals because tables often give 0.125, and rounding it to 0.12 beside 0.325 -> 0.33 reads
    as an inconsistency."""
    if p is None or not math.isfinite(float(p)):
        return "–"
    p = float(p)
    s = f"{p:.3f}".rstrip("0").rstrip(".")
    if s in ("0", "1") and p not in (0.0, 1.0):
        s = f"{p:.2g}" if p < 0.5 else ">0.999"
    return s


def amount(x: Any) -> str:
    """An amount paid: whole numbers without decimals ('200', '-70'), others to 3 significant
    figures ('8.33')."""
    v = as_float(x)
    if not math.isfinite(v):
        return "–"
    if v == round(v) and abs(v) < 1e15:
        return f"{round(v):,}"
    s = fmt(v, 3)
    return s.rstrip("0").rstrip(".") if "." in s and "e" not in s else s


def as_float(v: Any) -> float:
    """float(v), NaN for None or text."""
    try:
        return float(v) if v is not None else math.nan
    except (TypeError, ValueError):
        return math.nan


def named(names: Any, key: str, fallback: str | None = None) -> str:
    """What a figure shows for an id or parameter path: its entry in `names` (id -> display name,
    as the recipes pass them), else `fallback`, else the key itself."""
    if names and key in names:
        return str(names[key])
    return key if fallback is None else fallback


def grid(values: Sequence[Sequence[Any]]) -> np.ndarray:
    """A Table's values as a float array (NaN where a cell is empty or text)."""
    return np.array([[as_float(v) for v in row] for row in values], dtype=float).reshape(len(values), -1)


def intervals(meta: dict[str, Any], shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray] | None:
    """meta['low'], meta['high'] as float arrays of the table's shape (rows x columns), or None when
    the table carries no intervals. A Monte Carlo analysis puts its percentiles there."""
    if not meta or "low" not in meta or "high" not in meta:
        return None
    lo, hi = np.asarray(meta["low"], dtype=float), np.asarray(meta["high"], dtype=float)
    if lo.shape != shape or hi.shape != shape:
        raise ValueError(f"table meta 'low'/'high' must be shaped like its values {shape}; got "
                         f"{lo.shape} and {hi.shape}")
    return lo, hi


def text_width(s: str, size: float, weight: str = "normal", style: str = "normal") -> float:
    """Width of one line of text in inches at `size` points, in the current default font, as the
    Agg renderer lays it out (a little wider than the glyph outlines: hinting), plus 3%."""
    from matplotlib import rcParams

    if not s:
        return 0.0
    return _text_width(s, float(size), weight, style, tuple(rcParams["font.family"]),
                       tuple(rcParams["font.sans-serif"]))


@functools.lru_cache(maxsize=8192)
def _text_width(s: str, size: float, weight: str, style: str, family: tuple, sans: tuple) -> float:
    from matplotlib.font_manager import FontProperties

    w, _, _ = _renderer().get_text_width_height_descent(
        s, FontProperties(size=size, weight=weight, style=style), ismath=False)
    return 1.03 * w / _MEASURE_DPI


_MEASURE_DPI = 100.0


@functools.lru_cache(maxsize=1)
def _renderer() -> Any:
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, _MEASURE_DPI)


def wrap(s: str, width: int) -> str:
    """Wrap at spaces to lines of at most `width` characters (ids are never broken)."""
    return "\n".join(textwrap.wrap(s, width, break_long_words=False, break_on_hyphens=False)) or s


def short_unit(unit: str, limit: int = 24) -> str:
    """A unit fit for an axis label: a long unit loses its parenthesised explanation
    ('index 0-10 (0 Maduro remains, ...)' -> 'index 0-10'), which the table keeps."""
    if len(unit) <= limit or "(" not in unit:
        return unit
    head = unit[:unit.index("(")].rstrip(" ,;")
    return head or unit


def empty_message(ax: Any, title: str, message: str) -> Any:
    """An Axes that says there is nothing to draw (a scenario without risks, say)."""
    ax.set_title(title)
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#555555",
            wrap=True)
    ax.set_xticks([])
    ax.set_yticks([])
    for s in ax.spines.values():
        s.set_visible(False)
    ax.set_gid("empty")
    return ax


def cell_borders(ax: Any, columns: int, rows: int) -> None:
    """Frame each cell of a heat map of columns x rows in white, with no spines or minor ticks."""
    for s in ax.spines.values():
        s.set_visible(False)
    ax.set_xticks(np.arange(-0.5, columns), minor=True)
    ax.set_yticks(np.arange(-0.5, rows), minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
