"""Load a scenario file: YAML text -> checked, typed, frozen `Scenario`, or every problem at once.

Two passes: the first reads each key into its typed field (shape: unknown keys, wrong types,
missing fields, number forms); the second checks meaning across the file (ids, references,
probability tables, cycles, the explicit tree). Both collect problems instead of stopping at the
first, so an analyst fixes a file in one round.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import types
import typing
from pathlib import Path as FsPath
from typing import Any, Iterator, Literal, Union

from .distributions import DISTRIBUTIONS
from .errors import Problem, ScenarioError, closest, did_you_mean
from .numbers import ICD203_SCALE, Number, NumberFormError, normal_word, parse_number
from .scenario import Event, Row, Scenario, TreeNode
from .yamlsource import Document, Path, parse_yaml, read_text

ID_PATTERN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
PROBABILITY_TOLERANCE = 1e-9
"""How far a probability table's point values may sum from 1."""

MAX_TREE_NODES = 2_000_000
"""Largest tree the events form may unfold to (options x product of state counts)."""

LONG_FORM_KEYS = ("value", "point", "evidence", "assumptions", "confidence")


_hints = functools.cache(typing.get_type_hints)  # asked for every object read


def show_path(path: Path) -> str:
    """('options', 2, 'impacts', 'cost') -> 'options[2].impacts.cost'."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


class Reader:
    """Collects problems while reading one document.

    Each problem also records the path it puts in doubt (`blamed`): the second pass, which checks
    meaning, runs even when the first found problems, but drops what merely follows from them (a
    reference into a list whose ids could not be read, a check under a value that could not be
    read), so the analyst sees every real problem at once and no echo of one.
    """

    def __init__(self, doc: Document):
        self.doc = doc
        self.problems: list[Problem] = []
        self.scale: dict[str, tuple[float, float]] = dict(ICD203_SCALE)
        self.scale_read = False
        self.blamed: list[Path] = []
        self.shaky: tuple[Path, ...] = ()  # what the first pass blamed, once the second starts

    def error(self, path: Path, message: str, key: bool = False, blame: Path | None = None) -> None:
        path = tuple(path)
        if self.follows(path):
            return
        self.blamed.append(path if blame is None else tuple(blame))
        self.problems.append(self.doc.problem(path, f"{show_path(path)}: {message}", key))

    def follows(self, path: Path) -> bool:
        """True when `path` lies at or under a value the first pass could not read."""
        return any(path[: len(q)] == q for q in self.shaky)

    def doubt(self, path: Path) -> bool:
        """True when the first pass could not read `path`, a value around it or a part of it."""
        path = tuple(path)
        return any(path[: len(q)] == q or q[: len(path)] == path for q in self.shaky)

    def broken(self, template: Path) -> bool:
        """True when the first pass could not read some value along `template` (None: any key),
        e.g. ('options', None, 'id'): an option or its id, so the option ids may be incomplete."""
        return any(len(q) <= len(template) and all(t is None or t == x for x, t in zip(q, template))
                   for q in self.shaky)

    def what(self, value: Any, path: Path) -> str:
        """`_what`, telling for a yes/no value the word that was written and how to keep it a word."""
        text = self.doc.texts.get(tuple(path))
        if isinstance(value, bool) and text is not None:
            return (f"'{text}', which YAML reads as {str(value).lower()} (a yes/no value): write "
                    f"'{text}' in quotes if you mean the word")
        return _what(value)

    def text(self, value: Any, path: Path) -> str | None:
        """A scalar as the text it was written as (`1.10` stays '1.10'); None for yes/no and others."""
        if isinstance(value, str):
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return self.doc.texts.get(tuple(path), str(value))

    # ------------------------------------------------------------------ generic typed reading
    def read(self, tp: Any, value: Any, path: Path, meta: dict | None = None) -> Any:
        kind = (meta or {}).get("kind")
        if kind in ("number", "probability"):
            return None if value is None else self.number(value, path, probability=kind == "probability")
        if kind == "numbers":
            return self.numbers(value, path)
        if kind == "probabilities":
            return self.numbers(value, path, probability=True)
        if kind == "table":
            return value  # read in the second pass, once states and depends_on are known
        if kind == "tree":
            return None if value is None else self.tree(value, path, "")
        if kind == "scale":
            return self.scale if self.scale_read else self.read_scale(value, path)
        if kind == "overrides":
            return self.overrides(value, path)
        if kind == "when":
            return self.when(value, path)
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin in (Union, types.UnionType):
            inner = [a for a in args if a is not type(None)]
            if value is None:
                return None
            return self.read(inner[0], value, path, meta)
        if dataclasses.is_dataclass(tp):
            return self.obj(tp, value, path)
        if origin is Literal:
            if isinstance(value, bool) or value not in args:
                words = ", ".join(str(a) for a in args)
                text = self.doc.texts.get(tuple(path))
                if isinstance(value, bool) and text is not None:
                    self.error(path, f"'{text}' is read by YAML as {str(value).lower()} (a yes/no value), not one "
                                     f"of: {words}")
                else:
                    self.error(path, f"{_show(value)} is not one of: {words}{did_you_mean(value, [str(a) for a in args])}")
                return args[0]
            return value
        if origin is tuple:
            if not isinstance(value, list):
                self.error(path, f"expected a list, got {self.what(value, path)}")
                return () if len(args) == 2 and args[1] is Ellipsis else None
            if len(args) == 2 and args[1] is Ellipsis:
                return tuple(self.read(args[0], v, path + (i,)) for i, v in enumerate(value))
            if len(value) != len(args):
                self.error(path, f"expected a list of {len(args)} items, got {len(value)}")
                return None
            return tuple(self.read(a, v, path + (i,)) for i, (a, v) in enumerate(zip(args, value)))
        if origin is dict:
            if not isinstance(value, dict):
                item = (f"{args[1].__name__.lower()} id -> {args[1].__name__.lower()}" if dataclasses.is_dataclass(args[1])
                        else "name -> " + {float: "number", str: "text"}.get(args[1], "value"))
                self.error(path, f"expected a mapping {item}, got {self.what(value, path)}")
                return {}
            return {k: self.read_keyed(args[1], k, v, path + (k,)) for k, v in value.items()}
        if tp is str:
            text = self.text(value, path)
            if text is None:
                self.error(path, f"expected text, got {self.what(value, path)}")
                return ""
            return text
        if tp is bool:
            if not isinstance(value, bool):
                self.error(path, f"expected true or false, got {self.what(value, path)}")
                return False
            return value
        if tp is int:
            if isinstance(value, bool) or not isinstance(value, int):
                self.error(path, f"expected a whole number, got {self.what(value, path)}")
                return 0
            return value
        if tp is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                self.error(path, f"expected a number, got {self.what(value, path)}")
                return 0.0
            return float(value)
        raise TypeError(f"Reader.read(): no reader for {tp!r}")  # a bug in the model, not the file

    def read_keyed(self, tp: Any, key: str, value: Any, path: Path) -> Any:
        """A value in an id-keyed mapping: a dataclass gets its `id` from the key."""
        if dataclasses.is_dataclass(tp):
            self.check_id(key, path, key_position=True)
            return self.obj(tp, value, path, given_id=key)
        return self.read(tp, value, path)

    def obj(self, cls: Any, value: Any, path: Path, given_id: str | None = None) -> Any:
        if value is None and given_id is not None:
            value = {}
        if not isinstance(value, dict):
            self.error(path, f"expected a mapping with keys {', '.join(_keys(cls)[:6])}, got {self.what(value, path)}")
            return _blank(cls, given_id)
        hints = _hints(cls)
        fields = {(fl.metadata.get("key") or fl.name): fl for fl in dataclasses.fields(cls)
                  if "doc" in fl.metadata}
        misspelt: set[str] = set()
        for k in value:
            if k not in fields or (given_id is not None and k == "id"):
                choices = [c for c in fields if not (given_id is not None and c == "id")]
                # `optionz:` leaves the options unread: blame 'options', so that references to
                # them are not reported as unknown, nor the key as missing, as well
                meant = closest(k, [c for c in choices if c not in value])
                if meant:
                    misspelt.add(meant)
                self.error(path + (k,), f"unknown key '{k}'{did_you_mean(k, choices)}", key=True,
                           blame=path + ((meant,) if meant else (k,)))
        kwargs: dict[str, Any] = {}
        for key, fl in fields.items():
            if key == "id" and given_id is not None:
                kwargs["id"] = given_id
                continue
            if key not in value or value[key] is None:
                if fl.default is dataclasses.MISSING and fl.default_factory is dataclasses.MISSING:
                    if key not in value and key not in misspelt:
                        self.error(path, f"missing required key '{key}' ({fl.metadata['doc']})",
                                   blame=path + (key,))
                    elif key in value:
                        self.error(path + (key,), f"'{key}' is empty; it needs a value ({fl.metadata['doc']})")
                    kwargs[fl.name] = _blank_of(hints[fl.name])
                continue
            kwargs[fl.name] = self.read(hints[fl.name], value[key], path + (key,), dict(fl.metadata))
            if fl.metadata.get("kind") == "id":
                self.check_id(kwargs[fl.name], path + (key,))
        return cls(**kwargs)

    def check_id(self, ident: Any, path: Path, key_position: bool = False) -> None:
        if isinstance(ident, str) and not ID_PATTERN.match(ident):
            self.error(path, f"id '{ident}' may hold only letters, digits, '_' and '-'", key=key_position)

    # ------------------------------------------------------------------ numbers
    def number(self, value: Any, path: Path, probability: bool = False, allow_otherwise: bool = False) -> Number:
        """Any number form, or the long form {value, point, evidence, assumptions, confidence}."""
        extra: dict[str, Any] = {}
        if isinstance(value, dict) and "value" in value:
            for k in value:
                if k not in LONG_FORM_KEYS:
                    self.error(path + (k,), f"unknown key '{k}' in a number's long form{did_you_mean(k, LONG_FORM_KEYS)}", key=True)
            extra = value
            value = value["value"]
            path = path + ("value",)
        if isinstance(value, bool) and tuple(path) in self.doc.texts:
            self.error(path, f"'{self.doc.texts[tuple(path)]}' is read by YAML as {str(value).lower()} "
                             "(a yes/no value), not a number")
            return Number("fixed", (0.0,), 0.0)
        try:
            n = parse_number(value, self.scale, allow_otherwise)
        except NumberFormError as e:
            self.error(path, str(e))
            return Number("fixed", (0.0,), 0.0)
        changes: dict[str, Any] = {}
        base = path[:-1] if extra else path
        if "point" in extra:
            pt = extra["point"]
            if isinstance(pt, bool) or not isinstance(pt, (int, float)) or not math.isfinite(pt):
                self.error(base + ("point",), f"point must be a number, got {self.what(pt, base + ('point',))}")
            else:
                lo, hi = n.support()
                if not lo <= pt <= hi:
                    self.error(base + ("point",), f"point {pt:g} lies outside what {n} can take [{lo:g}, {hi:g}]")
                changes["point"] = float(pt)
        for k in ("evidence", "assumptions"):
            if k in extra:
                changes[k] = self.read(tuple[str, ...], extra[k], base + (k,))
        if "confidence" in extra:
            changes["confidence"] = self.read(Literal["low", "moderate", "high"], extra["confidence"], base + ("confidence",))
        if changes:
            n = dataclasses.replace(n, **changes)
        if probability and n.kind != "otherwise":
            self.number_in_unit_interval(n, path)
        return n

    def number_in_unit_interval(self, n: Number, path: Path) -> None:
        lo, hi = n.support()
        if not (0 <= lo and hi <= 1):
            if not (math.isfinite(lo) and math.isfinite(hi)):  # an unbounded law, whatever its parameters
                self.error(path, f"a {n.kind} distribution can leave [0, 1]: use beta, pert, a range or a word for a probability")
            else:
                self.error(path, f"probability {n} is outside [0, 1]")

    def numbers(self, value: Any, path: Path, probability: bool = False) -> dict[str, Number]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            what = "state -> probability" if probability else "criterion -> number"
            self.error(path, f"expected a mapping of {what}, got {self.what(value, path)}")
            return {}
        return {k: self.number(v, path + (k,), probability=probability) for k, v in value.items()}

    def read_scale(self, value: Any, path: Path) -> dict[str, tuple[float, float]]:
        if not isinstance(value, dict):
            self.error(path, f"expected a mapping word -> [low, high], got {self.what(value, path)}")
            return {}
        out = {}
        for word, band in value.items():
            if (not isinstance(band, list) or len(band) != 2
                    or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in band)
                    or not 0 <= band[0] <= band[1] <= 1):
                self.error(path + (word,), f"a band is [low, high] with 0 <= low <= high <= 1; got {_show(band)}")
                continue
            out[normal_word(word)] = (float(band[0]), float(band[1]))
        self.scale.update(out)
        self.scale_read = True
        return out

    def overrides(self, value: Any, path: Path) -> dict[str, Number]:
        if not isinstance(value, dict):
            self.error(path, f"expected a mapping path -> number, got {self.what(value, path)}")
            return {}
        return {k: self.number(v, path + (k,), allow_otherwise=True) for k, v in value.items()}

    def when(self, value: Any, path: Path) -> dict[str, tuple[str, ...]]:
        if not isinstance(value, dict) or not value:
            self.error(path, f"expected a mapping event -> state (or list of states), got {self.what(value, path)}")
            return {}
        out = {}
        for k, v in value.items():
            p = path + (k,)
            items = [(s, p + (i,)) for i, s in enumerate(v)] if isinstance(v, list) else [(v, p)]
            states = [self.text(s, q) for s, q in items]
            if not items or None in states:
                bad = next(((s, q) for (s, q), t in zip(items, states) if t is None), (v, p))
                self.error(p, f"expected a state or a list of states, got {self.what(*bad)}")
                continue
            out[k] = tuple(str(s) for s in states)
        return out

    # ------------------------------------------------------------------ the explicit tree
    def tree(self, value: Any, path: Path, label: str, depth: int = 0) -> TreeNode:
        blank = TreeNode("terminal", None, label, None, {}, None, {}, (), path)
        if not isinstance(value, dict):
            self.error(path, f"expected a tree node (a mapping with decision/options, chance/branches "
                             f"or payoff), got {self.what(value, path)}")
            return blank
        allowed = {"decision", "options", "chance", "branches", "payoff", "p", "actor", "actor_payoffs", "name"}
        for k in value:
            if k not in allowed:
                self.error(path + (k,), f"unknown key '{k}' in a tree node{did_you_mean(k, allowed)}", key=True)
        is_dec, is_ch = "decision" in value or "options" in value, "chance" in value or "branches" in value
        if is_dec and is_ch:
            self.error(path, "a node is either a decision (decision + options) or a chance node "
                             "(chance + branches), not both")
            return blank
        p = None
        if "p" in value:
            p = self.number(value["p"], path + ("p",), probability=True, allow_otherwise=True)
        payoff: dict[str, Number] = {}
        if "payoff" in value:
            pv = value["payoff"]
            if isinstance(pv, dict) and "value" not in pv and not (len(pv) == 1 and next(iter(pv)) in DISTRIBUTIONS):
                payoff = self.numbers(pv, path + ("payoff",))
            else:
                payoff = {"": self.number(pv, path + ("payoff",))}  # '' = the single criterion
        actor = value.get("actor")
        if actor is not None and not isinstance(actor, str):
            self.error(path + ("actor",), f"expected an actor id, got {self.what(actor, path + ('actor',))}")
            actor = None
        actor_payoffs = self.numbers(value.get("actor_payoffs"), path + ("actor_payoffs",))
        if not (is_dec or is_ch):
            return TreeNode("terminal", value.get("name"), label, p, payoff, actor, actor_payoffs, (), path)
        kind = "decision" if is_dec else "chance"
        name_key, kids_key = ("decision", "options") if is_dec else ("chance", "branches")
        name = value.get(name_key)
        if name is None:
            self.error(path, f"a {kind} node needs '{name_key}: NAME' beside '{kids_key}'")
        elif not isinstance(name, str):
            self.error(path + (name_key,), f"expected a name, got {self.what(name, path + (name_key,))}")
            name = None
        kids = value.get(kids_key)
        if not isinstance(kids, dict) or not kids:
            self.error(path + ((kids_key,) if kids_key in value else ()),
                       f"a {kind} node needs '{kids_key}:' mapping each {'option' if is_dec else 'branch'} to its node")
            kids = {}
        children = []
        for k, v in kids.items():
            self.check_id(k, path + (kids_key, k), key_position=True)
            children.append(self.tree(v, path + (kids_key, k), k, depth + 1))
        return TreeNode(kind, name, label, p, payoff, actor, actor_payoffs, tuple(children), path)


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else repr(value)


def _what(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a yes/no value)"
    if isinstance(value, str):
        return f"text '{value}'" if len(value) < 40 else "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"the number {value}"


def _keys(cls: Any) -> list[str]:
    return [(fl.metadata.get("key") or fl.name) for fl in dataclasses.fields(cls) if "doc" in fl.metadata]


def _blank_of(tp: Any) -> Any:
    if dataclasses.is_dataclass(tp):
        return _blank(tp, None)  # the second pass reads its fields even when it was missing
    origin = typing.get_origin(tp)
    if origin is tuple:
        return ()
    if origin is dict:
        return {}
    if tp is str:
        return ""
    return None


def _blank(cls: Any, given_id: str | None) -> Any:
    hints = _hints(cls)
    kwargs = {}
    for fl in dataclasses.fields(cls):
        if fl.default is dataclasses.MISSING and fl.default_factory is dataclasses.MISSING:
            kwargs[fl.name] = given_id if fl.name == "id" and given_id else _blank_of(hints[fl.name])
    return cls(**kwargs)


# ====================================================================== second pass: meaning
def _check(sc: Scenario, r: Reader, raw: dict) -> Scenario:
    """Cross-references, probability tables, cycles; returns the scenario with tables read."""
    ids: dict[str, set[str]] = {}

    def unique(name: str, items: Any) -> set[str]:
        seen: dict[str, int] = {}
        for i, it in enumerate(items):
            if it.id in seen:
                r.error((name, i, "id"), f"duplicate id '{it.id}' (also {name}[{seen[it.id]}])")
            else:
                seen[it.id] = i
        ids[name] = set(seen)
        return ids[name]

    evidence = unique("evidence", sc.evidence)
    assumptions = unique("assumptions", sc.assumptions)
    criteria = unique("criteria", sc.criteria)
    options = unique("options", sc.options)
    events = unique("events", sc.events)
    unique("risks", sc.risks)
    actors, sources = set(sc.actors), set(sc.sources)
    signals: dict[str, tuple[str, int]] = {}
    for aid, a in sc.actors.items():
        for i, s in enumerate(a.signals):
            if s.id in signals:
                r.error(("actors", aid, "signals", i, "id"), f"duplicate signal id '{s.id}' (also under actor '{signals[s.id][0]}')")
            signals[s.id] = (aid, i)

    def incomplete(what: str) -> bool:
        """Whether the first pass failed to read some of the ids a reference of this kind names."""
        if what.startswith("state of '"):
            ev = what[len("state of '"):-1]
            return any(r.broken(("events", i, "states")) for i, e in enumerate(sc.events) if e.id == ev)
        return any(r.broken(t) for t in _POOLS.get(what, ()))

    def ref(path: Path, value: Any, pool: set[str], what: str, key: bool = False) -> bool:
        """Report `value` unless it is in `pool`; `key`: the id is the mapping key at `path`."""
        if value is None or value in pool:
            return True
        if incomplete(what):
            return False  # the id may be among those that could not be read
        if not pool:
            r.error(path, f"unknown {what} '{value}': the file defines {_none_of(what)}", key=key)
        else:
            r.error(path, f"unknown {what} '{value}'{did_you_mean(value, pool)}", key=key)
        return False

    def refs(path: Path, values: Any, pool: set[str], what: str) -> None:
        for i, v in enumerate(values or ()):
            ref(path + (i,), v, pool, what)

    def basis(path: Path, obj: Any) -> None:
        refs(path + ("evidence",), getattr(obj, "evidence", ()), evidence, "evidence")
        refs(path + ("assumptions",), getattr(obj, "assumptions", ()), assumptions, "assumption")

    def number_basis(path: Path, n: Number | None) -> None:
        if n is not None:
            refs(path + ("evidence",), n.evidence, evidence, "evidence")
            refs(path + ("assumptions",), n.assumptions, assumptions, "assumption")

    def impacts(path: Path, imp: dict[str, Number]) -> None:
        for k, n in imp.items():
            ref(path + (k,), k, criteria, "criterion", key=True)
            number_basis(path + (k,), n)

    ref(("scenario", "decision_maker"), sc.meta.decision_maker, actors, "actor")
    for sid, s in sc.sources.items():
        ref(("sources", sid, "actor"), s.actor, actors, "actor")
        if not (s.outlet or s.speaker):
            r.error(("sources", sid), "a source needs an 'outlet' or a 'speaker'")
    # An answer to a critique finding names what the finding is about: any id of the file.
    anywhere = evidence | assumptions | criteria | options | events | actors | sources | set(signals)
    for i, a in enumerate(sc.assumptions):
        for k, ans in enumerate(a.answers):
            refs(("assumptions", i, "answers", k, "about"), ans.about, anywhere, "id")
    for i, e in enumerate(sc.evidence):
        ref(("evidence", i, "source"), e.source, sources, "source")
        ref(("evidence", i, "via"), e.via, sources, "source")
        ref(("evidence", i, "actor"), e.actor, actors, "actor")
        if e.credibility is not None and not 1 <= e.credibility <= 6:
            r.error(("evidence", i, "credibility"), f"credibility is graded 1-6; got {e.credibility}")
    for aid, a in sc.actors.items():
        basis(("actors", aid), a)
        for i, s in enumerate(a.signals):
            p = ("actors", aid, "signals", i)
            refs(p + ("toward",), s.toward, options | {c.label for c in (sc.tree.children if sc.tree else ())}, "option")
            basis(p, s)
            number_basis(p + ("follow_through",), s.follow_through)
            for ev, st in s.response.items():
                if ref(p + ("response", ev), ev, events, "event", key=True):
                    ref(p + ("response", ev), st, set(sc.event(ev).states), f"state of '{ev}'")
                    if sc.event(ev).mode == "decision":
                        r.error(p + ("response", ev), f"'{ev}' is a decision of the decision maker: a signal "
                                                      "announces an actor's own response, not that choice", key=True)
    for i, c in enumerate(sc.criteria):
        p = ("criteria", i)
        basis(p, c)
        number_basis(p + ("weight",), c.weight)
        if c.weight is not None and c.weight.support()[0] < 0:
            r.error(p + ("weight",), f"a weight cannot be negative; {c.weight} can be")
        if c.range is not None and not c.range[0] < c.range[1]:
            r.error(p + ("range",), f"range needs low < high; got [{c.range[0]:g}, {c.range[1]:g}]")
        vf = c.value_function
        if vf is not None and not r.doubt(p + ("value_function",)):
            if vf.kind == "exponential" and (vf.rho is None or vf.rho == 0):
                r.error(p + ("value_function",), "an exponential value function needs a non-zero 'rho'")
            if vf.kind == "piecewise":
                xs = [pt[0] for pt in vf.points if pt is not None]
                if len(vf.points) < 2 or any(b <= a for a, b in zip(xs, xs[1:])):
                    r.error(p + ("value_function", "points"), "piecewise needs two or more [x, value] points in increasing x")
                if any(not 0 <= pt[1] <= 1 for pt in vf.points if pt is not None):
                    r.error(p + ("value_function", "points"), "piecewise values lie between 0 and 1")
    for i, o in enumerate(sc.options):
        basis(("options", i), o)
        impacts(("options", i, "impacts"), o.impacts)
    if sc.utility is not None and sc.utility.kind == "exponential":
        if sc.utility.risk_tolerance is None or sc.utility.risk_tolerance <= 0:
            r.error(("utility", "risk_tolerance"), "exponential utility needs a positive risk_tolerance R")

    # events: states, depends_on, cycles, then probability tables
    by_id = {e.id: e for e in sc.events}
    new_events = []
    for i, e in enumerate(sc.events):
        p = ("events", i)
        basis(p, e)
        ref(p + ("actor",), e.actor, actors, "actor")
        if e.signal is not None and ref(p + ("signal",), e.signal, set(signals), "signal"):
            owner = signals[e.signal][0]
            if e.actor is not None and owner != e.actor:
                r.error(p + ("signal",), f"signal '{e.signal}' belongs to actor '{owner}', not '{e.actor}'")
        if not e.states:
            r.error(p + ("states",), "an event needs at least one state")
        for sid, s in e.states.items():
            basis(p + ("states", sid), s)
            impacts(p + ("states", sid, "impacts"), s.impacts)
        for j, d in enumerate(e.depends_on):
            if d != "option":
                if d == e.id:
                    r.error(p + ("depends_on", j), f"event '{e.id}' cannot depend on itself")
                else:
                    ref(p + ("depends_on", j), d, events | {"option"}, "event")
        if len(set(e.depends_on)) != len(e.depends_on):
            r.error(p + ("depends_on",), "a name is listed twice in depends_on")
        if e.options is not None:
            refs(p + ("options",), e.options, options, "option")
            if not e.options and not r.doubt(p + ("options",)):
                r.error(p + ("options",), "an event under no option never happens: name the options it happens "
                                          "under, or remove 'options' for all of them")
        for ev, states in e.when.items():
            if ev == e.id:
                r.error(p + ("when", ev), f"event '{e.id}' cannot happen only when it has happened", key=True)
            elif ref(p + ("when", ev), ev, events, "event", key=True):
                for st in states:
                    ref(p + ("when", ev), st, set(by_id[ev].states), f"state of '{ev}'")
        if e.mode == "decision":
            _check_decision(r, e, p, raw_table(raw, i) is not None)
    cycle = _find_cycle({e.id: [d for d in e.after if d in by_id and d != e.id] for e in sc.events})
    if cycle:
        i = next(k for k, e in enumerate(sc.events) if e.id == cycle[0])
        where = "depends_on" if any(d in by_id for d in sc.events[i].depends_on) else "when"
        r.error(("events", i, where), "events depend on each other in a cycle: " + " -> ".join(cycle + [cycle[0]]))
    else:
        _check_decisions_in_order(r, sc.events)
    for i, e in enumerate(sc.events):
        without_table = e.mode == "decision" or (e.mode == "strategic" and raw_table(raw, i) is None)
        ach_prior = e.prior == "ach" and raw_table(raw, i) is None  # its table is set from its hypotheses
        # a table cannot be read against a self-dependency: its rows would all be reported wrong
        # beside the one mistake already said
        self_dependent = e.id in e.depends_on or len(set(e.depends_on)) != len(e.depends_on)
        rows = (_read_table(r, e, ("events", i, "probability"), raw_table(raw, i), options, sc.events)
                if not cycle and not without_table and not ach_prior and not self_dependent else ())
        new_events.append(dataclasses.replace(e, probability=rows))
    if sc.events and not sc.options and not incomplete("option"):
        r.error(("events",), "events follow options: the file has events but no options")
    if sc.tree is not None and (sc.options or sc.events):
        r.error(("tree",), "use either the explicit 'tree' or 'options' and 'events', not both")

    # risks
    for i, k in enumerate(sc.risks):
        p = ("risks", i)
        basis(p, k)
        number_basis(p + ("severity",), k.severity)
        for ev, states in k.when.items():
            if ref(p + ("when", ev), ev, events, "event", key=True):
                for s in states:
                    ref(p + ("when", ev), s, set(by_id[ev].states), f"state of '{ev}'")
        refs(p + ("options",), k.options, set(sc.option_ids), "option")
        if k.severity is not None and not (1 <= k.severity.support()[0] and k.severity.support()[1] <= 5):
            r.error(p + ("severity",), f"severity is graded 1-5; got {k.severity}")
        if k.severity is not None and k.severity_from is not None:
            r.error(p + ("severity_from",), "give either 'severity' (a grade 1-5) or 'severity_from: consequences' "
                    "(derived from the model), not both", key=True)

    for wid, w in sc.worlds.items():
        basis(("worlds", wid), w)
        for key, n in w.overrides.items():
            number_basis(("worlds", wid, "overrides", key), n)

    tree = sc.tree
    if tree is not None:
        _check_tree(r, sc, tree, criteria, actors)
    elif not sc.options and not incomplete("option") and not r.broken(("tree",)):
        r.error((), "a scenario needs 'options' (with events, or impacts as a decision matrix) or an explicit 'tree'")

    out = dataclasses.replace(sc, events=tuple(new_events))
    from .hypotheses import check_hypotheses  # ACH blocks; sets the table of a `prior: ach` event

    out = check_hypotheses(out, r)
    _check_worlds(r, out, raw)
    from .extensions import check_extensions  # factors, weights, strategic actors, indicators, ladder

    check_extensions(out, r)
    if not r.problems:
        if out.tree is None and out.options and out.events:
            size = len(out.options)
            for e in out.events:
                size *= max(1, len(e.states))
            if size > MAX_TREE_NODES:
                r.error(("events",), f"the events unfold to {size:,} paths (options x states of every event), "
                                     f"more than {MAX_TREE_NODES:,}: merge states or events")
    from .consistency import check_consistency  # consequences within ranges, weights, ignored tables
    check_consistency(out, r)
    return out


def _check_decision(r: Reader, e: Event, p: Path, has_table: bool) -> None:
    """A later decision of the decision maker (`mode: decision`): its own choice, so no actor,
    signal or probabilities, and at least two states to choose between."""
    if e.actor is not None:
        r.error(p + ("actor",), f"'{e.id}' is a decision of the decision maker (mode: decision), so it has no "
                                "'actor': remove it; for another actor's choice use 'mode: strategic' with its actor")
    if e.signal is not None:
        r.error(p + ("signal",), f"'{e.id}' is a decision of the decision maker (mode: decision): a signal is an "
                                 "actor's announcement of its own response; remove it")
    if e.kind != "outcome" and not r.doubt(p + ("kind",)):
        what = "an actor's hidden type" if e.kind == "type" else "an actor's response"
        r.error(p + ("kind",), f"'{e.id}' is a decision of the decision maker (mode: decision), not {what}: "
                               "remove 'kind'")
    if len(e.states) == 1 and not r.doubt(p + ("states",)):
        r.error(p + ("states",), f"a decision chooses between two or more states; '{e.id}' has one "
                                 f"({next(iter(e.states))}): add the alternatives, or make its consequences "
                                 "part of the option")
    if has_table:
        r.error(p + ("probability",), f"'{e.id}' is a decision (mode: decision): a decision has no "
                                      "probabilities, the decision maker chooses the state; remove the table, "
                                      "or remove 'mode: decision' to make it a chance event", key=True)


def unfolding_order(events: tuple[Event, ...]) -> list[Event]:
    """Events in the order they unfold: each after the events it depends on or names in `when`,
    keeping file order where free. Events in a cycle (reported by the loader) are left out."""
    done: set[str] = set()
    known = {e.id for e in events}
    out: list[Event] = []
    pending = list(events)
    while pending:
        e = next((e for e in pending if all(d in done or d not in known for d in e.after)), None)
        if e is None:
            return out
        out.append(e)
        done.add(e.id)
        pending.remove(e)
    return out


def _check_decisions_in_order(r: Reader, events: tuple[Event, ...]) -> None:
    """A decision is taken knowing the events listed before it, and only those: each must unfold in
    the order it is listed relative to every decision."""
    order = unfolding_order(events)
    pos = {e.id: k for k, e in enumerate(order)}
    index = {e.id: i for i, e in enumerate(events)}
    for k, dec in enumerate(events):
        if dec.mode != "decision" or dec.id not in pos:
            continue
        for x in events[:k]:
            if pos.get(x.id, -1) > pos[dec.id]:
                late = next(d for d in x.after if pos.get(d, -1) > pos[dec.id])
                key = "depends_on" if late in x.depends_on else "when"
                r.error(("events", index[x.id], key), f"'{x.id}' is listed before the decision '{dec.id}' but unfolds "
                        f"after it, since it follows '{late}', listed after '{dec.id}': the decision maker would "
                        f"choose without knowing it. List '{late}' before '{dec.id}', or '{x.id}' after it")
        early = next((x for x in events[k + 1:] if pos.get(x.id, len(pos)) < pos[dec.id]), None)
        if early is not None:
            key = "depends_on" if any(d != "option" for d in dec.depends_on) else "when"
            r.error(("events", k, key), f"'{early.id}' is listed after the decision '{dec.id}' but unfolds before "
                    f"it, since the decision follows it (through depends_on or when): a decision is taken knowing "
                    f"the events listed before it, so list '{early.id}' before '{dec.id}'")


_POOLS: dict[str, tuple[Path, ...]] = {
    "actor": (("actors",),), "source": (("sources",),), "evidence": (("evidence", None, "id"),),
    "assumption": (("assumptions", None, "id"),), "criterion": (("criteria", None, "id"),),
    "option": (("options", None, "id"), ("tree", "options")), "event": (("events", None, "id"),),
    "signal": (("actors", None, "signals", None, "id"),),
}
"""Where the ids a reference names are read: a first-pass problem along one of these paths means
the ids may be incomplete, and an unknown reference is then not reported."""


def _none_of(what: str) -> str:
    if what.startswith("state of "):
        return f"no states of {what[len('state of '):]}"
    return "no " + {"evidence": "evidence", "criterion": "criteria", "assumption": "assumptions"}.get(what, what + "s")


def raw_table(raw: dict, i: int) -> Any:
    try:
        return raw["events"][i].get("probability")
    except (AttributeError, IndexError, KeyError, TypeError):
        return None


def _find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in graph.get(n, []):
            if state.get(m) == 1:
                return stack[stack.index(m):]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in graph:
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def _read_table(r: Reader, e: Event, path: Path, table: Any, options: set[str],
                events: tuple[Event, ...]) -> tuple[Row, ...]:
    """Read an event's nested probability table into rows, checking coverage and sums."""
    by_id = {ev.id: ev for ev in events}

    def unread_states(eid: str) -> bool:
        return any(r.broken(("events", i, "states")) for i, ev in enumerate(events) if ev.id == eid)

    deps = list(e.depends_on)
    domains = [sorted(options) if d == "option" else list(by_id[d].states) if d in by_id else [] for d in deps]
    # a level whose values are unknown (an unknown event, ids the first pass could not read) is
    # not checked: its keys would all be reported again as unknown
    shaky = [not dom or (r.broken(("options", None, "id")) if d == "option" else unread_states(d))
             for d, dom in zip(deps, domains)]
    own_shaky = unread_states(e.id)
    rows: list[Row] = []
    if any(d != "option" and d not in by_id for d in deps):
        return ()  # depends_on names an unknown event (reported): how the table should nest is unclear
    if table is None:
        r.error(path, "missing probability table (state -> probability); or make the event an actor's choice with 'mode: strategic'")
        return ()

    def walk(node: Any, level: int, conds: tuple[str, ...], p: Path) -> None:
        if level == len(deps):
            rows.append(_read_row(r, e, node, conds, p, own_shaky))
            return
        if not isinstance(node, dict) or not node:
            r.error(p, f"expected a mapping by {deps[level]} ({', '.join(domains[level][:5])}...)"
                       if domains[level] else f"expected a mapping by {deps[level]}")
            return
        for k, v in node.items():
            if k != "*" and k not in domains[level] and not shaky[level]:
                what = "option" if deps[level] == "option" else f"state of '{deps[level]}'"
                hint = did_you_mean(k, domains[level])
                if not hint and k in e.states and level == 0:
                    hint = f"; the table nests by depends_on {deps} first"
                r.error(p + (k,), f"unknown {what} '{k}'{hint}", key=True)
                continue
            walk(v, level + 1, conds + (k,), p + (k,))

    walk(table, 0, (), path)
    # with ids the first pass could not read, which paths exist is unclear: their rows are not checked
    contexts = (None if any(shaky) or (e.options is not None and r.broken(("options", None, "id")))
                else _contexts(e, deps, events, options, unread_states))
    if contexts is None:
        return tuple(rows)

    def matches(row: Row, combo: tuple) -> bool:
        return all(c == "*" or (v is not None and c == v) for c, v in zip(row.conditions, combo))

    # every combination of conditions met where the event happens must be covered by a row
    for combo in contexts:
        if not any(matches(row, combo) for row in rows):
            given = ", ".join(f"{d}={v}" for d, v in zip(deps, combo) if v is not None)
            absent = [d for d, v in zip(deps, combo) if v is None]
            where = f"where {', '.join(absent)} {'does' if len(absent) == 1 else 'do'} not happen" if absent else ""
            r.error(path, f"no probabilities {f'for {given}' if given else ''}{' ' if given and where else ''}{where}: "
                          "add that row or a '*' row"
                          + (" ('*' is the only key that matches an event that does not happen)" if absent else ""))
            break
    # and a row that no such combination meets is never used (an option or a state the event, or
    # what it depends on, does not happen under)
    for row in rows:
        if contexts and not any(matches(row, combo) for combo in contexts):
            given = ", ".join(f"{d}={c}" for d, c in zip(deps, row.conditions) if c != "*")
            r.error(row.path, f"this row is never used: '{e.id}' does not happen with {given} (see its 'options' "
                              "and 'when', and those of the events it depends on); remove it", key=True)
    if not contexts and e.options != ():
        r.error(path[:-1], f"'{e.id}' never happens: no option and no path meets its 'options' and 'when'")
    return tuple(rows)


