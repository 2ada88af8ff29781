"""The rolled-back decision tree, drawn: squares for decisions, circles for chance, triangles for ends.

Everything shown comes from `model.treeview.tree_records` (branch probabilities, payoffs, values,
the optimal policy); this module only places and draws it.

Layout. The tree grows left to right. Leaves are stacked top to bottom in order and each parent
sits midway between its first and last child (a tidy tree). Text is measured, not guessed: each
column is as wide as its longest branch text, and each node reserves the height its branch text
needs, so labels do not overlap. When the figure is made here, one data unit is one inch, so the
text keeps its point size whatever the tree's size; a tree with more than `max_leaves` ends is
collapsed by depth (the collapsed nodes say how many nodes lie below).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from .. import treeview
from ..compile import TERMINAL
from ..evaluate import Evaluation
from ..results import draws
from . import style
from ._common import amount, fmt_p, named, text_width

__all__ = ["auto_depth", "decision_tree"]

SIZES = (10.5, 10.0, 9.5, 9.0)
"""Point sizes a tree's text may take, largest first: the largest at which the tree fits
FIT_HEIGHT_IN is used (9 pt when none does; the figure then grows taller)."""
FIT_HEIGHT_IN = 6.0
"""Height of the tree itself that fits on a 16:9 slide with its title and legend."""
MARKER_IN = 0.17
"""Marker size in inches at 10.5 pt (scaled with the text)."""
FAN_IN = 0.38
"""Horizontal run of the slanted part of a branch, inches."""
GAP_IN = 0.08
"""Space between a text and its neighbour or marker, inches."""
LEAD_IN = 0.14
"""Line shown between the bend of a branch and its label, inches."""

NODE_STYLE = {
    "decision": {"marker": "s", "color": "#3C3C3C", "label": "decision"},
    "chance": {"marker": "o", "color": "#8A8A8A", "label": "chance"},
    "terminal": {"marker": "<", "color": "#5E5E5E", "label": "end"},
}
"""Marker, colour and legend label of each node kind: the shape tells the kind; greys, because colour
in a figure means an option, or calm-to-escalation / better-to-worse, and a node's kind is neither."""

BEST_WIDTH = 3.4
OTHER_WIDTH = 1.3


def auto_depth(ev: Any, max_leaves: int) -> int | None:
    """The deepest depth at which the drawn tree has at most `max_leaves` ends (ends and collapsed
    nodes), or None when the whole tree fits."""
    t = ev.model.tree
    leaf = t.kind == TERMINAL
    if int(leaf.sum()) <= max_leaves:
        return None
    depth = t.depth
    best = 1
    for d in range(1, int(depth.max()) + 1):
        shown = int(((depth == d) | (leaf & (depth < d))).sum())
        if shown > max_leaves:
            break
        best = d
    return best



def _fmt_value(v: float | None, decimals: int) -> str:
    if v is None:
        return "n/a"
    s = f"{v:,.{decimals}f}"
    return s[1:] if s.startswith("-") and float(s.replace(",", "")) == 0 else s


def _decimals(ev: Any, recs: list[dict[str, Any]]) -> int:
    """Decimals of the values shown: 3 for value scores, 2 for a criterion's own unit (0 for large
    amounts), as the text tree prints them."""
    if not ev.model.raw_value:
        return 3
    big = max((abs(r["value"]) for r in recs if r["value"] is not None), default=0.0)
    return 0 if big >= 1000 else 2


def _payoff_lines(ev: Any, r: dict[str, Any], show: bool) -> list[str]:
    """Payoff text for the branch into a node: ['pays 2'], one line per criterion paid, or none."""
    if not show:
        return []
    pay = {k: v for k, v in r["payoff"].items() if v not in (0, None)}
    if not pay:
        return []
    if ev.model.raw_value:
        if r["kind"] == "terminal" and r["consequence"] == r["payoff"]:
            return []  # the end's value is this payoff: said once, at the end
        (v,) = pay.values()
        return [f"pays {amount(v)}"]
    return [f"{k} {'+' if v > 0 else ''}{amount(v)}" for k, v in pay.items()]


def _display_names(ev: Any, recs: list[dict[str, Any]], names: Any = None) -> None:
    """Put in each record's 'shown_name' its node name, followed by the actor who decides there when
    that is not the decision maker: 'response (incumbent)'. With `names` (id -> display name, states
    as 'event.state'), node names, actors and branch labels show the file's names."""
    m = ev.model
    actors = getattr(m.tree, "actor", None)
    me = getattr(m.scenario.meta, "decision_maker", None)
    by_id = {r["id"]: r for r in recs}
    for r in recs:
        name = named(names, r["name"]) if r["kind"] != "terminal" and r["name"] else ""
        who = actors[r["id"]] if actors is not None and r["id"] < len(actors) else None
        if name and who and who != me and r["kind"] == "decision":
            name = f"{name} ({named(names, who)})"
        r["shown_name"] = name
    if names:
        for r in recs:
            par = by_id.get(r["parent"])
            if par is None or not r["label"]:
                continue
            # a branch of the root is an option; a branch of an event's node, one of its states
            key = r["label"] if par["parent"] < 0 else f"{par['name']}.{r['label']}"
            r["label"] = named(names, key, r["label"])


