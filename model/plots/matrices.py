"""Figures of the comparison matrices: consequence heat map, actor response bars, risk matrix.

Each function draws a `Table` from `model.analysis.matrices` as it is: the numbers in the figure
are the table's numbers, never recomputed. Intervals, when an analysis (Monte Carlo) has put them
in the table's `meta['low']` / `meta['high']` (arrays shaped like the values), are drawn too.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import blended_transform_factory

from ..results import Table
from . import style
from ._common import cell_borders, empty_message, fmt, fmt_p, grid, intervals, short_unit, text_width, wrap

__all__ = ["consequence_heatmap", "response_bars", "risk_matrix"]


def _check(table: Any, fn: str) -> Table:
    if not isinstance(table, Table):
        raise TypeError(f"{fn}(): expected a model.results.Table (from model.analysis.matrices); "
                        f"got {type(table).__name__}")
    return table


# ---------------------------------------------------------------------------------------- heat map
@style.styled
def consequence_heatmap(table: Table, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Option x criterion heat map of `matrices.consequences(ev)`.

    Each cell shows the expected consequence in the criterion's unit and is coloured by its value
    score (0 worst, 1 best on the criterion's range, in the criterion's direction) on the one
    better-to-worse scale of every figure (`style.OUTCOME_STOPS`: green better, vermillion worse),
    so colours compare across criteria while the numbers stay in the analyst's units. With one raw
    criterion (no scores), cells are coloured by the value itself, its better end green when the
    table's meta gives the criterion's direction. Options run along x, criteria (with their units)
    down y. When the table's meta carries 'low'/'high' intervals, each cell shows them under its
    number.
    """
    _check(table, "consequence_heatmap")
    cols = list(table.columns)
    units = list(table.units) if table.units else [""] * len(cols)
    crit = [c for c in cols if not c.endswith(" score")]
    scored = all(f"{c} score" in cols for c in crit) and len(crit) < len(cols)
    vals = grid(table.values)                                    # [O, columns]
    ci = [cols.index(c) for c in crit]
    x = vals[:, ci].T                                            # [C, O] shown numbers
    directions = (table.meta or {}).get("directions") or {}
    # the better end of the scale is green: scores (and values of a criterion where more is
    # better) run up to it; a criterion where less is better runs the other way
    cmap = style.outcome_cmap().reversed()
    if scored:
        colour = vals[:, [cols.index(f"{c} score") for c in crit]].T
        vmin, vmax = 0.0, 1.0
        cbar_label = "value score (0 worst, 1 best)"
    elif len(crit) == 1:
        colour = x.copy()
        finite = colour[np.isfinite(colour)]
        vmin, vmax = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        if vmax <= vmin:
            vmin, vmax = vmin - 1.0, vmax + 1.0
        cbar_label = style.axis_label(table.label(crit[0]), units[ci[0]])
        if directions.get(crit[0], 1) < 0:
            cmap = style.outcome_cmap()
            cbar_label += "; less is better"
        elif crit[0] not in directions:
            cmap = style.mpl.colormaps[style.SEQUENTIAL]
    else:  # a table of several criteria without scores: colour within each criterion
        lo = np.nanmin(x, axis=1, keepdims=True)
        hi = np.nanmax(x, axis=1, keepdims=True)
        colour = np.where(hi > lo, (x - lo) / np.where(hi > lo, hi - lo, 1.0), 0.5)
        vmin, vmax = 0.0, 1.0
        if all(c in directions for c in crit):
            flip = np.array([directions[c] < 0 for c in crit])[:, None]
            colour = np.where(flip, 1.0 - colour, colour)
            cbar_label = "within each row: 0 worst, 1 best"
        else:
            cmap = style.mpl.colormaps[style.SEQUENTIAL]
            cbar_label = "within each row: 0 lowest, 1 highest"
    n_crit, n_opt = x.shape
    width = 3.2 + max(1.5, max((text_width(table.label(o), style.SMALL + 0.5) for o in table.rows), default=1)
                      + 0.4) * n_opt
    ax = style.new_axes(ax, (min(max(width, 6.5), 16.0), 1.4 + 0.72 * max(n_crit, 2)))
    img = ax.imshow(np.ma.masked_invalid(colour), cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto",
                    interpolation="nearest")
    img.set_gid("cells")
    cmap_bad = "#EEEEEE"
    img.cmap = img.cmap.with_extremes(bad=cmap_bad)
    iv = intervals(table.meta, vals.shape)
    for i in range(n_crit):
        for j in range(n_opt):
            c = colour[i, j]
            fill = to_rgba(cmap_bad) if not np.isfinite(c) else cmap((c - vmin) / (vmax - vmin))
            text = fmt(x[i, j])
            if iv is not None and np.isfinite(x[i, j]):
                lo, hi = iv[0][j, ci[i]], iv[1][j, ci[i]]
                text += f"\n[{fmt(lo)}, {fmt(hi)}]"
            t = ax.text(j, i, text, ha="center", va="center", color=style.text_colour(fill),
                        fontsize=style.FONT_SIZE if iv is None else style.SMALL)
            t.set_gid("cell-label")
    ax.set_xticks(range(n_opt), [table.label(o) for o in table.rows])
    ax.set_yticks(range(n_crit), [_crit_label(table.label(c), units[k]) for c, k in zip(crit, ci)])
    ax.tick_params(axis="both", length=0)
    ax.xaxis.tick_top()
    ax.set_xlabel(table.row_name if table.row_name else "option")
    ax.xaxis.set_label_position("top")
    ax.set_ylabel("criterion (unit)")
    cell_borders(ax, n_opt, n_crit)
    _rotate_if_crowded(ax, [table.label(o) for o in table.rows], n_opt)
    fig = ax.get_figure()
    cb = fig.colorbar(img, ax=ax, fraction=0.04, pad=0.02)
    cb.set_label(cbar_label)
    cb.outline.set_visible(False)
    ax.set_title(title or table.title, pad=14)
    return ax


