"""Robustness across alternative futures: options x worlds, regret, and the classic decision rules.

A scenario's `worlds` are alternative futures, each the file with some numbers replaced. Each
world is compiled and evaluated at its point values; the value of an option in a world is what
`evaluate` ranks by (its certainty equivalent in value units: the expected value when
risk-neutral), larger is better. With several criteria the worlds are put on one value scale
first: a criterion without a stated `range` gets its range from the consequences, which differ
between worlds, so every world is scored on one common range (`scale`: 'union' of the base's and
every world's ranges, the default, or the 'base' file's own ranges). With one criterion and no
value function the value is the payoff in the criterion's unit (negated when it is minimised).

Rules over the value table v[o, w] (ties within TIE_TOLERANCE are reported, never broken):
- regret r[o, w] = max_o' v[o', w] - v[o, w]; minimax regret: least largest regret;
- maximin: best worst value; maximax: best best value;
- Hurwicz: alpha * max_w v + (1 - alpha) * min_w v with optimism alpha (0 pessimist, 1 optimist);
- Laplace: the mean over worlds (each world equally likely);
- satisficing: the share of worlds in which an option meets every bound the analyst states
  (`comparison.satisficing`, on expected consequences in criteria units); the best share wins.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..compile import Model, compile_scenario
from ..evaluate import near_top, point, tie_width
from ..io import Scenario
from ..io.scenario import Bound
from ..results import Result, Table, table

BASE = "(base)"
"""Column label of the file's own numbers when they are shown beside the worlds."""

SCALES = ("union", "base")


def _winners(score: np.ndarray, options: Sequence[str]) -> list[str]:
    return [o for o, b in zip(options, near_top(score)) if b]


@dataclass(frozen=True, eq=False)
class Rules(Result):
    """Decision rules applied to a value table; arrays over options [O] unless stated.

    value[O, W], worst (min over worlds), best (max over worlds), hurwicz and laplace in the
    value's unit; regret[O, W] and max_regret as amounts, never negative (how far below the best
    option in the world); alpha: Hurwicz's optimism; choice: rule -> the options it picks
    (several when tied).
    """

    options: tuple[str, ...]
    worlds: tuple[str, ...]
    value: np.ndarray
    regret: np.ndarray
    max_regret: np.ndarray
    worst: np.ndarray
    best: np.ndarray
    hurwicz: np.ndarray
    laplace: np.ndarray
    alpha: float
    choice: dict[str, list[str]]

    def table(self) -> Table:
        """Option x rule: max regret, worst, best, Hurwicz and Laplace values; the choices in the notes."""
        vals = np.column_stack([self.max_regret, self.worst, self.best, self.hurwicz, self.laplace])
        notes = [f"{k.replace('_', ' ')}: {', '.join(v)}" + (" (tie)" if len(v) > 1 else "")
                 for k, v in self.choice.items()]
        return table("Decision rules", "option", self.options,
                     ["max regret", "worst", "best", f"Hurwicz a={self.alpha:g}", "Laplace"], vals, notes=notes)

    def to_dict(self) -> dict[str, Any]:
        """{options, worlds, value, regret: {option: {world: x}}, max_regret, worst, best, hurwicz,
        laplace: {option: x}, alpha, choice: {rule: [options]}}."""
        def by_option(a: np.ndarray) -> dict[str, float]:
            return {o: float(x) for o, x in zip(self.options, a)}

        return {"options": list(self.options), "worlds": list(self.worlds),
                "value": {o: dict(zip(self.worlds, map(float, row))) for o, row in zip(self.options, self.value)},
                "regret": {o: dict(zip(self.worlds, map(float, row))) for o, row in zip(self.options, self.regret)},
                "max_regret": by_option(self.max_regret), "worst": by_option(self.worst),
                "best": by_option(self.best), "hurwicz": by_option(self.hurwicz),
                "laplace": by_option(self.laplace), "alpha": self.alpha,
                "choice": {k: list(v) for k, v in self.choice.items()}}


