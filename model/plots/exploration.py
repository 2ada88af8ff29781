"""Figures of scenario discovery and of variance-based sensitivity.

From `model.analysis.explore` (PRIM over the draws): the trade-off of coverage against density
along the peeling trajectory (`prim_tradeoff`), the draws on the two numbers that restrict the box
most with the box drawn over them (`prim_box`), and both side by side (`explore_view`). From
`model.analysis.sobol`: first-order and total Sobol indices with their confidence intervals
(`sobol_bars`). Each draws the analysis's numbers as they are; the only choice made here is which
draws to show when there are many (an evenly spread subset, said on the figure).
"""

from __future__ import annotations


import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from ..analysis.explore import AS_WRITTEN, Exploration
from ..analysis.sobol import SobolIndices
from ..results import draws
from . import style
from ._common import empty_message, fmt, wrap
from .uncertainty import footnote, label_width, option_rows, titled

__all__ = ["explore_view", "prim_box", "prim_tradeoff", "sobol_bars"]

S1_COLOUR = style.OKABE_ITO["blue"]
ST_COLOUR = style.OKABE_ITO["orange"]
"""Sobol bars: first-order and total index."""

MAX_POINTS = 4000
"""Most draws `prim_box` scatters (an evenly spread subset beyond that)."""


def _no_box(ax: Axes, ex: Exploration, title: str) -> Axes:
    return empty_message(ax, title, wrap("; ".join(ex.notes) or "no box", 60))


# ------------------------------------------------------------------------------------------ trade-off
@style.styled
def prim_tradeoff(ex: Exploration, ax: Axes | None = None, *, box: int = 0, title: str | None = None) -> Axes:
    """Coverage (across) against density (up) at every step of box `box`'s peeling trajectory,
    coloured by how many numbers the step restricts; the box kept is ringed."""
    ax = style.new_axes(ax, (7.5, 6.0))
    title = title or "Coverage and density along the peeling"
    if box >= len(ex.boxes):
        return _no_box(ax, ex, title)
    traj = ex.boxes[box]
    cov = np.array([s.coverage for s in traj.steps])
    den = np.array([s.density for s in traj.steps])
    res = np.array([len(s.restricted) for s in traj.steps])
    ax.plot(cov, den, color=style.MUTED, linewidth=1.0, zorder=1, gid="trajectory")
    sc = ax.scatter(cov, den, c=res, cmap=style.SEQUENTIAL, s=34, edgecolor="#222222", linewidth=0.5, zorder=2,
                    vmin=0, vmax=max(int(res.max()), 1), gid="steps")
    paste = np.arange(len(traj.steps)) > traj.peels
    if paste.any():
        ax.scatter(cov[paste], den[paste], marker="s", facecolor="none", edgecolor="#222222", s=70, zorder=3,
                   gid="pastes")
    k = traj.chosen
    ax.scatter([cov[k]], [den[k]], s=260, facecolor="none", edgecolor=style.WARNING, linewidth=2.2, zorder=4,
               gid="kept")
    ax.annotate(f"box kept: coverage {cov[k]:.2f}, density {den[k]:.2f}", (cov[k], den[k]), xytext=(-12, -18),
                textcoords="offset points", ha="right", va="top", fontsize=style.SMALL, color=style.WARNING,
                gid="kept-label")
    cbar = ax.figure.colorbar(sc, ax=ax, pad=0.02, fraction=0.05)
    cbar.set_label("numbers restricted")
    cbar.locator = MaxNLocator(integer=True)
    cbar.update_ticks()
    ax.set_xlim(min(cov.min(), 0.5) - 0.02, 1.02)
    ax.set_ylim(max(min(den.min(), 1.0) - 0.05, 0.0), 1.02)
    ax.set_xlabel("coverage: share of the cases that lie in the box")
    ax.set_ylabel("density: share of the box's draws that are cases")
    ax.grid(True)
    ax.set_axisbelow(True)
    handles = [Line2D([], [], marker="o", color=style.MUTED, markerfacecolor="#BBBBBB", markeredgecolor="#222222",
                      linestyle="-", label="peeling step")]
    if paste.any():
        handles.append(Line2D([], [], marker="s", color="none", markerfacecolor="none", markeredgecolor="#222222",
                              label="pasting step"))
    handles.append(Line2D([], [], marker="o", color="none", markerfacecolor="none", markeredgecolor=style.WARNING,
                          markersize=12, markeredgewidth=2, label="box kept"))
    leg = ax.legend(handles=handles, loc="lower left")
    leg.set_gid("legend")
    titled(ax, title, wrap(f"cases: the draws where {ex.case_words}; box {box + 1} of {len(ex.boxes)}, peeled from "
                           f"{ex.draws.n:,} draws; top right is ideal", 70))
    return ax


