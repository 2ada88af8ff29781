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


FINDING_CODES = ("range-exceeded-by-samples", "implied-tradeoff", "criteria-overlap", "load-bearing-mismatch",
                 "weight-switch", "no-value-of-information", "unused-actor", "unused-evidence", "unused-assumption",
                 "dominated-option", "single-benefit-criterion", "threshold-without-range")
"""The codes of `juncture critique`'s findings, which an assumption can answer."""


@dataclass(frozen=True, kw_only=True)
class Answer:
    """An assumption's answer to a finding of `juncture critique`: the analyst has seen it and
    says, in the assumption's statement and rationale, why the model stands as written."""

    finding: Literal[FINDING_CODES] = f(  # type: ignore[valid-type]
        "The finding's code, as `juncture critique` prints it (implied-tradeoff, criteria-overlap, ...).")
    about: Ids = f("Ids the finding names (criteria, options, assumptions, actors, evidence): the answer "
                   "covers the findings of that code that concern all of them; none = every finding of "
                   "the code.", ())


@dataclass(frozen=True, kw_only=True)
class Assumption:
    """A judgment the analyst makes where the evidence gives no number."""

    id: str = f("Assumption id.", kind="id")
    statement: str = f("What is assumed.")
    rationale: Optional[str] = f("Why it is reasonable.", None)
    load_bearing: bool = f("True when the comparison would change if it were wrong.", False)
    would_be_wrong_if: Optional[str] = f("What would show it wrong: a signpost to watch.", None)
    confidence: Optional[Confidence] = f("Confidence in the judgment: low, moderate, high.", None)
    answers: tuple[Answer, ...] = f(
        "Findings of `juncture critique` this assumption answers (warnings and notes; an error must be "
        "fixed): each `{finding: CODE, about: [ids]}`.", ())


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
class ConditionalPayoff:
    """A payoff an actor receives for an event state only where other states hold on the same
    path: how its valuation of a choice depends on its own type, or on the option it answers."""

    id: str = f("Id (names its number: actors.ACTOR.conditional_payoffs.ID.value).", kind="id")
    state: str = f("The event state paid, 'event.state'.")
    when: dict[str, tuple[str, ...]] = f(
        "Event id -> state (or list of states) that must all hold on the path.", default_factory=dict, kind="when")
    options: Optional[Ids] = f("Only under these option ids (absent: all).", None)
    value: Number = f("The payoff, added to the state's `payoffs` entry (0 when it has none).", kind="number")
    description: Optional[str] = f("What it stands for.", None)
    evidence: Ids = f("Evidence ids behind it.", ())
    assumptions: Ids = f("Assumption ids behind it.", ())


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
    payoffs: dict[str, Number] = f(
        "The actor's own valuation of event states, 'event.state' -> number (its payoff when "
        "that state happens); used when the actor chooses strategically.",
        default_factory=dict, kind="numbers")
    criteria_weights: dict[str, Number] = f(
        "The actor's view of the criteria, criterion -> weight on its consequence in the "
        "criterion's unit (negative when the actor dislikes more of it); adds to `payoffs`.",
        default_factory=dict, kind="numbers")
    conditional_payoffs: tuple[ConditionalPayoff, ...] = f(
        "Payoffs for an event state that apply only where other states (its own type, say) or options "
        "hold on the path; they add to `payoffs`.", ())
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
        "[worst-to-best span low, high] for value scores; absent: the span of the consequences of "
        "the leaves that can happen (none behind a branch of probability 0), at the point values.", None)
    value_function: Optional[ValueFunction] = f("Value function; absent: linear.", None)
    weight: Optional[Number] = f("Weight, any number form; weights are normalised to sum to 1.",
                                 None, kind="number")
    rank: Optional[int] = f("Importance rank (1 = most important; equal ranks tie), for "
                            "rank-order-centroid weights when `comparison.weighting: rank`.", None)
    swing: Optional[float] = f("Swing points (0-100) for moving this criterion from the worst to the "
                               "best of its range, for `comparison.weighting: swing`.", None)
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
class Hypotheses:
    """Analysis of competing hypotheses (Heuer, ch. 8) over the states of an event (an actor's hidden type).

    Each rated or weighed evidence item says how it bears on each state, the states being the hypotheses.
    """

    ratings: dict[str, dict[str, Literal["CC", "C", "N", "I", "II"]]] = f(
        "Evidence id -> hypothesis (state id) -> consistency rating, as Heuer and PARC ACH: CC very "
        "consistent, C consistent, N neutral or not applicable, I inconsistent, II very inconsistent; every "
        "hypothesis rated.", default_factory=dict)
    likelihood: dict[str, dict[str, float]] = f(
        "Evidence id -> hypothesis (state id) -> P(evidence | hypothesis), from 0 to 1, every hypothesis; an "
        "item has a rating row or a likelihood row, not both.", default_factory=dict)
    relevance: dict[str, Literal["low", "medium", "high"]] = f(
        "Evidence id -> how much the item bears on the question (PARC ACH's relevance): low, medium (the "
        "default) or high; weighs its inconsistency.", default_factory=dict)
    base_rates: dict[str, float] = f(
        "Hypothesis -> probability before the evidence, used for the posterior when the event's own "
        "probabilities are the ACH posterior (`prior: ach`); absent: equal.", default_factory=dict)
    evidence: Ids = f("Evidence ids behind the hypotheses themselves (beyond the rated items).", ())
    assumptions: Ids = f("Assumption ids behind the ratings and likelihoods.", ())


