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
        return self.names.get((kind, id_), human(id_))

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
