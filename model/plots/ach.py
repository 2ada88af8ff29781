"""The analysis-of-competing-hypotheses matrix: evidence items down, hypotheses across, coloured.

Reads a `model.analysis.ach.CompetingHypotheses` only: the order of the rows (most diagnostic
first), each cell's colour on the -2 ... +2 scale and every score are the analysis's own.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from ..analysis.ach import CompetingHypotheses
from ..results import draws
from . import style
from ._common import cell_borders, fmt_p, text_width, wrap
from .uncertainty import footnote, label_width, titled

__all__ = ["ach_matrix"]

DIVERGING = "PuOr"
"""ColorBrewer's purple-orange: colour-vision safe; orange for inconsistent, purple for consistent."""


@draws(CompetingHypotheses)
@style.styled
def ach_matrix(res: Any, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Heuer's matrix: one row per evidence item (most diagnostic first), one column per hypothesis.
    A rated cell shows its letter, an item with likelihoods its P(item | hypothesis); each is coloured
    on one scale, from II (orange) to CC (purple). Under each hypothesis, its weighted inconsistency
    and, with likelihoods, its posterior; the leading hypothesis is outlined."""
    if not isinstance(res, CompetingHypotheses):
        raise TypeError(f"ach_matrix(): expected a CompetingHypotheses result (model.analysis.ach.ach); got "
                        f"{type(res).__name__}")
    hyps, items = list(res.hypotheses), list(res.items)
    n_h, n_e = len(hyps), len(items)
    shade = np.array([[res.shade[e][h] for h in hyps] for e in items], dtype=float).reshape(n_e, n_h)
    rows = []
    for e in items:
        detail = (f"weight {res.weight[e]:.2f} · range {res.diagnostic_text(e)}" if res.kind[e] == "rating"
                  else f"likelihoods · ratio {res.diagnostic_text(e)}")
        rows.append(f"{wrap(e.replace('_', ' '), 28)}\n{detail}")
    cols = [wrap(res.names[h], 16) for h in hyps]
    label_w = label_width(rows)
    col_w = max(1.5, max(label_width(cols), max(text_width(f"{res.inconsistency[h]:.2f} inconsistency",
                                                           style.SMALL) for h in hyps)) + 0.3)
    ax = style.new_axes(ax, (min(max(label_w + 1.8 + col_w * n_h, 6.5), 16.0), 2.6 + 0.62 * max(n_e, 2)))
    cmap = style.mpl.colormaps[DIVERGING]
    img = ax.imshow(shade, cmap=cmap, vmin=-2.0, vmax=2.0, aspect="auto", interpolation="nearest")
    img.set_gid("cells")
    for i, e in enumerate(items):
        for j, h in enumerate(hyps):
            v = res.cells[e][h]
            text = v if res.kind[e] == "rating" else fmt_p(v)
            fill = cmap((shade[i, j] + 2.0) / 4.0)
            ax.text(j, i, text, ha="center", va="center", color=style.text_colour(fill),
                    fontsize=style.FONT_SIZE, fontweight="bold" if res.kind[e] == "rating" else "normal",
                    gid="cell-label")
    lead = hyps.index(res.ranking[0])
    ax.add_patch(Rectangle((lead - 0.5, -0.5), 1.0, n_e, facecolor="none", edgecolor="#222222", linewidth=2.2,
                           zorder=5, gid=f"leading:{res.ranking[0]}", clip_on=False))
    cell_borders(ax, n_h, n_e)
    ax.set_yticks(range(n_e), rows)
    ax.tick_params(axis="both", length=0)
    top = ax.secondary_xaxis("top")
    top.set_xticks(range(n_h), cols)
    top.tick_params(length=0)
    for s in top.spines.values():
        s.set_visible(False)
    bottom = []
    for h in hyps:
        line = f"{res.inconsistency[h]:.2f} inconsistency"
        if res.posterior is not None:
            line += f"\nposterior {fmt_p(res.posterior[h])}"
        bottom.append(line)
    ax.set_xticks(range(n_h), bottom)
    ax.tick_params(axis="x", labelsize=style.SMALL)
    ax.set_xlabel("weighted inconsistency (lower is better)" + (", posterior" if res.posterior is not None else ""))
    fig = ax.get_figure()
    cb = fig.colorbar(img, ax=ax, fraction=0.04, pad=0.02, ticks=[-2, -1, 0, 1, 2])
    cb.ax.set_yticklabels(["II", "I", "N", "C", "CC"])
    cb.set_label("consistency")
    cb.outline.set_visible(False)
    lead_why = "highest posterior" if res.posterior is not None else "least weighted inconsistency"
    titled(ax, title or f"Competing hypotheses: {res.event_name}",
           f"rows: evidence, most diagnostic first; outlined: the leading hypothesis ({lead_why})\n"
           "likelihoods coloured as ratings: the likeliest hypothesis CC, each halving one step lower",
           lift=22 + 6 * max(c.count("\n") for c in cols))
    if res.posterior is not None:
        footnote(ax, f"posterior: {res.prior_source} x the likelihoods, normalised; ratings do not enter it")
    return ax
