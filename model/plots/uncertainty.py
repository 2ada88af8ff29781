"""Figures of the uncertainty analyses: how sure the comparison is, and what it hangs on.

From a Monte Carlo run (`model.analysis.montecarlo`): the distribution of each option's expected
utility (`utility_distribution`), risk profiles (`risk_profiles`) and the probability that each
option is best with its Monte Carlo error (`p_best_bars`). From deterministic sensitivity
(`model.analysis.sensitivity`): tornado (`tornado_chart`), spider (`spider_chart`) and the two-way
strategy-region map with thresholds marked (`strategy_regions`). From `model.analysis.voi`: the
value of information, ranked (`voi_bars`).

Each draws its analysis's result as it is: quantiles, probabilities, standard errors and swings
are the analysis's numbers, never recomputed here. Options keep the colour of their position in
the file (`style.option_colours`: option i is always `style.colour(i)`), so one option looks the
same in every figure of a report. Every figure takes `names` (id or parameter path -> what to
show, as `model.analysis.names.Namer.labels` gives them; the report and `juncture plot` pass the
file's names): without it, options and events show their ids and numbers their compact phrases.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap, to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from ..analysis.montecarlo import MonteCarlo, RiskProfile
from ..analysis.sensitivity import Spider, Tornado, TwoWay
from ..analysis.voi import ValueOfInformation
from ..results import draws
from . import style
from ._common import amount, empty_message, fmt, fmt_p, named, text_width, wrap

__all__ = ["p_best_bars", "risk_profiles", "spider_chart", "strategy_regions", "tornado_chart",
           "utility_distribution", "voi_bars"]

Z95 = 1.959963984540054
"""Half-width of a 95% normal interval in standard errors (as `montecarlo.Z95`)."""

LINESTYLES: tuple[Any, ...] = ("-", (0, (6, 2)), (0, (1, 1.5)), (0, (6, 2, 1, 2)), (0, (3, 1.5)),
                               (0, (8, 2, 1, 2, 1, 2)), "-", (0, (6, 2)))
"""Line dashes paired with the palette, so curves differ in greyscale and for every colour vision."""

LOW_COLOUR = "#B9B9B9"
HIGH_COLOUR = "#5E5E5E"
"""Tornado: the number at its low / high value, in greys: colour in a figure means an option, or
calm-to-escalation / better-to-worse, and low or high is neither."""

NOTE_COLOUR = "#444444"


# ------------------------------------------------------------------------------------------ helpers
def titled(ax: Axes, title: str, note: str | None = None, lift: float = 0.0) -> None:
    """The figure's title and, under it, one or more short lines saying what is drawn; `lift`
    (points) raises both over what sits on top of the axes (tick labels at the top)."""
    lines = 0 if not note else note.count("\n") + 1
    ax.set_title(title, pad=8 + lift + lines * 1.25 * style.SMALL)
    if note:
        ax.annotate(note, xy=(0, 1), xycoords="axes fraction", xytext=(0, 5 + lift), textcoords="offset points",
                    ha="left", va="bottom", fontsize=style.SMALL, color=NOTE_COLOUR, gid="subtitle",
                    annotation_clip=False)


def footnote(ax: Axes, text: str) -> None:
    """A grey line under the x axis label (what is left out, how many samples)."""
    ax.annotate(text, xy=(0.0, 0.0), xycoords=("axes fraction", ax.xaxis.label), xytext=(0, -6),
                textcoords="offset points", ha="left", va="top", fontsize=style.SMALL - 0.5,
                color=NOTE_COLOUR, gid="footnote", annotation_clip=False)


def label_width(labels: Sequence[str], size: float = style.SMALL + 0.5) -> float:
    return max((max(text_width(line, size) for line in s.split("\n")) for s in labels), default=1.0)


def _gid_errors(container: Any, gid: str) -> None:
    """Name the lines of an errorbar container (a container itself carries no gid)."""
    for c in container.lines[2]:
        c.set_gid(gid)
    for c in container.lines[1]:
        c.set_gid(gid + ":caps")


def option_rows(ax: Axes, options: Sequence[str]) -> None:
    """Options down the y axis, the file's first at the top."""
    ax.set_yticks(range(len(options)), list(options))
    ax.set_ylim(len(options) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)


