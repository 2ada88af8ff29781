"""Analysis of competing hypotheses (ACH) in a scenario: the checks of an event's `hypotheses:` block,
the arithmetic the loader and the analysis share, and `prior: ach`.

The hypotheses are an event's states (usually an actor's hidden type, `kind: type`). Each evidence
item of the file may be rated against every hypothesis (Heuer's consistency ratings CC, C, N, I, II)
or given a likelihood P(evidence | hypothesis). The loader checks the block here and, for an event
with `prior: ach`, writes the posterior as the event's probability table, so every analysis
downstream (the tree, Monte Carlo, value of information, worlds) reads it as any other table. The
conventions (scores, weights, posterior) are in `model.analysis.ach`, which reads the same functions.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from .errors import did_you_mean
from .numbers import Number
from .scenario import Event, Evidence, Hypotheses, Row, Scenario

RATINGS = ("CC", "C", "N", "I", "II")
"""Heuer's consistency ratings, from very consistent to very inconsistent."""

SCORE = {"CC": 2, "C": 1, "N": 0, "I": -1, "II": -2}
"""A rating as a number on one scale (CC +2 ... II -2): what diagnosticity compares across hypotheses."""

INCONSISTENCY = {"I": 1.0, "II": 2.0}
"""What a rating adds to a hypothesis's inconsistency score before weighting (PARC ACH: I counts 1,
II counts 2; CC, C and N count nothing, since ACH refutes by inconsistency, not by confirmation)."""

GRADE_STEP = {"high": 1, "medium": 0, "low": -1}
"""PARC ACH 2.0's factor for a high, medium or low credibility and relevance is sqrt 2 to this power
(sqrt 2, 1, 1/sqrt 2): an item's weight is the product of the two, so high/high counts 2 and low/low
0.5 against medium/medium's 1."""

CREDIBILITY_GRADE = {1: "high", 2: "high", 3: "medium", 4: "low", 5: "low", 6: "medium"}
"""An evidence item's Admiralty information credibility (1 confirmed, 2 probably true, 3 possibly
true, 4 doubtful, 5 improbable, 6 cannot be judged) as PARC ACH's high / medium / low; an item with
no grade, or one that cannot be judged, is medium (it neither adds nor takes weight)."""


def credibility_grade(e: Evidence | None) -> str:
    """'high', 'medium' or 'low': the evidence item's credibility as PARC ACH grades it."""
    if e is None or e.credibility is None:
        return "medium"
    return CREDIBILITY_GRADE.get(e.credibility, "medium")


def item_weight(e: Evidence | None, relevance: str = "medium") -> float:
    """The weight of an evidence item in the inconsistency score: credibility factor x relevance factor."""
    # one power of 2 rather than a product of two square roots: high/high is exactly 2
    return 2.0 ** ((GRADE_STEP[credibility_grade(e)] + GRADE_STEP[relevance]) / 2)


def ach_events(sc: Scenario) -> list[Event]:
    """The events of the scenario that carry `hypotheses:`, in file order."""
    return [e for e in sc.events if e.hypotheses is not None]


def base_rates(e: Event) -> tuple[dict[str, float], str]:
    """The probabilities of the hypotheses before the ACH evidence, and where they come from: the
    event's own table (at its point values) when it has one, else the block's `base_rates`, else equal."""
    states = list(e.states)
    if e.prior != "ach" and len(e.probability) == 1:
        row = e.probability[0].probabilities
        vals = [max(float(row[s].point), 0.0) if s in row else 0.0 for s in states]
        total = math.fsum(vals)
        if total > 0:
            return {s: v / total for s, v in zip(states, vals)}, "the event's own probabilities (point values)"
    h = e.hypotheses
    if h is not None and h.base_rates:
        total = math.fsum(h.base_rates.get(s, 0.0) for s in states)
        if total > 0:
            return {s: h.base_rates.get(s, 0.0) / total for s in states}, "the hypotheses' base rates"
    return {s: 1.0 / len(states) for s in states}, "equal (no base rates given)"