def _headers(recs: list[dict[str, Any]]) -> dict[int, str]:
    """depth -> the one name every decision/chance node drawn at that depth has (events-form trees:
    each depth is one event), written once above the column instead of at every node."""
    names: dict[int, set[str]] = {}
    for r in recs:
        if r["kind"] != "terminal":
            names.setdefault(r["depth"], set()).add(r.get("shown_name", r["name"]))
    return {d: next(iter(n)) for d, n in names.items() if len(n) == 1 and next(iter(n))}


def _texts(ev: Any, recs: list[dict[str, Any]], show_pay: bool, headers: dict[int, str]) -> dict[int, dict[str, Any]]:
    """What is written around each node: the branch's label and probability (on the line), payoffs
    (under it), the node's value and name (by its marker), and text right of an end or collapsed node."""
    vlabel = "CE" if ev.model.risk_tolerance is not None else "EV"
    dec = _decimals(ev, recs)
    out = {}
    for r in recs:
        value = _fmt_value(r["value"], dec)
        inner = r["children"] > 0
        shown = r.get("shown_name", r["name"]) if r["kind"] != "terminal" else ""
        name = shown if headers.get(r["depth"]) != shown else ""
        p = f"p = {fmt_p(r['p'])}" if r["p"] is not None else ""
        if r["tied"]:
            p = (p + "  " if p else "") + "(tie)"
        if r["kind"] == "terminal":
            right = value
        elif not inner:
            hidden = r["hidden"]
            right = (f"{name}  " if name else "") + f"{vlabel} {value}" + (
                f"  ({hidden} node{'s' if hidden != 1 else ''} below)" if hidden else "")
        else:
            right = ""
        out[r["id"]] = {"label": r["label"], "p": p, "below": _payoff_lines(ev, r, show_pay),
                            "value": f"{vlabel} {value}" if inner else "", "name": name if inner else "",
                            "right": right, "inner": inner}
    return out


def _geometry(recs: list[dict[str, Any]], texts: dict[int, dict[str, Any]], headers: dict[int, str],
              size: float) -> dict[str, Any]:
    """x of each depth, y of each node, and the drawing's width and height, in inches."""
    lh = 1.22 * size / 72.0
    mk = MARKER_IN * size / 10.5
    h = mk / 2

    def w(s: str, weight: str = "normal", style: str = "normal") -> float:
        return text_width(s, size, weight, style)

    max_d = max(r["depth"] for r in recs)
    col = [0.0] * (max_d + 1)
    for r in recs:
        tx = texts[r["id"]]
        online = w(tx["label"], "bold") + ((GAP_IN + w(tx["p"])) if tx["p"] else 0.0)
        side = max(w(tx["value"], "bold"), w(tx["name"], style="italic"))
        need = online + (2 * GAP_IN + side if side else GAP_IN)
        if tx["below"]:
            need = max(need, max(w(s) for s in tx["below"])
                       + (2 * GAP_IN + w(tx["name"], style="italic") if tx["name"] else 0))
        col[r["depth"]] = max(col[r["depth"]], LEAD_IN + need)
    for d, name in headers.items():
        if d > 0:
            col[d] = max(col[d], w(name, style="italic") - FAN_IN)
    x_of = [0.0] * (max_d + 1)
    x_of[0] = max(col[0], w(headers.get(0, "")) - h) + h
    for d in range(1, max_d + 1):
        x_of[d] = x_of[d - 1] + h + FAN_IN + col[d] + GAP_IN + h
    right = max([w(texts[r["id"]]["right"], "bold") for r in recs] + [0.0])
    width = x_of[-1] + h + GAP_IN + right + 0.05

    # vertical: what each node needs above and below its line, then a tidy tree
    pad = 0.035
    up_need, down_need = {}, {}
    for r in recs:
        tx = texts[r["id"]]
        up = max(0.5 * lh, h) + pad
        down = max(0.5 * lh, h) + pad
        if tx["value"]:
            up = max(up, lh + 2 * pad)
        if tx["name"]:
            down = max(down, lh + 2 * pad)
        if tx["below"]:
            down = max(down, (0.5 + len(tx["below"]) * 1.0) * lh + 2 * pad)
        up_need[r["id"]], down_need[r["id"]] = up, down
    kids: dict[int, list[int]] = {r["id"]: [] for r in recs}
    for r in recs:
        if r["parent"] >= 0:
            kids[r["parent"]].append(r["id"])
    height: dict[int, float] = {}
    offset: dict[int, float] = {}          # the node's y below the top of its block
    for r in reversed(recs):               # children before parents
        i, ks = r["id"], kids[r["id"]]
        if not ks:
            height[i], offset[i] = up_need[i] + down_need[i], up_need[i]
            continue
        block = sum(height[k] for k in ks)
        mid = (offset[ks[0]] + block - height[ks[-1]] + offset[ks[-1]]) / 2
        top = max(0.0, up_need[i] - mid)
        height[i] = top + block + max(0.0, down_need[i] - (block - mid))
        offset[i] = top + mid
    top_band = 1.4 * lh if headers else 0.0
    y_of: dict[int, float] = {}
    start = {0: top_band}
    for r in recs:                         # parents before children
        i, ks = r["id"], kids[r["id"]]
        y_of[i] = start[i] + offset[i]
        if ks:
            block = sum(height[k] for k in ks)
            s = y_of[i] - (offset[ks[0]] + block - height[ks[-1]] + offset[ks[-1]]) / 2
            for k in ks:
                start[k] = s
                s += height[k]
    return {"x": x_of, "y": y_of, "width": width, "height": top_band + height[0], "lh": lh, "marker": mk,
                "top_band": top_band}