def option_swatches(ax: Axes, options: Sequence[str], colours: dict[str, str], rows: Sequence[float] | None = None,
                    gid: str = "swatch") -> None:
    """A square of each option's colour just left of the axis, beside its label (y at `rows`, default
    0, 1, ...), for figures whose own colours mean something else (regret, rank acceptability): the
    option still looks as it does in every other figure."""
    from matplotlib.transforms import blended_transform_factory, offset_copy

    ax.tick_params(axis="y", pad=18)
    trans = offset_copy(blended_transform_factory(ax.transAxes, ax.transData), fig=ax.get_figure(), x=-9,
                        units="points")
    for o, y in zip(options, range(len(options)) if rows is None else rows):
        ax.plot([0], [y], marker="s", markersize=9, linestyle="none", color=colours[o], markeredgecolor="#9A9A9A",
                markeredgewidth=0.5,
                transform=trans, clip_on=False, zorder=6, gid=f"{gid}:{o}")


def _what(of: str, names: Any = None) -> str:
    return {"utility": "expected utility", "certainty_equivalent": "certainty equivalent"}.get(of) or named(names, of)


def _quantity_label(of: str, unit: str, direction: float, names: Any = None) -> str:
    text = style.axis_label(_what(of, names), unit)
    return text + ("; smaller is better" if direction < 0 else "")


def _violins(ax: Axes, data: list[np.ndarray], positions: list[int], width: float) -> dict[str, Any]:
    """Horizontal violins with matplotlib's own kernel density (its display, not an analysis)."""
    kw: dict[str, Any] = ({"orientation": "horizontal"}
                          if "orientation" in inspect.signature(ax.violinplot).parameters else {"vert": False})
    return ax.violinplot(data, positions=positions, widths=width, showextrema=False, **kw)


# ------------------------------------------------------------------------------- utility distribution
@draws(MonteCarlo)
@style.styled
def utility_distribution(mc: Any, ax: Axes | None = None, *, of: str = "utility",
                         title: str | None = None, names: Any = None) -> Axes:
    """Distribution of each option's expected utility (or of `of`: 'certainty_equivalent' or a
    criterion id) across the draws of a `montecarlo.MonteCarlo` run: one horizontal violin per
    option with the run's summary over it (5th-95th percentile line, 25th-75th bar, median dot,
    mean diamond; from `mc.summary(of)`). An option whose figure does not vary is a single tick.
    """
    why = "one draw = one set of the file's uncertain numbers; shape: density of the draws"
    if of == "utility" and not np.isfinite(mc.samples(of)[0]).all():
        # some utilities lie below the float range: the certainty equivalents order the draws
        # the same way and can be drawn
        of = "certainty_equivalent"
        why = "utilities below -1.8e308 cannot be drawn: certainty equivalents (same order) instead"
    summ = mc.summary(of)
    x, direction, unit = mc.samples(of)
    opts = list(summ.options)
    n_opt = len(opts)
    colours = style.option_colours(opts)
    shown = [wrap(named(names, o), 34) for o in opts]
    label_w = label_width(shown)
    ax = style.new_axes(ax, (max(8.5, 7.0 + label_w), 1.9 + 0.85 * max(n_opt, 2)))
    stat = {s: summ.values[:, k] for k, s in enumerate(summ.stats)}
    varying = [i for i in range(n_opt) if np.ptp(x[:, i]) > 0]
    if varying:
        parts = _violins(ax, [np.asarray(x[:, i], dtype=float) for i in varying], varying, 0.8)
        for body, i in zip(parts["bodies"], varying):
            body.set_facecolor(colours[opts[i]])
            body.set_edgecolor(colours[opts[i]])
            body.set_alpha(0.35)
            body.set_gid(f"violin:{opts[i]}")
    for i in range(n_opt):
        if i not in varying:
            ax.plot([x[0, i]] * 2, [i - 0.3, i + 0.3], color=colours[opts[i]], linewidth=3, gid=f"fixed:{opts[i]}")
    have = {"p5", "p95", "p25", "p75", "p50"} <= set(stat)
    for i in range(n_opt):
        if have:
            ax.plot([stat["p5"][i], stat["p95"][i]], [i, i], color="#222222", linewidth=1.4, zorder=3,
                    solid_capstyle="butt", gid="p5-p95")
            ax.plot([stat["p25"][i], stat["p75"][i]], [i, i], color="#222222", linewidth=6, zorder=3,
                    solid_capstyle="butt", gid="p25-p75")
            ax.plot(stat["p50"][i], i, marker="o", markersize=6, color="white", markeredgecolor="#222222",
                    zorder=4, linestyle="none", gid="median")
        ax.plot(stat["mean"][i], i, marker="D", markersize=7, color=colours[opts[i]], markeredgecolor="#222222",
                zorder=5, linestyle="none", gid="mean")
    option_rows(ax, shown)
    ax.set_xlabel(_quantity_label(of, unit, direction, names))
    ax.xaxis.grid(True)
    ax.set_axisbelow(True)
    handles = [Line2D([], [], marker="D", color="#888888", markeredgecolor="#222222", linestyle="none",
                      markersize=7, label="mean")]
    if have:
        handles = [Line2D([], [], color="#222222", linewidth=1.4, label="5th-95th percentile"),
                   Line2D([], [], color="#222222", linewidth=6, label="25th-75th percentile"),
                   Line2D([], [], marker="o", color="white", markeredgecolor="#222222", linestyle="none",
                          markersize=6, label="median"), *handles]
    leg = ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=len(handles),
                    handletextpad=0.4, columnspacing=1.4)
    leg.set_gid("legend")
    titled(ax, title or f"Distribution of {_what(of, names)} across {summ.n:,} draws", why)
    return ax