MAX_CONTEXTS = 200_000
"""Most paths (through the events a table depends on) its coverage check enumerates."""


def _contexts(e: Event, deps: list[str], events: tuple[Event, ...], options: set[str],
              unread_states: Any) -> list[tuple] | None:
    """The combinations of values of `deps` (an option, a state, or None for an event that did not
    happen) on the paths where `e` happens, in option then state order; None when they cannot be
    told (an unknown event, states the first pass could not read, too many paths)."""
    by_id = {x.id: x for x in events}
    need: set[str] = set()
    stack = [d for d in deps if d != "option"] + list(e.when)
    while stack:
        x = stack.pop()
        if x not in by_id or unread_states(x):
            return None  # reported as an unknown event, or states that could not be read
        if x not in need:
            need.add(x)
            stack.extend(by_id[x].when)  # whether x happens depends on these
    for x in [e, *(by_id[x] for x in need)]:
        # an unknown option or state, or no option at all, is reported where it is written: which
        # paths exist is then unclear, and what follows from it would only echo it
        if x.options is not None and (not x.options or not set(x.options) <= options):
            return None
        if any(k not in by_id or not set(v) <= set(by_id[k].states) for k, v in x.when.items()):
            return None
    paths: list[dict[str, str | None]] = [{"option": o} for o in sorted(options)]
    for x in unfolding_order(events):
        if x.id in need:
            paths = [q for pth in paths for q in
                     ([{**pth, x.id: s} for s in x.states] if x.happens(pth) else [{**pth, x.id: None}])]
            if len(paths) > MAX_CONTEXTS:
                return None
    return list(dict.fromkeys(tuple(pth.get(d) for d in deps) for pth in paths if e.happens(pth)))


