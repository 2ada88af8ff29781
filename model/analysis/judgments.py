"""Judgments: the analyses' results turned into a bottom line, key judgments and what would change them.

An analytic product in the manner of ICD 203: likelihood and confidence stated separately, each
judgment with its basis (the evidence and assumptions behind the numbers it rests on), what would
change it, and the indicators worth watching. Nothing here is written per scenario: every
sentence is generated from the results by the rules below, with the file's names (an option's,
criterion's, actor's, event's `name`), never its ids or parameter paths.

Likelihood words. A probability is said in the words of the file's estimative-probability table
(`model.io.numbers.ICD203_SCALE`, its seven main words, with the bands the file's
`probability_scale` gives them when it redefines them), the number beside it: 0.62 is "likely
(62%)". Below the lowest band it is the lowest word, above the highest the highest.

What is computed.
- P(best): the share of Monte Carlo draws of the file's uncertain numbers in which each option
  is best (`model.analysis.montecarlo`).
- Agreement: the best option by additive value (mavt) and TOPSIS with the file's weights, by
  additive value under every weighting the file supports (given, equal, each weight profile),
  and at the point values in every world of the file. The ranking "survives" when every one of
  them picks the option best at the point values.
- Weight switch points: `sensitivity.thresholds` on each criterion's weight, searched from 0 to
  many times the weights' total, so that any single weight change that changes the best option is
  found; the smallest change (in the normalised weight) comes first.
- Number switch points: `sensitivity.thresholds` on the numbers the file gives as a range, word or
  distribution (never on an exact number: the file fixes those), other than weights, kept when the
  switch lies inside the number's range; the chance of the number lying beyond it is the share of
  the Monte Carlo draws that do.
- Indicators: `indicators.watch_list`; the top one by the expected value of observing it (EVO),
  or, when no observation would change the choice, that fact.
- Load-bearing assumptions: those the file flags, the ones cited by the numbers whose swing moves
  the decision most (`sensitivity.tornado` order) first; the bottom line lists at most
  BRIEF_ASSUMPTIONS of them by their statement's first clause and counts the rest.

Key judgments (three to six) and their confidence.
1. The best option (best at the point values): likelihood = its P(best). Its basis: the five numbers
   whose low-to-high swing moves the decision's value most (`sensitivity.tornado`).
2. Robustness under uncertain priorities: likelihood = the option's first-rank acceptability in
   SMAA (weights drawn with the numbers); its basis: the criteria weights.
3. The largest risk of the best option, and (4) of the strongest alternative (the option with the
   next highest P(best)): likelihood = the risk's probability at the point values; its basis: the
   probability numbers of the events the risk is defined on.
5. One judgment per other player with a signal that announces a response: how likely the actor is
   to do what it announced under the option where that matters most (the largest probability of
   the announced state), and whether its own payoffs make the signal credible; its basis: the
   actor's payoff numbers and the signal's follow-through (at most two such judgments, six in all).

Confidence, for every judgment, from its basis (the numbers it rests on) and its robustness:
- the basis is *strong* when every number in it cites at least one evidence item whose source is
  graded A or B for reliability (credibility 1-3 when graded), *unsupported* when none cites any
  evidence (assumptions only, or nothing);
- *robust*: for judgment 1, the ranking survives every method, weighting and world and P(best) is
  at least 0.8; for 2, the acceptability is at least 0.8 and every weighting agrees; for 3-4, the
  risk's 5th and 95th percentiles over the Monte Carlo draws fall in one likelihood band; for 5,
  the signal's verdict is "credible" or "not credible" under every option (not "depends");
- **high** when robust and strong; **low** when unsupported, or (judgment 1 and 2) when the best
  option changes between weightings or worlds and P(best) is below 0.55; **moderate** otherwise;
- never higher than the lowest `confidence` the file states on a load-bearing assumption cited by
  a number in the basis.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..compile import Model
from ..evaluate import Evaluation, point
from ..evaluate.values import weights as normalised_weights
from ..io import Scenario, iter_numbers
from ..io.numbers import ICD203_SCALE
from ..results import Result, Table, table
from .names import Namer
from .names import human as _human

__all__ = ["BRIEF_WORDS", "Change", "Judgment", "Judgments", "Namer", "judgments", "likelihood_word"]

BRIEF_WORDS = 450
"""Most words the brief may have on one page."""

BRIEF_ASSUMPTIONS = 3
"""Most load-bearing assumptions the bottom line lists by name (the rest are counted)."""

ASSUMPTIONS_HEAD = "Load-bearing assumptions"
"""The bottom line's heading of the list of load-bearing assumptions."""

