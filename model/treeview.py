"""Decision trees for people: the rolled-back tree of one sample as text, Graphviz DOT, Mermaid or JSON.

`tree_records` gathers, with array operations over all N nodes at once, everything a picture of
the tree shows: per node its branch probability, the payoff paid on the way in, the rolled-back
value, the probability of reaching it under the optimal policy, whether it is the best branch of
its decision. The renderers (`render_text`, `to_dot`, `to_mermaid`, `to_json`) only format those
records; they compute nothing about the model.

Conventions.
- Values are shown in the criterion's unit for one raw criterion (a cost is shown as a cost, not
  negated), else as value scores (0 worst, 1 best). With an exponential utility the value is the
  certainty equivalent (labelled CE), else the expected value (EV).
- `reach` is the probability of reaching the node from the root when the optimal policy is
  followed: evaluate's choice at every decision of the decision maker, the root's included, and
  at a decision another player owns (a strategic event, or an explicit-tree node with `actor:`)
  that player's choice as solved: its best reply, or under a logit response (`rationality`) each
  branch with its logit probability. Where options tie, the choice is the first of them, so the
  reach of the leaves always sums to one; every tied option is still marked best (★) and `tied`.
- Best and tied are judged on the values of whoever decides: the decision maker's rolled-back
  value at its own decisions, the owner's (`Evaluation.actor_node_value`) at another player's.
  Such a decision shows its owner ('□ response (incumbent)') and each of its branches the
  owner's value beside the decision maker's ('incumbent: 2.00'); a logit choice shows its
  probability as p=.
- `depth=d` shows the nodes at most d branches below the root (d=0: the root alone); a shown node
  at depth d with descendants carries `hidden`, how many nodes lie below it.
- Payoffs and branch probabilities are read from a parameter vector: `theta` when given, else the
  evaluation's own `theta` when it carries one, else the model's point values. An evaluation made
  at other values must be given its `theta`; a mismatch of the probabilities is refused.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from .compile import CHANCE, DECISION, KIND_NAMES, TERMINAL
from .evaluate import Evaluation, branch_probabilities, node_probability, tie_width

__all__ = ["tree_records", "render_text", "legend_lines", "to_dot", "to_mermaid", "to_json"]

_SYMBOLS = {"decision": "□", "chance": "○", "terminal": "△"}
_ASCII_SYMBOLS = {"decision": "[D]", "chance": "(C)", "terminal": "<T>"}


# ------------------------------------------------------------------------------------------ records
def _theta(ev: Evaluation, sample: int, theta: np.ndarray | None) -> np.ndarray:
    """The parameter vector [P] of the sample shown."""
    m = ev.model
    if theta is None:
        own = getattr(ev, "theta", None)
        if own is not None:
            theta = np.atleast_2d(np.asarray(own, dtype=float))[sample]
        elif ev.n_samples > 1:
            raise ValueError("tree view of one sample of several: pass that sample's parameter vector "
                             "as theta (the model's point values would not match it)")
        else:
            theta = m.params.point
    theta = np.asarray(theta, dtype=float)
    if theta.ndim == 2:
        theta = theta[sample] if theta.shape[0] > 1 else theta[0]
    if theta.shape != (m.n_params,):
        raise ValueError(f"theta has {theta.shape[-1]} parameters; the model has {m.n_params}")
    return theta


def _fin(x: float) -> float | None:
    """A float for output, None when not finite (JSON has no NaN)."""
    x = float(x)
    return x if math.isfinite(x) else None


def tree_records(ev: Evaluation, sample: int = 0, depth: int | None = None, *,
                 theta: np.ndarray | None = None) -> list[dict[str, Any]]:
    """One record per node shown, in depth-first order (each node before its children).

    Each record: id (node number), parent (-1 at the root), depth, kind ('decision', 'chance',
    'terminal'), name (decision/chance name, '' for ends), label (branch id into the node, '' at
    the root), p (branch probability; None below a decision and at the root), payoff ({criterion:
    amount} paid on the way into the node, only the criteria it pays), consequence ({criterion:
    total paid from the root}, ends only, else None), value (rolled-back value in the display
    unit, see the module doc), utility (node_value as evaluated), reach (probability of reaching
    the node under the optimal policy), reach_option (given its root option, optimal later
    choices taken), best (an optimal branch of its decision for whoever decides there, ties
    included), chosen (the branch the policy takes at its decision: the most likely one under a
    logit response), tied (best, and another branch is too), on_path (every decision above it
    takes the branch towards it, the most likely one at a logit choice; reach is positive also
    off this path, on the other branches a logit choice takes),
    children (number shown), last (last child of its parent), hidden (nodes below it not shown,
    at the collapse depth only), excluded (a decision above it takes another branch, so its reach
    is 0 by choice rather than by chance; not in the JSON).

    Players (None, or {} for actor_values, when the scenario has none): owner (at a decision
    node, the player who decides there, the decision maker included), chooser (the player, other
    than the decision maker, whose decision the branch into the node is), owner_value (the
    node's value to that chooser: what best and tied are judged on there), choice_p (the
    probability the chooser takes the branch, where it chooses by a logit response),
    actor_values ({player: value at the node} for every player but the decision maker).
    """
    m = ev.model
    t = m.tree
    if ev.node_value is None or ev.reach is None:
        raise ValueError("tree view needs per-node values: evaluate with keep_nodes=True (point() does)")
    if not 0 <= sample < ev.n_samples:
        raise IndexError(f"sample {sample} out of range: the evaluation has {ev.n_samples}")
    if depth is not None and depth < 0:
        raise ValueError("depth must be 0 or more (0 shows the root alone)")
    th = _theta(ev, sample, theta)
    n, ncrit = t.n, len(m.criteria)
    nodes = np.arange(n)
    par = np.maximum(t.parent, 0)
    has_parent = t.parent >= 0
    par_kind = np.where(has_parent, t.kind[par], -1)

    # branch probabilities, checked against the evaluation's reach where the parent is reached
    p = node_probability(m, branch_probabilities(m, th[None, :]))[0]
    reach_opt = ev.reach[sample].astype(float)
    under_chance = par_kind == CHANCE
    if under_chance.any():
        want = reach_opt[par[under_chance]] * p[under_chance]
        if not np.allclose(reach_opt[under_chance], want, rtol=1e-7, atol=1e-9):
            raise ValueError("the evaluation was not made at the parameter values given: pass the theta "
                             "it was evaluated at")

    # payoffs: own (paid into the node) and cumulative from the root
    own = np.zeros((n, ncrit))
    paid = np.zeros((n, ncrit), dtype=bool)
    if len(m.pay_param):
        np.add.at(own, (m.pay_node, m.pay_criterion), th[m.pay_param])
        paid[m.pay_node, m.pay_criterion] = True
    cum = own.copy()
    for start, stop in t.levels[1:]:
        cum[start:stop] += cum[t.parent[start:stop]]

    # values in the display unit
    u = ev.node_value[sample].astype(float)  # expected value, or certainty equivalent
    shown_value = u.copy()
    if m.raw_value and m.directions[0] < 0:
        shown_value = -shown_value

    # who decides: the decision maker (0) or another player (k > 0, `m.actors[k]`), per node
    players = tuple(m.actors)
    owner = (np.asarray(m.node_owner, dtype=np.intp) if len(m.node_owner)
             else np.where(t.kind == DECISION, 0, -1).astype(np.intp))
    under_dec = has_parent & (par_kind == DECISION)
    under_actor = under_dec & (owner[par] > 0)          # a branch another player chooses
    # each player's value at each node: the decision maker's, then the others' (as evaluated)
    others = ev.actor_node_value or {}
    if under_actor.any() and any(a not in others for a in players[1:]):
        raise ValueError("tree view of a game needs the players' node values: evaluate with keep_nodes=True")
    player_value = [u] + [np.asarray(others[a][sample], dtype=float) for a in players[1:]]
    # the value each branch is judged on: its owner's (the decision maker's below its own decisions)
    judged = u.copy()
    for k in range(1, len(players)):
        sel = under_dec & (owner[par] == k)
        judged[sel] = player_value[k][sel]
    cp = ev.choice_probability
    take_p = (np.asarray(cp[sample], dtype=float) if cp is not None
              else np.ones(n))                          # P(the owner takes the branch)
    lam = (np.asarray(m.node_rationality, dtype=float) if len(m.node_rationality) else np.full(n, np.inf))
    mixed = under_actor & np.isfinite(lam[par])         # chosen by a logit response, not a best reply

    # the policy: chosen child of each decision, optimal (tied) children, path, reach
    chosen_child = np.full(n, -1, dtype=np.intp)
    dec = t.decisions[t.n_children[t.decisions] > 0]
    dec_col = np.searchsorted(t.decisions, dec)
    chosen_child[dec] = t.first_child[dec] + ev.choice[sample, dec_col]
    chosen = under_dec & (chosen_child[par] == nodes)
    top = judged[np.maximum(chosen_child[par], 0)]
    best = under_dec & (judged >= top - tie_width(top))
    n_best = np.zeros(n, dtype=np.intp)
    np.add.at(n_best, par[best], 1)
    tied = best & (n_best[par] > 1)
    # on the path: the branch each decision takes (at a logit choice the most likely one); reached:
    # at another player's decision every branch it takes with a positive probability (all of a
    # logit mix), whose probability reach_opt already carries
    takes = np.where(under_actor, take_p > 0, chosen)
    on_path = np.ones(n, dtype=bool)
    reached = np.ones(n, dtype=bool)
    for start, stop in t.levels[1:]:
        sl = slice(start, stop)
        on_path[sl] = on_path[t.parent[sl]] & (~under_dec[sl] | chosen[sl])
        reached[sl] = reached[t.parent[sl]] & (~under_dec[sl] | takes[sl])
    reach = np.where(reached, reach_opt, 0.0)
    owner_name = [players[k] if players and k >= 0 else None for k in owner.tolist()]
    owner_value = np.where(under_actor, judged, np.nan)
    excluded = ~reached                                  # a decision above takes another branch

    # collapsing: size of each subtree
    size = np.ones(n, dtype=np.intp)
    for start, stop in reversed(t.levels[1:]):
        np.add.at(size, t.parent[start:stop], size[start:stop])
    limit = np.iinfo(np.intp).max if depth is None else depth
    cut = (t.depth == limit) & (t.n_children > 0)
    hidden = np.where(cut, size - 1, 0)
    n_shown_children = np.where(t.depth < limit, t.n_children, 0)
    last = has_parent & (nodes == t.first_child[par] + t.n_children[par] - 1)

    # depth-first order over the shown nodes
    order: list[int] = []
    stack = [0]
    fc, nsc = t.first_child.tolist(), n_shown_children.tolist()
    while stack:
        x = stack.pop()
        order.append(x)
        if nsc[x]:
            stack.extend(range(fc[x] + nsc[x] - 1, fc[x] - 1, -1))

    crit = m.criteria
    L = {k: v.tolist() for k, v in dict(
        parent=t.parent, depth=t.depth, kind=t.kind, p=p, value=shown_value, utility=u, reach=reach,
        reach_option=reach_opt, best=best, chosen=chosen, tied=tied, on_path=on_path,
        children=n_shown_children, last=last, hidden=hidden, under_chance=under_chance, excluded=excluded,
        under_actor=under_actor, mixed=mixed, take_p=take_p, owner_value=owner_value).items()}
    own_l, paid_l, cum_l = own.tolist(), paid.tolist(), cum.tolist()
    pv_l = [v.tolist() for v in player_value[1:]]
    out = []
    for x in order:
        kind = KIND_NAMES[L["kind"][x]]
        par_x = L["parent"][x]
        out.append({
            "id": x,
            "parent": L["parent"][x],
            "depth": L["depth"][x],
            "kind": kind,
            "name": t.name[x],
            "label": t.label[x],
            "p": _fin(L["p"][x]) if L["under_chance"][x] else None,
            "payoff": {crit[c]: _fin(own_l[x][c]) for c in range(ncrit) if paid_l[x][c]},
            "consequence": ({crit[c]: _fin(cum_l[x][c]) for c in range(ncrit)}
                            if L["kind"][x] == TERMINAL else None),
            "value": _fin(L["value"][x]),
            "utility": _fin(L["utility"][x]),
            "reach": _fin(L["reach"][x]),
            "reach_option": _fin(L["reach_option"][x]),
            "best": L["best"][x],
            "chosen": L["chosen"][x],
            "tied": L["tied"][x],
            "on_path": L["on_path"][x],
            "children": L["children"][x],
            "last": L["last"][x],
            "hidden": L["hidden"][x],
            "excluded": L["excluded"][x],
            "owner": owner_name[x] if kind == "decision" else None,
            "chooser": owner_name[par_x] if L["under_actor"][x] else None,
            "owner_value": _fin(L["owner_value"][x]) if L["under_actor"][x] else None,
            "choice_p": _fin(L["take_p"][x]) if L["mixed"][x] else None,
            "actor_values": {a: _fin(pv_l[i][x]) for i, a in enumerate(players[1:])},
        })
    return out


# --------------------------------------------------------------------------------------- formatting
def _style(ev: Evaluation) -> tuple[str, int]:
    """('EV' or 'CE', decimals): the value's label and precision."""
    m = ev.model
    return ("CE" if m.risk_tolerance is not None else "EV"), (2 if m.raw_value else 3)


