"""Names for what a scenario holds, and parameter paths in words: one place for every analysis
that writes sentences for an analyst (the judgments, the critique)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..io import Scenario

UNNAMED = "a number of the file"
"""What `Namer.phrase` says of a path it has no words for."""

def human(x: str) -> str:
    """An id as words: underscores to spaces."""
    return x.replace("_", " ")


class Namer:
    """Display names of a scenario's options, criteria, actors, events, states, risks, worlds."""

    def __init__(self, sc: Scenario) -> None:
        self.sc = sc
        n: dict[tuple[str, str], str] = {}
        for o in sc.options:
            n[("option", o.id)] = o.name or human(o.id)
        for c in sc.criteria:
            n[("criterion", c.id)] = c.name or human(c.id)
        for k, a in sc.actors.items():
            n[("actor", k)] = a.name or human(k)
        for e in sc.events:
            n[("event", e.id)] = e.name or human(e.id)
            for s, st in e.states.items():
                n[("state", f"{e.id}.{s}")] = st.name or human(s)
        for r in sc.risks:
            n[("risk", r.id)] = r.name or human(r.id)
        for k, w in sc.worlds.items():
            n[("world", k)] = w.name or human(k)
        for k, w in sc.weight_profiles.items():
            n[("profile", k)] = w.name or human(k)
        self.names = n

    def __call__(self, kind: str, id_: str) -> str:
        if (kind, id_) in self.names:
            return self.names[(kind, id_)]
        # a state is keyed 'event.state': without a name it is its own id in words
        return human(id_.rsplit(".", 1)[-1] if kind == "state" else id_)

    def option(self, o: str) -> str:
        return self(("option"), o)

    def options(self, os_: Sequence[str]) -> str:
        return " and ".join(self.option(o) for o in os_)

    def actor(self, a: str) -> str:
        return self("actor", a)

    def short_actor(self, a: str) -> str:
        """An actor's name without its parenthesis: 'Russian Federation', 'United States'."""
        return self.actor(a).split(" (")[0]

    def weighting(self, label: str) -> str:
        if label.startswith("profile:"):
            return f"the {self('profile', label.split(':', 1)[1])} weight profile"
        return {"given": "the file's weights", "equal": "equal weights", "rank": "rank weights",
                "swing": "swing weights"}.get(label, label)

    def phrase(self, name: str) -> str:
        """A parameter path in words with names: 'the probability of Russia's response being
        arms deliveries under Strikes on military targets', 'the weight on Civilian harm'."""
        parts = name.split(".")
        sc = self.sc
        try:
            if parts[0] == "events" and len(parts) >= 4 and parts[2] == "probability":
                ev = sc.event(parts[1])
                given = []
                for dep, val in zip(ev.depends_on, parts[3:-1]):
                    if val == "*":
                        continue
                    given.append(self.option(val) if dep == "option"
                                 else f"{self('event', dep)} is {self('state', f'{dep}.{val}')}")
                return (f"the chance that {self('event', parts[1])} is {self('state', f'{parts[1]}.{parts[-1]}')}"
                        + (f" (given {'; '.join(given)})" if given else ""))
            if parts[0] == "events" and len(parts) == 6 and parts[4] == "impacts":
                return (f"the effect on {self('criterion', parts[5])} when {self('event', parts[1])} is "
                        f"{self('state', f'{parts[1]}.{parts[3]}')}")
            if parts[0] == "options" and len(parts) == 4 and parts[2] == "impacts":
                return f"the effect of {self.option(parts[1])} on {self('criterion', parts[3])}"
            if parts[0] == "criteria" and parts[-1] == "weight":
                return f"the weight on {self('criterion', parts[1])}"
            if parts[0] == "weight_profiles" and len(parts) == 4:
                return f"the weight on {self('criterion', parts[3])} in the {self('profile', parts[1])} profile"
            if parts[0] == "actors" and len(parts) == 5 and parts[2] == "payoffs":
                return (f"what {self.short_actor(parts[1])} gains when {self('event', parts[3])} is "
                        f"{self('state', f'{parts[3]}.{parts[4]}')}")
            if parts[0] == "actors" and len(parts) == 4 and parts[2] == "criteria_weights":
                return f"the weight {self.short_actor(parts[1])} puts on {self('criterion', parts[3])}"
            if parts[0] == "actors" and parts[-1] == "follow_through":
                return f"the chance that {self.short_actor(parts[1])} follows through on its signal"
            if parts[0] == "indicators":
                return f"how well the indicator {human(parts[1])} tells the states apart"
            if parts[0] == "tree":
                return "a number of the decision tree (" + " / ".join(human(p) for p in parts[1:-1]) + ")"
        except (KeyError, IndexError, StopIteration, ValueError):
            pass
        return UNNAMED

    def state(self, event: str, state: str) -> str:
        """A state's name (its id in words when it has none): 'sustained war'."""
        return self("state", f"{event}.{state}")

    def short(self, name: str) -> str | None:
        """A parameter path (or a group of them, as the value of information groups them) as a short
        phrase with names, for a figure's label: 'P(Russia's response = arms deliveries | Strikes on
        military targets)', 'weight of Civilian harm', 'Budgetary cost of Strikes on military
        targets', 'Escalation with Russia if Russia's response = direct support'. None when it has
        no words for it (the caller keeps its own phrase)."""
        parts = name.split(".")
        sc = self.sc
        try:
            if parts[0] == "events" and len(parts) >= 4 and parts[2] == "probability":
                ev = sc.event(parts[1])
                given = []
                for dep, val in zip(ev.depends_on, parts[3:-1]):
                    if val != "*":
                        given.append(self.option(val) if dep == "option"
                                     else f"{self('event', dep)} = {self.state(dep, val)}")
                return (f"P({self('event', parts[1])} = {self.state(parts[1], parts[-1])}"
                        + (f" | {', '.join(given)})" if given else ")"))
            if parts[0] == "events" and len(parts) == 6 and parts[2] == "states" and parts[4] == "impacts":
                return f"{self('criterion', parts[5])} if {self('event', parts[1])} = {self.state(parts[1], parts[3])}"
            if parts[0] == "options" and len(parts) == 4 and parts[2] == "impacts":
                return f"{self('criterion', parts[3])} of {self.option(parts[1])}"
            if parts[0] == "criteria" and len(parts) == 3 and parts[2] == "weight":
                return f"weight of {self('criterion', parts[1])}"
            if parts[0] == "weight_profiles" and len(parts) == 4:
                return f"weight of {self('criterion', parts[3])} ({self('profile', parts[1])} profile)"
            if parts[0] == "actors" and len(parts) == 5 and parts[2] == "payoffs":
                return (f"{self.short_actor(parts[1])}'s payoff if {self('event', parts[3])} = "
                        f"{self.state(parts[3], parts[4])}")
            if parts[0] == "actors" and len(parts) == 4 and parts[2] == "criteria_weights":
                return f"{self.short_actor(parts[1])}'s weight on {self('criterion', parts[3])}"
            if parts[0] == "actors" and parts[-1] == "follow_through":
                return f"follow-through of {self.short_actor(parts[1])}'s signal"
            # groups of numbers (`voi.default_groups`)
            if name == "criteria.weights":
                return "the criteria weights"
            if parts[0] == "events" and len(parts) == 3 and parts[2] == "probability":
                return f"the chances of {self('event', parts[1])}"
            if parts[0] == "events" and len(parts) == 3 and parts[2] == "states":
                return f"the effects of {self('event', parts[1])}"
            if parts[0] == "options" and len(parts) == 3 and parts[2] == "impacts":
                return f"the effects of {self.option(parts[1])}"
            if parts[0] == "factors" and len(parts) == 2:
                fac = (getattr(sc, "factors", None) or {})[parts[1]]
                return f"the numbers driven by {getattr(fac, 'name', None) or human(parts[1])}"
        except (KeyError, IndexError, StopIteration, ValueError):
            pass
        return None

    def labels(self, params: Sequence[str] = ()) -> dict[str, str]:
        """What figures and tables show for each id: `display_names` (an id keeps itself where the
        file gives it no name), every state as 'event.state' -> its name (or its id in words), each
        threshold of the escalation ladder as 'threshold:id' -> its name, the groups of numbers the
        value of information values together ('events.x.probability' -> 'the chances of X'), and
        each parameter path of `params` -> its short phrase (`short`), where it has one."""
        out = display_names(self.sc)
        if self.sc.escalation is not None:     # a threshold may share its id with a rung
            for t in self.sc.escalation.thresholds:
                out[f"threshold:{t.id}"] = t.name or human(t.id)
        for e in self.sc.events:
            for s in e.states:
                out[f"{e.id}.{s}"] = self.state(e.id, s)
        groups = ["criteria.weights", *(f"options.{o.id}.impacts" for o in self.sc.options),
                  *(f"events.{e.id}.{k}" for e in self.sc.events for k in ("probability", "states")),
                  *(f"factors.{f}" for f in (getattr(self.sc, "factors", None) or {}))]
        for p in [*params, *groups]:
            words = self.short(p)
            if words is not None:
                out[p] = words
        return out


def display_names(scenario: Any) -> dict[str, str]:
    """id -> display name for everything of the scenario a table may show by id: options,
    criteria, actors, events, risks, worlds, indicators, signals, weight profiles, the rungs and
    thresholds of the escalation ladder. An id two
    things share with different names is left as the id (the text could not say which)."""
    if scenario is None:
        return {}
    out: dict[str, str] = {}
    clash: set[str] = set()
    groups = [scenario.options, scenario.criteria, scenario.actors.values(), scenario.events,
              scenario.risks, scenario.worlds.values(), scenario.indicators, scenario.signals.values(),
              scenario.weight_profiles.values()]
    if scenario.escalation is not None:
        groups += [scenario.escalation.rungs, scenario.escalation.thresholds]
    for group in groups:
        for x in group:
            xid, name = getattr(x, "id", None), getattr(x, "name", None)
            if not xid or not name or name == xid:
                continue
            if out.get(xid, name) != name:
                clash.add(xid)
            out[xid] = name
    for k in clash:
        del out[k]
    return out
