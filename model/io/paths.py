"""The names of a scenario's numbers: one dotted path per number, built from ids.

`options.strikes.impacts.cost`, `events.russia_response.probability.strikes.protest`,
`criteria.escalation.weight`, `tree.counteroffer_5bn.refuses.high.p`. Worlds override numbers by
these names, the compiled model names its parameters by them, and sensitivity results print them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from .numbers import Number
from .scenario import Scenario, TreeNode


@dataclass(frozen=True)
class NumberRef:
    """One number of a scenario file, where it is, and what it rests on.

    role: 'probability', 'impact', 'weight', 'follow_through', 'severity', 'payoff',
        'actor_payoff', 'actor_weight', 'likelihood' or 'likelihood_ratio'.
    path: key path into the YAML document (for FILE:LINE:COL).
    evidence, assumptions: its own citations and those of the item that holds it.
    """

    name: str
    role: str
    number: Number
    path: tuple
    evidence: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()

    @property
    def cited(self) -> bool:
        return bool(self.evidence or self.assumptions)


def _ref(name: str, role: str, n: Number, path: tuple, *holders: Any) -> NumberRef:
    ev = tuple(dict.fromkeys(n.evidence + tuple(x for h in holders for x in getattr(h, "evidence", ()))))
    asm = tuple(dict.fromkeys(n.assumptions + tuple(x for h in holders for x in getattr(h, "assumptions", ()))))
    return NumberRef(name, role, n, path, ev, asm)


def iter_numbers(sc: Scenario) -> Iterator[NumberRef]:
    """Every number in the file, in file order."""
    for aid, a in sc.actors.items():
        for i, s in enumerate(a.signals):
            if s.follow_through is not None:
                yield _ref(f"actors.{aid}.signals.{s.id}.follow_through", "follow_through", s.follow_through,
                           ("actors", aid, "signals", i, "follow_through"), s)
    for i, c in enumerate(sc.criteria):
        if c.weight is not None:
            yield _ref(f"criteria.{c.id}.weight", "weight", c.weight, ("criteria", i, "weight"), c)
    for i, o in enumerate(sc.options):
        for k, n in o.impacts.items():
            yield _ref(f"options.{o.id}.impacts.{k}", "impact", n, ("options", i, "impacts", k), o)
    for i, e in enumerate(sc.events):
        for sid, s in e.states.items():
            for k, n in s.impacts.items():
                yield _ref(f"events.{e.id}.states.{sid}.impacts.{k}", "impact", n,
                           ("events", i, "states", sid, "impacts", k), s, e)
        for row in e.probability:
            for sid, n in row.probabilities.items():
                name = ".".join(("events", e.id, "probability") + row.conditions + (sid,))
                yield _ref(name, "probability", n, row.path + (sid,), e)
    for aid, a in sc.actors.items():
        for key, n in a.payoffs.items():
            yield _ref(f"actors.{aid}.payoffs.{key}", "actor_payoff", n, ("actors", aid, "payoffs", key), a)
        for key, n in a.criteria_weights.items():
            yield _ref(f"actors.{aid}.criteria_weights.{key}", "actor_weight", n,
                       ("actors", aid, "criteria_weights", key), a)
        for k, cp in enumerate(a.conditional_payoffs):
            yield _ref(f"actors.{aid}.conditional_payoffs.{cp.id}.value", "actor_payoff", cp.value,
                       ("actors", aid, "conditional_payoffs", k, "value"), cp, a)
    for pid, prof in sc.weight_profiles.items():
        for c, n in prof.weights.items():
            yield _ref(f"weight_profiles.{pid}.weights.{c}", "weight", n, ("weight_profiles", pid, "weights", c), prof)
    for i, ind in enumerate(sc.indicators):
        for s, n in ind.likelihood.items():
            yield _ref(f"indicators.{ind.id}.likelihood.{s}", "likelihood", n, ("indicators", i, "likelihood", s), ind)
        if ind.likelihood_ratio is not None:
            yield _ref(f"indicators.{ind.id}.likelihood_ratio", "likelihood_ratio", ind.likelihood_ratio,
                       ("indicators", i, "likelihood_ratio"), ind)
    for i, k in enumerate(sc.risks):
        if k.severity is not None:
            yield _ref(f"risks.{k.id}.severity", "severity", k.severity, ("risks", i, "severity"), k)
    if sc.tree is not None:
        yield from _tree_numbers(sc.tree, "tree")


def _tree_numbers(n: TreeNode, prefix: str) -> Iterator[NumberRef]:
    if n.p is not None:
        yield _ref(f"{prefix}.p", "probability", n.p, n.path + ("p",))
    for k, v in n.payoff.items():
        yield _ref(f"{prefix}.payoff" + (f".{k}" if k else ""), "payoff", v,
                   n.path + (("payoff", k) if k else ("payoff",)))
    for a, v in n.actor_payoffs.items():
        yield _ref(f"{prefix}.actor_payoffs.{a}", "payoff", v, n.path + ("actor_payoffs", a))
    for c in n.children:
        yield from _tree_numbers(c, f"{prefix}.{c.label}")


def number_paths(sc: Scenario) -> dict[str, str]:
    """Name -> role of every number in the file (what a world may override)."""
    return {r.name: r.role for r in iter_numbers(sc)}