def decision_rules(value: np.ndarray, options: Sequence[str], worlds: Sequence[str],
                   alpha: float = 0.5) -> Rules:
    """Regret, minimax regret, maximin, maximax, Hurwicz (optimism `alpha`) and Laplace on
    value[O, W] (larger is better).

    >>> v = np.array([[40., 10, 20], [30, 30, 0], [60, -20, 10]])
    >>> r = decision_rules(v, ["n", "s", "b"], ["w1", "w2", "w3"], 0.3)
    >>> r.max_regret.tolist(), r.choice["minimax_regret"], r.hurwicz.round(6).tolist()
    ([20.0, 30.0, 50.0], ['n'], [19.0, 9.0, 4.0])
    """
    v = np.asarray(value, dtype=float)
    if v.ndim != 2 or v.shape != (len(options), len(worlds)) or v.shape[1] == 0:
        raise ValueError(f"decision_rules(): value must be options x worlds, {len(options)} x {len(worlds)} "
                         f"with at least one world; got shape {v.shape}")
    if not 0 <= alpha <= 1:
        raise ValueError(f"decision_rules(): alpha (optimism) must lie in [0, 1]; got {alpha}")
    regret = v.max(axis=0, keepdims=True) - v
    max_regret = regret.max(axis=1)
    worst, best = v.min(axis=1), v.max(axis=1)
    hurwicz = alpha * best + (1 - alpha) * worst
    laplace = v.mean(axis=1)
    choice = {
        "minimax_regret": _winners(-max_regret, options),
        "maximin": _winners(worst, options),
        "maximax": _winners(best, options),
        "hurwicz": _winners(hurwicz, options),
        "laplace": _winners(laplace, options),
    }
    return Rules(tuple(options), tuple(worlds), v, regret, max_regret, worst, best, hurwicz, laplace,
                 float(alpha), choice)


def satisficing(expected: np.ndarray, criteria: Sequence[str], bounds: Mapping[str, Bound]) -> np.ndarray:
    """met[O, W]: True where an option's expected consequences expected[O, W, C] meet every bound
    (criterion id -> Bound with min and/or max, in the criterion's unit; equality within the tie
    tolerance counts as met)."""
    x = np.asarray(expected, dtype=float)
    met = np.ones(x.shape[:2], dtype=bool)
    for cid, b in bounds.items():
        if cid not in criteria:
            raise ValueError(f"satisficing(): no criterion {cid!r} (criteria: {', '.join(criteria)})")
        xi = x[:, :, list(criteria).index(cid)]
        tol = tie_width(xi)
        if b.min is not None:
            met &= xi >= b.min - tol
        if b.max is not None:
            met &= xi <= b.max + tol
    return met


