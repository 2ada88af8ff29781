"""The table of aggregation methods (`model.analysis.mcda.AGGREGATIONS`): it lists mavt and topsis,
and compare(), SMAA and `juncture compare --method` all go through it, so a method added as one
entry is compared, drawn and offered on the command line."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from types import MappingProxyType

import numpy as np
import pytest

from model import loads
from model.analysis import mcda
from model.analysis.mcda import AGGREGATIONS, PARTIAL_ORDER, SCORES, Aggregation, compare
from model.analysis.smaa import smaa
from model.cli import build_parser
from model.compile import compile_scenario
from model.evaluate import value_scores
from model.results import table

# Value scores on [0, 10], both criteria maximised: x (0.2, 0.8), y (0.5, 0.5), z (0.9, 0.1).
# With equal weights additive value ties all three at 0.5; the worst score (maximin) is x 0.2,
# y 0.5, z 0.1, so maximin ranks y, x, z.
MATRIX = """\
scenario: {id: agg, title: Aggregation table}
criteria: [{id: a, range: [0, 10]}, {id: b, range: [0, 10]}]
options:
  - {id: x, impacts: {a: 2, b: 8}}
  - {id: y, impacts: {a: 5, b: 5}}
  - {id: z, impacts: {a: 9, b: 1}}
"""


@pytest.fixture
def m():
    return compile_scenario(loads(MATRIX))


def _maximin(model, expected, w, choices):
    sc = value_scores(dataclasses.replace(model, ranges=choices.ranges), expected)
    return sc.min(axis=-1), sc


MAXIMIN = Aggregation(
    "maximin", _maximin, SCORES, "worst value 0-1", ("value_range",),
    detail_table=lambda r: table("Worst value score", "option", r.options, r.criteria, r.detail),
    prepare=AGGREGATIONS["mavt"].prepare)


@pytest.fixture
def with_maximin(monkeypatch):
    monkeypatch.setattr(mcda, "AGGREGATIONS", MappingProxyType({**AGGREGATIONS, "maximin": MAXIMIN}))


def test_the_table_lists_mavt_then_topsis_and_both_score():
    assert list(AGGREGATIONS) == ["mavt", "topsis"] and mcda.METHODS == ("mavt", "topsis")
    assert all(a.returns == SCORES for a in AGGREGATIONS.values())
    assert (AGGREGATIONS["mavt"].unit, AGGREGATIONS["topsis"].unit) == ("value 0-1", "closeness 0-1")
    assert AGGREGATIONS["mavt"].reads == ("value_range",)
    assert AGGREGATIONS["topsis"].reads == ("normalisation", "cost")


def test_compare_and_smaa_dispatch_through_the_table(m, monkeypatch):
    calls = []
    entry = AGGREGATIONS["topsis"]

    def spy(*args):
        calls.append(args[1].shape)
        return entry.function(*args)

    monkeypatch.setattr(mcda, "AGGREGATIONS", MappingProxyType(
        {**AGGREGATIONS, "topsis": dataclasses.replace(entry, function=spy)}))
    r = compare(m, "topsis")
    assert calls == [(3, 2)] and r.method == "topsis"
    smaa(m, 50, seed=1, method="topsis")
    assert calls[1] == (50, 3, 2)                     # the draws, then each option's central weights
    assert all(c == (50, 3, 2) for c in calls[1:])


def test_a_new_entry_is_compared_with_its_settings_and_detail(m, with_maximin):
    r = compare(m, "maximin", weights="equal")
    np.testing.assert_allclose(r.scores, [0.2, 0.5, 0.1])
    assert r.ranking == ["y", "x", "z"] and r.best == ["y"]
    assert r.choices == {"value_range": "criteria", "directions": {"a": "max", "b": "max"}}
    t = r.table()
    assert t.title == "Ranking (maximin)" and t.units[1] == "worst value 0-1"
    assert r.detail_table().title == "Worst value score"
    assert compare(m, "mavt", weights="equal").ties == [["x", "y", "z"]]


def test_a_new_entry_is_drawn_by_smaa(m, with_maximin):
    r = smaa(m, 300, seed=2, method="maximin", consequences="point")
    # maximin does not read the weights: y is first in every draw
    assert r.rank_acceptability[r.options.index("y"), 0] == 1.0
    assert r.settings["aggregation"] == "maximin" and r.settings["value_range"] == "criteria"
    assert "normalisation" not in r.settings


def test_a_new_entry_is_offered_on_the_command_line(m, with_maximin, juncture, tmp_path):
    f = tmp_path / "agg.yaml"
    f.write_text(MATRIX)
    done = juncture("compare", f, "--method", "maximin", "--weighting", "equal", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["method"] == "maximin" and out["ranking"] == ["y", "x", "z"]
    done = juncture("compare", f, "--method", "smaa", "--aggregation", "maximin", "--samples", "50", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["aggregation"] == "maximin"


def test_a_partial_order_cannot_be_ranked_by_compare_or_smaa(m, monkeypatch):
    outrank = dataclasses.replace(MAXIMIN, name="outrank", returns=PARTIAL_ORDER)
    monkeypatch.setattr(mcda, "AGGREGATIONS", MappingProxyType({**AGGREGATIONS, "outrank": outrank}))
    with pytest.raises(ValueError, match=r"compare\(\): method 'outrank' returns a partial order, not scores"):
        compare(m, "outrank")
    with pytest.raises(ValueError, match=r"smaa\(\): method 'outrank' returns a partial order"):
        smaa(m, 10, method="outrank")
    # the command line offers only the methods that rank
    assert list(choices("method")) == ["mavt", "topsis", "smaa"] and "outrank" not in choices("method")


def test_an_unknown_method_names_the_table():
    with pytest.raises(ValueError, match=r"aggregate\(\): method must be one of mavt, topsis; got 'electre'"):
        mcda.aggregation("electre")


def choices(dest: str):
    """The choices of `juncture compare`'s option `dest` (argparse keeps subparsers in the action
    whose dest is the command)."""
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return next(a for a in sub.choices["compare"]._actions if a.dest == dest).choices


def test_the_parser_reads_the_table_without_loading_it():
    assert list(choices("method")) == [*AGGREGATIONS, "smaa"]
    assert list(choices("aggregation")) == list(AGGREGATIONS)
    code = ("import sys; from model.cli import build_parser; build_parser(); "
            "print(','.join(m for m in ('model.analysis.mcda', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_a_files_comparison_method_names_exactly_the_aggregation_table():
    """io cannot import the analyses, so `comparison.method` lists the methods by hand: this keeps
    that list and the table one and the same."""
    import dataclasses
    import typing

    from model.analysis.mcda import AGGREGATIONS
    from model.io.scenario import Comparison

    hints = typing.get_type_hints(Comparison)
    assert set(typing.get_args(hints["method"])) == set(AGGREGATIONS)
    assert {f.name for f in dataclasses.fields(Comparison)} >= {"method"}