def _read_row(r: Reader, e: Event, node: Any, conds: tuple[str, ...], p: Path, unread_states: bool = False) -> Row:
    if not isinstance(node, dict) or not node:
        r.error(p, f"expected state -> probability for {', '.join(e.states)}, got {r.what(node, p)}")
        return Row(conds, {}, p)
    probs: dict[str, Number] = {}
    before = len(r.problems)
    doubtful = False  # a sum over an unknown or unreadable entry would only echo its problem
    for k, v in node.items():
        if k not in e.states:
            doubtful = True
            if not unread_states:
                r.error(p + (k,), f"unknown state '{k}' of '{e.id}'{did_you_mean(k, e.states)}", key=True)
            continue
        probs[k] = r.number(v, p + (k,), probability=True, allow_otherwise=True)
    rest = [k for k, n in probs.items() if n.kind == "otherwise"]
    if len(rest) > 1:
        r.error(p + (rest[1],), f"two 'otherwise' entries ({rest[0]}, {rest[1]}): only one state can take the rest")
        return Row(conds, probs, p)
    if doubtful or len(r.problems) > before:
        return Row(conds, probs, p)
    total = math.fsum(n.point for n in probs.values() if n.kind != "otherwise")
    where = f" for {', '.join(conds)}" if conds else ""
    if rest:
        if total > 1 + PROBABILITY_TOLERANCE:
            r.error(p, f"probabilities{where} sum to {_sum(total)} before 'otherwise': nothing is left for '{rest[0]}'")
        probs[rest[0]] = dataclasses.replace(probs[rest[0]], point=max(0.0, 1.0 - total))
    elif probs and abs(total - 1) > PROBABILITY_TOLERANCE:
        hint = "; use 'otherwise' for one state to take the rest" if total < 1 else ""
        r.error(p, f"probabilities{where} sum to {_sum(total)}, not 1{hint}")
    return Row(conds, probs, p)


