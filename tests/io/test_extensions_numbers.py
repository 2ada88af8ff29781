"""model/io/extensions.py on extreme numbers: a huge or non-finite loading, swing, optimism
coefficient, satisficing bound or rationality is reported as a problem at FILE:LINE:COL and
never raises (hypothesis once found `loading ** 2` overflowing on a loading of 1.34e154)."""

from __future__ import annotations

import dataclasses
import math
import textwrap

import pytest

from model.io import ScenarioError, loads
from model.io.extensions import check_extensions

TEXT = textwrap.dedent("""\
    scenario: {id: x, title: Extreme numbers, decision_maker: us}
    actors:
      us: {name: Us}
      them: {name: Them, payoffs: {move.hold: 0, move.push: 1}}
    criteria: [{id: cost, direction: min, swing: 100}]
    options: [{id: act, impacts: {cost: [1, 3]}}, {id: wait, impacts: {cost: 0}}]
    events:
      - id: move
        actor: them
        mode: strategic
        rationality: 2
        depends_on: [option]
        states: {hold: {}, push: {}}
    factors:
      f: {description: d, drives: {options.act.impacts.cost: LOADING}}
    comparison: {hurwicz_alpha: 0.5, satisficing: {cost: {max: 5}}}
    """)


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as e:
        loads(text, "x.yaml")
    return [str(p) for p in e.value.problems]


@pytest.mark.parametrize("loading, shown", [
    ("1.3407807929942597e+154", "1.34078e+154"),   # what hypothesis found: loading ** 2 overflowed
    ("1e300", "1e+300"), ("-1.7e308", "-1.7e+308"), ("1.5", "1.5"), ("-2", "-2"),
])
def test_a_loading_outside_minus_one_to_one_is_a_problem_at_its_place(loading, shown, at):
    text = TEXT.replace("LOADING", loading)
    assert problems(text) == [(f"x.yaml:{at(text, loading)}: factors.f.drives.options.act.impacts.cost: "
                               f"a loading is a correlation between -1 and 1; got {shown}")]


@pytest.mark.parametrize("loading", [".inf", "-.inf", ".nan", "1e309"])
def test_a_non_finite_loading_is_a_problem_at_its_place(loading, at):
    text = TEXT.replace("LOADING", loading)
    (p,) = problems(text)
    assert p.startswith(f"x.yaml:{at(text, loading)}: ")


def test_loadings_in_range_load_and_their_squares_add_up():
    assert loads(TEXT.replace("LOADING", "-1"), "x.yaml").factors["f"].drives == {"options.act.impacts.cost": -1.0}
    two = TEXT.replace("LOADING", "0.8").replace(
        "comparison:", "  g: {description: e, drives: {options.act.impacts.cost: 0.7}}\ncomparison:")
    (p,) = problems(two)
    assert "sum to 1.13; they can sum to 1 at most" in p        # 0.64 + 0.49


class Recorder:
    """The loader's Reader as check_extensions uses it: records (path, message)."""

    def __init__(self) -> None:
        self.errors: list[tuple[tuple, str]] = []

    def error(self, path, message, key=False, blame=None) -> None:
        self.errors.append((tuple(path), message))


HUGE = 10 ** 400          # a YAML integer can be this large; no float can hold it


@pytest.mark.parametrize("loading", [HUGE, -HUGE, math.inf, -math.inf, math.nan])
def test_check_extensions_never_raises_on_a_loading(loading):
    sc = loads(TEXT.replace("LOADING", "0.5"), "x.yaml")
    f = dataclasses.replace(sc.factors["f"], drives={"options.act.impacts.cost": loading})
    r = Recorder()
    check_extensions(dataclasses.replace(sc, factors={"f": f}), r)
    ((path, msg),) = r.errors
    assert path == ("factors", "f", "drives", "options.act.impacts.cost")
    assert msg.startswith("a loading is a correlation between -1 and 1; got ") and len(msg) < 100


def test_check_extensions_never_raises_on_other_extreme_numbers():
    sc = loads(TEXT.replace("LOADING", "0.5"), "x.yaml")
    crit = dataclasses.replace(sc.criteria[0], swing=HUGE, rank=-HUGE)
    sat = dataclasses.replace(sc.comparison.satisficing["cost"], max=math.inf)
    cmp = dataclasses.replace(sc.comparison, hurwicz_alpha=math.nan, satisficing={"cost": sat})
    ev = dataclasses.replace(sc.events[0], rationality=-HUGE)
    bad = dataclasses.replace(sc, criteria=(crit,), comparison=cmp, events=(ev,))
    r = Recorder()
    check_extensions(bad, r)
    got = {p[-1] if p[-1] != "cost" else "satisficing": m for p, m in r.errors}
    assert set(got) == {"swing", "rank", "hurwicz_alpha", "satisficing", "rationality"}
    assert got["hurwicz_alpha"] == "the optimism coefficient lies in [0, 1]; got nan"
    assert got["satisficing"] == "a satisficing bound is a finite number; got min None, max inf"
    assert all(len(m) < 120 for m in got.values())
    # a rationality of +inf is no logit precision either
    r = Recorder()
    check_extensions(dataclasses.replace(sc, events=(dataclasses.replace(sc.events[0], rationality=math.inf),)), r)
    assert [p for p, _ in r.errors] == [("events", 0, "rationality")]


def test_a_huge_integer_loading_is_a_problem():
    # refused where YAML is read: an integer beyond a float's range is "too large for a number"
    text = TEXT.replace("LOADING", str(HUGE))
    assert problems(text)