# ------------------------------------------------------------------------------------ risk profiles
@draws(RiskProfile)
@style.styled
def risk_profiles(profile: Any, ax: Axes | None = None, *, band: bool = True,
                  title: str | None = None, names: Any = None) -> Axes:
    """Cumulative risk profiles: for each option the share of draws at or below x
    (`montecarlo.RiskProfile`, or a `MonteCarlo` whose `risk_profile()` is drawn). Colours and
    dashes tell options apart; `band` shades +/- 1.96 standard errors of each share."""
    if hasattr(profile, "risk_profile") and not hasattr(profile, "cdf"):
        profile = profile.risk_profile()
    opts = list(profile.options)
    colours = style.option_colours(opts)
    ax = style.new_axes(ax, (10.0, 6.0))
    for i, o in enumerate(opts):
        f = profile.cdf[i]
        line, = ax.plot(profile.x, f, color=colours[o], linestyle=LINESTYLES[i % len(LINESTYLES)],
                        linewidth=2.2, label=wrap(named(names, o), 30), zorder=3)
        line.set_gid(f"profile:{o}")
        if band:
            half = Z95 * profile.se[i]
            ax.fill_between(profile.x, np.clip(f - half, 0, 1), np.clip(f + half, 0, 1), color=colours[o],
                            alpha=0.18, linewidth=0, zorder=2, gid=f"band:{o}")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(_quantity_label(profile.of, profile.unit, profile.direction, names))
    ax.set_ylabel(f"share of draws with {_what(profile.of, names)} at or below x")
    ax.grid(True)
    ax.set_axisbelow(True)
    leg = ax.legend(title="option", loc="upper left", bbox_to_anchor=(1.01, 1.0), handlelength=3.2)
    leg.set_gid("legend")
    better = "right" if profile.direction > 0 else "left"
    note = (f"a curve further {better} is better; one always {better} of another dominates it (first order)"
            + (f"\nshaded: 95% Monte Carlo band, {profile.n:,} draws" if band else f"\n{profile.n:,} draws"))
    titled(ax, title or f"Risk profiles: {_what(profile.of, names)}", note)
    return ax


# ------------------------------------------------------------------------------------------- P(best)
@style.styled
def p_best_bars(result: Any, ax: Axes | None = None, *, title: str | None = None, names: Any = None) -> Axes:
    """Probability that each option is best, one horizontal bar per option in file order, with a
    95% Monte Carlo error bar (+/- 1.96 standard errors). `result`: a `MonteCarlo` (its
    `p_best()`) or a utility `Summary` (its `p_best` and `p_best_se`)."""
    if hasattr(result, "p_best") and callable(result.p_best):
        p, se = result.p_best()
        n = result.n
    elif getattr(result, "p_best", None) is not None:
        p, se, n = result.p_best, result.p_best_se, result.n
    else:
        raise TypeError("p_best_bars(): expected a MonteCarlo or a Summary of utility (with P(best)); got "
                        f"{type(result).__name__}")
    opts = list(result.options)
    colours = style.option_colours(opts)
    shown = [wrap(named(names, o), 34) for o in opts]
    p = np.asarray(p, dtype=float)
    err = Z95 * np.nan_to_num(np.asarray(se, dtype=float))
    label_w = label_width(shown)
    ax = style.new_axes(ax, (max(8.0, 6.5 + label_w), 1.8 + 0.7 * max(len(opts), 2)))
    bars = ax.barh(range(len(opts)), p, height=0.62, color=[colours[o] for o in opts],
                   edgecolor="white", zorder=2)
    for b, o in zip(bars.patches, opts):
        b.set_gid(f"p-best:{o}")
    eb = ax.errorbar(p, range(len(opts)), xerr=err, fmt="none", ecolor="#222222", elinewidth=1.5, capsize=5,
                     capthick=1.5, zorder=3)
    _gid_errors(eb, "p-best-errors")
    for i, (v, e) in enumerate(zip(p, err)):
        text = fmt_p(v) + (f" ± {fmt_p(e)}" if e > 0 else "")
        inside = v + e > 0.78
        ax.text(v - e - 0.015 if inside else v + e + 0.015, i, text, ha="right" if inside else "left",
                va="center", fontsize=style.SMALL + 0.5, zorder=4, gid="p-best-label",
                color=style.text_colour(to_rgba(colours[opts[i]])) if inside else "#222222")
    option_rows(ax, shown)
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability that the option is best (0-1)")
    ax.xaxis.grid(True)
    ax.set_axisbelow(True)
    titled(ax, title or "Probability that each option is best",
           f"share of {n:,} draws in which it has the highest expected utility (ties shared)\n"
           "error bars: 95% Monte Carlo interval (± 1.96 standard errors)")
    return ax