# ------------------------------------------------------------------------------------------ the box
def _axis(ex: Exploration, j: int) -> str:
    return style.axis_label(wrap(ex.phrases[j], 48), ex.units[j] if ex.units[j] not in ("", "P") else None)


@style.styled
def prim_box(ex: Exploration, ax: Axes | None = None, *, box: int = 0, title: str | None = None,
             max_points: int = MAX_POINTS) -> Axes:
    """The draws on the two numbers box `box` restricts most (`Exploration.restricting`), the
    cases of interest in the option's colour, the others grey, the box outlined. A box that
    restricts one number shows it against the option's margin over the best other option."""
    ax = style.new_axes(ax, (7.5, 6.0))
    title = title or f"Box {box + 1} on the numbers it restricts most"
    if box >= len(ex.boxes):
        return _no_box(ax, ex, title)
    order = [j for j, _ in ex.restricting(box)]
    b = ex.boxes[box].box
    if not order:
        worlds = ex.box_worlds(box) or ()
        return empty_message(ax, title, wrap("the box restricts only the worlds: "
                                             + ", ".join(w or AS_WRITTEN for w in worlds), 60))
    n = ex.draws.n
    pick = np.unique(np.linspace(0, n - 1, min(n, max_points)).round().astype(int))
    xj = order[0]
    x = ex.draws.x[pick, xj]
    o = ex.options.index(ex.option)
    if len(order) > 1:
        yj = order[1]
        y = ex.draws.x[pick, yj]
        ylabel = _axis(ex, yj)
        ylo, yhi = b.lower[yj], b.upper[yj]
    else:
        y = ex.draws.margin_of(o)[pick]
        ylabel = style.axis_label(wrap(f"margin of {ex.option_name} over the best other option", 48), ex.draws.unit)
        ylo, yhi = float(np.min(y)), float(np.max(y))
    case = ex.cases[pick]
    ax.scatter(x[~case], y[~case], s=7, color=style.MUTED, alpha=0.55, linewidth=0, zorder=1, gid="other-draws",
               rasterized=True)
    ax.scatter(x[case], y[case], s=7, color=style.colour(o), alpha=0.8, linewidth=0, zorder=2, gid="case-draws",
               rasterized=True)
    rect = Rectangle((b.lower[xj], ylo), b.upper[xj] - b.lower[xj], yhi - ylo, facecolor="none",
                     edgecolor="#222222", linewidth=2.0, zorder=3, gid="box")
    ax.add_patch(rect)
    if len(order) == 1:
        ax.axhline(0, color="#222222", linewidth=0.8, linestyle=(0, (4, 2)), zorder=1, gid="zero-margin")
    ax.set_xlabel(_axis(ex, xj))
    ax.set_ylabel(ylabel)
    ax.grid(True)
    ax.set_axisbelow(True)
    leg = ax.legend(handles=[Patch(facecolor=style.colour(o), label="case"),
                             Patch(facecolor=style.MUTED, label="other draws"),
                             Patch(facecolor="none", edgecolor="#222222", linewidth=2.0, label="the box")],
                    loc="upper left", bbox_to_anchor=(0.0, -0.14), ncol=3)
    leg.set_gid("legend")
    titled(ax, title, wrap(f"cases: the draws where {ex.case_words}; coverage {b.coverage:.2f}, density "
                           f"{b.density:.2f}, mass {b.mass:.2f}; {len(b.restricted)} "
                           f"restriction{'s' if len(b.restricted) != 1 else ''}", 70))
    foot = []
    if len(pick) < n:
        foot.append(f"{len(pick):,} of {n:,} draws shown, evenly spread")
    if len(b.restricted) > min(len(order), 2):
        foot.append("the box also restricts numbers (or worlds) not drawn here: see its table")
    if foot:
        footnote(ax, "; ".join(foot))
    return ax


