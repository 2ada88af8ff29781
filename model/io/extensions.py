"""Checks of meaning for the parts of a scenario used by later analyses: correlated factors,
weight profiles and comparison settings, strategic actors, indicators, the escalation ladder."""

from __future__ import annotations

import math
from typing import Any

from .errors import did_you_mean
from .scenario import Scenario


def _finite(x: Any) -> bool:
    """True for a real number a float can hold (not NaN, not infinite, not an integer beyond 1e308)."""
    try:
        return not isinstance(x, bool) and isinstance(x, (int, float)) and math.isfinite(x)
    except OverflowError:  # an integer too large for a float
        return False


def _g(x: Any) -> str:
    """A user's number for a message, whatever it is: never raises (a huge integer is abridged)."""
    try:
        return f"{x:g}"
    except (OverflowError, TypeError, ValueError):
        t = str(x)
        return t if len(t) <= 24 else f"{t[:12]}...({len(t)} digits)"


def check_extensions(sc: Scenario, r: Any) -> None:
    """Report every problem in these sections through the loader's Reader `r`."""
    criteria = {c.id for c in sc.criteria}
    options = set(sc.option_ids)
    events = {e.id: e for e in sc.events}
    state_keys = {f"{e.id}.{s}" for e in sc.events for s in e.states}
    evidence = {e.id for e in sc.evidence}
    assumptions = {a.id for a in sc.assumptions}

    def ref(path: tuple, value: Any, pool: Any, what: str) -> bool:
        if value in pool:
            return True
        r.error(path, f"unknown {what} '{value}'{did_you_mean(value, pool)}")
        return False

    def basis(path: tuple, obj: Any) -> None:
        for i, x in enumerate(getattr(obj, "evidence", ())):
            ref(path + ("evidence", i), x, evidence, "evidence")
        for i, x in enumerate(getattr(obj, "assumptions", ())):
            ref(path + ("assumptions", i), x, assumptions, "assumption")

    # factors: the numbers they drive must exist and be uncertain
    from .paths import iter_numbers

    numbers = {n.name: n.number for n in iter_numbers(sc)}
    load_sq: dict[str, float] = {}
    for fid, fac in sc.factors.items():
        p = ("factors", fid)
        basis(p, fac)
        if not fac.drives:
            r.error(p + ("drives",), "a factor drives at least one number")
        for name, loading in fac.drives.items():
            q = p + ("drives", name)
            if name not in numbers:
                r.error(q, f"'{name}' names no number in this file{did_you_mean(name, numbers)}", key=True)
                continue
            if not numbers[name].is_uncertain:
                r.error(q, f"'{name}' is a fixed number ({numbers[name]}): only an uncertain number can be "
                           "tied to a factor", key=True)
            # a loading outside [-1, 1] (1e154, inf, nan, a huge integer) is reported and left out of
            # the sum: squaring it could overflow, and the sum would only echo the problem
            if not _finite(loading) or not -1 <= loading <= 1:
                r.error(q, f"a loading is a correlation between -1 and 1; got {_g(loading)}")
                continue
            load_sq[name] = load_sq.get(name, 0.0) + float(loading) * float(loading)
    for name, sq in load_sq.items():
        if sq > 1 + 1e-12:
            fid = next(f for f, fac in sc.factors.items() if name in fac.drives)
            r.error(("factors", fid, "drives", name), f"the squared loadings of '{name}' over all factors sum "
                                                      f"to {sq:.3g}; they can sum to 1 at most", key=True)

    # weights: profiles, rank and swing, comparison settings
    for pid, prof in sc.weight_profiles.items():
        p = ("weight_profiles", pid)
        basis(p, prof)
        for c, n in prof.weights.items():
            if ref(p + ("weights", c), c, criteria, "criterion") and n.support()[0] < 0:
                r.error(p + ("weights", c), f"a weight cannot be negative; {n} can be")
        if prof.weights and set(prof.weights) != criteria and criteria:
            missing = sorted(criteria - set(prof.weights))
            if missing:
                r.error(p + ("weights",), f"profile '{pid}' gives no weight for {', '.join(missing)}: give every "
                                          "criterion a weight (0 is allowed)")
    for i, c in enumerate(sc.criteria):
        if c.rank is not None and c.rank < 1:
            r.error(("criteria", i, "rank"), f"rank counts from 1 (most important); got {_g(c.rank)}")
        if c.swing is not None and (not _finite(c.swing) or not 0 <= c.swing <= 100):
            r.error(("criteria", i, "swing"), f"swing points run from 0 to 100; got {_g(c.swing)}")
    cmp = sc.comparison
    if cmp is not None:
        if not _finite(cmp.hurwicz_alpha) or not 0 <= cmp.hurwicz_alpha <= 1:
            r.error(("comparison", "hurwicz_alpha"),
                    f"the optimism coefficient lies in [0, 1]; got {_g(cmp.hurwicz_alpha)}")
        for c, b in cmp.satisficing.items():
            q = ("comparison", "satisficing", c)
            ref(q, c, criteria, "criterion")
            if b.min is None and b.max is None:
                r.error(q, "a satisficing bound needs 'min' or 'max'")
            elif any(x is not None and not _finite(x) for x in (b.min, b.max)):
                r.error(q, f"a satisficing bound is a finite number; got min {_g(b.min)}, max {_g(b.max)}")
            elif b.min is not None and b.max is not None and b.min > b.max:
                r.error(q, f"min {_g(b.min)} is above max {_g(b.max)}")
        if cmp.weighting == "rank":
            for i, c in enumerate(sc.criteria):
                if c.rank is None:
                    r.error(("criteria", i), f"comparison.weighting is 'rank': criterion '{c.id}' needs a rank: "
                                                   "add `rank: N` (1 the most important; equal ranks tie)")
        if cmp.weighting == "swing":
            for i, c in enumerate(sc.criteria):
                if c.swing is None:
                    r.error(("criteria", i), f"comparison.weighting is 'swing': criterion '{c.id}' needs swing "
                                                   "points: add `swing: N` (0-100, 100 for the swing that matters most)")

    # strategic actors
    for aid, a in sc.actors.items():
        for key in a.payoffs:
            ref(("actors", aid, "payoffs", key), key, state_keys, "event state ('event.state')")
        for c in a.criteria_weights:
            ref(("actors", aid, "criteria_weights", c), c, criteria, "criterion")
        seen_cp: set[str] = set()
        for k, cp in enumerate(a.conditional_payoffs):
            q = ("actors", aid, "conditional_payoffs", k)
            if cp.id in seen_cp:
                r.error(q + ("id",), f"duplicate id '{cp.id}' among {aid}'s conditional payoffs")
            seen_cp.add(cp.id)
            ref(q + ("state",), cp.state, state_keys, "event state ('event.state')")
            for ev_id, sts in cp.when.items():
                if ref(q + ("when", ev_id), ev_id, events, "event"):
                    for st in sts:
                        ref(q + ("when", ev_id), f"{ev_id}.{st}", state_keys, "event state ('event.state')")
            for j, o in enumerate(cp.options or ()):
                ref(q + ("options", j), o, set(sc.option_ids), "option")
            basis(q, cp)
    for i, e in enumerate(sc.events):
        p = ("events", i)
        if e.mode == "strategic":
            if e.actor is None:
                r.error(p + ("mode",), "a strategic event is an actor's choice: give its 'actor'")
            elif e.actor in sc.actors:
                a = sc.actors[e.actor]
                keys = list(a.payoffs) + [cp.state for cp in a.conditional_payoffs]
                if not a.criteria_weights and not any(k.startswith(f"{e.id}.") for k in keys) and not any(
                        k.split(".")[0] in events for k in keys):
                    r.error(p + ("mode",), f"actor '{e.actor}' chooses '{e.id}' strategically but states no "
                                           "payoffs or criteria_weights to choose by")
            if e.rationality is not None and (not _finite(e.rationality) or e.rationality < 0):
                r.error(p + ("rationality",), f"rationality is a finite number, 0 (random) or more; "
                                              f"got {_g(e.rationality)}")
        elif e.rationality is not None:
            r.error(p + ("rationality",), "rationality applies to a strategic event only (mode: strategic)")
        if e.kind == "type" and any(d == "option" for d in e.depends_on):
            r.error(p + ("depends_on",), "an actor's type does not depend on the option: it is a state of the world")

    # indicators
    seen: set[str] = set()
    for i, ind in enumerate(sc.indicators):
        p = ("indicators", i)
        basis(p, ind)
        if ind.id in seen:
            r.error(p + ("id",), f"duplicate id '{ind.id}'")
        seen.add(ind.id)
        if not ref(p + ("about",), ind.about, events, "event"):
            continue
        ev = events[ind.about]
        if ev.mode == "decision":
            r.error(p + ("about",), f"'{ev.id}' is a decision of the decision maker (mode: decision), not "
                                    "uncertain: an indicator bears on a chance event")
            continue
        if bool(ind.likelihood) == (ind.likelihood_ratio is not None):
            r.error(p, "give either 'likelihood' (state -> P(seen | state)) or 'likelihood_ratio'")
        for s in ind.likelihood:
            ref(p + ("likelihood", s), s, ev.states, f"state of '{ev.id}'")
        if ind.likelihood and set(ind.likelihood) != set(ev.states):
            missing = [s for s in ev.states if s not in ind.likelihood]
            if missing:
                r.error(p + ("likelihood",), f"give P(seen | state) for every state of '{ev.id}'; missing "
                                             f"{', '.join(missing)}")
        if ind.likelihood_ratio is not None:
            if len(ev.states) != 2:
                r.error(p + ("likelihood_ratio",), f"a likelihood ratio needs a two-state event; "
                                                   f"'{ev.id}' has {len(ev.states)}: give 'likelihood'")
            if ind.likelihood_ratio.support()[0] <= 0:
                r.error(p + ("likelihood_ratio",), f"a likelihood ratio is positive; {ind.likelihood_ratio} can "
                                                   "be 0 or less")

    # the escalation ladder
    lad = sc.escalation
    if lad is not None:
        basis(("escalation",), lad)
        rungs = [g.id for g in lad.rungs]
        if not rungs:
            r.error(("escalation", "rungs"), "the ladder needs at least one rung")
        dup = {x for x in rungs if rungs.count(x) > 1}
        for x in sorted(dup):
            r.error(("escalation", "rungs"), f"duplicate rung id '{x}'")
        for j, t in enumerate(lad.thresholds):
            ref(("escalation", "thresholds", j, "at"), t.at, rungs, "rung")
        for o, g in lad.options.items():
            ref(("escalation", "options", o), o, options, "option")
            ref(("escalation", "options", o), g, rungs, "rung")
        for k, g in lad.states.items():
            ref(("escalation", "states", k), k, state_keys, "event state ('event.state')")
            ref(("escalation", "states", k), g, rungs, "rung")