def _sum(total: float) -> str:
    """A sum as printed in a message: short, but never '1' for a sum that is not 1 (1.000000002)."""
    short = f"{total:.6g}"
    return f"{total:.12g}" if short in ("1", "0") and total not in (0, 1) else short


def _check_tree(r: Reader, sc: Scenario, root: TreeNode, criteria: set[str], actors: set[str]) -> None:
    if root.kind != "decision":
        r.error(("tree",), "the tree's root must be a decision node (decision: NAME, options: ...): its options are the scenario's options")
    single = next(iter(criteria)) if len(criteria) == 1 else None

    def visit(n: TreeNode, parent: str | None) -> None:
        if parent == "chance" and n.p is None:
            r.error(n.path, f"branch '{n.label}' of a chance node needs a probability 'p'")
        if parent == "decision" and n.p is not None:
            r.error(n.path + ("p",), f"option '{n.label}' of a decision node takes no probability 'p'")
        for k in n.payoff:
            if k == "" and single is None and criteria:
                r.error(n.path + ("payoff",), f"with {len(criteria)} criteria a payoff is a mapping criterion -> number")
            elif k != "":
                if k not in criteria:
                    r.error(n.path + ("payoff", k), f"unknown criterion '{k}'{did_you_mean(k, criteria)}", key=True)
        if n.actor is not None and n.actor not in actors:
            r.error(n.path + ("actor",), f"unknown actor '{n.actor}'{did_you_mean(n.actor, actors)}")
        if n.actor is not None and n.kind != "decision":
            r.error(n.path + ("actor",), "only a decision node has an actor")
        for a in n.actor_payoffs:
            if a not in actors:
                r.error(n.path + ("actor_payoffs", a), f"unknown actor '{a}'{did_you_mean(a, actors)}", key=True)
        if n.kind == "chance" and n.children and not any(r.doubt(c.path + ("p",)) for c in n.children):
            probs = [c.p for c in n.children if c.p is not None]
            rest = [c for c in n.children if c.p is not None and c.p.kind == "otherwise"]
            if len(rest) > 1:
                r.error(rest[1].path + ("p",), "two 'otherwise' branches: only one can take the rest")
            total = math.fsum(q.point for q in probs if q.kind != "otherwise")
            if not rest and len(probs) == len(n.children) and abs(total - 1) > PROBABILITY_TOLERANCE:
                r.error(n.path, f"branch probabilities of '{n.name}' sum to {_sum(total)}, not 1")
            if rest and total > 1 + PROBABILITY_TOLERANCE:
                r.error(n.path, f"branch probabilities of '{n.name}' sum to {_sum(total)} before 'otherwise'")
        for c in n.children:
            visit(c, n.kind)

    visit(root, None)