ASSUMPTION_WORDS = 12
"""Most words of an assumption's statement as the bottom line lists it (its first clause)."""

CONFIDENCE = ("low", "moderate", "high")
MAIN_WORDS = ("almost no chance", "very unlikely", "unlikely", "roughly even chance", "likely", "very likely",
              "almost certain")


def scale_of(sc: Scenario | None = None) -> list[tuple[str, float, float]]:
    """The seven ICD 203 words with their bands, as the file gives them."""
    given = dict(ICD203_SCALE)
    if sc is not None:
        given.update({k: tuple(v) for k, v in sc.probability_scale.items()})
    return [(w, float(given[w][0]), float(given[w][1])) for w in MAIN_WORDS]


def likelihood_word(p: float, sc: Scenario | None = None,
                    bands: Sequence[tuple[str, float, float]] | None = None) -> str:
    """The estimative word for probability p ('likely' for 0.62), by the file's bands (or `bands`)."""
    bands = bands or scale_of(sc)
    if p < bands[0][1]:
        return bands[0][0]
    for w, lo, hi in bands:
        if lo <= p < hi:
            return w
    return bands[-1][0]


def pct(p: float) -> str:
    """62% ('<1%' and '>99%' at the ends, where rounding would say 0% or 100%)."""
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 < p < 1:
        return ">99%"
    return f"{100 * p:.0f}%"


def say(p: float, sc: Scenario | None = None) -> str:
    """'likely (62%)'."""
    return f"{likelihood_word(p, sc)} ({pct(p)})"




@dataclass(frozen=True)
class Judgment:
    """One key judgment: the sentence, its likelihood (word and number), confidence and basis."""

    text: str
    likelihood: str
    probability: float | None
    confidence: str
    basis: str


@dataclass(frozen=True)
class Change:
    """Something that would change the judgment: kind ('weight', 'number', 'indicator', 'world',
    'method'), the sentence, and the number it turns on (None when none)."""

    kind: str
    text: str
    value: float | None = None