# ------------------------------------------------------------------------------------------ tornado
@draws(Tornado)
@style.styled
def tornado_chart(t: Any, ax: Axes | None = None, *, top: int = 12, title: str | None = None,
                  names: Any = None) -> Axes:
    """Tornado of a `sensitivity.Tornado`: for each number (its phrase on the left), a bar from the
    base result to the result with the number at its low value and one to its high value; the
    largest swing on top (the analysis's order). Each bar end shows the number's value there, and
    the option that becomes preferred when it changes, on a patch of that option's colour. The
    `top` largest swings are drawn."""
    k = min(top, len(t.names))
    if k == 0:
        ax = style.new_axes(ax, (9, 3))
        return empty_message(ax, title or f"Tornado: {t.target}", "; ".join(t.notes) or "no numbers to move")
    colours = style.option_colours(t.options)
    labels = [wrap(named(names, t.names[i], t.phrases[i]), 56) for i in range(k)]
    label_w = label_width(labels)
    rows_in = sum(0.28 + 0.17 * (lb.count("\n") + 1) for lb in labels) + 0.45 * max(0, 3 - k)
    ax = style.new_axes(ax, (min(max(9.0, 7.0 + label_w), 15.0), 2.6 + rows_in))
    base = t.base
    changed = False
    for i in range(k):
        ends = [("low", t.at_low[i], t.low[i], t.best_low[i], LOW_COLOUR),
                ("high", t.at_high[i], t.high[i], t.best_high[i], HIGH_COLOUR)]
        # the longer bar first so that the shorter stays visible over it
        ends.sort(key=lambda e: -abs(e[1] - base))
        sides = {np.sign(e[1] - base) for e in ends if e[1] != base}
        for j, (which, at, value, best, colour) in enumerate(ends):
            bar = ax.barh(i, at - base, left=base, height=0.66, color=colour,
                          edgecolor="white", linewidth=0.8, zorder=2 + j)
            bar.patches[0].set_gid(f"{which}:{t.names[i]}")
            text = amount(value)
            switch = best != t.best_base
            if switch:
                text += f" → {wrap(named(names, best), 30)}"
                changed = True
            right = at > base or (at == base and which == "high")
            if len(sides) == 1 and j == 1:      # both ends on one side: the nearer one's label goes opposite
                right = not right
                at = base
            # the option preferred instead sits on a patch of its own colour (as in every figure)
            fill = colours.get(best, style.MUTED)
            box = ({"boxstyle": "round,pad=0.2", "facecolor": fill, "edgecolor": "none", "alpha": 0.3}
                   if switch else None)
            ax.text(at + (1 if right else -1) * 0.004 * _span(t, k), i, f" {text} " if text else "",
                    ha="left" if right else "right", va="center", fontsize=style.SMALL, color="#222222",
                    fontweight="bold" if switch else "normal", zorder=5, gid=f"end-label:{which}", bbox=box)
    ax.axvline(base, color="#222222", linewidth=1.2, zorder=4, gid="base")
    option_rows(ax, labels)
    ax.margins(x=0.22)
    ax.set_xlabel(style.axis_label(t.target, t.unit))
    ax.xaxis.grid(True)
    ax.set_axisbelow(True)
    handles = [Patch(facecolor=LOW_COLOUR, label="number at its low value"),
               Patch(facecolor=HIGH_COLOUR, label="number at its high value"),
               Line2D([], [], color="#222222", linewidth=1.2, label=f"every number at its point value ({fmt(base)})")]
    leg = ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, handlelength=1.4,
                    columnspacing=1.4, borderaxespad=0.2)
    leg.set_gid("legend")
    note = ("bar ends: the number's low and high value (a range's ends, a word's band, a distribution's 5th/95th)"
            f"\nbest at the point values: {named(names, t.best_base)}")
    if changed:
        note += "; → option: preferred at that end instead"
    titled(ax, title or f"Tornado: {t.target}", note, lift=22)
    if k < len(t.names):
        footnote(ax, f"{len(t.names) - k} more numbers with smaller swings are not shown")
    return ax


