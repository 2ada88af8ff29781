"""What each number of a scenario rests on: a dot chart of numbers (grouped by the item holding them)
against the evidence and assumptions they cite.

Read straight from the scenario (`model.io.iter_numbers`): nothing is evaluated. Evidence is
coloured by its source's reliability (Admiralty A-F) and carries its credibility (1-6) inside
its dot and in its column label ('C3'); assumptions are squares, filled when load-bearing.
Numbers that cite neither are counted in a last column, in the warning colour.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory

from ..io import Scenario, iter_numbers
from . import style
from ._common import text_width

__all__ = ["RELIABILITY_COLOURS", "evidence_view", "number_groups"]

_SCALE = style.mpl.colormaps[style.SEQUENTIAL]
RELIABILITY_COLOURS: dict[str | None, str] = {
    "A": style.mpl.colors.to_hex(_SCALE(0.0)),
    "B": style.mpl.colors.to_hex(_SCALE(0.25)),
    "C": style.mpl.colors.to_hex(_SCALE(0.5)),
    "D": style.mpl.colors.to_hex(_SCALE(0.75)),
    "E": style.mpl.colors.to_hex(_SCALE(1.0)),
    "F": "#B0B0B0",
    None: "#FFFFFF",
}
"""Source reliability -> colour: dark (A, completely reliable) to light (E, unreliable) along the
colour-vision-safe cividis scale; F (cannot be judged) grey; no grade white."""
RELIABILITY_WORDS = {"A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
                     "D": "not usually reliable", "E": "unreliable", "F": "cannot be judged",
                     None: "not graded"}
LOAD_BEARING = "#222222"
SIZE = 10.0
CELL_IN = 0.24


_KIND_ROWS = {"criteria": "criteria (weights)", "risks": "risks (severities)"}

_KIND_WORDS = {"actors": "actor", "options": "option", "events": "event", "criteria": "criterion", "risks": "risk",
               "weight_profiles": "weight profile", "indicators": "indicator", "worlds": "world"}
"""The kind of item a group of numbers belongs to, as a row names it ('event: Russia's response')."""


def group_label(group: str, names: Any = None) -> str:
    """A row of `number_groups` as it reads: 'event: Russia's response' for 'events.russia_response'
    when `names` (id -> display name) names it, else the group as it is."""
    kind, _, item = group.partition(".")
    if item and kind in _KIND_WORDS and names and item in names:
        return f"{_KIND_WORDS[kind]}: {names[item]}"
    return group


def number_groups(sc: Scenario, detail: bool = False) -> dict[str, list[Any]]:
    """Numbers grouped by the item that holds them ('options.strikes', 'events.russia_response',
    'actors.russia' for its signals, 'tree.counteroffer_5bn' for a branch of the root), in file
    order. Criteria weights and risk severities form one row each unless detail=True (then
    'criteria.cost', 'risks.full_blown_war'). Every number `juncture validate` counts is in one
    group, `otherwise` entries included (they rest on what their table rests on)."""
    out: dict[str, list[Any]] = {}
    for r in iter_numbers(sc):
        parts = r.name.split(".")
        key = _KIND_ROWS[parts[0]] if parts[0] in _KIND_ROWS and not detail else ".".join(parts[:2])
        out.setdefault(key, []).append(r)
    return out


@style.styled
def evidence_view(scenario: Scenario, ax: Axes | None = None, *, detail: bool = False,
                  title: str | None = None, names: Any = None) -> Axes:
    """Which numbers rest on which evidence and assumptions (see the module doc).

    One row per group of `number_groups(scenario, detail)`, one column per evidence item, then per
    assumption, then 'cites nothing'. A full mark: every number of the row cites it; a small mark:
    only some do. The last column counts the row's numbers that cite neither. Rows show the file's
    names with `names` (id -> display name): 'event: Russia's response'; evidence and assumptions,
    which have no names, keep their ids.
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"evidence_view(): expected a Scenario (model.load(...)); got {type(scenario).__name__}")
    sc = scenario
    groups = number_groups(sc, detail)
    ev_ids = [e.id for e in sc.evidence]
    as_ids = [a.id for a in sc.assumptions]
    for refs in groups.values():          # an id the file does not list still gets its column
        for r in refs:
            ev_ids += [x for x in r.evidence if x not in ev_ids]
            as_ids += [x for x in r.assumptions if x not in as_ids]
    evid = {e.id: e for e in sc.evidence}
    assum = {a.id: a for a in sc.assumptions}

    def rel(eid: str) -> str | None:
        e = evid.get(eid)
        src = sc.sources.get(e.source) if e is not None else None
        return src.reliability if src is not None else None

    def grade(eid: str) -> str:
        e = evid.get(eid)
        r = rel(eid) or "?"
        c = e.credibility if e is not None and e.credibility is not None else "?"
        return f"{r}{c}"

    cols = [("evidence", x) for x in ev_ids] + [("assumption", x) for x in as_ids] + [("none", "")]
    rows = list(groups)
    n_r, n_c = len(rows), len(cols)
    col_labels = ([f"{x}  {grade(x)}" for x in ev_ids]
                  + [f"{x}{'  ★' if assum.get(x) and assum[x].load_bearing else ''}" for x in as_ids]
                  + ["cites nothing"])
    row_labels = [f"{group_label(g, names)}  ({len(groups[g])})" for g in rows]
    label_w = max((text_width(s, SIZE + 0.5) for s in row_labels), default=1.0) + 0.25
    top_w = max((text_width(s, SIZE) for s in col_labels), default=1.0) + 0.2
    corner = n_c >= 12  # room for the legend above the row labels, left of the column labels
    ax = style.new_axes(ax, (max(label_w + n_c * CELL_IN + (0.9 if corner else 4.0), 8.0),
                             max(top_w + n_r * CELL_IN + 1.5, 3.8)))

    # one count per (row, column): numbers of the row citing the column
    count = np.zeros((n_r, n_c), dtype=int)
    index = {c: j for j, c in enumerate(cols)}
    for i, g in enumerate(rows):
        for r in groups[g]:
            for x in r.evidence:
                count[i, index[("evidence", x)]] += 1
            for x in r.assumptions:
                count[i, index[("assumption", x)]] += 1
            if not r.cited:
                count[i, -1] += 1
    size_all, size_some = (CELL_IN * 72 * 0.78) ** 2, (CELL_IN * 72 * 0.42) ** 2

    for i in range(n_r):                   # row shading for reading across
        if i % 2 == 0:
            ax.axhspan(i - 0.5, i + 0.5, color="#F3F3F3", zorder=0, linewidth=0)
    n_e, n_a = len(ev_ids), len(as_ids)
    for xline, between in ((n_e - 0.5, n_e > 0), (n_e + n_a - 0.5, n_a > 0 or n_e > 0)):
        if between:
            ax.axvline(xline, color="#888888", linewidth=1.0, zorder=1)

    def draw(j_cols: list[int], gid: str, **kw: Any) -> None:
        ii, jj = np.nonzero(count[:, j_cols] > 0)
        if not len(ii):
            return
        jj = np.asarray(j_cols)[jj]
        full = np.array([count[i, j] == len(groups[rows[i]]) for i, j in zip(ii, jj)])
        sizes = np.where(full, size_all, size_some)
        sc_ = ax.scatter(jj, ii, s=sizes, zorder=3, **kw)
        sc_.set_gid(gid)

    for grade_, fill in RELIABILITY_COLOURS.items():
        js = [j for j, (k, x) in enumerate(cols) if k == "evidence" and rel(x) == grade_]
        if js:
            draw(js, f"evidence:{grade_ or 'ungraded'}", marker="o", facecolors=fill,
                 edgecolors="#333333", linewidths=0.8)
    js = [j for j, (k, x) in enumerate(cols) if k == "assumption" and assum.get(x) and assum[x].load_bearing]
    draw(js, "assumption:load-bearing", marker="s", facecolors=LOAD_BEARING, edgecolors=LOAD_BEARING,
         linewidths=1.2)
    js = [j for j, (k, x) in enumerate(cols) if k == "assumption" and not (assum.get(x) and assum[x].load_bearing)]
    draw(js, "assumption", marker="s", facecolors="white", edgecolors=LOAD_BEARING, linewidths=1.4)
    draw([n_c - 1], "uncited", marker="X", facecolors=style.WARNING, edgecolors=style.WARNING, linewidths=0.5)

    # credibility inside the full evidence dots; the uncited count beside its cross
    for i in range(n_r):
        for j, (k, x) in enumerate(cols):
            if k == "evidence" and count[i, j] == len(groups[rows[i]]):
                e = evid.get(x)
                if e is not None and e.credibility is not None:
                    fill = style.mpl.colors.to_rgba(RELIABILITY_COLOURS[rel(x)])
                    ax.text(j, i, str(e.credibility), ha="center", va="center_baseline", fontsize=7.5,
                            color=style.text_colour(fill), zorder=4, gid="credibility")
        if count[i, -1]:
            ax.annotate(f"{count[i, -1]}/{len(groups[rows[i]])}", (n_c - 1, i), xytext=(9, 0),
                        textcoords="offset points", va="center", ha="left", fontsize=SIZE,
                        color=style.WARNING, fontweight="bold", gid="uncited-count")

    ax.set_xlim(-0.6, n_c - 0.4)
    ax.set_ylim(n_r - 0.5, -0.5)
    ax.set_xticks(range(n_c), col_labels, rotation=90, fontsize=SIZE)
    ax.xaxis.tick_top()
    ax.set_yticks(range(n_r), row_labels)
    for j, t in enumerate(ax.get_xticklabels()):
        k, x = cols[j]
        if k == "assumption" and assum.get(x) and assum[x].load_bearing:
            t.set_fontweight("bold")
        if k == "none":
            t.set_color(style.WARNING)
            t.set_fontweight("bold")
    for i, t in enumerate(ax.get_yticklabels()):
        if count[i, -1]:
            t.set_color(style.WARNING)
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)

    # block names under the columns
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    for lo, hi, text in ((0, n_e, "evidence: source reliability (colour), credibility (digit)"),
                         (n_e, n_e + n_a, "assumptions (★ load-bearing)")):
        if hi > lo:
            ax.text((lo + hi - 1) / 2, -0.02, text, transform=trans, ha="center", va="top",
                    fontsize=SIZE, color="#333333", gid="block-name")
    ax.set_ylabel("numbers, by the item that holds them (how many)")

    # legend: reliability grades in use, assumption kinds, partial citation, uncited
    used = {rel(x) for x in ev_ids}
    handles = [Line2D([], [], marker="o", linestyle="none", markersize=9, markerfacecolor=c,
                      markeredgecolor="#333333", label=f"{g or '–'}: {RELIABILITY_WORDS[g]}")
               for g, c in RELIABILITY_COLOURS.items() if g in used]
    if as_ids:
        handles += [Line2D([], [], marker="s", linestyle="none", markersize=9, markerfacecolor=LOAD_BEARING,
                           markeredgecolor=LOAD_BEARING, label="assumption, load-bearing"),
                    Line2D([], [], marker="s", linestyle="none", markersize=9, markerfacecolor="white",
                           markeredgecolor=LOAD_BEARING, label="assumption")]
    partial = any(0 < count[i, j] < len(groups[rows[i]]) for i in range(n_r) for j in range(n_c - 1))
    if partial:
        handles.append(Line2D([], [], marker="o", linestyle="none", markersize=4.5, markerfacecolor="#777777",
                              markeredgecolor="#777777", label="small: only some of the row's numbers"))
    handles += [Line2D([], [], marker="X", linestyle="none", markersize=9, markerfacecolor=style.WARNING,
                       markeredgecolor=style.WARNING, label="numbers citing nothing")]
    # the legend sits in the empty corner above the row labels and left of the column labels when
    # there are enough columns to make that corner tall; else beside the chart
    where = {"loc": "lower right", "bbox_to_anchor": (-0.01, 1.01)} if corner else \
        {"loc": "upper left", "bbox_to_anchor": (1.0, 1.0)}
    leg = ax.legend(handles=handles, **where, fontsize=style.SMALL - 1,
                    title="source reliability" if used else None, alignment="left", borderaxespad=0.0,
                    handletextpad=0.3, labelspacing=0.35)
    leg.set_gid("legend")

    total = sum(len(v) for v in groups.values())
    uncited = int(count[:, -1].sum())
    ax.set_title(title or "What the numbers rest on", loc="left", pad=12)
    ax.set_xlabel(f"{total} numbers; {uncited} cite neither evidence nor an assumption"
                  + ("" if ev_ids or as_ids else " (the file has no evidence or assumptions)"),
                  labelpad=36 if (n_e or n_a) else 8)
    ax.xaxis.set_label_position("bottom")
    return ax
