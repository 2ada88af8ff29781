"""Figures of robustness: across alternative futures (worlds), weightings and aggregation methods.

- `regret_heatmap`: options x worlds regret (or value) of `robustness.across_worlds`, every cell
  annotated, each option's largest regret beside it and the minimax-regret choice outlined.
- `acceptability_bars`: SMAA rank acceptability (`smaa.smaa`) as stacked bars, one per option.
- `rank_comparison`: each option's rank under several weightings or methods side by side
  (`mcda.compare` results by label).
- `weights_chart`: weight vectors side by side (`weights.Weights`).

Each draws what its analysis computed; the numbers in cells and labels are the analysis's own.
Better and worse (regret, value, rank) are coloured on the one `style.OUTCOME_STOPS` scale (green
better, vermillion worse); options keep their own colour (`style.option_colours`) in a square
beside their name. `names` (id -> what to show) gives the file's names, as in every figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.patches import Patch, Rectangle

from ..analysis.robustness import Robustness
from ..analysis.smaa import Smaa
from ..results import draws
from . import style
from ._common import amount, cell_borders, fmt, fmt_p, named, text_width, wrap
from .uncertainty import label_width, option_rows, option_swatches, titled

__all__ = ["acceptability_bars", "rank_comparison", "regret_heatmap", "weights_chart"]


# ---------------------------------------------------------------------------------------- regret
@draws(Robustness)
@style.styled
def regret_heatmap(r: Any, ax: Axes | None = None, *, show: str = "regret", title: str | None = None,
                   names: Any = None) -> Axes:
    """Options (rows) x worlds (columns) of a `robustness.Robustness`: each cell the option's regret
    in that world (the best value there minus its own; 0 = the best choice in that world), or its
    value with show='value'; green is good, vermillion bad, in both. A last column, set apart, gives each
    option's largest regret (or its worst value), and the minimax-regret (or maximin) choice is
    outlined. Worlds carry the names the analyst gave them."""
    if show not in ("regret", "value"):
        raise ValueError(f"regret_heatmap(): show must be 'regret' or 'value'; got {show!r}")
    rules = r.rules
    opts, worlds = list(rules.options), list(rules.worlds)
    o, w = len(opts), len(worlds)
    if show == "regret":
        cells, extra = np.asarray(rules.regret, dtype=float), np.asarray(rules.max_regret, dtype=float)
        extra_name, choice = "largest regret", rules.choice["minimax_regret"]
        cmap = style.outcome_cmap()               # no regret: the better end
        rule = "minimax regret"
    else:
        cells, extra = np.asarray(rules.value, dtype=float), np.asarray(rules.worst, dtype=float)
        extra_name, choice = "worst value", rules.choice["maximin"]
        cmap = style.outcome_cmap().reversed()    # the largest value: the better end
        rule = "maximin"
    every = np.concatenate([cells.ravel(), extra])
    lo, hi = float(np.nanmin(every)), float(np.nanmax(every))
    if hi <= lo:
        lo, hi = lo - 1.0, hi + 1.0
    norm = Normalize(lo, hi)
    shown = [wrap(named(names, o), 30) for o in opts]
    world_names = [wrap(r.names.get(c, c), 16) for c in worlds]
    col_w = max(1.35, label_width(world_names) + 0.35, max(text_width(amount(v), style.FONT_SIZE) for v in every) + 0.4)
    label_w = label_width(shown) + 0.3
    ax = style.new_axes(ax, (min(max(7.5, label_w + 2.4 + col_w * (w + 1.3)), 16.0), 2.4 + 0.62 * max(o, 2)))
    img = ax.imshow(cells, cmap=cmap, norm=norm, aspect="auto", interpolation="nearest",
                    extent=(-0.5, w - 0.5, o - 0.5, -0.5))
    img.set_gid("cells")
    gap = 0.25
    for i in range(o):
        for j in range(w):
            fill = cmap(norm(cells[i, j]))
            ax.text(j, i, amount(cells[i, j]), ha="center", va="center", fontsize=style.FONT_SIZE,
                    color=style.text_colour(fill), gid="cell-label")
        fill = cmap(norm(extra[i]))
        x0 = w - 0.5 + gap
        ax.add_patch(Rectangle((x0, i - 0.5), 1.0, 1.0, facecolor=fill, edgecolor="white", linewidth=2,
                               gid=f"{show}-summary"))
        bold = opts[i] in choice
        ax.text(x0 + 0.5, i, amount(extra[i]), ha="center", va="center", fontsize=style.FONT_SIZE,
                color=style.text_colour(fill), fontweight="bold" if bold else "normal", gid="summary-label")
        if bold:
            ax.add_patch(Rectangle((x0 + 0.04, i - 0.46), 0.92, 0.92, facecolor="none", edgecolor="#222222",
                                   linewidth=2.5, zorder=5, gid="choice"))
    ax.set_xlim(-0.5, w + 0.5 + gap)
    ax.set_ylim(o - 0.5, -0.5)
    ax.set_xticks(list(range(w)) + [w + gap], world_names + [wrap(extra_name, 12)])
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xlabel("world (alternative future)")
    option_rows(ax, shown)
    option_swatches(ax, opts, style.option_colours(opts))
    ax.set_ylabel("option")
    ax.tick_params(axis="both", length=0)
    cell_borders(ax, w, o)
    fig = ax.get_figure()
    cb = fig.colorbar(img, ax=ax, fraction=0.035, pad=0.02)
    cb.set_label(wrap(style.axis_label(show, r.regret_unit if show == "regret" else r.value_unit), 30))
    cb.outline.set_visible(False)
    if show == "regret":
        cb.ax.invert_yaxis()      # 0 regret (better, green) at the top, as the value scale has its best there
    what = (f"{r.regret_meaning} (0: the best choice there)"
            if show == "regret" else "value: what the comparison ranks by, larger is better")
    choice_text = f"{rule}: {', '.join(named(names, o) for o in choice)}" + (" (tie)" if len(choice) > 1 else "")
    top_lines = max(n.count("\n") + 1 for n in world_names + [wrap(extra_name, 12)])
    titled(ax, title or ("Regret across worlds" if show == "regret" else "Value across worlds"),
           f"{what}\n{choice_text} (outlined)", lift=26 + 13 * top_lines)
    return ax


# ---------------------------------------------------------------------------------- acceptability
@draws(Smaa)
@style.styled
def acceptability_bars(s: Any, ax: Axes | None = None, *, title: str | None = None, names: Any = None) -> Axes:
    """SMAA rank acceptability of a `smaa.Smaa`: one stacked bar per option (ordered by the analysis's
    ranking, best first), split into the shares of draws in which the option takes rank 1, 2, ...
    (each bar sums to 1); rank 1 at the better (green) end of the outcome scale, the last rank at the
    worse (vermillion). Segments wide enough carry their share; the right margin gives each option's
    confidence factor."""
    b = np.asarray(s.rank_acceptability, dtype=float)
    order = [list(s.options).index(o) for o in s.ranking]
    opts = [s.options[i] for i in order]
    shown = [wrap(named(names, o), 34) for o in opts]
    n_rank = b.shape[1]
    label_w = label_width(shown) + 0.3
    ax = style.new_axes(ax, (max(9.5, 8.0 + label_w), 2.2 + 0.7 * max(len(opts), 2)))
    cmap = style.outcome_cmap()
    shades = [cmap(k / max(n_rank - 1, 1)) for k in range(n_rank)]
    bar_in = ax.get_figure().get_size_inches()[0] * ax.get_position().width
    for row, i in enumerate(order):
        left = 0.0
        for k in range(n_rank):
            share = b[i, k]
            if share <= 0:
                continue
            bar = ax.barh(row, share, left=left, height=0.66, color=shades[k], edgecolor="white", linewidth=0.8)
            bar.patches[0].set_gid(f"rank{k + 1}:{s.options[i]}")
            label = fmt_p(share)
            if text_width(label, style.SMALL) + 0.08 <= share * bar_in * 0.9:
                ax.text(left + share / 2, row, label, ha="center", va="center", fontsize=style.SMALL,
                        color=style.text_colour(shades[k]), gid="share-label")
            left += share
        c = s.confidence[i]
        ax.annotate("never first" if not np.isfinite(c) else fmt_p(c), xy=(1.0, row), xycoords=("axes fraction", "data"),
                    xytext=(8, 0), textcoords="offset points", ha="left", va="center", fontsize=style.SMALL,
                    color="#222222", gid="confidence", annotation_clip=False)
    ax.annotate("confidence", xy=(1.0, 1.0), xycoords="axes fraction", xytext=(8, 4), textcoords="offset points",
                ha="left", va="bottom", fontsize=style.SMALL, fontweight="bold", color="#222222",
                annotation_clip=False)
    option_rows(ax, shown)
    option_swatches(ax, opts, style.option_colours(s.options))
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of draws in which the option takes each rank (0-1)")
    handles = [Patch(facecolor=shades[k], label=f"rank {k + 1}" + (" (best)" if k == 0 else "")) for k in range(n_rank)]
    leg = ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=min(n_rank, 6),
                    handlelength=1.2, columnspacing=1.2)
    leg.set_gid("legend")
    st = s.settings
    se = float(np.max(s.standard_error)) if s.n else float("nan")
    titled(ax, title or "Rank acceptability (SMAA)",
           f"{s.n:,} draws of weights ({st.get('weights')}) and consequences ({st.get('consequences')}); "
           f"aggregation {st.get('aggregation')}; standard error of a share at most {se:.3f}\n"
           "confidence: share of draws it is best with the weights fixed at its central weights")
    return ax


# ------------------------------------------------------------------------------------------- ranks
@style.styled
def rank_comparison(results: Mapping[str, Any], ax: Axes | None = None, *, title: str | None = None,
                    names: Any = None) -> Axes:
    """Each option's rank (1 = best) under several comparisons side by side: `results` maps a label
    (a weighting such as 'given' or 'profile:hawks', or a method such as 'mavt') to a
    `mcda.MultiCriteria`. One line per option joins its ranks; each point carries the option's
    score under that comparison. Ties share a rank (their points are set slightly apart)."""
    if not results:
        raise ValueError("rank_comparison(): give at least one comparison")
    labels = [named(names, k) for k in results]
    first = next(iter(results.values()))
    opts = list(first.options)
    colours = style.option_colours(opts)
    shown = [wrap(named(names, o), 26) for o in opts]
    n_opt, n_col = len(opts), len(labels)
    label_w = label_width(shown)
    ax = style.new_axes(ax, (min(max(7.5, 2 * label_w + 2.2 * n_col + 1.0), 16.0), 1.8 + 0.75 * max(n_opt, 3)))
    ranks = np.array([[int(res.ranks[i]) for res in results.values()] for i in range(n_opt)], dtype=float)
    scores = np.array([[float(res.scores[i]) for res in results.values()] for i in range(n_opt)])
    # points of tied options side by side, not on top of each other
    offset = np.zeros_like(ranks)
    for j in range(n_col):
        for r in np.unique(ranks[:, j]):
            same = np.flatnonzero(ranks[:, j] == r)
            if len(same) > 1:
                offset[same, j] = np.linspace(-0.15, 0.15, len(same))
    for i, o in enumerate(opts):
        y = ranks[i] + offset[i]
        line, = ax.plot(range(n_col), y, color=colours[o], marker=style.marker(i), markersize=10,
                        linewidth=2.4, linestyle="-", zorder=3, label=shown[i])
        line.set_gid(f"ranks:{o}")
        for j in range(n_col):
            ax.annotate(fmt(scores[i, j]), (j, y[j]), xytext=(0, 9), textcoords="offset points", ha="center",
                        va="bottom", fontsize=style.SMALL - 0.5, color="#333333", gid="score")
        ax.annotate(shown[i], (n_col - 1, y[-1]), xytext=(14, 0), textcoords="offset points", ha="left",
                    va="center", fontsize=style.SMALL + 0.5, color=colours[o], fontweight="bold", gid="option-right")
    ax.set_xticks(range(n_col), [wrap(lb, 16) for lb in labels])
    ax.xaxis.tick_top()
    ax.set_xlim(-0.35, n_col - 0.65 if n_col > 1 else 0.35)
    ax.set_yticks(range(1, n_opt + 1))
    ax.set_ylim(n_opt + 0.6, 0.4)
    ax.set_ylabel("rank (1 = best)")
    ax.tick_params(axis="x", length=0)
    for side in ("top", "bottom", "right"):
        ax.spines[side].set_visible(False)
    ax.yaxis.grid(True)
    ax.set_axisbelow(True)
    units = sorted({"value 0-1" if res.method == "mavt" else "closeness 0-1" for res in results.values()})
    note = f"numbers: each option's score ({', '.join(units)}); ties share a rank"
    top_lines = max(wrap(lb, 16).count("\n") + 1 for lb in labels)
    titled(ax, title or "Ranks under each comparison", note, lift=8 + 13 * top_lines)
    return ax


# ----------------------------------------------------------------------------------------- weights
@style.styled
def weights_chart(sets: Sequence[Any], ax: Axes | None = None, *, title: str | None = None,
                  names: Any = None) -> Axes:
    """Weight vectors side by side (`weights.Weights`, e.g. `weights.available(model)`): one group of
    bars per criterion, one bar per weighting (in greys, dark first: colour means an option in the
    other figures), each vector normalised to sum to 1 as the analysis gave it. Bars carry their
    weight."""
    sets = list(sets)
    if not sets:
        raise ValueError("weights_chart(): give at least one set of weights")
    crits = list(sets[0].criteria)
    shown = [wrap(named(names, c), 28) for c in crits]
    n_c, n_s = len(crits), len(sets)
    greys = [style.mpl.colors.to_hex(style.mpl.colormaps["Greys"](0.85 - 0.6 * k / max(n_s - 1, 1)))
             for k in range(n_s)]
    label_w = label_width(shown)
    ax = style.new_axes(ax, (max(9.0, 7.0 + label_w), 1.8 + 0.32 * n_c * (n_s + 0.8)))
    h = 0.8 / n_s
    top = max(float(np.max(s.values)) for s in sets)
    for k, s in enumerate(sets):
        y = np.arange(n_c) - 0.4 + h * (k + 0.5)
        bars = ax.barh(y, s.values, height=h * 0.92, color=greys[k], edgecolor="white",
                       label=named(names, s.label))
        for b, c in zip(bars.patches, crits):
            b.set_gid(f"weight:{s.label}:{c}")
        for yy, v in zip(y, s.values):
            ax.text(v + 0.01 * top, yy, fmt(v), ha="left", va="center", fontsize=style.SMALL - 0.5,
                    color="#333333", gid="weight-label")
    option_rows(ax, shown)
    ax.set_ylabel("criterion")
    ax.set_xlim(0, top * 1.18)
    ax.set_xlabel("weight (normalised: each weighting sums to 1)")
    ax.xaxis.grid(True)
    ax.set_axisbelow(True)
    leg = ax.legend(title="weighting", loc="lower right")
    leg.set_gid("legend")
    titled(ax, title or "Criterion weights side by side",
           "a weight: what moving the criterion from the worst to the best of its range is worth")
    return ax