def _fixed(x: float | None, digits: int) -> str:
    if x is None:
        return "n/a"
    s = f"{x:,.{digits}f}" if abs(x) >= 1e5 else f"{x:.{digits}f}"
    return s[1:] if s.startswith("-") and float(s.replace(",", "")) == 0 else s


def _prob(x: float | None) -> str:
    if x is None:
        return "n/a"
    if x == 0 or x == 1:
        return str(int(x))
    return f"{x:.3g}"


def _amount(x: float | None) -> str:
    """A payment as an analyst writes it: three significant digits (8.33, 33.3, 137), whole
    numbers with separators from 1,000, 'e' notation only beyond 1e9 or below 1e-3."""
    if x is None:
        return "n/a"
    if x != 0 and (abs(x) < 1e-3 or abs(x) >= 1e9):
        return f"{x:.3g}"
    s = f"{x:,.0f}" if abs(x) >= 999.5 else f"{x:.3g}"
    return "0" if s in ("-0", "") else s


def _payoff_text(ev: Evaluation, r: dict[str, Any], sep: str = ", ") -> str:
    """'pays 2' / 'pays cost 3, deaths 1' (amounts that are not 0); '' when nothing is paid or
    the end's value shows it."""
    pay = {k: v for k, v in r["payoff"].items() if v != 0}
    if not pay:
        return ""
    if ev.model.raw_value:
        if r["kind"] == "terminal" and r["consequence"] == r["payoff"]:
            return ""  # paid nothing before: the end's value is this payoff
        return "pays " + _amount(next(iter(pay.values())))
    names = _criterion_names(ev)
    return "pays " + sep.join(f"{names.get(k, k)} {_amount(v)}" for k, v in pay.items())