def _resolve_otherwise(node: TreeNode) -> TreeNode:
    """Fill each 'otherwise' branch's point value with the rest of its chance node."""
    kids = tuple(_resolve_otherwise(c) for c in node.children)
    if node.kind == "chance":
        total = math.fsum(c.p.point for c in kids if c.p is not None and c.p.kind != "otherwise")
        kids = tuple(dataclasses.replace(c, p=dataclasses.replace(c.p, point=max(0.0, 1 - total)))
                     if c.p is not None and c.p.kind == "otherwise" else c for c in kids)
    return dataclasses.replace(node, children=kids)


def _check_worlds(r: Reader, sc: Scenario, raw: dict) -> None:
    """Each override must name a number the file has; `number_paths` lists what can be named."""
    from .paths import number_paths  # the one definition of how numbers are named
    known = number_paths(sc)
    for wid, w in sc.worlds.items():
        bad = set()  # overrides with a problem of their own: sums over them would only echo it
        for key, n in w.overrides.items():
            p = ("worlds", wid, "overrides", key)
            before = len(r.problems)
            _check_override(r, key, n, p, known)
            if len(r.problems) > before or r.follows(p):
                bad.add(key)
        # a world is a whole future: each table it touches must still sum to 1
        for name, row in _probability_rows(sc):
            if any(k in w.overrides for k in row) and not any(k in bad for k in row):
                problem = _sum_problem({k: w.overrides.get(k, n) for k, n in row.items()})
                if problem:
                    first = next(k for k in row if k in w.overrides)
                    r.error(("worlds", wid, "overrides", first), f"with this world's numbers, {name} {problem}",
                            key=True)


