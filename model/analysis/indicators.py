"""Indicators: what seeing (or not seeing) a signpost says about an event, and which to watch.

Bayes' rule on one event's probability table. An indicator gives P(seen | state) for every
state of the event it is `about` (or, for a two-state event, the likelihood ratio
P(seen | first) / P(seen | second)). Observing it seen multiplies each state's probability by
P(seen | state), not seen by 1 - P(seen | state); the row is then normalised. Several
observations of indicators about the same event are taken as independent given its state and
multiply. An event whose table has rows per option has each row updated alike.

Ranges. A likelihood written as a range (or a word, or a distribution: its 5th and 95th
percentiles) gives the posterior's interval: each state's posterior is smallest when its own
likelihood is at its low end and the others' at their high ends, and largest the other way
round. The prior is taken at its point values.

What is solved. An indicator about a chance event whose table depends on nothing or on the
option only. An event that depends on other events (seeing the indicator would also move those
events' tables, and with two of them could couple them), an actor's strategic choice (it has no
table to update), and "not seen" for an indicator given only by a likelihood ratio (the ratio
says nothing about not seeing it) are refused with a message.

The watch-list ranks indicators by the expected value of observing them (pre-posterior
analysis): EVO = P(seen) x (best expected value once seen) + P(not seen) x (best expected
value once not seen) - (best expected value now); under exponential utility the expectation over
the observation is a certainty equivalent, so EVO is the most one would pay to observe, in the
value's units (as `juncture voi` reports EVPI). It is zero unless some observation would
change the preferred option. It needs P(seen) before the decision, so only indicators about
events that do not depend on the option are ranked (an actor's type, a state of the world).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from ..compile import Model
from ..evaluate import Evaluation, evaluate, lottery_ce
from ..io.errors import did_you_mean
from ..results import Result, Table, table

__all__ = [
    "OutsideSolved",
    "RowUpdate",
    "Update",
    "WatchList",
    "default_output",
    "likelihoods",
    "posterior",
    "updated_text",
    "watch_list",
]


class OutsideSolved(ValueError):
    """An observation or indicator this module does not know how to turn into a posterior."""


# ---------------------------------------------------------------------------------- likelihoods
def _indicator(model: Model, iid: str) -> Any:
    inds = {i.id: i for i in model.scenario.indicators}
    if iid not in inds:
        raise ValueError(f"no indicator '{iid}' in the scenario{did_you_mean(iid, inds)} "
                         f"(indicators: {', '.join(inds) or 'none'})")
    return inds[iid]


def likelihoods(model: Model, iid: str, seen: bool = True) -> tuple[tuple[str, ...], np.ndarray, np.ndarray, np.ndarray]:
    """(states of its event, factor at the point values, low, high): the factor each state's
    probability is multiplied by when the indicator is `seen` (P(seen | state)) or not
    (1 - P(seen | state)). With a likelihood ratio, the factors are (ratio, 1) and only `seen`
    can be used."""
    ind = _indicator(model, iid)
    ev = model.scenario.event(ind.about)
    states = tuple(ev.states)
    p = model.params
    if ind.likelihood:
        idx = [p.index(f"indicators.{iid}.likelihood.{s}") for s in states]
        pt, lo, hi = (np.clip(a[idx], 0.0, 1.0) for a in (p.point, p.low, p.high))
        if seen:
            return states, pt, lo, hi
        return states, 1.0 - pt, 1.0 - hi, 1.0 - lo
    if not seen:
        raise OutsideSolved(f"indicator '{iid}' gives a likelihood ratio only: it says how much seeing it moves "
                            "the odds, not how much not seeing it does; give `likelihood` (P(seen | state)) to "
                            "use it unseen")
    i = p.index(f"indicators.{iid}.likelihood_ratio")
    one = np.ones(1)
    return states, np.r_[p.point[i], one], np.r_[max(p.low[i], 0.0), one], np.r_[max(p.high[i], 0.0), one]


def _check_event(model: Model, eid: str, iid: str) -> Any:
    ev = model.scenario.event(eid)
    if ev.mode == "strategic":
        raise OutsideSolved(f"indicator '{iid}' is about '{eid}', an actor's strategic choice: it has no "
                            "probability table to update")
    deps = [d for d in ev.depends_on if d != "option"]
    if deps:
        raise OutsideSolved(f"indicator '{iid}' is about '{eid}', which depends on {', '.join(deps)}: seeing it "
                            "would also move those events' tables; updating such chains is outside what "
                            "`update` solves (point the indicator at the upstream event instead)")
    return ev


# ---------------------------------------------------------------------------------- posterior
@dataclass(frozen=True)
class RowUpdate:
    """One probability row of an event before and after the observations."""

    event: str
    conditions: tuple[str, ...]
    path: tuple
    states: tuple[str, ...]
    prior: tuple[float, ...]
    posterior: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]
    kinds: tuple[str, ...]            # the number form of each entry as written ('' when left out)

    @property
    def name(self) -> str:
        return ".".join(("events", self.event, "probability") + self.conditions)


@dataclass(frozen=True)
class Update(Result):
    """Posterior probabilities after some observations, and the comparison before and after.

    table(): the posterior probabilities; `comparison()`: the options before and after (both are
    printed and shown in a notebook)."""

    observed: dict[str, bool]
    rows: tuple[RowUpdate, ...]
    theta: np.ndarray                 # the point vector with the posterior probabilities
    before: Evaluation
    after: Evaluation
    notes: tuple[str, ...] = ()

    def to_table(self) -> Table:
        """The same as `table()` (the name it had first)."""
        return self.table()

    def table(self) -> Table:
        rows, vals = [], []
        for r in self.rows:
            for k, s in enumerate(r.states):
                rows.append(f"{r.name}.{s}")
                vals.append([r.prior[k], r.posterior[k], r.low[k], r.high[k]])
        obs = ", ".join(f"{k} {'seen' if v else 'not seen'}" for k, v in self.observed.items())
        return table("Posterior probabilities", "probability", rows, ["prior", "posterior", "low", "high"], vals,
                     notes=[f"observed: {obs}",
                            ("low/high: the posterior's interval over the likelihoods' ranges (prior at its "
                             "point values)"), *self.notes], digits=4)

    def comparison(self) -> Table:
        m = self.before.model
        b, a = self.before, self.after
        vals = [[float(b.utility[0, i]), float(a.utility[0, i]), float(a.utility[0, i] - b.utility[0, i]),
                 bool(b.best[0, i]), bool(a.best[0, i])] for i in range(len(m.options))]
        order = np.argsort(-a.preference[0], kind="stable")
        return table("Options before and after the observations", "option", [m.options[i] for i in order],
                     ["expected utility before", "after", "change", "best before", "best after"],
                     [vals[i] for i in order],
                     notes=["risk-neutral: expected utility = expected value" if m.risk_tolerance is None
                            else f"exponential utility, R = {m.risk_tolerance:g}"])

    def _repr_html_(self) -> str:
        return self.table()._repr_html_() + self.comparison()._repr_html_()

    def __str__(self) -> str:
        return f"{self.table().to_text()}\n\n{self.comparison().to_text()}"

    def to_dict(self) -> dict[str, Any]:
        m = self.before.model
        return {
            "observed": dict(self.observed),
            "posterior": {f"{r.name}.{s}": {"prior": r.prior[k], "posterior": r.posterior[k], "low": r.low[k],
                                            "high": r.high[k]}
                          for r in self.rows for k, s in enumerate(r.states)},
            "best_option_before": self.before.best_options(),
            "best_option_after": self.after.best_options(),
            "expected_utility_before": {o: float(self.before.utility[0, i]) for i, o in enumerate(m.options)},
            "expected_utility_after": {o: float(self.after.utility[0, i]) for i, o in enumerate(m.options)},
            "notes": list(self.notes),
        }


def _row_prior(row: Any, states: tuple[str, ...]) -> tuple[np.ndarray, tuple[str, ...]]:
    vals, kinds = [], []
    for s in states:
        n = row.probabilities.get(s)
        vals.append(0.0 if n is None else max(float(n.point), 0.0))
        kinds.append("" if n is None else n.kind)
    v = np.array(vals)
    total = v.sum()
    return (v / total if total > 0 else np.full(len(v), 1.0 / len(v))), tuple(kinds)


def posterior(model: Model, observed: Mapping[str, bool], theta: np.ndarray | None = None) -> Update:
    """The event tables updated by Bayes' rule on the observed indicators (id -> seen), and the
    comparison of the options before and after (at the point values, or `theta`)."""
    if not observed:
        raise ValueError("posterior(): observe at least one indicator")
    base = model.params.point.copy() if theta is None else np.asarray(theta, dtype=float).ravel().copy()
    by_event: dict[str, list[tuple[str, bool]]] = {}
    for iid, seen in observed.items():
        ind = _indicator(model, iid)
        _check_event(model, ind.about, iid)
        by_event.setdefault(ind.about, []).append((iid, bool(seen)))
    rows: list[RowUpdate] = []
    new = base.copy()
    set_by: dict[int, tuple[float, str]] = {}
    notes = []
    for eid, obs in by_event.items():
        ev = model.scenario.event(eid)
        states = tuple(ev.states)
        f_pt, f_lo, f_hi = np.ones(len(states)), np.ones(len(states)), np.ones(len(states))
        for iid, seen in obs:
            _, pt, lo, hi = likelihoods(model, iid, seen)
            f_pt, f_lo, f_hi = f_pt * pt, f_lo * lo, f_hi * hi
        for row in ev.probability:
            prior, kinds = _row_prior(row, states)
            joint = prior * f_pt
            if joint.sum() <= 0:
                what = ", ".join(f"{i} {'seen' if s else 'not seen'}" for i, s in obs)
                raise ValueError(f"{what}: impossible under every state of '{eid}' with nonzero probability "
                                 f"(row {'.'.join(row.conditions) or 'the only row'}): no posterior")
            post = joint / joint.sum()
            low, high = np.empty_like(post), np.empty_like(post)
            for k in range(len(states)):
                others = np.arange(len(states)) != k
                a = prior[k] * f_lo[k]
                b = prior[k] * f_hi[k]
                low[k] = a / (a + (prior[others] * f_hi[others]).sum()) if a > 0 else 0.0
                high[k] = b / (b + (prior[others] * f_lo[others]).sum()) if b > 0 else 0.0
            rows.append(RowUpdate(eid, row.conditions, row.path, states, tuple(prior.tolist()),
                                  tuple(post.tolist()), tuple(low.tolist()), tuple(high.tolist()), kinds))
            for k, s in enumerate(states):
                if kinds[k] in ("", "otherwise"):
                    continue    # left out (0 stays 0) or the rest of the row (follows the others)
                name = ".".join(("events", eid, "probability") + row.conditions + (s,))
                i = model.params.index(name)
                if i in set_by and abs(set_by[i][0] - post[k]) > 1e-12:
                    raise OutsideSolved(f"{name} is the same YAML number as {set_by[i][1]} (an alias) but their "
                                        f"posteriors differ ({post[k]:.4g} and {set_by[i][0]:.4g}): write them apart")
                set_by[i] = (float(post[k]), name)
                new[i] = post[k]
    before = evaluate(model, base, keep_nodes=True)
    after = evaluate(model, new, keep_nodes=True)
    if before.best_options() != after.best_options():
        notes.append(f"the preferred option changes: {', '.join(before.best_options())} -> "
                     f"{', '.join(after.best_options())}")
    return Update(dict(observed), tuple(rows), new, before, after, tuple(notes))


# ---------------------------------------------------------------------------------- watch-list
@dataclass(frozen=True)
class WatchList(Result):
    """Indicators ranked by the expected value of observing them (pre-posterior analysis)."""

    indicators: tuple[str, ...]       # ranked: highest EVO first, then those not ranked
    evo: tuple[float | None, ...]
    p_seen: tuple[float | None, ...]
    best_now: tuple[str, ...]
    best_if_seen: tuple[tuple[str, ...] | None, ...]
    best_if_not_seen: tuple[tuple[str, ...] | None, ...]
    reasons: tuple[str, ...]
    unit: str
    shift_if_seen: tuple[float | None, ...] = ()      # best EU once seen - best EU now
    shift_if_not_seen: tuple[float | None, ...] = ()
    movement: tuple[float | None, ...] = ()           # expected |shift|: the tie-breaker of the ranking

    def to_table(self) -> Table:
        """The same as `table()` (the name it had first)."""
        return self.table()

    def table(self) -> Table:
        vals = [[e, p, " = ".join(s) if s else None, " = ".join(n) if n else None, a, b, r]
                for e, p, s, n, a, b, r in zip(self.evo, self.p_seen, self.best_if_seen, self.best_if_not_seen,
                                               self.shift_if_seen, self.shift_if_not_seen, self.reasons)]
        return table("Watch-list: indicators by the expected value of observing them", "indicator", self.indicators,
                     ["EVO", "P(seen)", "best if seen", "best if not seen", "shift if seen", "shift if not seen",
                      "note"], vals,
                     units=[self.unit, "", "", "", self.unit, self.unit, ""],
                     notes=[f"best now: {', '.join(self.best_now)}",
                            ("EVO = P(seen) best value if seen + P(not seen) best value if not seen - best "
                             "value now (under exponential utility, certainty equivalents: what observing is "
                             "worth); zero unless an observation would change the preferred option"),
                            ("shift: how far the best option's value moves once the indicator is seen "
                             "(or looked for and not seen); indicators of equal EVO are ranked by the expected "
                             "size of that move")], digits=4)

    def to_dict(self) -> dict[str, Any]:
        return {"best_now": list(self.best_now), "unit": self.unit, "ranking": [
            {"indicator": i, "evo": e, "p_seen": p, "best_if_seen": list(s) if s else None,
             "best_if_not_seen": list(n) if n else None, "shift_if_seen": a, "shift_if_not_seen": b,
             "note": r or None}
            for i, e, p, s, n, a, b, r in zip(self.indicators, self.evo, self.p_seen, self.best_if_seen,
                                              self.best_if_not_seen, self.shift_if_seen, self.shift_if_not_seen,
                                              self.reasons)]}


def watch_list(model: Model, theta: np.ndarray | None = None) -> WatchList:
    """Rank the scenario's indicators by the expected value of observing them."""
    base = model.params.point.copy() if theta is None else np.asarray(theta, dtype=float).ravel().copy()
    now = evaluate(model, base)
    # on certainty equivalents (value units, larger better): the most one would pay for the
    # observation, and no saturation of utilities far above the risk tolerance
    r = model.risk_tolerance
    u0 = float(now.preference[0].max())
    unit = (f"value ({model.scenario.criteria[0].unit or model.criteria[0]})" if model.raw_value
            and model.scenario.criteria else "value 0-1")
    if r is not None:
        unit = f"certainty equivalent, {unit}"
    recs = []
    for ind in model.scenario.indicators:
        ev = model.scenario.event(ind.about)
        reason = ""
        if ev.depends_on:
            reason = (f"'{ev.id}' depends on {', '.join(ev.depends_on)}: P(seen) before the decision is not "
                      "defined; not ranked")
        elif ev.mode == "strategic":
            reason = f"'{ev.id}' is an actor's choice; not ranked"
        elif not ind.likelihood:
            reason = "a likelihood ratio gives no P(seen): give `likelihood` to rank it"
        if reason:
            recs.append((ind.id, None, None, None, None, reason, None, None, None))
            continue
        states, lik, _, _ = likelihoods(model, ind.id, True)
        prior, _ = _row_prior(ev.probability[0], states)
        p_seen = float((prior * lik).sum())
        thetas, probs, bests = [], [], []
        for seen, p in ((True, p_seen), (False, 1.0 - p_seen)):
            if p <= 1e-15:
                bests.append(None)
                continue
            thetas.append(posterior(model, {ind.id: seen}, base).theta)
            probs.append(p)
            bests.append(True)
        ev_after = evaluate(model, np.array(thetas))
        best_after = ev_after.preference.max(axis=1)
        value = lottery_ce(best_after, np.array(probs), r)
        evo = value - u0
        if abs(evo) <= 1e-12 * max(1.0, abs(u0)):
            evo = 0.0   # rounding: observing it changes no choice
        it = iter(range(len(thetas)))
        outs, shifts = [], []
        for b in bests:
            j = next(it) if b else None
            outs.append(tuple(ev_after.best_options(j)) if b else None)
            shifts.append(float(best_after[j]) - u0 if b else None)
        movement = sum(p * abs(x) for p, x in zip((p_seen, 1.0 - p_seen), shifts) if x is not None)
        recs.append((ind.id, evo, p_seen, outs[0], outs[1], "", shifts[0], shifts[1], movement))
    ranked = sorted(recs, key=lambda r: (r[1] is None, -(r[1] or 0.0), -(r[8] or 0.0)))
    col = list(zip(*ranked)) if ranked else [()] * 9
    return WatchList(tuple(col[0]), tuple(col[1]), tuple(col[2]), tuple(now.best_options()), tuple(col[3]),
                     tuple(col[4]), tuple(col[5]), unit, tuple(col[6]), tuple(col[7]), tuple(col[8]))


