"""The house style of every Juncture figure, and `save`, which writes figures without clobbering files.

One look for all figures: the Okabe-Ito palette (distinguishable with the common colour-vision
deficiencies and in greyscale print), text sized to stay readable when a figure is put on a slide
at about its own size, light grids, no top/right spines. The style is applied inside each figure
function with `house_style()` (a `matplotlib.rc_context`), so drawing a Juncture figure never
changes the caller's global matplotlib settings.

`new_axes` creates a figure only when the caller gives no Axes. When pyplot is already in use (a
notebook, a script that imported it) the figure is made through pyplot so that it shows as usual;
otherwise it is a bare `matplotlib.figure.Figure`, which needs no backend, no display and no
`plt.close`, so the command line and servers never touch global pyplot state.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure

# Okabe & Ito (2008), "Color Universal Design": eight colours safe for colour-vision deficiencies.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
"""The Okabe-Ito palette by name."""

TOL_EXTRA: dict[str, str] = {"wine": "#882255", "olive": "#999933"}
"""Two colours of Paul Tol's colour-vision-safe 'muted' scheme, for a sixth and seventh option."""

PALETTE: tuple[str, ...] = (
    OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["reddish_purple"], OKABE_ITO["sky_blue"],
    OKABE_ITO["black"], TOL_EXTRA["wine"], TOL_EXTRA["olive"], OKABE_ITO["yellow"],
    OKABE_ITO["bluish_green"], OKABE_ITO["vermillion"],
)
"""Category colours in the order they are used: option i of the file is PALETTE[i] in every figure
(`option_colours`). The green and the vermillion, which mean calm/better and escalation/worse on
the `OUTCOME` scale, come only after eight options (two of Paul Tol's colours fill in for them);
yellow late: it is faint on white."""

MARKERS: tuple[str, ...] = ("o", "s", "D", "^", "v", "P", "X", "*")
"""Marker shapes paired with PALETTE, so categories differ in shape as well as colour."""

EMPHASIS = "#1A1A1A"
"""Colour of what a figure singles out (the best path of a tree): near-black, not an option's colour
(the best path of one option drawn in another option's colour would say the wrong option)."""
MUTED = "#9A9A9A"
"""Colour of what a figure shows but does not single out."""
WARNING = OKABE_ITO["vermillion"]
"""Colour of what needs the analyst's attention (numbers that cite nothing)."""

SEQUENTIAL = "cividis"
"""Colour map for ordered quantities without a better or worse end (source reliability):
perceptually uniform and colour-vision safe."""

OUTCOME_STOPS: tuple[str, ...] = ("#009E73", "#92D2B5", "#E9DDB0", "#F0A868", "#D55E00")
"""The one scale from calm / better (0) to escalation / worse (1): the Okabe-Ito bluish green through
a light sand to the Okabe-Ito vermillion (a pair that stays apart with the common colour-vision
deficiencies; the sand middle keeps a middle state visible on white). Every figure that shows
better and worse (the consequence heat map's value scores, regret, rank acceptability) or states
from calm to escalation (actor responses, the rungs of the escalation ladder) uses it, so green
means calm or better and vermillion escalation or worse wherever they appear."""


def outcome_cmap() -> Any:
    """`OUTCOME_STOPS` as a matplotlib colour map: 0 calm / better, 1 escalation / worse."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("juncture_outcome", list(OUTCOME_STOPS))


def outcome_colour(level: float) -> str:
    """The colour of `level` on the calm (0) to escalation (1) scale, as hex."""
    from matplotlib.colors import to_hex

    return to_hex(outcome_cmap()(min(max(float(level), 0.0), 1.0)))


def better_colour(score: float) -> str:
    """The colour of a value score (1 best, 0 worst): the `OUTCOME` scale read from its better end."""
    return outcome_colour(1.0 - float(score))


def state_colours(states: Sequence[str], levels: dict[str, float] | None = None) -> dict[str, str]:
    """State -> colour on the calm-to-escalation scale: its level in `levels` (as
    `model.analysis.escalation.state_levels` gives it, keyed as `states` are), else its place in
    `states` (first calm, last escalation)."""
    levels = levels or {}
    step = 1.0 / max(len(states) - 1, 1)
    return {s: outcome_colour(levels.get(s, k * step)) for k, s in enumerate(states)}


def option_colours(options: Sequence[str]) -> dict[str, str]:
    """Option -> its colour: the i-th option of the file (`model.options`) is PALETTE[i], in every
    figure that colours by option. Pass the file's whole list of options, even to draw a few."""
    return {o: colour(i) for i, o in enumerate(options)}

# Point sizes chosen so that text is at least ~10 pt when the figure is shown at its own size on a
# 13.33 x 7.5 in (16:9) slide.
FONT_SIZE = 12
SMALL = 10.5
TITLE_SIZE = 14

HOUSE_RC: dict[str, Any] = {
    "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
    "font.size": FONT_SIZE,
    "axes.titlesize": TITLE_SIZE,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 10,
    "axes.labelsize": FONT_SIZE,
    "xtick.labelsize": SMALL + 0.5,
    "ytick.labelsize": SMALL + 0.5,
    "legend.fontsize": SMALL,
    "legend.title_fontsize": SMALL,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#444444",
    "axes.grid": False,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.8,
    "lines.linewidth": 2.0,
    "image.cmap": SEQUENTIAL,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "svg.fonttype": "none",    # text stays text in SVG: searchable, editable, crisp
    "svg.hashsalt": "juncture",  # fixed ids: the same figure gives the same SVG bytes
    "pdf.fonttype": 42,        # TrueType in PDF: editable in slide software
}
"""rcParams of the house style (applied with `house_style()`)."""


