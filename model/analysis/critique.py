"""Model critique: where the model's structure, not the world, decides the answer.

`critique(model)` reads the results of the other analyses (a point evaluation, Monte Carlo,
tornado, thresholds, value of information, Pareto dominance) and the file itself, and returns
findings, each with a code, a severity, the place in the file it concerns (FILE:LINE:COL) and a
sentence in the analyst's words (names where the file gives them), with the number behind it:

- range-exceeded-by-samples: the share of Monte Carlo draws in which some outcome that can
  happen leaves a criterion's stated range (error from RANGE_ERROR_SHARE of the draws on);
- implied-tradeoff: for each pair of criteria, how much of one the weights and ranges make
  worth one unit of the other (at the midpoint of the range where a value function is curved);
- criteria-overlap: two criteria whose consequences move together across the outcomes that can
  happen (correlation above OVERLAP_THRESHOLD, each criterion signed so that more is better):
  one concern counted twice;
- load-bearing-mismatch: an assumption flagged `load_bearing` whose numbers move no ranking, or
  one not flagged whose numbers do;
- weight-switch: the smallest change of one criterion's weight that changes the best option;
- no-value-of-information: nothing that could be learnt before choosing is worth anything;
- unused-actor, unused-evidence, unused-assumption: parts of the file nothing uses;
- dominated-option: an option another beats on every criterion;
- single-benefit-criterion: only one criterion on which any option does better than the
  no-action option;
- threshold-without-range: the best option changes at a value of a number the file fixes exactly.

Nothing is re-implemented: rollback, sampling, tornado, thresholds and EVPI/EVPPI are the
analyses' own public functions.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

import numpy as np

from ..compile import Model
from ..io.scenario import FINDING_CODES
from ..evaluate import (
    TIE_TOLERANCE,
    branch_probabilities,
    leaf_consequences,
    node_probability,
    point,
    weights,
)
from ..results import Result, Table, table
from .mcda import pareto
from .montecarlo import MonteCarlo, simulate, value_unit
from .sampling import DEFAULT_SEED
from .names import UNNAMED, Namer
from .sensitivity import describe, thresholds, tornado, used_parameters
from .voi import evpi_events, evpi_parameters, evppi

CODES = FINDING_CODES
"""Every finding's code, as the command prints it."""

SEVERITIES = ("error", "warning", "note")
"""Most serious first: errors make `juncture critique` exit 2."""

DEFAULT_SAMPLES = 4_000
"""Monte Carlo draws for the sampled checks (ranges, EVPI of parameters, EVPPI)."""

OVERLAP_THRESHOLD = 0.8
"""Correlation across outcomes above which two criteria are said to overlap."""

OVERLAP_MIN_OUTCOMES = 5
"""Fewest distinct outcomes a correlation is computed on (with 3 or 4 it says little)."""

RANGE_ERROR_SHARE = 0.05
"""Share of draws leaving a stated range from which that is an error rather than a warning."""

BASELINE = re.compile(r"(status[ _-]?quo|no[ _-]?action|baseline|do[ _-]?nothing|no[ _-]?attack|inaction|"
                      r"^wait$|^hold$|^none$|^refrain$)", re.IGNORECASE)
"""How the no-action option is recognised, by its id or name."""

_CHUNK = 256  # draws per block when leaf consequences are computed for every draw


# ---------------------------------------------------------------------------- the result
@dataclass(frozen=True)
class Finding:
    """One thing the critique says. where: 'FILE:LINE:COL' or None; value: the number behind
    it (its meaning is given per code in the README), or None."""

    code: str
    severity: str
    where: str | None
    message: str
    value: float | None = None
    about: tuple[str, ...] = ()
    """The ids the finding concerns (criteria, options, assumptions, ...): what an answer names."""
    answered_by: str | None = None
    """The assumption whose `answers` cover this finding, if any."""

    def to_dict(self) -> dict[str, Any]:
        v = self.value
        return {"code": self.code, "severity": self.severity, "where": self.where, "message": self.message,
                "value": None if v is None or not math.isfinite(v) else float(v),
                "about": list(self.about), "answered_by": self.answered_by}