def _criterion_names(ev: Evaluation) -> dict[str, str]:
    """criterion id -> the name the file gives it (the id where it gives none)."""
    sc = ev.model.scenario
    return {c.id: c.name or c.id for c in getattr(sc, "criteria", ())}


def _actor_owned(ev: Evaluation, r: dict[str, Any]) -> bool:
    """True at a decision node another player than the decision maker owns."""
    return r["owner"] is not None and r["owner"] != ev.model.actors[0]


def _node_lines(ev: Evaluation, r: dict[str, Any], ellipsis: str = "…", sep: str = ", ") -> dict[str, str]:
    """Pieces of text about one node, shared by the renderers."""
    vlabel, digits = _style(ev)
    value = _fixed(r["value"], digits)
    hidden = r["hidden"]
    p = r["p"] if r["p"] is not None else r["choice_p"]
    return {
        "value": value if r["kind"] == "terminal" else f"{vlabel} {value}",
        "name": (f"{r['name']} ({r['owner']})".lstrip() if _actor_owned(ev, r) else r["name"]),
        "owner_value": (f"{r['chooser']}: {_fixed(r['owner_value'], digits)}" if r["chooser"] else ""),
        "p": "" if p is None else f"p={_prob(p)}",
        "pay": _payoff_text(ev, r, sep),
        # a node a choice above excludes is not reached by choice: no P(reach)=0 beside its p=
        "reach": "" if r["excluded"] else f"P(reach)={_prob(r['reach'])}",
        "hidden": f"{ellipsis} {hidden} node{'s' if hidden != 1 else ''} below" if hidden else "",
        "tie": "(tie)" if r["tied"] else "",
    }