@draws(Evaluation)
@style.styled
def decision_tree(ev: Any, ax: Axes | None = None, depth: int | None = None, *, sample: int = 0,
                  max_leaves: int = 40, payoffs: bool | str = "auto", fontsize: float | None = None,
                  title: str | None = None, names: Any = None) -> Axes:
    """Draw the rolled-back tree of `ev` (an `Evaluation` with node values, as `point()` gives).

    Each branch carries its id and probability on its line and what it pays under it; each inner
    node its rolled-back value (EV, or CE under a risk attitude) above-left of its marker and its
    name below-left (or once above the column, when every node at that depth has the same name);
    ends and collapsed nodes their value to the right. The optimal policy is drawn thick and dark,
    its lines' gid and label 'best'; branches it does not take are thin and grey.

    depth: collapse below this depth (None: the whole tree, unless it has more than `max_leaves`
    ends, then the deepest depth that fits). payoffs: 'auto' writes them with up to three
    criteria (one line each), True always, False never. fontsize: None picks the largest of
    SIZES at which the tree fits a slide.
    """
    m = ev.model
    if depth is None:
        depth = auto_depth(ev, max_leaves)
    recs = treeview.tree_records(ev, sample, depth)
    _display_names(ev, recs, names)
    n_crit = len(m.criteria)
    show_pay = (n_crit <= 3) if payoffs == "auto" else bool(payoffs)
    vlabel = "CE" if m.risk_tolerance is not None else "EV"
    headers = _headers(recs)
    texts = _texts(ev, recs, show_pay, headers)
    by_id = {r["id"]: r for r in recs}
    emph = {r["id"]: r["parent"] >= 0 and (r["on_path"] or (r["best"] and by_id[r["parent"]]["on_path"]))
            for r in recs}
    for size in ([fontsize] if fontsize else SIZES):
        g = _geometry(recs, texts, headers, size)
        if g["height"] <= FIT_HEIGHT_IN:
            break
    x_of, y_of, width, height, mk = g["x"], g["y"], g["width"], g["height"], g["marker"]
    h = mk / 2

    created = ax is None
    top_in, bottom_in = 0.95, 0.6
    ax = style.new_axes(ax, (max(width + 0.3, 6.0), height + top_in + bottom_in))
    if created:
        fw, fh = ax.get_figure().get_size_inches()
        ax.set_position([0.15 / fw, bottom_in / fh, width / fw, height / fh])
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_axis_off()

    # branches: the optimal policy in one collection, the rest in another
    best_lines, other_lines = [], []
    for r in recs[1:]:
        i = r["id"]
        x0, x1 = x_of[r["depth"] - 1], x_of[r["depth"]]
        seg = [(x0, y_of[r["parent"]]), (x0 + h + FAN_IN, y_of[i]), (x1, y_of[i])]
        (best_lines if emph[i] else other_lines).append(seg)
    others = LineCollection(other_lines, colors=style.MUTED, linewidths=OTHER_WIDTH, zorder=1,
                            capstyle="round", joinstyle="round", label="other branches")
    others.set_gid("branches")
    ax.add_collection(others)
    best = LineCollection(best_lines, colors=style.EMPHASIS, linewidths=BEST_WIDTH, zorder=2,
                          capstyle="round", joinstyle="round", label="best")
    best.set_gid("best")
    ax.add_collection(best)

    # nodes: one marker per node drawn, one collection per kind; collapsed nodes hollow
    for kind, st in NODE_STYLE.items():
        rs = [r for r in recs if r["kind"] == kind]
        if not rs:
            continue
        xy = np.array([(x_of[r["depth"]], y_of[r["id"]]) for r in rs])
        faces = ["white" if r["hidden"] else st["color"] for r in rs]
        sc = ax.scatter(xy[:, 0], xy[:, 1], s=(mk * 72) ** 2 * (1.2 if kind == "terminal" else 1.0),
                        marker=st["marker"], facecolors=faces, edgecolors=st["color"], linewidths=1.6,
                        zorder=4, label=st["label"])
        sc.set_gid(f"nodes:{kind}")

    # texts
    box = {"boxstyle": "square,pad=0.3", "facecolor": "white", "edgecolor": "none"}
    lift = 0.03
    for r in recs:
        i, tx = r["id"], texts[r["id"]]
        x, y = x_of[r["depth"]], y_of[i]
        if i > 0:
            xs = x_of[r["depth"] - 1] + h + FAN_IN + LEAD_IN
            t = ax.text(xs, y, tx["label"], ha="left", va="center_baseline", fontsize=size, bbox=box,
                        fontweight="bold" if emph[i] else "normal", zorder=3, gid="branch-label",
                        color="black" if emph[i] else "#333333")
            if tx["p"]:
                ax.annotate(tx["p"], xy=(1, 0), xycoords=t, xytext=(5.0, 0),
                            textcoords="offset points", ha="left", va="bottom", fontsize=size,
                            bbox=box, zorder=3, color="#333333", gid="branch-p")
            if tx["below"]:
                ax.text(xs, y + 0.5 * g["lh"] + lift, "\n".join(tx["below"]), ha="left", va="top",
                        fontsize=size, color="#333333", linespacing=1.0, zorder=3, gid="branch-payoff")
        if tx["value"]:
            ax.text(x - h - GAP_IN, y - lift, tx["value"], ha="right", va="bottom", fontsize=size,
                    fontweight="bold" if (i == 0 or emph[i]) else "normal", zorder=3, gid="node-value")
        if tx["name"]:
            ax.text(x - h - GAP_IN, y + lift, tx["name"], ha="right", va="top", fontsize=size,
                    style="italic", color="#333333", zorder=3, gid="node-name")
        if tx["right"]:
            ax.text(x + h + GAP_IN, y, tx["right"], ha="left", va="center_baseline", fontsize=size,
                    fontweight="bold" if emph[i] else "normal", zorder=3,
                    color="black" if r["kind"] == "terminal" else "#333333",
                    gid="end-value" if r["kind"] == "terminal" else "collapsed-value")
    for d, name in headers.items():
        ax.text(x_of[d] + h, g["lh"] * 0.2, name, ha="right" if d else "center", va="top",
                fontsize=size, style="italic", color="#333333", gid="column-name")

    # title, what the numbers are, legend
    if m.raw_value:
        c = m.scenario.criteria[0] if m.scenario.criteria else None
        unit = c.unit if c is not None and c.unit else ""
        what = f"values: {m.criteria[0]}" + (f" in {unit}" if unit else "")
    else:
        what = "values: weighted value score (0 worst, 1 best)"
    what += "; CE = certainty equivalent" if vlabel == "CE" else "; EV = expected value"
    if depth is not None:
        what += f"; collapsed below depth {depth}"
    if not show_pay and any(r["payoff"] for r in recs):
        what += f"; payoffs on {n_crit} criteria not written (see the consequences heat map)"
    ax.set_title(title or (m.scenario.meta.title or "Decision tree") + (f" — world: {m.world}" if m.world else ""),
                 loc="left", pad=24)
    ax.text(0.0, 1.0 + 0.08 / max(height, 0.5), what, transform=ax.transAxes, ha="left", va="bottom",
            fontsize=style.SMALL, color="#444444", gid="subtitle")
    handles = [Line2D([], [], color=style.EMPHASIS, linewidth=BEST_WIDTH, label="best policy")]
    for kind, st in NODE_STYLE.items():
        if any(r["kind"] == kind for r in recs):
            handles.append(Line2D([], [], marker=st["marker"], color=st["color"], linestyle="none",
                                  markersize=9, label=st["label"]))
    if any(r["hidden"] for r in recs):
        handles.append(Line2D([], [], marker="o", color=style.MUTED, markerfacecolor="white",
                              linestyle="none", markersize=9, label="collapsed"))
    leg = ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, 0.0), ncol=len(handles),
                    handletextpad=0.3, columnspacing=1.0, borderaxespad=0.3, fontsize=style.SMALL)
    leg.set_gid("legend")
    return ax
