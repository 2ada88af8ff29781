"""What changed between two versions of a scenario, and what it did to the comparison.

`diff(old, new)` lists every change (numbers, evidence, options, events, criteria and the rest),
ranks the options in both files, says which options' ranks moved, and attributes the movement:
each changed input of the new file is reverted to its old value alone, the new file is compiled
and evaluated again, and the change in every option's score is recorded. An input is one
number, except that the changed entries of one probability table row (or of one chance node of
an explicit tree) are one input, since they only make sense together. Reverting works through
the same machinery as worlds (`apply_world`), so `otherwise` entries are recomputed and value
ranges taken from the consequences are recomputed too. Items added or removed (an option, an
event, a state, a number that exists in one file only) are structural and are not reverted.

The effects are one at a time, the other changes kept: with interacting changes the effects
need not add up to the total movement.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..compile import Model, compile_scenario
from ..evaluate import ordering, point, tie_ranks
from ..io import Number, Scenario, ScenarioError, World, iter_numbers
from ..results import Result, Table, table
from .mcda import AGGREGATIONS, compare
from .mcda import SCORES as RANKS_BY_SCORE

SCORES = ("utility", *(n for n, a in AGGREGATIONS.items() if a.returns == RANKS_BY_SCORE))
"""What the comparison ranks by: 'utility', what `juncture evaluate` ranks by (the expected value
when risk-neutral, the certainty equivalent under exponential utility: same order as expected
utility, in the value's units), or the multi-criteria additive value or TOPSIS closeness
(`model.analysis.mcda.compare`)."""

NOT_IN_COMPARISON = {
    "meta": "the scenario's description",
    "sources": "sources do not enter the numbers",
    "evidence": "evidence does not enter the numbers",
    "assumptions": "assumptions do not enter the numbers",
    "history": "the change log",
    "worlds": "worlds do not enter the base comparison",
    "factors": "factors tie Monte Carlo draws, not point values",
    "indicators": "indicators do not enter the point comparison",
    "probability_scale": "its effect shows in the numbers that use its words",
}
"""Sections whose changes are listed but not evaluated, and why."""

_NUMBER_KINDS = {"number", "numbers", "probability", "probabilities", "table"}
TEXT_FIELDS = frozenset({"name", "title", "description", "notes", "claim", "quote", "statement", "rationale",
                         "would_be_wrong_if", "capabilities", "objectives", "red_lines", "scale", "unit",
                         "evidence", "assumptions", "confidence", "url", "date", "via", "outlet", "speaker"})
"""Fields that document rather than compute: a change in them alone is listed as 'text' and not evaluated."""
_REVERT = "__juncture_diff_revert"


_QUIET = ("not evaluated", "text only", "only its citations")
_MOVED_NOTE = ("moved most by: the inputs whose revert alone changes this option's score most relative to "
               "the others")
_EFFECT_NOTE = ("effect: new score minus the score with only this input reverted; gap moved: largest minus "
                "smallest effect (how far it moved the options relative to each other)")


@dataclass(frozen=True)
class Change:
    """One difference. kind: 'number' (a value changed), 'cited' (only its citations changed),
    'added', 'removed', 'changed' (a field other than a number), 'text' (only wording); name:
    dotted path as in the file; old/new: as text ('' when absent); input: the input it belongs to
    for attribution."""

    kind: str
    section: str
    name: str
    old: str
    new: str
    input: str


@dataclass(frozen=True, eq=False)
class Attribution:
    """The effect of reverting one input of the new file to its old value.

    scores[O]: the new file's options scored with this input reverted (None when not reverted);
    effect[O] = new score - reverted score: what this input alone did to each option; gap_moved =
    max(effect) - min(effect): how far it moved the options relative to each other (a shift of
    every option alike changes no rank); restores: reverting it alone gives back the old order.
    """

    input: str
    changes: tuple[str, ...]
    reverted: bool
    reason: str
    scores: np.ndarray | None = None
    effect: np.ndarray | None = None
    gap_moved: float = 0.0
    ranking: tuple[str, ...] = ()
    restores: bool = False


@dataclass(frozen=True, eq=False)
class Diff(Result):
    """Two versions of a scenario compared; see the module docstring.

    table(): what changed (`changes_table`); printed and shown in a notebook: what changed, the
    ranking before and after, and what each changed input did."""

    old_file: str
    new_file: str
    score: str
    score_unit: str
    changes: tuple[Change, ...]
    old_options: tuple[str, ...]
    new_options: tuple[str, ...]
    old_scores: np.ndarray
    new_scores: np.ndarray
    attributions: tuple[Attribution, ...]

    @property
    def old_ranking(self) -> list[str]:
        return ordering(self.old_scores, self.old_options)[0]

    @property
    def new_ranking(self) -> list[str]:
        return ordering(self.new_scores, self.new_options)[0]

    @property
    def old_ranks(self) -> dict[str, int]:
        return dict(zip(self.old_options, ordering(self.old_scores, self.old_options)[1]))

    @property
    def new_ranks(self) -> dict[str, int]:
        return dict(zip(self.new_options, ordering(self.new_scores, self.new_options)[1]))

    @property
    def moved(self) -> dict[str, tuple[int | None, int | None]]:
        """Option -> (old rank, new rank) for every option whose rank changed (None: not in that file)."""
        a, b = self.old_ranks, self.new_ranks
        every = dict.fromkeys(list(self.old_options) + list(self.new_options))
        return {o: (a.get(o), b.get(o)) for o in every if a.get(o) != b.get(o)}

    def drivers(self, option: str, top: int = 3) -> list[str]:
        """Inputs that moved `option` most relative to the others: by |effect on it - mean effect
        on the other options|, largest first (only inputs with a non-zero effect)."""
        if option not in self.new_options:
            return []
        i = self.new_options.index(option)
        out = []
        for a in self.attributions:
            if a.effect is None:
                continue
            others = np.delete(a.effect, i)
            rel = abs(a.effect[i] - (others.mean() if len(others) else 0.0))
            if rel > 1e-12:
                out.append((rel, a.input))
        return [name for _, name in sorted(out, key=lambda t: -t[0])[:top]]

    def changes_table(self) -> Table:
        rows = [f"{c.name}" for c in self.changes]
        vals = [[c.kind, _short(c.old), _short(c.new)] for c in self.changes]
        return table("What changed", "where", rows, ["change", "old", "new"], vals,
                     notes=[] if self.changes else ["the two files say the same"])

    def ranking_table(self) -> Table:
        a, b = self.old_ranks, self.new_ranks
        opts = list(dict.fromkeys(self.new_ranking + self.old_ranking))
        old_s = dict(zip(self.old_options, self.old_scores))
        new_s = dict(zip(self.new_options, self.new_scores))
        vals = [[a.get(o), b.get(o), _f(old_s.get(o)), _f(new_s.get(o)),
                 "" if a.get(o) == b.get(o) else _move(a.get(o), b.get(o)),
                 ", ".join(self.drivers(o)) if a.get(o) != b.get(o) else ""]
                for o in opts]
        return table(f"Ranking before and after ({self.score})", "option", opts,
                     ["old rank", "new rank", "old score", "new score", "moved", "moved most by"], vals,
                     ["", "", self.score_unit, self.score_unit, "", ""],
                     [_MOVED_NOTE])

    def attribution_table(self) -> Table:
        opts = self.new_options
        rows, vals = [], []
        skipped = [a for a in self.attributions if not a.reverted and a.reason.startswith(_QUIET)]
        for a in self.attributions:
            if a in skipped:
                continue
            rows.append(a.input)
            if a.reverted:
                vals.append([a.gap_moved, *map(float, a.effect), a.restores, a.reason])
            else:
                vals.append([None, *([None] * len(opts)), None, a.reason])
        notes = [_EFFECT_NOTE]
        if skipped:
            n = len(skipped)
            notes.append(f"{n} more changed input{'' if n == 1 else 's'} cannot move the comparison (text, "
                         "citations, evidence, worlds, ...): see 'What changed'")
        return table("What each changed input did (reverted one at a time)", "input", rows,
                     ["gap moved", *[f"effect on {o}" for o in opts], "restores old order", "note"], vals,
                     [self.score_unit] * (1 + len(opts)) + ["", ""], notes)

    def table(self) -> Table:
        return self.changes_table()

    def tables(self) -> list[Table]:
        """What changed, the ranking before and after, what each changed input did."""
        return [self.changes_table(), self.ranking_table(), self.attribution_table()]

    def _repr_html_(self) -> str:
        return "".join(t._repr_html_() for t in self.tables())

    def __str__(self) -> str:
        return "\n\n".join(t.to_text() for t in self.tables())

    def to_dict(self) -> dict[str, Any]:
        """The shape `juncture diff --json` prints."""
        return {
            "old": self.old_file, "new": self.new_file, "score": self.score, "score_unit": self.score_unit,
            "changes": [dataclasses.asdict(c) for c in self.changes],
            "ranking": {"before": self.old_ranking, "after": self.new_ranking},
            "ranks": {"before": self.old_ranks, "after": self.new_ranks},
            "scores": {"before": {o: float(s) for o, s in zip(self.old_options, self.old_scores)},
                       "after": {o: float(s) for o, s in zip(self.new_options, self.new_scores)}},
            "moved": {o: {"before": r[0], "after": r[1], "moved_most_by": self.drivers(o)}
                      for o, r in self.moved.items()},
            "attribution": [{
                "input": a.input, "changes": list(a.changes), "reverted": a.reverted, "note": a.reason,
                "gap_moved": a.gap_moved if a.reverted else None,
                "effect": dict(zip(self.new_options, map(float, a.effect))) if a.effect is not None else None,
                "ranking_when_reverted": list(a.ranking), "restores_old_order": a.restores,
            } for a in self.attributions],
        }


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _f(v: Any) -> float | None:
    return None if v is None else float(v)


def _move(a: int | None, b: int | None) -> str:
    if a is None:
        return "new option"
    if b is None:
        return "removed"
    return f"up {a - b}" if b < a else f"down {b - a}"


# ---------------------------------------------------------------------------- listing changes
def _show(v: Any, limit: int = 80) -> str:
    """A value as short text."""
    if v is None:
        return ""
    if isinstance(v, Number):
        text = str(v)
        return text if v.kind in ("fixed", "otherwise") else f"{text} (point {v.point:g})"
    if isinstance(v, tuple) and all(isinstance(x, str) for x in v):
        text = "[" + ", ".join(v) + "]"
    elif isinstance(v, tuple):
        text = "[" + ", ".join(_show(x, 30) for x in v) + "]"
    elif dataclasses.is_dataclass(v):  # as the file writes it: {id: x, key: value, ...}
        parts = [f"{f.metadata.get('key') or f.name}: {_show(getattr(v, f.name), 30)}"
                 for f in dataclasses.fields(v)
                 if f.compare and getattr(v, f.name) not in (None, (), {}, "")]
        text = "{" + ", ".join(parts) + "}"
    elif isinstance(v, dict):
        text = "{" + ", ".join(f"{k}: {_show(x, 30)}" for k, x in v.items()) + "}"
    elif isinstance(v, bool):
        text = "true" if v else "false"
    elif isinstance(v, float):
        text = f"{v:g}"
    else:
        text = str(v)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _skeleton(v: Any, text: bool = False) -> Any:
    """v with every Number masked (numbers are diffed apart), and with `text` every TEXT_FIELDS
    field too (what is left is what the computation reads)."""
    if isinstance(v, Number):
        return "#"
    if dataclasses.is_dataclass(v):
        return (type(v).__name__,) + tuple((f.name, "~" if text and f.name in TEXT_FIELDS else
                                            _skeleton(getattr(v, f.name), text))
                                           for f in dataclasses.fields(v) if f.compare)
    if isinstance(v, dict):
        return tuple((k, _skeleton(x, text)) for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return tuple(_skeleton(x, text) for x in v)
    return v


def _overrides_key(v: dict[str, Number]) -> Any:
    return tuple((k, str(n), n.point) for k, n in v.items())


def _items(value: Any) -> dict[str, Any] | None:
    """A section as id -> item (None for a section that is one object)."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, tuple) and value and all(hasattr(x, "id") for x in value):
        return {x.id: x for x in value}
    if isinstance(value, tuple) and not value:
        return {}
    return None


def _section_name(f: dataclasses.Field) -> str:
    return f.metadata.get("key") or f.name


def _number_input(name: str, role: str) -> str:
    """The attribution input a number belongs to: its probability row (or chance node), else itself."""
    parts = name.split(".")
    if role == "probability" and parts[0] == "events":
        return ".".join(parts[:-1])
    if role == "probability" and parts[0] == "tree":
        return ".".join(parts[:-2]) + ".*.p"
    return name


def list_changes(old: Scenario, new: Scenario) -> list[tuple[Change, Callable[[Scenario], Scenario] | None]]:
    """Every change from old to new, each with a function that reverts it in a scenario (None for
    structural changes and for numbers, which are reverted by input)."""
    out: list[tuple[Change, Callable[[Scenario], Scenario] | None]] = []
    # numbers, by name
    a = {r.name: r for r in iter_numbers(old)}
    b = {r.name: r for r in iter_numbers(new)}
    for name in dict.fromkeys(list(b) + list(a)):
        ra, rb = a.get(name), b.get(name)
        sec = name.split(".")[0]
        if ra is None:
            out.append((Change("added", sec, name, "", _show(rb.number), name), None))
        elif rb is None:
            out.append((Change("removed", sec, name, _show(ra.number), "", name), None))
        else:
            na, nb = ra.number, rb.number
            if (na.kind, na.params, na.point, na.word) != (nb.kind, nb.params, nb.point, nb.word):
                if na.kind == "otherwise" and nb.kind == "otherwise":
                    continue  # the rest of its row: follows from the entries that changed
                inp = _number_input(name, rb.role)
                out.append((Change("number", sec, name, _show(na), _show(nb), inp), None))
            elif (ra.evidence, ra.assumptions) != (rb.evidence, rb.assumptions):
                out.append((Change("cited", sec, name, _cites(ra), _cites(rb), name), None))
    # everything else, section by section, item by item, field by field
    for f in dataclasses.fields(Scenario):
        if not f.compare:
            continue
        sec = _section_name(f)
        va, vb = getattr(old, f.name), getattr(new, f.name)
        ia, ib = _items(va), _items(vb)
        if ia is None or ib is None:
            if f.metadata.get("kind") in _NUMBER_KINDS or _skeleton(va) == _skeleton(vb):
                continue
            if f.name == "tree":
                out.append((Change("changed", sec, sec, "tree", "tree (branches differ)", sec), None))
                continue
            if dataclasses.is_dataclass(va) and dataclasses.is_dataclass(vb) and type(va) is type(vb):
                for g in dataclasses.fields(va):
                    ga, gb = getattr(va, g.name), getattr(vb, g.name)
                    if g.compare and _skeleton(ga) != _skeleton(gb):
                        name = f"{sec}.{g.name}"
                        if g.name in TEXT_FIELDS or _skeleton(ga, True) == _skeleton(gb, True):
                            out.append((Change("text", sec, name, _show(ga), _show(gb), name), None))
                        else:
                            out.append((Change("changed", sec, name, _show(ga), _show(gb), name),
                                        _field_reverter(f.name, None, g.name, ga)))
            else:
                out.append((Change("changed", sec, sec, _show(va), _show(vb), sec),
                            _field_reverter(f.name, None, None, va)))
            continue
        for key in dict.fromkeys(list(ib) + list(ia)):
            xa, xb = ia.get(key), ib.get(key)
            name = f"{sec}.{key}"
            if xa is None:
                out.append((Change("added", sec, name, "", _show(xb), name), None))
            elif xb is None:
                out.append((Change("removed", sec, name, _show(xa), "", name), None))
            elif not dataclasses.is_dataclass(xa):
                if xa != xb:
                    out.append((Change("changed", sec, name, _show(xa), _show(xb), name),
                                _field_reverter(f.name, key, None, xa)))
            else:
                for g in dataclasses.fields(xa):
                    kind = g.metadata.get("kind")
                    if not g.compare or kind in _NUMBER_KINDS:
                        continue
                    ga, gb = getattr(xa, g.name), getattr(xb, g.name)
                    same = (_overrides_key(ga) == _overrides_key(gb) if kind == "overrides"
                            else _skeleton(ga) == _skeleton(gb))
                    if not same:
                        fname = f"{name}.{g.name}"
                        if g.name in TEXT_FIELDS or _skeleton(ga, True) == _skeleton(gb, True):
                            out.append((Change("text", sec, fname, _show(ga), _show(gb), fname), None))
                        else:
                            out.append((Change("changed", sec, fname, _show(ga), _show(gb), fname),
                                        _field_reverter(f.name, key, g.name, ga)))
    return out


def _cites(r: Any) -> str:
    return ", ".join(r.evidence + r.assumptions)


def _field_reverter(section: str, key: str | None, field: str | None,
                    old_value: Any) -> Callable[[Scenario], Scenario]:
    """A function putting `old_value` back at section[key].field of a scenario (the whole item or
    section when key or field is None)."""
    def put(item: Any) -> Any:
        return old_value if field is None else dataclasses.replace(item, **{field: old_value})

    def revert(sc: Scenario) -> Scenario:
        cur = getattr(sc, section)
        if key is None:
            new = put(cur)
        elif isinstance(cur, dict):
            new = {**cur, key: put(cur[key])}
        else:
            new = tuple(put(x) if x.id == key else x for x in cur)
        return dataclasses.replace(sc, **{section: new})
    return revert


# ---------------------------------------------------------------------------- scoring and reverting
def _scorer(score: str) -> Callable[[Model], np.ndarray]:
    if score == "utility":
        return lambda m: point(m, keep_nodes=False).preference[0]
    if score in SCORES:
        return lambda m: compare(m, method=score).scores
    raise ValueError(f"diff(): score must be one of {', '.join(SCORES)}; got {score!r}")


def _score_unit(model: Model, score: str) -> str:
    if score != "utility":
        return AGGREGATIONS[score].unit
    if model.raw_value and model.scenario.criteria:
        unit = model.scenario.criteria[0].unit or "payoff"
        unit = unit if model.directions[0] > 0 else f"-{unit}"
    else:
        unit = "value 0-1"
    # under exponential utility the score is the certainty equivalent: it orders options as
    # expected utility does, keeps its digits far from R, and its differences are in units
    return unit if model.risk_tolerance is None else f"certainty equivalent, {unit}"


def _revert_numbers(new: Scenario, old_numbers: dict[str, Number]) -> Scenario:
    """The new scenario with these numbers set back to their old values (through a world, so that
    `otherwise` entries are recomputed and probability rows checked)."""
    from ..compile.worlds import apply_world

    world = World(id=_REVERT, overrides=dict(old_numbers))
    sc = dataclasses.replace(new, worlds={**new.worlds, _REVERT: world})
    return dataclasses.replace(apply_world(sc, _REVERT), worlds=new.worlds)


def _revert_parameters(model: Model, old_numbers: dict[str, Number], score: str) -> np.ndarray:
    """Scores of the model at its point values with these parameters set to the old point values."""
    from ..evaluate import evaluate

    theta = model.params.point.copy()
    for name, n in old_numbers.items():
        if n.kind == "otherwise":
            raise ValueError(f"'{name}' was 'otherwise'")
        theta[model.params.index(name)] = n.point
    ev = evaluate(model, theta[None, :])
    return ev.preference[0] if score == "utility" else compare(model, method=score, ev=ev).scores


def _order_of(scores: np.ndarray, options: tuple[str, ...], keep: list[str]) -> list[tuple[str, int]]:
    """(option, rank among `keep`) for the options in keep: the relative order, ties kept."""
    idx = [options.index(o) for o in keep]
    ranks = tie_ranks(np.asarray(scores)[idx])
    return sorted(zip(keep, map(int, ranks)), key=lambda t: (t[1], keep.index(t[0])))


def _attribute(inp: str, items: list[tuple[Change, Callable | None]], new: Scenario, m_new: Model,
               s_new: np.ndarray, old_numbers: dict[str, Number], score: str, common: list[str],
               old_order: list[tuple[str, int]]) -> Attribution:
    """Revert one input of the new file and score the options again."""
    names = tuple(c.name for c, _ in items)
    kinds = {c.kind for c, _ in items}
    sec = items[0][0].section
    if sec in NOT_IN_COMPARISON:
        return Attribution(inp, names, False, f"not evaluated: {NOT_IN_COMPARISON[sec]}")
    if kinds & {"added", "removed"}:
        return Attribution(inp, names, False, "structural (in one file only): not reverted alone")
    if kinds == {"cited"}:
        return Attribution(inp, names, False, "only its citations changed")
    if kinds == {"text"}:
        return Attribution(inp, names, False, "text only: not evaluated")
    how = "reverted"
    try:
        if "number" in kinds and kinds <= {"number", "cited"}:
            olds = {c.name: old_numbers[c.name] for c, _ in items}
            try:
                sc: Scenario | None = _revert_numbers(new, olds)
            except ScenarioError as e:
                if not all("names no number" in p.message for p in e.problems):
                    raise
                # a number a world cannot override: set its parameter instead
                s = _revert_parameters(m_new, olds, score)
                how = "reverted as a parameter (value ranges as in the new file)"
                sc = None
        elif all(rev is not None for _, rev in items):
            sc = new
            for _, rev in items:
                sc = rev(sc)
        else:
            return Attribution(inp, names, False, "structural: not reverted alone")
        if sc is not None:
            m = compile_scenario(sc)
            if m.options != m_new.options:
                raise ValueError("the options differ")
            s = _scorer(score)(m)
    except (ScenarioError, ValueError, KeyError, LookupError, TypeError) as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        return Attribution(inp, names, False, f"cannot be reverted alone: {first}")
    effect = s_new - s
    changed_order = _order_of(s_new, m_new.options, common) != old_order
    return Attribution(inp, names, True, how, scores=s, effect=effect,
                       gap_moved=float(effect.max() - effect.min()) if len(effect) else 0.0,
                       ranking=tuple(ordering(s, m_new.options)[0]),
                       restores=bool(common) and changed_order
                       and _order_of(s, m_new.options, common) == old_order)


def diff(old: Scenario, new: Scenario, score: str = "utility") -> Diff:
    """Compare two versions of a scenario; see the module docstring.

    score: what the comparison ranks by, one of SCORES.
    """
    scorer = _scorer(score)
    m_old, m_new = compile_scenario(old), compile_scenario(new)
    s_old, s_new = scorer(m_old), scorer(m_new)
    listed = list_changes(old, new)
    changes = tuple(c for c, _ in listed)
    common = [o for o in m_new.options if o in m_old.options]
    old_order = _order_of(s_old, m_old.options, common)
    old_numbers = {r.name: r.number for r in iter_numbers(old)}
    attributions: list[Attribution] = []
    groups: dict[str, list[tuple[Change, Callable | None]]] = {}
    for c, rev in listed:
        groups.setdefault(c.input, []).append((c, rev))
    for inp, items in groups.items():
        attributions.append(_attribute(inp, items, new, m_new, s_new, old_numbers, score, common, old_order))
    attributions.sort(key=lambda a: (not a.reverted, -a.gap_moved))
    return Diff(old_file=old.file, new_file=new.file, score=score, score_unit=_score_unit(m_new, score),
                changes=changes, old_options=m_old.options, new_options=m_new.options, old_scores=s_old,
                new_scores=s_new, attributions=tuple(attributions))