@dataclass(frozen=True, eq=False)
class Judgments(Result):
    """The bottom line, key judgments and what would change them, with the intermediates."""

    title: str
    question: str
    decision_maker: str
    options: tuple[str, ...]                 # ids, best first (by P(best), ties by the point values)
    names: dict[str, str]                    # option id -> name
    best: tuple[str, ...]                    # best at the point values
    p_best: dict[str, float]
    n: int
    seed: int | None
    agreement: dict[str, tuple[str, ...]]    # "mavt, the file's weights" -> best options
    survives: bool
    switches: tuple[Change, ...]
    ranged: tuple[Change, ...]
    indicators: tuple[Change, ...]
    assumptions: tuple[str, ...]             # load-bearing assumptions' statements, those behind the
                                             # numbers that move the decision most first
    key: tuple[Judgment, ...]
    notes: tuple[str, ...] = ()
    scale: tuple[tuple[str, float, float], ...] = field(default_factory=tuple)

    def word(self, p: float) -> str:
        return likelihood_word(p, bands=self.scale or None)

    def say(self, p: float) -> str:
        return f"{self.word(p)} ({pct(p)})"

    # ------------------------------------------------------------------------------ bottom line
    def ranking_sentence(self) -> str:
        shown = [o for o in self.options if self.p_best[o] >= 0.01] or list(self.options[:1])
        parts = [f"{self.names[o]}: {self.say(self.p_best[o])}" for o in shown]
        rest = [self.names[o] for o in self.options if o not in shown]
        if rest:
            parts.append(f"{', '.join(rest)}: {self.word(0.0)} (under 1% each)")
        return "P(best) under the file's uncertainty: " + "; ".join(parts) + "."

    def bottom_line(self) -> list[tuple[str, str]]:
        """(heading, sentence) pairs, bottom line first."""
        top = self.options[0]
        best = self.best
        lead = (f"{self.options_text(best)} {'is' if len(best) == 1 else 'are'} the best course; ")
        if self.n <= 1:
            lead += "every number the file gives is exact, so there is no uncertainty to weigh."
        elif top in best:
            lead += (f"{self.word(self.p_best[top])} ({pct(self.p_best[top])} of {self.n:,} draws of the uncertain "
                     "numbers) to be the best choice.")
        else:
            lead += (f"across {self.n:,} draws of the uncertain numbers, however, {self.names[top]} is best more "
                     f"often ({self.say(self.p_best[top])}).")
        out = [("Best course", lead), ("Ranking", self.ranking_sentence()), ("Agreement", self.agreement_sentence())]
        out.append(("Switch points", " ".join([c.text for c in self.switches[:1]] + [
            self.ranged[0].text if self.ranged else "No number the file gives as a range or distribution crosses a "
                                                    "switch point within its range."])))
        out.append(("Indicators", self.indicators[0].text if self.indicators else
                    "The file names no indicators to watch."))
        if self.assumptions:
            shown, more = self.load_bearing()
            out.append((ASSUMPTIONS_HEAD, " ".join(shown) + (f" And {more} more (see the report)." if more else "")))
        else:
            out.append((ASSUMPTIONS_HEAD, "The file marks no assumption as load-bearing."))
        return out

    def load_bearing(self, n: int = BRIEF_ASSUMPTIONS) -> tuple[list[str], int]:
        """The first `n` load-bearing assumptions (those behind the numbers that move the decision
        most first), each as its statement's first clause, and how many more there are."""
        shown = [short_statement(a) for a in self.assumptions[:n]]
        return shown, len(self.assumptions) - len(shown)

    def options_text(self, ids: Sequence[str]) -> str:
        return " and ".join(self.names.get(o, o) for o in ids)

    def agreement_sentence(self) -> str:
        base = set(self.best)
        differ = {k: v for k, v in self.agreement.items() if set(v) != base}
        if not self.agreement:
            return "One criterion and no worlds: there is no other method, weighting or world to check against."
        if not differ:
            return (f"Every check agrees on {self.options_text(self.best)}: "
                    f"{', '.join(self.agreement)}.")
        by: dict[tuple[str, ...], list[str]] = {}
        for k, v in differ.items():
            by.setdefault(tuple(v), []).append(k)
        said = "; ".join(f"{self.options_text(v)} under {', '.join(ks)}" for v, ks in by.items())
        return (f"{len(self.agreement) - len(differ)} of {len(self.agreement)} checks (aggregation methods, "
                f"weightings, worlds) pick {self.options_text(self.best)}; {said}.")

    def changes(self) -> list[Change]:
        return [*self.switches, *self.ranged, *self.indicators]

    def markdown(self) -> str:
        """The brief: the bottom line and key judgments as Markdown, at most a page (BRIEF_WORDS):
        the load-bearing assumptions are a list of at most BRIEF_ASSUMPTIONS, fewer when the page
        would run over, the rest counted."""
        n = BRIEF_ASSUMPTIONS
        while True:
            text = self._markdown(n)
            if n == 0 or len(text.split()) <= BRIEF_WORDS:
                return text
            n -= 1

    def _markdown(self, n: int) -> str:
        lines = [f"# {self.title}: brief", ""]
        if self.question:
            lines += [f"**Question.** {self.question}", ""]
        for head, text in self.bottom_line():
            if head == ASSUMPTIONS_HEAD and self.assumptions:
                shown, more = self.load_bearing(n)
                lines += [f"**{head}.**", ""]
                lines += [f"- {a}" for a in shown]
                lines += ([f"- and {more} more (see the report)."] if more else []) + [""]
                continue
            lines += [f"**{head}.** {text}", ""]
        lines += ["## Key judgments", ""]
        for j in self.key:
            lines.append(f"- {j.text} *Confidence: {j.confidence}.*")
        if not self.key:
            lines.append("- The file gives too little for a judgment beyond the bottom line.")
        lines += ["", f"*ICD 203 likelihood words; {self.n:,} draw{'' if self.n == 1 else 's'}, seed {self.seed}.*", ""]
        return "\n".join(lines)

    def table(self) -> Table:
        rows = [f"{k + 1}" for k in range(len(self.key))]
        vals = [[j.text, j.likelihood, j.probability, j.confidence, j.basis] for j in self.key]
        return table("Key judgments", "#", rows, ["judgment", "likelihood", "probability", "confidence", "basis"],
                     vals, notes=list(self.notes))

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "judgments", "question": self.question, "best": list(self.best),
                "ranking": list(self.options), "p_best": dict(self.p_best), "n": self.n, "seed": self.seed,
                "agreement": {k: list(v) for k, v in self.agreement.items()}, "survives": self.survives,
                "bottom_line": [{"heading": h, "text": t} for h, t in self.bottom_line()],
                "key_judgments": [j.__dict__ for j in self.key],
                "what_would_change": [c.__dict__ for c in self.changes()],
                "load_bearing_assumptions": list(self.assumptions)}