def posterior(e: Event) -> dict[str, float] | None:
    """P(hypothesis | the likelihood rows): the base rates times the product of each item's
    P(evidence | hypothesis), normalised; None when the block has no likelihood row, or when the
    evidence is impossible under every hypothesis that has a chance to begin with."""
    h = e.hypotheses
    if h is None or not h.likelihood:
        return None
    prior, _ = base_rates(e)
    joint = {}
    for s in e.states:
        # a product of many small likelihoods can underflow: add logarithms
        if prior[s] <= 0 or any(row.get(s, 0.0) <= 0 for row in h.likelihood.values()):
            joint[s] = -math.inf
        else:
            joint[s] = math.log(prior[s]) + math.fsum(math.log(row[s]) for row in h.likelihood.values())
    top = max(joint.values())
    if top == -math.inf:
        return None
    w = {s: math.exp(v - top) for s, v in joint.items()}
    total = math.fsum(w.values())
    return {s: v / total for s, v in w.items()}


# ------------------------------------------------------------------------------------ the loader's checks
def check_hypotheses(sc: Scenario, r: Any) -> Scenario:
    """Report every problem of the `hypotheses:` blocks and `prior: ach` through the loader's Reader
    `r`; return the scenario with each `prior: ach` event's probability table set to its posterior."""
    evidence = {e.id for e in sc.evidence}
    assumptions = {a.id for a in sc.assumptions}
    events = list(sc.events)
    for i, e in enumerate(sc.events):
        p = ("events", i)
        h = e.hypotheses
        if h is None:
            if e.prior == "ach":
                r.error(p + ("prior",), f"'prior: ach' takes the probabilities of '{e.id}' from its hypotheses' "
                                        "likelihoods, and the event has no 'hypotheses:' block: add one with "
                                        "'likelihood:' rows, or give a 'probability' table instead")
            continue
        q = p + ("hypotheses",)
        if r.follows(q) or r.broken(("events", i, "states")):
            continue  # the block or the states could not be read: its checks would echo that
        states = list(e.states)
        if e.depends_on:
            r.error(q, f"the hypotheses are the states of '{e.id}', which depends on {', '.join(e.depends_on)}: "
                       "ACH weighs evidence over one set of hypotheses, so give it an event that depends on nothing "
                       "(an actor's hidden type, kind: type)", key=True)
        if e.mode == "strategic":
            r.error(q, f"'{e.id}' is an actor's strategic choice: its states follow from payoffs, not from "
                       "evidence; give the hypotheses to a chance event (an actor's hidden type)", key=True)
        if not h.ratings and not h.likelihood:
            r.error(q, "give 'ratings' (evidence -> hypothesis -> CC, C, N, I or II) or 'likelihood' "
                       "(evidence -> hypothesis -> P(evidence | hypothesis)) for at least one evidence item", key=True)
        for kind, rows in (("ratings", h.ratings), ("likelihood", h.likelihood)):
            for eid, row in rows.items():
                rp = q + (kind, eid)
                if eid not in evidence:
                    if not r.broken(("evidence", None, "id")):
                        r.error(rp, f"unknown evidence '{eid}'" + (did_you_mean(eid, evidence) or ": the rows are "
                                    "keyed by the ids of the file's evidence items"), key=True)
                    continue
                if kind == "likelihood" and eid in h.ratings:
                    r.error(rp, f"evidence '{eid}' has a rating row too: give each item a rating row or a "
                                "likelihood row, not both", key=True)
                if r.doubt(rp):
                    continue
                unknown = False
                for s, v in row.items():
                    if s not in e.states:
                        r.error(rp + (s,), f"unknown hypothesis '{s}' (the hypotheses are the states of '{e.id}': "
                                           f"{', '.join(states)}){did_you_mean(s, states)}", key=True)
                        unknown = True
                    elif kind == "likelihood" and not (0 <= v <= 1):
                        r.error(rp + (s,), f"a likelihood P(evidence | hypothesis) lies in [0, 1]; got {v:g}")
                missing = [s for s in states if s not in row]
                if unknown:
                    continue  # a misspelt hypothesis: the one it meant would be reported missing as well
                if missing:
                    what = "rate" if kind == "ratings" else "give P(evidence | hypothesis) for"
                    r.error(rp, f"{what} every hypothesis of '{e.id}'; missing {', '.join(missing)}")
                elif kind == "likelihood" and all(row[s] == 0 for s in states):
                    r.error(rp, f"P(evidence | hypothesis) is 0 under every hypothesis: '{eid}' could not have "
                                "been seen whichever is true; no posterior follows from it")
        for eid in h.relevance:
            if eid not in h.ratings and eid not in h.likelihood and not r.doubt(q + ("relevance", eid)):
                r.error(q + ("relevance", eid), f"relevance is given for '{eid}', which has no rating or likelihood "
                                                "row in this block", key=True)
        if h.base_rates and not r.doubt(q + ("base_rates",)):
            _check_base_rates(r, e, h, q, states)
        for k, x in enumerate(h.evidence):
            if x not in evidence and not r.broken(("evidence", None, "id")):
                r.error(q + ("evidence", k), f"unknown evidence '{x}'{did_you_mean(x, evidence)}")
        for k, x in enumerate(h.assumptions):
            if x not in assumptions and not r.broken(("assumptions", None, "id")):
                r.error(q + ("assumptions", k), f"unknown assumption '{x}'{did_you_mean(x, assumptions)}")
        if e.prior == "ach":
            events[i] = _ach_prior(r, e, h, p, i)
        elif h.base_rates and e.probability:
            r.error(q + ("base_rates",), f"'{e.id}' has its own probability table, which is the prior of the ACH "
                                         "posterior; base rates apply only with 'prior: ach': remove one of the two",
                    key=True)
    return dataclasses.replace(sc, events=tuple(events))