# --------------------------------------------------------------------------------------------- text
def render_text(ev: Evaluation, sample: int = 0, depth: int | None = None, unit: str | None = None, *,
                ascii: bool = False, theta: np.ndarray | None = None, width: int | None = None,
                legend: bool = False) -> str:
    """The tree indented like `tree` or TreeAge, one line per node shown.

    A line: branch (★ when it is an optimal branch of its decision, for whoever decides there),
    p= on chance branches and on an actor's logit choices, the payoff paid on the way in, the node
    (□ decision, ○ chance, △ end; another player's decision with its owner in parentheses) with
    its rolled-back value, the chooser's value below another player's decision ('incumbent:
    2.00'), P(reach) under the optimal policy on ends and collapsed nodes (none where a choice above
    excludes the node), '… N nodes below' where the depth cuts the tree. `unit` is written after
    the root's value. `ascii=True` draws with ASCII. With `width`, a line longer than that puts its
    payments on lines of their own below it, wrapped. `legend=True` adds what is collapsed and what
    the marks, values, P(reach) and payments mean, in the criteria's names and units.
    """
    recs = tree_records(ev, sample, depth, theta=theta)
    sym = _ASCII_SYMBOLS if ascii else _SYMBOLS
    tee, elbow, bar, blank = ("|-", "`-", "|  ", "   ") if ascii else ("├─", "└─", "│  ", "   ")
    star, ellipsis = ("*", "...") if ascii else ("★", "…")
    by_id = {r["id"]: r for r in recs}
    lines = []
    for r in recs:
        bits = _node_lines(ev, r, ellipsis)
        node = f"{sym[r['kind']]} {bits['name']}".rstrip() if r["kind"] != "terminal" else sym["terminal"]
        parts = [node + " " + bits["value"] if r["kind"] == "terminal" else node + "  " + bits["value"]]
        if r["id"] == 0 and unit:
            parts[0] += f" {unit}"
        if bits["owner_value"]:
            parts.append(bits["owner_value"])
        tail = [b for b in ((bits["reach"] if r["kind"] == "terminal" or r["hidden"] else ""), bits["hidden"]) if b]
        if r["id"] == 0:
            lines.append("  ".join(parts + tail))
            continue
        # indentation: one column per ancestor below the root, a bar while it has later siblings
        prefix = []
        a = by_id[r["parent"]]
        while a["id"] != 0:
            prefix.append(blank if a["last"] else bar)
            a = by_id[a["parent"]]
        branch = (elbow if r["last"] else tee) + (star + " " if r["best"] else " ") + r["label"]
        head = [branch] + [b for b in (bits["tie"], bits["p"], bits["pay"]) if b]
        indent = "".join(reversed(prefix))
        line = indent + "  ".join(head + parts + tail)
        if width is None or len(line) <= width:
            lines.append(line)
            continue
        # too wide: the payments, then P(reach) and what is hidden, go below the node, under its
        # children's bar
        head = [b for b in head if b != bits["pay"]]
        below = indent + (blank if r["last"] else bar) + (bar if r["children"] else blank) + "  "
        if len(indent + "  ".join(head + parts + tail)) <= width:
            lines.append(indent + "  ".join(head + parts + tail))
        else:
            lines += [indent + "  ".join(head + parts), below + "  ".join(tail)] if tail else [indent + "  ".join(head + parts)]
        if bits["pay"]:
            import textwrap

            lines.extend(textwrap.wrap(bits["pay"], max(width - len(below), 30), initial_indent=below,
                                       subsequent_indent=below + "  ", break_on_hyphens=False))
    if legend:
        lines += [""] + legend_lines(ev, recs, width or 100, ascii=ascii, unit=unit)
    return "\n".join(lines)