def _check_override(r: Reader, key: str, n: Number, p: Path, known: dict[str, str]) -> None:
    """One override: it names a number of the file, and its value suits that number's role."""
    if key not in known:
        if any(q[:1] == (key.split(".")[0],) for q in r.blamed):
            return  # that part of the file has problems: its numbers may not all be known
        r.error(p, f"'{key}' names no number in this file{did_you_mean(key, known)}", key=True)
    elif n.kind == "otherwise":
        if known[key] != "probability":
            r.error(p, "'otherwise' overrides only an entry of a probability table")
    elif known[key] in ("probability", "follow_through"):
        r.number_in_unit_interval(n, p)
    elif known[key] == "weight" and n.support()[0] < 0:
        r.error(p, f"a weight cannot be negative; {n} can be")


def _probability_rows(sc: Scenario) -> Iterator[tuple[str, dict[str, Number]]]:
    """Each probability table row and chance node: its name and its numbers by their path names."""
    for e in sc.events:
        for row in e.probability:
            prefix = ".".join(("events", e.id, "probability") + row.conditions)
            yield prefix, {f"{prefix}.{sid}": n for sid, n in row.probabilities.items()}

    def visit(n: TreeNode, prefix: str) -> Iterator[tuple[str, dict[str, Number]]]:
        if n.kind == "chance":
            yield prefix, {f"{prefix}.{c.label}.p": c.p for c in n.children if c.p is not None}
        for c in n.children:
            yield from visit(c, f"{prefix}.{c.label}")

    if sc.tree is not None:
        yield from visit(sc.tree, "tree")