def _span(t: Any, k: int) -> float:
    vals = np.concatenate([t.at_low[:k], t.at_high[:k], [t.base]])
    span = float(np.ptp(vals))
    return span if span > 0 else max(abs(t.base), 1.0)


# ------------------------------------------------------------------------------------------- spider
@draws(Spider)
@style.styled
def spider_chart(s: Any, ax: Axes | None = None, *, top: int = 8, title: str | None = None,
                 names: Any = None) -> Axes:
    """Spider of a `sensitivity.Spider`: the measured result as each number moves from its low to its
    high value (x: position in its range, 0-100%), one line per number, the others at their point
    values. The first `top` numbers in the Spider's order are drawn (pass a tornado's order to see
    the largest swings); the legend gives each number's range."""
    k = min(top, len(s.names))
    if k == 0:
        ax = style.new_axes(ax, (9, 3))
        return empty_message(ax, title or f"Spider: {s.target}", "; ".join(s.notes) or "no numbers to move")
    labels = [wrap(f"{named(names, s.names[i], s.phrases[i])} [{amount(s.values[i, 0])} to "
                   f"{amount(s.values[i, -1])}]", 50)
              for i in range(k)]
    leg_w = label_width(labels, style.SMALL)
    ax = style.new_axes(ax, (min(7.5 + leg_w, 16.0), 6.5))
    pos = 100 * np.asarray(s.position, dtype=float)
    for i in range(k):
        line, = ax.plot(pos, s.at[i], color=style.colour(i), marker=style.marker(i), markersize=6,
                        linestyle=LINESTYLES[i % len(LINESTYLES)], linewidth=2, label=labels[i], zorder=3)
        line.set_gid(f"spider:{s.names[i]}")
    ax.axhline(s.base, color="#222222", linewidth=1.0, linestyle=":", zorder=2, gid="base")
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100], ["0%\nlow", "25%", "50%", "75%", "100%\nhigh"])
    ax.set_xlabel("position of the number within its range")
    ax.set_ylabel(wrap(style.axis_label(s.target, s.unit), 40))
    ax.grid(True)
    ax.set_axisbelow(True)
    leg = ax.legend(title="number [low to high]", loc="upper left", bbox_to_anchor=(1.01, 1.0),
                    handlelength=3.0, fontsize=style.SMALL)
    leg.set_gid("legend")
    titled(ax, title or f"Spider: {s.target}",
           f"each number moved alone, the others at their point values (dotted: all at point values, {fmt(s.base)})")
    if k < len(s.names):
        footnote(ax, f"{len(s.names) - k} more numbers not shown")
    return ax


