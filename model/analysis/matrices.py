"""The comparison matrices of a point evaluation: consequences, actor responses, risks, dominance."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..evaluate import Evaluation, leaf_consequences, value_scores, weights
from ..results import Table, table


def _units(ev: Evaluation) -> list[str]:
    sc = ev.model.scenario
    return [(c.unit or "") for c in sc.criteria] or [""]


def consequences(ev: Evaluation, sample: int = 0) -> Table:
    """Option x criterion: expected consequence in each criterion's unit, then its value score.

    The score (0 worst, 1 best on the criterion's range) is that of the expected consequence.
    meta['directions']: criterion -> 1 when more is better, -1 when less is (what a figure needs to
    colour a raw consequence as better or worse).
    """
    m = ev.model
    x = ev.expected[sample]                                   # [O, C]
    cols = list(m.criteria)
    units = _units(ev)
    if m.raw_value:
        vals = x
        notes = [f"{m.criteria[0]} is compared in its own unit ({'more' if m.directions[0] > 0 else 'less'} is better)"]
    else:
        scores = value_scores(m, x)
        vals = np.concatenate([x, scores], axis=1)
        cols += [f"{c} score" for c in m.criteria]
        units += ["0-1"] * len(m.criteria)
        lo, hi = m.ranges[:, 0], m.ranges[:, 1]
        notes = ["score: value 0 (worst) to 1 (best) on each criterion's range: "
                 + "; ".join(f"{c} [{a:g}, {b:g}] {'max' if d > 0 else 'min'}"
                             for c, a, b, d in zip(m.criteria, lo, hi, m.directions))]
    return table("Expected consequences", "option", m.options, cols, vals, units, notes,
                 directions={c: (1 if d > 0 else -1) for c, d in zip(m.criteria, m.directions)})


def ranking(ev: Evaluation, sample: int = 0) -> Table:
    """Options from best to worst: rank (ties share a rank), expected utility, certainty
    equivalent (`Evaluation.table`: order and ties decided on the certainty equivalent)."""
    return ev.table(sample)


def responses(ev: Evaluation, sample: int = 0) -> Table:
    """Option x actor response: probability of each state of each actor's response event.

    A response is an event that is `kind: response` or belongs to an actor (`actor:`), in the
    file's order. An actor's hidden type (`kind: type`, such as Russia's resolve) is left out: it
    is a state of the world drawn before the option and shared by all of them, not something the
    actor does in answer to it, so a column for it would read the same under every option and
    would be mistaken for a response. Its probabilities are in `outcomes()`; its effect shows in
    the responses that depend on it.

    meta['levels']: column -> the state's place from calm (0) to escalation (1)
    (`escalation.state_levels`), by which the figures colour it.
    """
    from .escalation import state_levels

    m = ev.model
    sc = m.scenario
    place = state_levels(sc)
    cols, idx, units, levels = [], [], [], {}
    for e in sc.events:
        if e.kind == "type" or (e.actor is None and e.kind != "response"):
            continue
        for s in e.states:
            k = m.states.index((e.id, s))
            cols.append(f"{e.actor or e.id}: {e.id}={s}")
            levels[cols[-1]] = place[f"{e.id}.{s}"]
            idx.append(k)
            units.append("P")
    vals = ev.state_probability[sample][:, idx] if idx else np.zeros((len(m.options), 0))
    notes = [] if idx else ["the scenario has no actor response events"]
    return table("Actor responses", "option", m.options, cols, vals, units, notes, levels=levels)


def outcomes(ev: Evaluation, sample: int = 0) -> Table:
    """Option x (event, state): probability of every state of every event or chance node."""
    m = ev.model
    cols = [f"{e}={s}" for e, s in m.states]
    return table("Event probabilities", "option", m.options, cols, ev.state_probability[sample],
                 ["P"] * len(cols))


def risks(ev: Evaluation, sample: int = 0) -> Table:
    """Risk x option: its probability, its severity (1-5, from the file) and the expected
    consequences on each criterion when it happens (one row per risk and option).

    A risk whose `options` leave an option out still shows the probability the tree gives its
    condition under that option, with "in its options" False and a note: zeroing it would hide
    what the tree says (the risk is not counted there in `evaluate`'s risk probabilities)."""
    m = ev.model
    sc = m.scenario
    cols = ["probability", "severity"] + list(m.criteria) + ["in its options"]
    units = ["P", "1-5"] + _units(ev) + [""]
    if not m.risks:
        return table("Risks", "risk | option", [], cols, [], units, notes=["the scenario names no risks"])
    if ev.reach is None:
        raise ValueError("risks(): evaluate with keep_nodes=True (as model.evaluate.point does)")
    x = leaf_consequences(m, ev.theta[sample:sample + 1])[0]  # [L, C]
    leaves = m.tree.leaves
    reach = ev.reach[sample, leaves]
    rl = m.risk_leaf[leaves].toarray()                        # [L, R]
    out = (m.risk_outside_leaf[leaves].toarray() if m.risk_outside_leaf is not None
           else np.zeros_like(rl))
    sev = {k.id: (k.severity.point if k.severity is not None else None) for k in sc.risks}
    derive = {k.id for k in sc.risks if k.severity_from == "consequences"}
    w_c = weights(m, ev.theta[sample:sample + 1])[0]
    rows, vals, outside = [], [], []
    for r, rid in enumerate(m.risks):
        for o, opt in enumerate(m.options):
            mine = m.tree.option[leaves] == o
            counted = not out[mine, r].any()
            w = reach * (rl[:, r] if counted else out[:, r]) * mine
            pr = float(ev.risk[sample, o, r]) if counted else float(w.sum())
            cond = (w @ x) / pr if pr > 0 else np.full(len(m.criteria), np.nan)
            grade = sev[rid]
            if rid in derive:
                grade = _derived_severity(m, w_c, ev.expected[sample, o], cond, pr)
            rows.append(f"{rid} | {opt}")
            vals.append([pr, grade, *cond.tolist(), counted])
            if not counted:
                outside.append(f"{rid} under {opt} ({pr:.3g})")
    notes = ["impact: expected consequences given the risk occurs (blank where it cannot occur)"]
    if derive:
        notes.append("severity of " + ", ".join(sorted(derive)) + " derived from the model: 1 + 4 x the value "
                     "lost when the risk happens (value 0-1 of the expected consequences without it minus with it)")
    if outside:
        notes.append("outside the risk's stated options, shown as the tree gives its condition but not "
                     "counted as the risk: " + "; ".join(outside))
    return table("Risks: likelihood and impact", "risk | option", rows, cols, vals, units, notes)


def _derived_severity(m: Any, w: np.ndarray, expected: np.ndarray, given: np.ndarray, pr: float) -> float | None:
    """Severity 1-5 from the model: 1 + 4 x (value of the expected consequences without the risk
    minus with it), values on the weighted 0-1 scale; None where the risk cannot happen or always
    does (nothing to compare with)."""
    if not 0 < pr < 1:
        return None
    without = (expected - pr * given) / (1 - pr)
    lost = float(value_scores(m, without) @ w - value_scores(m, given) @ w)
    return 1 + 4 * min(max(lost, 0.0), 1.0)


def dominance(ev: Evaluation, sample: int = 0) -> Table:
    """Which options are dominated: another is at least as good on every criterion and better on one."""
    m = ev.model
    x = ev.expected[sample] * m.directions                    # larger is better everywhere
    o = len(m.options)
    rows = []
    for j in range(o):
        by = [m.options[i] for i in range(o) if i != j
              and np.all(x[i] >= x[j] - 1e-12) and np.any(x[i] > x[j] + 1e-12)]
        rows.append([bool(by), by])
    return table("Dominance", "option", m.options, ["dominated", "dominated by"], rows,
                 notes=["on expected consequences, every criterion in its direction"])