def short_statement(text: str, words: int = ASSUMPTION_WORDS) -> str:
    """An assumption's statement as a list item: its first clause without parentheses, ended at the
    last comma between half of `words` and `words` + 3 words when it is longer (at `words` words,
    with an ellipsis, when no comma falls there): 'Given the option, the events are independent of
    one another.'"""
    s = re.sub(r"\s*\([^()]*\)", "", " ".join(text.split()))
    s = re.split(r"(?<=[a-z0-9%\"'”])[.;:] ", s)[0].rstrip(" .;:")
    w = s.split()
    if len(w) <= words + 3:
        return s + "."
    ends = [k for k in range(words // 2, words + 3) if w[k - 1].endswith(",")]
    if ends:
        return " ".join(w[:ends[-1]]).rstrip(",") + "."
    return " ".join(w[:words]).rstrip(",;:") + " …"


# ------------------------------------------------------------------------------------ the basis
@dataclass(frozen=True)
class _Basis:
    names: tuple[str, ...]
    strong: bool
    unsupported: bool
    cap: str | None
    text: str


def _grade_ok(sc: Scenario, eid: str) -> bool:
    e = next((x for x in sc.evidence if x.id == eid), None)
    if e is None:
        return False
    s = sc.sources.get(e.source)
    rel = s.reliability if s is not None else None
    return rel in ("A", "B") and (e.credibility is None or e.credibility <= 3)


def _grade(sc: Scenario, eid: str) -> str:
    e = next((x for x in sc.evidence if x.id == eid), None)
    if e is None:
        return "?"
    s = sc.sources.get(e.source)
    return f"{(s.reliability if s else None) or '?'}{e.credibility or '?'}"


def basis(sc: Scenario, names: Sequence[str], what: str) -> _Basis:
    """Grade the numbers `names` rest on (see the module docstring)."""
    refs = {r.name: r for r in iter_numbers(sc)}
    picked = [refs[n] for n in names if n in refs]
    asm = {a.id: a for a in sc.assumptions}
    evid: dict[str, int] = {}
    assumed: dict[str, int] = {}
    for r in picked:
        for e in r.evidence:
            evid[e] = evid.get(e, 0) + 1
        for a in r.assumptions:
            assumed[a] = assumed.get(a, 0) + 1
    strong = bool(picked) and all(any(_grade_ok(sc, e) for e in r.evidence) for r in picked)
    unsupported = not any(r.evidence for r in picked)
    caps = [asm[a].confidence for a in assumed if a in asm and asm[a].load_bearing and asm[a].confidence]
    cap = min(caps, key=CONFIDENCE.index) if caps else None
    grades = sorted({_grade(sc, e) for e in evid})
    n_lb = sum(1 for a in assumed if a in asm and asm[a].load_bearing)
    if not picked:
        text = f"{what}: no number of the file"
    elif unsupported:
        text = (f"{what}: {len(picked)} number(s) resting on assumptions only"
                + (f" ({len(assumed)} assumption(s), {n_lb} load-bearing)" if assumed else " (none cited)"))
    else:
        text = (f"{what}: {len(picked)} number(s) citing {len(evid)} evidence item(s) graded "
                f"{', '.join(grades)} and {len(assumed)} assumption(s) ({n_lb} load-bearing)")
    return _Basis(tuple(r.name for r in picked), strong, unsupported, cap, text)


def _confidence(b: _Basis, robust: bool, fragile: bool = False) -> str:
    c = "high" if robust and b.strong else ("low" if b.unsupported or fragile else "moderate")
    if b.cap is not None and CONFIDENCE.index(b.cap) < CONFIDENCE.index(c):
        c = b.cap
    return c


# ------------------------------------------------------------------------------------ the analysis
def _weight_switches(model: Model, ev: Evaluation, nm: Namer) -> list[Change]:
    from .sensitivity import thresholds

    p = model.params
    idx = [int(i) for i in model.weight_param if i >= 0]
    if not idx or len(model.options) < 2:
        return []
    total = float(sum(max(p.point[i], 0.0) for i in idx)) or 1.0
    bounds = {p.names[i]: (0.0, 50.0 * total) for i in idx}
    th = thresholds(model, params=idx, bounds=bounds, points=257)
    now = normalised_weights(model, p.point[None, :])[0]
    out = []
    crit_of = {int(w): c for c, w in enumerate(model.weight_param) if w >= 0}
    seen = set()
    rows = []
    for k, name in enumerate(th.names):
        i = p.index(name)
        c = crit_of.get(i)
        if c is None or not math.isfinite(th.effective[k]):
            continue
        new, old = float(th.effective[k]), float(now[c])
        winner = th.above[k] if th.value[k] > th.point[k] else th.below[k]
        rows.append((abs(new - old), c, old, new, winner))
    for d, c, old, new, winner in sorted(rows):
        if c in seen:
            continue
        seen.add(c)
        crit = nm("criterion", model.criteria[c])
        way = "rose" if new > old else "fell"
        out.append(Change("weight", f"{nm.option(winner)} would become best if the weight on {crit} {way} from "
                                    f"{100 * old:.0f}% to {100 * new:.0f}% of the total (the other weights scaled "
                                    "to make room).", new))
    if not out:
        out.append(Change("weight", "No change of a single criterion's weight, however large, makes another option "
                                    "best."))
    return out


def _ranged_switches(model: Model, nm: Namer, sc: Scenario, mc: Any, th: Any = None) -> list[Change]:
    from .sensitivity import thresholds

    p = model.params
    if th is None:
        th = thresholds(model)
    out = []
    roles = p.roles
    for k, name in enumerate(th.names):
        i = p.index(name)
        if not (p.high[i] > p.low[i]) or roles[i] == "weight" or not th.in_range[k]:
            continue
        v, pt = float(th.value[k]), float(th.point[k])
        winner = th.above[k] if v > pt else th.below[k]
        beyond = None
        if mc is not None and mc.theta is not None:
            x = mc.theta[:, i]
            beyond = float(np.mean(x > v) if v > pt else np.mean(x < v))
        unit = th.units[k]
        num = f"{100 * v:.0f}%" if unit == "P" else f"{v:.3g}{' ' + unit if unit and unit != 'weight' else ''}"
        was = f"{100 * pt:.0f}%" if unit == "P" else f"{pt:.3g}"
        text = (f"{nm.option(winner)} would become best if {nm.phrase(name)} were "
                f"{'above' if v > pt else 'below'} {num} (the file's point value is {was}, within a range that "
                "reaches it)")
        text += (f"; that is {say(beyond, sc)} under the file's uncertainty." if beyond is not None else ".")
        out.append(Change("number", text, v))
    return out


def _indicator_changes(model: Model, nm: Namer, watch: Any) -> list[Change]:
    if watch is None or not len(watch.indicators):
        return []
    names = {i.id: (i.name or _human(i.id)) for i in model.scenario.indicators}
    out = []
    for k, iid in enumerate(watch.indicators):
        evo = watch.evo[k]
        if evo is None:
            continue
        if evo > 0:
            flip = watch.best_if_seen[k] if tuple(watch.best_if_seen[k] or ()) != tuple(watch.best_now) \
                else watch.best_if_not_seen[k]
            out.append(Change("indicator", f"Watch for {names[iid]}: observing it is worth {evo:.3g} "
                                           f"({watch.unit}) because the result could make "
                                           f"{nm.options(flip or ())} best.", float(evo)))
    if not out:
        ranked = [iid for iid, e in zip(watch.indicators, watch.evo) if e is not None]
        if ranked:
            out.append(Change("indicator", f"No indicator the file ranks ({len(ranked)}) would change the choice if "
                                           f"observed (value of observing each: 0); the most informative is "
                                           f"{names[ranked[0]]}.", 0.0))
    return out


def judgments(model: Model, mc: Any = None, *, samples: int = 2_000, seed: int | None = None,
              ev: Evaluation | None = None, thresholds: Any = None, tornado: Any = None, watch: Any = None,
              credibility: Any = None, acceptability: Any = None, worlds: Any = None) -> Judgments:
    """Build the bottom line, key judgments and what would change them from the analyses' results.

    mc: a Monte Carlo run with its draws kept (`simulate(..., keep_theta=True)`); made here from
    `samples` and `seed` when None. The other results, when given, are used instead of being
    computed (the report passes those it has already run).
    """
    from . import mcda
    from .montecarlo import simulate
    from .weights import available

    sc = model.scenario
    nm = Namer(sc)
    ev = point(model) if ev is None else ev
    if mc is None and len(model.params.uncertain):
        mc = simulate(model, samples, seed=seed, keep_theta=True, progress=False)
    opts = model.options
    if mc is not None:
        pb, _ = mc.p_best()
        p_best = {o: float(pb[i]) for i, o in enumerate(opts)}
    else:
        p_best = {o: (1.0 / len(ev.best_options()) if o in ev.best_options() else 0.0) for o in opts}
    pref = ev.preference[0]
    order = sorted(range(len(opts)), key=lambda i: (-p_best[opts[i]], -pref[i]))
    ranked = tuple(opts[i] for i in order)
    best = tuple(ev.best_options())

    # agreement: methods, weightings, worlds
    agreement: dict[str, tuple[str, ...]] = {}
    multi = len(model.criteria) > 1
    if multi and sc.tree is None:
        for method in ("mavt", "topsis"):
            try:
                r = mcda.compare(model, method)
            except ValueError:
                continue
            agreement[f"{method} with the file's weights"] = tuple(o for o, k in zip(r.options, r.ranks) if k == 1)
    if multi:
        for w in available(model):
            if w.label == "given":
                continue
            try:
                r = mcda.compare(model, "mavt", weights=w)
            except ValueError:
                continue
            agreement[f"{nm.weighting(w.label)}"] = tuple(o for o, k in zip(r.options, r.ranks) if k == 1)
    if sc.worlds:
        if worlds is None:
            from .robustness import across_worlds
            worlds = across_worlds(sc)
        val = worlds.rules.value
        for j, wid in enumerate(worlds.rules.worlds):
            col = val[:, j]
            top = col.max()
            agreement[f"the {nm('world', wid)} world"] = tuple(o for o, x in zip(worlds.rules.options, col)
                                                               if x >= top - 1e-9 * max(1.0, abs(top)))
    survives = all(set(v) == set(best) for v in agreement.values())

    # what would change it
    switches = _weight_switches(model, ev, nm)
    ranged = _ranged_switches(model, nm, sc, mc, thresholds) if len(model.params.uncertain) else []
    if watch is None and sc.indicators:
        from .indicators import watch_list
        try:
            watch = watch_list(model)
        except ValueError:
            watch = None
    inds = _indicator_changes(model, nm, watch)
    lb_all = [a for a in sc.assumptions if a.load_bearing]

    # key judgments
    key: list[Judgment] = []
    top = best[0]
    if tornado is None and len(model.params.uncertain):
        from .sensitivity import tornado as _tornado
        tornado = _tornado(model)
    decisive = tuple(tornado.names[:5]) if tornado is not None else ()
    # the load-bearing assumptions behind the numbers that move the decision most come first
    cites = {r.name: r.assumptions for r in iter_numbers(sc)}
    first = [a for n in (tornado.names if tornado is not None else ()) for a in cites.get(n, ())]
    rank = {a: k for k, a in reversed(list(enumerate(first)))}
    lb = tuple(a.statement for a in sorted(lb_all, key=lambda a: rank.get(a.id, len(rank))))
    b1 = basis(sc, decisive, "the five numbers that move the decision most")
    p1 = p_best[top]
    robust1 = survives and p1 >= 0.8
    fragile1 = (not survives) and p1 < 0.55
    lead = f"{nm.options(best)} {'is' if len(best) == 1 else 'are'} {say(p1, sc)} to be the best course"
    why = ("; every method, weighting and world agrees" if survives and agreement
           else (f", though {sum(set(v) != set(best) for v in agreement.values())} of {len(agreement)} checks "
                 "(methods, weightings, worlds) pick another" if agreement else ""))
    key.append(Judgment(lead + why + ".", likelihood_word(p1, sc), p1, _confidence(b1, robust1, fragile1), b1.text))

    if acceptability is None and multi:
        try:
            from .smaa import smaa
            acceptability = smaa(model, max(samples, 1000), seed=seed)
        except ValueError:
            acceptability = None
    if acceptability is not None:
        i = list(acceptability.options).index(top)
        a1 = float(acceptability.rank_acceptability[i, 0])
        wnames = [n for n in (r.name for r in iter_numbers(sc)) if n.startswith("criteria.") and n.endswith(".weight")]
        b2 = basis(sc, wnames, "the criteria weights")
        agree_w = all(set(v) == set(best) for k, v in agreement.items() if "weight" in k)
        key.append(Judgment(f"With the weights drawn across their ranges too, it ranks first in "
                            f"{pct(a1)} of draws: {likelihood_word(a1, sc)}" + ("" if agree_w else
                                                                              "; a weight profile prefers another") + ".",
                            likelihood_word(a1, sc), a1,
                            _confidence(b2, a1 >= 0.8 and agree_w, (not agree_w) and a1 < 0.55), b2.text))

    if model.risks:
        runner = next((o for o in ranked if o not in best), None)
        for o in [top] + ([runner] if runner else []):
            oi = opts.index(o)
            r = ev.risk[0, oi]
            k = int(np.argmax(r))
            pr = float(r[k])
            rid = model.risks[k]
            risk = next(x for x in sc.risks if x.id == rid)
            nums = [n.name for n in iter_numbers(sc) if n.name.startswith(tuple(f"events.{e}.probability"
                                                                                for e in risk.when))]
            nums = [n for n in nums if f".{o}." in n + "." or all(
                dep != "option" for dep in sc.event(n.split(".")[1]).depends_on)] or nums
            from .strategic import actor_parameters
            for e in risk.when:
                ev_ = sc.event(e)
                if ev_.mode == "strategic" and ev_.actor:
                    nums += [model.params.names[i] for i in actor_parameters(model, ev_.actor)]
            b = basis(sc, nums, "the chances of the events it is defined on")
            robust = True
            if mc is not None:
                lo, hi = np.percentile(mc.risk[:, oi, k], [5, 95])
                robust = likelihood_word(float(lo), sc) == likelihood_word(float(hi), sc)
            who = "the best course" if o == top else "the strongest alternative"
            key.append(Judgment(f"Its largest risk, {nm('risk', rid)}, is {say(pr, sc)}." if o == top else
                                f"Under {nm.option(o)}, {who}, the largest risk, {nm('risk', rid)}, is {say(pr, sc)}.", likelihood_word(pr, sc), pr, _confidence(b, robust),
                                b.text))

    if credibility is None and model.actors:
        from .strategic import credibility as _cred
        try:
            credibility = _cred(model)
        except ValueError:
            credibility = None
    if credibility is not None:
        done = set()
        for v in credibility.verdicts:
            if v.actor in done or v.verdict == "not assessed" or len(done) >= 2 or len(key) >= 6:
                continue
            vs = [x for x in credibility.verdicts if x.signal == v.signal and x.table_probability is not None]
            if not vs:
                continue
            w = max(vs, key=lambda x: x.table_probability)
            verdicts = {x.verdict for x in vs}
            done.add(v.actor)
            from .strategic import actor_parameters
            nums = [model.params.names[i] for i in actor_parameters(model, v.actor)]
            nums.append(f"actors.{v.actor}.signals.{v.signal}.follow_through")
            b = basis(sc, nums, f"{nm.short_actor(v.actor)}'s payoffs and the signal's follow-through")
            p = float(w.table_probability)
            judged = {"credible": "its own payoffs make the signal credible",
                      "not credible": "its own payoffs make the signal not credible",
                      "depends": "the signal's credibility turns on its payoffs within their ranges"}
            verdict_text = (judged[verdicts.pop()] if len(verdicts) == 1 and next(iter(verdicts)) in judged else
                            "its payoffs make the signal credible under some options only")
            key.append(Judgment(f"{nm.short_actor(v.actor)} is {say(p, sc)} to do what it signalled "
                                f"({nm('event', w.event)}: {nm('state', f'{w.event}.{w.announced}')}) under "
                                f"{nm.option(w.option)}; {verdict_text}.",
                                likelihood_word(p, sc), p, _confidence(b, "depends" not in verdicts), b.text))
    notes = ("likelihood words: the file's estimative-probability bands (ICD 203)",
             "confidence: from the basis and robustness by the rules of model.analysis.judgments")
    return Judgments(title=sc.meta.title, question=sc.meta.question or "",
                     decision_maker=nm.actor(sc.meta.decision_maker) if sc.meta.decision_maker else "",
                     options=ranked, names={o: nm.option(o) for o in opts}, best=best, p_best=p_best,
                     n=mc.n if mc is not None else 1, seed=getattr(mc, "seed", seed), agreement=agreement,
                     survives=survives, switches=tuple(switches), ranged=tuple(ranged), indicators=tuple(inds),
                     assumptions=lb, key=tuple(key[:6]), notes=notes, scale=tuple(scale_of(sc)))