# --------------------------------------------------------------------------------- strategy regions
def _edges(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    if len(v) == 1:
        return np.array([v[0] - 0.5, v[0] + 0.5])
    mid = (v[1:] + v[:-1]) / 2
    return np.concatenate([[v[0] - (mid[0] - v[0])], mid, [v[-1] + (v[-1] - mid[-1])]])


@draws(TwoWay)
@style.styled
def strategy_regions(tw: Any, ax: Axes | None = None, *, thresholds: Any = None, x_unit: str | None = None,
                     y_unit: str | None = None, ranges: Any = None, title: str | None = None,
                     names: Any = None) -> Axes:
    """Strategy-region map of a `sensitivity.TwoWay`: each cell of the grid of two numbers coloured by
    the option preferred there (each option its own colour, named inside its region and in the
    legend with its share of the grid); ties crossed; the point values starred. `thresholds`
    (a `sensitivity.Thresholds`) marks where one of the two numbers alone changes the preferred
    option, the other at its point value. x_unit / y_unit: the numbers' units (the TwoWay does not
    carry them; `sensitivity.parameter_unit` gives them). ranges: ((x low, x high), (y low, y high)),
    the ranges the file gives the two numbers, drawn as a dotted box when the map reaches beyond them."""
    from scipy import ndimage

    opts = list(tw.options)
    colours = style.option_colours(opts)
    best = np.asarray(tw.best)                                          # [NX, NY]
    grid = best.T                                                       # rows: y
    shares = tw.shares()
    ax = style.new_axes(ax, (10.5, 7.0))
    cmap = ListedColormap([colours[o] for o in opts])
    mesh = ax.pcolormesh(_edges(tw.x_values), _edges(tw.y_values), grid, cmap=cmap, vmin=-0.5,
                         vmax=len(opts) - 0.5, shading="flat", zorder=1)
    mesh.set_gid("regions")
    if np.any(tw.tied):
        ii, jj = np.nonzero(tw.tied)
        ax.scatter(np.asarray(tw.x_values)[ii], np.asarray(tw.y_values)[jj], marker="x", s=22, color="#222222",
                   linewidths=1.0, zorder=3, gid="ties")
    # each region's name where it is widest (the cell farthest from any other region), kept off the
    # star of the point values
    present = [i for i in range(len(opts)) if np.any(best == i)]
    bx = np.interp(tw.base[0], tw.x_values, np.arange(len(tw.x_values)))
    by = np.interp(tw.base[1], tw.y_values, np.arange(len(tw.y_values)))
    rows, cols = np.indices(grid.shape)
    off_base = np.hypot(rows - by, (cols - bx) * 0.5)          # labels are wide: a column counts half
    for i in present:
        mask = np.pad(grid == i, 1, constant_values=False)
        dist = ndimage.distance_transform_edt(mask)[1:-1, 1:-1]
        r, c = np.unravel_index(int(np.argmax(np.minimum(dist, off_base) + 1e-3 * dist)), dist.shape)
        ax.text(tw.x_values[c], tw.y_values[r], wrap(named(names, opts[i]), 24), ha="center", va="center",
                fontsize=style.FONT_SIZE, fontweight="bold", color=style.text_colour(to_rgba(colours[opts[i]])),
                zorder=4, gid="region-label", clip_on=True)
    _region_edges(ax, tw)
    ax.plot(*tw.base, marker="*", markersize=17, color="white", markeredgecolor="#222222", markeredgewidth=1.4,
            linestyle="none", zorder=8, gid="base")
    handles: list[Any] = [Patch(facecolor=colours[opts[i]], label=wrap(f"{named(names, opts[i])} "
                                                                       f"({shares[opts[i]]:.0%} of the grid)", 34))
                          for i in present]
    handles.append(Line2D([], [], marker="*", markersize=14, color="white", markeredgecolor="#222222",
                          linestyle="none", label="point values"))
    if np.any(tw.tied):
        handles.append(Line2D([], [], marker="x", color="#222222", linestyle="none", label="tie"))
    if ranges is not None and _range_box(ax, tw, ranges):
        handles.append(Patch(facecolor="none", edgecolor="#222222", linestyle=":", linewidth=1.6,
                             label="the ranges the file gives"))
    marked = _mark_thresholds(ax, tw, thresholds, names)
    if marked:
        handles.append(Line2D([], [], color="#222222", linestyle="--", linewidth=1.6,
                              label="threshold of one number,\nthe other at its point value"))
    ax.set_xlim(_edges(tw.x_values)[[0, -1]])
    ax.set_ylim(_edges(tw.y_values)[[0, -1]])
    ax.set_xlabel(wrap(style.axis_label(named(names, tw.x, tw.x_phrase), _parameter_unit(x_unit)), 70))
    ax.set_ylabel(wrap(style.axis_label(named(names, tw.y, tw.y_phrase), _parameter_unit(y_unit)), 45))
    leg = ax.legend(handles=handles, title="preferred option", loc="upper left", bbox_to_anchor=(1.02, 1.0))
    leg.set_gid("legend")
    titled(ax, title or "Preferred option as two numbers change",
           "the other numbers at their point values")
    return ax


def _parameter_unit(unit: str | None) -> str | None:
    """A parameter's unit as an axis reads it ('P' and 'weight' from `sensitivity.parameter_unit`)."""
    return {"P": "0-1", "weight": "as written, before the weights are normalised"}.get(unit or "", unit)


def _region_edges(ax: Axes, tw: Any) -> None:
    """White lines between neighbouring cells that prefer different options, so regions read apart
    even where two colours are close."""
    from matplotlib.collections import LineCollection

    best = np.asarray(tw.best)
    xe, ye = _edges(tw.x_values), _edges(tw.y_values)
    segs = []
    for i, j in zip(*np.nonzero(best[1:, :] != best[:-1, :])):          # between x columns i and i + 1
        segs.append([(xe[i + 1], ye[j]), (xe[i + 1], ye[j + 1])])
    for i, j in zip(*np.nonzero(best[:, 1:] != best[:, :-1])):          # between y rows j and j + 1
        segs.append([(xe[i], ye[j + 1]), (xe[i + 1], ye[j + 1])])
    if segs:
        ax.add_collection(LineCollection(segs, colors="white", linewidths=2.0, zorder=2, gid="region-edges"))


def _range_box(ax: Axes, tw: Any, ranges: Any) -> bool:
    """A dotted box around the file's ranges of the two numbers, when the grid spans more than them."""
    from matplotlib.patches import Rectangle

    (xa, xb), (ya, yb) = (sorted(map(float, r)) for r in ranges)
    xs, ys = np.asarray(tw.x_values, dtype=float), np.asarray(tw.y_values, dtype=float)
    tol = 1e-9 * max(float(np.ptp(xs)), float(np.ptp(ys)), 1.0)
    if xa <= xs.min() + tol and xb >= xs.max() - tol and ya <= ys.min() + tol and yb >= ys.max() - tol:
        return False
    if xb - xa <= tol and yb - ya <= tol:       # both fixed: the star marks them
        return False
    xa, xb = max(xa, xs.min()), min(xb, xs.max())
    ya, yb = max(ya, ys.min()), min(yb, ys.max())
    ax.add_patch(Rectangle((xa, ya), max(xb - xa, 0.0), max(yb - ya, 0.0), facecolor="none", edgecolor="#222222",
                           linestyle=":", linewidth=1.6, zorder=5, gid="file-ranges"))
    return True


def _mark_thresholds(ax: Axes, tw: Any, thresholds: Any, names: Any = None) -> int:
    if thresholds is None:
        return 0
    n = 0
    xlo, xhi = float(np.min(tw.x_values)), float(np.max(tw.x_values))
    ylo, yhi = float(np.min(tw.y_values)), float(np.max(tw.y_values))
    for k, name in enumerate(thresholds.names):
        v = float(thresholds.value[k])
        if name == tw.x and xlo <= v <= xhi:
            label = (f"{fmt(v)}\n← {wrap(named(names, thresholds.below[k]), 26)}\n"
                     f"→ {wrap(named(names, thresholds.above[k]), 26)}")
            ax.axvline(v, color="#222222", linestyle="--", linewidth=1.6, zorder=5, gid="threshold:x")
            ax.annotate(label, xy=(v, 1.0), xycoords=("data", "axes fraction"), xytext=(4, -4),
                        textcoords="offset points", ha="left", va="top", fontsize=style.SMALL, zorder=6,
                        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
                        gid="threshold-label")
            n += 1
        elif name == tw.y and ylo <= v <= yhi:
            label = (f"{fmt(v)}: ↑ {wrap(named(names, thresholds.above[k]), 30)}\n"
                     f"↓ {wrap(named(names, thresholds.below[k]), 30)}")
            ax.axhline(v, color="#222222", linestyle="--", linewidth=1.6, zorder=5, gid="threshold:y")
            ax.annotate(label, xy=(1.0, v), xycoords=("axes fraction", "data"), xytext=(-4, 4),
                        textcoords="offset points", ha="right", va="bottom", fontsize=style.SMALL, zorder=6,
                        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
                        gid="threshold-label")
            n += 1
    return n


# ------------------------------------------------------------------------------ value of information
VOI_KINDS = {
    "total": ("all at once (an upper bound)", "#CFCFCF"),
    "event": ("a chance event (EVPI)", "#3A3A3A"),
    "parameter": ("one number (EVPPI)", "#7A7A7A"),
    "group": ("a group of numbers (EVPPI)", "#A8A8A8"),
}
"""What is learned -> (legend text, colour): greys, as colour in a figure means an option, or calm
to escalation, and a kind of information is neither."""


def _voi_rows(v: Any, names: Any = None) -> tuple[list[tuple[str, float, float, str]],
                                                   list[tuple[str, float, float, str]]]:
    """(totals, items) as (label, value, se, kind) from a ValueOfInformation."""
    totals = ([("every uncertain number", float(v.evpi_parameters), float(v.evpi_parameters_se), "total")]
              if v.n else [])
    ev = v.events
    values = ev.values()
    if len(ev.names) > 1:
        totals.append(("every chance event", float(np.mean(ev.all)), math.nan, "total"))
    items = [(f"event: {named(names, nm)}", values[nm], math.nan, "event") for nm in ev.names]
    pp = v.evppi
    phrases = pp.phrases or ("",) * len(pp.names)
    for nm, val, se, kind, ph in zip(pp.names, pp.value, pp.se, pp.kind, phrases):
        label = named(names, nm, ph or nm) if kind == "parameter" else named(names, nm, f"group: {nm}")
        items.append((label, float(val), float(se), kind))
    items.sort(key=lambda r: -r[1])
    return totals, items


@draws(ValueOfInformation)
@style.styled
def voi_bars(v: Any, ax: Axes | None = None, *, top: int = 12, title: str | None = None,
             names: Any = None) -> Axes:
    """Value of information of a `voi.ValueOfInformation`, ranked: on top, what learning everything
    before choosing is worth (EVPI of every uncertain number, and of every chance event); under it
    each chance event (EVPI) and each number or group of numbers (EVPPI), largest first, the `top`
    largest with a value above 0. Error bars: 95% Monte Carlo intervals where the analysis gives a
    standard error."""
    totals, items = _voi_rows(v, names)
    shown = [r for r in items if r[1] > 0][:top]
    zero = sum(1 for r in items if not r[1] > 0)
    rows = totals + shown
    labels = [wrap(r[0], 50) for r in rows]
    label_w = label_width(labels)
    ax = style.new_axes(ax, (min(max(10.0, 9.5 + label_w), 16.0), 2.0 + 0.5 * max(len(rows), 3)))
    if not rows:
        return empty_message(ax, title or "Value of information", "nothing to learn: no uncertain numbers and no "
                             "chance event that could be revealed before choosing")
    vals = np.array([r[1] for r in rows], dtype=float)
    se = np.array([r[2] for r in rows], dtype=float)
    colours = [VOI_KINDS[r[3]][1] for r in rows]
    bars = ax.barh(range(len(rows)), np.nan_to_num(vals), height=0.62, color=colours, edgecolor="white", zorder=2)
    for b, r in zip(bars.patches, rows):
        b.set_gid(f"voi:{r[3]}:{r[0]}")
    has_se = np.isfinite(se) & (se > 0)
    if has_se.any():
        idx = np.flatnonzero(has_se)
        eb = ax.errorbar(vals[idx], idx, xerr=Z95 * se[idx], fmt="none", ecolor="#222222", elinewidth=1.3,
                         capsize=4, zorder=3)
        _gid_errors(eb, "voi-errors")
    right = np.nanmax(np.where(has_se, vals + Z95 * np.nan_to_num(se), vals)) if len(vals) else 0.0
    right = right if np.isfinite(right) and right > 0 else 1.0
    for i, (val, e) in enumerate(zip(vals, se)):
        end = val + (Z95 * e if has_se[i] else 0.0)
        ax.text((end if np.isfinite(end) else 0.0) + 0.01 * right, i, fmt(val), ha="left", va="center",
                fontsize=style.SMALL, color="#222222", zorder=4, gid="voi-label")
    if totals and shown:
        ax.axhline(len(totals) - 0.5, color="#BBBBBB", linewidth=1.0, zorder=1)
    option_rows(ax, labels)
    ax.set_xlim(0, right * 1.25)
    ax.set_xlabel(f"most worth paying to learn it before choosing ({v.unit})")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    ax.xaxis.grid(True)
    ax.set_axisbelow(True)
    kinds = list(dict.fromkeys(r[3] for r in rows))
    leg = ax.legend(handles=[Patch(facecolor=VOI_KINDS[k][1], label=VOI_KINDS[k][0]) for k in kinds],
                    loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=style.SMALL)
    leg.set_gid("legend")
    drawn = f"numbers from {v.n:,} draws" if v.n else "no uncertain numbers"
    titled(ax, title or "Value of information", f"events at the point values; {drawn}; {v.risk_attitude}")
    hidden = len([r for r in items if r[1] > 0]) - len(shown)
    foot = []
    if hidden > 0:
        foot.append(f"{hidden} more with smaller values")
    if zero:
        foot.append(f"{zero} worth 0 (learning them would not change the choice)")
    if foot:
        footnote(ax, "not shown: " + "; ".join(foot))
    return ax