@dataclass(frozen=True, eq=False)
class Robustness(Result):
    """Options across worlds: the rules, the consequences behind them, and the settings.

    expected[O, W, C]: expected consequences in each world (criteria units); ranges[C, 2]: the
    common value scale; scale: how it was chosen; value_unit: the unit of `rules.value` (and of
    worst, best, Hurwicz, Laplace), signed like the value: '-USD (minus the cost)' for one raw
    minimised criterion; regret_unit: the unit of the regrets, a plain amount ('USD': how much
    more the option costs than the best option in that world); regret_meaning: that sentence;
    bounds: satisficing bounds; met[O, W] and share[O] (None without bounds); names: column ->
    display name.

    table(): the decision rules (`rules_table`); printed and shown in a notebook: the value,
    regret, rules and satisficing tables one after another.
    """

    rules: Rules
    criteria: tuple[str, ...]
    units: tuple[str, ...]
    expected: np.ndarray
    ranges: np.ndarray
    scale: str
    value_unit: str
    regret_unit: str
    regret_meaning: str
    names: dict[str, str]
    bounds: dict[str, Bound]
    met: np.ndarray | None
    share: np.ndarray | None
    notes: tuple[str, ...]

    @property
    def satisficing_choice(self) -> list[str] | None:
        return None if self.share is None else _winners(self.share, self.rules.options)

    def value_table(self) -> Table:
        r = self.rules
        return table("Value in each world", "option", r.options, r.worlds, r.value,
                     [self.value_unit] * len(r.worlds), self.notes)

    def regret_table(self) -> Table:
        r = self.rules
        vals = np.column_stack([r.regret, r.max_regret])
        return table("Regret in each world", "option", r.options, list(r.worlds) + ["max regret"], vals,
                     [self.regret_unit] * (len(r.worlds) + 1), [self.regret_meaning])

    def rules_table(self) -> Table:
        r = self.rules
        cols = ["max regret", "worst", "best", f"Hurwicz a={r.alpha:g}", "Laplace"]
        vals = [r.max_regret, r.worst, r.best, r.hurwicz, r.laplace]
        if self.share is not None:
            cols.append("satisficing share")
            vals.append(self.share)
        notes = [f"{k.replace('_', ' ')}: {', '.join(v)}" + (" (tie)" if len(v) > 1 else "")
                 for k, v in self._choices().items()]
        return table("Decision rules across worlds", "option", r.options, cols, np.column_stack(vals),
                     [self.regret_unit] + [self.value_unit] * 4 + (["share"] if self.share is not None else []),
                     notes)

    def satisficing_table(self) -> Table | None:
        if self.met is None:
            return None
        r = self.rules
        bounds = "; ".join(f"{c}" + (f" >= {b.min:g}" if b.min is not None else "")
                           + (f" <= {b.max:g}" if b.max is not None else "") for c, b in self.bounds.items())
        return table("Satisficing: bounds met in each world", "option", r.options, list(r.worlds) + ["share"],
                     [list(map(bool, m)) + [float(s)] for m, s in zip(self.met, self.share)],
                     notes=[f"bounds on expected consequences: {bounds}"])

    def _choices(self) -> dict[str, list[str]]:
        out = dict(self.rules.choice)
        if self.share is not None:
            out["satisficing"] = self.satisficing_choice
        return out

    def table(self) -> Table:
        return self.rules_table()

    def tables(self) -> list[Table]:
        """Every table of the result: value, regret, decision rules (and satisficing, with bounds)."""
        tables = [self.value_table(), self.regret_table(), self.rules_table(), self.satisficing_table()]
        return [t for t in tables if t is not None]

    def _repr_html_(self) -> str:
        return "".join(t._repr_html_() for t in self.tables())

    def __str__(self) -> str:
        return "\n\n".join(t.to_text() for t in self.tables())

    def to_dict(self) -> dict[str, Any]:
        """The `worlds` block of `juncture compare --worlds --json`."""
        r = self.rules

        def one(v: list[str]) -> Any:
            return v[0] if len(v) == 1 else v

        def by_option(a: np.ndarray) -> dict[str, float]:
            return {o: float(x) for o, x in zip(r.options, a)}

        out: dict[str, Any] = {
            "columns": list(r.worlds),
            "names": self.names,
            "value": {o: dict(zip(r.worlds, map(float, row))) for o, row in zip(r.options, r.value)},
            "regret": {o: dict(zip(r.worlds, map(float, row))) for o, row in zip(r.options, r.regret)},
            "max_regret": by_option(r.max_regret),
            "minimax_regret": one(r.choice["minimax_regret"]),
            "maximin": one(r.choice["maximin"]),
            "maximax": one(r.choice["maximax"]),
            "hurwicz": one(r.choice["hurwicz"]),
            "hurwicz_alpha": r.alpha,
            "hurwicz_value": by_option(r.hurwicz),
            "laplace": one(r.choice["laplace"]),
            "laplace_value": by_option(r.laplace),
            "worst": by_option(r.worst),
            "best": by_option(r.best),
            "value_unit": self.value_unit,
            "scale": self.scale,
            "ranges": {c: [float(a), float(b)] for c, (a, b) in zip(self.criteria, self.ranges)},
            "expected": {o: {w: dict(zip(self.criteria, map(float, self.expected[i, j])))
                             for j, w in enumerate(r.worlds)} for i, o in enumerate(r.options)},
            "notes": list(self.notes),
        }
        if self.share is not None:
            out["satisficing"] = {
                "bounds": {c: {k: v for k, v in (("min", b.min), ("max", b.max)) if v is not None}
                           for c, b in self.bounds.items()},
                "met": {o: dict(zip(r.worlds, map(bool, row))) for o, row in zip(r.options, self.met)},
                "share": by_option(self.share),
                "choice": one(self.satisficing_choice),
            }
        return out


