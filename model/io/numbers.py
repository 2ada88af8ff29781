"""Uncertain numbers as an analyst writes them: exact, a range, a word of estimative probability,
a distribution, or `otherwise` (the rest of a probability table)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Mapping

from .distributions import DISTRIBUTIONS as _LAWS
from .distributions import FORMS, law

ICD203_SCALE: dict[str, tuple[float, float]] = {
    "almost no chance": (0.01, 0.05),
    "very unlikely": (0.05, 0.20),
    "unlikely": (0.20, 0.45),
    "roughly even chance": (0.45, 0.55),
    "likely": (0.55, 0.80),
    "very likely": (0.80, 0.95),
    "almost certain": (0.95, 0.99),
    # the scale's alternative words, same bands
    "remote": (0.01, 0.05),
    "highly improbable": (0.05, 0.20),
    "improbable": (0.20, 0.45),
    "roughly even odds": (0.45, 0.55),
    "probable": (0.55, 0.80),
    "highly probable": (0.80, 0.95),
    "nearly certain": (0.95, 0.99),
}
"""Words of estimative probability (ICD 203) and the probability band each stands for."""

DISTRIBUTIONS: dict[str, int] = {name: d.n_params for name, d in _LAWS.items()}
"""Distribution names a file may use, with their number of parameters: a view of the one table,
`model.io.distributions.DISTRIBUTIONS` (the JSON Schema reads it)."""

CONFIDENCE = ("low", "moderate", "high")

_DECIMAL = re.compile(r"^\s*[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\s*$")
_PERCENT = re.compile(r"^\s*([-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))\s*%\s*$")
_FRACTION = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\s*$")


def normal_word(word: str) -> str:
    """A word of estimative probability as the scale spells it ('Very_Likely' -> 'very likely')."""
    return " ".join(word.replace("_", " ").replace("-", " ").lower().split())


@dataclass(frozen=True)
class Number:
    """A number that may be uncertain.

    kind: 'fixed', 'range', 'word', one of DISTRIBUTIONS, or 'otherwise'.
    params: the parameters as written (range: low, high; word: its band; distributions: theirs).
    point: the value used for point estimates (band midpoint, distribution mean, or the
        analyst's `point`); for 'otherwise' it is filled in by the table that holds it.
    """

    kind: str
    params: tuple[float, ...] = ()
    point: float = math.nan
    word: str | None = None
    evidence: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    confidence: str | None = None

    @property
    def is_uncertain(self) -> bool:
        return self.kind not in ("fixed", "otherwise")

    @property
    def cites(self) -> bool:
        return bool(self.evidence or self.assumptions)

    def support(self) -> tuple[float, float]:
        """Smallest and largest value a draw can take (infinite for unbounded distributions)."""
        if self.kind == "fixed":
            return (self.point, self.point)
        if self.kind == "otherwise":
            return (0.0, 1.0)
        return law(self.kind, "Number.support()").support(self.params)

    def __str__(self) -> str:
        if self.kind == "fixed":
            return f"{self.point:g}"
        if self.kind == "word":
            return str(self.word)
        if self.kind == "range":
            return f"[{self.params[0]:g}, {self.params[1]:g}]"
        if self.kind == "otherwise":
            return "otherwise"
        return f"{self.kind}({', '.join(f'{x:g}' for x in self.params)})"


def mean_of(kind: str, p: tuple[float, ...]) -> float:
    """Mean of a distribution given by its parameters as written in a file."""
    return law(kind, "mean_of()").mean(p)


class NumberFormError(ValueError):
    """A value that is not a number in any accepted form; the message says what was expected."""


def _finite(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def parse_number(value: Any, scale: Mapping[str, tuple[float, float]] | None = None,
                 allow_otherwise: bool = False) -> Number:
    """Read a number in any accepted form (see docs/scenario-format.md) or raise NumberFormError.

    The long form `{value: ..., point: ..., evidence: [...], assumptions: [...], confidence: ...}`
    is read by the caller, which checks its keys; this reads the `value` part.
    """
    scale = ICD203_SCALE if scale is None else scale
    if _finite(value):
        return Number("fixed", (float(value),), float(value))
    if isinstance(value, bool) or value is None:
        raise NumberFormError(f"{_show(value)} is not a number")
    if isinstance(value, float):
        raise NumberFormError(f"{value} is not a finite number")
    if isinstance(value, str):
        if _DECIMAL.match(value) and math.isfinite(float(value)):  # "0.3" quoted is still 0.3
            return Number("fixed", (float(value),), float(value))
        m = _FRACTION.match(value)
        if m:
            num, den = float(m.group(1)), float(m.group(2))
            if den == 0:
                raise NumberFormError(f"'{value}' divides by zero")
            return Number("fixed", (num / den,), num / den)
        word = normal_word(value)
        if word == "otherwise":
            if not allow_otherwise:
                raise NumberFormError("'otherwise' belongs only in a probability table")
            return Number("otherwise")
        if word in scale:
            band = tuple(scale[word])
            return Number("word", band, FORMS["word"].mean(band), word=word)
        pct = _PERCENT.match(value)
        if pct:  # '70%': the usual way to say it, but a probability here is a fraction
            x = float(pct.group(1)) / 100
            raise NumberFormError(f"'{value}' is not a number: write {x:g}" + (
                "" if allow_otherwise else f" for a probability or a share (or {float(pct.group(1)):g} for a "
                                           "criterion measured in percent)"))
        from .errors import did_you_mean
        hint = did_you_mean(word, list(scale) + (["otherwise"] if allow_otherwise else []))
        raise NumberFormError(f"'{value}' is not a number, a range or a word of estimative "
                              f"probability{hint}")
    if isinstance(value, list):
        if len(value) != 2 or not all(_finite(x) for x in value):
            raise NumberFormError(f"a range is two numbers [low, high]; got {_show(value)}")
        lo, hi = float(value[0]), float(value[1])
        if lo > hi:
            raise NumberFormError(f"range [{lo:g}, {hi:g}] has low above high: write [{hi:g}, {lo:g}]")
        return Number("range", (lo, hi), FORMS["range"].mean((lo, hi)))
    if isinstance(value, dict):
        if len(value) != 1:
            raise NumberFormError(f"a distribution is one key, such as {{beta: [3, 7]}}; got keys "
                                  f"{', '.join(map(str, value)) or 'none'}")
        (name, args), = value.items()
        if name not in _LAWS:
            from .errors import did_you_mean
            raise NumberFormError(f"unknown distribution '{name}'{did_you_mean(name, _LAWS)}; "
                                  f"use one of {', '.join(_LAWS)}")
        d = _LAWS[name]
        if not isinstance(args, list) or len(args) != d.n_params or not all(_finite(x) for x in args):
            raise NumberFormError(f"{name} takes {d.n_params} numbers; got {_show(args)}")
        p = tuple(float(x) for x in args)
        problem = d.check(p)
        if problem is not None:
            raise NumberFormError(problem)
        return Number(name, p, d.mean(p))
    raise NumberFormError(f"{_show(value)} is not a number")


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (read as a yes/no value)"
    return _flow(value)


def _flow(value: Any) -> str:
    """A value as YAML writes it in a line ([0.2, 0.4], {beta: [3, 7]}), not as Python would."""
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return str(value).lower()
    return "null" if value is None else (repr(value) if isinstance(value, float) else str(value))
