"""Analysis of competing hypotheses (ACH; Heuer, Psychology of Intelligence Analysis, 1999, ch. 8).

The hypotheses are the states of an event with a `hypotheses:` block (usually an actor's hidden
type). Each evidence item of the file is rated against every hypothesis (CC, C, N, I, II) or given
a likelihood P(item | hypothesis). `ach(scenario)` returns the matrix and what is read from it:

- weighted inconsistency (PARC ACH 2.0): per hypothesis, the sum over the rated items of 1 for an
  I and 2 for an II, each times the item's weight = credibility factor x relevance factor, where
  high is sqrt 2, medium 1 and low 1/sqrt 2. Credibility is the item's Admiralty grade (1-2 high,
  3 medium, 4-5 low, 6 or none medium); relevance is the block's `relevance` (default medium).
  ACH refutes rather than confirms: the hypothesis with the least weighted inconsistency is the
  one the evidence argues against least. Consistent ratings add nothing.
- diagnosticity, per item: how far its ratings differ across the hypotheses. A rated item: the
  range of its scores on CC +2, C +1, N 0, I -1, II -2 (0 to 4; 0 means it cannot tell the
  hypotheses apart, however consistent). An item with likelihoods: the largest likelihood over the
  smallest (1 to infinity, infinite when it rules a hypothesis out).
- posterior, when items have likelihoods: P(h | items) = prior(h) x product of P(item | h),
  normalised, over the likelihood items only (ratings are not probabilities). The prior is the
  event's own probability table at its point values when it has one, else the block's
  `base_rates`, else equal; the result says which. `prior: ach` makes the posterior the event's
  probability table (the loader does it, with the same arithmetic, `model.io.hypotheses`).
- ranking: by descending posterior when there is one, else by ascending weighted inconsistency;
  ties keep the file's order.

The figure colours each cell on one scale: a rating by its score (+2 ... -2); a likelihood by
2 + log2(P / the row's largest P), clipped to [-2, +2], so the hypothesis that best explains the
item is +2 and each halving of the likelihood is one step of the rating scale (an item equally
likely under every hypothesis is all +2: consistent with all, diagnostic of none, as an all-C
row). Rows are ordered by the spread of that scale (most diagnostic first; ties in file order).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..io import Scenario
from ..io.hypotheses import (
    INCONSISTENCY,
    RATINGS,
    SCORE,
    ach_events,
    base_rates,
    credibility_grade,
    item_weight,
    posterior,
)
from ..results import Result, Table, table

__all__ = ["RATINGS", "CompetingHypotheses", "ach", "ach_events"]


@dataclass(frozen=True)
class CompetingHypotheses(Result):
    """The ACH matrix of one event and what is read from it; every intermediate kept.

    hypotheses: the event's states, in file order. items: the evidence ids, most diagnostic first.
    kind[item]: 'rating' or 'likelihood'. cells[item][h]: the rating letter or the likelihood.
    shade[item][h]: the cell on the common -2 ... +2 scale (see the module doc). weight[item]: its
    weight in the inconsistency score (None for an item with likelihoods). inconsistency[h], diagnosticity[item], prior[h] (None
    without likelihoods), posterior[h] (None without likelihoods), ranking (best first).
    """

    scenario: str
    event: str
    event_name: str
    hypotheses: tuple[str, ...]
    names: dict[str, str]
    items: tuple[str, ...]
    kind: dict[str, str]
    cells: dict[str, dict[str, Any]]
    shade: dict[str, dict[str, float]]
    weight: dict[str, float | None]
    credibility: dict[str, str]
    relevance: dict[str, str]
    claims: dict[str, str]
    inconsistency: dict[str, float]
    diagnosticity: dict[str, float]
    prior: dict[str, float] | None
    prior_source: str | None
    posterior: dict[str, float] | None
    ranking: tuple[str, ...]
    uses_as_prior: bool
    notes: tuple[str, ...] = field(default=())

    # ------------------------------------------------------------------------------------ tables
    def table(self) -> Table:
        """Hypotheses as rows: weighted inconsistency, prior and posterior (with likelihoods), rank."""
        cols = ["inconsistency"]
        units = [""]
        if self.posterior is not None:
            cols += ["prior", "posterior"]
            units += ["", ""]
        cols.append("rank")
        units.append("")
        rank = {h: k + 1 for k, h in enumerate(self.ranking)}
        rows = []
        for h in self.hypotheses:
            row: list[Any] = [self.inconsistency[h]]
            if self.posterior is not None and self.prior is not None:
                row += [self.prior[h], self.posterior[h]]
            row.append(rank[h])
            rows.append(row)
        return table(f"Competing hypotheses: {self.event_name}", "hypothesis", self.hypotheses, cols, rows,
                     units, self.notes).with_labels({**self.names, "inconsistency": "weighted incon-sistency"})

    def matrix_table(self, labels: dict[str, str] | None = None) -> Table:
        """Evidence items as rows (most diagnostic first), hypotheses as columns: each cell the rating
        or the likelihood; then the item's weight and diagnosticity. `labels`: row labels by item id."""
        cols = [*self.hypotheses, "weight", "diagnosticity"]
        rows = [[*(self.cells[e][h] for h in self.hypotheses), self.weight[e], self.diagnostic_text(e)]
                for e in self.items]
        notes = ["diagnosticity of a rated item: the range of its ratings on CC +2, C +1, N 0, I -1, II -2 (0 to "
                 "4); of an item with likelihoods: its largest P(item | hypothesis) over its smallest (x)",
                 "weight (rated items): credibility x relevance, each high 1.41, medium 1, low 0.71 (PARC ACH)"]
        t = table("Consistency of each item with each hypothesis, most diagnostic first", "evidence", self.items,
                  cols, rows, notes=notes, digits=2)
        # headers hyphenated where the terminal table wraps them (it breaks after '-', never inside a word)
        return t.with_labels({**self.names, "diagnosticity": "diagnos-ticity", **(labels or {})})

    def diagnostic_text(self, item: str) -> str:
        """An item's diagnosticity as words: '3' (a range of ratings), '6x' (a likelihood ratio), or
        'rules one out' (a likelihood of 0 beside one above 0)."""
        d = self.diagnosticity[item]
        if self.kind[item] == "rating":
            return f"{d:g}"
        return "rules one out" if math.isinf(d) else f"{d:.3g}x"

    # ------------------------------------------------------------------------------------ JSON
    def to_dict(self) -> dict[str, Any]:
        """The shape `juncture ach --json` prints: hypotheses, inconsistency, diagnosticity (most
        diagnostic first; null where infinite), posterior (null without likelihoods) and ranking, then
        the matrix, the prior and the notes."""
        return {
            "scenario": self.scenario,
            "event": self.event,
            "hypotheses": list(self.hypotheses),
            "inconsistency": dict(self.inconsistency),
            "diagnosticity": {e: self.diagnosticity[e] for e in self.items},
            "posterior": None if self.posterior is None else dict(self.posterior),
            "ranking": list(self.ranking),
            "matrix": {e: {"kind": self.kind[e], "values": dict(self.cells[e]), "weight": self.weight[e],
                           "credibility": self.credibility[e], "relevance": self.relevance[e]} for e in self.items},
            "prior": None if self.prior is None else dict(self.prior),
            "prior_source": self.prior_source,
            "used_as_prior": self.uses_as_prior,
            "notes": list(self.notes),
        }