def across_worlds(scenario: Scenario | Model, alpha: float | None = None, include_base: bool = False,
                  scale: str = "union", bounds: Mapping[str, Bound] | None = None) -> Robustness:
    """Evaluate every world of the scenario at its point values and apply the decision rules.

    alpha: Hurwicz optimism (None: `comparison.hurwicz_alpha`, else 0.5). include_base: add the
    file's own numbers as a column labelled '(base)' (it then counts in the rules like a world).
    scale: the common value scale, 'union' or 'base' (see the module docstring). bounds:
    satisficing bounds (None: `comparison.satisficing`; empty: no satisficing rule).
    """
    if isinstance(scenario, Model):
        if scenario.world is not None:
            raise ValueError(f"across_worlds(): give the scenario or its base model, not the model of world "
                             f"{scenario.world!r}")
        sc = scenario.scenario
    else:
        sc = scenario
    if scale not in SCALES:
        raise ValueError(f"across_worlds(): scale must be one of {', '.join(SCALES)}; got {scale!r}")
    if not sc.worlds and not include_base:
        raise ValueError(f"across_worlds(): scenario {sc.meta.id!r} has no worlds to compare across: add "
                         "alternative futures under `worlds:` in the file, each overriding some of its numbers")
    cmp = sc.comparison
    alpha = alpha if alpha is not None else (cmp.hurwicz_alpha if cmp is not None else 0.5)
    bounds = dict(bounds) if bounds is not None else (dict(cmp.satisficing) if cmp is not None else {})
    base = scenario if isinstance(scenario, Model) else compile_scenario(sc)
    worlds = {w: compile_scenario(sc, world=w) for w in sc.worlds}
    if scale == "base":
        ranges = base.ranges.copy()
    else:
        every = np.stack([base.ranges] + [m.ranges for m in worlds.values()])
        ranges = np.column_stack([every[:, :, 0].min(axis=0), every[:, :, 1].max(axis=0)])
    columns = ([(BASE, base)] if include_base else []) + list(worlds.items())
    values, expected = [], []
    for _, m in columns:
        ev = point(dataclasses.replace(m, ranges=ranges), keep_nodes=False)
        values.append(ev.preference[0])
        expected.append(ev.expected[0])
    labels = [c for c, _ in columns]
    rules = decision_rules(np.column_stack(values), base.options, labels, alpha)
    x = np.stack(expected, axis=1)                                       # [O, W, C]
    met = satisficing(x, base.criteria, bounds) if bounds else None
    share = met.mean(axis=1) if met is not None else None
    units = tuple((c.unit or "") for c in sc.criteria) or ("",)
    regret_meaning = "regret: the best value in the world minus the option's value"
    if base.raw_value:
        unit = units[0] or "payoff"
        value_unit = regret_unit = unit
        if base.directions[0] < 0:
            # the value is minus the cost, so its unit is signed; a regret is a plain amount of cost
            value_unit = f"-{unit} (minus the cost)"
            regret_meaning = "regret: how much more the option costs than the best option in that world"
        scale_note = f"one criterion compared in its own unit ({unit})"
    else:
        value_unit = regret_unit = "value 0-1"
        how = "the base file's ranges" if scale == "base" else "the widest range of the base and every world"
        spans = "; ".join(f"{c} [{a:g}, {b:g}]" for c, (a, b) in zip(base.criteria, ranges))
        scale_note = f"common value scale ({scale}: {how}): {spans}"
    meaning = ("value: what evaluate ranks by (certainty equivalent; expected value when risk-neutral), "
               "larger is better")
    notes = [scale_note, meaning]
    reweighted = [w for w, world in sc.worlds.items()
                  if any(k.startswith("criteria.") and k.endswith(".weight") for k in world.overrides)]
    if reweighted and not base.raw_value:
        notes.append("worlds that change the weights (their values use their own weights): "
                     + ", ".join(reweighted))
    if include_base:
        notes.append(f"{BASE}: the file's own numbers, counted as one more world")
    names = {c: (BASE if c == BASE else (sc.worlds[c].name or c)) for c in labels}
    return Robustness(rules=rules, criteria=base.criteria, units=units, expected=x, ranges=ranges,
                      scale=scale, value_unit=value_unit, regret_unit=regret_unit,
                      regret_meaning=regret_meaning, names=names, bounds=bounds, met=met, share=share,
                      notes=tuple(notes))