# ---------------------------------------------------------------------------------- the new file
def default_output(path: str | Path) -> Path:
    """Where `update` writes by default: beside the input, '<name>.updated.yaml'."""
    p = Path(path)
    return p.with_name(f"{p.stem}.updated{p.suffix or '.yaml'}")


def _fmt(x: float) -> str:
    s = f"{x:.8f}".rstrip("0").rstrip(".")
    return s if s not in ("", "-0") else "0"


def _number_text(point: float, low: float, high: float, exact: str | None = None) -> str:
    p = exact if exact is not None else _fmt(point)
    if high - low > 1e-9:
        return f"{{value: [{_fmt(low)}, {_fmt(high)}], point: {p}}}"
    return p


_ANCHOR = re.compile(r"^(?:[&!][^\s]*\s+)+")


def _node_at(root: Any, path: tuple) -> Any:
    import yaml

    node = root
    for key in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == key:
                    node = v
                    break
            else:
                raise KeyError(path)
        elif isinstance(node, yaml.SequenceNode):
            node = node.value[int(key)]
        else:
            raise KeyError(path)
    return node


def updated_text(text: str, upd: Update, source_file: str, date: str | None = None) -> str:
    """The scenario text with the updated probabilities written in place (the rest of the file,
    comments and layout included, unchanged) and a `history:` entry appended."""
    import yaml

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    edits: dict[tuple[int, int], str] = {}
    for r in upd.rows:
        if tuple(r.path)[-1:] == ("prior",):  # the loader set this table from the event's hypotheses
            raise OutsideSolved(f"the probabilities of '{r.event}' are the posterior of its hypotheses (prior: ach), "
                                "not a table written in the file: add what was seen as evidence with a likelihood "
                                "row in its hypotheses instead")
        written = [k for k, kind in enumerate(r.kinds) if kind not in ("", "otherwise")]
        has_rest = "otherwise" in r.kinds
        exact: dict[int, str] = {}
        if not has_rest and written:
            # the largest entry takes exactly what the others leave, so the row sums to 1 as written
            big = max(written, key=lambda k: r.posterior[k])
            rest = Decimal(1) - sum((Decimal(_fmt(r.posterior[k])) for k in written if k != big), Decimal(0))
            exact[big] = format(rest.normalize(), "f") if rest != 0 else "0"
        for k in written:
            node = _node_at(root, tuple(r.path) + (r.states[k],))
            start, end = node.start_mark.index, node.end_mark.index
            m = _ANCHOR.match(text[start:end])
            if m:
                start += m.end()
            new = _number_text(r.posterior[k], r.low[k], r.high[k], exact.get(k))
            if (start, end) in edits and edits[(start, end)] != new:
                raise OutsideSolved(f"{r.name}.{r.states[k]} is written once and used again through a YAML alias "
                                    "with another posterior: write the rows apart")
            edits[(start, end)] = new
    out = text
    for (start, end), new in sorted(edits.items(), reverse=True):
        out = out[:start] + new + out[end:]
    return _append_history(out, upd, source_file, date)