@dataclass(frozen=True, eq=False, repr=False)
class Critique(Result):
    """The findings on one scenario, errors first, then warnings, then notes (each in the order
    of the checks). samples/seed: the Monte Carlo draws the sampled checks used (0: none)."""

    scenario: str
    title: str
    findings: tuple[Finding, ...]
    samples: int
    seed: int | None
    notes: tuple[str, ...] = field(default=())

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def unanswered(self) -> tuple[Finding, ...]:
        """The findings no assumption of the file answers."""
        return tuple(f for f in self.findings if f.answered_by is None)

    def counts(self) -> dict[str, int]:
        """Unanswered findings by severity, and how many the file answers ('answered')."""
        c = {s: sum(f.severity == s and f.answered_by is None for f in self.findings) for s in SEVERITIES}
        c["answered"] = sum(f.answered_by is not None for f in self.findings)
        return c

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def table(self) -> Table:
        rows = [str(k + 1) for k in range(len(self.findings))]
        vals = [[f.severity, f.code, f.where or "", f.value, f.message] for f in self.findings]
        return table(f"Model critique: {self.title}", "#", rows, ["severity", "code", "where", "value", "message"],
                     vals, notes=self.notes)

    def to_dict(self) -> dict[str, Any]:
        """The shape `juncture critique --json` prints: {"scenario", "findings": [...]}."""
        return {"scenario": self.scenario, "findings": [f.to_dict() for f in self.findings]}

    def to_text(self, width: int = 100) -> str:
        """The findings as a table no wider than `width`: severity, code, where and value on one
        line, the message wrapped below them."""
        c = self.counts()
        open_ = self.unanswered
        head = (f"Model critique: {self.title} — {len(open_)} finding{'s' if len(open_) != 1 else ''} "
                f"({c['error']} error{'s' if c['error'] != 1 else ''}, {c['warning']} warning"
                f"{'s' if c['warning'] != 1 else ''}, {c['note']} note{'s' if c['note'] != 1 else ''})"
                + (f", {c['answered']} answered in the file" if c["answered"] else ""))
        lines = textwrap.wrap(head, width) + ["=" * min(width, len(head))]
        if not open_:
            lines.append("Nothing to report." if not self.findings else "Every finding is answered in the file.")
        else:
            vals = [_show_value(f.value) for f in open_]
            w_sev = max(len("severity"), *(len(f.severity) for f in open_))
            w_code = max(len("code"), *(len(f.code) for f in open_))
            w_val = max(len("value"), *(len(v) for v in vals))
            w_where = max(5, width - w_sev - w_code - w_val - 6)
            lines.append(f"{'severity':<{w_sev}}  {'code':<{w_code}}  {'where':<{w_where}}  {'value':>{w_val}}".rstrip())
            lines.append(f"{'-' * w_sev}  {'-' * w_code}  {'-' * w_where}  {'-' * w_val}")
            indent = " " * (w_sev + 2)
            for f, v in zip(open_, vals):
                where = f.where or "-"
                if len(where) > w_where:  # a long path: on its own line, the rest below it
                    lines.append(f"{f.severity:<{w_sev}}  {f.code:<{w_code}}  {'':<{w_where}}  {v:>{w_val}}".rstrip())
                    lines.extend(textwrap.wrap(where, width, initial_indent=indent, subsequent_indent=indent,
                                               break_on_hyphens=False))
                else:
                    lines.append(f"{f.severity:<{w_sev}}  {f.code:<{w_code}}  {where:<{w_where}}  {v:>{w_val}}".rstrip())
                lines.extend(textwrap.wrap(f.message, width, initial_indent=indent, subsequent_indent=indent,
                                           break_on_hyphens=False))
        answered: dict[str, list[str]] = {}
        for f in self.findings:
            if f.answered_by is not None:
                answered.setdefault(f.answered_by, []).append(f.code)
        if answered:
            lines.append("")
            lines.append("Answered in the file (the assumption says why the model stands as written):")
            for aid, codes in answered.items():
                counted = ", ".join(f"{codes.count(k)} {k}" for k in dict.fromkeys(codes))
                lines.extend(textwrap.wrap(f"{aid}: {counted}", width, initial_indent="  ", subsequent_indent="    "))
        lines.extend(textwrap.wrap(f"note: {n}", width, subsequent_indent="      ") for n in self.notes)
        return "\n".join(_flatten(lines))

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return self.to_text()


def _flatten(lines: list[Any]) -> Iterator[str]:
    for x in lines:
        if isinstance(x, list):
            yield from x
        else:
            yield x


def _show_value(v: float | None) -> str:
    if v is None or not math.isfinite(v):
        return ""
    if v != 0 and (abs(v) >= 1e5 or abs(v) < 1e-3):
        return f"{v:.3g}"
    return f"{v:.4g}"


