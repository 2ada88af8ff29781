"""Alternative futures: a world is the scenario with some of its numbers replaced."""

from __future__ import annotations

import dataclasses
import math

from ..io import Number, Problem, Scenario, ScenarioError, iter_numbers
from ..io.load import PROBABILITY_TOLERANCE, show_path
from ..io.scenario import Row, TreeNode


def apply_world(sc: Scenario, world: str) -> Scenario:
    """The scenario as it is in `world`: each override replaces the number it names.

    Probability rows touched by an override are checked again (sum to one, one `otherwise` at
    most) and reported at the override's FILE:LINE:COL.
    """
    if world not in sc.worlds:
        known = ", ".join(sc.worlds) or "none"
        raise KeyError(f"no world named {world!r} (worlds: {known})")
    problems: list[Problem] = []
    touched: dict[tuple[str, int], str] = {}
    same = _alias_names(sc)
    for name, number in sc.worlds[world].overrides.items():
        where = ("worlds", world, "overrides", name)
        # a number reached through a YAML alias is one number: the override changes it everywhere
        for alias in same.get(name, [name]):
            try:
                sc, row_key = _replace(sc, alias, number)
            except LookupError as e:
                problems.append(_problem(sc, where, str(e)))
                continue
            if row_key is not None:
                touched.setdefault(row_key, name)
    for (eid, ri), name in touched.items():
        ev = sc.event(eid)
        row = ev.probability[ri]
        fixed, message = _resettle(row)
        if message:
            problems.append(_problem(sc, ("worlds", world, "overrides", name), f"in world '{world}', {message}"))
            continue
        rows = list(ev.probability)
        rows[ri] = fixed
        sc = _with_event(sc, dataclasses.replace(ev, probability=tuple(rows)))
    if sc.tree is not None:
        sc = dataclasses.replace(sc, tree=_resettle_tree(sc.tree, problems, sc, world))
    if problems:
        raise ScenarioError(problems)
    return sc


def _alias_names(sc: Scenario) -> dict[str, list[str]]:
    """Name -> every name of the same YAML node (the node and its aliases)."""
    if sc.document is None:
        return {}
    by_mark: dict[tuple[int, int], list[str]] = {}
    for r in iter_numbers(sc):
        if r.path in sc.document.marks:
            by_mark.setdefault(sc.document.marks[r.path], []).append(r.name)
    return {n: names for names in by_mark.values() for n in names}


def _problem(sc: Scenario, path: tuple, message: str) -> Problem:
    line, col = sc.document.at(path, key=True) if sc.document is not None else (1, 1)
    return Problem(sc.file, line, col, f"{show_path(path)}: {message}")


def _resettle(row: Row) -> tuple[Row, str | None]:
    """Recompute the `otherwise` entry of a row; a message when the row no longer sums to one."""
    rest = [k for k, n in row.probabilities.items() if n.kind == "otherwise"]
    total = math.fsum(n.point for n in row.probabilities.values() if n.kind != "otherwise")
    where = f" for {', '.join(row.conditions)}" if row.conditions else ""
    if len(rest) > 1:
        return row, f"probabilities{where} have two 'otherwise' entries ({', '.join(rest)})"
    if rest:
        if total > 1 + PROBABILITY_TOLERANCE:
            return row, f"probabilities{where} sum to {total:.6g} before 'otherwise'"
        probs = dict(row.probabilities)
        probs[rest[0]] = dataclasses.replace(probs[rest[0]], point=max(0.0, 1.0 - total))
        return dataclasses.replace(row, probabilities=probs), None
    if abs(total - 1) > PROBABILITY_TOLERANCE:
        return row, f"probabilities{where} sum to {total:.6g}, not 1"
    return row, None


def _with_event(sc: Scenario, ev: object) -> Scenario:
    return dataclasses.replace(sc, events=tuple(ev if e.id == ev.id else e for e in sc.events))