def legend_lines(ev: Evaluation, recs: list[dict[str, Any]], width: int = 100, *, ascii: bool = False,
                 unit: str | None = None) -> list[str]:
    """What a text tree's reader needs beside it: how much the depth collapsed, and what the marks,
    the values, P(reach) and the payments mean, in the criteria's names and units."""
    import textwrap

    m = ev.model
    vlabel, _ = _style(ev)
    star, ellipsis = ("*", "...") if ascii else ("★", "…")
    hidden = sum(r["hidden"] for r in recs)
    out = []
    if hidden:
        cut = max(r["depth"] for r in recs)
        out.append(f"{ellipsis} {hidden:,} of {m.tree.n:,} nodes lie below depth {cut} and are not shown: "
                   "--depth N shows more, --depth all the whole tree.")
    what = "certainty equivalent" if vlabel == "CE" else "expected value"
    if m.raw_value:
        crit = m.scenario.criteria[0] if m.scenario.criteria else None
        in_unit = unit or (crit.unit if crit is not None else None)
        scale = (f"in {in_unit}" if in_unit else "in the criterion's unit") + (", a cost" if m.directions[0] < 0 else "")
    else:
        scale = "as a value score, 0 worst and 1 best, over the criteria's weights"
    out.append(f"{vlabel}: the node's {what} {scale}, every later decision taking its {star} branch "
               f"({star}: the best branch for whoever decides there); an end shows its value.")
    if any(r["p"] is not None or r["choice_p"] is not None for r in recs):
        out.append("p=: the branch's probability (of a chance event, or of another actor's choice where it "
                   "chooses by a logit response).")
    choosers = sorted({r["chooser"] for r in recs if r["chooser"]})
    if choosers:
        out.append(f"{'/'.join(choosers)}: x: the branch's value to the actor who chooses it, by its own payoffs, "
                   "which its choice follows.")
    if any(r["kind"] == "terminal" or r["hidden"] for r in recs if r["id"] != 0):
        out.append(f"P(reach): the chance of reaching an end or a collapsed node when every decision takes its "
                   f"{star} branch; not shown where a decision above takes another branch.")
    shows_pay = [r for r in recs if _payoff_text(ev, r)]
    paid = [c for c in m.criteria if any(c in r["payoff"] for r in shows_pay)]
    if paid and not m.raw_value:
        sc = m.scenario
        units = {c.id: c.unit for c in sc.criteria if c.unit}
        names = _criterion_names(ev)
        said = "; ".join(f"{names.get(c, c)} in {units[c]}" for c in paid if c in units)
        out.append("pays: what the branch adds to each criterion on the way in" + (f" ({said})." if said else "."))
    elif paid:
        out.append("pays: what the branch adds on the way in, in the same unit.")
    lines = []
    for text in out:
        lines += textwrap.wrap(text, width, subsequent_indent="    ", break_on_hyphens=False)
    return lines