def _crit_label(name: str, unit: str) -> str:
    u = short_unit(unit)
    return f"{name}\n({wrap(u, 22)})" if u else name


def _rotate_if_crowded(ax: Axes, labels: list[str], n: int) -> None:
    """Tilt x labels when the longest would run into its neighbours."""
    fig = ax.get_figure()
    w_in = fig.get_size_inches()[0] * ax.get_position().width
    longest = max((text_width(s, style.SMALL + 0.5) for s in labels), default=0.0)
    if n and longest > 0.92 * w_in / n:
        for t in ax.get_xticklabels():
            t.set_rotation(25)
            t.set_ha("left" if ax.xaxis.get_ticks_position() == "top" else "right")
            t.set_rotation_mode("anchor")


# ------------------------------------------------------------------------------------ response bars
def _parse_response(col: str) -> tuple[str, str]:
    """'russia: russia_response=protest' -> ('russia: russia_response', 'protest')."""
    head, _, state = col.rpartition("=")
    return (head, state) if head else ("", col)


@style.styled
def response_bars(table: Table, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Stacked horizontal bars of `matrices.responses(ev)`: for each actor's response event, one bar
    per option split into the probabilities of the event's states (summing to one), each block with
    its own legend of states. Segments wide enough carry their probability. States are coloured on
    the calm-to-escalation scale of every figure (`style.state_colours`), by their place in the
    table's meta['levels'] (`escalation.state_levels`: the ladder, the risks' severity) or else
    their order in the event; they show the name the table's labels give 'event.state'."""
    _check(table, "response_bars")
    if not table.columns:
        ax = style.new_axes(ax, (8, 3))
        return empty_message(ax, title or table.title, "; ".join(table.notes) or "no actor responses")
    groups: dict[str, list[tuple[int, str]]] = {}
    for j, c in enumerate(table.columns):
        g, s = _parse_response(c)
        groups.setdefault(g, []).append((j, s))
    vals = grid(table.values)
    opts = list(table.rows)
    n_opt = len(opts)
    row_h = 0.34
    n_rows = sum(n_opt + 1.3 for _ in groups)
    levels = (table.meta or {}).get("levels") or {}
    fills: dict[int, str] = {}
    state_names: dict[int, str] = {}
    for g, states in groups.items():
        event = g.split(": ")[-1]
        cols = [table.columns[j] for j, _ in states]
        by_col = style.state_colours(cols, {c: levels[c] for c in cols if c in levels}
                                     if all(c in levels for c in cols) else None)
        for (j, st), c in zip(states, cols):
            fills[j] = by_col[c]
            state_names[j] = table.labels.get(f"{event}.{st}", st)
    label_w = max(text_width(table.label(o), style.SMALL + 0.5) for o in opts) + 0.3
    state_w = max(text_width(t, style.SMALL) for t in state_names.values()) + 0.6
    ax = style.new_axes(ax, (min(max(4.5 + label_w + state_w, 9.0), 14.0), 1.3 + row_h * n_rows))
    iv = intervals(table.meta, vals.shape)
    bar_in = ax.get_figure().get_size_inches()[0] * ax.get_position().width * 0.92
    unlabelled = 0
    y = 0.0
    yticks, ylabels = [], []
    trans = blended_transform_factory(ax.transAxes, ax.transData)
    segments = []
    for gi, (g, states) in enumerate(groups.items()):
        head_y = y
        ax.text(0.0, head_y, table.label(g) if g else "responses", ha="left", va="center", fontweight="bold",
                fontsize=style.FONT_SIZE, transform=trans, gid="event-header")
        y += 1.0
        handles = []
        for j, s in states:
            handles.append(Patch(facecolor=fills[j], edgecolor="#BBBBBB", linewidth=0.5, label=state_names[j]))
        for oi, o in enumerate(opts):
            left = 0.0
            for j, s in states:
                p = vals[oi, j]
                if not np.isfinite(p) or p <= 0:
                    continue
                fill = fills[j]
                bar = ax.barh(y, p, left=left, height=0.78, color=fill, edgecolor="white", linewidth=1)
                bar.patches[0].set_gid(f"{g}={s}|{o}")
                segments.append(bar.patches[0])
                # the probability goes inside its segment when it fits, in smaller type if need be
                seg_in = p * bar_in
                label = fmt_p(p)
                for size in (style.SMALL, 8.0):
                    if text_width(label, size) + 0.06 <= seg_in:
                        ax.text(left + p / 2, y, label, ha="center", va="center", fontsize=size,
                                color=style.text_colour(to_rgba(fill)), gid="segment-label")
                        break
                else:
                    unlabelled += 1
                if iv is not None:
                    lo, hi = iv[0][oi, j], iv[1][oi, j]
                    if np.isfinite(lo) and np.isfinite(hi):
                        ax.plot([left + p - (p - lo), left + p + (hi - p)], [y + 0.3, y + 0.3],
                                color="#333333", linewidth=1.2)
                left += p
            yticks.append(y)
            ylabels.append(table.label(o))
            y += 1.0
        mid = (head_y + y - 1.0) / 2
        leg = ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.01, mid),
                        bbox_transform=trans, title=table.label(g.split(": ")[-1]) if g else None, handlelength=1.2,
                        alignment="left")
        leg.set_gid(f"legend:{g}")
        ax.add_artist(leg)
        leg.set_clip_on(False)  # add_artist clips to the axes; the legend sits beside them
        y += 0.3
    ax.set_ylim(y - 0.6, -0.8)
    ax.set_xlim(0, 1)
    ax.set_yticks(yticks, ylabels)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("probability of each response given the option (0-1)")
    if unlabelled:
        ax.annotate("segments too narrow for their number: see the table", xy=(1.0, 0.0),
                    xycoords=("axes fraction", ax.xaxis.label), xytext=(0, -4), textcoords="offset points",
                    ha="right", va="top", fontsize=style.SMALL - 1.5, color="#555555", gid="footnote")
    ax.xaxis.grid(True)
    ax.set_axisbelow(True)
    ax.set_title(title or table.title)
    return ax