def _check_base_rates(r: Any, e: Event, h: Hypotheses, q: tuple, states: list[str]) -> None:
    bp = q + ("base_rates",)
    bad = False
    for s, v in h.base_rates.items():
        if s not in e.states:
            r.error(bp + (s,), f"unknown hypothesis '{s}'{did_you_mean(s, states)}", key=True)
            bad = True
        elif not 0 <= v <= 1:
            r.error(bp + (s,), f"a base rate is a probability in [0, 1]; got {v:g}")
            bad = True
    missing = [s for s in states if s not in h.base_rates]
    if missing:
        r.error(bp, f"give a base rate for every hypothesis of '{e.id}'; missing {', '.join(missing)}")
    elif not bad:
        total = math.fsum(h.base_rates.values())
        if abs(total - 1) > 1e-9:
            r.error(bp, f"base rates sum to {total:.6g}, not 1")


def _ach_prior(r: Any, e: Event, h: Hypotheses, p: tuple, i: int) -> Event:
    """The event with its probability table set to the ACH posterior (or as it is, with the problem
    reported, when there is none to set)."""
    if r.doubt(p + ("prior",)):
        return e
    if e.probability or _has_table(r, i):
        r.error(p + ("prior",), f"'{e.id}' gives both 'prior: ach' and a 'probability' table: the ACH posterior "
                                "is its table; remove one of the two", key=True)
        return e
    if not h.likelihood:
        r.error(p + ("prior",), f"'prior: ach' needs likelihoods: the ratings of '{e.id}' (CC ... II) rank the "
                                "hypotheses but give no probabilities; add 'likelihood:' rows (evidence -> "
                                "hypothesis -> P(evidence | hypothesis)) to its hypotheses")
        return e
    if r.problems and any(q[:2] == p for q in r.blamed):
        return e  # its block has problems of its own: a posterior of bad numbers would only echo them
    post = posterior(e)
    if post is None:
        r.error(p + ("prior",), "the evidence given likelihoods is impossible under every hypothesis with a "
                                "base rate above 0: no posterior follows")
        return e
    cited = tuple(h.likelihood) + tuple(x for x in h.evidence if x not in h.likelihood)
    probs = {s: Number("fixed", (v,), v, evidence=cited, assumptions=h.assumptions) for s, v in post.items()}
    return dataclasses.replace(e, probability=(Row((), probs, p + ("prior",)),))


def _has_table(r: Any, i: int) -> bool:
    try:
        raw = r.doc.data["events"][i]
        return isinstance(raw, dict) and raw.get("probability") is not None
    except (AttributeError, IndexError, KeyError, TypeError):
        return False