# ---------------------------------------------------------------------------------------------- DOT
def _dot_quote(s: str) -> str:
    """A DOT double-quoted string; newlines become DOT's centred line break."""
    s = s.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n") + '"'


def _node_label(ev: Evaluation, r: dict) -> list[str]:
    """The lines of a node's box in DOT and Mermaid: name, value, the owner's value, reach, hidden."""
    bits = _node_lines(ev, r)
    text = [bits["name"]] if r["kind"] != "terminal" and r["name"] else []
    text.append(bits["value"])
    if bits["owner_value"]:
        text.append(bits["owner_value"])
    if (r["kind"] == "terminal" or r["hidden"]) and bits["reach"]:
        text.append(bits["reach"])
    if bits["hidden"]:
        text.append(bits["hidden"])
    return text


def to_dot(ev: Evaluation, sample: int = 0, depth: int | None = None, *,
           theta: np.ndarray | None = None) -> str:
    """Graphviz DOT: decisions as boxes, chance nodes as ellipses, ends as triangles; the optimal
    branches of each decision bold (penwidth=2); collapsed nodes dashed with the count hidden."""
    recs = tree_records(ev, sample, depth, theta=theta)
    shape = {"decision": "box", "chance": "ellipse", "terminal": "triangle"}
    title = ev.model.scenario.meta.title if getattr(ev.model.scenario, "meta", None) else "juncture"
    out = ["digraph juncture {",
           f"  label={_dot_quote(str(title))};",
           "  labelloc=t;",
           "  rankdir=LR;",
           '  node [fontname="Helvetica", fontsize=10];',
           '  edge [fontname="Helvetica", fontsize=9];']
    for r in recs:
        text = _node_label(ev, r)
        attrs = [f"shape={shape[r['kind']]}", f"label={_dot_quote(chr(10).join(text))}"]
        if r["hidden"]:
            attrs.append("style=dashed")
        if r["on_path"]:
            attrs.append("color=\"#1f4e9c\"")
        out.append(f"  n{r['id']} [{', '.join(attrs)}];")
    for r in recs:
        if r["parent"] < 0:
            continue
        bits = _node_lines(ev, r, sep="\n")
        head = r["label"] + (" ★" if r["best"] else "")
        text = "\n".join(b for b in (head, bits["p"], bits["pay"], bits["tie"]) if b)
        attrs = [f"label={_dot_quote(text)}"]
        if r["best"]:
            attrs += ["style=bold", "penwidth=2"]
        out.append(f"  n{r['parent']} -> n{r['id']} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out)


# ------------------------------------------------------------------------------------------ Mermaid
def _mermaid_quote(s: str) -> str:
    """A Mermaid double-quoted label: markup characters as entity codes, newlines as <br/>."""
    for ch, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("|", "#124;"),
                     ("`", "#96;")):
        s = s.replace(ch, code)
    return '"' + s.replace("\r\n", "\n").replace("\n", "<br/>") + '"'