def _replace(sc: Scenario, name: str, number: Number) -> tuple[Scenario, tuple[str, int] | None]:
    """Replace the number called `name`; returns the scenario and the (event, row) touched."""
    parts = name.split(".")
    head = parts[0]
    if head == "options" and len(parts) == 4 and parts[2] == "impacts":
        opts = []
        for o in sc.options:
            if o.id == parts[1]:
                o = dataclasses.replace(o, impacts={**o.impacts, parts[3]: number})
            opts.append(o)
        return dataclasses.replace(sc, options=tuple(opts)), None
    if head == "criteria" and len(parts) == 3 and parts[2] == "weight":
        return dataclasses.replace(sc, criteria=tuple(
            dataclasses.replace(c, weight=number) if c.id == parts[1] else c for c in sc.criteria)), None
    if head == "events" and len(parts) >= 4:
        ev = sc.event(parts[1])
        if parts[2] == "states" and len(parts) == 6 and parts[4] == "impacts":
            st = ev.states[parts[3]]
            st = dataclasses.replace(st, impacts={**st.impacts, parts[5]: number})
            return _with_event(sc, dataclasses.replace(ev, states={**ev.states, parts[3]: st})), None
        if parts[2] == "probability":
            conds, state = tuple(parts[3:-1]), parts[-1]
            for ri, row in enumerate(ev.probability):
                if row.conditions == conds:
                    probs = {**row.probabilities, state: number}
                    rows = list(ev.probability)
                    rows[ri] = dataclasses.replace(row, probabilities=probs)
                    return _with_event(sc, dataclasses.replace(ev, probability=tuple(rows))), (ev.id, ri)
    if head == "actors" and len(parts) >= 4 and parts[2] in ("payoffs", "criteria_weights"):
        a = sc.actors[parts[1]]
        field_ = parts[2]
        key = ".".join(parts[3:])
        table = {**getattr(a, field_), key: number}
        return dataclasses.replace(sc, actors={**sc.actors, a.id: dataclasses.replace(a, **{field_: table})}), None
    if head == "weight_profiles" and len(parts) == 4 and parts[2] == "weights":
        prof = sc.weight_profiles[parts[1]]
        prof = dataclasses.replace(prof, weights={**prof.weights, parts[3]: number})
        return dataclasses.replace(sc, weight_profiles={**sc.weight_profiles, prof.id: prof}), None
    if head == "indicators" and len(parts) >= 3:
        inds = []
        for ind in sc.indicators:
            if ind.id == parts[1]:
                if parts[2] == "likelihood" and len(parts) == 4:
                    ind = dataclasses.replace(ind, likelihood={**ind.likelihood, parts[3]: number})
                elif parts[2] == "likelihood_ratio" and len(parts) == 3:
                    ind = dataclasses.replace(ind, likelihood_ratio=number)
            inds.append(ind)
        return dataclasses.replace(sc, indicators=tuple(inds)), None
    if head == "actors" and len(parts) == 5 and parts[4] == "follow_through":
        a = sc.actors[parts[1]]
        sig = tuple(dataclasses.replace(s, follow_through=number) if s.id == parts[3] else s for s in a.signals)
        return dataclasses.replace(sc, actors={**sc.actors, a.id: dataclasses.replace(a, signals=sig)}), None
    if head == "risks" and len(parts) == 3 and parts[2] == "severity":
        return dataclasses.replace(sc, risks=tuple(
            dataclasses.replace(k, severity=number) if k.id == parts[1] else k for k in sc.risks)), None
    if head == "tree" and sc.tree is not None:
        return dataclasses.replace(sc, tree=_replace_in_tree(sc.tree, parts[1:], number)), None
    raise LookupError(f"'{name}' names no number in this file")


def _replace_in_tree(node: TreeNode, parts: list[str], number: Number) -> TreeNode:
    if parts[0] == "p" and len(parts) == 1:
        return dataclasses.replace(node, p=number)
    if parts[0] == "payoff":
        key = parts[1] if len(parts) > 1 else ""
        return dataclasses.replace(node, payoff={**node.payoff, key: number})
    if parts[0] == "actor_payoffs" and len(parts) == 2:
        return dataclasses.replace(node, actor_payoffs={**node.actor_payoffs, parts[1]: number})
    kids = tuple(_replace_in_tree(c, parts[1:], number) if c.label == parts[0] else c for c in node.children)
    if not any(c.label == parts[0] for c in node.children):
        raise LookupError(f"no branch '{parts[0]}' here")
    return dataclasses.replace(node, children=kids)


def _resettle_tree(node: TreeNode, problems: list[Problem], sc: Scenario, world: str) -> TreeNode:
    kids = tuple(_resettle_tree(c, problems, sc, world) for c in node.children)
    if node.kind == "chance" and kids:
        row = Row((), {c.label: c.p for c in kids if c.p is not None})
        fixed, message = _resettle(row)
        if message:
            problems.append(_problem(sc, ("worlds", world), f"in world '{world}', branches of '{node.name}': {message}"))
        else:
            kids = tuple(dataclasses.replace(c, p=fixed.probabilities[c.label]) for c in kids)
    return dataclasses.replace(node, children=kids)