def _append_history(text: str, upd: Update, source_file: str, date: str | None) -> str:
    import yaml

    date = date or _dt.date.today().isoformat()
    seen = ", ".join(f"{k} {'seen' if v else 'not seen'}" for k, v in upd.observed.items())
    moved = "; ".join(
        f"{r.name}: " + ", ".join(f"{s} {r.prior[k]:.3g} -> {r.posterior[k]:.3g}" for k, s in enumerate(r.states))
        for r in upd.rows)
    best = (f"best option {', '.join(upd.before.best_options())} -> {', '.join(upd.after.best_options())}")
    note = f"Bayes update by juncture update: {seen}. {moved}. {best}."
    observed = ", ".join(f"{k}: {'true' if v else 'false'}" for k, v in upd.observed.items())
    entry = (f"{{date: {json.dumps(date)}, note: {json.dumps(note, ensure_ascii=False)}, observed: {{{observed}}}, "
             f"source_file: {json.dumps(source_file, ensure_ascii=False)}}}")
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    hist = None
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if k.value == "history":
                hist = v
    if hist is None or (isinstance(hist, yaml.ScalarNode) and hist.value in ("", "~", "null")):
        if hist is not None:  # `history:` with nothing after it
            line_end = text.find("\n", hist.start_mark.index)
            line_end = len(text) if line_end < 0 else line_end
            return text[:line_end] + f"\n  - {entry}" + text[line_end:]
        sep = "" if text.endswith("\n") else "\n"
        return f"{text}{sep}\n# Changes made by tools (juncture update), newest last.\nhistory:\n  - {entry}\n"
    if not isinstance(hist, yaml.SequenceNode):
        raise OutsideSolved("`history:` is not a list: cannot log the update")
    if hist.flow_style:
        close = text.rindex("]", hist.start_mark.index, hist.end_mark.index)
        return text[:close] + (", " if hist.value else "") + entry + text[close:]
    last = hist.value[-1]
    indent = " " * max(last.start_mark.column - 2, 0)
    at = last.end_mark.index
    return text[:at] + f"\n{indent}- {entry}" + text[at:]
