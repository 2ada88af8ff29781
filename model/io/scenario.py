"""The scenario as typed, frozen data: what a scenario file means once it has been checked.

Each field's `doc` is the one description of that key: the loader's messages, the JSON Schema
(`juncture schema`) and the README's field reference all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Optional

from .numbers import Number


def f(doc: str, default: Any = ..., *, key: str | None = None, kind: str | None = None,
      default_factory: Any = None) -> Any:
    """A scenario field: its documentation, its default (none = required), the YAML key when it
    differs from the attribute name, and a `kind` naming a special reader ('number',
    'probability', 'table', 'tree', 'scale', 'overrides', 'when', 'id')."""
    meta = {"doc": doc, "key": key, "kind": kind}
    if default_factory is not None:
        return field(default_factory=default_factory, metadata=meta)
    if default is ...:
        return field(metadata=meta)
    return field(default=default, metadata=meta)


Ids = tuple[str, ...]
Reliability = Literal["A", "B", "C", "D", "E", "F"]
Confidence = Literal["low", "moderate", "high"]


@dataclass(frozen=True, kw_only=True)
class Meta:
    """What the scenario is about."""

    id: str = f("Short id of the scenario (letters, digits, '_' or '-').", kind="id")
    title: str = f("Title shown on reports.")
    question: Optional[str] = f("The decision question the comparison answers.", None)
    decision_maker: Optional[str] = f("Actor id of the decision maker whose options these are.", None)
    as_of: Optional[str] = f("Date the scenario reflects (YYYY-MM-DD).", None)
    horizon: Optional[str] = f("Time horizon the consequences are judged over, in words.", None)
    description: Optional[str] = f("Longer description.", None)
    version: Optional[str] = f("The analyst's version of this file.", None)


@dataclass(frozen=True, kw_only=True)
class Source:
    """Where evidence comes from: an outlet or a speaker, graded for reliability."""

    id: str = f("Source id (the mapping key).", kind="id")
    outlet: Optional[str] = f("Outlet name (newspaper, agency); give this or `speaker`.", None)
    speaker: Optional[str] = f("Person speaking; give this or `outlet`.", None)
    kind: Optional[str] = f("Kind of source: news_agency, newspaper, state_media, official, ...", None)
    actor: Optional[str] = f("Actor id the source is affiliated with.", None)
    reliability: Optional[Reliability] = f(
        "Admiralty source reliability: A completely reliable, B usually reliable, C fairly "
        "reliable, D not usually reliable, E unreliable, F cannot be judged.", None)
    date: Optional[str] = f("Date of publication or statement.", None)
    url: Optional[str] = f("Where to read it.", None)
    notes: Optional[str] = f("Anything else about the source.", None)


@dataclass(frozen=True, kw_only=True)
class Evidence:
    """One reported fact or statement, tied to its source."""

    id: str = f("Evidence id.", kind="id")
    source: str = f("Source id it comes from.")
    via: Optional[str] = f("Source id that relayed it, when it came second-hand.", None)
    date: Optional[str] = f("Date of the statement or report.", None)
    actor: Optional[str] = f("Actor id the claim is about.", None)
    quote: Optional[str] = f("Verbatim quote, when there is one.", None)
    claim: str = f("The claim it supports, in the analyst's words.")
    credibility: Optional[int] = f(
        "Admiralty information credibility, 1 confirmed, 2 probably true, 3 possibly true, "
        "4 doubtful, 5 improbable, 6 cannot be judged; graded apart from source reliability.", None)
    figures: dict[str, float] = f("Numbers the item reports, by name.", default_factory=dict)
    self_reported: Optional[bool] = f(
        "True when the source's actor is also the subject (a government on its own arsenal); "
        "computed from `source.actor == actor` when absent.", None)
    notes: Optional[str] = f("Anything else.", None)


@dataclass(frozen=True, kw_only=True)
class Assumption:
    """A judgment the analyst makes where the evidence gives no number."""

    id: str = f("Assumption id.", kind="id")
    statement: str = f("What is assumed.")
    rationale: Optional[str] = f("Why it is reasonable.", None)
    load_bearing: bool = f("True when the comparison would change if it were wrong.", False)
    would_be_wrong_if: Optional[str] = f("What would show it wrong: a signpost to watch.", None)
    confidence: Optional[Confidence] = f("Confidence in the judgment: low, moderate, high.", None)


@dataclass(frozen=True, kw_only=True)
class Signal:
    """Something an actor said or did about how it would respond to the options."""

    id: str = f("Signal id, unique across all actors.", kind="id")
    description: str = f("What the actor said or did.")
    kind: Literal["cheap_talk", "hands_tying", "sunk_cost"] = f(
        "cheap_talk (costless to say), hands_tying (costly to back down from), sunk_cost "
        "(costly to do, such as a delivery).")
    toward: Ids = f("Option ids the signal is about (empty: all).", ())
    response: dict[str, str] = f("Event id -> state the signal announces.", default_factory=dict)
    follow_through: Optional[Number] = f("Assessed probability the actor does what it signals.",
                                         None, kind="probability")
    evidence: Ids = f("Evidence ids behind it.", ())
    assumptions: Ids = f("Assumption ids behind its numbers.", ())
    confidence: Optional[Confidence] = f("Confidence in the assessment.", None)


@dataclass(frozen=True, kw_only=True)
class Actor:
    """A party whose choices shape the outcome."""

    id: str = f("Actor id (the mapping key).", kind="id")
    name: Optional[str] = f("Display name.", None)
    kind: Optional[str] = f("state, government, armed_group, legislature, organisation, ...", None)
    description: Optional[str] = f("Who they are.", None)
    objectives: tuple[str, ...] = f("What the actor wants.", ())
    capabilities: tuple[str, ...] = f("What the actor can do.", ())
    red_lines: tuple[str, ...] = f("What the actor has said it will not accept.", ())
    signals: tuple[Signal, ...] = f("What the actor has signaled.", ())
    evidence: Ids = f("Evidence ids about the actor.", ())
    assumptions: Ids = f("Assumption ids about the actor.", ())


@dataclass(frozen=True, kw_only=True)
class ValueFunction:
    """How a criterion's consequence maps to a value score from 0 (worst) to 1 (best)."""

    kind: Literal["linear", "exponential", "piecewise"] = f("Shape of the value function.", "linear")
    rho: Optional[float] = f("exponential: the shape constant, in the criterion's unit (larger "
                             "is closer to linear; negative bends the other way).", None)
    points: tuple[tuple[float, float], ...] = f(
        "piecewise: [[consequence, value 0-1], ...] in increasing consequence.", ())


