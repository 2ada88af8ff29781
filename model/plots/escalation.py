"""The escalation ladder figure: each option's distribution over the rungs, thresholds marked.

Reads a `model.analysis.escalation.Ladder` only. At the point values (one sample) the numbers are
the ladder's own; under Monte Carlo draws they are its `to_dict()` summary (mean over the draws,
and each threshold's 5th-95th percentile interval), so nothing is averaged here.
"""

from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from ..analysis.escalation import Ladder
from ..results import draws
from . import style
from ._common import fmt_p, named, wrap
from .uncertainty import footnote, label_width, option_swatches, titled

__all__ = ["escalation_ladder"]

BAR = 0.78
"""Longest bar (P = 1) as a share of an option's column."""


@draws(Ladder)
@style.styled
def escalation_ladder(lad: Any, ax: Axes | None = None, *, title: str | None = None, names: Any = None) -> Axes:
    """The rungs as the rows of a ladder (lowest at the bottom, by the names the analyst gave them),
    each marked by a square of its colour on the calm-to-escalation scale (the colour event states
    on that rung have in the responses figure), one column per option (in the option's colour) with
    a bar on each rung as long as P(rung | option) and the rung the option itself stands on
    outlined; each threshold a dashed line under its rung, with every option's probability of
    crossing it (and its 90% interval under Monte Carlo draws)."""
    d = lad.to_dict()
    opts, rungs = list(lad.options), list(lad.rungs)
    colours = style.option_colours(opts)
    n_o, n_r = len(opts), len(rungs)
    draws = lad.n_samples > 1
    rung_labels = [wrap(nm, 22) for nm in lad.rung_names]
    shown = [wrap(named(names, o), 24) for o in opts]
    label_w = label_width(rung_labels) + 0.3
    col_w = max(2.2 if not draws else 2.5, label_width(shown) + 0.3)
    ax = style.new_axes(ax, (min(label_w + 1.6 + col_w * n_o, 16.0), 2.2 + 0.85 * n_r))
    for j, o in enumerate(opts):
        rec = d["options"][o]
        colour = colours[o]
        for k, r in enumerate(rungs):
            p = float(rec["distribution"][r])
            if p > 0:
                ax.add_patch(Rectangle((j + 0.06, k - 0.25), BAR * p, 0.5, facecolor=colour, edgecolor="none",
                                       zorder=2, gid=f"rung:{o}:{r}"))
            inside = p > 0.55
            ax.text(j + 0.06 + (BAR * p - 0.02 if inside else BAR * p + 0.02), k, fmt_p(p),
                    ha="right" if inside else "left", va="center", fontsize=style.SMALL, zorder=3,
                    color=style.text_colour(to_rgba(colour)) if inside else ("#222222" if p > 0 else style.MUTED),
                    gid="rung-label")
        own = lad.option_rung[j]
        if own >= 0:
            ax.add_patch(Rectangle((j + 0.02, own - 0.34), 0.96, 0.68, facecolor="none", edgecolor="#222222",
                                   linewidth=1.8, zorder=4, gid=f"own-rung:{o}"))
    for t, (th, at) in enumerate(zip(lad.thresholds, lad.at)):
        y = at - 0.5
        ax.axhline(y, color="#222222", linestyle="--", linewidth=1.3, zorder=5, gid=f"threshold:{th}")
        ax.annotate(wrap(named(names, f"threshold:{th}", named(names, th)), 18), xy=(1.0, y), xycoords=("axes fraction", "data"), xytext=(6, 0),
                    textcoords="offset points", ha="left", va="center", fontsize=style.SMALL, fontweight="bold", color="#222222",
                    annotation_clip=False, gid="threshold-name")
        for j, o in enumerate(opts):
            rec = d["options"][o]
            text = f"cross {fmt_p(rec['crossing'][th])}"
            if draws and "crossing_90" in rec:
                lo, hi = rec["crossing_90"][th]
                if hi - lo >= 5e-4:                     # a certain crossing needs no interval
                    text += f" [{fmt_p(lo)}, {fmt_p(hi)}]"
            ax.text(j + 0.97, y, text, ha="right", va="center", fontsize=style.SMALL - 0.5, zorder=6,
                    color="#222222", gid="crossing-label",
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
    for j in range(1, n_o):
        ax.axvline(j, color="#DDDDDD", linewidth=1.0, zorder=1)
    ax.set_xlim(0, n_o)
    ax.set_ylim(-0.6, n_r - 0.4)
    ax.set_xticks([j + 0.5 for j in range(n_o)], shown)
    ax.xaxis.tick_top()
    ax.set_yticks(range(n_r), rung_labels)
    # each rung's place on the calm-to-escalation scale, as states on it are coloured elsewhere
    rung_colours = [style.outcome_colour(k / max(n_r - 1, 1)) for k in range(n_r)]
    option_swatches(ax, rungs, dict(zip(rungs, rung_colours)), gid="rung-colour")
    ax.tick_params(axis="both", length=0)
    for s in ("top", "right", "bottom"):
        ax.spines[s].set_visible(False)
    ax.set_ylabel("rung (higher is more escalated)")
    how = (f"mean of {lad.n_samples:,} draws of the file's numbers; [ ]: 5th-95th percentile"
           if draws else "at the point values of every number")
    top_lines = max(lb.count("\n") + 1 for lb in shown)
    titled(ax, title or "Escalation ladder",
           "bars: probability of ending on each rung, given the option; outlined: the option's own rung\n"
           f"dashed: thresholds, crossed at their rung or above; {how}", lift=10 + 14 * top_lines)
    footnote(ax, "a path stands on the highest rung of its option and of the event states on it")
    return ax