@draws(Exploration)
@style.styled
def explore_view(ex: Exploration, ax: Axes | None = None, *, box: int = 0) -> Axes:
    """Both figures of scenario discovery side by side: the trade-off (left, on `ax` when given)
    and the box on its two most restricting numbers (right). Returns the left Axes."""
    if ax is None:
        fig = style.new_axes(None, (16.0, 6.4)).figure
        fig.clf()
        left, right = fig.subplots(1, 2, gridspec_kw={"wspace": 0.42})
    else:
        from mpl_toolkits.axes_grid1 import make_axes_locatable

        left = ax
        right = make_axes_locatable(ax).append_axes("right", size="100%", pad=1.6)
    prim_tradeoff(ex, left, box=box)
    prim_box(ex, right, box=box)
    return left


# ------------------------------------------------------------------------------------------ Sobol
@draws(SobolIndices)
@style.styled
def sobol_bars(s: SobolIndices, ax: Axes | None = None, *, output: str | None = None, top: int = 12,
               title: str | None = None) -> Axes:
    """First-order (S1) and total (ST) Sobol indices of one output (default: the margin between the
    two best options) for the `top` numbers of largest total index, with their confidence
    intervals."""
    output = output or s.default_output
    order = s.order(output)[:top]
    labels = [wrap(s.phrases[j], 52) for j in order]
    label_w = label_width(labels) if labels else 1.0
    ax = style.new_axes(ax, (min(max(9.5, 7.5 + label_w), 16.0), 2.2 + 0.55 * max(len(order), 3)))
    what = s.describe_output(output)
    title = title or f"Sobol indices: {what}"
    k = s.outputs.index(output)
    if not len(order) or not np.isfinite(s.st[k]).any():
        return empty_message(ax, title, wrap("; ".join(s.notes) or "no uncertain numbers", 60))
    pos = np.arange(len(order))
    h = 0.38
    for off, vals, conf, colour, name in ((-h / 2, s.s1[k, order], s.s1_conf[k, order], S1_COLOUR, "S1"),
                                          (h / 2, s.st[k, order], s.st_conf[k, order], ST_COLOUR, "ST")):
        bars = ax.barh(pos + off, np.nan_to_num(vals), height=h, color=colour, edgecolor="white", zorder=2)
        for bar, j in zip(bars.patches, order):
            bar.set_gid(f"{name}:{s.inputs[j]}")
        eb = ax.errorbar(np.nan_to_num(vals), pos + off, xerr=np.nan_to_num(conf), fmt="none", ecolor="#222222",
                         elinewidth=1.1, capsize=3, zorder=3)
        for c in eb.lines[2]:
            c.set_gid(f"{name}-interval")
    for i, j in enumerate(order):
        ax.text(max(np.nan_to_num(s.st[k, j]) + np.nan_to_num(s.st_conf[k, j]), 0) + 0.01, i + h / 2,
                fmt(s.st[k, j], 2), va="center", fontsize=style.SMALL, color="#222222", gid="st-label")
    option_rows(ax, labels)
    top_x = np.nanmax(np.concatenate([s.st[k, order] + np.nan_to_num(s.st_conf[k, order]), [1e-9]]))
    ax.set_xlim(min(0.0, float(np.nanmin(s.s1[k, order] - np.nan_to_num(s.s1_conf[k, order]))) - 0.02),
                max(1.0, float(top_x) + 0.08) if top_x > 0.6 else float(top_x) * 1.2 + 0.05)
    ax.axvline(0, color="#222222", linewidth=0.8, zorder=1)
    ax.set_xlabel("share of the variance")
    ax.xaxis.grid(True)
    ax.set_axisbelow(True)
    pct = f"{100 * s.conf_level:g}%"
    leg = ax.legend(handles=[Patch(facecolor=S1_COLOUR, label="first order S1: the number alone"),
                             Patch(facecolor=ST_COLOUR, label="total ST: alone and with others"),
                             Line2D([], [], color="#222222", linewidth=1.1, label=f"{pct} confidence interval")],
                    loc="upper left", bbox_to_anchor=(0.0, -0.12), ncol=3)
    leg.set_gid("legend")
    titled(ax, title, f"{s.n:,} base samples, {s.evaluations:,} evaluations; numbers by total index")
    if len(s.inputs) > len(order):
        footnote(ax, f"{len(s.inputs) - len(order)} more numbers with smaller total indices are not shown")
    return ax