@dataclass(frozen=True, kw_only=True)
class Event:
    """What follows an option: an actor's response, an outcome, or the decision maker's later decision."""

    id: str = f("Event id.", kind="id")
    name: Optional[str] = f("Display name.", None)
    kind: Literal["response", "outcome", "type"] = f(
        "response (an actor's), outcome, or type (an actor's hidden type, such as its resolve).", "outcome")
    mode: Literal["chance", "strategic", "decision"] = f(
        "chance: states follow the probability table; strategic: the actor chooses the state that "
        "is best for it (its `payoffs` / `criteria_weights`); decision: a later decision of the "
        "decision maker, who chooses the state knowing every event unfolded before it.", "chance")
    rationality: Optional[float] = f(
        "strategic: logit quantal response precision (0 = every state equally likely, large = best "
        "reply); absent = exact best reply.", None)
    actor: Optional[str] = f("Actor id whose response it is (none for a decision: it is the decision maker's).", None)
    signal: Optional[str] = f("Signal id behind the probabilities.", None)
    description: Optional[str] = f("What the event is.", None)
    depends_on: Ids = f("'option' and/or earlier event ids its probabilities depend on, in the "
                        "order the probability table nests them.", ())
    options: Optional[Ids] = f("Only under these option ids (absent: all); under the others the "
                               "event does not happen.", None)
    when: dict[str, tuple[str, ...]] = f(
        "Only on paths where these earlier events have these states (event id -> state or list of "
        "states; all must hold); elsewhere the event does not happen.", default_factory=dict, kind="when")
    states: dict[str, State] = f("The ways it can turn out.")
    probability: tuple[Row, ...] = f(
        "Probability of each state: one row `{state: p}` with no depends_on, else rows nested by "
        "depends_on ('*' matches any value, and is the only key that matches an event that did not "
        "happen). Required unless the event is strategic or a decision.", (), kind="table")
    evidence: Ids = f("Evidence ids behind it.", ())
    assumptions: Ids = f("Assumption ids behind its numbers.", ())
    confidence: Optional[Confidence] = f("Confidence in its numbers.", None)
    hypotheses: Optional[Hypotheses] = f(
        "Analysis of competing hypotheses over the event's states (usually an actor's hidden type): a "
        "consistency rating or a likelihood per evidence item (`juncture ach`).", None)
    prior: Optional[Literal["ach"]] = f(
        "ach: the event's probabilities are the posterior of its `hypotheses` (base rates times the "
        "likelihoods of the evidence, normalised), instead of a `probability` table.", None)

    @property
    def after(self) -> tuple[str, ...]:
        """Ids of the events it unfolds after: those its table depends on and those its `when` names."""
        return tuple(dict.fromkeys([d for d in self.depends_on if d != "option"] + list(self.when)))

    def happens(self, path: dict[str, str | None]) -> bool:
        """Whether it happens on a path, given the path's option ('option') and the states of the
        events unfolded so far (an event that did not happen is absent or None)."""
        return ((self.options is None or path.get("option") in self.options)
                and all(path.get(e) in states for e, states in self.when.items()))


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
    severity_from: Optional[Literal["consequences"]] = f(
        "Instead of `severity`: 'consequences' derives it per option from the model, as 1 + 4 x the "
        "value lost when the risk happens (the option's value score with the risk's consequences against "
        "without them, 0 to the whole 0-1 scale).", None)
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
class Factor:
    """A common cause that ties several uncertain numbers together (for correlated draws)."""

    id: str = f("Factor id (the mapping key).", kind="id")
    name: Optional[str] = f("Display name.", None)
    description: Optional[str] = f("What the factor stands for, e.g. Russian resolve.", None)
    drives: dict[str, float] = f(
        "Path of an uncertain number -> its loading on the factor, from -1 to 1 (the correlation "
        "of the number's normal score with the factor).")
    evidence: Ids = f("Evidence ids behind it.", ())
    assumptions: Ids = f("Assumption ids behind it.", ())


@dataclass(frozen=True, kw_only=True)
class WeightProfile:
    """A named set of criterion weights: one stakeholder's priorities."""

    id: str = f("Profile id (the mapping key).", kind="id")
    name: Optional[str] = f("Display name.", None)
    description: Optional[str] = f("Whose priorities these are.", None)
    weights: dict[str, Number] = f("Criterion id -> weight (normalised to sum to 1).", kind="numbers")
    evidence: Ids = f("Evidence ids behind it.", ())
    assumptions: Ids = f("Assumption ids behind it.", ())