def to_mermaid(ev: Evaluation, sample: int = 0, depth: int | None = None, *,
               theta: np.ndarray | None = None) -> str:
    """Mermaid `flowchart LR`: decisions [ ], chance nodes (( )), ends > ]; optimal branches ==>."""
    recs = tree_records(ev, sample, depth, theta=theta)
    wrap = {"decision": ("[", "]"), "chance": ("((", "))"), "terminal": (">", "]")}
    out = ["flowchart LR"]
    for r in recs:
        text = _node_label(ev, r)
        a, b = wrap[r["kind"]]
        out.append(f"  n{r['id']}{a}{_mermaid_quote(chr(10).join(text))}{b}")
    for r in recs:
        if r["parent"] < 0:
            continue
        bits = _node_lines(ev, r)
        text = " ".join(b for b in (r["label"], bits["p"], bits["pay"], bits["tie"]) if b)
        arrow = "==>" if r["best"] else "-->"
        out.append(f"  n{r['parent']} {arrow}|{_mermaid_quote(text)}| n{r['id']}")
    return "\n".join(out)


# --------------------------------------------------------------------------------------------- JSON
_JSON_FIELDS = ("id", "kind", "name", "label", "p", "payoff", "consequence", "value", "utility", "reach",
                "reach_option", "best", "chosen", "tied", "on_path", "hidden", "owner", "chooser", "owner_value",
                "choice_p", "actor_values")


def to_json(ev: Evaluation, sample: int = 0, depth: int | None = None, *, indent: int | None = 2,
            theta: np.ndarray | None = None) -> str:
    """The tree as nested JSON objects {"id", "kind", "name", "label", "p", "payoff", "value",
    "reach", "best", ..., "children": [...]} (fields as in `tree_records`), the root outermost.
    Non-finite numbers are null."""
    recs = tree_records(ev, sample, depth, theta=theta)
    objs: dict[int, dict[str, Any]] = {}
    for r in recs:
        o = {k: r[k] for k in _JSON_FIELDS}
        o["children"] = []
        objs[r["id"]] = o
        if r["parent"] >= 0:
            objs[r["parent"]]["children"].append(o)
    return json.dumps(objs[0], indent=indent, allow_nan=False, ensure_ascii=False)