@contextlib.contextmanager
def house_style(**overrides: Any) -> Iterator[None]:
    """Apply the house style (plus `overrides`, as rcParams) inside a `with` block only."""
    with mpl.rc_context({**HOUSE_RC, **overrides}):
        yield
        # a backend set up while drawing (Jupyter's inline backend turns `interactive` on the
        # first time pyplot is used) must outlive the block, or later figures are never shown
        # (reading rcParams["backend"] would resolve it and import pyplot: only `interactive`)
        keep = {"interactive": mpl.rcParams["interactive"]}
    for k, v in keep.items():
        if mpl.rcParams[k] != v:
            mpl.rcParams[k] = v


F = TypeVar("F", bound=Callable[..., Any])


def styled(fn: F) -> F:
    """Decorator: run a figure function inside `house_style()`; `rc={...}` adds rcParams of the caller's
    own (for example {"font.size": 14} for a large room)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, rc: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        with house_style(**(rc or {})):
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """`ax` itself, or the Axes of a new figure of `figsize` inches (see the module doc)."""
    if ax is not None:
        return ax
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=figsize)
    else:
        fig = Figure(figsize=figsize)
    return fig.add_subplot()


def colour(i: int) -> str:
    """The i-th category colour (cycling)."""
    return PALETTE[i % len(PALETTE)]


def marker(i: int) -> str:
    """The i-th category marker (cycling)."""
    return MARKERS[i % len(MARKERS)]


def text_colour(rgba: Sequence[float]) -> str:
    """Black or white, whichever reads better on a fill of this colour (WCAG relative luminance)."""
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(float(c)) for c in rgba[:3])
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 else "white"


def axis_label(name: str, unit: str | None) -> str:
    """'name (unit)', or the name alone when there is no unit."""
    return f"{name} ({unit})" if unit else name


# ------------------------------------------------------------------------------------------- saving
FORMATS = ("png", "svg", "pdf")
"""Formats `save` writes."""

# Metadata that would make each run's file differ (dates, the software string) is left out, so that
# saving the same figure twice gives the same SVG and PDF bytes.
_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}


def _figure(fig_or_ax: Any) -> Figure:
    if isinstance(fig_or_ax, Figure):
        return fig_or_ax
    get = getattr(fig_or_ax, "get_figure", None)
    if get is not None:
        try:
            fig = get(root=True)
        except TypeError:  # matplotlib < 3.10 has no root=
            fig = get()
        if isinstance(fig, Figure):
            return fig
    raise TypeError(f"save(): expected a matplotlib Figure or Axes; got {type(fig_or_ax).__name__}")


_OTHER_IMAGE_SUFFIXES = {"jpg", "jpeg", "tif", "tiff", "gif", "bmp", "webp", "eps", "ps", "pgf", "raw", "rgba"}


def targets(path: str | os.PathLike[str], formats: Iterable[str] | str | None = None) -> list[Path]:
    """The files `save(fig, path, formats)` writes.

    formats None: the format named by the path's suffix (.png, .svg, .pdf), or all three when the
    path has no such suffix (`fig` -> fig.png, fig.svg, fig.pdf). Given formats replace the suffix.
    """
    p = Path(path)
    suffix = p.suffix.lower().lstrip(".")
    if formats is None:
        if suffix in FORMATS:
            return [p]
        if suffix in _OTHER_IMAGE_SUFFIXES:
            raise ValueError(f"save(): cannot write .{suffix} files; use .png, .svg or .pdf, or a path "
                             f"without a suffix for all three: {p}")
        return [p.with_name(p.name + f".{f}") for f in FORMATS]
    fmts = [formats] if isinstance(formats, str) else list(formats)
    bad = [f for f in fmts if f.lower().lstrip(".") not in FORMATS]
    if bad:
        raise ValueError(f"save(): unknown format(s) {', '.join(map(repr, bad))}; choose from "
                         f"{', '.join(FORMATS)}")
    stem = p.with_suffix("") if suffix in FORMATS else p
    return [stem.with_name(stem.name + "." + f.lower().lstrip(".")) for f in dict.fromkeys(fmts)]


def save(fig_or_ax: Any, path: str | os.PathLike[str], formats: Iterable[str] | str | None = None, *,
         force: bool = False, dpi: float | None = None) -> list[Path]:
    """Write a figure as PNG, SVG and/or PDF (see `targets` for which); return the paths written.

    Each file is written to a temporary file beside it and moved into place (os.replace), so an
    interrupted run leaves no half-written figure. An existing file is never replaced unless
    force=True: FileExistsError names it, and nothing is written (every target is checked first).
    """
    fig = _figure(fig_or_ax)
    out = targets(path, formats)
    if not force:
        exist = [str(p) for p in out if p.exists()]
        if exist:
            raise FileExistsError(f"{', '.join(exist)} already exist{'s' if len(exist) == 1 else ''}; "
                                  "pass force=True (--force on the command line) to replace "
                                  f"{'it' if len(exist) == 1 else 'them'}")
    for p in out:
        if not p.parent.is_dir():
            raise FileNotFoundError(f"save(): no directory {p.parent} to write {p.name} in")
    written = []
    for p in out:
        fmt = p.suffix[1:].lower()
        tmp = p.with_name(f".{p.name}.tmp{os.getpid()}")
        try:
            with house_style():
                fig.savefig(tmp, format=fmt, dpi=dpi or HOUSE_RC["savefig.dpi"], bbox_inches="tight",
                            pad_inches=0.15, metadata=_METADATA[fmt])
            os.replace(tmp, p)
        finally:
            if tmp.exists():
                tmp.unlink()
        written.append(p)
    return written