@dataclass(frozen=True, kw_only=True)
class Criterion:
    """A dimension options are judged on."""

    id: str = f("Criterion id.", kind="id")
    name: Optional[str] = f("Display name.", None)
    unit: Optional[str] = f("Unit of its consequences.", None)
    direction: Literal["max", "min"] = f("max: more is better; min: less is better.", "max")
    range: Optional[tuple[float, float]] = f(
        "[worst-to-best span low, high] for value scores; absent: the span of the consequences.", None)
    value_function: Optional[ValueFunction] = f("Value function; absent: linear.", None)
    weight: Optional[Number] = f("Weight, any number form; weights are normalised to sum to 1.",
                                 None, kind="number")
    description: Optional[str] = f("What it measures.", None)
    scale: Optional[str] = f("How to read its numbers (for constructed scales).", None)
    evidence: Ids = f("Evidence ids behind its numbers.", ())
    assumptions: Ids = f("Assumption ids behind its numbers.", ())


@dataclass(frozen=True, kw_only=True)
class Option:
    """A course of action the decision maker weighs."""

    id: str = f("Option id.", kind="id")
    name: Optional[str] = f("Display name.", None)
    description: Optional[str] = f("Policy-level description.", None)
    impacts: dict[str, Number] = f("Direct consequences, criterion id -> number.",
                                   default_factory=dict, kind="numbers")
    evidence: Ids = f("Evidence ids behind it.", ())
    assumptions: Ids = f("Assumption ids behind its numbers.", ())
    confidence: Optional[Confidence] = f("Confidence in its numbers.", None)


@dataclass(frozen=True, kw_only=True)
class State:
    """One way an event can turn out."""

    id: str = f("State id (the mapping key).", kind="id")
    name: Optional[str] = f("Display name.", None)
    description: Optional[str] = f("What happens.", None)
    impacts: dict[str, Number] = f("Consequences when it happens, criterion id -> number.",
                                   default_factory=dict, kind="numbers")
    evidence: Ids = f("Evidence ids behind it.", ())
    assumptions: Ids = f("Assumption ids behind its numbers.", ())


@dataclass(frozen=True)
class Row:
    """One row of an event's probability table: the conditions it applies to and its numbers."""

    conditions: tuple[str, ...]
    probabilities: dict[str, Number]
    path: tuple = field(default=(), compare=False)