# -------------------------------------------------------------------------------------- risk matrix
LIKELIHOOD_BANDS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
"""Edges of the likelihood bands drawn behind a risk matrix (background only: the numbers are shown)."""


@style.styled
def risk_matrix(table: Table, ax: Axes | None = None, *, impact: str = "severity",
                title: str | None = None) -> Axes:
    """Likelihood x impact chart of `matrices.risks(ev)`: each (risk, option) at its probability
    (x) and the risk's severity or another impact column (y), labelled with its probability.

    With severity (the analyst's 1-5 scale) each risk keeps its own line within its severity band
    and options are set slightly apart on it, so no point hides another; light bands show the
    likelihood x severity grid behind, but the numbers are always written (a coloured grid alone
    would turn 0.21 and 0.39 into the same cell). `impact` may name a criterion column instead:
    y is then the expected consequence given the risk occurs, in its unit. Error bars come from
    intervals in the table's meta. Options that cannot meet the risk (probability 0) are hollow.
    """
    _check(table, "risk_matrix")
    if not table.rows:
        ax = style.new_axes(ax, (8, 3))
        return empty_message(ax, title or table.title, "; ".join(table.notes) or "no risks")
    cols = list(table.columns)
    if "probability" not in cols:
        raise ValueError("risk_matrix(): the table has no 'probability' column; pass matrices.risks(ev)")
    if impact not in cols:
        raise ValueError(f"risk_matrix(): no column {impact!r}; choose from {', '.join(cols[1:])}")
    units = list(table.units) if table.units else [""] * len(cols)
    vals = grid(table.values)
    pj, ij = cols.index("probability"), cols.index(impact)
    pairs = [r.split(" | ", 1) if " | " in r else [r, ""] for r in table.rows]
    risks = list(dict.fromkeys(p[0] for p in pairs))
    opts = list(dict.fromkeys(p[1] for p in pairs))
    severity = impact == "severity"
    yv = vals[:, ij]
    if severity and not np.isfinite(yv).any():
        raise ValueError("risk_matrix(): no risk has a severity; pass impact=<criterion> to place "
                         "risks by their consequences instead")
    iv = intervals(table.meta, vals.shape)

    # y position of each row: severity band, the risk's line in it, the option's place on the line
    risk_y: dict[str, float] = {}
    per_line = len(opts)
    if severity:
        sev = {r: yv[next(k for k, p in enumerate(pairs) if p[0] == r)] for r in risks}
        levels: dict[float, list[str]] = {}
        for r in risks:
            levels.setdefault(sev[r], []).append(r)
        crowd = max(len(v) for v in levels.values())
        for lvl, rs in levels.items():
            for k, r in enumerate(rs):
                risk_y[r] = lvl + (0.0 if len(rs) == 1 else 0.8 * ((k + 0.5) / len(rs) - 0.5))
        line_gap = 0.8 / max(crowd, 1)
        opt_step = min(0.12, 0.85 * line_gap / max(per_line, 1))
        band_in = max(1.0, crowd * per_line * 0.16)
        lo_s = min(1.0, np.nanmin(yv))
        hi_s = max(5.0, np.nanmax(yv))
        height = 1.6 + band_in * (hi_s - lo_s + 1)
    else:
        height = 6.5
        opt_step = 0.0
    name_w = max(text_width(r, style.SMALL) for r in risks) + 0.3
    ax = style.new_axes(ax, (9.5 + name_w, min(height, 11.0)))

    if severity:
        cmap = style.mpl.colormaps["Oranges"]
        for a, b in itertools.pairwise(LIKELIHOOD_BANDS):
            for s in range(math.floor(lo_s), math.ceil(hi_s) + 1):
                score = ((a + b) / 2) * (s / hi_s)
                ax.add_patch(Rectangle((a, s - 0.5), b - a, 1.0, facecolor=cmap(0.05 + 0.35 * score),
                                       edgecolor="white", linewidth=1.5, zorder=0, gid="band"))
        ax.set_ylim(lo_s - 0.5, hi_s + 0.5)
        ax.set_yticks(range(int(lo_s), int(hi_s) + 1))
    else:
        ax.grid(True)
        for a in LIKELIHOOD_BANDS[1:-1]:
            ax.axvline(a, color="#DDDDDD", linewidth=0.8, zorder=0)

    handles = []
    # every risk lists every option (matrices.risks), so `opts` is the file's order of options
    colours = style.option_colours(opts)
    for oi, o in enumerate(opts):
        c, m = colours[o], style.marker(oi)
        handles.append(Line2D([], [], color=c, marker=m, linestyle="none", markersize=9, label=table.label(o)))
    # rows outside a risk's stated options: the tree's probability, drawn faint (matrices.risks)
    inside = table.columns.index("in its options") if "in its options" in table.columns else None
    outside = {k for k in range(len(table.rows)) if inside is not None and table.values[k][inside] is False}
    if outside:
        ax.annotate("faint: outside the risk's options (shown, not counted)",
                    xy=(1.0, 1.0), xycoords="axes fraction", xytext=(0, 4), textcoords="offset points",
                    ha="right", va="bottom", fontsize=style.SMALL - 0.5, color="#555555", gid="outside-note")
    trans = blended_transform_factory(ax.transAxes, ax.transData)
    for r in risks:
        ks = [k for k, p in enumerate(pairs) if p[0] == r]
        if severity:
            ax.text(1.01, risk_y[r], table.label(r), transform=trans, ha="left", va="center", fontsize=style.SMALL,
                    gid="risk-name")
            ax.plot([0, 1], [risk_y[r], risk_y[r]], color="#FFFFFF", linewidth=0.8, zorder=1)
        for k in ks:
            o = pairs[k][1]
            oi = opts.index(o)
            px, py = vals[k, pj], vals[k, ij]
            if not (np.isfinite(px) and np.isfinite(py)):
                continue
            y = risk_y[r] + (oi - (per_line - 1) / 2) * opt_step if severity else py
            c, m = colours[o], style.marker(oi)
            hollow = px <= 0
            xerr = yerr = None
            if iv is not None:
                xl, xh = iv[0][k, pj], iv[1][k, pj]
                if np.isfinite(xl) and np.isfinite(xh):
                    xerr = [[px - xl], [xh - px]]
                if not severity:
                    yl, yh = iv[0][k, ij], iv[1][k, ij]
                    if np.isfinite(yl) and np.isfinite(yh):
                        yerr = [[py - yl], [yh - py]]
            if xerr is not None or yerr is not None:
                ax.errorbar(px, y, xerr=xerr, yerr=yerr, fmt="none", ecolor=c, elinewidth=1.3,
                            capsize=3, zorder=3)
            pt, = ax.plot(px, y, marker=m, color=c, markersize=9, linestyle="none", zorder=4,
                          markerfacecolor="white" if hollow else c, markeredgewidth=1.5,
                          alpha=0.4 if k in outside else 1.0)  # faint: shown, not counted as the risk
            pt.set_gid(f"point:{table.rows[k]}")
            ax.annotate(fmt_p(px) if severity else f"{fmt_p(px)}, {fmt(py)}", (px, y), xytext=(7, 0),
                        textcoords="offset points", ha="left", va="center", fontsize=style.SMALL - 0.5,
                        color="#222222", zorder=5, gid="point-label")
    ax.set_xlim(-0.02, 1.0)
    ax.set_xticks(LIKELIHOOD_BANDS)
    ax.set_xlabel("likelihood: probability the risk occurs under the option (0-1)")
    if severity:
        ax.set_ylabel(f"severity ({units[ij] + ', ' if units[ij] else ''}analyst's scale)")
    else:
        ax.set_ylabel(style.axis_label(f"{impact} given the risk occurs", units[ij]))
    leg = ax.legend(handles=handles, title="option", loc="upper center", bbox_to_anchor=(0.5, -0.085),
                    ncol=min(len(opts), 4), handletextpad=0.3, columnspacing=1.2)
    leg.set_gid("legend:options")
    ax.set_title(title or table.title)
    return ax