# ---------------------------------------------------------------------------- what the checks share
class _Context:
    """The model, its point evaluation and the analyses' results, each computed once on demand."""

    def __init__(self, model: Model, samples: int, seed: int | None, progress: bool | None) -> None:
        self.m = model
        self.sc = model.scenario
        self.samples = samples
        self.seed = seed
        self.progress = progress
        self._cache: dict[str, Any] = {}
        self.used = {int(i) for i in used_parameters(model)}
        self.w = weights(model, model.params.point[None, :])[0]               # [C] normalised

    def get(self, key: str, make: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    # --- results
    @property
    def ev(self) -> Any:
        return self.get("ev", lambda: point(self.m))

    @property
    def mc(self) -> MonteCarlo | None:
        def run() -> MonteCarlo | None:
            if not len(self.m.params.uncertain) or self.samples < 2:
                return None
            return simulate(self.m, self.samples, seed=self.seed, keep_theta=True, progress=self.progress)
        return self.get("mc", run)

    @property
    def tornado(self) -> Any:
        return self.get("tornado", lambda: tornado(self.m, measure="certainty_equivalent"))

    @property
    def thresholds(self) -> Any:
        return self.get("thresholds", lambda: thresholds(self.m))

    @property
    def evppi(self) -> Any:
        return self.get("evppi", lambda: evppi(self.mc) if self.mc is not None else None)

    @property
    def leaves(self) -> tuple[np.ndarray, np.ndarray]:
        """(consequences [L, C] of the leaves that can happen at the point values, their leaf ids)."""
        def make() -> tuple[np.ndarray, np.ndarray]:
            th = self.m.params.point[None, :]
            x = leaf_consequences(self.m, th)[0]
            ok = _possible(self.m, th)[0]
            return x[ok], self.m.tree.leaves[ok]
        return self.get("leaves", make)

    # --- words and places
    def where(self, path: tuple | None) -> str | None:
        if path is None or self.sc.document is None:
            return None
        line, col = self.sc.document.at(path)
        return f"{self.sc.file}:{line}:{col}"

    def crit_name(self, j: int) -> str:
        cs = self.sc.criteria
        return (cs[j].name or cs[j].id) if j < len(cs) else self.m.criteria[j]

    def crit_path(self, j: int, key: str | None = None) -> tuple | None:
        if j >= len(self.sc.criteria):
            return None
        return ("criteria", j) + ((key,) if key else ())

    def unit(self, j: int) -> str:
        """A criterion's unit as a short word for a sentence ('index 0-10 (...)' -> 'points')."""
        cs = self.sc.criteria
        u = (cs[j].unit or "") if j < len(cs) else ""
        u = u.split("(")[0].split(",")[0].strip()
        return u or "its unit"

    def opt_name(self, o: int | str) -> str:
        oid = self.m.options[o] if isinstance(o, (int, np.integer)) else o
        if self.sc.tree is None:
            opt = next((x for x in self.sc.options if x.id == oid), None)
            if opt is not None and opt.name:
                return opt.name
        return oid

    def opt_path(self, o: int) -> tuple:
        return ("tree", "options", self.m.options[o]) if self.sc.tree is not None else ("options", o)

    @property
    def namer(self) -> Namer:
        """The file's names for what it holds (one `names.Namer` per critique)."""
        return self.get("namer", lambda: Namer(self.sc))

    def phrase(self, name: str) -> str:
        """A parameter in the analyst's words, with names where the file gives them."""
        return _phrase(self, name)

    def param_path(self, i: int) -> tuple:
        return self.m.params.refs[i].path


def _possible(model: Model, theta: np.ndarray) -> np.ndarray:
    """[S, L]: True for the leaves that can happen in each row (no chance branch of probability 0
    on the way; decisions, the decision maker's or another actor's, rule no leaf out)."""
    t = model.tree
    reach = node_probability(model, branch_probabilities(model, theta))  # a state a row leaves out: 0
    for start, stop in t.levels[1:]:
        reach[:, start:stop] *= reach[:, t.parent[start:stop]]
    return reach[:, t.leaves] > 0


def _phrase(ctx: _Context, name: str) -> str:
    """A parameter path in words with the file's names (`names.Namer.phrase`, as the judgments
    say it); the compact phrase of `sensitivity.describe` where it has none."""
    words = ctx.namer.phrase(name)
    return words if words != UNNAMED else describe(ctx.m, name)


# ---------------------------------------------------------------------------- the checks
def _range_exceeded(ctx: _Context) -> list[Finding]:
    m, sc = ctx.m, ctx.sc
    stated = [(j, c) for j, c in enumerate(sc.criteria) if c.range is not None]
    mc = ctx.mc
    if not stated or mc is None or mc.theta is None:
        return []
    n = mc.n
    lo = np.array([c.range[0] for _, c in stated])
    hi = np.array([c.range[1] for _, c in stated])
    cols = np.array([j for j, _ in stated])
    tol = 1e-9 * np.maximum(1.0, np.maximum(np.abs(lo), np.abs(hi)))
    out = np.zeros((n, len(stated)), dtype=bool)
    top = np.full(len(stated), -np.inf)
    bottom = np.full(len(stated), np.inf)
    top_at: list[tuple[int, int] | None] = [None] * len(stated)
    bottom_at: list[tuple[int, int] | None] = [None] * len(stated)
    for s in range(0, n, _CHUNK):
        th = mc.theta[s:s + _CHUNK]
        x = leaf_consequences(m, th)[:, :, cols]                       # [b, L, K]
        ok = _possible(m, th)[:, :, None]
        above = ok & (x > hi + tol)
        below = ok & (x < lo - tol)
        out[s:s + len(th)] = (above | below).any(axis=1)
        xa = np.where(ok, x, -np.inf)
        xb = np.where(ok, x, np.inf)
        for k in range(len(stated)):
            a = int(np.argmax(xa[:, :, k]))
            if xa[:, :, k].flat[a] > top[k]:
                top[k] = xa[:, :, k].flat[a]
                top_at[k] = divmod(a, x.shape[1])
            b = int(np.argmin(xb[:, :, k]))
            if xb[:, :, k].flat[b] < bottom[k]:
                bottom[k] = xb[:, :, k].flat[b]
                bottom_at[k] = divmod(b, x.shape[1])
    found = []
    for k, (j, c) in enumerate(stated):
        share = float(out[:, k].mean())
        if share <= 0:
            continue
        bits = []
        if top[k] > hi[k] + tol[k]:
            bits.append(f"up to {top[k]:.4g}" + _leaf_words(ctx, top_at[k]))
        if bottom[k] < lo[k] - tol[k]:
            bits.append(f"down to {bottom[k]:.4g}" + _leaf_words(ctx, bottom_at[k]))
        sev = "error" if share >= RANGE_ERROR_SHARE else "warning"
        found.append(Finding(
            "range-exceeded-by-samples", sev, ctx.where(ctx.crit_path(j, "range")),
            f"In {100 * share:.3g}% of the {n:,} draws some outcome that can happen puts {ctx.crit_name(j)} outside "
            f"its range [{lo[k]:g}, {hi[k]:g}] ({'; '.join(bits)}): those outcomes score below 0 or above 1, so this "
            f"criterion counts for more than its weight says. Widen the range to what the numbers' ranges allow, or "
            f"narrow the numbers{'' if sev == 'warning' else f' (an error from {100 * RANGE_ERROR_SHARE:g}% of draws)'}.",
            share, about=(c.id,)))
    return found


def _leaf_words(ctx: _Context, at: tuple[int, int] | None) -> str:
    """', under OPTION with EVENT: STATE, ...' for a leaf (the states that pay on the criterion
    are not singled out: the whole path is named)."""
    if at is None:
        return ""
    t = ctx.m.tree
    node = int(t.leaves[at[1]])
    path = t.path(node)
    if not path:
        return ""
    opt = ctx.opt_name(path[0])
    if ctx.sc.tree is not None:
        return f", on the path {' -> '.join(path)}"
    rest = []
    n = node
    names = []
    while n > 0:
        names.append(n)
        n = int(t.parent[n])
    for nd in reversed(names[:-1]):  # below the option
        st = int(t.state[nd])
        if st >= 0:
            ev, s = ctx.m.states[st]
            rest.append(f"{ctx.namer('event', ev)}: {ctx.namer('state', f'{ev}.{s}')}")
    return f", under {opt}" + (f" with {', '.join(rest)}" if rest else "")


def _slopes(ctx: _Context) -> np.ndarray:
    """[C] value score per unit of each criterion at the midpoint of its scale (the value
    function's slope there; 1/span when linear)."""
    m = ctx.m
    lo, hi = m.ranges[:, 0], m.ranges[:, 1]
    out = np.zeros(len(m.criteria))
    for j, kind in enumerate(m.value_kind):
        span = hi[j] - lo[j]
        if span <= 0:
            continue
        if kind == "linear":
            out[j] = 1.0 / span
        elif kind == "exponential":
            a = abs(float(m.value_args[j]))
            # v(g) = (1 - e^(-g/rho)) / (1 - e^(-span/rho)); |v'(span/2)| = e^(-span/(2|rho|)) /
            # (|rho| (1 - e^(-span/|rho|))) for either sign of rho, written so that nothing overflows
            out[j] = math.exp(-span / (2 * a)) / (a * -math.expm1(-span / a))
        else:
            pts = np.asarray(m.value_args[j], dtype=float)
            mid = (lo[j] + hi[j]) / 2
            k = int(np.clip(np.searchsorted(pts[:, 0], mid, side="right") - 1, 0, len(pts) - 2))
            dx = pts[k + 1, 0] - pts[k, 0]
            out[j] = abs((pts[k + 1, 1] - pts[k, 1]) / dx) if dx > 0 else 0.0
    return out


def _implied_tradeoffs(ctx: _Context) -> list[Finding]:
    m = ctx.m
    if m.raw_value or len(m.criteria) < 2:
        return []
    slope = _slopes(ctx)
    worth = ctx.w * slope                       # value per unit of each criterion
    curved = [k != "linear" for k in m.value_kind]
    derived = [j >= len(ctx.sc.criteria) or ctx.sc.criteria[j].range is None for j in range(len(m.criteria))]
    found = []
    for i in range(len(m.criteria)):
        for j in range(i + 1, len(m.criteria)):
            if worth[i] <= 0 or worth[j] <= 0:
                continue
            rate = worth[j] / worth[i]                # units of i that one unit of j is worth
            how = []
            if curved[i] or curved[j]:
                how.append("at the midpoint of each range, where a value function is curved")
            if derived[i] or derived[j]:
                how.append("on a scale derived from the outcomes (no range stated)")
            found.append(Finding(
                "implied-tradeoff", "note", ctx.where(ctx.crit_path(j, "weight") or ctx.crit_path(j)),
                f"By the weights and ranges, one unit of {ctx.crit_name(j)} ({ctx.unit(j)}) is worth {rate:.3g} "
                f"unit{'' if f'{rate:.3g}' == '1' else 's'} of {ctx.crit_name(i)} ({ctx.unit(i)}), and one unit of "
                f"{ctx.crit_name(i)} is worth {1 / rate:.3g} unit{'' if f'{1 / rate:.3g}' == '1' else 's'} of "
                f"{ctx.crit_name(j)}" + (f", {'; '.join(how)}" if how else "")
                + ". If the decision maker would not make that exchange, change a weight or a range.",
                float(rate), about=(m.criteria[i], m.criteria[j])))
    return found


def _overlap(ctx: _Context) -> list[Finding]:
    m = ctx.m
    if len(m.criteria) < 2:
        return []
    x, _ = ctx.leaves
    y = np.unique(x, axis=0) * m.directions                      # more is better on every column
    if len(y) < OVERLAP_MIN_OUTCOMES:
        return []
    sd = y.std(axis=0)
    found = []
    for i in range(len(m.criteria)):
        for j in range(i + 1, len(m.criteria)):
            if sd[i] <= 0 or sd[j] <= 0:
                continue
            r = float(np.corrcoef(y[:, i], y[:, j])[0, 1])
            if r > OVERLAP_THRESHOLD:
                found.append(Finding(
                    "criteria-overlap", "warning", ctx.where(ctx.crit_path(j)),
                    f"{ctx.crit_name(i)} and {ctx.crit_name(j)} move together across the {len(y):,} distinct "
                    f"outcomes that can happen (correlation {r:.2f}, above {OVERLAP_THRESHOLD:g}; each signed so that "
                    "more is better): they may count one concern twice. Merge them, or say in an assumption why "
                    "they are distinct.", r, about=(m.criteria[i], m.criteria[j])))
    return found


def _evppi_tolerance(ctx: _Context) -> float:
    mc = ctx.mc
    scale = float(np.abs(mc.value).mean(axis=0).max()) if mc is not None else 1.0
    return 1e-6 * max(1.0, scale)


def _movers(ctx: _Context) -> dict[int, str]:
    """Parameter index -> why it moves the ranking (tornado swap, threshold inside its range,
    EVPPI above noise), for every number that does."""
    m = ctx.m
    why: dict[int, str] = {}
    t = ctx.tornado
    for k, nm in enumerate(t.names):
        i = m.params.index(nm)
        for end, best, v in (("low", t.best_low[k], t.low[k]), ("high", t.best_high[k], t.high[k])):
            if best != t.best_base and i not in why:
                why[i] = (f"at its {end} value {v:.4g} {ctx.opt_name(best)} becomes best instead of "
                          f"{ctx.opt_name(t.best_base)}")
    th = ctx.thresholds
    for k, nm in enumerate(th.names):
        i = m.params.index(nm)
        if th.low[k] < th.high[k] and th.in_range[k] and i not in why:
            why[i] = (f"the best option changes at {th.value[k]:.4g}, inside its range "
                      f"[{th.low[k]:.4g}, {th.high[k]:.4g}]")
    pp = ctx.evppi
    if pp is not None:
        tol = _evppi_tolerance(ctx)
        for nm, v, se, kind in zip(pp.names, pp.value, pp.se, pp.kind):
            if kind != "parameter":
                continue
            i = m.params.index(nm)
            if v > max(2 * se, tol) and i not in why:
                why[i] = f"learning it before choosing is worth {v:.3g} {pp.unit} (EVPPI)"
    return why


def _load_bearing(ctx: _Context) -> list[Finding]:
    m, sc = ctx.m, ctx.sc
    if not sc.assumptions:
        return []
    backs: dict[str, list[int]] = {}
    all_backs: dict[str, int] = {}
    from ..io import iter_numbers

    for ref in iter_numbers(sc):
        for a in ref.assumptions:
            all_backs[a] = all_backs.get(a, 0) + 1
            i = m.params.aliases.get(ref.name)
            if i is not None and i in ctx.used and i not in backs.setdefault(a, []):
                backs[a].append(i)
    cited = _cited(sc, "assumptions")
    why = _movers(ctx)
    pp = ctx.evppi
    ev_of = pp.parameters() if pp is not None else {}
    found = []
    for k, a in enumerate(sc.assumptions):
        if a.id not in cited:
            continue  # unused-assumption says so
        nums = backs.get(a.id, [])
        moving = [i for i in nums if i in why]
        best_ev = max((ev_of.get(m.params.names[i], 0.0) for i in nums), default=0.0)
        where = ctx.where(("assumptions", k, "load_bearing") if a.load_bearing else ("assumptions", k))
        if a.load_bearing and not nums:
            extra = (f" (it backs {all_backs[a.id]} number{'s' if all_backs[a.id] != 1 else ''} that do not enter the "
                     "comparison, such as signals' follow-through or risk severities)" if all_backs.get(a.id) else "")
            found.append(Finding(
                "load-bearing-mismatch", "note", where,
                f"Assumption {a.id} is flagged load-bearing but backs no number the comparison uses{extra}, so no "
                "analysis can test it. If it bears on the model's structure, say so in its rationale; else clear "
                "the flag.", None, about=(a.id,)))
        elif a.load_bearing and not moving:
            found.append(Finding(
                "load-bearing-mismatch", "warning", where,
                f"Assumption {a.id} is flagged load-bearing, but "
                + (f"none of its {len(nums)} numbers moves" if len(nums) > 1 else "its only number does not move")
                + " the ranking: no end of a range changes the best option (tornado), no threshold lies inside a "
                "range, and learning the number is worth nothing (EVPPI). Either the comparison does not rest on "
                "it (clear the flag), or the ranges are too narrow to show what it would take to be wrong (widen "
                "them).", best_ev, about=(a.id,)))
        elif not a.load_bearing and moving:
            i = moving[0]
            more = f" ({len(moving) - 1} more of its numbers do too)" if len(moving) > 1 else ""
            found.append(Finding(
                "load-bearing-mismatch", "warning", where,
                f"Assumption {a.id} is not flagged load-bearing, but its number {ctx.phrase(m.params.names[i])} "
                f"moves the ranking: {why[i]}{more}. Flag it load_bearing: true and say what would show it "
                "wrong.", best_ev, about=(a.id,)))
    return found


def _weight_switch(ctx: _Context) -> list[Finding]:
    m = ctx.m
    if m.raw_value or len(m.criteria) < 2 or (m.weight_param < 0).any():
        return []
    p = m.params
    base = p.point.copy()
    found = []
    for j, wi in enumerate(m.weight_param):
        wi = int(wi)
        rest = float(np.clip(base[m.weight_param], 0, None).sum() - max(base[wi], 0.0))
        if rest <= 0:
            continue
        name = p.names[wi]
        share = float(ctx.w[j])
        # near the point value (the default search interval) and far (up to a 99% share)
        rows = []
        for kw in ({}, {"bounds": {name: (0.0, 99.0 * rest)}, "points": 1025}):
            th = thresholds(m, params=[wi], **kw)
            rows += [(float(th.effective[k]), float(th.value[k]), th.below[k], th.above[k], bool(th.in_range[k]))
                     for k in range(len(th.names))]
        rows = [r for r in rows if math.isfinite(r[0])]
        if not rows:
            continue
        eff, raw, below, above, inside = min(rows, key=lambda r: abs(r[0] - share))
        up = raw > base[wi]
        who = above if up else below
        lo, hi = float(p.low[wi]), float(p.high[wi])
        if lo == hi:
            span = f"the file fixes it at {base[wi]:.4g}"
        else:
            span = f"{'inside' if inside else 'outside'} the range the file gives it, [{lo:.4g}, {hi:.4g}] as written"
        found.append(Finding(
            "weight-switch", "warning" if (inside and lo < hi) else "note",
            ctx.where(ctx.crit_path(j, "weight")),
            f"{ctx.opt_name(who)} becomes best when {ctx.crit_name(j)}'s weight {'exceeds' if up else 'falls below'} "
            f"{eff:.2f} (now {share:.2f}; weights normalised to sum to 1, the others keeping their proportions): "
            f"{raw:.4g} as written, {span}.", eff, about=(m.criteria[j], _option_id(m, who))))
    return found


def _no_voi(ctx: _Context) -> list[Finding]:
    m = ctx.m
    ee = evpi_events(m)
    mc = ctx.mc
    if not ee.names and not ee.left_out and mc is None:
        return []  # nothing is uncertain: there is nothing to learn
    scale = float(np.abs(ctx.ev.certainty_equivalent[0]).max())
    tol = 1e-9 * max(1.0, scale)
    if any(float(np.nanmax(v)) > tol for v in ee.value.values()):
        return []
    par, par_se = (evpi_parameters(mc) if mc is not None else (0.0, 0.0))
    if mc is not None and par > max(2 * par_se, _evppi_tolerance(ctx)):
        return []
    pp = ctx.evppi
    if pp is not None and any(v > max(2 * se, _evppi_tolerance(ctx)) for v, se in zip(pp.value, pp.se)):
        return []
    reasons = []
    follow = [k for k, v in ee.left_out.items() if "depends on the option" in v]
    if follow:
        owner = m.node_owner if len(m.node_owner) else np.zeros(m.tree.n, dtype=np.intp)
        later = any(int(d) != 0 and owner[int(d)] == 0 for d in m.tree.decisions)  # the decision maker's own
        reasons.append(f"{_names_list([ctx.namer('event', k) for k in follow])} "
                       f"{'follow' if len(follow) > 1 else 'follows'} the choice, so nothing learnt of "
                       f"{'them' if len(follow) > 1 else 'it'} comes before it"
                       + ("" if later else ", and no later decision could use it"))
    if ee.names:
        reasons.append(f"no state of {_names_list([ctx.namer('event', k) for k in ee.names])} changes the best "
                       "option")
    if mc is not None:
        top = int(np.argmax(mc.best.sum(axis=0)))
        if mc.best[:, top].all():
            reasons.append(f"{ctx.opt_name(top)} is best in every one of the {mc.n:,} draws of the numbers")
        else:
            reasons.append(f"the draws that change the best option change it by too little to matter "
                           f"(EVPI of all numbers {par:.2g} ± {par_se:.2g})")
    return [Finding(
        "no-value-of-information", "warning", None,
        "Nothing that could be learnt before choosing is worth anything: every chance event and every number has "
        f"zero expected value of perfect information, because {'; '.join(reasons)}. The answer is settled by the "
        "model's structure, whatever the world turns out to be: check that this is meant.", float(par))]


def _names_list(xs: list[str]) -> str:
    return xs[0] if len(xs) == 1 else ", ".join(xs[:-1]) + " and " + xs[-1]


def _walk(obj: Any) -> Iterator[Any]:
    """Every dataclass object inside the scenario (the file's text and YAML document left out)."""
    if is_dataclass(obj) and not isinstance(obj, type):
        yield obj
        for f in fields(obj):
            if f.name in ("document", "file"):
                continue
            yield from _walk(getattr(obj, f.name))
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _walk(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _walk(v)


def _cited(sc: Any, key: str) -> set[str]:
    """Ids cited anywhere in the scenario under `key` ('evidence' or 'assumptions'), numbers'
    long forms included."""
    out: set[str] = set()
    for o in _walk(sc):
        if type(o).__name__ in ("Evidence", "Assumption"):
            continue  # an item does not cite itself
        v = getattr(o, key, None)
        if isinstance(v, tuple):
            out.update(x for x in v if isinstance(x, str))
    return out


def _unused(ctx: _Context) -> list[Finding]:
    sc = ctx.sc
    found = []
    used_actors = {sc.meta.decision_maker} | {e.actor for e in sc.events}
    if sc.tree is not None:
        for node in _walk(sc.tree):
            used_actors.add(getattr(node, "actor", None))
            used_actors.update(getattr(node, "actor_payoffs", {}) or {})
    for aid, a in sc.actors.items():
        if aid not in used_actors:
            found.append(Finding(
                "unused-actor", "note", ctx.where(("actors", aid)),
                f"{a.name or aid} takes no part in the model: no event is its response or outcome and it makes no "
                "decision, so nothing it does enters the comparison. Model its response as an event, or remove "
                "it.", None, about=(aid,)))
    ev_cited = _cited(sc, "evidence")
    for k, e in enumerate(sc.evidence):
        if e.id not in ev_cited:
            found.append(Finding(
                "unused-evidence", "note", ctx.where(("evidence", k)),
                f"Evidence {e.id} (\"{_short(e.claim)}\") is cited by nothing: no number, option, event, state, "
                "actor or signal rests on it. Cite it where it bears, or remove it.", None, about=(e.id,)))
    as_cited = _cited(sc, "assumptions")
    for k, a in enumerate(sc.assumptions):
        if a.id not in as_cited:
            found.append(Finding(
                "unused-assumption", "note", ctx.where(("assumptions", k)),
                f"Assumption {a.id} (\"{_short(a.statement)}\") is cited by nothing: no number rests on it"
                + (", though it is flagged load-bearing" if a.load_bearing else "")
                + ". Cite it from the numbers it stands behind, or remove it.", None, about=(a.id,)))
    return found


def _short(text: str, n: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _dominated(ctx: _Context) -> list[Finding]:
    m = ctx.m
    if m.raw_value or len(m.criteria) < 2 or len(m.options) < 2:
        return []
    x = ctx.ev.expected[0]
    par = pareto(x, m.directions)
    pref = ctx.ev.preference[0]
    found = []
    for j, by in enumerate(par.dominated_by):
        if not by:
            continue
        i = max(by, key=lambda k: pref[k])
        y = (x * m.directions)
        tol = TIE_TOLERANCE * np.maximum(np.abs(y).max(axis=0), 1.0)
        better = [ctx.crit_name(c) for c in range(len(m.criteria)) if y[i, c] > y[j, c] + tol[c]]
        others = f" (also by {_names_list([ctx.opt_name(k) for k in by if k != i])})" if len(by) > 1 else ""
        found.append(Finding(
            "dominated-option", "note", ctx.where(ctx.opt_path(j)),
            f"{ctx.opt_name(j)} is dominated by {ctx.opt_name(i)}{others}: no better on any criterion and worse on "
            f"{_names_list(better)} (expected consequences at the point values). It cannot be best under any "
            "weights; keep it only as a reference, and give every criterion a range so that it does not stretch a "
            "derived scale.", float(pref[i] - pref[j]), about=(m.options[j], m.options[i])))
    return found


def _baseline(ctx: _Context) -> int | None:
    m = ctx.m
    hits = [o for o in range(len(m.options)) if BASELINE.search(m.options[o]) or BASELINE.search(ctx.opt_name(o))]
    return hits[0] if len(hits) == 1 else None


def _single_benefit(ctx: _Context) -> list[Finding]:
    m = ctx.m
    if len(m.criteria) < 2 or len(m.options) < 2:
        return []
    b = _baseline(ctx)
    if b is None:
        return []
    y = ctx.ev.expected[0] * m.directions
    tol = TIE_TOLERANCE * np.maximum(np.abs(y).max(axis=0), 1.0)
    rewards = [c for c in range(len(m.criteria)) if any(y[o, c] > y[b, c] + tol[c] for o in range(len(m.options))
                                                        if o != b)]
    if len(rewards) != 1:
        return []
    c = rewards[0]
    return [Finding(
        "single-benefit-criterion", "warning", ctx.where(ctx.crit_path(c) or ctx.opt_path(b)),
        f"Only {ctx.crit_name(c)} rewards acting: no option does better than {ctx.opt_name(b)} on any other criterion "
        f"(expected consequences at the point values). The case for acting rests on that criterion's weight "
        f"({float(ctx.w[c]):.2f} of the total) and its range alone: check both, and whether a benefit of acting "
        "is missing from the criteria.", float(ctx.w[c]), about=(m.criteria[c],))]


def _option_id(m: Model, who: Any) -> str:
    """An option given as its index or its id, as its id."""
    return who if isinstance(who, str) else m.options[int(who)]


def _threshold_without_range(ctx: _Context) -> list[Finding]:
    m = ctx.m
    th = ctx.thresholds
    found = []
    seen: set[str] = set()
    for k, nm in enumerate(th.names):   # nearest first: one finding per number
        # weights are weight-switch's: a weight is often stated exactly, and says so there
        if th.low[k] < th.high[k] or nm in seen or th.units[k] == "weight":
            continue
        seen.add(nm)
        i = m.params.index(nm)
        v, pt = float(th.value[k]), float(th.point[k])
        who, cmp = (th.above[k], "rises above") if pt <= v else (th.below[k], "falls below")
        found.append(Finding(
            "threshold-without-range", "warning", ctx.where(ctx.param_path(i)),
            f"{ctx.opt_name(who)} becomes best when {ctx.phrase(nm)} {cmp} {v:.4g}, but the file fixes this number at "
            f"{pt:.4g}, with no range: the answer turns on a number given without its uncertainty"
            # the report draws its two-way map over the number of the nearest threshold
            + (" (and the report's two-way map takes it as an axis)" if k == 0 else "")
            + ". Give it a range or a distribution that says how sure it is, so the analyses can weigh the switch.",
            v, about=(nm.split(".")[1] if "." in nm else nm, _option_id(m, who))))
    return found


CHECKS = (_range_exceeded, _implied_tradeoffs, _overlap, _load_bearing, _weight_switch, _no_voi, _unused,
          _dominated, _single_benefit, _threshold_without_range)


# ---------------------------------------------------------------------------- the entry point
def answer(sc: Any, findings: list[Finding]) -> list[Finding]:
    """The findings with `answered_by` set where an assumption's `answers` cover them: same code,
    and every id the answer names among the ids the finding is about (an answer naming none covers
    every finding of its code). Errors are never answered: a number outside its range is wrong,
    whatever the reason."""
    out = []
    for f in findings:
        by = None
        if f.severity != "error":
            by = next((a.id for a in sc.assumptions for ans in a.answers
                       if ans.finding == f.code and set(ans.about) <= set(f.about)), None)
        out.append(replace(f, answered_by=by) if by else f)
    return out


def critique(model: Model, samples: int = DEFAULT_SAMPLES, seed: int | None = DEFAULT_SEED,
             progress: bool | None = False) -> Critique:
    """Every check on a compiled model; findings sorted errors first (stable within a severity).

    samples, seed: the Monte Carlo draws of the sampled checks (ranges leaving their bounds, EVPI
    of the numbers, EVPPI); the same seed gives the same findings.
    """
    if not isinstance(samples, (int, np.integer)) or isinstance(samples, bool) or samples < 2:
        raise ValueError(f"critique(): samples must be 2 or more; got {samples!r}")
    ctx = _Context(model, int(samples), seed, progress)
    found: list[Finding] = []
    for check in CHECKS:
        found.extend(check(ctx))
    found = answer(model.scenario, found)
    order = {s: k for k, s in enumerate(SEVERITIES)}
    # unanswered first, errors first among them: what the analyst still has to act on leads
    found.sort(key=lambda f: (f.answered_by is not None, order[f.severity]))
    drew = ctx._cache.get("mc")
    notes = [f"sampled checks: {drew.n:,} Monte Carlo draws, seed {seed}" if drew is not None
             else "no uncertain numbers: no Monte Carlo draws",
             (f"criteria overlap when their consequences correlate above {OVERLAP_THRESHOLD:g} across the "
              "outcomes that can happen"),
             f"value unit: {value_unit(model)}"]
    return Critique(scenario=model.scenario.meta.id, title=model.scenario.meta.title, findings=tuple(found),
                    samples=drew.n if drew is not None else 0, seed=seed, notes=tuple(notes))


__all__ = [
    "CODES",
    "DEFAULT_SAMPLES",
    "OVERLAP_THRESHOLD",
    "RANGE_ERROR_SHARE",
    "SEVERITIES",
    "Critique",
    "Finding",
    "answer",
    "critique",
]
