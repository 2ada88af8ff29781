"""Strategic actors: how rational an actor is taken to be, and whether its signals are credible.

The game itself is solved by `model.evaluate` (backward induction, or a logit quantal response
where an event gives `rationality`). This module reads those solutions:

- `with_rationality(model, lam)` gives the same model with the actors' choices made by a logit
  response of precision `lam` (0: every choice equally likely; large: the best reply), so an
  analyst can move step by step from "the actor picks at random" to "the actor does what is best
  for it"; `with_mode(scenario, ...)` switches events between their probability table ("the
  actor does what the analyst expects, or what it said") and the actor's choice.
- `credibility(model)` compares each signal's announced response with the actor's best response
  under its stated payoffs, option by option: credible (it prefers to follow through), not
  credible (it prefers to back down), or depends (one of its payoff numbers, moved within its own
  range, flips the preference: the number and the threshold are named).

A signal is judged at the nodes where its event unfolds under each option it is aimed at. There
the actor's value of each state is its payoff for the state plus everything that follows (later
chance events averaged, later choices as solved). Where the event is met on several paths the
verdict is weighed by the probability of each path, and the advantage of following through is
the probability-weighted mean of (value of the announced state) - (value of its best other
state); the threshold is where that mean changes sign.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize

from ..compile import CHANCE, DECISION, Model, compile_scenario
from ..evaluate import Evaluation, evaluate, tie_width
from ..io import Scenario
from ..results import Result, Table, table

__all__ = [
    "Credibility",
    "SignalVerdict",
    "actor_parameters",
    "credibility",
    "credibility_of",
    "equilibrium",
    "game_notes",
    "strategy",
    "with_mode",
    "with_rationality",
]

CREDIBLE, NOT_CREDIBLE, DEPENDS, NOT_ASSESSED = "credible", "not credible", "depends", "not assessed"


# ------------------------------------------------------------------------------------ rationality
def with_rationality(model: Model, rationality: float | None, actor: str | None = None) -> Model:
    """The model with every actor-owned decision (or only `actor`'s) made by a logit quantal
    response of precision `rationality` (None: the exact best reply, as with no `rationality`).

    Choice probabilities are proportional to exp(rationality x value of the choice to the actor):
    0 makes every choice equally likely, and a large value tends to backward induction.
    """
    if rationality is not None and (not math.isfinite(rationality) or rationality < 0):
        raise ValueError(f"with_rationality(): rationality is 0 (random) or more; got {rationality!r}")
    if actor is not None and actor not in model.actors[1:]:
        raise ValueError(f"with_rationality(): '{actor}' owns no decision of this model "
                         f"(players: {', '.join(model.actors[1:]) or 'none'})")
    lam = model.node_rationality.copy()
    owned = model.node_owner > 0
    if actor is not None:
        owned &= model.node_owner == model.actors.index(actor)
    lam[owned] = math.inf if rationality is None else float(rationality)
    return dataclasses.replace(model, node_rationality=lam)


def with_mode(sc: Scenario, events: Iterable[str], mode: str) -> Scenario:
    """The scenario with these events switched to `mode` ('chance': the probability table;
    'strategic': the actor's choice by its payoffs). Compile the result as usual."""
    if mode not in ("chance", "strategic"):
        raise ValueError(f"with_mode(): mode is 'chance' or 'strategic'; got {mode!r}")
    ids = set(events)
    known = {e.id for e in sc.events}
    if ids - known:
        raise ValueError(f"with_mode(): no event {', '.join(sorted(ids - known))} in the scenario")
    out = []
    for e in sc.events:
        if e.id in ids:
            if mode == "chance" and not e.probability:
                raise ValueError(f"with_mode(): event '{e.id}' has no probability table to follow")
            if mode == "strategic" and (e.actor is None or (not sc.actors[e.actor].payoffs
                                                            and not sc.actors[e.actor].conditional_payoffs
                                                            and not sc.actors[e.actor].criteria_weights)):
                raise ValueError(f"with_mode(): event '{e.id}' needs an actor with payoffs or criteria_weights "
                                 "to be chosen strategically")
            e = dataclasses.replace(e, mode=mode)
        out.append(e)
    return dataclasses.replace(sc, events=tuple(out))


def game_notes(model: Model) -> list[str]:
    """Where the scenario's game goes beyond what `evaluate` solves, in plain sentences.

    The tree is a game of perfect information: every choice is made knowing everything above it.
    A strategic event that unfolds below another actor's hidden type (`kind: type`) is therefore
    solved as if its actor knew that type, which a game of incomplete information would not
    assume (information sets are outside what is solved); so is a later decision of the decision
    maker (`mode: decision`) listed after an actor's type.
    """
    from ..compile import event_order

    sc = model.scenario
    if sc.tree is not None:
        return []
    out = []
    seen_types: list[Any] = []
    for e in event_order(sc):
        if e.kind == "type":
            seen_types.append(e)
        if e.mode == "decision":
            for ty in seen_types:
                out.append(f"'{e.id}': the decision maker decides knowing {ty.actor or 'an actor'}'s type ('{ty.id}'), "
                           f"which the tree resolves before it; if the type is hidden when deciding, list '{ty.id}' "
                           f"after '{e.id}', with its probabilities given what is seen before the decision")
        if e.mode == "strategic":
            for ty in seen_types:
                if ty.actor is not None and ty.actor != e.actor:
                    out.append(f"'{e.id}': {e.actor} chooses as if it knew {ty.actor}'s type ('{ty.id}'), which the "
                               f"tree resolves before it; hidden information is outside what is solved (place "
                               f"'{e.id}' before '{ty.id}' in the file, or give it a probability table)")
    return out


def strategy(ev: Evaluation, sample: int = 0) -> Table:
    """Every decision below the root with its owner, the choice made and how likely it is taken
    (1 under backward induction; the logit probability under a quantal response)."""
    m = ev.model
    t = m.tree
    if ev.choice_probability is None:
        ev = evaluate(m, ev.theta[sample:sample + 1] if ev.theta is not None else m.params.point, keep_nodes=True)
        sample = 0
    pol = ev.policy(sample)
    rows, vals = [], []
    for j, d in enumerate(t.decisions):
        if d == 0:
            continue
        name = "/".join(t.path(int(d)))
        owner = m.actors[m.node_owner[d]] if m.actors else (m.scenario.meta.decision_maker or "decision maker")
        kids = range(int(t.first_child[d]), int(t.first_child[d] + t.n_children[d]))
        probs = {t.label[k]: float(ev.choice_probability[sample, k]) for k in kids}
        chosen = pol[name]
        rows.append(name)
        vals.append([owner, t.name[d], " = ".join(chosen), probs[chosen[0]],
                     "; ".join(f"{k} {v:.3g}" for k, v in probs.items())])
    return table("Choices below the root", "decision", rows,
                 ["owner", "decision", "choice", "P(choice)", "all choices"], vals,
                 notes=[("choices of actors other than the decision maker are the best for that actor "
                         "(subgame perfect), or a logit mix where `rationality` is given")])


# ------------------------------------------------------------------------------------ credibility
@dataclass(frozen=True)
class SignalVerdict:
    """One signal toward one option."""

    signal: str
    actor: str
    kind: str
    option: str
    event: str
    announced: str
    verdict: str                     # credible | not credible | depends | not assessed
    best_response: tuple[str, ...]   # the actor's best states (reach-weighted mode over its nodes)
    follow_share: float | None       # share (by probability) of the event's nodes where it follows through
    advantage: float | None          # mean value of the announced state minus its best other state
    parameter: str | None = None     # the payoff number that flips the verdict (nearest threshold)
    threshold: float | None = None
    parameter_point: float | None = None
    parameter_range: tuple[float, float] | None = None
    within_range: bool | None = None
    flips: tuple[tuple[str, float, bool], ...] = ()   # every (parameter, threshold, within its range) found
    follow_through: float | None = None    # the file's assessed probability of following through
    table_probability: float | None = None  # P(announced state | option) in the tree as evaluated
    reason: str = ""


@dataclass(frozen=True)
class Credibility(Result):
    """The credibility of every signal, option by option, with its intermediates."""

    verdicts: tuple[SignalVerdict, ...]
    world: str | None = None

    def signal(self, sid: str) -> list[SignalVerdict]:
        return [v for v in self.verdicts if v.signal == sid]

    def verdict(self, sid: str) -> str:
        """The signal's verdict over all options it is aimed at: one verdict when they agree,
        else 'depends' (on the option)."""
        vs = {v.verdict for v in self.signal(sid)}
        if not vs:
            raise KeyError(sid)
        return vs.pop() if len(vs) == 1 else DEPENDS

    def to_table(self) -> Table:
        """The same as `table()` (the name it had first)."""
        return self.table()

    def table(self) -> Table:
        rows, vals = [], []
        for v in self.verdicts:
            rows.append(f"{v.signal} -> {v.option}")
            flip = ""
            if v.parameter is not None and v.threshold is not None:
                lo, hi = v.parameter_range or (math.nan, math.nan)
                flip = (f"{v.parameter} = {v.threshold:.4g} (point {v.parameter_point:.4g}, range "
                        f"[{lo:.4g}, {hi:.4g}]{'' if v.within_range else '; outside it'})")
            vals.append([v.actor, v.kind.replace("_", " "), f"{v.event}: {v.announced}",
                         " = ".join(v.best_response) or "", v.verdict, v.advantage, v.follow_through,
                         v.table_probability, flip or v.reason])
        return table("Credibility of signals", "signal -> option", rows,
                     ["actor", "kind", "announced", "best response", "verdict", "advantage",
                      "follow_through (file)", "P(announced) (tree)", "flips at / why"], vals,
                     notes=[("best response: the state the actor prefers at the event, by its own payoffs and "
                             "what follows; advantage: its value of the announced state minus its best other "
                             "state (> 0: it prefers to follow through)"),
                            ("depends: one of the actor's payoff numbers, moved within its range, flips the "
                             "preference; the number and the threshold are shown"),
                            ("follow_through is the file's assessment; P(announced) is the state's probability "
                             "under the option in the tree as evaluated")])

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for v in self.verdicts:
            d = out.setdefault(v.signal, {"actor": v.actor, "kind": v.kind, "verdict": self.verdict(v.signal),
                                          "options": {}})
            d["options"][v.option] = {
                "event": v.event, "announced": v.announced, "verdict": v.verdict,
                "best_response": list(v.best_response), "follow_share": v.follow_share,
                "advantage": v.advantage,
                "flip": None if v.parameter is None else {
                    "parameter": v.parameter, "threshold": v.threshold, "point": v.parameter_point,
                    "range": list(v.parameter_range) if v.parameter_range else None,
                    "within_range": v.within_range},
                "all_flips": [{"parameter": p, "threshold": x, "within_range": w} for p, x, w in v.flips],
                "follow_through": v.follow_through, "table_probability": v.table_probability,
                "reason": v.reason or None}
        return out


def actor_parameters(model: Model, actor: str) -> list[int]:
    """Indices of the parameters that are an actor's own payoffs: its `payoffs`,
    `criteria_weights` and (explicit tree) `actor_payoffs`."""
    names = model.params.names
    return [i for i, n in enumerate(names)
            if n.startswith((f"actors.{actor}.payoffs.", f"actors.{actor}.criteria_weights.",
                             f"actors.{actor}.conditional_payoffs."))
            or n.endswith(f".actor_payoffs.{actor}")]


def _event_nodes(model: Model, event: str, option: int) -> np.ndarray:
    t = model.tree
    return np.array([n for n in range(t.n) if t.name[n] == event and t.option[n] == option
                     and t.kind[n] in (CHANCE, DECISION) and t.n_children[n] > 0], dtype=np.intp)


def _margins(ev: Evaluation, actor: str, nodes: np.ndarray, announced: str) -> tuple[np.ndarray, np.ndarray, list]:
    """Per sample: reach-weighted advantage of the announced state, share of nodes where it is
    the best, and (sample 0) the best states at each node."""
    m = ev.model
    t = m.tree
    values = ev.actor_node_value[actor]                       # [S, N]
    s = values.shape[0]
    adv = np.zeros((s, len(nodes)))
    follows = np.zeros((s, len(nodes)), dtype=bool)
    best_states = []
    for j, n in enumerate(nodes):
        kids = np.arange(t.first_child[n], t.first_child[n] + t.n_children[n])
        labels = [t.label[k] for k in kids]
        a = kids[labels.index(announced)]
        others = kids[kids != a]
        v_a = values[:, a]
        v_o = values[:, others].max(axis=1) if len(others) else np.full(s, -np.inf)
        adv[:, j] = v_a - v_o
        follows[:, j] = adv[:, j] >= -tie_width(v_a)
        top = values[0, kids].max()
        best_states.append([lab for lab, k in zip(labels, kids)
                            if values[0, k] >= top - tie_width(top)])
    w = ev.reach[:, nodes]
    wsum = w.sum(axis=1, keepdims=True)
    w = np.where(wsum > 0, w / np.where(wsum > 0, wsum, 1.0), 1.0 / max(len(nodes), 1))
    return (adv * w).sum(axis=1), (follows * w).sum(axis=1), best_states


def _verdict_of(share: float) -> str:
    if share >= 1 - 1e-9:
        return CREDIBLE
    if share <= 1e-9:
        return NOT_CREDIBLE
    return DEPENDS


def _flip(model: Model, theta: np.ndarray, actor: str, nodes: np.ndarray, announced: str,
          params: Sequence[int], grid: int = 41) -> list[tuple[int, float, bool]]:
    """For each parameter, the value nearest its point where the advantage changes sign, and
    whether it lies within the parameter's range: (param, threshold, within)."""
    out = []
    p = model.params
    for i in params:
        x0, lo, hi = float(theta[i]), float(p.low[i]), float(p.high[i])
        width = max(abs(x0), hi - lo, 1.0) * 10
        xs = np.unique(np.concatenate([np.linspace(lo, hi, grid), np.linspace(x0 - width, x0 + width, grid), [x0]]))
        th = np.repeat(theta[None, :], len(xs), axis=0)
        th[:, i] = xs
        adv = _margins(evaluate(model, th, keep_nodes=True), actor, nodes, announced)[0]
        sign = adv >= 0

        def f(x: float, i: int = i) -> float:
            t1 = theta.copy()
            t1[i] = x
            return float(_margins(evaluate(model, t1, keep_nodes=True), actor, nodes, announced)[0][0])

        best = None
        for k in np.flatnonzero(sign[1:] != sign[:-1]):
            a, b = xs[k], xs[k + 1]
            try:
                x = optimize.brentq(f, a, b, xtol=1e-10 * max(1.0, abs(a), abs(b)))
            except ValueError:
                x = 0.5 * (a + b)
            if best is None or abs(x - x0) < abs(best - x0):
                best = x
        if best is not None:
            out.append((i, float(best), bool(lo - 1e-12 <= best <= hi + 1e-12)))
    return out


def credibility(model: Model, theta: np.ndarray | None = None) -> Credibility:
    """Judge every signal that announces a response (`response: {event: state}`) against the
    actor's best response at that event under each option it is aimed at (all options when
    `toward` is empty). Evaluated at `theta` (default: the point values)."""
    sc = model.scenario
    theta = model.params.point.copy() if theta is None else np.asarray(theta, dtype=float).ravel()
    ev = evaluate(model, theta, keep_nodes=True)
    verdicts: list[SignalVerdict] = []
    for aid, actor in sc.actors.items():
        for sig in actor.signals:
            toward = list(sig.toward) or list(model.options)
            ft = None
            if sig.follow_through is not None:
                name = f"actors.{aid}.signals.{sig.id}.follow_through"
                ft = float(theta[model.params.index(name)])
            base = {"signal": sig.id, "actor": aid, "kind": sig.kind, "follow_through": ft}
            if not sig.response:
                # A cost already paid announces nothing to follow through on: what it tells is who
                # the actor is (an actor unwilling to pay would not have), which the indicators and
                # the type's prior carry, not a promise to judge against later payoffs.
                why = ("a sunk cost already paid: it says something about the actor's type (see the indicators), "
                       "not a response to judge by its payoffs" if sig.kind == "sunk_cost"
                       else "the signal announces no response (`response:`)")
                for o in toward:
                    verdicts.append(SignalVerdict(option=o, event="", announced="", verdict=NOT_ASSESSED,
                                                  best_response=(), follow_share=None, advantage=None,
                                                  reason=why, **base))
                continue
            for event, announced in sig.response.items():
                for o in toward:
                    oi = model.options.index(o)
                    k = model.states.index((event, announced)) if (event, announced) in model.states else -1
                    tp = float(ev.state_probability[0, oi, k]) if k >= 0 else None
                    row = dict(option=o, event=event, announced=announced, table_probability=tp, **base)
                    if aid not in model.actors[1:]:
                        why = ("the decision maker's own signal" if model.actors and aid == model.actors[0]
                               else f"'{aid}' states no payoffs or criteria_weights to judge by")
                        verdicts.append(SignalVerdict(verdict=NOT_ASSESSED, best_response=(), follow_share=None,
                                                      advantage=None, reason=why, **row))
                        continue
                    nodes = _event_nodes(model, event, oi)
                    if not len(nodes):
                        verdicts.append(SignalVerdict(verdict=NOT_ASSESSED, best_response=(), follow_share=None,
                                                      advantage=None, reason=f"'{event}' is not met under '{o}'",
                                                      **row))
                        continue
                    adv, share, best_states = _margins(ev, aid, nodes, announced)
                    reach = ev.reach[0, nodes]
                    tally: dict[str, float] = {}
                    for bs, r in zip(best_states, reach):
                        for b in bs:
                            tally[b] = tally.get(b, 0.0) + (float(r) if reach.sum() > 0 else 1.0)
                    top = max(tally.values())
                    best = tuple(b for b, v in tally.items() if v >= top - 1e-12)
                    verdict = _verdict_of(float(share[0]))
                    flips = _flip(model, theta, aid, nodes, announced, actor_parameters(model, aid))
                    inside = [f for f in flips if f[2]]
                    chosen = None
                    if inside:
                        verdict = DEPENDS
                        chosen = min(inside, key=lambda f: abs(f[1] - theta[f[0]]) / max(
                            model.params.high[f[0]] - model.params.low[f[0]], 1e-12))
                    elif flips:
                        chosen = min(flips, key=lambda f: abs(f[1] - theta[f[0]]) / max(abs(theta[f[0]]), 1.0))
                    extra: dict[str, Any] = {}
                    if chosen is not None:
                        i = chosen[0]
                        extra = {"parameter": model.params.names[i], "threshold": chosen[1],
                                 "parameter_point": float(theta[i]),
                                 "parameter_range": (float(model.params.low[i]), float(model.params.high[i])),
                                 "within_range": chosen[2],
                                 "flips": tuple((model.params.names[f[0]], f[1], f[2]) for f in flips)}
                    reason = ""
                    if verdict == DEPENDS and chosen is None:
                        reason = "follows through on some paths and not on others (weighted share " \
                                 f"{float(share[0]):.3g})"
                    elif chosen is None:
                        reason = "no single payoff number of the actor flips it"
                    verdicts.append(SignalVerdict(verdict=verdict, best_response=best, follow_share=float(share[0]),
                                                  advantage=float(adv[0]), reason=reason, **extra, **row))
    return Credibility(tuple(verdicts), world=model.world)


def credibility_of(sc: Scenario, world: str | None = None) -> Credibility:
    """`credibility` of a loaded scenario (compiled here, in `world` when given)."""
    return credibility(compile_scenario(sc, world=world))


def equilibrium(ev: Evaluation, sample: int = 0) -> Table:
    """Each player's expected payoff under each option, everyone playing as solved."""
    m = ev.model
    if not m.actors:
        raise ValueError("equilibrium(): the scenario has no players besides the decision maker")
    cols = list(m.actors)
    vals = [[float(ev.certainty_equivalent[sample, i])] + [float(ev.actor_value[a][sample, i]) for a in m.actors[1:]]
            for i in range(len(m.options))]
    return table("Payoffs of every player", "option", m.options, cols, vals,
                 notes=[f"{m.actors[0]} (the decision maker): its certainty equivalent; the others: expected payoff"])