# ------------------------------------------------------------------------------------------ analysis
def ach(scenario: Any, event: str | None = None) -> CompetingHypotheses:
    """The ACH of `event` (an event id with `hypotheses:`; None: the file's only one) in `scenario`
    (a Scenario, or anything with a `.scenario`, such as a compiled model)."""
    sc: Scenario = getattr(scenario, "scenario", scenario)
    found = ach_events(sc)
    if not found:
        raise ValueError("no event of this file has 'hypotheses:' (analysis of competing hypotheses): give them to "
                         "an actor's hidden type (kind: type)")
    if event is None:
        if len(found) > 1:
            raise ValueError(f"several events have hypotheses ({', '.join(e.id for e in found)}): name one")
        ev = found[0]
    else:
        ev = next((e for e in found if e.id == event), None)
        if ev is None:
            raise ValueError(f"event '{event}' has no hypotheses; these do: {', '.join(e.id for e in found)}")
    h = ev.hypotheses
    if h is None:  # pragma: no cover - ach_events keeps only events with hypotheses
        raise ValueError(f"event '{ev.id}' has no hypotheses")
    hyps = tuple(ev.states)
    names = {s: (st.name or s.replace("_", " ")) for s, st in ev.states.items()}
    by_id = {e.id: e for e in sc.evidence}
    order = [x.id for x in sc.evidence]
    items = [e for e in order if e in h.ratings or e in h.likelihood]  # file order of the evidence list

    kind, cells, shade, weight, cred, rel, diag, spread = {}, {}, {}, {}, {}, {}, {}, {}
    for e in items:
        cred[e] = credibility_grade(by_id.get(e))
        rel[e] = h.relevance.get(e, "medium")
        if e in h.ratings:
            weight[e] = item_weight(by_id.get(e), rel[e])
            kind[e] = "rating"
            cells[e] = {s: h.ratings[e][s] for s in hyps}
            shade[e] = {s: float(SCORE[cells[e][s]]) for s in hyps}
            diag[e] = float(max(shade[e].values()) - min(shade[e].values()))
        else:
            kind[e] = "likelihood"
            weight[e] = None  # Bayes' rule weighs a likelihood by itself
            row = {s: float(h.likelihood[e][s]) for s in hyps}
            cells[e] = row
            top, low = max(row.values()), min(row.values())
            shade[e] = {s: (max(-2.0, 2.0 + math.log2(v / top)) if v > 0 else -2.0) for s, v in row.items()}
            diag[e] = math.inf if low == 0 else top / low
        spread[e] = max(shade[e].values()) - min(shade[e].values())
    items.sort(key=lambda e: -spread[e])   # stable: ties keep the file's order

    inconsistency = {s: math.fsum(weight[e] * INCONSISTENCY.get(cells[e][s], 0.0)
                                  for e in items if kind[e] == "rating") for s in hyps}
    post = posterior(ev)
    prior, source = base_rates(ev) if h.likelihood else (None, None)
    if post is not None:
        ranking = sorted(hyps, key=lambda s: (-post[s], inconsistency[s]))
    else:
        ranking = sorted(hyps, key=lambda s: inconsistency[s])

    n_r = sum(1 for e in items if kind[e] == "rating")
    n_l = len(items) - n_r
    notes = [f"weighted inconsistency: an I counts 1 and an II 2, times the item's weight, over the {n_r} rated "
             "item(s); lower is better: ACH keeps the hypothesis with the least evidence against it"]
    if post is not None:
        notes.append(f"posterior: prior ({source}) x P(item | hypothesis) of the {n_l} item(s) with likelihoods, "
                     "normalised" + (f"; the {n_r} rated item(s) are not probabilities and do not enter it"
                                     if n_r else ""))
        notes.append("ranking by posterior (the inconsistency score breaks ties)")
        if ev.prior == "ach":
            notes.append(f"the tree uses this posterior as the probabilities of {ev.name or ev.id} (prior: ach)")
    else:
        notes.append("no item has likelihoods: no posterior; the ranking is by weighted inconsistency")
    return CompetingHypotheses(
        scenario=sc.meta.id, event=ev.id, event_name=ev.name or ev.id.replace("_", " "), hypotheses=hyps,
        names=names, items=tuple(items), kind=kind, cells=cells, shade=shade, weight=weight, credibility=cred,
        relevance=rel, claims={e: by_id[e].claim for e in items}, inconsistency=inconsistency,
        diagnosticity=diag, prior=prior, prior_source=source, posterior=post, ranking=tuple(ranking),
        uses_as_prior=ev.prior == "ach", notes=tuple(notes))