@dataclass(frozen=True, kw_only=True)
class Event:
    """What follows an option: an actor's response or an outcome."""

    id: str = f("Event id.", kind="id")
    name: Optional[str] = f("Display name.", None)
    kind: Literal["response", "outcome"] = f("response (an actor's) or outcome.", "outcome")
    actor: Optional[str] = f("Actor id whose response it is.", None)
    signal: Optional[str] = f("Signal id behind the probabilities.", None)
    description: Optional[str] = f("What the event is.", None)
    depends_on: Ids = f("'option' and/or earlier event ids its probabilities depend on, in the "
                        "order the probability table nests them.", ())
    states: dict[str, State] = f("The ways it can turn out.")
    probability: tuple[Row, ...] = f(
        "Probability of each state: one row `{state: p}` with no depends_on, else rows nested by "
        "depends_on ('*' matches any value).", kind="table")
    evidence: Ids = f("Evidence ids behind it.", ())
    assumptions: Ids = f("Assumption ids behind its numbers.", ())
    confidence: Optional[Confidence] = f("Confidence in its numbers.", None)


@dataclass(frozen=True, kw_only=True)
class Risk:
    """A named bad outcome: a condition on event states."""

    id: str = f("Risk id.", kind="id")
    name: Optional[str] = f("Display name.", None)
    description: Optional[str] = f("What it is.", None)
    when: dict[str, tuple[str, ...]] = f(
        "Event id -> state (or list of states); all must hold.", kind="when")
    options: Optional[Ids] = f("Only under these option ids (absent: all).", None)
    severity: Optional[Number] = f("Severity 1-5 for the risk matrix.", None, kind="number")
    evidence: Ids = f("Evidence ids behind it.", ())
    assumptions: Ids = f("Assumption ids behind its numbers.", ())


@dataclass(frozen=True, kw_only=True)
class World:
    """An alternative future: some numbers of the file replaced."""

    id: str = f("World id (the mapping key).", kind="id")
    name: Optional[str] = f("Display name.", None)
    description: Optional[str] = f("What this future is.", None)
    overrides: dict[str, Number] = f(
        "Path of a number in the file (ids for list positions, joined by '.') -> its value here.",
        default_factory=dict, kind="overrides")
    evidence: Ids = f("Evidence ids behind it.", ())
    assumptions: Ids = f("Assumption ids behind it.", ())


@dataclass(frozen=True, kw_only=True)
class Utility:
    """The decision maker's attitude to risk."""

    kind: Literal["exponential", "linear"] = f("exponential: u(x) = 1 - exp(-x/R); linear: risk-neutral.")
    risk_tolerance: Optional[float] = f("R, in the units of the leaf value (criterion unit with "
                                        "one criterion, else value score 0-1).", None)


@dataclass(frozen=True)
class TreeNode:
    """A node of the explicit tree: a decision, a chance node or an end."""

    kind: Literal["decision", "chance", "terminal"]
    name: Optional[str]
    label: str
    p: Optional[Number]
    payoff: dict[str, Number]
    actor: Optional[str]
    actor_payoffs: dict[str, Number]
    children: tuple["TreeNode", ...]
    path: tuple = field(default=(), compare=False)


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """A checked scenario file."""

    meta: Meta = f("What the scenario is about.", key="scenario")
    probability_scale: dict[str, tuple[float, float]] = f(
        "Words of estimative probability -> [low, high] bands, replacing or adding to ICD 203's.",
        default_factory=dict, kind="scale")
    utility: Optional[Utility] = f("Risk attitude; absent means risk-neutral.", None)
    sources: dict[str, Source] = f("Sources by id.", default_factory=dict)
    evidence: tuple[Evidence, ...] = f("Reported facts and statements.", ())
    assumptions: tuple[Assumption, ...] = f("The analyst's judgments.", ())
    actors: dict[str, Actor] = f("Actors by id.", default_factory=dict)
    criteria: tuple[Criterion, ...] = f("Criteria options are judged on.", ())
    options: tuple[Option, ...] = f("The options (events form).", ())
    events: tuple[Event, ...] = f("What follows an option (events form).", ())
    risks: tuple[Risk, ...] = f("Named bad outcomes.", ())
    worlds: dict[str, World] = f("Alternative futures by id.", default_factory=dict)
    tree: Optional[TreeNode] = f("The explicit tree form, instead of options and events.", None, kind="tree")
    file: str = field(default="<string>", compare=False)
    document: Any = field(default=None, compare=False, repr=False)

    # --- convenience look-ups an analyst's code wants ---
    def criterion(self, cid: str) -> Criterion:
        return next(c for c in self.criteria if c.id == cid)

    def option(self, oid: str) -> Option:
        return next(o for o in self.options if o.id == oid)

    def event(self, eid: str) -> Event:
        return next(e for e in self.events if e.id == eid)

    @property
    def signals(self) -> dict[str, Signal]:
        return {s.id: s for a in self.actors.values() for s in a.signals}

    @property
    def option_ids(self) -> list[str]:
        if self.tree is not None:
            return [c.label for c in self.tree.children]
        return [o.id for o in self.options]