@dataclass(frozen=True, kw_only=True)
class Bound:
    """A satisficing threshold on one criterion, in its unit."""

    min: Optional[float] = f("The consequence must be at least this.", None)
    max: Optional[float] = f("The consequence must be at most this.", None)


@dataclass(frozen=True, kw_only=True)
class Comparison:
    """Choices that change a multi-criteria comparison, stated rather than defaulted silently."""

    method: Literal["mavt", "topsis"] = f("mavt: weighted additive value (default); topsis.", "mavt")
    normalisation: Literal["vector", "minmax", "sum"] = f(
        "topsis: how the consequence matrix is normalised (vector, Hwang & Yoon's, is the default).", "vector")
    weighting: Literal["given", "equal", "rank", "swing"] = f(
        "given: the criteria's `weight`s; equal; rank: rank-order-centroid from `rank`; swing: from "
        "`swing` points.", "given")
    cost: Literal["ideal", "reciprocal"] = f(
        "topsis: how a minimised criterion is treated: ideal (its smallest value is the ideal, the "
        "default) or reciprocal (1/x, then maximised).", "ideal")
    value_range: Literal["criteria", "options"] = f(
        "mavt: the scale of each value score: criteria (each criterion's `range`, else the span of "
        "the consequences of the leaves that can happen; the default) or options (the span of the "
        "options' expected consequences).", "criteria")
    hurwicz_alpha: float = f("Optimism coefficient of the Hurwicz rule, 0 (pessimist) to 1.", 0.5)
    satisficing: dict[str, Bound] = f("Criterion id -> the bound an option must meet in a world.",
                                      default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Indicator:
    """An observable signpost: how likely it is to be seen under each state of an event."""

    id: str = f("Indicator id.", kind="id")
    name: Optional[str] = f("Display name.", None)
    description: Optional[str] = f("What would be seen.", None)
    about: str = f("Event id (often an actor's type) the indicator bears on.")
    likelihood: dict[str, Number] = f(
        "State -> probability of seeing the indicator when that state holds (every state).",
        default_factory=dict, kind="probabilities")
    likelihood_ratio: Optional[Number] = f(
        "For a two-state event: P(seen | first state) / P(seen | second state); instead of likelihood.",
        None, kind="number")
    evidence: Ids = f("Evidence ids behind it.", ())
    assumptions: Ids = f("Assumption ids behind its numbers.", ())


@dataclass(frozen=True, kw_only=True)
class Rung:
    """One rung of the escalation ladder."""

    id: str = f("Rung id.", kind="id")
    name: Optional[str] = f("Display name.", None)
    description: Optional[str] = f("What this level of escalation is.", None)


@dataclass(frozen=True, kw_only=True)
class LadderThreshold:
    """A line on the ladder whose crossing matters (reaching rung `at` or higher)."""

    id: str = f("Threshold id.", kind="id")
    name: Optional[str] = f("Display name.", None)
    at: str = f("Rung id: the threshold is crossed when a path reaches this rung or a higher one.")


@dataclass(frozen=True, kw_only=True)
class Escalation:
    """An ordered escalation ladder with options and event states placed on its rungs."""

    rungs: tuple[Rung, ...] = f("The rungs, lowest first.")
    thresholds: tuple[LadderThreshold, ...] = f("Lines whose crossing matters.", ())
    options: dict[str, str] = f("Option id -> the rung the option itself stands on.", default_factory=dict)
    states: dict[str, str] = f("'event.state' -> the rung that state stands on.", default_factory=dict)
    evidence: Ids = f("Evidence ids behind the placement.", ())
    assumptions: Ids = f("Assumption ids behind the placement.", ())


@dataclass(frozen=True, kw_only=True)
class HistoryEntry:
    """One logged change to the file, such as an update on observed indicators."""

    date: Optional[str] = f("When.", None)
    note: str = f("What changed and why.")
    observed: dict[str, bool] = f("Indicator id -> seen (true) or not seen (false).", default_factory=dict)
    source_file: Optional[str] = f("The file this one was derived from.", None)


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
    factors: dict[str, Factor] = f("Common causes tying uncertain numbers together.", default_factory=dict)
    weight_profiles: dict[str, WeightProfile] = f("Named stakeholder weightings by id.", default_factory=dict)
    comparison: Optional[Comparison] = f("Choices for multi-criteria comparison and robustness.", None)
    indicators: tuple[Indicator, ...] = f("Observable signposts and their likelihoods.", ())
    escalation: Optional[Escalation] = f("The escalation ladder.", None)
    history: tuple[HistoryEntry, ...] = f("Log of changes made to this file by tools.", ())
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