def _sum_problem(probs: dict[str, Number]) -> str | None:
    """What is wrong with a row's numbers at their point values, or None when they sum to 1."""
    rest = [k for k, n in probs.items() if n.kind == "otherwise"]
    total = math.fsum(n.point for n in probs.values() if n.kind != "otherwise")
    if len(rest) > 1:
        return f"has two 'otherwise' entries ({rest[0].rsplit('.', 1)[-1]}, {rest[1].rsplit('.', 1)[-1]})"
    if rest and total > 1 + PROBABILITY_TOLERANCE:
        return f"sums to {_sum(total)} before 'otherwise'"
    if not rest and abs(total - 1) > PROBABILITY_TOLERANCE:
        return (f"sums to {_sum(total)}, not 1: override the other entries too, or one of them "
                "with 'otherwise'")
    return None


# ====================================================================== public API
def loads(text: str | bytes, file: str = "<string>") -> Scenario:
    """Read a scenario from YAML text; raise `ScenarioError` listing every problem."""
    if isinstance(text, bytes):
        text = read_text(text, file)
    doc = parse_yaml(text, file)
    if not isinstance(doc.data, dict):
        raise ScenarioError([doc.problem((), f"the top level must be a mapping of keys "
                                             f"(scenario:, options:, ...), not {_what(doc.data)}")])
    r = Reader(doc)
    data = dict(doc.data)
    # the scale first: words elsewhere in the file are read through it
    if "probability_scale" in data and data["probability_scale"] is not None:
        r.read_scale(data["probability_scale"], ("probability_scale",))
        data["probability_scale"] = data["probability_scale"]
    sc = r.obj(Scenario, data, ())
    sc = dataclasses.replace(sc, probability_scale=dict(r.scale), file=file, document=doc)
    r.shaky = tuple(r.blamed)
    sc = _check(sc, r, doc.data)
    if r.problems:
        raise ScenarioError(r.problems)
    if sc.tree is not None:
        sc = dataclasses.replace(sc, tree=_resolve_otherwise(sc.tree))
    return sc


def load(path: str | FsPath) -> Scenario:
    """Read a scenario file; raise `ScenarioError` (with FILE:LINE:COL) for any problem."""
    from .yamlsource import MAX_BYTES

    path = FsPath(path)
    name = str(path)

    def refuse(message: str) -> ScenarioError:
        return ScenarioError([Problem(name, 1, 1, message)])

    try:
        if path.is_dir():
            raise refuse("is a folder, not a scenario file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise refuse(f"file is {size:,} bytes; scenario files are limited to {MAX_BYTES:,} bytes")
        with path.open("rb") as fh:  # bounded: a device or a pipe reports no size
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise refuse("no such file: check the path") from None
    except PermissionError:
        raise refuse("cannot read this file (permission denied)") from None
    except IsADirectoryError:
        raise refuse("is a folder, not a scenario file") from None
    except OSError as e:  # a name too long, a loop of links, a read error
        raise refuse(f"cannot read this file: {e.strerror or e}") from None
    if len(raw) > MAX_BYTES:
        raise refuse(f"more than {MAX_BYTES:,} bytes; scenario files are limited to that")
    return loads(read_text(raw, name), name)
